package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// ProgressDays counts a campaign's events per day in zone: SQLite's date()
// (PostgreSQL: the time cast and shifted by an interval) shifts the stored UTC times by the zone's offset, so the zone must have
// a fixed one (Beijing has). A sheet's first submission is the earliest
// of its history (sheet_versions), which keeps every round: sheets.
// submitted_at moves with each resubmission.
func (q queries) ProgressDays(ctx context.Context, campaignID, agencyID int64, zone *time.Location) ([]evaluation.ProgressDay, error) {
	_, offset := time.Unix(0, 0).In(zone).Zone()
	day, shift := `date(at, ?)`, any(fmt.Sprintf("%+d seconds", offset))
	if q.pg {
		// The stored time to the second, as a timestamp, shifted.
		day, shift = `to_char(CAST(substr(at, 1, 19) AS timestamp) + make_interval(secs => ?), 'YYYY-MM-DD')`, offset
	}
	return queryList(ctx, q.db, "count the days of campaign", func(row scanner) (evaluation.ProgressDay, error) {
		var d evaluation.ProgressDay
		var accepted, submitted, concluded int64
		if err := row.Scan(&d.Day, &accepted, &submitted, &concluded); err != nil {
			return d, err
		}
		d.Accepted, d.Submitted, d.Concluded = int(accepted), int(submitted), int(concluded)
		return d, nil
	}, `WITH events (at, kind) AS (
		SELECT m.responded_at, 'accepted' FROM panel_members m JOIN panels p ON p.id = m.panel_id
		WHERE p.campaign_id = ? AND p.agency_id = ? AND m.status = 'accepted' AND m.responded_at IS NOT NULL
		UNION ALL
		SELECT MIN(v.submitted_at), 'submitted' FROM sheet_versions v JOIN sheets s ON s.id = v.sheet_id
		WHERE s.campaign_id = ? AND s.agency_id = ? GROUP BY v.sheet_id
		UNION ALL
		SELECT MIN(c.recorded_at), 'concluded' FROM conclusions c
		WHERE c.campaign_id = ? AND c.agency_id = ? GROUP BY c.project_id)
		SELECT `+day+` AS day, SUM(CASE WHEN kind = 'accepted' THEN 1 ELSE 0 END),
			SUM(CASE WHEN kind = 'submitted' THEN 1 ELSE 0 END), SUM(CASE WHEN kind = 'concluded' THEN 1 ELSE 0 END)
		FROM events GROUP BY day ORDER BY day`,
		campaignID, agencyID, campaignID, agencyID, campaignID, agencyID, shift)
}

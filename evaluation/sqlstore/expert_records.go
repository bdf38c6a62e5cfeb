package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// floatScan scans a REAL column, NULL as nil.
type floatScan struct{ f **float64 }

func (s floatScan) Scan(v any) error {
	var n sql.NullFloat64
	if err := n.Scan(v); err != nil {
		return err
	}
	*s.f = nil
	if n.Valid {
		*s.f = &n.Float64
	}
	return nil
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

const expertRecordColumns = `r.campaign_id, r.expert_id, r.agency_id, c.name, c.year, e.name, r.assigned, r.submitted,
	r.on_time, r.on_time_rate, r.scored, r.divergent, r.divergence_rate, r.leniency, r.leniency_se, r.leniency_estimable,
	r.conflicts, r.declines, r.computed_at`

const expertRecordFrom = ` FROM expert_records r JOIN campaigns c ON c.id = r.campaign_id JOIN experts e ON e.id = r.expert_id`

func scanExpertRecord(row scanner) (*evaluation.ExpertRecord, error) {
	r := &evaluation.ExpertRecord{}
	err := row.Scan(&r.CampaignID, &r.ExpertID, &r.AgencyID, &r.CampaignName, &r.CampaignYear, &r.ExpertName, &r.Assigned,
		&r.Submitted, &r.OnTime, floatScan{&r.OnTimeRate}, &r.Scored, &r.Divergent, floatScan{&r.DivergenceRate},
		floatScan{&r.Leniency}, floatScan{&r.LeniencySE}, &r.LeniencyEstimable, &r.Conflicts, &r.Declines,
		timeScan{&r.ComputedAt})
	return r, err
}

func (q queries) ExpertRecords(ctx context.Context, expertID int64) ([]*evaluation.ExpertRecord, error) {
	return queryList(ctx, q.db, "list expert records", scanExpertRecord, `SELECT `+expertRecordColumns+expertRecordFrom+
		` WHERE r.expert_id = ? ORDER BY c.year DESC, r.computed_at DESC, r.campaign_id DESC`, expertID)
}

func (q queries) CampaignExpertRecords(ctx context.Context, campaignID int64) ([]*evaluation.ExpertRecord, error) {
	return queryList(ctx, q.db, "list campaign expert records", scanExpertRecord, `SELECT `+expertRecordColumns+
		expertRecordFrom+` WHERE r.campaign_id = ? ORDER BY e.name, r.expert_id`, campaignID)
}

var expertRecordSorts = map[string]string{
	"name":       "name",
	"campaigns":  "campaigns",
	"assigned":   "assigned",
	"on_time":    "on_time_rate",
	"divergence": "divergence_rate",
	"leniency":   "leniency",
	"conflicts":  "conflicts",
	"declines":   "declines",
}

func (q queries) ExpertRecordSummaries(ctx context.Context, f evaluation.ExpertRecordFilter) ([]*evaluation.ExpertRecordSummary, int, error) {
	var w where
	if f.Query != "" {
		w.add(`(lower(e.name) LIKE ? ESCAPE '\' OR lower(e.institution) LIKE ? ESCAPE '\')`, like(f.Query), like(f.Query))
	}
	having := ""
	if f.Deferred {
		having = fmt.Sprintf(` HAVING (SUM(r.assigned) >= %d AND SUM(r.on_time) < %g * SUM(r.assigned)) OR SUM(r.declines) >= %d`,
			evaluation.DeferMinAssigned, evaluation.DeferOnTimeRate, evaluation.DeferDeclines)
	}
	grouped := `SELECT r.expert_id AS expert_id, e.name AS name, e.institution AS institution, COUNT(*) AS campaigns,
		SUM(r.assigned) AS assigned, SUM(r.submitted) AS submitted, SUM(r.on_time) AS on_time,
		CASE WHEN SUM(r.assigned) > 0 THEN CAST(SUM(r.on_time) AS DOUBLE PRECISION) / SUM(r.assigned) END AS on_time_rate,
		SUM(r.scored) AS scored, SUM(r.divergent) AS divergent,
		CASE WHEN SUM(r.scored) > 0 THEN CAST(SUM(r.divergent) AS DOUBLE PRECISION) / SUM(r.scored) END AS divergence_rate,
		AVG(CASE WHEN r.leniency_estimable = 1 THEN r.leniency END) AS leniency,
		SUM(r.conflicts) AS conflicts, SUM(r.declines) AS declines
		FROM expert_records r JOIN experts e ON e.id = r.expert_id` + w.String() + ` GROUP BY r.expert_id, e.name, e.institution` + having
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM (`+grouped+`) g`, w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count expert records: %w", err)
	}
	list, err := queryList(ctx, q.db, "list expert record summaries", func(row scanner) (*evaluation.ExpertRecordSummary, error) {
		s := &evaluation.ExpertRecordSummary{}
		err := row.Scan(&s.ExpertID, &s.ExpertName, &s.Institution, &s.Campaigns, &s.Assigned, &s.Submitted, &s.OnTime,
			floatScan{&s.OnTimeRate}, &s.Scored, &s.Divergent, floatScan{&s.DivergenceRate}, floatScan{&s.Leniency},
			&s.Conflicts, &s.Declines)
		return s, err
	}, `SELECT * FROM (`+grouped+`) g`+q.orderBy(f.Sort, expertRecordSorts, "name")+` LIMIT ? OFFSET ?`, append(w.args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

func (q queries) CampaignFirstSubmissions(ctx context.Context, campaignID int64) (map[int64]time.Time, error) {
	type first struct {
		sheet int64
		at    time.Time
	}
	list, err := queryList(ctx, q.db, "list first submissions", func(row scanner) (first, error) {
		var f first
		return f, row.Scan(&f.sheet, timeScan{&f.at})
	}, `SELECT v.sheet_id, v.submitted_at FROM sheet_versions v JOIN sheets s ON s.id = v.sheet_id
		WHERE s.campaign_id = ? AND v.round = 1`, campaignID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]time.Time, len(list))
	for _, f := range list {
		out[f.sheet] = f.at
	}
	return out, nil
}

func (q queries) CampaignProjectConflicts(ctx context.Context, campaignID int64) ([]evaluation.ProjectConflict, error) {
	return queryList(ctx, q.db, "list project conflicts", func(row scanner) (evaluation.ProjectConflict, error) {
		var c evaluation.ProjectConflict
		return c, row.Scan(&c.ExpertID, &c.ProjectID, &c.Declared)
	}, `SELECT ec.expert_id, ec.project_id, EXISTS (SELECT 1 FROM users u WHERE u.id = ec.created_by AND u.expert_id = ec.expert_id)
		FROM expert_conflicts ec JOIN projects p ON p.id = ec.project_id WHERE p.campaign_id = ? ORDER BY ec.id`, campaignID)
}

func (t *tx) AddExpertRecord(ctx context.Context, r *evaluation.ExpertRecord) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO expert_records (campaign_id, expert_id, agency_id, assigned, submitted, on_time,
		on_time_rate, scored, divergent, divergence_rate, leniency, leniency_se, leniency_estimable, conflicts, declines,
		computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CampaignID, r.ExpertID, r.AgencyID, r.Assigned,
		r.Submitted, r.OnTime, nullFloat(r.OnTimeRate), r.Scored, r.Divergent, nullFloat(r.DivergenceRate), nullFloat(r.Leniency),
		nullFloat(r.LeniencySE), boolInt(r.LeniencyEstimable), r.Conflicts, r.Declines, formatTime(r.ComputedAt))
	if err != nil {
		return fmt.Errorf("record expert %d in campaign %d: %w", r.ExpertID, r.CampaignID, mapError(err, ""))
	}
	return nil
}

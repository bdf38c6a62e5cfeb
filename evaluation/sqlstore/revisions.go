package sqlstore

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

func (q queries) Revisions(ctx context.Context, projectID int64) ([]*evaluation.Revision, error) {
	list, err := queryList(ctx, q.db, "list revisions", func(row scanner) (*evaluation.Revision, error) {
		r := &evaluation.Revision{}
		err := row.Scan(&r.ProjectID, &r.Seq, &r.CampaignID, &r.AgencyID, &r.Kind, &r.Note, &r.Due, &r.Sheets,
			&r.OpenedBy, &r.OpenedByName, timeScan{&r.OpenedAt})
		return r, err
	}, `SELECT project_id, seq, campaign_id, agency_id, kind, note, due, sheets, opened_by, opened_by_name, opened_at
		FROM revisions WHERE project_id = ? ORDER BY seq`, projectID)
	return orEmpty(list), err
}

func (t *tx) AddRevision(ctx context.Context, r *evaluation.Revision) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO revisions (project_id, seq, campaign_id, agency_id, kind, note, due, sheets,
		opened_by, opened_by_name, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.ProjectID, r.Seq, r.CampaignID,
		r.AgencyID, r.Kind, r.Note, r.Due, r.Sheets, r.OpenedBy, r.OpenedByName, formatTime(r.OpenedAt))
	if err != nil {
		return fmt.Errorf("record revision round %d of project %d: %w", r.Seq, r.ProjectID, mapError(err, "project_id"))
	}
	return nil
}

package sqlstore

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

const appealColumns = `a.id, a.campaign_id, a.project_id, a.agency_id, p.code, p.title, a.reason, a.appellant, a.text,
	a.status, a.before, a.filed_by, a.filed_by_name, a.filed_at, a.revision_seq, a.reevaluation, a.outcome, a.resolution,
	a.resolved_by, a.resolved_by_name, a.resolved_at`

func scanAppeal(row scanner) (*evaluation.Appeal, error) {
	a := &evaluation.Appeal{}
	err := row.Scan(&a.ID, &a.CampaignID, &a.ProjectID, &a.AgencyID, &a.Code, &a.Title, &a.Reason, &a.Appellant, &a.Text,
		&a.Status, &a.Before, &a.FiledBy, &a.FiledByName, timeScan{&a.FiledAt}, &a.RevisionSeq, &a.Reevaluation, &a.Outcome,
		&a.Resolution, &a.ResolvedBy, &a.ResolvedByName, timeScan{&a.ResolvedAt})
	return a, err
}

func (q queries) Appeal(ctx context.Context, id int64) (*evaluation.Appeal, error) {
	a, err := scanAppeal(q.db.QueryRowContext(ctx, `SELECT `+appealColumns+`
		FROM appeals a JOIN projects p ON p.id = a.project_id WHERE a.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load appeal %d: %w", id, mapError(err, ""))
	}
	return a, nil
}

func (q queries) Appeals(ctx context.Context, campaignID int64) ([]*evaluation.Appeal, error) {
	list, err := queryList(ctx, q.db, "list appeals", scanAppeal, `SELECT `+appealColumns+`
		FROM appeals a JOIN projects p ON p.id = a.project_id WHERE a.campaign_id = ? ORDER BY a.id`, campaignID)
	return orEmpty(list), err
}

func (q queries) OpenAppeals(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM appeals WHERE campaign_id = ? AND status IN ('filed', 'reevaluating')`,
		campaignID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the open appeals of campaign %d: %w", campaignID, err)
	}
	return n, nil
}

func (t *tx) AddAppeal(ctx context.Context, a *evaluation.Appeal) error {
	id, err := insertID(ctx, t.db, `INSERT INTO appeals (campaign_id, project_id, agency_id, reason, appellant, text, status,
		before, filed_by, filed_by_name, filed_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.CampaignID,
		a.ProjectID, a.AgencyID, a.Reason, a.Appellant, a.Text, a.Status, a.Before, a.FiledBy, a.FiledByName,
		formatTime(a.FiledAt), nullTime(a.ResolvedAt))
	if err != nil {
		return fmt.Errorf("record an appeal on project %d: %w", a.ProjectID, mapError(err, ""))
	}
	a.ID = id
	return nil
}

func (t *tx) UpdateAppeal(ctx context.Context, a *evaluation.Appeal) error {
	res, err := t.db.ExecContext(ctx, `UPDATE appeals SET status = ?, revision_seq = ?, reevaluation = ?, outcome = ?,
		resolution = ?, resolved_by = ?, resolved_by_name = ?, resolved_at = ? WHERE id = ?`, a.Status, a.RevisionSeq,
		a.Reevaluation, a.Outcome, a.Resolution, a.ResolvedBy, a.ResolvedByName, nullTime(a.ResolvedAt), a.ID)
	if err != nil {
		return fmt.Errorf("settle appeal %d: %w", a.ID, mapError(err, ""))
	}
	return mustAffect(res, "settle appeal", a.ID)
}

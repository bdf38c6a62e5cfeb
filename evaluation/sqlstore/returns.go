package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

func (q queries) Returns(ctx context.Context, campaignID int64) ([]*evaluation.Return, error) {
	list, err := queryList(ctx, q.db, "list returns", func(row scanner) (*evaluation.Return, error) {
		r := &evaluation.Return{}
		err := row.Scan(&r.CampaignID, &r.AgencyID, &r.Round, &r.ProjectID, &r.Code, &r.Title, &r.Comment, &r.MarkedBy,
			&r.MarkedByName, timeScan{&r.MarkedAt}, timeScan{&r.ReturnedAt}, &r.Answer, &r.AnsweredBy, &r.AnsweredByName,
			timeScan{&r.AnsweredAt})
		r.Sent = !r.ReturnedAt.IsZero()
		return r, err
	}, `SELECT r.campaign_id, r.agency_id, r.round, r.project_id, p.code, p.title, r.comment, r.marked_by, r.marked_by_name,
		r.marked_at, r.returned_at, r.answer, r.answered_by, r.answered_by_name, r.answered_at
		FROM returns r JOIN projects p ON p.id = r.project_id WHERE r.campaign_id = ? ORDER BY r.round, p.code`, campaignID)
	return orEmpty(list), err
}

func (q queries) UnansweredReturns(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM returns WHERE campaign_id = ? AND answer = ''
		AND returned_at IS NOT NULL AND round = (SELECT MAX(round) FROM returns WHERE campaign_id = ? AND returned_at IS NOT NULL)`,
		campaignID, campaignID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the unanswered returns of campaign %d: %w", campaignID, err)
	}
	return n, nil
}

func (t *tx) SaveReturn(ctx context.Context, r *evaluation.Return) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO returns (campaign_id, round, project_id, agency_id, comment, marked_by,
		marked_by_name, marked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, round, project_id) DO UPDATE SET
		comment = excluded.comment, marked_by = excluded.marked_by, marked_by_name = excluded.marked_by_name,
		marked_at = excluded.marked_at`, r.CampaignID, r.Round, r.ProjectID, r.AgencyID, r.Comment, r.MarkedBy,
		r.MarkedByName, formatTime(r.MarkedAt))
	if err != nil {
		return fmt.Errorf("mark project %d for return: %w", r.ProjectID, mapError(err, "project_id"))
	}
	return nil
}

func (t *tx) DeleteReturn(ctx context.Context, campaignID int64, round int, projectID int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM returns WHERE campaign_id = ? AND round = ? AND project_id = ?`,
		campaignID, round, projectID)
	if err != nil {
		return fmt.Errorf("unmark project %d: %w", projectID, err)
	}
	return mustAffect(res, "unmark return", projectID)
}

func (t *tx) SendReturns(ctx context.Context, campaignID int64, round int, at time.Time) (int, error) {
	res, err := t.db.ExecContext(ctx, `UPDATE returns SET returned_at = ? WHERE campaign_id = ? AND round = ?
		AND returned_at IS NULL`, formatTime(at), campaignID, round)
	if err != nil {
		return 0, fmt.Errorf("send the returns of campaign %d: %w", campaignID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *tx) AnswerReturn(ctx context.Context, r *evaluation.Return) error {
	res, err := t.db.ExecContext(ctx, `UPDATE returns SET answer = ?, answered_by = ?, answered_by_name = ?, answered_at = ?
		WHERE campaign_id = ? AND round = ? AND project_id = ? AND returned_at IS NOT NULL`, r.Answer, r.AnsweredBy,
		r.AnsweredByName, formatTime(r.AnsweredAt), r.CampaignID, r.Round, r.ProjectID)
	if err != nil {
		return fmt.Errorf("answer the return of project %d: %w", r.ProjectID, err)
	}
	return mustAffect(res, "answer return", r.ProjectID)
}

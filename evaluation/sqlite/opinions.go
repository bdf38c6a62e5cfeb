package sqlite

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

func (q queries) Opinion(ctx context.Context, projectID int64) (*evaluation.Opinion, error) {
	o := &evaluation.Opinion{}
	err := q.db.QueryRowContext(ctx, `SELECT project_id, campaign_id, agency_id, panel_id, chair_id, text, proposed, status,
		version, created_at, updated_at, locked_at FROM opinions WHERE project_id = ?`, projectID).Scan(&o.ProjectID,
		&o.CampaignID, &o.AgencyID, &o.PanelID, &o.ChairID, &o.Text, &o.Proposed, &o.Status, &o.Version,
		timeScan{&o.CreatedAt}, timeScan{&o.UpdatedAt}, timeScan{&o.LockedAt})
	if err != nil {
		return nil, fmt.Errorf("load the opinion on project %d: %w", projectID, mapError(err, ""))
	}
	list, err := queryList(ctx, q.db, "list opinion responses", func(row scanner) (evaluation.OpinionResponse, error) {
		var r evaluation.OpinionResponse
		err := row.Scan(&r.ExpertID, &r.Agree, &r.Reason, timeScan{&r.RespondedAt})
		return r, err
	}, `SELECT expert_id, agree, reason, responded_at FROM opinion_responses WHERE project_id = ?
		ORDER BY responded_at, expert_id`, projectID)
	if err != nil {
		return nil, err
	}
	o.Responses = list
	return o, nil
}

func (t *tx) CreateOpinion(ctx context.Context, o *evaluation.Opinion) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO opinions (project_id, campaign_id, agency_id, panel_id, chair_id, text,
		proposed, status, version, created_at, updated_at, locked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o.ProjectID, o.CampaignID, o.AgencyID, o.PanelID, o.ChairID, o.Text, o.Proposed, o.Status, o.Version,
		formatTime(o.CreatedAt), formatTime(o.UpdatedAt), nullTime(o.LockedAt))
	if err != nil {
		return fmt.Errorf("create the opinion on project %d: %w", o.ProjectID, mapError(err, "project_id"))
	}
	return nil
}

func (t *tx) UpdateOpinion(ctx context.Context, o *evaluation.Opinion) error {
	res, err := t.db.ExecContext(ctx, `UPDATE opinions SET chair_id = ?, text = ?, proposed = ?, status = ?, version = ?,
		updated_at = ?, locked_at = ? WHERE project_id = ?`, o.ChairID, o.Text, o.Proposed, o.Status, o.Version,
		formatTime(o.UpdatedAt), nullTime(o.LockedAt), o.ProjectID)
	if err != nil {
		return fmt.Errorf("update the opinion on project %d: %w", o.ProjectID, err)
	}
	return mustAffect(res, "update opinion", o.ProjectID)
}

func (t *tx) SetOpinionResponse(ctx context.Context, projectID int64, r evaluation.OpinionResponse) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO opinion_responses (project_id, expert_id, agree, reason, responded_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, expert_id) DO UPDATE SET agree = excluded.agree,
		reason = excluded.reason, responded_at = excluded.responded_at`,
		projectID, r.ExpertID, r.Agree, r.Reason, formatTime(r.RespondedAt))
	if err != nil {
		return fmt.Errorf("record the response of expert %d to the opinion on project %d: %w", r.ExpertID, projectID, err)
	}
	return nil
}

func (t *tx) DeleteOpinionResponses(ctx context.Context, projectID int64) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM opinion_responses WHERE project_id = ?`, projectID); err != nil {
		return fmt.Errorf("delete the responses to the opinion on project %d: %w", projectID, err)
	}
	return nil
}

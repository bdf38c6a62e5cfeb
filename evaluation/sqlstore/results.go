package sqlstore

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
	o.Responses = orEmpty(list)
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

const conclusionColumns = `project_id, seq, campaign_id, agency_id, round, conclusion, proposed, reason, recorded_by,
	recorded_by_name, recorded_at`

func scanConclusion(row scanner) (*evaluation.ConclusionRecord, error) {
	c := &evaluation.ConclusionRecord{}
	err := row.Scan(&c.ProjectID, &c.Seq, &c.CampaignID, &c.AgencyID, &c.Round, &c.Conclusion, &c.Proposed, &c.Reason,
		&c.RecordedBy, &c.RecordedByName, timeScan{&c.RecordedAt})
	return c, err
}

func (q queries) Conclusions(ctx context.Context, projectID int64) ([]*evaluation.ConclusionRecord, error) {
	list, err := queryList(ctx, q.db, "list conclusions", scanConclusion,
		`SELECT `+conclusionColumns+` FROM conclusions WHERE project_id = ? ORDER BY seq`, projectID)
	return orEmpty(list), err
}

func (q queries) CampaignConclusions(ctx context.Context, campaignID int64) ([]*evaluation.ConclusionRecord, error) {
	list, err := queryList(ctx, q.db, "list the conclusions in force", scanConclusion,
		`SELECT `+conclusionColumns+` FROM conclusions k WHERE campaign_id = ?
		AND seq = (SELECT MAX(seq) FROM conclusions WHERE project_id = k.project_id) ORDER BY project_id`, campaignID)
	return orEmpty(list), err
}

func (q queries) Rectification(ctx context.Context, projectID int64) (*evaluation.Rectification, error) {
	r := &evaluation.Rectification{}
	err := q.db.QueryRowContext(ctx, `SELECT project_id, campaign_id, agency_id, due, reason, created_by, created_by_name,
		created_at FROM rectifications WHERE project_id = ?`, projectID).Scan(&r.ProjectID, &r.CampaignID, &r.AgencyID,
		&r.Due, &r.Reason, &r.CreatedBy, &r.CreatedByName, timeScan{&r.CreatedAt})
	if err != nil {
		return nil, fmt.Errorf("load the rectification of project %d: %w", projectID, mapError(err, ""))
	}
	return r, nil
}

func (q queries) UnconcludedProjects(ctx context.Context, campaignID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p WHERE p.campaign_id = ? AND NOT EXISTS (
		SELECT 1 FROM conclusions k WHERE k.project_id = p.id
		AND k.round = CASE WHEN EXISTS (SELECT 1 FROM rectifications r WHERE r.project_id = p.id) THEN 2 ELSE 1 END)`,
		campaignID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count the projects of campaign %d without a conclusion: %w", campaignID, err)
	}
	return n, nil
}

func (t *tx) AddConclusion(ctx context.Context, c *evaluation.ConclusionRecord) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO conclusions (project_id, seq, campaign_id, agency_id, round, conclusion,
		proposed, reason, recorded_by, recorded_by_name, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ProjectID, c.Seq, c.CampaignID, c.AgencyID, c.Round, c.Conclusion, c.Proposed, c.Reason, c.RecordedBy,
		c.RecordedByName, formatTime(c.RecordedAt))
	if err != nil {
		return fmt.Errorf("record a conclusion on project %d: %w", c.ProjectID, mapError(err, "conclusion"))
	}
	return nil
}

func (t *tx) CreateRectification(ctx context.Context, r *evaluation.Rectification) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO rectifications (project_id, campaign_id, agency_id, due, reason,
		created_by, created_by_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.ProjectID, r.CampaignID, r.AgencyID,
		r.Due, r.Reason, r.CreatedBy, r.CreatedByName, formatTime(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("record the rectification of project %d: %w", r.ProjectID, mapError(err, "project_id"))
	}
	return nil
}

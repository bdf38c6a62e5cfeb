package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

func (q queries) Pledge(ctx context.Context, campaignID, expertID int64) (*evaluation.Pledge, error) {
	p := &evaluation.Pledge{CampaignID: campaignID, ExpertID: expertID}
	err := q.db.QueryRowContext(ctx, `SELECT version, signed_at FROM pledges WHERE campaign_id = ? AND expert_id = ?`,
		campaignID, expertID).Scan(&p.Version, timeScan{&p.SignedAt})
	if err != nil {
		return nil, fmt.Errorf("load pledge of expert %d for campaign %d: %w", expertID, campaignID, mapError(err, ""))
	}
	return p, nil
}

func (q queries) Declared(ctx context.Context, projectID, expertID int64) (time.Time, error) {
	var at time.Time
	err := q.db.QueryRowContext(ctx, `SELECT declared_at FROM declarations WHERE project_id = ? AND expert_id = ?`,
		projectID, expertID).Scan(timeScan{&at})
	if err != nil {
		return time.Time{}, fmt.Errorf("load declaration of expert %d for project %d: %w", expertID, projectID, mapError(err, ""))
	}
	return at, nil
}

func (q queries) PanelSeat(ctx context.Context, projectID, expertID int64) (*evaluation.Panel, *evaluation.PanelMember, error) {
	p, m := &evaluation.Panel{}, &evaluation.PanelMember{}
	// +?: see the package doc.
	err := q.db.QueryRowContext(ctx, `SELECT p.id, p.campaign_id, p.agency_id, p.name, p.state, p.created_at, p.updated_at,
		m.id, m.panel_id, m.expert_id, m.seat, m.chair, m.status, m.alternate_rank, m.source, m.override, m.decline_reason,
		m.due, m.invited_at, m.responded_at, m.created_at
		FROM panel_projects pp
		JOIN panels p ON p.id = pp.panel_id
		JOIN panel_members m ON m.panel_id = pp.panel_id AND m.expert_id = +?
		WHERE pp.project_id = +?`, expertID, projectID).Scan(&p.ID, &p.CampaignID, &p.AgencyID, &p.Name, &p.State,
		timeScan{&p.CreatedAt}, timeScan{&p.UpdatedAt}, &m.ID, &m.PanelID, &m.ExpertID, &m.Seat, &m.Chair, &m.Status,
		&m.AlternateRank, &m.Source, &m.Override, &m.DeclineReason, &m.Due, timeScan{&m.InvitedAt}, timeScan{&m.RespondedAt},
		timeScan{&m.CreatedAt})
	if err != nil {
		return nil, nil, fmt.Errorf("load seat of expert %d on the panel of project %d: %w", expertID, projectID, mapError(err, ""))
	}
	return p, m, nil
}

const sheetColumns = `id, campaign_id, agency_id, panel_id, project_id, expert_id, seat, rubric_code, rubric_version, status,
	version, round, content, reopen_reason, created_at, updated_at, submitted_at`

func scanSheet(row scanner) (*evaluation.Sheet, error) {
	s := &evaluation.Sheet{}
	// Plain strings and int64s: database/sql sets a named string type or
	// an int by reflection, the int through the number's text, and a
	// campaign's results scan every sheet of the campaign.
	var seat, status, content string
	var rubricVersion, version, round int64
	if err := row.Scan(&s.ID, &s.CampaignID, &s.AgencyID, &s.PanelID, &s.ProjectID, &s.ExpertID, &seat, &s.RubricCode,
		&rubricVersion, &status, &version, &round, &content, &s.ReopenReason, timeScan{&s.CreatedAt},
		timeScan{&s.UpdatedAt}, timeScan{&s.SubmittedAt}); err != nil {
		return nil, err
	}
	s.Seat, s.Status = evaluation.Seat(seat), evaluation.SheetStatus(status)
	s.RubricVersion, s.Version, s.Round = int(rubricVersion), int(version), int(round)
	var err error
	if s.Content, err = decodeSheetContent(content); err != nil {
		return nil, fmt.Errorf("decode sheet %d: %w", s.ID, err)
	}
	return s, nil
}

func (q queries) Sheet(ctx context.Context, projectID, expertID int64) (*evaluation.Sheet, error) {
	s, err := scanSheet(q.db.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheets WHERE project_id = ? AND expert_id = ?`,
		projectID, expertID))
	if err != nil {
		return nil, fmt.Errorf("load sheet of expert %d for project %d: %w", expertID, projectID, mapError(err, ""))
	}
	return s, nil
}

func (q queries) SheetByID(ctx context.Context, id int64) (*evaluation.Sheet, error) {
	s, err := scanSheet(q.db.QueryRowContext(ctx, `SELECT `+sheetColumns+` FROM sheets WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load sheet %d: %w", id, mapError(err, ""))
	}
	return s, nil
}

func (q queries) ProjectSheets(ctx context.Context, projectID int64) ([]*evaluation.Sheet, error) {
	return queryList(ctx, q.db, "list sheets of project", scanSheet,
		`SELECT `+sheetColumns+` FROM sheets WHERE project_id = ? ORDER BY seat DESC, expert_id`, projectID)
}

func (q queries) CampaignSheets(ctx context.Context, campaignID int64) ([]*evaluation.Sheet, error) {
	return queryList(ctx, q.db, "list sheets of campaign", scanSheet,
		`SELECT `+sheetColumns+` FROM sheets WHERE campaign_id = ? ORDER BY project_id, seat DESC, expert_id`, campaignID)
}

func (q queries) ExpertSheets(ctx context.Context, expertID int64) ([]*evaluation.Sheet, error) {
	return queryList(ctx, q.db, "list sheets of expert", scanSheet,
		`SELECT `+sheetColumns+` FROM sheets WHERE expert_id = ? ORDER BY campaign_id, project_id`, expertID)
}

func (q queries) SheetVersions(ctx context.Context, sheetID int64) ([]*evaluation.SheetVersion, error) {
	return queryList(ctx, q.db, "list sheet versions", func(row scanner) (*evaluation.SheetVersion, error) {
		v := &evaluation.SheetVersion{}
		var content string
		var total int64
		if err := row.Scan(&v.SheetID, &v.Round, &v.Version, &content, &total, &v.SubmittedBy, timeScan{&v.SubmittedAt}); err != nil {
			return nil, err
		}
		v.Total = rubrics.Points(total)
		var err error
		if v.Content, err = decodeSheetContent(content); err != nil {
			return nil, fmt.Errorf("decode version %d of sheet %d: %w", v.Round, v.SheetID, err)
		}
		return v, nil
	}, `SELECT sheet_id, round, version, content, total, submitted_by, submitted_at FROM sheet_versions
		WHERE sheet_id = ? ORDER BY round`, sheetID)
}

func (t *tx) CreatePledge(ctx context.Context, p *evaluation.Pledge) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO pledges (campaign_id, expert_id, version, signed_at) VALUES (?, ?, ?, ?)`,
		p.CampaignID, p.ExpertID, p.Version, formatTime(p.SignedAt))
	if err != nil {
		return fmt.Errorf("record pledge: %w", mapError(err, "campaign_id"))
	}
	return nil
}

func (t *tx) CreateDeclaration(ctx context.Context, projectID, expertID int64, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO declarations (project_id, expert_id, declared_at) VALUES (?, ?, ?)`,
		projectID, expertID, formatTime(at))
	if err != nil {
		return fmt.Errorf("record declaration: %w", mapError(err, "project_id"))
	}
	return nil
}

func sheetContent(s *evaluation.Sheet) (string, error) {
	b, err := json.Marshal(s.Content)
	if err != nil {
		return "", fmt.Errorf("encode sheet: %w", err)
	}
	return string(b), nil
}

func (t *tx) CreateSheet(ctx context.Context, s *evaluation.Sheet) error {
	content, err := sheetContent(s)
	if err != nil {
		return err
	}
	id, err := insertID(ctx, t.db, `INSERT INTO sheets (campaign_id, agency_id, panel_id, project_id, expert_id, seat,
		rubric_code, rubric_version, status, version, round, content, reopen_reason, created_at, updated_at, submitted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.CampaignID, s.AgencyID, s.PanelID, s.ProjectID, s.ExpertID,
		s.Seat, s.RubricCode, s.RubricVersion, s.Status, s.Version, s.Round, content, s.ReopenReason, formatTime(s.CreatedAt),
		formatTime(s.UpdatedAt), nullTime(s.SubmittedAt))
	if err != nil {
		return fmt.Errorf("create sheet: %w", mapError(err, "project_id"))
	}
	s.ID = id
	return nil
}

func (t *tx) UpdateSheet(ctx context.Context, s *evaluation.Sheet) error {
	content, err := sheetContent(s)
	if err != nil {
		return err
	}
	res, err := t.db.ExecContext(ctx, `UPDATE sheets SET status = ?, version = ?, round = ?, content = ?, reopen_reason = ?,
		updated_at = ?, submitted_at = ? WHERE id = ?`, s.Status, s.Version, s.Round, content, s.ReopenReason,
		formatTime(s.UpdatedAt), nullTime(s.SubmittedAt), s.ID)
	if err != nil {
		return fmt.Errorf("update sheet %d: %w", s.ID, mapError(err, ""))
	}
	return mustAffect(res, "update sheet", s.ID)
}

func (t *tx) AddSheetVersion(ctx context.Context, v *evaluation.SheetVersion) error {
	b, err := json.Marshal(v.Content)
	if err != nil {
		return fmt.Errorf("encode sheet version: %w", err)
	}
	_, err = t.db.ExecContext(ctx, `INSERT INTO sheet_versions (sheet_id, round, version, content, total, submitted_by,
		submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, v.SheetID, v.Round, v.Version, string(b), int64(v.Total), v.SubmittedBy,
		formatTime(v.SubmittedAt))
	if err != nil {
		return fmt.Errorf("record version %d of sheet %d: %w", v.Round, v.SheetID, mapError(err, ""))
	}
	return nil
}

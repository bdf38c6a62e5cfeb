package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

const panelColumns = `id, campaign_id, agency_id, name, state, created_at, updated_at`

func scanPanel(row scanner) (*evaluation.Panel, error) {
	p := &evaluation.Panel{}
	err := row.Scan(&p.ID, &p.CampaignID, &p.AgencyID, &p.Name, &p.State, timeScan{&p.CreatedAt}, timeScan{&p.UpdatedAt})
	return p, err
}

const memberColumns = `id, panel_id, expert_id, seat, chair, status, alternate_rank, source, override, decline_reason,
	due, invited_at, responded_at, created_at`

func scanMember(row scanner) (*evaluation.PanelMember, error) {
	m := &evaluation.PanelMember{}
	err := row.Scan(&m.ID, &m.PanelID, &m.ExpertID, &m.Seat, &m.Chair, &m.Status, &m.AlternateRank, &m.Source, &m.Override,
		&m.DeclineReason, &m.Due, timeScan{&m.InvitedAt}, timeScan{&m.RespondedAt}, timeScan{&m.CreatedAt})
	return m, err
}

// fillPanels loads the projects and members (with their experts) of panels.
func (q queries) fillPanels(ctx context.Context, panels []*evaluation.Panel) error {
	if len(panels) == 0 {
		return nil
	}
	byID := map[int64]*evaluation.Panel{}
	ids := make([]any, len(panels))
	for i, p := range panels {
		byID[p.ID], ids[i] = p, p.ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	type link struct{ panel, project int64 }
	links, err := queryList(ctx, q.db, "list panel projects", func(row scanner) (link, error) {
		var l link
		return l, row.Scan(&l.panel, &l.project)
	}, `SELECT panel_id, project_id FROM panel_projects WHERE panel_id IN `+in+` ORDER BY project_id`, ids...)
	if err != nil {
		return err
	}
	for _, l := range links {
		byID[l.panel].ProjectIDs = append(byID[l.panel].ProjectIDs, l.project)
	}
	members, err := queryList(ctx, q.db, "list panel members", scanMember,
		`SELECT `+memberColumns+` FROM panel_members WHERE panel_id IN `+in+` ORDER BY panel_id, seat DESC, chair DESC, id`, ids...)
	if err != nil {
		return err
	}
	experts, err := queryList(ctx, q.db, "list panel experts", scanExpert, `SELECT `+expertColumns+` FROM experts
		WHERE id IN (SELECT expert_id FROM panel_members WHERE panel_id IN `+in+`)`, ids...)
	if err != nil {
		return err
	}
	expertByID := map[int64]*evaluation.Expert{}
	for _, e := range experts {
		expertByID[e.ID] = e
	}
	for _, m := range members {
		m.Expert = expertByID[m.ExpertID]
		byID[m.PanelID].Members = append(byID[m.PanelID].Members, m)
	}
	return nil
}

func (q queries) Panel(ctx context.Context, id int64) (*evaluation.Panel, error) {
	p, err := scanPanel(q.db.QueryRowContext(ctx, `SELECT `+panelColumns+` FROM panels WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load panel %d: %w", id, mapError(err, ""))
	}
	return p, q.fillPanels(ctx, []*evaluation.Panel{p})
}

func (q queries) Panels(ctx context.Context, campaignID int64) ([]*evaluation.Panel, error) {
	list, err := queryList(ctx, q.db, "list panels", scanPanel, `SELECT `+panelColumns+` FROM panels WHERE campaign_id = ? ORDER BY id`, campaignID)
	if err != nil {
		return nil, err
	}
	return list, q.fillPanels(ctx, list)
}

func (q queries) PanelOfProject(ctx context.Context, projectID int64) (*evaluation.Panel, error) {
	var id int64
	if err := q.db.QueryRowContext(ctx, `SELECT panel_id FROM panel_projects WHERE project_id = ?`, projectID).Scan(&id); err != nil {
		return nil, fmt.Errorf("load panel of project %d: %w", projectID, mapError(err, ""))
	}
	return q.Panel(ctx, id)
}

func (q queries) MemberPanels(ctx context.Context, expertID int64) ([]*evaluation.Panel, error) {
	list, err := queryList(ctx, q.db, "list panels of expert", scanPanel, `SELECT `+panelColumns+` FROM panels
		WHERE id IN (SELECT panel_id FROM panel_members WHERE expert_id = ? AND status IN ('invited', 'accepted', 'declined'))
		ORDER BY id DESC`, expertID)
	if err != nil {
		return nil, err
	}
	return list, q.fillPanels(ctx, list)
}

const drawColumns = `id, campaign_id, agency_id, COALESCE(panel_id, 0), kind, seed, input, pool_hash, result, created_by, created_at`

func scanDraw(row scanner) (*evaluation.DrawRecord, error) {
	r := &evaluation.DrawRecord{}
	err := row.Scan(&r.ID, &r.CampaignID, &r.AgencyID, &r.PanelID, &r.Kind, &r.Seed, &r.Input, &r.PoolHash, &r.Result,
		&r.CreatedBy, timeScan{&r.CreatedAt})
	return r, err
}

func (q queries) DrawRecord(ctx context.Context, id int64) (*evaluation.DrawRecord, error) {
	r, err := scanDraw(q.db.QueryRowContext(ctx, `SELECT `+drawColumns+` FROM draws WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load draw %d: %w", id, mapError(err, ""))
	}
	return r, nil
}

func (q queries) DrawRecords(ctx context.Context, campaignID int64) ([]*evaluation.DrawRecord, error) {
	return queryList(ctx, q.db, "list draws", scanDraw, `SELECT `+drawColumns+` FROM draws WHERE campaign_id = ? ORDER BY id`, campaignID)
}

// PanelDrawRecords lists the draw that formed a panel (its panel_id), or
// the match: a match record forms many panels and names none, so it is
// found by the projects of its result's assignments.
func (q queries) PanelDrawRecords(ctx context.Context, panelID int64) ([]*evaluation.DrawRecord, error) {
	// The assignments of a match's result, each with its project_id.
	assigned := `SELECT json_extract(a.value, '$.project_id') AS project_id FROM json_each(draws.result, '$.assignments') AS a`
	if q.pg {
		assigned = `SELECT (a ->> 'project_id')::bigint AS project_id FROM jsonb_array_elements(draws.result::jsonb -> 'assignments') AS a`
	}
	return queryList(ctx, q.db, "list draws of panel", scanDraw, `SELECT `+drawColumns+` FROM draws WHERE panel_id = ?
		UNION ALL
		SELECT `+drawColumns+` FROM draws WHERE kind = 'match' AND panel_id IS NULL
			AND campaign_id = (SELECT campaign_id FROM panels WHERE id = ?)
			AND EXISTS (SELECT 1 FROM (`+assigned+`) AS a
				JOIN panel_projects AS pp ON pp.project_id = a.project_id
				WHERE pp.panel_id = ?)
		ORDER BY id`, panelID, panelID, panelID)
}

func (q queries) PoolRecords(ctx context.Context, campaignID int64, year int) ([]*evaluation.PoolExpert, error) {
	experts, err := queryList(ctx, q.db, "list pool", scanExpert, `SELECT `+expertColumns+` FROM experts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	pool := make([]*evaluation.PoolExpert, len(experts))
	byID := map[int64]*evaluation.PoolExpert{}
	for i, e := range experts {
		pool[i] = &evaluation.PoolExpert{Expert: *e}
		byID[e.ID] = pool[i]
	}
	declared, err := queryList(ctx, q.db, "list declared conflicts", func(row scanner) (*evaluation.ExpertConflict, error) {
		d := &evaluation.ExpertConflict{}
		return d, row.Scan(&d.ID, &d.ExpertID, &d.ProjectID, &d.Person, &d.Institution, &d.Year, &d.Note)
	}, `SELECT id, expert_id, COALESCE(project_id, 0), person, institution, year, note FROM expert_conflicts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for _, d := range declared {
		if e := byID[d.ExpertID]; e != nil {
			e.Declared = append(e.Declared, d)
		}
	}
	collabs, err := queryList(ctx, q.db, "list collaborations", func(row scanner) (*evaluation.ExpertCollaboration, error) {
		c := &evaluation.ExpertCollaboration{}
		return c, row.Scan(&c.ID, &c.ExpertID, &c.Kind, &c.Person, &c.Institution, &c.Year, &c.Note)
	}, `SELECT id, expert_id, kind, person, institution, year, note FROM expert_collaborations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for _, c := range collabs {
		if e := byID[c.ExpertID]; e != nil {
			e.Collaborations = append(e.Collaborations, c)
		}
	}
	// Loads: projects on panels where the expert holds a seat, in this
	// campaign and in campaigns of the year.
	type load struct {
		expert             int64
		campaign, yearLoad int
	}
	loads, err := queryList(ctx, q.db, "count loads", func(row scanner) (load, error) {
		var l load
		return l, row.Scan(&l.expert, &l.campaign, &l.yearLoad)
	}, `SELECT m.expert_id, SUM(CASE WHEN c.id = ? THEN 1 ELSE 0 END), COUNT(*)
		FROM panel_members m JOIN panels p ON p.id = m.panel_id JOIN panel_projects pp ON pp.panel_id = p.id
		JOIN campaigns c ON c.id = p.campaign_id
		WHERE m.status IN ('proposed', 'invited', 'accepted') AND c.year = ?
		GROUP BY m.expert_id`, campaignID, year)
	if err != nil {
		return nil, err
	}
	for _, l := range loads {
		if e := byID[l.expert]; e != nil {
			e.LoadCampaign, e.LoadYear = l.campaign, l.yearLoad
		}
	}
	return pool, nil
}

func (q queries) Aliases(ctx context.Context) (map[string]string, error) {
	type pair struct{ alias, canonical string }
	list, err := queryList(ctx, q.db, "list aliases", func(row scanner) (pair, error) {
		var p pair
		return p, row.Scan(&p.alias, &p.canonical)
	}, `SELECT alias, canonical FROM institution_aliases ORDER BY alias`)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, p := range list {
		m[p.alias] = p.canonical
	}
	return m, nil
}

func (t *tx) CreatePanel(ctx context.Context, p *evaluation.Panel) error {
	id, err := insertID(ctx, t.db, `INSERT INTO panels (campaign_id, agency_id, name, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, p.CampaignID, p.AgencyID, p.Name, p.State, formatTime(p.CreatedAt), formatTime(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create panel: %w", mapError(err, ""))
	}
	p.ID = id
	for _, id := range p.ProjectIDs {
		if _, err := t.db.ExecContext(ctx, `INSERT INTO panel_projects (panel_id, project_id) VALUES (?, ?)`, p.ID, id); err != nil {
			return fmt.Errorf("add project %d to panel %d: %w", id, p.ID, mapError(err, "project"))
		}
	}
	return nil
}

func (t *tx) UpdatePanelState(ctx context.Context, id int64, state evaluation.PanelState, at time.Time) error {
	res, err := t.db.ExecContext(ctx, `UPDATE panels SET state = ?, updated_at = ? WHERE id = ?`, state, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("update panel %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "update panel", id)
}

func (t *tx) AddPanelMember(ctx context.Context, m *evaluation.PanelMember) error {
	id, err := insertID(ctx, t.db, `INSERT INTO panel_members (panel_id, expert_id, seat, chair, status, alternate_rank,
		source, override, decline_reason, due, invited_at, responded_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.PanelID, m.ExpertID, m.Seat, boolInt(m.Chair), m.Status, m.AlternateRank, m.Source, m.Override, m.DeclineReason, m.Due,
		nullTime(m.InvitedAt), nullTime(m.RespondedAt), formatTime(m.CreatedAt))
	if err != nil {
		return fmt.Errorf("add expert %d to panel %d: %w", m.ExpertID, m.PanelID, mapError(err, "expert_id"))
	}
	m.ID = id
	return nil
}

// panelMemberRows is the most members AddPanelMembers inserts in one
// statement: 13 values a row, within SQLite's 32,766 variables (PostgreSQL
// allows 65,535).
const panelMemberRows = 2000

// AddPanelMembers inserts members in their order, in as few statements as
// the variables allow: a match forms thousands of panels at once, and a
// statement costs more than the row. The ids come back by RETURNING, whose
// rows neither database promises in the order of the VALUES, so each is
// matched to its member by panel and expert (unique together).
func (t *tx) AddPanelMembers(ctx context.Context, members []*evaluation.PanelMember) error {
	for len(members) > 0 {
		batch := members[:min(len(members), panelMemberRows)]
		members = members[len(batch):]
		if err := t.addPanelMembers(ctx, batch); err != nil {
			return fmt.Errorf("add %d experts to panel %d: %w", len(batch), batch[0].PanelID, mapError(err, "expert_id"))
		}
	}
	return nil
}

func (t *tx) addPanelMembers(ctx context.Context, batch []*evaluation.PanelMember) error {
	var b strings.Builder
	b.WriteString(`INSERT INTO panel_members (panel_id, expert_id, seat, chair, status, alternate_rank,
		source, override, decline_reason, due, invited_at, responded_at, created_at) VALUES `)
	args := make([]any, 0, 13*len(batch))
	type key struct{ panel, expert int64 }
	byKey := make(map[key]*evaluation.PanelMember, len(batch))
	for i, m := range batch {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, m.PanelID, m.ExpertID, m.Seat, boolInt(m.Chair), m.Status, m.AlternateRank, m.Source, m.Override,
			m.DeclineReason, m.Due, nullTime(m.InvitedAt), nullTime(m.RespondedAt), formatTime(m.CreatedAt))
		byKey[key{m.PanelID, m.ExpertID}] = m
	}
	b.WriteString(` RETURNING id, panel_id, expert_id`)
	rows, err := t.db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var k key
		if err := rows.Scan(&id, &k.panel, &k.expert); err != nil {
			return err
		}
		m := byKey[k]
		if m == nil {
			return fmt.Errorf("inserted expert %d on panel %d, which was not asked for", k.expert, k.panel)
		}
		m.ID = id
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n != len(batch) {
		return fmt.Errorf("%d rows inserted, want %d", n, len(batch))
	}
	return nil
}

func (t *tx) UpdatePanelMember(ctx context.Context, m *evaluation.PanelMember) error {
	res, err := t.db.ExecContext(ctx, `UPDATE panel_members SET seat = ?, chair = ?, status = ?, alternate_rank = ?,
		override = ?, decline_reason = ?, due = ?, invited_at = ?, responded_at = ? WHERE id = ? AND panel_id = ?`,
		m.Seat, boolInt(m.Chair), m.Status, m.AlternateRank, m.Override, m.DeclineReason, m.Due, nullTime(m.InvitedAt),
		nullTime(m.RespondedAt), m.ID, m.PanelID)
	if err != nil {
		return fmt.Errorf("update panel member %d: %w", m.ID, mapError(err, ""))
	}
	return mustAffect(res, "update panel member", m.ID)
}

func (t *tx) CreateDrawRecord(ctx context.Context, r *evaluation.DrawRecord) error {
	var panel any
	if r.PanelID != 0 {
		panel = r.PanelID
	}
	id, err := insertID(ctx, t.db, `INSERT INTO draws (campaign_id, agency_id, panel_id, kind, seed, input, pool_hash,
		result, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CampaignID, r.AgencyID, panel, r.Kind, r.Seed,
		r.Input, r.PoolHash, r.Result, r.CreatedBy, formatTime(r.CreatedAt))
	if err != nil {
		return fmt.Errorf("record draw: %w", mapError(err, ""))
	}
	r.ID = id
	return nil
}

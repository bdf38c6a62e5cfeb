package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

// projectDetails is the part of a project kept as JSON: fields that are
// shown and checked but never filtered on.
type projectDetails struct {
	Participants []string            `json:"participants"`
	PI           evaluation.Member   `json:"pi"`
	Members      []evaluation.Member `json:"members"`
	Budget       int64               `json:"budget"`
	Spent        int64               `json:"spent"`
	Start        string              `json:"start,omitempty"`
	End          string              `json:"end,omitempty"`
	SubjectCodes []string            `json:"subject_codes"`
	Keywords     []string            `json:"keywords"`
	Methods      []evaluation.Method `json:"methods"`
	Promotion    bool                `json:"promotion"`
	Avoid        []evaluation.Avoid  `json:"avoid"`
}

const projectColumns = `id, campaign_id, agency_id, code, title, class, lead_institution, details,
	coalesce((SELECT panel_id FROM panel_projects WHERE project_id = projects.id), 0), created_at, updated_at`

func scanProject(row scanner) (*evaluation.Project, error) {
	p := &evaluation.Project{}
	var details string
	if err := row.Scan(&p.ID, &p.CampaignID, &p.AgencyID, &p.Code, &p.Title, &p.Class, &p.Lead, &details, &p.PanelID,
		timeScan{&p.CreatedAt}, timeScan{&p.UpdatedAt}); err != nil {
		return nil, err
	}
	d, err := decodeProjectDetails(details)
	if err != nil {
		return nil, fmt.Errorf("decode project %d: %w", p.ID, err)
	}
	p.Participants, p.PI, p.Members, p.Budget, p.Spent = d.Participants, d.PI, d.Members, d.Budget, d.Spent
	p.Start, p.End, p.SubjectCodes, p.Keywords = d.Start, d.End, d.SubjectCodes, d.Keywords
	p.Methods, p.Promotion, p.Avoid = d.Methods, d.Promotion, d.Avoid
	// A list left out when the project was written reads as an empty
	// list, not a missing one: the API sends it as [] rather than null.
	p.Participants, p.Members, p.SubjectCodes = orEmpty(p.Participants), orEmpty(p.Members), orEmpty(p.SubjectCodes)
	p.Keywords, p.Methods, p.Avoid = orEmpty(p.Keywords), orEmpty(p.Methods), orEmpty(p.Avoid)
	return p, nil
}

// orEmpty returns list, or an empty list for nil.
func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

func detailsJSON(p *evaluation.Project) (string, error) {
	b, err := json.Marshal(projectDetails{Participants: p.Participants, PI: p.PI, Members: p.Members, Budget: p.Budget,
		Spent: p.Spent, Start: p.Start, End: p.End, SubjectCodes: p.SubjectCodes, Keywords: p.Keywords, Methods: p.Methods,
		Promotion: p.Promotion, Avoid: p.Avoid})
	if err != nil {
		return "", fmt.Errorf("encode project %q: %w", p.Code, err)
	}
	return string(b), nil
}

func (q queries) Project(ctx context.Context, id int64) (*evaluation.Project, error) {
	p, err := scanProject(q.db.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load project %d: %w", id, mapError(err, ""))
	}
	return p, q.loadIndicators(ctx, p)
}

func (q queries) ProjectByCode(ctx context.Context, campaignID int64, code string) (*evaluation.Project, error) {
	p, err := scanProject(q.db.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects WHERE campaign_id = ? AND code = ?`,
		campaignID, code))
	if err != nil {
		return nil, fmt.Errorf("load project %q: %w", code, mapError(err, ""))
	}
	return p, q.loadIndicators(ctx, p)
}

var projectSorts = map[string]string{"code": "code", "title": "title", "class": "class", "lead": "lead_institution", "updated": "updated_at"}

func (q queries) Projects(ctx context.Context, f evaluation.ProjectFilter) ([]*evaluation.Project, int, error) {
	var w where
	if f.CampaignID != 0 {
		w.add("campaign_id = ?", f.CampaignID)
	}
	if f.AgencyID != 0 {
		w.add("agency_id = ?", f.AgencyID)
	}
	if f.Class != "" {
		w.add("class = ?", f.Class)
	}
	if f.Paneled != nil {
		not := "NOT "
		if *f.Paneled {
			not = ""
		}
		w.add(not + "EXISTS (SELECT 1 FROM panel_projects WHERE project_id = projects.id)")
	}
	if f.Query != "" {
		w.add(`(lower(code) LIKE ? ESCAPE '\' OR lower(title) LIKE ? ESCAPE '\' OR lower(lead_institution) LIKE ? ESCAPE '\')`,
			like(f.Query), like(f.Query), like(f.Query))
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM projects`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count projects: %w", err)
	}
	list, err := queryList(ctx, q.db, "list projects", scanProject, `SELECT `+projectColumns+` FROM projects`+w.String()+
		q.orderBy(f.Sort, projectSorts, "code")+` LIMIT ? OFFSET ?`, append(w.args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

const indicatorColumns = `id, seq, name, kind, main, target, actual, evidence, status, status_from`

func scanIndicator(row scanner) (evaluation.Indicator, error) {
	var in evaluation.Indicator
	var target, actual string
	if err := row.Scan(&in.ID, &in.Seq, &in.Name, &in.Kind, &in.Main, &target, &actual, &in.Evidence, &in.Status, &in.StatusFrom); err != nil {
		return in, err
	}
	if err := json.Unmarshal([]byte(target), &in.Target); err != nil {
		return in, fmt.Errorf("decode target of indicator %d: %w", in.ID, err)
	}
	if actual != "" {
		if err := json.Unmarshal([]byte(actual), &in.Actual); err != nil {
			return in, fmt.Errorf("decode result of indicator %d: %w", in.ID, err)
		}
	}
	return in, nil
}

func (q queries) loadIndicators(ctx context.Context, p *evaluation.Project) error {
	// +?: see the package doc.
	list, err := queryList(ctx, q.db, "list indicators", scanIndicator,
		`SELECT `+indicatorColumns+` FROM indicators WHERE project_id = +? ORDER BY seq`, p.ID)
	p.Indicators = orEmpty(list)
	return err
}

func (t *tx) CreateProject(ctx context.Context, p *evaluation.Project) error {
	details, err := detailsJSON(p)
	if err != nil {
		return err
	}
	id, err := insertID(ctx, t.db, `INSERT INTO projects (campaign_id, agency_id, code, title, class, lead_institution,
		details, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.CampaignID, p.AgencyID, p.Code, p.Title, p.Class, p.Lead, details, formatTime(p.CreatedAt), formatTime(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create project %q: %w", p.Code, mapError(err, "code"))
	}
	p.ID = id
	for i := range p.Indicators {
		if err := t.insertIndicator(ctx, p.ID, &p.Indicators[i]); err != nil {
			return err
		}
	}
	return nil
}

func indicatorJSON(in *evaluation.Indicator) (target, actual string, err error) {
	tb, err := json.Marshal(in.Target)
	if err != nil {
		return "", "", err
	}
	ab, err := json.Marshal(in.Actual)
	return string(tb), string(ab), err
}

func (t *tx) insertIndicator(ctx context.Context, projectID int64, in *evaluation.Indicator) error {
	target, actual, err := indicatorJSON(in)
	if err != nil {
		return fmt.Errorf("encode indicator %q: %w", in.Name, err)
	}
	id, err := insertID(ctx, t.db, `INSERT INTO indicators (project_id, seq, name, kind, main, target, actual, evidence,
		status, status_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		projectID, in.Seq, in.Name, in.Kind, boolInt(in.Main), target, actual, in.Evidence, in.Status, in.StatusFrom)
	if err != nil {
		return fmt.Errorf("create indicator %q: %w", in.Name, mapError(err, ""))
	}
	in.ID = id
	return nil
}

func (t *tx) UpdateIndicator(ctx context.Context, projectID int64, in *evaluation.Indicator) error {
	target, actual, err := indicatorJSON(in)
	if err != nil {
		return fmt.Errorf("encode indicator %q: %w", in.Name, err)
	}
	res, err := t.db.ExecContext(ctx, `UPDATE indicators SET seq = ?, name = ?, kind = ?, main = ?, target = ?, actual = ?,
		evidence = ?, status = ?, status_from = ? WHERE id = ? AND project_id = ?`,
		in.Seq, in.Name, in.Kind, boolInt(in.Main), target, actual, in.Evidence, in.Status, in.StatusFrom, in.ID, projectID)
	if err != nil {
		return fmt.Errorf("update indicator %d: %w", in.ID, mapError(err, ""))
	}
	return mustAffect(res, "update indicator", in.ID)
}

func (t *tx) UpdateProject(ctx context.Context, p *evaluation.Project) error {
	details, err := detailsJSON(p)
	if err != nil {
		return err
	}
	res, err := t.db.ExecContext(ctx, `UPDATE projects SET code = ?, title = ?, class = ?, lead_institution = ?, details = ?,
		updated_at = ? WHERE id = ?`, p.Code, p.Title, p.Class, p.Lead, details, formatTime(p.UpdatedAt), p.ID)
	if err != nil {
		return fmt.Errorf("update project %d: %w", p.ID, mapError(err, "code"))
	}
	if err := mustAffect(res, "update project", p.ID); err != nil {
		return err
	}
	// Sequence numbers are unique per project: move the kept ones out of
	// the way first, then write them in their new order.
	if _, err := t.db.ExecContext(ctx, `UPDATE indicators SET seq = -seq WHERE project_id = ?`, p.ID); err != nil {
		return fmt.Errorf("renumber indicators of project %d: %w", p.ID, err)
	}
	keep := map[int64]bool{}
	for i := range p.Indicators {
		in := &p.Indicators[i]
		if in.ID != 0 {
			keep[in.ID] = true
			if err := t.UpdateIndicator(ctx, p.ID, in); err != nil {
				return err
			}
			continue
		}
		if err := t.insertIndicator(ctx, p.ID, in); err != nil {
			return err
		}
		keep[in.ID] = true
	}
	stored, err := queryList(ctx, t.db, "list indicator ids", func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `SELECT id FROM indicators WHERE project_id = ?`, p.ID)
	if err != nil {
		return err
	}
	for _, id := range stored {
		if !keep[id] {
			if _, err := t.db.ExecContext(ctx, `DELETE FROM indicators WHERE id = ?`, id); err != nil {
				return fmt.Errorf("delete indicator %d: %w", id, mapError(err, ""))
			}
		}
	}
	return nil
}

func (t *tx) DeleteProject(ctx context.Context, id int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM projects WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete project %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "delete project", id)
}

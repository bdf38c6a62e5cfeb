package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

const expertColumns = `id, name, type, institution, title, title_level, subject_codes, keywords, region, languages,
	email, can_be_drawn, no_draw_reason, created_at, updated_at`

// jsonList scans a JSON array of strings.
type jsonList struct{ v *[]string }

func (j jsonList) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case string:
		b = []byte(s)
	case []byte:
		b = s
	case nil:
		*j.v = nil
		return nil
	default:
		return fmt.Errorf("scan list: unexpected %T", src)
	}
	return json.Unmarshal(b, j.v)
}

func listJSON(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func scanExpert(row scanner) (*evaluation.Expert, error) {
	e := &evaluation.Expert{}
	err := row.Scan(&e.ID, &e.Name, &e.Type, &e.Institution, &e.Title, &e.TitleLevel, jsonList{&e.SubjectCodes},
		jsonList{&e.Keywords}, &e.Region, jsonList{&e.Languages}, &e.Email, &e.CanBeDrawn, &e.NoDrawReason,
		timeScan{&e.CreatedAt}, timeScan{&e.UpdatedAt})
	return e, err
}

func (q queries) Expert(ctx context.Context, id int64) (*evaluation.Expert, error) {
	e, err := scanExpert(q.db.QueryRowContext(ctx, `SELECT `+expertColumns+` FROM experts WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load expert %d: %w", id, mapError(err, ""))
	}
	return e, nil
}

// seatedLoad counts, per expert, the projects of the panels on which they
// hold a seat in campaigns of a year (the one argument). A project is on
// at most one panel and an expert at most once on a panel, so each row of
// the join is one project reviewed.
const seatedLoad = `SELECT m.expert_id, count(*) AS n
	FROM panel_members m
	JOIN panels p ON p.id = m.panel_id
	JOIN panel_projects pp ON pp.panel_id = m.panel_id
	JOIN campaigns c ON c.id = p.campaign_id
	WHERE m.status IN ('proposed', 'invited', 'accepted') AND c.year = ?`

var expertSorts = map[string]string{
	"name":        "name",
	"type":        "type",
	"institution": "institution",
	"region":      "region",
	"load":        "load_n",
	"created":     "created_at",
	"updated":     "updated_at",
}

func (q queries) Experts(ctx context.Context, f evaluation.ExpertFilter) ([]*evaluation.ExpertSummary, int, error) {
	var w where
	if f.Query != "" {
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR lower(institution) LIKE ? ESCAPE '\' OR lower(keywords) LIKE ? ESCAPE '\')`,
			like(f.Query), like(f.Query), like(f.Query))
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	if f.NotType != "" {
		w.add("type <> ?", f.NotType)
	}
	if f.Region != "" {
		w.add("region = ?", f.Region)
	}
	if f.Drawable != nil {
		w.add("can_be_drawn = ?", boolInt(*f.Drawable))
	}
	if f.Subject != "" {
		// Every code in the stored JSON array follows a quote, so this
		// matches the codes that start with the prefix.
		w.add(`subject_codes LIKE ? ESCAPE '\'`, `%"`+likeEscaper.Replace(f.Subject)+`%`)
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM experts`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count experts: %w", err)
	}
	// One statement: the loads of the year are grouped once and joined.
	args := append([]any{f.Year}, w.args...)
	list, err := queryList(ctx, q.db, "list experts", func(row scanner) (*evaluation.ExpertSummary, error) {
		s := &evaluation.ExpertSummary{LoadYear: f.Year}
		e := &s.Expert
		err := row.Scan(&e.ID, &e.Name, &e.Type, &e.Institution, &e.Title, &e.TitleLevel, jsonList{&e.SubjectCodes},
			jsonList{&e.Keywords}, &e.Region, jsonList{&e.Languages}, &e.Email, &e.CanBeDrawn, &e.NoDrawReason,
			timeScan{&e.CreatedAt}, timeScan{&e.UpdatedAt}, &s.Load)
		return s, err
	}, `SELECT `+expertColumns+`, COALESCE(l.n, 0) AS load_n FROM experts
		LEFT JOIN (`+seatedLoad+` GROUP BY m.expert_id) l ON l.expert_id = experts.id`+w.String()+
		q.orderBy(f.Sort, expertSorts, "id")+` LIMIT ? OFFSET ?`, append(args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

func (q queries) ExpertLoads(ctx context.Context, year int, expertIDs ...int64) (map[int64]int, error) {
	query, args := seatedLoad, []any{year}
	if len(expertIDs) > 0 {
		query += ` AND m.expert_id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(expertIDs)), ",") + `)`
		for _, id := range expertIDs {
			args = append(args, id)
		}
	}
	type load struct {
		expert int64
		n      int
	}
	list, err := queryList(ctx, q.db, "count expert loads", func(row scanner) (load, error) {
		var l load
		return l, row.Scan(&l.expert, &l.n)
	}, query+` GROUP BY m.expert_id`, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int, len(list))
	for _, l := range list {
		out[l.expert] = l.n
	}
	return out, nil
}

func (t *tx) CreateExpert(ctx context.Context, e *evaluation.Expert) error {
	id, err := insertID(ctx, t.db, `INSERT INTO experts (name, type, institution, title, title_level, subject_codes,
		keywords, region, languages, email, can_be_drawn, no_draw_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Name, e.Type, e.Institution, e.Title, e.TitleLevel, listJSON(e.SubjectCodes), listJSON(e.Keywords), e.Region,
		listJSON(e.Languages), e.Email, boolInt(e.CanBeDrawn), e.NoDrawReason, formatTime(e.CreatedAt), formatTime(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create expert %q: %w", e.Name, mapError(err, ""))
	}
	e.ID = id
	return nil
}

func (t *tx) UpdateExpert(ctx context.Context, e *evaluation.Expert) error {
	res, err := t.db.ExecContext(ctx, `UPDATE experts SET name = ?, type = ?, institution = ?, title = ?, title_level = ?,
		subject_codes = ?, keywords = ?, region = ?, languages = ?, email = ?, can_be_drawn = ?, no_draw_reason = ?,
		updated_at = ? WHERE id = ?`,
		e.Name, e.Type, e.Institution, e.Title, e.TitleLevel, listJSON(e.SubjectCodes), listJSON(e.Keywords), e.Region,
		listJSON(e.Languages), e.Email, boolInt(e.CanBeDrawn), e.NoDrawReason, formatTime(e.UpdatedAt), e.ID)
	if err != nil {
		return fmt.Errorf("update expert %d: %w", e.ID, mapError(err, ""))
	}
	return mustAffect(res, "update expert", e.ID)
}

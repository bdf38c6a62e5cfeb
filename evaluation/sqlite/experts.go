package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

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

func (q queries) Experts(ctx context.Context, f evaluation.ExpertFilter) ([]*evaluation.Expert, int, error) {
	var w where
	if f.Query != "" {
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR lower(institution) LIKE ? ESCAPE '\' OR lower(keywords) LIKE ? ESCAPE '\')`,
			like(f.Query), like(f.Query), like(f.Query))
	}
	if f.Type != "" {
		w.add("type = ?", f.Type)
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM experts`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count experts: %w", err)
	}
	list, err := queryList(ctx, q.db, "list experts", scanExpert,
		`SELECT `+expertColumns+` FROM experts`+w.String()+` ORDER BY id LIMIT ? OFFSET ?`, append(w.args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

func (t *tx) CreateExpert(ctx context.Context, e *evaluation.Expert) error {
	res, err := t.db.ExecContext(ctx, `INSERT INTO experts (name, type, institution, title, title_level, subject_codes,
		keywords, region, languages, email, can_be_drawn, no_draw_reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Name, e.Type, e.Institution, e.Title, e.TitleLevel, listJSON(e.SubjectCodes), listJSON(e.Keywords), e.Region,
		listJSON(e.Languages), e.Email, boolInt(e.CanBeDrawn), e.NoDrawReason, formatTime(e.CreatedAt), formatTime(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create expert %q: %w", e.Name, mapError(err, ""))
	}
	e.ID, err = res.LastInsertId()
	return err
}

package sqlite

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

func scanExpert(row interface{ Scan(...any) error }) (*evaluation.Expert, error) {
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
	var where []string
	var args []any
	if f.Query != "" {
		where = append(where, `(lower(name) LIKE ? ESCAPE '\' OR lower(institution) LIKE ? ESCAPE '\' OR lower(keywords) LIKE ? ESCAPE '\')`)
		args = append(args, like(f.Query), like(f.Query), like(f.Query))
	}
	if f.Type != "" {
		where = append(where, "type = ?")
		args = append(args, f.Type)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM experts`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count experts: %w", err)
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+expertColumns+` FROM experts`+cond+` ORDER BY id LIMIT ? OFFSET ?`,
		append(args, f.Page.Size, f.Page.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list experts: %w", err)
	}
	defer rows.Close()
	var list []*evaluation.Expert
	for rows.Next() {
		e, err := scanExpert(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list experts: %w", err)
		}
		list = append(list, e)
	}
	return list, total, rows.Err()
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

package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

const rubricColumns = `id, code, version, target, status, content, hash, created_by, created_at, updated_at, published_at`

func scanRubric(row scanner) (*evaluation.Rubric, error) {
	r := &evaluation.Rubric{}
	var content string
	err := row.Scan(&r.ID, &r.Code, &r.Version, &r.Target, &r.Status, &content, &r.Hash, &r.CreatedBy,
		timeScan{&r.CreatedAt}, timeScan{&r.UpdatedAt}, timeScan{&r.PublishedAt})
	if err != nil {
		return nil, err
	}
	r.Content = new(rubrics.Rubric)
	if err := json.Unmarshal([]byte(content), r.Content); err != nil {
		return nil, fmt.Errorf("decode rubric %s v%d: %w", r.Code, r.Version, err)
	}
	return r, nil
}

func (q queries) Rubric(ctx context.Context, code string, version int) (*evaluation.Rubric, error) {
	r, err := scanRubric(q.db.QueryRowContext(ctx, `SELECT `+rubricColumns+` FROM rubrics WHERE code = ? AND version = ?`, code, version))
	if err != nil {
		return nil, fmt.Errorf("load rubric %s v%d: %w", code, version, mapError(err, ""))
	}
	return r, nil
}

func (q queries) Rubrics(ctx context.Context, f evaluation.RubricFilter) ([]*evaluation.Rubric, error) {
	var w where
	if f.Code != "" {
		w.add("code = ?", f.Code)
	}
	if f.Target != "" {
		w.add("target = ?", f.Target)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	return queryList(ctx, q.db, "list rubrics", scanRubric,
		`SELECT `+rubricColumns+` FROM rubrics`+w.String()+` ORDER BY target, code, version DESC`, w.args...)
}

func rubricJSON(r *evaluation.Rubric) (string, error) {
	b, err := json.Marshal(r.Content)
	if err != nil {
		return "", fmt.Errorf("encode rubric %s v%d: %w", r.Code, r.Version, err)
	}
	return string(b), nil
}

func (t *tx) CreateRubric(ctx context.Context, r *evaluation.Rubric) error {
	content, err := rubricJSON(r)
	if err != nil {
		return err
	}
	res, err := t.db.ExecContext(ctx, `INSERT INTO rubrics (code, version, target, status, content, hash, created_by,
		created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Code, r.Version, r.Target, r.Status, content, r.Hash, r.CreatedBy, formatTime(r.CreatedAt), formatTime(r.UpdatedAt),
		nullTime(r.PublishedAt))
	if err != nil {
		return fmt.Errorf("create rubric %s v%d: %w", r.Code, r.Version, mapError(err, "version"))
	}
	r.ID, err = res.LastInsertId()
	return err
}

func (t *tx) UpdateRubric(ctx context.Context, r *evaluation.Rubric) error {
	content, err := rubricJSON(r)
	if err != nil {
		return err
	}
	res, err := t.db.ExecContext(ctx, `UPDATE rubrics SET status = ?, content = ?, hash = ?, updated_at = ?, published_at = ?
		WHERE id = ?`, r.Status, content, r.Hash, formatTime(r.UpdatedAt), nullTime(r.PublishedAt), r.ID)
	if err != nil {
		return fmt.Errorf("update rubric %s v%d: %w", r.Code, r.Version, mapError(err, ""))
	}
	return mustAffect(res, "update rubric", r.ID)
}

func (t *tx) DeleteRubric(ctx context.Context, id int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM rubrics WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete rubric %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "delete rubric", id)
}

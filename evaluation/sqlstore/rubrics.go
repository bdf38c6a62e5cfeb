package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

const rubricColumns = `id, code, version, target, status, content, hash, created_by, created_at, updated_at, published_at`

// rubricContents keeps the decoded content of frozen rubric versions
// (published or retired), which the schema's trigger keeps from ever
// changing: every score sheet save checks against its rubric, and decoding
// a rubric's JSON (two languages of guidance for every indicator) costs
// more than the rest of the save's reads together. The row itself (status,
// times) is still read each time. A cached content is shared by every
// caller: nothing may modify it (the services Clone a rubric's content
// before changing it).
type rubricContents struct {
	mu sync.RWMutex
	m  map[rubricKey]*rubrics.Rubric
}

// rubricKey is a stored version: its row, code, version and the hash of
// the rest of its content, so that an entry cached from a transaction that
// was rolled back can only match a version of identical content.
type rubricKey struct {
	id      int64
	code    string
	version int
	hash    string
}

func newRubricContents() *rubricContents {
	return &rubricContents{m: map[rubricKey]*rubrics.Rubric{}}
}

func (c *rubricContents) get(k rubricKey) *rubrics.Rubric {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[k]
}

func (c *rubricContents) put(k rubricKey, r *rubrics.Rubric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = r
}

// scanRubric scans a rubric row, decoding its content unless the cache
// has it.
func (q queries) scanRubric(row scanner) (*evaluation.Rubric, error) {
	r := &evaluation.Rubric{}
	var content string
	err := row.Scan(&r.ID, &r.Code, &r.Version, &r.Target, &r.Status, &content, &r.Hash, &r.CreatedBy,
		timeScan{&r.CreatedAt}, timeScan{&r.UpdatedAt}, timeScan{&r.PublishedAt})
	if err != nil {
		return nil, err
	}
	frozen, key := r.Status != evaluation.RubricDraft, rubricKey{r.ID, r.Code, r.Version, r.Hash}
	if frozen {
		if r.Content = q.rubrics.get(key); r.Content != nil {
			return r, nil
		}
	}
	r.Content = new(rubrics.Rubric)
	if err := json.Unmarshal([]byte(content), r.Content); err != nil {
		return nil, fmt.Errorf("decode rubric %s v%d: %w", r.Code, r.Version, err)
	}
	if frozen {
		q.rubrics.put(key, r.Content)
	}
	return r, nil
}

// Rubric returns a rubric version. The content of a published or retired
// version is shared (see rubricContents): callers must not modify it.
func (q queries) Rubric(ctx context.Context, code string, version int) (*evaluation.Rubric, error) {
	r, err := q.scanRubric(q.db.QueryRowContext(ctx, `SELECT `+rubricColumns+` FROM rubrics WHERE code = ? AND version = ?`, code, version))
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
	return queryList(ctx, q.db, "list rubrics", q.scanRubric,
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
	id, err := insertID(ctx, t.db, `INSERT INTO rubrics (code, version, target, status, content, hash, created_by,
		created_at, updated_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Code, r.Version, r.Target, r.Status, content, r.Hash, r.CreatedBy, formatTime(r.CreatedAt), formatTime(r.UpdatedAt),
		nullTime(r.PublishedAt))
	if err != nil {
		return fmt.Errorf("create rubric %s v%d: %w", r.Code, r.Version, mapError(err, "version"))
	}
	r.ID = id
	return nil
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

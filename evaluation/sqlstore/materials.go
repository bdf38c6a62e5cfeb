package sqlstore

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

const materialColumns = `m.id, m.project_id, m.agency_id, m.kind, m.filename, m.sha256, m.size, m.content_type,
	m.uploaded_by, COALESCE(u.username, ''), m.uploaded_at`

const materialFrom = ` FROM materials m LEFT JOIN users u ON u.id = m.uploaded_by`

func scanMaterial(row scanner) (*evaluation.Material, error) {
	m := &evaluation.Material{}
	err := row.Scan(&m.ID, &m.ProjectID, &m.AgencyID, &m.Kind, &m.Filename, &m.SHA256, &m.Size, &m.ContentType,
		&m.UploadedBy, &m.UploadedByName, timeScan{&m.UploadedAt})
	return m, err
}

func (q queries) Material(ctx context.Context, id int64) (*evaluation.Material, error) {
	m, err := scanMaterial(q.db.QueryRowContext(ctx, `SELECT `+materialColumns+materialFrom+` WHERE m.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load material %d: %w", id, mapError(err, ""))
	}
	return m, nil
}

func (q queries) Materials(ctx context.Context, projectID int64) ([]*evaluation.Material, error) {
	return queryList(ctx, q.db, "list materials", scanMaterial,
		`SELECT `+materialColumns+materialFrom+` WHERE m.project_id = ? ORDER BY m.uploaded_at DESC, m.id DESC`, projectID)
}

func (q queries) MaterialBySHA256(ctx context.Context, projectID int64, sha256 string) (*evaluation.Material, error) {
	m, err := scanMaterial(q.db.QueryRowContext(ctx, `SELECT `+materialColumns+materialFrom+
		` WHERE m.project_id = ? AND m.sha256 = ? ORDER BY m.id LIMIT 1`, projectID, sha256))
	if err != nil {
		return nil, fmt.Errorf("load material of project %d by hash: %w", projectID, mapError(err, ""))
	}
	return m, nil
}

func (t *tx) CreateMaterial(ctx context.Context, m *evaluation.Material) error {
	id, err := insertID(ctx, t.db, `INSERT INTO materials (project_id, agency_id, kind, filename, sha256, size, content_type,
		uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ProjectID, m.AgencyID, m.Kind, m.Filename, m.SHA256, m.Size, m.ContentType, m.UploadedBy, formatTime(m.UploadedAt))
	if err != nil {
		return fmt.Errorf("create material %q: %w", m.Filename, mapError(err, ""))
	}
	m.ID = id
	return nil
}

func (t *tx) DeleteMaterial(ctx context.Context, id int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM materials WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete material %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "delete material", id)
}

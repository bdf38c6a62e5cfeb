package sqlstore

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

const agencyColumns = `id, code, name_zh, name_en, disabled, created_at, updated_at`

func scanAgency(row scanner) (*evaluation.Agency, error) {
	a := &evaluation.Agency{}
	err := row.Scan(&a.ID, &a.Code, &a.NameZH, &a.NameEN, &a.Disabled, timeScan{&a.CreatedAt}, timeScan{&a.UpdatedAt})
	return a, err
}

func (q queries) Agency(ctx context.Context, id int64) (*evaluation.Agency, error) {
	a, err := scanAgency(q.db.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load agency %d: %w", id, mapError(err, ""))
	}
	return a, nil
}

func (q queries) AgencyByCode(ctx context.Context, code string) (*evaluation.Agency, error) {
	a, err := scanAgency(q.db.QueryRowContext(ctx, `SELECT `+agencyColumns+` FROM agencies WHERE code = ?`, code))
	if err != nil {
		return nil, fmt.Errorf("load agency %q: %w", code, mapError(err, ""))
	}
	return a, nil
}

func (q queries) Agencies(ctx context.Context) ([]*evaluation.Agency, error) {
	return queryList(ctx, q.db, "list agencies", scanAgency, `SELECT `+agencyColumns+` FROM agencies ORDER BY code`)
}

func (t *tx) CreateAgency(ctx context.Context, a *evaluation.Agency) error {
	id, err := insertID(ctx, t.db, `INSERT INTO agencies (code, name_zh, name_en, disabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, a.Code, a.NameZH, a.NameEN, boolInt(a.Disabled), formatTime(a.CreatedAt), formatTime(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create agency %q: %w", a.Code, mapError(err, "code"))
	}
	a.ID = id
	return nil
}

func (t *tx) UpdateAgency(ctx context.Context, a *evaluation.Agency) error {
	res, err := t.db.ExecContext(ctx, `UPDATE agencies SET name_zh = ?, name_en = ?, disabled = ?, updated_at = ? WHERE id = ?`,
		a.NameZH, a.NameEN, boolInt(a.Disabled), formatTime(a.UpdatedAt), a.ID)
	if err != nil {
		return fmt.Errorf("update agency %d: %w", a.ID, mapError(err, ""))
	}
	return mustAffect(res, "update agency", a.ID)
}

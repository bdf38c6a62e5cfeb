package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

const tokenColumns = `id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at`

func scanToken(row scanner) (*evaluation.APIToken, error) {
	t := &evaluation.APIToken{}
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Prefix, timeScan{&t.CreatedAt}, timeScan{&t.ExpiresAt},
		timeScan{&t.LastUsedAt}, timeScan{&t.RevokedAt})
	return t, err
}

func (q queries) Token(ctx context.Context, id int64) (*evaluation.APIToken, error) {
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load token %d: %w", id, mapError(err, ""))
	}
	return t, nil
}

func (q queries) TokenByHash(ctx context.Context, hash string) (*evaluation.APIToken, error) {
	t, err := scanToken(q.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, fmt.Errorf("load token by hash: %w", mapError(err, ""))
	}
	return t, nil
}

func (q queries) Tokens(ctx context.Context, userID int64) ([]*evaluation.APIToken, error) {
	return queryList(ctx, q.db, fmt.Sprintf("list tokens of user %d", userID), scanToken,
		`SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
}

func (t *tx) CreateToken(ctx context.Context, tok *evaluation.APIToken, hash string) error {
	id, err := insertID(ctx, t.db, `INSERT INTO api_tokens (user_id, name, hash, prefix, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tok.UserID, tok.Name, hash, tok.Prefix, formatTime(tok.CreatedAt), formatTime(tok.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create token: %w", mapError(err, ""))
	}
	tok.ID = id
	return nil
}

func (t *tx) TouchToken(ctx context.Context, id int64, at time.Time) error {
	res, err := t.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("touch token %d: %w", id, err)
	}
	return mustAffect(res, "touch token", id)
}

func (t *tx) RevokeUserTokens(ctx context.Context, userID int64, at time.Time) (int, error) {
	res, err := t.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, formatTime(at), userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens of user %d: %w", userID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

func (t *tx) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	res, err := t.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, formatTime(at), id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return mustAffect(res, "revoke token", id)
}

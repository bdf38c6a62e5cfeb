package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

const userColumns = `u.id, u.username, u.name, u.email, u.role, COALESCE(u.agency_id, 0), COALESCE(a.code, ''),
	COALESCE(a.disabled, 0), COALESCE(u.expert_id, 0), u.language, u.password_hash, u.disabled,
	u.created_at, u.updated_at, u.last_login_at, u.credentials_version`

const userFrom = ` FROM users u LEFT JOIN agencies a ON a.id = u.agency_id`

func scanUser(row scanner) (*evaluation.User, error) {
	u := &evaluation.User{}
	err := row.Scan(&u.ID, &u.Username, &u.Name, &u.Email, &u.Role, &u.AgencyID, &u.AgencyCode,
		&u.AgencyDisabled, &u.ExpertID, &u.Language, &u.PasswordHash, &u.Disabled,
		timeScan{&u.CreatedAt}, timeScan{&u.UpdatedAt}, timeScan{&u.LastLoginAt}, &u.CredentialsVersion)
	return u, err
}

func (q queries) User(ctx context.Context, id int64) (*evaluation.User, error) {
	// +?: see the package doc.
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.id = +?`, id))
	if err != nil {
		return nil, fmt.Errorf("load user %d: %w", id, mapError(err, ""))
	}
	return u, nil
}

func (q queries) UserByUsername(ctx context.Context, username string) (*evaluation.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.username = ?`, username))
	if err != nil {
		return nil, fmt.Errorf("load user %q: %w", username, mapError(err, ""))
	}
	return u, nil
}

func (q queries) UserByExpert(ctx context.Context, expertID int64) (*evaluation.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+` WHERE u.expert_id = ?`, expertID))
	if err != nil {
		return nil, fmt.Errorf("load user of expert %d: %w", expertID, mapError(err, ""))
	}
	return u, nil
}

var userSorts = map[string]string{
	"username": "u.username",
	"name":     "u.name",
	"role":     "u.role",
	"agency":   "a.code",
	"created":  "u.created_at",
	"login":    "u.last_login_at",
}

func (q queries) Users(ctx context.Context, f evaluation.UserFilter) ([]*evaluation.User, int, error) {
	var w where
	if f.Query != "" {
		w.add(`(lower(u.username) LIKE ? ESCAPE '\' OR lower(u.name) LIKE ? ESCAPE '\')`, like(f.Query), like(f.Query))
	}
	if f.Role != "" {
		w.add("u.role = ?", f.Role)
	}
	if f.AgencyID != 0 {
		w.add("u.agency_id = ?", f.AgencyID)
	}
	if f.Disabled != nil {
		w.add("u.disabled = ?", boolInt(*f.Disabled))
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*)`+userFrom+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	list, err := queryList(ctx, q.db, "list users", scanUser, `SELECT `+userColumns+userFrom+w.String()+
		q.orderBy(f.Sort, userSorts, "u.username")+` LIMIT ? OFFSET ?`, append(w.args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

// orderBy returns an ORDER BY clause for a sort key from the allow-list,
// with "-" for descending and the id as the tie-breaker so pages are stable.
// Empty values (NULL: never signed in, no rate yet) come first going up and
// last going down, as SQLite sorts them; PostgreSQL is told so.
func (q queries) orderBy(sort string, allowed map[string]string, fallback string) string {
	dir, nulls := " ASC", " NULLS FIRST"
	if strings.HasPrefix(sort, "-") {
		sort, dir, nulls = sort[1:], " DESC", " NULLS LAST"
	}
	col, ok := allowed[sort]
	if !ok {
		col, dir, nulls = fallback, " ASC", " NULLS FIRST"
	}
	if !q.pg {
		nulls = ""
	}
	return " ORDER BY " + col + dir + nulls + ", 1" + dir
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (t *tx) CreateUser(ctx context.Context, u *evaluation.User) error {
	id, err := insertID(ctx, t.db, `INSERT INTO users (username, name, email, role, agency_id, expert_id, language,
		password_hash, disabled, created_at, updated_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.Name, u.Email, u.Role, nullID(u.AgencyID), nullID(u.ExpertID), u.Language, u.PasswordHash,
		boolInt(u.Disabled), formatTime(u.CreatedAt), formatTime(u.UpdatedAt), formatTime(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Username, mapError(err, "username"))
	}
	u.ID = id
	return nil
}

func (t *tx) UpdateUser(ctx context.Context, u *evaluation.User) error {
	res, err := t.db.ExecContext(ctx, `UPDATE users SET name = ?, email = ?, role = ?, agency_id = ?, expert_id = ?, language = ?,
		disabled = ?, updated_at = ? WHERE id = ?`,
		u.Name, u.Email, u.Role, nullID(u.AgencyID), nullID(u.ExpertID), u.Language, boolInt(u.Disabled), formatTime(u.UpdatedAt), u.ID)
	if err != nil {
		return fmt.Errorf("update user %d: %w", u.ID, mapError(err, ""))
	}
	return mustAffect(res, "update user", u.ID)
}

func (t *tx) SetPasswordHash(ctx context.Context, userID int64, hash string, at time.Time) error {
	res, err := t.db.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?`,
		hash, formatTime(at), formatTime(at), userID)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", userID, err)
	}
	return mustAffect(res, "set password of user", userID)
}

func (t *tx) ChangeCredentials(ctx context.Context, userID int64) error {
	res, err := t.db.ExecContext(ctx, `UPDATE users SET credentials_version = credentials_version + 1 WHERE id = ?`, userID)
	if err != nil {
		return fmt.Errorf("change credentials version of user %d: %w", userID, err)
	}
	return mustAffect(res, "change credentials version of user", userID)
}

func (t *tx) SetLastLogin(ctx context.Context, userID int64, at time.Time) error {
	res, err := t.db.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, formatTime(at), userID)
	if err != nil {
		return fmt.Errorf("set last login of user %d: %w", userID, err)
	}
	return mustAffect(res, "set last login of user", userID)
}

// mustAffect turns an UPDATE that matched no row into not found.
func mustAffect(res sql.Result, what string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	if n == 0 {
		return fmt.Errorf("%s %d: %w", what, id, evaluation.ErrNotFound)
	}
	return nil
}

// Package sqlstore is the store of evalpanel: database/sql over
// mattn/go-sqlite3 with embedded goose migrations. The SQL is kept portable
// (no SQLite-only functions in queries) so that the same queries run on
// PostgreSQL.
//
// # Parameters written +?
//
// In a query that joins tables or sorts, a parameter compared with = is
// written +? on the hot paths (saving a sheet, checking a token). The unary
// plus changes neither the value nor the plan (the index is still used);
// it keeps SQLite's planner from looking at the value. The planner of
// SQLite 3.54 marks such a parameter so that the statement is prepared
// again when its value moves to or from 0 or 1, and go-sqlite3 clears a
// statement's bindings before binding new ones, which SQLite takes as such
// a move: every run of the statement was parsed and planned anew, cached
// or not, about a third of a sheet save's CPU. (A PostgreSQL store would
// drop the plus.)
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite store. It implements evaluation.Store.
// The read methods come from the embedded queries and run on the pool.
// Writes run in InTx, which commits the transactions of concurrent callers
// together (group commit): each caller's work is undone alone on its error,
// and each returns only after the commit that holds its work.
type DB struct {
	queries
	sqldb *sql.DB
	path  string
	// writer admits this process's write transactions one turn at a
	// time and commits them in batches: see writer and DB.InTx.
	writer *writer
}

// idleConns is how many connections the pool keeps open between uses.
// database/sql keeps 2 by default and closes the rest, so that under
// concurrent requests connections are opened (each running the DSN's
// pragmas and reading the schema) and closed again all the time.
const idleConns = 16

var _ evaluation.Store = (*DB)(nil)

// DSN returns the connection string for the database file at path. The
// settings live in the DSN so that every pooled connection gets them: WAL,
// foreign keys, a busy timeout, full sync (an acknowledged write survives a
// crash or power loss) and IMMEDIATE transactions, which take the write lock
// at BEGIN so that concurrent writers queue on the busy timeout instead of
// failing to upgrade a read lock. Each connection also keeps its most
// recently used prepared statements: the service runs the same few dozen
// queries over and over, and preparing one (parsing the SQL, planning it)
// costs more than running it.
func DSN(path string) string {
	v := url.Values{}
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_txlock", "immediate")
	v.Set("_stmt_cache_size", "128")
	return "file:" + path + "?" + v.Encode()
}

// Open opens (creating if needed) the database file at path and applies any
// pending migrations.
//
// A path that is a postgres:// or postgresql:// URL opens that PostgreSQL
// database instead (see postgres.go).
func Open(ctx context.Context, path string) (*DB, error) {
	if IsPostgres(path) {
		return openPostgres(ctx, path)
	}
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open database: bad path %q", path)
	}
	sqldb, err := sql.Open("sqlite3", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqldb.SetMaxIdleConns(idleConns)
	w, err := newWriter(ctx, sqldb)
	if err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{queries: queries{db: sqldb, rubrics: newRubricContents()}, sqldb: sqldb, path: path, writer: w}
	if err := db.Migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// Migrate applies pending migrations.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.migrations()
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Version returns the current schema version.
func (db *DB) Version(ctx context.Context) (int64, error) {
	p, err := db.migrations()
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// migrations is the migrations' provider for the database's dialect: the
// SQL files of migrations or of migrations_postgres, numbered alike, and
// the Go migrations, which run on both.
func (db *DB) migrations() (*goose.Provider, error) {
	dialect, files, dir := goose.DialectSQLite3, migrations, "migrations"
	if db.pg {
		dialect, files, dir = goose.DialectPostgres, pgMigrations, "migrations_postgres"
	}
	fsys, err := fs.Sub(files, dir)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithGoMigrations(goMigrations(db.pg)...)}
	if db.pg {
		// Instances started together migrate one at a time: the others
		// wait on the lock, then find nothing left to do.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.sqldb, fsys, opts...)
}

// Close closes the database. In WAL mode the last connection to close
// checkpoints the log into the main file.
func (db *DB) Close() error { return db.sqldb.Close() }

// Path is the database file.
func (db *DB) Path() string { return db.path }

// SQL returns the underlying handle, for tests and tools.
func (db *DB) SQL() *sql.DB { return db.sqldb }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.sqldb.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// dbtx is what *sql.DB, *sql.Tx and callConn have in common.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries holds the read side; it runs on the pool or inside a transaction.
type queries struct {
	db dbtx
	// pg is set on PostgreSQL, for the few queries that differ.
	pg bool
	// rubrics is shared by the pool and every transaction.
	rubrics *rubricContents
}

// tx adds the write side.
type tx struct{ queries }

var _ evaluation.Tx = (*tx)(nil)

// timeFormat is the stored form of times: fixed width, so that string order
// is time order.
const timeFormat = evaluation.AuditTimeFormat

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// timeScan scans a TEXT time column, NULL as the zero time.
type timeScan struct{ t *time.Time }

func (s timeScan) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*s.t = time.Time{}
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	}
	return fmt.Errorf("scan time: unexpected %T", v)
}

func (s timeScan) parse(v string) error {
	if t, ok := parseStoredTime(v); ok {
		*s.t = t
		return nil
	}
	t, err := time.Parse(timeFormat, v)
	if err != nil {
		return fmt.Errorf("scan time: %w", err)
	}
	*s.t = t
	return nil
}

// parseStoredTime reads a time in the stored form (timeFormat) on a day
// up to the 28th, giving what time.Parse gives, at a tenth of its cost: a
// campaign's results read three times for each of its sheets. ok is false
// for anything else, which time.Parse then reads or refuses.
func parseStoredTime(v string) (t time.Time, ok bool) {
	if len(v) != len(timeFormat) || v[4] != '-' || v[7] != '-' || v[10] != 'T' || v[13] != ':' || v[16] != ':' ||
		v[19] != '.' || v[29] != 'Z' {
		return t, false
	}
	ok = true
	num := func(from, to int) int {
		n := 0
		for _, c := range []byte(v[from:to]) {
			if c < '0' || c > '9' {
				ok = false
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, minute, sec, nsec := num(11, 13), num(14, 16), num(17, 19), num(20, 29)
	if !ok || month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || sec > 59 {
		return t, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// mapError turns driver errors into domain errors: a UNIQUE violation is a
// conflict on the field named by the caller, a missing row is not found.
func mapError(err error, uniqueField string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return evaluation.ErrNotFound
	}
	if mapped, ok := pgError(err, uniqueField); ok {
		return mapped
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return alreadyExists(err, uniqueField)
		case sqlite3.ErrConstraintForeignKey:
			return &evaluation.Error{Code: evaluation.Invalid, Message: "error.reference_missing", Err: err}
		case sqlite3.ErrConstraintTrigger:
			// The schema's triggers guard immutable rows (audit log,
			// published rubrics).
			return &evaluation.Error{Code: evaluation.Conflict, Message: "error.immutable", Err: err}
		case sqlite3.ErrConstraintCheck, sqlite3.ErrConstraintNotNull:
			return &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input", Err: err}
		}
	}
	return err
}

func alreadyExists(err error, uniqueField string) error {
	if uniqueField != "" {
		return &evaluation.Error{Code: evaluation.Conflict, Message: "error.already_exists",
			Fields: map[string]string{uniqueField: "error.already_exists"}, Err: err}
	}
	return &evaluation.Error{Code: evaluation.Conflict, Message: "error.already_exists", Err: err}
}

// insertID runs an INSERT and returns the new row's id, by RETURNING id,
// which both SQLite and PostgreSQL understand (PostgreSQL's driver has no
// LastInsertId).
func insertID(ctx context.Context, db dbtx, query string, args ...any) (int64, error) {
	var id int64
	err := db.QueryRowContext(ctx, query+` RETURNING id`, args...).Scan(&id)
	return id, err
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryList runs a query and scans every row with scan.
func queryList[T any](ctx context.Context, db dbtx, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return list, nil
}

// where joins filter conditions into a WHERE clause with their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// like escapes a user's search text for a LIKE pattern with ESCAPE '\'.
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// ExecContext, QueryContext and QueryRowContext run a statement outside
// the store's methods, written as the store writes them (? parameters), on
// either database: for tests and tools. Writes through them bypass InTx.
func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.queries.db.ExecContext(ctx, query, args...)
}

func (db *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.queries.db.QueryContext(ctx, query, args...)
}

func (db *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return db.queries.db.QueryRowContext(ctx, query, args...)
}

// Postgres tells whether the store is on PostgreSQL.
func (db *DB) Postgres() bool { return db.pg }

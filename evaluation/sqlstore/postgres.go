package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgreSQL.
//
// The same queries run on PostgreSQL, through pgx's database/sql driver.
// They are written for SQLite, with ? for parameters, and pgQueries
// rewrites each once (cached) to PostgreSQL's $1, $2, …; the schema is
// kept in step in migrations_postgres, migration for migration, with every
// text column COLLATE "C" so that text sorts and compares by bytes as in
// SQLite, and flags as 0/1 integers as in SQLite. Booleans bound as
// parameters are sent as 0 and 1 for the same reason.
//
// Writes. SQLite lets one transaction write at a time, and evalpanel's
// rules lean on that: the audit log is one hash chain, each entry chained
// to the one before, so every write transaction appends to the same chain
// and no two can commit side by side. On PostgreSQL the same writer (see
// writer.go: calls in arrival order, each in a savepoint, committed in
// batches) begins each batch's transaction at READ COMMITTED and takes one
// transaction-scoped advisory lock (writeLock) as its first statement:
// write transactions run one at a time across every instance on the
// database, each reading what the ones before it committed, exactly as on
// SQLite. Reads do not take the lock. So no serialization failure can
// happen (nothing runs at REPEATABLE READ or SERIALIZABLE but read-only
// snapshots), nor a deadlock between writers (each takes the one lock
// first); the row locks of a session's single-statement writes are never
// held across another lock. The batches matter more here than on SQLite:
// every statement is a round trip to the server, all of a transaction's
// under the lock, and one COMMIT (one WAL flush) then serves a batch.
//
// What PostgreSQL does not need: the backup, restore and integrity
// commands, which are SQLite's; use pg_dump and pg_restore (see README,
// Operations).

//go:embed migrations_postgres
var pgMigrations embed.FS

// writeLock is the key of the advisory lock every write transaction holds.
var writeLock = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("evalpanel write transactions"))
	return int64(h.Sum64())
}()

// PostgresOpenConns bounds the pool's connections per instance: with
// PostgreSQL's default max_connections (100), three instances fit.
const PostgresOpenConns = 32

// IsPostgres tells whether a --db value is a PostgreSQL connection URL
// rather than a SQLite file.
func IsPostgres(target string) bool {
	return strings.HasPrefix(target, "postgres://") || strings.HasPrefix(target, "postgresql://")
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	sqldb, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", Redact(url), err)
	}
	sqldb.SetMaxOpenConns(PostgresOpenConns)
	sqldb.SetMaxIdleConns(idleConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	w, err := newWriter(ctx, sqldb)
	if err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", Redact(url), err)
	}
	db := &DB{queries: queries{db: &pgQueries{db: sqldb}, rubrics: newRubricContents(), pg: true}, sqldb: sqldb, path: url, writer: w}
	if err := db.Migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// Redact returns a --db value fit for messages and logs: a connection
// URL without its password; a file path as it is.
func Redact(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	cred := u[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		cred = cred[:i] + ":xxxxx"
	}
	return u[:scheme+3] + cred + u[at:]
}

// pgReadSnapshot is ReadSnapshot on PostgreSQL: a read-only REPEATABLE
// READ transaction sees one state of the database throughout.
func (db *DB) pgReadSnapshot(ctx context.Context, fn func(s *Snapshot) error) error {
	sqltx, err := db.sqldb.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("read snapshot: %w", err)
	}
	defer sqltx.Rollback()
	return fn(&Snapshot{queries{db: &pgQueries{db: sqltx}, rubrics: db.rubrics, pg: true}})
}

// pgQueries runs SQLite-style queries on PostgreSQL: the ? parameters
// become $1, $2, … (a +? too: the unary plus is for SQLite's planner, see
// the package's notes) and booleans become 0 or 1.
type pgQueries struct{ db dbtx }

var _ dbtx = (*pgQueries)(nil)

func (p *pgQueries) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, rebind(query), pgArgs(args)...)
}

func (p *pgQueries) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, rebind(query), pgArgs(args)...)
}

func (p *pgQueries) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, rebind(query), pgArgs(args)...)
}

func pgArgs(args []any) []any {
	var out []any
	for i, a := range args {
		if b, ok := a.(bool); ok {
			if out == nil {
				out = append([]any(nil), args...)
			}
			out[i] = int64(boolInt(b))
		}
	}
	if out == nil {
		return args
	}
	return out
}

// rebound caches rebind's results: the store runs a few hundred distinct
// queries, and the filtered lists a few thousand at most.
var rebound sync.Map

// rebind rewrites a query's ? parameters (and +?) to $1, $2, …, leaving
// string literals, quoted identifiers and comments alone.
func rebind(query string) string {
	if v, ok := rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '+' && i+1 < len(query) && query[i+1] == '?':
			// +? → $n: the plus is SQLite's.
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	s := b.String()
	rebound.Store(query, s)
	return s
}

// pgError maps PostgreSQL's errors as mapError maps SQLite's.
func pgError(err error, uniqueField string) (error, bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil, false
	}
	switch pe.Code {
	case "23505": // unique_violation
		return alreadyExists(err, uniqueField), true
	case "23503": // foreign_key_violation
		return &evaluation.Error{Code: evaluation.Invalid, Message: "error.reference_missing", Err: err}, true
	case "P0001": // raise_exception: the schema's triggers guarding immutable rows
		return &evaluation.Error{Code: evaluation.Conflict, Message: "error.immutable", Err: err}, true
	case "23514", "23502", // check_violation, not_null_violation
		"22021", "22P05": // a NUL byte or invalid UTF-8 in text, which SQLite would store
		return &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input", Err: err}, true
	}
	return nil, false
}

// MigrationsDigest is a short digest of every migration file of both
// databases: two stores migrated by the same digest have the same schema
// (tests keep a migrated template database by it).
func MigrationsDigest() string {
	h := sha256.New()
	for _, files := range []embed.FS{migrations, pgMigrations} {
		fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := files.ReadFile(path)
			h.Write([]byte(path))
			h.Write(b)
			return err
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

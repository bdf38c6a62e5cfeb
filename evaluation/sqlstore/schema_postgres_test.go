package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/mattn/go-sqlite3"
	"github.com/pressly/goose/v3"
)

// The SQLite migrations are the store's own; the test embeds them again to
// step through them one version at a time beside the PostgreSQL ones.
//
//go:embed migrations/*.sql
var sqliteMigrationFiles embed.FS

//go:embed migrations_postgres/*.sql
var postgresMigrationFiles embed.FS

// TestPostgresMigrations applies the SQLite and the PostgreSQL migrations
// one version at a time, and then undoes them one at a time, and compares
// the two schemas after every step: tables, columns (name, order, type,
// NOT NULL, default), keys, foreign keys, the number of CHECKs, named
// indexes, triggers and seed rows. At the newest version the schema of
// the real store (sqlstore.Open) is compared as well, and after Down to 0
// the PostgreSQL migrations are applied again.
func TestPostgresMigrations(t *testing.T) {
	ctx := context.Background()
	pg := postgresDatabase(t)
	lite, err := sql.Open("sqlite3", sqlstore.DSN(filepath.Join(t.TempDir(), "steps.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	liteMig := migrationProvider(t, goose.DialectSQLite3, lite, sqliteMigrationFiles, "migrations")
	pgMig := migrationProvider(t, goose.DialectPostgres, pg, postgresMigrationFiles, "migrations_postgres")

	if got, want := sourceNames(pgMig), sourceNames(liteMig); !cmp.Equal(got, want) {
		t.Fatalf("PostgreSQL migrations differ from SQLite's (-sqlite +postgres):\n%s", cmp.Diff(want, got))
	}

	for {
		lr, err := liteMig.UpByOne(ctx)
		if errors.Is(err, goose.ErrNoNextVersion) {
			break
		}
		if err != nil {
			t.Fatalf("sqlite up: %v", err)
		}
		pr, err := pgMig.UpByOne(ctx)
		if err != nil {
			t.Fatalf("postgres up from %d: %v", lr.Source.Version, err)
		}
		if pr.Source.Version != lr.Source.Version {
			t.Fatalf("postgres went up to %d, sqlite to %d", pr.Source.Version, lr.Source.Version)
		}
		compareSchemas(t, fmt.Sprintf("up to %d", lr.Source.Version), lite, pg)
	}
	if _, err := pgMig.UpByOne(ctx); !errors.Is(err, goose.ErrNoNextVersion) {
		t.Fatalf("postgres has a migration more than sqlite: %v", err)
	}

	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	compareSchemas(t, "the store's", store.SQL(), pg)

	for {
		lr, err := liteMig.Down(ctx)
		if errors.Is(err, goose.ErrNoNextVersion) {
			break
		}
		if err != nil {
			t.Fatalf("sqlite down: %v", err)
		}
		pr, err := pgMig.Down(ctx)
		if err != nil {
			t.Fatalf("postgres down %d: %v", lr.Source.Version, err)
		}
		if pr.Source.Version != lr.Source.Version {
			t.Fatalf("postgres went down %d, sqlite %d", pr.Source.Version, lr.Source.Version)
		}
		compareSchemas(t, fmt.Sprintf("down %d", lr.Source.Version), lite, pg)
	}
	if v, err := pgMig.GetDBVersion(ctx); err != nil || v != 0 {
		t.Fatalf("postgres version after down: %d, %v; want 0", v, err)
	}
	if left := postgresLeftovers(t, pg); len(left) > 0 {
		t.Errorf("after down to 0 postgres still has %v", left)
	}

	if _, err := pgMig.Up(ctx); err != nil {
		t.Fatalf("postgres up again: %v", err)
	}
	compareSchemas(t, "up again, the store's", store.SQL(), pg)
}

// TestPostgresRefusals makes the same writes on a store migrated by
// sqlstore.Open and on a PostgreSQL database migrated by the PostgreSQL
// migrations, each in a transaction rolled back after it, and wants the
// same answer from both: the trigger's refusal with its message, a
// constraint's refusal of its kind, or the rows written. A TRUNCATE on
// PostgreSQL answers as a DELETE of every row on SQLite.
func TestPostgresRefusals(t *testing.T) {
	ctx := context.Background()
	pg := postgresDatabase(t)
	if _, err := migrationProvider(t, goose.DialectPostgres, pg, postgresMigrationFiles, "migrations_postgres").Up(ctx); err != nil {
		t.Fatal(err)
	}
	store, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	lite := store.SQL()

	// The tables that refuse deletes, and the message of the refusal.
	// Their TRUNCATE is refused when (and only when) SQLite refuses to
	// DELETE every row: so on empty tables both go through.
	deleteRefusals := map[string]string{
		"audit_log":          "audit_log is append-only",
		"rubrics":            "only a draft rubric version can be deleted",
		"draws":              "draw records are append-only",
		"sheet_versions":     "submitted sheet versions are append-only",
		"opinions":           "opinions are not deleted",
		"opinion_responses":  "a locked opinion does not change",
		"conclusions":        "conclusions are append-only",
		"rectifications":     "rectifications are append-only",
		"veto_confirmations": "veto confirmations are append-only",
		"revisions":          "revisions are append-only",
		"returns":            "a sent return is kept",
		"publicity":          "a publicity period is kept",
		"appeals":            "appeals are kept",
		"expert_records":     "expert records are kept",
	}
	refusing := map[string]string{}
	for _, tr := range sqliteSchema(t, lite).Triggers {
		if tr.Event == "BEFORE DELETE" {
			refusing[tr.Table] = deleteRefusals[tr.Table]
		}
	}
	if d := cmp.Diff(deleteRefusals, refusing); d != "" {
		t.Errorf("the tables that refuse deletes are not those of the cases (-cases +sqlite):\n%s", d)
	}
	// CASCADE: PostgreSQL refuses a plain TRUNCATE of a table another
	// refers to (opinions) before any trigger runs; SQLite's DELETE has
	// its trigger refuse first.
	for table := range deleteRefusals {
		t.Run("emptying empty "+table, func(t *testing.T) {
			sameAnswer(t, lite, pg, "DELETE FROM "+table, "TRUNCATE "+table+" CASCADE", answer{})
		})
	}

	for _, q := range refusalFixture {
		for name, db := range map[string]*sql.DB{"sqlite": lite, "postgres": pg} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %s: %v", name, q, err)
			}
		}
	}

	for _, c := range refusalCases {
		t.Run(c.name, func(t *testing.T) {
			sameAnswer(t, lite, pg, c.query, c.query, c.want)
		})
	}

	for table, msg := range deleteRefusals {
		t.Run("emptying "+table, func(t *testing.T) {
			sameAnswer(t, lite, pg, "DELETE FROM "+table, "TRUNCATE "+table+" CASCADE", answer{Refused: msg})
		})
	}
}

// refusalFixture is the smallest set of rows the refusal cases need, on a
// fresh database, written as literal SQL that runs on both. Generated ids
// are not given (PostgreSQL's identity would not move past given ones):
// they are 1, 2, … in order on both.
var refusalFixture = []string{
	`INSERT INTO agencies (code, name_zh, name_en, created_at, updated_at) VALUES ('a', '甲', 'A', 't', 't')`,
	`INSERT INTO experts (name, type, institution, title_level, region, created_at, updated_at)
	 VALUES ('E1', 'domain_expert', 'I', 'senior', 'local', 't', 't'), ('E2', 'domain_expert', 'I', 'senior', 'local', 't', 't')`,
	`INSERT INTO campaigns (agency_id, name, year, state, aggregation, settings, created_by, created_at, updated_at)
	 VALUES (1, 'C', 2025, 'scoring', 'mean', '{}', 0, 't', 't')`,
	`INSERT INTO projects (campaign_id, agency_id, code, title, class, lead_institution, details, created_at, updated_at)
	 VALUES (1, 1, 'P1', 'T', 'basic_research', 'L', '{}', 't', 't'), (1, 1, 'P2', 'T', 'basic_research', 'L', '{}', 't', 't')`,
	`INSERT INTO panels (campaign_id, agency_id, name, state, created_at, updated_at) VALUES (1, 1, 'G', 'confirmed', 't', 't')`,
	`INSERT INTO panel_members (panel_id, expert_id, seat, chair, status, source, created_at)
	 VALUES (1, 1, 'technical', 1, 'accepted', 'draw', 't')`,
	`INSERT INTO draws (campaign_id, agency_id, panel_id, kind, seed, input, pool_hash, result, created_by, created_at)
	 VALUES (1, 1, 1, 'draw', 's', '{}', 'h', '{}', 0, 't')`,
	`INSERT INTO rubrics (code, version, target, status, content, hash, created_by, created_at, updated_at)
	 VALUES ('r', 1, 'basic_research', 'published', '{}', 'h', 0, 't', 't'), ('r', 2, 'basic_research', 'draft', '{}', 'h', 0, 't', 't')`,
	`INSERT INTO sheets (campaign_id, agency_id, panel_id, project_id, expert_id, seat, rubric_code, rubric_version, status,
	 version, round, content, created_at, updated_at) VALUES (1, 1, 1, 1, 1, 'technical', 'r', 1, 'submitted', 1, 1, '{}', 't', 't')`,
	`INSERT INTO sheet_versions (sheet_id, round, version, content, total, submitted_by, submitted_at) VALUES (1, 1, 1, '{}', 160, 0, 't')`,
	`INSERT INTO opinions (project_id, campaign_id, agency_id, panel_id, chair_id, text, proposed, status, version, created_at, updated_at)
	 VALUES (1, 1, 1, 1, 1, 'x', 'pass', 'circulating', 1, 't', 't'), (2, 1, 1, 1, 1, 'x', 'pass', 'circulating', 1, 't', 't')`,
	`INSERT INTO opinion_responses (project_id, expert_id, agree, responded_at) VALUES (1, 1, 1, 't'), (2, 1, 1, 't')`,
	`UPDATE opinions SET status = 'locked', locked_at = 't' WHERE project_id = 1`,
	`INSERT INTO conclusions (project_id, seq, campaign_id, agency_id, round, conclusion, recorded_by, recorded_by_name, recorded_at)
	 VALUES (1, 1, 1, 1, 1, 'pass', 0, 'n', 't')`,
	`INSERT INTO rectifications (project_id, campaign_id, agency_id, due, reason, created_by, created_by_name, created_at)
	 VALUES (2, 1, 1, 'd', 'r', 0, 'n', 't')`,
	`INSERT INTO veto_confirmations (project_id, track, code, campaign_id, agency_id, reason, confirmed_by, confirmed_by_name, confirmed_at)
	 VALUES (1, 'technical', 'v', 1, 1, 'r', 0, 'n', 't')`,
	`INSERT INTO revisions (project_id, seq, campaign_id, agency_id, kind, note, due, sheets, opened_by, opened_by_name, opened_at)
	 VALUES (1, 1, 1, 1, 'discussion', 'n', 'd', 1, 0, 'n', 't')`,
	`INSERT INTO returns (campaign_id, round, project_id, agency_id, comment, marked_by, marked_by_name, marked_at, returned_at)
	 VALUES (1, 1, 1, 1, 'c', 0, 'n', 't', 't'), (1, 1, 2, 1, 'c', 0, 'n', 't', NULL)`,
	`INSERT INTO publicity (campaign_id, agency_id, starts, ends, days, approved_by, approved_by_name, approved_at)
	 VALUES (1, 1, 's', 'e', 10, 0, 'n', 't')`,
	`INSERT INTO appeals (campaign_id, project_id, agency_id, reason, appellant, text, status, filed_by, filed_by_name, filed_at)
	 VALUES (1, 1, 1, 'factual', 'a', 't', 'filed', 0, 'n', 't'), (1, 1, 1, 'academic', 'a', 't', 'inadmissible', 0, 'n', 't')`,
	`INSERT INTO expert_records (campaign_id, expert_id, agency_id, assigned, submitted, on_time, scored, divergent, conflicts,
	 declines, computed_at) VALUES (1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 't')`,
	`INSERT INTO audit_log (id, at, actor_id, actor, action, object_type, object_id, agency_id, details, prev_hash, hash)
	 VALUES (1, 't', 0, 's', 'a', 'o', '1', 0, '{}', '', 'h')`,
}

// answer is what a database says to a write: Refused is a trigger's
// message, Violated the kind of constraint that refused it, Rows the rows
// written when neither.
type answer struct {
	Refused  string
	Violated string
	Rows     int64
}

func refused(msg string) answer   { return answer{Refused: msg} }
func violated(kind string) answer { return answer{Violated: kind} }
func wrote(rows int64) answer     { return answer{Rows: rows} }

var refusalCases = []struct {
	name  string
	query string
	want  answer
}{
	{"audit entry changed", `UPDATE audit_log SET actor = 'x' WHERE id = 1`, refused("audit_log is append-only")},
	{"audit entry deleted", `DELETE FROM audit_log WHERE id = 1`, refused("audit_log is append-only")},
	{"audit head moved", `UPDATE audit_head SET last_id = 1, last_hash = 'h' WHERE singleton = 1`, wrote(1)},
	{"second audit head", `INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (2, 0, '')`, violated("check")},

	{"published rubric retired", `UPDATE rubrics SET status = 'retired', updated_at = 'u' WHERE id = 1`, wrote(1)},
	{"published rubric changed", `UPDATE rubrics SET content = '{"x":1}' WHERE id = 1`, refused("a published rubric version never changes")},
	{"published rubric back to draft", `UPDATE rubrics SET status = 'draft' WHERE id = 1`, refused("a published rubric version never changes")},
	{"draft rubric changed", `UPDATE rubrics SET content = '{"x":1}' WHERE id = 2`, wrote(1)},
	{"published rubric deleted", `DELETE FROM rubrics WHERE id = 1`, refused("only a draft rubric version can be deleted")},
	{"draft rubric deleted", `DELETE FROM rubrics WHERE id = 2`, wrote(1)},
	{"rubric version repeated", `INSERT INTO rubrics (code, version, target, status, content, hash, created_by, created_at, updated_at)
	 VALUES ('r', 1, 'finance', 'draft', '{}', 'h', 0, 't', 't')`, violated("unique")},

	{"draw changed", `UPDATE draws SET result = '{}' WHERE id = 1`, refused("draw records are append-only")},
	{"draw deleted", `DELETE FROM draws WHERE id = 1`, refused("draw records are append-only")},

	{"second chair", `INSERT INTO panel_members (panel_id, expert_id, seat, chair, status, source, created_at)
	 VALUES (1, 2, 'technical', 1, 'accepted', 'draw', 't')`, violated("unique")},
	{"second member", `INSERT INTO panel_members (panel_id, expert_id, seat, chair, status, source, created_at)
	 VALUES (1, 2, 'technical', 0, 'accepted', 'draw', 't')`, wrote(1)},
	{"chair flag 2", `UPDATE panel_members SET chair = 2 WHERE id = 1`, violated("check")},

	{"sheet version changed", `UPDATE sheet_versions SET total = 0 WHERE sheet_id = 1`, refused("submitted sheet versions are append-only")},
	{"sheet version deleted", `DELETE FROM sheet_versions WHERE sheet_id = 1`, refused("submitted sheet versions are append-only")},
	{"working sheet saved", `UPDATE sheets SET content = '{"x":1}', version = 2 WHERE id = 1`, wrote(1)},

	{"locked opinion changed", `UPDATE opinions SET text = 'y' WHERE project_id = 1`, refused("a locked opinion does not change")},
	{"circulating opinion changed", `UPDATE opinions SET text = 'y', version = 2 WHERE project_id = 2`, wrote(1)},
	{"opinion deleted", `DELETE FROM opinions WHERE project_id = 2`, refused("opinions are not deleted")},
	{"locked response changed", `UPDATE opinion_responses SET reason = 'y' WHERE project_id = 1`, refused("a locked opinion does not change")},
	{"locked response deleted", `DELETE FROM opinion_responses WHERE project_id = 1`, refused("a locked opinion does not change")},
	{"response to locked opinion", `INSERT INTO opinion_responses (project_id, expert_id, agree, reason, responded_at)
	 VALUES (1, 2, 0, 'r', 't')`, refused("a locked opinion does not change")},
	{"circulating response changed", `UPDATE opinion_responses SET agree = 0, reason = 'y' WHERE project_id = 2`, wrote(1)},
	{"circulating response deleted", `DELETE FROM opinion_responses WHERE project_id = 2`, wrote(1)},
	{"response to circulating opinion", `INSERT INTO opinion_responses (project_id, expert_id, agree, reason, responded_at)
	 VALUES (2, 2, 0, 'r', 't')`, wrote(1)},
	{"response to locked opinion upserted", `INSERT INTO opinion_responses (project_id, expert_id, agree, reason, responded_at)
	 VALUES (1, 1, 0, 'r', 't') ON CONFLICT (project_id, expert_id) DO UPDATE SET agree = excluded.agree, reason = excluded.reason`,
		refused("a locked opinion does not change")},
	{"response to circulating opinion upserted", `INSERT INTO opinion_responses (project_id, expert_id, agree, reason, responded_at)
	 VALUES (2, 1, 0, 'r', 't') ON CONFLICT (project_id, expert_id) DO UPDATE SET agree = excluded.agree, reason = excluded.reason`,
		wrote(1)},
	{"response without opinion", `INSERT INTO opinion_responses (project_id, expert_id, agree, reason, responded_at)
	 VALUES (99, 2, 0, 'r', 't')`, violated("foreign key")},

	{"conclusion changed", `UPDATE conclusions SET reason = 'y' WHERE project_id = 1`, refused("conclusions are append-only")},
	{"conclusion deleted", `DELETE FROM conclusions WHERE project_id = 1`, refused("conclusions are append-only")},
	{"rectification changed", `UPDATE rectifications SET due = 'e' WHERE project_id = 2`, refused("rectifications are append-only")},
	{"rectification deleted", `DELETE FROM rectifications WHERE project_id = 2`, refused("rectifications are append-only")},
	{"veto confirmation changed", `UPDATE veto_confirmations SET reason = 'y'`, refused("veto confirmations are append-only")},
	{"veto confirmation deleted", `DELETE FROM veto_confirmations`, refused("veto confirmations are append-only")},
	{"veto confirmation without reason", `INSERT INTO veto_confirmations (project_id, track, code, campaign_id, agency_id, reason,
	 confirmed_by, confirmed_by_name, confirmed_at) VALUES (1, 'finance', 'v', 1, 1, '', 0, 'n', 't')`, violated("check")},

	{"revision changed", `UPDATE revisions SET note = 'y' WHERE project_id = 1`, refused("revisions are append-only")},
	{"revision deleted", `DELETE FROM revisions WHERE project_id = 1`, refused("revisions are append-only")},
	{"revision on appeal", `INSERT INTO revisions (project_id, seq, campaign_id, agency_id, kind, note, due, sheets, opened_by,
	 opened_by_name, opened_at) VALUES (1, 2, 1, 1, 'appeal', 'n', 'd', 1, 0, 'n', 't')`, wrote(1)},
	{"revision of another kind", `INSERT INTO revisions (project_id, seq, campaign_id, agency_id, kind, note, due, sheets, opened_by,
	 opened_by_name, opened_at) VALUES (1, 2, 1, 1, 'other', 'n', 'd', 1, 0, 'n', 't')`, violated("check")},

	{"sent return answered", `UPDATE returns SET answer = 'a', answered_by = 1, answered_by_name = 'n', answered_at = 't'
	 WHERE project_id = 1`, wrote(1)},
	{"sent return's comment changed", `UPDATE returns SET comment = 'y' WHERE project_id = 1`, refused("a sent return does not change")},
	{"sent return unsent", `UPDATE returns SET returned_at = NULL WHERE project_id = 1`, refused("a sent return does not change")},
	{"sent return deleted", `DELETE FROM returns WHERE project_id = 1`, refused("a sent return is kept")},
	{"unsent return's comment changed", `UPDATE returns SET comment = 'y' WHERE project_id = 2`, wrote(1)},
	{"unsent return sent", `UPDATE returns SET returned_at = 't' WHERE project_id = 2`, wrote(1)},
	{"unsent return deleted", `DELETE FROM returns WHERE project_id = 2`, wrote(1)},

	{"sent return marked again", `INSERT INTO returns (campaign_id, round, project_id, agency_id, comment, marked_by, marked_by_name, marked_at)
	 VALUES (1, 1, 1, 1, 'y', 0, 'n', 't') ON CONFLICT (campaign_id, round, project_id) DO UPDATE SET comment = excluded.comment`,
		refused("a sent return does not change")},
	{"unsent return marked again", `INSERT INTO returns (campaign_id, round, project_id, agency_id, comment, marked_by, marked_by_name, marked_at)
	 VALUES (1, 1, 2, 1, 'y', 0, 'n', 't') ON CONFLICT (campaign_id, round, project_id) DO UPDATE SET comment = excluded.comment`,
		wrote(1)},

	{"publicity changed", `UPDATE publicity SET days = 11`, refused("a publicity period does not change")},
	{"publicity deleted", `DELETE FROM publicity`, refused("a publicity period is kept")},

	{"filed appeal re-evaluated", `UPDATE appeals SET status = 'reevaluating', revision_seq = 2 WHERE id = 1`, wrote(1)},
	{"filed appeal's text changed", `UPDATE appeals SET text = 'y' WHERE id = 1`, refused("an appeal as recorded, and a settled one, does not change")},
	{"filed appeal's before changed", `UPDATE appeals SET before = 'y' WHERE id = 1`, refused("an appeal as recorded, and a settled one, does not change")},
	{"settled appeal changed", `UPDATE appeals SET resolution = 'y' WHERE id = 2`, refused("an appeal as recorded, and a settled one, does not change")},
	{"appeal deleted", `DELETE FROM appeals WHERE id = 1`, refused("appeals are kept")},
	{"academic appeal filed", `INSERT INTO appeals (campaign_id, project_id, agency_id, reason, appellant, text, status, filed_by,
	 filed_by_name, filed_at) VALUES (1, 1, 1, 'academic', 'a', 't', 'filed', 0, 'n', 't')`, violated("check")},

	{"expert record changed", `UPDATE expert_records SET declines = 1`, refused("expert records do not change")},
	{"expert record deleted", `DELETE FROM expert_records`, refused("expert records are kept")},
	{"expert record with more submitted than assigned", `INSERT INTO expert_records (campaign_id, expert_id, agency_id, assigned,
	 submitted, on_time, scored, divergent, conflicts, declines, computed_at) VALUES (1, 2, 1, 1, 2, 0, 0, 0, 0, 0, 't')`, violated("check")},

	{"agency staff without agency", `INSERT INTO users (username, name, role, password_hash, created_at, updated_at, password_changed_at)
	 VALUES ('s', 'S', 'agency_staff', 'h', 't', 't', 't')`, violated("check")},
	{"agency staff", `INSERT INTO users (username, name, role, agency_id, password_hash, created_at, updated_at, password_changed_at)
	 VALUES ('s', 'S', 'agency_staff', 1, 'h', 't', 't', 't')`, wrote(1)},
	{"project of no campaign", `INSERT INTO projects (campaign_id, agency_id, code, title, class, lead_institution, details, created_at,
	 updated_at) VALUES (99, 1, 'P3', 'T', 'basic_research', 'L', '{}', 't', 't')`, violated("foreign key")},
	{"project with records deleted", `DELETE FROM projects WHERE id = 2`, violated("foreign key")},
}

// sameAnswer runs liteQuery on SQLite and pgQuery on PostgreSQL, each in a
// transaction that it rolls back, and wants both to answer want.
func sameAnswer(t *testing.T, lite, pg *sql.DB, liteQuery, pgQuery string, want answer) {
	t.Helper()
	for _, side := range []struct {
		name  string
		db    *sql.DB
		query string
	}{{"sqlite", lite, liteQuery}, {"postgres", pg, pgQuery}} {
		if got := answerTo(t, side.db, side.query); got != want {
			t.Errorf("%s: %s\ngot  %+v\nwant %+v", side.name, side.query, got, want)
		}
	}
}

func answerTo(t *testing.T, db *sql.DB, query string) answer {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, query)
	if err != nil {
		return answerOf(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	return answer{Rows: n}
}

// answerOf sorts a refusal from either driver by its code, never by its
// text: the message is compared only for a trigger's refusal.
func answerOf(err error) answer {
	var le sqlite3.Error
	if errors.As(err, &le) {
		switch le.ExtendedCode {
		case sqlite3.ErrConstraintTrigger:
			return answer{Refused: le.Error()}
		case sqlite3.ErrConstraintCheck:
			return violated("check")
		case sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey:
			return violated("unique")
		case sqlite3.ErrConstraintForeignKey:
			return violated("foreign key")
		case sqlite3.ErrConstraintNotNull:
			return violated("not null")
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "P0001":
			return answer{Refused: pe.Message}
		case "23514":
			return violated("check")
		case "23505":
			return violated("unique")
		case "23503":
			return violated("foreign key")
		case "23502":
			return violated("not null")
		}
	}
	return answer{Violated: "other: " + err.Error()}
}

// dbSchema is what the test compares of a database's schema.
type dbSchema struct {
	Tables   map[string]tableSchema
	Indexes  map[string]indexSchema   // by name: those made by CREATE INDEX
	Triggers map[string]triggerSchema // by name
}

type tableSchema struct {
	Columns     []columnSchema
	Keys        []string // the primary key's and UNIQUE constraints' columns, "a,b", sorted
	ForeignKeys []string // "a,b -> t(c,d) on delete …", sorted
	Checks      int
	Rows        []string // the seed rows, their values joined by |
}

type columnSchema struct {
	Name    string
	Type    string // PostgreSQL's name, with the collation of text
	NotNull bool
	Default string // as written, "" for none
}

type indexSchema struct {
	Table   string
	Columns string
	Unique  bool
	Where   string // a partial index's condition, in lower case without parentheses
}

type triggerSchema struct {
	Table string
	Event string // "BEFORE UPDATE" (for each row), "BEFORE TRUNCATE FOR EACH STATEMENT"
}

// compareSchemas compares SQLite's schema, with the TRUNCATE triggers
// PostgreSQL adds, with PostgreSQL's.
func compareSchemas(t *testing.T, when string, lite, pg *sql.DB) {
	t.Helper()
	want := sqliteSchema(t, lite)
	for _, tr := range want.Triggers {
		if tr.Event == "BEFORE DELETE" {
			want.Triggers[tr.Table+"_no_truncate"] = triggerSchema{tr.Table, "BEFORE TRUNCATE FOR EACH STATEMENT"}
		}
	}
	got := postgresSchema(t, pg)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s: the schemas differ (-sqlite +postgres):\n%s", when, d)
	}
}

var (
	checkClause   = regexp.MustCompile(`\bCHECK\s*\(`)
	sqlComment    = regexp.MustCompile(`--[^\n]*`)
	indexWhere    = regexp.MustCompile(`(?is)\bWHERE\b(.*)$`)
	triggerEvent  = regexp.MustCompile(`(?i)\b(BEFORE|AFTER|INSTEAD OF)\s+(INSERT|UPDATE|DELETE)\b`)
	sqliteTypes   = map[string]string{"INTEGER": "bigint", "TEXT": `text collate C`, "REAL": "double precision", "BLOB": "bytea"}
	postgresCasts = regexp.MustCompile(`::[a-z ]+$`)
)

func normalWhere(s string) string {
	s = strings.NewReplacer("(", "", ")", "").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

func sqliteSchema(t *testing.T, db *sql.DB) dbSchema {
	t.Helper()
	s := dbSchema{Tables: map[string]tableSchema{}, Indexes: map[string]indexSchema{}, Triggers: map[string]triggerSchema{}}
	type object struct{ kind, name, table, sql string }
	var objects []object
	each(t, db, `SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> 'goose_db_version'`, func(r *sql.Rows) error {
		var o object
		if err := r.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return err
		}
		objects = append(objects, o)
		return nil
	})
	for _, o := range objects {
		switch o.kind {
		case "table":
			s.Tables[o.name] = sqliteTable(t, db, o.name, o.sql)
		case "index":
			ix := indexSchema{Table: o.table}
			if m := indexWhere.FindStringSubmatch(o.sql); m != nil {
				ix.Where = normalWhere(m[1])
			}
			s.Indexes[o.name] = ix
		case "trigger":
			m := triggerEvent.FindStringSubmatch(o.sql)
			if m == nil {
				t.Fatalf("trigger %s: no event in %s", o.name, o.sql)
			}
			s.Triggers[o.name] = triggerSchema{o.table, strings.ToUpper(m[1] + " " + m[2])}
		}
	}
	for name, ix := range s.Indexes {
		each(t, db, `SELECT "unique" FROM pragma_index_list(?) WHERE name = ?`, func(r *sql.Rows) error {
			return r.Scan(&ix.Unique)
		}, ix.Table, name)
		ix.Columns = strings.Join(sqliteIndexColumns(t, db, name), ",")
		s.Indexes[name] = ix
	}
	return s
}

func sqliteTable(t *testing.T, db *sql.DB, table, createSQL string) tableSchema {
	t.Helper()
	var ts tableSchema
	keys := map[string]bool{}
	pk := map[int]string{}
	each(t, db, `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`, func(r *sql.Rows) error {
		var c columnSchema
		var typ string
		var dflt sql.NullString
		var pkIndex int
		if err := r.Scan(&c.Name, &typ, &c.NotNull, &dflt, &pkIndex); err != nil {
			return err
		}
		c.Type = sqliteTypes[strings.ToUpper(typ)]
		if c.Type == "" {
			c.Type = "sqlite " + typ
		}
		// A primary key column is NOT NULL on PostgreSQL. On SQLite an
		// INTEGER PRIMARY KEY is the rowid, never NULL; a TEXT one
		// (institution_aliases.alias) would take NULL, which evalpanel
		// never writes.
		c.NotNull = c.NotNull || pkIndex > 0
		c.Default = dflt.String
		if pkIndex > 0 {
			pk[pkIndex] = c.Name
		}
		ts.Columns = append(ts.Columns, c)
		return nil
	}, table)
	var pkColumns []string
	for i := 1; i <= len(pk); i++ {
		pkColumns = append(pkColumns, pk[i])
	}
	if len(pkColumns) > 0 {
		keys[strings.Join(pkColumns, ",")] = true
	}
	var uniques []string
	each(t, db, `SELECT name FROM pragma_index_list(?) WHERE origin IN ('u', 'pk')`, func(r *sql.Rows) error {
		var name string
		uniques = append(uniques, name)
		return r.Scan(&uniques[len(uniques)-1])
	}, table)
	for _, name := range uniques {
		keys[strings.Join(sqliteIndexColumns(t, db, name), ",")] = true
	}
	for k := range keys {
		ts.Keys = append(ts.Keys, k)
	}
	sort.Strings(ts.Keys)

	type fk struct {
		table, onDelete, onUpdate string
		from, to                  []string
	}
	fks := map[int]*fk{}
	each(t, db, `SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, func(r *sql.Rows) error {
		var id int
		var refTable, from, onUpdate, onDelete string
		var to sql.NullString
		if err := r.Scan(&id, &refTable, &from, &to, &onUpdate, &onDelete); err != nil {
			return err
		}
		if fks[id] == nil {
			fks[id] = &fk{table: refTable, onDelete: onDelete, onUpdate: onUpdate}
		}
		fks[id].from = append(fks[id].from, from)
		fks[id].to = append(fks[id].to, to.String)
		return nil
	}, table)
	for _, f := range fks {
		ts.ForeignKeys = append(ts.ForeignKeys, foreignKey(f.from, f.table, f.to, f.onDelete, f.onUpdate))
	}
	sort.Strings(ts.ForeignKeys)

	ts.Checks = len(checkClause.FindAllString(sqlComment.ReplaceAllString(createSQL, ""), -1))
	ts.Rows = tableRows(t, db, table)
	return ts
}

func sqliteIndexColumns(t *testing.T, db *sql.DB, index string) []string {
	t.Helper()
	var cols []string
	each(t, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, func(r *sql.Rows) error {
		var c string
		cols = append(cols, c)
		return r.Scan(&cols[len(cols)-1])
	}, index)
	return cols
}

func foreignKey(from []string, table string, to []string, onDelete, onUpdate string) string {
	return fmt.Sprintf("%s -> %s(%s) on delete %s on update %s", strings.Join(from, ","), table, strings.Join(to, ","), onDelete, onUpdate)
}

// postgresActions are the ON DELETE and ON UPDATE actions by
// pg_constraint's letter, as SQLite names them.
var postgresActions = map[string]string{"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}

// postgresColumnList is the names of a catalogue array of attribute numbers
// (%s), in order, of the table whose oid is %s.
const postgresColumnList = `array_to_string(ARRAY(SELECT a.attname FROM unnest(%s::int2[]) WITH ORDINALITY k(n, o)
	JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.n ORDER BY k.o), ',')`

func postgresSchema(t *testing.T, db *sql.DB) dbSchema {
	t.Helper()
	s := dbSchema{Tables: map[string]tableSchema{}, Indexes: map[string]indexSchema{}, Triggers: map[string]triggerSchema{}}
	tables := map[string]*tableSchema{}
	each(t, db, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'goose_db_version'`, func(r *sql.Rows) error {
		var name string
		if err := r.Scan(&name); err != nil {
			return err
		}
		tables[name] = &tableSchema{}
		return nil
	})
	each(t, db, `SELECT table_name, column_name, data_type, collation_name, is_nullable = 'NO', COALESCE(column_default, '')
		FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`, func(r *sql.Rows) error {
		var table string
		var c columnSchema
		var collation sql.NullString
		if err := r.Scan(&table, &c.Name, &c.Type, &collation, &c.NotNull, &c.Default); err != nil {
			return err
		}
		if collation.Valid {
			c.Type += " collate " + collation.String
		}
		c.Default = postgresCasts.ReplaceAllString(c.Default, "")
		if ts := tables[table]; ts != nil {
			ts.Columns = append(ts.Columns, c)
		}
		return nil
	})
	each(t, db, `SELECT t.relname, c.contype, `+fmt.Sprintf(postgresColumnList, "c.conkey", "c.conrelid")+`,
		COALESCE(f.relname, ''), COALESCE(`+fmt.Sprintf(postgresColumnList, "c.confkey", "c.confrelid")+`, ''),
		c.confdeltype, c.confupdtype
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
		LEFT JOIN pg_class f ON f.oid = c.confrelid
		WHERE ns.nspname = 'public'`, func(r *sql.Rows) error {
		var table, kind, cols, refTable, refCols, onDelete, onUpdate string
		if err := r.Scan(&table, &kind, &cols, &refTable, &refCols, &onDelete, &onUpdate); err != nil {
			return err
		}
		ts := tables[table]
		if ts == nil {
			return nil
		}
		switch kind {
		case "p", "u":
			ts.Keys = append(ts.Keys, cols)
		case "f":
			ts.ForeignKeys = append(ts.ForeignKeys, foreignKey(strings.Split(cols, ","), refTable, strings.Split(refCols, ","),
				postgresActions[onDelete], postgresActions[onUpdate]))
		case "c":
			ts.Checks++
		default:
			t.Errorf("table %s: constraint of kind %s", table, kind)
		}
		return nil
	})
	for name, ts := range tables {
		sort.Strings(ts.Keys)
		sort.Strings(ts.ForeignKeys)
		ts.Rows = tableRows(t, db, name)
		s.Tables[name] = *ts
	}
	each(t, db, `SELECT i.relname, t.relname, x.indisunique, COALESCE(pg_get_expr(x.indpred, x.indrelid), ''),
		`+fmt.Sprintf(postgresColumnList, "x.indkey", "x.indrelid")+`
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace
		WHERE ns.nspname = 'public' AND t.relname <> 'goose_db_version'
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))`,
		func(r *sql.Rows) error {
			var name string
			var ix indexSchema
			if err := r.Scan(&name, &ix.Table, &ix.Unique, &ix.Where, &ix.Columns); err != nil {
				return err
			}
			ix.Where = normalWhere(ix.Where)
			s.Indexes[name] = ix
			return nil
		})
	each(t, db, `SELECT g.tgname, t.relname, g.tgtype FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid
		JOIN pg_namespace ns ON ns.oid = t.relnamespace WHERE ns.nspname = 'public' AND NOT g.tgisinternal`, func(r *sql.Rows) error {
		var name, table string
		var typ int
		if err := r.Scan(&name, &table, &typ); err != nil {
			return err
		}
		s.Triggers[name] = triggerSchema{table, postgresTriggerEvent(typ)}
		return nil
	})
	return s
}

// postgresTriggerEvent spells pg_trigger.tgtype (the TRIGGER_TYPE_* bits
// of PostgreSQL's catalog/pg_trigger.h) as SQLite's trigger is written.
func postgresTriggerEvent(typ int) string {
	timing := "AFTER"
	switch {
	case typ&2 != 0:
		timing = "BEFORE"
	case typ&64 != 0:
		timing = "INSTEAD OF"
	}
	var events []string
	for _, e := range []struct {
		bit  int
		name string
	}{{4, "INSERT"}, {8, "DELETE"}, {16, "UPDATE"}, {32, "TRUNCATE"}} {
		if typ&e.bit != 0 {
			events = append(events, e.name)
		}
	}
	s := timing + " " + strings.Join(events, " OR ")
	if typ&1 == 0 {
		s += " FOR EACH STATEMENT"
	}
	return s
}

// postgresLeftovers lists what the migrations made that is still in the
// database besides goose's table: relations, functions, types.
func postgresLeftovers(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var left []string
	each(t, db, `SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
		WHERE ns.nspname = 'public' AND c.relname NOT LIKE 'goose\_db\_version%'
		UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
		WHERE ns.nspname = 'public'
		UNION ALL SELECT 'type ' || y.typname FROM pg_type y JOIN pg_namespace ns ON ns.oid = y.typnamespace
		WHERE ns.nspname = 'public' AND y.typrelid = 0 AND y.typelem = 0`, func(r *sql.Rows) error {
		var s string
		left = append(left, s)
		return r.Scan(&left[len(left)-1])
	})
	return left
}

// tableRows returns the rows of table, in the order of its first column,
// each as its values joined by |.
func tableRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	var out []string
	each(t, db, `SELECT * FROM "`+table+`" ORDER BY 1`, func(r *sql.Rows) error {
		cols, err := r.Columns()
		if err != nil {
			return err
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		fields := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				fields[i] = "NULL"
			case []byte:
				fields[i] = string(v)
			default:
				fields[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(fields, "|"))
		return nil
	})
	return out
}

// each runs query and calls fn on each row.
func each(t *testing.T, db *sql.DB, query string, fn func(*sql.Rows) error, args ...any) {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// migrationProvider is a goose provider over the SQL files under dir of
// fsys and the Go migrations' versions. The Go migrations (6 and 9,
// migrate_go.go) rewrite rows and change no schema; they are unexported,
// so here they are no-ops at the same versions, which is what they do on
// the empty databases of these tests.
func migrationProvider(t *testing.T, dialect goose.Dialect, db *sql.DB, fsys embed.FS, dir string) *goose.Provider {
	t.Helper()
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var goMigrations []*goose.Migration
	for _, v := range sqlstore.GoMigrationVersions() {
		goMigrations = append(goMigrations, goose.NewGoMigration(v, nil, nil))
	}
	p, err := goose.NewProvider(dialect, db, sub, goose.WithGoMigrations(goMigrations...))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sourceNames lists a provider's migrations: a SQL file's name, or the
// version of a Go one.
func sourceNames(p *goose.Provider) []string {
	var names []string
	for _, s := range p.ListSources() {
		if s.Type == goose.TypeSQL {
			names = append(names, path.Base(s.Path))
		} else {
			names = append(names, "go "+strconv.FormatInt(s.Version, 10))
		}
	}
	return names
}

// postgresDatabase creates a database of its own on the test's
// PostgreSQL server, dropped at cleanup, and opens it.
func postgresDatabase(t *testing.T) *sql.DB {
	t.Helper()
	server := storetest.Server(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 8)
	rand.Read(b)
	name := "evalpanel_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database on %s: %v", server, err)
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	// No cached prepared statements: the test reads the same tables
	// (SELECT *) before and after migrations change their columns, which
	// a cached statement refuses (0A000, cached plan must not change
	// result type).
	q := u.Query()
	q.Set("default_query_exec_mode", "exec")
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return db
}

package sqlstore_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
)

// t0 has nanoseconds on purpose: the store keeps them.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.UTC)

// openDB opens a fresh, migrated store, a SQLite file or, with
// EVALPANEL_TEST_POSTGRES set, a PostgreSQL database (see storetest), and
// closes it when the test ends.
func openDB(t *testing.T) *sqlstore.DB {
	t.Helper()
	return storetest.Open(t)
}

// sqliteOnly skips a test of something only the SQLite store has.
func sqliteOnly(t *testing.T, what string) {
	t.Helper()
	if storetest.PostgresURL() != "" {
		t.Skipf("%s: SQLite only", what)
	}
}

// inTx runs fn in a transaction and fails the test on an error.
func inTx(t *testing.T, db *sqlstore.DB, fn func(tx evaluation.Tx) error) {
	t.Helper()
	if err := db.InTx(t.Context(), fn); err != nil {
		t.Fatalf("InTx: %v", err)
	}
}

func addAgency(t *testing.T, db *sqlstore.DB, code string) *evaluation.Agency {
	t.Helper()
	a := &evaluation.Agency{Code: code, NameZH: code + " 中心", NameEN: code + " Center", CreatedAt: t0, UpdatedAt: t0}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateAgency(t.Context(), a) })
	return a
}

// addUser stores u, filling in what the test leaves out.
func addUser(t *testing.T, db *sqlstore.DB, u *evaluation.User) *evaluation.User {
	t.Helper()
	if u.Name == "" {
		u.Name = u.Username
	}
	if u.Language == "" {
		u.Language = evaluation.LangZH
	}
	if u.PasswordHash == "" {
		u.PasswordHash = "$argon2id$test"
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt, u.UpdatedAt = t0, t0
	}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateUser(t.Context(), u) })
	return u
}

func addExpert(t *testing.T, db *sqlstore.DB, e *evaluation.Expert) *evaluation.Expert {
	t.Helper()
	if e.Institution == "" {
		e.Institution = "复旦大学"
	}
	if e.TitleLevel == "" {
		e.TitleLevel = evaluation.TitleSenior
	}
	if e.Region == "" {
		e.Region = evaluation.RegionLocal
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt, e.UpdatedAt = t0, t0
	}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateExpert(t.Context(), e) })
	return e
}

// appendAudit appends n entries, one transaction each.
func appendAudit(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	for i := range n {
		inTx(t, db, func(tx evaluation.Tx) error {
			return tx.Audit(t.Context(), evaluation.AuditEvent{Actor: evaluation.System, Action: "test.event",
				ObjectType: "test", ObjectID: "x", Details: map[string]any{"i": i}})
		})
	}
}

// wantError checks that err carries the code and returns the *evaluation.Error.
func wantError(t *testing.T, err error, code evaluation.Code) *evaluation.Error {
	t.Helper()
	if got := evaluation.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	return evaluation.ErrorAs(err)
}

func mustExec(t *testing.T, db *sqlstore.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// latestMigration is the number of the newest migration: a file in dir or
// a Go migration.
func latestMigration(t *testing.T, dir string) int64 {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations in %s: %v", dir, err)
	}
	var latest int64
	for _, f := range files {
		num, _, _ := strings.Cut(filepath.Base(f), "_")
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			t.Fatalf("migration %s: %v", f, err)
		}
		latest = max(latest, n)
	}
	for _, n := range sqlstore.GoMigrationVersions() {
		latest = max(latest, n)
	}
	return latest
}

func page(n, size int) evaluation.Page { return evaluation.Page{Number: n, Size: size} }

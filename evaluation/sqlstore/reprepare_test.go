package sqlstore_test

import (
	"database/sql"
	"sync/atomic"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	sqlite3 "github.com/mattn/go-sqlite3"
)

// compiles counts how often SQLite compiles a statement on connections of
// the driver "sqlite3_compiles": the authorizer is called while a statement
// is prepared (or prepared again), never while it runs.
var compiles atomic.Int64

func init() {
	sql.Register("sqlite3_compiles", &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		c.RegisterAuthorizer(func(int, string, string, string) int {
			compiles.Add(1)
			return sqlite3.SQLITE_OK
		})
		return nil
	}})
}

// TestUnaryPlusKeepsStatementsCached pins down why the hot queries write
// +? (see the package doc): with the DSN's statement cache, a join on a
// plain ? parameter is compiled again on every run with a new value, the
// same query on +? only once. When the first half fails, go-sqlite3 or
// SQLite has changed and the plus is no longer needed.
func TestUnaryPlusKeepsStatementsCached(t *testing.T) {
	sqliteOnly(t, "SQLite's planner")
	db := openDB(t)
	addAgency(t, db, "SSTPC")
	conn, err := sql.Open("sqlite3_compiles", sqlstore.DSN(db.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	for _, tc := range []struct {
		param string
		want  int64 // compilations in 5 runs
	}{
		{"?", 5},
		{"+?", 1},
	} {
		t.Run(tc.param, func(t *testing.T) {
			query := `SELECT count(*) FROM campaigns c JOIN agencies a ON a.id = c.agency_id WHERE c.id = ` + tc.param
			runs := int64(0)
			for id := range int64(5) {
				before := compiles.Load()
				var n int
				if err := conn.QueryRowContext(t.Context(), query, id+2).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if compiles.Load() != before {
					runs++
				}
			}
			if runs != tc.want {
				t.Errorf("%s: compiled in %d of 5 runs, want %d", query, runs, tc.want)
			}
		})
	}
}

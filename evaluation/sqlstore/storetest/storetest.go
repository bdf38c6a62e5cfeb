// Package storetest gives tests a fresh store: a SQLite file in the test's
// temporary folder, or, when EVALPANEL_TEST_POSTGRES holds the URL of a
// PostgreSQL server, a fresh database on that server, dropped when the
// test ends. The same tests thus run on either database:
//
//	go test ./evaluation/...                                                   # SQLite
//	EVALPANEL_TEST_POSTGRES=postgres://postgres@127.0.0.1:55432/postgres go test ./evaluation/...  # PostgreSQL
//
// On PostgreSQL a migrated template database is kept on the server, named
// by the migrations' digest; each test's database is a copy of it, which
// takes a fraction of the time the migrations take.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Env is the variable that selects PostgreSQL.
const Env = "EVALPANEL_TEST_POSTGRES"

// PostgresURL returns the server's URL from Env, or "" when it is unset.
func PostgresURL() string { return os.Getenv(Env) }

// Target returns what to pass to sqlstore.Open for a fresh, empty store:
// a file path, or the URL of a new database when Env is set.
func Target(t testing.TB) string {
	t.Helper()
	server := PostgresURL()
	if server == "" {
		return filepath.Join(t.TempDir(), "evalpanel.db")
	}
	u, err := NewDatabase(t, server, true)
	if err != nil {
		t.Fatalf("new PostgreSQL database: %v", err)
	}
	return u
}

// Open opens a fresh, migrated store (see Target) and closes it when the
// test ends.
func Open(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), Target(t))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close database: %v", err)
		}
	})
	return db
}

var template struct {
	once sync.Once
	name string
	err  error
}

// NewDatabase creates a database on the server at serverURL and returns
// its URL; it is dropped when the test ends. With migrated set it is a
// copy of a migrated template (made once per process); otherwise empty.
func NewDatabase(t testing.TB, serverURL string, migrated bool) (string, error) {
	t.Helper()
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx := context.Background()
	from := "template0"
	if migrated {
		template.once.Do(func() { template.name, template.err = makeTemplate(ctx, admin, serverURL) })
		if template.err != nil {
			return "", template.err
		}
		from = template.name
	}
	name := "evalpanel_test_" + randomHex()
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s ENCODING 'UTF8'`, name, from)); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", serverURL)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return databaseURL(serverURL, name)
}

// makeTemplate returns the template database of the current migrations,
// creating and migrating it unless a process before made it: it is named by
// sqlstore.MigrationsDigest and kept on the server. A session advisory lock
// keeps test processes running at once from making it together.
func makeTemplate(ctx context.Context, admin *sql.DB, serverURL string) (string, error) {
	name := "evalpanel_template_" + sqlstore.MigrationsDigest()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7204611)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(7204611)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'`, building)); err != nil {
		return "", fmt.Errorf("create template database: %w", err)
	}
	u, err := databaseURL(serverURL, building)
	if err != nil {
		return "", err
	}
	db, err := sqlstore.Open(ctx, u)
	if err != nil {
		return "", fmt.Errorf("migrate template database: %w", err)
	}
	if err := db.Close(); err != nil {
		return "", err
	}
	// Renamed only once migrated: a template by the final name is whole.
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
}

// databaseURL is serverURL with its database name replaced by name.
func databaseURL(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("parse %s: %w", Env, err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

func randomHex() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Server returns the URL of the PostgreSQL server a test uses:
// EVALPANEL_TEST_POSTGRES when set, or else a throwaway server of its own,
// started from the PostgreSQL binaries and stopped at cleanup. It skips
// the test when there is neither.
func Server(t testing.TB) string {
	t.Helper()
	if u := os.Getenv(Env); u != "" {
		return u
	}
	bin := "/usr/lib/postgresql/15/bin"
	if _, err := os.Stat(filepath.Join(bin, "initdb")); err != nil {
		p, err := exec.LookPath("initdb")
		if err != nil {
			msg := "PostgreSQL tests skipped: EVALPANEL_TEST_POSTGRES is unset and no initdb was found; " +
				"set it to a server's URL (postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable) or install postgresql"
			if os.Getenv("EVALPANEL_E2E") == "required" {
				t.Fatal(msg + " (EVALPANEL_E2E=required)")
			}
			t.Skip(msg)
		}
		bin = filepath.Dir(p)
	}
	dir, err := os.MkdirTemp("", "evalpanel-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// initdb and postgres refuse to run as root: as root, run them as the
	// postgres user, who then owns the folder.
	run := func(name string, args ...string) *exec.Cmd {
		return exec.Command(filepath.Join(bin, name), args...)
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Skipf("PostgreSQL tests skipped: EVALPANEL_TEST_POSTGRES is unset, and as root a server needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		run = func(name string, args ...string) *exec.Cmd {
			return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...)
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir)
	if out, err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "pg.log"), "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "pg.log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() {
		if out, err := run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop").CombinedOutput(); err != nil {
			t.Errorf("pg_ctl stop: %v\n%s", err, out)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	server := fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	for {
		db, err := sql.Open("pgx", server)
		if err == nil {
			err = db.Ping()
			db.Close()
		}
		if err == nil {
			return server
		}
		if time.Now().After(deadline) {
			t.Fatalf("the throwaway PostgreSQL server does not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// DropTrigger drops one of the schema's triggers on table, as someone who
// can write the database could (PostgreSQL names the table), for tests
// that tamper with what the triggers guard.
func DropTrigger(t testing.TB, db *sqlstore.DB, name, table string) {
	t.Helper()
	q := `DROP TRIGGER ` + name
	if db.Postgres() {
		q += ` ON ` + table
	}
	if _, err := db.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

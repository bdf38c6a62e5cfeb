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
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

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

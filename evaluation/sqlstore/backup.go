package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// Backup writes a consistent copy of the database file at src to the new
// file dst, while other connections and processes go on reading and
// writing src. It runs VACUUM INTO, which reads src inside one read
// transaction: in WAL mode a reader blocks no writer, so the copy is the
// database as of the moment that transaction began, and writers committed
// since are simply not in it. The copy is a compact database in rollback
// journal mode (the server turns it back to WAL when it opens it); Backup
// syncs it to disk, which VACUUM INTO does not. dst must not exist.
func Backup(ctx context.Context, src, dst string) error {
	if err := checkPath(src); err != nil {
		return err
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("backup: %s already exists", dst)
	}
	sqldb, err := sql.Open("sqlite3", DSN(src))
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", src, err)
	}
	defer sqldb.Close()
	if _, err := sqldb.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		os.Remove(dst)
		return fmt.Errorf("backup %s: %w", src, err)
	}
	if err := syncFile(dst); err != nil {
		os.Remove(dst)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// Inspect opens an existing database file read-only, without migrating it,
// for checks (IntegrityCheck, evaluation.VerifyAudit) of a file no server
// uses, such as a backup. Its reads work; it has no writer, so InTx must
// not be called on it. The caller closes it.
func Inspect(ctx context.Context, path string) (*DB, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	v := url.Values{}
	v.Set("mode", "ro")
	v.Set("_busy_timeout", "10000")
	sqldb, err := sql.Open("sqlite3", "file:"+path+"?"+v.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &DB{queries: queries{db: sqldb, rubrics: newRubricContents()}, sqldb: sqldb, path: path}, nil
}

// IntegrityCheck runs PRAGMA integrity_check and PRAGMA foreign_key_check
// and returns an error that lists what they found, nil when the file is
// sound.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	var problems []string
	rows, err := db.sqldb.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	rows, err = db.sqldb.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			rows.Close()
			return fmt.Errorf("foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	if len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("and %d more", len(problems)-10))
		}
		return fmt.Errorf("database %s is damaged: %s", db.path, strings.Join(problems, "; "))
	}
	return nil
}

// Restore copies the database file src (a backup) over dst atomically: into
// a temporary file beside dst, synced, then renamed onto dst. dst's -wal
// and -shm files are removed first: they belong to the database being
// replaced, and SQLite would replay a stale log onto the restored file. No
// process may have dst open (see InUse). src must have no -wal file of its
// own with content (a backup written by Backup has none).
func Restore(src, dst string) error {
	if err := checkPath(dst); err != nil {
		return err
	}
	if fi, err := os.Stat(src + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("restore: %s has a write-ahead log (%s-wal): open it with sqlite3 once to fold it in", src, src)
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	dir := filepath.Dir(dst)
	tmp, err := os.CreateTemp(dir, filepath.Base(dst)+".restore-*")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.ReadFrom(in); err != nil {
		tmp.Close()
		return fmt.Errorf("restore: copy %s: %w", src, err)
	}
	if err := errors.Join(tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore: remove stale %s%s: %w", dst, suffix, err)
		}
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return syncDir(dir)
}

// InUse tells whether another connection, in this process or another, has
// the WAL database at path open: leaving WAL mode needs the only
// connection. It leaves the file in rollback journal mode when nobody has
// it open (the log folded in); the server turns WAL back on when it opens
// it. A file that does not exist is not in use.
func InUse(ctx context.Context, path string) (bool, error) {
	if err := checkPath(path); err != nil {
		return false, err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	sqldb, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=2000")
	if err != nil {
		return false, err
	}
	defer sqldb.Close()
	var mode string
	if err := sqldb.QueryRowContext(ctx, `PRAGMA journal_mode = DELETE`).Scan(&mode); err != nil {
		if isBusy(err) {
			return true, nil
		}
		return false, fmt.Errorf("check %s: %w", path, err)
	}
	return mode != "delete", nil
}

func checkPath(path string) error {
	if path == "" || strings.ContainsAny(path, "?#") {
		return fmt.Errorf("bad database path %q", path)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir makes a rename in the folder durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, os.ErrInvalid) { // folders cannot be synced on some systems
		err = nil
	}
	return errors.Join(err, d.Close())
}

// isBusy tells whether err is SQLite's "database is locked" or "database
// table is locked".
func isBusy(err error) bool {
	var e sqlite3.Error
	return errors.As(err, &e) && (e.Code == sqlite3.ErrBusy || e.Code == sqlite3.ErrLocked)
}

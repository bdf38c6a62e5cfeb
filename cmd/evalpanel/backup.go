package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// cmdBackup writes a consistent copy of the database while the server goes
// on serving, checks it (integrity and audit chain) and only then gives it
// its name: a backup file that exists passed the checks.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("backup", stderr)
	to := fs.String("to", "", "the backup file to write; it must not exist")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := sqliteOnly("backup", *dbPath, "use pg_dump (see README, Operations)", stderr); err != nil {
		return err
	}
	if *to == "" {
		fmt.Fprintln(stderr, "backup: give the backup file with --to FILE")
		return exitError(2)
	}
	if _, err := os.Stat(*dbPath); err != nil {
		fmt.Fprintf(stderr, "backup: %v\n", err)
		return exitError(1)
	}
	if _, err := os.Lstat(*to); err == nil {
		fmt.Fprintf(stderr, "backup: %s already exists; choose a new file\n", *to)
		return exitError(1)
	}
	start := time.Now()
	tmp := filepath.Join(filepath.Dir(*to), fmt.Sprintf(".%s.partial-%d", filepath.Base(*to), os.Getpid()))
	os.Remove(tmp) // left by an earlier run of this process id that was interrupted
	defer os.Remove(tmp)
	if err := sqlstore.Backup(ctx, *dbPath, tmp); err != nil {
		return err
	}
	took := time.Since(start)
	entries, head, err := checkDatabaseFile(ctx, tmp)
	if err != nil {
		fmt.Fprintf(stderr, "backup: the copy of %s fails its checks, so no backup was written: %v\n", *dbPath, err)
		return exitError(1)
	}
	if err := nameBackup(tmp, *to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s: %d bytes in %s; integrity ok; audit log intact: %d entries\n",
		*dbPath, *to, fi.Size(), took.Round(time.Millisecond), entries)
	if head.LastID > 0 {
		fmt.Fprintf(stdout, "anchor: %d:%s\n", head.LastID, head.LastHash)
	}
	return nil
}

// cmdRestore puts a backup in place of the database file. The server must
// be stopped; an existing database is replaced only with --force.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("restore", stderr)
	from := fs.String("from", "", "the backup file to restore")
	force := fs.Bool("force", false, "replace the database file if it exists")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := sqliteOnly("restore", *dbPath, "use pg_restore (see README, Operations)", stderr); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(stderr, "restore: give the backup file with --from FILE")
		return exitError(2)
	}
	if _, err := os.Stat(*from); err != nil {
		fmt.Fprintf(stderr, "restore: %v\n", err)
		return exitError(1)
	}
	_, statErr := os.Stat(*dbPath)
	exists := !errors.Is(statErr, os.ErrNotExist)
	if exists && !*force {
		fmt.Fprintf(stderr, "restore: %s exists; stop the server and add --force to replace it\n", *dbPath)
		return exitError(1)
	}
	entries, head, err := checkDatabaseFile(ctx, *from)
	if err != nil {
		fmt.Fprintf(stderr, "restore: %s fails its checks, nothing was restored: %v\n", *from, err)
		return exitError(1)
	}
	if exists {
		busy, err := sqlstore.InUse(ctx, *dbPath)
		if err != nil {
			// A damaged database may not open; it is being replaced.
			fmt.Fprintf(stderr, "restore: warning: %v\n", err)
		}
		if busy {
			fmt.Fprintf(stderr, "restore: %s is open in another process; stop the server first\n", *dbPath)
			return exitError(1)
		}
	}
	if err := sqlstore.Restore(*from, *dbPath); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s: integrity ok; audit log intact: %d entries\n", *dbPath, *from, entries)
	if head.LastID > 0 {
		fmt.Fprintf(stdout, "anchor: %d:%s\n", head.LastID, head.LastHash)
	}
	return nil
}

// checkDatabaseFile opens a database file no server uses, read-only, and
// checks it: PRAGMA integrity_check, foreign keys, and the audit chain.
func checkDatabaseFile(ctx context.Context, path string) (int64, evaluation.AuditHead, error) {
	db, err := sqlstore.Inspect(ctx, path)
	if err != nil {
		return 0, evaluation.AuditHead{}, err
	}
	defer db.Close()
	if err := db.IntegrityCheck(ctx); err != nil {
		return 0, evaluation.AuditHead{}, err
	}
	n, head, problem, err := evaluation.VerifyAudit(ctx, db)
	if err != nil {
		return n, head, fmt.Errorf("audit log: %w", err)
	}
	if problem != nil {
		return n, head, fmt.Errorf("audit log BROKEN at entry %d: %s", problem.EntryID, problem.Reason)
	}
	return n, head, nil
}

// nameBackup gives the checked copy its name: a hard link, which unlike a
// rename never replaces a file made meanwhile, or, where the file system
// has no hard links, a rename after one more look.
func nameBackup(tmp, to string) error {
	err := os.Link(tmp, to)
	if err == nil || errors.Is(err, os.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(to); serr == nil {
		return fmt.Errorf("%s already exists", to)
	}
	return os.Rename(tmp, to)
}

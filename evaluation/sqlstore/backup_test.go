package sqlstore_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// TestBackupAndRestore: a backup taken while the database is open holds
// what was committed, passes the checks, and a restore puts it in place of
// another database whose stale log would otherwise be replayed onto it.
func TestBackupAndRestore(t *testing.T) {
	sqliteOnly(t, "online backup of the database file")
	ctx := t.Context()
	dir := t.TempDir()
	db := openDB(t)
	addAgency(t, db, "BAK")

	if busy, err := sqlstore.InUse(ctx, db.Path()); err != nil || !busy {
		t.Errorf("InUse of an open database = %v, %v; want true", busy, err)
	}
	bak := filepath.Join(dir, "backup.db")
	if err := sqlstore.Backup(ctx, db.Path(), bak); err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Backup(ctx, db.Path(), bak); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second backup to the same file: %v, want already exists", err)
	}
	addAgency(t, db, "LATER") // after the backup: not in it

	// The target: another database, open in WAL mode with a log, then
	// closed by a crash (its -wal and -shm stay).
	target := filepath.Join(dir, "target.db")
	other, err := sqlstore.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.SQL().ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
		t.Fatal(err)
	}
	addAgency(t, other, "STALE")
	if busy, err := sqlstore.InUse(ctx, target); err != nil || !busy {
		t.Errorf("InUse of an open target = %v, %v; want true", busy, err)
	}
	// Copy the -wal as a crash would leave it, then close.
	wal, err := os.ReadFile(target + "-wal")
	if err != nil || len(wal) == 0 {
		t.Fatalf("target has no log to go stale: %v", err)
	}
	other.Close()
	if err := os.WriteFile(target+"-wal", wal, 0o600); err != nil {
		t.Fatal(err)
	}

	if err := sqlstore.Restore(bak, target); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(target + suffix); err == nil {
			t.Errorf("%s%s still there after the restore", target, suffix)
		}
	}
	got, err := sqlstore.Inspect(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if err := got.IntegrityCheck(ctx); err != nil {
		t.Errorf("restored file: %v", err)
	}
	var codes []string
	rows, err := got.SQL().QueryContext(ctx, `SELECT code FROM agencies ORDER BY code`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		rows.Scan(&c)
		codes = append(codes, c)
	}
	rows.Close()
	if strings.Join(codes, ",") != "BAK" {
		t.Errorf("agencies in the restored file = %v, want [BAK]", codes)
	}
	if _, err := got.SQL().ExecContext(ctx, `DELETE FROM agencies`); err == nil {
		t.Error("Inspect opened the file writable")
	}
}

func TestIntegrityCheckFindsDamage(t *testing.T) {
	sqliteOnly(t, "PRAGMA integrity_check")
	ctx := t.Context()
	db := openDB(t)
	for i := range 50 {
		addAgency(t, db, "D"+strings.Repeat("x", i))
	}
	bak := filepath.Join(t.TempDir(), "backup.db")
	if err := sqlstore.Backup(ctx, db.Path(), bak); err != nil {
		t.Fatal(err)
	}
	// Overwrite the middle pages with garbage.
	b, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 3; i < 2*len(b)/3; i++ {
		b[i] = byte(i * 7)
	}
	if err := os.WriteFile(bak, b, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := sqlstore.Inspect(ctx, bak)
	if err != nil {
		return // refused at open: damage found
	}
	defer got.Close()
	if err := got.IntegrityCheck(ctx); err == nil {
		t.Error("IntegrityCheck of a damaged file = nil, want an error")
	}
}

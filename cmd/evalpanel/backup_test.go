package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// TestBackupWhileWriting takes a backup while clients save and submit
// sheets on a server in another process, then restores it and serves from
// it: the backup passes the integrity and audit checks and holds every
// write acknowledged before it began.
func TestBackupWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the server as a child process")
	}
	ctx := t.Context()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "evalpanel.db")
	const clientCount = 4
	sheets, _, err := setupBench(ctx, dbPath, clientCount*60)
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	starter := childStarter{command: testCommand, db: dbPath, data: filepath.Join(dir, "data"), log: logFile}
	srv, err := starter.start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.terminate()

	var live atomic.Pointer[string]
	live.Store(&srv.url)
	var clients []*crashClient
	for i, list := range splitSheets(sheets, clientCount) {
		clients = append(clients, newCrashClient(i, list, rand.New(rand.NewPCG(7, uint64(i))), &live))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.run(ctx, stop) }()
	}
	stopClients := sync.OnceFunc(func() { close(stop); wg.Wait() })
	defer stopClients()

	waitFor := func(n int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for acknowledged(clients) < n {
			if time.Now().After(deadline) {
				t.Fatalf("only %d writes acknowledged after 30s, want %d", acknowledged(clients), n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor(200)
	before := map[benchSheet]crashAck{}
	for _, c := range clients {
		for sh, a := range c.lastAcks() {
			before[sh] = a
		}
	}
	acksAtStart := acknowledged(clients)
	bak := filepath.Join(dir, "backups", "evalpanel-backup.db")
	if err := os.MkdirAll(filepath.Dir(bak), 0o750); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := cli(t, "", "backup", "--db", dbPath, "--to", bak)
	took := time.Since(start)
	during := acknowledged(clients) - acksAtStart
	if r.code() != 0 || !strings.Contains(r.stdout, "integrity ok; audit log intact") {
		t.Fatalf("backup: exit %d\nstdout: %s\nstderr: %s", r.code(), r.stdout, r.stderr)
	}
	waitFor(acknowledged(clients) + 100) // the writers go on
	stopClients()
	t.Logf("backup in %s, while %d writes were acknowledged; %s", took.Round(time.Millisecond), during, strings.TrimSpace(r.stdout))
	if r := cli(t, "", "backup", "--db", dbPath, "--to", bak); r.code() != 1 || !strings.Contains(r.stderr, "already exists") {
		t.Errorf("backup onto an existing file: exit %d, stderr %q; want 1 and already exists", r.code(), r.stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(bak), ".*")); len(left) > 0 {
		t.Errorf("partial files left beside the backup: %v", left)
	}

	// Every write acknowledged before the backup began is in it.
	b, err := sqlstore.Inspect(ctx, bak)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for sh, a := range before {
		var version int
		var status evaluation.SheetStatus
		err := b.SQL().QueryRowContext(ctx, `SELECT version, status FROM sheets WHERE id = ?`, a.sheetID).Scan(&version, &status)
		if err != nil || version < a.version || a.submit && status != evaluation.SheetSubmitted {
			missing++
			t.Errorf("project %d, sheet %d: backup has version %d, %s (%v); acknowledged version %d (submit %v) before the backup",
				sh.projectID, a.sheetID, version, status, err, a.version, a.submit)
		}
	}
	b.Close()
	if len(before) < 20 {
		t.Errorf("only %d sheets written before the backup, want 20 or more", len(before))
	}
	t.Logf("%d sheets acknowledged before the backup checked in it, %d missing", len(before), missing)

	// Restore: into a new file; refused over an existing one without
	// --force, and over one a server has open even with it.
	restored := filepath.Join(dir, "restored.db")
	if r := cli(t, "", "restore", "--from", bak, "--db", restored); r.code() != 0 || !strings.Contains(r.stdout, "audit log intact") {
		t.Fatalf("restore: exit %d\nstdout: %s\nstderr: %s", r.code(), r.stdout, r.stderr)
	}
	if r := cli(t, "", "restore", "--from", bak, "--db", restored); r.code() != 1 || !strings.Contains(r.stderr, "--force") {
		t.Errorf("restore over an existing file: exit %d, stderr %q; want 1 and a word about --force", r.code(), r.stderr)
	}
	srv2, err := childStarter{command: testCommand, db: restored, data: filepath.Join(dir, "data"), log: logFile}.start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer srv2.terminate()
	if r := cli(t, "", "restore", "--from", bak, "--db", restored, "--force"); r.code() != 1 || !strings.Contains(r.stderr, "stop the server") {
		t.Errorf("restore over a database in use: exit %d, stderr %q; want 1 and stop the server", r.code(), r.stderr)
	}

	// The restored server serves the sheets as the backup holds them and
	// takes new saves.
	hc := &http.Client{Timeout: 10 * time.Second}
	for sh, a := range before {
		got, err := fetchSheet(ctx, hc, srv2.url, sh.token, sh.projectID)
		if err != nil {
			t.Fatalf("restored server: %v", err)
		}
		if got.Version < a.version {
			t.Errorf("restored server: project %d at version %d, want at least %d", sh.projectID, got.Version, a.version)
		}
	}
	saved := false
	for _, sh := range sheets {
		got, err := fetchSheet(ctx, hc, srv2.url, sh.token, sh.projectID)
		if err != nil {
			t.Fatalf("restored server: %v", err)
		}
		if got.Status == evaluation.SheetSubmitted {
			continue
		}
		body := fmt.Appendf(nil, `{"version":%d,"scores":{"A1":12},"comments":{"A1":"恢复后保存"},"opinion":""}`, got.Version)
		out, status, err := crashDo(ctx, hc, http.MethodPut, fmt.Sprintf("%s/api/v1/projects/%d/sheet", srv2.url, sh.projectID), sh.token, body)
		if err != nil || status != http.StatusOK {
			t.Errorf("save on the restored server: %d, %v: %.300s", status, err, out)
		}
		saved = true
		break
	}
	if !saved {
		t.Error("no sheet left to save on the restored server")
	}
	if err := srv2.terminate(); err != nil {
		t.Error(err)
	}

	// With the server stopped, --force replaces the file; its stale log
	// and shared-memory files go with it.
	if r := cli(t, "", "restore", "--from", bak, "--db", restored, "--force"); r.code() != 0 {
		t.Errorf("restore --force over a stopped database: exit %d, stderr %q", r.code(), r.stderr)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(restored + suffix); err == nil {
			t.Errorf("%s%s left after the restore", restored, suffix)
		}
	}
}

// TestRestoreRefusesDamagedBackups: a backup whose audit log was edited,
// whose pages are damaged, or that is no database at all is not restored,
// and the database it would have replaced stays as it was.
func TestRestoreRefusesDamagedBackups(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "evalpanel.db")
	cliSeedAgency(t, src)
	bak := filepath.Join(dir, "backup.db")
	if r := cli(t, "", "backup", "--db", src, "--to", bak); r.code() != 0 {
		t.Fatalf("backup: exit %d, stderr %q", r.code(), r.stderr)
	}
	good, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		damage func(path string) error
		want   string
	}{
		{"audit entry edited", func(path string) error {
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				return err
			}
			defer db.Close()
			_, err = db.Exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details = '{"x":1}' WHERE id = (SELECT max(id) FROM audit_log)`)
			return err
		}, "audit log BROKEN"},
		{"audit entry deleted", func(path string) error {
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				return err
			}
			defer db.Close()
			_, err = db.Exec(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)`)
			return err
		}, "audit log BROKEN"},
		{"pages damaged", func(path string) error {
			b := slices.Clone(good)
			for i := len(b) / 3; i < 2*len(b)/3; i++ {
				b[i] = byte(i * 7)
			}
			return os.WriteFile(path, b, 0o600)
		}, "fails its checks"},
		{"not a database", func(path string) error {
			return os.WriteFile(path, []byte("evalpanel backup? no.\n"), 0o600)
		}, "fails its checks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(bad, good, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := tc.damage(bad); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(t.TempDir(), "target.db")
			if r := cli(t, "", "restore", "--from", bad, "--db", target); r.code() != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("restore: exit %d, stderr %q; want 1 and %q", r.code(), r.stderr, tc.want)
			}
			if _, err := os.Stat(target); err == nil {
				t.Errorf("%s was made from a damaged backup", target)
			}
			before, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if r := cli(t, "", "restore", "--from", bad, "--db", src, "--force"); r.code() != 1 {
				t.Errorf("restore --force over a database: exit %d, want 1", r.code())
			}
			if after, _ := os.ReadFile(src); !bytes.Equal(before, after) {
				t.Error("the database was changed by a refused restore")
			}
		})
	}
}

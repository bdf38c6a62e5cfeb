package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/google/go-cmp/cmp"
)

// cliResult is what one command line produced.
type cliResult struct {
	stdout, stderr string
	err            error
}

// code is the exit status the command would end with: 0, an exitError's
// status, or 1 for any other error (as main does).
func (r cliResult) code() int {
	var exit exitError
	switch {
	case r.err == nil:
		return 0
	case errors.As(r.err, &exit):
		return int(exit)
	}
	return 1
}

// cli runs an evalpanel command line in-process.
func cli(t *testing.T, stdin string, args ...string) cliResult {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), args, strings.NewReader(stdin), &stdout, &stderr)
	return cliResult{stdout.String(), stderr.String(), err}
}

// cliOpen opens the database file with a fast password hasher, for checks
// and set-up; it is closed when the test ends or when close is called.
func cliOpen(t *testing.T, path string) (*sqlstore.DB, *evaluation.Services) {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	svc, err := evaluation.New(db, password.New(password.Fast))
	if err != nil {
		t.Fatal(err)
	}
	return db, svc
}

// cliSeedAgency creates the agency SSTPC in the database file and closes it.
func cliSeedAgency(t *testing.T, path string) {
	t.Helper()
	db, svc := cliOpen(t, path)
	if _, err := svc.Accounts.CreateAgency(t.Context(), evaluation.System, evaluation.NewAgency{Code: "SSTPC",
		NameZH: "上海市科技项目评估中心", NameEN: "Shanghai S&T Project Evaluation Center"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// cliCounts returns the number of users and of audit entries in the file.
func cliCounts(t *testing.T, path string) (users, entries int) {
	t.Helper()
	db, _ := cliOpen(t, path)
	defer db.Close() // before the next command opens the file
	c, err := db.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c.Users, c.AuditEntries
}

// cliLatestMigration is the number of the newest migration: a file or a Go
// migration.
func cliLatestMigration(t *testing.T) int64 {
	t.Helper()
	files, err := filepath.Glob("../../evaluation/sqlstore/migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration files found: %v", err)
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

func TestCLIMigrate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evalpanel.db")
	version := cliLatestMigration(t)
	for _, round := range []string{"new file", "already migrated"} {
		t.Run(round, func(t *testing.T) {
			r := cli(t, "", "migrate", "--db", path)
			if r.err != nil {
				t.Fatalf("migrate: %v (stderr %q)", r.err, r.stderr)
			}
			if want := fmt.Sprintf("database %s is at schema version %d\n", path, version); r.stdout != want {
				t.Errorf("stdout = %q, want %q", r.stdout, want)
			}
		})
	}
	db, _ := cliOpen(t, path)
	if v, err := db.Version(t.Context()); err != nil || v != version {
		t.Errorf("Version = %d, %v; want %d", v, err, version)
	}
}

func TestCLIUsage(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout bool // usage on stdout rather than stderr
	}{
		{"help", []string{"help"}, 0, true},
		{"--help", []string{"--help"}, 0, true},
		{"unknown command", []string{"frobnicate"}, 2, false},
		{"user without add", []string{"user", "list"}, 2, false},
		{"audit without verify", []string{"audit"}, 2, false},
		{"stray argument", []string{"migrate", "--db", filepath.Join(t.TempDir(), "x.db"), "extra"}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, "", tt.args...)
			if got := r.code(); got != tt.wantCode {
				t.Errorf("exit status = %d (%v), want %d", got, r.err, tt.wantCode)
			}
			out := r.stderr
			if tt.wantStdout {
				out = r.stdout
			}
			if !strings.Contains(out, "usage") && !strings.Contains(out, "unexpected argument") {
				t.Errorf("output = %q, want the usage or the stray argument named", out)
			}
		})
	}
}

func TestCLIUserAdd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evalpanel.db")
	cliSeedAgency(t, path)
	const secret = "li-wei-secret-2025"
	r := cli(t, secret+"\r\n", "user", "add", "--db", path, "--username", "Li.Wei", "--name", "李伟",
		"--role", "agency_staff", "--agency", "SSTPC", "--password-stdin")
	if r.err != nil {
		t.Fatalf("user add: %v (stderr %q)", r.err, r.stderr)
	}
	if want := "created user li.wei (id 1, role agency_staff)\n"; r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}

	db, svc := cliOpen(t, path)
	u, err := db.UserByUsername(t.Context(), "li.wei")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{"name": u.Name, "role": string(u.Role), "agency": u.AgencyCode, "language": string(u.Language)}
	want := map[string]string{"name": "李伟", "role": "agency_staff", "agency": "SSTPC", "language": "zh-CN"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored user (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("password hash = %q, want argon2id", u.PasswordHash)
	}
	// The line end is not part of the password.
	if _, err := svc.Accounts.Authenticate(t.Context(), "li.wei", secret); err != nil {
		t.Errorf("sign in with the password given on stdin: %v", err)
	}
	entries, _, err := db.AuditEntries(t.Context(), evaluation.AuditFilter{Action: "user.create", Page: evaluation.Page{Number: 1, Size: 5}})
	if err != nil || len(entries) != 1 || entries[0].Actor != "system" {
		t.Errorf("user.create entries = %v, %v; want one by the system", entries, err)
	}
}

func TestCLIUserAddRefusals(t *testing.T) {
	path := filepath.Join(t.TempDir(), "evalpanel.db")
	cliSeedAgency(t, path)
	if r := cli(t, "existing-password\n", "user", "add", "--db", path, "--username", "existing", "--role", "commission", "--password-stdin"); r.err != nil {
		t.Fatalf("user add existing: %v (stderr %q)", r.err, r.stderr)
	}
	users, entries := cliCounts(t, path)

	base := []string{"user", "add", "--db", path}
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantStderr string
	}{
		{"without --password-stdin", []string{"--username", "zhou", "--role", "commission"},
			"a-good-password\n", 2, "--password-stdin is required"},
		{"password as an argument", []string{"--username", "zhou", "--role", "commission", "--password", "a-good-password"},
			"", 2, "flag provided but not defined: -password"},
		{"short password", []string{"--username", "zhou", "--role", "commission", "--password-stdin"},
			"short\n", 1, "password: error.password_too_short"},
		{"empty stdin", []string{"--username", "zhou", "--role", "commission", "--password-stdin"},
			"", 1, "password: error.password_too_short"},
		{"unknown role", []string{"--username", "zhou", "--role", "root", "--password-stdin"},
			"a-good-password\n", 1, "role: error.role_invalid"},
		{"staff without agency", []string{"--username", "zhou", "--role", "agency_staff", "--password-stdin"},
			"a-good-password\n", 1, "agency: error.agency_required"},
		{"unknown agency", []string{"--username", "zhou", "--role", "agency_staff", "--agency", "NOPE", "--password-stdin"},
			"a-good-password\n", 1, "agency: error.agency_unknown"},
		{"bad username", []string{"--username", "a b", "--role", "commission", "--password-stdin"},
			"a-good-password\n", 1, "username: error.username_format"},
		{"username taken", []string{"--username", "EXISTING", "--role", "commission", "--password-stdin"},
			"a-good-password\n", 1, "username: error.already_exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cli(t, tt.stdin, append(append([]string{}, base...), tt.args...)...)
			if got := r.code(); got != tt.wantCode {
				t.Errorf("exit status = %d (%v), want %d", got, r.err, tt.wantCode)
			}
			var exit exitError
			if !errors.As(r.err, &exit) {
				t.Errorf("error = %v, want an exitError (the command has already said why)", r.err)
			}
			if !strings.Contains(r.stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tt.wantStderr)
			}
			if strings.Contains(r.stdout, "created") {
				t.Errorf("stdout = %q, want nothing created", r.stdout)
			}
			if u, e := cliCounts(t, path); u != users || e != entries {
				t.Errorf("%d users and %d audit entries after the refusal, want %d and %d", u, e, users, entries)
			}
		})
	}
}

// TestCLIUserAddThenAPIToken is the foundation's done-when: an account made
// on the command line signs in to the real server over HTTP, uses its
// bearer token, revokes it, and the revoked token is refused.
func TestCLIUserAddThenAPIToken(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evalpanel.db")
	cliSeedAgency(t, path)
	const secret = "li-wei-secret-2025"
	if r := cli(t, secret+"\n", "user", "add", "--db", path, "--username", "li.wei", "--name", "李伟",
		"--role", "agency_staff", "--agency", "SSTPC", "--password-stdin"); r.err != nil {
		t.Fatalf("user add: %v (stderr %q)", r.err, r.stderr)
	}

	s, err := startServer(t.Context(), serverConfig{Addr: "127.0.0.1:0", DB: path, DataDir: filepath.Join(dir, "data"),
		Password: password.Fast, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Stdout: io.Discard})
	if err != nil {
		t.Fatalf("startServer: %v", err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			if err := s.shutdown(5 * time.Second); err != nil {
				t.Errorf("shutdown: %v", err)
			}
		}
	}
	t.Cleanup(stop)

	client := &http.Client{Timeout: 10 * time.Second}
	call := func(t *testing.T, method, path, token, body string) (int, http.Header, []byte) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, b
	}
	wantUnauthenticated := func(t *testing.T, status int, h http.Header, body []byte) {
		t.Helper()
		if status != http.StatusUnauthorized {
			t.Errorf("status = %d, want 401; body %s", status, body)
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q, want JSON", ct)
		}
		var e struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("error body %s: %v", body, err)
		}
		if e.Error.Code != "unauthenticated" || e.Error.Message == "" {
			t.Errorf("error = %+v, want code unauthenticated with a message", e.Error)
		}
	}

	var token string
	steps := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"wrong password is refused", func(t *testing.T) {
			status, h, body := call(t, http.MethodPost, "/api/v1/auth/token", "", `{"username":"li.wei","password":"wrong-password"}`)
			wantUnauthenticated(t, status, h, body)
		}},
		{"token for the right password", func(t *testing.T) {
			status, _, body := call(t, http.MethodPost, "/api/v1/auth/token", "", fmt.Sprintf(`{"username":"li.wei","password":%q}`, secret))
			if status != http.StatusCreated {
				t.Fatalf("status = %d, want 201; body %s", status, body)
			}
			var resp struct {
				Token string `json:"token"`
			}
			if err := json.Unmarshal(body, &resp); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if !strings.HasPrefix(resp.Token, "ep_") {
				t.Fatalf("token = %q, want ep_…", resp.Token)
			}
			token = resp.Token
		}},
		{"me without a token", func(t *testing.T) {
			status, h, body := call(t, http.MethodGet, "/api/v1/me", "", "")
			wantUnauthenticated(t, status, h, body)
		}},
		{"me with the token", func(t *testing.T) {
			status, _, body := call(t, http.MethodGet, "/api/v1/me", token, "")
			if status != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", status, body)
			}
			var me struct {
				Username string `json:"username"`
				Name     string `json:"name"`
				Role     string `json:"role"`
				Agency   string `json:"agency"`
			}
			if err := json.Unmarshal(body, &me); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			want := struct{ Username, Name, Role, Agency string }{"li.wei", "李伟", "agency_staff", "SSTPC"}
			if diff := cmp.Diff(want, struct{ Username, Name, Role, Agency string }(me)); diff != "" {
				t.Errorf("me (-want +got):\n%s", diff)
			}
			if bytes.Contains(body, []byte("argon2")) || bytes.Contains(body, []byte("password")) {
				t.Errorf("me shows the password hash: %s", body)
			}
		}},
		{"revoke the current token", func(t *testing.T) {
			status, _, body := call(t, http.MethodDelete, "/api/v1/auth/token", token, "")
			if status != http.StatusNoContent {
				t.Fatalf("status = %d, want 204; body %s", status, body)
			}
		}},
		{"me with the revoked token", func(t *testing.T) {
			status, h, body := call(t, http.MethodGet, "/api/v1/me", token, "")
			wantUnauthenticated(t, status, h, body)
		}},
		{"revoking again", func(t *testing.T) {
			status, h, body := call(t, http.MethodDelete, "/api/v1/auth/token", token, "")
			wantUnauthenticated(t, status, h, body)
		}},
	}
	for _, st := range steps {
		if !t.Run(st.name, st.do) {
			t.FailNow() // later steps build on this one
		}
	}
	stop()

	// Everything the server did is in an intact audit log.
	r := cli(t, "", "audit", "verify", "--db", path)
	if r.err != nil {
		t.Fatalf("audit verify after the session: %v (stderr %q)", r.err, r.stderr)
	}
	db, _ := cliOpen(t, path)
	for _, action := range []string{"token.create", "token.revoke"} {
		_, n, err := db.AuditEntries(t.Context(), evaluation.AuditFilter{Action: action, Page: evaluation.Page{Number: 1, Size: 1}})
		if err != nil || n != 1 {
			t.Errorf("%s entries = %d, %v; want 1", action, n, err)
		}
	}
}

// sqlite3CLI returns the sqlite3 command-line tool, skipping the test when
// it is missing unless EVALPANEL_E2E=required (as in CI).
func sqlite3CLI(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("EVALPANEL_E2E") == "required" {
			t.Fatalf("sqlite3 command-line tool not found and EVALPANEL_E2E=required: %v", err)
		}
		t.Skip("skipping: the sqlite3 command-line tool is not on PATH (apt-get install sqlite3); " +
			"set EVALPANEL_E2E=required to make this a failure")
	}
	return p
}

// cliCopyDB copies a closed database file (and its WAL, should one be left).
func cliCopyDB(t *testing.T, src, dst string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(src + suffix)
		if suffix != "" && errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCLIAuditVerify is the other done-when: `audit verify` passes on the
// demo's log and names the entry that someone changed or removed with the
// sqlite3 tool, once they got past the append-only triggers.
func TestCLIAuditVerify(t *testing.T) {
	sqlite3 := sqlite3CLI(t)
	dir := t.TempDir()
	pristine := filepath.Join(dir, "pristine.db")
	if r := cli(t, "", "demo", "--db", pristine, "--data", t.TempDir()); r.err != nil || !strings.Contains(r.stdout, "Demo data seeded.") {
		t.Fatalf("demo: %v, stdout %q, stderr %q", r.err, r.stdout, r.stderr)
	}

	r := cli(t, "", "audit", "verify", "--db", pristine)
	if r.err != nil {
		t.Fatalf("audit verify on the demo: %v (stderr %q)", r.err, r.stderr)
	}
	m := regexp.MustCompile(`^audit log intact: (\d+) entries\n`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("stdout = %q, want the number of intact entries", r.stdout)
	}
	n, _ := strconv.Atoi(m[1])
	if n < 50 {
		t.Fatalf("the demo wrote %d audit entries, want a realistic log (50 or more)", n)
	}

	sql := func(t *testing.T, path, query string) (string, error) {
		t.Helper()
		out, err := exec.Command(sqlite3, path, query).CombinedOutput()
		return string(out), err
	}

	t.Run("triggers refuse changes", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "copy.db")
		cliCopyDB(t, pristine, path)
		for _, query := range []string{
			`UPDATE audit_log SET details='{"x":1}' WHERE id=17;`,
			`DELETE FROM audit_log WHERE id=17;`,
		} {
			out, err := sql(t, path, query)
			if err == nil || !strings.Contains(out, "append-only") {
				t.Errorf("sqlite3 %q: %v, output %q; want the append-only refusal", query, err, out)
			}
		}
		if r := cli(t, "", "audit", "verify", "--db", path); r.err != nil {
			t.Errorf("audit verify after refused changes: %v (stderr %q)", r.err, r.stderr)
		}
	})

	tests := []struct {
		name      string
		query     string
		wantEntry int
	}{
		{"middle entry edited", `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET details='{"x":1}' WHERE id=17;`, 17},
		{"middle entry deleted", `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id=17;`, 17},
		{"last entry deleted", fmt.Sprintf(`DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id=%d;`, n), n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tampered.db")
			cliCopyDB(t, pristine, path)
			if out, err := sql(t, path, tt.query); err != nil {
				t.Fatalf("sqlite3: %v: %s", err, out)
			}
			r := cli(t, "", "audit", "verify", "--db", path)
			if got := r.code(); got != 1 {
				t.Errorf("exit status = %d (%v), want 1", got, r.err)
			}
			var exit exitError
			if !errors.As(r.err, &exit) {
				t.Errorf("error = %v, want an exitError", r.err)
			}
			if want := fmt.Sprintf("entry %d:", tt.wantEntry); !strings.Contains(r.stderr, want) {
				t.Errorf("stderr = %q, want it to name %q", r.stderr, want)
			}
			if strings.Contains(r.stdout, "intact") {
				t.Errorf("stdout = %q, want no claim that the log is intact", r.stdout)
			}
		})
	}
}

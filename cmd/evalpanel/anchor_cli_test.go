package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCLIAuditAnchor: verify prints an anchor for the newest entry, accepts
// it back, and refuses a wrong one naming the entry.
func TestCLIAuditAnchor(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	if r := cli(t, "", "demo", "--db", db, "--data", t.TempDir()); r.code() != 0 {
		t.Fatalf("demo: %+v", r)
	}
	r := cli(t, "", "audit", "verify", "--db", db)
	m := regexp.MustCompile(`anchor: (\d+):([0-9a-f]{64})`).FindStringSubmatch(r.stdout)
	if r.code() != 0 || m == nil {
		t.Fatalf("verify printed no anchor: %+v", r)
	}
	if r := cli(t, "", "audit", "verify", "--db", db, "--anchor", m[1]+":"+m[2]); r.code() != 0 {
		t.Errorf("verify with its own anchor: %+v", r)
	}
	wrong := m[1] + ":" + strings.Repeat("0", 64)
	if r := cli(t, "", "audit", "verify", "--db", db, "--anchor", wrong); r.code() != 1 || !strings.Contains(r.stderr, "entry "+m[1]) {
		t.Errorf("verify with a wrong anchor: %+v, want exit 1 naming entry %s", r, m[1])
	}
	if r := cli(t, "", "audit", "verify", "--db", db, "--anchor", "nonsense"); r.code() != 2 {
		t.Errorf("malformed anchor: %+v, want exit 2", r)
	}
}

package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestBench runs the bench end to end in its quick form (with 3 clients
// instead of 4): every measured request succeeds and is a real save (the
// sheets are stored, submitted, and the audit chain holds them), the table
// has a row per scenario and number of clients (draft and submit also at
// 8, for the peer's figure), and the match stores a panel per project. It
// asserts no timing.
func TestBench(t *testing.T) {
	dir := t.TempDir()
	r := cli(t, "", "bench", "--quick", "--clients", "1,3", "--requests", "20", "--db-dir", dir, "--keep")
	if r.code() != 0 {
		t.Fatalf("bench: exit %d\nstdout:\n%s\nstderr:\n%s", r.code(), r.stdout, r.stderr)
	}
	row := regexp.MustCompile(`(?m)^\s*(draft|submit|home|results)\s+(\d+)\s+(\d+)\s+\d+\s+\S+\s+\S+\s+(\d+)\s`)
	var got []string
	for _, m := range row.FindAllStringSubmatch(r.stdout, -1) {
		got = append(got, strings.Join(m[1:], " "))
	}
	want := []string{"draft 1 20 0", "submit 1 20 0", "draft 3 20 0", "submit 3 20 0", "draft 8 20 0", "submit 8 20 0",
		"home 1 5 0", "results 1 5 0", "home 3 6 0", "results 3 6 0"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("rows (scenario clients requests errors) = %q, want %q\n%s", got, want, r.stdout)
	}
	match := regexp.MustCompile(`match \(e\): 100 projects × 400 experts .* answered in [0-9.]+ s \(100 panels in the answer; 100 panels and 1 draw records stored\)`)
	if !match.MatchString(r.stdout) {
		t.Errorf("output lacks the match's line, want %s:\n%s", match, r.stdout)
	}
	for _, s := range []string{"baseline req/s", "ratio", "p99 ratio", "submissions/s at 8 clients: ", "peer: ≈140/s"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("output lacks %q:\n%s", s, r.stdout)
		}
	}

	kept, err := filepath.Glob(filepath.Join(dir, "evalpanel-bench-*", "evalpanel.db"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("kept databases %v, %v; want one", kept, err)
	}
	db, _ := cliOpen(t, kept[0])
	var submitted, versions int
	if err := db.SQL().QueryRowContext(t.Context(), `SELECT count(*) FROM sheets WHERE status = 'submitted' AND version = 2`).
		Scan(&submitted); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRowContext(t.Context(), `SELECT count(*) FROM sheet_versions`).Scan(&versions); err != nil {
		t.Fatal(err)
	}
	if submitted != 60 || versions != 60 {
		t.Errorf("%d sheets submitted at version 2 with %d versions kept, want 60 and 60", submitted, versions)
	}
	n, _, problem, err := evaluation.VerifyAudit(context.Background(), db)
	if err != nil || problem != nil {
		t.Fatalf("audit: %v, %+v", err, problem)
	}
	var saves int
	if err := db.SQL().QueryRowContext(t.Context(), `SELECT count(*) FROM audit_log WHERE action IN ('sheet.save', 'sheet.submit')`).
		Scan(&saves); err != nil {
		t.Fatal(err)
	}
	if saves != 120 || n < 120 {
		t.Errorf("%d sheet entries in an audit log of %d, want 120", saves, n)
	}
}

func TestBenchRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad clients", []string{"--clients", "1,x"}, "not a number of clients"},
		{"no clients", []string{"--clients", "0"}, "not a number of clients"},
		{"fewer requests than clients", []string{"--clients", "16", "--requests", "4", "--rounds", "1"}, "fewer than one per client and round (16)"},
		{"fewer requests than clients and rounds", []string{"--clients", "16", "--requests", "20"}, "fewer than one per client and round (64)"},
		{"fewer requests than the peer's 8 clients", []string{"--clients", "1", "--requests", "4", "--rounds", "1"}, "fewer than one per client and round (8)"},
		{"negative match", []string{"--match-projects", "-1"}, "--match-projects must be at least 0"},
		{"no rounds", []string{"--rounds", "0"}, "at least 1"},
		{"stray argument", []string{"now"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, "", append([]string{"bench", "--db-dir", t.TempDir()}, tc.args...)...)
			if r.code() != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code(), r.stderr, tc.want)
			}
		})
	}
}

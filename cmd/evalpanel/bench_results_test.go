package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestBenchResults runs bench-results on a tiny campaign: the results it
// computed add up to the seeded campaign (every project scored, every
// sheet counted, one component for the fit), and the tables have their
// figures. It asserts no timing.
func TestBenchResults(t *testing.T) {
	r := cli(t, "", "bench-results", "--projects", "40", "--rounds", "1", "--db-dir", t.TempDir())
	if r.code() != 0 {
		t.Fatalf("bench-results: exit %d\nstdout:\n%s\nstderr:\n%s", r.code(), r.stdout, r.stderr)
	}
	for _, want := range []string{
		"40 projects × (7 technical + 1 finance) submitted sheets",
		"40 projects, 5 panels, 320 submitted sheets",
		"results: 40 projects, 40 with a score, 320 sheets;",
		"1 component(s), converged true",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	ms := `[\d.]+ms\s+`
	runs := `\s+1\s+` + ms + ms
	for _, row := range []string{
		`SQLite read of the same rows` + runs + `1\.00\s+` + ms + `1\.00\s+[\d.]+ MB\s+[\d.]+ MB\s+[\d.]+ MB`,
		`results \(CampaignResults\)` + runs + `[\d.]+\s+` + ms + `[\d.]+\s+[\d.]+ MB\s+[\d.]+ MB\s+[\d.]+ MB`,
		`aim: results ≤ 2× the SQLite read \(wall-clock medians\): [\d.]+×, aim (held|missed) \(min to min [\d.]+×; CPU medians [\d.]+×\)`,
		`page 1` + runs + ms + ms + `[\d.]+ kB`,
		`API: the whole campaign \(JSON\)` + runs + ms + ms + `[\d.]+ kB`,
		`aim: every results page ≤ 1s \(wall-clock medians, request to last byte\): slowest [\d.]+ms, aim (held|missed)`,
	} {
		if !regexp.MustCompile(row).MatchString(r.stdout) {
			t.Errorf("output lacks a line matching %q:\n%s", row, r.stdout)
		}
	}
	pages := regexp.MustCompile(`(?m)^.*`+runs+ms+ms+`[\d.]+ kB\s*$`).FindAllString(r.stdout, -1)
	if len(pages) != 7 {
		t.Errorf("%d rows of pages, want 7:\n%s", len(pages), r.stdout)
	}
}

func TestBenchResultsRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no projects", []string{"--projects", "0"}, "--projects must be 1 to 100000"},
		{"panel size", []string{"--technical", "6"}, "--technical must be 5, 7 or 9"},
		{"finance seats", []string{"--finance", "4"}, "--finance must be 1 to 3"},
		{"no rounds", []string{"--rounds", "0"}, "--rounds must be at least 1"},
		{"stray argument", []string{"now"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, "", append([]string{"bench-results", "--db-dir", t.TempDir()}, tc.args...)...)
			if r.code() != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code(), r.stderr, tc.want)
			}
		})
	}
}

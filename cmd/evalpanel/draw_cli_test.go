package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIDrawVerify: `draw verify` passes on the demo's campaigns and fails,
// naming the record, when someone alters a draw record's result or its pool
// snapshot with the sqlite3 tool.
func TestCLIDrawVerify(t *testing.T) {
	sqlite3 := sqlite3CLI(t)
	dir := t.TempDir()
	pristine := filepath.Join(dir, "pristine.db")
	if r := cli(t, "", "demo", "--db", pristine, "--data", t.TempDir()); r.err != nil {
		t.Fatalf("demo: %v %s", r.err, r.stderr)
	}
	for _, id := range []string{"1", "2"} {
		r := cli(t, "", "draw", "verify", "--db", pristine, id)
		if r.code() != 0 || !strings.Contains(r.stdout, "re-run to the same panels") {
			t.Fatalf("draw verify %s on the demo: %+v", id, r)
		}
	}
	if r := cli(t, "", "draw", "verify", "--db", pristine, "99"); r.code() != 1 {
		t.Errorf("unknown campaign: %+v", r)
	}
	if r := cli(t, "", "draw", "verify", "--db", pristine); r.code() != 2 {
		t.Errorf("no campaign id: %+v", r)
	}
	for _, tc := range []struct {
		name, sql string
	}{
		// A member swapped in the recorded result.
		{"result", `UPDATE draws SET result = replace(result, '"technical":[', '"technical":[999,') WHERE id = 1;`},
		// An expert's load changed in the pool snapshot: the hash no longer matches.
		{"pool snapshot", `UPDATE draws SET input = replace(input, '"load_campaign":0', '"load_campaign":7') WHERE id = 1;`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "tampered.db")
			cliCopyDB(t, pristine, db)
			out, err := exec.Command(sqlite3, db, `DROP TRIGGER draws_no_update; `+tc.sql+` SELECT changes();`).CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) == "0" {
				t.Fatalf("sqlite3: %v %s (no row changed?)", err, out)
			}
			r := cli(t, "", "draw", "verify", "--db", db, "1")
			if r.code() != 1 || !strings.Contains(r.stderr, "draw record 1:") {
				t.Errorf("draw verify after changing the %s: %+v", tc.name, r)
			}
		})
	}
	// Without dropping the trigger the record cannot change.
	db := filepath.Join(t.TempDir(), "guarded.db")
	cliCopyDB(t, pristine, db)
	if out, err := exec.Command(sqlite3, db, `UPDATE draws SET seed = 'x' WHERE id = 1;`).CombinedOutput(); err == nil {
		t.Errorf("the trigger let a draw record change: %s", out)
	}
}

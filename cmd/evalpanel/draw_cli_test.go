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

// TestCLIDrawVerifyPanels: `draw verify` proves the demo's panels from
// their records and the audit log, and names the panel, the expert and
// the difference when a draw record is deleted (with its trigger dropped,
// as an attacker with the file could) or panel_members is edited with the
// sqlite3 tool: a member withdrawn for a declared conflict or a declined
// one seated again, an expert swapped into a member's row, the chair moved.
func TestCLIDrawVerifyPanels(t *testing.T) {
	sqlite3 := sqlite3CLI(t)
	pristine := filepath.Join(t.TempDir(), "pristine.db")
	if r := cli(t, "", "demo", "--db", pristine, "--data", t.TempDir()); r.err != nil {
		t.Fatalf("demo: %v %s", r.err, r.stderr)
	}
	query := func(db, q string) string {
		t.Helper()
		out, err := exec.Command(sqlite3, db, q).CombinedOutput()
		if err != nil {
			t.Fatalf("sqlite3 %s: %v %s", q, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, id := range []string{"1", "2", "3"} {
		r := cli(t, "", "draw", "verify", "--db", pristine, id)
		if r.code() != 0 || !strings.Contains(r.stdout, "panels are what their records and the audited changes make them") {
			t.Fatalf("draw verify %s on the demo: %+v", id, r)
		}
	}

	// Without dropping the trigger a draw record cannot be deleted.
	guarded := filepath.Join(t.TempDir(), "guarded.db")
	cliCopyDB(t, pristine, guarded)
	if out, err := exec.Command(sqlite3, guarded, `DELETE FROM draws WHERE id = 1;`).CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "append-only") {
		t.Errorf("the trigger let a draw record be deleted: %v %s", err, out)
	}

	// The panel and expert of the first audit entry of an action.
	seatOf := func(action string) (panel, expert string) {
		row := query(pristine, `SELECT object_id, json_extract(details, '$.expert') FROM audit_log WHERE action = '`+action+`' ORDER BY id LIMIT 1`)
		panel, expert, ok := strings.Cut(row, "|")
		if !ok || expert == "" {
			t.Fatalf("no %s entry with an expert in the demo: %q", action, row)
		}
		return panel, expert
	}
	withdrawnPanel, withdrawn := seatOf("panel.withdraw")
	declinedPanel, declined := seatOf("invitation.decline")
	chair := query(pristine, `SELECT expert_id FROM panel_members WHERE panel_id = 1 AND chair = 1`)
	stranger := query(pristine, `SELECT min(id) FROM experts WHERE id NOT IN (SELECT expert_id FROM panel_members WHERE panel_id = 1)`)
	last := query(pristine, `SELECT expert_id FROM panel_members WHERE panel_id = 1 AND seat = 'technical' AND chair = 0
		AND status IN ('proposed', 'invited', 'accepted') ORDER BY id DESC LIMIT 1`)
	for _, tc := range []struct {
		name, panel, sql string
		want             []string
	}{
		{"draw record deleted", "1", `DROP TRIGGER draws_no_delete; DELETE FROM draws WHERE id = 1;`,
			[]string{"draw record 1: missing: audit entry", "panel 1: no draw or match record formed it"}},
		{"member withdrawn for a conflict seated again", withdrawnPanel,
			`UPDATE panel_members SET status = 'accepted', decline_reason = '' WHERE panel_id = ` + withdrawnPanel + ` AND expert_id = ` + withdrawn + `;`,
			[]string{"panel " + withdrawnPanel + ": expert " + withdrawn + ": the records say technical declined", "the table holds technical accepted"}},
		{"declined member revived", declinedPanel,
			`UPDATE panel_members SET status = 'accepted' WHERE panel_id = ` + declinedPanel + ` AND expert_id = ` + declined + `;`,
			[]string{"panel " + declinedPanel + ": expert " + declined + ": the records say technical declined", "the table holds technical accepted"}},
		{"expert swapped into the chair's row", "1",
			`UPDATE panel_members SET expert_id = ` + stranger + ` WHERE panel_id = 1 AND chair = 1;`,
			[]string{"panel 1: expert " + chair + ": the records say technical accepted chair (draw), the table holds expert " + stranger +
				" in their place, technical accepted chair (draw)"}},
		{"chair moved", "1",
			`UPDATE panel_members SET chair = 0 WHERE panel_id = 1; UPDATE panel_members SET chair = 1 WHERE panel_id = 1 AND expert_id = ` + last + `;`,
			[]string{"panel 1: expert " + chair + ": the records say technical accepted chair (draw), the table holds technical accepted (draw)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "tampered.db")
			cliCopyDB(t, pristine, db)
			if out := query(db, tc.sql+` SELECT changes();`); out == "0" {
				t.Fatalf("no row changed by %s", tc.sql)
			}
			campaign := query(db, `SELECT campaign_id FROM panels WHERE id = `+tc.panel)
			r := cli(t, "", "draw", "verify", "--db", db, campaign)
			if r.code() != 1 || !strings.Contains(r.stderr, "are NOT what their records and the audited changes make them") {
				t.Errorf("draw verify %s: %+v", campaign, r)
			}
			for _, want := range tc.want {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("draw verify %s says:\n%s\nwant %q", campaign, r.stderr, want)
				}
			}
		})
	}
}

package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
)

// rewriteFrom edits entry id and recomputes every hash from there on, and
// the head: a chain consistent in itself, as someone who can write the
// database could make it. keep, when below the newest id, also truncates.
func rewriteFrom(t *testing.T, db *sqlstore.DB, id, keep int64) {
	t.Helper()
	entries, _ := scanAll(t, db)
	exec := func(q string, args ...any) {
		if _, err := db.ExecContext(t.Context(), q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	storetest.DropTrigger(t, db, "audit_log_no_update", "audit_log")
	storetest.DropTrigger(t, db, "audit_log_no_delete", "audit_log")
	prev := ""
	for _, e := range entries {
		switch {
		case e.ID > keep:
			exec(`DELETE FROM audit_log WHERE id = ?`, e.ID)
			continue
		case e.ID == id:
			e.Details = `{"rewritten":true}`
			fallthrough
		case e.ID > id:
			e.PrevHash = prev
			e.Hash = e.ComputeHash(prev)
			exec(`UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE id = ?`, e.Details, e.PrevHash, e.Hash, e.ID)
		}
		prev = e.Hash
		exec(`UPDATE audit_head SET last_id = ?, last_hash = ?`, e.ID, e.Hash)
	}
}

// TestAuditAnchors: a rewritten or truncated log that is consistent in
// itself passes a plain verify but fails against an anchor recorded before.
func TestAuditAnchors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		rewrite   int64 // entry to edit, 0 for none
		keep      int64 // entries kept
		anchor    int64
		wantEntry int64 // 0: intact
	}{
		{"untouched", 0, 10, 6, 0},
		{"rewritten at the anchor", 6, 10, 6, 6},
		{"rewritten before the anchor", 3, 10, 6, 6},
		{"rewritten after the anchor", 8, 10, 6, 0},
		{"truncated before the anchor", 0, 4, 6, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			for i := 0; i < 10; i++ {
				inTx(t, db, func(tx evaluation.Tx) error {
					return tx.Audit(t.Context(), evaluation.AuditEvent{Actor: evaluation.System, Action: "agency.create",
						ObjectType: "agency", ObjectID: fmt.Sprint(i)})
				})
			}
			entries, _ := scanAll(t, db)
			anchor := evaluation.AuditAnchor{ID: tc.anchor, Hash: entries[tc.anchor-1].Hash}
			switch {
			case tc.rewrite > 0:
				rewriteFrom(t, db, tc.rewrite, tc.keep)
			case tc.keep < 10:
				rewriteFrom(t, db, tc.keep+1, tc.keep)
			}
			if _, _, problem, err := evaluation.VerifyAudit(t.Context(), db); err != nil || problem != nil {
				t.Fatalf("without the anchor: %v, %v; want the self-consistent chain to pass", problem, err)
			}
			_, _, problem, err := evaluation.VerifyAudit(t.Context(), db, anchor)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tc.wantEntry == 0 && problem != nil:
				t.Errorf("with the anchor: %v, want intact", problem)
			case tc.wantEntry != 0 && (problem == nil || problem.EntryID != tc.wantEntry):
				t.Errorf("with the anchor: %v, want a problem at entry %d", problem, tc.wantEntry)
			}
		})
	}
}

package sqlstore_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
	"github.com/google/go-cmp/cmp"
)

// scanAll returns every entry the store hands to ScanAudit, and the head.
func scanAll(t *testing.T, db *sqlstore.DB) ([]*evaluation.AuditEntry, evaluation.AuditHead) {
	t.Helper()
	var entries []*evaluation.AuditEntry
	head, err := db.ScanAudit(t.Context(), func(e *evaluation.AuditEntry) error {
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		t.Fatalf("ScanAudit: %v", err)
	}
	return entries, head
}

// checkChain checks ids 1..n, the links between entries, every hash and the head.
func checkChain(t *testing.T, db *sqlstore.DB, n int) []*evaluation.AuditEntry {
	t.Helper()
	entries, head := scanAll(t, db)
	if len(entries) != n {
		t.Fatalf("%d entries, want %d", len(entries), n)
	}
	prev := ""
	for i, e := range entries {
		if e.ID != int64(i+1) {
			t.Errorf("entry %d has id %d, want %d", i, e.ID, i+1)
		}
		if e.PrevHash != prev {
			t.Errorf("entry %d: PrevHash = %.12s…, want the hash of entry %d, %.12s…", e.ID, e.PrevHash, e.ID-1, prev)
		}
		if got := e.ComputeHash(prev); e.Hash != got {
			t.Errorf("entry %d: Hash = %.12s…, want %.12s…", e.ID, e.Hash, got)
		}
		prev = e.Hash
	}
	if want := (evaluation.AuditHead{LastID: int64(n), LastHash: prev}); head != want {
		t.Errorf("head = %+v, want %+v", head, want)
	}
	return entries
}

func TestAuditChain(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	before := time.Now().UTC()
	appendAudit(t, db, 3)
	alice := evaluation.Actor{UserID: 7, Username: "alice", Role: evaluation.RoleAgencyStaff, AgencyID: 3}
	inTx(t, db, func(tx evaluation.Tx) error {
		if err := tx.Audit(ctx, evaluation.AuditEvent{Actor: alice, Action: "user.create", ObjectType: "user",
			ObjectID: "42", AgencyID: 3, Details: map[string]any{"username": "bob", "role": "agency_staff"}}); err != nil {
			return err
		}
		return tx.Audit(ctx, evaluation.AuditEvent{Actor: alice, Action: "user.logout", ObjectType: "user", ObjectID: "7", AgencyID: 3})
	})
	entries := checkChain(t, db, 5)

	t.Run("content", func(t *testing.T) {
		got := *entries[3]
		if at := got.Time(); at.Before(before.Add(-time.Second)) || at.After(time.Now().Add(time.Second)) {
			t.Errorf("At = %s, want the time of writing", got.At)
		}
		got.At, got.PrevHash, got.Hash = "", "", ""
		want := evaluation.AuditEntry{ID: 4, ActorID: 7, Actor: "alice", Action: "user.create", ObjectType: "user",
			ObjectID: "42", AgencyID: 3, Details: `{"role":"agency_staff","username":"bob"}`}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("entry 4 (-want +got):\n%s", diff)
		}
		if entries[4].Details != "{}" {
			t.Errorf("entry without details stores %q, want {}", entries[4].Details)
		}
	})

	t.Run("list", func(t *testing.T) {
		tests := []struct {
			name      string
			filter    evaluation.AuditFilter
			want      []int64
			wantTotal int
		}{
			{"all, newest first", evaluation.AuditFilter{}, []int64{5, 4, 3, 2, 1}, 5},
			{"action", evaluation.AuditFilter{Action: "test.event"}, []int64{3, 2, 1}, 3},
			{"object type", evaluation.AuditFilter{ObjectType: "user"}, []int64{5, 4}, 2},
			{"actor", evaluation.AuditFilter{ActorID: 7}, []int64{5, 4}, 2},
			{"agency", evaluation.AuditFilter{AgencyID: 3, Action: "user.logout"}, []int64{5}, 1},
			{"page", evaluation.AuditFilter{Page: page(2, 2)}, []int64{3, 2}, 5},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.filter
				if f.Page == (evaluation.Page{}) {
					f.Page = page(1, 20)
				}
				list, total, err := db.AuditEntries(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				for _, e := range list {
					got = append(got, e.ID)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
				if total != tt.wantTotal {
					t.Errorf("total = %d, want %d", total, tt.wantTotal)
				}
			})
		}
	})
}

func TestAuditRollback(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	appendAudit(t, db, 2)
	_, headBefore := scanAll(t, db)

	boom := errors.New("boom")
	err := db.InTx(ctx, func(tx evaluation.Tx) error {
		if err := tx.CreateAgency(ctx, &evaluation.Agency{Code: "GONE", NameZH: "x", NameEN: "x", CreatedAt: t0, UpdatedAt: t0}); err != nil {
			return err
		}
		if err := tx.Audit(ctx, evaluation.AuditEvent{Actor: evaluation.System, Action: "agency.create", ObjectType: "agency"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v, want the error of fn", err)
	}

	func() {
		defer func() {
			if p := recover(); p != "panic in fn" {
				t.Errorf("recovered %v, want the panic of fn to pass through", p)
			}
		}()
		_ = db.InTx(ctx, func(tx evaluation.Tx) error {
			if err := tx.Audit(ctx, evaluation.AuditEvent{Actor: evaluation.System, Action: "x", ObjectType: "x"}); err != nil {
				return err
			}
			panic("panic in fn")
		})
	}()

	entries, head := scanAll(t, db)
	if len(entries) != 2 || head != headBefore {
		t.Errorf("after the rollbacks: %d entries and head %+v, want 2 and %+v", len(entries), head, headBefore)
	}
	if _, err := db.AgencyByCode(ctx, "GONE"); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("agency of the rolled back transaction: lookup error %v, want not found", err)
	}
	// The next entry takes the place the rolled back one would have had.
	appendAudit(t, db, 1)
	checkChain(t, db, 3)
	if _, _, problem, err := evaluation.VerifyAudit(ctx, db); err != nil || problem != nil {
		t.Errorf("VerifyAudit = %v, %v, want an intact log", problem, err)
	}
}

func TestAuditTriggers(t *testing.T) {
	db := openDB(t)
	appendAudit(t, db, 3)
	before, _ := scanAll(t, db)
	tests := []struct{ name, query string }{
		{"update", `UPDATE audit_log SET details = '{"x":1}' WHERE id = 2`},
		{"update all", `UPDATE audit_log SET actor = 'mallory'`},
		{"delete", `DELETE FROM audit_log WHERE id = 3`},
		{"delete all", `DELETE FROM audit_log`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.ExecContext(t.Context(), tt.query)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: error = %v, want the trigger's append-only refusal", tt.query, err)
			}
		})
	}
	after, _ := scanAll(t, db)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("log changed despite the triggers (-before +after):\n%s", diff)
	}
}

func TestVerifyAudit(t *testing.T) {
	const n = 5
	dropTriggers := func(t *testing.T, db *sqlstore.DB) {
		t.Helper()
		storetest.DropTrigger(t, db, "audit_log_no_update", "audit_log")
		storetest.DropTrigger(t, db, "audit_log_no_delete", "audit_log")
	}
	entry := func(t *testing.T, db *sqlstore.DB, id int64) *evaluation.AuditEntry {
		t.Helper()
		entries, _ := scanAll(t, db)
		for _, e := range entries {
			if e.ID == id {
				return e
			}
		}
		t.Fatalf("no entry %d", id)
		return nil
	}
	tests := []struct {
		name       string
		tamper     func(t *testing.T, db *sqlstore.DB)
		wantID     int64 // 0: intact
		wantReason string
		wantCount  int64 // entries read up to the first problem
	}{
		{"intact", func(*testing.T, *sqlstore.DB) {}, 0, "", n},
		{"middle entry edited", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET details = '{"x":1}' WHERE id = 3`)
		}, 3, "altered", 3},
		{"first entry edited", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET actor = 'mallory' WHERE id = 1`)
		}, 1, "altered", 1},
		{"last entry edited", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_log SET at = '2000-01-01T00:00:00.000000000Z' WHERE id = 5`)
		}, 5, "altered", n},
		{"edited and its hash recomputed", func(t *testing.T, db *sqlstore.DB) {
			e := entry(t, db, 3)
			e.Details = `{"x":1}`
			mustExec(t, db, `UPDATE audit_log SET details = ?, hash = ? WHERE id = 3`, e.Details, e.ComputeHash(e.PrevHash))
		}, 4, "previous hash", 4},
		{"middle entry deleted", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE id = 3`)
		}, 3, "missing", 3},
		{"first entry deleted", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE id = 1`)
		}, 1, "missing", 1},
		{"last entry deleted", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE id = 5`)
		}, 5, "head", 4},
		{"last two entries deleted", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log WHERE id >= 4`)
		}, 4, "head", 3},
		{"every entry deleted", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `DELETE FROM audit_log`)
		}, 1, "head", 0},
		{"head hash altered", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_head SET last_hash = 'forged'`)
		}, 5, "head", n},
		{"entry appended outside evalpanel", func(t *testing.T, db *sqlstore.DB) {
			last := entry(t, db, 5)
			e := *last
			e.ID, e.Action, e.Details, e.PrevHash = 6, "forged.event", "{}", last.Hash
			e.Hash = e.ComputeHash(last.Hash)
			mustExec(t, db, `INSERT INTO audit_log (id, at, actor_id, actor, action, object_type, object_id, agency_id,
				details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				e.ID, e.At, e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.AgencyID, e.Details, e.PrevHash, e.Hash)
		}, 6, "not recorded in the head", n + 1},
		{"head moved back", func(t *testing.T, db *sqlstore.DB) {
			mustExec(t, db, `UPDATE audit_head SET last_id = 4, last_hash = ?`, entry(t, db, 4).Hash)
		}, 5, "not recorded in the head", n},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			appendAudit(t, db, n)
			dropTriggers(t, db)
			tt.tamper(t, db)

			count, _, problem, err := evaluation.VerifyAudit(t.Context(), db)
			if err != nil {
				t.Fatalf("VerifyAudit: %v", err)
			}
			switch {
			case tt.wantID == 0 && problem != nil:
				t.Errorf("VerifyAudit found %v, want an intact log", problem)
			case tt.wantID != 0 && problem == nil:
				t.Errorf("VerifyAudit found nothing, want a problem at entry %d", tt.wantID)
			case tt.wantID != 0:
				if problem.EntryID != tt.wantID || !strings.Contains(problem.Reason, tt.wantReason) {
					t.Errorf("problem = %v, want entry %d, reason with %q", problem, tt.wantID, tt.wantReason)
				}
			}
			if count != tt.wantCount {
				t.Errorf("VerifyAudit read %d entries, want %d", count, tt.wantCount)
			}
		})
	}
}

// TestConcurrentWrites runs many writers at once: IMMEDIATE transactions and
// the busy timeout must queue them (no SQLITE_BUSY), and the audit chain
// must stay one unbroken line.
func TestConcurrentWrites(t *testing.T) {
	db := openDB(t)
	const writers, writes = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*writes+1)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				err := db.InTx(t.Context(), func(tx evaluation.Tx) error {
					// Read first, as services do: the transaction must still get the write lock.
					if _, err := tx.Counts(t.Context()); err != nil {
						return err
					}
					a := &evaluation.Agency{Code: fmt.Sprintf("G%dN%d", g, i), NameZH: "x", NameEN: "x", CreatedAt: t0, UpdatedAt: t0}
					if err := tx.CreateAgency(t.Context(), a); err != nil {
						return err
					}
					return tx.Audit(t.Context(), evaluation.AuditEvent{Actor: evaluation.System, Action: "agency.create",
						ObjectType: "agency", ObjectID: fmt.Sprint(a.ID), AgencyID: a.ID})
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d, write %d: %w", g, i, err)
				}
			}
		}()
	}
	// Verifying while the writers append must never report a broken log:
	// the head and the entries come from one snapshot.
	done := make(chan struct{})
	verified := make(chan int)
	go func() {
		runs := 0
		defer func() { verified <- runs }()
		for {
			select {
			case <-done:
				return
			default:
			}
			_, _, problem, err := evaluation.VerifyAudit(t.Context(), db)
			if err != nil || problem != nil {
				errs <- fmt.Errorf("VerifyAudit during the writes: %v, %v", problem, err)
				return
			}
			runs++
		}
	}()
	wg.Wait()
	close(done)
	if runs := <-verified; runs == 0 {
		t.Error("the log was never verified during the writes")
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkChain(t, db, writers*writes)
	count, _, problem, err := evaluation.VerifyAudit(t.Context(), db)
	if err != nil || problem != nil || count != writers*writes {
		t.Errorf("VerifyAudit = %d, %v, %v, want %d entries intact", count, problem, err, writers*writes)
	}
	list, err := db.Agencies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != writers*writes {
		t.Errorf("%d agencies, want %d", len(list), writers*writes)
	}
}

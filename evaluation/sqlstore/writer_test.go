package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/google/go-cmp/cmp"
	"github.com/mattn/go-sqlite3"
)

// TestInTxConcurrentWriters: many writers at once all commit, each audit
// entry chained to the one before.
func TestInTxConcurrentWriters(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	const writers, each = 32, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				errs <- db.InTx(ctx, func(tx evaluation.Tx) error {
					return tx.Audit(ctx, evaluation.AuditEvent{Actor: evaluation.System, Action: "test.write", ObjectType: "test",
						Details: map[string]any{"writer": w, "i": i}})
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
	}
	n, head, problem, err := evaluation.VerifyAudit(ctx, db)
	if err != nil || problem != nil {
		t.Fatalf("VerifyAudit: %v, %+v", err, problem)
	}
	if n != writers*each || head.LastID != writers*each {
		t.Errorf("%d entries, head at %d; want %d", n, head.LastID, writers*each)
	}
}

// TestInTxWaitEndsWithContext: a transaction waiting for another to finish
// gives up when its context ends, without running, and leaves the way free
// for the next one.
func TestInTxWaitEndsWithContext(t *testing.T) {
	db := openDB(t)
	holding, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.InTx(context.Background(), func(tx evaluation.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	ran := false
	err := db.InTx(ctx, func(tx evaluation.Tx) error {
		ran = true
		return nil
	})
	if !errors.Is(err, context.DeadlineExceeded) || ran {
		t.Errorf("waiting transaction: err %v, ran %v; want the deadline, not run", err, ran)
	}

	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first transaction: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- db.InTx(t.Context(), func(tx evaluation.Tx) error { return nil }) }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("next transaction: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("next transaction still waiting: the abandoned wait kept the turn")
	}
}

// write stores an agency named code and audits it, as a service's write
// does.
func write(ctx context.Context, tx evaluation.Tx, code string) error {
	a := &evaluation.Agency{Code: code, NameZH: code, NameEN: code, CreatedAt: t0, UpdatedAt: t0}
	if err := tx.CreateAgency(ctx, a); err != nil {
		return err
	}
	return tx.Audit(ctx, evaluation.AuditEvent{Actor: evaluation.System, Action: "agency.create", ObjectType: "agency",
		ObjectID: code, AgencyID: a.ID})
}

// agencyCodes lists the stored agencies' codes, in order.
func agencyCodes(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	list, err := db.Agencies(t.Context())
	if err != nil {
		t.Fatalf("list agencies: %v", err)
	}
	codes := []string{}
	for _, a := range list {
		codes = append(codes, a.Code)
	}
	return codes
}

// checkAudit checks that the audit log verifies and holds n entries.
func checkAudit(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	count, _, problem, err := evaluation.VerifyAudit(t.Context(), db)
	if err != nil || problem != nil || count != int64(n) {
		t.Errorf("VerifyAudit = %d, %+v, %v; want %d entries intact", count, problem, err, n)
	}
}

// waitQueued waits until n InTx calls wait for the write slot.
func waitQueued(db *sqlstore.DB, n int64) error {
	for deadline := time.Now().Add(10 * time.Second); db.Queued() < n; time.Sleep(100 * time.Microsecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d calls queued after 10s, want %d", db.Queued(), n)
		}
	}
	return nil
}

// call is one InTx call of a test and what came of it.
type call struct {
	ctx      context.Context // t.Context() when nil
	fn       func(ctx context.Context, tx evaluation.Tx) error
	err      error
	panicked any
}

// inTurns runs the calls as consecutive turns: each call is queued while
// the one before it holds the write slot, and each call but the last keeps
// its turn until the next one is queued. With batch limits that allow it,
// all of them share one batch, in this order.
func inTurns(t *testing.T, db *sqlstore.DB, calls ...*call) {
	t.Helper()
	var wg sync.WaitGroup
	for i, c := range calls {
		entered, done := make(chan struct{}), make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done)
			defer func() { c.panicked = recover() }()
			ctx := c.ctx
			if ctx == nil {
				ctx = t.Context()
			}
			c.err = db.InTx(ctx, func(tx evaluation.Tx) error {
				close(entered)
				if i+1 < len(calls) {
					if err := waitQueued(db, 1); err != nil {
						return err
					}
				}
				return c.fn(ctx, tx)
			})
		}()
		select {
		case <-entered:
		case <-done:
			t.Fatalf("call %d returned without running: %v, %v", i, c.err, c.panicked)
		case <-time.After(10 * time.Second):
			t.Fatalf("call %d did not get its turn", i)
		}
	}
	wg.Wait()
}

// callError is the error of the call that writes code.
type callError string

func (e callError) Error() string { return "call " + string(e) + " failed" }

// TestInTxBatchOutcomes: the calls of one batch each get their own
// outcome: the failed and the panicking calls' work is undone and their
// error or panic reaches them only, while the other calls' work is
// committed together.
func TestInTxBatchOutcomes(t *testing.T) {
	db := openDB(t)
	db.SetBatchLimits(100, time.Hour)
	type outcome int
	const (
		ok outcome = iota
		fails
		panics
	)
	outcomes := []outcome{ok, ok, fails, ok, panics, ok, fails, fails, ok, panics, ok}
	calls := make([]*call, len(outcomes))
	for i, o := range outcomes {
		code := fmt.Sprintf("C%02d", i)
		calls[i] = &call{fn: func(ctx context.Context, tx evaluation.Tx) error {
			if i > 0 {
				// The batch's first call is not committed yet: this call
				// sees it, the pool does not.
				if _, err := tx.AgencyByCode(ctx, "C00"); err != nil {
					return fmt.Errorf("in the batch: %w", err)
				}
				if _, err := db.AgencyByCode(ctx, "C00"); evaluation.ErrorCode(err) != evaluation.NotFound {
					return fmt.Errorf("outside the batch: C00 found (%v), want not found", err)
				}
			}
			if err := write(ctx, tx, code); err != nil {
				return err
			}
			switch o {
			case fails:
				return callError(code)
			case panics:
				panic(code)
			}
			return nil
		}}
	}
	inTurns(t, db, calls...)

	var want []string
	for i, c := range calls {
		code := fmt.Sprintf("C%02d", i)
		switch outcomes[i] {
		case ok:
			want = append(want, code)
			if c.err != nil || c.panicked != nil {
				t.Errorf("call %s: %v, panic %v; want success", code, c.err, c.panicked)
			}
		case fails:
			var ce callError
			if !errors.As(c.err, &ce) || string(ce) != code || c.panicked != nil {
				t.Errorf("call %s: %v, panic %v; want its own error", code, c.err, c.panicked)
			}
		case panics:
			if c.err != nil || c.panicked != code {
				t.Errorf("call %s: %v, panic %v; want its own panic", code, c.err, c.panicked)
			}
		}
	}
	if d := cmp.Diff(want, agencyCodes(t, db)); d != "" {
		t.Errorf("stored agencies (-want +got):\n%s", d)
	}
	checkAudit(t, db, len(want))
}

// TestInTxConcurrentOutcomes: many callers at once, some failing, some
// panicking, some giving up on a short deadline: exactly the work of the
// calls that returned nil is stored, and the audit log stays one chain.
func TestInTxConcurrentOutcomes(t *testing.T) {
	db := openDB(t)
	const goroutines, each = 16, 25
	type result struct {
		code     string
		kind     int
		err      error
		panicked any
	}
	results := make([][]result, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := result{code: fmt.Sprintf("G%02dN%02d", g, i), kind: (g*each + i) % 7}
				ctx, cancel := context.WithCancel(t.Context())
				if r.kind == 2 {
					ctx, cancel = context.WithTimeout(t.Context(), time.Duration((g*each+i)%20)*100*time.Microsecond)
				}
				func() {
					defer func() { r.panicked = recover() }()
					r.err = db.InTx(ctx, func(tx evaluation.Tx) error {
						if err := write(ctx, tx, r.code); err != nil {
							return err
						}
						switch r.kind {
						case 0:
							return callError(r.code)
						case 1:
							panic(r.code)
						}
						return nil
					})
				}()
				cancel()
				results[g] = append(results[g], r)
			}
		}()
	}
	wg.Wait()

	want := []string{}
	for _, rs := range results {
		for _, r := range rs {
			var ce callError
			switch {
			case r.kind == 0:
				if !errors.As(r.err, &ce) || string(ce) != r.code || r.panicked != nil {
					t.Errorf("call %s: %v, panic %v; want its own error", r.code, r.err, r.panicked)
				}
			case r.kind == 1:
				if r.err != nil || r.panicked != r.code {
					t.Errorf("call %s: %v, panic %v; want its own panic", r.code, r.err, r.panicked)
				}
			case r.kind == 2 && r.err != nil:
				if !errors.Is(r.err, context.DeadlineExceeded) || r.panicked != nil {
					t.Errorf("call %s: %v, panic %v; want success or its deadline", r.code, r.err, r.panicked)
				}
			default:
				if r.err != nil || r.panicked != nil {
					t.Errorf("call %s: %v, panic %v; want success", r.code, r.err, r.panicked)
				}
				want = append(want, r.code)
			}
		}
	}
	slices.Sort(want)
	if d := cmp.Diff(want, agencyCodes(t, db)); d != "" {
		t.Errorf("stored agencies (-want +got):\n%s", d)
	}
	checkAudit(t, db, len(want))
}

// TestInTxCommitFails: when the COMMIT of a batch fails, every call of the
// batch gets the error and none of their work is stored; the next
// transaction starts clean.
func TestInTxCommitFails(t *testing.T) {
	sqliteOnly(t, "group commit")
	db := openDB(t)
	db.SetBatchLimits(100, time.Hour)
	calls := []*call{
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "A") }},
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "B") }},
		{fn: func(ctx context.Context, tx evaluation.Tx) error {
			// A foreign key checked only at COMMIT: a staff member of an
			// agency that does not exist.
			if err := sqlstore.ExecTx(ctx, tx, `PRAGMA defer_foreign_keys = ON`); err != nil {
				return err
			}
			return tx.CreateUser(ctx, &evaluation.User{Username: "ghost", Name: "ghost", Role: evaluation.RoleAgencyStaff,
				AgencyID: 999999, Language: evaluation.LangZH, PasswordHash: "$argon2id$test", CreatedAt: t0, UpdatedAt: t0})
		}},
	}
	inTurns(t, db, calls...)
	for i, c := range calls {
		var se sqlite3.Error
		if !errors.As(c.err, &se) || se.ExtendedCode != sqlite3.ErrConstraintForeignKey {
			t.Errorf("call %d: %v; want the failed COMMIT's foreign key error", i, c.err)
		}
	}
	if codes := agencyCodes(t, db); len(codes) != 0 {
		t.Errorf("stored agencies %v, want none", codes)
	}
	if _, err := db.UserByUsername(t.Context(), "ghost"); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("user of the failed batch: %v, want not found", err)
	}
	checkAudit(t, db, 0)

	// Neither the deferred check nor an open transaction stayed behind.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := db.InTx(ctx, func(tx evaluation.Tx) error { return write(ctx, tx, "NEXT") }); err != nil {
		t.Fatalf("next transaction: %v", err)
	}
	for range 4 {
		if _, err := db.SQL().ExecContext(ctx, `UPDATE agencies SET name_en = 'changed' WHERE code = 'NEXT'`); err != nil {
			t.Fatalf("write on the pool: %v", err)
		}
	}
	checkAudit(t, db, 1)
}

// TestInTxRolledBackBySQLite: when SQLite rolls the whole transaction back
// in the middle of a batch, no statement runs outside it: the calls of the
// batch fail, none of their work is stored, and the next call starts a new
// batch.
func TestInTxRolledBackBySQLite(t *testing.T) {
	sqliteOnly(t, "group commit")
	db := openDB(t)
	db.SetBatchLimits(100, time.Hour)
	addAgency(t, db, "TAKEN")
	var later error
	calls := []*call{
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "A") }},
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "B") }},
		{fn: func(ctx context.Context, tx evaluation.Tx) error {
			err := sqlstore.ExecTx(ctx, tx, `INSERT OR ROLLBACK INTO agencies (code, name_zh, name_en, created_at, updated_at)
				VALUES ('TAKEN', 'x', 'x', '', '')`)
			if err == nil {
				return errors.New("INSERT OR ROLLBACK of a taken code succeeded")
			}
			// A careless fn goes on and reports success.
			later = write(ctx, tx, "C")
			return nil
		}},
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "D") }},
	}
	inTurns(t, db, calls...)
	for i, c := range calls[:3] {
		if c.err == nil || c.panicked != nil {
			t.Errorf("call %d: %v, panic %v; want an error", i, c.err, c.panicked)
		}
	}
	if later == nil {
		t.Error("a write after the rollback succeeded")
	}
	if c := calls[3]; c.err != nil || c.panicked != nil {
		t.Errorf("call after the broken batch: %v, panic %v; want success", c.err, c.panicked)
	}
	if d := cmp.Diff([]string{"D", "TAKEN"}, agencyCodes(t, db)); d != "" {
		t.Errorf("stored agencies (-want +got):\n%s", d)
	}
	checkAudit(t, db, 1)
}

// TestInTxCancelledDuringCall: a call whose context ends while it runs is
// undone alone; its statements are not interrupted (SQLite would roll back
// the whole batch).
func TestInTxCancelledDuringCall(t *testing.T) {
	db := openDB(t)
	db.SetBatchLimits(100, time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var after error
	calls := []*call{
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "A") }},
		{ctx: ctx, fn: func(ctx context.Context, tx evaluation.Tx) error {
			if err := write(ctx, tx, "B"); err != nil {
				return err
			}
			cancel()
			after = write(ctx, tx, "B2")
			return nil
		}},
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "C") }},
	}
	inTurns(t, db, calls...)
	if !errors.Is(after, context.Canceled) {
		t.Errorf("write after the cancellation: %v, want context.Canceled", after)
	}
	if !errors.Is(calls[1].err, context.Canceled) {
		t.Errorf("cancelled call: %v, want context.Canceled", calls[1].err)
	}
	for _, i := range []int{0, 2} {
		if calls[i].err != nil {
			t.Errorf("call %d: %v, want success", i, calls[i].err)
		}
	}
	if d := cmp.Diff([]string{"A", "C"}, agencyCodes(t, db)); d != "" {
		t.Errorf("stored agencies (-want +got):\n%s", d)
	}
	checkAudit(t, db, 2)
}

// TestInTxAbandonedWaitEndsBatch: a batch left open for a caller who then
// stops waiting is still committed, and its calls return.
func TestInTxAbandonedWaitEndsBatch(t *testing.T) {
	db := openDB(t)
	db.SetBatchLimits(100, time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	gaveUp := make(chan error, 1)
	db.OnBatchLeftOpen(func() {
		// The batch waits for the second caller, who leaves now.
		cancel()
		<-gaveUp
	})
	first, holding := make(chan error, 1), make(chan struct{})
	go func() {
		first <- db.InTx(t.Context(), func(tx evaluation.Tx) error {
			close(holding)
			if err := waitQueued(db, 1); err != nil {
				return err
			}
			return write(t.Context(), tx, "FIRST")
		})
	}()
	<-holding
	ran := false
	go func() {
		gaveUp <- db.InTx(ctx, func(tx evaluation.Tx) error { ran = true; return nil })
	}()
	select {
	case err := <-first:
		if err != nil {
			t.Fatalf("first call: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("first call still waiting: its batch was left open for a caller who left")
	}
	if ran {
		t.Error("the caller who stopped waiting ran")
	}
	if d := cmp.Diff([]string{"FIRST"}, agencyCodes(t, db)); d != "" {
		t.Errorf("stored agencies (-want +got):\n%s", d)
	}
}

// TestInTxTxAfterReturn: a transaction kept beyond its InTx cannot write.
func TestInTxTxAfterReturn(t *testing.T) {
	db := openDB(t)
	var kept evaluation.Tx
	inTx(t, db, func(tx evaluation.Tx) error { kept = tx; return nil })
	// SQLite's writer switches the call to a closed connection;
	// PostgreSQL's transaction is done.
	if err := write(t.Context(), kept, "LATE"); !errors.Is(err, sql.ErrConnDone) && !errors.Is(err, sql.ErrTxDone) {
		t.Errorf("write after InTx returned: %v, want sql.ErrConnDone or sql.ErrTxDone", err)
	}
	if codes := agencyCodes(t, db); len(codes) != 0 {
		t.Errorf("stored agencies %v, want none", codes)
	}
}

// TestInTxFailedStatementOnPostgres: on PostgreSQL a failed statement
// leaves the transaction refusing every other until it is rolled back to a
// savepoint. A call that goes on over such a failure (fn returns nil) is
// undone and told so; the calls batched with it are not affected, and the
// batch commits.
func TestInTxFailedStatementOnPostgres(t *testing.T) {
	db := openDB(t)
	if !db.Postgres() {
		t.Skip("PostgreSQL's failed transactions; SQLite undoes the failed statement alone")
	}
	ctx := t.Context()
	inTx(t, db, func(tx evaluation.Tx) error { return write(ctx, tx, "TAKEN") })
	db.SetBatchLimits(100, time.Hour)
	calls := []*call{
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "FIRST") }},
		{fn: func(ctx context.Context, tx evaluation.Tx) error {
			write(ctx, tx, "TAKEN") // fails (the code is taken); the error is dropped
			return nil
		}},
		{fn: func(ctx context.Context, tx evaluation.Tx) error { return write(ctx, tx, "LAST") }},
	}
	inTurns(t, db, calls...)
	if calls[0].err != nil || calls[2].err != nil || calls[1].err == nil {
		t.Fatalf("outcomes %v, %v, %v; want the middle call alone to fail", calls[0].err, calls[1].err, calls[2].err)
	}
	if d := cmp.Diff([]string{"FIRST", "LAST", "TAKEN"}, agencyCodes(t, db)); d != "" {
		t.Errorf("stored agencies (-want +got):\n%s", d)
	}
	checkAudit(t, db, 3)
}

package sqlite_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
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

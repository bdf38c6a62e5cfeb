package sqlstore

import (
	"context"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Queued is how many InTx calls wait for the write slot.
func (db *DB) Queued() int64 { return db.writer.queued.Load() }

// SetBatchLimits changes when a batch is committed although callers wait.
// Call it before any InTx.
func (db *DB) SetBatchLimits(calls int, age time.Duration) {
	db.writer.maxCalls, db.writer.maxAge = calls, age
}

// OnBatchLeftOpen sets a function to run after a turn has left its batch
// open for the callers queued, before it releases the write slot. Call it
// before any InTx.
func (db *DB) OnBatchLeftOpen(f func()) { db.writer.leftOpen = f }

// ExecTx runs a statement of the test's own in fn's transaction.
func ExecTx(ctx context.Context, t evaluation.Tx, query string, args ...any) error {
	_, err := t.(*tx).db.ExecContext(ctx, query, args...)
	return err
}

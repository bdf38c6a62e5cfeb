package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mattn/go-sqlite3"
)

// Batches of at most batchCalls calls, begun at most batchAge ago, are
// committed even while callers wait: the first call of a batch waits for the
// others and for the commit, and these bound that wait.
const (
	batchCalls = 32
	batchAge   = 4 * time.Millisecond
)

// errRolledBack is the outcome of a batch whose transaction SQLite rolled
// back before it could be committed (an I/O error, a full disk, a
// statement with ON CONFLICT ROLLBACK in one of its calls).
var errRolledBack = errors.New("the transaction was rolled back by SQLite: nothing of it was written")

// writer admits this process's write transactions one turn at a time, in
// the order they arrive, and commits them in batches (group commit).
//
// SQLite allows one writer anyway; without the queue, the writers that find
// the lock taken poll for it in SQLite's busy handler, which sleeps 1, 2,
// 5, … up to 100 ms between tries: the lock sits idle while they sleep, and
// under load an unlucky writer can miss it for the whole busy timeout and
// fail. Other processes (the command line) still queue on the busy timeout.
//
// With synchronous=FULL each commit waits for the disk, which costs more
// than most transactions' work: one transaction (a batch) therefore spans
// the turns of the callers that arrive while others write, each caller's
// work in a savepoint of its own, and the last turn of the batch commits it
// for all. See DB.InTx.
type writer struct {
	// turn is the write slot: a caller holds it by sending into it.
	turn chan struct{}
	// queued counts the callers waiting for the slot.
	queued atomic.Int64
	// batch is the open transaction, nil between batches. Only the
	// slot's holder reads or writes it.
	batch *batch
	// maxCalls and maxAge are batchCalls and batchAge; tests change them.
	maxCalls int
	maxAge   time.Duration
	// closed is a connection handle closed at start-up: a call's handle
	// is switched to it when the call ends, so that an evaluation.Tx kept
	// beyond its InTx fails (sql.ErrConnDone) instead of writing into
	// another caller's turn.
	closed *sql.Conn
	// leftOpen, when set (by tests), runs after a turn has left its batch
	// open for the callers queued, before the slot is released.
	leftOpen func()
}

// batch is one SQLite transaction shared by consecutive turns.
type batch struct {
	conn  *sql.Conn
	calls int
	begun time.Time
	// broken, once set, ends the batch with this error at the end of the
	// turn: the transaction is gone or cannot go on.
	broken error
	// done is closed when the batch has been committed or rolled back;
	// err is then its outcome, for every call whose work it held.
	done chan struct{}
	err  error
}

func newWriter(ctx context.Context, sqldb *sql.DB) (*writer, error) {
	closed, err := sqldb.Conn(ctx)
	if err != nil {
		return nil, err
	}
	closed.Close()
	return &writer{turn: make(chan struct{}, 1), maxCalls: batchCalls, maxAge: batchAge, closed: closed}, nil
}

// InTx runs fn in an IMMEDIATE transaction and returns once fn's work is
// committed (nil) or undone (an error, or fn's panic carried on).
// Transactions of this process wait their turn in arrival order (see
// writer); a context that ends while waiting ends the wait.
//
// Group commit: a caller's turn does not end its transaction when others
// are waiting for theirs. The first turn of a batch begins the transaction;
// every turn runs fn inside SAVEPOINT … RELEASE, so that an error or a
// panic of fn rolls back to the savepoint: only that call's work vanishes,
// and its error or panic reaches only its caller. The turn that finds no
// caller waiting, or the batch at batchCalls calls or batchAge old, commits,
// and every call of the batch returns the commit's result: nobody returns
// nil before the COMMIT that holds its writes has succeeded, so an
// acknowledged write survives a crash as before, and a failed COMMIT fails
// every call of its batch. A call sees the work of the earlier calls of its
// batch, committed or not, as it would see them in separate transactions;
// the audit chain's entries are appended in turn order in one transaction.
//
// Statements run without fn's context's cancellation (go-sqlite3 would
// interrupt them, and SQLite rolls the whole transaction back when it
// interrupts a write): a context that has ended fails the statements that
// have not started, and a call whose context ended by the time fn returns
// is rolled back to its savepoint and returns the context's error. A
// statement never runs outside the transaction: if SQLite rolls the
// transaction back on its own (a full disk, an I/O error, ON CONFLICT
// ROLLBACK), the call's later statements fail and the batch ends with the
// error for all its calls.
func (db *DB) InTx(ctx context.Context, fn func(tx evaluation.Tx) error) (err error) {
	w := db.writer
	w.queued.Add(1)
	select {
	case w.turn <- struct{}{}:
		w.queued.Add(-1)
	case <-ctx.Done():
		w.queued.Add(-1)
		// A turn may have left its batch open for this caller: end it on
		// another goroutine, which waits for the slot.
		go db.flush()
		return fmt.Errorf("begin: %w", ctx.Err())
	}
	b, err := db.openBatch()
	if err != nil {
		<-w.turn
		return fmt.Errorf("begin: %w", err)
	}
	b.calls++
	if err := ctx.Err(); err != nil {
		db.endTurn(b)
		return fmt.Errorf("begin: %w", err)
	}
	if _, err := b.conn.ExecContext(context.Background(), `SAVEPOINT call`); err != nil {
		b.broken = fmt.Errorf("savepoint: %w", err)
		db.endTurn(b)
		return b.broken
	}
	conn := &callConn{closed: w.closed}
	conn.conn.Store(b.conn)
	returned := false
	defer func() {
		if !returned {
			// fn panicked (the panic goes on once this returns) or
			// called runtime.Goexit.
			conn.conn.Store(w.closed)
			db.endCall(b, true)
			db.endTurn(b)
		}
	}()
	var q dbtx = conn
	if db.pg {
		q = &pgQueries{db: conn}
	}
	err = fn(&tx{queries{db: q, rubrics: db.rubrics, pg: db.pg}})
	returned = true
	conn.conn.Store(w.closed)
	if err == nil && ctx.Err() != nil {
		err = fmt.Errorf("commit: %w", ctx.Err())
	}
	if cerr := db.endCall(b, err != nil); err == nil {
		err = cerr
	}
	if err == nil && b.broken != nil {
		err = fmt.Errorf("commit: %w", b.broken)
	}
	db.endTurn(b)
	if err != nil {
		return err
	}
	<-b.done
	return b.err
}

// openBatch returns the open batch or begins one.
func (db *DB) openBatch() (*batch, error) {
	w := db.writer
	if w.batch != nil {
		return w.batch, nil
	}
	conn, err := db.sqldb.Conn(context.Background())
	if err != nil {
		return nil, err
	}
	begin := []string{`BEGIN IMMEDIATE`}
	if db.pg {
		// The one-writer order of SQLite, across every instance on the
		// database: see postgres.go.
		begin = []string{`BEGIN ISOLATION LEVEL READ COMMITTED`, `SELECT pg_advisory_xact_lock(` + strconv.FormatInt(writeLock, 10) + `)`}
	}
	for _, stmt := range begin {
		if _, err := conn.ExecContext(context.Background(), stmt); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			conn.Close()
			return nil, err
		}
	}
	w.batch = &batch{conn: conn, begun: time.Now(), done: make(chan struct{})}
	return w.batch, nil
}

// endCall releases the call's savepoint, or rolls back to it first when
// undo is set. A transaction that is gone, or a savepoint that cannot be
// ended, breaks the batch. On PostgreSQL a statement that failed leaves
// the transaction refusing every statement until the savepoint is rolled
// back (SQLite undoes the statement alone): a call whose fn returned nil
// over such a failure is rolled back too, and gets errCallFailed.
func (db *DB) endCall(b *batch, undo bool) error {
	if b.broken != nil {
		return nil
	}
	st, err := txState(b.conn)
	if err != nil || st == txNone {
		b.broken = errRolledBack
		if err != nil {
			b.broken = err
		}
		return nil
	}
	var callErr error
	if st == txFailed && !undo {
		undo, callErr = true, errCallFailed
	}
	end := []string{`RELEASE call`}
	if undo {
		end = []string{`ROLLBACK TO call`, `RELEASE call`}
	}
	for _, stmt := range end {
		if _, err := b.conn.ExecContext(context.Background(), stmt); err != nil {
			b.broken = fmt.Errorf("end savepoint: %w", err)
			return nil
		}
	}
	return callErr
}

// errCallFailed is the error of a call whose statement failed on
// PostgreSQL although the call returned no error.
var errCallFailed = errors.New("a statement of the transaction failed; nothing of it was written")

// endTurn ends the batch, unless it may take the next waiting caller's
// turn too, and releases the slot.
func (db *DB) endTurn(b *batch) {
	w := db.writer
	switch {
	case b.broken != nil:
		db.endBatch(b, fmt.Errorf("commit: %w", b.broken))
	case w.queued.Load() > 0 && b.calls < w.maxCalls && time.Since(b.begun) < w.maxAge:
		if w.leftOpen != nil {
			w.leftOpen()
		}
	default:
		// PostgreSQL answers COMMIT of a failed transaction by rolling it
		// back, without an error: commit only one whose every statement
		// held.
		var err error
		if st, serr := txState(b.conn); serr != nil || st != txOpen {
			err = fmt.Errorf("commit: %w", cmp.Or(serr, errRolledBack))
		} else if _, err = b.conn.ExecContext(context.Background(), `COMMIT`); err != nil {
			err = fmt.Errorf("commit: %w", err)
		}
		db.endBatch(b, err)
	}
	<-w.turn
}

// flush ends a batch that was left open for a caller who then stopped
// waiting, so that the batch's calls get their result.
func (db *DB) flush() {
	w := db.writer
	w.turn <- struct{}{}
	if w.batch != nil {
		db.endTurn(w.batch)
		return
	}
	<-w.turn
}

// endBatch gives the batch its outcome and hands its connection back to
// the pool, rolled back if a transaction is still open (a failed COMMIT may
// leave it open); a connection whose state is in doubt is discarded.
func (db *DB) endBatch(b *batch, err error) {
	db.writer.batch = nil
	st, aerr := txState(b.conn)
	if aerr == nil && st != txNone {
		_, aerr = b.conn.ExecContext(context.Background(), `ROLLBACK`)
	}
	if aerr != nil {
		b.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	b.conn.Close()
	b.err = err
	close(b.done)
}

// A connection's transaction state: none (SQLite's autocommit mode,
// PostgreSQL's idle), open, or failed (PostgreSQL: a statement failed and
// the transaction refuses the rest until rolled back to a savepoint).
type txStatus int

const (
	txNone txStatus = iota
	txOpen
	txFailed
)

// txState tells the connection's transaction state, from the driver.
func txState(conn *sql.Conn) (txStatus, error) {
	st := txNone
	err := conn.Raw(func(dc any) error {
		switch c := dc.(type) {
		case *sqlite3.SQLiteConn:
			if !c.AutoCommit() {
				st = txOpen
			}
		case *stdlib.Conn:
			switch c.Conn().PgConn().TxStatus() {
			case 'T':
				st = txOpen
			case 'E':
				st = txFailed
			}
		default:
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		return nil
	})
	return st, err
}

// callConn runs one call's statements on its batch's connection: without
// the cancellation of the call's context (see DB.InTx), only inside the
// transaction, and only during the call.
type callConn struct {
	conn   atomic.Pointer[sql.Conn]
	closed *sql.Conn
}

var _ dbtx = (*callConn)(nil)

// ready returns the connection on which a statement may run now.
func (c *callConn) ready() (*sql.Conn, error) {
	conn := c.conn.Load()
	st, err := txState(conn)
	if err != nil {
		return nil, err
	}
	if st == txNone {
		return nil, errRolledBack
	}
	return conn, nil
}

func (c *callConn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := c.ready()
	if err != nil {
		return nil, err
	}
	return conn.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (c *callConn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := c.ready()
	if err != nil {
		return nil, err
	}
	return conn.QueryContext(context.WithoutCancel(ctx), query, args...)
}

// QueryRowContext runs the query even when ctx has ended (a *sql.Row
// cannot be made with an error of one's choosing); outside the transaction
// or the call, the row's error is sql.ErrConnDone.
func (c *callConn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	conn, err := c.ready()
	if err != nil {
		conn = c.closed
	}
	return conn.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

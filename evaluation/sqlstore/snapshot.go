package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
)

// Snapshot is the read side on one read transaction: everything read
// through it comes from one state of the database, however long the reads
// take and whatever is written meanwhile. A proof that compares several
// tables (draw verify: the draw records, the panels and the audit log)
// needs that, or a change committed between two reads would look like
// tampering.
type Snapshot struct{ queries }

// ReadSnapshot runs fn on a Snapshot. Its transaction is DEFERRED, not the
// DSN's IMMEDIATE: it takes no write lock, so the server's writers go on
// (WAL keeps the snapshot's pages for it), and it is rolled back at the
// end. A connection whose rollback fails is discarded, not pooled with a
// transaction still open.
func (db *DB) ReadSnapshot(ctx context.Context, fn func(s *Snapshot) error) (err error) {
	if db.pg {
		return db.pgReadSnapshot(ctx, fn)
	}
	conn, err := db.sqldb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("read snapshot: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return fmt.Errorf("read snapshot: %w", err)
	}
	defer func() {
		if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
			err = errors.Join(err, fmt.Errorf("end read snapshot: %w", rerr))
		}
	}()
	return fn(&Snapshot{queries{db: conn, rubrics: db.rubrics}})
}

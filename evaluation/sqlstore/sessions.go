package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Sessions keeps the web sessions and CSRF tokens in the sessions table of
// the store's database, so that a signed-in user survives a restart and
// every instance on one database knows every session. It is a
// fiber.Storage (Get, Set, Delete, Reset, Close), in the table layout of
// gofiber/storage/sqlite3, which held them before: k, v, e (expiry in Unix
// seconds, 0 for none). gofiber has no PostgreSQL storage served here, and
// one implementation on both databases keeps them alike. Expired rows are
// read as missing and deleted every gcInterval.
type Sessions struct {
	db       dbtx
	now      func() time.Time
	stop     chan struct{}
	stopOnce sync.Once
	stopped  chan struct{}
}

// sessionsGC is how often expired sessions and old login attempts are
// deleted.
const sessionsGC = 10 * time.Minute

// Sessions returns the store's session storage; Close stops its collector
// (not the database).
func (db *DB) Sessions() *Sessions {
	s := &Sessions{db: db.queries.db, now: time.Now, stop: make(chan struct{}), stopped: make(chan struct{})}
	go s.collect()
	return s
}

// Get returns the value of key, or nil when it is missing or expired.
func (s *Sessions) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	var v []byte
	var e int64
	err := s.db.QueryRowContext(context.Background(), `SELECT v, e FROM sessions WHERE k = ?`, key).Scan(&v, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("get session: %w", err)
	}
	if e != 0 && e <= s.now().Unix() {
		return nil, nil
	}
	return v, nil
}

// Set stores val under key for exp (forever when exp is 0); the expiry is
// rounded up to the second.
func (s *Sessions) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var e int64
	if exp > 0 {
		deadline := s.now().Add(exp)
		e = deadline.Unix()
		if deadline.Nanosecond() != 0 {
			e++
		}
	}
	_, err := s.db.ExecContext(context.Background(), `INSERT INTO sessions (k, v, e) VALUES (?, ?, ?)
		ON CONFLICT (k) DO UPDATE SET v = excluded.v, e = excluded.e`, key, val, e)
	if err != nil {
		return fmt.Errorf("set session: %w", err)
	}
	return nil
}

// Delete removes key.
func (s *Sessions) Delete(key string) error {
	if key == "" {
		return nil
	}
	if _, err := s.db.ExecContext(context.Background(), `DELETE FROM sessions WHERE k = ?`, key); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Reset removes every session.
func (s *Sessions) Reset() error {
	if _, err := s.db.ExecContext(context.Background(), `DELETE FROM sessions`); err != nil {
		return fmt.Errorf("reset sessions: %w", err)
	}
	return nil
}

// Close stops the collector; the database stays open.
func (s *Sessions) Close() error {
	s.stopOnce.Do(func() {
		close(s.stop)
		<-s.stopped
	})
	return nil
}

func (s *Sessions) collect() {
	defer close(s.stopped)
	t := time.NewTicker(sessionsGC)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.gc(context.Background())
		}
	}
}

// gc deletes expired sessions and login attempts older than a day (far
// beyond any window). A failed delete is left for the next tick: expired
// rows are read as missing meanwhile, and old attempts fall outside every
// window.
func (s *Sessions) gc(ctx context.Context) {
	now := s.now()
	s.db.ExecContext(ctx, `DELETE FROM sessions WHERE e <= ? AND e != 0`, now.Unix())
	s.db.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < ?`, formatTime(now.Add(-24*time.Hour)))
}

// Login attempts.
//
// The sign-in rate limit counts attempts per key (an account and an
// address, or an account's attempts at its current password) in the
// database, so that every instance on it counts the same attempts. Keys
// are stored hashed: they hold user names and addresses, and NUL bytes,
// which PostgreSQL text cannot.

func attemptKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// CountLoginAttempt counts an attempt for key at now and returns 0, or,
// when the key has had max attempts in the window before now, counts
// nothing and returns how long until the oldest of them leaves the window.
// The count and the insert are one write transaction, so attempts sent at
// once, to one instance or several, cannot all pass.
func (db *DB) CountLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration, max int) (time.Duration, error) {
	k := attemptKey(key)
	var wait time.Duration
	err := db.inWrite(ctx, func(q dbtx) error {
		wait = 0
		var n int
		var oldest sql.NullString
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM login_attempts WHERE key = ? AND at > ?`,
			k, formatTime(now.Add(-window))).Scan(&n, &oldest); err != nil {
			return err
		}
		if n >= max {
			var t time.Time
			if err := (timeScan{&t}).Scan(oldest.String); err != nil {
				return err
			}
			wait = t.Add(window).Sub(now)
			return nil
		}
		_, err := q.ExecContext(ctx, `INSERT INTO login_attempts (key, at) VALUES (?, ?)`, k, formatTime(now))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count login attempt: %w", err)
	}
	return wait, nil
}

// ReleaseLoginAttempt takes back the key's latest attempt (a sign-in that
// succeeded, or an attempt whose password was never checked).
func (db *DB) ReleaseLoginAttempt(ctx context.Context, key string) error {
	k := attemptKey(key)
	err := db.inWrite(ctx, func(q dbtx) error {
		_, err := q.ExecContext(ctx, `DELETE FROM login_attempts WHERE id = (SELECT id FROM login_attempts WHERE key = ? ORDER BY at DESC, id DESC LIMIT 1)`, k)
		return err
	})
	if err != nil {
		return fmt.Errorf("release login attempt: %w", err)
	}
	return nil
}

// inWrite runs fn in a write transaction of the store's (InTx) without an
// audit entry: for the store's own bookkeeping, not the domain's.
func (db *DB) inWrite(ctx context.Context, fn func(q dbtx) error) error {
	return db.InTx(ctx, func(t evaluation.Tx) error { return fn(t.(*tx).db) })
}

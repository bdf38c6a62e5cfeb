package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

const outboxColumns = `id, kind, dedupe_key, COALESCE(recipient_id, 0), recipient_name, to_address, language, data,
	object_type, object_id, agency_id,
	CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN failed_at IS NOT NULL THEN 'failed' ELSE 'queued' END,
	created_at, attempts, next_attempt_at, claimed_until, last_error, problem, sent_at, failed_at, subject, body`

func scanMessage(row scanner) (*evaluation.Message, error) {
	m := &evaluation.Message{}
	var data string
	err := row.Scan(&m.ID, &m.Kind, &m.DedupeKey, &m.RecipientID, &m.RecipientName, &m.To, &m.Language, &data,
		&m.ObjectType, &m.ObjectID, &m.AgencyID, &m.Status, timeScan{&m.CreatedAt}, &m.Attempts,
		timeScan{&m.NextAttemptAt}, timeScan{&m.ClaimedUntil}, &m.LastError, &m.Problem, timeScan{&m.SentAt},
		timeScan{&m.FailedAt}, &m.Subject, &m.Body)
	m.Data = []byte(data)
	return m, err
}

// Enqueue stores a message unless its dedupe key is in the outbox already.
func (t *tx) Enqueue(ctx context.Context, m *evaluation.Message) (bool, error) {
	data := string(m.Data)
	if data == "" {
		data = "{}"
	}
	id, err := insertID(ctx, t.db, `INSERT INTO outbox (kind, dedupe_key, recipient_id, recipient_name, to_address,
		language, data, object_type, object_id, agency_id, created_at, next_attempt_at, problem, failed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
		m.Kind, m.DedupeKey, nullID(m.RecipientID), m.RecipientName, m.To, m.Language, data, m.ObjectType, m.ObjectID,
		m.AgencyID, formatTime(m.CreatedAt), formatTime(m.NextAttemptAt), m.Problem, nullTime(m.FailedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // the dedupe key is taken: nothing inserted, no id returned
	}
	if err != nil {
		return false, fmt.Errorf("enqueue %s message %q: %w", m.Kind, m.DedupeKey, mapError(err, ""))
	}
	m.ID = id
	return true, nil
}

func (q queries) OutboxMessage(ctx context.Context, id int64) (*evaluation.Message, error) {
	m, err := scanMessage(q.db.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("load message %d: %w", id, mapError(err, ""))
	}
	return m, nil
}

// outboxSorts are the columns of evaluation.OutboxSorts; messages not
// sent come last when sorted by the time they were sent.
var outboxSorts = map[string]string{"created": "created_at", "sent": "sent_at IS NULL, sent_at"}

func (q queries) OutboxMessages(ctx context.Context, f evaluation.OutboxFilter) ([]*evaluation.Message, int, error) {
	var w where
	switch f.Status {
	case evaluation.MessageQueued:
		w.add("sent_at IS NULL AND failed_at IS NULL")
	case evaluation.MessageSent:
		w.add("sent_at IS NOT NULL")
	case evaluation.MessageFailed:
		w.add("failed_at IS NOT NULL")
	}
	if f.AgencyID != 0 {
		w.add("agency_id = ?", f.AgencyID)
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	sort := f.Sort
	if sort == "" {
		sort = "-created"
	}
	list, err := queryList(ctx, q.db, "list messages", scanMessage,
		`SELECT `+outboxColumns+` FROM outbox`+w.String()+q.orderBy(sort, outboxSorts, "created_at")+` LIMIT ? OFFSET ?`,
		append(w.args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

// The sender's side of the outbox (evaluation/mailer's Queue). Each call
// is one statement, so it is atomic without a transaction of the caller's.

// ClaimMessage takes the queued message due soonest (next attempt at or
// before now, not leased to a sender, or leased until a time that has
// passed), leases it until until and counts an attempt. It returns
// evaluation.ErrNotFound when no message is due. One statement claims, so
// two senders cannot claim the same message: on PostgreSQL, where senders
// of several instances run at once, the second of two senders that chose
// the same message waits for the first's update and then finds the lease
// taken by the outer conditions, which PostgreSQL checks again on the row
// as the first left it (the subquery's choice is not re-evaluated).
func (db *DB) ClaimMessage(ctx context.Context, now, until time.Time) (*evaluation.Message, error) {
	at := formatTime(now)
	m, err := scanMessage(db.queries.db.QueryRowContext(ctx, `UPDATE outbox SET attempts = attempts + 1, claimed_until = ?
		WHERE id = (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
			AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY next_attempt_at, id LIMIT 1)
		AND sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)
		RETURNING `+outboxColumns, formatTime(until), at, at, at))
	if err != nil {
		return nil, fmt.Errorf("claim message: %w", mapError(err, ""))
	}
	return m, nil
}

// MarkSent records that a queued message was sent, with the text it was
// sent with, and ends its lease. A message sent or failed already is not
// changed: the error is a conflict, so a message is marked sent at most
// once.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time, subject, body string) error {
	return db.settle(ctx, "mark message sent", id, `sent_at = ?, claimed_until = NULL, last_error = '', subject = ?, body = ?`,
		formatTime(at), subject, body)
}

// MarkRetry records a failed attempt and when to try again.
func (db *DB) MarkRetry(ctx context.Context, id int64, lastError string, next time.Time) error {
	return db.settle(ctx, "schedule message retry", id, `next_attempt_at = ?, claimed_until = NULL, last_error = ?`,
		formatTime(next), lastError)
}

// MarkFailed records that a message will not be sent, and why.
func (db *DB) MarkFailed(ctx context.Context, id int64, lastError string, at time.Time) error {
	return db.settle(ctx, "mark message failed", id, `failed_at = ?, claimed_until = NULL, last_error = ?`,
		formatTime(at), lastError)
}

// settle updates a queued message; one already sent or failed is a
// conflict, a missing one not found.
func (db *DB) settle(ctx context.Context, what string, id int64, set string, args ...any) error {
	res, err := db.queries.db.ExecContext(ctx, `UPDATE outbox SET `+set+` WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL`,
		append(args, id)...)
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	} else if n == 1 {
		return nil
	}
	if _, err := db.OutboxMessage(ctx, id); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return fmt.Errorf("%s %d: %w", what, id, &evaluation.Error{Code: evaluation.Conflict, Message: "error.conflict"})
}

package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

const auditColumns = `id, at, actor_id, actor, action, object_type, object_id, agency_id, details, prev_hash, hash`

func scanAudit(row scanner) (*evaluation.AuditEntry, error) {
	e := &evaluation.AuditEntry{}
	err := row.Scan(&e.ID, &e.At, &e.ActorID, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &e.AgencyID,
		&e.Details, &e.PrevHash, &e.Hash)
	return e, err
}

// Audit appends an entry chained to the head. It runs inside the caller's
// IMMEDIATE transaction, which holds the write lock, so no other writer can
// move the head between the read and the insert.
func (t *tx) Audit(ctx context.Context, ev evaluation.AuditEvent) error {
	var head evaluation.AuditHead
	if err := t.db.QueryRowContext(ctx, `SELECT last_id, last_hash FROM audit_head WHERE singleton = 1`).
		Scan(&head.LastID, &head.LastHash); err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	at := ev.At
	if at.IsZero() {
		at = time.Now()
	}
	e, err := ev.Entry(at)
	if err != nil {
		return err
	}
	e.ID = head.LastID + 1
	e.PrevHash = head.LastHash
	e.Hash = e.ComputeHash(head.LastHash)
	if _, err := t.db.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At, e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, e.AgencyID, e.Details, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("append audit entry %d: %w", e.ID, err)
	}
	if _, err := t.db.ExecContext(ctx, `UPDATE audit_head SET last_id = ?, last_hash = ? WHERE singleton = 1`, e.ID, e.Hash); err != nil {
		return fmt.Errorf("move audit head: %w", err)
	}
	return nil
}

func (q queries) AuditEntries(ctx context.Context, f evaluation.AuditFilter) ([]*evaluation.AuditEntry, int, error) {
	var w where
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		w.add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		w.add("object_id = ?", f.ObjectID)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.AgencyID != 0 {
		w.add("agency_id = ?", f.AgencyID)
	}
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	list, err := queryList(ctx, q.db, "list audit entries", scanAudit,
		`SELECT `+auditColumns+` FROM audit_log`+w.String()+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(w.args, f.Page.Size, f.Page.Offset())...)
	return list, total, err
}

// ScanAudit reads the head and the whole log in one statement, so that both
// come from one snapshot without a transaction that would hold up writers:
// an entry appended meanwhile is in neither, while an entry beyond the head
// (appended outside evalpanel, or the head moved back) reaches fn and fails
// the check against the head. The LEFT JOIN keeps the head when the log is
// empty.
func (q queries) ScanAudit(ctx context.Context, fn func(*evaluation.AuditEntry) error) (evaluation.AuditHead, error) {
	var head evaluation.AuditHead
	rows, err := q.db.QueryContext(ctx, `SELECT h.last_id, h.last_hash, l.id IS NULL,
		COALESCE(l.id, 0), COALESCE(l.at, ''), COALESCE(l.actor_id, 0), COALESCE(l.actor, ''), COALESCE(l.action, ''),
		COALESCE(l.object_type, ''), COALESCE(l.object_id, ''), COALESCE(l.agency_id, 0), COALESCE(l.details, ''),
		COALESCE(l.prev_hash, ''), COALESCE(l.hash, '')
		FROM audit_head h LEFT JOIN audit_log l ON 1 = 1 WHERE h.singleton = 1 ORDER BY l.id`)
	if err != nil {
		return head, fmt.Errorf("scan audit log: %w", err)
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		found = true
		var empty bool
		e := &evaluation.AuditEntry{}
		if err := rows.Scan(&head.LastID, &head.LastHash, &empty, &e.ID, &e.At, &e.ActorID, &e.Actor, &e.Action,
			&e.ObjectType, &e.ObjectID, &e.AgencyID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return head, fmt.Errorf("scan audit log: %w", err)
		}
		if empty {
			continue
		}
		if err := fn(e); err != nil {
			return head, err
		}
	}
	if err := rows.Err(); err != nil {
		return head, fmt.Errorf("scan audit log: %w", err)
	}
	if !found {
		return head, fmt.Errorf("read audit head: %w", sql.ErrNoRows)
	}
	return head, nil
}

func (q queries) Counts(ctx context.Context) (evaluation.Counts, error) {
	c := evaluation.Counts{UsersByRole: map[evaluation.Role]int{}, ExpertsByType: map[evaluation.ExpertType]int{}}
	if err := groupCount(ctx, q.db, `SELECT role, count(*) FROM users GROUP BY role`, func(k string, n int) {
		c.UsersByRole[evaluation.Role(k)] = n
		c.Users += n
	}); err != nil {
		return c, err
	}
	if err := groupCount(ctx, q.db, `SELECT type, count(*) FROM experts GROUP BY type`, func(k string, n int) {
		c.ExpertsByType[evaluation.ExpertType(k)] = n
		c.Experts += n
	}); err != nil {
		return c, err
	}
	err := q.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM agencies), (SELECT count(*) FROM audit_log)`).
		Scan(&c.Agencies, &c.AuditEntries)
	if err != nil {
		return c, fmt.Errorf("count: %w", err)
	}
	return c, nil
}

func groupCount(ctx context.Context, db dbtx, query string, fn func(string, int)) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("count: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return fmt.Errorf("count: %w", err)
		}
		fn(k, n)
	}
	return rows.Err()
}

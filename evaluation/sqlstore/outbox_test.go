package sqlstore_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/google/go-cmp/cmp"
)

// outboxMessage is a queued invitation to user, created at t0.
func outboxMessage(user *evaluation.User, key string) *evaluation.Message {
	data, _ := json.Marshal(evaluation.InvitationData{Campaign: "批次", Year: 2026, Panel: "P1"})
	return &evaluation.Message{Kind: evaluation.KindInvitation, DedupeKey: key, RecipientID: user.ID,
		RecipientName: user.Name, To: user.Username + "@example.org", Language: evaluation.LangEN, Data: data,
		ObjectType: "panel", ObjectID: "7", AgencyID: 3, CreatedAt: t0, NextAttemptAt: t0}
}

// enqueue stores m in a transaction of its own and reports whether it was
// new.
func enqueue(t *testing.T, db *sqlstore.DB, m *evaluation.Message) bool {
	t.Helper()
	var stored bool
	inTx(t, db, func(tx evaluation.Tx) error {
		var err error
		stored, err = tx.Enqueue(t.Context(), m)
		return err
	})
	return stored
}

func loadMessage(t *testing.T, db *sqlstore.DB, id int64) *evaluation.Message {
	t.Helper()
	m, err := db.OutboxMessage(t.Context(), id)
	if err != nil {
		t.Fatalf("load message %d: %v", id, err)
	}
	return m
}

func TestOutboxEnqueue(t *testing.T) {
	db := openDB(t)
	u := addUser(t, db, &evaluation.User{Username: "li.lei", Name: "李雷", Role: evaluation.RoleAdmin})
	m := outboxMessage(u, "invitation:1")
	if !enqueue(t, db, m) || m.ID == 0 {
		t.Fatalf("Enqueue of a new key: stored false or no id (%d)", m.ID)
	}
	want := *m
	want.Status = evaluation.MessageQueued
	if diff := cmp.Diff(&want, loadMessage(t, db, m.ID)); diff != "" {
		t.Errorf("stored message differs (-want +got):\n%s", diff)
	}

	// The same event again: not stored, and the first is unchanged.
	again := outboxMessage(u, "invitation:1")
	again.To = "other@example.org"
	if enqueue(t, db, again) || again.ID != 0 {
		t.Errorf("Enqueue of a known key: stored, id %d; want not stored", again.ID)
	}
	if _, n, err := db.OutboxMessages(t.Context(), evaluation.OutboxFilter{Page: page(1, 10)}); err != nil || n != 1 {
		t.Errorf("after a duplicate: %d messages, %v; want 1", n, err)
	}
	if got := loadMessage(t, db, m.ID).To; got != m.To {
		t.Errorf("the duplicate changed the address to %q", got)
	}

	// A message without an address is failed from the start.
	lost := outboxMessage(u, "invitation:2")
	lost.RecipientID, lost.To, lost.Problem, lost.FailedAt = 0, "", evaluation.ProblemNoAccount, t0
	enqueue(t, db, lost)
	if got := loadMessage(t, db, lost.ID); got.Status != evaluation.MessageFailed || got.Problem != evaluation.ProblemNoAccount ||
		got.RecipientID != 0 {
		t.Errorf("message without an account: status %s, problem %q, recipient %d", got.Status, got.Problem, got.RecipientID)
	}
	// The schema refuses a problem on a message that is not failed.
	bad := outboxMessage(u, "invitation:3")
	bad.Problem = evaluation.ProblemNoEmail
	err := db.InTx(t.Context(), func(tx evaluation.Tx) error { _, err := tx.Enqueue(t.Context(), bad); return err })
	wantError(t, err, evaluation.Invalid)
}

// A message is written with the change that causes it, or not at all.
func TestOutboxEnqueueRollsBack(t *testing.T) {
	db := openDB(t)
	u := addUser(t, db, &evaluation.User{Username: "li.lei", Name: "李雷", Role: evaluation.RoleAdmin})
	errLater := errors.New("a later step fails")
	err := db.InTx(t.Context(), func(tx evaluation.Tx) error {
		if _, err := tx.Enqueue(t.Context(), outboxMessage(u, "invitation:1")); err != nil {
			return err
		}
		return errLater
	})
	if !errors.Is(err, errLater) {
		t.Fatalf("InTx: %v", err)
	}
	if _, n, err := db.OutboxMessages(t.Context(), evaluation.OutboxFilter{Page: page(1, 10)}); err != nil || n != 0 {
		t.Errorf("after a rolled-back transaction: %d messages, %v; want none", n, err)
	}
}

func TestOutboxClaim(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	u := addUser(t, db, &evaluation.User{Username: "li.lei", Name: "李雷", Role: evaluation.RoleAdmin})
	first, later := outboxMessage(u, "a"), outboxMessage(u, "b")
	later.NextAttemptAt = t0.Add(time.Minute)
	enqueue(t, db, later) // stored first, due later
	enqueue(t, db, first)
	lease := t0.Add(5 * time.Minute)

	if _, err := db.ClaimMessage(ctx, t0.Add(-time.Second), lease); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("claim before anything is due: %v, want not found", err)
	}
	got, err := db.ClaimMessage(ctx, t0, lease)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != first.ID || got.Attempts != 1 || !got.ClaimedUntil.Equal(lease) {
		t.Errorf("claimed message %d with %d attempts until %s; want %d, 1, %s", got.ID, got.Attempts, got.ClaimedUntil, first.ID, lease)
	}
	// Leased: nobody else takes it, and the one due later is not due yet.
	if _, err := db.ClaimMessage(ctx, t0.Add(30*time.Second), lease); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("claim while the only due message is leased: %v, want not found", err)
	}
	// At a minute both are due; the lease still holds the first.
	if got, err := db.ClaimMessage(ctx, t0.Add(time.Minute), lease); err != nil || got.ID != later.ID {
		t.Errorf("claim at a minute: %v, %v; want message %d", got, err, later.ID)
	}
	// Once the lease runs out, the first is taken again (a sender that
	// died with it), with another attempt counted.
	if got, err := db.ClaimMessage(ctx, lease, lease.Add(5*time.Minute)); err != nil || got.ID != first.ID || got.Attempts != 2 {
		t.Errorf("claim after the lease: %+v, %v; want message %d with 2 attempts", got, err, first.ID)
	}
}

func TestOutboxSettle(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	u := addUser(t, db, &evaluation.User{Username: "li.lei", Name: "李雷", Role: evaluation.RoleAdmin})
	m := outboxMessage(u, "a")
	enqueue(t, db, m)
	lease := t0.Add(5 * time.Minute)

	// A failed attempt: due again at the time given, the error kept.
	if _, err := db.ClaimMessage(ctx, t0, lease); err != nil {
		t.Fatal(err)
	}
	next := t0.Add(2 * time.Minute)
	if err := db.MarkRetry(ctx, m.ID, "451 try later", next); err != nil {
		t.Fatal(err)
	}
	got := loadMessage(t, db, m.ID)
	if got.Status != evaluation.MessageQueued || got.LastError != "451 try later" || !got.NextAttemptAt.Equal(next) ||
		!got.ClaimedUntil.IsZero() {
		t.Errorf("after a retry: %+v", got)
	}
	if _, err := db.ClaimMessage(ctx, next.Add(-time.Nanosecond), lease); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("claim before the retry is due: %v, want not found", err)
	}
	if _, err := db.ClaimMessage(ctx, next, next.Add(5*time.Minute)); err != nil {
		t.Fatalf("claim when the retry is due: %v", err)
	}

	// Sent: the text kept, the lease and the error cleared; once only.
	sentAt := next.Add(time.Second)
	if err := db.MarkSent(ctx, m.ID, sentAt, "Subject", "Body\n"); err != nil {
		t.Fatal(err)
	}
	got = loadMessage(t, db, m.ID)
	if got.Status != evaluation.MessageSent || !got.SentAt.Equal(sentAt) || got.Subject != "Subject" || got.Body != "Body\n" ||
		got.LastError != "" || !got.ClaimedUntil.IsZero() || got.Attempts != 2 {
		t.Errorf("after sending: %+v", got)
	}
	for name, settle := range map[string]func() error{
		"sent again": func() error { return db.MarkSent(ctx, m.ID, sentAt.Add(time.Hour), "Other", "Other") },
		"retried":    func() error { return db.MarkRetry(ctx, m.ID, "x", sentAt) },
		"failed":     func() error { return db.MarkFailed(ctx, m.ID, "x", sentAt) },
	} {
		if err := settle(); evaluation.ErrorCode(err) != evaluation.Conflict {
			t.Errorf("a sent message %s: %v, want conflict", name, err)
		}
	}
	if got := loadMessage(t, db, m.ID); got.Subject != "Subject" || !got.SentAt.Equal(sentAt) {
		t.Errorf("a sent message changed: %+v", got)
	}
	if _, err := db.ClaimMessage(ctx, sentAt.Add(time.Hour), sentAt.Add(2*time.Hour)); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("claim of a sent message: %v, want not found", err)
	}
	if err := db.MarkSent(ctx, 999, sentAt, "", ""); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("mark an unknown message: %v, want not found", err)
	}

	// Given up: failed, with the reason, and never claimed again.
	f := outboxMessage(u, "b")
	enqueue(t, db, f)
	if err := db.MarkFailed(ctx, f.ID, "550 no such user", t0); err != nil {
		t.Fatal(err)
	}
	if got := loadMessage(t, db, f.ID); got.Status != evaluation.MessageFailed || got.LastError != "550 no such user" || !got.FailedAt.Equal(t0) {
		t.Errorf("after failing: %+v", got)
	}
	if _, err := db.ClaimMessage(ctx, t0.Add(time.Hour), t0.Add(2*time.Hour)); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("claim of a failed message: %v, want not found", err)
	}
}

func TestOutboxList(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	u := addUser(t, db, &evaluation.User{Username: "li.lei", Name: "李雷", Role: evaluation.RoleAdmin})
	var ids []int64
	for i, agency := range []int64{1, 2, 1, 1} {
		m := outboxMessage(u, fmt.Sprint(i))
		m.AgencyID, m.CreatedAt = agency, t0.Add(time.Duration(i)*time.Minute)
		enqueue(t, db, m)
		ids = append(ids, m.ID)
	}
	// Messages 2 and 1 are sent, in that order (1 was created first);
	// message 3 fails.
	for i, id := range []int64{ids[2], ids[1]} {
		if err := db.MarkSent(ctx, id, t0.Add(time.Duration(i+1)*time.Hour), "s", "b"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkFailed(ctx, ids[3], "x", t0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    evaluation.OutboxFilter
		want []int64
	}{
		{"newest first", evaluation.OutboxFilter{}, []int64{ids[3], ids[2], ids[1], ids[0]}},
		{"oldest first", evaluation.OutboxFilter{Sort: "created"}, ids},
		{"by sending, unsent last", evaluation.OutboxFilter{Sort: "sent"}, []int64{ids[2], ids[1], ids[0], ids[3]}},
		{"by sending, newest first", evaluation.OutboxFilter{Sort: "-sent"}, []int64{ids[1], ids[2], ids[3], ids[0]}},
		{"queued", evaluation.OutboxFilter{Status: evaluation.MessageQueued}, []int64{ids[0]}},
		{"sent", evaluation.OutboxFilter{Status: evaluation.MessageSent}, []int64{ids[2], ids[1]}},
		{"failed", evaluation.OutboxFilter{Status: evaluation.MessageFailed}, []int64{ids[3]}},
		{"agency", evaluation.OutboxFilter{AgencyID: 2}, []int64{ids[1]}},
		{"agency and status", evaluation.OutboxFilter{AgencyID: 1, Status: evaluation.MessageSent}, []int64{ids[2]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Page = page(1, 10)
			list, total, err := db.OutboxMessages(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, m := range list {
				got = append(got, m.ID)
			}
			if total != len(tc.want) || !cmp.Equal(got, tc.want) {
				t.Errorf("got %v (total %d), want %v", got, total, tc.want)
			}
		})
	}
	// Pages: the second page of two holds the rest.
	list, total, err := db.OutboxMessages(ctx, evaluation.OutboxFilter{Page: page(2, 3)})
	if err != nil || total != 4 || len(list) != 1 || list[0].ID != ids[0] {
		t.Errorf("page 2 of 3: %d of %d, %v", len(list), total, err)
	}
}

package mailer_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/mailer"
	"github.com/evalpanel/evalpanel/evaluation/mailer/mailtest"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
)

var _ mailer.Queue = (*sqlstore.DB)(nil)

var t0 = time.Date(2026, 5, 11, 1, 30, 0, 0, time.UTC)

// texts renders a message as "<language> <kind> for <recipient>", so that
// a test sees which language the sender asked for.
type texts struct{}

func (texts) Render(m *evaluation.Message) (string, string, error) {
	var d evaluation.InvitationData
	if err := json.Unmarshal(m.Data, &d); err != nil {
		return "", "", err
	}
	greeting := map[evaluation.Language]string{evaluation.LangZH: "您好", evaluation.LangEN: "Dear"}[m.Language]
	return string(m.Language) + " " + string(m.Kind) + " " + d.Panel, greeting + " " + m.RecipientName + "\n", nil
}

// fixture is an outbox in a fresh database, a test SMTP server and the
// senders' clock, which a test sets only while no sender runs.
type fixture struct {
	db   *sqlstore.DB
	smtp *mailtest.Server
	now  time.Time
	user *evaluation.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := sqlstore.Open(t.Context(), storetest.Target(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, smtp: mailtest.Start(t), now: t0}
	f.user = &evaluation.User{Username: "gu.jianhua", Name: "顾建华", Role: evaluation.RoleAdmin, Language: evaluation.LangZH,
		PasswordHash: "x", CreatedAt: t0, UpdatedAt: t0}
	if err := db.InTx(t.Context(), func(tx evaluation.Tx) error { return tx.CreateUser(t.Context(), f.user) }); err != nil {
		t.Fatal(err)
	}
	return f
}

// enqueue puts an invitation to name at to, in lang, in the outbox.
func (f *fixture) enqueue(t *testing.T, name, to string, lang evaluation.Language) *evaluation.Message {
	t.Helper()
	data, _ := json.Marshal(evaluation.InvitationData{Campaign: "2026 年度第一批", Year: 2026, Panel: "P-" + name})
	m := &evaluation.Message{Kind: evaluation.KindInvitation, DedupeKey: "test:" + name, RecipientID: f.user.ID,
		RecipientName: name, To: to, Language: lang, Data: data, ObjectType: "panel", ObjectID: "1",
		CreatedAt: f.now, NextAttemptAt: f.now}
	if to == "" {
		m.Problem, m.FailedAt = evaluation.ProblemNoEmail, f.now
	}
	if err := f.db.InTx(t.Context(), func(tx evaluation.Tx) error { _, err := tx.Enqueue(t.Context(), m); return err }); err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) message(t *testing.T, id int64) *evaluation.Message {
	t.Helper()
	m, err := f.db.OutboxMessage(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// testLog writes the sender's log to the test's.
type testLog struct{ t *testing.T }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// sender is a sender to the test server, as the user with the password
// when user is not "", with the fixture's clock and the config changes.
func (f *fixture) sender(t *testing.T, user, password string, change func(*mailer.Config)) *mailer.Sender {
	t.Helper()
	server, err := mailer.ParseURL(f.smtp.URL("evalpanel@example.org", user, password))
	if err != nil {
		t.Fatal(err)
	}
	cfg := mailer.Config{Server: server, Queue: f.db, Renderer: texts{}, Now: func() time.Time { return f.now }, Poll: 10 * time.Millisecond,
		SendTimeout: 5 * time.Second, TLSConfig: f.smtp.ClientTLS, Logger: slog.New(slog.NewTextHandler(testLog{t}, nil))}
	if change != nil {
		change(&cfg)
	}
	s, err := mailer.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sendDue(t *testing.T, s *mailer.Sender) int {
	t.Helper()
	n, err := s.SendDue(t.Context())
	if err != nil {
		t.Fatalf("SendDue: %v", err)
	}
	return n
}

// The server gets each message once, addressed to the recipient, with the
// text in their language and the outbox row's Message-ID; the row keeps
// the text as sent. A message without an address is not sent.
func TestSenderDelivers(t *testing.T) {
	f := newFixture(t)
	zh := f.enqueue(t, "顾建华", "gu@example.org", evaluation.LangZH)
	en := f.enqueue(t, "Anna Berg", "anna@example.org", evaluation.LangEN)
	f.enqueue(t, "无邮箱", "", evaluation.LangZH)
	s := f.sender(t, "", "", nil)
	if n := sendDue(t, s); n != 2 {
		t.Fatalf("SendDue sent %d, want 2", n)
	}
	mails := f.smtp.Mails()
	if len(mails) != 2 {
		t.Fatalf("the server received %d messages, want 2", len(mails))
	}
	for i, tc := range []struct {
		m                   *evaluation.Message
		rcpt, subject, body string
	}{
		{zh, "gu@example.org", "zh-CN invitation P-顾建华", "您好 顾建华\n"},
		{en, "anna@example.org", "en invitation P-Anna Berg", "Dear Anna Berg\n"},
	} {
		got := mails[i]
		if len(got.Rcpt) != 1 || got.Rcpt[0] != tc.rcpt || !strings.Contains(got.To, tc.rcpt) || got.From != "evalpanel@example.org" {
			t.Errorf("message %d went from %q to %v (To: %q)", i, got.From, got.Rcpt, got.To)
		}
		if got.Subject != tc.subject || got.Body != tc.body {
			t.Errorf("message %d: subject %q body %q, want %q and %q", i, got.Subject, got.Body, tc.subject, tc.body)
		}
		if want := mailer.MessageID(tc.m, "example.org"); got.MessageID != want {
			t.Errorf("message %d: Message-ID %q, want %q", i, got.MessageID, want)
		}
		if got.Header.Get("Auto-Submitted") != "auto-generated" {
			t.Errorf("message %d is not marked as sent automatically: %v", i, got.Header)
		}
		stored := f.message(t, tc.m.ID)
		if stored.Status != evaluation.MessageSent || stored.Attempts != 1 || !stored.SentAt.Equal(t0) ||
			stored.Subject != tc.subject || stored.Body != tc.body {
			t.Errorf("message %d as stored: %+v", i, stored)
		}
	}
	if n := sendDue(t, s); n != 0 || len(f.smtp.Mails()) != 2 {
		t.Errorf("a second pass sent %d (%d received); want nothing", n, len(f.smtp.Mails()))
	}
}

// Over STARTTLS (required by default), the sender signs in with the
// URL's user and password.
func TestSenderAuthenticates(t *testing.T) {
	f := newFixture(t)
	f.smtp = mailtest.StartTLS(t)
	f.smtp.RequireAuth("mailer", "s3cret")
	m := f.enqueue(t, "顾建华", "gu@example.org", evaluation.LangZH)

	if n := sendDue(t, f.sender(t, "mailer", "wrong", nil)); n != 0 {
		t.Fatalf("sent %d with a wrong password", n)
	}
	if got := f.message(t, m.ID); got.Status != evaluation.MessageQueued || got.LastError == "" {
		t.Errorf("after a refused sign-in: status %s, last error %q; want queued with the error", got.Status, got.LastError)
	}
	f.now = t0.Add(time.Hour)
	if n := sendDue(t, f.sender(t, "mailer", "s3cret", nil)); n != 1 {
		t.Fatalf("sent %d with the password, want 1", n)
	}
	if mails := f.smtp.Mails(); len(mails) != 1 || mails[0].User != "mailer" {
		t.Errorf("the server received %+v, want one message from the user mailer", mails)
	}
}

// A temporary failure is tried again after a delay that doubles up to the
// cap; the error is kept; the message goes out once when the server
// takes it.
func TestSenderRetriesWithBackoff(t *testing.T) {
	f := newFixture(t)
	m := f.enqueue(t, "顾建华", "gu@example.org", evaluation.LangZH)
	s := f.sender(t, "", "", func(c *mailer.Config) {
		c.RetryBase, c.RetryMax, c.MaxAttempts = time.Minute, 3*time.Minute, 10
	})
	f.smtp.Refuse(451, 451, 451, 451)
	now := t0
	for attempt, delay := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute} {
		if n := sendDue(t, s); n != 0 {
			t.Fatalf("attempt %d: sent %d while the server refuses", attempt+1, n)
		}
		got := f.message(t, m.ID)
		if got.Status != evaluation.MessageQueued || got.Attempts != attempt+1 || !strings.Contains(got.LastError, "451") ||
			!got.NextAttemptAt.Equal(now.Add(delay)) {
			t.Fatalf("after attempt %d: status %s, %d attempts, error %q, next %s; want queued, %d, a 451, %s",
				attempt+1, got.Status, got.Attempts, got.LastError, got.NextAttemptAt, attempt+1, now.Add(delay))
		}
		f.now = now.Add(delay - time.Second)
		if n := sendDue(t, s); n != 0 || f.message(t, m.ID).Attempts != attempt+1 {
			t.Fatalf("attempt %d: tried again before the delay", attempt+1)
		}
		now = now.Add(delay)
		f.now = now
	}
	if n := sendDue(t, s); n != 1 {
		t.Fatalf("the fifth attempt sent %d, want 1", n)
	}
	if got := f.message(t, m.ID); got.Status != evaluation.MessageSent || got.Attempts != 5 || got.LastError != "" {
		t.Errorf("after the fifth attempt: %+v", got)
	}
	if mails := f.smtp.Mails(); len(mails) != 1 {
		t.Errorf("the server received %d messages, want 1", len(mails))
	}
}

// The sender gives up after the attempts allowed, and at once when the
// server refuses the recipient outright.
func TestSenderGivesUp(t *testing.T) {
	for _, tc := range []struct {
		name     string
		refusals []int
		attempts int
	}{
		{"attempts used up", []int{451, 451, 451}, 3},
		{"recipient refused", []int{550}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			m := f.enqueue(t, "顾建华", "gu@example.org", evaluation.LangZH)
			s := f.sender(t, "", "", func(c *mailer.Config) { c.MaxAttempts = 3 })
			f.smtp.Refuse(tc.refusals...)
			for range tc.attempts {
				sendDue(t, s)
				f.now = f.now.Add(time.Hour) // past any delay
			}
			got := f.message(t, m.ID)
			code := tc.refusals[len(tc.refusals)-1]
			if got.Status != evaluation.MessageFailed || got.Attempts != tc.attempts || !strings.Contains(got.LastError, "test refusal") ||
				!strings.Contains(got.LastError, strconv.Itoa(code)) {
				t.Errorf("status %s after %d attempts, error %q; want failed after %d with the server's error",
					got.Status, got.Attempts, got.LastError, tc.attempts)
			}
			if n := sendDue(t, s); n != 0 || len(f.smtp.Mails()) != 0 {
				t.Errorf("a failed message was sent")
			}
		})
	}
}

// Stopping the sender right after the server took a message, before the
// sender heard so, still marks it sent: started again, even after the
// lease has run out, the sender sends the next message and not that one
// again.
func TestSenderStoppedMidwaySendsOnce(t *testing.T) {
	f := newFixture(t)
	first := f.enqueue(t, "顾建华", "gu@example.org", evaluation.LangZH)
	second := f.enqueue(t, "Anna Berg", "anna@example.org", evaluation.LangEN)
	ctx, stop := context.WithCancel(t.Context())
	f.smtp.OnData(func(mailtest.Mail) { stop() })
	done := make(chan error, 1)
	go func() { done <- f.sender(t, "", "", nil).Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the sender did not stop")
	}
	f.smtp.OnData(nil)
	if got := f.message(t, first.ID); got.Status != evaluation.MessageSent {
		t.Errorf("the message the server took is %s after the stop, want sent", got.Status)
	}
	if got := f.message(t, second.ID); got.Status != evaluation.MessageQueued || got.Attempts != 0 {
		t.Errorf("the next message is %s with %d attempts after the stop, want queued and untouched", got.Status, got.Attempts)
	}

	f.now = t0.Add(time.Hour) // every lease has run out
	ctx, stop = context.WithCancel(t.Context())
	defer stop()
	go func() { done <- f.sender(t, "", "", nil).Run(ctx) }()
	f.smtp.Wait(2, 10*time.Second)
	time.Sleep(100 * time.Millisecond) // ten more polls: anything sent twice would arrive
	stop()
	<-done
	seen := map[string]int{}
	for _, m := range f.smtp.Mails() {
		seen[m.MessageID]++
	}
	for _, m := range []*evaluation.Message{first, second} {
		if n := seen[mailer.MessageID(m, "example.org")]; n != 1 {
			t.Errorf("message %d arrived %d times, want once", m.ID, n)
		}
	}
	if len(seen) != 2 {
		t.Errorf("the server received %d different messages, want 2", len(seen))
	}
}

// failingMarks is the outbox with MarkSent failing while fail is set, as
// if the process died between the server taking a message and the mark.
type failingMarks struct {
	*sqlstore.DB
	fail bool
}

func (q *failingMarks) MarkSent(ctx context.Context, id int64, at time.Time, subject, body string) error {
	if q.fail {
		return errors.New("crashed")
	}
	return q.DB.MarkSent(ctx, id, at, subject, body)
}

// What no sender can rule out: when the mark is lost after the server
// took the message, the message is sent again once its lease runs out,
// and the copy carries the same Message-ID.
func TestSenderLostMarkResendsSameMessageID(t *testing.T) {
	f := newFixture(t)
	m := f.enqueue(t, "顾建华", "gu@example.org", evaluation.LangZH)
	q := &failingMarks{DB: f.db, fail: true}
	s := f.sender(t, "", "", func(c *mailer.Config) { c.Queue, c.Lease = q, 5*time.Minute })
	sendDue(t, s)
	q.fail = false
	if got := f.message(t, m.ID); got.Status != evaluation.MessageQueued {
		t.Fatalf("after a lost mark the message is %s, want queued", got.Status)
	}
	f.now = t0.Add(5*time.Minute - time.Second)
	if n := sendDue(t, s); n != 0 {
		t.Fatalf("sent again within the lease")
	}
	f.now = t0.Add(5 * time.Minute)
	if n := sendDue(t, s); n != 1 {
		t.Fatalf("after the lease: sent %d, want 1", n)
	}
	mails := f.smtp.Mails()
	if len(mails) != 2 || mails[0].MessageID != mails[1].MessageID {
		t.Errorf("received %d copies with Message-IDs %v; want 2 with the same", len(mails), mails)
	}
	if got := f.message(t, m.ID); got.Status != evaluation.MessageSent || got.Attempts != 2 {
		t.Errorf("after the second copy: %s with %d attempts, want sent with 2", got.Status, got.Attempts)
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url      string
		want     string // host:port tls user:password from, or the error
		implicit bool
	}{
		{"smtp://user:p%40ss@mail.example.org?from=evalpanel@example.org", "mail.example.org:587 starttls user:p@ss evalpanel@example.org", false},
		{"smtp://mail.example.org:2525?from=evalpanel@example.org&tls=opportunistic", "mail.example.org:2525 opportunistic : evalpanel@example.org", false},
		{"smtp://127.0.0.1:25?from=a@b.org&tls=none", "127.0.0.1:25 none : a@b.org", false},
		{"smtps://u:p@mail.example.org?from=%E8%AF%84%E4%BB%B7%20%3Cevalpanel@example.org%3E", "mail.example.org:465  u:p evalpanel@example.org", true},
		{"smtps://mail.example.org:10465?from=evalpanel@example.org", "mail.example.org:10465  : evalpanel@example.org", true},
		{"http://mail.example.org?from=a@b.org", `scheme "http": want smtp or smtps`, false},
		{"smtp://mail.example.org", `from "": want the sender's e-mail address`, false},
		{"smtp://mail.example.org?from=nobody", `from "nobody": want the sender's e-mail address`, false},
		{"smtp://?from=a@b.org", "no host", false},
		{"smtp://mail.example.org:0?from=a@b.org", `port "0"`, false},
		{"smtp://mail.example.org?from=a@b.org&tls=maybe", `tls "maybe": want starttls, opportunistic or none`, false},
		{"smtps://mail.example.org?from=a@b.org&tls=none", "tls applies to smtp:// only; smtps:// is always TLS", false},
		{"smtp://mail.example.org?from=a@b.org&sender=x", `unknown parameter "sender": want from or tls`, false},
		{"smtp://user:secret@mail.example.org:bad?from=a@b.org", "not a URL", false},
	} {
		t.Run(tc.url, func(t *testing.T) {
			s, err := mailer.ParseURL(tc.url)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = s.Addr() + " " + string(s.TLS) + " " + s.Username + ":" + s.Password + " " + s.From.Address
			}
			if got != tc.want || (err == nil && s.ImplicitTLS != tc.implicit) {
				t.Errorf("got %q (implicit TLS %v), want %q (%v)", got, err == nil && s.ImplicitTLS, tc.want, tc.implicit)
			}
			if strings.Contains(got, "secret") {
				t.Errorf("the error repeats the password: %q", got)
			}
		})
	}
}

func TestNewRefusesIncompleteConfig(t *testing.T) {
	server, err := mailer.ParseURL("smtp://127.0.0.1:25?from=a@b.org&tls=none")
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]mailer.Config{
		"no queue":            {Server: server, Renderer: texts{}},
		"no renderer":         {Server: server, Queue: (*sqlstore.DB)(nil)},
		"no server":           {Queue: (*sqlstore.DB)(nil), Renderer: texts{}},
		"lease within a send": {Server: server, Queue: (*sqlstore.DB)(nil), Renderer: texts{}, Lease: time.Minute, SendTimeout: time.Minute},
	} {
		if _, err := mailer.New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

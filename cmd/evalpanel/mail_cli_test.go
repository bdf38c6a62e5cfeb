package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/mailer"
	"github.com/evalpanel/evalpanel/evaluation/mailer/mailtest"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

// serve refuses an SMTP URL it cannot use before it starts. (The context
// is cancelled, so that a serve that accepted the URL would stop at once
// rather than hang the test.)
func TestServeRefusesBadSMTPURL(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, url := range []string{"http://mail.example.org?from=a@b.org", "smtp://mail.example.org"} {
		var stdout, stderr strings.Builder
		err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "e.db"), "--data", filepath.Join(dir, "data"),
			"--smtp-url", url}, strings.NewReader(""), &stdout, &stderr)
		if r := (cliResult{stdout.String(), stderr.String(), err}); r.code() != 2 || !strings.Contains(r.stderr, "--smtp-url") {
			t.Errorf("serve --smtp-url %s: exit %d, stderr %q; want 2 naming the flag", url, r.code(), r.stderr)
		}
	}
}

// serve sends the outbox only with an SMTP URL: without one, messages wait;
// with one, each goes out once, also across a restart.
func TestServeSendsTheOutbox(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evalpanel.db")
	db, svc := cliOpen(t, path)
	u, err := svc.Accounts.CreateUser(t.Context(), evaluation.System, evaluation.NewUser{Username: "gu.jianhua", Name: "顾建华",
		Role: evaluation.RoleAdmin, Language: evaluation.LangEN, Password: "correct-horse-battery"})
	if err != nil {
		t.Fatal(err)
	}
	enqueue := func(key, to string) {
		t.Helper()
		data, _ := json.Marshal(evaluation.InvitationData{Campaign: "2026 年度第一批", Year: 2026, Panel: "P1"})
		m := &evaluation.Message{Kind: evaluation.KindInvitation, DedupeKey: key, RecipientID: u.ID, RecipientName: u.Name,
			To: to, Language: u.Language, Data: data, ObjectType: "panel", ObjectID: "1", CreatedAt: time.Now(),
			NextAttemptAt: time.Now()}
		if err := db.InTx(t.Context(), func(tx evaluation.Tx) error { _, err := tx.Enqueue(t.Context(), m); return err }); err != nil {
			t.Fatal(err)
		}
	}
	count := func(status evaluation.MessageStatus) int {
		t.Helper()
		_, n, err := db.OutboxMessages(t.Context(), evaluation.OutboxFilter{Status: status, Page: evaluation.Page{Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	enqueue("a", "a@example.org")
	enqueue("b", "b@example.org")

	smtp := mailtest.Start(t)
	smtpServer, err := mailer.ParseURL(smtp.URL("evalpanel@example.org", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	serve := func(withSMTP bool) *server {
		t.Helper()
		cfg := serverConfig{Addr: "127.0.0.1:0", DB: path, DataDir: filepath.Join(dir, "data"), Password: password.Fast,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Stdout: io.Discard, MailPoll: 20 * time.Millisecond}
		if withSMTP {
			cfg.SMTP = &smtpServer
		}
		s, err := startServer(t.Context(), cfg)
		if err != nil {
			t.Fatalf("startServer: %v", err)
		}
		return s
	}
	stop := func(s *server) {
		t.Helper()
		if err := s.shutdown(5 * time.Second); err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	}

	s := serve(false)
	time.Sleep(200 * time.Millisecond)
	stop(s)
	if n := count(evaluation.MessageQueued); n != 2 || len(smtp.Mails()) != 0 {
		t.Fatalf("without an SMTP URL: %d queued, %d received; want 2 and none", n, len(smtp.Mails()))
	}

	s = serve(true)
	smtp.Wait(2, 10*time.Second)
	enqueue("c", "c@example.org") // written while the server runs
	smtp.Wait(3, 10*time.Second)
	stop(s)
	s = serve(true)
	time.Sleep(200 * time.Millisecond)
	stop(s)
	mails := smtp.Mails()
	if len(mails) != 3 || count(evaluation.MessageSent) != 3 {
		t.Fatalf("after a restart: %d received, %d sent; want 3 and 3", len(mails), count(evaluation.MessageSent))
	}
	for _, m := range mails {
		if !strings.HasPrefix(m.Subject, "Invitation to review: 2026 年度第一批") || !strings.HasPrefix(m.Body, "Dear 顾建华,") {
			t.Errorf("mail to %v is not the invitation in English: %q %q", m.Rcpt, m.Subject, m.Body)
		}
	}
}

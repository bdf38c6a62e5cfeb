package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/mailer"
	"github.com/evalpanel/evalpanel/evaluation/mailer/mailtest"
	"github.com/evalpanel/evalpanel/rubrics"
)

// The agency reopens two submitted sheets through the API; the sender is
// stopped as the mail server takes the first notice and started again.
// Each expert receives their notice once, in the language of their
// account, with the reason; the expert resubmits, the earlier submission
// stays in the sheet's history, and the audit log has both acts.
func TestReopenMailEndToEnd(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	ctx := context.Background()
	english := h.userOf(s.member)
	lang := evaluation.LangEN
	if _, err := h.svc.Accounts.UpdateUser(ctx, evaluation.System, english.ID, evaluation.UserUpdate{Language: &lang}); err != nil {
		t.Fatal(err)
	}
	address := map[string]string{}
	sheets := map[string]int64{}
	for _, name := range []string{s.member, s.other} {
		u := h.userOf(name)
		address[name] = fmt.Sprintf("%s@example.org", name)
		email := address[name]
		if _, err := h.svc.Pool.UpdateExpert(ctx, evaluation.System, u.ExpertID, evaluation.ExpertUpdate{Email: &email}); err != nil {
			t.Fatal(err)
		}
		h.openSheet(s, name)
		var sh evaluation.Sheet
		h.decode(h.run(t, scenario{as: name, method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID),
			body: `{"version":0,` + fullSheet + `}`, status: 200}), &sh)
		sheets[name] = sh.ID
	}
	reasons := map[string]string{s.member: "A3 缺少第三方检测报告作为依据，请复核。", s.other: "专家组评分差异较大，请复核 A1 的评分。"}
	for _, name := range []string{s.member, s.other} {
		h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/sheets/%d/reopen", sheets[name]),
			body: fmt.Sprintf(`{"reason":%q}`, reasons[name]), status: 200})
	}
	var queued list[*evaluation.Message]
	h.decode(h.run(t, scenario{as: "staffa", method: "GET", url: "/api/v1/outbox?status=queued", status: 200}), &queued)
	if queued.Total != 2 {
		t.Fatalf("%d messages queued after two reopenings, want 2: %+v", queued.Total, queued.Items)
	}

	smtp := mailtest.Start(t)
	server, err := mailer.ParseURL(smtp.URL("evalpanel@example.org", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	texts, err := NewMailTexts()
	if err != nil {
		t.Fatal(err)
	}
	run := func(stopOnData bool) {
		t.Helper()
		sender, err := mailer.New(mailer.Config{Server: server, Queue: h.db, Renderer: texts, Logger: h.app.log,
			Now: func() time.Time { return h.now }, Poll: 10 * time.Millisecond, SendTimeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		defer stop()
		if stopOnData {
			smtp.OnData(func(mailtest.Mail) { stop() })
			defer smtp.OnData(nil)
		}
		done := make(chan error, 1)
		go func() { done <- sender.Run(runCtx) }()
		if !stopOnData {
			smtp.Wait(2, 10*time.Second)
			time.Sleep(100 * time.Millisecond) // ten more polls: anything sent twice would arrive
			stop()
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the sender did not stop")
		}
	}
	run(true)
	if n := len(smtp.Mails()); n != 1 {
		t.Fatalf("%d mails taken before the stop, want 1", n)
	}
	h.now = h.now.Add(time.Hour) // every lease has run out
	run(false)

	got := map[string][]mailtest.Mail{}
	for _, m := range smtp.Mails() {
		got[m.Rcpt[0]] = append(got[m.Rcpt[0]], m)
	}
	for name, want := range map[string]struct{ subject, greeting string }{
		s.member: {"Your score sheet for 2024-ZD-101 was reopened", "Dear " + h.userOf(s.member).Name + ","},
		s.other:  {"您对项目 2024-ZD-101 的评分表已被退回", h.userOf(s.other).Name + "，您好："},
	} {
		mails := got[address[name]]
		if len(mails) != 1 {
			t.Errorf("%s received %d notices, want 1", name, len(mails))
			continue
		}
		if m := mails[0]; m.Subject != want.subject || !strings.HasPrefix(m.Body, want.greeting) || !strings.Contains(m.Body, reasons[name]) {
			t.Errorf("%s received %q:\n%s\nwant %q, beginning %q, with the reason", name, m.Subject, m.Body, want.subject, want.greeting)
		}
	}

	// The expert resubmits; both submissions are in the history.
	pp := fmt.Sprintf("/api/v1/projects/%d/sheet", s.projectID)
	h.run(t, scenario{as: s.member, method: "POST", url: pp + "/submit", body: `{"version":2,` + strings.Replace(fullSheet, `"A3":21`, `"A3":19.5`, 1) + `}`, status: 200})
	points := func(f float64) rubrics.Points { p, _ := rubrics.FromFloat(f); return p }
	var view evaluation.SheetView
	h.decode(h.run(t, scenario{as: s.member, method: "GET", url: pp, status: 200}), &view)
	if view.Sheet.Status != evaluation.SheetSubmitted || len(view.Versions) != 2 ||
		view.Versions[0].Content.Scores["A3"] != points(21) || view.Versions[1].Content.Scores["A3"] != points(19.5) {
		t.Errorf("after resubmitting: %s with versions %+v", view.Sheet.Status, view.Versions)
	}
	var audit list[*evaluation.AuditEntry]
	h.decode(h.run(t, scenario{as: "admin", method: "GET", url: "/api/v1/audit?object_type=project&per_page=200",
		status: 200}), &audit)
	acts := map[string]int{}
	for _, e := range audit.Items {
		if e.ObjectID == fmt.Sprint(s.projectID) {
			acts[e.Action]++
		}
	}
	if acts["sheet.reopen"] != 2 || acts["sheet.submit"] != 3 {
		t.Errorf("audit actions on the project: %v; want 2 reopenings and 3 submissions", acts)
	}
}

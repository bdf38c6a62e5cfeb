package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/mailer"
	"github.com/evalpanel/evalpanel/evaluation/mailer/mailtest"
)

var invitationData = evaluation.InvitationData{Campaign: "2026 年度第一批综合绩效评价", Year: 2026, Panel: "2024-ZD-001",
	Projects: []evaluation.ProjectRef{{Code: "2024-ZD-001", Title: "城市地下管网智能巡检机器人研发"},
		{Code: "2024-ZD-002", Title: "Grid storage"}}}

func invitation(t testing.TB, name string, lang evaluation.Language) *evaluation.Message {
	t.Helper()
	data, err := json.Marshal(invitationData)
	if err != nil {
		t.Fatal(err)
	}
	return &evaluation.Message{ID: 1, Kind: evaluation.KindInvitation, RecipientName: name, Language: lang, Data: data}
}

// Every kind of message has a subject and a body in both languages; an
// invitation names the campaign, the panel and every project, greets the
// recipient and ends with the footer, in the recipient's language.
func TestMailTexts(t *testing.T) {
	texts, err := NewMailTexts()
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range evaluation.MessageKinds {
		for _, lang := range evaluation.Languages {
			m := &evaluation.Message{Kind: kind, RecipientName: "X", Language: lang, Data: json.RawMessage(`{}`)}
			subject, body, err := texts.Render(m)
			if err != nil || strings.TrimSpace(subject) == "" || strings.TrimSpace(body) == "" {
				t.Errorf("%s in %s: subject %q, body %q, %v", kind, lang, subject, body, err)
			}
		}
	}
	for _, tc := range []struct {
		lang                   evaluation.Language
		subject, greeting, end string
	}{
		{evaluation.LangZH, "评审邀请：2026 年度第一批综合绩效评价（专家组 2024-ZD-001）", "顾建华，您好：", "请勿直接回复。\n"},
		{evaluation.LangEN, "Invitation to review: 2026 年度第一批综合绩效评价 (panel 2024-ZD-001)", "Dear 顾建华,", "please do not reply to it.\n"},
	} {
		subject, body, err := texts.Render(invitation(t, "顾建华", tc.lang))
		if err != nil {
			t.Fatal(err)
		}
		if subject != tc.subject {
			t.Errorf("%s subject %q, want %q", tc.lang, subject, tc.subject)
		}
		for _, want := range []string{tc.greeting, "2026", "  2024-ZD-001  城市地下管网智能巡检机器人研发\n", "  2024-ZD-002  Grid storage\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s body lacks %q:\n%s", tc.lang, want, body)
			}
		}
		if !strings.HasPrefix(body, tc.greeting) || !strings.HasSuffix(body, tc.end) {
			t.Errorf("%s body does not start with the greeting and end with the footer:\n%s", tc.lang, body)
		}
	}
	// A message that cannot be written is an error, never a text with a
	// message ID in it.
	bad := invitation(t, "顾建华", evaluation.LangZH)
	bad.Kind = "no_such_kind"
	if _, _, err := texts.Render(bad); err == nil {
		t.Error("a kind without texts rendered")
	}
	bad = invitation(t, "顾建华", evaluation.LangZH)
	bad.Data = json.RawMessage(`{"year":"2026"}`)
	if _, _, err := texts.Render(bad); err == nil {
		t.Error("data of the wrong shape rendered")
	}
}

// outboxFixture puts three messages in the harness's outbox: a queued one
// for agency A in Chinese, a queued one for agency B in English, and one
// for agency A that has no address.
func (h *harness) outboxFixture() (a, b, lost *evaluation.Message) {
	h.t.Helper()
	a = invitation(h.t, "甲专家", evaluation.LangZH)
	a.To, a.AgencyID = "jia@example.org", h.agencyA.ID
	b = invitation(h.t, "Anna Berg", evaluation.LangEN)
	b.To, b.AgencyID = "anna@example.org", h.agencyB.ID
	lost = invitation(h.t, "丙专家", evaluation.LangZH)
	lost.AgencyID, lost.Problem, lost.FailedAt = h.agencyA.ID, evaluation.ProblemNoEmail, h.now
	for i, m := range []*evaluation.Message{a, b, lost} {
		m.ID, m.DedupeKey, m.ObjectType, m.ObjectID = 0, fmt.Sprint("test:", i), "panel", "1"
		m.CreatedAt, m.NextAttemptAt = h.now.Add(time.Duration(i)*time.Second), h.now
		if err := h.db.InTx(context.Background(), func(tx evaluation.Tx) error { _, err := tx.Enqueue(context.Background(), m); return err }); err != nil {
			h.t.Fatal(err)
		}
	}
	return a, b, lost
}

// The outbox through the API: administrators read every message, agency
// staff their agency's, with the text each would be sent with; nobody
// else reads it; a bad filter names the parameter.
func TestOutboxAPI(t *testing.T) {
	h := newHarness(t)
	a, b, lost := h.outboxFixture()
	msg := func(m *evaluation.Message) string { return fmt.Sprintf("/api/v1/outbox/%d", m.ID) }
	for _, sc := range []scenario{
		{name: "admin reads all, newest first", as: "admin", method: "GET", url: "/api/v1/outbox", status: 200,
			contains: []string{`"total":3`, `{"id":3,`, `"subject":"评审邀请：`, `"subject":"Invitation to review:`,
				`"recipient_name":"Anna Berg"`, `"to":"anna@example.org"`, `"problem":"no_email"`, `"status":"failed"`}},
		{name: "oldest first", as: "admin", method: "GET", url: "/api/v1/outbox?sort=created&per_page=1", status: 200,
			contains: []string{`"total":3`, `"recipient_name":"甲专家"`}, absent: []string{"Anna Berg"}},
		{name: "staff read their agency's", as: "staffa", method: "GET", url: "/api/v1/outbox", status: 200,
			contains: []string{`"total":2`, "甲专家", "丙专家"}, absent: []string{"Anna Berg"}},
		{name: "by status", as: "staffa", method: "GET", url: "/api/v1/outbox?status=failed", status: 200,
			contains: []string{`"total":1`, "丙专家"}, absent: []string{"甲专家"}},
		{name: "one message with its body", as: "staffb", method: "GET", url: msg(b), status: 200,
			contains: []string{`"body":"Dear Anna Berg,\n\nYou are invited`, "2024-ZD-002  Grid storage"}},
		{name: "another agency's message", as: "staffb", method: "GET", url: msg(a), status: 404, code: evaluation.NotFound},
		{name: "another agency's lost message", as: "staffb", method: "GET", url: msg(lost), status: 404, code: evaluation.NotFound},
		{name: "commission", as: "commission", method: "GET", url: "/api/v1/outbox", status: 403, code: evaluation.Forbidden},
		{name: "expert", as: "expert", method: "GET", url: msg(a), status: 403, code: evaluation.Forbidden},
		{name: "unknown message", as: "admin", method: "GET", url: "/api/v1/outbox/99", status: 404, code: evaluation.NotFound},
		{name: "bad filter", as: "admin", method: "GET", url: "/api/v1/outbox?status=lost&sort=size&page=0", status: 400,
			code: evaluation.Invalid, fields: []string{"status", "sort", "page"}},
	} {
		t.Run(sc.name, func(t *testing.T) { h.run(t, sc) })
	}
}

// The outbox page lists the messages with names, kinds and statuses in the
// reader's language and shows a message's text; the navigation offers it
// to those who may read it.
func TestOutboxPages(t *testing.T) {
	h := newHarness(t)
	a, b, lost := h.outboxFixture()
	admin := h.browser()
	admin.login("admin")
	resp, page := admin.get("/outbox")
	table := section(page, `id="outbox-table"`, "</table>")
	for _, want := range []string{"甲专家", "jia@example.org", "Anna Berg", "评审邀请", "待发送", "未发出",
		"收件人没有电子邮箱，未发送", `href="/outbox/1"`, "评审邀请：2026 年度第一批综合绩效评价"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(table, want) {
			t.Errorf("the outbox page (%d) lacks %q", resp.StatusCode, want)
		}
	}
	if !strings.Contains(page, `href="/outbox"`) {
		t.Error("the administrator's navigation lacks the outbox")
	}
	_, page = admin.get("/outbox?status=failed")
	if table := section(page, `id="outbox-table"`, "</table>"); !strings.Contains(table, "丙专家") || strings.Contains(table, "甲专家") {
		t.Error("the failed filter does not keep only the failed message")
	}

	_, page = admin.get(fmt.Sprintf("/outbox/%d", b.ID))
	for _, want := range []string{`id="preview"`, `id="subject">Invitation to review: 2026`, "Dear Anna Berg,", "anna@example.org",
		"2024-ZD-002  Grid storage"} {
		if !strings.Contains(page, want) {
			t.Errorf("the message page lacks %q", want)
		}
	}
	_, page = admin.get(fmt.Sprintf("/outbox/%d", lost.ID))
	if !strings.Contains(page, `id="problem">收件人没有电子邮箱`) {
		t.Error("the page of a message without an address does not say why")
	}

	en := h.browser()
	en.login("staffa")
	en.post("/lang", formOf("lang", "en", "next", "/"))
	_, page = en.get("/outbox")
	for _, want := range []string{"Review invitation", "Queued", "Not sent", "No e-mail address for the recipient"} {
		if !strings.Contains(page, want) {
			t.Errorf("the English outbox page lacks %q", want)
		}
	}
	if strings.Contains(page, "Anna Berg") {
		t.Error("agency A's staff see agency B's message")
	}
	if resp, _ := en.get(fmt.Sprintf("/outbox/%d", b.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("agency A's staff open agency B's message: %d, want 404", resp.StatusCode)
	}
	if resp, _ := en.get(fmt.Sprintf("/outbox/%d", a.ID)); resp.StatusCode != http.StatusOK {
		t.Errorf("agency A's staff open their message: %d", resp.StatusCode)
	}

	commission := h.browser()
	commission.login("commission")
	if resp, page := commission.get("/outbox"); resp.StatusCode != http.StatusForbidden || strings.Contains(page, `href="/outbox"`) {
		t.Errorf("the commission: outbox %d, linked %v; want 403 and no link", resp.StatusCode, strings.Contains(page, `href="/outbox"`))
	}
}

// From inviting a panel through the API to the experts' mailboxes: each
// invited expert with an address gets one invitation in the language of
// their account, and the outbox then shows it sent, with the text sent.
func TestInvitationMailEndToEnd(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	accounts := h.withPool()
	ctx := context.Background()
	english := ""
	for _, x := range mustExperts(t, h) {
		email := fmt.Sprintf("expert%d@example.org", x.ID)
		if _, err := h.svc.Pool.UpdateExpert(ctx, evaluation.System, x.ID, evaluation.ExpertUpdate{Email: &email}); err != nil {
			t.Fatal(err)
		}
		if english == "" && accounts[x.Name] != "" {
			english = x.Name
			lang := evaluation.LangEN
			u, err := h.db.UserByUsername(ctx, accounts[x.Name])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.svc.Accounts.UpdateUser(ctx, evaluation.System, u.ID, evaluation.UserUpdate{Language: &lang}); err != nil {
				t.Fatal(err)
			}
		}
	}
	cid, pid := h.campaignWithProject()
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", cid), body: `{"to":"forming"}`, status: 200})
	var panel evaluation.Panel
	h.decode(h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid),
		body: fmt.Sprintf(`{"projects":[%d]}`, pid), status: 201}), &panel)
	h.decode(h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/panels/%d/invite", panel.ID), status: 200}), &panel)

	var queued list[*evaluation.Message]
	h.decode(h.run(t, scenario{as: "staffa", method: "GET", url: "/api/v1/outbox?status=queued", status: 200}), &queued)
	seated := append(panel.Seated(evaluation.SeatTechnical), panel.Seated(evaluation.SeatFinance)...)
	if queued.Total != len(seated) {
		t.Fatalf("%d queued messages for %d experts invited", queued.Total, len(seated))
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
	sender, err := mailer.New(mailer.Config{Server: server, Queue: h.db, Renderer: texts, Logger: h.app.log})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := sender.SendDue(ctx); err != nil || n != len(seated) {
		t.Fatalf("SendDue: %d sent, %v; want %d", n, err, len(seated))
	}
	mails := map[string]mailtest.Mail{}
	for _, m := range smtp.Mails() {
		mails[m.Rcpt[0]] = m
	}
	for _, m := range seated {
		got, ok := mails[fmt.Sprintf("expert%d@example.org", m.ExpertID)]
		greeting, subject := m.Expert.Name+"，您好：", "评审邀请：2026 年度第一批综合绩效评价"
		if m.Expert.Name == english {
			greeting, subject = "Dear "+m.Expert.Name+",", "Invitation to review: 2026 年度第一批综合绩效评价"
		}
		if !ok || !strings.HasPrefix(got.Subject, subject) || !strings.HasPrefix(got.Body, greeting) ||
			!strings.Contains(got.Body, "2024-ZD-001") {
			t.Errorf("mail to %s: %+v; want the invitation beginning %q", m.Expert.Name, got, greeting)
		}
	}
	if len(mails) != len(seated) {
		t.Errorf("%d experts received mail, want %d", len(mails), len(seated))
	}
	var sent list[*evaluation.Message]
	h.decode(h.run(t, scenario{as: "admin", method: "GET", url: "/api/v1/outbox?status=sent", status: 200}), &sent)
	for _, m := range sent.Items {
		if mail := mails[m.To]; m.Subject != mail.Subject || m.Body != mail.Body || m.Attempts != 1 {
			t.Errorf("message %d as recorded (%q, %d attempts) is not the mail sent (%q)", m.ID, m.Subject, m.Attempts, mail.Subject)
		}
	}
	if sent.Total != len(seated) {
		t.Errorf("%d messages sent, want %d", sent.Total, len(seated))
	}
}

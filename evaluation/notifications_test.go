package evaluation_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// outbox lists every message of the outbox as the administrator sees it,
// oldest first.
func (e *env) outbox(t *testing.T) []*evaluation.Message {
	t.Helper()
	list, _, err := e.svc.Notifications.Outbox(t.Context(), e.admin, evaluation.OutboxFilter{Sort: "created",
		Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		t.Fatalf("outbox: %v", err)
	}
	return list
}

func (e *env) setEmail(t *testing.T, ex *evaluation.Expert, email string) {
	t.Helper()
	if _, err := e.svc.Pool.UpdateExpert(t.Context(), e.admin, ex.ID, evaluation.ExpertUpdate{Email: &email}); err != nil {
		t.Fatalf("set the e-mail of %s: %v", ex.Name, err)
	}
}

func (e *env) updateAccount(t *testing.T, ex *evaluation.Expert, up evaluation.UserUpdate) {
	t.Helper()
	u, err := e.db.UserByExpert(t.Context(), ex.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Accounts.UpdateUser(t.Context(), e.admin, u.ID, up); err != nil {
		t.Fatalf("update the account of %s: %v", ex.Name, err)
	}
}

// Inviting a panel writes an invitation to each member invited, in the
// same transaction: to the address in the pool, in the language of the
// expert's account; experts who cannot be reached get a message that is
// failed from the start, saying why. An alternate called up after a
// decline, and an expert put in a seat by hand while the panel invites,
// are told too.
// panelEnv is an env with the rubrics, the pool and agency staff whose
// campaign has one project with a drawn panel, invited when invite is set.
func panelEnv(t *testing.T, invite bool) (*env, map[string]*evaluation.Expert, evaluation.Actor, *evaluation.Campaign,
	*evaluation.Project, *evaluation.Panel) {
	t.Helper()
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	c, projects := e.campaignWith(t, staff, sampleProject("23DZ1200100"))
	return e, pool, staff, c, projects[0], e.drawnPanel(t, staff, c, projects[0], invite)
}

func TestInvitationsGoToTheOutbox(t *testing.T) {
	e, pool, staff, c, project, panel := panelEnv(t, false)
	ctx := t.Context()

	for _, ex := range pool {
		e.setEmail(t, ex, fmt.Sprintf("expert%d@example.org", ex.ID))
	}
	seated := append(panel.Seated(evaluation.SeatTechnical), panel.Seated(evaluation.SeatFinance)...)
	noEmail, english, disabled := seated[1].Expert, seated[2].Expert, seated[3].Expert
	e.setEmail(t, noEmail, "")
	e.updateAccount(t, english, evaluation.UserUpdate{Language: ptr(evaluation.LangEN)})
	e.updateAccount(t, disabled, evaluation.UserUpdate{Disabled: ptr(true)})

	if len(e.outbox(t)) != 0 {
		t.Fatal("the outbox has messages before anyone is invited")
	}
	if err := e.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	wantData := evaluation.InvitationData{Campaign: c.Name, Year: c.Year, Panel: panel.Name,
		Projects: []evaluation.ProjectRef{{Code: project.Code, Title: project.Title}}}
	msgs := e.outbox(t)
	if len(msgs) != len(seated) {
		t.Fatalf("%d messages for %d members invited", len(msgs), len(seated))
	}
	byName := map[string]*evaluation.Message{}
	for _, m := range msgs {
		byName[m.RecipientName] = m
	}
	for _, member := range seated {
		ex := member.Expert
		m, ok := byName[ex.Name]
		if !ok {
			t.Errorf("no message to %s", ex.Name)
			continue
		}
		u, err := e.db.UserByExpert(ctx, ex.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := summary{Kind: evaluation.KindInvitation, Recipient: ex.Name, RecipientID: u.ID, To: ex.Email,
			Language: evaluation.LangZH, Status: evaluation.MessageQueued, About: fmt.Sprintf("panel %d", panel.ID), Agency: e.agency.ID}
		switch ex.ID {
		case noEmail.ID:
			want.Status, want.To, want.Problem = evaluation.MessageFailed, "", evaluation.ProblemNoEmail
		case disabled.ID:
			want.Status, want.To, want.Problem = evaluation.MessageFailed, "", evaluation.ProblemAccountDisabled
		case english.ID:
			want.Language = evaluation.LangEN
		}
		if want.Status == evaluation.MessageQueued {
			want.To = fmt.Sprintf("expert%d@example.org", ex.ID)
		}
		if diff := cmp.Diff(want, summarize(m)); diff != "" {
			t.Errorf("message to %s (-want +got):\n%s", ex.Name, diff)
		}
		var data evaluation.InvitationData
		if err := json.Unmarshal(m.Data, &data); err != nil || !cmp.Equal(data, wantData) {
			t.Errorf("data of the message to %s: %+v (%v), want %+v", ex.Name, data, err, wantData)
		}
	}

	// A decline calls up an alternate, who is told.
	panel, err := e.svc.Panels.Panel(ctx, staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	var decliner *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert && !m.Chair && m.ExpertID != disabled.ID {
			decliner = m
		}
	}
	ans, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, decliner.Expert), decliner.ID, false, "出国访问")
	if err != nil || ans.Alternate == 0 {
		t.Fatalf("decline: %+v, %v; want an alternate called", ans, err)
	}
	msgs = e.outbox(t)
	if last := msgs[len(msgs)-1]; len(msgs) != len(seated)+1 || last.RecipientName != panelExpert(panel, ans.Alternate).Name ||
		last.Status != evaluation.MessageQueued {
		t.Errorf("after the decline: %d messages, the last to %s; want %d, the last to the alternate", len(msgs),
			last.RecipientName, len(seated)+1)
	}

	// An expert without an account put in a seat by hand is not told, and
	// the outbox says so.
	newcomer := &evaluation.Expert{Name: "无账号专家", Type: evaluation.DomainExpert, Institution: "第九研究所",
		TitleLevel: evaluation.TitleSenior, Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"480.20"},
		Email: "newcomer@example.org"}
	if err := e.svc.Pool.CreateExpert(ctx, e.admin, newcomer); err != nil {
		t.Fatal(err)
	}
	var replaced *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert && m.ID != decliner.ID && m.Status == evaluation.MemberInvited {
			replaced = m
		}
	}
	if res, err := e.svc.Panels.ReplaceMember(ctx, staff, panel.ID, replaced.ID, newcomer.ID, ""); err != nil || !res.Allowed {
		t.Fatalf("replace: %+v, %v", res, err)
	}
	msgs = e.outbox(t)
	if last := msgs[len(msgs)-1]; len(msgs) != len(seated)+2 || last.RecipientName != newcomer.Name ||
		last.Problem != evaluation.ProblemNoAccount || last.RecipientID != 0 || last.To != "" || last.Status != evaluation.MessageFailed {
		t.Errorf("after the replacement: %d messages, the last %+v; want %d, the last to %s without an account",
			len(msgs), last, len(seated)+2, newcomer.Name)
	}
}

// summary is what a test checks of a message.
type summary struct {
	Kind                 evaluation.MessageKind
	Recipient, To, About string
	RecipientID, Agency  int64
	Language             evaluation.Language
	Status               evaluation.MessageStatus
	Problem              string
}

func summarize(m *evaluation.Message) summary {
	return summary{Kind: m.Kind, Recipient: m.RecipientName, To: m.To, About: m.ObjectType + " " + m.ObjectID,
		RecipientID: m.RecipientID, Agency: m.AgencyID, Language: m.Language, Status: m.Status, Problem: m.Problem}
}

func panelExpert(p *evaluation.Panel, expertID int64) *evaluation.Expert {
	m, _ := p.MemberOf(expertID)
	return m.Expert
}

func (tx faultyTx) Enqueue(ctx context.Context, m *evaluation.Message) (bool, error) {
	if tx.s.fails("Enqueue", m) {
		return false, errDiskFull
	}
	return tx.Tx.Enqueue(ctx, m)
}

// The invitations and the invitation are one change: when a message
// cannot be written, nobody is invited and no message stays.
func TestInvitationsRollBackTogether(t *testing.T) {
	e, _, staff, _, _, panel := panelEnv(t, false)
	svc, st := e.faulty(t)
	n := 0
	st.fail = func(op string, v any) bool {
		if op != "Enqueue" {
			return false
		}
		n++
		return n == 3
	}
	if err := svc.Panels.InvitePanel(t.Context(), staff, panel.ID); !errors.Is(err, errDiskFull) {
		t.Fatalf("invite with the third message failing: %v, want the store's error", err)
	}
	if msgs := e.outbox(t); len(msgs) != 0 {
		t.Errorf("%d messages stayed after the invitation failed", len(msgs))
	}
	got, err := e.svc.Panels.Panel(t.Context(), staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != evaluation.PanelForming {
		t.Errorf("panel %s after the invitation failed, want forming", got.State)
	}
	for _, m := range got.Members {
		if m.Status == evaluation.MemberInvited {
			t.Errorf("%s is invited after the invitation failed", m.Expert.Name)
		}
	}
}

// Administrators read every message; agency staff their agency's; nobody
// else reads the outbox.
func TestOutboxAccess(t *testing.T) {
	e, _, staff, _, _, _ := panelEnv(t, true)
	e.newAgency(t, "OTHER")
	other := e.staff(t, "staff.b", "OTHER").Actor()
	commission := e.user(t, evaluation.NewUser{Username: "commission", Role: evaluation.RoleCommission}).Actor()
	ctx := t.Context()
	all := e.outbox(t)
	if len(all) == 0 {
		t.Fatal("no messages after inviting a panel")
	}
	invited, err := e.db.User(ctx, all[0].RecipientID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		actor evaluation.Actor
		want  int
		code  evaluation.Code
	}{
		{"admin", e.admin, len(all), ""},
		{"the agency's staff", staff, len(all), ""},
		{"another agency's staff", other, 0, ""},
		{"commission", commission, 0, evaluation.Forbidden},
		{"an invited expert", invited.Actor(), 0, evaluation.Forbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := e.svc.Notifications.Outbox(ctx, tc.actor, evaluation.OutboxFilter{})
			if evaluation.ErrorCode(err) != tc.code && (tc.code != "" || err != nil) {
				t.Fatalf("list: %v, want %q", err, tc.code)
			}
			if len(list) != tc.want || total != tc.want {
				t.Errorf("list: %d of %d, want %d", len(list), total, tc.want)
			}
			_, err = e.svc.Notifications.OutboxMessage(ctx, tc.actor, all[0].ID)
			switch {
			case tc.code != "":
				wantCode(t, err, tc.code)
			case tc.want == 0:
				wantCode(t, err, evaluation.NotFound)
			case err != nil:
				t.Errorf("read a message: %v", err)
			}
		})
	}
	_, err = e.svc.Notifications.OutboxMessage(ctx, e.admin, 9999)
	wantCode(t, err, evaluation.NotFound)
	_, _, err = e.svc.Notifications.Outbox(ctx, e.admin, evaluation.OutboxFilter{Status: "lost", Sort: "size"})
	if ee := wantCode(t, err, evaluation.Invalid); ee.Fields["status"] == "" || ee.Fields["sort"] == "" {
		t.Errorf("a bad filter names %v, want status and sort", ee.Fields)
	}
}

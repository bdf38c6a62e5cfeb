package evaluation_test

import (
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// While the campaign scores, a member who has not started (no sheet for
// any project of the panel) can be replaced with the checks of forming:
// the newcomer is invited and told, the chair passes to a member at work,
// the panel waits for the newcomer's answer and is confirmed again when
// they accept, and the other members work on. A member who has started
// cannot be replaced, and nothing else of forming reopens.
func TestReplaceDuringScoring(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	newcomer := s.addExpert(t, "领域七", evaluation.DomainExpert, "第七研究所", "480.20")
	offSubject := s.addExpert(t, "领域八", evaluation.DomainExpert, "第八研究所", "110.10")
	chair, _ := s.member(t, evaluation.SeatTechnical, true)
	started, startedActor := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, startedActor)
	if _, err := s.svc.Sheets.SaveSheet(ctx, startedActor, s.project.ID, 0, complete(), false); err != nil {
		t.Fatal(err)
	}
	commission := s.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()

	replaceable, err := s.svc.Panels.Replaceable(ctx, s.staff, s.panel)
	if err != nil {
		t.Fatal(err)
	}
	for _, seat := range []evaluation.Seat{evaluation.SeatTechnical, evaluation.SeatFinance} {
		for _, m := range s.panel.Seated(seat) {
			if want := m.ID != started.ID; replaceable[m.ID] != want {
				t.Errorf("%s replaceable: %v, want %v", m.Expert.Name, replaceable[m.ID], want)
			}
		}
	}
	if list, err := s.svc.Panels.Replaceable(ctx, commission, s.panel); err != nil || len(list) != 0 {
		t.Errorf("the commission may replace %v (%v), want none", list, err)
	}

	// Refused: the member who started, a soft rule without a reason, a
	// vacant seat, another agency, the commission. Nothing changes.
	for _, tc := range []struct {
		name   string
		call   func() error
		code   evaluation.Code
		msg    string
		fields string
	}{
		{"a member who started", func() error {
			_, err := s.svc.Panels.ReplaceMember(ctx, s.staff, s.panel.ID, started.ID, newcomer.ID, "")
			return err
		}, evaluation.Conflict, "error.member_started", ""},
		{"the checks for a member who started", func() error {
			_, err := s.svc.Panels.CheckCandidates(ctx, s.staff, s.panel.ID, evaluation.SeatTarget{MemberID: started.ID}, []int64{newcomer.ID})
			return err
		}, evaluation.Conflict, "error.member_started", ""},
		{"a soft rule without a reason", func() error {
			_, err := s.svc.Panels.ReplaceMember(ctx, s.staff, s.panel.ID, chair.ID, offSubject.ID, "")
			return err
		}, evaluation.Invalid, "", "reason"},
		{"a vacant seat", func() error {
			_, err := s.svc.Panels.FillVacancy(ctx, s.staff, s.panel.ID, evaluation.SeatTechnical, newcomer.ID, "")
			return err
		}, evaluation.Conflict, "error.panels_locked", ""},
		{"another agency", func() error {
			_, err := s.svc.Panels.ReplaceMember(ctx, s.other, s.panel.ID, chair.ID, newcomer.ID, "")
			return err
		}, evaluation.NotFound, "", ""},
		{"the commission", func() error {
			_, err := s.svc.Panels.ReplaceMember(ctx, commission, s.panel.ID, chair.ID, newcomer.ID, "")
			return err
		}, evaluation.Forbidden, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.auditCount(t)
			err := tc.call()
			e := wantCode(t, err, tc.code)
			if tc.msg != "" && e.Message != tc.msg {
				t.Errorf("message %q, want %q", e.Message, tc.msg)
			}
			if tc.fields != "" && e.Fields[tc.fields] == "" {
				t.Errorf("error %+v names no %s", e, tc.fields)
			}
			after, err := s.svc.Panels.Panel(ctx, s.staff, s.panel.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s.panel, after); diff != "" || s.auditCount(t) != before {
				t.Errorf("a refused change changed the panel (-before +after):\n%s", diff)
			}
		})
	}

	// The chair has not started: replaced.
	checks, err := s.svc.Panels.CheckCandidates(ctx, s.staff, s.panel.ID, evaluation.SeatTarget{MemberID: chair.ID}, []int64{newcomer.ID})
	if err != nil || !checks[0].Allowed || checks[0].NeedsReason {
		t.Fatalf("checks of 领域七 for the chair's seat: %+v, %v", checks, err)
	}
	invitations := len(s.messages(t, evaluation.KindInvitation))
	if res, err := s.svc.Panels.ReplaceMember(ctx, s.staff, s.panel.ID, chair.ID, newcomer.ID, ""); err != nil || !res.Allowed {
		t.Fatalf("replace the chair: %+v, %v", res, err)
	}
	panel, err := s.svc.Panels.Panel(ctx, s.staff, s.panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := panel.Member(chair.ID)
	nm, ok := panel.MemberOf(newcomer.ID)
	switch {
	case old.Status != evaluation.MemberRemoved || old.Chair:
		t.Errorf("the replaced chair is %s, chair %v; want removed", old.Status, old.Chair)
	case !ok || nm.Status != evaluation.MemberInvited || nm.Chair || nm.Source != "manual":
		t.Errorf("the newcomer is %+v; want invited by hand, not in the chair", nm)
	case panel.State != evaluation.PanelInviting:
		t.Errorf("the panel is %s; want inviting until the newcomer answers", panel.State)
	}
	var chairs []string
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Chair {
			chairs = append(chairs, m.Expert.Name)
			if m.Status != evaluation.MemberAccepted {
				t.Errorf("the chair passed to %s, who is %s", m.Expert.Name, m.Status)
			}
		}
	}
	if len(chairs) != 1 {
		t.Errorf("chairs after the replacement: %q, want one", chairs)
	}
	if got := s.messages(t, evaluation.KindInvitation); len(got) != invitations+1 || got[len(got)-1].RecipientName != newcomer.Name {
		t.Errorf("invitations: %d after %d, want one more, to %s", len(got), invitations, newcomer.Name)
	}
	a := s.lastAudit(t)
	if d := details(t, a); a.Action != "panel.replace" || d["scoring"] != true || fmt.Sprint(d["removed"]) != fmt.Sprint(chair.ExpertID) ||
		fmt.Sprint(d["added"]) != fmt.Sprint(newcomer.ID) {
		t.Errorf("audit entry %s %v", a.Action, d)
	}
	if _, err := s.svc.Sheets.Project(ctx, s.expertActor(t, chair.Expert), s.project.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("the replaced chair still finds the project: %v", err)
	}
	// The member at work works on; the newcomer accepts, the panel is
	// confirmed again, and they can score.
	if _, err := s.svc.Sheets.SaveSheet(ctx, startedActor, s.project.ID, 1, complete(), true); err != nil {
		t.Errorf("the member at work submits after the replacement: %v", err)
	}
	na := s.expertActor(t, newcomer)
	if ans, err := s.svc.Panels.RespondToInvitation(ctx, na, nm.ID, true, ""); err != nil || ans.Status != evaluation.MemberAccepted {
		t.Fatalf("the newcomer accepts: %+v, %v", ans, err)
	}
	if panel, err = s.svc.Panels.Panel(ctx, s.staff, s.panel.ID); err != nil || panel.State != evaluation.PanelConfirmed {
		t.Errorf("after the newcomer accepts the panel is %s (%v), want confirmed", panel.State, err)
	}
	s.open(t, na)
	if _, err := s.svc.Sheets.SaveSheet(ctx, na, s.project.ID, 0, complete(), false); err != nil {
		t.Errorf("the newcomer saves a draft: %v", err)
	}

	// Once scoring is over, no replacement.
	if _, err := s.svc.Campaigns.TransitionCampaign(ctx, s.staff, s.c.ID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	finance := panel.Seated(evaluation.SeatFinance)[0]
	if _, err := s.svc.Panels.ReplaceMember(ctx, s.staff, s.panel.ID, finance.ID, newcomer.ID, ""); wantCode(t, err, evaluation.Conflict).Message != "error.panels_locked" {
		t.Errorf("a replacement while concluding: %v", err)
	}
}

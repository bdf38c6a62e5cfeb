package evaluation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestInvitationShowsOnlyTheExpertsOwnSeat: an expert's invitation holds
// their own seat, the campaign and the projects' summaries, never the
// other members, alternates or their reasons; the chair's name comes once
// the expert and the chair have accepted. InvitedProjects lists the
// projects for the expert and pool managers only.
func TestInvitationShowsOnlyTheExpertsOwnSeat(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	c, projects := e.campaignWith(t, staff, sampleProject("23DZ1200100"))
	panel := e.drawnPanel(t, staff, c, projects[0], true)
	tech := panel.Seated(evaluation.SeatTechnical)
	chair, member, decliner := tech[0], tech[1], tech[2]
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, decliner.Expert), decliner.ID, false, "同期出国访问"); err != nil {
		t.Fatal(err)
	}
	invitation := func(m *evaluation.PanelMember) evaluation.Invitation {
		t.Helper()
		list, err := e.svc.Panels.Invitations(ctx, e.expertActor(t, m.Expert))
		if err != nil || len(list) != 1 {
			t.Fatalf("invitations of %s: %d, %v", m.Expert.Name, len(list), err)
		}
		return list[0]
	}

	inv := invitation(member)
	if inv.Member.ID != member.ID || inv.Member.Status != evaluation.MemberInvited || inv.Panel.ID != panel.ID ||
		inv.Campaign.Name != c.Name || len(inv.Projects) != 1 || inv.Projects[0].Code != "23DZ1200100" || inv.Chair != "" {
		t.Errorf("invitation before answering: %+v", inv)
	}
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range pool {
		if ex.ID == member.ExpertID {
			continue
		}
		// (The project's lead institution is shown, and is one expert's.)
		if strings.Contains(string(b), ex.Name) || (ex.Institution != projects[0].Lead && strings.Contains(string(b), ex.Institution)) {
			t.Errorf("the invitation names another expert, %s of %s: %s", ex.Name, ex.Institution, b)
		}
	}
	if strings.Contains(string(b), "同期出国访问") {
		t.Errorf("the invitation shows another member's reason for declining: %s", b)
	}

	// The decliner sees their own answer and reason.
	if d := invitation(decliner); d.Member.Status != evaluation.MemberDeclined || d.Member.DeclineReason != "同期出国访问" {
		t.Errorf("the decliner's invitation: %+v", d.Member)
	}

	// The chair's name comes once both have accepted.
	for _, m := range []*evaluation.PanelMember{member, chair} {
		if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, m.Expert), m.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		want := ""
		if m == chair {
			want = chair.Expert.Name
		}
		if got := invitation(member).Chair; got != want {
			t.Errorf("after %s accepted: chair %q, want %q", m.Expert.Name, got, want)
		}
	}
	if got := invitation(chair).Chair; got != "" {
		t.Errorf("the chair is told the chair's name: %q", got)
	}

	// Projects to declare a conflict with: the expert's own and a pool
	// manager's view of them; another expert finds nothing.
	for _, actor := range []evaluation.Actor{e.expertActor(t, decliner.Expert), e.admin} {
		list, err := e.svc.Panels.InvitedProjects(ctx, actor, decliner.ExpertID)
		if err != nil || len(list) != 1 || list[0].ID != projects[0].ID || list[0].Title != projects[0].Title {
			t.Errorf("invited projects as %s: %+v, %v", actor.Username, list, err)
		}
	}
	for _, actor := range []evaluation.Actor{e.expertActor(t, member.Expert), staff} {
		if _, err := e.svc.Panels.InvitedProjects(ctx, actor, decliner.ExpertID); evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Errorf("invited projects of another expert as %s: %v, want not found", actor.Username, err)
		}
	}
}

package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestCampaignProgress counts a campaign's projects and panels as it forms
// them, for its agency and the commission only, and says it is ready for
// scoring exactly when the move to scoring is allowed.
func TestCampaignProgress(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	outsider := e.staff(t, "staff.b", e.newAgency(t, "OTHER").Code).Actor()
	commission := e.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()
	ctx := t.Context()
	c, projects := e.campaignWith(t, staff, sampleProject("23DZ1200100"), sampleProject("23DZ1200200"))
	progress := func(actor evaluation.Actor) []*evaluation.CampaignProgress {
		t.Helper()
		list, err := e.svc.Campaigns.CampaignsProgress(ctx, actor, evaluation.CampaignFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	want := func(stage string, got *evaluation.CampaignProgress, w evaluation.CampaignProgress, ready bool) {
		t.Helper()
		w.Campaign = got.Campaign
		if *got != w || got.ReadyForScoring() != ready {
			t.Errorf("%s: progress %+v ready %v, want %+v ready %v", stage, *got, got.ReadyForScoring(), w, ready)
		}
	}
	want("draft", progress(staff)[0], evaluation.CampaignProgress{Projects: 2, Unpaneled: 2, Unconfirmed: 2}, false)

	panel := e.drawnPanel(t, staff, c, projects[0], false)
	want("one drawn", progress(staff)[0], evaluation.CampaignProgress{Projects: 2, Unpaneled: 1, Panels: 1, Proposed: 1, Unconfirmed: 2}, false)
	if err := e.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	want("one invited", progress(staff)[0], evaluation.CampaignProgress{Projects: 2, Unpaneled: 1, Panels: 1, Inviting: 1, Unconfirmed: 2}, false)
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("to scoring while not ready: %v, want conflict", err)
	}

	for _, m := range panel.Members {
		if m.Status == evaluation.MemberProposed {
			if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, m.Expert), m.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	e.confirmPanels(t, staff, c.ID)
	got := progress(commission)
	if len(got) != 1 {
		t.Fatalf("the commission sees %d campaigns, want 1", len(got))
	}
	want("confirmed", got[0], evaluation.CampaignProgress{Projects: 2, Panels: 2, Confirmed: 2}, true)
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Errorf("to scoring when ready: %v", err)
	}
	if list := progress(outsider); len(list) != 0 {
		t.Errorf("another agency's staff see %d campaigns", len(list))
	}
}

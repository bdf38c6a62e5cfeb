package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// A campaign's sheets for its export: the submitted ones only (a draft
// and a reopened sheet are left out), with the projects and the pinned
// rubrics; read by the agency, the commission and administrators, and by
// no expert or other agency.
func TestCampaignSheets(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	commission := s.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()
	_, chair := s.member(t, evaluation.SeatTechnical, true)
	m, member := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, chair)
	s.open(t, member)
	if _, err := s.svc.Sheets.SaveSheet(ctx, chair, s.project.ID, 0, complete(), false); err != nil {
		t.Fatal(err)
	}
	sh, err := s.svc.Sheets.SaveSheet(ctx, member, s.project.ID, 0, complete(), true)
	if err != nil {
		t.Fatal(err)
	}

	for _, who := range []struct {
		name  string
		actor evaluation.Actor
	}{{"staff", s.staff}, {"commission", commission}, {"admin", s.admin}} {
		got, err := s.svc.Results.CampaignSheets(ctx, who.actor, s.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", who.name, err)
		}
		if len(got.Sheets) != 1 || got.Sheets[0].ExpertID != m.ExpertID || got.Sheets[0].Status != evaluation.SheetSubmitted {
			t.Errorf("%s reads %d sheets, want the member's submitted one only", who.name, len(got.Sheets))
		}
		if len(got.Projects) != 1 || got.Projects[0].Code != s.project.Code {
			t.Errorf("%s: projects %v, want %s", who.name, got.Projects, s.project.Code)
		}
		if r := got.Rubrics[string(s.project.Class)]; r == nil || len(r.Indicators) == 0 || got.Rubrics["finance"] == nil {
			t.Errorf("%s: the pinned rubrics are missing: %v", who.name, got.Rubrics)
		}
	}
	for _, who := range []struct {
		name  string
		actor evaluation.Actor
	}{{"another agency", s.other}, {"the panel's chair", chair}, {"a member", member}} {
		if _, err := s.svc.Results.CampaignSheets(ctx, who.actor, s.c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Errorf("%s reads the campaign's sheets: %v, want not found", who.name, err)
		}
	}

	// Reopened, the sheet is left out until it is submitted again.
	if _, err := s.svc.Sheets.ReopenSheet(ctx, s.staff, sh.ID, "请核对评分"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.svc.Results.CampaignSheets(ctx, s.staff, s.c.ID); err != nil {
		t.Fatal(err)
	} else if len(got.Sheets) != 0 {
		t.Errorf("after the reopening: %d sheets, want none", len(got.Sheets))
	}
	if _, err := s.svc.Sheets.SaveSheet(ctx, member, s.project.ID, sh.Version+1, complete(), true); err != nil {
		t.Fatal(err)
	}
	got, err := s.svc.Results.CampaignSheets(ctx, s.staff, s.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Sheets) != 1 || got.Sheets[0].Round != 2 {
		t.Errorf("resubmitted: %d sheets, want the sheet in round 2", len(got.Sheets))
	}
}

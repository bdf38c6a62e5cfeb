package evaluation_test

import (
	"maps"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// withRubrics installs the default rubrics, which campaigns pin.
func (e *env) withRubrics(t *testing.T) {
	t.Helper()
	defaults, err := rubrics.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Rubrics.InstallDefaultRubrics(t.Context(), defaults); err != nil {
		t.Fatal(err)
	}
}

func float(v float64) *float64 { return &v }

func sampleProject(code string) *evaluation.Project {
	return &evaluation.Project{Code: code, Title: "高性能储能电池管理系统研发", Class: evaluation.AppliedTechnology,
		Lead: "上海理工大学", PI: evaluation.Member{Name: "吴建平"}, SubjectCodes: []string{"480.20"},
		Indicators: []evaluation.Indicator{
			{Name: "电池管理系统 SOC 估算误差", Target: evaluation.Target{Value: float(3), Unit: "%", Direction: evaluation.AtMost},
				Actual: evaluation.Actual{Value: float(2.5)}},
			{Name: "申请发明专利", Kind: evaluation.IndicatorIP, Target: evaluation.Target{Value: float(5), Unit: "项"},
				Actual: evaluation.Actual{Value: float(4.2)}},
			{Name: "形成示范应用", Target: evaluation.Target{Text: "在 2 个储能电站示范运行"}},
		}}
}

// confirmPanels draws a panel for every project without one and has every
// invited expert accept.
func (e *env) confirmPanels(t *testing.T, staff evaluation.Actor, campaignID int64) {
	t.Helper()
	ctx := t.Context()
	panels, err := e.svc.Panels.MatchCampaign(ctx, staff, campaignID, "")
	if err != nil {
		t.Fatalf("match: %v", err)
	}
	for _, p := range panels {
		if err := e.svc.Panels.InvitePanel(ctx, staff, p.ID); err != nil {
			t.Fatal(err)
		}
		p, err := e.svc.Panels.Panel(ctx, staff, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			if m.Status == evaluation.MemberInvited {
				if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, m.Expert), m.ID, true, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

func TestCampaignLifecycle(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	other := e.newAgency(t, "OTHER")
	staff := e.user(t, evaluation.NewUser{Username: "staff.a", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC"}).Actor()
	outsider := e.user(t, evaluation.NewUser{Username: "staff.b", Role: evaluation.RoleAgencyStaff, AgencyCode: other.Code}).Actor()
	commission := e.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()
	ctx := t.Context()

	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "2026 年度市级科技项目综合绩效评价（第一批）", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != evaluation.CampaignDraft || c.AgencyID != e.agency.ID || c.Aggregation != evaluation.TrimmedMean {
		t.Fatalf("new campaign = %+v", c)
	}
	if _, err := e.svc.Campaigns.Campaign(ctx, outsider, c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency's staff: %v, want not found", err)
	}
	if _, err := e.svc.Campaigns.CreateCampaign(ctx, commission, evaluation.NewCampaign{Name: "x", Year: 2026}); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("commission creates a campaign: %v, want forbidden", err)
	}
	bad := evaluation.DefaultCampaignSettings()
	bad.Rubrics["finance"] = evaluation.RubricPin{Code: "APPLIED_TECH", Version: 1}
	if _, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "x", Year: 2026, Settings: &bad}); evaluation.ErrorAs(err) == nil ||
		evaluation.ErrorAs(err).Fields["settings.rubrics.finance"] != "error.rubric_wrong_target" {
		t.Errorf("finance pinned to a technical rubric: %v", err)
	}

	// Forming needs projects.
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("forming without projects: %v, want conflict", err)
	}
	project, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject("2023-ZD-01"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		actor  evaluation.Actor
		to     evaluation.CampaignState
		reason string
		want   evaluation.Code
	}{
		{staff, evaluation.CampaignScoring, "", evaluation.Conflict},       // not from draft
		{commission, evaluation.CampaignForming, "", evaluation.Forbidden}, // staff form panels
		{staff, evaluation.CampaignForming, "", ""},
		{staff, evaluation.CampaignDraft, "", evaluation.Invalid},    // needs a reason
		{staff, evaluation.CampaignScoring, "", evaluation.Conflict}, // no confirmed panel yet
		{staff, "confirm panels", "", ""},
		{staff, evaluation.CampaignScoring, "", ""},
		{staff, evaluation.CampaignConcluding, "", ""},
		{staff, evaluation.CampaignSubmitted, "", evaluation.Conflict}, // the project has no conclusion
		{staff, "conclude", "", ""},
		{staff, evaluation.CampaignSubmitted, "", ""},
		{staff, evaluation.CampaignApproved, "", evaluation.Forbidden}, // the commission approves
		{commission, evaluation.CampaignReturned, "", evaluation.Invalid},
		{commission, evaluation.CampaignReturned, "退回", evaluation.Conflict}, // projects are returned with their comments
		{commission, "return the project", "", ""},
		{staff, evaluation.CampaignConcluding, "", ""},
		{staff, evaluation.CampaignSubmitted, "", evaluation.Conflict}, // the return is not answered
		{staff, "answer", "", ""},
		{staff, evaluation.CampaignSubmitted, "", ""},
		{commission, evaluation.CampaignApproved, "", evaluation.Conflict}, // approval starts the publicity
		{commission, "approve", "", ""},
		{commission, evaluation.CampaignClosed, "", evaluation.Conflict}, // the publicity runs
		{commission, "after the publicity", "", ""},
		{commission, evaluation.CampaignClosed, "", ""},
		{commission, evaluation.CampaignDraft, "x", evaluation.Conflict},
	}
	for i, st := range steps {
		switch st.to {
		case "confirm panels":
			e.confirmPanels(t, staff, c.ID)
			continue
		case "return the project":
			if _, err := e.svc.Review.MarkReturn(ctx, commission, project.ID, "项目 2023-ZD-01 的专家意见需补充依据"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.Review.ReturnCampaign(ctx, commission, c.ID, "请补充结论依据"); err != nil {
				t.Fatal(err)
			}
			continue
		case "approve":
			if _, err := e.svc.Review.ApproveCampaign(ctx, commission, c.ID, 0, ""); err != nil {
				t.Fatal(err)
			}
			continue
		case "after the publicity":
			e.clock.advance(6 * 24 * time.Hour)
			continue
		case "answer":
			if _, err := e.svc.Review.AnswerReturn(ctx, staff, project.ID, "已补充结题依据"); err != nil {
				t.Fatal(err)
			}
			continue
		case "conclude":
			// A closure (结题) needs no panel opinion, only its reason.
			if _, err := e.svc.Results.RecordConclusion(ctx, staff, project.ID, evaluation.ConclusionClosed, "承担单位主体变更，按结题处理"); err != nil {
				t.Fatal(err)
			}
			continue
		}
		_, err := e.svc.Campaigns.TransitionCampaign(ctx, st.actor, c.ID, st.to, st.reason)
		if got := evaluation.ErrorCode(err); got != st.want {
			t.Fatalf("step %d (%s → %s): %v, want %q", i, st.actor.Username, st.to, err, st.want)
		}
	}
	history, err := e.svc.Campaigns.CampaignTransitions(ctx, commission, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 10 || history[4].To != evaluation.CampaignReturned || history[4].Reason == "" {
		t.Errorf("history = %d entries, returned reason %q", len(history), history[4].Reason)
	}
	entries, _, _ := e.svc.Accounts.AuditLog(ctx, e.admin, evaluation.AuditFilter{Action: "campaign.transition", Page: evaluation.Page{Size: 50}})
	if len(entries) != 10 {
		t.Errorf("%d transition audit entries, want 10", len(entries))
	}
}

func TestProjectsAllOrNothing(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	staff := e.user(t, evaluation.NewUser{Username: "staff.a", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC"}).Actor()
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	good := sampleProject("P-1")
	badClass := sampleProject("P-2")
	badClass.Class = "medicine"
	dup := sampleProject("P-1")
	err = e.svc.Campaigns.CreateProjects(ctx, staff, c.ID, []*evaluation.Project{good, badClass, dup})
	fields := evaluation.ErrorAs(err).Fields
	if fields["projects.1.class"] != "error.class_invalid" || fields["projects.2.code"] != "error.duplicate_in_file" {
		t.Fatalf("problems = %v", fields)
	}
	if _, n, err := e.svc.Campaigns.Projects(ctx, staff, evaluation.ProjectFilter{CampaignID: c.ID}); err != nil || n != 0 {
		t.Fatalf("%d projects stored after a refused batch (%v)", n, err)
	}
	p, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject("P-1"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]evaluation.IndicatorStatus{}
	for _, in := range p.Indicators {
		got[in.Name] = in.Status
	}
	if got["电池管理系统 SOC 估算误差"] != evaluation.StatusMet || got["申请发明专利"] != evaluation.StatusPartly || got["形成示范应用"] != evaluation.StatusUnknown {
		t.Errorf("statuses = %v", got)
	}
	if p.Methods[0] != evaluation.PeerReview {
		t.Errorf("methods = %v, want peer review always", p.Methods)
	}
	if _, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject("P-1")); evaluation.ErrorAs(err) == nil || evaluation.ErrorAs(err).Fields["code"] != "error.already_exists" {
		t.Errorf("second P-1: %v", err)
	}
	// Update keeps indicator ids, renumbers, and drops removed ones.
	p.Indicators = []evaluation.Indicator{p.Indicators[2], p.Indicators[0]}
	p.Promotion = true
	up, err := e.svc.Campaigns.UpdateProject(ctx, staff, p.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Indicators) != 2 || up.Indicators[0].Name != "形成示范应用" || up.Indicators[0].Seq != 1 || up.Indicators[1].ID != p.Indicators[1].ID {
		t.Errorf("indicators after update = %+v", up.Indicators)
	}
	if len(up.Methods) != 2 || up.Methods[1] != evaluation.Inspection {
		t.Errorf("promotion project methods = %v, want peer review and inspection", up.Methods)
	}
}

// TestUnknownMethodNamedAtItsIndex: an unknown evaluation method is named
// at the index the caller sent it at, not where sorting the methods would
// put it.
func TestUnknownMethodNamedAtItsIndex(t *testing.T) {
	p := sampleProject("P-1")
	p.Methods = []evaluation.Method{evaluation.Testing, "x-ray"}
	p.Normalize()
	e := wantCode(t, p.Validate(), evaluation.Invalid)
	if want := map[string]string{"methods.1": "error.method_invalid"}; !maps.Equal(e.Fields, want) {
		t.Errorf("fields = %v, want %v", e.Fields, want)
	}
}

// Another agency's staff learn nothing about a campaign from the answer to
// a project list, valid or not: both are not found.
func TestProjectsOfAnotherAgencyNotFound(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.newAgency(t, "OTHER")
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	other := e.staff(t, "staff.b", "OTHER").Actor()
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	bad := sampleProject("P-1")
	bad.Title = ""
	for name, list := range map[string][]*evaluation.Project{"valid": {sampleProject("P-2")}, "invalid": {bad}} {
		if err := e.svc.Campaigns.CreateProjects(ctx, other, c.ID, list); evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Errorf("%s list from another agency: %v, want not found", name, err)
		}
		err := e.svc.Campaigns.ImportProjects(ctx, other, c.ID, list, evaluation.ImportFile{Name: "p.xlsx", Format: "xlsx"})
		if evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Errorf("%s import from another agency: %v, want not found", name, err)
		}
	}
}

package evaluation_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/google/go-cmp/cmp"
)

// pool adds a pool able to staff applied-technology panels on subject 480:
// domain experts, investors, entrepreneurs, finance experts, each at their
// own institution, with an expert account for each.
func (e *env) pool(t *testing.T) map[string]*evaluation.Expert {
	t.Helper()
	out := map[string]*evaluation.Expert{}
	add := func(name string, typ evaluation.ExpertType, inst string) {
		ex := &evaluation.Expert{Name: name, Type: typ, Institution: inst, TitleLevel: evaluation.TitleSenior,
			Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"480.20"}}
		if err := e.svc.Pool.CreateExpert(t.Context(), e.admin, ex); err != nil {
			t.Fatalf("create expert %s: %v", name, err)
		}
		e.user(t, evaluation.NewUser{Username: fmt.Sprintf("ex%02d", ex.ID), Role: evaluation.RoleExpert, ExpertID: ex.ID})
		out[name] = ex
	}
	for i := 1; i <= 6; i++ {
		add(fmt.Sprintf("领域专家%d", i), evaluation.DomainExpert, fmt.Sprintf("第%d研究所", i))
	}
	add("投资人甲", evaluation.Investor, "甲资本")
	add("投资人乙", evaluation.Investor, "乙资本")
	add("企业家丙", evaluation.Entrepreneur, "丙科技有限公司")
	add("财务甲", evaluation.FinanceExpert, "甲会计师事务所")
	add("财务乙", evaluation.FinanceExpert, "乙会计师事务所")
	// In conflict with the sample project: same institution as its lead.
	add("上理工专家", evaluation.DomainExpert, "上海理工大学")
	return out
}

// expertActor returns the actor of a pool expert's account.
func (e *env) expertActor(t *testing.T, ex *evaluation.Expert) evaluation.Actor {
	t.Helper()
	u, err := e.db.UserByExpert(t.Context(), ex.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// campaignWith makes a draft campaign of the staff's agency with the
// projects.
func (e *env) campaignWith(t *testing.T, staff evaluation.Actor, projects ...*evaluation.Project) (*evaluation.Campaign, []*evaluation.Project) {
	t.Helper()
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	var out []*evaluation.Project
	for _, sp := range projects {
		p, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sp)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return c, out
}

// drawnPanel moves the campaign to forming, draws a panel for the project
// with testSeed, invites its members when invite is set, and returns the
// panel as stored.
func (e *env) drawnPanel(t *testing.T, staff evaluation.Actor, c *evaluation.Campaign, p *evaluation.Project, invite bool) *evaluation.Panel {
	t.Helper()
	ctx := t.Context()
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	panel, err := e.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, testSeed)
	if err != nil {
		t.Fatal(err)
	}
	if invite {
		if err := e.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
			t.Fatal(err)
		}
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	return panel
}

const testSeed = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

func TestDrawInviteDeclineConfirm(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject("23DZ1200100"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, testSeed); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("draw in draft: %v, want conflict", err)
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	panel, err := e.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, testSeed)
	if err != nil {
		t.Fatal(err)
	}
	tech, fin := panel.Seated(evaluation.SeatTechnical), panel.Seated(evaluation.SeatFinance)
	if len(tech) != 5 || len(fin) != 1 || !tech[0].Chair {
		t.Fatalf("panel: %d technical, %d finance, chair %v", len(tech), len(fin), tech[0].Chair)
	}
	industry := 0
	for _, m := range tech {
		if m.Expert.Institution == "上海理工大学" {
			t.Errorf("a conflicted expert was drawn")
		}
		if m.Expert.Type == evaluation.Investor || m.Expert.Type == evaluation.Entrepreneur {
			industry++
		}
	}
	if industry < 1 {
		t.Errorf("no investor or entrepreneur on an applied-technology panel")
	}
	if _, err := e.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, ""); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("second draw for the same project: %v, want conflict", err)
	}
	excluded, err := e.svc.Panels.PanelExclusions(ctx, staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range excluded {
		if x.Expert.ID == pool["上理工专家"].ID && len(x.Reasons) > 0 && x.Reasons[0].Code == "institution" {
			found = true
		}
	}
	if !found {
		t.Errorf("the conflicted expert is not listed as excluded with the institution reason: %+v", excluded)
	}

	// A manual replacement with the conflicted expert is refused with the
	// reason; an eligible one passes.
	victim := tech[len(tech)-1]
	check, err := e.svc.Panels.CheckReplacement(ctx, staff, panel.ID, victim.ID, pool["上理工专家"].ID)
	if err != nil || check.Allowed || len(check.Conflicts) == 0 {
		t.Errorf("check of a conflicted replacement: %+v, %v", check, err)
	}
	if _, err := e.svc.Panels.ReplaceMember(ctx, staff, panel.ID, victim.ID, pool["上理工专家"].ID, "想要"); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("replace with a conflicted expert: %v, want conflict", err)
	}
	// Verify the record re-runs.
	n, problems, err := evaluation.VerifyDraws(ctx, e.db, c.ID)
	if err != nil || n != 1 || len(problems) != 0 {
		t.Fatalf("verify: %d records, %v, %v", n, problems, err)
	}

	if err := e.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	alternates := panel.Alternates(evaluation.SeatTechnical)
	if len(alternates) == 0 {
		t.Fatal("no alternates were drawn")
	}
	// Everyone accepts but one member, who declines: the first alternate
	// that keeps the quotas is invited in their place.
	var decliner *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert && !m.Chair {
			decliner = m
		}
	}
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, decliner.Expert), decliner.ID, false, ""); evaluation.ErrorCode(err) != evaluation.Invalid {
		t.Errorf("decline without a reason: %v", err)
	}
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, decliner.Expert), decliner.ID, false, "出国访问，时间冲突"); err != nil {
		t.Fatal(err)
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	called := false
	for _, m := range panel.Members {
		if m.ExpertID == alternates[0].ExpertID && m.Status == evaluation.MemberInvited {
			called = true
		}
	}
	if !called {
		t.Errorf("the first alternate was not invited after the decline")
	}
	// Someone else cannot answer another expert's invitation.
	other := panel.Seated(evaluation.SeatFinance)[0]
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, decliner.Expert), other.ID, true, ""); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("answering another's invitation: %v, want not found", err)
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("scoring before the panel is confirmed: %v, want conflict", err)
	}
	for _, m := range panel.Members {
		if m.Status == evaluation.MemberInvited {
			if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, m.Expert), m.ID, true, ""); err != nil {
				t.Fatalf("accept by %s: %v", m.Expert.Name, err)
			}
		}
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	if panel.State != evaluation.PanelConfirmed {
		t.Fatalf("panel state %s after every seat accepted", panel.State)
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Errorf("scoring with a confirmed panel: %v", err)
	}
}

// The applicant's avoid list names experts by name, and by institution when
// it gives one; an expert with a conflict recorded after the invitation
// cannot accept: the seat counts as declined and the alternate is called.
func TestAvoidListAndConflictOnAccept(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	sp := sampleProject("23DZ1200101")
	sp.Avoid = []evaluation.Avoid{{Name: "领域专家1", Reason: "学术观点分歧"}, {Name: "领域专家2", Institution: "另一研究所"}}
	c, ps := e.campaignWith(t, staff, sp)
	p := ps[0]
	panel := e.drawnPanel(t, staff, c, p, false)
	excluded, err := e.svc.Panels.PanelExclusions(ctx, staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	avoided := map[string]bool{}
	for _, x := range excluded {
		for _, r := range x.Reasons {
			if r.Code == "avoided" {
				avoided[x.Expert.Name] = true
			}
		}
	}
	if !avoided["领域专家1"] || avoided["领域专家2"] || len(avoided) != 1 {
		t.Errorf("avoided experts %v, want only 领域专家1 (领域专家2 works elsewhere than the entry says)", avoided)
	}
	for _, m := range panel.Members {
		if m.ExpertID == pool["领域专家1"].ID {
			t.Errorf("the avoided expert is on the panel as %s", m.Status)
		}
	}

	if err := e.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	var member *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert && !m.Chair {
			member = m
		}
	}
	if member == nil {
		t.Fatal("no domain expert besides the chair was drawn")
	}
	alternates := panel.Alternates(evaluation.SeatTechnical)
	if len(alternates) == 0 {
		t.Fatal("no alternates were drawn")
	}
	err = e.svc.Pool.AddExpertConflict(ctx, e.admin, member.ExpertID, &evaluation.ExpertConflict{ProjectID: p.ID, Year: 2026, Note: "受聘于项目承担单位"})
	if err != nil {
		t.Fatal(err)
	}
	ans, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, member.Expert), member.ID, true, "")
	if err != nil {
		t.Fatalf("accept with a conflict: %v, want the decline recorded and no error", err)
	}
	if ans.Status != evaluation.MemberDeclined || len(ans.Conflicts) == 0 || ans.Conflicts[0].Code != assign.ReasonDeclared {
		t.Errorf("accept with a conflict answered %+v, want declined with the declared conflict", ans)
	}
	if ans.Alternate != alternates[0].ExpertID {
		t.Errorf("alternate called = %d, want the first alternate %d", ans.Alternate, alternates[0].ExpertID)
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	for _, m := range panel.Members {
		switch {
		case m.ID == member.ID && (m.Status != evaluation.MemberDeclined || m.DeclineReason == ""):
			t.Errorf("the conflicted member is %s (%q), want declined with the reason", m.Status, m.DeclineReason)
		case m.ExpertID == alternates[0].ExpertID && m.Status != evaluation.MemberInvited:
			t.Errorf("the first alternate is %s after the conflicted seat fell free, want invited", m.Status)
		}
	}
}

func TestMatchCampaign(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"P-1", "P-2"} {
		if _, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject(code)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	panels, err := e.svc.Panels.MatchCampaign(ctx, staff, c.ID, testSeed)
	if err != nil {
		t.Fatal(err)
	}
	if len(panels) != 2 || len(panels[0].Seated(evaluation.SeatTechnical)) != 5 {
		t.Fatalf("match gave %d panels", len(panels))
	}
	if _, err := e.svc.Panels.MatchCampaign(ctx, staff, c.ID, ""); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("second match: %v, want conflict (nothing left)", err)
	}
	n, problems, err := evaluation.VerifyDraws(ctx, e.db, c.ID)
	if err != nil || n != 1 || len(problems) != 0 {
		t.Errorf("verify: %d, %v, %v", n, problems, err)
	}
	// Tampering with the record is found.
	if _, err := e.db.SQL().Exec(`DROP TRIGGER draws_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().Exec(`UPDATE draws SET result = replace(result, '"soft_met"', '"soft_met_x"')`); err != nil {
		t.Fatal(err)
	}
	if _, problems, err := evaluation.VerifyDraws(ctx, e.db, c.ID); err != nil || len(problems) != 1 {
		t.Errorf("a changed match record verifies: %v, %v", problems, err)
	}
}

// A matched panel lists the experts the match kept off it, with every
// reason and conflicts first, as a drawn panel does: derived from the match
// record, per project; a drawn panel of the same campaign keeps its own
// draw's list, and both records still verify.
func TestMatchPanelExclusions(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	off := &evaluation.Expert{Name: "休假专家", Type: evaluation.DomainExpert, Institution: "第九研究所", TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionLocal, CanBeDrawn: false, NoDrawReason: "出国访问", SubjectCodes: []string{"480.20"}}
	if err := e.svc.Pool.CreateExpert(ctx, e.admin, off); err != nil {
		t.Fatal(err)
	}
	c, ps := e.campaignWith(t, staff, sampleProject("P-1"), sampleProject("P-2"), sampleProject("P-3"))
	// 领域专家6 declared a conflict with P-2 only.
	declarer := pool["领域专家6"]
	if err := e.svc.Pool.AddExpertConflict(ctx, e.admin, declarer.ID, &evaluation.ExpertConflict{ProjectID: ps[1].ID, Year: 2026}); err != nil {
		t.Fatal(err)
	}
	drawn := e.drawnPanel(t, staff, c, ps[2], false)
	matched, err := e.svc.Panels.MatchCampaign(ctx, staff, c.ID, testSeed)
	if err != nil {
		t.Fatal(err)
	}
	if len(matched) != 2 {
		t.Fatalf("match formed %d panels, want 2", len(matched))
	}
	reasonsOf := func(list []evaluation.Exclusion) map[int64][]string {
		out := map[int64][]string{}
		for _, x := range list {
			for _, r := range x.Reasons {
				out[x.Expert.ID] = append(out[x.Expert.ID], r.Code)
			}
		}
		return out
	}
	for _, panel := range matched {
		records, err := e.svc.Panels.PanelDraws(ctx, staff, panel.ID)
		if err != nil || len(records) != 1 || records[0].Kind != "match" {
			t.Fatalf("records of matched panel %s: %+v, %v; want the match record", panel.Name, records, err)
		}
		list, err := e.svc.Panels.PanelExclusions(ctx, staff, panel.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := reasonsOf(list)
		want := map[int64][]string{pool["上理工专家"].ID: {"institution"}, off.ID: {"not_drawable"}}
		if panel.ProjectIDs[0] == ps[1].ID {
			want[declarer.ID] = []string{"declared"}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("exclusions of matched panel %s (-want +got):\n%s", panel.Name, diff)
		}
		for i, x := range list {
			if i > 0 && x.Conflict() && !list[i-1].Conflict() {
				t.Errorf("exclusions of %s: conflict of %s listed after an ineligible expert", panel.Name, x.Expert.Name)
			}
			if x.Expert.Name == "" {
				t.Errorf("exclusions of %s: expert %d without a profile", panel.Name, x.Expert.ID)
			}
			if m, ok := panel.MemberOf(x.Expert.ID); ok {
				t.Errorf("%s is excluded from %s yet %s on it", x.Expert.Name, panel.Name, m.Status)
			}
		}
	}
	// The drawn panel keeps its draw's list: 领域专家6 has no conflict with P-3.
	list, err := e.svc.Panels.PanelExclusions(ctx, staff, drawn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][]string{pool["上理工专家"].ID: {"institution"}, off.ID: {"not_drawable"}}, reasonsOf(list)); diff != "" {
		t.Errorf("exclusions of the drawn panel (-want +got):\n%s", diff)
	}
	if records, err := e.svc.Panels.PanelDraws(ctx, staff, drawn.ID); err != nil || len(records) != 1 || records[0].Kind != "draw" {
		t.Errorf("records of the drawn panel: %+v, %v; want its draw alone", records, err)
	}
	n, problems, err := evaluation.VerifyDraws(ctx, e.db, c.ID)
	if err != nil || n != 2 || len(problems) != 0 {
		t.Errorf("verify: %d records, %v, %v; want 2 that re-run", n, problems, err)
	}
}

// TestDeclineKeepsHardQuota: when a domain expert declines, an alternate of
// another type who would leave the panel short of the hard domain quota is
// skipped; with no alternate that keeps it, the seat stays vacant.
func TestDeclineKeepsHardQuota(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	ctx := t.Context()
	add := func(name string, typ evaluation.ExpertType) *evaluation.Expert {
		ex := &evaluation.Expert{Name: name, Type: typ, Institution: name + "所", TitleLevel: evaluation.TitleSenior,
			Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"480.20"}}
		if err := e.svc.Pool.CreateExpert(ctx, e.admin, ex); err != nil {
			t.Fatal(err)
		}
		e.user(t, evaluation.NewUser{Username: fmt.Sprintf("ex%02d", ex.ID), Role: evaluation.RoleExpert, ExpertID: ex.ID})
		return ex
	}
	// Exactly two domain experts: the applied-technology quota needs both.
	add("领域一", evaluation.DomainExpert)
	add("领域二", evaluation.DomainExpert)
	for _, n := range []string{"投资一", "投资二", "投资三", "投资四", "投资五"} {
		add(n, evaluation.Investor)
	}
	add("财务一", evaluation.FinanceExpert)
	add("财务二", evaluation.FinanceExpert)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	c, ps := e.campaignWith(t, staff, sampleProject("P-1"))
	panel := e.drawnPanel(t, staff, c, ps[0], true)
	var domain *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert {
			domain = m
		}
	}
	if len(panel.Alternates(evaluation.SeatTechnical)) == 0 {
		t.Fatal("no technical alternates")
	}
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, domain.Expert), domain.ID, false, "身体原因"); err != nil {
		t.Fatal(err)
	}
	panel, err := e.svc.Panels.Panel(ctx, staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	domains := 0
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.DomainExpert {
			domains++
		}
	}
	if domains != 1 {
		t.Errorf("%d domain experts seated after the decline, want 1 (no alternate may break the quota further)", domains)
	}
	vac, err := e.svc.Panels.Vacancies(ctx, staff, panel)
	if err != nil || vac[evaluation.SeatTechnical] != 1 {
		t.Errorf("vacancies = %v, %v; want one technical seat vacant", vac, err)
	}
}

// A decline whose alternate cannot be invited (the write fails) is not
// recorded with a wrong "no alternate": the whole answer rolls back and the
// error reaches the caller.
func TestDeclineRollsBackWhenTheAlternateCannotBeCalled(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	c, ps := e.campaignWith(t, staff, sampleProject("23DZ1200101"))
	panel := e.drawnPanel(t, staff, c, ps[0], true)
	fin := panel.Seated(evaluation.SeatFinance)[0]
	alternates := panel.Alternates(evaluation.SeatFinance)
	if len(alternates) == 0 {
		t.Fatal("no finance alternate was drawn")
	}
	svc, st := e.faulty(t)
	st.fail = func(op string, v any) bool {
		m, ok := v.(*evaluation.PanelMember)
		return op == "UpdatePanelMember" && ok && m.ID == alternates[0].ID
	}
	before := e.auditCount(t)
	_, err := svc.Panels.RespondToInvitation(ctx, e.expertActor(t, fin.Expert), fin.ID, false, "身体原因")
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("decline with a failing alternate write: %v, want the write's error", err)
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	if m, _ := panel.Member(fin.ID); m.Status != evaluation.MemberInvited {
		t.Errorf("the decliner is %s after the failed decline, want still invited", m.Status)
	}
	if n := e.auditCount(t); n != before {
		t.Errorf("%d audit entries written by a failed decline", n-before)
	}
	// With the fault gone the same decline goes through and calls the
	// alternate.
	st.fail = nil
	ans, err := svc.Panels.RespondToInvitation(ctx, e.expertActor(t, fin.Expert), fin.ID, false, "身体原因")
	if err != nil || ans.Status != evaluation.MemberDeclined || ans.Alternate != alternates[0].ExpertID {
		t.Fatalf("decline: %+v, %v; want declined with alternate %d", ans, err, alternates[0].ExpertID)
	}
}

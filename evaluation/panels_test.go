package evaluation_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
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
	// A conflict recorded about the member since the invitation, with the
	// lead institution (one with the project itself would withdraw the
	// seat at once: TestConflictDeclaredWithdrawsTheSeat).
	err = e.svc.Pool.AddExpertConflict(ctx, e.admin, member.ExpertID, &evaluation.ExpertConflict{Institution: "上海理工大学", Year: 2026, Note: "受聘于项目承担单位"})
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
	storetest.DropTrigger(t, e.db, "draws_no_update", "draws")
	if _, err := e.db.ExecContext(t.Context(), `UPDATE draws SET result = replace(result, '"soft_met"', '"soft_met_x"')`); err != nil {
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

// vacantPanel draws an applied-technology panel from a pool with exactly
// two domain experts, invites it, and has the chair (a domain expert)
// decline: no alternate (all investors) keeps the hard quota of two domain
// experts, so a technical seat stays vacant. It returns the panel and the
// pool by name; 上理工专家 (a domain expert at the project's lead
// institution) is in the pool, excluded. After the draw come 领域三 (a
// domain expert who can fill the seat), 领域四 (one with no subject in
// common) and 投资六 (an investor).
func (e *env) vacantPanel(t *testing.T, staff evaluation.Actor) (*evaluation.Panel, map[string]*evaluation.Expert) {
	t.Helper()
	ctx := t.Context()
	pool := map[string]*evaluation.Expert{}
	for _, x := range []struct {
		name string
		typ  evaluation.ExpertType
	}{{"领域一", evaluation.DomainExpert}, {"领域二", evaluation.DomainExpert}, {"投资一", evaluation.Investor}, {"投资二", evaluation.Investor},
		{"投资三", evaluation.Investor}, {"投资四", evaluation.Investor}, {"投资五", evaluation.Investor},
		{"财务一", evaluation.FinanceExpert}, {"财务二", evaluation.FinanceExpert}, {"上理工专家", evaluation.DomainExpert}} {
		inst := x.name + "所"
		if x.name == "上理工专家" {
			inst = "上海理工大学"
		}
		pool[x.name] = e.addExpert(t, x.name, x.typ, inst, "480.20")
	}
	c, ps := e.campaignWith(t, staff, sampleProject("P-1"))
	panel := e.drawnPanel(t, staff, c, ps[0], true)
	chair := panel.Seated(evaluation.SeatTechnical)[0]
	if !chair.Chair || chair.Expert.Type != evaluation.DomainExpert {
		t.Fatalf("the first technical member %s is not a domain expert in the chair", chair.Expert.Name)
	}
	if _, err := e.svc.Panels.RespondToInvitation(ctx, e.expertActor(t, chair.Expert), chair.ID, false, "身体原因"); err != nil {
		t.Fatal(err)
	}
	panel, err := e.svc.Panels.Panel(ctx, staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if vac, err := e.svc.Panels.Vacancies(ctx, staff, panel); err != nil || vac[evaluation.SeatTechnical] != 1 || vac[evaluation.SeatFinance] != 0 {
		t.Fatalf("vacancies = %v, %v; want one technical seat vacant", vac, err)
	}
	pool["领域三"] = e.addExpert(t, "领域三", evaluation.DomainExpert, "领域三所", "480.20")
	pool["领域四"] = e.addExpert(t, "领域四", evaluation.DomainExpert, "领域四所", "110.10")
	pool["投资六"] = e.addExpert(t, "投资六", evaluation.Investor, "投资六所", "480.20")
	return panel, pool
}

// addExpert adds a drawable pool expert with an account.
func (e *env) addExpert(t *testing.T, name string, typ evaluation.ExpertType, inst, subject string) *evaluation.Expert {
	t.Helper()
	ex := &evaluation.Expert{Name: name, Type: typ, Institution: inst, TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{subject}}
	if err := e.svc.Pool.CreateExpert(t.Context(), e.admin, ex); err != nil {
		t.Fatal(err)
	}
	e.user(t, evaluation.NewUser{Username: fmt.Sprintf("ex%02d", ex.ID), Role: evaluation.RoleExpert, ExpertID: ex.ID})
	return ex
}

// CheckCandidates checks a list of experts for one seat at once: the
// members, the alternates and the member being replaced are on the panel,
// the conflicted expert is in conflict, a finance expert is of the wrong
// group, an investor for the vacant seat would leave the domain quota
// unmet, and the experts who pass are allowed; some need a reason.
func TestCheckCandidates(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	panel, pool := e.vacantPanel(t, staff)
	var ids []int64
	for _, x := range pool {
		ids = append(ids, x.ID)
	}
	verdict := func(c evaluation.CandidateCheck) string {
		var codes []string
		for _, r := range append(c.Conflicts, c.Ineligible...) {
			codes = append(codes, r.Code)
		}
		for _, q := range c.HardQuotas {
			codes = append(codes, "quota:"+q)
		}
		for _, s := range c.Soft {
			codes = append(codes, "soft:"+s)
		}
		switch {
		case !c.Allowed:
			return fmt.Sprint("refused ", codes)
		case c.NeedsReason:
			return fmt.Sprint("reason ", codes)
		}
		return "ok"
	}
	verdicts := func(target evaluation.SeatTarget) map[string]string {
		t.Helper()
		checks, err := e.svc.Panels.CheckCandidates(ctx, staff, panel.ID, target, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) != len(ids) {
			t.Fatalf("%d checks for %d experts", len(checks), len(ids))
		}
		out := map[string]string{}
		for i, c := range checks {
			if c.ExpertID != ids[i] {
				t.Fatalf("check %d is of expert %d, want %d (the order given)", i, c.ExpertID, ids[i])
			}
			for name, x := range pool {
				if x.ID == c.ExpertID {
					out[name] = verdict(c)
				}
			}
		}
		return out
	}
	onPanel := fmt.Sprint("refused ", []string{evaluation.ReasonOnPanel})
	status := map[string]evaluation.MemberStatus{}
	for _, m := range panel.Members {
		status[m.Expert.Name] = m.Status
	}
	want := map[string]string{
		"上理工专家": fmt.Sprint("refused ", []string{"institution"}),
		"财务一":   fmt.Sprint("refused ", []string{"seat", evaluation.ReasonOnPanel}),
		"财务二":   fmt.Sprint("refused ", []string{"seat", evaluation.ReasonOnPanel}),
		"领域三":   "ok",
		"领域四":   fmt.Sprint("reason ", []string{"soft:subject"}),
		"投资六":   fmt.Sprint("refused ", []string{"quota:domain_expert"}),
	}
	for name, st := range status {
		switch {
		case st == evaluation.MemberDeclined:
			want[name] = "ok" // the chair who declined may be asked back
		case want[name] == "":
			want[name] = onPanel
		}
		if st == evaluation.MemberDeclined && pool[name].Type != evaluation.DomainExpert {
			t.Fatalf("%s declined, want the domain expert in the chair", name)
		}
	}
	if diff := cmp.Diff(want, verdicts(evaluation.SeatTarget{Seat: evaluation.SeatTechnical})); diff != "" {
		t.Errorf("checks for the vacant technical seat (-want +got):\n%s", diff)
	}
	// For an investor's seat: another investor keeps the quotas, and the
	// member being replaced is on the panel.
	var investor *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.Investor {
			investor = m
		}
	}
	got := verdicts(evaluation.SeatTarget{MemberID: investor.ID})
	if got["投资六"] != "ok" || got[investor.Expert.Name] != onPanel || got["领域三"] != "ok" {
		t.Errorf("checks for %s's seat: 投资六 %q, %s %q, 领域三 %q; want ok, on the panel, ok",
			investor.Expert.Name, got["投资六"], investor.Expert.Name, got[investor.Expert.Name], got["领域三"])
	}
	// Bad requests.
	for _, tc := range []struct {
		name   string
		target evaluation.SeatTarget
		ids    []int64
		code   evaluation.Code
		field  string
	}{
		{"no experts", evaluation.SeatTarget{Seat: evaluation.SeatTechnical}, nil, evaluation.Invalid, "expert_ids"},
		{"an unknown expert", evaluation.SeatTarget{Seat: evaluation.SeatTechnical}, []int64{pool["领域三"].ID, 9999}, evaluation.Invalid, "expert_ids"},
		{"a full group", evaluation.SeatTarget{Seat: evaluation.SeatFinance}, ids, evaluation.Conflict, "seat"},
		{"no such group", evaluation.SeatTarget{Seat: "chair"}, ids, evaluation.Invalid, "seat"},
		{"a member and a group", evaluation.SeatTarget{MemberID: panel.Seated(evaluation.SeatTechnical)[0].ID, Seat: evaluation.SeatTechnical}, ids, evaluation.Invalid, "seat"},
		{"neither a member nor a group", evaluation.SeatTarget{}, ids, evaluation.Invalid, "seat"},
		{"an unknown member", evaluation.SeatTarget{MemberID: panel.Seated(evaluation.SeatTechnical)[0].ID + 1000}, ids, evaluation.NotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.Panels.CheckCandidates(ctx, staff, panel.ID, tc.target, tc.ids)
			wantFieldError(t, err, tc.code, tc.field)
		})
	}
	e.newAgency(t, "OTHER")
	other := e.staff(t, "staff.b", "OTHER").Actor()
	if _, err := e.svc.Panels.CheckCandidates(ctx, other, panel.ID, evaluation.SeatTarget{Seat: evaluation.SeatTechnical}, ids); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency's staff check candidates: %v, want not found", err)
	}
}

// wantFieldError fails unless err has the code and, when field is set, a
// message for the field.
func wantFieldError(t *testing.T, err error, code evaluation.Code, field string) {
	t.Helper()
	e := evaluation.ErrorAs(err)
	if e == nil || e.Code != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	if field != "" && e.Fields[field] == "" {
		t.Errorf("error %+v names no message for %q", e, field)
	}
}

// FillVacancy puts an expert in a vacant seat by hand, with the checks of
// a replacement; a refused fill changes nothing.
func TestFillVacancy(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	panel, pool := e.vacantPanel(t, staff)
	alternate := panel.Alternates(evaluation.SeatTechnical)[0]
	for _, tc := range []struct {
		name     string
		seat     evaluation.Seat
		expertID int64
		reason   string
		code     evaluation.Code
		field    string
	}{
		{"an unknown expert", evaluation.SeatTechnical, 9999, "", evaluation.Invalid, "expert_id"},
		{"an expert in conflict, with a reason", evaluation.SeatTechnical, pool["上理工专家"].ID, "急需", evaluation.Conflict, "expert_id"},
		{"an alternate of the panel", evaluation.SeatTechnical, alternate.ExpertID, "", evaluation.Invalid, "expert_id"},
		{"a hard quota left unmet", evaluation.SeatTechnical, pool["投资六"].ID, "急需", evaluation.Conflict, "expert_id"},
		{"a finance expert in a technical seat", evaluation.SeatTechnical, pool["财务二"].ID, "", evaluation.Invalid, "expert_id"},
		{"a soft rule without a reason", evaluation.SeatTechnical, pool["领域四"].ID, " ", evaluation.Invalid, "reason"},
		{"a full group", evaluation.SeatFinance, pool["领域三"].ID, "", evaluation.Conflict, "seat"},
		{"no such group", "chair", pool["领域三"].ID, "", evaluation.Invalid, "seat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.auditCount(t)
			_, err := e.svc.Panels.FillVacancy(ctx, staff, panel.ID, tc.seat, tc.expertID, tc.reason)
			wantFieldError(t, err, tc.code, tc.field)
			after, err := e.svc.Panels.Panel(ctx, staff, panel.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(panel, after); diff != "" || e.auditCount(t) != before {
				t.Errorf("a refused fill changed the panel (-before +after):\n%s", diff)
			}
		})
	}
	if _, err := e.svc.Panels.FillVacancy(ctx, e.admin, panel.ID, evaluation.SeatTechnical, pool["领域三"].ID, ""); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("an administrator fills a seat: %v, want forbidden", err)
	}

	res, err := e.svc.Panels.FillVacancy(ctx, staff, panel.ID, evaluation.SeatTechnical, pool["领域三"].ID, "")
	if err != nil || !res.Allowed || res.NeedsReason {
		t.Fatalf("fill with 领域三: %+v, %v", res, err)
	}
	if panel, err = e.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	m, ok := panel.MemberOf(pool["领域三"].ID)
	if !ok || m.Status != evaluation.MemberInvited || m.Seat != evaluation.SeatTechnical || m.Source != "manual" || !m.Chair {
		t.Errorf("领域三 after the fill: %+v, want invited (the panel is inviting) to a technical seat by hand, in the vacant chair", m)
	}
	if vac, err := e.svc.Panels.Vacancies(ctx, staff, panel); err != nil || vac[evaluation.SeatTechnical] != 0 {
		t.Errorf("vacancies after the fill: %v, %v", vac, err)
	}
	if a := e.lastAudit(t); a.Action != "panel.fill" || a.ObjectID != fmt.Sprint(panel.ID) {
		t.Errorf("audit entry %s %s, want panel.fill of the panel", a.Action, a.ObjectID)
	}
	if _, err := e.svc.Panels.FillVacancy(ctx, staff, panel.ID, evaluation.SeatTechnical, pool["领域四"].ID, "学科相近"); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("a second fill of the one vacant seat: %v, want conflict", err)
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

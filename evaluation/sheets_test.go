package evaluation_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// scoringEnv is a campaign in scoring with one applied-technology project
// whose panel every member accepted; the deadline is 2025-04-30.
type scoringEnv struct {
	*env
	staff   evaluation.Actor
	other   evaluation.Actor // staff of another agency
	c       *evaluation.Campaign
	project *evaluation.Project
	panel   *evaluation.Panel
}

func newScoringEnv(t *testing.T) *scoringEnv {
	t.Helper()
	return newScoringEnvWith(t, nil)
}

// newScoringEnvWith is newScoringEnv with the campaign's settings changed
// by change (nil for none) before it is created.
func newScoringEnvWith(t *testing.T, change func(*evaluation.CampaignSettings)) *scoringEnv {
	t.Helper()
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	e.newAgency(t, "OTHER")
	s := &scoringEnv{env: e, staff: e.staff(t, "staff.a", "SSTPC").Actor(), other: e.staff(t, "staff.b", "OTHER").Actor()}
	ctx := t.Context()
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringDue = "2025-04-30"
	if change != nil {
		change(&settings)
	}
	c, err := e.svc.Campaigns.CreateCampaign(ctx, s.staff, evaluation.NewCampaign{Name: "批次", Year: 2025, Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	sp := sampleProject("23DZ1200101")
	sp.Avoid = []evaluation.Avoid{{Name: "张三", Reason: "学术观点分歧"}} // an avoid list no reviewer may read
	if s.project, err = e.svc.Campaigns.CreateProject(ctx, s.staff, c.ID, sp); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, s.staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	e.confirmPanels(t, s.staff, c.ID)
	if s.project, err = e.svc.Campaigns.Project(ctx, s.staff, s.project.ID); err != nil {
		t.Fatal(err)
	}
	if s.c, err = e.svc.Campaigns.TransitionCampaign(ctx, s.staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatal(err)
	}
	if s.panel, err = e.svc.Panels.Panel(ctx, s.staff, s.project.PanelID); err != nil {
		t.Fatal(err)
	}
	return s
}

// member returns the panel's member in the seat who is (or is not) the
// chair, with their actor.
func (s *scoringEnv) member(t *testing.T, seat evaluation.Seat, chair bool) (*evaluation.PanelMember, evaluation.Actor) {
	t.Helper()
	for _, m := range s.panel.Seated(seat) {
		if m.Chair == chair {
			return m, s.expertActor(t, m.Expert)
		}
	}
	t.Fatalf("no %s member with chair=%v", seat, chair)
	return nil, evaluation.Actor{}
}

// open signs the pledge and declares no conflict for the actor.
func (s *scoringEnv) open(t *testing.T, a evaluation.Actor) {
	t.Helper()
	if err := s.svc.Sheets.SignPledge(t.Context(), a, s.c.ID, evaluation.PledgeVersion); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Sheets.DeclareNoConflict(t.Context(), a, s.project.ID); err != nil {
		t.Fatal(err)
	}
}

// stored is the sheet and its versions as stored, to compare byte for
// byte around a refused save.
func (s *scoringEnv) stored(t *testing.T, expertID int64) string {
	t.Helper()
	sh, err := s.db.Sheet(t.Context(), s.project.ID, expertID)
	if evaluation.ErrorCode(err) == evaluation.NotFound {
		return "none"
	}
	if err != nil {
		t.Fatal(err)
	}
	versions, err := s.db.SheetVersions(t.Context(), sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct {
		S *evaluation.Sheet
		V []*evaluation.SheetVersion
	}{sh, versions})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func pts(n float64) rubrics.Points {
	p, ok := rubrics.FromFloat(n)
	if !ok {
		panic("not points")
	}
	return p
}

// complete is a full applied-technology sheet: 22+20+21+8+12 = 83.
func complete() evaluation.SheetContent {
	return evaluation.SheetContent{Sheet: rubrics.Sheet{
		Scores:   map[string]rubrics.Points{"A1": pts(22), "A2": pts(20), "A3": pts(21), "A4": pts(8), "A5": pts(12)},
		Comments: map[string]string{"A1": "主要指标全部完成，部分超额。"},
		Opinion:  "项目完成了任务书规定的主要考核指标，技术路线合理。"}}
}

func TestExpertWorkspace(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	m, ex := s.member(t, evaluation.SeatTechnical, false)

	list, err := s.svc.Sheets.Assignments(ctx, ex)
	if err != nil || len(list) != 1 {
		t.Fatalf("assignments = %+v, %v; want the one project", list, err)
	}
	if a := list[0]; a.Project.ID != s.project.ID || a.Status != evaluation.SheetNotStarted || a.Pledged || a.Declared ||
		a.Due != "2025-04-30" || a.Overdue || a.MemberID != m.ID {
		t.Errorf("assignment = %+v", a)
	}

	// The pledge comes first, then the declaration, then the sheet.
	if _, err := s.svc.Sheets.Sheet(ctx, ex, s.project.ID); wantCode(t, err, evaluation.Conflict).Message != "error.pledge_first" {
		t.Errorf("sheet before the pledge: %v", err)
	}
	if err := s.svc.Sheets.DeclareNoConflict(ctx, ex, s.project.ID); wantCode(t, err, evaluation.Conflict).Message != "error.pledge_first" {
		t.Errorf("declaration before the pledge: %v", err)
	}
	if p, err := s.svc.Sheets.Project(ctx, ex, s.project.ID); err != nil || p.Project != nil {
		t.Errorf("project before the pledge = %+v, %v; want the assignment without the project", p, err)
	}
	if err := s.svc.Sheets.SignPledge(ctx, ex, s.c.ID, "an older text"); wantCode(t, err, evaluation.Invalid).Fields["version"] != "error.pledge_changed" {
		t.Errorf("pledge of another text: %v", err)
	}
	s.open(t, ex)
	if a := s.lastAudit(t); a.Action != "project.declare_no_conflict" || a.ActorID != ex.UserID {
		t.Errorf("last audit entry %+v", a)
	}
	if err := s.svc.Sheets.SignPledge(ctx, ex, s.c.ID, evaluation.PledgeVersion); err != nil {
		t.Errorf("signing twice: %v", err)
	}
	p, err := s.svc.Sheets.Project(ctx, ex, s.project.ID)
	if err != nil || p.Project == nil || len(p.Project.Indicators) != 3 || len(p.Project.Avoid) != 0 {
		t.Fatalf("project after the declaration = %+v, %v", p, err)
	}

	view, err := s.svc.Sheets.Sheet(ctx, ex, s.project.ID)
	if err != nil || !view.Editable || view.Sheet.Version != 0 || view.Rubric.Code != "APPLIED_TECH" || view.Sheet.Status != evaluation.SheetDraft {
		t.Fatalf("new sheet = %+v, %v", view, err)
	}

	// A draft may be incomplete; what it holds must be right.
	draft := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"A1": pts(22.5)}}}
	sh, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 0, draft, false)
	if err != nil || sh.Version != 1 || sh.Status != evaluation.SheetDraft || sh.Content.Scores["A1"] != pts(22.5) {
		t.Fatalf("draft = %+v, %v", sh, err)
	}
	before := s.stored(t, m.ExpertID)
	audits := s.auditCount(t)
	for _, tc := range []struct {
		name    string
		base    int
		content evaluation.SheetContent
		submit  bool
		field   string
	}{
		{"over the maximum", 1, evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"A1": pts(26)}}}, false, "scores.A1"},
		{"below zero", 1, evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"A2": pts(-1)}}}, false, "scores.A2"},
		{"unknown indicator", 1, evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"Z9": pts(1)}}}, false, "scores.Z9"},
		{"unknown veto", 1, evaluation.SheetContent{Sheet: rubrics.Sheet{Vetoes: []rubrics.VetoFlag{{Code: "V9", Evidence: "x"}}}}, false, "vetoes.0.code"},
		{"finance verdict on a technical sheet", 1, evaluation.SheetContent{FinancePass: ptr(true)}, false, "finance_pass"},
		{"submit incomplete", 1, draft, true, "scores.A2"},
		{"veto without evidence", 1, func() evaluation.SheetContent {
			c := complete()
			c.Vetoes = []rubrics.VetoFlag{{Code: "V1"}}
			return c
		}(), true, "vetoes.0.evidence"},
	} {
		_, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, tc.base, tc.content, tc.submit)
		if e := wantCode(t, err, evaluation.Invalid); e.Fields[tc.field] == "" {
			t.Errorf("%s: fields %v, want one for %s", tc.name, e.Fields, tc.field)
		}
	}
	// A save based on an older version (another tab) is refused with the
	// stored sheet.
	_, err = s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 0, complete(), false)
	var stale *evaluation.StaleSheetError
	if !errors.As(err, &stale) || stale.Current.Version != 1 || stale.Current.Content.Scores["A1"] != pts(22.5) {
		t.Errorf("stale save: %v, want the stored version 1", err)
	}
	wantCode(t, err, evaluation.Conflict)
	if got := s.stored(t, m.ExpertID); got != before {
		t.Errorf("refused saves changed the sheet:\n%s\nwas\n%s", got, before)
	}
	if n := s.auditCount(t); n != audits {
		t.Errorf("refused saves wrote %d audit entries", n-audits)
	}

	// Submitting locks the sheet and keeps the version.
	sh, err = s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 1, complete(), true)
	if err != nil || sh.Status != evaluation.SheetSubmitted || sh.Version != 2 {
		t.Fatalf("submit = %+v, %v", sh, err)
	}
	if a := s.lastAudit(t); a.Action != "sheet.submit" || details(t, a)["total"] != "83" {
		t.Errorf("audit entry %+v", a)
	}
	before = s.stored(t, m.ExpertID)
	if _, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 2, complete(), false); wantCode(t, err, evaluation.Conflict).Message != "error.sheet_submitted" {
		t.Errorf("save after submit: %v", err)
	}
	if got := s.stored(t, m.ExpertID); got != before {
		t.Error("a save after submit changed the sheet")
	}
	view, err = s.svc.Sheets.Sheet(ctx, ex, s.project.ID)
	if err != nil || view.Editable || view.Locked != "error.sheet_submitted" || len(view.Versions) != 1 || view.Versions[0].Total != pts(83) {
		t.Errorf("submitted sheet view = %+v, %v", view, err)
	}
	if list, err = s.svc.Sheets.Assignments(ctx, ex); err != nil || list[0].Status != evaluation.SheetSubmitted {
		t.Errorf("assignments after submit = %+v, %v", list, err)
	}

	// The agency reopens it with a reason; the expert resubmits; both
	// versions stay.
	if _, err := s.svc.Sheets.ReopenSheet(ctx, s.staff, sh.ID, " "); wantCode(t, err, evaluation.Invalid).Fields["reason"] == "" {
		t.Errorf("reopen without a reason: %v", err)
	}
	if _, err := s.svc.Sheets.ReopenSheet(ctx, s.other, sh.ID, "复核"); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("reopen by another agency: %v, want not found", err)
	}
	re, err := s.svc.Sheets.ReopenSheet(ctx, s.staff, sh.ID, "专家组意见分歧较大，请复核 A2 分数")
	if err != nil || re.Status != evaluation.SheetReopened || re.Round != 2 || re.Version != 3 {
		t.Fatalf("reopen = %+v, %v", re, err)
	}
	again := complete()
	again.Scores["A2"] = pts(18.5)
	if _, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 3, again, true); err != nil {
		t.Fatal(err)
	}
	versions, err := s.db.SheetVersions(ctx, sh.ID)
	if err != nil || len(versions) != 2 || versions[0].Total != pts(83) || versions[1].Total != pts(81.5) || versions[1].Round != 2 {
		t.Errorf("history = %+v, %v", versions, err)
	}
}

// The deadline is the member's, inclusive, in Beijing; the agency extends
// one member's with a reason.
func TestSheetDeadline(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	m, ex := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, ex)
	// 2025-04-30 23:30 in Beijing is still the last day.
	s.clock.t = time.Date(2025, 4, 30, 15, 30, 0, 0, time.UTC)
	if _, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 0, complete(), false); err != nil {
		t.Fatalf("save on the last day: %v", err)
	}
	s.clock.advance(time.Hour) // 00:30 on 1 May in Beijing
	if _, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 1, complete(), true); wantCode(t, err, evaluation.Conflict).Message != "error.past_due" {
		t.Errorf("submit after the deadline: %v", err)
	}
	list, err := s.svc.Sheets.Assignments(ctx, ex)
	if err != nil || !list[0].Overdue {
		t.Errorf("assignments after the deadline = %+v, %v; want overdue", list, err)
	}
	if err := s.svc.Sheets.ExtendDeadline(ctx, s.staff, s.panel.ID, m.ID, "2025-04-20", "出差"); wantCode(t, err, evaluation.Invalid).Fields["due"] != "error.date_past" {
		t.Errorf("extension to a day past: %v", err)
	}
	if err := s.svc.Sheets.ExtendDeadline(ctx, s.staff, s.panel.ID, m.ID, "2025-05-07", "专家出差，延期一周"); err != nil {
		t.Fatal(err)
	}
	if a := s.lastAudit(t); a.Action != "panel.extend_deadline" || details(t, a)["to"] != "2025-05-07" {
		t.Errorf("audit entry %+v", a)
	}
	if _, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 1, complete(), true); err != nil {
		t.Errorf("submit within the extension: %v", err)
	}
}

// Members never read each other's sheets; the chair reads the submitted
// ones once their own is in; the agency reads all.
func TestPanelSheetsAccess(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	_, chair := s.member(t, evaluation.SeatTechnical, true)
	_, member := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, chair)
	s.open(t, member)
	if _, err := s.svc.Sheets.SaveSheet(ctx, member, s.project.ID, 0, complete(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Sheets.PanelSheets(ctx, member, s.project.ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("a member reads the panel's sheets: %v", err)
	}
	if _, err := s.svc.Sheets.PanelSheets(ctx, chair, s.project.ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("the chair reads the sheets before submitting: %v", err)
	}
	if _, err := s.svc.Sheets.SaveSheet(ctx, chair, s.project.ID, 0, complete(), true); err != nil {
		t.Fatal(err)
	}
	sheets, err := s.svc.Sheets.PanelSheets(ctx, chair, s.project.ID)
	if err != nil || len(sheets) != 2 {
		t.Errorf("the chair after submitting reads %d sheets (%v), want 2", len(sheets), err)
	}
	if sheets, err = s.svc.Sheets.PanelSheets(ctx, s.staff, s.project.ID); err != nil || len(sheets) != 2 {
		t.Errorf("the agency reads %d sheets (%v), want 2", len(sheets), err)
	}
	if _, err := s.svc.Sheets.PanelSheets(ctx, s.other, s.project.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency reads the sheets: %v", err)
	}
}

// A finance expert scores the finance rubric and says pass or fail.
func TestFinanceSheet(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	_, fin := s.member(t, evaluation.SeatFinance, false)
	s.open(t, fin)
	view, err := s.svc.Sheets.Sheet(ctx, fin, s.project.ID)
	if err != nil || view.Rubric.Code != "FINANCE" {
		t.Fatalf("finance sheet = %+v, %v", view, err)
	}
	c := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"F1": pts(16), "F2": pts(20), "F3": pts(20), "F4": pts(24)},
		Opinion: "资金使用基本合规。"}}
	if _, err := s.svc.Sheets.SaveSheet(ctx, fin, s.project.ID, 0, c, true); wantCode(t, err, evaluation.Invalid).Fields["finance_pass"] != "error.finance_pass_required" {
		t.Errorf("finance submit without a verdict: %v", err)
	}
	c.FinancePass = ptr(true)
	if sh, err := s.svc.Sheets.SaveSheet(ctx, fin, s.project.ID, 0, c, true); err != nil || !*sh.Content.FinancePass {
		t.Errorf("finance submit = %+v, %v", sh, err)
	}
}

// A conflict declared with a project withdraws the expert at once: the
// seat is declined, the chair handed on, the alternate invited, and the
// project no longer exists for them; the expert cannot lift it, the
// agency can, with a reason.
func TestConflictDeclaredWithdrawsTheSeat(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	chairMember, chair := s.member(t, evaluation.SeatTechnical, true)
	s.open(t, chair)
	alternates := s.panel.Alternates(evaluation.SeatTechnical)
	office := s.user(t, evaluation.NewUser{Username: "office.a", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC",
		Email: " office@sstpc.example.cn ", Language: evaluation.LangEN})
	if err := s.svc.Sheets.DeclareConflict(ctx, chair, s.project.ID, ""); wantCode(t, err, evaluation.Invalid).Fields["reason"] == "" {
		t.Errorf("a conflict without a reason: %v", err)
	}
	if err := s.svc.Sheets.DeclareConflict(ctx, chair, s.project.ID, "近三年与项目负责人合作发表论文"); err != nil {
		t.Fatal(err)
	}
	panel, err := s.svc.Panels.Panel(ctx, s.staff, s.panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := panel.Member(chairMember.ID)
	if m.Status != evaluation.MemberDeclined || m.Chair || m.DeclineReason != "近三年与项目负责人合作发表论文" {
		t.Errorf("the withdrawn member is %+v", m)
	}
	chairs := 0
	for _, x := range panel.Seated(evaluation.SeatTechnical) {
		if x.Chair {
			chairs++
			if x.Status != evaluation.MemberAccepted {
				t.Errorf("the chair passed to a member who is %s", x.Status)
			}
		}
	}
	if chairs != 1 {
		t.Errorf("%d chairs after the withdrawal, want 1", chairs)
	}
	if len(alternates) > 0 {
		if a, _ := panel.MemberOf(alternates[0].ExpertID); a.Status != evaluation.MemberInvited {
			t.Errorf("the first alternate is %s, want invited", a.Status)
		}
	}

	// The agency hears of it: each of its staff, in their language, at
	// their address; staff.a has none, so theirs is failed from the start.
	// Another agency's staff hear nothing.
	told := map[string]*evaluation.Message{}
	for _, m := range s.messages(t, evaluation.KindConflict) {
		told[m.RecipientName] = m
	}
	if len(told) != 2 {
		t.Fatalf("conflict notices to %v, want staff.a and office.a", told)
	}
	if m := told["office.a"]; m == nil || m.To != "office@sstpc.example.cn" || m.Language != evaluation.LangEN ||
		m.Status != evaluation.MessageQueued || m.RecipientID != office.ID || m.AgencyID != s.agency.ID {
		t.Errorf("the notice to office.a is %+v", m)
	}
	if m := told["staff.a"]; m == nil || m.Status != evaluation.MessageFailed || m.Problem != evaluation.ProblemNoEmail {
		t.Errorf("the notice to staff.a (no address) is %+v", m)
	}
	var data evaluation.ConflictData
	if err := json.Unmarshal(told["office.a"].Data, &data); err != nil {
		t.Fatal(err)
	}
	if data.Expert != chairMember.Expert.Name || data.Reason != "近三年与项目负责人合作发表论文" || data.Project.Code != "23DZ1200101" ||
		data.Campaign != s.c.Name || data.Panel != s.panel.Name || data.Chair == "" || data.Chair == data.Expert {
		t.Errorf("the notice says %+v", data)
	}
	if len(alternates) > 0 && data.Alternate != alternates[0].Expert.Name {
		t.Errorf("the notice names alternate %q, want %q", data.Alternate, alternates[0].Expert.Name)
	}
	for name, call := range map[string]func() error{
		"project":   func() error { _, err := s.svc.Sheets.Project(ctx, chair, s.project.ID); return err },
		"sheet":     func() error { _, err := s.svc.Sheets.Sheet(ctx, chair, s.project.ID); return err },
		"materials": func() error { _, err := s.svc.Materials.Materials(ctx, chair, s.project.ID); return err },
		"save": func() error {
			_, err := s.svc.Sheets.SaveSheet(ctx, chair, s.project.ID, 0, complete(), false)
			return err
		},
		"assignments": func() error { l, err := s.svc.Sheets.Assignments(ctx, chair); _ = l; return err },
	} {
		err := call()
		if name == "assignments" {
			if l, _ := s.svc.Sheets.Assignments(ctx, chair); len(l) != 0 || err != nil {
				t.Errorf("assignments after withdrawing: %+v, %v", l, err)
			}
			continue
		}
		if evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Errorf("%s after withdrawing: %v, want not found", name, err)
		}
	}
	conflicts, err := s.svc.Pool.ExpertConflicts(ctx, chair, chairMember.ExpertID)
	if err != nil || len(conflicts) != 1 || conflicts[0].ProjectID != s.project.ID {
		t.Fatalf("conflicts = %+v, %v", conflicts, err)
	}
	if err := s.svc.Pool.RemoveExpertConflict(ctx, chair, chairMember.ExpertID, conflicts[0].ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("the expert lifts their declaration: %v, want forbidden", err)
	}
	if err := s.svc.Sheets.LiftConflict(ctx, s.other, s.project.ID, chairMember.ExpertID, "误报"); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency lifts it: %v, want not found", err)
	}
	if err := s.svc.Sheets.LiftConflict(ctx, s.staff, s.project.ID, chairMember.ExpertID, "经核实不存在合作关系"); err != nil {
		t.Fatal(err)
	}
	if a := s.lastAudit(t); a.Action != "project.lift_conflict" || details(t, a)["reason"] != "经核实不存在合作关系" {
		t.Errorf("audit entry %+v", a)
	}
	if _, err := s.svc.Sheets.Project(ctx, chair, s.project.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("after the lift the expert is back on the project: %v", err)
	}
}

// The progress monitor counts what the database holds: a mixed campaign
// (sheets not started, drafts, submitted, reopened; a member overdue and
// one with an extension) counted directly with SQL gives the same figures.
func TestProgressCountsMatchTheDatabase(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringDue = "2025-04-30"
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2025, Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	var projects []*evaluation.Project
	for _, code := range []string{"P-1", "P-2", "P-3"} {
		p, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject(code))
		if err != nil {
			t.Fatal(err)
		}
		projects = append(projects, p)
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	e.confirmPanels(t, staff, c.ID)
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatal(err)
	}
	// Work on the sheets: for each project, its first member submits, the
	// second saves a draft, the rest do nothing; the first sheet submitted
	// is then reopened.
	var reopen int64
	var extended *evaluation.PanelMember
	for _, p := range projects {
		p, err := e.svc.Campaigns.Project(ctx, staff, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		panel, err := e.svc.Panels.Panel(ctx, staff, p.PanelID)
		if err != nil {
			t.Fatal(err)
		}
		tech := panel.Seated(evaluation.SeatTechnical)
		for i, m := range tech[:2] {
			a := e.expertActor(t, m.Expert)
			if err := e.svc.Sheets.SignPledge(ctx, a, c.ID, evaluation.PledgeVersion); err != nil {
				t.Fatal(err)
			}
			if err := e.svc.Sheets.DeclareNoConflict(ctx, a, p.ID); err != nil {
				t.Fatal(err)
			}
			sh, err := e.svc.Sheets.SaveSheet(ctx, a, p.ID, 0, complete(), i == 0)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && reopen == 0 {
				reopen = sh.ID
			}
		}
		if extended == nil {
			extended = tech[3]
		}
	}
	if _, err := e.svc.Sheets.ReopenSheet(ctx, staff, reopen, "复核"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Sheets.ExtendDeadline(ctx, staff, extended.PanelID, extended.ID, "2025-05-31", "出差"); err != nil {
		t.Fatal(err)
	}
	e.clock.t = time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC) // past the campaign's deadline

	got, err := e.svc.Sheets.Progress(ctx, staff, c.ID, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// The same figures, straight from the tables.
	db := e.db
	var want evaluation.ProgressCounts
	row := db.QueryRowContext(ctx, `SELECT count(*) FROM panel_members m JOIN panel_projects pp ON pp.panel_id = m.panel_id
		JOIN panels p ON p.id = m.panel_id WHERE p.campaign_id = ? AND m.status = 'accepted'`, c.ID)
	if err := row.Scan(&want.Expected); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryContext(ctx, `SELECT status, count(*) FROM sheets WHERE campaign_id = ? GROUP BY status`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			t.Fatal(err)
		}
		switch evaluation.SheetStatus(status) {
		case evaluation.SheetDraft:
			want.Draft = n
		case evaluation.SheetSubmitted:
			want.Submitted = n
		case evaluation.SheetReopened:
			want.Reopened = n
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	want.NotStarted = want.Expected - want.Draft - want.Submitted - want.Reopened
	// Overdue: every sheet not submitted of an accepted member whose own
	// deadline (extended or the campaign's) has passed.
	row = db.QueryRowContext(ctx, `SELECT count(*) FROM panel_members m JOIN panel_projects pp ON pp.panel_id = m.panel_id
		JOIN panels p ON p.id = m.panel_id
		LEFT JOIN sheets s ON s.project_id = pp.project_id AND s.expert_id = m.expert_id
		WHERE p.campaign_id = ? AND m.status = 'accepted' AND COALESCE(s.status, '') <> 'submitted'
		AND (CASE WHEN m.due <> '' THEN m.due ELSE ? END) < '2025-05-02'`, c.ID, settings.ScoringDue)
	if err := row.Scan(&want.Overdue); err != nil {
		t.Fatal(err)
	}
	if got.Counts != want {
		t.Errorf("progress counts %+v, the database says %+v", got.Counts, want)
	}
	if want.Submitted != 2 || want.Draft != 3 || want.Reopened != 1 || want.NotStarted == 0 || want.Overdue == 0 || want.Overdue == want.Expected-2 {
		t.Errorf("the campaign is not as mixed as the test means: %+v", want)
	}
	var sum evaluation.ProgressCounts
	for _, p := range got.Panels {
		sum.Expected += p.Counts.Expected
		sum.Submitted += p.Counts.Submitted
		sum.Overdue += p.Counts.Overdue
	}
	if got.Total != 3 || sum.Expected != want.Expected || sum.Submitted != want.Submitted || sum.Overdue != want.Overdue {
		t.Errorf("the panels' counts add up to %+v over %d panels, want %+v", sum, got.Total, want)
	}
	if page, err := e.svc.Sheets.Progress(ctx, staff, c.ID, evaluation.ProgressFilter{Page: evaluation.Page{Number: 2, Size: 2}}); err != nil ||
		len(page.Panels) != 1 || page.Counts != want {
		t.Errorf("page 2 of 2 panels: %d panels, counts %+v (%v)", len(page.Panels), page.Counts, err)
	}
	if _, err := e.svc.Sheets.Progress(ctx, e.expertActor(t, extended.Expert), c.ID, evaluation.ProgressFilter{}); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("an expert reads the progress: %v", err)
	}
}

// messages lists the outbox's messages of a kind, oldest first.
func (s *scoringEnv) messages(t *testing.T, kind evaluation.MessageKind) []*evaluation.Message {
	t.Helper()
	list, _, err := s.svc.Notifications.Outbox(t.Context(), s.admin, evaluation.OutboxFilter{Page: evaluation.Page{Number: 1, Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	var out []*evaluation.Message
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Kind == kind {
			out = append(out, list[i])
		}
	}
	return out
}

// A reopened sheet tells its expert why, in the same transaction; a
// reminder goes to each member with sheets left, once a day.
func TestReopenAndRemindersTellTheExperts(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	m, ex := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, ex)
	sh, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 0, complete(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Sheets.ReopenSheet(ctx, s.staff, sh.ID, "请补充 A3 的评分依据"); err != nil {
		t.Fatal(err)
	}
	reopens := s.messages(t, evaluation.KindReopen)
	if len(reopens) != 1 || reopens[0].RecipientName != m.Expert.Name {
		t.Fatalf("reopen messages = %+v, want one to %s", reopens, m.Expert.Name)
	}
	var data evaluation.ReopenData
	if err := json.Unmarshal(reopens[0].Data, &data); err != nil || data.Reason != "请补充 A3 的评分依据" || data.Project.Code != "23DZ1200101" {
		t.Errorf("reopen data %+v (%v)", data, err)
	}

	// Everyone accepted has the sheet to (re)submit: every member is told,
	// once however often the agency asks the same day.
	members := len(s.panel.Seated(evaluation.SeatTechnical)) + len(s.panel.Seated(evaluation.SeatFinance))
	for range 2 {
		if _, err := s.svc.Sheets.Remind(ctx, s.staff, s.c.ID, 0); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.messages(t, evaluation.KindReminder); len(got) != members {
		t.Errorf("%d reminders after asking twice, want one to each of the %d members", len(got), members)
	}
	// Once the member resubmits, a reminder to them alone is refused:
	// nothing is left.
	if _, err := s.svc.Sheets.SaveSheet(ctx, ex, s.project.ID, 2, complete(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Sheets.Remind(ctx, s.staff, s.c.ID, m.ExpertID); wantCode(t, err, evaluation.Conflict).Message != "error.nothing_to_remind" {
		t.Errorf("reminding a member with nothing left: %v", err)
	}
	if _, err := s.svc.Sheets.Remind(ctx, s.other, s.c.ID, 0); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency reminds: %v", err)
	}
}

package evaluation_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// storedAppeals is the campaign's appeals and the project's conclusions as
// stored, to compare around a refusal.
func (o *opinionEnv) storedAppeals(t *testing.T) string {
	t.Helper()
	list, err := o.db.Appeals(t.Context(), o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := ""
	for _, a := range list {
		out += fmt.Sprintf("%+v\n", *a)
	}
	return fmt.Sprintf("%s%d conclusions, %d sheets reopened", out, o.conclusions(t), o.reopenedSheets(t))
}

func (o *opinionEnv) reopenedSheets(t *testing.T) int {
	n := 0
	for _, sh := range o.sheets(t) {
		if sh.Status == evaluation.SheetReopened {
			n++
		}
	}
	return n
}

// published takes the env's campaign through the commission's approval:
// its publicity runs for 5 days from today.
func (o *opinionEnv) published(t *testing.T, commission evaluation.Actor) {
	t.Helper()
	o.submitted(t)
	if _, err := o.svc.Review.ApproveCampaign(t.Context(), commission, o.c.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
}

// Appeals during the publicity: one that disputes only the experts'
// academic judgement is recorded inadmissible by the rule; an admissible
// one is re-evaluated by the same panel (its sheets reopened while the
// campaign is published) and settled with the conclusion after the
// re-evaluation, or rejected with a reason. The campaign closes only when
// the period is over and no appeal is open. Wrong role, state or input:
// refused, nothing changed.
func TestAppeals(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Review
	commission := o.user(t, evaluation.NewUser{Username: "sstc.appeals", Name: "市科委复核", Role: evaluation.RoleCommission}).Actor()
	academic := evaluation.AppealInput{Reason: evaluation.AppealAcademic, Appellant: "上海某某研究院",
		Text: "我单位认为专家对项目原创性的评价偏低，项目成果具有国际领先水平。"}
	calc := evaluation.AppealInput{Reason: evaluation.AppealCalculation, Appellant: "上海某某研究院",
		Text: "评价结果汇总时一位专家的“技术突破”一项分数录入有误，请予核查。"}

	// Not before the publicity.
	o.submitted(t)
	if _, err := svc.FileAppeal(ctx, o.staff, pid, calc); wantCode(t, err, evaluation.Conflict).Message != "error.appeals_closed" {
		t.Errorf("an appeal before approval: %v", err)
	}
	if _, err := svc.ApproveCampaign(ctx, commission, o.c.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	before := o.storedAppeals(t)
	for _, tc := range []struct {
		name string
		as   evaluation.Actor
		in   evaluation.AppealInput
		code evaluation.Code
	}{
		{"another agency", o.other, calc, evaluation.NotFound},
		{"an expert", o.chair, calc, evaluation.NotFound},
		{"an administrator", o.admin, calc, evaluation.Forbidden},
		{"no ground", o.staff, evaluation.AppealInput{Appellant: "某单位", Text: "异议"}, evaluation.Invalid},
		{"an unknown ground", o.staff, evaluation.AppealInput{Reason: "taste", Appellant: "某单位", Text: "异议"}, evaluation.Invalid},
		{"no appellant", o.staff, evaluation.AppealInput{Reason: evaluation.AppealFactual, Appellant: " ", Text: "异议"}, evaluation.Invalid},
		{"no text", o.staff, evaluation.AppealInput{Reason: evaluation.AppealFactual, Appellant: "某单位"}, evaluation.Invalid},
	} {
		if _, err := svc.FileAppeal(ctx, tc.as, pid, tc.in); evaluation.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if got := o.storedAppeals(t); got != before {
			t.Fatalf("%s changed the appeals:\n%s", tc.name, got)
		}
	}

	// Academic judgement only: recorded, inadmissible, settled at once.
	inad, err := svc.FileAppeal(ctx, o.staff, pid, academic)
	if err != nil || inad.Status != evaluation.AppealInadmissible || inad.ResolvedAt.IsZero() || inad.Before != evaluation.ConclusionPass {
		t.Fatalf("the academic appeal = %+v, %v", inad, err)
	}
	if _, err := svc.RejectAppeal(ctx, commission, pid, inad.ID, "不予受理"); wantCode(t, err, evaluation.Conflict).Message != "error.appeal_settled" {
		t.Errorf("rejecting an inadmissible appeal: %v", err)
	}

	// An admissible one, recorded by the agency; a second waits for it.
	ap, err := svc.FileAppeal(ctx, o.staff, pid, calc)
	if err != nil || ap.Status != evaluation.AppealFiled || ap.FiledByName == "" {
		t.Fatalf("the admissible appeal = %+v, %v", ap, err)
	}
	if _, err := svc.FileAppeal(ctx, commission, pid, calc); wantCode(t, err, evaluation.Conflict).Message != "error.appeal_open" {
		t.Errorf("a second open appeal: %v", err)
	}
	// Closing waits for the period and for the appeal.
	o.clock.advance(6 * 24 * time.Hour)
	if _, err := svc.FileAppeal(ctx, o.staff, pid, academic); wantCode(t, err, evaluation.Conflict).Message != "error.publicity_over" {
		t.Errorf("an appeal after the period: %v", err)
	}
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, commission, o.c.ID, evaluation.CampaignClosed, ""); wantCode(t, err, evaluation.Conflict).Fields["to"] != "error.appeals_open" {
		t.Errorf("closing with an open appeal: %v", err)
	}

	before = o.storedAppeals(t)
	for _, tc := range []struct {
		name string
		do   func() error
		code evaluation.Code
	}{
		{"agency staff re-evaluate", func() error {
			_, err := svc.ReevaluateAppeal(ctx, o.staff, pid, ap.ID, "请复核", "")
			return err
		}, evaluation.Forbidden},
		{"agency staff reject", func() error { _, err := svc.RejectAppeal(ctx, o.staff, pid, ap.ID, "不成立"); return err }, evaluation.Forbidden},
		{"an expert rejects", func() error { _, err := svc.RejectAppeal(ctx, o.chair, pid, ap.ID, "不成立"); return err }, evaluation.NotFound},
		{"a reject without a reason", func() error { _, err := svc.RejectAppeal(ctx, commission, pid, ap.ID, " "); return err }, evaluation.Invalid},
		{"a re-evaluation without a note", func() error {
			_, err := svc.ReevaluateAppeal(ctx, commission, pid, ap.ID, "", "")
			return err
		}, evaluation.Invalid},
		{"a re-evaluation due yesterday", func() error {
			_, err := svc.ReevaluateAppeal(ctx, commission, pid, ap.ID, "请复核", o.clock.now().In(evaluation.Beijing).AddDate(0, 0, -1).Format(time.DateOnly))
			return err
		}, evaluation.Invalid},
		{"another project's appeal", func() error { _, err := svc.RejectAppeal(ctx, commission, pid+1000, ap.ID, "不成立"); return err }, evaluation.NotFound},
		{"resolving before a re-evaluation", func() error {
			_, err := svc.ResolveAppeal(ctx, commission, pid, ap.ID, evaluation.ConclusionFail, "复评未通过")
			return err
		}, evaluation.Conflict},
	} {
		if err := tc.do(); evaluation.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if got := o.storedAppeals(t); got != before {
			t.Fatalf("%s changed the appeals:\n%s", tc.name, got)
		}
	}

	// The re-evaluation: the panel's technical sheets reopen, the members
	// see the project again in their workspace and revise while the
	// campaign is published.
	ap, err = svc.ReevaluateAppeal(ctx, commission, pid, ap.ID, "经核查，请专家组对该项目重新评分。", "")
	if err != nil || ap.Status != evaluation.AppealReevaluating || ap.RevisionSeq != 1 {
		t.Fatalf("the re-evaluation = %+v, %v", ap, err)
	}
	if n, want := o.reopenedSheets(t), len(o.panel.Seated(evaluation.SeatTechnical)); n != want {
		t.Errorf("%d sheets reopened, want the %d technical ones", n, want)
	}
	rounds, err := o.svc.Results.Revisions(ctx, o.staff, pid)
	if err != nil || len(rounds) != 1 || rounds[0].Kind != evaluation.RevisionAppeal {
		t.Fatalf("the revision rounds = %+v, %v", rounds, err)
	}
	if _, err := o.svc.Sheets.Project(ctx, o.chair, pid); err != nil {
		t.Errorf("the chair reads the project under re-evaluation: %v", err)
	}
	if _, err := svc.ResolveAppeal(ctx, commission, pid, ap.ID, evaluation.ConclusionFail, "复评未通过"); wantCode(t, err, evaluation.Conflict).Message != "error.reevaluation_pending" {
		t.Errorf("resolving before the sheets are in: %v", err)
	}
	for _, a := range append([]evaluation.Actor{o.chair}, o.members...) {
		if sh, err := o.db.Sheet(ctx, pid, a.ExpertID); err == nil && sh.Status == evaluation.SheetReopened {
			o.submitContent(t, a, low())
		}
	}
	if _, err := o.svc.Sheets.Project(ctx, o.chair, pid); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("the project after the re-evaluation is still in the workspace: %v", err)
	}
	if r := o.result(t).Report.Results[0]; r.Technical.Score == nil || r.Technical.Score.String() != "55.00" {
		t.Errorf("the re-evaluated result = %+v, want 55.00", r.Technical)
	}
	if _, err := svc.ResolveAppeal(ctx, commission, pid, ap.ID, evaluation.ConclusionPassAfterRectification, "复评"); wantCode(t, err, evaluation.Invalid).Fields["conclusion"] != "error.conclusion_not_allowed" {
		t.Errorf("a conclusion of another round: %v", err)
	}
	ap, err = svc.ResolveAppeal(ctx, commission, pid, ap.ID, evaluation.ConclusionFail, "复评得分 55 分，低于 60 分合格线，结论改为未通过。")
	if err != nil || ap.Status != evaluation.AppealResolved || ap.Outcome != evaluation.ConclusionFail {
		t.Fatalf("resolve = %+v, %v", ap, err)
	}
	list, _, err := o.svc.Results.Conclusions(ctx, o.staff, pid)
	if err != nil || len(list) != 2 || list[1].Conclusion != evaluation.ConclusionFail || list[1].RecordedByName != "市科委复核" {
		t.Fatalf("the conclusions after the appeal = %+v, %v", list, err)
	}
	n, err := svc.PublicNotice(ctx, o.c.ID)
	if err != nil || n.Projects[0].Conclusion != evaluation.ConclusionFail {
		t.Errorf("the notice after the appeal = %+v, %v", n, err)
	}

	// Settled: the campaign closes, and then refuses appeals.
	o.move(t, commission, evaluation.CampaignClosed)
	if _, err := svc.RejectAppeal(ctx, commission, pid, ap.ID, "不成立"); wantCode(t, err, evaluation.Conflict).Message != "error.appeals_closed" {
		t.Errorf("settling after the close: %v", err)
	}
	all, err := svc.Appeals(ctx, o.staff, o.c.ID)
	if err != nil || len(all) != 2 {
		t.Fatalf("the appeals = %+v, %v", all, err)
	}
	if _, err := svc.Appeals(ctx, o.other, o.c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency reads the appeals: %v", err)
	}
}

// A rejected appeal changes no conclusion, and lets the campaign close.
func TestAppealRejected(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	commission := o.user(t, evaluation.NewUser{Username: "sstc.appeals", Name: "市科委复核", Role: evaluation.RoleCommission}).Actor()
	o.published(t, commission)
	ap, err := o.svc.Review.FileAppeal(ctx, commission, o.project.ID, evaluation.AppealInput{Reason: evaluation.AppealConflict,
		Appellant: "项目负责人 张某", Text: "专家组成员与我单位存在合作关系，应当回避。"})
	if err != nil {
		t.Fatal(err)
	}
	ap, err = o.svc.Review.RejectAppeal(ctx, commission, o.project.ID, ap.ID, "经核查，该专家与申诉单位近三年无合作项目，不构成回避情形。")
	if err != nil || ap.Status != evaluation.AppealRejected || ap.ResolvedByName != "市科委复核" {
		t.Fatalf("reject = %+v, %v", ap, err)
	}
	if n := o.conclusions(t); n != 1 {
		t.Errorf("%d conclusions after a rejection, want 1", n)
	}
	o.clock.advance(6 * 24 * time.Hour)
	o.move(t, commission, evaluation.CampaignClosed)
}

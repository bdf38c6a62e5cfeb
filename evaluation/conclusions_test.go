package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// submitAll submits every member's sheet.
func (o *opinionEnv) submitAll(t *testing.T) {
	t.Helper()
	o.submit(t, o.chair)
	for _, m := range o.members {
		o.submit(t, m)
	}
}

// lockOpinion takes the panel's opinion, proposing proposed, to locked
// with every member confirming.
func (o *opinionEnv) lockOpinion(t *testing.T, proposed evaluation.Conclusion) {
	t.Helper()
	ctx := t.Context()
	in := draft
	in.Proposed = proposed
	if _, err := o.svc.Results.SaveOpinion(ctx, o.chair, o.project.ID, 0, in); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Results.CirculateOpinion(ctx, o.chair, o.project.ID, 1); err != nil {
		t.Fatal(err)
	}
	for _, m := range o.members {
		if _, err := o.svc.Results.RespondOpinion(ctx, m, o.project.ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// concluding moves the campaign to concluding.
func (o *opinionEnv) concluding(t *testing.T) {
	t.Helper()
	if _, err := o.svc.Campaigns.TransitionCampaign(t.Context(), o.staff, o.c.ID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
}

// conclusions is the project's conclusions as stored, to compare around a
// refusal.
func (o *opinionEnv) conclusions(t *testing.T) int {
	t.Helper()
	list, err := o.db.Conclusions(t.Context(), o.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// The agency records conclusions: in the concluding state only, by its
// own staff, following the panel's locked opinion or saying why not; a
// failed project gets one rectification and a re-evaluation; the campaign
// goes to the commission only when every project has its conclusion.
func TestConclusions(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Results

	// Not while scoring, and not before the panel's opinion is locked.
	o.submitAll(t)
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPass, ""); wantCode(t, err, evaluation.Conflict).Message != "error.conclusions_closed" {
		t.Errorf("a conclusion while scoring: %v", err)
	}
	o.concluding(t)
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPass, ""); wantCode(t, err, evaluation.Conflict).Message != "error.conclusion_needs_opinion" {
		t.Errorf("a pass without the panel's opinion: %v", err)
	}
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, o.staff, o.c.ID, evaluation.CampaignSubmitted, ""); wantCode(t, err, evaluation.Conflict).Fields["to"] != "error.conclusions_missing" {
		t.Errorf("submitting without conclusions: %v", err)
	}

	// The opinion proposes a pass (the campaign is concluding: opinions
	// are still taken).
	o.lockOpinion(t, evaluation.ConclusionPass)

	// Wrong role, other agency, bad values: refused, nothing recorded.
	for _, tc := range []struct {
		name  string
		as    evaluation.Actor
		c     evaluation.Conclusion
		why   string
		code  evaluation.Code
		field string
	}{
		{"an expert", o.chair, evaluation.ConclusionPass, "", evaluation.NotFound, ""},
		{"another agency", o.other, evaluation.ConclusionPass, "", evaluation.NotFound, ""},
		{"an unknown conclusion", o.staff, "excellent", "", evaluation.Invalid, "conclusion"},
		{"after rectification without one", o.staff, evaluation.ConclusionPassAfterRectification, "", evaluation.Invalid, "conclusion"},
		{"a fail against the proposal without a reason", o.staff, evaluation.ConclusionFail, " ", evaluation.Invalid, "reason"},
		{"a closure without a reason", o.staff, evaluation.ConclusionClosed, "", evaluation.Invalid, "reason"},
	} {
		_, err := svc.RecordConclusion(ctx, tc.as, pid, tc.c, tc.why)
		if e := wantCode(t, err, tc.code); tc.field != "" && e.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
		if n := o.conclusions(t); n != 0 {
			t.Fatalf("%s: %d conclusions recorded", tc.name, n)
		}
	}

	// The proposal followed needs no reason; changing it does; a fail
	// against the proposal is recorded with its reason.
	rec, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPass, "")
	if err != nil || rec.Proposed != evaluation.ConclusionPass || rec.Round != 1 || rec.Seq != 1 {
		t.Fatalf("the pass proposed = %+v, %v", rec, err)
	}
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPass, ""); wantCode(t, err, evaluation.Invalid).Fields["reason"] != "error.conclusion_reason_required" {
		t.Errorf("recording again without a reason: %v", err)
	}
	if _, err := svc.StartRectification(ctx, o.staff, pid, "", "整改"); wantCode(t, err, evaluation.Conflict).Message != "error.rectification_not_failed" {
		t.Errorf("a rectification of a passed project: %v", err)
	}
	if rec, err = svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionFail, "财务专项审计发现经费使用问题。"); err != nil || rec.Seq != 2 {
		t.Fatalf("a fail against the proposal = %+v, %v", rec, err)
	}
	if a := o.lastAudit(t); a.Action != "project.conclude" || details(t, a)["conclusion"] != "fail" || details(t, a)["proposed"] != "pass" {
		t.Errorf("the audit entry = %+v", a)
	}

	// One rectification, with a default of three months.
	if _, err := svc.StartRectification(ctx, o.staff, pid, "2020-01-01", "整改"); wantCode(t, err, evaluation.Invalid).Fields["due"] != "error.date_past" {
		t.Errorf("a rectification due in the past: %v", err)
	}
	if _, err := svc.StartRectification(ctx, o.staff, pid, "", " "); wantCode(t, err, evaluation.Invalid).Fields["reason"] != "error.reason_required" {
		t.Errorf("a rectification without a reason: %v", err)
	}
	r, err := svc.StartRectification(ctx, o.staff, pid, "", "限期整改经费管理问题。")
	want := o.clock.now().In(evaluation.Beijing).AddDate(0, 3, 0).Format("2006-01-02")
	if err != nil || r.Due != want {
		t.Fatalf("rectification = %+v, %v; want due %s", r, err, want)
	}
	if _, err := svc.StartRectification(ctx, o.staff, pid, "", "再次整改"); wantCode(t, err, evaluation.Conflict).Message != "error.rectification_once" {
		t.Errorf("a second rectification: %v", err)
	}
	// The project waits for its re-evaluation: the campaign cannot go on.
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, o.staff, o.c.ID, evaluation.CampaignSubmitted, ""); wantCode(t, err, evaluation.Conflict).Fields["to"] != "error.conclusions_missing" {
		t.Errorf("submitting during the rectification: %v", err)
	}
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPass, ""); wantCode(t, err, evaluation.Invalid).Fields["conclusion"] != "error.conclusion_not_allowed" {
		t.Errorf("a plain pass after a rectification: %v", err)
	}
	// The same panel re-evaluates (TestReevaluationAfterRectification).
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionReevaluation, "请根据整改报告重新评价。", ""); err != nil {
		t.Fatal(err)
	}
	o.resubmitTechnical(t)
	if rec, err = svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPassAfterRectification, ""); err != nil || rec.Round != 2 {
		t.Fatalf("a pass after rectification = %+v, %v", rec, err)
	}
	list, rect, err := svc.Conclusions(ctx, o.staff, pid)
	if err != nil || len(list) != 3 || rect == nil || list[2].Conclusion != evaluation.ConclusionPassAfterRectification {
		t.Errorf("the project's conclusions = %+v, %+v, %v", list, rect, err)
	}
	// The results carry the conclusion in force, read for the whole
	// campaign at once.
	if res, err := svc.CampaignResults(ctx, o.staff, o.c.ID); err != nil || len(res.Concluded) != 1 || res.Concluded[0] == nil || res.Concluded[0].Seq != 3 {
		t.Errorf("the results' conclusions = %+v, %v", res, err)
	}
	if _, _, err := svc.Conclusions(ctx, o.chair, pid); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("an expert reads the conclusions: %v", err)
	}
	c, err := o.svc.Campaigns.TransitionCampaign(ctx, o.staff, o.c.ID, evaluation.CampaignSubmitted, "")
	if err != nil || c.State != evaluation.CampaignSubmitted {
		t.Fatalf("submit the concluded campaign = %+v, %v", c, err)
	}
	// Submitted: conclusions are closed, the records stay as they were.
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionFail, "改判"); wantCode(t, err, evaluation.Conflict).Message != "error.conclusions_closed" {
		t.Errorf("a conclusion after submitting: %v", err)
	}
	if n := o.conclusions(t); n != 3 {
		t.Errorf("%d conclusions, want 3", n)
	}
	err = o.db.InTx(ctx, func(tx evaluation.Tx) error {
		list[0].Seq = 1
		list[0].Conclusion = evaluation.ConclusionFail
		return tx.AddConclusion(ctx, list[0])
	})
	if err == nil {
		t.Error("the store recorded a conclusion over an earlier one")
	}
}

// A campaign's results are computed from the sheets stored now: every
// submitted sheet counts, a reopened one waits for its resubmission; the
// agency reads them, an expert does not.
func TestCampaignResultsFromTheSheets(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	o.submitAll(t)
	res, err := o.svc.Results.CampaignResults(ctx, o.staff, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Results) != 1 || len(res.Projects) != 1 || res.Projects[0].Code != o.project.Code {
		t.Fatalf("results = %+v", res)
	}
	r := res.Report.Results[0]
	technical := 0
	for _, m := range o.panel.Members {
		if m.Status == evaluation.MemberAccepted && m.Seat == evaluation.SeatTechnical {
			technical++
		}
	}
	// Every technical sheet is complete(): 22+20+21+8+12 = 83.
	if r.Technical.Sheets != technical || r.Technical.Score == nil || r.Technical.Score.String() != "83.00" ||
		r.Technical.Grade != "good" || r.Finance.Passed == nil || !*r.Finance.Passed || r.Proposal != "pass" {
		t.Errorf("the result = %+v, finance %+v, proposal %s", r.Technical, r.Finance, r.Proposal)
	}
	sh, err := o.db.Sheet(ctx, o.project.ID, o.members[0].ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Sheets.ReopenSheet(ctx, o.staff, sh.ID, "请复核第一项评分"); err != nil {
		t.Fatal(err)
	}
	if res, err = o.svc.Results.CampaignResults(ctx, o.staff, o.c.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := res.Report.Results[0].Technical.Sheets+res.Report.Results[0].Finance.Sheets, r.Technical.Sheets+r.Finance.Sheets-1; got != want {
		t.Errorf("after a reopening %d sheets count, want %d", got, want)
	}
	if _, err := o.svc.Results.CampaignResults(ctx, o.chair, o.c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("an expert reads the results: %v", err)
	}
	if _, err := o.svc.Results.CampaignResults(ctx, o.other, o.c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency reads the results: %v", err)
	}
}

// The chair reads the project's result once their own sheet is in, to
// draft the opinion beside it; the other members do not.
func TestChairReadsTheProjectResult(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	if _, err := o.svc.Results.ProjectResult(ctx, o.chair, o.project.ID); wantCode(t, err, evaluation.Forbidden).Message != "error.sheets_chair_after_own" {
		t.Errorf("the chair before submitting: %v", err)
	}
	o.submitAll(t)
	pr, err := o.svc.Results.ProjectResult(ctx, o.chair, o.project.ID)
	if err != nil || pr.Result.Technical.Score == nil || pr.Result.Technical.Score.String() != "83.00" || pr.Result.Proposal != "pass" {
		t.Fatalf("the chair's result = %+v, %v", pr, err)
	}
	if _, err := o.svc.Results.ProjectResult(ctx, o.members[0], o.project.ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("a member reads the result: %v", err)
	}
	if _, err := o.svc.Results.ProjectResult(ctx, o.staff, o.project.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("staff through the chair's read: %v", err)
	}
}

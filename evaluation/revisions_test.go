package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// low is a full applied-technology sheet far below complete()'s 83:
// 10+10+15+8+12 = 55, every score explained.
func low() evaluation.SheetContent {
	c := complete()
	c.Scores = map[string]rubrics.Points{"A1": pts(10), "A2": pts(10), "A3": pts(15), "A4": pts(8), "A5": pts(12)}
	c.Comments = map[string]string{"A1": "主要指标完成不足一半。", "A2": "创新性不足。", "A3": "成果转化有限。",
		"A4": "团队稳定。", "A5": "管理规范。"}
	return c
}

// submitContent submits the actor's sheet with the content, from the
// version stored.
func (o *opinionEnv) submitContent(t *testing.T, a evaluation.Actor, c evaluation.SheetContent) {
	t.Helper()
	sh, err := o.db.Sheet(t.Context(), o.project.ID, a.ExpertID)
	base := 0
	if err == nil {
		base = sh.Version
	}
	if _, err := o.svc.Sheets.SaveSheet(t.Context(), a, o.project.ID, base, c, true); err != nil {
		t.Fatalf("submit the sheet of expert %d: %v", a.ExpertID, err)
	}
}

// sheets is the project's sheets as stored, to compare around a refusal.
func (o *opinionEnv) sheets(t *testing.T) []*evaluation.Sheet {
	t.Helper()
	list, err := o.db.ProjectSheets(t.Context(), o.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (o *opinionEnv) result(t *testing.T) *evaluation.CampaignResults {
	t.Helper()
	res, err := o.svc.Results.CampaignResults(t.Context(), o.staff, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A divergent project goes back to its panel for discussion: every
// technical sheet reopens with the agency's note, the members revise (in
// the concluding state too), and the result is the revised sheets'; the
// earlier rounds stay in each sheet's history. Wrong role, state or
// project: refused, nothing changed.
func TestDiscussionOfADivergentProject(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Results
	const note = "专家组评分差异较大（极差超过20分），请结合项目材料复核评分。"

	// Not before every sheet is in.
	o.submit(t, o.chair)
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionDiscussion, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.revision_sheets_pending" {
		t.Errorf("a discussion before the sheets are in: %v", err)
	}
	for _, m := range o.members[1:] {
		o.submit(t, m)
	}
	// Not for a project the panel agrees on.
	o.submit(t, o.members[0])
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionDiscussion, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.revision_not_divergent" {
		t.Errorf("a discussion of a project the panel agrees on: %v", err)
	}
	sh, err := o.db.Sheet(ctx, pid, o.members[0].ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Sheets.ReopenSheet(ctx, o.staff, sh.ID, "请核对评分"); err != nil {
		t.Fatal(err)
	}
	o.submitContent(t, o.members[0], low())
	r := o.result(t).Report.Results[0]
	if !r.Divergence.Divergent || !r.Divergence.RangeExceeded {
		t.Fatalf("divergence = %+v, want the range exceeded", r.Divergence)
	}

	before := o.sheets(t)
	for _, tc := range []struct {
		name  string
		as    evaluation.Actor
		kind  evaluation.RevisionKind
		note  string
		due   string
		code  evaluation.Code
		field string
	}{
		{"an expert", o.chair, evaluation.RevisionDiscussion, note, "", evaluation.NotFound, ""},
		{"another agency", o.other, evaluation.RevisionDiscussion, note, "", evaluation.NotFound, ""},
		{"no note", o.staff, evaluation.RevisionDiscussion, "  ", "", evaluation.Invalid, "note"},
		{"an unknown kind", o.staff, "vote", note, "", evaluation.Invalid, "kind"},
		{"a day past", o.staff, evaluation.RevisionDiscussion, note, "2020-01-01", evaluation.Invalid, "due"},
		{"a bad day", o.staff, evaluation.RevisionDiscussion, note, "next week", evaluation.Invalid, "due"},
		{"a re-evaluation without a rectification", o.staff, evaluation.RevisionReevaluation, note, "", evaluation.Conflict, ""},
	} {
		_, err := svc.OpenRevision(ctx, tc.as, pid, tc.kind, tc.note, tc.due)
		if e := wantCode(t, err, tc.code); tc.field != "" && e.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a message on %s", tc.name, err, tc.field)
		}
		if after := o.sheets(t); !sameSheets(before, after) {
			t.Fatalf("%s: the sheets changed", tc.name)
		}
	}
	// Not under a circulated opinion.
	if _, err := svc.SaveOpinion(ctx, o.chair, pid, 0, draft); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CirculateOpinion(ctx, o.chair, pid, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionDiscussion, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.opinion_circulated" {
		t.Errorf("a discussion under a circulated opinion: %v", err)
	}
	if _, err := svc.SaveOpinion(ctx, o.chair, pid, 1, draft); err != nil {
		t.Fatalf("the chair takes the opinion back: %v", err)
	}

	sent := len(o.messages(t, evaluation.KindReopen))
	rev, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionDiscussion, note, "")
	technical := len(o.panel.Seated(evaluation.SeatTechnical))
	if err != nil || rev.Seq != 1 || rev.Sheets != technical || rev.Kind != evaluation.RevisionDiscussion {
		t.Fatalf("open the discussion = %+v, %v; want %d sheets", rev, err, technical)
	}
	for _, sh := range o.sheets(t) {
		switch {
		case sh.Seat == evaluation.SeatFinance && sh.Status != evaluation.SheetSubmitted:
			t.Errorf("the finance sheet is %s", sh.Status)
		case sh.Seat == evaluation.SeatTechnical && (sh.Status != evaluation.SheetReopened || sh.ReopenReason != note):
			t.Errorf("technical sheet of expert %d: %s, %q", sh.ExpertID, sh.Status, sh.ReopenReason)
		}
	}
	if n := len(o.messages(t, evaluation.KindReopen)) - sent; n != technical {
		t.Errorf("%d members told, want %d", n, technical)
	}
	if a := o.lastAudit(t); a.Action != "project.revision" || details(t, a)["kind"] != "discussion" {
		t.Errorf("the audit entry = %+v", a)
	}
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionDiscussion, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.revision_sheets_pending" {
		t.Errorf("a second discussion while the first is open: %v", err)
	}
	if list, err := svc.Revisions(ctx, o.staff, pid); err != nil || len(list) != 1 || list[0].Note != note {
		t.Errorf("the revisions = %+v, %v", list, err)
	}
	if _, err := svc.Revisions(ctx, o.chair, pid); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("an expert reads the revisions: %v", err)
	}
	// While the panel revises, the technical score waits for the sheets.
	if r := o.result(t).Report.Results[0]; r.Technical.Score != nil {
		t.Errorf("a technical score while every sheet is reopened: %+v", r.Technical)
	}

	// The campaign concludes meanwhile: the reopened sheets are still
	// revised; the revised ones replace the earlier in the result.
	o.concluding(t)
	o.submitContent(t, o.members[0], complete())
	o.resubmitTechnical(t)
	r = o.result(t).Report.Results[0]
	if r.Divergence.Divergent || r.Technical.Score == nil || r.Technical.Score.String() != "83.00" {
		t.Errorf("after the discussion: divergence %+v, technical %+v", r.Divergence, r.Technical)
	}
	sh, err = o.db.Sheet(ctx, pid, o.members[0].ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := o.db.SheetVersions(ctx, sh.ID)
	if err != nil || len(versions) != 3 || versions[1].Total != pts(55) || versions[2].Total != pts(83) {
		t.Errorf("the sheet's history = %+v, %v; want 83, 55, 83", versions, err)
	}
	// A submitted sheet stays locked while concluding.
	if _, err := o.svc.Sheets.SaveSheet(ctx, o.members[0], pid, sh.Version, low(), false); wantCode(t, err, evaluation.Conflict).Message != "error.scoring_closed" {
		t.Errorf("a save of a submitted sheet while concluding: %v", err)
	}
}

// The re-evaluation after a rectification is the same panel scoring
// again: opened once, for a project granted its rectification; its
// conclusion waits for the revised sheets and follows their result unless
// the agency says why not.
func TestReevaluationAfterRectification(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Results
	const note = "项目已完成整改，请专家组根据整改报告重新评价。"

	o.submitAll(t)
	o.concluding(t)
	o.lockOpinion(t, evaluation.ConclusionFail)
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionReevaluation, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.reevaluation_no_rectification" {
		t.Errorf("a re-evaluation before the rectification: %v", err)
	}
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionFail, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.StartRectification(ctx, o.staff, pid, "", "限期整改。"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPassAfterRectification, ""); wantCode(t, err, evaluation.Conflict).Message != "error.reevaluation_not_opened" {
		t.Errorf("a re-evaluation's conclusion before it is opened: %v", err)
	}
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionDiscussion, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.revision_concluded" {
		t.Errorf("a discussion after the conclusion: %v", err)
	}
	rev, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionReevaluation, note, "")
	if err != nil || rev.Kind != evaluation.RevisionReevaluation || rev.Sheets != len(o.panel.Seated(evaluation.SeatTechnical)) {
		t.Fatalf("open the re-evaluation = %+v, %v", rev, err)
	}
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionReevaluation, note, ""); wantCode(t, err, evaluation.Conflict).Message != "error.reevaluation_once" {
		t.Errorf("a second re-evaluation: %v", err)
	}
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPassAfterRectification, ""); wantCode(t, err, evaluation.Conflict).Message != "error.reevaluation_pending" {
		t.Errorf("a re-evaluation's conclusion before the sheets are in: %v", err)
	}
	o.resubmitTechnical(t)
	// The revised sheets pass: a fail needs a reason, the pass does not.
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionFail, ""); wantCode(t, err, evaluation.Invalid).Fields["reason"] != "error.conclusion_reason_required" {
		t.Errorf("a fail against the re-evaluation without a reason: %v", err)
	}
	rec, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionPassAfterRectification, "")
	if err != nil || rec.Round != 2 || rec.Proposed != evaluation.ConclusionPassAfterRectification {
		t.Fatalf("the re-evaluation's conclusion = %+v, %v", rec, err)
	}
	if _, err := svc.OpenRevision(ctx, o.staff, pid, evaluation.RevisionReevaluation, note, ""); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("a re-evaluation after its conclusion: %v", err)
	}
	if c, err := o.svc.Campaigns.TransitionCampaign(ctx, o.staff, o.c.ID, evaluation.CampaignSubmitted, ""); err != nil || c.State != evaluation.CampaignSubmitted {
		t.Errorf("submit the campaign = %+v, %v", c, err)
	}
}

// resubmitTechnical submits every reopened technical sheet again.
func (o *opinionEnv) resubmitTechnical(t *testing.T) {
	t.Helper()
	for _, a := range append([]evaluation.Actor{o.chair}, o.members...) {
		if sh, err := o.db.Sheet(t.Context(), o.project.ID, a.ExpertID); err == nil && sh.Status == evaluation.SheetReopened {
			o.submit(t, a)
		}
	}
}

// sameSheets reports whether two listings of sheets hold the same rows.
func sameSheets(a, b []*evaluation.Sheet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Status != b[i].Status || a[i].Version != b[i].Version || a[i].Round != b[i].Round {
			return false
		}
	}
	return true
}

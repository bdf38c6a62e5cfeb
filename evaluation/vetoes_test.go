package evaluation_test

import (
	"encoding/json"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
)

// storedVetoes is the project's veto confirmations as stored and the
// audit log's length, to compare around a refusal.
func (o *opinionEnv) storedVetoes(t *testing.T) string {
	t.Helper()
	list, err := o.db.VetoConfirmations(t.Context(), o.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + " " + idString(int64(o.auditCount(t)))
}

// flagV2 has the first technical member but the chair flag veto item V2
// (unauthorised change of the technical route) on their sheet; the others
// flag nothing, so the veto does not hold on the sheets (1 of 5).
func (o *opinionEnv) flagV2(t *testing.T) {
	t.Helper()
	o.submit(t, o.chair)
	flag := true
	for _, m := range o.members {
		o.submitWith(t, m, func(c *evaluation.SheetContent) {
			if _, technical := c.Scores["A1"]; technical && flag {
				c.Vetoes, flag = []rubrics.VetoFlag{{Code: "V2", Evidence: "技术路线由激光雷达改为视觉方案，未见批复。"}}, false
			}
		})
	}
}

// resultOf is the project's official result in the campaign's results.
func (o *opinionEnv) resultOf(t *testing.T) aggregate.Result {
	t.Helper()
	res, err := o.svc.Results.CampaignResults(t.Context(), o.staff, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res.Report.Results[0]
}

// The agency confirms a veto item flagged on too few sheets to hold: only
// its own staff, while the campaign scores or concludes, an item of the
// project's rubrics, with a reason, once, and not after a conclusion; the
// confirmed veto holds, in the campaign's results and the chair's, and
// fails the project.
func TestConfirmVeto(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Results
	commission := o.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()
	o.flagV2(t)

	r := o.resultOf(t)
	if len(r.Vetoes) != 1 || r.Vetoes[0].Veto != "V2" || r.Vetoes[0].Flags != 1 || r.Vetoes[0].Held || r.Proposal != aggregate.Pass {
		t.Fatalf("before: vetoes %+v, proposal %s; want V2 flagged once, not held, a pass", r.Vetoes, r.Proposal)
	}

	const why = "经核查，项目未经批准调整技术路线，情况属实。"
	for _, tc := range []struct {
		name        string
		as          evaluation.Actor
		track       aggregate.Track
		code, why   string
		want        evaluation.Code
		field, text string
	}{
		{"an expert", o.chair, "", "V2", why, evaluation.NotFound, "", ""},
		{"another agency", o.other, "", "V2", why, evaluation.NotFound, "", ""},
		{"the commission", commission, "", "V2", why, evaluation.Forbidden, "", ""},
		{"no reason", o.staff, "", "V2", "  ", evaluation.Invalid, "reason", "error.reason_required"},
		{"no code", o.staff, "", "", why, evaluation.Invalid, "code", "error.required"},
		{"an unknown code", o.staff, "", "V9", why, evaluation.Invalid, "code", "error.veto_unknown"},
		{"a code the track's rubric lacks", o.staff, aggregate.TrackFinance, "V2", why, evaluation.Invalid, "code", "error.veto_unknown"},
		{"an unknown track", o.staff, "legal", "V2", why, evaluation.Invalid, "track", "error.veto_track"},
		{"a code of both rubrics without its track", o.staff, "", "V1", why, evaluation.Invalid, "track", "error.veto_track_required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := o.storedVetoes(t)
			_, err := svc.ConfirmVeto(ctx, tc.as, pid, tc.track, tc.code, tc.why)
			if e := wantCode(t, err, tc.want); tc.field != "" && e.Fields[tc.field] != tc.text {
				t.Errorf("fields = %v, want %s on %s", e.Fields, tc.text, tc.field)
			}
			if o.storedVetoes(t) != before {
				t.Error("a refused confirmation changed the store")
			}
		})
	}

	v, err := svc.ConfirmVeto(ctx, o.staff, pid, "", " V2 ", why)
	if err != nil || v.Track != aggregate.TrackTechnical || v.Code != "V2" || v.Reason != why || v.ConfirmedByName != o.staff.Username {
		t.Fatalf("confirm V2 = %+v, %v", v, err)
	}
	if a := o.lastAudit(t); a.Action != "project.confirm_veto" || details(t, a)["code"] != "V2" || details(t, a)["reason"] != why {
		t.Errorf("the audit entry = %+v", a)
	}
	r = o.resultOf(t)
	if len(r.Vetoes) != 1 || !r.Vetoes[0].Held || !r.Vetoes[0].Confirmed || r.Vetoes[0].Majority || r.Vetoes[0].Reason != why {
		t.Errorf("after: vetoes %+v; want V2 held by the confirmation", r.Vetoes)
	}
	if r.Proposal != aggregate.Fail || len(r.Reasons) != 1 || r.Reasons[0].Code != aggregate.VetoHeld || r.Reasons[0].Veto != "V2" || !r.Reasons[0].Confirmed {
		t.Errorf("after: proposal %s for %+v; want a fail for the veto held", r.Proposal, r.Reasons)
	}
	if pr, err := svc.ProjectResult(ctx, o.chair, pid); err != nil || pr.Result.Proposal != aggregate.Fail || len(pr.Result.Vetoes) != 1 || !pr.Result.Vetoes[0].Confirmed {
		t.Errorf("the chair's result = %+v, %v; want the confirmed veto", pr, err)
	}
	res, err := svc.CampaignResults(ctx, o.staff, o.c.ID)
	if err != nil || len(res.Confirmations) != 1 || res.Confirmations[0].Code != "V2" {
		t.Errorf("the results' confirmations = %+v, %v", res.Confirmations, err)
	}

	// Once: the same item again is refused, with or without its track.
	for _, track := range []aggregate.Track{"", aggregate.TrackTechnical} {
		before := o.storedVetoes(t)
		if _, err := svc.ConfirmVeto(ctx, o.staff, pid, track, "V2", "再次确认"); wantCode(t, err, evaluation.Conflict).Message != "error.veto_confirmed_already" {
			t.Errorf("V2 again (track %q): %v", track, err)
		}
		if o.storedVetoes(t) != before {
			t.Error("a second confirmation changed the store")
		}
	}
	// The finance rubric's V1 (falsified financial materials), named by
	// its track, while concluding.
	o.concluding(t)
	if v, err = svc.ConfirmVeto(ctx, o.staff, pid, aggregate.TrackFinance, "V1", "审计报告与会计凭证不符。"); err != nil || v.Track != aggregate.TrackFinance {
		t.Fatalf("confirm finance V1 = %+v, %v", v, err)
	}
	if r = o.resultOf(t); len(r.Vetoes) != 2 || r.Vetoes[1].Track != aggregate.TrackFinance || !r.Vetoes[1].Held {
		t.Errorf("after finance V1: vetoes %+v", r.Vetoes)
	}

	// After a conclusion: refused, nothing changed.
	if _, err := svc.RecordConclusion(ctx, o.staff, pid, evaluation.ConclusionClosed, "承担单位注销，按结题处理。"); err != nil {
		t.Fatal(err)
	}
	before := o.storedVetoes(t)
	if _, err := svc.ConfirmVeto(ctx, o.staff, pid, "", "V4", why); wantCode(t, err, evaluation.Conflict).Message != "error.veto_after_conclusion" {
		t.Errorf("a confirmation after the conclusion: %v", err)
	}
	if o.storedVetoes(t) != before {
		t.Error("a refused confirmation changed the store")
	}
	// Submitted: the campaign takes none.
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, o.staff, o.c.ID, evaluation.CampaignSubmitted, ""); err != nil {
		t.Fatal(err)
	}
	before = o.storedVetoes(t)
	if _, err := svc.ConfirmVeto(ctx, o.staff, pid, "", "V4", why); wantCode(t, err, evaluation.Conflict).Message != "error.veto_closed" {
		t.Errorf("a confirmation once submitted: %v", err)
	}
	if o.storedVetoes(t) != before {
		t.Error("a refused confirmation changed the store")
	}

	// The store keeps confirmations as recorded.
	err = o.db.InTx(ctx, func(tx evaluation.Tx) error {
		v.Reason = "改写"
		return tx.AddVetoConfirmation(ctx, v)
	})
	if evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("the store recorded a confirmation twice: %v", err)
	}
	if _, err := o.db.ExecContext(ctx, `UPDATE veto_confirmations SET reason = 'x'`); err == nil {
		t.Error("the store changed a confirmation")
	}
	if _, err := o.db.ExecContext(ctx, `DELETE FROM veto_confirmations`); err == nil {
		t.Error("the store deleted a confirmation")
	}
}

package evaluation_test

import (
	"encoding/json"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// opinionEnv is a scoring campaign's project whose panel members have
// opened it (pledge and declaration); submitAll submits every sheet.
type opinionEnv struct {
	*scoringEnv
	chair   evaluation.Actor
	members []evaluation.Actor // the accepted members but the chair
}

func newOpinionEnv(t *testing.T) *opinionEnv {
	t.Helper()
	return newOpinionEnvWith(t, nil)
}

// newOpinionEnvWith is newOpinionEnv with the campaign's settings changed
// by change (nil for none) before it is created.
func newOpinionEnvWith(t *testing.T, change func(*evaluation.CampaignSettings)) *opinionEnv {
	t.Helper()
	s := newScoringEnvWith(t, change)
	o := &opinionEnv{scoringEnv: s}
	for _, m := range s.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			continue
		}
		a := s.expertActor(t, m.Expert)
		s.open(t, a)
		if m.Chair {
			o.chair = a
		} else {
			o.members = append(o.members, a)
		}
	}
	if o.chair.ExpertID == 0 || len(o.members) < 2 {
		t.Fatalf("the panel needs a chair and two other members: %+v", s.panel.Members)
	}
	return o
}

// submit submits the actor's sheet.
func (o *opinionEnv) submit(t *testing.T, a evaluation.Actor) {
	t.Helper()
	o.submitWith(t, a, nil)
}

// submitWith submits the actor's sheet changed by change (nil for none).
func (o *opinionEnv) submitWith(t *testing.T, a evaluation.Actor, change func(*evaluation.SheetContent)) {
	t.Helper()
	c := complete()
	if m, ok := o.panel.MemberOf(a.ExpertID); ok && m.Seat == evaluation.SeatFinance {
		c = evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"F1": pts(16), "F2": pts(20),
			"F3": pts(20), "F4": pts(24)}, Opinion: "资金使用基本合规。"}, FinancePass: ptr(true)}
	}
	if change != nil {
		change(&c)
	}
	sh, err := o.db.Sheet(t.Context(), o.project.ID, a.ExpertID)
	base := 0
	if err == nil {
		base = sh.Version
	}
	if _, err := o.svc.Sheets.SaveSheet(t.Context(), a, o.project.ID, base, c, true); err != nil {
		t.Fatalf("submit the sheet of expert %d: %v", a.ExpertID, err)
	}
}

// storedOpinion is the opinion as stored, to compare around a refusal.
func (o *opinionEnv) storedOpinion(t *testing.T) string {
	t.Helper()
	op, err := o.db.Opinion(t.Context(), o.project.ID)
	if evaluation.ErrorCode(err) == evaluation.NotFound {
		return "none"
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(op)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var draft = evaluation.OpinionInput{Text: "项目完成了任务书规定的主要考核指标，专家组同意通过。", Proposed: evaluation.ConclusionPass}

// The panel opinion's workflow: the chair drafts it once every sheet is
// in, circulates it, the members confirm or dissent (with a reason), and
// it locks when all have answered; every refusal leaves it as it was.
func TestPanelOpinion(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Results

	// Not before every sheet is in; only the chair.
	o.submit(t, o.chair)
	e := wantCode(t, func() error { _, err := svc.SaveOpinion(ctx, o.chair, pid, 0, draft); return err }(), evaluation.Conflict)
	if e.Message != "error.opinion_sheets_missing" || e.Args[""]["Count"] != len(o.members) {
		t.Errorf("a draft before the sheets are in: %v %v", e, e.Args)
	}
	for _, m := range o.members {
		o.submit(t, m)
	}
	if _, err := svc.SaveOpinion(ctx, o.members[0], pid, 0, draft); wantCode(t, err, evaluation.Forbidden).Message != "error.opinion_chair_only" {
		t.Errorf("a member drafts: %v", err)
	}
	bad := evaluation.OpinionInput{Text: "  ", Proposed: "maybe"}
	if e := wantCode(t, func() error { _, err := svc.SaveOpinion(ctx, o.chair, pid, 0, bad); return err }(), evaluation.Invalid); e.Fields["text"] != "error.required" || e.Fields["proposed"] != "error.invalid_value" {
		t.Errorf("a blank draft: %v", e)
	}
	if got := o.storedOpinion(t); got != "none" {
		t.Fatalf("refusals stored an opinion: %s", got)
	}

	op, err := svc.SaveOpinion(ctx, o.chair, pid, 0, draft)
	if err != nil || op.Version != 1 || op.Status != evaluation.OpinionDraft || op.ChairID != o.chair.ExpertID {
		t.Fatalf("the chair's draft = %+v, %v", op, err)
	}
	// A draft is the chair's: members do not see it; the agency does,
	// another agency does not.
	if _, err := svc.Opinion(ctx, o.members[0], pid); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("a member reads the draft: %v", err)
	}
	if got, err := svc.Opinion(ctx, o.staff, pid); err != nil || got.Text != draft.Text {
		t.Errorf("the agency reads the opinion: %+v, %v", got, err)
	}
	if _, err := svc.Opinion(ctx, o.other, pid); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another agency reads the opinion: %v", err)
	}
	before := o.storedOpinion(t)
	if _, err := svc.SaveOpinion(ctx, o.chair, pid, 0, draft); wantCode(t, err, evaluation.Conflict).Fields["version"] != "error.opinion_stale" {
		t.Errorf("a stale save: %v", err)
	}
	if _, err := svc.CirculateOpinion(ctx, o.chair, pid, 0); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("a stale circulation: %v", err)
	}
	if o.storedOpinion(t) != before {
		t.Error("a stale save or circulation changed the opinion")
	}

	// Circulated: members read it and answer; a dissent needs a reason;
	// the chair does not answer their own; no sheet is reopened under it.
	if op, err = svc.CirculateOpinion(ctx, o.chair, pid, 1); err != nil || op.Status != evaluation.OpinionCirculating {
		t.Fatalf("circulate = %+v, %v", op, err)
	}
	if got, err := svc.Opinion(ctx, o.members[0], pid); err != nil || got.Status != evaluation.OpinionCirculating {
		t.Errorf("a member reads the circulated opinion: %+v, %v", got, err)
	}
	if _, err := svc.RespondOpinion(ctx, o.members[0], pid, false, " "); wantCode(t, err, evaluation.Invalid).Fields["reason"] != "error.reason_required" {
		t.Errorf("a dissent without a reason: %v", err)
	}
	if _, err := svc.RespondOpinion(ctx, o.chair, pid, true, ""); wantCode(t, err, evaluation.Conflict).Message != "error.opinion_own" {
		t.Errorf("the chair answers their own opinion: %v", err)
	}
	sh, err := o.db.Sheet(ctx, pid, o.members[0].ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Sheets.ReopenSheet(ctx, o.staff, sh.ID, "请复核评分"); wantCode(t, err, evaluation.Conflict).Message != "error.opinion_circulated" {
		t.Errorf("a sheet reopened under a circulated opinion: %v", err)
	}
	if _, err := svc.RespondOpinion(ctx, o.members[0], pid, true, ""); err != nil {
		t.Fatal(err)
	}

	// The chair revises: the opinion is a draft again and the answers go.
	revised := evaluation.OpinionInput{Text: draft.Text + "建议加强成果转化。", Proposed: evaluation.ConclusionPass}
	if op, err = svc.SaveOpinion(ctx, o.chair, pid, 1, revised); err != nil || op.Status != evaluation.OpinionDraft || len(op.Responses) != 0 || op.Version != 2 {
		t.Fatalf("revise = %+v, %v", op, err)
	}
	if op, err = svc.CirculateOpinion(ctx, o.chair, pid, 2); err != nil || len(op.Responses) != 0 {
		t.Fatalf("circulate again = %+v, %v", op, err)
	}

	// Every member answers, one dissenting: the opinion locks.
	for i, m := range o.members {
		agree, reason := i != 0, ""
		if !agree {
			reason = "成果转化不足，建议整改后通过。"
		}
		if op, err = svc.RespondOpinion(ctx, m, pid, agree, reason); err != nil {
			t.Fatalf("member %d answers: %v", i, err)
		}
		if last := i == len(o.members)-1; (op.Status == evaluation.OpinionLocked) != last {
			t.Errorf("after %d of %d answers the opinion is %s", i+1, len(o.members), op.Status)
		}
	}
	if op.Dissents() != 1 || op.LockedAt.IsZero() {
		t.Errorf("the locked opinion = %+v", op)
	}
	if a := o.lastAudit(t); a.Action != "opinion.lock" || details(t, a)["dissents"] != float64(1) {
		t.Errorf("the last audit entry = %+v", a)
	}

	// Locked: nothing changes it, through the service or the store.
	before = o.storedOpinion(t)
	if _, err := svc.SaveOpinion(ctx, o.chair, pid, 2, draft); wantCode(t, err, evaluation.Conflict).Message != "error.opinion_locked" {
		t.Errorf("a save after locking: %v", err)
	}
	if _, err := svc.RespondOpinion(ctx, o.members[0], pid, true, ""); wantCode(t, err, evaluation.Conflict).Message != "error.opinion_locked" {
		t.Errorf("an answer after locking: %v", err)
	}
	err = o.db.InTx(ctx, func(tx evaluation.Tx) error {
		op.Text = "改写"
		return tx.UpdateOpinion(ctx, op)
	})
	if err == nil {
		t.Error("the store changed a locked opinion")
	}
	err = o.db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteOpinionResponses(ctx, pid) })
	if err == nil {
		t.Error("the store deleted a locked opinion's responses")
	}
	if o.storedOpinion(t) != before {
		t.Error("a locked opinion changed")
	}
}

// An opinion is not taken once the campaign has moved past conclusions,
// and an expert outside the panel does not find it.
func TestPanelOpinionAccess(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	var outsider evaluation.Actor // an alternate: on the panel's list, without a seat
	for _, m := range o.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			outsider = o.expertActor(t, m.Expert)
			break
		}
	}
	if outsider.ExpertID == 0 {
		t.Fatal("the panel has no alternate")
	}
	if _, err := o.svc.Results.Opinion(ctx, outsider, o.project.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("an expert outside the panel: %v", err)
	}
	if _, err := o.svc.Results.SaveOpinion(ctx, outsider, o.project.ID, 0, draft); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("an expert outside the panel drafts: %v", err)
	}
	if _, err := o.svc.Results.SaveOpinion(ctx, o.staff, o.project.ID, 0, draft); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("agency staff draft: %v", err)
	}
	if _, err := o.svc.Results.RespondOpinion(ctx, o.members[0], o.project.ID, true, ""); wantCode(t, err, evaluation.Conflict).Message != "error.opinion_not_circulating" {
		t.Errorf("an answer with no opinion: %v", err)
	}
}

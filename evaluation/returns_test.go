package evaluation_test

import (
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// submitted takes the env's campaign to the commission: every sheet in, the
// opinion locked, the project passed.
func (o *opinionEnv) submitted(t *testing.T) {
	t.Helper()
	o.submitAll(t)
	o.lockOpinion(t, evaluation.ConclusionPass)
	o.concluding(t)
	if _, err := o.svc.Results.RecordConclusion(t.Context(), o.staff, o.project.ID, evaluation.ConclusionPass, ""); err != nil {
		t.Fatal(err)
	}
	o.move(t, o.staff, evaluation.CampaignSubmitted)
}

func (o *opinionEnv) move(t *testing.T, as evaluation.Actor, to evaluation.CampaignState) {
	t.Helper()
	if _, err := o.svc.Campaigns.TransitionCampaign(t.Context(), as, o.c.ID, to, ""); err != nil {
		t.Fatalf("move the campaign to %s: %v", to, err)
	}
}

func (o *opinionEnv) returns(t *testing.T) []*evaluation.Return {
	t.Helper()
	list, err := o.db.Returns(t.Context(), o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// The commission returns chosen projects, each with its comment: it marks
// them (a draft the agency does not see), sends them with the campaign,
// and the agency answers each before the campaign goes back; every round
// stays as it was sent. Wrong role or state: refused, nothing changed.
func TestCommissionReturnsProjects(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	pid := o.project.ID
	svc := o.svc.Review
	commission := o.user(t, evaluation.NewUser{Username: "sstc.review", Name: "市科委审核", Role: evaluation.RoleCommission}).Actor()
	const comment = "项目经费结余比例较高，请核实财务专家意见后说明结论依据。"

	// Not before the campaign reaches the commission.
	if _, err := svc.MarkReturn(ctx, commission, pid, comment); wantCode(t, err, evaluation.Conflict).Message != "error.review_closed" {
		t.Errorf("a return while scoring: %v", err)
	}
	o.submitted(t)
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, commission, o.c.ID, evaluation.CampaignReturned, "退回"); wantCode(t, err, evaluation.Conflict).Fields["to"] != "error.return_needs_projects" {
		t.Errorf("a return without projects: %v", err)
	}
	if _, err := svc.ReturnCampaign(ctx, commission, o.c.ID, "请核实"); wantCode(t, err, evaluation.Conflict).Message != "error.return_no_projects" {
		t.Errorf("sending no project: %v", err)
	}
	for _, tc := range []struct {
		name    string
		as      evaluation.Actor
		comment string
		code    evaluation.Code
	}{
		{"agency staff", o.staff, comment, evaluation.Forbidden},
		{"another agency", o.other, comment, evaluation.NotFound},
		{"an expert", o.chair, comment, evaluation.NotFound},
		{"an administrator", o.admin, comment, evaluation.Forbidden},
		{"no comment", commission, " ", evaluation.Invalid},
	} {
		if _, err := svc.MarkReturn(ctx, tc.as, pid, tc.comment); evaluation.ErrorCode(err) != tc.code {
			t.Errorf("%s marks: %v, want %s", tc.name, err, tc.code)
		}
		if n := len(o.returns(t)); n != 0 {
			t.Fatalf("%s: %d returns stored", tc.name, n)
		}
	}

	// Marked, changed, unmarked, marked again: a draft only the commission
	// sees.
	if _, err := svc.MarkReturn(ctx, commission, pid, "初稿"); err != nil {
		t.Fatal(err)
	}
	r, err := svc.MarkReturn(ctx, commission, pid, comment)
	if err != nil || r.Round != 1 || r.Comment != comment {
		t.Fatalf("mark = %+v, %v", r, err)
	}
	if list, err := svc.Returns(ctx, o.staff, o.c.ID); err != nil || len(list) != 0 {
		t.Errorf("the agency sees the draft: %+v, %v", list, err)
	}
	if err := svc.UnmarkReturn(ctx, commission, pid); err != nil {
		t.Fatal(err)
	}
	if err := svc.UnmarkReturn(ctx, commission, pid); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("unmark twice: %v", err)
	}
	if _, err := svc.MarkReturn(ctx, commission, pid, comment); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReturnCampaign(ctx, o.staff, o.c.ID, "请核实"); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("agency staff send the return: %v", err)
	}
	if _, err := svc.ReturnCampaign(ctx, commission, o.c.ID, " "); wantCode(t, err, evaluation.Invalid).Fields["reason"] == "" {
		t.Errorf("a return without a reason: %v", err)
	}
	c, err := svc.ReturnCampaign(ctx, commission, o.c.ID, "个别项目结论依据需补充说明。")
	if err != nil || c.State != evaluation.CampaignReturned {
		t.Fatalf("return = %+v, %v", c, err)
	}
	if a := o.lastAudit(t); a.Action != "campaign.transition" || details(t, a)["to"] != "returned" {
		t.Errorf("the audit entry = %+v", a)
	}
	list, err := svc.Returns(ctx, o.staff, o.c.ID)
	if err != nil || len(list) != 1 || !list[0].Sent || list[0].Comment != comment || list[0].Code != o.project.Code {
		t.Fatalf("the agency's returns = %+v, %v", list, err)
	}
	// Sent: the commission's comment is kept as it was.
	if _, err := svc.MarkReturn(ctx, commission, pid, "改"); wantCode(t, err, evaluation.Conflict).Message != "error.review_closed" {
		t.Errorf("a change after sending: %v", err)
	}
	err = o.db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteReturn(ctx, o.c.ID, 1, pid) })
	if err == nil {
		t.Error("the store deleted a sent return")
	}

	// The agency answers, changes its conclusion, and submits again only
	// once every return is answered.
	o.move(t, o.staff, evaluation.CampaignConcluding)
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, o.staff, o.c.ID, evaluation.CampaignSubmitted, ""); wantCode(t, err, evaluation.Conflict).Fields["to"] != "error.returns_unanswered" {
		t.Errorf("submitting with a return unanswered: %v", err)
	}
	for _, tc := range []struct {
		name   string
		as     evaluation.Actor
		answer string
		code   evaluation.Code
	}{
		{"the commission", commission, "已核实", evaluation.Forbidden},
		{"another agency", o.other, "已核实", evaluation.NotFound},
		{"no answer", o.staff, "", evaluation.Invalid},
	} {
		if _, err := svc.AnswerReturn(ctx, tc.as, pid, tc.answer); evaluation.ErrorCode(err) != tc.code {
			t.Errorf("%s answers: %v, want %s", tc.name, err, tc.code)
		}
	}
	const answer = "已会同财务专家核实：结余经费已按规定上缴，结论维持通过。"
	if r, err = svc.AnswerReturn(ctx, o.staff, pid, answer); err != nil || r.Answer != answer || r.AnsweredByName != o.staff.Username {
		t.Fatalf("answer = %+v, %v", r, err)
	}
	o.move(t, o.staff, evaluation.CampaignSubmitted)
	if _, err := svc.AnswerReturn(ctx, o.staff, pid, "改"); wantCode(t, err, evaluation.Conflict).Message != "error.return_answer_closed" {
		t.Errorf("an answer after submitting again: %v", err)
	}

	// A second round: the first stays as it was sent and answered.
	if _, err := svc.MarkReturn(ctx, commission, pid, "请补充整改材料。"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ReturnCampaign(ctx, commission, o.c.ID, "第二轮"); err != nil {
		t.Fatal(err)
	}
	list = o.returns(t)
	if len(list) != 2 || list[0].Round != 1 || list[0].Answer != answer || list[1].Round != 2 || list[1].Answer != "" {
		t.Errorf("the rounds = %+v", list)
	}
}

// The commission's approval starts the publicity: not with projects still
// marked to return, not by agency staff, not for an out-of-range period;
// then the public notice lists the projects and their conclusions, and the
// campaign closes only after the period.
func TestApprovalStartsThePublicity(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	svc := o.svc.Review
	commission := o.user(t, evaluation.NewUser{Username: "sstc.review", Name: "市科委审核", Role: evaluation.RoleCommission}).Actor()
	o.submitted(t)
	if _, err := svc.PublicNotice(ctx, o.c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("a public notice before approval: %v", err)
	}
	if _, err := svc.MarkReturn(ctx, commission, o.project.ID, "请核实"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ApproveCampaign(ctx, commission, o.c.ID, 0, ""); wantCode(t, err, evaluation.Conflict).Message != "error.approve_with_returns" {
		t.Errorf("approval with a project marked to return: %v", err)
	}
	if err := svc.UnmarkReturn(ctx, commission, o.project.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		as   evaluation.Actor
		days int
		code evaluation.Code
	}{
		{"agency staff", o.staff, 5, evaluation.Forbidden},
		{"an expert", o.chair, 5, evaluation.NotFound},
		{"a period too long", commission, 31, evaluation.Invalid},
		{"a negative period", commission, -1, evaluation.Invalid},
	} {
		if _, err := svc.ApproveCampaign(ctx, tc.as, o.c.ID, tc.days, ""); evaluation.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	c, err := svc.ApproveCampaign(ctx, commission, o.c.ID, 0, "公示期间如有异议，请以书面形式向市科委反映。")
	if err != nil || c.State != evaluation.CampaignPublished {
		t.Fatalf("approve = %+v, %v", c, err)
	}
	today := o.clock.now().In(evaluation.Beijing)
	n, err := svc.PublicNotice(ctx, o.c.ID)
	if err != nil || n.Publicity.Days != evaluation.DefaultPublicityDays || n.Publicity.Starts != today.Format("2006-01-02") ||
		n.Publicity.Ends != today.AddDate(0, 0, 5).Format("2006-01-02") || n.AgencyZH == "" {
		t.Fatalf("the notice = %+v, %v", n, err)
	}
	if len(n.Projects) != 1 || n.Projects[0].Code != o.project.Code || n.Projects[0].Conclusion != evaluation.ConclusionPass {
		t.Errorf("the notice's projects = %+v", n.Projects)
	}
	if _, err := o.svc.Campaigns.TransitionCampaign(ctx, commission, o.c.ID, evaluation.CampaignClosed, ""); wantCode(t, err, evaluation.Conflict).Fields["to"] != "error.publicity_running" {
		t.Errorf("closing during the publicity: %v", err)
	}
	o.clock.advance(6 * 24 * time.Hour)
	o.move(t, commission, evaluation.CampaignClosed)
	if _, err := svc.PublicNotice(ctx, o.c.ID); err != nil {
		t.Errorf("the notice of a closed campaign: %v", err)
	}
}

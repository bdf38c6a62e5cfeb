package web

import (
	"slices"
	"strconv"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// opinionPages: the panel's opinion (专家组意见) in the expert's
// workspace: the chair drafts and sends it, the members confirm or
// dissent.
func (a *App) opinionPages() {
	read, write := rbac.Read("opinion"), rbac.Write("opinion")
	a.route(get, "/workspace/projects/:id/opinion", read, a.opinionPage)
	a.route(post, "/workspace/projects/:id/opinion", write, a.opinionForm)
	a.route(post, "/workspace/projects/:id/opinion/response", write, a.opinionResponseForm)
}

// opinionData is the opinion page: the assignment, the opinion when the
// expert may see it, their own answer, and a refused form's values and
// problems.
type opinionData struct {
	Assignment evaluation.Assignment
	// Result and Reasons: the project's figures the chair drafts beside,
	// once their own sheet is in.
	Result  *aggregate.Result
	Reasons []string
	Opinion *evaluation.Opinion
	Own     *evaluation.OpinionResponse
	Agreed  int
	Choices []evaluation.Conclusion
	// The form as typed: the chair's text and proposal, a member's answer.
	Text     string
	Proposed evaluation.Conclusion
	Agree    string
	Reason   string
	Error    string
	Fields   map[string]string
	// Lost is a refusal's messages when the page no longer offers the
	// form (renderRefusedForm).
	Lost []string
}

// CanDraft: the chair, while the opinion is not yet sent.
func (d *opinionData) CanDraft() bool {
	return d.Assignment.Chair && (d.Opinion == nil || d.Opinion.Status == evaluation.OpinionDraft)
}

// CanAnswer: a member who has not answered the circulating opinion.
func (d *opinionData) CanAnswer() bool {
	return !d.Assignment.Chair && d.Opinion != nil && d.Opinion.Status == evaluation.OpinionCirculating && d.Own == nil
}

// Version is the opinion's version, 0 before the first save.
func (d *opinionData) Version() int {
	if d.Opinion == nil {
		return 0
	}
	return d.Opinion.Version
}

func (a *App) opinionView(c *fiber.Ctx) (*opinionData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, act := c.UserContext(), actor(c)
	ep, err := a.sheets.Project(ctx, act, id)
	if err != nil {
		return nil, err
	}
	d := &opinionData{Assignment: ep.Assignment, Choices: evaluation.ProposedConclusions}
	if d.Assignment.Chair && d.Assignment.Status == evaluation.SheetSubmitted {
		pr, err := a.results.ProjectResult(ctx, act, id)
		if err != nil {
			return nil, err
		}
		d.Result, d.Reasons = &pr.Result, a.reasonTexts(c, rubricNames(pr.Rubrics), &pr.Result)
	}
	o, err := a.results.Opinion(ctx, act, id)
	switch {
	case evaluation.ErrorCode(err) == evaluation.NotFound:
	case err != nil:
		return nil, err
	default:
		d.Opinion, d.Text, d.Proposed = o, o.Text, o.Proposed
		if r, ok := o.Response(act.ExpertID); ok {
			d.Own = &r
		}
		for _, r := range o.Responses {
			if r.Agree {
				d.Agreed++
			}
		}
	}
	return d, nil
}

func (a *App) renderOpinion(c *fiber.Ctx, d *opinionData) error {
	return a.render(c, "workspace_opinion", a.T(c, "results.opinion")+" · "+d.Assignment.Project.Code, d)
}

func (a *App) opinionPage(c *fiber.Ctx) error {
	d, err := a.opinionView(c)
	if err != nil {
		return err
	}
	return a.renderOpinion(c, d)
}

// opinionRefused shows a refused form with its problems, or reports false.
func (a *App) opinionRefused(c *fiber.Ctx, d *opinionData, err error) bool {
	fields, msg, ok := a.formProblems(c, err)
	if !ok {
		return false
	}
	c.Status(statusOf[evaluation.ErrorCode(err)])
	d.Fields = fields
	// The message at the top when no field of the forms shows the
	// problem (the version of a stale copy is a hidden input), with what
	// that is.
	placed := []string{"text", "proposed", "agree", "reason"}
	for k := range fields {
		if !slices.Contains(placed, k) {
			d.Error = withUnplaced(msg, fields, placed...)
		}
	}
	if len(fields) == 0 {
		d.Error = msg
	}
	d.Lost = refusalLines(msg, fields)
	return true
}

// renderRefusedOpinion shows the page again after its form (formID) was
// refused, with the messages at the top if the page no longer offers it.
func (a *App) renderRefusedOpinion(c *fiber.Ctx, d *opinionData, formID string) error {
	lines := d.Lost
	d.Lost = nil
	return a.renderRefusedForm(c, "workspace_opinion", a.T(c, "results.opinion")+" · "+d.Assignment.Project.Code, d, formID, &d.Lost, lines)
}

// opinionForm saves the chair's draft (op=save) or sends it to the
// members (op=circulate).
func (a *App) opinionForm(c *fiber.Ctx) error {
	d, err := a.opinionView(c)
	if err != nil {
		return err
	}
	base, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || base < 0 {
		return evaluation.FieldErrors{"version": "error.required_field"}.Err()
	}
	id := d.Assignment.Project.ID
	ctx, act := c.UserContext(), actor(c)
	if c.FormValue("op") == "circulate" {
		_, err = a.results.CirculateOpinion(ctx, act, id, base)
		if !a.opinionRefused(c, d, err) && err == nil {
			a.flash(c, a.T(c, "results.opinion_sent"))
			return c.Redirect(workspaceURL(id)+"/opinion", fiber.StatusSeeOther)
		}
	} else {
		d.Text, d.Proposed = c.FormValue("text"), evaluation.Conclusion(c.FormValue("proposed"))
		_, err = a.results.SaveOpinion(ctx, act, id, base, evaluation.OpinionInput{Text: d.Text, Proposed: d.Proposed})
		if !a.opinionRefused(c, d, err) && err == nil {
			a.flash(c, a.T(c, "results.opinion_saved"))
			return c.Redirect(workspaceURL(id)+"/opinion", fiber.StatusSeeOther)
		}
	}
	if err != nil && d.Fields == nil && d.Error == "" {
		return err
	}
	if c.FormValue("op") == "circulate" {
		return a.renderRefusedOpinion(c, d, "circulate-form")
	}
	return a.renderRefusedOpinion(c, d, "opinion-form")
}

// opinionResponseForm records a member's confirmation or dissent.
func (a *App) opinionResponseForm(c *fiber.Ctx) error {
	d, err := a.opinionView(c)
	if err != nil {
		return err
	}
	d.Agree, d.Reason = c.FormValue("agree"), c.FormValue("reason")
	id := d.Assignment.Project.ID
	switch d.Agree {
	case "1", "0":
		_, err = a.results.RespondOpinion(c.UserContext(), actor(c), id, d.Agree == "1", d.Reason)
	default:
		err = evaluation.FieldErrors{"agree": "error.required_field"}.Err()
	}
	if a.opinionRefused(c, d, err) {
		return a.renderRefusedOpinion(c, d, "answer-form")
	}
	if err != nil {
		return err
	}
	a.flash(c, a.T(c, "results.opinion_answered"))
	return c.Redirect(workspaceURL(id)+"/opinion", fiber.StatusSeeOther)
}

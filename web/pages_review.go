package web

import (
	"fmt"
	"slices"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// reviewPages: the commission marks projects to return from their result
// pages and returns them from the campaign's results; the agency answers
// each on the project's result page.
func (a *App) reviewPages() {
	write, answer := rbac.Write("review"), rbac.Permission{Object: "review", Action: "answer"}
	a.route(post, "/projects/:id/result/return", write, a.markReturnForm)
	a.route(post, "/projects/:id/result/unreturn", write, a.unmarkReturnForm)
	a.route(post, "/projects/:id/result/answer", answer, a.answerReturnForm)
	a.route(post, "/campaigns/:id/results/return", write, a.returnCampaignForm)
}

// reviewBanner is the commission's review on the campaign's results: the
// round the commission drafts (its form to send it), or the latest round
// returned, for the agency to answer.
type reviewBanner struct {
	// Drafted are the projects marked in the round being drafted, shown
	// to the commission while the campaign is submitted.
	Drafted []*evaluation.Return
	CanSend bool
	// Returned are the latest round sent, with the agency's answers.
	Returned []*evaluation.Return
	Round    int
	// Unanswered counts the latest round's returns without an answer.
	Unanswered int
	Form       resultForm
}

// reviewOf splits a campaign's returns into the round drafted and the
// latest round sent.
func reviewOf(list []*evaluation.Return) reviewBanner {
	var b reviewBanner
	for _, r := range list {
		if r.Sent && r.Round > b.Round {
			b.Round = r.Round
		}
	}
	for _, r := range list {
		switch {
		case !r.Sent:
			b.Drafted = append(b.Drafted, r)
		case r.Round == b.Round:
			b.Returned = append(b.Returned, r)
			if r.Answer == "" {
				b.Unanswered++
			}
		}
	}
	return b
}

// reviewBannerOf reads the banner for the results page.
func (a *App) reviewBannerOf(c *fiber.Ctx, camp *evaluation.Campaign) (*reviewBanner, error) {
	act := actor(c)
	list, err := a.review.Returns(c.UserContext(), act, camp.ID)
	if err != nil {
		return nil, err
	}
	b := reviewOf(list)
	b.CanSend = act.Role == evaluation.RoleCommission && camp.State == evaluation.CampaignSubmitted
	if !b.CanSend {
		b.Drafted = nil
	}
	return &b, nil
}

// projectReview is the commission's review on a project's result page:
// every return of the project, the draft comment, and the forms.
type projectReview struct {
	Returns []*evaluation.Return // sent, oldest first
	Draft   *evaluation.Return
	// CanMark: the commission while the campaign is submitted.
	CanMark bool
	// Answerable is the latest round's return of the project the agency
	// may answer now; nil when none.
	Answerable *evaluation.Return
}

func (a *App) projectReviewView(c *fiber.Ctx, d *projectResultData) error {
	act := actor(c)
	list, err := a.review.Returns(c.UserContext(), act, d.Campaign.ID)
	if err != nil {
		return err
	}
	b := reviewOf(list)
	pr := projectReview{CanMark: act.Role == evaluation.RoleCommission && d.Campaign.State == evaluation.CampaignSubmitted}
	for _, r := range list {
		switch {
		case r.ProjectID != d.Project.ID:
		case r.Sent:
			pr.Returns = append(pr.Returns, r)
		case pr.CanMark:
			pr.Draft = r
		}
	}
	open := d.Campaign.State == evaluation.CampaignReturned || d.Campaign.State == evaluation.CampaignConcluding
	if evaluation.CanManageCampaign(act, d.Campaign) && open {
		if i := slices.IndexFunc(b.Returned, func(r *evaluation.Return) bool { return r.ProjectID == d.Project.ID }); i >= 0 {
			pr.Answerable = b.Returned[i]
		}
	}
	d.Review = pr
	return nil
}

type markReturnForm struct {
	Comment string `json:"comment" form:"comment" validate:"required,max=2000"`
}

func (a *App) markReturnForm(c *fiber.Ctx) error {
	form := resultForm{Kind: "return", Reason: c.FormValue("comment")}
	return a.resultAction(c, form, "review", func(id int64) error {
		var f markReturnForm
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.review.MarkReturn(c.UserContext(), actor(c), id, f.Comment)
		return err
	}, func(code string) string { return a.T(c, "review.marked_flash", "Code", code) })
}

func (a *App) unmarkReturnForm(c *fiber.Ctx) error {
	return a.resultAction(c, resultForm{Kind: "return"}, "review", func(id int64) error {
		return a.review.UnmarkReturn(c.UserContext(), actor(c), id)
	}, func(code string) string { return a.T(c, "review.unmarked_flash", "Code", code) })
}

type answerReturnForm struct {
	Answer string `json:"answer" form:"answer" validate:"required,max=2000"`
}

func (a *App) answerReturnForm(c *fiber.Ctx) error {
	form := resultForm{Kind: "answer", Reason: c.FormValue("answer")}
	return a.resultAction(c, form, "review", func(id int64) error {
		var f answerReturnForm
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.review.AnswerReturn(c.UserContext(), actor(c), id, f.Answer)
		return err
	}, func(code string) string { return a.T(c, "review.answered_flash", "Code", code) })
}

type returnCampaignForm struct {
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) returnCampaignForm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f returnCampaignForm
	if err = a.parseForm(c, &f); err == nil {
		_, err = a.review.ReturnCampaign(c.UserContext(), actor(c), id, f.Reason)
	}
	if e := evaluation.ErrorAs(err); e != nil && (e.Code == evaluation.Invalid || e.Code == evaluation.Conflict) {
		// Refused: the results again, with the note as typed.
		d, verr := a.resultsView(c)
		if verr != nil {
			return verr
		}
		c.Status(statusOf[e.Code])
		form := resultForm{Kind: "return", Reason: c.FormValue("reason")}
		form.Fields, form.Error, _ = a.formProblems(c, err)
		if len(form.Fields) > 0 {
			form.Error = ""
		}
		d.Review.Form = form
		fields, msg, _ := a.formProblems(c, err)
		return a.renderRefusedForm(c, "results", a.T(c, "results.title")+" · "+d.Campaign.Name, d, "return-form",
			&d.Review.Form.Lost, refusalLines(msg, fields))
	}
	if err != nil {
		return err
	}
	a.flash(c, a.T(c, "review.returned_flash"))
	return c.Redirect(fmt.Sprintf("/campaigns/%d/results#review", id), fiber.StatusSeeOther)
}

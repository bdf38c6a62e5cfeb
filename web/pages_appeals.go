package web

import (
	"slices"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// projectAppeals is a project's appeals on its result page, with the forms
// of whoever may act on them now.
type projectAppeals struct {
	List []*evaluation.Appeal
	// CanFile: the commission or the agency's staff while the publicity
	// runs.
	CanFile bool
	// CanSettle: the commission while the campaign is published.
	CanSettle bool
	Ends      string
	Reasons   []evaluation.AppealReason
	// Choices are the conclusions an appeal's re-evaluation may end in:
	// those of the project's current round.
	Choices []evaluation.Conclusion
	// Pending: a re-evaluated appeal still waits for revised sheets.
	Pending bool
}

// appealsOf keeps the project's appeals of a campaign's.
func appealsOf(list []*evaluation.Appeal, projectID int64) []*evaluation.Appeal {
	return slices.DeleteFunc(slices.Clone(list), func(ap *evaluation.Appeal) bool { return ap.ProjectID != projectID })
}

func (a *App) projectAppealsView(c *fiber.Ctx, d *projectResultData) error {
	camp, act := d.Campaign, actor(c)
	if camp.State != evaluation.CampaignPublished && camp.State != evaluation.CampaignClosed {
		return nil
	}
	list, err := a.review.Appeals(c.UserContext(), act, camp.ID)
	if err != nil {
		return err
	}
	pa := projectAppeals{List: appealsOf(list, d.Project.ID), Reasons: evaluation.AppealReasons}
	if camp.State == evaluation.CampaignPublished {
		p, err := a.publicity.Publicity(c.UserContext(), act, camp.ID)
		if err != nil {
			return err
		}
		pa.Ends = p.Ends
		pa.CanFile = !evaluation.PastDue(p.Ends, a.cfg.Now()) &&
			(act.Role == evaluation.RoleCommission || evaluation.CanManageCampaign(act, camp))
		pa.CanSettle = act.Role == evaluation.RoleCommission
	}
	round := 1
	if n := len(d.Conclusions); n > 0 {
		round = d.Conclusions[n-1].Round
	}
	pa.Choices = evaluation.ConclusionsOf(round)
	pa.Pending = len(d.Revisions.Revising) > 0
	d.Appeals = pa
	return nil
}

func (a *App) fileAppealForm(c *fiber.Ctx) error {
	var f appealRequest
	form := resultForm{Kind: "appeal", Code: c.FormValue("reason"), Appellant: c.FormValue("appellant"), Reason: c.FormValue("text")}
	var filed *evaluation.Appeal
	return a.resultAction(c, form, "appeals", func(id int64) error {
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		var err error
		filed, err = a.review.FileAppeal(c.UserContext(), actor(c), id, f.input())
		return err
	}, func(code string) string {
		if filed.Status == evaluation.AppealInadmissible {
			return a.T(c, "appeals.inadmissible_flash", "Code", code)
		}
		return a.T(c, "appeals.filed_flash", "Code", code)
	})
}

// appealAction is a commission's form on one of the project's appeals.
func (a *App) appealAction(c *fiber.Ctx, form resultForm, do func(projectID, appealID int64) error, flash string) error {
	appeal, err := paramID(c, "appeal")
	if err != nil {
		return err
	}
	form.AppealID = appeal
	return a.resultAction(c, form, "appeals", func(id int64) error { return do(id, appeal) },
		func(code string) string { return a.T(c, flash, "Code", code) })
}

func (a *App) rejectAppealForm(c *fiber.Ctx) error {
	return a.appealAction(c, resultForm{Kind: "appeal_reject", Reason: c.FormValue("reason")}, func(id, appeal int64) error {
		var f appealReasonRequest
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.review.RejectAppeal(c.UserContext(), actor(c), id, appeal, f.Reason)
		return err
	}, "appeals.rejected_flash")
}

func (a *App) reevaluateAppealForm(c *fiber.Ctx) error {
	form := resultForm{Kind: "appeal_reevaluate", Reason: c.FormValue("note"), Due: c.FormValue("due")}
	return a.appealAction(c, form, func(id, appeal int64) error {
		var f reevaluateRequest
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.review.ReevaluateAppeal(c.UserContext(), actor(c), id, appeal, f.Note, f.Due)
		return err
	}, "appeals.reevaluating_flash")
}

func (a *App) resolveAppealForm(c *fiber.Ctx) error {
	form := resultForm{Kind: "appeal_resolve", Conclusion: evaluation.Conclusion(c.FormValue("conclusion")), Reason: c.FormValue("reason")}
	return a.appealAction(c, form, func(id, appeal int64) error {
		var f resolveRequest
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.review.ResolveAppeal(c.UserContext(), actor(c), id, appeal, f.Conclusion, f.Reason)
		return err
	}, "appeals.resolved_flash")
}

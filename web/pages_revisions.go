package web

import (
	"slices"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// revisionPages: the agency sends a project's technical sheets back to its
// panel from the project's result page.
func (a *App) revisionPages() {
	a.route(post, "/projects/:id/result/revision", rbac.Write("conclusion"), a.projectRevisionForm)
}

// revisionSection is the revision rounds on a project's result page: the
// rounds opened, the members revising now, and whether the agency's staff
// may open a discussion or the re-evaluation.
type revisionSection struct {
	Rounds []*evaluation.Revision
	// Revising names the members whose sheets are reopened now.
	Revising      []string
	CanDiscuss    bool
	CanReevaluate bool
}

// revisionView fills the result page's revision rounds.
func (a *App) revisionView(c *fiber.Ctx, d *projectResultData, experts map[int64]string) error {
	ctx, act := c.UserContext(), actor(c)
	rounds, err := a.revisions.Revisions(ctx, act, d.Project.ID)
	if err != nil {
		return err
	}
	sheets, err := a.sheets.PanelSheets(ctx, act, d.Project.ID)
	if err != nil {
		return err
	}
	s := revisionSection{Rounds: rounds}
	for _, sh := range sheets {
		if sh.Status == evaluation.SheetReopened {
			s.Revising = append(s.Revising, experts[sh.ExpertID])
		}
	}
	camp := d.Campaign
	manage := evaluation.CanManageCampaign(act, camp) && len(s.Revising) == 0
	open := camp.State == evaluation.CampaignScoring || camp.State == evaluation.CampaignConcluding
	s.CanDiscuss = manage && open && d.Result.Divergence.Divergent && len(d.Conclusions) == 0 && d.Rectification == nil
	reevaluated := slices.ContainsFunc(rounds, func(r *evaluation.Revision) bool { return r.Kind == evaluation.RevisionReevaluation })
	s.CanReevaluate = manage && d.CanConclude && d.Rectification != nil && !reevaluated &&
		(d.Latest() == nil || d.Latest().Round < 2)
	d.Revisions = s
	return nil
}

type revisionForm struct {
	Kind evaluation.RevisionKind `json:"kind" form:"kind" validate:"required"`
	Note string                  `json:"note" form:"note" validate:"required,max=2000"`
	Due  string                  `json:"due" form:"due" validate:"max=10"`
}

func (a *App) projectRevisionForm(c *fiber.Ctx) error {
	var f revisionForm
	form := resultForm{Kind: "revision", Reason: c.FormValue("note"), Due: c.FormValue("due")}
	return a.resultAction(c, form, "revisions", func(id int64) error {
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.revisions.OpenRevision(c.UserContext(), actor(c), id, f.Kind, f.Note, f.Due)
		return err
	}, func(code string) string { return a.T(c, "revisions.opened_flash."+string(f.Kind), "Code", code) }, "kind")
}

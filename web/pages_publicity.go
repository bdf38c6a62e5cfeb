package web

import (
	"context"
	"fmt"
	"strconv"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// publicityServices are the calls behind the approval and the publicity.
type publicityServices interface {
	ApproveCampaign(ctx context.Context, actor evaluation.Actor, campaignID int64, days int, note string) (*evaluation.Campaign, error)
	Publicity(ctx context.Context, actor evaluation.Actor, campaignID int64) (*evaluation.Publicity, error)
	PublicNotice(ctx context.Context, campaignID int64) (*evaluation.PublicNotice, error)
}

// publicityRoutes: the commission approves a campaign, which starts its
// publicity (公示); anyone reads the public notice, signed in or not.
func (a *App) publicityRoutes() {
	write := rbac.Write("review")
	a.route(post, "/campaigns/:id/approve", write, a.approveForm)
	a.route(post, "/api/v1/campaigns/:id/approve", write, a.apiApproveCampaign)
	a.route(get, "/public/campaigns/:id", rbac.Public, a.publicNoticePage)
	a.route(get, "/api/v1/public/campaigns/:id", rbac.Public, a.apiPublicNotice)
}

// campaignReview is the commission's approval on the campaign's page, and
// the publicity once it runs.
type campaignReview struct {
	CanApprove  bool
	DefaultDays int
	Days, Note  string // the form refused, as typed
	Publicity   *evaluation.Publicity
	// Appeals are those recorded during the publicity; OpenAppeals
	// counts those the commission has still to settle.
	Appeals     []*evaluation.Appeal
	OpenAppeals int
}

func (a *App) campaignReviewView(c *fiber.Ctx, d *campaignData) error {
	camp, act := d.Campaign, actor(c)
	d.Review.CanApprove = act.Role == evaluation.RoleCommission && camp.State == evaluation.CampaignSubmitted
	d.Review.DefaultDays = evaluation.DefaultPublicityDays
	if camp.State != evaluation.CampaignPublished && camp.State != evaluation.CampaignClosed {
		return nil
	}
	p, err := a.publicity.Publicity(c.UserContext(), act, camp.ID)
	if err != nil {
		return err
	}
	d.Review.Publicity = p
	if d.Review.Appeals, err = a.review.Appeals(c.UserContext(), act, camp.ID); err != nil {
		return err
	}
	for _, ap := range d.Review.Appeals {
		if ap.Status.Open() {
			d.Review.OpenAppeals++
		}
	}
	return nil
}

type approveRequest struct {
	Days int    `json:"days" form:"days" validate:"min=0,max=30"`
	Note string `json:"note" form:"note" validate:"max=2000"`
}

func (a *App) approveForm(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	days, note := c.FormValue("days"), c.FormValue("note")
	n := 0
	if days != "" {
		if n, err = strconv.Atoi(days); err != nil {
			err = evaluation.FieldErrors{"days": "error.publicity_days"}.Err()
		}
	}
	if err == nil {
		_, err = a.publicity.ApproveCampaign(c.UserContext(), actor(c), camp.ID, n, note)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(statusOf[evaluation.ErrorCode(err)])
		return a.showCampaign(c, camp, campaignData{MoveError: msg, MoveFields: fields,
			Review: campaignReview{Days: days, Note: note}})
	}
	if err != nil {
		return err
	}
	a.flash(c, a.T(c, "publicity.approved_flash"))
	return c.Redirect(fmt.Sprintf("/campaigns/%d#publicity", camp.ID), fiber.StatusSeeOther)
}

func (a *App) apiApproveCampaign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req approveRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	camp, err := a.publicity.ApproveCampaign(c.UserContext(), actor(c), id, req.Days, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(camp)
}

func (a *App) publicNoticePage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := a.publicity.PublicNotice(c.UserContext(), id)
	if err != nil {
		return err
	}
	return a.render(c, "public_notice", a.T(c, "publicity.notice_title")+" · "+n.Campaign, n)
}

func (a *App) apiPublicNotice(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, err := a.publicity.PublicNotice(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(n)
}

package web

import (
	"context"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// reviewServices are the calls behind the commission's review: projects
// returned with a comment each, and the agency's answers.
type reviewServices interface {
	Returns(ctx context.Context, actor evaluation.Actor, campaignID int64) ([]*evaluation.Return, error)
	MarkReturn(ctx context.Context, actor evaluation.Actor, projectID int64, comment string) (*evaluation.Return, error)
	UnmarkReturn(ctx context.Context, actor evaluation.Actor, projectID int64) error
	ReturnCampaign(ctx context.Context, actor evaluation.Actor, campaignID int64, reason string) (*evaluation.Campaign, error)
	AnswerReturn(ctx context.Context, actor evaluation.Actor, projectID int64, answer string) (*evaluation.Return, error)
	appealServices
}

// reviewRoutes: the commission's returns and the agency's answers.
func (a *App) reviewRoutes() {
	read, write := rbac.Read("review"), rbac.Write("review")
	answer := rbac.Permission{Object: "review", Action: "answer"}
	a.route(get, "/api/v1/campaigns/:id/returns", read, a.apiReturns)
	a.route(post, "/api/v1/campaigns/:id/return", write, a.apiReturnCampaign)
	a.route(put, "/api/v1/projects/:id/return", write, a.apiMarkReturn)
	a.route(del, "/api/v1/projects/:id/return", write, a.apiUnmarkReturn)
	a.route(put, "/api/v1/projects/:id/return/answer", answer, a.apiAnswerReturn)
}

func (a *App) apiReturns(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.review.Returns(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"returns": list})
}

type returnRequest struct {
	Comment string `json:"comment" validate:"required,max=2000"`
}

func (a *App) apiMarkReturn(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req returnRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := a.review.MarkReturn(c.UserContext(), actor(c), id, req.Comment)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (a *App) apiUnmarkReturn(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.review.UnmarkReturn(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type returnCampaignRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (a *App) apiReturnCampaign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req returnCampaignRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	camp, err := a.review.ReturnCampaign(c.UserContext(), actor(c), id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(camp)
}

type answerRequest struct {
	Answer string `json:"answer" validate:"required,max=2000"`
}

func (a *App) apiAnswerReturn(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req answerRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := a.review.AnswerReturn(c.UserContext(), actor(c), id, req.Answer)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

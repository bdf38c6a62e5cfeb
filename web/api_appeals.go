package web

import (
	"context"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// appealServices are the calls behind appeals (申诉): recorded during the
// publicity, settled by the commission.
type appealServices interface {
	Appeals(ctx context.Context, actor evaluation.Actor, campaignID int64) ([]*evaluation.Appeal, error)
	FileAppeal(ctx context.Context, actor evaluation.Actor, projectID int64, in evaluation.AppealInput) (*evaluation.Appeal, error)
	RejectAppeal(ctx context.Context, actor evaluation.Actor, projectID, appealID int64, reason string) (*evaluation.Appeal, error)
	ReevaluateAppeal(ctx context.Context, actor evaluation.Actor, projectID, appealID int64, note, due string) (*evaluation.Appeal, error)
	ResolveAppeal(ctx context.Context, actor evaluation.Actor, projectID, appealID int64, conclusion evaluation.Conclusion, reason string) (*evaluation.Appeal, error)
}

// appealRoutes: appeals through the API; the pages are in pages_appeals.go.
func (a *App) appealRoutes() {
	read, file, write := rbac.Read("appeal"), rbac.Permission{Object: "appeal", Action: "file"}, rbac.Write("appeal")
	a.route(get, "/api/v1/campaigns/:id/appeals", read, a.apiAppeals)
	a.route(post, "/api/v1/projects/:id/appeals", file, a.apiFileAppeal)
	a.route(post, "/api/v1/projects/:id/appeals/:appeal/reject", write, a.apiRejectAppeal)
	a.route(post, "/api/v1/projects/:id/appeals/:appeal/reevaluate", write, a.apiReevaluateAppeal)
	a.route(post, "/api/v1/projects/:id/appeals/:appeal/resolve", write, a.apiResolveAppeal)
	a.route(post, "/projects/:id/result/appeals", file, a.fileAppealForm)
	a.route(post, "/projects/:id/result/appeals/:appeal/reject", write, a.rejectAppealForm)
	a.route(post, "/projects/:id/result/appeals/:appeal/reevaluate", write, a.reevaluateAppealForm)
	a.route(post, "/projects/:id/result/appeals/:appeal/resolve", write, a.resolveAppealForm)
}

func (a *App) apiAppeals(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.review.Appeals(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"appeals": list})
}

type appealRequest struct {
	Reason    evaluation.AppealReason `json:"reason" form:"reason" validate:"required"`
	Appellant string                  `json:"appellant" form:"appellant" validate:"required,max=200"`
	Text      string                  `json:"text" form:"text" validate:"required,max=2000"`
}

func (r appealRequest) input() evaluation.AppealInput {
	return evaluation.AppealInput{Reason: r.Reason, Appellant: r.Appellant, Text: r.Text}
}

func (a *App) apiFileAppeal(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req appealRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ap, err := a.review.FileAppeal(c.UserContext(), actor(c), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(ap)
}

type appealReasonRequest struct {
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) apiRejectAppeal(c *fiber.Ctx) error {
	id, appeal, err := paramIDs(c, "id", "appeal")
	if err != nil {
		return err
	}
	var req appealReasonRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ap, err := a.review.RejectAppeal(c.UserContext(), actor(c), id, appeal, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(ap)
}

type reevaluateRequest struct {
	Note string `json:"note" form:"note" validate:"required,max=2000"`
	Due  string `json:"due" form:"due" validate:"max=10"`
}

func (a *App) apiReevaluateAppeal(c *fiber.Ctx) error {
	id, appeal, err := paramIDs(c, "id", "appeal")
	if err != nil {
		return err
	}
	var req reevaluateRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ap, err := a.review.ReevaluateAppeal(c.UserContext(), actor(c), id, appeal, req.Note, req.Due)
	if err != nil {
		return err
	}
	return c.JSON(ap)
}

type resolveRequest struct {
	Conclusion evaluation.Conclusion `json:"conclusion" form:"conclusion" validate:"required"`
	Reason     string                `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) apiResolveAppeal(c *fiber.Ctx) error {
	id, appeal, err := paramIDs(c, "id", "appeal")
	if err != nil {
		return err
	}
	var req resolveRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ap, err := a.review.ResolveAppeal(c.UserContext(), actor(c), id, appeal, req.Conclusion, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(ap)
}

package web

import (
	"context"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// revisionServices are the calls behind the revision rounds: a divergent
// project's discussion, the re-evaluation after a rectification.
type revisionServices interface {
	Revisions(ctx context.Context, actor evaluation.Actor, projectID int64) ([]*evaluation.Revision, error)
	OpenRevision(ctx context.Context, actor evaluation.Actor, projectID int64, kind evaluation.RevisionKind, note, due string) (*evaluation.Revision, error)
}

// revisionRoutes: the agency sends a project's technical sheets back to
// its panel (evaluation.ResultService.OpenRevision).
func (a *App) revisionRoutes() {
	a.route(get, "/api/v1/projects/:id/revisions", rbac.Read("conclusion"), a.apiRevisions)
	a.route(post, "/api/v1/projects/:id/revisions", rbac.Write("conclusion"), a.apiOpenRevision)
}

func (a *App) apiRevisions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.revisions.Revisions(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"revisions": list})
}

type revisionRequest struct {
	Kind evaluation.RevisionKind `json:"kind" validate:"required"`
	Note string                  `json:"note" validate:"required,max=2000"`
	Due  string                  `json:"due" validate:"max=10"`
}

func (a *App) apiOpenRevision(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req revisionRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := a.revisions.OpenRevision(c.UserContext(), actor(c), id, req.Kind, req.Note, req.Due)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

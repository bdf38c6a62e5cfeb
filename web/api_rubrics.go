package web

import (
	"context"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

// rubricServices are the calls behind the rubric pages and API.
type rubricServices interface {
	Rubrics(ctx context.Context, actor evaluation.Actor, f evaluation.RubricFilter) ([]*evaluation.Rubric, error)
	Rubric(ctx context.Context, actor evaluation.Actor, code string, version int) (*evaluation.Rubric, error)
	NewRubricVersion(ctx context.Context, actor evaluation.Actor, code string, from int) (*evaluation.Rubric, error)
	UpdateRubricDraft(ctx context.Context, actor evaluation.Actor, code string, version int, content *rubrics.Rubric) (*evaluation.Rubric, error)
	PublishRubric(ctx context.Context, actor evaluation.Actor, code string, version int) (*evaluation.Rubric, error)
	RetireRubric(ctx context.Context, actor evaluation.Actor, code string, version int) (*evaluation.Rubric, error)
	DeleteRubricDraft(ctx context.Context, actor evaluation.Actor, code string, version int) error
	CheckSheet(ctx context.Context, actor evaluation.Actor, code string, version int, sheet *rubrics.Sheet) (rubrics.Result, error)
}

func (a *App) apiRubrics(c *fiber.Ctx) error {
	f := evaluation.RubricFilter{Code: c.Query("code"), Target: rubrics.Target(c.Query("target")),
		Status: evaluation.RubricStatus(c.Query("status"))}
	list, err := a.rubrics.Rubrics(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiRubric(c *fiber.Ctx) error {
	r, err := a.loadRubric(c)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

type newVersionRequest struct {
	From int `json:"from" validate:"required,gte=1"`
}

func (a *App) apiNewRubricVersion(c *fiber.Ctx) error {
	var req newVersionRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := a.rubrics.NewRubricVersion(c.UserContext(), actor(c), strings.Clone(c.Params("code")), req.From)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// readRubric reads a rubric from a request's body (jsonBody), strictly.
func readRubric(contentType string, body []byte) (*rubrics.Rubric, rubrics.Problems, error) {
	if err := requireJSON(contentType, body); err != nil {
		return nil, nil, err
	}
	r, ps := rubrics.ParseRubric(body)
	if r == nil {
		return nil, nil, evaluation.ProblemsError(ps)
	}
	return r, ps, nil
}

func (a *App) apiUpdateRubric(c *fiber.Ctx) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	content, _, err := readRubric(jsonBody(c))
	if err != nil {
		return err
	}
	r, err := a.rubrics.UpdateRubricDraft(c.UserContext(), actor(c), code, version, content)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// validationResult is the answer of the validate endpoint: problems are
// part of a successful answer there.
type validationResult struct {
	Valid    bool              `json:"valid"`
	Total    rubrics.Points    `json:"total"`
	Problems map[string]string `json:"problems"`
}

func (a *App) apiValidateRubric(c *fiber.Ctx) error {
	r, ps, err := readRubric(jsonBody(c))
	if err != nil {
		return err
	}
	res := validationResult{Valid: len(ps) == 0, Total: r.Total(), Problems: map[string]string{}}
	if e := evaluation.ErrorAs(evaluation.ProblemsError(ps)); e != nil {
		res.Problems = a.fieldMessages(langOf(c), e)
	}
	return c.JSON(res)
}

func (a *App) apiPublishRubric(c *fiber.Ctx) error {
	return a.apiMoveRubric(c, a.rubrics.PublishRubric)
}
func (a *App) apiRetireRubric(c *fiber.Ctx) error { return a.apiMoveRubric(c, a.rubrics.RetireRubric) }

func (a *App) apiMoveRubric(c *fiber.Ctx, move func(context.Context, evaluation.Actor, string, int) (*evaluation.Rubric, error)) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	r, err := move(c.UserContext(), actor(c), code, version)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (a *App) apiDeleteRubric(c *fiber.Ctx) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	if err := a.rubrics.DeleteRubricDraft(c.UserContext(), actor(c), code, version); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiCheckSheet(c *fiber.Ctx) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	sheet, err := readCheckedSheet(jsonBody(c))
	if err != nil {
		return err
	}
	res, err := a.rubrics.CheckSheet(c.UserContext(), actor(c), code, version, sheet)
	if err != nil {
		return err
	}
	// The lists are always lists in the API, empty rather than null.
	if res.BelowThreshold == nil {
		res.BelowThreshold = []string{}
	}
	if res.Vetoes == nil {
		res.Vetoes = []string{}
	}
	return c.JSON(res)
}

// readCheckedSheet reads the sheet to check against a rubric from a
// request's body (jsonBody), strictly.
func readCheckedSheet(contentType string, body []byte) (*rubrics.Sheet, error) {
	if err := requireJSON(contentType, body); err != nil {
		return nil, err
	}
	sheet, ps := rubrics.ParseSheet(body)
	if err := evaluation.ProblemsError(ps); err != nil {
		return nil, err
	}
	return sheet, nil
}

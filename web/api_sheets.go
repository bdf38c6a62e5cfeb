package web

import (
	"context"
	"errors"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/gofiber/fiber/v2"
)

// sheetServices are the calls behind the expert's workspace and what the
// agency does about sheets.
type sheetServices interface {
	Assignments(ctx context.Context, actor evaluation.Actor) ([]evaluation.Assignment, error)
	Project(ctx context.Context, actor evaluation.Actor, projectID int64) (*evaluation.ExpertProject, error)
	SignPledge(ctx context.Context, actor evaluation.Actor, campaignID int64, version string) error
	DeclareNoConflict(ctx context.Context, actor evaluation.Actor, projectID int64) error
	DeclareConflict(ctx context.Context, actor evaluation.Actor, projectID int64, reason string) error
	Sheet(ctx context.Context, actor evaluation.Actor, projectID int64) (*evaluation.SheetView, error)
	SaveSheet(ctx context.Context, actor evaluation.Actor, projectID int64, base int, content evaluation.SheetContent, submit bool) (*evaluation.Sheet, error)
	PanelSheets(ctx context.Context, actor evaluation.Actor, projectID int64) ([]*evaluation.Sheet, error)
	ChairSheets(ctx context.Context, actor evaluation.Actor, projectID int64) ([]evaluation.MemberSheet, error)

	ReopenSheet(ctx context.Context, actor evaluation.Actor, sheetID int64, reason string) (*evaluation.Sheet, error)
	ExtendDeadline(ctx context.Context, actor evaluation.Actor, panelID, memberID int64, due, reason string) error
	LiftConflict(ctx context.Context, actor evaluation.Actor, projectID, expertID int64, reason string) error
	Progress(ctx context.Context, actor evaluation.Actor, campaignID int64, f evaluation.ProgressFilter) (*evaluation.Progress, error)
	Timeline(ctx context.Context, actor evaluation.Actor, campaignID int64) (*evaluation.ProgressTimeline, error)
	Remind(ctx context.Context, actor evaluation.Actor, campaignID, expertID int64) (int, error)
}

// sheetRoutes: the expert's workspace (assignments, pledge, declaration,
// sheet) and the agency's actions on sheets.
func (a *App) sheetRoutes() {
	read, write := rbac.Read("workspace"), rbac.Write("workspace")
	sheets, manage := rbac.Read("sheet"), rbac.Write("sheet")

	a.route(get, "/api/v1/assignments", read, a.apiAssignments)
	a.route(get, "/api/v1/pledge", read, a.apiPledgeText)
	a.route(post, "/api/v1/campaigns/:id/pledge", write, a.apiSignPledge)
	a.route(get, "/api/v1/projects/:id/workspace", read, a.apiExpertProject)
	a.route(post, "/api/v1/projects/:id/declaration", write, a.apiDeclare)
	a.route(get, "/api/v1/projects/:id/sheet", read, a.apiSheet)
	a.route(put, "/api/v1/projects/:id/sheet", write, a.apiSaveSheet)
	a.route(post, "/api/v1/projects/:id/sheet/submit", write, a.apiSubmitSheet)
	a.route(get, "/api/v1/projects/:id/sheets", sheets, a.apiPanelSheets)
	a.route(post, "/api/v1/sheets/:id/reopen", manage, a.apiReopenSheet)
	a.route(post, "/api/v1/panels/:id/members/:member/deadline", manage, a.apiExtendDeadline)
	a.route(post, "/api/v1/projects/:id/conflicts/:expert/lift", manage, a.apiLiftConflict)
	a.route(get, "/api/v1/campaigns/:id/progress", sheets, a.apiProgress)
	a.route(post, "/api/v1/campaigns/:id/reminders", manage, a.apiRemind)
}

func (a *App) apiAssignments(c *fiber.Ctx) error {
	list, err := a.sheets.Assignments(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

// pledgeText is the pledge in the caller's language, with the version a
// signature names.
type pledgeText struct {
	Version    string   `json:"version"`
	Paragraphs []string `json:"paragraphs"`
}

func (a *App) apiPledgeText(c *fiber.Ctx) error {
	return c.JSON(pledgeText{Version: evaluation.PledgeVersion, Paragraphs: evaluation.PledgeText(langOf(c))})
}

type pledgeRequest struct {
	Version string `json:"version" form:"version" validate:"required,max=64"`
}

func (a *App) apiSignPledge(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req pledgeRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.sheets.SignPledge(c.UserContext(), actor(c), id, req.Version); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiExpertProject(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := a.sheets.Project(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// declarationRequest is an expert's declaration for a project: no conflict
// of interest, or one, with the reason.
type declarationRequest struct {
	Conflict bool   `json:"conflict" form:"conflict"`
	Reason   string `json:"reason" form:"reason" validate:"max=2000"`
}

func (a *App) declare(c *fiber.Ctx, projectID int64, req declarationRequest) error {
	if req.Conflict {
		return a.sheets.DeclareConflict(c.UserContext(), actor(c), projectID, req.Reason)
	}
	return a.sheets.DeclareNoConflict(c.UserContext(), actor(c), projectID)
}

func (a *App) apiDeclare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req declarationRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.declare(c, id, req); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiSheet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := a.sheets.Sheet(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// sheetRequest is a save of a sheet: the version the client's copy is
// based on (0 for a new sheet), the rubric's fields, and a finance
// expert's verdict.
type sheetRequest struct {
	Version     *int                      `json:"version"`
	Scores      map[string]jsontext.Value `json:"scores"`
	Comments    map[string]string         `json:"comments"`
	Opinion     string                    `json:"opinion"`
	Vetoes      []rubrics.VetoFlag        `json:"vetoes"`
	FinancePass *bool                     `json:"finance_pass"`
}

// readSheet reads a save's body (jsonBody): the version, and each score as
// a number that is a multiple of 0.5.
func readSheet(contentType string, body []byte) (int, evaluation.SheetContent, error) {
	var req sheetRequest
	if err := requireJSON(contentType, body); err != nil {
		return 0, evaluation.SheetContent{}, err
	}
	if err := evaluation.ProblemsError(rubrics.DecodeJSON(body, &req)); err != nil {
		return 0, evaluation.SheetContent{}, err
	}
	scores, ps := rubrics.ParseScores(req.Scores)
	err := evaluation.ProblemsError(ps)
	if req.Version == nil || *req.Version < 0 {
		f := evaluation.FieldErrors{}
		if e := evaluation.ErrorAs(err); e != nil {
			f = e.Fields
		}
		f.Add("version", "error.required_field")
		err = f.Err()
	}
	if err != nil {
		return 0, evaluation.SheetContent{}, err
	}
	return *req.Version, evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: scores, Comments: req.Comments,
		Opinion: req.Opinion, Vetoes: req.Vetoes}, FinancePass: req.FinancePass}, nil
}

// staleBody answers a save based on an older version: the error, and the
// sheet as stored, so the client can show it.
type staleBody struct {
	Error   apiErrorBody      `json:"error"`
	Current *evaluation.Sheet `json:"current"`
}

func (a *App) apiSaveSheet(c *fiber.Ctx) error   { return a.apiStoreSheet(c, false) }
func (a *App) apiSubmitSheet(c *fiber.Ctx) error { return a.apiStoreSheet(c, true) }
func (a *App) apiStoreSheet(c *fiber.Ctx, submit bool) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	base, content, err := readSheet(jsonBody(c))
	if err != nil {
		return err
	}
	sh, err := a.sheets.SaveSheet(c.UserContext(), actor(c), id, base, content, submit)
	var stale *evaluation.StaleSheetError
	if errors.As(err, &stale) {
		lang := langOf(c)
		e := evaluation.ErrorAs(err)
		return c.Status(fiber.StatusConflict).JSON(staleBody{Error: apiErrorBody{Code: e.Code, Message: a.message(lang, e),
			Fields: a.fieldMessages(lang, e)}, Current: stale.Current})
	}
	if err != nil {
		return err
	}
	return c.JSON(sh)
}

func (a *App) apiPanelSheets(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.sheets.PanelSheets(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

// reasonRequest is an action that needs a written reason.
type reasonRequest struct {
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) apiReopenSheet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	sh, err := a.sheets.ReopenSheet(c.UserContext(), actor(c), id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(sh)
}

type deadlineRequest struct {
	Due    string `json:"due" form:"due" validate:"required,max=10"`
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) apiExtendDeadline(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	var req deadlineRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.sheets.ExtendDeadline(c.UserContext(), actor(c), panelID, memberID, req.Due, req.Reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiLiftConflict(c *fiber.Ctx) error {
	projectID, expertID, err := paramIDs(c, "id", "expert")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.sheets.LiftConflict(c.UserContext(), actor(c), projectID, expertID, req.Reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// progressFilter reads the progress monitor's page and whether to show
// only the panels with overdue members (overdue=1).
func progressFilter(c *fiber.Ctx) (evaluation.ProgressFilter, error) {
	bad := evaluation.FieldErrors{}
	f := evaluation.ProgressFilter{Page: pageParams(c, bad)}
	switch c.Query("overdue") {
	case "", "0":
	case "1":
		f.OverdueOnly = true
	default:
		bad.Add("overdue", "error.overdue_filter")
	}
	return f, filterError(bad, &f)
}

func (a *App) apiProgress(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := progressFilter(c)
	if err != nil {
		return err
	}
	p, err := a.sheets.Progress(c.UserContext(), actor(c), id, f)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

// remindRequest names the expert to remind; none reminds every member with
// sheets left.
type remindRequest struct {
	ExpertID int64 `json:"expert_id" form:"expert_id" validate:"gte=0"`
}

// remindResult is how many experts a reminder went to.
type remindResult struct {
	Reminded int `json:"reminded"`
}

func (a *App) apiRemind(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req remindRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	n, err := a.sheets.Remind(c.UserContext(), actor(c), id, req.ExpertID)
	if err != nil {
		return err
	}
	return c.JSON(remindResult{Reminded: n})
}

package web

import (
	"context"
	"errors"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// resultServices are the calls behind the panel's opinion and the
// agency's conclusions.
type resultServices interface {
	Opinion(ctx context.Context, actor evaluation.Actor, projectID int64) (*evaluation.Opinion, error)
	SaveOpinion(ctx context.Context, actor evaluation.Actor, projectID int64, base int, in evaluation.OpinionInput) (*evaluation.Opinion, error)
	CirculateOpinion(ctx context.Context, actor evaluation.Actor, projectID int64, base int) (*evaluation.Opinion, error)
	RespondOpinion(ctx context.Context, actor evaluation.Actor, projectID int64, agree bool, reason string) (*evaluation.Opinion, error)
	Conclusions(ctx context.Context, actor evaluation.Actor, projectID int64) ([]*evaluation.ConclusionRecord, *evaluation.Rectification, error)
	RecordConclusion(ctx context.Context, actor evaluation.Actor, projectID int64, c evaluation.Conclusion, reason string) (*evaluation.ConclusionRecord, error)
	StartRectification(ctx context.Context, actor evaluation.Actor, projectID int64, due, reason string) (*evaluation.Rectification, error)
	CampaignResults(ctx context.Context, actor evaluation.Actor, campaignID int64) (*evaluation.CampaignResults, error)
	CampaignSheets(ctx context.Context, actor evaluation.Actor, campaignID int64) (*evaluation.CampaignSheets, error)
	ProjectResult(ctx context.Context, actor evaluation.Actor, projectID int64) (*evaluation.ProjectResult, error)
	ConfirmVeto(ctx context.Context, actor evaluation.Actor, projectID int64, track aggregate.Track, code, reason string) (*evaluation.VetoConfirmation, error)
}

// resultRoutes: the panel's opinion (the chair drafts and circulates it,
// the members answer) and the conclusions the agency records.
func (a *App) resultRoutes() {
	opinion, answer := rbac.Read("opinion"), rbac.Write("opinion")
	conclusions, conclude := rbac.Read("conclusion"), rbac.Write("conclusion")

	a.route(get, "/api/v1/projects/:id/opinion", opinion, a.apiOpinion)
	a.route(put, "/api/v1/projects/:id/opinion", answer, a.apiSaveOpinion)
	a.route(post, "/api/v1/projects/:id/opinion/circulate", answer, a.apiCirculateOpinion)
	a.route(post, "/api/v1/projects/:id/opinion/response", answer, a.apiRespondOpinion)
	a.route(get, "/api/v1/projects/:id/conclusions", conclusions, a.apiConclusions)
	a.route(post, "/api/v1/projects/:id/conclusions", conclude, a.apiRecordConclusion)
	a.route(post, "/api/v1/projects/:id/rectification", conclude, a.apiStartRectification)
	a.route(get, "/api/v1/campaigns/:id/results", conclusions, a.apiCampaignResults)
	a.route(post, "/api/v1/projects/:id/vetoes", rbac.Write("veto"), a.apiConfirmVeto)
}

func (a *App) apiCampaignResults(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	bad := evaluation.FieldErrors{}
	f := resultsSelection(c, bad)
	if err := bad.Err(); err != nil {
		return err
	}
	res, err := a.results.CampaignResults(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(f.selected(res))
}

// selected is the results of the projects that pass the filter, in their
// order, with their conclusions and veto confirmations; the advisory fit
// and reliabilities stay the whole campaign's.
func (f resultsFilter) selected(res *evaluation.CampaignResults) *evaluation.CampaignResults {
	out, rep := *res, *res.Report
	out.Report = &rep
	out.Projects, out.Concluded, out.Revising = []evaluation.ProjectBrief{}, []*evaluation.ConclusionRecord{}, []bool{}
	out.Confirmations = []*evaluation.VetoConfirmation{}
	rep.Results, rep.Advisory.Projects = []aggregate.Result{}, []aggregate.ProjectAdvice{}
	kept := map[int64]bool{}
	for i, p := range res.Projects {
		r := &res.Report.Results[i]
		if !f.keep(p, r, res.Concluded[i], res.Revising[i]) {
			continue
		}
		kept[p.ID] = true
		out.Projects, out.Concluded = append(out.Projects, p), append(out.Concluded, res.Concluded[i])
		out.Revising = append(out.Revising, res.Revising[i])
		rep.Results = append(rep.Results, *r)
		if i < len(res.Report.Advisory.Projects) {
			rep.Advisory.Projects = append(rep.Advisory.Projects, res.Report.Advisory.Projects[i])
		}
	}
	for _, v := range res.Confirmations {
		if kept[v.ProjectID] {
			out.Confirmations = append(out.Confirmations, v)
		}
	}
	return &out
}

func (a *App) apiOpinion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	o, err := a.results.Opinion(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

type opinionRequest struct {
	Version  *int                  `json:"version" validate:"required,min=0"`
	Text     string                `json:"text" validate:"max=10000"`
	Proposed evaluation.Conclusion `json:"proposed"`
}

func (a *App) apiSaveOpinion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req opinionRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	o, err := a.results.SaveOpinion(c.UserContext(), actor(c), id, *req.Version,
		evaluation.OpinionInput{Text: req.Text, Proposed: req.Proposed})
	var stale *evaluation.StaleOpinionError
	if errors.As(err, &stale) {
		return a.sendStale(c, err, stale.Current)
	}
	if err != nil {
		return err
	}
	return c.JSON(o)
}

type versionRequest struct {
	Version *int `json:"version" validate:"required,min=0"`
}

func (a *App) apiCirculateOpinion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req versionRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	o, err := a.results.CirculateOpinion(c.UserContext(), actor(c), id, *req.Version)
	var stale *evaluation.StaleOpinionError
	if errors.As(err, &stale) {
		return a.sendStale(c, err, stale.Current)
	}
	if err != nil {
		return err
	}
	return c.JSON(o)
}

type opinionResponseRequest struct {
	Agree  *bool  `json:"agree" validate:"required"`
	Reason string `json:"reason" validate:"max=2000"`
}

func (a *App) apiRespondOpinion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req opinionResponseRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	o, err := a.results.RespondOpinion(c.UserContext(), actor(c), id, *req.Agree, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(o)
}

// conclusionsBody is a project's conclusions, oldest first, and its
// rectification (null when none).
type conclusionsBody struct {
	Conclusions   []*evaluation.ConclusionRecord `json:"conclusions"`
	Rectification *evaluation.Rectification      `json:"rectification"`
}

func (a *App) apiConclusions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, r, err := a.results.Conclusions(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(conclusionsBody{Conclusions: list, Rectification: r})
}

type conclusionRequest struct {
	Conclusion evaluation.Conclusion `json:"conclusion" validate:"required"`
	Reason     string                `json:"reason" validate:"max=2000"`
}

func (a *App) apiRecordConclusion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req conclusionRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	rec, err := a.results.RecordConclusion(c.UserContext(), actor(c), id, req.Conclusion, req.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(rec)
}

type rectificationRequest struct {
	Due    string `json:"due" validate:"max=10"`
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (a *App) apiStartRectification(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req rectificationRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := a.results.StartRectification(c.UserContext(), actor(c), id, req.Due, req.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// vetoRequest confirms a veto item of a project; track may be left out
// when only one of the project's rubrics lists the code. The service
// checks the track and the code against the project's rubrics.
type vetoRequest struct {
	Track  string `json:"track" form:"track"`
	Code   string `json:"code" form:"code"`
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

func (a *App) apiConfirmVeto(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req vetoRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := a.results.ConfirmVeto(c.UserContext(), actor(c), id, aggregate.Track(req.Track), req.Code, req.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

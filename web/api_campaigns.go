package web

import (
	"context"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// campaignServices are the calls behind the campaign and project pages
// and API.
type campaignServices interface {
	Campaigns(ctx context.Context, actor evaluation.Actor, f evaluation.CampaignFilter) ([]*evaluation.Campaign, error)
	Campaign(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Campaign, error)
	CreateCampaign(ctx context.Context, actor evaluation.Actor, in evaluation.NewCampaign) (*evaluation.Campaign, error)
	UpdateCampaign(ctx context.Context, actor evaluation.Actor, id int64, in evaluation.NewCampaign) (*evaluation.Campaign, error)
	TransitionCampaign(ctx context.Context, actor evaluation.Actor, id int64, to evaluation.CampaignState, reason string) (*evaluation.Campaign, error)
	CampaignTransitions(ctx context.Context, actor evaluation.Actor, id int64) ([]*evaluation.CampaignTransition, error)
	CampaignsProgress(ctx context.Context, actor evaluation.Actor, f evaluation.CampaignFilter) ([]*evaluation.CampaignProgress, error)

	Projects(ctx context.Context, actor evaluation.Actor, f evaluation.ProjectFilter) ([]*evaluation.Project, int, error)
	Project(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Project, error)
	CreateProject(ctx context.Context, actor evaluation.Actor, campaignID int64, p *evaluation.Project) (*evaluation.Project, error)
	UpdateProject(ctx context.Context, actor evaluation.Actor, id int64, p *evaluation.Project) (*evaluation.Project, error)
	DeleteProject(ctx context.Context, actor evaluation.Actor, id int64) error
	CheckProjectImport(ctx context.Context, actor evaluation.Actor, campaignID int64, list []*evaluation.Project) error
	ImportProjects(ctx context.Context, actor evaluation.Actor, campaignID int64, list []*evaluation.Project, file evaluation.ImportFile) error
}

// campaignRoutes: campaigns, their state machine, projects.
func (a *App) campaignRoutes() {
	read, write, move := rbac.Read("campaign"), rbac.Write("campaign"), rbac.Permission{Object: "campaign", Action: "transition"}

	a.route(get, "/campaigns", read, a.campaignsPage)
	a.route(get, "/campaigns/new", write, a.campaignNewPage)
	a.route(post, "/campaigns", write, a.campaignCreate)
	a.route(get, "/campaigns/:id", read, a.campaignPage)
	a.route(get, "/campaigns/:id/edit", write, a.campaignEditPage)
	a.route(post, "/campaigns/:id/edit", write, a.campaignUpdate)
	a.route(post, "/campaigns/:id/transition", move, a.campaignTransition)
	a.route(get, "/campaigns/:id/projects/new", write, a.projectNewPage)
	a.route(post, "/campaigns/:id/projects", write, a.projectCreate)
	a.route(get, "/projects/:id", read, a.projectPage)
	a.route(get, "/projects/:id/edit", write, a.projectEditPage)
	a.route(post, "/projects/:id/edit", write, a.projectUpdate)
	a.route(post, "/projects/:id/delete", write, a.projectDelete)

	a.route(get, "/api/v1/campaigns", read, a.apiCampaigns)
	a.route(post, "/api/v1/campaigns", write, a.apiCreateCampaign)
	a.route(get, "/api/v1/campaigns/:id", read, a.apiCampaign)
	a.route(patch, "/api/v1/campaigns/:id", write, a.apiUpdateCampaign)
	a.route(get, "/api/v1/campaigns/:id/transitions", read, a.apiCampaignTransitions)
	a.route(post, "/api/v1/campaigns/:id/transitions", move, a.apiTransitionCampaign)
	a.route(get, "/api/v1/campaigns/:id/projects", read, a.apiProjects)
	a.route(post, "/api/v1/campaigns/:id/projects", write, a.apiCreateProject)
	a.route(get, "/api/v1/projects/:id", read, a.apiProject)
	a.route(put, "/api/v1/projects/:id", write, a.apiUpdateProject)
	a.route(del, "/api/v1/projects/:id", write, a.apiDeleteProject)
}

// campaignFilter reads the campaigns list's filters from the query (UI and
// API).
func campaignFilter(c *fiber.Ctx) (evaluation.CampaignFilter, error) {
	bad := evaluation.FieldErrors{}
	f := evaluation.CampaignFilter{State: evaluation.CampaignState(c.Query("state")), Year: queryInt(c, bad, "year")}
	return f, filterError(bad, &f)
}

func (a *App) apiCampaigns(c *fiber.Ctx) error {
	f, err := campaignFilter(c)
	if err != nil {
		return err
	}
	list, err := a.campaigns.Campaigns(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

// campaignRequest is the JSON of a new or changed campaign; settings left
// out take the defaults (create) or stay (update).
type campaignRequest struct {
	Name        string                       `json:"name" validate:"required,max=128"`
	Year        int                          `json:"year" validate:"required,gte=2000,lte=2100"`
	Programme   string                       `json:"programme" validate:"max=128"`
	Aggregation string                       `json:"aggregation" validate:"omitempty,aggregation"`
	Settings    *evaluation.CampaignSettings `json:"settings"`
}

func (r campaignRequest) input() evaluation.NewCampaign {
	return evaluation.NewCampaign{Name: r.Name, Year: r.Year, Programme: r.Programme,
		Aggregation: evaluation.Aggregation(r.Aggregation), Settings: r.Settings}
}

func (a *App) apiCreateCampaign(c *fiber.Ctx) error {
	var req campaignRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	camp, err := a.campaigns.CreateCampaign(c.UserContext(), actor(c), req.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(camp)
}

func (a *App) apiCampaign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	camp, err := a.campaigns.Campaign(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(camp)
}

func (a *App) apiUpdateCampaign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req campaignRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	camp, err := a.campaigns.UpdateCampaign(c.UserContext(), actor(c), id, req.input())
	if err != nil {
		return err
	}
	return c.JSON(camp)
}

func (a *App) apiCampaignTransitions(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.campaigns.CampaignTransitions(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

type transitionRequest struct {
	To     string `json:"to" form:"to" validate:"required,max=20"`
	Reason string `json:"reason" form:"reason" validate:"max=2000"`
}

func (a *App) apiTransitionCampaign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req transitionRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	camp, err := a.campaigns.TransitionCampaign(c.UserContext(), actor(c), id, evaluation.CampaignState(req.To), req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(camp)
}

// projectFilter reads a campaign's projects list's filters from the query
// (UI and API).
func projectFilter(c *fiber.Ctx, campaignID int64) (evaluation.ProjectFilter, error) {
	bad := evaluation.FieldErrors{}
	f := evaluation.ProjectFilter{CampaignID: campaignID, Class: evaluation.ProjectClass(c.Query("class")),
		Query: c.Query("q"), Sort: c.Query("sort", "code"), Page: pageParams(c, bad)}
	switch c.Query("panel") {
	case "":
	case "with":
		f.Paneled = ptrTo(true)
	case "without":
		f.Paneled = ptrTo(false)
	default:
		bad.Add("panel", "error.panel_filter_invalid")
	}
	return f, filterError(bad, &f)
}

func (a *App) apiProjects(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := projectFilter(c, id)
	if err != nil {
		return err
	}
	list, total, err := a.campaigns.Projects(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(newList(list, total, f.Page))
}

// projectRequest is the JSON of a project: the fields of
// evaluation.Project a client may set. Amounts are in fen (0.01 yuan).
type projectRequest struct {
	Code         string                 `json:"code"`
	Title        string                 `json:"title"`
	Class        string                 `json:"class"`
	Lead         string                 `json:"lead_institution"`
	Participants []string               `json:"participants"`
	PI           evaluation.Member      `json:"pi"`
	Members      []evaluation.Member    `json:"members"`
	Budget       int64                  `json:"budget"`
	Spent        int64                  `json:"spent"`
	Start        string                 `json:"start"`
	End          string                 `json:"end"`
	SubjectCodes []string               `json:"subject_codes"`
	Keywords     []string               `json:"keywords"`
	Methods      []evaluation.Method    `json:"methods"`
	Promotion    bool                   `json:"promotion"`
	Avoid        []evaluation.Avoid     `json:"avoid"`
	Indicators   []evaluation.Indicator `json:"indicators"`
}

func (r *projectRequest) project() *evaluation.Project {
	return &evaluation.Project{Code: r.Code, Title: r.Title, Class: evaluation.ProjectClass(r.Class), Lead: r.Lead,
		Participants: r.Participants, PI: r.PI, Members: r.Members, Budget: r.Budget, Spent: r.Spent, Start: r.Start,
		End: r.End, SubjectCodes: r.SubjectCodes, Keywords: r.Keywords, Methods: r.Methods, Promotion: r.Promotion,
		Avoid: r.Avoid, Indicators: r.Indicators}
}

func (a *App) apiCreateProject(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req projectRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := a.campaigns.CreateProject(c.UserContext(), actor(c), id, req.project())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (a *App) apiProject(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := a.campaigns.Project(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (a *App) apiUpdateProject(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req projectRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := a.campaigns.UpdateProject(c.UserContext(), actor(c), id, req.project())
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (a *App) apiDeleteProject(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.campaigns.DeleteProject(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

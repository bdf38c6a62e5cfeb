package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

type campaignsData struct {
	Campaigns []*evaluation.Campaign
	Filter    evaluation.CampaignFilter
	States    []evaluation.CampaignState
	CanCreate bool
}

func (a *App) campaignsPage(c *fiber.Ctx) error {
	f, err := campaignFilter(c)
	if err != nil {
		return err
	}
	list, err := a.campaigns.Campaigns(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return a.render(c, "campaigns", a.T(c, "nav.campaigns"), campaignsData{Campaigns: list, Filter: f,
		States: evaluation.CampaignStates, CanCreate: evaluation.CanCreateCampaign(actor(c))})
}

// campaignForm is the campaign form's flat fields.
type campaignForm struct {
	Name          string `form:"name"`
	Year          string `form:"year"`
	Programme     string `form:"programme"`
	Aggregation   string `form:"aggregation"`
	ScoringOpens  string `form:"scoring_opens"`
	ScoringDue    string `form:"scoring_due"`
	ConcludeDue   string `form:"conclude_due"`
	LoadCampaign  string `form:"load_campaign"`
	LoadYear      string `form:"load_year"`
	Window        string `form:"collaboration_window"`
	BRTechnical   string `form:"br_technical"`
	BRFinance     string `form:"br_finance"`
	BRAlternates  string `form:"br_alternates"`
	ATTechnical   string `form:"at_technical"`
	ATFinance     string `form:"at_finance"`
	ATAlternates  string `form:"at_alternates"`
	RubricBR      string `form:"rubric_basic_research"`
	RubricAT      string `form:"rubric_applied_technology"`
	RubricFinance string `form:"rubric_finance"`
	// DivergenceRange and DivergenceDistance are in points (17.5).
	DivergenceRange    string `form:"divergence_range"`
	DivergenceDistance string `form:"divergence_distance"`
}

// fill shows a campaign in the form.
func (f *campaignForm) fill(c *evaluation.Campaign) {
	s := c.Settings
	pin := func(k string) string { p := s.Rubrics[k]; return fmt.Sprintf("%s:%d", p.Code, p.Version) }
	br, at := s.Panels[evaluation.BasicResearch], s.Panels[evaluation.AppliedTechnology]
	*f = campaignForm{Name: c.Name, Year: strconv.Itoa(c.Year), Programme: c.Programme, Aggregation: string(c.Aggregation),
		ScoringOpens: s.ScoringOpens, ScoringDue: s.ScoringDue, ConcludeDue: s.ConcludeDue,
		LoadCampaign: strconv.Itoa(s.LoadCampaign), LoadYear: strconv.Itoa(s.LoadYear), Window: strconv.Itoa(s.CollaborationWindow),
		BRTechnical: strconv.Itoa(br.Technical), BRFinance: strconv.Itoa(br.Finance), BRAlternates: strconv.Itoa(br.Alternates),
		ATTechnical: strconv.Itoa(at.Technical), ATFinance: strconv.Itoa(at.Finance), ATAlternates: strconv.Itoa(at.Alternates),
		RubricBR: pin(string(evaluation.BasicResearch)), RubricAT: pin(string(evaluation.AppliedTechnology)), RubricFinance: pin("finance"),
		DivergenceRange: s.DivergenceRange.String(), DivergenceDistance: s.DivergenceDistance.String()}
}

// input reads the form onto base settings (the defaults, or the stored
// ones), collecting number and choice problems.
func (f *campaignForm) input(base evaluation.CampaignSettings) (evaluation.NewCampaign, evaluation.FieldErrors) {
	bad := evaluation.FieldErrors{}
	num := func(field, s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		switch {
		case strings.TrimSpace(s) == "":
			bad.Add(field, "error.required_field")
		case err != nil:
			bad.Add(field, "error.wrong_type_number")
		}
		return n
	}
	pin := func(field, s string) evaluation.RubricPin {
		code, v, ok := strings.Cut(s, ":")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			bad.Add(field, "error.required")
		}
		return evaluation.RubricPin{Code: code, Version: n}
	}
	points := func(field, s string) rubrics.Points {
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			bad.Add(field, "error.wrong_type_number")
			return 0
		}
		p, ok := rubrics.FromFloat(f)
		if !ok {
			bad.Add(field, "rubric.points_step")
		}
		return p
	}
	s := base
	s.ScoringOpens, s.ScoringDue, s.ConcludeDue = strings.TrimSpace(f.ScoringOpens), strings.TrimSpace(f.ScoringDue), strings.TrimSpace(f.ConcludeDue)
	s.LoadCampaign = num("load_campaign", f.LoadCampaign)
	s.LoadYear = num("load_year", f.LoadYear)
	s.CollaborationWindow = num("collaboration_window", f.Window)
	panels := map[evaluation.ProjectClass]evaluation.PanelRules{}
	for class, p := range s.Panels {
		panels[class] = p
	}
	br, at := panels[evaluation.BasicResearch], panels[evaluation.AppliedTechnology]
	br.Technical, br.Finance, br.Alternates = num("br_technical", f.BRTechnical), num("br_finance", f.BRFinance), num("br_alternates", f.BRAlternates)
	at.Technical, at.Finance, at.Alternates = num("at_technical", f.ATTechnical), num("at_finance", f.ATFinance), num("at_alternates", f.ATAlternates)
	panels[evaluation.BasicResearch], panels[evaluation.AppliedTechnology] = br, at
	s.Panels = panels
	s.Rubrics = map[string]evaluation.RubricPin{
		string(evaluation.BasicResearch):     pin("rubric_basic_research", f.RubricBR),
		string(evaluation.AppliedTechnology): pin("rubric_applied_technology", f.RubricAT),
		"finance":                            pin("rubric_finance", f.RubricFinance),
	}
	s.DivergenceRange = points("divergence_range", f.DivergenceRange)
	s.DivergenceDistance = points("divergence_distance", f.DivergenceDistance)
	year := num("year", f.Year)
	return evaluation.NewCampaign{Name: f.Name, Year: year, Programme: f.Programme,
		Aggregation: evaluation.Aggregation(f.Aggregation), Settings: &s}, bad
}

// campaignFormError is the refusal of a campaign form that did not parse
// (bad, by the form's field names), with what the domain finds wrong in
// the rest of the input, so that one refusal names every field: a blank
// form says the name is required as well as the year. A field the form
// already refused keeps the form's message.
func campaignFormError(bad evaluation.FieldErrors, in evaluation.NewCampaign) error {
	if len(bad) == 0 {
		return nil
	}
	c := &evaluation.Campaign{Name: in.Name, Year: in.Year, Programme: in.Programme, Aggregation: in.Aggregation, Settings: *in.Settings}
	if c.Aggregation == "" {
		c.Aggregation = evaluation.TrimmedMean
	}
	args := map[string]map[string]any{}
	if e := evaluation.ErrorAs(c.Validate()); e != nil {
		for field, msg := range e.Fields {
			name := field
			if n, ok := campaignFormFields[field]; ok {
				name = n
			}
			if _, ok := bad[name]; !ok {
				bad[field], args[field] = msg, e.Args[field]
			}
		}
	}
	return bad.ErrWithArgs(args)
}

// formFieldOf maps the domain's field paths to the form's field names.
var campaignFormFields = map[string]string{
	"settings.scoring_opens": "scoring_opens", "settings.scoring_due": "scoring_due", "settings.conclude_due": "conclude_due",
	"settings.load_campaign": "load_campaign", "settings.load_year": "load_year", "settings.collaboration_window": "collaboration_window",
	"settings.panels.basic_research.technical": "br_technical", "settings.panels.basic_research.finance": "br_finance",
	"settings.panels.basic_research.alternates": "br_alternates", "settings.panels.applied_technology.technical": "at_technical",
	"settings.panels.applied_technology.finance": "at_finance", "settings.panels.applied_technology.alternates": "at_alternates",
	"settings.rubrics.basic_research": "rubric_basic_research", "settings.rubrics.applied_technology": "rubric_applied_technology",
	"settings.rubrics.finance": "rubric_finance", "settings.divergence_range": "divergence_range",
	"settings.divergence_distance": "divergence_distance",
}

type campaignFormData struct {
	Campaign *evaluation.Campaign
	Form     campaignForm
	Fields   map[string]string
	Error    string
	Pins     map[string][]*evaluation.Rubric // published versions per target
	// Aggregations are the methods the form offers.
	Aggregations []evaluation.Aggregation
}

func (a *App) renderCampaignForm(c *fiber.Ctx, d campaignFormData) error {
	published, err := a.rubrics.Rubrics(c.UserContext(), actor(c), evaluation.RubricFilter{Status: evaluation.RubricPublished})
	if err != nil {
		return err
	}
	d.Aggregations = evaluation.Aggregations
	d.Pins = map[string][]*evaluation.Rubric{}
	for _, r := range published {
		d.Pins[string(r.Target)] = append(d.Pins[string(r.Target)], r)
	}
	for k, v := range d.Fields {
		if name, ok := campaignFormFields[k]; ok {
			delete(d.Fields, k)
			d.Fields[name] = v
		}
	}
	title := a.T(c, "campaigns.new")
	if d.Campaign != nil {
		title = d.Campaign.Name
	}
	return a.render(c, "campaign_form", title, d)
}

func (a *App) campaignNewPage(c *fiber.Ctx) error {
	var f campaignForm
	f.fill(&evaluation.Campaign{Year: a.cfg.Now().In(evaluation.Beijing).Year(), Aggregation: evaluation.TrimmedMean,
		Settings: evaluation.DefaultCampaignSettings()})
	f.Year = strconv.Itoa(a.cfg.Now().In(evaluation.Beijing).Year())
	return a.renderCampaignForm(c, campaignFormData{Form: f})
}

func (a *App) campaignCreate(c *fiber.Ctx) error {
	var f campaignForm
	if err := c.BodyParser(&f); err != nil {
		return evaluation.Errorf(evaluation.Invalid, "error.invalid_input")
	}
	in, bad := f.input(evaluation.DefaultCampaignSettings())
	err := campaignFormError(bad, in)
	var camp *evaluation.Campaign
	if err == nil {
		camp, err = a.campaigns.CreateCampaign(c.UserContext(), actor(c), in)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderCampaignForm(c, campaignFormData{Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "campaigns.created")
	return c.Redirect(fmt.Sprintf("/campaigns/%d", camp.ID), fiber.StatusSeeOther)
}

func (a *App) loadCampaign(c *fiber.Ctx) (*evaluation.Campaign, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return a.campaigns.Campaign(c.UserContext(), actor(c), id)
}

func (a *App) campaignEditPage(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	var f campaignForm
	f.fill(camp)
	return a.renderCampaignForm(c, campaignFormData{Campaign: camp, Form: f})
}

func (a *App) campaignUpdate(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	var f campaignForm
	if err := c.BodyParser(&f); err != nil {
		return evaluation.Errorf(evaluation.Invalid, "error.invalid_input")
	}
	in, bad := f.input(camp.Settings)
	err = campaignFormError(bad, in)
	if err == nil {
		_, err = a.campaigns.UpdateCampaign(c.UserContext(), actor(c), camp.ID, in)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderCampaignForm(c, campaignFormData{Campaign: camp, Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "campaigns.updated")
	return c.Redirect(fmt.Sprintf("/campaigns/%d", camp.ID), fiber.StatusSeeOther)
}

type campaignData struct {
	Campaign *evaluation.Campaign
	Agency   *evaluation.Agency // the campaign's agency, named in the reader's language
	Projects []*evaluation.Project
	Pager    *pager
	Filter   evaluation.ProjectFilter
	// PanelFilter is the panel filter as asked: "with", "without" or "".
	PanelFilter string
	Moves       []evaluation.Transition
	History     []*evaluation.CampaignTransition
	Editable    bool // projects can be added and changed
	CanEdit     bool // the campaign's settings can change
	Classes     []evaluation.ProjectClass
	Rubrics     map[string]*evaluation.Rubric
	MoveError   string
	MoveFields  map[string]string
	// Panels: the campaign's panels, the number of its projects without
	// one, problems of the last draw or match.
	Panels        []*evaluation.Panel
	Unpaneled     int
	CanForm       bool
	PanelError    string
	PanelProblems []string
	// Review: the commission's approval (pages_publicity.go).
	Review campaignReview
}

func (a *App) campaignPage(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	return a.showCampaign(c, camp, campaignData{})
}

func (a *App) showCampaign(c *fiber.Ctx, camp *evaluation.Campaign, d campaignData) error {
	ctx, act := c.UserContext(), actor(c)
	d.Campaign = camp
	var err error
	if d.Agency, err = a.accounts.Agency(ctx, act, camp.AgencyID); err != nil {
		return err
	}
	if d.Filter, err = projectFilter(c, camp.ID); err != nil {
		return err
	}
	if d.Filter.Paneled != nil {
		d.PanelFilter = map[bool]string{true: "with", false: "without"}[*d.Filter.Paneled]
	}
	list, total, err := a.campaigns.Projects(ctx, act, d.Filter)
	if err != nil {
		return err
	}
	d.Projects, d.Pager = list, newPager(c, d.Filter.Page, total, d.Filter.Sort)
	if d.History, err = a.campaigns.CampaignTransitions(ctx, act, camp.ID); err != nil {
		return err
	}
	// The commission returns projects with their comments from the
	// results, and approves with the publicity (pages_publicity.go), not
	// by the bare moves.
	d.Moves = slices.DeleteFunc(evaluation.NextStates(camp.State, act.Role), func(t evaluation.Transition) bool {
		return t.To == evaluation.CampaignReturned || t.To == evaluation.CampaignApproved || t.To == evaluation.CampaignPublished
	})
	if err := a.campaignReviewView(c, &d); err != nil {
		return err
	}
	manager := evaluation.CanManageCampaign(act, camp)
	d.Editable = manager && evaluation.ProjectsEditable(camp)
	d.CanEdit = manager && evaluation.CampaignEditable(camp)
	d.Classes = evaluation.ProjectClasses
	if camp.State != evaluation.CampaignDraft {
		if d.Panels, err = a.panels.Panels(ctx, act, camp.ID); err != nil {
			return err
		}
		if _, d.Unpaneled, err = a.campaigns.Projects(ctx, act, evaluation.ProjectFilter{CampaignID: camp.ID,
			Paneled: ptrTo(false), Page: evaluation.Page{Size: 1}}); err != nil {
			return err
		}
		d.CanForm = manager && evaluation.PanelsOpen(camp)
	}
	d.Rubrics = map[string]*evaluation.Rubric{}
	for key, pin := range camp.Settings.Rubrics {
		r, err := a.rubrics.Rubric(ctx, act, pin.Code, pin.Version)
		if err != nil {
			return fmt.Errorf("rubric %s/v%d pinned by campaign %d: %w", pin.Code, pin.Version, camp.ID, err)
		}
		d.Rubrics[key] = r
	}
	return a.render(c, "campaign", camp.Name, d)
}

func (a *App) campaignTransition(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	var f transitionRequest
	err = a.parseForm(c, &f)
	if err == nil {
		_, err = a.campaigns.TransitionCampaign(c.UserContext(), actor(c), camp.ID, evaluation.CampaignState(f.To), f.Reason)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(statusOf[evaluation.ErrorCode(err)])
		// Only a reason has its place beside a field of the page's
		// forms; what else was wrong (no state to move to) is said
		// with the message.
		return a.showCampaign(c, camp, campaignData{MoveError: withUnplaced(msg, fields, "reason"), MoveFields: fields})
	}
	if err != nil {
		return err
	}
	a.flash(c, "campaigns.moved")
	return c.Redirect(fmt.Sprintf("/campaigns/%d", camp.ID), fiber.StatusSeeOther)
}

type projectData struct {
	Campaign *evaluation.Campaign
	Project  *evaluation.Project
	Editable bool
	Form     projectForm
	Fields   map[string]string
	Error    string
	Classes  []evaluation.ProjectClass
	Methods  []evaluation.Method
	Kinds    []evaluation.IndicatorKind
	Statuses []evaluation.IndicatorStatus
	// Records are the project's materials and method records
	// (pages_materials.go).
	Records *projectRecords
}

func (a *App) projectPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := a.campaigns.Project(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	camp, err := a.campaigns.Campaign(c.UserContext(), actor(c), p.CampaignID)
	if err != nil {
		return err
	}
	return a.showProject(c, p, camp, nil)
}

// showProject renders the project page; rec carries a refused materials or
// method record form, or is nil.
func (a *App) showProject(c *fiber.Ctx, p *evaluation.Project, camp *evaluation.Campaign, rec *projectRecords) error {
	editable := evaluation.CanManageCampaign(actor(c), camp) && evaluation.ProjectsEditable(camp)
	rec, err := a.projectRecords(c, p, camp, rec)
	if err != nil {
		return err
	}
	return a.render(c, "project", p.Code+" "+p.Title, projectData{Campaign: camp, Project: p, Editable: editable, Records: rec})
}

func (a *App) renderProjectForm(c *fiber.Ctx, d projectData) error {
	d.Classes, d.Methods, d.Kinds, d.Statuses = evaluation.ProjectClasses, evaluation.Methods, evaluation.IndicatorKinds, evaluation.IndicatorStatuses
	if len(d.Fields) > 0 {
		fields := make(map[string]string, len(d.Fields))
		for k, v := range d.Fields {
			fields[projectFormField(k)] = v
		}
		d.Fields = fields
	}
	title := a.T(c, "projects.new")
	if d.Project != nil {
		title = d.Project.Code
	}
	return a.render(c, "project_form", title, d)
}

func (a *App) projectNewPage(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	var f projectForm
	f.fill(&evaluation.Project{Class: evaluation.AppliedTechnology, Indicators: make([]evaluation.Indicator, 1)})
	return a.renderProjectForm(c, projectData{Campaign: camp, Form: f})
}

func (a *App) projectCreate(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	f := readProjectForm(c)
	if op := c.FormValue("op"); op != "save" {
		f.edit(op)
		return a.renderProjectForm(c, projectData{Campaign: camp, Form: f})
	}
	p, bad := f.project()
	err = bad.Err()
	if err == nil {
		p, err = a.campaigns.CreateProject(c.UserContext(), actor(c), camp.ID, p)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderProjectForm(c, projectData{Campaign: camp, Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "projects.created")
	return c.Redirect(fmt.Sprintf("/projects/%d", p.ID), fiber.StatusSeeOther)
}

func (a *App) loadProjectAndCampaign(c *fiber.Ctx) (*evaluation.Project, *evaluation.Campaign, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	p, err := a.campaigns.Project(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, nil, err
	}
	camp, err := a.campaigns.Campaign(c.UserContext(), actor(c), p.CampaignID)
	return p, camp, err
}

func (a *App) projectEditPage(c *fiber.Ctx) error {
	p, camp, err := a.loadProjectAndCampaign(c)
	if err != nil {
		return err
	}
	var f projectForm
	f.fill(p)
	return a.renderProjectForm(c, projectData{Campaign: camp, Project: p, Form: f})
}

func (a *App) projectUpdate(c *fiber.Ctx) error {
	p, camp, err := a.loadProjectAndCampaign(c)
	if err != nil {
		return err
	}
	f := readProjectForm(c)
	if op := c.FormValue("op"); op != "save" {
		f.edit(op)
		return a.renderProjectForm(c, projectData{Campaign: camp, Project: p, Form: f})
	}
	in, bad := f.project()
	err = bad.Err()
	if err == nil {
		_, err = a.campaigns.UpdateProject(c.UserContext(), actor(c), p.ID, in)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderProjectForm(c, projectData{Campaign: camp, Project: p, Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "projects.updated")
	return c.Redirect(fmt.Sprintf("/projects/%d", p.ID), fiber.StatusSeeOther)
}

func (a *App) projectDelete(c *fiber.Ctx) error {
	p, _, err := a.loadProjectAndCampaign(c)
	if err != nil {
		return err
	}
	if err := a.campaigns.DeleteProject(c.UserContext(), actor(c), p.ID); err != nil {
		return err
	}
	a.flash(c, "projects.deleted")
	return c.Redirect(fmt.Sprintf("/campaigns/%d", p.CampaignID), fiber.StatusSeeOther)
}

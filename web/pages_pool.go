package web

import (
	"context"
	"strconv"
	"strings"
	"unicode"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// poolServices are the calls behind the expert pool's pages and API.
type poolServices interface {
	ThisYear() int
	Expert(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Expert, error)
	Experts(ctx context.Context, actor evaluation.Actor, f evaluation.ExpertFilter) ([]*evaluation.ExpertSummary, int, error)
	CreateExpert(ctx context.Context, actor evaluation.Actor, e *evaluation.Expert) error
	UpdateExpert(ctx context.Context, actor evaluation.Actor, id int64, up evaluation.ExpertUpdate) (*evaluation.Expert, error)
	SetExpertDrawable(ctx context.Context, actor evaluation.Actor, id int64, drawable bool, reason string) (*evaluation.Expert, error)
	ExpertLoad(ctx context.Context, actor evaluation.Actor, id int64) ([]evaluation.YearLoad, error)
	CheckExpertImport(ctx context.Context, actor evaluation.Actor, list []*evaluation.Expert) error
	ImportExperts(ctx context.Context, actor evaluation.Actor, list []*evaluation.Expert, file evaluation.ImportFile) error

	ExpertConflicts(ctx context.Context, actor evaluation.Actor, expertID int64) ([]*evaluation.ExpertConflict, error)
	AddExpertConflict(ctx context.Context, actor evaluation.Actor, expertID int64, c *evaluation.ExpertConflict) error
	RemoveExpertConflict(ctx context.Context, actor evaluation.Actor, expertID, id int64) error
	ExpertCollaborations(ctx context.Context, actor evaluation.Actor, expertID int64) ([]*evaluation.ExpertCollaboration, error)
	AddCollaboration(ctx context.Context, actor evaluation.Actor, expertID int64, c *evaluation.ExpertCollaboration) error
	RemoveCollaboration(ctx context.Context, actor evaluation.Actor, expertID, id int64) error

	InstitutionAliases(ctx context.Context, actor evaluation.Actor) ([]*evaluation.InstitutionAlias, error)
	AddInstitutionAlias(ctx context.Context, actor evaluation.Actor, alias, canonical string) (*evaluation.InstitutionAlias, error)
	RemoveInstitutionAlias(ctx context.Context, actor evaluation.Actor, alias string) error
}

// poolRoutes: the expert pool's pages and API. The pool list is for those
// who manage or draw from it; a profile page is open to every role (the
// service shows an expert only their own); experts declare their own
// conflicts; administrators keep the institution aliases.
func (a *App) poolRoutes() {
	var (
		poolRead    = rbac.Read("expert")
		poolWrite   = rbac.Write("expert")
		profileRead = rbac.Read("expert_profile")
		declRead    = rbac.Read("expert_conflict")
		declWrite   = rbac.Write("expert_conflict")
		aliasRead   = rbac.Read("institution_alias")
		aliasWrite  = rbac.Write("institution_alias")
	)
	// HTML pages; the fixed paths come before /experts/:id.
	a.route(get, "/experts", poolRead, a.expertsPage)
	a.route(get, "/experts/new", poolWrite, a.expertNewPage)
	a.route(post, "/experts", poolWrite, a.expertCreate)
	a.route(get, "/experts/aliases", aliasRead, a.aliasesPage)
	a.route(post, "/experts/aliases", aliasWrite, a.aliasAdd)
	a.route(post, "/experts/aliases/delete", aliasWrite, a.aliasDelete)
	a.route(get, "/experts/:id", profileRead, a.expertPage)
	a.route(get, "/experts/:id/edit", poolWrite, a.expertEditPage)
	a.route(post, "/experts/:id", poolWrite, a.expertUpdate)
	a.route(post, "/experts/:id/flag", poolWrite, a.expertFlag)
	a.route(post, "/experts/:id/conflicts", declWrite, a.expertAddConflict)
	a.route(post, "/experts/:id/conflicts/:cid/delete", declWrite, a.expertDeleteConflict)
	a.route(post, "/experts/:id/collaborations", poolWrite, a.expertAddCollaboration)
	a.route(post, "/experts/:id/collaborations/:cid/delete", poolWrite, a.expertDeleteCollaboration)

	// JSON API.
	a.route(get, "/api/v1/experts", poolRead, a.apiExperts)
	a.route(post, "/api/v1/experts", poolWrite, a.apiCreateExpert)
	a.route(get, "/api/v1/experts/:id", profileRead, a.apiExpert)
	a.route(patch, "/api/v1/experts/:id", poolWrite, a.apiUpdateExpert)
	a.route(post, "/api/v1/experts/:id/flag", poolWrite, a.apiFlagExpert)
	a.route(get, "/api/v1/experts/:id/conflicts", declRead, a.apiExpertConflicts)
	a.route(post, "/api/v1/experts/:id/conflicts", declWrite, a.apiAddExpertConflict)
	a.route(del, "/api/v1/experts/:id/conflicts/:cid", declWrite, a.apiDeleteExpertConflict)
	a.route(get, "/api/v1/experts/:id/collaborations", profileRead, a.apiExpertCollaborations)
	a.route(post, "/api/v1/experts/:id/collaborations", poolWrite, a.apiAddCollaboration)
	a.route(del, "/api/v1/experts/:id/collaborations/:cid", poolWrite, a.apiDeleteCollaboration)
	a.route(get, "/api/v1/institution-aliases", aliasRead, a.apiAliases)
	a.route(post, "/api/v1/institution-aliases", aliasWrite, a.apiAddAlias)
	a.route(del, "/api/v1/institution-aliases/:alias", aliasWrite, a.apiDeleteAlias)
}

// poolFilter reads the pool list's filters from the query (UI and API). A
// value that names nothing is refused, not ignored.
func poolFilter(c *fiber.Ctx) (evaluation.ExpertFilter, error) {
	f := evaluation.ExpertFilter{
		Query:   strings.TrimSpace(c.Query("q")),
		Type:    evaluation.ExpertType(c.Query("type")),
		Region:  evaluation.Region(c.Query("region")),
		Subject: strings.TrimSpace(c.Query("subject")),
		Sort:    c.Query("sort", "name"),
	}
	fe := evaluation.FieldErrors{}
	f.Page = pageParams(c, fe)
	f.Year = queryInt(c, fe, "year")
	switch c.Query("drawable") {
	case "":
	case "true":
		f.Drawable = new(bool)
		*f.Drawable = true
	case "false":
		f.Drawable = new(bool)
	default:
		fe.Add("drawable", "error.drawable_filter")
	}
	return f, filterError(fe, &f)
}

type expertsData struct {
	Experts   []*evaluation.ExpertSummary
	Pager     *pager
	Filter    evaluation.ExpertFilter
	Drawable  string
	Year      int
	CanManage bool
	IsAdmin   bool
	Types     []evaluation.ExpertType
	Regions   []evaluation.Region
}

// Filtered reports whether the list is narrowed by a filter, so that an
// empty list says "no match" rather than "the pool is empty".
func (d expertsData) Filtered() bool {
	f := d.Filter
	return f.Query != "" || f.Type != "" || f.Region != "" || f.Drawable != nil || f.Subject != ""
}

func (a *App) expertsPage(c *fiber.Ctx) error {
	f, err := poolFilter(c)
	if err != nil {
		return err
	}
	list, total, err := a.pool.Experts(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	year := f.Year
	if year == 0 {
		year = a.pool.ThisYear()
	}
	act := actor(c)
	return a.render(c, "experts", a.T(c, "nav.experts"), expertsData{Experts: list, Pager: newPager(c, f.Page, total, f.Sort),
		Filter: f, Drawable: c.Query("drawable"), Year: year, CanManage: evaluation.CanManagePool(act), IsAdmin: act.IsAdmin(),
		Types: evaluation.ExpertTypes, Regions: evaluation.Regions})
}

// expertForm is the profile form of the new-expert and edit pages: lists
// are typed in one field each. The flag fields count only on the new-expert
// form; an existing profile's flag changes through its own form.
type expertForm struct {
	Name         string `json:"name" form:"name" validate:"required,max=64"`
	Type         string `json:"type" form:"type" validate:"required,expert_type"`
	Institution  string `json:"institution" form:"institution" validate:"required,max=128"`
	Title        string `json:"title" form:"title" validate:"max=64"`
	TitleLevel   string `json:"title_level" form:"title_level" validate:"required,title_level"`
	SubjectCodes string `json:"subject_codes" form:"subject_codes" validate:"max=200"`
	Keywords     string `json:"keywords" form:"keywords" validate:"max=1000"`
	Region       string `json:"region" form:"region" validate:"required,region"`
	Languages    string `json:"languages" form:"languages" validate:"max=100"`
	Email        string `json:"email" form:"email" validate:"omitempty,email,max=254"`
	CanBeDrawn   string `json:"can_be_drawn" form:"can_be_drawn" validate:"omitempty,oneof=0 1"`
	NoDrawReason string `json:"no_draw_reason" form:"no_draw_reason" validate:"max=500"`
}

// splitEntries splits a list typed in one field at commas, semicolons and the
// enumeration comma (full-width too) and line breaks, and at spaces when
// words is false (codes, language tags); keywords keep their spaces
// ("machine learning").
func splitEntries(s string, words bool) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ',', '，', ';', '；', '、', '\n', '\r':
			return true
		}
		return !words && unicode.IsSpace(r)
	})
}

func (f *expertForm) expert() *evaluation.Expert {
	return &evaluation.Expert{Name: f.Name, Type: evaluation.ExpertType(f.Type), Institution: f.Institution, Title: f.Title,
		TitleLevel: evaluation.TitleLevel(f.TitleLevel), SubjectCodes: splitEntries(f.SubjectCodes, false),
		Keywords: splitEntries(f.Keywords, true), Region: evaluation.Region(f.Region), Languages: splitEntries(f.Languages, false),
		Email: f.Email, CanBeDrawn: f.CanBeDrawn != "0", NoDrawReason: f.NoDrawReason}
}

func (f *expertForm) update() evaluation.ExpertUpdate {
	e := f.expert()
	return evaluation.ExpertUpdate{Name: &e.Name, Type: &e.Type, Institution: &e.Institution, Title: &e.Title,
		TitleLevel: &e.TitleLevel, SubjectCodes: &e.SubjectCodes, Keywords: &e.Keywords, Region: &e.Region,
		Languages: &e.Languages, Email: &e.Email}
}

func expertFormOf(e *evaluation.Expert) expertForm {
	drawable := "1"
	if !e.CanBeDrawn {
		drawable = "0"
	}
	return expertForm{Name: e.Name, Type: string(e.Type), Institution: e.Institution, Title: e.Title,
		TitleLevel: string(e.TitleLevel), SubjectCodes: strings.Join(e.SubjectCodes, " "), Keywords: strings.Join(e.Keywords, ", "),
		Region: string(e.Region), Languages: strings.Join(e.Languages, " "), Email: e.Email, CanBeDrawn: drawable,
		NoDrawReason: e.NoDrawReason}
}

// oneFieldPerList files the domain's messages about list entries
// ("subject_codes.2") under the list's one form field.
func oneFieldPerList(fields map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if i := strings.IndexByte(k, '.'); i > 0 {
			if _, err := strconv.Atoi(k[i+1:]); err == nil {
				k = k[:i]
			}
		}
		if _, ok := out[k]; !ok || !strings.Contains(k, ".") {
			out[k] = v
		}
	}
	return out
}

type expertFormData struct {
	Expert      *evaluation.Expert
	Form        expertForm
	Fields      map[string]string
	Error       string
	Types       []evaluation.ExpertType
	Regions     []evaluation.Region
	TitleLevels []evaluation.TitleLevel
}

func (a *App) renderExpertForm(c *fiber.Ctx, d expertFormData) error {
	d.Types, d.Regions, d.TitleLevels = evaluation.ExpertTypes, evaluation.Regions, evaluation.TitleLevels
	d.Fields = oneFieldPerList(d.Fields)
	title := a.T(c, "experts.new")
	if d.Expert != nil {
		title = a.T(c, "experts.edit") + " · " + d.Expert.Name
	}
	return a.render(c, "expert_form", title, d)
}

func (a *App) expertNewPage(c *fiber.Ctx) error {
	return a.renderExpertForm(c, expertFormData{Form: expertForm{Type: string(evaluation.DomainExpert),
		TitleLevel: string(evaluation.TitleSenior), Region: string(evaluation.RegionLocal), Languages: "zh", CanBeDrawn: "1"}})
}

func (a *App) expertCreate(c *fiber.Ctx) error {
	var f expertForm
	err := a.parseForm(c, &f)
	var e *evaluation.Expert
	if err == nil {
		e = f.expert()
		err = a.pool.CreateExpert(c.UserContext(), actor(c), e)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderExpertForm(c, expertFormData{Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "experts.created")
	return c.Redirect(expertURL(e.ID), fiber.StatusSeeOther)
}

func expertURL(id int64) string { return "/experts/" + strconv.FormatInt(id, 10) }

func (a *App) expertEditPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := a.pool.Expert(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return a.renderExpertForm(c, expertFormData{Expert: e, Form: expertFormOf(e)})
}

func (a *App) expertUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	e, err := a.pool.Expert(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	var f expertForm
	err = a.parseForm(c, &f)
	if err == nil {
		_, err = a.pool.UpdateExpert(c.UserContext(), actor(c), id, f.update())
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderExpertForm(c, expertFormData{Expert: e, Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "experts.updated")
	return c.Redirect(expertURL(id), fiber.StatusSeeOther)
}

// expertPageData is the profile page: the profile, the load, the flag, the
// declared conflicts and the collaborations, with the forms the actor may
// use. Section names the form a refused submission came from, so that its
// problems show beside it.
type expertPageData struct {
	Expert         *evaluation.Expert
	Loads          []evaluation.YearLoad
	Conflicts      []*evaluation.ExpertConflict
	Removable      map[int64]bool
	Collaborations []*evaluation.ExpertCollaboration
	CanManage      bool
	CanDeclare     bool
	IsSelf         bool
	ThisYear       int
	Kinds          []evaluation.CollaborationKind

	// Projects are the projects the expert was invited to review, which
	// a conflict may name; ProjectNames finds them by id.
	Projects     []evaluation.InvitedProject
	ProjectNames map[int64]evaluation.InvitedProject

	// Records are the expert's records by campaign, for the
	// administrators and the commission (ShowRecords); Summary sums them
	// and Deferral says whether draws place the expert after others.
	ShowRecords bool
	Records     []*evaluation.ExpertRecord
	Summary     *evaluation.ExpertRecordSummary
	Deferral    string

	ConflictForm conflictForm
	CollabForm   collaborationForm
	FlagForm     flagForm
	Section      string
	Fields       map[string]string
	Error        string
}

// FieldsFor returns the field problems when they belong to the section's
// form, else nil.
func (d expertPageData) FieldsFor(section string) map[string]string {
	if d.Section != section {
		return nil
	}
	return d.Fields
}

// ErrorFor returns the error message when it belongs to the section's form.
func (d expertPageData) ErrorFor(section string) string {
	if d.Section != section {
		return ""
	}
	return d.Error
}

func (a *App) expertPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.showExpert(c, id, expertPageData{})
}

func (a *App) showExpert(c *fiber.Ctx, id int64, d expertPageData) error {
	ctx, act := c.UserContext(), actor(c)
	var err error
	if d.Expert, err = a.pool.Expert(ctx, act, id); err != nil {
		return err
	}
	if d.Loads, err = a.pool.ExpertLoad(ctx, act, id); err != nil {
		return err
	}
	if d.Conflicts, err = a.pool.ExpertConflicts(ctx, act, id); err != nil {
		return err
	}
	if d.Collaborations, err = a.pool.ExpertCollaborations(ctx, act, id); err != nil {
		return err
	}
	if d.ShowRecords = evaluation.CanReadExpertRecords(act); d.ShowRecords {
		if d.Records, err = a.records.ExpertRecords(ctx, act, id); err != nil {
			return err
		}
		d.Summary = evaluation.SummarizeExpertRecords(d.Records)
		d.Deferral, _ = evaluation.DeferralOf(d.Summary)
	}
	d.Removable = map[int64]bool{}
	for _, cf := range d.Conflicts {
		d.Removable[cf.ID] = evaluation.CanRemoveConflict(act, cf)
	}
	d.CanManage, d.CanDeclare = evaluation.CanManagePool(act), evaluation.CanDeclareConflicts(act, id)
	d.IsSelf = act.Role == evaluation.RoleExpert
	d.ProjectNames = map[int64]evaluation.InvitedProject{}
	if d.CanDeclare {
		if d.Projects, err = a.panels.InvitedProjects(ctx, act, id); err != nil {
			return err
		}
		for _, p := range d.Projects {
			d.ProjectNames[p.ID] = p
		}
	}
	d.ThisYear, d.Kinds = a.pool.ThisYear(), evaluation.CollaborationKinds
	if d.Section != "conflict" {
		d.ConflictForm = conflictForm{Year: d.ThisYear}
	}
	if d.Section != "collaboration" {
		d.CollabForm = collaborationForm{Kind: string(evaluation.JointPaper), Year: d.ThisYear}
	}
	return a.render(c, "expert", d.Expert.Name, d)
}

// flagForm turns the can-be-drawn flag on or off, with the reason.
type flagForm struct {
	CanBeDrawn   string `json:"can_be_drawn" form:"can_be_drawn" validate:"required,oneof=0 1"`
	NoDrawReason string `json:"no_draw_reason" form:"no_draw_reason" validate:"max=500"`
}

func (a *App) expertFlag(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f flagForm
	err = a.parseForm(c, &f)
	var e *evaluation.Expert
	if err == nil {
		e, err = a.pool.SetExpertDrawable(c.UserContext(), actor(c), id, f.CanBeDrawn == "1", f.NoDrawReason)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.showExpert(c, id, expertPageData{FlagForm: f, Section: "flag", Fields: fields, Error: withUnplaced(msg, fields, "no_draw_reason")})
	}
	if err != nil {
		return err
	}
	if e.CanBeDrawn {
		a.flash(c, "experts.flag_on_done")
	} else {
		a.flash(c, "experts.flag_off_done")
	}
	return c.Redirect(expertURL(id)+"#flag", fiber.StatusSeeOther)
}

// conflictForm declares a conflict: with a project (its id; the page
// offers the projects the expert was invited to, by code and title), a
// person or an institution, in a year. Project 0 is none.
type conflictForm struct {
	ProjectID   int64  `json:"project_id" form:"project_id" validate:"gte=0"`
	Person      string `json:"person" form:"person" validate:"max=64"`
	Institution string `json:"institution" form:"institution" validate:"max=128"`
	Year        int    `json:"year" form:"year" validate:"required,gte=1950,lte=2100"`
	Note        string `json:"note" form:"note" validate:"max=500"`
}

func (f *conflictForm) record() *evaluation.ExpertConflict {
	return &evaluation.ExpertConflict{ProjectID: f.ProjectID, Person: f.Person, Institution: f.Institution, Year: f.Year, Note: f.Note}
}

func (a *App) expertAddConflict(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f conflictForm
	err = a.parseForm(c, &f)
	if err == nil {
		err = a.pool.AddExpertConflict(c.UserContext(), actor(c), id, f.record())
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.showExpert(c, id, expertPageData{ConflictForm: f, Section: "conflict", Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "experts.conflict_added")
	return c.Redirect(expertURL(id)+"#conflicts", fiber.StatusSeeOther)
}

func (a *App) expertDeleteConflict(c *fiber.Ctx) error {
	id, cid, err := paramIDs(c, "id", "cid")
	if err != nil {
		return err
	}
	if err := a.pool.RemoveExpertConflict(c.UserContext(), actor(c), id, cid); err != nil {
		return err
	}
	a.flash(c, "experts.conflict_removed")
	return c.Redirect(expertURL(id)+"#conflicts", fiber.StatusSeeOther)
}

// collaborationForm records a joint project, paper, patent or award.
type collaborationForm struct {
	Kind        string `json:"kind" form:"kind" validate:"required,collaboration_kind"`
	Person      string `json:"person" form:"person" validate:"max=64"`
	Institution string `json:"institution" form:"institution" validate:"max=128"`
	Year        int    `json:"year" form:"year" validate:"required,gte=1950,lte=2100"`
	Note        string `json:"note" form:"note" validate:"max=500"`
}

func (f *collaborationForm) record() *evaluation.ExpertCollaboration {
	return &evaluation.ExpertCollaboration{Kind: evaluation.CollaborationKind(f.Kind), Person: f.Person,
		Institution: f.Institution, Year: f.Year, Note: f.Note}
}

func (a *App) expertAddCollaboration(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f collaborationForm
	err = a.parseForm(c, &f)
	if err == nil {
		err = a.pool.AddCollaboration(c.UserContext(), actor(c), id, f.record())
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.showExpert(c, id, expertPageData{CollabForm: f, Section: "collaboration", Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "experts.collaboration_added")
	return c.Redirect(expertURL(id)+"#collaborations", fiber.StatusSeeOther)
}

func (a *App) expertDeleteCollaboration(c *fiber.Ctx) error {
	id, cid, err := paramIDs(c, "id", "cid")
	if err != nil {
		return err
	}
	if err := a.pool.RemoveCollaboration(c.UserContext(), actor(c), id, cid); err != nil {
		return err
	}
	a.flash(c, "experts.collaboration_removed")
	return c.Redirect(expertURL(id)+"#collaborations", fiber.StatusSeeOther)
}

// aliasForm adds an institution alias.
type aliasForm struct {
	Alias     string `json:"alias" form:"alias" validate:"required,max=128"`
	Canonical string `json:"canonical" form:"canonical" validate:"required,max=128"`
}

type aliasesData struct {
	Aliases []*evaluation.InstitutionAlias
	Form    aliasForm
	Fields  map[string]string
	Error   string
}

func (a *App) aliasesPage(c *fiber.Ctx) error { return a.showAliases(c, aliasesData{}) }

func (a *App) showAliases(c *fiber.Ctx, d aliasesData) error {
	var err error
	if d.Aliases, err = a.pool.InstitutionAliases(c.UserContext(), actor(c)); err != nil {
		return err
	}
	return a.render(c, "expert_aliases", a.T(c, "aliases.title"), d)
}

func (a *App) aliasAdd(c *fiber.Ctx) error {
	var f aliasForm
	err := a.parseForm(c, &f)
	if err == nil {
		_, err = a.pool.AddInstitutionAlias(c.UserContext(), actor(c), f.Alias, f.Canonical)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.showAliases(c, aliasesData{Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "aliases.added")
	return c.Redirect("/experts/aliases", fiber.StatusSeeOther)
}

func (a *App) aliasDelete(c *fiber.Ctx) error {
	if err := a.pool.RemoveInstitutionAlias(c.UserContext(), actor(c), c.FormValue("alias")); err != nil {
		return err
	}
	a.flash(c, "aliases.removed")
	return c.Redirect("/experts/aliases", fiber.StatusSeeOther)
}

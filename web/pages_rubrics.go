package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

// rubricRoutes: the rubric pages, editor and API.
func (a *App) rubricRoutes() {
	rubRead, rubWrite := rbac.Read("rubric"), rbac.Write("rubric")
	a.route(get, "/rubrics", rubRead, a.rubricsPage)
	a.route(get, "/rubrics/:code/:version", rubRead, a.rubricPage)
	a.route(post, "/rubrics/:code/:version/new-version", rubWrite, a.rubricNewVersion)
	a.route(get, "/rubrics/:code/:version/edit", rubWrite, a.rubricEditPage)
	a.route(post, "/rubrics/:code/:version/edit", rubWrite, a.rubricEditSubmit)
	a.route(post, "/rubrics/:code/:version/publish", rubWrite, a.rubricPublish)
	a.route(post, "/rubrics/:code/:version/retire", rubWrite, a.rubricRetire)
	a.route(post, "/rubrics/:code/:version/delete", rubWrite, a.rubricDelete)
	a.route(get, "/api/v1/rubrics", rubRead, a.apiRubrics)
	a.route(post, "/api/v1/rubrics/validate", rubRead, a.apiValidateRubric)
	a.route(get, "/api/v1/rubrics/:code/:version", rubRead, a.apiRubric)
	a.route(post, "/api/v1/rubrics/:code/versions", rubWrite, a.apiNewRubricVersion)
	a.route(put, "/api/v1/rubrics/:code/:version", rubWrite, a.apiUpdateRubric)
	a.route(del, "/api/v1/rubrics/:code/:version", rubWrite, a.apiDeleteRubric)
	a.route(post, "/api/v1/rubrics/:code/:version/publish", rubWrite, a.apiPublishRubric)
	a.route(post, "/api/v1/rubrics/:code/:version/retire", rubWrite, a.apiRetireRubric)
	a.route(post, "/api/v1/rubrics/:code/:version/check", rubRead, a.apiCheckSheet)
}

// rubricParams reads :code and :version; a version of "latest" (API) or
// anything else that is not a positive number is not found.
func rubricParams(c *fiber.Ctx) (string, int, error) {
	code := strings.Clone(c.Params("code"))
	v := c.Params("version")
	if v == "latest" {
		return code, 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return "", 0, evaluation.ErrNotFound
	}
	return code, n, nil
}

// loadRubric loads the rubric version the path names.
func (a *App) loadRubric(c *fiber.Ctx) (*evaluation.Rubric, error) {
	code, version, err := rubricParams(c)
	if err != nil {
		return nil, err
	}
	return a.rubrics.Rubric(c.UserContext(), actor(c), code, version)
}

func rubricURL(r *evaluation.Rubric) string { return fmt.Sprintf("/rubrics/%s/%d", r.Code, r.Version) }

// rubricGroup is one rubric code with its versions, newest first.
type rubricGroup struct {
	Code     string
	Target   rubrics.Target
	Latest   *evaluation.Rubric
	Versions []*evaluation.Rubric
}

type rubricsData struct {
	Groups []rubricGroup
}

func (a *App) rubricsPage(c *fiber.Ctx) error {
	list, err := a.rubrics.Rubrics(c.UserContext(), actor(c), evaluation.RubricFilter{})
	if err != nil {
		return err
	}
	var d rubricsData
	for _, r := range list {
		n := len(d.Groups)
		if n == 0 || d.Groups[n-1].Code != r.Code {
			d.Groups = append(d.Groups, rubricGroup{Code: r.Code, Target: r.Target, Latest: r})
			n++
		}
		d.Groups[n-1].Versions = append(d.Groups[n-1].Versions, r)
	}
	return a.render(c, "rubrics", a.T(c, "nav.rubrics"), d)
}

type rubricData struct {
	Rubric   *evaluation.Rubric
	Versions []*evaluation.Rubric
	// Edit page: the content being edited, its problems by field, the total.
	Content *rubrics.Rubric
	Fields  map[string]string
	Error   string
	Total   rubrics.Points
	Kinds   []rubrics.Kind
	Grades  []rubrics.Grade
}

func (a *App) rubricPage(c *fiber.Ctx) error {
	r, err := a.loadRubric(c)
	if err != nil {
		return err
	}
	versions, err := a.rubrics.Rubrics(c.UserContext(), actor(c), evaluation.RubricFilter{Code: r.Code})
	if err != nil {
		return err
	}
	return a.render(c, "rubric", r.Content.Name.In(string(langOf(c))), rubricData{Rubric: r, Versions: versions})
}

func (a *App) rubricNewVersion(c *fiber.Ctx) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	r, err := a.rubrics.NewRubricVersion(c.UserContext(), actor(c), code, version)
	if err != nil {
		return err
	}
	a.flash(c, "rubrics.draft_created")
	return c.Redirect(rubricURL(r)+"/edit", fiber.StatusSeeOther)
}

func (a *App) rubricEditPage(c *fiber.Ctx) error {
	r, err := a.loadRubric(c)
	if err != nil {
		return err
	}
	if r.Status != evaluation.RubricDraft {
		return evaluation.Errorf(evaluation.Conflict, "error.rubric_published")
	}
	return a.renderRubricEditor(c, r, r.Content, nil, "")
}

func (a *App) renderRubricEditor(c *fiber.Ctx, r *evaluation.Rubric, content *rubrics.Rubric, fields map[string]string, msg string) error {
	title := fmt.Sprintf("%s · v%d", content.Name.In(string(langOf(c))), r.Version)
	return a.render(c, "rubric_edit", title, rubricData{Rubric: r, Content: content, Fields: fields, Error: msg,
		Total: content.Total(), Kinds: rubrics.Kinds, Grades: []rubrics.Grade{rubrics.Excellent, rubrics.Good, rubrics.Pass, rubrics.Fail}})
}

// rubricEditSubmit handles the editor's buttons: a structural edit
// re-renders the form without saving; "save" validates and saves, or shows
// every problem beside its field and saves nothing.
func (a *App) rubricEditSubmit(c *fiber.Ctx) error {
	r, err := a.loadRubric(c)
	if err != nil {
		return err
	}
	vals := map[string]string{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) { vals[string(k)] = string(v) })
	form := newRubricForm(vals)
	content := form.rubric(r.Code, r.Target, r.Version)
	if op := c.FormValue("op"); op != "save" {
		if !applyEdit(content, op) {
			return evaluation.FieldErrors{"op": "error.invalid_input"}.Err()
		}
		return a.renderRubricEditor(c, r, content, nil, "")
	}
	if len(form.ps) > 0 {
		err = evaluation.ProblemsError(form.ps)
	} else {
		_, err = a.rubrics.UpdateRubricDraft(c.UserContext(), actor(c), r.Code, r.Version, content)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.renderRubricEditor(c, r, content, fields, msg)
	}
	if err != nil {
		return err
	}
	a.flash(c, "rubrics.saved")
	return c.Redirect(rubricURL(r), fiber.StatusSeeOther)
}

func (a *App) rubricPublish(c *fiber.Ctx) error {
	return a.rubricMove(c, a.rubrics.PublishRubric, "rubrics.published")
}

func (a *App) rubricRetire(c *fiber.Ctx) error {
	return a.rubricMove(c, a.rubrics.RetireRubric, "rubrics.retired")
}

func (a *App) rubricMove(c *fiber.Ctx, move func(context.Context, evaluation.Actor, string, int) (*evaluation.Rubric, error), flash string) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	r, err := move(c.UserContext(), actor(c), code, version)
	if e := evaluation.ErrorAs(err); e != nil && e.Code == evaluation.Invalid {
		// A draft that no longer validates opens in the editor with its problems.
		cur, lerr := a.loadRubric(c)
		if lerr != nil {
			return lerr
		}
		c.Status(fiber.StatusBadRequest)
		fields, msg, _ := a.formProblems(c, err)
		return a.renderRubricEditor(c, cur, cur.Content, fields, msg)
	}
	if err != nil {
		return err
	}
	a.flash(c, flash)
	return c.Redirect(rubricURL(r), fiber.StatusSeeOther)
}

func (a *App) rubricDelete(c *fiber.Ctx) error {
	code, version, err := rubricParams(c)
	if err != nil {
		return err
	}
	if err := a.rubrics.DeleteRubricDraft(c.UserContext(), actor(c), code, version); err != nil {
		return err
	}
	a.flash(c, "rubrics.deleted")
	return c.Redirect("/rubrics", fiber.StatusSeeOther)
}

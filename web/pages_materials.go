package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// demoRows is how many checklist rows the demonstration form offers.
const demoRows = 8

// projectRecords is the materials and method records part of the project
// page, with the state of a refused form.
type projectRecords struct {
	Materials  []materialRow
	Records    []*evaluation.MethodRecord
	Indicators map[int64]evaluation.Indicator
	Kinds      []evaluation.MaterialKind
	// What the viewer may do now.
	CanUpload, CanDelete, CanRecord bool
	// The on-site methods the project has: records are offered only for
	// those.
	HasInspection, HasTest, HasDemo bool
	Limit                           string // the upload limit, for the hint
	Today                           string
	// A refused form: its id, message, field messages and the values sent.
	Form   string
	Error  string
	Fields map[string]string
	Values methodForm
	Kind   string
}

// materialRow is a material as the table shows it.
type materialRow struct {
	*evaluation.Material
	SizeText string
	PDF      bool
}

func materialRows(list []*evaluation.Material) []materialRow {
	rows := make([]materialRow, len(list))
	for i, m := range list {
		rows[i] = materialRow{Material: m, SizeText: evaluation.SizeText(m.Size), PDF: m.ContentType == evaluation.TypePDF}
	}
	return rows
}

// projectRecords fills in the materials and method records of a project
// for its page; rec carries a refused form, or is nil.
func (a *App) projectRecords(c *fiber.Ctx, p *evaluation.Project, camp *evaluation.Campaign, rec *projectRecords) (*projectRecords, error) {
	if rec == nil {
		rec = &projectRecords{}
	}
	ctx, act := c.UserContext(), actor(c)
	list, err := a.materials.Materials(ctx, act, p.ID)
	if err != nil {
		return nil, err
	}
	if rec.Records, err = a.materials.MethodRecords(ctx, act, p.ID); err != nil {
		return nil, err
	}
	rec.Materials = materialRows(list)
	staff := evaluation.CanManageCampaign(act, camp)
	rec.CanUpload = staff && evaluation.MaterialsOpen(camp)
	rec.CanDelete = staff && evaluation.MaterialsDeletable(camp)
	rec.CanRecord = staff && evaluation.MethodRecordsOpen(camp)
	for _, m := range p.Methods {
		switch m {
		case evaluation.Inspection:
			rec.HasInspection = true
		case evaluation.Testing:
			rec.HasTest = len(p.Indicators) > 0
		case evaluation.Demonstration:
			rec.HasDemo = true
		}
	}
	rec.Indicators = map[int64]evaluation.Indicator{}
	for _, in := range p.Indicators {
		rec.Indicators[in.ID] = in
	}
	rec.Kinds = evaluation.MaterialKinds
	rec.Limit = evaluation.SizeText(a.materials.UploadLimit())
	rec.Today = a.cfg.Now().In(evaluation.Beijing).Format(time.DateOnly)
	if len(rec.Values.Items) < demoRows {
		rec.Values.Items = append(rec.Values.Items, make([]demoRow, demoRows-len(rec.Values.Items))...)
	}
	return rec, nil
}

// recordsRefused shows the project page again with a refused form's problems,
// with the status of the error (413 for a file over the limit), or
// returns the error when it is not about the input.
func (a *App) recordsRefused(c *fiber.Ctx, projectID int64, form string, err error, values methodForm, kind string) error {
	e := evaluation.ErrorAs(err)
	if e == nil || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return err
	}
	p, err := a.campaigns.Project(c.UserContext(), actor(c), projectID)
	if err != nil {
		return err
	}
	camp, err := a.campaigns.Campaign(c.UserContext(), actor(c), p.CampaignID)
	if err != nil {
		return err
	}
	fields, msg, _ := a.formProblems(c, e)
	status := statusOf[e.Code]
	if errors.Is(e, evaluation.ErrBlobTooLarge) {
		status = fiber.StatusRequestEntityTooLarge
	}
	c.Status(status)
	return a.showProject(c, p, camp, &projectRecords{Form: form, Error: msg, Fields: methodFields(fields), Values: values, Kind: kind})
}

// methodFields maps the domain's field paths to the forms' field names.
func methodFields(fields map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		switch {
		case k == "measured.value":
			k = "measured_value"
		case k == "measured.text":
			k = "measured_text"
		case strings.HasPrefix(k, "participants."):
			k = "participants"
		case strings.HasPrefix(k, "items."):
			k = "items"
		}
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

func (a *App) materialUpload(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := a.uploadMaterial(c, id)
	if err != nil {
		return a.recordsRefused(c, id, "upload-material", err, methodForm{}, c.FormValue("kind"))
	}
	a.flash(c, "materials.uploaded")
	return c.Redirect(fmt.Sprintf("/projects/%d#material-%d", id, m.ID), fiber.StatusSeeOther)
}

func (a *App) materialDeleteForm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := a.materials.Material(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	if err := a.materials.DeleteMaterial(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	a.flash(c, "materials.deleted")
	return c.Redirect(fmt.Sprintf("/projects/%d#materials", m.ProjectID), fiber.StatusSeeOther)
}

type materialsPageData struct {
	Project *evaluation.Project
	Rows    []materialRow
}

// materialsPage lists a project's materials for everyone who may read
// them, experts of its panel included (who do not see the project page).
func (a *App) materialsPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := a.materials.MaterialsProject(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	list, err := a.materials.Materials(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return a.render(c, "materials", a.T(c, "materials.title")+" · "+p.Code, materialsPageData{Project: p, Rows: materialRows(list)})
}

// methodForm is the flat form of the three method records.
type methodForm struct {
	Date          string `form:"date"`
	Place         string `form:"place"`
	Participants  string `form:"participants"`
	Findings      string `form:"findings"`
	IndicatorID   string `form:"indicator_id"`
	MeasuredValue string `form:"measured_value"`
	MeasuredText  string `form:"measured_text"`
	Passed        string `form:"passed"`
	Tester        string `form:"tester"`
	Note          string `form:"note"`
	Items         []demoRow
}

// demoRow is one row of the demonstration checklist form.
type demoRow struct {
	Name  string
	Shown bool
}

// readMethodForm reads the posted form; the checklist rows are item.N and
// shown.N.
func readMethodForm(c *fiber.Ctx) (methodForm, error) {
	var f methodForm
	if err := c.BodyParser(&f); err != nil {
		return f, &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input", Err: err}
	}
	for i := range demoRows {
		f.Items = append(f.Items, demoRow{Name: c.FormValue(fmt.Sprintf("item.%d", i)), Shown: c.FormValue(fmt.Sprintf("shown.%d", i)) == "1"})
	}
	return f, nil
}

// splitParticipants splits a list typed in one box: one per line, or separated
// by commas, semicolons or the Chinese enumeration comma.
func splitParticipants(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("\n\r,，;；、", r) })
}

func (a *App) inspectionCreate(c *fiber.Ctx) error {
	return a.methodCreate(c, "add-inspection", func(f methodForm, id int64) error {
		_, err := a.materials.RecordInspection(c.UserContext(), actor(c), id, evaluation.InspectionRecord{Date: f.Date, Place: f.Place,
			Participants: splitParticipants(f.Participants), Findings: f.Findings})
		return err
	})
}

func (a *App) testCreate(c *fiber.Ctx) error {
	return a.methodCreate(c, "add-test", func(f methodForm, id int64) error {
		bad := evaluation.FieldErrors{}
		in := evaluation.TestRecord{Tester: f.Tester, Date: f.Date, Note: f.Note}
		in.IndicatorID, _ = strconv.ParseInt(f.IndicatorID, 10, 64)
		if v := strings.TrimSpace(f.MeasuredValue); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				bad.Add("measured.value", "error.wrong_type_number")
			}
			in.Measured.Value = &n
		}
		in.Measured.Text = f.MeasuredText
		switch f.Passed {
		case "1":
			in.Passed = true
		case "0":
		default:
			bad.Add("passed", "error.required")
		}
		if problems := bad.Err(); problems != nil {
			// The project is checked first: another agency's is not found.
			if _, err := a.materials.MethodRecords(c.UserContext(), actor(c), id); err != nil {
				return err
			}
			return problems
		}
		_, err := a.materials.RecordTest(c.UserContext(), actor(c), id, in)
		return err
	})
}

func (a *App) demonstrationCreate(c *fiber.Ctx) error {
	return a.methodCreate(c, "add-demo", func(f methodForm, id int64) error {
		in := evaluation.DemonstrationRecord{Date: f.Date, Note: f.Note}
		for _, r := range f.Items {
			in.Items = append(in.Items, evaluation.DemoItem{Name: r.Name, Shown: r.Shown})
		}
		_, err := a.materials.RecordDemonstration(c.UserContext(), actor(c), id, in)
		return err
	})
}

// methodCreate runs a method record form: back to the project's records,
// or the page again with the problems beside the form.
func (a *App) methodCreate(c *fiber.Ctx, form string, add func(methodForm, int64) error) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := readMethodForm(c)
	if err == nil {
		err = add(f, id)
	}
	if err != nil {
		return a.recordsRefused(c, id, form, err, f, "")
	}
	a.flash(c, "methods.recorded")
	return c.Redirect(fmt.Sprintf("/projects/%d#methods", id), fiber.StatusSeeOther)
}

func (a *App) methodRecordDeleteForm(c *fiber.Ctx) error {
	id, record, err := paramIDs(c, "id", "record")
	if err != nil {
		return err
	}
	if err := a.materials.DeleteMethodRecord(c.UserContext(), actor(c), id, record); err != nil {
		return err
	}
	a.flash(c, "methods.deleted")
	return c.Redirect(fmt.Sprintf("/projects/%d#methods", id), fiber.StatusSeeOther)
}

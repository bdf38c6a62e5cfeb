package web

// Bulk import from spreadsheets (批量导入): projects with their contract
// indicators into a campaign, and profiles into the expert pool. The
// reading, the checks and the templates are the imports package's; this
// file has what the handlers of both share: the routes, reading the
// multipart upload, and showing the problems of a refused file as a page
// or as the API's error.

import (
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// maxListedProblems is how many problems a refused import lists; the
// message counts them all.
const maxListedProblems = 500

// importRoutes: the import pages, uploads and templates of projects and of
// the expert pool. They come before the pool's routes, so that
// /experts/import is not taken for an expert's id. Importing projects is
// writing a campaign; importing experts is writing the pool.
func (a *App) importRoutes() {
	campaignWrite, poolWrite := rbac.Write("campaign"), rbac.Write("expert")

	a.route(get, "/campaigns/:id/projects/import", campaignWrite, a.projectImportPage)
	a.route(post, "/campaigns/:id/projects/import", campaignWrite, a.projectImportSubmit)
	a.route(get, "/campaigns/:id/projects/template.xlsx", campaignWrite, a.projectTemplateXLSX)
	a.route(get, "/campaigns/:id/projects/template.csv", campaignWrite, a.projectTemplateCSV)
	a.route(get, "/experts/import", poolWrite, a.expertImportPage)
	a.route(post, "/experts/import", poolWrite, a.expertImportSubmit)
	a.route(get, "/experts/import/template.xlsx", poolWrite, a.expertTemplateXLSX)
	a.route(get, "/experts/import/template.csv", poolWrite, a.expertTemplateCSV)

	a.route(post, "/api/v1/campaigns/:id/projects/import", campaignWrite, a.apiImportProjects)
	a.route(get, "/api/v1/campaigns/:id/projects/template.xlsx", campaignWrite, a.projectTemplateXLSX)
	a.route(get, "/api/v1/campaigns/:id/projects/template.csv", campaignWrite, a.projectTemplateCSV)
	a.route(post, "/api/v1/experts/import", poolWrite, a.apiImportExperts)
	a.route(get, "/api/v1/experts/import/template.xlsx", poolWrite, a.expertTemplateXLSX)
	a.route(get, "/api/v1/experts/import/template.csv", poolWrite, a.expertTemplateCSV)
}

// formFile reads the multipart file field, or returns nil when the form
// has none. A file that cannot be opened is handed on with its error: the
// import reports it as unreadable, like any other problem of the file; a
// body that is no readable multipart form (cut short, a wrong boundary)
// is reported as an upload to send again (imports.ErrIncomplete).
func formFile(c *fiber.Ctx, field string) *imports.File {
	if uploadIncomplete(c) {
		if field != "file" {
			return nil // one problem for the whole body, on the main file
		}
		return &imports.File{Err: imports.ErrIncomplete}
	}
	fh, err := c.FormFile(field)
	if err != nil || fh == nil {
		return nil
	}
	f, err := fh.Open()
	if err != nil {
		return &imports.File{Name: fh.Filename, Err: err}
	}
	defer f.Close()
	return imports.ReadFile(fh.Filename, f)
}

// problemView is a problem in the user's language.
type problemView struct {
	Table   string `json:"table"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Header  string `json:"header,omitempty"`
	Message string `json:"message"`

	field string // the key in the API's error fields
}

// problemViews translates the problems, naming each column by its header in the
// file, or in the template of the user's language when the file lacks it.
func (a *App) problemViews(lang evaluation.Language, r *imports.Report) []problemView {
	list := r.Problems()
	out := make([]problemView, 0, len(list))
	for _, p := range list {
		out = append(out, problemView{Table: p.Table, Sheet: p.Sheet, Row: p.Row, Column: p.Column, Header: p.HeaderIn(lang),
			Message: p.Text(lang, a.tr.T), field: p.Field()})
	}
	return out
}

// importLang is the language of a template download: ?lang=, else the
// request's.
func importLang(c *fiber.Ctx) evaluation.Language {
	if l, ok := evaluation.ParseLanguage(c.Query("lang")); ok {
		return l
	}
	return langOf(c)
}

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
)

// sendDownload answers with a file to save.
func sendDownload(c *fiber.Ctx, name, mime string, data []byte) error {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

// Pages and API answers.

// importPageData is what the import page shows: how to import, the form,
// and after a refused upload its problems.
type importPageData struct {
	Kind      string // "projects" or "experts"
	Action    string
	Back      string
	BackLabel string
	Campaign  *evaluation.Campaign
	Locked    bool // the campaign's projects can no longer change
	Templates []templateLink
	Notes     []string // the template's instructions, translated
	Help      []imports.TableHelp
	// Indicators shows the second file field (the indicators table of a
	// csv import).
	Indicators bool
	Uploaded   string
	Problems   []problemView
	More       int
	MaxMiB     int
	MaxRows    int
}

type templateLink struct {
	ID, Label, Href string
}

// withHelp fills in the page's help: the notes and columns of the import,
// in the user's language.
func (d importPageData) withHelp(h imports.Help) importPageData {
	d.Notes, d.Help = h.Notes, h.Tables
	return d
}

// renderImport renders the import page.
func (a *App) renderImport(c *fiber.Ctx, d importPageData) error {
	d.MaxMiB, d.MaxRows = imports.MaxFileBytes>>20, imports.MaxRows
	return a.render(c, "import", a.T(c, "import."+d.Kind+"_title"), d)
}

// renderImportProblems shows the import page again with the problems of
// the upload.
func (a *App) renderImportProblems(c *fiber.Ctx, d importPageData, r *imports.Report) error {
	d.Problems = a.problemViews(langOf(c), r)
	if len(d.Problems) > maxListedProblems {
		d.More = len(d.Problems) - maxListedProblems
		d.Problems = d.Problems[:maxListedProblems]
	}
	d.Uploaded = strings.Join(r.Files(), ", ")
	c.Status(statusOf[r.Code()])
	return a.renderImport(c, d)
}

// importErrorBody is the API's answer to a refused import: the standard
// error (fields keyed "table.row.column", see imports.Problem.Field) and
// the problems in order, with the sheet and the column's header.
type importErrorBody struct {
	Error struct {
		apiErrorBody
		Problems []problemView `json:"problems"`
	} `json:"error"`
}

func (a *App) sendImportProblems(c *fiber.Ctx, r *imports.Report) error {
	lang := langOf(c)
	var body importErrorBody
	body.Error.Code = r.Code()
	list := a.problemViews(lang, r)
	body.Error.Message = a.tr.T(lang, "import.refused", "Count", len(list))
	// A file of nothing but mistakes lists its first problems, as the
	// page does; the message has the count.
	if len(list) > maxListedProblems {
		list = list[:maxListedProblems]
	}
	body.Error.Problems = list
	body.Error.Fields = map[string]string{}
	for _, p := range list {
		msg := p.Message
		if prev, ok := body.Error.Fields[p.field]; ok {
			msg = prev + " " + msg
		}
		body.Error.Fields[p.field] = msg
	}
	return c.Status(statusOf[r.Code()]).JSON(body)
}

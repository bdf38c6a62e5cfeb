package web

import (
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports"
	"github.com/gofiber/fiber/v2"
)

// The project import's handlers: a workbook (or a csv file of projects and
// another of indicators) in the form's "file" and "indicators" fields,
// read and checked by imports.ImportProjects.

// importProjects runs an import for a campaign and returns the projects
// stored, or the report of the problems; err is an error that is not about
// the file (the campaign is locked or not the user's).
func (a *App) importProjects(c *fiber.Ctx, campaignID int64) ([]*evaluation.Project, *imports.Report, error) {
	return imports.ImportProjects(c.UserContext(), a.campaigns, actor(c), campaignID, formFile(c, "file"), formFile(c, "indicators"))
}

func (a *App) projectImportData(c *fiber.Ctx, camp *evaluation.Campaign) importPageData {
	lang := langOf(c)
	base := fmt.Sprintf("/campaigns/%d/projects", camp.ID)
	editable := evaluation.CanManageCampaign(actor(c), camp) && evaluation.ProjectsEditable(camp)
	return importPageData{Kind: "projects", Action: base + "/import", Back: fmt.Sprintf("/campaigns/%d", camp.ID),
		BackLabel: camp.Name, Campaign: camp, Locked: !editable, Indicators: true,
		Templates: []templateLink{
			{ID: "template-xlsx-zh", Label: a.T(c, "import.template_xlsx_zh"), Href: base + "/template.xlsx?lang=zh-CN"},
			{ID: "template-xlsx-en", Label: a.T(c, "import.template_xlsx_en"), Href: base + "/template.xlsx?lang=en"},
			{ID: "template-csv", Label: a.T(c, "import.template_csv_projects"), Href: base + "/template.csv?lang=" + string(lang)},
			{ID: "template-csv-indicators", Label: a.T(c, "import.template_csv_indicators"),
				Href: base + "/template.csv?table=indicators&lang=" + string(lang)},
		}}.withHelp(imports.ProjectHelp(lang, a.tr.T))
}

func (a *App) projectImportPage(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	return a.renderImport(c, a.projectImportData(c, camp))
}

func (a *App) projectImportSubmit(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	list, r, err := a.importProjects(c, camp.ID)
	if err != nil {
		return err
	}
	if !r.OK() {
		return a.renderImportProblems(c, a.projectImportData(c, camp), r)
	}
	// The flash is the translated text itself: flash takes a message ID,
	// and an ID that is not one comes back as is, so the count shows.
	a.flash(c, a.T(c, "import.projects_done", "Count", len(list), "Indicators", countIndicators(list)))
	return c.Redirect(fmt.Sprintf("/campaigns/%d", camp.ID), fiber.StatusSeeOther)
}

func countIndicators(list []*evaluation.Project) int {
	n := 0
	for _, p := range list {
		n += len(p.Indicators)
	}
	return n
}

// importResult is the API's answer to an import.
type importResult struct {
	Imported   int `json:"imported"`
	Indicators int `json:"indicators,omitempty"`
}

func (a *App) apiImportProjects(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	list, r, err := a.importProjects(c, camp.ID)
	if err != nil {
		return err
	}
	if !r.OK() {
		return a.sendImportProblems(c, r)
	}
	return c.Status(fiber.StatusCreated).JSON(importResult{Imported: len(list), Indicators: countIndicators(list)})
}

func (a *App) projectTemplateXLSX(c *fiber.Ctx) error {
	if _, err := a.loadCampaign(c); err != nil {
		return err
	}
	lang := importLang(c)
	data, err := imports.ProjectTemplateXLSX(lang, a.tr.T)
	if err != nil {
		return err
	}
	return sendDownload(c, "evalpanel-projects-"+string(lang)+".xlsx", mimeXLSX, data)
}

// projectTemplateCSV is the projects table, or with ?table=indicators the
// indicators table, as csv.
func (a *App) projectTemplateCSV(c *fiber.Ctx) error {
	if _, err := a.loadCampaign(c); err != nil {
		return err
	}
	template := imports.ProjectTemplateCSV
	table := c.Query("table")
	switch table {
	case "", "projects":
		table = "projects"
	case "indicators":
		template = imports.IndicatorTemplateCSV
	default:
		return evaluation.ErrNotFound
	}
	lang := importLang(c)
	data, err := template(lang)
	if err != nil {
		return err
	}
	return sendDownload(c, "evalpanel-"+table+"-"+string(lang)+".csv", mimeCSV, data)
}

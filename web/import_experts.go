package web

import (
	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports"
	"github.com/gofiber/fiber/v2"
)

// The expert pool import's handlers: a workbook or csv file in the form's
// "file" field, read and checked by imports.ImportExperts. Pool managers
// (administrators and the commission) import.

// importExperts runs an import and returns the profiles stored, or the
// report of the problems.
func (a *App) importExperts(c *fiber.Ctx) ([]*evaluation.Expert, *imports.Report, error) {
	return imports.ImportExperts(c.UserContext(), a.pool, actor(c), formFile(c, "file"))
}

func (a *App) expertImportData(c *fiber.Ctx) importPageData {
	lang := langOf(c)
	return importPageData{Kind: "experts", Action: "/experts/import", Back: "/experts", BackLabel: a.T(c, "nav.experts"),
		Templates: []templateLink{
			{ID: "template-xlsx-zh", Label: a.T(c, "import.template_xlsx_zh"), Href: "/experts/import/template.xlsx?lang=zh-CN"},
			{ID: "template-xlsx-en", Label: a.T(c, "import.template_xlsx_en"), Href: "/experts/import/template.xlsx?lang=en"},
			{ID: "template-csv", Label: a.T(c, "import.template_csv_experts"), Href: "/experts/import/template.csv?lang=" + string(lang)},
		}}.withHelp(imports.ExpertHelp(lang, a.tr.T))
}

func (a *App) expertImportPage(c *fiber.Ctx) error {
	return a.renderImport(c, a.expertImportData(c))
}

func (a *App) expertImportSubmit(c *fiber.Ctx) error {
	list, r, err := a.importExperts(c)
	if err != nil {
		return err
	}
	if !r.OK() {
		return a.renderImportProblems(c, a.expertImportData(c), r)
	}
	// The translated text as the flash (see projectImportSubmit).
	a.flash(c, a.T(c, "import.experts_done", "Count", len(list)))
	return c.Redirect("/experts", fiber.StatusSeeOther)
}

func (a *App) apiImportExperts(c *fiber.Ctx) error {
	list, r, err := a.importExperts(c)
	if err != nil {
		return err
	}
	if !r.OK() {
		return a.sendImportProblems(c, r)
	}
	return c.Status(fiber.StatusCreated).JSON(importResult{Imported: len(list)})
}

func (a *App) expertTemplateXLSX(c *fiber.Ctx) error {
	lang := importLang(c)
	data, err := imports.ExpertTemplateXLSX(lang, a.tr.T)
	if err != nil {
		return err
	}
	return sendDownload(c, "evalpanel-experts-"+string(lang)+".xlsx", mimeXLSX, data)
}

func (a *App) expertTemplateCSV(c *fiber.Ctx) error {
	lang := importLang(c)
	data, err := imports.ExpertTemplateCSV(lang)
	if err != nil {
		return err
	}
	return sendDownload(c, "evalpanel-experts-"+string(lang)+".csv", mimeCSV, data)
}

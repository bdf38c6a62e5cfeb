package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// exportRoutes: a campaign's results and its submitted sheets as xlsx
// downloads, for the readers of the results (the agency's staff, the
// commission, administrators), as pages for the links and in the API.
// Every sheet of a campaign with its expert's name is the results'
// reading, not a sheet's: experts, who read sheets of their own, are
// refused here as by the service. The downloads read and change nothing,
// so they are not audited, like the downloads of materials.
func (a *App) exportRoutes() {
	read := rbac.Read("conclusion")
	a.route(get, "/campaigns/:id/results.xlsx", read, a.resultsXLSX)
	a.route(get, "/campaigns/:id/sheets.xlsx", read, a.sheetsXLSX)
	a.route(get, "/api/v1/campaigns/:id/results.xlsx", read, a.resultsXLSX)
	a.route(get, "/api/v1/campaigns/:id/sheets.xlsx", read, a.sheetsXLSX)
}

// useExportLang makes lang the language of the response: the workbook's
// headers and words, and any error after this point, are in it.
func useExportLang(c *fiber.Ctx, lang evaluation.Language) { c.Locals(localLang, lang) }

// resultsXLSX is the campaign's results as computed now, as the results
// page shows them with the same filters: the official results, the
// advisory figures of the projects, the experts' leniency and the classes'
// reliability, each on its own worksheet.
func (a *App) resultsXLSX(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	bad := evaluation.FieldErrors{}
	f := resultsSelection(c, bad)
	lang := exportLang(c, bad)
	if err := bad.Err(); err != nil {
		return err
	}
	useExportLang(c, lang)
	ctx, act := c.UserContext(), actor(c)
	res, err := a.results.CampaignResults(ctx, act, id)
	if err != nil {
		return err
	}
	experts, err := a.campaignExperts(ctx, act, id)
	if err != nil {
		return err
	}
	data, err := writeWorkbook(a.resultTables(c, res, f, experts))
	if err != nil {
		return fmt.Errorf("results workbook of campaign %d: %w", id, err)
	}
	return sendWorkbook(c, exportFileName(res.Campaign.Name, a.T(c, "export.file_results")), data)
}

// campaignExperts are the experts of the campaign's panels, by id, to
// name the experts of sheets and figures.
func (a *App) campaignExperts(ctx context.Context, act evaluation.Actor, campaignID int64) (map[int64]*evaluation.Expert, error) {
	panels, err := a.panels.Panels(ctx, act, campaignID)
	if err != nil {
		return nil, err
	}
	out := map[int64]*evaluation.Expert{}
	for _, p := range panels {
		for _, m := range p.Members {
			if m.Expert != nil {
				out[m.ExpertID] = m.Expert
			}
		}
	}
	return out, nil
}

// yesNo words a flag.
func (a *App) yesNo(c *fiber.Ctx, b bool) string {
	if b {
		return a.T(c, "export.yes")
	}
	return a.T(c, "export.no")
}

// resultTables are the worksheets of the results workbook. The results
// and the projects' advisory figures are of the projects the filter keeps,
// by code; the leniency fit and the reliabilities are the whole
// campaign's, as on the page and in the API.
func (a *App) resultTables(c *fiber.Ctx, res *evaluation.CampaignResults, f resultsFilter, experts map[int64]*evaluation.Expert) []xlsxTable {
	names := rubricNames(res.Rubrics)
	official := xlsxTable{Name: a.T(c, "export.sheet_results"), Columns: []xlsxColumn{
		{Header: a.T(c, "export.col.code")}, {Header: a.T(c, "export.col.title"), Wide: true},
		{Header: a.T(c, "export.col.class")}, {Header: a.T(c, "export.col.lead")},
		{Header: a.T(c, "export.col.score")}, {Header: a.T(c, "export.col.sheets")}, {Header: a.T(c, "export.col.grade")},
		{Header: a.T(c, "export.col.finance_score")}, {Header: a.T(c, "export.col.finance")},
		{Header: a.T(c, "export.col.proposal")}, {Header: a.T(c, "export.col.reasons"), Wide: true},
		{Header: a.T(c, "export.col.divergent")}, {Header: a.T(c, "export.col.veto")}, {Header: a.T(c, "export.col.revising")},
		{Header: a.T(c, "export.col.conclusion")},
	}}
	advisory := xlsxTable{Name: a.T(c, "export.sheet_advisory"), Columns: []xlsxColumn{
		{Header: a.T(c, "export.col.code")}, {Header: a.T(c, "export.col.title"), Wide: true},
		{Header: a.T(c, "export.col.class")}, {Header: a.T(c, "export.col.score")},
		{Header: a.T(c, "export.col.calibrated")}, {Header: a.T(c, "export.col.percentile")},
	}}
	for i, p := range res.Projects {
		r := &res.Report.Results[i]
		if !f.keep(p, r, res.Concluded[i], res.Revising[i]) {
			continue
		}
		class := a.T(c, "target."+string(p.Class))
		var grade any
		if r.Technical.Score != nil {
			grade = a.T(c, "grade."+string(r.Technical.Grade))
		}
		finance := a.T(c, "results.finance_none")
		if r.Finance.Passed != nil {
			finance = a.T(c, "results.finance_failed")
			if *r.Finance.Passed {
				finance = a.T(c, "results.finance_passed")
			}
		}
		concluded := a.T(c, "results.no_conclusion")
		if k := res.Concluded[i]; k != nil {
			concluded = a.T(c, "conclusion."+string(k.Conclusion))
		}
		official.Rows = append(official.Rows, []any{p.Code, p.Title, class, p.Lead,
			r.Technical.Score, r.Technical.Sheets, grade, r.Finance.Score, finance,
			a.T(c, "results.proposal."+string(r.Proposal)), nilIfEmpty(strings.Join(a.reasonTexts(c, names, r), "\n")),
			a.yesNo(c, r.Divergence.Divergent), a.yesNo(c, vetoHeld(r)), a.yesNo(c, res.Revising[i]), concluded})

		row := []any{p.Code, p.Title, class, r.Technical.Score, nil, nil}
		if i < len(res.Report.Advisory.Projects) {
			adv := res.Report.Advisory.Projects[i]
			row[4] = adv.Calibrated
			if adv.Percentile != nil {
				row[5] = decimal{Value: *adv.Percentile, Places: 1}
			}
		}
		advisory.Rows = append(advisory.Rows, row)
	}

	fit := res.Report.Advisory.Leniency
	leniency := xlsxTable{Name: a.T(c, "export.sheet_leniency"), Columns: []xlsxColumn{
		{Header: a.T(c, "export.col.expert")}, {Header: a.T(c, "export.col.institution")},
		{Header: a.T(c, "export.col.sheets")}, {Header: a.T(c, "export.col.leniency")},
		{Header: a.T(c, "export.col.estimable")}, {Header: a.T(c, "export.col.group")},
	}}
	for _, b := range fit.Experts {
		var name, institution any
		if e := experts[b.Expert]; e != nil {
			name, institution = e.Name, e.Institution
		}
		// A bias that rests on one sheet, or on no project shared with
		// another expert, is mostly the shrinkage: not an estimate.
		var bias any
		if b.Estimable {
			bias = decimal{Value: b.Bias, Places: 2}
		}
		leniency.Rows = append(leniency.Rows, []any{name, institution, b.Sheets, bias, a.yesNo(c, b.Estimable), b.Component})
	}

	reliability := xlsxTable{Name: a.T(c, "export.sheet_reliability"), Columns: []xlsxColumn{
		{Header: a.T(c, "export.col.class")}, {Header: a.T(c, "export.col.icc_projects")},
		{Header: a.T(c, "export.col.icc1")}, {Header: a.T(c, "export.col.icc1k")},
	}}
	for _, rel := range res.Report.Advisory.Reliability {
		row := []any{a.T(c, "target."+rel.Class), rel.Projects, a.T(c, "results.icc_undefined"), nil}
		if rel.Defined {
			row[2], row[3] = decimal{Value: rel.ICC1, Places: 2}, decimal{Value: rel.ICC1K, Places: 2}
		}
		reliability.Rows = append(reliability.Rows, row)
	}
	return []xlsxTable{official, advisory, leniency, reliability}
}

// ExportURL is the results workbook with the page's filters, its headers
// in the language.
func (d *resultsData) ExportURL(lang string) string {
	q := url.Values{}
	for k, v := range map[string]string{"class": string(d.Filter.Class), "grade": string(d.Filter.Grade),
		"proposal": string(d.Filter.Proposal), "flag": d.Filter.Flag, "conclusion": d.Filter.Conclusion} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q.Set("lang", lang)
	return fmt.Sprintf("/campaigns/%d/results.xlsx?%s", d.Campaign.ID, q.Encode())
}

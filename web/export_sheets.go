package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

// sheetsXLSX is every submitted sheet of the campaign, or with ?project=
// of one of its projects: a worksheet per project class, its columns the
// indicators of the class's rubric, and one for the finance sheets.
func (a *App) sheetsXLSX(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	bad := evaluation.FieldErrors{}
	project := int64(queryInt(c, bad, "project"))
	lang := exportLang(c, bad)
	if err := bad.Err(); err != nil {
		return err
	}
	useExportLang(c, lang)
	ctx, act := c.UserContext(), actor(c)
	cs, err := a.results.CampaignSheets(ctx, act, id)
	if err != nil {
		return err
	}
	if project != 0 && !slices.ContainsFunc(cs.Projects, func(p evaluation.ProjectBrief) bool { return p.ID == project }) {
		return evaluation.ErrNotFound
	}
	experts, err := a.campaignExperts(ctx, act, id)
	if err != nil {
		return err
	}
	data, err := writeWorkbook(a.sheetTables(c, cs, project, experts))
	if err != nil {
		return fmt.Errorf("sheets workbook of campaign %d: %w", id, err)
	}
	name := cs.Campaign.Name
	if i := slices.IndexFunc(cs.Projects, func(p evaluation.ProjectBrief) bool { return p.ID == project }); i >= 0 {
		name += "-" + cs.Projects[i].Code
	}
	return sendWorkbook(c, exportFileName(name, a.T(c, "export.file_sheets")), data)
}

// sheetTables are the worksheets of the sheets workbook: one per project
// class, then the finance sheets; each lists the sheets of its projects
// (only project's when it is not 0) by project code.
func (a *App) sheetTables(c *fiber.Ctx, cs *evaluation.CampaignSheets, project int64, experts map[int64]*evaluation.Expert) []xlsxTable {
	byProject := map[int64][]*evaluation.Sheet{}
	for _, sh := range cs.Sheets {
		byProject[sh.ProjectID] = append(byProject[sh.ProjectID], sh)
	}
	var tables []xlsxTable
	for _, class := range evaluation.ProjectClasses {
		t := a.sheetTable(c, a.T(c, "target."+string(class)), cs.Rubrics[string(class)], false)
		for _, p := range cs.Projects {
			if p.Class != class || (project != 0 && p.ID != project) {
				continue
			}
			for _, sh := range byProject[p.ID] {
				if sh.Seat != evaluation.SeatFinance {
					t.Rows = append(t.Rows, a.sheetRow(c, p, sh, cs.Rubrics[string(class)], experts, false))
				}
			}
		}
		tables = append(tables, t)
	}
	finance := a.sheetTable(c, a.T(c, "target.finance"), cs.Rubrics["finance"], true)
	for _, p := range cs.Projects {
		if project != 0 && p.ID != project {
			continue
		}
		for _, sh := range byProject[p.ID] {
			if sh.Seat == evaluation.SeatFinance {
				finance.Rows = append(finance.Rows, a.sheetRow(c, p, sh, cs.Rubrics["finance"], experts, true))
			}
		}
	}
	return append(tables, finance)
}

// sheetTable is a worksheet of sheets scored on the rubric (nil when the
// campaign pins none): who scored which project, a column per indicator's
// score, the total, the vetoes flagged, on a finance worksheet the
// verdict, then a column per indicator's comment, the opinion and when
// the sheet was submitted.
func (a *App) sheetTable(c *fiber.Ctx, name string, rb *rubrics.Rubric, finance bool) xlsxTable {
	lang := string(langOf(c))
	cols := []xlsxColumn{{Header: a.T(c, "export.col.code")}, {Header: a.T(c, "export.col.title"), Wide: true},
		{Header: a.T(c, "export.col.expert")}, {Header: a.T(c, "export.col.seat")}, {Header: a.T(c, "export.col.round")}}
	var indicators []rubrics.Indicator
	if rb != nil {
		indicators = rb.Indicators
	}
	for _, in := range indicators {
		cols = append(cols, xlsxColumn{Header: a.T(c, "export.col.indicator", "Code", in.Code, "Name", in.Name.In(lang), "Max", in.Max.String())})
	}
	cols = append(cols, xlsxColumn{Header: a.T(c, "export.col.total")}, xlsxColumn{Header: a.T(c, "export.col.vetoes"), Wide: true})
	if finance {
		cols = append(cols, xlsxColumn{Header: a.T(c, "export.col.finance_verdict")})
	}
	for _, in := range indicators {
		cols = append(cols, xlsxColumn{Header: a.T(c, "export.col.comment", "Code", in.Code), Wide: true})
	}
	cols = append(cols, xlsxColumn{Header: a.T(c, "export.col.opinion"), Wide: true}, xlsxColumn{Header: a.T(c, "export.col.submitted")})
	return xlsxTable{Name: name, Columns: cols}
}

// sheetRow is a sheet as a row of its sheetTable.
func (a *App) sheetRow(c *fiber.Ctx, p evaluation.ProjectBrief, sh *evaluation.Sheet, rb *rubrics.Rubric,
	experts map[int64]*evaluation.Expert, finance bool) []any {
	lang := string(langOf(c))
	var expert any
	if e := experts[sh.ExpertID]; e != nil {
		expert = e.Name
	}
	row := []any{p.Code, p.Title, expert, a.T(c, "seat."+string(sh.Seat)), sh.Round}
	var indicators []rubrics.Indicator
	if rb != nil {
		indicators = rb.Indicators
	}
	var total rubrics.Points
	for _, in := range indicators {
		score, ok := sh.Content.Scores[in.Code]
		if !ok {
			row = append(row, nil)
			continue
		}
		total += score
		row = append(row, score)
	}
	var vetoes []string
	for _, v := range sh.Content.Vetoes {
		text := v.Code
		if rb != nil {
			if item, ok := rb.Veto(v.Code); ok {
				text = item.Text.In(lang)
			}
		}
		vetoes = append(vetoes, a.T(c, "export.veto_flag", "Veto", text, "Evidence", v.Evidence))
	}
	row = append(row, total, nilIfEmpty(strings.Join(vetoes, "\n")))
	if finance {
		var verdict any
		if v := sh.Content.FinancePass; v != nil {
			verdict = a.T(c, "export.verdict_fail")
			if *v {
				verdict = a.T(c, "export.verdict_pass")
			}
		}
		row = append(row, verdict)
	}
	for _, in := range indicators {
		row = append(row, nilIfEmpty(sh.Content.Comments[in.Code]))
	}
	return append(row, nilIfEmpty(sh.Content.Opinion), sh.SubmittedAt)
}

// nilIfEmpty is an empty cell for an empty text.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

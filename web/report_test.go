package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// reportedCampaign is a campaign the commission returned once, the
// agency answered, and the commission approved with a publicity period.
func (h *harness) reportedCampaign() *scoring {
	h.t.Helper()
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	transitions := fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID)
	ret := fmt.Sprintf("/api/v1/projects/%d/return", s.projectID)
	h.run(h.t, scenario{as: "commission", method: "PUT", url: ret, body: `{"comment":"请说明财务专家意见与结论的关系。"}`, status: 200})
	h.run(h.t, scenario{as: "commission", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/return", s.campaignID),
		body: `{"reason":"个别项目需补充说明。"}`, status: 200})
	h.run(h.t, scenario{as: "staffa", method: "POST", url: transitions, body: `{"to":"concluding"}`, status: 200})
	h.run(h.t, scenario{as: "staffa", method: "PUT", url: ret + "/answer", body: `{"answer":"已核实，结论维持通过。"}`, status: 200})
	h.run(h.t, scenario{as: "staffa", method: "POST", url: transitions, body: `{"to":"submitted"}`, status: 200})
	h.run(h.t, scenario{as: "commission", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/approve", s.campaignID),
		body: `{"days":5,"note":"如有异议请书面反映。"}`, status: 200})
	return s
}

// The campaign report prints in both languages: the campaign, its
// counts and conclusions, the charts drawn from the results, every
// project's result, the return and its answer, the publicity, a line to
// sign; the results link it, and it reads as the results page does.
func TestCampaignReport(t *testing.T) {
	h := newHarness(t)
	s := h.reportedCampaign()
	report := fmt.Sprintf("/campaigns/%d/report", s.campaignID)
	ctx := context.Background()
	res, err := h.svc.Results.CampaignResults(ctx, h.users["staffa"].Actor(), s.campaignID)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report.Results[0]
	if r.Technical.Score == nil || res.Concluded[0] == nil {
		t.Fatal("the project has no score or no conclusion")
	}
	score := r.Technical.Score.Float()
	count := h.sheetsByDay(s.campaignID)

	staff := h.browser()
	staff.login("staffa")
	if _, page := staff.get(fmt.Sprintf("/campaigns/%d/results", s.campaignID)); !strings.Contains(page, `href="`+report+`"`) {
		t.Error("the results do not link the report")
	}
	for _, lang := range []struct {
		lang evaluation.Language
		want []string
	}{
		{evaluation.LangZH, []string{"综合绩效评价报告", "评分批次", "2024-ZD-101", "通过", "评价结论汇总", "第 1 次退回",
			"请说明财务专家意见", "已核实，结论维持通过。", "公示期", "如有异议", "签字", "打印日期"}},
		{evaluation.LangEN, []string{"Campaign evaluation report", "评分批次", "2024-ZD-101", "Pass", "Conclusions", "Return 1",
			"请说明财务专家意见", "已核实，结论维持通过。", "Publicity period", "如有异议", "Signature", "Printed"}},
	} {
		t.Run(string(lang.lang), func(t *testing.T) {
			staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
			resp, page := staff.get(report)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("the report: %d", resp.StatusCode)
			}
			text := visibleText(page)
			for _, w := range lang.want {
				if !strings.Contains(text, w) {
					t.Errorf("the report lacks %q", w)
				}
			}
			for _, leak := range []string{"report.", "charts.", "results.", "print.", "<no value>", "%!"} {
				if strings.Contains(text, leak) || strings.Contains(page, "<no value>") {
					t.Errorf("the report shows %q", leak)
				}
			}
			if !strings.Contains(page, `<link rel="stylesheet" href="/static/app.css">`) || !strings.Contains(page, `class="print-doc report"`) {
				t.Error("the report does not link the print style or use the document layout")
			}
			tr := func(id string) string { return h.app.tr.T(lang.lang, id) }

			// The conclusions summary: the project's class and all.
			for _, row := range []string{"conclusions-" + string(res.Projects[0].Class), "conclusions-all"} {
				at := strings.Index(page, `id="`+row+`"`)
				if at < 0 {
					t.Errorf("no summary row %s", row)
					continue
				}
				cells := page[at : at+strings.Index(page[at:], "</tr>")]
				if !strings.Contains(cells, `data-conclusion="`+string(res.Concluded[0].Conclusion)+`">1<`) ||
					!strings.Contains(cells, `data-conclusion="none">0<`) {
					t.Errorf("summary row %s: %s, want one %s", row, cells, res.Concluded[0].Conclusion)
				}
			}
			// The results table: the project's score.
			if !strings.Contains(page, `data-score="`+r.Technical.Score.String()+`"`) {
				t.Errorf("the results table lacks the score %s", r.Technical.Score)
			}

			// The bands: one project, in its class and grade.
			bands := chartSVG(t, page, "chart-bands")
			marks := bands.find(func(e svgElement) bool { return e.hasClass("mark") })
			if len(marks) == 0 {
				t.Fatal("the bands have no marks")
			}
			for _, m := range marks {
				want := 0.0
				if m.attr("data-category") == tr("target."+string(res.Projects[0].Class)) && m.attr("data-series") == tr("grade."+string(r.Technical.Grade)) {
					want = 1
				}
				if got, _ := strconv.ParseFloat(m.attr("data-value"), 64); got != want {
					t.Errorf("bands: %s / %s = %v, want %v", m.attr("data-category"), m.attr("data-series"), got, want)
				}
			}
			// The histogram: the score in its bin, the pass line drawn.
			hist := chartSVG(t, page, "chart-scores")
			total := 0
			for _, m := range hist.find(func(e svgElement) bool { return e.hasClass("mark") }) {
				low, _ := strconv.ParseFloat(m.attr("data-low"), 64)
				high, _ := strconv.ParseFloat(m.attr("data-high"), 64)
				n, _ := strconv.Atoi(m.attr("data-count"))
				want := 0
				if score >= low && (score < high || high == 100 && score == 100) {
					want = 1
				}
				if n != want {
					t.Errorf("histogram: %v–%v holds %d, want %d", low, high, n, want)
				}
				total += n
			}
			refs := hist.find(func(e svgElement) bool { return e.hasClass("ref") })
			if total != 1 || len(refs) != 1 || refs[0].attr("data-value") != strconv.FormatFloat(r.Technical.PassLine.Float(), 'f', -1, 64) {
				t.Errorf("histogram: %d projects, pass lines %v; want 1 and the line at %v", total, refs, r.Technical.PassLine)
			}
			// The progress over time.
			checkSheetLine(t, "progress", lineValues(t, chartSVG(t, page, "chart-progress"))[tr("charts.progress_submitted")], count)
		})
	}

	css, err := http.NewRequest("GET", "/static/app.css", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, body := h.do(css); !strings.Contains(body, "@page { size: A4") {
		t.Error("the style sheet has no A4 page for print")
	}

	// Who reads it: the results page's readers; another agency finds
	// nothing, and an expert is refused as on the results page.
	for _, tc := range []struct {
		user   string
		status int
	}{{"commission", 200}, {"admin", 200}, {"staffb", 404}, {"expert", 403}, {s.chair, 403}} {
		b := h.browser()
		b.login(tc.user)
		if resp, _ := b.get(report); resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.user, resp.StatusCode, tc.status)
		}
	}
	if resp, _ := staff.get(fmt.Sprintf("/campaigns/%d/report", s.campaignID+1000)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a campaign that does not exist: %d, want 404", resp.StatusCode)
	}
}

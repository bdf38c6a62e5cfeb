package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// svgElement is a parsed element of a chart, with its attributes.
type svgElement struct {
	XMLName xml.Name
	Attrs   []xml.Attr   `xml:",any,attr"`
	Nodes   []svgElement `xml:",any"`
}

func (e svgElement) attr(name string) string {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// find lists e and the elements under it that keep keeps.
func (e svgElement) find(keep func(svgElement) bool) []svgElement {
	var out []svgElement
	if keep(e) {
		out = append(out, e)
	}
	for _, n := range e.Nodes {
		out = append(out, n.find(keep)...)
	}
	return out
}

func (e svgElement) hasClass(class string) bool {
	for _, c := range strings.Fields(e.attr("class")) {
		if c == class {
			return true
		}
	}
	return false
}

// chartSVG cuts the chart of the given id out of a page and parses it
// strictly; the test fails when the page has no such chart.
func chartSVG(t *testing.T, page, id string) svgElement {
	t.Helper()
	at := strings.Index(page, ` id="`+id+`" viewBox=`)
	start := strings.LastIndex(page[:max(at, 0)], "<svg ")
	end := strings.Index(page[max(at, 0):], "</svg>")
	if at < 0 || start < 0 || end < 0 {
		t.Fatalf("the page has no chart %s", id)
	}
	var root svgElement
	dec := xml.NewDecoder(strings.NewReader(page[start : at+end+len("</svg>")]))
	dec.Strict = true
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("chart %s is not well-formed: %v", id, err)
	}
	if root.XMLName.Local != "svg" || root.attr("id") != id {
		t.Fatalf("chart %s: parsed <%s id=%q>", id, root.XMLName.Local, root.attr("id"))
	}
	return root
}

// lineValues reads a line chart's points: by series name, the value at
// each x.
func lineValues(t *testing.T, root svgElement) map[string]map[string]float64 {
	t.Helper()
	out := map[string]map[string]float64{}
	for _, m := range root.find(func(e svgElement) bool { return e.hasClass("mark") }) {
		v, err := strconv.ParseFloat(m.attr("data-value"), 64)
		if err != nil {
			t.Fatalf("a point's value %q: %v", m.attr("data-value"), err)
		}
		s := m.attr("data-series")
		if out[s] == nil {
			out[s] = map[string]float64{}
		}
		out[s][m.attr("data-x")] = v
	}
	return out
}

// submitOverDays has the scoring campaign's accepted members submit
// their sheets one after the other, 20 hours apart, so that they fall on
// several days in Beijing.
func (h *harness) submitOverDays(s *scoring) {
	h.t.Helper()
	ctx := context.Background()
	for _, m := range s.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			continue
		}
		u, err := h.db.UserByExpert(ctx, m.ExpertID)
		if err != nil {
			h.t.Fatal(err)
		}
		h.now = h.now.Add(20 * time.Hour)
		h.openSheet(s, u.Username)
		sheet := fullSheet
		if m.Seat == evaluation.SeatFinance {
			sheet = financeSheet
		}
		if resp, body := h.api(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), `{"version":0,`+sheet+`}`); resp.StatusCode != 200 {
			h.t.Fatalf("%s submits: %d %s", u.Username, resp.StatusCode, body)
		}
	}
}

// sheetsByDay counts the campaign's sheets by the day in Beijing of their
// first submission, from the sheets and their history as stored.
func (h *harness) sheetsByDay(campaignID int64) map[string]int {
	h.t.Helper()
	ctx := context.Background()
	sheets, err := h.db.CampaignSheets(ctx, campaignID)
	if err != nil {
		h.t.Fatal(err)
	}
	count := map[string]int{}
	for _, sh := range sheets {
		versions, err := h.db.SheetVersions(ctx, sh.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		if len(versions) > 0 {
			count[versions[0].SubmittedAt.In(evaluation.Beijing).Format(time.DateOnly)]++
		}
	}
	return count
}

// checkSheetLine checks a progress chart's line of sheets submitted
// against the counts by day: one point a day, with no day missing, each
// the running total to that day, the last day the last submission's.
func checkSheetLine(t *testing.T, what string, got map[string]float64, count map[string]int) {
	t.Helper()
	var days []string
	for d := range got {
		days = append(days, d)
	}
	slices.Sort(days)
	last := ""
	for d := range count {
		last = max(last, d)
	}
	if len(days) == 0 || days[len(days)-1] != last {
		t.Errorf("%s: the points run over %v, want them to end on %s", what, days, last)
		return
	}
	for i, d := range days {
		if i > 0 {
			prev, _ := time.Parse(time.DateOnly, days[i-1])
			if next := prev.AddDate(0, 0, 1).Format(time.DateOnly); d != next {
				t.Errorf("%s: %s follows %s, want %s", what, d, days[i-1], next)
			}
		}
		want := 0
		for day, n := range count {
			if day <= d {
				want += n
			}
		}
		if got[d] != float64(want) {
			t.Errorf("%s: %v sheets submitted by %s, want %d", what, got[d], d, want)
		}
	}
}

// The progress over time, on the results page and the progress page, in
// both languages: the running total of sheets submitted each day equals
// the count from the sheets' history, and the line of sheets expected is
// the progress monitor's figure.
func TestProgressChart(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitOverDays(s)
	count := h.sheetsByDay(s.campaignID)
	if len(count) < 3 {
		t.Fatalf("the sheets fall on days %v, want several", count)
	}
	progress, err := h.svc.Sheets.Progress(context.Background(), h.users["staffa"].Actor(), s.campaignID, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	staff := h.browser()
	staff.login("staffa")
	for _, lang := range []struct{ lang, series, expected string }{
		{"zh-CN", "已提交评分表", "应提交评分表"},
		{"en", "Sheets submitted", "Sheets expected"},
	} {
		staff.post("/lang", formOf("lang", lang.lang, "next", "/"))
		for _, url := range []string{fmt.Sprintf("/campaigns/%d/results", s.campaignID), fmt.Sprintf("/campaigns/%d/progress", s.campaignID)} {
			resp, page := staff.get(url)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s %s: %d", lang.lang, url, resp.StatusCode)
			}
			root := chartSVG(t, page, "chart-progress")
			checkSheetLine(t, lang.lang+" "+url, lineValues(t, root)[lang.series], count)
			refs := root.find(func(e svgElement) bool { return e.hasClass("ref") })
			if len(refs) != 1 || refs[0].attr("data-value") != strconv.Itoa(progress.Counts.Expected) ||
				!strings.Contains(refs[0].attr("data-label"), lang.expected) {
				t.Errorf("%s %s: the line of sheets expected is %v, want %d", lang.lang, url, refs, progress.Counts.Expected)
			}
			if !strings.Contains(page, `id="chart-progress-figure"`) || !strings.Contains(page, `<table class="chart-table">`) {
				t.Errorf("%s %s: the chart has no table", lang.lang, url)
			}
		}
	}
}

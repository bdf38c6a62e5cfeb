package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// closeProject moves the scoring campaign to concluding and records a
// closure (结题) of its project, which needs no panel opinion.
func (h *harness) closeProject(s *scoring) {
	h.t.Helper()
	if _, err := h.svc.Campaigns.TransitionCampaign(context.Background(), h.users["staffa"].Actor(), s.campaignID,
		evaluation.CampaignConcluding, ""); err != nil {
		h.t.Fatal(err)
	}
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/projects/%d/conclusions", s.projectID),
		`{"conclusion":"closed","reason":"承担单位注销，按结题处理。"}`, http.StatusCreated)
}

// The campaign's results page filters by the conclusion in force, "none"
// for the projects without one, in both languages; a bad value is refused
// with its message like the other filters'; sorting keeps the filter.
func TestResultsPageConclusionFilter(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitAll(s)
	url := fmt.Sprintf("/campaigns/%d/results", s.campaignID)
	row := fmt.Sprintf(`id="result-%d"`, s.projectID)
	staff := h.browser()
	staff.login("staffa")

	for _, lang := range []struct {
		lang              evaluation.Language
		options           []string
		bad, none, closed string
	}{
		{evaluation.LangZH, []string{`<option value="none">未录入</option>`, `<option value="pass_after_rectification">整改后通过</option>`},
			"请从列表中选择结论。", "没有符合筛选条件的项目", "结题"},
		{evaluation.LangEN, []string{`<option value="none">Not recorded</option>`, `<option value="pass_after_rectification">Pass after rectification</option>`},
			"Choose a conclusion from the list.", "No project matches these filters", "Closed"},
	} {
		staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
		_, page := staff.get(url)
		if !strings.Contains(page, `<select id="conclusion" name="conclusion">`) {
			t.Fatalf("%s: the results page has no conclusion filter", lang.lang)
		}
		for _, o := range lang.options {
			if !strings.Contains(page, o) {
				t.Errorf("%s: the conclusion filter lacks %s", lang.lang, o)
			}
		}
		if resp, page := staff.get(url + "?conclusion=none"); resp.StatusCode != http.StatusOK || !strings.Contains(page, row) ||
			!strings.Contains(page, `<option value="none" selected>`) {
			t.Errorf("%s: conclusion=none: %d, want the project, the option selected", lang.lang, resp.StatusCode)
		}
		if resp, page := staff.get(url + "?conclusion=pass"); resp.StatusCode != http.StatusOK || strings.Contains(page, row) ||
			!strings.Contains(visibleText(page), lang.none) {
			t.Errorf("%s: conclusion=pass: %d, want no project", lang.lang, resp.StatusCode)
		}
		if resp, page := staff.get(url + "?conclusion=maybe"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(visibleText(page), lang.bad) {
			t.Errorf("%s: conclusion=maybe: %d, want 400 with %q", lang.lang, resp.StatusCode, lang.bad)
		}
	}
	staff.post("/lang", formOf("lang", "zh-CN", "next", "/"))

	h.closeProject(s)
	resp, page := staff.get(url + "?conclusion=closed&class=applied_technology")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, row) || !strings.Contains(page, `class="badge conclusion-closed"`) {
		t.Errorf("conclusion=closed after the closure: %d, want the project with its conclusion", resp.StatusCode)
	}
	if !regexp.MustCompile(`href="\?[^"]*conclusion=closed[^"]*sort=score"`).MatchString(page) {
		t.Error("the sort link drops the conclusion filter")
	}
	if _, page := staff.get(url + "?conclusion=none"); strings.Contains(page, row) {
		t.Error("conclusion=none lists a concluded project")
	}
}

// The API's results take the same filters: the conclusion in force among
// them, the projects' conclusions in the answer; a bad value is a 400
// naming its parameter.
func TestResultsAPIFilters(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitAll(s)
	url := fmt.Sprintf("/api/v1/campaigns/%d/results", s.campaignID)
	empty := []string{`"projects":[]`, `"results":[]`, `"concluded":[]`}
	h.warmTokens()
	for _, sc := range []scenario{
		{name: "no conclusion yet", as: "staffa", method: "GET", url: url + "?conclusion=none", status: 200,
			contains: []string{`"code":"2024-ZD-101"`, `"concluded":[null]`}},
		{name: "none passed", as: "staffa", method: "GET", url: url + "?conclusion=pass", status: 200, contains: empty},
		{name: "another class", as: "commission", method: "GET", url: url + "?class=basic_research", status: 200, contains: empty},
		{name: "its class and proposal", as: "commission", method: "GET", url: url + "?class=applied_technology&proposal=pass&grade=good", status: 200,
			contains: []string{`"code":"2024-ZD-101"`}},
		{name: "divergent ones", as: "staffa", method: "GET", url: url + "?flag=divergent", status: 200, contains: empty},
		{name: "a bad conclusion", as: "staffa", method: "GET", url: url + "?conclusion=maybe", status: 400, code: evaluation.Invalid, fields: []string{"conclusion"}},
		{name: "bad filters", as: "staffa", method: "GET", url: url + "?flag=x&grade=best&class=y&proposal=z", status: 400, code: evaluation.Invalid,
			fields: []string{"flag", "grade", "class", "proposal"}},
	} {
		t.Run(sc.name, func(t *testing.T) { h.run(t, sc) })
	}
	h.closeProject(s)
	h.run(t, scenario{as: "staffa", method: "GET", url: url + "?conclusion=closed", status: 200,
		contains: []string{`"code":"2024-ZD-101"`, `"concluded":[{"project_id":`, `"conclusion":"closed"`}})
	h.run(t, scenario{as: "staffa", method: "GET", url: url + "?conclusion=none", status: 200, contains: empty})
}

package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Appeals through the API and the pages, in both languages: the agency
// records an appeal disputing only the experts' judgement (inadmissible by
// the rule) and an admissible one; refusals name their field or reason
// and change nothing; the commission has the panel re-evaluate, the
// members revise while the campaign is published, and the commission
// resolves it with the new conclusion; then the campaign closes.
func TestAppeals(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }
	campaign := fmt.Sprintf("/campaigns/%d", s.campaignID)
	h.run(t, scenario{as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/appeals"),
		body: `{"reason":"calculation","appellant":"上海某研究院","text":"分数有误"}`, status: 409, code: evaluation.Conflict})
	h.run(t, scenario{as: "commission", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/approve", s.campaignID), body: `{}`, status: 200})

	for _, u := range []string{"staffa", "staffb", s.chair, "admin"} {
		h.api(u, "GET", fmt.Sprintf("/api/v1/campaigns/%d/appeals", s.campaignID), "") // each signs in first
	}
	before := h.dump()
	for _, sc := range []scenario{
		{name: "an unknown ground", as: "staffa", body: `{"reason":"taste","appellant":"上海某研究院","text":"异议"}`, status: 400, code: evaluation.Invalid, fields: []string{"reason"}},
		{name: "no appellant", as: "staffa", body: `{"reason":"factual","appellant":"","text":"异议"}`, status: 400, code: evaluation.Invalid, fields: []string{"appellant"}},
		{name: "no text", as: "staffa", body: `{"reason":"factual","appellant":"上海某研究院","text":"  "}`, status: 400, code: evaluation.Invalid, fields: []string{"text"}},
		{name: "another agency", as: "staffb", body: `{"reason":"factual","appellant":"上海某研究院","text":"异议"}`, status: 404, code: evaluation.NotFound},
		{name: "an expert", as: s.chair, body: `{"reason":"factual","appellant":"上海某研究院","text":"异议"}`, status: 403, code: evaluation.Forbidden},
		{name: "an administrator", as: "admin", body: `{"reason":"factual","appellant":"上海某研究院","text":"异议"}`, status: 403, code: evaluation.Forbidden},
	} {
		sc.method, sc.url = "POST", pp("/api/v1/projects/%d/appeals")
		h.run(t, sc)
		if h.dump() != before {
			t.Fatalf("%s changed the database", sc.name)
		}
	}
	body := h.run(t, scenario{as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/appeals"),
		body: `{"reason":"academic","appellant":"上海某研究院","text":"专家对原创性评价偏低。"}`, status: 200,
		contains: []string{`"status":"inadmissible"`, `"before":"pass"`}})
	inadmissible := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(body)[1]

	// The admissible one, through the agency's form, in English.
	staff := h.browser()
	staff.login("staffa")
	staff.post("/lang", formOf("lang", "en", "next", "/"))
	result := pp("/projects/%d/result")
	_, page := staff.get(result)
	if !strings.Contains(page, `id="appeal-form"`) || !strings.Contains(visibleText(page), "Not admissible") {
		t.Fatal("the agency's result page offers no appeal form or hides the inadmissible appeal")
	}
	before = h.dump()
	if resp, page := staff.post(result+"/appeals", formOf("reason", "calculation", "appellant", "", "text", "分数录入有误")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-appellant"`) {
		t.Errorf("an appeal without its appellant: %d, want 400 beside the field", resp.StatusCode)
	}
	if h.dump() != before {
		t.Error("the refused appeal changed the database")
	}
	if resp, _ := staff.post(result+"/appeals", formOf("reason", "calculation", "appellant", "Shanghai Institute",
		"text", "A member's score for technical breakthrough was entered wrongly.")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the appeal: %d", resp.StatusCode)
	}
	list := h.run(t, scenario{as: "staffa", method: "GET", url: fmt.Sprintf("/api/v1/campaigns/%d/appeals", s.campaignID), status: 200,
		contains: []string{`"status":"filed"`, `"appellant":"Shanghai Institute"`}})
	ids := regexp.MustCompile(`"id":(\d+)`).FindAllStringSubmatch(list, -1)
	admissible := ids[len(ids)-1][1]
	h.run(t, scenario{as: "staffb", method: "GET", url: fmt.Sprintf("/api/v1/campaigns/%d/appeals", s.campaignID), status: 404, code: evaluation.NotFound})

	// The commission: settling is its alone; the re-evaluation's form.
	settle := pp("/api/v1/projects/%d/appeals/") + admissible
	h.run(t, scenario{as: "staffa", method: "POST", url: settle + "/reject", body: `{"reason":"不成立"}`, status: 403, code: evaluation.Forbidden})
	h.run(t, scenario{as: "commission", method: "POST", url: pp("/api/v1/projects/%d/appeals/") + inadmissible + "/reject",
		body: `{"reason":"不成立"}`, status: 409, code: evaluation.Conflict})
	com := h.browser()
	com.login("commission")
	_, page = com.get(result)
	if !strings.Contains(page, `id="reevaluate-form-`+admissible+`"`) || !strings.Contains(page, `id="reject-form-`+admissible+`"`) {
		t.Fatal("the commission is not offered to settle the appeal")
	}
	before = h.dump()
	if resp, page := com.post(result+"/appeals/"+admissible+"/reevaluate", formOf("note", "", "due", "")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-note"`) {
		t.Errorf("a re-evaluation without a note: %d, want 400 beside the note", resp.StatusCode)
	}
	if h.dump() != before {
		t.Error("the refused re-evaluation changed the database")
	}
	if resp, _ := com.post(result+"/appeals/"+admissible+"/reevaluate", formOf("note", "请专家组核查“技术突破”评分后重新评分。", "due", "")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the re-evaluation: %d", resp.StatusCode)
	}
	if _, page = com.get(result); !strings.Contains(page, `id="appeal-pending-`+admissible+`"`) {
		t.Error("the result page does not say the re-evaluation waits for the sheets")
	}

	// The members revise while the campaign is published: the project is
	// in their workspace again, only until they submit.
	ex := h.browser()
	ex.login(s.chair)
	if _, page = ex.get("/"); !strings.Contains(page, fmt.Sprintf("/workspace/projects/%d", s.projectID)) {
		t.Error("the chair's workspace does not list the project under re-evaluation")
	}
	for _, pm := range s.panel.Seated(evaluation.SeatTechnical) {
		u, err := h.db.UserByExpert(t.Context(), pm.ExpertID)
		if err != nil {
			t.Fatal(err)
		}
		m := u.Username
		resp, sheet := h.api(m, "GET", pp("/api/v1/projects/%d/sheet"), "")
		if resp.StatusCode != 200 {
			t.Fatalf("%s reads the reopened sheet: %d %s", m, resp.StatusCode, sheet)
		}
		version := regexp.MustCompile(`"version":(\d+)`).FindStringSubmatch(sheet)[1]
		h.run(t, scenario{as: m, method: "POST", url: pp("/api/v1/projects/%d/sheet/submit"), body: `{"version":` + version + `,` + lowSheet + `}`, status: 200})
	}
	h.run(t, scenario{as: s.chair, method: "GET", url: pp("/api/v1/projects/%d/sheet"), status: 404, code: evaluation.NotFound})

	// Resolved with the re-evaluation's conclusion, in Chinese.
	com.post("/lang", formOf("lang", "zh-CN", "next", "/"))
	if resp, page := com.post(result+"/appeals/"+admissible+"/resolve", formOf("conclusion", "fail", "reason", "")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-reason"`) {
		t.Errorf("a resolution without a reason: %d, want 400 beside the reason", resp.StatusCode)
	}
	if resp, page := com.post(result+"/appeals/"+admissible+"/resolve", formOf("conclusion", "fail", "reason", "复评得分低于合格线，结论改为未通过。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the resolution: %d %s", resp.StatusCode, regexp.MustCompile(`(?s)alert error.{0,300}`).FindString(page))
	}
	_, page = com.get(result)
	if text := visibleText(page); !strings.Contains(text, "复评后已办结") || !strings.Contains(text, "不予受理") {
		t.Errorf("the appeals on the result page: %q", text)
	}
	if _, page = com.get(campaign); !strings.Contains(page, `id="appeal-table"`) || strings.Contains(page, `id="appeals-open"`) {
		t.Error("the campaign page does not list the settled appeals")
	}
	h.run(t, scenario{as: "", method: "GET", url: fmt.Sprintf("/api/v1/public/campaigns/%d", s.campaignID), status: 200,
		contains: []string{`"conclusion":"fail"`}})

	// The campaign closes after the period.
	h.now = h.now.AddDate(0, 0, 6)
	h.run(t, scenario{as: "commission", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID),
		body: `{"to":"closed"}`, status: 200})
	h.run(t, scenario{as: "commission", method: "POST", url: settle + "/reject", body: `{"reason":"不成立"}`, status: 409, code: evaluation.Conflict})
}

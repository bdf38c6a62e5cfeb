package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

const projectJSON = `{"code":"%s","title":"城市地下管网智能巡检机器人研发","class":"applied_technology",
	"lead_institution":"同济大学","pi":{"name":"王建国"},"subject_codes":["560.20"],"keywords":["机器人","管网"],
	"budget":3000000000,"members":[{"name":"李四","institution":"同济大学"}],
	"avoid":[{"name":"赵六","institution":"某研究院","reason":"学术观点分歧"}],
	"indicators":[{"name":"连续巡检里程","target":{"value":5,"unit":"km","direction":"ge"},"actual":{"value":6}},
	{"name":"申请发明专利","kind":"ip","target":{"value":4,"unit":"项"},"actual":{"value":3.5}}]}`

// campaignWithProject makes a draft campaign of agency A with one project.
func (h *harness) campaignWithProject() (campaignID, projectID int64) {
	h.t.Helper()
	resp, body := h.api("staffa", "POST", "/api/v1/campaigns", `{"name":"2026 年度第一批综合绩效评价","year":2026}`)
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("create campaign: %d %s", resp.StatusCode, body)
	}
	var c evaluation.Campaign
	h.decode(body, &c)
	resp, body = h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/projects", c.ID), fmt.Sprintf(projectJSON, "2024-ZD-001"))
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("create project: %d %s", resp.StatusCode, body)
	}
	var p evaluation.Project
	h.decode(body, &p)
	return c.ID, p.ID
}

// TestCampaignScenarios: campaigns and their projects through the API,
// with another agency's staff finding neither.
//
// Each case passes alone and in any order, as in TestAPIScenarios: the
// reads share one harness with a draft campaign of agency A and one
// project, and must leave its database as they found it; a case that
// changes the database, or needs the campaign in forming, runs on a
// harness of its own after the requests it needs, and checks the audit
// entries it adds.
func TestCampaignScenarios(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid, pid := h.campaignWithProject()
	c := func(f string) string { return fmt.Sprintf(f, cid) }
	p := func(f string) string { return fmt.Sprintf(f, pid) }
	reads := []scenario{
		{"staff A lists own campaigns", "staffa", "GET", "/api/v1/campaigns", "", 200, "", nil, []string{`"total":1`, `"projects":1`}, nil},
		{"staff B sees none", "staffb", "GET", "/api/v1/campaigns", "", 200, "", nil, []string{`"total":0`}, nil},
		{"staff B: campaign not found", "staffb", "GET", c("/api/v1/campaigns/%d"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B: projects not found", "staffb", "GET", c("/api/v1/campaigns/%d/projects"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B: project not found", "staffb", "GET", p("/api/v1/projects/%d"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B cannot change the project", "staffb", "PUT", p("/api/v1/projects/%d"), fmt.Sprintf(projectJSON, "X"), 404, evaluation.NotFound, nil, nil, nil},
		{"staff B cannot move the campaign", "staffb", "POST", c("/api/v1/campaigns/%d/transitions"), `{"to":"forming"}`, 404, evaluation.NotFound, nil, nil, nil},
		{"commission reads it", "commission", "GET", c("/api/v1/campaigns/%d"), "", 200, "", nil, []string{`"state":"draft"`, `"agency":"AGA"`}, nil},
		{"commission cannot create", "commission", "POST", "/api/v1/campaigns", `{"name":"x","year":2026}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"expert cannot list", "expert", "GET", "/api/v1/campaigns", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"project has computed statuses", "staffa", "GET", p("/api/v1/projects/%d"), "", 200, "", nil, []string{`"status":"met"`, `"status":"partly"`, `"status_from":"computed"`}, nil},
		{"duplicate project code", "staffa", "POST", c("/api/v1/campaigns/%d/projects"), fmt.Sprintf(projectJSON, "2024-ZD-001"), 409, evaluation.Conflict, []string{"code"}, nil, nil},
		{"bad project", "staffa", "POST", c("/api/v1/campaigns/%d/projects"), `{"code":"A","title":"","class":"x","lead_institution":"","pi":{"name":""},"subject_codes":["abc"]}`, 400,
			evaluation.Invalid, []string{"title", "class", "pi.name", "subject_codes.0"}, nil, nil},
		{"unknown method", "staffa", "POST", c("/api/v1/campaigns/%d/projects"), strings.Replace(fmt.Sprintf(projectJSON, "2024-ZD-009"), `"keywords"`, `"methods":["testing","x-ray"],"keywords"`, 1), 400,
			evaluation.Invalid, []string{"methods.1"}, nil, nil},
		{"bad settings", "staffa", "PATCH", c("/api/v1/campaigns/%d"), `{"name":"x","year":2026,"settings":{"panels":{"basic_research":{"technical":6}}}}`, 400,
			evaluation.Invalid, []string{"settings.panels.basic_research.technical"}, nil, nil},
	}
	forming := scenario{"move to forming", "staffa", "POST", c("/api/v1/campaigns/%d/transitions"), `{"to":"forming"}`, 200, "", nil, []string{`"state":"forming"`}, nil}
	writes := []writeScenario{
		{nil, forming, []string{"campaign.transition"}},
		{[]scenario{forming}, scenario{"settings locked after draft", "staffa", "PATCH", c("/api/v1/campaigns/%d"), `{"name":"x","year":2026}`, 409, evaluation.Conflict, nil, nil, nil}, nil},
		{[]scenario{forming}, scenario{"commission cannot skip to scoring", "commission", "POST", c("/api/v1/campaigns/%d/transitions"), `{"to":"scoring"}`, 403, evaluation.Forbidden, nil, nil, nil}, nil},
		{[]scenario{forming}, scenario{"invalid move", "staffa", "POST", c("/api/v1/campaigns/%d/transitions"), `{"to":"closed"}`, 409, evaluation.Conflict, []string{"to"}, nil, nil}, nil},
		{[]scenario{forming}, scenario{"back to draft needs a reason", "staffa", "POST", c("/api/v1/campaigns/%d/transitions"), `{"to":"draft"}`, 400, evaluation.Invalid, []string{"reason"}, nil, nil}, nil},
		{[]scenario{forming}, scenario{"history", "staffa", "GET", c("/api/v1/campaigns/%d/transitions"), "", 200, "", nil, []string{`"to":"forming"`}, nil}, nil},
	}

	h.warmTokens()
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, tc)
			if h.dump() != before {
				t.Errorf("the request changed the database; it belongs with the writes")
			}
		})
	}
	for _, tc := range writes {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.withRubrics()
			// The URLs hold the shared harness's IDs; a fresh one gets
			// the same.
			if c, p := h.campaignWithProject(); c != cid || p != pid {
				t.Fatalf("campaign %d, project %d; want %d, %d", c, p, cid, pid)
			}
			h.runWrite(t, tc)
		})
	}
}

// TestCampaignUI: staff create a campaign and a project through the forms,
// see a field error beside its field, and move the campaign on; another
// agency's staff get 404 for both pages.
func TestCampaignUI(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	staff := h.browser()
	staff.login("staffa")
	_, page := staff.get("/campaigns/new")
	form := formValues(page)
	form.Set("name", "")
	resp, page := staff.post("/campaigns", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-name"`) {
		t.Fatalf("empty name: %d", resp.StatusCode)
	}
	form = formValues(page)
	form.Set("name", "2026 年度第二批综合绩效评价")
	form.Set("br_technical", "7")
	resp, _ = staff.post("/campaigns", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	campaignURL := resp.Header.Get("Location")
	_, page = staff.get(campaignURL)
	if !strings.Contains(page, "技术专家 7 人") || !strings.Contains(page, `id="new-project"`) {
		t.Errorf("campaign page lacks the settings or the add-project button")
	}

	_, page = staff.get(campaignURL + "/projects/new")
	form = formValues(page)
	form.Set("code", "2024-JC-007")
	form.Set("title", "二维材料中激子输运的调控机理")
	form.Set("class", "basic_research")
	form.Set("lead_institution", "复旦大学")
	form.Set("pi_name", "沈慧敏")
	form.Set("subject_codes", "140.30，140.70")
	form.Set("budget", "300")
	form.Set("members", "张三, 复旦大学, 实验\n李四, 中国科学院上海技术物理研究所")
	form.Set("indicators.0.name", "发表高水平论文")
	form.Set("indicators.0.target_value", "abc")
	form.Set("op", "save")
	resp, page = staff.post(campaignURL+"/projects", form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-indicators.0.target_value"`) {
		t.Fatalf("bad target value: %d", resp.StatusCode)
	}
	form.Set("indicators.0.name", "揭示激子扩散长度的温度依赖规律")
	form.Set("indicators.0.target_value", "")
	form.Set("indicators.0.target_text", "给出 10–300 K 范围内的定量关系")
	form.Set("indicators.0.status", "met")
	resp, _ = staff.post(campaignURL+"/projects", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create project: %d", resp.StatusCode)
	}
	projectURL := resp.Header.Get("Location")
	_, page = staff.get(projectURL)
	for _, want := range []string{"2024-JC-007", "300 万元", "中国科学院上海技术物理研究所", "达到", "同行评议"} {
		if !strings.Contains(page, want) {
			t.Errorf("project page lacks %q", want)
		}
	}

	other := h.browser()
	other.login("staffb")
	for _, u := range []string{campaignURL, projectURL, projectURL + "/edit"} {
		if resp, _ := other.get(u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("staff B GET %s: %d, want 404", u, resp.StatusCode)
		}
	}

	staff.get(campaignURL)
	resp, _ = staff.post(campaignURL+"/transition", formOf("to", "forming"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", resp.StatusCode)
	}
	_, page = staff.get(campaignURL)
	if !strings.Contains(page, `id="campaign-state">组建专家组`) || !strings.Contains(page, `id="move-scoring"`) {
		t.Errorf("the campaign did not move to forming")
	}
	if !strings.Contains(page, `id="campaign-agency">甲机构<`) {
		t.Errorf("the campaign's header does not name its agency")
	}
	staff.get(campaignURL)
	resp, page = staff.post(campaignURL+"/transition", formOf("to", "draft"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-reason"`) {
		t.Errorf("back to draft without a reason: %d", resp.StatusCode)
	}
	entries, _, err := h.svc.Accounts.AuditLog(context.Background(), evaluation.System, evaluation.AuditFilter{Action: "campaign.transition"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("%d transition audit entries, want 1", len(entries))
	}
}

// TestScoringRefusedNamesUnconfirmedProjects: moving the demo's forming
// campaign to scoring, whose panels are not all confirmed, is refused with
// a message that counts the projects concerned, on the page and in the
// API's error, in both languages.
func TestScoringRefusedNamesUnconfirmedProjects(t *testing.T) {
	s := newDemoSite(t)
	c := s.campaigns["SSTPC"]
	unready := 0
	for _, p := range s.projects {
		if pn := s.panelOf(p.ID); p.CampaignID == c.ID && (pn == nil || pn.State != evaluation.PanelConfirmed) {
			unready++
		}
	}
	if unready == 0 {
		t.Fatal("every project of the forming campaign has a confirmed panel")
	}
	want := map[evaluation.Language]string{
		evaluation.LangZH: fmt.Sprintf("还有 %d 个项目的专家组未确认", unready),
		evaluation.LangEN: fmt.Sprintf("%d projects have no confirmed panel yet", unready),
	}
	br := s.browser()
	br.login("sstpc-li")
	campaignURL := fmt.Sprintf("/campaigns/%d", c.ID)
	for _, lang := range evaluation.Languages {
		t.Run(string(lang), func(t *testing.T) {
			br.post("/lang", formOf("lang", string(lang), "next", campaignURL))
			resp, page := br.post(campaignURL+"/transition", formOf("to", "scoring"))
			if resp.StatusCode != http.StatusConflict {
				t.Errorf("page: status %d, want 409", resp.StatusCode)
			}
			if !strings.Contains(visibleText(page), want[lang]) {
				t.Errorf("page lacks %q", want[lang])
			}
			resp, body := s.api("sstpc-li", "POST", fmt.Sprintf("/api/v1/campaigns/%d/transitions", c.ID), `{"to":"scoring"}`,
				"Accept-Language", string(lang))
			if resp.StatusCode != http.StatusConflict {
				t.Fatalf("API: status %d, want 409; body %s", resp.StatusCode, body)
			}
			if e := wantError(t, body, evaluation.Conflict, "to"); !strings.Contains(e.Message, want[lang]) || !strings.Contains(e.Fields["to"], want[lang]) {
				t.Errorf("API error %+v, want message and field to with %q", e, want[lang])
			}
		})
	}
}

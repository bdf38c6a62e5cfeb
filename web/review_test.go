package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// submittedCampaign takes the scoring campaign to the commission: every
// sheet in, the opinion locked, the project passed, the campaign
// submitted.
func (h *harness) submittedCampaign(s *scoring) {
	h.t.Helper()
	members := h.submitAll(s)
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }
	h.run(h.t, scenario{as: s.chair, method: "PUT", url: pp("/api/v1/projects/%d/opinion"),
		body: `{"version":0,"text":"项目完成了任务书规定的主要考核指标，专家组同意通过。","proposed":"pass"}`, status: 200})
	h.run(h.t, scenario{as: s.chair, method: "POST", url: pp("/api/v1/projects/%d/opinion/circulate"), body: `{"version":1}`, status: 200})
	for _, m := range members {
		h.run(h.t, scenario{as: m, method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: `{"agree":true}`, status: 200})
	}
	staff := h.users["staffa"].Actor()
	if _, err := h.svc.Campaigns.TransitionCampaign(context.Background(), staff, s.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		h.t.Fatal(err)
	}
	h.run(h.t, scenario{as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`, status: 201})
	h.run(h.t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID),
		body: `{"to":"submitted"}`, status: 200})
}

// The commission's review through the API: refusals name their field or
// reason and change nothing; a marked project is the commission's draft
// until returned with the campaign; the agency answers it and submits
// again.
func TestReviewAPI(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	ret := fmt.Sprintf("/api/v1/projects/%d/return", s.projectID)
	list := fmt.Sprintf("/api/v1/campaigns/%d/returns", s.campaignID)
	send := fmt.Sprintf("/api/v1/campaigns/%d/return", s.campaignID)
	const comment = `{"comment":"请说明财务专家意见与结论的关系。"}`
	h.warmTokens()
	for _, sc := range []scenario{
		{name: "agency staff mark", as: "staffa", method: "PUT", url: ret, body: comment, status: 403, code: evaluation.Forbidden},
		{name: "an expert marks", as: s.chair, method: "PUT", url: ret, body: comment, status: 403, code: evaluation.Forbidden},
		{name: "no comment", as: "commission", method: "PUT", url: ret, body: `{"comment":""}`, status: 400, code: evaluation.Invalid, fields: []string{"comment"}},
		{name: "nothing marked", as: "commission", method: "POST", url: send, body: `{"reason":"退回"}`, status: 409, code: evaluation.Conflict},
		{name: "the bare move", as: "commission", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID),
			body: `{"to":"returned","reason":"退回"}`, status: 409, code: evaluation.Conflict, fields: []string{"to"}},
		{name: "another agency reads", as: "staffb", method: "GET", url: list, status: 404, code: evaluation.NotFound},
		{name: "an answer before any return", as: "staffa", method: "PUT", url: ret + "/answer", body: `{"answer":"已处理"}`, status: 409, code: evaluation.Conflict},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, sc)
			if h.dump() != before {
				t.Error("a refused request changed the database")
			}
		})
	}
	h.run(t, scenario{as: "commission", method: "PUT", url: ret, body: comment, status: 200, contains: []string{`"sent":false`, `"round":1`}})
	h.run(t, scenario{as: "staffa", method: "GET", url: list, status: 200, contains: []string{`"returns":[]`}})
	h.run(t, scenario{as: "commission", method: "POST", url: send, body: `{"reason":"个别项目需补充说明。"}`, status: 200,
		contains: []string{`"state":"returned"`}})
	h.run(t, scenario{as: "staffa", method: "GET", url: list, status: 200, contains: []string{`"sent":true`, "请说明财务专家意见"}})
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID),
		body: `{"to":"concluding"}`, status: 200})
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID),
		body: `{"to":"submitted"}`, status: 409, code: evaluation.Conflict, fields: []string{"to"}})
	h.run(t, scenario{as: "staffa", method: "PUT", url: ret + "/answer", body: `{"answer":"已核实，结论维持通过。"}`, status: 200,
		contains: []string{`"answer":"已核实，结论维持通过。"`}})
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID),
		body: `{"to":"submitted"}`, status: 200})
	if got := h.auditActions(); !containsAll(got, "project.mark_return", "project.answer_return") {
		t.Errorf("audit actions = %v", got)
	}
}

// The review in the web UI: the commission marks the project on its
// result page and returns it from the campaign's results (a refused
// return keeps the draft and says why beside the field); the agency sees
// the comment and answers it there, in English.
func TestReviewPages(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	project := fmt.Sprintf("/projects/%d/result", s.projectID)
	results := fmt.Sprintf("/campaigns/%d/results", s.campaignID)
	com := h.browser()
	com.login("commission")
	if _, body := com.get(results); !strings.Contains(body, `id="no-drafted"`) {
		t.Error("the commission's results do not say how to mark projects")
	}
	com.get(project)
	if resp, body := com.post(project+"/return", formOf("comment", " ")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-comment"`) {
		t.Errorf("mark without a comment: %d, want 400 beside the comment", resp.StatusCode)
	}
	if resp, _ := com.post(project+"/return", formOf("comment", "请说明财务专家意见与结论的关系。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d", resp.StatusCode)
	}
	_, body := com.get(results)
	if !strings.Contains(body, `id="drafted-returns"`) || !strings.Contains(body, "请说明财务专家意见") {
		t.Fatal("the marked project is not listed on the results")
	}
	before := h.dump()
	if resp, body := com.post(results+"/return", formOf("reason", "")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-reason"`) {
		t.Errorf("return without a note: %d, want 400 beside the note: %s", resp.StatusCode, visibleText(body))
	}
	if h.dump() != before {
		t.Error("the refused return changed the database")
	}
	if resp, _ := com.post(results+"/return", formOf("reason", "个别项目需补充说明。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", resp.StatusCode)
	}

	staff := h.browser()
	staff.login("staffa")
	staff.post("/lang", formOf("lang", "en", "next", "/"))
	if _, body := staff.get("/"); !strings.Contains(body, fmt.Sprintf(`href="/campaigns/%d/results#review"`, s.campaignID)) ||
		!strings.Contains(visibleText(body), "The commission returned projects") {
		t.Error("the agency's home does not lead to the returns")
	}
	_, body = staff.get(results)
	if text := visibleText(body); !strings.Contains(text, "Return 1") || !strings.Contains(text, "Awaiting the agency's answer") {
		t.Errorf("the agency's results do not show the return: %q", text)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(context.Background(), h.users["staffa"].Actor(), s.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	_, body = staff.get(project)
	if !strings.Contains(body, `id="answer-form"`) || strings.Contains(body, `id="mark-form"`) {
		t.Fatal("the agency is not offered the answer form")
	}
	if resp, body := staff.post(project+"/answer", formOf("answer", "")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-answer"`) {
		t.Errorf("an empty answer: %d, want 400 beside the answer", resp.StatusCode)
	}
	if resp, _ := staff.post(project+"/answer", formOf("answer", "Checked with the finance expert; the pass stands.")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	_, body = staff.get(results)
	if text := visibleText(body); !strings.Contains(text, "Answered") || strings.Contains(body, `id="unanswered"`) {
		t.Errorf("after answering: %q", text)
	}
	// The project's audit trail: its entries only, the answer among them.
	_, body = staff.get(project)
	if !strings.Contains(body, `id="project-audit"`) {
		t.Fatal("the result page does not link the project's audit trail")
	}
	_, body = staff.get(fmt.Sprintf("/audit?object_type=project&object_id=%d", s.projectID))
	if !strings.Contains(body, `data-action="project.answer_return"`) || strings.Contains(body, `data-action="campaign.transition"`) {
		t.Error("the project's trail is not the project's")
	}
	h.run(t, scenario{as: "staffa", method: "GET", url: "/api/v1/audit?object_id=1", status: 400, code: evaluation.Invalid,
		fields: []string{"object_id"}})
}

// The commission's home puts what waits for it first: a submitted
// campaign, with the way to its results.
func TestCommissionHomeShowsWhatWaits(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	com := h.browser()
	com.login("commission")
	_, body := com.get("/")
	row := fmt.Sprintf(`id="campaign-%d"`, s.campaignID)
	link := fmt.Sprintf(`href="/campaigns/%d/results"`, s.campaignID)
	i := strings.Index(body, row)
	if i < 0 || !strings.Contains(body[i:], link) || !strings.Contains(visibleText(body), "待审核") {
		t.Errorf("the commission's home does not lead to the submitted campaign's results")
	}
	if first := strings.Index(body, `<tr id="campaign-`); first != strings.Index(body, "<tr "+row) {
		t.Error("the submitted campaign is not first")
	}
}

// The panel's opinion prints as a document: the project, the opinion,
// each member's answer with a place to sign, the conclusion; in both
// languages.
func TestOpinionPrint(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	staff := h.browser()
	staff.login("staffa")
	page := fmt.Sprintf("/projects/%d/opinion/print", s.projectID)
	if _, body := staff.get(fmt.Sprintf("/projects/%d/result", s.projectID)); !strings.Contains(body, `href="`+page+`"`) {
		t.Error("the result page does not link the printable opinion")
	}
	for lang, want := range map[string][]string{"zh-CN": {"专家组意见", "确认", "签名", "通过"}, "en": {"Opinion of the evaluation panel", "Signature", "Pass"}} {
		staff.post("/lang", formOf("lang", lang, "next", "/"))
		resp, body := staff.get(page)
		text := visibleText(body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(text, "专家组同意通过") {
			t.Fatalf("%s: %d %q", lang, resp.StatusCode, text)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the printable opinion lacks %q", lang, w)
			}
		}
	}
	b := h.browser()
	b.login(s.chair)
	if resp, _ := b.get(page); resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("an expert prints the agency's copy: %d", resp.StatusCode)
	}
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// submitFlagged has every accepted member of the scoring campaign's panel
// submit a full sheet; the chair, s.member and s.other flag V5 (main
// contract indicators not met: 3 of 5 technical sheets, a majority), and
// s.member also flags V2 (1 of 5: not held).
func (h *harness) submitFlagged(s *scoring) {
	h.t.Helper()
	ctx := context.Background()
	const v5 = `{"code":"V5","evidence":"连续巡检里程仅完成 3 km。"}`
	const v2 = `{"code":"V2","evidence":"技术路线由激光雷达改为视觉方案，未见批复。"}`
	for _, m := range s.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			continue
		}
		u, err := h.db.UserByExpert(ctx, m.ExpertID)
		if err != nil {
			h.t.Fatal(err)
		}
		h.openSheet(s, u.Username)
		sheet := fullSheet
		switch u.Username {
		case s.finance:
			sheet = financeSheet
		case s.chair, s.other:
			sheet += `,"vetoes":[` + v5 + `]`
		case s.member:
			sheet += `,"vetoes":[` + v2 + `,` + v5 + `]`
		}
		if resp, body := h.api(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), `{"version":0,`+sheet+`}`); resp.StatusCode != 200 {
			h.t.Fatalf("%s submits: %d %s", u.Username, resp.StatusCode, body)
		}
	}
}

const vetoReason = "经核查，项目未经批准调整技术路线，情况属实。"

// Confirming a veto through the API: refusals name their field or reason
// and change nothing; the confirmation is recorded once, audited, counted
// in the campaign's results (the proposal turns to a fail) and listed with
// them; after a conclusion none is taken.
func TestConfirmVetoAPI(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitFlagged(s)
	url := fmt.Sprintf("/api/v1/projects/%d/vetoes", s.projectID)
	results := fmt.Sprintf("/api/v1/campaigns/%d/results", s.campaignID)
	h.run(t, scenario{as: "staffa", method: "GET", url: results, status: 200,
		contains: []string{`"veto":"V2","flags":1,"sheets":5,"majority":false,"confirmed":false,"held":false`, `"confirmations":[]`}})

	h.warmTokens()
	for _, sc := range []scenario{
		{name: "an expert", as: s.chair, method: "POST", url: url, body: `{"code":"V2","reason":"x"}`, status: 403, code: evaluation.Forbidden},
		{name: "the commission", as: "commission", method: "POST", url: url, body: `{"code":"V2","reason":"x"}`, status: 403, code: evaluation.Forbidden},
		{name: "another agency", as: "staffb", method: "POST", url: url, body: `{"code":"V2","reason":"x"}`, status: 404, code: evaluation.NotFound},
		{name: "no reason", as: "staffa", method: "POST", url: url, body: `{"code":"V2"}`, status: 400, code: evaluation.Invalid, fields: []string{"reason"}},
		{name: "a blank reason", as: "staffa", method: "POST", url: url, body: `{"code":"V2","reason":"  "}`, status: 400, code: evaluation.Invalid, fields: []string{"reason"}},
		{name: "no code", as: "staffa", method: "POST", url: url, body: `{"reason":"x"}`, status: 400, code: evaluation.Invalid, fields: []string{"code"}},
		{name: "an unknown code", as: "staffa", method: "POST", url: url, body: `{"code":"V9","reason":"x"}`, status: 400, code: evaluation.Invalid, fields: []string{"code"}},
		{name: "an unknown track", as: "staffa", method: "POST", url: url, body: `{"track":"legal","code":"V2","reason":"x"}`, status: 400, code: evaluation.Invalid, fields: []string{"track"}},
		{name: "a code of both rubrics", as: "staffa", method: "POST", url: url, body: `{"code":"V1","reason":"x"}`, status: 400, code: evaluation.Invalid, fields: []string{"track"}},
		{name: "an unknown project", as: "staffa", method: "POST", url: "/api/v1/projects/999/vetoes", body: `{"code":"V2","reason":"x"}`, status: 404, code: evaluation.NotFound},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, sc)
			if h.dump() != before {
				t.Error("a refused request changed the database")
			}
		})
	}

	h.run(t, scenario{as: "staffa", method: "POST", url: url, body: `{"code":"V2","reason":"` + vetoReason + `"}`, status: 201,
		contains: []string{`"track":"technical"`, `"code":"V2"`, `"confirmed_by_name":"Staff A"`, vetoReason}})
	if got := h.auditActions(); got[len(got)-1] != "project.confirm_veto" {
		t.Errorf("the newest audit action = %q, want project.confirm_veto", got[len(got)-1])
	}
	before := h.dump()
	h.run(t, scenario{as: "staffa", method: "POST", url: url, body: `{"track":"technical","code":"V2","reason":"再次确认"}`, status: 409, code: evaluation.Conflict})
	if h.dump() != before {
		t.Error("a second confirmation changed the database")
	}
	h.run(t, scenario{as: "commission", method: "GET", url: results, status: 200,
		contains: []string{`"veto":"V2","flags":1,"sheets":5,"majority":false,"confirmed":true,"reason":"` + vetoReason + `","held":true`,
			`"confirmations":[{"project_id":`, `"proposal":"fail"`, `"code":"veto_held"`}})

	// After a conclusion: refused.
	ctx := context.Background()
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, h.users["staffa"].Actor(), s.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/conclusions", s.projectID),
		body: `{"conclusion":"closed","reason":"承担单位注销，按结题处理。"}`, status: 201})
	before = h.dump()
	h.run(t, scenario{as: "staffa", method: "POST", url: url, body: `{"code":"V4","reason":"x"}`, status: 409, code: evaluation.Conflict})
	if h.dump() != before {
		t.Error("a confirmation after the conclusion changed the database")
	}
}

// Confirming a veto on the project's result page, in both languages: a
// veto flagged on too few sheets has the form, one held by the majority
// says so and has none; a refusal shows its problem and changes nothing;
// the confirmed veto shows who confirmed it and why, and the project
// fails.
func TestConfirmVetoPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitFlagged(s)
	url := fmt.Sprintf("/projects/%d/result", s.projectID)
	staff := h.browser()
	staff.login("staffa")

	resp, page := staff.get(url)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="veto-form-technical-V2"`) || strings.Contains(page, `id="veto-form-technical-V5"`) {
		t.Fatalf("the result page: %d, want the form for V2 (1 of 5) and none for V5 (3 of 5)", resp.StatusCode)
	}
	if !strings.Contains(page, `data-confirm="确认此一票否决项？`) {
		t.Error("the veto form does not ask before confirming")
	}
	for _, lang := range []struct {
		lang  evaluation.Language
		wants []string
	}{
		{evaluation.LangZH, []string{"过半数评分表勾选，否决项成立。", "5 份评分表中 1 份勾选", "确认否决", "确认理由（必填）"}},
		{evaluation.LangEN, []string{"Held by the majority of the sheets.", "flagged on 1 of 5 sheets", "Confirm the veto", "Reason for confirming"}},
	} {
		staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
		_, page := staff.get(url)
		text := visibleText(page)
		for _, w := range lang.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the result page lacks %q", lang.lang, w)
			}
		}
	}
	staff.post("/lang", formOf("lang", "zh-CN", "next", "/"))
	com := h.browser()
	com.login("commission")
	if _, page := com.get(url); strings.Contains(page, `veto-form-`) {
		t.Error("the commission is offered the veto form")
	}

	h.warmTokens()
	for _, tc := range []struct {
		name   string
		form   []string
		status int
		want   string
	}{
		{"no reason", []string{"track", "technical", "code", "V2", "reason", " "}, 400, `id="e-reason"`},
		{"an item of no rubric", []string{"track", "technical", "code", "V9", "reason", "x"}, 400, `id="veto-error"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			staff.get(url)
			before := h.dump()
			resp, page := staff.post(url+"/veto", formOf(tc.form...))
			if resp.StatusCode != tc.status || !strings.Contains(page, tc.want) {
				t.Errorf("status %d, want %d with %s", resp.StatusCode, tc.status, tc.want)
			}
			if h.dump() != before {
				t.Error("a refused form changed the database")
			}
		})
	}

	staff.get(url)
	if resp, _ := staff.post(url+"/veto", formOf("track", "technical", "code", "V2", "reason", vetoReason)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm V2: %d", resp.StatusCode)
	}
	for _, lang := range []struct {
		lang  evaluation.Language
		wants []string
	}{
		{evaluation.LangZH, []string{"已由机构人员确认（Staff A，", vetoReason, "否决项成立"}},
		{evaluation.LangEN, []string{"Confirmed by agency staff (Staff A, ", vetoReason, "Veto held"}},
	} {
		staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
		_, page := staff.get(url)
		text := visibleText(page)
		for _, w := range lang.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: after the confirmation the page lacks %q", lang.lang, w)
			}
		}
		if strings.Contains(page, `veto-form-`) || !strings.Contains(page, `class="badge proposal-fail"`) {
			t.Errorf("%s: after the confirmation: want no veto form and a fail proposed", lang.lang)
		}
	}
}

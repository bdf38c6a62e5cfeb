package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// lowSheet is 10+10+15+8+12 = 55, far below fullSheet's 83.
const lowSheet = `"scores":{"A1":10,"A2":10,"A3":15,"A4":8,"A5":12},"comments":{"A1":"完成不足一半。","A2":"创新性不足。",` +
	`"A3":"转化有限。","A4":"团队稳定。","A5":"管理规范。"},"opinion":"主要指标未完成。"`

// divergent has the scoring campaign's panel submit, one technical member
// far below the others, so that the project's scores diverge.
func (h *harness) divergent(s *scoring) {
	h.t.Helper()
	h.submitAll(s)
	h.lowerOne(s)
}

// lowerOne has one technical member submit a sheet far below the others.
func (h *harness) lowerOne(s *scoring) {
	h.t.Helper()
	ctx := context.Background()
	staff := h.users["staffa"].Actor()
	u, err := h.db.UserByUsername(ctx, s.member)
	if err != nil {
		h.t.Fatal(err)
	}
	sh, err := h.db.Sheet(ctx, s.projectID, u.ExpertID)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.svc.Sheets.ReopenSheet(ctx, staff, sh.ID, "请核对评分"); err != nil {
		h.t.Fatal(err)
	}
	if resp, body := h.api(s.member, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID),
		fmt.Sprintf(`{"version":%d,%s}`, sh.Version+1, lowSheet)); resp.StatusCode != 200 {
		h.t.Fatalf("%s submits the low sheet: %d %s", s.member, resp.StatusCode, body)
	}
}

// A divergent project's discussion through the API: refusals name their
// field or reason and change nothing; the agency opens it, the members
// read the note on their sheets, and the commission reads the round.
func TestRevisionAPI(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.divergent(s)
	url := fmt.Sprintf("/api/v1/projects/%d/revisions", s.projectID)
	const note = `{"kind":"discussion","note":"专家组评分差异较大，请结合材料复核。"}`
	h.warmTokens()
	for _, sc := range []scenario{
		{name: "an expert", as: s.chair, method: "POST", url: url, body: note, status: 403, code: evaluation.Forbidden},
		{name: "the commission", as: "commission", method: "POST", url: url, body: note, status: 403, code: evaluation.Forbidden},
		{name: "another agency", as: "staffb", method: "POST", url: url, body: note, status: 404, code: evaluation.NotFound},
		{name: "no note", as: "staffa", method: "POST", url: url, body: `{"kind":"discussion","note":""}`, status: 400,
			code: evaluation.Invalid, fields: []string{"note"}},
		{name: "an unknown kind", as: "staffa", method: "POST", url: url, body: `{"kind":"vote","note":"复核"}`, status: 400,
			code: evaluation.Invalid, fields: []string{"kind"}},
		{name: "a day past", as: "staffa", method: "POST", url: url, body: `{"kind":"discussion","note":"复核","due":"2020-01-01"}`,
			status: 400, code: evaluation.Invalid, fields: []string{"due"}},
		{name: "a re-evaluation without a rectification", as: "staffa", method: "POST", url: url,
			body: `{"kind":"reevaluation","note":"复核"}`, status: 409, code: evaluation.Conflict},
		{name: "an expert reads", as: s.chair, method: "GET", url: url, status: 403, code: evaluation.Forbidden},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, sc)
			if h.dump() != before {
				t.Error("a refused request changed the database")
			}
		})
	}
	h.run(t, scenario{as: "staffa", method: "POST", url: url, body: note, status: 201,
		contains: []string{`"kind":"discussion"`, `"seq":1`, `"sheets":5`}})
	h.run(t, scenario{as: "commission", method: "GET", url: url, status: 200, contains: []string{"请结合材料复核"}})
	h.run(t, scenario{as: "staffa", method: "POST", url: url, body: note, status: 409, code: evaluation.Conflict})

	// Each technical member reads the note on their sheet; the finance
	// expert's sheet stays as it was.
	for _, who := range []string{s.chair, s.member, s.other} {
		b := h.browser()
		b.login(who)
		resp, page := b.get(fmt.Sprintf("/workspace/projects/%d/sheet", s.projectID))
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="reopened"`) || !strings.Contains(page, "请结合材料复核") {
			t.Errorf("%s's sheet: %d, want the note", who, resp.StatusCode)
		}
	}
	if got := h.auditActions(); !containsAll(got, "project.revision") {
		t.Errorf("audit actions = %v", got)
	}
}

// The result page offers the discussion of a divergent project to the
// agency's staff, refuses a form without a note beside its field (in the
// user's language), and then lists the round and who is revising.
func TestRevisionOnTheResultPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	page := fmt.Sprintf("/projects/%d/result", s.projectID)
	staff := h.browser()
	staff.login("staffa")
	h.submitAll(s)
	if _, body := staff.get(page); strings.Contains(body, `id="revision-form"`) {
		t.Error("the discussion is offered for a project the panel agrees on")
	}
	h.lowerOne(s)
	resp, body := staff.get(page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="revision-form"`) || !strings.Contains(visibleText(body), "退回专家组复议") {
		t.Fatalf("a divergent project: %d, want the discussion form", resp.StatusCode)
	}
	staff.post("/lang", formOf("lang", "en", "next", "/"))
	staff.get(page)
	before := h.dump()
	resp, body = staff.post(page+"/revision", formOf("kind", "discussion", "note", " "))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-note"`) || !strings.Contains(visibleText(body), "Send back for discussion") {
		t.Errorf("no note: %d, want 400 with the message beside the note", resp.StatusCode)
	}
	if resp, body = staff.post(page+"/revision", formOf("kind", "discussion", "note", "")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-note"`) {
		t.Errorf("an empty note: %d, want 400 with the message beside the note", resp.StatusCode)
	}
	if h.dump() != before {
		t.Error("the refused form changed the database")
	}
	resp, _ = staff.post(page+"/revision", formOf("kind", "discussion", "note", "Please review the scores against the materials."))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open the discussion: %d", resp.StatusCode)
	}
	_, body = staff.get(page)
	text := visibleText(body)
	if !strings.Contains(body, `id="revising"`) || !strings.Contains(text, "Discussion of divergent scores") ||
		!strings.Contains(text, "Please review the scores") || strings.Contains(body, `id="revision-form"`) {
		t.Errorf("after opening: the round and the members revising, no form; got %q", text)
	}
	if !strings.Contains(body, `id="revising-note"`) {
		t.Error("the official result does not say the panel is revising")
	}
	// The results table flags the project, and filters by the flag.
	results := fmt.Sprintf("/campaigns/%d/results", s.campaignID)
	for flag, want := range map[string]bool{"revising": true, "veto": false} {
		_, body = staff.get(results + "?flag=" + flag)
		if got := strings.Contains(body, fmt.Sprintf(`id="revising-%d"`, s.projectID)); got != want {
			t.Errorf("results with flag=%s: the project flagged as revising = %v, want %v", flag, got, want)
		}
	}
	h.run(t, scenario{as: "staffa", method: "GET", url: fmt.Sprintf("/api/v1/campaigns/%d/results?flag=revising", s.campaignID),
		status: 200, contains: []string{`"revising":[true]`}})
}

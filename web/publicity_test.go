package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The commission approves on the campaign's page (a bad period refused
// beside its field), the publicity starts, and the public notice — read
// without signing in, in both languages and through the API — lists the
// project and its conclusion but no score and no expert's name.
func TestPublicNotice(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	campaign := fmt.Sprintf("/campaigns/%d", s.campaignID)
	notice := fmt.Sprintf("/public/campaigns/%d", s.campaignID)
	anon := h.browser()
	if resp, _ := anon.get(notice); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the notice before approval: %d, want 404", resp.StatusCode)
	}
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/approve", s.campaignID), body: `{}`,
		status: 403, code: evaluation.Forbidden})
	com := h.browser()
	com.login("commission")
	_, body := com.get(campaign)
	if !strings.Contains(body, `id="approve-form"`) || strings.Contains(body, `id="move-approved"`) {
		t.Fatal("the commission is not offered the approval with its publicity")
	}
	before := h.dump()
	if resp, body := com.post(campaign+"/approve", formOf("days", "45", "note", "")); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-days"`) {
		t.Errorf("a 45-day period: %d, want 400 beside the days", resp.StatusCode)
	}
	if h.dump() != before {
		t.Error("the refused approval changed the database")
	}
	if resp, _ := com.post(campaign+"/approve", formOf("days", "5", "note", "如有异议请书面反映。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	if _, body = com.get(campaign); !strings.Contains(body, `id="public-link"`) {
		t.Error("the campaign page does not link the public notice")
	}
	res, err := h.svc.Results.CampaignResults(t.Context(), h.users["staffa"].Actor(), s.campaignID)
	if err != nil {
		t.Fatal(err)
	}
	score := res.Report.Results[0].Technical.Score.String()
	for lang, want := range map[string]string{"zh-CN": "通过", "en": "Pass"} {
		anon.post("/lang", formOf("lang", lang, "next", "/"))
		resp, page := anon.get(notice)
		text := visibleText(page)
		if resp.StatusCode != http.StatusOK || !strings.Contains(text, "2024-ZD-101") || !strings.Contains(text, want) ||
			!strings.Contains(text, "如有异议") {
			t.Errorf("%s: the notice: %d %q", lang, resp.StatusCode, text)
		}
		if strings.Contains(text, score) || strings.Contains(text, "领域专家") {
			t.Errorf("%s: the notice shows a score or an expert's name", lang)
		}
	}
	h.run(t, scenario{as: "", method: "GET", url: fmt.Sprintf("/api/v1/public/campaigns/%d", s.campaignID), status: 200,
		contains: []string{`"conclusion":"pass"`, `"days":5`}, absent: []string{"score", "expert"}})
}

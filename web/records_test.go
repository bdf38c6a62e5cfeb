package web

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// messageID is an untranslated message id of the records' files.
var messageID = regexp.MustCompile(`records\.[a-z_]+`)

// closedCampaign takes a scoring campaign through the commission's
// approval and the publicity to closed, which writes its expert records.
func (h *harness) closedCampaign(s *scoring) {
	h.t.Helper()
	h.submittedCampaign(s)
	ctx, com := context.Background(), h.users["commission"].Actor()
	if _, err := h.svc.Review.ApproveCampaign(ctx, com, s.campaignID, 0, ""); err != nil {
		h.t.Fatal(err)
	}
	h.now = h.now.Add(6 * 24 * time.Hour)
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, com, s.campaignID, evaluation.CampaignClosed, ""); err != nil {
		h.t.Fatal(err)
	}
}

// Expert records after a campaign closes: the administrators and the
// commission read them through the API, on the expert's page and on the
// records list, in both languages; agency staff and experts are refused,
// an expert even their own.
func TestExpertRecords(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	campaignRecords := fmt.Sprintf("/api/v1/campaigns/%d/expert-records", s.campaignID)
	h.run(t, scenario{name: "before closing", as: "commission", method: "GET", url: campaignRecords, status: 200,
		contains: []string{`"records":[]`}})
	h.closedCampaign(s)

	recs, err := h.svc.Records.CampaignExpertRecords(context.Background(), h.users["admin"].Actor(), s.campaignID)
	if err != nil || len(recs) == 0 {
		t.Fatalf("records = %v, %v", recs, err)
	}
	chair := h.userOf(s.chair)
	ex, err := h.db.Expert(context.Background(), chair.ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	chairRecords := fmt.Sprintf("/api/v1/experts/%d/records", chair.ExpertID)
	for _, sc := range []scenario{
		{name: "admin, a campaign", as: "admin", method: "GET", url: campaignRecords, status: 200,
			contains: []string{`"assigned":1`, `"submitted":1`, `"on_time":1`, `"campaign_name":"评分批次"`}},
		{name: "commission, an expert", as: "commission", method: "GET", url: chairRecords, status: 200,
			contains: []string{fmt.Sprintf(`"campaign_id":%d`, s.campaignID), `"on_time_rate":1`}},
		{name: "commission, the list", as: "commission", method: "GET", url: "/api/v1/expert-records?sort=-assigned&per_page=50",
			status: 200, contains: []string{`"campaigns":1`, fmt.Sprintf(`"total":%d`, len(recs))}},
		{name: "the deferred only: none", as: "commission", method: "GET", url: "/api/v1/expert-records?deferred=true",
			status: 200, contains: []string{`"total":0`}},
		{name: "a bad sort", as: "admin", method: "GET", url: "/api/v1/expert-records?sort=age", status: 400,
			code: evaluation.Invalid, fields: []string{"sort"}},
		{name: "a bad filter", as: "admin", method: "GET", url: "/api/v1/expert-records?deferred=maybe", status: 400,
			code: evaluation.Invalid, fields: []string{"deferred"}},
		{name: "an unknown expert", as: "admin", method: "GET", url: "/api/v1/experts/999999/records", status: 404,
			code: evaluation.NotFound},
		{name: "an unknown campaign", as: "admin", method: "GET", url: "/api/v1/campaigns/999999/expert-records", status: 404,
			code: evaluation.NotFound},
		{name: "agency staff, their campaign", as: "staffa", method: "GET", url: campaignRecords, status: 403, code: evaluation.Forbidden},
		{name: "agency staff, an expert", as: "staffa", method: "GET", url: chairRecords, status: 403, code: evaluation.Forbidden},
		{name: "agency staff, the list", as: "staffa", method: "GET", url: "/api/v1/expert-records", status: 403, code: evaluation.Forbidden},
		{name: "an expert, their own", as: s.chair, method: "GET", url: chairRecords, status: 403, code: evaluation.Forbidden},
		{name: "an expert, the campaign", as: s.chair, method: "GET", url: campaignRecords, status: 403, code: evaluation.Forbidden},
		{name: "signed out", as: "", method: "GET", url: chairRecords, status: 401, code: evaluation.Unauthenticated},
	} {
		t.Run(sc.name, func(t *testing.T) { h.run(t, sc) })
	}

	expertPage := fmt.Sprintf("/experts/%d", chair.ExpertID)
	for _, role := range []string{"admin", "commission"} {
		b := h.browser()
		b.login(role)
		for lang, want := range map[string][]string{
			"zh-CN": {"信用记录", "评分批次", "按时提交", "100%"},
			"en":    {"Records", "评分批次", "On time", "100%"},
		} {
			b.post("/lang", formOf("lang", lang, "next", "/"))
			resp, page := b.get(expertPage)
			text := visibleText(page)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="records-table"`) {
				t.Fatalf("%s %s: the expert's page: %d, no records table", role, lang, resp.StatusCode)
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s %s: the expert's page lacks %q", role, lang, w)
				}
			}
			resp, page = b.get("/experts/records?sort=-on_time")
			text = visibleText(page)
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="records-list"`) || !strings.Contains(text, ex.Name) {
				t.Errorf("%s %s: the records list: %d %q", role, lang, resp.StatusCode, text)
			}
			if _, page = b.get("/experts"); !strings.Contains(page, `href="/experts/records"`) {
				t.Errorf("%s %s: the pool does not link the records", role, lang)
			}
			for _, p := range []string{page, text} {
				if strings.Contains(p, "<no value>") || messageID.MatchString(p) {
					t.Errorf("%s %s: a page shows a template gap or a message id", role, lang)
				}
			}
		}
	}
	for _, who := range []string{"staffa", s.chair} {
		b := h.browser()
		b.login(who)
		if _, page := b.get(expertPage); strings.Contains(page, `id="records"`) {
			t.Errorf("%s sees the records on the expert's page", who)
		}
		if resp, _ := b.get("/experts/records"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s opens the records list: %d, want 403", who, resp.StatusCode)
		}
		if _, page := b.get("/experts"); strings.Contains(page, `href="/experts/records"`) {
			t.Errorf("%s is offered the records list", who)
		}
	}
}

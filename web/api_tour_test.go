package web

import (
	"fmt"
	"slices"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestAPITour makes a successful call to the API operations that the other
// API tests only see refused (their pages are tested through the HTML
// forms), so that the OpenAPI check of the harness (apiContract) sees
// their success answers too: changing a campaign and a project, deleting a
// project, the panel operations from the draw to an expert's answer, the
// matching of a campaign, revoking tokens, and retiring and deleting rubric
// versions. Each step checks its status and what it must return.
func TestAPITour(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	accounts := h.withPool()
	cid, pid := h.campaignWithProject()
	want := func(as, method, url, body string, status int) string {
		t.Helper()
		resp, got := h.api(as, method, url, body)
		if resp.StatusCode != status {
			t.Fatalf("%s %s as %s: status %d, want %d; body %.500s", method, url, as, resp.StatusCode, status, got)
		}
		return got
	}
	c := func(f string) string { return fmt.Sprintf(f, cid) }

	// Campaigns and projects.
	var camp evaluation.Campaign
	h.decode(want("staffa", "PATCH", c("/api/v1/campaigns/%d"), `{"name":"2026 年度第一批（修订）","year":2026,"programme":"重点研发"}`, 200), &camp)
	if camp.Programme != "重点研发" {
		t.Errorf("campaign programme %q after PATCH", camp.Programme)
	}
	var p evaluation.Project
	h.decode(want("staffa", "PUT", idPath("/api/v1/projects/%d", pid), fmt.Sprintf(projectJSON, "2024-ZD-001"), 200), &p)
	if len(p.Avoid) != 1 || p.Avoid[0].Reason == "" {
		t.Errorf("project avoid list %+v after PUT, want the entry with its reason", p.Avoid)
	}
	h.decode(want("staffa", "POST", c("/api/v1/campaigns/%d/projects"), fmt.Sprintf(projectJSON, "2024-ZD-002"), 201), &p)
	want("staffa", "DELETE", idPath("/api/v1/projects/%d", p.ID), "", 204)
	want("staffa", "GET", idPath("/api/v1/projects/%d", p.ID), "", 404)
	want("staffa", "POST", c("/api/v1/campaigns/%d/transitions"), `{"to":"forming"}`, 200)

	// A panel from its draw to an expert's answer.
	var panel evaluation.Panel
	h.decode(want("staffa", "POST", c("/api/v1/campaigns/%d/panels/draw"), fmt.Sprintf(`{"projects":[%d]}`, pid), 201), &panel)
	var panels list[evaluation.Panel]
	h.decode(want("staffa", "GET", c("/api/v1/campaigns/%d/panels"), "", 200), &panels)
	if panels.Total != 1 || panels.Items[0].ID != panel.ID {
		t.Errorf("campaign panels %+v, want the drawn panel", panels)
	}
	pp := func(f string, args ...any) string { return fmt.Sprintf(f, append([]any{panel.ID}, args...)...) }
	var draws list[evaluation.DrawRecord]
	if h.decode(want("staffa", "GET", pp("/api/v1/panels/%d/draws"), "", 200), &draws); draws.Total != 1 {
		t.Errorf("%d draws, want 1", draws.Total)
	}
	var excluded list[evaluation.Exclusion]
	if h.decode(want("staffa", "GET", pp("/api/v1/panels/%d/exclusions"), "", 200), &excluded); excluded.Total == 0 {
		t.Errorf("no exclusions; want the expert at the lead institution")
	}
	// A proposed technical member, replaced by a new expert of the pool.
	var member *evaluation.PanelMember
	for _, m := range panel.Members {
		if member == nil && m.Seat == evaluation.SeatTechnical && m.Status == evaluation.MemberProposed {
			member = m
		}
	}
	if member == nil {
		t.Fatal("no proposed technical member")
	}
	var substitute evaluation.Expert
	h.decode(want("commission", "POST", "/api/v1/experts", `{"name":"领域专家7","type":"domain_expert","institution":"第7研究院",
		"title_level":"senior","region":"local","subject_codes":["560.20"],"can_be_drawn":true}`, 201), &substitute)
	var check evaluation.CheckResult
	h.decode(want("staffa", "POST", pp("/api/v1/panels/%d/members/%d/check", member.ID), fmt.Sprintf(`{"expert_id":%d}`, substitute.ID), 200), &check)
	if !check.Allowed {
		t.Fatalf("replacement check %+v, want allowed", check)
	}
	h.decode(want("staffa", "POST", pp("/api/v1/panels/%d/members/%d/replace", member.ID), fmt.Sprintf(`{"expert_id":%d,"reason":"时间冲突"}`, substitute.ID), 200), &panel)
	chair := slices.IndexFunc(panel.Members, func(m *evaluation.PanelMember) bool {
		return m.Seat == evaluation.SeatTechnical && m.Status == evaluation.MemberProposed
	})
	want("staffa", "POST", pp("/api/v1/panels/%d/members/%d/chair", panel.Members[chair].ID), "", 204)
	h.decode(want("staffa", "POST", pp("/api/v1/panels/%d/invite"), "", 200), &panel)
	var decliner *evaluation.PanelMember
	for _, m := range panel.Members {
		if m.Status == evaluation.MemberInvited && m.Expert != nil && accounts[m.Expert.Name] != "" {
			decliner = m
		}
	}
	if decliner == nil {
		t.Fatal("no invited pool expert")
	}
	as := accounts[decliner.Expert.Name]
	var invitations list[evaluation.Invitation]
	if h.decode(want(as, "GET", "/api/v1/invitations", "", 200), &invitations); invitations.Total != 1 {
		t.Errorf("%d invitations, want 1", invitations.Total)
	}
	var answer evaluation.Answer
	if h.decode(want(as, "POST", idPath("/api/v1/invitations/%d/decline", decliner.ID), `{"reason":"同期在外地出差"}`, 200), &answer); answer.Status != evaluation.MemberDeclined {
		t.Errorf("answer %+v, want declined", answer)
	}

	// Matching a campaign's projects to panels.
	_, body := h.api("staffa", "POST", "/api/v1/campaigns", `{"name":"2026 年度第二批综合绩效评价","year":2026}`)
	var second evaluation.Campaign
	h.decode(body, &second)
	want("staffa", "POST", idPath("/api/v1/campaigns/%d/projects", second.ID), fmt.Sprintf(projectJSON, "2024-ZD-003"), 201)
	want("staffa", "POST", idPath("/api/v1/campaigns/%d/transitions", second.ID), `{"to":"forming"}`, 200)
	var matched list[evaluation.Panel]
	if h.decode(want("staffa", "POST", idPath("/api/v1/campaigns/%d/panels/match", second.ID), `{}`, 201), &matched); matched.Total != 1 {
		t.Errorf("matching made %d panels, want 1", matched.Total)
	}

	// Tokens: one issued and revoked by id, one revoking itself.
	var issued tokenResponse
	h.decode(want("", "POST", "/api/v1/auth/token", fmt.Sprintf(`{"username":"staffa","password":%q,"name":"tour"}`, testPassword), 201), &issued)
	want("staffa", "DELETE", idPath("/api/v1/tokens/%d", issued.Info.ID), "", 204)
	h.decode(want("", "POST", "/api/v1/auth/token", fmt.Sprintf(`{"username":"staffb","password":%q}`, testPassword), 201), &issued)
	h.tokens["tour"] = issued.Token
	want("tour", "DELETE", "/api/v1/auth/token", "", 204)
	want("tour", "GET", "/api/v1/me", "", 401)

	// Rubric versions: a draft deleted, a published version retired.
	want("admin", "POST", "/api/v1/rubrics/FINANCE/versions", `{"from":1}`, 201)
	want("admin", "DELETE", "/api/v1/rubrics/FINANCE/2", "", 204)
	want("admin", "POST", "/api/v1/rubrics/FINANCE/versions", `{"from":1}`, 201)
	want("admin", "POST", "/api/v1/rubrics/FINANCE/2/publish", "", 200)
	var retired evaluation.Rubric
	if h.decode(want("admin", "POST", "/api/v1/rubrics/FINANCE/1/retire", "", 200), &retired); retired.Status != evaluation.RubricRetired {
		t.Errorf("rubric status %q after retire, want retired", retired.Status)
	}
}

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

// withPool adds experts able to staff applied-technology panels on subject
// 560 (civil engineering), one of them at the sample project's lead
// institution, and an account for each; it returns the accounts' usernames
// by expert name.
func (h *harness) withPool() map[string]string {
	h.t.Helper()
	ctx := context.Background()
	accounts := map[string]string{}
	add := func(name string, typ evaluation.ExpertType, inst string) {
		ex := &evaluation.Expert{Name: name, Type: typ, Institution: inst, TitleLevel: evaluation.TitleSenior,
			Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"560.20"}}
		if err := h.svc.Pool.CreateExpert(ctx, evaluation.System, ex); err != nil {
			h.t.Fatal(err)
		}
		username := fmt.Sprintf("pool%02d", ex.ID)
		u, err := h.svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: username, Name: name,
			Role: evaluation.RoleExpert, ExpertID: ex.ID, Password: testPassword})
		if err != nil {
			h.t.Fatal(err)
		}
		secret, _, err := h.svc.Accounts.CreateToken(ctx, u.Actor(), "test", evaluation.LoginMeta{})
		if err != nil {
			h.t.Fatal(err)
		}
		h.tokens[username] = secret
		accounts[name] = username
	}
	for i := 1; i <= 6; i++ {
		add(fmt.Sprintf("领域专家%d", i), evaluation.DomainExpert, fmt.Sprintf("第%d研究院", i))
	}
	add("投资人甲", evaluation.Investor, "甲创投")
	add("企业家乙", evaluation.Entrepreneur, "乙科技有限公司")
	add("财务丙", evaluation.FinanceExpert, "丙会计师事务所")
	add("财务丁", evaluation.FinanceExpert, "丁会计师事务所")
	add("同济专家", evaluation.DomainExpert, "同济大学")
	return accounts
}

var memberRow = regexp.MustCompile(`id="member-(\d+)"`)

// TestPanelJourneyHTTP: staff draw a panel, see the conflicted expert
// excluded with the reason, check a replacement with the conflicted expert
// and see it refused, invite; an expert declines and the alternate is
// invited.
func TestPanelJourneyHTTP(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	accounts := h.withPool()
	cid, pid := h.campaignWithProject()
	if resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/transitions", cid), `{"to":"forming"}`); resp.StatusCode != 200 {
		t.Fatalf("forming: %d %s", resp.StatusCode, body)
	}
	staff := h.browser()
	staff.login("staffa")
	_, page := staff.get(fmt.Sprintf("/campaigns/%d", cid))
	if !strings.Contains(page, fmt.Sprintf(`id="draw-%d"`, pid)) {
		t.Fatalf("campaign page lacks the draw button")
	}
	resp, _ := staff.post(fmt.Sprintf("/campaigns/%d/draw", cid), formOf("project", fmt.Sprint(pid)))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("draw: %d", resp.StatusCode)
	}
	panelURL := resp.Header.Get("Location")
	_, page = staff.get(panelURL)
	excluded := page[strings.Index(page, `id="excluded"`):]
	if !strings.Contains(excluded, "同济专家") || !strings.Contains(excluded, "同单位") {
		t.Errorf("the conflicted expert is not shown as excluded with the reason")
	}
	rows := memberRow.FindAllStringSubmatch(page, -1)
	if len(rows) != 6 {
		t.Fatalf("%d member rows, want 6", len(rows))
	}
	// Check a replacement by the conflicted expert: refused, with the reason.
	var conflicted int64
	for _, x := range mustExperts(t, h) {
		if x.Name == "同济专家" {
			conflicted = x.ID
		}
	}
	member := rows[1][1]
	resp, page = staff.post(fmt.Sprintf("%s/members/%s/replace", panelURL, member), formOf("expert_id", fmt.Sprint(conflicted), "op", "check"))
	if resp.StatusCode != 200 || !strings.Contains(page, `id="check-result"`) || !strings.Contains(page, "不能替换") || !strings.Contains(page, "同单位") {
		t.Errorf("check of a conflicted replacement: %d", resp.StatusCode)
	}
	resp, _ = staff.post(fmt.Sprintf("%s/members/%s/replace", panelURL, member), formOf("expert_id", fmt.Sprint(conflicted), "op", "replace"))
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("replace with a conflicted expert: %d, want 409", resp.StatusCode)
	}
	resp, _ = staff.post(panelURL+"/invite", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", resp.StatusCode)
	}

	// An invited domain expert declines through the dashboard.
	var panel evaluation.Panel
	getJSON(t, h, "staffa", "/api/v1"+panelURL, &panel)
	var decliner *evaluation.PanelMember
	for _, m := range panel.Members {
		if m.Status == evaluation.MemberInvited && m.Expert.Type == evaluation.DomainExpert && !m.Chair {
			decliner = m
		}
	}
	alternates := panel.Alternates(evaluation.SeatTechnical)
	expert := h.browser()
	expert.login(accounts[decliner.Expert.Name])
	_, page = expert.get("/")
	if !strings.Contains(page, fmt.Sprintf(`id="invitation-%d"`, decliner.ID)) {
		t.Fatalf("the expert's dashboard lacks the invitation")
	}
	resp, page = expert.post(fmt.Sprintf("/invitations/%d/decline", decliner.ID), formOf("reason", ""))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "e-reason") {
		t.Errorf("decline without a reason: %d", resp.StatusCode)
	}
	expert.get("/")
	resp, _ = expert.post(fmt.Sprintf("/invitations/%d/decline", decliner.ID), formOf("reason", "同期在外地出差"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("decline: %d", resp.StatusCode)
	}
	getJSON(t, h, "staffa", "/api/v1"+panelURL, &panel)
	for _, m := range panel.Members {
		if m.ExpertID == alternates[0].ExpertID && m.Status != evaluation.MemberInvited {
			t.Errorf("the first alternate is %s, want invited", m.Status)
		}
		if m.ID == decliner.ID && (m.Status != evaluation.MemberDeclined || m.DeclineReason != "同期在外地出差") {
			t.Errorf("the decliner is %s (%q)", m.Status, m.DeclineReason)
		}
	}
	// Another expert cannot answer this invitation.
	if resp, _ := h.api(accounts["财务丁"], "POST", fmt.Sprintf("/api/v1/invitations/%d/accept", alternates[0].ID), ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's invitation: %d, want 404", resp.StatusCode)
	}
	// The draw re-runs from its record.
	if n, problems, err := evaluation.VerifyDraws(context.Background(), h.db, cid); n != 1 || len(problems) != 0 || err != nil {
		t.Errorf("verify: %d %v %v", n, problems, err)
	}
}

// TestMatchedPanelExclusionsHTTP: a panel formed by the campaign-wide
// match shows the experts kept off it and why, in the API and on its page,
// conflicts first, as a drawn panel does, and its page shows the match
// record.
func TestMatchedPanelExclusionsHTTP(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	h.withPool()
	cid, pid := h.campaignWithProject()
	if resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/transitions", cid), `{"to":"forming"}`); resp.StatusCode != 200 {
		t.Fatalf("forming: %d %s", resp.StatusCode, body)
	}
	resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/panels/match", cid), "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("match: %d %s", resp.StatusCode, body)
	}
	var matched struct {
		Items []evaluation.Panel `json:"items"`
	}
	h.decode(body, &matched)
	if len(matched.Items) != 1 || matched.Items[0].ProjectIDs[0] != pid {
		t.Fatalf("match formed %+v, want one panel for project %d", matched.Items, pid)
	}
	panelID := matched.Items[0].ID
	var conflicted int64
	for _, x := range mustExperts(t, h) {
		if x.Name == "同济专家" {
			conflicted = x.ID
		}
	}
	var excluded struct {
		Items []evaluation.Exclusion `json:"items"`
	}
	getJSON(t, h, "staffa", fmt.Sprintf("/api/v1/panels/%d/exclusions", panelID), &excluded)
	if len(excluded.Items) == 0 || excluded.Items[0].Expert.ID != conflicted || excluded.Items[0].Expert.Name != "同济专家" ||
		len(excluded.Items[0].Reasons) != 1 || excluded.Items[0].Reasons[0].Code != "institution" {
		t.Errorf("exclusions of the matched panel = %+v, want 同济专家 first, for the institution", excluded.Items)
	}
	var draws struct {
		Items []evaluation.DrawRecord `json:"items"`
	}
	getJSON(t, h, "commission", fmt.Sprintf("/api/v1/panels/%d/draws", panelID), &draws)
	if len(draws.Items) != 1 || draws.Items[0].Kind != "match" {
		t.Errorf("records of the matched panel: %d, want the match record", len(draws.Items))
	}
	staff := h.browser()
	staff.login("staffa")
	_, page := staff.get(fmt.Sprintf("/panels/%d", panelID))
	table := section(page, `id="excluded-table"`, "</table>")
	if !strings.Contains(table, "同济专家") || !strings.Contains(table, "同单位") {
		t.Errorf("the matched panel's page does not list 同济专家 as excluded for the institution: %q", table)
	}
	if record := section(page, `id="draw-record"`, "</div>"); !strings.Contains(record, "优化匹配") {
		t.Errorf("the matched panel's page does not show the match record: %q", record)
	}
}

func mustExperts(t *testing.T, h *harness) []*evaluation.ExpertSummary {
	t.Helper()
	list, _, err := h.svc.Pool.Experts(context.Background(), evaluation.System, evaluation.ExpertFilter{Page: evaluation.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func getJSON(t *testing.T, h *harness, as, url string, v any) {
	t.Helper()
	resp, body := h.api(as, "GET", url, "")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := jsonUnmarshal(body, v); err != nil {
		t.Fatal(err)
	}
}

// TestPanelTenancy: agency B's staff get 404 for agency A's panels, in the
// UI and the API; the commission reads them; experts cannot.
func TestPanelTenancy(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	h.withPool()
	cid, pid := h.campaignWithProject()
	if resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/transitions", cid), `{"to":"forming"}`); resp.StatusCode != 200 {
		t.Fatalf("forming: %d %s", resp.StatusCode, body)
	}
	resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid), fmt.Sprintf(`{"projects":[%d]}`, pid))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("draw: %d %s", resp.StatusCode, body)
	}
	var panel evaluation.Panel
	if err := jsonUnmarshal(body, &panel); err != nil || panel.ID == 0 || len(panel.Members) == 0 {
		t.Fatalf("draw answered %s (%v), want a panel with members", body, err)
	}
	member := panel.Members[0].ID
	h.warmTokens()
	for _, tc := range []scenario{
		{"staff B reads the panel", "staffb", "GET", fmt.Sprintf("/api/v1/panels/%d", panel.ID), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B lists the campaign's panels", "staffb", "GET", fmt.Sprintf("/api/v1/campaigns/%d/panels", cid), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B reads the exclusions", "staffb", "GET", fmt.Sprintf("/api/v1/panels/%d/exclusions", panel.ID), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B reads the draws", "staffb", "GET", fmt.Sprintf("/api/v1/panels/%d/draws", panel.ID), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B invites", "staffb", "POST", fmt.Sprintf("/api/v1/panels/%d/invite", panel.ID), "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff B replaces a member", "staffb", "POST", fmt.Sprintf("/api/v1/panels/%d/members/%d/replace", panel.ID, member), `{"expert_id":1}`, 404, evaluation.NotFound, nil, nil, nil},
		{"staff B draws", "staffb", "POST", fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid), fmt.Sprintf(`{"projects":[%d]}`, pid), 404, evaluation.NotFound, nil, nil, nil},
		{"commission reads the panel", "commission", "GET", fmt.Sprintf("/api/v1/panels/%d", panel.ID), "", 200, "", nil, []string{fmt.Sprintf(`"id":%d`, panel.ID)}, nil},
		{"commission invites", "commission", "POST", fmt.Sprintf("/api/v1/panels/%d/invite", panel.ID), "", 403, evaluation.Forbidden, nil, nil, nil},
		{"expert reads the panel", "expert", "GET", fmt.Sprintf("/api/v1/panels/%d", panel.ID), "", 403, evaluation.Forbidden, nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, tc)
			if tc.status >= 400 && h.dump() != before {
				t.Errorf("a refused request changed the database")
			}
		})
	}
	other := h.browser()
	other.login("staffb")
	if resp, _ := other.get(fmt.Sprintf("/panels/%d", panel.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff B opens the panel page: %d, want 404", resp.StatusCode)
	}
}

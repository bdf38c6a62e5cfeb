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
	accounts := map[string]string{}
	add := func(name string, typ evaluation.ExpertType, inst string) {
		accounts[name] = h.addPoolExpert(name, typ, inst).username
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

// poolExpert is a pool expert added by a test, with the username of their
// account (whose API token the harness holds).
type poolExpert struct {
	*evaluation.Expert
	username string
}

// addPoolExpert adds a drawable expert on subject 560.20 to the pool, with
// an account and an API token.
func (h *harness) addPoolExpert(name string, typ evaluation.ExpertType, inst string) poolExpert {
	h.t.Helper()
	ctx := context.Background()
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
	return poolExpert{ex, username}
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
	cid, pid := h.formingCampaign()
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
	cid, pid := h.formingCampaign()
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

// vacantPanel draws and invites a panel for the sample project from a pool
// with exactly two domain experts, and has the chair (one of them) decline:
// no alternate (all investors) keeps the quota of two domain experts, so a
// technical seat stays vacant. 黄同济 works at the project's lead
// institution (and comes after the others by name); 领域三, a domain
// expert who can fill the seat, joins the pool after the draw. It returns
// the panel and the pool by name.
func (h *harness) vacantPanel() (*evaluation.Panel, map[string]poolExpert) {
	h.t.Helper()
	h.withRubrics()
	pool := map[string]poolExpert{}
	for _, x := range []struct {
		name, inst string
		typ        evaluation.ExpertType
	}{{"领域一", "第一研究院", evaluation.DomainExpert}, {"领域二", "第二研究院", evaluation.DomainExpert},
		{"投资一", "一号创投", evaluation.Investor}, {"投资二", "二号创投", evaluation.Investor}, {"投资三", "三号创投", evaluation.Investor},
		{"投资四", "四号创投", evaluation.Investor}, {"投资五", "五号创投", evaluation.Investor},
		{"财务一", "一号会计师事务所", evaluation.FinanceExpert}, {"财务二", "二号会计师事务所", evaluation.FinanceExpert},
		{"黄同济", "同济大学", evaluation.DomainExpert}} {
		pool[x.name] = h.addPoolExpert(x.name, x.typ, x.inst)
	}
	cid, pid := h.formingCampaign()
	var panel evaluation.Panel
	h.decode(h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid), fmt.Sprintf(`{"projects":[%d]}`, pid), http.StatusCreated), &panel)
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/panels/%d/invite", panel.ID), "", http.StatusOK)
	chair := panel.Seated(evaluation.SeatTechnical)[0]
	if !chair.Chair || chair.Expert.Type != evaluation.DomainExpert {
		h.t.Fatalf("the first technical member %s is not a domain expert in the chair", chair.Expert.Name)
	}
	h.mustAPI(pool[chair.Expert.Name].username, "POST", fmt.Sprintf("/api/v1/invitations/%d/decline", chair.ID), `{"reason":"身体原因"}`, http.StatusOK)
	pool["领域三"] = h.addPoolExpert("领域三", evaluation.DomainExpert, "第三研究院")
	p, err := h.svc.Panels.Panel(context.Background(), h.users["staffa"].Actor(), panel.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	if vac, err := h.svc.Panels.Vacancies(context.Background(), h.users["staffa"].Actor(), p); err != nil || vac[evaluation.SeatTechnical] != 1 {
		h.t.Fatalf("vacancies = %v, %v; want one technical seat vacant", vac, err)
	}
	return p, pool
}

// formingCampaign makes a campaign of agency A with one project
// (campaignWithProject) and moves it to panel forming.
func (h *harness) formingCampaign() (campaignID, projectID int64) {
	h.t.Helper()
	cid, pid := h.campaignWithProject()
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/transitions", cid), `{"to":"forming"}`, http.StatusOK)
	return cid, pid
}

// mustAPI sends an API request and fails the test unless it answers the
// status; it returns the body.
func (h *harness) mustAPI(as, method, target, body string, status int) string {
	h.t.Helper()
	resp, got := h.api(as, method, target, body)
	if resp.StatusCode != status {
		h.t.Fatalf("%s %s as %s: %d %s, want %d", method, target, as, resp.StatusCode, got, status)
	}
	return got
}

// candidateGroups reads a change form's candidates: expert id → the group
// they are listed in (pass, reason, refused), with whether their radio
// button is disabled.
var candidateRow = regexp.MustCompile(`(?s)<tbody class="candidates-(\w+)"|<tr id="candidate-(\d+)">\s*<td[^>]*><input type="radio" name="expert_id" value="\d+" id="pick-\d+"( checked)?( disabled)?>`)

func candidateGroups(page string) map[int64]string {
	out := map[int64]string{}
	group := ""
	for _, m := range candidateRow.FindAllStringSubmatch(section(page, `id="candidates"`, "</table>"), -1) {
		if m[1] != "" {
			group = m[1]
			continue
		}
		var id int64
		fmt.Sscan(m[2], &id)
		out[id] = group
		if (m[4] != "") != (group == "refused") {
			out[id] += " (disabled " + fmt.Sprint(m[4] != "") + ")"
		}
	}
	return out
}

// TestSeatChangeFormsHTTP: the panel page offers a form to fill a vacant
// seat by hand and one to replace each member; each lists the experts who
// pass the checks first and then the others, beside the reason, with the
// conflicted expert, the member being replaced and the other members never
// selectable. A refused fill changes nothing; an allowed one fills the
// seat.
func TestSeatChangeFormsHTTP(t *testing.T) {
	h := newHarness(t)
	panel, pool := h.vacantPanel()
	staff := h.browser()
	staff.login("staffa")
	panelURL := fmt.Sprintf("/panels/%d", panel.ID)
	_, page := staff.get(panelURL)
	if !strings.Contains(section(page, `id="vacancy-technical"`, "</div>"), fmt.Sprintf(`href="%s?fill=technical#change"`, panelURL)) {
		t.Fatalf("the vacancy offers no link to fill it")
	}
	wantGroups := func(t *testing.T, page string, want map[int64]string) {
		t.Helper()
		got := candidateGroups(page)
		for id, g := range want {
			if got[id] != g {
				t.Errorf("expert %d is listed as %q, want %q", id, got[id], g)
			}
		}
		if len(got) < len(want) {
			t.Errorf("%d candidates listed, want at least %d", len(got), len(want))
		}
	}
	// The fill form: members and alternates are on the panel, 黄同济 in
	// conflict, the chair who declined and 领域三 pass; every investor
	// would leave the domain quota unmet.
	onPanel := map[int64]bool{}
	for _, m := range panel.Members {
		if m.Status.Seated() || m.Status == evaluation.MemberAlternate {
			onPanel[m.ExpertID] = true
		}
	}
	want := map[int64]string{}
	for name, x := range pool {
		switch {
		case x.Type == evaluation.FinanceExpert:
		case name == "黄同济" || onPanel[x.ID] || x.Type == evaluation.Investor:
			want[x.ID] = "refused"
		default:
			want[x.ID] = "pass"
		}
	}
	resp, page := staff.get(panelURL + "?fill=technical")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`action="%s/vacancies/technical/fill#change"`, panelURL)) {
		t.Fatalf("fill form: %d, or no form that fills the technical seat", resp.StatusCode)
	}
	wantGroups(t, page, want)
	row := section(page, fmt.Sprintf(`id="candidate-%d"`, pool["黄同济"].ID), "</tr>")
	if !strings.Contains(row, "同单位") || !strings.Contains(row, "同济大学") {
		t.Errorf("黄同济's row does not say why: %q", row)
	}
	if first := candidateRow.FindStringSubmatch(section(page, `id="candidates-refused"`, "</tbody>")); first == nil || first[2] != fmt.Sprint(pool["黄同济"].ID) {
		t.Errorf("the conflict of 黄同济 is not the first of the refused: %q", first)
	}
	for id := range onPanel {
		if row := section(page, fmt.Sprintf(`id="candidate-%d"`, id), "</tr>"); row != "" && !strings.Contains(row, "已在专家组") {
			t.Errorf("member %d's row does not say they are on the panel: %q", id, row)
		}
	}
	if !strings.Contains(page, `id="candidate-count"`) || !strings.Contains(page, "通过检查") {
		t.Errorf("the fill form does not count its candidates")
	}

	// The replace form of an investor: the investor and the other members
	// are on the panel; another investor keeps the quotas.
	var investor *evaluation.PanelMember
	for _, m := range panel.Seated(evaluation.SeatTechnical) {
		if m.Expert.Type == evaluation.Investor {
			investor = m
		}
	}
	_, page = staff.get(fmt.Sprintf("%s?replace=%d", panelURL, investor.ID))
	if !strings.Contains(page, fmt.Sprintf(`action="%s/members/%d/replace#change"`, panelURL, investor.ID)) {
		t.Fatalf("no form that replaces %s", investor.Expert.Name)
	}
	groups := candidateGroups(page)
	if groups[investor.ExpertID] != "refused" || groups[pool["黄同济"].ID] != "refused" || groups[pool["领域三"].ID] != "pass" {
		t.Errorf("replace form of %s: the member %q, 黄同济 %q, 领域三 %q; want refused, refused, pass",
			investor.Expert.Name, groups[investor.ExpertID], groups[pool["黄同济"].ID], groups[pool["领域三"].ID])
	}
	for id := range onPanel {
		if g, ok := groups[id]; ok && g != "refused" {
			t.Errorf("member %d is offered as %q for %s's seat", id, g, investor.Expert.Name)
		}
	}
	if resp, _ := staff.get(panelURL + "?replace=999999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("replace form of no member: %d, want 404", resp.StatusCode)
	}
	if resp, page := staff.get(panelURL + "?fill=finance"); resp.StatusCode != http.StatusConflict || strings.Contains(page, `id="change-form"`) {
		t.Errorf("fill form of a full group: %d, want 409 and no form", resp.StatusCode)
	}

	// Refused fills change nothing.
	fill := panelURL + "/vacancies/technical/fill"
	for _, tc := range []struct {
		name   string
		form   []string
		status int
		want   string
	}{
		{"in conflict", []string{"expert_id", fmt.Sprint(pool["黄同济"].ID), "op", "fill", "reason", "急需"}, http.StatusConflict, "不能补入"},
		{"unknown", []string{"expert_id", "999999", "op", "fill"}, http.StatusBadRequest, `id="e-expert_id"`},
		{"an alternate", []string{"expert_id", fmt.Sprint(panel.Alternates(evaluation.SeatTechnical)[0].ExpertID), "op", "fill"}, http.StatusBadRequest, `id="e-expert_id"`},
		{"none chosen", []string{"op", "fill"}, http.StatusBadRequest, `id="e-expert_id"`},
	} {
		t.Run("fill "+tc.name, func(t *testing.T) {
			before := h.dump()
			resp, page := staff.post(fill, formOf(tc.form...))
			if resp.StatusCode != tc.status || !strings.Contains(section(page, `id="change"`, `id="excluded"`), tc.want) {
				t.Errorf("status %d, want %d with %q in the form", resp.StatusCode, tc.status, tc.want)
			}
			if h.dump() != before {
				t.Errorf("a refused fill changed the database")
			}
		})
	}
	resp, page = staff.post(fill, formOf("expert_id", fmt.Sprint(pool["领域三"].ID), "op", "check"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(section(page, `id="check-result"`, "</div>"), "检查通过，可以补入") {
		t.Errorf("check of 领域三 for the vacant seat: %d", resp.StatusCode)
	}
	if resp, _ := staff.post(fill, formOf("expert_id", fmt.Sprint(pool["领域三"].ID), "op", "fill")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill with 领域三: %d, want 303", resp.StatusCode)
	}
	var after evaluation.Panel
	getJSON(t, h, "staffa", "/api/v1"+panelURL, &after)
	if m, ok := after.MemberOf(pool["领域三"].ID); !ok || m.Status != evaluation.MemberInvited || m.Seat != evaluation.SeatTechnical || !m.Chair {
		t.Errorf("领域三 after the fill: %+v, want invited to the technical chair", m)
	}
	if _, page := staff.get(panelURL); strings.Contains(page, `id="vacancy-technical"`) || !strings.Contains(page, "空缺席位已补足") {
		t.Errorf("the panel page still shows the vacancy, or does not say the seat was filled")
	}
	if got := h.auditActions(); got[len(got)-1] != "panel.fill" {
		t.Errorf("last audit entry %q, want panel.fill", got[len(got)-1])
	}
}

// TestSeatChangeAPI: the batch check and the fill of a vacant seat through
// the API; bad input answers 4xx with a field message and changes nothing.
func TestSeatChangeAPI(t *testing.T) {
	h := newHarness(t)
	panel, pool := h.vacantPanel()
	alternate := panel.Alternates(evaluation.SeatTechnical)[0].ExpertID
	ids := fmt.Sprintf("[%d,%d,%d]", pool["领域三"].ID, pool["黄同济"].ID, alternate)
	check := fmt.Sprintf("/api/v1/panels/%d/candidates/check", panel.ID)
	body := h.mustAPI("staffa", "POST", check, `{"seat":"technical","expert_ids":`+ids+`}`, http.StatusOK)
	var checks struct {
		Items []evaluation.CandidateCheck `json:"items"`
	}
	h.decode(body, &checks)
	if len(checks.Items) != 3 || !checks.Items[0].Allowed || checks.Items[1].Allowed || len(checks.Items[1].Conflicts) == 0 ||
		checks.Items[2].Allowed || checks.Items[2].Ineligible[0].Code != evaluation.ReasonOnPanel {
		t.Errorf("checks = %s; want 领域三 allowed, 黄同济 in conflict, the alternate on the panel", body)
	}
	fill := fmt.Sprintf("/api/v1/panels/%d/vacancies/%%s/fill", panel.ID)
	h.warmTokens()
	for _, tc := range []scenario{
		{"check: no experts", "staffa", "POST", check, `{"seat":"technical","expert_ids":[]}`, 400, evaluation.Invalid, []string{"expert_ids"}, nil, nil},
		{"check: an unknown expert", "staffa", "POST", check, `{"seat":"technical","expert_ids":[999999]}`, 400, evaluation.Invalid, []string{"expert_ids"}, nil, nil},
		{"check: a member and a group", "staffa", "POST", check, fmt.Sprintf(`{"member_id":%d,"seat":"technical","expert_ids":%s}`, panel.Members[0].ID, ids), 400, evaluation.Invalid, []string{"seat"}, nil, nil},
		{"check: a full group", "staffa", "POST", check, `{"seat":"finance","expert_ids":` + ids + `}`, 409, evaluation.Conflict, []string{"seat"}, nil, nil},
		{"check: staff B", "staffb", "POST", check, `{"seat":"technical","expert_ids":` + ids + `}`, 404, evaluation.NotFound, nil, nil, nil},
		{"check: the commission", "commission", "POST", check, `{"seat":"technical","expert_ids":` + ids + `}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"fill: an unknown expert", "staffa", "POST", fmt.Sprintf(fill, "technical"), `{"expert_id":999999}`, 400, evaluation.Invalid, []string{"expert_id"}, nil, nil},
		{"fill: in conflict", "staffa", "POST", fmt.Sprintf(fill, "technical"), fmt.Sprintf(`{"expert_id":%d,"reason":"急需"}`, pool["黄同济"].ID), 409, evaluation.Conflict, []string{"expert_id"}, nil, nil},
		{"fill: on the panel", "staffa", "POST", fmt.Sprintf(fill, "technical"), fmt.Sprintf(`{"expert_id":%d}`, alternate), 400, evaluation.Invalid, []string{"expert_id"}, nil, nil},
		{"fill: a full group", "staffa", "POST", fmt.Sprintf(fill, "finance"), fmt.Sprintf(`{"expert_id":%d}`, pool["财务二"].ID), 409, evaluation.Conflict, []string{"seat"}, nil, nil},
		{"fill: no such group", "staffa", "POST", fmt.Sprintf(fill, "chair"), fmt.Sprintf(`{"expert_id":%d}`, pool["领域三"].ID), 400, evaluation.Invalid, []string{"seat"}, nil, nil},
		{"fill: staff B", "staffb", "POST", fmt.Sprintf(fill, "technical"), fmt.Sprintf(`{"expert_id":%d}`, pool["领域三"].ID), 404, evaluation.NotFound, nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, tc)
			if h.dump() != before {
				t.Errorf("a refused request changed the database")
			}
		})
	}
	body = h.mustAPI("staffa", "POST", fmt.Sprintf(fill, "technical"), fmt.Sprintf(`{"expert_id":%d}`, pool["领域三"].ID), http.StatusOK)
	var after evaluation.Panel
	h.decode(body, &after)
	if m, ok := after.MemberOf(pool["领域三"].ID); !ok || m.Status != evaluation.MemberInvited || m.Source != "manual" {
		t.Errorf("领域三 after the fill: %+v, want invited by hand", m)
	}
	h.run(t, scenario{"fill: no seat left", "staffa", "POST", fmt.Sprintf(fill, "technical"), fmt.Sprintf(`{"expert_id":%d}`, pool["领域一"].ID),
		409, evaluation.Conflict, []string{"seat"}, nil, nil})
}

func mustExperts(t *testing.T, h *harness) []*evaluation.ExpertSummary {
	t.Helper()
	list, _, err := h.svc.Pool.Experts(context.Background(), evaluation.System, evaluation.ExpertFilter{Page: evaluation.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func getJSON(t testing.TB, h *harness, as, url string, v any) {
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
	cid, pid := h.formingCampaign()
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

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The catalogue's stored text: markup, SQL and template syntax sent as the
// text of every record that keeps text, through a campaign's whole life.
// These cases change the database on purpose: each asserts that the API
// reads the text back exactly as sent (stored as data, never run as SQL
// or expanded as a template), and that every page that shows it shows it
// as text — the characters as typed, no element or handler made of them.

// storedPayloads are the hostile texts, each stored in every field.
var storedPayloads = []struct{ name, text string }{
	{"a script tag", `<script>alert(1)</script>`},
	{"an attribute break-out", `"><img src=x onerror=alert(1)>`},
	{"SQL that widens a condition", `' OR 1=1 --`},
	{"SQL that drops a table", `"; DROP TABLE sheets; --`},
	{"a Go template action", `{{.}}`},
	{"a Go template call", `{{template "x"}}`},
	{"a JavaScript template expression", `${7*7}`},
}

// storedField is a field that keeps text: how the API reads it back, and
// the pages (as a user) that show it.
type storedField struct {
	name  string
	as    string // who reads it back through the API
	api   string
	pages []storedPage
}

type storedPage struct{ as, url string }

// jsonText quotes s as a JSON string.
func jsonText(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// jsonHasString reports whether a JSON document holds the string s as one
// of its values, exactly, looking into strings that hold JSON objects.
func jsonHasString(doc, s string) bool {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case string:
			// The audit log's details are a JSON object in a string.
			return v == s || strings.HasPrefix(v, "{") && jsonHasString(v, s)
		case []any:
			for _, x := range v {
				if walk(x) {
					return true
				}
			}
		case map[string]any:
			for _, x := range v {
				if walk(x) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// storedTextWorld takes a campaign of agency A through its life with text
// (field) as the text of every field, through the API: set-up with its
// project and method records, the panel, the sheets (one reopened, one
// member's deadline moved), the panel's opinion with a dissent, a veto
// confirmed, the conclusion, the commission's return and the answer,
// the approval, an appeal rejected; besides, a user, an agency and an
// expert's conflict and collaboration. (An institution alias is kept in
// the form names are matched in, without punctuation: not as sent.) It
// returns the fields with where they are read back, and what the experts
// read while the campaign was theirs (their pages close after it), by
// "user url".
func (h *harness) storedTextWorld(text func(field string) string) ([]storedField, map[string]string) {
	h.t.Helper()
	t := h.t
	h.withRubrics()
	accounts := h.withPool()
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringDue = h.now.In(evaluation.Beijing).AddDate(0, 0, 14).Format(time.DateOnly)
	sj, err := json.Marshal(settings)
	if err != nil {
		t.Fatal(err)
	}
	var camp evaluation.Campaign
	h.decode(h.mustAPI("staffa", "POST", "/api/v1/campaigns", fmt.Sprintf(`{"name":%s,"programme":%s,"year":2026,"settings":%s}`,
		jsonText(text("campaign name")), jsonText(text("programme")), sj), http.StatusCreated), &camp)
	project := strings.NewReplacer(
		`"title":"城市地下管网智能巡检机器人研发"`, `"title":`+jsonText(text("project title")),
		`"lead_institution":"同济大学"`, `"lead_institution":`+jsonText(text("lead institution")),
		`"pi":{"name":"王建国"}`, `"pi":{"name":`+jsonText(text("project lead"))+`}`,
		`{"name":"李四","institution":"同济大学"}`, `{"name":`+jsonText(text("team member"))+`,"institution":"同济大学"}`,
		`"reason":"学术观点分歧"`, `"reason":`+jsonText(text("avoidance reason")),
		`{"name":"连续巡检里程",`, `{"name":`+jsonText(text("indicator"))+`,`,
		`"budget"`, `"methods":["inspection","testing","demonstration"],"budget"`,
	).Replace(fmt.Sprintf(projectJSON, "2024-ZD-777"))
	var p evaluation.Project
	h.decode(h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/projects", camp.ID), project, http.StatusCreated), &p)
	pp := func(f string) string { return fmt.Sprintf(f, p.ID) }
	cc := func(f string) string { return fmt.Sprintf(f, camp.ID) }
	today := h.now.In(evaluation.Beijing).Format(time.DateOnly)
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/methods/inspections"), fmt.Sprintf(`{"date":%q,"place":%s,"participants":[%s],"findings":%s}`,
		today, jsonText(text("inspection place")), jsonText(text("inspection participant")), jsonText(text("inspection findings"))), http.StatusCreated)
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/methods/tests"), fmt.Sprintf(`{"indicator_id":%d,"measured":{"value":6},"passed":true,"tester":%s,"date":%q,"note":%s}`,
		p.Indicators[0].ID, jsonText(text("tester")), today, jsonText(text("test note"))), http.StatusCreated)
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/methods/demonstrations"), fmt.Sprintf(`{"date":%q,"items":[{"name":%s,"shown":true}],"note":%s}`,
		today, jsonText(text("demonstration item")), jsonText(text("demonstration note"))), http.StatusCreated)

	// The panel: drawn, invited, every invited member accepting; one
	// member's expert renamed.
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"forming","reason":`+jsonText(text("transition reason"))+`}`, http.StatusOK)
	var panel evaluation.Panel
	h.decode(h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/panels/draw"), fmt.Sprintf(`{"projects":[%d]}`, p.ID), http.StatusCreated), &panel)
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/panels/%d/invite", panel.ID), "", http.StatusOK)
	getJSON(t, h, "staffa", fmt.Sprintf("/api/v1/panels/%d", panel.ID), &panel)
	var chair, member, finance string
	var members []string
	var memberSeat int64
	for _, m := range panel.Members {
		if m.Status != evaluation.MemberInvited {
			continue
		}
		u := accounts[m.Expert.Name]
		h.mustAPI(u, "POST", fmt.Sprintf("/api/v1/invitations/%d/accept", m.ID), "", http.StatusOK)
		switch {
		case m.Seat == evaluation.SeatFinance:
			finance = u
		case m.Chair:
			chair = u
		case member == "":
			member, memberSeat = u, m.ID
		default:
			members = append(members, u)
		}
	}
	renamed := h.userOf(member).ExpertID
	h.mustAPI("commission", "PATCH", fmt.Sprintf("/api/v1/experts/%d", renamed),
		fmt.Sprintf(`{"name":%s,"institution":%s}`, jsonText(text("expert name")), jsonText(text("expert institution"))), http.StatusOK)
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"scoring"}`, http.StatusOK)

	// The sheets: every member's, with comments, an opinion and a veto
	// flag; one reopened and sent again; one member's deadline moved.
	for _, u := range append([]string{chair, member, finance}, members...) {
		h.mustAPI(u, "POST", cc("/api/v1/campaigns/%d/pledge"), fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion), http.StatusNoContent)
		h.mustAPI(u, "POST", pp("/api/v1/projects/%d/declaration"), `{"conflict":false}`, http.StatusNoContent)
		sheet := fmt.Sprintf(`{"version":0,"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":%s},"opinion":%s,"vetoes":[{"code":"V2","evidence":%s}]}`,
			jsonText(text("sheet comment")), jsonText(text("sheet opinion")), jsonText(text("veto evidence")))
		if u == finance {
			sheet = fmt.Sprintf(`{"version":0,"scores":{"F1":16,"F2":20,"F3":20,"F4":24},"opinion":%s,"finance_pass":true}`, jsonText(text("finance opinion")))
		}
		h.mustAPI(u, "POST", pp("/api/v1/projects/%d/sheet/submit"), sheet, http.StatusOK)
	}
	var sh evaluation.Sheet
	h.decode(h.mustAPI(member, "GET", pp("/api/v1/projects/%d/sheet"), "", http.StatusOK), &struct {
		Sheet *evaluation.Sheet `json:"sheet"`
	}{&sh})
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/sheets/%d/reopen", sh.ID), `{"reason":`+jsonText(text("reopen reason"))+`}`, http.StatusOK)
	// The reason shows while the sheet is reopened.
	seen := map[string]string{}
	reopened := h.browser()
	reopened.login(member)
	_, seen[member+" "+pp("/workspace/projects/%d/sheet")+"#reopened"] = reopened.get(pp("/workspace/projects/%d/sheet"))
	seen[member+" "+pp("/api/v1/projects/%d/sheet")+"#reopened"] = h.mustAPI(member, "GET", pp("/api/v1/projects/%d/sheet"), "", http.StatusOK)
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/panels/%d/members/%d/deadline", panel.ID, memberSeat),
		fmt.Sprintf(`{"due":%q,"reason":%s}`, h.now.In(evaluation.Beijing).AddDate(0, 0, 20).Format(time.DateOnly), jsonText(text("deadline reason"))), http.StatusNoContent)
	h.mustAPI(member, "POST", pp("/api/v1/projects/%d/sheet/submit"), fmt.Sprintf(`{"version":%d,"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":%s},"opinion":%s}`,
		sh.Version+1, jsonText(text("sheet comment")), jsonText(text("sheet opinion"))), http.StatusOK)

	// The panel's opinion, one member dissenting.
	h.mustAPI(chair, "PUT", pp("/api/v1/projects/%d/opinion"), `{"version":0,"text":`+jsonText(text("panel opinion"))+`,"proposed":"pass"}`, http.StatusOK)
	h.mustAPI(chair, "POST", pp("/api/v1/projects/%d/opinion/circulate"), `{"version":1}`, http.StatusOK)
	h.mustAPI(member, "POST", pp("/api/v1/projects/%d/opinion/response"), `{"agree":false,"reason":`+jsonText(text("dissent"))+`}`, http.StatusOK)
	for _, u := range append([]string{finance}, members...) {
		h.mustAPI(u, "POST", pp("/api/v1/projects/%d/opinion/response"), `{"agree":true}`, http.StatusOK)
	}

	// What the experts read, while they may: their pages and the API.
	for _, r := range []storedPage{{member, "/"}, {member, pp("/workspace/projects/%d")}, {member, pp("/workspace/projects/%d/sheet")},
		{member, pp("/workspace/projects/%d/opinion")}, {chair, pp("/workspace/projects/%d/sheet")}, {chair, pp("/workspace/projects/%d/panel")},
		{chair, pp("/workspace/projects/%d/opinion")}, {finance, pp("/workspace/projects/%d/sheet")}} {
		b := h.browser()
		b.login(r.as)
		resp, body := b.get(r.url)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s as %s: status %d", r.url, r.as, resp.StatusCode)
		}
		seen[r.as+" "+r.url] = body
	}
	for _, u := range []string{member, chair, finance} {
		seen[u+" "+pp("/api/v1/projects/%d/sheet")] = h.mustAPI(u, "GET", pp("/api/v1/projects/%d/sheet"), "", http.StatusOK)
	}
	seen[chair+" "+pp("/api/v1/projects/%d/opinion")] = h.mustAPI(chair, "GET", pp("/api/v1/projects/%d/opinion"), "", http.StatusOK)

	// The conclusion, the commission's return and the answer, the
	// approval, an appeal.
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"concluding"}`, http.StatusOK)
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/vetoes"), `{"track":"technical","code":"V2","reason":`+jsonText(text("veto reason"))+`}`, http.StatusCreated)
	h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/conclusions"), `{"conclusion":"fail","reason":`+jsonText(text("conclusion reason"))+`}`, http.StatusCreated)
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"submitted"}`, http.StatusOK)
	h.mustAPI("commission", "PUT", pp("/api/v1/projects/%d/return"), `{"comment":`+jsonText(text("return comment"))+`}`, http.StatusOK)
	h.mustAPI("commission", "POST", cc("/api/v1/campaigns/%d/return"), `{"reason":`+jsonText(text("campaign return reason"))+`}`, http.StatusOK)
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"concluding"}`, http.StatusOK)
	h.mustAPI("staffa", "PUT", pp("/api/v1/projects/%d/return/answer"), `{"answer":`+jsonText(text("answer"))+`}`, http.StatusOK)
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"submitted"}`, http.StatusOK)
	h.mustAPI("commission", "POST", cc("/api/v1/campaigns/%d/approve"), `{"days":5,"note":`+jsonText(text("approval note"))+`}`, http.StatusOK)
	var appeal evaluation.Appeal
	h.decode(h.mustAPI("staffa", "POST", pp("/api/v1/projects/%d/appeals"), fmt.Sprintf(`{"reason":"procedure","appellant":%s,"text":%s}`,
		jsonText(text("appellant")), jsonText(text("appeal text"))), http.StatusOK), &appeal)
	h.mustAPI("commission", "POST", fmt.Sprintf("/api/v1/projects/%d/appeals/%d/reject", p.ID, appeal.ID), `{"reason":`+jsonText(text("appeal rejection"))+`}`, http.StatusOK)

	// Records of the accounts and the pool.
	var user evaluation.User
	h.decode(h.mustAPI("admin", "POST", "/api/v1/users", fmt.Sprintf(`{"username":"stored.text","name":%s,"role":"commission","password":"a long and solid passphrase 42"}`,
		jsonText(text("user name"))), http.StatusCreated), &user)
	var agency evaluation.Agency
	h.decode(h.mustAPI("admin", "POST", "/api/v1/agencies", fmt.Sprintf(`{"code":"TXT","name_zh":%s,"name_en":%s}`,
		jsonText(text("agency name")), jsonText(text("agency English name"))), http.StatusCreated), &agency)
	h.mustAPI("commission", "POST", fmt.Sprintf("/api/v1/experts/%d/conflicts", renamed), fmt.Sprintf(`{"person":%s,"year":2025,"note":%s}`,
		jsonText(text("conflict person")), jsonText(text("conflict note"))), http.StatusCreated)
	h.mustAPI("commission", "POST", fmt.Sprintf("/api/v1/experts/%d/collaborations", renamed), fmt.Sprintf(`{"kind":"joint_paper","institution":%s,"year":2024,"note":%s}`,
		jsonText(text("collaboration institution")), jsonText(text("collaboration note"))), http.StatusCreated)

	result, campaignPage, projectPage := pp("/projects/%d/result"), cc("/campaigns/%d"), pp("/projects/%d")
	results, report, notice := cc("/campaigns/%d/results"), cc("/campaigns/%d/report"), cc("/public/campaigns/%d")
	workspace, sheetPage, panelSheets := pp("/workspace/projects/%d"), pp("/workspace/projects/%d/sheet"), pp("/workspace/projects/%d/panel")
	opinion, print := pp("/workspace/projects/%d/opinion"), pp("/projects/%d/opinion/print")
	expertPage, panelPage := fmt.Sprintf("/experts/%d", renamed), fmt.Sprintf("/panels/%d", panel.ID)
	campaignAPI, projectAPI, methodsAPI := cc("/api/v1/campaigns/%d"), pp("/api/v1/projects/%d"), pp("/api/v1/projects/%d/methods")
	page := func(as string, urls ...string) []storedPage {
		var out []storedPage
		for _, u := range urls {
			out = append(out, storedPage{as, u})
		}
		return out
	}
	return []storedField{
		{"campaign name", "staffa", campaignAPI, append(page("staffa", "/campaigns", campaignPage, results, report), page(member, "/", workspace)...)},
		{"programme", "staffa", campaignAPI, page("staffa", campaignPage)},
		{"project title", "staffa", projectAPI, append(page("staffa", campaignPage, projectPage, result, results, report, notice), page(member, workspace, sheetPage)...)},
		{"lead institution", "staffa", projectAPI, page("staffa", projectPage, notice)},
		{"project lead", "staffa", projectAPI, page("staffa", projectPage)},
		{"team member", "staffa", projectAPI, page("staffa", projectPage)},
		{"avoidance reason", "staffa", projectAPI, page("staffa", projectPage)},
		{"indicator", "staffa", projectAPI, page("staffa", projectPage)},
		{"inspection place", "staffa", methodsAPI, page("staffa", projectPage)},
		{"inspection participant", "staffa", methodsAPI, page("staffa", projectPage)},
		{"inspection findings", "staffa", methodsAPI, page("staffa", projectPage)},
		{"tester", "staffa", methodsAPI, page("staffa", projectPage)},
		{"test note", "staffa", methodsAPI, page("staffa", projectPage)},
		{"demonstration item", "staffa", methodsAPI, page("staffa", projectPage)},
		{"demonstration note", "staffa", methodsAPI, page("staffa", projectPage)},
		{"transition reason", "staffa", cc("/api/v1/campaigns/%d/transitions"), page("staffa", campaignPage)},
		{"expert name", "commission", fmt.Sprintf("/api/v1/experts/%d", renamed), append(page("commission", "/experts", expertPage), page("staffa", panelPage)...)},
		{"expert institution", "commission", fmt.Sprintf("/api/v1/experts/%d", renamed), page("commission", "/experts", expertPage)},
		{"sheet comment", member, pp("/api/v1/projects/%d/sheet"), append(page(member, sheetPage), page(chair, panelSheets)...)},
		{"sheet opinion", member, pp("/api/v1/projects/%d/sheet"), append(page(member, sheetPage), page(chair, panelSheets)...)},
		{"finance opinion", finance, pp("/api/v1/projects/%d/sheet"), page(finance, sheetPage)},
		{"veto evidence", chair, pp("/api/v1/projects/%d/sheet"), page(chair, sheetPage, panelSheets)},
		{"reopen reason", member, pp("/api/v1/projects/%d/sheet") + "#reopened", page(member, sheetPage+"#reopened")},
		{"deadline reason", "admin", "/api/v1/audit?action=panel.extend_deadline", page("admin", "/audit?action=panel.extend_deadline")},
		{"panel opinion", chair, pp("/api/v1/projects/%d/opinion"), append(page("staffa", result, print), page(member, opinion)...)},
		{"dissent", chair, pp("/api/v1/projects/%d/opinion"), page("staffa", result)},
		{"veto reason", "staffa", cc("/api/v1/campaigns/%d/results"), page("staffa", result)},
		{"conclusion reason", "staffa", pp("/api/v1/projects/%d/conclusions"), page("staffa", result)},
		{"return comment", "commission", cc("/api/v1/campaigns/%d/returns"), append(page("staffa", result, report), page("commission", result)...)},
		{"campaign return reason", "staffa", cc("/api/v1/campaigns/%d/transitions"), page("staffa", campaignPage)},
		{"answer", "commission", cc("/api/v1/campaigns/%d/returns"), page("commission", result, report)},
		{"approval note", "", cc("/api/v1/public/campaigns/%d"), append(page("staffa", campaignPage, report), page("", notice)...)},
		{"appellant", "commission", cc("/api/v1/campaigns/%d/appeals"), page("commission", result)},
		{"appeal text", "commission", cc("/api/v1/campaigns/%d/appeals"), page("commission", result)},
		{"appeal rejection", "commission", cc("/api/v1/campaigns/%d/appeals"), append(page("commission", result), page("staffa", result)...)},
		{"user name", "admin", fmt.Sprintf("/api/v1/users/%d", user.ID), page("admin", "/users", fmt.Sprintf("/users/%d", user.ID))},
		{"agency name", "admin", fmt.Sprintf("/api/v1/agencies/%d", agency.ID), page("admin", "/agencies", fmt.Sprintf("/agencies/%d", agency.ID))},
		{"agency English name", "admin", fmt.Sprintf("/api/v1/agencies/%d", agency.ID), page("admin", fmt.Sprintf("/agencies/%d", agency.ID))},
		{"conflict person", "commission", fmt.Sprintf("/api/v1/experts/%d/conflicts", renamed), page("commission", expertPage)},
		{"conflict note", "commission", fmt.Sprintf("/api/v1/experts/%d/conflicts", renamed), page("commission", expertPage)},
		{"collaboration institution", "commission", fmt.Sprintf("/api/v1/experts/%d/collaborations", renamed), page("commission", expertPage)},
		{"collaboration note", "commission", fmt.Sprintf("/api/v1/experts/%d/collaborations", renamed), page("commission", expertPage)},
	}, seen
}

// badInputStoredText stores each hostile text in every field and reads it
// back: exactly, through the API; as text, through each page that shows
// it. The sheets table is still there (the dump reads it) after SQL that
// would drop it.
func badInputStoredText(t *testing.T) int {
	checked := 0
	for _, payload := range storedPayloads {
		t.Run(payload.name, func(t *testing.T) {
			h := newHarness(t)
			text := func(field string) string { return payload.text + " #" + field }
			fields, seen := h.storedTextWorld(text)
			if dump := h.dump(); !strings.Contains(dump, "== sheets ") {
				t.Fatal("the sheets table is gone")
			}
			checked += h.checkStored(t, fields, seen, text)
		})
	}
	return checked
}

// checkStored reads back each field: exactly through the API (or as the
// expert read it then), as text on each of its pages. It returns how many
// fields it checked.
func (h *harness) checkStored(t *testing.T, fields []storedField, seen map[string]string, text func(string) string) int {
	t.Helper()
	checked := 0
	browsers := map[string]*browser{}
	for _, f := range fields {
		want := text(f.name)
		t.Run(f.name, func(t *testing.T) {
			body, ok := seen[f.as+" "+f.api]
			if !ok {
				body = h.mustAPI(f.as, "GET", f.api, "", http.StatusOK)
			}
			if !jsonHasString(body, want) {
				t.Errorf("GET %s does not read back %q: %.500s", f.api, want, body)
			}
			for _, pg := range f.pages {
				if page, ok := seen[pg.as+" "+pg.url]; ok {
					wantShownAsText(t, pg, page, want)
					continue
				}
				b := browsers[pg.as]
				if b == nil {
					b = h.browser()
					if pg.as != "" {
						b.login(pg.as)
					}
					browsers[pg.as] = b
				}
				resp, page := b.get(pg.url)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s as %q: status %d", pg.url, pg.as, resp.StatusCode)
					continue
				}
				wantShownAsText(t, pg, page, want)
			}
		})
		checked++
	}
	return checked
}

// wantShownAsText fails the test unless the page shows the text as text
// and has no markup made of it.
func wantShownAsText(t *testing.T, pg storedPage, page, text string) {
	t.Helper()
	if !strings.Contains(visibleText(page), text) {
		t.Errorf("GET %s as %q does not show %q as text", pg.url, pg.as, text)
	}
	if bad := injectedMarkup(page); len(bad) > 0 {
		t.Errorf("GET %s as %q has markup made of stored text: %q", pg.url, pg.as, bad)
	}
}

// TestInjectedMarkup: the catalogue's check finds markup made of stored
// text, and only that.
func TestInjectedMarkup(t *testing.T) {
	for _, tc := range []struct {
		page string
		bad  bool
	}{
		{`<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`, false},
		{`<input value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;">`, false},
		{`<script src="/static/app.js" defer></script><p>{{.}} ${7*7}</p>`, false},
		{`<p><script>alert(1)</script></p>`, true},
		{`<input value=""><img src=x onerror=alert(1)>">`, true},
		{`<a href="#" onclick="x()">`, true},
		{`<iframe src="//evil.example"></iframe>`, true},
	} {
		if got := len(injectedMarkup(tc.page)) > 0; got != tc.bad {
			t.Errorf("injectedMarkup(%q) found markup: %v, want %v", tc.page, got, tc.bad)
		}
	}
}

// storedFormsWorld stores text (field) through the pages' forms, as a
// browser posts them: a campaign, its project, an expert, a user and an
// agency; then on the scoring campaign, a sheet through the workspace, the
// panel's opinion and a dissent, the conclusion, the commission's return
// and the answer, the approval and an appeal. The steps between are taken
// through the API. It returns the fields with where they are read back,
// and what the experts read while the campaign was theirs.
func (h *harness) storedFormsWorld(t *testing.T, text func(field string) string) ([]storedField, map[string]string) {
	t.Helper()
	s := h.scoringCampaign()
	staff, comm, admin := h.browser(), h.browser(), h.browser()
	staff.login("staffa")
	comm.login("commission")
	admin.login("admin")
	// post sends a page's form, its fields as the page has them without
	// those under the prefixes to drop, with the changes, and returns
	// where it went.
	post := func(b *browser, page, target string, set map[string]string, drop ...string) string {
		t.Helper()
		_, body := b.get(page)
		form := formValues(body)
		for k := range form {
			for _, d := range drop {
				if strings.HasPrefix(k, d) {
					form.Del(k)
				}
			}
		}
		for k, v := range set {
			form.Set(k, v)
		}
		resp, answer := b.post(target, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: status %d: %.600s", target, resp.StatusCode, visibleText(answer))
		}
		return resp.Header.Get("Location")
	}
	var campaignID, projectID, expertID, userID, agencyID int64
	fmt.Sscanf(post(staff, "/campaigns/new", "/campaigns", map[string]string{"name": text("campaign name")}), "/campaigns/%d", &campaignID)
	fmt.Sscanf(post(staff, fmt.Sprintf("/campaigns/%d/projects/new", campaignID), fmt.Sprintf("/campaigns/%d/projects", campaignID),
		map[string]string{"op": "save", "code": "2026-FORM-001", "class": "applied_technology", "title": text("project title"),
			"lead_institution": "同济大学", "pi_name": "王建国", "subject_codes": "560.20"}, "indicators."), "/projects/%d", &projectID)
	fmt.Sscanf(post(comm, "/experts/new", "/experts", map[string]string{"name": text("expert name"), "type": "domain_expert",
		"institution": text("expert institution"), "title_level": "senior", "region": "local", "can_be_drawn": "1"}), "/experts/%d", &expertID)
	fmt.Sscanf(post(admin, "/users/new", "/users", map[string]string{"username": "form.text", "name": text("user name"), "role": "commission",
		"password": "a long and solid passphrase 42"}), "/users/%d", &userID)
	fmt.Sscanf(post(admin, "/agencies/new", "/agencies", map[string]string{"code": "FRM", "name_zh": text("agency name"),
		"name_en": text("agency English name")}), "/agencies/%d", &agencyID)
	if campaignID == 0 || projectID == 0 || expertID == 0 || userID == 0 || agencyID == 0 {
		t.Fatalf("a form did not lead to what it made: %d %d %d %d %d", campaignID, projectID, expertID, userID, agencyID)
	}

	// The scoring campaign: s.member's sheet through the workspace, the
	// others' through the API.
	pp := func(f string) string { return fmt.Sprintf(f, s.projectID) }
	cc := func(f string) string { return fmt.Sprintf(f, s.campaignID) }
	w := h.workspace(s, s.member)
	w.open(t)
	sheet := sheetForm(0)
	sheet.Set("opinion", text("sheet opinion"))
	sheet.Set("comment.A1", text("sheet comment"))
	sheet.Set("op", "review")
	if resp, body := w.post(w.sheet, sheet); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != w.review {
		t.Fatalf("the sheet to its summary: %d %.400s", resp.StatusCode, visibleText(body))
	}
	_, review := w.get(w.review)
	if resp, body := w.post(w.sub, url.Values{"version": {formValues(review).Get("version")}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit the sheet: %d %.400s", resp.StatusCode, visibleText(body))
	}
	var others []string
	for _, u := range h.submitOthers(s) {
		if u != s.chair {
			others = append(others, u)
		}
	}
	chair := h.browser()
	chair.login(s.chair)
	post(chair, pp("/workspace/projects/%d/opinion"), pp("/workspace/projects/%d/opinion"), map[string]string{"version": "0",
		"text": text("panel opinion"), "proposed": "pass", "op": "save"})
	h.mustAPI(s.chair, "POST", pp("/api/v1/projects/%d/opinion/circulate"), `{"version":1}`, http.StatusOK)
	post(w.browser, pp("/workspace/projects/%d/opinion"), pp("/workspace/projects/%d/opinion/response"), map[string]string{"agree": "0",
		"reason": text("dissent")})
	seen := map[string]string{}
	for _, r := range []struct {
		b  *browser
		as string
	}{{w.browser, s.member}, {chair, s.chair}} {
		for _, u := range []string{pp("/workspace/projects/%d/sheet"), pp("/workspace/projects/%d/panel"), pp("/workspace/projects/%d/opinion")} {
			if resp, body := r.b.get(u); resp.StatusCode == http.StatusOK {
				seen[r.as+" "+u] = body
			}
		}
	}
	seen[s.member+" "+pp("/api/v1/projects/%d/sheet")] = h.mustAPI(s.member, "GET", pp("/api/v1/projects/%d/sheet"), "", http.StatusOK)
	seen[s.chair+" "+pp("/api/v1/projects/%d/opinion")] = h.mustAPI(s.chair, "GET", pp("/api/v1/projects/%d/opinion"), "", http.StatusOK)
	for _, u := range others {
		if u != s.member {
			h.mustAPI(u, "POST", pp("/api/v1/projects/%d/opinion/response"), `{"agree":true}`, http.StatusOK)
		}
	}
	result := pp("/projects/%d/result")
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"concluding"}`, http.StatusOK)
	post(staff, result, pp("/projects/%d/result/conclusion"), map[string]string{"conclusion": "pass", "reason": text("conclusion reason")})
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"submitted"}`, http.StatusOK)
	post(comm, result, pp("/projects/%d/result/return"), map[string]string{"comment": text("return comment")})
	post(comm, cc("/campaigns/%d/results"), cc("/campaigns/%d/results/return"), map[string]string{"reason": text("campaign return reason")})
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"concluding"}`, http.StatusOK)
	post(staff, result, pp("/projects/%d/result/answer"), map[string]string{"answer": text("answer")})
	h.mustAPI("staffa", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"submitted"}`, http.StatusOK)
	post(comm, cc("/campaigns/%d"), cc("/campaigns/%d/approve"), map[string]string{"days": "5", "note": text("approval note")})
	post(staff, result, pp("/projects/%d/result/appeals"), map[string]string{"reason": "procedure", "appellant": text("appellant"),
		"text": text("appeal text")})

	page := func(as string, urls ...string) []storedPage {
		var out []storedPage
		for _, u := range urls {
			out = append(out, storedPage{as, u})
		}
		return out
	}
	ws := pp("/workspace/projects/%d/sheet")
	return []storedField{
		{"campaign name", "staffa", fmt.Sprintf("/api/v1/campaigns/%d", campaignID), page("staffa", "/campaigns", fmt.Sprintf("/campaigns/%d", campaignID))},
		{"project title", "staffa", fmt.Sprintf("/api/v1/projects/%d", projectID), page("staffa", fmt.Sprintf("/campaigns/%d", campaignID), fmt.Sprintf("/projects/%d", projectID))},
		{"expert name", "commission", fmt.Sprintf("/api/v1/experts/%d", expertID), page("commission", "/experts", fmt.Sprintf("/experts/%d", expertID))},
		{"expert institution", "commission", fmt.Sprintf("/api/v1/experts/%d", expertID), page("commission", fmt.Sprintf("/experts/%d", expertID))},
		{"user name", "admin", fmt.Sprintf("/api/v1/users/%d", userID), page("admin", "/users", fmt.Sprintf("/users/%d", userID))},
		{"agency name", "admin", fmt.Sprintf("/api/v1/agencies/%d", agencyID), page("admin", "/agencies", fmt.Sprintf("/agencies/%d", agencyID))},
		{"agency English name", "admin", fmt.Sprintf("/api/v1/agencies/%d", agencyID), page("admin", fmt.Sprintf("/agencies/%d", agencyID))},
		{"sheet opinion", s.member, pp("/api/v1/projects/%d/sheet"), append(page(s.member, ws), page(s.chair, pp("/workspace/projects/%d/panel"))...)},
		{"sheet comment", s.member, pp("/api/v1/projects/%d/sheet"), append(page(s.member, ws), page(s.chair, pp("/workspace/projects/%d/panel"))...)},
		{"panel opinion", s.chair, pp("/api/v1/projects/%d/opinion"), append(page("staffa", result, pp("/projects/%d/opinion/print")), page(s.member, pp("/workspace/projects/%d/opinion"))...)},
		{"dissent", "staffa", pp("/api/v1/projects/%d/opinion"), page("staffa", result)},
		{"conclusion reason", "staffa", pp("/api/v1/projects/%d/conclusions"), page("staffa", result)},
		{"return comment", "commission", cc("/api/v1/campaigns/%d/returns"), append(page("staffa", result, cc("/campaigns/%d/report")), page("commission", result)...)},
		{"campaign return reason", "staffa", cc("/api/v1/campaigns/%d/transitions"), page("staffa", cc("/campaigns/%d"))},
		{"answer", "commission", cc("/api/v1/campaigns/%d/returns"), page("commission", result, cc("/campaigns/%d/report"))},
		{"approval note", "", cc("/api/v1/public/campaigns/%d"), append(page("staffa", cc("/campaigns/%d"), cc("/campaigns/%d/report")), page("", cc("/public/campaigns/%d"))...)},
		{"appellant", "commission", cc("/api/v1/campaigns/%d/appeals"), page("commission", result)},
		{"appeal text", "commission", cc("/api/v1/campaigns/%d/appeals"), page("commission", result)},
	}, seen
}

// badInputStoredForms stores each hostile text through the forms and
// reads it back as badInputStoredText does.
func badInputStoredForms(t *testing.T) int {
	checked := 0
	for _, payload := range storedPayloads {
		t.Run(payload.name, func(t *testing.T) {
			h := newHarness(t)
			text := func(field string) string { return payload.text + " #" + field }
			fields, seen := h.storedFormsWorld(t, text)
			checked += h.checkStored(t, fields, seen, text)
		})
	}
	return checked
}

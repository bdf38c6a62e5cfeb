package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestEveryPageForEveryRole signs in to the seeded demo as each kind of
// user — the administrator, the commission, staff of each agency, experts
// with an accepted seat, an open invitation and a declined one — and, in
// both languages, requests every GET route of the route table with the ids
// of demo objects of each kind the route names (campaigns, projects in each
// state of forming, panels in each state, experts, users, agencies,
// materials, rubrics), then submits forms that answer with the page and its
// problems. No answer may be a server error; no page may show a missing
// template value, an untranslated message ID or text meant for developers
// (pageProblems). A route whose parameters the test cannot fill fails it,
// so a new route is crawled from the day it is added.
func TestEveryPageForEveryRole(t *testing.T) {
	if raceEnabled {
		// A sequential crawl, with nothing concurrent for the detector to
		// find, that takes five times as long under it; make test runs it
		// without.
		t.Skip("the crawl runs without the race detector (make test: make crawl)")
	}
	s := newDemoSite(t)
	targets := s.crawlTargets(t)
	t.Logf("%d URLs from the GET routes, as %d accounts, in %d languages", len(targets), len(s.roles()), len(evaluation.Languages))
	// Signed-in users are sent on from the sign-in page: it is visited
	// signed out, and refuses a wrong password with the page again.
	t.Run("signed out", func(t *testing.T) {
		br := s.browser()
		for _, lang := range evaluation.Languages {
			br.post("/lang", url.Values{"lang": {string(lang)}, "next": {"/login"}})
			resp, body := br.get("/login")
			s.checkAnswer(t, lang, "GET /login", resp, body)
			resp, body = br.post("/login", url.Values{"username": {"admin"}, "password": {"wrong password"}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s: a wrong password: status %d, want 401", lang, resp.StatusCode)
			}
			s.checkAnswer(t, lang, "POST /login", resp, body)
		}
	})
	for _, username := range s.roles() {
		t.Run(username, func(t *testing.T) {
			br := s.browser()
			br.login(username)
			for _, lang := range evaluation.Languages {
				br.post("/lang", url.Values{"lang": {string(lang)}, "next": {"/"}})
				pages := 0
				for _, target := range targets {
					var resp *http.Response
					var body string
					if strings.HasPrefix(target, "/api/") {
						resp, body = s.api(username, http.MethodGet, target, "", "Accept-Language", string(lang))
					} else {
						resp, body = br.get(target)
						pages++
					}
					s.checkAnswer(t, lang, "GET "+target, resp, body)
				}
				for _, f := range s.refusedForms(username) {
					br.get(f.page)
					resp, body := br.post(f.url, f.form)
					if resp.StatusCode != f.status {
						t.Errorf("%s: POST %s: status %d, want %d", lang, f.url, resp.StatusCode, f.status)
					}
					s.checkAnswer(t, lang, "POST "+f.url, resp, body)
					for _, want := range f.contains[lang] {
						if !strings.Contains(visibleText(body), want) {
							t.Errorf("%s: POST %s: the page lacks %q", lang, f.url, want)
						}
					}
				}
				if pages < 40 {
					t.Errorf("%s: visited %d pages; the crawl is broken", lang, pages)
				}
			}
		})
	}
}

// checkAnswer fails the test on a server error, and on problems a user
// would see on a page or in an API error.
func (s *demoSite) checkAnswer(t *testing.T, lang evaluation.Language, what string, resp *http.Response, body string) {
	t.Helper()
	if resp.StatusCode >= 500 {
		t.Errorf("%s: %s: status %d: %.300s", lang, what, resp.StatusCode, body)
	}
	if strings.Contains(body, "<no value>") || strings.Contains(body, "&lt;no value&gt;") {
		t.Errorf("%s: %s: a template value is missing (<no value>)", lang, what)
	}
	switch ct := resp.Header.Get("Content-Type"); {
	case strings.HasPrefix(ct, "text/html"):
		for _, p := range s.pageProblems(visibleText(body)) {
			t.Errorf("%s: %s: %s", lang, what, p)
		}
	case strings.HasPrefix(ct, "application/json") && resp.StatusCode >= 400:
		e := apiErr(t, body)
		texts := []string{e.Message}
		for _, v := range e.Fields {
			texts = append(texts, v)
		}
		for _, p := range s.pageProblems(strings.Join(texts, "\n")) {
			t.Errorf("%s: %s: error body: %s", lang, what, p)
		}
	}
}

var (
	// messageLike is what a message ID looks like: dotted lowercase words.
	messageLike = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b`)
	// developerText is text meant for developers, not users: an object's
	// database id after its name, JSON, Go's printing of maps, structs and
	// bad format verbs, file and command names.
	developerText = []*regexp.Regexp{
		regexp.MustCompile(`\pL[ \t]*#\d+|(?m)^#\d+$`),
		regexp.MustCompile(`\{"|\["|\[\{`),
		regexp.MustCompile(`map\[|&\{|%!`),
		regexp.MustCompile(`(?i)readme|\.md\b`),
		regexp.MustCompile(`evalpanel [a-z]+`),
		// a parameter's name before its problem
		regexp.MustCompile(`(?m)^[a-z][a-z0-9_.\[\]]*: `),
	}
)

// codeList splits a line that lists codes.
var codeList = regexp.MustCompile(`\s*[,，、/]\s*`)

// rawCodes are the values of the domain's lists that have translated names
// (languages, regions, expert types, states, seats, …): shown as they are,
// a user sees a code where a name belongs. Roles are left out, since the
// demo's usernames admin and commission are role names too.
func (s *demoSite) rawCodes() map[string]bool {
	s.codesOnce.Do(func() {
		s.codes = map[string]bool{}
		// An expert's working languages are language tags.
		for _, l := range evaluation.Languages {
			base, _, _ := strings.Cut(string(l), "-")
			s.codes[base] = true
		}
		for id := range s.app.tr.ids {
			prefix, code, _ := strings.Cut(id, ".")
			switch prefix {
			case "campaign_state", "material_kind", "record_kind", "member_status", "expert_type", "indicator_kind",
				"project_role", "method", "indicator_status", "grade", "collaboration_kind", "title_level", "target",
				"rubric_status", "region", "panel_state", "method_record_kind", "aggregation", "seat", "lang", "draw_kind", "sheet_status":
				s.codes[code] = true
			}
		}
	})
	return s.codes
}

// pageProblems lists what is wrong with a page's visible text: message
// IDs that were not translated, and developer text.
func (s *demoSite) pageProblems(text string) []string {
	var out []string
	for _, m := range messageLike.FindAllString(text, -1) {
		if s.app.tr.Has(m) {
			out = append(out, fmt.Sprintf("untranslated message ID %q", m))
		}
	}
	for _, line := range strings.Split(text, "\n") {
		parts := codeList.Split(line, -1)
		raw := len(parts) > 0
		for _, part := range parts {
			raw = raw && s.rawCodes()[strings.TrimSpace(part)]
		}
		if raw {
			out = append(out, fmt.Sprintf("raw codes %q where their names belong", line))
		}
	}
	for _, re := range developerText {
		for _, loc := range re.FindAllStringIndex(text, 3) {
			from, to := max(loc[0]-40, 0), min(loc[1]+40, len(text))
			out = append(out, fmt.Sprintf("developer text %q in …%s…", text[loc[0]:loc[1]], text[from:to]))
		}
	}
	return out
}

// crawlTargets builds the URL of every GET route with the ids of demo
// objects of the kind each path parameter names, several of each kind in
// their different states. A route with a parameter it cannot fill fails
// the test.
func (s *demoSite) crawlTargets(t *testing.T) []string {
	t.Helper()
	ctx, sys := context.Background(), evaluation.System
	ids := map[string][]int64{}
	for _, c := range []*evaluation.Campaign{s.campaigns["SSTPC"], s.campaigns["SHTIS"], s.concluding} {
		ids["campaigns"] = append(ids["campaigns"], c.ID)
		// A panel in each state, and a project on each, and one without.
		seen := map[evaluation.PanelState]bool{}
		for _, p := range s.panels[c.ID] {
			if !seen[p.State] {
				seen[p.State] = true
				ids["panels"] = append(ids["panels"], p.ID)
				ids["projects"] = append(ids["projects"], p.ProjectIDs[0])
			}
		}
		if without := s.projectIDs(func(p *evaluation.Project) bool { return p.CampaignID == c.ID && s.panelOf(p.ID) == nil }); len(without) > 0 {
			ids["projects"] = append(ids["projects"], without[0])
		}
		// Materials of the first project that has some.
		for _, pid := range s.projectIDs(func(p *evaluation.Project) bool { return p.CampaignID == c.ID }) {
			ms, err := s.svc.Materials.Materials(ctx, sys, pid)
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) > 0 {
				ids["materials"] = append(ids["materials"], ms[0].ID)
				if !slices.Contains(ids["projects"], pid) {
					ids["projects"] = append(ids["projects"], pid)
				}
				break
			}
		}
		if c == s.concluding {
			// Each of its projects shows another step of the results.
			for _, pid := range s.projectIDs(func(p *evaluation.Project) bool { return p.CampaignID == c.ID }) {
				if !slices.Contains(ids["projects"], pid) {
					ids["projects"] = append(ids["projects"], pid)
				}
			}
		} else {
			ids["agencies"] = append(ids["agencies"], c.AgencyID)
		}
	}
	// The campaigns the commission has seen, with the projects that show
	// its review: divergent, returned, failed.
	for _, c := range s.past {
		ids["campaigns"] = append(ids["campaigns"], c.ID)
		ids["projects"] = append(ids["projects"], s.projectIDs(func(p *evaluation.Project) bool {
			return p.CampaignID == c.ID && slices.Contains([]string{"22JC1403500", "22DZ2200900", "22DZ2201000", "22DZ2203300",
				"21DZ2202300"}, p.Code)
		})...)
	}
	for _, seat := range []*panelSeat{s.accepted, s.invited, s.declined} {
		ids["experts"] = append(ids["experts"], seat.member.ExpertID)
	}
	// The projects of the experts whose workspace shows each state of a
	// sheet, and the campaigns they pledge for.
	for _, username := range []string{s.drafting, s.reopened, s.unpledged, s.chair, s.answering, s.revising} {
		for _, as := range s.assignments(t, username) {
			if !slices.Contains(ids["projects"], as.Project.ID) {
				ids["projects"] = append(ids["projects"], as.Project.ID)
			}
			if !slices.Contains(ids["campaigns"], as.Campaign.ID) {
				ids["campaigns"] = append(ids["campaigns"], as.Campaign.ID)
			}
		}
	}
	// Experts with a declared conflict, a collaboration, and an
	// international peer.
	for _, name := range []string{"徐明", "张卫东", "David Chen"} {
		ids["experts"] = append(ids["experts"], s.experts[name])
	}
	for _, username := range []string{"admin", "sstpc-li", s.accepted.username} {
		ids["users"] = append(ids["users"], s.users[username].ID)
	}
	// A message of each kind in the outbox (an invitation, a reopened
	// sheet).
	messages, _, err := s.svc.Notifications.Outbox(ctx, sys, evaluation.OutboxFilter{Page: evaluation.Page{Number: 1, Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	seenKind := map[evaluation.MessageKind]bool{}
	for _, m := range messages {
		if !seenKind[m.Kind] {
			seenKind[m.Kind] = true
			ids["outbox"] = append(ids["outbox"], m.ID)
		}
	}
	rubricList, err := s.svc.Rubrics.Rubrics(ctx, sys, evaluation.RubricFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var rubricKeys []string
	for _, r := range rubricList {
		rubricKeys = append(rubricKeys, fmt.Sprintf("%s/%d", r.Code, r.Version))
	}
	for kind, list := range ids {
		if len(list) == 0 {
			t.Fatalf("the demo has no %s to visit", kind)
		}
	}

	var routes []string
	for key := range s.app.Routes() {
		if path, ok := strings.CutPrefix(key, "GET "); ok {
			routes = append(routes, path)
		}
	}
	sort.Strings(routes)
	var out []string
	for _, route := range routes {
		paths := []string{route}
		if strings.Contains(route, ":code/:version") {
			paths = nil
			for _, k := range rubricKeys {
				paths = append(paths, strings.Replace(route, ":code/:version", k, 1))
			}
		}
		for {
			i := strings.Index(paths[0], "/:")
			if i < 0 {
				break
			}
			kind := paths[0][strings.LastIndex(paths[0][:i], "/")+1 : i]
			list := ids[kind]
			if len(list) == 0 {
				t.Errorf("route %s: no demo %q to fill its parameter; add them to crawlTargets", route, kind)
				paths = nil
				break
			}
			var next []string
			for _, p := range paths {
				j := strings.Index(p, "/:")
				end := strings.IndexByte(p[j+1:], '/')
				rest := ""
				if end >= 0 {
					rest = p[j+1+end:]
				}
				for _, id := range list {
					next = append(next, fmt.Sprintf("%s/%d%s", p[:j], id, rest))
				}
			}
			paths = next
		}
		out = append(out, paths...)
	}
	// Lists refused for a bad filter answer with an error page that
	// names what is wrong.
	out = append(out, "/users?role=nope", "/experts?type=nope&page=x", "/campaigns?state=nope", "/audit?object_type=planet",
		fmt.Sprintf("/campaigns/%d?panel=maybe", ids["campaigns"][0]), "/rubrics?status=nope")
	return append(out, s.progressCards(t)...)
}

// progressCards are the scoring campaign's progress monitor filtered and
// with the cards of its actions open: a member's, a submitted sheet's.
func (s *demoSite) progressCards(t *testing.T) []string {
	t.Helper()
	c := s.campaigns["SHTIS"]
	p, err := s.svc.Sheets.Progress(context.Background(), s.users["shtis-huang"].Actor(), c.ID, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/campaigns/%d/progress", c.ID)
	out := []string{base + "?overdue=1", base + "?overdue=maybe"}
	for _, pp := range p.Panels {
		for _, row := range pp.Projects {
			for i, cell := range row.Cells {
				if cell.Status == evaluation.SheetSubmitted && len(out) == 2 {
					out = append(out, fmt.Sprintf("%s?reopen=%d", base, cell.SheetID), fmt.Sprintf("%s?member=%d", base, pp.Members[i].MemberID))
				}
			}
		}
	}
	if len(out) == 2 {
		t.Fatal("the demo's scoring campaign has no submitted sheet")
	}
	return out
}

// refusedForm is a form submission that the app answers with the page
// again, showing what is wrong.
type refusedForm struct {
	page     string // the page the form is on
	url      string
	form     url.Values
	status   int
	contains map[evaluation.Language][]string
}

// refusedForms are the refused submissions an account can make.
func (s *demoSite) refusedForms(username string) []refusedForm {
	sstpc := s.campaigns["SSTPC"]
	forms := []refusedForm{{
		page: "/profile", url: "/profile/password", status: http.StatusBadRequest,
		form: url.Values{"current_password": {"wrong password"}, "password": {"a new long password"}, "confirm": {"a new long password"}},
	}}
	switch u := s.users[username]; u.Role {
	case evaluation.RoleAgencyStaff:
		if u.AgencyID != sstpc.AgencyID {
			break
		}
		campaign := fmt.Sprintf("/campaigns/%d", sstpc.ID)
		unready := 0
		for _, p := range s.projects {
			if pn := s.panelOf(p.ID); p.CampaignID == sstpc.ID && (pn == nil || pn.State != evaluation.PanelConfirmed) {
				unready++
			}
		}
		forms = append(forms, refusedForm{page: campaign, url: campaign + "/transition", status: http.StatusConflict,
			form: url.Values{"to": {string(evaluation.CampaignScoring)}},
			contains: map[evaluation.Language][]string{
				evaluation.LangZH: {fmt.Sprintf("还有 %d 个项目", unready)},
				evaluation.LangEN: {fmt.Sprintf("%d projects", unready)},
			}},
			refusedForm{page: campaign, url: campaign + "/draw", status: http.StatusBadRequest, form: url.Values{}},
			refusedForm{page: "/campaigns/new", url: "/campaigns", status: http.StatusBadRequest, form: url.Values{"name": {""}}},
		)
	case evaluation.RoleExpert:
		expert := fmt.Sprintf("/experts/%d", u.ExpertID)
		forms = append(forms, refusedForm{page: expert, url: expert + "/conflicts", status: http.StatusBadRequest, form: url.Values{}})
		if username == s.drafting {
			// A score over the maximum, refused beside its field.
			for _, as := range s.assignments(s.t, username) {
				if as.Status != evaluation.SheetDraft {
					continue
				}
				sheet := fmt.Sprintf("/workspace/projects/%d/sheet", as.Project.ID)
				view, err := s.svc.Sheets.Sheet(context.Background(), u.Actor(), as.Project.ID)
				if err != nil {
					s.t.Fatal(err)
				}
				in := view.Rubric.Content.Indicators[0]
				forms = append(forms, refusedForm{page: sheet, url: sheet, status: http.StatusBadRequest,
					form: url.Values{"version": {fmt.Sprint(view.Sheet.Version)}, "score." + in.Code: {"999"}, "op": {"save"}},
					contains: map[evaluation.Language][]string{
						evaluation.LangZH: {fmt.Sprintf("评分须在 0 到 %s 之间。", in.Max)},
						evaluation.LangEN: {fmt.Sprintf("The score must be between 0 and %s.", in.Max)},
					}})
				break
			}
		}
		if username == s.unpledged {
			// A conflict declared without its reason and confirmation.
			as := s.assignments(s.t, username)[0]
			project := fmt.Sprintf("/workspace/projects/%d", as.Project.ID)
			forms = append(forms, refusedForm{page: project, url: project + "/declaration", status: http.StatusBadRequest,
				form: url.Values{"conflict": {"1"}, "reason": {""}}})
		}
		if username == s.invited.username {
			forms = append(forms, refusedForm{page: "/", url: fmt.Sprintf("/invitations/%d/decline", s.invited.member.ID),
				status: http.StatusBadRequest, form: url.Values{"reason": {""}}})
		}
	case evaluation.RoleAdmin:
		forms = append(forms, refusedForm{page: "/users/new", url: "/users", status: http.StatusBadRequest, form: url.Values{"username": {""}}},
			refusedForm{page: "/agencies/new", url: "/agencies", status: http.StatusBadRequest, form: url.Values{"code": {""}}})
	}
	return forms
}

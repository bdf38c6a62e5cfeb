package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// badInput is a request that must be refused: its status, and the fields
// its error must name (none for a refusal of the whole request).
type badInput struct {
	name, as, method, url, contentType, body string
	status                                   int
	fields                                   []string
}

// The bad-input catalogue (issue 11): requests a careless or hostile
// client sends, each a named case that asserts its status, the message
// (and the field it names), and the database afterwards — unchanged for a
// refusal, the exact value sent for text that is stored on purpose. Each
// part prints its count, and make proof prints those lines.
func TestBadInputCatalogue(t *testing.T) {
	parts := []struct {
		name, says string
		run        func(t *testing.T) int
	}{
		{"refusals", "each refused with the database unchanged", badInputRefusals},
		{"uploads", "broken multipart bodies refused beside the file, odd file names refused or stored under a safe name", badInputUploads},
		{"shapes", "members given twice and required members missing, refused beside the member with the database unchanged", badInputShapes},
		{"stored text", "markup, SQL and template syntax in every text field, read back exactly through the API and as text on every page that shows it", badInputStoredText},
		{"exports", "formulas after each of = + - @ tab CR in every text column of both workbooks, read back with excelize as text behind a quote", badInputFormulas},
		{"replays", "stale versions answered 409 with the record as stored, writes sent twice refused or harmless, the database unchanged", badInputReplays},
	}
	total := 0
	for _, p := range parts {
		n := 0
		t.Run(p.name, func(t *testing.T) { n = p.run(t) })
		fmt.Printf("bad-input catalogue, %s: %d cases, %s\n", p.name, n, p.says)
		total += n
	}
	fmt.Printf("bad-input catalogue: %d cases in all through the API and the pages, besides the forms below\n", total)
}

// badInputRefusals is the catalogue's first part: wrong types,
// out-of-range and boundary numbers, NaN and overflowing numbers, huge
// strings and arrays, invalid UTF-8, hidden characters, path traversal,
// malformed and truncated JSON, wrong content types, stale and impossible
// versions, odd path parameters — against the score sheet, campaign
// creation, revision rounds, tokens and reads. Each is refused with its
// status and the error format (a message, and one per field named), and
// the database is exactly as it was.
func badInputRefusals(t *testing.T) int {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.openSheet(s, s.member)
	sheet := fmt.Sprintf("/api/v1/projects/%d/sheet", s.projectID)
	revisions := fmt.Sprintf("/api/v1/projects/%d/revisions", s.projectID)
	scores := func(a1 string) string {
		return `{"version":0,"scores":{"A1":` + a1 + `,"A2":20,"A3":21,"A4":8,"A5":12},"opinion":"完成了主要考核指标。"}`
	}
	opinion := func(text string) string {
		return `{"version":0,"scores":{"A1":20},"opinion":"` + text + `"}`
	}
	campaign := func(fields string) string { return `{` + fields + `}` }
	long := strings.Repeat("评", 20001)
	cases := []badInput{
		// The score sheet.
		{name: "a score as a string", as: s.member, method: "PUT", url: sheet, body: scores(`"22"`), status: 400},
		{name: "a negative score", as: s.member, method: "PUT", url: sheet, body: scores(`-1`), status: 400, fields: []string{"scores.A1"}},
		{name: "a score over the maximum", as: s.member, method: "PUT", url: sheet, body: scores(`25.5`), status: 400, fields: []string{"scores.A1"}},
		{name: "a score off the half-point steps", as: s.member, method: "PUT", url: sheet, body: scores(`22.3`), status: 400, fields: []string{"scores.A1"}},
		{name: "a score that overflows", as: s.member, method: "PUT", url: sheet, body: scores(`1e309`), status: 400},
		{name: "NaN", as: s.member, method: "PUT", url: sheet, body: scores(`NaN`), status: 400},
		{name: "Infinity", as: s.member, method: "PUT", url: sheet, body: scores(`Infinity`), status: 400},
		{name: "a score of null", as: s.member, method: "PUT", url: sheet, body: scores(`null`), status: 400},
		{name: "an indicator the rubric lacks", as: s.member, method: "PUT", url: sheet,
			body: `{"version":0,"scores":{"Z9":5},"opinion":"x"}`, status: 400, fields: []string{"scores.Z9"}},
		{name: "an opinion of 20,001 characters", as: s.member, method: "PUT", url: sheet, body: opinion(long), status: 400, fields: []string{"opinion"}},
		{name: "invalid UTF-8 in the opinion", as: s.member, method: "PUT", url: sheet, body: opinion("\xff\xfe\xfd"), status: 400},
		{name: "a version as a string", as: s.member, method: "PUT", url: sheet, body: `{"version":"0","scores":{}}`, status: 400},
		{name: "a negative version", as: s.member, method: "PUT", url: sheet, body: `{"version":-1,"scores":{}}`, status: 400},
		{name: "a version of a sheet never saved", as: s.member, method: "PUT", url: sheet, body: `{"version":7,"scores":{}}`, status: 400, fields: []string{"version"}},
		{name: "no body", as: s.member, method: "PUT", url: sheet, body: ``, status: 400},
		{name: "an array for a body", as: s.member, method: "PUT", url: sheet, body: `[]`, status: 400},
		{name: "a truncated body", as: s.member, method: "PUT", url: sheet, body: `{"version":0,"scores":{"A1":2`, status: 400},
		{name: "a second JSON value after the body", as: s.member, method: "PUT", url: sheet, body: `{"version":0}{"version":1}`, status: 400},
		{name: "text/plain", as: s.member, method: "PUT", url: sheet, contentType: "text/plain", body: scores(`20`), status: 400},
		{name: "application/jsonx", as: s.member, method: "PUT", url: sheet, contentType: "application/jsonx", body: scores(`20`), status: 400},
		{name: "a form body", as: s.member, method: "PUT", url: sheet, contentType: "application/x-www-form-urlencoded", body: "version=0", status: 400},
		{name: "10,000 veto flags", as: s.member, method: "PUT", url: sheet,
			body: `{"version":0,"scores":{},"vetoes":[` + strings.TrimSuffix(strings.Repeat(`{"code":"V1","evidence":"x"},`, 10000), ",") + `]}`, status: 400},
		{name: "another expert's sheet", as: s.outsider, method: "PUT", url: sheet, body: scores(`20`), status: 404},

		// Creating a campaign.
		{name: "a year as a string", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次","year":"2026"`), status: 400},
		{name: "a year of 1800", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次","year":1800`), status: 400, fields: []string{"year"}},
		{name: "a year beyond int64", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次","year":99999999999999999999`), status: 400},
		{name: "no name", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"","year":2026`), status: 400, fields: []string{"name"}},
		{name: "a name of 20,001 characters", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"` + long + `","year":2026`), status: 400, fields: []string{"name"}},
		{name: "a right-to-left override in the name", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次\u202egnp.exe","year":2026`), status: 400, fields: []string{"name"}},
		{name: "a zero-width space in the name", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批\u200b次","year":2026`), status: 400, fields: []string{"name"}},
		{name: "a bell in the name", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次\u0007","year":2026`), status: 400, fields: []string{"name"}},
		{name: "a NUL in the name", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次\u0000","year":2026`), status: 400, fields: []string{"name"}},
		{name: "a name as an array", as: "staffa", method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":["批次"],"year":2026`), status: 400},
		{name: "an expert creates a campaign", as: s.member, method: "POST", url: "/api/v1/campaigns", body: campaign(`"name":"批次","year":2026`), status: 403},

		// A revision round.
		{name: "an unknown kind of round", as: "staffa", method: "POST", url: revisions, body: `{"kind":"evil","note":"复核"}`, status: 400, fields: []string{"kind"}},
		{name: "a round without its note", as: "staffa", method: "POST", url: revisions, body: `{"kind":"discussion","note":"  "}`, status: 400, fields: []string{"note"}},
		{name: "a last day that is no date", as: "staffa", method: "POST", url: revisions, body: `{"kind":"discussion","note":"复核","due":"2026-13-45"}`, status: 400, fields: []string{"due"}},
		{name: "a path for a last day", as: "staffa", method: "POST", url: revisions, body: `{"kind":"discussion","note":"复核","due":"../../etc/passwd"}`, status: 400, fields: []string{"due"}},

		// Tokens.
		{name: "a username as an array", method: "POST", url: "/api/v1/auth/token", body: `{"username":["staffa"],"password":"x"}`, status: 400},

		// Path parameters.
		{name: "a project id that is no number", as: "staffa", method: "GET", url: "/api/v1/projects/abc", status: 404},
		{name: "a negative project id", as: "staffa", method: "GET", url: "/api/v1/projects/-1", status: 404},
		{name: "a project id beyond int64", as: "staffa", method: "GET", url: "/api/v1/projects/99999999999999999999", status: 404},
		{name: "a traversal in the path", as: "staffa", method: "GET", url: "/api/v1/projects/..%2F..%2Fusers", status: 404},
		{name: "SQL in the path", as: "staffa", method: "GET", url: "/api/v1/projects/1%20OR%201=1", status: 404},
	}
	// The one-line names of every kind of record, each with every kind of
	// bad value: missing, blank, hidden characters, invalid text, too long,
	// of the wrong type.
	draft, _ := h.campaignWithProject()
	names := []struct{ what, as, url, body, field string }{
		{"a campaign's name", "staffa", "/api/v1/campaigns", `{"name":%s,"year":2026}`, "name"},
		{"an agency's Chinese name", "admin", "/api/v1/agencies", `{"code":"XYZ","name_zh":%s,"name_en":"X Agency"}`, "name_zh"},
		{"an agency's English name", "admin", "/api/v1/agencies", `{"code":"XYZ","name_zh":"某中心","name_en":%s}`, "name_en"},
		{"a user's name", "admin", "/api/v1/users", `{"username":"bad.user","name":%s,"role":"commission","password":"a long and solid passphrase 42"}`, "name"},
		{"an expert's name", "commission", "/api/v1/experts", `{"name":%s,"type":"domain_expert","institution":"第7研究院","title_level":"senior","region":"local","subject_codes":["560.20"],"can_be_drawn":true}`, "name"},
		{"an expert's institution", "commission", "/api/v1/experts", `{"name":"张三","type":"domain_expert","institution":%s,"title_level":"senior","region":"local","subject_codes":["560.20"],"can_be_drawn":true}`, "institution"},
		{"a project's title", "staffa", fmt.Sprintf("/api/v1/campaigns/%d/projects", draft), strings.Replace(fmt.Sprintf(projectJSON, "2026-BAD-001"), `"城市地下管网智能巡检机器人研发"`, "%s", 1), "title"},
	}
	values := []struct {
		what, json string
		field      bool // the error names the field (a string of the wrong kind)
	}{
		{"empty", `""`, true}, {"blank", `"   "`, true}, {"a right-to-left override", `"名称\u202etxt.exe"`, true},
		{"a zero-width space", `"名\u200b称"`, true}, {"a bell", `"名称\u0007"`, true}, {"a NUL", `"名称\u0000"`, true},
		{"a line separator", `"名称\u2028续"`, true}, {"20,001 characters", `"` + long + `"`, true},
		{"an array", `["名称"]`, false}, {"a number", `42`, false}, {"an object", `{"zh":"名称"}`, false},
	}
	for _, n := range names {
		for _, v := range values {
			c := badInput{name: n.what + " " + v.what, as: n.as, method: "POST", url: n.url, body: strings.Replace(n.body, "%s", v.json, 1), status: 400}
			if v.field {
				c.fields = []string{n.field}
			}
			cases = append(cases, c)
		}
	}
	for _, u := range []string{"staffa", s.member, s.outsider, "admin", "commission"} {
		h.api(u, "GET", "/api/v1/me", "") // each signs in first
	}
	checked := 0
	for _, c := range cases {
		h.refuse(t, c.name, c, "")
		checked++
	}
	return checked
}

// refuse runs a bad-input case as a subtest: the status, the error format
// with a message for each field named (containing message, when given),
// and the database unchanged. Every user the case may act as must have
// used their token before (warmTokens), or its first use shows as a
// change.
func (h *harness) refuse(t *testing.T, name string, c badInput, message string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		before := h.dump()
		var header []string
		if c.contentType != "" {
			header = []string{"Content-Type", c.contentType}
		}
		resp, body := h.api(c.as, c.method, c.url, c.body, header...)
		if resp.StatusCode != c.status {
			t.Fatalf("%s %s: status %d, want %d: %.300s", c.method, c.url, resp.StatusCode, c.status, body)
		}
		e := apiErr(t, body)
		for _, f := range c.fields {
			if e.Fields[f] == "" || !strings.Contains(e.Fields[f], message) {
				t.Errorf("the error says %q for %s, want a message with %q: %+v", e.Fields[f], f, message, e)
			}
		}
		if h.dump() != before {
			t.Error("a refused request changed the database")
		}
	})
}

// The catalogue's forms: what the pages' forms are sent that a browser
// would not send. Each part prints its count, and make proof prints
// those lines.
func TestBadInputForgedForms(t *testing.T) {
	parts := []struct {
		name, says string
		run        func(t *testing.T) int
	}{
		{"uploads", "broken multipart forms and odd file names, refused on a page that says why or stored under a safe name", badInputUploadForms},
		{"missing", "main forms posted empty, refused on a page that names what is missing, the database unchanged", badInputMissingForms},
		{"stored text", "markup, SQL and template syntax typed into the forms, read back exactly through the API and as text on every page that shows it", badInputStoredForms},
		{"replays", "forms sent again with a signed-out session's token, from an older copy or after they took effect, refused on a page that says why", badInputReplayForms},
	}
	total := 0
	for _, p := range parts {
		n := 0
		t.Run(p.name, func(t *testing.T) { n = p.run(t) })
		fmt.Printf("bad-input catalogue, forms, %s: %d cases, %s\n", p.name, n, p.says)
		total += n
	}
	t.Run("forged tokens", func(t *testing.T) { total += badInputForgedTokens(t) })
	fmt.Printf("bad-input catalogue, forms in all: %d cases\n", total)
}

// badInputForgedTokens: every form of the app (each POST route outside
// the API), sent by a signed-in user with a forged CSRF token and with
// none, is refused with 403 and a page that says so, and changes nothing.
func badInputForgedTokens(t *testing.T) int {
	h := newHarness(t)
	h.withRubrics()
	h.campaignWithProject()
	br := h.browser()
	br.login("staffa")
	br.get("/")
	var forms []string
	for key := range h.app.routes {
		method, path, _ := strings.Cut(key, " ")
		if method != "POST" || strings.HasPrefix(path, "/api/") || path == "/login" || path == "/lang" {
			continue
		}
		forms = append(forms, path)
	}
	slices.Sort(forms)
	filled := regexp.MustCompile(`:[a-z]+`)
	checked := 0
	for _, path := range forms {
		target := filled.ReplaceAllString(path, "1")
		for _, token := range []string{"forged-0000", ""} {
			t.Run(fmt.Sprintf("%s token %q", path, token), func(t *testing.T) {
				before := h.dump()
				resp, body := br.post(target, url.Values{"_csrf": {token}, "name": {"<script>alert(1)</script>"}})
				if resp.StatusCode != http.StatusForbidden {
					t.Fatalf("POST %s with the token %q: status %d, want 403", target, token, resp.StatusCode)
				}
				if !strings.Contains(visibleText(body), "表单已过期或来源无效") || strings.Contains(body, "<script>alert") {
					t.Errorf("POST %s: the refusal is not a page that says so: %.200s", target, body)
				}
				if h.dump() != before {
					t.Error("a refused form changed the database")
				}
			})
			checked++
		}
	}
	fmt.Printf("bad-input catalogue, forms: %d forms, %d forged or missing tokens refused with the database unchanged\n", len(forms), checked)
	return checked
}

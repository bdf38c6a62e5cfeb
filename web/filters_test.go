package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestListFiltersRefuseBadValues goes over every list of the API with a bad
// value for each of its filters: each answers 400 with a field named after
// the query parameter, translated, instead of ignoring the value or
// widening the list. The same lists answer 200 to good values of every
// filter, so the refusals are the values' doing.
func TestListFiltersRefuseBadValues(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	campaign, _ := h.campaignWithProject()
	projects := fmt.Sprintf("/api/v1/campaigns/%d/projects", campaign)
	long := url.QueryEscape(strings.Repeat("长", evaluation.MaxQueryLength+1))

	good := []struct{ as, url string }{
		{"admin", "/api/v1/users?q=staff&role=agency_staff&agency=" + fmt.Sprint(h.agencyA.ID) + "&status=active&sort=-name&page=1&per_page=5"},
		{"staffa", "/api/v1/experts?q=专家&type=domain_expert&region=local&drawable=true&subject=520&year=2026&sort=-load&page=1&per_page=200"},
		{"admin", "/api/v1/audit?action=user.create&object_type=user&page=1&per_page=10"},
		{"staffa", "/api/v1/campaigns?year=2026&state=draft"},
		{"staffa", projects + "?class=applied_technology&q=2024&panel=without&sort=-updated&page=1&per_page=20"},
		{"admin", "/api/v1/rubrics?code=BR&target=basic_research&status=published"},
	}
	for _, tc := range good {
		if resp, body := h.api(tc.as, "GET", tc.url, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200; body %.300s", tc.url, resp.StatusCode, body)
		}
	}

	bad := []struct{ as, url, param string }{
		{"admin", "/api/v1/users?q=" + long, "q"},
		{"admin", "/api/v1/users?role=root", "role"},
		{"admin", "/api/v1/users?agency=AGA", "agency"},
		{"admin", "/api/v1/users?agency=-3", "agency"},
		{"admin", "/api/v1/users?status=gone", "status"},
		{"admin", "/api/v1/users?sort=password_hash", "sort"},
		{"admin", "/api/v1/users?page=0", "page"},
		{"admin", "/api/v1/users?page=two", "page"},
		{"admin", "/api/v1/users?page=99999999999", "page"},
		{"admin", "/api/v1/users?per_page=201", "per_page"},

		{"staffa", "/api/v1/experts?q=" + long, "q"},
		{"staffa", "/api/v1/experts?type=professor", "type"},
		{"staffa", "/api/v1/experts?region=mars", "region"},
		{"staffa", "/api/v1/experts?drawable=yes", "drawable"},
		{"staffa", "/api/v1/experts?subject=52%25", "subject"},
		{"staffa", "/api/v1/experts?year=last", "year"},
		{"staffa", "/api/v1/experts?year=1999", "year"},
		{"staffa", "/api/v1/experts?sort=email", "sort"},
		{"staffa", "/api/v1/experts?page=-1", "page"},
		{"staffa", "/api/v1/experts?per_page=1000", "per_page"},

		{"admin", "/api/v1/audit?action=" + url.QueryEscape("user.login' OR 1=1"), "action"},
		{"admin", "/api/v1/audit?object_type=planet", "object_type"},
		{"admin", "/api/v1/audit?page=1.5", "page"},
		{"admin", "/api/v1/audit?per_page=0", "per_page"},

		{"staffa", "/api/v1/campaigns?year=2026a", "year"},
		{"staffa", "/api/v1/campaigns?year=1900", "year"},
		{"staffa", "/api/v1/campaigns?state=finished", "state"},

		{"staffa", projects + "?q=" + long, "q"},
		{"staffa", projects + "?class=basic", "class"},
		{"staffa", projects + "?panel=none", "panel"},
		{"staffa", projects + "?sort=budget", "sort"},
		{"staffa", projects + "?page=x", "page"},
		{"staffa", projects + "?per_page=-20", "per_page"},

		{"admin", "/api/v1/rubrics?code=" + url.QueryEscape("br; drop"), "code"},
		{"admin", "/api/v1/rubrics?target=everything", "target"},
		{"admin", "/api/v1/rubrics?status=archived", "status"},
	}
	for _, tc := range bad {
		path, _, _ := strings.Cut(tc.url, "?")
		t.Run(path+" "+tc.param, func(t *testing.T) {
			resp, body := h.api(tc.as, "GET", tc.url, "")
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %.300s", resp.StatusCode, body)
			}
			e := apiErr(t, body)
			msg := e.Fields[tc.param]
			if msg == "" || strings.HasPrefix(msg, "error.") || strings.Contains(msg, "<no value>") {
				t.Errorf("fields[%s] = %q, want a translated message; body %s", tc.param, msg, body)
			}
			if len(e.Fields) != 1 {
				t.Errorf("fields %v, want only %s", e.Fields, tc.param)
			}
		})
	}
}

// TestFilterErrorsInCallersLanguage: the parameters are named in the
// fields, every bad one at once (those that do not parse and those the
// domain refuses), with messages in the caller's language.
func TestFilterErrorsInCallersLanguage(t *testing.T) {
	h := newHarness(t)
	target := "/api/v1/users?page=two&role=root&per_page=500"
	for _, tc := range []struct {
		lang string
		want map[string]string
	}{
		{"zh-CN", map[string]string{"page": "页码必须是大于 0 的整数。", "role": "角色无效。", "per_page": "每页行数须在 1 到 200 之间。"}},
		{"en", map[string]string{"page": "Page must be a whole number greater than 0.", "role": "Not a valid role.",
			"per_page": "Rows per page must be between 1 and 200."}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			resp, body := h.api("admin", "GET", target, "", "Accept-Language", tc.lang)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", resp.StatusCode, body)
			}
			got := apiErr(t, body).Fields
			for param, want := range tc.want {
				if got[param] != want {
					t.Errorf("fields[%s] = %q, want %q", param, got[param], want)
				}
			}
			if len(got) != len(tc.want) {
				t.Errorf("fields %v, want %d of them", got, len(tc.want))
			}
		})
	}
}

// TestListPagesRefuseBadFilters: the UI's lists show a bad filter as they
// show other errors, on the error page with status 400, saying what is
// wrong in the user's language without the parameter's name.
func TestListPagesRefuseBadFilters(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	campaign, _ := h.campaignWithProject()
	admin, staff := h.browser(), h.browser()
	admin.login("admin")
	staff.login("staffa")
	for _, tc := range []struct {
		b          *browser
		url, param string
		message    string
	}{
		{admin, "/users?role=root", "role", "角色无效。"},
		{admin, "/users?agency=AGA", "agency", "管理机构必须是大于 0 的整数。"},
		{admin, "/audit?object_type=planet", "object_type", "对象类型无效。"},
		{staff, "/experts?page=0", "page", "页码必须是大于 0 的整数。"},
		{staff, "/campaigns?state=finished", "state", "评价批次状态无效。"},
		{staff, fmt.Sprintf("/campaigns/%d?class=basic", campaign), "class", "项目类别须为基础研究类或应用技术类。"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			resp, body := tc.b.get(tc.url)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			for _, want := range []string{`id="error-page"`, "<li>" + tc.message + "</li>"} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q; page: %.1500s", want, body)
				}
			}
			// The page names the problem in words, not the parameter.
			if strings.Contains(body, "<li>"+tc.param+":") {
				t.Errorf("the page shows the parameter's name %q", tc.param)
			}
		})
	}
}

// TestAuditObjectTypesListed: every object type the services write to the
// audit log is in evaluation.AuditObjectTypes, which the audit filter
// accepts and its page offers.
func TestAuditObjectTypesListed(t *testing.T) {
	written := regexp.MustCompile(`ObjectType:\s*"([a-z_]+)"`)
	found := 0
	for _, src := range goSources(t, "../evaluation/*.go") {
		for _, m := range written.FindAllStringSubmatch(src.Text, -1) {
			found++
			if !slices.Contains(evaluation.AuditObjectTypes, m[1]) {
				t.Errorf("%s writes object type %q, which AuditObjectTypes lacks", src.Path, m[1])
			}
		}
	}
	if found < 10 {
		t.Fatalf("found only %d object types written; the scan is broken", found)
	}
}

// TestOpenAPIFiltersFollowTheDomain: the filters' values documented in
// openapi.json are the domain's lists.
func TestOpenAPIFiltersFollowTheDomain(t *testing.T) {
	h := newHarness(t)
	_, body := h.api("", http.MethodGet, "/api/v1/openapi.json", "")
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name, In string
				Schema   struct{ Enum []string }
			}
		}
	}
	if err := jsonUnmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	sorts := func(keys []string) []string {
		var out []string
		for _, k := range keys {
			out = append(out, k, "-"+k)
		}
		return out
	}
	for _, tc := range []struct {
		path, param string
		want        []string
	}{
		{"/api/v1/users", "sort", sorts(evaluation.UserSorts)},
		{"/api/v1/experts", "sort", sorts(evaluation.ExpertSorts)},
		{"/api/v1/campaigns/{id}/projects", "sort", sorts(evaluation.ProjectSorts)},
		{"/api/v1/campaigns/{id}/projects", "class", toStrings(evaluation.ProjectClasses)},
		{"/api/v1/campaigns", "state", toStrings(evaluation.CampaignStates)},
		{"/api/v1/audit", "object_type", evaluation.AuditObjectTypes},
		{"/api/v1/rubrics", "status", toStrings(evaluation.RubricStatuses)},
		{"/api/v1/outbox", "sort", sorts(evaluation.OutboxSorts)},
		{"/api/v1/outbox", "status", toStrings(evaluation.MessageStatuses)},
	} {
		var got []string
		found := false
		for _, p := range doc.Paths[tc.path]["get"].Parameters {
			if p.In == "query" && p.Name == tc.param {
				got, found = p.Schema.Enum, true
			}
		}
		if !found {
			t.Errorf("GET %s: parameter %s is not documented", tc.path, tc.param)
			continue
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(tc.want))) {
			t.Errorf("GET %s: %s documents %v, want the domain's %v", tc.path, tc.param, got, tc.want)
		}
	}
}

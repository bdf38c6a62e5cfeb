package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestAPIScenarios: who may do what through the API, including tenant
// isolation (another agency's objects are not found) and role refusals.
//
// Each case passes alone and in any order: the reads share one harness and
// must leave its database as they found it, which is checked; a case that
// changes the database runs on a harness of its own, after the requests it
// needs (given).
func TestAPIScenarios(t *testing.T) {
	h := newHarness(t)
	a, b := h.agencyA.ID, h.agencyB.ID
	reads := []scenario{
		{"me as expert", "expert", "GET", "/api/v1/me", "", 200, "", nil, []string{`"username":"expert"`, `"role":"expert"`}, []string{"password"}},
		{"me as staff shows agency", "staffa", "GET", "/api/v1/me", "", 200, "", nil, []string{`"agency":"AGA"`, `"role":"agency_staff"`}, nil},
		{"admin lists users", "admin", "GET", "/api/v1/users?sort=-username&per_page=2", "", 200, "", nil, []string{`"total":5`, `"per_page":2`, `"username":"staffb"`}, []string{"password_hash", "$argon2id"}},
		{"admin filters users by role", "admin", "GET", "/api/v1/users?role=agency_staff", "", 200, "", nil, []string{`"total":2`}, nil},
		{"admin searches users", "admin", "GET", "/api/v1/users?q=STAFF%20A", "", 200, "", nil, []string{`"total":1`, `"username":"staffa"`}, nil},
		{"staff cannot list users", "staffa", "GET", "/api/v1/users", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"commission cannot list users", "commission", "GET", "/api/v1/users", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"expert cannot read a user", "expert", "GET", "/api/v1/users/{staffb}", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"admin reads a user", "admin", "GET", "/api/v1/users/{staffb}", "", 200, "", nil, []string{`"username":"staffb"`}, nil},
		{"admin reads a missing user", "admin", "GET", "/api/v1/users/9999", "", 404, evaluation.NotFound, nil, nil, nil},
		{"non-numeric id is not found", "admin", "GET", "/api/v1/users/abc", "", 404, evaluation.NotFound, nil, nil, nil},
		{"commission lists all agencies", "commission", "GET", "/api/v1/agencies", "", 200, "", nil, []string{`"code":"AGA"`, `"code":"AGB"`}, nil},
		{"staff A lists only agency A", "staffa", "GET", "/api/v1/agencies", "", 200, "", nil, []string{`"code":"AGA"`, `"total":1`}, []string{`"AGB"`}},
		{"staff A reads agency A", "staffa", "GET", "/api/v1/agencies/{AGA}", "", 200, "", nil, []string{`"code":"AGA"`}, nil},
		{"staff A gets 404 for agency B", "staffa", "GET", "/api/v1/agencies/{AGB}", "", 404, evaluation.NotFound, nil, nil, []string{"AGB"}},
		{"staff B gets 404 for agency A", "staffb", "GET", "/api/v1/agencies/{AGA}", "", 404, evaluation.NotFound, nil, nil, []string{"AGA"}},
		{"expert cannot list agencies", "expert", "GET", "/api/v1/agencies", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"staff cannot create agencies", "staffa", "POST", "/api/v1/agencies", `{"code":"AGC","name_zh":"丙","name_en":"C"}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"duplicate agency code conflicts", "admin", "POST", "/api/v1/agencies", `{"code":"AGA","name_zh":"甲","name_en":"A"}`, 409, evaluation.Conflict, []string{"code"}, nil, nil},
		{"staff reads the pool", "staffa", "GET", "/api/v1/experts?q=%E5%BC%A0", "", 200, "", nil, []string{`"total":1`, "张专家"}, nil},
		{"expert cannot read the pool", "expert", "GET", "/api/v1/experts", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"audit for staff is their agency's", "staffa", "GET", "/api/v1/audit", "", 200, "", nil, []string{`"agency_id":` + fmt.Sprint(a)}, []string{`"agency_id":` + fmt.Sprint(b) + `,`}},
		{"expert cannot read the audit log", "expert", "GET", "/api/v1/audit", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"admin cannot demote themself", "admin", "PATCH", "/api/v1/users/{admin}", `{"role":"expert"}`, 400, evaluation.Invalid, []string{"role"}, nil, nil},
		{"wrong current password", "expert", "POST", "/api/v1/me/password", `{"current_password":"nope nope nope","password":"brand new password"}`, 400, evaluation.Invalid, []string{"current_password"}, nil, nil},
		{"list own tokens", "staffa", "GET", "/api/v1/tokens", "", 200, "", nil, []string{`"name":"test"`, `"prefix":"ep_`}, []string{"hash"}},
		{"admin lists a user's tokens", "admin", "GET", "/api/v1/users/{expert}/tokens", "", 200, "", nil, []string{`"total":1`}, nil},
		{"cannot revoke another's token", "staffa", "DELETE", "/api/v1/tokens/1", "", 404, evaluation.NotFound, nil, nil, nil},
	}
	disableB := scenario{"admin disables agency B", "admin", "PATCH", "/api/v1/agencies/{AGB}", `{"disabled":true}`, 200, "", nil, []string{`"disabled":true`}, nil}
	createWang := scenario{"admin creates a staff user", "admin", "POST", "/api/v1/users", `{"username":"Wang.Fang","name":"王芳","role":"agency_staff","agency":"AGA","password":"a long enough pw"}`, 201, "", nil,
		[]string{`"username":"wang.fang"`, `"agency":"AGA"`}, []string{"password"}}
	writes := []struct {
		given []scenario
		scenario
	}{
		{nil, scenario{"admin creates an agency", "admin", "POST", "/api/v1/agencies", `{"code":"agc","name_zh":"丙机构","name_en":"Agency C"}`, 201, "", nil, []string{`"code":"AGC"`}, nil}},
		{nil, disableB},
		{[]scenario{disableB}, scenario{"staff of a disabled agency are signed out", "staffb", "GET", "/api/v1/me", "", 401, evaluation.Unauthenticated, nil, nil, nil}},
		{nil, createWang},
		{[]scenario{createWang}, scenario{"duplicate username conflicts", "admin", "POST", "/api/v1/users", `{"username":"wang.fang","name":"x","role":"expert","password":"a long enough pw"}`, 409, evaluation.Conflict, []string{"username"}, nil, nil}},
		{nil, scenario{"admin changes a user's role", "admin", "PATCH", "/api/v1/users/{commission}", `{"role":"agency_staff","agency":"AGA"}`, 200, "", nil, []string{`"role":"agency_staff"`, `"agency":"AGA"`}, nil}},
		{nil, scenario{"admin sets a user's e-mail", "admin", "PATCH", "/api/v1/users/{commission}", `{"email":" office@kw.sh.gov.cn "}`, 200, "", nil, []string{`"email":"office@kw.sh.gov.cn"`}, nil}},
		{nil, scenario{"admin resets a password", "admin", "POST", "/api/v1/users/{expert}/password", `{"password":"another long one"}`, 204, "", nil, nil, nil}},
		{nil, scenario{"user changes language", "expert", "PATCH", "/api/v1/me", `{"language":"en"}`, 200, "", nil, []string{`"language":"en"`}, nil}},
		{nil, scenario{"change own password", "staffa", "POST", "/api/v1/me/password", `{"current_password":"` + testPassword + `","password":"brand new password"}`, 204, "", nil, nil, nil}},
	}

	h.warmTokens()
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, tc)
			if h.dump() != before {
				t.Errorf("the request changed the database; it belongs with the writes")
			}
		})
	}
	for _, tc := range writes {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			for _, g := range tc.given {
				h.run(t, g)
			}
			h.warmTokens()
			before := h.dump()
			h.run(t, tc.scenario)
			if tc.status >= 400 && h.dump() != before {
				t.Errorf("a refused request changed the database")
			}
		})
	}
}

// TestUIScenarios: the same rules in the HTML pages.
func TestUIScenarios(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, as, url string
		status        int
		contains      []string
	}{
		{"admin dashboard", "admin", "/", 200, []string{`id="stats"`, "系统管理员"}},
		{"commission dashboard", "commission", "/", 200, []string{`id="stats"`, "市科委"}},
		{"staff dashboard", "staffa", "/", 200, []string{`id="agency-card"`, "甲机构"}},
		{"expert dashboard", "expert", "/", 200, []string{`id="expert-card"`, "技术领域专家", "某大学"}},
		{"admin users page", "admin", "/users?sort=-name", 200, []string{`id="users-table"`, "staffa", "▼"}},
		{"admin new-user page", "admin", "/users/new", 200, []string{`id="user-form"`}},
		{"staff cannot open users", "staffa", "/users", 403, []string{"您没有执行此操作的权限"}},
		{"expert cannot open experts", "expert", "/experts", 403, nil},
		{"staff opens own agency", "staffa", idPath("/agencies/%d", h.agencyA.ID), 200, []string{"甲机构"}},
		{"staff gets 404 for agency B", "staffa", idPath("/agencies/%d", h.agencyB.ID), 404, nil},
		{"staff cannot open the new-agency page", "staffa", "/agencies/new", 403, nil},
		{"profile", "expert", "/profile", 200, []string{`id="tokens"`, "评审专家"}},
		{"audit for commission", "commission", "/audit", 200, []string{`id="audit-table"`, `data-action="user.create"`, "新建用户"}},
		{"unknown page", "admin", "/no/such/page", 404, []string{"找不到"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			br := h.browser()
			br.login(tc.as)
			resp, body := br.get(tc.url)
			if resp.StatusCode != tc.status {
				t.Fatalf("GET %s as %s: status %d, want %d", tc.url, tc.as, resp.StatusCode, tc.status)
			}
			for _, s := range tc.contains {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
}

// TestAdminManagesUsersInUI creates a user through the form, sees a field
// error in the chosen language, then disables the user, whose session ends.
func TestAdminManagesUsersInUI(t *testing.T) {
	h := newHarness(t)
	admin := h.browser()
	admin.login("admin")

	resp, body := admin.post("/users", formOf("username", "x", "name", "", "role", "expert", "password", "short"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad form: status %d", resp.StatusCode)
	}
	for _, want := range []string{`id="e-username"`, `id="e-name"`, `id="e-password"`, "用户名"} {
		if !strings.Contains(body, want) {
			t.Errorf("bad form page lacks %q", want)
		}
	}
	admin.post("/lang", formOf("lang", "en", "next", "/users/new"))
	_, body = admin.post("/users", formOf("username", "x", "name", "", "role", "expert", "password", "short"))
	if !strings.Contains(body, "Username must be at least 3 characters") {
		t.Errorf("English form error missing; page: %.2000s", body)
	}

	resp, _ = admin.post("/users", formOf("username", "li.na", "name", "李娜", "role", "agency_staff", "agency", "AGA",
		"language", "zh-CN", "password", "a fine long password"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	_, body = admin.get(loc)
	if !strings.Contains(body, "李娜") || !strings.Contains(body, "The user has been created.") {
		t.Errorf("user page after create lacks the name or the flash")
	}

	lina := h.browser()
	b0 := lina
	b0.get("/login")
	resp, _ = b0.post("/login", formOf("username", "li.na", "password", "a fine long password"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("li.na login: status %d", resp.StatusCode)
	}
	if resp, _ := lina.get("/"); resp.StatusCode != 200 {
		t.Fatalf("li.na dashboard: %d", resp.StatusCode)
	}
	admin.get(loc)
	if resp, _ := admin.post(loc+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: status %d", resp.StatusCode)
	}
	resp, _ = lina.get("/")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("disabled user's next request: status %d, Location %q; want redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func formOf(kv ...string) map[string][]string {
	f := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = []string{kv[i+1]}
	}
	return f
}

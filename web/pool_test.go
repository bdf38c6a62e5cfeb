package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// poolFixture adds to the harness a second expert with an account-less
// profile, a conflict the commission recorded about the harness's expert,
// one the expert declared, and records on the other expert.
type poolFixture struct {
	other         *evaluation.Expert
	recorded      *evaluation.ExpertConflict // by the commission, about h.expertID
	declared      *evaluation.ExpertConflict // by the expert, about themself
	otherConflict *evaluation.ExpertConflict // about other
	otherCollab   *evaluation.ExpertCollaboration
	ownCollab     *evaluation.ExpertCollaboration
}

func newPoolFixture(t *testing.T, h *harness) *poolFixture {
	t.Helper()
	ctx := context.Background()
	f := &poolFixture{other: &evaluation.Expert{Name: "Anna Berg", Type: evaluation.InternationalPeer, Institution: "KTH",
		TitleLevel: evaluation.TitleAssociate, Region: evaluation.RegionInternational, SubjectCodes: []string{"520.60"},
		Languages: []string{"en"}, CanBeDrawn: false, NoDrawReason: "on sabbatical"}}
	commission, expert := h.users["commission"].Actor(), h.users["expert"].Actor()
	steps := []error{
		h.svc.Pool.CreateExpert(ctx, evaluation.System, f.other),
		h.svc.Pool.AddExpertConflict(ctx, commission, h.expertID, set(&f.recorded, &evaluation.ExpertConflict{Institution: "复旦大学", Year: 2024, Note: "兼职教授"})),
		h.svc.Pool.AddExpertConflict(ctx, expert, h.expertID, set(&f.declared, &evaluation.ExpertConflict{Person: "王伟", Year: 2023})),
		h.svc.Pool.AddExpertConflict(ctx, commission, f.other.ID, set(&f.otherConflict, &evaluation.ExpertConflict{Person: "Lars Nilsson", Year: 2024})),
		h.svc.Pool.AddCollaboration(ctx, commission, f.other.ID, set(&f.otherCollab, &evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "Lars Nilsson", Year: 2024})),
		h.svc.Pool.AddCollaboration(ctx, commission, h.expertID, set(&f.ownCollab, &evaluation.ExpertCollaboration{Kind: evaluation.JointProject, Institution: "同济大学", Year: 2022})),
	}
	for i, err := range steps {
		if err != nil {
			t.Fatalf("fixture step %d: %v", i, err)
		}
	}
	if _, err := h.svc.Pool.AddInstitutionAlias(ctx, evaluation.System, "上海交大", "上海交通大学"); err != nil {
		t.Fatal(err)
	}
	return f
}

// ids returns the IDs of the fixture's rows.
func (f *poolFixture) ids() []int64 {
	return []int64{f.other.ID, f.recorded.ID, f.declared.ID, f.otherConflict.ID, f.otherCollab.ID, f.ownCollab.ID}
}

func set[T any](dst **T, v *T) *T {
	*dst = v
	return v
}

// TestPoolAPIScenarios: the expert pool, declared conflicts,
// collaborations and institution aliases through the API.
//
// Each case passes alone and in any order, as in TestAPIScenarios: the
// reads share one harness with the pool fixture and must leave its
// database as they found it; a case that changes the database runs on a
// harness and fixture of its own, after the requests it needs, and checks
// the audit entries it adds.
func TestPoolAPIScenarios(t *testing.T) {
	h := newHarness(t)
	f := newPoolFixture(t, h)
	own, other := h.expertID, f.other.ID
	ownConflicts, otherConflicts := idPath("/api/v1/experts/%d/conflicts", own), idPath("/api/v1/experts/%d/conflicts", other)
	newExpert := `{"name":"刘洋","type":"finance_expert","institution":"立信会计师事务所","title_level":"senior","region":"local",` +
		`"subject_codes":["790.50"],"keywords":["审计"],"languages":["zh"],"email":"liu@example.com"}`
	reads := []scenario{
		// The list.
		{"staff lists the pool with loads", "staffa", "GET", "/api/v1/experts", "", 200, "", nil, []string{`"total":2`, `"load":0`, `"load_year":`, "张专家", "Anna Berg"}, nil},
		{"filter by region", "commission", "GET", "/api/v1/experts?region=international", "", 200, "", nil, []string{`"total":1`, "Anna Berg"}, []string{"张专家"}},
		{"filter not drawable", "admin", "GET", "/api/v1/experts?drawable=false", "", 200, "", nil, []string{`"total":1`, `"no_draw_reason":"on sabbatical"`}, nil},
		{"filter by subject prefix", "admin", "GET", "/api/v1/experts?subject=520", "", 200, "", nil, []string{`"total":1`, "Anna Berg"}, nil},
		{"filter by type and text", "admin", "GET", "/api/v1/experts?type=domain_expert&q=%E5%BC%A0", "", 200, "", nil, []string{`"total":1`, "张专家"}, nil},
		{"a year's load", "admin", "GET", "/api/v1/experts?year=2024&sort=-load", "", 200, "", nil, []string{`"load_year":2024`}, nil},
		{"bad drawable filter", "admin", "GET", "/api/v1/experts?drawable=maybe", "", 400, evaluation.Invalid, []string{"drawable"}, nil, nil},
		{"bad sort", "admin", "GET", "/api/v1/experts?sort=password_hash", "", 400, evaluation.Invalid, []string{"sort"}, nil, nil},
		{"bad subject", "admin", "GET", "/api/v1/experts?subject=%25", "", 400, evaluation.Invalid, []string{"subject"}, nil, nil},
		{"bad year", "admin", "GET", "/api/v1/experts?year=twenty", "", 400, evaluation.Invalid, []string{"year"}, nil, nil},
		{"experts cannot list the pool", "expert", "GET", "/api/v1/experts", "", 403, evaluation.Forbidden, nil, nil, nil},

		// Profiles.
		{"expert reads own profile", "expert", "GET", idPath("/api/v1/experts/%d", own), "", 200, "", nil, []string{"张专家", `"loads":[{"year":`}, nil},
		{"expert cannot read another's profile", "expert", "GET", idPath("/api/v1/experts/%d", other), "", 404, evaluation.NotFound, nil, nil, []string{"Anna"}},
		{"staff reads a profile", "staffb", "GET", idPath("/api/v1/experts/%d", other), "", 200, "", nil, []string{"Anna Berg", `"can_be_drawn":false`}, nil},
		{"missing profile", "admin", "GET", "/api/v1/experts/9999", "", 404, evaluation.NotFound, nil, nil, nil},
		{"staff cannot add experts", "staffa", "POST", "/api/v1/experts", newExpert, 403, evaluation.Forbidden, nil, nil, nil},
		{"experts cannot add experts", "expert", "POST", "/api/v1/experts", newExpert, 403, evaluation.Forbidden, nil, nil, nil},
		{"staff cannot edit", "staffa", "PATCH", idPath("/api/v1/experts/%d", own), `{"title":"x"}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"experts cannot edit their own profile", "expert", "PATCH", idPath("/api/v1/experts/%d", own), `{"title":"x"}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"staff cannot flag", "staffa", "POST", idPath("/api/v1/experts/%d/flag", other), `{"can_be_drawn":false,"no_draw_reason":"x"}`, 403, evaluation.Forbidden, nil, nil, nil},

		// Declared conflicts.
		{"expert reads own declarations", "expert", "GET", ownConflicts, "", 200, "", nil, []string{`"total":2`, "复旦大学", "王伟", `"created_by_name":"commission"`}, nil},
		{"expert gets 404 for another's declarations", "expert", "GET", otherConflicts, "", 404, evaluation.NotFound, nil, nil, []string{"Lars"}},
		{"staff read declarations", "staffa", "GET", otherConflicts, "", 200, "", nil, []string{"Lars Nilsson"}, nil},
		{"expert cannot declare for another", "expert", "POST", otherConflicts, `{"person":"x","year":2024}`, 404, evaluation.NotFound, nil, nil, nil},
		{"staff cannot declare", "staffa", "POST", ownConflicts, `{"person":"x","year":2024}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"expert cannot remove another's record", "expert", "DELETE", fmt.Sprintf("%s/%d", otherConflicts, f.otherConflict.ID), "", 404, evaluation.NotFound, nil, nil, nil},
		{"another's record is not reachable through one's own id", "expert", "DELETE", fmt.Sprintf("%s/%d", ownConflicts, f.otherConflict.ID), "", 404, evaluation.NotFound, nil, nil, nil},
		{"expert cannot remove what the commission recorded", "expert", "DELETE", fmt.Sprintf("%s/%d", ownConflicts, f.recorded.ID), "", 403, evaluation.Forbidden, nil, nil, nil},

		// Collaborations.
		{"expert reads own collaborations", "expert", "GET", idPath("/api/v1/experts/%d/collaborations", own), "", 200, "", nil, []string{"joint_project", "同济大学"}, nil},
		{"expert gets 404 for another's collaborations", "expert", "GET", idPath("/api/v1/experts/%d/collaborations", other), "", 404, evaluation.NotFound, nil, nil, nil},
		{"expert cannot record collaborations", "expert", "POST", idPath("/api/v1/experts/%d/collaborations", own), `{"kind":"joint_paper","person":"x","year":2024}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"staff cannot remove a collaboration", "staffa", "DELETE", idPath("/api/v1/experts/%d/collaborations/", other) + fmt.Sprint(f.otherCollab.ID), "", 403, evaluation.Forbidden, nil, nil, nil},

		// Institution aliases.
		{"admin lists aliases", "admin", "GET", "/api/v1/institution-aliases", "", 200, "", nil, []string{`"alias":"上海交大"`, `"canonical":"上海交通大学"`}, nil},
		{"commission cannot list aliases", "commission", "GET", "/api/v1/institution-aliases", "", 403, evaluation.Forbidden, nil, nil, nil},
		{"staff cannot add aliases", "staffa", "POST", "/api/v1/institution-aliases", `{"alias":"复旦","canonical":"复旦大学"}`, 403, evaluation.Forbidden, nil, nil, nil},
		{"duplicate alias", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"上海 交大","canonical":"别的"}`, 409, evaluation.Conflict, []string{"alias"}, nil, nil},
	}
	editProfile := scenario{"commission edits a profile", "commission", "PATCH", idPath("/api/v1/experts/%d", other), `{"title":"Professor","keywords":["quantum","optics"]}`, 200, "", nil,
		[]string{`"title":"Professor"`, `"keywords":["quantum","optics"]`, `"institution":"KTH"`}, nil}
	removeRecorded := scenario{"admin removes the commission's record", "admin", "DELETE", fmt.Sprintf("%s/%d", ownConflicts, f.recorded.ID), "", 204, "", nil, nil, nil}
	removeAlias := scenario{"admin removes an alias by its encoded name", "admin", "DELETE", "/api/v1/institution-aliases/" + url.PathEscape("上海交大"), "", 204, "", nil, nil, nil}
	writes := []writeScenario{
		{nil, scenario{"commission adds an expert", "commission", "POST", "/api/v1/experts", newExpert, 201, "", nil, []string{`"name":"刘洋"`, `"can_be_drawn":true`, `"subject_codes":["790.50"]`}, nil},
			[]string{"expert.create"}},
		{nil, scenario{"admin adds one out of draws", "admin", "POST", "/api/v1/experts", strings.Replace(newExpert, `"email"`, `"can_be_drawn":false,"no_draw_reason":"退休","email"`, 1), 201, "", nil,
			[]string{`"can_be_drawn":false`, `"no_draw_reason":"退休"`}, nil}, []string{"expert.create"}},
		{nil, editProfile, []string{"expert.update"}},
		// The other expert has no email: clearing it changes nothing, and
		// audits nothing.
		{[]scenario{editProfile}, scenario{"an email can be cleared", "admin", "PATCH", idPath("/api/v1/experts/%d", other), `{"email":""}`, 200, "", nil, []string{`"title":"Professor"`}, []string{`"email"`}}, nil},
		{nil, scenario{"admin puts an expert back into draws", "admin", "POST", idPath("/api/v1/experts/%d/flag", other), `{"can_be_drawn":true,"no_draw_reason":"back from sabbatical"}`, 200, "", nil,
			[]string{`"can_be_drawn":true`}, []string{"no_draw_reason"}}, []string{"expert.flag"}},
		{nil, scenario{"expert declares a conflict", "expert", "POST", ownConflicts, `{"institution":"同济大学","year":2024,"note":"合作单位"}`, 201, "", nil,
			[]string{`"institution":"同济大学"`, `"created_by_name":"Expert"`}, nil}, []string{"expert.conflict_add"}},
		{nil, scenario{"expert removes own declaration", "expert", "DELETE", fmt.Sprintf("%s/%d", ownConflicts, f.declared.ID), "", 204, "", nil, nil, nil}, []string{"expert.conflict_remove"}},
		{nil, removeRecorded, []string{"expert.conflict_remove"}},
		{[]scenario{removeRecorded}, scenario{"removed twice", "admin", "DELETE", fmt.Sprintf("%s/%d", ownConflicts, f.recorded.ID), "", 404, evaluation.NotFound, nil, nil, nil}, nil},
		{nil, scenario{"commission records a collaboration", "commission", "POST", idPath("/api/v1/experts/%d/collaborations", other), `{"kind":"joint_patent","institution":"Ericsson AB","year":2023}`, 201, "", nil,
			[]string{`"kind":"joint_patent"`}, nil}, []string{"expert.collaboration_add"}},
		{nil, scenario{"admin removes a collaboration", "admin", "DELETE", idPath("/api/v1/experts/%d/collaborations/", other) + fmt.Sprint(f.otherCollab.ID), "", 204, "", nil, nil, nil},
			[]string{"expert.collaboration_remove"}},
		{nil, scenario{"admin adds an alias, normalised", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"Fudan Univ.","canonical":"复旦大学"}`, 201, "", nil, []string{`"alias":"fudanuniv"`}, nil},
			[]string{"institution_alias.add"}},
		{nil, removeAlias, []string{"institution_alias.remove"}},
		{[]scenario{removeAlias}, scenario{"removed alias", "admin", "DELETE", "/api/v1/institution-aliases/" + url.PathEscape("上海交大"), "", 404, evaluation.NotFound, nil, nil, nil}, nil},
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
			// The URLs hold the shared fixture's IDs; a fresh one gets
			// the same.
			if g := newPoolFixture(t, h); h.expertID != own || !slices.Equal(g.ids(), f.ids()) {
				t.Fatalf("fixture IDs %d %v, want %d %v", h.expertID, g.ids(), own, f.ids())
			}
			h.runWrite(t, tc)
		})
	}
}

// TestPoolBadInputChangesNothing: malformed, mistyped, unknown, missing and
// out-of-range input to every pool endpoint that writes gets a 4xx in the
// error format, naming the field, and the database stays byte-for-byte
// the same.
func TestPoolBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	f := newPoolFixture(t, h)
	experts, own := "/api/v1/experts", idPath("/api/v1/experts/%d", h.expertID)
	good := func(extra string) string {
		return `{"name":"刘洋","type":"finance_expert","institution":"立信","title_level":"senior","region":"local"` + extra + `}`
	}
	codes := `["` + strings.Repeat(`520.20","`, 10) + `520.20"]`
	cases := []struct {
		name, as, method, url, body string
		status                      int
		code                        evaluation.Code
		field                       string // a field the error must name, if any
	}{
		{"create: malformed", "admin", "POST", experts, `{"name":`, 400, evaluation.Invalid, ""},
		{"create: empty body", "admin", "POST", experts, ``, 400, evaluation.Invalid, ""},
		{"create: missing fields", "admin", "POST", experts, `{}`, 400, evaluation.Invalid, "name"},
		{"create: unknown field", "admin", "POST", experts, good(`,"load":3`), 400, evaluation.Invalid, "load"},
		{"create: list as text", "admin", "POST", experts, good(`,"subject_codes":"520.20"`), 400, evaluation.Invalid, "subject_codes"},
		{"create: flag as text", "admin", "POST", experts, good(`,"can_be_drawn":"no"`), 400, evaluation.Invalid, "can_be_drawn"},
		{"create: bad type", "admin", "POST", experts, strings.Replace(good(""), "finance_expert", "accountant", 1), 400, evaluation.Invalid, "type"},
		{"create: bad region", "admin", "POST", experts, strings.Replace(good(""), `"local"`, `"mars"`, 1), 400, evaluation.Invalid, "region"},
		{"create: malformed subject code", "admin", "POST", experts, good(`,"subject_codes":["520.2"]`), 400, evaluation.Invalid, "subject_codes.0"},
		{"create: too many subject codes", "admin", "POST", experts, good(`,"subject_codes":` + codes), 400, evaluation.Invalid, "subject_codes"},
		{"create: bad language", "admin", "POST", experts, good(`,"languages":["中文"]`), 400, evaluation.Invalid, "languages.0"},
		{"create: bad email", "admin", "POST", experts, good(`,"email":"liu at example"`), 400, evaluation.Invalid, "email"},
		{"create: out of draws without reason", "admin", "POST", experts, good(`,"can_be_drawn":false`), 400, evaluation.Invalid, "no_draw_reason"},
		{"create: oversized name", "admin", "POST", experts, strings.Replace(good(""), "刘洋", strings.Repeat("刘", 65), 1), 400, evaluation.Invalid, "name"},
		{"create: repeated field", "admin", "POST", experts, good(`,"name":"x"`), 400, evaluation.Invalid, "name"},
		{"create: form instead of JSON", "admin", "POST", experts, "name=x", 400, evaluation.Invalid, ""},
		{"patch: the flag is not a profile field", "admin", "PATCH", own, `{"can_be_drawn":false}`, 400, evaluation.Invalid, "can_be_drawn"},
		{"patch: empty name", "admin", "PATCH", own, `{"name":""}`, 400, evaluation.Invalid, "name"},
		{"patch: bad region", "admin", "PATCH", own, `{"region":"moon"}`, 400, evaluation.Invalid, "region"},
		{"patch: malformed code among good ones", "admin", "PATCH", own, `{"subject_codes":["520.20","abc"]}`, 400, evaluation.Invalid, "subject_codes.1"},
		{"patch: title as a number", "admin", "PATCH", own, `{"title":5}`, 400, evaluation.Invalid, "title"},
		{"patch: bad email", "admin", "PATCH", own, `{"email":"wang@"}`, 400, evaluation.Invalid, "email"},
		{"patch: long keyword", "admin", "PATCH", own, `{"keywords":["` + strings.Repeat("词", 33) + `"]}`, 400, evaluation.Invalid, "keywords[0]"},
		{"patch: missing expert", "admin", "PATCH", "/api/v1/experts/9999", `{"title":"x"}`, 404, evaluation.NotFound, ""},
		{"flag: missing flag", "admin", "POST", own + "/flag", `{"no_draw_reason":"x"}`, 400, evaluation.Invalid, "can_be_drawn"},
		{"flag: off without reason", "admin", "POST", own + "/flag", `{"can_be_drawn":false,"no_draw_reason":"  "}`, 400, evaluation.Invalid, "no_draw_reason"},
		{"flag: oversized reason", "admin", "POST", own + "/flag", `{"can_be_drawn":false,"no_draw_reason":"` + strings.Repeat("因", 501) + `"}`, 400, evaluation.Invalid, "no_draw_reason"},
		{"conflict: names nothing", "expert", "POST", own + "/conflicts", `{"year":2024}`, 400, evaluation.Invalid, "person"},
		{"conflict: no year", "expert", "POST", own + "/conflicts", `{"person":"王伟"}`, 400, evaluation.Invalid, "year"},
		{"conflict: future year", "admin", "POST", own + "/conflicts", `{"person":"王伟","year":2099}`, 400, evaluation.Invalid, "year"},
		{"conflict: unknown project", "admin", "POST", own + "/conflicts", `{"project_id":4242,"year":2024}`, 400, evaluation.Invalid, "project_id"},
		{"conflict: negative project", "admin", "POST", own + "/conflicts", `{"project_id":-1,"year":2024}`, 400, evaluation.Invalid, "project_id"},
		{"conflict: unknown field", "expert", "POST", own + "/conflicts", `{"person":"王伟","year":2024,"created_by":1}`, 400, evaluation.Invalid, "created_by"},
		{"conflict: not own", "expert", "DELETE", fmt.Sprintf("%s/conflicts/%d", own, f.recorded.ID), "", 403, evaluation.Forbidden, ""},
		{"conflict: missing", "admin", "DELETE", own + "/conflicts/9999", "", 404, evaluation.NotFound, ""},
		{"collaboration: bad kind", "admin", "POST", own + "/collaborations", `{"kind":"joint_dinner","person":"x","year":2024}`, 400, evaluation.Invalid, "kind"},
		{"collaboration: names nobody", "admin", "POST", own + "/collaborations", `{"kind":"joint_paper","year":2024}`, 400, evaluation.Invalid, "person"},
		{"collaboration: year as text", "admin", "POST", own + "/collaborations", `{"kind":"joint_paper","person":"x","year":"2024"}`, 400, evaluation.Invalid, "year"},
		{"alias: same as canonical", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"复旦大学","canonical":"复旦 大学"}`, 400, evaluation.Invalid, "alias"},
		{"alias: duplicate", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"上海交大","canonical":"x大学"}`, 409, evaluation.Conflict, "alias"},
		{"alias: punctuation only", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"（）","canonical":"复旦大学"}`, 400, evaluation.Invalid, "alias"},
		{"alias: missing canonical", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"复旦"}`, 400, evaluation.Invalid, "canonical"},
		{"alias: removing a missing one", "admin", "DELETE", "/api/v1/institution-aliases/nothing", "", 404, evaluation.NotFound, ""},
	}
	for as := range h.tokens {
		h.api(as, "GET", "/api/v1/me", "")
	}
	before := h.dump()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if strings.HasPrefix(tc.body, "name=") {
				header = []string{"Content-Type", "application/x-www-form-urlencoded"}
			}
			resp, body := h.api(tc.as, tc.method, tc.url, tc.body, header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.status, body)
			}
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			e := wantError(t, body, tc.code, fields...)
			for field, msg := range e.Fields {
				if strings.HasPrefix(msg, "error.") {
					t.Errorf("field %s has an untranslated message %q", field, msg)
				}
			}
			if after := h.dump(); after != before {
				t.Fatalf("the request changed the database")
			}
		})
	}
}

// TestPoolPages walks the pages as each role: what they see, which forms
// they get, and what the server refuses when a form is posted anyway.
func TestPoolPages(t *testing.T) {
	h := newHarness(t)
	f := newPoolFixture(t, h)
	ownPage, otherPage := idPath("/experts/%d", h.expertID), idPath("/experts/%d", f.other.ID)
	cases := []struct {
		name, as, url string
		status        int
		contains      []string
		absent        []string
	}{
		{"admin list", "admin", "/experts", 200, []string{`id="experts-table"`, `id="new-expert"`, `id="aliases-link"`, "张专家", "Anna Berg", "年评审项目数"}, nil},
		{"commission list has no alias link", "commission", "/experts", 200, []string{`id="new-expert"`}, []string{`id="aliases-link"`}},
		{"staff list is read-only", "staffa", "/experts?sort=-load", 200, []string{`id="experts-table"`, "▼"}, []string{`id="new-expert"`}},
		{"filtered to nothing", "staffa", "/experts?q=nobody", 200, []string{"没有符合条件的专家", `href="/experts"`}, []string{`id="experts-table"`}},
		{"filtered by region and drawable", "admin", "/experts?region=international&drawable=false", 200, []string{"Anna Berg", "暂停抽取"}, []string{"张专家"}},
		{"bad filter", "admin", "/experts?drawable=maybe", 400, nil, nil},
		{"admin detail has every form", "admin", otherPage, 200, []string{`id="edit-expert"`, `id="flag-form"`, `id="conflict-form"`, `id="collaboration-form"`, `id="expert-load"`, "Lars Nilsson", "on sabbatical", `data-confirm=`}, nil},
		{"staff detail is read-only", "staffa", otherPage, 200, []string{"Lars Nilsson", `id="expert-load"`, "合作论文"}, []string{`id="edit-expert"`, `id="flag-form"`, `id="conflict-form"`, `id="collaboration-form"`, "/delete"}},
		{"expert's own page", "expert", ownPage, 200, []string{`id="conflict-form"`, "王伟", "复旦大学", "合作项目", `id="remove-conflict-` + fmt.Sprint(f.declared.ID) + `"`, "我的专家档案"},
			[]string{`id="collaboration-form"`, `id="flag-form"`, `id="edit-expert"`, `id="remove-conflict-` + fmt.Sprint(f.recorded.ID) + `"`, `id="remove-collaboration-`}},
		{"expert gets 404 for another's page", "expert", otherPage, 404, nil, []string{"Anna"}},
		{"expert cannot open the list", "expert", "/experts", 403, nil, nil},
		{"staff cannot open the new-expert form", "staffa", "/experts/new", 403, nil, nil},
		{"commission opens the new-expert form", "commission", "/experts/new", 200, []string{`id="expert-form"`, `name="can_be_drawn"`}, nil},
		{"edit form is filled in", "admin", otherPage + "/edit", 200, []string{`value="Anna Berg"`, `value="520.60"`}, []string{`name="can_be_drawn"`}},
		{"admin opens the aliases", "admin", "/experts/aliases", 200, []string{`id="aliases-table"`, "上海交大", `id="alias-form"`}, nil},
		{"commission cannot open the aliases", "commission", "/experts/aliases", 403, nil, nil},
		{"missing expert", "admin", "/experts/9999", 404, nil, nil},
		{"non-numeric id", "admin", "/experts/abc", 404, nil, nil},
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
			for _, s := range tc.absent {
				if strings.Contains(body, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}

	t.Run("forms posted anyway are refused and change nothing", func(t *testing.T) {
		staff, expert := h.browser(), h.browser()
		staff.login("staffa")
		expert.login("expert")
		staff.get(otherPage)
		expert.get(ownPage)
		before := h.dump()
		for _, tc := range []struct {
			name   string
			br     *browser
			url    string
			form   url.Values
			status int
		}{
			{"staff flags", staff, otherPage + "/flag", formOf("can_be_drawn", "0", "no_draw_reason", "x"), 403},
			{"staff edits", staff, otherPage, formOf("name", "x"), 403},
			{"staff declares", staff, otherPage + "/conflicts", formOf("person", "x", "year", "2024"), 403},
			{"staff removes a collaboration", staff, fmt.Sprintf("%s/collaborations/%d/delete", otherPage, f.otherCollab.ID), nil, 403},
			{"expert declares for another", expert, otherPage + "/conflicts", formOf("person", "x", "year", "2024"), 404},
			{"expert removes another's record", expert, fmt.Sprintf("%s/conflicts/%d/delete", otherPage, f.otherConflict.ID), nil, 404},
			{"expert removes the commission's record", expert, fmt.Sprintf("%s/conflicts/%d/delete", ownPage, f.recorded.ID), nil, 403},
			{"expert records a collaboration", expert, ownPage + "/collaborations", formOf("kind", "joint_paper", "person", "x", "year", "2024"), 403},
			{"expert without a CSRF token", expert, ownPage + "/conflicts", formOf("person", "x", "year", "2024", "_csrf", "forged"), 403},
		} {
			resp, _ := tc.br.post(tc.url, tc.form)
			if resp.StatusCode != tc.status {
				t.Errorf("%s: status %d, want %d", tc.name, resp.StatusCode, tc.status)
			}
		}
		if h.dump() != before {
			t.Fatal("a refused form changed the database")
		}
	})
}

var locationID = regexp.MustCompile(`^/experts/(\d+)`)

// TestAdminManagesAnExpertInUI: create with mistakes then right, edit,
// take out of draws and back, record and remove a conflict and a
// collaboration; every bad submission shows its problems beside the field
// and stores nothing.
func TestAdminManagesAnExpertInUI(t *testing.T) {
	h := newHarness(t)
	admin := h.browser()
	admin.login("admin")
	admin.get("/experts/new")

	before := h.dump()
	resp, body := admin.post("/experts", formOf("name", "", "type", "domain_expert", "institution", "同济大学", "title_level", "senior",
		"region", "local", "subject_codes", "560.20 56", "email", "nope", "can_be_drawn", "0"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad form: status %d", resp.StatusCode)
	}
	// The form's own checks come first: name and email.
	for _, want := range []string{`id="e-name"`, `id="e-email"`, `value="560.20 56"`} {
		if !strings.Contains(body, want) {
			t.Errorf("bad form page lacks %q", want)
		}
	}
	// The validator passes the form; the domain rules refuse it.
	resp, body = admin.post("/experts", formOf("name", "王建国", "type", "domain_expert", "institution", "同济大学", "title_level", "senior",
		"region", "local", "subject_codes", "560.20，56", "can_be_drawn", "0"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-subject_codes"`) || !strings.Contains(body, `id="e-no_draw_reason"`) {
		t.Fatalf("domain-refused form: status %d", resp.StatusCode)
	}
	if h.dump() != before {
		t.Fatal("a refused form changed the database")
	}

	resp, _ = admin.post("/experts", formOf("name", "王建国", "type", "domain_expert", "institution", "同济大学", "title", "教授",
		"title_level", "senior", "region", "local", "subject_codes", "560.20, 610.30", "keywords", "智能交通，结构健康监测、 smart city",
		"languages", "zh en", "email", "wang@example.edu.cn", "can_be_drawn", "1"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	m := locationID.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %q", loc)
	}
	_, body = admin.get(loc)
	for _, want := range []string{"王建国", "专家已加入专家库", "610.30", "smart city", "结构健康监测", "暂无回避申明"} {
		if !strings.Contains(body, want) {
			t.Errorf("new expert's page lacks %q", want)
		}
	}

	_, body = admin.get(loc + "/edit")
	resp, _ = admin.post(loc, formOf("name", "王建国", "type", "strategic_scientist", "institution", "同济大学", "title", "院士",
		"title_level", "senior", "region", "local", "subject_codes", "560.20", "keywords", "智能交通", "languages", "zh"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: status %d", resp.StatusCode)
	}
	_, body = admin.get(loc)
	if !strings.Contains(body, "战略科学家") || strings.Contains(body, "610.30") {
		t.Error("the edit did not show")
	}

	// Out of draws: the reason is required, then shown.
	resp, body = admin.post(loc+"/flag", formOf("can_be_drawn", "0", "no_draw_reason", " "))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="flag-e-no_draw_reason"`) {
		t.Fatalf("flag without reason: status %d", resp.StatusCode)
	}
	admin.get(loc)
	resp, _ = admin.post(loc+"/flag", formOf("can_be_drawn", "0", "no_draw_reason", "赴外地挂职一年"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("flag: status %d", resp.StatusCode)
	}
	_, body = admin.get(loc)
	if !strings.Contains(body, "已暂停抽取") || !strings.Contains(body, "赴外地挂职一年") || !strings.Contains(body, `id="resume-drawing"`) {
		t.Error("the page does not show the expert out of draws with the reason")
	}

	// A conflict with a mistake, then right; then removed.
	resp, body = admin.post(loc+"/conflicts", formOf("project_id", "", "person", "", "institution", "", "year", "2024"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="conflict-e-person"`) || strings.Contains(body, `id="collaboration-e-person"`) {
		t.Fatalf("empty conflict: status %d", resp.StatusCode)
	}
	admin.get(loc)
	resp, _ = admin.post(loc+"/conflicts", formOf("project_id", "", "person", "", "institution", "上海交通大学", "year", "2024", "note", "兼职"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("conflict: status %d", resp.StatusCode)
	}
	_, body = admin.get(loc)
	rm := regexp.MustCompile(`action="(/experts/\d+/conflicts/\d+/delete)"`).FindStringSubmatch(body)
	if rm == nil || !strings.Contains(body, "兼职") {
		t.Fatal("the conflict is not listed with a remove form")
	}
	if resp, _ := admin.post(rm[1], nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove conflict: status %d", resp.StatusCode)
	}
	_, body = admin.get(loc)
	if !strings.Contains(body, "回避申明已删除") || strings.Contains(body, "兼职") {
		t.Error("the conflict is still there")
	}

	// A collaboration, then removed.
	resp, body = admin.post(loc+"/collaborations", formOf("kind", "joint_award", "person", "", "year", "2023"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="collaboration-e-person"`) {
		t.Fatalf("collaboration without anyone: status %d", resp.StatusCode)
	}
	admin.get(loc)
	resp, _ = admin.post(loc+"/collaborations", formOf("kind", "joint_award", "person", "陈平", "year", "2023"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("collaboration: status %d", resp.StatusCode)
	}
	_, body = admin.get(loc)
	rm = regexp.MustCompile(`action="(/experts/\d+/collaborations/\d+/delete)"`).FindStringSubmatch(body)
	if rm == nil || !strings.Contains(body, "共同获奖") {
		t.Fatal("the collaboration is not listed with a remove form")
	}
	if resp, _ := admin.post(rm[1], nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove collaboration: status %d", resp.StatusCode)
	}

	// The same page in English.
	admin.post("/lang", formOf("lang", "en", "next", loc))
	_, body = admin.get(loc)
	for _, want := range []string{"Declared conflicts", "Collaborations", "Yearly load", "Put back into draws", "Strategic scientist"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}

	// The audit log has each step under its own action.
	_, body = admin.get("/audit")
	for _, want := range []string{"expert.create", "expert.update", "expert.flag", "expert.conflict_add", "expert.conflict_remove",
		"expert.collaboration_add", "expert.collaboration_remove"} {
		if !strings.Contains(body, `data-action="`+want+`"`) {
			t.Errorf("audit page lacks %s", want)
		}
	}
}

// TestExpertDeclaresInUI: the expert finds their profile in the menu,
// declares a conflict and withdraws it.
func TestExpertDeclaresInUI(t *testing.T) {
	h := newHarness(t)
	ex := h.browser()
	ex.login("expert")
	_, body := ex.get("/")
	own := idPath("/experts/%d", h.expertID)
	if !strings.Contains(body, `href="`+own+`"`) {
		t.Fatal("the menu has no link to the expert's profile")
	}
	_, body = ex.get(own)
	if !strings.Contains(body, "请用下方表单申报") {
		t.Error("the empty state does not say what to do")
	}
	resp, _ := ex.post(own+"/conflicts", formOf("person", "刘明", "institution", "华东师范大学", "year", "2024", "note", "学生"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("declare: status %d", resp.StatusCode)
	}
	_, body = ex.get(own)
	rm := regexp.MustCompile(`action="(/experts/\d+/conflicts/\d+/delete)"`).FindStringSubmatch(body)
	if rm == nil || !strings.Contains(body, "刘明") {
		t.Fatal("the declaration is not listed with a remove form")
	}
	list, err := h.svc.Pool.ExpertConflicts(context.Background(), h.users["admin"].Actor(), h.expertID)
	if err != nil || len(list) != 1 || list[0].CreatedBy != h.users["expert"].ID {
		t.Fatalf("stored %+v, %v", list, err)
	}
	if resp, _ := ex.post(rm[1], nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: status %d", resp.StatusCode)
	}
	if list, err := h.svc.Pool.ExpertConflicts(context.Background(), h.users["admin"].Actor(), h.expertID); err != nil || len(list) != 0 {
		t.Errorf("after withdrawing: %+v (%v)", list, err)
	}
}

// TestAliasesInUI: add an alias (normalised), refuse a duplicate beside the
// field, remove it.
func TestAliasesInUI(t *testing.T) {
	h := newHarness(t)
	admin := h.browser()
	admin.login("admin")
	_, body := admin.get("/experts/aliases")
	if !strings.Contains(body, "暂无单位别名") {
		t.Error("no empty state")
	}
	resp, _ := admin.post("/experts/aliases", formOf("alias", "ＳＪＴＵ", "canonical", "上海交通大学"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: status %d", resp.StatusCode)
	}
	_, body = admin.get("/experts/aliases")
	if !strings.Contains(body, "<code>sjtu</code>") {
		t.Error("the alias is not listed normalised")
	}
	before := h.dump()
	resp, body = admin.post("/experts/aliases", formOf("alias", "sjtu", "canonical", "别的"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-alias"`) || !strings.Contains(body, "已存在") {
		t.Fatalf("duplicate: status %d", resp.StatusCode)
	}
	if h.dump() != before {
		t.Fatal("the refused alias changed the database")
	}
	resp, _ = admin.post("/experts/aliases/delete", formOf("alias", "sjtu"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: status %d", resp.StatusCode)
	}
	list, err := h.svc.Pool.InstitutionAliases(context.Background(), h.users["admin"].Actor())
	if err != nil || len(list) != 0 {
		t.Errorf("left %+v, %v", list, err)
	}
}

// TestPoolListJSONShape pins the list item: the profile's fields and the
// load, side by side.
func TestPoolListJSONShape(t *testing.T) {
	h := newHarness(t)
	_, body := h.api("admin", "GET", "/api/v1/experts?per_page=1", "")
	var got struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 {
		t.Fatalf("items %v", got.Items)
	}
	for _, k := range []string{"id", "name", "type", "institution", "subject_codes", "can_be_drawn", "load", "load_year"} {
		if _, ok := got.Items[0][k]; !ok {
			t.Errorf("list item lacks %q: %v", k, got.Items[0])
		}
	}
}

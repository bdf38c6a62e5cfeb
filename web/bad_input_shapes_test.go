package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The catalogue's shapes: JSON bodies with a member given twice, and the
// main writes without the members they need.

// msgDuplicate is the message beside a member given twice.
const msgDuplicate = "字段重复出现。"

// badInputDuplicates: a body that names a member twice is refused with
// 400 and "the field appears twice" beside the member's path, at any depth
// (a score's code, a nested object's member, an array element's member),
// however the second name is spelled (a \u escape is the same name).
//
// This is the API's rule for repeated members, chosen over encoding/json's,
// which silently keeps the last: {"version":0,"version":5} could pass one
// check with the first value and be stored with the second by a reader
// that keeps the first, and {"role":"expert","role":"admin"} reads as one
// role to a proxy or log and as another to the server. decodeJSON (through
// rubrics.DecodeJSON, go-json-experiment/json) refuses them all; the
// OpenAPI document's description says so.
func badInputDuplicates(t *testing.T, h *harness, w *shapesWorld) int {
	p, c := w.paths()
	cases := []struct {
		name, as, method, url, body, field string
	}{
		{"a sheet's version", w.s.member, "PUT", p("sheet"), `{"version":0,"version":5,"scores":{}}`, "version"},
		{"a score's indicator", w.s.member, "PUT", p("sheet"), `{"version":0,"scores":{"A1":20,"A1":25}}`, "scores.A1"},
		{"a comment's indicator", w.s.member, "PUT", p("sheet"), `{"version":0,"scores":{},"comments":{"A1":"好","A1":"差"}}`, "comments.A1"},
		{"a veto flag's code", w.s.member, "PUT", p("sheet"), `{"version":0,"scores":{},"vetoes":[{"code":"V1","code":"V2","evidence":"x"}]}`, "vetoes.0.code"},
		{"a sheet's opinion, once escaped", w.s.member, "PUT", p("sheet"), `{"version":0,"scores":{},"\u006fpinion":"a","opinion":"b"}`, "opinion"},
		{"a sheet's scores", w.s.member, "PUT", p("sheet"), `{"version":0,"scores":{"A1":20},"scores":{"A2":20}}`, "scores"},
		{"a submission's version", w.s.member, "POST", p("sheet/submit"), `{"version":0,"version":0,"scores":{}}`, "version"},
		{"the pledge's version", w.s.other, "POST", c("pledge"), `{"version":"x","version":"y"}`, "version"},
		{"a declaration's conflict", w.s.other, "POST", p("declaration"), `{"conflict":true,"conflict":false}`, "conflict"},
		{"the panel opinion's text", w.s.chair, "PUT", p("opinion"), `{"version":0,"text":"a","text":"b","proposed":"pass"}`, "text"},
		{"a response's agreement", w.s.member, "POST", p("opinion/response"), `{"agree":true,"agree":false}`, "agree"},
		{"a conclusion", "staffa", "POST", p("conclusions"), `{"conclusion":"pass","conclusion":"fail"}`, "conclusion"},
		{"a veto's reason", "staffa", "POST", p("vetoes"), `{"track":"technical","code":"V1","reason":"a","reason":"b"}`, "reason"},
		{"a rectification's last day", "staffa", "POST", p("rectification"), `{"due":"2026-01-01","due":"2027-01-01","reason":"x"}`, "due"},
		{"a return's comment", "commission", "PUT", p("return"), `{"comment":"a","comment":"b"}`, "comment"},
		{"a campaign's return reason", "commission", "POST", c("return"), `{"reason":"a","reason":"b"}`, "reason"},
		{"the answer to a return", "staffa", "PUT", p("return/answer"), `{"answer":"a","answer":"b"}`, "answer"},
		{"a revision round's kind", "staffa", "POST", p("revisions"), `{"kind":"discussion","kind":"rescore","note":"x"}`, "kind"},
		{"an appeal's text", "staffa", "POST", p("appeals"), `{"reason":"procedure","appellant":"甲","text":"a","text":"b"}`, "text"},
		{"an appeal's resolution", "commission", "POST", p("appeals/1/resolve"), `{"conclusion":"pass","conclusion":"fail","reason":"x"}`, "conclusion"},
		{"a reopening's reason", "staffa", "POST", "/api/v1/sheets/1/reopen", `{"reason":"a","reason":"b"}`, "reason"},
		{"a deadline's day", "staffa", "POST", w.deadline, `{"due":"2026-01-01","due":"2027-01-01","reason":"x"}`, "due"},
		{"a reminder's expert", "staffa", "POST", c("reminders"), `{"expert_id":1,"expert_id":2}`, "expert_id"},
		{"a campaign transition's state", "staffa", "POST", c("transitions"), `{"to":"concluding","to":"draft"}`, "to"},
		{"a campaign's name", "staffa", "POST", "/api/v1/campaigns", `{"name":"a","name":"b","year":2026}`, "name"},
		{"a campaign setting", "staffa", "POST", "/api/v1/campaigns", `{"name":"a","year":2026,"settings":{"scoring_due":"2026-01-01","scoring_due":"2026-02-01"}}`, "settings.scoring_due"},
		{"a project's title", "staffa", "POST", w.newProject, strings.Replace(fmt.Sprintf(projectJSON, "2026-DUP-001"), `"title":`, `"title":"甲","title":`, 1), "title"},
		{"a project lead's name", "staffa", "POST", w.newProject, strings.Replace(fmt.Sprintf(projectJSON, "2026-DUP-002"), `"pi":{"name":"王建国"}`, `"pi":{"name":"王建国","name":"李四"}`, 1), "pi.name"},
		{"an indicator's name", "staffa", "POST", w.newProject, strings.Replace(fmt.Sprintf(projectJSON, "2026-DUP-003"), `{"name":"连续巡检里程",`, `{"name":"连续巡检里程","name":"x",`, 1), "indicators.0.name"},
		{"the projects of a draw", "staffa", "POST", w.draw, `{"projects":[1],"projects":[2]}`, "projects"},
		{"an invitation's decline reason", w.s.member, "POST", w.decline, `{"reason":"a","reason":"b"}`, "reason"},
		{"a new user's role", "admin", "POST", "/api/v1/users", `{"username":"dup.user","name":"重复","role":"expert","role":"admin","password":"a long and solid passphrase 42"}`, "role"},
		{"an agency's code", "admin", "POST", "/api/v1/agencies", `{"code":"XYZ","code":"ABC","name_zh":"某中心","name_en":"X"}`, "code"},
		{"an expert's name", "commission", "POST", "/api/v1/experts", `{"name":"甲","name":"乙","type":"domain_expert","institution":"某院","title_level":"senior","region":"local"}`, "name"},
		{"an expert's draw flag", "commission", "POST", fmt.Sprintf("/api/v1/experts/%d/flag", h.expertID), `{"can_be_drawn":true,"can_be_drawn":false}`, "can_be_drawn"},
		{"an institution alias", "admin", "POST", "/api/v1/institution-aliases", `{"alias":"同济","alias":"复旦","canonical":"同济大学"}`, "alias"},
		{"a token's username", "", "POST", "/api/v1/auth/token", `{"username":"staffa","username":"admin","password":"x"}`, "username"},
		{"a new password", "staffb", "POST", "/api/v1/me/password", `{"current_password":"x","password":"a","password":"b"}`, "password"},
		{"a score checked against a rubric", "admin", "POST", w.check, `{"scores":{"A1":1,"A1":2}}`, "scores.A1"},
		{"an inspection's findings", "staffa", "POST", w.inspection, `{"date":"2026-01-01","place":"x","participants":["x"],"findings":"a","findings":"b"}`, "findings"},
	}
	checked := 0
	for _, tc := range cases {
		h.refuse(t, "a member given twice: "+tc.name, badInput{as: tc.as, method: tc.method, url: tc.url, body: tc.body, status: 400,
			fields: []string{tc.field}}, msgDuplicate)
		checked++
	}
	return checked
}

// badInputMissing: each main write of the API sent {} (and a few with
// null for what they need) is refused with 400 naming every member it
// needs, with the "… is required" message (or the rule the empty value
// breaks), and changes nothing. A PATCH changes only what it is given,
// so {} is no refusal there; a reminder without an expert reminds
// everyone, and an approval without days takes the default period, as
// the OpenAPI document says.
func badInputMissing(t *testing.T, h *harness, w *shapesWorld) int {
	p, c := w.paths()
	cases := []struct {
		name, as, method, url, body string
		fields                      []string
	}{
		{"a campaign", "staffa", "POST", "/api/v1/campaigns", `{}`, []string{"name", "year"}},
		{"a campaign with a null name", "staffa", "POST", "/api/v1/campaigns", `{"name":null,"year":2026}`, []string{"name"}},
		{"a project", "staffa", "POST", w.newProject, `{}`, []string{"class", "code", "lead_institution", "pi.name", "subject_codes", "title"}},
		{"a project's update", "staffa", "PUT", w.draftProject, `{}`, []string{"class", "code", "lead_institution", "pi.name", "subject_codes", "title"}},
		{"a campaign transition", "staffa", "POST", c("transitions"), `{}`, []string{"to"}},
		{"a sheet", w.s.member, "PUT", p("sheet"), `{}`, []string{"version"}},
		{"a sheet with a null version", w.s.member, "PUT", p("sheet"), `{"version":null,"scores":{"A1":20}}`, []string{"version"}},
		{"a submission", w.s.member, "POST", p("sheet/submit"), `{}`, []string{"version"}},
		{"the pledge", w.s.other, "POST", c("pledge"), `{}`, []string{"version"}},
		{"a declaration", w.s.other, "POST", p("declaration"), `{}`, []string{"conflict"}},
		{"a declaration with a null conflict", w.s.other, "POST", p("declaration"), `{"conflict":null}`, []string{"conflict"}},
		{"the panel opinion", w.s.chair, "PUT", p("opinion"), `{}`, []string{"version"}},
		{"a circulation", w.s.chair, "POST", p("opinion/circulate"), `{}`, []string{"version"}},
		{"a response", w.s.member, "POST", p("opinion/response"), `{}`, []string{"agree"}},
		{"a response with a null agreement", w.s.member, "POST", p("opinion/response"), `{"agree":null,"reason":"x"}`, []string{"agree"}},
		{"a conclusion", "staffa", "POST", p("conclusions"), `{}`, []string{"conclusion"}},
		{"a rectification", "staffa", "POST", p("rectification"), `{}`, []string{"reason"}},
		{"a veto's confirmation", "staffa", "POST", p("vetoes"), `{}`, []string{"reason"}},
		{"a return", "commission", "PUT", p("return"), `{}`, []string{"comment"}},
		{"a campaign's return", "commission", "POST", c("return"), `{}`, []string{"reason"}},
		{"the answer to a return", "staffa", "PUT", p("return/answer"), `{}`, []string{"answer"}},
		{"a revision round", "staffa", "POST", p("revisions"), `{}`, []string{"kind", "note"}},
		{"an appeal", "staffa", "POST", p("appeals"), `{}`, []string{"appellant", "reason", "text"}},
		{"an appeal's rejection", "commission", "POST", p("appeals/1/reject"), `{}`, []string{"reason"}},
		{"an appeal's re-evaluation", "commission", "POST", p("appeals/1/reevaluate"), `{}`, []string{"note"}},
		{"an appeal's resolution", "commission", "POST", p("appeals/1/resolve"), `{}`, []string{"conclusion", "reason"}},
		{"a reopening", "staffa", "POST", "/api/v1/sheets/1/reopen", `{}`, []string{"reason"}},
		{"a deadline", "staffa", "POST", w.deadline, `{}`, []string{"due", "reason"}},
		{"a conflict's lifting", "staffa", "POST", p("conflicts/1/lift"), `{}`, []string{"reason"}},
		{"a draw", "staffa", "POST", w.draw, `{}`, []string{"projects"}},
		{"a replacement", "staffa", "POST", w.replace, `{}`, []string{"expert_id"}},
		{"a vacancy's filling", "staffa", "POST", w.fill, `{}`, []string{"expert_id"}},
		{"a check of candidates", "staffa", "POST", w.candidates, `{}`, []string{"expert_ids"}},
		{"an invitation's decline", w.s.member, "POST", w.decline, `{}`, []string{"reason"}},
		{"an expert", "commission", "POST", "/api/v1/experts", `{}`, []string{"institution", "name", "region", "title_level", "type"}},
		{"an expert's draw flag", "commission", "POST", fmt.Sprintf("/api/v1/experts/%d/flag", h.expertID), `{}`, []string{"can_be_drawn"}},
		{"an expert's conflict", "commission", "POST", fmt.Sprintf("/api/v1/experts/%d/conflicts", h.expertID), `{}`, []string{"year"}},
		{"an expert's collaboration", "commission", "POST", fmt.Sprintf("/api/v1/experts/%d/collaborations", h.expertID), `{}`, []string{"kind", "year"}},
		{"an institution alias", "admin", "POST", "/api/v1/institution-aliases", `{}`, []string{"alias", "canonical"}},
		{"a user", "admin", "POST", "/api/v1/users", `{}`, []string{"name", "password", "role", "username"}},
		{"a user's new password", "admin", "POST", fmt.Sprintf("/api/v1/users/%d/password", h.users["staffb"].ID), `{}`, []string{"password"}},
		{"an agency", "admin", "POST", "/api/v1/agencies", `{}`, []string{"code", "name_en", "name_zh"}},
		{"one's own new password", "staffb", "POST", "/api/v1/me/password", `{}`, []string{"current_password", "password"}},
		{"a token", "", "POST", "/api/v1/auth/token", `{}`, []string{"password", "username"}},
		{"a rubric's new version", "admin", "POST", "/api/v1/rubrics/APPLIED_TECH/versions", `{}`, []string{"from"}},
		{"an inspection", "staffa", "POST", w.inspection, `{}`, []string{"date", "findings", "participants", "place"}},
		{"a test", "staffa", "POST", w.methods + "/tests", `{}`, []string{"date", "indicator_id", "passed", "tester"}},
		{"a demonstration", "staffa", "POST", w.methods + "/demonstrations", `{}`, []string{"date", "items"}},
	}
	checked := 0
	for _, tc := range cases {
		h.refuse(t, "missing: "+tc.name, badInput{as: tc.as, method: tc.method, url: tc.url, body: tc.body, status: 400, fields: tc.fields}, "")
		checked++
	}
	return checked
}

// shapesWorld is what the shapes' requests go to: the scoring campaign
// (an expert's sheet open, the other's pledge unsigned), and a draft
// campaign with a project.
type shapesWorld struct {
	s                                                   *scoring
	newProject, draftProject, draw, methods, inspection string
	deadline, replace, fill, candidates, decline, check string
}

func (w *shapesWorld) paths() (project, campaign func(string) string) {
	return func(rest string) string { return fmt.Sprintf("/api/v1/projects/%d/%s", w.s.projectID, rest) },
		func(rest string) string { return fmt.Sprintf("/api/v1/campaigns/%d/%s", w.s.campaignID, rest) }
}

// badInputShapes runs the duplicates and the missing members on one
// harness.
func badInputShapes(t *testing.T) int {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.openSheet(s, s.member)
	// The other member signs the pledge, so that a declaration is open
	// to them: one that says nothing must still be refused.
	h.mustAPI(s.other, "POST", fmt.Sprintf("/api/v1/campaigns/%d/pledge", s.campaignID),
		fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion), http.StatusNoContent)
	draft, dp := h.campaignWithProject()
	member := s.panel.Members[0].ID
	w := &shapesWorld{s: s,
		newProject:   fmt.Sprintf("/api/v1/campaigns/%d/projects", draft),
		draftProject: fmt.Sprintf("/api/v1/projects/%d", dp),
		draw:         fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", draft),
		methods:      fmt.Sprintf("/api/v1/projects/%d/methods", dp),
		inspection:   fmt.Sprintf("/api/v1/projects/%d/methods/inspections", dp),
		deadline:     fmt.Sprintf("/api/v1/panels/%d/members/%d/deadline", s.panel.ID, member),
		replace:      fmt.Sprintf("/api/v1/panels/%d/members/%d/replace", s.panel.ID, member),
		fill:         fmt.Sprintf("/api/v1/panels/%d/vacancies/1/fill", s.panel.ID),
		candidates:   fmt.Sprintf("/api/v1/panels/%d/candidates/check", s.panel.ID),
		decline:      fmt.Sprintf("/api/v1/invitations/%d/decline", member),
		check:        "/api/v1/rubrics/APPLIED_TECH/1/check",
	}
	h.warmTokens()
	return badInputDuplicates(t, h, w) + badInputMissing(t, h, w)
}

// badInputMissingForms: the main forms of the pages posted with nothing
// but their CSRF token (and the save button's op where a form has
// several). Each is refused with 400 and a page that says what is
// missing — beside the field, or, for a field the form does not show (a
// hidden input) or a form the page no longer offers, with the message at
// the top — and changes nothing.
func badInputMissingForms(t *testing.T) int {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.mustAPI(s.other, "POST", fmt.Sprintf("/api/v1/campaigns/%d/pledge", s.campaignID),
		fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion), http.StatusNoContent)
	draft, dp := h.campaignWithProject()
	p := func(f string) string { return fmt.Sprintf(f, s.projectID) }
	c := func(f string) string { return fmt.Sprintf(f, s.campaignID) }
	expert := func(f string) string { return fmt.Sprintf(f, h.expertID) }
	save := url.Values{"op": {"save"}}
	projectFields := []string{`id="e-code"`, `id="e-class"`, `id="e-title"`, `id="e-lead_institution"`, `id="e-pi_name"`, `id="e-subject_codes"`}
	type formCase struct {
		name, as, page, url string
		form                url.Values
		want                []string // in the page: a field's message id, or the message
	}
	before := []formCase{
		{"a declaration that says neither", s.other, p("/workspace/projects/%d"), p("/workspace/projects/%d/declaration"), nil, []string{"是否存在利益冲突为必填项。"}},
	}
	after := []formCase{
		{"a new campaign", "staffa", "/campaigns/new", "/campaigns", nil, []string{`id="e-name"`, "年度为必填项。"}},
		{"a campaign's edit", "staffa", fmt.Sprintf("/campaigns/%d/edit", draft), fmt.Sprintf("/campaigns/%d/edit", draft), nil, []string{`id="e-name"`, "年度为必填项。"}},
		{"a new project", "staffa", fmt.Sprintf("/campaigns/%d/projects/new", draft), fmt.Sprintf("/campaigns/%d/projects", draft), save, projectFields},
		{"a project's edit", "staffa", fmt.Sprintf("/projects/%d/edit", dp), fmt.Sprintf("/projects/%d/edit", dp), save, projectFields},
		{"a campaign transition", "staffa", c("/campaigns/%d"), c("/campaigns/%d/transition"), nil, []string{"目标状态为必填项。"}},
		{"the panel opinion", s.chair, p("/workspace/projects/%d/opinion"), p("/workspace/projects/%d/opinion"), nil, []string{"版本为必填项。"}},
		{"a response to the opinion", s.member, p("/workspace/projects/%d/opinion"), p("/workspace/projects/%d/opinion/response"), nil, []string{`id="form-refused"`, "是否同意为必填项。"}},
		{"a conclusion", "staffa", p("/projects/%d/result"), p("/projects/%d/result/conclusion"), nil, []string{"结论为必填项。"}},
		{"a rectification", "staffa", p("/projects/%d/result"), p("/projects/%d/result/rectification"), nil, []string{"原因为必填项。"}},
		{"a veto's confirmation", "staffa", p("/projects/%d/result"), p("/projects/%d/result/veto"), nil, []string{"原因为必填项。"}},
		{"a revision round", "staffa", p("/projects/%d/result"), p("/projects/%d/result/revision"), nil, []string{"类型为必填项。", "备注为必填项。"}},
		{"a return", "commission", p("/projects/%d/result"), p("/projects/%d/result/return"), nil, []string{"意见为必填项。"}},
		{"a campaign's return", "commission", c("/campaigns/%d/results"), c("/campaigns/%d/results/return"), nil, []string{"原因为必填项。"}},
		{"the answer to a return", "staffa", p("/projects/%d/result"), p("/projects/%d/result/answer"), nil, []string{"答复为必填项。"}},
		{"an appeal", "staffa", p("/projects/%d/result"), p("/projects/%d/result/appeals"), nil, []string{"申诉人为必填项。", "原因为必填项。", "意见正文为必填项。"}},
		{"a user", "admin", "/users/new", "/users", nil, []string{`id="e-username"`, `id="e-name"`, `id="e-role"`, `id="e-password"`}},
		{"an agency", "admin", "/agencies/new", "/agencies", nil, []string{`id="e-code"`, `id="e-name_zh"`, `id="e-name_en"`}},
		{"an expert", "commission", "/experts/new", "/experts", nil, []string{`id="e-name"`, `id="e-type"`, `id="e-institution"`, `id="e-title_level"`, `id="e-region"`}},
		{"an institution alias", "admin", "/experts/aliases", "/experts/aliases", nil, []string{`id="e-alias"`, `id="e-canonical"`}},
		{"one's own password", "staffa", "/profile", "/profile/password", nil, []string{`id="e-current_password"`, `id="e-password"`}},
		{"an expert's conflict", "commission", expert("/experts/%d"), expert("/experts/%d/conflicts"), nil, []string{"年度为必填项。"}},
		{"an expert's collaboration", "commission", expert("/experts/%d"), expert("/experts/%d/collaborations"), nil, []string{"类型为必填项。", "年度为必填项。"}},
		{"an expert's draw flag", "commission", expert("/experts/%d"), expert("/experts/%d/flag"), nil, []string{"可抽取为必填项。"}},
	}
	browsers := map[string]*browser{}
	checked := 0
	run := func(cases []formCase) {
		for _, tc := range cases {
			b := browsers[tc.as]
			if b == nil {
				b = h.browser()
				b.login(tc.as)
				browsers[tc.as] = b
			}
			t.Run("missing on a form: "+tc.name, func(t *testing.T) {
				b.get(tc.page)
				before := h.dump()
				resp, page := b.post(tc.url, tc.form)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %.400s", resp.StatusCode, visibleText(page))
				}
				for _, w := range tc.want {
					if !strings.Contains(page, w) {
						t.Errorf("the page lacks %q: %.600s", w, visibleText(page))
					}
				}
				if h.dump() != before {
					t.Error("a refused form changed the database")
				}
			})
			checked++
		}
	}
	run(before)
	h.submitAll(s)
	run(after)
	return checked
}

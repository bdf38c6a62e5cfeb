package web

import (
	"context"
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

const financeSheet = `"scores":{"F1":16,"F2":20,"F3":20,"F4":24},"opinion":"资金使用基本合规。","finance_pass":true`

// The panel's opinion and the conclusions through the API: every member
// submits, the chair drafts and circulates the opinion, one member
// dissents, the others confirm, it locks; the agency records the
// conclusion in the concluding state. Each refusal names its field or
// reason, and leaves the database as it was.
func TestOpinionAndConclusionsAPI(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	ctx := context.Background()
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }

	var members []string // the accepted members but the chair
	for _, m := range s.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			continue
		}
		u, err := h.db.UserByExpert(ctx, m.ExpertID)
		if err != nil {
			t.Fatal(err)
		}
		h.openSheet(s, u.Username)
		sheet := fullSheet
		if m.Seat == evaluation.SeatFinance {
			sheet = financeSheet
		}
		if resp, body := h.api(u.Username, "POST", pp("/api/v1/projects/%d/sheet/submit"), `{"version":0,`+sheet+`}`); resp.StatusCode != 200 {
			t.Fatalf("%s submits: %d %s", u.Username, resp.StatusCode, body)
		}
		if !m.Chair {
			members = append(members, u.Username)
		}
	}
	opinion := `{"version":%d,"text":"项目完成了任务书规定的主要考核指标，专家组同意通过。","proposed":"pass"}`

	refusals := []scenario{
		{name: "a member drafts", as: members[0], method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: fmt.Sprintf(opinion, 0),
			status: 403, code: evaluation.Forbidden},
		{name: "agency staff draft", as: "staffa", method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: fmt.Sprintf(opinion, 0),
			status: 403, code: evaluation.Forbidden},
		{name: "no version", as: s.chair, method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: `{"text":"同意","proposed":"pass"}`,
			status: 400, code: evaluation.Invalid, fields: []string{"version"}},
		{name: "blank text and an unknown proposal", as: s.chair, method: "PUT", url: pp("/api/v1/projects/%d/opinion"),
			body: `{"version":0,"text":" ","proposed":"maybe"}`, status: 400, code: evaluation.Invalid, fields: []string{"text", "proposed"}},
		{name: "the outsider reads", as: s.outsider, method: "GET", url: pp("/api/v1/projects/%d/opinion"), status: 404, code: evaluation.NotFound},
		{name: "a conclusion while scoring", as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`,
			status: 409, code: evaluation.Conflict},
		{name: "an expert records a conclusion", as: s.chair, method: "POST", url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`,
			status: 403, code: evaluation.Forbidden},
	}
	check := func(cases []scenario) {
		t.Helper()
		h.warmTokens() // a token's first use is recorded
		for _, sc := range cases {
			t.Run(sc.name, func(t *testing.T) {
				before := h.dump()
				h.run(t, sc)
				if h.dump() != before {
					t.Error("a refused request changed the database")
				}
			})
		}
	}
	check(refusals)

	// The chair drafts and circulates; a member dissents with a reason,
	// the others confirm; the opinion locks.
	h.run(t, scenario{as: s.chair, method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: fmt.Sprintf(opinion, 0), status: 200,
		contains: []string{`"status":"draft"`, `"version":1`}})
	h.run(t, scenario{as: members[0], method: "GET", url: pp("/api/v1/projects/%d/opinion"), status: 404, code: evaluation.NotFound})
	h.run(t, scenario{as: s.chair, method: "POST", url: pp("/api/v1/projects/%d/opinion/circulate"), body: `{"version":1}`, status: 200,
		contains: []string{`"status":"circulating"`}})
	check([]scenario{
		{name: "a dissent without a reason", as: members[0], method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: `{"agree":false}`,
			status: 400, code: evaluation.Invalid, fields: []string{"reason"}},
		{name: "an answer without agree", as: members[0], method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: `{"reason":"x"}`,
			status: 400, code: evaluation.Invalid, fields: []string{"agree"}},
		{name: "the chair answers", as: s.chair, method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: `{"agree":true}`,
			status: 409, code: evaluation.Conflict},
	})
	for i, m := range members {
		body, want := `{"agree":true}`, `"status":"circulating"`
		if i == 0 {
			body = `{"agree":false,"reason":"成果转化不足。"}`
		}
		if i == len(members)-1 {
			want = `"status":"locked"`
		}
		h.run(t, scenario{as: m, method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: body, status: 200, contains: []string{want}})
	}
	h.run(t, scenario{as: "staffa", method: "GET", url: pp("/api/v1/projects/%d/opinion"), status: 200,
		contains: []string{`"status":"locked"`, `"agree":false`, "成果转化不足。"}})
	h.run(t, scenario{as: "staffb", method: "GET", url: pp("/api/v1/projects/%d/opinion"), status: 404, code: evaluation.NotFound})

	// Concluding: the agency records the conclusion.
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, h.users["staffa"].Actor(), s.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	check([]scenario{
		{name: "a locked opinion saved", as: s.chair, method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: fmt.Sprintf(opinion, 2),
			status: 409, code: evaluation.Conflict},
		{name: "a fail against the proposal without a reason", as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/conclusions"),
			body: `{"conclusion":"fail"}`, status: 400, code: evaluation.Invalid, fields: []string{"reason"}},
		{name: "an unknown conclusion", as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/conclusions"),
			body: `{"conclusion":"excellent"}`, status: 400, code: evaluation.Invalid, fields: []string{"conclusion"}},
		{name: "another agency concludes", as: "staffb", method: "POST", url: pp("/api/v1/projects/%d/conclusions"),
			body: `{"conclusion":"pass"}`, status: 404, code: evaluation.NotFound},
		{name: "a rectification of a project without a fail", as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/rectification"),
			body: `{"reason":"整改"}`, status: 409, code: evaluation.Conflict},
	})
	h.run(t, scenario{as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`, status: 201,
		contains: []string{`"conclusion":"pass"`, `"proposed":"pass"`, `"round":1`}})
	h.run(t, scenario{as: "commission", method: "GET", url: pp("/api/v1/projects/%d/conclusions"), status: 200,
		contains: []string{`"conclusion":"pass"`, `"rectification":null`}})
	h.run(t, scenario{as: "staffa", method: "GET", url: fmt.Sprintf("/api/v1/campaigns/%d/results", s.campaignID), status: 200,
		contains: []string{`"proposal":"pass"`, `"score":83.00`, `"advisory":`}})
	h.run(t, scenario{as: s.chair, method: "GET", url: fmt.Sprintf("/api/v1/campaigns/%d/results", s.campaignID), status: 403, code: evaluation.Forbidden})
	h.run(t, scenario{as: "staffb", method: "GET", url: fmt.Sprintf("/api/v1/campaigns/%d/results", s.campaignID), status: 404, code: evaluation.NotFound})
	if got := h.auditActions(); !containsAll(got, "opinion.save", "opinion.circulate", "opinion.dissent", "opinion.confirm", "opinion.lock", "project.conclude") {
		t.Errorf("audit actions = %v", got)
	}
}

// containsAll reports whether list holds every one of want.
func containsAll(list []string, want ...string) bool {
	have := map[string]bool{}
	for _, s := range list {
		have[s] = true
	}
	for _, w := range want {
		if !have[w] {
			return false
		}
	}
	return true
}

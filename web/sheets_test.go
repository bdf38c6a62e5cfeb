package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// scoring is a campaign of agency A in scoring, whose one project's panel
// every member accepted, with the members' usernames.
type scoring struct {
	campaignID, projectID int64
	panel                 *evaluation.Panel
	chair, member, other  string // technical members: the chair and two others
	finance               string
	outsider              string // an expert on no panel of the campaign
}

func (h *harness) scoringCampaign() *scoring {
	h.t.Helper()
	return h.scoringCampaignOf(fmt.Sprintf(projectJSON, "2024-ZD-101"))
}

// scoringCampaignOf is scoringCampaign with its project given as JSON.
func (h *harness) scoringCampaignOf(project string) *scoring {
	h.t.Helper()
	t, ctx := h.t, context.Background()
	h.withRubrics()
	accounts := h.withPool()
	staff := h.users["staffa"].Actor()
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringDue = h.now.In(evaluation.Beijing).AddDate(0, 0, 14).Format(time.DateOnly)
	c, err := h.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "评分批次", Year: 2026, Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	var p evaluation.Project
	h.decode(project, &p)
	if err := h.svc.Campaigns.CreateProjects(ctx, staff, c.ID, []*evaluation.Project{&p}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	panel, err := h.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	if panel, err = h.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	s := &scoring{campaignID: c.ID, projectID: p.ID}
	for _, m := range panel.Members {
		if m.Status != evaluation.MemberInvited {
			continue
		}
		name := accounts[m.Expert.Name]
		u := h.userOf(name)
		if _, err := h.svc.Panels.RespondToInvitation(ctx, u.Actor(), m.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		switch {
		case m.Seat == evaluation.SeatFinance:
			s.finance = name
		case m.Chair:
			s.chair = name
		case s.member == "":
			s.member = name
		case s.other == "":
			s.other = name
		}
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatal(err)
	}
	if s.panel, err = h.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	for name, user := range accounts {
		if _, ok := s.panel.MemberOf(h.userOf(user).ExpertID); !ok {
			s.outsider = accounts[name]
			break
		}
	}
	return s
}

// userOf is the account of a username the harness made.
func (h *harness) userOf(username string) *evaluation.User {
	h.t.Helper()
	u, err := h.db.UserByUsername(context.Background(), username)
	if err != nil {
		h.t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// submitOthers submits, through the API, the full sheet of every accepted
// member of the panel but s.member (a finance sheet for the finance seat),
// and returns their usernames in the panel's order.
func (h *harness) submitOthers(s *scoring) []string {
	h.t.Helper()
	var others []string
	for _, m := range s.panel.Members {
		u, err := h.db.UserByExpert(context.Background(), m.ExpertID)
		if err != nil {
			h.t.Fatal(err)
		}
		if m.Status != evaluation.MemberAccepted || u.Username == s.member {
			continue
		}
		h.openSheet(s, u.Username)
		body := `{"version":0,` + fullSheet + `}`
		if m.Seat == evaluation.SeatFinance {
			body = `{"version":0,` + financeSheet + `}`
		}
		h.mustAPI(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), body, http.StatusOK)
		others = append(others, u.Username)
	}
	return others
}

// openSheet signs the pledge and declares no conflict through the API.
func (h *harness) openSheet(s *scoring, as string) {
	h.t.Helper()
	if resp, body := h.api(as, "POST", fmt.Sprintf("/api/v1/campaigns/%d/pledge", s.campaignID),
		fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion)); resp.StatusCode != http.StatusNoContent {
		h.t.Fatalf("pledge as %s: %d %s", as, resp.StatusCode, body)
	}
	if resp, body := h.api(as, "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", s.projectID), `{"conflict":false}`); resp.StatusCode != http.StatusNoContent {
		h.t.Fatalf("declaration as %s: %d %s", as, resp.StatusCode, body)
	}
}

// storedSheet is the expert's sheet and its history as stored, for
// comparing around a refused save.
func (h *harness) storedSheet(s *scoring, username string) string {
	h.t.Helper()
	ctx := context.Background()
	sh, err := h.db.Sheet(ctx, s.projectID, h.userOf(username).ExpertID)
	if evaluation.ErrorCode(err) == evaluation.NotFound {
		return "none"
	}
	if err != nil {
		h.t.Fatal(err)
	}
	versions, err := h.db.SheetVersions(ctx, sh.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	b, err := json.Marshal([]any{sh, versions})
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

const (
	fullSheet  = `"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":"主要指标全部完成。"},"opinion":"完成了任务书规定的主要考核指标。"`
	otherSheet = `"scores":{"A1":13.5,"A2":23.5,"A3":17,"A4":9.5,"A5":14},"comments":{"A1":"主要指标未完成。","A2":"技术突破明显。","A4":"示范推广充分。","A5":"管理规范。"},"opinion":"秘密评语：技术突破明显。"`
)

func TestSheetScenarios(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }
	h.openSheet(s, s.member)
	h.openSheet(s, s.other)

	// A draft, then the sheet a later case finds stored.
	if resp, body := h.api(s.member, "PUT", pp("/api/v1/projects/%d/sheet"), `{"version":0,"scores":{"A1":22.5}}`); resp.StatusCode != 200 {
		t.Fatalf("draft: %d %s", resp.StatusCode, body)
	}
	if resp, body := h.api(s.other, "POST", pp("/api/v1/projects/%d/sheet/submit"), `{"version":0,`+otherSheet+`}`); resp.StatusCode != 200 {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}

	for _, sc := range []scenario{
		{name: "a project outside the expert's panels", as: s.outsider, method: "GET", url: pp("/api/v1/projects/%d/sheet"), status: 404, code: evaluation.NotFound},
		{name: "outsider saves", as: s.outsider, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":0}`, status: 404, code: evaluation.NotFound},
		{name: "outsider signs the pledge", as: s.outsider, method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/pledge", s.campaignID),
			body: fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion), status: 404, code: evaluation.NotFound},
		{name: "the chair before the pledge", as: s.chair, method: "GET", url: pp("/api/v1/projects/%d/sheet"), status: 409, code: evaluation.Conflict},
		{name: "staff cannot save a sheet", as: "staffa", method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":0}`, status: 403, code: evaluation.Forbidden},
		{name: "score over the maximum", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":1,"scores":{"A1":26}}`,
			status: 400, code: evaluation.Invalid, fields: []string{"scores.A1"}},
		{name: "score not a multiple of 0.5", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":1,"scores":{"A1":12.3}}`,
			status: 400, code: evaluation.Invalid, fields: []string{"scores.A1"}},
		{name: "score as text", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":1,"scores":{"A1":"12"}}`,
			status: 400, code: evaluation.Invalid, fields: []string{"scores.A1"}},
		{name: "unknown indicator", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":1,"scores":{"Z9":1}}`,
			status: 400, code: evaluation.Invalid, fields: []string{"scores.Z9"}},
		{name: "veto the rubric does not list", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":1,"vetoes":[{"code":"V9","evidence":"x"}]}`,
			status: 400, code: evaluation.Invalid, fields: []string{"vetoes.0.code"}},
		{name: "opinion over its limit", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"),
			body: `{"version":1,"opinion":"` + strings.Repeat("长", 5001) + `"}`, status: 400, code: evaluation.Invalid, fields: []string{"opinion"}},
		{name: "comment over its limit", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"),
			body: `{"version":1,"comments":{"A2":"` + strings.Repeat("长", 2001) + `"}}`, status: 400, code: evaluation.Invalid, fields: []string{"comments.A2"}},
		{name: "no version", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"scores":{"A1":1}}`,
			status: 400, code: evaluation.Invalid, fields: []string{"version"}},
		{name: "a stale version", as: s.member, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":0,"scores":{"A1":1}}`,
			status: 409, code: evaluation.Conflict, fields: []string{"version"}, contains: []string{`"current":{`, `"version":1`, `"A1":22.5`}},
		{name: "submit an incomplete sheet", as: s.member, method: "POST", url: pp("/api/v1/projects/%d/sheet/submit"), body: `{"version":1,"scores":{"A1":22}}`,
			status: 400, code: evaluation.Invalid, fields: []string{"scores.A2", "opinion"}},
		{name: "a veto without evidence", as: s.member, method: "POST", url: pp("/api/v1/projects/%d/sheet/submit"),
			body: `{"version":1,` + fullSheet + `,"vetoes":[{"code":"V1","evidence":" "}]}`, status: 400, code: evaluation.Invalid, fields: []string{"vetoes.0.evidence"}},
		{name: "a save on a submitted sheet", as: s.other, method: "PUT", url: pp("/api/v1/projects/%d/sheet"), body: `{"version":1,"scores":{"A1":1}}`,
			status: 409, code: evaluation.Conflict},
		// Another member's scores are never readable by a member.
		{name: "a member reads the panel's sheets", as: s.member, method: "GET", url: pp("/api/v1/projects/%d/sheets"), status: 403, code: evaluation.Forbidden,
			absent: []string{`"A2":23.5`, "秘密评语"}},
		{name: "a member's own sheet shows only theirs", as: s.member, method: "GET", url: pp("/api/v1/projects/%d/sheet"), status: 200,
			absent: []string{`"A2":23.5`, "秘密评语", s.other}},
		{name: "a member's workspace shows no other sheet", as: s.member, method: "GET", url: pp("/api/v1/projects/%d/workspace"), status: 200,
			absent: []string{`"A2":23.5`, "秘密评语"}},
		{name: "the chair before submitting", as: s.chair, method: "GET", url: pp("/api/v1/projects/%d/sheets"), status: 403, code: evaluation.Forbidden},
		{name: "another agency reads the sheets", as: "staffb", method: "GET", url: pp("/api/v1/projects/%d/sheets"), status: 404, code: evaluation.NotFound},
		{name: "the agency reads the sheets", as: "staffa", method: "GET", url: pp("/api/v1/projects/%d/sheets"), status: 200, contains: []string{`"A2":23.5`}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := []string{h.storedSheet(s, s.member), h.storedSheet(s, s.other)}
			h.run(t, sc)
			if sc.status >= 400 {
				if after := []string{h.storedSheet(s, s.member), h.storedSheet(s, s.other)}; after[0] != before[0] || after[1] != before[1] {
					t.Errorf("a refused request changed a stored sheet")
				}
			}
		})
	}

	// The chair reads the submitted sheets once theirs is in.
	h.openSheet(s, s.chair)
	if resp, body := h.api(s.chair, "POST", pp("/api/v1/projects/%d/sheet/submit"), `{"version":0,`+fullSheet+`}`); resp.StatusCode != 200 {
		t.Fatalf("chair submits: %d %s", resp.StatusCode, body)
	}
	resp, body := h.api(s.chair, "GET", pp("/api/v1/projects/%d/sheets"), "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"A2":23.5`) || strings.Contains(body, `"A1":22.5`) {
		t.Errorf("the chair after submitting: %d, want the submitted sheets and no draft: %s", resp.StatusCode, body)
	}

	// After the deadline nothing is taken.
	h.now = h.now.AddDate(0, 0, 15)
	before := h.storedSheet(s, s.member)
	resp, body = h.api(s.member, "PUT", pp("/api/v1/projects/%d/sheet"), `{"version":1,"scores":{"A1":20}}`)
	if e := wantError(t, body, evaluation.Conflict); resp.StatusCode != 409 || !strings.Contains(e.Message, "截止") {
		t.Errorf("save after the deadline: %d %s", resp.StatusCode, body)
	}
	if h.storedSheet(s, s.member) != before {
		t.Error("a save after the deadline changed the sheet")
	}
}

// A declared conflict withdraws the expert: the project is not found for
// them from then on, and the alternate is invited.
func TestDeclaredConflictHidesTheProject(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	if resp, body := h.api(s.member, "POST", fmt.Sprintf("/api/v1/campaigns/%d/pledge", s.campaignID),
		fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("pledge: %d %s", resp.StatusCode, body)
	}
	resp, body := h.api(s.member, "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", s.projectID), `{"conflict":true}`)
	wantError(t, body, evaluation.Invalid, "reason")
	if resp.StatusCode != 400 {
		t.Errorf("a conflict without a reason: %d", resp.StatusCode)
	}
	resp, body = h.api(s.member, "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", s.projectID), `{"conflict":true,"reason":"与项目负责人同一课题组"}`)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("declare a conflict: %d %s", resp.StatusCode, body)
	}
	for _, path := range []string{"/api/v1/projects/%d/workspace", "/api/v1/projects/%d/sheet", "/api/v1/projects/%d/materials"} {
		resp, body := h.api(s.member, "GET", fmt.Sprintf(path, s.projectID), "")
		if resp.StatusCode != 404 {
			t.Errorf("GET %s after the declaration: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, body = h.api(s.member, "GET", "/api/v1/assignments", "")
	if resp.StatusCode != 200 || strings.Contains(body, "2024-ZD-101") {
		t.Errorf("assignments after the declaration: %d %s", resp.StatusCode, body)
	}
}

// The agency reads the progress and reminds its experts; others cannot.
func TestProgressAndRemindersAPI(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.openSheet(s, s.member)
	if resp, body := h.api(s.member, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), `{"version":0,`+fullSheet+`}`); resp.StatusCode != 200 {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	cp := func(format string) string { return fmt.Sprintf(format, s.campaignID) }
	for _, sc := range []scenario{
		{name: "the agency reads the progress", as: "staffa", method: "GET", url: cp("/api/v1/campaigns/%d/progress"), status: 200,
			contains: []string{`"submitted":1`, `"total":1`}},
		{name: "only overdue panels", as: "staffa", method: "GET", url: cp("/api/v1/campaigns/%d/progress?overdue=1"), status: 200,
			contains: []string{`"total":0`}},
		{name: "a bad overdue filter", as: "staffa", method: "GET", url: cp("/api/v1/campaigns/%d/progress?overdue=yes"), status: 400,
			code: evaluation.Invalid, fields: []string{"overdue"}},
		{name: "the commission reads the progress", as: "commission", method: "GET", url: cp("/api/v1/campaigns/%d/progress"), status: 200},
		{name: "another agency", as: "staffb", method: "GET", url: cp("/api/v1/campaigns/%d/progress"), status: 404, code: evaluation.NotFound},
		{name: "an expert", as: s.member, method: "GET", url: cp("/api/v1/campaigns/%d/progress"), status: 403, code: evaluation.Forbidden},
		{name: "the commission cannot remind", as: "commission", method: "POST", url: cp("/api/v1/campaigns/%d/reminders"), body: `{}`,
			status: 403, code: evaluation.Forbidden},
	} {
		t.Run(sc.name, func(t *testing.T) { h.run(t, sc) })
	}
	members := len(s.panel.Seated(evaluation.SeatTechnical)) + len(s.panel.Seated(evaluation.SeatFinance))
	resp, body := h.api("staffa", "POST", cp("/api/v1/campaigns/%d/reminders"), `{}`)
	if resp.StatusCode != 200 || body != fmt.Sprintf(`{"reminded":%d}`, members-1) {
		t.Errorf("reminders: %d %s; want %d experts reminded (all but the one who submitted)", resp.StatusCode, body, members-1)
	}
}

package web

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestExpertsSeeNoOtherExpert sends every request an expert may make —
// each route rbac opens to experts, API and pages, reads and answers — as
// the demo's experts with an accepted seat, an open invitation they
// accept, one they decline and one already declined, and checks that no
// response names another expert of the pool, their email or institution,
// or another member's reason for declining. What an expert may see of
// others is the projects' own data (their lead institution, PI and
// members, who may share a name or an institution with a pool expert),
// and, once they and the chair have accepted, the chair's name. A route
// open to experts that the table does not cover fails the test.
func TestExpertsSeeNoOtherExpert(t *testing.T) {
	s := newDemoSite(t)
	covered := map[string]bool{}
	for _, seat := range []*panelSeat{s.accepted, s.invited, s.invited2, s.declined} {
		t.Run(seat.username, func(t *testing.T) {
			secrets := s.othersSecrets(t, seat)
			if len(secrets) < 40 {
				t.Fatalf("only %d strings to look for; the fixture is broken", len(secrets))
			}
			br := s.browser()
			br.login(seat.username)
			for _, req := range s.expertCalls(t, seat) {
				covered[req.route] = true
				if req.urlOf != nil {
					req.url = req.urlOf()
				}
				var resp *http.Response
				var body string
				switch {
				case strings.HasPrefix(req.url, "/api/"):
					resp, body = s.api(seat.username, req.method, req.url, req.body)
				case req.method == http.MethodGet:
					resp, body = br.get(req.url)
				default:
					br.get(cmp.Or(req.page, "/"))
					resp, body = br.post(req.url, req.form)
				}
				what := req.method + " " + req.url
				if resp.StatusCode >= 500 {
					t.Errorf("%s: status %d", what, resp.StatusCode)
				}
				if req.status != 0 && resp.StatusCode != req.status {
					t.Errorf("%s: status %d, want %d: %.200s", what, resp.StatusCode, req.status, body)
				}
				for _, secret := range secrets {
					if strings.Contains(body, secret) {
						t.Errorf("%s: the response shows %q", what, secret)
					}
				}
			}
		})
	}
	for key, perm := range s.app.Routes() {
		if !strings.HasPrefix(key, "HEAD ") && !perm.IsPublic() && s.app.authz.Allowed(string(evaluation.RoleExpert), perm) && !covered[key] {
			t.Errorf("route %s is open to experts but not in expertCalls", key)
		}
	}
}

// othersSecrets lists what the expert of the seat must not see: every
// other pool expert's name, email and institution, and the reasons other
// members gave for declining, less what the expert may see (their own
// data, the data of the projects they were invited to, the chair's name
// once both accepted).
func (s *demoSite) othersSecrets(t *testing.T, seat *panelSeat) []string {
	t.Helper()
	ctx, sys := context.Background(), evaluation.System
	self, err := s.svc.Pool.Expert(ctx, sys, seat.member.ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{self.Name: true, self.Institution: true, self.Email: true, self.Title: true,
		seat.member.DeclineReason: true}
	invitations, err := s.svc.Panels.Invitations(ctx, s.users[seat.username].Actor())
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invitations {
		allowed[inv.Chair] = true
		for _, ip := range inv.Projects {
			p, err := s.svc.Campaigns.Project(ctx, sys, ip.ID)
			if err != nil {
				t.Fatal(err)
			}
			allowed[p.Lead], allowed[p.PI.Name], allowed[p.PI.Institution] = true, true, true
			for _, m := range p.Members {
				allowed[m.Name], allowed[m.Institution] = true, true
			}
		}
	}
	var out []string
	add := func(v string) {
		if v != "" && !allowed[v] && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	experts, _, err := s.svc.Pool.Experts(ctx, sys, evaluation.ExpertFilter{Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range experts {
		if e.ID == self.ID {
			continue
		}
		full, err := s.svc.Pool.Expert(ctx, sys, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		add(full.Name)
		add(full.Email)
		add(full.Institution)
	}
	for _, list := range s.panels {
		for _, p := range list {
			for _, m := range p.Members {
				if m.ExpertID != self.ID {
					add(m.DeclineReason)
				}
			}
		}
	}
	return out
}

// expertCall is a request an expert may make: the route it exercises,
// and a JSON body (API) or a form (pages, sent from page), and the status
// it must answer with (0: any but a server error).
type expertCall struct {
	route, method, url string
	// urlOf, when set, gives the URL at the time of the request, for a
	// record that earlier requests create.
	urlOf  func() string
	body   string
	page   string
	form   url.Values
	status int
}

// expertCalls lists a request for every route open to experts, with
// the seat's ids and others', in an order that leaves the answers, the
// token revocations and signing out for last.
func (s *demoSite) expertCalls(t *testing.T, seat *panelSeat) []expertCall {
	t.Helper()
	ctx, sys := context.Background(), evaluation.System
	u := s.users[seat.username]
	own := fmt.Sprintf("%d", u.ExpertID)
	other := fmt.Sprintf("%d", s.experts["张卫东"])
	if own == other {
		other = fmt.Sprintf("%d", s.experts["徐明"])
	}
	// A project of the seat's panel, one of another panel the expert has
	// no seat on, and their materials.
	project := seat.panel.ProjectIDs[0]
	var otherProject int64
	for _, p := range s.projects {
		panel := s.panelOf(p.ID)
		if !slices.Contains(seat.panel.ProjectIDs, p.ID) && panel != nil &&
			!slices.ContainsFunc(panel.Members, func(m *evaluation.PanelMember) bool { return m.ExpertID == u.ExpertID }) {
			otherProject = p.ID
		}
	}
	material := func(projectID int64) string {
		ms, err := s.svc.Materials.Materials(ctx, sys, projectID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 {
			return "1"
		}
		return fmt.Sprint(ms[0].ID)
	}
	rubrics, err := s.svc.Rubrics.Rubrics(ctx, sys, evaluation.RubricFilter{Status: evaluation.RubricPublished})
	if err != nil || len(rubrics) == 0 {
		t.Fatalf("rubrics: %d, %v", len(rubrics), err)
	}
	rubric := fmt.Sprintf("%s/%d", rubrics[0].Code, rubrics[0].Version)
	content, err := json.Marshal(rubrics[0].Content)
	if err != nil {
		t.Fatal(err)
	}
	// Two spare tokens to revoke, one through each face.
	spare := func() string {
		_, tok, err := s.svc.Accounts.CreateToken(ctx, u.Actor(), "spare", evaluation.LoginMeta{})
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(tok.ID)
	}
	// The newest conflict the expert declared, to remove.
	newestConflict := func() string {
		list, err := s.svc.Pool.ExpertConflicts(ctx, sys, u.ExpertID)
		if err != nil || len(list) == 0 {
			t.Fatalf("conflicts of %s: %d, %v", seat.username, len(list), err)
		}
		newest := list[0]
		for _, c := range list {
			if c.ID > newest.ID {
				newest = c
			}
		}
		return fmt.Sprint(newest.ID)
	}
	member := fmt.Sprint(seat.member.ID)
	expertPage := "/experts/" + own
	year := fmt.Sprint(s.svc.Pool.ThisYear())
	reqs := []expertCall{
		{route: "GET /", url: "/", status: 200},
		{route: "GET /profile", url: "/profile", status: 200},
		{route: "GET /rubrics", url: "/rubrics", status: 200},
		{route: "GET /rubrics/:code/:version", url: "/rubrics/" + rubric, status: 200},
		{route: "GET /experts/:id", url: expertPage, status: 200},
		{route: "GET /experts/:id", url: "/experts/" + other, status: 404},
		{route: "GET /projects/:id/materials", url: fmt.Sprintf("/projects/%d/materials", project)},
		{route: "GET /projects/:id/materials", url: fmt.Sprintf("/projects/%d/materials", otherProject), status: 404},
		{route: "GET /materials/:id", url: "/materials/" + material(project)},
		{route: "GET /materials/:id", url: "/materials/" + material(otherProject), status: 404},
		{route: "GET /api/v1/me", url: "/api/v1/me", status: 200},
		{route: "GET /api/v1/tokens", url: "/api/v1/tokens", status: 200},
		{route: "GET /api/v1/invitations", url: "/api/v1/invitations", status: 200},
		{route: "GET /api/v1/experts/:id", url: "/api/v1/experts/" + own, status: 200},
		{route: "GET /api/v1/experts/:id", url: "/api/v1/experts/" + other, status: 404},
		{route: "GET /api/v1/experts/:id/conflicts", url: "/api/v1/experts/" + own + "/conflicts", status: 200},
		{route: "GET /api/v1/experts/:id/conflicts", url: "/api/v1/experts/" + other + "/conflicts", status: 404},
		{route: "GET /api/v1/experts/:id/collaborations", url: "/api/v1/experts/" + own + "/collaborations", status: 200},
		{route: "GET /api/v1/experts/:id/collaborations", url: "/api/v1/experts/" + other + "/collaborations", status: 404},
		{route: "GET /api/v1/projects/:id/materials", url: fmt.Sprintf("/api/v1/projects/%d/materials", project)},
		{route: "GET /api/v1/projects/:id/materials", url: fmt.Sprintf("/api/v1/projects/%d/materials", otherProject), status: 404},
		{route: "GET /api/v1/projects/:id/methods", url: fmt.Sprintf("/api/v1/projects/%d/methods", project)},
		{route: "GET /api/v1/materials/:id", url: "/api/v1/materials/" + material(project)},
		{route: "GET /api/v1/materials/:id/content", url: "/api/v1/materials/" + material(project) + "/content"},
		{route: "GET /api/v1/rubrics", url: "/api/v1/rubrics", status: 200},
		{route: "GET /api/v1/rubrics/:code/:version", url: "/api/v1/rubrics/" + rubric, status: 200},
		{route: "POST /api/v1/rubrics/validate", method: "POST", url: "/api/v1/rubrics/validate", body: string(content)},
		{route: "POST /api/v1/rubrics/:code/:version/check", method: "POST", url: "/api/v1/rubrics/" + rubric + "/check", body: `{"items":{}}`},
		{route: "PATCH /api/v1/me", method: "PATCH", url: "/api/v1/me", body: `{"language":"zh-CN"}`, status: 200},
		{route: "POST /api/v1/me/password", method: "POST", url: "/api/v1/me/password", body: `{"current_password":"wrong","password":"a long new password"}`, status: 400},
		{route: "POST /profile/password", method: "POST", url: "/profile/password", page: "/profile",
			form: url.Values{"current_password": {"wrong"}, "password": {"a long new password"}, "confirm": {"a long new password"}}, status: 400},
		{route: "POST /profile/tokens", method: "POST", url: "/profile/tokens", page: "/profile", form: url.Values{"name": {"laptop"}}, status: 200},
		// Conflicts with a person: declared through the page and the API,
		// then removed (one with a project comes last: it withdraws the
		// seat).
		{route: "POST /experts/:id/conflicts", method: "POST", url: expertPage + "/conflicts", page: expertPage,
			form: url.Values{"person": {"李某某"}, "year": {year}, "note": {"曾合作发表论文"}}, status: 303},
		{route: "GET /experts/:id", url: expertPage, status: 200},
		{route: "POST /experts/:id/conflicts", method: "POST", url: expertPage + "/conflicts", page: expertPage,
			form: url.Values{"year": {year}}, status: 400},
		{route: "POST /experts/:id/conflicts/:cid/delete", method: "POST", page: expertPage, status: 303,
			urlOf: func() string { return expertPage + "/conflicts/" + newestConflict() + "/delete" }},
		{route: "POST /api/v1/experts/:id/conflicts", method: "POST", url: "/api/v1/experts/" + own + "/conflicts",
			body: fmt.Sprintf(`{"person":"王某某","year":%s}`, year), status: 201},
		{route: "DELETE /api/v1/experts/:id/conflicts/:cid", method: "DELETE", status: 204,
			urlOf: func() string { return "/api/v1/experts/" + own + "/conflicts/" + newestConflict() }},
		// The workspace: what the seat's state allows (an accepted seat on
		// the scoring campaign, or none yet); never another's sheet.
		{route: "GET /api/v1/assignments", url: "/api/v1/assignments", status: 200},
		{route: "GET /api/v1/pledge", url: "/api/v1/pledge", status: 200},
		{route: "POST /api/v1/campaigns/:id/pledge", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/pledge", seat.panel.CampaignID),
			body: fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion)},
		{route: "GET /api/v1/projects/:id/workspace", url: fmt.Sprintf("/api/v1/projects/%d/workspace", project)},
		{route: "GET /api/v1/projects/:id/workspace", url: fmt.Sprintf("/api/v1/projects/%d/workspace", otherProject), status: 404},
		{route: "POST /api/v1/projects/:id/declaration", method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/declaration", project),
			body: `{"conflict":false}`},
		{route: "GET /api/v1/projects/:id/sheet", url: fmt.Sprintf("/api/v1/projects/%d/sheet", project)},
		{route: "GET /api/v1/projects/:id/sheet", url: fmt.Sprintf("/api/v1/projects/%d/sheet", otherProject), status: 404},
		{route: "PUT /api/v1/projects/:id/sheet", method: "PUT", url: fmt.Sprintf("/api/v1/projects/%d/sheet", otherProject),
			body: `{"version":0}`, status: 404},
		{route: "POST /api/v1/projects/:id/sheet/submit", method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/sheet/submit", otherProject),
			body: `{"version":0}`, status: 404},
		{route: "GET /api/v1/projects/:id/sheets", url: fmt.Sprintf("/api/v1/projects/%d/sheets", project)},
		// The panel's opinion: none drafted in the demo; another panel's
		// project is not found.
		{route: "GET /api/v1/projects/:id/opinion", url: fmt.Sprintf("/api/v1/projects/%d/opinion", project)},
		{route: "GET /api/v1/projects/:id/opinion", url: fmt.Sprintf("/api/v1/projects/%d/opinion", otherProject), status: 404},
		{route: "PUT /api/v1/projects/:id/opinion", method: "PUT", url: fmt.Sprintf("/api/v1/projects/%d/opinion", otherProject),
			body: `{"version":0,"text":"同意通过","proposed":"pass"}`, status: 404},
		{route: "PUT /api/v1/projects/:id/opinion", method: "PUT", url: fmt.Sprintf("/api/v1/projects/%d/opinion", project),
			body: `{"version":0,"text":"同意通过","proposed":"pass"}`},
		{route: "POST /api/v1/projects/:id/opinion/circulate", method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/opinion/circulate", otherProject),
			body: `{"version":1}`, status: 404},
		{route: "POST /api/v1/projects/:id/opinion/response", method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/opinion/response", project),
			body: `{"agree":true}`},
		{route: "GET /api/v1/campaigns/:id/progress", url: fmt.Sprintf("/api/v1/campaigns/%d/progress", seat.panel.CampaignID), status: 403},
		{route: "GET /campaigns/:id/progress", url: fmt.Sprintf("/campaigns/%d/progress", seat.panel.CampaignID), status: 403},
	}
	// The workspace's pages: the accepted seat's project (whose sheet the
	// demo submitted; the seat is not the chair's), the others' none.
	seated := func(status int) int {
		if seat == s.accepted {
			return status
		}
		return http.StatusNotFound
	}
	ws := fmt.Sprintf("/workspace/projects/%d", project)
	pledge := fmt.Sprintf("/workspace/campaigns/%d/pledge", seat.panel.CampaignID)
	sheetForm := url.Values{"version": {"1"}, "score.A1": {"20"}, "op": {"save"}}
	reqs = append(reqs,
		expertCall{route: "GET /workspace/campaigns/:id/pledge", url: pledge, status: seated(200)},
		expertCall{route: "POST /workspace/campaigns/:id/pledge", method: "POST", url: pledge, page: pledge,
			form: url.Values{"version": {evaluation.PledgeVersion}, "next": {ws}}, status: seated(303)},
		expertCall{route: "GET /workspace/projects/:id", url: ws, status: seated(200)},
		expertCall{route: "GET /workspace/projects/:id", url: fmt.Sprintf("/workspace/projects/%d", otherProject), status: 404},
		expertCall{route: "POST /workspace/projects/:id/declaration", method: "POST", url: ws + "/declaration", page: ws,
			form: url.Values{"conflict": {"0"}}, status: seated(303)},
		expertCall{route: "GET /workspace/projects/:id/sheet", url: ws + "/sheet", status: seated(200)},
		expertCall{route: "GET /workspace/projects/:id/sheet", url: fmt.Sprintf("/workspace/projects/%d/sheet", otherProject), status: 404},
		expertCall{route: "POST /workspace/projects/:id/sheet", method: "POST", url: ws + "/sheet", page: ws + "/sheet", form: sheetForm,
			status: seated(409)},
		expertCall{route: "POST /workspace/projects/:id/sheet/draft", method: "POST", url: ws + "/sheet/draft", page: ws + "/sheet",
			form: sheetForm, status: seated(409)},
		expertCall{route: "POST /workspace/projects/:id/sheet/draft", method: "POST", page: ws + "/sheet",
			url: fmt.Sprintf("/workspace/projects/%d/sheet/draft", otherProject), form: sheetForm, status: 404},
		expertCall{route: "GET /workspace/projects/:id/sheet/review", url: ws + "/sheet/review", status: seated(302)},
		expertCall{route: "POST /workspace/projects/:id/sheet/submit", method: "POST", url: ws + "/sheet/submit", page: ws + "/sheet",
			form: url.Values{"version": {"1"}}, status: seated(409)},
		expertCall{route: "GET /workspace/projects/:id/panel", url: ws + "/panel", status: seated(403)},
		expertCall{route: "GET /workspace/projects/:id/panel", url: fmt.Sprintf("/workspace/projects/%d/panel", otherProject), status: 404},
		expertCall{route: "GET /workspace/projects/:id/opinion", url: ws + "/opinion", status: seated(200)},
		expertCall{route: "GET /workspace/projects/:id/opinion", url: fmt.Sprintf("/workspace/projects/%d/opinion", otherProject), status: 404},
		expertCall{route: "POST /workspace/projects/:id/opinion", method: "POST", url: ws + "/opinion", page: ws + "/opinion",
			form: url.Values{"version": {"0"}, "text": {""}, "op": {"save"}}},
		expertCall{route: "POST /workspace/projects/:id/opinion", method: "POST", page: ws + "/opinion",
			url: fmt.Sprintf("/workspace/projects/%d/opinion", otherProject), form: url.Values{"version": {"0"}, "op": {"save"}}, status: 404},
		expertCall{route: "POST /workspace/projects/:id/opinion/response", method: "POST", url: ws + "/opinion/response", page: ws + "/opinion",
			form: url.Values{"agree": {"0"}}},
		expertCall{route: "POST /workspace/projects/:id/opinion/response", method: "POST", page: ws + "/opinion",
			url: fmt.Sprintf("/workspace/projects/%d/opinion/response", otherProject), form: url.Values{"agree": {"1"}}, status: 404},
	)
	// Answers: the open invitations are answered through one face each,
	// then every face finds them answered.
	answered := http.StatusConflict
	switch seat {
	case s.invited:
		reqs = append(reqs, expertCall{route: "POST /invitations/:member/accept", method: "POST", url: "/invitations/" + member + "/accept", status: 303})
	case s.invited2:
		reqs = append(reqs, expertCall{route: "POST /api/v1/invitations/:member/decline", method: "POST",
			url: "/api/v1/invitations/" + member + "/decline", body: `{"reason":"身体原因，无法参加"}`, status: 200})
	}
	reqs = append(reqs,
		expertCall{route: "POST /invitations/:member/accept", method: "POST", url: "/invitations/" + member + "/accept", status: answered},
		expertCall{route: "POST /invitations/:member/decline", method: "POST", url: "/invitations/" + member + "/decline",
			form: url.Values{"reason": {"时间冲突"}}, status: answered},
		expertCall{route: "POST /api/v1/invitations/:member/accept", method: "POST", url: "/api/v1/invitations/" + member + "/accept", status: answered},
		expertCall{route: "POST /api/v1/invitations/:member/decline", method: "POST", url: "/api/v1/invitations/" + member + "/decline",
			body: `{"reason":"时间冲突"}`, status: answered},
		expertCall{route: "GET /", url: "/", status: 200},
		expertCall{route: "GET /api/v1/invitations", url: "/api/v1/invitations", status: 200},
		// The seat accepted above opens in the workspace (the pledge
		// first).
		expertCall{route: "GET /workspace/projects/:id", url: ws},
		expertCall{route: "GET /workspace/campaigns/:id/pledge", url: pledge},
		// A conflict with a project of the invitation, through the page:
		// it withdraws the seat and stays until the agency lifts it.
		expertCall{route: "POST /experts/:id/conflicts", method: "POST", url: expertPage + "/conflicts", page: expertPage,
			form: url.Values{"project_id": {fmt.Sprint(project)}, "year": {year}, "note": {"曾参与该项目评审前期咨询"}}, status: 303},
		expertCall{route: "DELETE /api/v1/experts/:id/conflicts/:cid", method: "DELETE", status: 403,
			urlOf: func() string { return "/api/v1/experts/" + own + "/conflicts/" + newestConflict() }},
		expertCall{route: "GET /api/v1/projects/:id/workspace", url: fmt.Sprintf("/api/v1/projects/%d/workspace", project), status: 404},
		expertCall{route: "POST /tokens/:id/revoke", method: "POST", url: "/tokens/" + spare() + "/revoke", page: "/profile", status: 303},
		expertCall{route: "DELETE /api/v1/tokens/:id", method: "DELETE", url: "/api/v1/tokens/" + spare(), status: 204},
		expertCall{route: "POST /logout", method: "POST", url: "/logout", status: 303},
		expertCall{route: "DELETE /api/v1/auth/token", method: "DELETE", url: "/api/v1/auth/token", status: 204},
	)
	for i := range reqs {
		if reqs[i].method == "" {
			reqs[i].method = http.MethodGet
		}
	}
	return reqs
}

// TestInvitationNamesTheChairOnceAccepted: an expert who accepted a seat
// on a confirmed panel is told who chairs it, on the dashboard and in the
// API; one who has not answered is not.
func TestInvitationNamesTheChairOnceAccepted(t *testing.T) {
	s := newDemoSite(t)
	chairOf := func(p *evaluation.Panel) *evaluation.PanelMember {
		for _, m := range p.Members {
			if m.Chair && m.Status.Seated() {
				return m
			}
		}
		t.Fatalf("panel %d has no chair", p.ID)
		return nil
	}
	for _, tc := range []struct {
		seat *panelSeat
		want string
	}{
		{s.accepted, chairOf(s.accepted.panel).Expert.Name},
		{s.invited, ""},
	} {
		if tc.seat.member.Chair {
			t.Fatalf("%s chairs the panel; the fixture needs a member", tc.seat.username)
		}
		_, body := s.api(tc.seat.username, "GET", "/api/v1/invitations", "")
		var list struct{ Items []evaluation.Invitation }
		s.decode(body, &list)
		found := false
		for _, inv := range list.Items {
			if inv.Member.ID == tc.seat.member.ID {
				found = true
				if inv.Chair != tc.want {
					t.Errorf("%s: chair %q, want %q", tc.seat.username, inv.Chair, tc.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: the invitation is missing: %s", tc.seat.username, body)
		}
		br := s.browser()
		br.login(tc.seat.username)
		_, page := br.get("/")
		id := fmt.Sprintf(`id="invitation-chair-%d"`, tc.seat.member.ID)
		if got := strings.Contains(page, id) && strings.Contains(page, tc.want); got != (tc.want != "") {
			t.Errorf("%s: the dashboard names the chair: %v, want %v", tc.seat.username, got, tc.want != "")
		}
	}
}

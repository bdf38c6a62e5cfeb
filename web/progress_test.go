package web

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// While the campaign scores, the panel page offers to replace the members
// who have not started, through the forms of forming; a member who has
// started has no form, and a replacement of them is refused with the
// reason and changes nothing, on the page and in the API.
func TestReplaceDuringScoringHTTP(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	newcomer := h.addPoolExpert("领域专家9", evaluation.DomainExpert, "第9研究院")
	started := s.memberOf(h, s.member)
	h.openSheet(s, s.member)
	h.mustAPI(s.member, "PUT", fmt.Sprintf("/api/v1/projects/%d/sheet", s.projectID), `{"version":0,"scores":{"A1":20}}`, http.StatusOK)
	notStarted := s.memberOf(h, s.other)
	panelURL := fmt.Sprintf("/panels/%d", s.panel.ID)

	staff := h.browser()
	staff.login("staffa")
	_, page := staff.get(panelURL)
	for _, m := range s.panel.Members {
		link := fmt.Sprintf(`id="replace-link-%d"`, m.ID)
		if want := m.Status.Seated() && m.ID != started.ID; strings.Contains(page, link) != want {
			t.Errorf("replace link of %s (%s): %v, want %v", m.Expert.Name, m.Status, !want, want)
		}
	}
	if strings.Contains(page, "/chair") || strings.Contains(page, `id="invite-panel"`) {
		t.Error("the panel page offers the chair or invitations during scoring")
	}

	// The member who started: no form, the reason, nothing changed.
	resp, page := staff.get(fmt.Sprintf("%s?replace=%d", panelURL, started.ID))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(visibleText(page), "已开始评分") || strings.Contains(page, `id="change-form"`) {
		t.Errorf("the replace form of a member who started: %d, want 409 with the reason and no form", resp.StatusCode)
	}
	h.warmTokens()
	before := h.dump()
	resp, page = staff.post(fmt.Sprintf("%s/members/%d/replace", panelURL, started.ID), formOf("expert_id", fmt.Sprint(newcomer.ID), "op", "replace"))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(visibleText(page), "已开始评分") {
		t.Errorf("replace a member who started: %d, want 409 with the reason", resp.StatusCode)
	}
	for _, path := range []string{"replace", "check"} {
		_, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/panels/%d/members/%d/%s", s.panel.ID, started.ID, path), fmt.Sprintf(`{"expert_id":%d}`, newcomer.ID))
		if e := wantError(t, body, evaluation.Conflict); !strings.Contains(e.Message, "已开始评分") {
			t.Errorf("API %s of a member who started: %s", path, body)
		}
	}
	if h.dump() != before {
		t.Error("a refused replacement changed the database")
	}

	// The member who has not started: the form of forming, with the
	// note on scoring; checked, then replaced.
	resp, page = staff.get(fmt.Sprintf("%s?replace=%d", panelURL, notStarted.ID))
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="scoring-replace-note"`) ||
		candidateGroups(page)[newcomer.ID] != "pass" {
		t.Fatalf("the replace form of a member who has not started: %d, 领域专家9 %q", resp.StatusCode, candidateGroups(page)[newcomer.ID])
	}
	form := formOf("expert_id", fmt.Sprint(newcomer.ID), "op", "replace")
	audit := h.auditActions()
	if resp, _ := staff.post(fmt.Sprintf("%s/members/%d/replace", panelURL, notStarted.ID), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("replace a member who has not started: %d", resp.StatusCode)
	}
	if got := h.auditActions()[len(audit):]; !slices.Equal(got, []string{"panel.replace"}) {
		t.Errorf("audit entries %q, want panel.replace", got)
	}
	panel, err := h.svc.Panels.Panel(context.Background(), h.users["staffa"].Actor(), s.panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := panel.MemberOf(newcomer.ID); !ok || m.Status != evaluation.MemberInvited {
		t.Errorf("the newcomer: %+v, want invited", m)
	}
	if old, _ := panel.Member(notStarted.ID); old.Status != evaluation.MemberRemoved {
		t.Errorf("the replaced member is %s, want removed", old.Status)
	}

	// The commission reads the page with no change offered.
	com := h.browser()
	com.login("commission")
	if _, page := com.get(panelURL); strings.Contains(page, "replace-link-") {
		t.Error("the commission is offered a replacement")
	}
}

// memberOf is the panel member row of the harness user.
func (s *scoring) memberOf(h *harness, username string) *evaluation.PanelMember {
	h.t.Helper()
	m, ok := s.panel.MemberOf(h.userOf(username).ExpertID)
	if !ok {
		h.t.Fatalf("%s is not on the panel", username)
	}
	return m
}

// progressCampaign is a campaign of agency A in scoring with three
// projects, each on its own confirmed panel, worked on as a mixed
// campaign is: on P-1 one technical member submitted, one submitted and
// had the sheet reopened, one drafts; on P-2 one drafts and one withdrew
// for a declared conflict; on P-3 nobody has started, and every member
// has their own later deadline. The clock is then past the campaign's
// deadline, so that the members of P-1 and P-2 with sheets left are
// overdue.
type progressCampaign struct {
	id       int64
	projects []int64 // P-1, P-2, P-3
	panels   []*evaluation.Panel
	// On P-1: the sheet submitted, the sheet reopened, the draft.
	submitted, reopened, draft int64
	drafter                    string // the member drafting on P-1
	withdrawn                  *evaluation.PanelMember
	extendedTo                 string
}

func (h *harness) progressCampaign() *progressCampaign {
	h.t.Helper()
	t, ctx := h.t, context.Background()
	h.withRubrics()
	accounts := h.withPool()
	staff := h.users["staffa"].Actor()
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringDue = h.now.In(evaluation.Beijing).AddDate(0, 0, 14).Format(time.DateOnly)
	c, err := h.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "进度批次", Year: 2026, Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	pc := &progressCampaign{id: c.ID}
	for _, code := range []string{"P-1", "P-2", "P-3"} {
		var p evaluation.Project
		h.decode(fmt.Sprintf(projectJSON, code), &p)
		if err := h.svc.Campaigns.CreateProjects(ctx, staff, c.ID, []*evaluation.Project{&p}); err != nil {
			t.Fatal(err)
		}
		pc.projects = append(pc.projects, p.ID)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	for _, id := range pc.projects {
		panel, err := h.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{id}, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := h.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
			t.Fatal(err)
		}
		if panel, err = h.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
			t.Fatal(err)
		}
		for _, m := range panel.Members {
			if m.Status == evaluation.MemberInvited {
				if _, err := h.svc.Panels.RespondToInvitation(ctx, h.userOf(accounts[m.Expert.Name]).Actor(), m.ID, true, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatal(err)
	}
	panels, err := h.svc.Panels.Panels(ctx, staff, c.ID)
	if err != nil || len(panels) != 3 {
		t.Fatalf("panels: %d, %v", len(panels), err)
	}
	// Panels come in id order, as drawn: P-1, P-2, P-3.
	pc.panels = panels
	technical := func(i int) []string {
		var out []string
		for _, m := range panels[i].Seated(evaluation.SeatTechnical) {
			out = append(out, accounts[m.Expert.Name])
		}
		return out
	}
	p1, p2 := technical(0), technical(1)
	pc.submitted = h.work(c.ID, pc.projects[0], p1[0], true)
	pc.reopened = h.work(c.ID, pc.projects[0], p1[1], true)
	pc.draft = h.work(c.ID, pc.projects[0], p1[2], false)
	pc.drafter = p1[2]
	if _, err := h.svc.Sheets.ReopenSheet(ctx, staff, pc.reopened, "请补充评分依据"); err != nil {
		t.Fatal(err)
	}
	h.work(c.ID, pc.projects[1], p2[0], false)
	h.pledge(c.ID, pc.projects[1], p2[1])
	h.mustAPI(p2[1], "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", pc.projects[1]), `{"conflict":true,"reason":"曾参与该项目的前期咨询"}`, http.StatusNoContent)
	pc.withdrawn, _ = panels[1].MemberOf(h.userOf(p2[1]).ExpertID)
	pc.extendedTo = h.now.In(evaluation.Beijing).AddDate(0, 0, 40).Format(time.DateOnly)
	for _, seat := range []evaluation.Seat{evaluation.SeatTechnical, evaluation.SeatFinance} {
		for _, m := range panels[2].Seated(seat) {
			if err := h.svc.Sheets.ExtendDeadline(ctx, staff, panels[2].ID, m.ID, pc.extendedTo, "出差"); err != nil {
				t.Fatal(err)
			}
		}
	}
	h.now = h.now.AddDate(0, 0, 20)
	return pc
}

// pledge signs the campaign's pledge as the expert, once.
func (h *harness) pledge(campaignID, projectID int64, as string) {
	h.t.Helper()
	h.mustAPI(as, "POST", fmt.Sprintf("/api/v1/campaigns/%d/pledge", campaignID), fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion), http.StatusNoContent)
}

// work has the expert sign the pledge, declare no conflict with the
// project and save a full sheet, submitted or as a draft; it returns the
// sheet's id.
func (h *harness) work(campaignID, projectID int64, as string, submit bool) int64 {
	h.t.Helper()
	h.pledge(campaignID, projectID, as)
	h.mustAPI(as, "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", projectID), `{"conflict":false}`, http.StatusNoContent)
	target := fmt.Sprintf("/api/v1/projects/%d/sheet", projectID)
	method := "PUT"
	if submit {
		method, target = "POST", target+"/submit"
	}
	var sh evaluation.Sheet
	h.decode(h.mustAPI(as, method, target, `{"version":0,`+fullSheet+`}`, http.StatusOK), &sh)
	return sh.ID
}

// The page shows the domain's figures: overall and per panel, the overdue
// members, the matrices; a page of panels at a time, optionally only those
// with overdue members.
func TestProgressPageShowsTheDomainsCounts(t *testing.T) {
	h := newHarness(t)
	pc := h.progressCampaign()
	want, err := h.svc.Sheets.Progress(context.Background(), h.users["staffa"].Actor(), pc.id, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := want.Counts; n.Submitted != 1 || n.Reopened != 1 || n.Draft != 2 || n.NotStarted == 0 || n.Overdue == 0 || len(want.Overdue) == 0 {
		t.Fatalf("the campaign is not as mixed as the test means: %+v, %d overdue", n, len(want.Overdue))
	}
	staff := h.browser()
	staff.login("staffa")
	base := fmt.Sprintf("/campaigns/%d/progress", pc.id)
	resp, page := staff.get(base)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", base, resp.StatusCode)
	}
	overall := section(page, `id="overall-counts"`, "</ul>")
	for status, n := range map[string]int{"submitted": want.Counts.Submitted, "reopened": want.Counts.Reopened, "draft": want.Counts.Draft,
		"not_started": want.Counts.NotStarted, "overdue": want.Counts.Overdue} {
		if !strings.Contains(overall, fmt.Sprintf(`data-count="%s">%d<`, status, n)) {
			t.Errorf("overall %s: the page does not show %d: %s", status, n, overall)
		}
	}
	if got := section(page, `id="overall-percent">`, "</strong>"); !strings.Contains(got, fmt.Sprintf(">%d%%", want.Counts.Percent())) {
		t.Errorf("overall percent %q, want %d%%", got, want.Counts.Percent())
	}
	text := visibleText(page)
	if !strings.Contains(text, fmt.Sprintf("应交 %d 份评分表，已提交 %d 份", want.Counts.Expected, want.Counts.Submitted)) {
		t.Errorf("the page does not say %d of %d submitted", want.Counts.Submitted, want.Counts.Expected)
	}
	for _, pp := range want.Panels {
		if !strings.Contains(page, fmt.Sprintf(`id="panel-%d-counts" data-submitted="%d" data-expected="%d"`, pp.PanelID, pp.Counts.Submitted, pp.Counts.Expected)) ||
			!strings.Contains(text, fmt.Sprintf("已提交 %d/%d · %d%%", pp.Counts.Submitted, pp.Counts.Expected, pp.Counts.Percent())) {
			t.Errorf("panel %s: the page does not show %d/%d", pp.Name, pp.Counts.Submitted, pp.Counts.Expected)
		}
		// The matrix: every cell with the domain's status, overdue ones
		// marked, then a column for each expert who withdrew with a
		// declared conflict: the project declared, and none of the others.
		matrix := section(page, fmt.Sprintf(`id="matrix-%d"`, pp.PanelID), "</table>")
		cells := regexp.MustCompile(`<td class="cell[^"]*" data-status="(\w+)"`).FindAllStringSubmatch(matrix, -1)
		var wantCells, gotCells []string
		for _, row := range pp.Projects {
			for _, cell := range row.Cells {
				wantCells = append(wantCells, cmp.Or(string(cell.Status), "none"))
			}
			for _, pc := range pp.Conflicts {
				wantCells = append(wantCells, map[bool]string{true: "conflict", false: "withdrawn"}[pc.ProjectID == row.Project.ID])
			}
		}
		for _, m := range cells {
			gotCells = append(gotCells, m[1])
		}
		if !slices.Equal(gotCells, wantCells) {
			t.Errorf("panel %s: cells %q, want %q", pp.Name, gotCells, wantCells)
		}
		if got := strings.Count(matrix, " overdue\" data-status="); got != pp.Counts.Overdue {
			t.Errorf("panel %s: %d cells marked overdue, want %d", pp.Name, got, pp.Counts.Overdue)
		}
	}
	if got := strings.Count(section(page, `id="overdue-table"`, "</table>"), `<tr id="overdue-`); got != len(want.Overdue) {
		t.Errorf("%d overdue members listed, want %d", got, len(want.Overdue))
	}
	if !strings.Contains(text, "延至 "+pc.extendedTo) {
		t.Errorf("the extended deadline %s is not shown", pc.extendedTo)
	}
	if !strings.Contains(page, fmt.Sprintf(`id="conflict-%d-%d"`, pc.projects[1], pc.withdrawn.ExpertID)) ||
		!strings.Contains(page, fmt.Sprintf(`id="withdrawn-%d-%d"`, pc.panels[1].ID, pc.withdrawn.ExpertID)) {
		t.Error("the declared conflict is not listed, or its expert has no column in the matrix")
	}

	panelsOn := func(target string) []int64 {
		t.Helper()
		resp, page := staff.get(target)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", target, resp.StatusCode)
		}
		var ids []int64
		for _, m := range regexp.MustCompile(`<section class="panel-progress" id="panel-(\d+)"`).FindAllStringSubmatch(page, -1) {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			ids = append(ids, id)
		}
		return ids
	}
	ids := func(list ...*evaluation.Panel) []int64 {
		var out []int64
		for _, p := range list {
			out = append(out, p.ID)
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []int64
	}{
		{"", ids(pc.panels...)},
		{"?per_page=2", ids(pc.panels[:2]...)},
		{"?per_page=2&page=2", ids(pc.panels[2])},
		{"?overdue=1", ids(pc.panels[:2]...)},
		{"?overdue=1&per_page=1&page=2", ids(pc.panels[1])},
	} {
		if got := panelsOn(base + tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%s: panels %v, want %v", tc.query, got, tc.want)
		}
	}
	_, page = staff.get(base + "?per_page=2")
	if !strings.Contains(page, `href="?page=2&amp;per_page=2" rel="next"`) {
		t.Errorf("page 1 of 2 has no link to the next: %s", section(page, `class="table-foot"`, "</div>"))
	}
	for _, bad := range []string{"?overdue=yes", "?page=x"} {
		if resp, _ := staff.get(base + bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d, want 400", bad, resp.StatusCode)
		}
	}
}

// The actions of the page, through its forms: each is offered on the card
// the page links to, refused with the problem beside its field (or on the
// card) and nothing changed, and done with its audit entry and a message.
func TestProgressActionsThroughTheForms(t *testing.T) {
	h := newHarness(t)
	pc := h.progressCampaign()
	staff := h.browser()
	staff.login("staffa")
	base := fmt.Sprintf("/campaigns/%d/progress", pc.id)
	members := func() *evaluation.Panel {
		p, err := h.svc.Panels.Panel(context.Background(), h.users["staffa"].Actor(), pc.panels[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	drafter, _ := members().MemberOf(h.userOf(pc.drafter).ExpertID)
	future := h.now.In(evaluation.Beijing).AddDate(0, 0, 10).Format(time.DateOnly)
	yesterday := h.now.In(evaluation.Beijing).AddDate(0, 0, -1).Format(time.DateOnly)
	sheetOf := func(id int64) string {
		sh, err := h.db.SheetByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return string(sh.Status)
	}

	// The cards the page links to.
	_, page := staff.get(base)
	for _, link := range []string{
		fmt.Sprintf(`href="?reopen=%d#action"`, pc.submitted),
		fmt.Sprintf(`href="?member=%d#action"`, drafter.ID),
		fmt.Sprintf(`href="?expert=%d&amp;lift=%d#action"`, pc.withdrawn.ExpertID, pc.projects[1]),
		`id="remind-all"`,
	} {
		if !strings.Contains(page, link) {
			t.Errorf("the page lacks %s", link)
		}
	}
	if strings.Contains(page, fmt.Sprintf(`href="?reopen=%d#action"`, pc.draft)) {
		t.Error("a draft is offered for reopening")
	}
	for _, tc := range []struct {
		query, form string
		status      int
	}{
		{fmt.Sprintf("?reopen=%d", pc.submitted), `id="reopen-form"`, 200},
		{fmt.Sprintf("?reopen=%d", pc.draft), `id="reopen-form"`, 409},
		{fmt.Sprintf("?member=%d", drafter.ID), `id="extend-form"`, 200},
		{fmt.Sprintf("?lift=%d&expert=%d", pc.projects[1], pc.withdrawn.ExpertID), `id="lift-form"`, 200},
		{"?reopen=999999", "", 404},
		{"?member=x", "", 404},
		{fmt.Sprintf("?lift=%d&expert=%d", pc.projects[0], pc.withdrawn.ExpertID), "", 404},
	} {
		resp, page := staff.get(base + tc.query)
		if resp.StatusCode != tc.status || (tc.form != "" && !strings.Contains(page, tc.form)) {
			t.Errorf("GET %s: %d, want %d with %s", tc.query, resp.StatusCode, tc.status, tc.form)
		}
	}

	for _, tc := range []struct {
		name, url string
		form      url.Values
		status    int
		field     string // the field whose error is shown, "" for the card's message
		text      string // what the page says
		audit     []string
		flash     string
		after     func(t *testing.T)
	}{
		{name: "reopen without a reason", url: "/reopen", form: formOf("sheet_id", fmt.Sprint(pc.submitted), "reason", "  "),
			status: 400, field: "reason"},
		{name: "reopen a draft", url: "/reopen", form: formOf("sheet_id", fmt.Sprint(pc.draft), "reason", "复核"),
			status: 409, text: "只有已提交的评分表才能退回"},
		{name: "reopen a sheet of no panel of the page", url: "/reopen", form: formOf("sheet_id", "999999", "reason", "复核"), status: 404},
		{name: "reopen", url: "/reopen", form: formOf("sheet_id", fmt.Sprint(pc.submitted), "reason", "A3 评分依据不足，请复核"),
			status: 303, audit: []string{"sheet.reopen"}, flash: "已退回",
			after: func(t *testing.T) {
				if got := sheetOf(pc.submitted); got != "reopened" {
					t.Errorf("the sheet is %s, want reopened", got)
				}
			}},
		{name: "extend to a date that is not one", url: "/extend", form: formOf("member_id", fmt.Sprint(drafter.ID), "due", "2026-13-40", "reason", "出差"),
			status: 400, field: "due"},
		{name: "extend to a day past", url: "/extend", form: formOf("member_id", fmt.Sprint(drafter.ID), "due", yesterday, "reason", "出差"),
			status: 400, field: "due"},
		{name: "extend without a reason", url: "/extend", form: formOf("member_id", fmt.Sprint(drafter.ID), "due", future, "reason", ""),
			status: 400, field: "reason"},
		{name: "extend", url: "/extend", form: formOf("member_id", fmt.Sprint(drafter.ID), "due", future, "reason", "专家出国，经申请延期"),
			status: 303, audit: []string{"panel.extend_deadline"}, flash: "截止日期已延长至 " + future,
			after: func(t *testing.T) {
				if m, _ := members().Member(drafter.ID); m.Due != future {
					t.Errorf("the member's deadline is %q, want %s", m.Due, future)
				}
			}},
		{name: "lift without a reason", url: "/lift", form: formOf("project_id", fmt.Sprint(pc.projects[1]), "expert_id", fmt.Sprint(pc.withdrawn.ExpertID)),
			status: 400, field: "reason"},
		{name: "lift", url: "/lift", form: formOf("project_id", fmt.Sprint(pc.projects[1]), "expert_id", fmt.Sprint(pc.withdrawn.ExpertID), "reason", "经核实不存在利益冲突"),
			status: 303, audit: []string{"project.lift_conflict"}, flash: "已解除"},
		{name: "remind an expert with nothing left", url: "/reminders", form: formOf("expert_id", fmt.Sprint(h.expertID)),
			status: 409, text: "该专家没有待提交的评分表"},
		{name: "remind one expert", url: "/reminders", form: formOf("expert_id", fmt.Sprint(drafter.ExpertID), "member_id", fmt.Sprint(drafter.ID)),
			status: 303, audit: []string{"campaign.remind"}, flash: "已向 1 位专家发送提醒"},
		{name: "remind everyone", url: "/reminders", status: 303, audit: []string{"campaign.remind"}, flash: "已向 ",
			after: func(t *testing.T) {
				// The same day again: nobody new.
				staff.get(base)
				if resp, _ := staff.post(base+"/reminders", nil); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("remind again: %d", resp.StatusCode)
				}
				if _, page := staff.get(base); !strings.Contains(visibleText(page), "没有发送新的提醒") {
					t.Error("reminding again the same day does not say that nobody was reminded")
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			staff.get(base)
			before, audit := h.dump(), h.auditActions()
			resp, page := staff.post(base+tc.url, tc.form)
			if resp.StatusCode != tc.status {
				t.Fatalf("POST %s: %d, want %d: %s", tc.url, resp.StatusCode, tc.status, visibleText(page))
			}
			if tc.status >= 400 {
				if h.dump() != before {
					t.Error("a refused action changed the database")
				}
				if tc.field != "" && !strings.Contains(page, fmt.Sprintf(`id="e-%s" role="alert"`, tc.field)) {
					t.Errorf("no error beside %s", tc.field)
				}
				if tc.text != "" && !strings.Contains(visibleText(page), tc.text) {
					t.Errorf("the page does not say %q", tc.text)
				}
				return
			}
			if got := h.auditActions()[len(audit):]; !slices.Equal(got, tc.audit) {
				t.Errorf("audit entries %q, want %q", got, tc.audit)
			}
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, base) {
				t.Errorf("after the action the browser goes to %s, want the progress page", loc)
			}
			if _, page := staff.get(base); !strings.Contains(section(page, `id="flash"`, "</div>"), tc.flash) {
				t.Errorf("the flash does not say %q: %s", tc.flash, section(page, `id="flash"`, "</div>"))
			}
			if tc.after != nil {
				tc.after(t)
			}
		})
	}
}

// Who sees the page, and who acts on it: another agency finds nothing, an
// expert is refused, the commission and administrators read it without a
// single action; nobody but the agency's staff can post an action.
func TestProgressPageAccess(t *testing.T) {
	h := newHarness(t)
	pc := h.progressCampaign()
	base := fmt.Sprintf("/campaigns/%d/progress", pc.id)
	actions := []string{"/progress/reminders", "?reopen=", "?member=", "?expert=", "replace="}
	for _, tc := range []struct {
		as     string
		status int
	}{
		{"staffa", 200}, {"staffb", 404}, {"expert", 403}, {"commission", 200}, {"admin", 200},
	} {
		t.Run(tc.as, func(t *testing.T) {
			b := h.browser()
			b.login(tc.as)
			resp, page := b.get(base)
			if resp.StatusCode != tc.status {
				t.Fatalf("GET: %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status != 200 {
				return
			}
			for _, a := range actions {
				if got := strings.Contains(page, a); got != (tc.as == "staffa") {
					t.Errorf("the page offers %s: %v", a, got)
				}
			}
			// A card asked for by address is not shown to a reader.
			if _, page := b.get(fmt.Sprintf("%s?reopen=%d", base, pc.submitted)); tc.as != "staffa" && strings.Contains(page, `id="action"`) {
				t.Error("a reader is shown the reopen card")
			}
			h.warmTokens()
			before := h.dump()
			resp, _ = b.post(base+"/reopen", formOf("sheet_id", fmt.Sprint(pc.submitted), "reason", "复核"))
			if want := map[string]int{"staffa": 303, "commission": 403, "admin": 403}[tc.as]; resp.StatusCode != want {
				t.Errorf("POST reopen: %d, want %d", resp.StatusCode, want)
			}
			if tc.as != "staffa" && h.dump() != before {
				t.Error("a refused reopening changed the database")
			}
		})
	}
	b := h.browser()
	b.login("staffb")
	b.get("/")
	if resp, _ := b.post(base+"/reopen", formOf("sheet_id", fmt.Sprint(pc.submitted), "reason", "复核")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another agency reopens: %d, want 404", resp.StatusCode)
	}
}

// A campaign of 500 projects, each on its own panel of six accepted
// members, is shown a page of panels at a time: page 1 holds at most a
// page of matrices, the counts cover all 500 panels, and the pager leads
// on. (How fast it renders is logged, not asserted.)
func TestProgressPageOfALargeCampaign(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.withRubrics()
	accounts := h.withPool()
	staff := h.users["staffa"].Actor()
	c, err := h.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "大批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	const projects = 500
	list := make([]*evaluation.Project, projects)
	for i := range list {
		list[i] = &evaluation.Project{}
		h.decode(fmt.Sprintf(projectJSON, fmt.Sprintf("2026-DP-%03d", i+1)), list[i])
	}
	if err := h.svc.Campaigns.CreateProjects(ctx, staff, c.ID, list); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	// The panels go straight into the store: forming 500 of them through
	// the draws is another test's business.
	var experts []int64
	for _, username := range accounts {
		if len(experts) < 6 {
			experts = append(experts, h.userOf(username).ExpertID)
		}
	}
	var ids []int64
	for page := 1; len(ids) < projects; page++ {
		stored, _, err := h.svc.Campaigns.Projects(ctx, staff, evaluation.ProjectFilter{CampaignID: c.ID, Page: evaluation.Page{Number: page, Size: evaluation.MaxPageSize}})
		if err != nil || len(stored) == 0 {
			t.Fatalf("projects page %d: %d, %v", page, len(stored), err)
		}
		for _, p := range stored {
			ids = append(ids, p.ID)
		}
	}
	err = h.db.InTx(ctx, func(tx evaluation.Tx) error {
		for _, id := range ids {
			p := &evaluation.Panel{CampaignID: c.ID, AgencyID: c.AgencyID, Name: fmt.Sprint(id), State: evaluation.PanelConfirmed,
				ProjectIDs: []int64{id}, CreatedAt: h.now, UpdatedAt: h.now}
			if err := tx.CreatePanel(ctx, p); err != nil {
				return err
			}
			for i, ex := range experts {
				seat := evaluation.SeatTechnical
				if i == len(experts)-1 {
					seat = evaluation.SeatFinance
				}
				if err := tx.AddPanelMember(ctx, &evaluation.PanelMember{PanelID: p.ID, ExpertID: ex, Seat: seat, Chair: i == 0,
					Status: evaluation.MemberAccepted, Source: "draw", CreatedAt: h.now}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatal(err)
	}

	b := h.browser()
	b.login("staffa")
	start := time.Now()
	resp, page := b.get(fmt.Sprintf("/campaigns/%d/progress", c.ID))
	t.Logf("page 1 of %d panels: %v, %d KiB", projects, time.Since(start), len(page)/1024)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d", resp.StatusCode)
	}
	if n := strings.Count(page, `<section class="panel-progress"`); n == 0 || n > evaluation.DefaultPageSize {
		t.Errorf("page 1 holds %d panels, want 1 to %d", n, evaluation.DefaultPageSize)
	}
	if !strings.Contains(page, fmt.Sprintf(`id="panel-total">%d<`, projects)) || !strings.Contains(page, fmt.Sprintf(`data-count="not_started">%d<`, projects*len(experts))) {
		t.Errorf("the counts do not cover the %d panels", projects)
	}
	if !strings.Contains(page, `rel="next"`) {
		t.Error("page 1 has no link to the next page")
	}
}

// sheetCounts are a campaign's or a panel's sheet counts as the progress
// page shows them.
type sheetCounts struct{ Expected, NotStarted, Draft, Submitted, Reopened, Overdue int }

// progressInDB counts a campaign's sheets with SQL on the SQLite file, apart
// from the domain's code: one sheet is expected of each accepted member for
// each project of their panel, its status is the sheets row's (none: not
// started), and it is overdue when the campaign scores, it is not
// submitted and the member's last day (their own, else the campaign's) is
// before today in Beijing. It returns the campaign's counts, each panel's
// (every panel of the campaign, with or without sheets) and how many
// members are overdue.
func progressInDB(t *testing.T, db *sql.DB, campaignID int64, now time.Time) (sheetCounts, map[int64]sheetCounts, int) {
	t.Helper()
	ctx := context.Background()
	today := now.In(evaluation.Beijing).Format(time.DateOnly)
	const overdue = `c.state = 'scoring' AND COALESCE(s.status, '') <> 'submitted'
		AND COALESCE(NULLIF(m.due, ''), NULLIF(json_extract(c.settings, '$.scoring_due'), '')) < ?`
	rows, err := db.QueryContext(ctx, `
		SELECT p.id, COUNT(m.id),
			COUNT(CASE WHEN m.id IS NOT NULL AND s.id IS NULL THEN 1 END),
			COUNT(CASE WHEN s.status = 'draft' THEN 1 END),
			COUNT(CASE WHEN s.status = 'submitted' THEN 1 END),
			COUNT(CASE WHEN s.status = 'reopened' THEN 1 END),
			COUNT(CASE WHEN m.id IS NOT NULL AND `+overdue+` THEN 1 END)
		FROM panels p
		JOIN campaigns c ON c.id = p.campaign_id
		LEFT JOIN panel_projects pp ON pp.panel_id = p.id
		LEFT JOIN panel_members m ON m.panel_id = p.id AND m.status = 'accepted'
		LEFT JOIN sheets s ON s.project_id = pp.project_id AND s.expert_id = m.expert_id
		WHERE p.campaign_id = ?
		GROUP BY p.id`, today, campaignID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var all sheetCounts
	panels := map[int64]sheetCounts{}
	for rows.Next() {
		var id int64
		var n sheetCounts
		if err := rows.Scan(&id, &n.Expected, &n.NotStarted, &n.Draft, &n.Submitted, &n.Reopened, &n.Overdue); err != nil {
			t.Fatal(err)
		}
		panels[id] = n
		all.Expected += n.Expected
		all.NotStarted += n.NotStarted
		all.Draft += n.Draft
		all.Submitted += n.Submitted
		all.Reopened += n.Reopened
		all.Overdue += n.Overdue
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var members int
	if err := db.QueryRowContext(ctx, `
		SELECT COUNT(DISTINCT m.id)
		FROM panels p
		JOIN campaigns c ON c.id = p.campaign_id
		JOIN panel_projects pp ON pp.panel_id = p.id
		JOIN panel_members m ON m.panel_id = p.id AND m.status = 'accepted'
		LEFT JOIN sheets s ON s.project_id = pp.project_id AND s.expert_id = m.expert_id
		WHERE p.campaign_id = ? AND `+overdue, campaignID, today).Scan(&members); err != nil {
		t.Fatal(err)
	}
	return all, panels, members
}

// progressOnPage reads the counts the progress page shows: overall, per
// panel (its figures, and its matrix's cells by status), and the overdue
// members listed.
func progressOnPage(t *testing.T, page string) (sheetCounts, map[int64]sheetCounts, int) {
	t.Helper()
	number := func(s, re string) int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("the page lacks %s", re)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	overall := section(page, `id="overall-counts"`, "</ul>")
	count := func(status string) int { return number(overall, fmt.Sprintf(`data-count="%s">(\d+)<`, status)) }
	all := sheetCounts{Submitted: count("submitted"), Reopened: count("reopened"), Draft: count("draft"),
		NotStarted: count("not_started"), Overdue: count("overdue"),
		Expected: number(visibleText(page), `应交 (\d+) 份评分表`)}
	panels := map[int64]sheetCounts{}
	for _, m := range regexp.MustCompile(`<section class="panel-progress" id="panel-(\d+)"`).FindAllStringSubmatch(page, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		sec := section(page, m[0], "</section>")
		var n sheetCounts
		for _, cell := range regexp.MustCompile(`<td class="cell[^"]*?( overdue)?" data-status="(\w+)"`).FindAllStringSubmatch(sec, -1) {
			switch cell[2] {
			case "not_started":
				n.NotStarted++
			case "draft":
				n.Draft++
			case "reopened":
				n.Reopened++
			case "submitted":
				n.Submitted++
			}
			if cell[1] != "" {
				n.Overdue++
			}
		}
		n.Expected = n.NotStarted + n.Draft + n.Reopened + n.Submitted
		// The panel's figures say what its cells show.
		if sub, exp := number(sec, `data-submitted="(\d+)"`), number(sec, `data-expected="(\d+)"`); sub != n.Submitted || exp != n.Expected {
			t.Errorf("panel %d: %d/%d submitted, its cells %d/%d", id, sub, exp, n.Submitted, n.Expected)
		}
		panels[id] = n
	}
	return all, panels, strings.Count(section(page, `id="overdue-table"`, "</table>"), `<tr id="overdue-`)
}

// Done when 4: the progress page's counts, overall, per panel and cell by
// cell, equal those SQL computes on the database file, for the mixed
// campaign (every status, a withdrawn expert, own deadlines, overdue
// members) and for the demo's scoring campaign.
func TestProgressCountsEqualTheDatabase(t *testing.T) {
	for _, tc := range []struct {
		name string
		site func(t *testing.T) (h *harness, username string, campaignID int64)
	}{
		{"mixed campaign", func(t *testing.T) (*harness, string, int64) {
			h := newHarness(t)
			return h, "staffa", h.progressCampaign().id
		}},
		{"demo", func(t *testing.T) (*harness, string, int64) {
			s := newDemoSite(t)
			return s.harness, "shtis-huang", s.campaigns["SHTIS"].ID
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, username, id := tc.site(t)
			wantAll, wantPanels, wantMembers := progressInDB(t, h.db.SQL(), id, h.now)
			if wantAll.Submitted == 0 || wantAll.NotStarted == 0 || wantAll.Draft == 0 || wantAll.Reopened == 0 {
				t.Fatalf("the campaign is not mixed: %+v", wantAll)
			}
			if tc.name == "mixed campaign" && (wantAll.Overdue == 0 || wantMembers == 0) {
				t.Fatalf("nobody is overdue in the mixed campaign: %+v", wantAll)
			}
			b := h.browser()
			b.login(username)
			target := fmt.Sprintf("/campaigns/%d/progress?per_page=%d", id, evaluation.MaxPageSize)
			resp, page := b.get(target)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", target, resp.StatusCode)
			}
			gotAll, gotPanels, gotMembers := progressOnPage(t, page)
			if gotAll != wantAll {
				t.Errorf("overall: page %+v, database %+v", gotAll, wantAll)
			}
			if gotMembers != wantMembers {
				t.Errorf("overdue members: page %d, database %d", gotMembers, wantMembers)
			}
			if got := section(page, `id="overall-percent">`, "</strong>"); !strings.Contains(got, fmt.Sprintf(">%d%%", wantAll.Submitted*100/max(1, wantAll.Expected))) {
				t.Errorf("overall percent %q, database %d of %d", got, wantAll.Submitted, wantAll.Expected)
			}
			if len(gotPanels) != len(wantPanels) {
				t.Errorf("the page shows %d panels, the database has %d", len(gotPanels), len(wantPanels))
			}
			for pid, want := range wantPanels {
				if got := gotPanels[pid]; got != want {
					t.Errorf("panel %d: page %+v, database %+v", pid, got, want)
				}
			}
		})
	}
}

// The progress monitor's actions through the API, on the mixed campaign:
// a missing or blank reason, a bad date or the wrong object is refused
// with the field named (or the reason) and nothing changed; each action
// done adds its audit entry and changes what it says.
func TestProgressActionsThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	pc := h.progressCampaign()
	ctx, staff := context.Background(), h.users["staffa"].Actor()
	p1, err := h.svc.Panels.Panel(ctx, staff, pc.panels[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	drafter, _ := p1.MemberOf(h.userOf(pc.drafter).ExpertID)
	future := h.now.In(evaluation.Beijing).AddDate(0, 0, 10).Format(time.DateOnly)
	yesterday := h.now.In(evaluation.Beijing).AddDate(0, 0, -1).Format(time.DateOnly)
	reopen := fmt.Sprintf("/api/v1/sheets/%d/reopen", pc.submitted)
	deadline := fmt.Sprintf("/api/v1/panels/%d/members/%d/deadline", p1.ID, drafter.ID)
	lift := fmt.Sprintf("/api/v1/projects/%d/conflicts/%d/lift", pc.projects[1], pc.withdrawn.ExpertID)
	remind := fmt.Sprintf("/api/v1/campaigns/%d/reminders", pc.id)
	for _, tc := range []struct {
		scenario
		audit []string
		after func(t *testing.T)
	}{
		{scenario: scenario{name: "reopen without a reason", as: "staffa", method: "POST", url: reopen, body: `{}`,
			status: 400, code: evaluation.Invalid, fields: []string{"reason"}}},
		{scenario: scenario{name: "reopen with a blank reason", as: "staffa", method: "POST", url: reopen, body: `{"reason":"  "}`,
			status: 400, code: evaluation.Invalid, fields: []string{"reason"}, contains: []string{"原因"}}},
		{scenario: scenario{name: "reopen a draft", as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/sheets/%d/reopen", pc.draft),
			body: `{"reason":"复核"}`, status: 409, code: evaluation.Conflict}},
		{scenario: scenario{name: "the commission reopens", as: "commission", method: "POST", url: reopen, body: `{"reason":"复核"}`,
			status: 403, code: evaluation.Forbidden}},
		{scenario: scenario{name: "another agency reopens", as: "staffb", method: "POST", url: reopen, body: `{"reason":"复核"}`,
			status: 404, code: evaluation.NotFound}},
		{scenario: scenario{name: "reopen", as: "staffa", method: "POST", url: reopen, body: `{"reason":"A3 评分依据不足"}`,
			status: 200, contains: []string{`"status":"reopened"`, `"round":2`, "A3 评分依据不足"}},
			audit: []string{"sheet.reopen"}},

		{scenario: scenario{name: "extend without a reason", as: "staffa", method: "POST", url: deadline, body: fmt.Sprintf(`{"due":%q}`, future),
			status: 400, code: evaluation.Invalid, fields: []string{"reason"}}},
		{scenario: scenario{name: "extend to a date that is not one", as: "staffa", method: "POST", url: deadline, body: `{"due":"2026-13-40","reason":"出差"}`,
			status: 400, code: evaluation.Invalid, fields: []string{"due"}}},
		{scenario: scenario{name: "extend to a day past", as: "staffa", method: "POST", url: deadline, body: fmt.Sprintf(`{"due":%q,"reason":"出差"}`, yesterday),
			status: 400, code: evaluation.Invalid, fields: []string{"due"}}},
		{scenario: scenario{name: "extend a member of another panel", as: "staffa", method: "POST",
			url: fmt.Sprintf("/api/v1/panels/%d/members/%d/deadline", pc.panels[1].ID, drafter.ID), body: fmt.Sprintf(`{"due":%q,"reason":"出差"}`, future),
			status: 404, code: evaluation.NotFound}},
		{scenario: scenario{name: "extend", as: "staffa", method: "POST", url: deadline, body: fmt.Sprintf(`{"due":%q,"reason":"专家出国，经申请延期"}`, future),
			status: 204}, audit: []string{"panel.extend_deadline"},
			after: func(t *testing.T) {
				p, err := h.svc.Panels.Panel(ctx, staff, p1.ID)
				if err != nil {
					t.Fatal(err)
				}
				if m, _ := p.Member(drafter.ID); m.Due != future {
					t.Errorf("the member's deadline is %q, want %s", m.Due, future)
				}
			}},

		{scenario: scenario{name: "lift without a reason", as: "staffa", method: "POST", url: lift, body: `{"reason":""}`,
			status: 400, code: evaluation.Invalid, fields: []string{"reason"}}},
		{scenario: scenario{name: "lift a conflict never declared", as: "staffa", method: "POST",
			url: fmt.Sprintf("/api/v1/projects/%d/conflicts/%d/lift", pc.projects[0], pc.withdrawn.ExpertID), body: `{"reason":"核实"}`,
			status: 404, code: evaluation.NotFound}},
		{scenario: scenario{name: "the commission lifts", as: "commission", method: "POST", url: lift, body: `{"reason":"核实"}`,
			status: 403, code: evaluation.Forbidden}},
		{scenario: scenario{name: "lift", as: "staffa", method: "POST", url: lift, body: `{"reason":"经核实不存在利益冲突"}`, status: 204},
			audit: []string{"project.lift_conflict"},
			after: func(t *testing.T) {
				p, err := h.svc.Sheets.Progress(ctx, staff, pc.id, evaluation.ProgressFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if n := len(p.Panels[1].Conflicts); n != 0 {
					t.Errorf("the panel still lists %d conflicts", n)
				}
			}},
		{scenario: scenario{name: "lift again", as: "staffa", method: "POST", url: lift, body: `{"reason":"核实"}`,
			status: 404, code: evaluation.NotFound}},

		{scenario: scenario{name: "remind an expert with nothing left", as: "staffa", method: "POST", url: remind,
			body: fmt.Sprintf(`{"expert_id":%d}`, h.expertID), status: 409, code: evaluation.Conflict}},
		{scenario: scenario{name: "remind one expert", as: "staffa", method: "POST", url: remind,
			body: fmt.Sprintf(`{"expert_id":%d}`, drafter.ExpertID), status: 200, contains: []string{`{"reminded":1}`}},
			audit: []string{"campaign.remind"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.runWrite(t, writeScenario{scenario: tc.scenario, audit: tc.audit})
			if tc.after != nil {
				tc.after(t)
			}
		})
	}
}

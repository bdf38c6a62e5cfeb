package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// No list a user reads stops silently at a page size: a campaign with more
// projects than a page holds shows every one of them across pages, says
// how many have no panel and lists them on their own, and the panel page's
// replacement lists say when the pool holds more experts than they show.
func TestListsHaveNoSilentCaps(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	h.withPool()
	ctx := context.Background()
	staff := h.users["staffa"].Actor()
	c, err := h.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "大批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	const n = 250
	var list []*evaluation.Project
	for i := 1; i <= n; i++ {
		var p evaluation.Project
		if err := json.Unmarshal(fmt.Appendf(nil, projectJSON, fmt.Sprintf("BIG-%03d", i)), &p); err != nil {
			t.Fatal(err)
		}
		list = append(list, &p)
	}
	if err := h.svc.Campaigns.CreateProjects(ctx, staff, c.ID, list); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	panel, err := h.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{list[0].ID}, "")
	if err != nil {
		t.Fatal(err)
	}

	b := h.browser()
	b.login("staffa")
	_, page := b.get(fmt.Sprintf("/campaigns/%d", c.ID))
	if !strings.Contains(page, fmt.Sprintf("%d", n-1)) || !strings.Contains(page, `id="show-unpaneled"`) {
		t.Errorf("the campaign page does not say that %d projects have no panel", n-1)
	}
	// The last page of the projects without a panel holds the last code.
	resp, page := b.get(fmt.Sprintf("/campaigns/%d?panel=without&per_page=200&page=2", c.ID))
	page = section(page, `id="projects-table"`, "</table>")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "BIG-250") || strings.Contains(page, "BIG-001") {
		t.Errorf("page 2 of the projects without a panel: status %d, has BIG-250 %v, has the paneled BIG-001 %v",
			resp.StatusCode, strings.Contains(page, "BIG-250"), strings.Contains(page, "BIG-001"))
	}
	if !strings.Contains(page, fmt.Sprintf(`id="draw-%d"`, list[n-1].ID)) {
		t.Errorf("the 250th project has no draw button on its page")
	}
	// The API pages the same way, with the total.
	resp, body := h.api("staffa", "GET", fmt.Sprintf("/api/v1/campaigns/%d/projects?panel=without&per_page=200&page=2", c.ID), "")
	var got struct {
		Items []*evaluation.Project `json:"items"`
		Total int                   `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("projects without a panel: %d %s", resp.StatusCode, body)
	}
	if got.Total != n-1 || len(got.Items) != n-1-200 {
		t.Errorf("projects without a panel: total %d, %d on page 2; want %d and %d", got.Total, len(got.Items), n-1, n-1-200)
	}
	resp, body = h.api("staffa", "GET", fmt.Sprintf("/api/v1/campaigns/%d/projects?panel=with", c.ID), "")
	if err := json.Unmarshal([]byte(body), &got); err != nil || got.Total != 1 || got.Items[0].PanelID != panel.ID {
		t.Errorf("projects with a panel: %d %s", resp.StatusCode, body)
	}

	// More technical experts than a replace list shows: the page says so,
	// and a search finds the one past the first page.
	for i := 1; i <= candidateLimit+10; i++ {
		ex := &evaluation.Expert{Name: fmt.Sprintf("候选专家%03d", i), Type: evaluation.DomainExpert, Institution: fmt.Sprintf("候选研究所%d", i),
			TitleLevel: evaluation.TitleSenior, Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"560.20"}}
		if err := h.svc.Pool.CreateExpert(ctx, evaluation.System, ex); err != nil {
			t.Fatal(err)
		}
	}
	replace := fmt.Sprintf("/panels/%d?replace=%d", panel.ID, panel.Seated(evaluation.SeatTechnical)[0].ID)
	_, page = b.get(replace)
	if !strings.Contains(page, `id="candidate-count"`) || !strings.Contains(page, h.app.tr.T(evaluation.LangZH, "panels.candidate_more", "Limit", candidateLimit)) {
		t.Errorf("the replace form does not say that its list shows only the first %d", candidateLimit)
	}
	last := fmt.Sprintf("候选专家%03d", candidateLimit+10)
	if strings.Contains(page, last) {
		t.Errorf("%s is offered without a search, past the list's limit", last)
	}
	_, page = b.get(replace + "&expert_q=" + url.QueryEscape(last))
	if !strings.Contains(section(page, `id="candidates"`, "</table>"), last) {
		t.Errorf("a search for %s does not offer them", last)
	}
}

// section is the part of page from the first from to the next to after it,
// or "" when from is missing.
func section(page, from, to string) string {
	i := strings.Index(page, from)
	if i < 0 {
		return ""
	}
	page = page[i:]
	if j := strings.Index(page, to); j >= 0 {
		return page[:j]
	}
	return page
}

// failingRubrics are the rubric services with a store that fails to read
// a version.
type failingRubrics struct{ rubricServices }

func (failingRubrics) Rubric(context.Context, evaluation.Actor, string, int) (*evaluation.Rubric, error) {
	return nil, errors.New("disk full")
}

// A pinned rubric that cannot be read is an error of the page, not a
// section silently left out of it.
func TestCampaignPageShowsRubricErrors(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid, _ := h.campaignWithProject()
	b := h.browser()
	b.login("staffa")
	if resp, page := b.get(fmt.Sprintf("/campaigns/%d", cid)); resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="settings"`) {
		t.Fatalf("campaign page: %d", resp.StatusCode)
	}
	services := ServicesOf(h.svc, h.db.Ping)
	services.Rubrics = failingRubrics{services.Rubrics}
	h.app = h.newApp(services, 0)
	if resp, _ := b.get(fmt.Sprintf("/campaigns/%d", cid)); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("campaign page with an unreadable pinned rubric: status %d, want 500", resp.StatusCode)
	}
}

// An agency's page lists its first staff accounts and links to all of
// them when there are more.
func TestAgencyPageLinksToAllStaff(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for i := range agencyStaffShown + 5 {
		_, err := h.svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: fmt.Sprintf("staff%02d", i),
			Name: fmt.Sprintf("人员%02d", i), Role: evaluation.RoleAgencyStaff, AgencyCode: "AGA", Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
	}
	b := h.browser()
	b.login("admin")
	_, page := b.get(fmt.Sprintf("/agencies/%d", h.agencyA.ID))
	if n := strings.Count(page, `href="/users/`); n != agencyStaffShown {
		t.Errorf("the agency page lists %d staff, want %d", n, agencyStaffShown)
	}
	link := fmt.Sprintf(`href="/users?agency=%d" id="all-staff"`, h.agencyA.ID)
	if !strings.Contains(page, link) {
		t.Errorf("the agency page does not link to all its staff")
	}
	_, page = b.get(fmt.Sprintf("/users?agency=%d&per_page=50", h.agencyA.ID))
	if n := strings.Count(page, `href="/users/`); n < agencyStaffShown+5 {
		t.Errorf("the users list of the agency shows %d accounts, want at least %d", n, agencyStaffShown+5)
	}
}

package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestConflictFormOffersInvitedProjects: the conflict form lets an expert
// (and a pool manager, for them) name a project by choosing among the
// projects the expert was invited to, by code and title, never by typing
// an id; the declared conflict shows the project by code and title.
func TestConflictFormOffersInvitedProjects(t *testing.T) {
	s := newDemoSite(t)
	seat := s.invited
	var project *evaluation.Project
	for _, p := range s.projects {
		if p.ID == seat.panel.ProjectIDs[0] {
			project = p
		}
	}
	expertURL := fmt.Sprintf("/experts/%d", seat.member.ExpertID)
	option := fmt.Sprintf(`<option value="%d">%s %s</option>`, project.ID, project.Code, project.Title)
	for _, as := range []string{seat.username, "admin"} {
		br := s.browser()
		br.login(as)
		_, page := br.get(expertURL)
		if !strings.Contains(page, `<select id="conflict-project_id" name="project_id"`) || !strings.Contains(page, option) {
			t.Errorf("%s: the conflict form does not offer %s %s", as, project.Code, project.Title)
		}
		if regexp.MustCompile(`<input[^>]*name="project_id"[^>]*type="number"`).MatchString(page) {
			t.Errorf("%s: the conflict form asks for a project's number", as)
		}
		if options := strings.Count(page[strings.Index(page, `id="conflict-project_id"`):], "<option"); as == seat.username && options < 2 {
			t.Errorf("%s: %d options", as, options)
		}
	}

	br := s.browser()
	br.login(seat.username)
	br.get(expertURL)
	resp, _ := br.post(expertURL+"/conflicts", url.Values{"project_id": {fmt.Sprint(project.ID)}, "year": {fmt.Sprint(s.svc.Pool.ThisYear())}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("declare: status %d", resp.StatusCode)
	}
	_, page := br.get(expertURL)
	text := visibleText(page[strings.Index(page, `id="conflicts-table"`):])
	if !strings.Contains(text, project.Code+"\n"+project.Title) {
		t.Errorf("the declared conflict does not name %s %s: %.300s", project.Code, project.Title, text)
	}
	if m := objectID.FindString(text); m != "" {
		t.Errorf("the conflict shows a project by its id: %q", m)
	}

	// An expert never invited is told to name a person or an institution.
	var idle *evaluation.User
	for _, u := range s.users {
		if u.Role == evaluation.RoleExpert && s.panelsOfExpert(u.ExpertID) == 0 {
			idle = u
			break
		}
	}
	if idle == nil {
		t.Fatal("every demo expert was invited somewhere")
	}
	s.users[idle.Username] = idle
	s.harness.users[idle.Username] = idle
	other := s.browser()
	other.login(idle.Username)
	_, page = other.get(fmt.Sprintf("/experts/%d", idle.ExpertID))
	if !strings.Contains(page, `id="no-invited-projects"`) || strings.Contains(page, `id="conflict-project_id"`) {
		t.Errorf("an expert with no invitation is offered projects, or not told what to do")
	}
}

// panelsOfExpert counts the demo panels an expert is a member of, in any
// status.
func (s *demoSite) panelsOfExpert(expertID int64) int {
	n := 0
	for _, list := range s.panels {
		for _, p := range list {
			if _, ok := p.MemberOf(expertID); ok {
				n++
			}
		}
	}
	return n
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

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

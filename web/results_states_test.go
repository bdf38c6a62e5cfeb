package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// resultWrite is one of the results area's writes, with a body that would
// be accepted from the right role in the right state.
type resultWrite struct {
	name, method, url, body string
	// expertWrite: the experts' area (the panel's opinion); the agency's
	// otherwise (conclusions, rectifications, revisions, the transition).
	expertWrite bool
}

// expectRefusal is the status and code a role meets on a write: the role
// may not write it at all (403), may not see the project (404), or may
// write it but not now or not this way (409). ok reports that the cell is
// the write's own role, whose refusal depends on the state (given by the
// phase).
func expectRefusal(role string, w resultWrite, s *scoring) (status int, code evaluation.Code, own bool) {
	switch {
	case role == "commission" && w.name == "submit to the commission":
		// The commission moves campaigns too: whether this move is
		// refused as the wrong move or the wrong role depends on the state.
		return 0, "", true
	case role == "admin" || role == "commission":
		return http.StatusForbidden, evaluation.Forbidden, false
	case w.expertWrite && (role == "staffa" || role == "staffb"):
		return http.StatusForbidden, evaluation.Forbidden, false
	case w.expertWrite && role == s.outsider:
		return http.StatusNotFound, evaluation.NotFound, false
	case w.expertWrite:
		return 0, "", true
	case role == "staffb":
		return http.StatusNotFound, evaluation.NotFound, false
	case role == "staffa":
		return 0, "", true
	default: // an expert at the agency's writes
		return http.StatusForbidden, evaluation.Forbidden, false
	}
}

// The results area's state machine and roles: in each phase of a
// campaign (scoring with every sheet in, concluding under a locked
// opinion, submitted to the commission), every write of the area is sent
// by every role; those of the wrong role, and those of the right role in
// the wrong state, are refused with the expected status and leave the
// database exactly as it was.
func TestResultsStatesAndRoles(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	members := h.submitAll(s)
	ctx := context.Background()
	staff := h.users["staffa"].Actor()
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }
	opinion := `{"version":%d,"text":"项目完成了任务书规定的主要考核指标，专家组同意通过。","proposed":"pass"}`
	writes := func(version int) []resultWrite {
		return []resultWrite{
			{name: "draft the opinion", method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: fmt.Sprintf(opinion, version), expertWrite: true},
			{name: "circulate the opinion", method: "POST", url: pp("/api/v1/projects/%d/opinion/circulate"), body: fmt.Sprintf(`{"version":%d}`, version), expertWrite: true},
			{name: "answer the opinion", method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: `{"agree":false,"reason":"成果转化不足。"}`, expertWrite: true},
			{name: "record a conclusion", method: "POST", url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`},
			{name: "grant a rectification", method: "POST", url: pp("/api/v1/projects/%d/rectification"), body: `{"reason":"限期整改。"}`},
			{name: "open a discussion", method: "POST", url: pp("/api/v1/projects/%d/revisions"), body: `{"kind":"discussion","note":"请复核。"}`},
			{name: "open a re-evaluation", method: "POST", url: pp("/api/v1/projects/%d/revisions"), body: `{"kind":"reevaluation","note":"请重新评价。"}`},
			{name: "submit to the commission", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID), body: `{"to":"submitted"}`},
		}
	}
	roles := []string{"admin", "commission", "staffa", "staffb", s.chair, s.member, s.finance, s.outsider}
	checked := 0
	// phase sends every write as every role; own lists the cells of the
	// right role that this phase's state refuses (write name → role →
	// status), and every other right-role cell is skipped.
	phase := func(name string, version int, own map[string]map[string]int) {
		h.warmTokens()
		for _, w := range writes(version) {
			for _, role := range roles {
				status, code, isOwn := expectRefusal(role, w, s)
				if isOwn {
					st, ok := own[w.name][role]
					if !ok {
						continue
					}
					status, code = st, map[int]evaluation.Code{http.StatusNotFound: evaluation.NotFound,
						http.StatusConflict: evaluation.Conflict, http.StatusForbidden: evaluation.Forbidden}[st]
				}
				t.Run(fmt.Sprintf("%s/%s/%s", name, w.name, role), func(t *testing.T) {
					before := h.dump()
					h.run(t, scenario{as: role, method: w.method, url: w.url, body: w.body, status: status, code: code})
					if h.dump() != before {
						t.Error("a refused request changed the database")
					}
				})
				checked++
			}
		}
	}
	conflict := http.StatusConflict

	// Scoring, every sheet in, no opinion yet: nothing to circulate or
	// answer; conclusions wait for the concluding state; the panel agrees,
	// so there is nothing to discuss.
	phase("scoring", 1, map[string]map[string]int{
		"draft the opinion":        {s.member: http.StatusForbidden, s.finance: http.StatusForbidden},
		"circulate the opinion":    {s.chair: http.StatusNotFound, s.member: http.StatusForbidden},
		"answer the opinion":       {s.chair: conflict, s.member: conflict, s.finance: conflict},
		"record a conclusion":      {"staffa": conflict},
		"grant a rectification":    {"staffa": conflict},
		"open a discussion":        {"staffa": conflict},
		"open a re-evaluation":     {"staffa": conflict},
		"submit to the commission": {"staffa": conflict, "commission": conflict},
	})

	// The opinion locks; the campaign concludes.
	h.run(t, scenario{as: s.chair, method: "PUT", url: pp("/api/v1/projects/%d/opinion"), body: fmt.Sprintf(opinion, 0), status: 200})
	h.run(t, scenario{as: s.chair, method: "POST", url: pp("/api/v1/projects/%d/opinion/circulate"), body: `{"version":1}`, status: 200})
	for _, m := range members {
		h.run(t, scenario{as: m, method: "POST", url: pp("/api/v1/projects/%d/opinion/response"), body: `{"agree":true}`, status: 200})
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, s.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	phase("concluding", 1, map[string]map[string]int{
		"draft the opinion":        {s.chair: conflict, s.member: http.StatusForbidden},
		"circulate the opinion":    {s.chair: conflict},
		"answer the opinion":       {s.chair: conflict, s.member: conflict},
		"grant a rectification":    {"staffa": conflict},
		"open a discussion":        {"staffa": conflict},
		"open a re-evaluation":     {"staffa": conflict},
		"submit to the commission": {"staffa": conflict, "commission": http.StatusForbidden},
	})

	// Concluded and submitted: nothing of the area changes any more; the
	// project has left the experts' workspace.
	h.run(t, scenario{as: "staffa", method: "POST", url: pp("/api/v1/projects/%d/conclusions"), body: `{"conclusion":"pass"}`, status: 201})
	h.run(t, scenario{as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/transitions", s.campaignID), body: `{"to":"submitted"}`, status: 200})
	phase("submitted", 1, map[string]map[string]int{
		"draft the opinion":        {s.chair: http.StatusNotFound, s.member: http.StatusNotFound},
		"circulate the opinion":    {s.chair: http.StatusNotFound},
		"answer the opinion":       {s.chair: http.StatusNotFound, s.member: http.StatusNotFound},
		"record a conclusion":      {"staffa": conflict},
		"grant a rectification":    {"staffa": conflict},
		"open a discussion":        {"staffa": conflict},
		"open a re-evaluation":     {"staffa": conflict},
		"submit to the commission": {"staffa": conflict, "commission": conflict},
	})
	t.Logf("%d refusals checked", checked)
	if checked < 150 {
		t.Errorf("only %d cells checked", checked)
	}
}

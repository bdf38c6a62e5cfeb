package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The commission's review as a state machine and its roles: in each phase
// of a campaign the agency has submitted (submitted, published with an
// appeal open, closed), every write of the review and of the areas before
// it that the review must keep still (a sheet saved or reopened, a
// conclusion) is sent by every role. Each cell names the status it must
// meet; every refusal leaves the database exactly as it was. A cell left
// out is a write the role may make in that phase (it would succeed).
func TestReviewStatesAndRoles(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submittedCampaign(s)
	ctx := context.Background()
	sheets, err := h.db.ProjectSheets(ctx, s.projectID)
	if err != nil {
		t.Fatal(err)
	}
	pp := func(format string) string { return fmt.Sprintf(format, s.projectID) }
	cc := func(format string) string { return fmt.Sprintf(format, s.campaignID) }
	appeal := int64(1)
	type write struct{ name, method, url, body string }
	writes := func() []write {
		return []write{
			{"mark a return", "PUT", pp("/api/v1/projects/%d/return"), `{"comment":"请核实经费结余。"}`},
			{"return the campaign", "POST", cc("/api/v1/campaigns/%d/return"), `{"reason":"请核实。"}`},
			{"answer a return", "PUT", pp("/api/v1/projects/%d/return/answer"), `{"answer":"已核实。"}`},
			{"approve", "POST", cc("/api/v1/campaigns/%d/approve"), `{"days":5}`},
			{"record an appeal", "POST", pp("/api/v1/projects/%d/appeals"), `{"reason":"factual","appellant":"上海某研究院","text":"材料认定有误。"}`},
			{"reject an appeal", "POST", fmt.Sprintf("/api/v1/projects/%d/appeals/%d/reject", s.projectID, appeal), `{"reason":"不成立。"}`},
			{"close the campaign", "POST", cc("/api/v1/campaigns/%d/transitions"), `{"to":"closed"}`},
			{"save a sheet", "PUT", pp("/api/v1/projects/%d/sheet"), `{"version":1,` + fullSheet + `}`},
			{"reopen a sheet", "POST", fmt.Sprintf("/api/v1/sheets/%d/reopen", sheets[0].ID), `{"reason":"请复核。"}`},
			{"record a conclusion", "POST", pp("/api/v1/projects/%d/conclusions"), `{"conclusion":"fail","reason":"复核。"}`},
		}
	}
	roles := []string{"admin", "commission", "staffa", "staffb", s.chair, s.member, s.outsider}
	const (
		forbidden = http.StatusForbidden
		notFound  = http.StatusNotFound
		conflict  = http.StatusConflict
	)
	// The cells every phase shares: roles that may not make the write at
	// all (403), or may but cannot see the project (404).
	common := map[string]map[string]int{
		"mark a return":       {"admin": forbidden, "staffa": forbidden, "staffb": forbidden, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"return the campaign": {"admin": forbidden, "staffa": forbidden, "staffb": forbidden, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"answer a return":     {"admin": forbidden, "commission": forbidden, "staffb": notFound, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"approve":             {"admin": forbidden, "staffa": forbidden, "staffb": forbidden, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"record an appeal":    {"admin": forbidden, "staffb": notFound, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"reject an appeal":    {"admin": forbidden, "staffa": forbidden, "staffb": forbidden, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"close the campaign":  {"admin": forbidden, "staffb": notFound, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"save a sheet":        {"admin": forbidden, "commission": forbidden, "staffa": forbidden, "staffb": forbidden, s.outsider: notFound},
		"reopen a sheet":      {"admin": forbidden, "commission": forbidden, "staffb": notFound, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
		"record a conclusion": {"admin": forbidden, "commission": forbidden, "staffb": notFound, s.chair: forbidden, s.member: forbidden, s.outsider: forbidden},
	}
	checked := 0
	phase := func(name string, own map[string]map[string]int) {
		h.warmTokens()
		for _, w := range writes() {
			for _, role := range roles {
				status, ok := own[w.name][role]
				if !ok {
					if status, ok = common[w.name][role]; !ok {
						continue
					}
				}
				code := map[int]evaluation.Code{notFound: evaluation.NotFound, conflict: evaluation.Conflict, forbidden: evaluation.Forbidden}[status]
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

	// Submitted: the commission reviews. Nothing is marked, so there is
	// nothing to send back or answer; no appeal before the publicity; the
	// campaign does not close from here; the sheets and conclusions are
	// the agency's record now.
	phase("submitted", map[string]map[string]int{
		"return the campaign": {"commission": conflict},
		"answer a return":     {"staffa": conflict},
		"record an appeal":    {"commission": conflict, "staffa": conflict},
		"reject an appeal":    {"commission": conflict},
		"close the campaign":  {"commission": conflict, "staffa": conflict},
		"save a sheet":        {s.chair: notFound, s.member: notFound},
		"reopen a sheet":      {"staffa": conflict},
		"record a conclusion": {"staffa": conflict},
	})

	// Published, an admissible appeal open: the review is over; the
	// campaign does not close during the publicity nor with the appeal
	// open; the project is under appeal already.
	h.run(t, scenario{as: "commission", method: "POST", url: cc("/api/v1/campaigns/%d/approve"), body: `{}`, status: 200})
	ap, err := h.svc.Review.FileAppeal(ctx, h.users["staffa"].Actor(), s.projectID, evaluation.AppealInput{
		Reason: evaluation.AppealCalculation, Appellant: "上海某研究院", Text: "分数汇总有误。"})
	if err != nil {
		t.Fatal(err)
	}
	appeal = ap.ID
	published := map[string]map[string]int{
		"mark a return":       {"commission": conflict},
		"return the campaign": {"commission": conflict},
		"answer a return":     {"staffa": conflict},
		"approve":             {"commission": conflict},
		"record an appeal":    {"commission": conflict, "staffa": conflict},
		"close the campaign":  {"commission": conflict, "staffa": forbidden},
		"save a sheet":        {s.chair: notFound, s.member: notFound},
		"reopen a sheet":      {"staffa": conflict},
		"record a conclusion": {"staffa": conflict},
	}
	phase("published", published)
	h.now = h.now.AddDate(0, 0, 6)
	h.run(t, scenario{as: "commission", method: "POST", url: cc("/api/v1/campaigns/%d/transitions"), body: `{"to":"closed"}`,
		status: 409, code: evaluation.Conflict, contains: []string{"申诉未办结"}})
	h.run(t, scenario{as: "commission", method: "POST", url: fmt.Sprintf("/api/v1/projects/%d/appeals/%d/reject", s.projectID, appeal),
		body: `{"reason":"经核查，分数汇总无误。"}`, status: 200})

	// Closed: nothing changes any more.
	h.run(t, scenario{as: "commission", method: "POST", url: cc("/api/v1/campaigns/%d/transitions"), body: `{"to":"closed"}`, status: 200})
	phase("closed", map[string]map[string]int{
		"mark a return":       {"commission": conflict},
		"return the campaign": {"commission": conflict},
		"answer a return":     {"staffa": conflict},
		"approve":             {"commission": conflict},
		"record an appeal":    {"commission": conflict, "staffa": conflict},
		"reject an appeal":    {"commission": conflict},
		"close the campaign":  {"commission": conflict, "staffa": conflict},
		"save a sheet":        {s.chair: notFound, s.member: notFound},
		"reopen a sheet":      {"staffa": conflict},
		"record a conclusion": {"staffa": conflict},
	})
	t.Logf("%d refusals checked", checked)
	if checked < 180 {
		t.Errorf("only %d cells checked", checked)
	}
}

package assign

import (
	"fmt"
	"testing"
)

// TestEligibleAgreesWithEligibility: the fast predicate the campaign-wide
// match uses says yes exactly when Eligibility finds no reason, over every
// pair of a synthetic campaign with varied subjects, types, loads, the
// can-be-drawn flag and each combination of caps.
func TestEligibleAgreesWithEligibility(t *testing.T) {
	rules, projects, pool := synthCampaign(60, 400)
	c := NewChecker(rules)
	subjects := [][]string{nil, {"520.20"}, {"520.10", "110.30"}, {"A01"}, {"a01"}, {"Ｂ０２"}, {"", "110"}, {"11"}}
	for i := range projects {
		projects[i].SubjectCodes = subjects[i%len(subjects)]
	}
	for j := range pool {
		e := &pool[j]
		e.SubjectCodes = subjects[(j/3)%len(subjects)]
		e.Type = []string{DomainExpert, FinanceExpert, Investor}[j%3]
		e.CanBeDrawn = j%7 != 0
		e.LoadCampaign, e.LoadYear = j%9, j%11
	}
	checked, yes := 0, 0
	for _, caps := range []Caps{{}, {Campaign: 8, Year: 10}, {RequireSubject: true}, {Campaign: 8, Year: 10, RequireSubject: true}} {
		for projectsAdded := 1; projectsAdded <= 2; projectsAdded++ {
			for i := range projects {
				p := &projects[i]
				pd := Disciplines(p.SubjectCodes)
				for j := range pool {
					e := &pool[j]
					want := len(c.Eligibility(p, e, caps, projectsAdded)) == 0
					got := Eligible(pd, e, Disciplines(e.SubjectCodes), caps, projectsAdded)
					checked++
					if want {
						yes++
					}
					if got != want {
						t.Fatalf("caps %+v, %d projects, project %v, expert %s: Eligible %v, Eligibility %v",
							caps, projectsAdded, p.SubjectCodes, fmt.Sprint(e.Type, e.SubjectCodes, e.CanBeDrawn, e.LoadCampaign, e.LoadYear),
							got, c.Eligibility(p, e, caps, projectsAdded))
					}
				}
			}
		}
	}
	if yes == 0 || yes == checked {
		t.Errorf("%d of %d pairs eligible: the cases do not tell the two apart", yes, checked)
	}
}

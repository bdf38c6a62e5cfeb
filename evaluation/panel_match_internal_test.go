package evaluation

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// plainMatchInput is matchInput as it was before its projects were shared
// out among goroutines (issue 11): one project after the other, every
// expert of the pool in order.
func plainMatchInput(in matchRecordInput, pool []assign.Expert) assign.MatchInput {
	checker := assign.NewChecker(in.Rules)
	index := assign.NewIndex(checker, pool)
	mi := assign.MatchInput{Projects: in.Projects, Experts: pool, Seed: in.Seed,
		Eligible: map[int64][]int64{}, Capacity: map[int64]int{}, Seats: map[int64]assign.Seats{}}
	disc := make([][]string, len(pool))
	for j := range pool {
		disc[j] = assign.Disciplines(pool[j].SubjectCodes)
	}
	for i := range in.Projects {
		p := &in.Projects[i]
		rules := in.Panels[p.Class]
		mi.Seats[p.ID] = assign.Seats{Technical: rules.Technical, Finance: rules.Finance, Quotas: rules.Quotas}
		conflicted := index.Conflicts(p)
		pd := assign.Disciplines(p.SubjectCodes)
		for j := range pool {
			e := &pool[j]
			if _, bad := conflicted[e.ID]; bad {
				continue
			}
			if assign.Eligible(pd, e, disc[j], rules.Caps, 1) {
				mi.Eligible[p.ID] = append(mi.Eligible[p.ID], e.ID)
			}
		}
	}
	mi.Capacity = capacity(in, pool)
	return mi
}

// matchInput gives what the plain loop gives, over campaigns with
// conflicts (shared institutions, members, avoid lists, declarations),
// load caps, experts who cannot be drawn, both subject rules, experts and
// projects with none, one or several codes (of one discipline or not),
// projects with no eligible expert and a pool id listed twice.
func TestMatchInputAgainstPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 11))
	insts := []string{"复旦大学", "复旦大学附属中山医院", "上海交通大学", "同济大学", "华东师范大学", "上海大学"}
	names := []string{"王某", "李某", "张某", "赵某", "陈某"}
	codes := []string{"520.20", "520.30", "520.30", "110.10", "630.40", "TP391", "tp391", ""}
	types := []string{assign.DomainExpert, assign.StrategicScientist, assign.Investor, assign.FinanceExpert, assign.InternationalPeer}
	for round := range 40 {
		in := matchRecordInput{Seed: fmt.Sprint("seed-", round), Rules: assign.Rules{Year: 2026},
			Panels: map[string]assign.PanelRules{}}
		caps := assign.Caps{Campaign: r.IntN(4), Year: r.IntN(5)}
		for k, class := range []string{"basic_research", "applied_technology"} {
			c := caps
			c.RequireSubject = (round+k)%2 == 0
			in.Panels[class] = assign.PanelRules{Technical: 5, Finance: 1, Alternates: 2, FinanceAlternates: 1, Caps: c}
		}
		var pool []assign.Expert
		for j := range 60 + r.IntN(60) {
			e := assign.Expert{ID: int64(100 + j), Name: names[r.IntN(len(names))] + fmt.Sprint(j%7), Type: types[r.IntN(len(types))],
				Institution: insts[r.IntN(len(insts))], Region: "local", CanBeDrawn: r.IntN(8) > 0,
				SubjectCodes: matchCodes(r, codes), LoadCampaign: r.IntN(3), LoadYear: r.IntN(4)}
			if r.IntN(5) == 0 {
				e.Declared = append(e.Declared, assign.DeclaredConflict{ProjectID: int64(1 + r.IntN(20)), Year: 2026})
			}
			if r.IntN(5) == 0 {
				e.Collaborations = append(e.Collaborations, assign.Collaboration{Kind: "joint_paper",
					Person: names[r.IntN(len(names))], Year: 2025})
			}
			pool = append(pool, e)
		}
		if round%4 == 0 {
			pool = append(pool, pool[r.IntN(len(pool))]) // an id listed twice
		}
		for i := range 1 + r.IntN(20) {
			p := assign.Project{ID: int64(1 + i), Code: fmt.Sprint("P-", i), Class: []string{"basic_research", "applied_technology"}[i%2],
				Lead: insts[r.IntN(len(insts))], PI: assign.Person{Name: names[r.IntN(len(names))]},
				SubjectCodes: matchCodes(r, codes)}
			if r.IntN(3) == 0 {
				p.AvoidExperts = []int64{int64(100 + r.IntN(len(pool)))}
			}
			in.Projects = append(in.Projects, p)
		}
		want, got := plainMatchInput(in, pool), matchInput(in, pool)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d (-plain +parallel):\n%s", round, diff)
		}
	}
}

// matchCodes is zero to three of the codes, repeats and codes of one
// discipline included.
func matchCodes(r *rand.Rand, codes []string) []string {
	var out []string
	for range r.IntN(4) {
		out = append(out, codes[r.IntN(len(codes))])
	}
	return out
}

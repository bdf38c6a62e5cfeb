package assign

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// plainAlternates is how the evaluation layer ranked a matched panel's
// alternates before MatchAlternates (evaluation.matchAlternates up to
// issue 11's benchmark): score and key every other eligible expert, sort
// the whole list, take the head. MatchAlternates must give the same.
func plainAlternates(p *Project, pool []Expert, eligible []int64, a Assignment, nt, nf int, seed string) (tech, fin []int64) {
	taken := map[int64]bool{}
	for _, id := range append(append([]int64{}, a.Technical...), a.Finance...) {
		taken[id] = true
	}
	byID := map[int64]*Expert{}
	for i := range pool {
		byID[pool[i].ID] = &pool[i]
	}
	type cand struct {
		id       int64
		affinity int
		key      string
	}
	var techC, finC []cand
	for _, id := range eligible {
		e := byID[id]
		if e == nil || taken[id] {
			continue
		}
		c := cand{id, Affinity(p, e), DrawKey(seed, []string{p.Code}, id)}
		if e.Type == FinanceExpert {
			finC = append(finC, c)
		} else {
			techC = append(techC, c)
		}
	}
	rank := func(list []cand, n int) []int64 {
		sort.Slice(list, func(i, j int) bool {
			if list[i].affinity != list[j].affinity {
				return list[i].affinity > list[j].affinity
			}
			return list[i].key < list[j].key
		})
		var out []int64
		for i := 0; i < len(list) && i < n; i++ {
			out = append(out, list[i].id)
		}
		return out
	}
	return rank(techC, nt), rank(finC, nf)
}

// alternatesCampaign makes a campaign of np projects whose affinities tie a lot: a few
// codes and keywords shared by everyone, so that the draw key decides
// most places. Pool ids are dense or, when sparse, far apart (the two
// forms of poolIndex); eligible lists hold duplicates of nothing, some
// ids not in the pool and the seated experts; the seated experts are
// drawn from the eligible ones.
func alternatesCampaign(r *rand.Rand, sparse bool, np int) (MatchInput, []Assignment, [][2]int) {
	codes := []string{"520.20", "520.30", "520.40", "110.10", "TP391"}
	words := []string{"catalysis", "hydrogen", "氢能"}
	in := MatchInput{Eligible: map[int64][]int64{}, Seats: map[int64]Seats{}, Seed: fmt.Sprintf("seed-%d", r.Int())}
	ne := 1 + r.IntN(60)
	for i := range ne {
		id := int64(1000 + i)
		if sparse {
			id = int64(i)*1_000_003 - 5_000_000
		}
		in.Experts = append(in.Experts, Expert{ID: id, Type: matchTypes[r.IntN(len(matchTypes))],
			SubjectCodes: matchSample(r, codes, 2), Keywords: matchSample(r, words, 2)})
	}
	if r.IntN(4) == 0 { // an id listed twice: its last entry counts
		dup := in.Experts[r.IntN(ne)]
		dup.Type, dup.SubjectCodes = matchTypes[r.IntN(len(matchTypes))], matchSample(r, codes, 2)
		in.Experts = append(in.Experts, dup)
	}
	var as []Assignment
	var want [][2]int
	for i := range np {
		p := Project{ID: int64(1 + i), Code: fmt.Sprintf("P-%d", i+1), SubjectCodes: matchSample(r, codes, 2),
			Keywords: matchSample(r, words, 2)}
		in.Projects = append(in.Projects, p)
		var el []int64
		for _, e := range in.Experts[:ne] {
			if r.IntN(4) > 0 {
				el = append(el, e.ID)
			}
		}
		if r.IntN(3) == 0 {
			el = append(el, 999_999_999) // not in the pool
		}
		r.Shuffle(len(el), func(a, b int) { el[a], el[b] = el[b], el[a] })
		in.Eligible[p.ID] = el
		a := Assignment{ProjectID: p.ID}
		for _, id := range el[:min(len(el), r.IntN(6))] {
			a.Technical = append(a.Technical, id)
		}
		if len(el) > 6 && r.IntN(2) == 0 {
			a.Finance = append(a.Finance, el[6])
		}
		// Usually the seats hold the panel, as Match gives it; now and
		// then not, or the panel is another project's.
		seats := len(a.Technical) + r.IntN(2)
		if r.IntN(4) == 0 {
			seats = r.IntN(len(a.Technical) + 1)
		}
		in.Seats[p.ID] = Seats{Technical: seats, Finance: len(a.Finance)}
		as = append(as, a)
		want = append(want, [2]int{r.IntN(5) - 1, r.IntN(4) - 1}) // −1 and 0: none; up to past the list's end
	}
	if r.IntN(4) == 0 && len(as) > 1 {
		as[0].ProjectID = as[1].ProjectID
	}
	return in, as, want
}

func TestMatchAlternatesAgainstPlain(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	ties, again := 0, 0
	for round := range 600 {
		in, as, want := alternatesCampaign(r, round%3 == 0, 1+r.IntN(12))
		wantOf := func(i int) (int, int) { return want[i][0], want[i][1] }
		gotT, gotF := MatchAlternates(in, as, wantOf)
		rankedT, rankedF := RankAlternates(in, wantOf).Take(as)
		for i, a := range as {
			if s := in.Seats[in.Projects[i].ID]; a.ProjectID != in.Projects[i].ID || len(a.Technical)+len(a.Finance) > s.Technical+s.Finance {
				again++ // Take ranks this one again
			}
			wantT, wantF := plainAlternates(&in.Projects[i], in.Experts, in.Eligible[a.ProjectID], a, want[i][0], want[i][1], in.Seed)
			if diff := cmp.Diff(wantT, gotT[i]); diff != "" {
				t.Fatalf("round %d, project %d: technical alternates differ (-plain +fast):\n%s", round, i, diff)
			}
			if diff := cmp.Diff(wantF, gotF[i]); diff != "" {
				t.Fatalf("round %d, project %d: finance alternates differ (-plain +fast):\n%s", round, i, diff)
			}
			if diff := cmp.Diff(wantT, rankedT[i]); diff != "" {
				t.Fatalf("round %d, project %d: technical alternates differ (-plain +ranked before):\n%s", round, i, diff)
			}
			if diff := cmp.Diff(wantF, rankedF[i]); diff != "" {
				t.Fatalf("round %d, project %d: finance alternates differ (-plain +ranked before):\n%s", round, i, diff)
			}
			// Count the places a key decided, so that the test is known
			// to exercise the ties.
			for k := 1; k < len(wantT); k++ {
				if Affinity(&in.Projects[i], expertByID(in.Experts, wantT[k])) == Affinity(&in.Projects[i], expertByID(in.Experts, wantT[k-1])) {
					ties++
				}
			}
		}
	}
	if ties < 500 {
		t.Errorf("only %d places decided by the draw key; the campaign does not tie enough", ties)
	}
	if again < 100 {
		t.Errorf("only %d panels that Take ranks again", again)
	}
}

// expertByID is the last entry of the id, as the ranking takes it.
func expertByID(pool []Expert, id int64) *Expert {
	var e *Expert
	for i := range pool {
		if pool[i].ID == id {
			e = &pool[i]
		}
	}
	return e
}

// The goroutines share the work by blocks of projects; a campaign larger
// than a block gives what the plain ranking gives, project by project.
func TestMatchAlternatesManyProjects(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	in, as, _ := alternatesCampaign(r, false, 200)
	gotT, gotF := MatchAlternates(in, as, func(int) (int, int) { return 3, 1 })
	rankedT, rankedF := RankAlternates(in, func(int) (int, int) { return 3, 1 }).Take(as)
	for i, a := range as {
		wantT, wantF := plainAlternates(&in.Projects[i], in.Experts, in.Eligible[a.ProjectID], a, 3, 1, in.Seed)
		if !cmp.Equal(wantT, gotT[i]) || !cmp.Equal(wantF, gotF[i]) || !cmp.Equal(wantT, rankedT[i]) || !cmp.Equal(wantF, rankedF[i]) {
			t.Fatalf("project %d: got %v %v and ranked before %v %v, want %v %v", i, gotT[i], gotF[i], rankedT[i], rankedF[i], wantT, wantF)
		}
	}
}

func TestMatchAlternatesEmpty(t *testing.T) {
	tech, fin := MatchAlternates(MatchInput{}, nil, func(int) (int, int) { return 2, 1 })
	if len(tech) != 0 || len(fin) != 0 {
		t.Errorf("got %v %v, want none", tech, fin)
	}
	tech, fin = RankAlternates(MatchInput{}, func(int) (int, int) { return 2, 1 }).Take(nil)
	if len(tech) != 0 || len(fin) != 0 {
		t.Errorf("ranked before: got %v %v, want none", tech, fin)
	}
}

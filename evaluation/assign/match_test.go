package assign

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMatchAffinity(t *testing.T) {
	p := &Project{SubjectCodes: []string{"520.20", "520.30"}, Keywords: []string{"catalysis", "hydrogen"}}
	tests := []struct {
		name string
		p    *Project
		e    *Expert
		want int
	}{
		{"doc example", p, &Expert{SubjectCodes: []string{"520.20", "520.60"}, Keywords: []string{"Hydrogen"}}, 7},
		{"nothing in common", p, &Expert{SubjectCodes: []string{"110.10"}, Keywords: []string{"algebra"}}, 0},
		{"discipline only, once per project code", p, &Expert{SubjectCodes: []string{"520.60", "520.70"}}, 2},
		{"exact beats discipline", p, &Expert{SubjectCodes: []string{"520.20", "520.30"}}, 8},
		{"full-width code and spaced keyword", p, &Expert{SubjectCodes: []string{"５２０．２０"}, Keywords: []string{"  CATALYSIS "}}, 4 + 1 + 2},
		{"punctuation in keywords", &Project{Keywords: []string{"machine learning"}}, &Expert{Keywords: []string{"Machine-Learning"}}, 2},
		{"project duplicates count once", &Project{SubjectCodes: []string{"520.20", "52020"}, Keywords: []string{"a", "A"}}, &Expert{SubjectCodes: []string{"520.20"}, Keywords: []string{"a"}}, 4 + 2},
		{"non-numeric codes: exact only", &Project{SubjectCodes: []string{"TP391"}}, &Expert{SubjectCodes: []string{"TP392"}}, 0},
		{"empty strings ignored", &Project{SubjectCodes: []string{""}, Keywords: []string{" "}}, &Expert{SubjectCodes: []string{""}, Keywords: []string{""}}, 0},
		{"chinese keywords", &Project{Keywords: []string{"氢能", "催化"}}, &Expert{Keywords: []string{"催化", "材料"}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Affinity(tt.p, tt.e); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
			ix := newAffinityIndex()
			pk, ek := ix.project(tt.p), ix.expert(tt.e)
			if got := pk.affinity(&ek); got != tt.want {
				t.Errorf("indexed: got %d, want %d", got, tt.want)
			}
		})
	}
}

var (
	matchCodes = []string{"520.20", "520.30", "52060", "110.10", "110.20", "５２０.２０", "TP391"}
	matchWords = []string{"catalysis", "Catalysis ", "hydrogen", "algebra", "氢能", "machine-learning", "Machine Learning"}
	matchTypes = []string{DomainExpert, DomainExpert, StrategicScientist, InternationalPeer, Investor, Entrepreneur, FinanceExpert, FinanceExpert}
	// matchQuotaTypes has nested, disjoint and crossing sets; random
	// instances drop crossing pairs.
	matchQuotaTypes = [][]string{
		{DomainExpert}, {StrategicScientist}, {DomainExpert, StrategicScientist}, {InternationalPeer},
		{Investor, Entrepreneur}, {Investor}, {StrategicScientist, InternationalPeer},
		{DomainExpert, StrategicScientist, InternationalPeer},
	}
)

func matchSample(r *rand.Rand, from []string, max int) []string {
	var out []string
	for i := r.IntN(max + 1); i > 0; i-- {
		out = append(out, from[r.IntN(len(from))])
	}
	return out
}

func TestMatchAffinityIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		ix := newAffinityIndex()
		p := &Project{SubjectCodes: matchSample(r, matchCodes, 3), Keywords: matchSample(r, matchWords, 4)}
		e := &Expert{SubjectCodes: matchSample(r, matchCodes, 3), Keywords: matchSample(r, matchWords, 4)}
		ek := ix.expert(e)
		pk := ix.project(p)
		if got, want := pk.affinity(&ek), Affinity(p, e); got != want {
			t.Fatalf("project %v %v, expert %v %v: indexed %d, Affinity %d", p.SubjectCodes, p.Keywords, e.SubjectCodes, e.Keywords, got, want)
		}
	}
}

// affinityLists.add gives Affinity for every expert of a pool at once, and
// takes it away again.
func TestMatchAffinityLists(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 300; round++ {
		ix := newAffinityIndex()
		pool := make([]Expert, 1+r.IntN(30))
		keys := make([]affinityKeys, len(pool))
		for i := range pool {
			pool[i] = Expert{SubjectCodes: matchSample(r, matchCodes, 3), Keywords: matchSample(r, matchWords, 4)}
			keys[i] = ix.expert(&pool[i])
		}
		lists := newAffinityLists(ix, keys)
		aff := make([]int32, len(pool))
		for range 5 {
			p := &Project{SubjectCodes: matchSample(r, append(matchCodes, "999.10", "X1"), 3), Keywords: matchSample(r, append(matchWords, "new"), 4)}
			pk := ix.project(p)
			lists.add(&pk, aff, 1)
			for i := range pool {
				if want := Affinity(p, &pool[i]); int(aff[i]) != want {
					t.Fatalf("project %v %v, expert %v %v: lists %d, Affinity %d", p.SubjectCodes, p.Keywords,
						pool[i].SubjectCodes, pool[i].Keywords, aff[i], want)
				}
			}
			lists.add(&pk, aff, -1)
			for i, a := range aff {
				if a != 0 {
					t.Fatalf("expert %d: %d left after taking the project away", i, a)
				}
			}
		}
	}
}

// matchLaminar reports whether every two quotas of s are disjoint or
// nested, the condition Match requires.
func matchLaminar(qs []Quota) bool {
	for i := range qs {
		for j := range i {
			common := 0
			for _, t := range qs[i].Types {
				if slices.Contains(qs[j].Types, t) {
					common++
				}
			}
			if common > 0 && common < len(qs[i].Types) && common < len(qs[j].Types) {
				return false
			}
		}
	}
	return true
}

// randomMatchInput makes a small campaign: 2–4 projects, 6–10 experts,
// 1–3 technical and 0–1 finance seats, up to three quotas (nested or
// disjoint, hard or soft), random eligibility and capacities 0–3.
func randomMatchInput(r *rand.Rand) MatchInput {
	in := MatchInput{Eligible: map[int64][]int64{}, Capacity: map[int64]int{}, Seats: map[int64]Seats{}, Seed: fmt.Sprint(r.Int())}
	ne := 6 + r.IntN(5)
	for i := 0; i < ne; i++ {
		id := int64(100 + i)
		in.Experts = append(in.Experts, Expert{ID: id, Type: matchTypes[r.IntN(len(matchTypes))],
			SubjectCodes: matchSample(r, matchCodes, 2), Keywords: matchSample(r, matchWords, 3)})
		in.Capacity[id] = []int{0, 1, 2, 2, 3, 3}[r.IntN(6)] // 0: no capacity left
	}
	np := 2 + r.IntN(3)
	for i := 0; i < np; i++ {
		id := int64(1 + i)
		in.Projects = append(in.Projects, Project{ID: id, Code: fmt.Sprintf("P%d", id),
			SubjectCodes: matchSample(r, matchCodes, 2), Keywords: matchSample(r, matchWords, 3)})
		s := Seats{Technical: 1 + r.IntN(3), Finance: r.IntN(2)}
		hard := 0
		for q := r.IntN(4); q > 0; q-- {
			nq := Quota{Name: fmt.Sprintf("q%d", len(s.Quotas)),
				Types: matchQuotaTypes[r.IntN(len(matchQuotaTypes))], Min: 1 + r.IntN(4)/3, Soft: r.IntN(3) > 0}
			if !nq.Soft && hard+nq.Min > s.Technical && r.IntN(10) > 0 {
				continue // now and then, hard quotas larger than the group
			}
			if cand := append(s.Quotas, nq); matchLaminar(cand) {
				s.Quotas = cand
				if !nq.Soft {
					hard += nq.Min
				}
			}
		}
		in.Seats[id] = s
		for _, e := range in.Experts {
			if r.IntN(20) < 17 {
				in.Eligible[id] = append(in.Eligible[id], e.ID)
			}
		}
	}
	return in
}

// matchNoiseOf recomputes the documented noise of expert e on project p.
func matchNoiseOf(seed string, p, e int64, width int) int64 {
	if width <= 1 {
		return 0
	}
	b := []byte(seed)
	b = append(b, 0)
	b = binary.BigEndian.AppendUint64(b, uint64(p))
	b = binary.BigEndian.AppendUint64(b, uint64(e))
	sum := sha256.Sum256(b)
	shift := 64
	for w := width; w > 1; w /= 2 {
		shift--
	}
	return int64(binary.BigEndian.Uint64(sum[:8]) >> shift)
}

// matchScore is the lexicographic objective of Match.
type matchScore struct {
	soft  int
	aff   int64
	noise int64
}

func (a matchScore) less(b matchScore) bool {
	if a.soft != b.soft {
		return a.soft < b.soft
	}
	if a.aff != b.aff {
		return a.aff < b.aff
	}
	return a.noise < b.noise
}

// checkMatch checks every rule on a result and returns its score,
// computed from the input alone.
func checkMatch(t *testing.T, in MatchInput, res *MatchResult) matchScore {
	t.Helper()
	experts := map[int64]*Expert{}
	for i := range in.Experts {
		experts[in.Experts[i].ID] = &in.Experts[i]
	}
	if len(res.Assignments) != len(in.Projects) {
		t.Fatalf("got %d assignments, want %d", len(res.Assignments), len(in.Projects))
	}
	load := map[int64]int{}
	var sc matchScore
	soft := 0
	for i, as := range res.Assignments {
		p := &in.Projects[i]
		s := in.Seats[p.ID]
		if as.ProjectID != p.ID {
			t.Fatalf("assignment %d is for project %d, want %d", i, as.ProjectID, p.ID)
		}
		if len(as.Technical) != s.Technical || len(as.Finance) != s.Finance {
			t.Errorf("project %d: got %d technical, %d finance, want %d, %d", p.ID, len(as.Technical), len(as.Finance), s.Technical, s.Finance)
		}
		seen := map[int64]bool{}
		aff := 0
		for _, group := range [][]int64{as.Technical, as.Finance} {
			for _, id := range group {
				if seen[id] {
					t.Errorf("project %d: expert %d twice", p.ID, id)
				}
				seen[id] = true
				if !slices.Contains(in.Eligible[p.ID], id) {
					t.Errorf("project %d: expert %d is not eligible", p.ID, id)
				}
				load[id]++
				aff += Affinity(p, experts[id])
				sc.noise += matchNoiseOf(in.Seed, p.ID, id, res.Noise)
			}
		}
		for _, id := range as.Technical {
			if experts[id].Type == FinanceExpert {
				t.Errorf("project %d: finance expert %d on a technical seat", p.ID, id)
			}
		}
		for _, id := range as.Finance {
			if experts[id].Type != FinanceExpert {
				t.Errorf("project %d: %s %d on a finance seat", p.ID, experts[id].Type, id)
			}
		}
		if aff != as.Affinity {
			t.Errorf("project %d: affinity %d, recomputed %d", p.ID, as.Affinity, aff)
		}
		sc.aff += int64(aff)
		var short []Shortfall
		for _, q := range s.Quotas {
			n := 0
			for _, id := range as.Technical {
				if slices.Contains(q.Types, experts[id].Type) {
					n++
				}
			}
			switch {
			case n >= q.Min:
				if q.Soft {
					soft += q.Min
				}
			case q.Soft:
				soft += n
				short = append(short, Shortfall{Quota: q.Name, Needed: q.Min, Seated: n})
			default:
				t.Errorf("project %d: hard quota %s: %d of %d", p.ID, q.Name, n, q.Min)
			}
		}
		var got []Shortfall
		for _, sf := range as.Shortfalls {
			sf.Eligible = 0
			got = append(got, sf)
		}
		slices.SortFunc(short, func(a, b Shortfall) int { return strings.Compare(a.Quota, b.Quota) })
		slices.SortFunc(got, func(a, b Shortfall) int { return strings.Compare(a.Quota, b.Quota) })
		if diff := cmp.Diff(short, got); diff != "" {
			t.Errorf("project %d: shortfalls (-want +got):\n%s", p.ID, diff)
		}
	}
	for id, n := range load {
		if n > in.Capacity[id] {
			t.Errorf("expert %d: %d projects, capacity %d", id, n, in.Capacity[id])
		}
	}
	if sc.aff != res.Affinity || soft != res.SoftMet {
		t.Errorf("result says affinity %d soft %d, recomputed %d, %d", res.Affinity, res.SoftMet, sc.aff, soft)
	}
	sc.soft = soft
	return sc
}

// bruteMatch is the exact reference: it lists every panel of every
// project that fills its seats from its eligible experts and meets its
// hard quotas, then tries every combination of panels within the
// capacities (memoised on the remaining capacities), maximising soft-quota
// seats, then affinity, then noise.
func bruteMatch(in MatchInput, noiseWidth int) (best matchScore, feasible bool) {
	type option struct {
		experts []int // indexes into in.Experts
		score   matchScore
	}
	idx := map[int64]int{}
	for i, e := range in.Experts {
		idx[e.ID] = i
	}
	var subsets func(from []int, k int) [][]int
	subsets = func(from []int, k int) [][]int {
		if k == 0 {
			return [][]int{nil}
		}
		if len(from) < k {
			return nil
		}
		var out [][]int
		for _, rest := range subsets(from[1:], k-1) {
			out = append(out, append([]int{from[0]}, rest...))
		}
		return append(out, subsets(from[1:], k)...)
	}
	options := make([][]option, len(in.Projects))
	for pi := range in.Projects {
		p := &in.Projects[pi]
		s := in.Seats[p.ID]
		var tech, fin []int
		seen := map[int64]bool{}
		for _, id := range in.Eligible[p.ID] {
			if seen[id] || in.Capacity[id] <= 0 {
				continue
			}
			seen[id] = true
			if in.Experts[idx[id]].Type == FinanceExpert {
				fin = append(fin, idx[id])
			} else {
				tech = append(tech, idx[id])
			}
		}
		for _, ts := range subsets(tech, s.Technical) {
			var sc matchScore
			ok := true
			for _, q := range s.Quotas {
				n := 0
				for _, i := range ts {
					if slices.Contains(q.Types, in.Experts[i].Type) {
						n++
					}
				}
				switch {
				case q.Soft:
					sc.soft += min(n, q.Min)
				case n < q.Min:
					ok = false
				}
			}
			if !ok {
				continue
			}
			for _, fs := range subsets(fin, s.Finance) {
				o := option{experts: append(slices.Clone(ts), fs...), score: sc}
				for _, i := range o.experts {
					o.score.aff += int64(Affinity(p, &in.Experts[i]))
					o.score.noise += matchNoiseOf(in.Seed, p.ID, in.Experts[i].ID, noiseWidth)
				}
				options[pi] = append(options[pi], o)
			}
		}
	}
	capLeft := make([]int, len(in.Experts))
	for i, e := range in.Experts {
		capLeft[i] = in.Capacity[e.ID]
	}
	type result struct {
		score matchScore
		ok    bool
	}
	memo := map[string]result{}
	var solve func(pi int) result
	solve = func(pi int) result {
		if pi == len(in.Projects) {
			return result{ok: true}
		}
		key := fmt.Sprint(pi, capLeft)
		if r, ok := memo[key]; ok {
			return r
		}
		var best result
		for _, o := range options[pi] {
			fits := true
			for _, i := range o.experts {
				if capLeft[i] <= 0 {
					fits = false
				}
			}
			if !fits {
				continue
			}
			for _, i := range o.experts {
				capLeft[i]--
			}
			sub := solve(pi + 1)
			for _, i := range o.experts {
				capLeft[i]++
			}
			if !sub.ok {
				continue
			}
			sc := matchScore{soft: o.score.soft + sub.score.soft, aff: o.score.aff + sub.score.aff, noise: o.score.noise + sub.score.noise}
			if !best.ok || best.score.less(sc) {
				best = result{score: sc, ok: true}
			}
		}
		memo[key] = best
		return best
	}
	r := solve(0)
	return r.score, r.ok
}

// checkUnmet recounts the eligible experts of every unmet requirement and
// checks that the numbers tell a consistent story.
func checkUnmet(t *testing.T, in MatchInput, unmet []Unmet) {
	t.Helper()
	types := map[int64]string{}
	for _, e := range in.Experts {
		types[e.ID] = e.Type
	}
	for _, u := range unmet {
		s := in.Seats[u.ProjectID]
		eligible := map[int64]bool{}
		for _, id := range in.Eligible[u.ProjectID] {
			if in.Capacity[id] <= 0 {
				continue
			}
			switch {
			case u.Quota == GroupFinance:
				eligible[id] = types[id] == FinanceExpert
			case u.Quota == GroupTechnical || u.Cause == CauseRules:
				eligible[id] = types[id] != FinanceExpert
			default:
				eligible[id] = slices.Contains(u.Types, types[id]) && types[id] != FinanceExpert
			}
			if !eligible[id] {
				delete(eligible, id)
			}
		}
		if u.Eligible != len(eligible) {
			t.Errorf("%s: eligible %d, recounted %d", u, u.Eligible, len(eligible))
		}
		switch u.Cause {
		case CauseEligible:
			if u.Eligible >= u.Needed {
				t.Errorf("%s: too few eligible, but %d ≥ %d", u, u.Eligible, u.Needed)
			}
		case CauseRules:
			if u.Seats != s.Technical || u.Needed <= u.Seats {
				t.Errorf("%s: seats %d (group %d), needed %d", u, u.Seats, s.Technical, u.Needed)
			}
		case CauseCapacity:
			if u.Seated >= u.Needed || u.Needed > u.Eligible {
				t.Errorf("%s: seated %d, needed %d, eligible %d", u, u.Seated, u.Needed, u.Eligible)
			}
		default:
			t.Errorf("%s: cause %q", u, u.Cause)
		}
	}
}

// TestMatchAgainstBruteForce compares Match with the exhaustive reference
// on random small campaigns: the same verdict and, when feasible, the same
// soft-quota seats, affinity and noise, with every rule checked.
func TestMatchAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(2025, 4))
	const instances = 600
	feasible := 0
	for i := 0; i < instances; i++ {
		in := randomMatchInput(r)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			res, err := Match(context.Background(), in)
			want, ok := bruteMatch(in, matchNoise)
			var inf *InfeasibleError
			switch {
			case err != nil && !errors.As(err, &inf):
				t.Fatalf("unexpected error: %v", err)
			case err != nil && ok:
				t.Fatalf("Match says infeasible (%v), the reference found %+v", err, want)
			case err == nil && !ok:
				t.Fatalf("Match found an assignment, the reference says infeasible")
			case err != nil:
				if len(inf.Unmet) == 0 {
					t.Fatal("InfeasibleError without an unmet requirement")
				}
				checkUnmet(t, in, inf.Unmet)
				return
			}
			feasible++
			if res.Noise != matchNoise {
				t.Errorf("noise width %d, want %d", res.Noise, matchNoise)
			}
			if got := checkMatch(t, in, res); got != want {
				t.Errorf("got soft %d affinity %d noise %d, want %d %d %d", got.soft, got.aff, got.noise, want.soft, want.aff, want.noise)
			}
		})
	}
	// The generator must exercise both verdicts, with at least 200
	// optima compared.
	t.Logf("%d of %d instances feasible", feasible, instances)
	if feasible < 200 || instances-feasible < 100 {
		t.Errorf("%d of %d instances feasible: the generator is unbalanced", feasible, instances)
	}
}

// matchHand is a small pool for the hand-computed cases: project P (id 1,
// codes 520.20, keywords catalysis and hydrogen) and experts whose
// affinity to it is given by their codes and keywords.
func matchHand() (Project, map[string]Expert) {
	p := Project{ID: 1, Code: "P1", SubjectCodes: []string{"520.20"}, Keywords: []string{"catalysis", "hydrogen"}}
	mk := func(id int64, typ string, codes, words []string) Expert {
		return Expert{ID: id, Type: typ, SubjectCodes: codes, Keywords: words}
	}
	return p, map[string]Expert{
		"D6": mk(11, DomainExpert, []string{"520.20"}, []string{"catalysis"}),             // 4+2
		"D5": mk(12, DomainExpert, []string{"520.60"}, []string{"catalysis", "hydrogen"}), // 1+2+2
		"D4": mk(13, DomainExpert, []string{"520.20"}, nil),                               // 4
		"D2": mk(14, DomainExpert, []string{"110.10"}, []string{"hydrogen"}),              // 2
		"S0": mk(21, StrategicScientist, nil, nil),
		"S1": mk(22, StrategicScientist, []string{"520.99"}, nil), // 1
		"N0": mk(31, InternationalPeer, nil, nil),
		"I0": mk(41, Investor, nil, nil),
		"I3": mk(42, Investor, []string{"520.30"}, []string{"hydrogen"}), // 1+2
		"F0": mk(51, FinanceExpert, nil, nil),
		"F2": mk(52, FinanceExpert, nil, []string{"hydrogen"}), // 2
	}
}

func TestMatchHandComputed(t *testing.T) {
	p, ex := matchHand()
	one := func(t *testing.T, names []string, seats Seats, capacity int) MatchInput {
		in := MatchInput{Projects: []Project{p}, Seats: map[int64]Seats{1: seats}, Eligible: map[int64][]int64{},
			Capacity: map[int64]int{}, Seed: "hand"}
		for _, n := range names {
			e, ok := ex[n]
			if !ok {
				t.Fatalf("no expert %s", n)
			}
			in.Experts = append(in.Experts, e)
			in.Eligible[1] = append(in.Eligible[1], e.ID)
			in.Capacity[e.ID] = capacity
		}
		return in
	}
	tests := []struct {
		name     string
		in       func(t *testing.T) MatchInput
		want     []Assignment
		affinity int64
		softMet  int
	}{
		{
			name: "highest affinity wins, finance from finance experts",
			in: func(t *testing.T) MatchInput {
				return one(t, []string{"D6", "D5", "D4", "D2", "F0", "F2"}, Seats{Technical: 2, Finance: 1}, 1)
			},
			want:     []Assignment{{ProjectID: 1, Technical: []int64{11, 12}, Finance: []int64{52}, Affinity: 6 + 5 + 2}},
			affinity: 13,
		},
		{
			name: "a hard quota takes a seat from a better expert",
			in: func(t *testing.T) MatchInput {
				return one(t, []string{"D6", "D5", "D4", "I0"}, Seats{Technical: 2, Quotas: []Quota{{Name: "industry", Types: []string{Investor, Entrepreneur}, Min: 1}}}, 1)
			},
			want:     []Assignment{{ProjectID: 1, Technical: []int64{11, 41}, Affinity: 6}},
			affinity: 6,
		},
		{
			name: "a soft quota comes before affinity",
			in: func(t *testing.T) MatchInput {
				return one(t, []string{"D6", "D5", "N0"}, Seats{Technical: 2, Quotas: []Quota{{Name: "intl", Types: []string{InternationalPeer}, Min: 1, Soft: true}}}, 1)
			},
			want:     []Assignment{{ProjectID: 1, Technical: []int64{11, 31}, Affinity: 6}},
			affinity: 6, softMet: 1,
		},
		{
			name: "a soft quota without an eligible expert is a shortfall",
			in: func(t *testing.T) MatchInput {
				return one(t, []string{"D6", "D5", "D4"}, Seats{Technical: 2, Quotas: []Quota{{Name: "intl", Types: []string{InternationalPeer}, Min: 1, Soft: true}}}, 1)
			},
			want:     []Assignment{{ProjectID: 1, Technical: []int64{11, 12}, Affinity: 11, Shortfalls: []Shortfall{{Quota: "intl", Needed: 1, Seated: 0, Eligible: 0}}}},
			affinity: 11,
		},
		{
			name: "nested quotas: a strategic scientist counts for both",
			in: func(t *testing.T) MatchInput {
				return one(t, []string{"D6", "D5", "D4", "S0", "S1", "I3"}, Seats{Technical: 3, Quotas: []Quota{
					{Name: "domain_or_strategic", Types: []string{DomainExpert, StrategicScientist}, Min: 3},
					{Name: "strategic", Types: []string{StrategicScientist}, Min: 1},
				}}, 1)
			},
			// S1 (1) rather than S0 (0); then the two best domain experts; I3 (3) may not sit.
			want:     []Assignment{{ProjectID: 1, Technical: []int64{11, 12, 22}, Affinity: 6 + 5 + 1}},
			affinity: 12,
		},
		{
			name: "a project only one expert can serve gets him",
			in: func(t *testing.T) MatchInput {
				in := one(t, []string{"D6", "D2"}, Seats{Technical: 1}, 1)
				in.Projects = append(in.Projects, Project{ID: 2, Code: "P2", SubjectCodes: []string{"520.20"}})
				in.Seats[2] = Seats{Technical: 1}
				in.Eligible[2] = []int64{11} // only D6
				return in
			},
			// D6 is worth 6 on P1 and 4 on P2, but P2 can have no one else:
			// D2 (2) sits on P1.
			want: []Assignment{
				{ProjectID: 1, Technical: []int64{14}, Affinity: 2},
				{ProjectID: 2, Technical: []int64{11}, Affinity: 4},
			},
			affinity: 6,
		},
		{
			name: "the best pair first is not the best total",
			in: func(t *testing.T) MatchInput {
				in := one(t, []string{"D6", "D5"}, Seats{Technical: 1}, 1)
				in.Projects = append(in.Projects, Project{ID: 2, Code: "P2", SubjectCodes: []string{"520.20"}})
				in.Seats[2] = Seats{Technical: 1}
				in.Eligible[2] = []int64{11, 12}
				return in
			},
			// D6: 6 on P1, 4 on P2; D5: 5 on P1, 1 on P2 (discipline 520).
			// Seating the best pair first (D6 on P1) totals 7; the optimum
			// is D5 on P1 and D6 on P2, 9.
			want: []Assignment{
				{ProjectID: 1, Technical: []int64{12}, Affinity: 5},
				{ProjectID: 2, Technical: []int64{11}, Affinity: 4},
			},
			affinity: 9,
		},
		{
			name: "an expert with capacity 2 sits on both projects",
			in: func(t *testing.T) MatchInput {
				in := one(t, []string{"D6", "D5"}, Seats{Technical: 1}, 2)
				in.Projects = append(in.Projects, Project{ID: 2, Code: "P2", SubjectCodes: []string{"520.20"}})
				in.Seats[2] = Seats{Technical: 1}
				in.Eligible[2] = []int64{11, 12}
				return in
			},
			want: []Assignment{
				{ProjectID: 1, Technical: []int64{11}, Affinity: 6},
				{ProjectID: 2, Technical: []int64{11}, Affinity: 4},
			},
			affinity: 10,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in(t)
			res, err := Match(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			checkMatch(t, in, res)
			got := res.Assignments
			for i := range got {
				if len(got[i].Finance) == 0 {
					got[i].Finance = nil
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("assignments (-want +got):\n%s", diff)
			}
			if res.Affinity != tt.affinity || res.SoftMet != tt.softMet {
				t.Errorf("got affinity %d soft %d, want %d %d", res.Affinity, res.SoftMet, tt.affinity, tt.softMet)
			}
		})
	}
}

// matchTieInput is a campaign where many assignments are equally good:
// three projects, twelve experts with no affinity to anything.
func matchTieInput(seed string) MatchInput {
	in := MatchInput{Eligible: map[int64][]int64{}, Capacity: map[int64]int{}, Seats: map[int64]Seats{}, Seed: seed}
	for i := int64(1); i <= 12; i++ {
		typ := DomainExpert
		if i > 9 {
			typ = FinanceExpert
		}
		in.Experts = append(in.Experts, Expert{ID: 100 + i, Type: typ})
		in.Capacity[100+i] = 2
	}
	for p := int64(1); p <= 3; p++ {
		in.Projects = append(in.Projects, Project{ID: p, Code: fmt.Sprint("T", p)})
		in.Seats[p] = Seats{Technical: 3, Finance: 1}
		for _, e := range in.Experts {
			in.Eligible[p] = append(in.Eligible[p], e.ID)
		}
	}
	return in
}

func TestMatchSeed(t *testing.T) {
	first, err := Match(context.Background(), matchTieInput("seed-0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("same seed, same result, whatever the input order", func(t *testing.T) {
		in := matchTieInput("seed-0")
		slices.Reverse(in.Experts)
		for p := range in.Eligible {
			slices.Reverse(in.Eligible[p])
		}
		again, err := Match(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, again); diff != "" {
			t.Errorf("(-first +again):\n%s", diff)
		}
	})
	t.Run("other seeds, other equally good results", func(t *testing.T) {
		distinct := map[string]bool{}
		for i := 0; i < 20; i++ {
			in := matchTieInput(fmt.Sprint("seed-", i))
			res, err := Match(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			checkMatch(t, in, res)
			if res.Affinity != first.Affinity || res.SoftMet != first.SoftMet {
				t.Errorf("seed %d: affinity %d soft %d, want %d %d", i, res.Affinity, res.SoftMet, first.Affinity, first.SoftMet)
			}
			distinct[fmt.Sprint(res.Assignments)] = true
		}
		if len(distinct) < 10 {
			t.Errorf("20 seeds gave %d distinct assignments, want at least 10", len(distinct))
		}
	})
	t.Run("noise never beats affinity", func(t *testing.T) {
		// One expert has affinity 1 more than the others: every seed seats him.
		for i := 0; i < 20; i++ {
			in := matchTieInput(fmt.Sprint("seed-", i))
			in.Projects[0].Keywords = []string{"x"}
			in.Experts[4].Keywords = []string{"x"}
			res, err := Match(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(res.Assignments[0].Technical, in.Experts[4].ID) || res.Affinity != 2 {
				t.Errorf("seed %d: %v, affinity %d", i, res.Assignments[0], res.Affinity)
			}
		}
	})
}

func TestMatchInfeasible(t *testing.T) {
	_, ex := matchHand()
	industry := Quota{Name: "industry", Types: []string{Investor, Entrepreneur}, Min: 1}
	build := func(projects int, seats Seats, names []string, capacity int) MatchInput {
		in := MatchInput{Eligible: map[int64][]int64{}, Capacity: map[int64]int{}, Seats: map[int64]Seats{}, Seed: "x"}
		for _, n := range names {
			in.Experts = append(in.Experts, ex[n])
			in.Capacity[ex[n].ID] = capacity
		}
		for i := 1; i <= projects; i++ {
			id := int64(i)
			in.Projects = append(in.Projects, Project{ID: id, Code: fmt.Sprint("P", i)})
			in.Seats[id] = seats
			for _, e := range in.Experts {
				in.Eligible[id] = append(in.Eligible[id], e.ID)
			}
		}
		return in
	}
	tests := []struct {
		name string
		in   MatchInput
		want []Unmet
		msg  []string
	}{
		{
			name: "too few technical experts",
			in:   build(1, Seats{Technical: 3}, []string{"D6", "D5", "F0"}, 1),
			want: []Unmet{{ProjectID: 1, Project: "P1", Quota: GroupTechnical, Needed: 3, Eligible: 2, Cause: CauseEligible}},
			msg:  []string{"project P1 (id 1): technical group needs 3 experts, 2 eligible"},
		},
		{
			name: "too few finance experts",
			in:   build(1, Seats{Technical: 1, Finance: 1}, []string{"D6", "D5"}, 1),
			want: []Unmet{{ProjectID: 1, Project: "P1", Quota: GroupFinance, Types: []string{FinanceExpert}, Needed: 1, Eligible: 0, Cause: CauseEligible}},
			msg:  []string{"finance group needs 1 finance_expert, 0 eligible"},
		},
		{
			name: "hard quota without eligible experts",
			in:   build(1, Seats{Technical: 2, Quotas: []Quota{industry}}, []string{"D6", "D5", "N0"}, 1),
			want: []Unmet{{ProjectID: 1, Project: "P1", Quota: "industry", Types: []string{Entrepreneur, Investor}, Needed: 1, Eligible: 0, Cause: CauseEligible}},
			msg:  []string{`quota "industry" needs 1 of entrepreneur/investor, 0 eligible`},
		},
		{
			name: "nested quotas need more than their types have",
			in: build(1, Seats{Technical: 3, Quotas: []Quota{
				{Name: "science", Types: []string{DomainExpert, StrategicScientist}, Min: 1},
				{Name: "domain", Types: []string{DomainExpert}, Min: 1},
				{Name: "strategic", Types: []string{StrategicScientist}, Min: 1},
			}}, []string{"D6", "I0", "I3", "N0"}, 1),
			want: []Unmet{{ProjectID: 1, Project: "P1", Quota: "strategic", Types: []string{StrategicScientist}, Needed: 1, Eligible: 0, Cause: CauseEligible}},
		},
		{
			name: "hard quotas larger than the group",
			in: build(1, Seats{Technical: 3, Quotas: []Quota{industry,
				{Name: "domain", Types: []string{DomainExpert}, Min: 3}}}, []string{"D6", "D5", "D4", "I0"}, 1),
			want: []Unmet{{ProjectID: 1, Project: "P1", Quota: "industry+domain", Needed: 4, Eligible: 4, Cause: CauseRules, Seats: 3}},
			msg:  []string{"hard quotas industry+domain need 4 technical seats, the group has 3"},
		},
		{
			name: "one investor for two projects",
			in:   build(2, Seats{Technical: 2, Quotas: []Quota{industry}}, []string{"D6", "D5", "D4", "I0"}, 1),
			// Each project alone could have I0; together one goes without.
			want: []Unmet{{ProjectID: 2, Project: "P2", Quota: "industry", Types: []string{Entrepreneur, Investor}, Needed: 1, Seated: 0, Eligible: 1, Cause: CauseCapacity, Competing: []int64{1}}},
			msg:  []string{`project P2 (id 2): quota "industry" needs 1 of entrepreneur/investor, 1 eligible, but only 0 can be seated: their remaining load is taken by other projects (1)`},
		},
		{
			name: "seats shared between projects",
			in:   build(3, Seats{Technical: 2}, []string{"D6", "D5"}, 2),
			want: []Unmet{{ProjectID: 3, Project: "P3", Quota: GroupTechnical, Needed: 2, Seated: 0, Eligible: 2, Cause: CauseCapacity, Competing: []int64{1, 2}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Match(context.Background(), tt.in)
			var inf *InfeasibleError
			if !errors.As(err, &inf) {
				t.Fatalf("got %v, %v; want an *InfeasibleError", res, err)
			}
			// Which of several competing projects goes short is the
			// optimiser's choice: compare the count and the shape.
			if len(tt.want) > 0 && tt.want[0].Cause == CauseCapacity {
				if len(inf.Unmet) != len(tt.want) {
					t.Fatalf("got %+v, want %+v", inf.Unmet, tt.want)
				}
				for i := range inf.Unmet {
					g, w := inf.Unmet[i], tt.want[i]
					if g.Quota != w.Quota || g.Needed != w.Needed || g.Seated != w.Seated || g.Eligible != w.Eligible || g.Cause != w.Cause || len(g.Competing) != len(w.Competing) {
						t.Errorf("got %+v, want like %+v", g, w)
					}
				}
			} else if diff := cmp.Diff(tt.want, inf.Unmet); diff != "" {
				t.Errorf("unmet (-want +got):\n%s", diff)
			}
			for _, m := range tt.msg {
				msg := err.Error()
				if tt.want[0].Cause == CauseCapacity {
					// Normalise which project went short for the comparison.
					u := inf.Unmet[0]
					msg = strings.Replace(msg, fmt.Sprintf("project %s (id %d)", u.Project, u.ProjectID), fmt.Sprintf("project %s (id %d)", tt.want[0].Project, tt.want[0].ProjectID), 1)
					var other []string
					for _, id := range u.Competing {
						other = append(other, fmt.Sprint(id))
					}
					var want []string
					for _, id := range tt.want[0].Competing {
						want = append(want, fmt.Sprint(id))
					}
					msg = strings.Replace(msg, "("+strings.Join(other, ", ")+")", "("+strings.Join(want, ", ")+")", 1)
				}
				if !strings.Contains(msg, m) {
					t.Errorf("message %q does not contain %q", err.Error(), m)
				}
			}
		})
	}
}

func TestMatchInvalidInput(t *testing.T) {
	base := func() MatchInput {
		return MatchInput{
			Projects: []Project{{ID: 1, Code: "P1"}},
			Experts:  []Expert{{ID: 10, Type: DomainExpert}, {ID: 11, Type: StrategicScientist}},
			Eligible: map[int64][]int64{1: {10, 11}},
			Capacity: map[int64]int{10: 1, 11: 1},
			Seats:    map[int64]Seats{1: {Technical: 1}},
		}
	}
	tests := []struct {
		name   string
		change func(*MatchInput)
		want   string
	}{
		{"crossing quotas", func(in *MatchInput) {
			in.Seats[1] = Seats{Technical: 2, Quotas: []Quota{
				{Name: "a", Types: []string{DomainExpert, StrategicScientist}, Min: 1},
				{Name: "b", Types: []string{StrategicScientist, InternationalPeer}, Min: 1},
			}}
		}, `quotas "a" and "b" overlap without one containing the other`},
		{"no seats", func(in *MatchInput) { delete(in.Seats, 1) }, "project P1 (id 1) has no seats"},
		{"negative seats", func(in *MatchInput) { in.Seats[1] = Seats{Technical: -1} }, "-1 technical"},
		{"negative minimum", func(in *MatchInput) {
			in.Seats[1] = Seats{Technical: 1, Quotas: []Quota{{Name: "a", Types: []string{DomainExpert}, Min: -1}}}
		}, `quota "a" has a minimum of -1`},
		{"project twice", func(in *MatchInput) { in.Projects = append(in.Projects, in.Projects[0]) }, "project 1 twice"},
		{"expert twice", func(in *MatchInput) { in.Experts = append(in.Experts, in.Experts[0]) }, "expert 10 twice"},
		{"unknown eligible expert", func(in *MatchInput) { in.Eligible[1] = append(in.Eligible[1], 99) }, "eligible expert 99 is not in the pool"},
		// The first project's error is the one reported, whichever kind
		// of check finds the later one.
		{"unknown eligible expert, then no seats", func(in *MatchInput) {
			in.Eligible[1] = append(in.Eligible[1], 99)
			in.Projects = append(in.Projects, Project{ID: 2, Code: "P2"})
		}, "eligible expert 99 is not in the pool"},
		{"no seats, then unknown eligible expert", func(in *MatchInput) {
			in.Projects = append([]Project{{ID: 2, Code: "P2"}}, in.Projects...)
			in.Eligible[1] = append(in.Eligible[1], 99)
		}, "project P2 (id 2) has no seats"},
		{"two unknown eligible experts", func(in *MatchInput) {
			in.Projects = append(in.Projects, Project{ID: 2, Code: "P2"})
			in.Seats[2] = Seats{Technical: 1}
			in.Eligible[1] = append(in.Eligible[1], 98)
			in.Eligible[2] = []int64{10, 97}
		}, "project P1 (id 1): eligible expert 98 is not in the pool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.change(&in)
			_, err := Match(context.Background(), in)
			var inf *InfeasibleError
			if err == nil || errors.As(err, &inf) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an input error containing %q", err, tt.want)
			}
		})
	}
}

func TestMatchEdgeCases(t *testing.T) {
	t.Run("no projects", func(t *testing.T) {
		res, err := Match(context.Background(), MatchInput{})
		if err != nil || len(res.Assignments) != 0 {
			t.Errorf("got %+v, %v", res, err)
		}
	})
	t.Run("zero seats, duplicates, zero capacity", func(t *testing.T) {
		in := MatchInput{
			Projects: []Project{{ID: 1, Code: "P1"}, {ID: 2, Code: "P2"}},
			Experts:  []Expert{{ID: 10, Type: DomainExpert}, {ID: 11, Type: DomainExpert}},
			Eligible: map[int64][]int64{1: {10, 10, 11}, 2: {10, 11}, 3: {10}},
			Capacity: map[int64]int{10: 5},
			Seats:    map[int64]Seats{1: {Technical: 1}, 2: {}},
		}
		res, err := Match(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		want := []Assignment{{ProjectID: 1, Technical: []int64{10}}, {ProjectID: 2, Technical: []int64{}}}
		if diff := cmp.Diff(want, res.Assignments); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Match(ctx, matchTieInput("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
}

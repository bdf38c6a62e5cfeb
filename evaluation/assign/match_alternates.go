package assign

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"slices"
	"strconv"
)

// MatchAlternates ranks the alternates (候补) of the panels a match formed:
// for assignments[i], the panel of in.Projects[i], the experts of
// in.Eligible[assignments[i].ProjectID] that are in the pool and not seated
// on the panel, technical and finance experts apart, by Affinity with the
// project, highest first, ties broken by DrawKey(in.Seed, the project's
// code, id), lowest first. It keeps the first n of each group, where want(i)
// gives n for the technical and for the finance group, and returns them
// indexed like assignments (nil where there are none). An expert id listed
// twice in the pool stands for its last entry.
//
// It gives what ranking the whole list and taking its head gives, but it
// folds each expert's and project's codes and keywords once, computes the
// draw keys only of the experts whose affinity can place them among the
// first, and spreads the projects over GOMAXPROCS goroutines: a campaign of
// 5,000 projects has about 20 million eligible pairs, because every finance
// expert is eligible to every project. want is called before the work
// starts, from the calling goroutine.
func MatchAlternates(in MatchInput, assignments []Assignment, want func(i int) (tech, fin int)) (tech, fin [][]int64) {
	n := len(assignments)
	tech, fin = make([][]int64, n), make([][]int64, n)
	if n == 0 {
		return tech, fin
	}
	r := newAlternatesRanker(in, n, want)
	inParallel(n, func() func(int) {
		sc := r.scratch()
		return func(i int) {
			tech[i], fin[i] = r.take(&sc, i, &assignments[i])
		}
	})
	return tech, fin
}

// RankedAlternates are the alternates of a match ranked before the match
// is known, so that the ranking can run beside Match, whose solver keeps
// one core busy: for each project as many of its eligible experts of each
// group as its alternates and its seats together, of whom those seated are
// dropped once the panels are known (Take).
type RankedAlternates struct {
	r         *alternatesRanker
	tech, fin [][]int64 // per project, the head of each group's ranking
	seats     []int     // per project, the seats the heads allow for
}

// RankAlternates ranks the alternates of a match of in before it is known;
// want is as for MatchAlternates, for in.Projects[i].
func RankAlternates(in MatchInput, want func(i int) (tech, fin int)) *RankedAlternates {
	n := len(in.Projects)
	ra := &RankedAlternates{r: newAlternatesRanker(in, n, want), tech: make([][]int64, n), fin: make([][]int64, n),
		seats: make([]int, n)}
	for i := range n {
		s := in.Seats[in.Projects[i].ID]
		ra.seats[i] = max(s.Technical, 0) + max(s.Finance, 0)
	}
	inParallel(n, func() func(int) {
		sc := ra.r.scratch()
		return func(i int) {
			ra.tech[i], ra.fin[i] = ra.r.rank(&sc, i, in.Eligible[in.Projects[i].ID], ra.seats[i])
		}
	})
	return ra
}

// Take returns what MatchAlternates(in, assignments, want) returns, for
// the input and want RankAlternates had: the heads of the rankings without
// the seated experts. A panel with more seats than its project, or of
// another project than in.Projects[i] (which Match does not give), is
// ranked again.
func (ra *RankedAlternates) Take(assignments []Assignment) (tech, fin [][]int64) {
	n := len(assignments)
	tech, fin = make([][]int64, n), make([][]int64, n)
	var sc alternatesScratch
	for i := range assignments {
		a := &assignments[i]
		if a.ProjectID != ra.r.in.Projects[i].ID || len(a.Technical)+len(a.Finance) > ra.seats[i] {
			if sc.aff == nil {
				sc = ra.r.scratch()
			}
			tech[i], fin[i] = ra.r.take(&sc, i, a)
			continue
		}
		tech[i], fin[i] = unseated(ra.tech[i], a, ra.r.wantTech[i]), unseated(ra.fin[i], a, ra.r.wantFin[i])
	}
	return tech, fin
}

// alternatesRanker is what the ranking prepares once and its goroutines
// only read.
type alternatesRanker struct {
	in                *MatchInput
	pool              poolIndex
	lists             *affinityLists
	finance           []bool
	projects          []affinityKeys // of in.Projects[:n]
	wantTech, wantFin []int
}

func newAlternatesRanker(in MatchInput, n int, want func(i int) (tech, fin int)) *alternatesRanker {
	ix := newAffinityIndex()
	r := &alternatesRanker{
		in:       &in,
		pool:     newPoolIndex(in.Experts),
		finance:  make([]bool, len(in.Experts)),
		projects: make([]affinityKeys, n),
		wantTech: make([]int, n),
		wantFin:  make([]int, n),
	}
	experts := make([]affinityKeys, len(in.Experts))
	for j := range in.Experts {
		experts[j] = ix.expert(&in.Experts[j])
		r.finance[j] = in.Experts[j].Type == FinanceExpert
	}
	r.lists = newAffinityLists(ix, experts)
	for i := range n {
		r.projects[i] = ix.project(&in.Projects[i])
		r.wantTech[i], r.wantFin[i] = want(i)
	}
	return r
}

func (r *alternatesRanker) scratch() alternatesScratch {
	return alternatesScratch{aff: make([]int32, len(r.in.Experts))}
}

// take returns the alternates of panel a of project i.
func (r *alternatesRanker) take(sc *alternatesScratch, i int, a *Assignment) (tech, fin []int64) {
	t, f := r.rank(sc, i, r.in.Eligible[a.ProjectID], len(a.Technical)+len(a.Finance))
	return unseated(t, a, r.wantTech[i]), unseated(f, a, r.wantFin[i])
}

// unseated returns the first n of the ranked ids that are not on the
// panel, nil if none.
func unseated(ranked []int64, a *Assignment, n int) []int64 {
	var out []int64
	for _, id := range ranked {
		if len(out) == n {
			break
		}
		if !slices.Contains(a.Technical, id) && !slices.Contains(a.Finance, id) {
			out = append(out, id)
		}
	}
	return out
}

// rank returns the heads of project i's ranking of the eligible experts,
// technical and finance apart: as many as it wants of each group and
// seated more, which is as many as can be needed once at most seated of
// them are on its panel.
func (r *alternatesRanker) rank(sc *alternatesScratch, i int, eligible []int64, seated int) (tech, fin []int64) {
	nt, nf := r.wantTech[i], r.wantFin[i]
	if nt <= 0 && nf <= 0 {
		return nil, nil
	}
	if nt > 0 {
		nt += seated
	}
	if nf > 0 {
		nf += seated
	}
	pk := &r.projects[i]
	r.lists.add(pk, sc.aff, 1)
	sc.tech, sc.fin = sc.tech[:0], sc.fin[:0]
	for _, id := range eligible {
		e, ok := r.pool.find(id)
		if !ok {
			continue
		}
		if r.finance[e] {
			if nf > 0 {
				sc.fin = append(sc.fin, alternate{sc.aff[e], id})
			}
		} else if nt > 0 {
			sc.tech = append(sc.tech, alternate{sc.aff[e], id})
		}
	}
	r.lists.add(pk, sc.aff, -1)
	// The draw key's input is seed:code:id; the prefix is the project's.
	sc.buf = append(append(append(append(sc.buf[:0], r.in.Seed...), ':'), r.in.Projects[i].Code...), ':')
	return sc.best(sc.tech, nt), sc.best(sc.fin, nf)
}

// alternate is one candidate: its affinity and id.
type alternate struct {
	affinity int32
	id       int64
}

// keyedAlternate is a candidate that can be among the first, with its draw
// key.
type keyedAlternate struct {
	alternate
	key [sha256.Size]byte
}

// alternatesScratch is one goroutine's reusable memory.
type alternatesScratch struct {
	aff       []int32 // the project's affinity with each expert, by pool index
	tech, fin []alternate
	keyed     []keyedAlternate
	count     []int
	buf       []byte
}

// best returns the ids of the first n candidates by affinity, highest
// first, then draw key, lowest first. Only the candidates with an affinity
// at least the n-th highest can be among them, and only their keys are
// computed; sc.buf holds the key prefix.
func (sc *alternatesScratch) best(list []alternate, n int) []int64 {
	if n <= 0 || len(list) == 0 {
		return nil
	}
	threshold := int32(0)
	if len(list) > n {
		// The n-th highest affinity, by counting: affinities are small.
		top := int32(0)
		for _, c := range list {
			top = max(top, c.affinity)
		}
		sc.count = slices.Grow(sc.count[:0], int(top)+1)[:top+1]
		clear(sc.count)
		for _, c := range list {
			sc.count[c.affinity]++
		}
		seen := 0
		for threshold = top; threshold > 0; threshold-- {
			if seen += sc.count[threshold]; seen >= n {
				break
			}
		}
	}
	prefix := len(sc.buf)
	sc.keyed = sc.keyed[:0]
	for _, c := range list {
		if c.affinity >= threshold {
			sc.buf = strconv.AppendInt(sc.buf[:prefix], c.id, 10)
			sc.keyed = append(sc.keyed, keyedAlternate{c, sha256.Sum256(sc.buf)})
		}
	}
	sc.buf = sc.buf[:prefix]
	// The hex of a key orders as its bytes do.
	slices.SortFunc(sc.keyed, func(x, y keyedAlternate) int {
		if c := cmp.Compare(y.affinity, x.affinity); c != 0 {
			return c
		}
		return bytes.Compare(x.key[:], y.key[:])
	})
	out := make([]int64, min(n, len(sc.keyed)))
	for k := range out {
		out[k] = sc.keyed[k].id
	}
	return out
}

// poolIndex finds an expert of a pool by id. A pool's ids come from a
// table's key, so they are usually dense: then it is a slice indexed by id
// minus the smallest, else a map. An id listed twice finds its last entry.
type poolIndex struct {
	min    int64
	dense  []int32 // -1: no expert
	sparse map[int64]int32
	// dup is the first id found listed twice, if hasDup.
	dup    int64
	hasDup bool
}

func newPoolIndex(pool []Expert) poolIndex {
	var x poolIndex
	if len(pool) == 0 {
		return x
	}
	lo, hi := pool[0].ID, pool[0].ID
	for i := range pool {
		lo, hi = min(lo, pool[i].ID), max(hi, pool[i].ID)
	}
	// In uint64, hi − lo cannot overflow.
	if span := uint64(hi) - uint64(lo); span < 4*uint64(len(pool))+1024 {
		x.min = lo
		x.dense = make([]int32, span+1)
		for i := range x.dense {
			x.dense[i] = -1
		}
		for i := range pool {
			d := &x.dense[pool[i].ID-lo]
			if *d >= 0 && !x.hasDup {
				x.dup, x.hasDup = pool[i].ID, true
			}
			*d = int32(i)
		}
		return x
	}
	x.sparse = make(map[int64]int32, len(pool))
	for i := range pool {
		if _, ok := x.sparse[pool[i].ID]; ok && !x.hasDup {
			x.dup, x.hasDup = pool[i].ID, true
		}
		x.sparse[pool[i].ID] = int32(i)
	}
	return x
}

// find returns the pool index of the expert with the id.
func (x *poolIndex) find(id int64) (int32, bool) {
	if x.dense != nil {
		if d := uint64(id) - uint64(x.min); d < uint64(len(x.dense)) {
			i := x.dense[d]
			return i, i >= 0
		}
		return 0, false
	}
	i, ok := x.sparse[id]
	return i, ok
}

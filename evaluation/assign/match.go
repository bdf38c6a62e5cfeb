package assign

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// MatchInput is a whole campaign's panel-forming problem for Match. The
// caller has already applied the conflict rules, the can-be-drawn flag, the
// subject requirement and the load caps: Eligible and Capacity are the
// result, so Match itself knows nothing of conflicts.
type MatchInput struct {
	// Projects are the projects to staff, in the order of the result.
	Projects []Project
	// Experts is the pool; an expert's Type decides whether it fills
	// finance seats (FinanceExpert) or technical seats (any other type),
	// and which quotas it counts towards.
	Experts []Expert
	// Eligible lists, per project id, the experts (ids) who may review it.
	// Duplicates are ignored; ids of projects not in Projects are ignored.
	Eligible map[int64][]int64
	// Capacity is, per expert id, how many more projects of this campaign
	// the expert may take (what is left under the per-campaign and the
	// per-year caps). Zero or missing: none.
	Capacity map[int64]int
	// Seats gives, per project id, the seats to fill and the quotas. Every
	// project needs an entry.
	Seats map[int64]Seats
	// Seed drives the perturbation that chooses among equally good
	// assignments (see Match); the same seed gives the same result.
	Seed string
}

// Seats are one project's panel: Technical seats (5, 7 or 9 by the rules;
// Match accepts any count) for experts of the technical types, Finance
// seats for finance experts, and the Quotas of the technical seats.
// Quotas must be laminar: the type sets of two quotas are disjoint or one
// contains the other (as the default quotas of evaluation/README.md §2.5.1
// are), so that every expert type belongs to a chain of nested quotas. A
// quota with Min 0 is ignored.
type Seats struct {
	Technical int     `json:"technical"`
	Finance   int     `json:"finance"`
	Quotas    []Quota `json:"quotas,omitempty"`
}

// Assignment is the panel Match gives one project: expert ids in ascending
// order, the panel's total Affinity, and the soft quotas it could not meet
// (the same Shortfall as a draw reports).
type Assignment struct {
	ProjectID  int64       `json:"project_id"`
	Technical  []int64     `json:"technical"`
	Finance    []int64     `json:"finance,omitempty"`
	Affinity   int         `json:"affinity"`
	Shortfalls []Shortfall `json:"shortfalls,omitempty"`
}

// MatchResult is an optimal assignment of a campaign: one Assignment per
// project in the order of MatchInput.Projects, the seats of soft quotas it
// meets (SoftMet, the first objective) and the total Affinity (the second).
type MatchResult struct {
	Assignments []Assignment `json:"assignments"`
	SoftMet     int          `json:"soft_met"`
	Affinity    int64        `json:"affinity"`
	// Noise is the width of the tie-breaking noise that was used, 1024
	// unless the campaign is so large that exact int64 costs need less (1
	// means none); a re-run gets the same value.
	Noise int `json:"noise"`
}

// Causes of an Unmet requirement.
const (
	// CauseEligible: fewer eligible experts (with capacity left) than the
	// group or quota needs, whatever the other projects take.
	CauseEligible = "too_few_eligible"
	// CauseRules: the project's hard quotas need more technical seats than
	// the group has.
	CauseRules = "quotas_exceed_seats"
	// CauseCapacity: there are enough eligible experts, but not enough of
	// their remaining load once the other projects are staffed: the
	// capacity is shared (Competing names some of those projects).
	CauseCapacity = "capacity_shared"
)

// Unmet is one requirement Match could not meet: which project, which
// group (GroupTechnical, GroupFinance) or quota, how many seats it Needed,
// how many the best assignment Seated (for CauseCapacity), how many
// eligible experts there were (listed in Eligible, of the group's or
// quota's types, with capacity left), and why. For a quota with hard
// quotas inside it, Needed is what they need together.
type Unmet struct {
	ProjectID int64    `json:"project_id"`
	Project   string   `json:"project"` // the project's code
	Quota     string   `json:"quota"`   // a quota name, GroupTechnical or GroupFinance
	Types     []string `json:"types,omitempty"`
	Needed    int      `json:"needed"`
	Seated    int      `json:"seated"`
	Eligible  int      `json:"eligible"`
	Cause     string   `json:"cause"`
	// Seats is the size of the technical group, for CauseRules (Quota
	// then names the outermost hard quotas, joined by "+").
	Seats int `json:"seats,omitempty"`
	// Competing are up to five projects (ids, ascending) that hold the
	// remaining load of this requirement's eligible experts, for
	// CauseCapacity.
	Competing []int64 `json:"competing,omitempty"`
}

// String says what is unmet in one line, for the agency staff.
func (u Unmet) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "project %s (id %d): ", u.Project, u.ProjectID)
	switch {
	case u.Cause == CauseRules:
		fmt.Fprintf(&b, "hard quotas %s need %d technical seats, the group has %d", u.Quota, u.Needed, u.Seats)
		return b.String()
	case u.Quota == GroupTechnical:
		fmt.Fprintf(&b, "technical group needs %d experts", u.Needed)
	case u.Quota == GroupFinance:
		fmt.Fprintf(&b, "finance group needs %d %s", u.Needed, FinanceExpert)
	default:
		fmt.Fprintf(&b, "quota %q needs %d of %s", u.Quota, u.Needed, strings.Join(u.Types, "/"))
	}
	switch u.Cause {
	case CauseCapacity:
		fmt.Fprintf(&b, ", %d eligible, but only %d can be seated: their remaining load is taken by other projects", u.Eligible, u.Seated)
		if len(u.Competing) > 0 {
			ids := make([]string, len(u.Competing))
			for i, id := range u.Competing {
				ids[i] = fmt.Sprint(id)
			}
			fmt.Fprintf(&b, " (%s)", strings.Join(ids, ", "))
		}
	default:
		fmt.Fprintf(&b, ", %d eligible", u.Eligible)
	}
	return b.String()
}

// InfeasibleError says that no assignment meets the rules, and lists every
// requirement that fails: first those that fail on their own (too few
// eligible experts, quotas larger than the group); when there are none,
// those the best assignment leaves unmet because projects compete for the
// same experts' load.
type InfeasibleError struct {
	Unmet []Unmet `json:"unmet"`
}

// Error lists the first ten unmet requirements.
func (e *InfeasibleError) Error() string {
	const show = 10
	var b strings.Builder
	fmt.Fprintf(&b, "match: %d requirement(s) cannot be met: ", len(e.Unmet))
	for i, u := range e.Unmet {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e.Unmet)-show)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(u.String())
	}
	return b.String()
}

// matchNoise is the default width of the tie-breaking noise.
const matchNoise = 1024

// matchMaxSeats bounds the seats and quota minimums of one project, far
// above any real panel, so that supplies fit in int32.
const matchMaxSeats = 1 << 16

// Match assigns experts to all the projects of a campaign at once
// (evaluation/README.md §2.5.3; README.md here, "The campaign-wide
// match"), optimally:
//
//  1. every project gets exactly its technical and finance seats, from its
//     eligible experts, each expert at most once per project and on at most
//     Capacity projects; every hard quota holds. Otherwise the error is an
//     *InfeasibleError saying which project, group or quota, how many seats
//     and how many eligible experts.
//  2. Among those assignments, the most soft-quota seats are met: the sum
//     over soft quotas of min(seated of its types, Min). A soft quota left
//     short is reported in its Assignment's Shortfalls.
//  3. Among those, the total Affinity of the seated experts is the largest.
//  4. Among those, the total noise is the largest, where the noise of
//     expert e on project p is the first 8 bytes of
//     SHA-256(Seed ‖ 0x00 ‖ p ‖ e) (ids as 8-byte big-endian two's
//     complement) read as a big-endian integer, keeping its top log2(Noise)
//     bits (MatchResult.Noise). It only breaks ties, never trades affinity
//     away, and makes the choice among equally good panels depend on the
//     seed, not on the order of the input. Only when noise totals tie too
//     (rare) does the solver's deterministic pivoting decide, which can
//     depend on the order of Projects and Experts.
//
// Anyone can check a result against these rules; MatchResult gives the
// soft seats met, the affinity and the noise width needed to do so.
//
// The objectives are one integer cost: each seated expert costs
// −(affinity·K + noise), shifted to be non-negative, and each missing
// soft-quota seat costs S, with K greater than any total of noise and S
// greater than any total of affinity·K + noise. A min-cost flow minimises
// it (see mcmf.go). The network: a source supplies every seat; an arc from the
// source to each expert carries up to its capacity; an arc of capacity 1
// joins an expert to a project, into the innermost quota of the project
// that contains its type (or the technical group if none, or the finance
// group for a finance expert), so that an expert takes at most one seat of
// a project; each quota node drains into the node of the quota containing
// it (or into the technical group) with a lower bound of Min, written as a
// demand of Min at the quota and a supply of Min at its parent, and a soft
// quota also gets a reverse arc of capacity Min whose flow, at the cost of
// one soft bonus per unit, is its shortfall; the technical and finance
// groups demand their seats. The flow meets every demand exactly when the
// rules can be met.
func Match(ctx context.Context, in MatchInput) (*MatchResult, error) {
	pr, err := prepareMatch(in)
	if err != nil {
		return nil, err
	}
	if len(pr.unmet) > 0 {
		return nil, &InfeasibleError{Unmet: pr.unmet}
	}
	net, err := pr.network(in.Seed)
	if err != nil {
		return nil, err
	}
	sol, err := net.solve(ctx)
	if err != nil {
		return nil, fmt.Errorf("match: %w", err)
	}
	return pr.result(sol)
}

// matchExpert is an expert of the pool as Match sees it.
type matchExpert struct {
	e        *Expert
	capacity int   // clamped to the projects it is eligible for
	finance  bool  // fills finance seats
	node     int32 // in the flow network, -1 if none
	keys     affinityKeys
}

// matchQuota is one quota of one project, in the project's quota tree.
type matchQuota struct {
	q        Quota
	types    []string // distinct technical types
	parent   int      // index of the innermost quota containing it, -1: the technical group
	eligible int      // eligible experts of its types
	need     int      // seats its hard quotas need, itself and those inside it
	node     int32
}

// matchProject is one project as Match sees it.
type matchProject struct {
	p         *Project
	seats     Seats
	quotas    []matchQuota // outer before inner
	tech, fin []int32      // eligible experts (indexes), ascending by id
	tnode     int32        // technical group node
	fnode     int32        // finance group node, -1 if no finance seat
	arcs      int32        // first expert arc; tech then fin arcs follow
	keys      affinityKeys
}

// leaf returns the innermost quota containing the type, or -1.
func (mp *matchProject) leaf(typ string) int {
	l := -1
	for i := range mp.quotas {
		if slices.Contains(mp.quotas[i].types, typ) {
			l = i // quotas are ordered outer before inner
		}
	}
	return l
}

type matchPrep struct {
	experts  []matchExpert
	projects []matchProject
	seats    int64 // all seats of the campaign
	soft     bool  // some soft quota
	unmet    []Unmet
	net      *flowNet
	source   int32
	aff      []int32 // affinity per arc (0 on arcs of no expert)
	noise    int
	// types are the experts' types, numbered by typeOf (per expert), so
	// that a project finds a type's quota once, not once per expert.
	types  []string
	typeOf []int32
	ix     *affinityIndex // the experts' and projects' keys, interned
}

// leaves returns, in buf, the project's innermost quota (see leaf) for
// each of pr.types.
func (pr *matchPrep) leaves(mp *matchProject, buf []int) []int {
	buf = buf[:0]
	for _, t := range pr.types {
		buf = append(buf, mp.leaf(t))
	}
	return buf
}

// prepareMatch validates the input, builds the quota trees and runs the
// per-project pre-check.
func prepareMatch(in MatchInput) (*matchPrep, error) {
	pr := &matchPrep{experts: make([]matchExpert, len(in.Experts))}
	byID := newPoolIndex(in.Experts)
	if byID.hasDup {
		return nil, fmt.Errorf("match: expert %d twice in the pool", byID.dup)
	}
	ix := newAffinityIndex()
	pr.ix = ix
	capacity := make([]int, len(in.Experts)) // in.Capacity, by pool index
	pr.typeOf = make([]int32, len(in.Experts))
	for i := range in.Experts {
		e := &in.Experts[i]
		pr.experts[i] = matchExpert{e: e, finance: e.Type == FinanceExpert, node: -1, keys: ix.expert(e)}
		capacity[i] = in.Capacity[e.ID]
		t := slices.Index(pr.types, e.Type)
		if t < 0 {
			t = len(pr.types)
			pr.types = append(pr.types, e.Type)
		}
		pr.typeOf[i] = int32(t)
	}
	pr.projects = make([]matchProject, len(in.Projects))
	// First the checks of each project's seats and quotas, in order, up
	// to the first that fails.
	seen := make(map[int64]bool, len(in.Projects))
	var failed error
	checked := len(in.Projects)
	for pi := range in.Projects {
		p := &in.Projects[pi]
		s, ok := in.Seats[p.ID]
		switch {
		case seen[p.ID]:
			failed = fmt.Errorf("match: project %d twice", p.ID)
		case !ok:
			failed = fmt.Errorf("match: project %s (id %d) has no seats", p.Code, p.ID)
		case s.Technical < 0 || s.Finance < 0 || s.Technical > matchMaxSeats || s.Finance > matchMaxSeats:
			failed = fmt.Errorf("match: project %s (id %d): %d technical and %d finance seats", p.Code, p.ID, s.Technical, s.Finance)
		}
		if failed == nil {
			seen[p.ID] = true
			mp := &pr.projects[pi]
			mp.p, mp.seats, mp.fnode = p, s, -1
			mp.keys = ix.project(p)
			failed = mp.buildQuotas()
		}
		if failed != nil {
			checked = pi
			break
		}
	}
	// Then each project's eligible experts, ascending by id, on
	// GOMAXPROCS goroutines: a large campaign has millions of pairs.
	missing := make([]int64, checked) // an eligible id not in the pool, if hasMissing
	hasMissing := make([]bool, checked)
	inParallel(checked, func() func(int) {
		var ids []int64
		var leaves []int
		return func(pi int) {
			mp := &pr.projects[pi]
			s := mp.seats
			ids = append(ids[:0], in.Eligible[mp.p.ID]...)
			slices.Sort(ids)
			ids = slices.Compact(ids)
			for _, id := range ids {
				ei, ok := byID.find(id)
				if !ok {
					missing[pi], hasMissing[pi] = id, true
					return
				}
				if capacity[ei] <= 0 {
					continue
				}
				switch {
				case pr.experts[ei].finance && s.Finance > 0:
					mp.fin = append(mp.fin, ei)
				case !pr.experts[ei].finance && s.Technical > 0:
					mp.tech = append(mp.tech, ei)
				}
			}
			// The eligible experts of each quota's types, for precheck.
			leaves = pr.leaves(mp, leaves)
			for _, ei := range mp.tech {
				for q := leaves[pr.typeOf[ei]]; q >= 0; q = mp.quotas[q].parent {
					mp.quotas[q].eligible++
				}
			}
		}
	})
	// Then, in order, the errors as a loop over the projects meets them,
	// and the pre-check.
	uses := make([]int32, len(in.Experts)) // projects each expert may take a seat of
	for pi := range checked {
		mp := &pr.projects[pi]
		if hasMissing[pi] {
			return nil, fmt.Errorf("match: project %s (id %d): eligible expert %d is not in the pool", mp.p.Code, mp.p.ID, missing[pi])
		}
		pr.seats += int64(mp.seats.Technical + mp.seats.Finance)
		for _, list := range [][]int32{mp.tech, mp.fin} {
			for _, ei := range list {
				uses[ei]++
			}
		}
		pr.precheck(mp)
	}
	if failed != nil {
		return nil, failed
	}
	if pr.seats >= 1<<30 {
		return nil, fmt.Errorf("match: %d seats, too many", pr.seats)
	}
	for i := range pr.experts {
		pr.experts[i].capacity = min(capacity[i], int(uses[i]))
	}
	return pr, nil
}

// buildQuotas orders the project's quotas outer before inner and links
// each to the innermost quota containing it.
func (mp *matchProject) buildQuotas() error {
	for _, q := range mp.seats.Quotas {
		if q.Min < 0 || q.Min > matchMaxSeats {
			return fmt.Errorf("match: project %s (id %d): quota %q has a minimum of %d", mp.p.Code, mp.p.ID, q.Name, q.Min)
		}
		if q.Min == 0 {
			continue
		}
		var types []string
		for _, t := range q.Types {
			if t != FinanceExpert && !slices.Contains(types, t) {
				types = append(types, t)
			}
		}
		slices.Sort(types)
		mp.quotas = append(mp.quotas, matchQuota{q: q, types: types, parent: -1})
	}
	// Stable: of two quotas with the same types, the first listed is outer.
	slices.SortStableFunc(mp.quotas, func(a, b matchQuota) int { return cmp.Compare(len(b.types), len(a.types)) })
	for i := range mp.quotas {
		qi := &mp.quotas[i]
		for j := 0; j < i; j++ {
			qj := &mp.quotas[j]
			common := 0
			for _, t := range qi.types {
				if slices.Contains(qj.types, t) {
					common++
				}
			}
			switch common {
			case 0:
			case len(qi.types):
				qi.parent = j // the last container is the innermost
			default:
				return fmt.Errorf("match: project %s (id %d): quotas %q and %q overlap without one containing the other", mp.p.Code, mp.p.ID, qj.q.Name, qi.q.Name)
			}
		}
	}
	return nil
}

// precheck records what the project cannot have whatever the other
// projects take: too few eligible experts for a group or a quota, or hard
// quotas that need more seats than the technical group has. For a laminar
// family these checks are also sufficient for the project alone.
func (pr *matchPrep) precheck(mp *matchProject) {
	p, s := mp.p, mp.seats
	if len(mp.tech) < s.Technical {
		pr.unmet = append(pr.unmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: GroupTechnical,
			Needed: s.Technical, Eligible: len(mp.tech), Cause: CauseEligible})
	}
	if len(mp.fin) < s.Finance {
		pr.unmet = append(pr.unmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: GroupFinance,
			Types: []string{FinanceExpert}, Needed: s.Finance, Eligible: len(mp.fin), Cause: CauseEligible})
	}
	// Inner quotas come last: walk backwards to add up the needs.
	inner := make([]int, len(mp.quotas))     // seats the quotas inside each one need
	reported := make([]bool, len(mp.quotas)) // a quota inside was reported
	rootNeed := 0
	for i := len(mp.quotas) - 1; i >= 0; i-- {
		q := &mp.quotas[i]
		q.need = inner[i]
		if !q.q.Soft {
			q.need = max(q.need, q.q.Min)
		}
		if q.need > q.eligible && !reported[i] {
			pr.unmet = append(pr.unmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: q.q.Name,
				Types: q.types, Needed: q.need, Eligible: q.eligible, Cause: CauseEligible})
			reported[i] = true
		}
		if q.parent >= 0 {
			inner[q.parent] += q.need
			reported[q.parent] = reported[q.parent] || reported[i]
		} else {
			rootNeed += q.need
		}
	}
	if rootNeed > s.Technical {
		var names []string
		for _, q := range mp.quotas {
			if q.parent < 0 && q.need > 0 {
				names = append(names, q.q.Name)
			}
		}
		pr.unmet = append(pr.unmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: strings.Join(names, "+"),
			Needed: rootNeed, Eligible: len(mp.tech), Cause: CauseRules, Seats: s.Technical})
	}
}

// mulInt64 returns a·b for non-negative a and b, and whether it fits.
func mulInt64(a, b int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi != 0 || lo > 1<<62 {
		return 0, false
	}
	return int64(lo), true
}

// matchWeights are the cost scales of Match's objectives.
type matchWeights struct {
	noise int   // noise values are 0 … noise-1
	k     int64 // one unit of affinity
	w     int64 // the largest affinity·k + noise; an arc costs w − that
	soft  int64 // one soft-quota seat
}

// weights picks the largest noise width (a power of two, at most
// matchNoise) for which every cost and potential stays exact in int64.
func (pr *matchPrep) weights(maxAff int64, nodes int) (matchWeights, error) {
	for noise := int64(matchNoise); noise >= 1; noise /= 2 {
		k, ok1 := mulInt64(noise-1, pr.seats)
		k++
		w, ok2 := mulInt64(maxAff, k)
		w += noise - 1
		soft, ok3 := mulInt64(w, pr.seats)
		soft++
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		top := w
		if pr.soft {
			top = soft
		}
		if _, ok := flowArtificialCost(nodes, top); ok {
			return matchWeights{noise: int(noise), k: k, w: w, soft: soft}, nil
		}
	}
	return matchWeights{}, errors.New("match: the campaign is too large for exact costs")
}

// matchNoiser computes the noise of Match for one seed: the top bits of
// SHA-256(seed ‖ 0x00 ‖ p ‖ e). The seeds evaluation makes are 64
// characters, a whole SHA-256 block, so the hash's state after the blocks
// the seed fills is kept and restored for each pair, which halves the
// hashing. Not safe for concurrent use.
type matchNoiser struct {
	width int
	buf   []byte // seed ‖ 0x00 ‖ p ‖ e, without the blocks kept in state
	at    int    // where p goes in buf
	h     hash.Hash
	state []byte // h's state after the kept blocks; nil: none kept
	sum   []byte
}

func newMatchNoiser(seed string, width int) *matchNoiser {
	n := &matchNoiser{width: width}
	prefix := append([]byte(seed), 0)
	if full := len(prefix) / sha256.BlockSize * sha256.BlockSize; full > 0 {
		h := sha256.New()
		h.Write(prefix[:full])
		if state, err := h.(encoding.BinaryMarshaler).MarshalBinary(); err == nil {
			n.h, n.state, prefix = h, state, prefix[full:]
		}
	}
	n.at = len(prefix)
	n.buf = append(prefix, make([]byte, 16)...)
	return n
}

// value is the noise of expert e on project p.
func (n *matchNoiser) value(p, e int64) int64 {
	if n.width <= 1 {
		return 0
	}
	binary.BigEndian.PutUint64(n.buf[n.at:], uint64(p))
	binary.BigEndian.PutUint64(n.buf[n.at+8:], uint64(e))
	var top uint64
	if n.state != nil {
		// The state is the one MarshalBinary gave: it always reads back.
		_ = n.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(n.state)
		n.h.Write(n.buf)
		n.sum = n.h.Sum(n.sum[:0])
		top = binary.BigEndian.Uint64(n.sum[:8])
	} else {
		sum := sha256.Sum256(n.buf)
		top = binary.BigEndian.Uint64(sum[:8])
	}
	return int64(top >> (64 - bits.TrailingZeros(uint(n.width))))
}

// network builds the min-cost flow network described at Match. The nodes
// are the source, the experts with capacity, then per project its groups
// and quotas; the arcs are those from the source to the experts, then per
// project the quota arcs and the expert arcs (technical, then finance).
// Where noise totals tie, the solver's pivots depend on that order, so it
// stays as it was (TestMatchUnchanged). The expert arcs, millions in a
// large campaign, are filled in on GOMAXPROCS goroutines, with the bound
// of their cost; the solver subtracts the noise where it needs it.
func (pr *matchPrep) network(seed string) (*flowNet, error) {
	nodes, arcs := 1, 0
	for i := range pr.experts {
		if pr.experts[i].capacity > 0 {
			nodes++
			arcs++
		}
	}
	for pi := range pr.projects {
		mp := &pr.projects[pi]
		nodes += 1 + len(mp.quotas)
		if mp.seats.Finance > 0 {
			nodes++
		}
		for _, q := range mp.quotas {
			if mp.seats.Technical-q.q.Min > 0 {
				arcs++
			}
			if q.q.Soft {
				arcs++
				pr.soft = true
			}
		}
		if arcs+len(mp.tech)+len(mp.fin) >= math.MaxInt32-nodes {
			return nil, errors.New("match: too many eligible pairs")
		}
		mp.arcs = int32(arcs)
		arcs += len(mp.tech) + len(mp.fin)
	}

	// The affinity of every expert arc, for the weights and the result.
	pr.aff = make([]int32, arcs)
	keys := make([]affinityKeys, len(pr.experts))
	for i := range pr.experts {
		keys[i] = pr.experts[i].keys
	}
	lists := newAffinityLists(pr.ix, keys)
	inParallel(len(pr.projects), func() func(int) {
		aff := make([]int32, len(pr.experts)) // one project's, by pool index
		return func(pi int) {
			mp := &pr.projects[pi]
			lists.add(&mp.keys, aff, 1)
			a := mp.arcs
			for _, list := range [][]int32{mp.tech, mp.fin} {
				for _, ei := range list {
					pr.aff[a] = aff[ei]
					a++
				}
			}
			lists.add(&mp.keys, aff, -1)
		}
	})
	var maxAff int64
	for _, a := range pr.aff {
		maxAff = max(maxAff, int64(a))
	}
	wt, err := pr.weights(maxAff, nodes)
	if err != nil {
		return nil, err
	}
	pr.noise = wt.noise

	// The solver adds an artificial arc per node after the network's.
	g := &flowNet{
		strict: make([]bool, 0, nodes),
		supply: make([]int32, 0, nodes),
		src:    make([]int32, arcs, arcs+nodes),
		dst:    make([]int32, arcs, arcs+nodes),
		capa:   make([]int32, arcs, arcs+nodes),
		cost:   make([]int64, arcs, arcs+nodes),
	}
	at := int32(0)
	set := func(u, v, capacity int32, cost int64) {
		g.src[at], g.dst[at], g.capa[at], g.cost[at] = u, v, capacity, cost
		at++
	}
	pr.source = g.addNode(int32(pr.seats), false)
	for i := range pr.experts {
		me := &pr.experts[i]
		if me.capacity > 0 {
			me.node = g.addNode(0, true)
			set(pr.source, me.node, int32(me.capacity), 0)
		}
	}
	for pi := range pr.projects {
		mp := &pr.projects[pi]
		s := mp.seats
		mp.tnode = g.addNode(-int32(s.Technical), true)
		if s.Finance > 0 {
			mp.fnode = g.addNode(-int32(s.Finance), true)
		}
		for qi := range mp.quotas {
			mp.quotas[qi].node = g.addNode(0, true)
		}
		for qi := range mp.quotas {
			q := &mp.quotas[qi]
			parent := mp.tnode
			if q.parent >= 0 {
				parent = mp.quotas[q.parent].node
			}
			// The lower bound of Min on q → parent.
			g.supply[q.node] -= int32(q.q.Min)
			g.supply[parent] += int32(q.q.Min)
			if c := s.Technical - q.q.Min; c > 0 {
				set(q.node, parent, int32(c), 0)
			}
			if q.q.Soft {
				set(parent, q.node, int32(q.q.Min), wt.soft)
			}
		}
		at = mp.arcs + int32(len(mp.tech)+len(mp.fin))
	}
	// What the loop over millions of arcs reads of an expert, side by side.
	nodeOf := make([]int32, len(pr.experts))
	for i := range pr.experts {
		nodeOf[i] = pr.experts[i].node
	}
	inParallel(len(pr.projects), func() func(int) {
		var leaves []int
		to := make([]int32, len(pr.types)) // the project's node an expert of each type feeds
		return func(pi int) {
			mp := &pr.projects[pi]
			leaves = pr.leaves(mp, leaves)
			for t, typ := range pr.types {
				switch {
				case typ == FinanceExpert:
					to[t] = mp.fnode
				case leaves[t] >= 0:
					to[t] = mp.quotas[leaves[t]].node
				default:
					to[t] = mp.tnode
				}
			}
			a := mp.arcs
			for _, list := range [][]int32{mp.tech, mp.fin} {
				for _, ei := range list {
					// The noise is subtracted when the solver needs it.
					g.src[a], g.dst[a], g.capa[a], g.cost[a] = nodeOf[ei], to[pr.typeOf[ei]], 1, wt.w-int64(pr.aff[a])*wt.k
					a++
				}
			}
		}
	})
	// The noise of an expert arc is a SHA-256, and a large campaign has
	// millions of arcs, of which the solver needs the cost of a small
	// share (flowLazy): those get it.
	if wt.noise > 1 {
		projectOf := make([]int64, nodes) // the project id of a group or quota node
		expertOf := make([]int64, nodes)  // the expert id of an expert node
		for pi := range pr.projects {
			mp := &pr.projects[pi]
			projectOf[mp.tnode] = mp.p.ID
			if mp.fnode >= 0 {
				projectOf[mp.fnode] = mp.p.ID
			}
			for _, q := range mp.quotas {
				projectOf[q.node] = mp.p.ID
			}
		}
		for i := range pr.experts {
			if me := &pr.experts[i]; me.node >= 0 {
				expertOf[me.node] = me.e.ID
			}
		}
		noise := newMatchNoiser(seed, wt.noise)
		lazy := &flowLazy{max: int64(wt.noise - 1), pending: make([]uint64, (arcs+63)/64),
			part: func(e int32) int64 { return noise.value(projectOf[g.dst[e]], expertOf[g.src[e]]) }}
		for pi := range pr.projects {
			mp := &pr.projects[pi]
			for a := mp.arcs; a < mp.arcs+int32(len(mp.tech)+len(mp.fin)); a++ {
				lazy.pend(a)
			}
		}
		g.lazy = lazy
	}
	pr.net = g
	return g, nil
}

// result reads the assignment off the flow, or explains what is missing.
func (pr *matchPrep) result(sol *flowSolution) (*MatchResult, error) {
	res := &MatchResult{Assignments: make([]Assignment, len(pr.projects)), Noise: pr.noise}
	load := make([]int, len(pr.experts))
	var seatedOn [][]int32 // per expert, the projects (indexes) it sits on; only built when infeasible
	var deficit bool
	for u, x := range sol.unmet {
		if pr.net.supply[u] < 0 && x > 0 {
			deficit = true
			break
		}
	}
	if deficit {
		seatedOn = make([][]int32, len(pr.experts))
	}
	type count struct{ tech, fin int }
	counts := make([]count, len(pr.projects))
	quotaSeated := make([][]int, len(pr.projects))
	for pi := range pr.projects {
		mp := &pr.projects[pi]
		as := &res.Assignments[pi]
		as.ProjectID = mp.p.ID
		as.Technical = []int64{}
		quotaSeated[pi] = make([]int, len(mp.quotas))
		a := mp.arcs
		for _, list := range [][]int32{mp.tech, mp.fin} {
			for _, ei := range list {
				if sol.flow[a] > 0 {
					me := &pr.experts[ei]
					load[ei]++
					if seatedOn != nil {
						seatedOn[ei] = append(seatedOn[ei], int32(pi))
					}
					as.Affinity += int(pr.aff[a])
					if me.finance {
						as.Finance = append(as.Finance, me.e.ID)
						counts[pi].fin++
					} else {
						as.Technical = append(as.Technical, me.e.ID)
						counts[pi].tech++
						for q := mp.leaf(me.e.Type); q >= 0; q = mp.quotas[q].parent {
							quotaSeated[pi][q]++
						}
					}
				}
				a++
			}
		}
		res.Affinity += int64(as.Affinity)
	}
	for i, me := range pr.experts {
		if load[i] > me.capacity {
			return nil, fmt.Errorf("match: internal error: expert %d over capacity", me.e.ID)
		}
	}

	var unmet []Unmet
	for pi := range pr.projects {
		mp := &pr.projects[pi]
		p, s := mp.p, mp.seats
		as := &res.Assignments[pi]
		// Who else holds the load of these experts, for the explanation.
		competing := func(experts []int32, want func(*matchExpert) bool) []int64 {
			var out []int64
			for _, ei := range experts {
				me := &pr.experts[ei]
				if !want(me) || load[ei] < me.capacity {
					continue
				}
				for _, pj := range seatedOn[ei] {
					if int(pj) != pi {
						out = append(out, pr.projects[pj].p.ID)
					}
				}
			}
			slices.Sort(out)
			out = slices.Compact(out)
			return out[:min(len(out), 5)]
		}
		all := func(*matchExpert) bool { return true }
		if counts[pi].tech > s.Technical || counts[pi].fin > s.Finance || (!deficit && (counts[pi].tech < s.Technical || counts[pi].fin < s.Finance)) {
			return nil, fmt.Errorf("match: internal error: project %d has %d technical and %d finance experts", p.ID, counts[pi].tech, counts[pi].fin)
		}
		// A hard quota is reported when it misses more seats than the
		// quotas inside it do, and the technical group when it misses more
		// than its outermost quotas: one missing investor is one line, not
		// also a missing technical seat.
		short := make([]int, len(mp.quotas))
		inner := make([]int, len(mp.quotas))
		top := 0
		var quotaUnmet []Unmet
		for qi := len(mp.quotas) - 1; qi >= 0; qi-- {
			q := &mp.quotas[qi]
			got := quotaSeated[pi][qi]
			if q.q.Soft {
				res.SoftMet += min(got, q.q.Min)
				if got < q.q.Min {
					as.Shortfalls = append(as.Shortfalls, Shortfall{Quota: q.q.Name, Needed: q.q.Min, Seated: got, Eligible: q.eligible})
				}
			}
			short[qi] = max(0, q.need-got)
			if short[qi] > inner[qi] {
				if !deficit {
					return nil, fmt.Errorf("match: internal error: project %d: quota %q not met", p.ID, q.q.Name)
				}
				inQuota := func(me *matchExpert) bool { return slices.Contains(q.types, me.e.Type) }
				quotaUnmet = append(quotaUnmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: q.q.Name, Types: q.types,
					Needed: q.need, Seated: got, Eligible: q.eligible, Cause: CauseCapacity, Competing: competing(mp.tech, inQuota)})
			}
			if q.parent >= 0 {
				inner[q.parent] += short[qi]
			} else {
				top += short[qi]
			}
		}
		slices.Reverse(as.Shortfalls)
		slices.Reverse(quotaUnmet)
		if s.Technical-counts[pi].tech > top {
			unmet = append(unmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: GroupTechnical, Needed: s.Technical,
				Seated: counts[pi].tech, Eligible: len(mp.tech), Cause: CauseCapacity, Competing: competing(mp.tech, all)})
		}
		if counts[pi].fin < s.Finance {
			unmet = append(unmet, Unmet{ProjectID: p.ID, Project: p.Code, Quota: GroupFinance, Types: []string{FinanceExpert},
				Needed: s.Finance, Seated: counts[pi].fin, Eligible: len(mp.fin), Cause: CauseCapacity, Competing: competing(mp.fin, all)})
		}
		unmet = append(unmet, quotaUnmet...)
		slices.Sort(as.Technical)
		slices.Sort(as.Finance)
	}
	if deficit {
		if len(unmet) == 0 {
			return nil, errors.New("match: internal error: unmet demand without an unmet requirement")
		}
		return nil, &InfeasibleError{Unmet: unmet}
	}
	return res, nil
}

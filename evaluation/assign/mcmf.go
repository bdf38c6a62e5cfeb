package assign

import (
	"context"
	"errors"
	"math"
)

// This file is the min-cost flow solver behind Match: a primal network
// simplex (Dantzig's method for networks, as in Ahuja, Magnanti and Orlin,
// "Network Flows", ch. 11), with a strongly feasible spanning tree so that
// degenerate pivots cannot cycle, big-M artificial arcs to start from, and
// first-eligible pricing (nsBlock). It was chosen over the alternatives the
// costs rule out: the seeded noise makes nearly every path cost distinct,
// so a primal-dual method would run one Dijkstra phase per augmentation,
// and cost scaling multiplies costs that are already large lexicographic
// integers (soft quota ≫ affinity ≫ noise) by the node count. The simplex's
// pivots do not depend on the cost range, and its potentials stay within
// two artificial costs of zero (a tree path from the root has one
// artificial arc), so with flowCostLimit int64 arithmetic is exact.

// flowNet is a min-cost flow problem with node supplies: supply > 0 is
// flow a node must send, supply < 0 flow it must receive. Arcs have lower
// bound 0, a capacity and a cost. Build it with addNode and addArc, then
// call solve.
//
// When not all supplies can be met, the solution leaves some demand unmet
// and some supply unsent. A node marked strict may not leave its supply
// unsent (nor absorb flow it does not demand) unless nothing else works:
// each unit costs as much as a unit of unmet demand. Match marks every
// node but the source strict, so that a shortage shows only as unmet
// demand and the lower bounds written as supplies still hold.
type flowNet struct {
	strict []bool
	supply []int32
	src    []int32
	dst    []int32
	capa   []int32
	cost   []int64
	// lazy, if set, leaves part of some arcs' costs to be computed when
	// the solver needs it.
	lazy *flowLazy
}

// flowLazy defers part of the cost of the pending arcs: the cost of a
// pending arc e is cost[e] − part(e), with part(e) in [0, max], and until
// the solver calls part(e) cost[e] holds that upper bound. The solver calls
// it only when the bound cannot tell whether the arc prices out (its
// reduced cost at the bound is below max), which includes every arc that
// enters the tree, and when the bound could be the largest cost; so every
// comparison it makes, and hence every pivot, is the one it would make
// with all costs known. part(e) must not exceed the bound. Match defers
// the seeded noise, a SHA-256 per arc, of which the solver needs a small
// share.
type flowLazy struct {
	max     int64
	pending []uint64 // bit set over the arcs
	part    func(e int32) int64
}

// pend marks arc e pending.
func (l *flowLazy) pend(e int32) { l.pending[e>>6] |= 1 << (e & 63) }

// resolve subtracts arc e's deferred part from cost, if it is pending.
func (l *flowLazy) resolve(e int32, cost []int64) {
	if w, b := e>>6, uint64(1)<<(e&63); int(w) < len(l.pending) && l.pending[w]&b != 0 {
		l.pending[w] &^= b
		cost[e] -= l.part(e)
	}
}

// addNode adds a node with the supply and returns its index.
func (g *flowNet) addNode(supply int32, strict bool) int32 {
	g.supply = append(g.supply, supply)
	g.strict = append(g.strict, strict)
	return int32(len(g.supply) - 1)
}

// addArc adds an arc from u to v and returns its index.
func (g *flowNet) addArc(u, v, capacity int32, cost int64) int32 {
	g.src = append(g.src, u)
	g.dst = append(g.dst, v)
	g.capa = append(g.capa, capacity)
	g.cost = append(g.cost, cost)
	return int32(len(g.src) - 1)
}

// flowSolution is the outcome of solve: the flow on every arc, and for
// every node the part of its supply or demand that no real arc could carry
// (zero everywhere when the supplies can all be met).
type flowSolution struct {
	flow  []int32
	unmet []int32
}

// Simplex arc states: a non-tree arc sits at its lower bound (zero flow)
// or at its capacity; an arc of the spanning tree may hold any flow.
const (
	nsUpper int8 = -1
	nsTree  int8 = 0
	nsLower int8 = 1
)

// nsBlock is the block size of the pricing. LEMON's default, √arcs, is
// the usual advice; on Match's networks (BenchmarkMatch, with loose and
// with tight capacities) scanning dominated and taking the first eligible
// arc, a block of 1, was fastest: 0.4–0.5 s against 3.5 s for √arcs,
// with fewer pivots as well.
const nsBlock = 1

// nsInf is the capacity of the artificial arcs.
const nsInf = math.MaxInt32

// errFlowCostRange is returned when the costs are so large that the
// simplex potentials might overflow int64.
var errFlowCostRange = errors.New("min-cost flow: costs too large for exact int64 arithmetic")

// flowCostLimit bounds the artificial cost, so that potentials (within
// about two artificial costs of zero) and reduced costs (a cost plus two
// potentials) stay far from the int64 limits.
const flowCostLimit = int64(1) << 60

// flowArtificialCost returns the cost of an artificial arc for a network
// with n nodes whose arc costs lie in [0, maxCost]: more than any simple
// path of real arcs, so the simplex first minimises the flow it cannot
// route, then the cost. ok is false when that cost would exceed
// flowCostLimit.
func flowArtificialCost(n int, maxCost int64) (art int64, ok bool) {
	if maxCost < 0 {
		return 0, false
	}
	if maxCost == 0 {
		return 1, true
	}
	if int64(n+1) > flowCostLimit/(maxCost+1) {
		return 0, false
	}
	return (maxCost + 1) * int64(n+1), true
}

// solve computes a flow that leaves the least possible supply unmet and,
// among those, has the least cost. Costs must be non-negative. ctx is
// checked every few thousand pivots.
func (g *flowNet) solve(ctx context.Context) (*flowSolution, error) {
	n := len(g.supply)
	m := len(g.src)
	var maxCost int64
	for e, c := range g.cost {
		if c < 0 {
			return nil, errors.New("min-cost flow: negative arc cost")
		}
		if c > maxCost && g.lazy != nil {
			// A pending arc's bound could be the largest cost: its
			// cost is needed.
			g.lazy.resolve(int32(e), g.cost)
			c = g.cost[e]
		}
		maxCost = max(maxCost, c)
	}
	art, ok := flowArtificialCost(n, maxCost)
	if !ok {
		return nil, errFlowCostRange
	}
	var total int64
	for _, s := range g.supply {
		total += int64(s)
	}
	if total != 0 {
		return nil, errors.New("min-cost flow: supplies do not sum to zero")
	}
	s := newNetSimplex(g, art)
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	sol := &flowSolution{flow: s.flow[:m:m], unmet: make([]int32, n)}
	for u := 0; u < n; u++ {
		sol.unmet[u] = s.flow[m+u]
	}
	return sol, nil
}

// netSimplex is the working state of the network simplex. Arcs 0…m-1 are
// the network's; arc m+u is node u's artificial arc to or from the root
// (node n). The spanning tree is kept as parent pointers with depths and
// doubly linked child lists; a pivot re-hangs one subtree and recomputes
// its depths and potentials, which costs as much as LEMON's thread-index
// update (both walk the moved subtree) with simpler bookkeeping.
type netSimplex struct {
	n, m int
	root int32
	src  []int32
	dst  []int32
	capa []int32
	cost []int64
	flow []int32
	st   []int8

	parent []int32
	pred   []int32 // the tree arc between a node and its parent
	up     []bool  // whether pred points from the node to its parent
	depth  []int32
	pi     []int64
	child  []int32 // first child
	next   []int32 // next sibling
	prev   []int32 // previous sibling

	nArcs int // arcs the pricing scans: all of them
	lazy  *flowLazy
	// lazyMax is lazy.max, or the least int64 without lazy: a reduced
	// cost at the bound below it needs the arc's cost.
	lazyMax int64
	block   int
	nextArc int
	stack   []int32
}

func newNetSimplex(g *flowNet, art int64) *netSimplex {
	n, m := len(g.supply), len(g.src)
	all := m + n
	s := &netSimplex{
		n: n, m: m, root: int32(n),
		src:    withArtificial(g.src, all),
		dst:    withArtificial(g.dst, all),
		capa:   withArtificial(g.capa, all),
		cost:   withArtificial(g.cost, all),
		flow:   make([]int32, all),
		st:     make([]int8, all),
		parent: make([]int32, n+1),
		pred:   make([]int32, n+1),
		up:     make([]bool, n+1),
		depth:  make([]int32, n+1),
		pi:     make([]int64, n+1),
		child:  make([]int32, n+1),
		next:   make([]int32, n+1),
		prev:   make([]int32, n+1),
	}
	for e := 0; e < m; e++ {
		s.st[e] = nsLower
	}
	// Pricing scans the artificial arcs too: when some supply cannot be
	// met, which supply stays unused must itself be optimised, or the cost
	// of the rest would not be the least.
	s.nArcs = all
	// The initial tree hangs every node from the root by its artificial
	// arc: a supplying node sends its supply up, at cost 0 or, if strict,
	// at the artificial cost; a demanding node receives its demand down at
	// the artificial cost. Every zero-flow arc points up, so the tree is
	// strongly feasible.
	root := s.root
	s.parent[root], s.pred[root], s.depth[root], s.pi[root] = -1, -1, 0, 0
	s.next[root], s.prev[root] = -1, -1
	s.child[root] = -1
	for u := int32(0); u < int32(n); u++ {
		e := int32(m) + u
		s.capa[e] = nsInf
		s.st[e] = nsTree
		if g.supply[u] >= 0 {
			c := int64(0)
			if g.strict[u] {
				c = art
			}
			s.src[e], s.dst[e], s.flow[e], s.cost[e] = u, root, g.supply[u], c
			s.up[u] = true
			s.pi[u] = -c
		} else {
			s.src[e], s.dst[e], s.flow[e], s.cost[e] = root, u, -g.supply[u], art
			s.up[u] = false
			s.pi[u] = art
		}
		s.parent[u], s.pred[u], s.depth[u] = root, e, 1
		s.child[u] = -1
		s.linkChild(root, u)
	}
	s.block = nsBlock
	s.lazy, s.lazyMax = g.lazy, math.MinInt64
	if g.lazy != nil {
		s.lazyMax = g.lazy.max
	}
	return s
}

// withArtificial returns the arc attribute a extended to all arcs, the
// artificial ones after the network's: a itself when it has the room (a
// network of millions of arcs is not copied; the solver writes only the
// artificial arcs' part), else a copy.
func withArtificial[T int32 | int64](a []T, all int) []T {
	if cap(a) >= all {
		return a[:all]
	}
	out := make([]T, all)
	copy(out, a)
	return out
}

func (s *netSimplex) linkChild(p, u int32) {
	first := s.child[p]
	s.next[u], s.prev[u] = first, -1
	if first >= 0 {
		s.prev[first] = u
	}
	s.child[p] = u
}

func (s *netSimplex) unlinkChild(p, u int32) {
	if s.prev[u] >= 0 {
		s.next[s.prev[u]] = s.next[u]
	} else {
		s.child[p] = s.next[u]
	}
	if s.next[u] >= 0 {
		s.prev[s.next[u]] = s.prev[u]
	}
	s.next[u], s.prev[u] = -1, -1
}

// entering finds an arc that violates optimality by block search: scan
// blocks of arcs cyclically from where the last search stopped and take
// the worst violation of the first block that has one (with nsBlock = 1,
// the first violating arc). It returns -1 when the tree is optimal.
func (s *netSimplex) entering() int32 {
	if s.block == 1 {
		return s.enteringFirst()
	}
	best, bestArc := int64(0), int32(-1)
	cnt := s.block
	m := s.nArcs
	e := s.nextArc
	for i := 0; i < m; i++ {
		if st := s.st[e]; st != nsTree {
			c := int64(st) * (s.cost[e] + s.pi[s.src[e]] - s.pi[s.dst[e]])
			if c < s.lazyMax {
				// Pending (at its lower bound, never having entered
				// the tree) and maybe violating: its cost decides.
				s.lazy.resolve(int32(e), s.cost)
				c = int64(st) * (s.cost[e] + s.pi[s.src[e]] - s.pi[s.dst[e]])
			}
			if c < best {
				best, bestArc = c, int32(e)
			}
		}
		e++
		if e == m {
			e = 0
		}
		cnt--
		if cnt == 0 {
			if bestArc >= 0 {
				break
			}
			cnt = s.block
		}
	}
	s.nextArc = e
	return bestArc
}

// enteringFirst is entering for blocks of one arc: the first violating
// arc from where the last search stopped. It is the loop the solver spends
// its time in, written for it: the arrays in locals, cut to the arcs it
// scans, so that the compiler drops most bounds checks.
func (s *netSimplex) enteringFirst() int32 {
	m := s.nArcs
	st, cost, src, dst, pi := s.st[:m], s.cost[:m], s.src[:m], s.dst[:m], s.pi
	e := s.nextArc
	for range m {
		if t := st[e]; t != nsTree {
			c := int64(t) * (cost[e] + pi[src[e]] - pi[dst[e]])
			if c < s.lazyMax {
				// Pending and maybe violating: its cost decides.
				s.lazy.resolve(int32(e), cost)
				c = int64(t) * (cost[e] + pi[src[e]] - pi[dst[e]])
			}
			if c < 0 {
				if s.nextArc = e + 1; s.nextArc == m {
					s.nextArc = 0
				}
				return int32(e)
			}
		}
		if e++; e == m {
			e = 0
		}
	}
	s.nextArc = e
	return -1
}

func (s *netSimplex) run(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for iter := 1; ; iter++ {
		if iter&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		in := s.entering()
		if in < 0 {
			return nil
		}
		s.pivot(in)
	}
}

// pivot sends as much flow as possible around the cycle that the entering
// arc closes in the tree, and swaps the entering arc with the blocking arc.
func (s *netSimplex) pivot(in int32) {
	u, v := s.src[in], s.dst[in]
	// The join is the cycle's apex, where the tree paths from u and v meet.
	a, b := u, v
	for a != b {
		switch {
		case s.depth[a] > s.depth[b]:
			a = s.parent[a]
		case s.depth[b] > s.depth[a]:
			b = s.parent[b]
		default:
			a, b = s.parent[a], s.parent[b]
		}
	}
	join := a

	// Flow goes around the cycle from first through the entering arc to
	// second, up to the join and down again to first. The leaving arc is
	// the last blocking arc met when walking the cycle from the join in
	// that direction, which keeps the tree strongly feasible: hence "<" on
	// the first side (walked towards the join, against the cycle) and
	// "<=" on the second.
	first, second := u, v
	if s.st[in] == nsUpper {
		first, second = v, u
	}
	delta := s.capa[in]
	side := 0
	var out int32 = -1
	for x := first; x != join; x = s.parent[x] {
		e := s.pred[x]
		d := s.flow[e]
		if !s.up[x] {
			d = s.capa[e] - s.flow[e]
		}
		if d < delta {
			delta, out, side = d, x, 1
		}
	}
	for x := second; x != join; x = s.parent[x] {
		e := s.pred[x]
		d := s.capa[e] - s.flow[e]
		if !s.up[x] {
			d = s.flow[e]
		}
		if d <= delta {
			delta, out, side = d, x, 2
		}
	}

	if delta > 0 {
		val := delta * int32(s.st[in])
		s.flow[in] += val
		for x := u; x != join; x = s.parent[x] {
			if s.up[x] {
				s.flow[s.pred[x]] -= val
			} else {
				s.flow[s.pred[x]] += val
			}
		}
		for x := v; x != join; x = s.parent[x] {
			if s.up[x] {
				s.flow[s.pred[x]] += val
			} else {
				s.flow[s.pred[x]] -= val
			}
		}
	}
	if side == 0 {
		// The entering arc blocks itself: it moves to its other bound.
		s.st[in] = -s.st[in]
		return
	}
	leaving := s.pred[out]
	if s.flow[leaving] == 0 {
		s.st[leaving] = nsLower
	} else {
		s.st[leaving] = nsUpper
	}
	s.st[in] = nsTree

	// Re-hang the subtree cut off by the leaving arc: the stem from uIn up
	// to out reverses, and uIn now hangs from vIn by the entering arc.
	uIn, vIn := first, second
	if side == 2 {
		uIn, vIn = second, first
	}
	x, newParent, newArc := uIn, vIn, in
	for {
		oldParent, oldArc := s.parent[x], s.pred[x]
		s.unlinkChild(oldParent, x)
		s.parent[x], s.pred[x] = newParent, newArc
		s.up[x] = s.src[newArc] == x
		s.linkChild(newParent, x)
		if x == out {
			break
		}
		x, newParent, newArc = oldParent, x, oldArc
	}
	s.refresh(uIn)
}

// refresh recomputes the depths and potentials of the subtree of r from
// its parent's, so that every tree arc has reduced cost zero.
func (s *netSimplex) refresh(r int32) {
	stack := append(s.stack[:0], r)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		p := s.parent[x]
		s.depth[x] = s.depth[p] + 1
		if s.up[x] {
			s.pi[x] = s.pi[p] - s.cost[s.pred[x]]
		} else {
			s.pi[x] = s.pi[p] + s.cost[s.pred[x]]
		}
		for c := s.child[x]; c >= 0; c = s.next[c] {
			stack = append(stack, c)
		}
	}
	s.stack = stack
}

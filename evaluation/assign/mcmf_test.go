package assign

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// sspMinCostFlow is an independent reference: it adds a super source and
// sink, and augments one unit at a time along a cheapest path found by
// Bellman-Ford, which yields a maximum flow of least cost. It returns how
// much supply stays unmet and the cost.
func sspMinCostFlow(g *flowNet) (unmet int64, cost int64) {
	n := len(g.supply)
	S, T := n, n+1
	type arc struct {
		to   int
		capa int64
		cost int64
		rev  int
	}
	adj := make([][]arc, n+2)
	add := func(u, v int, c int64, w int64) {
		adj[u] = append(adj[u], arc{v, c, w, len(adj[v])})
		adj[v] = append(adj[v], arc{u, 0, -w, len(adj[u]) - 1})
	}
	for e := range g.src {
		add(int(g.src[e]), int(g.dst[e]), int64(g.capa[e]), g.cost[e])
	}
	var need int64
	for u, b := range g.supply {
		if b > 0 {
			add(S, u, int64(b), 0)
			need += int64(b)
		} else if b < 0 {
			add(u, T, int64(-b), 0)
		}
	}
	const inf = int64(1) << 62
	var got int64
	for {
		dist := make([]int64, n+2)
		for i := range dist {
			dist[i] = inf
		}
		prevNode := make([]int, n+2)
		prevArc := make([]int, n+2)
		dist[S] = 0
		for changed := true; changed; {
			changed = false
			for u := range adj {
				if dist[u] == inf {
					continue
				}
				for i, a := range adj[u] {
					if a.capa > 0 && dist[u]+a.cost < dist[a.to] {
						dist[a.to] = dist[u] + a.cost
						prevNode[a.to], prevArc[a.to] = u, i
						changed = true
					}
				}
			}
		}
		if dist[T] == inf {
			break
		}
		for v := T; v != S; v = prevNode[v] {
			a := &adj[prevNode[v]][prevArc[v]]
			a.capa--
			adj[v][a.rev].capa++
		}
		got++
		cost += dist[T]
	}
	return need - got, cost
}

func randomFlowNet(r *rand.Rand) *flowNet {
	g := &flowNet{}
	n := 2 + r.IntN(9)
	sup := make([]int32, n)
	for i := 0; i < n; i++ {
		if r.IntN(3) == 0 {
			k := int32(r.IntN(4))
			sup[i] += k
			sup[r.IntN(n)] -= k
		}
	}
	for _, b := range sup {
		g.addNode(b, false)
	}
	m := r.IntN(3 * n)
	for i := 0; i < m; i++ {
		u, v := r.IntN(n), r.IntN(n)
		if u == v {
			continue
		}
		g.addArc(int32(u), int32(v), int32(1+r.IntN(3)), int64(r.IntN(10)))
	}
	return g
}

// TestFlowSimplexMatchesSSP compares the network simplex with the
// reference on random networks, feasible and infeasible, and checks that
// its flow is within capacities and conserves every node's supply.
func TestFlowSimplexMatchesSSP(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 2000; i++ {
		g := randomFlowNet(r)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			wantUnmet, wantCost := sspMinCostFlow(g)
			sol, err := g.solve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			balance := make([]int64, len(g.supply))
			var cost int64
			for e, f := range sol.flow {
				if f < 0 || f > g.capa[e] {
					t.Fatalf("arc %d: flow %d outside [0, %d]", e, f, g.capa[e])
				}
				balance[g.src[e]] += int64(f)
				balance[g.dst[e]] -= int64(f)
				cost += int64(f) * g.cost[e]
			}
			var unmet int64
			for u, b := range g.supply {
				// What a node could not send or receive is its unmet part.
				if b >= 0 {
					if balance[u]+int64(sol.unmet[u]) != int64(b) {
						t.Fatalf("node %d: sends %d, unmet %d, supply %d", u, balance[u], sol.unmet[u], b)
					}
				} else {
					if balance[u]-int64(sol.unmet[u]) != int64(b) {
						t.Fatalf("node %d: sends %d, unmet %d, supply %d", u, balance[u], sol.unmet[u], b)
					}
					unmet += int64(sol.unmet[u])
				}
			}
			if unmet != wantUnmet || cost != wantCost {
				t.Errorf("got unmet %d cost %d, want unmet %d cost %d", unmet, cost, wantUnmet, wantCost)
			}
		})
	}
}

// TestFlowSimplexStrict checks the strict nodes against the reference run
// on the simplex's own big-M problem written out: a root node, an arc to
// it from every node of non-negative supply (costing the artificial cost
// when strict, else nothing) and from it to every demanding node (costing
// the artificial cost).
func TestFlowSimplexStrict(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := 0; i < 1000; i++ {
		g := randomFlowNet(r)
		for u := range g.strict {
			g.strict[u] = r.IntN(2) == 0
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			var maxCost int64
			for _, c := range g.cost {
				maxCost = max(maxCost, c)
			}
			art, ok := flowArtificialCost(len(g.supply), maxCost)
			if !ok {
				t.Fatalf("no artificial cost for %d nodes, costs up to %d", len(g.supply), maxCost)
			}
			big := &flowNet{}
			for _, b := range g.supply {
				big.addNode(b, false)
			}
			root := big.addNode(0, false)
			for e := range g.src {
				big.addArc(g.src[e], g.dst[e], g.capa[e], g.cost[e])
			}
			for u, b := range g.supply {
				switch {
				case b < 0:
					big.addArc(root, int32(u), 1000, art)
				case g.strict[u]:
					big.addArc(int32(u), root, 1000, art)
				default:
					big.addArc(int32(u), root, 1000, 0)
				}
			}
			unmetRef, want := sspMinCostFlow(big)
			if unmetRef != 0 {
				t.Fatalf("reference left %d unmet", unmetRef)
			}
			sol, err := g.solve(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var got int64
			for e, f := range sol.flow {
				got += int64(f) * g.cost[e]
			}
			for u, x := range sol.unmet {
				if g.supply[u] < 0 || g.strict[u] {
					got += int64(x) * art
				}
			}
			if got != want {
				t.Errorf("got cost %d, want %d", got, want)
			}
		})
	}
}

func TestFlowCostRange(t *testing.T) {
	g := &flowNet{}
	a, b := g.addNode(1, false), g.addNode(-1, false)
	g.addArc(a, b, 1, int64(1)<<59)
	if _, err := g.solve(context.Background()); err != errFlowCostRange {
		t.Errorf("got %v, want errFlowCostRange", err)
	}
	g = &flowNet{}
	g.addNode(1, false)
	g.addNode(0, false)
	if _, err := g.solve(context.Background()); err == nil || err.Error() != "min-cost flow: supplies do not sum to zero" {
		t.Errorf("unbalanced supplies: got %v, want the supplies error", err)
	}
}

// TestFlowLazyCosts solves random networks twice, with every cost known
// and with part of some costs deferred (flowLazy), and wants the very same
// flow: the solver must make the same pivots, ties of cost included (the
// costs are small, so that ties are many). It also wants some parts never
// computed, or the deferral is pointless.
func TestFlowLazyCosts(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 17))
	skipped := 0
	for i := 0; i < 3000; i++ {
		g := randomFlowNet(r)
		for u := range g.strict {
			g.strict[u] = r.IntN(2) == 0
		}
		for e := range g.cost {
			g.cost[e] = int64(r.IntN(6))
		}
		const maxPart = 3
		lazy := &flowLazy{max: maxPart, pending: make([]uint64, (len(g.src)+63)/64)}
		bound := append([]int64(nil), g.cost...)
		parts := make([]int64, len(g.cost))
		for e := range g.cost {
			if r.IntN(3) > 0 {
				parts[e] = int64(r.IntN(maxPart + 1))
				bound[e] += parts[e]
				lazy.pend(int32(e))
			}
		}
		computed := map[int32]bool{}
		lazy.part = func(e int32) int64 {
			if computed[e] {
				t.Fatalf("network %d: part of arc %d asked twice", i, e)
			}
			computed[e] = true
			return parts[e]
		}
		want, err := g.solve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		lg := &flowNet{strict: g.strict, supply: g.supply, src: g.src, dst: g.dst, capa: g.capa, cost: bound, lazy: lazy}
		got, err := lg.solve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.flow, want.flow) || !slices.Equal(got.unmet, want.unmet) {
			t.Fatalf("network %d: deferred costs give flow %v unmet %v, known costs %v %v", i, got.flow, got.unmet, want.flow, want.unmet)
		}
		for e := range bound {
			if lazy.pending[e>>6]&(1<<(e&63)) != 0 {
				skipped++
			}
		}
	}
	if skipped == 0 {
		t.Error("every deferred part was computed")
	}
}

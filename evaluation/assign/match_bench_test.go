package assign

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// benchMatchInput builds a campaign of the size the issue asks for: nps
// projects, half basic research and half applied technology, each with 5
// technical seats and 1 finance seat and the default quotas
// (evaluation/README.md §2.5.1), and nes experts with capacities 2–8.
// There are 40 disciplines (3-digit subject prefixes) of 8 codes and 40
// keywords each; an expert works in one discipline and, three times in
// ten, in a second one; a project is eligible to every expert sharing its
// discipline (about 300), minus up to five conflicts. Capacities are
// minCap … maxCap.
func benchMatchInput(nps, nes, minCap, maxCap int) MatchInput {
	r := rand.New(rand.NewPCG(42, 2025))
	const disciplines, codesPer, wordsPer = 40, 8, 40
	code := func(d int) string { return fmt.Sprintf("%03d.%02d", 110+10*d, 10+r.IntN(codesPer)) }
	word := func(d int) string { return fmt.Sprintf("d%d-k%d", d, r.IntN(wordsPer)) }
	types := []struct {
		t string
		w int
	}{{DomainExpert, 50}, {StrategicScientist, 10}, {InternationalPeer, 8}, {Investor, 6}, {Entrepreneur, 6}, {FinanceExpert, 20}}
	in := MatchInput{
		Eligible: make(map[int64][]int64, nps),
		Capacity: make(map[int64]int, nes),
		Seats:    make(map[int64]Seats, nps),
		Seed:     "benchmark",
	}
	byDisc := make([][]int64, disciplines)
	for i := 0; i < nes; i++ {
		id := int64(10000 + i)
		x := r.IntN(100)
		typ := ""
		for _, t := range types {
			if x < t.w {
				typ = t.t
				break
			}
			x -= t.w
		}
		e := Expert{ID: id, Type: typ, CanBeDrawn: true}
		ds := []int{r.IntN(disciplines)}
		if r.IntN(10) < 3 {
			if d2 := r.IntN(disciplines); d2 != ds[0] {
				ds = append(ds, d2)
			}
		}
		for _, d := range ds {
			for k := 1 + r.IntN(2); k > 0; k-- {
				e.SubjectCodes = append(e.SubjectCodes, code(d))
			}
			for k := 1 + r.IntN(3); k > 0; k-- {
				e.Keywords = append(e.Keywords, word(d))
			}
			byDisc[d] = append(byDisc[d], id)
		}
		in.Experts = append(in.Experts, e)
		in.Capacity[id] = minCap + r.IntN(maxCap-minCap+1)
	}
	basic := Seats{Technical: 5, Finance: 1, Quotas: []Quota{
		{Name: "domain_or_strategic", Types: []string{DomainExpert, StrategicScientist}, Min: 3},
		{Name: "international_peer", Types: []string{InternationalPeer}, Min: 1, Soft: true},
	}}
	applied := Seats{Technical: 5, Finance: 1, Quotas: []Quota{
		{Name: "investor_or_entrepreneur", Types: []string{Investor, Entrepreneur}, Min: 1},
		{Name: "domain_expert", Types: []string{DomainExpert}, Min: 2},
	}}
	for i := 0; i < nps; i++ {
		id := int64(1 + i)
		d := r.IntN(disciplines)
		p := Project{ID: id, Code: fmt.Sprintf("P%04d", id), Class: "basic_research"}
		in.Seats[id] = basic
		if i%2 == 1 {
			p.Class = "applied_technology"
			in.Seats[id] = applied
		}
		for k := 1 + r.IntN(2); k > 0; k-- {
			p.SubjectCodes = append(p.SubjectCodes, code(d))
		}
		for k := 3 + r.IntN(3); k > 0; k-- {
			p.Keywords = append(p.Keywords, word(d))
		}
		in.Projects = append(in.Projects, p)
		el := append([]int64(nil), byDisc[d]...)
		for k := r.IntN(6); k > 0 && len(el) > 0; k-- { // conflicts
			j := r.IntN(len(el))
			el[j] = el[len(el)-1]
			el = el[:len(el)-1]
		}
		in.Eligible[id] = el
	}
	return in
}

// heapPeak samples the live heap every millisecond until stop is closed.
func heapPeak(stop <-chan struct{}, peak *atomic.Uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		if v := s[0].Value.Uint64(); v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// BenchmarkMatch matches 2,000 projects with 10,000 experts (building the
// campaign is not timed), with the capacities of 2–8 projects and
// with tight ones of 1–3, where far more experts are contended. Besides
// time and allocations it reports the peak live heap while matching
// (sampled, input included), the heap the input alone holds, and the
// memory the Go runtime got from the OS.
func BenchmarkMatch(b *testing.B) {
	for _, c := range []struct{ min, max int }{{2, 8}, {1, 3}} {
		b.Run(fmt.Sprintf("capacity=%d-%d", c.min, c.max), func(b *testing.B) {
			benchMatch(b, benchMatchInput(2000, 10000, c.min, c.max))
		})
	}
}

func benchMatch(b *testing.B, in MatchInput) {
	arcs := 0
	for _, el := range in.Eligible {
		arcs += len(el)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() { heapPeak(stop, &peak); close(done) }()
	b.ReportAllocs()
	var res *MatchResult
	for b.Loop() {
		var err error
		res, err = Match(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	<-done
	runtime.ReadMemStats(&ms)
	const mb = 1 << 20
	b.ReportMetric(float64(peak.Load())/mb, "peak-heap-MB")
	b.ReportMetric(float64(base)/mb, "input-heap-MB")
	b.ReportMetric(float64(ms.Sys)/mb, "sys-MB")
	short := 0
	for _, as := range res.Assignments {
		short += len(as.Shortfalls)
	}
	b.Logf("%d projects, %d experts, %d eligible pairs: affinity %d, soft seats met %d, shortfalls %d, noise %d",
		len(in.Projects), len(in.Experts), arcs, res.Affinity, res.SoftMet, short, res.Noise)
}

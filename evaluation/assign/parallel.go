package assign

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// inParallel calls a function for each of 0 … n−1 on GOMAXPROCS
// goroutines and returns when all calls have returned. Each goroutine
// calls worker once for its own function, so that it can keep scratch
// memory across calls; the indexes are handed out in small blocks, so that
// the goroutines end together when the calls differ in cost. The calls
// must not depend on one another.
func inParallel(n int, worker func() func(i int)) {
	const block = 16
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (n+block-1)/block) {
		wg.Go(func() {
			do := worker()
			for {
				lo := int(next.Add(block)) - block
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+block, n); i++ {
					do(i)
				}
			}
		})
	}
	wg.Wait()
}

package charts

import (
	"math"
)

// niceTicks returns axis ticks covering lo to hi, the first ≤ lo and the
// last ≥ hi, at the smallest round step (1, 2 or 5 times a power of ten)
// that needs at most n intervals. A range of one value is widened to show
// it; non-finite bounds give 0 to 1.
func niceTicks(lo, hi float64, n int) []float64 {
	if !finite(lo) || !finite(hi) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if lo == hi {
		d := math.Abs(lo) / 10
		if d == 0 {
			d = 1
		}
		if lo == 0 {
			lo, hi = 0, d // zero alone: an axis up from it
		} else {
			lo, hi = lo-d, hi+d
		}
	}
	return stepTicks(lo, hi, niceStep(lo, hi, max(n, 1), 0))
}

// countTicks returns ticks from 0 covering hi for an axis of counts: whole
// steps, at most n intervals.
func countTicks(hi float64, n int) []float64 {
	if !finite(hi) || hi < 1 {
		hi = 1
	}
	return stepTicks(0, hi, niceStep(0, hi, max(n, 1), 1))
}

// niceStep is the smallest step of 1, 2 or 5 times a power of ten, and at
// least least, whose multiples span lo to hi in at most n intervals.
func niceStep(lo, hi float64, n int, least float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10((hi-lo)/float64(n))))
	if least > 0 {
		p = max(p, least)
	}
	for {
		for _, m := range []float64{1, 2, 5} {
			step := m * p
			if math.Ceil(hi/step)-math.Floor(lo/step) <= float64(n) {
				return step
			}
		}
		p *= 10
	}
}

// stepTicks lists the multiples of step from ≤ lo to ≥ hi, rounded to the
// step's decimals so that 0.1 × 3 comes out as 0.3.
func stepTicks(lo, hi, step float64) []float64 {
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	scale := math.Pow(10, float64(stepDecimals(step)))
	ticks := make([]float64, 0, int(last-first)+1)
	for k := first; k <= last; k++ {
		t := math.Round(k*step*scale) / scale
		if t == 0 {
			t = 0 // no -0
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// stepDecimals is the number of decimals needed to write multiples of step.
func stepDecimals(step float64) int {
	if step <= 0 || !finite(step) {
		return 0
	}
	return max(0, int(-math.Floor(math.Log10(step)+1e-9)))
}

// niceNum is the 1, 2, 5 or 10 times a power of ten nearest x.
func niceNum(x float64) float64 {
	if x <= 0 || !finite(x) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	switch f := x / p; {
	case f < 1.5:
		return p
	case f < 3:
		return 2 * p
	case f < 7:
		return 5 * p
	default:
		return 10 * p
	}
}

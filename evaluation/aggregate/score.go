package aggregate

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"

	"github.com/evalpanel/evalpanel/rubrics"
)

// Score is an amount of points counted in hundredths of a point: a panel
// score, a finance score or an indicator mean as shown, rounded once to 2
// decimals. 8267 is 82.67 points.
type Score int64

// FromPoints returns the points exactly as a Score (a half-point is 50
// hundredths).
func FromPoints(p rubrics.Points) Score { return Score(p) * 50 }

// Average returns the mean of n amounts whose sum is sum, rounded half away
// from zero to hundredths with integer arithmetic only. The mean is sum / 2n
// points, so in hundredths it is 50·sum / n, an exact fraction that
// roundDiv rounds: 248 points over 3 sheets (sum 496 half-points) is
// 24800 / 3 = 8266.67 → 82.67; 326.5 over 4 (653) is 32650 / 4 = 8162.5 →
// 81.63. It is exact while |sum| < 1.8e17 half-points, far beyond any
// panel. It panics when n < 1.
func Average(sum rubrics.Points, n int) Score {
	if n < 1 {
		panic("aggregate: Average of no amounts")
	}
	return Score(roundDiv(50*int64(sum), int64(n)))
}

// roundDiv returns a / b rounded half away from zero, for b > 0, without
// forming 2a (which could overflow where a itself does not).
func roundDiv(a, b int64) int64 {
	q, r := a/b, a%b // r has the sign of a
	switch {
	case r > 0 && r >= b-r:
		q++
	case r < 0 && -r >= b+r:
		q--
	}
	return q
}

// RoundFloat rounds points given as a float to hundredths, half away from
// zero on the float's value. It serves the advisory figures only (the
// calibrated score), which are floating-point estimates to begin with; an
// official figure never passes through a float.
func RoundFloat(x float64) Score { return Score(math.Round(x * 100)) }

// Float returns the score as a number of points, for advisory computations
// and charts.
func (s Score) Float() float64 { return float64(s) / 100 }

// String formats the score with exactly 2 decimals: "82.67", "76.00",
// "-0.50".
func (s Score) String() string {
	u := uint64(s)
	sign := ""
	if s < 0 {
		sign, u = "-", -u
	}
	frac := strconv.FormatUint(u%100, 10)
	if len(frac) == 1 {
		frac = "0" + frac
	}
	return sign + strconv.FormatUint(u/100, 10) + "." + frac
}

// MarshalJSON writes the score as a JSON number with 2 decimals.
func (s Score) MarshalJSON() ([]byte, error) { return []byte(s.String()), nil }

// ErrNotHundredth is the error of UnmarshalJSON for a number with a
// non-zero digit beyond the second decimal.
var ErrNotHundredth = errors.New("not a multiple of 0.01")

var (
	jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	maxScore   = big.NewRat(rubrics.MaxAbs, 1)
	hundred    = big.NewRat(100, 1)
)

// UnmarshalJSON accepts only a JSON number that is exactly a multiple of
// 0.01 within ±rubrics.MaxAbs, decided on the decimal text as
// rubrics.Points does: 82.67 and 82.670 are taken, 82.675 is refused
// (rubrics.ErrNotNumber, ErrNotHundredth, rubrics.ErrOutOfRange).
func (s *Score) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if !jsonNumber.Match(b) {
		return rubrics.ErrNotNumber
	}
	r, ok := new(big.Rat).SetString(string(b))
	if !ok {
		return rubrics.ErrNotNumber
	}
	if new(big.Rat).Abs(r).Cmp(maxScore) > 0 {
		return rubrics.ErrOutOfRange
	}
	h := r.Mul(r, hundred)
	if !h.IsInt() {
		return ErrNotHundredth
	}
	*s = Score(h.Num().Int64())
	return nil
}

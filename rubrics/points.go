package rubrics

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
)

// Points is an amount of points counted in half-points: scores move in
// steps of 0.5, so every score, maximum and total is an integer number of
// half-points and sums are exact (17.5 + 24.5 + 22 + 8.5 + 13 is exactly
// 85.5, never 85.49999).
type Points int64

// Half is the smallest step of a score.
const Half Points = 1

// MaxAbs bounds any amount of points evalpanel reads: far above any score
// or total, far below where arithmetic could overflow.
const MaxAbs = 1_000_000

// FromFloat converts a number of points; ok is false when f is not finite,
// not a multiple of 0.5, or beyond MaxAbs.
func FromFloat(f float64) (p Points, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxAbs {
		return 0, false
	}
	h := f * 2
	if h != math.Trunc(h) {
		return 0, false
	}
	return Points(h), true
}

// Pts returns whole points as Points, for literals in code and tests.
func Pts(n int) Points { return Points(n * 2) }

// Float returns the points as a number.
func (p Points) Float() float64 { return float64(p) / 2 }

// String formats the points without trailing zeros: 17.5, 22, 0.
func (p Points) String() string {
	if p%2 == 0 {
		return strconv.FormatInt(int64(p/2), 10)
	}
	s := strconv.FormatInt(int64(p/2), 10)
	if p < 0 && p/2 == 0 {
		s = "-0"
	}
	return s + ".5"
}

// MarshalJSON writes the points as a JSON number.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// Errors of UnmarshalJSON; callers turn them into field messages.
var (
	ErrNotNumber  = errors.New("not a number")
	ErrNotStep    = errors.New("not a multiple of 0.5")
	ErrOutOfRange = errors.New("out of range")
)

var (
	jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	maxAbs     = big.NewRat(MaxAbs, 1)
	two        = big.NewRat(2, 1)
)

// UnmarshalJSON accepts only a JSON number that is exactly a multiple of
// 0.5 within ±MaxAbs. It decides on the decimal text, not on a float, so
// that 17.50000000000000001 is refused rather than rounded to 17.5; strings,
// null and booleans are refused too.
func (p *Points) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if !jsonNumber.Match(b) {
		return ErrNotNumber
	}
	r, ok := new(big.Rat).SetString(string(b))
	if !ok {
		return ErrNotNumber
	}
	if new(big.Rat).Abs(r).Cmp(maxAbs) > 0 {
		return ErrOutOfRange
	}
	h := r.Mul(r, two)
	if !h.IsInt() {
		return ErrNotStep
	}
	*p = Points(h.Num().Int64())
	return nil
}

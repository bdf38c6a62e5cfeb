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
	if h, ok := plainPoints(b); ok {
		if h > 2*MaxAbs || h < -2*MaxAbs {
			return ErrOutOfRange
		}
		*p = Points(h)
		return nil
	}
	v, err := exactPoints(b)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// exactPoints decides on the decimal text of a JSON number exactly. It
// reads a copy of b, so that b does not escape: a caller may convert a
// string to pass it without allocating.
func exactPoints(b []byte) (Points, error) {
	s := string(b)
	if !jsonNumber.MatchString(s) {
		return 0, ErrNotNumber
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, ErrNotNumber
	}
	if new(big.Rat).Abs(r).Cmp(maxAbs) > 0 {
		return 0, ErrOutOfRange
	}
	h := r.Mul(r, two)
	if !h.IsInt() {
		return 0, ErrNotStep
	}
	return Points(h.Num().Int64()), nil
}

// plainPoints reads the form every stored score and nearly every typed one
// takes, an optional minus, a whole number of at most seven digits without
// a leading zero, and optionally ".0" or ".5", as half-points; ok is false
// for anything else, which UnmarshalJSON then decides on exactly (big.Rat).
// It gives the same result as that exact path for what it accepts, at a
// small fraction of its cost: reading a campaign's sheets parses every
// score of every sheet.
func plainPoints(b []byte) (h int64, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	i := 0
	for i < len(b) && i < 8 && b[i] >= '0' && b[i] <= '9' {
		h = h*10 + int64(b[i]-'0')
		i++
	}
	if i == 0 || i == 8 || (b[0] == '0' && i > 1) {
		return 0, false
	}
	h *= 2
	switch rest := b[i:]; {
	case len(rest) == 0 || string(rest) == ".0":
	case string(rest) == ".5":
		h++
	default:
		return 0, false
	}
	if neg {
		h = -h
	}
	return h, true
}

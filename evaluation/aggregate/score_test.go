package aggregate

import (
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/evalpanel/evalpanel/rubrics"
)

func TestScoreString(t *testing.T) {
	for _, tc := range []struct {
		s    Score
		want string
	}{
		{8267, "82.67"}, {7600, "76.00"}, {5, "0.05"}, {0, "0.00"}, {-50, "-0.50"}, {-8163, "-81.63"}, {10000, "100.00"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("Score(%d).String() = %q, want %q", int64(tc.s), got, tc.want)
		}
		b, err := json.Marshal(tc.s)
		if err != nil || string(b) != tc.want {
			t.Errorf("json.Marshal(Score(%d)) = %s, %v, want %s", int64(tc.s), b, err, tc.want)
		}
		var back Score
		if err := json.Unmarshal(b, &back); err != nil || back != tc.s {
			t.Errorf("json.Unmarshal(%s) = %d, %v, want %d", b, int64(back), err, int64(tc.s))
		}
	}
}

func TestScoreUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Score
		err  error
	}{
		{"82.67", 8267, nil},
		{"82.670", 8267, nil},
		{"8.267e1", 8267, nil},
		{"60", 6000, nil},
		{"-0.5", -50, nil},
		{"82.675", 0, ErrNotHundredth},
		{"82.67000000000000001", 0, ErrNotHundredth},
		{`"82.67"`, 0, rubrics.ErrNotNumber},
		{"null", 0, rubrics.ErrNotNumber},
		{"1e7", 0, rubrics.ErrOutOfRange},
	} {
		var s Score
		err := s.UnmarshalJSON([]byte(tc.in))
		if !errors.Is(err, tc.err) || s != tc.want {
			t.Errorf("UnmarshalJSON(%s) = %d, %v, want %d, %v", tc.in, int64(s), err, int64(tc.want), tc.err)
		}
	}
}

// TestAverage checks the rounding half away from zero on hand-computed
// means; sums are in half-points.
func TestAverage(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  rubrics.Points
		n    int
		want Score
	}{
		// 248 / 3 = 82.666… → 82.67: 50·496 / 3 = 8266.67 → 8267.
		{"thirds up", 496, 3, 8267},
		// 247 / 3 = 82.333… → 82.33: 50·494 / 3 = 8233.33 → 8233.
		{"thirds down", 494, 3, 8233},
		// 326.5 / 4 = 81.625, exactly half-way → 81.63 (50·653 / 4 = 8162.5).
		{"tie up .xx5", 653, 4, 8163},
		// 0.5 / 8 = 0.0625 → 0.06 (50 / 8 = 6.25); 1.5 / 8 = 0.1875 → 0.19.
		{"eighths", 1, 8, 6},
		{"eighths up", 3, 8, 19},
		// 0.5 / 4 = 0.125 → 0.13 (50 / 4 = 12.5, a tie).
		{"tie small", 1, 4, 13},
		// The mirror image: −326.5 / 4 = −81.625 → −81.63; −0.125 → −0.13.
		{"negative tie", -653, 4, -8163},
		{"negative small tie", -1, 4, -13},
		// −248 / 3 = −82.666… → −82.67.
		{"negative thirds", -496, 3, -8267},
		// Whole: 400 / 5 = 80 → 80.00.
		{"whole", 800, 5, 8000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Average(tc.sum, tc.n); got != tc.want {
				t.Errorf("Average(%d, %d) = %s, want %s", tc.sum, tc.n, got, tc.want)
			}
		})
	}
}

// ratRound rounds x to hundredths half away from zero with big.Rat: the
// brute force the integer rounding is checked against.
func ratRound(x *big.Rat) Score {
	y := new(big.Rat).Mul(x, big.NewRat(100, 1))
	neg := y.Sign() < 0
	y.Abs(y)
	y.Add(y, big.NewRat(1, 2))
	q := new(big.Int).Quo(y.Num(), y.Denom()) // floor, y ≥ 0
	if neg {
		q.Neg(q)
	}
	return Score(q.Int64())
}

// ratOf returns half-points as an exact number of points.
func ratOf(p rubrics.Points) *big.Rat { return big.NewRat(int64(p), 2) }

// bruteScore computes a panel score from totals by the definition, in
// big.Rat; ok is false below MinSheets.
func bruteScore(totals []rubrics.Points, m Method) (Score, bool) {
	n := len(totals)
	if n < MinSheets {
		return 0, false
	}
	s := slices.Clone(totals)
	slices.Sort(s)
	mean := func(xs []rubrics.Points) *big.Rat {
		sum := new(big.Rat)
		for _, x := range xs {
			sum.Add(sum, ratOf(x))
		}
		return sum.Quo(sum, big.NewRat(int64(len(xs)), 1))
	}
	switch {
	case m == Median && n%2 == 1:
		return ratRound(ratOf(s[n/2])), true
	case m == Median:
		return ratRound(mean(s[n/2-1 : n/2+1])), true
	case m == TrimmedMean && n >= TrimFrom:
		return ratRound(mean(s[1 : n-1])), true
	}
	return ratRound(mean(s)), true
}

// TestRoundingAgainstBigRat compares the integer rounding of Official (and
// of Average alone, negative sums included) with a big.Rat computation of
// the definition over many random sheet sets.
func TestRoundingAgainstBigRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2026))
	r := testRubric(t)
	ties := 0 // means exactly half-way between two hundredths
	isTie := func(x *big.Rat) bool { return new(big.Rat).Mul(x, big.NewRat(100, 1)).Denom().Int64() == 2 }
	for iter := range 20000 {
		n := rng.IntN(10) // 0 … 9 sheets
		p := &Project{ID: int64(iter)}
		totals := make([]rubrics.Points, n)
		for i := range n {
			sh := Sheet{Expert: int64(i + 1), Scores: map[string]rubrics.Points{}}
			for _, in := range r.Indicators {
				sc := rubrics.Points(rng.Int64N(int64(in.Max) + 1))
				sh.Scores[in.Code] = sc
				totals[i] += sc
			}
			p.Technical = append(p.Technical, sh)
		}
		for _, m := range []Method{TrimmedMean, Mean, Median} {
			res, err := Official(p, Rubrics{Technical: r}, Settings{Method: m})
			if err != nil {
				t.Fatal(err)
			}
			want, ok := bruteScore(totals, m)
			if m == Mean && n >= MinSheets {
				var h rubrics.Points
				for _, x := range totals {
					h += x
				}
				if isTie(new(big.Rat).Quo(ratOf(h), big.NewRat(int64(n), 1))) {
					ties++
				}
			}
			switch {
			case ok != (res.Technical.Score != nil):
				t.Fatalf("%v %s: score %v, want one: %v", totals, m, res.Technical.Score, ok)
			case ok && *res.Technical.Score != want:
				t.Fatalf("%v %s: score %s, want %s", totals, m, res.Technical.Score, want)
			}
			// Indicator means, never trimmed.
			for k, in := range r.Indicators {
				if n == 0 {
					break
				}
				sum := new(big.Rat)
				for _, sh := range p.Technical {
					sum.Add(sum, ratOf(sh.Scores[in.Code]))
				}
				mean := sum.Quo(sum, big.NewRat(int64(n), 1))
				if isTie(mean) {
					ties++
				}
				want := ratRound(mean)
				if got := res.Technical.Indicators[k].Mean; got != want {
					t.Fatalf("%s mean = %s, want %s", in.Code, got, want)
				}
			}
		}
		// Average on any sign and size.
		sum := rubrics.Points(rng.Int64N(4_000_001) - 2_000_000)
		cnt := 1 + rng.IntN(200)
		exact := new(big.Rat).Quo(ratOf(sum), big.NewRat(int64(cnt), 1))
		if isTie(exact) {
			ties++
		}
		want := ratRound(exact)
		if got := Average(sum, cnt); got != want {
			t.Fatalf("Average(%d, %d) = %s, want %s", sum, cnt, got, want)
		}
	}
	// The cases must include ties, or the test proves little about them.
	if ties < 1000 {
		t.Errorf("only %d half-way cases among the random ones, want ≥ 1000", ties)
	}
	t.Logf("%d half-way cases", ties)
}

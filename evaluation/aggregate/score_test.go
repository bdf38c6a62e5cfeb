package aggregate

import (
	"encoding/json"
	"errors"
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

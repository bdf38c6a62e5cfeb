package aggregate

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// obsOf makes observations from totals per project (experts numbered
// within each project).
func obsOf(groups ...[]float64) []Observation {
	var obs []Observation
	for j, g := range groups {
		for i, tot := range g {
			obs = append(obs, Observation{Project: int64(j + 1), Expert: int64(i + 1), Total: pts(tot)})
		}
	}
	return obs
}

func TestReliability(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }
	for _, tc := range []struct {
		name                   string
		obs                    []Observation
		msb, msw, k0, icc, icK float64
		defined                bool
	}{
		// Equal panels: 70, 72 | 80, 84 | 90, 92. Project means 71, 82, 91,
		// grand mean 488 / 6 = 81.333…; MSB = 2·((−10.333)² + 0.667² +
		// 9.667²) / 2 = 602 / 3; MSW = (1 + 1 + 4 + 4 + 1 + 1) / (6 − 3) = 4;
		// k0 = 2; ICC(1) = (602/3 − 4) / (602/3 + 4) = 590 / 614 = 295 / 307;
		// ICC(1,k) = (602/3 − 4) / (602/3) = 590 / 602 = 295 / 301.
		{"equal k", obsOf([]float64{70, 72}, []float64{80, 84}, []float64{90, 92}),
			602.0 / 3, 4, 2, 295.0 / 307, 295.0 / 301, true},
		// Unequal panels: 60, 62, 64 | 70, 74 | 80, 82, 84, 86. Means 62, 72,
		// 83, grand mean 662 / 9; deviations −104/9, −14/9, 85/9; MSB = (3 ·
		// 10816 + 2 · 196 + 4 · 7225) / 81 / 2 = 61740 / 162 = 3430 / 9;
		// MSW = (8 + 8 + 20) / (9 − 3) = 6; k0 = (9 − (9 + 4 + 16) / 9) / 2
		// = 26 / 9; ICC(1) = (3430/9 − 6) / (3430/9 + (17/9)·6) = 3376 / 3532
		// = 844 / 883; ICC(1,k) = 3376 / 3430 = 1688 / 1715.
		{"unequal k", obsOf([]float64{60, 62, 64}, []float64{70, 74}, []float64{80, 82, 84, 86}),
			3430.0 / 9, 6, 26.0 / 9, 844.0 / 883, 1688.0 / 1715, true},
		// A project with one sheet is left out: the same figures.
		{"single-sheet project left out", obsOf([]float64{70, 72}, []float64{80, 84}, []float64{90, 92}, []float64{50}),
			602.0 / 3, 4, 2, 295.0 / 307, 295.0 / 301, true},
		// Perfect agreement within panels: MSW = 0, both ICCs 1. Means 70,
		// 80, grand 75: MSB = 3·(25 + 25) / 1 = 150.
		{"perfect agreement", obsOf([]float64{70, 70, 70}, []float64{80, 80, 80}), 150, 0, 3, 1, 1, true},
		// More spread within than between: 60, 80 | 62, 78. Means 70, 70:
		// MSB = 0, undefined.
		{"no spread between", obsOf([]float64{60, 80}, []float64{62, 78}), 0, 0, 0, 0, 0, false},
		// Negative: means 69, 71 (grand 70): MSB = 2·(1 + 1) / 1 = 4; MSW =
		// (81 + 81 + 81 + 81) / 2 = 162; ICC(1) = (4 − 162) / (4 + 162) =
		// −158 / 166; ICC(1,k) = −158 / 4.
		{"negative", obsOf([]float64{60, 78}, []float64{62, 80}), 4, 162, 2, -158.0 / 166, -158.0 / 4, true},
		{"one project", obsOf([]float64{60, 80, 70}), 0, 0, 0, 0, 0, false},
		{"no second sheet", obsOf([]float64{60}, []float64{80}), 0, 0, 0, 0, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Reliability(tc.obs)
			if got.Defined != tc.defined || !near(got.MSB, tc.msb) || !near(got.MSW, tc.msw) || !near(got.K0, tc.k0) ||
				!near(got.ICC1, tc.icc) || !near(got.ICC1K, tc.icK) {
				t.Errorf("got %+v, want MSB %g MSW %g k0 %g ICC(1) %g ICC(1,k) %g defined %v",
					got, tc.msb, tc.msw, tc.k0, tc.icc, tc.icK, tc.defined)
			}
		})
	}
}

// TestReliabilitySimulation: panels of 5 with noise small against the
// spread of quality are reliable, and ICC(1,k) exceeds ICC(1), as the
// mean of a panel is more reliable than one expert.
func TestReliabilitySimulation(t *testing.T) {
	_, obs := simulate(8, 60, 5, make([]float64, 12), 3)
	icc := Reliability(obs)
	// Quality is uniform over 37 points (variance 37²/12 ≈ 114), noise 3²
	// (plus rounding): ICC(1) ≈ 114 / 123 ≈ 0.93, ICC(1,5) ≈ 0.99.
	if !icc.Defined || icc.ICC1 < 0.85 || icc.ICC1 > 0.98 || icc.ICC1K <= icc.ICC1 || icc.K0 != 5 {
		t.Errorf("ICC = %+v, want ICC(1) near 0.93, ICC(1,k) above it, k0 = 5", icc)
	}
}

func TestPercentiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scores []Score
		want   []float64
	}{
		// §3.10: ranks 1, 2.5, 2.5, 4 → 100·(rank − 0.5)/4.
		{"readme", []Score{8267, 7000, 9000, 8267}, []float64{50, 12.5, 87.5, 50}},
		{"one", []Score{6000}, []float64{50}},
		{"all equal", []Score{6000, 6000, 6000}, []float64{50, 50, 50}},
		// Ranks 1, 2, 3, 4, 5 → 10, 30, 50, 70, 90.
		{"distinct", []Score{9000, 7000, 8000, 6000, 10000}, []float64{70, 30, 50, 10, 90}},
		// Ranks 1, (2+3+4)/3 = 3, 5: 10, 50, 50, 50, 90.
		{"three tied", []Score{1, 2, 2, 2, 3}, []float64{10, 50, 50, 50, 90}},
		{"none", nil, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Percentiles(tc.scores)); diff != "" {
				t.Errorf("percentiles (-want +got):\n%s", diff)
			}
		})
	}
}

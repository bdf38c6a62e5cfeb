package aggregate

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/evalpanel/evalpanel/rubrics"
)

// TestPanelScore computes panel scores by hand, for each method and n.
// Totals are given in input order; experts are numbered from 1.
func TestPanelScore(t *testing.T) {
	r := testRubric(t)
	for _, tc := range []struct {
		name    string
		totals  []float64
		method  Method
		want    string  // "none" below MinSheets
		dropped []int64 // trimmed mean only
	}{
		// n = 2: no score, whatever the method.
		{"n=2 trimmed", []float64{80, 85}, TrimmedMean, "none", nil},
		{"n=2 mean", []float64{80, 85}, Mean, "none", nil},
		{"n=2 median", []float64{80, 85}, Median, "none", nil},
		// n = 3: the trimmed mean is the mean, 241 / 3 = 80.333… → 80.33;
		// the median is 80.
		{"n=3 trimmed", []float64{70, 80, 91}, TrimmedMean, "80.33", nil},
		{"n=3 mean", []float64{70, 80, 91}, Mean, "80.33", nil},
		{"n=3 median", []float64{70, 80, 91}, Median, "80.00", nil},
		// n = 4 (§3.11): 78 + 81 + 82 + 85.5 = 326.5, / 4 = 81.625, exactly
		// half-way → 81.63; the median is (81 + 82) / 2 = 81.50.
		{"n=4 trimmed", []float64{78, 81, 82, 85.5}, TrimmedMean, "81.63", nil},
		{"n=4 mean", []float64{78, 81, 82, 85.5}, Mean, "81.63", nil},
		{"n=4 median", []float64{78, 81, 82, 85.5}, Median, "81.50", nil},
		// n = 4: 70 + 70 + 70 + 70.5 = 280.5, / 4 = 70.125 → 70.13 (up).
		{"x.125 rounds up", []float64{70, 70.5, 70, 70}, Mean, "70.13", nil},
		// n = 5 (§3.11): sorted 78, 80.5, 82, 85.5, 91.5; the trimmed mean
		// drops 78 (expert 2) and 91.5 (expert 3): 248 / 3 = 82.666… → 82.67;
		// the mean is 417.5 / 5 = 83.50; the median 82.
		{"n=5 trimmed", []float64{85.5, 78, 91.5, 82, 80.5}, TrimmedMean, "82.67", []int64{2, 3}},
		{"n=5 mean", []float64{85.5, 78, 91.5, 82, 80.5}, Mean, "83.50", nil},
		{"n=5 median", []float64{85.5, 78, 91.5, 82, 80.5}, Median, "82.00", nil},
		// n = 6: drop 70 and 90; 80 + 80.5 + 81 + 82 = 323.5, / 4 = 80.875,
		// half-way → 80.88. The mean: 483.5 / 6 = 80.583… → 80.58; the
		// median (80.5 + 81) / 2 = 80.75.
		{"n=6 trimmed .xx5", []float64{70, 80, 80.5, 81, 82, 90}, TrimmedMean, "80.88", []int64{1, 6}},
		{"n=6 mean", []float64{70, 80, 80.5, 81, 82, 90}, Mean, "80.58", nil},
		{"n=6 median", []float64{70, 80, 80.5, 81, 82, 90}, Median, "80.75", nil},
		// n = 7: sorted 60, 70, 71, 72.5, 75, 88, 95; trimmed: drop 60
		// (expert 1) and 95 (expert 2), 376.5 / 5 = 75.30; mean: 531.5 / 7 =
		// 75.928… → 75.93; median 72.5.
		{"n=7 trimmed", []float64{60, 95, 70, 72.5, 75, 71, 88}, TrimmedMean, "75.30", []int64{1, 2}},
		{"n=7 mean", []float64{60, 95, 70, 72.5, 75, 71, 88}, Mean, "75.93", nil},
		{"n=7 median", []float64{60, 95, 70, 72.5, 75, 71, 88}, Median, "72.50", nil},
		// Ties: one lowest and one highest are dropped even when several are
		// equal: 80, 80, 80, 90, 90 → 80 + 80 + 90 = 250, / 3 = 83.333… →
		// 83.33 (dropping every 80 and 90 would give 80). Of the equal 80s
		// the lowest expert id (1) is named as dropped, of the 90s the
		// highest (5).
		{"ties n=5", []float64{80, 80, 80, 90, 90}, TrimmedMean, "83.33", []int64{1, 5}},
		// n = 7: 70, 70, 85, 85, 85, 90, 90 → drop a 70 and a 90: 70 + 85 +
		// 85 + 85 + 90 = 415, / 5 = 83.00.
		{"ties n=7", []float64{90, 70, 85, 70, 85, 90, 85}, TrimmedMean, "83.00", []int64{2, 6}},
		// All equal: 75.
		{"all equal", []float64{75, 75, 75, 75, 75}, TrimmedMean, "75.00", []int64{1, 5}},
		// The empty method is the trimmed mean.
		{"default method", []float64{85.5, 78, 91.5, 82, 80.5}, "", "82.67", []int64{2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{ID: 1, Technical: spreadAll(r, tc.totals...)}
			res, err := Official(p, Rubrics{Technical: r}, Settings{Method: tc.method})
			if err != nil {
				t.Fatal(err)
			}
			if got := scoreText(res.Technical.Score); got != tc.want {
				t.Errorf("score = %s, want %s", got, tc.want)
			}
			if diff := cmp.Diff(tc.dropped, res.Technical.Dropped); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
			for i, st := range res.Technical.Totals {
				if st.Total != pts(tc.totals[i]) || st.Expert != int64(i+1) {
					t.Errorf("totals[%d] = %+v, want expert %d total %v", i, st, i+1, tc.totals[i])
				}
			}
		})
	}
}

// TestWorkedExample is evaluation/README.md §3.11 step by step.
func TestWorkedExample(t *testing.T) {
	tech, fin := defaultRubrics(t)
	p := &Project{ID: 7, Class: "applied_technology",
		Technical: []Sheet{
			techSheet(1, 17.5, 24.5, 22, 8.5, 13),
			techSheet(2, 16, 20, 18, 9, 15),
			techSheet(3, 20, 24, 23, 10, 14.5),
			techSheet(4, 15, 21, 22, 9, 15, "V5"),
			techSheet(5, 14.5, 22, 21, 8, 15),
		},
		// F1–F4 16, 18, 20, 22 = 76, pass.
		Finance: []FinanceSheet{{Sheet: Sheet{Expert: 9, Scores: map[string]rubrics.Points{
			"F1": pts(16), "F2": pts(18), "F3": pts(20), "F4": pts(22)}}, Pass: true}},
	}
	res, err := Official(p, Rubrics{Technical: tech, Finance: fin}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	// Step 2–4: 82.67, good. Step 5: A1 mean (17.5 + 16 + 20 + 15 + 14.5)
	// / 5 = 83 / 5 = 16.60 ≥ 15 although expert 5 gave 14.5. The other
	// means: A2 111.5 / 5 = 22.30, A3 106 / 5 = 21.20, A4 44.5 / 5 = 8.90,
	// A5 72.5 / 5 = 14.50. Step 6: finance 76.00, 1 of 1 says pass. Step 7:
	// V5 1 of 5, not held. Step 8: range 13.5, median 82, farthest 91.5 −
	// 82 = 9.5: not divergent. Step 9: pass, no reason.
	want := Result{
		Project: 7, Class: "applied_technology",
		Technical: TechnicalResult{
			Sheets: 5, Method: TrimmedMean,
			Totals:  []SheetTotal{{1, pts(85.5)}, {2, pts(78)}, {3, pts(91.5)}, {4, pts(82)}, {5, pts(80.5)}},
			Dropped: []int64{2, 3}, Score: sc("82.67"), Grade: rubrics.Good, PassLine: 6000,
			Indicators: []IndicatorMean{
				{Code: "A1", Mean: 1660, Threshold: sc("15"), Met: new(true)},
				{Code: "A2", Mean: 2230}, {Code: "A3", Mean: 2120}, {Code: "A4", Mean: 890}, {Code: "A5", Mean: 1450},
			},
		},
		Finance: FinanceResult{Sheets: 1, Totals: []SheetTotal{{9, pts(76)}}, Score: sc("76"), PassLine: 6000,
			Votes: 1, ScoreOK: true, VoteOK: true, Passed: new(true)},
		Vetoes: []VetoResult{{Track: TrackTechnical, Veto: "V5", Flags: 1, Sheets: 5}},
		Divergence: Divergence{Range: pts(13.5), Median: 8200, MaxDistance: 950,
			RangeLimit: pts(20), DistanceLimit: pts(15)},
		Proposal: Pass,
		Reasons:  []Reason{},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(res.Technical.Score)
	if err != nil || string(b) != "82.67" {
		t.Errorf("JSON score = %s, %v, want 82.67", b, err)
	}
}

// TestPassRule covers the thresholds, the pass line, the finance track and
// the vetoes, each with the proposal and the reasons it gives.
func TestPassRule(t *testing.T) {
	tech, fin := defaultRubrics(t)
	five := func(totals ...float64) []Sheet { return spreadAll(tech, totals...) }
	good := five(80, 82, 84, 86, 88) // trimmed (82 + 84 + 86) / 3 = 84.00
	finPass := []FinanceSheet{finSheet(t, 9, 76, true)}
	flag := func(sheets []Sheet, code string, experts ...int64) []Sheet {
		out := make([]Sheet, len(sheets))
		copy(out, sheets)
		for _, e := range experts {
			out[e-1].Vetoes = append(append([]string(nil), out[e-1].Vetoes...), code)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		technical []Sheet
		finance   []FinanceSheet
		confirmed []Confirmation
		want      Conclusion
		reasons   []Reason
	}{
		{name: "all clear", technical: good, finance: finPass, want: Pass, reasons: []Reason{}},
		// Exactly on the pass line: 60 × 5 → 60.00 ≥ 60, and A1 = 15 on every
		// sheet, exactly its threshold: passes (grade "pass").
		{name: "on the pass line", technical: five(60, 60, 60, 60, 60), finance: finPass, want: Pass, reasons: []Reason{}},
		// Just below: sorted 59.5, 59.5, 60, 60, 60.5 → (59.5 + 60 + 60) / 3 =
		// 179.5 / 3 = 59.833… → 59.83 < 60 (grade "fail"). A1 (spread:
		// 16.5, 15, 15, 15.5, 16.5) meets its threshold.
		{name: "below the pass line", technical: five(59.5, 60, 60, 60.5, 59.5), finance: finPass, want: Fail, reasons: []Reason{
			{Code: BelowPassLine, Track: TrackTechnical, Value: sc("59.83"), Limit: sc("60")},
		}},
		// Threshold met on the mean: A1 15, 15, 15, 14.5, 15.5 = 75 / 5 =
		// 15.00 ≥ 15, although one sheet is below.
		{name: "threshold met on the mean", technical: []Sheet{
			techSheet(1, 15, 20, 20, 8, 12), techSheet(2, 15, 20, 20, 8, 12), techSheet(3, 15, 20, 20, 8, 12),
			techSheet(4, 14.5, 20, 20, 8, 12), techSheet(5, 15.5, 20, 20, 8, 12),
		}, finance: finPass, want: Pass, reasons: []Reason{}},
		// Threshold missed: A1 14, 15, 16, 14, 15 = 74 / 5 = 14.80 < 15, with
		// totals 14 + 70 = 84, 85, 86, 84, 85 → trimmed (84 + 85 + 85) / 3 = 84.67.
		{name: "threshold missed", technical: []Sheet{
			techSheet(1, 14, 24, 24, 10, 12), techSheet(2, 15, 24, 24, 10, 12), techSheet(3, 16, 24, 24, 10, 12),
			techSheet(4, 14, 24, 24, 10, 12), techSheet(5, 15, 24, 24, 10, 12),
		}, finance: finPass, want: Fail, reasons: []Reason{
			{Code: ThresholdMissed, Track: TrackTechnical, Indicator: "A1", Value: sc("14.80"), Limit: sc("15")},
		}},
		// Finance on the mean: 55 and 64, both pass: 119 / 2 = 59.50 < 60.
		{name: "finance fails on the mean", technical: good, finance: []FinanceSheet{
			finSheet(t, 8, 55, true), finSheet(t, 9, 64, true),
		}, want: Fail, reasons: []Reason{
			{Code: FinanceBelowPassLine, Track: TrackFinance, Value: sc("59.50"), Limit: sc("60")},
		}},
		// One finance expert decides: 59.5 and pass fails on the mean.
		{name: "one finance expert below the line", technical: good, finance: []FinanceSheet{finSheet(t, 9, 59.5, true)},
			want: Fail, reasons: []Reason{
				{Code: FinanceBelowPassLine, Track: TrackFinance, Value: sc("59.50"), Limit: sc("60")},
			}},
		// On the vote: 70 pass, 72 fail, 68 fail: mean 70.00 ≥ 60, but 1 of 3.
		{name: "finance fails on the vote", technical: good, finance: []FinanceSheet{
			finSheet(t, 7, 70, true), finSheet(t, 8, 72, false), finSheet(t, 9, 68, false),
		}, want: Fail, reasons: []Reason{{Code: FinanceVoteFailed, Track: TrackFinance, Count: 1, Of: 3}}},
		// A tie: 70 pass, 80 fail: mean 75, 1 of 2 is not more than half.
		{name: "finance tie fails", technical: good, finance: []FinanceSheet{
			finSheet(t, 8, 70, true), finSheet(t, 9, 80, false),
		}, want: Fail, reasons: []Reason{{Code: FinanceVoteFailed, Track: TrackFinance, Count: 1, Of: 2}}},
		// One finance expert who says fail decides, whatever the score.
		{name: "one finance expert says fail", technical: good, finance: []FinanceSheet{finSheet(t, 9, 90, false)},
			want: Fail, reasons: []Reason{{Code: FinanceVoteFailed, Track: TrackFinance, Count: 0, Of: 1}}},
		// 2 of 3 pass, mean 70: passes.
		{name: "finance majority passes", technical: good, finance: []FinanceSheet{
			finSheet(t, 7, 70, true), finSheet(t, 8, 72, true), finSheet(t, 9, 68, false),
		}, want: Pass, reasons: []Reason{}},
		// No finance sheet: the track has no result, nothing is proposed.
		{name: "no finance sheet", technical: good, want: None, reasons: []Reason{
			{Code: NoFinanceSheet, Track: TrackFinance},
		}},
		// Two technical sheets: no score, nothing proposed; the finance track
		// is still judged.
		{name: "too few sheets", technical: five(80, 85)[:2], finance: []FinanceSheet{finSheet(t, 9, 90, false)}, want: None, reasons: []Reason{
			{Code: TooFewSheets, Track: TrackTechnical, Count: 2, Of: 3},
			{Code: FinanceVoteFailed, Track: TrackFinance, Count: 0, Of: 1},
		}},
		// V1 flagged on 3 of 5 sheets: 2 × 3 > 5, held.
		{name: "veto held by majority", technical: flag(good, "V1", 1, 2, 4), finance: finPass, want: Fail, reasons: []Reason{
			{Code: VetoHeld, Track: TrackTechnical, Veto: "V1", Count: 3, Of: 5},
		}},
		// V2 on 2 of 4 sheets: 2 × 2 > 4 is false, not held (mean (80 + 82
		// + 84 + 86) / 4 = 83.00).
		{name: "veto on exactly half not held", technical: flag(good[:4], "V2", 1, 3), finance: finPass, want: Pass, reasons: []Reason{}},
		// V4 flagged by no one, confirmed by staff: held.
		{name: "veto confirmed by staff", technical: good, finance: finPass,
			confirmed: []Confirmation{{Track: TrackTechnical, Veto: "V4", Reason: "misconduct finding of 2025-03"}},
			want:      Fail, reasons: []Reason{{Code: VetoHeld, Track: TrackTechnical, Veto: "V4", Count: 0, Of: 5, Confirmed: true}}},
		// V3 on 2 of 5 technical sheets (not held) and on the one finance
		// sheet (held): the tracks are counted apart.
		{name: "finance veto counted apart", technical: flag(good, "V3", 1, 2), finance: []FinanceSheet{finSheet(t, 9, 76, true, "V3")},
			want: Fail, reasons: []Reason{{Code: VetoHeld, Track: TrackFinance, Veto: "V3", Count: 1, Of: 1}}},
		// Everything at once, in the documented order.
		{name: "every reason", technical: flag([]Sheet{
			techSheet(1, 10, 15, 15, 5, 10), techSheet(2, 12, 15, 15, 5, 10), techSheet(3, 14, 15, 15, 5, 10),
		}, "V5", 1, 2), finance: []FinanceSheet{finSheet(t, 8, 50, false), finSheet(t, 9, 60, true)},
			confirmed: []Confirmation{{Track: TrackFinance, Veto: "V1", Reason: "forged invoices"}},
			// Totals 55, 57, 59 → 171 / 3 = 57.00; A1 36 / 3 = 12.00;
			// finance 110 / 2 = 55.00, 1 of 2; V5 2 of 3; V1 confirmed.
			want: Fail, reasons: []Reason{
				{Code: BelowPassLine, Track: TrackTechnical, Value: sc("57"), Limit: sc("60")},
				{Code: ThresholdMissed, Track: TrackTechnical, Indicator: "A1", Value: sc("12"), Limit: sc("15")},
				{Code: FinanceBelowPassLine, Track: TrackFinance, Value: sc("55"), Limit: sc("60")},
				{Code: FinanceVoteFailed, Track: TrackFinance, Count: 1, Of: 2},
				{Code: VetoHeld, Track: TrackTechnical, Veto: "V5", Count: 2, Of: 3},
				{Code: VetoHeld, Track: TrackFinance, Veto: "V1", Count: 0, Of: 2, Confirmed: true},
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Project{ID: 1, Technical: tc.technical, Finance: tc.finance, Confirmed: tc.confirmed}
			res, err := Official(p, Rubrics{Technical: tech, Finance: fin}, Settings{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Proposal != tc.want {
				t.Errorf("proposal = %s, want %s", res.Proposal, tc.want)
			}
			if diff := cmp.Diff(tc.reasons, res.Reasons); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVetoResults checks the veto items listed, held or not.
func TestVetoResults(t *testing.T) {
	tech, fin := defaultRubrics(t)
	sheets := spreadAll(tech, 80, 82, 84, 86)
	sheets[0].Vetoes = []string{"V2", "V1"}
	sheets[2].Vetoes = []string{"V2"}
	p := &Project{ID: 1, Technical: sheets, Finance: []FinanceSheet{finSheet(t, 9, 70, true)},
		Confirmed: []Confirmation{{Track: TrackTechnical, Veto: "V1", Reason: "  audit report  "}}}
	res, err := Official(p, Rubrics{Technical: tech, Finance: fin}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	// V1: 1 flag of 4, confirmed → held; V2: 2 of 4, exactly half → not
	// held; V3–V5 and the finance items: not flagged, not listed.
	want := []VetoResult{
		{Track: TrackTechnical, Veto: "V1", Flags: 1, Sheets: 4, Confirmed: true, Reason: "audit report", Held: true},
		{Track: TrackTechnical, Veto: "V2", Flags: 2, Sheets: 4},
	}
	if diff := cmp.Diff(want, res.Vetoes); diff != "" {
		t.Errorf("vetoes (-want +got):\n%s", diff)
	}
}

// TestDivergence checks each rule alone, both, neither, and the limits
// themselves (strictly greater is divergent).
func TestDivergence(t *testing.T) {
	r := testRubric(t)
	for _, tc := range []struct {
		name                  string
		totals                []float64
		settings              Settings
		rng, median, distance string
		rangeEx, distEx       bool
	}{
		// Range 90.5 − 70 = 20.5 > 20; median 80, farthest 10.5: range only.
		{"range alone", []float64{70, 80, 80, 80, 90.5}, Settings{}, "20.5", "80.00", "10.50", true, false},
		// Range 84 − 64.5 = 19.5; 80 − 64.5 = 15.5 > 15: distance only.
		{"distance alone", []float64{64.5, 80, 80, 80, 84}, Settings{}, "19.5", "80.00", "15.50", false, true},
		// 80 − 65 = 15, exactly the limit: not divergent (range 19).
		{"exactly 15 from the median", []float64{65, 80, 80, 80, 84}, Settings{}, "19", "80.00", "15.00", false, false},
		// Range exactly 20: not divergent (median 80, farthest 10).
		{"range exactly 20", []float64{70, 75, 80, 85, 90}, Settings{}, "20", "80.00", "10.00", false, false},
		// Both: range 35, 95 − 80 = 15 and 80 − 60 = 20.
		{"both", []float64{60, 80, 80, 80, 95}, Settings{}, "35", "80.00", "20.00", true, true},
		// Even n: median (75 + 76) / 2 = 75.5; 75.5 − 60 = 15.5 > 15; range 20.
		{"even n distance", []float64{60, 75, 76, 80}, Settings{}, "20", "75.50", "15.50", false, true},
		// A median on a quarter: (81 + 82.5) / 2 = 81.75; 81.75 − 66.5 = 15.25.
		{"quarter median", []float64{66.5, 81, 82.5, 84}, Settings{}, "17.5", "81.75", "15.25", false, true},
		// The campaign's own limits, 10 and 5, on §3.11: range 13.5 > 10,
		// 91.5 − 82 = 9.5 > 5.
		{"campaign limits", []float64{85.5, 78, 91.5, 82, 80.5}, Settings{RangeLimit: pts(10), DistanceLimit: pts(5)}, "13.5", "82.00", "9.50", true, true},
		// The same sheets under the defaults: neither.
		{"default limits", []float64{85.5, 78, 91.5, 82, 80.5}, Settings{}, "13.5", "82.00", "9.50", false, false},
		// Two sheets still get the flags: range 25, median 72.5, 12.5.
		{"two sheets", []float64{60, 85}, Settings{}, "25", "72.50", "12.50", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Official(&Project{ID: 1, Technical: spreadAll(r, tc.totals...)}, Rubrics{Technical: r}, tc.settings)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Divergence
			got := []string{d.Range.String(), d.Median.String(), d.MaxDistance.String()}
			if diff := cmp.Diff([]string{tc.rng, tc.median, tc.distance}, got); diff != "" {
				t.Errorf("range, median, distance (-want +got):\n%s", diff)
			}
			if d.RangeExceeded != tc.rangeEx || d.DistanceExceeded != tc.distEx || d.Divergent != (tc.rangeEx || tc.distEx) {
				t.Errorf("range exceeded %v, distance exceeded %v, divergent %v; want %v, %v, %v",
					d.RangeExceeded, d.DistanceExceeded, d.Divergent, tc.rangeEx, tc.distEx, tc.rangeEx || tc.distEx)
			}
		})
	}
}

// TestThresholdOnRoundedMean shows that the threshold is judged on the
// rounded mean, as the grade and the pass line are: with 200 sheets, A1
// adding up to 15 × 200 − 0.5 = 2999.5 has the mean 14.9975, which rounds
// to 15.00 and so meets the threshold 15. (Below 101 sheets a mean cannot
// fall within 0.005 under a half-point, and rounded and exact agree.)
func TestThresholdOnRoundedMean(t *testing.T) {
	r := testRubric(t)
	var sheets []Sheet
	for i := range 200 {
		a1 := 15.0
		if i == 0 {
			a1 = 14.5
		}
		sheets = append(sheets, techSheet(int64(i+1), a1, 20, 20, 8, 12))
	}
	res, err := Official(&Project{ID: 1, Technical: sheets}, Rubrics{Technical: r}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	a1 := res.Technical.Indicators[0]
	if a1.Mean.String() != "15.00" || a1.Met == nil || !*a1.Met {
		t.Errorf("A1 mean %s met %v, want 15.00 met", a1.Mean, a1.Met)
	}
}

func TestOfficialRefuses(t *testing.T) {
	tech, fin := defaultRubrics(t)
	ok := func() *Project {
		return &Project{ID: 1, Technical: spreadAll(tech, 80, 82, 84), Finance: []FinanceSheet{finSheet(t, 9, 70, true)}}
	}
	for _, tc := range []struct {
		name     string
		change   func(p *Project, s *Settings, r *Rubrics)
		contains string
	}{
		{"unknown method", func(p *Project, s *Settings, r *Rubrics) { s.Method = "mode" }, "unknown method"},
		{"negative limit", func(p *Project, s *Settings, r *Rubrics) { s.RangeLimit = -1 }, "negative"},
		{"no technical rubric", func(p *Project, s *Settings, r *Rubrics) { r.Technical = nil }, "no technical rubric"},
		{"finance sheets without rubric", func(p *Project, s *Settings, r *Rubrics) { r.Finance = nil }, "without a finance rubric"},
		{"missing score", func(p *Project, s *Settings, r *Rubrics) { delete(p.Technical[1].Scores, "A3") }, "no score for A3"},
		{"score above max", func(p *Project, s *Settings, r *Rubrics) { p.Technical[0].Scores["A4"] = pts(10.5) }, "out of range"},
		{"negative score", func(p *Project, s *Settings, r *Rubrics) { p.Finance[0].Scores["F1"] = -1 }, "out of range"},
		{"unknown indicator", func(p *Project, s *Settings, r *Rubrics) { p.Technical[2].Scores["A9"] = 0 }, "unknown indicator A9"},
		{"expert twice", func(p *Project, s *Settings, r *Rubrics) { p.Technical[2].Expert = 1 }, "two technical sheets of expert 1"},
		{"unknown veto", func(p *Project, s *Settings, r *Rubrics) { p.Finance[0].Vetoes = []string{"V2"} }, "unknown veto item V2"},
		{"veto twice", func(p *Project, s *Settings, r *Rubrics) { p.Technical[0].Vetoes = []string{"V1", "V1"} }, "flagged twice"},
		{"confirmation without reason", func(p *Project, s *Settings, r *Rubrics) {
			p.Confirmed = []Confirmation{{Track: TrackTechnical, Veto: "V1", Reason: " "}}
		}, "without a reason"},
		{"confirmation of unknown item", func(p *Project, s *Settings, r *Rubrics) {
			p.Confirmed = []Confirmation{{Track: TrackFinance, Veto: "V5", Reason: "x"}}
		}, "unknown finance veto item V5"},
		{"confirmation on no track", func(p *Project, s *Settings, r *Rubrics) {
			p.Confirmed = []Confirmation{{Track: "legal", Veto: "V1", Reason: "x"}}
		}, "unknown track"},
		{"confirmed twice", func(p *Project, s *Settings, r *Rubrics) {
			p.Confirmed = []Confirmation{{Track: TrackTechnical, Veto: "V1", Reason: "x"}, {Track: TrackTechnical, Veto: "V1", Reason: "y"}}
		}, "confirmed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s, r := ok(), Settings{}, Rubrics{Technical: tech, Finance: fin}
			if _, err := Official(p, r, s); err != nil {
				t.Fatalf("before the change: %v", err)
			}
			tc.change(p, &s, &r)
			_, err := Official(p, r, s)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("err = %v, want ErrInvalid containing %q", err, tc.contains)
			}
		})
	}
}

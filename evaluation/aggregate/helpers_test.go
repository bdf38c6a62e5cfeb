package aggregate

import (
	"testing"

	"github.com/evalpanel/evalpanel/rubrics"
)

// defaultRubrics returns the default APPLIED_TECH rubric (A1 25 with
// threshold 15, A2 25, A3 25, A4 10, A5 15; vetoes V1–V5; pass line 60)
// and the FINANCE rubric (F1 20, F2 25, F3 25, F4 30; vetoes V1, V3; pass
// line 60).
func defaultRubrics(t testing.TB) (tech, fin *rubrics.Rubric) {
	t.Helper()
	rs, err := rubrics.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		switch r.Target {
		case rubrics.AppliedTechnology:
			tech = r
		case rubrics.Finance:
			fin = r
		}
	}
	return tech, fin
}

func testRubric(t testing.TB) *rubrics.Rubric {
	t.Helper()
	tech, _ := defaultRubrics(t)
	return tech
}

// pts converts a literal number of points, which must be a multiple of 0.5.
func pts(f float64) rubrics.Points {
	p, ok := rubrics.FromFloat(f)
	if !ok {
		panic("not a half-point")
	}
	return p
}

// spread returns a sheet of the rubric whose scores add up to total:
// each indicator gets its share of total in proportion to its maximum,
// rounded down to a half-point, and what is left goes to the indicators in
// order, up to their maxima. At 60 the default APPLIED_TECH sheet is
// 15, 15, 15, 6, 9 (A1 exactly on its threshold).
func spread(r *rubrics.Rubric, expert int64, total float64, vetoes ...string) Sheet {
	want := pts(total)
	sh := Sheet{Expert: expert, Scores: map[string]rubrics.Points{}, Vetoes: vetoes}
	var got rubrics.Points
	for _, in := range r.Indicators {
		s := want * in.Max / r.Total()
		sh.Scores[in.Code] = s
		got += s
	}
	for _, in := range r.Indicators {
		add := min(want-got, in.Max-sh.Scores[in.Code])
		sh.Scores[in.Code] += add
		got += add
	}
	if got != want {
		panic("total out of range")
	}
	return sh
}

// techSheet returns an APPLIED_TECH sheet with the scores of A1 … A5.
func techSheet(expert int64, a1, a2, a3, a4, a5 float64, vetoes ...string) Sheet {
	return Sheet{Expert: expert, Vetoes: vetoes, Scores: map[string]rubrics.Points{
		"A1": pts(a1), "A2": pts(a2), "A3": pts(a3), "A4": pts(a4), "A5": pts(a5),
	}}
}

// finSheet returns a FINANCE sheet with the total and verdict.
func finSheet(t testing.TB, expert int64, total float64, pass bool, vetoes ...string) FinanceSheet {
	_, fin := defaultRubrics(t)
	return FinanceSheet{Sheet: spread(fin, expert, total, vetoes...), Pass: pass}
}

// spreadAll returns sheets of experts 1, 2, … with the totals.
func spreadAll(r *rubrics.Rubric, totals ...float64) []Sheet {
	out := make([]Sheet, len(totals))
	for i, tot := range totals {
		out[i] = spread(r, int64(i+1), tot)
	}
	return out
}

// scoreText is a score pointer as text, "none" for nil.
func scoreText(s *Score) string {
	if s == nil {
		return "none"
	}
	return s.String()
}

func sc(s string) *Score {
	var v Score
	if err := v.UnmarshalJSON([]byte(s)); err != nil {
		panic(err)
	}
	return &v
}

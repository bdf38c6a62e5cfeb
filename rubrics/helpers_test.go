package rubrics

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// pts converts a literal number of points for test tables; it panics on a
// number that is not a multiple of 0.5, which is a mistake in the test.
func pts(f float64) Points {
	p, ok := FromFloat(f)
	if !ok {
		panic(fmt.Sprintf("pts(%v): not a multiple of 0.5", f))
	}
	return p
}

// ptr returns a pointer to p, for thresholds.
func ptr(p Points) *Points { return &p }

// levelsFor returns four levels that tile 0..max with boundaries at 60%,
// 80% and 90% of max (rounded up to the half point), as the defaults do.
func levelsFor(max Points) []Level {
	at := func(pct Points) Points { return (max*pct + 9) / 10 } // ceil(max·pct/10) in half-points
	b60, b80, b90 := at(6), at(8), at(9)
	return []Level{
		{Min: 0, Max: b60 - Half, Text: Text{ZH: "差", EN: "Poor"}},
		{Min: b60, Max: b80 - Half, Text: Text{ZH: "中", EN: "Fair"}},
		{Min: b80, Max: b90 - Half, Text: Text{ZH: "良", EN: "Good"}},
		{Min: b90, Max: max, Text: Text{ZH: "优", EN: "Excellent"}},
	}
}

// indicator returns a valid indicator with levels from levelsFor.
func indicator(code string, max Points) Indicator {
	return Indicator{
		Code:     code,
		Name:     Text{ZH: "指标" + code, EN: "Indicator " + code},
		Kind:     KindOther,
		Max:      max,
		Guidance: Text{ZH: "评分说明", EN: "How to score"},
		Levels:   levelsFor(max),
	}
}

// standardBands are the default grade bands (evaluation/README.md §3.8).
func standardBands() []Band {
	return []Band{
		{Grade: Excellent, Min: Pts(90), Name: Text{ZH: "优秀", EN: "Excellent"}},
		{Grade: Good, Min: Pts(80), Name: Text{ZH: "良好", EN: "Good"}},
		{Grade: Pass, Min: Pts(60), Name: Text{ZH: "合格", EN: "Pass"}},
		{Grade: Fail, Min: 0, Name: Text{ZH: "不合格", EN: "Fail"}},
	}
}

// testRubric is a valid rubric shaped like the applied-technology default:
// A1..A5 with maxima 25, 25, 25, 10, 15, a threshold of 15 on A1, vetoes
// V1 and V2, the standard bands and a pass line of 60.
func testRubric() *Rubric {
	r := &Rubric{
		Code:     "TEST",
		Target:   AppliedTechnology,
		Version:  1,
		Name:     Text{ZH: "测试指标体系", EN: "Test rubric"},
		Guidance: Text{ZH: "测试用", EN: "For tests"},
		Indicators: []Indicator{
			indicator("A1", Pts(25)),
			indicator("A2", Pts(25)),
			indicator("A3", Pts(25)),
			indicator("A4", Pts(10)),
			indicator("A5", Pts(15)),
		},
		Vetoes: []Veto{
			{Code: "V1", Text: Text{ZH: "弄虚作假", EN: "Falsified materials"}},
			{Code: "V2", Text: Text{ZH: "擅自调整", EN: "Unauthorised change"}},
		},
		Bands:    standardBands(),
		PassLine: Pts(60),
	}
	r.Indicators[0].Kind = KindObjectives
	r.Indicators[0].Threshold = ptr(Pts(15))
	return r
}

// minimalRubric is the smallest valid rubric: one indicator of 100 points
// with three levels and no guidance, one veto, two bands.
func minimalRubric() *Rubric {
	return &Rubric{
		Code:   "MIN",
		Target: Finance,
		Name:   Text{ZH: "最小", EN: "Minimal"},
		Indicators: []Indicator{{
			Code: "X",
			Name: Text{ZH: "唯一指标", EN: "Only indicator"},
			Kind: KindFunds,
			Max:  Pts(100),
			Levels: []Level{
				{Min: 0, Max: pts(59.5), Text: Text{ZH: "差", EN: "Poor"}},
				{Min: Pts(60), Max: pts(89.5), Text: Text{ZH: "中", EN: "Fair"}},
				{Min: Pts(90), Max: Pts(100), Text: Text{ZH: "优", EN: "Excellent"}},
			},
		}},
		Vetoes: []Veto{{Code: "V1", Text: Text{ZH: "否决", EN: "Veto"}}},
		Bands: []Band{
			{Grade: Pass, Min: Pts(60), Name: Text{ZH: "合格", EN: "Pass"}},
			{Grade: Fail, Min: 0, Name: Text{ZH: "不合格", EN: "Fail"}},
		},
		PassLine: Pts(60),
	}
}

// mustDefaults returns the default rubrics or stops the test.
func mustDefaults(t testing.TB) []*Rubric {
	t.Helper()
	rs, err := Defaults()
	if err != nil {
		t.Fatalf("Defaults() error: %v", err)
	}
	return rs
}

// defaultByCode returns the default rubric with the code or stops the test.
func defaultByCode(t testing.TB, code string) *Rubric {
	t.Helper()
	for _, r := range mustDefaults(t) {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no default rubric %q", code)
	return nil
}

// mustJSON marshals v or stops the test.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	return b
}

// validSheet scores testRubric at 80%, 80%, 80%, 80%, 80% (total 80): no
// score needs a comment, A1 is above its threshold, the opinion is given.
func validSheet() *Sheet {
	return &Sheet{
		Scores:  map[string]Points{"A1": Pts(20), "A2": Pts(20), "A3": Pts(20), "A4": Pts(8), "A5": Pts(12)},
		Opinion: "项目完成了任务书约定的主要考核指标。",
	}
}

// sheetForTotal returns a complete sheet for r whose scores add up to total,
// filling the indicators in order, with a comment on every indicator so
// that no comment is missing whatever the score.
func sheetForTotal(r *Rubric, total Points) *Sheet {
	s := &Sheet{Scores: map[string]Points{}, Comments: map[string]string{}, Opinion: "意见"}
	left := total
	for _, in := range r.Indicators {
		p := min(in.Max, left)
		s.Scores[in.Code] = p
		s.Comments[in.Code] = "理由"
		left -= p
	}
	if left != 0 {
		panic(fmt.Sprintf("sheetForTotal: %v does not fit rubric %s", total, r.Code))
	}
	return s
}

// runes returns a string of n copies of r.
func runes(r rune, n int) string { return strings.Repeat(string(r), n) }

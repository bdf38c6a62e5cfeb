package evaluation

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
)

// fuzzedSheet is a save's body as the API reads it (web's sheetRequest),
// without the version, which checkContent does not see.
type fuzzedSheet struct {
	Scores      map[string]jsontext.Value `json:"scores"`
	Comments    map[string]string         `json:"comments"`
	Opinion     string                    `json:"opinion"`
	Vetoes      []rubrics.VetoFlag        `json:"vetoes"`
	FinancePass *bool                     `json:"finance_pass"`
}

// brokenRules lists the fields of a sheet's content that break the rules
// of a sheet (evaluation/README.md §2.6), worked out here apart from
// checkContent and rubrics' check: unknown indicators and veto items; a
// score outside 0..max; on a submission, a missing score, opinion, veto
// evidence or finance verdict, and a missing comment on a score below 60%
// or above 90% of its maximum; texts beyond their limits; a veto flagged
// twice; a verdict on a technical seat.
func brokenRules(r *rubrics.Rubric, seat Seat, c SheetContent, submit bool) []string {
	broken := map[string]bool{}
	maxOf := map[string]float64{}
	for _, in := range r.Indicators {
		maxOf[in.Code] = in.Max.Float()
	}
	runes := func(s string) int { return utf8.RuneCountInString(strings.TrimSpace(s)) }
	for code := range c.Scores {
		if _, ok := maxOf[code]; !ok {
			broken["scores."+code] = true
		}
	}
	for code := range c.Comments {
		if _, ok := maxOf[code]; !ok {
			broken["comments."+code] = true
		}
	}
	for _, in := range r.Indicators {
		p, scored := c.Scores[in.Code]
		comment := runes(c.Comments[in.Code])
		score, m := p.Float(), maxOf[in.Code]
		switch {
		case !scored && submit:
			broken["scores."+in.Code] = true
		case !scored:
			if comment > rubrics.MaxCommentLen {
				broken["comments."+in.Code] = true
			}
		case score < 0 || score > m:
			broken["scores."+in.Code] = true
		case comment > rubrics.MaxCommentLen:
			broken["comments."+in.Code] = true
		case submit && comment == 0 && (10*score < 6*m || 10*score > 9*m):
			broken["comments."+in.Code] = true
		}
	}
	if opinion := runes(c.Opinion); opinion > rubrics.MaxOpinionLen || submit && opinion == 0 {
		broken["opinion"] = true
	}
	known := map[string]bool{}
	for _, v := range r.Vetoes {
		known[v.Code] = true
	}
	flagged := map[string]bool{}
	for i, v := range c.Vetoes {
		f := "vetoes." + strconv.Itoa(i)
		if !known[v.Code] || flagged[v.Code] {
			broken[f+".code"] = true
			continue
		}
		flagged[v.Code] = true
		if ev := runes(v.Evidence); ev > rubrics.MaxCommentLen || submit && ev == 0 {
			broken[f+".evidence"] = true
		}
	}
	if seat == SeatFinance && submit && c.FinancePass == nil || seat != SeatFinance && c.FinancePass != nil {
		broken["finance_pass"] = true
	}
	return slices.Sorted(maps.Keys(broken))
}

// FuzzCheckContent reads each body as a save of a sheet and checks it, as
// a draft and as a submission, on a technical and on a finance seat,
// against every default rubric (checkContent, which SaveSheet calls).
// Whatever the body: no panic; the same content checks the same twice;
// the fields refused are exactly those brokenRules finds; a submission
// accepted is a draft accepted; and an accepted sheet's scores are within
// 0..max in steps of 0.5 and, submitted, add up to its total.
func FuzzCheckContent(f *testing.F) {
	for _, body := range []string{
		// The bodies of the web tests (fullSheet, otherSheet) and the
		// rubrics' fuzz seeds, one for each default.
		`{"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":"主要指标全部完成。"},"opinion":"完成了任务书规定的主要考核指标。"}`,
		`{"scores":{"A1":13.5,"A2":23.5,"A3":17,"A4":9.5,"A5":14},"comments":{"A1":"主要指标未完成。","A2":"技术突破明显。","A4":"示范推广充分。","A5":"管理规范。"},"opinion":"秘密评语：技术突破明显。"}`,
		`{"scores":{"B1":16,"B2":24,"B3":20,"B4":8,"B5":12},"opinion":"原创性较强"}`,
		`{"scores":{"F1":18,"F2":20,"F3":20,"F4":24},"opinion":"财务评价通过","vetoes":[{"code":"V3","evidence":"挪用"}],"finance_pass":false}`,
		`{"scores":{"F1":18,"F2":20,"F3":20,"F4":24},"opinion":"财务评价通过","finance_pass":true}`,
		// Drafts and refusals.
		`{"scores":{"A1":20}}`,
		`{"comments":{"A1":"` + strings.Repeat("评", rubrics.MaxCommentLen+1) + `"}}`,
		`{"scores":{"A1":25.5,"A2":-0.5,"Z9":5},"comments":{"Z9":"x"}}`,
		`{"scores":{"A1":0,"A2":25},"comments":{"A1":"  ","A2":"\u3000"},"opinion":" "}`,
		`{"vetoes":[{"code":"V1","evidence":"x"},{"code":"V1","evidence":"y"},{"code":"V9"},{"code":"V2"}]}`,
		`{"opinion":"` + strings.Repeat("x", rubrics.MaxOpinionLen+1) + `"}`,
		`{"finance_pass":true}`,
		`{}`,
	} {
		f.Add([]byte(body))
	}
	defaults, err := rubrics.Defaults()
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, body []byte) {
		var in fuzzedSheet
		if rubrics.DecodeJSON(body, &in) != nil {
			return
		}
		scores, ps := rubrics.ParseScores(in.Scores)
		if ps != nil {
			return
		}
		content := func() SheetContent {
			return SheetContent{Sheet: rubrics.Sheet{Scores: maps.Clone(scores), Comments: in.Comments, Opinion: in.Opinion,
				Vetoes: in.Vetoes}, FinancePass: in.FinancePass}
		}
		for _, r := range defaults {
			rb := &Rubric{Code: r.Code, Version: 1, Content: r}
			for _, seat := range []Seat{SeatTechnical, SeatFinance} {
				accepted := map[bool]bool{}
				for _, submit := range []bool{false, true} {
					what := r.Code + " " + string(seat) + map[bool]string{false: " draft", true: " submission"}[submit]
					c := content()
					err := checkContent(rb, seat, &c, submit)
					again := content()
					if diff := cmp.Diff(err, checkContent(rb, seat, &again, submit)); diff != "" {
						t.Errorf("%s: checked twice with different answers (-first +second):\n%s", what, diff)
					}
					want := brokenRules(r, seat, content(), submit)
					var got []string
					if err != nil {
						e := ErrorAs(err)
						if e == nil || e.Code != Invalid || len(e.Fields) == 0 {
							t.Fatalf("%s: refused with %v, want an Invalid error naming fields", what, err)
						}
						for field, msg := range e.Fields {
							if msg == "" {
								t.Errorf("%s: field %s refused without a message", what, field)
							}
						}
						got = slices.Sorted(maps.Keys(e.Fields))
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("%s: %s\nrefused fields differ from the rules (-rules +checkContent):\n%s", what, body, diff)
					}
					accepted[submit] = err == nil
					if err == nil {
						checkAccepted(t, what, r, c, submit)
					}
				}
				if accepted[true] && !accepted[false] {
					t.Errorf("%s %s: %s is accepted as a submission but not as a draft", r.Code, seat, body)
				}
			}
		}
	})
}

// checkAccepted fails the test unless an accepted sheet's scores are
// whole or half points within 0..max of known indicators (read back from
// their decimal text, not from Points) and, on a submission, every
// indicator is scored and the total is the sum of the scores, within
// 0..the rubric's total.
func checkAccepted(t *testing.T, what string, r *rubrics.Rubric, c SheetContent, submit bool) {
	t.Helper()
	var sum float64
	for code, p := range c.Scores {
		in, ok := r.Indicator(code)
		if !ok {
			t.Errorf("%s: score of unknown indicator %s accepted", what, code)
			continue
		}
		v, err := strconv.ParseFloat(p.String(), 64)
		if err != nil {
			t.Fatalf("%s: score %s reads as %q: %v", what, code, p.String(), err)
		}
		if v < 0 || v > in.Max.Float() || v*2 != float64(int64(v*2)) {
			t.Errorf("%s: %s = %v accepted, not a step of 0.5 within 0..%v", what, code, v, in.Max)
		}
		sum += v
	}
	if !submit {
		return
	}
	if len(c.Scores) != len(r.Indicators) {
		t.Errorf("%s: %d scores submitted for %d indicators", what, len(c.Scores), len(r.Indicators))
	}
	res, ps := r.Check(&c.Sheet)
	if ps != nil {
		t.Fatalf("%s: accepted, but the rubric's check refuses it: %v", what, ps)
	}
	if res.Total.Float() != sum || sum > r.Total().Float() {
		t.Errorf("%s: total %v, want the sum of the scores %v within 0..%v", what, res.Total, sum, r.Total())
	}
}

package rubrics

// Regression tests for bugs found in review of rubric.go, points.go,
// validate.go and sheet.go, all fixed: each comment says what the bug was.

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParseRejectsTrailingDelimiter: ParseRubric and ParseSheet promise a
// strict decode, and refuse a second value after the first ("{} x"), but
// accept a stray closing bracket or brace after it, because
// json.Decoder.More reports false when the next byte is ']' or '}'.
// Fix (validate.go ParseRubric and sheet.go ParseSheet): instead of
// dec.More(), require the rest to be empty, e.g.
//
//	if _, err := dec.Token(); err != io.EOF { return nil, malformed }
func TestParseRejectsTrailingDelimiter(t *testing.T) {
	t.Parallel()
	sheet := `{"scores":{"A1":20},"opinion":"同意"}`
	rubric := string(mustJSON(t, testRubric()))
	want := Problems{{Message: "error.malformed_json"}}
	for _, suffix := range []string{"]", "}", " ]", "}}", "]garbage"} {
		t.Run("sheet"+suffix, func(t *testing.T) {
			t.Parallel()
			s, ps := ParseSheet([]byte(sheet + suffix))
			if diff := cmp.Diff(want, ps); diff != "" || s != nil {
				t.Errorf("ParseSheet(%q) = %+v, problems mismatch (-want +got):\n%s", sheet+suffix, s, diff)
			}
		})
		t.Run("rubric"+suffix, func(t *testing.T) {
			t.Parallel()
			r, ps := ParseRubric([]byte(rubric + suffix))
			if diff := cmp.Diff(want, ps); diff != "" || r != nil {
				t.Errorf("ParseRubric(valid+%q) returned a rubric: %v, problems mismatch (-want +got):\n%s", suffix, r != nil, diff)
			}
		})
	}
}

// TestParseSheetRejectsInexactDecimal: a score such as 17.50000000000000001
// is not a multiple of 0.5, but Points.UnmarshalJSON parses it into a
// float64 first, where it rounds to 17.5, and accepts it. The sheet then
// records a score the expert did not enter, and the "exact arithmetic"
// promise holds only after a silent rounding. The same applies to every
// Points in a rubric ("max": 25.0000000000000000001).
// Fix (points.go UnmarshalJSON): decide on the decimal text, not on the
// float: e.g. new(big.Rat).SetString(string(b)), then check that 2·r is an
// integer within range.
func TestParseSheetRejectsInexactDecimal(t *testing.T) {
	t.Parallel()
	for _, num := range []string{"17.50000000000000001", "2.5000000000000000000000001", "0.50000000000000000001", "24.999999999999999999"} {
		t.Run(num, func(t *testing.T) {
			t.Parallel()
			s, ps := ParseSheet([]byte(`{"scores":{"A1":` + num + `}}`))
			want := Problems{{Field: "scores.A1", Message: "rubric.score_step"}}
			if diff := cmp.Diff(want, ps); diff != "" {
				t.Errorf("ParseSheet(A1=%s) gave scores %v; problems mismatch (-want +got):\n%s", num, s.Scores, diff)
			}
		})
	}
}

// TestParseSheetOutOfRangeNumber: a score of 1e13 gets "rubric.score_step"
// ("not a multiple of 0.5", which it is) and 1e400 gets
// "rubric.score_not_number" (it is a JSON number); the expert sees a
// misleading message. Fix (points.go): return a third error, say
// ErrOutOfRange, from FromFloat's range case and from a float overflow,
// and map it to "rubric.score_range" in ParseSheet (and to a
// "rubric.points_range" in jsonProblem).
func TestParseSheetOutOfRangeNumber(t *testing.T) {
	t.Parallel()
	for _, num := range []string{"1e13", "-1e13", "1e400"} {
		t.Run(num, func(t *testing.T) {
			t.Parallel()
			_, ps := ParseSheet([]byte(`{"scores":{"A1":` + num + `}}`))
			want := Problems{{Field: "scores.A1", Message: "rubric.points_range"}}
			if diff := cmp.Diff(want, ps, cmpIgnoreArgs); diff != "" {
				t.Errorf("ParseSheet(A1=%s) problems mismatch (-want +got):\n%s", num, diff)
			}
		})
	}
}

// TestParseSheetNaNNamesScore: the doc comment of ParseSheet says NaN and
// infinities "are refused with a problem naming the score
// (\"scores.A1\")", but they are not JSON, so the decoder refuses the whole
// document with Problem{Field: "", Message: "error.malformed_json"}. They
// are refused, which is what matters; either the doc comment should say
// so, or ParseSheet should recognise the bare words NaN/Infinity in the
// scores object and name the score.
func TestParseSheetNaNNamesScore(t *testing.T) {
	t.Parallel()
	// NaN and infinities are not JSON: the body as a whole is refused (the
	// doc comment promised a problem naming the score; it now says this).
	for _, num := range []string{"NaN", "Infinity", "-Infinity"} {
		s, ps := ParseSheet([]byte(`{"scores":{"A1":` + num + `}}`))
		if s != nil || len(ps) != 1 || ps[0].Message != "error.malformed_json" {
			t.Errorf("ParseSheet(A1=%s) = %v, %v; want nil and malformed_json", num, s, ps)
		}
	}
}

// TestParseRubricPointsErrorNamesField: a JSON type error in a rubric is
// meant to name its field so the admin sees it beside the field, but
// (1) a wrong value for any Points field (max, min, threshold, pass_line)
// comes back with Field "" because Points.UnmarshalJSON returns a plain
// error that encoding/json does not annotate, and (2) fields inside arrays
// lose their index ("indicators.code", not "indicators.0.code" as Validate
// writes it). Fix: return a *json.UnmarshalTypeError from
// Points.UnmarshalJSON for wrong types (encoding/json then fills in the
// field path), and decode indicators/levels/vetoes/bands element by element
// (json.RawMessage) to add the index.
func TestParseRubricPointsErrorNamesField(t *testing.T) {
	t.Parallel()
	valid := string(mustJSON(t, testRubric()))
	tests := []struct {
		old, new  string
		wantField string
	}{
		{`"pass_line":60`, `"pass_line":"60"`, "pass_line"},
		{`"max":25`, `"max":"25"`, "indicators.0.max"},
		{`"max":25`, `"max":17.3`, "indicators.0.max"},
		{`"threshold":15`, `"threshold":true`, "indicators.0.threshold"},
		{`"code":"A2"`, `"code":2`, "indicators.1.code"},
	}
	for _, tt := range tests {
		t.Run(tt.new, func(t *testing.T) {
			t.Parallel()
			data := strings.Replace(valid, tt.old, tt.new, 1)
			if data == valid {
				t.Fatalf("%s not found in the test rubric", tt.old)
			}
			_, ps := ParseRubric([]byte(data))
			if !ps.Has(tt.wantField) {
				t.Errorf("ParseRubric(%s) problems = %v, want one naming %s", tt.new, ps, tt.wantField)
			}
		})
	}
}

// TestValidateBandGrades: checkBands checks that band minimums decrease,
// but not that the grades follow their own order, nor that the pass line
// agrees with the pass band. A rubric whose top band is "fail" (≥ 90) and
// whose bottom band is "excellent" (≥ 0) validates, and so does one whose
// pass band starts at 70 while the pass line is 60: a sheet of 65 then
// comes out Passed with grade "fail". Fix (validate.go checkBands): require
// the grades in the order excellent, good, pass, fail (skipping absent
// ones), and, when a pass band exists, its Min to equal PassLine (or the
// lowest non-fail band's Min to equal it).
func TestValidateBandGrades(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(r *Rubric)
	}{
		{"grades reversed", func(r *Rubric) {
			r.Bands[0].Grade, r.Bands[1].Grade, r.Bands[2].Grade, r.Bands[3].Grade = Fail, Pass, Good, Excellent
		}},
		{"good above excellent", func(r *Rubric) { r.Bands[0].Grade, r.Bands[1].Grade = Good, Excellent }},
		{"pass band above the pass line", func(r *Rubric) { r.Bands[2].Min = Pts(70) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testRubric()
			tt.edit(r)
			if ps := r.Validate(); len(ps) == 0 {
				t.Errorf("Validate() = nil for bands %+v, pass line %v; want a problem on bands", r.Bands, r.PassLine)
			}
		})
	}
}

// TestValidateBandNames: every text of a rubric is checked for length and
// for being given in both languages or neither, except the band names,
// which checkBands never looks at: a band name of any length, or in one
// language only, validates. Fix (validate.go checkBands): call
// checkText(ps, f+".name", b.Name, MaxNameLen, false) (or true, if the
// interface shows band names rather than translating the grade).
func TestValidateBandNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(r *Rubric)
		want Problems
	}{
		{"band name too long", func(r *Rubric) { r.Bands[0].Name.ZH = runes('优', MaxNameLen+1) },
			Problems{{Field: "bands.0.name.zh", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxNameLen}}}},
		{"band name in one language", func(r *Rubric) { r.Bands[1].Name.EN = "" },
			Problems{{Field: "bands.1.name.en", Message: "error.required"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testRubric()
			tt.edit(r)
			if diff := cmp.Diff(tt.want, r.Validate()); diff != "" {
				t.Errorf("Validate() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseSheetRejectsDuplicateKeys: encoding/json keeps the last of two
// equal keys, so {"scores":{"A1":25,"A1":0}} is stored as A1 = 0 with no
// problem; what the expert's client sent is ambiguous, and an audit log of
// the raw request disagrees with the stored sheet. Fix (sheet.go
// ParseSheet, and ParseRubric likewise): refuse duplicate object keys,
// e.g. by a token pass with json.Decoder.Token before decoding, or with
// encoding/json/jsontext, which rejects them by default.
func TestParseSheetRejectsDuplicateKeys(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		`{"scores":{"A1":25,"A1":0},"opinion":"x"}`,
		`{"scores":{"A1":25},"opinion":"通过","opinion":"不通过"}`,
	} {
		if s, ps := ParseSheet([]byte(data)); len(ps) == 0 {
			t.Errorf("ParseSheet(%s) = %+v with no problem; want duplicate keys refused", data, s)
		}
	}
}

var cmpIgnoreArgs = cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Args" }, cmp.Ignore())

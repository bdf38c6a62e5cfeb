package rubrics

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParseRubric parses arbitrary input as a rubric. It must never panic,
// and a rubric that parses without problems must be one the rest of the
// system can rely on.
func FuzzParseRubric(f *testing.F) {
	files, err := fs.Glob(defaultFiles, "defaults/*.json")
	if err != nil || len(files) == 0 {
		f.Fatalf("no default rubrics to seed with: %v", err)
	}
	for _, name := range files {
		data, err := defaultFiles.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	valid := string(mustJSON(f, testRubric()))
	for _, seed := range []string{
		valid,
		string(mustJSON(f, minimalRubric())),
		strings.Replace(valid, `"max":10`, `"max":5`, 1), // total 95
		strings.Replace(valid, `"kind":"other"`, `"kind":"award"`, 1),
		strings.Replace(valid, `"max":25`, `"max":17.3`, 1),
		strings.Replace(valid, `"min":15`, `"min":15.5`, 1), // level gap
		strings.Replace(valid, `"threshold":15`, `"threshold":null`, 1),
		valid + "]",
		``, `{}`, `null`, `[]`, `""`, `0`, `{"code":5}`, `{"indicators":[{"max":NaN}]}`,
		`{"indicators":[{"levels":[{"min":-1e400}]}]}`, `{"bands":[{"min":1e12},{"min":-1e12}]}`,
	} {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, data []byte) {
		r, ps := ParseRubric(data)
		if len(ps) > 0 {
			for _, p := range ps {
				if p.Message == "" {
					t.Errorf("problem without a message: %+v", p)
				}
			}
			if r != nil {
				// Validation is deterministic: the problems come from Validate.
				if diff := cmp.Diff(ps, r.Validate()); diff != "" {
					t.Errorf("ParseRubric problems differ from Validate (-parse +validate):\n%s", diff)
				}
			}
			return
		}
		if r == nil {
			t.Fatal("ParseRubric returned neither a rubric nor problems")
		}
		if got := r.Total(); got != Pts(100) {
			t.Errorf("valid rubric with Total() = %v, want 100", got)
		}
		if got := r.Validate(); got != nil {
			t.Errorf("valid rubric fails Validate(): %v", got)
		}

		// Re-marshalled, it parses to an equal rubric with the same hash.
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("json.Marshal(valid rubric): %v", err)
		}
		r2, ps2 := ParseRubric(b)
		if ps2 != nil {
			t.Fatalf("re-parse problems: %v\njson: %s", ps2, b)
		}
		if diff := cmp.Diff(r, r2); diff != "" {
			t.Errorf("re-parse mismatch (-first +second):\n%s", diff)
		}
		if r.Hash() != r2.Hash() {
			t.Errorf("re-parse changed the hash")
		}
		if diff := cmp.Diff(r, r.Clone()); diff != "" {
			t.Errorf("Clone() mismatch (-want +got):\n%s", diff)
		}

		// Checked independently of checkLevels: every score 0..max lies in
		// exactly one level, and no level reaches outside 0..max.
		for _, in := range r.Indicators {
			if in.Threshold != nil && (*in.Threshold < 0 || *in.Threshold > in.Max) {
				t.Errorf("%s: threshold %v outside 0..%v", in.Code, *in.Threshold, in.Max)
			}
			for _, l := range in.Levels {
				if l.Min < 0 || l.Max > in.Max || l.Min > l.Max {
					t.Errorf("%s: level %v..%v outside 0..%v", in.Code, l.Min, l.Max, in.Max)
				}
			}
			for s := Points(0); s <= in.Max; s++ {
				n := 0
				for _, l := range in.Levels {
					if l.Min <= s && s <= l.Max {
						n++
					}
				}
				if n != 1 {
					t.Errorf("%s: score %v lies in %d levels, want 1", in.Code, s, n)
				}
			}
		}
		// Every total 0..100 gets the band with the highest Min at or below it.
		for total := Points(0); total <= Pts(100); total++ {
			var want *Band
			for i := range r.Bands {
				if r.Bands[i].Min <= total && (want == nil || r.Bands[i].Min > want.Min) {
					want = &r.Bands[i]
				}
			}
			if want == nil {
				t.Fatalf("no band covers %v", total)
			}
			if got := r.Grade(total); got.Grade != want.Grade {
				t.Errorf("Grade(%v) = %q, want %q", total, got.Grade, want.Grade)
			}
		}
	})
}

// FuzzParseSheet parses arbitrary input as a score sheet and checks it
// against every default rubric and the test rubric. It must never panic,
// and a sheet that checks without problems must add up.
func FuzzParseSheet(f *testing.F) {
	for _, seed := range []string{
		// Valid for the test rubric and the applied-technology default.
		`{"scores":{"A1":17.5,"A2":24.5,"A3":22,"A4":8.5,"A5":13},"comments":{"A2":"优于约定值"},"opinion":"同意通过"}`,
		`{"scores":{"A1":14.5,"A2":25,"A3":25,"A4":10,"A5":15},"comments":{"A1":"c","A2":"c","A3":"c","A4":"c","A5":"c"},"opinion":"o","vetoes":[{"code":"V1","evidence":"e"}]}`,
		// Valid for the basic-research and finance defaults.
		`{"scores":{"B1":16,"B2":24,"B3":20,"B4":8,"B5":12},"opinion":"原创性较强"}`,
		`{"scores":{"F1":18,"F2":20,"F3":20,"F4":24},"opinion":"财务评价通过","vetoes":[{"code":"V3","evidence":"挪用"}]}`,
		// Invalid in various ways.
		`{"scores":{"A1":NaN}}`,
		`{"scores":{"A1":Infinity,"A2":-Infinity}}`,
		`{"scores":{"A1":"17.5","A2":null,"A3":true,"A4":{},"A5":[]}}`,
		`{"scores":{"A1":0.25,"A2":17.3,"A3":1e400,"A4":-1e13,"A5":-0}}`,
		`{"scores":{"A1":26,"A2":-0.5},"opinion":""}`,
		`{"scores":{"A1":15,"A2":23},"comments":{"Z":"?"},"opinion":" "}`,
		`{"vetoes":[{"code":"V1"},{"code":"V1","evidence":"x"},{"code":"V9","evidence":"y"}]}`,
		`{"scores":{"A1":25,"A1":0}}`,
		`{"scores":{}}]`,
		`{"score":{}}`, `{} {}`, ``, `null`, `[]`, `"x"`, `{"opinion":5}`,
	} {
		f.Add([]byte(seed))
	}
	rubrics := append(mustDefaults(f), testRubric())

	f.Fuzz(func(t *testing.T, data []byte) {
		s, ps := ParseSheet(data)
		if s == nil {
			if len(ps) == 0 {
				t.Fatal("ParseSheet returned neither a sheet nor problems")
			}
			return
		}
		for _, p := range ps {
			code, ok := strings.CutPrefix(p.Field, "scores.")
			if !ok {
				t.Errorf("a sheet came back with a problem not about a score: %+v", p)
			}
			if _, kept := s.Scores[code]; kept {
				t.Errorf("score %q has a problem but was kept", code)
			}
		}
		if len(ps) == 0 {
			// Re-marshalled, it parses to an equal sheet.
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatalf("json.Marshal(sheet): %v", err)
			}
			s2, ps2 := ParseSheet(b)
			if ps2 != nil {
				t.Fatalf("re-parse problems: %v\njson: %s", ps2, b)
			}
			if diff := cmp.Diff(s, s2, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("re-parse mismatch (-first +second):\n%s", diff)
			}
		}

		for _, r := range rubrics {
			res, cps := r.Check(s)
			if len(cps) > 0 {
				if diff := cmp.Diff(Result{}, res); diff != "" {
					t.Errorf("%s: Check returned problems and a result (-want +got):\n%s", r.Code, diff)
				}
				continue
			}
			checkResult(t, r, s, res)
		}
	})
}

// checkResult asserts what a sheet that checks without problems must
// satisfy, computed independently of Check.
func checkResult(t *testing.T, r *Rubric, s *Sheet, res Result) {
	t.Helper()
	var sum Points
	for code, p := range s.Scores {
		in, ok := r.Indicator(code)
		if !ok {
			t.Errorf("%s: unknown indicator %q accepted", r.Code, code)
			continue
		}
		if p < 0 || p > in.Max {
			t.Errorf("%s: %s = %v accepted outside 0..%v", r.Code, code, p, in.Max)
		}
		if CommentRequired(p, in.Max) && strings.TrimSpace(s.Comments[code]) == "" {
			t.Errorf("%s: %s = %v accepted without the required comment", r.Code, code, p)
		}
		sum += p
	}
	if len(s.Scores) != len(r.Indicators) {
		t.Errorf("%s: %d scores accepted for %d indicators", r.Code, len(s.Scores), len(r.Indicators))
	}
	if res.Total != sum {
		t.Errorf("%s: Total = %v, want the sum of the scores %v", r.Code, res.Total, sum)
	}
	if res.Total < 0 || res.Total > Pts(100) {
		t.Errorf("%s: Total = %v outside 0..100", r.Code, res.Total)
	}
	if got, want := res.Grade, r.Grade(res.Total).Grade; got != want {
		t.Errorf("%s: Grade = %q, want %q", r.Code, got, want)
	}
	var below []string
	for _, in := range r.Indicators {
		if in.Threshold != nil && s.Scores[in.Code] < *in.Threshold {
			below = append(below, in.Code)
		}
	}
	if diff := cmp.Diff(below, res.BelowThreshold); diff != "" {
		t.Errorf("%s: BelowThreshold mismatch (-want +got):\n%s", r.Code, diff)
	}
	if len(res.Vetoes) != len(s.Vetoes) {
		t.Errorf("%s: %d veto flags accepted, %d in the result", r.Code, len(s.Vetoes), len(res.Vetoes))
	}
	if want := res.Total >= r.PassLine && len(below) == 0 && len(s.Vetoes) == 0; res.Passed != want {
		t.Errorf("%s: Passed = %v, want %v", r.Code, res.Passed, want)
	}
	if strings.TrimSpace(s.Opinion) == "" {
		t.Errorf("%s: accepted without an opinion", r.Code)
	}
}

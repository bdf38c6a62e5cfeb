package rubrics

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestDefaults pins the shape of the default rubrics to evaluation/README.md
// §3.3.
func TestDefaults(t *testing.T) {
	t.Parallel()
	type indicatorShape struct {
		Code      string
		Kind      Kind
		Max       string
		Threshold string
	}
	type shape struct {
		Code       string
		Target     Target
		Version    int
		Indicators []indicatorShape
		Vetoes     []string
		Bands      []string
		PassLine   string
	}
	bands := []string{"excellent≥90", "good≥80", "pass≥60", "fail≥0"}
	allVetoes := []string{"V1", "V2", "V3", "V4", "V5"}
	want := []shape{
		{
			Code: "BASIC_RESEARCH", Target: BasicResearch, Version: 1,
			Indicators: []indicatorShape{
				{"B1", KindObjectives, "20", ""},
				{"B2", KindInnovation, "30", "18"},
				{"B3", KindValue, "25", ""},
				{"B4", KindTalent, "10", ""},
				{"B5", KindManagement, "15", ""},
			},
			Vetoes: allVetoes, Bands: bands, PassLine: "60",
		},
		{
			Code: "APPLIED_TECH", Target: AppliedTechnology, Version: 1,
			Indicators: []indicatorShape{
				{"A1", KindObjectives, "25", "15"},
				{"A2", KindInnovation, "25", ""},
				{"A3", KindImpact, "25", ""},
				{"A4", KindImpact, "10", ""},
				{"A5", KindManagement, "15", ""},
			},
			Vetoes: allVetoes, Bands: bands, PassLine: "60",
		},
		{
			Code: "FINANCE", Target: Finance, Version: 1,
			Indicators: []indicatorShape{
				{"F1", KindFunds, "20", ""},
				{"F2", KindFunds, "25", ""},
				{"F3", KindFunds, "25", ""},
				{"F4", KindFunds, "30", ""},
			},
			// Only the vetoes a finance expert can judge, under the same
			// codes as in the technical rubrics.
			Vetoes: []string{"V1", "V3"}, Bands: bands, PassLine: "60",
		},
	}

	rs := mustDefaults(t)
	var got []shape
	for _, r := range rs {
		s := shape{Code: r.Code, Target: r.Target, Version: r.Version, PassLine: r.PassLine.String()}
		for _, in := range r.Indicators {
			is := indicatorShape{Code: in.Code, Kind: in.Kind, Max: in.Max.String()}
			if in.Threshold != nil {
				is.Threshold = in.Threshold.String()
			}
			s.Indicators = append(s.Indicators, is)
		}
		for _, v := range r.Vetoes {
			s.Vetoes = append(s.Vetoes, v.Code)
		}
		for _, b := range r.Bands {
			s.Bands = append(s.Bands, string(b.Grade)+"≥"+b.Min.String())
		}
		got = append(got, s)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Defaults() shape mismatch (-want +got):\n%s", diff)
	}

	for _, r := range rs {
		t.Run(r.Code, func(t *testing.T) {
			t.Parallel()
			if ps := r.Validate(); ps != nil {
				t.Errorf("Validate() problems: %v", ps)
			}
			if got := r.Total(); got != Pts(100) {
				t.Errorf("Total() = %v, want 100", got)
			}
			bandNames := map[Grade]Text{
				Excellent: {ZH: "优秀", EN: "Excellent"},
				Good:      {ZH: "良好", EN: "Good"},
				Pass:      {ZH: "合格", EN: "Pass"},
				Fail:      {ZH: "不合格", EN: "Fail"},
			}
			for _, b := range r.Bands {
				if got, want := b.Name, bandNames[b.Grade]; got != want {
					t.Errorf("band %s name = %+v, want %+v", b.Grade, got, want)
				}
			}
		})
	}
}

// TestDefaultsFiles checks that every embedded file is a default that
// Defaults returns: a fourth file would otherwise ship unnoticed.
func TestDefaultsFiles(t *testing.T) {
	t.Parallel()
	files, err := fs.Glob(defaultFiles, "defaults/*")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(defaultFileNames(), files, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("embedded files mismatch (-Defaults reads +embedded):\n%s", diff)
	}
}

// TestDefaultsAreFreshCopies: a caller that edits a default (the admin's
// "new version from an existing one") must not change the next caller's.
func TestDefaultsAreFreshCopies(t *testing.T) {
	t.Parallel()
	first := mustDefaults(t)
	want := first[1].Clone()
	first[1].Indicators[0].Max = Pts(1)
	first[1].Indicators[0].Levels[0].Text.ZH = "改"
	*first[1].Indicators[0].Threshold = 0
	second := mustDefaults(t)
	if diff := cmp.Diff(want, second[1]); diff != "" {
		t.Errorf("Defaults() after a change to an earlier result (-want +got):\n%s", diff)
	}
}

// TestDefaultsLevels checks that the level descriptors of every default
// indicator line up with the rules experts score by: the lowest level
// starts at 0 and the levels tile 0..max (Validate checks that); one level
// starts exactly at 60% of max, where a comment stops being required, and
// the top level starts exactly at 90%, above which a comment is required
// again; and a threshold, when set, is where a level starts, so the
// descriptor tells the expert that scoring below it fails the project.
func TestDefaultsLevels(t *testing.T) {
	t.Parallel()
	for _, r := range mustDefaults(t) {
		for _, in := range r.Indicators {
			t.Run(r.Code+"/"+in.Code, func(t *testing.T) {
				t.Parallel()
				if n := len(in.Levels); n < 4 || n > 5 {
					t.Errorf("%d levels, want 4 or 5", n)
				}
				starts := map[Points]bool{}
				for _, l := range in.Levels {
					starts[l.Min] = true
				}
				at60 := in.Max * 6 / 10
				if in.Max*6%10 != 0 || !starts[at60] {
					t.Errorf("no level starts at 60%% of %v (%v); level starts: %v", in.Max, at60, levelStarts(in))
				}
				top := in.Levels[len(in.Levels)-1]
				if top.Min*10 != in.Max*9 {
					t.Errorf("top level starts at %v, want 90%% of %v", top.Min, in.Max)
				}
				if CommentRequired(top.Min, in.Max) || !CommentRequired(top.Min+Half, in.Max) {
					t.Errorf("top level start %v is not the last score without a comment", top.Min)
				}
				if CommentRequired(at60, in.Max) || !CommentRequired(at60-Half, in.Max) {
					t.Errorf("level start %v is not the first score without a comment", at60)
				}
				if in.Threshold != nil && !starts[*in.Threshold] {
					t.Errorf("threshold %v is not where a level starts; level starts: %v", *in.Threshold, levelStarts(in))
				}
				if in.Threshold != nil && *in.Threshold*10 != in.Max*6 {
					t.Errorf("threshold %v, want 60%% of %v", *in.Threshold, in.Max)
				}
			})
		}
	}
}

func levelStarts(in Indicator) []string {
	var s []string
	for _, l := range in.Levels {
		s = append(s, l.Min.String())
	}
	return s
}

// TestDefaultsThresholdsExplained: the threshold decides a project's fate,
// so the rubric guidance and the indicator guidance must state it, in both
// languages.
func TestDefaultsThresholdsExplained(t *testing.T) {
	t.Parallel()
	for _, r := range mustDefaults(t) {
		for _, in := range r.Indicators {
			if in.Threshold == nil {
				continue
			}
			th := in.Threshold.String()
			for _, tx := range []struct {
				where string
				text  Text
			}{{"rubric guidance", r.Guidance}, {in.Code + " guidance", in.Guidance}} {
				if !strings.Contains(tx.text.ZH, th+" 分") {
					t.Errorf("%s %s (zh) does not state the threshold %q", r.Code, tx.where, th+" 分")
				}
				if !strings.Contains(tx.text.EN, th+" points") && !strings.Contains(tx.text.EN, "below "+th) {
					t.Errorf("%s %s (en) does not state the threshold %s", r.Code, tx.where, th)
				}
			}
		}
	}
}

// TestDefaultsBilingual: every text in the defaults exists in both
// languages, the Chinese in Chinese and the English without Chinese
// characters or full-width punctuation.
func TestDefaultsBilingual(t *testing.T) {
	t.Parallel()
	for _, r := range mustDefaults(t) {
		texts := map[string]Text{
			"name":     r.Name,
			"guidance": r.Guidance,
		}
		for _, in := range r.Indicators {
			texts[in.Code+".name"] = in.Name
			texts[in.Code+".guidance"] = in.Guidance
			for j, l := range in.Levels {
				texts[fmt.Sprintf("%s.levels.%d", in.Code, j)] = l.Text
			}
		}
		for _, v := range r.Vetoes {
			texts["vetoes."+v.Code] = v.Text
		}
		for _, b := range r.Bands {
			texts["bands."+string(b.Grade)] = b.Name
		}
		if n := len(texts); n < 30 {
			t.Errorf("%s: only %d texts found; the walk missed some", r.Code, n)
		}
		for field, tx := range texts {
			t.Run(r.Code+"/"+field, func(t *testing.T) {
				t.Parallel()
				if strings.TrimSpace(tx.ZH) == "" {
					t.Errorf("zh text is empty")
				} else if !hasHan(tx.ZH) {
					t.Errorf("zh text has no Chinese characters: %q", tx.ZH)
				}
				if strings.TrimSpace(tx.EN) == "" {
					t.Errorf("en text is empty")
				} else if bad := firstCJK(tx.EN); bad != 0 {
					t.Errorf("en text contains %q: %q", bad, tx.EN)
				}
				for _, s := range []string{tx.ZH, tx.EN} {
					if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
						t.Errorf("stray white space in %q", s)
					}
				}
			})
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// firstCJK returns the first Chinese character or full-width punctuation
// mark in s (，。；：（）“” and the like), or 0.
func firstCJK(s string) rune {
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r),
			r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
			r >= 0xFF00 && r <= 0xFFEF, // full-width forms
			r == '“' || r == '”' || r == '‘':
			return r
		}
	}
	return 0
}

// TestDefaultsDoNotScoreCounts guards the 2021 guidance (破四唯) in the
// wording: the guidance of every default must say that titles, paper
// counts and awards are not scored, and no level descriptor may ask for a
// number of papers, patents or awards.
func TestDefaultsDoNotScoreCounts(t *testing.T) {
	t.Parallel()
	for _, r := range mustDefaults(t) {
		if r.Target == Finance {
			continue
		}
		for _, w := range []string{"头衔", "论文数量", "获得奖励"} {
			if !strings.Contains(r.Guidance.ZH, w) {
				t.Errorf("%s guidance (zh) does not mention %s", r.Code, w)
			}
		}
		for _, w := range []string{"titles", "paper counts", "awards"} {
			if !strings.Contains(r.Guidance.EN, w) {
				t.Errorf("%s guidance (en) does not mention %s", r.Code, w)
			}
		}
		for _, in := range r.Indicators {
			for _, l := range in.Levels {
				for _, w := range []string{"篇", "影响因子", "获奖", "帽子", "papers", "impact factor", "award"} {
					if strings.Contains(l.Text.ZH, w) || strings.Contains(l.Text.EN, w) {
						t.Errorf("%s %s level %v–%v mentions %q", r.Code, in.Code, l.Min, l.Max, w)
					}
				}
			}
		}
	}
}

// TestParseRubricFiles is the error path of Defaults: a default that does
// not parse or validate stops the load, naming the file and the problems.
func TestParseRubricFiles(t *testing.T) {
	t.Parallel()
	good := mustJSON(t, testRubric())
	total95 := testRubric()
	total95.Indicators[3] = indicator("A4", Pts(5))
	fsys := fstest.MapFS{
		"good.json":    {Data: good},
		"total95.json": {Data: mustJSON(t, total95)},
		"broken.json":  {Data: []byte(`{"code":`)},
	}
	tests := []struct {
		name         string
		files        []string
		wantCodes    []string
		wantErr      string   // substring of the error; "" for none
		wantProblems Problems // wrapped in the error
	}{
		{name: "all good", files: []string{"good.json", "good.json"}, wantCodes: []string{"TEST", "TEST"}},
		{name: "none", files: nil, wantCodes: []string{}},
		{name: "invalid rubric", files: []string{"good.json", "total95.json"}, wantErr: "rubric total95.json: indicators.total: rubric.total_not_100",
			wantProblems: Problems{{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "95"}}}},
		{name: "malformed JSON", files: []string{"broken.json"}, wantErr: "rubric broken.json: : error.malformed_json",
			wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "missing file", files: []string{"good.json", "absent.json"}, wantErr: "read rubric absent.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rs, err := parseRubricFiles(fsys, tt.files)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("parseRubricFiles() error: %v", err)
				}
				codes := []string{}
				for _, r := range rs {
					codes = append(codes, r.Code)
				}
				if diff := cmp.Diff(tt.wantCodes, codes); diff != "" {
					t.Errorf("codes mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("parseRubricFiles() error = %v, want one containing %q", err, tt.wantErr)
			}
			if rs != nil {
				t.Errorf("parseRubricFiles() returned %d rubrics with an error", len(rs))
			}
			var ps Problems
			if tt.wantProblems != nil && !errors.As(err, &ps) {
				t.Fatalf("error %v does not wrap Problems", err)
			}
			if diff := cmp.Diff(tt.wantProblems, ps); diff != "" {
				t.Errorf("wrapped problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

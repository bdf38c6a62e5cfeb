package rubrics

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSheet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want *Sheet // nil: the JSON itself was refused
		// wantProblems are compared exactly.
		wantProblems Problems
	}{
		{
			name: "complete sheet",
			data: `{"scores":{"A1":17.5,"A2":24.5,"A3":22,"A4":8.5,"A5":13},
				"comments":{"A2":"关键指标明显优于约定值"},
				"opinion":"同意通过",
				"vetoes":[{"code":"V1","evidence":"检测报告日期早于样机完成日期"}]}`,
			want: &Sheet{
				Scores:   map[string]Points{"A1": pts(17.5), "A2": pts(24.5), "A3": Pts(22), "A4": pts(8.5), "A5": Pts(13)},
				Comments: map[string]string{"A2": "关键指标明显优于约定值"},
				Opinion:  "同意通过",
				Vetoes:   []VetoFlag{{Code: "V1", Evidence: "检测报告日期早于样机完成日期"}},
			},
		},
		{
			name: "number forms",
			data: `{"scores":{"A1":1e1,"A2":17.50,"A3":-0.5,"A4":0,"A5":-0,"A6":2.5E0}}`,
			want: &Sheet{Scores: map[string]Points{"A1": Pts(10), "A2": pts(17.5), "A3": -Half, "A4": 0, "A5": 0, "A6": pts(2.5)}},
		},
		{name: "null document", data: `null`, want: &Sheet{Scores: map[string]Points{}}},
		{name: "empty object", data: `{}`, want: &Sheet{Scores: map[string]Points{}}},

		{name: "NaN", data: `{"scores":{"A1":NaN}}`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "Infinity", data: `{"scores":{"A1":Infinity}}`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "minus Infinity", data: `{"scores":{"A1":-Infinity}}`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "leading plus", data: `{"scores":{"A1":+1}}`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "hex number", data: `{"scores":{"A1":0x10}}`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "empty input", data: ``, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "truncated", data: `{"scores":{"A1":1`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "two documents", data: `{} {}`, wantProblems: Problems{{Message: "error.malformed_json"}}},
		{name: "unknown field", data: `{"score":{"A1":1}}`, wantProblems: Problems{{Field: "score", Message: "error.unknown_field"}}},
		{name: "opinion is a number", data: `{"opinion":5}`, wantProblems: Problems{{Field: "opinion", Message: "error.wrong_type_string"}}},
		{name: "scores is an array", data: `{"scores":[1,2]}`, wantProblems: Problems{{Field: "scores", Message: "error.wrong_type_object"}}},

		{
			name:         "score as a string",
			data:         `{"scores":{"A1":"17.5","A2":3}}`,
			want:         &Sheet{Scores: map[string]Points{"A2": Pts(3)}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_not_number"}},
		},
		{
			name:         "score null",
			data:         `{"scores":{"A1":null}}`,
			want:         &Sheet{Scores: map[string]Points{}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_not_number"}},
		},
		{
			name:         "score true",
			data:         `{"scores":{"A1":true}}`,
			want:         &Sheet{Scores: map[string]Points{}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_not_number"}},
		},
		{
			name:         "score false",
			data:         `{"scores":{"A1":false}}`,
			want:         &Sheet{Scores: map[string]Points{}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_not_number"}},
		},
		{
			name:         "score object and array",
			data:         `{"scores":{"A1":{"v":1},"A2":[1]}}`,
			want:         &Sheet{Scores: map[string]Points{}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_not_number"}, {Field: "scores.A2", Message: "rubric.score_not_number"}},
		},
		{
			name:         "score 0.25",
			data:         `{"scores":{"A1":0.25}}`,
			want:         &Sheet{Scores: map[string]Points{}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_step"}},
		},
		{
			name:         "score 17.3",
			data:         `{"scores":{"A1":17.3,"A2":17.5}}`,
			want:         &Sheet{Scores: map[string]Points{"A2": pts(17.5)}},
			wantProblems: Problems{{Field: "scores.A1", Message: "rubric.score_step"}},
		},
		{
			name: "problems sorted by code",
			data: `{"scores":{"B2":"x","A1":0.1,"B1":null,"A2":1}}`,
			want: &Sheet{Scores: map[string]Points{"A2": Pts(1)}},
			wantProblems: Problems{
				{Field: "scores.A1", Message: "rubric.score_step"},
				{Field: "scores.B1", Message: "rubric.score_not_number"},
				{Field: "scores.B2", Message: "rubric.score_not_number"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ps := ParseSheet([]byte(tt.data))
			if diff := cmp.Diff(tt.wantProblems, ps); diff != "" {
				t.Errorf("ParseSheet() problems mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSheet() sheet mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckExactTotal is the example of issue #3, sheet E1 of the worked
// example in evaluation/README.md §3.11: 17.5 + 24.5 + 22 + 8.5 + 13 is
// exactly 85.5, on the test rubric and on the applied-technology default,
// from a parsed sheet.
func TestCheckExactTotal(t *testing.T) {
	t.Parallel()
	const data = `{"scores":{"A1":17.5,"A2":24.5,"A3":22,"A4":8.5,"A5":13},
		"comments":{"A2":"主要性能指标经第三方检测达到国际先进水平"},
		"opinion":"项目完成了任务书约定的考核指标，同意通过。"}`
	for _, r := range []*Rubric{testRubric(), defaultByCode(t, "APPLIED_TECH")} {
		t.Run(r.Code, func(t *testing.T) {
			t.Parallel()
			s, ps := ParseSheet([]byte(data))
			if ps != nil {
				t.Fatalf("ParseSheet() problems: %v", ps)
			}
			got, ps := r.Check(s)
			if ps != nil {
				t.Fatalf("Check() problems: %v", ps)
			}
			want := Result{Total: 171, Grade: Good, Passed: true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Check() result mismatch (-want +got):\n%s", diff)
			}
			if got, want := got.Total.String(), "85.5"; got != want {
				t.Errorf("Total.String() = %q, want %q", got, want)
			}
			if got, want := got.Total.Float(), 85.5; got != want {
				t.Errorf("Total.Float() = %v, want exactly %v", got, want)
			}
			if got, want := string(mustJSON(t, got)), `{"total":85.5,"grade":"good","passed":true,"below_threshold":null,"vetoes":null}`; got != want {
				t.Errorf("json.Marshal(result) = %s, want %s", got, want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return runes('评', n) }
	finance := defaultByCode(t, "FINANCE")
	tests := []struct {
		name         string
		rubric       func() *Rubric // testRubric when nil
		edit         func(s *Sheet) // applied to validSheet
		want         Result
		wantProblems Problems
	}{
		{name: "valid sheet", edit: func(*Sheet) {},
			want: Result{Total: Pts(80), Grade: Good, Passed: true}},

		// Presence of indicators.
		{name: "missing indicator", edit: func(s *Sheet) { delete(s.Scores, "A3") },
			wantProblems: Problems{{Field: "scores.A3", Message: "rubric.score_missing"}}},
		{name: "unknown indicator", edit: func(s *Sheet) { s.Scores["X9"] = Pts(1) },
			wantProblems: Problems{{Field: "scores.X9", Message: "rubric.unknown_indicator"}}},
		{name: "indicator codes are case-sensitive", edit: func(s *Sheet) { s.Scores["a1"] = s.Scores["A1"]; delete(s.Scores, "A1") },
			wantProblems: Problems{{Field: "scores.a1", Message: "rubric.unknown_indicator"}, {Field: "scores.A1", Message: "rubric.score_missing"}}},
		{name: "comment for an unknown indicator", edit: func(s *Sheet) { s.Comments = map[string]string{"X9": "?"} },
			wantProblems: Problems{{Field: "comments.X9", Message: "rubric.unknown_indicator"}}},
		{name: "empty sheet", edit: func(s *Sheet) { *s = Sheet{} },
			wantProblems: Problems{
				{Field: "scores.A1", Message: "rubric.score_missing"},
				{Field: "scores.A2", Message: "rubric.score_missing"},
				{Field: "scores.A3", Message: "rubric.score_missing"},
				{Field: "scores.A4", Message: "rubric.score_missing"},
				{Field: "scores.A5", Message: "rubric.score_missing"},
				{Field: "opinion", Message: "rubric.opinion_required"},
			}},

		// Range.
		{name: "score below zero", edit: func(s *Sheet) { s.Scores["A2"] = -Half },
			wantProblems: Problems{{Field: "scores.A2", Message: "rubric.score_range", Args: map[string]any{"Max": "25"}}}},
		{name: "score above max", edit: func(s *Sheet) { s.Scores["A4"] = pts(10.5) },
			wantProblems: Problems{{Field: "scores.A4", Message: "rubric.score_range", Args: map[string]any{"Max": "10"}}}},
		{name: "score zero with a comment", edit: func(s *Sheet) { s.Scores["A2"] = 0; s.Comments = map[string]string{"A2": "无突破"} },
			want: Result{Total: Pts(60), Grade: Pass, Passed: true}},
		{name: "score at max with a comment", edit: func(s *Sheet) { s.Scores["A2"] = Pts(25); s.Comments = map[string]string{"A2": "国际领先"} },
			want: Result{Total: Pts(85), Grade: Good, Passed: true}},

		// Comments: required below 60% and above 90% of max.
		{name: "max 25: 15 needs no comment", edit: func(s *Sheet) { s.Scores["A2"] = Pts(15) },
			want: Result{Total: Pts(75), Grade: Pass, Passed: true}},
		{name: "max 25: 14.5 needs a comment", edit: func(s *Sheet) { s.Scores["A2"] = pts(14.5) },
			wantProblems: Problems{{Field: "comments.A2", Message: "rubric.comment_required"}}},
		{name: "max 25: 22.5 needs no comment", edit: func(s *Sheet) { s.Scores["A2"] = pts(22.5) },
			want: Result{Total: pts(82.5), Grade: Good, Passed: true}},
		{name: "max 25: 23 needs a comment", edit: func(s *Sheet) { s.Scores["A2"] = Pts(23) },
			wantProblems: Problems{{Field: "comments.A2", Message: "rubric.comment_required"}}},
		{name: "max 10: 6 and 9 need none", edit: func(s *Sheet) { s.Scores["A4"] = Pts(6); s.Scores["A5"] = pts(13.5) },
			want: Result{Total: pts(79.5), Grade: Pass, Passed: true}},
		{name: "max 10: 5.5 and 9.5 need one", edit: func(s *Sheet) { s.Scores["A4"] = pts(5.5); s.Scores["A5"] = Pts(14) },
			wantProblems: Problems{{Field: "comments.A4", Message: "rubric.comment_required"}, {Field: "comments.A5", Message: "rubric.comment_required"}}},
		{name: "blank comment does not count", edit: func(s *Sheet) { s.Scores["A2"] = Pts(5); s.Comments = map[string]string{"A2": " \n\t"} },
			wantProblems: Problems{{Field: "comments.A2", Message: "rubric.comment_required"}}},
		{name: "comment may be given when not required", edit: func(s *Sheet) { s.Comments = map[string]string{"A1": "符合预期"} },
			want: Result{Total: Pts(80), Grade: Good, Passed: true}},
		{name: "comment at the length limit", edit: func(s *Sheet) { s.Comments = map[string]string{"A1": long(MaxCommentLen)} },
			want: Result{Total: Pts(80), Grade: Good, Passed: true}},
		{name: "comment too long", edit: func(s *Sheet) { s.Comments = map[string]string{"A1": long(MaxCommentLen + 1)} },
			wantProblems: Problems{{Field: "comments.A1", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxCommentLen}}}},

		// Opinion.
		{name: "no opinion", edit: func(s *Sheet) { s.Opinion = "" },
			wantProblems: Problems{{Field: "opinion", Message: "rubric.opinion_required"}}},
		{name: "blank opinion", edit: func(s *Sheet) { s.Opinion = " \u3000\n" },
			wantProblems: Problems{{Field: "opinion", Message: "rubric.opinion_required"}}},
		{name: "opinion at the length limit", edit: func(s *Sheet) { s.Opinion = long(MaxOpinionLen) },
			want: Result{Total: Pts(80), Grade: Good, Passed: true}},
		{name: "opinion too long", edit: func(s *Sheet) { s.Opinion = long(MaxOpinionLen + 1) },
			wantProblems: Problems{{Field: "opinion", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxOpinionLen}}}},

		// Thresholds.
		{name: "below threshold", edit: func(s *Sheet) {
			s.Scores["A1"] = pts(14.5)
			s.Comments = map[string]string{"A1": "主要指标未完成"}
		}, want: Result{Total: pts(74.5), Grade: Pass, Passed: false, BelowThreshold: []string{"A1"}}},
		{name: "at threshold", edit: func(s *Sheet) { s.Scores["A1"] = Pts(15) },
			want: Result{Total: Pts(75), Grade: Pass, Passed: true}},
		{name: "below threshold with an excellent total", edit: func(s *Sheet) {
			s.Scores = map[string]Points{"A1": pts(14.5), "A2": Pts(25), "A3": Pts(25), "A4": Pts(10), "A5": Pts(15)}
			s.Comments = map[string]string{"A1": "c", "A2": "c", "A3": "c", "A4": "c", "A5": "c"}
		}, want: Result{Total: pts(89.5), Grade: Good, Passed: false, BelowThreshold: []string{"A1"}}},

		// Vetoes.
		{name: "veto flagged", edit: func(s *Sheet) { s.Vetoes = []VetoFlag{{Code: "V2", Evidence: "技术路线变更未报批"}} },
			want: Result{Total: Pts(80), Grade: Good, Passed: false, Vetoes: []string{"V2"}}},
		{name: "two vetoes flagged", edit: func(s *Sheet) {
			s.Vetoes = []VetoFlag{{Code: "V2", Evidence: "路线变更"}, {Code: "V1", Evidence: "数据造假"}}
		}, want: Result{Total: Pts(80), Grade: Good, Passed: false, Vetoes: []string{"V2", "V1"}}},
		{name: "unknown veto", edit: func(s *Sheet) { s.Vetoes = []VetoFlag{{Code: "V9", Evidence: "证据"}} },
			wantProblems: Problems{{Field: "vetoes.0.code", Message: "rubric.unknown_veto"}}},
		{name: "veto of another rubric", rubric: finance.Clone,
			edit: func(s *Sheet) {
				*s = *sheetForTotal(finance, Pts(70))
				s.Vetoes = []VetoFlag{{Code: "V5", Evidence: "主要指标未完成"}}
			}, wantProblems: Problems{{Field: "vetoes.0.code", Message: "rubric.unknown_veto"}}},
		{name: "veto flagged twice", edit: func(s *Sheet) {
			s.Vetoes = []VetoFlag{{Code: "V1", Evidence: "一"}, {Code: "V1", Evidence: "二"}}
		}, wantProblems: Problems{{Field: "vetoes.1.code", Message: "rubric.veto_twice"}}},
		{name: "veto without evidence", edit: func(s *Sheet) { s.Vetoes = []VetoFlag{{Code: "V1"}} },
			wantProblems: Problems{{Field: "vetoes.0.evidence", Message: "rubric.evidence_required"}}},
		{name: "veto with blank evidence", edit: func(s *Sheet) { s.Vetoes = []VetoFlag{{Code: "V2", Evidence: "V1 ok"}, {Code: "V1", Evidence: "  "}} },
			wantProblems: Problems{{Field: "vetoes.1.evidence", Message: "rubric.evidence_required"}}},
		{name: "veto evidence too long", edit: func(s *Sheet) { s.Vetoes = []VetoFlag{{Code: "V1", Evidence: long(MaxCommentLen + 1)}} },
			wantProblems: Problems{{Field: "vetoes.0.evidence", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxCommentLen}}}},

		// All problems, in order.
		{name: "several problems in order", edit: func(s *Sheet) {
			s.Scores["Z1"] = 0
			s.Scores["A2"] = Pts(26)
			s.Scores["A4"] = Pts(2)
			delete(s.Scores, "A5")
			s.Comments = map[string]string{"Q": "?"}
			s.Opinion = ""
			s.Vetoes = []VetoFlag{{Code: "V7", Evidence: "x"}, {Code: "V1"}}
		}, wantProblems: Problems{
			{Field: "scores.Z1", Message: "rubric.unknown_indicator"},
			{Field: "comments.Q", Message: "rubric.unknown_indicator"},
			{Field: "scores.A2", Message: "rubric.score_range", Args: map[string]any{"Max": "25"}},
			{Field: "comments.A4", Message: "rubric.comment_required"},
			{Field: "scores.A5", Message: "rubric.score_missing"},
			{Field: "opinion", Message: "rubric.opinion_required"},
			{Field: "vetoes.0.code", Message: "rubric.unknown_veto"},
			{Field: "vetoes.1.evidence", Message: "rubric.evidence_required"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := testRubric()
			if tt.rubric != nil {
				r = tt.rubric()
			}
			s := validSheet()
			tt.edit(s)
			got, ps := r.Check(s)
			if diff := cmp.Diff(tt.wantProblems, ps); diff != "" {
				t.Errorf("Check() problems mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check() result mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckGradeBands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		total      Points
		wantGrade  Grade
		wantPassed bool
	}{
		{0, Fail, false},
		{pts(59.5), Fail, false},
		{Pts(60), Pass, true},
		{pts(79.5), Pass, true},
		{Pts(80), Good, true},
		{pts(89.5), Good, true},
		{Pts(90), Excellent, true},
		{Pts(100), Excellent, true},
	}
	for _, r := range []*Rubric{testRubric(), defaultByCode(t, "BASIC_RESEARCH"), defaultByCode(t, "APPLIED_TECH"), defaultByCode(t, "FINANCE")} {
		for _, tt := range tests {
			t.Run(r.Code+"/"+tt.total.String(), func(t *testing.T) {
				t.Parallel()
				s := sheetForTotal(r, tt.total)
				// Keep thresholds out of the picture: they are tested on their own.
				rr := r.Clone()
				for i := range rr.Indicators {
					rr.Indicators[i].Threshold = nil
				}
				got, ps := rr.Check(s)
				if ps != nil {
					t.Fatalf("Check() problems: %v", ps)
				}
				if got.Total != tt.total {
					t.Errorf("Total = %v, want %v", got.Total, tt.total)
				}
				if got.Grade != tt.wantGrade {
					t.Errorf("Grade = %q, want %q", got.Grade, tt.wantGrade)
				}
				if got.Passed != tt.wantPassed {
					t.Errorf("Passed = %v, want %v", got.Passed, tt.wantPassed)
				}
			})
		}
	}
}

func TestCommentRequired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		score, max float64
		want       bool
	}{
		{0, 25, true}, {14.5, 25, true}, {15, 25, false}, {22.5, 25, false}, {23, 25, true}, {25, 25, true},
		{11.5, 20, true}, {12, 20, false}, {18, 20, false}, {18.5, 20, true},
		{17.5, 30, true}, {18, 30, false}, {27, 30, false}, {27.5, 30, true},
		{5.5, 10, true}, {6, 10, false}, {9, 10, false}, {9.5, 10, true},
		{8.5, 15, true}, {9, 15, false}, {13.5, 15, false}, {14, 15, true},
		// 60% of 7.5 is 4.5 and 90% is 6.75: 4.5 and 6.5 need none, 4 and 7 need one.
		{4, 7.5, true}, {4.5, 7.5, false}, {6.5, 7.5, false}, {7, 7.5, true},
	}
	for _, tt := range tests {
		if got := CommentRequired(pts(tt.score), pts(tt.max)); got != tt.want {
			t.Errorf("CommentRequired(%v, %v) = %v, want %v", tt.score, tt.max, got, tt.want)
		}
	}
}

func TestRubricGrade(t *testing.T) {
	t.Parallel()
	r := testRubric()
	tests := []struct {
		total Points
		want  Grade
	}{
		{-Half, Fail}, {0, Fail}, {pts(59.5), Fail}, {Pts(60), Pass}, {pts(79.5), Pass}, {Pts(80), Good},
		{pts(89.5), Good}, {Pts(90), Excellent}, {Pts(100), Excellent}, {Pts(150), Excellent},
	}
	for _, tt := range tests {
		if got := r.Grade(tt.total); got.Grade != tt.want {
			t.Errorf("Grade(%v) = %q, want %q", tt.total, got.Grade, tt.want)
		}
	}
	t.Run("band names come with the grade", func(t *testing.T) {
		t.Parallel()
		if got, want := r.Grade(Pts(85)).Name, (Text{ZH: "良好", EN: "Good"}); got != want {
			t.Errorf("Grade(85).Name = %+v, want %+v", got, want)
		}
	})
	t.Run("no bands", func(t *testing.T) {
		t.Parallel()
		var empty Rubric
		if got := empty.Grade(Pts(95)); got.Grade != Fail {
			t.Errorf("Grade(95) without bands = %q, want %q", got.Grade, Fail)
		}
	})
}

func TestCheckLengthIgnoresSurroundingSpace(t *testing.T) {
	t.Parallel()
	// Leading and trailing space does not count towards a length limit.
	s := validSheet()
	s.Opinion = "  " + strings.Repeat("见", MaxOpinionLen) + "  "
	if _, ps := testRubric().Check(s); ps != nil {
		t.Errorf("Check() problems for a padded opinion at the limit: %v", ps)
	}
}

package rubrics

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRubricValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base func() *Rubric // testRubric when nil
		edit func(r *Rubric)
		want Problems
	}{
		// The good path.
		{name: "test rubric is valid", edit: func(*Rubric) {}},
		{name: "minimal rubric is valid", base: minimalRubric, edit: func(*Rubric) {}},
		{name: "guidance may be empty in both languages", edit: func(r *Rubric) {
			r.Guidance = Text{}
			r.Indicators[0].Guidance = Text{ZH: " ", EN: ""}
		}},
		{name: "twenty indicators", edit: func(r *Rubric) {
			r.Indicators = nil
			for i := range MaxIndicators {
				r.Indicators = append(r.Indicators, indicator(string(rune('A'+i)), Pts(5)))
			}
		}},
		{name: "threshold at zero", edit: func(r *Rubric) { r.Indicators[0].Threshold = ptr(0) }},
		{name: "threshold at max", edit: func(r *Rubric) { r.Indicators[0].Threshold = ptr(Pts(25)) }},
		{name: "three levels", edit: func(r *Rubric) {
			ls := r.Indicators[0].Levels
			r.Indicators[0].Levels = []Level{ls[0], ls[1], {Min: ls[2].Min, Max: Pts(25), Text: ls[2].Text}}
		}},
		{name: "five levels", edit: func(r *Rubric) {
			ls := r.Indicators[0].Levels
			r.Indicators[0].Levels = []Level{
				{Min: 0, Max: pts(7), Text: ls[0].Text},
				{Min: pts(7.5), Max: ls[0].Max, Text: ls[0].Text},
				ls[1], ls[2], ls[3],
			}
		}},
		{name: "single-point level", edit: func(r *Rubric) {
			r.Indicators[0].Levels[2] = Level{Min: Pts(20), Max: Pts(20), Text: Text{ZH: "良", EN: "Good"}}
			r.Indicators[0].Levels[3].Min = pts(20.5)
		}},
		{name: "texts at their length limits", edit: func(r *Rubric) {
			r.Name.ZH = runes('评', MaxNameLen)
			r.Guidance.EN = runes('x', MaxTextLen)
			r.Indicators[1].Levels[0].Text.ZH = runes('档', MaxTextLen)
			r.Vetoes[0].Text.EN = runes('v', MaxTextLen)
		}},
		{name: "one veto", edit: func(r *Rubric) { r.Vetoes = r.Vetoes[:1] }},
		{name: "two bands", edit: func(r *Rubric) { r.Bands = []Band{r.Bands[2], r.Bands[3]} }},
		{name: "pass line 100", edit: func(r *Rubric) { r.PassLine = Pts(100); r.Bands = r.Bands[2:]; r.Bands[0].Min = Pts(100) }},
		{name: "pass line 0.5", edit: func(r *Rubric) { r.PassLine = Half; r.Bands[2].Min = Half }},

		// Codes and target.
		{name: "empty code", edit: func(r *Rubric) { r.Code = "" },
			want: Problems{{Field: "code", Message: "rubric.code_format"}}},
		{name: "lower-case code", edit: func(r *Rubric) { r.Code = "basic" },
			want: Problems{{Field: "code", Message: "rubric.code_format"}}},
		{name: "one-letter code", edit: func(r *Rubric) { r.Code = "B" },
			want: Problems{{Field: "code", Message: "rubric.code_format"}}},
		{name: "code starting with a digit", edit: func(r *Rubric) { r.Code = "1ABC" },
			want: Problems{{Field: "code", Message: "rubric.code_format"}}},
		{name: "code of 33 characters", edit: func(r *Rubric) { r.Code = "A" + strings.Repeat("B", 32) },
			want: Problems{{Field: "code", Message: "rubric.code_format"}}},
		{name: "empty target", edit: func(r *Rubric) { r.Target = "" },
			want: Problems{{Field: "target", Message: "rubric.target_invalid"}}},
		{name: "unknown target", edit: func(r *Rubric) { r.Target = "Basic_Research" },
			want: Problems{{Field: "target", Message: "rubric.target_invalid"}}},

		// Names and guidance.
		{name: "no zh name", edit: func(r *Rubric) { r.Name.ZH = "" },
			want: Problems{{Field: "name.zh", Message: "error.required"}}},
		{name: "blank en name", edit: func(r *Rubric) { r.Name.EN = " \t" },
			want: Problems{{Field: "name.en", Message: "error.required"}}},
		{name: "no name at all", edit: func(r *Rubric) { r.Name = Text{} },
			want: Problems{{Field: "name.zh", Message: "error.required"}, {Field: "name.en", Message: "error.required"}}},
		{name: "guidance in one language only", edit: func(r *Rubric) { r.Guidance.EN = "" },
			want: Problems{{Field: "guidance.en", Message: "error.required"}}},
		{name: "name too long", edit: func(r *Rubric) { r.Name.ZH = runes('评', MaxNameLen+1) },
			want: Problems{{Field: "name.zh", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxNameLen}}}},
		{name: "guidance too long", edit: func(r *Rubric) { r.Guidance.EN = runes('x', MaxTextLen+1) },
			want: Problems{{Field: "guidance.en", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxTextLen}}}},
		{name: "name not UTF-8", edit: func(r *Rubric) { r.Name.ZH = "\xff\xfe" },
			want: Problems{{Field: "name.zh", Message: "rubric.text_invalid"}}},

		// Indicators.
		{name: "no indicators", edit: func(r *Rubric) { r.Indicators = nil },
			want: Problems{{Field: "indicators", Message: "rubric.no_indicators"}}},
		{name: "twenty-one indicators", edit: func(r *Rubric) {
			r.Indicators = nil
			for i := range MaxIndicators + 1 {
				max := Pts(5)
				if i >= 19 {
					max = pts(2.5) // 19·5 + 2·2.5 = 100
				}
				r.Indicators = append(r.Indicators, indicator(string(rune('A'+i)), max))
			}
		}, want: Problems{{Field: "indicators", Message: "rubric.too_many_indicators", Args: map[string]any{"Max": MaxIndicators}}}},
		{name: "duplicate indicator code", edit: func(r *Rubric) { r.Indicators[2].Code = "A1" },
			want: Problems{{Field: "indicators.2.code", Message: "rubric.duplicate_code", Args: map[string]any{"Code": "A1", "Other": 1}}}},
		{name: "lower-case indicator code", edit: func(r *Rubric) { r.Indicators[0].Code = "a1" },
			want: Problems{{Field: "indicators.0.code", Message: "rubric.item_code_format"}}},
		{name: "empty indicator code", edit: func(r *Rubric) { r.Indicators[1].Code = "" },
			want: Problems{{Field: "indicators.1.code", Message: "rubric.item_code_format"}}},
		{name: "indicator code with a space", edit: func(r *Rubric) { r.Indicators[1].Code = "A 2" },
			want: Problems{{Field: "indicators.1.code", Message: "rubric.item_code_format"}}},
		{name: "indicator code of 17 characters", edit: func(r *Rubric) { r.Indicators[1].Code = "A" + strings.Repeat("1", 16) },
			want: Problems{{Field: "indicators.1.code", Message: "rubric.item_code_format"}}},
		{name: "indicator without en name", edit: func(r *Rubric) { r.Indicators[1].Name.EN = "" },
			want: Problems{{Field: "indicators.1.name.en", Message: "error.required"}}},
		{name: "indicator name too long", edit: func(r *Rubric) { r.Indicators[1].Name.ZH = runes('指', MaxNameLen+1) },
			want: Problems{{Field: "indicators.1.name.zh", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxNameLen}}}},
		{name: "indicator guidance in one language only", edit: func(r *Rubric) { r.Indicators[0].Guidance.ZH = "" },
			want: Problems{{Field: "indicators.0.guidance.zh", Message: "error.required"}}},
		{name: "kind title", edit: func(r *Rubric) { r.Indicators[3].Kind = KindTitle },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_forbidden", Args: map[string]any{"Kind": "title"}}}},
		{name: "kind honour", edit: func(r *Rubric) { r.Indicators[3].Kind = KindHonour },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_forbidden", Args: map[string]any{"Kind": "honour"}}}},
		{name: "kind paper count", edit: func(r *Rubric) { r.Indicators[3].Kind = KindPaperCount },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_forbidden", Args: map[string]any{"Kind": "paper_count"}}}},
		{name: "kind award", edit: func(r *Rubric) { r.Indicators[3].Kind = KindAward },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_forbidden", Args: map[string]any{"Kind": "award"}}}},
		{name: "empty kind", edit: func(r *Rubric) { r.Indicators[3].Kind = "" },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_invalid"}}},
		{name: "unknown kind", edit: func(r *Rubric) { r.Indicators[3].Kind = "citations" },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_invalid"}}},
		{name: "kind in the wrong case", edit: func(r *Rubric) { r.Indicators[3].Kind = "Title" },
			want: Problems{{Field: "indicators.3.kind", Message: "rubric.kind_invalid"}}},
		{name: "max zero", edit: func(r *Rubric) { r.Indicators[4].Max = 0 },
			want: Problems{
				{Field: "indicators.4.max", Message: "rubric.max_range"},
				{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "85"}},
			}},
		{name: "max negative", edit: func(r *Rubric) { r.Indicators[4].Max = -Pts(1) },
			want: Problems{
				{Field: "indicators.4.max", Message: "rubric.max_range"},
				{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "84"}},
			}},
		{name: "max above 100", base: minimalRubric, edit: func(r *Rubric) { r.Indicators[0].Max = pts(100.5) },
			want: Problems{
				{Field: "indicators.0.max", Message: "rubric.max_range"},
				{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "100.5"}},
			}},
		{name: "max points add up to 95", edit: func(r *Rubric) { r.Indicators[3] = indicator("A4", Pts(5)) },
			want: Problems{{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "95"}}}},
		{name: "max points add up to 100.5", edit: func(r *Rubric) { r.Indicators[3] = indicator("A4", pts(10.5)) },
			want: Problems{{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "100.5"}}}},
		{name: "threshold below zero", edit: func(r *Rubric) { r.Indicators[0].Threshold = ptr(-Half) },
			want: Problems{{Field: "indicators.0.threshold", Message: "rubric.threshold_range", Args: map[string]any{"Max": "25"}}}},
		{name: "threshold above max", edit: func(r *Rubric) { r.Indicators[0].Threshold = ptr(pts(25.5)) },
			want: Problems{{Field: "indicators.0.threshold", Message: "rubric.threshold_range", Args: map[string]any{"Max": "25"}}}},

		// Levels.
		{name: "no levels", edit: func(r *Rubric) { r.Indicators[1].Levels = nil },
			want: Problems{{Field: "indicators.1.levels", Message: "rubric.levels_count", Args: map[string]any{"Min": MinLevels, "Max": MaxLevels}}}},
		{name: "two levels", edit: func(r *Rubric) {
			r.Indicators[1].Levels = []Level{{Min: 0, Max: pts(14.5), Text: Text{ZH: "差", EN: "Poor"}}, {Min: Pts(15), Max: Pts(25), Text: Text{ZH: "好", EN: "Good"}}}
		}, want: Problems{{Field: "indicators.1.levels", Message: "rubric.levels_count", Args: map[string]any{"Min": MinLevels, "Max": MaxLevels}}}},
		{name: "six levels", edit: func(r *Rubric) {
			var ls []Level
			for i := range 6 {
				ls = append(ls, Level{Min: Pts(5 * i), Max: Pts(5*i) + pts(4.5), Text: Text{ZH: "档", EN: "Level"}})
			}
			ls[5].Max = Pts(25)
			r.Indicators[1].Levels = ls
		}, want: Problems{{Field: "indicators.1.levels", Message: "rubric.levels_count", Args: map[string]any{"Min": MinLevels, "Max": MaxLevels}}}},
		{name: "gap of half a point between levels", edit: func(r *Rubric) { r.Indicators[0].Levels[1].Min = pts(15.5) },
			want: Problems{{Field: "indicators.0.levels.1.min", Message: "rubric.level_gap", Args: map[string]any{"From": "15", "To": "15"}}}},
		{name: "gap of two points between levels", edit: func(r *Rubric) { r.Indicators[0].Levels[2].Min = pts(21.5) },
			want: Problems{{Field: "indicators.0.levels.2.min", Message: "rubric.level_gap", Args: map[string]any{"From": "20", "To": "21"}}}},
		{name: "first level not starting at zero", edit: func(r *Rubric) { r.Indicators[0].Levels[0].Min = Half },
			want: Problems{{Field: "indicators.0.levels.0.min", Message: "rubric.level_gap", Args: map[string]any{"From": "0", "To": "0"}}}},
		{name: "levels overlap", edit: func(r *Rubric) { r.Indicators[0].Levels[1].Min = pts(14.5) },
			want: Problems{{Field: "indicators.0.levels.1.min", Message: "rubric.level_overlap", Args: map[string]any{"At": "14.5"}}}},
		{name: "first level starting below zero", edit: func(r *Rubric) { r.Indicators[0].Levels[0].Min = -Pts(1) },
			want: Problems{{Field: "indicators.0.levels.0.min", Message: "rubric.level_overlap", Args: map[string]any{"At": "-1"}}}},
		{name: "inverted level", edit: func(r *Rubric) {
			r.Indicators[0].Levels[1] = Level{Min: Pts(15), Max: Pts(14), Text: Text{ZH: "中", EN: "Fair"}}
			r.Indicators[0].Levels[2].Min = pts(14.5)
		}, want: Problems{{Field: "indicators.0.levels.1.min", Message: "rubric.level_inverted"}}},
		{name: "last level ends below max", edit: func(r *Rubric) { r.Indicators[0].Levels[3].Max = pts(24.5) },
			want: Problems{{Field: "indicators.0.levels.3.max", Message: "rubric.level_end", Args: map[string]any{"Max": "25"}}}},
		{name: "last level ends above max", edit: func(r *Rubric) { r.Indicators[4].Levels[3].Max = pts(15.5) },
			want: Problems{{Field: "indicators.4.levels.3.max", Message: "rubric.level_end", Args: map[string]any{"Max": "15"}}}},
		{name: "level without zh text", edit: func(r *Rubric) { r.Indicators[0].Levels[2].Text.ZH = "" },
			want: Problems{{Field: "indicators.0.levels.2.text.zh", Message: "error.required"}}},
		{name: "level text too long", edit: func(r *Rubric) { r.Indicators[0].Levels[2].Text.EN = runes('x', MaxTextLen+1) },
			want: Problems{{Field: "indicators.0.levels.2.text.en", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxTextLen}}}},

		// Vetoes.
		{name: "no vetoes", edit: func(r *Rubric) { r.Vetoes = nil },
			want: Problems{{Field: "vetoes", Message: "rubric.no_vetoes"}}},
		{name: "duplicate veto code", edit: func(r *Rubric) { r.Vetoes[1].Code = "V1" },
			want: Problems{{Field: "vetoes.1.code", Message: "rubric.duplicate_code", Args: map[string]any{"Code": "V1", "Other": 1}}}},
		{name: "bad veto code", edit: func(r *Rubric) { r.Vetoes[0].Code = "v1" },
			want: Problems{{Field: "vetoes.0.code", Message: "rubric.item_code_format"}}},
		{name: "veto without en text", edit: func(r *Rubric) { r.Vetoes[1].Text.EN = "" },
			want: Problems{{Field: "vetoes.1.text.en", Message: "error.required"}}},
		{name: "veto text too long", edit: func(r *Rubric) { r.Vetoes[1].Text.ZH = runes('否', MaxTextLen+1) },
			want: Problems{{Field: "vetoes.1.text.zh", Message: "rubric.text_too_long", Args: map[string]any{"Max": MaxTextLen}}}},

		// Bands and pass line.
		{name: "no bands", edit: func(r *Rubric) { r.Bands = nil },
			want: Problems{{Field: "bands", Message: "rubric.bands_count"}}},
		{name: "one band", edit: func(r *Rubric) { r.Bands = r.Bands[3:] },
			want: Problems{{Field: "bands", Message: "rubric.bands_count"}}},
		{name: "bands out of order", edit: func(r *Rubric) { r.Bands[0], r.Bands[1] = r.Bands[1], r.Bands[0] },
			want: Problems{{Field: "bands.1.grade", Message: "rubric.bands_grade_order"}, {Field: "bands.1.min", Message: "rubric.bands_order"}}},
		{name: "two bands with the same min", edit: func(r *Rubric) { r.Bands[2].Min = Pts(80) },
			want: Problems{{Field: "bands.2.min", Message: "rubric.bands_order"}}},
		{name: "bands not ending at zero", edit: func(r *Rubric) { r.Bands[3].Min = Pts(10) },
			want: Problems{{Field: "bands.3.min", Message: "rubric.bands_floor"}}},
		{name: "band below zero", edit: func(r *Rubric) { r.Bands[3].Min = -Half },
			want: Problems{{Field: "bands.3.min", Message: "rubric.band_range"}, {Field: "bands.3.min", Message: "rubric.bands_floor"}}},
		{name: "band above 100", edit: func(r *Rubric) { r.Bands[0].Min = pts(100.5) },
			want: Problems{{Field: "bands.0.min", Message: "rubric.band_range"}}},
		{name: "duplicate grade", edit: func(r *Rubric) { r.Bands[1].Grade = Excellent },
			want: Problems{{Field: "bands.1.grade", Message: "rubric.band_duplicate"}}},
		{name: "unknown grade", edit: func(r *Rubric) { r.Bands[0].Grade = "outstanding" },
			want: Problems{{Field: "bands.0.grade", Message: "rubric.band_grade_invalid"}}},
		{name: "empty grade", edit: func(r *Rubric) { r.Bands[2].Grade = "" },
			want: Problems{{Field: "bands.2.grade", Message: "rubric.band_grade_invalid"}}},
		{name: "pass line zero", edit: func(r *Rubric) { r.PassLine = 0 },
			want: Problems{{Field: "pass_line", Message: "rubric.pass_line_range"}}},
		{name: "pass line negative", edit: func(r *Rubric) { r.PassLine = -Pts(60) },
			want: Problems{{Field: "pass_line", Message: "rubric.pass_line_range"}}},
		{name: "pass line above 100", edit: func(r *Rubric) { r.PassLine = pts(100.5) },
			want: Problems{{Field: "pass_line", Message: "rubric.pass_line_range"}}},

		// All problems are reported, in document order.
		{name: "several problems in order", edit: func(r *Rubric) {
			r.Code = "x"
			r.Indicators[1].Kind = KindAward
			r.Indicators[1].Levels[1].Min = pts(15.5)
			r.Vetoes = nil
			r.PassLine = 0
		}, want: Problems{
			{Field: "code", Message: "rubric.code_format"},
			{Field: "indicators.1.kind", Message: "rubric.kind_forbidden", Args: map[string]any{"Kind": "award"}},
			{Field: "indicators.1.levels.1.min", Message: "rubric.level_gap", Args: map[string]any{"From": "15", "To": "15"}},
			{Field: "vetoes", Message: "rubric.no_vetoes"},
			{Field: "pass_line", Message: "rubric.pass_line_range"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := tt.base
			if base == nil {
				base = testRubric
			}
			r := base()
			tt.edit(r)
			got := r.Validate()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRubric(t *testing.T) {
	t.Parallel()
	valid := string(mustJSON(t, testRubric()))
	tests := []struct {
		name    string
		data    string
		same    bool // data is the valid rubric on purpose
		wantNil bool // no rubric returned: the JSON itself was refused
		want    Problems
	}{
		{name: "valid", data: valid, same: true},
		{name: "valid with surrounding space", data: "\n  " + valid + " \n", same: true},
		{name: "empty input", data: "", wantNil: true, want: Problems{{Message: "error.malformed_json"}}},
		{name: "truncated", data: valid[:len(valid)/2], wantNil: true, want: Problems{{Message: "error.malformed_json"}}},
		{name: "two documents", data: valid + valid, wantNil: true, want: Problems{{Message: "error.malformed_json"}}},
		{name: "trailing word", data: valid + " x", wantNil: true, want: Problems{{Message: "error.malformed_json"}}},
		{name: "NaN max", data: strings.Replace(valid, `"max":25`, `"max":NaN`, 1), wantNil: true,
			want: Problems{{Message: "error.malformed_json"}}},
		{name: "unknown field", data: strings.Replace(valid, `{"code":"TEST"`, `{"colour":"red","code":"TEST"`, 1), wantNil: true,
			want: Problems{{Field: "colour", Message: "error.unknown_field"}}},
		{name: "code is a number", data: strings.Replace(valid, `"code":"TEST"`, `"code":5`, 1), wantNil: true,
			want: Problems{{Field: "code", Message: "error.wrong_type_string"}}},
		{name: "version is a string", data: strings.Replace(valid, `"version":1`, `"version":"1"`, 1), wantNil: true,
			want: Problems{{Field: "version", Message: "error.wrong_type_number"}}},
		{name: "name is a string", data: strings.Replace(valid, `"name":{"zh":"测试指标体系","en":"Test rubric"}`, `"name":"测试"`, 1), wantNil: true,
			want: Problems{{Field: "name", Message: "error.wrong_type_object"}}},
		{name: "indicators is an object", data: strings.Replace(valid, `"indicators":[`, `"indicators":{"a":[`, 1), wantNil: true,
			want: Problems{{Field: "indicators", Message: "error.wrong_type_array"}}},
		{name: "pass line is a string", data: strings.Replace(valid, `"pass_line":60`, `"pass_line":"60"`, 1), wantNil: true,
			want: Problems{{Field: "pass_line", Message: "error.wrong_type_number"}}},
		{name: "pass line is null", data: strings.Replace(valid, `"pass_line":60`, `"pass_line":null`, 1), wantNil: true,
			want: Problems{{Field: "pass_line", Message: "error.wrong_type_number"}}},
		{name: "max is not a multiple of 0.5", data: strings.Replace(valid, `"max":25`, `"max":17.3`, 1), wantNil: true,
			want: Problems{{Field: "indicators.0.max", Message: "rubric.points_step"}}},
		{name: "null threshold means none", data: strings.Replace(valid, `"threshold":15`, `"threshold":null`, 1)},
		{name: "validation problems come back with the rubric", data: strings.Replace(valid, `"pass_line":60`, `"pass_line":0`, 1),
			want: Problems{{Field: "pass_line", Message: "rubric.pass_line_range"}}},
		{name: "a forbidden kind is refused", data: strings.Replace(valid, `"kind":"other"`, `"kind":"paper_count"`, 1),
			want: Problems{{Field: "indicators.1.kind", Message: "rubric.kind_forbidden", Args: map[string]any{"Kind": "paper_count"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.same && strings.TrimSpace(tt.data) == valid {
				t.Fatal("test data equals the valid rubric: a replacement found nothing")
			}
			r, ps := ParseRubric([]byte(tt.data))
			if diff := cmp.Diff(tt.want, ps); diff != "" {
				t.Errorf("ParseRubric() problems mismatch (-want +got):\n%s", diff)
			}
			if got := r == nil; got != tt.wantNil {
				t.Errorf("ParseRubric() returned nil rubric: got %v, want %v", got, tt.wantNil)
			}
		})
	}

	t.Run("round trip", func(t *testing.T) {
		t.Parallel()
		want := testRubric()
		got, ps := ParseRubric(mustJSON(t, want))
		if ps != nil {
			t.Fatalf("ParseRubric() problems: %v", ps)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseRubric(json.Marshal(r)) mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestProblems(t *testing.T) {
	t.Parallel()
	ps := Problems{
		{Field: "code", Message: "rubric.code_format"},
		{Field: "indicators.total", Message: "rubric.total_not_100", Args: map[string]any{"Total": "95"}},
	}
	t.Run("Has", func(t *testing.T) {
		t.Parallel()
		for field, want := range map[string]bool{"code": true, "indicators.total": true, "indicators": false, "": false} {
			if got := ps.Has(field); got != want {
				t.Errorf("Has(%q) = %v, want %v", field, got, want)
			}
		}
	})
	t.Run("Error", func(t *testing.T) {
		t.Parallel()
		want := "code: rubric.code_format; indicators.total: rubric.total_not_100 map[Total:95]"
		if got := ps.Error(); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	})
}

package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/rubrics"
)

// rubricForm reads the rubric editor's flat form ("indicators.2.levels.1.min")
// into a rubric, collecting problems with values that are not numbers.
type rubricForm struct {
	vals map[string]string
	ps   rubrics.Problems
}

func newRubricForm(vals map[string]string) *rubricForm { return &rubricForm{vals: vals} }

func (f *rubricForm) str(key string) string { return strings.TrimSpace(f.vals[key]) }

func (f *rubricForm) text(key string) rubrics.Text {
	return rubrics.Text{ZH: f.str(key + ".zh"), EN: f.str(key + ".en")}
}

// points reads a number of points; blank reads as 0 with a problem unless
// optional, in which case it is nil.
func (f *rubricForm) points(key string, optional bool) *rubrics.Points {
	s := f.str(key)
	if s == "" {
		if optional {
			return nil
		}
		f.ps = append(f.ps, rubrics.Problem{Field: key, Message: "error.required"})
		return new(rubrics.Points)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f.ps = append(f.ps, rubrics.Problem{Field: key, Message: "error.wrong_type_number"})
		return new(rubrics.Points)
	}
	p, ok := rubrics.FromFloat(v)
	if !ok {
		f.ps = append(f.ps, rubrics.Problem{Field: key, Message: "rubric.points_step"})
		return new(rubrics.Points)
	}
	return &p
}

// count returns how many items a list has: one more than the highest index
// that appears under prefix.
func (f *rubricForm) count(prefix string) int {
	n := 0
	for k := range f.vals {
		if !strings.HasPrefix(k, prefix+".") {
			continue
		}
		rest := strings.TrimPrefix(k, prefix+".")
		idx, _, _ := strings.Cut(rest, ".")
		if i, err := strconv.Atoi(idx); err == nil && i < 100 && i+1 > n {
			n = i + 1
		}
	}
	return n
}

// rubric builds the rubric; code, target and version come from the stored
// version, not the form.
func (f *rubricForm) rubric(code string, target rubrics.Target, version int) *rubrics.Rubric {
	r := &rubrics.Rubric{Code: code, Target: target, Version: version, Name: f.text("name"), Guidance: f.text("guidance")}
	r.PassLine = *f.points("pass_line", false)
	for i := 0; i < f.count("indicators"); i++ {
		p := fmt.Sprintf("indicators.%d", i)
		in := rubrics.Indicator{Code: strings.ToUpper(f.str(p + ".code")), Name: f.text(p + ".name"), Kind: rubrics.Kind(f.str(p + ".kind")),
			Guidance: f.text(p + ".guidance")}
		in.Max = *f.points(p+".max", false)
		in.Threshold = f.points(p+".threshold", true)
		for j := 0; j < f.count(p+".levels"); j++ {
			lp := fmt.Sprintf("%s.levels.%d", p, j)
			in.Levels = append(in.Levels, rubrics.Level{Min: *f.points(lp+".min", false), Max: *f.points(lp+".max", false), Text: f.text(lp + ".text")})
		}
		r.Indicators = append(r.Indicators, in)
	}
	for i := 0; i < f.count("vetoes"); i++ {
		p := fmt.Sprintf("vetoes.%d", i)
		r.Vetoes = append(r.Vetoes, rubrics.Veto{Code: strings.ToUpper(f.str(p + ".code")), Text: f.text(p + ".text")})
	}
	for i := 0; i < f.count("bands"); i++ {
		p := fmt.Sprintf("bands.%d", i)
		r.Bands = append(r.Bands, rubrics.Band{Grade: rubrics.Grade(f.str(p + ".grade")), Min: *f.points(p+".min", false), Name: f.text(p + ".name")})
	}
	return r
}

// applyEdit performs a structural edit the editor asks for with its op
// button ("add_indicator", "remove_level.2.1", "up_indicator.3", …) and
// reports whether op was one.
func applyEdit(r *rubrics.Rubric, op string) bool {
	name, args, _ := strings.Cut(op, ".")
	var idx []int
	for _, s := range strings.Split(args, ".") {
		if n, err := strconv.Atoi(s); err == nil {
			idx = append(idx, n)
		}
	}
	in := func(n int) bool { return len(idx) > 0 && idx[0] >= 0 && idx[0] < n }
	switch name {
	case "add_indicator":
		r.Indicators = append(r.Indicators, rubrics.Indicator{Kind: rubrics.KindOther, Levels: make([]rubrics.Level, rubrics.MinLevels)})
	case "remove_indicator":
		if in(len(r.Indicators)) {
			r.Indicators = append(r.Indicators[:idx[0]], r.Indicators[idx[0]+1:]...)
		}
	case "up_indicator":
		if in(len(r.Indicators)) && idx[0] > 0 {
			r.Indicators[idx[0]-1], r.Indicators[idx[0]] = r.Indicators[idx[0]], r.Indicators[idx[0]-1]
		}
	case "down_indicator":
		if in(len(r.Indicators)) && idx[0] < len(r.Indicators)-1 {
			r.Indicators[idx[0]+1], r.Indicators[idx[0]] = r.Indicators[idx[0]], r.Indicators[idx[0]+1]
		}
	case "add_level":
		if in(len(r.Indicators)) {
			r.Indicators[idx[0]].Levels = append(r.Indicators[idx[0]].Levels, rubrics.Level{})
		}
	case "remove_level":
		if in(len(r.Indicators)) && len(idx) == 2 {
			levels := r.Indicators[idx[0]].Levels
			if idx[1] >= 0 && idx[1] < len(levels) {
				r.Indicators[idx[0]].Levels = append(levels[:idx[1]], levels[idx[1]+1:]...)
			}
		}
	case "add_veto":
		r.Vetoes = append(r.Vetoes, rubrics.Veto{})
	case "remove_veto":
		if in(len(r.Vetoes)) {
			r.Vetoes = append(r.Vetoes[:idx[0]], r.Vetoes[idx[0]+1:]...)
		}
	default:
		return false
	}
	return true
}

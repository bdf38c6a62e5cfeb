package rubrics

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one thing wrong with a rubric or a sheet: the field (a dotted
// JSON path such as "indicators.2.max"), a message ID the interface
// translates (see web/i18n), and the values the message shows.
type Problem struct {
	Field   string         `json:"field"`
	Message string         `json:"message"`
	Args    map[string]any `json:"args,omitempty"`
}

// Problems is a list of problems, in the order they were found.
type Problems []Problem

func (ps *Problems) add(field, msg string, kv ...any) {
	p := Problem{Field: field, Message: msg}
	if len(kv) > 1 {
		p.Args = map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	*ps = append(*ps, p)
}

// Has reports whether some problem concerns the field.
func (ps Problems) Has(field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", p.Field, p.Message)
		if len(p.Args) > 0 {
			fmt.Fprintf(&b, " %v", p.Args)
		}
	}
	return b.String()
}

// Limits of a rubric.
const (
	MaxIndicators = 20
	MinLevels     = 3
	MaxLevels     = 5
	MaxTextLen    = 2000
	MaxNameLen    = 200
)

var (
	rubricCodePattern    = regexp.MustCompile(`^[A-Z][A-Z0-9_-]{1,31}$`)
	indicatorCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{0,15}$`)
)

// ValidCode reports whether code is well-formed for a rubric's code.
func ValidCode(code string) bool { return rubricCodePattern.MatchString(code) }

// ParseRubric decodes a rubric from JSON strictly (see DecodeJSON) and
// validates it. It returns nil and the decoding problem when the JSON does
// not decode, else the rubric and its validation problems, if any.
func ParseRubric(data []byte) (*Rubric, Problems) {
	var r Rubric
	if ps := DecodeJSON(data, &r); ps != nil {
		return nil, ps
	}
	return &r, r.Validate()
}

// Validate checks every rule of a valid rubric (evaluation/README.md §3.2)
// and returns all problems found, or nil.
func (r *Rubric) Validate() Problems {
	var ps Problems
	if !rubricCodePattern.MatchString(r.Code) {
		ps.add("code", "rubric.code_format")
	}
	if !r.Target.Valid() {
		ps.add("target", "rubric.target_invalid")
	}
	checkText(&ps, "name", r.Name, MaxNameLen, true)
	checkText(&ps, "guidance", r.Guidance, MaxTextLen, false)

	switch n := len(r.Indicators); {
	case n == 0:
		ps.add("indicators", "rubric.no_indicators")
	case n > MaxIndicators:
		ps.add("indicators", "rubric.too_many_indicators", "Max", MaxIndicators)
	}
	codes := map[string]int{}
	for i := range r.Indicators {
		checkIndicator(&ps, i, &r.Indicators[i], codes)
	}
	if total := r.Total(); len(r.Indicators) > 0 && total != Pts(100) {
		ps.add("indicators.total", "rubric.total_not_100", "Total", total.String())
	}

	if len(r.Vetoes) == 0 {
		ps.add("vetoes", "rubric.no_vetoes")
	}
	vetoCodes := map[string]int{}
	for i, v := range r.Vetoes {
		f := fmt.Sprintf("vetoes.%d", i)
		switch prev, dup := vetoCodes[v.Code]; {
		case !indicatorCodePattern.MatchString(v.Code):
			ps.add(f+".code", "rubric.item_code_format")
		case dup:
			ps.add(f+".code", "rubric.duplicate_code", "Code", v.Code, "Other", prev+1)
		default:
			vetoCodes[v.Code] = i
		}
		checkText(&ps, f+".text", v.Text, MaxTextLen, true)
	}

	checkBands(&ps, r.Bands, r.PassLine)
	if r.PassLine <= 0 || r.PassLine > Pts(100) {
		ps.add("pass_line", "rubric.pass_line_range")
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

func checkIndicator(ps *Problems, i int, in *Indicator, codes map[string]int) {
	f := fmt.Sprintf("indicators.%d", i)
	switch prev, dup := codes[in.Code]; {
	case !indicatorCodePattern.MatchString(in.Code):
		ps.add(f+".code", "rubric.item_code_format")
	case dup:
		ps.add(f+".code", "rubric.duplicate_code", "Code", in.Code, "Other", prev+1)
	default:
		codes[in.Code] = i
	}
	checkText(ps, f+".name", in.Name, MaxNameLen, true)
	checkText(ps, f+".guidance", in.Guidance, MaxTextLen, false)
	switch {
	case isForbidden(in.Kind):
		ps.add(f+".kind", "rubric.kind_forbidden", "Kind", string(in.Kind))
	case !isKind(in.Kind):
		ps.add(f+".kind", "rubric.kind_invalid")
	}
	if in.Max <= 0 || in.Max > Pts(100) {
		ps.add(f+".max", "rubric.max_range")
		return
	}
	if in.Threshold != nil && (*in.Threshold < 0 || *in.Threshold > in.Max) {
		ps.add(f+".threshold", "rubric.threshold_range", "Max", in.Max.String())
	}
	switch n := len(in.Levels); {
	case n < MinLevels || n > MaxLevels:
		ps.add(f+".levels", "rubric.levels_count", "Min", MinLevels, "Max", MaxLevels)
	default:
		checkLevels(ps, f, in)
	}
}

// checkLevels: the level ranges, taken from the lowest, must tile 0..max in
// half-point steps: the first starts at 0, each starts half a point above
// the one before ends, the last ends at max.
func checkLevels(ps *Problems, f string, in *Indicator) {
	next := Points(0)
	for j, l := range in.Levels {
		lf := fmt.Sprintf("%s.levels.%d", f, j)
		checkText(ps, lf+".text", l.Text, MaxTextLen, true)
		switch {
		case l.Min > l.Max:
			ps.add(lf+".min", "rubric.level_inverted")
		case l.Min > next:
			ps.add(lf+".min", "rubric.level_gap", "From", next.String(), "To", (l.Min - Half).String())
		case l.Min < next:
			ps.add(lf+".min", "rubric.level_overlap", "At", l.Min.String())
		}
		next = l.Max + Half
	}
	if last := in.Levels[len(in.Levels)-1]; last.Max != in.Max {
		ps.add(fmt.Sprintf("%s.levels.%d.max", f, len(in.Levels)-1), "rubric.level_end", "Max", in.Max.String())
	}
}

// gradeRank orders the grades from best to worst; bands list them in that
// order, from the highest threshold down.
var gradeRank = map[Grade]int{Excellent: 0, Good: 1, Pass: 2, Fail: 3}

func checkBands(ps *Problems, bands []Band, passLine Points) {
	if len(bands) < 2 {
		ps.add("bands", "rubric.bands_count")
		return
	}
	seen := map[Grade]bool{}
	prevRank := -1
	for i, b := range bands {
		f := fmt.Sprintf("bands.%d", i)
		rank, known := gradeRank[b.Grade]
		switch {
		case !known:
			ps.add(f+".grade", "rubric.band_grade_invalid")
		case seen[b.Grade]:
			ps.add(f+".grade", "rubric.band_duplicate")
		case rank < prevRank:
			ps.add(f+".grade", "rubric.bands_grade_order")
		}
		if known {
			seen[b.Grade] = true
			prevRank = max(prevRank, rank)
		}
		switch {
		case b.Min < 0 || b.Min > Pts(100):
			ps.add(f+".min", "rubric.band_range")
		case i > 0 && b.Min >= bands[i-1].Min:
			ps.add(f+".min", "rubric.bands_order")
		case b.Grade == Pass && b.Min != passLine && passLine > 0 && passLine <= Pts(100):
			// Otherwise a total could pass with the grade "fail", or fail
			// with the grade "pass".
			ps.add(f+".min", "rubric.pass_band", "PassLine", passLine.String())
		}
		checkText(ps, f+".name", b.Name, MaxNameLen, false)
	}
	if bands[len(bands)-1].Min != 0 {
		ps.add(fmt.Sprintf("bands.%d.min", len(bands)-1), "rubric.bands_floor")
	}
}

func checkText(ps *Problems, field string, t Text, max int, required bool) {
	for _, part := range []struct{ lang, s string }{{"zh", t.ZH}, {"en", t.EN}} {
		s := strings.TrimSpace(part.s)
		switch {
		case s == "" && (required || strings.TrimSpace(t.ZH+t.EN) != ""):
			ps.add(field+"."+part.lang, "error.required")
		case utf8.RuneCountInString(s) > max:
			ps.add(field+"."+part.lang, "rubric.text_too_long", "Max", max)
		case !utf8.ValidString(part.s):
			ps.add(field+"."+part.lang, "rubric.text_invalid")
		}
	}
}

func isKind(k Kind) bool {
	return slices.Contains(Kinds, k)
}

func isForbidden(k Kind) bool {
	return slices.Contains(ForbiddenKinds, k)
}

package rubrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
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
	indicatorCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_.-]{0,15}$`)
)

// ParseRubric decodes a rubric from JSON strictly (unknown fields refused)
// and validates it.
func ParseRubric(data []byte) (*Rubric, Problems) {
	var r Rubric
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, Problems{jsonProblem(err)}
	}
	if dec.More() {
		return nil, Problems{{Field: "", Message: "error.malformed_json"}}
	}
	if ps := r.Validate(); len(ps) > 0 {
		return &r, ps
	}
	return &r, nil
}

// jsonProblem names the field of a JSON decoding error where it can.
func jsonProblem(err error) Problem {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te) && te.Field != "":
		return Problem{Field: te.Field, Message: "error.wrong_type_" + jsonKind(te.Type.Kind().String())}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Problem{Field: name, Message: "error.unknown_field"}
	case strings.Contains(err.Error(), ErrNotStep.Error()):
		return Problem{Field: "", Message: "rubric.points_step"}
	case strings.Contains(err.Error(), ErrNotNumber.Error()):
		return Problem{Field: "", Message: "error.wrong_type_number"}
	}
	return Problem{Field: "", Message: "error.malformed_json"}
}

func jsonKind(kind string) string {
	switch kind {
	case "string", "bool":
		return kind
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "slice", "array":
		return "array"
	}
	return "object"
}

// Validate checks every rule of DESIGN.md §3 and issue #3 and returns all
// problems found, or nil.
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

	checkBands(&ps, r.Bands)
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

func checkBands(ps *Problems, bands []Band) {
	if len(bands) < 2 {
		ps.add("bands", "rubric.bands_count")
		return
	}
	seen := map[Grade]bool{}
	for i, b := range bands {
		f := fmt.Sprintf("bands.%d", i)
		switch b.Grade {
		case Excellent, Good, Pass, Fail:
			if seen[b.Grade] {
				ps.add(f+".grade", "rubric.band_duplicate")
			}
			seen[b.Grade] = true
		default:
			ps.add(f+".grade", "rubric.band_grade_invalid")
		}
		if b.Min < 0 || b.Min > Pts(100) {
			ps.add(f+".min", "rubric.band_range")
		} else if i > 0 && b.Min >= bands[i-1].Min {
			ps.add(f+".min", "rubric.bands_order")
		}
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
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

func isForbidden(k Kind) bool {
	for _, v := range ForbiddenKinds {
		if k == v {
			return true
		}
	}
	return false
}

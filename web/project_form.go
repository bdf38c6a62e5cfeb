package web

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// projectForm is the project form: lists are edited as lines of text
// ("name, institution, role" per member) and amounts in 万元, the unit
// agencies work in; the API takes structured JSON and fen instead.
type projectForm struct {
	Code, Title, Class, Lead       string
	Participants                   string
	PIName, PIInstitution          string
	Members, Avoid                 string
	Budget, Spent                  string
	Start, End, Subjects, Keywords string
	Methods                        map[evaluation.Method]bool
	Promotion                      bool
	Indicators                     []indicatorForm
}

type indicatorForm struct {
	ID, Name, Kind                            string
	Main                                      bool
	TargetValue, Unit, Direction, TargetText  string
	ActualValue, ActualText, Evidence, Status string
}

// listSep splits the free-text lists: commas, Chinese commas and
// enumeration marks, semicolons, spaces and new lines.
var listSep = regexp.MustCompile(`[,，、;；\s]+`)

func splitList(s string) []string {
	var out []string
	for _, part := range listSep.Split(strings.TrimSpace(s), -1) {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// fields splits a line of "a, b, c" into at most n trimmed parts.
func fields(line string, n int) []string {
	parts := regexp.MustCompile(`\s*[,，]\s*`).Split(line, n)
	for len(parts) < n {
		parts = append(parts, "")
	}
	return parts
}

func wan(fen int64) string {
	if fen == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(fen)/1e6, 'f', -1, 64)
}

func (f *projectForm) fill(p *evaluation.Project) {
	*f = projectForm{Code: p.Code, Title: p.Title, Class: string(p.Class), Lead: p.Lead,
		Participants: strings.Join(p.Participants, "\n"), PIName: p.PI.Name, PIInstitution: p.PI.Institution,
		Budget: wan(p.Budget), Spent: wan(p.Spent), Start: p.Start, End: p.End,
		Subjects: strings.Join(p.SubjectCodes, " "), Keywords: strings.Join(p.Keywords, "，"),
		Methods: map[evaluation.Method]bool{}, Promotion: p.Promotion}
	var ms, as []string
	for _, m := range p.Members {
		ms = append(ms, strings.TrimRight(strings.Join([]string{m.Name, m.Institution, m.Role}, ", "), ", "))
	}
	for _, a := range p.Avoid {
		as = append(as, strings.TrimRight(strings.Join([]string{a.Name, a.Institution, a.Reason}, ", "), ", "))
	}
	f.Members, f.Avoid = strings.Join(ms, "\n"), strings.Join(as, "\n")
	for _, m := range p.Methods {
		f.Methods[m] = true
	}
	for _, in := range p.Indicators {
		g := indicatorForm{ID: strconv.FormatInt(in.ID, 10), Name: in.Name, Kind: string(in.Kind), Main: in.Main,
			Unit: in.Target.Unit, Direction: string(in.Target.Direction), TargetText: in.Target.Text, ActualText: in.Actual.Text,
			Evidence: in.Evidence, Status: string(in.Status)}
		if in.ID == 0 {
			g.ID = ""
		}
		if in.Target.Value != nil {
			g.TargetValue = strconv.FormatFloat(*in.Target.Value, 'f', -1, 64)
		}
		if in.Actual.Value != nil {
			g.ActualValue = strconv.FormatFloat(*in.Actual.Value, 'f', -1, 64)
		}
		f.Indicators = append(f.Indicators, g)
	}
}

// readProjectForm reads the posted form.
func readProjectForm(c *fiber.Ctx) projectForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := projectForm{Code: v("code"), Title: v("title"), Class: v("class"), Lead: v("lead_institution"),
		Participants: c.FormValue("participants"), PIName: v("pi_name"), PIInstitution: v("pi_institution"),
		Members: c.FormValue("members"), Avoid: c.FormValue("avoid"), Budget: v("budget"), Spent: v("spent"),
		Start: v("start"), End: v("end"), Subjects: v("subject_codes"), Keywords: v("keywords"),
		Methods: map[evaluation.Method]bool{}, Promotion: c.FormValue("promotion") != ""}
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		if string(k) == "methods" {
			f.Methods[evaluation.Method(val)] = true
		}
	})
	n := 0
	c.Request().PostArgs().VisitAll(func(k, _ []byte) {
		if rest, ok := strings.CutPrefix(string(k), "indicators."); ok {
			idx, _, _ := strings.Cut(rest, ".")
			if i, err := strconv.Atoi(idx); err == nil && i < 100 && i+1 > n {
				n = i + 1
			}
		}
	})
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("indicators.%d.", i)
		f.Indicators = append(f.Indicators, indicatorForm{ID: v(p + "id"), Name: v(p + "name"), Kind: v(p + "kind"),
			Main: c.FormValue(p+"main") != "", TargetValue: v(p + "target_value"), Unit: v(p + "unit"),
			Direction: v(p + "direction"), TargetText: v(p + "target_text"), ActualValue: v(p + "actual_value"),
			ActualText: v(p + "actual_text"), Evidence: v(p + "evidence"), Status: v(p + "status")})
	}
	return f
}

// edit applies the form's structural buttons.
func (f *projectForm) edit(op string) {
	name, arg, _ := strings.Cut(op, ".")
	i, err := strconv.Atoi(arg)
	switch {
	case name == "add_indicator":
		f.Indicators = append(f.Indicators, indicatorForm{Kind: string(evaluation.IndicatorTechnical), Direction: string(evaluation.AtLeast)})
	case name == "remove_indicator" && err == nil && i >= 0 && i < len(f.Indicators):
		f.Indicators = append(f.Indicators[:i], f.Indicators[i+1:]...)
	}
}

// project builds the project, with problems for numbers that are not.
func (f *projectForm) project() (*evaluation.Project, evaluation.FieldErrors) {
	bad := evaluation.FieldErrors{}
	money := func(field, s string) int64 {
		if s == "" {
			return 0
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 1e7 {
			bad.Add(field, "error.amount_range")
			return 0
		}
		return int64(math.Round(x * 1e6))
	}
	number := func(field, s string) *float64 {
		if s == "" {
			return nil
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			bad.Add(field, "error.wrong_type_number")
			return nil
		}
		return &x
	}
	p := &evaluation.Project{Code: f.Code, Title: f.Title, Class: evaluation.ProjectClass(f.Class), Lead: f.Lead,
		Participants: lines(f.Participants), PI: evaluation.Member{Name: f.PIName, Institution: f.PIInstitution},
		Budget: money("budget", f.Budget), Spent: money("spent", f.Spent), Start: f.Start, End: f.End,
		SubjectCodes: splitList(f.Subjects), Keywords: splitList(f.Keywords), Promotion: f.Promotion}
	for _, l := range lines(f.Members) {
		x := fields(l, 3)
		p.Members = append(p.Members, evaluation.Member{Name: x[0], Institution: x[1], Role: x[2]})
	}
	for _, l := range lines(f.Avoid) {
		x := fields(l, 3)
		p.Avoid = append(p.Avoid, evaluation.Avoid{Name: x[0], Institution: x[1], Reason: x[2]})
	}
	for m, on := range f.Methods {
		if on {
			p.Methods = append(p.Methods, m)
		}
	}
	for i, g := range f.Indicators {
		fp := fmt.Sprintf("indicators.%d.", i)
		in := evaluation.Indicator{Name: g.Name, Kind: evaluation.IndicatorKind(g.Kind), Main: g.Main,
			Target: evaluation.Target{Value: number(fp+"target_value", g.TargetValue), Unit: g.Unit,
				Direction: evaluation.Direction(g.Direction), Text: g.TargetText},
			Actual:   evaluation.Actual{Value: number(fp+"actual_value", g.ActualValue), Text: g.ActualText},
			Evidence: g.Evidence, Status: evaluation.IndicatorStatus(g.Status)}
		in.ID, _ = strconv.ParseInt(g.ID, 10, 64)
		if in.Target.Value == nil {
			in.Target.Direction = ""
		}
		p.Indicators = append(p.Indicators, in)
	}
	return p, bad
}

// projectFormField maps the domain's field paths to the form's names.
func projectFormField(field string) string {
	switch {
	case field == "pi.name":
		return "pi_name"
	case strings.HasPrefix(field, "subject_codes"):
		return "subject_codes"
	case strings.HasPrefix(field, "members"):
		return "members"
	case strings.HasPrefix(field, "avoid"):
		return "avoid"
	case strings.HasPrefix(field, "methods"):
		return "methods"
	case strings.HasPrefix(field, "indicators."):
		r := strings.NewReplacer(".target.value", ".target_value", ".target.direction", ".direction", ".target.unit", ".unit",
			".target.text", ".target_text", ".actual.value", ".actual_value", ".actual.text", ".actual_text")
		f := r.Replace(field)
		if strings.HasSuffix(f, ".target") {
			f += "_value"
		}
		return f
	}
	return field
}

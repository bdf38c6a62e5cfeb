package web

import (
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/gofiber/fiber/v2"
)

// The score sheet's form names its fields after the rubric's codes:
// score.A1 and comment.A1 for an indicator, veto.V1 (ticked: "1") and
// evidence.V1 for a veto item, opinion, finance_pass ("1" pass, "0" fail,
// "" not decided yet) and version, the version the page's copy is based
// on. The page's button posts it; the page's script posts the same fields
// to the autosave route.

// sheetValues are a sheet's fields as the form shows them: text as typed,
// so that a refused save shows the expert what they typed.
type sheetValues struct {
	Scores      map[string]string
	Comments    map[string]string
	Opinion     string
	Vetoes      map[string]bool
	Evidence    map[string]string
	FinancePass string
}

// valuesOf is a stored sheet's content as the form shows it.
func valuesOf(c evaluation.SheetContent) sheetValues {
	v := sheetValues{Scores: map[string]string{}, Comments: maps.Clone(c.Comments), Opinion: c.Opinion,
		Vetoes: map[string]bool{}, Evidence: map[string]string{}}
	if v.Comments == nil {
		v.Comments = map[string]string{}
	}
	for code, p := range c.Scores {
		v.Scores[code] = p.String()
	}
	for _, f := range c.Vetoes {
		v.Vetoes[f.Code], v.Evidence[f.Code] = true, f.Evidence
	}
	if c.FinancePass != nil {
		v.FinancePass = map[bool]string{true: "1", false: "0"}[*c.FinancePass]
	}
	return v
}

// readSheetForm reads a posted sheet against its rubric: the version the
// copy was based on, the content to save, the values as typed, and the
// problems of the fields it cannot read (named as the form names them).
// Fields of codes the rubric does not have are not read.
func readSheetForm(c *fiber.Ctx, rb *rubrics.Rubric, finance bool) (int, evaluation.SheetContent, sheetValues, error) {
	v := sheetValues{Scores: map[string]string{}, Comments: map[string]string{}, Vetoes: map[string]bool{}, Evidence: map[string]string{},
		Opinion: c.FormValue("opinion")}
	content := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{}, Comments: map[string]string{},
		Opinion: v.Opinion}}
	bad := evaluation.FieldErrors{}
	args := map[string]map[string]any{}
	raw := map[string]jsontext.Value{}
	for _, in := range rb.Indicators {
		s := strings.TrimSpace(c.FormValue("score." + in.Code))
		v.Scores[in.Code] = s
		if s != "" {
			raw[in.Code] = jsontext.Value(s)
		}
		if comment := c.FormValue("comment." + in.Code); comment != "" {
			v.Comments[in.Code], content.Comments[in.Code] = comment, comment
		}
	}
	scores, ps := rubrics.ParseScores(raw)
	content.Scores = scores
	for _, p := range ps {
		field := "score." + strings.TrimPrefix(p.Field, "scores.")
		bad.Add(field, p.Message)
		args[field] = p.Args
	}
	for _, veto := range rb.Vetoes {
		evidence := c.FormValue("evidence." + veto.Code)
		v.Evidence[veto.Code] = evidence
		if c.FormValue("veto."+veto.Code) == "1" {
			v.Vetoes[veto.Code] = true
			content.Vetoes = append(content.Vetoes, rubrics.VetoFlag{Code: veto.Code, Evidence: evidence})
		}
	}
	if finance {
		v.FinancePass = c.FormValue("finance_pass")
		switch v.FinancePass {
		case "":
		case "1", "0":
			pass := v.FinancePass == "1"
			content.FinancePass = &pass
		default:
			bad.Add("finance_pass", "error.invalid_value")
		}
	}
	version, err := strconv.Atoi(c.FormValue("version"))
	if err != nil || version < 0 {
		bad.Add("version", "error.required_field")
	}
	if len(bad) > 0 {
		// The form is not saved; what the rubric says of the fields it
		// could read shows too, so that every problem shows at once.
		for _, p := range rb.CheckDraft(&content.Sheet) {
			field := sheetFieldName(p.Field, content.Vetoes)
			if _, seen := bad[field]; !seen {
				bad.Add(field, p.Message)
				args[field] = p.Args
			}
		}
	}
	return version, content, v, bad.ErrWithArgs(args)
}

// sheetFormError renames the fields of a refused sheet (scores.A1,
// vetoes.0.evidence) to the form's (score.A1, evidence.V1); vetoes are the
// flags sent, whose order the domain's names count.
func sheetFormError(err error, vetoes []rubrics.VetoFlag) error {
	e := evaluation.ErrorAs(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields, out.Args = evaluation.FieldErrors{}, map[string]map[string]any{}
	if a, ok := e.Args[""]; ok {
		out.Args[""] = a
	}
	for field, msg := range e.Fields {
		name := sheetFieldName(field, vetoes)
		if _, seen := out.Fields[name]; seen {
			continue
		}
		out.Fields[name] = msg
		if a, ok := e.Args[field]; ok {
			out.Args[name] = a
		}
	}
	return &out
}

// sheetFieldName is the form's name of a domain's sheet field.
func sheetFieldName(field string, vetoes []rubrics.VetoFlag) string {
	switch {
	case strings.HasPrefix(field, "scores."):
		return "score." + strings.TrimPrefix(field, "scores.")
	case strings.HasPrefix(field, "comments."):
		return "comment." + strings.TrimPrefix(field, "comments.")
	case strings.HasPrefix(field, "vetoes."):
		parts := strings.Split(field, ".")
		if len(parts) != 3 {
			return "vetoes"
		}
		i, err := strconv.Atoi(parts[1])
		if err != nil || i < 0 || i >= len(vetoes) {
			return "vetoes"
		}
		if parts[2] == "evidence" {
			return "evidence." + vetoes[i].Code
		}
		return "veto." + vetoes[i].Code
	}
	return field
}

// sheetSummary is a sheet as it reads, not as a form: the summary before
// submitting, a submitted round, the version stored elsewhere, the chair's
// view of a member's sheet.
type sheetSummary struct {
	Rows     []summaryRow
	Scored   int
	Total    rubrics.Points
	Max      rubrics.Points
	Complete bool
	// Grade names the total's band once every indicator is scored.
	Grade    string
	Comments int
	Vetoes   []summaryVeto
	Finance  bool
	// FinancePass is the finance expert's verdict: "pass", "fail", or ""
	// when not given.
	FinancePass string
	Opinion     string
}

type summaryRow struct {
	Code, Name string
	Score      string // "" when not scored
	Max        rubrics.Points
	Comment    string
}

type summaryVeto struct {
	Code, Text, Evidence string
}

// summarize reads a sheet's content against its rubric in lang.
func summarize(lang evaluation.Language, tr *translator, rb *rubrics.Rubric, c evaluation.SheetContent, finance bool) *sheetSummary {
	s := &sheetSummary{Max: rb.Total(), Finance: finance, Opinion: c.Opinion}
	if c.FinancePass != nil {
		s.FinancePass = map[bool]string{true: "pass", false: "fail"}[*c.FinancePass]
	}
	for _, in := range rb.Indicators {
		row := summaryRow{Code: in.Code, Name: in.Name.In(string(lang)), Max: in.Max, Comment: strings.TrimSpace(c.Comments[in.Code])}
		if p, ok := c.Scores[in.Code]; ok {
			row.Score = p.String()
			s.Scored++
			s.Total += p
		}
		if row.Comment != "" {
			s.Comments++
		}
		s.Rows = append(s.Rows, row)
	}
	s.Complete = s.Scored == len(rb.Indicators)
	if s.Complete {
		s.Grade = bandName(lang, tr, rb.Grade(s.Total))
	}
	for _, f := range c.Vetoes {
		sv := summaryVeto{Code: f.Code, Evidence: f.Evidence}
		if v, ok := rb.Veto(f.Code); ok {
			sv.Text = v.Text.In(string(lang))
		}
		s.Vetoes = append(s.Vetoes, sv)
	}
	return s
}

// bandName names a grade band in lang: its own name, else the grade's.
func bandName(lang evaluation.Language, tr *translator, b rubrics.Band) string {
	if name := b.Name.In(string(lang)); name != "" {
		return name
	}
	return tr.T(lang, "grade."+string(b.Grade))
}

// percentOf is pct percent of max points as a number of points: the
// score below (60) or above (90) which a comment is required.
func percentOf(max rubrics.Points, pct int) string {
	return strconv.FormatFloat(float64(max)*float64(pct)/200, 'f', -1, 64)
}

// bandList is the rubric's bands for the page's running total: "min:name"
// from the best down, separated by "|".
func bandList(lang evaluation.Language, tr *translator, rb *rubrics.Rubric) string {
	parts := make([]string, len(rb.Bands))
	for i, b := range rb.Bands {
		parts[i] = b.Min.String() + ":" + strings.ReplaceAll(bandName(lang, tr, b), "|", " ")
	}
	return strings.Join(parts, "|")
}

// clock is a time as the workspace shows it, in Beijing: the time alone
// for today, else the date and time.
func clock(t, now time.Time) string {
	t, now = t.In(evaluation.Beijing), now.In(evaluation.Beijing)
	if t.Format(time.DateOnly) == now.Format(time.DateOnly) {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

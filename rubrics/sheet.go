package rubrics

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Sheet is one expert's score sheet (评分表) against a rubric.
type Sheet struct {
	Scores   map[string]Points `json:"scores"`
	Comments map[string]string `json:"comments,omitempty"`
	Opinion  string            `json:"opinion"`
	Vetoes   []VetoFlag        `json:"vetoes,omitempty"`
}

// VetoFlag is a veto item an expert flags, with the evidence for it.
type VetoFlag struct {
	Code     string `json:"code"`
	Evidence string `json:"evidence"`
}

// Limits of a sheet's texts.
const (
	MaxCommentLen = 2000
	MaxOpinionLen = 5000
)

// rawSheet is a sheet as it arrives, before each score is checked on its own.
type rawSheet struct {
	Scores   map[string]jsontext.Value `json:"scores"`
	Comments map[string]string         `json:"comments"`
	Opinion  string                    `json:"opinion"`
	Vetoes   []VetoFlag                `json:"vetoes"`
}

// ParseSheet decodes a sheet from JSON strictly (see DecodeJSON). Each score
// must be a JSON number that is exactly a multiple of 0.5: strings, null
// and booleans are refused with a problem naming the score ("scores.A1").
// NaN and infinities are not JSON at all, so the whole body is refused.
func ParseSheet(data []byte) (*Sheet, Problems) {
	var raw rawSheet
	if ps := DecodeJSON(data, &raw); ps != nil {
		return nil, ps
	}
	scores, ps := ParseScores(raw.Scores)
	return &Sheet{Scores: scores, Comments: raw.Comments, Opinion: raw.Opinion, Vetoes: raw.Vetoes}, ps
}

// ParseScores reads each score of a sheet as it arrived in JSON: a number
// that is exactly a multiple of 0.5 within ±MaxAbs, or a problem naming the
// score ("scores.A1"). It serves ParseSheet and bodies that carry a sheet's
// fields beside others.
func ParseScores(raw map[string]jsontext.Value) (map[string]Points, Problems) {
	scores := make(map[string]Points, len(raw))
	var ps Problems
	for _, code := range sortedKeys(raw) {
		var p Points
		switch err := p.UnmarshalJSON(raw[code]); err {
		case nil:
			scores[code] = p
		case ErrNotStep:
			ps.add("scores."+code, "rubric.score_step")
		case ErrOutOfRange:
			ps.add("scores."+code, "rubric.points_range")
		default:
			ps.add("scores."+code, "rubric.score_not_number")
		}
	}
	return scores, ps
}

// Result is what a complete, valid sheet comes to.
type Result struct {
	Total Points `json:"total"`
	Grade Grade  `json:"grade"`
	// Passed is whether the total reaches the pass line, no indicator is
	// below its threshold and no veto is flagged, on this sheet alone; the
	// panel's conclusion aggregates all sheets.
	Passed bool `json:"passed"`
	// BelowThreshold lists the indicators scored below their threshold.
	BelowThreshold []string `json:"below_threshold"`
	// Vetoes lists the veto items flagged.
	Vetoes []string `json:"vetoes"`
}

// CommentRequired reports whether a score needs a comment: below 60% or
// above 90% of the indicator's maximum (exact: compared in half-points).
func CommentRequired(score, max Points) bool {
	return score*10 < max*6 || score*10 > max*9
}

// Check validates a complete sheet against the rubric and, when it is
// valid, returns its result. Problems name the field: "scores.A1",
// "comments.A1", "opinion", "vetoes.0.code", …
func (r *Rubric) Check(s *Sheet) (Result, Problems) { return r.check(s, true) }

// CheckDraft validates what a draft holds, by the same rules as Check, but
// a draft may leave scores, required comments, the opinion and a veto's
// evidence for later: what is there must be right (known indicators and
// veto items, scores in range, texts within their limits, no veto twice).
func (r *Rubric) CheckDraft(s *Sheet) Problems {
	_, ps := r.check(s, false)
	return ps
}

// check validates s; complete asks for everything a submission needs.
func (r *Rubric) check(s *Sheet, complete bool) (Result, Problems) {
	var ps Problems
	for _, code := range sortedKeys(s.Scores) {
		if _, ok := r.Indicator(code); !ok {
			ps.add("scores."+code, "rubric.unknown_indicator")
		}
	}
	for _, code := range sortedKeys(s.Comments) {
		if _, ok := r.Indicator(code); !ok {
			ps.add("comments."+code, "rubric.unknown_indicator")
		}
	}
	var res Result
	for _, in := range r.Indicators {
		score, ok := s.Scores[in.Code]
		switch {
		case !ok && !complete:
			if utf8.RuneCountInString(strings.TrimSpace(s.Comments[in.Code])) > MaxCommentLen {
				ps.add("comments."+in.Code, "rubric.text_too_long", "Max", MaxCommentLen)
			}
			continue
		case !ok:
			ps.add("scores."+in.Code, "rubric.score_missing")
			continue
		case score < 0 || score > in.Max:
			ps.add("scores."+in.Code, "rubric.score_range", "Max", in.Max.String())
			continue
		}
		res.Total += score
		comment := strings.TrimSpace(s.Comments[in.Code])
		switch {
		case comment == "" && complete && CommentRequired(score, in.Max):
			ps.add("comments."+in.Code, "rubric.comment_required")
		case utf8.RuneCountInString(comment) > MaxCommentLen:
			ps.add("comments."+in.Code, "rubric.text_too_long", "Max", MaxCommentLen)
		}
		if in.Threshold != nil && score < *in.Threshold {
			res.BelowThreshold = append(res.BelowThreshold, in.Code)
		}
	}
	switch opinion := strings.TrimSpace(s.Opinion); {
	case opinion == "" && complete:
		ps.add("opinion", "rubric.opinion_required")
	case utf8.RuneCountInString(opinion) > MaxOpinionLen:
		ps.add("opinion", "rubric.text_too_long", "Max", MaxOpinionLen)
	}
	flagged := map[string]bool{}
	for i, v := range s.Vetoes {
		f := fmt.Sprintf("vetoes.%d", i)
		switch _, known := r.Veto(v.Code); {
		case !known:
			ps.add(f+".code", "rubric.unknown_veto")
			continue
		case flagged[v.Code]:
			ps.add(f+".code", "rubric.veto_twice")
			continue
		}
		flagged[v.Code] = true
		switch ev := strings.TrimSpace(v.Evidence); {
		case ev == "" && complete:
			ps.add(f+".evidence", "rubric.evidence_required")
		case utf8.RuneCountInString(ev) > MaxCommentLen:
			ps.add(f+".evidence", "rubric.text_too_long", "Max", MaxCommentLen)
		}
		res.Vetoes = append(res.Vetoes, v.Code)
	}
	if len(ps) > 0 || !complete {
		return Result{}, ps
	}
	res.Grade = r.Grade(res.Total).Grade
	res.Passed = res.Total >= r.PassLine && len(res.BelowThreshold) == 0 && len(res.Vetoes) == 0
	return res, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

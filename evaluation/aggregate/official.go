package aggregate

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/evalpanel/evalpanel/rubrics"
)

// Method is how a panel's sheet totals become its score (the campaign's
// evaluation.Aggregation, by the same names).
type Method string

// The methods. The empty Method is TrimmedMean.
const (
	TrimmedMean Method = "trimmed_mean"
	Mean        Method = "mean"
	Median      Method = "median"
)

// The n-rules of the panel score, the same for every method: no score
// below MinSheets technical sheets; the trimmed mean drops one highest and
// one lowest total from TrimFrom sheets on, and is the plain mean below.
const (
	MinSheets = 3
	TrimFrom  = 5
)

// The default divergence limits: 20 and 15 points.
const (
	DefaultRangeLimit    rubrics.Points = 20 * 2 * rubrics.Half
	DefaultDistanceLimit rubrics.Points = 15 * 2 * rubrics.Half
)

// Settings are a campaign's aggregation settings.
type Settings struct {
	Method Method `json:"method"`
	// RangeLimit and DistanceLimit are the divergence limits: a project is
	// divergent when its highest and lowest totals are more than RangeLimit
	// apart, or a total is more than DistanceLimit from their median. Zero
	// means the default (20 and 15).
	RangeLimit    rubrics.Points `json:"range_limit"`
	DistanceLimit rubrics.Points `json:"distance_limit"`
}

// ErrInvalid is wrapped by every error of this package: the input breaks a
// rule that the stored sheets and settings always keep (a score missing or
// out of range, an unknown veto item, an expert with two sheets, a
// confirmation without a reason, an unknown method). The caller should
// treat it as an internal error, not a user's mistake.
var ErrInvalid = errors.New("invalid aggregation input")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

// withDefaults fills the zero settings in and checks the rest.
func (s Settings) withDefaults() (Settings, error) {
	if s.Method == "" {
		s.Method = TrimmedMean
	}
	if s.RangeLimit == 0 {
		s.RangeLimit = DefaultRangeLimit
	}
	if s.DistanceLimit == 0 {
		s.DistanceLimit = DefaultDistanceLimit
	}
	switch {
	case s.Method != TrimmedMean && s.Method != Mean && s.Method != Median:
		return s, invalid("unknown method %q", s.Method)
	case s.RangeLimit < 0 || s.DistanceLimit < 0:
		return s, invalid("negative divergence limit")
	}
	return s, nil
}

// Track is a scoring track: the technical panel, or the finance group.
type Track string

// The tracks.
const (
	TrackTechnical Track = "technical" // 技术评价
	TrackFinance   Track = "finance"   // 财务评价
)

// Sheet is a submitted score sheet (评分表) as aggregation needs it: whose
// it is, a score for every indicator of its rubric, and the veto items it
// flags. Sheets not submitted are left out by the caller.
type Sheet struct {
	Expert int64                     `json:"expert"`
	Scores map[string]rubrics.Points `json:"scores"`
	Vetoes []string                  `json:"vetoes,omitempty"`
}

// FinanceSheet is a submitted finance sheet with its expert's verdict on
// the finance track (通过 / 不通过).
type FinanceSheet struct {
	Sheet
	Pass bool `json:"pass"`
}

// Confirmation is a veto item that agency staff confirmed for a project,
// with their reason. Track names the rubric whose item it is.
type Confirmation struct {
	Track  Track  `json:"track"`
	Veto   string `json:"veto"`
	Reason string `json:"reason"`
}

// Project is what a project's official result is computed from: its
// submitted technical and finance sheets and the staff's veto
// confirmations. Class selects the technical rubric in Campaign and groups
// the advisory figures.
type Project struct {
	ID        int64          `json:"id"`
	Class     string         `json:"class"`
	Technical []Sheet        `json:"technical"`
	Finance   []FinanceSheet `json:"finance"`
	Confirmed []Confirmation `json:"confirmed,omitempty"`
}

// Rubrics are the pinned rubrics a project is scored on: its class's
// technical rubric, and the finance rubric (which may be nil only when the
// project has no finance sheet).
type Rubrics struct {
	Technical *rubrics.Rubric
	Finance   *rubrics.Rubric
}

// Conclusion is the proposed conclusion (建议结论) of the pass rule.
type Conclusion string

// The proposals. None means that a figure the pass rule needs is missing
// (too few technical sheets, no finance sheet), so nothing is proposed.
const (
	Pass Conclusion = "pass" // 通过
	Fail Conclusion = "fail" // 未通过
	None Conclusion = "none"
)

// Result is a project's official result, recomputed from its sheets.
type Result struct {
	Project    int64           `json:"project"`
	Class      string          `json:"class"`
	Technical  TechnicalResult `json:"technical"`
	Finance    FinanceResult   `json:"finance"`
	Vetoes     []VetoResult    `json:"vetoes"`
	Divergence Divergence      `json:"divergence"`
	Proposal   Conclusion      `json:"proposal"`
	// Reasons lists every reason found, in a fixed order: missing figures,
	// the pass line, the thresholds (rubric order), the finance track, the
	// vetoes held (technical, then finance, rubric order).
	Reasons []Reason `json:"reasons"`
}

// SheetTotal is one sheet's total.
type SheetTotal struct {
	Expert int64          `json:"expert"`
	Total  rubrics.Points `json:"total"`
}

// TechnicalResult is the technical panel's result.
type TechnicalResult struct {
	Sheets int          `json:"sheets"`
	Totals []SheetTotal `json:"totals"` // input order
	Method Method       `json:"method"`
	// Dropped names the experts whose totals the trimmed mean left out: the
	// lowest, then the highest; among equal totals, the lower expert id is
	// taken as the lower (the score does not depend on this choice).
	Dropped []int64 `json:"dropped,omitempty"`
	// Score is the panel score, rounded; nil below MinSheets sheets.
	Score *Score `json:"score"`
	// Grade is the band of Score in the technical rubric; "" without one.
	Grade    rubrics.Grade `json:"grade,omitempty"`
	PassLine Score         `json:"pass_line"`
	// Indicators are the indicator means over all sheets (never trimmed),
	// in rubric order; empty when there is no sheet.
	Indicators []IndicatorMean `json:"indicators"`
}

// IndicatorMean is an indicator's panel mean and its threshold check.
type IndicatorMean struct {
	Code string `json:"code"`
	Mean Score  `json:"mean"`
	// Threshold is the indicator's minimum, if it has one; Met says whether
	// the rounded Mean reaches it (nil without a threshold).
	Threshold *Score `json:"threshold,omitempty"`
	Met       *bool  `json:"met,omitempty"`
}

// FinanceResult is the finance track's result (财务评价).
type FinanceResult struct {
	Sheets int          `json:"sheets"`
	Totals []SheetTotal `json:"totals"`
	// Score is the mean finance total, rounded; nil without a sheet.
	Score    *Score `json:"score"`
	PassLine Score  `json:"pass_line"`
	// Votes counts the finance experts who say pass.
	Votes int `json:"votes"`
	// ScoreOK: Score ≥ PassLine; VoteOK: more than half say pass. Passed is
	// both, and nil when there is no sheet (the track has no result).
	ScoreOK bool  `json:"score_ok"`
	VoteOK  bool  `json:"vote_ok"`
	Passed  *bool `json:"passed"`
}

// VetoResult is a veto item (一票否决项) flagged on at least one sheet or
// confirmed by staff.
type VetoResult struct {
	Track Track  `json:"track"`
	Veto  string `json:"veto"`
	// Flags of Sheets submitted sheets of the track flag it; Majority is
	// 2·Flags > Sheets.
	Flags    int  `json:"flags"`
	Sheets   int  `json:"sheets"`
	Majority bool `json:"majority"`
	// Confirmed says agency staff confirmed it, for Reason.
	Confirmed bool   `json:"confirmed"`
	Reason    string `json:"reason,omitempty"`
	Held      bool   `json:"held"`
}

// Divergence is the spread of the technical totals (评分分歧).
type Divergence struct {
	Range       rubrics.Points `json:"range"`        // highest − lowest
	Median      Score          `json:"median"`       // exact: a multiple of 0.25
	MaxDistance Score          `json:"max_distance"` // largest |total − median|, exact
	// The limits applied, and which one is exceeded (strictly).
	RangeLimit       rubrics.Points `json:"range_limit"`
	DistanceLimit    rubrics.Points `json:"distance_limit"`
	RangeExceeded    bool           `json:"range_exceeded"`
	DistanceExceeded bool           `json:"distance_exceeded"`
	Divergent        bool           `json:"divergent"`
}

// Official computes a project's official result from its submitted
// sheets, exactly: see the package comment for every rule.
func Official(p *Project, r Rubrics, s Settings) (Result, error) {
	s, err := s.withDefaults()
	if err != nil {
		return Result{}, err
	}
	if r.Technical == nil {
		return Result{}, invalid("project %d: no technical rubric", p.ID)
	}
	if r.Finance == nil && len(p.Finance) > 0 {
		return Result{}, invalid("project %d: finance sheets without a finance rubric", p.ID)
	}
	res := Result{Project: p.ID, Class: p.Class}

	techTotals, techSums, err := sheetTotals(p.ID, TrackTechnical, r.Technical, len(p.Technical), func(i int) *Sheet { return &p.Technical[i] })
	if err != nil {
		return Result{}, err
	}
	finTotals, _, err := sheetTotals(p.ID, TrackFinance, r.Finance, len(p.Finance), func(i int) *Sheet { return &p.Finance[i].Sheet })
	if err != nil {
		return Result{}, err
	}
	sorted := sortedTotals(techTotals)
	res.Technical = technical(r.Technical, s.Method, techTotals, sorted, techSums)
	res.Finance = finance(p, r.Finance, finTotals)
	res.Divergence = divergence(sorted, s)
	if res.Vetoes, err = vetoes(p, r); err != nil {
		return Result{}, err
	}
	res.Reasons = reasons(&res)
	res.Proposal = propose(res.Reasons)
	return res, nil
}

// sheetTotals checks n sheets of a track against its rubric, and returns
// their totals and the sum of each indicator's scores (in rubric order).
func sheetTotals(project int64, track Track, r *rubrics.Rubric, n int, sheet func(int) *Sheet) ([]SheetTotal, []rubrics.Points, error) {
	totals := make([]SheetTotal, n)
	if n == 0 {
		return totals, nil, nil
	}
	sums := make([]rubrics.Points, len(r.Indicators))
	for i := range n {
		sh := sheet(i)
		for _, prev := range totals[:i] {
			if prev.Expert == sh.Expert {
				return nil, nil, invalid("project %d: two %s sheets of expert %d", project, track, sh.Expert)
			}
		}
		var total rubrics.Points
		for k, in := range r.Indicators {
			score, ok := sh.Scores[in.Code]
			switch {
			case !ok:
				return nil, nil, invalid("project %d: %s sheet of expert %d: no score for %s", project, track, sh.Expert, in.Code)
			case score < 0 || score > in.Max:
				return nil, nil, invalid("project %d: %s sheet of expert %d: score %s of %s out of range", project, track, sh.Expert, score, in.Code)
			}
			total += score
			sums[k] += score
		}
		if len(sh.Scores) != len(r.Indicators) {
			for code := range sh.Scores {
				if _, ok := r.Indicator(code); !ok {
					return nil, nil, invalid("project %d: %s sheet of expert %d: unknown indicator %s", project, track, sh.Expert, code)
				}
			}
		}
		for j, code := range sh.Vetoes {
			if _, ok := r.Veto(code); !ok {
				return nil, nil, invalid("project %d: %s sheet of expert %d: unknown veto item %s", project, track, sh.Expert, code)
			}
			if slices.Contains(sh.Vetoes[:j], code) {
				return nil, nil, invalid("project %d: %s sheet of expert %d: veto item %s flagged twice", project, track, sh.Expert, code)
			}
		}
		totals[i] = SheetTotal{Expert: sh.Expert, Total: total}
	}
	return totals, sums, nil
}

// sortedTotals returns the totals from the lowest, equal totals by expert.
func sortedTotals(totals []SheetTotal) []SheetTotal {
	s := slices.Clone(totals)
	slices.SortFunc(s, func(a, b SheetTotal) int {
		if c := cmp.Compare(a.Total, b.Total); c != 0 {
			return c
		}
		return cmp.Compare(a.Expert, b.Expert)
	})
	return s
}

// median returns the exact median of sorted totals (n ≥ 1): the middle
// one, or for even n the mean of the two middle ones, (a + b) / 2 points =
// 25·(a + b) hundredths with a and b in half-points.
func median(sorted []SheetTotal) Score {
	n := len(sorted)
	if n%2 == 1 {
		return FromPoints(sorted[n/2].Total)
	}
	return Score(25 * int64(sorted[n/2-1].Total+sorted[n/2].Total))
}

func sum(totals []SheetTotal) rubrics.Points {
	var t rubrics.Points
	for _, st := range totals {
		t += st.Total
	}
	return t
}

// technical computes the panel score from the totals (and the same
// sorted), and the indicator means from the sums of their scores.
func technical(r *rubrics.Rubric, m Method, totals, sorted []SheetTotal, sums []rubrics.Points) TechnicalResult {
	n := len(totals)
	tr := TechnicalResult{Sheets: n, Totals: totals, Method: m, PassLine: FromPoints(r.PassLine), Indicators: []IndicatorMean{}}
	if n >= MinSheets {
		var score Score
		switch {
		case m == Median:
			score = median(sorted)
		case m == TrimmedMean && n >= TrimFrom:
			score = Average(sum(sorted[1:n-1]), n-2)
			tr.Dropped = []int64{sorted[0].Expert, sorted[n-1].Expert}
		default: // Mean, and TrimmedMean below TrimFrom
			score = Average(sum(totals), n)
		}
		tr.Score = &score
		tr.Grade = grade(r, score)
	}
	if n == 0 {
		return tr
	}
	tr.Indicators = make([]IndicatorMean, len(r.Indicators))
	for k, in := range r.Indicators {
		im := IndicatorMean{Code: in.Code, Mean: Average(sums[k], n)}
		if in.Threshold != nil {
			th := FromPoints(*in.Threshold)
			met := im.Mean >= th
			im.Threshold, im.Met = &th, &met
		}
		tr.Indicators[k] = im
	}
	return tr
}

// grade is rubrics.Rubric.Grade for a rounded score: the first band, from
// the best, whose minimum the score reaches; the last band below them all.
func grade(r *rubrics.Rubric, s Score) rubrics.Grade {
	for _, b := range r.Bands {
		if s >= FromPoints(b.Min) {
			return b.Grade
		}
	}
	if len(r.Bands) > 0 {
		return r.Bands[len(r.Bands)-1].Grade
	}
	return rubrics.Fail
}

func finance(p *Project, r *rubrics.Rubric, totals []SheetTotal) FinanceResult {
	fr := FinanceResult{Sheets: len(totals), Totals: totals}
	if r != nil {
		fr.PassLine = FromPoints(r.PassLine)
	}
	if len(totals) == 0 {
		return fr
	}
	score := Average(sum(totals), len(totals))
	for _, fs := range p.Finance {
		if fs.Pass {
			fr.Votes++
		}
	}
	fr.Score = &score
	fr.ScoreOK = score >= fr.PassLine
	fr.VoteOK = 2*fr.Votes > fr.Sheets
	passed := fr.ScoreOK && fr.VoteOK
	fr.Passed = &passed
	return fr
}

// divergence measures the spread of the sorted totals.
func divergence(sorted []SheetTotal, s Settings) Divergence {
	d := Divergence{RangeLimit: s.RangeLimit, DistanceLimit: s.DistanceLimit}
	if len(sorted) == 0 {
		return d
	}
	d.Range = sorted[len(sorted)-1].Total - sorted[0].Total
	d.Median = median(sorted)
	// The farthest total from the median is the lowest or the highest.
	d.MaxDistance = max(d.Median-FromPoints(sorted[0].Total), FromPoints(sorted[len(sorted)-1].Total)-d.Median)
	d.RangeExceeded = d.Range > s.RangeLimit
	d.DistanceExceeded = d.MaxDistance > FromPoints(s.DistanceLimit)
	d.Divergent = d.RangeExceeded || d.DistanceExceeded
	return d
}

// vetoes resolves the veto items of both tracks: each counted on its own
// track's sheets against its own rubric, even where a code appears in both.
func vetoes(p *Project, r Rubrics) ([]VetoResult, error) {
	for i, c := range p.Confirmed {
		var rub *rubrics.Rubric
		switch c.Track {
		case TrackTechnical:
			rub = r.Technical
		case TrackFinance:
			rub = r.Finance
		default:
			return nil, invalid("project %d: confirmation of %s on unknown track %q", p.ID, c.Veto, c.Track)
		}
		if rub == nil {
			return nil, invalid("project %d: confirmation of %s without a %s rubric", p.ID, c.Veto, c.Track)
		}
		if _, ok := rub.Veto(c.Veto); !ok {
			return nil, invalid("project %d: confirmation of unknown %s veto item %s", p.ID, c.Track, c.Veto)
		}
		if strings.TrimSpace(c.Reason) == "" {
			return nil, invalid("project %d: confirmation of %s %s without a reason", p.ID, c.Track, c.Veto)
		}
		for _, prev := range p.Confirmed[:i] {
			if prev.Track == c.Track && prev.Veto == c.Veto {
				return nil, invalid("project %d: %s %s confirmed twice", p.ID, c.Track, c.Veto)
			}
		}
	}
	out := []VetoResult{}
	resolve := func(track Track, rub *rubrics.Rubric, n int, sheet func(int) *Sheet) {
		if rub == nil {
			return
		}
		for _, v := range rub.Vetoes {
			vr := VetoResult{Track: track, Veto: v.Code, Sheets: n}
			for i := range n {
				if slices.Contains(sheet(i).Vetoes, v.Code) {
					vr.Flags++
				}
			}
			for _, c := range p.Confirmed {
				if c.Track == track && c.Veto == v.Code {
					vr.Confirmed, vr.Reason = true, strings.TrimSpace(c.Reason)
				}
			}
			if vr.Flags == 0 && !vr.Confirmed {
				continue
			}
			vr.Majority = 2*vr.Flags > n
			vr.Held = vr.Majority || vr.Confirmed
			out = append(out, vr)
		}
	}
	resolve(TrackTechnical, r.Technical, len(p.Technical), func(i int) *Sheet { return &p.Technical[i] })
	resolve(TrackFinance, r.Finance, len(p.Finance), func(i int) *Sheet { return &p.Finance[i].Sheet })
	return out, nil
}

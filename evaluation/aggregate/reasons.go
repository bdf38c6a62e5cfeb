package aggregate

// ReasonCode names a reason of the proposal, for the interface to word
// (as "aggregate.reason.<code>" messages) and for an appeal to check.
type ReasonCode string

// The reason codes, with the arguments each sets.
const (
	// TooFewSheets: the technical panel has Count sheets, fewer than Of
	// (MinSheets); there is no panel score, and nothing is proposed.
	TooFewSheets ReasonCode = "too_few_sheets"
	// NoFinanceSheet: no finance sheet is in; the finance track has no
	// result, and nothing is proposed.
	NoFinanceSheet ReasonCode = "no_finance_sheet"
	// BelowPassLine: the panel score Value is below the technical rubric's
	// pass line Limit.
	BelowPassLine ReasonCode = "below_pass_line"
	// ThresholdMissed: Indicator's panel mean Value is below its threshold
	// Limit.
	ThresholdMissed ReasonCode = "threshold_missed"
	// FinanceBelowPassLine: the finance score Value is below the finance
	// rubric's pass line Limit.
	FinanceBelowPassLine ReasonCode = "finance_below_pass_line"
	// FinanceVoteFailed: only Count of the Of finance experts say pass,
	// not more than half.
	FinanceVoteFailed ReasonCode = "finance_vote_failed"
	// VetoHeld: veto item Veto of Track holds: Count of its Of sheets flag
	// it (a majority), or staff confirmed it (Confirmed), or both.
	VetoHeld ReasonCode = "veto_held"
)

// Reason is one reason why a project does not pass, or why nothing is
// proposed, with its arguments. Arguments a code does not use are left
// zero (and the optional ones out of the JSON).
type Reason struct {
	Code      ReasonCode `json:"code"`
	Track     Track      `json:"track,omitempty"`
	Indicator string     `json:"indicator,omitempty"`
	Veto      string     `json:"veto,omitempty"`
	Value     *Score     `json:"value,omitempty"`
	Limit     *Score     `json:"limit,omitempty"`
	Count     int        `json:"count"`
	Of        int        `json:"of"`
	Confirmed bool       `json:"confirmed,omitempty"`
}

// Missing reports whether the reason is a missing figure, which withholds
// the proposal rather than failing the project.
func (r Reason) Missing() bool { return r.Code == TooFewSheets || r.Code == NoFinanceSheet }

// reasons lists every reason found in a result. The pass line and the
// thresholds are judged only when there is a panel score, the finance
// reasons only when the track has sheets; vetoes always.
func reasons(res *Result) []Reason {
	rs := []Reason{}
	tr, fr := &res.Technical, &res.Finance
	if tr.Score == nil {
		rs = append(rs, Reason{Code: TooFewSheets, Track: TrackTechnical, Count: tr.Sheets, Of: MinSheets})
	}
	if fr.Score == nil {
		rs = append(rs, Reason{Code: NoFinanceSheet, Track: TrackFinance})
	}
	if tr.Score != nil {
		if *tr.Score < tr.PassLine {
			rs = append(rs, Reason{Code: BelowPassLine, Track: TrackTechnical, Value: new(*tr.Score), Limit: new(tr.PassLine)})
		}
		for _, im := range tr.Indicators {
			if im.Met != nil && !*im.Met {
				rs = append(rs, Reason{Code: ThresholdMissed, Track: TrackTechnical, Indicator: im.Code, Value: new(im.Mean), Limit: new(*im.Threshold)})
			}
		}
	}
	if fr.Score != nil {
		if !fr.ScoreOK {
			rs = append(rs, Reason{Code: FinanceBelowPassLine, Track: TrackFinance, Value: new(*fr.Score), Limit: new(fr.PassLine)})
		}
		if !fr.VoteOK {
			rs = append(rs, Reason{Code: FinanceVoteFailed, Track: TrackFinance, Count: fr.Votes, Of: fr.Sheets})
		}
	}
	for _, v := range res.Vetoes {
		if v.Held {
			rs = append(rs, Reason{Code: VetoHeld, Track: v.Track, Veto: v.Veto, Count: v.Flags, Of: v.Sheets, Confirmed: v.Confirmed})
		}
	}
	return rs
}

// propose applies the pass rule: nothing when a figure is missing, fail
// for any other reason, pass without one.
func propose(rs []Reason) Conclusion {
	for _, r := range rs {
		if r.Missing() {
			return None
		}
	}
	if len(rs) > 0 {
		return Fail
	}
	return Pass
}

func ptr[T any](v T) *T { return &v }

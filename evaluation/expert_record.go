package evaluation

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
)

// ExpertRecord is what an expert did in one closed campaign (专家信用记录):
// computed once, in the transaction that closes the campaign, from its
// panels, sheets and declarations, and never changed afterwards. The
// administrators and the commission read the records; agency staff and
// experts never do, an expert not even their own: the figures compare
// experts with each other and feed the order of later draws (a soft
// preference), and an expert who watched them could play to them.
//
// An expert has a record when they were invited to one of the campaign's
// panels (whatever they answered), submitted a sheet in it, or declared a
// conflict with one of its projects. The figures:
//
//   - Assigned: the projects the expert was to score, one per (project,
//     expert) pair: every project of a panel on which the expert held an
//     accepted seat when the campaign closed, and every project whose sheet
//     they submitted.
//   - Submitted: of those, the sheets submitted when the campaign closed.
//   - OnTime: of those, the sheets whose first submission (round 1; a
//     sheet the agency reopened counts by its first round) came by the
//     member's last scoring day (ScoringDue: their own extension, else the
//     campaign's; no day set means on time). OnTimeRate is OnTime over
//     Assigned: a sheet never submitted is not on time.
//   - Scored: the expert's submitted technical sheets in projects with at
//     least aggregate.MinSheets technical sheets (a panel score exists).
//     Divergent: of those, the sheets whose total lies more than the
//     campaign's distance limit (CampaignSettings.DivergenceDistance,
//     default 15 points) from the median of the project's technical
//     totals, the same test as the project's divergence flag
//     (aggregate.Divergence.DistanceExceeded), applied to the expert's own
//     sheet: they were the outlier. DivergenceRate is Divergent over
//     Scored.
//   - Leniency: the expert's bias in the campaign's advisory leniency fit
//     (aggregate.Leniency over every submitted technical sheet, as the
//     results show it), with its standard error and whether it is
//     estimable; nil without a technical sheet. Positive is lenient.
//   - Conflicts: the conflicts of interest with the campaign's projects
//     that the expert declared themself (from their own account) and that
//     stand at closing (a conflict the agency lifted is not counted).
//   - Declines: the invitations to the campaign's panels the expert
//     declined; a seat given up because of a conflict of interest (declared
//     or recorded for one of the panel's projects, or found by the rules
//     when accepting) is a conflict, not a decline.
type ExpertRecord struct {
	CampaignID int64 `json:"campaign_id"`
	ExpertID   int64 `json:"expert_id"`
	AgencyID   int64 `json:"agency_id"`
	// CampaignName, CampaignYear and ExpertName are read with the record,
	// for lists; they are not part of it.
	CampaignName string `json:"campaign_name,omitempty"`
	CampaignYear int    `json:"campaign_year,omitempty"`
	ExpertName   string `json:"expert_name,omitempty"`

	Assigned       int      `json:"assigned"`
	Submitted      int      `json:"submitted"`
	OnTime         int      `json:"on_time"`
	OnTimeRate     *float64 `json:"on_time_rate"`
	Scored         int      `json:"scored"`
	Divergent      int      `json:"divergent"`
	DivergenceRate *float64 `json:"divergence_rate"`
	// Leniency is the fitted bias in points, LeniencySE its standard error.
	Leniency          *float64  `json:"leniency"`
	LeniencySE        *float64  `json:"leniency_se"`
	LeniencyEstimable bool      `json:"leniency_estimable"`
	Conflicts         int       `json:"conflicts"`
	Declines          int       `json:"declines"`
	ComputedAt        time.Time `json:"computed_at"`
}

// ProjectConflict is a conflict of interest recorded for an expert with a
// project, and whether the expert declared it from their own account.
type ProjectConflict struct {
	ExpertID  int64
	ProjectID int64
	Declared  bool
}

// expertRecordInput is what a campaign's records are computed from.
type expertRecordInput struct {
	campaign *Campaign
	panels   []*Panel
	sheets   []*Sheet
	// firstSubmitted is each sheet's first submission (round 1), by sheet.
	firstSubmitted map[int64]time.Time
	conflicts      []ProjectConflict
	now            time.Time
}

// rate is n over of, nil when of is 0.
func rate(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}

// sheetTotal is the sum of a sheet's scores.
func sheetTotal(sh *Sheet) rubrics.Points {
	var t rubrics.Points
	for _, p := range sh.Content.Scores {
		t += p
	}
	return t
}

// computeExpertRecords computes a campaign's expert records (ExpertRecord
// defines every figure), by expert id.
func computeExpertRecords(in expertRecordInput) ([]*ExpertRecord, error) {
	c := in.campaign
	recs := map[int64]*ExpertRecord{}
	rec := func(expertID int64) *ExpertRecord {
		r := recs[expertID]
		if r == nil {
			r = &ExpertRecord{CampaignID: c.ID, ExpertID: expertID, AgencyID: c.AgencyID, ComputedAt: in.now}
			recs[expertID] = r
		}
		return r
	}
	type pair struct{ project, expert int64 }
	conflicted := map[pair]bool{}
	for _, pc := range in.conflicts {
		conflicted[pair{pc.ProjectID, pc.ExpertID}] = true
		if pc.Declared {
			rec(pc.ExpertID).Conflicts++
		}
	}

	assigned := map[pair]bool{}
	memberOf := map[pair]*PanelMember{}
	for _, p := range in.panels {
		for _, m := range p.Members {
			for _, pid := range p.ProjectIDs {
				memberOf[pair{pid, m.ExpertID}] = m
			}
			switch m.Status {
			case MemberInvited:
				rec(m.ExpertID)
			case MemberAccepted:
				r := rec(m.ExpertID)
				for _, pid := range p.ProjectIDs {
					if !assigned[pair{pid, m.ExpertID}] {
						assigned[pair{pid, m.ExpertID}] = true
						r.Assigned++
					}
				}
			case MemberDeclined:
				r := rec(m.ExpertID)
				withdrawn := strings.HasPrefix(m.DeclineReason, "conflict: ")
				for _, pid := range p.ProjectIDs {
					withdrawn = withdrawn || conflicted[pair{pid, m.ExpertID}]
				}
				if !withdrawn {
					r.Declines++
				}
			}
		}
	}

	totals := map[int64][]rubrics.Points{} // technical totals by project
	var obs []aggregate.Observation
	for _, sh := range in.sheets {
		if sh.Status != SheetSubmitted {
			continue
		}
		k := pair{sh.ProjectID, sh.ExpertID}
		r := rec(sh.ExpertID)
		if !assigned[k] {
			assigned[k] = true
			r.Assigned++
		}
		r.Submitted++
		first, ok := in.firstSubmitted[sh.ID]
		if !ok {
			first = sh.SubmittedAt
		}
		if due := ScoringDue(c, memberOf[k]); due == "" || !PastDue(due, first) {
			r.OnTime++
		}
		if sh.Seat == SeatTechnical {
			t := sheetTotal(sh)
			totals[sh.ProjectID] = append(totals[sh.ProjectID], t)
			obs = append(obs, aggregate.Observation{Project: sh.ProjectID, Expert: sh.ExpertID, Total: t})
		}
	}

	limit := c.Settings.DivergenceDistance
	if limit == 0 {
		limit = aggregate.DefaultDistanceLimit
	}
	medians := map[int64]aggregate.Score{}
	for pid, ts := range totals {
		if len(ts) < aggregate.MinSheets {
			continue
		}
		s := slices.Clone(ts)
		slices.Sort(s)
		n := len(s)
		medians[pid] = (aggregate.FromPoints(s[(n-1)/2]) + aggregate.FromPoints(s[n/2])) / 2
	}
	for _, o := range obs {
		med, ok := medians[o.Project]
		if !ok {
			continue
		}
		r := rec(o.Expert)
		r.Scored++
		d := aggregate.FromPoints(o.Total) - med
		if d < 0 {
			d = -d
		}
		if d > aggregate.FromPoints(limit) {
			r.Divergent++
		}
	}

	fit, err := aggregate.Leniency(obs)
	if err != nil {
		return nil, err
	}
	for _, b := range fit.Experts {
		r := rec(b.Expert)
		r.Leniency, r.LeniencySE, r.LeniencyEstimable = new(b.Bias), new(b.SE), b.Estimable
	}

	out := make([]*ExpertRecord, 0, len(recs))
	for _, r := range recs {
		r.OnTimeRate = rate(r.OnTime, r.Assigned)
		r.DivergenceRate = rate(r.Divergent, r.Scored)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *ExpertRecord) int { return cmp.Compare(a.ExpertID, b.ExpertID) })
	return out, nil
}

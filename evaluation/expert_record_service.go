package evaluation

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// expertRecordReader reads the expert records of closed campaigns.
type expertRecordReader interface {
	// ExpertRecords lists an expert's records, newest campaign first,
	// with the campaigns' names and years.
	ExpertRecords(ctx context.Context, expertID int64) ([]*ExpertRecord, error)
	// CampaignExpertRecords lists a campaign's records by expert name.
	CampaignExpertRecords(ctx context.Context, campaignID int64) ([]*ExpertRecord, error)
	// ExpertRecordSummaries sums the records of each expert who has one,
	// filtered, sorted and paged; with the number of matching experts.
	ExpertRecordSummaries(ctx context.Context, f ExpertRecordFilter) ([]*ExpertRecordSummary, int, error)
}

// recordTx is what computing a campaign's records reads and writes in the
// transaction that closes it.
type recordTx interface {
	Panels(ctx context.Context, campaignID int64) ([]*Panel, error)
	CampaignSheets(ctx context.Context, campaignID int64) ([]*Sheet, error)
	// CampaignFirstSubmissions returns when each submitted sheet of the
	// campaign was first submitted (round 1), by sheet id.
	CampaignFirstSubmissions(ctx context.Context, campaignID int64) (map[int64]time.Time, error)
	// CampaignProjectConflicts lists the conflicts recorded with the
	// campaign's projects.
	CampaignProjectConflicts(ctx context.Context, campaignID int64) ([]ProjectConflict, error)
	AddExpertRecord(ctx context.Context, r *ExpertRecord) error
	auditor
}

// recordExperts computes and stores the expert records of a campaign that
// is closing, in the transaction that closes it, and audits them.
func (c *core) recordExperts(ctx context.Context, tx recordTx, actor Actor, camp *Campaign) error {
	in := expertRecordInput{campaign: camp, now: c.now()}
	var err error
	if in.panels, err = tx.Panels(ctx, camp.ID); err != nil {
		return err
	}
	if in.sheets, err = tx.CampaignSheets(ctx, camp.ID); err != nil {
		return err
	}
	if in.firstSubmitted, err = tx.CampaignFirstSubmissions(ctx, camp.ID); err != nil {
		return err
	}
	if in.conflicts, err = tx.CampaignProjectConflicts(ctx, camp.ID); err != nil {
		return err
	}
	recs, err := computeExpertRecords(in)
	if err != nil {
		return fmt.Errorf("expert records of campaign %d: %w", camp.ID, err)
	}
	for _, r := range recs {
		if err := tx.AddExpertRecord(ctx, r); err != nil {
			return err
		}
	}
	return c.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.expert_records", ObjectType: "campaign",
		ObjectID: idString(camp.ID), AgencyID: camp.AgencyID, Details: map[string]any{"experts": len(recs)}})
}

// ExpertRecordSummary is an expert's records summed over the closed
// campaigns: the counts added up, the rates over the sums, and the mean
// of the estimable leniencies.
type ExpertRecordSummary struct {
	ExpertID       int64    `json:"expert_id"`
	ExpertName     string   `json:"expert_name"`
	Institution    string   `json:"institution"`
	Campaigns      int      `json:"campaigns"`
	Assigned       int      `json:"assigned"`
	Submitted      int      `json:"submitted"`
	OnTime         int      `json:"on_time"`
	OnTimeRate     *float64 `json:"on_time_rate"`
	Scored         int      `json:"scored"`
	Divergent      int      `json:"divergent"`
	DivergenceRate *float64 `json:"divergence_rate"`
	// Leniency is the mean of the campaigns' estimable biases; nil
	// without one.
	Leniency  *float64 `json:"leniency"`
	Conflicts int      `json:"conflicts"`
	Declines  int      `json:"declines"`
}

// ExpertRecordSorts are the sort keys of the records list.
var ExpertRecordSorts = []string{"name", "campaigns", "assigned", "on_time", "divergence", "leniency", "conflicts", "declines"}

// ExpertRecordFilter selects the experts of the records list.
type ExpertRecordFilter struct {
	Query string // matches the name or institution
	// Deferred keeps only the experts the draws place after the others.
	Deferred bool
	// Sort is one of ExpertRecordSorts, "-" first for descending; empty
	// sorts by name.
	Sort string
	Page Page
}

// Validate checks the records list's filter.
func (f *ExpertRecordFilter) Validate() error {
	p := newFilterProblems()
	p.query(f.Query)
	p.sort(f.Sort, ExpertRecordSorts)
	p.page(f.Page)
	return p.err()
}

// The rule of the draws' soft preference (DeferralOf): an expert whose
// records show fewer than DeferOnTimeRate of at least DeferMinAssigned
// assigned sheets on time, or at least DeferDeclines declined invitations,
// over all closed campaigns, is drawn after the other eligible experts.
const (
	DeferOnTimeRate  = 0.6
	DeferMinAssigned = 3
	DeferDeclines    = 3
)

// Deferral codes: why the draws place an expert after the others.
const (
	DeferralOnTime   = "on_time"
	DeferralDeclines = "declines"
)

// DeferralOf says whether the draws place an expert after the others, and
// why: the on-time rule first, then the declines. It never excludes
// anyone: a deferred expert is still drawn when the others do not fill the
// panel.
func DeferralOf(s *ExpertRecordSummary) (code string, ok bool) {
	switch {
	case s == nil:
		return "", false
	case s.Assigned >= DeferMinAssigned && float64(s.OnTime) < DeferOnTimeRate*float64(s.Assigned):
		return DeferralOnTime, true
	case s.Declines >= DeferDeclines:
		return DeferralDeclines, true
	}
	return "", false
}

// ExpertRecordService reads the expert records (专家信用记录): the
// administrators and the commission only.
type ExpertRecordService struct {
	*core
	store interface {
		expertRecordReader
		expertGetter
		campaignGetter
	}
}

// CanReadExpertRecords reports whether the actor may read expert records:
// the administrators and the commission (ExpertRecord says why no one
// else).
func CanReadExpertRecords(a Actor) bool { return a.Role == RoleAdmin || a.Role == RoleCommission }

// ExpertRecords lists an expert's records, newest campaign first.
func (s *ExpertRecordService) ExpertRecords(ctx context.Context, actor Actor, expertID int64) ([]*ExpertRecord, error) {
	if !CanReadExpertRecords(actor) {
		return nil, ErrForbidden
	}
	if _, err := s.store.Expert(ctx, expertID); err != nil {
		return nil, err
	}
	return s.store.ExpertRecords(ctx, expertID)
}

// CampaignExpertRecords lists the records of a campaign's experts; empty
// until the campaign closes.
func (s *ExpertRecordService) CampaignExpertRecords(ctx context.Context, actor Actor, campaignID int64) ([]*ExpertRecord, error) {
	if !CanReadExpertRecords(actor) {
		return nil, ErrForbidden
	}
	if _, err := s.store.Campaign(ctx, campaignID); err != nil {
		return nil, err
	}
	return s.store.CampaignExpertRecords(ctx, campaignID)
}

// Summaries lists the experts who have records, each summed over the
// closed campaigns.
func (s *ExpertRecordService) Summaries(ctx context.Context, actor Actor, f ExpertRecordFilter) ([]*ExpertRecordSummary, int, error) {
	if !CanReadExpertRecords(actor) {
		return nil, 0, ErrForbidden
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.store.ExpertRecordSummaries(ctx, f)
}

// Summary is one expert's records summed; nil when they have none.
func (s *ExpertRecordService) Summary(ctx context.Context, actor Actor, expertID int64) (*ExpertRecordSummary, error) {
	recs, err := s.ExpertRecords(ctx, actor, expertID)
	if err != nil {
		return nil, err
	}
	return SummarizeExpertRecords(recs), nil
}

// SummarizeExpertRecords sums an expert's records (ExpertRecordSummary);
// nil for none.
func SummarizeExpertRecords(recs []*ExpertRecord) *ExpertRecordSummary {
	if len(recs) == 0 {
		return nil
	}
	s := &ExpertRecordSummary{ExpertID: recs[0].ExpertID, ExpertName: recs[0].ExpertName, Campaigns: len(recs)}
	var sum float64
	n := 0
	for _, r := range recs {
		s.Assigned += r.Assigned
		s.Submitted += r.Submitted
		s.OnTime += r.OnTime
		s.Scored += r.Scored
		s.Divergent += r.Divergent
		s.Conflicts += r.Conflicts
		s.Declines += r.Declines
		if r.Leniency != nil && r.LeniencyEstimable {
			sum += *r.Leniency
			n++
		}
	}
	s.OnTimeRate, s.DivergenceRate = rate(s.OnTime, s.Assigned), rate(s.Divergent, s.Scored)
	if n > 0 {
		s.Leniency = new(sum / float64(n))
	}
	return s
}

// poolDeferrals are the deferrals of the experts whose records place them
// after the others in a draw (DeferralOf), by expert, with the figures
// behind each, in the draw's terms: the draw record keeps them in its
// pool snapshot, so that a re-run gives the same order.
func poolDeferrals(ctx context.Context, r interface {
	ExpertRecordSummaries(ctx context.Context, f ExpertRecordFilter) ([]*ExpertRecordSummary, int, error)
}) (map[int64]*assign.Deferral, error) {
	sums, _, err := r.ExpertRecordSummaries(ctx, ExpertRecordFilter{Page: Page{Number: 1, Size: math.MaxInt32}})
	if err != nil {
		return nil, err
	}
	out := map[int64]*assign.Deferral{}
	for _, s := range sums {
		switch code, _ := DeferralOf(s); code {
		case DeferralOnTime:
			out[s.ExpertID] = &assign.Deferral{Code: code, Assigned: s.Assigned, OnTime: s.OnTime}
		case DeferralDeclines:
			out[s.ExpertID] = &assign.Deferral{Code: code, Declines: s.Declines}
		}
	}
	return out, nil
}

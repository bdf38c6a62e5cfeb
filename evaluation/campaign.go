package evaluation

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/rubrics"
)

// CampaignState is where an evaluation campaign (评价批次) is in its life.
type CampaignState string

// The states (evaluation/README.md §2.1; the moves are Transitions).
const (
	CampaignDraft      CampaignState = "draft"
	CampaignForming    CampaignState = "forming"    // panels being formed
	CampaignScoring    CampaignState = "scoring"    // experts scoring
	CampaignConcluding CampaignState = "concluding" // conclusions being recorded
	CampaignSubmitted  CampaignState = "submitted"  // with the commission
	CampaignReturned   CampaignState = "returned"   // sent back by the commission
	CampaignApproved   CampaignState = "approved"
	CampaignPublished  CampaignState = "published" // publicity period (公示)
	CampaignClosed     CampaignState = "closed"
)

// CampaignStates lists the states in workflow order.
var CampaignStates = []CampaignState{CampaignDraft, CampaignForming, CampaignScoring, CampaignConcluding,
	CampaignSubmitted, CampaignReturned, CampaignApproved, CampaignPublished, CampaignClosed}

// Valid reports whether s is one of CampaignStates.
func (s CampaignState) Valid() bool { return slices.Contains(CampaignStates, s) }

// Transition is one allowed move of the campaign state machine: who may
// make it and whether they must give a reason.
type Transition struct {
	From, To    CampaignState
	Role        Role
	NeedsReason bool
}

// Transitions is the campaign state machine. Every other move is refused.
var Transitions = []Transition{
	{CampaignDraft, CampaignForming, RoleAgencyStaff, false},
	{CampaignForming, CampaignDraft, RoleAgencyStaff, true},
	{CampaignForming, CampaignScoring, RoleAgencyStaff, false},
	{CampaignScoring, CampaignConcluding, RoleAgencyStaff, false},
	{CampaignConcluding, CampaignSubmitted, RoleAgencyStaff, false},
	{CampaignSubmitted, CampaignApproved, RoleCommission, false},
	{CampaignSubmitted, CampaignReturned, RoleCommission, true},
	{CampaignReturned, CampaignConcluding, RoleAgencyStaff, false},
	{CampaignApproved, CampaignPublished, RoleCommission, false},
	{CampaignPublished, CampaignClosed, RoleCommission, false},
}

// FindTransition returns the transition from one state to another.
func FindTransition(from, to CampaignState) (Transition, bool) {
	for _, t := range Transitions {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// NextStates lists the states a role may move a campaign to from a state.
func NextStates(from CampaignState, role Role) []Transition {
	var out []Transition
	for _, t := range Transitions {
		if t.From == from && t.Role == role {
			out = append(out, t)
		}
	}
	return out
}

// Aggregation is how a panel's sheet totals become the panel score.
type Aggregation string

// The aggregation methods (evaluation/README.md §3.5).
const (
	TrimmedMean Aggregation = "trimmed_mean"
	Mean        Aggregation = "mean"
	Median      Aggregation = "median"
)

// Aggregations lists the aggregation methods, the default first.
var Aggregations = []Aggregation{TrimmedMean, Mean, Median}

// Valid reports whether a is one of Aggregations.
func (a Aggregation) Valid() bool { return slices.Contains(Aggregations, a) }

// ProjectClass is the class of a project (项目类别), which decides its rubric.
type ProjectClass string

// The project classes.
const (
	BasicResearch     ProjectClass = "basic_research"     // 基础研究类
	AppliedTechnology ProjectClass = "applied_technology" // 应用技术类
)

// ProjectClasses lists the classes.
var ProjectClasses = []ProjectClass{BasicResearch, AppliedTechnology}

// Valid reports whether c is one of ProjectClasses.
func (c ProjectClass) Valid() bool { return slices.Contains(ProjectClasses, c) }

// Quota asks that at least Min of a technical group's seats go to experts
// of the Types (expert types, as strings). A soft quota's shortfall is
// reported, not refused: an international peer "when an eligible one
// exists". It is assign's quota, which draws, matches and replacements
// apply as they are.
type Quota = assign.Quota

// PanelRules are the composition rules of the panels of one class, as a
// campaign sets them. Draws take them as assign.PanelRules, with the
// campaign's load caps and one finance alternate (assignPanelRules).
type PanelRules struct {
	Technical      int     `json:"technical"`  // 5, 7 or 9
	Finance        int     `json:"finance"`    // finance experts
	Alternates     int     `json:"alternates"` // technical alternates (候补)
	Quotas         []Quota `json:"quotas"`
	RequireSubject bool    `json:"require_subject"`
}

// RubricPin is the rubric version a campaign uses for a class or the
// finance track.
type RubricPin struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
}

// laminar reports whether the quotas' type sets are pairwise disjoint or
// nested, as matching a campaign needs (assign.Seats).
func laminar(quotas []Quota) bool {
	for i, a := range quotas {
		for _, b := range quotas[i+1:] {
			shared := 0
			for _, t := range a.Types {
				if slices.Contains(b.Types, t) {
					shared++
				}
			}
			if shared > 0 && shared != len(a.Types) && shared != len(b.Types) {
				return false
			}
		}
	}
	return true
}

// quotaNamePattern is what a quota's name may be: a key for its label
// ("quota.<name>") and its place in draw records.
var quotaNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// CampaignSettings are a campaign's configurable rules.
type CampaignSettings struct {
	// Deadlines, as dates (YYYY-MM-DD) in China Standard Time.
	ScoringOpens string `json:"scoring_opens,omitempty"`
	ScoringDue   string `json:"scoring_due,omitempty"`
	ConcludeDue  string `json:"conclude_due,omitempty"`
	// Panels per project class.
	Panels map[ProjectClass]PanelRules `json:"panels"`
	// Load caps per expert: projects in this campaign, projects this year.
	LoadCampaign int `json:"load_campaign"`
	LoadYear     int `json:"load_year"`
	// CollaborationWindow is how many years back a collaboration conflicts.
	CollaborationWindow int `json:"collaboration_window"`
	// Rubrics pins a version per class and for "finance".
	Rubrics map[string]RubricPin `json:"rubrics"`
	// DivergenceRange and DivergenceDistance are the divergence limits
	// (评分分歧), in points: a project's technical totals diverge when the
	// highest and the lowest are more than DivergenceRange apart, or one
	// is more than DivergenceDistance from their median. Zero in an input
	// takes the default (20 and 15); campaigns stored before the limits
	// were settings read as the defaults.
	DivergenceRange    rubrics.Points `json:"divergence_range"`
	DivergenceDistance rubrics.Points `json:"divergence_distance"`
}

// The bounds of the divergence limits: 1 to 100 points, in steps of 0.5
// (rubrics.Points).
const (
	MinDivergenceLimit = 2 * rubrics.Half
	MaxDivergenceLimit = 200 * rubrics.Half
)

// DefaultCampaignSettings returns the default settings of a campaign
// (evaluation/README.md §4; the panel rules and quotas in §2.5.1).
func DefaultCampaignSettings() CampaignSettings {
	return CampaignSettings{
		Panels: map[ProjectClass]PanelRules{
			BasicResearch: {Technical: 5, Finance: 1, Alternates: 2, RequireSubject: true, Quotas: []Quota{
				{Name: "domain_or_strategic", Types: []string{string(DomainExpert), string(StrategicScientist)}, Min: 3},
				{Name: "international_peer", Types: []string{string(InternationalPeer)}, Min: 1, Soft: true},
			}},
			AppliedTechnology: {Technical: 5, Finance: 1, Alternates: 2, RequireSubject: true, Quotas: []Quota{
				{Name: "investor_or_entrepreneur", Types: []string{string(Investor), string(Entrepreneur)}, Min: 1},
				{Name: "domain_expert", Types: []string{string(DomainExpert)}, Min: 2},
			}},
		},
		LoadCampaign:        8,
		LoadYear:            10,
		CollaborationWindow: 3,
		Rubrics: map[string]RubricPin{
			string(BasicResearch):     {Code: "BASIC_RESEARCH", Version: 1},
			string(AppliedTechnology): {Code: "APPLIED_TECH", Version: 1},
			"finance":                 {Code: "FINANCE", Version: 1},
		},
		DivergenceRange:    aggregate.DefaultRangeLimit,
		DivergenceDistance: aggregate.DefaultDistanceLimit,
	}
}

// Campaign is an evaluation campaign (评价批次) of one agency.
type Campaign struct {
	ID          int64            `json:"id"`
	AgencyID    int64            `json:"agency_id"`
	AgencyCode  string           `json:"agency"`
	Name        string           `json:"name"`
	Year        int              `json:"year"`
	Programme   string           `json:"programme"`
	State       CampaignState    `json:"state"`
	Aggregation Aggregation      `json:"aggregation"`
	Settings    CampaignSettings `json:"settings"`
	CreatedBy   int64            `json:"created_by"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
	// Projects is the number of projects, filled in lists.
	Projects int `json:"projects"`
}

// Validate checks a campaign's own fields; references (rubric versions)
// are checked by the service.
func (c *Campaign) Validate() error {
	f := FieldErrors{}
	c.Name = strings.TrimSpace(c.Name)
	c.Programme = strings.TrimSpace(c.Programme)
	validateLongName(f, "name", c.Name)
	if utf8.RuneCountInString(c.Programme) > 128 {
		f.Add("programme", "error.too_long")
	}
	if c.Year < 2000 || c.Year > 2100 {
		f.Add("year", "error.year_range")
	}
	if !c.Aggregation.Valid() {
		f.Add("aggregation", "error.aggregation_invalid")
	}
	c.Settings.validate(f)
	return f.Err()
}

func (s *CampaignSettings) validate(f FieldErrors) {
	var dates []time.Time
	for _, d := range []struct{ field, value string }{
		{"settings.scoring_opens", s.ScoringOpens}, {"settings.scoring_due", s.ScoringDue}, {"settings.conclude_due", s.ConcludeDue},
	} {
		if d.value == "" {
			dates = append(dates, time.Time{})
			continue
		}
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			f.Add(d.field, "error.date_format")
		}
		dates = append(dates, t)
	}
	for i := 1; i < len(dates); i++ {
		if !dates[i].IsZero() && !dates[i-1].IsZero() && dates[i].Before(dates[i-1]) {
			f.Add([]string{"", "settings.scoring_due", "settings.conclude_due"}[i], "error.date_order")
		}
	}
	if s.LoadCampaign < 1 || s.LoadCampaign > 50 {
		f.Add("settings.load_campaign", "error.load_range")
	}
	if s.LoadYear < s.LoadCampaign || s.LoadYear > 100 {
		f.Add("settings.load_year", "error.load_year_range")
	}
	if s.CollaborationWindow < 1 || s.CollaborationWindow > 10 {
		f.Add("settings.collaboration_window", "error.window_range")
	}
	if s.DivergenceRange == 0 {
		s.DivergenceRange = aggregate.DefaultRangeLimit
	}
	if s.DivergenceDistance == 0 {
		s.DivergenceDistance = aggregate.DefaultDistanceLimit
	}
	for _, l := range []struct {
		field string
		limit rubrics.Points
	}{{"settings.divergence_range", s.DivergenceRange}, {"settings.divergence_distance", s.DivergenceDistance}} {
		if l.limit < MinDivergenceLimit || l.limit > MaxDivergenceLimit {
			f.Add(l.field, "error.divergence_limit_range")
		}
	}
	for _, class := range ProjectClasses {
		p, ok := s.Panels[class]
		field := "settings.panels." + string(class)
		if !ok {
			f.Add(field, "error.required")
			continue
		}
		switch p.Technical {
		case 5, 7, 9:
		default:
			f.Add(field+".technical", "error.panel_size")
		}
		if p.Finance < 1 || p.Finance > 3 {
			f.Add(field+".finance", "error.finance_size")
		}
		if p.Alternates < 0 || p.Alternates > 5 {
			f.Add(field+".alternates", "error.alternates_range")
		}
		total := 0
		names := map[string]bool{}
		for i, q := range p.Quotas {
			qf := fmt.Sprintf("%s.quotas.%d", field, i)
			switch {
			case !quotaNamePattern.MatchString(q.Name):
				f.Add(qf+".name", "error.quota_name")
			case names[q.Name]:
				f.Add(qf+".name", "error.duplicate")
			}
			names[q.Name] = true
			if q.Min < 1 || q.Min > p.Technical {
				f.Add(qf+".min", "error.quota_min")
			}
			if len(q.Types) == 0 {
				f.Add(qf+".types", "error.required")
			}
			for _, t := range q.Types {
				if t := ExpertType(t); !t.Valid() || t == FinanceExpert {
					f.Add(qf+".types", "error.quota_types")
				}
			}
			// Every minimum, soft ones included, counts against the
			// seats, as draws check it (assign.PanelRules.Validate):
			// refuse here what a draw would refuse later.
			total += q.Min
		}
		if total > p.Technical {
			f.Add(field+".quotas", "error.quotas_exceed_size")
		}
		if !laminar(p.Quotas) {
			f.Add(field+".quotas", "error.quotas_not_nested")
		}
	}
	for _, key := range []string{string(BasicResearch), string(AppliedTechnology), "finance"} {
		if pin, ok := s.Rubrics[key]; !ok || pin.Code == "" || pin.Version < 1 {
			f.Add("settings.rubrics."+key, "error.required")
		}
	}
}

// CampaignFilter selects campaigns in a list.
type CampaignFilter struct {
	AgencyID int64
	Year     int
	State    CampaignState
}

// CampaignTransition is one recorded move of a campaign's state.
type CampaignTransition struct {
	ID      int64         `json:"id"`
	From    CampaignState `json:"from"`
	To      CampaignState `json:"to"`
	ActorID int64         `json:"actor_id"`
	// Actor is the name of who moved the campaign (the username of an
	// account without one).
	Actor  string    `json:"actor"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// canSeeCampaign: staff see their agency's campaigns; the commission and
// admins see all; experts see none here (they reach their panels through
// their invitations).
func canSeeCampaign(actor Actor, c *Campaign) bool {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
		return true
	case RoleAgencyStaff:
		return actor.AgencyID == c.AgencyID
	}
	return false
}

// CanCreateCampaign reports whether the actor may start campaigns: agency
// staff, in their own agency.
func CanCreateCampaign(a Actor) bool { return a.Role == RoleAgencyStaff && a.AgencyID != 0 }

// CanManageCampaign reports whether the actor runs the campaign: agency
// staff of its agency. Who may see it is wider (canSeeCampaign).
func CanManageCampaign(a Actor, c *Campaign) bool {
	return a.Role == RoleAgencyStaff && a.AgencyID == c.AgencyID
}

// CampaignEditable reports whether the campaign's own settings (name,
// year, aggregation, panel rules, pinned rubrics) can change: only in draft.
func CampaignEditable(c *Campaign) bool { return c.State == CampaignDraft }

// ProjectsEditable reports whether projects can be added, changed and
// removed: while the campaign is set up and its panels form; after that
// they are the record.
func ProjectsEditable(c *Campaign) bool {
	return c.State == CampaignDraft || c.State == CampaignForming
}

// InvitationsOpen reports whether experts may answer invitations: while
// panels form, and during scoring, when an alternate is called to a seat
// that fell free.
func InvitationsOpen(c *Campaign) bool {
	return c.State == CampaignForming || c.State == CampaignScoring
}

// PanelsOpen reports whether the campaign's panels can be drawn, matched
// and changed: while it is forming.
func PanelsOpen(c *Campaign) bool { return c.State == CampaignForming }

package evaluation

import (
	"context"
	"time"
)

// ProgressDay counts what happened on one day of a campaign, the day cut
// at midnight in Beijing: the invitations accepted, the sheets submitted
// for the first time and the projects concluded for the first time.
//
// A sheet counts once, on the day of its first submission (its round 1 in
// the sheet history), even if the agency reopened it later: the line of
// sheets submitted only rises, and ends at the sheets submitted at least
// once. A project counts on the day its first conclusion was recorded; an
// invitation on the day the expert accepted it, if the seat still stands
// accepted (a member who withdrew later no longer counts).
type ProgressDay struct {
	Day       string `json:"day"` // YYYY-MM-DD
	Accepted  int    `json:"accepted"`
	Submitted int    `json:"submitted"`
	Concluded int    `json:"concluded"`
}

// ProgressTimeline is a campaign's progress over time (进度曲线): its days
// from the first on which anything happened to the last, each with its
// own counts, and the totals the counts head for.
type ProgressTimeline struct {
	Campaign CampaignBrief `json:"campaign"`
	// Days holds every calendar day from the first with anything counted
	// to the last, days without any included (zeros); empty when nothing
	// happened yet.
	Days []ProgressDay `json:"days"`
	// Expected is the number of sheets expected now, one per accepted
	// member of a panel and project of it, as the progress monitor counts
	// them; Projects the campaign's projects.
	Expected int `json:"expected"`
	Projects int `json:"projects"`
}

// Cumulative returns the days with running totals: each day's counts are
// those of that day and all before it.
func (t *ProgressTimeline) Cumulative() []ProgressDay {
	out := make([]ProgressDay, len(t.Days))
	var sum ProgressDay
	for i, d := range t.Days {
		sum.Accepted += d.Accepted
		sum.Submitted += d.Submitted
		sum.Concluded += d.Concluded
		out[i] = sum
		out[i].Day = d.Day
	}
	return out
}

// timelineStore reads the daily counts of a campaign.
type timelineStore interface {
	// ProgressDays counts, per day in zone (a zone of fixed offset, as
	// Beijing), the campaign's invitations accepted, sheets submitted
	// for the first time and projects concluded for the first time (see
	// ProgressDay), oldest day first; days without any are left out.
	ProgressDays(ctx context.Context, campaignID, agencyID int64, zone *time.Location) ([]ProgressDay, error)
}

// Timeline returns a campaign's progress over time for the agency's staff
// (their own agency's campaigns), the commission and administrators.
func (s *SheetService) Timeline(ctx context.Context, actor Actor, campaignID int64) (*ProgressTimeline, error) {
	if actor.Role == RoleExpert {
		return nil, ErrNotFound
	}
	c, err := loadCampaign(ctx, s.progress, actor, campaignID)
	if err != nil {
		return nil, err
	}
	days, err := s.progress.ProgressDays(ctx, c.ID, c.AgencyID, Beijing)
	if err != nil {
		return nil, err
	}
	panels, err := s.progress.Panels(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := &ProgressTimeline{Days: fillDays(days)}
	out.Campaign, _ = briefOf(c, &Project{})
	for _, p := range panels {
		for _, m := range p.Members {
			if m.Status == MemberAccepted && (m.Seat == SeatTechnical || m.Seat == SeatFinance) {
				out.Expected += len(p.ProjectIDs)
			}
		}
	}
	if _, out.Projects, err = s.progress.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID, Page: Page{Number: 1, Size: 1}}); err != nil {
		return nil, err
	}
	return out, nil
}

// fillDays puts the days between those counted, with zeros, so that each
// calendar day has its place.
func fillDays(days []ProgressDay) []ProgressDay {
	if len(days) == 0 {
		return []ProgressDay{}
	}
	first, err := time.Parse(time.DateOnly, days[0].Day)
	if err != nil {
		return days
	}
	var out []ProgressDay
	next := 0
	for d := first; next < len(days); d = d.AddDate(0, 0, 1) {
		day := ProgressDay{Day: d.Format(time.DateOnly)}
		for ; next < len(days) && days[next].Day <= day.Day; next++ {
			if days[next].Day == day.Day {
				day = days[next]
			}
		}
		out = append(out, day)
	}
	return out
}

package evaluation

import (
	"context"
	"math"

	"github.com/evalpanel/evalpanel/rubrics"
)

// CampaignSheets is every submitted score sheet (评分表) of a campaign with
// the projects they score and the rubrics they follow: what the agency
// exports to check the results by hand or to keep on file.
type CampaignSheets struct {
	Campaign *Campaign
	// Projects are the campaign's projects, by code.
	Projects []ProjectBrief
	// Sheets are the submitted sheets, by project, seat (technical first)
	// and expert. A reopened sheet is left out until it is submitted
	// again, as in CampaignResults; its earlier rounds stay in its history.
	Sheets []*Sheet
	// Rubrics are the rubrics the campaign pins, by project class and
	// "finance"; a key is missing or nil where none is pinned.
	Rubrics map[string]*rubrics.Rubric
}

// CampaignSheets lists a campaign's submitted sheets for the readers of
// its results: the agency's staff, the commission and administrators.
// Experts, who may read no one's sheet but their own (and, for a chair,
// their panel's), and another agency's staff find no such campaign.
func (s *ResultService) CampaignSheets(ctx context.Context, actor Actor, campaignID int64) (*CampaignSheets, error) {
	if actor.Role == RoleExpert {
		return nil, ErrNotFound
	}
	c, err := loadCampaign(ctx, s.reports, actor, campaignID)
	if err != nil {
		return nil, err
	}
	out := &CampaignSheets{Campaign: c, Rubrics: map[string]*rubrics.Rubric{}}
	for _, key := range append(classKeys(), "finance") {
		if out.Rubrics[key], err = pinnedRubric(ctx, s.reports, c, key); err != nil {
			return nil, err
		}
	}
	projects, _, err := s.reports.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID,
		Page: Page{Number: 1, Size: math.MaxInt32}})
	if err != nil {
		return nil, err
	}
	out.Projects = make([]ProjectBrief, len(projects))
	for i, p := range projects {
		_, out.Projects[i] = briefOf(c, p)
	}
	sheets, err := s.reports.CampaignSheets(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, sh := range sheets {
		if sh.Status == SheetSubmitted {
			out.Sheets = append(out.Sheets, sh)
		}
	}
	return out, nil
}

// classKeys are the project classes as rubric keys.
func classKeys() []string {
	out := make([]string, len(ProjectClasses))
	for i, c := range ProjectClasses {
		out[i] = string(c)
	}
	return out
}

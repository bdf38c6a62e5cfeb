package evaluation

import (
	"context"
	"fmt"
	"math"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
)

// CampaignResults is a campaign's results as computed from its stored
// sheets, with the projects they are of, in the same order.
type CampaignResults struct {
	Campaign *Campaign         `json:"campaign"`
	Projects []ProjectBrief    `json:"projects"`
	Report   *aggregate.Report `json:"report"`
	// Rubrics are the rubrics the results were computed against, by
	// project class and "finance", for naming indicators and vetoes.
	Rubrics map[string]*rubrics.Rubric `json:"-"`
	// Revising says, in the order of Projects, whether the project's panel
	// is revising sheets the agency reopened (a discussion, a
	// re-evaluation, one sheet returned): its result waits for them.
	Revising []bool `json:"revising"`
	// Concluded is each project's conclusion in force, in the order of
	// Projects; nil where none is recorded.
	Concluded []*ConclusionRecord `json:"concluded"`
	// Confirmations are the veto items the agency's staff confirmed for
	// the projects, by project, oldest first; the results count them.
	Confirmations []*VetoConfirmation `json:"confirmations"`
}

// CampaignResults computes a campaign's results from the sheets stored now
// (evaluation/aggregate): each project's official result and, beside
// them, the advisory figures. Results are never stored or edited: they are
// recomputed from the sheets on every call. Only submitted sheets count; a
// reopened sheet counts again once resubmitted, its earlier rounds staying
// in the history. The agency's staff, the commission and administrators
// read them.
func (s *ResultService) CampaignResults(ctx context.Context, actor Actor, campaignID int64) (*CampaignResults, error) {
	if actor.Role == RoleExpert {
		return nil, ErrNotFound
	}
	c, err := loadCampaign(ctx, s.reports, actor, campaignID)
	if err != nil {
		return nil, err
	}
	in := &aggregate.Input{Settings: aggregationSettings(c), Technical: map[string]*rubrics.Rubric{}}
	out := &CampaignResults{Campaign: c, Rubrics: map[string]*rubrics.Rubric{}}
	for _, class := range ProjectClasses {
		if in.Technical[string(class)], err = pinnedRubric(ctx, s.reports, c, string(class)); err != nil {
			return nil, err
		}
		out.Rubrics[string(class)] = in.Technical[string(class)]
	}
	if in.Finance, err = pinnedRubric(ctx, s.reports, c, "finance"); err != nil {
		return nil, err
	}
	out.Rubrics["finance"] = in.Finance
	projects, _, err := s.reports.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID,
		Page: Page{Number: 1, Size: math.MaxInt32}})
	if err != nil {
		return nil, err
	}
	sheets, err := s.reports.CampaignSheets(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	concluded, err := s.reports.CampaignConclusions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	inForce := map[int64]*ConclusionRecord{}
	for _, k := range concluded {
		inForce[k.ProjectID] = k
	}
	if out.Confirmations, err = s.reports.CampaignVetoConfirmations(ctx, c.ID); err != nil {
		return nil, err
	}
	confirmed := map[int64][]*VetoConfirmation{}
	for _, v := range out.Confirmations {
		confirmed[v.ProjectID] = append(confirmed[v.ProjectID], v)
	}
	byProject, reopened := map[int64][]*Sheet{}, map[int64]bool{}
	for _, sh := range sheets {
		switch sh.Status {
		case SheetSubmitted:
			byProject[sh.ProjectID] = append(byProject[sh.ProjectID], sh)
		case SheetReopened:
			reopened[sh.ProjectID] = true
		}
	}
	out.Projects, out.Concluded = make([]ProjectBrief, len(projects)), make([]*ConclusionRecord, len(projects))
	out.Revising = make([]bool, len(projects))
	for i, p := range projects {
		_, out.Projects[i] = briefOf(c, p)
		out.Concluded[i], out.Revising[i] = inForce[p.ID], reopened[p.ID]
		in.Projects = append(in.Projects, aggregateProject(p, byProject[p.ID], confirmed[p.ID]))
	}
	if out.Report, err = aggregate.Campaign(in); err != nil {
		return nil, fmt.Errorf("aggregate campaign %d: %w", c.ID, err)
	}
	return out, nil
}

// aggregationSettings are the campaign's settings as the aggregation
// reads them: its method and its divergence limits.
func aggregationSettings(c *Campaign) aggregate.Settings {
	return aggregate.Settings{Method: aggregate.Method(c.Aggregation), RangeLimit: c.Settings.DivergenceRange,
		DistanceLimit: c.Settings.DivergenceDistance}
}

// pinnedRubric is the content of the rubric the campaign pins under key (a
// project class, or "finance"); nil when it pins none.
func pinnedRubric(ctx context.Context, r rubricReader, c *Campaign, key string) (*rubrics.Rubric, error) {
	pin, ok := c.Settings.Rubrics[key]
	if !ok {
		return nil, nil
	}
	rb, err := r.Rubric(ctx, pin.Code, pin.Version)
	if err != nil {
		return nil, err
	}
	return rb.Content, nil
}

// aggregateProject is a project, its submitted sheets and the veto items
// the agency's staff confirmed, as the aggregation reads them.
func aggregateProject(p *Project, sheets []*Sheet, confirmed []*VetoConfirmation) aggregate.Project {
	ap := aggregate.Project{ID: p.ID, Class: string(p.Class), Confirmed: confirmationsOf(confirmed)}
	for _, sh := range sheets {
		as := aggregate.Sheet{Expert: sh.ExpertID, Scores: sh.Content.Scores}
		for _, v := range sh.Content.Vetoes {
			as.Vetoes = append(as.Vetoes, v.Code)
		}
		if sh.Seat == SeatFinance {
			ap.Finance = append(ap.Finance, aggregate.FinanceSheet{Sheet: as,
				Pass: sh.Content.FinancePass != nil && *sh.Content.FinancePass})
		} else {
			ap.Technical = append(ap.Technical, as)
		}
	}
	return ap
}

// ProjectResult is one project's official result with the rubrics it was
// computed against (by project class, and "finance").
type ProjectResult struct {
	Result  aggregate.Result
	Rubrics map[string]*rubrics.Rubric
}

// ProjectResult computes one project's official result from its submitted
// sheets, for the chair of its panel once their own sheet is submitted:
// the aggregates and reasons they draft the panel's opinion beside.
// Anyone else uses CampaignResults.
func (s *ResultService) ProjectResult(ctx context.Context, actor Actor, projectID int64) (*ProjectResult, error) {
	st, err := seatOf(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	own, err := s.store.Sheet(ctx, projectID, actor.ExpertID)
	if err != nil && ErrorCode(err) != NotFound {
		return nil, err
	}
	if !st.member.Chair || own == nil || own.Status != SheetSubmitted {
		return nil, Errorf(Forbidden, "error.sheets_chair_after_own")
	}
	sheets, err := s.store.ProjectSheets(ctx, projectID)
	if err != nil {
		return nil, err
	}
	confirmed, err := s.reports.VetoConfirmations(ctx, projectID)
	if err != nil {
		return nil, err
	}
	out := &ProjectResult{}
	if out.Result, out.Rubrics, err = projectOfficial(ctx, s.store, st.campaign, st.project, sheets, confirmed); err != nil {
		return nil, err
	}
	return out, nil
}

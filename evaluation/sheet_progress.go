package evaluation

import (
	"context"
	"math"
	"slices"
	"time"
)

// The agency's progress monitor (评分进度): per campaign, a matrix of each
// panel's projects × members with the state of every sheet, counts per
// panel and overall, and who is overdue.

// ProgressCounts count the sheets expected of accepted members, one per
// member and project, by status; Overdue counts those not submitted by a
// member whose deadline has passed.
type ProgressCounts struct {
	Expected   int `json:"expected"`
	NotStarted int `json:"not_started"`
	Draft      int `json:"draft"`
	Submitted  int `json:"submitted"`
	Reopened   int `json:"reopened"`
	Overdue    int `json:"overdue"`
}

// Percent is the share of the expected sheets submitted, in whole percent,
// rounded down (100 only when every one is in).
func (c ProgressCounts) Percent() int {
	if c.Expected == 0 {
		return 0
	}
	return int(math.Floor(float64(c.Submitted) * 100 / float64(c.Expected)))
}

func (c *ProgressCounts) add(status SheetStatus, overdue bool) {
	c.Expected++
	switch status {
	case SheetNotStarted:
		c.NotStarted++
	case SheetDraft:
		c.Draft++
	case SheetSubmitted:
		c.Submitted++
	case SheetReopened:
		c.Reopened++
	}
	if overdue {
		c.Overdue++
	}
}

func (c *ProgressCounts) plus(o ProgressCounts) {
	c.Expected += o.Expected
	c.NotStarted += o.NotStarted
	c.Draft += o.Draft
	c.Submitted += o.Submitted
	c.Reopened += o.Reopened
	c.Overdue += o.Overdue
}

// MemberProgress is a column of a panel's matrix: a member with a seat, and
// whether they have started any sheet (a member who has not can still be
// replaced). Left counts the sheets they have not submitted (0 for a
// member who has not accepted).
type MemberProgress struct {
	MemberID int64        `json:"member_id"`
	ExpertID int64        `json:"expert_id"`
	PanelID  int64        `json:"panel_id"`
	Panel    string       `json:"panel"`
	Name     string       `json:"name"`
	Seat     Seat         `json:"seat"`
	Chair    bool         `json:"chair"`
	Status   MemberStatus `json:"status"`
	Due      string       `json:"due,omitempty"`
	Overdue  bool         `json:"overdue"`
	Started  bool         `json:"started"`
	Left     int          `json:"left"`
}

// PanelConflict is a conflict of interest declared with a project of the
// panel by an expert who had a seat on it and withdrew for it
// (DeclareConflict): the agency may lift it (LiftConflict), which does not
// give the seat back.
type PanelConflict struct {
	ExpertID   int64     `json:"expert_id"`
	Name       string    `json:"name"`
	ProjectID  int64     `json:"project_id"`
	Code       string    `json:"project_code"`
	Note       string    `json:"note"`
	DeclaredAt time.Time `json:"declared_at"`
}

// SheetCell is one sheet of the matrix; SheetID is 0 for a sheet not
// started, and the cell of a member who has not accepted has no status.
type SheetCell struct {
	MemberID int64       `json:"member_id"`
	SheetID  int64       `json:"sheet_id,omitempty"`
	Status   SheetStatus `json:"status,omitempty"`
	Round    int         `json:"round,omitempty"`
	Overdue  bool        `json:"overdue"`
}

// ProjectProgress is a row: a project and its cells, one per member.
type ProjectProgress struct {
	Project ProjectBrief `json:"project"`
	Cells   []SheetCell  `json:"cells"`
}

// PanelProgress is one panel's matrix.
type PanelProgress struct {
	PanelID  int64             `json:"panel_id"`
	Name     string            `json:"name"`
	State    PanelState        `json:"state"`
	Members  []MemberProgress  `json:"members"`
	Projects []ProjectProgress `json:"projects"`
	Counts   ProgressCounts    `json:"counts"`
	// Conflicts are the conflicts declared by experts withdrawn from the
	// panel, for the agency to lift.
	Conflicts []PanelConflict `json:"conflicts"`
}

// Progress is a campaign's scoring progress: the counts of all its panels
// and the matrices of one page of them.
type Progress struct {
	Campaign CampaignBrief  `json:"campaign"`
	Due      string         `json:"due,omitempty"`
	Counts   ProgressCounts `json:"counts"`
	// Panels is a page of the panels (in id order); Total counts them all.
	Panels []PanelProgress `json:"panels"`
	Total  int             `json:"total"`
	// Overdue lists the members overdue anywhere in the campaign.
	Overdue []MemberProgress `json:"overdue"`
}

// ProgressFilter selects the page of panels a progress view shows, and
// optionally only the panels with overdue members.
type ProgressFilter struct {
	OverdueOnly bool
	Page        Page
}

// Progress returns a campaign's scoring progress for the agency's staff,
// the commission and administrators. Counts and the overdue members cover
// every panel; matrices, and the conflicts to lift, the filter's page.
func (s *SheetService) Progress(ctx context.Context, actor Actor, campaignID int64, f ProgressFilter) (*Progress, error) {
	if actor.Role == RoleExpert {
		return nil, ErrForbidden
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	c, err := loadCampaign(ctx, s.progress, actor, campaignID)
	if err != nil {
		return nil, err
	}
	panels, err := s.progress.Panels(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	projects, _, err := s.progress.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID, Page: Page{Number: 1, Size: math.MaxInt32}})
	if err != nil {
		return nil, err
	}
	sheets, err := s.progress.CampaignSheets(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	byProject := make(map[int64]*Project, len(projects))
	for _, p := range projects {
		byProject[p.ID] = p
	}
	type key struct{ project, expert int64 }
	bySeat := make(map[key]*Sheet, len(sheets))
	for _, sh := range sheets {
		bySeat[key{sh.ProjectID, sh.ExpertID}] = sh
	}
	now := s.now()
	out := &Progress{Due: c.Settings.ScoringDue, Panels: []PanelProgress{}, Overdue: []MemberProgress{}}
	out.Campaign, _ = briefOf(c, &Project{})
	var all []PanelProgress
	byID := make(map[int64]*Panel, len(panels))
	for _, p := range panels {
		byID[p.ID] = p
		pp := PanelProgress{PanelID: p.ID, Name: p.Name, State: p.State, Conflicts: []PanelConflict{}}
		var members []*PanelMember
		for _, seat := range []Seat{SeatTechnical, SeatFinance} {
			members = append(members, p.Seated(seat)...)
		}
		for _, m := range members {
			mp := MemberProgress{MemberID: m.ID, ExpertID: m.ExpertID, PanelID: p.ID, Panel: p.Name, Seat: m.Seat, Chair: m.Chair,
				Status: m.Status, Due: ScoringDue(c, m)}
			if m.Expert != nil {
				mp.Name = m.Expert.Name
			}
			pp.Members = append(pp.Members, mp)
		}
		for _, id := range p.ProjectIDs {
			pr := byProject[id]
			if pr == nil {
				continue
			}
			row := ProjectProgress{}
			_, row.Project = briefOf(c, pr)
			for i, m := range members {
				cell := SheetCell{MemberID: m.ID}
				if m.Status == MemberAccepted {
					cell.Status = SheetNotStarted
					if sh := bySeat[key{id, m.ExpertID}]; sh != nil {
						cell.SheetID, cell.Status, cell.Round = sh.ID, sh.Status, sh.Round
						pp.Members[i].Started = true
					}
					cell.Overdue = cell.Status != SheetSubmitted && c.State == CampaignScoring && PastDue(pp.Members[i].Due, now)
					pp.Members[i].Overdue = pp.Members[i].Overdue || cell.Overdue
					if cell.Status != SheetSubmitted {
						pp.Members[i].Left++
					}
					pp.Counts.add(cell.Status, cell.Overdue)
				}
				row.Cells = append(row.Cells, cell)
			}
			pp.Projects = append(pp.Projects, row)
		}
		out.Counts.plus(pp.Counts)
		for _, m := range pp.Members {
			if m.Overdue {
				out.Overdue = append(out.Overdue, m)
			}
		}
		if !f.OverdueOnly || pp.Counts.Overdue > 0 {
			all = append(all, pp)
		}
	}
	out.Total = len(all)
	pg := f.Page.Normalize()
	if from := pg.Offset(); from < len(all) {
		out.Panels = all[from:min(len(all), from+pg.Size)]
	}
	for i := range out.Panels {
		if out.Panels[i].Conflicts, err = s.panelConflicts(ctx, byID[out.Panels[i].PanelID], byProject); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// panelConflicts lists the conflicts declared with the panel's projects by
// the experts who withdrew from it (declined seats), oldest first.
func (s *SheetService) panelConflicts(ctx context.Context, p *Panel, projects map[int64]*Project) ([]PanelConflict, error) {
	out := []PanelConflict{}
	for _, m := range p.Members {
		if m.Status != MemberDeclined {
			continue
		}
		list, err := s.store.ExpertConflicts(ctx, m.ExpertID)
		if err != nil {
			return nil, err
		}
		for _, ec := range list {
			pr := projects[ec.ProjectID]
			if pr == nil || !slices.Contains(p.ProjectIDs, ec.ProjectID) {
				continue
			}
			pc := PanelConflict{ExpertID: m.ExpertID, ProjectID: pr.ID, Code: pr.Code, Note: ec.Note, DeclaredAt: ec.CreatedAt}
			if m.Expert != nil {
				pc.Name = m.Expert.Name
			}
			out = append(out, pc)
		}
	}
	slices.SortStableFunc(out, func(a, b PanelConflict) int { return a.DeclaredAt.Compare(b.DeclaredAt) })
	return out, nil
}

package evaluation

import "context"

// CampaignProgress is where a campaign stands in forming its panels, for
// the dashboards: its projects, its panels by state, and the projects that
// keep it from moving to scoring.
type CampaignProgress struct {
	Campaign *Campaign `json:"campaign"`
	// Projects is the number of the campaign's projects; Unpaneled of
	// those on no panel yet.
	Projects  int `json:"projects"`
	Unpaneled int `json:"unpaneled"`
	// Panels counts the panels; Proposed those drawn or matched and not
	// yet invited, Inviting those waiting for answers, Confirmed those
	// whose every seat accepted.
	Panels    int `json:"panels"`
	Proposed  int `json:"proposed"`
	Inviting  int `json:"inviting"`
	Confirmed int `json:"confirmed"`
	// Unconfirmed is the number of projects not on a confirmed panel:
	// scoring cannot open while it is above zero.
	Unconfirmed int `json:"unconfirmed"`
	// PublicityEnds is the last day of a published or closed campaign's
	// publicity; OpenAppeals counts the appeals the commission has still
	// to settle.
	PublicityEnds string `json:"publicity_ends,omitempty"`
	OpenAppeals   int    `json:"open_appeals"`
}

// ReadyForScoring reports whether the campaign is forming and every one of
// its projects is on a confirmed panel, so that it can move to scoring.
func (p *CampaignProgress) ReadyForScoring() bool {
	return p.Campaign.State == CampaignForming && p.Projects > 0 && p.Unconfirmed == 0
}

// CampaignsProgress lists the progress of the campaigns the actor may see
// (an agency's staff their own agency's, the commission and administrators
// every agency's), in the order of Campaigns.
func (s *CampaignService) CampaignsProgress(ctx context.Context, actor Actor, f CampaignFilter) ([]*CampaignProgress, error) {
	list, err := s.Campaigns(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	out := make([]*CampaignProgress, 0, len(list))
	for _, c := range list {
		p, err := campaignProgress(ctx, s.store, c)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// campaignProgress counts a campaign's projects and panels.
func campaignProgress(ctx context.Context, r campaignStore, c *Campaign) (*CampaignProgress, error) {
	p := &CampaignProgress{Campaign: c}
	var err error
	if _, p.Projects, err = r.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID, Page: Page{Number: 1, Size: 1}}); err != nil {
		return nil, err
	}
	no := false
	if _, p.Unpaneled, err = r.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID, Paneled: &no, Page: Page{Number: 1, Size: 1}}); err != nil {
		return nil, err
	}
	panels, err := r.Panels(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	p.Panels, p.Unconfirmed = len(panels), p.Unpaneled
	for _, pn := range panels {
		switch pn.State {
		case PanelForming:
			p.Proposed++
		case PanelInviting:
			p.Inviting++
		case PanelConfirmed:
			p.Confirmed++
		}
		if pn.State != PanelConfirmed {
			p.Unconfirmed += len(pn.ProjectIDs)
		}
	}
	if c.State == CampaignPublished || c.State == CampaignClosed {
		pub, err := r.Publicity(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		p.PublicityEnds = pub.Ends
		if p.OpenAppeals, err = r.OpenAppeals(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

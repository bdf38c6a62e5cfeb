package evaluation

import (
	"context"
	"time"
)

// Invitation is a panel seat offered to an expert (评审邀请), as the expert
// sees it: their own seat, the campaign, the summaries of the projects and,
// once they and the chair have accepted, the chair's name. It never holds
// the rest of the panel: who else was drawn, the alternates, their
// institutions, contacts or reasons for declining are the agency's to see.
type Invitation struct {
	Member   InvitationMember   `json:"member"`
	Panel    InvitationPanel    `json:"panel"`
	Campaign InvitationCampaign `json:"campaign"`
	Projects []InvitedProject   `json:"projects"`
	// Chair is the name of the panel's chair, who compiles its opinion;
	// set when both the expert and the chair have accepted, and the
	// expert is not the chair.
	Chair string `json:"chair,omitempty"`
}

// InvitationMember is the expert's own seat on the panel.
type InvitationMember struct {
	ID            int64        `json:"id"`
	Seat          Seat         `json:"seat"`
	Chair         bool         `json:"chair"`
	Status        MemberStatus `json:"status"`
	DeclineReason string       `json:"decline_reason,omitempty"`
	InvitedAt     time.Time    `json:"invited_at,omitzero"`
	RespondedAt   time.Time    `json:"responded_at,omitzero"`
}

// InvitationPanel is the panel an invitation is for.
type InvitationPanel struct {
	ID    int64      `json:"id"`
	Name  string     `json:"name"`
	State PanelState `json:"state"`
}

// InvitationCampaign is the campaign an invitation belongs to, with the
// dates an expert plans around.
type InvitationCampaign struct {
	ID           int64         `json:"id"`
	Name         string        `json:"name"`
	Year         int           `json:"year"`
	State        CampaignState `json:"state"`
	ScoringOpens string        `json:"scoring_opens,omitempty"`
	ScoringDue   string        `json:"scoring_due,omitempty"`
}

// InvitedProject is a project's summary, which an invited expert sees
// before accepting (its materials only once they have accepted and
// declared no conflict).
type InvitedProject struct {
	ID    int64        `json:"id"`
	Code  string       `json:"code"`
	Title string       `json:"title"`
	Class ProjectClass `json:"class"`
	Lead  string       `json:"lead_institution"`
}

// Invitations lists the actor's invitations, accepted seats and declined
// ones, newest panel first.
func (s *PanelService) Invitations(ctx context.Context, actor Actor) ([]Invitation, error) {
	if actor.Role != RoleExpert || actor.ExpertID == 0 {
		return nil, nil
	}
	panels, err := s.store.MemberPanels(ctx, actor.ExpertID)
	if err != nil {
		return nil, err
	}
	var out []Invitation
	for _, p := range panels {
		m := invitedMember(p, actor.ExpertID)
		if m == nil {
			continue
		}
		c, err := s.store.Campaign(ctx, p.CampaignID)
		if err != nil {
			return nil, err
		}
		inv := Invitation{
			Member: InvitationMember{ID: m.ID, Seat: m.Seat, Chair: m.Chair, Status: m.Status, DeclineReason: m.DeclineReason,
				InvitedAt: m.InvitedAt, RespondedAt: m.RespondedAt},
			Panel: InvitationPanel{ID: p.ID, Name: p.Name, State: p.State},
			Campaign: InvitationCampaign{ID: c.ID, Name: c.Name, Year: c.Year, State: c.State,
				ScoringOpens: c.Settings.ScoringOpens, ScoringDue: c.Settings.ScoringDue},
		}
		if m.Status == MemberAccepted && !m.Chair {
			for _, o := range p.Members {
				if o.Chair && o.Status == MemberAccepted && o.Expert != nil {
					inv.Chair = o.Expert.Name
				}
			}
		}
		if inv.Projects, err = s.invitedProjects(ctx, p); err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

// invitedMember returns the expert's member row that was invited to the
// panel (whatever the answer), or nil.
func invitedMember(p *Panel, expertID int64) *PanelMember {
	for _, m := range p.Members {
		if m.ExpertID == expertID && (m.Status == MemberInvited || m.Status == MemberAccepted || m.Status == MemberDeclined) {
			return m
		}
	}
	return nil
}

// InvitedProjects lists the projects of every panel an expert was invited
// to (whatever their answer), for the expert themself and the pool's
// managers: the projects they may declare a conflict with by name.
func (s *PanelService) InvitedProjects(ctx context.Context, actor Actor, expertID int64) ([]InvitedProject, error) {
	if !CanDeclareConflicts(actor, expertID) {
		return nil, ErrNotFound
	}
	panels, err := s.store.MemberPanels(ctx, expertID)
	if err != nil {
		return nil, err
	}
	var out []InvitedProject
	seen := map[int64]bool{}
	for _, p := range panels {
		list, err := s.invitedProjects(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, pr := range list {
			if !seen[pr.ID] {
				seen[pr.ID] = true
				out = append(out, pr)
			}
		}
	}
	return out, nil
}

// invitedProjects returns the summaries of a panel's projects.
func (s *PanelService) invitedProjects(ctx context.Context, p *Panel) ([]InvitedProject, error) {
	out := make([]InvitedProject, 0, len(p.ProjectIDs))
	for _, id := range p.ProjectIDs {
		pr, err := s.store.Project(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, InvitedProject{ID: pr.ID, Code: pr.Code, Title: pr.Title, Class: pr.Class, Lead: pr.Lead})
	}
	return out, nil
}

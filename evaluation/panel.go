package evaluation

import "time"

// PanelState is where a panel (专家组) is in forming.
type PanelState string

// A panel is proposed (forming), its members are invited (inviting), and
// it is confirmed when every seat has an expert who accepted.
const (
	PanelForming   PanelState = "forming"
	PanelInviting  PanelState = "inviting"
	PanelConfirmed PanelState = "confirmed"
)

// Seat is the group a panel member sits in.
type Seat string

// The seats: the technical group and the finance group.
const (
	SeatTechnical Seat = "technical"
	SeatFinance   Seat = "finance"
)

// MemberStatus is where a panel member is in the invitation.
type MemberStatus string

// The member statuses. Alternates (候补) wait, ranked, until a member
// declines; removed and declined members stay on record.
const (
	MemberProposed  MemberStatus = "proposed"
	MemberAlternate MemberStatus = "alternate"
	MemberInvited   MemberStatus = "invited"
	MemberAccepted  MemberStatus = "accepted"
	MemberDeclined  MemberStatus = "declined"
	MemberRemoved   MemberStatus = "removed"
)

// Seated reports whether the member holds a seat (or is about to).
func (s MemberStatus) Seated() bool {
	return s == MemberProposed || s == MemberInvited || s == MemberAccepted
}

// PanelMember is an expert on a panel.
type PanelMember struct {
	ID            int64        `json:"id"`
	PanelID       int64        `json:"panel_id"`
	ExpertID      int64        `json:"expert_id"`
	Expert        *Expert      `json:"expert,omitempty"`
	Seat          Seat         `json:"seat"`
	Chair         bool         `json:"chair"`
	Status        MemberStatus `json:"status"`
	AlternateRank int          `json:"alternate_rank,omitempty"`
	Source        string       `json:"source"` // draw, match or manual
	Override      string       `json:"override,omitempty"`
	DeclineReason string       `json:"decline_reason,omitempty"`
	// Due is the member's own last day for scoring (YYYY-MM-DD) when the
	// agency extended it; "" keeps the campaign's (ScoringDue).
	Due         string    `json:"due,omitempty"`
	InvitedAt   time.Time `json:"invited_at,omitzero"`
	RespondedAt time.Time `json:"responded_at,omitzero"`
	CreatedAt   time.Time `json:"created_at"`
}

// Panel is an expert panel for one project or a group of projects.
type Panel struct {
	ID         int64          `json:"id"`
	CampaignID int64          `json:"campaign_id"`
	AgencyID   int64          `json:"agency_id"`
	Name       string         `json:"name"`
	State      PanelState     `json:"state"`
	ProjectIDs []int64        `json:"project_ids"`
	Members    []*PanelMember `json:"members"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// Seated returns the members who hold a seat in the group, chair first.
func (p *Panel) Seated(seat Seat) []*PanelMember {
	var out []*PanelMember
	for _, m := range p.Members {
		if m.Seat == seat && m.Status.Seated() {
			if m.Chair {
				out = append([]*PanelMember{m}, out...)
			} else {
				out = append(out, m)
			}
		}
	}
	return out
}

// Alternates returns the waiting alternates of a group in rank order.
func (p *Panel) Alternates(seat Seat) []*PanelMember {
	var out []*PanelMember
	for _, m := range p.Members {
		if m.Seat == seat && m.Status == MemberAlternate {
			out = append(out, m)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].AlternateRank < out[j-1].AlternateRank; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Changeable reports whether the panel's members can still be changed by
// hand: until every seat is accepted and the panel confirmed.
func (p *Panel) Changeable() bool { return p.State != PanelConfirmed }

// MemberOf returns the member row of an expert.
func (p *Panel) MemberOf(expertID int64) (*PanelMember, bool) {
	for _, m := range p.Members {
		if m.ExpertID == expertID {
			return m, true
		}
	}
	return nil, false
}

// Member returns the member with the id.
func (p *Panel) Member(id int64) (*PanelMember, bool) {
	for _, m := range p.Members {
		if m.ID == id {
			return m, true
		}
	}
	return nil, false
}

// DrawRecord is the record of a draw or a match: everything needed to
// re-run it, as stored when it ran.
type DrawRecord struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id"`
	AgencyID   int64     `json:"agency_id"`
	PanelID    int64     `json:"panel_id,omitempty"`
	Kind       string    `json:"kind"` // draw or match
	Seed       string    `json:"seed"`
	Input      string    `json:"input"` // JSON, with the pool snapshot
	PoolHash   string    `json:"pool_hash"`
	Result     string    `json:"result"` // JSON
	CreatedBy  int64     `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

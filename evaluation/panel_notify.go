package evaluation

import (
	"context"
	"time"
)

// inviteTx is what inviting a member needs in any area's transaction:
// writing the seat, the campaign and projects the invitation names, and
// the outbox.
type inviteTx interface {
	UpdatePanelMember(ctx context.Context, m *PanelMember) error
	campaignGetter
	projectGetter
	expertNotifier
}

// tellInvited puts an invitation to each of the members, just invited to
// the panel, in the outbox (see notifyExpert for experts who cannot be
// reached). The key is the seat and the time it was offered: an expert
// invited again later, after leaving the panel, is told again.
func (c *core) tellInvited(ctx context.Context, tx inviteTx, p *Panel, members ...*PanelMember) error {
	if len(members) == 0 {
		return nil
	}
	camp, err := tx.Campaign(ctx, p.CampaignID)
	if err != nil {
		return err
	}
	projects, err := panelProjects(ctx, tx, p)
	if err != nil {
		return err
	}
	data := InvitationData{Campaign: camp.Name, Year: camp.Year, Panel: p.Name}
	for _, pr := range projects {
		data.Projects = append(data.Projects, ProjectRef{Code: pr.Code, Title: pr.Title})
	}
	for _, m := range members {
		if _, err := c.notifyExpert(ctx, tx, m.ExpertID, Notice{Kind: KindInvitation, ObjectType: "panel",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Data: data,
			Key: "invitation:" + idString(m.ID) + ":" + m.InvitedAt.UTC().Format(time.RFC3339Nano)}); err != nil {
			return err
		}
	}
	return nil
}

package evaluation

import (
	"context"
	"time"
)

// Manual changes once scoring has opened (evaluation/README.md §2.5.4):
// a panel is confirmed by then, and the only change left is replacing a
// member who has not started, that is, who has no sheet (of any status)
// for any project of the panel. Nothing they wrote is lost, and the other
// members work on while the newcomer is invited.

// seatCampaign is panelCampaign for a manual change of the target seat:
// only the agency's staff make one; while the campaign forms panels any
// change; while it scores, only the replacement of a member who has not
// started (a member who has is a conflict, error.member_started).
func (s *PanelService) seatCampaign(ctx context.Context, r panelStore, actor Actor, p *Panel, target SeatTarget) (*Campaign, error) {
	c, err := loadCampaign(ctx, r, actor, p.CampaignID)
	if err != nil {
		return nil, err
	}
	switch {
	case !CanManageCampaign(actor, c):
		return nil, ErrForbidden
	case c.State == CampaignScoring && target.MemberID != 0:
		m, ok := p.Member(target.MemberID)
		if !ok || !m.Status.Seated() {
			return nil, ErrNotFound
		}
		started, err := startedOn(ctx, r, p, m.ExpertID)
		if err != nil {
			return nil, err
		}
		if started {
			return nil, Errorf(Conflict, "error.member_started")
		}
	case !PanelsOpen(c):
		return nil, Errorf(Conflict, "error.panels_locked")
	}
	return c, nil
}

// startedOn reports whether the expert has a sheet, in any status, for a
// project of the panel.
func startedOn(ctx context.Context, r interface {
	Sheet(ctx context.Context, projectID, expertID int64) (*Sheet, error)
}, p *Panel, expertID int64) (bool, error) {
	for _, id := range p.ProjectIDs {
		switch _, err := r.Sheet(ctx, id, expertID); ErrorCode(err) {
		case "":
			return true, nil
		case NotFound:
		default:
			return false, err
		}
	}
	return false, nil
}

// scoringReplacement is what replacing a member while the campaign scores
// adds to the change: the newcomer is invited (changeSeat) and has yet to
// accept, so the chair, if the replaced member held it, passes at once to
// a technical member who accepted, as when a member withdraws (the
// newcomer takes it only when nobody has accepted); and a confirmed panel
// goes back to inviting until the newcomer answers (an acceptance
// confirms it again, a decline calls the next alternate). The members at
// work keep working: the workspace looks at seats, not at the panel's
// state.
func (s *PanelService) scoringReplacement(ctx context.Context, tx panelTx, p *Panel, removed, newcomer *PanelMember, now time.Time,
	details map[string]any) error {
	details["scoring"] = true
	if newcomer.Chair {
		if next := nextChair(p, removed.ID); next != nil {
			next.Chair, newcomer.Chair = true, false
			if err := tx.UpdatePanelMember(ctx, next); err != nil {
				return err
			}
			details["chair"] = next.ExpertID
		}
	}
	if p.State == PanelConfirmed {
		return tx.UpdatePanelState(ctx, p.ID, PanelInviting, now)
	}
	return nil
}

// Replaceable lists, by member id, the seated members of the panel the
// actor may replace now: every one while the campaign forms panels and the
// panel is not confirmed; while it scores, those who have not started. It
// is empty for anyone but the staff of the campaign's agency.
func (s *PanelService) Replaceable(ctx context.Context, actor Actor, p *Panel) (map[int64]bool, error) {
	c, err := loadCampaign(ctx, s.store, actor, p.CampaignID)
	if err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	if !CanManageCampaign(actor, c) {
		return out, nil
	}
	for _, seat := range []Seat{SeatTechnical, SeatFinance} {
		for _, m := range p.Seated(seat) {
			switch {
			case c.State == CampaignScoring:
				started, err := startedOn(ctx, s.store, p, m.ExpertID)
				if err != nil {
					return nil, err
				}
				out[m.ID] = !started
			case PanelsOpen(c) && p.Changeable():
				out[m.ID] = true
			}
		}
	}
	return out, nil
}

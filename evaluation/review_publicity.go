package evaluation

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ApproveCampaign approves a submitted campaign and starts its publicity
// (公示) for days days (0 for DefaultPublicityDays), with an optional note
// shown on the public notice; only the commission may, and not with
// projects marked to return (it returns or unmarks them first). The
// campaign moves submitted → approved → published at once.
func (s *ReviewService) ApproveCampaign(ctx context.Context, actor Actor, campaignID int64, days int, note string) (*Campaign, error) {
	note = strings.TrimSpace(note)
	f := FieldErrors{}
	if days == 0 {
		days = DefaultPublicityDays
	}
	if days < 1 || days > MaxPublicityDays {
		f.Add("days", "error.publicity_days")
	}
	if utf8.RuneCountInString(note) > MaxReasonText {
		f.Add("note", "error.too_long")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Campaign
	err := s.inTx(ctx, func(tx reviewTx) error {
		c, err := reviewedCampaign(ctx, tx, actor, campaignID)
		if err != nil {
			return err
		}
		list, err := tx.Returns(ctx, c.ID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(list, func(r *Return) bool { return !r.Sent }) {
			return Errorf(Conflict, "error.approve_with_returns")
		}
		now := s.now()
		today := now.In(Beijing)
		p := &Publicity{CampaignID: c.ID, AgencyID: c.AgencyID, Starts: today.Format(time.DateOnly),
			Ends: today.AddDate(0, 0, days).Format(time.DateOnly), Days: days, Note: note, ApprovedBy: actor.UserID,
			ApprovedByName: actor.DisplayName(), ApprovedAt: now}
		if err := tx.CreatePublicity(ctx, p); err != nil {
			return err
		}
		for _, to := range []CampaignState{CampaignApproved, CampaignPublished} {
			from := c.State
			c.State, c.UpdatedAt = to, now
			if err := tx.UpdateCampaign(ctx, c); err != nil {
				return err
			}
			if err := tx.AddCampaignTransition(ctx, c.ID, &CampaignTransition{From: from, To: to, ActorID: actor.UserID,
				Reason: note, At: now}); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.transition", ObjectType: "campaign",
				ObjectID: idString(c.ID), AgencyID: c.AgencyID, Details: map[string]any{"from": from, "to": to,
					"reason": note, "publicity_ends": p.Ends}}); err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	return out, err
}

// Publicity returns a campaign's publicity period, for those who read the
// campaign; not found before the approval.
func (s *ReviewService) Publicity(ctx context.Context, actor Actor, campaignID int64) (*Publicity, error) {
	if _, err := loadCampaign(ctx, s.store, actor, campaignID); err != nil {
		return nil, err
	}
	return s.store.Publicity(ctx, campaignID)
}

// PublicNotice is what anyone may read of a campaign in or after its
// publicity: its projects and their conclusions, no scores, no names of
// experts. Any other campaign is not found.
func (s *ReviewService) PublicNotice(ctx context.Context, campaignID int64) (*PublicNotice, error) {
	c, err := s.store.Campaign(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if c.State != CampaignPublished && c.State != CampaignClosed {
		return nil, ErrNotFound
	}
	p, err := s.store.Publicity(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ag, err := s.store.Agency(ctx, c.AgencyID)
	if err != nil {
		return nil, err
	}
	projects, _, err := s.store.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID,
		Page: Page{Number: 1, Size: math.MaxInt32}})
	if err != nil {
		return nil, err
	}
	concluded, err := s.store.CampaignConclusions(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	inForce := map[int64]Conclusion{}
	for _, k := range concluded {
		inForce[k.ProjectID] = k.Conclusion
	}
	n := &PublicNotice{Campaign: c.Name, Year: c.Year, AgencyZH: ag.NameZH, AgencyEN: ag.NameEN, Publicity: p,
		Projects: make([]PublicProject, 0, len(projects))}
	for _, pr := range projects {
		n.Projects = append(n.Projects, PublicProject{Code: pr.Code, Title: pr.Title, Class: pr.Class, Lead: pr.Lead,
			Conclusion: inForce[pr.ID]})
	}
	slices.SortFunc(n.Projects, func(a, b PublicProject) int { return strings.Compare(a.Code, b.Code) })
	return n, nil
}

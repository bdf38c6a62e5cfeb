package evaluation

import (
	"context"
	"slices"
)

// ReviewService is the commission's review of a submitted campaign:
// projects returned to the agency with a comment each, the agency's
// answers, and the guard that a campaign goes back to the commission only
// with every return of the round answered.
type ReviewService struct {
	*core
	store interface {
		campaignGetter
		projectGetter
		returnReader
		publicityReader
		appealReader
		Agency(ctx context.Context, id int64) (*Agency, error)
		Projects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
		CampaignConclusions(ctx context.Context, campaignID int64) ([]*ConclusionRecord, error)
	}
}

func (s *ReviewService) inTx(ctx context.Context, fn func(tx reviewTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// Returns lists a campaign's returns, round by round: the commission and
// administrators see the round being drafted too, the agency's staff only
// what was sent to them.
func (s *ReviewService) Returns(ctx context.Context, actor Actor, campaignID int64) ([]*Return, error) {
	if actor.Role == RoleExpert {
		return nil, ErrNotFound
	}
	if _, err := loadCampaign(ctx, s.store, actor, campaignID); err != nil {
		return nil, err
	}
	list, err := s.store.Returns(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if actor.Role == RoleAgencyStaff {
		list = slices.DeleteFunc(list, func(r *Return) bool { return !r.Sent })
	}
	return list, nil
}

// reviewedProject loads a project of a campaign the commission reviews
// now (submitted), for the commission.
func reviewedProject(ctx context.Context, tx reviewTx, actor Actor, projectID int64) (*Project, *Campaign, error) {
	if actor.Role == RoleExpert {
		return nil, nil, ErrNotFound
	}
	p, err := tx.Project(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	c, err := reviewedCampaign(ctx, tx, actor, p.CampaignID)
	return p, c, err
}

// reviewedCampaign loads a campaign the commission reviews now
// (submitted), for the commission.
func reviewedCampaign(ctx context.Context, tx reviewTx, actor Actor, campaignID int64) (*Campaign, error) {
	c, err := loadCampaign(ctx, tx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	if actor.Role != RoleCommission {
		return nil, ErrForbidden
	}
	if c.State != CampaignSubmitted {
		return nil, Errorf(Conflict, "error.review_closed")
	}
	return c, nil
}

// nextRound is the round the commission drafts: one after the last sent.
func nextRound(list []*Return) int {
	round := 1
	for _, r := range list {
		if r.Sent && r.Round >= round {
			round = r.Round + 1
		}
	}
	return round
}

// MarkReturn marks a project of a submitted campaign to return to the
// agency with the comment (or changes the comment); only the commission
// may. Nothing reaches the agency until ReturnCampaign.
func (s *ReviewService) MarkReturn(ctx context.Context, actor Actor, projectID int64, comment string) (*Return, error) {
	comment, err := checkText("comment", comment)
	if err != nil {
		return nil, err
	}
	var out *Return
	err = s.inTx(ctx, func(tx reviewTx) error {
		p, c, err := reviewedProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		list, err := tx.Returns(ctx, c.ID)
		if err != nil {
			return err
		}
		r := &Return{CampaignID: c.ID, AgencyID: c.AgencyID, Round: nextRound(list), ProjectID: p.ID, Code: p.Code,
			Title: p.Title, Comment: comment, MarkedBy: actor.UserID, MarkedByName: actor.DisplayName(), MarkedAt: s.now()}
		if err := tx.SaveReturn(ctx, r); err != nil {
			return err
		}
		out = r
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.mark_return", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"round": r.Round, "comment": comment}})
	})
	return out, err
}

// UnmarkReturn takes a project off the round the commission drafts.
func (s *ReviewService) UnmarkReturn(ctx context.Context, actor Actor, projectID int64) error {
	return s.inTx(ctx, func(tx reviewTx) error {
		p, c, err := reviewedProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		list, err := tx.Returns(ctx, c.ID)
		if err != nil {
			return err
		}
		round := nextRound(list)
		if !slices.ContainsFunc(list, func(r *Return) bool { return r.Round == round && r.ProjectID == p.ID }) {
			return ErrNotFound
		}
		if err := tx.DeleteReturn(ctx, c.ID, round, p.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.unmark_return", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"round": round}})
	})
}

// ReturnCampaign sends the projects the commission marked back to the
// agency with the reason, and the campaign with them (submitted →
// returned); only the commission may, with at least one project marked.
// The agency answers each, concludes again where it must, and submits
// the campaign again.
func (s *ReviewService) ReturnCampaign(ctx context.Context, actor Actor, campaignID int64, reason string) (*Campaign, error) {
	reason, err := checkText("reason", reason)
	if err != nil {
		return nil, err
	}
	var out *Campaign
	err = s.inTx(ctx, func(tx reviewTx) error {
		c, err := reviewedCampaign(ctx, tx, actor, campaignID)
		if err != nil {
			return err
		}
		list, err := tx.Returns(ctx, c.ID)
		if err != nil {
			return err
		}
		round := nextRound(list)
		now := s.now()
		n, err := tx.SendReturns(ctx, c.ID, round, now)
		if err != nil {
			return err
		}
		if n == 0 {
			return Errorf(Conflict, "error.return_no_projects")
		}
		from := c.State
		c.State, c.UpdatedAt = CampaignReturned, now
		if err := tx.UpdateCampaign(ctx, c); err != nil {
			return err
		}
		if err := tx.AddCampaignTransition(ctx, c.ID, &CampaignTransition{From: from, To: c.State, ActorID: actor.UserID,
			Reason: reason, At: now}); err != nil {
			return err
		}
		out = c
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.transition", ObjectType: "campaign",
			ObjectID: idString(c.ID), AgencyID: c.AgencyID, Details: map[string]any{"from": from, "to": c.State,
				"reason": reason, "round": round, "projects": n}})
	})
	return out, err
}

// AnswerReturn records the agency's answer to the commission's comment on
// a project of the latest round returned (what it did, or why nothing
// needed doing), while the campaign is back with the agency; only its
// staff may, and may change the answer until they submit again.
func (s *ReviewService) AnswerReturn(ctx context.Context, actor Actor, projectID int64, answer string) (*Return, error) {
	answer, err := checkText("answer", answer)
	if err != nil {
		return nil, err
	}
	var out *Return
	err = s.inTx(ctx, func(tx reviewTx) error {
		p, c, err := managedProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if c.State != CampaignReturned && c.State != CampaignConcluding {
			return Errorf(Conflict, "error.return_answer_closed")
		}
		list, err := tx.Returns(ctx, c.ID)
		if err != nil {
			return err
		}
		latest := nextRound(list) - 1
		i := slices.IndexFunc(list, func(r *Return) bool { return r.Sent && r.Round == latest && r.ProjectID == p.ID })
		if i < 0 {
			return Errorf(Conflict, "error.return_not_returned")
		}
		r := list[i]
		r.Answer, r.AnsweredBy, r.AnsweredByName, r.AnsweredAt = answer, actor.UserID, actor.DisplayName(), s.now()
		if err := tx.AnswerReturn(ctx, r); err != nil {
			return err
		}
		out = r
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.answer_return", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"round": r.Round, "answer": answer}})
	})
	return out, err
}

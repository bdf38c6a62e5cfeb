package evaluation

import (
	"context"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"slices"
	"strings"
	"unicode/utf8"
)

// managedProject loads a project of a campaign the actor manages (its
// agency's staff): not found for anyone who cannot read the campaign,
// forbidden for those who only read it.
func managedProject(ctx context.Context, r interface {
	projectGetter
	campaignGetter
}, actor Actor, projectID int64) (*Project, *Campaign, error) {
	p, err := r.Project(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	c, err := loadCampaign(ctx, r, actor, p.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	if !CanManageCampaign(actor, c) {
		return nil, nil, ErrForbidden
	}
	return p, c, nil
}

// concludingProject loads a project whose conclusions the actor records:
// a project of the actor's agency while its campaign is concluding.
func concludingProject(ctx context.Context, tx resultTx, actor Actor, projectID int64) (*Project, *Campaign, error) {
	p, c, err := managedProject(ctx, tx, actor, projectID)
	if err != nil {
		return nil, nil, err
	}
	if c.State != CampaignConcluding {
		return nil, nil, Errorf(Conflict, "error.conclusions_closed")
	}
	return p, c, nil
}

// Conclusions lists a project's recorded conclusions, oldest first, with
// its rectification (nil when none), for the agency's staff, the
// commission and administrators.
func (s *ResultService) Conclusions(ctx context.Context, actor Actor, projectID int64) ([]*ConclusionRecord, *Rectification, error) {
	if actor.Role == RoleExpert {
		return nil, nil, ErrNotFound
	}
	p, err := s.store.Project(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := loadCampaign(ctx, s.store, actor, p.CampaignID); err != nil {
		return nil, nil, err
	}
	list, err := s.store.Conclusions(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.store.Rectification(ctx, projectID)
	if ErrorCode(err) == NotFound {
		return list, nil, nil
	}
	return list, r, err
}

// RecordConclusion records the agency's conclusion on a project while its
// campaign is concluding; only the agency's staff may. The evaluation
// passes, fails or closes (结题) the project; after a rectification the
// re-evaluation passes it after rectification, fails or closes it. A pass
// or a fail of the evaluation needs the panel's locked opinion, and a
// reason when it differs from the opinion's proposal; those of the
// re-evaluation need the panel's revised sheets (OpenRevision), and a
// reason when they differ from the result computed from them. A closure
// always needs a reason, and so does changing a conclusion already
// recorded for the round. Every record is kept.
func (s *ResultService) RecordConclusion(ctx context.Context, actor Actor, projectID int64, c Conclusion, reason string) (*ConclusionRecord, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxReasonText {
		return nil, FieldErrors{"reason": "error.too_long"}.Err()
	}
	var out *ConclusionRecord
	err := s.inTx(ctx, func(tx resultTx) error {
		p, camp, err := concludingProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		rect, err := tx.Rectification(ctx, projectID)
		if err != nil && ErrorCode(err) != NotFound {
			return err
		}
		round := 1
		if rect != nil {
			round = 2
		}
		if !slices.Contains(ConclusionsOf(round), c) {
			return FieldErrors{"conclusion": "error.conclusion_not_allowed"}.Err()
		}
		rec := &ConclusionRecord{ProjectID: projectID, CampaignID: camp.ID, AgencyID: p.AgencyID, Round: round,
			Conclusion: c, Reason: reason, RecordedBy: actor.UserID, RecordedByName: actor.DisplayName(), RecordedAt: s.now()}
		if needsOpinion(c, round) {
			o, err := loadOpinion(ctx, tx, projectID)
			if err != nil {
				return err
			}
			if o == nil || o.Status != OpinionLocked {
				return Errorf(Conflict, "error.conclusion_needs_opinion")
			}
			rec.Proposed = o.Proposed
		}
		if round == 2 && c != ConclusionClosed {
			if rec.Proposed, err = s.reevaluated(ctx, tx, camp, p); err != nil {
				return err
			}
		}
		list, err := tx.Conclusions(ctx, projectID)
		if err != nil {
			return err
		}
		changed := len(list) > 0 && list[len(list)-1].Round == round
		if reason == "" && (c == ConclusionClosed || (rec.Proposed != "" && c != rec.Proposed) || changed) {
			return FieldErrors{"reason": "error.conclusion_reason_required"}.Err()
		}
		rec.Seq = len(list) + 1
		if err := tx.AddConclusion(ctx, rec); err != nil {
			return err
		}
		out = rec
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.conclude", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: p.AgencyID, Details: map[string]any{"conclusion": string(c),
				"proposed": string(rec.Proposed), "round": round, "reason": reason}})
	})
	return out, err
}

// StartRectification grants a failed project its one rectification round
// (整改), to end on due (YYYY-MM-DD in Beijing; "" for RectificationMonths
// from today), with the reason; only the agency's staff may, while the
// campaign is concluding. The project then waits for its re-evaluation's
// conclusion.
func (s *ResultService) StartRectification(ctx context.Context, actor Actor, projectID int64, due, reason string) (*Rectification, error) {
	reason = strings.TrimSpace(reason)
	f := FieldErrors{}
	reasonProblem(f, "reason", reason)
	due = dueDay(f, due, s.now().In(Beijing).AddDate(0, RectificationMonths, 0), s.now())
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Rectification
	err := s.inTx(ctx, func(tx resultTx) error {
		p, camp, err := concludingProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		switch _, err := tx.Rectification(ctx, projectID); ErrorCode(err) {
		case "":
			return Errorf(Conflict, "error.rectification_once")
		case NotFound:
		default:
			return err
		}
		list, err := tx.Conclusions(ctx, projectID)
		if err != nil {
			return err
		}
		if len(list) == 0 || list[len(list)-1].Conclusion != ConclusionFail {
			return Errorf(Conflict, "error.rectification_not_failed")
		}
		r := &Rectification{ProjectID: projectID, CampaignID: camp.ID, AgencyID: p.AgencyID, Due: due, Reason: reason,
			CreatedBy: actor.UserID, CreatedByName: actor.DisplayName(), CreatedAt: s.now()}
		if err := tx.CreateRectification(ctx, r); err != nil {
			return err
		}
		out = r
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.rectify", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: p.AgencyID, Details: map[string]any{"due": due, "reason": reason}})
	})
	return out, err
}

// reevaluated is what the panel's re-evaluation of a rectified project
// proposes: pass after rectification or fail, from the result of its
// revised sheets; "" when the result proposes nothing. The re-evaluation
// must be opened and every revised sheet in.
func (s *ResultService) reevaluated(ctx context.Context, tx resultTx, c *Campaign, p *Project) (Conclusion, error) {
	list, err := tx.Revisions(ctx, p.ID)
	if err != nil {
		return "", err
	}
	if !slices.ContainsFunc(list, func(r *Revision) bool { return r.Kind == RevisionReevaluation }) {
		return "", Errorf(Conflict, "error.reevaluation_not_opened")
	}
	sheets, err := tx.ProjectSheets(ctx, p.ID)
	if err != nil {
		return "", err
	}
	if slices.ContainsFunc(sheets, func(sh *Sheet) bool { return sh.Status != SheetSubmitted }) {
		return "", Errorf(Conflict, "error.reevaluation_pending")
	}
	// Veto confirmations end with the first conclusion (ConfirmVeto), so
	// those read outside the transaction are the ones in force.
	confirmed, err := s.reports.VetoConfirmations(ctx, p.ID)
	if err != nil {
		return "", err
	}
	res, _, err := projectOfficial(ctx, tx, c, p, sheets, confirmed)
	if err != nil {
		return "", err
	}
	switch res.Proposal {
	case aggregate.Pass:
		return ConclusionPassAfterRectification, nil
	case aggregate.Fail:
		return ConclusionFail, nil
	}
	return "", nil
}

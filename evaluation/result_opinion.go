package evaluation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// ResultService is the results area (evaluation/README.md §2.7): the
// panel's opinion on each project, drafted by the chair once every sheet
// is in and confirmed or dissented by the members.
type ResultService struct {
	*core
	store   resultStore
	reports reportStore
}

func (s *ResultService) inTx(ctx context.Context, fn func(tx resultTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// opinionOpen reports whether a campaign in the state takes opinions:
// while experts score (a project whose sheets are all in need not wait for
// the others) and while conclusions are recorded.
func opinionOpen(c *Campaign) bool {
	return c.State == CampaignScoring || c.State == CampaignConcluding
}

// loadOpinion returns the project's opinion, nil when none was drafted.
func loadOpinion(ctx context.Context, r opinionReader, projectID int64) (*Opinion, error) {
	o, err := r.Opinion(ctx, projectID)
	if ErrorCode(err) == NotFound {
		return nil, nil
	}
	return o, err
}

// Opinion returns the panel's opinion on a project as the actor may read
// it: the chair always, the other members once it is circulated, the
// agency's staff, the commission and administrators whatever its state.
// Not found when there is none the actor may read.
func (s *ResultService) Opinion(ctx context.Context, actor Actor, projectID int64) (*Opinion, error) {
	if actor.Role == RoleExpert {
		st, err := seatOf(ctx, s.store, actor, projectID)
		if err != nil {
			return nil, err
		}
		o, err := s.store.Opinion(ctx, projectID)
		if err != nil {
			return nil, err
		}
		if !st.member.Chair && o.Status == OpinionDraft {
			return nil, ErrNotFound
		}
		return o, nil
	}
	p, err := s.store.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if _, err := loadCampaign(ctx, s.store, actor, p.CampaignID); err != nil {
		return nil, err
	}
	return s.store.Opinion(ctx, projectID)
}

// chairSeat is the actor's seat as the chair of the project's panel, with
// the whole panel, once every accepted member's sheet is submitted and
// while the campaign takes opinions.
func (s *ResultService) chairSeat(ctx context.Context, tx resultTx, actor Actor, projectID int64) (*seat, *Panel, error) {
	st, err := seatOf(ctx, tx, actor, projectID)
	if err != nil {
		return nil, nil, err
	}
	if !st.member.Chair {
		return nil, nil, Errorf(Forbidden, "error.opinion_chair_only")
	}
	if !opinionOpen(st.campaign) {
		return nil, nil, Errorf(Conflict, "error.opinion_closed")
	}
	panel, err := tx.Panel(ctx, st.panel.ID)
	if err != nil {
		return nil, nil, err
	}
	missing := 0
	for _, m := range panel.Members {
		if m.Status != MemberAccepted {
			continue
		}
		sh, err := tx.Sheet(ctx, projectID, m.ExpertID)
		if err != nil && ErrorCode(err) != NotFound {
			return nil, nil, err
		}
		if sh == nil || sh.Status != SheetSubmitted {
			missing++
		}
	}
	if missing > 0 {
		e := Errorf(Conflict, "error.opinion_sheets_missing")
		e.Args = map[string]map[string]any{"": {"Count": missing}}
		return nil, nil, e
	}
	return st, panel, nil
}

// StaleOpinionError refuses a save or a circulation of the panel's opinion
// based on another version than the one stored, which another tab or
// device saved since (or a request sent twice); it carries the stored
// opinion, so that the chair can see and keep what is there, as
// StaleSheetError does for a sheet.
type StaleOpinionError struct {
	Current *Opinion
}

func (e *StaleOpinionError) Error() string {
	return "stale opinion: the stored version is " + idString(int64(e.Current.Version))
}

// Unwrap is the conflict the edges answer with.
func (e *StaleOpinionError) Unwrap() error {
	return &Error{Code: Conflict, Message: "error.opinion_stale", Fields: map[string]string{"version": "error.opinion_stale"}}
}

// SaveOpinion stores the chair's draft of the panel's opinion on a
// project, based on the version base (0 for the first draft). Only the
// chair may, once every accepted member's sheet is submitted. Saving a
// circulated opinion takes it back to a draft: the members' responses are
// dropped and it must be circulated again. A locked opinion never changes.
func (s *ResultService) SaveOpinion(ctx context.Context, actor Actor, projectID int64, base int, in OpinionInput) (*Opinion, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Opinion
	err := s.inTx(ctx, func(tx resultTx) error {
		st, _, err := s.chairSeat(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		o, err := loadOpinion(ctx, tx, projectID)
		if err != nil {
			return err
		}
		now := s.now()
		created := o == nil
		if created {
			o = &Opinion{ProjectID: projectID, CampaignID: st.campaign.ID, AgencyID: st.project.AgencyID,
				PanelID: st.panel.ID, Responses: []OpinionResponse{}, CreatedAt: now}
		}
		if o.Status == OpinionLocked {
			return Errorf(Conflict, "error.opinion_locked")
		}
		switch {
		case base != o.Version && created:
			// No version to be stale against: a made-up one.
			return FieldErrors{"version": "error.opinion_version_new"}.Err()
		case base != o.Version:
			return &StaleOpinionError{Current: o}
		}
		if o.Status == OpinionCirculating {
			if err := tx.DeleteOpinionResponses(ctx, projectID); err != nil {
				return err
			}
			o.Responses = []OpinionResponse{}
		}
		o.ChairID, o.Text, o.Proposed, o.Status = actor.ExpertID, in.Text, in.Proposed, OpinionDraft
		o.Version, o.UpdatedAt = o.Version+1, now
		if created {
			err = tx.CreateOpinion(ctx, o)
		} else {
			err = tx.UpdateOpinion(ctx, o)
		}
		if err != nil {
			return err
		}
		out = o
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "opinion.save", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: o.AgencyID,
			Details: map[string]any{"version": o.Version, "proposed": string(o.Proposed)}})
	})
	return out, err
}

// CirculateOpinion sends the chair's draft, at version base, to the other
// members to confirm or dissent. A panel whose chair is its only accepted
// member has nobody to ask: the opinion locks at once.
func (s *ResultService) CirculateOpinion(ctx context.Context, actor Actor, projectID int64, base int) (*Opinion, error) {
	var out *Opinion
	err := s.inTx(ctx, func(tx resultTx) error {
		_, panel, err := s.chairSeat(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		o, err := tx.Opinion(ctx, projectID)
		if err != nil {
			return err
		}
		if o.Status != OpinionDraft {
			return Errorf(Conflict, "error.opinion_not_draft")
		}
		if base != o.Version {
			return &StaleOpinionError{Current: o}
		}
		now := s.now()
		o.Status, o.UpdatedAt = OpinionCirculating, now
		if len(responders(panel, o.ChairID)) == 0 {
			o.Status, o.LockedAt = OpinionLocked, now
		}
		if err := tx.UpdateOpinion(ctx, o); err != nil {
			return err
		}
		out = o
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "opinion.circulate", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: o.AgencyID,
			Details: map[string]any{"version": o.Version, "status": string(o.Status)}})
	})
	return out, err
}

// RespondOpinion records a member's answer to the circulated opinion on a
// project: a confirmation, or a dissent with its reason. A member may
// change their answer until the opinion locks, which it does when every
// accepted member but the chair has answered.
func (s *ResultService) RespondOpinion(ctx context.Context, actor Actor, projectID int64, agree bool, reason string) (*Opinion, error) {
	f := FieldErrors{}
	if agree {
		if utf8.RuneCountInString(reason) > MaxReasonText {
			f.Add("reason", "error.too_long")
		}
	} else {
		reasonProblem(f, "reason", reason)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Opinion
	err := s.inTx(ctx, func(tx resultTx) error {
		st, err := seatOf(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if !opinionOpen(st.campaign) {
			return Errorf(Conflict, "error.opinion_closed")
		}
		o, err := tx.Opinion(ctx, projectID)
		if ErrorCode(err) == NotFound {
			return Errorf(Conflict, "error.opinion_not_circulating")
		}
		if err != nil {
			return err
		}
		switch {
		case o.Status == OpinionLocked:
			return Errorf(Conflict, "error.opinion_locked")
		case o.Status != OpinionCirculating:
			return Errorf(Conflict, "error.opinion_not_circulating")
		case o.ChairID == actor.ExpertID:
			return Errorf(Conflict, "error.opinion_own")
		}
		now := s.now()
		r := OpinionResponse{ExpertID: actor.ExpertID, Agree: agree, Reason: strings.TrimSpace(reason), RespondedAt: now}
		if err := tx.SetOpinionResponse(ctx, projectID, r); err != nil {
			return err
		}
		action := "opinion.confirm"
		if !agree {
			action = "opinion.dissent"
		}
		if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: o.AgencyID,
			Details: map[string]any{"version": o.Version, "reason": r.Reason}}); err != nil {
			return err
		}
		if o, err = tx.Opinion(ctx, projectID); err != nil {
			return err
		}
		panel, err := tx.Panel(ctx, st.panel.ID)
		if err != nil {
			return err
		}
		out = o
		if !answeredByAll(o, panel) {
			return nil
		}
		return s.lockOpinion(ctx, tx, actor, o, now)
	})
	return out, err
}

// answeredByAll reports whether every member who answers the opinion has.
func answeredByAll(o *Opinion, panel *Panel) bool {
	for _, m := range responders(panel, o.ChairID) {
		if _, ok := o.Response(m.ExpertID); !ok {
			return false
		}
	}
	return true
}

// lockOpinion locks an opinion every member has answered.
func (s *ResultService) lockOpinion(ctx context.Context, tx resultTx, actor Actor, o *Opinion, now time.Time) error {
	o.Status, o.LockedAt, o.UpdatedAt = OpinionLocked, now, now
	if err := tx.UpdateOpinion(ctx, o); err != nil {
		return err
	}
	return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "opinion.lock", ObjectType: "project",
		ObjectID: idString(o.ProjectID), AgencyID: o.AgencyID,
		Details: map[string]any{"version": o.Version, "proposed": string(o.Proposed), "dissents": o.Dissents()}})
}

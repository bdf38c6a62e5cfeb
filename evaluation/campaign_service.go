package evaluation

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/rubrics"
)

// CampaignService is the campaigns area: evaluation campaigns (评价批次),
// their state machine, and their projects, added one by one, in batches or
// from an imported file.
type CampaignService struct {
	*core
	store campaignStore
}

func (s *CampaignService) inTx(ctx context.Context, fn func(tx campaignTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// loadCampaign loads a campaign the actor may see; any other answers not
// found, so that another agency's ids reveal nothing.
func loadCampaign(ctx context.Context, r campaignGetter, actor Actor, id int64) (*Campaign, error) {
	c, err := r.Campaign(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSeeCampaign(actor, c) {
		return nil, ErrNotFound
	}
	return c, nil
}

// Campaign returns one campaign.
func (s *CampaignService) Campaign(ctx context.Context, actor Actor, id int64) (*Campaign, error) {
	return loadCampaign(ctx, s.store, actor, id)
}

// Campaigns lists the campaigns the actor may see.
func (s *CampaignService) Campaigns(ctx context.Context, actor Actor, f CampaignFilter) ([]*Campaign, error) {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
	case RoleAgencyStaff:
		f.AgencyID = actor.AgencyID
	default:
		return nil, ErrForbidden
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return s.store.Campaigns(ctx, f)
}

// CampaignTransitions lists a campaign's state history.
func (s *CampaignService) CampaignTransitions(ctx context.Context, actor Actor, id int64) ([]*CampaignTransition, error) {
	if _, err := loadCampaign(ctx, s.store, actor, id); err != nil {
		return nil, err
	}
	return s.store.CampaignTransitions(ctx, id)
}

// checkRubricPins checks that every pinned rubric version exists, is
// published and scores the right target.
func checkRubricPins(ctx context.Context, r rubricReader, st CampaignSettings) error {
	f := FieldErrors{}
	for key, pin := range st.Rubrics {
		field := "settings.rubrics." + key
		rb, err := r.Rubric(ctx, pin.Code, pin.Version)
		switch {
		case ErrorCode(err) == NotFound:
			f.Add(field, "error.rubric_unknown")
		case err != nil:
			return err
		case rb.Status != RubricPublished:
			f.Add(field, "error.rubric_not_published")
		case string(rb.Target) != key && !(key == "finance" && rb.Target == rubrics.Finance):
			f.Add(field, "error.rubric_wrong_target")
		}
	}
	return f.Err()
}

// NewCampaign is the input for creating a campaign. A zero Settings takes
// the defaults.
type NewCampaign struct {
	Name        string
	Year        int
	Programme   string
	Aggregation Aggregation
	Settings    *CampaignSettings
}

// CreateCampaign starts a campaign, in draft, in the actor's agency.
func (s *CampaignService) CreateCampaign(ctx context.Context, actor Actor, in NewCampaign) (*Campaign, error) {
	if !CanCreateCampaign(actor) {
		return nil, ErrForbidden
	}
	now := s.now()
	c := &Campaign{AgencyID: actor.AgencyID, Name: in.Name, Year: in.Year, Programme: in.Programme, State: CampaignDraft,
		Aggregation: in.Aggregation, CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
	if c.Aggregation == "" {
		c.Aggregation = TrimmedMean
	}
	if in.Settings != nil {
		c.Settings = *in.Settings
	} else {
		c.Settings = DefaultCampaignSettings()
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	err := s.inTx(ctx, func(tx campaignTx) error {
		if err := checkRubricPins(ctx, tx, c.Settings); err != nil {
			return err
		}
		if err := tx.CreateCampaign(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.create", ObjectType: "campaign", ObjectID: idString(c.ID),
			AgencyID: c.AgencyID, Details: map[string]any{"name": c.Name, "year": c.Year}})
	})
	if err != nil {
		return nil, err
	}
	return s.Campaign(ctx, actor, c.ID)
}

// UpdateCampaign changes a campaign's name, year, programme, aggregation
// and settings; only in draft, only its agency's staff.
func (s *CampaignService) UpdateCampaign(ctx context.Context, actor Actor, id int64, in NewCampaign) (*Campaign, error) {
	err := s.inTx(ctx, func(tx campaignTx) error {
		c, err := loadCampaign(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !CanManageCampaign(actor, c) {
			return ErrForbidden
		}
		if !CampaignEditable(c) {
			return Errorf(Conflict, "error.campaign_not_draft")
		}
		c.Name, c.Year, c.Programme = in.Name, in.Year, in.Programme
		if in.Aggregation != "" {
			c.Aggregation = in.Aggregation
		}
		if in.Settings != nil {
			st := *in.Settings
			// Settings without the divergence limits (a client that
			// predates them) keep the campaign's.
			if st.DivergenceRange == 0 {
				st.DivergenceRange = c.Settings.DivergenceRange
			}
			if st.DivergenceDistance == 0 {
				st.DivergenceDistance = c.Settings.DivergenceDistance
			}
			c.Settings = st
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := checkRubricPins(ctx, tx, c.Settings); err != nil {
			return err
		}
		c.UpdatedAt = s.now()
		if err := tx.UpdateCampaign(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.update", ObjectType: "campaign", ObjectID: idString(c.ID),
			AgencyID: c.AgencyID, Details: map[string]any{"name": c.Name, "year": c.Year, "aggregation": c.Aggregation}})
	})
	if err != nil {
		return nil, err
	}
	return s.Campaign(ctx, actor, id)
}

// TransitionCampaign moves a campaign to another state, if the state
// machine allows the move from its current state for the actor's role.
// Moves that need a reason (back to draft, returned by the commission)
// refuse an empty one.
func (s *CampaignService) TransitionCampaign(ctx context.Context, actor Actor, id int64, to CampaignState, reason string) (*Campaign, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 2000 {
		return nil, FieldErrors{"reason": "error.too_long"}.Err()
	}
	err := s.inTx(ctx, func(tx campaignTx) error {
		c, err := loadCampaign(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		t, ok := FindTransition(c.State, to)
		switch {
		case !ok:
			return &Error{Code: Conflict, Message: "error.transition_invalid", Fields: map[string]string{"to": "error.transition_invalid"}}
		case t.Role != actor.Role:
			return ErrForbidden
		case t.NeedsReason && reason == "":
			return FieldErrors{"reason": "error.reason_required"}.Err()
		}
		if err := s.checkTransition(ctx, tx, c, to); err != nil {
			return err
		}
		from := c.State
		c.State, c.UpdatedAt = to, s.now()
		if err := tx.UpdateCampaign(ctx, c); err != nil {
			return err
		}
		if to == CampaignClosed {
			if err := s.recordExperts(ctx, tx, actor, c); err != nil {
				return err
			}
		}
		if err := tx.AddCampaignTransition(ctx, c.ID, &CampaignTransition{From: from, To: to, ActorID: actor.UserID,
			Reason: reason, At: c.UpdatedAt}); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.transition", ObjectType: "campaign",
			ObjectID: idString(c.ID), AgencyID: c.AgencyID, Details: map[string]any{"from": from, "to": to, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	return s.Campaign(ctx, actor, id)
}

// checkTransition holds the preconditions of some moves: a campaign goes to
// panel forming only with projects, to scoring only when every project
// has a confirmed panel, and to the commission only when every project has
// its conclusion and every project the commission returned its answer.
// The commission returns a campaign with its projects (ReviewService),
// not by this move.
func (s *CampaignService) checkTransition(ctx context.Context, r campaignStore, c *Campaign, to CampaignState) error {
	switch {
	case to == CampaignReturned:
		// The commission returns chosen projects, each with its comment.
		return &Error{Code: Conflict, Message: "error.return_needs_projects", Fields: map[string]string{"to": "error.return_needs_projects"}}
	case to == CampaignApproved || to == CampaignPublished:
		// Approval starts the publicity: both with ApproveCampaign.
		return &Error{Code: Conflict, Message: "error.approve_with_publicity", Fields: map[string]string{"to": "error.approve_with_publicity"}}
	case to == CampaignClosed:
		p, err := r.Publicity(ctx, c.ID)
		if err != nil {
			return err
		}
		if !PastDue(p.Ends, s.now()) {
			return &Error{Code: Conflict, Message: "error.publicity_running", Fields: map[string]string{"to": "error.publicity_running"},
				Args: map[string]map[string]any{"to": {"Ends": p.Ends}}}
		}
		n, err := r.OpenAppeals(ctx, c.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return &Error{Code: Conflict, Message: "error.appeals_open", Fields: map[string]string{"to": "error.appeals_open"},
				Args: map[string]map[string]any{"to": {"Count": n}}}
		}
	case to == CampaignForming && c.Projects == 0:
		return Errorf(Conflict, "error.campaign_no_projects")
	case c.State == CampaignForming && to == CampaignScoring:
		// The dashboards show the same count (CampaignProgress).
		p, err := campaignProgress(ctx, r, c)
		if err != nil {
			return err
		}
		if p.Unconfirmed > 0 {
			return &Error{Code: Conflict, Message: "error.panels_unconfirmed", Fields: map[string]string{"to": "error.panels_unconfirmed"},
				Args: map[string]map[string]any{"to": {"Count": p.Unconfirmed}}}
		}
	case c.State == CampaignConcluding && to == CampaignSubmitted:
		n, err := r.UnconcludedProjects(ctx, c.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return &Error{Code: Conflict, Message: "error.conclusions_missing", Fields: map[string]string{"to": "error.conclusions_missing"},
				Args: map[string]map[string]any{"to": {"Count": n}}}
		}
		if n, err = r.UnansweredReturns(ctx, c.ID); err != nil {
			return err
		}
		if n > 0 {
			return &Error{Code: Conflict, Message: "error.returns_unanswered", Fields: map[string]string{"to": "error.returns_unanswered"},
				Args: map[string]map[string]any{"to": {"Count": n}}}
		}
	}
	return nil
}

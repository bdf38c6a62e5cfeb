package evaluation

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// PoolService maintains the expert pool (专家库): profiles, the
// can-be-drawn flag, declared conflicts, collaboration records, the
// institution alias table, and bulk imports of profiles.
type PoolService struct {
	*core
	store poolStore
}

func (s *PoolService) inTx(ctx context.Context, fn func(tx poolTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// ThisYear is the current year in China at the service's clock, the year
// whose load the pool shows.
func (s *PoolService) ThisYear() int { return s.thisYear() }

// CreateExpert adds a profile to the expert pool. Admins and the commission
// manage the pool.
func (s *PoolService) CreateExpert(ctx context.Context, actor Actor, e *Expert) error {
	if !CanManagePool(actor) {
		return ErrForbidden
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	now := s.now()
	e.CreatedAt, e.UpdatedAt = now, now
	return s.inTx(ctx, func(tx poolTx) error {
		if err := tx.CreateExpert(ctx, e); err != nil {
			return err
		}
		details := map[string]any{"name": e.Name, "type": e.Type, "institution": e.Institution}
		if !e.CanBeDrawn {
			details["can_be_drawn"], details["no_draw_reason"] = false, e.NoDrawReason
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.create", ObjectType: "expert", ObjectID: idString(e.ID),
			Details: details})
	})
}

// Expert returns a profile from the pool. Experts see only their own;
// agencies read the pool to form panels.
func (s *PoolService) Expert(ctx context.Context, actor Actor, id int64) (*Expert, error) {
	return loadExpert(ctx, s.store, actor, id)
}

// Experts lists the pool with each expert's load in the filter's year (the
// current year when it names none); experts cannot list it.
func (s *PoolService) Experts(ctx context.Context, actor Actor, f ExpertFilter) ([]*ExpertSummary, int, error) {
	if actor.Role != RoleAdmin && actor.Role != RoleCommission && actor.Role != RoleAgencyStaff {
		return nil, 0, ErrForbidden
	}
	f.Query = strings.TrimSpace(f.Query)
	f.Subject = strings.TrimSpace(f.Subject)
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if f.Year == 0 {
		f.Year = s.ThisYear()
	}
	f.Page = f.Page.Normalize()
	return s.store.Experts(ctx, f)
}

// UpdateExpert changes a profile's attributes other than the can-be-drawn
// flag. The result is validated as a whole; nothing changes when it is
// refused, and an update that changes nothing writes nothing.
func (s *PoolService) UpdateExpert(ctx context.Context, actor Actor, id int64, up ExpertUpdate) (*Expert, error) {
	if !CanManagePool(actor) {
		return nil, ErrForbidden
	}
	var e *Expert
	err := s.inTx(ctx, func(tx poolTx) error {
		var err error
		if e, err = tx.Expert(ctx, id); err != nil {
			return err
		}
		changed := up.apply(e)
		if err := e.Validate(); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil
		}
		e.UpdatedAt = s.now()
		if err := tx.UpdateExpert(ctx, e); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.update", ObjectType: "expert", ObjectID: idString(e.ID),
			Details: changed})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// SetExpertDrawable turns the can-be-drawn flag on or off. Taking an expert
// out of draws needs a reason (illness, a misconduct finding, retirement…),
// which the profile shows; putting them back may carry a note, which only
// the audit log keeps. Each change is its own audit entry, "expert.flag".
func (s *PoolService) SetExpertDrawable(ctx context.Context, actor Actor, id int64, drawable bool, reason string) (*Expert, error) {
	if !CanManagePool(actor) {
		return nil, ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	switch {
	case !drawable && reason == "":
		return nil, FieldErrors{"no_draw_reason": "error.no_draw_reason_required"}.Err()
	case utf8.RuneCountInString(reason) > MaxReasonLength:
		return nil, FieldErrors{"no_draw_reason": "error.too_long"}.Err()
	}
	var e *Expert
	err := s.inTx(ctx, func(tx poolTx) error {
		var err error
		if e, err = tx.Expert(ctx, id); err != nil {
			return err
		}
		if e.CanBeDrawn == drawable && (drawable || e.NoDrawReason == reason) {
			return nil
		}
		from := e.CanBeDrawn
		e.CanBeDrawn, e.NoDrawReason = drawable, reason
		e.Normalize()
		if err := e.Validate(); err != nil {
			return err
		}
		e.UpdatedAt = s.now()
		if err := tx.UpdateExpert(ctx, e); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.flag", ObjectType: "expert", ObjectID: idString(e.ID),
			Details: map[string]any{"from": from, "can_be_drawn": drawable, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// YearLoad is the number of projects an expert reviews in the campaigns of
// a year (年度评审负荷), which the per-year load cap limits.
type YearLoad struct {
	Year     int `json:"year"`
	Projects int `json:"projects"`
}

// ExpertLoad returns an expert's load in the current year and the year
// before, current first.
func (s *PoolService) ExpertLoad(ctx context.Context, actor Actor, id int64) ([]YearLoad, error) {
	if _, err := loadExpert(ctx, s.store, actor, id); err != nil {
		return nil, err
	}
	year := s.ThisYear()
	out := make([]YearLoad, 0, 2)
	for _, y := range []int{year, year - 1} {
		loads, err := s.store.ExpertLoads(ctx, y, id)
		if err != nil {
			return nil, err
		}
		out = append(out, YearLoad{Year: y, Projects: loads[id]})
	}
	return out, nil
}

// ExpertConflicts lists the conflicts declared for an expert the actor may
// see, newest year first.
func (s *PoolService) ExpertConflicts(ctx context.Context, actor Actor, expertID int64) ([]*ExpertConflict, error) {
	if _, err := loadExpert(ctx, s.store, actor, expertID); err != nil {
		return nil, err
	}
	list, err := s.store.ExpertConflicts(ctx, expertID)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		hideProjectCode(actor, c)
	}
	return list, nil
}

// AddExpertConflict records a declared conflict for the expert. Pool
// managers record them for anyone; an expert declares their own.
func (s *PoolService) AddExpertConflict(ctx context.Context, actor Actor, expertID int64, c *ExpertConflict) error {
	return s.inTx(ctx, func(tx poolTx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanDeclareConflicts(actor, expertID) {
			return ErrForbidden
		}
		c.normalize()
		if err := c.Validate(s.ThisYear()); err != nil {
			return err
		}
		c.ID, c.ExpertID, c.CreatedBy, c.CreatedByName, c.CreatedAt = 0, expertID, actor.UserID, actor.DisplayName(), s.now()
		if c.ProjectID != 0 {
			p, err := tx.Project(ctx, c.ProjectID)
			if err == nil && actor.Role == RoleExpert {
				// An expert declares only for projects they were invited
				// to review: any other id, real or not, is unknown to them,
				// so that declaring cannot probe which projects exist.
				var invited bool
				if invited, err = invitedTo(ctx, tx, expertID, c.ProjectID); err == nil && !invited {
					err = ErrNotFound
				}
			}
			if err != nil {
				return fieldNotFound(err, "project_id", "error.project_unknown")
			}
			c.ProjectCode, c.ProjectAgencyID = p.Code, p.AgencyID
		}
		if err := tx.CreateExpertConflict(ctx, c); err != nil {
			return err
		}
		details := map[string]any{"conflict_id": c.ID, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		if c.ProjectID != 0 {
			details["project_id"] = c.ProjectID
		}
		if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.conflict_add", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details}); err != nil {
			return err
		}
		if c.ProjectID != 0 {
			// A conflict with a project withdraws the expert from its
			// panel at once, whoever records it.
			if _, _, err := s.withdrawSeat(ctx, tx, c.CreatedAt, actor, c.ProjectID, expertID, c.Note); err != nil {
				return err
			}
		}
		hideProjectCode(actor, c)
		return nil
	})
}

// RemoveExpertConflict deletes a declared conflict (see CanRemoveConflict).
func (s *PoolService) RemoveExpertConflict(ctx context.Context, actor Actor, expertID, id int64) error {
	return s.inTx(ctx, func(tx poolTx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanDeclareConflicts(actor, expertID) {
			return ErrForbidden
		}
		c, err := tx.ExpertConflict(ctx, expertID, id)
		if err != nil {
			return err
		}
		if c.ProjectID != 0 {
			// A conflict with a project stays in force: only the
			// project's agency lifts it (SheetService.LiftConflict).
			return Errorf(Forbidden, "error.conflict_lift_by_agency")
		}
		if !CanRemoveConflict(actor, c) {
			return Errorf(Forbidden, "error.conflict_recorded_by_other")
		}
		if err := tx.DeleteExpertConflict(ctx, expertID, id); err != nil {
			return err
		}
		details := map[string]any{"conflict_id": c.ID, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		if c.ProjectID != 0 {
			details["project_id"] = c.ProjectID
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.conflict_remove", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details})
	})
}

// ExpertCollaborations lists the collaboration records of an expert the
// actor may see.
func (s *PoolService) ExpertCollaborations(ctx context.Context, actor Actor, expertID int64) ([]*ExpertCollaboration, error) {
	if _, err := loadExpert(ctx, s.store, actor, expertID); err != nil {
		return nil, err
	}
	return s.store.ExpertCollaborations(ctx, expertID)
}

// AddCollaboration records a collaboration of the expert; pool managers
// only.
func (s *PoolService) AddCollaboration(ctx context.Context, actor Actor, expertID int64, c *ExpertCollaboration) error {
	return s.inTx(ctx, func(tx poolTx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanManagePool(actor) {
			return ErrForbidden
		}
		c.normalize()
		if err := c.Validate(s.ThisYear()); err != nil {
			return err
		}
		c.ID, c.ExpertID, c.CreatedBy, c.CreatedByName, c.CreatedAt = 0, expertID, actor.UserID, actor.DisplayName(), s.now()
		if err := tx.CreateExpertCollaboration(ctx, c); err != nil {
			return err
		}
		details := map[string]any{"collaboration_id": c.ID, "kind": c.Kind, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.collaboration_add", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details})
	})
}

// RemoveCollaboration deletes a collaboration record; pool managers only.
func (s *PoolService) RemoveCollaboration(ctx context.Context, actor Actor, expertID, id int64) error {
	return s.inTx(ctx, func(tx poolTx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanManagePool(actor) {
			return ErrForbidden
		}
		c, err := tx.ExpertCollaboration(ctx, expertID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteExpertCollaboration(ctx, expertID, id); err != nil {
			return err
		}
		details := map[string]any{"collaboration_id": c.ID, "kind": c.Kind, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.collaboration_remove", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details})
	})
}

// InstitutionAliases lists the alias table; administrators keep it.
func (s *PoolService) InstitutionAliases(ctx context.Context, actor Actor) ([]*InstitutionAlias, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	return s.store.InstitutionAliases(ctx)
}

// AddInstitutionAlias adds an alias of an institution. Both names are
// normalised first, so "上海交大 " and "上海交大" are one alias; an alias
// already in the table is a conflict.
func (s *PoolService) AddInstitutionAlias(ctx context.Context, actor Actor, alias, canonical string) (*InstitutionAlias, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	f := FieldErrors{}
	a := &InstitutionAlias{Alias: normalizeInstitutionField(f, "alias", alias),
		Canonical: normalizeInstitutionField(f, "canonical", canonical), CreatedAt: s.now()}
	if len(f) == 0 && a.Alias == a.Canonical {
		f.Add("alias", "error.alias_same")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.inTx(ctx, func(tx poolTx) error {
		if err := tx.CreateInstitutionAlias(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "institution_alias.add", ObjectType: "institution_alias",
			ObjectID: a.Alias, Details: map[string]any{"alias": a.Alias, "canonical": a.Canonical, "entered": strings.TrimSpace(alias)}})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// RemoveInstitutionAlias deletes an alias, named as stored or as entered.
func (s *PoolService) RemoveInstitutionAlias(ctx context.Context, actor Actor, alias string) error {
	if !actor.IsAdmin() {
		return ErrForbidden
	}
	n := assign.NormalizeInstitution(alias)
	if n == "" {
		return ErrNotFound
	}
	return s.inTx(ctx, func(tx poolTx) error {
		a, err := tx.InstitutionAlias(ctx, n)
		if err != nil {
			return err
		}
		if err := tx.DeleteInstitutionAlias(ctx, n); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "institution_alias.remove", ObjectType: "institution_alias",
			ObjectID: a.Alias, Details: map[string]any{"alias": a.Alias, "canonical": a.Canonical}})
	})
}

// invitedTo reports whether the expert has or had a seat, an invitation or
// a declined invitation on the panel of the project.
func invitedTo(ctx context.Context, r interface {
	MemberPanels(ctx context.Context, expertID int64) ([]*Panel, error)
}, expertID, projectID int64) (bool, error) {
	panels, err := r.MemberPanels(ctx, expertID)
	if err != nil {
		return false, err
	}
	for _, p := range panels {
		if slices.Contains(p.ProjectIDs, projectID) {
			return true, nil
		}
	}
	return false, nil
}

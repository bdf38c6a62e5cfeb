package evaluation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// CanManagePool reports whether the actor maintains the expert pool
// (专家库): administrators and the commission create and edit profiles,
// the can-be-drawn flag and the relationship records.
func CanManagePool(a Actor) bool { return a.Role == RoleAdmin || a.Role == RoleCommission }

// canSeeExpert: pool managers and agency staff (who form panels from the
// pool) see every profile; an expert sees only their own.
func canSeeExpert(a Actor, id int64) bool {
	switch a.Role {
	case RoleAdmin, RoleCommission, RoleAgencyStaff:
		return true
	case RoleExpert:
		return a.ExpertID != 0 && a.ExpertID == id
	}
	return false
}

// loadExpert loads a profile the actor may see; any other is not found.
func loadExpert(ctx context.Context, r Reader, actor Actor, id int64) (*Expert, error) {
	if !canSeeExpert(actor, id) {
		return nil, ErrNotFound
	}
	return r.Expert(ctx, id)
}

// beijing is the commission's time zone: "this year" turns at midnight
// there, not in UTC.
var beijing = time.FixedZone("CST", 8*3600)

// ThisYear is the current year in China at the service's clock.
func (s *Service) ThisYear() int { return s.now().In(beijing).Year() }

// CreateExpert adds a profile to the expert pool. Admins and the commission
// manage the pool.
func (s *Service) CreateExpert(ctx context.Context, actor Actor, e *Expert) error {
	if !CanManagePool(actor) {
		return ErrForbidden
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	now := s.now()
	e.CreatedAt, e.UpdatedAt = now, now
	return s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) Expert(ctx context.Context, actor Actor, id int64) (*Expert, error) {
	return loadExpert(ctx, s.store, actor, id)
}

// Experts lists the pool with each expert's load in the filter's year (the
// current year when it names none); experts cannot list it.
func (s *Service) Experts(ctx context.Context, actor Actor, f ExpertFilter) ([]*ExpertSummary, int, error) {
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
func (s *Service) UpdateExpert(ctx context.Context, actor Actor, id int64, up ExpertUpdate) (*Expert, error) {
	if !CanManagePool(actor) {
		return nil, ErrForbidden
	}
	var e *Expert
	err := s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) SetExpertDrawable(ctx context.Context, actor Actor, id int64, drawable bool, reason string) (*Expert, error) {
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
	err := s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) ExpertLoad(ctx context.Context, actor Actor, id int64) ([]YearLoad, error) {
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

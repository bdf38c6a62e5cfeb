package evaluation

import "context"

// Agencies lists all agencies. Admins and the commission see all; staff see
// only their own.
func (s *AccountService) Agencies(ctx context.Context, actor Actor) ([]*Agency, error) {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
		return s.store.Agencies(ctx)
	case RoleAgencyStaff:
		a, err := s.store.Agency(ctx, actor.AgencyID)
		if err != nil {
			return nil, err
		}
		return []*Agency{a}, nil
	}
	return nil, ErrForbidden
}

// Agency returns one agency; another agency's id is not found for staff.
func (s *AccountService) Agency(ctx context.Context, actor Actor, id int64) (*Agency, error) {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
	case RoleAgencyStaff:
		if actor.AgencyID != id {
			return nil, ErrNotFound
		}
	default:
		return nil, ErrNotFound
	}
	return s.store.Agency(ctx, id)
}

// CreateAgency adds an agency; only admins may.
func (s *AccountService) CreateAgency(ctx context.Context, actor Actor, in NewAgency) (*Agency, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	a := &Agency{Code: in.Code, NameZH: in.NameZH, NameEN: in.NameEN, CreatedAt: now, UpdatedAt: now}
	err := s.inTx(ctx, func(tx accountTx) error {
		if err := tx.CreateAgency(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "agency.create", ObjectType: "agency", ObjectID: idString(a.ID),
			AgencyID: a.ID, Details: map[string]any{"code": a.Code, "name_zh": a.NameZH, "name_en": a.NameEN}})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAgency renames, disables or enables an agency; only admins may.
// A disabled agency keeps its data, but its staff cannot sign in.
func (s *AccountService) UpdateAgency(ctx context.Context, actor Actor, id int64, up AgencyUpdate) (*Agency, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	if err := up.Validate(); err != nil {
		return nil, err
	}
	var a *Agency
	err := s.inTx(ctx, func(tx accountTx) error {
		var err error
		if a, err = tx.Agency(ctx, id); err != nil {
			return err
		}
		changed := map[string]any{}
		if up.NameZH != nil && *up.NameZH != a.NameZH {
			a.NameZH, changed["name_zh"] = *up.NameZH, *up.NameZH
		}
		if up.NameEN != nil && *up.NameEN != a.NameEN {
			a.NameEN, changed["name_en"] = *up.NameEN, *up.NameEN
		}
		if up.Disabled != nil && *up.Disabled != a.Disabled {
			a.Disabled, changed["disabled"] = *up.Disabled, *up.Disabled
		}
		if len(changed) == 0 {
			return nil
		}
		a.UpdatedAt = s.now()
		if err := tx.UpdateAgency(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "agency.update", ObjectType: "agency", ObjectID: idString(a.ID),
			AgencyID: a.ID, Details: changed})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

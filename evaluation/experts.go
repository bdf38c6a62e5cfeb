package evaluation

import (
	"context"
	"strings"
)

// CreateExpert adds a profile to the expert pool. Admins and the commission
// manage the pool.
func (s *Service) CreateExpert(ctx context.Context, actor Actor, e *Expert) error {
	if actor.Role != RoleAdmin && actor.Role != RoleCommission {
		return ErrForbidden
	}
	e.Name = strings.TrimSpace(e.Name)
	e.Institution = strings.TrimSpace(e.Institution)
	e.NoDrawReason = strings.TrimSpace(e.NoDrawReason)
	if err := e.Validate(); err != nil {
		return err
	}
	now := s.now()
	e.CreatedAt, e.UpdatedAt = now, now
	return s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateExpert(ctx, e); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.create", ObjectType: "expert", ObjectID: idString(e.ID),
			Details: map[string]any{"name": e.Name, "type": e.Type, "institution": e.Institution}})
	})
}

// Expert returns a profile from the pool. Experts see only their own;
// agencies read the pool to form panels.
func (s *Service) Expert(ctx context.Context, actor Actor, id int64) (*Expert, error) {
	if actor.Role == RoleExpert && actor.ExpertID != id {
		return nil, ErrNotFound
	}
	return s.store.Expert(ctx, id)
}

// Experts lists the pool; experts cannot list it.
func (s *Service) Experts(ctx context.Context, actor Actor, f ExpertFilter) ([]*Expert, int, error) {
	if actor.Role == RoleExpert {
		return nil, 0, ErrForbidden
	}
	f.Page = f.Page.Normalize()
	return s.store.Experts(ctx, f)
}

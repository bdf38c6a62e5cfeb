package evaluation

import "context"

// AccountService is the accounts area: signing in, users, API tokens,
// agencies (the tenants), the audit log and the dashboard counts.
type AccountService struct {
	*core
	store  accountStore
	hasher PasswordHasher
	// dummyHash is verified when a login names no account, so that the
	// answer takes as long as for a real account with a wrong password.
	dummyHash string
}

func (s *AccountService) inTx(ctx context.Context, fn func(tx accountTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// Counts returns the sizes shown on dashboards.
func (s *AccountService) Counts(ctx context.Context, actor Actor) (Counts, error) {
	if actor.Role != RoleAdmin && actor.Role != RoleCommission {
		return Counts{}, ErrForbidden
	}
	return s.store.Counts(ctx)
}

package evaluation

import (
	"context"
	"fmt"
	"time"
)

// PasswordHasher hashes and verifies passwords; evaluation/password has the
// argon2id implementation. Verify reports false, not an error, for a wrong
// password.
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) (bool, error)
}

// Service is the application's use cases over a Store. Every method that
// changes state takes the acting user, checks object rules against them, and
// writes its change and its audit entry in one transaction.
type Service struct {
	store  Store
	hasher PasswordHasher
	now    func() time.Time
	// blobs stores material files; uploadLimit caps them (materials.go).
	blobs       Blobs
	uploadLimit int64
	// dummyHash is verified when a login names no account, so that the
	// answer takes as long as for a real account with a wrong password.
	dummyHash string
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// NewService returns a service over the store.
func NewService(store Store, hasher PasswordHasher, opts ...Option) (*Service, error) {
	s := &Service{store: store, hasher: hasher, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	h, err := hasher.Hash("evalpanel-dummy-password")
	if err != nil {
		return nil, fmt.Errorf("hash dummy password: %w", err)
	}
	s.dummyHash = h
	return s, nil
}

// Ping reports whether the store is reachable.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// Counts returns the sizes shown on dashboards.
func (s *Service) Counts(ctx context.Context, actor Actor) (Counts, error) {
	if actor.Role != RoleAdmin && actor.Role != RoleCommission {
		return Counts{}, ErrForbidden
	}
	return s.store.Counts(ctx)
}

// audit records ev in the transaction, stamped with the service's clock.
func (s *Service) audit(ctx context.Context, tx Tx, ev AuditEvent) error {
	if ev.At.IsZero() {
		ev.At = s.now()
	}
	return tx.Audit(ctx, ev)
}

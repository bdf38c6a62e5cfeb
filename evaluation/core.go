package evaluation

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// PasswordHasher hashes and verifies passwords; evaluation/password has the
// argon2id implementation. Verify reports false, not an error, for a wrong
// password.
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) (bool, error)
}

// transactor runs a function in one write transaction of the store.
type transactor interface {
	InTx(ctx context.Context, fn func(tx Tx) error) error
}

// core is what every area's service shares: the store's transactions and
// the clock. A service reads through its own small store interface and
// sees a transaction only through its own tx interface (its inTx narrows
// the store's Tx), so what an area may touch is written down in its
// *_store.go file.
type core struct {
	tx  transactor
	now func() time.Time
}

// audit records ev in the transaction, stamped with the service's clock.
func (c *core) audit(ctx context.Context, tx auditor, ev AuditEvent) error {
	if ev.At.IsZero() {
		ev.At = c.now()
	}
	return tx.Audit(ctx, ev)
}

// thisYear is the current year in China at the service's clock: "this
// year" turns at midnight in Beijing, not in UTC.
func (c *core) thisYear() int { return c.now().In(Beijing).Year() }

// Beijing is the commission's time zone (UTC+8, no daylight saving time),
// in which deadlines, years and dates are read.
var Beijing = time.FixedZone("CST", 8*3600)

// config is what Options set.
type config struct {
	now         func() time.Time
	blobs       Blobs
	uploadLimit int64
}

// Option configures the services.
type Option func(*config)

// WithClock sets the clock, for tests.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithBlobs sets the store of material files. Without one, uploads and
// downloads fail with an internal error.
func WithBlobs(b Blobs) Option { return func(c *config) { c.blobs = b } }

// WithUploadLimit sets the largest material file in bytes; zero or less
// keeps DefaultUploadLimit.
func WithUploadLimit(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.uploadLimit = n
		}
	}
}

// Services are the use cases of the product, one service per area, over
// one store and one clock. Every method that changes state takes the
// acting user, checks object rules against them, and writes its change and
// its audit entry in one transaction. cmd/evalpanel builds them once and
// hands each to the edges that need it.
type Services struct {
	Accounts  *AccountService
	Rubrics   *RubricService
	Pool      *PoolService
	Campaigns *CampaignService
	Panels    *PanelService
	Materials *MaterialService
	Sheets    *SheetService
	Results   *ResultService
	Review    *ReviewService
	Records   *ExpertRecordService
	// Notifications reads the outbox that the other services write to.
	Notifications *NotificationService

	// at builds the same services over another clock (At).
	at func(now func() time.Time) (*Services, error)
}

// New returns the services over the store.
func New(store Store, hasher PasswordHasher, opts ...Option) (*Services, error) {
	cfg := config{now: time.Now, uploadLimit: DefaultUploadLimit}
	for _, o := range opts {
		o(&cfg)
	}
	c := &core{tx: store, now: cfg.now}
	accounts, err := newAccountService(c, store, hasher)
	if err != nil {
		return nil, err
	}
	svc := &Services{
		Accounts:  accounts,
		Rubrics:   &RubricService{core: c, store: store},
		Pool:      &PoolService{core: c, store: store},
		Campaigns: &CampaignService{core: c, store: store},
		Panels:    &PanelService{core: c, store: store},
		Materials: &MaterialService{core: c, store: store, blobs: cfg.blobs, uploadLimit: cfg.uploadLimit},
		Sheets:    &SheetService{core: c, store: store, progress: store},
		Results:   &ResultService{core: c, store: store, reports: store},
		Review:    &ReviewService{core: c, store: store},
		Records:   &ExpertRecordService{core: c, store: store},

		Notifications: &NotificationService{core: c, store: store},
	}
	svc.at = func(now func() time.Time) (*Services, error) {
		return New(store, hasher, append(slices.Clip(opts), WithClock(now))...)
	}
	return svc, nil
}

// At returns the same services over the same store, reading the clock now
// instead of theirs. The demo plays its campaigns' past on it, each step on
// the day it happened (evaluation/demo).
func (s *Services) At(now func() time.Time) (*Services, error) { return s.at(now) }

func newAccountService(c *core, store accountStore, hasher PasswordHasher) (*AccountService, error) {
	h, err := hasher.Hash("evalpanel-dummy-password")
	if err != nil {
		return nil, fmt.Errorf("hash dummy password: %w", err)
	}
	return &AccountService{core: c, store: store, hasher: hasher, dummyHash: h}, nil
}

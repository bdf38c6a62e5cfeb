package evaluation

import (
	"context"
	"time"
)

// accountReader reads users, agencies, API tokens and the dashboard counts.
type accountReader interface {
	User(ctx context.Context, id int64) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByExpert(ctx context.Context, expertID int64) (*User, error)
	Users(ctx context.Context, f UserFilter) ([]*User, int, error)

	Agency(ctx context.Context, id int64) (*Agency, error)
	AgencyByCode(ctx context.Context, code string) (*Agency, error)
	Agencies(ctx context.Context) ([]*Agency, error)

	Token(ctx context.Context, id int64) (*APIToken, error)
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	Tokens(ctx context.Context, userID int64) ([]*APIToken, error)

	Counts(ctx context.Context) (Counts, error)
}

// accountWriter writes users, agencies and API tokens.
type accountWriter interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	SetPasswordHash(ctx context.Context, userID int64, hash string, at time.Time) error
	SetLastLogin(ctx context.Context, userID int64, at time.Time) error
	// ChangeCredentials moves the user's credentials version on, which
	// ends the sessions opened before.
	ChangeCredentials(ctx context.Context, userID int64) error

	CreateAgency(ctx context.Context, a *Agency) error
	UpdateAgency(ctx context.Context, a *Agency) error

	CreateToken(ctx context.Context, t *APIToken, hash string) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
	RevokeToken(ctx context.Context, id int64, at time.Time) error
	// RevokeUserTokens revokes every active token of the user and returns
	// how many there were.
	RevokeUserTokens(ctx context.Context, userID int64, at time.Time) (int, error)
}

// accountStore is what the accounts service reads: accounts, the audit log,
// and the pool's profiles (an expert's account names one).
type accountStore interface {
	accountReader
	auditReader
	expertGetter
}

// accountTx is what the accounts service does in a transaction.
type accountTx interface {
	accountStore
	accountWriter
	auditor
}

// Counts are the sizes shown on dashboards.
type Counts struct {
	Users         int                `json:"users"`
	UsersByRole   map[Role]int       `json:"users_by_role"`
	Agencies      int                `json:"agencies"`
	Experts       int                `json:"experts"`
	ExpertsByType map[ExpertType]int `json:"experts_by_type"`
	AuditEntries  int                `json:"audit_entries"`
}

package evaluation

import (
	"context"
	"time"
)

// Reader is the read side of the store. Lists return the page and the total
// number of matching rows. A missing object is ErrNotFound, never nil, nil.
type Reader interface {
	campaignReader
	panelReader
	poolReader
	materialReader

	User(ctx context.Context, id int64) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByExpert(ctx context.Context, expertID int64) (*User, error)
	Users(ctx context.Context, f UserFilter) ([]*User, int, error)

	Agency(ctx context.Context, id int64) (*Agency, error)
	AgencyByCode(ctx context.Context, code string) (*Agency, error)
	Agencies(ctx context.Context) ([]*Agency, error)

	Expert(ctx context.Context, id int64) (*Expert, error)
	Experts(ctx context.Context, f ExpertFilter) ([]*ExpertSummary, int, error)

	Token(ctx context.Context, id int64) (*APIToken, error)
	TokenByHash(ctx context.Context, hash string) (*APIToken, error)
	Tokens(ctx context.Context, userID int64) ([]*APIToken, error)

	Rubric(ctx context.Context, code string, version int) (*Rubric, error)
	Rubrics(ctx context.Context, f RubricFilter) ([]*Rubric, error)

	AuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// ScanAudit calls fn for every entry in id order and returns the head.
	ScanAudit(ctx context.Context, fn func(*AuditEntry) error) (AuditHead, error)

	Counts(ctx context.Context) (Counts, error)
}

// Tx is a write transaction. Create methods set the new object's ID.
type Tx interface {
	Reader
	campaignWriter
	panelWriter
	poolWriter
	materialWriter

	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	SetPasswordHash(ctx context.Context, userID int64, hash string, at time.Time) error
	SetLastLogin(ctx context.Context, userID int64, at time.Time) error

	CreateAgency(ctx context.Context, a *Agency) error
	UpdateAgency(ctx context.Context, a *Agency) error

	CreateExpert(ctx context.Context, e *Expert) error

	CreateRubric(ctx context.Context, r *Rubric) error
	UpdateRubric(ctx context.Context, r *Rubric) error
	DeleteRubric(ctx context.Context, id int64) error

	CreateToken(ctx context.Context, t *APIToken, hash string) error
	TouchToken(ctx context.Context, id int64, at time.Time) error
	RevokeToken(ctx context.Context, id int64, at time.Time) error

	// Audit appends an entry to the audit log, chained to the newest one.
	Audit(ctx context.Context, ev AuditEvent) error
}

// Store persists the domain. Writes happen inside InTx, one transaction per
// service call; fn's error rolls everything back, audit entries included.
type Store interface {
	Reader
	InTx(ctx context.Context, fn func(tx Tx) error) error
	Ping(ctx context.Context) error
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

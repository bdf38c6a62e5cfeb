package evaluation

import (
	"context"
	"time"
)

// The store is declared per area: each area's *_store.go file lists what
// its service reads (xStore) and what it may do in a transaction (xTx).
// Reader, Tx and Store below are their union, which evaluation/sqlstore
// implements; no service sees more than its own interfaces.

// Reader is the read side of the store. Lists return the page and the total
// number of matching rows. A missing object is ErrNotFound, never nil, nil.
type Reader interface {
	accountReader
	auditReader
	rubricReader
	poolReader
	campaignReader
	panelReader
	materialReader
	sheetReader
	progressStore
	opinionReader
	conclusionReader
	reportStore
	returnReader
	publicityReader
	appealReader
	outboxReader
	expertRecordReader
	CampaignFirstSubmissions(ctx context.Context, campaignID int64) (map[int64]time.Time, error)
	CampaignProjectConflicts(ctx context.Context, campaignID int64) ([]ProjectConflict, error)
}

// Tx is a write transaction. Create methods set the new object's ID.
type Tx interface {
	Reader
	accountWriter
	rubricWriter
	poolWriter
	campaignWriter
	panelWriter
	materialWriter
	sheetWriter
	opinionWriter
	conclusionWriter
	revisionWriter
	returnWriter
	CreatePublicity(ctx context.Context, p *Publicity) error
	appealWriter
	vetoWriter
	outboxWriter
	AddExpertRecord(ctx context.Context, r *ExpertRecord) error
	auditor
}

// Store persists the domain. Writes happen inside InTx, one transaction per
// service call; fn's error rolls everything back, audit entries included.
type Store interface {
	Reader
	InTx(ctx context.Context, fn func(tx Tx) error) error
	Ping(ctx context.Context) error
}

// auditReader reads the audit log.
type auditReader interface {
	AuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, int, error)
	// ScanAudit calls fn for every entry in id order and returns the head.
	ScanAudit(ctx context.Context, fn func(*AuditEntry) error) (AuditHead, error)
}

// auditor appends to the audit log; every area's transaction has it.
type auditor interface {
	// Audit appends an entry to the audit log, chained to the newest one.
	Audit(ctx context.Context, ev AuditEvent) error
}

// campaignGetter and projectGetter read one campaign or project; other
// areas check access through them.
type campaignGetter interface {
	Campaign(ctx context.Context, id int64) (*Campaign, error)
}

type projectGetter interface {
	// Project returns a project with its indicators.
	Project(ctx context.Context, id int64) (*Project, error)
}

// expertGetter reads one profile of the expert pool.
type expertGetter interface {
	Expert(ctx context.Context, id int64) (*Expert, error)
}

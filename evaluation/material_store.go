package evaluation

import (
	"context"
	"time"
)

// materialReader reads materials and method records. Each is found by its
// id or listed by its project; the service decides who may see the
// project.
type materialReader interface {
	// Material returns a material with its uploader's username.
	Material(ctx context.Context, id int64) (*Material, error)
	// Materials lists a project's materials, newest first.
	Materials(ctx context.Context, projectID int64) ([]*Material, error)
	// MaterialBySHA256 returns a material of the project with the content.
	MaterialBySHA256(ctx context.Context, projectID int64, sha256 string) (*Material, error)
	// MethodRecord returns one of a project's method records; the id of
	// another project's record is not found.
	MethodRecord(ctx context.Context, projectID, id int64) (*MethodRecord, error)
	// MethodRecords lists a project's method records, oldest first.
	MethodRecords(ctx context.Context, projectID int64) ([]*MethodRecord, error)
}

// materialWriter writes materials and method records.
type materialWriter interface {
	CreateMaterial(ctx context.Context, m *Material) error
	DeleteMaterial(ctx context.Context, id int64) error
	CreateMethodRecord(ctx context.Context, r *MethodRecord) error
	// DeleteMethodRecord removes one of a project's method records; the
	// id of another project's record is not found.
	DeleteMethodRecord(ctx context.Context, projectID, id int64) error
}

// materialStore is what the materials service reads: materials and method
// records, and what deciding access to a project needs (its campaign, its
// panel, and the conflict rules for an expert who asks).
type materialStore interface {
	materialReader
	campaignGetter
	projectGetter
	PanelOfProject(ctx context.Context, projectID int64) (*Panel, error)
	conflictReader
	// An expert reads a project's materials after the campaign's pledge
	// and the project's declaration.
	Pledge(ctx context.Context, campaignID, expertID int64) (*Pledge, error)
	Declared(ctx context.Context, projectID, expertID int64) (time.Time, error)
}

// materialTx is what the materials service does in a transaction: an
// on-site test sets its indicator's status.
type materialTx interface {
	materialStore
	materialWriter
	UpdateIndicator(ctx context.Context, projectID int64, in *Indicator) error
	auditor
}

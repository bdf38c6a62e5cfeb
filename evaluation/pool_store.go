package evaluation

import (
	"context"
)

// poolReader reads the expert pool: profiles, loads, declared conflicts,
// collaborations and institution aliases.
type poolReader interface {
	expertGetter
	Experts(ctx context.Context, f ExpertFilter) ([]*ExpertSummary, int, error)

	// ExpertLoads counts, per expert, the projects they review in
	// campaigns of the year: the projects of every panel on which they
	// hold a seat (proposed, invited or accepted). It counts the experts
	// named, or the whole pool when none is named; an expert with no
	// project is absent from the map.
	ExpertLoads(ctx context.Context, year int, expertIDs ...int64) (map[int64]int, error)

	// ExpertConflicts lists an expert's declared conflicts, newest year
	// first.
	ExpertConflicts(ctx context.Context, expertID int64) ([]*ExpertConflict, error)
	// ExpertConflict returns one of an expert's declared conflicts; the id
	// of another expert's record is not found.
	ExpertConflict(ctx context.Context, expertID, id int64) (*ExpertConflict, error)
	// ExpertCollaborations lists an expert's collaboration records,
	// newest year first.
	ExpertCollaborations(ctx context.Context, expertID int64) ([]*ExpertCollaboration, error)
	// ExpertCollaboration returns one of an expert's collaboration
	// records; the id of another expert's record is not found.
	ExpertCollaboration(ctx context.Context, expertID, id int64) (*ExpertCollaboration, error)

	// InstitutionAliases lists the alias table, by alias.
	InstitutionAliases(ctx context.Context) ([]*InstitutionAlias, error)
	// InstitutionAlias returns the entry of a normalised alias.
	InstitutionAlias(ctx context.Context, alias string) (*InstitutionAlias, error)
}

// poolWriter writes the expert pool's profiles and records.
type poolWriter interface {
	CreateExpert(ctx context.Context, e *Expert) error
	// UpdateExpert stores every attribute of a profile but its creation
	// time.
	UpdateExpert(ctx context.Context, e *Expert) error

	CreateExpertConflict(ctx context.Context, c *ExpertConflict) error
	// DeleteExpertConflict removes one of an expert's declared conflicts;
	// a record of another expert is not found.
	DeleteExpertConflict(ctx context.Context, expertID, id int64) error
	CreateExpertCollaboration(ctx context.Context, c *ExpertCollaboration) error
	// DeleteExpertCollaboration removes one of an expert's collaboration
	// records; a record of another expert is not found.
	DeleteExpertCollaboration(ctx context.Context, expertID, id int64) error

	// CreateInstitutionAlias adds an alias; an alias already in the table
	// is a conflict on the field "alias".
	CreateInstitutionAlias(ctx context.Context, a *InstitutionAlias) error
	DeleteInstitutionAlias(ctx context.Context, alias string) error
}

// poolStore is what the pool service reads.
type poolStore interface {
	poolReader
}

// poolTx is what the pool service does in a transaction; a declared
// conflict may name a project.
type poolTx interface {
	poolReader
	poolWriter
	projectGetter
	// Experts declare conflicts for the projects they were invited to, and
	// a conflict with a project withdraws the expert from its panel.
	MemberPanels(ctx context.Context, expertID int64) ([]*Panel, error)
	seatTx
	auditor
}

// ExpertFilter selects experts in a list of the pool.
type ExpertFilter struct {
	Query string // matches name, institution or keywords
	Type  ExpertType
	// NotType keeps the experts of every other type.
	NotType ExpertType
	Region  Region
	// Drawable keeps only the experts who can (true) or cannot (false)
	// be drawn; nil keeps both.
	Drawable *bool
	// Subject is the start of a subject code: "520" matches 520.20 and
	// 520.20.10, "520.2" matches 520.20 but not 520.30.
	Subject string
	// Year is the year whose load the list shows and sorts on; the
	// service sets the current year when it is 0.
	Year int
	// Sort is "name", "type", "institution", "region", "load", "created"
	// or "updated"; a leading "-" sorts descending. Empty means by id, the
	// order experts joined the pool.
	Sort string
	Page Page
}

// ExpertSummary is an expert as a list of the pool shows them: the profile
// and the number of projects they review in the list's year.
type ExpertSummary struct {
	Expert
	Load     int `json:"load"`
	LoadYear int `json:"load_year"`
}

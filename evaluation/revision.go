package evaluation

import (
	"context"
	"time"
)

// RevisionKind says why a project's sheets went back to its panel.
type RevisionKind string

// The kinds of revision rounds.
const (
	// RevisionDiscussion sends a divergent project's sheets back for the
	// panel's discussion: the members revise them, or confirm them by
	// submitting them unchanged.
	RevisionDiscussion RevisionKind = "discussion"
	// RevisionReevaluation is the panel's re-evaluation of a project after
	// its rectification (整改): the same members score it again.
	RevisionReevaluation RevisionKind = "reevaluation"
	// RevisionAppeal is the panel's re-evaluation of a project the
	// commission opens on an admissible appeal (ReviewService), during
	// the campaign's publicity; the agency does not open it.
	RevisionAppeal RevisionKind = "appeal"
)

// RevisionKinds lists the kinds in the order the interface offers them.
var RevisionKinds = []RevisionKind{RevisionDiscussion, RevisionReevaluation}

// Valid reports whether k is a kind the agency's staff open.
func (k RevisionKind) Valid() bool {
	return k == RevisionDiscussion || k == RevisionReevaluation
}

// RevisionDays is how long a revision round lasts unless the agency sets
// its own last day.
const RevisionDays = 7

// Revision is a round in which the agency's staff reopened a project's
// technical sheets for its panel, with the note the members read on their
// sheets. Revised sheets replace the earlier ones in the result; the
// earlier rounds stay in each sheet's history. Revisions are append-only.
type Revision struct {
	ProjectID  int64        `json:"project_id"`
	CampaignID int64        `json:"campaign_id"`
	AgencyID   int64        `json:"-"`
	Seq        int          `json:"seq"`
	Kind       RevisionKind `json:"kind"`
	Note       string       `json:"note"`
	// Due is the members' last day for the revised sheets (YYYY-MM-DD,
	// Beijing).
	Due string `json:"due"`
	// Sheets is how many sheets were reopened.
	Sheets       int       `json:"sheets"`
	OpenedBy     int64     `json:"opened_by"`
	OpenedByName string    `json:"opened_by_name"`
	OpenedAt     time.Time `json:"opened_at"`
}

// revisionReader reads a project's revision rounds.
type revisionReader interface {
	// Revisions lists a project's revision rounds, oldest first.
	Revisions(ctx context.Context, projectID int64) ([]*Revision, error)
}

// revisionWriter records revision rounds; they are append-only.
type revisionWriter interface {
	AddRevision(ctx context.Context, r *Revision) error
}

// revisionTx is what opening a revision round does in a transaction: the
// project's sheets and seats, its opinion and conclusions (which a
// revision must not pull the ground from under), the members told by
// e-mail and the round recorded and audited.
type revisionTx interface {
	sheetStore
	UpdateSheet(ctx context.Context, s *Sheet) error
	UpdatePanelMember(ctx context.Context, m *PanelMember) error
	opinionReader
	conclusionReader
	revisionReader
	revisionWriter
	expertNotifier
	auditor
}

package evaluation

import (
	"context"
	"time"
)

// panelReader reads panels, draw records and the pool's relationship
// records.
type panelReader interface {
	// Panel returns a panel with its projects and members (each with its
	// expert).
	Panel(ctx context.Context, id int64) (*Panel, error)
	Panels(ctx context.Context, campaignID int64) ([]*Panel, error)
	// PanelOfProject returns the panel a project is on.
	PanelOfProject(ctx context.Context, projectID int64) (*Panel, error)
	// MemberPanels lists the panels an expert sits on, is invited to, or
	// declined.
	MemberPanels(ctx context.Context, expertID int64) ([]*Panel, error)
	DrawRecord(ctx context.Context, id int64) (*DrawRecord, error)
	DrawRecords(ctx context.Context, campaignID int64) ([]*DrawRecord, error)
	// PanelDrawRecords lists the draw records that formed one panel: its
	// draw, or the campaign's match that assigned its project.
	PanelDrawRecords(ctx context.Context, panelID int64) ([]*DrawRecord, error)
	conflictReader
	// PoolRecords returns every expert with their declared conflicts and
	// collaborations, and their loads: projects in the campaign and in
	// the year.
	PoolRecords(ctx context.Context, campaignID int64, year int) ([]*PoolExpert, error)
	ExpertRecordSummaries(ctx context.Context, f ExpertRecordFilter) ([]*ExpertRecordSummary, int, error)
}

// conflictReader reads what checking one expert against the conflict rules
// needs: the profile, its declared conflicts and collaborations, and the
// institution alias table.
type conflictReader interface {
	expertGetter
	ExpertConflicts(ctx context.Context, expertID int64) ([]*ExpertConflict, error)
	ExpertCollaborations(ctx context.Context, expertID int64) ([]*ExpertCollaboration, error)
	// Aliases returns the institution alias table.
	Aliases(ctx context.Context) (map[string]string, error)
}

// panelStore is what the panels service reads: panels and their records,
// the pool, and the campaigns and projects panels are formed for.
type panelStore interface {
	panelReader
	campaignGetter
	projectGetter
	Projects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	// Sheet returns an expert's sheet for a project: a member with one has
	// started scoring and keeps the seat.
	Sheet(ctx context.Context, projectID, expertID int64) (*Sheet, error)
}

// panelTx is what the panels service does in a transaction; invitations
// are told by e-mail (expertNotifier).
type panelTx interface {
	panelStore
	panelWriter
	auditor
	expertNotifier
}

// panelWriter writes panels and draw records.
type panelWriter interface {
	CreatePanel(ctx context.Context, p *Panel) error
	UpdatePanelState(ctx context.Context, id int64, state PanelState, at time.Time) error
	AddPanelMember(ctx context.Context, m *PanelMember) error
	// AddPanelMembers adds members in their order and sets their ids, as
	// AddPanelMember one after the other would.
	AddPanelMembers(ctx context.Context, members []*PanelMember) error
	UpdatePanelMember(ctx context.Context, m *PanelMember) error
	CreateDrawRecord(ctx context.Context, r *DrawRecord) error
}

// PoolExpert is an expert with what the conflict rules and the load caps
// need.
type PoolExpert struct {
	Expert
	Declared       []*ExpertConflict
	Collaborations []*ExpertCollaboration
	LoadCampaign   int
	LoadYear       int
}

package evaluation

import (
	"context"
	"time"
)

// sheetReader reads the workspace's records: pledges, declarations, sheets
// and their submitted versions.
type sheetReader interface {
	// Pledge returns the pledge an expert signed for a campaign.
	Pledge(ctx context.Context, campaignID, expertID int64) (*Pledge, error)
	// Declared returns when an expert declared no conflict with a project.
	Declared(ctx context.Context, projectID, expertID int64) (time.Time, error)
	// PanelSeat returns an expert's record on the panel a project is on,
	// whatever its status, and that panel without its members and
	// projects: not found when the project has no panel or the expert is
	// not on it. It is what every save of a sheet checks, so it reads one
	// row rather than the whole panel.
	PanelSeat(ctx context.Context, projectID, expertID int64) (*Panel, *PanelMember, error)
	// Sheet returns an expert's sheet for a project.
	Sheet(ctx context.Context, projectID, expertID int64) (*Sheet, error)
	SheetByID(ctx context.Context, id int64) (*Sheet, error)
	// ProjectSheets lists a project's sheets, by seat then expert.
	ProjectSheets(ctx context.Context, projectID int64) ([]*Sheet, error)
	// ExpertSheets lists an expert's sheets, of every campaign.
	ExpertSheets(ctx context.Context, expertID int64) ([]*Sheet, error)
	// SheetVersions lists a sheet's submitted versions, oldest first.
	SheetVersions(ctx context.Context, sheetID int64) ([]*SheetVersion, error)
}

// sheetWriter writes the workspace's records.
type sheetWriter interface {
	CreatePledge(ctx context.Context, p *Pledge) error
	CreateDeclaration(ctx context.Context, projectID, expertID int64, at time.Time) error
	CreateSheet(ctx context.Context, s *Sheet) error
	// UpdateSheet stores a sheet's status, version, round, content and
	// times.
	UpdateSheet(ctx context.Context, s *Sheet) error
	AddSheetVersion(ctx context.Context, v *SheetVersion) error
}

// seatTx is what withdrawing an expert from a project's panel needs in any
// area's transaction: the panel, the campaign and its projects, the pool
// (to call up the next alternate), and writing members.
type seatTx interface {
	PanelOfProject(ctx context.Context, projectID int64) (*Panel, error)
	PoolRecords(ctx context.Context, campaignID int64, year int) ([]*PoolExpert, error)
	ExpertRecordSummaries(ctx context.Context, f ExpertRecordFilter) ([]*ExpertRecordSummary, int, error)
	Aliases(ctx context.Context) (map[string]string, error)
	campaignGetter
	projectGetter
	inviteTx
	staffNotifier
	auditor
}

// sheetStore is what the workspace service reads: its own records, the
// panels an expert sits on, the campaigns, projects and rubrics they
// score, and what a project's page shows the expert.
type sheetStore interface {
	sheetReader
	MemberPanels(ctx context.Context, expertID int64) ([]*Panel, error)
	Panel(ctx context.Context, id int64) (*Panel, error)
	campaignGetter
	projectGetter
	rubricReader
	conflictReader
}

// sheetTx is what the workspace service does in a transaction: sheets,
// pledges and deadlines, telling experts of reopened sheets and reminders.
type sheetTx interface {
	sheetStore
	sheetWriter
	opinionReader // a sheet is not reopened under a circulated opinion
	UpdatePanelMember(ctx context.Context, m *PanelMember) error
	expertNotifier
	auditor
}

// declarationTx is what declaring and lifting conflicts of interest does
// in a transaction: the seat the declaration is made from, the
// declaration or conflict recorded, and the seat withdrawn (seatTx).
type declarationTx interface {
	sheetStore
	seatTx
	CreateDeclaration(ctx context.Context, projectID, expertID int64, at time.Time) error
	CreateExpertConflict(ctx context.Context, c *ExpertConflict) error
	ExpertConflicts(ctx context.Context, expertID int64) ([]*ExpertConflict, error)
	DeleteExpertConflict(ctx context.Context, expertID, id int64) error
}

// progressStore is what the agency's progress monitor reads: a campaign's
// panels (with members), projects and sheets, all at once.
type progressStore interface {
	campaignGetter
	Panels(ctx context.Context, campaignID int64) ([]*Panel, error)
	Projects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	// CampaignSheets lists the sheets of a campaign's projects.
	CampaignSheets(ctx context.Context, campaignID int64) ([]*Sheet, error)
	timelineStore
}

package evaluation

import "context"

// campaignReader reads campaigns and projects.
type campaignReader interface {
	campaignGetter
	Campaigns(ctx context.Context, f CampaignFilter) ([]*Campaign, error)
	CampaignTransitions(ctx context.Context, campaignID int64) ([]*CampaignTransition, error)
	projectGetter
	ProjectByCode(ctx context.Context, campaignID int64, code string) (*Project, error)
	// Projects lists projects without their indicators.
	Projects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
}

// campaignWriter writes campaigns and projects.
type campaignWriter interface {
	CreateCampaign(ctx context.Context, c *Campaign) error
	UpdateCampaign(ctx context.Context, c *Campaign) error
	AddCampaignTransition(ctx context.Context, campaignID int64, t *CampaignTransition) error
	// CreateProject stores a project and its indicators.
	CreateProject(ctx context.Context, p *Project) error
	// UpdateProject stores a project and brings its indicators in line:
	// indicators with an id are updated, without one inserted, and stored
	// ones missing from p.Indicators deleted.
	UpdateProject(ctx context.Context, p *Project) error
	DeleteProject(ctx context.Context, id int64) error
	UpdateIndicator(ctx context.Context, projectID int64, in *Indicator) error
}

// campaignStore is what the campaigns service reads: its campaigns and
// projects, the rubric versions a campaign pins, and whether its projects
// have panels (a campaign moves to scoring only when they all do).
type campaignStore interface {
	campaignReader
	rubricReader
	Panels(ctx context.Context, campaignID int64) ([]*Panel, error)
	UnconcludedProjects(ctx context.Context, campaignID int64) (int, error)
	UnansweredReturns(ctx context.Context, campaignID int64) (int, error)
	OpenAppeals(ctx context.Context, campaignID int64) (int, error)
	publicityReader
}

// campaignTx is what the campaigns service does in a transaction.
type campaignTx interface {
	campaignStore
	campaignWriter
	recordTx // closing a campaign records its experts
}

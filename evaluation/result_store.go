package evaluation

import "context"

// opinionReader reads panel opinions.
type opinionReader interface {
	// Opinion returns the panel's opinion on a project with its members'
	// responses, oldest first.
	Opinion(ctx context.Context, projectID int64) (*Opinion, error)
}

// opinionWriter writes panel opinions.
type opinionWriter interface {
	CreateOpinion(ctx context.Context, o *Opinion) error
	// UpdateOpinion stores an opinion's text, proposal, status, version
	// and times; the store refuses to change a locked one.
	UpdateOpinion(ctx context.Context, o *Opinion) error
	// SetOpinionResponse records a member's response, replacing theirs.
	SetOpinionResponse(ctx context.Context, projectID int64, r OpinionResponse) error
	// DeleteOpinionResponses forgets the responses to an opinion the chair
	// took back to revise.
	DeleteOpinionResponses(ctx context.Context, projectID int64) error
}

// resultStore is what the results service reads: the workspace's records
// (seats, sheets), the opinions, conclusions and rectifications.
type resultStore interface {
	sheetStore
	opinionReader
	conclusionReader
	revisionReader
}

// reportStore is what computing results reads, a campaign's all at once:
// the campaign, its pinned rubrics, its projects and their sheets, the
// conclusions in force and the veto confirmations.
type reportStore interface {
	vetoReader
	campaignGetter
	rubricReader
	// CampaignSheets lists the sheets of a campaign's projects.
	CampaignSheets(ctx context.Context, campaignID int64) ([]*Sheet, error)
	// Projects lists projects without their indicators.
	Projects(ctx context.Context, f ProjectFilter) ([]*Project, int, error)
	// CampaignConclusions lists the conclusion in force (the newest) of
	// each of a campaign's projects that has one.
	CampaignConclusions(ctx context.Context, campaignID int64) ([]*ConclusionRecord, error)
	revisionReader
}

// resultTx is what the results service does in a transaction.
type resultTx interface {
	resultStore
	opinionWriter
	conclusionWriter
	auditor
}

// conclusionReader reads the conclusions and rectifications.
type conclusionReader interface {
	// Conclusions lists a project's recorded conclusions, oldest first.
	Conclusions(ctx context.Context, projectID int64) ([]*ConclusionRecord, error)
	Rectification(ctx context.Context, projectID int64) (*Rectification, error)
	// UnconcludedProjects counts a campaign's projects without a
	// conclusion for their current round (the re-evaluation's, when a
	// rectification was granted).
	UnconcludedProjects(ctx context.Context, campaignID int64) (int, error)
}

// conclusionWriter records conclusions and rectifications; both are
// append-only.
type conclusionWriter interface {
	AddConclusion(ctx context.Context, c *ConclusionRecord) error
	CreateRectification(ctx context.Context, r *Rectification) error
}

// vetoReader reads the veto items the agency's staff confirmed.
type vetoReader interface {
	// VetoConfirmations lists a project's veto confirmations, oldest
	// first.
	VetoConfirmations(ctx context.Context, projectID int64) ([]*VetoConfirmation, error)
	// CampaignVetoConfirmations lists the veto confirmations of a
	// campaign's projects, by project, oldest first.
	CampaignVetoConfirmations(ctx context.Context, campaignID int64) ([]*VetoConfirmation, error)
}

// vetoWriter records veto confirmations; they are append-only.
type vetoWriter interface {
	AddVetoConfirmation(ctx context.Context, v *VetoConfirmation) error
}

package evaluation

import (
	"context"
	"time"
)

// Return is a project the commission returns to the agency in a round of
// its review, with the comment the agency acts on, and the agency's
// answer. The commission marks the round's projects first (Sent false),
// then sends them all at once with the campaign (ReviewService). Sent
// returns are kept as they were; every round stays.
type Return struct {
	CampaignID int64  `json:"campaign_id"`
	AgencyID   int64  `json:"-"`
	Round      int    `json:"round"`
	ProjectID  int64  `json:"project_id"`
	Code       string `json:"code"`
	Title      string `json:"title"`
	Comment    string `json:"comment"`
	// Sent: the commission sent the round back to the agency, at
	// ReturnedAt; until then it is the commission's draft.
	Sent           bool      `json:"sent"`
	MarkedBy       int64     `json:"marked_by"`
	MarkedByName   string    `json:"marked_by_name"`
	MarkedAt       time.Time `json:"marked_at"`
	ReturnedAt     time.Time `json:"returned_at,omitzero"`
	Answer         string    `json:"answer,omitempty"`
	AnsweredByName string    `json:"answered_by_name,omitempty"`
	AnsweredBy     int64     `json:"answered_by,omitempty"`
	AnsweredAt     time.Time `json:"answered_at,omitzero"`
}

// returnReader reads a campaign's returns.
type returnReader interface {
	// Returns lists a campaign's returns, drafts included, by round and
	// then project code.
	Returns(ctx context.Context, campaignID int64) ([]*Return, error)
	// UnansweredReturns counts the returns of the campaign's latest sent
	// round that the agency has not answered.
	UnansweredReturns(ctx context.Context, campaignID int64) (int, error)
}

// returnWriter writes returns.
type returnWriter interface {
	// SaveReturn stores a draft return, or its new comment.
	SaveReturn(ctx context.Context, r *Return) error
	DeleteReturn(ctx context.Context, campaignID int64, round int, projectID int64) error
	// SendReturns sends the round's drafts, at the time given.
	SendReturns(ctx context.Context, campaignID int64, round int, at time.Time) (int, error)
	// AnswerReturn stores the agency's answer to a sent return.
	AnswerReturn(ctx context.Context, r *Return) error
}

// reviewTx is what the commission's review does in a transaction: the
// campaign and its projects, its returns, the move of the campaign.
type reviewTx interface {
	campaignGetter
	projectGetter
	returnReader
	returnWriter
	publicityReader
	CreatePublicity(ctx context.Context, p *Publicity) error
	UpdateCampaign(ctx context.Context, c *Campaign) error
	AddCampaignTransition(ctx context.Context, campaignID int64, t *CampaignTransition) error
	auditor
}

package evaluation

import (
	"context"
	"time"
)

// Publicity is the period (公示) the commission's approval starts: from the
// day of approval through Ends, both in Beijing, the campaign's
// conclusions are public (PublicNotice), without scores or experts' names.
type Publicity struct {
	CampaignID int64  `json:"campaign_id"`
	AgencyID   int64  `json:"-"`
	Starts     string `json:"starts"`
	// Ends is the last day of the period: Days days after Starts.
	Ends           string    `json:"ends"`
	Days           int       `json:"days"`
	Note           string    `json:"note,omitempty"`
	ApprovedBy     int64     `json:"approved_by"`
	ApprovedByName string    `json:"approved_by_name"`
	ApprovedAt     time.Time `json:"approved_at"`
}

// The length of a publicity period, in days.
const (
	DefaultPublicityDays = 5
	MaxPublicityDays     = 30
)

// PublicNotice is what anyone may read of a campaign during and after its
// publicity: what was evaluated and the conclusions, nothing else.
type PublicNotice struct {
	Campaign  string          `json:"campaign"`
	Year      int             `json:"year"`
	AgencyZH  string          `json:"agency_zh"`
	AgencyEN  string          `json:"agency_en"`
	Publicity *Publicity      `json:"publicity"`
	Projects  []PublicProject `json:"projects"`
}

// PublicProject is one project of a public notice.
type PublicProject struct {
	Code       string       `json:"code"`
	Title      string       `json:"title"`
	Class      ProjectClass `json:"class"`
	Lead       string       `json:"lead_institution"`
	Conclusion Conclusion   `json:"conclusion"`
}

// publicityReader reads a campaign's publicity period.
type publicityReader interface {
	Publicity(ctx context.Context, campaignID int64) (*Publicity, error)
}

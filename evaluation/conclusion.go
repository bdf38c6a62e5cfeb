package evaluation

import (
	"slices"
	"time"
)

// ConclusionRecord is a conclusion the agency recorded for a project. Every
// record is kept; the newest is the project's conclusion. Round is 1 for
// the evaluation and 2 for the re-evaluation after a rectification.
type ConclusionRecord struct {
	ProjectID  int64      `json:"project_id"`
	CampaignID int64      `json:"campaign_id"`
	AgencyID   int64      `json:"-"`
	Seq        int        `json:"seq"`
	Round      int        `json:"round"`
	Conclusion Conclusion `json:"conclusion"`
	// Proposed is the conclusion the panel's locked opinion proposed when
	// this one was recorded, "" when there was none to follow.
	Proposed       Conclusion `json:"proposed,omitempty"`
	Reason         string     `json:"reason,omitempty"`
	RecordedBy     int64      `json:"recorded_by"`
	RecordedByName string     `json:"recorded_by_name"`
	RecordedAt     time.Time  `json:"recorded_at"`
}

// Rectification is the one rectification round (整改) a failed project may
// get before its re-evaluation.
type Rectification struct {
	ProjectID  int64 `json:"project_id"`
	CampaignID int64 `json:"campaign_id"`
	AgencyID   int64 `json:"-"`
	// Due is the last day of the rectification (YYYY-MM-DD, Beijing).
	Due           string    `json:"due"`
	Reason        string    `json:"reason"`
	CreatedBy     int64     `json:"created_by"`
	CreatedByName string    `json:"created_by_name"`
	CreatedAt     time.Time `json:"created_at"`
}

// RectificationMonths is a rectification's default length.
const RectificationMonths = 3

// ConclusionsOf are the conclusions the agency may record in a round: the
// evaluation passes, fails or closes (结题) a project; the re-evaluation
// after a rectification passes it after rectification, fails or closes it.
func ConclusionsOf(round int) []Conclusion {
	if round == 2 {
		return []Conclusion{ConclusionPassAfterRectification, ConclusionFail, ConclusionClosed}
	}
	return []Conclusion{ConclusionPass, ConclusionFail, ConclusionClosed}
}

// needsOpinion reports whether recording c in the round needs the panel's
// locked opinion: a pass or a fail of the evaluation follows the panel; a
// closure has objective reasons of its own, and the re-evaluation is
// recorded on the rectification's evidence.
func needsOpinion(c Conclusion, round int) bool {
	return round == 1 && slices.Contains(ProposedConclusions, c)
}

package evaluation

import (
	"slices"
	"time"

	"github.com/evalpanel/evalpanel/rubrics"
)

// RubricStatus is where a rubric version is in its life.
type RubricStatus string

// A draft can be edited; publishing freezes it for good; a retired version
// stays readable (campaigns that pinned it keep it) but cannot be pinned anew.
const (
	RubricDraft     RubricStatus = "draft"
	RubricPublished RubricStatus = "published"
	RubricRetired   RubricStatus = "retired"
)

// RubricStatuses lists the statuses in the order a version goes through them.
var RubricStatuses = []RubricStatus{RubricDraft, RubricPublished, RubricRetired}

// Valid reports whether s is one of RubricStatuses.
func (s RubricStatus) Valid() bool { return slices.Contains(RubricStatuses, s) }

// Rubric is a stored rubric version (评价指标体系版本).
type Rubric struct {
	ID          int64           `json:"id"`
	Code        string          `json:"code"`
	Version     int             `json:"version"`
	Target      rubrics.Target  `json:"target"`
	Status      RubricStatus    `json:"status"`
	Hash        string          `json:"hash"`
	Content     *rubrics.Rubric `json:"content"`
	CreatedBy   int64           `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	PublishedAt time.Time       `json:"published_at,omitzero"`
}

// RubricFilter selects rubric versions in a list.
type RubricFilter struct {
	Code   string
	Target rubrics.Target
	Status RubricStatus
}

// canSeeRubric: drafts are work in progress of the administrators; every
// signed-in user reads published and retired versions.
func canSeeRubric(actor Actor, r *Rubric) bool {
	return r.Status != RubricDraft || actor.IsAdmin()
}

package evaluation

import (
	"context"
	"time"
)

// AppealReason is the ground an appeal (申诉) is made on.
type AppealReason string

// The grounds of an appeal. Only the last is not admissible (DESIGN §2
// step 8): the experts' academic judgement is theirs to make, and an
// appeal that disputes nothing else is recorded and answered by the rule.
const (
	// AppealProcedure: the evaluation did not follow its procedure (a
	// panel too small, a deadline not kept, materials not shown).
	AppealProcedure AppealReason = "procedure"
	// AppealConflict: an expert with a conflict of interest took part.
	AppealConflict AppealReason = "conflict"
	// AppealFactual: facts or materials were misread or left out.
	AppealFactual AppealReason = "factual"
	// AppealCalculation: a score or a result was computed wrongly.
	AppealCalculation AppealReason = "calculation"
	// AppealAcademic: only the experts' academic judgement is disputed.
	AppealAcademic AppealReason = "academic"
)

// AppealReasons lists the grounds in the order the interface offers them.
var AppealReasons = []AppealReason{AppealProcedure, AppealConflict, AppealFactual, AppealCalculation, AppealAcademic}

// Valid reports whether r is a known ground.
func (r AppealReason) Valid() bool {
	switch r {
	case AppealProcedure, AppealConflict, AppealFactual, AppealCalculation, AppealAcademic:
		return true
	}
	return false
}

// Admissible reports whether an appeal on this ground is admissible.
func (r AppealReason) Admissible() bool { return r != AppealAcademic }

// AppealStatus is where an appeal stands.
type AppealStatus string

// The states of an appeal: filed → reevaluating → resolved, or filed →
// rejected; an inadmissible one is closed when it is recorded.
const (
	AppealFiled        AppealStatus = "filed"
	AppealInadmissible AppealStatus = "inadmissible"
	AppealReevaluating AppealStatus = "reevaluating"
	AppealRejected     AppealStatus = "rejected"
	AppealResolved     AppealStatus = "resolved"
)

// Open reports whether the appeal still waits for the commission.
func (s AppealStatus) Open() bool { return s == AppealFiled || s == AppealReevaluating }

// Appeal is an appeal against a project's conclusion, recorded during the
// campaign's publicity by the agency's staff or the commission on behalf
// of whoever made it (the project's lead institution, its leader), with
// its ground and its text. The commission resolves an admissible one by a
// re-evaluation of the project by its panel (a revision round of kind
// RevisionAppeal) or rejects it with a reason; the campaign closes only
// when none is open. Appeals are kept; only their resolution is written
// after.
type Appeal struct {
	ID         int64        `json:"id"`
	CampaignID int64        `json:"campaign_id"`
	ProjectID  int64        `json:"project_id"`
	AgencyID   int64        `json:"-"`
	Code       string       `json:"code"`
	Title      string       `json:"title"`
	Reason     AppealReason `json:"reason"`
	Appellant  string       `json:"appellant"`
	Text       string       `json:"text"`
	Status     AppealStatus `json:"status"`
	// Before is the project's conclusion when the appeal was filed.
	Before       Conclusion `json:"before"`
	FiledBy      int64      `json:"filed_by"`
	FiledByName  string     `json:"filed_by_name"`
	FiledAt      time.Time  `json:"filed_at"`
	RevisionSeq  int        `json:"revision_seq,omitempty"`
	Reevaluation string     `json:"reevaluation_note,omitempty"`
	// Outcome is the conclusion after the re-evaluation (the same as
	// Before when the appeal changed nothing); "" for other states.
	Outcome        Conclusion `json:"outcome,omitempty"`
	Resolution     string     `json:"resolution,omitempty"`
	ResolvedBy     int64      `json:"resolved_by,omitempty"`
	ResolvedByName string     `json:"resolved_by_name,omitempty"`
	ResolvedAt     time.Time  `json:"resolved_at,omitzero"`
}

// appealReader reads appeals.
type appealReader interface {
	Appeal(ctx context.Context, id int64) (*Appeal, error)
	// Appeals lists a campaign's appeals, oldest first.
	Appeals(ctx context.Context, campaignID int64) ([]*Appeal, error)
	// OpenAppeals counts a campaign's appeals the commission has not
	// settled.
	OpenAppeals(ctx context.Context, campaignID int64) (int, error)
}

// appealWriter records appeals and their resolutions.
type appealWriter interface {
	AddAppeal(ctx context.Context, a *Appeal) error
	UpdateAppeal(ctx context.Context, a *Appeal) error
}

// appealTx is what an appeal's steps do in a transaction: the campaign and
// its publicity, the project's conclusions, sheets and seats for a
// re-evaluation, the appeal itself.
type appealTx interface {
	revisionTx
	conclusionWriter
	publicityReader
	appealReader
	appealWriter
}

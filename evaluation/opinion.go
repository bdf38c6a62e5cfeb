package evaluation

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Conclusion is what a project's evaluation concludes (评价结论).
type Conclusion string

// The conclusions (DESIGN §2 step 7). A panel proposes pass or fail; the
// agency records the conclusion, which may also be closed (结题, for
// objective, non-culpable reasons) or, after a rectification, pass after
// rectification.
const (
	ConclusionPass                   Conclusion = "pass"                     // 通过
	ConclusionFail                   Conclusion = "fail"                     // 未通过
	ConclusionClosed                 Conclusion = "closed"                   // 结题
	ConclusionPassAfterRectification Conclusion = "pass_after_rectification" // 整改后通过
)

// ProposedConclusions are the conclusions a panel's opinion may propose.
var ProposedConclusions = []Conclusion{ConclusionPass, ConclusionFail}

// OpinionStatus is where a panel opinion stands.
type OpinionStatus string

// The opinion's states: the chair drafts it, circulates it to the members,
// and it locks when every member has confirmed or dissented.
const (
	OpinionDraft       OpinionStatus = "draft"
	OpinionCirculating OpinionStatus = "circulating"
	OpinionLocked      OpinionStatus = "locked"
)

// MaxOpinionText bounds a panel opinion's text.
const MaxOpinionText = 10000

// Opinion is a panel's opinion on a project (专家组意见): the text the chair
// drafts, the conclusion it proposes, and each member's confirmation or
// dissent.
type Opinion struct {
	ProjectID  int64 `json:"project_id"`
	CampaignID int64 `json:"campaign_id"`
	AgencyID   int64 `json:"-"`
	PanelID    int64 `json:"panel_id"`
	// ChairID is the expert who chaired the panel when the opinion was
	// drafted.
	ChairID  int64         `json:"chair_id"`
	Text     string        `json:"text"`
	Proposed Conclusion    `json:"proposed"`
	Status   OpinionStatus `json:"status"`
	// Version counts the chair's saves: a save names the version it was
	// based on, as a sheet's does.
	Version   int               `json:"version"`
	Responses []OpinionResponse `json:"responses"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	LockedAt  time.Time         `json:"locked_at,omitzero"`
}

// OpinionResponse is a member's answer to a circulated opinion: a
// confirmation, or a dissent with its reason.
type OpinionResponse struct {
	ExpertID    int64     `json:"expert_id"`
	Agree       bool      `json:"agree"`
	Reason      string    `json:"reason,omitempty"`
	RespondedAt time.Time `json:"responded_at"`
}

// Response returns the member's response, if any.
func (o *Opinion) Response(expertID int64) (OpinionResponse, bool) {
	i := slices.IndexFunc(o.Responses, func(r OpinionResponse) bool { return r.ExpertID == expertID })
	if i < 0 {
		return OpinionResponse{}, false
	}
	return o.Responses[i], true
}

// Dissents counts the members who dissented.
func (o *Opinion) Dissents() int {
	n := 0
	for _, r := range o.Responses {
		if !r.Agree {
			n++
		}
	}
	return n
}

// OpinionInput is what the chair writes: the text and the proposed
// conclusion.
type OpinionInput struct {
	Text     string     `json:"text"`
	Proposed Conclusion `json:"proposed"`
}

// validate trims the input and checks it.
func (in *OpinionInput) validate() error {
	in.Text = strings.TrimSpace(in.Text)
	f := FieldErrors{}
	switch {
	case in.Text == "":
		f.Add("text", "error.required")
	case utf8.RuneCountInString(in.Text) > MaxOpinionText:
		f.Add("text", "error.too_long")
	}
	if !slices.Contains(ProposedConclusions, in.Proposed) {
		f.Add("proposed", "error.invalid_value")
	}
	return f.Err()
}

// responders are the members who answer a circulated opinion: every
// accepted member of the panel but the chair, who wrote it.
func responders(p *Panel, chairID int64) []*PanelMember {
	var out []*PanelMember
	for _, m := range p.Members {
		if m.Status == MemberAccepted && m.ExpertID != chairID {
			out = append(out, m)
		}
	}
	return out
}

// Package assign forms review panels: it decides which experts may not
// review a project (conflicts of interest, 回避), draws panels at random in
// a way anyone can re-run (随机抽取), and computes an optimal assignment of
// experts to a whole campaign's projects (min-cost flow). It is pure: it
// takes plain values, does no I/O, and imports only the standard library
// and the Unicode normalisation of golang.org/x/text (NFKC, which names are
// compared in), so that the rules can be tested against brute force and
// re-run by a third party from a draw record.
package assign

// Expert types, as in evaluation.ExpertType (kept as strings here so that
// this package stays free of the domain package, which calls it).
const (
	StrategicScientist = "strategic_scientist"
	DomainExpert       = "domain_expert"
	InternationalPeer  = "international_peer"
	Investor           = "investor"
	Entrepreneur       = "entrepreneur"
	FinanceExpert      = "finance_expert"
)

// Person is someone named in a project (the PI, a member) or in an
// expert's records (a collaborator).
type Person struct {
	Name        string `json:"name"`
	Institution string `json:"institution,omitempty"`
}

// Project is what the conflict rules and the draw need to know about a
// project (项目).
type Project struct {
	ID           int64    `json:"id"`
	Code         string   `json:"code"`
	Class        string   `json:"class"` // "basic_research" or "applied_technology"
	Lead         string   `json:"lead"`  // lead institution (承担单位)
	Participants []string `json:"participants,omitempty"`
	PI           Person   `json:"pi"`
	Members      []Person `json:"members,omitempty"`
	// AvoidExperts are the expert ids on the applicant's avoid list
	// (申请回避专家), resolved against the pool before the draw.
	AvoidExperts []int64  `json:"avoid_experts,omitempty"`
	SubjectCodes []string `json:"subject_codes,omitempty"`
	Keywords     []string `json:"keywords,omitempty"`
}

// Collaboration is a joint project, paper, patent or award of an expert
// with a person or an institution, in a year (合作关系).
type Collaboration struct {
	Kind   string `json:"kind"` // joint_project, joint_paper, joint_patent, joint_award
	Person string `json:"person,omitempty"`
	// Institution is set when the collaboration is with an institution as
	// a whole rather than with a person.
	Institution string `json:"institution,omitempty"`
	Year        int    `json:"year"`
}

// DeclaredConflict is a conflict an expert declared in advance, with a
// person, an institution or one project.
type DeclaredConflict struct {
	ProjectID   int64  `json:"project_id,omitempty"`
	Person      string `json:"person,omitempty"`
	Institution string `json:"institution,omitempty"`
	Year        int    `json:"year"`
}

// Expert is what the rules need to know about an expert in the pool.
type Expert struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Type         string   `json:"type"`
	Institution  string   `json:"institution"`
	Region       string   `json:"region"` // local, non_local, international
	SubjectCodes []string `json:"subject_codes,omitempty"`
	Keywords     []string `json:"keywords,omitempty"`
	CanBeDrawn   bool     `json:"can_be_drawn"`
	// LoadCampaign and LoadYear are the projects the expert already
	// reviews in this campaign and this year.
	LoadCampaign   int                `json:"load_campaign"`
	LoadYear       int                `json:"load_year"`
	Declared       []DeclaredConflict `json:"declared,omitempty"`
	Collaborations []Collaboration    `json:"collaborations,omitempty"`
	// Deferred is set when the expert's records from closed campaigns
	// place them after the other eligible experts in a draw (a soft
	// preference: Draw still seats them when the others do not suffice).
	// Left out of the snapshot when nil, so that pools recorded before
	// the preference existed hash and re-run as they did.
	Deferred *Deferral `json:"deferred,omitempty"`
}

// Deferral says why a draw places an expert after the others, with the
// figures behind it: Code "on_time" (OnTime of Assigned sheets on time,
// below the rule's share) or "declines" (Declines invitations declined).
type Deferral struct {
	Code     string `json:"code"`
	Assigned int    `json:"assigned,omitempty"`
	OnTime   int    `json:"on_time,omitempty"`
	Declines int    `json:"declines,omitempty"`
}

// DeferredExpert is an eligible expert a draw placed after the others, and
// why; a draw's result lists every one, seated or not.
type DeferredExpert struct {
	ExpertID int64    `json:"expert_id"`
	Reason   Deferral `json:"reason"`
}

// Rules are the settings the conflict check depends on.
type Rules struct {
	// Year is the evaluation year; collaborations within Window years
	// before it (Year-Window … Year) conflict; 0 means DefaultWindow, 3
	// (evaluation/README.md §2.5.2).
	Year   int `json:"year"`
	Window int `json:"window"`
	// Aliases maps an institution name (normalised) to the canonical name
	// (normalised) it also goes by: "上海交大" → "上海交通大学".
	Aliases map[string]string `json:"aliases,omitempty"`
}

// Reason codes say why an expert cannot review a project. The conflict
// reasons (回避) can never be overridden; the eligibility reasons (not
// drawable, over a load cap, no subject match) keep an expert out of draws
// and matches, and a manual choice may override only those marked soft.
const (
	ReasonInstitution   = "institution"   // same institution as the lead or a participant
	ReasonMember        = "member"        // the expert is the PI or a member
	ReasonAvoided       = "avoided"       // on the applicant's avoid list
	ReasonDeclared      = "declared"      // a declared conflict
	ReasonCollaboration = "collaboration" // a recent collaboration with the PI, a member or an institution
	ReasonNotDrawable   = "not_drawable"  // the can-be-drawn flag is off
	ReasonLoadCampaign  = "load_campaign" // at the per-campaign load cap
	ReasonLoadYear      = "load_year"     // at the per-year load cap
	ReasonSubject       = "subject"       // no subject code in common
)

// Reason is one reason an expert cannot review a project, with the detail
// shown to agency staff ("上海交通大学 = lead institution", "joint paper
// with 王某, 2025").
type Reason struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
	// Key names the form of the detail and Args its values, so that the
	// web layer can say it in the user's language: key "institution" with
	// args expert_institution, role and institution, for example. Roles
	// are "lead", "participant", "pi" and "member"; record kinds are
	// "declared" and the collaboration kinds.
	Key  string            `json:"key,omitempty"`
	Args map[string]string `json:"args,omitempty"`
}

// IsConflict reports whether the reason is a conflict of interest, which
// nothing may override.
func (r Reason) IsConflict() bool {
	switch r.Code {
	case ReasonInstitution, ReasonMember, ReasonAvoided, ReasonDeclared, ReasonCollaboration:
		return true
	}
	return false
}

package evaluation

import "time"

// ExpertType is the kind of expert in the pool (专家类型); panel composition
// rules count seats by type.
type ExpertType string

// The six expert types of DESIGN.md §2.
const (
	StrategicScientist ExpertType = "strategic_scientist" // 战略科学家
	DomainExpert       ExpertType = "domain_expert"       // 技术领域专家
	InternationalPeer  ExpertType = "international_peer"  // 国际同行
	Investor           ExpertType = "investor"            // 投资人
	Entrepreneur       ExpertType = "entrepreneur"        // 企业家
	FinanceExpert      ExpertType = "finance_expert"      // 财务专家
)

// ExpertTypes lists every expert type in display order.
var ExpertTypes = []ExpertType{StrategicScientist, DomainExpert, InternationalPeer, Investor, Entrepreneur, FinanceExpert}

// Valid reports whether t is one of ExpertTypes.
func (t ExpertType) Valid() bool {
	for _, v := range ExpertTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Region says where an expert works relative to the commission: panels mix
// local and non-local experts, and basic research wants international peers.
type Region string

// The regions.
const (
	RegionLocal         Region = "local"         // 本地
	RegionNonLocal      Region = "non_local"     // 外地
	RegionInternational Region = "international" // 境外
)

// TitleLevel is the level of an expert's professional title (职称级别).
type TitleLevel string

// The title levels. Panels need senior experts; the level is never scored.
const (
	TitleSenior    TitleLevel = "senior"    // 正高级
	TitleAssociate TitleLevel = "associate" // 副高级
	TitleOther     TitleLevel = "other"     // 其他
)

// Expert is an expert's profile in the expert pool (专家库).
type Expert struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Type         ExpertType `json:"type"`
	Institution  string     `json:"institution"`
	Title        string     `json:"title"`
	TitleLevel   TitleLevel `json:"title_level"`
	SubjectCodes []string   `json:"subject_codes"`
	Keywords     []string   `json:"keywords"`
	Region       Region     `json:"region"`
	Languages    []string   `json:"languages"`
	Email        string     `json:"email,omitempty"`
	CanBeDrawn   bool       `json:"can_be_drawn"`
	NoDrawReason string     `json:"no_draw_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Validate checks a profile before it is stored.
func (e *Expert) Validate() error {
	f := FieldErrors{}
	validateName(f, "name", e.Name)
	if !e.Type.Valid() {
		f.Add("type", "error.type_invalid")
	}
	validateLongName(f, "institution", e.Institution)
	switch e.TitleLevel {
	case TitleSenior, TitleAssociate, TitleOther:
	default:
		f.Add("title_level", "error.title_level_invalid")
	}
	switch e.Region {
	case RegionLocal, RegionNonLocal, RegionInternational:
	default:
		f.Add("region", "error.region_invalid")
	}
	if !e.CanBeDrawn && e.NoDrawReason == "" {
		f.Add("no_draw_reason", "error.no_draw_reason_required")
	}
	return f.Err()
}

package evaluation

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ExpertType is the kind of expert in the pool (专家类型); panel composition
// rules count seats by type.
type ExpertType string

// The six expert types (evaluation/README.md §2.4).
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
	return slices.Contains(ExpertTypes, t)
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

// Regions lists every region in display order.
var Regions = []Region{RegionLocal, RegionNonLocal, RegionInternational}

// Valid reports whether r is one of Regions.
func (r Region) Valid() bool {
	return slices.Contains(Regions, r)
}

// TitleLevel is the level of an expert's professional title (职称级别).
type TitleLevel string

// The title levels. Panels need senior experts; the level is never scored.
const (
	TitleSenior    TitleLevel = "senior"    // 正高级
	TitleAssociate TitleLevel = "associate" // 副高级
	TitleOther     TitleLevel = "other"     // 其他
)

// TitleLevels lists every title level in display order.
var TitleLevels = []TitleLevel{TitleSenior, TitleAssociate, TitleOther}

// Valid reports whether l is one of TitleLevels.
func (l TitleLevel) Valid() bool {
	return slices.Contains(TitleLevels, l)
}

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

// Limits of a profile. They keep a profile readable on one screen and the
// pool snapshot of a draw small; subject codes and keywords beyond them add
// nothing to the matching.
const (
	MaxSubjectCodes  = 10
	MaxKeywords      = 20
	MaxKeywordLength = 32
	MaxLanguages     = 10
	MaxReasonLength  = 500
)

// languageCodePattern accepts a language tag such as "zh", "en" or
// "zh-Hant": an ISO 639 code and an optional subtag.
var languageCodePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// Normalize trims the texts, puts the name and the institution in NFC
// (cleanName), drops empty and repeated list entries, and clears the
// no-draw reason of an expert who can be drawn.
func (e *Expert) Normalize() {
	e.Name = cleanName(e.Name)
	e.Institution = cleanName(e.Institution)
	e.Title = strings.TrimSpace(e.Title)
	e.Email = strings.TrimSpace(e.Email)
	e.NoDrawReason = strings.TrimSpace(e.NoDrawReason)
	e.SubjectCodes = cleanList(e.SubjectCodes)
	e.Keywords = cleanList(e.Keywords)
	e.Languages = cleanList(e.Languages)
	if e.CanBeDrawn {
		e.NoDrawReason = ""
	}
}

// cleanName trims a name of a person or an institution that the conflict
// rules compare, and stores it in Unicode normal form C (NFC): a letter
// typed with a combining mark (u + U+0308) becomes the one code point of
// the composed letter (ü), so that a name is stored, shown, searched and
// exported one way however it was typed. NFC, not NFKC: NFKC would also
// turn the full-width punctuation of Chinese names into ASCII (（特殊普通合伙）
// into (特殊普通合伙)) and spell out what the user wrote, which the app
// shows as entered. The comparison itself goes further
// (assign.NormalizeName and NormalizeInstitution: NFKC, look-alike letters
// and radicals, case, spaces and punctuation), on keys that are never
// shown.
func cleanName(s string) string {
	return norm.NFC.String(strings.TrimSpace(s))
}

// cleanNames is cleanList with each entry a name (cleanName).
func cleanNames(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = norm.NFC.String(s)
	}
	return cleanList(out)
}

// cleanList trims the entries of a list and drops empty and repeated ones,
// keeping the order; it never returns nil, so that a stored list is [].
func cleanList(list []string) []string {
	out := make([]string, 0, len(list))
	seen := map[string]bool{}
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Validate checks a normalised profile before it is stored. Field names are
// the JSON names, with the index for list entries ("subject_codes.1").
func (e *Expert) Validate() error {
	f := FieldErrors{}
	validateName(f, "name", e.Name)
	if !e.Type.Valid() {
		f.Add("type", "error.type_invalid")
	}
	validateLongName(f, "institution", e.Institution)
	if utf8.RuneCountInString(e.Title) > 64 {
		f.Add("title", "error.too_long")
	}
	if !e.TitleLevel.Valid() {
		f.Add("title_level", "error.title_level_invalid")
	}
	if !e.Region.Valid() {
		f.Add("region", "error.region_invalid")
	}
	if len(e.SubjectCodes) > MaxSubjectCodes {
		f.Add("subject_codes", "error.too_many")
	}
	for i, s := range e.SubjectCodes {
		if !subjectCodePattern.MatchString(s) {
			f.Add(fmt.Sprintf("subject_codes.%d", i), "error.subject_code_format")
		}
	}
	if len(e.Keywords) > MaxKeywords {
		f.Add("keywords", "error.too_many")
	}
	for i, s := range e.Keywords {
		if utf8.RuneCountInString(s) > MaxKeywordLength {
			f.Add(fmt.Sprintf("keywords.%d", i), "error.too_long")
		}
	}
	if len(e.Languages) > MaxLanguages {
		f.Add("languages", "error.too_many")
	}
	for i, s := range e.Languages {
		if !languageCodePattern.MatchString(s) {
			f.Add(fmt.Sprintf("languages.%d", i), "error.language_code")
		}
	}
	if e.Email != "" && !validEmail(e.Email) {
		f.Add("email", "error.email_format")
	}
	switch {
	case !e.CanBeDrawn && e.NoDrawReason == "":
		f.Add("no_draw_reason", "error.no_draw_reason_required")
	case utf8.RuneCountInString(e.NoDrawReason) > MaxReasonLength:
		f.Add("no_draw_reason", "error.too_long")
	}
	return f.Err()
}

// validEmail accepts a bare address (no display name) of sensible length.
func validEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// ExpertUpdate changes some attributes of a profile; nil fields stay as
// they are. The can-be-drawn flag is not among them: it changes through
// Service.SetExpertDrawable, an action of its own in the audit log.
type ExpertUpdate struct {
	Name         *string
	Type         *ExpertType
	Institution  *string
	Title        *string
	TitleLevel   *TitleLevel
	SubjectCodes *[]string
	Keywords     *[]string
	Region       *Region
	Languages    *[]string
	Email        *string
}

// apply sets the update's fields on e and returns the changed ones by JSON
// name, with their new values, for the audit log. e is normalised after.
func (u *ExpertUpdate) apply(e *Expert) map[string]any {
	before := *e
	before.SubjectCodes = cleanList(e.SubjectCodes)
	before.Keywords = cleanList(e.Keywords)
	before.Languages = cleanList(e.Languages)
	setIf(&e.Name, u.Name)
	setIf(&e.Type, u.Type)
	setIf(&e.Institution, u.Institution)
	setIf(&e.Title, u.Title)
	setIf(&e.TitleLevel, u.TitleLevel)
	setIf(&e.SubjectCodes, u.SubjectCodes)
	setIf(&e.Keywords, u.Keywords)
	setIf(&e.Region, u.Region)
	setIf(&e.Languages, u.Languages)
	setIf(&e.Email, u.Email)
	e.Normalize()
	changed := map[string]any{}
	diff := func(field string, differs bool, v any) {
		if differs {
			changed[field] = v
		}
	}
	diff("name", e.Name != before.Name, e.Name)
	diff("type", e.Type != before.Type, e.Type)
	diff("institution", e.Institution != before.Institution, e.Institution)
	diff("title", e.Title != before.Title, e.Title)
	diff("title_level", e.TitleLevel != before.TitleLevel, e.TitleLevel)
	diff("subject_codes", !equalLists(e.SubjectCodes, before.SubjectCodes), e.SubjectCodes)
	diff("keywords", !equalLists(e.Keywords, before.Keywords), e.Keywords)
	diff("region", e.Region != before.Region, e.Region)
	diff("languages", !equalLists(e.Languages, before.Languages), e.Languages)
	diff("email", e.Email != before.Email, e.Email)
	return changed
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func equalLists(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

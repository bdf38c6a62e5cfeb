package evaluation

import (
	"regexp"
	"strings"
	"time"
)

// Agency is a management agency (项目委托管理机构) that the commission entrusts
// with evaluations. Agencies are the tenants: staff of one agency never see
// another agency's campaigns.
type Agency struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	NameZH    string    `json:"name_zh"`
	NameEN    string    `json:"name_en"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name returns the agency's name in the language.
func (a *Agency) Name(lang Language) string {
	if lang == LangEN && a.NameEN != "" {
		return a.NameEN
	}
	return a.NameZH
}

var agencyCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_-]{1,19}$`)

// NewAgency is the input for creating an agency.
type NewAgency struct {
	Code   string
	NameZH string
	NameEN string
}

// Validate checks and normalises the input.
func (n *NewAgency) Validate() error {
	f := FieldErrors{}
	n.Code = strings.ToUpper(strings.TrimSpace(n.Code))
	n.NameZH = strings.TrimSpace(n.NameZH)
	n.NameEN = strings.TrimSpace(n.NameEN)
	if !agencyCodePattern.MatchString(n.Code) {
		f.Add("code", "error.code_format")
	}
	validateLongName(f, "name_zh", n.NameZH)
	validateLongName(f, "name_en", n.NameEN)
	return f.Err()
}

// AgencyUpdate changes an agency; nil fields stay as they are. The code never
// changes: imports and API clients refer to it.
type AgencyUpdate struct {
	NameZH   *string
	NameEN   *string
	Disabled *bool
}

// Validate checks and normalises the update.
func (u *AgencyUpdate) Validate() error {
	f := FieldErrors{}
	if u.NameZH != nil {
		*u.NameZH = strings.TrimSpace(*u.NameZH)
		validateLongName(f, "name_zh", *u.NameZH)
	}
	if u.NameEN != nil {
		*u.NameEN = strings.TrimSpace(*u.NameEN)
		validateLongName(f, "name_en", *u.NameEN)
	}
	return f.Err()
}

func validateLongName(f FieldErrors, field, name string) {
	switch n := len([]rune(name)); {
	case n == 0:
		f.Add(field, "error.required")
	case n > 128:
		f.Add(field, "error.too_long")
	case strings.ContainsFunc(name, hiddenInName):
		f.Add(field, "error.name_characters")
	}
}

package evaluation

import (
	_ "embed"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user is in the evaluation: it decides, through rbac, which
// actions they may take at all.
type Role string

// The four roles (evaluation/README.md §1).
const (
	RoleAdmin       Role = "admin"        // 系统管理员
	RoleCommission  Role = "commission"   // 市科委
	RoleAgencyStaff Role = "agency_staff" // 项目委托管理机构
	RoleExpert      Role = "expert"       // 评审专家
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleCommission, RoleAgencyStaff, RoleExpert}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	return slices.Contains(Roles, r)
}

// Language is a user interface language.
type Language string

// The supported languages; zh-CN is the default.
const (
	LangZH Language = "zh-CN"
	LangEN Language = "en"
)

// Languages lists the supported languages, default first.
var Languages = []Language{LangZH, LangEN}

// Valid reports whether l is one of Languages, spelled exactly.
func (l Language) Valid() bool { return slices.Contains(Languages, l) }

// ParseLanguage returns the supported language named by s, matching loosely
// ("zh", "zh-cn", "en-US"), and false when there is none.
func ParseLanguage(s string) (Language, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_"):
		return LangZH, true
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_"):
		return LangEN, true
	}
	return "", false
}

// Password rules. The minimum follows NIST SP 800-63B for memorised secrets;
// the maximum keeps hashing cost bounded.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// User is an account. Staff belong to an agency (the tenant); experts are
// linked to their profile in the expert pool. Email is where evalpanel
// writes to the account holder ("" for none); an expert is written to at
// the address in their pool profile, and at this one only when the
// profile has none.
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	Name        string    `json:"name"`
	Email       string    `json:"email"`
	Role        Role      `json:"role"`
	AgencyID    int64     `json:"agency_id,omitempty"`
	AgencyCode  string    `json:"agency,omitempty"`
	ExpertID    int64     `json:"expert_id,omitempty"`
	Language    Language  `json:"language"`
	Disabled    bool      `json:"disabled"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	LastLoginAt time.Time `json:"last_login_at,omitzero"`
	// CredentialsVersion moves on whenever the password is changed or
	// reset or the account disabled; a session opened at an older version
	// is over (SessionUser).
	CredentialsVersion int64 `json:"-"`

	PasswordHash string `json:"-"`
	// AgencyDisabled is set when the user's agency is disabled: its staff
	// cannot sign in.
	AgencyDisabled bool `json:"-"`
}

// CanSignIn reports whether the account may be used.
func (u *User) CanSignIn() bool { return !u.Disabled && !u.AgencyDisabled }

// Actor returns the actor that acts as u.
func (u *User) Actor() Actor {
	return Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, AgencyID: u.AgencyID, ExpertID: u.ExpertID}
}

// Actor is who performs a service call. Services take it explicitly and
// enforce object rules (tenant, panel, conflicts, states) against it.
type Actor struct {
	UserID   int64
	Username string
	// Name is the person's name, which records they make show (DisplayName).
	Name     string
	Role     Role
	AgencyID int64
	ExpertID int64
}

// System is the actor for work done by the operator on the command line
// (migrations, `user add`, demo seeding). It has admin rights.
var System = Actor{Username: "system", Role: RoleAdmin}

// DisplayName is the name a record shows of who made it: the person's
// name, or the username of an account without one.
func (a Actor) DisplayName() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// IsAdmin reports whether the actor administers the system.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,31}$`)

// NormalizeUsername returns the canonical form of a username: trimmed and
// lower case, so that "Zhang.Wei" and "zhang.wei" are one account.
func NormalizeUsername(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// NewUser is the input for creating a user.
type NewUser struct {
	Username   string
	Name       string
	Email      string // optional
	Role       Role
	AgencyCode string // required for agency staff, refused for others
	ExpertID   int64  // optional link to the expert pool, experts only
	Language   Language
	Password   string
}

// Validate checks the input on its own; the service checks references.
func (n *NewUser) Validate() error {
	f := FieldErrors{}
	n.Username = NormalizeUsername(n.Username)
	n.Name = strings.TrimSpace(n.Name)
	n.AgencyCode = strings.ToUpper(strings.TrimSpace(n.AgencyCode))
	if !usernamePattern.MatchString(n.Username) {
		f.Add("username", "error.username_format")
	}
	validateName(f, "name", n.Name)
	n.Email = strings.TrimSpace(n.Email)
	validateUserEmail(f, n.Email)
	switch {
	case !n.Role.Valid():
		f.Add("role", "error.role_invalid")
	case n.Role == RoleAgencyStaff && n.AgencyCode == "":
		f.Add("agency", "error.agency_required")
	case n.Role != RoleAgencyStaff && n.AgencyCode != "":
		f.Add("agency", "error.agency_not_allowed")
	case n.Role != RoleExpert && n.ExpertID != 0:
		f.Add("expert_id", "error.expert_not_allowed")
	}
	if n.Language == "" {
		n.Language = LangZH
	} else if !n.Language.Valid() {
		f.Add("language", "error.language_invalid")
	}
	var args map[string]map[string]any
	if msg, a := PasswordProblem(n.Password); msg != "" {
		f.Add("password", msg)
		args = map[string]map[string]any{"password": a}
	}
	return f.ErrWithArgs(args)
}

// UserUpdate changes some attributes of a user; nil fields stay as they are.
type UserUpdate struct {
	Name       *string
	Email      *string // "" removes the address
	Role       *Role
	AgencyCode *string
	Language   *Language
	Disabled   *bool
}

// Validate checks the update on its own.
func (u *UserUpdate) Validate() error {
	f := FieldErrors{}
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		validateName(f, "name", *u.Name)
	}
	if u.Email != nil {
		*u.Email = strings.TrimSpace(*u.Email)
		validateUserEmail(f, *u.Email)
	}
	if u.Role != nil && !u.Role.Valid() {
		f.Add("role", "error.role_invalid")
	}
	if u.Language != nil && !u.Language.Valid() {
		f.Add("language", "error.language_invalid")
	}
	if u.AgencyCode != nil {
		*u.AgencyCode = strings.ToUpper(strings.TrimSpace(*u.AgencyCode))
	}
	return f.Err()
}

// PasswordProblem returns a message ID and the values it shows (the limit
// broken) when the password breaks a rule, or "".
func PasswordProblem(pw string) (string, map[string]any) {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return "error.password_too_short", map[string]any{"Min": MinPasswordLength}
	case n > MaxPasswordLength:
		return "error.password_too_long", map[string]any{"Max": MaxPasswordLength}
	case strings.TrimSpace(pw) == "":
		return "error.password_blank", nil
	case strings.ContainsFunc(pw, unicode.IsControl):
		return "error.password_control", nil
	case guessable(pw):
		return "error.password_common", nil
	}
	return "", nil
}

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords are the passwords of common_passwords.txt.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// guessable reports whether a password long enough is still among the
// first an attacker tries: a common password, one character or a short
// unit repeated ("aaaaaaaaaa", "abcabcabca"), or a run of consecutive
// characters ("abcdefghijk", "9876543210").
func guessable(pw string) bool {
	lower := strings.ToLower(pw)
	if commonPasswords[lower] {
		return true
	}
	rs := []rune(lower)
	for unit := 1; unit <= 4 && unit < len(rs); unit++ {
		repeated := true
		for i := unit; i < len(rs) && repeated; i++ {
			repeated = rs[i] == rs[i-unit]
		}
		if repeated {
			return true
		}
	}
	if len(rs) > 1 {
		step := rs[1] - rs[0]
		run := step == 1 || step == -1
		for i := 2; i < len(rs) && run; i++ {
			run = rs[i]-rs[i-1] == step
		}
		if run {
			return true
		}
	}
	return false
}

func validateUserEmail(f FieldErrors, email string) {
	if email != "" && !validEmail(email) {
		f.Add("email", "error.email_format")
	}
}

func validateName(f FieldErrors, field, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add(field, "error.required")
	case n > 64:
		f.Add(field, "error.too_long")
	case strings.ContainsFunc(name, hiddenInName):
		f.Add(field, "error.name_characters")
	}
}

// hiddenInName reports a character that has no place in a one-line name
// and can make it read other than it is: control characters (newlines
// included), format characters (zero-width spaces and joiners, the bidi
// overrides such as U+202E that reverse what follows), line and paragraph
// separators, and the replacement character of invalid UTF-8.
func hiddenInName(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || r == utf8.RuneError
}

// UserFilter selects users in a list.
type UserFilter struct {
	Query    string // matches username or name
	Role     Role
	AgencyID int64
	Disabled *bool
	Sort     string // "username", "name", "role", "created"; a leading "-" sorts descending
	Page     Page
}

// Page is a 1-based page of a list. A zero Number or Size takes the
// default: the first page, of DefaultPageSize rows.
type Page struct {
	Number int
	Size   int
}

// Page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 200
	// MaxPageNumber bounds the page asked for, keeping the offset far
	// from overflowing.
	MaxPageNumber = 1_000_000
)

// Normalize fills in defaults and clamps the size.
func (p Page) Normalize() Page {
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Size < 1 {
		p.Size = DefaultPageSize
	}
	if p.Size > MaxPageSize {
		p.Size = MaxPageSize
	}
	return p
}

// Offset is the number of rows before the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

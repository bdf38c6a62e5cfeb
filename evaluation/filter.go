package evaluation

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/rubrics"
)

// The lists' filters share one policy: a value that names nothing (an
// unknown role, state or sort key, a page past the end of the range, an
// over-long search) is refused with an Invalid error naming the query
// parameter, never ignored, dropped or widened to the whole list. The zero
// value of every field means "no filter" or the default. The services call
// Validate before they read.

// MaxQueryLength is the longest search text of a list, in characters.
const MaxQueryLength = 100

// Sort keys of the lists; a leading "-" sorts descending.
var (
	UserSorts    = []string{"username", "name", "role", "agency", "created", "login"}
	ExpertSorts  = []string{"name", "type", "institution", "region", "load", "created", "updated"}
	ProjectSorts = []string{"code", "title", "class", "lead", "updated"}
)

// filterProblems collects a filter's problems by query parameter, with the
// values their messages show.
type filterProblems struct {
	fields FieldErrors
	args   map[string]map[string]any
}

func newFilterProblems() *filterProblems {
	return &filterProblems{fields: FieldErrors{}, args: map[string]map[string]any{}}
}

func (p *filterProblems) add(param, msg string, kv ...any) {
	if _, ok := p.fields[param]; ok {
		return
	}
	p.fields.Add(param, msg)
	if len(kv) > 1 {
		a := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			a[kv[i].(string)] = kv[i+1]
		}
		p.args[param] = a
	}
}

func (p *filterProblems) err() error { return p.fields.ErrWithArgs(p.args) }

// query checks a list's search text (the q parameter).
func (p *filterProblems) query(q string) {
	if utf8.RuneCountInString(q) > MaxQueryLength {
		p.add("q", "error.query_too_long", "Max", MaxQueryLength)
	}
}

// sort checks a sort key against the list's keys; empty is the default.
func (p *filterProblems) sort(key string, keys []string) {
	if key != "" && !slices.Contains(keys, strings.TrimPrefix(key, "-")) {
		p.add("sort", "error.sort_invalid")
	}
}

// page checks the page asked for: a size above MaxPageSize or a number past
// MaxPageNumber is refused rather than clamped.
func (p *filterProblems) page(pg Page) {
	if pg.Number < 0 || pg.Number > MaxPageNumber {
		p.add("page", "error.page_range", "Max", MaxPageNumber)
	}
	if pg.Size < 0 || pg.Size > MaxPageSize {
		p.add("per_page", "error.per_page_range", "Max", MaxPageSize)
	}
}

// Validate checks the users list's filter.
func (f *UserFilter) Validate() error {
	p := newFilterProblems()
	p.query(f.Query)
	if f.Role != "" && !f.Role.Valid() {
		p.add("role", "error.role_invalid")
	}
	if f.AgencyID < 0 {
		p.add("agency", "error.agency_unknown")
	}
	p.sort(f.Sort, UserSorts)
	p.page(f.Page)
	return p.err()
}

var subjectPrefixPattern = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9.]{0,6})?$`)

// Validate checks the expert pool list's filter.
func (f *ExpertFilter) Validate() error {
	p := newFilterProblems()
	p.query(f.Query)
	if f.Type != "" && !f.Type.Valid() {
		p.add("type", "error.type_invalid")
	}
	if f.NotType != "" && !f.NotType.Valid() {
		p.add("not_type", "error.type_invalid")
	}
	if f.Region != "" && !f.Region.Valid() {
		p.add("region", "error.region_invalid")
	}
	if f.Subject != "" && !subjectPrefixPattern.MatchString(f.Subject) {
		p.add("subject", "error.subject_prefix_format")
	}
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		p.add("year", "error.year_range")
	}
	p.sort(f.Sort, ExpertSorts)
	p.page(f.Page)
	return p.err()
}

// Validate checks the campaigns list's filter.
func (f *CampaignFilter) Validate() error {
	p := newFilterProblems()
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		p.add("year", "error.year_range")
	}
	if f.State != "" && !f.State.Valid() {
		p.add("state", "error.state_invalid")
	}
	return p.err()
}

// Validate checks a campaign's projects list's filter.
func (f *ProjectFilter) Validate() error {
	p := newFilterProblems()
	p.query(f.Query)
	if f.Class != "" && !f.Class.Valid() {
		p.add("class", "error.class_invalid")
	}
	p.sort(f.Sort, ProjectSorts)
	p.page(f.Page)
	return p.err()
}

var auditActionPattern = regexp.MustCompile(`^[a-z_]{1,32}\.[a-z_]{1,32}$`)

// auditObjectPattern is what an object's id in the audit log looks like.
var auditObjectPattern = regexp.MustCompile(`^[0-9A-Za-z_.:-]{1,64}$`)

// Validate checks the audit log's filter.
func (f *AuditFilter) Validate() error {
	p := newFilterProblems()
	if f.Action != "" && !auditActionPattern.MatchString(f.Action) {
		p.add("action", "error.action_format")
	}
	if f.ObjectType != "" && !slices.Contains(AuditObjectTypes, f.ObjectType) {
		p.add("object_type", "error.object_type_invalid")
	}
	if f.ObjectID != "" && (f.ObjectType == "" || !auditObjectPattern.MatchString(f.ObjectID)) {
		p.add("object_id", "error.object_id_invalid")
	}
	p.page(f.Page)
	return p.err()
}

// Validate checks the rubric versions list's filter.
func (f *RubricFilter) Validate() error {
	p := newFilterProblems()
	if f.Code != "" && !rubrics.ValidCode(f.Code) {
		p.add("code", "error.rubric_code_invalid")
	}
	if f.Target != "" && !f.Target.Valid() {
		p.add("target", "error.rubric_target_invalid")
	}
	if f.Status != "" && !f.Status.Valid() {
		p.add("status", "error.rubric_status_invalid")
	}
	return p.err()
}

// Validate checks the progress monitor's filter.
func (f *ProgressFilter) Validate() error {
	p := newFilterProblems()
	p.page(f.Page)
	return p.err()
}

package evaluation

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Method is an evaluation method (评价方式; evaluation/README.md §2.3).
type Method string

// The methods. Peer review always applies (rule); projects with promotion
// or demonstration requirements get on-site inspection (rule).
const (
	PeerReview    Method = "peer_review"   // 同行评议
	Inspection    Method = "inspection"    // 实地考察
	Testing       Method = "testing"       // 现场测试
	Demonstration Method = "demonstration" // 功能演示
)

// Methods lists the methods.
var Methods = []Method{PeerReview, Inspection, Testing, Demonstration}

// Valid reports whether m is one of Methods.
func (m Method) Valid() bool {
	return slices.Contains(Methods, m)
}

// Member is a member of a project team (项目组成员).
type Member struct {
	Name        string `json:"name"`
	Institution string `json:"institution,omitempty"`
	Role        string `json:"role,omitempty"`
}

// Avoid is an entry of the applicant's list of experts to avoid (申请回避
// 专家): a named person, optionally with the institution, and why.
type Avoid struct {
	Name        string `json:"name"`
	Institution string `json:"institution,omitempty"`
	Reason      string `json:"reason,omitempty"`
}

// Project is a project under evaluation (项目).
type Project struct {
	ID           int64        `json:"id"`
	CampaignID   int64        `json:"campaign_id"`
	AgencyID     int64        `json:"agency_id"`
	Code         string       `json:"code"`
	Title        string       `json:"title"`
	Class        ProjectClass `json:"class"`
	Lead         string       `json:"lead_institution"`
	Participants []string     `json:"participants"`
	PI           Member       `json:"pi"`
	Members      []Member     `json:"members"`
	// Budget and Spent are in yuan cents (分): funds in the contract and
	// in the final accounts (决算).
	Budget       int64    `json:"budget"`
	Spent        int64    `json:"spent"`
	Start        string   `json:"start,omitempty"` // YYYY-MM-DD
	End          string   `json:"end,omitempty"`
	SubjectCodes []string `json:"subject_codes"`
	Keywords     []string `json:"keywords"`
	Methods      []Method `json:"methods"`
	// Promotion marks a project with promotion or demonstration
	// requirements (推广示范要求), which must get an on-site inspection.
	Promotion  bool        `json:"promotion"`
	Avoid      []Avoid     `json:"avoid"`
	Indicators []Indicator `json:"indicators"`
	// PanelID is the panel that evaluates the project, 0 until one is
	// formed; the store sets it, writes ignore it.
	PanelID   int64     `json:"panel_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var (
	projectCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,39}$`)
	subjectCodePattern = regexp.MustCompile(`^[0-9]{3}(\.[0-9]{2}(\.[0-9]{2})?)?$`)
)

// Normalize trims the texts, puts the names of people and institutions in
// NFC (cleanName), sorts out the methods (peer review always; inspection
// when promotion is required) and numbers the indicators.
func (p *Project) Normalize() {
	p.Code = strings.TrimSpace(p.Code)
	p.Title = strings.TrimSpace(p.Title)
	p.Lead = cleanName(p.Lead)
	p.Participants = cleanNames(p.Participants)
	p.SubjectCodes = cleanList(p.SubjectCodes)
	p.Keywords = cleanList(p.Keywords)
	p.PI.Name, p.PI.Institution = cleanName(p.PI.Name), cleanName(p.PI.Institution)
	if p.PI.Institution == "" {
		p.PI.Institution = p.Lead
	}
	for i := range p.Members {
		p.Members[i].Name = cleanName(p.Members[i].Name)
		p.Members[i].Institution = cleanName(p.Members[i].Institution)
	}
	for i := range p.Avoid {
		p.Avoid[i].Name = cleanName(p.Avoid[i].Name)
		p.Avoid[i].Institution = cleanName(p.Avoid[i].Institution)
	}
	// With an unknown method the list stays as sent, so that Validate
	// names the method at the index the caller sent it at.
	if !slices.ContainsFunc(p.Methods, func(m Method) bool { return !m.Valid() }) {
		has := map[Method]bool{PeerReview: true, Inspection: p.Promotion}
		for _, m := range p.Methods {
			has[m] = true
		}
		p.Methods = p.Methods[:0]
		for _, m := range Methods {
			if has[m] {
				p.Methods = append(p.Methods, m)
			}
		}
	}
	for i := range p.Indicators {
		p.Indicators[i].Seq = i + 1
		p.Indicators[i].normalize()
	}
}

// Validate checks a normalised project. Field names are the JSON paths.
func (p *Project) Validate() error {
	f := FieldErrors{}
	if !projectCodePattern.MatchString(p.Code) {
		f.Add("code", "error.project_code_format")
	}
	validateLongName(f, "title", p.Title)
	if !p.Class.Valid() {
		f.Add("class", "error.class_invalid")
	}
	validateLongName(f, "lead_institution", p.Lead)
	validateName(f, "pi.name", p.PI.Name)
	if len(p.Participants) > 30 {
		f.Add("participants", "error.too_many")
	}
	for i, m := range p.Members {
		validateName(f, fmt.Sprintf("members.%d.name", i), m.Name)
	}
	if len(p.Members) > 100 {
		f.Add("members", "error.too_many")
	}
	if p.Budget < 0 || p.Budget > 1e13 {
		f.Add("budget", "error.amount_range")
	}
	if p.Spent < 0 || p.Spent > 1e13 {
		f.Add("spent", "error.amount_range")
	}
	var start, end time.Time
	if p.Start != "" {
		var err error
		if start, err = time.Parse(time.DateOnly, p.Start); err != nil {
			f.Add("start", "error.date_format")
		}
	}
	if p.End != "" {
		var err error
		if end, err = time.Parse(time.DateOnly, p.End); err != nil {
			f.Add("end", "error.date_format")
		}
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		f.Add("end", "error.date_order")
	}
	for i, s := range p.SubjectCodes {
		if !subjectCodePattern.MatchString(s) {
			f.Add(fmt.Sprintf("subject_codes.%d", i), "error.subject_code_format")
		}
	}
	if len(p.SubjectCodes) == 0 {
		f.Add("subject_codes", "error.required")
	}
	if len(p.Keywords) > 20 {
		f.Add("keywords", "error.too_many")
	}
	for i, m := range p.Methods {
		if !m.Valid() {
			f.Add(fmt.Sprintf("methods.%d", i), "error.method_invalid")
		}
	}
	for i, a := range p.Avoid {
		validateName(f, fmt.Sprintf("avoid.%d.name", i), strings.TrimSpace(a.Name))
	}
	if len(p.Avoid) > 10 {
		// The norm lets an applicant name a few experts to avoid, not a pool.
		f.Add("avoid", "error.too_many")
	}
	if len(p.Indicators) > 100 {
		f.Add("indicators", "error.too_many")
	}
	for i := range p.Indicators {
		p.Indicators[i].validate(f, fmt.Sprintf("indicators.%d", i))
	}
	return f.Err()
}

// IndicatorKind is what a contract indicator measures.
type IndicatorKind string

// The kinds of contract indicator (evaluation/README.md §2.2).
const (
	IndicatorTechnical IndicatorKind = "technical"
	IndicatorEconomic  IndicatorKind = "economic"
	IndicatorIP        IndicatorKind = "ip"
	IndicatorTalent    IndicatorKind = "talent"
	IndicatorOther     IndicatorKind = "other"
)

// IndicatorKinds lists the kinds.
var IndicatorKinds = []IndicatorKind{IndicatorTechnical, IndicatorEconomic, IndicatorIP, IndicatorTalent, IndicatorOther}

// IndicatorStatus is how far a contract indicator was met.
type IndicatorStatus string

// The statuses.
const (
	StatusUnknown IndicatorStatus = "unknown"
	StatusMet     IndicatorStatus = "met"
	StatusPartly  IndicatorStatus = "partly"
	StatusNotMet  IndicatorStatus = "not_met"
)

// IndicatorStatuses lists the statuses, unknown first.
var IndicatorStatuses = []IndicatorStatus{StatusUnknown, StatusMet, StatusPartly, StatusNotMet}

// Valid reports whether s is one of IndicatorStatuses.
func (s IndicatorStatus) Valid() bool { return slices.Contains(IndicatorStatuses, s) }

// Direction says which way a numeric target is met.
type Direction string

// The directions: at least (≥) or at most (≤) the target.
const (
	AtLeast Direction = "ge"
	AtMost  Direction = "le"
)

// Target is a contract indicator's target: a number with a unit and a
// direction, or a text.
type Target struct {
	Value     *float64  `json:"value,omitempty"`
	Unit      string    `json:"unit,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	Text      string    `json:"text,omitempty"`
}

// Numeric reports whether the target is a number.
func (t Target) Numeric() bool { return t.Value != nil }

// Actual is what the project reached: a number or a text.
type Actual struct {
	Value *float64 `json:"value,omitempty"`
	Text  string   `json:"text,omitempty"`
}

// Indicator is a contract indicator (任务书考核指标).
type Indicator struct {
	ID       int64           `json:"id"`
	Seq      int             `json:"seq"`
	Name     string          `json:"name"`
	Kind     IndicatorKind   `json:"kind"`
	Main     bool            `json:"main"`
	Target   Target          `json:"target"`
	Actual   Actual          `json:"actual"`
	Evidence string          `json:"evidence,omitempty"`
	Status   IndicatorStatus `json:"status"`
	// StatusFrom says where the status comes from: computed from the
	// numbers, an on-site test, or set by hand for a text target.
	StatusFrom string `json:"status_from"`
}

// PartlyShare is how close a numeric result must come to count as partly
// met: at least 80% of an "at least" target, or at most 125% (the target
// divided by 0.8) of an "at most" one. The norm leaves "partly" to judgement;
// this default is what agencies start from, and an on-site test or the
// agency can still set the status.
const PartlyShare = 0.8

// ComputeStatus returns the status a numeric target and result give, and
// false when the indicator is not numeric or has no result yet.
func (in *Indicator) ComputeStatus() (IndicatorStatus, bool) {
	if in.Target.Value == nil || in.Actual.Value == nil {
		return StatusUnknown, false
	}
	t, a := *in.Target.Value, *in.Actual.Value
	switch in.Target.Direction {
	case AtMost:
		switch {
		case a <= t:
			return StatusMet, true
		case a <= t/PartlyShare:
			return StatusPartly, true
		}
	default:
		switch {
		case a >= t:
			return StatusMet, true
		case a >= t*PartlyShare:
			return StatusPartly, true
		}
	}
	return StatusNotMet, true
}

func (in *Indicator) normalize() {
	in.Name = strings.TrimSpace(in.Name)
	in.Target.Unit = strings.TrimSpace(in.Target.Unit)
	in.Target.Text = strings.TrimSpace(in.Target.Text)
	in.Actual.Text = strings.TrimSpace(in.Actual.Text)
	in.Evidence = strings.TrimSpace(in.Evidence)
	if in.Kind == "" {
		in.Kind = IndicatorTechnical
	}
	if in.Target.Value != nil && in.Target.Direction == "" {
		in.Target.Direction = AtLeast
	}
	if s, ok := in.ComputeStatus(); ok && in.StatusFrom != "test" {
		in.Status, in.StatusFrom = s, "computed"
	}
	if in.Status == "" {
		in.Status = StatusUnknown
	}
	if in.StatusFrom == "" {
		in.StatusFrom = "manual"
	}
}

func (in *Indicator) validate(f FieldErrors, field string) {
	validateLongName(f, field+".name", in.Name)
	switch in.Kind {
	case IndicatorTechnical, IndicatorEconomic, IndicatorIP, IndicatorTalent, IndicatorOther:
	default:
		f.Add(field+".kind", "error.indicator_kind")
	}
	switch {
	case in.Target.Value == nil && in.Target.Text == "":
		f.Add(field+".target", "error.target_required")
	case in.Target.Value != nil && !finite(*in.Target.Value):
		f.Add(field+".target.value", "error.not_finite")
	case in.Target.Value != nil && in.Target.Direction != AtLeast && in.Target.Direction != AtMost:
		f.Add(field+".target.direction", "error.direction_invalid")
	}
	if in.Actual.Value != nil && !finite(*in.Actual.Value) {
		f.Add(field+".actual.value", "error.not_finite")
	}
	if !in.Status.Valid() {
		f.Add(field+".status", "error.status_invalid")
	}
	for _, s := range []struct{ field, v string }{{".target.unit", in.Target.Unit}, {".target.text", in.Target.Text},
		{".actual.text", in.Actual.Text}, {".evidence", in.Evidence}} {
		if utf8.RuneCountInString(s.v) > 2000 {
			f.Add(field+s.field, "error.too_long")
		}
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) < 1e15 }

// ProjectFilter selects projects in a list.
type ProjectFilter struct {
	CampaignID int64
	AgencyID   int64
	Class      ProjectClass
	Query      string // code, title or lead institution
	// Paneled keeps only the projects that have a panel (true) or that
	// have none yet (false); nil keeps both.
	Paneled *bool
	Sort    string
	Page    Page
}

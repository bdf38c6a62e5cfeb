package assign

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DefaultWindow is the number of years before the evaluation year in which
// a collaboration or a declared conflict still counts (evaluation/README.md
// §2.5.2).
const DefaultWindow = 3

// Caps are the eligibility limits of a draw or a match, other than the
// conflicts: load caps (the most projects an expert may review) and the
// subject-code requirement. A cap of 0 means no cap.
type Caps struct {
	// Campaign is the most projects an expert may review in one campaign
	// (default 8); Year the most in one year (default 10); see
	// evaluation/README.md §2.5.1.
	Campaign int `json:"campaign"`
	Year     int `json:"year"`
	// RequireSubject keeps out technical experts who share no subject
	// code with the project (see Checker.Eligibility).
	RequireSubject bool `json:"require_subject"`
}

// Checker applies the conflict-of-interest rules (回避) and the
// eligibility rules to a project and an expert. It is safe for concurrent
// use.
type Checker struct {
	year, window int
	aliases      map[string]string // normalised, chains resolved
}

// NewChecker returns a checker for the rules. A Window of 0 (or less)
// means DefaultWindow years; alias keys and targets are normalised.
func NewChecker(r Rules) *Checker {
	w := r.Window
	if w <= 0 {
		w = DefaultWindow
	}
	return &Checker{year: r.Year, window: w, aliases: normalizedAliases(r.Aliases)}
}

// Rules returns the rules the checker applies, with the window defaulted
// and the aliases normalised.
func (c *Checker) Rules() Rules {
	a := make(map[string]string, len(c.aliases))
	for k, v := range c.aliases {
		a[k] = v
	}
	return Rules{Year: c.year, Window: c.window, Aliases: a}
}

// Canonical is Rules.Canonical with the checker's aliases.
func (c *Checker) Canonical(inst string) string {
	n := NormalizeInstitution(inst)
	if v, ok := c.aliases[n]; ok {
		return v
	}
	return n
}

// SameInstitution is SameInstitution with the checker's aliases.
func (c *Checker) SameInstitution(a, b string) bool {
	return sameCanonical(c.Canonical(a), c.Canonical(b))
}

// inWindow reports whether a record of the year still counts: Year-Window
// ≤ year ≤ Year. A record without a year (0) always counts: nothing shows
// that it is old, and the rules err on the side of avoiding.
func (c *Checker) inWindow(year int) bool {
	return year == 0 || (c.year-c.window <= year && year <= c.year)
}

// projectKeys is a project with its names normalised once.
type projectKeys struct {
	p      *Project
	insts  []roleInst
	people []rolePerson
}

// roleInst is one of a project's institutions and the role it has.
type roleInst struct {
	canon, raw, role string
}

// rolePerson is the PI or a member, with the role.
type rolePerson struct {
	name, inst string // normalised name, canonical institution
	p          *Person
	role       string
}

// The roles named in reason details, and their codes in Reason.Args.
const (
	roleLead        = "lead institution"
	roleParticipant = "participating institution"
	rolePI          = "principal investigator"
	roleMember      = "project member"
)

var roleCode = map[string]string{roleLead: "lead", roleParticipant: "participant", rolePI: "pi", roleMember: "member"}

func (c *Checker) prepareProject(p *Project) *projectKeys {
	pk := &projectKeys{p: p}
	addInst := func(raw, role string) {
		if canon := c.Canonical(raw); canon != "" {
			pk.insts = append(pk.insts, roleInst{canon: canon, raw: raw, role: role})
		}
	}
	addInst(p.Lead, roleLead)
	for _, s := range p.Participants {
		addInst(s, roleParticipant)
	}
	addPerson := func(m *Person, role string) {
		if name := NormalizeName(m.Name); name != "" {
			pk.people = append(pk.people, rolePerson{name: name, inst: c.Canonical(m.Institution), p: m, role: role})
		}
	}
	addPerson(&p.PI, rolePI)
	for i := range p.Members {
		addPerson(&p.Members[i], roleMember)
	}
	return pk
}

// expertKeys is an expert with the names of the records normalised once.
// Records outside the window are left out, except declared conflicts with
// a project, which hold whatever their year.
type expertKeys struct {
	e        *Expert
	name     string // normalised
	inst     string // canonical
	declared []recordKeys
	collabs  []recordKeys
}

// recordKeys is a declared conflict or a collaboration with its person's
// name normalised and its institution canonical.
type recordKeys struct {
	i            int  // index in Expert.Declared or Expert.Collaborations
	inWindow     bool // only declared conflicts are kept outside the window
	person, inst string
	what         string // "declared conflict", "joint paper", …
	kind         string // "declared", "joint_paper", …
}

func (c *Checker) prepareExpert(e *Expert) expertKeys {
	ek := expertKeys{e: e, name: NormalizeName(e.Name), inst: c.Canonical(e.Institution)}
	for i, d := range e.Declared {
		in := c.inWindow(d.Year)
		if !in && d.ProjectID == 0 {
			continue
		}
		ek.declared = append(ek.declared, recordKeys{i: i, inWindow: in, person: NormalizeName(d.Person),
			inst: c.Canonical(d.Institution), what: "declared conflict", kind: "declared"})
	}
	for i, r := range e.Collaborations {
		if c.inWindow(r.Year) {
			what := strings.ReplaceAll(r.Kind, "_", " ")
			if what == "" {
				what = "collaboration"
			}
			kind := r.Kind
			if kind == "" {
				kind = "collaboration"
			}
			ek.collabs = append(ek.collabs, recordKeys{i: i, inWindow: true, person: NormalizeName(r.Person),
				inst: c.Canonical(r.Institution), what: what, kind: kind})
		}
	}
	return ek
}

// Conflicts returns every conflict of interest (回避) between the project
// and the expert, nil when there is none. The rules (evaluation/README.md
// §2.5.2; in full in README.md here, "Conflicts of interest"):
//
//   - ReasonInstitution: the expert's institution is the lead or a
//     participating institution (SameInstitution: normalised, aliases,
//     prefix rule).
//   - ReasonMember: the expert is the PI or a member: same normalised name
//     and same institution; when either side has no institution, the name
//     alone decides (a homonym is kept off rather than a member let on).
//   - ReasonAvoided: the project's avoid list has the expert's id.
//   - ReasonDeclared: the expert declared a conflict with this project (any
//     year), or, within the window, with a person who is the PI or a member
//     (by name) or an institution that is the lead or a participant.
//   - ReasonCollaboration: within the window, a collaboration with a person
//     who is the PI or a member (by name: the record has no institution) or
//     with the lead or a participating institution.
//
// The window is Year-Window ≤ year ≤ Year; a record without a year counts.
// Each Reason's Detail names what matched, as entered ("expert institution
// 复旦大学化学系 matches lead institution 复旦大学"), in neutral English
// that the web layer shows beside the translated code. Reasons come in the
// order above, each once.
func (c *Checker) Conflicts(p *Project, e *Expert) []Reason {
	ek := c.prepareExpert(e)
	return c.conflicts(c.prepareProject(p), &ek)
}

func (c *Checker) conflicts(pk *projectKeys, ek *expertKeys) []Reason {
	var out []Reason
	add := func(code, detail, key string, kv ...string) {
		for _, r := range out {
			if r.Code == code && r.Detail == detail {
				return
			}
		}
		r := Reason{Code: code, Detail: detail, Key: key}
		if len(kv) > 0 {
			r.Args = map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				r.Args[kv[i]] = kv[i+1]
			}
		}
		out = append(out, r)
	}
	p, e := pk.p, ek.e
	for _, pi := range pk.insts {
		if sameCanonical(ek.inst, pi.canon) {
			add(ReasonInstitution, "expert institution "+e.Institution+" matches "+pi.role+" "+pi.raw,
				"institution", "expert_institution", e.Institution, "role", roleCode[pi.role], "institution", pi.raw)
		}
	}
	for _, pp := range pk.people {
		if pp.name == ek.name && (pp.inst == "" || ek.inst == "" || sameCanonical(pp.inst, ek.inst)) {
			add(ReasonMember, "expert "+who(e.Name, e.Institution)+" matches "+pp.role+" "+who(pp.p.Name, pp.p.Institution),
				"member", "expert", who(e.Name, e.Institution), "role", roleCode[pp.role], "person", who(pp.p.Name, pp.p.Institution))
		}
	}
	if slices.Contains(p.AvoidExperts, e.ID) {
		add(ReasonAvoided, "expert is on the applicant's avoid list", "avoided")
	}
	for _, rk := range ek.declared {
		d := &e.Declared[rk.i]
		if d.ProjectID != 0 && d.ProjectID == p.ID {
			add(ReasonDeclared, "declared conflict with project "+p.Code, "declared_project", "project", p.Code)
		}
		if rk.inWindow {
			recordMatches(pk, rk, d.Year, d.Person, d.Institution, ReasonDeclared, add)
		}
	}
	for _, rk := range ek.collabs {
		r := &e.Collaborations[rk.i]
		recordMatches(pk, rk, r.Year, r.Person, r.Institution, ReasonCollaboration, add)
	}
	return out
}

// recordMatches adds a reason for each person and institution of the
// project that a declared conflict or a collaboration names.
func recordMatches(pk *projectKeys, rk recordKeys, year int, person, inst, code string, add func(string, string, string, ...string)) {
	if rk.person != "" {
		for _, pp := range pk.people {
			if pp.name == rk.person {
				add(code, rk.what+" ("+yearText(year)+") with "+person+" matches "+pp.role+" "+who(pp.p.Name, pp.p.Institution),
					"record_person", "what", rk.kind, "year", strconv.Itoa(year), "with", person, "role", roleCode[pp.role],
					"matched", who(pp.p.Name, pp.p.Institution))
			}
		}
	}
	if rk.inst != "" {
		for _, pi := range pk.insts {
			if sameCanonical(rk.inst, pi.canon) {
				add(code, rk.what+" ("+yearText(year)+") with "+inst+" matches "+pi.role+" "+pi.raw,
					"record_institution", "what", rk.kind, "year", strconv.Itoa(year), "with", inst, "role", roleCode[pi.role],
					"matched", pi.raw)
			}
		}
	}
}

func who(name, inst string) string {
	if inst == "" {
		return name
	}
	return name + " (" + inst + ")"
}

func yearText(y int) string {
	if y == 0 {
		return "undated"
	}
	return strconv.Itoa(y)
}

// Eligibility returns the reasons, other than conflicts, that keep the
// expert out of a draw or a match for the project: the can-be-drawn flag
// is off (ReasonNotDrawable); the expert's load plus the projects to add
// goes over a cap (ReasonLoadCampaign, ReasonLoadYear: LoadCampaign +
// projects > Caps.Campaign); or, when Caps.RequireSubject, a technical
// expert shares no subject code with the project (ReasonSubject).
//
// Subject codes match when they are equal or share their first three
// digits, the first-level discipline of the GB/T 13745 codes ("520.20"
// matches "520.40" and "520"); codes that do not start with three digits
// must be equal. Codes are compared after the normalisation of names
// ("520.20" = "52020"). Finance experts review the accounts, not the
// science, so the subject rule does not apply to them.
func (c *Checker) Eligibility(p *Project, e *Expert, caps Caps, projects int) []Reason {
	return eligibility(p.SubjectCodes, e, caps, projects)
}

func eligibility(subjects []string, e *Expert, caps Caps, projects int) []Reason {
	var out []Reason
	if !e.CanBeDrawn {
		out = append(out, Reason{Code: ReasonNotDrawable, Detail: "can-be-drawn flag is off", Key: "not_drawable"})
	}
	load := func(code, what string, have, cap int) Reason {
		return Reason{Code: code, Detail: fmt.Sprintf("%s load %d + %d > cap %d", what, have, projects, cap), Key: code,
			Args: map[string]string{"load": strconv.Itoa(have), "add": strconv.Itoa(projects), "cap": strconv.Itoa(cap)}}
	}
	if caps.Campaign > 0 && e.LoadCampaign+projects > caps.Campaign {
		out = append(out, load(ReasonLoadCampaign, "campaign", e.LoadCampaign, caps.Campaign))
	}
	if caps.Year > 0 && e.LoadYear+projects > caps.Year {
		out = append(out, load(ReasonLoadYear, "year", e.LoadYear, caps.Year))
	}
	if caps.RequireSubject && e.Type != FinanceExpert && !subjectsMatch(subjects, e.SubjectCodes) {
		r := Reason{Code: ReasonSubject}
		switch {
		case len(subjects) == 0:
			r.Detail, r.Key = "project has no subject code", "subject_project_none"
		case len(e.SubjectCodes) == 0:
			r.Detail, r.Key = "expert has no subject code", "subject_expert_none"
		default:
			r.Detail = fmt.Sprintf("no subject code in common: expert %s, project %s",
				strings.Join(e.SubjectCodes, ", "), strings.Join(subjects, ", "))
			r.Key = "subject_mismatch"
			r.Args = map[string]string{"expert": strings.Join(e.SubjectCodes, ", "), "project": strings.Join(subjects, ", ")}
		}
		out = append(out, r)
	}
	return out
}

// Disciplines lists the disciplines of subject codes (the part two codes
// must share for a subject match), for Eligible.
func Disciplines(codes []string) []string {
	var out []string
	for _, code := range codes {
		if d := discipline(code); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// Eligible reports whether Eligibility finds no reason against seating the
// expert for the number of projects, without building the reasons: a
// campaign-wide match asks it for every pair of project and expert, most of
// which fail on the subject. projectDisc and expertDisc are Disciplines of
// the project's and the expert's subject codes.
func Eligible(projectDisc []string, e *Expert, expertDisc []string, caps Caps, projects int) bool {
	if !e.CanBeDrawn || caps.Campaign > 0 && e.LoadCampaign+projects > caps.Campaign ||
		caps.Year > 0 && e.LoadYear+projects > caps.Year {
		return false
	}
	if !caps.RequireSubject || e.Type == FinanceExpert {
		return true
	}
	for _, x := range projectDisc {
		for _, y := range expertDisc {
			if x == y {
				return true
			}
		}
	}
	return false
}

// discipline is the part of a subject code that must be equal for a
// match: the first-level discipline of a code of the national scheme, or
// the whole (folded) code of any other scheme.
func discipline(code string) string {
	c := fold(code)
	if d, ok := firstLevel(c); ok {
		return d
	}
	return c
}

// firstLevel returns the first-level discipline of a folded subject code of
// the national scheme (GB/T 13745: "520.20" is in discipline "520"): its
// first three characters, when they are digits.
func firstLevel(code string) (string, bool) {
	isDigit := func(b byte) bool { return '0' <= b && b <= '9' }
	if len(code) >= 3 && isDigit(code[0]) && isDigit(code[1]) && isDigit(code[2]) {
		return code[:3], true
	}
	return "", false
}

func subjectsMatch(a, b []string) bool {
	for _, x := range a {
		dx := discipline(x)
		if dx == "" {
			continue
		}
		for _, y := range b {
			if discipline(y) == dx {
				return true
			}
		}
	}
	return false
}

package assign

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// PanelRules say how a panel (专家组) is made up: the size of the
// technical group (5, 7 or 9), of the finance group, the alternates (候补)
// of each, the quotas of the technical group (Quota), filled in order, and
// the eligibility caps.
type PanelRules struct {
	Technical         int     `json:"technical"`
	Finance           int     `json:"finance"`
	Alternates        int     `json:"alternates"`
	FinanceAlternates int     `json:"finance_alternates"`
	Quotas            []Quota `json:"quotas,omitempty"`
	Caps              Caps    `json:"caps"`
}

// Group names used in a DrawError or a Shortfall that is not about a quota.
const (
	GroupTechnical         = "technical"
	GroupFinance           = "finance"
	GroupAlternates        = "alternates"
	GroupFinanceAlternates = "finance_alternates"
)

// Validate checks the rules: a technical group of 5, 7 or 9, at least one
// finance expert, no negative count or cap, quotas with a unique name,
// known technical types and minimums that fit in the technical group
// together.
func (pr PanelRules) Validate() error {
	var errs []string
	if pr.Technical != 5 && pr.Technical != 7 && pr.Technical != 9 {
		errs = append(errs, fmt.Sprintf("technical group of %d experts, want 5, 7 or 9", pr.Technical))
	}
	if pr.Finance < 1 {
		errs = append(errs, fmt.Sprintf("finance group of %d experts, want at least 1", pr.Finance))
	}
	if pr.Alternates < 0 || pr.FinanceAlternates < 0 || pr.Caps.Campaign < 0 || pr.Caps.Year < 0 {
		errs = append(errs, "negative alternates or load cap")
	}
	names := map[string]bool{}
	total := 0
	for i, q := range pr.Quotas {
		switch {
		case q.Name == "":
			errs = append(errs, fmt.Sprintf("quota %d has no name", i+1))
		case names[q.Name]:
			errs = append(errs, fmt.Sprintf("quota %q twice", q.Name))
		}
		names[q.Name] = true
		if q.Min < 0 {
			errs = append(errs, fmt.Sprintf("quota %q: negative minimum", q.Name))
		}
		total += q.Min
		if len(q.Types) == 0 {
			errs = append(errs, fmt.Sprintf("quota %q has no expert type", q.Name))
		}
		for _, t := range q.Types {
			switch t {
			case StrategicScientist, DomainExpert, InternationalPeer, Investor, Entrepreneur:
			default:
				errs = append(errs, fmt.Sprintf("quota %q: %q is not a technical expert type", q.Name, t))
			}
		}
	}
	if total > pr.Technical {
		errs = append(errs, fmt.Sprintf("quota minimums add up to %d, more than the %d technical seats", total, pr.Technical))
	}
	if len(errs) > 0 {
		return errors.New("panel rules: " + strings.Join(errs, "; "))
	}
	return nil
}

// DrawInput is everything a draw (随机抽取) depends on; the draw record
// keeps all of it (the pool as its snapshot, see PoolJSON), so that anyone
// can re-run the draw and get the same panel.
type DrawInput struct {
	// Seed is the hex (lower case) of 32 random bytes that the caller made
	// and recorded before the draw.
	Seed string `json:"seed"`
	// Projects share the panel: usually one, or a group of projects
	// reviewed together.
	Projects []Project  `json:"projects"`
	Pool     []Expert   `json:"pool"`
	Rules    Rules      `json:"rules"`
	Panel    PanelRules `json:"panel"`
}

// Exclusion says why an expert of the pool could not be drawn: every
// conflict with every project of the group, then every eligibility reason.
// In a group, each conflict's Detail starts with the project's code.
type Exclusion struct {
	ExpertID int64    `json:"expert_id"`
	Reasons  []Reason `json:"reasons"`
}

// Shortfall reports a soft quota, or a number of alternates, that the
// eligible experts could not fill: Needed seats, Seated filled, out of
// Eligible experts of the quota's types.
type Shortfall struct {
	Quota    string `json:"quota"` // a quota name, GroupAlternates or GroupFinanceAlternates
	Needed   int    `json:"needed"`
	Seated   int    `json:"seated"`
	Eligible int    `json:"eligible"`
}

// DrawResult is a drawn panel: the expert ids of the technical group (in
// the order they were drawn: quotas first), of the finance group, and of
// the alternates in the order they are called up; the excluded experts
// sorted by id; the shortfalls; and the hash of the pool (PoolHash). Empty
// lists are nil, so that a result survives a JSON round trip unchanged.
type DrawResult struct {
	Technical         []int64     `json:"technical,omitempty"`
	Finance           []int64     `json:"finance,omitempty"`
	Alternates        []int64     `json:"alternates,omitempty"`
	FinanceAlternates []int64     `json:"finance_alternates,omitempty"`
	Excluded          []Exclusion `json:"excluded,omitempty"`
	Shortfalls        []Shortfall `json:"shortfalls,omitempty"`
	PoolHash          string      `json:"pool_hash"`
	// Deferred lists the eligible experts placed after the others
	// (Expert.Deferred), by id, with why.
	Deferred []DeferredExpert `json:"deferred,omitempty"`
}

// DrawError says why a panel cannot be drawn, or a declined seat cannot be
// refilled (Declined is then set): which group or quota, how many seats it
// needs, and how many eligible experts (for Replace: eligible alternates)
// of its types there are. Other errors of Draw and Replace are invalid
// input.
type DrawError struct {
	Projects []string `json:"projects"`
	Quota    string   `json:"quota"` // a quota name, GroupTechnical or GroupFinance
	Types    []string `json:"types,omitempty"`
	Needed   int      `json:"needed"`
	Eligible int      `json:"eligible"`
	Declined int64    `json:"declined,omitempty"`
}

// Error says what cannot be filled, for logs; the web layer builds its
// message from the fields.
func (e *DrawError) Error() string {
	var b strings.Builder
	if e.Declined != 0 {
		fmt.Fprintf(&b, "replace expert %d on %s: ", e.Declined, strings.Join(e.Projects, ","))
	} else {
		fmt.Fprintf(&b, "draw %s: ", strings.Join(e.Projects, ","))
	}
	switch e.Quota {
	case GroupTechnical:
		fmt.Fprintf(&b, "technical group needs %d experts", e.Needed)
	case GroupFinance:
		fmt.Fprintf(&b, "finance group needs %d %s", e.Needed, FinanceExpert)
	default:
		fmt.Fprintf(&b, "quota %q needs %d of %s", e.Quota, e.Needed, strings.Join(e.Types, "/"))
	}
	if e.Declined != 0 {
		fmt.Fprintf(&b, ", %d eligible alternates can keep it", e.Eligible)
	} else {
		fmt.Fprintf(&b, ", %d eligible", e.Eligible)
	}
	return b.String()
}

// DrawKey returns the rank of an expert in a draw: the lower-case hex of
// SHA-256 over the UTF-8 bytes of
//
//	seed + ":" + codes + ":" + id
//
// where codes are the group's project codes sorted in ascending byte order
// and joined by ",", and id is the expert id in decimal without leading
// zeros. Experts are drawn in ascending key order.
func DrawKey(seed string, codes []string, id int64) string {
	c := slices.Clone(codes)
	slices.Sort(c)
	return drawKey(seed, strings.Join(c, ","), id)
}

func drawKey(seed, codes string, id int64) string {
	sum := sha256.Sum256([]byte(seed + ":" + codes + ":" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(sum[:])
}

// PoolJSON returns the canonical snapshot of a pool: the JSON array of the
// experts sorted by id, each object with the fields of Expert in their
// declared order and the empty optional ones left out, without any
// whitespace, in UTF-8, with <, > and & not escaped. The draw record keeps
// these bytes as the pool snapshot.
func PoolJSON(pool []Expert) []byte {
	sorted := slices.Clone(pool)
	slices.SortStableFunc(sorted, func(a, b Expert) int { return cmp.Compare(a.ID, b.ID) })
	if sorted == nil {
		sorted = []Expert{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sorted); err != nil {
		// Expert has only strings, numbers, booleans and slices of them.
		panic("assign: encode pool: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// PoolHash returns the lower-case hex of SHA-256 over PoolJSON(pool): it
// covers every field of every expert the draw could look at, and does not
// depend on the order of the pool.
func PoolHash(pool []Expert) string {
	sum := sha256.Sum256(PoolJSON(pool))
	return hex.EncodeToString(sum[:])
}

// candidate is an eligible expert with the draw key.
type candidate struct {
	e   *Expert
	key string
}

// drawState is the eligibility of the pool for a group.
type drawState struct {
	codes     []string // sorted
	excluded  []Exclusion
	tech, fin []candidate // eligible, in key order
	byID      map[int64]*Expert
	eligible  map[int64]bool
}

// evaluate validates the input and sorts the pool into excluded experts
// and ranked candidates.
func evaluate(in DrawInput) (*drawState, error) {
	if len(in.Projects) == 0 {
		return nil, errors.New("draw: no project")
	}
	if err := in.Panel.Validate(); err != nil {
		return nil, fmt.Errorf("draw: %w", err)
	}
	st := &drawState{byID: make(map[int64]*Expert, len(in.Pool)), eligible: map[int64]bool{}}
	for _, p := range in.Projects {
		if p.Code == "" {
			return nil, fmt.Errorf("draw: project %d has no code", p.ID)
		}
		if slices.Contains(st.codes, p.Code) {
			return nil, fmt.Errorf("draw: project %s twice", p.Code)
		}
		st.codes = append(st.codes, p.Code)
	}
	slices.Sort(st.codes)
	codes := strings.Join(st.codes, ",")
	c := NewChecker(in.Rules)
	// The projects in code order, so that the reasons do not depend on
	// the order of in.Projects.
	pks := make([]*projectKeys, len(in.Projects))
	for i := range in.Projects {
		pks[i] = c.prepareProject(&in.Projects[i])
	}
	slices.SortFunc(pks, func(a, b *projectKeys) int { return strings.Compare(a.p.Code, b.p.Code) })
	var subjects []string
	for _, pk := range pks {
		for _, s := range pk.p.SubjectCodes {
			if !slices.Contains(subjects, s) {
				subjects = append(subjects, s)
			}
		}
	}
	pool := make([]*Expert, len(in.Pool))
	for i := range in.Pool {
		e := &in.Pool[i]
		if st.byID[e.ID] != nil {
			return nil, fmt.Errorf("draw: expert %d twice in the pool", e.ID)
		}
		st.byID[e.ID] = e
		pool[i] = e
	}
	slices.SortFunc(pool, func(a, b *Expert) int { return cmp.Compare(a.ID, b.ID) })
	group := len(in.Projects) > 1
	for _, e := range pool {
		ek := c.prepareExpert(e)
		var reasons []Reason
		for _, pk := range pks {
			for _, r := range c.conflicts(pk, &ek) {
				if group {
					r.Detail = pk.p.Code + ": " + r.Detail
				}
				reasons = append(reasons, r)
			}
		}
		reasons = append(reasons, eligibility(subjects, e, in.Panel.Caps, len(in.Projects))...)
		if len(reasons) > 0 {
			st.excluded = append(st.excluded, Exclusion{ExpertID: e.ID, Reasons: reasons})
			continue
		}
		st.eligible[e.ID] = true
		cd := candidate{e: e, key: drawKey(in.Seed, codes, e.ID)}
		if e.Type == FinanceExpert {
			st.fin = append(st.fin, cd)
		} else {
			st.tech = append(st.tech, cd)
		}
	}
	// Deferred experts come after all the others (a preference tier), each
	// tier in key order.
	deferred := func(c candidate) int {
		if c.e.Deferred != nil {
			return 1
		}
		return 0
	}
	byKey := func(a, b candidate) int {
		return cmp.Or(cmp.Compare(deferred(a), deferred(b)), strings.Compare(a.key, b.key), cmp.Compare(a.e.ID, b.e.ID))
	}
	slices.SortFunc(st.tech, byKey)
	slices.SortFunc(st.fin, byKey)
	return st, nil
}

// Draw draws a panel for a group of projects (README.md in this folder
// has the procedure for auditors):
//
//  1. Eligible experts have no conflict with any project of the group
//     (Checker.Conflicts), can be drawn, stay within the load caps with
//     len(Projects) more projects, and, when the caps require it, share a
//     subject code with some project of the group (Checker.Eligibility).
//     The others are the result's Excluded, by id, with every reason
//     (the group's projects taken in code order). Finance experts are the
//     finance candidates; all others are technical candidates. Each list
//     is ranked by DrawKey, ascending, except that the experts whose
//     records defer them (Expert.Deferred) come after all the others,
//     ranked among themselves by DrawKey: a preference, never an
//     exclusion. The result lists them in Deferred with their reasons.
//  2. Each quota in order: while fewer than Min of the seated experts are
//     of its types, seat the first candidate of its types not yet seated.
//     A hard quota with fewer than Min eligible experts of its types is a
//     *DrawError; a soft one takes them all and reports a Shortfall.
//  3. The remaining technical seats go to the first technical candidates
//     not yet seated, the finance seats to the first finance candidates;
//     too few is a *DrawError.
//  4. The alternates are the next technical candidates not seated, in key
//     order, then the next finance candidates; fewer than asked for is a
//     Shortfall, not an error.
func Draw(in DrawInput) (DrawResult, error) {
	if len(in.Seed) != 64 || strings.Trim(in.Seed, "0123456789abcdef") != "" {
		return DrawResult{}, errors.New("draw: the seed must be 64 lower-case hex digits (32 bytes)")
	}
	st, err := evaluate(in)
	if err != nil {
		return DrawResult{}, err
	}
	res := DrawResult{Excluded: st.excluded, PoolHash: PoolHash(in.Pool)}
	for _, cds := range [][]candidate{st.tech, st.fin} {
		for _, cd := range cds {
			if cd.e.Deferred != nil {
				res.Deferred = append(res.Deferred, DeferredExpert{ExpertID: cd.e.ID, Reason: *cd.e.Deferred})
			}
		}
	}
	slices.SortFunc(res.Deferred, func(a, b DeferredExpert) int { return cmp.Compare(a.ExpertID, b.ExpertID) })
	pr := in.Panel
	seated := map[int64]bool{}
	seat := func(e *Expert) {
		res.Technical = append(res.Technical, e.ID)
		seated[e.ID] = true
	}
	types := map[int64]string{}
	for _, cd := range st.tech {
		types[cd.e.ID] = cd.e.Type
	}
	for _, q := range pr.Quotas {
		have := countTypes(res.Technical, types, q.Types)
		eligible := 0
		for _, cd := range st.tech {
			if !slices.Contains(q.Types, cd.e.Type) {
				continue
			}
			eligible++
			if have < q.Min && !seated[cd.e.ID] {
				seat(cd.e)
				have++
			}
		}
		if have < q.Min {
			if !q.Soft {
				return DrawResult{}, &DrawError{Projects: st.codes, Quota: q.Name, Types: q.Types, Needed: q.Min, Eligible: eligible}
			}
			res.Shortfalls = append(res.Shortfalls, Shortfall{Quota: q.Name, Needed: q.Min, Seated: have, Eligible: eligible})
		}
	}
	for _, cd := range st.tech {
		if len(res.Technical) == pr.Technical {
			break
		}
		if !seated[cd.e.ID] {
			seat(cd.e)
		}
	}
	if len(res.Technical) < pr.Technical {
		return DrawResult{}, &DrawError{Projects: st.codes, Quota: GroupTechnical, Needed: pr.Technical, Eligible: len(st.tech)}
	}
	if len(st.fin) < pr.Finance {
		return DrawResult{}, &DrawError{Projects: st.codes, Quota: GroupFinance, Types: []string{FinanceExpert}, Needed: pr.Finance, Eligible: len(st.fin)}
	}
	for _, cd := range st.fin[:pr.Finance] {
		res.Finance = append(res.Finance, cd.e.ID)
	}
	for _, cd := range st.tech {
		if len(res.Alternates) == pr.Alternates {
			break
		}
		if !seated[cd.e.ID] {
			res.Alternates = append(res.Alternates, cd.e.ID)
		}
	}
	if len(res.Alternates) < pr.Alternates {
		res.Shortfalls = append(res.Shortfalls, Shortfall{Quota: GroupAlternates, Needed: pr.Alternates,
			Seated: len(res.Alternates), Eligible: len(st.tech) - len(res.Technical)})
	}
	for _, cd := range st.fin[pr.Finance:] {
		if len(res.FinanceAlternates) == pr.FinanceAlternates {
			break
		}
		res.FinanceAlternates = append(res.FinanceAlternates, cd.e.ID)
	}
	if len(res.FinanceAlternates) < pr.FinanceAlternates {
		res.Shortfalls = append(res.Shortfalls, Shortfall{Quota: GroupFinanceAlternates, Needed: pr.FinanceAlternates,
			Seated: len(res.FinanceAlternates), Eligible: len(st.fin) - len(res.Finance)})
	}
	return res, nil
}

// Excluded returns the experts of the pool that a draw with this input
// keeps out, each with every reason, exactly as Draw's result lists them
// (step 1 of Draw; the seed plays no part). The campaign-wide match keeps
// the same experts out of each project's panel (the project alone, with
// its class's panel rules), so a matched panel's exclusions are Excluded
// of that project and the match record's pool.
func Excluded(in DrawInput) ([]Exclusion, error) {
	st, err := evaluate(in)
	if err != nil {
		return nil, err
	}
	return st.excluded, nil
}

// countTypes counts the experts of ids whose type is one of want.
func countTypes(ids []int64, types map[int64]string, want []string) int {
	n := 0
	for _, id := range ids {
		if t, ok := types[id]; ok && slices.Contains(want, t) {
			n++
		}
	}
	return n
}

// Replace refills the seat of an expert who declined (evaluation/README.md
// §2.5.5: a decline calls up the next alternate). For a technical seat, the
// first alternate in order who is still eligible under in (the pool and rules
// as they are now: a new conflict or load counts) and with whom every hard
// quota that held still holds takes the seat, at the same position; for a
// finance seat, the first eligible finance alternate. The alternates
// passed over stay where they are. An alternate who declines is only
// removed. When no alternate fits, the error is a *DrawError naming the
// quota (or group) that would break. Soft-quota shortfalls are recomputed
// for the new panel; Excluded and PoolHash stay those of the draw; in and
// res are not modified, and in.Seed is not used: who takes the seat
// follows from the alternates' order, not from a new lottery.
func Replace(in DrawInput, res DrawResult, declined int64) (DrawResult, error) {
	st, err := evaluate(in)
	if err != nil {
		return DrawResult{}, err
	}
	out := res
	out.Technical = slices.Clone(res.Technical)
	out.Finance = slices.Clone(res.Finance)
	out.Alternates = slices.Clone(res.Alternates)
	out.FinanceAlternates = slices.Clone(res.FinanceAlternates)
	typeOf := func(id int64) string {
		if e := st.byID[id]; e != nil {
			return e.Type
		}
		return ""
	}
	types := map[int64]string{}
	for _, l := range [][]int64{out.Technical, out.Finance, out.Alternates, out.FinanceAlternates} {
		for _, id := range l {
			types[id] = typeOf(id)
		}
	}
	if i := slices.Index(out.Technical, declined); i >= 0 {
		rest := slices.Delete(slices.Clone(out.Technical), i, i+1)
		var broken []Quota
		for _, q := range in.Panel.Quotas {
			if !q.Soft && slices.Contains(q.Types, types[declined]) && countTypes(rest, types, q.Types) < q.Min {
				broken = append(broken, q)
			}
		}
		fits := func(id int64) bool {
			for _, q := range broken {
				if !slices.Contains(q.Types, types[id]) {
					return false
				}
			}
			return true
		}
		k := slices.IndexFunc(out.Alternates, func(id int64) bool { return st.eligible[id] && fits(id) })
		if k < 0 {
			derr := &DrawError{Projects: st.codes, Quota: GroupTechnical, Needed: in.Panel.Technical, Declined: declined}
			if len(broken) > 0 {
				q := broken[0]
				derr.Quota, derr.Types, derr.Needed = q.Name, q.Types, q.Min
				for _, id := range out.Alternates {
					if st.eligible[id] && slices.Contains(q.Types, types[id]) {
						derr.Eligible++
					}
				}
			}
			return DrawResult{}, derr
		}
		out.Technical[i] = out.Alternates[k]
		out.Alternates = slices.Delete(out.Alternates, k, k+1)
	} else if i := slices.Index(out.Finance, declined); i >= 0 {
		k := slices.IndexFunc(out.FinanceAlternates, func(id int64) bool { return st.eligible[id] })
		if k < 0 {
			return DrawResult{}, &DrawError{Projects: st.codes, Quota: GroupFinance, Types: []string{FinanceExpert},
				Needed: in.Panel.Finance, Declined: declined}
		}
		out.Finance[i] = out.FinanceAlternates[k]
		out.FinanceAlternates = slices.Delete(out.FinanceAlternates, k, k+1)
	} else if i := slices.Index(out.Alternates, declined); i >= 0 {
		out.Alternates = slices.Delete(out.Alternates, i, i+1)
	} else if i := slices.Index(out.FinanceAlternates, declined); i >= 0 {
		out.FinanceAlternates = slices.Delete(out.FinanceAlternates, i, i+1)
	} else {
		return DrawResult{}, fmt.Errorf("replace: expert %d is not on the panel of %s", declined, strings.Join(st.codes, ","))
	}
	// Soft-quota shortfalls follow the new panel; the others are the draw's.
	soft := map[string]bool{}
	for _, q := range in.Panel.Quotas {
		if q.Soft {
			soft[q.Name] = true
		}
	}
	out.Shortfalls = slices.DeleteFunc(slices.Clone(res.Shortfalls), func(s Shortfall) bool { return soft[s.Quota] })
	var quotaShort []Shortfall
	for _, q := range in.Panel.Quotas {
		if !q.Soft {
			continue
		}
		have := countTypes(out.Technical, types, q.Types)
		if have >= q.Min {
			continue
		}
		eligible := 0
		for _, cd := range st.tech {
			if cd.e.ID != declined && slices.Contains(q.Types, cd.e.Type) {
				eligible++
			}
		}
		quotaShort = append(quotaShort, Shortfall{Quota: q.Name, Needed: q.Min, Seated: have, Eligible: eligible})
	}
	out.Shortfalls = append(quotaShort, out.Shortfalls...)
	for _, l := range []*[]int64{&out.Technical, &out.Finance, &out.Alternates, &out.FinanceAlternates} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	if len(out.Shortfalls) == 0 {
		out.Shortfalls = nil
	}
	return out, nil
}

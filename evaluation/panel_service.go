package evaluation

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// PanelService forms the expert panels (专家组): draws, campaign-wide
// matching, manual changes with their checks, the chair, invitations and
// the answers to them.
type PanelService struct {
	*core
	store panelStore
}

func (s *PanelService) inTx(ctx context.Context, fn func(tx panelTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// The panel rules of a campaign, in assign's terms.
func assignRules(c *Campaign, aliases map[string]string) assign.Rules {
	return assign.Rules{Year: c.Year, Window: c.Settings.CollaborationWindow, Aliases: aliases}
}

func assignPanelRules(c *Campaign, class ProjectClass) assign.PanelRules {
	pr := c.Settings.Panels[class]
	out := assign.PanelRules{Technical: pr.Technical, Finance: pr.Finance, Alternates: pr.Alternates, FinanceAlternates: 1,
		Caps: assign.Caps{Campaign: c.Settings.LoadCampaign, Year: c.Settings.LoadYear, RequireSubject: pr.RequireSubject}}
	for _, q := range pr.Quotas {
		q.Types = slices.Clone(q.Types)
		out.Quotas = append(out.Quotas, q)
	}
	return out
}

func assignExpert(pe *PoolExpert) assign.Expert {
	e := assign.Expert{ID: pe.ID, Name: pe.Name, Type: string(pe.Type), Institution: pe.Institution, Region: string(pe.Region),
		SubjectCodes: pe.SubjectCodes, Keywords: pe.Keywords, CanBeDrawn: pe.CanBeDrawn,
		LoadCampaign: pe.LoadCampaign, LoadYear: pe.LoadYear}
	for _, d := range pe.Declared {
		e.Declared = append(e.Declared, assign.DeclaredConflict{ProjectID: d.ProjectID, Person: d.Person, Institution: d.Institution, Year: d.Year})
	}
	for _, c := range pe.Collaborations {
		e.Collaborations = append(e.Collaborations, assign.Collaboration{Kind: string(c.Kind), Person: c.Person, Institution: c.Institution, Year: c.Year})
	}
	return e
}

// poolNames indexes a pool by normalised expert name, in pool order, for
// resolving applicants' avoid lists without normalising the whole pool
// once per entry.
type poolNames map[string][]*assign.Expert

func namesOf(pool []assign.Expert) poolNames {
	m := make(poolNames, len(pool))
	for i := range pool {
		n := assign.NormalizeName(pool[i].Name)
		m[n] = append(m[n], &pool[i])
	}
	return m
}

// assignProject converts a project, resolving its avoid list against the
// pool: an entry names an expert when the normalised names are equal and,
// if the entry gives an institution, the institutions are the same.
func assignProject(p *Project, pool poolNames, checker *assign.Checker) assign.Project {
	out := assign.Project{ID: p.ID, Code: p.Code, Class: string(p.Class), Lead: p.Lead, Participants: p.Participants,
		PI: assign.Person{Name: p.PI.Name, Institution: p.PI.Institution}, SubjectCodes: p.SubjectCodes, Keywords: p.Keywords}
	for _, m := range p.Members {
		out.Members = append(out.Members, assign.Person{Name: m.Name, Institution: m.Institution})
	}
	for _, a := range p.Avoid {
		for _, e := range pool[assign.NormalizeName(a.Name)] {
			if a.Institution == "" || checker.SameInstitution(a.Institution, e.Institution) {
				out.AvoidExperts = append(out.AvoidExperts, e.ID)
			}
		}
	}
	return out
}

// expertConflicts checks one expert against projects with the campaign's
// conflict rules and today's records. Avoid lists name experts of the
// pool; against a pool of this expert alone they resolve to this expert or
// to nobody, as they would against the whole pool.
func expertConflicts(ctx context.Context, r conflictReader, c *Campaign, expertID int64, projects []*Project) ([]assign.Reason, error) {
	pe, err := poolExpert(ctx, r, expertID)
	if err != nil {
		return nil, err
	}
	aliases, err := r.Aliases(ctx)
	if err != nil {
		return nil, err
	}
	checker := assign.NewChecker(assignRules(c, aliases))
	ae := assignExpert(pe)
	names := namesOf([]assign.Expert{ae})
	var out []assign.Reason
	for _, p := range projects {
		ap := assignProject(p, names, checker)
		out = append(out, checker.Conflicts(&ap, &ae)...)
	}
	return out, nil
}

// newSeed returns 32 random bytes in lower-case hex, the form draws take.
func newSeed() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// drawRecordInput is what a draw record stores as its input: the draw's
// input with the pool kept as the exact canonical bytes its hash covers.
type drawRecordInput struct {
	Seed     string            `json:"seed"`
	Projects []assign.Project  `json:"projects"`
	Pool     json.RawMessage   `json:"pool"`
	Rules    assign.Rules      `json:"rules"`
	Panel    assign.PanelRules `json:"panel"`
}

// canSeePanels: panels belong to their campaign's agency; the commission
// and admins read them.
func (s *PanelService) panelCampaign(ctx context.Context, r campaignGetter, actor Actor, campaignID int64, write bool) (*Campaign, error) {
	c, err := loadCampaign(ctx, r, actor, campaignID)
	if err != nil {
		return nil, err
	}
	if write {
		if !CanManageCampaign(actor, c) {
			return nil, ErrForbidden
		}
		if !PanelsOpen(c) {
			return nil, Errorf(Conflict, "error.panels_locked")
		}
	}
	return c, nil
}

// panelContext is what forming a panel needs: the campaign, its pool (in
// assign's terms), the conflict checker.
type panelContext struct {
	campaign *Campaign
	pool     []assign.Expert
	names    poolNames
	byID     map[int64]*PoolExpert
	rules    assign.Rules
	checker  *assign.Checker
}

func (s *PanelService) loadPanelContext(ctx context.Context, tx panelStore, c *Campaign) (*panelContext, error) {
	return poolContext(ctx, tx, c)
}

// poolSource reads the pool as forming a panel sees it.
type poolSource interface {
	PoolRecords(ctx context.Context, campaignID int64, year int) ([]*PoolExpert, error)
	// ExpertRecordSummaries sums the experts' records of closed
	// campaigns, for the draws' soft preference (DeferralOf).
	ExpertRecordSummaries(ctx context.Context, f ExpertRecordFilter) ([]*ExpertRecordSummary, int, error)
	Aliases(ctx context.Context) (map[string]string, error)
}

// poolContext loads the campaign's pool, in assign's terms, and its
// conflict checker.
func poolContext(ctx context.Context, tx poolSource, c *Campaign) (*panelContext, error) {
	records, err := tx.PoolRecords(ctx, c.ID, c.Year)
	if err != nil {
		return nil, err
	}
	aliases, err := tx.Aliases(ctx)
	if err != nil {
		return nil, err
	}
	deferrals, err := poolDeferrals(ctx, tx)
	if err != nil {
		return nil, err
	}
	pc := &panelContext{campaign: c, byID: map[int64]*PoolExpert{}, rules: assignRules(c, aliases)}
	pc.checker = assign.NewChecker(pc.rules)
	for _, r := range records {
		e := assignExpert(r)
		e.Deferred = deferrals[r.ID]
		pc.pool = append(pc.pool, e)
		pc.byID[r.ID] = r
	}
	pc.names = namesOf(pc.pool)
	return pc, nil
}

// DrawPanel draws a panel for one project or a group of projects of the
// same class, reproducibly (see evaluation/assign/README.md), and keeps
// the draw record. An empty seed gets a fresh random one.
func (s *PanelService) DrawPanel(ctx context.Context, actor Actor, campaignID int64, projectIDs []int64, seed string) (*Panel, error) {
	if seed == "" {
		var err error
		if seed, err = newSeed(); err != nil {
			return nil, err
		}
	}
	if len(projectIDs) == 0 {
		return nil, FieldErrors{"projects": "error.required"}.Err()
	}
	var panelID int64
	err := s.inTx(ctx, func(tx panelTx) error {
		c, err := s.panelCampaign(ctx, tx, actor, campaignID, true)
		if err != nil {
			return err
		}
		pc, err := s.loadPanelContext(ctx, tx, c)
		if err != nil {
			return err
		}
		var projects []*Project
		seen := map[int64]bool{}
		for _, id := range projectIDs {
			// A project named twice would be seated twice on one panel.
			if seen[id] {
				return FieldErrors{"projects": "error.project_repeated"}.Err()
			}
			seen[id] = true
			p, err := tx.Project(ctx, id)
			if err != nil {
				return fieldNotFound(err, "projects", "error.project_unknown")
			}
			if p.CampaignID != c.ID {
				return FieldErrors{"projects": "error.project_unknown"}.Err()
			}
			if _, err := tx.PanelOfProject(ctx, id); err == nil {
				return &Error{Code: Conflict, Message: "error.project_has_panel", Fields: map[string]string{"projects": "error.project_has_panel"}}
			} else if ErrorCode(err) != NotFound {
				return err
			}
			if len(projects) > 0 && p.Class != projects[0].Class {
				return FieldErrors{"projects": "error.group_mixed_classes"}.Err()
			}
			projects = append(projects, p)
		}
		in := assign.DrawInput{Seed: seed, Pool: pc.pool, Rules: pc.rules, Panel: assignPanelRules(c, projects[0].Class)}
		for _, p := range projects {
			in.Projects = append(in.Projects, assignProject(p, pc.names, pc.checker))
		}
		res, err := assign.Draw(in)
		if err != nil {
			return drawProblem(err)
		}
		p, err := s.createPanel(ctx, tx, actor, c, projects, "draw", res.Technical, res.Finance, res.Alternates, res.FinanceAlternates)
		if err != nil {
			return err
		}
		panelID = p.ID
		rec, err := drawRecordOf(in, res, c, p.ID, actor, s.now())
		if err != nil {
			return err
		}
		if err := tx.CreateDrawRecord(ctx, rec); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.draw", ObjectType: "panel", ObjectID: idString(p.ID),
			AgencyID: c.AgencyID, Details: map[string]any{"draw": rec.ID, "campaign": c.ID, "seed": seed, "pool_hash": res.PoolHash,
				"projects": projectIDs, "technical": res.Technical, "finance": res.Finance}})
	})
	if err != nil {
		return nil, err
	}
	return s.Panel(ctx, actor, panelID)
}

// drawProblem explains a draw that cannot be made: which quota, how many
// needed, how many eligible.
func drawProblem(err error) error {
	var de *assign.DrawError
	if errors.As(err, &de) {
		return &Error{Code: Conflict, Message: "error.draw_infeasible",
			Fields: map[string]string{"projects": "error.draw_infeasible"},
			Args: map[string]map[string]any{"projects": {"Quota": de.Quota, "Needed": de.Needed, "Eligible": de.Eligible,
				"Projects": strings.Join(de.Projects, ", ")}}, Err: err}
	}
	return err
}

func drawRecordOf(in assign.DrawInput, res assign.DrawResult, c *Campaign, panelID int64, actor Actor, at time.Time) (*DrawRecord, error) {
	input, err := json.Marshal(drawRecordInput{Seed: in.Seed, Projects: in.Projects, Pool: assign.PoolJSON(in.Pool),
		Rules: in.Rules, Panel: in.Panel})
	if err != nil {
		return nil, fmt.Errorf("encode draw input: %w", err)
	}
	result, err := json.Marshal(res)
	if err != nil {
		return nil, fmt.Errorf("encode draw result: %w", err)
	}
	return &DrawRecord{CampaignID: c.ID, AgencyID: c.AgencyID, PanelID: panelID, Kind: "draw", Seed: in.Seed,
		Input: string(input), PoolHash: res.PoolHash, Result: string(result), CreatedBy: actor.UserID, CreatedAt: at}, nil
}

// createPanel stores a panel with its seats and alternates. The chair is
// the first technical member who is a strategic scientist or a domain
// expert (else the first technical member); staff may change it.
func (s *PanelService) createPanel(ctx context.Context, tx panelTx, actor Actor, c *Campaign, projects []*Project, source string,
	technical, finance, alternates, financeAlternates []int64) (*Panel, error) {
	now := s.now()
	codes := make([]string, len(projects))
	ids := make([]int64, len(projects))
	for i, p := range projects {
		codes[i], ids[i] = p.Code, p.ID
	}
	p := &Panel{CampaignID: c.ID, AgencyID: c.AgencyID, Name: strings.Join(codes, " · "), State: PanelForming,
		ProjectIDs: ids, CreatedAt: now, UpdatedAt: now}
	if err := tx.CreatePanel(ctx, p); err != nil {
		return nil, err
	}
	chair := int64(0)
	for _, id := range technical {
		e, err := tx.Expert(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("chair of panel %d: %w", p.ID, err)
		}
		if e.Type == StrategicScientist || e.Type == DomainExpert {
			chair = id
			break
		}
	}
	if chair == 0 && len(technical) > 0 {
		chair = technical[0]
	}
	var members []*PanelMember
	for _, step := range []struct {
		ids    []int64
		seat   Seat
		status MemberStatus
	}{{technical, SeatTechnical, MemberProposed}, {finance, SeatFinance, MemberProposed},
		{alternates, SeatTechnical, MemberAlternate}, {financeAlternates, SeatFinance, MemberAlternate}} {
		for i, id := range step.ids {
			m := &PanelMember{PanelID: p.ID, ExpertID: id, Seat: step.seat, Status: step.status, Source: source, CreatedAt: now,
				Chair: step.status == MemberProposed && id == chair}
			if step.status == MemberAlternate {
				m.AlternateRank = i + 1
			}
			members = append(members, m)
		}
	}
	if err := tx.AddPanelMembers(ctx, members); err != nil {
		return nil, err
	}
	return p, nil
}

// Panel returns a panel if the actor may see its campaign.
func (s *PanelService) Panel(ctx context.Context, actor Actor, id int64) (*Panel, error) {
	p, err := s.store.Panel(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := loadCampaign(ctx, s.store, actor, p.CampaignID); err != nil {
		return nil, err
	}
	return p, nil
}

// Panels lists a campaign's panels.
func (s *PanelService) Panels(ctx context.Context, actor Actor, campaignID int64) ([]*Panel, error) {
	if _, err := loadCampaign(ctx, s.store, actor, campaignID); err != nil {
		return nil, err
	}
	return s.store.Panels(ctx, campaignID)
}

// PanelDraws returns the draw records that formed the panel: its draw, or
// the match that formed it with the campaign's other panels.
func (s *PanelService) PanelDraws(ctx context.Context, actor Actor, panelID int64) ([]*DrawRecord, error) {
	if _, err := s.Panel(ctx, actor, panelID); err != nil {
		return nil, err
	}
	return s.store.PanelDrawRecords(ctx, panelID)
}

// Exclusion is an expert kept out of a panel, with the reasons.
type Exclusion struct {
	Expert  *Expert         `json:"expert"`
	Reasons []assign.Reason `json:"reasons"`
}

// Conflict reports whether the expert was kept out for a conflict of
// interest, rather than only as not eligible (not drawable, over a load
// cap, no subject match).
func (x Exclusion) Conflict() bool { return len(x.Reasons) > 0 && x.Reasons[0].IsConflict() }

// PanelExclusions lists the experts kept out of the panel when it was
// formed, with every reason (conflicts first), from the record that formed
// it: a draw's record lists them; for a matched panel they are derived
// from the match record's pool snapshot and rules for the panel's project
// (matchExclusions), the experts the match could not seat on it.
func (s *PanelService) PanelExclusions(ctx context.Context, actor Actor, panelID int64) ([]Exclusion, error) {
	draws, err := s.PanelDraws(ctx, actor, panelID)
	if err != nil || len(draws) == 0 {
		return nil, err
	}
	rec := draws[0]
	var excluded []assign.Exclusion
	switch rec.Kind {
	case "match":
		p, err := s.store.Panel(ctx, panelID)
		if err != nil {
			return nil, err
		}
		if excluded, err = matchExclusions(rec, p.ProjectIDs); err != nil {
			return nil, err
		}
	default:
		var res assign.DrawResult
		if err := json.Unmarshal([]byte(rec.Result), &res); err != nil {
			return nil, fmt.Errorf("decode draw %d: %w", rec.ID, err)
		}
		excluded = res.Excluded
	}
	out := make([]Exclusion, 0, len(excluded))
	for _, x := range excluded {
		e, err := s.store.Expert(ctx, x.ExpertID)
		if err != nil {
			e = &Expert{ID: x.ExpertID}
		}
		out = append(out, Exclusion{Expert: e, Reasons: x.Reasons})
	}
	// Conflicts of interest first: they are what staff most need to see.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Conflict() && !out[j].Conflict() })
	return out, nil
}

// seatedIDs lists the experts holding seats in a group.
func seatedIDs(p *Panel, seat Seat) []int64 {
	var ids []int64
	for _, m := range p.Seated(seat) {
		ids = append(ids, m.ExpertID)
	}
	return ids
}

// quotaProblems returns the hard and the soft quotas that the technical
// group cannot meet, even when its free (vacant) seats go to experts of
// the right types: none when the seats the quotas still need fit in free,
// else every quota short of its minimum. Nested quotas share their seats
// (an expert of a nested quota's types counts for the outer one too), so
// the seats needed are counted over the tree of quotas; the quotas of a
// class are laminar (CampaignSettings.validate). With free 0 these are
// just the quotas short of their minimum. Hard and soft quotas are counted
// apart: a soft quota is a preference, which a hard one may crowd out.
func quotaProblems(rules assign.PanelRules, types map[int64]string, technical []int64, free int) (hard, soft []string) {
	return unmetQuotas(rules.Quotas, false, types, technical, free), unmetQuotas(rules.Quotas, true, types, technical, free)
}

// unmetQuotas is quotaProblems for the hard (soft false) or the soft quotas.
func unmetQuotas(all []assign.Quota, soft bool, types map[int64]string, technical []int64, free int) []string {
	var qs []assign.Quota
	for _, q := range all {
		if q.Soft == soft {
			qs = append(qs, q)
		}
	}
	short := make([]int, len(qs))
	for i, q := range qs {
		n := 0
		for _, id := range technical {
			if slices.Contains(q.Types, types[id]) {
				n++
			}
		}
		short[i] = max(0, q.Min-n)
	}
	// The parent of a quota is the smallest other quota whose types hold
	// all of its types; of two with the same types, the later one is
	// nested in the earlier.
	holds := func(outer, inner []string) bool {
		for _, t := range inner {
			if !slices.Contains(outer, t) {
				return false
			}
		}
		return true
	}
	parent := make([]int, len(qs))
	for i := range qs {
		parent[i] = -1
		for j := range qs {
			if i == j || !holds(qs[j].Types, qs[i].Types) || (len(qs[j].Types) == len(qs[i].Types) && j > i) {
				continue
			}
			if k := parent[i]; k < 0 || len(qs[j].Types) < len(qs[k].Types) || (len(qs[j].Types) == len(qs[k].Types) && j > k) {
				parent[i] = j
			}
		}
	}
	// needed is the seats a quota and the quotas nested in it still need.
	var needed func(i int) int
	needed = func(i int) int {
		sum := 0
		for c := range qs {
			if parent[c] == i {
				sum += needed(c)
			}
		}
		return max(short[i], sum)
	}
	total := 0
	for i := range qs {
		if parent[i] < 0 {
			total += needed(i)
		}
	}
	if total <= free {
		return nil
	}
	// Some quota is short: needed is more than 0 only above a short one.
	var out []string
	for i, q := range qs {
		if short[i] > 0 {
			out = append(out, q.Name)
		}
	}
	return out
}

// CheckResult is what the checks of a manual change found.
type CheckResult struct {
	Conflicts   []assign.Reason `json:"conflicts,omitempty"`   // never overridden
	Ineligible  []assign.Reason `json:"ineligible,omitempty"`  // not drawable, over a load cap, wrong group, on the panel
	Soft        []string        `json:"soft,omitempty"`        // soft rules broken: no subject match, soft quota shortfall
	HardQuotas  []string        `json:"hard_quotas,omitempty"` // hard quotas the change would break
	NeedsReason bool            `json:"needs_reason"`
	Allowed     bool            `json:"allowed"`
}

// ReasonOnPanel is the reason a manual change refuses an expert who is on
// the panel already: seated, waiting as an alternate, or the member being
// replaced.
const ReasonOnPanel = "on_panel"

// ReasonSeat is the reason a manual change refuses an expert of the wrong
// type for the group: a finance expert for a technical seat, or another
// type for a finance seat.
const ReasonSeat = "seat"

// seatChange is one seat a manual change fills: a member's, whom the
// newcomer replaces, or a vacant one.
type seatChange struct {
	seat Seat
	// replacing is the expert id of the member replaced, 0 when a vacant
	// seat is filled.
	replacing int64
	// seated is the technical group before the change, the replaced
	// member included; free is the number of its vacant seats.
	seated []int64
	free   int
	// onPanel are the experts seated on the panel or waiting as its
	// alternates, with their status.
	onPanel map[int64]MemberStatus
}

// changeOf describes the change of a member's seat (memberID) or of a
// vacant seat of a group (memberID 0), or returns why there is no such
// seat: both or neither are named, the member is not seated (not found),
// the seat is no group, or the group has no vacant seat.
func changeOf(p *Panel, rules assign.PanelRules, memberID int64, seat Seat) (seatChange, error) {
	if (memberID != 0) == (seat != "") {
		return seatChange{}, FieldErrors{"seat": "error.seat_target"}.Err()
	}
	ch := seatChange{seated: seatedIDs(p, SeatTechnical), free: rules.Technical - len(p.Seated(SeatTechnical)), onPanel: map[int64]MemberStatus{}}
	for _, m := range p.Members {
		if m.Status.Seated() || m.Status == MemberAlternate {
			ch.onPanel[m.ExpertID] = m.Status
		}
	}
	if memberID != 0 {
		m, ok := p.Member(memberID)
		if !ok || !m.Status.Seated() {
			return seatChange{}, ErrNotFound
		}
		ch.seat, ch.replacing = m.Seat, m.ExpertID
		return ch, nil
	}
	size := map[Seat]int{SeatTechnical: rules.Technical, SeatFinance: rules.Finance}
	n, ok := size[seat]
	if !ok {
		return seatChange{}, FieldErrors{"seat": "error.seat_unknown"}.Err()
	}
	if len(p.Seated(seat)) >= n {
		return seatChange{}, &Error{Code: Conflict, Message: "error.no_vacancy", Fields: map[string]string{"seat": "error.no_vacancy"}}
	}
	ch.seat = seat
	return ch, nil
}

// checkCandidate runs the same checks as a draw on one expert for a seat
// of a panel: the conflicts with every project, the eligibility rules, the
// type of the seat, and the quotas of the technical group. A quota counts
// as broken only if the change breaks it: it could be met before (with the
// vacant seats) and no longer can. An expert on the panel already is
// refused (ReasonOnPanel).
func checkCandidate(pc *panelContext, projects []*Project, rules assign.PanelRules, ch seatChange, expertID int64) CheckResult {
	var res CheckResult
	e, ok := pc.byID[expertID]
	if !ok {
		return res
	}
	ae := assignExpert(e)
	for _, pr := range projects {
		ap := assignProject(pr, pc.names, pc.checker)
		res.Conflicts = append(res.Conflicts, pc.checker.Conflicts(&ap, &ae)...)
		for _, r := range pc.checker.Eligibility(&ap, &ae, rules.Caps, len(projects)) {
			if r.Code == assign.ReasonSubject {
				res.Soft = append(res.Soft, "subject")
			} else {
				res.Ineligible = append(res.Ineligible, r)
			}
		}
	}
	if (ch.seat == SeatFinance) != (e.Type == FinanceExpert) {
		res.Ineligible = append(res.Ineligible, assign.Reason{Code: ReasonSeat, Detail: string(e.Type) + " for a " + string(ch.seat) + " seat",
			Key: ReasonSeat, Args: map[string]string{"type": string(e.Type), "seat": string(ch.seat)}})
	}
	status, on := ch.onPanel[expertID]
	switch {
	case on && expertID == ch.replacing:
		res.Ineligible = append(res.Ineligible, assign.Reason{Code: ReasonOnPanel, Detail: "the member being replaced", Key: "replaced"})
	case on:
		res.Ineligible = append(res.Ineligible, assign.Reason{Code: ReasonOnPanel, Detail: "on the panel as " + string(status),
			Key: ReasonOnPanel, Args: map[string]string{"status": string(status)}})
	}
	// The quotas, for an expert who could take a technical seat.
	if ch.seat == SeatTechnical && e.Type != FinanceExpert && !on {
		types := map[int64]string{}
		var after []int64
		for _, id := range ch.seated {
			if id != ch.replacing {
				after = append(after, id)
			}
		}
		after = append(after, expertID)
		for _, id := range append(after, ch.seated...) {
			if x, ok := pc.byID[id]; ok {
				types[id] = string(x.Type)
			}
		}
		freeAfter := ch.free
		if ch.replacing == 0 {
			freeAfter--
		}
		hardBefore, softBefore := quotaProblems(rules, types, ch.seated, ch.free)
		hard, soft := quotaProblems(rules, types, after, freeAfter)
		res.HardQuotas = newlyBroken(hardBefore, hard)
		res.Soft = append(res.Soft, newlyBroken(softBefore, soft)...)
	}
	res.Soft = dedupe(res.Soft)
	res.Allowed = len(res.Conflicts) == 0 && len(res.Ineligible) == 0 && len(res.HardQuotas) == 0
	res.NeedsReason = res.Allowed && len(res.Soft) > 0
	return res
}

func newlyBroken(before, after []string) []string {
	was := map[string]bool{}
	for _, q := range before {
		was[q] = true
	}
	var out []string
	for _, q := range after {
		if !was[q] {
			out = append(out, q)
		}
	}
	return out
}

func dedupe(list []string) []string {
	sort.Strings(list)
	out := list[:0]
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// panelWork loads what a change of the target seat needs, if the actor
// may make it now (seatCampaign).
func (s *PanelService) panelWork(ctx context.Context, tx panelTx, actor Actor, panelID int64, target SeatTarget) (*Panel, *panelContext, []*Project, assign.PanelRules, error) {
	p, err := tx.Panel(ctx, panelID)
	if err != nil {
		return nil, nil, nil, assign.PanelRules{}, err
	}
	c, err := s.seatCampaign(ctx, tx, actor, p, target)
	if err != nil {
		return nil, nil, nil, assign.PanelRules{}, err
	}
	pc, err := s.loadPanelContext(ctx, tx, c)
	if err != nil {
		return nil, nil, nil, assign.PanelRules{}, err
	}
	projects, err := panelProjects(ctx, tx, p)
	if err != nil {
		return nil, nil, nil, assign.PanelRules{}, err
	}
	return p, pc, projects, assignPanelRules(c, projects[0].Class), nil
}

// panelProjects loads the projects a panel reviews; a panel has at least one.
func panelProjects(ctx context.Context, r projectGetter, p *Panel) ([]*Project, error) {
	projects := make([]*Project, 0, len(p.ProjectIDs))
	for _, id := range p.ProjectIDs {
		pr, err := r.Project(ctx, id)
		if err != nil {
			return nil, err
		}
		projects = append(projects, pr)
	}
	if len(projects) == 0 {
		return nil, Errorf(Conflict, "error.panel_empty")
	}
	return projects, nil
}

// CheckReplacement runs the checks of a manual change without making it,
// so the form can show them before the change is confirmed.
func (s *PanelService) CheckReplacement(ctx context.Context, actor Actor, panelID, memberID, expertID int64) (CheckResult, error) {
	checks, err := s.checkCandidates(ctx, actor, panelID, SeatTarget{MemberID: memberID}, []int64{expertID}, "expert_id")
	if err != nil {
		return CheckResult{}, err
	}
	return checks[0].CheckResult, nil
}

// SeatTarget is the seat a manual change fills: a member's seat, whom the
// newcomer replaces (MemberID), or a vacant seat of a group (Seat, with
// MemberID 0).
type SeatTarget struct {
	MemberID int64 `json:"member_id,omitempty"`
	Seat     Seat  `json:"seat,omitempty"`
}

// CandidateCheck is what the checks of a manual change found for one
// expert.
type CandidateCheck struct {
	ExpertID int64 `json:"expert_id"`
	CheckResult
}

// MaxCandidateChecks is the most experts CheckCandidates checks at once.
const MaxCandidateChecks = 200

// CheckCandidates runs the checks of a manual change of the target seat
// for each expert, in the order given, without making it: the lists of
// the panel page offer the experts who pass first and say why the others
// cannot take the seat. The panel and the pool are read once, in one
// transaction, whatever the number of experts (at most
// MaxCandidateChecks). An unknown expert is an error naming the list.
func (s *PanelService) CheckCandidates(ctx context.Context, actor Actor, panelID int64, target SeatTarget, expertIDs []int64) ([]CandidateCheck, error) {
	switch {
	case len(expertIDs) == 0:
		return nil, FieldErrors{"expert_ids": "error.required"}.Err()
	case len(expertIDs) > MaxCandidateChecks:
		return nil, FieldErrors{"expert_ids": "error.too_many"}.Err()
	}
	return s.checkCandidates(ctx, actor, panelID, target, expertIDs, "expert_ids")
}

// checkCandidates is CheckCandidates, with the field that names the
// experts in an error.
func (s *PanelService) checkCandidates(ctx context.Context, actor Actor, panelID int64, target SeatTarget, expertIDs []int64, field string) ([]CandidateCheck, error) {
	var out []CandidateCheck
	err := s.inTx(ctx, func(tx panelTx) error {
		p, pc, projects, rules, err := s.panelWork(ctx, tx, actor, panelID, target)
		if err != nil {
			return err
		}
		ch, err := changeOf(p, rules, target.MemberID, target.Seat)
		if err != nil {
			return err
		}
		out = make([]CandidateCheck, 0, len(expertIDs))
		for _, id := range expertIDs {
			if _, ok := pc.byID[id]; !ok {
				return FieldErrors{field: "error.expert_unknown"}.Err()
			}
			out = append(out, CandidateCheck{ExpertID: id, CheckResult: checkCandidate(pc, projects, rules, ch, id)})
		}
		return errCheckOnly
	})
	if errors.Is(err, errCheckOnly) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// errCheckOnly rolls back a transaction used only to read consistently.
var errCheckOnly = errors.New("check only")

// ReplaceMember puts another expert in a member's seat by hand. The same
// checks as a draw apply: a conflict, an ineligible expert or a broken
// hard quota is refused; breaking a soft rule (no subject match, the
// international-peer preference) needs a written reason.
func (s *PanelService) ReplaceMember(ctx context.Context, actor Actor, panelID, memberID, expertID int64, reason string) (CheckResult, error) {
	return s.changeSeat(ctx, actor, panelID, SeatTarget{MemberID: memberID}, expertID, reason)
}

// FillVacancy puts an expert in a vacant seat of a group by hand: a seat
// no alternate could take after a decline (Vacancies). The checks are
// those of ReplaceMember: a conflict, an ineligible expert, an expert of
// the wrong type for the group, or a hard quota that the group's seats
// could still meet and no longer could, is refused; breaking a soft rule
// needs a written reason. A group without a vacant seat is a conflict. The
// newcomer takes the chair when the technical group has none (the chair's
// seat was the vacant one), and is invited at once when the panel is
// inviting.
func (s *PanelService) FillVacancy(ctx context.Context, actor Actor, panelID int64, seat Seat, expertID int64, reason string) (CheckResult, error) {
	return s.changeSeat(ctx, actor, panelID, SeatTarget{Seat: seat}, expertID, reason)
}

// changeSeat is ReplaceMember or FillVacancy.
func (s *PanelService) changeSeat(ctx context.Context, actor Actor, panelID int64, target SeatTarget, expertID int64, reason string) (CheckResult, error) {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 2000 {
		return CheckResult{}, FieldErrors{"reason": "error.too_long"}.Err()
	}
	var res CheckResult
	err := s.inTx(ctx, func(tx panelTx) error {
		p, pc, projects, rules, err := s.panelWork(ctx, tx, actor, panelID, target)
		if err != nil {
			return err
		}
		scoring := pc.campaign.State == CampaignScoring
		if !scoring && !p.Changeable() {
			return Errorf(Conflict, "error.panel_confirmed")
		}
		ch, err := changeOf(p, rules, target.MemberID, target.Seat)
		if err != nil {
			return err
		}
		if _, err := tx.Expert(ctx, expertID); err != nil {
			return fieldNotFound(err, "expert_id", "error.expert_unknown")
		}
		if _, on := ch.onPanel[expertID]; on {
			return FieldErrors{"expert_id": "error.expert_on_panel"}.Err()
		}
		res = checkCandidate(pc, projects, rules, ch, expertID)
		switch {
		case !res.Allowed:
			return &Error{Code: Conflict, Message: "error.replacement_refused", Fields: map[string]string{"expert_id": "error.replacement_refused"}}
		case res.NeedsReason && reason == "":
			return FieldErrors{"reason": "error.override_reason_required"}.Err()
		}
		now := s.now()
		nm := &PanelMember{PanelID: p.ID, ExpertID: expertID, Seat: ch.seat, Status: MemberProposed,
			Source: "manual", Override: reason, CreatedAt: now}
		if p.State == PanelInviting || scoring {
			nm.Status, nm.InvitedAt = MemberInvited, now
		}
		// The newcomer's status is in the details so that VerifyPanels
		// need not work out the panel's state at the time.
		action, details := "panel.fill", map[string]any{"added": expertID, "seat": ch.seat, "status": nm.Status,
			"override": reason, "soft": res.Soft}
		if target.MemberID != 0 {
			m, _ := p.Member(target.MemberID)
			m.Status = MemberRemoved
			nm.Chair, m.Chair = m.Chair, false
			if err := tx.UpdatePanelMember(ctx, m); err != nil {
				return err
			}
			action, details["removed"] = "panel.replace", m.ExpertID
			if scoring {
				if err := s.scoringReplacement(ctx, tx, p, m, nm, now, details); err != nil {
					return err
				}
			}
		} else if ch.seat == SeatTechnical {
			nm.Chair = !slices.ContainsFunc(p.Seated(SeatTechnical), func(m *PanelMember) bool { return m.Chair })
		}
		if err := s.putMember(ctx, tx, nm); err != nil {
			return err
		}
		if nm.Status == MemberInvited {
			if err := s.core.tellInvited(ctx, tx, p, nm); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "panel", ObjectID: idString(p.ID),
			AgencyID: p.AgencyID, Details: details})
	})
	return res, err
}

// putMember adds a member, or brings back a row of an expert who was on
// the panel before (one row per expert and panel).
func (s *PanelService) putMember(ctx context.Context, tx panelTx, m *PanelMember) error {
	p, err := tx.Panel(ctx, m.PanelID)
	if err != nil {
		return err
	}
	for _, old := range p.Members {
		if old.ExpertID == m.ExpertID {
			m.ID = old.ID
			return tx.UpdatePanelMember(ctx, m)
		}
	}
	return tx.AddPanelMember(ctx, m)
}

// SetChair makes a technical member the chair (组长).
func (s *PanelService) SetChair(ctx context.Context, actor Actor, panelID, memberID int64) error {
	return s.inTx(ctx, func(tx panelTx) error {
		p, err := tx.Panel(ctx, panelID)
		if err != nil {
			return err
		}
		if _, err := s.panelCampaign(ctx, tx, actor, p.CampaignID, true); err != nil {
			return err
		}
		m, ok := p.Member(memberID)
		if !ok || !m.Status.Seated() || m.Seat != SeatTechnical {
			return ErrNotFound
		}
		for _, other := range p.Members {
			if other.Chair && other.ID != m.ID {
				other.Chair = false
				if err := tx.UpdatePanelMember(ctx, other); err != nil {
					return err
				}
			}
		}
		m.Chair = true
		if err := tx.UpdatePanelMember(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.chair", ObjectType: "panel", ObjectID: idString(p.ID),
			AgencyID: p.AgencyID, Details: map[string]any{"expert": m.ExpertID}})
	})
}

// InvitePanel invites every proposed member of a panel.
func (s *PanelService) InvitePanel(ctx context.Context, actor Actor, panelID int64) error {
	return s.inTx(ctx, func(tx panelTx) error {
		p, err := tx.Panel(ctx, panelID)
		if err != nil {
			return err
		}
		if _, err := s.panelCampaign(ctx, tx, actor, p.CampaignID, true); err != nil {
			return err
		}
		if p.State != PanelForming {
			return Errorf(Conflict, "error.panel_state")
		}
		now := s.now()
		var invited []int64
		var told []*PanelMember
		for _, m := range p.Members {
			if m.Status == MemberProposed {
				m.Status, m.InvitedAt = MemberInvited, now
				if err := tx.UpdatePanelMember(ctx, m); err != nil {
					return err
				}
				invited = append(invited, m.ExpertID)
				told = append(told, m)
			}
		}
		if err := tx.UpdatePanelState(ctx, p.ID, PanelInviting, now); err != nil {
			return err
		}
		if err := s.core.tellInvited(ctx, tx, p, told...); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.invite", ObjectType: "panel", ObjectID: idString(p.ID),
			AgencyID: p.AgencyID, Details: map[string]any{"experts": invited}})
	})
}

// Answer is what became of an expert's answer to an invitation, once it is
// recorded.
type Answer struct {
	// Status is the seat's status now: accepted, or declined (also when
	// the expert accepted but a conflict of interest was found).
	Status MemberStatus `json:"status"`
	// Conflicts are the conflicts of interest found on accepting, for
	// which the seat was declined on the expert's behalf.
	Conflicts []assign.Reason `json:"conflicts,omitempty"`
	// Alternate is the expert invited to the freed seat, 0 when none could
	// take it; only the agency sees who.
	Alternate int64 `json:"-"`
}

// RespondToInvitation records an expert's answer. Before an acceptance the
// conflict rules run again: an expert found in conflict cannot accept, and
// the seat is treated as declined (the Answer says so and why; it is not an
// error, since the decline is recorded). A decline (with its reason) calls
// up the next alternate who passes the same checks and keeps every hard
// quota; when none does, the seat stays vacant and the panel page says why.
func (s *PanelService) RespondToInvitation(ctx context.Context, actor Actor, memberID int64, accept bool, reason string) (Answer, error) {
	reason = strings.TrimSpace(reason)
	if !accept && reason == "" {
		return Answer{}, FieldErrors{"reason": "error.reason_required"}.Err()
	}
	if utf8.RuneCountInString(reason) > 2000 {
		return Answer{}, FieldErrors{"reason": "error.too_long"}.Err()
	}
	if actor.Role != RoleExpert {
		return Answer{}, ErrForbidden
	}
	var ans Answer
	err := s.inTx(ctx, func(tx panelTx) error {
		ans = Answer{}
		panels, err := tx.MemberPanels(ctx, actor.ExpertID)
		if err != nil {
			return err
		}
		var p *Panel
		var m *PanelMember
		for _, x := range panels {
			if mm, ok := x.Member(memberID); ok && mm.ExpertID == actor.ExpertID {
				p, m = x, mm
			}
		}
		if m == nil {
			return ErrNotFound
		}
		if m.Status != MemberInvited {
			return Errorf(Conflict, "error.invitation_answered")
		}
		c, err := tx.Campaign(ctx, p.CampaignID)
		if err != nil {
			return err
		}
		if !InvitationsOpen(c) {
			return Errorf(Conflict, "error.panels_locked")
		}
		projects, err := panelProjects(ctx, tx, p)
		if err != nil {
			return err
		}
		now := s.now()
		if accept {
			if ans.Conflicts, err = expertConflicts(ctx, tx, c, actor.ExpertID, projects); err != nil {
				return err
			}
			if len(ans.Conflicts) == 0 {
				ans.Status = MemberAccepted
				m.Status, m.RespondedAt = MemberAccepted, now
				if err := tx.UpdatePanelMember(ctx, m); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "invitation.accept", ObjectType: "panel",
					ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"member": m.ID, "expert": m.ExpertID}}); err != nil {
					return err
				}
				return s.maybeConfirm(ctx, tx, actor, p.ID, now)
			}
			reason = "conflict: " + ans.Conflicts[0].Detail
		}
		ans.Status = MemberDeclined
		wasChair := m.Chair
		m.Status, m.DeclineReason, m.RespondedAt, m.Chair = MemberDeclined, reason, now, false
		if err := tx.UpdatePanelMember(ctx, m); err != nil {
			return err
		}
		// Only a decline needs the whole pool: to check the alternates.
		pc, err := s.loadPanelContext(ctx, tx, c)
		if err != nil {
			return err
		}
		if ans.Alternate, err = s.callAlternate(ctx, tx, pc, p, projects, assignPanelRules(c, projects[0].Class), m, wasChair, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "invitation.decline", ObjectType: "panel",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"member": m.ID, "expert": m.ExpertID, "reason": reason,
				"alternate": ans.Alternate}})
	})
	if err != nil {
		return Answer{}, err
	}
	return ans, nil
}

// callAlternate invites the alternate who takes the declined seat by
// assign.Replace: the first waiting alternate of the seat's group who is
// still eligible under today's pool and records and keeps every hard quota.
// It returns their expert id, or 0 when none can take the seat.
func (s *PanelService) callAlternate(ctx context.Context, tx panelTx, pc *panelContext, p *Panel, projects []*Project,
	rules assign.PanelRules, declined *PanelMember, chair bool, now time.Time) (int64, error) {
	return callAlternate(ctx, s.core, tx, pc, p, projects, rules, declined, chair, now)
}

// callAlternate is PanelService.callAlternate for any area's transaction
// that can write members.
func callAlternate(ctx context.Context, c *core, tx inviteTx, pc *panelContext, p *Panel, projects []*Project, rules assign.PanelRules, declined *PanelMember, chair bool,
	now time.Time) (int64, error) {
	in := assign.DrawInput{Pool: pc.pool, Rules: pc.rules, Panel: rules}
	for _, pr := range projects {
		in.Projects = append(in.Projects, assignProject(pr, pc.names, pc.checker))
	}
	// The panel as it stood before the decline, the decliner in their seat.
	before := assign.DrawResult{Technical: seatedIDs(p, SeatTechnical), Finance: seatedIDs(p, SeatFinance)}
	if declined.Seat == SeatTechnical {
		before.Technical = append(before.Technical, declined.ExpertID)
	} else {
		before.Finance = append(before.Finance, declined.ExpertID)
	}
	for _, m := range p.Alternates(SeatTechnical) {
		before.Alternates = append(before.Alternates, m.ExpertID)
	}
	for _, m := range p.Alternates(SeatFinance) {
		before.FinanceAlternates = append(before.FinanceAlternates, m.ExpertID)
	}
	after, err := assign.Replace(in, before, declined.ExpertID)
	var noAlternate *assign.DrawError
	if errors.As(err, &noAlternate) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("replace expert %d on panel %d: %w", declined.ExpertID, p.ID, err)
	}
	for _, id := range slices.Concat(after.Technical, after.Finance) {
		if slices.Contains(before.Technical, id) || slices.Contains(before.Finance, id) {
			continue
		}
		alt, ok := p.MemberOf(id)
		if !ok {
			return 0, fmt.Errorf("replace expert %d on panel %d: alternate %d is not on the panel", declined.ExpertID, p.ID, id)
		}
		alt.Status, alt.InvitedAt, alt.AlternateRank, alt.Chair = MemberInvited, now, 0, chair && declined.Seat == SeatTechnical
		if err := tx.UpdatePanelMember(ctx, alt); err != nil {
			return 0, err
		}
		if err := c.tellInvited(ctx, tx, p, alt); err != nil {
			return 0, err
		}
		return id, nil
	}
	return 0, fmt.Errorf("replace expert %d on panel %d: no alternate took the seat", declined.ExpertID, p.ID)
}

// maybeConfirm confirms a panel whose seats are all filled by experts who
// accepted.
func (s *PanelService) maybeConfirm(ctx context.Context, tx panelTx, actor Actor, panelID int64, now time.Time) error {
	p, err := tx.Panel(ctx, panelID)
	if err != nil {
		return err
	}
	c, err := tx.Campaign(ctx, p.CampaignID)
	if err != nil {
		return err
	}
	pr, err := tx.Project(ctx, p.ProjectIDs[0])
	if err != nil {
		return err
	}
	rules := c.Settings.Panels[pr.Class]
	accepted := map[Seat]int{}
	for _, m := range p.Members {
		if m.Status == MemberAccepted {
			accepted[m.Seat]++
		} else if m.Status.Seated() {
			return nil
		}
	}
	if accepted[SeatTechnical] < rules.Technical || accepted[SeatFinance] < rules.Finance {
		return nil
	}
	if err := tx.UpdatePanelState(ctx, p.ID, PanelConfirmed, now); err != nil {
		return err
	}
	return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.confirm", ObjectType: "panel", ObjectID: idString(p.ID),
		AgencyID: p.AgencyID})
}

// Vacancies counts a panel's empty seats per group against its rules.
func (s *PanelService) Vacancies(ctx context.Context, actor Actor, p *Panel) (map[Seat]int, error) {
	c, err := loadCampaign(ctx, s.store, actor, p.CampaignID)
	if err != nil {
		return nil, err
	}
	if len(p.ProjectIDs) == 0 {
		return nil, nil
	}
	pr, err := s.store.Project(ctx, p.ProjectIDs[0])
	if err != nil {
		return nil, err
	}
	rules := c.Settings.Panels[pr.Class]
	out := map[Seat]int{SeatTechnical: rules.Technical - len(p.Seated(SeatTechnical)), SeatFinance: rules.Finance - len(p.Seated(SeatFinance))}
	return out, nil
}

// DrawProblem is a draw record that does not re-run to the same result.
type DrawProblem struct {
	DrawID int64
	Reason string
}

// VerifyDraws re-runs every draw of a campaign from its record: the pool
// snapshot must still hash to the recorded hash, and the draw must give the
// recorded result. It returns the records checked and every problem.
func VerifyDraws(ctx context.Context, r interface {
	DrawRecords(ctx context.Context, campaignID int64) ([]*DrawRecord, error)
}, campaignID int64) (int, []DrawProblem, error) {
	records, err := r.DrawRecords(ctx, campaignID)
	if err != nil {
		return 0, nil, err
	}
	var problems []DrawProblem
	for _, rec := range records {
		if reason := verifyDraw(rec); reason != "" {
			problems = append(problems, DrawProblem{rec.ID, reason})
		}
	}
	return len(records), problems, nil
}

func verifyDraw(rec *DrawRecord) string {
	var in drawRecordInput
	if err := json.Unmarshal([]byte(rec.Input), &in); err != nil {
		return "input is not readable: " + err.Error()
	}
	var pool []assign.Expert
	if err := json.Unmarshal(in.Pool, &pool); err != nil {
		return "pool snapshot is not readable: " + err.Error()
	}
	if got := assign.PoolHash(pool); got != rec.PoolHash {
		return fmt.Sprintf("pool snapshot hashes to %s, the record says %s", got, rec.PoolHash)
	}
	if !bytes.Equal(assign.PoolJSON(pool), in.Pool) {
		return "pool snapshot is not in canonical form"
	}
	if in.Seed != rec.Seed {
		return "seed differs from the record's"
	}
	switch rec.Kind {
	case "match":
		return verifyMatch(rec, pool)
	case "draw":
		res, err := assign.Draw(assign.DrawInput{Seed: in.Seed, Projects: in.Projects, Pool: pool, Rules: in.Rules, Panel: in.Panel})
		if err != nil {
			return "re-run fails: " + err.Error()
		}
		got, _ := json.Marshal(res)
		if !bytes.Equal(canonical(got), canonical([]byte(rec.Result))) {
			return differentResult(rec)
		}
	}
	return ""
}

// differentResult says that a record re-runs to another result, and why
// that may be when the record holds names the conflict rules have read
// through their look-alikes only since they normalise Unicode.
func differentResult(rec *DrawRecord) string {
	if assign.HasLookalikes(rec.Input) {
		return "re-run gives a different result; the record holds names in characters that the conflict rules now compare " +
			"by their compatibility form or look-alike (NFKC, Cyrillic and Greek letters, CJK radicals), which they did not " +
			"before evalpanel normalised Unicode: a conflict of interest missed then is found now"
	}
	return "re-run gives a different result"
}

// canonical re-encodes JSON so that formatting differences do not count.
func canonical(b []byte) []byte {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return b
	}
	out, _ := json.Marshal(v)
	return out
}

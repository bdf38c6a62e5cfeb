package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// matchRecordInput is what a match record stores as its input, so that the
// match can be re-run: the seed, the projects, the pool snapshot (the
// canonical bytes its hash covers), the rules, and the panel rules per
// class. Eligibility and capacity are derived from these again.
type matchRecordInput struct {
	Seed     string                       `json:"seed"`
	Projects []assign.Project             `json:"projects"`
	Pool     json.RawMessage              `json:"pool"`
	Rules    assign.Rules                 `json:"rules"`
	Panels   map[string]assign.PanelRules `json:"panels"`
}

// matchInput derives the matcher's input from a record's input: for each
// project the experts with no conflict and eligible for one more project,
// and for each expert the load left under both caps.
func matchInput(in matchRecordInput, pool []assign.Expert) assign.MatchInput {
	checker := assign.NewChecker(in.Rules)
	index := assign.NewIndex(checker, pool)
	mi := assign.MatchInput{Projects: in.Projects, Experts: pool, Seed: in.Seed,
		Eligible: map[int64][]int64{}, Capacity: map[int64]int{}, Seats: map[int64]assign.Seats{}}
	// Each expert's disciplines once, not once per project: the pairs are
	// many (5,000 projects × 20,000 experts), and assign.Eligible is
	// Checker.Eligibility without building the reasons.
	disc := make([][]string, len(pool))
	at := make(map[int64][]int, len(pool)) // pool positions by id
	for j := range pool {
		disc[j] = assign.Disciplines(pool[j].SubjectCodes)
		at[pool[j].ID] = append(at[pool[j].ID], j)
	}
	// Where a class requires a subject match, only the finance experts
	// and the others of one of the project's disciplines can be eligible.
	// For those assign.Eligible does not depend on the project: a finance
	// expert needs no subject, nor does anyone where no subject match is
	// required, and a candidate of a project's discipline shares one with
	// it; so it is asked with the expert's own disciplines for the
	// project's. The eligible experts before conflicts therefore depend
	// only on the caps and, where a subject match is required, on the set
	// of the project's disciplines: a campaign has few such groups (two
	// classes × 40 disciplines in evalpanel bench), each worked out once,
	// as pool positions, ascending. A project then only takes its
	// conflicts away.
	var finance []int
	byDisc := map[string][]int{}
	for j := range pool {
		if pool[j].Type == assign.FinanceExpert {
			finance = append(finance, j)
			continue
		}
		for _, d := range disc[j] {
			if l := byDisc[d]; len(l) == 0 || l[len(l)-1] != j {
				byDisc[d] = append(l, j)
			}
		}
	}
	ids := make([]int64, len(pool)) // by pool position
	for j := range pool {
		ids[j] = pool[j].ID
	}
	type groupKey struct {
		caps assign.Caps
		disc string // the set of the project's disciplines, where a subject match is required
	}
	type group struct {
		at  []int   // pool positions
		ids []int64 // their ids, for the projects without a conflict among them
	}
	eligibleFor := map[assign.Caps][]bool{} // assign.Eligible per pool position, as above
	groups := map[groupKey]*group{}
	groupOf := make([]*group, len(in.Projects))
	var lists [][]int
	var merged, heads []int
	for i := range in.Projects {
		p := &in.Projects[i]
		caps := in.Panels[p.Class].Caps
		k := groupKey{caps: caps}
		var pd []string
		if caps.RequireSubject {
			pd = slices.Compact(slices.Sorted(slices.Values(assign.Disciplines(p.SubjectCodes))))
			k.disc = fmt.Sprintf("%q", pd)
		}
		if g := groups[k]; g != nil {
			groupOf[i] = g
			continue
		}
		ok := eligibleFor[caps]
		if ok == nil {
			ok = make([]bool, len(pool))
			for j := range pool {
				ok[j] = assign.Eligible(disc[j], &pool[j], disc[j], caps, 1)
			}
			eligibleFor[caps] = ok
		}
		g := &group{}
		if caps.RequireSubject {
			lists = append(lists[:0], finance)
			for _, d := range pd {
				lists = append(lists, byDisc[d])
			}
			merged, heads = mergePositions(merged[:0], lists, heads)
			for _, j := range merged {
				if ok[j] {
					g.at = append(g.at, j)
				}
			}
		} else {
			for j := range pool {
				if ok[j] {
					g.at = append(g.at, j)
				}
			}
		}
		for _, j := range g.at {
			g.ids = append(g.ids, ids[j])
		}
		g.ids = slices.Clip(g.ids) // shared: an append must copy
		groups[k], groupOf[i] = g, g
	}
	// The projects' conflicts are shared out among GOMAXPROCS goroutines,
	// each marking a project's in its own slice.
	eligible := make([][]int64, len(in.Projects))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			conflicted := make([]bool, len(pool))
			var list []int64
			for i := int(next.Add(1)) - 1; i < len(in.Projects); i = int(next.Add(1)) - 1 {
				g := groupOf[i]
				bad := index.Conflicts(&in.Projects[i])
				hit := false
				for id := range bad {
					for _, j := range at[id] {
						conflicted[j], hit = true, true
					}
				}
				switch {
				case len(g.ids) == 0:
				case !hit:
					eligible[i] = g.ids
				default:
					list = list[:0]
					for _, j := range g.at {
						if !conflicted[j] {
							list = append(list, ids[j])
						}
					}
					if len(list) > 0 {
						eligible[i] = slices.Clone(list)
					}
				}
				for id := range bad {
					for _, j := range at[id] {
						conflicted[j] = false
					}
				}
			}
		})
	}
	wg.Wait()
	for i := range in.Projects {
		p := &in.Projects[i]
		rules := in.Panels[p.Class]
		mi.Seats[p.ID] = assign.Seats{Technical: rules.Technical, Finance: rules.Finance, Quotas: rules.Quotas}
		if prev, ok := mi.Eligible[p.ID]; ok { // a project listed twice, as the pairs loop used to give
			mi.Eligible[p.ID] = append(prev, eligible[i]...)
		} else if len(eligible[i]) > 0 {
			mi.Eligible[p.ID] = eligible[i]
		}
	}
	mi.Capacity = capacity(in, pool)
	return mi
}

// capacity gives each expert of the pool what is left under the tighter
// of the two caps (the caps are the campaign's, the same for every class);
// an expert with nothing left gets no entry.
func capacity(in matchRecordInput, pool []assign.Expert) map[int64]int {
	out := map[int64]int{}
	var caps assign.Caps
	for _, r := range in.Panels {
		caps = r.Caps
	}
	for _, e := range pool {
		left := 1 << 30
		if caps.Campaign > 0 {
			left = min(left, caps.Campaign-e.LoadCampaign)
		}
		if caps.Year > 0 {
			left = min(left, caps.Year-e.LoadYear)
		}
		if left > 0 {
			out[e.ID] = left
		}
	}
	return out
}

// mergePositions appends to dst the union of ascending lists of positions,
// ascending, each position once; heads is scratch memory, returned for
// reuse.
func mergePositions(dst []int, lists [][]int, heads []int) ([]int, []int) {
	heads = append(heads[:0], make([]int, len(lists))...)
	for {
		next := -1
		for k, l := range lists {
			if h := heads[k]; h < len(l) && (next < 0 || l[h] < next) {
				next = l[h]
			}
		}
		if next < 0 {
			return dst, heads
		}
		dst = append(dst, next)
		for k, l := range lists {
			if h := heads[k]; h < len(l) && l[h] == next {
				heads[k]++
			}
		}
	}
}

// MatchCampaign forms a panel for every project of the campaign that has
// none yet, with the optimal assignment of evaluation/README.md §2.5.3
// (the procedure is in evaluation/assign/README.md): the most
// expertise affinity under the conflict rules, quotas and load caps, with a
// seeded perturbation among equally good answers. Alternates are the next
// eligible experts by affinity. When the rules cannot be met it says which
// project, which quota, and how many eligible experts there were.
func (s *PanelService) MatchCampaign(ctx context.Context, actor Actor, campaignID int64, seed string) ([]*Panel, error) {
	if seed == "" {
		var err error
		if seed, err = newSeed(); err != nil {
			return nil, err
		}
	}
	var created []int64
	err := s.inTx(ctx, func(tx panelTx) error {
		c, err := s.panelCampaign(ctx, tx, actor, campaignID, true)
		if err != nil {
			return err
		}
		pc, err := s.loadPanelContext(ctx, tx, c)
		if err != nil {
			return err
		}
		// Every project without a panel: matching is for the whole campaign.
		no := false
		todo, _, err := tx.Projects(ctx, ProjectFilter{CampaignID: c.ID, AgencyID: c.AgencyID, Paneled: &no,
			Page: Page{Number: 1, Size: math.MaxInt32}})
		if err != nil {
			return err
		}
		if len(todo) == 0 {
			return Errorf(Conflict, "error.nothing_to_match")
		}
		in := matchRecordInput{Seed: seed, Pool: assign.PoolJSON(pc.pool), Rules: pc.rules, Panels: map[string]assign.PanelRules{}}
		for _, class := range ProjectClasses {
			in.Panels[string(class)] = assignPanelRules(c, class)
		}
		for _, p := range todo {
			in.Projects = append(in.Projects, assignProject(p, pc.names, pc.checker))
		}
		mi := matchInput(in, pc.pool)
		// The alternates are ranked beside the matcher, whose solver
		// leaves a core idle; what the panels turn out to seat is dropped
		// afterwards (the replay ranks them after the fact, with
		// matchAlternates, and gets the same). A panic is raised again
		// here, where the request's recovery sees it.
		ranked := make(chan func() *assign.RankedAlternates, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					ranked <- func() *assign.RankedAlternates { panic(p) }
				}
			}()
			r := assign.RankAlternates(mi, alternatesWanted(in))
			ranked <- func() *assign.RankedAlternates { return r }
		}()
		res, err := assign.Match(ctx, mi)
		if err != nil {
			<-ranked
			return matchProblem(err)
		}
		byID := map[int64]*Project{}
		for _, p := range todo {
			byID[p.ID] = p
		}
		alternates, financeAlternates := (<-ranked)().Take(res.Assignments)
		for i, a := range res.Assignments {
			p, err := s.createPanel(ctx, tx, actor, c, []*Project{byID[a.ProjectID]}, "match", a.Technical, a.Finance, alternates[i], financeAlternates[i])
			if err != nil {
				return err
			}
			created = append(created, p.ID)
		}
		result, err := json.Marshal(res)
		if err != nil {
			return err
		}
		input, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rec := &DrawRecord{CampaignID: c.ID, AgencyID: c.AgencyID, Kind: "match", Seed: seed, Input: string(input),
			PoolHash: assign.PoolHash(pc.pool), Result: string(result), CreatedBy: actor.UserID, CreatedAt: s.now()}
		if err := tx.CreateDrawRecord(ctx, rec); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.match", ObjectType: "campaign", ObjectID: idString(c.ID),
			AgencyID: c.AgencyID, Details: map[string]any{"draw": rec.ID, "seed": seed, "panels": len(created),
				"affinity": res.Affinity, "soft_met": res.SoftMet}})
	})
	if err != nil {
		return nil, err
	}
	// The campaign's panels in one read rather than 5,000, and of those
	// the ones this match created; one that is gone since is loaded alone,
	// which says so.
	all, err := s.store.Panels(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*Panel, len(all))
	for _, p := range all {
		byID[p.ID] = p
	}
	var out []*Panel
	for _, id := range created {
		p := byID[id]
		if p == nil {
			if p, err = s.store.Panel(ctx, id); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// matchAlternates ranks the alternates of every matched panel
// (assign.MatchAlternates: the project's other eligible experts by
// affinity, ties broken by the draw key of the seed), as many per group as
// the rules of the project's class ask for. assignments[i] is the panel of
// in.Projects[i].
func matchAlternates(in matchRecordInput, mi assign.MatchInput, assignments []assign.Assignment) (tech, fin [][]int64) {
	return assign.MatchAlternates(mi, assignments, alternatesWanted(in))
}

// alternatesWanted says how many alternates of each group the rules of
// in.Projects[i]'s class ask for.
func alternatesWanted(in matchRecordInput) func(i int) (tech, fin int) {
	return func(i int) (int, int) {
		rules := in.Panels[in.Projects[i].Class]
		return rules.Alternates, rules.FinanceAlternates
	}
}

// matchProblem explains an infeasible match: the unmet requirements, each
// with its project, quota, need and the eligible experts.
func matchProblem(err error) error {
	var ie *assign.InfeasibleError
	if !errors.As(err, &ie) {
		return err
	}
	e := &Error{Code: Conflict, Message: "error.match_infeasible", Fields: map[string]string{}, Args: map[string]map[string]any{}, Err: err}
	for i, u := range ie.Unmet {
		field := fmt.Sprintf("unmet.%d", i)
		msg := "error.unmet_eligible"
		switch u.Cause {
		case assign.CauseRules:
			msg = "error.unmet_rules"
		case assign.CauseCapacity:
			msg = "error.unmet_capacity"
		}
		e.Fields[field] = msg
		e.Args[field] = map[string]any{"Project": u.Project, "Quota": u.Quota, "Types": strings.Join(u.Types, "/"),
			"Needed": u.Needed, "Seated": u.Seated, "Eligible": u.Eligible}
	}
	return e
}

// matchExclusions returns the experts a match kept off the panel of the
// projects (a matched panel has one), each with every reason, as a draw
// for the project alone with the match's pool snapshot and rules lists
// them: the conflicts with the project and the eligibility rules for one
// more project, which are what matchInput applies too. The record holds
// the pool and rules the match ran with, so the list is what held then,
// not what the pool says today.
func matchExclusions(rec *DrawRecord, projectIDs []int64) ([]assign.Exclusion, error) {
	var in matchRecordInput
	if err := json.Unmarshal([]byte(rec.Input), &in); err != nil {
		return nil, fmt.Errorf("decode match %d: %w", rec.ID, err)
	}
	var pool []assign.Expert
	if err := json.Unmarshal(in.Pool, &pool); err != nil {
		return nil, fmt.Errorf("decode the pool of match %d: %w", rec.ID, err)
	}
	var out []assign.Exclusion
	for _, p := range in.Projects {
		if !slices.Contains(projectIDs, p.ID) {
			continue
		}
		x, err := assign.Excluded(assign.DrawInput{Seed: in.Seed, Projects: []assign.Project{p}, Pool: pool,
			Rules: in.Rules, Panel: in.Panels[p.Class]})
		if err != nil {
			return nil, fmt.Errorf("exclusions of project %d in match %d: %w", p.ID, rec.ID, err)
		}
		out = append(out, x...)
	}
	return out, nil
}

// verifyMatch re-runs a match from its record.
func verifyMatch(rec *DrawRecord, pool []assign.Expert) string {
	var in matchRecordInput
	if err := json.Unmarshal([]byte(rec.Input), &in); err != nil {
		return "input is not readable: " + err.Error()
	}
	res, err := assign.Match(context.Background(), matchInput(in, pool))
	if err != nil {
		return "re-run fails: " + err.Error()
	}
	got, _ := json.Marshal(res)
	if string(canonical(got)) != string(canonical([]byte(rec.Result))) {
		return differentResult(rec)
	}
	return ""
}

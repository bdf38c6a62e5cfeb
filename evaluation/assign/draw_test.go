package assign

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const testSeed = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// drawProject is a project led by 复旦大学, in discipline 520.
func drawProject(id int64, code string) Project {
	return Project{ID: id, Code: code, Class: "applied_technology", Lead: "复旦大学",
		PI: Person{Name: "王伟", Institution: "复旦大学"}, SubjectCodes: []string{"520.10"}}
}

// drawExpert is an eligible expert with no link to drawProject.
func drawExpert(id int64, typ string) Expert {
	return Expert{ID: id, Name: fmt.Sprintf("专家%d", id), Type: typ, Institution: fmt.Sprintf("第%d研究所", id),
		Region: "local", CanBeDrawn: true, SubjectCodes: []string{"520.20"}}
}

// handKey computes a draw key from the documented byte string, without
// DrawKey.
func handKey(seed, codes string, id int64) string {
	sum := sha256.Sum256([]byte(seed + ":" + codes + ":" + strconv.FormatInt(id, 10)))
	return hex.EncodeToString(sum[:])
}

// byHandKey returns ids sorted by their hand-computed keys.
func byHandKey(seed, codes string, ids []int64) []int64 {
	out := slices.Clone(ids)
	sort.Slice(out, func(i, j int) bool { return handKey(seed, codes, out[i]) < handKey(seed, codes, out[j]) })
	return out
}

// rankedPool makes a pool of len(types) eligible experts, ids 1…n, in
// which the expert of rank k in the draw of the projects has types[k]. It
// returns the pool and the ids by rank.
func rankedPool(codes string, types []string) ([]Expert, []int64) {
	var ids []int64
	for i := range types {
		ids = append(ids, int64(i+1))
	}
	ranked := byHandKey(testSeed, codes, ids)
	pool := make([]Expert, len(types))
	for k, id := range ranked {
		pool[id-1] = drawExpert(id, types[k])
	}
	return pool, ranked
}

func TestDrawKey(t *testing.T) {
	// Computed with: printf '%s' "$SEED:SH-2025-001:1" | sha256sum
	if got, want := DrawKey(testSeed, []string{"SH-2025-001"}, 1), "d57e7ec5ea62e5b046e919031b59ffa787f78ee6c60758ec8f5190da876a7ec2"; got != want {
		t.Errorf("DrawKey = %s, want %s", got, want)
	}
	// Codes are sorted: printf '%s' "$SEED:P-1,P-2:7" | sha256sum
	if got, want := DrawKey(testSeed, []string{"P-2", "P-1"}, 7), "43715bab8f1c980ac23f07f65476d86a580cc5a030d9db67a3281263a454712f"; got != want {
		t.Errorf("DrawKey = %s, want %s", got, want)
	}
}

// TestDrawByHand re-computes a draw from the procedure in README.md.
func TestDrawByHand(t *testing.T) {
	p := drawProject(1, "SH-2025-001")
	types := map[int64]string{
		1: DomainExpert, 2: DomainExpert, 3: DomainExpert, 4: DomainExpert, 5: DomainExpert, 6: DomainExpert,
		7: Investor, 8: Investor, 9: Entrepreneur, 10: StrategicScientist, 11: StrategicScientist,
		12: FinanceExpert, 13: FinanceExpert, 14: DomainExpert, 15: Investor, 16: FinanceExpert, 17: InternationalPeer,
	}
	var pool []Expert
	for id := int64(1); id <= 17; id++ {
		pool = append(pool, drawExpert(id, types[id]))
	}
	pool[13].Institution = "复旦大学"              // 14: the lead institution
	pool[14].CanBeDrawn = false                // 15
	pool[15].LoadCampaign = 8                  // 16: at the cap
	pool[16].SubjectCodes = []string{"610.10"} // 17: another discipline
	in := DrawInput{Seed: testSeed, Projects: []Project{p}, Pool: pool, Rules: Rules{Year: 2025}, Panel: panelRules("applied_technology")}
	got, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}

	// By hand: rank the eligible experts 1–13 by key, technical and
	// finance apart.
	tech := byHandKey(testSeed, "SH-2025-001", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
	fin := byHandKey(testSeed, "SH-2025-001", []int64{12, 13})
	var want DrawResult
	taken := map[int64]bool{}
	first := func(n int, ok func(int64) bool) []int64 {
		var out []int64
		for _, id := range tech {
			if len(out) < n && !taken[id] && ok(id) {
				out = append(out, id)
				taken[id] = true
			}
		}
		return out
	}
	anyType := func(int64) bool { return true }
	// Quota 1: one investor or entrepreneur; quota 2: two domain experts;
	// then the rest; then two alternates.
	want.Technical = append(want.Technical, first(1, func(id int64) bool { return types[id] == Investor || types[id] == Entrepreneur })...)
	want.Technical = append(want.Technical, first(2, func(id int64) bool { return types[id] == DomainExpert })...)
	want.Technical = append(want.Technical, first(2, anyType)...)
	want.Alternates = first(2, anyType)
	want.Finance, want.FinanceAlternates = fin[:1], fin[1:]
	want.Excluded = []Exclusion{
		{14, []Reason{{Code: ReasonInstitution, Detail: "expert institution 复旦大学 matches lead institution 复旦大学"}}},
		{15, []Reason{{Code: ReasonNotDrawable, Detail: "can-be-drawn flag is off"}}},
		{16, []Reason{{Code: ReasonLoadCampaign, Detail: "campaign load 8 + 1 > cap 8"}}},
		{17, []Reason{{Code: ReasonSubject, Detail: "no subject code in common: expert 610.10, project 520.10"}}},
	}
	want.PoolHash = PoolHash(pool)
	if diff := cmp.Diff(want, got, reasonText); diff != "" {
		t.Errorf("Draw (-want +got):\n%s", diff)
	}
}

func TestDrawNoQuotasTakesTheLowestKeys(t *testing.T) {
	var pool []Expert
	var tech []int64
	for id := int64(1); id <= 30; id++ {
		typ := []string{DomainExpert, StrategicScientist, InternationalPeer, Investor, Entrepreneur}[id%5]
		if id%7 == 0 {
			typ = FinanceExpert
		} else {
			tech = append(tech, id)
		}
		pool = append(pool, drawExpert(id, typ))
	}
	pr := panelRules("other")
	pr.Technical, pr.Alternates = 7, 3
	got, err := Draw(DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, "X-1")}, Pool: pool, Panel: pr})
	if err != nil {
		t.Fatal(err)
	}
	ranked := byHandKey(testSeed, "X-1", tech)
	if !reflect.DeepEqual(got.Technical, ranked[:7]) || !reflect.DeepEqual(got.Alternates, ranked[7:10]) {
		t.Errorf("technical %v alternates %v, want %v then %v", got.Technical, got.Alternates, ranked[:7], ranked[7:10])
	}
}

func TestDrawDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 20; {
		in := randomDrawInput(r)
		a, err := Draw(in)
		if err != nil {
			continue
		}
		i++
		b, err := Draw(in)
		if diff := cmp.Diff(a, b, reasonText); err != nil || diff != "" {
			t.Fatalf("same input, another result: %v\n%s", err, diff)
		}
		shuffled := in
		shuffled.Pool = slices.Clone(in.Pool)
		r.Shuffle(len(shuffled.Pool), func(i, j int) { shuffled.Pool[i], shuffled.Pool[j] = shuffled.Pool[j], shuffled.Pool[i] })
		shuffled.Projects = slices.Clone(in.Projects)
		slices.Reverse(shuffled.Projects)
		c, err := Draw(shuffled)
		if diff := cmp.Diff(a, c, reasonText); err != nil || diff != "" {
			t.Fatalf("shuffled pool and projects, another result: %v\n%s", err, diff)
		}
		// The result survives a JSON round trip, as a draw record does.
		js, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		var d DrawResult
		if err := json.Unmarshal(js, &d); err != nil || !reflect.DeepEqual(a, d) {
			t.Fatalf("JSON round trip: %v\n%+v\n%+v", err, a, d)
		}
	}
}

func TestDrawSeedChangesTheDraw(t *testing.T) {
	var pool []Expert
	for id := int64(1); id <= 200; id++ {
		typ := DomainExpert
		switch id % 10 {
		case 0:
			typ = FinanceExpert
		case 1:
			typ = Investor
		}
		pool = append(pool, drawExpert(id, typ))
	}
	in := DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, "SH-2025-001")}, Pool: pool, Panel: panelRules("applied_technology")}
	a, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	in.Seed = strings.Repeat("ab", 32)
	b, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Technical, b.Technical) || a.PoolHash != b.PoolHash {
		t.Errorf("another seed: technical %v and %v, pool hash %s and %s", a.Technical, b.Technical, a.PoolHash, b.PoolHash)
	}
	in.Seed = testSeed
	in.Projects[0].Code = "SH-2025-002"
	if c, err := Draw(in); err != nil || slices.Equal(a.Technical, c.Technical) {
		t.Errorf("another project code: technical %v and %v (%v)", a.Technical, c.Technical, err)
	}
}

func TestDrawSoftShortfall(t *testing.T) {
	p := drawProject(1, "B-1")
	p.Class = "basic_research"
	var pool []Expert
	for id := int64(1); id <= 8; id++ {
		pool = append(pool, drawExpert(id, DomainExpert))
	}
	pool = append(pool, drawExpert(9, FinanceExpert), drawExpert(10, FinanceExpert))
	peer := drawExpert(11, InternationalPeer)
	peer.Collaborations = []Collaboration{{Kind: "joint_paper", Person: "王伟", Year: 2024}}
	pool = append(pool, peer)
	in := DrawInput{Seed: testSeed, Projects: []Project{p}, Pool: pool, Rules: Rules{Year: 2025}, Panel: panelRules("basic_research")}
	got, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Shortfall{{Quota: "international_peer", Needed: 1, Seated: 0, Eligible: 0}}; !reflect.DeepEqual(got.Shortfalls, want) {
		t.Errorf("shortfalls %+v, want %+v", got.Shortfalls, want)
	}
	if len(got.Technical) != 5 || slices.Contains(got.Technical, 11) {
		t.Errorf("technical %v, want 5 domain experts", got.Technical)
	}
	// Without the conflict, the peer is seated first-thing by the quota
	// after the three domain experts.
	in.Pool[10].Collaborations = nil
	got, err = Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Shortfalls != nil || got.Technical[3] != 11 {
		t.Errorf("technical %v shortfalls %+v, want the peer 4th and no shortfall", got.Technical, got.Shortfalls)
	}
}

func TestDrawInfeasible(t *testing.T) {
	applied := func(types ...string) []Expert {
		var pool []Expert
		for i, typ := range types {
			pool = append(pool, drawExpert(int64(i+1), typ))
		}
		return pool
	}
	D, S, I, F := DomainExpert, StrategicScientist, Investor, FinanceExpert
	tests := []struct {
		name string
		pool []Expert
		want string
		err  DrawError
	}{
		{"no investor or entrepreneur", applied(D, D, D, S, S, S, F),
			`draw SH-2025-001: quota "investor_or_entrepreneur" needs 1 of investor/entrepreneur, 0 eligible`,
			DrawError{Projects: []string{"SH-2025-001"}, Quota: "investor_or_entrepreneur", Types: []string{Investor, Entrepreneur}, Needed: 1}},
		{"one domain expert", applied(I, D, S, S, S, F),
			`draw SH-2025-001: quota "domain_expert" needs 2 of domain_expert, 1 eligible`,
			DrawError{Projects: []string{"SH-2025-001"}, Quota: "domain_expert", Types: []string{DomainExpert}, Needed: 2, Eligible: 1}},
		{"four technical experts", applied(I, D, D, S, F),
			`draw SH-2025-001: technical group needs 5 experts, 4 eligible`,
			DrawError{Projects: []string{"SH-2025-001"}, Quota: GroupTechnical, Needed: 5, Eligible: 4}},
		{"no finance expert", applied(I, D, D, S, S),
			`draw SH-2025-001: finance group needs 1 finance_expert, 0 eligible`,
			DrawError{Projects: []string{"SH-2025-001"}, Quota: GroupFinance, Types: []string{FinanceExpert}, Needed: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Draw(DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, "SH-2025-001")}, Pool: tt.pool,
				Panel: panelRules("applied_technology")})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error %v, want %s", err, tt.want)
			}
			var de *DrawError
			if !errors.As(err, &de) || !reflect.DeepEqual(*de, tt.err) {
				t.Errorf("DrawError %+v, want %+v", de, tt.err)
			}
		})
	}
}

func TestDrawAlternates(t *testing.T) {
	// Ranks 0–4 fill the panel, 5–7 are technical alternates in key
	// order, 8 the finance seat, 9–10 finance alternates.
	D, F := DomainExpert, FinanceExpert
	pool, rank := rankedPool("SH-2025-001", []string{D, D, D, D, D, D, D, D, F, F, F})
	pr := panelRules("other")
	pr.Alternates, pr.FinanceAlternates = 3, 2
	in := DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, "SH-2025-001")}, Pool: pool, Panel: pr}
	got, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Technical, rank[:5]) || !slices.Equal(got.Alternates, rank[5:8]) ||
		!slices.Equal(got.Finance, rank[8:9]) || !slices.Equal(got.FinanceAlternates, rank[9:11]) || got.Shortfalls != nil {
		t.Errorf("got %+v, want technical %v alternates %v finance %v finance alternates %v", got, rank[:5], rank[5:8], rank[8:9], rank[9:11])
	}
	// Too few for the alternates asked for: reported, not an error.
	in.Panel.Alternates, in.Panel.FinanceAlternates = 5, 3
	got, err = Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Shortfall{{GroupAlternates, 5, 3, 3}, {GroupFinanceAlternates, 3, 2, 2}}
	if !reflect.DeepEqual(got.Shortfalls, want) || len(got.Alternates) != 3 {
		t.Errorf("shortfalls %+v alternates %v, want %+v", got.Shortfalls, got.Alternates, want)
	}
}

func TestDrawGroup(t *testing.T) {
	p1, p2 := drawProject(1, "P-1"), drawProject(2, "P-2")
	p2.Lead = "同济大学"
	p2.SubjectCodes = []string{"610.10"}
	var pool []Expert
	for id := int64(1); id <= 12; id++ {
		pool = append(pool, drawExpert(id, []string{DomainExpert, Investor, FinanceExpert}[id%3]))
	}
	pool[0].Institution = "同济大学建筑与城市规划学院"     // 1: conflicts with P-2 only
	pool[3].LoadCampaign = 7                  // 4: 7 + 2 projects > 8
	pool[6].SubjectCodes = []string{"610.40"} // 7: matches P-2's discipline only: eligible
	in := DrawInput{Seed: testSeed, Projects: []Project{p2, p1}, Pool: pool, Panel: panelRules("other")}
	in.Panel.Alternates, in.Panel.FinanceAlternates = 0, 0
	got, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Exclusion{
		{1, []Reason{{Code: ReasonInstitution, Detail: "P-2: expert institution 同济大学建筑与城市规划学院 matches lead institution 同济大学"}}},
		{4, []Reason{{Code: ReasonLoadCampaign, Detail: "campaign load 7 + 2 > cap 8"}}},
	}
	if diff := cmp.Diff(want, got.Excluded, reasonText); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
	tech := byHandKey(testSeed, "P-1,P-2", []int64{3, 6, 7, 9, 10, 12})
	if !slices.Equal(got.Technical, tech[:5]) {
		t.Errorf("technical %v, want %v", got.Technical, tech[:5])
	}
}

func TestDrawInvalidInput(t *testing.T) {
	good := func() DrawInput {
		return DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, "P-1")},
			Pool: []Expert{drawExpert(1, DomainExpert)}, Panel: panelRules("other")}
	}
	tests := []struct {
		name string
		edit func(*DrawInput)
		want string
	}{
		{"short seed", func(in *DrawInput) { in.Seed = "abc" }, "seed"},
		{"upper-case seed", func(in *DrawInput) { in.Seed = strings.ToUpper(testSeed) }, "seed"},
		{"no project", func(in *DrawInput) { in.Projects = nil }, "no project"},
		{"no code", func(in *DrawInput) { in.Projects[0].Code = "" }, "no code"},
		{"a project twice", func(in *DrawInput) { in.Projects = append(in.Projects, in.Projects[0]) }, "P-1 twice"},
		{"an expert twice", func(in *DrawInput) { in.Pool = append(in.Pool, in.Pool[0]) }, "expert 1 twice"},
		{"even technical group", func(in *DrawInput) { in.Panel.Technical = 6 }, "5, 7 or 9"},
		{"no finance", func(in *DrawInput) { in.Panel.Finance = 0 }, "finance group of 0"},
		{"quota of finance experts", func(in *DrawInput) {
			in.Panel.Quotas = []Quota{{Name: "f", Types: []string{FinanceExpert}, Min: 1}}
		}, "not a technical expert type"},
		{"quotas over the seats", func(in *DrawInput) {
			in.Panel.Quotas = []Quota{{Name: "a", Types: []string{DomainExpert}, Min: 3}, {Name: "b", Types: []string{Investor}, Min: 3}}
		}, "add up to 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good()
			tt.edit(&in)
			_, err := Draw(in)
			var de *DrawError
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.As(err, &de) {
				t.Errorf("error %v, want an input error containing %q", err, tt.want)
			}
		})
	}
}

func TestReplace(t *testing.T) {
	const code = "SH-2025-001"
	D, S, I, F := DomainExpert, StrategicScientist, Investor, FinanceExpert
	// By rank: the quotas seat r4 (investor), r2 and r3 (domain), then r0
	// and r1; alternates r5 (investor) and r6 (domain); finance r7, r8.
	pool, r := rankedPool(code, []string{S, S, D, D, I, I, D, F, F})
	in := DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, code)}, Pool: pool, Rules: Rules{Year: 2025},
		Panel: panelRules("applied_technology")}
	drawn, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{r[4], r[2], r[3], r[0], r[1]}; !slices.Equal(drawn.Technical, want) || !slices.Equal(drawn.Alternates, []int64{r[5], r[6]}) {
		t.Fatalf("drawn %+v, want technical %v alternates %v", drawn, want, []int64{r[5], r[6]})
	}
	saved, _ := json.Marshal(drawn)

	tests := []struct {
		name       string
		declined   []int64
		edit       func(in *DrawInput)
		technical  []int64
		alternates []int64
		finance    []int64
		finAlts    []int64
		err        string
	}{
		{name: "domain expert: the investor alternate would break the domain quota, the domain alternate takes the seat",
			declined: []int64{r[2]}, technical: []int64{r[4], r[6], r[3], r[0], r[1]}, alternates: []int64{r[5]}, finance: []int64{r[7]}, finAlts: []int64{r[8]}},
		{name: "strategic scientist: the first alternate",
			declined: []int64{r[0]}, technical: []int64{r[4], r[2], r[3], r[5], r[1]}, alternates: []int64{r[6]}, finance: []int64{r[7]}, finAlts: []int64{r[8]}},
		{name: "investor: the investor alternate",
			declined: []int64{r[4]}, technical: []int64{r[5], r[2], r[3], r[0], r[1]}, alternates: []int64{r[6]}, finance: []int64{r[7]}, finAlts: []int64{r[8]}},
		{name: "an alternate declines", declined: []int64{r[5]},
			technical: drawn.Technical, alternates: []int64{r[6]}, finance: []int64{r[7]}, finAlts: []int64{r[8]}},
		{name: "finance", declined: []int64{r[7]},
			technical: drawn.Technical, alternates: drawn.Alternates, finance: []int64{r[8]}},
		{name: "two domain experts decline: nobody keeps the quota", declined: []int64{r[2], r[3]},
			err: fmt.Sprintf(`replace expert %d on %s: quota "domain_expert" needs 2 of domain_expert, 0 eligible alternates can keep it`, r[3], code)},
		{name: "the finance alternate is gone", declined: []int64{r[7], r[8]},
			err: fmt.Sprintf(`replace expert %d on %s: finance group needs 1 finance_expert, 0 eligible alternates can keep it`, r[8], code)},
		{name: "the domain alternate has declared a conflict since", declined: []int64{r[2]},
			edit: func(in *DrawInput) {
				in.Pool[r[6]-1].Declared = []DeclaredConflict{{ProjectID: 1, Year: 2025}}
			},
			err: fmt.Sprintf(`replace expert %d on %s: quota "domain_expert" needs 2 of domain_expert, 0 eligible alternates can keep it`, r[2], code)},
		{name: "the first alternate is over the load cap now", declined: []int64{r[0]},
			edit:      func(in *DrawInput) { in.Pool[r[5]-1].LoadCampaign = 8 },
			technical: []int64{r[4], r[2], r[3], r[6], r[1]}, alternates: []int64{r[5]}, finance: []int64{r[7]}, finAlts: []int64{r[8]}},
		{name: "not on the panel", declined: []int64{999}, err: "replace: expert 999 is not on the panel of " + code},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := in
			in.Pool = slices.Clone(in.Pool)
			if tt.edit != nil {
				tt.edit(&in)
			}
			res, err := drawn, error(nil)
			for _, id := range tt.declined {
				if res, err = Replace(in, res, id); err != nil {
					break
				}
			}
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Technical, tt.technical) || !slices.Equal(res.Alternates, tt.alternates) ||
				!slices.Equal(res.Finance, tt.finance) || !slices.Equal(res.FinanceAlternates, tt.finAlts) {
				t.Errorf("got technical %v alternates %v finance %v %v\nwant technical %v alternates %v finance %v %v",
					res.Technical, res.Alternates, res.Finance, res.FinanceAlternates, tt.technical, tt.alternates, tt.finance, tt.finAlts)
			}
			if !reflect.DeepEqual(res.Excluded, drawn.Excluded) || res.PoolHash != drawn.PoolHash {
				t.Error("Replace changed the excluded list or the pool hash")
			}
		})
	}
	if now, _ := json.Marshal(drawn); string(now) != string(saved) {
		t.Error("Replace modified the result it was given")
	}
}

func TestReplaceSoftQuota(t *testing.T) {
	const code = "B-1"
	D, P, F := DomainExpert, InternationalPeer, FinanceExpert
	// The domain quota seats r1, r2, r3, the peer quota r0, the rest r4;
	// the alternate is r5.
	pool, r := rankedPool(code, []string{P, D, D, D, D, D, F})
	p := drawProject(1, code)
	p.Class = "basic_research"
	pr := panelRules("basic_research")
	pr.Alternates, pr.FinanceAlternates = 1, 0
	in := DrawInput{Seed: testSeed, Projects: []Project{p}, Pool: pool, Panel: pr}
	drawn, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if drawn.Shortfalls != nil || drawn.Technical[3] != r[0] {
		t.Fatalf("drawn %+v, want the peer %d 4th and no shortfall", drawn, r[0])
	}
	got, err := Replace(in, drawn, r[0])
	if err != nil {
		t.Fatal(err)
	}
	if want := []Shortfall{{Quota: "international_peer", Needed: 1, Seated: 0, Eligible: 0}}; !reflect.DeepEqual(got.Shortfalls, want) {
		t.Errorf("shortfalls %+v, want %+v", got.Shortfalls, want)
	}
	if got.Technical[3] != r[5] || got.Alternates != nil {
		t.Errorf("technical %v alternates %v, want %d in the peer's seat and none left", got.Technical, got.Alternates, r[5])
	}
}

func TestPoolHash(t *testing.T) {
	e := drawExpert(2, DomainExpert)
	e.Institution = "R&D <中心>"
	if got, want := string(PoolJSON([]Expert{e})), `[{"id":2,"name":"专家2","type":"domain_expert","institution":"R&D <中心>","region":"local","subject_codes":["520.20"],"can_be_drawn":true,"load_campaign":0,"load_year":0}]`; got != want {
		t.Errorf("PoolJSON:\ngot  %s\nwant %s", got, want)
	}
	if got := string(PoolJSON(nil)); got != "[]" {
		t.Errorf("PoolJSON(nil) = %s, want []", got)
	}
	a, b := drawExpert(1, DomainExpert), drawExpert(2, FinanceExpert)
	h := PoolHash([]Expert{a, b})
	if sum := sha256.Sum256(PoolJSON([]Expert{a, b})); h != hex.EncodeToString(sum[:]) {
		t.Error("PoolHash is not the SHA-256 of PoolJSON")
	}
	if PoolHash([]Expert{b, a}) != h {
		t.Error("PoolHash depends on the order of the pool")
	}
	b.LoadYear = 1
	if PoolHash([]Expert{a, b}) == h {
		t.Error("PoolHash does not cover the load")
	}
}

// randomDrawInput makes a draw of one or two projects over a pool from the
// conflict vocabularies, where half the experts have an institution and a
// name of their own, with random types, loads, flags and subject codes.
func randomDrawInput(r *rand.Rand) DrawInput {
	rules, projects, pool := randomConflictCase(r, 40+r.IntN(40), 1+r.IntN(2))
	types := []string{DomainExpert, DomainExpert, DomainExpert, StrategicScientist, InternationalPeer, Investor, Entrepreneur, FinanceExpert, FinanceExpert}
	subjects := []string{"520.10", "520.20", "530.10", "610.30", "F0201"}
	for i := range pool {
		e := &pool[i]
		if r.IntN(2) == 0 {
			e.Name, e.Institution = fmt.Sprintf("专家%d", e.ID), fmt.Sprintf("第%d研究所", e.ID)
			e.Declared, e.Collaborations = nil, nil
		}
		e.Type = pick(r, types)
		e.CanBeDrawn = r.IntN(10) > 0
		e.LoadCampaign, e.LoadYear = r.IntN(9), r.IntN(11)
		e.SubjectCodes = []string{pick(r, subjects), pick(r, subjects)}
	}
	class := pick(r, []string{"basic_research", "applied_technology", "other"})
	for i := range projects {
		projects[i].Class = class
		projects[i].SubjectCodes = []string{pick(r, subjects[:3])}
	}
	pr := panelRules(class)
	pr.Technical = pick(r, []int{5, 5, 7, 9})
	pr.Finance = 1 + r.IntN(2)
	pr.Alternates, pr.FinanceAlternates = r.IntN(4), r.IntN(2)
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(r.IntN(256))
	}
	return DrawInput{Seed: hex.EncodeToString(seed), Projects: projects, Pool: pool, Rules: rules, Panel: pr}
}

// TestDrawProperties checks on random pools what every draw must satisfy,
// against eligibility computed here from Checker: nobody conflicted or
// ineligible is drawn, every ineligible expert is listed with his reasons,
// the sizes and quotas hold, alternates come in key order, and a failed
// draw really was infeasible.
func TestDrawProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ok, failed := 0, 0
	for n := range 200 {
		in := randomDrawInput(r)
		c := NewChecker(in.Rules)
		var codes []string
		group := Project{}
		projects := slices.Clone(in.Projects)
		slices.SortFunc(projects, func(a, b Project) int { return strings.Compare(a.Code, b.Code) })
		for _, p := range projects {
			codes = append(codes, p.Code)
			for _, s := range p.SubjectCodes {
				if !slices.Contains(group.SubjectCodes, s) {
					group.SubjectCodes = append(group.SubjectCodes, s)
				}
			}
		}
		reasons := map[int64][]Reason{}
		eligible := map[int64]bool{}
		var excluded []Exclusion
		var tech, fin []int64
		for _, e := range in.Pool {
			var rs []Reason
			for _, p := range projects {
				for _, x := range c.Conflicts(&p, &e) {
					if len(in.Projects) > 1 {
						x.Detail = p.Code + ": " + x.Detail
					}
					rs = append(rs, x)
				}
			}
			rs = append(rs, c.Eligibility(&group, &e, in.Panel.Caps, len(in.Projects))...)
			reasons[e.ID] = rs
			if len(rs) > 0 {
				excluded = append(excluded, Exclusion{e.ID, rs})
				continue
			}
			eligible[e.ID] = true
			if e.Type == FinanceExpert {
				fin = append(fin, e.ID)
			} else {
				tech = append(tech, e.ID)
			}
		}
		slices.SortFunc(excluded, func(a, b Exclusion) int { return int(a.ExpertID - b.ExpertID) })
		joined := strings.Join(codes, ",")
		tech, fin = byHandKey(in.Seed, joined, tech), byHandKey(in.Seed, joined, fin)
		typeOf := map[int64]string{}
		for _, e := range in.Pool {
			typeOf[e.ID] = e.Type
		}
		count := func(ids []int64, types []string) int {
			k := 0
			for _, id := range ids {
				if slices.Contains(types, typeOf[id]) {
					k++
				}
			}
			return k
		}

		// Excluded lists the same experts, whether or not the draw can be made.
		if got, err := Excluded(in); err != nil {
			t.Fatalf("instance %d: Excluded: %v", n, err)
		} else if diff := cmp.Diff(excluded, got, reasonText); diff != "" {
			t.Fatalf("instance %d: Excluded (-want +got):\n%s", n, diff)
		}
		res, err := Draw(in)
		if err != nil {
			failed++
			var de *DrawError
			if !errors.As(err, &de) {
				t.Fatalf("instance %d: %v", n, err)
			}
			var have int
			switch de.Quota {
			case GroupTechnical:
				have = len(tech)
			case GroupFinance:
				have = len(fin)
			default:
				have = count(tech, de.Types)
			}
			if de.Eligible != have || have >= de.Needed {
				t.Fatalf("instance %d: %v, but %d eligible", n, err, have)
			}
			continue
		}
		ok++
		if diff := cmp.Diff(excluded, res.Excluded, reasonText); diff != "" {
			t.Fatalf("instance %d: excluded (-want +got):\n%s", n, diff)
		}
		all := slices.Concat(res.Technical, res.Finance, res.Alternates, res.FinanceAlternates)
		for _, id := range all {
			if !eligible[id] {
				t.Fatalf("instance %d: drew %d, who is not eligible: %v", n, id, reasons[id])
			}
		}
		sorted := slices.Clone(all)
		slices.Sort(sorted)
		if len(slices.Compact(sorted)) != len(all) {
			t.Fatalf("instance %d: an expert drawn twice: %+v", n, res)
		}
		if len(res.Technical) != in.Panel.Technical || len(res.Finance) != in.Panel.Finance {
			t.Fatalf("instance %d: %d technical, %d finance", n, len(res.Technical), len(res.Finance))
		}
		if count(res.Technical, []string{FinanceExpert}) > 0 || count(res.Alternates, []string{FinanceExpert}) > 0 ||
			count(res.Finance, []string{FinanceExpert}) != len(res.Finance) || count(res.FinanceAlternates, []string{FinanceExpert}) != len(res.FinanceAlternates) {
			t.Fatalf("instance %d: a finance expert in a technical seat or the other way round: %+v", n, res)
		}
		var short []Shortfall
		for _, q := range in.Panel.Quotas {
			got := count(res.Technical, q.Types)
			if got >= q.Min {
				continue
			}
			if !q.Soft {
				t.Fatalf("instance %d: hard quota %s has %d of %d", n, q.Name, got, q.Min)
			}
			short = append(short, Shortfall{q.Name, q.Min, got, count(tech, q.Types)})
			if got != count(tech, q.Types) {
				t.Fatalf("instance %d: soft quota %s short with eligible experts left", n, q.Name)
			}
		}
		if !slices.Equal(res.Finance, fin[:in.Panel.Finance]) {
			t.Fatalf("instance %d: finance %v, want %v", n, res.Finance, fin[:in.Panel.Finance])
		}
		var alts []int64
		for _, id := range tech {
			if len(alts) < in.Panel.Alternates && !slices.Contains(res.Technical, id) {
				alts = append(alts, id)
			}
		}
		finAlts := fin[in.Panel.Finance:min(len(fin), in.Panel.Finance+in.Panel.FinanceAlternates)]
		if !slices.Equal(res.Alternates, alts) || !slices.Equal(res.FinanceAlternates, finAlts) {
			t.Fatalf("instance %d: alternates %v %v, want %v %v", n, res.Alternates, res.FinanceAlternates, alts, finAlts)
		}
		if len(alts) < in.Panel.Alternates {
			short = append(short, Shortfall{GroupAlternates, in.Panel.Alternates, len(alts), len(tech) - in.Panel.Technical})
		}
		if len(finAlts) < in.Panel.FinanceAlternates {
			short = append(short, Shortfall{GroupFinanceAlternates, in.Panel.FinanceAlternates, len(finAlts), len(fin) - in.Panel.Finance})
		}
		if !reflect.DeepEqual(res.Shortfalls, short) {
			t.Fatalf("instance %d: shortfalls %+v, want %+v", n, res.Shortfalls, short)
		}

		// Any seat refilled keeps the hard quotas, with an eligible
		// alternate, or the error names a quota or group.
		seat := pick(r, all)
		next, err := Replace(in, res, seat)
		if err != nil {
			var de *DrawError
			if !errors.As(err, &de) || de.Declined != seat {
				t.Fatalf("instance %d: replace %d: %v", n, seat, err)
			}
			continue
		}
		if slices.Contains(slices.Concat(next.Technical, next.Finance, next.Alternates, next.FinanceAlternates), seat) {
			t.Fatalf("instance %d: %d declined and is still on the panel: %+v", n, seat, next)
		}
		for _, q := range in.Panel.Quotas {
			if !q.Soft && count(next.Technical, q.Types) < q.Min {
				t.Fatalf("instance %d: replacing %d broke quota %s: %+v", n, seat, q.Name, next)
			}
		}
		for _, id := range slices.Concat(next.Technical, next.Finance) {
			if !eligible[id] {
				t.Fatalf("instance %d: replacing %d seated %d, who is not eligible", n, seat, id)
			}
		}
	}
	t.Logf("%d draws, %d infeasible", ok, failed)
	if ok < 100 || failed < 5 {
		t.Errorf("%d draws succeeded and %d failed: the instances do not exercise both", ok, failed)
	}
}

// panelRules are the rules the tests draw with, shaped like a campaign's
// defaults (evaluation.DefaultCampaignSettings, with its quota names): 5
// technical experts, 1 finance expert, 2 technical alternates and 1 finance
// alternate, load caps of 8 and 10, subject match required; for
// basic_research at least 3 domain experts or strategic scientists and,
// soft, 1 international peer; for applied_technology at least 1 investor or
// entrepreneur and 2 domain experts. Another class gets no quotas.
func panelRules(class string) PanelRules {
	pr := PanelRules{
		Technical: 5, Finance: 1, Alternates: 2, FinanceAlternates: 1,
		Caps: Caps{Campaign: 8, Year: 10, RequireSubject: true},
	}
	switch class {
	case "basic_research":
		pr.Quotas = []Quota{
			{Name: "domain_or_strategic", Types: []string{DomainExpert, StrategicScientist}, Min: 3},
			{Name: "international_peer", Types: []string{InternationalPeer}, Min: 1, Soft: true},
		}
	case "applied_technology":
		pr.Quotas = []Quota{
			{Name: "investor_or_entrepreneur", Types: []string{Investor, Entrepreneur}, Min: 1},
			{Name: "domain_expert", Types: []string{DomainExpert}, Min: 2},
		}
	}
	return pr
}

// Experts whose records defer them are drawn after all the others, in key
// order among themselves, and listed with their reasons; they are still
// seated when the others do not fill the panel, and a pool without any
// deferral is the same snapshot as before the preference existed.
func TestDrawDefersExperts(t *testing.T) {
	var pool []Expert
	var tech []int64
	for id := int64(1); id <= 12; id++ {
		pool = append(pool, drawExpert(id, DomainExpert))
		tech = append(tech, id)
	}
	pool = append(pool, drawExpert(20, FinanceExpert), drawExpert(21, FinanceExpert))
	pr := panelRules("other")
	pr.Technical, pr.Alternates = 5, 3
	in := DrawInput{Seed: testSeed, Projects: []Project{drawProject(1, "X-1")}, Pool: pool, Panel: pr}
	plain, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(plain); strings.Contains(string(b), "deferred") || strings.Contains(string(PoolJSON(pool)), "deferred") {
		t.Fatalf("a draw without deferrals names them: %s", b)
	}
	ranked := byHandKey(testSeed, "X-1", tech)
	// Defer the first two of the ranking and the first finance expert.
	slow := &Deferral{Code: "on_time", Assigned: 5, OnTime: 2}
	deferredPool := slices.Clone(pool)
	for i := range deferredPool {
		if id := deferredPool[i].ID; id == ranked[0] || id == ranked[1] || id == plain.Finance[0] {
			deferredPool[i].Deferred = slow
		}
	}
	in.Pool = deferredPool
	got, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(ranked[2:]), ranked[0], ranked[1])
	if !reflect.DeepEqual(got.Technical, want[:5]) || !reflect.DeepEqual(got.Alternates, want[5:8]) {
		t.Errorf("technical %v alternates %v, want %v then %v", got.Technical, got.Alternates, want[:5], want[5:8])
	}
	if got.Finance[0] == plain.Finance[0] {
		t.Errorf("the deferred finance expert %d was still drawn first", got.Finance[0])
	}
	wantDeferred := []DeferredExpert{{ranked[0], *slow}, {ranked[1], *slow}, {plain.Finance[0], *slow}}
	slices.SortFunc(wantDeferred, func(a, b DeferredExpert) int { return int(a.ExpertID - b.ExpertID) })
	if diff := cmp.Diff(wantDeferred, got.Deferred); diff != "" {
		t.Errorf("deferred (-want +got):\n%s", diff)
	}
	if got.PoolHash == plain.PoolHash {
		t.Error("the deferrals are not part of the pool snapshot")
	}

	// Never an exclusion: with only deferred experts eligible, they fill
	// the panel.
	for i := range deferredPool {
		deferredPool[i].Deferred = &Deferral{Code: "declines", Declines: 3}
	}
	all, err := Draw(in)
	if err != nil {
		t.Fatalf("a pool of deferred experts: %v", err)
	}
	if !reflect.DeepEqual(all.Technical, ranked[:5]) || len(all.Deferred) != len(deferredPool) {
		t.Errorf("technical %v (want %v), %d deferred", all.Technical, ranked[:5], len(all.Deferred))
	}
}

package demo

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/rubrics"
)

// seeded is the demo seeded once for the package's tests, which only read
// it (TestSeedTwice seeds again and changes nothing; a refused transition
// changes nothing either): seeding takes a second, a dozen tests would
// take a dozen. TestMain removes its folder.
var seeded struct {
	once   sync.Once
	dir    string
	db     *sqlstore.DB
	svc    *evaluation.Services
	logins *Logins
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seeded.db != nil {
		seeded.db.Close()
	}
	if seeded.dir != "" {
		os.RemoveAll(seeded.dir)
	}
	os.Exit(code)
}

// seedDB returns the demo seeded into a fresh database with the default
// rubrics installed, as `evalpanel serve --demo` does.
func seedDB(t *testing.T) (*sqlstore.DB, *evaluation.Services, *Logins) {
	t.Helper()
	seeded.once.Do(func() {
		seeded.db, seeded.svc, seeded.logins, seeded.err = seed()
	})
	if seeded.err != nil {
		t.Fatal(seeded.err)
	}
	return seeded.db, seeded.svc, seeded.logins
}

func seed() (*sqlstore.DB, *evaluation.Services, *Logins, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "evalpanel-demo-test")
	if err != nil {
		return nil, nil, nil, err
	}
	seeded.dir = dir
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		return nil, nil, nil, err
	}
	blobs, err := files.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		return db, nil, nil, err
	}
	svc, err := evaluation.New(db, password.New(password.Fast), evaluation.WithBlobs(blobs))
	if err != nil {
		return db, nil, nil, err
	}
	defaults, err := rubrics.Defaults()
	if err != nil {
		return db, nil, nil, err
	}
	if err := svc.Rubrics.InstallDefaultRubrics(ctx, defaults); err != nil {
		return db, nil, nil, err
	}
	logins, err := Seed(ctx, db, svc)
	if err != nil {
		return db, nil, nil, fmt.Errorf("Seed: %w", err)
	}
	return db, svc, logins, nil
}

// seededCampaign is a campaign with its projects, indicators included.
type seededCampaign struct {
	*evaluation.Campaign
	projects []*evaluation.Project
}

func loadCampaigns(t *testing.T, svc *evaluation.Services) map[string]seededCampaign {
	t.Helper()
	ctx := t.Context()
	list, err := svc.Campaigns.Campaigns(ctx, evaluation.System, evaluation.CampaignFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]seededCampaign{}
	for _, c := range list {
		ps, _, err := svc.Campaigns.Projects(ctx, evaluation.System, evaluation.ProjectFilter{CampaignID: c.ID,
			Page: evaluation.Page{Number: 1, Size: 200}})
		if err != nil {
			t.Fatal(err)
		}
		sc := seededCampaign{Campaign: c}
		for _, p := range ps {
			full, err := svc.Campaigns.Project(ctx, evaluation.System, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			sc.projects = append(sc.projects, full)
		}
		out[c.Name] = sc
	}
	return out
}

func allProjects(cs map[string]seededCampaign) []*evaluation.Project {
	var out []*evaluation.Project
	for _, c := range cs {
		out = append(out, c.projects...)
	}
	return out
}

func TestSeedCampaigns(t *testing.T) {
	_, svc, logins := seedDB(t)
	if !logins.Seeded {
		t.Fatal("Seeded = false on an empty database")
	}
	cs := loadCampaigns(t, svc)
	// The deadlines are days from the day of seeding (campaignSettings).
	day := func(n int) string { return time.Now().In(evaluation.Beijing).AddDate(0, 0, n).Format(time.DateOnly) }
	past := func(start int) (string, string) { return day(start + dayScoring), day(start + dayDue) }
	closedOpens, closedDue := past(-110)
	returnedOpens, returnedDue := past(-60)
	publishedOpens, publishedDue := past(-50)
	waitingOpens, waitingDue := past(-40)
	tests := []struct {
		name     string
		agency   string
		state    evaluation.CampaignState
		year     int
		projects int
		opens    string
		due      string
	}{
		{"2026 年度市级科技计划项目综合绩效评价（第一批）", "SSTPC", evaluation.CampaignForming, 2026, 12, day(7), day(28)},
		// Its panels are matched, invited and confirmed (formPanels).
		{"2026 年度科技创新行动计划项目综合绩效评价", "SHTIS", evaluation.CampaignScoring, 2026, 8, day(-10), day(10)},
		// Scored, with its results under way (results.go); its scoring
		// closes the day it is seeded.
		{"2025 年度市级科技计划项目综合绩效评价（第二批）", "SSTPC", evaluation.CampaignConcluding, 2025, 6, day(-28), day(0)},
		// The past campaigns (past.go), each played on its own days.
		{closedName, "SSTPC", evaluation.CampaignClosed, 2024, 5, closedOpens, closedDue},
		{returnedName, "SSTPC", evaluation.CampaignSubmitted, 2025, 4, returnedOpens, returnedDue},
		{publishedName, "SHTIS", evaluation.CampaignPublished, 2025, 4, publishedOpens, publishedDue},
		{waitingName, "SHTIS", evaluation.CampaignSubmitted, 2025, 4, waitingOpens, waitingDue},
	}
	if len(cs) != len(tests) {
		t.Errorf("got %d campaigns, want %d", len(cs), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := cs[tt.name]
			if !ok {
				t.Fatalf("campaign %q not seeded", tt.name)
			}
			if c.AgencyCode != tt.agency || c.State != tt.state || c.Year != tt.year {
				t.Errorf("got agency %s, state %s, year %d; want %s, %s, %d", c.AgencyCode, c.State, c.Year, tt.agency, tt.state, tt.year)
			}
			if c.Settings.ScoringOpens != tt.opens || c.Settings.ScoringDue != tt.due {
				t.Errorf("scoring from %q to %q, want %q to %q", c.Settings.ScoringOpens, c.Settings.ScoringDue, tt.opens, tt.due)
			}
			if len(c.projects) != tt.projects {
				t.Errorf("got %d projects, want %d", len(c.projects), tt.projects)
			}
			classes := map[evaluation.ProjectClass]int{}
			for _, p := range c.projects {
				classes[p.Class]++
			}
			for _, class := range evaluation.ProjectClasses {
				if classes[class] < 2 {
					t.Errorf("%d projects of class %s, want at least 2", classes[class], class)
				}
			}
		})
	}
}

// TestSeedProjectsRealistic checks the shape of every project: team,
// funds, dates, indicators, and that basic research is not judged on paper
// counts (破四唯).
func TestSeedProjectsRealistic(t *testing.T) {
	_, svc, _ := seedDB(t)
	for _, p := range allProjects(loadCampaigns(t, svc)) {
		t.Run(p.Code, func(t *testing.T) {
			if n := len(p.Members); n < 3 || n > 8 {
				t.Errorf("%d members, want 3 to 8", n)
			}
			if len(p.Participants) == 0 && p.Class == evaluation.AppliedTechnology {
				t.Error("applied project without participating institutions")
			}
			lo, hi := wan(100), wan(300)
			if p.Class == evaluation.AppliedTechnology {
				lo, hi = wan(300), wan(2000)
			}
			if p.Budget < lo || p.Budget > hi {
				t.Errorf("budget %d fen, want %d..%d", p.Budget, lo, hi)
			}
			if p.Spent < p.Budget*85/100 || p.Spent > p.Budget {
				t.Errorf("spent %d of budget %d, want 85%%..100%%", p.Spent, p.Budget)
			}
			if p.Start == "" || p.End < "2024-01-01" || p.End > "2026-12-31" {
				t.Errorf("runs %s to %s, want an end in 2024 to 2026", p.Start, p.End)
			}
			if len(p.Keywords) < 3 {
				t.Errorf("%d keywords, want at least 3", len(p.Keywords))
			}
			if n := len(p.Indicators); n < 3 || n > 6 {
				t.Errorf("%d indicators, want 3 to 6", n)
			}
			mains := 0
			for _, in := range p.Indicators {
				if !in.Main {
					continue
				}
				mains++
				if p.Class == evaluation.BasicResearch && strings.Contains(in.Name, "论文") {
					t.Errorf("main indicator %q counts papers", in.Name)
				}
			}
			if mains == 0 {
				t.Error("no main indicator")
			}
			if p.Promotion && !slices.Contains(p.Methods, evaluation.Inspection) {
				t.Errorf("promotion project without inspection: methods %v", p.Methods)
			}
		})
	}
}

func TestSeedIndicatorStatuses(t *testing.T) {
	_, svc, _ := seedDB(t)
	got := map[evaluation.IndicatorStatus]int{}
	numeric, text, le := 0, 0, 0
	for _, p := range allProjects(loadCampaigns(t, svc)) {
		for _, in := range p.Indicators {
			got[in.Status]++
			switch {
			case in.Target.Numeric():
				numeric++
				if in.Target.Direction == evaluation.AtMost {
					le++
				}
				if s, ok := in.ComputeStatus(); ok && s != in.Status {
					t.Errorf("%s %q: status %s, computed %s", p.Code, in.Name, in.Status, s)
				}
			default:
				text++
			}
		}
	}
	for _, s := range []evaluation.IndicatorStatus{evaluation.StatusMet, evaluation.StatusPartly, evaluation.StatusNotMet,
		evaluation.StatusUnknown} {
		if got[s] < 3 {
			t.Errorf("%d indicators %s, want at least 3 (all: %v)", got[s], s, got)
		}
	}
	if got[evaluation.StatusMet] <= got[evaluation.StatusNotMet]+got[evaluation.StatusPartly] {
		t.Errorf("statuses %v: most indicators should be met", got)
	}
	if text < 10 || le < 10 || numeric < 2*text {
		t.Errorf("%d numeric (%d at most), %d text indicators: want mostly numeric, some ≤ and some text", numeric, le, text)
	}
}

// sameInstitution is a stricter stand-in for the conflict engine's rule:
// one name is a prefix of the other.
func sameInstitution(a, b string) bool {
	return a != "" && b != "" && (strings.HasPrefix(a, b) || strings.HasPrefix(b, a))
}

// conflicted reports whether the expert is kept off the project by its
// institutions, its team or its avoid list.
func conflicted(p *evaluation.Project, e evaluation.Expert) bool {
	for _, inst := range append([]string{p.Lead}, p.Participants...) {
		if sameInstitution(inst, e.Institution) {
			return true
		}
	}
	for _, m := range append([]evaluation.Member{p.PI}, p.Members...) {
		if m.Name == e.Name {
			return true
		}
	}
	for _, a := range p.Avoid {
		if a.Name == e.Name {
			return true
		}
	}
	return false
}

func sharesDiscipline(p *evaluation.Project, e evaluation.Expert) bool {
	for _, a := range p.SubjectCodes {
		for _, b := range e.SubjectCodes {
			if a[:3] == b[:3] {
				return true
			}
		}
	}
	return false
}

// TestSeedSubjectsMatchPool checks that draws can find panels: every
// project shares a first-level discipline with at least 6 technical
// experts, and with enough drawable, conflict-free ones to fill the hard
// quotas of its class.
func TestSeedSubjectsMatchPool(t *testing.T) {
	_, svc, _ := seedDB(t)
	for _, c := range loadCampaigns(t, svc) {
		for _, p := range c.projects {
			t.Run(p.Code, func(t *testing.T) {
				matching, eligible := 0, map[evaluation.ExpertType]int{}
				total := 0
				for _, e := range experts {
					if e.Type == evaluation.FinanceExpert || !sharesDiscipline(p, e) {
						continue
					}
					matching++
					if e.CanBeDrawn && !conflicted(p, e) {
						eligible[e.Type]++
						total++
					}
				}
				if matching < 6 {
					t.Errorf("subjects %v match %d technical experts, want at least 6", p.SubjectCodes, matching)
				}
				if total < 6 {
					t.Errorf("subjects %v: %d drawable conflict-free technical experts, want at least 6", p.SubjectCodes, total)
				}
				for _, q := range c.Settings.Panels[p.Class].Quotas {
					n := 0
					for _, typ := range q.Types {
						n += eligible[evaluation.ExpertType(typ)]
					}
					if !q.Soft && n < q.Min {
						t.Errorf("quota %s: %d eligible experts, want at least %d", q.Name, n, q.Min)
					}
				}
			})
		}
	}
}

// TestSeedConflictCases checks the deliberate conflicts of interest the
// conflict engine has to show, and that no other project person shares a
// pool expert's name.
func TestSeedConflictCases(t *testing.T) {
	_, svc, _ := seedDB(t)
	var members, leads, avoids []string
	for _, p := range allProjects(loadCampaigns(t, svc)) {
		for _, e := range experts {
			for _, m := range append([]evaluation.Member{p.PI}, p.Members...) {
				if m.Name == e.Name {
					members = append(members, p.Code+" "+e.Name)
					if m.Institution != e.Institution {
						t.Errorf("%s: member %s of %s, the expert is at %s", p.Code, m.Name, m.Institution, e.Institution)
					}
				}
			}
			if p.Lead == e.Institution {
				leads = append(leads, p.Code+" "+e.Name)
			}
			for _, a := range p.Avoid {
				if a.Name == e.Name && a.Institution == e.Institution {
					avoids = append(avoids, p.Code+" "+e.Name)
				}
			}
		}
	}
	for _, tt := range []struct {
		name string
		got  []string
		want []string
	}{
		{"member is a pool expert", members, []string{"23DZ2200500 陈志强"}},
		{"lead institution of pool experts", leads, []string{"23DZ2200100 林国栋", "23DZ2200100 张卫东"}},
		{"avoid list names a pool expert", avoids, []string{"23DZ2200300 唐建军"}},
	} {
		slices.Sort(tt.got)
		slices.Sort(tt.want)
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// TestSeedTwice checks that a second Seed changes nothing and still
// returns the logins, and that the audit chain of the seeding verifies.
func TestSeedTwice(t *testing.T) {
	db, svc, first := seedDB(t)
	ctx := t.Context()
	before := allProjects(loadCampaigns(t, svc))
	again, err := Seed(ctx, db, svc)
	if err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if again.Seeded || len(again.Accounts) != len(first.Accounts) || again.Experts != first.Experts {
		t.Errorf("second Seed: seeded %v, %d accounts, %d experts; want false, %d, %d",
			again.Seeded, len(again.Accounts), again.Experts, len(first.Accounts), first.Experts)
	}
	if after := allProjects(loadCampaigns(t, svc)); len(after) != len(before) {
		t.Errorf("%d projects after the second Seed, want %d", len(after), len(before))
	}
	n, _, problem, err := evaluation.VerifyAudit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if problem != nil {
		t.Errorf("audit chain: %+v", problem)
	}
	if want := int64(len(experts) + len(before)); n < want {
		t.Errorf("%d audit entries, want at least %d", n, want)
	}
}

// TestSeedPanels: the scoring campaign has a confirmed panel per project,
// one with a declined member replaced by an alternate and one with a
// member who declared a conflict, the alternate invited; the forming one has
// four drawn panels, two invited; every draw and match re-runs from its
// record.
func TestSeedPanels(t *testing.T) {
	db, svc, _ := seedDB(t)
	ctx := t.Context()
	campaigns, err := svc.Campaigns.Campaigns(ctx, evaluation.System, evaluation.CampaignFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range campaigns {
		panels, err := svc.Panels.Panels(ctx, evaluation.System, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		states := map[evaluation.PanelState]int{}
		declined, invited := 0, 0
		for _, p := range panels {
			states[p.State]++
			for _, m := range p.Members {
				switch m.Status {
				case evaluation.MemberDeclined:
					declined++
				case evaluation.MemberInvited:
					invited++
				}
			}
		}
		switch c.State {
		case evaluation.CampaignScoring:
			if len(panels) != c.Projects || states[evaluation.PanelConfirmed] != len(panels) || declined != 2 || invited != 1 {
				t.Errorf("%s: %d panels for %d projects, states %v, %d declined, %d invited", c.Name, len(panels), c.Projects,
					states, declined, invited)
			}
		case evaluation.CampaignForming:
			if len(panels) != 4 || states[evaluation.PanelInviting]+states[evaluation.PanelConfirmed] != 2 {
				t.Errorf("%s: %d panels, states %v", c.Name, len(panels), states)
			}
		default:
			// The concluding campaign and the past ones; the closed one had
			// two declines and a declared conflict.
			want := 0
			if c.State == evaluation.CampaignClosed {
				want = 3
			}
			if len(panels) != c.Projects || states[evaluation.PanelConfirmed] != len(panels) || declined != want || invited != 0 {
				t.Errorf("%s: %d panels for %d projects, states %v, %d declined, %d invited; want %d declined",
					c.Name, len(panels), c.Projects, states, declined, invited, want)
			}
			// The showcase experts' workspaces show the other campaigns only.
			for _, p := range panels {
				for _, m := range p.Members {
					if m.Status.Seated() && slices.ContainsFunc(showcase, func(l Login) bool { return l.Name == m.Expert.Name }) {
						t.Errorf("%s: showcase expert %s sits on panel %s", c.Name, m.Expert.Name, p.Name)
					}
				}
			}
		}
		n, problems, err := evaluation.VerifyDraws(ctx, db, c.ID)
		if err != nil || n == 0 || len(problems) != 0 {
			t.Errorf("%s: verify %d records: %v %v", c.Name, n, problems, err)
		}
	}
	// The agency's staff were told of the conflicts, each at their address:
	// SHTIS's of the scoring campaign's, SSTPC's of the closed campaign's.
	messages, _, err := svc.Notifications.Outbox(ctx, evaluation.System, evaluation.OutboxFilter{Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	told := map[string]bool{}
	for _, m := range messages {
		if m.Kind == evaluation.KindConflict && m.Status == evaluation.MessageQueued && m.To != "" {
			told[m.RecipientName] = true
		}
	}
	if want := []string{"周敏", "孙雅婷", "徐静", "李晓东", "黄志刚"}; !slices.Equal(slices.Sorted(maps.Keys(told)), want) {
		t.Errorf("conflict notices to %v, want %v", told, want)
	}
}

// TestSeedMaterials: the first projects of each campaign have their reports,
// readable PDFs that an accepted panel member of the scoring campaign may
// open.
func TestSeedMaterials(t *testing.T) {
	_, svc, _ := seedDB(t)
	ctx := t.Context()
	campaigns, err := svc.Campaigns.Campaigns(ctx, evaluation.System, evaluation.CampaignFilter{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range campaigns {
		projects, _, err := svc.Campaigns.Projects(ctx, evaluation.System, evaluation.ProjectFilter{CampaignID: c.ID, Page: evaluation.Page{Size: 3}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range projects {
			list, err := svc.Materials.Materials(ctx, evaluation.System, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) < 2 {
				t.Errorf("%s has %d materials, want its self-evaluation and final accounts", p.Code, len(list))
			}
			total += len(list)
		}
	}
	if total < 12 {
		t.Errorf("%d materials seeded", total)
	}
	doc := pdfDocument("t", []string{"a (b)"})
	if !bytes.HasPrefix(doc, []byte("%PDF-1.4")) || !bytes.HasSuffix(doc, []byte("%%EOF\n")) {
		t.Errorf("not a PDF: %q", doc)
	}
}

// The experts the logins name show what their notes say, and the scoring
// campaign's progress shows every status of a sheet.
func TestWorkspaceShowcase(t *testing.T) {
	db, svc, _ := seedDB(t)
	ctx := t.Context()
	state := func(username string) (int, map[evaluation.SheetStatus]int) {
		u, err := db.UserByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		list, err := svc.Sheets.Assignments(ctx, u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		inv, err := svc.Panels.Invitations(ctx, u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, i := range inv {
			if i.Member.Status == evaluation.MemberInvited {
				open++
			}
		}
		st := map[evaluation.SheetStatus]int{}
		for _, a := range list {
			st[a.Status]++
			if a.Status != evaluation.SheetNotStarted && !a.Pledged {
				t.Errorf("%s has a sheet without a signed pledge", username)
			}
		}
		return open, st
	}
	for _, tc := range []struct {
		username string
		open     int
		want     map[evaluation.SheetStatus]int
	}{
		{"expert10", 1, map[evaluation.SheetStatus]int{evaluation.SheetDraft: 1, evaluation.SheetSubmitted: 1}},
		{"expert03", 0, map[evaluation.SheetStatus]int{evaluation.SheetReopened: 1}},
		{"expert37", 0, map[evaluation.SheetStatus]int{evaluation.SheetNotStarted: 3}},
	} {
		open, st := state(tc.username)
		if open != tc.open || !maps.Equal(st, tc.want) {
			t.Errorf("%s: %d open invitations, sheets %v; want %d and %v", tc.username, open, st, tc.open, tc.want)
		}
	}
	for _, s := range showcase {
		u, err := db.UserByUsername(ctx, s.Username)
		if err != nil || u.Name != s.Name {
			t.Errorf("showcase %s is %v (%v), want %s", s.Username, u, err, s.Name)
		}
	}
	staff, err := db.UserByUsername(ctx, "shtis-huang")
	if err != nil {
		t.Fatal(err)
	}
	cs := loadCampaigns(t, svc)
	c := cs["2026 年度科技创新行动计划项目综合绩效评价"]
	p, err := svc.Sheets.Progress(ctx, staff.Actor(), c.ID, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := p.Counts; n.NotStarted == 0 || n.Draft == 0 || n.Submitted == 0 || n.Reopened == 0 || n.Overdue != 0 {
		t.Errorf("the scoring campaign's progress %+v lacks a status or has overdue sheets", n)
	}
}

// The concluding campaign shows every step of the conclusion: every sheet
// in but those of the project under discussion, a veto held, a finance
// track failed, opinions locked (one with a dissent) and circulating,
// conclusions following the proposals, a rectification, and projects still
// to conclude, which keep the campaign from the commission.
func TestSeedResults(t *testing.T) {
	db, svc, _ := seedDB(t)
	ctx := t.Context()
	c := loadCampaigns(t, svc)["2025 年度市级科技计划项目综合绩效评价（第二批）"]
	if c.Campaign == nil || c.State != evaluation.CampaignConcluding {
		t.Fatalf("the concluding campaign is %+v", c.Campaign)
	}
	staff, err := db.UserByUsername(ctx, "sstpc-zhou")
	if err != nil {
		t.Fatal(err)
	}
	as := staff.Actor()
	res, err := svc.Results.CampaignResults(ctx, as, c.ID)
	if err != nil {
		t.Fatalf("CampaignResults: %v", err)
	}
	if len(res.Report.Results) != len(c.projects) {
		t.Fatalf("%d results for %d projects", len(res.Report.Results), len(c.projects))
	}
	var discussed, vetoed, financeFailed, divergent, unconcluded []string
	var lockedDissent, circulating, rectified []string
	for i, r := range res.Report.Results {
		code := res.Projects[i].Code
		revisions, err := svc.Results.Revisions(ctx, as, r.Project)
		if err != nil {
			t.Fatal(err)
		}
		sheets, err := svc.Sheets.PanelSheets(ctx, as, r.Project)
		if err != nil {
			t.Fatal(err)
		}
		status := map[evaluation.SheetStatus]int{}
		for _, sh := range sheets {
			status[sh.Status]++
		}
		switch {
		case len(revisions) == 1 && revisions[0].Kind == evaluation.RevisionDiscussion:
			discussed = append(discussed, code)
			// Some members have revised their sheets, the others not yet.
			if status[evaluation.SheetReopened] == 0 || status[evaluation.SheetSubmitted] < 2 || len(sheets) != 6 {
				t.Errorf("%s under discussion: sheets %v, want some revised and some reopened", code, status)
			}
		case len(revisions) > 0:
			t.Errorf("%s: revisions %+v", code, revisions)
		default:
			if len(sheets) != 6 || status[evaluation.SheetSubmitted] != len(sheets) {
				t.Errorf("%s: sheets %v, want its panel's 6 submitted", code, status)
			}
			if r.Divergence.Divergent {
				divergent = append(divergent, code)
			}
		}
		if slices.ContainsFunc(r.Vetoes, func(v aggregate.VetoResult) bool { return v.Held && v.Majority }) {
			vetoed = append(vetoed, code)
			if r.Proposal != aggregate.Fail || !slices.ContainsFunc(r.Reasons, func(x aggregate.Reason) bool { return x.Code == aggregate.VetoHeld }) {
				t.Errorf("%s: a veto held, proposal %s for %v", code, r.Proposal, r.Reasons)
			}
		}
		if f := r.Finance.Passed; f != nil && !*f {
			financeFailed = append(financeFailed, code)
			if r.Proposal != aggregate.Fail || r.Finance.VoteOK || r.Finance.ScoreOK {
				t.Errorf("%s: finance %+v, proposal %s; want the vote and the score failed", code, r.Finance, r.Proposal)
			}
		}
		o, err := svc.Results.Opinion(ctx, as, r.Project)
		switch {
		case evaluation.ErrorCode(err) == evaluation.NotFound:
		case err != nil:
			t.Fatal(err)
		case o.Status == evaluation.OpinionLocked && o.Dissents() > 0:
			lockedDissent = append(lockedDissent, code)
			if o.Dissents() != 1 || len(o.Responses) != 5 {
				t.Errorf("%s: %d dissents of %d responses, want one of 5", code, o.Dissents(), len(o.Responses))
			}
		case o.Status == evaluation.OpinionCirculating:
			circulating = append(circulating, code)
			if len(o.Responses) == 0 || len(o.Responses) >= 5 {
				t.Errorf("%s: %d responses to the circulating opinion, want some but not all", code, len(o.Responses))
			}
		}
		if o != nil && string(o.Proposed) != string(r.Proposal) {
			t.Errorf("%s: the opinion proposes %s, the result %s", code, o.Proposed, r.Proposal)
		}
		list, rect, err := svc.Results.Conclusions(ctx, as, r.Project)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			unconcluded = append(unconcluded, code)
		}
		for _, k := range list {
			if k.Conclusion != k.Proposed || k.Reason != "" {
				t.Errorf("%s: concluded %s with reason %q, the opinion proposed %s", code, k.Conclusion, k.Reason, k.Proposed)
			}
		}
		if rect != nil {
			rectified = append(rectified, code)
			if len(list) != 1 || list[0].Conclusion != evaluation.ConclusionFail || rect.Due <= c.Settings.ConcludeDue {
				t.Errorf("%s: rectified until %s after %+v", code, rect.Due, list)
			}
		}
	}
	for _, tc := range []struct {
		what string
		got  []string
		want []string
	}{
		{"under discussion", discussed, []string{"22JC1401200"}},
		{"divergent, not under discussion", divergent, nil},
		{"a veto held", vetoed, []string{"22DZ2201400"}},
		{"finance failed", financeFailed, []string{"22DZ2201500"}},
		{"locked with a dissent", lockedDissent, []string{"22JC1401100"}},
		{"opinion circulating", circulating, []string{"22ZR1401300"}},
		{"rectified", rectified, []string{"22DZ2201500"}},
		{"without a conclusion", unconcluded, []string{"22DZ2201600", "22JC1401200", "22ZR1401300"}},
	} {
		slices.Sort(tc.got)
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.what, tc.got, tc.want)
		}
	}
	// The experts the logins name for it show what their notes say.
	for _, l := range concluders {
		u, err := db.UserByUsername(ctx, l.Username)
		if err != nil || u.Name != l.Name {
			t.Fatalf("%s is %v (%v), want %s", l.Username, u, err, l.Name)
		}
		list, err := svc.Sheets.Assignments(ctx, u.Actor())
		if err != nil {
			t.Fatal(err)
		}
		var shows []string
		for _, a := range list {
			if a.Campaign.ID != c.ID {
				continue
			}
			if a.Status == evaluation.SheetReopened {
				shows = append(shows, "a sheet reopened")
			}
			switch o, err := svc.Results.Opinion(ctx, u.Actor(), a.Project.ID); {
			case evaluation.ErrorCode(err) == evaluation.NotFound:
			case err != nil:
				t.Fatal(err)
			case o.Status == evaluation.OpinionCirculating:
				if _, answered := o.Response(u.ExpertID); !answered {
					shows = append(shows, "an opinion to answer on "+a.Project.Code)
				}
			}
		}
		want := map[string]string{"expert35": "an opinion to answer on 22ZR1401300", "expert23": "a sheet reopened"}[l.Username]
		if !slices.Equal(shows, []string{want}) {
			t.Errorf("%s (%s) shows %v in the concluding campaign, want %q", l.Username, l.Note, shows, want)
		}
	}
	// The projects without a conclusion keep it from the commission.
	_, err = svc.Campaigns.TransitionCampaign(ctx, as, c.ID, evaluation.CampaignSubmitted, "")
	if e := evaluation.ErrorAs(err); e == nil || e.Message != "error.conclusions_missing" {
		t.Errorf("submitting the campaign: %v, want the conclusions missing", err)
	}
}

// The past campaigns stand where the commission's journeys need them
// (past.go): every project concluded, a divergent project flagged, the
// returned round kept with its answers, the publicity running in one and
// over in the closed one, whose panels show late sheets, declines and a
// declared conflict.
func TestSeedReview(t *testing.T) {
	db, svc, _ := seedDB(t)
	ctx := t.Context()
	cs := loadCampaigns(t, svc)
	commission, err := db.UserByUsername(ctx, "commission")
	if err != nil {
		t.Fatal(err)
	}
	as := commission.Actor()
	now := time.Now()
	for _, tc := range []struct {
		name      string
		state     evaluation.CampaignState
		divergent []string
		failed    []string
		moves     []evaluation.CampaignState // the states it went through after concluding
	}{
		{waitingName, evaluation.CampaignSubmitted, []string{"22JC1403500"}, nil,
			[]evaluation.CampaignState{evaluation.CampaignSubmitted}},
		{returnedName, evaluation.CampaignSubmitted, nil, []string{"22DZ2200900"},
			[]evaluation.CampaignState{evaluation.CampaignSubmitted, evaluation.CampaignReturned, evaluation.CampaignConcluding,
				evaluation.CampaignSubmitted}},
		{publishedName, evaluation.CampaignPublished, nil, []string{"22DZ2203300", "22JC1403200"},
			[]evaluation.CampaignState{evaluation.CampaignSubmitted, evaluation.CampaignApproved, evaluation.CampaignPublished}},
		{closedName, evaluation.CampaignClosed, []string{"21DZ2202300"}, []string{"21DZ2202400"},
			[]evaluation.CampaignState{evaluation.CampaignSubmitted, evaluation.CampaignApproved, evaluation.CampaignPublished,
				evaluation.CampaignClosed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ok := cs[tc.name]
			if !ok {
				t.Fatalf("campaign %q not seeded", tc.name)
			}
			if c.State != tc.state {
				t.Errorf("state %s, want %s", c.State, tc.state)
			}
			res, err := svc.Results.CampaignResults(ctx, as, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var divergent, failed []string
			for i, r := range res.Report.Results {
				code := res.Projects[i].Code
				if r.Divergence.Divergent {
					divergent = append(divergent, code)
				}
				list, _, err := svc.Results.Conclusions(ctx, as, r.Project)
				if err != nil {
					t.Fatal(err)
				}
				if len(list) == 0 {
					t.Errorf("%s has no conclusion", code)
					continue
				}
				if list[len(list)-1].Conclusion == evaluation.ConclusionFail {
					failed = append(failed, code)
				}
			}
			slices.Sort(divergent)
			slices.Sort(failed)
			if !slices.Equal(divergent, tc.divergent) || !slices.Equal(failed, tc.failed) {
				t.Errorf("divergent %v, failed %v; want %v and %v", divergent, failed, tc.divergent, tc.failed)
			}
			moves, err := svc.Campaigns.CampaignTransitions(ctx, as, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []evaluation.CampaignState
			for i, m := range moves {
				if i > 0 && m.At.Before(moves[i-1].At) {
					t.Errorf("move to %s at %s, before the one to %s at %s", m.To, m.At, moves[i-1].To, moves[i-1].At)
				}
				if m.From != evaluation.CampaignDraft && m.From != evaluation.CampaignForming && m.From != evaluation.CampaignScoring {
					got = append(got, m.To)
				}
			}
			if !slices.Equal(got, tc.moves) {
				t.Errorf("moves after concluding %v, want %v", got, tc.moves)
			}
			if first := moves[0].At; !first.Before(now.AddDate(0, 0, -30)) {
				t.Errorf("created at %s, want weeks before the seeding", first)
			}
			p, err := svc.Review.Publicity(ctx, as, c.ID)
			switch {
			case tc.state == evaluation.CampaignSubmitted:
				if evaluation.ErrorCode(err) != evaluation.NotFound {
					t.Errorf("publicity %+v, %v; want none", p, err)
				}
			case err != nil:
				t.Fatal(err)
			case tc.state == evaluation.CampaignPublished:
				if today := now.In(evaluation.Beijing).Format(time.DateOnly); p.Starts != today || evaluation.PastDue(p.Ends, now) {
					t.Errorf("publicity from %s to %s, want from today (%s) and running", p.Starts, p.Ends, today)
				}
			default:
				if !evaluation.PastDue(p.Ends, now) {
					t.Errorf("publicity until %s, want over", p.Ends)
				}
			}
		})
	}
	// The returned campaign kept its round: two projects, each answered,
	// one concluded again.
	c := cs[returnedName]
	returns, err := svc.Review.Returns(ctx, as, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range returns {
		codes = append(codes, r.Code)
		if r.Round != 1 || !r.Sent || r.Comment == "" || r.Answer == "" || !r.ReturnedAt.Before(r.AnsweredAt) {
			t.Errorf("return of %s: round %d, sent %v, comment %q, answer %q at %s after %s", r.Code, r.Round, r.Sent,
				r.Comment, r.Answer, r.AnsweredAt, r.ReturnedAt)
		}
	}
	slices.Sort(codes)
	if want := []string{"22DZ2200900", "22DZ2201000"}; !slices.Equal(codes, want) {
		t.Errorf("returned %v, want %v", codes, want)
	}
	for _, p := range c.projects {
		if p.Code != "22DZ2200900" {
			continue
		}
		list, _, err := svc.Results.Conclusions(ctx, as, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Conclusion != evaluation.ConclusionClosed || list[1].Conclusion != evaluation.ConclusionFail ||
			list[1].Reason == "" {
			t.Errorf("conclusions of %s: %+v, want closed, then fail with a reason", p.Code, list)
		}
	}
	// The published campaign's appeals: one not admissible, one with its
	// panel for the re-evaluation.
	appeals, err := svc.Review.Appeals(ctx, as, cs[publishedName].ID)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, a := range appeals {
		states = append(states, a.Code+" "+string(a.Status))
	}
	if want := []string{"22JC1403200 inadmissible", "22DZ2203300 reevaluating"}; !slices.Equal(states, want) {
		t.Errorf("the published campaign's appeals: %v, want %v", states, want)
	}
	// The closed campaign's panels: late sheets, on an extension.
	c = cs[closedName]
	late := 0
	for _, p := range c.projects {
		sheets, err := svc.Sheets.PanelSheets(ctx, as, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, sh := range sheets {
			if sh.Status != evaluation.SheetSubmitted {
				t.Errorf("%s: a sheet %s", p.Code, sh.Status)
			}
			if evaluation.PastDue(c.Settings.ScoringDue, sh.SubmittedAt) {
				late++
			}
		}
	}
	if late != 3 {
		t.Errorf("%d sheets submitted after the closed campaign's deadline, want 3", late)
	}
}

// The logins printed at start name every staff account with what it set
// up, each account exists with its role, and no note is left dangling.
func TestLoginsPrinted(t *testing.T) {
	db, _, logins := seedDB(t)
	text := logins.String()
	for _, u := range staff {
		line := ""
		for l := range strings.Lines(text) {
			if strings.HasPrefix(strings.TrimSpace(l), u.Username+" ") {
				line = l
			}
		}
		if line == "" || !strings.Contains(line, u.Name) || !strings.Contains(line, staffNotes[u.Username]) {
			t.Errorf("%s: printed %q, want the name %s and the note %q", u.Username, line, u.Name, staffNotes[u.Username])
		}
		got, err := db.UserByUsername(t.Context(), u.Username)
		if err != nil || got.Role != u.Role {
			t.Errorf("%s: %+v, %v; want a user of role %s", u.Username, got, err, u.Role)
		}
	}
	if strings.Contains(text, "(; ") || strings.Contains(text, "()") {
		t.Errorf("a dangling note in:\n%s", text)
	}
}

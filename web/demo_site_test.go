package web

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/rubrics"
	"golang.org/x/net/html"
)

// demoSite is the app over a database seeded with the real demo
// (evaluation/demo, materials included), as `evalpanel serve --demo` starts
// it, with the demo's objects the tests visit picked out by what they are
// rather than by id.
type demoSite struct {
	*harness
	campaigns map[string]*evaluation.Campaign // the forming (SSTPC) and scoring (SHTIS) ones, by agency code
	projects  []*evaluation.Project           // every project of every campaign
	panels    map[int64][]*evaluation.Panel   // by campaign
	experts   map[string]int64                // by name
	users     map[string]*evaluation.User     // by username

	// concluding is SSTPC's other campaign, its results under way.
	concluding *evaluation.Campaign
	// past are the campaigns the commission has seen (submitted, returned
	// and resubmitted, published, closed).
	past []*evaluation.Campaign
	// Experts of the demo's panels, by what became of their invitation:
	// accepted (a seat on the scoring campaign's panel, not the chair),
	// invited (two with no answer yet, on the forming campaign, the first
	// not the chair) and declined.
	accepted, invited, invited2, declined *panelSeat
	// Experts of the scoring campaign whose workspace shows each state: a
	// draft, a sheet the agency reopened, a pledge not signed yet, and a
	// chair who submitted (and reads the panel's sheets).
	drafting, reopened, unpledged, chair string
	// Experts of the concluding campaign: one with the circulating opinion
	// to answer, one with a sheet sent back for discussion.
	answering, revising string

	codesOnce sync.Once
	codes     map[string]bool
}

// panelSeat is an expert's member row on a demo panel, with the account.
type panelSeat struct {
	panel    *evaluation.Panel
	member   *evaluation.PanelMember
	username string
}

// newDemoSite seeds the demo into a fresh database and builds the app over
// it; every demo account gets an API token under its username.
func newDemoSite(t *testing.T) *demoSite {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := files.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := evaluation.New(db, password.New(password.Fast), evaluation.WithBlobs(blobs))
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := rubrics.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Rubrics.InstallDefaultRubrics(ctx, defaults); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, svc); err != nil {
		t.Fatalf("seed the demo: %v", err)
	}
	h := &harness{t: t, db: db, svc: svc, now: time.Now(), users: map[string]*evaluation.User{}, tokens: map[string]string{},
		password: demo.Password}
	h.app = h.newApp(ServicesOf(svc, db.Ping), 0)
	s := &demoSite{harness: h, campaigns: map[string]*evaluation.Campaign{}, panels: map[int64][]*evaluation.Panel{},
		experts: map[string]int64{}, users: map[string]*evaluation.User{}}
	s.load(t)
	return s
}

func (s *demoSite) load(t *testing.T) {
	t.Helper()
	ctx, sys := context.Background(), evaluation.System
	users, _, err := s.svc.Accounts.Users(ctx, sys, evaluation.UserFilter{Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	byExpert := map[int64]string{}
	for _, u := range users {
		s.users[u.Username] = u
		s.harness.users[u.Username] = u
		if u.ExpertID != 0 {
			byExpert[u.ExpertID] = u.Username
		}
	}
	experts, _, err := s.svc.Pool.Experts(ctx, sys, evaluation.ExpertFilter{Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range experts {
		s.experts[e.Name] = e.ID
	}
	agencies, err := s.svc.Accounts.Agencies(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	campaigns, err := s.svc.Campaigns.Campaigns(ctx, sys, evaluation.CampaignFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range campaigns {
		for _, ag := range agencies {
			switch {
			case ag.ID != c.AgencyID:
			case c.State == evaluation.CampaignConcluding:
				s.concluding = c
			case c.State == evaluation.CampaignForming || c.State == evaluation.CampaignScoring:
				s.campaigns[ag.Code] = c
			default:
				s.past = append(s.past, c)
			}
		}
		ps, _, err := s.svc.Campaigns.Projects(ctx, sys, evaluation.ProjectFilter{CampaignID: c.ID, Page: evaluation.Page{Size: evaluation.MaxPageSize}})
		if err != nil {
			t.Fatal(err)
		}
		s.projects = append(s.projects, ps...)
		if s.panels[c.ID], err = s.svc.Panels.Panels(ctx, sys, c.ID); err != nil {
			t.Fatal(err)
		}
		for _, p := range s.panels[c.ID] {
			for _, m := range p.Members {
				seat := &panelSeat{panel: p, member: m, username: byExpert[m.ExpertID]}
				switch {
				case m.Status == evaluation.MemberAccepted && c.State == evaluation.CampaignScoring && !m.Chair && s.accepted == nil:
					s.accepted = seat
				// (The scoring campaign has an alternate invited too, called
				// up by a declared conflict, who sits on another of its
				// panels: not the open invitation these seats stand for.)
				case m.Status == evaluation.MemberInvited && c.State == evaluation.CampaignForming && !m.Chair && s.invited == nil:
					s.invited = seat
				case m.Status == evaluation.MemberInvited && c.State == evaluation.CampaignForming && s.invited2 == nil:
					s.invited2 = seat
				case m.Status == evaluation.MemberDeclined && c.State == evaluation.CampaignScoring && s.declined == nil:
					s.declined = seat
				}
			}
		}
	}
	if s.campaigns["SSTPC"] == nil || s.campaigns["SHTIS"] == nil || s.concluding == nil || s.accepted == nil || s.invited == nil || s.invited2 == nil || s.declined == nil {
		t.Fatalf("the demo lacks a campaign of each agency (%v), the concluding one, or an accepted, an invited or a declined seat", s.campaigns)
	}
	s.findWorkers(t, byExpert)
	s.findConcluders(t, byExpert)
	// Every account the tests sign in as gets an API token.
	for _, username := range s.roles() {
		secret, _, err := s.svc.Accounts.CreateToken(ctx, s.users[username].Actor(), "demo token", evaluation.LoginMeta{})
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[username] = secret
	}
}

// roles are the accounts the tests sign in as: the administrator, the
// commission, staff of each agency, experts with an accepted seat, an
// open invitation and a declined one, and experts of the concluding
// campaign with an opinion to answer and a sheet to revise.
func (s *demoSite) roles() []string {
	return []string{"admin", "commission", "sstpc-li", "shtis-huang", s.accepted.username, s.invited.username, s.invited2.username,
		s.declined.username, s.drafting, s.reopened, s.unpledged, s.chair, s.answering, s.revising}
}

// findConcluders picks the experts of the concluding campaign who have the
// circulating opinion to answer and a sheet sent back for discussion.
func (s *demoSite) findConcluders(t *testing.T, byExpert map[int64]string) {
	t.Helper()
	ctx, sys := context.Background(), evaluation.System
	for _, p := range s.panels[s.concluding.ID] {
		projectID := p.ProjectIDs[0]
		o, err := s.svc.Results.Opinion(ctx, sys, projectID)
		if err != nil && evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Fatal(err)
		}
		sheets, err := s.svc.Sheets.PanelSheets(ctx, sys, projectID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Members {
			if m.Status != evaluation.MemberAccepted {
				continue
			}
			if o != nil && o.Status == evaluation.OpinionCirculating && m.ExpertID != o.ChairID && s.answering == "" {
				if _, answered := o.Response(m.ExpertID); !answered {
					s.answering = byExpert[m.ExpertID]
				}
			}
			for _, sh := range sheets {
				if sh.ExpertID == m.ExpertID && sh.Status == evaluation.SheetReopened && s.revising == "" {
					s.revising = byExpert[m.ExpertID]
				}
			}
		}
	}
	if s.answering == "" || s.revising == "" {
		t.Fatalf("the concluding campaign lacks a member with an opinion to answer (%q) or a sheet to revise (%q)", s.answering, s.revising)
	}
}

// findWorkers picks the experts of the scoring campaign whose workspace
// shows a draft, a reopened sheet, a pledge to sign and a chair's view.
func (s *demoSite) findWorkers(t *testing.T, byExpert map[int64]string) {
	t.Helper()
	ctx := context.Background()
	taken := map[string]bool{s.accepted.username: true, s.invited.username: true, s.invited2.username: true, s.declined.username: true}
	scoring := s.campaigns["SHTIS"].ID
	for _, p := range s.panels[scoring] {
		for _, m := range p.Members {
			username := byExpert[m.ExpertID]
			if m.Status != evaluation.MemberAccepted || taken[username] {
				continue
			}
			list, err := s.svc.Sheets.Assignments(ctx, s.users[username].Actor())
			if err != nil {
				t.Fatal(err)
			}
			pick := func(slot *string) {
				if *slot == "" && !taken[username] {
					*slot, taken[username] = username, true
				}
			}
			for _, as := range list {
				switch {
				case as.Campaign.ID != scoring: // their seats on the concluding campaign's panels
				case !as.Pledged:
					pick(&s.unpledged)
				case as.Status == evaluation.SheetReopened:
					pick(&s.reopened)
				case as.Status == evaluation.SheetDraft:
					pick(&s.drafting)
				case as.Chair && as.Status == evaluation.SheetSubmitted:
					pick(&s.chair)
				}
			}
		}
	}
	if s.drafting == "" || s.reopened == "" || s.unpledged == "" || s.chair == "" {
		t.Fatalf("the demo lacks an expert with a draft (%q), a reopened sheet (%q), a pledge to sign (%q) or a chair who submitted (%q)",
			s.drafting, s.reopened, s.unpledged, s.chair)
	}
}

// assignments are an expert's projects to score.
func (s *demoSite) assignments(t testing.TB, username string) []evaluation.Assignment {
	t.Helper()
	list, err := s.svc.Sheets.Assignments(context.Background(), s.users[username].Actor())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// projectIDs lists the demo's projects by a property.
func (s *demoSite) projectIDs(keep func(p *evaluation.Project) bool) []int64 {
	var out []int64
	for _, p := range s.projects {
		if keep(p) {
			out = append(out, p.ID)
		}
	}
	return out
}

// panelOf returns the panel a project is on, or nil.
func (s *demoSite) panelOf(projectID int64) *evaluation.Panel {
	for _, list := range s.panels {
		for _, p := range list {
			if slices.Contains(p.ProjectIDs, projectID) {
				return p
			}
		}
	}
	return nil
}

// visibleText is the text of a page a user can read: its text outside
// scripts and styles, and the attributes browsers show (titles, labels,
// placeholders, confirmations, button values), one per line.
func visibleText(page string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(page))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				if s := strings.TrimSpace(string(z.Text())); s != "" {
					b.WriteString(s)
					b.WriteByte('\n')
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if tag := string(name); tag == "script" || tag == "style" {
				skip++
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch key := string(k); {
				case key == "title", key == "placeholder", key == "aria-label", key == "alt", key == "data-confirm":
					if s := strings.TrimSpace(string(v)); s != "" {
						b.WriteString(s)
						b.WriteByte('\n')
					}
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" {
				skip--
			}
		}
	}
}

// Package demo seeds a realistic demonstration of evalpanel: the accounts
// of each role, two management agencies and an expert pool, three
// campaigns of the present — one forming its panels, one scoring, one
// concluding with its results under way — and four past campaigns for the
// commission's review — one waiting for it, one returned and resubmitted,
// one in its publicity period, one closed. All go through the services so
// that every record has its audit entry; the past campaigns are played on
// the days they happened, on a clock the seeder sets back (history.go).
// Later stages of the workflow add their own seeding steps to Seed.
package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Password is the password of every demo account.
const Password = "evalpanel-demo"

// seedAction marks a seeded database in the audit log.
const seedAction = "demo.seed"

// Login is one demo account to print.
type Login struct {
	Username string
	Role     evaluation.Role
	Name     string
	Note     string
}

// showcase are the expert accounts whose workspace shows the most: the
// demo's fixed seeds make them the same every time (a test checks what
// each note says).
var showcase = []Login{
	{Username: "expert10", Name: "杨丽华", Note: "an open invitation, a draft and a submitted score sheet"},
	{Username: "expert03", Name: "范志远", Note: "a score sheet the agency reopened"},
	{Username: "expert37", Name: "谢文斌", Note: "three projects to score, none started"},
}

// staffNotes say which campaign each agency's staff member set up, to
// start from.
var staffNotes = map[string]string{
	"commission":  "campaigns to review: one waiting, one resubmitted after a return; one in publicity with two appeals, one closed with experts' records",
	"sstpc-li":    "the forming campaign",
	"shtis-huang": "the scoring campaign; a campaign in publicity, two appeals recorded",
	"shtis-xu":    "a campaign waiting for the commission, with a divergent project",
	"sstpc-zhou":  "the concluding campaign: results, a discussion, opinions, conclusions, a rectification",
	"sstpc-sun":   "a campaign returned by the commission, answered and resubmitted; a closed campaign",
}

// concluders are expert accounts whose workspace shows the concluding
// campaign's results at work, the same every time too (a test checks
// their notes); spareShowcase keeps the showcase accounts off its panels.
var concluders = []Login{
	{Username: "expert35", Name: "冯晓峰", Note: "the panel's opinion on 22ZR1401300 to confirm or dissent"},
	{Username: "expert23", Name: "David Chen", Note: "a score sheet sent back for the panel's discussion, in English"},
}

// Logins are the demo accounts.
type Logins struct {
	Accounts []Login
	Experts  int // expert01 … expertNN
	Seeded   bool
}

// String is the text printed when the server starts with --demo.
func (l *Logins) String() string {
	var b strings.Builder
	if l.Seeded {
		b.WriteString("Demo data seeded.\n")
	} else {
		b.WriteString("Demo data already present.\n")
	}
	fmt.Fprintf(&b, "Demo logins (password for all: %s):\n", Password)
	for _, a := range l.Accounts {
		fmt.Fprintf(&b, "  %-14s %-13s %s", a.Username, a.Role, a.Name)
		if a.Note != "" {
			fmt.Fprintf(&b, " (%s)", a.Note)
		}
		b.WriteByte('\n')
	}
	if l.Experts > 0 {
		fmt.Fprintf(&b, "  %-14s %-13s the %d experts of the pool, for example:\n",
			fmt.Sprintf("expert01-%02d", l.Experts), evaluation.RoleExpert, l.Experts)
		for _, s := range slices.Concat(showcase, concluders) {
			fmt.Fprintf(&b, "  %-14s %-13s %s (%s)\n", s.Username, evaluation.RoleExpert, s.Name, s.Note)
		}
	}
	return b.String()
}

// Seed fills an empty database with the demo and returns its logins. On a
// database that was already seeded it changes nothing and returns the
// logins; on a database that holds other data it refuses.
func Seed(ctx context.Context, r evaluation.Reader, svc *evaluation.Services) (*Logins, error) {
	logins := &Logins{Accounts: accounts(), Experts: len(experts)}
	_, seeded, err := r.AuditEntries(ctx, evaluation.AuditFilter{Action: seedAction, Page: evaluation.Page{Number: 1, Size: 1}})
	if err != nil {
		return nil, err
	}
	if seeded > 0 {
		return logins, nil
	}
	_, users, err := r.Users(ctx, evaluation.UserFilter{Page: evaluation.Page{Number: 1, Size: 1}})
	if err != nil {
		return nil, err
	}
	if users > 0 {
		return nil, fmt.Errorf("the database already has %d users; the demo seeds only an empty database", users)
	}
	s := seeder{ctx: ctx, actor: evaluation.System, today: time.Now().In(evaluation.Beijing), clock: &clock{}}
	if s.svc, err = svc.At(s.clock.now); err != nil {
		return nil, err
	}
	// The accounts and the pool exist before the oldest past campaign.
	s.clock.set(s.midnight().AddDate(0, 0, firstDay).Add(8 * time.Hour))
	s.agencies()
	s.people()
	s.pool()
	s.relationships()
	s.clock.set(time.Now())
	s.rubricDraft()
	s.campaigns()
	// The past campaigns come after the present ones, so that seeding
	// them changes nothing of the present ones (ids, draws, workspaces).
	s.pastCampaigns()
	if s.err != nil {
		return nil, s.err
	}
	if err := svc.Accounts.RecordSystemEvent(ctx, seedAction, map[string]any{"experts": len(experts)}); err != nil {
		return nil, err
	}
	logins.Seeded = true
	return logins, nil
}

// seeder runs the seeding steps and keeps the first error.
type seeder struct {
	ctx   context.Context
	svc   *evaluation.Services
	actor evaluation.Actor
	err   error
	// experts maps expert ids to their accounts, for answering invitations;
	// expertIDs maps names to ids.
	experts   map[int64]evaluation.Actor
	expertIDs map[string]int64
	// today is the day the demo is seeded, in Beijing: the campaigns'
	// deadlines are set from it. clock is the time of svc, set back while
	// a past campaign plays.
	today time.Time
	clock *clock
}

func (s *seeder) agencies() {
	for _, a := range agencies {
		if s.err != nil {
			return
		}
		_, s.err = s.svc.Accounts.CreateAgency(s.ctx, s.actor, a)
	}
}

func (s *seeder) people() {
	for _, u := range staff {
		if s.err != nil {
			return
		}
		u.Password = Password
		_, s.err = s.svc.Accounts.CreateUser(s.ctx, s.actor, u)
	}
}

func (s *seeder) pool() {
	for i, e := range experts {
		if s.err != nil {
			return
		}
		e := e
		if s.err = s.svc.Pool.CreateExpert(s.ctx, s.actor, &e); s.err != nil {
			return
		}
		lang := evaluation.LangZH
		if e.Region == evaluation.RegionInternational {
			lang = evaluation.LangEN
		}
		u, err := s.svc.Accounts.CreateUser(s.ctx, s.actor, evaluation.NewUser{Username: fmt.Sprintf("expert%02d", i+1),
			Name: e.Name, Role: evaluation.RoleExpert, ExpertID: e.ID, Language: lang, Password: Password})
		if s.err = err; err != nil {
			return
		}
		if s.experts == nil {
			s.experts, s.expertIDs = map[int64]evaluation.Actor{}, map[string]int64{}
		}
		s.experts[e.ID], s.expertIDs[e.Name] = u.Actor(), e.ID
	}
}

// relationships records what the conflict rules read besides institutions:
// a collaboration entered by the pool's administrators and a conflict an
// expert declared themself. Both exclude the expert from a demo project.
func (s *seeder) relationships() {
	if s.err != nil {
		return
	}
	if s.err = s.svc.Pool.AddCollaboration(s.ctx, s.actor, s.expertIDs["张卫东"], &evaluation.ExpertCollaboration{
		Kind: evaluation.JointPaper, Person: "袁立成", Year: 2024, Note: "合作发表车路协同感知方向论文"}); s.err != nil {
		return
	}
	id := s.expertIDs["徐明"]
	s.err = s.svc.Pool.AddExpertConflict(s.ctx, s.experts[id], id, &evaluation.ExpertConflict{
		Institution: "上海智驭汽车科技有限公司", Year: 2025, Note: "2025 年起担任该公司技术顾问"})
}

// rubricDraft starts the next version of the applied-technology rubric, as
// an administrator revising it for next year would.
func (s *seeder) rubricDraft() {
	if s.err != nil {
		return
	}
	r, err := s.svc.Rubrics.NewRubricVersion(s.ctx, s.actor, "APPLIED_TECH", 1)
	if err != nil {
		s.err = err
		return
	}
	c := r.Content
	c.Name.ZH += "（2027 年修订稿）"
	c.Name.EN += " (2027 revision draft)"
	_, s.err = s.svc.Rubrics.UpdateRubricDraft(s.ctx, s.actor, r.Code, r.Version, c)
}

func accounts() []Login {
	var out []Login
	for _, u := range staff {
		note := ""
		if u.AgencyCode != "" {
			for _, a := range agencies {
				if a.Code == u.AgencyCode {
					note = a.NameZH
				}
			}
		}
		if n, ok := staffNotes[u.Username]; ok {
			note = strings.TrimPrefix(note+"; "+n, "; ")
		}
		out = append(out, Login{Username: u.Username, Role: u.Role, Name: u.Name, Note: note})
	}
	return out
}

package demo

import (
	"fmt"
	"slices"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// clock is the seeder's time: the real time, shifted back while the demo
// plays a step of a past campaign on the day it happened. The services the
// seeder calls read it (evaluation.Services.At), so every record, audit
// entry, deadline check and publicity period falls on that day.
type clock struct{ shift time.Duration }

func (c *clock) now() time.Time { return time.Now().Add(c.shift) }

// set puts the clock at t, never later than the real time.
func (c *clock) set(t time.Time) { c.shift = min(t.Sub(time.Now()), 0) }

// midnight is the start of the day of seeding in Beijing.
func (s *seeder) midnight() time.Time {
	y, m, d := s.today.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, evaluation.Beijing)
}

// at moves the clock on to hour o'clock of the day n days from the day of
// seeding (negative: in the past), never back: the steps of one campaign
// keep their order in time even when two fall on the same hour.
func (s *seeder) at(n, hour int) {
	t := s.midnight().AddDate(0, 0, n).Add(time.Duration(hour) * time.Hour)
	if t.After(s.clock.now()) {
		s.clock.set(t)
	}
}

// day is the date n days from the day of seeding, as the settings write it.
func (s *seeder) day(n int) string { return s.today.AddDate(0, 0, n).Format(time.DateOnly) }

// timeline is when a past campaign's steps happened: its start, in days
// from the day of seeding, and the steps at fixed days after it (the
// day… constants).
type timeline struct{ start int }

// The days of a past campaign's steps, from its start.
const (
	dayAccept      = 1  // the experts answer their invitations
	dayScoring     = 2  // scoring opens
	dayDue         = 20 // the last day to score
	dayConcluding  = 24 // the campaign moves to concluding; discussions open
	dayOpinions    = 27 // the chairs draft the opinions
	dayAnswers     = 28 // the members answer them
	dayConclusions = 31 // the agency records the conclusions
	daySubmitted   = 33 // the agency submits the campaign to the commission
	dayConcludeDue = 35
	dayReturned    = 38 // the commission returns projects
	dayAnswered    = 40 // the agency answers the returns
	dayResubmitted = 41 // and submits the campaign again
)

// step moves the clock on to a day of a past campaign's timeline; for a
// campaign of the present (tl nil) the clock stays where it is.
func (s *seeder) step(tl *timeline, n, hour int) {
	if tl != nil {
		s.at(tl.start+n, hour)
	}
}

// pastCampaign is a campaign the demo plays from its creation to where it
// stands today, through the services, each step on its day: created,
// matched and invited, scored, concluded, submitted to the commission, and
// on to the state of demoCampaign.State.
type pastCampaign struct {
	demoCampaign
	// start is the day the agency creates it, from the day of seeding.
	start int
	plans map[string]resultPlan
	// declines are the panels (in the match's order) whose first domain
	// expert declines the invitation, calling up an alternate.
	declines []int
	// conflict is the project one of whose members declares a conflict of
	// interest the day after scoring opens.
	conflict string
	// returns are the projects the commission returns, by code (the
	// campaign is then submitted again); returnReason is the campaign's.
	returns      map[string]commissionReturn
	returnReason string
	// approve is the day the commission approves the campaign (0: the day
	// of seeding, at the real time) with a publicity period of publicity
	// days and the note; a closed campaign closes the day after it ends.
	approve   int
	publicity int
	note      string
	// appeals are recorded by the agency during a published campaign's
	// publicity.
	appeals []demoAppeal
}

// demoAppeal is an appeal on a project, by code; reevaluate, when set, is
// the commission's note admitting it for the panel's re-evaluation.
type demoAppeal struct {
	code string
	evaluation.AppealInput
	reevaluate string
}

// commissionReturn is a project the commission returns: its comment and
// the agency's answer, with the conclusion the agency records again (""
// when it keeps its conclusion).
type commissionReturn struct {
	comment, answer string
	conclusion      evaluation.Conclusion
	reason          string
}

// settings are a past campaign's deadlines, from its timeline.
func (pc pastCampaign) settings(today time.Time) *evaluation.CampaignSettings {
	return campaignSettings(today, pc.start+dayScoring, pc.start+dayDue, pc.start+dayConcludeDue)
}

// pastCampaigns plays the demo's past campaigns, oldest first, each on its
// own days, and leaves the clock at the real time.
func (s *seeder) pastCampaigns() {
	for _, pc := range pastCampaigns(s.today) {
		if s.err != nil {
			return
		}
		s.err = s.past(pc)
	}
	s.clock.set(time.Now())
}

func (s *seeder) past(pc pastCampaign) error {
	tl := &timeline{start: pc.start}
	s.clock.set(s.midnight().AddDate(0, 0, pc.start).Add(9 * time.Hour))
	staff, err := s.userActor(pc.Staff, evaluation.RoleAgencyStaff)
	if err != nil {
		return err
	}
	commission, err := s.userActor("commission", evaluation.RoleCommission)
	if err != nil {
		return err
	}
	c, err := s.svc.Campaigns.CreateCampaign(s.ctx, staff, pc.Campaign)
	if err != nil {
		return fmt.Errorf("create campaign %q: %w", pc.Campaign.Name, err)
	}
	if err := s.svc.Campaigns.CreateProjects(s.ctx, staff, c.ID, pc.Projects); err != nil {
		return fmt.Errorf("create projects of campaign %q: %w", c.Name, err)
	}
	if c, err = s.svc.Campaigns.TransitionCampaign(s.ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		return fmt.Errorf("move campaign %q to forming: %w", pc.Campaign.Name, err)
	}
	if s.svc.Materials.HasBlobs() {
		if err := s.materials(staff, c, 3); err != nil {
			return err
		}
	}
	panels, err := s.svc.Panels.MatchCampaign(s.ctx, staff, c.ID, drawSeed(c.Name))
	if err != nil {
		return fmt.Errorf("match campaign %q: %w", c.Name, err)
	}
	if err := s.spareShowcase(staff, panels); err != nil {
		return err
	}
	for _, p := range panels {
		if err := s.svc.Panels.InvitePanel(s.ctx, staff, p.ID); err != nil {
			return err
		}
	}
	s.step(tl, dayAccept, 10)
	for i, p := range panels {
		if err := s.answer(staff, p.ID, slices.Contains(pc.declines, i)); err != nil {
			return err
		}
	}
	s.step(tl, dayScoring, 9)
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		return fmt.Errorf("move campaign %q to scoring: %w", c.Name, err)
	}
	r := &run{staff: staff, c: c, plans: pc.plans, tl: tl, pledged: map[int64]bool{}}
	if pc.conflict != "" {
		if err := s.withdraw(r, pc.conflict); err != nil {
			return err
		}
	}
	if err := s.results(r); err != nil {
		return err
	}
	s.step(tl, daySubmitted, 16)
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, staff, c.ID, evaluation.CampaignSubmitted, ""); err != nil {
		return fmt.Errorf("submit campaign %q: %w", c.Name, err)
	}
	if len(pc.returns) > 0 {
		if err := s.returnRound(r, commission, pc); err != nil {
			return err
		}
	}
	if pc.State == evaluation.CampaignSubmitted {
		return nil
	}
	if pc.approve == 0 {
		s.clock.set(time.Now())
	} else {
		s.at(pc.approve, 10)
	}
	if _, err := s.svc.Review.ApproveCampaign(s.ctx, commission, c.ID, pc.publicity, pc.note); err != nil {
		return fmt.Errorf("approve campaign %q: %w", c.Name, err)
	}
	if pc.State == evaluation.CampaignPublished {
		return s.appeals(r, commission, pc.appeals)
	}
	s.at(pc.approve+pc.publicity+1, 9)
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, commission, c.ID, evaluation.CampaignClosed, ""); err != nil {
		return fmt.Errorf("close campaign %q: %w", c.Name, err)
	}
	return nil
}

// withdraw has a technical member of the project's panel (not its chair,
// nor a showcase account) sign the pledge and declare a conflict of
// interest with it; the next alternate is invited and accepts the day
// after.
func (s *seeder) withdraw(r *run, code string) error {
	s.step(r.tl, dayScoring+1, 15)
	p, err := s.project(r, code)
	if err != nil {
		return err
	}
	panel, err := s.svc.Panels.Panel(s.ctx, r.staff, p.PanelID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(panel.Seated(evaluation.SeatTechnical), func(m *evaluation.PanelMember) bool {
		return m.Status == evaluation.MemberAccepted && !m.Chair &&
			!slices.ContainsFunc(showcase, func(l Login) bool { return l.Name == m.Expert.Name })
	})
	if i < 0 {
		return fmt.Errorf("nobody on panel %s to declare a conflict", panel.Name)
	}
	m := panel.Seated(evaluation.SeatTechnical)[i]
	expert := s.experts[m.ExpertID]
	if !r.pledged[m.ExpertID] {
		if err := s.svc.Sheets.SignPledge(s.ctx, expert, r.c.ID, evaluation.PledgeVersion); err != nil {
			return fmt.Errorf("%s signs the pledge: %w", m.Expert.Name, err)
		}
		r.pledged[m.ExpertID] = true
	}
	if err := s.svc.Sheets.DeclareConflict(s.ctx, expert, p.ID, conflictReason); err != nil {
		return fmt.Errorf("%s declares a conflict with %s: %w", m.Expert.Name, code, err)
	}
	s.step(r.tl, dayScoring+2, 10)
	return s.answer(r.staff, panel.ID, false)
}

// project finds a project of the run's campaign by its code.
func (s *seeder) project(r *run, code string) (*evaluation.Project, error) {
	projects, _, err := s.svc.Campaigns.Projects(s.ctx, r.staff, evaluation.ProjectFilter{CampaignID: r.c.ID, Query: code,
		Page: evaluation.Page{Size: 1}})
	if err != nil {
		return nil, err
	}
	if len(projects) == 0 {
		return nil, fmt.Errorf("no project %s in campaign %q", code, r.c.Name)
	}
	return projects[0], nil
}

// appeals has the agency record the appeals in its publicity, and the
// commission admit those it sends to their panels.
func (s *seeder) appeals(r *run, commission evaluation.Actor, list []demoAppeal) error {
	for _, da := range list {
		p, err := s.project(r, da.code)
		if err != nil {
			return err
		}
		ap, err := s.svc.Review.FileAppeal(s.ctx, r.staff, p.ID, da.AppealInput)
		if err != nil {
			return fmt.Errorf("appeal %s: %w", da.code, err)
		}
		if da.reevaluate != "" {
			if _, err := s.svc.Review.ReevaluateAppeal(s.ctx, commission, p.ID, ap.ID, da.reevaluate, ""); err != nil {
				return fmt.Errorf("re-evaluate the appeal on %s: %w", da.code, err)
			}
		}
	}
	return nil
}

// conflictReason is the conflict a member of a past campaign declares.
const conflictReason = "本人近三年与该项目负责人共同承担过国家自然科学基金联合基金项目，并合作发表论文 2 篇，按规定申请回避。"

// returnRound has the commission mark the plan's projects to return, each
// with its comment, and return the campaign; the agency takes it back to
// concluding, records a conclusion again where the return asks for one,
// answers each return, and submits the campaign again.
func (s *seeder) returnRound(r *run, commission evaluation.Actor, pc pastCampaign) error {
	order, err := s.seat(r)
	if err != nil {
		return err
	}
	s.step(r.tl, dayReturned, 10)
	for _, st := range order {
		if ret, ok := pc.returns[st.project.Code]; ok {
			if _, err := s.svc.Review.MarkReturn(s.ctx, commission, st.project.ID, ret.comment); err != nil {
				return fmt.Errorf("mark %s to return: %w", st.project.Code, err)
			}
		}
	}
	s.step(r.tl, dayReturned, 15)
	if _, err := s.svc.Review.ReturnCampaign(s.ctx, commission, r.c.ID, pc.returnReason); err != nil {
		return fmt.Errorf("return campaign %q: %w", r.c.Name, err)
	}
	s.step(r.tl, dayAnswered, 9)
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, r.staff, r.c.ID, evaluation.CampaignConcluding, ""); err != nil {
		return fmt.Errorf("take campaign %q back to concluding: %w", r.c.Name, err)
	}
	for _, st := range order {
		ret, ok := pc.returns[st.project.Code]
		if !ok {
			continue
		}
		if ret.conclusion != "" {
			if _, err := s.svc.Results.RecordConclusion(s.ctx, r.staff, st.project.ID, ret.conclusion, ret.reason); err != nil {
				return fmt.Errorf("conclude %s again: %w", st.project.Code, err)
			}
		}
		if _, err := s.svc.Review.AnswerReturn(s.ctx, r.staff, st.project.ID, ret.answer); err != nil {
			return fmt.Errorf("answer the return of %s: %w", st.project.Code, err)
		}
	}
	s.step(r.tl, dayResubmitted, 10)
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, r.staff, r.c.ID, evaluation.CampaignSubmitted, ""); err != nil {
		return fmt.Errorf("submit campaign %q again: %w", r.c.Name, err)
	}
	return nil
}

package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// panelDrawForm draws a panel for the projects ticked (or the one button's
// project) on the campaign page.
func (a *App) panelDrawForm(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	var ids []int64
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == "project" {
			if id, err := strconv.ParseInt(string(v), 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	})
	p, err := a.panels.DrawPanel(c.UserContext(), actor(c), camp.ID, ids, "")
	if _, msg, ok := a.panelProblem(c, err); ok {
		return a.showCampaign(c, camp, campaignData{PanelError: msg, PanelProblems: a.problemList(c, err)})
	}
	if err != nil {
		return err
	}
	a.flash(c, "panels.drawn")
	return c.Redirect(panelURL(p.ID), fiber.StatusSeeOther)
}

// panelProblem reports an input or conflict error as a message for the
// page, with its status set.
func (a *App) panelProblem(c *fiber.Ctx, err error) (map[string]string, string, bool) {
	e := evaluation.ErrorAs(err)
	if e == nil || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return nil, "", false
	}
	c.Status(statusOf[e.Code])
	fields, msg, _ := a.formProblems(c, &evaluation.Error{Code: evaluation.Invalid, Message: e.Message, Fields: e.Fields, Args: e.Args})
	return fields, msg, true
}

// problemList returns an error's field messages in field order, for a list.
func (a *App) problemList(c *fiber.Ctx, err error) []string {
	e := evaluation.ErrorAs(err)
	if e == nil {
		return nil
	}
	msgs := a.fieldMessages(langOf(c), e)
	var out []string
	for i := 0; ; i++ {
		m, ok := msgs[fmt.Sprintf("unmet.%d", i)]
		if !ok {
			break
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		for _, m := range msgs {
			out = append(out, m)
		}
	}
	return out
}

func (a *App) panelMatchForm(c *fiber.Ctx) error {
	camp, err := a.loadCampaign(c)
	if err != nil {
		return err
	}
	_, err = a.panels.MatchCampaign(c.UserContext(), actor(c), camp.ID, "")
	if _, msg, ok := a.panelProblem(c, err); ok {
		return a.showCampaign(c, camp, campaignData{PanelError: msg, PanelProblems: a.problemList(c, err)})
	}
	if err != nil {
		return err
	}
	a.flash(c, "panels.matched")
	return c.Redirect(fmt.Sprintf("/campaigns/%d#panels", camp.ID), fiber.StatusSeeOther)
}

type panelData struct {
	Panel      *evaluation.Panel
	Campaign   *evaluation.Campaign
	Projects   []*evaluation.Project
	Draws      []*evaluation.DrawRecord
	Excluded   []evaluation.Exclusion
	Conflicted int // excluded for a conflict of interest
	Ineligible int // excluded as not eligible only
	Vacancies  map[evaluation.Seat]int
	// Candidates are the pool's experts a replace form offers (technical
	// and finance apart), the first candidateLimit matching the search
	// CandidateQuery, and how many match in all.
	Candidates        []*evaluation.ExpertSummary
	FinanceCandidates []*evaluation.ExpertSummary
	CandidateQuery    string
	CandidateTotal    int
	FinanceTotal      int
	Writable          bool
	// The result of checking a replacement, for one member.
	CheckMember int64
	CheckExpert int64
	Check       *evaluation.CheckResult
	Reason      string
	Error       string
	Fields      map[string]string
}

func (a *App) panelPage(c *fiber.Ctx) error {
	p, err := a.loadPanel(c)
	if err != nil {
		return err
	}
	return a.showPanel(c, p, panelData{})
}

func (a *App) showPanel(c *fiber.Ctx, p *evaluation.Panel, d panelData) error {
	ctx, act := c.UserContext(), actor(c)
	camp, err := a.campaigns.Campaign(ctx, act, p.CampaignID)
	if err != nil {
		return err
	}
	d.Panel, d.Campaign = p, camp
	for _, id := range p.ProjectIDs {
		pr, err := a.campaigns.Project(ctx, act, id)
		if err != nil {
			return err
		}
		d.Projects = append(d.Projects, pr)
	}
	if d.Draws, err = a.panels.PanelDraws(ctx, act, p.ID); err != nil {
		return err
	}
	if d.Excluded, err = a.panels.PanelExclusions(ctx, act, p.ID); err != nil {
		return err
	}
	for _, x := range d.Excluded {
		if x.Conflict() {
			d.Conflicted++
		} else {
			d.Ineligible++
		}
	}
	if d.Vacancies, err = a.panels.Vacancies(ctx, act, p); err != nil {
		return err
	}
	d.Writable = evaluation.CanManageCampaign(act, camp) && evaluation.PanelsOpen(camp) && p.Changeable()
	if d.Writable {
		if err := a.replacementCandidates(c, &d); err != nil {
			return err
		}
	}
	return a.render(c, "panel", p.Name, d)
}

// candidateLimit is how many experts of the pool a replacement list offers
// per group; the page says how many more match and asks for a narrower
// search rather than dropping them silently.
const candidateLimit = 50

// replacementCandidates lists the pool's experts that the replace forms
// offer: those matching the candidate search (expert_q), technical and
// finance apart, and the expert being checked whatever the search.
func (a *App) replacementCandidates(c *fiber.Ctx, d *panelData) error {
	ctx, act := c.UserContext(), actor(c)
	d.CandidateQuery = strings.TrimSpace(c.Query("expert_q"))
	page := evaluation.Page{Number: 1, Size: candidateLimit}
	var err error
	if d.Candidates, d.CandidateTotal, err = a.pool.Experts(ctx, act, evaluation.ExpertFilter{Query: d.CandidateQuery,
		NotType: evaluation.FinanceExpert, Sort: "name", Page: page}); err != nil {
		return err
	}
	if d.FinanceCandidates, d.FinanceTotal, err = a.pool.Experts(ctx, act, evaluation.ExpertFilter{Query: d.CandidateQuery,
		Type: evaluation.FinanceExpert, Sort: "name", Page: page}); err != nil {
		return err
	}
	if d.CheckExpert == 0 {
		return nil
	}
	for _, e := range append(d.Candidates, d.FinanceCandidates...) {
		if e.ID == d.CheckExpert {
			return nil
		}
	}
	e, err := a.pool.Expert(ctx, act, d.CheckExpert)
	if evaluation.ErrorCode(err) == evaluation.NotFound {
		return nil
	} else if err != nil {
		return err
	}
	if e.Type == evaluation.FinanceExpert {
		d.FinanceCandidates = append([]*evaluation.ExpertSummary{{Expert: *e}}, d.FinanceCandidates...)
	} else {
		d.Candidates = append([]*evaluation.ExpertSummary{{Expert: *e}}, d.Candidates...)
	}
	return nil
}

// panelReplaceForm checks a replacement (op=check) or makes it.
func (a *App) panelReplaceForm(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	p, err := a.panels.Panel(c.UserContext(), actor(c), panelID)
	if err != nil {
		return err
	}
	var f replaceRequest
	if err := a.parseForm(c, &f); err != nil {
		fields, msg, _ := a.formProblems(c, err)
		c.Status(fiber.StatusBadRequest)
		return a.showPanel(c, p, panelData{CheckMember: memberID, Error: msg, Fields: fields})
	}
	d := panelData{CheckMember: memberID, CheckExpert: f.ExpertID, Reason: f.Reason}
	if c.FormValue("op") == "check" {
		res, err := a.panels.CheckReplacement(c.UserContext(), actor(c), panelID, memberID, f.ExpertID)
		if fields, msg, ok := a.panelProblem(c, err); ok {
			d.Error, d.Fields = msg, fields
			return a.showPanel(c, p, d)
		}
		if err != nil {
			return err
		}
		d.Check = &res
		return a.showPanel(c, p, d)
	}
	res, err := a.panels.ReplaceMember(c.UserContext(), actor(c), panelID, memberID, f.ExpertID, f.Reason)
	if fields, msg, ok := a.panelProblem(c, err); ok {
		d.Check, d.Error, d.Fields = &res, msg, fields
		return a.showPanel(c, p, d)
	}
	if err != nil {
		return err
	}
	a.flash(c, "panels.replaced")
	return c.Redirect(panelURL(panelID), fiber.StatusSeeOther)
}

func (a *App) panelChairForm(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	if err := a.panels.SetChair(c.UserContext(), actor(c), panelID, memberID); err != nil {
		return err
	}
	a.flash(c, "panels.chair_set")
	return c.Redirect(panelURL(panelID), fiber.StatusSeeOther)
}

func (a *App) panelInviteForm(c *fiber.Ctx) error {
	p, err := a.loadPanel(c)
	if err != nil {
		return err
	}
	if err := a.panels.InvitePanel(c.UserContext(), actor(c), p.ID); err != nil {
		if _, msg, ok := a.panelProblem(c, err); ok {
			return a.showPanel(c, p, panelData{Error: msg})
		}
		return err
	}
	a.flash(c, "panels.invited")
	return c.Redirect(panelURL(p.ID), fiber.StatusSeeOther)
}

func (a *App) invitationAcceptForm(c *fiber.Ctx) error {
	id, err := paramID(c, "member")
	if err != nil {
		return err
	}
	ans, err := a.panels.RespondToInvitation(c.UserContext(), actor(c), id, true, "")
	if err != nil {
		return err
	}
	if ans.Status == evaluation.MemberDeclined {
		a.flash(c, "invitations.conflict_on_accept")
	} else {
		a.flash(c, "invitations.accepted")
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (a *App) invitationDeclineForm(c *fiber.Ctx) error {
	id, err := paramID(c, "member")
	if err != nil {
		return err
	}
	var f declineRequest
	if err := a.parseForm(c, &f); err != nil {
		fields, _, _ := a.formProblems(c, err)
		c.Status(fiber.StatusBadRequest)
		return a.dashboardWith(c, dashboardData{DeclineMember: id, DeclineFields: fields})
	}
	if _, err := a.panels.RespondToInvitation(c.UserContext(), actor(c), id, false, f.Reason); err != nil {
		return err
	}
	a.flash(c, "invitations.declined")
	return c.Redirect("/", fiber.StatusSeeOther)
}

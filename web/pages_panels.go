package web

import (
	"cmp"
	"fmt"
	"slices"
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
	Panel    *evaluation.Panel
	Campaign *evaluation.Campaign
	Projects []*evaluation.Project
	Draws    []*evaluation.DrawRecord
	Excluded []evaluation.Exclusion
	// Deferred are the panel's members and alternates whom the draw
	// placed after the others because of their records, with why;
	// DeferredOthers counts the other eligible experts it placed so.
	Deferred       []deferredMember
	DeferredOthers int
	Conflicted     int // excluded for a conflict of interest
	Ineligible     int // excluded as not eligible only
	Vacancies      map[evaluation.Seat]int
	Writable       bool
	// Replaceable are the members the user may replace now, by member id:
	// while the campaign scores, those who have not started.
	Replaceable map[int64]bool
	Scoring     bool
	// The seat a manual change is offered for: a member's (CheckMember,
	// ?replace=ID) or a vacant seat of a group (FillSeat, ?fill=SEAT), and
	// the form for it.
	CheckMember int64
	FillSeat    evaluation.Seat
	Change      *changeForm
	// The expert chosen in the form and the result of checking them.
	CheckExpert int64
	Check       *evaluation.CheckResult
	Reason      string
	Error       string
	Fields      map[string]string
}

// changeForm is the form that puts an expert in one seat: the pool's
// experts of the seat's group that match the search, the first
// candidateLimit by name, checked for the seat and grouped: those who pass
// the checks, those who need a written reason, those who cannot take it.
type changeForm struct {
	Member *evaluation.PanelMember // whose seat; nil for a vacant seat
	Seat   evaluation.Seat
	Key    string // the member id or the seat, for element ids
	Action string
	Query  string
	Total  int // experts of the group matching the search
	Shown  int
	Limit  int

	Pass, Reason, Refused []candidate
}

// candidate is an expert of a change form's list and the checks' result.
type candidate struct {
	Expert *evaluation.ExpertSummary
	Check  evaluation.CheckResult
}

func (a *App) panelPage(c *fiber.Ctx) error {
	p, err := a.loadPanel(c)
	if err != nil {
		return err
	}
	var d panelData
	if s := c.Query("replace"); s != "" {
		if d.CheckMember, err = strconv.ParseInt(s, 10, 64); err != nil || d.CheckMember <= 0 {
			return evaluation.ErrNotFound
		}
	} else if s := c.Query("fill"); s != "" {
		d.FillSeat = evaluation.Seat(strings.Clone(s))
	}
	return a.showPanel(c, p, d)
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
	d.Deferred, d.DeferredOthers = drawDeferrals(p, d.Draws)
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
	if d.Replaceable, err = a.panels.Replaceable(ctx, act, p); err != nil {
		return err
	}
	d.Scoring = camp.State == evaluation.CampaignScoring
	switch {
	case (d.Writable && (d.CheckMember != 0 || d.FillSeat != "")) || d.Replaceable[d.CheckMember]:
		if err := a.changeCandidates(c, &d); err != nil {
			return err
		}
	case d.CheckMember != 0 && d.Scoring && evaluation.CanManageCampaign(act, camp) && d.Error == "":
		// A member who has started scoring: say why there is no form.
		if m, ok := p.Member(d.CheckMember); !ok || !m.Status.Seated() {
			return evaluation.ErrNotFound
		}
		c.Status(fiber.StatusConflict)
		d.Error = a.T(c, "error.member_started")
	}
	return a.render(c, "panel", a.T(c, "panels.panel")+" "+p.Name, d)
}

// candidateLimit is how many experts of the pool a change form lists; the
// page says how many more match and asks for a narrower search rather than
// dropping them silently.
const candidateLimit = 50

// changeCandidates makes the form for the seat the page was asked to
// change: the pool's experts of the seat's group that match the candidate
// search (expert_q), and the expert chosen whatever the search, each
// checked for the seat in one call; the chosen expert's result is the
// page's Check.
func (a *App) changeCandidates(c *fiber.Ctx, d *panelData) error {
	ctx, act := c.UserContext(), actor(c)
	f := &changeForm{Limit: candidateLimit, Query: strings.TrimSpace(c.FormValue("expert_q"))}
	target := evaluation.SeatTarget{MemberID: d.CheckMember}
	if d.CheckMember != 0 {
		m, ok := d.Panel.Member(d.CheckMember)
		if !ok || !m.Status.Seated() {
			return evaluation.ErrNotFound
		}
		f.Member, f.Seat, f.Key = m, m.Seat, strconv.FormatInt(m.ID, 10)
		f.Action = fmt.Sprintf("/panels/%d/members/%d/replace", d.Panel.ID, m.ID)
	} else {
		if d.FillSeat != evaluation.SeatTechnical && d.FillSeat != evaluation.SeatFinance {
			return evaluation.ErrNotFound
		}
		if d.Vacancies[d.FillSeat] <= 0 {
			c.Status(fiber.StatusConflict)
			d.Error = a.T(c, "error.no_vacancy")
			return nil
		}
		target.Seat, f.Seat, f.Key = d.FillSeat, d.FillSeat, string(d.FillSeat)
		f.Action = fmt.Sprintf("/panels/%d/vacancies/%s/fill", d.Panel.ID, d.FillSeat)
	}
	filter := evaluation.ExpertFilter{Query: f.Query, NotType: evaluation.FinanceExpert, Sort: "name", Page: evaluation.Page{Number: 1, Size: candidateLimit}}
	if f.Seat == evaluation.SeatFinance {
		filter.NotType, filter.Type = "", evaluation.FinanceExpert
	}
	list, total, err := a.pool.Experts(ctx, act, filter)
	if err != nil {
		return err
	}
	f.Total, f.Shown = total, len(list)
	if d.CheckExpert != 0 && !slices.ContainsFunc(list, func(e *evaluation.ExpertSummary) bool { return e.ID == d.CheckExpert }) {
		e, err := a.pool.Expert(ctx, act, d.CheckExpert)
		switch {
		case evaluation.ErrorCode(err) == evaluation.NotFound:
			fields, _, _ := a.panelProblem(c, evaluation.FieldErrors{"expert_id": "error.expert_unknown"}.Err())
			d.Fields, d.CheckExpert = fields, 0
		case err != nil:
			return err
		default:
			list = append([]*evaluation.ExpertSummary{{Expert: *e}}, list...)
		}
	}
	d.Change = f
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	checks, err := a.panels.CheckCandidates(ctx, act, d.Panel.ID, target, ids)
	if err != nil {
		return err
	}
	for i, ch := range checks {
		cd := candidate{Expert: list[i], Check: ch.CheckResult}
		switch {
		case !ch.Allowed:
			f.Refused = append(f.Refused, cd)
		case ch.NeedsReason:
			f.Reason = append(f.Reason, cd)
		default:
			f.Pass = append(f.Pass, cd)
		}
		if ch.ExpertID == d.CheckExpert {
			d.Check = &checks[i].CheckResult
		}
	}
	// Conflicts of interest first among the refused, as in the exclusions.
	conflicted := func(x candidate) int { return min(len(x.Check.Conflicts), 1) }
	slices.SortStableFunc(f.Refused, func(a, b candidate) int { return cmp.Compare(conflicted(b), conflicted(a)) })
	return nil
}

// panelReplaceForm checks a replacement (op=check) or makes it.
func (a *App) panelReplaceForm(c *fiber.Ctx) error {
	panelID, memberID, err := memberParams(c)
	if err != nil {
		return err
	}
	return a.changeSeatForm(c, panelID, panelData{CheckMember: memberID}, "panels.replaced",
		func(expertID int64, reason string) (evaluation.CheckResult, error) {
			return a.panels.ReplaceMember(c.UserContext(), actor(c), panelID, memberID, expertID, reason)
		})
}

// panelFillForm checks an expert for a vacant seat (op=check) or puts
// them in it.
func (a *App) panelFillForm(c *fiber.Ctx) error {
	panelID, err := paramID(c, "id")
	if err != nil {
		return err
	}
	seat := evaluation.Seat(strings.Clone(c.Params("seat")))
	return a.changeSeatForm(c, panelID, panelData{FillSeat: seat}, "panels.filled",
		func(expertID int64, reason string) (evaluation.CheckResult, error) {
			return a.panels.FillVacancy(c.UserContext(), actor(c), panelID, seat, expertID, reason)
		})
}

// changeSeatForm reads a change form: with op=check it shows the checks of
// the chosen expert, else it makes the change and says so, or shows why
// not. d names the seat.
func (a *App) changeSeatForm(c *fiber.Ctx, panelID int64, d panelData, done string,
	change func(expertID int64, reason string) (evaluation.CheckResult, error)) error {
	p, err := a.panels.Panel(c.UserContext(), actor(c), panelID)
	if err != nil {
		return err
	}
	var f replaceRequest
	if err := a.parseForm(c, &f); err != nil {
		fields, msg, _ := a.formProblems(c, err)
		c.Status(fiber.StatusBadRequest)
		d.Error, d.Fields = msg, fields
		return a.showPanel(c, p, d)
	}
	d.CheckExpert, d.Reason = f.ExpertID, f.Reason
	if c.FormValue("op") == "check" {
		return a.showPanel(c, p, d)
	}
	// A refused change changed nothing: the form checks the expert again.
	_, err = change(f.ExpertID, f.Reason)
	if fields, msg, ok := a.panelProblem(c, err); ok {
		d.Error, d.Fields = msg, fields
		return a.showPanel(c, p, d)
	}
	if err != nil {
		return err
	}
	a.flash(c, done)
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

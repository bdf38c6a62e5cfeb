package web

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/web/charts"
	"github.com/gofiber/fiber/v2"
)

// progressRoutes: the agency's progress monitor (评分进度) and the forms of
// its actions; their API is in api_sheets.go.
func (a *App) progressRoutes() {
	read, manage := rbac.Read("sheet"), rbac.Write("sheet")
	a.route(get, "/campaigns/:id/progress", read, a.progressPage)
	a.route(post, "/campaigns/:id/progress/reminders", manage, a.progressRemindForm)
	a.route(post, "/campaigns/:id/progress/reopen", manage, a.progressReopenForm)
	a.route(post, "/campaigns/:id/progress/extend", manage, a.progressExtendForm)
	a.route(post, "/campaigns/:id/progress/lift", manage, a.progressLiftForm)
}

// progressData is the progress monitor: the campaign's counts, its overdue
// members, and a page of its panels' matrices, with the card of the action
// asked for.
type progressData struct {
	Campaign *evaluation.Campaign
	Progress *evaluation.Progress
	Pager    *pager
	Filter   evaluation.ProgressFilter
	// CanAct: the user is staff of the campaign's agency and the campaign
	// scores, so reminders, reopening, extensions and replacements are
	// offered; CanLift: the user is staff of the agency (a declared
	// conflict can be lifted at any time).
	CanAct, CanLift bool
	// Action is the card of the action asked for (?member=, ?reopen=,
	// ?lift=&expert=) or refused; Error a refused action's message that
	// has no card.
	Action *progressAction
	Error  string
	// Chart draws the campaign's progress over time.
	Chart charts.Chart
}

// progressAction is the card of one action: what it acts on, and the
// values and problems of a refused submission.
type progressAction struct {
	Kind     string // member (reminder, extension, replacement), reopen or lift
	Member   *evaluation.MemberProgress
	Project  *evaluation.ProjectBrief
	Cell     *evaluation.SheetCell
	Conflict *evaluation.PanelConflict
	PanelID  int64

	Due, Reason string
	Error       string
	Fields      map[string]string
}

// Query is the page's filter and page number as a query string ("" or
// "?…"), which the forms and links keep.
func (d *progressData) Query() string {
	q := d.query()
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

func (d *progressData) query() url.Values {
	q := url.Values{}
	if n := d.Filter.Page.Number; n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if s := d.Filter.Page.Size; s != 0 {
		q.Set("per_page", strconv.Itoa(s))
	}
	if d.Filter.OverdueOnly {
		q.Set("overdue", "1")
	}
	return q
}

// ActionURL links to the card of an action on this page: "member" and a
// member id, "reopen" and a sheet id, "lift" and a project and an expert
// id.
func (d *progressData) ActionURL(kind string, ids ...int64) string {
	q := d.query()
	switch kind {
	case "lift":
		q.Set("lift", strconv.FormatInt(ids[0], 10))
		q.Set("expert", strconv.FormatInt(ids[1], 10))
	default:
		q.Set(kind, strconv.FormatInt(ids[0], 10))
	}
	return "?" + q.Encode() + "#action"
}

// BackURL is the page again, at a panel ("panel-ID") or a section.
func (d *progressData) BackURL(anchor string) string {
	u := fmt.Sprintf("/campaigns/%d/progress%s", d.Campaign.ID, d.Query())
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

// Extended reports whether a member's last day is their own.
func (d *progressData) Extended(m evaluation.MemberProgress) bool {
	return m.Due != "" && m.Due != d.Progress.Due
}

// barSegment is a part of a progress bar, in percent of its width.
type barSegment struct {
	Status string
	X, W   string
}

// Bar draws the counts as a bar: submitted, reopened, drafts, then not
// started, each in proportion to the sheets expected.
func (d *progressData) Bar(c evaluation.ProgressCounts) []barSegment {
	if c.Expected == 0 {
		return nil
	}
	var out []barSegment
	x := 0.0
	for _, part := range []struct {
		status evaluation.SheetStatus
		n      int
	}{{evaluation.SheetSubmitted, c.Submitted}, {evaluation.SheetReopened, c.Reopened}, {evaluation.SheetDraft, c.Draft},
		{evaluation.SheetNotStarted, c.NotStarted}} {
		if part.n == 0 {
			continue
		}
		w := float64(part.n) * 100 / float64(c.Expected)
		out = append(out, barSegment{Status: string(part.status), X: strconv.FormatFloat(x, 'f', 2, 64), W: strconv.FormatFloat(w, 'f', 2, 64)})
		x += w
	}
	return out
}

// withdrawnColumn is an expert who gave up their seat on the panel by
// declaring a conflict with one of its projects: a column after the
// members', with the projects they declared (the others have no sheet of
// theirs either: the seat went with the declaration).
type withdrawnColumn struct {
	ExpertID int64
	Name     string
	Declared map[int64]*evaluation.PanelConflict // by project
}

// Withdrawn lists the panel's withdrawn experts in the order they
// declared.
func (d *progressData) Withdrawn(pp evaluation.PanelProgress) []withdrawnColumn {
	var out []withdrawnColumn
	at := map[int64]int{}
	for j, pc := range pp.Conflicts {
		i, ok := at[pc.ExpertID]
		if !ok {
			i, at[pc.ExpertID] = len(out), len(out)
			out = append(out, withdrawnColumn{ExpertID: pc.ExpertID, Name: pc.Name, Declared: map[int64]*evaluation.PanelConflict{}})
		}
		out[i].Declared[pc.ProjectID] = &pp.Conflicts[j]
	}
	return out
}

// findMember finds a member among the page's panels and the overdue list.
func (d *progressData) findMember(id int64) *evaluation.MemberProgress {
	for i := range d.Progress.Panels {
		for j := range d.Progress.Panels[i].Members {
			if m := &d.Progress.Panels[i].Members[j]; m.MemberID == id {
				return m
			}
		}
	}
	for i := range d.Progress.Overdue {
		if m := &d.Progress.Overdue[i]; m.MemberID == id {
			return m
		}
	}
	return nil
}

// findSheet finds a sheet of the page's matrices with its member and
// project.
func (d *progressData) findSheet(id int64) *progressAction {
	for i := range d.Progress.Panels {
		pp := &d.Progress.Panels[i]
		for r := range pp.Projects {
			row := &pp.Projects[r]
			for j := range row.Cells {
				if cell := &row.Cells[j]; cell.SheetID == id && j < len(pp.Members) {
					return &progressAction{Kind: "reopen", Member: &pp.Members[j], Project: &row.Project, Cell: cell, PanelID: pp.PanelID}
				}
			}
		}
	}
	return nil
}

// findConflict finds a declared conflict of the page's panels.
func (d *progressData) findConflict(projectID, expertID int64) *progressAction {
	for i := range d.Progress.Panels {
		pp := &d.Progress.Panels[i]
		for j := range pp.Conflicts {
			if pc := &pp.Conflicts[j]; pc.ProjectID == projectID && pc.ExpertID == expertID {
				return &progressAction{Kind: "lift", Conflict: pc, PanelID: pp.PanelID}
			}
		}
	}
	return nil
}

// memberAction is the card of a member, or nil.
func (d *progressData) memberAction(id int64) *progressAction {
	m := d.findMember(id)
	if m == nil {
		return nil
	}
	return &progressAction{Kind: "member", Member: m, PanelID: m.PanelID}
}

// progressView loads the page for the request's filter; the service
// checks who may read it (an expert is refused, another agency's campaign
// is not found).
func (a *App) progressView(c *fiber.Ctx) (*progressData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	f, err := progressFilter(c)
	if err != nil {
		return nil, err
	}
	act := actor(c)
	p, err := a.sheets.Progress(c.UserContext(), act, id, f)
	if err != nil {
		return nil, err
	}
	camp, err := a.campaigns.Campaign(c.UserContext(), act, id)
	if err != nil {
		return nil, err
	}
	tl, err := a.sheets.Timeline(c.UserContext(), act, id)
	if err != nil {
		return nil, err
	}
	manage := evaluation.CampaignScoring == camp.State && evaluation.CanManageCampaign(act, camp)
	pg := newPager(c, f.Page, p.Total, "")
	for _, k := range []string{"member", "reopen", "lift", "expert"} {
		pg.query.Del(k) // the cards belong to this page
	}
	return &progressData{Campaign: camp, Progress: p, Pager: pg, Filter: f,
		CanAct: manage, CanLift: evaluation.CanManageCampaign(act, camp), Chart: a.progressChart(c, tl)}, nil
}

func (a *App) renderProgress(c *fiber.Ctx, d *progressData) error {
	return a.render(c, "progress", a.T(c, "progress.title")+" · "+d.Campaign.Name, d)
}

func (a *App) progressPage(c *fiber.Ctx) error {
	d, err := a.progressView(c)
	if err != nil {
		return err
	}
	// The card asked for, for those who may act.
	queryID := func(name string) (int64, bool, error) {
		s := c.Query(name)
		if s == "" {
			return 0, false, nil
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return 0, true, evaluation.ErrNotFound
		}
		return id, true, nil
	}
	if id, asked, err := queryID("member"); err != nil {
		return err
	} else if asked && d.CanAct {
		if d.Action = d.memberAction(id); d.Action == nil {
			return evaluation.ErrNotFound
		}
	}
	if id, asked, err := queryID("reopen"); err != nil {
		return err
	} else if asked && d.CanAct {
		if d.Action = d.findSheet(id); d.Action == nil {
			return evaluation.ErrNotFound
		}
		if d.Action.Cell.Status != evaluation.SheetSubmitted {
			c.Status(fiber.StatusConflict)
			d.Action.Error = a.T(c, "error.sheet_not_submitted")
		}
	}
	if projectID, asked, err := queryID("lift"); err != nil {
		return err
	} else if asked && d.CanLift {
		expertID, _, err := queryID("expert")
		if err != nil {
			return err
		}
		if d.Action = d.findConflict(projectID, expertID); d.Action == nil {
			return evaluation.ErrNotFound
		}
	}
	return a.renderProgress(c, d)
}

// refuse shows a refused action on its card (or, without one, at the top
// of the page) with the status: input problems beside their fields, a
// conflict as the card's message. It reports false for other errors.
func (a *App) refuse(c *fiber.Ctx, d *progressData, err error) bool {
	e := evaluation.ErrorAs(err)
	if e == nil || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return false
	}
	c.Status(statusOf[e.Code])
	fields, msg, _ := a.formProblems(c, err)
	if d.Action == nil {
		d.Error = msg
		return true
	}
	d.Action.Fields = fields
	if e.Code == evaluation.Conflict || (fields["reason"] == "" && fields["due"] == "") {
		d.Action.Error = msg
	}
	return true
}

// formID reads a positive id from the form; anything else is not found.
func formID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.FormValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, evaluation.ErrNotFound
	}
	return id, nil
}

// progressRemindForm reminds every member with sheets left, or one expert
// (expert_id, from the card of one of their seats, member_id, when given)
// and says how many were reminded.
func (a *App) progressRemindForm(c *fiber.Ctx) error {
	d, err := a.progressView(c)
	if err != nil {
		return err
	}
	var expertID int64
	anchor := "overall"
	if c.FormValue("expert_id") != "" {
		if expertID, err = formID(c, "expert_id"); err != nil {
			return err
		}
		anchor = "overdue"
		if memberID := c.FormValue("member_id"); memberID != "" {
			id, err := formID(c, "member_id")
			if err != nil {
				return err
			}
			if d.Action = d.memberAction(id); d.Action == nil || d.Action.Member.ExpertID != expertID {
				return evaluation.ErrNotFound
			}
			anchor = fmt.Sprintf("panel-%d", d.Action.PanelID)
		}
	}
	n, err := a.sheets.Remind(c.UserContext(), actor(c), d.Campaign.ID, expertID)
	if a.refuse(c, d, err) {
		return a.renderProgress(c, d)
	}
	if err != nil {
		return err
	}
	// The flash is the translated text itself (see projectImportSubmit).
	if n == 0 {
		a.flash(c, a.T(c, "progress.reminded_none"))
	} else {
		a.flash(c, a.T(c, "progress.reminded", "Count", n))
	}
	return c.Redirect(d.BackURL(anchor), fiber.StatusSeeOther)
}

func (a *App) progressReopenForm(c *fiber.Ctx) error {
	d, err := a.progressView(c)
	if err != nil {
		return err
	}
	id, err := formID(c, "sheet_id")
	if err != nil {
		return err
	}
	if d.Action = d.findSheet(id); d.Action == nil {
		return evaluation.ErrNotFound
	}
	d.Action.Reason = c.FormValue("reason")
	var f reasonRequest
	if err = a.parseForm(c, &f); err == nil {
		_, err = a.sheets.ReopenSheet(c.UserContext(), actor(c), id, f.Reason)
	}
	if a.refuse(c, d, err) {
		return a.renderProgress(c, d)
	}
	if err != nil {
		return err
	}
	a.flash(c, a.T(c, "progress.reopened_flash", "Name", d.Action.Member.Name, "Code", d.Action.Project.Code))
	return c.Redirect(d.BackURL(fmt.Sprintf("panel-%d", d.Action.PanelID)), fiber.StatusSeeOther)
}

func (a *App) progressExtendForm(c *fiber.Ctx) error {
	d, err := a.progressView(c)
	if err != nil {
		return err
	}
	id, err := formID(c, "member_id")
	if err != nil {
		return err
	}
	if d.Action = d.memberAction(id); d.Action == nil {
		return evaluation.ErrNotFound
	}
	d.Action.Due, d.Action.Reason = c.FormValue("due"), c.FormValue("reason")
	var f deadlineRequest
	if err = a.parseForm(c, &f); err == nil {
		err = a.sheets.ExtendDeadline(c.UserContext(), actor(c), d.Action.PanelID, id, f.Due, f.Reason)
	}
	if a.refuse(c, d, err) {
		return a.renderProgress(c, d)
	}
	if err != nil {
		return err
	}
	a.flash(c, a.T(c, "progress.extended_flash", "Name", d.Action.Member.Name, "Due", f.Due))
	return c.Redirect(d.BackURL(fmt.Sprintf("panel-%d", d.Action.PanelID)), fiber.StatusSeeOther)
}

func (a *App) progressLiftForm(c *fiber.Ctx) error {
	d, err := a.progressView(c)
	if err != nil {
		return err
	}
	projectID, err := formID(c, "project_id")
	if err != nil {
		return err
	}
	expertID, err := formID(c, "expert_id")
	if err != nil {
		return err
	}
	if d.Action = d.findConflict(projectID, expertID); d.Action == nil {
		return evaluation.ErrNotFound
	}
	d.Action.Reason = c.FormValue("reason")
	var f reasonRequest
	if err = a.parseForm(c, &f); err == nil {
		err = a.sheets.LiftConflict(c.UserContext(), actor(c), projectID, expertID, f.Reason)
	}
	if a.refuse(c, d, err) {
		return a.renderProgress(c, d)
	}
	if err != nil {
		return err
	}
	a.flash(c, a.T(c, "progress.lifted_flash", "Name", d.Action.Conflict.Name, "Code", d.Action.Conflict.Code))
	return c.Redirect(d.BackURL(fmt.Sprintf("panel-%d", d.Action.PanelID)), fiber.StatusSeeOther)
}

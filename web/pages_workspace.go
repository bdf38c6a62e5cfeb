package web

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

// workspaceRoutes: the expert's workspace in the browser (evaluation/
// README.md §2.6), over the same calls as the API's: the campaign's
// pledge, a project's page with the declaration, materials and method
// records, the score sheet (saved by its button, by the page's autosave,
// and submitted after a summary), and the chair's view of the panel's
// submitted sheets.
func (a *App) workspaceRoutes() {
	read, write := rbac.Read("workspace"), rbac.Write("workspace")
	a.route(get, "/workspace/campaigns/:id/pledge", read, a.pledgePage)
	a.route(post, "/workspace/campaigns/:id/pledge", write, a.pledgeSign)
	a.route(get, "/workspace/projects/:id", read, a.workspaceProjectPage)
	a.route(post, "/workspace/projects/:id/declaration", write, a.declarationForm)
	a.route(get, "/workspace/projects/:id/sheet", read, a.sheetPage)
	a.route(post, "/workspace/projects/:id/sheet", write, a.sheetForm)
	a.route(post, "/workspace/projects/:id/sheet/draft", write, a.sheetDraft)
	a.route(get, "/workspace/projects/:id/sheet/review", read, a.sheetReviewPage)
	a.route(post, "/workspace/projects/:id/sheet/submit", write, a.sheetSubmit)
	a.route(get, "/workspace/projects/:id/panel", rbac.Read("sheet"), a.panelSheetsPage)
}

func workspaceURL(projectID int64) string { return fmt.Sprintf("/workspace/projects/%d", projectID) }
func sheetURL(projectID int64) string     { return workspaceURL(projectID) + "/sheet" }

// expertWork is the expert's projects to score, for their home page.
type expertWork struct {
	Items []evaluation.Assignment
	// Left counts the sheets not submitted, Overdue those of them past
	// their deadline.
	Left, Overdue int
}

func (a *App) expertWork(c *fiber.Ctx) (*expertWork, error) {
	if currentUser(c).ExpertID == 0 {
		return &expertWork{}, nil
	}
	list, err := a.sheets.Assignments(c.UserContext(), actor(c))
	if err != nil {
		return nil, err
	}
	w := &expertWork{Items: list}
	for _, as := range list {
		if as.Status != evaluation.SheetSubmitted {
			w.Left++
		}
		if as.Overdue {
			w.Overdue++
		}
	}
	return w, nil
}

// campaignWork is the expert's assignments in one campaign; a campaign
// where they hold no accepted seat is not found.
func (a *App) campaignWork(c *fiber.Ctx, campaignID int64) ([]evaluation.Assignment, error) {
	list, err := a.sheets.Assignments(c.UserContext(), actor(c))
	if err != nil {
		return nil, err
	}
	var out []evaluation.Assignment
	for _, as := range list {
		if as.Campaign.ID == campaignID {
			out = append(out, as)
		}
	}
	if len(out) == 0 {
		return nil, evaluation.ErrNotFound
	}
	return out, nil
}

type pledgeData struct {
	Campaign   evaluation.CampaignBrief
	Projects   []evaluation.Assignment
	Paragraphs []string
	Version    string
	Signed     bool
	Next       string
	Error      string
}

func (a *App) pledgePage(c *fiber.Ctx) error {
	return a.showPledge(c, localPath(c.Query("next")), "")
}

func (a *App) showPledge(c *fiber.Ctx, next, msg string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	work, err := a.campaignWork(c, id)
	if err != nil {
		return err
	}
	d := pledgeData{Campaign: work[0].Campaign, Projects: work, Paragraphs: evaluation.PledgeText(langOf(c)),
		Version: evaluation.PledgeVersion, Signed: work[0].Pledged, Next: next, Error: msg}
	return a.render(c, "workspace_pledge", a.T(c, "workspace.pledge_title"), d)
}

type pledgeForm struct {
	Version string `form:"version"`
	Next    string `form:"next"`
}

func (a *App) pledgeSign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f pledgeForm
	if err := a.parseForm(c, &f); err != nil {
		return err
	}
	next := localPath(f.Next)
	err = a.sheets.SignPledge(c.UserContext(), actor(c), id, strings.TrimSpace(f.Version))
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(statusOf[evaluation.ErrorCode(err)])
		if m := fields["version"]; m != "" {
			msg = m
		}
		return a.showPledge(c, next, msg)
	}
	if err != nil {
		return err
	}
	a.flash(c, "workspace.pledge_signed")
	return c.Redirect(next, fiber.StatusSeeOther)
}

// workspaceProjectData is a project as its expert sees it: the
// assignment, and once it is open the project, its materials and method
// records; with a refused declaration, its problems.
type workspaceProjectData struct {
	Assignment evaluation.Assignment
	Project    *evaluation.Project
	Records    *projectRecords
	// A refused declaration of a conflict: what was typed and why.
	Reason  string
	Confirm bool
	Error   string
	Fields  map[string]string
}

func (a *App) workspaceProjectPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.showWorkspaceProject(c, id, workspaceProjectData{})
}

func (a *App) showWorkspaceProject(c *fiber.Ctx, id int64, d workspaceProjectData) error {
	ep, err := a.sheets.Project(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	d.Assignment, d.Project = ep.Assignment, ep.Project
	if d.Project != nil {
		camp := &evaluation.Campaign{ID: ep.Assignment.Campaign.ID, State: ep.Assignment.Campaign.State}
		if d.Records, err = a.projectRecords(c, d.Project, camp, nil); err != nil {
			return err
		}
	}
	title := ep.Assignment.Project.Code + " " + ep.Assignment.Project.Title
	return a.render(c, "workspace_project", title, d)
}

type declarationForm struct {
	Conflict string `form:"conflict"`
	Reason   string `form:"reason"`
	Confirm  string `form:"confirm"`
}

// declarationForm records the expert's declaration: no conflict of
// interest, or one, with the reason and the expert's confirmation that it
// withdraws them from the project.
func (a *App) declarationForm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f declarationForm
	if err := a.parseForm(c, &f); err != nil {
		return err
	}
	ctx, act := c.UserContext(), actor(c)
	switch f.Conflict {
	case "0", "1":
	default:
		// Each of the page's two forms says which it is; a post that
		// says neither declares nothing. The page again (not found for
		// another panel's project), with the message.
		fields, msg, _ := a.formProblems(c, evaluation.FieldErrors{"conflict": "error.required_field"}.Err())
		c.Status(fiber.StatusBadRequest)
		return a.showWorkspaceProject(c, id, workspaceProjectData{Reason: f.Reason, Error: msg, Fields: fields})
	}
	if f.Conflict == "0" {
		if err := a.sheets.DeclareNoConflict(ctx, act, id); err != nil {
			return err
		}
		a.flash(c, "workspace.declared_none")
		return c.Redirect(workspaceURL(id), fiber.StatusSeeOther)
	}
	bad := evaluation.FieldErrors{}
	if strings.TrimSpace(f.Reason) == "" {
		bad.Add("reason", "error.reason_required")
	}
	if f.Confirm != "1" {
		bad.Add("confirm", "workspace.confirm_withdraw_required")
	}
	err = bad.Err()
	if err == nil {
		err = a.sheets.DeclareConflict(ctx, act, id, f.Reason)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(statusOf[evaluation.ErrorCode(err)])
		return a.showWorkspaceProject(c, id, workspaceProjectData{Reason: f.Reason, Confirm: f.Confirm == "1", Error: msg, Fields: fields})
	}
	if err != nil {
		return err
	}
	a.flash(c, "workspace.declared_conflict")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// sheetData is the score sheet page: the sheet as stored or as typed, and
// what a refused save said.
type sheetData struct {
	View    *evaluation.SheetView
	Rubric  *rubrics.Rubric
	Finance bool
	Items   []sheetItem
	Vetoes  []sheetVeto
	Values  sheetValues
	// Version is the version the form's copy is based on.
	Version int
	// Summary is the sheet as stored, shown instead of the form when it
	// cannot be edited.
	Summary *sheetSummary
	Bands   string
	// Total is the running total of the scores shown (the page's script
	// keeps it up to date as they are typed).
	Total *sheetSummary
	// Locked says why the fields are read-only, in words.
	Locked string
	Error  string
	Fields map[string]string
	// Stale is the version stored elsewhere after a save based on an
	// older one was refused, with when it was saved.
	Stale      *sheetSummary
	StaleSheet *evaluation.Sheet
	// Incomplete marks a submission refused for missing fields: the draft
	// was saved all the same.
	Incomplete bool
	History    []sheetRound
	SavedAt    string
}

// sheetItem is an indicator of the form with its value and whether its
// score asks for a comment.
type sheetItem struct {
	rubrics.Indicator
	Name, Guidance  string
	Score, Comment  string
	CommentRequired bool
	// Low and High are 60% and 90% of the maximum: a score below Low or
	// above High needs a comment.
	Low, High string
}

type sheetVeto struct {
	Code, Text, Evidence string
	Checked              bool
}

// sheetRound is a submitted round of the sheet's history.
type sheetRound struct {
	Round       int
	SubmittedAt time.Time
	Summary     *sheetSummary
}

// loadSheet loads the actor's sheet of a project; a sheet not open yet
// (pledge or declaration first) answers with the project's page, which
// says what comes first.
func (a *App) loadSheet(c *fiber.Ctx) (int64, *evaluation.SheetView, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return 0, nil, err
	}
	v, err := a.sheets.Sheet(c.UserContext(), actor(c), id)
	if e := evaluation.ErrorAs(err); e != nil && (e.Message == "error.pledge_first" || e.Message == "error.declare_first") {
		return id, nil, errNotOpen
	}
	return id, v, err
}

// editableSheet loads the sheet a form posts to. When the answer is given
// already (the project's page for a sheet not open yet, the locked sheet
// with 409 for a submitted one), the view is nil and the error is the
// answer's.
func (a *App) editableSheet(c *fiber.Ctx) (int64, *evaluation.SheetView, error) {
	id, v, err := a.loadSheet(c)
	if errors.Is(err, errNotOpen) {
		return id, nil, c.Redirect(workspaceURL(id), fiber.StatusSeeOther)
	}
	if err != nil {
		return id, nil, err
	}
	if !v.Editable {
		c.Status(fiber.StatusConflict)
		return id, nil, a.showSheet(c, a.sheetPageData(c, v, nil))
	}
	return id, v, nil
}

// errNotOpen is a sheet whose pledge or declaration comes first.
var errNotOpen = errors.New("sheet not open yet")

// sheetPageData builds the page's data for the view, with the values
// shown: the stored sheet's, or those a refused form sent (nil).
func (a *App) sheetPageData(c *fiber.Ctx, v *evaluation.SheetView, values *sheetValues) *sheetData {
	lang := langOf(c)
	rb := v.Rubric.Content
	d := &sheetData{View: v, Rubric: rb, Finance: v.Assignment.Seat == evaluation.SeatFinance, Version: v.Sheet.Version,
		Bands: bandList(lang, a.tr, rb)}
	if values == nil {
		vals := valuesOf(v.Sheet.Content)
		values = &vals
	}
	d.Values = *values
	shown := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{}}}
	for _, in := range rb.Indicators {
		it := sheetItem{Indicator: in, Name: in.Name.In(string(lang)), Guidance: in.Guidance.In(string(lang)),
			Score: values.Scores[in.Code], Comment: values.Comments[in.Code], Low: percentOf(in.Max, 60), High: percentOf(in.Max, 90)}
		if p, ok := scoreOf(it.Score, in.Max); ok {
			it.CommentRequired = rubrics.CommentRequired(p, in.Max)
			shown.Scores[in.Code] = p
		}
		d.Items = append(d.Items, it)
	}
	for _, veto := range rb.Vetoes {
		d.Vetoes = append(d.Vetoes, sheetVeto{Code: veto.Code, Text: veto.Text.In(string(lang)), Evidence: values.Evidence[veto.Code],
			Checked: values.Vetoes[veto.Code]})
	}
	d.Total = summarize(lang, a.tr, rb, shown, d.Finance)
	if !v.Editable {
		d.Summary = summarize(lang, a.tr, rb, v.Sheet.Content, d.Finance)
		d.Locked = a.lockedText(c, v)
	}
	for _, ver := range v.Versions {
		d.History = append(d.History, sheetRound{Round: ver.Round, SubmittedAt: ver.SubmittedAt,
			Summary: summarize(lang, a.tr, rb, ver.Content, d.Finance)})
	}
	if v.Sheet.Version > 0 {
		d.SavedAt = clock(v.Sheet.UpdatedAt, a.cfg.Now())
	}
	return d
}

// lockedText says in words why a sheet cannot be changed now.
func (a *App) lockedText(c *fiber.Ctx, v *evaluation.SheetView) string {
	switch {
	case v.Sheet.Status == evaluation.SheetSubmitted:
		return a.T(c, "workspace.locked_submitted")
	case v.Assignment.Campaign.State == evaluation.CampaignForming:
		return a.T(c, "workspace.locked_forming")
	case v.Assignment.Campaign.State != evaluation.CampaignScoring:
		return a.T(c, "workspace.locked_closed")
	case v.Locked == "error.past_due":
		return a.T(c, "workspace.locked_past_due", "Due", v.Assignment.Due)
	}
	return a.T(c, v.Locked)
}

// scoreOf reads a score as typed: points in steps of 0.5 within 0 … max,
// or false.
func scoreOf(s string, max rubrics.Points) (rubrics.Points, bool) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, false
	}
	p, ok := rubrics.FromFloat(f)
	return p, ok && p >= 0 && p <= max
}

func (a *App) sheetPage(c *fiber.Ctx) error {
	id, v, err := a.loadSheet(c)
	if errors.Is(err, errNotOpen) {
		return c.Redirect(workspaceURL(id))
	}
	if err != nil {
		return err
	}
	return a.showSheet(c, a.sheetPageData(c, v, nil))
}

func (a *App) showSheet(c *fiber.Ctx, d *sheetData) error {
	title := a.T(c, "workspace.sheet_title") + " · " + d.View.Assignment.Project.Code
	return a.render(c, "workspace_sheet", title, d)
}

// sheetForm saves the sheet from the page's form (op=save), or saves it
// and, when it is complete, goes on to the summary before submitting
// (op=review). A refused save shows the page again with what was typed
// and the problems beside the fields; a save based on an older version
// shows the version stored since.
func (a *App) sheetForm(c *fiber.Ctx) error {
	id, v, err := a.editableSheet(c)
	if v == nil {
		return err
	}
	finance := v.Assignment.Seat == evaluation.SeatFinance
	base, content, values, err := readSheetForm(c, v.Rubric.Content, finance)
	if err == nil {
		_, err = a.sheets.SaveSheet(c.UserContext(), actor(c), id, base, content, false)
	}
	if err != nil {
		return a.sheetRefused(c, id, v, values, base, content.Vetoes, err)
	}
	if c.FormValue("op") != "review" {
		a.flash(c, "workspace.draft_saved")
		return c.Redirect(sheetURL(id), fiber.StatusSeeOther)
	}
	if problems := submitProblems(v.Rubric.Content, finance, content); problems != nil {
		if v, err = a.sheets.Sheet(c.UserContext(), actor(c), id); err != nil {
			return err
		}
		d := a.sheetPageData(c, v, nil)
		d.Fields, d.Error, _ = a.formProblems(c, sheetFormError(problems, content.Vetoes))
		d.Incomplete = true
		c.Status(fiber.StatusBadRequest)
		return a.showSheet(c, d)
	}
	return c.Redirect(sheetURL(id)+"/review", fiber.StatusSeeOther)
}

// sheetRefused shows the sheet page again after a refused save: the
// values as typed with the problems beside the fields, or, for a save
// based on an older version, the version stored since (the form then
// carries its version: saving again replaces it, knowingly).
func (a *App) sheetRefused(c *fiber.Ctx, id int64, v *evaluation.SheetView, values sheetValues, base int,
	vetoes []rubrics.VetoFlag, err error) error {
	var stale *evaluation.StaleSheetError
	isStale := errors.As(err, &stale)
	fields, msg, ok := a.formProblems(c, sheetFormError(err, vetoes))
	if !ok {
		return err
	}
	if evaluation.ErrorCode(err) == evaluation.Conflict && !isStale {
		// The sheet cannot be saved any more (submitted elsewhere, the
		// deadline passed): the page as it is now.
		if v, err = a.sheets.Sheet(c.UserContext(), actor(c), id); err != nil {
			return err
		}
		c.Status(fiber.StatusConflict)
		d := a.sheetPageData(c, v, nil)
		d.Error = msg
		return a.showSheet(c, d)
	}
	c.Status(statusOf[evaluation.ErrorCode(err)])
	d := a.sheetPageData(c, v, &values)
	d.Version, d.Error, d.Fields = base, msg, fields
	delete(d.Fields, "version")
	if isStale {
		d.Version, d.StaleSheet = stale.Current.Version, stale.Current
		d.Stale = summarize(langOf(c), a.tr, v.Rubric.Content, stale.Current.Content, d.Finance)
		d.Error = a.T(c, "workspace.stale")
	}
	return a.showSheet(c, d)
}

// submitProblems checks a sheet as a submission will, to show the summary
// only of a sheet that can be submitted; the submission checks again.
func submitProblems(rb *rubrics.Rubric, finance bool, c evaluation.SheetContent) error {
	_, ps := rb.Check(&c.Sheet)
	err := evaluation.ProblemsError(ps)
	if finance && c.FinancePass == nil {
		f := evaluation.FieldErrors{}
		var args map[string]map[string]any
		if e := evaluation.ErrorAs(err); e != nil {
			f, args = e.Fields, e.Args
		}
		f.Add("finance_pass", "error.finance_pass_required")
		err = f.ErrWithArgs(args)
	}
	return err
}

// draftAnswer is the autosave's answer: the version saved and when.
type draftAnswer struct {
	Version int    `json:"version"`
	SavedAt string `json:"saved_at"`
}

// draftRefusal is a refused autosave: the problems by the form's field
// names and, for a save based on an older version, the version stored.
type draftRefusal struct {
	Error   apiErrorBody `json:"error"`
	Current *draftStored `json:"current,omitempty"`
}

// draftStored is the version stored elsewhere, as the page shows it.
type draftStored struct {
	Version int      `json:"version"`
	SavedAt string   `json:"saved_at"`
	Status  string   `json:"status"`
	Total   string   `json:"total"`
	Lines   []string `json:"lines"`
	Opinion string   `json:"opinion"`
}

// sheetDraft is the page's autosave: the form's fields, posted with the
// session and the CSRF token, saved as a draft; it answers in JSON.
func (a *App) sheetDraft(c *fiber.Ctx) error {
	id, v, err := a.loadSheet(c)
	switch {
	case errors.Is(err, errNotOpen):
		return a.draftRefused(c, nil, nil, evaluation.Errorf(evaluation.Conflict, "error.declare_first"))
	case err != nil:
		return a.draftRefused(c, nil, nil, err)
	case !v.Editable:
		return c.Status(fiber.StatusConflict).JSON(draftRefusal{Error: apiErrorBody{Code: evaluation.Conflict, Message: a.lockedText(c, v)}})
	}
	base, content, _, err := readSheetForm(c, v.Rubric.Content, v.Assignment.Seat == evaluation.SeatFinance)
	var sh *evaluation.Sheet
	if err == nil {
		sh, err = a.sheets.SaveSheet(c.UserContext(), actor(c), id, base, content, false)
	}
	if err != nil {
		return a.draftRefused(c, v, content.Vetoes, err)
	}
	return c.JSON(draftAnswer{Version: sh.Version, SavedAt: clock(sh.UpdatedAt, a.cfg.Now())})
}

func (a *App) draftRefused(c *fiber.Ctx, v *evaluation.SheetView, vetoes []rubrics.VetoFlag, err error) error {
	e := evaluation.ErrorAs(sheetFormError(err, vetoes))
	if e == nil || e.Code == evaluation.Internal {
		return err
	}
	lang := langOf(c)
	body := draftRefusal{Error: apiErrorBody{Code: e.Code, Message: a.message(lang, e), Fields: a.fieldMessages(lang, e)}}
	var stale *evaluation.StaleSheetError
	if errors.As(err, &stale) && v != nil {
		cur := stale.Current
		s := summarize(lang, a.tr, v.Rubric.Content, cur.Content, v.Assignment.Seat == evaluation.SeatFinance)
		st := &draftStored{Version: cur.Version, Status: a.T(c, "sheet_status."+string(cur.Status)), Opinion: cur.Content.Opinion,
			Total: a.T(c, "workspace.total_of", "Total", s.Total.String(), "Max", s.Max.String())}
		if cur.Version > 0 {
			st.SavedAt = clock(cur.UpdatedAt, a.cfg.Now())
		}
		for _, r := range s.Rows {
			score := r.Score
			if score == "" {
				score = "—"
			}
			st.Lines = append(st.Lines, fmt.Sprintf("%s %s: %s / %s", r.Code, r.Name, score, r.Max))
		}
		body.Current = st
		body.Error.Message = a.T(c, "workspace.stale")
	}
	return c.Status(statusOf[e.Code]).JSON(body)
}

// reviewData is the summary shown before submitting.
type reviewData struct {
	View    *evaluation.SheetView
	Summary *sheetSummary
	Finance bool
}

// sheetReviewPage shows the stored draft as it would be submitted, with
// the button that submits exactly that version.
func (a *App) sheetReviewPage(c *fiber.Ctx) error {
	id, v, err := a.loadSheet(c)
	if errors.Is(err, errNotOpen) {
		return c.Redirect(workspaceURL(id))
	}
	if err != nil {
		return err
	}
	if !v.Editable {
		return c.Redirect(sheetURL(id))
	}
	finance := v.Assignment.Seat == evaluation.SeatFinance
	if err := submitProblems(v.Rubric.Content, finance, v.Sheet.Content); err != nil {
		d := a.sheetPageData(c, v, nil)
		d.Fields, d.Error, _ = a.formProblems(c, sheetFormError(err, v.Sheet.Content.Vetoes))
		d.Incomplete = true
		return a.showSheet(c, d)
	}
	d := reviewData{View: v, Finance: finance, Summary: summarize(langOf(c), a.tr, v.Rubric.Content, v.Sheet.Content, finance)}
	return a.render(c, "workspace_review", a.T(c, "workspace.review_title")+" · "+v.Assignment.Project.Code, d)
}

// sheetSubmit submits the stored draft of the version the summary showed;
// a sheet changed since goes back to the summary.
func (a *App) sheetSubmit(c *fiber.Ctx) error {
	id, v, err := a.editableSheet(c)
	if v == nil {
		return err
	}
	base, err := parseVersion(c.FormValue("version"))
	if err == nil {
		_, err = a.sheets.SaveSheet(c.UserContext(), actor(c), id, base, v.Sheet.Content, true)
	}
	var stale *evaluation.StaleSheetError
	switch {
	case errors.As(err, &stale):
		a.flash(c, "workspace.review_changed")
		return c.Redirect(sheetURL(id)+"/review", fiber.StatusSeeOther)
	case err != nil:
		return a.sheetRefused(c, id, v, valuesOf(v.Sheet.Content), v.Sheet.Version, v.Sheet.Content.Vetoes, err)
	}
	a.flash(c, "workspace.submitted")
	if _, err := a.sheets.Project(c.UserContext(), actor(c), id); evaluation.ErrorCode(err) == evaluation.NotFound {
		// An appeal's re-evaluation, done: the project leaves the
		// workspace of a published campaign.
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return c.Redirect(sheetURL(id), fiber.StatusSeeOther)
}

func parseVersion(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, evaluation.FieldErrors{"version": "error.required_field"}.Err()
	}
	return n, nil
}

// panelSheetsData is the chair's view of the panel's submitted sheets.
type panelSheetsData struct {
	Assignment evaluation.Assignment
	Members    []memberSheet
}

type memberSheet struct {
	evaluation.MemberSheet
	Summary *sheetSummary
	Rubric  string
}

// panelSheetsPage shows the chair the submitted sheets of the project's
// panel, one per member, once their own is submitted; others are refused.
func (a *App) panelSheetsPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx, act, lang := c.UserContext(), actor(c), langOf(c)
	list, err := a.sheets.ChairSheets(ctx, act, id)
	if err != nil {
		return err
	}
	ep, err := a.sheets.Project(ctx, act, id)
	if err != nil {
		return err
	}
	d := panelSheetsData{Assignment: ep.Assignment}
	rubricsByKey := map[string]*evaluation.Rubric{}
	for _, ms := range list {
		key := fmt.Sprintf("%s/%d", ms.Sheet.RubricCode, ms.Sheet.RubricVersion)
		rb, ok := rubricsByKey[key]
		if !ok {
			if rb, err = a.rubrics.Rubric(ctx, act, ms.Sheet.RubricCode, ms.Sheet.RubricVersion); err != nil {
				return err
			}
			rubricsByKey[key] = rb
		}
		d.Members = append(d.Members, memberSheet{MemberSheet: ms, Rubric: rb.Content.Name.In(string(lang)),
			Summary: summarize(lang, a.tr, rb.Content, ms.Sheet.Content, ms.Sheet.Seat == evaluation.SeatFinance)})
	}
	return a.render(c, "workspace_panel", a.T(c, "workspace.panel_title")+" · "+ep.Assignment.Project.Code, d)
}

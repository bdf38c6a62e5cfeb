package web

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/evalpanel/evalpanel/web/charts"
	"github.com/gofiber/fiber/v2"
)

// resultPages: the campaign's results (评审结果) for the agency, the
// commission and administrators; their API is in api_results.go.
func (a *App) resultPages() {
	read, write := rbac.Read("conclusion"), rbac.Write("conclusion")
	a.route(get, "/campaigns/:id/results", read, a.resultsPage)
	a.route(get, "/projects/:id/result", read, a.projectResultPage)
	a.route(get, "/projects/:id/opinion/print", read, a.opinionPrintPage)
	a.route(get, "/campaigns/:id/report", read, a.reportPage)
	a.route(post, "/projects/:id/result/conclusion", write, a.projectConclusionForm)
	a.route(post, "/projects/:id/result/rectification", write, a.projectRectificationForm)
	a.route(post, "/projects/:id/result/veto", rbac.Write("veto"), a.projectVetoForm)
}

// resultsPageSize is the number of projects a page of results shows.
const resultsPageSize = 50

// resultsFilter is what the results table shows: filters, sort, page and
// tab, all from the query string.
type resultsFilter struct {
	Class    evaluation.ProjectClass
	Grade    rubrics.Grade
	Proposal aggregate.Conclusion
	Flag     string // divergent or veto
	// Conclusion is the conclusion in force, or "none" for the projects
	// without one.
	Conclusion string
	Sort       string // code, -code, score, -score
	Tab        string // official or advisory
	Page       evaluation.Page
}

// resultFlags are the flags a result can be filtered by.
var resultFlags = []string{"divergent", "veto", "revising"}

// conclusionFilters are the values of the conclusion filter: each
// conclusion the agency records, and none recorded yet.
var conclusionFilters = []string{string(evaluation.ConclusionPass), string(evaluation.ConclusionFail),
	string(evaluation.ConclusionClosed), string(evaluation.ConclusionPassAfterRectification), "none"}

// resultSorts are the orders of the table.
var resultSorts = []string{"code", "-code", "score", "-score"}

func parseResultsFilter(c *fiber.Ctx) (resultsFilter, error) {
	bad := evaluation.FieldErrors{}
	f := resultsSelection(c, bad)
	f.Page, f.Sort, f.Tab = pageParams(c, bad), c.Query("sort", "code"), c.Query("tab", "official")
	if !slices.Contains(resultSorts, f.Sort) {
		bad.Add("sort", "error.results_sort")
	}
	if f.Tab != "official" && f.Tab != "advisory" {
		bad.Add("tab", "error.results_tab")
	}
	if f.Page.Size == 0 {
		f.Page.Size = resultsPageSize
	}
	if len(bad) > 0 {
		return f, bad.Err()
	}
	return f, nil
}

// resultsSelection reads the filters of the results, the page's and the
// API's, adding their problems to bad.
func resultsSelection(c *fiber.Ctx, bad evaluation.FieldErrors) resultsFilter {
	f := resultsFilter{Class: evaluation.ProjectClass(c.Query("class")), Grade: rubrics.Grade(c.Query("grade")),
		Proposal: aggregate.Conclusion(c.Query("proposal")), Flag: c.Query("flag"), Conclusion: c.Query("conclusion")}
	if f.Class != "" && !slices.Contains(evaluation.ProjectClasses, f.Class) {
		bad.Add("class", "error.class_invalid")
	}
	if f.Grade != "" && !slices.Contains([]rubrics.Grade{rubrics.Excellent, rubrics.Good, rubrics.Pass, rubrics.Fail}, f.Grade) {
		bad.Add("grade", "error.results_grade_filter")
	}
	if f.Proposal != "" && !slices.Contains([]aggregate.Conclusion{aggregate.Pass, aggregate.Fail, aggregate.None}, f.Proposal) {
		bad.Add("proposal", "error.results_proposal_filter")
	}
	if f.Flag != "" && !slices.Contains(resultFlags, f.Flag) {
		bad.Add("flag", "error.results_flag_filter")
	}
	if f.Conclusion != "" && !slices.Contains(conclusionFilters, f.Conclusion) {
		bad.Add("conclusion", "error.results_conclusion_filter")
	}
	return f
}

// keep reports whether a result, with the conclusion in force (nil when
// none) and whether its panel is revising sheets, passes the filter.
func (f resultsFilter) keep(p evaluation.ProjectBrief, r *aggregate.Result, concluded *evaluation.ConclusionRecord, revising bool) bool {
	switch {
	case f.Conclusion == "none" && concluded != nil:
		return false
	case f.Conclusion != "" && f.Conclusion != "none" && (concluded == nil || string(concluded.Conclusion) != f.Conclusion):
		return false
	case f.Class != "" && p.Class != f.Class:
		return false
	case f.Grade != "" && (r.Technical.Score == nil || r.Technical.Grade != f.Grade):
		return false
	case f.Proposal != "" && r.Proposal != f.Proposal:
		return false
	case f.Flag == "divergent" && !r.Divergence.Divergent:
		return false
	case f.Flag == "veto" && !vetoHeld(r):
		return false
	case f.Flag == "revising" && !revising:
		return false
	}
	return true
}

func vetoHeld(r *aggregate.Result) bool {
	return slices.ContainsFunc(r.Vetoes, func(v aggregate.VetoResult) bool { return v.Held })
}

// resultRow is one project of the results table.
type resultRow struct {
	Project evaluation.ProjectBrief
	Result  *aggregate.Result
	Advice  *aggregate.ProjectAdvice
	// Reasons are the proposal's reasons worded in the user's language.
	Reasons []string
	// Conclusion is the conclusion recorded last, nil when none.
	Conclusion *evaluation.ConclusionRecord
	VetoHeld   bool
	// Revising: the panel is revising sheets the agency reopened.
	Revising bool
}

// classReliability is a class's ICC with the number of its projects.
type classReliability struct {
	Class evaluation.ProjectClass
	aggregate.ICC
}

// resultsData is the campaign's results page.
type resultsData struct {
	Campaign *evaluation.Campaign
	Filter   resultsFilter
	Pager    *pager
	Rows     []resultRow
	// Projects and Sheets count the campaign's projects and those with at
	// least one submitted sheet: without either the page says what to do.
	Projects, Scored int
	Reliability      []classReliability
	Classes          []evaluation.ProjectClass
	Grades           []rubrics.Grade
	Proposals        []aggregate.Conclusion
	Flags            []string
	Conclusions      []string
	// Progress: the campaign has a progress monitor (scoring or later).
	Progress bool
	Review   *reviewBanner
	// Charts draw the results the filters keep, all pages together.
	Charts []charts.Chart
}

// TabURL is the page on a tab, keeping the filters and sort.
func (d *resultsData) TabURL(tab string) string {
	q := cloneValues(d.Pager.query)
	q.Del("page")
	q.Set("tab", tab)
	return "?" + q.Encode()
}

// Filtered reports whether a filter is set.
func (d *resultsData) Filtered() bool {
	f := d.Filter
	return f.Class != "" || f.Grade != "" || f.Proposal != "" || f.Flag != "" || f.Conclusion != ""
}

// Percent formats a percentile with one decimal.
func (d *resultsData) Percent(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 1, 64)
}

// Fixed formats a figure with two decimals.
func (d *resultsData) Fixed(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func (a *App) resultsPage(c *fiber.Ctx) error {
	d, err := a.resultsView(c)
	if err != nil {
		return err
	}
	return a.renderResults(c, d)
}

func (a *App) renderResults(c *fiber.Ctx, d *resultsData) error {
	return a.render(c, "results", a.T(c, "results.title")+" · "+d.Campaign.Name, d)
}

// resultsView reads the campaign's results page: the filtered, sorted
// page of results and the commission's review.
func (a *App) resultsView(c *fiber.Ctx) (*resultsData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	f, err := parseResultsFilter(c)
	if err != nil {
		return nil, err
	}
	ctx, act := c.UserContext(), actor(c)
	res, err := a.results.CampaignResults(ctx, act, id)
	if err != nil {
		return nil, err
	}
	camp := res.Campaign
	names := rubricNames(res.Rubrics)
	d := &resultsData{Campaign: camp, Filter: f, Projects: len(res.Projects), Classes: evaluation.ProjectClasses,
		Grades:    []rubrics.Grade{rubrics.Excellent, rubrics.Good, rubrics.Pass, rubrics.Fail},
		Proposals: []aggregate.Conclusion{aggregate.Pass, aggregate.Fail, aggregate.None}, Flags: resultFlags,
		Conclusions: conclusionFilters,
		Progress:    camp.State != evaluation.CampaignDraft && camp.State != evaluation.CampaignForming}
	var rows []resultRow
	for i, p := range res.Projects {
		r := &res.Report.Results[i]
		if r.Technical.Sheets+r.Finance.Sheets > 0 {
			d.Scored++
		}
		if !f.keep(p, r, res.Concluded[i], res.Revising[i]) {
			continue
		}
		row := resultRow{Project: p, Result: r, VetoHeld: vetoHeld(r), Conclusion: res.Concluded[i], Revising: res.Revising[i]}
		if i < len(res.Report.Advisory.Projects) {
			row.Advice = &res.Report.Advisory.Projects[i]
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(x, y resultRow) int {
		switch strings.TrimPrefix(f.Sort, "-") {
		case "score":
			// Projects without a score come last either way.
			sx, sy := x.Result.Technical.Score, y.Result.Technical.Score
			if sx == nil || sy == nil {
				return cmp.Compare(boolInt(sx == nil), boolInt(sy == nil))
			}
			if f.Sort == "-score" {
				return cmp.Or(cmp.Compare(*sy, *sx), cmp.Compare(x.Project.Code, y.Project.Code))
			}
			return cmp.Or(cmp.Compare(*sx, *sy), cmp.Compare(x.Project.Code, y.Project.Code))
		default:
			if f.Sort == "-code" {
				return cmp.Compare(y.Project.Code, x.Project.Code)
			}
			return cmp.Compare(x.Project.Code, y.Project.Code)
		}
	})
	if f.Tab == "advisory" {
		names, err := a.expertNames(c, camp.ID)
		if err != nil {
			return nil, err
		}
		d.Charts = []charts.Chart{a.leniencyChart(c, &res.Report.Advisory.Leniency, names)}
	} else {
		tl, err := a.sheets.Timeline(ctx, act, camp.ID)
		if err != nil {
			return nil, err
		}
		d.Charts = append(a.resultCharts(c, rows), a.progressChart(c, tl))
	}
	d.Pager = newPager(c, f.Page, len(rows), f.Sort)
	pg := f.Page.Normalize()
	from, to := min(pg.Offset(), len(rows)), min(pg.Offset()+pg.Size, len(rows))
	d.Rows = rows[from:to]
	for i := range d.Rows {
		row := &d.Rows[i]
		row.Reasons = a.reasonTexts(c, names, row.Result)
	}
	for _, rel := range res.Report.Advisory.Reliability {
		d.Reliability = append(d.Reliability, classReliability{Class: evaluation.ProjectClass(rel.Class), ICC: rel.ICC})
	}
	if d.Review, err = a.reviewBannerOf(c, camp); err != nil {
		return nil, err
	}
	return d, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rubricNames are the rubrics a campaign's results were computed against,
// by class and "finance", to name indicators and veto items.
type rubricNames map[string]*rubrics.Rubric

// indicator names an indicator of a class's rubric (its code when the
// rubric does not list it).
func (n rubricNames) indicator(lang evaluation.Language, key, code string) string {
	if r := n[key]; r != nil {
		if in, ok := r.Indicator(code); ok {
			return in.Name.In(string(lang))
		}
	}
	return code
}

// veto names a veto item of a class's rubric or the finance rubric.
func (n rubricNames) veto(lang evaluation.Language, key, code string) string {
	if r := n[key]; r != nil {
		if v, ok := r.Veto(code); ok {
			return v.Text.In(string(lang))
		}
	}
	return code
}

// reasonTexts words a result's reasons ("aggregate.reason.<code>" with
// their arguments) in the user's language.
func (a *App) reasonTexts(c *fiber.Ctx, names rubricNames, r *aggregate.Result) []string {
	lang := langOf(c)
	var out []string
	for _, rs := range r.Reasons {
		args := []any{"Count", rs.Count, "Of", rs.Of}
		if rs.Value != nil {
			args = append(args, "Value", rs.Value.String())
		}
		if rs.Limit != nil {
			args = append(args, "Limit", rs.Limit.String())
		}
		key := r.Class
		if rs.Track == aggregate.TrackFinance {
			key = "finance"
		}
		if rs.Indicator != "" {
			args = append(args, "Indicator", names.indicator(lang, key, rs.Indicator))
		}
		if rs.Veto != "" {
			args = append(args, "Veto", names.veto(lang, key, rs.Veto))
		}
		text := a.T(c, "aggregate.reason."+string(rs.Code), args...)
		if rs.Code == aggregate.VetoHeld && rs.Confirmed {
			text += " " + a.T(c, "aggregate.reason.veto_confirmed")
		}
		out = append(out, text)
	}
	return out
}

// projectResultData is a project's result page: the official figures with
// their reasons, every sheet's total with its expert's name, the panel's
// opinion and the conclusions, and the forms of the agency's staff.
type projectResultData struct {
	Campaign      *evaluation.Campaign
	Project       evaluation.ProjectBrief
	Result        *aggregate.Result
	Advice        *aggregate.ProjectAdvice
	Reasons       []string
	Technical     []sheetLine
	Finance       []sheetLine
	Indicators    []indicatorLine
	Vetoes        []vetoLine
	Opinion       *evaluation.Opinion
	Chair         string // the name of the expert who drafted the opinion
	Responses     []responseLine
	Conclusions   []*evaluation.ConclusionRecord
	Rectification *evaluation.Rectification
	Revisions     revisionSection
	Review        projectReview
	Appeals       projectAppeals
	// Methods are the project's method records (on-site inspection, test,
	// demonstration), which the panel weighed.
	Methods []*evaluation.MethodRecord
	Radar   *charts.Chart
	// CanConclude: agency staff while the campaign is concluding.
	CanConclude bool
	// CanConfirmVeto: agency staff while the campaign scores or
	// concludes, before a conclusion is recorded.
	CanConfirmVeto bool
	Choices        []evaluation.Conclusion
	// Form is the conclusion, rectification or veto form refused, with its
	// values and problems.
	Form resultForm
}

// resultForm is a submitted conclusion, rectification or veto form.
type resultForm struct {
	Kind       string // conclusion, rectification or veto
	Conclusion evaluation.Conclusion
	Reason     string
	Due        string
	// Track and Code name the veto item of a veto form; Code is an
	// appeal's ground.
	Track     aggregate.Track
	Code      string
	Appellant string
	// AppealID is the appeal a commission's form acts on.
	AppealID int64
	Error    string
	Fields   map[string]string
	// Lost is the refusal's messages when the page no longer offers the
	// form (renderRefusedForm), shown at the top of the page.
	Lost []string
}

// formID is the id of the form element of the form's kind on its page.
func (f resultForm) formID() string {
	switch f.Kind {
	case "veto":
		return fmt.Sprintf("veto-form-%s-%s", f.Track, f.Code)
	case "return":
		return "mark-form"
	case "appeal_reject", "appeal_reevaluate", "appeal_resolve":
		return fmt.Sprintf("%s-form-%d", strings.TrimPrefix(f.Kind, "appeal_"), f.AppealID)
	}
	return f.Kind + "-form"
}

// IsVeto reports whether the form is the veto form of the item.
func (f resultForm) IsVeto(v vetoLine) bool {
	return f.Kind == "veto" && f.Track == v.Track && f.Code == v.Code
}

type sheetLine struct {
	Name    string
	Total   string
	Dropped bool
}

type indicatorLine struct {
	Name, Mean, Threshold string
	Met                   *bool
}

type vetoLine struct {
	Name                      string
	Code                      string
	Flags, Sheets             int
	Held, Majority, Confirmed bool
	Track                     aggregate.Track
	// Confirmation is the staff's confirmation, nil when none.
	Confirmation *evaluation.VetoConfirmation
}

type responseLine struct {
	Name   string
	Agree  bool
	Reason string
	At     time.Time
}

// Latest is the conclusion recorded last, or nil.
func (d *projectResultData) Latest() *evaluation.ConclusionRecord {
	if len(d.Conclusions) == 0 {
		return nil
	}
	return d.Conclusions[len(d.Conclusions)-1]
}

// CanRectify: the latest conclusion is a fail and no rectification was
// granted.
func (d *projectResultData) CanRectify() bool {
	l := d.Latest()
	return d.CanConclude && l != nil && l.Conclusion == evaluation.ConclusionFail && d.Rectification == nil
}

func (a *App) projectResultView(c *fiber.Ctx) (*projectResultData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, act := c.UserContext(), actor(c)
	if act.Role == evaluation.RoleExpert {
		return nil, evaluation.ErrNotFound
	}
	p, err := a.campaigns.Project(ctx, act, id)
	if err != nil {
		return nil, err
	}
	res, err := a.results.CampaignResults(ctx, act, p.CampaignID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(res.Projects, func(b evaluation.ProjectBrief) bool { return b.ID == id })
	if i < 0 {
		return nil, evaluation.ErrNotFound
	}
	camp := res.Campaign
	d := &projectResultData{Campaign: camp, Project: res.Projects[i], Result: &res.Report.Results[i],
		CanConclude: evaluation.CanManageCampaign(act, camp) && camp.State == evaluation.CampaignConcluding,
		Choices: []evaluation.Conclusion{evaluation.ConclusionPass, evaluation.ConclusionFail, evaluation.ConclusionClosed,
			evaluation.ConclusionPassAfterRectification}}
	if i < len(res.Report.Advisory.Projects) {
		d.Advice = &res.Report.Advisory.Projects[i]
	}
	d.Radar = a.projectRadar(c, res, i)
	names := rubricNames(res.Rubrics)
	lang := langOf(c)
	d.Reasons = a.reasonTexts(c, names, d.Result)
	experts, err := a.expertNames(c, camp.ID)
	if err != nil {
		return nil, err
	}
	r := d.Result
	for _, t := range r.Technical.Totals {
		d.Technical = append(d.Technical, sheetLine{Name: experts[t.Expert], Total: t.Total.String(),
			Dropped: slices.Contains(r.Technical.Dropped, t.Expert)})
	}
	for _, t := range r.Finance.Totals {
		d.Finance = append(d.Finance, sheetLine{Name: experts[t.Expert], Total: t.Total.String()})
	}
	for _, im := range r.Technical.Indicators {
		line := indicatorLine{Name: names.indicator(lang, r.Class, im.Code), Mean: im.Mean.String(), Met: im.Met}
		if im.Threshold != nil {
			line.Threshold = im.Threshold.String()
		}
		d.Indicators = append(d.Indicators, line)
	}
	for _, v := range r.Vetoes {
		key := r.Class
		if v.Track == aggregate.TrackFinance {
			key = "finance"
		}
		line := vetoLine{Name: names.veto(lang, key, v.Veto), Code: v.Veto, Flags: v.Flags, Sheets: v.Sheets,
			Held: v.Held, Majority: v.Majority, Confirmed: v.Confirmed, Track: v.Track}
		for _, k := range res.Confirmations {
			if k.ProjectID == id && k.Track == v.Track && k.Code == v.Veto {
				line.Confirmation = k
			}
		}
		d.Vetoes = append(d.Vetoes, line)
	}
	o, err := a.results.Opinion(ctx, act, id)
	switch {
	case evaluation.ErrorCode(err) == evaluation.NotFound:
	case err != nil:
		return nil, err
	default:
		d.Opinion, d.Chair = o, experts[o.ChairID]
		for _, resp := range o.Responses {
			d.Responses = append(d.Responses, responseLine{Name: experts[resp.ExpertID], Agree: resp.Agree, Reason: resp.Reason, At: resp.RespondedAt})
		}
	}
	if d.Conclusions, d.Rectification, err = a.results.Conclusions(ctx, act, id); err != nil {
		return nil, err
	}
	if err := a.revisionView(c, d, experts); err != nil {
		return nil, err
	}
	if err := a.projectReviewView(c, d); err != nil {
		return nil, err
	}
	if err := a.projectAppealsView(c, d); err != nil {
		return nil, err
	}
	if d.Methods, err = a.materials.MethodRecords(ctx, act, id); err != nil {
		return nil, err
	}
	d.CanConfirmVeto = evaluation.CanManageCampaign(act, camp) && evaluation.VetoesOpen(camp) && len(d.Conclusions) == 0
	return d, nil
}

// opinionPrintPage is the panel's opinion as a document to print (A4):
// the project, its official figures, the opinion with each member's
// answer and a place to sign, and the conclusion recorded.
func (a *App) opinionPrintPage(c *fiber.Ctx) error {
	d, err := a.projectResultView(c)
	if err != nil {
		return err
	}
	return a.render(c, "opinion_print", a.T(c, "print.opinion_title")+" · "+d.Project.Code, d)
}

func (a *App) renderProjectResult(c *fiber.Ctx, d *projectResultData) error {
	return a.render(c, "project_result", a.T(c, "results.project_title")+" · "+d.Project.Code, d)
}

func (a *App) projectResultPage(c *fiber.Ctx) error {
	d, err := a.projectResultView(c)
	if err != nil {
		return err
	}
	return a.renderProjectResult(c, d)
}

type conclusionForm struct {
	Conclusion evaluation.Conclusion `json:"conclusion" form:"conclusion" validate:"required"`
	Reason     string                `json:"reason" form:"reason" validate:"max=2000"`
}

type rectificationForm struct {
	Due    string `json:"due" form:"due" validate:"max=10"`
	Reason string `json:"reason" form:"reason" validate:"required,max=2000"`
}

// resultAction runs a form of a project's result page. do acts on the
// project; refused for its input or the state, the page shows again with
// the form as typed and its problems beside its fields (a problem with a
// hidden field is the form's); done, flash says so, given the project's
// code, at the page's section. The page's figures are computed only when
// the page is shown again: an action does not wait for the campaign's
// results.
func (a *App) resultAction(c *fiber.Ctx, form resultForm, section string, do func(projectID int64) error,
	flash func(code string) string, hidden ...string) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	err = do(id)
	if e := evaluation.ErrorAs(err); e != nil && (e.Code == evaluation.Invalid || e.Code == evaluation.Conflict) {
		d, verr := a.projectResultView(c)
		if verr != nil {
			return verr
		}
		c.Status(statusOf[e.Code])
		d.Form = form
		fields, msg, _ := a.formProblems(c, err)
		d.Form.Fields = fields
		if len(fields) == 0 {
			d.Form.Error = msg
		}
		for _, h := range hidden {
			d.Form.Error = cmp.Or(fields[h], d.Form.Error)
		}
		return a.renderRefusedForm(c, "project_result", a.T(c, "results.project_title")+" · "+d.Project.Code, d,
			d.Form.formID(), &d.Form.Lost, refusalLines(msg, fields))
	}
	if err != nil {
		return err
	}
	p, err := a.campaigns.Project(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	a.flash(c, flash(p.Code))
	return c.Redirect(fmt.Sprintf("/projects/%d/result#%s", id, section), fiber.StatusSeeOther)
}

func (a *App) projectConclusionForm(c *fiber.Ctx) error {
	var f conclusionForm
	form := resultForm{Kind: "conclusion", Conclusion: evaluation.Conclusion(c.FormValue("conclusion")), Reason: c.FormValue("reason")}
	return a.resultAction(c, form, "conclusions", func(id int64) error {
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.results.RecordConclusion(c.UserContext(), actor(c), id, f.Conclusion, f.Reason)
		return err
	}, func(code string) string {
		return a.T(c, "results.concluded_flash", "Code", code, "Conclusion", a.T(c, "conclusion."+string(f.Conclusion)))
	})
}

func (a *App) projectRectificationForm(c *fiber.Ctx) error {
	form := resultForm{Kind: "rectification", Due: c.FormValue("due"), Reason: c.FormValue("reason")}
	return a.resultAction(c, form, "conclusions", func(id int64) error {
		var f rectificationForm
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.results.StartRectification(c.UserContext(), actor(c), id, f.Due, f.Reason)
		return err
	}, func(code string) string { return a.T(c, "results.rectified_flash", "Code", code) })
}

// projectVetoForm confirms a veto item flagged on the project's sheets,
// with the staff's reason.
func (a *App) projectVetoForm(c *fiber.Ctx) error {
	form := resultForm{Kind: "veto", Track: aggregate.Track(c.FormValue("track")), Code: c.FormValue("code"), Reason: c.FormValue("reason")}
	return a.resultAction(c, form, "vetoes", func(id int64) error {
		var f vetoRequest
		if err := a.parseForm(c, &f); err != nil {
			return err
		}
		_, err := a.results.ConfirmVeto(c.UserContext(), actor(c), id, aggregate.Track(f.Track), f.Code, f.Reason)
		return err
	}, func(code string) string { return a.T(c, "results.veto_confirmed_flash", "Code", code) }, "code", "track")
}

// Percent formats a percentile with one decimal.
func (d *projectResultData) Percent(v *float64) string { return (*resultsData)(nil).Percent(v) }

// expertNames names the experts of a campaign's panels, for the readers
// of its results (the agency, the commission, administrators).
func (a *App) expertNames(c *fiber.Ctx, campaignID int64) (map[int64]string, error) {
	panels, err := a.panels.Panels(c.UserContext(), actor(c), campaignID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, pn := range panels {
		for _, m := range pn.Members {
			if m.Expert != nil {
				names[m.ExpertID] = m.Expert.Name
			}
		}
	}
	return names, nil
}

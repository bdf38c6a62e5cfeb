package web

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

// resultPages: the campaign's results (评审结果) for the agency, the
// commission and administrators; their API is in api_results.go.
func (a *App) resultPages() {
	a.route(get, "/campaigns/:id/results", rbac.Read("conclusion"), a.resultsPage)
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
	Sort     string // code, -code, score, -score
	Tab      string // official or advisory
	Page     evaluation.Page
}

// resultFlags are the flags a result can be filtered by.
var resultFlags = []string{"divergent", "veto"}

// resultSorts are the orders of the table.
var resultSorts = []string{"code", "-code", "score", "-score"}

func parseResultsFilter(c *fiber.Ctx) (resultsFilter, error) {
	bad := evaluation.FieldErrors{}
	f := resultsFilter{Page: pageParams(c, bad), Class: evaluation.ProjectClass(c.Query("class")),
		Grade: rubrics.Grade(c.Query("grade")), Proposal: aggregate.Conclusion(c.Query("proposal")),
		Flag: c.Query("flag"), Sort: c.Query("sort", "code"), Tab: c.Query("tab", "official")}
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

// keep reports whether a result passes the filter.
func (f resultsFilter) keep(p evaluation.ProjectBrief, r *aggregate.Result) bool {
	switch {
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
	// Progress: the campaign has a progress monitor (scoring or later).
	Progress bool
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
	return f.Class != "" || f.Grade != "" || f.Proposal != "" || f.Flag != ""
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
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := parseResultsFilter(c)
	if err != nil {
		return err
	}
	ctx, act := c.UserContext(), actor(c)
	res, err := a.results.CampaignResults(ctx, act, id)
	if err != nil {
		return err
	}
	camp := res.Campaign
	names, err := a.rubricNames(c, camp)
	if err != nil {
		return err
	}
	d := &resultsData{Campaign: camp, Filter: f, Projects: len(res.Projects), Classes: evaluation.ProjectClasses,
		Grades:    []rubrics.Grade{rubrics.Excellent, rubrics.Good, rubrics.Pass, rubrics.Fail},
		Proposals: []aggregate.Conclusion{aggregate.Pass, aggregate.Fail, aggregate.None}, Flags: resultFlags,
		Progress: camp.State != evaluation.CampaignDraft && camp.State != evaluation.CampaignForming}
	var rows []resultRow
	for i, p := range res.Projects {
		r := &res.Report.Results[i]
		if r.Technical.Sheets+r.Finance.Sheets > 0 {
			d.Scored++
		}
		if !f.keep(p, r) {
			continue
		}
		row := resultRow{Project: p, Result: r, VetoHeld: vetoHeld(r)}
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
	d.Pager = newPager(c, f.Page, len(rows), f.Sort)
	pg := f.Page.Normalize()
	from, to := min(pg.Offset(), len(rows)), min(pg.Offset()+pg.Size, len(rows))
	d.Rows = rows[from:to]
	for i := range d.Rows {
		row := &d.Rows[i]
		row.Reasons = a.reasonTexts(c, names, row.Result)
		list, _, err := a.results.Conclusions(ctx, act, row.Project.ID)
		if err != nil {
			return err
		}
		if len(list) > 0 {
			row.Conclusion = list[len(list)-1]
		}
	}
	for _, rel := range res.Report.Advisory.Reliability {
		d.Reliability = append(d.Reliability, classReliability{Class: evaluation.ProjectClass(rel.Class), ICC: rel.ICC})
	}
	return a.render(c, "results", a.T(c, "results.title")+" · "+camp.Name, d)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rubricNames are the rubrics a campaign pins, by class and "finance", to
// name indicators and veto items.
type rubricNames map[string]*rubrics.Rubric

func (a *App) rubricNames(c *fiber.Ctx, camp *evaluation.Campaign) (rubricNames, error) {
	out := rubricNames{}
	for key, pin := range camp.Settings.Rubrics {
		r, err := a.rubrics.Rubric(c.UserContext(), actor(c), pin.Code, pin.Version)
		if err != nil {
			return nil, fmt.Errorf("rubric %s/v%d pinned by campaign %d: %w", pin.Code, pin.Version, camp.ID, err)
		}
		out[key] = r.Content
	}
	return out, nil
}

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

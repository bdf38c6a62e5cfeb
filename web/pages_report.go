package web

import (
	"cmp"
	"slices"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/evalpanel/evalpanel/web/charts"
	"github.com/gofiber/fiber/v2"
)

// The campaign report (评价报告): the campaign's results as a document to
// print on A4, for the commission's file and the agency's: what was
// evaluated and how, the counts, the conclusions, the charts, every
// project's result, the commission's returns and the publicity, and a
// place to sign. Its readers are the results page's.

// reportData is the campaign report.
type reportData struct {
	Campaign *evaluation.Campaign
	Agency   *evaluation.Agency
	Rubrics  []reportRubric
	Panels   int
	// Sheets counts the sheets the results count: technical and finance,
	// submitted and not reopened (the progress chart counts every sheet
	// once submitted).
	Sheets int
	// Classes count the projects and their conclusions by class, then
	// all classes (the last row).
	Classes []reportClass
	Charts  []charts.Chart
	Rows    []resultRow
	// Returns are the rounds the commission sent back, oldest first.
	Returns   []reportRound
	Publicity *evaluation.Publicity
	// Appeals are those recorded during the publicity, oldest first.
	Appeals []*evaluation.Appeal
	Printed time.Time
}

// reportRubric is a rubric the campaign pinned: for a class or finance.
type reportRubric struct {
	Key     string // a project class or "finance"
	Name    rubrics.Text
	Code    string
	Version int
}

// reportClass counts a class's projects by the conclusion in force; Class
// is "" on the row of all classes.
type reportClass struct {
	Class       evaluation.ProjectClass
	Projects    int
	Conclusions map[evaluation.Conclusion]int
	None        int
}

// reportRound is one round of returns the commission sent.
type reportRound struct {
	Round    int
	Returned time.Time
	Returns  []*evaluation.Return
}

// ReportConclusions are the conclusions the summary counts, in order.
func (d *reportData) ReportConclusions() []evaluation.Conclusion {
	return []evaluation.Conclusion{evaluation.ConclusionPass, evaluation.ConclusionFail, evaluation.ConclusionClosed,
		evaluation.ConclusionPassAfterRectification}
}

func (a *App) reportPage(c *fiber.Ctx) error {
	d, err := a.reportView(c)
	if err != nil {
		return err
	}
	return a.render(c, "report", a.T(c, "report.title")+" · "+d.Campaign.Name, d)
}

// reportView reads the report: the campaign's results computed once, its
// panels, progress, returns and publicity.
func (a *App) reportView(c *fiber.Ctx) (*reportData, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx, act := c.UserContext(), actor(c)
	res, err := a.results.CampaignResults(ctx, act, id)
	if err != nil {
		return nil, err
	}
	camp := res.Campaign
	d := &reportData{Campaign: camp, Printed: a.cfg.Now()}
	if d.Agency, err = a.accounts.Agency(ctx, act, camp.AgencyID); err != nil {
		return nil, err
	}
	for _, key := range []string{string(evaluation.BasicResearch), string(evaluation.AppliedTechnology), "finance"} {
		pin, ok := camp.Settings.Rubrics[key]
		if !ok {
			continue
		}
		r := reportRubric{Key: key, Code: pin.Code, Version: pin.Version}
		if rb := res.Rubrics[key]; rb != nil {
			r.Name = rb.Name
		}
		d.Rubrics = append(d.Rubrics, r)
	}
	panels, err := a.panels.Panels(ctx, act, camp.ID)
	if err != nil {
		return nil, err
	}
	d.Panels = len(panels)

	all := reportClass{Conclusions: map[evaluation.Conclusion]int{}}
	byClass := map[evaluation.ProjectClass]*reportClass{}
	for _, class := range evaluation.ProjectClasses {
		byClass[class] = &reportClass{Class: class, Conclusions: map[evaluation.Conclusion]int{}}
	}
	names := rubricNames(res.Rubrics)
	for i, p := range res.Projects {
		r := &res.Report.Results[i]
		d.Sheets += r.Technical.Sheets + r.Finance.Sheets
		row := resultRow{Project: p, Result: r, VetoHeld: vetoHeld(r), Conclusion: res.Concluded[i], Revising: res.Revising[i]}
		row.Reasons = a.reasonTexts(c, names, r)
		d.Rows = append(d.Rows, row)
		cl := byClass[p.Class]
		if cl == nil { // a class the report does not know: counted with all
			cl = &reportClass{Class: p.Class, Conclusions: map[evaluation.Conclusion]int{}}
			byClass[p.Class] = cl
		}
		for _, count := range []*reportClass{cl, &all} {
			count.Projects++
			if k := res.Concluded[i]; k != nil {
				count.Conclusions[k.Conclusion]++
			} else {
				count.None++
			}
		}
	}
	for _, class := range evaluation.ProjectClasses {
		if cl := byClass[class]; cl.Projects > 0 {
			d.Classes = append(d.Classes, *cl)
		}
	}
	d.Classes = append(d.Classes, all)
	slices.SortStableFunc(d.Rows, func(x, y resultRow) int { return cmp.Compare(x.Project.Code, y.Project.Code) })

	tl, err := a.sheets.Timeline(ctx, act, camp.ID)
	if err != nil {
		return nil, err
	}
	d.Charts = append(a.resultCharts(c, d.Rows), a.progressChart(c, tl))

	returns, err := a.review.Returns(ctx, act, camp.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range returns {
		if !r.Sent {
			continue // the commission's draft is not part of the record
		}
		if n := len(d.Returns); n == 0 || d.Returns[n-1].Round != r.Round {
			d.Returns = append(d.Returns, reportRound{Round: r.Round, Returned: r.ReturnedAt})
		}
		last := &d.Returns[len(d.Returns)-1]
		last.Returns = append(last.Returns, r)
	}
	if camp.State == evaluation.CampaignPublished || camp.State == evaluation.CampaignClosed {
		if d.Publicity, err = a.publicity.Publicity(ctx, act, camp.ID); err != nil {
			return nil, err
		}
		if d.Appeals, err = a.review.Appeals(ctx, act, camp.ID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

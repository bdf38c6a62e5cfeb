package web

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/evalpanel/evalpanel/web/charts"
	"github.com/gofiber/fiber/v2"
)

// resultCharts draws the results the table lists: the grade bands by
// class, and the panel scores' histogram with the pass line.
func (a *App) resultCharts(c *fiber.Ctx, rows []resultRow) []charts.Chart {
	grades := []rubrics.Grade{rubrics.Excellent, rubrics.Good, rubrics.Pass, rubrics.Fail}
	bands := charts.BarChart{ID: "chart-bands", Title: a.T(c, "charts.bands_title"), Desc: a.T(c, "charts.bands_desc"),
		Stacked: true, Percent: true, Ordinal: true, CategoryLabel: a.T(c, "field.class"),
		ValueLabel: a.T(c, "charts.share_of_projects"), EmptyText: a.T(c, "charts.empty")}
	for _, g := range grades {
		bands.Series = append(bands.Series, charts.Series{Name: a.T(c, "grade."+string(g)),
			Values: make([]float64, len(evaluation.ProjectClasses))})
	}
	for _, class := range evaluation.ProjectClasses {
		bands.Categories = append(bands.Categories, a.T(c, "target."+string(class)))
	}
	scores := charts.HistogramChart{ID: "chart-scores", Title: a.T(c, "charts.scores_title"), Desc: a.T(c, "charts.scores_desc"),
		Min: 0, Max: 100, Width: 5, XLabel: a.T(c, "results.score"), YLabel: a.T(c, "charts.projects"),
		EmptyText: a.T(c, "charts.empty")}
	var passLines []float64 // each class's rubric has its own
	for _, row := range rows {
		t := row.Result.Technical
		if t.Score == nil {
			continue
		}
		scores.Values = append(scores.Values, t.Score.Float())
		if line := t.PassLine.Float(); !slices.Contains(passLines, line) {
			passLines = append(passLines, line)
		}
		for i, class := range evaluation.ProjectClasses {
			for j, g := range grades {
				if row.Project.Class == class && t.Grade == g {
					bands.Series[j].Values[i]++
				}
			}
		}
	}
	slices.Sort(passLines)
	for _, line := range passLines {
		scores.Marks = append(scores.Marks, charts.Mark{Value: line, Label: a.T(c, "charts.pass_line", "Line", fmt.Sprint(line))})
	}
	return []charts.Chart{charts.Bars(bands), charts.Histogram(scores)}
}

// projectRadar draws a project's indicator means against the means of
// its class's projects, each indicator on its maximum.
func (a *App) projectRadar(c *fiber.Ctx, res *evaluation.CampaignResults, i int) *charts.Chart {
	r := &res.Report.Results[i]
	rb := res.Rubrics[r.Class]
	if rb == nil || len(r.Technical.Indicators) == 0 {
		return nil
	}
	sum, n := map[string]float64{}, map[string]int{}
	for j := range res.Report.Results {
		other := &res.Report.Results[j]
		if other.Class != r.Class {
			continue
		}
		for _, im := range other.Technical.Indicators {
			sum[im.Code] += im.Mean.Float()
			n[im.Code]++
		}
	}
	lang := string(langOf(c))
	radar := charts.RadarChart{ID: "chart-radar", Title: a.T(c, "charts.radar_title"), Desc: a.T(c, "charts.radar_desc"),
		AxisLabel: a.T(c, "results.indicator"), MaxLabel: a.T(c, "charts.max"), EmptyText: a.T(c, "charts.empty"),
		Series: []charts.Series{{Name: a.T(c, "charts.this_project")}, {Name: a.T(c, "charts.class_mean")}}}
	for _, im := range r.Technical.Indicators {
		in, ok := rb.Indicator(im.Code)
		if !ok {
			continue
		}
		radar.Axes = append(radar.Axes, in.Name.In(lang))
		radar.Max = append(radar.Max, in.Max.Float())
		radar.Series[0].Values = append(radar.Series[0].Values, im.Mean.Float())
		radar.Series[1].Values = append(radar.Series[1].Values, roundTo2(sum[im.Code]/float64(n[im.Code])))
	}
	ch := charts.Radar(radar)
	return &ch
}

// roundTo2 rounds a mean shown beside exact figures to two decimals.
func roundTo2(v float64) float64 { return math.Round(v*100) / 100 }

// leniencyShown is how many experts the leniency chart draws at each end
// of a large campaign: the most lenient and the strictest.
const leniencyShown = 20

// leniencyChart draws the experts' estimated leniency with its 95%
// interval, most lenient first; those whose bias rests on too little are
// left out, and a large campaign shows only both ends.
func (a *App) leniencyChart(c *fiber.Ctx, fit *aggregate.Fit, names map[int64]string) charts.Chart {
	var list []aggregate.ExpertBias
	for _, e := range fit.Experts {
		if e.Estimable {
			list = append(list, e)
		}
	}
	slices.SortFunc(list, func(x, y aggregate.ExpertBias) int { return cmp.Compare(y.Bias, x.Bias) })
	desc := a.T(c, "charts.leniency_desc")
	if len(list) > 2*leniencyShown {
		list = append(list[:leniencyShown], list[len(list)-leniencyShown:]...)
		desc += " " + a.T(c, "charts.leniency_ends", "Count", leniencyShown)
	}
	ch := charts.DotPlotChart{ID: "chart-leniency", Title: a.T(c, "charts.leniency_title"), Desc: desc,
		ZeroLabel: a.T(c, "charts.leniency_zero"), XLabel: a.T(c, "charts.leniency_axis"),
		LabelHeader: a.T(c, "field.expert_name"), LowLabel: a.T(c, "charts.low"), HighLabel: a.T(c, "charts.high"),
		FlagLabel: a.T(c, "charts.leniency_flag"), EmptyText: a.T(c, "charts.empty")}
	for _, e := range list {
		row := charts.DotRow{Label: names[e.Expert], Value: roundTo2(e.Bias), Low: math.NaN(), High: math.NaN()}
		if e.SE > 0 {
			row.Low, row.High = roundTo2(e.Bias-1.96*e.SE), roundTo2(e.Bias+1.96*e.SE)
		}
		ch.Rows = append(ch.Rows, row)
	}
	return charts.DotPlot(ch)
}

// progressChart draws a campaign's progress over time: the running totals
// of its invitations accepted, sheets submitted and projects concluded by
// day, against the sheets expected. The sheets always have their line;
// invitations and conclusions only once there are any.
func (a *App) progressChart(c *fiber.Ctx, tl *evaluation.ProgressTimeline) charts.Chart {
	ch := charts.LineChart{ID: "chart-progress", Title: a.T(c, "charts.progress_title"),
		Desc:   a.T(c, "charts.progress_desc", "Expected", tl.Expected),
		XLabel: a.T(c, "charts.progress_day"), YLabel: a.T(c, "charts.progress_count"),
		EmptyText: a.T(c, "charts.progress_empty")}
	days := tl.Cumulative()
	series := []struct {
		key   string
		value func(evaluation.ProgressDay) int
	}{
		{"charts.progress_submitted", func(d evaluation.ProgressDay) int { return d.Submitted }},
		{"charts.progress_accepted", func(d evaluation.ProgressDay) int { return d.Accepted }},
		{"charts.progress_concluded", func(d evaluation.ProgressDay) int { return d.Concluded }},
	}
	for i, s := range series {
		if i > 0 && (len(days) == 0 || s.value(days[len(days)-1]) == 0) {
			continue
		}
		line := charts.Series{Name: a.T(c, s.key), Values: make([]float64, len(days))}
		for j, d := range days {
			line.Values[j] = float64(s.value(d))
		}
		ch.Series = append(ch.Series, line)
	}
	for _, d := range days {
		ch.X = append(ch.X, d.Day)
	}
	if tl.Expected > 0 {
		ch.Marks = []charts.Mark{{Value: float64(tl.Expected), Label: a.T(c, "charts.progress_expected", "Count", tl.Expected)}}
	}
	return charts.Lines(ch)
}

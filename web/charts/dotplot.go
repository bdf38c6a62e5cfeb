package charts

import (
	"math"
)

// DotPlotChart draws one row per item: a dot at its value and a line over
// its interval, against a reference line, such as each expert's leniency
// (mean deviation from the panel, 评分宽严度) with its confidence interval.
// Rows whose interval lies wholly on one side of the reference are drawn in
// a stronger ink: those are the ones that differ.
type DotPlotChart struct {
	// ID is the svg element's id, unique in the page; empty derives one from
	// the title.
	ID    string
	Title string
	Desc  string
	// Rows are drawn top to bottom as given.
	Rows []DotRow
	// Zero is the reference value, drawn as a vertical line labelled
	// ZeroLabel.
	Zero      float64
	ZeroLabel string
	// XLabel titles the value axis and heads the values' column of the
	// table; LabelHeader heads the rows' names, LowLabel and HighLabel the
	// interval's ends.
	XLabel, LabelHeader, LowLabel, HighLabel string
	// FlagLabel, when set, is the legend of the rows drawn stronger.
	FlagLabel string
	// EmptyText is shown when there are no rows.
	EmptyText string
}

// DotRow is one row of a dot plot: a value and the interval around it. Low
// and High are swapped if given the wrong way round; NaN leaves out the
// interval or the dot.
type DotRow struct {
	Label            string
	Value, Low, High float64
}

// DotPlot draws c.
func DotPlot(c DotPlotChart) Chart {
	t := Table{
		Caption: c.Title,
		Header:  []string{c.LabelHeader, c.XLabel, c.LowLabel, c.HighLabel},
		Numeric: []bool{false, true, true, true},
	}
	if len(c.Rows) == 0 {
		return emptyChart("dotplot", c.ID, c.Title, c.Desc, c.EmptyText, t)
	}
	rows := make([]DotRow, len(c.Rows))
	lo, hi := c.Zero, c.Zero
	if !finite(lo) {
		lo, hi = math.Inf(1), math.Inf(-1)
	}
	var labelW float64
	for i, r := range c.Rows {
		if r.Low > r.High {
			r.Low, r.High = r.High, r.Low
		}
		rows[i] = r
		for _, v := range []float64{r.Value, r.Low, r.High} {
			if finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		labelW = max(labelW, textWidth(r.Label, fontSize))
		t.Rows = append(t.Rows, []string{r.Label, num(r.Value), num(r.Low), num(r.High)})
	}
	if lo > hi {
		lo, hi = 0, 1
	}

	labelW = min(max(labelW, 40), 170)
	x0, x1 := pad+labelW+12, viewW-pad-8
	ticks := niceTicks(lo, hi, int(math.Max(3, math.Min(9, (x1-x0)/56))))
	lo, hi = ticks[0], ticks[len(ticks)-1]
	sx := func(v float64) float64 { return x0 + (v-lo)/(hi-lo)*(x1-x0) }

	var items []legendItem
	if c.FlagLabel != "" {
		items = append(items, legendItem{c.FlagLabel, func(w *writer, x, y float64) {
			w.line(x, y-4, x+16, y-4, inkBlue, 1.5, "")
			w.markerShape(circle, x+8, y-4, 3.5, inkBlue, inkBlue, nil, nil)
		}})
	}
	const rowH = 18.0
	top := pad
	if len(items) > 0 {
		top += legendHeight(items, pad) + 6
	}
	zeroY := top + 11
	if c.ZeroLabel != "" && finite(c.Zero) {
		top += 16
	}
	axisTop := len(rows) > 12 // long plots repeat the axis above
	topTicksY := top + 11
	if axisTop {
		top += 18
	}
	plotTop := top + 2
	plotBottom := plotTop + float64(len(rows))*rowH
	h := plotBottom + 22 + pad
	if c.XLabel != "" {
		h += 16
	}

	w := begin("dotplot", c.ID, c.Title, c.Desc, h, len(rows))
	w.legend(items, pad, pad)
	// Bands on every other row guide the eye across a long plot.
	for i := 1; i < len(rows); i += 2 {
		w.s(`<rect x="0"`)
		w.attrc("y", plotTop+float64(i)*rowH)
		w.s(` width="560"`)
		w.attrc("height", rowH)
		w.s(` fill="#f5f7fa"/>`)
	}
	w.s(`<g class="axis">`)
	for _, tk := range ticks {
		x := sx(tk)
		w.line(x, plotTop, x, plotBottom, inkGrid, 1, "")
		w.label(x, plotBottom+15, drawn(tk), "middle", tickSize, inkMuted, 0, "")
		if axisTop {
			w.label(x, topTicksY, drawn(tk), "middle", tickSize, inkMuted, 0, "")
		}
	}
	w.line(x0, plotBottom, x1, plotBottom, inkAxis, 1, "")
	if c.XLabel != "" {
		w.label((x0+x1)/2, plotBottom+33, c.XLabel, "middle", fontSize, inkMuted, x1-x0, "")
	}
	if finite(c.Zero) {
		x := sx(c.Zero)
		w.s(`<g class="ref"`)
		w.attrx("data-value", c.Zero)
		w.s(`>`)
		w.line(x, plotTop-4, x, plotBottom, inkText, 1.25, "4 3")
		if c.ZeroLabel != "" {
			anchor := "middle"
			if x < x0+40 {
				anchor = ""
			} else if x > x1-40 {
				anchor = "end"
			}
			w.label(x, zeroY, c.ZeroLabel, anchor, tickSize, inkText, (x1-x0)/2, "")
		}
		w.s(`</g>`)
	}
	w.s(`</g>`)

	// The names, right-aligned together; then a group per row, whose ink the
	// interval inherits.
	w.s(`<g class="labels" text-anchor="end">`)
	for i, r := range rows {
		y := plotTop + float64(i)*rowH + rowH/2
		w.label(x0-10, y+4, r.Label, "", fontSize, inkText, labelW, "")
	}
	w.s(`</g>`)
	for i, r := range rows {
		y := plotTop + float64(i)*rowH + rowH/2
		flag := finite(c.Zero) && finite(r.Low) && finite(r.High) && (r.Low > c.Zero || r.High < c.Zero)
		w.s(`<g class="mark"`)
		w.attr("data-label", r.Label)
		w.attrx("data-value", r.Value)
		w.attrx("data-low", r.Low)
		w.attrx("data-high", r.High)
		if flag {
			w.s(` data-flag="true" fill="none" stroke="`, inkBlue, `" stroke-width="2">`)
		} else {
			w.s(` fill="none" stroke="`, inkAxis, `" stroke-width="1.5">`)
		}
		w.s(`<title>`)
		w.text(r.Label)
		w.s(": ")
		w.num(r.Value)
		w.s(" [")
		w.num(r.Low)
		w.s(", ")
		w.num(r.High)
		w.s("]</title>")
		if finite(r.Low) && finite(r.High) {
			// The interval and its end caps, one path: low to high first.
			a, b := sx(r.Low), sx(r.High)
			w.s(`<path d="M`)
			w.pt(a, y)
			w.s(`H`)
			w.coord(b)
			w.s(`M`)
			w.pt(a, y-3.5)
			w.s(`v7M`)
			w.pt(b, y-3.5)
			w.s(`v7"/>`)
		}
		if finite(r.Value) {
			w.s(`<circle`)
			w.attrc("cx", sx(r.Value))
			w.attrc("cy", y)
			if flag {
				w.s(` r="4" fill="`, inkBlue, `"/>`)
			} else {
				w.s(` r="4" fill="#fff" stroke="#52606d"/>`)
			}
		}
		w.s(`</g>`)
	}
	return w.end(t)
}

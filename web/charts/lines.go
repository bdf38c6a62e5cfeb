package charts

import (
	"math"
	"sort"
)

// LineChart draws series over evenly spaced x positions, such as the share
// of sheets submitted on each day of a campaign.
type LineChart struct {
	// ID is the svg element's id, unique in the page; empty derives one from
	// the title.
	ID    string
	Title string
	Desc  string
	// X labels the positions left to right (e.g. dates); as many as fit are
	// drawn, always the last.
	X []string
	// Series hold one value per position; NaN leaves a gap.
	Series []Series
	// XLabel heads the table's first column and titles the x axis; YLabel
	// titles the values.
	XLabel, YLabel string
	// YMax is the least top of the value axis (e.g. 100 for percentages);
	// 0 fits the axis to the values.
	YMax float64
	// Percent writes values with a % sign.
	Percent bool
	// Marks are drawn as labelled horizontal lines across the plot, such
	// as the number of sheets expected; the value axis reaches them.
	Marks []Mark
	// EmptyText is shown when there is nothing to draw.
	EmptyText string
}

// Lines draws c.
func Lines(c LineChart) Chart {
	t := Table{Caption: c.Title, Header: []string{c.XLabel}, Numeric: []bool{false}}
	for _, s := range c.Series {
		t.Header = append(t.Header, s.Name)
		t.Numeric = append(t.Numeric, true)
	}
	format := num
	if c.Percent {
		format = func(v float64) string {
			if !finite(v) {
				return "–"
			}
			return num(v) + "%"
		}
	}
	lo, hi := 0.0, math.Inf(-1)
	for _, s := range c.Series {
		for i := range c.X {
			if v := valueAt(s.Values, i); finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if len(c.X) == 0 || math.IsInf(hi, -1) {
		return emptyChart("lines", c.ID, c.Title, c.Desc, c.EmptyText, t)
	}
	for i, x := range c.X {
		row := []string{x}
		for _, s := range c.Series {
			row = append(row, format(valueAt(s.Values, i)))
		}
		t.Rows = append(t.Rows, row)
	}
	if finite(c.YMax) {
		hi = max(hi, c.YMax)
	}
	for _, m := range c.Marks {
		if finite(m.Value) {
			lo, hi = min(lo, m.Value), max(hi, m.Value)
		}
	}
	ticks := niceTicks(lo, hi, 5)
	lo, hi = ticks[0], ticks[len(ticks)-1]
	var tickW float64
	for _, tk := range ticks {
		tickW = max(tickW, textWidth(tickText(tk, c.Percent), tickSize))
	}

	var items []legendItem
	if len(c.Series) > 1 {
		for i, s := range c.Series {
			items = append(items, strokeItem(stroke(i), s.Name))
		}
	}
	legendH := legendHeight(items, pad)
	if legendH > 0 {
		legendH += 6
	}
	var endW float64 // the last values, written after the lines
	for _, s := range c.Series {
		if _, v, ok := lastValue(s.Values, len(c.X)); ok {
			endW = max(endW, textWidth(format(v), tickSize))
		}
	}
	x0, x1 := pad+tickW+8, viewW-pad-endW-8
	plotTop := pad + legendH + 28
	plotBottom := plotTop + 170
	h := plotBottom + 22 + pad
	if c.XLabel != "" {
		h += 16
	}
	n := len(c.X)
	sx := func(i int) float64 {
		if n == 1 {
			return (x0 + x1) / 2
		}
		return x0 + float64(i)/float64(n-1)*(x1-x0)
	}
	sy := func(v float64) float64 { return plotBottom - (v-lo)/(hi-lo)*(plotBottom-plotTop) }

	w := begin("lines", c.ID, c.Title, c.Desc, h, len(c.X)*len(c.Series))
	w.legend(items, pad, pad)
	w.s(`<g class="axis">`)
	for _, tk := range ticks {
		y := sy(tk)
		if tk != lo {
			w.line(x0, y, x1, y, inkGrid, 1, "")
		}
		w.label(x0-6, y+4, tickText(tk, c.Percent), "end", tickSize, inkMuted, 0, "")
	}
	if c.YLabel != "" {
		w.label(pad, plotTop-14, c.YLabel, "", fontSize, inkMuted, viewW/2, "")
	}
	// As many x labels as fit, counted back from the last.
	var labelW float64
	for _, x := range c.X {
		labelW = max(labelW, min(textWidth(x, tickSize), 90))
	}
	stride := 1
	if n > 1 {
		stride = max(1, int(math.Ceil((labelW+10)/((x1-x0)/float64(n-1)))))
	}
	for i := n - 1; i >= 0; i -= stride {
		x := sx(i)
		w.line(x, plotBottom, x, plotBottom+4, inkAxis, 1, "")
		anchor := "middle"
		if i == n-1 && n > 1 && x+labelW/2 > viewW-pad {
			anchor = "end"
		}
		w.label(x, plotBottom+17, c.X[i], anchor, tickSize, inkMuted, 90, "")
	}
	w.line(x0, plotBottom, x1, plotBottom, inkAxis, 1, "")
	if c.XLabel != "" {
		w.label((x0+x1)/2, plotBottom+36, c.XLabel, "middle", fontSize, inkMuted, x1-x0, "")
	}
	w.s(`</g>`)

	// Marks under the lines, labelled above at the left.
	for _, m := range c.Marks {
		if !finite(m.Value) {
			continue
		}
		y := sy(m.Value)
		w.s(`<g class="ref"`)
		w.attrx("data-value", m.Value)
		w.attr("data-label", m.Label)
		w.s(`>`)
		w.line(x0, y, x1, y, inkText, 1.25, "4 3")
		w.label(x0+4, y-5, m.Label, "", tickSize, inkText, (x1-x0)*0.6, halo)
		w.s(`</g>`)
	}

	// Past a month of points the markers would bead the line: they stay as
	// invisible targets for the tooltip (and the data), but for the last.
	const r = 3.0
	dense := n > 31
	// A single series gets a faint area under it, which reads as progress.
	if len(c.Series) == 1 && complete(c.Series[0].Values, n) && n > 1 {
		w.s(`<path class="area" d="M`)
		w.pt(sx(0), sy(max(lo, 0)))
		for i := range n {
			w.s("L")
			w.pt(sx(i), sy(c.Series[0].Values[i]))
		}
		w.s("L")
		w.pt(sx(n-1), sy(max(lo, 0)))
		w.s(`Z" fill="`, stroke(0).color, `" fill-opacity=".08"/>`)
	}
	type endLabel struct {
		y    float64
		x    float64
		text string
		ink  string
	}
	var ends []endLabel
	for si := len(c.Series) - 1; si >= 0; si-- {
		s, st := c.Series[si], stroke(si)
		w.s(`<g class="series"`)
		w.attr("data-series", s.Name)
		w.s(`><path d="`)
		pen := "M"
		for i := range n {
			v := valueAt(s.Values, i)
			if !finite(v) {
				pen = "M"
				continue
			}
			w.s(pen)
			w.pt(sx(i), sy(v))
			pen = "L"
		}
		w.s(`" fill="none" stroke="`, st.color, `" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"`)
		if st.dash != "" {
			w.s(` stroke-dasharray="`, st.dash, `"`)
		}
		w.s(`/>`)
		last, _, _ := lastValue(s.Values, n)
		for i, x := range c.X {
			v := valueAt(s.Values, i)
			if !finite(v) {
				continue
			}
			hidden := dense && i != last
			w.markerShape(st.marker, sx(i), sy(v), r, "#fff", st.color, func() {
				if hidden {
					w.s(` fill-opacity="0" stroke-opacity="0"`)
				}
				w.s(` class="mark"`)
				w.attr("data-series", s.Name)
				w.attr("data-x", x)
				w.attrx("data-value", v)
			}, func() {
				w.text(x)
				w.s(" · ")
				w.text(s.Name)
				w.s(": ")
				w.num(v)
				if c.Percent {
					w.s("%")
				}
			})
		}
		w.s(`</g>`)
		if i, v, ok := lastValue(s.Values, n); ok {
			ends = append(ends, endLabel{y: sy(v) + 4, x: sx(i) + r + 4, text: format(v), ink: st.color})
		}
	}
	// The last values, pushed apart where they would overlap.
	sort.SliceStable(ends, func(a, b int) bool { return ends[a].y < ends[b].y })
	for i := 1; i < len(ends); i++ {
		ends[i].y = max(ends[i].y, ends[i-1].y+13)
	}
	for _, e := range ends {
		w.label(e.x, e.y, e.text, "", tickSize, e.ink, 0, ` font-weight="600"`)
	}
	return w.end(t)
}

// lastValue is the last number among the first n values and its index.
func lastValue(values []float64, n int) (int, float64, bool) {
	for i := min(n, len(values)) - 1; i >= 0; i-- {
		if finite(values[i]) {
			return i, values[i], true
		}
	}
	return 0, 0, false
}

func tickText(v float64, percent bool) string {
	if percent {
		return drawn(v) + "%"
	}
	return drawn(v)
}

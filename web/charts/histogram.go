package charts

import (
	"math"
	"strconv"
)

// HistogramChart counts values into bins of equal width, such as panel
// scores on 0–100 in bins of 5 with the pass line marked.
type HistogramChart struct {
	// ID is the svg element's id, unique in the page; empty derives one from
	// the title.
	ID    string
	Title string
	Desc  string
	// Values are counted; NaN and values outside Min–Max are left out.
	Values []float64
	// Min and Max bound the bins; Max ≤ Min takes the values' range.
	Min, Max float64
	// Width is the width of a bin, the first starting at Min; bins hold
	// their lower edge, the last also Max. Width ≤ 0 picks a round width
	// giving about ten bins.
	Width float64
	// XLabel titles the value axis and heads the bins' column of the table;
	// YLabel titles the counts.
	XLabel, YLabel string
	// Marks are drawn as labelled vertical lines, those within the bins'
	// range.
	Marks []Mark
	// EmptyText is shown when no value falls in a bin.
	EmptyText string
}

// Bin is one bin of a histogram: the values v with Low ≤ v < High (≤ High
// for the last bin).
type Bin struct {
	Low, High float64
	Count     int
}

// Bins counts c's values into its bins. Edge i is Min + i×Width, and a
// value goes to the bin between the edges it lies between as computed, so
// floating point cannot put it on the wrong side of an edge the chart draws.
func (c HistogramChart) Bins() []Bin {
	lo, hi := c.Min, c.Max
	auto := !(hi > lo) || !finite(lo) || !finite(hi)
	if auto {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range c.Values {
			if finite(v) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if lo > hi {
			return nil
		}
	}
	width := c.Width
	if !(width > 0) || !finite(width) || (hi-lo)/width > 1000 {
		width = niceNum((hi - lo) / 10)
	}
	if auto {
		lo = math.Floor(lo/width) * width
		hi = max(math.Ceil(hi/width)*width, lo+width)
	}
	n := int(math.Ceil((hi - lo) / width))
	if n < 1 {
		n = 1
	}
	// Floating point: keep the last edge Max itself, and drop a sliver bin
	// left by rounding ((hi-lo)/width a hair above a whole number).
	if n > 1 && lo+float64(n-1)*width >= hi {
		n--
	}
	edge := func(i int) float64 {
		if i >= n {
			return hi
		}
		return lo + float64(i)*width
	}
	bins := make([]Bin, n)
	for i := range bins {
		bins[i] = Bin{Low: edge(i), High: edge(i + 1)}
	}
	for _, v := range c.Values {
		if !finite(v) || v < lo || v > hi {
			continue
		}
		i := int(math.Floor((v - lo) / width))
		i = min(max(i, 0), n-1)
		for i > 0 && v < edge(i) {
			i--
		}
		for i < n-1 && v >= edge(i+1) {
			i++
		}
		bins[i].Count++
	}
	return bins
}

// Histogram draws c.
func Histogram(c HistogramChart) Chart {
	t := Table{Caption: c.Title, Header: []string{c.XLabel, c.YLabel}, Numeric: []bool{false, true}}
	bins := c.Bins()
	total := 0
	for _, b := range bins {
		total += b.Count
	}
	if total == 0 {
		return emptyChart("histogram", c.ID, c.Title, c.Desc, c.EmptyText, t)
	}
	highest := 0
	for i, b := range bins {
		closing := ")"
		if i == len(bins)-1 {
			closing = "]"
		}
		t.Rows = append(t.Rows, []string{"[" + num(b.Low) + ", " + num(b.High) + closing, strconv.Itoa(b.Count)})
		highest = max(highest, b.Count)
	}
	lo, hi := bins[0].Low, bins[len(bins)-1].High

	yTicks := countTicks(float64(highest), 5)
	yTop := yTicks[len(yTicks)-1]
	var tickW float64
	for _, tk := range yTicks {
		tickW = max(tickW, textWidth(drawn(tk), tickSize))
	}
	x0, x1 := pad+tickW+8, viewW-pad-4
	plotTop := pad + 20 // the y axis title, the marks' labels
	if len(c.Marks) > 0 {
		plotTop += 8
	}
	plotBottom := plotTop + 170
	h := plotBottom + 22 + pad
	if c.XLabel != "" {
		h += 16
	}
	sx := func(v float64) float64 { return x0 + (v-lo)/(hi-lo)*(x1-x0) }
	sy := func(v float64) float64 { return plotBottom - v/yTop*(plotBottom-plotTop) }

	w := begin("histogram", c.ID, c.Title, c.Desc, h, len(bins))
	w.s(`<g class="axis">`)
	for _, tk := range yTicks {
		y := sy(tk)
		if tk != 0 {
			w.line(x0, y, x1, y, inkGrid, 1, "")
		}
		w.label(x0-6, y+4, drawn(tk), "end", tickSize, inkMuted, 0, "")
	}
	if c.YLabel != "" {
		w.label(pad, pad+8, c.YLabel, "", fontSize, inkMuted, viewW/2, "")
	}
	// X ticks at round values inside the bins' range, as many as fit.
	xTicks := niceTicks(lo, hi, int(math.Max(2, math.Min(11, (x1-x0)/44))))
	for _, tk := range xTicks {
		if tk < lo-1e-9 || tk > hi+1e-9 {
			continue
		}
		x := sx(tk)
		w.line(x, plotBottom, x, plotBottom+4, inkAxis, 1, "")
		w.label(x, plotBottom+17, drawn(tk), "middle", tickSize, inkMuted, 0, "")
	}
	if c.XLabel != "" {
		w.label((x0+x1)/2, plotBottom+36, c.XLabel, "middle", fontSize, inkMuted, x1-x0, "")
	}
	w.s(`</g>`)

	// Bins, with their count above when it fits.
	binW := (x1 - x0) / float64(len(bins))
	gapW := min(2, binW/5)
	for i, b := range bins {
		bx := sx(b.Low)
		bw := sx(b.High) - bx
		y := sy(float64(b.Count))
		w.s(`<rect class="mark"`)
		w.attrx("data-low", b.Low)
		w.attrx("data-high", b.High)
		w.s(` data-count="`, t.Rows[i][1], `"`)
		w.attrc("x", bx+gapW/2)
		w.attrc("y", y)
		w.attrc("width", max(bw-gapW, 0.5))
		w.attrc("height", plotBottom-y)
		w.s(` fill="`, inkBars, `">`)
		w.tooltip(t.Rows[i][0] + ": " + t.Rows[i][1])
		w.s(`</rect>`)
		if b.Count > 0 && textWidth(t.Rows[i][1], 10) <= binW+2 {
			w.label(bx+bw/2, y-4, t.Rows[i][1], "middle", 10, inkMuted, 0, "")
		}
	}
	w.line(x0, plotBottom, x1, plotBottom, inkAxis, 1, "")

	// Marks last, over the bins.
	for _, m := range c.Marks {
		if !finite(m.Value) || m.Value < lo || m.Value > hi {
			continue
		}
		x := sx(m.Value)
		w.s(`<g class="ref"`)
		w.attrx("data-value", m.Value)
		w.attr("data-label", m.Label)
		w.s(`>`)
		w.line(x, plotTop-6, x, plotBottom, inkText, 1.25, "4 3")
		anchor, lx := "", x+4
		if x > (x0+x1)*0.7 {
			anchor, lx = "end", x-4
		}
		w.label(lx, plotTop-8, m.Label, anchor, tickSize, inkText, viewW/3, "")
		w.s(`</g>`)
	}
	return w.end(t)
}

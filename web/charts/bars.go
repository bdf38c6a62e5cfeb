package charts

import (
	"math"
)

// BarChart is a horizontal bar chart: one row per category, one bar per
// series in it, side by side or stacked. The band distribution by class is
// the categories as rows, the grade bands as Ordinal series, Stacked and
// Percent.
type BarChart struct {
	// ID is the svg element's id, unique in the page; empty derives one from
	// the title.
	ID    string
	Title string
	Desc  string
	// Categories are the rows, top to bottom.
	Categories []string
	// Series hold one value per category; negative and NaN values draw no
	// bar.
	Series []Series
	// Stacked draws a category's series end to end in one bar.
	Stacked bool
	// Percent draws each value as its share of its category's total (so
	// stacked bars all reach 100%); the table shows count and share.
	Percent bool
	// Ordinal says the series are ordered levels, best first (excellent …
	// fail): they are drawn from green to red instead of distinct hues.
	Ordinal bool
	// CategoryLabel heads the table's first column (e.g. "Class").
	CategoryLabel string
	// ValueLabel titles the value axis (e.g. "Projects").
	ValueLabel string
	// EmptyText is shown when there is nothing to draw.
	EmptyText string
}

// Bars draws c.
func Bars(c BarChart) Chart {
	t := Table{Caption: c.Title, Header: []string{c.CategoryLabel}, Numeric: []bool{false}}
	for _, s := range c.Series {
		t.Header = append(t.Header, s.Name)
		t.Numeric = append(t.Numeric, true)
	}
	// Each category's total, and what is drawn of each value.
	totals := make([]float64, len(c.Categories))
	var all float64
	for i := range c.Categories {
		for _, s := range c.Series {
			totals[i] += barValue(valueAt(s.Values, i))
		}
		all += totals[i]
	}
	if len(c.Categories) == 0 || len(c.Series) == 0 || all == 0 {
		return emptyChart("bars", c.ID, c.Title, c.Desc, c.EmptyText, t)
	}
	length := func(ci, si int) float64 {
		v := barValue(valueAt(c.Series[si].Values, ci))
		if !c.Percent {
			return v
		}
		if totals[ci] == 0 {
			return 0
		}
		return v / totals[ci] * 100
	}
	for ci, cat := range c.Categories {
		row := []string{cat}
		for si := range c.Series {
			v := valueAt(c.Series[si].Values, ci)
			cell := num(v)
			if c.Percent && finite(v) && totals[ci] > 0 {
				cell += " (" + pctExact(length(ci, si)) + ")"
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}

	// The value axis: 0–100 % for stacked shares, else round ticks over the
	// longest bar.
	var longest float64
	for ci := range c.Categories {
		if c.Stacked {
			var sum float64
			for si := range c.Series {
				sum += length(ci, si)
			}
			longest = max(longest, sum)
		} else {
			for si := range c.Series {
				longest = max(longest, length(ci, si))
			}
		}
	}
	var ticks []float64
	switch {
	case c.Stacked && c.Percent:
		ticks = []float64{0, 25, 50, 75, 100}
	case c.Percent:
		ticks = niceTicks(0, longest, 5)
	default:
		ticks = countTicks(longest, 5)
		if longest != math.Trunc(longest) {
			ticks = niceTicks(0, longest, 5)
		}
	}
	top := ticks[len(ticks)-1]

	fs := fills(len(c.Series), c.Ordinal)
	var labelW float64
	for _, cat := range c.Categories {
		labelW = max(labelW, textWidth(cat, fontSize))
	}
	labelW = min(max(labelW, 32), 150)
	x0 := pad + labelW + 10
	x1 := viewW - pad - 6
	if !c.Stacked {
		x1 = viewW - pad - 40 // room for the value after each bar
	}
	barH, gap, inner := 22.0, 12.0, 0.0
	if !c.Stacked {
		barH, gap, inner = 14, 14, 2
		if len(c.Series) > 3 {
			barH = 11
		}
	}
	rowH := barH
	if !c.Stacked {
		rowH = float64(len(c.Series))*(barH+inner) - inner
	}

	// The legend is measured by its names here and given its swatches once
	// the writer knows the chart's id, which the pattern fills refer to.
	var items []legendItem
	legendH := 0.0
	if len(c.Series) > 1 {
		for _, s := range c.Series {
			items = append(items, legendItem{name: s.Name})
		}
		legendH = legendHeight(items, x0) + 10
	}
	plotTop := pad + legendH
	plotBottom := plotTop + float64(len(c.Categories))*(rowH+gap) - gap + 8
	h := plotBottom + 20 + pad
	if c.ValueLabel != "" {
		h += 18
	}

	w := begin("bars", c.ID, c.Title, c.Desc, h, len(c.Categories)*len(c.Series))
	w.patterns(fs)
	if len(items) > 0 {
		for i, s := range c.Series {
			items[i] = swatchItem(w, fs, i, s.Name)
		}
		w.legend(items, x0, pad)
	}
	sx := func(v float64) float64 { return x0 + v/top*(x1-x0) }
	refs, halos := make([]string, len(fs)), make([]string, len(fs))
	for i, f := range fs {
		refs[i] = w.fillRef(fs, i)
		// A halo of the segment's colour keeps a figure readable over a
		// pattern.
		halos[i] = ` stroke="` + f.color + `" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`
	}

	// Grid and ticks.
	w.s(`<g class="axis">`)
	for _, tk := range ticks {
		x := sx(tk)
		if tk != 0 {
			w.line(x, plotTop-4, x, plotBottom, inkGrid, 1, "")
		}
		tl := drawn(tk)
		if c.Percent {
			tl += "%"
		}
		w.label(x, plotBottom+15, tl, "middle", tickSize, inkMuted, 0, "")
	}
	if c.ValueLabel != "" {
		w.label((x0+x1)/2, plotBottom+34, c.ValueLabel, "middle", fontSize, inkMuted, x1-x0, "")
	}
	w.s(`</g>`)

	// Rows.
	y := plotTop
	for ci, cat := range c.Categories {
		if rowH+gap >= 2*fontSize*lineHeight+4 {
			w.labelLines(x0-8, y+rowH/2, "middle", cat, "end", fontSize, inkText, labelW, ` class="category"`)
		} else {
			w.label(x0-8, y+rowH/2+4, cat, "end", fontSize, inkText, labelW, ` class="category"`)
		}
		at := 0.0
		for si, s := range c.Series {
			v := valueAt(s.Values, ci)
			l := length(ci, si)
			bx, by, bw := sx(at), y, sx(l)-sx(0)
			if c.Stacked {
				at += l
			} else {
				bx, by = sx(0), y+float64(si)*(barH+inner)
			}
			w.s(`<rect class="mark"`)
			w.attr("data-series", s.Name)
			w.attr("data-category", cat)
			w.attrx("data-value", v)
			if c.Percent && totals[ci] > 0 {
				w.attrx("data-share", l)
			}
			w.attrc("x", bx)
			w.attrc("y", by)
			w.attrc("width", bw)
			w.attrc("height", barH)
			w.s(` fill="`, refs[si], `"`)
			if c.Stacked {
				w.s(` stroke="#fff"`)
			}
			w.s(`>`)
			w.s(`<title>`)
			w.text(cat)
			w.s(" · ")
			w.text(s.Name)
			w.s(": ")
			w.num(v)
			if c.Percent && totals[ci] > 0 {
				w.s(" (", pctExact(l), ")")
			}
			w.s(`</title>`)
			w.s(`</rect>`)

			// Direct labels: inside a stacked segment when it fits, after a
			// side-by-side bar.
			text := drawn(v)
			if c.Percent {
				text = pct(l)
			}
			if !finite(v) || v <= 0 {
				continue
			}
			if c.Stacked {
				if textWidth(text, tickSize)+8 <= bw {
					ink := "#fff"
					if luminance(fs[si].color) > 0.55 {
						ink = inkText
					}
					w.label(bx+bw/2, by+barH/2+4, text, "middle", tickSize, ink, 0, halos[si])
				}
			} else {
				w.label(bx+bw+4, by+barH/2+4, text, "", tickSize, inkText, 0, "")
			}
		}
		y += rowH + gap
	}
	w.line(x0, plotTop-4, x0, plotBottom, inkAxis, 1, "")
	return w.end(t)
}

// barValue is what a bar draws of v: nothing for negative or NaN values.
func barValue(v float64) float64 {
	if !finite(v) || v < 0 {
		return 0
	}
	return v
}

package charts

import (
	"math"
	"strconv"
)

// RadarChart draws series over axes that each have their own maximum, such
// as a project's indicator means against its class's (指标均值雷达图). Axis i
// starts at the top and the axes turn clockwise; a value lies on its axis at
// value/max of the radius.
type RadarChart struct {
	// ID is the svg element's id, unique in the page; empty derives one from
	// the title.
	ID    string
	Title string
	Desc  string
	// Axes name the axes (e.g. indicators).
	Axes []string
	// Max is each axis's full scale; a missing or non-positive maximum takes
	// the largest value on that axis.
	Max []float64
	// Series hold one value per axis; the first is filled, the others are
	// outlines (e.g. the project, then the class mean). Values are drawn
	// within 0–max; the data attributes keep them as given.
	Series []Series
	// AxisLabel heads the table's first column (e.g. "Indicator"); MaxLabel
	// heads a last column of the maxima, left out when empty.
	AxisLabel, MaxLabel string
	// EmptyText is shown when there is nothing to draw.
	EmptyText string
}

// Radar draws c.
func Radar(c RadarChart) Chart {
	t := Table{Caption: c.Title, Header: []string{c.AxisLabel}, Numeric: []bool{false}}
	for _, s := range c.Series {
		t.Header = append(t.Header, s.Name)
		t.Numeric = append(t.Numeric, true)
	}
	if c.MaxLabel != "" {
		t.Header = append(t.Header, c.MaxLabel)
		t.Numeric = append(t.Numeric, true)
	}
	drawable := false
	for _, s := range c.Series {
		for i := range c.Axes {
			drawable = drawable || finite(valueAt(s.Values, i))
		}
	}
	if len(c.Axes) == 0 || !drawable {
		return emptyChart("radar", c.ID, c.Title, c.Desc, c.EmptyText, t)
	}
	maxima := make([]float64, len(c.Axes))
	for i := range c.Axes {
		m := valueAt(c.Max, i)
		if !(m > 0) || !finite(m) {
			m = 0
			for _, s := range c.Series {
				if v := valueAt(s.Values, i); finite(v) {
					m = max(m, v)
				}
			}
			if m == 0 {
				m = 1
			}
		}
		maxima[i] = m
		row := []string{c.Axes[i]}
		for _, s := range c.Series {
			row = append(row, num(valueAt(s.Values, i)))
		}
		if c.MaxLabel != "" {
			row = append(row, num(m))
		}
		t.Rows = append(t.Rows, row)
	}

	var items []legendItem
	for i, s := range c.Series {
		items = append(items, strokeItem(stroke(i), s.Name))
	}
	if len(items) < 2 {
		items = nil
	}
	legendH := legendHeight(items, pad)
	if legendH > 0 {
		legendH += 10
	}
	const r = 118.0
	cx, cy := viewW/2, pad+legendH+26+r
	h := cy + r + 30 + pad
	n := len(c.Axes)
	angle := func(i int) float64 { return -math.Pi/2 + 2*math.Pi*float64(i)/float64(n) }
	at := func(i int, frac float64) (float64, float64) {
		a := angle(i)
		return cx + frac*r*math.Cos(a), cy + frac*r*math.Sin(a)
	}

	w := begin("radar", c.ID, c.Title, c.Desc, h, len(c.Axes)*(len(c.Series)+1))
	w.legend(items, pad, pad)

	// Rings at quarters of each axis's maximum, spokes, labels.
	w.s(`<g class="axis" fill="none">`)
	for q := 1; q <= 4; q++ {
		frac := float64(q) / 4
		w.s(`<polygon points="`)
		for i := range n {
			if i > 0 {
				w.s(" ")
			}
			w.pt(at(i, frac))
		}
		w.s(`" stroke="`)
		if q == 4 {
			w.s(inkAxis)
		} else {
			w.s(inkGrid)
		}
		w.s(`"/>`)
	}
	for i, name := range c.Axes {
		x, y := at(i, 1)
		w.s(`<line class="spoke"`)
		w.attr("data-axis", name)
		w.attrc("x1", cx)
		w.attrc("y1", cy)
		w.attrc("x2", x)
		w.attrc("y2", y)
		w.s(` stroke="`, inkGrid, `"/>`)
	}
	w.s(`</g>`)
	// The quarter rings as shares of the maxima, up the first axis.
	for q := 2; q <= 4; q += 2 {
		_, y := at(0, float64(q)/4)
		w.label(cx+4, y+11, strconv.Itoa(q*25)+"%", "", 9, inkMuted, 0, halo)
	}
	for i, name := range c.Axes {
		a := angle(i)
		cos, sin := math.Cos(a), math.Sin(a)
		x, y := cx+(r+10)*cos, cy+(r+10)*sin
		anchor := "middle"
		room := 2 * min(x-pad, viewW-pad-x)
		switch {
		case cos > 0.25:
			anchor, room = "", viewW-pad-x
		case cos < -0.25:
			anchor, room = "end", x-pad
		}
		valign := "middle"
		switch {
		case sin > 0.5:
			valign, y = "top", y+12
		case sin < -0.5:
			valign, y = "bottom", y-3
		}
		w.labelLines(x, y, valign, name, anchor, fontSize, inkText, min(room, 150), ` class="axis-label"`)
	}

	// Series: outlines first so the filled first series' points stay on
	// top; points carry the data.
	for si := len(c.Series) - 1; si >= 0; si-- {
		s, st := c.Series[si], stroke(si)
		w.s(`<g class="series"`)
		w.attr("data-series", s.Name)
		w.s(`>`)
		w.s(`<path d="`)
		pen := "M"
		for i := range n {
			v := valueAt(s.Values, i)
			if !finite(v) {
				pen = "M"
				continue
			}
			w.s(pen)
			w.pt(at(i, clamp01(v/maxima[i])))
			pen = "L"
		}
		if complete(s.Values, n) {
			w.s("Z")
		}
		w.s(`" stroke="`, st.color, `" stroke-width="2" stroke-linejoin="round"`)
		if st.dash != "" {
			w.s(` stroke-dasharray="`, st.dash, `"`)
		}
		if si == 0 {
			w.s(` fill="`, st.color, `" fill-opacity=".12"/>`)
		} else {
			w.s(` fill="none"/>`)
		}
		for i, axis := range c.Axes {
			v := valueAt(s.Values, i)
			if !finite(v) {
				continue
			}
			x, y := at(i, clamp01(v/maxima[i]))
			w.markerShape(st.marker, x, y, 3.5, "#fff", st.color, func() {
				w.s(` class="mark"`)
				w.attr("data-series", s.Name)
				w.attr("data-axis", axis)
				w.attrx("data-value", v)
				w.attrx("data-max", maxima[i])
			}, func() {
				w.text(axis)
				w.s(" · ")
				w.text(s.Name)
				w.s(": ")
				w.num(v)
				w.s(" / ")
				w.num(maxima[i])
			})
		}
		w.s(`</g>`)
	}
	return w.end(t)
}

// complete reports whether values has a number for each of n places, so
// that its outline closes.
func complete(values []float64, n int) bool {
	for i := range n {
		if !finite(valueAt(values, i)) {
			return false
		}
	}
	return true
}

func clamp01(v float64) float64 { return min(max(v, 0), 1) }

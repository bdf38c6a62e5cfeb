package charts

import (
	"bytes"
	"encoding/xml"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// node is a parsed XML element, with its attributes in order.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

func (n node) get(name string) string { v, _ := n.attr(name); return v }

// num parses a numeric attribute, failing the test when it is not one.
func (n node) num(t *testing.T, name string) float64 {
	t.Helper()
	v, ok := n.attr(name)
	if !ok {
		t.Fatalf("<%s> has no %s: %v", n.XMLName.Local, name, n.Attrs)
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, v, err)
	}
	return f
}

func (n node) hasClass(class string) bool {
	return slices.Contains(strings.Fields(n.get("class")), class)
}

// walk calls f on n and every element under it, in document order.
func (n node) walk(f func(n node)) {
	f(n)
	for _, c := range n.Nodes {
		c.walk(f)
	}
}

// find lists the elements under n (n included) for which keep is true.
func (n node) find(keep func(n node) bool) []node {
	var out []node
	n.walk(func(n node) {
		if keep(n) {
			out = append(out, n)
		}
	})
	return out
}

func (n node) marks() []node { return n.find(func(n node) bool { return n.hasClass("mark") }) }

// text is the character data of n and its children, without the title
// children (tooltips and full labels).
func (n node) text() string {
	var b strings.Builder
	b.WriteString(n.Text)
	for _, c := range n.Nodes {
		if c.XMLName.Local != "title" {
			b.WriteString(c.text())
		}
	}
	return b.String()
}

// parse parses a chart's SVG strictly and checks what every chart must be:
// an svg root in the SVG namespace, sized by its viewBox, role="img"
// labelled by its title and description, nothing executable or external.
func parse(t *testing.T, c Chart, title, desc string) node {
	t.Helper()
	var root node
	dec := xml.NewDecoder(strings.NewReader(string(c.SVG)))
	dec.Strict = true
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("SVG is not well-formed: %v\n%s", err, c.SVG)
	}
	if _, err := dec.Token(); err == nil {
		t.Fatalf("SVG has content after the root element")
	}
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is %v, want svg in the SVG namespace", root.XMLName)
	}
	if got := root.get("id"); got != c.ID || got == "" {
		t.Errorf("svg id = %q, Chart.ID = %q", got, c.ID)
	}
	if vb := strings.Fields(root.get("viewBox")); len(vb) != 4 || vb[0] != "0" || vb[1] != "0" {
		t.Errorf("viewBox = %q, want 0 0 w h", root.get("viewBox"))
	}
	if got := root.get("width"); got != "100%" {
		t.Errorf("width = %q, want 100%%", got)
	}
	if _, ok := root.attr("height"); ok {
		t.Errorf("svg has a fixed height")
	}
	if got := root.get("role"); got != "img" {
		t.Errorf("role = %q, want img", got)
	}
	if ff := root.get("font-family"); !strings.Contains(ff, "Noto Sans CJK SC") || !strings.Contains(ff, "WenQuanYi Micro Hei") ||
		!strings.Contains(ff, "Microsoft YaHei") || !strings.HasSuffix(ff, "sans-serif") {
		t.Errorf("font-family %q does not cover Chinese", ff)
	}
	// aria-labelledby names the title and the description, by unique ids.
	ids := map[string]node{}
	root.walk(func(n node) {
		if id, ok := n.attr("id"); ok {
			if _, dup := ids[id]; dup {
				t.Errorf("id %q is used twice", id)
			}
			ids[id] = n
		}
	})
	refs := strings.Fields(root.get("aria-labelledby"))
	want := []string{c.ID + "-title", c.ID + "-desc"}
	if desc == "" {
		want = want[:1]
	}
	if !slices.Equal(refs, want) {
		t.Errorf("aria-labelledby = %q, want %q", refs, want)
	}
	if n := ids[c.ID+"-title"]; n.XMLName.Local != "title" || n.Text != title {
		t.Errorf("title = <%s>%q, want <title>%q", n.XMLName.Local, n.Text, title)
	}
	if desc != "" {
		if n := ids[c.ID+"-desc"]; n.XMLName.Local != "desc" || n.Text != desc {
			t.Errorf("desc = <%s>%q, want <desc>%q", n.XMLName.Local, n.Text, desc)
		}
	}
	if len(root.Nodes) == 0 || root.Nodes[0].XMLName.Local != "title" {
		t.Errorf("the title is not the svg's first child")
	}
	root.walk(func(n node) {
		switch n.XMLName.Local {
		case "script", "foreignObject", "image", "use", "style", "a", "iframe", "object", "embed":
			t.Errorf("chart has a <%s> element", n.XMLName.Local)
		}
		for _, a := range n.Attrs {
			name := strings.ToLower(a.Name.Local)
			if strings.HasPrefix(name, "on") || name == "href" || name == "style" || name == "src" {
				t.Errorf("<%s> has a %s attribute", n.XMLName.Local, a.Name.Local)
			}
			if strings.Contains(a.Value, "url(") {
				ref, ok := strings.CutPrefix(a.Value, "url(#")
				ref, ok2 := strings.CutSuffix(ref, ")")
				if _, found := ids[ref]; !ok || !ok2 || !found || !strings.HasPrefix(ref, c.ID+"-") {
					t.Errorf("<%s %s=%q> refers to nothing of this chart's", n.XMLName.Local, a.Name.Local, a.Value)
				}
			}
		}
	})
	return root
}

// checkTable checks the table's shape: a caption, and rows as wide as the
// header.
func checkTable(t *testing.T, tb Table, caption string, header []string) {
	t.Helper()
	if tb.Caption != caption {
		t.Errorf("table caption = %q, want %q", tb.Caption, caption)
	}
	if diff := cmp.Diff(header, tb.Header); diff != "" {
		t.Errorf("table header (-want +got):\n%s", diff)
	}
	if len(tb.Numeric) != len(tb.Header) {
		t.Errorf("table has %d Numeric flags for %d columns", len(tb.Numeric), len(tb.Header))
	}
	for i, r := range tb.Rows {
		if len(r) != len(tb.Header) {
			t.Errorf("table row %d has %d cells, want %d", i, len(r), len(tb.Header))
		}
	}
}

func langs() []string { return []string{"zh", "en"} }

type example struct {
	name string
	draw func() Chart
}

func examples(lang string) []example {
	return []example{
		{"bars", func() Chart { return Bars(barsExample(lang)) }},
		{"histogram", func() Chart { return Histogram(histogramExample(lang)) }},
		{"radar", func() Chart { return Radar(radarExample(lang)) }},
		{"dotplot", func() Chart { return DotPlot(dotPlotExample(lang)) }},
		{"lines", func() Chart { return Lines(linesExample(lang)) }},
	}
}

func TestBarsData(t *testing.T) {
	for _, lang := range langs() {
		for _, mode := range []struct {
			name             string
			stacked, percent bool
		}{{"stacked percent", true, true}, {"stacked", true, false}, {"side by side", false, false}, {"side by side percent", false, true}} {
			t.Run(lang+"/"+mode.name, func(t *testing.T) {
				in := barsExample(lang)
				in.Stacked, in.Percent = mode.stacked, mode.percent
				c := Bars(in)
				root := parse(t, c, in.Title, in.Desc)
				header := []string{in.CategoryLabel}
				for _, s := range in.Series {
					header = append(header, s.Name)
				}
				checkTable(t, c.Table, in.Title, header)

				type key struct{ series, category string }
				got := map[key]node{}
				for _, m := range root.marks() {
					k := key{m.get("data-series"), m.get("data-category")}
					if _, dup := got[k]; dup {
						t.Errorf("two marks for %v", k)
					}
					got[k] = m
				}
				if want := len(in.Series) * len(in.Categories); len(got) != want {
					t.Errorf("%d marks, want one per series and category: %d", len(got), want)
				}
				for ci, cat := range in.Categories {
					var total, widths float64
					for _, s := range in.Series {
						total += s.Values[ci]
						widths += got[key{s.Name, cat}].num(t, "width")
					}
					for si, s := range in.Series {
						m, ok := got[key{s.Name, cat}]
						if !ok {
							t.Errorf("no mark for %s / %s", s.Name, cat)
							continue
						}
						if v := m.num(t, "data-value"); v != s.Values[ci] {
							t.Errorf("%s / %s: data-value = %v, want %v", s.Name, cat, v, s.Values[ci])
						}
						share := s.Values[ci] / total * 100
						if mode.percent {
							if got := m.num(t, "data-share"); math.Abs(got-share) > 1e-9 {
								t.Errorf("%s / %s: data-share = %v, want %v", s.Name, cat, got, share)
							}
						} else if _, ok := m.attr("data-share"); ok {
							t.Errorf("%s / %s: data-share without Percent", s.Name, cat)
						}
						// The bars' lengths are in proportion to the values.
						if mode.stacked {
							if got := m.num(t, "width") / widths * 100; math.Abs(got-share) > 0.1 {
								t.Errorf("%s / %s: %.2f%% of the bar, want %.2f%%", s.Name, cat, got, share)
							}
						}
						cell := c.Table.Rows[ci][si+1]
						if !strings.HasPrefix(cell, num(s.Values[ci])) {
							t.Errorf("table cell %s / %s = %q, want the value %s", s.Name, cat, cell, num(s.Values[ci]))
						}
					}
					if c.Table.Rows[ci][0] != cat {
						t.Errorf("table row %d is %q, want %q", ci, c.Table.Rows[ci][0], cat)
					}
				}
				// Side by side, a bar's length per unit is the same everywhere.
				if !mode.stacked && !mode.percent {
					var ratio float64
					for _, m := range root.marks() {
						v := m.num(t, "data-value")
						if v == 0 {
							continue
						}
						r := m.num(t, "width") / v
						if ratio == 0 {
							ratio = r
						} else if math.Abs(r-ratio)*v > 0.02 {
							t.Errorf("%s / %s: width %v for %v, off the scale", m.get("data-series"), m.get("data-category"), m.num(t, "width"), v)
						}
					}
				}
			})
		}
	}
}

func TestBarsTable(t *testing.T) {
	c := Bars(BarChart{
		Title: "t", CategoryLabel: "Class", Stacked: true, Percent: true,
		Categories: []string{"A", "B"},
		Series:     []Series{{"Good", []float64{1, 0}}, {"Fail", []float64{2, 0}}},
	})
	want := [][]string{{"A", "1 (33.3%)", "2 (66.7%)"}, {"B", "0", "0"}}
	if diff := cmp.Diff(want, c.Table.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestTruncation(t *testing.T) {
	long := "科技成果转化与产业化示范项目（第二批）及其配套的地方财政资金支持计划"
	c := Bars(BarChart{Title: "t", Categories: []string{long, "短"}, Series: []Series{{"n", []float64{1, 2}}}})
	root := parse(t, c, "t", "")
	labels := root.find(func(n node) bool { return n.hasClass("category") })
	if len(labels) != 2 {
		t.Fatalf("%d category labels, want 2", len(labels))
	}
	shown := labels[0].text()
	if !strings.HasSuffix(shown, "…") || !strings.HasPrefix(long, strings.TrimSuffix(shown, "…")) || len(shown) >= len(long) {
		t.Errorf("long label shown as %q, want a prefix and …", shown)
	}
	if len(labels[0].Nodes) == 0 || labels[0].Nodes[0].XMLName.Local != "title" || labels[0].Nodes[0].Text != long {
		t.Errorf("the cut label has no title with the full text: %+v", labels[0])
	}
	if got := labels[1].text(); got != "短" || len(labels[1].Nodes) != 0 {
		t.Errorf("short label = %q with %d children, want it whole and alone", got, len(labels[1].Nodes))
	}
	if c.Table.Rows[0][0] != long {
		t.Errorf("table cuts the label: %q", c.Table.Rows[0][0])
	}
}

// binCount counts by brute force the values in [low, high), or [low, high]
// for the last bin.
func binCount(values []float64, low, high float64, last bool) int {
	n := 0
	for _, v := range values {
		if v >= low && (v < high || last && v == high) {
			n++
		}
	}
	return n
}

func TestHistogramData(t *testing.T) {
	for _, lang := range langs() {
		t.Run(lang, func(t *testing.T) {
			in := histogramExample(lang)
			c := Histogram(in)
			root := parse(t, c, in.Title, in.Desc)
			checkTable(t, c.Table, in.Title, []string{in.XLabel, in.YLabel})
			marks := root.marks()
			if len(marks) != 20 {
				t.Fatalf("%d bins, want 20 (0–100 by 5)", len(marks))
			}
			total := 0
			for i, m := range marks {
				low, high := m.num(t, "data-low"), m.num(t, "data-high")
				if want := float64(i) * 5; low != want || high != want+5 {
					t.Errorf("bin %d is [%v, %v), want [%v, %v)", i, low, high, want, want+5)
				}
				n := int(m.num(t, "data-count"))
				if want := binCount(in.Values, low, high, i == len(marks)-1); n != want {
					t.Errorf("bin [%v, %v): count %d, want %d", low, high, n, want)
				}
				if c.Table.Rows[i][1] != strconv.Itoa(n) {
					t.Errorf("table row %d = %q, want count %d", i, c.Table.Rows[i], n)
				}
				total += n
			}
			if total != len(in.Values) {
				t.Errorf("bins hold %d values, want all %d", total, len(in.Values))
			}
			refs := root.find(func(n node) bool { return n.hasClass("ref") })
			if len(refs) != len(in.Marks) {
				t.Fatalf("%d reference lines, want %d", len(refs), len(in.Marks))
			}
			for i, r := range refs {
				if v := r.num(t, "data-value"); v != in.Marks[i].Value || r.get("data-label") != in.Marks[i].Label {
					t.Errorf("mark %d = %v %q, want %v %q", i, v, r.get("data-label"), in.Marks[i].Value, in.Marks[i].Label)
				}
				if !strings.Contains(r.text(), in.Marks[i].Label) {
					t.Errorf("mark %d does not show %q", i, in.Marks[i].Label)
				}
			}
			// Bars grow with their counts: height per value is constant.
			var ratio float64
			for _, m := range marks {
				n := m.num(t, "data-count")
				if n == 0 {
					continue
				}
				r := m.num(t, "height") / n
				if ratio == 0 {
					ratio = r
				} else if math.Abs(r-ratio)*n > 0.02 {
					t.Errorf("bin %s: height %v for count %v, off the scale", m.get("data-low"), m.num(t, "height"), n)
				}
			}
		})
	}
}

func TestHistogramTable(t *testing.T) {
	c := Histogram(HistogramChart{Title: "t", XLabel: "Score", YLabel: "Projects",
		Values: []float64{10, 55, 60, 100}, Min: 0, Max: 100, Width: 50})
	want := [][]string{{"[0, 50)", "1"}, {"[50, 100]", "3"}}
	if diff := cmp.Diff(want, c.Table.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestHistogramBins(t *testing.T) {
	tests := []struct {
		name   string
		in     HistogramChart
		counts []int
		lows   []float64
	}{
		{
			name:   "edges go up, the maximum to the last bin",
			in:     HistogramChart{Values: []float64{0, 4.999, 5, 60, 99.99, 100}, Min: 0, Max: 100, Width: 25},
			counts: []int{3, 0, 1, 2},
			lows:   []float64{0, 25, 50, 75},
		},
		{
			name:   "outside the range and NaN are left out",
			in:     HistogramChart{Values: []float64{-1, 101, math.NaN(), math.Inf(1), 50}, Min: 0, Max: 100, Width: 50},
			counts: []int{0, 1},
			lows:   []float64{0, 50},
		},
		{
			name:   "a width that does not divide the range ends with a shorter bin",
			in:     HistogramChart{Values: []float64{0, 7, 98, 100}, Min: 0, Max: 100, Width: 7},
			counts: []int{1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
		},
		{
			name:   "decimal widths count on the edges the chart draws",
			in:     HistogramChart{Values: []float64{0.1, 0.2, 0.3, 0.7, 1}, Min: 0, Max: 1, Width: 0.1},
			counts: nil, // by brute force below
		},
		{
			name:   "no range takes the values'",
			in:     HistogramChart{Values: []float64{62, 67, 71, 88}, Width: 10},
			counts: []int{2, 1, 1},
			lows:   []float64{60, 70, 80},
		},
		{
			name:   "no width picks a round one",
			in:     HistogramChart{Values: []float64{0, 33, 100}, Min: 0, Max: 100},
			counts: []int{1, 0, 0, 1, 0, 0, 0, 0, 0, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bins := tt.in.Bins()
			var counts []int
			for i, b := range bins {
				counts = append(counts, b.Count)
				edge := tt.in.Min + float64(i)*tt.in.Width
				if tt.in.Width > 0 && tt.in.Max > tt.in.Min && b.Low != edge {
					t.Errorf("bin %d starts at %v, want Min+%d×Width = %v", i, b.Low, i, edge)
				}
				if want := binCount(tt.in.Values, b.Low, b.High, i == len(bins)-1); b.Count != want {
					t.Errorf("bin [%v, %v) holds %d, brute force counts %d", b.Low, b.High, b.Count, want)
				}
				if i > 0 && bins[i-1].High != b.Low {
					t.Errorf("bin %d starts at %v, the previous ends at %v", i, b.Low, bins[i-1].High)
				}
			}
			if tt.counts != nil {
				if diff := cmp.Diff(tt.counts, counts); diff != "" {
					t.Errorf("counts (-want +got):\n%s", diff)
				}
			}
			if tt.lows != nil {
				var lows []float64
				for _, b := range bins {
					lows = append(lows, b.Low)
				}
				if diff := cmp.Diff(tt.lows, lows); diff != "" {
					t.Errorf("bins start at (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestHistogramBruteForce bins many random values over awkward ranges and
// widths, and counts again by brute force over the drawn edges.
func TestHistogramBruteForce(t *testing.T) {
	r := rng(11)
	for trial := range 200 {
		lo := math.Round(r.float()*200-100) / 4
		hi := lo + math.Round(r.float()*400+1)/4
		width := math.Round(r.float()*40+1) / 10
		values := make([]float64, 300)
		for i := range values {
			// Values on the edges too, which is where bins go wrong.
			if i%3 == 0 {
				values[i] = lo + float64(int(r.float()*30))*width
			} else {
				values[i] = lo - 5 + r.float()*(hi-lo+10)
			}
		}
		bins := HistogramChart{Values: values, Min: lo, Max: hi, Width: width}.Bins()
		inRange := 0
		for _, v := range values {
			if v >= lo && v <= hi {
				inRange++
			}
		}
		total := 0
		for i, b := range bins {
			if want := binCount(values, b.Low, b.High, i == len(bins)-1); b.Count != want {
				t.Fatalf("trial %d [%v, %v] by %v: bin [%v, %v) holds %d, brute force %d", trial, lo, hi, width, b.Low, b.High, b.Count, want)
			}
			total += b.Count
		}
		if total != inRange {
			t.Fatalf("trial %d [%v, %v] by %v: bins hold %d, %d in range", trial, lo, hi, width, total, inRange)
		}
		if bins[0].Low != lo || bins[len(bins)-1].High != hi {
			t.Fatalf("trial %d: bins span [%v, %v], want [%v, %v]", trial, bins[0].Low, bins[len(bins)-1].High, lo, hi)
		}
	}
}

// center is the centre of a marker: a circle, a square or a triangle or
// diamond path as markerShape draws them.
func center(t *testing.T, n node) (float64, float64) {
	t.Helper()
	switch n.XMLName.Local {
	case "circle":
		return n.num(t, "cx"), n.num(t, "cy")
	case "rect":
		return n.num(t, "x") + n.num(t, "width")/2, n.num(t, "y") + n.num(t, "height")/2
	case "path":
		var xs, ys []float64
		for _, p := range strings.FieldsFunc(n.get("d"), func(r rune) bool { return r == 'M' || r == 'L' || r == 'Z' }) {
			x, y, _ := strings.Cut(p, ",")
			fx, _ := strconv.ParseFloat(x, 64)
			fy, _ := strconv.ParseFloat(y, 64)
			xs, ys = append(xs, fx), append(ys, fy)
		}
		switch len(xs) {
		case 4: // diamond: top, right, bottom, left
			return xs[0], (ys[0] + ys[2]) / 2
		case 3: // triangle: apex 1.15 r above, base 0.75 r below
			return xs[0], ys[0] + (ys[1]-ys[0])*1.15/1.9
		}
	}
	t.Fatalf("cannot find the centre of <%s %v>", n.XMLName.Local, n.Attrs)
	return 0, 0
}

func TestRadarData(t *testing.T) {
	for _, lang := range langs() {
		t.Run(lang, func(t *testing.T) {
			in := radarExample(lang)
			in.Series[1].Values[0] = 30 // over the maximum: drawn at it
			c := Radar(in)
			root := parse(t, c, in.Title, in.Desc)
			header := []string{in.AxisLabel, in.Series[0].Name, in.Series[1].Name, in.MaxLabel}
			checkTable(t, c.Table, in.Title, header)

			spokes := map[string]node{}
			for _, s := range root.find(func(n node) bool { return n.hasClass("spoke") }) {
				spokes[s.get("data-axis")] = s
			}
			if len(spokes) != len(in.Axes) {
				t.Fatalf("%d spokes, want %d", len(spokes), len(in.Axes))
			}
			marks := root.marks()
			if want := len(in.Axes) * len(in.Series); len(marks) != want {
				t.Fatalf("%d points, want %d", len(marks), want)
			}
			seen := map[[2]string]bool{}
			for _, m := range marks {
				axis, series := m.get("data-axis"), m.get("data-series")
				seen[[2]string{axis, series}] = true
				ai := slices.Index(in.Axes, axis)
				si := slices.IndexFunc(in.Series, func(s Series) bool { return s.Name == series })
				if ai < 0 || si < 0 {
					t.Errorf("point on axis %q of series %q: not in the input", axis, series)
					continue
				}
				v, mx := m.num(t, "data-value"), m.num(t, "data-max")
				if v != in.Series[si].Values[ai] || mx != in.Max[ai] {
					t.Errorf("%s / %s: value %v of %v, want %v of %v", series, axis, v, mx, in.Series[si].Values[ai], in.Max[ai])
				}
				// On the axis's spoke, at value/max of it from the centre.
				s := spokes[axis]
				cx, cy, tx, ty := s.num(t, "x1"), s.num(t, "y1"), s.num(t, "x2"), s.num(t, "y2")
				frac := min(v/mx, 1)
				wx, wy := cx+frac*(tx-cx), cy+frac*(ty-cy)
				x, y := center(t, m)
				if math.Hypot(x-wx, y-wy) > 0.03 {
					t.Errorf("%s / %s: point at (%v, %v), want (%.2f, %.2f) on the spoke at %.3f", series, axis, x, y, wx, wy, frac)
				}
			}
			if len(seen) != len(marks) {
				t.Errorf("%d distinct points among %d", len(seen), len(marks))
			}
			// Axis i turns clockwise from the top.
			for i, axis := range in.Axes {
				s := spokes[axis]
				a := math.Atan2(s.num(t, "y2")-s.num(t, "y1"), s.num(t, "x2")-s.num(t, "x1"))
				want := -math.Pi/2 + 2*math.Pi*float64(i)/float64(len(in.Axes))
				if d := math.Remainder(a-want, 2*math.Pi); math.Abs(d) > 1e-3 {
					t.Errorf("axis %d %q at %.3f rad, want %.3f", i, axis, a, want)
				}
			}
			for i, row := range c.Table.Rows {
				want := []string{in.Axes[i], num(in.Series[0].Values[i]), num(in.Series[1].Values[i]), num(in.Max[i])}
				if diff := cmp.Diff(want, row); diff != "" {
					t.Errorf("table row %d (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestRadarMissingMax(t *testing.T) {
	c := Radar(RadarChart{Title: "t", Axes: []string{"a", "b", "c"}, Max: []float64{10},
		Series: []Series{{"s", []float64{5, 4, math.NaN()}}, {"u", []float64{2, 8, 3}}}})
	root := parse(t, c, "t", "")
	got := map[string]float64{}
	for _, m := range root.marks() {
		got[m.get("data-axis")] = m.num(t, "data-max")
	}
	if want := map[string]float64{"a": 10, "b": 8, "c": 3}; !cmp.Equal(want, got) {
		t.Errorf("maxima = %v, want %v (given, else the largest value)", got, want)
	}
	if n := len(root.marks()); n != 5 {
		t.Errorf("%d points, want 5 (no point for NaN)", n)
	}
}

func TestDotPlotData(t *testing.T) {
	for _, lang := range langs() {
		t.Run(lang, func(t *testing.T) {
			in := dotPlotExample(lang)
			in.Rows[2].Low, in.Rows[2].High = in.Rows[2].High, in.Rows[2].Low // given the wrong way round
			c := DotPlot(in)
			root := parse(t, c, in.Title, in.Desc)
			checkTable(t, c.Table, in.Title, []string{in.LabelHeader, in.XLabel, in.LowLabel, in.HighLabel})
			marks := root.marks()
			if len(marks) != len(in.Rows) {
				t.Fatalf("%d rows drawn, want %d", len(marks), len(in.Rows))
			}
			flagged := 0
			for i, m := range marks {
				r := in.Rows[i]
				lo, hi := min(r.Low, r.High), max(r.Low, r.High)
				if got := m.get("data-label"); got != r.Label {
					t.Errorf("row %d is %q, want %q (the order given)", i, got, r.Label)
				}
				v, l, h := m.num(t, "data-value"), m.num(t, "data-low"), m.num(t, "data-high")
				if v != r.Value || l != lo || h != hi {
					t.Errorf("%s: %v [%v, %v], want %v [%v, %v]", r.Label, v, l, h, r.Value, lo, hi)
				}
				if l > h {
					t.Errorf("%s: interval [%v, %v] not ordered", r.Label, l, h)
				}
				// The interval runs left to right and holds the dot.
				paths := m.find(func(n node) bool { return n.XMLName.Local == "path" })
				dots := m.find(func(n node) bool { return n.XMLName.Local == "circle" })
				if len(paths) != 1 || len(dots) != 1 {
					t.Fatalf("%s: %d intervals and %d dots, want one each", r.Label, len(paths), len(dots))
				}
				x1, x2 := intervalEnds(t, paths[0].get("d"))
				cx := dots[0].num(t, "cx")
				if !(x1 <= cx && cx <= x2) {
					t.Errorf("%s: dot at x=%v outside its interval [%v, %v]", r.Label, cx, x1, x2)
				}
				wantFlag := lo > in.Zero || hi < in.Zero
				if got := m.get("data-flag") == "true"; got != wantFlag {
					t.Errorf("%s [%v, %v]: flagged %v, want %v", r.Label, lo, hi, got, wantFlag)
				}
				if wantFlag {
					flagged++
				}
				want := []string{r.Label, num(r.Value), num(lo), num(hi)}
				if diff := cmp.Diff(want, c.Table.Rows[i]); diff != "" {
					t.Errorf("table row %d (-want +got):\n%s", i, diff)
				}
			}
			if flagged == 0 || flagged == len(marks) {
				t.Errorf("%d of %d rows flagged: the example should have both kinds", flagged, len(marks))
			}
			refs := root.find(func(n node) bool { return n.hasClass("ref") })
			if len(refs) != 1 || refs[0].num(t, "data-value") != in.Zero || !strings.Contains(refs[0].text(), in.ZeroLabel) {
				t.Errorf("reference line: %v, want one at %v labelled %q", refs, in.Zero, in.ZeroLabel)
			}
		})
	}
}

// intervalEnds reads the ends of a dot plot's interval from its path,
// "Mx1,yHx2…".
func intervalEnds(t *testing.T, d string) (float64, float64) {
	t.Helper()
	first, rest, ok := strings.Cut(strings.TrimPrefix(d, "M"), "H")
	x, _, _ := strings.Cut(first, ",")
	end := strings.IndexAny(rest, "M")
	if !ok || end < 0 {
		t.Fatalf("interval path %q is not Mx,yHx…", d)
	}
	x1, err1 := strconv.ParseFloat(x, 64)
	x2, err2 := strconv.ParseFloat(rest[:end], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("interval path %q: %v %v", d, err1, err2)
	}
	return x1, x2
}

func TestLinesData(t *testing.T) {
	for _, lang := range langs() {
		t.Run(lang, func(t *testing.T) {
			in := linesExample(lang)
			in.Series[1].Values[4] = math.NaN() // a day with no figure: a gap
			c := Lines(in)
			root := parse(t, c, in.Title, in.Desc)
			checkTable(t, c.Table, in.Title, []string{in.XLabel, in.Series[0].Name, in.Series[1].Name})
			type key struct{ series, x string }
			got := map[key]node{}
			for _, m := range root.marks() {
				got[key{m.get("data-series"), m.get("data-x")}] = m
			}
			want := 0
			for _, s := range in.Series {
				for i, x := range in.X {
					v := s.Values[i]
					m, ok := got[key{s.Name, x}]
					if math.IsNaN(v) {
						if ok {
							t.Errorf("%s / %s: a point for NaN", s.Name, x)
						}
						if cell := c.Table.Rows[i][1+slices.IndexFunc(in.Series, func(u Series) bool { return u.Name == s.Name })]; cell != "–" {
							t.Errorf("%s / %s: table cell %q for NaN, want –", s.Name, x, cell)
						}
						continue
					}
					want++
					if !ok {
						t.Errorf("%s / %s: no point", s.Name, x)
						continue
					}
					if got := m.num(t, "data-value"); got != v {
						t.Errorf("%s / %s: data-value %v, want %v", s.Name, x, got, v)
					}
				}
			}
			if len(got) != want {
				t.Errorf("%d points, want %d", len(got), want)
			}
			// One linear scale: y falls as the value rises, at one rate; x
			// steps evenly.
			pts := root.marks()
			x0, y0 := center(t, pts[0])
			v0 := pts[0].num(t, "data-value")
			var rate float64
			for _, p := range pts[1:] {
				_, y := center(t, p)
				v := p.num(t, "data-value")
				if v == v0 {
					continue
				}
				r := (y - y0) / (v - v0)
				if r >= 0 {
					t.Fatalf("y grows with the value (%v for %v, %v for %v)", y0, v0, y, v)
				}
				if rate == 0 {
					rate = r
				} else if math.Abs(r-rate)*math.Abs(v-v0) > 0.03 {
					t.Errorf("%s / %s: y=%v off the scale", p.get("data-series"), p.get("data-x"), y)
				}
			}
			step := 0.0
			for i, x := range in.X[1:] {
				px, _ := center(t, got[key{in.Series[0].Name, x}])
				if i == 0 {
					step = px - x0
				} else if d := px - x0 - float64(i+1)*step; math.Abs(d) > 0.03*float64(i+1) {
					t.Errorf("%s at x=%v, want %v", x, px, x0+float64(i+1)*step)
				}
			}
			// The gap: the dashed series' path restarts after the NaN.
			for _, g := range root.find(func(n node) bool { return n.hasClass("series") }) {
				d := g.Nodes[0].get("d")
				want := 1
				if g.get("data-series") == in.Series[1].Name {
					want = 2
				}
				if n := strings.Count(d, "M"); n != want {
					t.Errorf("series %s: path has %d pieces, want %d", g.get("data-series"), n, want)
				}
			}
		})
	}
}

func TestLinesDense(t *testing.T) {
	in := LineChart{Title: "t", YMax: 100}
	var v []float64
	for d := range 90 {
		in.X = append(in.X, strconv.Itoa(d))
		v = append(v, float64(d))
	}
	in.Series = []Series{{"s", v}}
	root := parse(t, Lines(in), "t", "")
	marks := root.marks()
	if len(marks) != 90 {
		t.Fatalf("%d points, want 90: every point keeps its data", len(marks))
	}
	for i, m := range marks {
		hidden := m.get("fill-opacity") == "0"
		if want := i != 89; hidden != want {
			t.Errorf("point %d hidden = %v, want %v (only the last shows)", i, hidden, want)
		}
	}
	// The x labels fit: fewer than the points, the last among them.
	var labels []string
	for _, n := range root.find(func(n node) bool { return n.XMLName.Local == "text" }) {
		labels = append(labels, n.text())
	}
	if !slices.Contains(labels, "89") || slices.Contains(labels, "88") {
		t.Errorf("x labels %q: want the last and not its neighbour", labels)
	}
}

// A line chart's marks are labelled horizontal lines on the values'
// scale: the axis reaches a mark above every value.
func TestLinesMarks(t *testing.T) {
	in := LineChart{Title: "t", X: []string{"1", "2", "3"}, Series: []Series{{"s", []float64{0, 5, 10}}},
		Marks: []Mark{{Value: 40, Label: "应提交 40"}}}
	root := parse(t, Lines(in), "t", "")
	refs := root.find(func(n node) bool { return n.hasClass("ref") })
	if len(refs) != 1 || refs[0].num(t, "data-value") != 40 || refs[0].get("data-label") != "应提交 40" ||
		!strings.Contains(refs[0].text(), "应提交 40") {
		t.Fatalf("marks %v, want one at 40 with its label", refs)
	}
	line := refs[0].find(func(n node) bool { return n.XMLName.Local == "line" })[0]
	pts := root.marks()
	_, y0 := center(t, pts[0])
	_, y10 := center(t, pts[2])
	if y := line.num(t, "y1"); math.Abs((y0-y)-4*(y0-y10)) > 0.05 || line.num(t, "y2") != y {
		t.Errorf("the mark at y=%v, want %v (four times the height of 10)", y, y0-4*(y0-y10))
	}
}

// TestEscaping passes hostile labels everywhere a caller's text goes and
// checks the SVG and the table keep them as text.
func TestEscaping(t *testing.T) {
	const evil = `<script>alert("x")</script> "&' </text>`
	const bad = "a\x00b\x1bc\xff"
	charts := map[string]Chart{
		"bars": Bars(BarChart{ID: evil, Title: evil, Desc: evil, Categories: []string{evil, bad}, CategoryLabel: evil,
			ValueLabel: evil, Series: []Series{{evil, []float64{1, 2}}, {bad, []float64{3, 4}}}}),
		"histogram": Histogram(HistogramChart{ID: evil, Title: evil, Desc: evil, Values: []float64{1, 2, 3}, Min: 0, Max: 10, Width: 1,
			XLabel: evil, YLabel: evil, Marks: []Mark{{5, evil}}}),
		"radar": Radar(RadarChart{ID: evil, Title: evil, Desc: evil, Axes: []string{evil, bad, "c"}, Max: []float64{1, 1, 1},
			Series: []Series{{evil, []float64{0.5, 0.5, 0.5}}}}),
		"dotplot": DotPlot(DotPlotChart{ID: evil, Title: evil, Desc: evil, Rows: []DotRow{{evil, 1, 0, 2}, {bad, -1, -2, 0}},
			ZeroLabel: evil, XLabel: evil, FlagLabel: evil}),
		"lines": Lines(LineChart{ID: evil, Title: evil, Desc: evil, X: []string{evil, bad}, XLabel: evil, YLabel: evil,
			Series: []Series{{evil, []float64{1, 2}}, {bad, []float64{2, 1}}}}),
		"empty": Histogram(HistogramChart{ID: evil, Title: evil, Desc: evil, EmptyText: evil}),
	}
	for name, c := range charts {
		t.Run(name, func(t *testing.T) {
			root := parse(t, c, evil, evil)
			if strings.Contains(string(c.SVG), "<script") || strings.Contains(string(c.SVG), `"x"`) {
				t.Errorf("raw label in the SVG:\n%s", c.SVG)
			}
			if strings.ContainsAny(c.ID, `<>"&' `) {
				t.Errorf("id %q is not cleaned", c.ID)
			}
			// Every text and data attribute that shows the label shows it
			// whole, or cut with an ellipsis and whole in its title.
			found := 0
			root.walk(func(n node) {
				for _, a := range n.Attrs {
					if strings.HasPrefix(a.Name.Local, "data-") && strings.Contains(a.Value, "script") {
						found++
						if a.Value != evil {
							t.Errorf("%s=%q, want %q", a.Name.Local, a.Value, evil)
						}
					}
				}
				if n.XMLName.Local == "text" && strings.Contains(n.text(), "<scr") {
					found++
				}
			})
			if found == 0 {
				t.Errorf("the label is nowhere in the chart")
			}
			if strings.Contains(string(c.SVG), "\x00") || strings.Contains(string(c.SVG), "\x1b") {
				t.Errorf("control characters in the SVG")
			}
			var tb node
			if err := xml.Unmarshal([]byte(c.Table.HTML()), &tb); err != nil {
				t.Fatalf("table HTML is not well-formed: %v\n%s", err, c.Table.HTML())
			}
			if strings.Contains(string(c.Table.HTML()), "<script") {
				t.Errorf("raw label in the table:\n%s", c.Table.HTML())
			}
			if caption := tb.Nodes[0]; caption.XMLName.Local != "caption" || caption.Text != evil {
				t.Errorf("caption = <%s>%q, want %q", caption.XMLName.Local, caption.Text, evil)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	charts := map[string]Chart{
		"bars no categories": Bars(BarChart{Title: "T", Desc: "D", EmptyText: "暂无数据", Series: []Series{{"a", nil}}}),
		"bars all zero":      Bars(BarChart{Title: "T", Desc: "D", EmptyText: "暂无数据", Categories: []string{"x"}, Series: []Series{{"a", []float64{0}}}}),
		"histogram":          Histogram(HistogramChart{Title: "T", Desc: "D", EmptyText: "暂无数据", Min: 0, Max: 100, Width: 5}),
		"histogram outside":  Histogram(HistogramChart{Title: "T", Desc: "D", EmptyText: "暂无数据", Values: []float64{120}, Min: 0, Max: 100, Width: 5}),
		"radar":              Radar(RadarChart{Title: "T", Desc: "D", EmptyText: "暂无数据", Axes: []string{"a"}}),
		"dotplot":            DotPlot(DotPlotChart{Title: "T", Desc: "D", EmptyText: "暂无数据"}),
		"lines":              Lines(LineChart{Title: "T", Desc: "D", EmptyText: "暂无数据", X: []string{"1"}, Series: []Series{{"a", []float64{math.NaN()}}}}),
	}
	for name, c := range charts {
		t.Run(name, func(t *testing.T) {
			root := parse(t, c, "T", "D")
			if n := len(root.marks()); n != 0 {
				t.Errorf("%d marks in an empty chart", n)
			}
			texts := root.find(func(n node) bool { return n.hasClass("empty") })
			if len(texts) != 1 || texts[0].text() != "暂无数据" {
				t.Errorf("empty text = %v, want one 暂无数据", texts)
			}
			if c.Table.Empty != "暂无数据" || len(c.Table.Rows) != 0 || c.Table.Caption != "T" {
				t.Errorf("table = %+v, want caption T, no rows, Empty 暂无数据", c.Table)
			}
			if !strings.Contains(string(c.Table.HTML()), "暂无数据") {
				t.Errorf("table HTML does not say there is no data: %s", c.Table.HTML())
			}
		})
	}
}

// TestLegend checks that charts of several series name each in a legend,
// in order, and that a single series has none.
func TestLegend(t *testing.T) {
	for _, lang := range langs() {
		for _, e := range examples(lang) {
			t.Run(e.name+"_"+lang, func(t *testing.T) {
				c := e.draw()
				root := parse(t, c, titleOf(t, c), descOf(t, c))
				var names []string
				for _, g := range root.find(func(n node) bool { return n.hasClass("legend") }) {
					for _, txt := range g.find(func(n node) bool { return n.XMLName.Local == "text" }) {
						names = append(names, txt.text())
					}
				}
				var want []string
				switch e.name {
				case "bars":
					for _, s := range barsExample(lang).Series {
						want = append(want, s.Name)
					}
				case "radar":
					for _, s := range radarExample(lang).Series {
						want = append(want, s.Name)
					}
				case "lines":
					for _, s := range linesExample(lang).Series {
						want = append(want, s.Name)
					}
				case "dotplot":
					want = []string{dotPlotExample(lang).FlagLabel}
				}
				if diff := cmp.Diff(want, names); diff != "" {
					t.Errorf("legend (-want +got):\n%s", diff)
				}
			})
		}
	}
	one := Bars(BarChart{Title: "t", Categories: []string{"a", "b"}, Series: []Series{{"only", []float64{1, 2}}}})
	if strings.Contains(string(one.SVG), `class="legend"`) {
		t.Errorf("a single series has a legend")
	}
}

// titleOf and descOf read back a chart's title and description, for tests
// that go over the examples without their inputs.
func titleOf(t *testing.T, c Chart) string { return elementText(t, c, "title") }
func descOf(t *testing.T, c Chart) string  { return elementText(t, c, "desc") }

func elementText(t *testing.T, c Chart, name string) string {
	t.Helper()
	var root node
	if err := xml.Unmarshal([]byte(c.SVG), &root); err != nil {
		t.Fatal(err)
	}
	for _, n := range root.Nodes {
		if n.XMLName.Local == name {
			return n.Text
		}
	}
	return ""
}

// TestPageOfCharts puts the examples of both languages and two copies of a
// patterned chart in one page: the ids stay unique across all of them.
func TestPageOfCharts(t *testing.T) {
	var page strings.Builder
	page.WriteString(`<div>`)
	for _, lang := range langs() {
		for _, e := range examples(lang) {
			page.WriteString(string(e.draw().SVG))
		}
	}
	for _, id := range []string{"bands-a", "bands-b"} {
		in := barsExample("zh")
		in.ID = id
		page.WriteString(string(Bars(in).SVG))
	}
	page.WriteString(`</div>`)
	var root node
	if err := xml.Unmarshal([]byte(page.String()), &root); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	root.walk(func(n node) {
		if id, ok := n.attr("id"); ok {
			if seen[id] {
				t.Errorf("id %q twice in the page", id)
			}
			seen[id] = true
		}
	})
	if len(seen) < 12 {
		t.Errorf("%d ids in the page, want at least the 12 charts'", len(seen))
	}
}

// TestDeterministic renders each example twice: the same bytes.
func TestDeterministic(t *testing.T) {
	for _, lang := range langs() {
		for _, e := range examples(lang) {
			a, b := e.draw(), e.draw()
			if a.SVG != b.SVG {
				t.Errorf("%s %s: two renders differ", e.name, lang)
			}
		}
	}
}

// TestGolden compares each example with testdata/<chart>_<lang>.svg; run
// with -update to rewrite them after a deliberate change, and look at them.
func TestGolden(t *testing.T) {
	for _, lang := range langs() {
		for _, e := range examples(lang) {
			t.Run(e.name+"_"+lang, func(t *testing.T) {
				got := []byte(e.draw().SVG + "\n")
				path := filepath.Join("testdata", e.name+"_"+lang+".svg")
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from the drawing; if the change is meant, run go test -update and look at it", path)
				}
			})
		}
	}
}

func TestNiceTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 100, 5, []float64{0, 20, 40, 60, 80, 100}},
		{0, 100, 11, []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}},
		{0, 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 7, 5, []float64{0, 2, 4, 6, 8}},
		{0, 37, 5, []float64{0, 10, 20, 30, 40}},
		{0, 0.3, 4, []float64{0, 0.1, 0.2, 0.3}},
		{-2.3, 3.1, 5, []float64{-4, -2, 0, 2, 4}},
		{-2.3, 3.1, 8, []float64{-3, -2, -1, 0, 1, 2, 3, 4}},
		{61.5, 94, 6, []float64{60, 70, 80, 90, 100}},
		{1200, 4870, 5, []float64{1000, 2000, 3000, 4000, 5000}},
		{3.1, -2.3, 5, []float64{-4, -2, 0, 2, 4}}, // reversed
		{5, 5, 5, []float64{4.5, 5, 5.5}},
		{0, 0, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{-1, -1, 3, []float64{-1.1, -1, -0.9}},
		{math.NaN(), 1, 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, math.Inf(1), 5, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 100, 1, []float64{0, 100}},
	}
	for _, tt := range tests {
		got := niceTicks(tt.lo, tt.hi, tt.n)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("niceTicks(%v, %v, %d) (-want +got):\n%s", tt.lo, tt.hi, tt.n, diff)
		}
	}
}

func TestCountTicks(t *testing.T) {
	tests := []struct {
		hi   float64
		want []float64
	}{
		{0, []float64{0, 1}},
		{1, []float64{0, 1}},
		{3, []float64{0, 1, 2, 3}},
		{7, []float64{0, 2, 4, 6, 8}},
		{23, []float64{0, 5, 10, 15, 20, 25}},
		{180, []float64{0, 50, 100, 150, 200}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, countTicks(tt.hi, 5)); diff != "" {
			t.Errorf("countTicks(%v) (-want +got):\n%s", tt.hi, diff)
		}
	}
}

func TestNum(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {12, "12"}, {85.25, "85.3"}, {85.24, "85.2"}, {3.456, "3.46"}, {-1.2, "-1.2"},
		{-0.001, "0"}, {100, "100"}, {1e6, "1000000"}, {math.NaN(), "–"}, {math.Inf(-1), "–"},
	}
	for _, tt := range tests {
		if got := num(tt.in); got != tt.want {
			t.Errorf("num(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := drawn(-1.5); got != "−1.5" {
		t.Errorf("drawn(-1.5) = %q, want a typographic minus", got)
	}
}

// TestAppendExact checks the fast path of the data values against
// strconv over short decimals, awkward floats and the edges.
func TestAppendExact(t *testing.T) {
	values := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.29, 0.3, 1.005, 85.25, -3.14, 99.99, 100,
		1e-7, 123456789.12, 1 << 52, 1 << 53, 1<<53 + 2, 1e300, -1e-300, math.NaN(), math.Inf(1), math.Inf(-1),
		0.1 + 0.2, 1.0 / 3, 2.0 / 3 * 100, math.Nextafter(0.29, 1), math.Nextafter(0.29, 0),
		999999999999.99, 1e12, 1e12 + 0.01, 70368744177664.01, 90071992547409.91, -12345678901.23}
	r := rng(5)
	for range 20000 {
		values = append(values,
			math.Round((r.float()*400-200)*100)/100, // short decimals
			math.Round(r.float()*200)/2,             // halves
			(r.float()-0.5)*1e6,                     // anything
			r.float()/(r.float()+1e-9)*100,          // shares
		)
	}
	for _, v := range values {
		want := strconv.FormatFloat(v, 'f', -1, 64)
		if got := string(appendExact(nil, v)); got != want {
			t.Fatalf("appendExact(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestAppendCoord(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {-0.004, "0"}, {1, "1"}, {1.5, "1.5"}, {1.05, "1.05"}, {1.005, "1"} /* 1.00499… in binary */, {-2.25, "-2.25"},
		{559.999, "560"}, {0.1, "0.1"}, {math.NaN(), "0"},
	}
	for _, tt := range tests {
		if got := string(appendCoord(nil, tt.in)); got != tt.want {
			t.Errorf("appendCoord(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in      string
		maxW    float64
		want    string
		wantCut bool
	}{
		{"短", 100, "短", false},
		{"一二三四五六七八九十", 60, "一二三四…", true},
		{"Natural Science Fund", 60, "Natural…", true},
		{"abc def", 1000, "abc def", false},
		{"abcd efgh", 40, "abcd…", true}, // no space before the ellipsis
	}
	for _, tt := range tests {
		got, cut := truncate(tt.in, tt.maxW, 12)
		if got != tt.want || cut != tt.wantCut {
			t.Errorf("truncate(%q, %v) = %q, %v; want %q, %v", tt.in, tt.maxW, got, cut, tt.want, tt.wantCut)
		}
		if textWidth(got, 12) > tt.maxW && tt.wantCut {
			t.Errorf("truncate(%q, %v) = %q, %v wide", tt.in, tt.maxW, got, textWidth(got, 12))
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in      string
		maxW    float64
		want    []string
		wantCut bool
	}{
		{"短标签", 100, []string{"短标签"}, false},
		{"科技成果转化与产业化示范项目", 100, []string{"科技成果转化与", "产业化示范项目"}, false},
		{"Technology transfer and industrial demonstration", 150, []string{"Technology transfer and", "industrial demonstration"}, false},
		// Never just after an opening bracket or before a closing one: the
		// evenest allowed break leaves the second line too long.
		{"甲乙（丙）丁戊", 48, []string{"甲乙", "（丙）…"}, true},
		{"一二三四五六七八九十一二三四五六七八九十", 60, []string{"一二三四五", "六七八九…"}, true},
		{"Supercalifragilisticexpialidocious", 60, []string{"Supercal…"}, true},
	}
	for _, tt := range tests {
		got, cut := wrap(tt.in, tt.maxW, 12)
		if !cmp.Equal(got, tt.want) || cut != tt.wantCut {
			t.Errorf("wrap(%q, %v) = %q, %v; want %q, %v", tt.in, tt.maxW, got, cut, tt.want, tt.wantCut)
		}
		for _, l := range got {
			if textWidth(l, 12) > tt.maxW {
				t.Errorf("wrap(%q, %v): line %q is %v wide", tt.in, tt.maxW, l, textWidth(l, 12))
			}
		}
	}
}

func TestChartID(t *testing.T) {
	if got := chartID("bars", "bands-zh", "x"); got != "bands-zh" {
		t.Errorf("chartID kept %q, want bands-zh", got)
	}
	if got := chartID("bars", `a b"c`, "x"); got != "a-b-c" {
		t.Errorf("chartID cleaned to %q, want a-b-c", got)
	}
	a, b := chartID("bars", "", "Bands"), chartID("bars", "", "Scores")
	if a == b || a != chartID("bars", "", "Bands") || !strings.HasPrefix(a, "chart-bars-") {
		t.Errorf("derived ids %q and %q: want distinct, stable, prefixed", a, b)
	}
	if got := chartID("bars", "1st", "x"); got[0] < 'a' || got[0] > 'z' {
		t.Errorf("id %q does not start with a letter", got)
	}
}

func TestTableHTML(t *testing.T) {
	tb := Table{Caption: "分布", Header: []string{"类别", "优秀"}, Numeric: []bool{false, true},
		Rows: [][]string{{"A & B", "3 (30%)"}}}
	want := `<table class="chart-table"><caption>分布</caption><thead><tr><th scope="col">类别</th>` +
		`<th scope="col" class="num">优秀</th></tr></thead><tbody><tr><th scope="row">A &amp; B</th>` +
		`<td class="num">3 (30%)</td></tr></tbody></table>`
	if got := string(tb.HTML()); got != want {
		t.Errorf("HTML =\n%s\nwant\n%s", got, want)
	}
}

func TestTableHTMLEmpty(t *testing.T) {
	tb := Table{Caption: "c", Header: []string{"a", "b"}, Empty: "暂无数据 <无>"}
	got := string(tb.HTML())
	if !strings.Contains(got, `<tbody><tr><td colspan="2">暂无数据 &lt;无&gt;</td></tr></tbody>`) {
		t.Errorf("HTML = %s, want one row spanning both columns with the escaped text", got)
	}
}

// bench runs draw in a benchmark loop and reports, besides the wall time,
// the CPU time per chart (cpu-ns/op), which a busy machine inflates less.
func bench(b *testing.B, draw func() Chart) {
	b.Helper()
	b.ReportAllocs()
	start := cpuTime()
	var size int
	for b.Loop() {
		size = len(draw().SVG)
	}
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used)/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(size), "svg-bytes")
}

func BenchmarkBars(b *testing.B) {
	in := barsExample("zh")
	for range 2 { // 20 classes, more than a campaign has
		in.Categories = append(in.Categories, in.Categories...)
		for i := range in.Series {
			in.Series[i].Values = append(in.Series[i].Values, in.Series[i].Values...)
		}
	}
	bench(b, func() Chart { return Bars(in) })
}

func BenchmarkHistogram(b *testing.B) {
	in := histogramExample("zh")
	in.Values = scores(5000, 1)
	bench(b, func() Chart { return Histogram(in) })
}

func BenchmarkRadar(b *testing.B) {
	in := radarExample("zh")
	bench(b, func() Chart { return Radar(in) })
}

func BenchmarkDotPlot(b *testing.B) {
	in := dotPlotExample("zh")
	in.Rows = leniency(200, 5)
	for i := range in.Rows {
		in.Rows[i].Label = namesZH[i%len(namesZH)]
	}
	bench(b, func() Chart { return DotPlot(in) })
}

func BenchmarkLines(b *testing.B) {
	in := linesExample("zh") // three weeks, two series
	bench(b, func() Chart { return Lines(in) })
}

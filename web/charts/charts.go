// Package charts draws small static charts as inline SVG on the server: bars
// (the band distribution by class), a histogram (panel scores), a radar
// (a project's indicator means against its class), a dot plot with intervals
// (expert leniency) and lines (campaign progress over time).
//
// The package knows nothing of evaluation or of languages: the caller passes
// plain numbers and labels already translated, and gets back the SVG and a
// Table holding the same figures, which the page renders as the accessible
// alternative (the SVG is one role="img" to a screen reader).
//
// The SVG is self-contained and safe to inline under the app's Content
// Security Policy (style-src 'self'): presentation attributes only, no style
// element or attribute, no script, no external reference, no foreignObject.
// It scales with its container (a viewBox, width 100%); svg.chart in app.css
// caps its width so the text keeps the size of the page's. Greys and blues
// follow app.css; series differ in lightness, pattern, dash and marker shape
// as well as hue, so the charts read in greyscale print.
//
// Every data mark carries class="mark" and data-* attributes holding the
// exact input values (strconv 'f', -1), so tests can check the figures
// without reading geometry. Output is deterministic.
package charts

import (
	"hash/fnv"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chart is a drawn chart: the SVG to inline in the page and the same data as
// a table for screen readers and for readers who prefer figures.
type Chart struct {
	// ID is the id of the svg element; its title and desc are ID+"-title"
	// and ID+"-desc".
	ID string
	// SVG is the svg element, escaped and safe to emit as is.
	SVG template.HTML
	// Table holds the figures drawn, formatted.
	Table Table
}

// Table is the accessible alternative of a chart: a caption, one header row
// and rows of formatted cells; the first cell of each row names it.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	// Numeric[i] reports whether column i holds numbers (right-aligned).
	Numeric []bool
	// Empty is the text shown instead of rows when there are none.
	Empty string
}

// Series is one named set of values, in the order of the chart's categories
// (bars), axes (radar) or x positions (lines). A missing or NaN value is no
// data.
type Series struct {
	Name   string
	Values []float64
}

// Mark is a labelled reference value drawn across a chart, such as the pass
// line of a score histogram.
type Mark struct {
	Value float64
	Label string
}

// HTML renders the table as an HTML table of class "chart-table", the first
// column as row headers. The page decides where it goes: in a
// <details> "view as table", or in an element of class "sr-only".
func (t Table) HTML() template.HTML {
	var b strings.Builder
	b.WriteString(`<table class="chart-table">`)
	if t.Caption != "" {
		b.WriteString(`<caption>`)
		escape(&b, t.Caption)
		b.WriteString(`</caption>`)
	}
	numeric := func(i int) bool { return i < len(t.Numeric) && t.Numeric[i] }
	b.WriteString(`<thead><tr>`)
	for i, h := range t.Header {
		b.WriteString(`<th scope="col"`)
		if numeric(i) {
			b.WriteString(` class="num"`)
		}
		b.WriteString(`>`)
		escape(&b, h)
		b.WriteString(`</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	if len(t.Rows) == 0 && t.Empty != "" {
		b.WriteString(`<tr><td colspan="`)
		b.WriteString(strconv.Itoa(max(1, len(t.Header))))
		b.WriteString(`">`)
		escape(&b, t.Empty)
		b.WriteString(`</td></tr>`)
	}
	for _, row := range t.Rows {
		b.WriteString(`<tr>`)
		for i, c := range row {
			switch {
			case i == 0:
				b.WriteString(`<th scope="row">`)
			case numeric(i):
				b.WriteString(`<td class="num">`)
			default:
				b.WriteString(`<td>`)
			}
			escape(&b, c)
			if i == 0 {
				b.WriteString(`</th>`)
			} else {
				b.WriteString(`</td>`)
			}
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String())
}

// Geometry and ink shared by the charts. The viewBox is viewW wide; at the
// width svg.chart allows (about 1.35 times) the 12-unit labels match the
// page's 15px text.
const (
	viewW    = 560.0
	pad      = 12.0
	fontSize = 12.0
	tickSize = 11.0

	fontStack = `-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', ` +
		`'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif`

	inkText  = "#1f2933" // --text
	inkMuted = "#616e7c" // --muted
	inkGrid  = "#e4e7eb" // --line
	inkAxis  = "#9aa5b1"
	inkBlue  = "#1d5fa8" // --primary
	inkBars  = "#4a7fc1" // histogram bins: the primary, lighter over a large area
)

// pattern is the texture laid over a fill so that neighbouring fills of
// similar lightness stay apart in greyscale.
type pattern int

const (
	plain pattern = iota
	hatch
	dots
	cross
)

// fillStyle is the ink of an area series (bars, legend swatches).
type fillStyle struct {
	color   string
	pattern pattern
}

// categorical fills alternate dark and light, with patterns from the third
// on, so any two neighbours differ in greyscale.
var categorical = []fillStyle{
	{"#1d5fa8", plain},
	{"#9bbde6", plain},
	{"#c98a1b", hatch},
	{"#52606d", dots},
	{"#8cc49f", cross},
	{"#cbd2d9", plain},
	{"#2f7d4f", hatch},
	{"#b42318", dots},
}

// ordinal fills run from green (best) through pale to red (worst); the
// worst is hatched so that it never reads as the dark green in greyscale.
var ordinal = map[int][]fillStyle{
	2: {{"#2f7d4f", plain}, {"#b42318", hatch}},
	3: {{"#2f7d4f", plain}, {"#f0d48a", plain}, {"#b42318", hatch}},
	4: {{"#2f7d4f", plain}, {"#8cc49f", plain}, {"#f0d48a", plain}, {"#b42318", hatch}},
	5: {{"#2f7d4f", plain}, {"#8cc49f", plain}, {"#f0d48a", plain}, {"#e8998a", plain}, {"#b42318", hatch}},
}

// fills returns the fill of each of n series.
func fills(n int, ordered bool) []fillStyle {
	if f, ok := ordinal[n]; ordered && ok {
		return f
	}
	out := make([]fillStyle, n)
	for i := range out {
		out[i] = categorical[i%len(categorical)]
	}
	return out
}

// marker is the shape of a line or radar series' points.
type marker int

const (
	circle marker = iota
	square
	triangle
	diamond
)

// strokeStyle is the ink of a line series: colour, dash and marker differ
// together, so series stay apart without colour.
type strokeStyle struct {
	color  string
	dash   string
	marker marker
}

var strokes = []strokeStyle{
	{"#1d5fa8", "", circle},
	{"#52606d", "6 4", square},
	{"#b7791f", "2 3", triangle},
	{"#2f7d4f", "9 3 2 3", diamond},
	{"#7a5195", "4 2", circle},
}

func stroke(i int) strokeStyle { return strokes[i%len(strokes)] }

// luminance is the relative lightness (0–1) of a #rrggbb colour, to pick a
// readable label ink over it.
func luminance(hex string) float64 {
	if len(hex) != 7 {
		return 1
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 1
	}
	r, g, b := float64(v>>16&0xff), float64(v>>8&0xff), float64(v&0xff)
	return (0.2126*r + 0.7152*g + 0.0722*b) / 255
}

// writer builds one SVG document. Every string that comes from the caller
// goes through escape (text, attr, label); numbers through appendCoord
// (geometry, rounded to 0.01), appendExact (data attributes) or appendNum
// (figures shown).
type writer struct {
	b   strings.Builder
	id  string
	buf []byte
}

// chartID is the id the caller gave, reduced to characters safe in an id and
// in url(#…), or one derived from the kind and title, stable across renders.
func chartID(kind, id, title string) string {
	var b strings.Builder
	for _, r := range id {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 || !unicode.IsLetter(rune(b.String()[0])) {
		h := fnv.New32a()
		h.Write([]byte(kind + "\x00" + title + "\x00" + id))
		return "chart-" + kind + "-" + strconv.FormatUint(uint64(h.Sum32()), 36)
	}
	return b.String()
}

// begin opens the svg element of a chart viewW × h units, with its title
// and description; marks, the number of data marks, sizes the buffer once.
func begin(kind, id, title, desc string, h float64, marks int) *writer {
	w := &writer{id: chartID(kind, id, title), buf: make([]byte, 0, 32)}
	w.b.Grow(4096 + 448*marks)
	w.s(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-`)
	w.s(kind)
	w.s(`"`)
	w.attr("id", w.id)
	w.s(` viewBox="0 0 `)
	w.coord(viewW)
	w.s(` `)
	w.coord(h)
	w.s(`" width="100%" role="img" aria-labelledby="`)
	w.s(w.id, "-title")
	if desc != "" {
		w.s(" ", w.id, "-desc")
	}
	w.s(`" data-chart="`)
	w.s(kind)
	w.s(`" font-family="`)
	w.s(fontStack)
	w.s(`" font-size="12" fill="`, inkText, `"><title id="`, w.id, `-title">`)
	w.text(title)
	w.s(`</title>`)
	if desc != "" {
		w.s(`<desc id="`, w.id, `-desc">`)
		w.text(desc)
		w.s(`</desc>`)
	}
	return w
}

// end closes the svg element and returns the chart.
func (w *writer) end(t Table) Chart {
	w.s(`</svg>`)
	return Chart{ID: w.id, SVG: template.HTML(w.b.String()), Table: t}
}

// emptyChart is the chart of no data: a short frame with the caller's text.
func emptyChart(kind, id, title, desc, text string, t Table) Chart {
	const h = 96.0
	w := begin(kind, id, title, desc, h, 0)
	w.s(`<rect x="0.5" y="0.5" width="559" height="95" rx="6" fill="#fafbfc" stroke="`, inkGrid, `"/>`)
	w.s(`<text class="empty" x="280" y="52.5" text-anchor="middle" font-size="13" fill="`, inkMuted, `">`)
	w.text(text)
	w.s(`</text>`)
	t.Empty = text
	t.Rows = nil
	return w.end(t)
}

// s writes trusted markup, the pieces in turn (rather than concatenated,
// which would allocate for every mark).
func (w *writer) s(pieces ...string) {
	for _, p := range pieces {
		w.b.WriteString(p)
	}
}

// num writes v formatted for display (see num).
func (w *writer) num(v float64) {
	w.buf = appendNum(w.buf[:0], v)
	w.b.Write(w.buf)
}

// text writes caller text, escaped for XML content and attributes.
func (w *writer) text(str string) { escape(&w.b, str) }

// attr writes ` name="value"` with value escaped.
func (w *writer) attr(name, value string) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	escape(&w.b, value)
	w.b.WriteByte('"')
}

// coord writes a coordinate rounded to 0.01 unit.
func (w *writer) coord(v float64) {
	w.buf = appendCoord(w.buf[:0], v)
	w.b.Write(w.buf)
}

// attrc writes ` name="coordinate"`.
func (w *writer) attrc(name string, v float64) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	w.coord(v)
	w.b.WriteByte('"')
}

// attrx writes ` name="value"` with the value exact, for data attributes.
func (w *writer) attrx(name string, v float64) {
	w.b.WriteByte(' ')
	w.b.WriteString(name)
	w.b.WriteString(`="`)
	w.buf = appendExact(w.buf[:0], v)
	w.b.Write(w.buf)
	w.b.WriteByte('"')
}

// pt writes "x,y" for points and paths.
func (w *writer) pt(x, y float64) {
	w.coord(x)
	w.b.WriteByte(',')
	w.coord(y)
}

// appendCoord appends v rounded to hundredths, without trailing zeros.
func appendCoord(dst []byte, v float64) []byte {
	h := math.Round(v * 100)
	if h == 0 || !finite(h) || math.Abs(h) > 1e15 {
		return append(dst, '0')
	}
	return appendFixed(dst, int64(h), 2)
}

// appendExact appends v as strconv.FormatFloat(v, 'f', -1, 64) does, the
// shortest decimal that reads back as v. Data values are mostly short
// decimals (scores in halves, counts, rounded means): those are written
// from their integer number of hundredths, several times faster – and a
// chart is mostly numbers. When v is the double nearest n/100 and |v| <
// 10^12, that decimal (trailing zeros trimmed) is the shortest reading back
// as v: any shorter one has at most two places too, so lies 0.01 or more
// from it, while doubles that large are 0.0002 apart at most.
func appendExact(dst []byte, v float64) []byte {
	h := math.Round(v * 100)
	if v == 0 || !finite(h) || math.Abs(h) >= 1e14 || float64(int64(h))/100 != v {
		return strconv.AppendFloat(dst, v, 'f', -1, 64)
	}
	return appendFixed(dst, int64(h), 2)
}

// appendFixed appends n / 10^places in decimal, trailing zeros trimmed.
func appendFixed(dst []byte, n int64, places int) []byte {
	if n < 0 {
		dst = append(dst, '-')
		n = -n
	}
	div := int64(1)
	for range places {
		div *= 10
	}
	dst = strconv.AppendInt(dst, n/div, 10)
	frac := n % div
	if frac == 0 {
		return dst
	}
	dst = append(dst, '.')
	for div /= 10; frac != 0; div /= 10 {
		dst = append(dst, byte('0'+frac/div))
		frac %= div
	}
	return dst
}

// line draws a line; dash may be empty.
func (w *writer) line(x1, y1, x2, y2 float64, ink string, width float64, dash string) {
	w.s(`<line`)
	w.attrc("x1", x1)
	w.attrc("y1", y1)
	w.attrc("x2", x2)
	w.attrc("y2", y2)
	w.s(` stroke="`, ink, `"`)
	if width != 1 {
		w.attrc("stroke-width", width)
	}
	if dash != "" {
		w.s(` stroke-dasharray="`, dash, `"`)
	}
	w.s(`/>`)
}

// label draws caller text at (x, y), cut with an ellipsis to maxW units if
// longer (maxW ≤ 0: never cut); a cut label keeps the full text in a title
// child, shown on hover. extra is written into the element as is.
func (w *writer) label(x, y float64, str, anchor string, size float64, ink string, maxW float64, extra string) {
	shown, cut := str, false
	if maxW > 0 {
		shown, cut = truncate(str, maxW, size)
	}
	w.openText(x, y, anchor, size, ink, extra)
	if cut {
		w.tooltip(str)
	}
	w.text(shown)
	w.s(`</text>`)
}

// labelLines draws caller text at x in up to two lines of maxW units,
// split where the lines come out most even (wrap); text still too long is
// cut with an ellipsis, keeping the full text in a title child. y is the
// first baseline (valign "top"), the last ("bottom"), or the middle of the
// text ("middle").
func (w *writer) labelLines(x, y float64, valign, str, anchor string, size float64, ink string, maxW float64, extra string) {
	lines, cut := wrap(str, maxW, size)
	gap := float64(len(lines)-1) * size * lineHeight
	switch valign {
	case "bottom":
		y -= gap
	case "middle":
		y += size/3 - gap/2
	}
	w.openText(x, y, anchor, size, ink, extra)
	if cut {
		w.tooltip(str)
	}
	w.text(lines[0])
	for _, l := range lines[1:] {
		w.s(`<tspan`)
		w.attrc("x", x)
		w.attrc("dy", size*lineHeight)
		w.s(`>`)
		w.text(l)
		w.s(`</tspan>`)
	}
	w.s(`</text>`)
}

// openText opens a text element, leaving out what it inherits: the start
// anchor, the chart's font size and ink.
func (w *writer) openText(x, y float64, anchor string, size float64, ink, extra string) {
	w.s(`<text`)
	w.attrc("x", x)
	w.attrc("y", y)
	if anchor != "" && anchor != "start" {
		w.s(` text-anchor="`, anchor, `"`)
	}
	if size != fontSize {
		w.attrc("font-size", size)
	}
	if ink != inkText {
		w.s(` fill="`, ink, `"`)
	}
	w.s(extra, `>`)
}

// tooltip writes a title child: the figures of a mark, or a cut label's
// full text, on hover.
func (w *writer) tooltip(str string) {
	w.s(`<title>`)
	w.text(str)
	w.s(`</title>`)
}

// halo is the attributes of a white outline behind text drawn over lines.
const halo = ` stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`

// lineHeight is the distance between the baselines of a wrapped label, in
// ems.
const lineHeight = 1.2

// patterns writes the defs for the fills that need a pattern; fillRef then
// points at them.
func (w *writer) patterns(fs []fillStyle) {
	opened := false
	for i, f := range fs {
		if f.pattern == plain {
			continue
		}
		if !opened {
			w.s(`<defs>`)
			opened = true
		}
		w.s(`<pattern id="`, w.id, `-fill-`, strconv.Itoa(i), `" width="6" height="6" patternUnits="userSpaceOnUse"`)
		if f.pattern != dots {
			w.s(` patternTransform="rotate(45)"`)
		}
		w.s(`><rect width="6" height="6" fill="`, f.color, `"/>`)
		switch f.pattern {
		case hatch:
			w.s(`<path d="M1.5 0V6" stroke="#fff" stroke-width="1.6" stroke-opacity=".55"/>`)
		case cross:
			w.s(`<path d="M1.5 0V6M0 4.5H6" stroke="#fff" stroke-width="1.2" stroke-opacity=".6"/>`)
		case dots:
			w.s(`<circle cx="3" cy="3" r="1.3" fill="#fff" fill-opacity=".6"/>`)
		}
		w.s(`</pattern>`)
	}
	if opened {
		w.s(`</defs>`)
	}
}

// fillRef is the fill attribute value of series i.
func (w *writer) fillRef(fs []fillStyle, i int) string {
	if fs[i].pattern == plain {
		return fs[i].color
	}
	return "url(#" + w.id + "-fill-" + strconv.Itoa(i) + ")"
}

// markerShape draws a series' marker centred on (x, y); attrs, if any,
// writes more attributes (class, data), and tip, if any, the text of its
// tooltip.
func (w *writer) markerShape(m marker, x, y, r float64, fill, ink string, attrs, tip func()) {
	tag := "circle"
	switch m {
	case square:
		tag = "rect"
		w.s(`<rect`)
		w.attrc("x", x-r*0.9)
		w.attrc("y", y-r*0.9)
		w.attrc("width", r*1.8)
		w.attrc("height", r*1.8)
	case triangle, diamond:
		tag = "path"
		w.s(`<path d="M`)
		if m == triangle {
			w.pt(x, y-r*1.15)
			w.s(`L`)
			w.pt(x+r*1.05, y+r*0.75)
			w.s(`L`)
			w.pt(x-r*1.05, y+r*0.75)
		} else {
			w.pt(x, y-r*1.2)
			w.s(`L`)
			w.pt(x+r*1.2, y)
			w.s(`L`)
			w.pt(x, y+r*1.2)
			w.s(`L`)
			w.pt(x-r*1.2, y)
		}
		w.s(`Z"`)
	default:
		w.s(`<circle`)
		w.attrc("cx", x)
		w.attrc("cy", y)
		w.attrc("r", r)
	}
	w.s(` fill="`, fill, `" stroke="`, ink, `" stroke-width="1.5"`)
	if attrs != nil {
		attrs()
	}
	if tip == nil {
		w.s(`/>`)
		return
	}
	w.s(`><title>`)
	tip()
	w.s(`</title></`, tag, `>`)
}

// legendItem is one entry of a legend: a swatch drawn by draw at (x, y) –
// the item's left edge and text baseline – and the series name.
type legendItem struct {
	name string
	draw func(w *writer, x, y float64)
}

const (
	legendRow    = 18.0
	legendSwatch = 22.0 // swatch and gap before the name
)

// legendHeight is the height the items take from x, wrapped into rows
// within the chart's width.
func legendHeight(items []legendItem, x float64) float64 {
	if len(items) == 0 {
		return 0
	}
	rows, at := 1, x
	for _, it := range items {
		iw := legendItemWidth(it, x)
		if at > x && at+iw > viewW-pad {
			rows++
			at = x
		}
		at += iw + 16
	}
	return float64(rows) * legendRow
}

func legendItemWidth(it legendItem, x float64) float64 {
	return legendSwatch + min(textWidth(it.name, fontSize), legendNameW(x))
}

// legendNameW is the widest a name may be, alone on a row from x.
func legendNameW(x float64) float64 { return viewW - pad - x - legendSwatch }

// legend draws the items from x with the first row's top at y, wrapping as
// legendHeight does.
func (w *writer) legend(items []legendItem, x, y float64) {
	if len(items) == 0 {
		return
	}
	w.s(`<g class="legend">`)
	at, base := x, y+13
	for _, it := range items {
		iw := legendItemWidth(it, x)
		if at > x && at+iw > viewW-pad {
			at = x
			base += legendRow
		}
		it.draw(w, at, base)
		w.label(at+legendSwatch, base, it.name, "", fontSize, inkText, legendNameW(x), "")
		at += iw + 16
	}
	w.s(`</g>`)
}

// swatchItem is a legend entry with a filled square.
func swatchItem(w *writer, fs []fillStyle, i int, name string) legendItem {
	ref := w.fillRef(fs, i)
	return legendItem{name, func(w *writer, x, y float64) {
		w.s(`<rect`)
		w.attrc("x", x)
		w.attrc("y", y-10)
		w.s(` width="12" height="12" rx="2" fill="`, ref, `"/>`)
	}}
}

// strokeItem is a legend entry with a short line and the series' marker.
func strokeItem(st strokeStyle, name string) legendItem {
	return legendItem{name, func(w *writer, x, y float64) {
		w.line(x, y-4, x+16, y-4, st.color, 2, st.dash)
		w.markerShape(st.marker, x+8, y-4, 3, "#fff", st.color, nil, nil)
	}}
}

// escape writes s escaped for XML text and attribute values. Characters XML
// does not allow (controls other than tab, newline and return, U+FFFE,
// U+FFFF, invalid UTF-8) become U+FFFD, so any label keeps the document
// well-formed.
func escape(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var rep string
		switch {
		case r == '&':
			rep = "&amp;"
		case r == '<':
			rep = "&lt;"
		case r == '>':
			rep = "&gt;"
		case r == '"':
			rep = "&#34;"
		case r == '\'':
			rep = "&#39;"
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\t' && r != '\n' && r != '\r',
			r == 0xFFFE, r == 0xFFFF:
			rep = "\uFFFD"
		}
		if rep != "" {
			b.WriteString(s[last:i])
			b.WriteString(rep)
			last = i + size
		}
		i += size
	}
	b.WriteString(s[last:])
}

// textWidth estimates the width of s at size: CJK and full-width characters
// are one em, Latin letters and digits about half. Good enough to lay out
// labels and cut long ones; the fonts differ more than this errs.
func textWidth(s string, size float64) float64 {
	var em float64
	for _, r := range s {
		em += runeWidth(r)
	}
	return em * size
}

func runeWidth(r rune) float64 {
	switch {
	case r < 0x80:
		switch {
		case strings.ContainsRune(" .,:;'|!il", r):
			return 0.28
		case strings.ContainsRune("ftrjI()[]-", r):
			return 0.36
		case strings.ContainsRune("mwMW", r):
			return 0.86
		case r >= 'A' && r <= 'Z':
			return 0.66
		case r >= 'a' && r <= 'z':
			return 0.53
		default:
			return 0.57
		}
	case wide(r):
		return 1
	default:
		return 0.6
	}
}

// wide reports whether r takes a full em: CJK ideographs, kana, hangul,
// CJK punctuation and full-width forms, and the ellipsis in CJK fonts.
func wide(r rune) bool {
	return r == '…' || (r >= 0x1100 && r <= 0x115F) || (r >= 0x2E80 && r <= 0xA4CF) ||
		(r >= 0xAC00 && r <= 0xD7A3) || (r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFE30 && r <= 0xFE4F) ||
		(r >= 0xFF00 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6) || (r >= 0x20000 && r <= 0x3FFFD)
}

// truncate cuts s to fit maxW at size, ending it with an ellipsis; cut
// reports whether it did.
func truncate(s string, maxW, size float64) (shown string, cut bool) {
	if textWidth(s, size) <= maxW {
		return s, false
	}
	room := maxW - textWidth("…", size)
	var used float64
	for i, r := range s {
		used += runeWidth(r) * size
		if used > room {
			return strings.TrimRight(s[:i], " ") + "…", true
		}
	}
	return s, false
}

// wrap splits s into at most two lines no wider than maxW at size: one
// line if it fits, else the break (at a space, or between CJK characters,
// not before closing or after opening punctuation) that makes the two
// lines most even. When no break fits, the first line takes what fits and
// the second is cut with an ellipsis; cut reports that.
func wrap(s string, maxW, size float64) (lines []string, cut bool) {
	if textWidth(s, size) <= maxW {
		return []string{s}, false
	}
	best, bestDiff := -1, math.Inf(1)
	widest, widestW := -1, 0.0
	prev := rune(-1)
	for i, r := range s {
		if i > 0 && breakable(prev, r) {
			w1 := textWidth(strings.TrimRight(s[:i], " "), size)
			w2 := textWidth(strings.TrimLeft(s[i:], " "), size)
			if w1 <= maxW && w2 <= maxW && math.Abs(w1-w2) < bestDiff {
				best, bestDiff = i, math.Abs(w1-w2)
			}
			if w1 <= maxW && w1 > widestW {
				widest, widestW = i, w1
			}
		}
		prev = r
	}
	if best >= 0 {
		return []string{strings.TrimRight(s[:best], " "), strings.TrimLeft(s[best:], " ")}, false
	}
	if widest < 0 {
		shown, _ := truncate(s, maxW, size)
		return []string{shown}, true
	}
	second, _ := truncate(strings.TrimLeft(s[widest:], " "), maxW, size)
	return []string{strings.TrimRight(s[:widest], " "), second}, true
}

// breakable reports whether a line may break between a and b.
func breakable(a, b rune) bool {
	if strings.ContainsRune("，。、；：！？）》」』】,.;:!?)", b) || strings.ContainsRune("（《「『【(", a) {
		return false
	}
	return a == ' ' || b == ' ' || wide(a) || wide(b)
}

// num formats v for display: whole numbers as such, others with two
// decimals below 10 and one from 10, trailing zeros trimmed; a minus sign
// for negative numbers. NaN and infinities are "–".
func num(v float64) string { return string(appendNum(nil, v)) }

func appendNum(dst []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(dst, "–"...)
	}
	places, scale := 2, 100.0
	if math.Abs(v) >= 10 {
		places, scale = 1, 10
	}
	// Half away from zero (85.25 → 85.3), as people round; formatting the
	// float with a precision would round an exact half to even.
	n := math.Round(v * scale)
	if math.Abs(n) >= 1<<53 {
		return strconv.AppendFloat(dst, math.Round(v), 'f', 0, 64)
	}
	if n == 0 {
		return append(dst, '0') // and not -0
	}
	return appendFixed(dst, int64(n), places)
}

// drawn is num with the typographic minus, for text drawn in the chart.
func drawn(v float64) string {
	s := num(v)
	if strings.HasPrefix(s, "-") {
		return "−" + s[1:]
	}
	return s
}

// pct formats a share (0–100) as a percentage: whole from 10 %, one decimal
// below, for the chart; the table uses pctExact.
func pct(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v >= 10 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%"
	}
	return pctExact(v)
}

// pctExact formats a share with one decimal, trailing zero trimmed.
func pctExact(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".") + "%"
}

// valueAt is values[i], or NaN past its end.
func valueAt(values []float64, i int) float64 {
	if i < len(values) {
		return values[i]
	}
	return math.NaN()
}

// finite reports whether v is a number to draw.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

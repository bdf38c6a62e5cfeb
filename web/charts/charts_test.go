package charts

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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

package web

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/xuri/excelize/v2"
)

// Text that a spreadsheet could run gets a quote in front: each trigger
// character of OWASP's list; full-width look-alikes and other text are
// left as they are.
func TestSafeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://evil","x")`, `'=HYPERLINK("http://evil","x")`},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"＝1+1", "＝1+1"},
		{"＋1", "＋1"},
		{"－1", "－1"},
		{"＠SUM(1)", "＠SUM(1)"},
		{"城市地下管网智能巡检机器人研发", "城市地下管网智能巡检机器人研发"},
		{"a=b", "a=b"},
		{"'=quoted", "'=quoted"},
		{" =1", " =1"},
		{"\n=1", "\n=1"},
		{"", ""},
	} {
		if got := safeText(tc.in); got != tc.want {
			t.Errorf("safeText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A score becomes the float nearest to it, which the workbook writes in
// the fewest digits that read back as it: exactly the score's decimals,
// for every score from -100.00 to 100.00 points.
func TestScoreCellsAreExact(t *testing.T) {
	for n := -10000; n <= 10000; n++ {
		s := aggregate.Score(n)
		want := strings.TrimSuffix(strings.TrimRight(s.String(), "0"), ".")
		if want == "-0" {
			want = "0"
		}
		if got := strconv.FormatFloat(s.Float(), 'f', -1, 64); got != want {
			t.Fatalf("score %s is written as %s", s, got)
		}
	}
}

// openWorkbook opens a downloaded workbook.
func openWorkbook(t *testing.T, data string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(data))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rowsOf is a worksheet's rows as shown (formatted).
func rowsOf(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("worksheet %q: %v", sheet, err)
	}
	return rows
}

// cellOf is the reference of the cell in the header's column and the row
// (2 is the first below the header).
func cellOf(t *testing.T, f *excelize.File, sheet, header string, row int) string {
	t.Helper()
	rows := rowsOf(t, f, sheet)
	if len(rows) == 0 {
		t.Fatalf("worksheet %q is empty", sheet)
	}
	i := slices.Index(rows[0], header)
	if i < 0 {
		t.Fatalf("worksheet %q has no column %q: %q", sheet, header, rows[0])
	}
	ref, err := excelize.CoordinatesToCellName(i+1, row)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// wantText fails unless the cell holds the text as a string, and no
// formula.
func wantText(t *testing.T, f *excelize.File, sheet, ref, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	typ, _ := f.GetCellType(sheet, ref)
	formula, _ := f.GetCellFormula(sheet, ref)
	if got != want || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) || formula != "" {
		t.Errorf("%s!%s = %q (type %v, formula %q), want the text %q and no formula", sheet, ref, got, typ, formula, want)
	}
}

// rawNumber is a number cell's stored value, failing for anything else.
func rawNumber(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s is of type %v, want a number", sheet, ref, typ)
	}
	if _, err := strconv.ParseFloat(raw, 64); err != nil {
		t.Errorf("%s!%s holds %q, want a number", sheet, ref, raw)
	}
	return raw
}

// The workbook writer: text escaped and never a formula, figures as
// numbers with their format, times in Beijing, the header row frozen, an
// autofilter over the table, and wide text columns wider.
func TestWriteWorkbook(t *testing.T) {
	score, low := aggregate.Score(8267), aggregate.Score(-50)
	at := time.Date(2025, 4, 30, 6, 5, 0, 0, time.UTC) // 14:05 in Beijing
	data, err := writeWorkbook([]xlsxTable{{Name: "评审结果", Columns: []xlsxColumn{
		{Header: "标题", Wide: true}, {Header: "技术评分"}, {Header: "得分"}, {Header: "份数"}, {Header: "百分位"}, {Header: "提交时间"}, {Header: "空"},
	}, Rows: [][]any{
		{"=1+1", score, rubrics.Points(35), 5, decimal{Value: 41.666666, Places: 1}, at, nil},
		{"+SUM(A1)", &low, rubrics.Points(0), 0, decimal{Value: -0.126, Places: 2}, time.Time{}, (*aggregate.Score)(nil)},
	}}, {Name: "第二张", Columns: []xlsxColumn{{Header: "-x"}}}})
	if err != nil {
		t.Fatal(err)
	}
	f := openWorkbook(t, string(data))
	if got := f.GetSheetList(); !slices.Equal(got, []string{"评审结果", "第二张"}) {
		t.Errorf("worksheets %q", got)
	}
	sh := "评审结果"
	wantText(t, f, sh, "A2", "'=1+1")
	wantText(t, f, sh, "A3", "'+SUM(A1)")
	wantText(t, f, "第二张", "A1", "'-x")
	for _, c := range []struct{ ref, shown, raw string }{
		{"B2", "82.67", "82.67"}, {"B3", "-0.50", "-0.5"}, {"C2", "17.5", "17.5"}, {"D2", "5", "5"},
		{"E2", "41.7", "41.7"}, {"E3", "-0.13", "-0.13"},
	} {
		shown, _ := f.GetCellValue(sh, c.ref)
		if raw := rawNumber(t, f, sh, c.ref); shown != c.shown || raw != c.raw {
			t.Errorf("%s shows %q and holds %q, want %q and %q", c.ref, shown, raw, c.shown, c.raw)
		}
	}
	if shown, _ := f.GetCellValue(sh, "F2"); shown != "2025-04-30 14:05" {
		t.Errorf("the time shows %q, want 2025-04-30 14:05 (Beijing)", shown)
	}
	for _, ref := range []string{"F3", "G2", "G3"} {
		if v, _ := f.GetCellValue(sh, ref); v != "" {
			t.Errorf("%s = %q, want empty", ref, v)
		}
	}
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v (%v), want the header row frozen", panes, err)
	}
	names := f.GetDefinedName()
	if !slices.ContainsFunc(names, func(n excelize.DefinedName) bool {
		return n.Name == "_xlnm._FilterDatabase" && n.RefersTo == "'评审结果'!$A$1:$G$3"
	}) {
		t.Errorf("no autofilter over A1:G3: %+v", names)
	}
	wide, _ := f.GetColWidth(sh, "A")
	narrow, _ := f.GetColWidth(sh, "D")
	if wide <= narrow || narrow < minColumnWidth {
		t.Errorf("column widths %v (wide) and %v, want the wide one wider", wide, narrow)
	}

	if _, err := writeWorkbook([]xlsxTable{{Name: "x", Columns: []xlsxColumn{{Header: "a"}}, Rows: [][]any{{true}}}}); err == nil {
		t.Error("a value of no known kind was written")
	}
}

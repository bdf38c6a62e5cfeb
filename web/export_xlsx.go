package web

// Spreadsheet downloads (xlsx): the results and the score sheets of a
// campaign. A workbook is a list of tables, each a worksheet with one
// header row, frozen and filtered, the columns sized to their contents.
// Every cell goes through xlsxCell: text is written as a string, never a
// formula, and escaped by safeText; figures are written as numbers.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// formulaTriggers are the characters with which a cell's text may start a
// formula in a spreadsheet, or start one once the file is saved as CSV
// (OWASP, CSV injection): =, +, -, @, tab and carriage return.
const formulaTriggers = "=+-@\t\r"

// safeText returns a cell's text so that no spreadsheet runs it: text that
// starts with one of formulaTriggers gets a single quote in front, as
// OWASP advises; other text is left as it is. The full-width ＝＋－＠ start
// no formula and are left too.
func safeText(s string) string {
	if s != "" && strings.IndexByte(formulaTriggers, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// xlsxTable is one worksheet of a download: its name, its columns and its
// rows, a value per column. The values xlsxCell writes are:
//
//   - string: text, escaped by safeText;
//   - aggregate.Score, *aggregate.Score: an official figure, a number shown
//     with 2 decimals (nil: empty);
//   - rubrics.Points, int: a number;
//   - decimal: an estimate, a number shown with its decimals;
//   - time.Time: a date and time in Beijing (zero: empty);
//   - nil: an empty cell.
type xlsxTable struct {
	Name    string
	Columns []xlsxColumn
	Rows    [][]any
}

// xlsxColumn is a column's header; Wide is long text (a title, comments,
// reasons), wrapped in a wider column.
type xlsxColumn struct {
	Header string
	Wide   bool
}

// decimal is a floating-point estimate (an advisory figure) written
// rounded to Places decimals, 1 or 2.
type decimal struct {
	Value  float64
	Places int
}

// Column widths, in characters of the default font; a Chinese character
// counts two.
const (
	minColumnWidth  = 6
	maxColumnWidth  = 40
	wideColumnWidth = 60
	maxHeaderWidth  = 24 // headers wrap: a long one does not widen its column
)

// xlsxStyles are the style IDs of a workbook's cells.
type xlsxStyles struct {
	header, text, wrap, number, fixed1, fixed2, time int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var st xlsxStyles
	top := func(wrap bool) *excelize.Alignment {
		return &excelize.Alignment{Vertical: "top", WrapText: wrap}
	}
	fixed1, minutes := "0.0", "yyyy-mm-dd hh:mm"
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F2"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&st.text, &excelize.Style{Alignment: top(false)}},
		{&st.wrap, &excelize.Style{Alignment: top(true)}},
		{&st.number, &excelize.Style{Alignment: top(false)}},
		{&st.fixed1, &excelize.Style{Alignment: top(false), CustomNumFmt: &fixed1}},
		{&st.fixed2, &excelize.Style{Alignment: top(false), NumFmt: 2}}, // 0.00
		{&st.time, &excelize.Style{Alignment: top(false), CustomNumFmt: &minutes}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

// xlsxCell is the cell of a value (see xlsxTable) in a column, with the
// width its text takes; nil for an empty cell.
func xlsxCell(v any, col xlsxColumn, st xlsxStyles) (*excelize.Cell, int, error) {
	switch v := v.(type) {
	case nil:
		return nil, 0, nil
	case string:
		s := safeText(v)
		style := st.text
		if col.Wide {
			style = st.wrap
		}
		return &excelize.Cell{StyleID: style, Value: s}, textWidth(s), nil
	case *aggregate.Score:
		if v == nil {
			return nil, 0, nil
		}
		return xlsxCell(*v, col, st)
	case aggregate.Score:
		// The float nearest to n/100 is written in the fewest digits that
		// read back as it: exactly the score's decimals, "82.67" and
		// never "82.670000000000002".
		return &excelize.Cell{StyleID: st.fixed2, Value: v.Float()}, len(v.String()), nil
	case rubrics.Points:
		return &excelize.Cell{StyleID: st.number, Value: v.Float()}, len(v.String()), nil
	case int:
		return &excelize.Cell{StyleID: st.number, Value: v}, len(strconv.Itoa(v)), nil
	case decimal:
		s := strconv.FormatFloat(v.Value, 'f', v.Places, 64)
		rounded, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(rounded) || math.IsInf(rounded, 0) {
			return nil, 0, nil
		}
		style := st.fixed2
		if v.Places == 1 {
			style = st.fixed1
		}
		return &excelize.Cell{StyleID: style, Value: rounded}, len(s), nil
	case time.Time:
		if v.IsZero() {
			return nil, 0, nil
		}
		return &excelize.Cell{StyleID: st.time, Value: v.In(evaluation.Beijing)}, len("2006-01-02 15:04"), nil
	}
	return nil, 0, fmt.Errorf("no cell for a value of type %T", v)
}

// textWidth is the width of the text's longest line, a wide (CJK)
// character counting two.
func textWidth(s string) int {
	longest := 0
	for line := range strings.SplitSeq(s, "\n") {
		w := 0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				w += 2
			default:
				w++
			}
		}
		longest = max(longest, w)
	}
	return longest
}

// writeWorkbook writes the tables as the worksheets of a workbook, in
// order.
func writeWorkbook(tables []xlsxTable) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return nil, err
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err == nil {
			err = writeTable(f, st, t)
		}
		if err != nil {
			return nil, fmt.Errorf("worksheet %q: %w", t.Name, err)
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeTable streams a table into its (new, empty) worksheet: the
// autofilter over the header and the rows, the frozen header row and the
// column widths come first, as the stream writer needs.
func writeTable(f *excelize.File, st xlsxStyles, t xlsxTable) error {
	cells := make([][]any, len(t.Rows))
	widths := make([]int, len(t.Columns))
	for i, col := range t.Columns {
		widths[i] = min(textWidth(col.Header), maxHeaderWidth)
	}
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("row %d has %d values for %d columns", r+1, len(row), len(t.Columns))
		}
		cells[r] = make([]any, len(row))
		for i, v := range row {
			c, w, err := xlsxCell(v, t.Columns[i], st)
			if err != nil {
				return fmt.Errorf("row %d, column %d: %w", r+1, i+1, err)
			}
			if c != nil {
				cells[r][i] = *c
			}
			widths[i] = max(widths[i], w)
		}
	}
	last, err := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(t.Name, "A1:"+last, nil); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, col := range t.Columns {
		w := min(max(widths[i]+2, minColumnWidth), maxColumnWidth)
		if col.Wide {
			w = min(max(widths[i]+2, minColumnWidth), wideColumnWidth)
		}
		if err := sw.SetColWidth(i+1, i+1, float64(w)); err != nil {
			return err
		}
	}
	header := make([]any, len(t.Columns))
	for i, col := range t.Columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: safeText(col.Header)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for r, row := range cells {
		ref, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// exportLang is the language of a download's headers and words: ?lang=
// (zh-CN or en), else the request's. An unknown value is added to bad.
func exportLang(c *fiber.Ctx, bad evaluation.FieldErrors) evaluation.Language {
	q := c.Query("lang")
	if q == "" {
		return langOf(c)
	}
	l, ok := evaluation.ParseLanguage(q)
	if !ok {
		bad.Add("lang", "error.export_lang")
		return langOf(c)
	}
	return l
}

// sendWorkbook answers with a workbook to save under the file name (any
// characters: the header carries them in filename*, RFC 8187).
func sendWorkbook(c *fiber.Ctx, name string, data []byte) error {
	c.Set(fiber.HeaderContentType, mimeXLSX)
	c.Set(fiber.HeaderContentDisposition, contentDisposition("attachment", name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(data)
}

// exportFileName is a download's file name: the campaign's name and what
// the file holds, without the characters a file system refuses.
func exportFileName(campaign, what string) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(campaign))
	return name + "-" + what + ".xlsx"
}

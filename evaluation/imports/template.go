package imports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/xuri/excelize/v2"
)

// Help is how to fill in an import file, in one language: the notes of
// its template and each table's columns. The import page shows it; the
// template's instructions sheet holds the same.
type Help struct {
	Notes  []string
	Tables []TableHelp
}

// TableHelp describes a table of an import file: its sheet in the template
// and its columns.
type TableHelp struct {
	Sheet   string
	Columns []ColumnHelp
}

// ColumnHelp describes a column: its header in the template, whether the
// table must have it, and how to fill it in.
type ColumnHelp struct {
	Header   string
	Required bool
	Format   string
}

// help is the help of an import whose template has the notes (message
// IDs) and the tables.
func help(lang evaluation.Language, tr Translate, notes []string, tables ...*table) Help {
	var h Help
	for _, n := range notes {
		h.Notes = append(h.Notes, tr(lang, n, "Max", MaxRows, "MiB", MaxFileBytes>>20))
	}
	for _, t := range tables {
		th := TableHelp{Sheet: t.Sheet}
		for _, c := range t.Columns {
			th.Columns = append(th.Columns, ColumnHelp{Header: c.header(lang), Required: c.Required,
				Format: tr(lang, "import.fmt."+t.Name+"."+c.Key)})
		}
		h.Tables = append(h.Tables, th)
	}
	return h
}

// templateXLSX is a workbook with a sheet per table (header, example rows,
// drop-downs, text columns kept as text) and an instructions sheet.
func templateXLSX(lang evaluation.Language, tr Translate, notes []string, tables ...*table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F2"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	required, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F2"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return nil, err
	}
	for ti, t := range tables {
		if ti == 0 {
			if err := f.SetSheetName("Sheet1", t.Sheet); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(t.Sheet); err != nil {
			return nil, err
		}
		for i, c := range t.Columns {
			col := columnName(i)
			if c.Text {
				if err := f.SetColStyle(t.Sheet, col, text); err != nil {
					return nil, err
				}
			}
			style := bold
			if c.Required {
				style = required
			}
			cell := col + "1"
			if err := f.SetCellStr(t.Sheet, cell, c.header(lang)); err != nil {
				return nil, err
			}
			if err := f.SetCellStyle(t.Sheet, cell, cell, style); err != nil {
				return nil, err
			}
			w := float64(utf8.RuneCountInString(c.header(lang)))*2 + 4
			if w < 14 {
				w = 14
			}
			if err := f.SetColWidth(t.Sheet, col, col, min(w, 40)); err != nil {
				return nil, err
			}
			for r, v := range exampleValues(c, lang, t.ExampleRows) {
				if v == "" {
					continue
				}
				if err := f.SetCellStr(t.Sheet, fmt.Sprintf("%s%d", col, r+2), v); err != nil {
					return nil, err
				}
			}
			choices := c.ChoicesZH
			if lang == evaluation.LangEN {
				choices = c.ChoicesEN
			}
			if len(choices) > 0 {
				dv := excelize.NewDataValidation(true)
				dv.Sqref = fmt.Sprintf("%s2:%s%d", col, col, t.maxRows()+1)
				if err := dv.SetDropList(choices); err != nil {
					return nil, err
				}
				// Other spellings are accepted, so Excel only suggests.
				dv.ShowErrorMessage = false
				if err := f.AddDataValidation(t.Sheet, dv); err != nil {
					return nil, err
				}
			}
		}
		if err := f.SetPanes(t.Sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
	}
	// The instructions: the notes, each across the four columns, then
	// every column of every table.
	sheet := "填写说明 Instructions"
	if _, err := f.NewSheet(sheet); err != nil {
		return nil, err
	}
	widths := []float64{22, 26, 10, 90}
	for i, w := range widths {
		col := columnName(i)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return nil, err
		}
	}
	if err := f.SetColStyle(sheet, "A:D", wrap); err != nil {
		return nil, err
	}
	row := 1
	put := func(vals ...string) error {
		for i, v := range vals {
			if v == "" {
				continue
			}
			if err := f.SetCellStr(sheet, fmt.Sprintf("%s%d", columnName(i), row), v); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	h := help(lang, tr, notes, tables...)
	for _, text := range h.Notes {
		// Excel does not fit a merged cell's height to its text, so the
		// height is set: a CJK character is about two widths of a digit.
		lines := (utf8.RuneCountInString(text)*2)/140 + 1
		if err := f.MergeCell(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("D%d", row)); err != nil {
			return nil, err
		}
		if err := f.SetRowHeight(sheet, row, float64(16*lines)); err != nil {
			return nil, err
		}
		if err := put(text); err != nil {
			return nil, err
		}
	}
	row++
	if err := put(tr(lang, "import.col_sheet"), tr(lang, "import.col_column"), tr(lang, "import.col_required"),
		tr(lang, "import.col_format")); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", row-1), fmt.Sprintf("D%d", row-1), bold); err != nil {
		return nil, err
	}
	for _, t := range h.Tables {
		for _, c := range t.Columns {
			req := ""
			if c.Required {
				req = tr(lang, "import.required_yes")
			}
			if err := put(t.Sheet, c.Header, req, c.Format); err != nil {
				return nil, err
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// exampleValues splits a column's example into its rows.
func exampleValues(c column, lang evaluation.Language, rows int) []string {
	ex := c.ExampleZH
	if lang == evaluation.LangEN {
		ex = c.ExampleEN
	}
	vals := strings.Split(ex, "\n")
	for len(vals) < rows {
		vals = append(vals, "")
	}
	return vals[:rows]
}

// templateCSV is a table's header and example rows as csv, in UTF-8 with a
// BOM (so that Excel opens it with the right characters) and CRLF lines.
func templateCSV(t *table, lang evaluation.Language) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.header(lang)
	}
	records := [][]string{head}
	for r := 0; r < t.ExampleRows; r++ {
		rec := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			rec[i] = exampleValues(c, lang, t.ExampleRows)[r]
		}
		records = append(records, rec)
	}
	if err := w.WriteAll(records); err != nil {
		return nil, fmt.Errorf("%s template: %w", t.Name, err)
	}
	return b.Bytes(), nil
}

package imports

import (
	"strings"
	"unicode"

	"github.com/evalpanel/evalpanel/evaluation"
	"golang.org/x/text/width"
)

// column is a column of an import table: its header in the template in
// each language, other headers accepted, whether the table must have it,
// and an example value per language.
type column struct {
	Key       string
	ZH, EN    string
	Aliases   []string
	Required  bool
	ExampleZH string
	ExampleEN string
	// Choices lists the values offered in the template's drop-down, per
	// language; other spellings are accepted too.
	ChoicesZH, ChoicesEN []string
	// Text marks a column the template formats as text, so that Excel
	// keeps codes such as 2024-01 or 007 as typed.
	Text bool
}

// header returns the column's header in lang.
func (c *column) header(lang evaluation.Language) string {
	if lang == evaluation.LangEN {
		return c.EN
	}
	return c.ZH
}

// table is a table of an import file, one record per row.
type table struct {
	// Name is the table's key in the problem list and the API's field
	// names ("projects.12.C").
	Name string
	// Sheet is the sheet's name in the template (both languages, so that
	// one name serves every user).
	Sheet   string
	Columns []column
	// Markers are the columns whose headers identify the table: a header
	// row must have all of them.
	Markers []string
	// ExampleRows is how many example rows the template has (the example
	// values split at "\n" give one per row).
	ExampleRows int
	// MaxRows is the most records the table takes; the package's MaxRows
	// when 0.
	MaxRows int

	index map[string]int // normalised header → column
}

func (t *table) maxRows() int {
	if t.MaxRows > 0 {
		return t.MaxRows
	}
	return MaxRows
}

// column returns the column with the key, or nil.
func (t *table) column(key string) *column {
	for i := range t.Columns {
		if t.Columns[i].Key == key {
			return &t.Columns[i]
		}
	}
	return nil
}

// indexed builds the table's header index, once, before imports share the
// table.
func indexed(t *table) *table {
	t.index = map[string]int{}
	for i, c := range t.Columns {
		for _, h := range append([]string{c.Key, c.ZH, c.EN}, c.Aliases...) {
			t.index[headerKey(h)] = i
		}
	}
	return t
}

// match returns the column a header names, or nil.
func (t *table) match(header string) *column {
	if i, ok := t.index[headerKey(header)]; ok {
		return &t.Columns[i]
	}
	return nil
}

// headerKey normalises a header or a choice for matching: full-width forms
// folded, lower case, without spaces, underscores, hyphens, required marks
// and colons.
func headerKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '_', r == '-', r == '*', r == ':', r == '.':
			return -1
		}
		return unicode.ToLower(r)
	}, width.Fold.String(s))
}

// rawRow is a row of a sheet as read: its number as the spreadsheet shows
// it and its cells, trimmed.
type rawRow struct {
	Num   int
	Cells []string
}

// rawSheet is a sheet (or a csv file) as read.
type rawSheet struct {
	Name string
	Rows []rawRow // rows with at least one non-blank cell
	// TooMany is set when the sheet has more rows than an import takes;
	// Rows then holds the first ones only.
	TooMany bool
}

// sheetTable is a sheet read as one of the import tables: where its
// header is, which file column holds which table column.
type sheetTable struct {
	Spec   *table
	Sheet  string
	Header int               // the header's row number
	Cols   map[string]int    // column key → 0-based column in the file
	Heads  map[string]string // column key → header as in the file
	Rows   []rawRow          // the rows below the header
	XLSX   bool              // read from xlsx: numbers in date columns are dates
	Date04 bool              // the workbook counts dates from 1904
}

// get returns the row's value in the column, or "" when the file has no
// such column.
func (t *sheetTable) get(r rawRow, key string) string {
	i, ok := t.Cols[key]
	if !ok || i >= len(r.Cells) {
		return ""
	}
	return r.Cells[i]
}

// has reports whether the file has the column.
func (t *sheetTable) has(key string) bool {
	_, ok := t.Cols[key]
	return ok
}

// at is the problem of a cell of the table.
func (t *sheetTable) at(row int, key, msg string, args ...any) Problem {
	p := Problem{Table: t.Spec.Name, Sheet: t.Sheet, Row: row, Key: key, Message: msg, Args: args, spec: t.Spec}
	if i, ok := t.Cols[key]; ok {
		p.Column, p.col = columnName(i), i
		p.Header = t.Heads[key]
	}
	return p
}

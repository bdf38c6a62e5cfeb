package imports

import (
	"sort"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Problem is one problem of an import file. Row and Column are the row
// number and column letter a person sees in the spreadsheet; Row is 0 for
// a problem of the whole file or table, Column empty for one of a whole
// row.
type Problem struct {
	Table  string // "file", "projects", "indicators" or "experts"
	Sheet  string // the sheet's name in the workbook, or the file's name
	Row    int
	Column string // the column's letter: A, B, … AA
	// Header is the column's header as in the file; empty when the file
	// lacks the column (see HeaderIn).
	Header  string
	Key     string // the column's key in the table ("budget")
	Message string // a message ID
	Args    []any  // the message's values, key, value pairs

	col  int    // the column's 0-based index, for sorting
	spec *table // the problem's table, for the column's template header
}

// Field is the problem's name in the API's error fields: table, row and
// column letter ("projects.12.C"), table and row for a whole row
// ("projects.12"), or the table alone.
func (p Problem) Field() string {
	switch {
	case p.Row == 0:
		return p.Table
	case p.Column == "":
		return p.Table + "." + strconv.Itoa(p.Row)
	}
	return p.Table + "." + strconv.Itoa(p.Row) + "." + p.Column
}

// HeaderIn names the problem's column: by its header in the file, or, when
// the file lacks the column, by its header in the template of lang. It is
// empty for a problem of no column.
func (p Problem) HeaderIn(lang evaluation.Language) string {
	if p.Header != "" || p.spec == nil {
		return p.Header
	}
	if c := p.spec.column(p.Key); c != nil {
		return c.header(lang)
	}
	return ""
}

// Text is the problem's message in lang, translated by tr. Messages may
// name the column, as "Column" (see HeaderIn).
func (p Problem) Text(lang evaluation.Language, tr Translate) string {
	return tr(lang, p.Message, append([]any{"Column", p.HeaderIn(lang)}, p.Args...)...)
}

// Report is the outcome of reading and checking an import file: its
// problems, each cell's first one only (a cell the reader found unreadable
// needs no second message from the domain's rules).
type Report struct {
	problems []Problem
	cells    map[string]bool
	order    map[string]int // table → position in the listing
	uploads  []*upload      // the files read, for the problems and the audit log
	code     evaluation.Code
	// locate maps a domain field ("projects.3.title") to the problem of
	// its cell, false for a field it does not know; nil until records
	// have been read.
	locate func(field, msg string, args []any) (Problem, bool)
}

func newReport(tables ...*table) *Report {
	r := &Report{cells: map[string]bool{}, order: map[string]int{"file": 0}}
	for i, t := range tables {
		r.order[t.Name] = i + 1
	}
	return r
}

func (r *Report) add(p Problem) {
	if p.Column != "" {
		k := p.Field()
		if r.cells[k] {
			return
		}
		r.cells[k] = true
	}
	r.problems = append(r.problems, p)
}

// file adds a problem of a whole file.
func (r *Report) file(name, msg string, args ...any) {
	r.add(Problem{Table: "file", Sheet: name, Message: msg, Args: args})
}

// OK reports whether the file has no problem.
func (r *Report) OK() bool { return len(r.problems) == 0 }

// Code is the error code of a refused import: conflict when the service
// refused the records at the last moment for a conflict, else invalid.
func (r *Report) Code() evaluation.Code {
	if r.code != "" {
		return r.code
	}
	return evaluation.Invalid
}

// Files lists the names of the files read, as the problems name them.
func (r *Report) Files() []string {
	names := make([]string, len(r.uploads))
	for i, u := range r.uploads {
		names[i] = u.Name
	}
	return names
}

// Problems returns the problems in reading order: the files' problems,
// then each table's by row and column.
func (r *Report) Problems() []Problem {
	out := append([]Problem(nil), r.problems...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if r.order[a.Table] != r.order[b.Table] {
			return r.order[a.Table] < r.order[b.Table]
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if (a.Column == "") != (b.Column == "") {
			return a.Column == ""
		}
		return a.col < b.col
	})
	return out
}

// Fold files the field errors of a service's answer about the records
// read ("projects.3.indicators.1.target", "experts.2.email") under the
// cells they concern, and reports whether err was such an answer: an
// *evaluation.Error, invalid or conflict, with fields. A field the report
// cannot place is a problem of the file. Any other error (nil included)
// is left to the caller.
func (r *Report) Fold(err error) bool {
	e := evaluation.ErrorAs(err)
	if e == nil || len(e.Fields) == 0 || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return false
	}
	fields := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		var args []any
		for k, v := range e.Args[f] {
			args = append(args, k, v)
		}
		if r.locate != nil {
			if p, ok := r.locate(f, e.Fields[f], args); ok {
				r.add(p)
				continue
			}
		}
		r.add(Problem{Table: "file", Message: e.Fields[f], Args: args})
	}
	r.code = e.Code
	return true
}

// fieldPath splits a domain field path after its list prefix
// ("projects.3.members.1.name" → 3, "members.1.name").
func fieldPath(field, prefix string) (int, string, bool) {
	rest, ok := strings.CutPrefix(field, prefix+".")
	if !ok {
		return 0, "", false
	}
	idx, rest, _ := strings.Cut(rest, ".")
	i, err := strconv.Atoi(idx)
	return i, rest, err == nil
}

// stripIndexes drops the list positions of a field path
// ("members.1.name" → "members.name").
func stripIndexes(path string) string {
	parts := strings.Split(path, ".")
	out := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

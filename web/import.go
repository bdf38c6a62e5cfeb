package web

// Bulk import from spreadsheets (批量导入): projects with their contract
// indicators into a campaign, and profiles into the expert pool. This file
// has what both share: reading an upload (xlsx through excelize; csv in
// UTF-8, UTF-8 with a BOM, UTF-16 with a BOM or GB18030/GBK, as Excel on a
// Chinese Windows saves it), finding each table's header row in Chinese or
// English, the cell formats, the problem list and the downloadable
// templates. An import is all or nothing: every row is read and checked,
// every problem is reported with its sheet, row and column, and the service
// is called only for a clean file.

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime/multipart"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/width"
)

// Limits of an import file. Rows are records (a project, an indicator, an
// expert), besides the header.
const (
	maxImportBytes = 5 << 20
	maxImportRows  = evaluation.MaxImportRows
	// maxSheetRows is what a sheet may hold: the indicators of up to
	// maxImportRows projects, several each.
	maxSheetRows      = 10 * maxImportRows
	maxImportCols     = 100
	maxCellRunes      = 4000
	maxHeaderScan     = 10 // rows searched for the header
	maxListedProblems = 500
	// A workbook may not unpack to more than this, nor any one part of it
	// be kept in memory beyond the second limit (excelize spills it to a
	// temporary file).
	maxUnzippedBytes = 64 << 20
	maxUnzippedXML   = 16 << 20
)

// importRoutes: the import pages, uploads and templates of projects and of
// the expert pool. They come before the pool's routes, so that
// /experts/import is not taken for an expert's id. Importing projects is
// writing a campaign; importing experts is writing the pool.
func (a *App) importRoutes() {
	campaignWrite, poolWrite := rbac.Write("campaign"), rbac.Write("expert")

	a.route(get, "/campaigns/:id/projects/import", campaignWrite, a.projectImportPage)
	a.route(post, "/campaigns/:id/projects/import", campaignWrite, a.projectImportSubmit)
	a.route(get, "/campaigns/:id/projects/template.xlsx", campaignWrite, a.projectTemplateXLSX)
	a.route(get, "/campaigns/:id/projects/template.csv", campaignWrite, a.projectTemplateCSV)
	a.route(get, "/experts/import", poolWrite, a.expertImportPage)
	a.route(post, "/experts/import", poolWrite, a.expertImportSubmit)
	a.route(get, "/experts/import/template.xlsx", poolWrite, a.expertTemplateXLSX)
	a.route(get, "/experts/import/template.csv", poolWrite, a.expertTemplateCSV)

	a.route(post, "/api/v1/campaigns/:id/projects/import", campaignWrite, a.apiImportProjects)
	a.route(get, "/api/v1/campaigns/:id/projects/template.xlsx", campaignWrite, a.projectTemplateXLSX)
	a.route(get, "/api/v1/campaigns/:id/projects/template.csv", campaignWrite, a.projectTemplateCSV)
	a.route(post, "/api/v1/experts/import", poolWrite, a.apiImportExperts)
	a.route(get, "/api/v1/experts/import/template.xlsx", poolWrite, a.expertTemplateXLSX)
	a.route(get, "/api/v1/experts/import/template.csv", poolWrite, a.expertTemplateCSV)
}

// importColumn is a column of an import table: its header in the
// template in each language, other headers accepted, whether the table
// must have it, and an example value per language.
type importColumn struct {
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

// Header returns the column's header in lang.
func (c *importColumn) Header(lang evaluation.Language) string {
	if lang == evaluation.LangEN {
		return c.EN
	}
	return c.ZH
}

// importTable is a table of an import file, one record per row.
type importTable struct {
	// Name is the table's key in the problem list and the API's field
	// names ("projects.12.C").
	Name string
	// Sheet is the sheet's name in the template (both languages, so that
	// one name serves every user).
	Sheet   string
	Columns []importColumn
	// Markers are the columns whose headers identify the table: a header
	// row must have all of them.
	Markers []string
	// ExampleRows is how many example rows the template has (the example
	// values split at "\n" give one per row).
	ExampleRows int
	// MaxRows is the most records the table takes; maxImportRows when 0.
	MaxRows int

	index map[string]int // normalised header → column
}

func (t *importTable) maxRows() int {
	if t.MaxRows > 0 {
		return t.MaxRows
	}
	return maxImportRows
}

// column returns the column with the key, or nil.
func (t *importTable) column(key string) *importColumn {
	for i := range t.Columns {
		if t.Columns[i].Key == key {
			return &t.Columns[i]
		}
	}
	return nil
}

// indexed builds the table's header index, once, before requests share
// the table.
func indexed(t *importTable) *importTable {
	t.index = map[string]int{}
	for i, c := range t.Columns {
		for _, h := range append([]string{c.Key, c.ZH, c.EN}, c.Aliases...) {
			t.index[headerKey(h)] = i
		}
	}
	return t
}

// match returns the column a header names, or nil.
func (t *importTable) match(header string) *importColumn {
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
	Spec   *importTable
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
func (t *sheetTable) at(row int, key, msg string, args ...any) importProblem {
	p := importProblem{Table: t.Spec.Name, Sheet: t.Sheet, Row: row, Key: key, Message: msg, Args: args, spec: t.Spec}
	if i, ok := t.Cols[key]; ok {
		p.Col, p.col = columnName(i), i
		p.Header = t.Heads[key]
	}
	return p
}

// importProblem is one problem of an import file. Row and Col are the row
// number and column letter a person sees in the spreadsheet; Row is 0 for
// a problem of the whole file, Col empty for one of a whole row.
type importProblem struct {
	Table   string // "file", "projects", "indicators", "experts"
	Sheet   string // the sheet's name in the file, or the file's name
	Row     int
	Col     string
	Header  string // the column's header as in the file
	Key     string // the column's key in the table
	Message string // message ID
	Args    []any  // the message's values (key, value pairs)

	col  int
	spec *importTable
}

// fieldKey is the problem's name in the API's error fields: table, row and
// column letter ("projects.12.C"), table and row for a whole row
// ("projects.12"), or the table alone.
func (p importProblem) fieldKey() string {
	switch {
	case p.Row == 0:
		return p.Table
	case p.Col == "":
		return p.Table + "." + strconv.Itoa(p.Row)
	}
	return p.Table + "." + strconv.Itoa(p.Row) + "." + p.Col
}

// importReport collects the problems of one import file, each cell's first
// problem only (a cell the reader found unreadable needs no second
// message from the rules).
type importReport struct {
	problems []importProblem
	cells    map[string]bool
	order    map[string]int // table → position in the listing
}

func newImportReport(tables ...*importTable) *importReport {
	r := &importReport{cells: map[string]bool{}, order: map[string]int{"file": 0}}
	for i, t := range tables {
		r.order[t.Name] = i + 1
	}
	return r
}

func (r *importReport) add(p importProblem) {
	if p.Col != "" {
		k := p.fieldKey()
		if r.cells[k] {
			return
		}
		r.cells[k] = true
	}
	r.problems = append(r.problems, p)
}

func (r *importReport) file(name, msg string, args ...any) {
	r.add(importProblem{Table: "file", Sheet: name, Message: msg, Args: args})
}

func (r *importReport) ok() bool { return len(r.problems) == 0 }

// sorted returns the problems in reading order: file problems, then each
// table's by row and column.
func (r *importReport) sorted() []importProblem {
	out := append([]importProblem(nil), r.problems...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if r.order[a.Table] != r.order[b.Table] {
			return r.order[a.Table] < r.order[b.Table]
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		if (a.Col == "") != (b.Col == "") {
			return a.Col == ""
		}
		return a.col < b.col
	})
	return out
}

// problemView is a problem in the user's language.
type problemView struct {
	Table   string `json:"table"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Header  string `json:"header,omitempty"`
	Message string `json:"message"`

	field string // the key in the API's error fields
}

// problemViews translates the problems, naming each column by its header in the
// file, or in the template of the user's language when the file lacks it.
func (a *App) problemViews(lang evaluation.Language, r *importReport) []problemView {
	list := r.sorted()
	out := make([]problemView, 0, len(list))
	for _, p := range list {
		header := p.Header
		if header == "" && p.spec != nil {
			if c := p.spec.column(p.Key); c != nil {
				header = c.Header(lang)
			}
		}
		args := append([]any{"Column", header}, p.Args...)
		out = append(out, problemView{Table: p.Table, Sheet: p.Sheet, Row: p.Row, Column: p.Col, Header: header,
			Message: a.tr.T(lang, p.Message, args...), field: p.fieldKey()})
	}
	return out
}

// importUpload is an uploaded file.
type importUpload struct {
	Name   string
	Data   []byte
	Format string // "xlsx" or "csv"
}

// readUpload reads the multipart file field, or returns nil when the form
// has none. A file that is too large, empty or neither an xlsx workbook nor
// a csv text (by its content, whatever its name) is a problem of the file.
func readUpload(c *fiber.Ctx, field string, r *importReport) *importUpload {
	fh, err := c.FormFile(field)
	if err != nil || fh == nil {
		return nil
	}
	name := cleanFileName(fh.Filename)
	if fh.Size > maxImportBytes {
		r.file(name, "import.too_large", "MiB", maxImportBytes>>20)
		return &importUpload{Name: name}
	}
	data, err := readMultipart(fh)
	if err != nil {
		r.file(name, "import.unreadable")
		return &importUpload{Name: name}
	}
	u := &importUpload{Name: name, Data: data}
	switch {
	case len(data) > maxImportBytes:
		r.file(name, "import.too_large", "MiB", maxImportBytes>>20)
	case len(bytes.TrimSpace(data)) == 0:
		r.file(name, "import.empty_file")
	default:
		u.Format = sniffFormat(data, name, r)
	}
	return u
}

func readMultipart(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxImportBytes+1))
}

// cleanFileName keeps the base name of an uploaded file, without control
// characters, for messages and the audit log.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 120 {
		name = string([]rune(name)[:120])
	}
	if name == "" {
		name = "upload"
	}
	return name
}

var oleHeader = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniffFormat decides by content: a zip with [Content_Types].xml and a
// workbook is xlsx; text is csv (checked further when decoded). An old .xls
// workbook, an encrypted one (both OLE files), another zip (docx…), or a
// file named .xlsx that is not one are refused.
func sniffFormat(data []byte, name string, r *importReport) string {
	lower := strings.ToLower(name)
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			var types, workbook bool
			for _, f := range zr.File {
				types = types || f.Name == "[Content_Types].xml"
				workbook = workbook || f.Name == "xl/workbook.xml"
			}
			if types && workbook {
				return "xlsx"
			}
		}
		r.file(name, "import.not_spreadsheet")
	case bytes.HasPrefix(data, oleHeader):
		r.file(name, "import.old_xls")
	case strings.HasSuffix(lower, ".xlsx") || strings.HasSuffix(lower, ".xlsm"):
		r.file(name, "import.not_xlsx")
	case strings.HasSuffix(lower, ".xls"):
		r.file(name, "import.old_xls")
	default:
		return "csv"
	}
	return ""
}

// readSheets reads an upload's sheets: every sheet of a workbook, or the
// one table of a csv file.
func readSheets(u *importUpload, r *importReport) (sheets []rawSheet, date1904 bool) {
	switch u.Format {
	case "xlsx":
		return readWorkbook(u, r)
	case "csv":
		if s, ok := readCSV(u, r); ok {
			return []rawSheet{s}, false
		}
	}
	return nil, false
}

func readWorkbook(u *importUpload, r *importReport) ([]rawSheet, bool) {
	f, err := excelize.OpenReader(bytes.NewReader(u.Data), excelize.Options{
		UnzipSizeLimit: maxUnzippedBytes, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		// excelize has no sentinel for this one.
		if strings.Contains(err.Error(), "unzip size exceeds") {
			r.file(u.Name, "import.too_large_unpacked")
		} else {
			r.file(u.Name, "import.not_spreadsheet")
		}
		return nil, false
	}
	defer f.Close()
	date1904 := false
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	var sheets []rawSheet
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			continue // a chart sheet has no rows
		}
		s := rawSheet{Name: name}
		for n := 1; rows.Next(); n++ {
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				r.file(u.Name, "import.unreadable")
				break
			}
			if row, ok := keepRow(n, cells); ok {
				if len(s.Rows) > maxSheetRows+maxHeaderScan {
					s.TooMany = true
					break
				}
				s.Rows = append(s.Rows, row)
			}
		}
		if err := rows.Close(); err != nil {
			r.file(u.Name, "import.unreadable")
		}
		sheets = append(sheets, s)
	}
	return sheets, date1904
}

// keepRow trims a row's cells, drops those beyond the last column an
// import reads, and reports whether any is not blank.
func keepRow(n int, cells []string) (rawRow, bool) {
	if len(cells) > maxImportCols {
		cells = cells[:maxImportCols]
	}
	blank := true
	for i, s := range cells {
		s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
		cells[i] = s
		blank = blank && s == ""
	}
	return rawRow{Num: n, Cells: cells}, !blank
}

func readCSV(u *importUpload, r *importReport) (rawSheet, bool) {
	text, ok := decodeText(u.Data)
	if !ok {
		r.file(u.Name, "import.not_text")
		return rawSheet{}, false
	}
	if t := strings.TrimSpace(text); strings.HasPrefix(t, "<") || strings.ContainsRune(text, 0) {
		r.file(u.Name, "import.not_spreadsheet")
		return rawSheet{}, false
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	s := rawSheet{Name: u.Name}
	// The row number is the record's: a spreadsheet shows each record as a
	// row, even one whose cells span several lines of the file.
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := n
			if errors.As(err, &pe) {
				line = pe.Line
			}
			r.file(u.Name, "import.csv_syntax", "Line", line)
			return s, false
		}
		if row, ok := keepRow(n, rec); ok {
			if len(s.Rows) > maxSheetRows+maxHeaderScan {
				s.TooMany = true
				break
			}
			s.Rows = append(s.Rows, row)
		}
	}
	return s, true
}

// decodeText returns a csv file's text: UTF-8 (with or without a BOM),
// UTF-16 with a BOM (Excel's "Unicode text"), else GB18030, the superset
// of GBK in which Excel on a Chinese Windows saves csv. Text that is none
// of these is refused.
func decodeText(b []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		return string(b), utf8.Valid(b)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return "", false
		}
		return string(out), true
	case utf8.Valid(b):
		return string(b), true
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(out), true
}

// sniffDelimiter picks the csv delimiter from the first line: comma, tab
// (UTF-16 "Unicode text") or semicolon (Excel in some locales), whichever
// it has most of outside quotes.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
		}
		if !quoted && r == '\n' {
			break
		}
		if !quoted && (r == ',' || r == '\t' || r == ';') {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{'\t', ';'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// findTable looks for the header of one of the tables in the first rows
// of a sheet: the row naming the most columns of a table, all its markers
// among them. It returns nil when no row does.
func findTable(s rawSheet, tables ...*importTable) (*importTable, int) {
	var (
		best      *importTable
		bestRow   = -1
		bestCount = 0
	)
	for i, row := range s.Rows {
		if i >= maxHeaderScan {
			break
		}
		for _, t := range tables {
			seen := map[string]bool{}
			for _, cell := range row.Cells {
				if c := t.match(cell); c != nil {
					seen[c.Key] = true
				}
			}
			markers := true
			for _, m := range t.Markers {
				markers = markers && seen[m]
			}
			if markers && len(seen) > bestCount {
				best, bestRow, bestCount = t, i, len(seen)
			}
		}
		if best != nil {
			break
		}
	}
	return best, bestRow
}

// readTable reads a sheet as the table whose header is at index hdr of its
// rows, reporting missing required columns and columns given twice.
func readTable(s rawSheet, t *importTable, hdr int, r *importReport) *sheetTable {
	st := &sheetTable{Spec: t, Sheet: s.Name, Header: s.Rows[hdr].Num, Cols: map[string]int{}, Heads: map[string]string{}}
	for i, cell := range s.Rows[hdr].Cells {
		c := t.match(cell)
		if c == nil {
			continue // a column of the user's own (序号, notes) is ignored
		}
		if _, dup := st.Cols[c.Key]; dup {
			r.add(importProblem{Table: t.Name, Sheet: s.Name, Row: st.Header, Col: columnName(i), col: i, Header: cell,
				Key: c.Key, Message: "import.duplicate_column", spec: t})
			continue
		}
		st.Cols[c.Key], st.Heads[c.Key] = i, cell
	}
	for _, c := range t.Columns {
		if _, ok := st.Cols[c.Key]; c.Required && !ok {
			r.add(importProblem{Table: t.Name, Sheet: s.Name, Row: st.Header, Key: c.Key, Message: "import.missing_column", spec: t})
		}
	}
	// A row blank in every column of the table is no record, even when a
	// column of the user's own is filled (a 序号 numbered in advance).
	for _, row := range s.Rows[hdr+1:] {
		for _, i := range st.Cols {
			if i < len(row.Cells) && row.Cells[i] != "" {
				st.Rows = append(st.Rows, row)
				break
			}
		}
	}
	if s.TooMany || len(st.Rows) > t.maxRows() {
		r.add(importProblem{Table: t.Name, Sheet: s.Name, Message: "import.too_many_rows", Args: []any{"Max", t.maxRows()}})
		st.Rows = nil
	}
	for _, row := range st.Rows {
		for i, cell := range row.Cells {
			if utf8.RuneCountInString(cell) > maxCellRunes {
				r.add(importProblem{Table: t.Name, Sheet: s.Name, Row: row.Num, Col: columnName(i), col: i,
					Message: "import.cell_too_long", Args: []any{"Max", maxCellRunes}})
				row.Cells[i] = ""
			}
		}
	}
	return st
}

// columnName is the spreadsheet's name of a 0-based column: A, B, … AA.
func columnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return ""
	}
	return name
}

// fileInfo describes the uploads for the audit log.
func fileInfo(uploads ...*importUpload) evaluation.ImportFile {
	var names, sums []string
	format := ""
	for _, u := range uploads {
		if u == nil {
			continue
		}
		sum := sha256.Sum256(u.Data)
		names, sums = append(names, u.Name), append(sums, hex.EncodeToString(sum[:]))
		if format == "" {
			format = u.Format
		}
	}
	return evaluation.ImportFile{Name: strings.Join(names, ", "), Format: format, SHA256: strings.Join(sums, ",")}
}

// Cell formats.

// choice maps the spellings of an enumerated value (Chinese, English, the
// stored value) to the value.
type choice map[string]string

func newChoice(values map[string][]string) choice {
	c := choice{}
	for v, names := range values {
		c[headerKey(v)] = v
		for _, n := range names {
			c[headerKey(n)] = v
		}
	}
	return c
}

// of returns the value a cell names, or the cell as typed when it names
// none, for the domain's rules to refuse with their own message.
func (c choice) of(s string) string {
	if v, ok := c[headerKey(s)]; ok {
		return v
	}
	return s
}

var (
	yes = newChoice(map[string][]string{"1": {"是", "有", "要求", "需要", "y", "yes", "true", "√", "✓", "✔", "t"},
		"0": {"否", "无", "没有", "不要求", "n", "no", "false", "×", "✗", "f"}})
	// The exponent has at most two digits: big.Rat would otherwise
	// compute 10^(whatever a cell says).
	decimalPattern   = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,2})?$`)
	thousandsPattern = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)
)

// parseBool reads a yes/no cell; a blank cell is def.
func parseBool(s string, def bool) (bool, bool) {
	if s == "" {
		return def, true
	}
	switch yes[headerKey(s)] {
	case "1":
		return true, true
	case "0":
		return false, true
	}
	return def, false
}

// cleanNumber drops spaces and thousands separators ("1,234.5").
func cleanNumber(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, width.Fold.String(s))
	if thousandsPattern.MatchString(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	return s
}

// parseNumber reads a number cell; ok is false for anything else, such as
// "5 km" or "≥5" (unit and direction have columns of their own).
func parseNumber(s string) (*float64, bool) {
	if s == "" {
		return nil, true
	}
	s = cleanNumber(s)
	if !decimalPattern.MatchString(s) {
		return nil, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}

// maxWan is the largest amount a cell may hold: 10 billion yuan, in 万元.
const maxWan = 1e6

// parseWan reads an amount in 万元 (a decimal, optionally followed by 万元)
// and returns it in fen, exactly: decimal arithmetic, not binary floats,
// so 123.4567 万元 is 1,234,567.00 yuan. Fractions of a fen are rounded
// half away from zero. The message is "" when the cell is good.
func parseWan(s string) (int64, string) {
	if s == "" {
		return 0, ""
	}
	s = cleanNumber(s)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "万元"), "万")
	if !decimalPattern.MatchString(s) {
		return 0, "import.not_number"
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, "import.not_number"
	}
	if r.Sign() < 0 || r.Cmp(big.NewRat(maxWan, 1)) > 0 {
		return 0, "error.amount_range"
	}
	fen := new(big.Rat).Mul(r, big.NewRat(1_000_000, 1))
	// Round half away from zero (the amount is not negative).
	q, m := new(big.Int).QuoRem(fen.Num(), fen.Denom(), new(big.Int))
	if new(big.Int).Mul(m, big.NewInt(2)).Cmp(fen.Denom()) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64(), ""
}

var datePattern = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$`)

// parseDate reads a date as YYYY-MM-DD: 2024-01-31, 2024/1/31, 2024.1.31,
// 2024年1月31日, 20240131, or (in a workbook) a date cell, which arrives
// as Excel's day number. Anything else comes back as typed, for the
// domain's rule to refuse.
func parseDate(s string, xlsx, date1904 bool) string {
	if s == "" {
		return ""
	}
	if m := datePattern.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Year() == y && int(t.Month()) == mo && t.Day() == d {
			return t.Format(time.DateOnly)
		}
		return s
	}
	if len(s) == 8 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) {
		if t, err := time.Parse("20060102", s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	if xlsx && decimalPattern.MatchString(s) {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v >= 1 && v < 2958466 {
			if t, err := excelize.ExcelDateToTime(v, date1904); err == nil {
				return t.Format(time.DateOnly)
			}
		}
	}
	return s
}

// splitCell splits a list cell at the separators and at line breaks,
// trimming the entries and dropping blank ones.
func splitCell(s, seps string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || strings.ContainsRune(seps, r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// The separators of list cells. Institution names may hold a comma
// ("University of California, Berkeley"), so lists of them split only at
// semicolons, the enumeration comma and line breaks; codes and keywords
// split at commas too, codes and language tags also at spaces.
const (
	sepNames    = ";；、"
	sepKeywords = ";；、,，"
	sepCodes    = ";；、,， \t"
	sepEntries  = ";；"
)

// entries splits a cell of "name, institution, role" entries: entries at
// semicolons or line breaks, parts at commas (full-width too).
func entries(s string) [][3]string {
	var out [][3]string
	for _, e := range splitCell(s, sepEntries) {
		var x [3]string
		// Positions count: ", 复旦大学" has no name. A role may hold a
		// comma.
		var parts []string
		for len(parts) < 2 {
			j := strings.IndexAny(e, ",，")
			if j < 0 {
				break
			}
			_, size := utf8.DecodeRuneInString(e[j:])
			parts, e = append(parts, e[:j]), e[j+size:]
		}
		for i, part := range append(parts, e) {
			x[i] = strings.TrimSpace(part)
		}
		out = append(out, x)
	}
	return out
}

// importLang is the language of a template download: ?lang=, else the
// request's.
func importLang(c *fiber.Ctx) evaluation.Language {
	if l, ok := evaluation.ParseLanguage(c.Query("lang")); ok {
		return l
	}
	return langOf(c)
}

// Templates.

const (
	mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	mimeCSV  = "text/csv; charset=utf-8"
)

// templateXLSX is a workbook with a sheet per table (header, example rows,
// drop-downs, text columns kept as text) and an instructions sheet.
func (a *App) templateXLSX(lang evaluation.Language, notes []string, tables ...*importTable) ([]byte, error) {
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
			if err := f.SetCellStr(t.Sheet, cell, c.Header(lang)); err != nil {
				return nil, err
			}
			if err := f.SetCellStyle(t.Sheet, cell, cell, style); err != nil {
				return nil, err
			}
			w := float64(utf8.RuneCountInString(c.Header(lang)))*2 + 4
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
	for _, n := range notes {
		// Excel does not fit a merged cell's height to its text, so the
		// height is set: a CJK character is about two widths of a digit.
		text := a.tr.T(lang, n, "Max", maxImportRows, "MiB", maxImportBytes>>20)
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
	if err := put(a.tr.T(lang, "import.col_sheet"), a.tr.T(lang, "import.col_column"), a.tr.T(lang, "import.col_required"),
		a.tr.T(lang, "import.col_format")); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", row-1), fmt.Sprintf("D%d", row-1), bold); err != nil {
		return nil, err
	}
	for _, t := range tables {
		for _, c := range t.Columns {
			req := ""
			if c.Required {
				req = a.tr.T(lang, "import.required_yes")
			}
			if err := put(t.Sheet, c.Header(lang), req, a.tr.T(lang, "import.fmt."+t.Name+"."+c.Key)); err != nil {
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
func exampleValues(c importColumn, lang evaluation.Language, rows int) []string {
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
func templateCSV(t *importTable, lang evaluation.Language) []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Header(lang)
	}
	w.Write(head)
	for r := 0; r < t.ExampleRows; r++ {
		rec := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			rec[i] = exampleValues(c, lang, t.ExampleRows)[r]
		}
		w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

// sendDownload answers with a file to save.
func sendDownload(c *fiber.Ctx, name, mime string, data []byte) error {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

// Pages and API answers.

// importHelp describes a table's columns on the import page.
type importHelp struct {
	Sheet   string
	Columns []columnHelp
}

type columnHelp struct {
	Header   string
	Required bool
	Format   string
}

func (a *App) tableHelp(lang evaluation.Language, t *importTable) importHelp {
	h := importHelp{Sheet: t.Sheet}
	for _, c := range t.Columns {
		h.Columns = append(h.Columns, columnHelp{Header: c.Header(lang), Required: c.Required,
			Format: a.tr.T(lang, "import.fmt."+t.Name+"."+c.Key)})
	}
	return h
}

// importPageData is what the import page shows: how to import, the form,
// and after a refused upload its problems.
type importPageData struct {
	Kind      string // "projects" or "experts"
	Action    string
	Back      string
	BackLabel string
	Campaign  *evaluation.Campaign
	Locked    bool // the campaign's projects can no longer change
	Templates []templateLink
	Notes     []string // the template's instructions, translated
	Help      []importHelp
	// Indicators shows the second file field (the indicators table of a
	// csv import).
	Indicators bool
	Uploaded   string
	Problems   []problemView
	More       int
	MaxMiB     int
	MaxRows    int
}

type templateLink struct {
	ID, Label, Href string
}

// renderImport renders the import page.
func (a *App) renderImport(c *fiber.Ctx, d importPageData, notes []string) error {
	d.MaxMiB, d.MaxRows = maxImportBytes>>20, maxImportRows
	for _, n := range notes {
		d.Notes = append(d.Notes, a.T(c, n, "Max", maxImportRows, "MiB", maxImportBytes>>20))
	}
	return a.render(c, "import", a.T(c, "import."+d.Kind+"_title"), d)
}

// renderImportProblems shows the import page again with the problems of
// the upload.
func (a *App) renderImportProblems(c *fiber.Ctx, status int, d importPageData, notes []string, r *importReport, uploads ...*importUpload) error {
	d.Problems = a.problemViews(langOf(c), r)
	if len(d.Problems) > maxListedProblems {
		d.More = len(d.Problems) - maxListedProblems
		d.Problems = d.Problems[:maxListedProblems]
	}
	var names []string
	for _, u := range uploads {
		if u != nil {
			names = append(names, u.Name)
		}
	}
	d.Uploaded = strings.Join(names, ", ")
	c.Status(status)
	return a.renderImport(c, d, notes)
}

// importErrorBody is the API's answer to a refused import: the standard
// error (fields keyed "table.row.column", see fieldKey) and the problems
// in order, with the sheet and the column's header.
type importErrorBody struct {
	Error struct {
		apiErrorBody
		Problems []problemView `json:"problems"`
	} `json:"error"`
}

func (a *App) sendImportProblems(c *fiber.Ctx, status int, r *importReport) error {
	lang := langOf(c)
	var body importErrorBody
	body.Error.Code = evaluation.Invalid
	if status == fiber.StatusConflict {
		body.Error.Code = evaluation.Conflict
	}
	list := a.problemViews(lang, r)
	body.Error.Message = a.tr.T(lang, "import.refused", "Count", len(list))
	// A file of nothing but mistakes lists its first problems, as the
	// page does; the message has the count.
	if len(list) > maxListedProblems {
		list = list[:maxListedProblems]
	}
	body.Error.Problems = list
	body.Error.Fields = map[string]string{}
	for _, p := range list {
		msg := p.Message
		if prev, ok := body.Error.Fields[p.field]; ok {
			msg = prev + " " + msg
		}
		body.Error.Fields[p.field] = msg
	}
	return c.Status(status).JSON(body)
}

// domainProblems files the field errors of a service's answer under the
// cells they concern; locate maps a field ("projects.3.title") to its
// problem, false for a field it does not know. It returns the error's
// status, 0 when err is not a field error.
func domainProblems(err error, r *importReport, locate func(field, msg string, args []any) (importProblem, bool)) int {
	e := evaluation.ErrorAs(err)
	if e == nil || len(e.Fields) == 0 || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return 0
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
		if p, ok := locate(f, e.Fields[f], args); ok {
			r.add(p)
		} else {
			r.add(importProblem{Table: "file", Message: e.Fields[f], Args: args})
		}
	}
	return statusOf[e.Code]
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

package imports

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// upload is a file of an import being read: its cleaned name, content and
// format.
type upload struct {
	Name   string
	Data   []byte
	Format string // "xlsx" or "csv"; "" when the file was refused
}

// open takes a file of the import, or returns nil for none. A file that
// could not be read, is too large, empty or neither an xlsx workbook nor a
// csv text (by its content, whatever its name) is a problem of the file.
func (r *Report) open(f *File) *upload {
	if f == nil {
		return nil
	}
	u := &upload{Name: cleanFileName(f.Name), Data: f.Data}
	r.uploads = append(r.uploads, u)
	switch {
	case len(f.Data) > MaxFileBytes:
		r.file(u.Name, "import.too_large", "MiB", MaxFileBytes>>20)
	case errors.Is(f.Err, ErrIncomplete):
		r.file(u.Name, "import.upload_incomplete")
	case f.Err != nil:
		r.file(u.Name, "import.unreadable")
	case len(bytes.TrimSpace(f.Data)) == 0:
		r.file(u.Name, "import.empty_file")
	default:
		u.Format = sniffFormat(f.Data, u.Name, r)
	}
	return u
}

// cleanFileName keeps the base name of a file, without control or format
// characters (a right-to-left override would show "x\u202Eslx.exe" as
// "xexe.xls" in a message or the audit log), for messages and the audit
// log.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
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

// oleHeader starts an OLE compound file: an old .xls workbook, or an
// encrypted .xlsx.
var oleHeader = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniffFormat decides by content: a zip with [Content_Types].xml and a
// workbook is xlsx; text is csv (checked further when decoded). An old .xls
// workbook, an encrypted one (both OLE files), another zip (docx…), or a
// file named .xlsx that is not one are refused.
func sniffFormat(data []byte, name string, r *Report) string {
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

// readSheets reads a file's sheets: every sheet of a workbook, or the one
// table of a csv file.
func readSheets(u *upload, r *Report) (sheets []rawSheet, date1904 bool) {
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

func readWorkbook(u *upload, r *Report) ([]rawSheet, bool) {
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

func readCSV(u *upload, r *Report) (rawSheet, bool) {
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
func findTable(s rawSheet, tables ...*table) (*table, int) {
	var (
		best      *table
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
func readTable(s rawSheet, t *table, hdr int, r *Report) *sheetTable {
	st := &sheetTable{Spec: t, Sheet: s.Name, Header: s.Rows[hdr].Num, Cols: map[string]int{}, Heads: map[string]string{}}
	for i, cell := range s.Rows[hdr].Cells {
		c := t.match(cell)
		if c == nil {
			continue // a column of the user's own (序号, notes) is ignored
		}
		if _, dup := st.Cols[c.Key]; dup {
			r.add(Problem{Table: t.Name, Sheet: s.Name, Row: st.Header, Column: columnName(i), col: i, Header: cell,
				Key: c.Key, Message: "import.duplicate_column", spec: t})
			continue
		}
		st.Cols[c.Key], st.Heads[c.Key] = i, cell
	}
	for _, c := range t.Columns {
		if _, ok := st.Cols[c.Key]; c.Required && !ok {
			r.add(Problem{Table: t.Name, Sheet: s.Name, Row: st.Header, Key: c.Key, Message: "import.missing_column", spec: t})
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
		r.add(Problem{Table: t.Name, Sheet: s.Name, Message: "import.too_many_rows", Args: []any{"Max", t.maxRows()}})
		st.Rows = nil
	}
	for _, row := range st.Rows {
		for i, cell := range row.Cells {
			if utf8.RuneCountInString(cell) > maxCellRunes {
				r.add(Problem{Table: t.Name, Sheet: s.Name, Row: row.Num, Column: columnName(i), col: i,
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

// fileInfo describes the files read for the audit log.
func (r *Report) fileInfo() evaluation.ImportFile {
	var names, sums []string
	format := ""
	for _, u := range r.uploads {
		sum := sha256.Sum256(u.Data)
		names, sums = append(names, u.Name), append(sums, hex.EncodeToString(sum[:]))
		if format == "" {
			format = u.Format
		}
	}
	return evaluation.ImportFile{Name: strings.Join(names, ", "), Format: format, SHA256: strings.Join(sums, ",")}
}

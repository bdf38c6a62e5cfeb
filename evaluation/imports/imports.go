// Package imports reads bulk imports (批量导入) from spreadsheets: projects
// with their contract indicators into a campaign, and profiles into the
// expert pool. It reads xlsx workbooks (through excelize) and csv files in
// UTF-8, UTF-8 with a BOM, UTF-16 with a BOM or GB18030/GBK (as Excel on a
// Chinese Windows saves them), finds each table's header row in Chinese or
// English, parses the cells (amounts in 万元, dates, yes/no, lists, choices)
// and builds the domain's records.
//
// An import is all or nothing: every row is read and checked, every problem
// is reported with its sheet, row and column, and the service stores the
// records only when the whole file is clean. ImportProjects and
// ImportExperts run that whole sequence against the evaluation services;
// the web handlers and the command line both call them, so that an import
// follows the same rules wherever it starts.
//
// Problems carry message IDs and their arguments, never translated text:
// the caller translates them (Problem.Text) at its edge, as it does every
// other message. The templates, which do hold text, take a Translate.
package imports

import (
	"errors"
	"io"

	"github.com/evalpanel/evalpanel/evaluation"
)

// Limits of an import file. Rows are records (a project, an indicator, an
// expert), besides the header.
const (
	// MaxFileBytes is the largest file an import reads.
	MaxFileBytes = 5 << 20
	// MaxRows is the most records one table of an import may hold.
	MaxRows = evaluation.MaxImportRows

	// maxSheetRows is what a sheet may hold: the indicators of up to
	// MaxRows projects, several each.
	maxSheetRows  = 10 * MaxRows
	maxImportCols = 100
	maxCellRunes  = 4000
	maxHeaderScan = 10 // rows searched for the header
	// A workbook may not unpack to more than this, nor any one part of it
	// be kept in memory beyond the second limit (excelize spills it to a
	// temporary file).
	maxUnzippedBytes = 64 << 20
	maxUnzippedXML   = 16 << 20
)

// File is a file to import, as uploaded or opened.
type File struct {
	// Name is the file's name as the user gave it; the import keeps its
	// base name, without control characters, for messages and the audit
	// log.
	Name string
	// Data is the file's content; more than MaxFileBytes is refused.
	Data []byte
	// Err is why the file could not be read, when it could not: the
	// import reports the file as unreadable, a problem for the user to
	// fix by saving it again, like any other problem of the file.
	Err error
}

// ErrIncomplete is the Err of a File whose upload arrived but could not be
// read as a form (cut short, a wrong boundary): the import says to upload
// it again rather than to save it again.
var ErrIncomplete = errors.New("upload incomplete or malformed")

// ReadFile reads a file to import from r, at most one byte more than
// MaxFileBytes: enough for the import to refuse a larger file without
// holding all of it. A read error is kept in the File (see File.Err).
func ReadFile(name string, r io.Reader) *File {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	return &File{Name: name, Data: data, Err: err}
}

// Translate returns the text of a message ID in a language, filled from
// args (key, value pairs). The web package's translator is one.
type Translate func(lang evaluation.Language, id string, args ...any) string

// store is the service's half of an import: it has the service check the
// records read, folds the answer into the report, and has the service
// store them only when the report is clean, folding that answer too. The
// records are nil when the file could not be read as a whole.
func store[T any](list []T, r *Report, check func() error, save func(evaluation.ImportFile) error) ([]T, *Report, error) {
	if list == nil {
		return nil, r, nil
	}
	if err := check(); !r.Fold(err) && err != nil {
		return nil, r, err
	}
	if !r.OK() {
		return nil, r, nil
	}
	if err := save(r.fileInfo()); err != nil {
		if r.Fold(err) {
			return nil, r, nil
		}
		return nil, r, err
	}
	return list, r, nil
}

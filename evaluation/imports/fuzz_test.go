package imports_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports"
)

// keys is a Translate that answers the message id, for templates.
func keys(_ evaluation.Language, id string, _ ...any) string { return id }

// addTemplates seeds a fuzz target with the templates users download, in
// both formats and languages, and a few broken files.
func addTemplates(f *testing.F, csv func(evaluation.Language) ([]byte, error),
	xlsx func(evaluation.Language, imports.Translate) ([]byte, error)) {
	f.Helper()
	for _, lang := range evaluation.Languages {
		c, err := csv(lang)
		if err != nil {
			f.Fatal(err)
		}
		x, err := xlsx(lang, keys)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c, false)
		f.Add(x, true)
		f.Add(x[:len(x)/2], true) // a truncated workbook
	}
	f.Add([]byte("\xef\xbb\xbf\"unclosed,quote\n1,2"), false)
	f.Add([]byte("a,b,c\n=cmd|' /C calc'!A0,\x00,\xff\xfe\n"), false)
	f.Add([]byte{}, true)
}

// quickly fails the fuzz run (a crash it saves) when reading an input
// takes over 3 seconds: an upload must not tie up the server; the
// returned func ends the watch.
func quickly(data []byte, workbook bool) func() {
	done := make(chan struct{})
	go func() {
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			panic(fmt.Sprintf("reading %d bytes (workbook %v) takes over 3 s", len(data), workbook))
		}
	}()
	return func() { close(done) }
}

// fileOf names the fuzzed bytes as the kind of file the case holds.
func fileOf(data []byte, workbook bool) *imports.File {
	name := "data.csv"
	if workbook {
		name = "data.xlsx"
	}
	return imports.ReadFile(name, bytes.NewReader(data))
}

// The expert importer reads any bytes without panicking; a refusal says
// why, and what it reads can be checked against the domain's rules (which
// ImportExperts folds into the same report) without panicking either.
func FuzzReadExperts(f *testing.F) {
	addTemplates(f, imports.ExpertTemplateCSV, imports.ExpertTemplateXLSX)
	f.Fuzz(func(t *testing.T, data []byte, workbook bool) {
		defer quickly(data, workbook)()
		experts, report := imports.ReadExperts(fileOf(data, workbook))
		if report == nil {
			t.Fatal("no report")
		}
		if !report.OK() {
			if len(report.Problems()) == 0 {
				t.Fatal("a refusal without a problem")
			}
			return
		}
		if experts == nil {
			t.Fatal("a clean report without the experts read")
		}
		for _, e := range experts {
			report.Fold(e.Validate())
		}
	})
}

// The project importer likewise, with an indicators file beside it.
func FuzzReadProjects(f *testing.F) {
	addTemplates(f, imports.ProjectTemplateCSV, imports.ProjectTemplateXLSX)
	f.Fuzz(func(t *testing.T, data []byte, workbook bool) {
		defer quickly(data, workbook)()
		file := fileOf(data, workbook)
		var indicators *imports.File
		if !workbook {
			indicators = fileOf(data, false)
		}
		projects, report := imports.ReadProjects(file, indicators)
		if report == nil {
			t.Fatal("no report")
		}
		if !report.OK() && len(report.Problems()) == 0 {
			t.Fatal("a refusal without a problem")
		}
		for _, p := range projects {
			report.Fold(p.Validate())
		}
	})
}

package rubrics

import (
	"embed"
	"fmt"
	"io/fs"
)

// defaultFiles holds the default rubrics as published version 1. They are
// files rather than Go literals so that a reviewer from the field can read
// and correct the descriptors without reading Go.
//
//go:embed defaults/*.json
var defaultFiles embed.FS

// defaultFileNames lists the embedded default rubrics in display order:
// basic research, applied technology, the finance track.
func defaultFileNames() []string {
	return []string{"defaults/basic_research.json", "defaults/applied_technology.json", "defaults/finance.json"}
}

// Defaults returns the default rubrics (默认评价指标体系; evaluation/README.md
// §3.3) in the order basic research, applied technology, finance, each freshly
// parsed so that callers may change them. It fails if any of them does not
// parse or validate, so that a broken default can never ship: the tests
// call it, and the store loads the defaults through it on first start.
func Defaults() ([]*Rubric, error) {
	return parseRubricFiles(defaultFiles, defaultFileNames())
}

// parseRubricFiles parses and validates the named rubric files in order.
// The error wraps the Problems of the first file that has any.
func parseRubricFiles(fsys fs.FS, names []string) ([]*Rubric, error) {
	rs := make([]*Rubric, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read rubric %s: %w", name, err)
		}
		r, ps := ParseRubric(data)
		if len(ps) > 0 {
			return nil, fmt.Errorf("rubric %s: %w", name, ps)
		}
		rs = append(rs, r)
	}
	return rs, nil
}

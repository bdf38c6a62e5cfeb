package web

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// source is a Go file of the product (not a test) that a test scans.
type source struct {
	Path string
	Text string
}

// goSources reads the Go files, tests left out, that the glob patterns
// match, in path order; a pattern that matches nothing fails the test, so
// that a scan cannot pass by reading no file.
func goSources(t *testing.T, patterns ...string) []source {
	t.Helper()
	var out []source
	for _, pattern := range patterns {
		paths, err := filepath.Glob(pattern)
		if err != nil || len(paths) == 0 {
			t.Fatalf("no Go files match %s (%v)", pattern, err)
		}
		sort.Strings(paths)
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, source{Path: p, Text: string(b)})
		}
	}
	return out
}

package imports

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports/importtest"
	"github.com/google/go-cmp/cmp"
)

// TestFormats checks the cell formats one by one.
func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		in   string
		fen  int64
		msg  string
		name string
	}{
		{"300", 300_0000_00, "", "whole"}, {"286.5", 286_5000_00, "", "decimal"}, {"0.000001", 1, "", "one fen"},
		{"0.0000005", 1, "", "half a fen rounds up"}, {"0.0000004", 0, "", "less rounds down"}, {"1,250.5", 1250_5000_00, "", "thousands"},
		{"123.4567", 1_2345_6700, "", "exact"}, {"12万元", 12_0000_00, "", "unit"}, {"1e2", 100_0000_00, "", "exponent"},
		{"abc", 0, "import.not_number", "text"}, {"-1", 0, "error.amount_range", "negative"}, {"2000000", 0, "error.amount_range", "too much"},
		{"", 0, "", "blank"}, {"Inf", 0, "import.not_number", "infinity"}, {"1e999999999", 0, "import.not_number", "huge exponent"},
	} {
		fen, msg := parseWan(tc.in)
		if fen != tc.fen || msg != tc.msg {
			t.Errorf("parseWan(%q) [%s] = %d, %q; want %d, %q", tc.in, tc.name, fen, msg, tc.fen, tc.msg)
		}
	}
	for in, want := range map[string]string{"2024-01-31": "2024-01-31", "2024/1/31": "2024-01-31", "2024.1.5": "2024-01-05",
		"2024年1月31日": "2024-01-31", "20240131": "2024-01-31", "2024-02-30": "2024-02-30", "2024-01-31 00:00:00": "2024-01-31",
		"45322": "2024-01-31", "明年": "明年", "": ""} {
		if got := parseDate(in, true, false); got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
	if got := parseDate("45322", false, false); got != "45322" {
		t.Errorf("a number in a csv is not a date cell: %q", got)
	}
	for in, want := range map[string]string{"≥": "ge", ">=": "ge", "不低于": "ge", "At Least": "ge", "≤": "le", "不超过": "le", "约": "约"} {
		if got := directionChoice.of(in); got != want {
			t.Errorf("direction %q = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Basic_Research": "basic_research", "ＢＲ": "basic_research", "应用技术类": "applied_technology"} {
		if got := classChoice.of(in); got != want {
			t.Errorf("class %q = %q, want %q", in, got, want)
		}
	}
	if got := splitCell("上海交通大学；University of California, Berkeley\n复旦大学、同济大学", sepNames); !cmp.Equal(got,
		[]string{"上海交通大学", "University of California, Berkeley", "复旦大学", "同济大学"}) {
		t.Errorf("institutions: %q", got)
	}
	if got := entries("张三, 复旦大学, 实验；李四\n王五，同济大学，测试, 分析\n, 复旦大学"); !cmp.Equal(got,
		[][3]string{{"张三", "复旦大学", "实验"}, {"李四", "", ""}, {"王五", "同济大学", "测试, 分析"}, {"", "复旦大学", ""}}) {
		t.Errorf("entries: %q", got)
	}
	// Encodings.
	text := "项目编号,项目名称\r\n2024-ZD-001,城市地下管网\r\n"
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, b := range map[string][]byte{"utf-8": []byte(text), "bom": append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"gbk": importtest.GBK(t, text), "utf-16": utf16} {
		if got, ok := decodeText(b); !ok || got != text {
			t.Errorf("%s: %q %v", name, got, ok)
		}
	}
	if _, ok := decodeText([]byte{0x81, 0x20, 0xff, 0xfe, 0x00}); ok {
		t.Error("garbage decodes")
	}
	if sniffDelimiter("a\tb\tc,d\n") != '\t' || sniffDelimiter(`"a;b",c`+"\n") != ',' || sniffDelimiter("a;b;c\n") != ';' {
		t.Error("delimiter")
	}
}

// TestTables checks the table specs: no header or alias names two columns
// of a table, each header matches its column, the examples fill their
// rows, and every domain field maps to a column.
func TestTables(t *testing.T) {
	for _, tbl := range []*table{projectsTable, indicatorsTable, expertsTable} {
		seen := map[string]string{}
		for _, c := range tbl.Columns {
			for _, name := range append([]string{c.Key, c.ZH, c.EN}, c.Aliases...) {
				k := headerKey(name)
				if other, dup := seen[k]; dup && other != c.Key {
					t.Errorf("%s: %q names both %s and %s", tbl.Name, name, other, c.Key)
				}
				seen[k] = c.Key
			}
			if tbl.match(c.ZH) != &tbl.Columns[indexOf(tbl, c.Key)] || tbl.match(c.EN) != &tbl.Columns[indexOf(tbl, c.Key)] {
				t.Errorf("%s: %s does not match itself", tbl.Name, c.ZH)
			}
			if len(exampleValues(c, evaluation.LangZH, tbl.ExampleRows)) != tbl.ExampleRows ||
				len(strings.Split(c.ExampleZH, "\n")) != len(strings.Split(c.ExampleEN, "\n")) {
				t.Errorf("%s.%s: examples do not fill %d rows in both languages", tbl.Name, c.Key, tbl.ExampleRows)
			}
		}
	}
	for _, m := range []struct {
		table   *table
		columns map[string]string
	}{{projectsTable, projectColumns}, {indicatorsTable, indicatorColumns}, {expertsTable, expertColumns}} {
		for field, key := range m.columns {
			if m.table.column(key) == nil {
				t.Errorf("%s: field %s maps to %s, which is no column", m.table.Name, field, key)
			}
		}
	}
}

func indexOf(t *table, key string) int {
	for i, c := range t.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// TestNoHTTP keeps the package free of the web: its files import no HTTP
// package, nor the web or rbac adapters.
func TestNoHTTP(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) < 5 {
		t.Fatalf("found %d files: %v", len(files), err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if strings.HasPrefix(path, "net/http") || path == "mime/multipart" || strings.Contains(path, "gofiber") ||
				path == "github.com/evalpanel/evalpanel/web" || path == "github.com/evalpanel/evalpanel/rbac" {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}

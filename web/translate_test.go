package web

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

func TestTranslator(t *testing.T) {
	tr, err := Translator()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang     evaluation.Language
		id, want string
	}{
		{evaluation.LangZH, "import.refused", "文件中有 2 处问题，未导入任何内容。"},
		{evaluation.LangEN, "import.refused", "The file has 2 problem(s); nothing was imported."},
		{evaluation.LangEN, "no.such.message", "no.such.message"}, // shown as is, not blank
	} {
		if got := tr(tc.lang, tc.id, "Count", 2); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.lang, tc.id, got, tc.want)
		}
	}
}

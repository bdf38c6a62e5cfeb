package sqlstore

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/google/go-cmp/cmp"
)

// sameAsJSON checks that decodeSheetContent reads text as json.Unmarshal
// does: the same content, or the same error.
func sameAsJSON(t testing.TB, text string) {
	t.Helper()
	got, gotErr := decodeSheetContent(text)
	var want evaluation.SheetContent
	wantErr := json.Unmarshal([]byte(text), &want)
	switch {
	case (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error():
		t.Errorf("decodeSheetContent(%q) error = %v, json.Unmarshal says %v", text, gotErr, wantErr)
	case gotErr == nil:
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decodeSheetContent(%q) differs from json.Unmarshal (-json +ours):\n%s", text, diff)
		}
	}
}

// readByHand reports whether the hand reader took the text itself rather
// than handing it to json.Unmarshal.
func readByHand(text string) bool {
	_, ok := readSheetContent(text)
	return ok
}

var contentCases = []struct {
	text   string
	byHand bool
}{
	{`{}`, true},
	{`{"scores":{}}`, true},
	{`{"scores":{"A1":20.5,"A2":18,"A3":-0.5,"A4":0,"A5":1000000}}`, true},
	{`{"scores":{"A1":22},"comments":{"A1":"主要指标全部完成，部分超额。"},"opinion":"建议通过。"}`, true},
	{`{"scores":{"F1":13.5},"opinion":"","finance_pass":true}`, true},
	{`{"scores":{"F1":13.5},"opinion":"","finance_pass":false}`, true},
	{`{"scores":{"A1":5},"opinion":"x","vetoes":[{"code":"V5","evidence":"指标未完成"},{"code":"V1","evidence":""}]}`, true},
	{`{"vetoes":[]}`, true},
	{`{"vetoes":[{}]}`, true},
	{`{"vetoes":[{"evidence":"e","code":"V2"}]}`, true},
	{`{"comments":{}}`, true},
	{`{"opinion":"a\"b"}`, false},
	{`{"opinion":"\u003cb\u003e \u0026"}`, false},
	{`{"opinion":"tab	inside"}`, false},
	{"{\"opinion\":\"\xff\xfe\"}", false},
	{`{"opinion":"\ud800"}`, false},
	{`{"comments":{"A\u0031":"x"}}`, false},
	{` {"scores":{"A1":1}}`, false},
	{`{"scores":{"A1":1}} `, false},
	{`{"scores": {"A1":1}}`, false},
	{`{"Scores":{"A1":1}}`, false},
	{`{"SCORES":{"A1":1},"scores":{"A2":2}}`, false},
	{`{"scores":{"A1":1},"scores":{"A2":2}}`, false},
	{`{"scores":null,"scores":{"A2":2}}`, false},
	{`{"scores":{"A1":1},"scores":null}`, false},
	{`{"scores":nul}`, false},
	{`{"scores":nullx}`, false},
	{`{"comments":{"A1":null}}`, false},
	{`{"vetoes":[null]}`, false},
	{`{"vetoes":[{"code":null}]}`, true},
	{`{"scores":{"A1":1,"A1":2}}`, false},
	{`{"comments":{"A1":"x","A1":"y"}}`, false},
	{`{"vetoes":[{"code":"V1","code":"V2"}]}`, false},
	{`{"vetoes":[{"Code":"V1"}]}`, false},
	{`{"vetoes":[{"code":"V1","note":"n"}]}`, false},
	{`{"unknown":1,"scores":{"A1":1}}`, false},
	{`{"scores":null}`, true},
	{`{"comments":null}`, true},
	{`{"vetoes":null}`, true},
	{`{"finance_pass":null}`, true},
	{`{"opinion":null}`, true},
	{`{"scores":{"A1":1e1}}`, false},
	{`{"scores":{"A1":1.50}}`, true},
	{`{"scores":{"A1":17.3}}`, false},
	{`{"scores":{"A1":0.25}}`, false},
	{`{"scores":{"A1":01}}`, false},
	{`{"scores":{"A1":-}}`, false},
	{`{"scores":{"A1":1-2}}`, false},
	{`{"scores":{"A1":"17"}}`, false},
	{`{"scores":{"A1":2000001}}`, false},
	{`{"scores":{"A1":1},}`, false},
	{`{"scores":{"A1":1,}}`, false},
	{`{"vetoes":[{"code":"V1"},]}`, false},
	{`{"vetoes":[{"code":"V1",}]}`, false},
	{`{"vetoes":[{,"code":"V1"}]}`, false},
	{`{"finance_pass":truex}`, false},
	{`{"finance_pass":tru}`, false},
	{`{"scores":{"A1":1}`, false},
	{`{"scores":{"A1":1}}}`, false},
	{`{"opinion":"unterminated}`, false},
	{`[]`, false},
	{`null`, false},
	{``, false},
}

func TestDecodeSheetContent(t *testing.T) {
	t.Parallel()
	cases := contentCases
	// A control character, a backslash or a stray quote at every place
	// of texts of every length around the eight bytes plainText reads at
	// a time.
	for n := range 20 {
		for at := range n {
			for _, c := range []string{"\x00", "\x1f", "\t", "\\\\", "\xff"} {
				text := strings.Repeat("x", n)
				text = text[:at] + c + text[at+1:]
				cases = append(cases, struct {
					text   string
					byHand bool
				}{`{"opinion":"` + text + `"}`, false})
			}
			cases = append(cases, struct {
				text   string
				byHand bool
			}{`{"opinion":"` + strings.Repeat(" ", at) + "\x7f" + strings.Repeat("~", n-at) + `"}`, true})
		}
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			sameAsJSON(t, tc.text)
			if got := readByHand(tc.text); got != tc.byHand {
				t.Errorf("read by hand: %v, want %v", got, tc.byHand)
			}
		})
	}
}

// TestDecodeSheetContentGenerated: contents as the store writes them
// (json.Marshal), with texts that need escapes or hold invalid UTF-8 now
// and then, read the same as json.Unmarshal reads them; those with plain
// texts are read by hand.
func TestDecodeSheetContentGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{"", "建议通过。", "plain text", "评分依据：第三方检测报告", "a<b>&c", `quote " and \ backslash`,
		"line\nbreak", "\u2028 separator", "emoji 😀", "bad \xff byte", "ctl \x01"}
	plain := func(s string) bool { return !strings.ContainsAny(s, "<>&\"\\\n\x01\u2028\xff") }
	byHand := 0
	for range 3000 {
		var c evaluation.SheetContent
		simple := true
		text := func() string {
			s := texts[rng.IntN(len(texts))]
			simple = simple && plain(s)
			return s
		}
		if rng.IntN(8) > 0 {
			c.Scores = map[string]rubrics.Points{}
			for i := range rng.IntN(7) {
				c.Scores[fmt.Sprintf("A%d", i+1)] = rubrics.Points(rng.IntN(4_000_001) - 2_000_000)
			}
		}
		if rng.IntN(2) == 0 {
			c.Comments = map[string]string{}
			for i := range rng.IntN(4) {
				c.Comments[fmt.Sprintf("A%d", i+1)] = text()
			}
		}
		c.Opinion = text()
		switch rng.IntN(3) {
		case 0:
			c.Vetoes = []rubrics.VetoFlag{}
		case 1:
			for i := range 1 + rng.IntN(2) {
				c.Vetoes = append(c.Vetoes, rubrics.VetoFlag{Code: fmt.Sprintf("V%d", i+1), Evidence: text()})
			}
		}
		if rng.IntN(2) == 0 {
			c.FinancePass = new(rng.IntN(2) == 0)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		sameAsJSON(t, string(b))
		if readByHand(string(b)) {
			byHand++
		} else if simple {
			t.Errorf("%s: plain content not read by hand", b)
		}
	}
	if byHand < 500 {
		t.Errorf("%d of 3000 contents read by hand, want at least 500", byHand)
	}
}

func FuzzDecodeSheetContent(f *testing.F) {
	for _, tc := range contentCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) { sameAsJSON(t, text) })
}

// benchContent is a stored technical sheet as experts write them.
const benchContent = `{"scores":{"A1":20.5,"A2":18,"A3":21.5,"A4":8,"A5":12.5},"comments":{"A3":"主要技术指标经现场测试核实，` +
	`明显优于约定值，并已在用户单位稳定运行一年以上。","A4":"自测数据与第三方检测结果基本一致，可以认定。"},"opinion":"项目完成了任务书规定的主要` +
	`考核指标，技术路线合理，成果有一定应用前景。经费使用基本规范，预算调整履行了审批程序，过程管理有待加强。成果已在示范工程中应用，新增销售收入和节能` +
	`效益有财务数据佐证。"}`

func BenchmarkDecodeSheetContent(b *testing.B) {
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeSheetContent(benchContent); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c evaluation.SheetContent
			if err := json.Unmarshal([]byte(benchContent), &c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

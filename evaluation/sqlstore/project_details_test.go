package sqlstore

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// detailsSameAsJSON checks that decodeProjectDetails reads text as
// json.Unmarshal does: the same details, or the same error.
func detailsSameAsJSON(t testing.TB, text string) {
	t.Helper()
	got, gotErr := decodeProjectDetails(text)
	var want projectDetails
	wantErr := json.Unmarshal([]byte(text), &want)
	switch {
	case (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error():
		t.Errorf("decodeProjectDetails(%q) error = %v, json.Unmarshal says %v", text, gotErr, wantErr)
	case gotErr == nil:
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("decodeProjectDetails(%q) differs from json.Unmarshal (-json +ours):\n%s", text, diff)
		}
	}
}

const storedDetails = `{"participants":["上海电力大学","上海电气集团股份有限公司"],"pi":{"name":"吴建平","institution":"上海交通大学",` +
	`"role":"项目负责人"},"members":[{"name":"彭子轩","institution":"上海交通大学","role":"课题负责人"},{"name":"叶思远",` +
	`"institution":"上海电力大学","role":"课题负责人"}],"budget":205000000,"spent":197000000,"start":"2023-07-01",` +
	`"end":"2026-06-30","subject_codes":["110.74","120.20"],"keywords":["复杂网络","同步"],"methods":["peer_review","testing"],` +
	`"promotion":true,"avoid":[{"name":"张三","reason":"竞争关系"}]}`

var detailsCases = []struct {
	text   string
	byHand bool
}{
	{storedDetails, true},
	{`{}`, true},
	{`{"participants":[],"pi":{"name":""},"members":null,"budget":0,"spent":0,"subject_codes":[],"keywords":[],` +
		`"methods":[],"promotion":false,"avoid":null}`, true},
	{`{"budget":-0,"spent":-15}`, true},
	{`{"budget":9223372036854775807}`, true},
	{`{"budget":9223372036854775808}`, false},
	{`{"budget":-9223372036854775809}`, false},
	{`{"budget":1.0}`, false},
	{`{"budget":1e3}`, false},
	{`{"budget":01}`, false},
	{`{"budget":-}`, false},
	{`{"budget":1-}`, false},
	{`{"budget":"1"}`, false},
	{`{"pi":{"name":"x","name":"y"}}`, false},
	{`{"pi":{"Name":"x"}}`, false},
	{`{"pi":{"name":"x","email":"y"}}`, false},
	{`{"pi":{"name":null}}`, true},
	{`{"members":[null]}`, false},
	{`{"members":[{}]}`, true},
	{`{"members":[{"name":"a"},]}`, false},
	{`{"keywords":["a",]}`, false},
	{`{"keywords":["a",null]}`, false},
	{`{"keywords":["a\u0062"]}`, false},
	{`{"methods":["peer_review","made_up"]}`, true},
	{`{"promotion":1}`, false},
	{`{"avoid":[{"name":"a","reason":"b","institution":"c"}]}`, true},
	{`{"avoid":{}}`, false},
	{`{"start":"2023-07-01","start":"2023-07-02"}`, false},
	{`{"participants":["a"]} `, false},
	{`{"unknown":true}`, false},
}

func TestDecodeProjectDetails(t *testing.T) {
	t.Parallel()
	for _, tc := range detailsCases {
		t.Run(tc.text, func(t *testing.T) {
			detailsSameAsJSON(t, tc.text)
			if _, got := readProjectDetails(tc.text); got != tc.byHand {
				t.Errorf("read by hand: %v, want %v", got, tc.byHand)
			}
		})
	}
}

// TestDecodeProjectDetailsGenerated: details as the store writes them
// (detailsJSON), with texts that need escapes now and then, read the same
// as json.Unmarshal reads them; many are read by hand.
func TestDecodeProjectDetailsGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	plain := []string{"", "上海交通大学", "项目负责人", "plain", "😀"}
	special := []string{"a<b>&c", `quote " \ `, "bad \xff", "ctl \x01"}
	text := func() string {
		if rng.IntN(30) == 0 {
			return special[rng.IntN(len(special))]
		}
		return plain[rng.IntN(len(plain))]
	}
	member := func() evaluation.Member { return evaluation.Member{Name: text(), Institution: text(), Role: text()} }
	list := func() []string {
		if rng.IntN(4) == 0 {
			return nil
		}
		out := []string{}
		for range rng.IntN(4) {
			out = append(out, text())
		}
		return out
	}
	byHand := 0
	for range 3000 {
		p := &evaluation.Project{Participants: list(), PI: member(), Budget: rng.Int64() - rng.Int64(), Spent: rng.Int64N(1e12),
			Start: text(), End: text(), SubjectCodes: list(), Keywords: list(), Promotion: rng.IntN(2) == 0}
		if rng.IntN(4) > 0 {
			p.Members = []evaluation.Member{}
			for range rng.IntN(5) {
				p.Members = append(p.Members, member())
			}
		}
		for range rng.IntN(3) {
			p.Methods = append(p.Methods, evaluation.Methods[rng.IntN(len(evaluation.Methods))])
		}
		for i := range rng.IntN(3) {
			p.Avoid = append(p.Avoid, evaluation.Avoid{Name: fmt.Sprintf("专家%d", i), Institution: text(), Reason: text()})
		}
		details, err := detailsJSON(p)
		if err != nil {
			t.Fatal(err)
		}
		detailsSameAsJSON(t, details)
		if _, ok := readProjectDetails(details); ok {
			byHand++
		}
	}
	if byHand < 500 {
		t.Errorf("%d of 3000 details read by hand, want at least 500", byHand)
	}
}

func FuzzDecodeProjectDetails(f *testing.F) {
	for _, tc := range detailsCases {
		f.Add(tc.text)
	}
	f.Fuzz(func(t *testing.T, text string) { detailsSameAsJSON(t, text) })
}

func BenchmarkDecodeProjectDetails(b *testing.B) {
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := decodeProjectDetails(storedDetails); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var d projectDetails
			if err := json.Unmarshal([]byte(storedDetails), &d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

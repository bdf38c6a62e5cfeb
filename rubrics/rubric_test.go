package rubrics

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTextIn(t *testing.T) {
	t.Parallel()
	both := Text{ZH: "优秀", EN: "Excellent"}
	tests := []struct {
		name string
		text Text
		lang string
		want string
	}{
		{"en", both, "en", "Excellent"},
		{"zh", both, "zh", "优秀"},
		{"zh-CN is Chinese", both, "zh-CN", "优秀"},
		{"unknown language is Chinese", both, "fr", "优秀"},
		{"en falls back to zh", Text{ZH: "优秀"}, "en", "优秀"},
		{"zh falls back to en", Text{EN: "Excellent"}, "zh", "Excellent"},
		{"nothing", Text{}, "en", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.text.In(tt.lang); got != tt.want {
				t.Errorf("In(%q) = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestTargetValid(t *testing.T) {
	t.Parallel()
	for _, tg := range Targets {
		if !tg.Valid() {
			t.Errorf("%q.Valid() = false, want true", tg)
		}
	}
	for _, tg := range []Target{"", "basic", "Finance", "applied_technology "} {
		if tg.Valid() {
			t.Errorf("%q.Valid() = true, want false", tg)
		}
	}
}

func TestRubricLookups(t *testing.T) {
	t.Parallel()
	r := testRubric()
	if in, ok := r.Indicator("A4"); !ok || in.Max != Pts(10) {
		t.Errorf("Indicator(A4) = %+v, %v; want the 10-point indicator", in, ok)
	}
	if in, ok := r.Indicator("A9"); ok || in != nil {
		t.Errorf("Indicator(A9) = %+v, %v; want nil, false", in, ok)
	}
	if v, ok := r.Veto("V2"); !ok || v.Code != "V2" {
		t.Errorf("Veto(V2) = %+v, %v; want V2", v, ok)
	}
	if v, ok := r.Veto("v2"); ok || v != nil {
		t.Errorf("Veto(v2) = %+v, %v; want nil, false", v, ok)
	}
	// Indicator returns the rubric's own indicator, not a copy.
	in, ok := r.Indicator("A1")
	if !ok {
		t.Fatal("Indicator(A1) found nothing")
	}
	in.Name.EN = "changed"
	if r.Indicators[0].Name.EN != "changed" {
		t.Errorf("Indicator() returned a copy; want a pointer into the rubric")
	}
	if got := r.Total(); got != Pts(100) {
		t.Errorf("Total() = %v, want 100", got)
	}
}

func TestRubricHash(t *testing.T) {
	t.Parallel()
	r := testRubric()
	h := r.Hash()
	if len(h) != 64 {
		t.Fatalf("Hash() = %q, want 64 hex digits", h)
	}
	v2 := r.Clone()
	v2.Version = 2
	if got := v2.Hash(); got != h {
		t.Errorf("Hash() of another version with the same content = %s, want %s", got, h)
	}
	if r.Version != 1 {
		t.Errorf("Hash() changed the version to %d", r.Version)
	}
	changed := r.Clone()
	changed.Indicators[2].Levels[1].Text.EN = "Fair enough"
	if got := changed.Hash(); got == h {
		t.Errorf("Hash() unchanged after a descriptor changed")
	}
}

func TestRubricClone(t *testing.T) {
	t.Parallel()
	r := testRubric()
	c := r.Clone()
	if diff := cmp.Diff(r, c); diff != "" {
		t.Fatalf("Clone() mismatch (-want +got):\n%s", diff)
	}
	// A value no rubric file could hold (out of range, still unvalidated)
	// is copied as it is, not lost.
	odd := testRubric()
	odd.PassLine, odd.Indicators[1].Max = Points(3*MaxAbs), Points(-7)
	if diff := cmp.Diff(odd, odd.Clone()); diff != "" {
		t.Errorf("Clone() of out-of-range points mismatch (-want +got):\n%s", diff)
	}
	c.Indicators[0].Levels[0].Text.ZH = "改"
	*c.Indicators[0].Threshold = Pts(1)
	c.Vetoes[0].Code = "V9"
	c.Bands[0].Min = 0
	if diff := cmp.Diff(testRubric(), r); diff != "" {
		t.Errorf("changing the clone changed the original (-want +got):\n%s", diff)
	}
}

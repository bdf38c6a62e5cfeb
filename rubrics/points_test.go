package rubrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromFloat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		f      float64
		want   Points
		wantOK bool
	}{
		{"zero", 0, 0, true},
		{"negative zero", math.Copysign(0, -1), 0, true},
		{"half", 0.5, 1, true},
		{"minus half", -0.5, -1, true},
		{"whole", 22, 44, true},
		{"85.5", 85.5, 171, true},
		{"100", 100, 200, true},
		{"limit", MaxAbs, 2 * MaxAbs, true},
		{"quarter", 0.25, 0, false},
		{"17.3", 17.3, 0, false},
		{"0.1", 0.1, 0, false},
		{"beyond the limit", MaxAbs + 1, 0, false},
		{"NaN", math.NaN(), 0, false},
		{"+Inf", math.Inf(1), 0, false},
		{"-Inf", math.Inf(-1), 0, false},
		{"max float", math.MaxFloat64, 0, false},
		{"smallest float", math.SmallestNonzeroFloat64, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := FromFloat(tt.f)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("FromFloat(%v) = %d, %v; want %d, %v", tt.f, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestPointsArithmeticIsExact(t *testing.T) {
	t.Parallel()
	// In float64, 0.1-style steps accumulate error; half-points never do.
	var total Points
	for range 200 {
		total += Half
	}
	if total != Pts(100) || total.Float() != 100 || total.String() != "100" {
		t.Errorf("200 × 0.5 = %v (%d half-points), want 100", total, total)
	}
	if got, want := Pts(17)+Half+Pts(24)+Half+Pts(22)+Pts(8)+Half+Pts(13), pts(85.5); got != want {
		t.Errorf("17.5 + 24.5 + 22 + 8.5 + 13 = %v, want %v", got, want)
	}
}

func TestPointsString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Points
		want string
	}{
		{0, "0"}, {1, "0.5"}, {-1, "-0.5"}, {2, "1"}, {-2, "-1"}, {3, "1.5"}, {-3, "-1.5"},
		{35, "17.5"}, {171, "85.5"}, {200, "100"}, {-200, "-100"}, {2e6, "1000000"}, {2e6 + 1, "1000000.5"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("Points(%d).String() = %q, want %q", int64(tt.p), got, tt.want)
		}
		if got, want := tt.p.Float(), float64(tt.p)/2; got != want {
			t.Errorf("Points(%d).Float() = %v, want %v", int64(tt.p), got, want)
		}
	}
	if got := Pts(100); got != 200 {
		t.Errorf("Pts(100) = %d half-points, want 200", got)
	}
}

func TestPointsJSON(t *testing.T) {
	t.Parallel()
	t.Run("round trip", func(t *testing.T) {
		t.Parallel()
		for _, p := range []Points{0, 1, -1, 2, 35, 171, 200, -171, 2 * MaxAbs, -2 * MaxAbs} {
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatalf("Marshal(%v): %v", p, err)
			}
			if string(b) != p.String() {
				t.Errorf("Marshal(%d) = %s, want %s", int64(p), b, p.String())
			}
			var got Points
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if got != p {
				t.Errorf("Unmarshal(Marshal(%d)) = %d", int64(p), int64(got))
			}
		}
	})
	t.Run("in a struct", func(t *testing.T) {
		t.Parallel()
		type doc struct {
			Score Points  `json:"score"`
			Limit *Points `json:"limit,omitempty"`
		}
		in := doc{Score: pts(17.5), Limit: ptr(Pts(15))}
		b := mustJSON(t, in)
		if got, want := string(b), `{"score":17.5,"limit":15}`; got != want {
			t.Errorf("Marshal = %s, want %s", got, want)
		}
		var out doc
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("Unmarshal: %v", err)
		}
		if diff := cmp.Diff(in, out); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("UnmarshalJSON", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			in      string
			want    Points
			wantErr error
		}{
			{"0", 0, nil},
			{"17.5", 35, nil},
			{" 17.5 ", 35, nil},
			{"-0.5", -1, nil},
			{"1e2", 200, nil},
			{"1.5E1", 30, nil},
			{"0.25", 0, ErrNotStep},
			{"17.3", 0, ErrNotStep},
			{`"17.5"`, 0, ErrNotNumber},
			{"null", 0, ErrNotNumber},
			{"true", 0, ErrNotNumber},
			{"false", 0, ErrNotNumber},
			{"[]", 0, ErrNotNumber},
			{"{}", 0, ErrNotNumber},
			{"", 0, ErrNotNumber},
			{"NaN", 0, ErrNotNumber},
			{"Infinity", 0, ErrNotNumber},
			{"-Infinity", 0, ErrNotNumber},
			{"-", 0, ErrNotNumber},
			{"1.", 0, ErrNotNumber},
			{"01", 0, ErrNotNumber},
			{"1 2", 0, ErrNotNumber},
		}
		for _, tt := range tests {
			got := Points(-99)
			err := got.UnmarshalJSON([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("UnmarshalJSON(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				continue
			}
			if tt.wantErr == nil && got != tt.want {
				t.Errorf("UnmarshalJSON(%q) = %d, want %d", tt.in, int64(got), int64(tt.want))
			}
			if tt.wantErr != nil && got != -99 {
				t.Errorf("UnmarshalJSON(%q) changed the value to %d on error", tt.in, int64(got))
			}
		}
	})
}

// TestPlainPointsAgreesWithExact: the fast path of UnmarshalJSON gives
// what the exact path gives (value or error) for every string up to six
// characters over the characters of its form, up to four over those of any
// JSON number and a few others, and around its limits.
func TestPlainPointsAgreesWithExact(t *testing.T) {
	t.Parallel()
	var inputs []string
	var grow func(prefix, alphabet string, n int)
	grow = func(prefix, alphabet string, n int) {
		inputs = append(inputs, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+string(c), alphabet, n-1)
		}
	}
	grow("", "-0159.", 6)
	grow("", "-+0123456789.eE x\"", 4)
	for _, s := range []string{"1000000", "1000000.5", "-1000000", "-1000000.5", "1000000.0", "999999.5", "1000001",
		"9999999", "9999999.5", "-9999999.5", "10000000", "12345678", "99999999999999999999", "0000000", "00.5", "-00",
		"-0", "-0.0", "-0.5", "0.50", "0.00", "17.5", " 17.5", "17.5 ", "\t-3\n"} {
		inputs = append(inputs, s)
	}
	plain := 0
	for _, in := range inputs {
		b := []byte(in)
		want, wantErr := exactPoints(bytes.TrimSpace(b))
		got := Points(-99)
		err := got.UnmarshalJSON(b)
		if _, ok := plainPoints(bytes.TrimSpace(b)); ok {
			plain++
		}
		if err != wantErr {
			t.Errorf("UnmarshalJSON(%q) error = %v, exact path says %v", in, err, wantErr)
			continue
		}
		if err == nil && got != want {
			t.Errorf("UnmarshalJSON(%q) = %d, exact path says %d", in, int64(got), int64(want))
		}
	}
	if plain < 1000 {
		t.Errorf("the fast path took %d of %d inputs, want at least 1000", plain, len(inputs))
	}
}

// BenchmarkPointsUnmarshalJSON is a stored score's parse.
func BenchmarkPointsUnmarshalJSON(b *testing.B) {
	in := []byte("17.5")
	for b.Loop() {
		var p Points
		if err := p.UnmarshalJSON(in); err != nil {
			b.Fatal(err)
		}
	}
}

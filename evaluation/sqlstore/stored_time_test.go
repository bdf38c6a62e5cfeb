package sqlstore

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestParseStoredTime: the fast path gives what time.Parse gives, the same
// value in the same location, for every time it takes, and takes the
// stored form of days up to the 28th.
func TestParseStoredTime(t *testing.T) {
	t.Parallel()
	inputs := []string{"2025-03-14T09:26:53.589793238Z", "0000-01-01T00:00:00.000000000Z", "9999-12-28T23:59:59.999999999Z",
		"2024-02-29T00:00:00.000000000Z", "2025-02-29T00:00:00.000000000Z", "2025-04-31T00:00:00.000000000Z",
		"2025-13-01T00:00:00.000000000Z", "2025-00-01T00:00:00.000000000Z", "2025-01-00T00:00:00.000000000Z",
		"2025-01-01T24:00:00.000000000Z", "2025-01-01T00:60:00.000000000Z", "2025-01-01T00:00:60.000000000Z",
		"2025-01-01T00:00:00.00000000Z", "2025-01-01T00:00:00.0000000000Z", "2025-01-01T00:00:00.000000000",
		"2025-01-01 00:00:00.000000000Z", "2025-01-01T00:00:00,000000000Z", "2025-1-01T00:00:00.000000000Z0",
		"202a-01-01T00:00:00.000000000Z", "2025-01-01T00:00:0x.000000000Z", "+025-01-01T00:00:00.000000000Z",
		"2025-01-01T00:00:00.00000000-Z", "", "2025-01-01T00:00:00Z"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		at := time.Unix(rng.Int64N(1<<35)-1<<33, rng.Int64N(1e9)).UTC()
		inputs = append(inputs, at.Format(timeFormat))
	}
	fast := 0
	for _, in := range inputs {
		want, wantErr := time.Parse(timeFormat, in)
		got, ok := parseStoredTime(in)
		switch {
		case ok && wantErr != nil:
			t.Errorf("parseStoredTime(%q) = %v, time.Parse refuses it: %v", in, got, wantErr)
		case ok && got != want:
			t.Errorf("parseStoredTime(%q) = %#v, time.Parse gives %#v", in, got, want)
		case ok:
			fast++
		}
		var scanned time.Time
		err := timeScan{&scanned}.parse(in)
		if (err == nil) != (wantErr == nil) || err == nil && scanned != want {
			t.Errorf("timeScan(%q) = %v, %v; want %v, %v", in, scanned, err, want, wantErr)
		}
	}
	if fast < 15000 {
		t.Errorf("the fast path took %d of %d times, want at least 15000", fast, len(inputs))
	}
}

func BenchmarkParseStoredTime(b *testing.B) {
	const at = "2025-03-14T09:26:53.589793238Z"
	b.Run("stored", func(b *testing.B) {
		for b.Loop() {
			if _, ok := parseStoredTime(at); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("time.Parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := time.Parse(timeFormat, at); err != nil {
				b.Fatal(err)
			}
		}
	})
}

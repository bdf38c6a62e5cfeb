package main

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"52428800", 50 << 20}, {"50MiB", 50 << 20}, {"50 MiB", 50 << 20}, {"50m", 50 << 20}, {"50MB", 50 << 20},
		{"512KiB", 512 << 10}, {"2GiB", 2 << 30}, {"100B", 100},
		{"", 0}, {"0", 0}, {"-5MiB", 0}, {"1.5MiB", 0}, {"MiB", 0}, {"50TiB", 0}, {"2000GiB", 0},
	} {
		got, err := parseSize(tc.in)
		if tc.want == 0 {
			if err == nil {
				t.Errorf("parseSize(%q) = %d, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := New(Fast)
	hash, err := h.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string", hash)
	}
	again, err := h.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if again == hash {
		t.Error("two hashes of one password are equal: salt not random")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"correct horse battery", true},
		{"correct horse batterY", false},
		{"", false},
	} {
		got, err := h.Verify(hash, tc.pw)
		if err != nil || got != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	// A hash made with other parameters still verifies.
	if ok, err := New(Default).Verify(hash, "correct horse battery"); !ok || err != nil {
		t.Errorf("Verify with other params = %v, %v", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, hash := range []string{
		"", "plain", "$2a$10$abcdefghijklmnopqrstuu", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5",
	} {
		if ok, err := New(Fast).Verify(hash, "x"); ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) = %v, %v; want false, %v", hash, ok, err, ErrMalformed)
		}
	}
}

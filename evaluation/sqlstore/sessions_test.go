package sqlstore_test

import (
	"sync"
	"testing"
	"time"
)

func TestSessions(t *testing.T) {
	db := openDB(t)
	s := db.Sessions()
	defer s.Close()
	if v, err := s.Get("missing"); v != nil || err != nil {
		t.Fatalf("Get(missing) = %q, %v; want nil, nil", v, err)
	}
	if err := s.Set("a", []byte("one"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("a", []byte("two"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("forever", []byte{0, 1, 255}, 0); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"a": "two", "forever": "\x00\x01\xff"} {
		v, err := s.Get(key)
		if err != nil || string(v) != want {
			t.Errorf("Get(%q) = %q, %v; want %q", key, v, err, want)
		}
	}
	if err := s.Delete("a"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("a"); v != nil {
		t.Errorf("Get(a) after Delete = %q", v)
	}
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Get("forever"); v != nil {
		t.Errorf("Get(forever) after Reset = %q", v)
	}
}

// TestLoginAttempts: of 20 attempts sent at once for one key with a limit
// of 5, exactly 5 pass; a release lets one more in; the wait is counted
// from the oldest attempt; another key is not affected.
func TestLoginAttempts(t *testing.T) {
	db := openDB(t)
	now := t0
	var mu sync.Mutex
	passed := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := db.CountLoginAttempt(t.Context(), "alice\x00127.0.0.1", now, time.Minute, 5)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				passed++
				mu.Unlock()
			} else if wait != time.Minute {
				t.Errorf("wait = %v, want 1m", wait)
			}
		}()
	}
	wg.Wait()
	if passed != 5 {
		t.Fatalf("%d of 20 attempts passed, want 5", passed)
	}
	if err := db.ReleaseLoginAttempt(t.Context(), "alice\x00127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	later := now.Add(20 * time.Second)
	if wait, err := db.CountLoginAttempt(t.Context(), "alice\x00127.0.0.1", later, time.Minute, 5); wait != 0 || err != nil {
		t.Fatalf("after a release: wait %v, %v; want 0", wait, err)
	}
	if wait, _ := db.CountLoginAttempt(t.Context(), "alice\x00127.0.0.1", later, time.Minute, 5); wait != 40*time.Second {
		t.Fatalf("wait = %v, want 40s (the oldest attempt leaves the window then)", wait)
	}
	if wait, _ := db.CountLoginAttempt(t.Context(), "bob\x00127.0.0.1", later, time.Minute, 5); wait != 0 {
		t.Fatalf("another key waits %v", wait)
	}
	if wait, _ := db.CountLoginAttempt(t.Context(), "alice\x00127.0.0.1", now.Add(time.Minute+time.Second), time.Minute, 5); wait != 0 {
		t.Fatalf("after the window: wait %v", wait)
	}
}

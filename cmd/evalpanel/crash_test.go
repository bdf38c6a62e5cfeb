package main

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// asMain is the environment variable that makes the test binary run as
// evalpanel itself (see TestMain): the crash and backup tests start the
// server as a child process without building the binary first.
const asMain = "EVALPANEL_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testCommand runs this test binary as evalpanel with the given arguments.
func testCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMain+"=1")
	return cmd
}

// TestCrashSafety is the short form of `evalpanel crash-test`: the server,
// a child process, is killed with SIGKILL five times while clients save and
// submit sheets, and no acknowledged write may be missing afterwards.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills the server five times")
	}
	start := time.Now()
	cfg := crashConfig{Cycles: 5, Clients: 8, Seed: 20261125, MaxUp: 400 * time.Millisecond, DBDir: t.TempDir(), command: testCommand}
	var out testWriter
	out.t = t
	rep, err := runCrashTest(t.Context(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Cycles != 5 {
		t.Errorf("cycles = %d, want 5", rep.Cycles)
	}
	if rep.Acknowledged < 50 || rep.Submitted == 0 {
		t.Errorf("%d writes acknowledged, %d of them submits; want at least 50 and some submits (did the clients reach the server?)",
			rep.Acknowledged, rep.Submitted)
	}
	if rep.Lost != 0 || len(rep.Problems) > 0 {
		t.Errorf("writes lost = %d, want 0; problems: %q", rep.Lost, rep.Problems)
	}
	for _, want := range []string{"cycles: 5", "writes lost: 0", "integrity_check: ok", "audit verify: audit log intact"} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(out.String()) {
			t.Errorf("output lacks %q", want)
		}
	}
	t.Logf("%d cycles, %s acknowledged, %d lost, in %s", rep.Cycles, strconv.Itoa(rep.Acknowledged), rep.Lost, time.Since(start).Round(time.Millisecond))
}

// testWriter keeps what is written and logs it line by line.
type testWriter struct {
	t   *testing.T
	buf []byte
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	w.t.Logf("%s", p)
	return len(p), nil
}

func (w *testWriter) String() string { return string(w.buf) }

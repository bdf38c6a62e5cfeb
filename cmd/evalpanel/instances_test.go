package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
)

// TestTwoInstances: two server processes on one PostgreSQL database, as
// behind a load balancer. Eight experts' clients save drafts and submit
// their sheets, each request sent to either instance at random, until
// every sheet is in; then, for ten more sheets, the same save (version 0)
// is sent to both instances at once. Afterwards: every acknowledged write
// is stored, once (one audit entry each, none for a write not
// acknowledged); of each pair of simultaneous saves exactly one won and
// the other was refused as stale (409), the winner's content stored; the
// audit chain verifies; and a session begun on one instance is valid on
// the other.
func TestTwoInstances(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two servers and a PostgreSQL database")
	}
	server := storetest.Server(t)
	dbURL, err := storetest.NewDatabase(t, server, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	const clients, perClient, raced = 8, 6, 10
	sheets, _, err := setupBench(ctx, dbURL, clients*perClient+raced)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	dir := t.TempDir()
	log, err := os.Create(filepath.Join(dir, "servers.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	starter := childStarter{command: testCommand, db: dbURL, data: filepath.Join(dir, "data"), log: log}
	var urls [2]string
	var lives [2]atomic.Pointer[string]
	for i := range urls {
		c, err := starter.start(ctx)
		if err != nil {
			t.Fatalf("instance %d: %v", i+1, err)
		}
		t.Cleanup(func() {
			if err := c.terminate(); err != nil {
				t.Errorf("instance %d: %v", i+1, err)
			}
		})
		urls[i] = c.url
		lives[i].Store(&urls[i])
	}
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("servers' log:\n%s", b)
		}
	}()

	// Experts against both instances at once.
	work, race := sheets[:clients*perClient], sheets[clients*perClient:]
	var cs []*crashClient
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i, list := range splitSheets(work, clients) {
		c := newCrashClient(i, list, rand.New(rand.NewPCG(11, uint64(i))), &lives[0], &lives[1])
		cs = append(cs, c)
		wg.Add(1)
		go func() { defer wg.Done(); c.run(ctx, stop) }()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Minute):
		close(stop)
		<-done
		t.Fatal("the clients did not submit every sheet within 3 minutes")
	}
	rep := &crashReport{}
	acked, submits := 0, 0
	for _, c := range cs {
		if !c.finished.Load() {
			t.Errorf("client %d did not finish", c.id)
		}
		if c.unanswered > 0 || len(c.unexpected) > 0 {
			t.Errorf("client %d: %d requests without an answer, unexpected answers %q", c.id, c.unanswered, c.unexpected)
		}
		for _, sh := range c.sheets {
			acked += len(sh.acks)
			for _, a := range sh.acks {
				if a.submit {
					submits++
				}
			}
		}
	}
	if err := checkCrashSheets(ctx, urls[1], cs, rep); err != nil {
		t.Fatal(err)
	}
	if rep.Lost != 0 || len(rep.Problems) > 0 {
		t.Errorf("writes lost: %d; %q", rep.Lost, rep.Problems)
	}

	// The same save sent to both instances at once: one wins.
	hc := &http.Client{Timeout: 30 * time.Second}
	type answer struct {
		status int
		body   []byte
	}
	won := map[int64]json.RawMessage{}
	for i, sh := range race {
		var answers [2]answer
		var start, finish sync.WaitGroup
		start.Add(1)
		for k := range 2 {
			finish.Add(1)
			go func() {
				defer finish.Done()
				body := fmt.Appendf(nil, `{"version":0,"scores":{"A1":%d},"comments":{},"opinion":"instance %d"}`, 10+k, k+1)
				start.Wait()
				b, status, err := crashDo(ctx, hc, http.MethodPut, fmt.Sprintf("%s/api/v1/projects/%d/sheet", urls[k], sh.projectID), sh.token, body)
				if err != nil {
					t.Errorf("race %d, instance %d: %v", i, k+1, err)
				}
				answers[k] = answer{status, b}
			}()
		}
		start.Done()
		finish.Wait()
		ok := 0
		for k, a := range answers {
			switch a.status {
			case http.StatusOK:
				ok++
				var got crashSheet
				if err := json.Unmarshal(a.body, &got); err != nil {
					t.Fatal(err)
				}
				won[sh.projectID] = got.Content
				if !strings.Contains(string(got.Content), fmt.Sprintf("instance %d", k+1)) {
					t.Errorf("race %d: instance %d acknowledged %s", i, k+1, got.Content)
				}
			case http.StatusConflict:
			default:
				t.Errorf("race %d, instance %d: status %d: %.200s", i, k+1, a.status, a.body)
			}
		}
		if ok != 1 {
			t.Errorf("race %d: %d saves of version 0 acknowledged, want exactly 1", i, ok)
		}
		for k := range 2 {
			got, err := fetchSheet(ctx, hc, urls[k], sh.token, sh.projectID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != 1 || !sameContent(got.Content, won[sh.projectID]) {
				t.Errorf("race %d: instance %d reads version %d %s, want version 1 %s", i, k+1, got.Version, got.Content, won[sh.projectID])
			}
		}
	}

	// Every acknowledged write once in the audit log, and nothing else.
	db, err := sqlstore.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT details FROM audit_log WHERE action IN ('sheet.save', 'sheet.submit')`)
	if err != nil {
		t.Fatal(err)
	}
	type write struct{ sheet, version int64 }
	logged := map[write]int{}
	for rows.Next() {
		var details string
		if err := rows.Scan(&details); err != nil {
			t.Fatal(err)
		}
		var d struct{ Sheet, Version int64 }
		if err := json.Unmarshal([]byte(details), &d); err != nil {
			t.Fatal(err)
		}
		logged[write{d.Sheet, d.Version}]++
	}
	rows.Close()
	want := map[write]int{}
	for _, c := range cs {
		for _, sh := range c.sheets {
			for _, a := range sh.acks {
				want[write{a.sheetID, int64(a.version)}]++
			}
		}
	}
	extra := 0
	for w, n := range logged {
		switch {
		case want[w] == 1 && n == 1:
		case want[w] == 0 && w.version == 1 && n == 1:
			extra++ // a raced sheet's winning save
		default:
			t.Errorf("sheet %d version %d: %d audit entries, %d acknowledged", w.sheet, w.version, n, want[w])
		}
	}
	for w := range want {
		if logged[w] == 0 {
			t.Errorf("sheet %d version %d acknowledged but not in the audit log", w.sheet, w.version)
		}
	}
	if extra != raced {
		t.Errorf("%d audit entries beyond the clients' writes, want %d (the raced sheets' winners)", extra, raced)
	}

	var audit bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "--db", dbURL}, nil, &audit, &audit); err != nil {
		t.Errorf("audit verify: %v\n%s", err, audit.String())
	}

	// A session begun on one instance is valid on the other.
	a := newSiteClient(t, urls[0])
	a.password = benchPassword
	a.login(work[0].expert)
	b := newSiteClient(t, urls[1])
	b.cookie = a.cookie
	for _, u := range urls {
		b.base = u
		if code, page := b.get("/"); code != http.StatusOK || strings.Contains(page, `name="password"`) {
			t.Errorf("home on %s with the session of instance 1: status %d, a sign-in page: %v", u, code, strings.Contains(page, `name="password"`))
		}
	}
	t.Logf("two instances: %d writes acknowledged (%d submits), %d lost; %d simultaneous saves, one won each; %s",
		acked, submits, rep.Lost, raced, strings.SplitN(audit.String(), "\n", 2)[0])
}

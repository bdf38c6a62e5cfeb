package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
)

// TestMigrateDBServesTheSame: the demo database, moved to PostgreSQL by
// migrate-db, is served unchanged. A server on the SQLite file and one on
// the PostgreSQL copy, with the same clock and the same data folder,
// answer the same pages alike for every role: each account signs in on
// both, crawls what its pages link to, and every page's text is compared
// (the CSRF tokens aside). A second migrate-db into the now full target is
// refused and changes nothing.
func TestMigrateDBServesTheSame(t *testing.T) {
	pgServer := storetest.Server(t)
	dir := t.TempDir()
	now := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { return now }
	sqlitePath := filepath.Join(dir, "demo.db")
	start := func(db string, seed bool) *server {
		t.Helper()
		s, err := startServer(t.Context(), serverConfig{Addr: "127.0.0.1:0", DB: db, DataDir: filepath.Join(dir, "data"),
			Demo: seed, Password: password.Fast, Now: clock, Logger: slog.New(slog.DiscardHandler), Stdout: io.Discard})
		if err != nil {
			t.Fatalf("start server on %s: %v", db, err)
		}
		t.Cleanup(func() { s.shutdown(5 * time.Second) })
		return s
	}
	lite := start(sqlitePath, true)
	target, err := storetest.NewDatabase(t, pgServer, false)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"migrate-db", "--from", sqlitePath, "--to", target}, nil, &out, &errOut); err != nil {
		t.Fatalf("migrate-db: %v\n%s%s", err, out.String(), errOut.String())
	}
	for _, want := range []string{"each table's count equal to the source's", "audit log intact", "ending at the source's head"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("migrate-db printed no %q:\n%s", want, out.String())
		}
	}
	pg := start(target, false)

	for _, username := range []string{"admin", "commission", "sstpc-zhou", "shtis-huang", "expert01", "expert23", "expert35"} {
		t.Run(username, func(t *testing.T) {
			a, b := newSiteClient(t, lite.URL()), newSiteClient(t, pg.URL())
			a.login(username)
			b.login(username)
			seen := map[string]bool{"/": true}
			queue := []string{"/"}
			fetched := 0
			for len(queue) > 0 && fetched < 60 {
				path := queue[0]
				queue = queue[1:]
				fetched++
				pa, pb := a.text(path), b.text(path)
				if pa != pb {
					t.Errorf("%s differs between SQLite and PostgreSQL:\n%s", path, firstDifference(pa, pb))
					continue
				}
				for _, link := range pageLinks(pa) {
					if !seen[link] {
						seen[link] = true
						queue = append(queue, link)
					}
				}
			}
			if fetched < 20 {
				t.Errorf("crawled only %d pages as %s", fetched, username)
			}
			t.Logf("%s: %d pages alike", username, fetched)
		})
	}

	// A second copy into the same database is refused and writes nothing.
	out.Reset()
	errOut.Reset()
	if err := run(t.Context(), []string{"migrate-db", "--from", sqlitePath, "--to", target}, nil, &out, &errOut); err == nil {
		t.Fatalf("migrate-db into a full database: no error\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "not empty") {
		t.Errorf("refusal says %q, want it to say the target is not empty", errOut.String())
	}
	var audit bytes.Buffer
	if err := run(t.Context(), []string{"audit", "verify", "--db", target}, nil, &audit, &audit); err != nil {
		t.Errorf("audit verify after the refused copy: %v\n%s", err, audit.String())
	}
}

// siteClient reads the pages of a real server with a session signed in
// through the login form (benchLogin).
type siteClient struct {
	t        *testing.T
	base     string
	c        *http.Client
	password string
	cookie   string
}

func newSiteClient(t *testing.T, base string) *siteClient {
	return &siteClient{t: t, base: base, password: demo.Password, c: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (s *siteClient) get(path string) (int, string) {
	s.t.Helper()
	req, err := http.NewRequestWithContext(s.t.Context(), http.MethodGet, s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Cookie", s.cookie)
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (s *siteClient) login(username string) {
	s.t.Helper()
	cookie, err := benchLogin(s.t.Context(), s.base, username, s.password)
	if err != nil {
		s.t.Fatalf("on %s: %v", s.base, err)
	}
	s.cookie = cookie
}

// tokens are what differs between two servers by design: CSRF tokens.
var tokens = regexp.MustCompile(`(name="_csrf" value="|name="csrf-token" content=")[^"]*"`)

// text returns a page's status and body with the tokens blanked.
func (s *siteClient) text(path string) string {
	s.t.Helper()
	code, body := s.get(path)
	return fmt.Sprintf("%d\n%s", code, tokens.ReplaceAllString(body, `${1}…"`))
}

var hrefs = regexp.MustCompile(`href="(/[^"#]*)"`)

// pageLinks lists a page's links to pages of the site, in order; not
// sign-out, downloads or static files.
func pageLinks(page string) []string {
	var out []string
	for _, m := range hrefs.FindAllStringSubmatch(page, -1) {
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.HasPrefix(link, "/static/") || strings.HasPrefix(link, "/logout") || strings.Contains(link, "download") ||
			strings.Contains(link, ".xlsx") || strings.Contains(link, "/export") || strings.HasPrefix(link, "//") {
			continue
		}
		if !slices.Contains(out, link) {
			out = append(out, link)
		}
	}
	return out
}

// firstDifference shows the lines around the first difference of a and b.
func firstDifference(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		if i >= len(la) || i >= len(lb) || la[i] != lb[i] {
			get := func(l []string) string {
				if i < len(l) {
					return strings.TrimSpace(l[i])
				}
				return "(end)"
			}
			return fmt.Sprintf("line %d:\n  SQLite:     %.300s\n  PostgreSQL: %.300s", i+1, get(la), get(lb))
		}
	}
	return ""
}

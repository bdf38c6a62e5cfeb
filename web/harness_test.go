package web

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/rbac"
)

// harness is a web app over a real SQLite file with two agencies and one
// user of each role (two staff, one per agency), each with an API token.
type harness struct {
	t        testing.TB
	app      *App
	db       *sqlstore.DB
	svc      *evaluation.Services
	now      time.Time
	users    map[string]*evaluation.User
	tokens   map[string]string
	agencyA  *evaluation.Agency
	agencyB  *evaluation.Agency
	expertID int64
	// password is every account's password; testPassword when empty.
	password string
}

const testPassword = "correct horse battery"

func newHarness(t testing.TB) *harness {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "web.db")
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &harness{t: t, db: db, now: time.Now(), users: map[string]*evaluation.User{}, tokens: map[string]string{}}
	// The services and the app share the harness's clock, so a test can
	// move both past a deadline.
	svc, err := evaluation.New(db, password.New(password.Fast), evaluation.WithClock(func() time.Time { return h.now }))
	if err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	h.app = h.newApp(ServicesOf(svc, db.Ping), 0)

	sys := evaluation.System
	if h.agencyA, err = svc.Accounts.CreateAgency(ctx, sys, evaluation.NewAgency{Code: "AGA", NameZH: "甲机构", NameEN: "Agency A"}); err != nil {
		t.Fatal(err)
	}
	if h.agencyB, err = svc.Accounts.CreateAgency(ctx, sys, evaluation.NewAgency{Code: "AGB", NameZH: "乙机构", NameEN: "Agency B"}); err != nil {
		t.Fatal(err)
	}
	e := &evaluation.Expert{Name: "张专家", Type: evaluation.DomainExpert, Institution: "某大学", TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionLocal, CanBeDrawn: true}
	if err := svc.Pool.CreateExpert(ctx, sys, e); err != nil {
		t.Fatal(err)
	}
	h.expertID = e.ID
	for _, u := range []evaluation.NewUser{
		{Username: "admin", Name: "Admin", Role: evaluation.RoleAdmin},
		{Username: "commission", Name: "Commission", Role: evaluation.RoleCommission},
		{Username: "staffa", Name: "Staff A", Role: evaluation.RoleAgencyStaff, AgencyCode: "AGA"},
		{Username: "staffb", Name: "Staff B", Role: evaluation.RoleAgencyStaff, AgencyCode: "AGB"},
		{Username: "expert", Name: "Expert", Role: evaluation.RoleExpert, ExpertID: e.ID},
	} {
		u.Password = testPassword
		created, err := svc.Accounts.CreateUser(ctx, sys, u)
		if err != nil {
			t.Fatalf("create %s: %v", u.Username, err)
		}
		secret, _, err := svc.Accounts.CreateToken(ctx, created.Actor(), "test", evaluation.LoginMeta{})
		if err != nil {
			t.Fatal(err)
		}
		h.users[u.Username], h.tokens[u.Username] = created, secret
	}
	return h
}

// do sends a request through the app and returns the response and its
// body. An API request and its response are checked against the OpenAPI
// document (apiContract.checkContract), and any mismatch fails the test.
func (h *harness) do(req *http.Request) (*http.Response, string) {
	h.t.Helper()
	var sent []byte
	api := strings.HasPrefix(req.URL.Path, "/api/")
	if api && req.Body != nil {
		var err error
		if sent, err = io.ReadAll(req.Body); err != nil {
			h.t.Fatal(err)
		}
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	check := req.Clone(context.Background())
	resp, err := h.app.Handler().Test(req, -1)
	if err != nil {
		h.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	if api {
		h.checkContract(check, sent, resp, b)
	}
	return resp, string(b)
}

// checkContract fails the test when an API request or its response does
// not match the OpenAPI document.
func (h *harness) checkContract(req *http.Request, sent []byte, resp *http.Response, body []byte) {
	h.t.Helper()
	contract, err := loadContract()
	if err != nil {
		h.t.Fatal(err)
	}
	op, problems := contract.checkContract(req, sent, resp, body)
	if len(problems) > 0 {
		h.t.Errorf("OpenAPI mismatch: %s (sent %s %s), status %d:\n\t%s\nrequest body: %.300s\nresponse body: %.500s",
			op, req.Method, req.URL.RequestURI(), resp.StatusCode, strings.Join(problems, "\n\t"), sent, body)
	}
}

// api sends a JSON API request as the user (no user when as is "").
func (h *harness) api(as, method, target, body string, header ...string) (*http.Response, string) {
	h.t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return h.do(req)
}

// apiErr decodes an error body.
func apiErr(t testing.TB, body string) apiErrorBody {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("error body %q is not the error format: %v", body, err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body %q lacks code or message", body)
	}
	return e.Error
}

// wantError fails the test unless body is the JSON error format with the
// code and a message for each of the fields.
func wantError(t testing.TB, body string, code evaluation.Code, fields ...string) apiErrorBody {
	t.Helper()
	e := apiErr(t, body)
	if e.Code != code {
		t.Errorf("error code %q, want %q; body %s", e.Code, code, body)
	}
	for _, f := range fields {
		if e.Fields[f] == "" {
			t.Errorf("error names no message for field %q; body %s", f, body)
		}
	}
	return e
}

// scenario is one API request of a scenario table and what must come back:
// the status; for an error status, the error's code and the fields it
// names; and text the body must and must not contain.
type scenario struct {
	name, as, method, url, body string
	status                      int
	code                        evaluation.Code // the error's code; required for an error status
	fields                      []string        // fields the error must name
	contains, absent            []string
}

// run sends the scenario's request, its URL expanded, and checks the
// response; it returns the body.
func (h *harness) run(t testing.TB, sc scenario) string {
	t.Helper()
	resp, body := h.api(sc.as, sc.method, h.expand(sc.url), sc.body)
	if resp.StatusCode != sc.status {
		t.Fatalf("%s %s as %s: status %d, want %d; body %s", sc.method, sc.url, sc.as, resp.StatusCode, sc.status, body)
	}
	switch {
	case sc.status >= 400 && sc.code == "":
		t.Fatalf("the case gives no error code for status %d", sc.status)
	case sc.status >= 400:
		wantError(t, body, sc.code, sc.fields...)
	case sc.code != "" || len(sc.fields) > 0:
		t.Fatalf("the case gives an error code or fields for status %d", sc.status)
	}
	for _, s := range sc.contains {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q: %s", s, body)
		}
	}
	for _, s := range sc.absent {
		if strings.Contains(body, s) {
			t.Errorf("body has %q: %s", s, body)
		}
	}
	return body
}

// writeScenario is a case of a scenario table that changes the database,
// or reads what earlier changes made: it runs on a harness of its own,
// after the requests it needs (given), and its request must add exactly
// the audit entries with the actions in audit, oldest first.
type writeScenario struct {
	given []scenario
	scenario
	audit []string
}

// runWrite sends the case's given requests, then its own, and checks the
// response, that the request added the case's audit entries and no
// others, and that a refused request changed nothing.
func (h *harness) runWrite(t testing.TB, tc writeScenario) {
	t.Helper()
	for _, g := range tc.given {
		h.run(t, g)
	}
	h.warmTokens()
	before, audit := h.dump(), h.auditActions()
	h.run(t, tc.scenario)
	if tc.status >= 400 && h.dump() != before {
		t.Errorf("a refused request changed the database")
	}
	after := h.auditActions()
	if len(after) < len(audit) || !slices.Equal(after[:len(audit)], audit) {
		t.Fatalf("the request changed earlier audit entries: before %v, after %v", audit, after)
	}
	if got := after[len(audit):]; !slices.Equal(got, tc.audit) {
		t.Errorf("the request added audit entries %q, want %q", got, tc.audit)
	}
}

var placeholder = regexp.MustCompile(`\{([A-Za-z0-9_.]+)\}`)

// expand replaces {username} in a URL with the user's ID and {AGA} or
// {AGB} with the agency's, so that a table can name the rows of whichever
// harness it runs on.
func (h *harness) expand(url string) string {
	h.t.Helper()
	return placeholder.ReplaceAllStringFunc(url, func(m string) string {
		name := m[1 : len(m)-1]
		switch {
		case h.users[name] != nil:
			return fmt.Sprint(h.users[name].ID)
		case name == h.agencyA.Code:
			return fmt.Sprint(h.agencyA.ID)
		case name == h.agencyB.Code:
			return fmt.Sprint(h.agencyB.ID)
		}
		h.t.Fatalf("URL %s: no user or agency %s", url, name)
		return ""
	})
}

// browser is a cookie-keeping client of the HTML pages.
type browser struct {
	h       *harness
	cookies map[string]string
	csrf    string
	lang    string
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

func (h *harness) browser() *browser { return &browser{h: h, cookies: map[string]string{}} }

func (b *browser) send(req *http.Request) (*http.Response, string) {
	b.h.t.Helper()
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, body := b.h.do(req)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now())) || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	if m := csrfField.FindStringSubmatch(body); m != nil {
		b.csrf = m[1]
	}
	return resp, body
}

func (b *browser) get(target string) (*http.Response, string) {
	b.h.t.Helper()
	return b.send(httptest.NewRequest(http.MethodGet, target, nil))
}

// post submits a form, adding the CSRF token from the last page unless the
// form sets _csrf itself.
func (b *browser) post(target string, form url.Values) (*http.Response, string) {
	b.h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// login signs the browser in as the user and fails the test otherwise.
func (b *browser) login(username string) {
	b.h.t.Helper()
	b.get("/login")
	pw := cmp.Or(b.h.password, testPassword)
	resp, body := b.post("/login", url.Values{"username": {username}, "password": {pw}})
	if resp.StatusCode != http.StatusSeeOther {
		b.h.t.Fatalf("login %s: status %d, body %.300s", username, resp.StatusCode, body)
	}
	b.get("/")
}

// dump returns every row of every table except the session store, each
// table under a header with its row count, to show that a refused request
// changed nothing. It fails the test on any error, and unless it covers the
// tables every harness fills and finds rows in them, so that two dumps
// cannot compare equal by both being empty.
func (h *harness) dump() string {
	h.t.Helper()
	ctx := context.Background()
	rows, err := h.db.SQL().QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('sessions', 'login_attempts') ORDER BY name`)
	if err != nil {
		h.t.Fatalf("dump: list tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			h.t.Fatalf("dump: list tables: %v", err)
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		h.t.Fatalf("dump: list tables: %v", err)
	}
	if err := rows.Close(); err != nil {
		h.t.Fatalf("dump: list tables: %v", err)
	}
	var b strings.Builder
	counts := map[string]int{}
	for _, table := range tables {
		n, err := dumpTable(ctx, h.db.SQL(), table, &b)
		if err != nil {
			h.t.Fatalf("dump: table %s: %v", table, err)
		}
		counts[table] = n
	}
	// Every harness has agencies, users with tokens, an expert and the
	// audit entries of their creation.
	for _, table := range []string{"agencies", "users", "api_tokens", "experts", "audit_log"} {
		if counts[table] == 0 {
			h.t.Fatalf("dump: table %s is missing or empty (tables %v)", table, tables)
		}
	}
	return b.String()
}

// dumpTable writes the table's rows to b under a header and returns how
// many there were.
func dumpTable(ctx context.Context, db *sql.DB, table string, b *strings.Builder) (int, error) {
	r, err := db.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY rowid")
	if err != nil {
		return 0, err
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		return 0, err
	}
	var lines strings.Builder
	n := 0
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return 0, err
		}
		fmt.Fprintf(&lines, "%v\n", vals)
		n++
	}
	if err := r.Err(); err != nil {
		return 0, err
	}
	fmt.Fprintf(b, "== %s %v: %d rows\n%s", table, cols, n, lines.String())
	return n, r.Close()
}

func idPath(format string, id int64) string { return fmt.Sprintf(format, id) }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// decode unmarshals a JSON response body into v and fails the test
// otherwise.
func (h *harness) decode(body string, v any) {
	h.t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		h.t.Fatalf("decode %.300s: %v", body, err)
	}
}

// auditActions returns the action of every audit entry, oldest first, so
// that a case can check which entries its request added.
func (h *harness) auditActions() []string {
	h.t.Helper()
	entries, total, err := h.svc.Accounts.AuditLog(context.Background(), evaluation.System,
		evaluation.AuditFilter{Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		h.t.Fatalf("audit log: %v", err)
	}
	if total != len(entries) {
		h.t.Fatalf("audit log: %d entries, more than one page of %d", total, len(entries))
	}
	actions := make([]string, len(entries))
	for i, e := range entries {
		actions[len(entries)-1-i] = e.Action
	}
	return actions
}

// warmTokens uses every API token once, so that recording a token's first
// use does not show up as a change in a later h.dump comparison.
func (h *harness) warmTokens() {
	h.t.Helper()
	for as := range h.tokens {
		h.api(as, "GET", "/api/v1/me", "")
	}
}

// newApp builds an app over the harness's database with the services,
// sessions in the same file, and the upload limit (the default when 0).
func (h *harness) newApp(services Services, uploadLimit int64) *App {
	h.t.Helper()
	sessions := h.db.Sessions()
	h.t.Cleanup(func() { sessions.Close() })
	authz, err := rbac.New()
	if err != nil {
		h.t.Fatal(err)
	}
	app, err := New(Config{Services: services, Authorizer: authz, Sessions: sessions, Attempts: h.db, UploadLimit: uploadLimit,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return h.now }})
	if err != nil {
		h.t.Fatal(err)
	}
	return app
}

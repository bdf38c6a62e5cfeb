package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/valyala/fasthttp"
)

// The regression tests of issue 11's outside probe.

// TestDrawRepeatedProject: a draw naming the same project twice is refused
// with 400 and a message for the projects field, and changes nothing.
func TestDrawRepeatedProject(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	h.withPool()
	cid, pid := h.formingCampaign()
	h.warmTokens()
	before := h.dump()
	h.run(t, scenario{name: "repeated project", as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid),
		body: fmt.Sprintf(`{"projects":[%d,%d]}`, pid, pid), status: http.StatusBadRequest, code: evaluation.Invalid, fields: []string{"projects"}})
	if h.dump() != before {
		t.Errorf("a refused draw changed the database")
	}
}

// offSiteNext are next values that must not lead off this site, decoded
// as a handler sees them.
var offSiteNext = []string{
	"//evil.example/", "/\\evil.example/", "\\\\evil.example", "/\t/evil.example/", "/\n/evil.example/", "/\r\n/evil.example",
	"https://evil.example/", "HTTPS://evil.example", "http:/evil.example", "javascript:alert(1)", "JavaScript:alert(1)",
	"data:text/html,x", "evil.example", "/%2F%2Fevil.example", "/%2f/evil.example", " /evil", "/\x00/evil.example",
	"/\u00a0/evil.example", "/\u2028/evil.example", "///evil.example", "/x\x7f", "//@evil.example", "/\xff/x",
}

// TestLocalPath: localPath keeps paths of this site and turns everything
// that could lead elsewhere into "/".
func TestLocalPath(t *testing.T) {
	for _, next := range offSiteNext {
		if got := localPath(next); got != "/" {
			t.Errorf("localPath(%q) = %q, want /", next, got)
		}
	}
	for _, next := range []string{"/", "/campaigns/3", "/campaigns/3?panel=without#projects", "/a/b%20c", "/login?next=%2Fx"} {
		if got := localPath(next); got != next {
			t.Errorf("localPath(%q) = %q, want it kept", next, got)
		}
	}
}

// TestNoOpenRedirect: no next parameter takes a browser off-site, neither
// on the sign-in page (signed in, and signing in), nor switching language,
// nor revoking a token.
func TestNoOpenRedirect(t *testing.T) {
	h := newHarness(t)
	signedIn := h.browser()
	signedIn.login("staffa")
	for _, next := range offSiteNext {
		t.Run(url.QueryEscape(next), func(t *testing.T) {
			wantHome := func(what string, resp *http.Response) {
				t.Helper()
				if resp.StatusCode < 300 || resp.StatusCode > 399 {
					t.Fatalf("%s: status %d, want a redirect", what, resp.StatusCode)
				}
				if loc := resp.Header.Get("Location"); loc != "/" {
					t.Errorf("%s: Location %q, want /", what, loc)
				}
			}
			resp, _ := signedIn.get("/login?next=" + url.QueryEscape(next))
			wantHome("signed-in login page", resp)
			resp, _ = signedIn.post("/lang", url.Values{"lang": {"en"}, "next": {next}})
			wantHome("language switch", resp)

			anon := h.browser()
			anon.get("/login")
			resp, _ = anon.post("/login", url.Values{"username": {"staffb"}, "password": {testPassword}, "next": {next}})
			wantHome("signing in", resp)
		})
	}
	// The raw query of the probe, with the tab encoded.
	req := httptest.NewRequest(http.MethodGet, "/login?next=%2F%09%2Fevil.example%2F", nil)
	if resp, _ := signedIn.send(req); resp.Header.Get("Location") != "/" {
		t.Errorf("probe's next: Location %q, want /", resp.Header.Get("Location"))
	}
	// Revoking a token redirects to next too.
	list, err := h.svc.Accounts.Tokens(context.Background(), h.users["staffa"].Actor())
	if err != nil || len(list) == 0 {
		t.Fatalf("tokens: %v %v", list, err)
	}
	signedIn.get("/profile")
	resp, _ := signedIn.post(fmt.Sprintf("/tokens/%d/revoke", list[0].ID), url.Values{"next": {"/\t/evil.example"}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
		t.Errorf("revoking a token: status %d, Location %q, want 303 to /", resp.StatusCode, loc)
	}
}

// parallel sends the requests at once, straight to the app, and returns
// how many answers had each status (-1 for a request that failed).
func (h *harness) parallel(reqs []*http.Request) map[int]int {
	h.t.Helper()
	statuses := make([]int, len(reqs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, req := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := h.app.Handler().Test(req, -1)
			if err != nil {
				statuses[i] = -1
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	return count
}

func tokenRequestFor(username, password string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/token",
		strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)))
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestLoginLimitParallel: attempts sent at once are counted before their
// password is checked, so that no more than the limit is ever checked, on
// the token endpoint and on the sign-in form, and a right password in a
// burst of wrong ones lets no more wrong ones be checked.
func TestLoginLimitParallel(t *testing.T) {
	h := newHarness(t)
	var reqs []*http.Request
	for i := range 100 {
		reqs = append(reqs, tokenRequestFor("staffa", fmt.Sprintf("wrong password %d", i)))
	}
	got := h.parallel(reqs)
	if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 95 {
		t.Errorf("100 parallel wrong passwords: statuses %v, want 5×401 and 95×429", got)
	}
	if got := h.parallel([]*http.Request{tokenRequestFor("staffa", testPassword)}); got[http.StatusTooManyRequests] != 1 {
		t.Errorf("right password after the burst: statuses %v, want 429", got)
	}

	reqs = nil
	for i := range 30 {
		reqs = append(reqs, tokenRequestFor("staffb", fmt.Sprintf("wrong password %d", i)))
	}
	reqs = append(reqs, tokenRequestFor("staffb", testPassword))
	got = h.parallel(reqs)
	// The right one may be among the first checked; it takes back its
	// own attempt, never lets more than five wrong ones be checked.
	wrong, right := got[http.StatusUnauthorized], got[http.StatusCreated]
	if wrong > 5 || wrong+right < 5 || wrong+right+got[http.StatusTooManyRequests] != 31 {
		t.Errorf("30 wrong and 1 right password at once: statuses %v, want at most 5 wrong ones checked, the rest 429", got)
	}

	br := h.browser()
	br.get("/login")
	reqs = nil
	for i := range 40 {
		form := url.Values{"_csrf": {br.csrf}, "username": {"commission"}, "password": {fmt.Sprintf("wrong password %d", i)}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range br.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		reqs = append(reqs, req)
	}
	got = h.parallel(reqs)
	if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 35 {
		t.Errorf("40 parallel wrong sign-ins: statuses %v, want 5×401 and 35×429", got)
	}
}

// TestPasswordChangeLimit: guesses at the current password when changing
// it are limited per user as sign-ins are, on the API and on the form.
func TestPasswordChangeLimit(t *testing.T) {
	h := newHarness(t)
	change := func(current string) string {
		return fmt.Sprintf(`{"current_password":%q,"password":"a new long passphrase"}`, current)
	}
	for i := range 5 {
		h.run(t, scenario{name: "guess", as: "staffa", method: "POST", url: "/api/v1/me/password", body: change(fmt.Sprintf("guess %d", i)),
			status: http.StatusBadRequest, code: evaluation.Invalid, fields: []string{"current_password"}})
	}
	resp, body := h.api("staffa", "POST", "/api/v1/me/password", change(testPassword))
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth attempt: status %d, Retry-After %q, want 429 with Retry-After; body %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// The form counts against the same user.
	br := h.browser()
	br.login("staffa")
	br.get("/profile")
	resp, _ = br.post("/profile/password", url.Values{"current_password": {testPassword}, "password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("form while locked: status %d, want 429", resp.StatusCode)
	}
	// Another user is not locked, and a right answer forgets the guesses.
	for i := range 4 {
		h.api("staffb", "POST", "/api/v1/me/password", change(fmt.Sprintf("guess %d", i)))
	}
	if resp, body := h.api("staffb", "POST", "/api/v1/me/password", change(testPassword)); resp.StatusCode != http.StatusNoContent {
		t.Errorf("staffb's right answer: status %d, want 204; body %s", resp.StatusCode, body)
	}
	// Parallel guesses pass no more than the limit.
	var reqs []*http.Request
	for i := range 30 {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/me/password", strings.NewReader(change(fmt.Sprintf("guess %d", i))))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+h.tokens["commission"])
		reqs = append(reqs, req)
	}
	if got := h.parallel(reqs); got[http.StatusBadRequest] != 5 || got[http.StatusTooManyRequests] != 25 {
		t.Errorf("30 parallel guesses: statuses %v, want 5×400 and 25×429", got)
	}
}

// TestHashingBounded: when every hashing slot is taken, sign-ins and
// password changes wait no longer than HashWait and are answered 503 with
// Retry-After, without counting against the account's attempts; once a
// slot frees up they go through.
func TestHashingBounded(t *testing.T) {
	h := newHarness(t)
	h.app.cfg.HashWait = 50 * time.Millisecond
	for range cap(h.app.hashSlots) {
		h.app.hashSlots <- struct{}{}
	}
	if cap(h.app.hashSlots) != runtime.GOMAXPROCS(0) {
		t.Errorf("%d hashing slots, want GOMAXPROCS (%d)", cap(h.app.hashSlots), runtime.GOMAXPROCS(0))
	}
	for range 8 {
		resp, body := h.api("", "POST", "/api/v1/auth/token", `{"username":"staffa","password":"`+testPassword+`"}`)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("token while busy: status %d, Retry-After %q, want 503 with Retry-After; body %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		wantError(t, body, evaluation.Unavailable)
	}
	br := h.browser()
	br.get("/login")
	resp, body := br.post("/login", url.Values{"username": {"staffa"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "服务器繁忙") {
		t.Errorf("sign-in while busy: status %d, want 503 with the busy message", resp.StatusCode)
	}
	h.run(t, scenario{name: "change while busy", as: "staffb", method: "POST", url: "/api/v1/me/password",
		body: `{"current_password":"` + testPassword + `","password":"a new long passphrase"}`, status: http.StatusServiceUnavailable, code: evaluation.Unavailable})
	for range cap(h.app.hashSlots) {
		<-h.app.hashSlots
	}
	// The busy answers did not count as failed attempts.
	if resp, body := h.api("", "POST", "/api/v1/auth/token", `{"username":"staffa","password":"`+testPassword+`"}`); resp.StatusCode != http.StatusCreated {
		t.Errorf("token after the rush: status %d, want 201; body %s", resp.StatusCode, body)
	}
}

// TestUploadAuthenticatedBeforeBody: an upload route announcing a body
// over the ordinary limit without a valid session or token is refused
// with 401 before its body is read; with a token it gets the upload limit.
func TestUploadAuthenticatedBeforeBody(t *testing.T) {
	h := newHarness(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go h.app.Serve(ln)
	t.Cleanup(func() { h.app.Shutdown(context.Background()) })
	// The pages send the browser to sign in, as for any post without a
	// session.
	for path, want := range map[string]int{"/api/v1/projects/1/materials": http.StatusUnauthorized, "/api/v1/experts/import": http.StatusUnauthorized,
		"/projects/1/materials": http.StatusSeeOther, "/campaigns/1/projects/import": http.StatusSeeOther} {
		// announceBody sends none of the 40 MiB: a server that waited for
		// them would time the client out.
		status, body := announceBody(t, ln.Addr().String(), path, "multipart/form-data; boundary=x", 40<<20)
		if status != want {
			t.Errorf("%s without credentials: status %d, want %d; body %.200s", path, status, want, body)
		}
		if want == http.StatusUnauthorized {
			wantError(t, body, evaluation.Unauthenticated)
		}
	}
	limit := func(header string) int {
		var hdr fasthttp.RequestHeader
		hdr.SetMethod("POST")
		hdr.SetRequestURI("/api/v1/projects/1/materials")
		hdr.SetContentLength(40 << 20)
		if header != "" {
			hdr.Set("Authorization", header)
		}
		return h.app.requestLimits(&hdr).MaxRequestBodySize
	}
	if got, want := limit("Bearer "+h.tokens["staffa"]), h.app.uploadBodyLimit(); got != want {
		t.Errorf("with a token: body limit %d, want the upload limit %d", got, want)
	}
	for _, header := range []string{"", "Bearer evp_forged", "Basic eDp5"} {
		if got, want := limit(header), h.app.cfg.BodyLimit; got != want {
			t.Errorf("with %q: body limit %d, want the ordinary limit %d", header, got, want)
		}
	}
}

// signedIn reports whether the browser's session still signs it in.
func (b *browser) signedIn() bool {
	b.h.t.Helper()
	resp, _ := b.get("/")
	return resp.StatusCode == http.StatusOK
}

// TestCredentialsChangeEndsSessions: changing one's password ends one's
// other sessions and revokes one's API tokens but keeps the session it was
// changed in; an admin's reset ends every session and token of the user;
// disabling a user ends them too, so enabling the user again revives
// none; and each of these leaves other users alone.
func TestCredentialsChangeEndsSessions(t *testing.T) {
	h := newHarness(t)
	const newPassword = "a new long passphrase"
	t.Run("change", func(t *testing.T) {
		here, there, other := h.browser(), h.browser(), h.browser()
		here.login("staffa")
		there.login("staffa")
		other.login("staffb")
		here.get("/profile")
		resp, body := here.post("/profile/password", url.Values{"current_password": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: status %d, want 303; body %.300s", resp.StatusCode, body)
		}
		if !here.signedIn() {
			t.Errorf("the session the password was changed in ended")
		}
		if there.signedIn() {
			t.Errorf("another session of the user survived the change")
		}
		if !other.signedIn() {
			t.Errorf("another user's session ended")
		}
		h.run(t, scenario{name: "old token", as: "staffa", method: "GET", url: "/api/v1/me", status: http.StatusUnauthorized, code: evaluation.Unauthenticated})
		h.run(t, scenario{name: "other user's token", as: "staffb", method: "GET", url: "/api/v1/me", status: http.StatusOK})
		if resp, body := h.api("", "POST", "/api/v1/auth/token", `{"username":"staffa","password":"`+newPassword+`"}`); resp.StatusCode != http.StatusCreated {
			t.Errorf("token with the new password: status %d; body %s", resp.StatusCode, body)
		}
	})
	t.Run("change on the API", func(t *testing.T) {
		br := h.browser()
		br.login("commission")
		h.run(t, scenario{name: "change", as: "commission", method: "POST", url: "/api/v1/me/password",
			body: `{"current_password":"` + testPassword + `","password":"` + newPassword + `"}`, status: http.StatusNoContent})
		if br.signedIn() {
			t.Errorf("a browser session survived the change on the API")
		}
		h.run(t, scenario{name: "old token", as: "commission", method: "GET", url: "/api/v1/me", status: http.StatusUnauthorized, code: evaluation.Unauthenticated})
	})
	t.Run("reset", func(t *testing.T) {
		br := h.browser()
		br.login("staffb")
		h.run(t, scenario{name: "reset", as: "admin", method: "POST", url: "/api/v1/users/{staffb}/password",
			body: `{"password":"` + newPassword + `"}`, status: http.StatusNoContent})
		if br.signedIn() {
			t.Errorf("the user's session survived an admin's reset")
		}
		h.run(t, scenario{name: "old token", as: "staffb", method: "GET", url: "/api/v1/me", status: http.StatusUnauthorized, code: evaluation.Unauthenticated})
		h.run(t, scenario{name: "admin's token", as: "admin", method: "GET", url: "/api/v1/me", status: http.StatusOK})
	})
	t.Run("disable and enable", func(t *testing.T) {
		br := h.browser()
		br.login("expert")
		for _, disabled := range []string{"true", "false"} {
			h.run(t, scenario{name: "disabled " + disabled, as: "admin", method: "PATCH", url: "/api/v1/users/{expert}",
				body: `{"disabled":` + disabled + `}`, status: http.StatusOK})
		}
		if br.signedIn() {
			t.Errorf("a session from before the account was disabled works again once it is enabled")
		}
		h.run(t, scenario{name: "old token", as: "expert", method: "GET", url: "/api/v1/me", status: http.StatusUnauthorized, code: evaluation.Unauthenticated})
		br.login("expert")
		if !br.signedIn() {
			t.Errorf("the enabled user cannot sign in again")
		}
	})
}

// rowCounts counts the rows of every table, the session store included.
func (h *harness) rowCounts() map[string]int {
	h.t.Helper()
	ctx := context.Background()
	rows, err := h.db.SQL().QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		h.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			h.t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	counts := map[string]int{}
	for _, table := range tables {
		var n int
		if err := h.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM "`+table+`"`).Scan(&n); err != nil {
			h.t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	if _, ok := counts["sessions"]; !ok {
		h.t.Fatalf("no sessions table among %v", tables)
	}
	return counts
}

// TestAnonymousReadsWriteNothing: requests without cookies, to pages that
// send them to sign in and to pages that do not exist, add no row to any
// table, the session and CSRF store included.
func TestAnonymousReadsWriteNothing(t *testing.T) {
	h := newHarness(t)
	h.warmTokens()
	before := h.rowCounts()
	for i := range 300 {
		for _, target := range []string{"/", "/no-such-page", fmt.Sprintf("/campaigns/%d", i), "/profile"} {
			resp, _ := h.do(httptest.NewRequest(http.MethodGet, target, nil))
			if resp.StatusCode >= 500 {
				t.Fatalf("GET %s: status %d", target, resp.StatusCode)
			}
		}
	}
	if after := h.rowCounts(); !maps.Equal(after, before) {
		t.Errorf("anonymous reads changed row counts: before %v, after %v", before, after)
	}
}

// TestCSRFTokenRotates: the CSRF cookie changes on signing in and on
// signing out, and a token from before signing in no longer works.
func TestCSRFTokenRotates(t *testing.T) {
	h := newHarness(t)
	br := h.browser()
	br.get("/login")
	before := br.cookies["evalpanel_csrf"]
	if before == "" || br.csrf != before {
		t.Fatalf("login page: CSRF cookie %q, form token %q", before, br.csrf)
	}
	resp, _ := br.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	br.get("/")
	signedIn := br.cookies["evalpanel_csrf"]
	if signedIn == "" || signedIn == before {
		t.Errorf("CSRF cookie after signing in is %q, before %q: want a new one", signedIn, before)
	}
	// The token from before signing in is refused.
	resp, _ = br.post("/lang", url.Values{"lang": {"en"}, "_csrf": {before}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("post with the token from before signing in: status %d, want 403", resp.StatusCode)
	}
	br.get("/")
	if resp, _ := br.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	br.get("/login")
	if after := br.cookies["evalpanel_csrf"]; after == "" || after == signedIn {
		t.Errorf("CSRF cookie after signing out is %q, signed in %q: want a new one", after, signedIn)
	}
}

// TestSecureCookies: with SecureCookies set, the session, CSRF and language
// cookies are all marked Secure; without it none is.
func TestSecureCookies(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprint(secure), func(t *testing.T) {
			h := newHarness(t)
			h.app = h.newAppWith(func(cfg *Config) { cfg.SecureCookies = secure })
			br := h.browser()
			var raw []string
			resp, _ := br.get("/login")
			raw = append(raw, resp.Header.Values("Set-Cookie")...)
			resp, _ = br.post("/lang", url.Values{"lang": {"en"}, "next": {"/login"}})
			raw = append(raw, resp.Header.Values("Set-Cookie")...)
			br.get("/login")
			resp, _ = br.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}})
			raw = append(raw, resp.Header.Values("Set-Cookie")...)
			seen := map[string]bool{}
			for _, c := range raw {
				name, _, _ := strings.Cut(c, "=")
				seen[name] = true
				if got := strings.Contains(strings.ToLower(c), "; secure"); got != secure {
					t.Errorf("cookie %s: Secure %v, want %v", c, got, secure)
				}
			}
			for _, name := range []string{"evalpanel_session", "evalpanel_csrf", "evalpanel_lang"} {
				if !seen[name] {
					t.Errorf("no %s cookie among %v", name, raw)
				}
			}
		})
	}
}

// TestAPINoStoreAndStrictJSON: API answers, the token's included, carry
// Cache-Control: no-store; a body is JSON only when declared exactly
// application/json (parameters allowed).
func TestAPINoStoreAndStrictJSON(t *testing.T) {
	h := newHarness(t)
	resp, body := h.api("", "POST", "/api/v1/auth/token", `{"username":"admin","password":"`+testPassword+`"}`)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("token: status %d, Cache-Control %q, want 201 with no-store; body %s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
	}
	for _, target := range []string{"/api/v1/me", "/api/v1/no-such-thing"} {
		if resp, _ := h.api("admin", "GET", target, ""); resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", target, resp.Header.Get("Cache-Control"))
		}
	}
	body = `{"language":"en"}`
	for ct, want := range map[string]int{
		"application/jsonx": http.StatusBadRequest, "application/json-patch+json": http.StatusBadRequest, "text/plain": http.StatusBadRequest,
		"application/json;x": http.StatusBadRequest, "application/json": http.StatusOK, "application/json; charset=utf-8": http.StatusOK,
		"Application/JSON; Charset=UTF-8": http.StatusOK,
	} {
		resp, got := h.api("staffa", "PATCH", "/api/v1/me", body, "Content-Type", ct)
		if resp.StatusCode != want {
			t.Errorf("Content-Type %q: status %d, want %d; body %s", ct, resp.StatusCode, want, got)
		}
	}
}

// newAppWith builds an app as newApp does, with the config changed by set.
func (h *harness) newAppWith(set func(*Config)) *App {
	h.t.Helper()
	sessions := h.db.Sessions()
	h.t.Cleanup(func() { sessions.Close() })
	authz, err := rbac.New()
	if err != nil {
		h.t.Fatal(err)
	}
	cfg := Config{Services: ServicesOf(h.svc, h.db.Ping), Authorizer: authz, Sessions: sessions, Attempts: h.db,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return h.now }}
	set(&cfg)
	app, err := New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	return app
}

// TestWeakPasswordsRefused: the probe's passwords (one letter repeated,
// NUL bytes) are refused with a field message when an account is created
// and when a password is reset.
func TestWeakPasswordsRefused(t *testing.T) {
	h := newHarness(t)
	h.warmTokens()
	for _, pw := range []string{strings.Repeat("a", 10), strings.Repeat("\x00", 10), "password123"} {
		body, _ := json.Marshal(map[string]string{"username": "weak", "name": "Weak", "role": "commission", "password": pw})
		h.run(t, scenario{name: "create", as: "admin", method: "POST", url: "/api/v1/users", body: string(body),
			status: http.StatusBadRequest, code: evaluation.Invalid, fields: []string{"password"}})
		body, _ = json.Marshal(map[string]string{"password": pw})
		h.run(t, scenario{name: "reset", as: "admin", method: "POST", url: "/api/v1/users/{staffa}/password", body: string(body),
			status: http.StatusBadRequest, code: evaluation.Invalid, fields: []string{"password"}})
	}
}

// TestNamesRefuseHiddenCharacters: user, agency and expert names with a
// control character, a bidi override or a zero-width character are
// refused with a field message, in both languages, and nothing is stored.
func TestNamesRefuseHiddenCharacters(t *testing.T) {
	h := newHarness(t)
	h.warmTokens()
	before := h.dump()
	for _, bad := range []string{"Eve\u202Egpj", "Eve\u200B", "Eve\x00", "Eve\nAdmin"} {
		name, _ := json.Marshal(bad)
		for _, sc := range []scenario{
			{name: "user", as: "admin", method: "POST", url: "/api/v1/users",
				body: `{"username":"eve","name":` + string(name) + `,"role":"commission","password":"kite-lantern-odd-47"}`, fields: []string{"name"}},
			{name: "user rename", as: "admin", method: "PATCH", url: "/api/v1/users/{staffa}", body: `{"name":` + string(name) + `}`, fields: []string{"name"}},
			{name: "agency", as: "admin", method: "POST", url: "/api/v1/agencies",
				body: `{"code":"AGC","name_zh":` + string(name) + `,"name_en":"Agency C"}`, fields: []string{"name_zh"}},
			{name: "expert", as: "commission", method: "POST", url: "/api/v1/experts",
				body:   `{"name":` + string(name) + `,"type":"domain_expert","institution":"第7研究院","title_level":"senior","region":"local","subject_codes":["560.20"],"can_be_drawn":true}`,
				fields: []string{"name"}},
		} {
			sc.status, sc.code = http.StatusBadRequest, evaluation.Invalid
			body := h.run(t, sc)
			if field := apiErr(t, body).Fields[sc.fields[0]]; !strings.Contains(field, "不可见字符") {
				t.Errorf("%s %q: field message %q, want the hidden-characters message", sc.name, bad, field)
			}
			resp, body := h.api(sc.as, sc.method, h.expand(sc.url), sc.body, "Accept-Language", "en")
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr(t, body).Fields[sc.fields[0]], "invisible characters") {
				t.Errorf("%s %q in English: status %d, body %s", sc.name, bad, resp.StatusCode, body)
			}
		}
	}
	if h.dump() != before {
		t.Errorf("a refused name changed the database")
	}
}

// TestTrustedProxies: behind a trusted reverse proxy the client is the
// first address of X-Forwarded-For, so that ten clients behind it each get
// their own sign-in limit; from a peer not trusted (or with no proxy
// configured) the header is ignored and the ten count as one.
func TestTrustedProxies(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name, user string
		trusted    []netip.Prefix
		want401    int
	}{
		{"no proxy configured", "staffa", nil, 5},
		{"another proxy trusted", "staffb", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, 5},
		{"this proxy trusted", "commission", []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := h.newAppWith(func(c *Config) { c.TrustedProxies = tc.trusted })
			got := map[int]int{}
			for i := range 10 {
				req := tokenRequestFor(tc.user, "wrong password")
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d, 10.1.1.1", i+1))
				resp, err := app.Handler().Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				got[resp.StatusCode]++
			}
			if got[http.StatusUnauthorized] != tc.want401 || got[http.StatusTooManyRequests] != 10-tc.want401 {
				t.Errorf("ten clients' wrong passwords: %v, want %d×401 and the rest 429", got, tc.want401)
			}
		})
	}
}

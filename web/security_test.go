package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLoginLimit: five failures per account and address within a minute,
// then 429 with Retry-After, on the sign-in page and on the token endpoint;
// another account is unaffected; after the window the account may try again.
func TestLoginLimit(t *testing.T) {
	h := newHarness(t)
	br := h.browser()
	br.get("/login")
	for i := 1; i <= 5; i++ {
		resp, body := br.post("/login", url.Values{"username": {"staffa"}, "password": {"wrong password " + strconv.Itoa(i)}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
			t.Fatalf("failure %d: status %d, want 401 with the translated error", i, resp.StatusCode)
		}
	}
	// Even the right password is refused while locked.
	resp, body := br.post("/login", url.Values{"username": {"STAFFA"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: status %d, want 429", resp.StatusCode)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Errorf("Retry-After = %q, want 1..60 seconds", resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "登录失败次数过多") {
		t.Errorf("429 page lacks the translated message")
	}
	resp, body = h.api("", "POST", "/api/v1/auth/token", `{"username":"staffa","password":"`+testPassword+`"}`)
	if resp.StatusCode != http.StatusTooManyRequests || apiErr(t, body).Code != "too_many_requests" || resp.Header.Get("Retry-After") == "" {
		t.Errorf("token endpoint while locked: status %d body %s", resp.StatusCode, body)
	}
	// Another account from the same address is not locked.
	if resp, _ := h.api("", "POST", "/api/v1/auth/token", `{"username":"staffb","password":"`+testPassword+`"}`); resp.StatusCode != http.StatusCreated {
		t.Errorf("other account: status %d, want 201", resp.StatusCode)
	}
	h.now = h.now.Add(61 * time.Second)
	if resp, _ := h.api("", "POST", "/api/v1/auth/token", `{"username":"staffa","password":"`+testPassword+`"}`); resp.StatusCode != http.StatusCreated {
		t.Errorf("after the window: status %d, want 201", resp.StatusCode)
	}
}

// TestCSRF: HTML form posts without a valid token are refused with 403 and
// change nothing; the API (bearer tokens only) does not need one.
func TestCSRF(t *testing.T) {
	h := newHarness(t)
	admin := h.browser()
	admin.login("admin")
	before := h.dump()
	form := url.Values{"username": {"eve"}, "name": {"Eve"}, "role": {"admin"}, "password": {"a long password!"}}
	for name, token := range map[string][]string{"no token": nil, "forged token": {"forged"}, "empty token": {""}} {
		t.Run(name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if token != nil {
				f["_csrf"] = token
			} else {
				f["_csrf"] = nil
			}
			req := httptest.NewRequest(http.MethodPost, "/users", strings.NewReader(encodeWithout(f)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, body := admin.send(req)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "表单已过期") {
				t.Errorf("status %d, want 403 with the CSRF message", resp.StatusCode)
			}
		})
	}
	if after := h.dump(); after != before {
		t.Errorf("a refused form post changed the database")
	}
	// Sign-in itself needs the token (no login CSRF).
	anon := h.browser()
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader("username=admin&password="+url.QueryEscape(testPassword)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, _ := anon.send(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without token: status %d, want 403", resp.StatusCode)
	}
	// With a fresh form's token the same post works.
	admin.get("/users/new")
	if resp, _ := admin.post("/users", form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("post with token: status %d, want 303", resp.StatusCode)
	}
}

// encodeWithout encodes a form, leaving out keys whose value is nil.
func encodeWithout(f url.Values) string {
	out := url.Values{}
	for k, v := range f {
		if v != nil {
			out[k] = v
		}
	}
	return out.Encode()
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t)
	for _, target := range []string{"/login", "/api/v1/me", "/static/app.css", "/healthz"} {
		resp, _ := h.do(httptest.NewRequest(http.MethodGet, target, nil))
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", target, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", target, csp)
		}
		for header, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"} {
			if got := resp.Header.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", target, header, got, want)
			}
		}
	}
	// Cookies are HttpOnly and SameSite=Lax.
	br := h.browser()
	resp, _ := br.get("/login")
	checkCookies(t, resp, "evalpanel_csrf")
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(url.Values{"_csrf": {br.csrf}, "username": {"admin"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = br.send(req)
	checkCookies(t, resp, "evalpanel_session")
}

func checkCookies(t *testing.T, resp *http.Response, name string) {
	t.Helper()
	for _, raw := range resp.Header.Values("Set-Cookie") {
		if !strings.HasPrefix(raw, name+"=") {
			continue
		}
		if !strings.Contains(raw, "HttpOnly") || !strings.Contains(raw, "SameSite=Lax") {
			t.Errorf("cookie %s lacks HttpOnly or SameSite=Lax: %s", name, raw)
		}
		return
	}
	t.Errorf("no %s cookie set", name)
}

// TestBodyLimit: a request body over 1 MiB is refused with 413 before any
// handler runs. fasthttp refuses it while reading the request, which
// app.Test cannot show, so this goes through a real listener.
func TestBodyLimit(t *testing.T) {
	h := newHarness(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go h.app.Serve(ln)
	t.Cleanup(func() { h.app.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()
	before := h.dump()

	// The client announces a body over the limit; the server answers 413
	// without reading it. (A raw connection, because a client still writing
	// a large body may see the connection reset before it reads the answer.)
	status, body := announceBody(t, ln.Addr().String(), "/api/v1/auth/token", "application/json", 1<<20+1)
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413; body %.200s", status, body)
	}
	if e := apiErr(t, body); e.Code != "invalid" {
		t.Errorf("413 error code %q, want invalid", e.Code)
	}
	// Just under the limit is read (and refused for its content, not size).
	small := `{"username":"admin","password":"` + strings.Repeat("x", 1<<20-100) + `"}`
	resp, err := http.Post(base+"/api/v1/auth/token", "application/json", strings.NewReader(small))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("under the limit: status %d, want 400 (password too long)", resp.StatusCode)
	}
	if status, _ := announceBody(t, ln.Addr().String(), "/login", "application/x-www-form-urlencoded", 1<<20+1); status != http.StatusRequestEntityTooLarge {
		t.Errorf("form: status %d, want 413", status)
	}
	if h.dump() != before {
		t.Errorf("an oversized request changed the database")
	}
}

// announceBody sends request headers announcing a body of n bytes, and
// any further header lines, sends none of the body, and returns the status
// and body of the answer.
func announceBody(t *testing.T, addr, path, contentType string, n int, headers ...string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n", path, addr, contentType, n)
	for _, h := range headers {
		fmt.Fprintf(conn, "%s\r\n", h)
	}
	fmt.Fprint(conn, "\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestPasswordsStoredAsArgon2id reads the stored hashes directly.
func TestPasswordsStoredAsArgon2id(t *testing.T) {
	h := newHarness(t)
	rows, err := h.db.SQL().Query(`SELECT username, password_hash FROM users`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var user, hash string
		rows.Scan(&user, &hash)
		if !strings.HasPrefix(hash, "$argon2id$v=19$") || strings.Contains(hash, testPassword) {
			t.Errorf("%s: stored hash %q is not argon2id", user, hash)
		}
		n++
	}
	if n != 5 {
		t.Errorf("checked %d users, want 5", n)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// benchCSRFField finds the CSRF token in the sign-in form.
var benchCSRFField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

// benchLogin signs in through the sign-in form, as a browser does, and
// returns the Cookie header of the signed-in session. It is not measured.
func benchLogin(ctx context.Context, base, username, pw string) (string, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return "", err
	}
	c := &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	defer c.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return "", err
	}
	m := benchCSRFField.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("sign in as %s: no CSRF token in the form (status %d)", username, resp.StatusCode)
	}
	form := url.Values{"username": {username}, "password": {pw}, "_csrf": {string(m[1])}}
	if req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode())); err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err = c.Do(req); err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in as %s: status %d, want 303", username, resp.StatusCode)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	var cookies []string
	for _, ck := range jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	if !strings.Contains(strings.Join(cookies, ";"), "evalpanel_session=") {
		return "", fmt.Errorf("sign in as %s: no session cookie", username)
	}
	return strings.Join(cookies, "; "), nil
}

// pagePlan is each client's list of n GETs of the same path with one of
// the sessions, dealt out in turn; client c asks the instance urls[c%len].
func pagePlan(urls []string, path string, sessions []string, clients, n int) [][]benchRequest {
	out := make([][]benchRequest, clients)
	for i := range n {
		c := i % clients
		out[c] = append(out[c], benchRequest{method: http.MethodGet, url: urls[c%len(urls)] + path, cookie: sessions[c%len(sessions)]})
	}
	return out
}

// baseReadPlan is the baseline's counterpart of a page: each client reads
// the rows the baseline stored, one by id.
func baseReadPlan(base string, rows, clients, n int) [][]benchRequest {
	out := make([][]benchRequest, clients)
	for i := range n {
		c := i % clients
		out[c] = append(out[c], benchRequest{method: http.MethodGet, url: fmt.Sprintf("%s/sheets/%d", base, 1+i%max(rows, 1))})
	}
	return out
}

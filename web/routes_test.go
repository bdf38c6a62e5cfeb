package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestEveryRouteHasDecision walks the routes fiber actually serves: each
// must have been registered with an explicit permission (public routes
// included), and every non-public permission must be granted to some role
// by the policy, or the route would be dead.
func TestEveryRouteHasDecision(t *testing.T) {
	h := newHarness(t)
	served := 0
	for _, r := range h.app.Handler().GetRoutes(true) {
		key := r.Method + " " + r.Path
		perm, ok := h.app.Routes()[key]
		if !ok {
			t.Errorf("route %s has no explicit policy decision (register it with App.route)", key)
			continue
		}
		served++
		if !perm.IsPublic() && !h.app.authz.Granted(perm) {
			t.Errorf("route %s needs %v, which no role has in policy.csv", key, perm)
		}
	}
	if served < 40 || served != len(h.app.Routes()) {
		t.Errorf("checked %d served routes, %d registered; want them equal and ≥ 40", served, len(h.app.Routes()))
	}
	// The public routes are exactly these.
	var public []string
	for key, perm := range h.app.Routes() {
		if perm.IsPublic() && !strings.HasPrefix(key, "HEAD ") {
			public = append(public, key)
		}
	}
	sort.Strings(public)
	// The public notices of campaigns in publicity (公示) are public by
	// design: conclusions only (TestPublicNotice).
	want := []string{"GET /api/v1/openapi.json", "GET /api/v1/public/campaigns/:id", "GET /healthz", "GET /login",
		"GET /public/campaigns/:id", "GET /readyz", "POST /api/v1/auth/token", "POST /lang", "POST /login"}
	if strings.Join(public, ",") != strings.Join(want, ",") {
		t.Errorf("public routes = %v, want %v", public, want)
	}
}

// TestUnauthenticatedRefused calls every non-public route without signing
// in: the API answers 401 in the error format, the UI redirects to sign in
// (POSTs carry a valid anonymous CSRF token, so it is the authorisation,
// not the CSRF check, that turns them away).
func TestUnauthenticatedRefused(t *testing.T) {
	h := newHarness(t)
	for key, perm := range h.app.Routes() {
		if perm.IsPublic() || strings.HasPrefix(key, "HEAD ") {
			continue
		}
		method, path, _ := strings.Cut(key, " ")
		target := pathParam.ReplaceAllString(path, "1")
		t.Run(key, func(t *testing.T) {
			// /metrics is for scrapers: 401 in the error format.
			if strings.HasPrefix(path, "/api/") || path == metricsPath {
				body := ""
				if method != http.MethodGet && method != http.MethodDelete {
					body = "{}"
				}
				resp, b := h.api("", method, target, body)
				if resp.StatusCode != http.StatusUnauthorized || apiErr(t, b).Code != "unauthenticated" {
					t.Errorf("status %d body %s, want 401 unauthenticated", resp.StatusCode, b)
				}
				// A bad token is no better than none.
				req, b2 := h.api("", method, target, body, "Authorization", "Bearer ep_forged")
				if req.StatusCode != http.StatusUnauthorized {
					t.Errorf("forged token: status %d body %s, want 401", req.StatusCode, b2)
				}
				return
			}
			br := h.browser()
			br.get("/login")
			var resp *http.Response
			if method == http.MethodGet {
				resp, _ = br.get(target)
			} else {
				resp, _ = br.post(target, url.Values{})
			}
			loc := resp.Header.Get("Location")
			if resp.StatusCode < 300 || resp.StatusCode > 303 || !strings.HasPrefix(loc, "/login") {
				t.Errorf("status %d Location %q, want a redirect to /login", resp.StatusCode, loc)
			}
		})
	}
}

var pathParam = regexp.MustCompile(`:([a-z_]+)`)

// TestOpenAPIMatchesRoutes keeps /api/v1/openapi.json in step with the API
// routes, both ways.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	h := newHarness(t)
	resp, body := h.api("", http.MethodGet, "/api/v1/openapi.json", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for key := range h.app.Routes() {
		method, path, _ := strings.Cut(key, " ")
		if !strings.HasPrefix(path, "/api/") || method == http.MethodHead {
			continue
		}
		key = method + " " + pathParam.ReplaceAllString(path, "{$1}")
		routed[key] = true
		if !documented[key] {
			t.Errorf("route %s is missing from openapi.json", key)
		}
	}
	for key := range documented {
		if !routed[key] {
			t.Errorf("openapi.json documents %s, which is not a route", key)
		}
	}
}

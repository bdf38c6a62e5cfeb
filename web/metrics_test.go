package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/rbac"
)

// withMetrics replaces the harness's app by one with the metrics
// configuration, over the same database, services and clock.
func (h *harness) withMetrics(from ...string) {
	h.t.Helper()
	var prefixes []netip.Prefix
	for _, f := range from {
		p, err := ParseMetricsFrom(f)
		if err != nil {
			h.t.Fatal(err)
		}
		prefixes = append(prefixes, p...)
	}
	sessions := h.db.Sessions()
	h.t.Cleanup(func() { sessions.Close() })
	authz, err := rbac.New()
	if err != nil {
		h.t.Fatal(err)
	}
	app, err := New(Config{Services: ServicesOf(h.svc, h.db.Ping), Authorizer: authz, Sessions: sessions, Attempts: h.db,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return h.now },
		Metrics: MetricsConfig{From: prefixes, DB: h.db.SQL()}})
	if err != nil {
		h.t.Fatal(err)
	}
	h.app = app
}

// metricValue is the value of the series (name and labels exactly as
// exposed), or -1 when it is absent.
func metricValue(t *testing.T, body, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("series %s: %v", series, err)
	}
	return v
}

// TestMetricsAccess: only administrators (by token or session) read
// /metrics; other roles get 403 and the anonymous 401, in the error format.
func TestMetricsAccess(t *testing.T) {
	h := newHarness(t)
	h.withMetrics()
	h.warmTokens()
	for _, tc := range []struct {
		name, as string
		header   []string
		status   int
		code     string
	}{
		{"admin token", "admin", nil, http.StatusOK, ""},
		{"commission token", "commission", nil, http.StatusForbidden, "forbidden"},
		{"agency staff token", "staffa", nil, http.StatusForbidden, "forbidden"},
		{"expert token", "expert", nil, http.StatusForbidden, "forbidden"},
		{"anonymous", "", nil, http.StatusUnauthorized, "unauthenticated"},
		{"forged token", "", []string{"Authorization", "Bearer ep_forged"}, http.StatusUnauthorized, "unauthenticated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := h.api(tc.as, http.MethodGet, "/metrics", "", tc.header...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %.300s", resp.StatusCode, tc.status, body)
			}
			if tc.code != "" {
				if got := apiErr(t, body).Code; string(got) != tc.code {
					t.Errorf("error code %q, want %q", got, tc.code)
				}
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
				t.Errorf("Content-Type %q, want the Prometheus text format", ct)
			}
			for _, s := range []string{
				`evalpanel_http_requests_total{method="GET",route="/api/v1/me",status="200"}`,
				`evalpanel_http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="200"}`,
				`evalpanel_sheets_total{event="saved"}`,
				`evalpanel_sheets_total{event="submitted"}`,
				`go_sql_max_open_connections{db_name="evalpanel"}`,
				`go_sql_open_connections{db_name="evalpanel"}`,
			} {
				if metricValue(t, body, s) < 0 {
					t.Errorf("metrics lack %s", s)
				}
			}
		})
	}

	// Signed in in a browser: the administrator reads them, agency staff
	// is refused.
	for _, tc := range []struct {
		user   string
		status int
	}{{"admin", http.StatusOK}, {"staffa", http.StatusForbidden}} {
		br := h.browser()
		br.login(tc.user)
		if resp, body := br.get("/metrics"); resp.StatusCode != tc.status {
			t.Errorf("%s's session: status %d, want %d; body %.200s", tc.user, resp.StatusCode, tc.status, body)
		}
	}
}

// TestMetricsRoutePatterns: requests are counted by route pattern, never
// by raw path, so ids and random paths add no series.
func TestMetricsRoutePatterns(t *testing.T) {
	h := newHarness(t)
	h.withMetrics()
	for i := range 3 {
		h.api("admin", http.MethodGet, fmt.Sprintf("/api/v1/users/%d", i+1), "")
		h.api("admin", http.MethodGet, fmt.Sprintf("/no/such/page/%d", i), "")
	}
	_, body := h.api("admin", http.MethodGet, "/metrics", "")
	if v := metricValue(t, body, `evalpanel_http_requests_total{method="GET",route="/api/v1/users/:id",status="200"}`); v != 3 {
		t.Errorf("GET /api/v1/users/:id counted %v times, want 3\n%s", v, body)
	}
	if v := metricValue(t, body, `evalpanel_http_requests_total{method="GET",route="unmatched",status="404"}`); v != 3 {
		t.Errorf("unmatched 404s counted %v times, want 3\n%s", v, body)
	}
	if strings.Contains(body, "/api/v1/users/1") || strings.Contains(body, "/no/such") {
		t.Errorf("a raw path became a label:\n%s", body)
	}
}

// TestMetricsCountSheets: saving a draft and submitting a sheet move the
// counters, by one each.
func TestMetricsCountSheets(t *testing.T) {
	h := newHarness(t)
	h.withMetrics()
	s := h.scoringCampaign()
	read := func() (saved, submitted float64) {
		_, body := h.api("admin", http.MethodGet, "/metrics", "")
		return metricValue(t, body, `evalpanel_sheets_total{event="saved"}`), metricValue(t, body, `evalpanel_sheets_total{event="submitted"}`)
	}
	if saved, submitted := read(); saved != 0 || submitted != 0 {
		t.Fatalf("before: %v saved, %v submitted; want 0 and 0", saved, submitted)
	}
	h.work(s.campaignID, s.projectID, s.member, false)
	h.work(s.campaignID, s.projectID, s.other, true)
	if saved, submitted := read(); saved != 1 || submitted != 1 {
		t.Errorf("after a draft and a submit: %v saved, %v submitted; want 1 and 1", saved, submitted)
	}
	_, body := h.api("admin", http.MethodGet, "/metrics", "")
	if v := metricValue(t, body, `evalpanel_http_requests_total{method="POST",route="/api/v1/projects/:id/sheet/submit",status="200"}`); v != 1 {
		t.Errorf("submits counted %v times by route, want 1\n%s", v, body)
	}
}

// TestMetricsFromAddress: a configured network reads /metrics without
// signing in (the connection's address, not X-Forwarded-For); any other
// address is refused.
func TestMetricsFromAddress(t *testing.T) {
	for _, tc := range []struct {
		name, from string
		header     []string
		status     int
	}{
		{"allowed network", "127.0.0.0/8", nil, http.StatusOK},
		{"allowed address", "127.0.0.1", nil, http.StatusOK},
		{"other network", "10.0.0.0/8", nil, http.StatusUnauthorized},
		{"forwarded header is not trusted", "10.0.0.0/8", []string{"X-Forwarded-For", "10.1.2.3"}, http.StatusUnauthorized},
		{"none configured", "", nil, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.withMetrics(tc.from)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go h.app.Serve(ln)
			t.Cleanup(func() { h.app.Shutdown(context.Background()) })
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+ln.Addr().String()+"/metrics", nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i+1 < len(tc.header); i += 2 {
				req.Header.Set(tc.header[i], tc.header[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %.200s", resp.StatusCode, tc.status, body)
			}
			if tc.status == http.StatusOK && metricValue(t, string(body), `evalpanel_sheets_total{event="submitted"}`) != 0 {
				t.Errorf("metrics lack the sheet counters:\n%.500s", body)
			}
		})
	}
}

func TestParseMetricsFrom(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		bad      bool
	}{
		{"127.0.0.1/32", "[127.0.0.1/32]", false},
		{"10.1.2.3/8, ::1", "[10.0.0.0/8 ::1/128]", false},
		{"", "[]", false},
		{"localhost", "", true},
		{"10.0.0.0/33", "", true},
	} {
		got, err := ParseMetricsFrom(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("ParseMetricsFrom(%q): error %v, want error %v", tc.in, err, tc.bad)
			continue
		}
		if !tc.bad && fmt.Sprint(got) != tc.want {
			t.Errorf("ParseMetricsFrom(%q) = %v, want %s", tc.in, got, tc.want)
		}
	}
}

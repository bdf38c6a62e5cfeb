package web

import (
	"context"
	"database/sql"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsConfig configures /metrics, the Prometheus text exposition of
// request counts and latencies, the database pool and the sheets saved.
type MetricsConfig struct {
	// From lists the networks (CIDR prefixes) that may read /metrics
	// without signing in, such as a Prometheus server on the host; an
	// administrator's session or token may read it from anywhere. The
	// address is the connection's peer, never a forwarded header.
	From []netip.Prefix
	// DB is the database whose connection pool statistics are exposed;
	// none when nil.
	DB *sql.DB
}

// ParseMetricsFrom reads a comma-separated list of networks in CIDR
// notation ("127.0.0.1/32,10.0.0.0/8"); a bare address stands for itself.
func ParseMetricsFrom(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			addr, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// metricsPath is where the metrics are served.
const metricsPath = "/metrics"

// Labels of requests that matched no registered route (404s, static
// files), so that a scan of random paths adds no series.
const (
	routeUnmatched = "unmatched"
	routeStatic    = "/static"
)

// appMetrics holds the app's collectors in a registry of its own (no
// global state), and serves it.
type appMetrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	sheets   *prometheus.CounterVec
	from     []netip.Prefix
	serve    fiber.Handler
}

func newAppMetrics(cfg MetricsConfig) *appMetrics {
	m := &appMetrics{registry: prometheus.NewRegistry(), from: cfg.From}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "evalpanel_http_requests_total",
		Help: "HTTP requests answered, by method, route pattern and status."}, []string{"method", "route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "evalpanel_http_request_duration_seconds",
		Help:    "Time from receiving an HTTP request to its answer, by method, route pattern and status.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"method", "route", "status"})
	m.sheets = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "evalpanel_sheets_total",
		Help: "Score sheets stored, by event: saved (as a draft) or submitted."}, []string{"event"})
	m.sheets.WithLabelValues("saved")
	m.sheets.WithLabelValues("submitted")
	m.registry.MustRegister(m.requests, m.duration, m.sheets, collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if cfg.DB != nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(cfg.DB, "evalpanel"))
	}
	m.serve = adaptor.HTTPHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return m
}

// metrics sets up the app's metrics and returns the middleware that counts
// and times every request by its route pattern (c.Route().Path, not the
// raw path, so that ids do not multiply the series). It also answers
// /metrics itself, before the session and rbac, to the configured
// addresses. It counts the sheets by wrapping the sheet services.
func (a *App) metrics() fiber.Handler {
	m := newAppMetrics(a.cfg.Metrics)
	a.prom = m
	a.sheets = countingSheets{sheetServices: a.sheets, saved: m.sheets.WithLabelValues("saved"),
		submitted: m.sheets.WithLabelValues("submitted")}
	return func(c *fiber.Ctx) error {
		start := time.Now()
		var err error
		route := ""
		if c.Path() == metricsPath && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) && m.allowed(c) {
			route, err = metricsPath, m.serve(c)
		} else if secret, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok && c.Path() == metricsPath {
			// The session middleware reads tokens on the API only; a
			// scraper presents an administrator's token here.
			route, err = metricsPath, a.metricsByToken(c, strings.TrimSpace(secret))
		} else {
			err = c.Next()
			route = a.routeLabel(c)
		}
		status := c.Response().StatusCode()
		if err != nil {
			// Left for fiber's error handler, which answers with the
			// error's status or 500.
			status = fiber.StatusInternalServerError
			if ferr := (*fiber.Error)(nil); errors.As(err, &ferr) {
				status = ferr.Code
			}
		}
		// The method is in fasthttp's buffer, which the next request
		// reuses; a new series keeps its labels.
		labels := []string{strings.Clone(c.Method()), route, strconv.Itoa(status)}
		m.requests.WithLabelValues(labels...).Inc()
		m.duration.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
		return err
	}
}

// routeLabel is the pattern of the registered route that answered the
// request, or routeStatic or routeUnmatched. A route registered with
// App.route has two handlers (rbac's and its own); the middlewares and the
// final not-found handler, whose pattern "/" is also the home page's, have
// one.
func (a *App) routeLabel(c *fiber.Ctx) string {
	r := c.Route()
	if _, ok := a.routes[c.Method()+" "+r.Path]; ok && len(r.Handlers) > 1 {
		return r.Path
	}
	if strings.HasPrefix(c.Path(), routeStatic+"/") {
		return routeStatic
	}
	return routeUnmatched
}

// metricsByToken serves the metrics to the bearer of a token whose role
// rbac allows to read them, and refuses anyone else as the route would.
func (a *App) metricsByToken(c *fiber.Ctx, secret string) error {
	u, _, err := a.accounts.AuthenticateToken(c.UserContext(), secret)
	if err != nil {
		return err
	}
	if !a.authz.Allowed(string(u.Role), rbac.Read("metrics")) {
		return fiber.ErrForbidden
	}
	return a.prom.serve(c)
}

// allowed reports whether the request comes from a network configured to
// read the metrics without signing in.
func (m *appMetrics) allowed(c *fiber.Ctx) bool {
	if len(m.from) == 0 {
		return false
	}
	addr, err := netip.ParseAddr(c.Context().RemoteIP().String())
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range m.from {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// metricsRoutes: /metrics for administrators, by session or token (the
// configured addresses are let in by the middleware before rbac).
func (a *App) metricsRoutes() {
	a.route(get, metricsPath, rbac.Read("metrics"), func(c *fiber.Ctx) error { return a.prom.serve(c) })
}

// countingSheets counts the sheets stored through the services.
type countingSheets struct {
	sheetServices
	saved, submitted prometheus.Counter
}

func (s countingSheets) SaveSheet(ctx context.Context, actor evaluation.Actor, projectID int64, base int, content evaluation.SheetContent,
	submit bool) (*evaluation.Sheet, error) {
	sh, err := s.sheetServices.SaveSheet(ctx, actor, projectID, base, content, submit)
	if err == nil {
		if submit {
			s.submitted.Inc()
		} else {
			s.saved.Inc()
		}
	}
	return sh, err
}

// Package web is evalpanel's HTTP face: server-rendered HTML pages and the
// JSON API (/api/v1), two thin handler sets over the same service calls.
package web

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/csrf"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gofiber/template/html/v2"
)

//go:embed templates static
var assets embed.FS

// accountServices are the calls behind accounts, agencies and the audit
// log.
type accountServices interface {
	Counts(ctx context.Context, actor evaluation.Actor) (evaluation.Counts, error)

	Login(ctx context.Context, username, password string, meta evaluation.LoginMeta) (*evaluation.User, error)
	Logout(ctx context.Context, actor evaluation.Actor, meta evaluation.LoginMeta) error
	SessionUser(ctx context.Context, id int64) (*evaluation.User, error)
	User(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.User, error)
	Users(ctx context.Context, actor evaluation.Actor, f evaluation.UserFilter) ([]*evaluation.User, int, error)
	CreateUser(ctx context.Context, actor evaluation.Actor, in evaluation.NewUser) (*evaluation.User, error)
	UpdateUser(ctx context.Context, actor evaluation.Actor, id int64, up evaluation.UserUpdate) (*evaluation.User, error)
	SetLanguage(ctx context.Context, actor evaluation.Actor, lang evaluation.Language) error
	ResetPassword(ctx context.Context, actor evaluation.Actor, id int64, password string) error
	ChangePassword(ctx context.Context, actor evaluation.Actor, current, password string) error

	IssueToken(ctx context.Context, username, password, name string, meta evaluation.LoginMeta) (string, *evaluation.APIToken, error)
	CreateToken(ctx context.Context, actor evaluation.Actor, name string, meta evaluation.LoginMeta) (string, *evaluation.APIToken, error)
	AuthenticateToken(ctx context.Context, secret string) (*evaluation.User, *evaluation.APIToken, error)
	Tokens(ctx context.Context, actor evaluation.Actor) ([]*evaluation.APIToken, error)
	UserTokens(ctx context.Context, actor evaluation.Actor, userID int64) ([]*evaluation.APIToken, error)
	RevokeToken(ctx context.Context, actor evaluation.Actor, id int64) error

	Agencies(ctx context.Context, actor evaluation.Actor) ([]*evaluation.Agency, error)
	Agency(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Agency, error)
	CreateAgency(ctx context.Context, actor evaluation.Actor, in evaluation.NewAgency) (*evaluation.Agency, error)
	UpdateAgency(ctx context.Context, actor evaluation.Actor, id int64, up evaluation.AgencyUpdate) (*evaluation.Agency, error)

	AuditLog(ctx context.Context, actor evaluation.Actor, f evaluation.AuditFilter) ([]*evaluation.AuditEntry, int, error)
}

// Config configures the web app.
type Config struct {
	Services   Services
	Authorizer *rbac.Authorizer
	// Sessions stores sessions and CSRF tokens (cmd uses the store's
	// sessions table, so signed-in users survive a restart and every
	// instance on the database knows them).
	Sessions fiber.Storage
	// Attempts counts sign-in attempts for the rate limit (the store);
	// required.
	Attempts LoginAttempts
	Logger   *slog.Logger
	// BodyLimit is the largest request body in bytes; 1 MiB when zero.
	BodyLimit int
	// UploadLimit is the largest uploaded file in bytes, on the upload
	// routes only (bodylimit.go); evaluation.DefaultUploadLimit when zero.
	UploadLimit int64
	// SecureCookies marks cookies Secure; set it when served over TLS.
	SecureCookies bool
	// LoginFailures within LoginWindow per account and address lock further
	// attempts until the window passes; 5 per minute when zero.
	LoginFailures int
	LoginWindow   time.Duration
	// HashConcurrency is how many password hashes may run at once
	// (hashgate.go); GOMAXPROCS when zero. HashWait is how long a request
	// waits for its turn before it is answered 503; 5 seconds when zero.
	HashConcurrency int
	HashWait        time.Duration
	// Now is the clock, for tests; time.Now when nil.
	Now func() time.Time
	// Metrics configures /metrics (metrics.go).
	Metrics MetricsConfig
	// TrustedProxies are the reverse proxies in front of the server: from
	// them, the client's address is the first valid one of the
	// X-Forwarded-For header (the sign-in limit's key, the audit log, the
	// request log). From any other peer the header is ignored. /metrics
	// judges the connection's own address whatever this says.
	TrustedProxies []netip.Prefix
}

// App is the web application.
type App struct {
	cfg Config
	// One service per area of the product.
	accounts  accountServices
	rubrics   rubricServices
	pool      poolServices
	campaigns campaignServices
	panels    panelServices
	materials materialServices
	sheets    sheetServices
	results   resultServices
	revisions revisionServices
	review    reviewServices
	publicity publicityServices
	records   recordServices
	outbox    notificationServices
	authz     *rbac.Authorizer
	fiber     *fiber.App
	sessions  *session.Store
	tr        *translator
	validate  *validator.Validate
	limiter   *loginLimiter
	hashSlots chan struct{}
	log       *slog.Logger
	// routes records the permission of every route, keyed "METHOD /path",
	// so that a test can check that no route is left without a decision.
	routes     map[string]rbac.Permission
	openAPIDoc []byte
	prom       *appMetrics
}

// Context keys of values the middlewares store for handlers.
const (
	localUser  = "evalpanel.user"
	localToken = "evalpanel.token"
	localLang  = "evalpanel.lang"
	localCSRF  = "evalpanel.csrf"
	// localCSRFHandler is fiber's CSRF handler, to rotate the token.
	localCSRFHandler = "evalpanel.csrf.handler"
)

// New builds the app and registers every route.
func New(cfg Config) (*App, error) {
	if cfg.Authorizer == nil || cfg.Sessions == nil {
		return nil, errors.New("web: Authorizer and Sessions are required")
	}
	if err := cfg.Services.check(); err != nil {
		return nil, err
	}
	if cfg.Attempts == nil {
		return nil, errors.New("web: Config.Attempts is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.UploadLimit <= 0 {
		cfg.UploadLimit = evaluation.DefaultUploadLimit
	}
	if cfg.LoginFailures == 0 {
		cfg.LoginFailures = 5
	}
	if cfg.LoginWindow == 0 {
		cfg.LoginWindow = time.Minute
	}
	if cfg.HashConcurrency <= 0 {
		cfg.HashConcurrency = runtime.GOMAXPROCS(0)
	}
	if cfg.HashWait <= 0 {
		cfg.HashWait = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	validate, err := newValidator()
	if err != nil {
		return nil, err
	}
	sv := cfg.Services
	a := &App{cfg: cfg, accounts: sv.Accounts, rubrics: sv.Rubrics, pool: sv.Pool, campaigns: sv.Campaigns, panels: sv.Panels,
		materials: sv.Materials, sheets: sv.Sheets, results: sv.Results, revisions: sv.Revisions, review: sv.Review, publicity: sv.Publicity, records: sv.Records, outbox: sv.Notifications, authz: cfg.Authorizer, tr: tr, validate: validate, log: cfg.Logger,
		limiter: newLoginLimiter(cfg.Attempts, cfg.LoginFailures, cfg.LoginWindow, cfg.Now, cfg.Logger), routes: map[string]rbac.Permission{},
		hashSlots: make(chan struct{}, cfg.HashConcurrency)}

	if a.openAPIDoc, err = buildOpenAPI(); err != nil {
		return nil, err
	}
	tmpl, err := fs.Sub(assets, "templates")
	if err != nil {
		return nil, err
	}
	engine := html.NewFileSystem(http.FS(tmpl), ".html")
	engine.AddFuncMap(templateFuncs)
	if err := engine.Load(); err != nil {
		return nil, err
	}

	a.fiber = fiber.New(fiber.Config{
		AppName:               "evalpanel",
		BodyLimit:             max(cfg.BodyLimit, a.uploadBodyLimit()),
		ErrorHandler:          a.handleError,
		Views:                 engine,
		ViewsLayout:           "layouts/main",
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Without trusted proxies, c.IP() is the connection's address.
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          prefixStrings(cfg.TrustedProxies),
		ProxyHeader:             proxyHeader(cfg.TrustedProxies),
		EnableIPValidation:      true,
	})
	a.fiber.Server().HeaderReceived = a.requestLimits
	a.sessions = session.New(session.Config{
		Storage:        cfg.Sessions,
		Expiration:     12 * time.Hour,
		KeyLookup:      "cookie:" + sessionCookie,
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   cfg.SecureCookies,
	})

	a.fiber.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		a.log.Error("panic", "method", c.Method(), "path", c.Path(), "panic", e)
	}}))
	a.fiber.Use(a.metrics())
	a.fiber.Use(a.logRequests)
	a.fiber.Use(helmet.New(helmet.Config{
		ContentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
		XFrameOptions:             "DENY",
		ReferrerPolicy:            "same-origin",
		CrossOriginEmbedderPolicy: "unsafe-none",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=()",
		HSTSMaxAge:                31536000,
	}))
	a.fiber.Use(a.limitBody)
	a.fiber.Use(noStoreAPI)
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	a.fiber.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static), MaxAge: 3600}))
	a.fiber.Use(a.identify)
	a.fiber.Use(csrf.New(csrf.Config{
		Next:              skipCSRF,
		HandlerContextKey: localCSRFHandler,
		Storage:           cfg.Sessions,
		CookieName:        "evalpanel_csrf",
		CookieHTTPOnly:    true,
		CookieSameSite:    "Lax",
		CookieSecure:      cfg.SecureCookies,
		Expiration:        12 * time.Hour,
		ContextKey:        localCSRF,
		Extractor:         csrfFromFormOrHeader,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			return &evaluation.Error{Code: evaluation.Forbidden, Message: "error.csrf", Err: err}
		},
	}))
	a.registerRoutes()
	a.fiber.Use(func(c *fiber.Ctx) error { return evaluation.ErrNotFound })
	return a, nil
}

// Handler returns the fiber app, for app.Test in tests.
func (a *App) Handler() *fiber.App { return a.fiber }

// Serve serves on the listener until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.fiber.Listener(ln) }

// Shutdown stops accepting connections and waits for in-flight requests.
func (a *App) Shutdown(ctx context.Context) error { return a.fiber.ShutdownWithContext(ctx) }

// Routes returns the permission of every registered route.
func (a *App) Routes() map[string]rbac.Permission { return a.routes }

// route registers a handler with the permission it requires. Every route
// goes through here, so every route has an explicit decision.
func (a *App) route(method, path string, perm rbac.Permission, h fiber.Handler) {
	authz := a.authz.Middleware(perm, roleOf)
	a.routes[method+" "+path] = perm
	a.fiber.Add(method, path, authz, h)
	if method == fiber.MethodGet {
		a.routes[fiber.MethodHead+" "+path] = perm
		a.fiber.Add(fiber.MethodHead, path, authz, h)
	}
}

func roleOf(c *fiber.Ctx) string {
	if u := currentUser(c); u != nil {
		return string(u.Role)
	}
	return ""
}

// currentUser is the signed-in user, or nil.
func currentUser(c *fiber.Ctx) *evaluation.User {
	u, _ := c.Locals(localUser).(*evaluation.User)
	return u
}

// actor is the signed-in user as a service actor. Routes that call it are
// not public, so rbac has already refused anonymous requests.
func actor(c *fiber.Ctx) evaluation.Actor {
	if u := currentUser(c); u != nil {
		return u.Actor()
	}
	return evaluation.Actor{}
}

func isAPI(c *fiber.Ctx) bool {
	return strings.HasPrefix(c.Path(), "/api/")
}

// skipCSRF leaves out of the CSRF middleware the API (bearer tokens, no
// cookies) and an anonymous visitor's reading of any page but the sign-in
// page: the middleware stores a token for every request without one, and
// anonymous traffic must not write to the database. The sign-in page's
// form needs its token; every other page an anonymous visitor may see
// has no form that works without signing in. Posts are always checked.
func skipCSRF(c *fiber.Ctx) bool {
	if isAPI(c) {
		return true
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		return currentUser(c) == nil && c.Path() != "/login"
	case fiber.MethodPost:
		// An anonymous visitor's language switch sets a cookie and
		// nothing else, from any public page (the publicity notice
		// among them), which carries no token.
		return currentUser(c) == nil && c.Path() == "/lang"
	}
	return false
}

// rotateCSRF ends the CSRF token of the request, so that the next page
// gets a new one: on signing in and out, so that a token known before
// does not carry over.
func rotateCSRF(c *fiber.Ctx) error {
	if h, ok := c.Locals(localCSRFHandler).(*csrf.CSRFHandler); ok {
		return h.DeleteToken(c)
	}
	return nil
}

// noStoreAPI keeps API answers, tokens among them, out of every cache.
func noStoreAPI(c *fiber.Ctx) error {
	if isAPI(c) {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Next()
}

func csrfFromFormOrHeader(c *fiber.Ctx) (string, error) {
	if t := c.FormValue("_csrf"); t != "" {
		return t, nil
	}
	if t := c.Get(csrf.HeaderName); t != "" {
		return t, nil
	}
	return "", csrf.ErrTokenNotFound
}

func (a *App) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := a.handleError(c, err); herr != nil {
			a.log.Error("error handler", "err", herr)
		}
		err = nil
	}
	if c.Path() != "/healthz" && c.Path() != "/readyz" {
		a.log.Info("request", "method", c.Method(), "path", c.Path(), "status", c.Response().StatusCode(),
			"duration", time.Since(start).Round(time.Microsecond), "ip", c.IP())
	}
	return err
}

func prefixStrings(ps []netip.Prefix) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

func proxyHeader(trusted []netip.Prefix) string {
	if len(trusted) == 0 {
		return ""
	}
	return fiber.HeaderXForwardedFor
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/mailer"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/web"
)

// serverConfig is what serve needs; flags and environment fill it in.
type serverConfig struct {
	Addr     string
	DB       string
	DataDir  string
	Demo     bool
	Password password.Params
	Logger   *slog.Logger
	Stdout   io.Writer

	// UploadLimit is the largest material file in bytes; 0 means
	// evaluation.DefaultUploadLimit.
	UploadLimit int64

	// SecureCookies marks the session, CSRF and language cookies Secure:
	// for a server reached over HTTPS (through a TLS proxy).
	SecureCookies bool

	// SMTP is the mail server of the outbox's sender; nil sends nothing
	// and leaves messages queued. MailPoll overrides how often the sender
	// looks for due messages (tests).
	SMTP     *mailer.Server
	MailPoll time.Duration

	// Now is the clock of the services and the web app (tests, to run a
	// period out); time.Now when nil.
	Now func() time.Time

	// MetricsFrom lists the networks that may read /metrics without
	// signing in.
	MetricsFrom []netip.Prefix

	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client (web.Config.TrustedProxies).
	TrustedProxies []netip.Prefix
}

// server is a running evalpanel: the store, the web app and its listener.
type server struct {
	db       *sqlstore.DB
	sessions *sqlstore.Sessions
	app      *web.App
	ln       net.Listener
	served   chan error
	log      *slog.Logger
	// stopMail stops the mail sender and waits for it; nil without one.
	stopMail func()
}

// URL is the address the server listens on.
func (s *server) URL() string { return "http://" + s.ln.Addr().String() }

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("serve", stderr)
	addr := fs.String("addr", envOr("EVALPANEL_ADDR", "127.0.0.1:8080"), "listen address (env EVALPANEL_ADDR)")
	data := fs.String("data", envOr("EVALPANEL_DATA", "./evalpanel-data"), "folder for uploaded files (env EVALPANEL_DATA)")
	uploadLimit := fs.String("upload-limit", envOr("EVALPANEL_UPLOAD_LIMIT", "50MiB"),
		"largest uploaded material: bytes, or a number with KiB, MiB or GiB (env EVALPANEL_UPLOAD_LIMIT)")
	smtpURL := fs.String("smtp-url", envOr("EVALPANEL_SMTP_URL", ""),
		"mail server for e-mail notifications, smtp://user:pass@host:587?from=ADDRESS or smtps://…; none: messages stay queued (env EVALPANEL_SMTP_URL)")
	withDemo := fs.Bool("demo", false, "seed demo data into an empty database and print the demo logins")
	secure, err := strconv.ParseBool(envOr("EVALPANEL_SECURE_COOKIES", "false"))
	if err != nil {
		fmt.Fprintf(stderr, "serve: EVALPANEL_SECURE_COOKIES: %v\n", err)
		return exitError(2)
	}
	secureCookies := fs.Bool("secure-cookies", secure,
		"mark cookies Secure, so that browsers send them over HTTPS only; set it when users reach the server over HTTPS (env EVALPANEL_SECURE_COOKIES)")
	metricsFrom := fs.String("metrics-from", envOr("EVALPANEL_METRICS_FROM", ""),
		"networks (CIDR, comma-separated) that may read /metrics without signing in, e.g. 127.0.0.1/32; administrators always may (env EVALPANEL_METRICS_FROM)")
	trustedProxies := fs.String("trusted-proxies", envOr("EVALPANEL_TRUSTED_PROXIES", ""),
		"addresses or networks (CIDR, comma-separated) of reverse proxies whose X-Forwarded-For names the client, for the sign-in limit and the logs (env EVALPANEL_TRUSTED_PROXIES)")
	if err := parse(fs, args); err != nil {
		return err
	}
	from, err := web.ParseMetricsFrom(*metricsFrom)
	if err != nil {
		fmt.Fprintf(stderr, "serve: --metrics-from: %v\n", err)
		return exitError(2)
	}
	proxies, err := web.ParseMetricsFrom(*trustedProxies)
	if err != nil {
		fmt.Fprintf(stderr, "serve: --trusted-proxies: %v\n", err)
		return exitError(2)
	}
	limit, err := parseSize(*uploadLimit)
	if err != nil {
		fmt.Fprintf(stderr, "serve: --upload-limit: %v\n", err)
		return exitError(2)
	}
	var smtp *mailer.Server
	if *smtpURL != "" {
		server, err := mailer.ParseURL(*smtpURL)
		if err != nil {
			fmt.Fprintf(stderr, "serve: --smtp-url: %v\n", err)
			return exitError(2)
		}
		smtp = &server
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	s, err := startServer(ctx, serverConfig{Addr: *addr, DB: *dbPath, DataDir: *data, UploadLimit: limit, Demo: *withDemo,
		SecureCookies: *secureCookies, Password: password.Default, Logger: logger, Stdout: stdout, SMTP: smtp, MetricsFrom: from,
		TrustedProxies: proxies})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "evalpanel is listening on %s\n", s.URL())
	<-ctx.Done()
	logger.Info("shutting down")
	return s.shutdown(30 * time.Second)
}

// startServer opens the database (migrating it), optionally seeds the demo,
// and starts serving in the background.
func startServer(ctx context.Context, cfg serverConfig) (s *server, err error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	blobs, err := files.Open(filepath.Join(cfg.DataDir, "blobs"))
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	db, svc, err := openService(ctx, cfg.DB, cfg.Password, evaluation.WithBlobs(blobs), evaluation.WithUploadLimit(cfg.UploadLimit),
		evaluation.WithClock(cfg.Now))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	if cfg.Demo {
		if err := seedDemo(ctx, db, svc, cfg.Stdout); err != nil {
			return nil, err
		}
	}
	sessions := db.Sessions()
	authz, err := rbac.New()
	if err != nil {
		sessions.Close()
		return nil, err
	}
	app, err := web.New(web.Config{Services: web.ServicesOf(svc, db.Ping), Authorizer: authz, Sessions: sessions, Attempts: db, Logger: cfg.Logger,
		UploadLimit: svc.Materials.UploadLimit(), SecureCookies: cfg.SecureCookies, Now: cfg.Now,
		Metrics: web.MetricsConfig{From: cfg.MetricsFrom, DB: db.SQL()}, TrustedProxies: cfg.TrustedProxies})
	if err != nil {
		sessions.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		sessions.Close()
		return nil, err
	}
	s = &server{db: db, sessions: sessions, app: app, ln: ln, served: make(chan error, 1), log: cfg.Logger}
	if cfg.SMTP != nil {
		if s.stopMail, err = startMail(db, cfg); err != nil {
			ln.Close()
			sessions.Close()
			return nil, err
		}
	}
	go func() { s.served <- app.Serve(ln) }()
	return s, nil
}

// startMail starts the outbox's sender in the background and returns the
// function that stops it and waits until it has.
func startMail(db *sqlstore.DB, cfg serverConfig) (func(), error) {
	texts, err := web.NewMailTexts()
	if err != nil {
		return nil, err
	}
	sender, err := mailer.New(mailer.Config{Server: *cfg.SMTP, Queue: db, Renderer: texts, Logger: cfg.Logger, Poll: cfg.MailPoll})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := sender.Run(ctx); err != nil {
			cfg.Logger.Error("mail sender", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}

// parseSize reads a size in bytes: a whole number, optionally followed by
// KiB, MiB or GiB (K, M, G, KB, MB and GB mean the same powers of 1024).
func parseSize(s string) (int64, error) {
	t, mult := strings.ToUpper(strings.TrimSpace(s)), int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size (such as 52428800 or 50MiB)", s)
	}
	return n * mult, nil
}

// shutdown stops accepting connections, lets in-flight requests finish
// (up to the timeout), stops the mail sender (which finishes the message
// it is sending), then closes the session store and the database.
func (s *server) shutdown(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := []error{s.app.Shutdown(ctx)}
	if err := <-s.served; err != nil && !errors.Is(err, net.ErrClosed) {
		errs = append(errs, err)
	}
	if s.stopMail != nil {
		s.stopMail()
	}
	errs = append(errs, s.sessions.Close(), s.db.Close())
	return errors.Join(errs...)
}

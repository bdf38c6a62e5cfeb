package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlite"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/evalpanel/evalpanel/web"
	sqlitestore "github.com/gofiber/storage/sqlite3/v2"
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
}

// server is a running evalpanel: the store, the web app and its listener.
type server struct {
	db       *sqlite.DB
	sessions *sqlitestore.Storage
	app      *web.App
	ln       net.Listener
	served   chan error
	log      *slog.Logger
}

// URL is the address the server listens on.
func (s *server) URL() string { return "http://" + s.ln.Addr().String() }

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("serve", stderr)
	addr := fs.String("addr", envOr("EVALPANEL_ADDR", "127.0.0.1:8080"), "listen address (env EVALPANEL_ADDR)")
	data := fs.String("data", envOr("EVALPANEL_DATA", "./evalpanel-data"), "folder for uploaded files (env EVALPANEL_DATA)")
	withDemo := fs.Bool("demo", false, "seed demo data into an empty database and print the demo logins")
	if err := parse(fs, args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	s, err := startServer(ctx, serverConfig{Addr: *addr, DB: *dbPath, DataDir: *data, Demo: *withDemo,
		Password: password.Default, Logger: logger, Stdout: stdout})
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
	db, svc, err := openService(ctx, cfg.DB, cfg.Password)
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
	sessions, err := openSessions(cfg.DB)
	if err != nil {
		return nil, err
	}
	authz, err := rbac.New()
	if err != nil {
		sessions.Close()
		return nil, err
	}
	app, err := web.New(web.Config{Services: svc, Authorizer: authz, Sessions: sessions, Logger: cfg.Logger})
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
	go func() { s.served <- app.Serve(ln) }()
	return s, nil
}

// openSessions opens the session table in the same database file. The
// library panics on a failed open; turn that into an error.
func openSessions(dbPath string) (st *sqlitestore.Storage, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("open session storage: %v", p)
		}
	}()
	return sqlitestore.New(sqlitestore.Config{Database: sqlite.DSN(dbPath), Table: "sessions",
		GCInterval: 10 * time.Minute, MaxOpenConns: 4, MaxIdleConns: 2}), nil
}

// shutdown stops accepting connections, lets in-flight requests finish
// (up to the timeout), then closes the session store and the database.
func (s *server) shutdown(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	errs := []error{s.app.Shutdown(ctx)}
	if err := <-s.served; err != nil && !errors.Is(err, net.ErrClosed) {
		errs = append(errs, err)
	}
	errs = append(errs, s.sessions.Close(), s.db.Close())
	return errors.Join(errs...)
}

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/evalpanel/evalpanel/rubrics"
)

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", envOr("EVALPANEL_DB", "./evalpanel.db"),
		"SQLite database file, or a PostgreSQL URL postgres://user:password@host:port/dbname (env EVALPANEL_DB)")
	return fs, db
}

// sqliteOnly refuses a PostgreSQL --db for a command that works on the
// SQLite file, saying what to use instead.
func sqliteOnly(command, dbPath, instead string, stderr io.Writer) error {
	if !sqlstore.IsPostgres(dbPath) {
		return nil
	}
	fmt.Fprintf(stderr, "%s works on a SQLite database file; for PostgreSQL %s\n", command, instead)
	return exitError(2)
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitError(2)
	}
	return nil
}

// openService opens (and migrates) the database and builds the service.
func openService(ctx context.Context, path string, p password.Params, opts ...evaluation.Option) (*sqlstore.DB, *evaluation.Services, error) {
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	svc, err := evaluation.New(db, password.New(p), opts...)
	if err == nil {
		err = installDefaults(ctx, svc)
	}
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, svc, nil
}

// installDefaults loads the default rubrics as published version 1 the
// first time; afterwards it changes nothing.
func installDefaults(ctx context.Context, svc *evaluation.Services) error {
	defaults, err := rubrics.Defaults()
	if err != nil {
		return err
	}
	return svc.Rubrics.InstallDefaultRubrics(ctx, defaults)
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("migrate", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database %s is at schema version %d\n", sqlstore.Redact(*dbPath), v)
	return nil
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("demo", stderr)
	data := fs.String("data", envOr("EVALPANEL_DATA", "./evalpanel-data"), "folder for uploaded files (env EVALPANEL_DATA)")
	if err := parse(fs, args); err != nil {
		return err
	}
	blobs, err := files.Open(filepath.Join(*data, "blobs"))
	if err != nil {
		return err
	}
	db, svc, err := openService(ctx, *dbPath, password.Default, evaluation.WithBlobs(blobs))
	if err != nil {
		return err
	}
	defer db.Close()
	return seedDemo(ctx, db, svc, stdout)
}

// seedDemo seeds an empty database and prints the demo logins; on a
// database that already holds the demo it prints them again.
func seedDemo(ctx context.Context, db *sqlstore.DB, svc *evaluation.Services, stdout io.Writer) error {
	logins, err := demo.Seed(ctx, db, svc)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprint(stdout, logins.String())
	return nil
}

func cmdUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("user add", stderr)
	username := fs.String("username", "", "login name")
	role := fs.String("role", "", "admin, commission, agency_staff or expert")
	agency := fs.String("agency", "", "agency code (agency staff only)")
	name := fs.String("name", "", "display name (defaults to the username)")
	lang := fs.String("lang", "zh-CN", "interface language: zh-CN or en")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !*fromStdin {
		fmt.Fprintln(stderr, "user add: --password-stdin is required (passwords are never taken as arguments)")
		return exitError(2)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if *name == "" {
		*name = *username
	}
	db, svc, err := openService(ctx, *dbPath, password.Default)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: *username, Name: *name,
		Role: evaluation.Role(*role), AgencyCode: *agency, Language: evaluation.Language(*lang), Password: pw})
	if err != nil {
		if e := evaluation.ErrorAs(err); e != nil && len(e.Fields) > 0 {
			for f, msg := range e.Fields {
				fmt.Fprintf(stderr, "user add: %s: %s\n", f, msg)
			}
			return exitError(1)
		}
		return err
	}
	fmt.Fprintf(stdout, "created user %s (id %d, role %s)\n", u.Username, u.ID, u.Role)
	return nil
}

func cmdAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("audit verify", stderr)
	var anchors []evaluation.AuditAnchor
	fs.Func("anchor", "ID:HASH of an entry recorded earlier (repeatable); the log must still contain it", func(s string) error {
		id, hash, ok := strings.Cut(s, ":")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || n <= 0 || len(hash) != 64 {
			return fmt.Errorf("want ID:HASH, as printed by audit verify")
		}
		anchors = append(anchors, evaluation.AuditAnchor{ID: n, Hash: strings.ToLower(hash)})
		return nil
	})
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	n, head, problem, err := evaluation.VerifyAudit(ctx, db, anchors...)
	if err != nil {
		return err
	}
	if problem != nil {
		fmt.Fprintf(stderr, "audit log BROKEN at entry %d: %s (%d entries read)\n", problem.EntryID, problem.Reason, n)
		return exitError(1)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries\n", n)
	if head.LastID > 0 {
		fmt.Fprintf(stdout, "anchor: %d:%s\n(record it elsewhere; a later `audit verify --anchor %d:…` detects a log rewritten since)\n",
			head.LastID, head.LastHash, head.LastID)
	}
	return nil
}

// cmdDrawVerify re-runs every draw and match of a campaign from its
// records, replays each panel from its record and the audit log
// (evaluation.VerifyPanels), and exits non-zero on any difference.
func cmdDrawVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlags("draw verify", stderr)
	if err := fs.Parse(args); err != nil {
		return exitError(2)
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "draw verify: give the campaign id")
		return exitError(2)
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(stderr, "draw verify: %q is not a campaign id\n", fs.Arg(0))
		return exitError(2)
	}
	db, err := sqlstore.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Campaign(ctx, id); err != nil {
		fmt.Fprintf(stderr, "draw verify: campaign %d: %v\n", id, err)
		return exitError(1)
	}
	// One snapshot for the records, the panels and the audit log, so that
	// a change the server commits meanwhile is not taken for tampering.
	var n, panels int
	var problems []evaluation.DrawProblem
	var panelProblems []evaluation.PanelProblem
	err = db.ReadSnapshot(ctx, func(s *sqlstore.Snapshot) error {
		var err error
		if n, problems, err = evaluation.VerifyDraws(ctx, s, id); err != nil {
			return err
		}
		panels, panelProblems, err = evaluation.VerifyPanels(ctx, s, id)
		return err
	})
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(stderr, "draw record %d: %s\n", p.DrawID, p.Reason)
	}
	for _, p := range panelProblems {
		fmt.Fprintln(stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "draws of campaign %d: %d of %d records do NOT re-run to their result\n", id, len(problems), n)
	}
	if len(panelProblems) > 0 {
		fmt.Fprintf(stderr, "panels of campaign %d: %d problems: the panels as stored are NOT what their records and the audited changes make them\n",
			id, len(panelProblems))
	}
	if len(problems) > 0 || len(panelProblems) > 0 {
		return exitError(1)
	}
	fmt.Fprintf(stdout, "draws of campaign %d: %d records re-run to the same panels\n", id, n)
	fmt.Fprintf(stdout, "panels of campaign %d: %d panels are what their records and the audited changes make them\n", id, panels)
	return nil
}

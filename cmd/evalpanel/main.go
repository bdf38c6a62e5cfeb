// Command evalpanel runs the evalpanel server and its maintenance tasks.
//
//	evalpanel [serve] [--addr A] [--db FILE] [--data DIR] [--smtp-url URL] [--metrics-from CIDR,…] [--demo]
//	evalpanel migrate [--db FILE]
//	evalpanel demo [--db FILE] [--data DIR]
//	evalpanel user add --username NAME --role ROLE [--agency CODE] [--name DISPLAY] --password-stdin [--db FILE]
//	evalpanel audit verify [--db FILE] [--anchor ID:HASH]
//	evalpanel draw verify [--db FILE] CAMPAIGN_ID
//	evalpanel import projects FILE [INDICATORS.csv] --campaign ID [--db FILE] [--lang zh-CN|en] [--as USERNAME]
//	evalpanel import experts FILE [--db FILE] [--lang zh-CN|en] [--as USERNAME]
//	evalpanel bench [--clients 1,16,64,256] [--requests 2000] [--rounds 4] [--match-projects 5000] [--match-experts 20000] [--quick] [--db-dir DIR] [--cpuprofile FILE] [--keep]
//	evalpanel bench-results [--projects 5000] [--technical 7] [--finance 1] [--rounds 5] [--db-dir DIR] [--cpuprofile FILE] [--keep]
//	evalpanel crash-test [--cycles 20] [--clients 8] [--seed N] [--max-up 600ms] [--db-dir DIR] [--keep]
//	evalpanel backup [--db FILE] --to BACKUPFILE
//	evalpanel restore --from BACKUPFILE [--db FILE] [--force]
//	evalpanel migrate-db --from FILE --to postgres://…
//
// Every flag also reads an environment variable: EVALPANEL_ADDR,
// EVALPANEL_DB, EVALPANEL_DATA, EVALPANEL_SMTP_URL, EVALPANEL_METRICS_FROM.
//
// The import commands take the spreadsheets of the web's import pages (an
// xlsx workbook, or csv files) with the same all-or-nothing rules: on any
// problem they print every one (sheet, row, column, message in --lang),
// store nothing and exit with status 1. The audit log records the import
// under --as USERNAME (staff of the campaign's agency for projects, an
// administrator or the commission for experts), or without it under
// "system": on behalf of the campaign's agency for projects, as the system
// administrator for experts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	var exit exitError
	switch {
	case errors.As(err, &exit):
		os.Exit(int(exit))
	case err != nil:
		fmt.Fprintln(os.Stderr, "evalpanel:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status after the command has already
// said why.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `usage:
  evalpanel [serve] [--addr 127.0.0.1:8080] [--db ./evalpanel.db] [--data ./evalpanel-data] [--upload-limit 50MiB]
                  [--smtp-url smtp://user:pass@host:587?from=ADDRESS] [--secure-cookies] [--demo]
  evalpanel migrate [--db FILE]
  evalpanel demo [--db FILE] [--data DIR]
  evalpanel user add --username NAME --role admin|commission|agency_staff|expert [--agency CODE] [--name DISPLAY] --password-stdin [--db FILE]
  evalpanel audit verify [--db FILE] [--anchor ID:HASH]
  evalpanel draw verify [--db FILE] CAMPAIGN_ID
  evalpanel import projects FILE [INDICATORS.csv] --campaign ID [--db FILE] [--lang zh-CN|en] [--as USERNAME]
  evalpanel import experts FILE [--db FILE] [--lang zh-CN|en] [--as USERNAME]
      FILE is an xlsx workbook or a csv file (INDICATORS.csv: the indicators table of a csv import).
      --as: the account the import acts as and the audit log names: staff of the campaign's agency
      for projects, an administrator or the commission for experts. Without it the operator acts
      as "system", on behalf of the campaign's agency for projects, as administrator for experts.
  evalpanel bench [--clients 1,16,64,256] [--requests 2000] [--rounds 4] [--match-projects 5000] [--match-experts 20000] [--quick] [--db-dir DIR] [--cpuprofile FILE] [--keep]
      measures draft saves, submits, the expert's home page and the commission's results page over HTTP
      on 127.0.0.1 against a bare fiber+SQLite baseline in the same run, and times one campaign-wide match
      through the API, with fresh databases in a temporary folder under --db-dir (BENCHMARKS.md).
  evalpanel bench-results [--projects 5000] [--technical 7] [--finance 1] [--rounds 5] [--db-dir DIR] [--cpuprofile FILE] [--keep]
      measures a campaign's results (official, leniency, ICC, percentiles) computed from a seeded SQLite file
      against SQLite's read of the same rows in the same run, the heap it needs, and the results pages over HTTP.
  evalpanel crash-test [--cycles 20] [--clients 8] [--seed N] [--max-up 600ms] [--db-dir DIR] [--keep]
      runs the server as a child process on a fresh database, kills it with SIGKILL at random moments while
      clients save and submit sheets, restarts it, and checks every acknowledged write, integrity and the audit log.
  evalpanel backup [--db FILE] --to BACKUPFILE
      writes a consistent copy of the database while the server runs, checked (integrity, audit log) before it is named.
  evalpanel restore --from BACKUPFILE [--db FILE] [--force]
      checks the backup, then puts it in place of the database (the server stopped; --force to replace an existing file).
  evalpanel migrate-db --from FILE --to postgres://user:password@host:port/dbname
      copies a SQLite deployment into an empty PostgreSQL database in one transaction, compares every table's rows
      and verifies the copied audit log against the source's.
  --db takes a SQLite file or a PostgreSQL URL (postgres://…) for every command but backup and restore.
`

// run dispatches a command line; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && (args[0][0] != '-' || args[0] == "-h" || args[0] == "--help") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, args, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, args, stdout, stderr)
	case "user":
		if len(args) > 0 && args[0] == "add" {
			return cmdUserAdd(ctx, args[1:], stdin, stdout, stderr)
		}
	case "audit":
		if len(args) > 0 && args[0] == "verify" {
			return cmdAuditVerify(ctx, args[1:], stdout, stderr)
		}
	case "draw":
		if len(args) > 0 && args[0] == "verify" {
			return cmdDrawVerify(ctx, args[1:], stdout, stderr)
		}
	case "import":
		if len(args) > 0 && args[0] == "projects" {
			return cmdImportProjects(ctx, args[1:], stdout, stderr)
		}
		if len(args) > 0 && args[0] == "experts" {
			return cmdImportExperts(ctx, args[1:], stdout, stderr)
		}
	case "bench":
		return cmdBench(ctx, args, stdout, stderr)
	case "bench-results":
		return cmdBenchResults(ctx, args, stdout, stderr)
	case "crash-test":
		return cmdCrashTest(ctx, args, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, args, stdout, stderr)
	case "restore":
		return cmdRestore(ctx, args, stdout, stderr)
	case "migrate-db":
		return cmdMigrateDB(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return exitError(2)
}

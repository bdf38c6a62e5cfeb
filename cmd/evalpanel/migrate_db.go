package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
)

// cmdMigrateDB moves a SQLite deployment to PostgreSQL: it migrates both
// to the current schema, refuses a target that holds anything, copies
// every table in one transaction (sqlstore.CopyTo), compares each table's
// rows, and verifies the audit chain on the target, which must end at the
// source's head. The source is only read (and migrated, as any start of
// this version would). Uploaded files stay in the data folder: point the
// PostgreSQL deployment's --data at the same folder.
func cmdMigrateDB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate-db", stderr)
	from := fs.String("from", "", "the SQLite database file to copy (sqlite:FILE or FILE)")
	to := fs.String("to", "", "the PostgreSQL database to copy into, empty: postgres://user:password@host:port/dbname")
	if err := parse(fs, args); err != nil {
		return err
	}
	src := strings.TrimPrefix(*from, "sqlite:")
	if src == "" || *to == "" {
		fmt.Fprintln(stderr, "migrate-db: give --from FILE and --to postgres://…")
		return exitError(2)
	}
	if sqlstore.IsPostgres(src) || !sqlstore.IsPostgres(*to) {
		fmt.Fprintln(stderr, "migrate-db: copies a SQLite file (--from) into a PostgreSQL database (--to postgres://…)")
		return exitError(2)
	}
	if _, err := os.Stat(src); err != nil {
		fmt.Fprintf(stderr, "migrate-db: %v\n", err)
		return exitError(1)
	}
	source, err := sqlstore.Open(ctx, src)
	if err != nil {
		return err
	}
	defer source.Close()
	target, err := sqlstore.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer target.Close()
	started := false
	counts, err := source.CopyTo(ctx, target, func(table string, rows int) {
		if !started {
			fmt.Fprintf(stdout, "copying %s into %s\n", src, sqlstore.Redact(*to))
			started = true
		}
		fmt.Fprintf(stdout, "  %-22s %8d rows\n", table, rows)
	})
	if errors.Is(err, sqlstore.ErrTargetNotEmpty) {
		fmt.Fprintf(stderr, "migrate-db: %v; nothing was written (copy into a new, empty database)\n", err)
		return exitError(1)
	}
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c.Target
	}
	fmt.Fprintf(stdout, "rows: %d in %d tables, each table's count equal to the source's\n", total, len(counts))
	_, sourceHead, problem, err := evaluation.VerifyAudit(ctx, source)
	if err != nil {
		return err
	}
	if problem != nil {
		fmt.Fprintf(stderr, "migrate-db: the SOURCE's audit log is broken at entry %d: %s (copied as it is)\n", problem.EntryID, problem.Reason)
		return exitError(1)
	}
	n, head, problem, err := evaluation.VerifyAudit(ctx, target)
	if err != nil {
		return err
	}
	if problem != nil {
		fmt.Fprintf(stderr, "migrate-db: the copied audit log is BROKEN at entry %d: %s\n", problem.EntryID, problem.Reason)
		return exitError(1)
	}
	if head != sourceHead {
		fmt.Fprintf(stderr, "migrate-db: the copied audit log ends at %d:%s, the source's at %d:%s\n",
			head.LastID, head.LastHash, sourceHead.LastID, sourceHead.LastHash)
		return exitError(1)
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries, ending at the source's head %d:%s\n", n, head.LastID, head.LastHash)
	return nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// CopyCount is one table's rows in the source and, after the copy, in the
// target.
type CopyCount struct {
	Table          string
	Source, Target int
}

// ErrTargetNotEmpty is Copy's refusal to write into a database that holds
// anything.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// copyBatch is how many rows one INSERT carries.
const copyBatch = 200

// CopyTo copies every row of every table of the SQLite store db into the
// PostgreSQL store dst, migrated to the same version and empty (else
// ErrTargetNotEmpty, naming a table that has rows), in one transaction:
// either all of it is there afterwards or none. Rows keep their ids; each
// identity sequence then starts past the largest. The schema's triggers,
// which refuse changes to settled rows, are off during the copy (it
// writes rows in their final state, an opinion locked before its
// responses); foreign keys stay checked. progress, when not nil, is told
// each table as it is copied. It returns the rows counted in each table of
// both databases after the copy, and an error when any count differs.
func (db *DB) CopyTo(ctx context.Context, dst *DB, progress func(table string, rows int)) ([]CopyCount, error) {
	if db.pg || !dst.pg {
		return nil, errors.New("copy: from a SQLite store to a PostgreSQL store only")
	}
	sv, err := db.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy: source version: %w", err)
	}
	dv, err := dst.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy: target version: %w", err)
	}
	if sv != dv {
		return nil, fmt.Errorf("copy: the source is at schema version %d, the target at %d", sv, dv)
	}
	tables, err := dst.pgTablesInOrder(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		empty, err := dst.pgEmpty(ctx, t)
		if err != nil {
			return nil, err
		}
		if !empty {
			return nil, fmt.Errorf("%w: table %s has rows", ErrTargetNotEmpty, t)
		}
	}
	tx, err := dst.sqldb.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
		return nil, err
	}
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+t+` DISABLE TRIGGER USER`); err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		// The seed rows the migrations wrote (the audit log's head) are
		// replaced by the source's.
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		n, cols, err := copyTable(ctx, db.sqldb, tx, t)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		if _, err := tx.ExecContext(ctx, `ALTER TABLE `+t+` ENABLE TRIGGER USER`); err != nil {
			return nil, fmt.Errorf("copy %s: %w", t, err)
		}
		if slices.Contains(cols, "id") {
			if err := resetIdentity(ctx, tx, t); err != nil {
				return nil, fmt.Errorf("copy %s: %w", t, err)
			}
		}
		if progress != nil {
			progress(t, n)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("copy: commit: %w", err)
	}
	var counts []CopyCount
	var differ []string
	for _, t := range tables {
		c := CopyCount{Table: t}
		if err := db.sqldb.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&c.Source); err != nil {
			return nil, err
		}
		if err := dst.sqldb.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&c.Target); err != nil {
			return nil, err
		}
		if c.Source != c.Target {
			differ = append(differ, fmt.Sprintf("%s: %d rows, %d copied", t, c.Source, c.Target))
		}
		counts = append(counts, c)
	}
	if len(differ) > 0 {
		return counts, fmt.Errorf("copy: counts differ: %s", strings.Join(differ, "; "))
	}
	return counts, nil
}

// pgTablesInOrder lists the schema's tables (not goose's) so that each
// comes after the tables its foreign keys refer to.
func (db *DB) pgTablesInOrder(ctx context.Context) ([]string, error) {
	rows, err := db.sqldb.QueryContext(ctx, `SELECT tablename FROM pg_tables
		WHERE schemaname = current_schema() AND tablename <> 'goose_db_version' ORDER BY tablename`)
	if err != nil {
		return nil, err
	}
	var all []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	deps := map[string][]string{}
	rows, err = db.sqldb.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			rows.Close()
			return nil, err
		}
		if from != to {
			deps[from] = append(deps[from], to)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	done := map[string]bool{}
	var visit func(t string, path []string) error
	visit = func(t string, path []string) error {
		if done[t] {
			return nil
		}
		if slices.Contains(path, t) {
			return fmt.Errorf("copy: foreign keys in a cycle: %s", strings.Join(append(path, t), " → "))
		}
		for _, d := range deps[t] {
			if err := visit(d, append(path, t)); err != nil {
				return err
			}
		}
		done[t] = true
		order = append(order, t)
		return nil
	}
	for _, t := range all {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// pgEmpty tells whether a table of a freshly migrated database holds only
// what the migrations put there (the audit log's head, at its start).
func (db *DB) pgEmpty(ctx context.Context, table string) (bool, error) {
	q := `SELECT NOT EXISTS (SELECT 1 FROM ` + table + `)`
	if table == "audit_head" {
		q = `SELECT NOT EXISTS (SELECT 1 FROM audit_head WHERE last_id <> 0 OR last_hash <> '')`
	}
	var empty bool
	err := db.sqldb.QueryRowContext(ctx, q).Scan(&empty)
	return empty, err
}

// copyTable copies one table's rows, column by column as the target names
// them, in batches of copyBatch rows, and returns how many, and the
// columns.
func copyTable(ctx context.Context, src *sql.DB, dst *sql.Tx, table string) (n int, cols []string, err error) {
	rows, err := dst.QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return 0, nil, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return 0, nil, err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	list := strings.Join(cols, ", ")
	rows, err = src.QueryContext(ctx, `SELECT `+list+` FROM `+table+` ORDER BY rowid`)
	if err != nil {
		// A WITHOUT ROWID table, or a view: its primary key orders it.
		rows, err = src.QueryContext(ctx, `SELECT `+list+` FROM `+table)
	}
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(`INSERT INTO ` + table + ` (` + list + `) VALUES `)
		for r := 0; r < len(batch)/len(cols); r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(r*len(cols)+c+1))
			}
			b.WriteByte(')')
		}
		_, err := dst.ExecContext(ctx, b.String(), batch...)
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return n, nil, err
		}
		batch = append(batch, vals...)
		n++
		if n%copyBatch == 0 {
			if err := flush(); err != nil {
				return n, nil, fmt.Errorf("rows up to %d: %w", n, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	if err := flush(); err != nil {
		return n, nil, fmt.Errorf("rows up to %d: %w", n, err)
	}
	return n, cols, nil
}

// resetIdentity moves the identity sequence of a table's id column, if it
// has one (audit_log's ids are the store's own), past its largest id, as
// SQLite's rowid would continue.
func resetIdentity(ctx context.Context, tx *sql.Tx, table string) error {
	var seq sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, table).Scan(&seq); err != nil {
		return err
	}
	if !seq.Valid {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT setval($1, (SELECT COALESCE(MAX(id), 0) + 1 FROM `+table+`), false)`, seq.String)
	return err
}

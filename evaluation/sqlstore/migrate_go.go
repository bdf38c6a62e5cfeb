package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/pressly/goose/v3"
	"golang.org/x/text/unicode/norm"
)

// goMigrations are the migrations that rewrite data in ways plain SQL
// cannot say portably (JSON kept in a column). They are numbered in one
// sequence with the SQL files of migrations/.
func goMigrations(pg bool) []*goose.Migration {
	// on gives a migration the transaction goose runs it in, as a dbtx
	// that takes the store's ? parameters on either database.
	on := func(fn func(ctx context.Context, tx dbtx) error) func(ctx context.Context, tx *sql.Tx) error {
		return func(ctx context.Context, tx *sql.Tx) error {
			if pg {
				return fn(ctx, &pgQueries{db: tx})
			}
			return fn(ctx, tx)
		}
	}
	return []*goose.Migration{
		goose.NewGoMigration(6, &goose.GoFunc{RunTx: on(renameQuotas(quotaNames))}, &goose.GoFunc{RunTx: on(renameQuotas(invert(quotaNames)))}),
		// Down leaves the names composed: NFC cannot be undone, and the
		// earlier code reads composed names as well as any.
		goose.NewGoMigration(9, &goose.GoFunc{RunTx: on(composeNames)}, nil),
	}
}

// quotaNames are the quota names that say what they ask for, by class and
// former name. The first default panel rules called both the
// basic-research quota (domain experts or strategic scientists) and the
// applied-technology one (domain experts only) "domain", so one label
// could not be right for both. Draw records keep the names they were drawn
// with: they are evidence and never change.
var quotaNames = map[string]map[string]string{
	"basic_research":     {"domain": "domain_or_strategic", "international": "international_peer"},
	"applied_technology": {"domain": "domain_expert", "industry": "investor_or_entrepreneur"},
}

func invert(names map[string]map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for class, m := range names {
		out[class] = map[string]string{}
		for from, to := range m {
			out[class][to] = from
		}
	}
	return out
}

// renameQuotas renames the quotas of every campaign's panel rules (the
// settings column, JSON) as names says, leaving everything else of the
// settings as it was.
func renameQuotas(names map[string]map[string]string) func(ctx context.Context, tx dbtx) error {
	return func(ctx context.Context, tx dbtx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, settings FROM campaigns`)
		if err != nil {
			return err
		}
		changed := map[int64]string{}
		for rows.Next() {
			var id int64
			var settings string
			if err := rows.Scan(&id, &settings); err != nil {
				rows.Close()
				return err
			}
			out, ok, err := renameInSettings(settings, names)
			if err != nil {
				rows.Close()
				return fmt.Errorf("settings of campaign %d: %w", id, err)
			}
			if ok {
				changed[id] = out
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for id, settings := range changed {
			if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET settings = ? WHERE id = ?`, settings, id); err != nil {
				return err
			}
		}
		return nil
	}
}

// renameInSettings renames the quotas in one campaign's settings and
// reports whether any name changed.
func renameInSettings(settings string, names map[string]map[string]string) (string, bool, error) {
	var s map[string]json.RawMessage
	if err := json.Unmarshal([]byte(settings), &s); err != nil {
		return "", false, err
	}
	var panels map[string]map[string]json.RawMessage
	if raw, ok := s["panels"]; !ok || string(raw) == "null" {
		return settings, false, nil
	} else if err := json.Unmarshal(raw, &panels); err != nil {
		return "", false, err
	}
	changed := false
	for class, rules := range panels {
		var quotas []map[string]json.RawMessage
		if raw, ok := rules["quotas"]; !ok || string(raw) == "null" {
			continue
		} else if err := json.Unmarshal(raw, &quotas); err != nil {
			return "", false, err
		}
		for _, q := range quotas {
			var name string
			if err := json.Unmarshal(q["name"], &name); err != nil {
				return "", false, err
			}
			if to, ok := names[class][name]; ok {
				q["name"], _ = json.Marshal(to)
				changed = true
			}
		}
		raw, err := json.Marshal(quotas)
		if err != nil {
			return "", false, err
		}
		rules["quotas"] = raw
	}
	if !changed {
		return settings, false, nil
	}
	raw, err := json.Marshal(panels)
	if err != nil {
		return "", false, err
	}
	s["panels"] = raw
	out, err := json.Marshal(s)
	return string(out), true, err
}

// nameColumns are the stored texts that hold the names of people and
// institutions the conflict rules compare, by table: plain columns, and
// projects' details (JSON: participants, PI, members, avoid list).
var nameColumns = []struct {
	table   string
	columns []string
}{
	{"experts", []string{"name", "institution"}},
	{"expert_conflicts", []string{"person", "institution"}},
	{"expert_collaborations", []string{"person", "institution"}},
	{"projects", []string{"lead_institution", "details"}},
}

// composeNames (migration 9) stores the names of people and institutions
// in NFC, as the domain now stores new ones (evaluation's cleanName), so
// that a name shows and is found one way however it was typed; and keys
// the institution aliases by the normalisation of today's conflict rules
// (assign.NormalizeInstitution, now with NFKC and look-alike letters), so
// that an alias can be looked up and removed by its name. Two aliases that
// now have one key are one alias: the one with the smaller canonical name
// is kept, which is the one the rules already applied; an alias whose name
// now equals its canonical name is dropped, as the rules ignored it. NFC
// of a JSON text is NFC of each of its strings (its syntax is ASCII, which
// nothing composes with). Draw records and the audit log are evidence and
// keep the names they were made with.
func composeNames(ctx context.Context, tx dbtx) error {
	for _, t := range nameColumns {
		changed := map[int64][]any{}
		rows, err := tx.QueryContext(ctx, `SELECT id, `+strings.Join(t.columns, ", ")+` FROM `+t.table)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			vals := make([]string, len(t.columns))
			dest := []any{&id}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
			args, differs := make([]any, len(vals)), false
			for i, v := range vals {
				n := norm.NFC.String(v)
				args[i], differs = n, differs || n != v
			}
			if differs {
				changed[id] = args
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		set := strings.Join(t.columns, " = ?, ") + " = ?"
		for id, args := range changed {
			if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
				return fmt.Errorf("compose the names of %s %d: %w", t.table, id, err)
			}
		}
	}
	return rekeyAliases(ctx, tx)
}

// rekeyAliases normalises the institution aliases' names again (see
// composeNames).
func rekeyAliases(ctx context.Context, tx dbtx) error {
	type alias struct{ alias, canonical, createdAt string }
	rows, err := tx.QueryContext(ctx, `SELECT alias, canonical, created_at FROM institution_aliases ORDER BY alias`)
	if err != nil {
		return err
	}
	var old []alias
	for rows.Next() {
		var a alias
		if err := rows.Scan(&a.alias, &a.canonical, &a.createdAt); err != nil {
			rows.Close()
			return err
		}
		old = append(old, a)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	keep := map[string]alias{}
	for _, a := range old {
		n := alias{assign.NormalizeInstitution(a.alias), assign.NormalizeInstitution(a.canonical), a.createdAt}
		if n.alias == "" || n.canonical == "" || n.alias == n.canonical {
			continue
		}
		if k, ok := keep[n.alias]; ok && k.canonical <= n.canonical {
			continue
		}
		keep[n.alias] = n
	}
	unchanged := 0
	for _, a := range old {
		if k, ok := keep[a.alias]; ok && k == a {
			unchanged++
		}
	}
	if unchanged == len(old) && len(keep) == len(old) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM institution_aliases`); err != nil {
		return err
	}
	for _, a := range keep {
		if _, err := tx.ExecContext(ctx, `INSERT INTO institution_aliases (alias, canonical, created_at) VALUES (?, ?, ?)`,
			a.alias, a.canonical, a.createdAt); err != nil {
			return fmt.Errorf("alias %s: %w", a.alias, err)
		}
	}
	return nil
}

// GoMigrationVersions lists the versions of the Go migrations, for tools
// and tests that count migrations from the files.
func GoMigrationVersions() []int64 {
	ms := goMigrations(false)
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.Version
	}
	return out
}

package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/pressly/goose/v3"
)

// goMigrations are the migrations that rewrite data in ways plain SQL
// cannot say portably (JSON kept in a column). They are numbered in one
// sequence with the SQL files of migrations/.
var goMigrations = []*goose.Migration{
	goose.NewGoMigration(6, &goose.GoFunc{RunTx: renameQuotas(quotaNames)}, &goose.GoFunc{RunTx: renameQuotas(invert(quotaNames))}),
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
func renameQuotas(names map[string]map[string]string) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
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

// GoMigrationVersions lists the versions of the Go migrations, for tools
// and tests that count migrations from the files.
func GoMigrationVersions() []int64 {
	out := make([]int64, len(goMigrations))
	for i, m := range goMigrations {
		out[i] = m.Version
	}
	return out
}

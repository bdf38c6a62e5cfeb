package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

// likeEscaper escapes the wildcards of LIKE (with ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Declared conflicts, with the project's code and agency and the recorder's
// username.
const expertConflictSelect = `SELECT c.id, c.expert_id, COALESCE(c.project_id, 0), COALESCE(p.code, ''),
	COALESCE(p.agency_id, 0), c.person, c.institution, c.year, c.note, c.created_by, COALESCE(u.username, ''), c.created_at
	FROM expert_conflicts c
	LEFT JOIN projects p ON p.id = c.project_id
	LEFT JOIN users u ON u.id = c.created_by`

func scanExpertConflict(row scanner) (*evaluation.ExpertConflict, error) {
	c := &evaluation.ExpertConflict{}
	err := row.Scan(&c.ID, &c.ExpertID, &c.ProjectID, &c.ProjectCode, &c.ProjectAgencyID, &c.Person, &c.Institution,
		&c.Year, &c.Note, &c.CreatedBy, &c.CreatedByName, timeScan{&c.CreatedAt})
	return c, err
}

func (q queries) ExpertConflicts(ctx context.Context, expertID int64) ([]*evaluation.ExpertConflict, error) {
	// +?: see the package doc.
	return queryList(ctx, q.db, "list declared conflicts", scanExpertConflict,
		expertConflictSelect+` WHERE c.expert_id = +? ORDER BY c.year DESC, c.id DESC`, expertID)
}

func (q queries) ExpertConflict(ctx context.Context, expertID, id int64) (*evaluation.ExpertConflict, error) {
	c, err := scanExpertConflict(q.db.QueryRowContext(ctx, expertConflictSelect+` WHERE c.id = ? AND c.expert_id = ?`, id, expertID))
	if err != nil {
		return nil, fmt.Errorf("load declared conflict %d of expert %d: %w", id, expertID, mapError(err, ""))
	}
	return c, nil
}

func (t *tx) CreateExpertConflict(ctx context.Context, c *evaluation.ExpertConflict) error {
	id, err := insertID(ctx, t.db, `INSERT INTO expert_conflicts (expert_id, project_id, person, institution, year, note,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ExpertID, nullID(c.ProjectID), c.Person, c.Institution, c.Year, c.Note, c.CreatedBy, formatTime(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("declare conflict of expert %d: %w", c.ExpertID, mapError(err, ""))
	}
	c.ID = id
	return nil
}

func (t *tx) DeleteExpertConflict(ctx context.Context, expertID, id int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM expert_conflicts WHERE id = ? AND expert_id = ?`, id, expertID)
	if err != nil {
		return fmt.Errorf("delete declared conflict %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "delete declared conflict", id)
}

const expertCollaborationSelect = `SELECT c.id, c.expert_id, c.kind, c.person, c.institution, c.year, c.note, c.created_by,
	COALESCE(u.username, ''), c.created_at
	FROM expert_collaborations c
	LEFT JOIN users u ON u.id = c.created_by`

func scanExpertCollaboration(row scanner) (*evaluation.ExpertCollaboration, error) {
	c := &evaluation.ExpertCollaboration{}
	err := row.Scan(&c.ID, &c.ExpertID, &c.Kind, &c.Person, &c.Institution, &c.Year, &c.Note, &c.CreatedBy, &c.CreatedByName,
		timeScan{&c.CreatedAt})
	return c, err
}

func (q queries) ExpertCollaborations(ctx context.Context, expertID int64) ([]*evaluation.ExpertCollaboration, error) {
	// +?: see the package doc.
	return queryList(ctx, q.db, "list collaborations", scanExpertCollaboration,
		expertCollaborationSelect+` WHERE c.expert_id = +? ORDER BY c.year DESC, c.id DESC`, expertID)
}

func (q queries) ExpertCollaboration(ctx context.Context, expertID, id int64) (*evaluation.ExpertCollaboration, error) {
	c, err := scanExpertCollaboration(q.db.QueryRowContext(ctx, expertCollaborationSelect+` WHERE c.id = ? AND c.expert_id = ?`,
		id, expertID))
	if err != nil {
		return nil, fmt.Errorf("load collaboration %d of expert %d: %w", id, expertID, mapError(err, ""))
	}
	return c, nil
}

func (t *tx) CreateExpertCollaboration(ctx context.Context, c *evaluation.ExpertCollaboration) error {
	id, err := insertID(ctx, t.db, `INSERT INTO expert_collaborations (expert_id, kind, person, institution, year, note,
		created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ExpertID, c.Kind, c.Person, c.Institution, c.Year, c.Note, c.CreatedBy, formatTime(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("record collaboration of expert %d: %w", c.ExpertID, mapError(err, ""))
	}
	c.ID = id
	return nil
}

func (t *tx) DeleteExpertCollaboration(ctx context.Context, expertID, id int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM expert_collaborations WHERE id = ? AND expert_id = ?`, id, expertID)
	if err != nil {
		return fmt.Errorf("delete collaboration %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "delete collaboration", id)
}

func scanInstitutionAlias(row scanner) (*evaluation.InstitutionAlias, error) {
	a := &evaluation.InstitutionAlias{}
	err := row.Scan(&a.Alias, &a.Canonical, timeScan{&a.CreatedAt})
	return a, err
}

func (q queries) InstitutionAliases(ctx context.Context) ([]*evaluation.InstitutionAlias, error) {
	return queryList(ctx, q.db, "list institution aliases", scanInstitutionAlias,
		`SELECT alias, canonical, created_at FROM institution_aliases ORDER BY alias`)
}

func (q queries) InstitutionAlias(ctx context.Context, alias string) (*evaluation.InstitutionAlias, error) {
	a, err := scanInstitutionAlias(q.db.QueryRowContext(ctx,
		`SELECT alias, canonical, created_at FROM institution_aliases WHERE alias = ?`, alias))
	if err != nil {
		return nil, fmt.Errorf("load institution alias %q: %w", alias, mapError(err, ""))
	}
	return a, nil
}

func (t *tx) CreateInstitutionAlias(ctx context.Context, a *evaluation.InstitutionAlias) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO institution_aliases (alias, canonical, created_at) VALUES (?, ?, ?)`,
		a.Alias, a.Canonical, formatTime(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("add institution alias %q: %w", a.Alias, mapError(err, "alias"))
	}
	return nil
}

func (t *tx) DeleteInstitutionAlias(ctx context.Context, alias string) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM institution_aliases WHERE alias = ?`, alias)
	if err != nil {
		return fmt.Errorf("delete institution alias %q: %w", alias, mapError(err, ""))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("delete institution alias %q: %w", alias, err)
	}
	if n == 0 {
		return fmt.Errorf("delete institution alias %q: %w", alias, evaluation.ErrNotFound)
	}
	return nil
}

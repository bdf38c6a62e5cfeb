package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

const methodColumns = `r.id, r.project_id, r.kind, r.content, r.recorded_by, COALESCE(u.username, ''), r.recorded_at`

const methodFrom = ` FROM method_records r LEFT JOIN users u ON u.id = r.recorded_by`

// scanMethodRecord decodes the content JSON into the part the kind names.
func scanMethodRecord(row scanner) (*evaluation.MethodRecord, error) {
	r := &evaluation.MethodRecord{}
	var content string
	if err := row.Scan(&r.ID, &r.ProjectID, &r.Kind, &content, &r.RecordedBy, &r.RecordedByName, timeScan{&r.RecordedAt}); err != nil {
		return nil, err
	}
	var target any
	switch r.Kind {
	case evaluation.RecordInspection:
		r.Inspection = &evaluation.InspectionRecord{}
		target = r.Inspection
	case evaluation.RecordTest:
		r.Test = &evaluation.TestRecord{}
		target = r.Test
	case evaluation.RecordDemonstration:
		r.Demonstration = &evaluation.DemonstrationRecord{}
		target = r.Demonstration
	default:
		return nil, fmt.Errorf("method record %d has kind %q", r.ID, r.Kind)
	}
	if err := json.Unmarshal([]byte(content), target); err != nil {
		return nil, fmt.Errorf("decode method record %d: %w", r.ID, err)
	}
	return r, nil
}

func (q queries) MethodRecord(ctx context.Context, projectID, id int64) (*evaluation.MethodRecord, error) {
	r, err := scanMethodRecord(q.db.QueryRowContext(ctx, `SELECT `+methodColumns+methodFrom+` WHERE r.project_id = ? AND r.id = ?`,
		projectID, id))
	if err != nil {
		return nil, fmt.Errorf("load method record %d: %w", id, mapError(err, ""))
	}
	return r, nil
}

func (q queries) MethodRecords(ctx context.Context, projectID int64) ([]*evaluation.MethodRecord, error) {
	return queryList(ctx, q.db, "list method records", scanMethodRecord,
		`SELECT `+methodColumns+methodFrom+` WHERE r.project_id = ? ORDER BY r.id`, projectID)
}

func (t *tx) CreateMethodRecord(ctx context.Context, r *evaluation.MethodRecord) error {
	var content any
	var indicator sql.NullInt64
	switch r.Kind {
	case evaluation.RecordInspection:
		content = r.Inspection
	case evaluation.RecordTest:
		content = r.Test
		if r.Test != nil {
			indicator = sql.NullInt64{Int64: r.Test.IndicatorID, Valid: true}
		}
	case evaluation.RecordDemonstration:
		content = r.Demonstration
	}
	b, err := json.Marshal(content)
	if err != nil {
		return fmt.Errorf("encode %s record of project %d: %w", r.Kind, r.ProjectID, err)
	}
	if string(b) == "null" {
		return fmt.Errorf("create %s record of project %d: no content for the kind: %w", r.Kind, r.ProjectID,
			evaluation.Errorf(evaluation.Invalid, "error.invalid_input"))
	}
	id, err := insertID(ctx, t.db, `INSERT INTO method_records (project_id, kind, indicator_id, content, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ProjectID, r.Kind, indicator, string(b), r.RecordedBy, formatTime(r.RecordedAt))
	if err != nil {
		return fmt.Errorf("create %s record of project %d: %w", r.Kind, r.ProjectID, mapError(err, ""))
	}
	r.ID = id
	return nil
}

func (t *tx) DeleteMethodRecord(ctx context.Context, projectID, id int64) error {
	res, err := t.db.ExecContext(ctx, `DELETE FROM method_records WHERE project_id = ? AND id = ?`, projectID, id)
	if err != nil {
		return fmt.Errorf("delete method record %d: %w", id, mapError(err, ""))
	}
	return mustAffect(res, "delete method record", id)
}

package evaluation

import (
	"context"
	"slices"
)

// MethodRecords lists a project's method records, oldest first.
func (s *MaterialService) MethodRecords(ctx context.Context, actor Actor, projectID int64) ([]*MethodRecord, error) {
	if _, err := s.projectAccess(ctx, s.store, actor, projectID); err != nil {
		return nil, err
	}
	return s.store.MethodRecords(ctx, projectID)
}

// methodWork loads a project for a change to its method records: agency
// staff of its agency, while the campaign allows it, for a method the
// project has.
func (s *MaterialService) methodWork(ctx context.Context, tx materialTx, actor Actor, projectID int64, kind RecordKind) (*projectAccess, error) {
	acc, err := s.projectAccess(ctx, tx, actor, projectID)
	if err != nil {
		return nil, err
	}
	if !acc.write {
		return nil, ErrForbidden
	}
	if !MethodRecordsOpen(acc.campaign) {
		return nil, Errorf(Conflict, "error.methods_locked")
	}
	if !slices.Contains(acc.project.Methods, kind.Method()) {
		return nil, Errorf(Conflict, "error.method_not_chosen")
	}
	return acc, nil
}

// addRecord stores a record and its audit entry.
func (s *MaterialService) addRecord(ctx context.Context, tx materialTx, actor Actor, acc *projectAccess, action string, r *MethodRecord,
	details map[string]any) error {
	r.ProjectID, r.RecordedBy, r.RecordedAt = acc.project.ID, actor.UserID, s.now()
	if err := tx.CreateMethodRecord(ctx, r); err != nil {
		return err
	}
	details["project"] = acc.project.ID
	details["record"] = r.ID
	return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "project",
		ObjectID: idString(acc.project.ID), AgencyID: acc.project.AgencyID, Details: details})
}

// RecordInspection adds an on-site inspection record to a project that has
// the inspection method.
func (s *MaterialService) RecordInspection(ctx context.Context, actor Actor, projectID int64, in InspectionRecord) (*MethodRecord, error) {
	in.normalize()
	var r *MethodRecord
	err := s.inTx(ctx, func(tx materialTx) error {
		acc, err := s.methodWork(ctx, tx, actor, projectID, RecordInspection)
		if err != nil {
			return err
		}
		if err := in.validate(s.now()); err != nil {
			return err
		}
		r = &MethodRecord{Kind: RecordInspection, Inspection: &in}
		return s.addRecord(ctx, tx, actor, acc, "project.record_inspection", r, map[string]any{"date": in.Date, "place": in.Place})
	})
	if err != nil {
		return nil, err
	}
	return s.store.MethodRecord(ctx, projectID, r.ID)
}

// RecordTest adds the on-site test result of one of the project's contract
// indicators and sets the indicator's status from it (TestStatus); the
// newest test of an indicator decides its status.
func (s *MaterialService) RecordTest(ctx context.Context, actor Actor, projectID int64, in TestRecord) (*MethodRecord, error) {
	in.normalize()
	var r *MethodRecord
	err := s.inTx(ctx, func(tx materialTx) error {
		acc, err := s.methodWork(ctx, tx, actor, projectID, RecordTest)
		if err != nil {
			return err
		}
		var ind *Indicator
		for i := range acc.project.Indicators {
			if acc.project.Indicators[i].ID == in.IndicatorID && in.IndicatorID != 0 {
				ind = &acc.project.Indicators[i]
			}
		}
		if err := in.validate(ind, s.now()); err != nil {
			return err
		}
		in.Status = TestStatus(ind, &in)
		r = &MethodRecord{Kind: RecordTest, Test: &in}
		before := ind.Status
		ind.Status, ind.StatusFrom = in.Status, "test"
		if err := tx.UpdateIndicator(ctx, projectID, ind); err != nil {
			return err
		}
		return s.addRecord(ctx, tx, actor, acc, "project.record_test", r, map[string]any{"indicator": ind.ID, "passed": in.Passed,
			"measured": in.Measured, "status": in.Status, "status_before": before})
	})
	if err != nil {
		return nil, err
	}
	return s.store.MethodRecord(ctx, projectID, r.ID)
}

// RecordDemonstration adds a functional demonstration checklist to a
// project that has the demonstration method.
func (s *MaterialService) RecordDemonstration(ctx context.Context, actor Actor, projectID int64, in DemonstrationRecord) (*MethodRecord, error) {
	in.normalize()
	var r *MethodRecord
	err := s.inTx(ctx, func(tx materialTx) error {
		acc, err := s.methodWork(ctx, tx, actor, projectID, RecordDemonstration)
		if err != nil {
			return err
		}
		if err := in.validate(s.now()); err != nil {
			return err
		}
		r = &MethodRecord{Kind: RecordDemonstration, Demonstration: &in}
		shown := 0
		for _, it := range in.Items {
			if it.Shown {
				shown++
			}
		}
		return s.addRecord(ctx, tx, actor, acc, "project.record_demonstration", r,
			map[string]any{"date": in.Date, "items": len(in.Items), "shown": shown})
	})
	if err != nil {
		return nil, err
	}
	return s.store.MethodRecord(ctx, projectID, r.ID)
}

// DeleteMethodRecord removes a method record. Removing a test gives its
// indicator the status of the newest test left, or, with none left, the
// status computed from the project's own figures (unknown for a text
// target, until staff set it).
func (s *MaterialService) DeleteMethodRecord(ctx context.Context, actor Actor, projectID, recordID int64) error {
	return s.inTx(ctx, func(tx materialTx) error {
		r, err := tx.MethodRecord(ctx, projectID, recordID)
		if err != nil {
			return err
		}
		acc, err := s.projectAccess(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if !acc.write {
			return ErrForbidden
		}
		if !MethodRecordsOpen(acc.campaign) {
			return Errorf(Conflict, "error.methods_locked")
		}
		if err := tx.DeleteMethodRecord(ctx, projectID, recordID); err != nil {
			return err
		}
		details := map[string]any{"project": projectID, "record": recordID, "kind": r.Kind}
		if r.Kind == RecordTest && r.Test != nil {
			status, err := s.retest(ctx, tx, acc.project, r.Test.IndicatorID)
			if err != nil {
				return err
			}
			details["indicator"], details["status"] = r.Test.IndicatorID, status
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.delete_record", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: acc.project.AgencyID, Details: details})
	})
}

// retest sets an indicator's status from its newest remaining test, or
// from its own figures when no test is left, and returns the status.
func (s *MaterialService) retest(ctx context.Context, tx materialTx, p *Project, indicatorID int64) (IndicatorStatus, error) {
	var ind *Indicator
	for i := range p.Indicators {
		if p.Indicators[i].ID == indicatorID {
			ind = &p.Indicators[i]
		}
	}
	if ind == nil {
		return "", nil // the indicator went with the project's last edit
	}
	records, err := tx.MethodRecords(ctx, p.ID)
	if err != nil {
		return "", err
	}
	var last *TestRecord
	for _, r := range records {
		if r.Kind == RecordTest && r.Test != nil && r.Test.IndicatorID == indicatorID {
			last = r.Test
		}
	}
	if last != nil {
		ind.Status, ind.StatusFrom = last.Status, "test"
	} else {
		ind.Status, ind.StatusFrom = "", ""
		ind.normalize()
	}
	return ind.Status, tx.UpdateIndicator(ctx, p.ID, ind)
}

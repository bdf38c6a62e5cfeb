package evaluation

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// RecordKind is the kind of a method record: what was done on site.
type RecordKind string

// The kinds of method record of DESIGN.md §2 step 3, each belonging to
// one evaluation method.
const (
	RecordInspection    RecordKind = "inspection"    // 实地考察记录
	RecordTest          RecordKind = "test"          // 现场测试结果
	RecordDemonstration RecordKind = "demonstration" // 功能演示清单
)

// Method is the evaluation method a record belongs to: a project has
// records only of the methods it was given.
func (k RecordKind) Method() Method {
	switch k {
	case RecordInspection:
		return Inspection
	case RecordTest:
		return Testing
	case RecordDemonstration:
		return Demonstration
	}
	return ""
}

// MethodRecord is the record of an evaluation method applied to a project
// (评价方式记录): exactly one of Inspection, Test and Demonstration is set,
// as Kind says.
type MethodRecord struct {
	ID            int64                `json:"id"`
	ProjectID     int64                `json:"project_id"`
	Kind          RecordKind           `json:"kind"`
	Inspection    *InspectionRecord    `json:"inspection,omitempty"`
	Test          *TestRecord          `json:"test,omitempty"`
	Demonstration *DemonstrationRecord `json:"demonstration,omitempty"`
	RecordedBy    int64                `json:"recorded_by"`
	// RecordedByName is the recorder's username, for showing.
	RecordedByName string    `json:"recorded_by_name,omitempty"`
	RecordedAt     time.Time `json:"recorded_at"`
}

// InspectionRecord is an on-site inspection (实地考察): when and where, who
// took part, what was found.
type InspectionRecord struct {
	Date         string   `json:"date"` // YYYY-MM-DD
	Place        string   `json:"place"`
	Participants []string `json:"participants"`
	Findings     string   `json:"findings"`
}

// TestRecord is the on-site test (现场测试) of one contract indicator: the
// value measured, the testers' verdict, who tested and when.
type TestRecord struct {
	IndicatorID int64  `json:"indicator_id"`
	Measured    Actual `json:"measured"`
	Passed      bool   `json:"passed"`
	Tester      string `json:"tester"`
	Date        string `json:"date"` // YYYY-MM-DD
	Note        string `json:"note,omitempty"`
	// Status is the indicator status the test gave (TestStatus).
	Status IndicatorStatus `json:"status"`
}

// DemonstrationRecord is a functional demonstration (功能演示): the
// checklist of functions and whether each was shown.
type DemonstrationRecord struct {
	Date  string     `json:"date"` // YYYY-MM-DD
	Items []DemoItem `json:"items"`
	Note  string     `json:"note,omitempty"`
}

// DemoItem is one function on a demonstration checklist.
type DemoItem struct {
	Name  string `json:"name"`
	Shown bool   `json:"shown"`
}

// MethodRecordsOpen reports whether method records of the campaign's
// projects can be added or removed: from set-up through scoring, since
// on-site work happens while the panel evaluates.
func MethodRecordsOpen(c *Campaign) bool { return MaterialsOpen(c) }

// TestStatus is the status an on-site test gives its indicator. The
// testers' verdict decides between met and not met: a passed test means
// met. A failed test of a numeric target whose measured value comes within
// the partly band (PartlyShare) means partly met, otherwise not met. A
// test cannot pass with a measured number that misses a numeric target:
// that is refused as a contradiction (TestRecord.validate), so the status
// never disagrees with the numbers shown beside it.
func TestStatus(in *Indicator, t *TestRecord) IndicatorStatus {
	if t.Passed {
		return StatusMet
	}
	if in.Target.Value != nil && t.Measured.Value != nil {
		probe := Indicator{Target: in.Target, Actual: Actual{Value: t.Measured.Value}}
		if s, ok := probe.ComputeStatus(); ok && s == StatusPartly {
			return StatusPartly
		}
	}
	return StatusNotMet
}

func validateDate(f FieldErrors, field, s string, now time.Time) {
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case s == "":
		f.Add(field, "error.required")
	case err != nil:
		f.Add(field, "error.date_format")
	case d.After(now.Add(24 * time.Hour)):
		// A record is of something that happened; a day of slack covers
		// time zones.
		f.Add(field, "error.record_date_future")
	case d.Year() < 2000:
		f.Add(field, "error.date_format")
	}
}

func validateText(f FieldErrors, field, s string, required bool, max int) {
	switch {
	case required && s == "":
		f.Add(field, "error.required")
	case utf8.RuneCountInString(s) > max:
		f.Add(field, "error.too_long")
	}
}

func (r *InspectionRecord) normalize() {
	r.Date, r.Place, r.Findings = strings.TrimSpace(r.Date), strings.TrimSpace(r.Place), strings.TrimSpace(r.Findings)
	r.Participants = trimAll(r.Participants)
}

func (r *InspectionRecord) validate(now time.Time) error {
	f := FieldErrors{}
	validateDate(f, "date", r.Date, now)
	validateText(f, "place", r.Place, true, 200)
	if len(r.Participants) == 0 {
		f.Add("participants", "error.required")
	}
	if len(r.Participants) > 50 {
		f.Add("participants", "error.too_many")
	}
	for i, p := range r.Participants {
		validateText(f, fmt.Sprintf("participants.%d", i), p, true, 64)
	}
	validateText(f, "findings", r.Findings, true, 10000)
	return f.Err()
}

func (r *TestRecord) normalize() {
	r.Measured.Text, r.Tester, r.Date, r.Note = strings.TrimSpace(r.Measured.Text), strings.TrimSpace(r.Tester),
		strings.TrimSpace(r.Date), strings.TrimSpace(r.Note)
}

// validate checks a test against its indicator (nil when the project has
// no indicator with the id).
func (r *TestRecord) validate(in *Indicator, now time.Time) error {
	f := FieldErrors{}
	if in == nil {
		f.Add("indicator_id", "error.test_indicator_unknown")
	}
	switch {
	case r.Measured.Value == nil && r.Measured.Text == "":
		f.Add("measured", "error.measured_required")
	case r.Measured.Value != nil && !finite(*r.Measured.Value):
		f.Add("measured.value", "error.not_finite")
	}
	validateText(f, "measured.text", r.Measured.Text, false, 2000)
	validateText(f, "tester", r.Tester, true, 64)
	validateDate(f, "date", r.Date, now)
	validateText(f, "note", r.Note, false, 2000)
	if in != nil && r.Passed && in.Target.Value != nil && r.Measured.Value != nil && finite(*r.Measured.Value) {
		probe := Indicator{Target: in.Target, Actual: Actual{Value: r.Measured.Value}}
		if s, _ := probe.ComputeStatus(); s != StatusMet {
			f.Add("passed", "error.test_contradicts_target")
		}
	}
	return f.Err()
}

func (r *DemonstrationRecord) normalize() {
	r.Date, r.Note = strings.TrimSpace(r.Date), strings.TrimSpace(r.Note)
	items := r.Items[:0]
	for _, it := range r.Items {
		it.Name = strings.TrimSpace(it.Name)
		if it.Name != "" {
			items = append(items, it)
		}
	}
	r.Items = items
}

func (r *DemonstrationRecord) validate(now time.Time) error {
	f := FieldErrors{}
	validateDate(f, "date", r.Date, now)
	if len(r.Items) == 0 {
		f.Add("items", "error.demo_items_required")
	}
	if len(r.Items) > 50 {
		f.Add("items", "error.too_many")
	}
	for i, it := range r.Items {
		validateText(f, fmt.Sprintf("items.%d.name", i), it.Name, true, 200)
	}
	validateText(f, "note", r.Note, false, 2000)
	return f.Err()
}

// MethodRecords lists a project's method records, oldest first.
func (s *Service) MethodRecords(ctx context.Context, actor Actor, projectID int64) ([]*MethodRecord, error) {
	if _, err := s.projectAccess(ctx, s.store, actor, projectID); err != nil {
		return nil, err
	}
	return s.store.MethodRecords(ctx, projectID)
}

// methodWork loads a project for a change to its method records: agency
// staff of its agency, while the campaign allows it, for a method the
// project has.
func (s *Service) methodWork(ctx context.Context, tx Tx, actor Actor, projectID int64, kind RecordKind) (*projectAccess, error) {
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
	for _, m := range acc.project.Methods {
		if m == kind.Method() {
			return acc, nil
		}
	}
	return nil, Errorf(Conflict, "error.method_not_chosen")
}

// addRecord stores a record and its audit entry.
func (s *Service) addRecord(ctx context.Context, tx Tx, actor Actor, acc *projectAccess, action string, r *MethodRecord,
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
func (s *Service) RecordInspection(ctx context.Context, actor Actor, projectID int64, in InspectionRecord) (*MethodRecord, error) {
	in.normalize()
	var r *MethodRecord
	err := s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) RecordTest(ctx context.Context, actor Actor, projectID int64, in TestRecord) (*MethodRecord, error) {
	in.normalize()
	var r *MethodRecord
	err := s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) RecordDemonstration(ctx context.Context, actor Actor, projectID int64, in DemonstrationRecord) (*MethodRecord, error) {
	in.normalize()
	var r *MethodRecord
	err := s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) DeleteMethodRecord(ctx context.Context, actor Actor, projectID, recordID int64) error {
	return s.store.InTx(ctx, func(tx Tx) error {
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
func (s *Service) retest(ctx context.Context, tx Tx, p *Project, indicatorID int64) (IndicatorStatus, error) {
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

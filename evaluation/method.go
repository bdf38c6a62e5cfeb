package evaluation

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// RecordKind is the kind of a method record: what was done on site.
type RecordKind string

// The kinds of method record (evaluation/README.md §2.3), each belonging
// to one evaluation method.
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
	r.Participants = cleanList(r.Participants)
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

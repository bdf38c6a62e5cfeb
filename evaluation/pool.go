package evaluation

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// The expert pool's relationship records: conflicts of interest an expert
// declared in advance (回避申明) and collaborations (合作关系), which the
// conflict rules of evaluation/assign read, and the institution alias
// table the rules use to compare institution names.

// MinRecordYear is the earliest year a relationship record may carry.
const MinRecordYear = 1950

// ExpertConflict is a conflict of interest declared for an expert: with one
// project, a person or an institution, in a year. The expert declares it
// (they know their relationships best), or a pool manager records it.
type ExpertConflict struct {
	ID        int64 `json:"id"`
	ExpertID  int64 `json:"expert_id"`
	ProjectID int64 `json:"project_id,omitempty"`
	// ProjectCode is the project's code, shown only to those who may see
	// the project's agency.
	ProjectCode string `json:"project_code,omitempty"`
	// ProjectAgencyID is the agency of the project, for that decision.
	ProjectAgencyID int64     `json:"-"`
	Person          string    `json:"person,omitempty"`
	Institution     string    `json:"institution,omitempty"`
	Year            int       `json:"year"`
	Note            string    `json:"note,omitempty"`
	CreatedBy       int64     `json:"created_by"`
	CreatedByName   string    `json:"created_by_name,omitempty"` // the username
	CreatedAt       time.Time `json:"created_at"`
}

// normalize trims the texts and puts the names in NFC (cleanName).
func (c *ExpertConflict) normalize() {
	c.Person = cleanName(c.Person)
	c.Institution = cleanName(c.Institution)
	c.Note = strings.TrimSpace(c.Note)
}

// Validate checks a normalised record; thisYear bounds its year.
func (c *ExpertConflict) Validate(thisYear int) error {
	f := FieldErrors{}
	if c.ProjectID < 0 {
		f.Add("project_id", "error.project_unknown")
	}
	if c.ProjectID == 0 && c.Person == "" && c.Institution == "" {
		f.Add("person", "error.conflict_target_required")
	}
	validateRecord(f, c.Person, c.Institution, c.Note, c.Year, thisYear)
	return f.Err()
}

// CollaborationKind is what an expert did together with a person or an
// institution.
type CollaborationKind string

// The collaboration kinds (evaluation/README.md §2.4).
const (
	JointProject CollaborationKind = "joint_project" // 合作项目
	JointPaper   CollaborationKind = "joint_paper"   // 合作论文
	JointPatent  CollaborationKind = "joint_patent"  // 合作专利
	JointAward   CollaborationKind = "joint_award"   // 共同获奖
)

// CollaborationKinds lists every kind in display order.
var CollaborationKinds = []CollaborationKind{JointProject, JointPaper, JointPatent, JointAward}

// Valid reports whether k is one of CollaborationKinds.
func (k CollaborationKind) Valid() bool {
	return slices.Contains(CollaborationKinds, k)
}

// ExpertCollaboration is a record of an expert's joint project, paper,
// patent or award with a person or an institution, in a year. Pool managers
// keep these records.
type ExpertCollaboration struct {
	ID            int64             `json:"id"`
	ExpertID      int64             `json:"expert_id"`
	Kind          CollaborationKind `json:"kind"`
	Person        string            `json:"person,omitempty"`
	Institution   string            `json:"institution,omitempty"`
	Year          int               `json:"year"`
	Note          string            `json:"note,omitempty"`
	CreatedBy     int64             `json:"created_by"`
	CreatedByName string            `json:"created_by_name,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
}

// normalize trims the texts and puts the names in NFC (cleanName).
func (c *ExpertCollaboration) normalize() {
	c.Person = cleanName(c.Person)
	c.Institution = cleanName(c.Institution)
	c.Note = strings.TrimSpace(c.Note)
}

// Validate checks a normalised record; thisYear bounds its year.
func (c *ExpertCollaboration) Validate(thisYear int) error {
	f := FieldErrors{}
	if !c.Kind.Valid() {
		f.Add("kind", "error.collaboration_kind_invalid")
	}
	if c.Person == "" && c.Institution == "" {
		f.Add("person", "error.collaboration_target_required")
	}
	validateRecord(f, c.Person, c.Institution, c.Note, c.Year, thisYear)
	return f.Err()
}

func validateRecord(f FieldErrors, person, institution, note string, year, thisYear int) {
	if utf8.RuneCountInString(person) > 64 {
		f.Add("person", "error.too_long")
	}
	if utf8.RuneCountInString(institution) > 128 {
		f.Add("institution", "error.too_long")
	}
	if utf8.RuneCountInString(note) > MaxReasonLength {
		f.Add("note", "error.too_long")
	}
	if year < MinRecordYear || year > thisYear+1 {
		f.Add("year", "error.record_year_range")
	}
}

// CanDeclareConflicts reports whether the actor may add declared conflicts
// to the expert's profile: pool managers, and the expert themself.
func CanDeclareConflicts(a Actor, expertID int64) bool {
	return CanManagePool(a) || (a.Role == RoleExpert && a.ExpertID != 0 && a.ExpertID == expertID)
}

// CanRemoveConflict reports whether the actor may remove the declared
// conflict: pool managers may remove any; an expert only one they declared
// themself, never a record a manager entered about them, since that would
// let them lift a conflict of interest on their own.
func CanRemoveConflict(a Actor, c *ExpertConflict) bool {
	if CanManagePool(a) {
		return true
	}
	return CanDeclareConflicts(a, c.ExpertID) && a.UserID != 0 && c.CreatedBy == a.UserID
}

// hideProjectCode blanks the project's code for those who may not see the
// project's agency: another agency's staff, and experts (who reach the
// projects of their panels through their invitations; a code here would
// let them learn projects by trying ids).
func hideProjectCode(actor Actor, c *ExpertConflict) {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
	case RoleAgencyStaff:
		if c.ProjectAgencyID != actor.AgencyID {
			c.ProjectCode = ""
		}
	default:
		c.ProjectCode = ""
	}
}

func addRecordDetails(d map[string]any, person, institution, note string) {
	if person != "" {
		d["person"] = person
	}
	if institution != "" {
		d["institution"] = institution
	}
	if note != "" {
		d["note"] = note
	}
}

// InstitutionAlias says that an institution also goes by another name
// ("上海交大" for "上海交通大学"), so that the conflict rules treat the two as
// one. Both names are stored normalised (assign.NormalizeInstitution).
type InstitutionAlias struct {
	Alias     string    `json:"alias"`
	Canonical string    `json:"canonical"`
	CreatedAt time.Time `json:"created_at"`
}

// normalizeInstitutionField checks an institution name as entered and
// returns it normalised; a name that normalises to nothing (only spaces and
// punctuation) is refused.
func normalizeInstitutionField(f FieldErrors, field, name string) string {
	name = strings.TrimSpace(name)
	validateLongName(f, field, name)
	n := assign.NormalizeInstitution(name)
	if name != "" && n == "" {
		f.Add(field, "error.institution_blank")
	}
	return n
}

// CanManagePool reports whether the actor maintains the expert pool
// (专家库): administrators and the commission create and edit profiles,
// the can-be-drawn flag and the relationship records.
func CanManagePool(a Actor) bool { return a.Role == RoleAdmin || a.Role == RoleCommission }

// canSeeExpert: pool managers and agency staff (who form panels from the
// pool) see every profile; an expert sees only their own.
func canSeeExpert(a Actor, id int64) bool {
	switch a.Role {
	case RoleAdmin, RoleCommission, RoleAgencyStaff:
		return true
	case RoleExpert:
		return a.ExpertID != 0 && a.ExpertID == id
	}
	return false
}

// loadExpert loads a profile the actor may see; any other is not found.
func loadExpert(ctx context.Context, r expertGetter, actor Actor, id int64) (*Expert, error) {
	if !canSeeExpert(actor, id) {
		return nil, ErrNotFound
	}
	return r.Expert(ctx, id)
}

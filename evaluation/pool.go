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

// normalize trims the texts.
func (c *ExpertConflict) normalize() {
	c.Person = strings.TrimSpace(c.Person)
	c.Institution = strings.TrimSpace(c.Institution)
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

// The collaboration kinds of DESIGN.md §2 step 4.
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

func (c *ExpertCollaboration) normalize() {
	c.Person = strings.TrimSpace(c.Person)
	c.Institution = strings.TrimSpace(c.Institution)
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

// ExpertConflicts lists the conflicts declared for an expert the actor may
// see, newest year first.
func (s *Service) ExpertConflicts(ctx context.Context, actor Actor, expertID int64) ([]*ExpertConflict, error) {
	if _, err := loadExpert(ctx, s.store, actor, expertID); err != nil {
		return nil, err
	}
	list, err := s.store.ExpertConflicts(ctx, expertID)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		hideProjectCode(actor, c)
	}
	return list, nil
}

// AddExpertConflict records a declared conflict for the expert. Pool
// managers record them for anyone; an expert declares their own.
func (s *Service) AddExpertConflict(ctx context.Context, actor Actor, expertID int64, c *ExpertConflict) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanDeclareConflicts(actor, expertID) {
			return ErrForbidden
		}
		c.normalize()
		if err := c.Validate(s.ThisYear()); err != nil {
			return err
		}
		c.ID, c.ExpertID, c.CreatedBy, c.CreatedByName, c.CreatedAt = 0, expertID, actor.UserID, actor.Username, s.now()
		if c.ProjectID != 0 {
			p, err := tx.Project(ctx, c.ProjectID)
			if err != nil {
				return fieldNotFound(err, "project_id", "error.project_unknown")
			}
			c.ProjectCode, c.ProjectAgencyID = p.Code, p.AgencyID
		}
		if err := tx.CreateExpertConflict(ctx, c); err != nil {
			return err
		}
		details := map[string]any{"conflict_id": c.ID, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		if c.ProjectID != 0 {
			details["project_id"] = c.ProjectID
		}
		if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.conflict_add", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details}); err != nil {
			return err
		}
		hideProjectCode(actor, c)
		return nil
	})
}

// RemoveExpertConflict deletes a declared conflict (see CanRemoveConflict).
func (s *Service) RemoveExpertConflict(ctx context.Context, actor Actor, expertID, id int64) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanDeclareConflicts(actor, expertID) {
			return ErrForbidden
		}
		c, err := tx.ExpertConflict(ctx, expertID, id)
		if err != nil {
			return err
		}
		if !CanRemoveConflict(actor, c) {
			return Errorf(Forbidden, "error.conflict_recorded_by_other")
		}
		if err := tx.DeleteExpertConflict(ctx, expertID, id); err != nil {
			return err
		}
		details := map[string]any{"conflict_id": c.ID, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		if c.ProjectID != 0 {
			details["project_id"] = c.ProjectID
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.conflict_remove", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details})
	})
}

// ExpertCollaborations lists the collaboration records of an expert the
// actor may see.
func (s *Service) ExpertCollaborations(ctx context.Context, actor Actor, expertID int64) ([]*ExpertCollaboration, error) {
	if _, err := loadExpert(ctx, s.store, actor, expertID); err != nil {
		return nil, err
	}
	return s.store.ExpertCollaborations(ctx, expertID)
}

// AddCollaboration records a collaboration of the expert; pool managers
// only.
func (s *Service) AddCollaboration(ctx context.Context, actor Actor, expertID int64, c *ExpertCollaboration) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanManagePool(actor) {
			return ErrForbidden
		}
		c.normalize()
		if err := c.Validate(s.ThisYear()); err != nil {
			return err
		}
		c.ID, c.ExpertID, c.CreatedBy, c.CreatedByName, c.CreatedAt = 0, expertID, actor.UserID, actor.Username, s.now()
		if err := tx.CreateExpertCollaboration(ctx, c); err != nil {
			return err
		}
		details := map[string]any{"collaboration_id": c.ID, "kind": c.Kind, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.collaboration_add", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details})
	})
}

// RemoveCollaboration deletes a collaboration record; pool managers only.
func (s *Service) RemoveCollaboration(ctx context.Context, actor Actor, expertID, id int64) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := loadExpert(ctx, tx, actor, expertID); err != nil {
			return err
		}
		if !CanManagePool(actor) {
			return ErrForbidden
		}
		c, err := tx.ExpertCollaboration(ctx, expertID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteExpertCollaboration(ctx, expertID, id); err != nil {
			return err
		}
		details := map[string]any{"collaboration_id": c.ID, "kind": c.Kind, "year": c.Year}
		addRecordDetails(details, c.Person, c.Institution, c.Note)
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.collaboration_remove", ObjectType: "expert",
			ObjectID: idString(expertID), Details: details})
	})
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

// InstitutionAliases lists the alias table; administrators keep it.
func (s *Service) InstitutionAliases(ctx context.Context, actor Actor) ([]*InstitutionAlias, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	return s.store.InstitutionAliases(ctx)
}

// AddInstitutionAlias adds an alias of an institution. Both names are
// normalised first, so "上海交大 " and "上海交大" are one alias; an alias
// already in the table is a conflict.
func (s *Service) AddInstitutionAlias(ctx context.Context, actor Actor, alias, canonical string) (*InstitutionAlias, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	f := FieldErrors{}
	a := &InstitutionAlias{Alias: normalizeInstitutionField(f, "alias", alias),
		Canonical: normalizeInstitutionField(f, "canonical", canonical), CreatedAt: s.now()}
	if len(f) == 0 && a.Alias == a.Canonical {
		f.Add("alias", "error.alias_same")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.CreateInstitutionAlias(ctx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "institution_alias.add", ObjectType: "institution_alias",
			ObjectID: a.Alias, Details: map[string]any{"alias": a.Alias, "canonical": a.Canonical, "entered": strings.TrimSpace(alias)}})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
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

// RemoveInstitutionAlias deletes an alias, named as stored or as entered.
func (s *Service) RemoveInstitutionAlias(ctx context.Context, actor Actor, alias string) error {
	if !actor.IsAdmin() {
		return ErrForbidden
	}
	n := assign.NormalizeInstitution(alias)
	if n == "" {
		return ErrNotFound
	}
	return s.store.InTx(ctx, func(tx Tx) error {
		a, err := tx.InstitutionAlias(ctx, n)
		if err != nil {
			return err
		}
		if err := tx.DeleteInstitutionAlias(ctx, n); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "institution_alias.remove", ObjectType: "institution_alias",
			ObjectID: a.Alias, Details: map[string]any{"alias": a.Alias, "canonical": a.Canonical}})
	})
}

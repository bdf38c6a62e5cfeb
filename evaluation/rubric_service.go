package evaluation

import (
	"context"
	"fmt"

	"github.com/evalpanel/evalpanel/rubrics"
)

// RubricService keeps the rubric versions (评价指标体系): the defaults,
// drafts, publishing and retiring, and checking a sheet against one.
type RubricService struct {
	*core
	store rubricStore
}

func (s *RubricService) inTx(ctx context.Context, fn func(tx rubricTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// InstallDefaultRubrics stores each default rubric as published version 1
// when no version of its code exists yet. It runs at every start and does
// nothing once the defaults are in.
func (s *RubricService) InstallDefaultRubrics(ctx context.Context, defaults []*rubrics.Rubric) error {
	return s.inTx(ctx, func(tx rubricTx) error {
		for _, d := range defaults {
			existing, err := tx.Rubrics(ctx, RubricFilter{Code: d.Code})
			if err != nil {
				return err
			}
			if len(existing) > 0 {
				continue
			}
			now := s.now()
			c := d.Clone()
			c.Version = 1
			r := &Rubric{Code: c.Code, Version: 1, Target: c.Target, Status: RubricPublished, Hash: c.Hash(), Content: c,
				CreatedAt: now, UpdatedAt: now, PublishedAt: now}
			if err := tx.CreateRubric(ctx, r); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, AuditEvent{Actor: System, Action: "rubric.publish", ObjectType: "rubric",
				ObjectID: rubricID(r), Details: map[string]any{"hash": r.Hash, "default": true}}); err != nil {
				return err
			}
		}
		return nil
	})
}

func rubricID(r *Rubric) string { return fmt.Sprintf("%s/v%d", r.Code, r.Version) }

// Rubrics lists rubric versions the actor may see, newest version first
// within each code.
func (s *RubricService) Rubrics(ctx context.Context, actor Actor, f RubricFilter) ([]*Rubric, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	list, err := s.store.Rubrics(ctx, f)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, r := range list {
		if canSeeRubric(actor, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Rubric returns one version. A version of 0 means the newest published one.
func (s *RubricService) Rubric(ctx context.Context, actor Actor, code string, version int) (*Rubric, error) {
	if version == 0 {
		list, err := s.store.Rubrics(ctx, RubricFilter{Code: code, Status: RubricPublished})
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, ErrNotFound
		}
		return list[0], nil
	}
	r, err := s.store.Rubric(ctx, code, version)
	if err != nil {
		return nil, err
	}
	if !canSeeRubric(actor, r) {
		return nil, ErrNotFound
	}
	return r, nil
}

// NewRubricVersion starts a draft as a copy of an existing version, numbered
// one above the code's newest version.
func (s *RubricService) NewRubricVersion(ctx context.Context, actor Actor, code string, from int) (*Rubric, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	var r *Rubric
	err := s.inTx(ctx, func(tx rubricTx) error {
		src, err := tx.Rubric(ctx, code, from)
		if err != nil {
			return err
		}
		all, err := tx.Rubrics(ctx, RubricFilter{Code: code})
		if err != nil {
			return err
		}
		next := 0
		for _, v := range all {
			next = max(next, v.Version)
		}
		next++
		now := s.now()
		c := src.Content.Clone()
		c.Version = next
		r = &Rubric{Code: code, Version: next, Target: src.Target, Status: RubricDraft, Hash: c.Hash(), Content: c,
			CreatedBy: actor.UserID, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateRubric(ctx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "rubric.draft", ObjectType: "rubric", ObjectID: rubricID(r),
			Details: map[string]any{"from": from}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ProblemsError turns problems found in input (a rubric, a sheet, a JSON
// body) into an Invalid error whose fields are the problems' JSON paths; a
// problem with no field sets the error's message.
func ProblemsError(ps rubrics.Problems) error {
	if len(ps) == 0 {
		return nil
	}
	e := &Error{Code: Invalid, Message: "error.invalid_input", Fields: map[string]string{}, Args: map[string]map[string]any{}}
	for _, p := range ps {
		if p.Field == "" {
			e.Message = p.Message
			continue
		}
		if _, seen := e.Fields[p.Field]; seen {
			continue
		}
		e.Fields[p.Field] = p.Message
		if len(p.Args) > 0 {
			e.Args[p.Field] = p.Args
		}
	}
	return e
}

// UpdateRubricDraft replaces a draft's content. The content must be valid
// (a refused save changes nothing) and keep the code and target; a
// published or retired version is refused with Conflict.
func (s *RubricService) UpdateRubricDraft(ctx context.Context, actor Actor, code string, version int, content *rubrics.Rubric) (*Rubric, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	var r *Rubric
	err := s.inTx(ctx, func(tx rubricTx) error {
		var err error
		if r, err = tx.Rubric(ctx, code, version); err != nil {
			return err
		}
		if r.Status != RubricDraft {
			return Errorf(Conflict, "error.rubric_published")
		}
		c := content.Clone()
		c.Version = version
		f := FieldErrors{}
		if c.Code != code {
			f.Add("code", "error.rubric_code_fixed")
		}
		if c.Target != r.Target {
			f.Add("target", "error.rubric_target_fixed")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := ProblemsError(c.Validate()); err != nil {
			return err
		}
		r.Content, r.Hash, r.UpdatedAt = c, c.Hash(), s.now()
		if err := tx.UpdateRubric(ctx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "rubric.update", ObjectType: "rubric", ObjectID: rubricID(r),
			Details: map[string]any{"hash": r.Hash}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// PublishRubric freezes a valid draft for good.
func (s *RubricService) PublishRubric(ctx context.Context, actor Actor, code string, version int) (*Rubric, error) {
	return s.moveRubric(ctx, actor, code, version, RubricDraft, RubricPublished, "rubric.publish")
}

// RetireRubric keeps a published version readable but no longer offered to
// new campaigns.
func (s *RubricService) RetireRubric(ctx context.Context, actor Actor, code string, version int) (*Rubric, error) {
	return s.moveRubric(ctx, actor, code, version, RubricPublished, RubricRetired, "rubric.retire")
}

func (s *RubricService) moveRubric(ctx context.Context, actor Actor, code string, version int, from, to RubricStatus, action string) (*Rubric, error) {
	if !actor.IsAdmin() {
		return nil, ErrForbidden
	}
	var r *Rubric
	err := s.inTx(ctx, func(tx rubricTx) error {
		var err error
		if r, err = tx.Rubric(ctx, code, version); err != nil {
			return err
		}
		if r.Status != from {
			return Errorf(Conflict, "error.rubric_state")
		}
		if to == RubricPublished {
			if err := ProblemsError(r.Content.Validate()); err != nil {
				return err
			}
			r.PublishedAt = s.now()
		}
		r.Status, r.UpdatedAt = to, s.now()
		if err := tx.UpdateRubric(ctx, r); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "rubric", ObjectID: rubricID(r),
			Details: map[string]any{"hash": r.Hash}})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// DeleteRubricDraft discards a draft; published versions are never deleted.
func (s *RubricService) DeleteRubricDraft(ctx context.Context, actor Actor, code string, version int) error {
	if !actor.IsAdmin() {
		return ErrForbidden
	}
	return s.inTx(ctx, func(tx rubricTx) error {
		r, err := tx.Rubric(ctx, code, version)
		if err != nil {
			return err
		}
		if r.Status != RubricDraft {
			return Errorf(Conflict, "error.rubric_published")
		}
		if err := tx.DeleteRubric(ctx, r.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "rubric.delete", ObjectType: "rubric", ObjectID: rubricID(r)})
	})
}

// CheckSheet validates a score sheet against a rubric version and returns
// its total and grade; it stores nothing.
func (s *RubricService) CheckSheet(ctx context.Context, actor Actor, code string, version int, sheet *rubrics.Sheet) (rubrics.Result, error) {
	r, err := s.Rubric(ctx, actor, code, version)
	if err != nil {
		return rubrics.Result{}, err
	}
	res, ps := r.Content.Check(sheet)
	if err := ProblemsError(ps); err != nil {
		return rubrics.Result{}, err
	}
	return res, nil
}

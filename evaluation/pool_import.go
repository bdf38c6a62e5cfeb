package evaluation

import (
	"context"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation/assign"
)

// expertKey is who an expert is, for finding the same person twice: the
// name and the institution, normalised as the conflict rules compare them. Two profiles with the same key would let a draw seat one
// person twice, so an import refuses them.
type expertKey struct{ name, institution string }

func keyOf(e *Expert) expertKey {
	return expertKey{assign.NormalizeName(e.Name), assign.NormalizeInstitution(e.Institution)}
}

// poolIndex maps the pool's keys and e-mail addresses to expert ids.
type poolIndex struct {
	keys   map[expertKey]int64
	emails map[string]int64
}

func (s *PoolService) loadPoolIndex(ctx context.Context, r poolReader) (*poolIndex, error) {
	ix := &poolIndex{keys: map[expertKey]int64{}, emails: map[string]int64{}}
	for n := 1; ; n++ {
		page, _, err := r.Experts(ctx, ExpertFilter{Year: s.ThisYear(), Page: Page{Number: n, Size: 200}})
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			ix.add(&e.Expert, e.ID)
		}
		if len(page) < 200 {
			return ix, nil
		}
	}
}

func (ix *poolIndex) add(e *Expert, id int64) {
	if k := keyOf(e); k.name != "" {
		if _, ok := ix.keys[k]; !ok {
			ix.keys[k] = id
		}
	}
	if m := strings.ToLower(strings.TrimSpace(e.Email)); m != "" {
		if _, ok := ix.emails[m]; !ok {
			ix.emails[m] = id
		}
	}
}

// find returns the id of the pool's expert who is e, with the field that
// matched ("name" for name and institution, or "email"), or 0.
func (ix *poolIndex) find(e *Expert) (int64, string) {
	if id, ok := ix.keys[keyOf(e)]; ok {
		return id, "name"
	}
	if m := strings.ToLower(strings.TrimSpace(e.Email)); m != "" {
		if id, ok := ix.emails[m]; ok {
			return id, "email"
		}
	}
	return 0, ""
}

// checkExperts normalises the profiles and returns every problem of the
// list: each profile's rules, the same person twice in the list, and
// people already in the pool (fields "experts.N.…"), the last only when
// pool is set.
func (s *PoolService) checkExperts(ctx context.Context, r poolReader, list []*Expert, pool bool) (FieldErrors, error) {
	problems := FieldErrors{}
	seen := &poolIndex{keys: map[expertKey]int64{}, emails: map[string]int64{}}
	for i, e := range list {
		e.Normalize()
		if err := ErrorAs(e.Validate()); err != nil {
			for field, msg := range err.Fields {
				problems.Add(expertField(i, field), msg)
			}
		}
		if j, field := seen.find(e); j != 0 {
			problems.Add(expertField(i, field), "error.expert_duplicate_in_file")
		}
		seen.add(e, int64(i+1))
	}
	if !pool {
		return problems, nil
	}
	ix, err := s.loadPoolIndex(ctx, r)
	if err != nil {
		return nil, err
	}
	for i, e := range list {
		if id, field := ix.find(e); id != 0 {
			problems.Add(expertField(i, field), "error.expert_in_pool")
		}
	}
	return problems, nil
}

// CheckExpertImport reports every problem that would stop ImportExperts,
// without storing anything, so that a file's problems are listed at once.
func (s *PoolService) CheckExpertImport(ctx context.Context, actor Actor, list []*Expert) error {
	if !CanManagePool(actor) {
		return ErrForbidden
	}
	if len(list) > MaxImportRows {
		return Errorf(Invalid, "error.import_too_many")
	}
	problems, err := s.checkExperts(ctx, s.store, list, true)
	if err != nil {
		return err
	}
	return problems.Err()
}

// ImportExperts adds the profiles of an imported file to the expert pool,
// all or none: when any profile is invalid, appears twice in the list or is
// already in the pool, nothing is stored and the error names every problem
// (fields "experts.N.…"). Each profile gets its "expert.create" entry and
// the import one "expert.import" entry, in the same transaction.
func (s *PoolService) ImportExperts(ctx context.Context, actor Actor, list []*Expert, file ImportFile) error {
	if !CanManagePool(actor) {
		return ErrForbidden
	}
	switch {
	case len(list) == 0:
		return Errorf(Invalid, "error.import_empty")
	case len(list) > MaxImportRows:
		return Errorf(Invalid, "error.import_too_many")
	}
	problems, err := s.checkExperts(ctx, s.store, list, false)
	if err != nil {
		return err
	}
	if err := problems.Err(); err != nil {
		return err
	}
	now := s.now()
	return s.inTx(ctx, func(tx poolTx) error {
		// The pool is checked again inside the transaction, which no
		// other import can interleave with.
		problems, err := s.checkExperts(ctx, tx, list, true)
		if err != nil {
			return err
		}
		if e := ErrorAs(problems.Err()); e != nil {
			e.Code, e.Message = Conflict, "error.expert_in_pool"
			return e
		}
		drawable := 0
		for _, e := range list {
			e.ID, e.CreatedAt, e.UpdatedAt = 0, now, now
			if err := tx.CreateExpert(ctx, e); err != nil {
				return err
			}
			details := map[string]any{"name": e.Name, "type": e.Type, "institution": e.Institution}
			if e.CanBeDrawn {
				drawable++
			} else {
				details["can_be_drawn"], details["no_draw_reason"] = false, e.NoDrawReason
			}
			if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.create", ObjectType: "expert",
				ObjectID: idString(e.ID), Details: details}); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "expert.import", ObjectType: "expert",
			Details: file.details(map[string]any{"experts": len(list), "drawable": drawable})})
	})
}

func expertField(i int, field string) string {
	return "experts." + idString(int64(i)) + "." + field
}

package assign

import "slices"

// Index finds the conflicts of interest of a project in a large pool
// without checking every expert. Every conflict rule needs a name in
// common between the project and the expert's records, an expert id on
// the avoid list, or the project's id in a declaration, so the index keeps
// the experts by those keys:
//
//   - by canonical institution: the expert's own, and those of the
//     declared conflicts and collaborations within the window; and by
//     every boundary prefix of those names (复旦大学 for
//     复旦大学附属中山医院), for the prefix rule of SameInstitution;
//   - by normalised person name: the expert's own (the member rule), and
//     those of the declared conflicts and collaborations within the window;
//   - by declared project id, and by expert id (the avoid list).
//
// For a project it checks only the experts found under the project's
// institutions, their boundary prefixes, its people's names, its id and
// its avoid list, with the same rules as Checker.Conflicts; every other
// expert has no conflict with it. An Index is safe for concurrent use; the
// pool it was built from must not change while it is used.
type Index struct {
	c         *Checker
	experts   []expertKeys
	byID      map[int64][]int32
	byInst    map[string][]int32 // canonical institution → experts
	byPrefix  map[string][]int32 // boundary prefix → experts with a longer institution
	byName    map[string][]int32 // normalised person name → experts
	byProject map[int64][]int32  // declared project id → experts
}

// NewIndex builds the index of the pool for the checker's rules.
func NewIndex(c *Checker, pool []Expert) *Index {
	n := len(pool)
	ix := &Index{
		c:         c,
		experts:   make([]expertKeys, n),
		byID:      make(map[int64][]int32, n),
		byInst:    make(map[string][]int32, n/4),
		byPrefix:  make(map[string][]int32, n/16),
		byName:    make(map[string][]int32, 2*n),
		byProject: map[int64][]int32{},
	}
	// add appends expert i under key k once: an expert's keys are added
	// together, so a repeat of the key ends the list.
	add := func(m map[string][]int32, k string, i int32) {
		if k == "" {
			return
		}
		l := m[k]
		if len(l) > 0 && l[len(l)-1] == i {
			return
		}
		m[k] = append(l, i)
	}
	addInst := func(canon string, i int32) {
		add(ix.byInst, canon, i)
		for _, pre := range boundaryPrefixes(canon) {
			add(ix.byPrefix, pre, i)
		}
	}
	for j := range pool {
		i := int32(j)
		ek := c.prepareExpert(&pool[j])
		ix.experts[j] = ek
		ix.byID[pool[j].ID] = append(ix.byID[pool[j].ID], i)
		addInst(ek.inst, i)
		add(ix.byName, ek.name, i)
		for _, rk := range ek.declared {
			if id := pool[j].Declared[rk.i].ProjectID; id != 0 {
				if l := ix.byProject[id]; len(l) == 0 || l[len(l)-1] != i {
					ix.byProject[id] = append(l, i)
				}
			}
			if rk.inWindow {
				addInst(rk.inst, i)
				add(ix.byName, rk.person, i)
			}
		}
		for _, rk := range ek.collabs {
			addInst(rk.inst, i)
			add(ix.byName, rk.person, i)
		}
	}
	return ix
}

// Conflicts returns the conflicts of interest of every expert of the pool
// with the project, by expert id, leaving out the experts with none: for
// each expert exactly what Checker.Conflicts returns.
func (ix *Index) Conflicts(p *Project) map[int64][]Reason {
	pk := ix.c.prepareProject(p)
	cand := ix.candidates(pk)
	out := make(map[int64][]Reason, len(cand))
	for _, i := range cand {
		ek := &ix.experts[i]
		if rs := ix.c.conflicts(pk, ek); len(rs) > 0 {
			out[ek.e.ID] = rs
		}
	}
	return out
}

// candidates returns the experts that may conflict with the project, in
// pool order, each once.
func (ix *Index) candidates(pk *projectKeys) []int32 {
	var cand []int32
	for _, pi := range pk.insts {
		cand = append(cand, ix.byInst[pi.canon]...)
		cand = append(cand, ix.byPrefix[pi.canon]...)
		for _, pre := range boundaryPrefixes(pi.canon) {
			cand = append(cand, ix.byInst[pre]...)
		}
	}
	for _, pp := range pk.people {
		cand = append(cand, ix.byName[pp.name]...)
	}
	if pk.p.ID != 0 {
		cand = append(cand, ix.byProject[pk.p.ID]...)
	}
	for _, id := range pk.p.AvoidExperts {
		cand = append(cand, ix.byID[id]...)
	}
	slices.Sort(cand)
	return slices.Compact(cand)
}

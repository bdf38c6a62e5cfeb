package assign

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Affinity weights; see Affinity.
const (
	affinityCodeWeight       = 4 // a project subject code the expert also has
	affinityDisciplineWeight = 1 // else a code in the same discipline (first three digits)
	affinityKeywordWeight    = 2 // a keyword both have
)

// Affinity is how well an expert's expertise fits a project (专业匹配度),
// the quantity Match maximises. It is computed from the subject codes and
// keywords, each compared after affinityFold (full-width forms become
// ASCII, letters are lower-cased, spaces and punctuation are dropped, so
// "520.20", "52020" and "５２０.２０" are one code and "Machine learning"
// and "machine-learning" one keyword), duplicates counted once:
//
//   - 4 for each of the project's subject codes the expert also has;
//   - otherwise 1 for each project code whose discipline (its first three
//     digits, the first level of GB/T 13745, e.g. 520 in 520.20) is the
//     discipline of one of the expert's codes;
//   - 2 for each of the project's keywords the expert also has.
//
// For example a project with codes 520.20 and 520.30 and keywords
// "catalysis" and "hydrogen", and an expert with codes 520.20 and 520.60
// and the keyword "Hydrogen", have affinity 4 + 1 + 2 = 7.
func Affinity(p *Project, e *Expert) int {
	codes := make(map[string]bool)
	discs := make(map[string]bool)
	for _, c := range e.SubjectCodes {
		f := affinityFold(c)
		if f == "" {
			continue
		}
		codes[f] = true
		if d := affinityDiscipline(f); d != "" {
			discs[d] = true
		}
	}
	words := make(map[string]bool)
	for _, w := range e.Keywords {
		if f := affinityFold(w); f != "" {
			words[f] = true
		}
	}
	a := 0
	seen := make(map[string]bool)
	for _, c := range p.SubjectCodes {
		f := affinityFold(c)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		switch {
		case codes[f]:
			a += affinityCodeWeight
		case affinityDiscipline(f) != "" && discs[affinityDiscipline(f)]:
			a += affinityDisciplineWeight
		}
	}
	clear(seen)
	for _, w := range p.Keywords {
		f := affinityFold(w)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		if words[f] {
			a += affinityKeywordWeight
		}
	}
	return a
}

// affinityFold normalises a subject code or keyword for Affinity.
func affinityFold(s string) string {
	buf := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFF01 - 0x21
		}
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
				buf = append(buf, byte(r))
			case 'A' <= r && r <= 'Z':
				buf = append(buf, byte(r)+'a'-'A')
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		}
	}
	return string(buf)
}

// affinityDiscipline returns the discipline of a folded subject code (see
// firstLevel), or "": codes of another scheme get no discipline credit.
func affinityDiscipline(code string) string {
	d, _ := firstLevel(code)
	return d
}

// affinityIndex interns codes, disciplines and keywords so that Match can
// compute the affinity of hundreds of thousands of pairs on small integer
// slices; affinityIndex.affinity equals Affinity (a test checks it).
type affinityIndex struct {
	codes map[string]int32
	discs map[string]int32
	words map[string]int32
}

// affinityKeys are one project's or expert's interned keys. For a project,
// discs[i] is the discipline of codes[i] (or -1); for an expert, discs is
// the set of its codes' disciplines.
type affinityKeys struct {
	codes []int32
	discs []int32
	words []int32
}

func newAffinityIndex() *affinityIndex {
	return &affinityIndex{codes: map[string]int32{}, discs: map[string]int32{}, words: map[string]int32{}}
}

func affinityIntern(m map[string]int32, s string) int32 {
	id, ok := m[s]
	if !ok {
		id = int32(len(m))
		m[s] = id
	}
	return id
}

func affinityAdd(set []int32, id int32) []int32 {
	for _, x := range set {
		if x == id {
			return set
		}
	}
	return append(set, id)
}

func (ix *affinityIndex) project(p *Project) affinityKeys {
	var k affinityKeys
	for _, c := range p.SubjectCodes {
		f := affinityFold(c)
		if f == "" {
			continue
		}
		id := affinityIntern(ix.codes, f)
		if slices.Contains(k.codes, id) {
			continue
		}
		k.codes = append(k.codes, id)
		d := int32(-1)
		if ds := affinityDiscipline(f); ds != "" {
			d = affinityIntern(ix.discs, ds)
		}
		k.discs = append(k.discs, d)
	}
	for _, w := range p.Keywords {
		if f := affinityFold(w); f != "" {
			k.words = affinityAdd(k.words, affinityIntern(ix.words, f))
		}
	}
	return k
}

func (ix *affinityIndex) expert(e *Expert) affinityKeys {
	var k affinityKeys
	for _, c := range e.SubjectCodes {
		f := affinityFold(c)
		if f == "" {
			continue
		}
		k.codes = affinityAdd(k.codes, affinityIntern(ix.codes, f))
		if ds := affinityDiscipline(f); ds != "" {
			k.discs = affinityAdd(k.discs, affinityIntern(ix.discs, ds))
		}
	}
	for _, w := range e.Keywords {
		if f := affinityFold(w); f != "" {
			k.words = affinityAdd(k.words, affinityIntern(ix.words, f))
		}
	}
	return k
}

// affinity is Affinity on interned keys.
func (p *affinityKeys) affinity(e *affinityKeys) int {
	a := 0
	for i, c := range p.codes {
		switch {
		case slices.Contains(e.codes, c):
			a += affinityCodeWeight
		case p.discs[i] >= 0 && slices.Contains(e.discs, p.discs[i]):
			a += affinityDisciplineWeight
		}
	}
	for _, w := range p.words {
		if slices.Contains(e.words, w) {
			a += affinityKeywordWeight
		}
	}
	return a
}

// affinityLists are, per interned code, discipline and keyword, the
// experts (pool indexes) that have it. With them the affinity of a
// project with the whole pool costs a few additions per expert that
// shares a discipline or a keyword with it, instead of a comparison of
// keys per pair: a large campaign has millions of pairs, most of them
// finance experts who share nothing with the project.
type affinityLists struct {
	codes, discs, words [][]int32
}

// newAffinityLists indexes the experts' keys (experts[i] of pool index i).
func newAffinityLists(ix *affinityIndex, experts []affinityKeys) *affinityLists {
	l := &affinityLists{codes: make([][]int32, len(ix.codes)), discs: make([][]int32, len(ix.discs)),
		words: make([][]int32, len(ix.words))}
	for i := range experts {
		k := &experts[i]
		for _, c := range k.codes {
			l.codes[c] = append(l.codes[c], int32(i))
		}
		for _, d := range k.discs {
			l.discs[d] = append(l.discs[d], int32(i))
		}
		for _, w := range k.words {
			l.words[w] = append(l.words[w], int32(i))
		}
	}
	return l
}

// add adds sign × the project's affinity with each expert to aff, indexed
// by pool index: with sign 1 on zeros it leaves each expert's affinity,
// and with sign −1 afterwards zeros again. It is affinityKeys.affinity
// turned around: an expert with a project code also has the code's
// discipline, so it gets the discipline's 1 and 3 more for the code.
// Keys interned after the lists were made (a project's that no expert
// has) match nobody.
func (l *affinityLists) add(p *affinityKeys, aff []int32, sign int32) {
	for i, c := range p.codes {
		code := int32(affinityCodeWeight)
		if d := p.discs[i]; d >= 0 && int(d) < len(l.discs) {
			for _, e := range l.discs[d] {
				aff[e] += sign * affinityDisciplineWeight
			}
			code -= affinityDisciplineWeight
		}
		if int(c) < len(l.codes) {
			for _, e := range l.codes[c] {
				aff[e] += sign * code
			}
		}
	}
	for _, w := range p.words {
		if int(w) < len(l.words) {
			for _, e := range l.words[w] {
				aff[e] += sign * affinityKeywordWeight
			}
		}
	}
}

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

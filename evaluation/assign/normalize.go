package assign

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold is the normalisation shared by names and institutions: full-width
// forms become ASCII (U+FF01–U+FF5E → U+0021–U+007E), the brackets （）【】
// [] 〔〕〖〗 {} become ( ), letters are lower-cased, and everything that is
// not a letter, a number, a combining mark or a bracket is dropped:
// whitespace of every kind (U+3000 included), punctuation such as . , · 、
// ' " “ ” - and symbols such as & +.
func fold(s string) string {
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFF01 - 0x21
		}
		switch r {
		case '(', '[', '{', '【', '〔', '〖':
			b.WriteByte('(')
			continue
		case ')', ']', '}', '】', '〕', '〗':
			b.WriteByte(')')
			continue
		}
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteByte(byte(r))
		case 'A' <= r && r <= 'Z':
			b.WriteByte(byte(r) + 'a' - 'A')
		case r < utf8.RuneSelf:
		case isHan(r):
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// isHan reports whether r is in the common blocks of CJK ideographs, which
// have no case: a fast path for Chinese names.
func isHan(r rune) bool {
	return (0x4E00 <= r && r <= 0x9FFF) || (0x3400 <= r && r <= 0x4DBF)
}

// isFolded reports whether fold would return s unchanged, so that names
// already in normal form cost no allocation.
func isFolded(s string) bool {
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '(', r == ')', isHan(r):
		default:
			return false
		}
	}
	return true
}

// dropEmptyBrackets removes "()" left behind when a bracket held only
// punctuation or spaces.
func dropEmptyBrackets(s string) string {
	for strings.Contains(s, "()") {
		s = strings.ReplaceAll(s, "()", "")
	}
	return s
}

// NormalizeName normalises a person's name for comparison: full-width to
// half-width, no whitespace or punctuation (so "王 伟", "王伟" and "王　伟"
// are equal, and so are "约翰·史密斯" and "约翰史密斯"), lower case ("Wang
// Wei" = "wang wei"). The order of the parts is kept: "Wei Wang" and "Wang
// Wei" differ.
func NormalizeName(s string) string {
	return dropEmptyBrackets(fold(s))
}

// legalSuffixes are the variants of a company's legal form at the end of a
// normalised name, each with the form it is made equal to. The first match
// wins.
var legalSuffixes = []struct{ from, to string }{
	{"companylimited", "coltd"}, // Company Limited
	{"companyltd", "coltd"},     // Company Ltd.
	{"colimited", "coltd"},      // Co., Limited
	{"limited", "ltd"},          // Limited
	{"incorporated", "inc"},     // Incorporated
	{"corporation", "corp"},     // Corporation
	{"company", "co"},           // Company
}

// NormalizeInstitution normalises an institution's name for comparison.
// Besides what NormalizeName does, it makes the variants of a legal form
// equal: 有限责任公司 → 有限公司, （集团） → 集团, and at the end "Co., Ltd.",
// "Co.,Ltd", "Co Ltd", "Company Limited" → "coltd", "Limited" → "ltd",
// "Inc."/"Incorporated" → "inc", "Corporation" → "corp"; and it drops a
// trailing partnership note such as （特殊普通合伙）. So "ＡＢＣ　有限责任公司"
// and "abc有限公司" are equal, and so are "ABC Co., Ltd." and "abc company
// limited". The result is what Rules.Aliases keys and values hold.
func NormalizeInstitution(s string) string {
	n := fold(s)
	for {
		m := rewriteInstitution(n)
		if m == n {
			return n
		}
		n = m
	}
}

// rewriteInstitution makes one pass of the rewrites of NormalizeInstitution
// over a folded name. Every rewrite shortens the name, so repeating the
// pass until nothing changes ends, and makes normalising idempotent even
// for odd input such as "((集团))".
func rewriteInstitution(n string) string {
	n = dropEmptyBrackets(n)
	if strings.HasSuffix(n, "合伙)") {
		if i := strings.LastIndexByte(n, '('); i >= 0 {
			n = n[:i]
		}
	}
	n = strings.ReplaceAll(n, "有限责任公司", "有限公司")
	n = strings.ReplaceAll(n, "(集团)", "集团")
	for _, suf := range legalSuffixes {
		if strings.HasSuffix(n, suf.from) {
			return n[:len(n)-len(suf.from)] + suf.to
		}
	}
	return n
}

// institutionTypes are the words (normalised) that end the name of an
// institution or of one of its units. The prefix rule of SameInstitution
// only matches at the end of one of them. Short English words such as
// "co" or "lab" are left out: with the spaces gone they would end too many
// unrelated words.
var institutionTypes = []string{
	"大学", "学院", "研究院", "研究所", "医院", "中心", "公司", "集团", "工程院",
	"实验室", "学校", "事务所", "银行", "基金会", "协会", "学会", "委员会",
	"设计院", "总院", "分院", "厂", "局", "系", "图书馆", "博物馆",
	"university", "college", "institute", "academy", "hospital", "center",
	"centre", "laboratory", "laboratories", "school", "clinic", "foundation",
	"bank", "group", "coltd", "ltd", "inc", "corp", "llc", "plc", "gmbh",
}

// institutionTypeEnds holds the last rune of every institution type word,
// to skip most positions in boundaryPrefixes quickly.
var institutionTypeEnds = func() map[rune]bool {
	m := map[rune]bool{}
	for _, w := range institutionTypes {
		r, _ := utf8.DecodeLastRuneInString(w)
		m[r] = true
	}
	return m
}()

// endsWithType reports whether the normalised name s ends with an
// institution type word and has something before it ("复旦大学" does; "大学"
// alone does not).
func endsWithType(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	if !institutionTypeEnds[r] {
		return false
	}
	for _, w := range institutionTypes {
		if len(s) > len(w) && strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// boundaryPrefixes returns the proper prefixes of the normalised name s
// that end with an institution type word, shortest first: for
// "复旦大学附属中山医院" it returns ["复旦大学"]. Two canonical names match
// by the prefix rule exactly when one of them is a boundary prefix of the
// other, which is what the index looks up.
func boundaryPrefixes(s string) []string {
	var out []string
	for i := range s { // i runs over the starts of runes
		if i > 0 && endsWithType(s[:i]) {
			out = append(out, s[:i])
		}
	}
	return out
}

// Canonical returns the canonical name of an institution: its normalised
// name (NormalizeInstitution), replaced by the alias target when
// Rules.Aliases has it. Alias keys must be normalised; targets are
// normalised here, chains (a → b → c) are followed, and a cycle resolves to
// its smallest name, so that every name of the cycle gets the same one.
// An alias names a whole institution: "上海交大" → "上海交通大学" does not
// turn "上海交大化学系" into anything; add such spellings as aliases of
// their own.
func (r Rules) Canonical(inst string) string {
	return resolveAlias(r.Aliases, NormalizeInstitution(inst), true)
}

// resolveAlias follows aliases from the normalised name n. normTargets says
// whether the targets still need normalising.
func resolveAlias(aliases map[string]string, n string, normTargets bool) string {
	if len(aliases) == 0 || n == "" {
		return n
	}
	var path []string
	cur := n
	for {
		next, ok := aliases[cur]
		if !ok {
			return cur
		}
		if normTargets {
			next = NormalizeInstitution(next)
		}
		if next == cur || next == "" {
			return cur
		}
		path = append(path, cur)
		if i := slices.Index(path, next); i >= 0 {
			return slices.Min(path[i:])
		}
		cur = next
	}
}

// normalizedAliases returns aliases with keys and targets normalised and
// every chain resolved, so that one lookup gives the canonical name. When
// two keys normalise to the same name with different targets, the smaller
// target wins, so the result does not depend on map order.
func normalizedAliases(aliases map[string]string) map[string]string {
	if len(aliases) == 0 {
		return nil
	}
	m := make(map[string]string, len(aliases))
	for k, v := range aliases {
		nk, nv := NormalizeInstitution(k), NormalizeInstitution(v)
		if nk == "" || nv == "" || nk == nv {
			continue
		}
		if old, ok := m[nk]; ok && old < nv {
			continue
		}
		m[nk] = nv
	}
	flat := make(map[string]string, len(m))
	for k := range m {
		if c := resolveAlias(m, k, false); c != k {
			flat[k] = c
		}
	}
	return flat
}

// sameCanonical is SameInstitution on canonical names.
func sameCanonical(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.HasPrefix(b, a) && endsWithType(a)
}

// SameInstitution reports whether a and b name the same institution for
// the conflict rules (同一单位): their canonical names (Rules.Canonical) are
// equal, or one is a prefix of the other that ends exactly at an
// institution type word (大学, 学院, 研究院, 研究所, 医院, 中心, 公司, 集团,
// university, institute, hospital, …; see institutionTypes).
//
// The prefix rule is conservative on purpose: a unit of an institution is
// the same institution, so an expert at 复旦大学化学系 conflicts with a
// project led by 复旦大学, and one at 上海XX有限公司北京分公司 with
// 上海XX有限公司. The price is that institutions named after another one
// match it too: 上海交通大学医学院附属瑞金医院 matches 上海交通大学 (an
// affiliated hospital is its own legal entity, but its experts are kept
// off the university's projects), 上海XX中心医院 matches 上海XX中心, and
// "Shanghai University of Sport" matches "Shanghai University". Names that
// merely share a beginning do not match: 上海大学 and 上海交通大学 differ,
// and so do two units of one institution (复旦大学化学系 and 复旦大学物理系),
// which is why project institutions should be entered as the legal
// entities of the contract (承担单位, 参与单位).
func SameInstitution(a, b string, r Rules) bool {
	return sameCanonical(r.Canonical(a), r.Canonical(b))
}

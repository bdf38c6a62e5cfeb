package assign

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold is the normalisation shared by names and institutions. It compares
// text as a reader sees it, whatever code points were typed or pasted:
//
//  1. Unicode compatibility normalisation (NFKC): full-width forms become
//     ASCII (Ａ → A), Kangxi radicals and CJK compatibility ideographs
//     become the unified ideographs they look like (⼤ U+2F24 → 大), a
//     letter and its combining marks become one code point (u + ̈ → ü),
//     ligatures and circled or squared forms are spelled out (ﬁ → fi,
//     ① → 1, ㈱ → (株));
//  2. look-alikes (confusable): the CJK radicals supplement maps to unified
//     ideographs as Unicode's EquivalentUnifiedIdeograph.txt says (⻓
//     U+2ED3 → 长), and Cyrillic and Greek letters that look like Latin ones
//     become those Latin letters (Cyrillic о → o, Greek Α → A; see
//     latinLookalikes);
//  3. the brackets （）【】[] 〔〕〖〗 {} become ( ), letters are lower-cased,
//     and everything that is not a letter, a number, a combining mark or a
//     bracket is dropped: whitespace of every kind (U+3000 included),
//     punctuation such as . , · 、 ' " “ ” - and symbols such as & +.
//
// The result is only ever compared, never shown: NFKC and the look-alikes
// change what a reader would see (full-width punctuation, Greek letters),
// so the names the app stores and shows are only put in NFC (see
// evaluation's cleanName). fold(fold(s)) == fold(s).
func fold(s string) string {
	if isFolded(s) {
		return s
	}
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	other := false // a letter, number or mark that is neither ASCII nor a common ideograph
	for _, r := range s {
		r = lookalike(r)
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
			// A lower-case form may be a look-alike its capital is not.
			b.WriteRune(lookalike(unicode.ToLower(r)))
			other = true
		}
	}
	if other {
		// What was dropped or replaced may leave characters that compose:
		// Cyrillic о + U+0301 became o + U+0301, which is ó; Hangul jamo
		// that a dropped character kept apart make a syllable.
		return norm.NFKC.String(b.String())
	}
	return b.String()
}

// HasLookalikes reports whether s holds characters that names are
// compared by through their compatibility form or a look-alike (steps 1
// and 2 of fold), which the conflict rules did not do before they used
// Unicode normalisation: a draw record made earlier that holds such text
// may re-run to another result, the conflicts then missed now found.
func HasLookalikes(s string) bool {
	if !norm.NFKC.IsNormalString(s) {
		return true
	}
	for _, r := range s {
		if lookalike(r) != r {
			return true
		}
	}
	return false
}

// lookalike returns the character r is folded to for looking like it: the
// unified ideograph of a CJK radical of the supplement, the Latin letter of
// a Cyrillic or Greek look-alike, the letter of a final or dotless form;
// otherwise r.
func lookalike(r rune) rune {
	switch {
	case r < 0x0131:
		return r
	case 0x2E80 <= r && r <= 0x2EFF:
		if u, ok := radicalIdeographs[r]; ok {
			return u
		}
	default:
		if l, ok := latinLookalikes[r]; ok {
			return l
		}
	}
	return r
}

// radicalIdeographs maps the CJK radicals supplement (U+2E80–U+2EFF) to the
// unified ideographs they are equivalent to, as Unicode's
// EquivalentUnifiedIdeograph.txt lists them (U+2E80 and U+2E9A have none).
// NFKC leaves these radicals alone (all but U+2E9F and U+2EF3), but text
// taken from PDFs often has them where the ideograph was meant: ⻓ for 长,
// ⻔ for 门. (The Kangxi radicals, U+2F00–U+2FD5, NFKC maps itself.)
var radicalIdeographs = map[rune]rune{
	0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB, 0x2E86: 0x5182,
	0x2E87: 0x20628, 0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C, 0x2E8B: 0x353E, 0x2E8C: 0x5C0F,
	0x2E8D: 0x5C0F, 0x2E8E: 0x5140, 0x2E8F: 0x5C23, 0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3,
	0x2E93: 0x5E7A, 0x2E94: 0x5F51, 0x2E95: 0x5F50, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C,
	0x2E99: 0x6535, 0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD,
	0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B, 0x2EA5: 0x722B,
	0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B, 0x2EAA: 0x24D14, 0x2EAB: 0x76EE,
	0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7, 0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53,
	0x2EB2: 0x7F52, 0x2EB3: 0x34C1, 0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C,
	0x2EB8: 0x2634B, 0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951,
	0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864, 0x2EC3: 0x8980,
	0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC7: 0x278B2, 0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D,
	0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6, 0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x9091,
	0x2ED0: 0x9485, 0x2ED1: 0x9577, 0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F,
	0x2ED6: 0x961D, 0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
	0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963, 0x2EE1: 0x29810,
	0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C, 0x2EE6: 0x9E1F, 0x2EE7: 0x5364,
	0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE, 0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F,
	0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC, 0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}

// latinLookalikes maps Cyrillic and Greek letters to the Latin letters
// they look like (the confusables of Unicode TR #39 among letters), and a
// few other forms to the letter they stand for: an "о" typed or pasted
// from a Cyrillic keyboard into "Technical University of Munich" must not
// make it another institution. Both cases of a Cyrillic letter map to one
// Latin letter, so Cyrillic text still compares without regard to case;
// a few Greek capitals look like another Latin letter than their small
// letter (Ν N, ν v; Η H, η n; Υ Y, υ u), and each maps to the letter it
// looks like. Whole words typed in Cyrillic or Greek that happen to
// consist of such letters compare equal to their Latin look-alike, which
// for the conflict rules errs on the side of avoiding.
var latinLookalikes = map[rune]rune{
	// Cyrillic capitals and their small letters.
	'А': 'A', 'а': 'a', 'В': 'B', 'в': 'b', 'Е': 'E', 'е': 'e', 'К': 'K', 'к': 'k', 'М': 'M', 'м': 'm',
	'Н': 'H', 'н': 'h', 'О': 'O', 'о': 'o', 'Р': 'P', 'р': 'p', 'С': 'C', 'с': 'c', 'Т': 'T', 'т': 't',
	'У': 'Y', 'у': 'y', 'Х': 'X', 'х': 'x', 'Ѕ': 'S', 'ѕ': 's', 'І': 'I', 'і': 'i', 'Ј': 'J', 'ј': 'j',
	'Ү': 'Y', 'ү': 'y', 'Һ': 'H', 'һ': 'h', 'Ԛ': 'Q', 'ԛ': 'q', 'Ԝ': 'W', 'ԝ': 'w', 'ԁ': 'd',
	// Greek capitals and small letters.
	'Α': 'A', 'α': 'a', 'Β': 'B', 'β': 'b', 'Ε': 'E', 'ε': 'e', 'Ζ': 'Z', 'ζ': 'z', 'Η': 'H', 'η': 'n',
	'Ι': 'I', 'ι': 'i', 'Κ': 'K', 'κ': 'k', 'Μ': 'M', 'μ': 'm', 'Ν': 'N', 'ν': 'v', 'Ο': 'O', 'ο': 'o',
	'Ρ': 'P', 'ρ': 'p', 'Τ': 'T', 'τ': 't', 'Υ': 'Y', 'υ': 'u', 'Χ': 'X', 'χ': 'x',
	// The final sigma is a sigma; dotless i, Latin alpha and script g are
	// the letters they look like.
	'ς': 'σ', 'ı': 'i', 'ɑ': 'a', 'ɡ': 'g',
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
	if !strings.Contains(s, "()") {
		return s
	}
	for strings.Contains(s, "()") {
		s = strings.ReplaceAll(s, "()", "")
	}
	return recompose(s)
}

// recompose puts a folded name that lost characters back in NFKC: the
// combining marks on either side of what was removed now follow one
// another, and NFKC orders and composes them as fold would.
func recompose(s string) string {
	if isFolded(s) {
		return s
	}
	return norm.NFKC.String(s)
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
	return recompose(n)
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

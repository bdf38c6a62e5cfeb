package assign

import (
	"testing"
)

func TestNormalizeInstitution(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"复旦大学", "复旦大学"},
		{"ＡＢＣ　有限责任公司", "abc有限公司"},
		{"abc有限公司", "abc有限公司"},
		{" 上海 交通　大学 ", "上海交通大学"},
		{"上海\t交通\n大学", "上海交通大学"},
		{"复旦大学（医学院）", "复旦大学(医学院)"},
		{"复旦大学【医学院】", "复旦大学(医学院)"},
		{"复旦大学[医学院]", "复旦大学(医学院)"},
		{"复旦大学〔医学院〕", "复旦大学(医学院)"},
		{"复旦大学（ ）", "复旦大学"},
		{"“上海”科技有限公司", "上海科技有限公司"},
		{"上海·浦东、张江科技公司", "上海浦东张江科技公司"},
		{"上海电气（集团）总公司", "上海电气集团总公司"},
		{"立信会计师事务所（特殊普通合伙）", "立信会计师事务所"},
		{"天健会计师事务所(特殊普通合伙)", "天健会计师事务所"},
		{"某某投资管理中心（有限合伙）", "某某投资管理中心"},
		{"ABC Co., Ltd.", "abccoltd"},
		{"ABC CO.,LTD", "abccoltd"},
		{"abc co ltd", "abccoltd"},
		{"ABC Company Limited", "abccoltd"},
		{"ABC Company Ltd.", "abccoltd"},
		{"ABC Co., Limited", "abccoltd"},
		{"ＡＢＣ　Ｃｏ．，Ｌｔｄ．", "abccoltd"},
		{"ABC Limited", "abcltd"},
		{"Acme Inc.", "acmeinc"},
		{"ACME, Incorporated", "acmeinc"},
		{"Acme Corporation", "acmecorp"},
		{"Acme Company", "acmeco"},
		{"Hewlett-Packard", "hewlettpackard"},
		{"Fudan University", "fudanuniversity"},
		{"FUDAN  UNIVERSITY ", "fudanuniversity"},
		{"Université Paris-Saclay", "universitéparissaclay"},
		{"上海市第一人民医院", "上海市第一人民医院"},
		{"", ""},
		{"  ", ""},
		{"((集团))", "集团"},
		// Unicode: compatibility forms and look-alikes fold to what they
		// look like.
		{"复旦\u2F24学", "复旦大学"},     // ⼤: the Kangxi radical BIG
		{"\u2F2F程大学", "工程大学"},     // ⼯: the Kangxi radical WORK
		{"\u2ED3江大学", "长江大学"},     // ⻓: a radical of the supplement, which NFKC leaves
		{"\u2ED4户网站", "门户网站"},     // ⻔
		{"北京\uF90A融学院", "北京金融学院"}, // a CJK compatibility ideograph
		{"Technical University of Munich", "technicaluniversityofmunich"},
		{"Technical University \u043Ef Munich", "technicaluniversityofmunich"}, // a Cyrillic о
		{"\u0422\u0435chnical University", "technicaluniversity"},              // Cyrillic Т and е
		{"\u0391\u0392C Co., Ltd.", "abccoltd"},                                // Greek Α and Β
		{"Universita\u0308t Wien", "universitätwien"},                          // a combining diaeresis
		{"Universität Wien", "universitätwien"},
		{"ABC\uFE35集团\uFE36", "abc集团"},    // vertical brackets
		{"\u3231", "(株)"},                 // ㈱
		{"\uFB01nance Ltd", "financeltd"}, // the ligature ﬁ
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := NormalizeInstitution(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeInstitution(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := NormalizeInstitution(got); again != got {
				t.Errorf("not idempotent: %q → %q → %q", tt.in, got, again)
			}
		})
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"王伟", "王伟"},
		{"王 伟", "王伟"},
		{"王　伟", "王伟"},
		{"约翰·史密斯", "约翰史密斯"},
		{"阿卜杜・热合曼", "阿卜杜热合曼"},
		{"Wang Wei", "wangwei"},
		{"WANG, Wei", "wangwei"},
		{"Ｗａｎｇ　Ｗｅｉ", "wangwei"},
		{"O'Brien", "obrien"},
		{"Jean-Luc Picard", "jeanlucpicard"},
		{"", ""},
		// Unicode.
		{"Anna M\u00FCller", "annamüller"},          // composed ü
		{"Anna Mu\u0308ller", "annamüller"},         // u + combining diaeresis (NFD)
		{"ＡＮＮＡ　ＭÜＬＬＥＲ", "annamüller"},               // full width
		{"\u0391nna M\u00FCller", "annamüller"},     // Greek capital alpha
		{"\u0410nna M\u00FCller", "annamüller"},     // Cyrillic capital a
		{"Ann\u0430 M\u00FCller", "annamüller"},     // Cyrillic small a
		{"\u738B\u2F08", "王人"},                      // the Kangxi radical MAN
		{"Zo\u0435", "zoe"},                         // Cyrillic е
		{"\u041A\u041E\u0422", "kot"},               // Cyrillic capitals and …
		{"\u043A\u043E\u0442", "kot"},               // … small letters compare alike
		{"\u0395\u03BB\u03AD\u03BD\u03B7", "eλέvn"}, // Ελένη: Greek look-alikes folded, the rest kept
		{"\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3", "oδyσσeyσ"},
		{"\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C2", "oδuσσeuσ"}, // final sigma is sigma
		{"I\u0131k", "iik"},                                              // dotless i
		{"\u0435\u0301", "é"},                                            // Cyrillic е with a combining acute composes with the Latin e it becomes
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := NormalizeName(tt.in)
			if got != tt.want {
				t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := NormalizeName(got); again != got {
				t.Errorf("not idempotent: %q → %q → %q", tt.in, got, again)
			}
		})
	}
	if NormalizeName("Wei Wang") == NormalizeName("Wang Wei") {
		t.Error("the order of a name's parts must count")
	}
}

func TestSameInstitution(t *testing.T) {
	rules := Rules{Aliases: map[string]string{
		"上海交大":                       "上海交通大学",
		"sjtu":                       "上海交通大学",
		"shanghaijiaotonguniversity": "上海交通大学",
		"复旦":                         "复旦大学",
		"中科院":                        "中国科学院",
	}}
	tests := []struct {
		a, b string
		want bool
	}{
		// Equal after normalising.
		{"复旦大学", "复旦大学", true},
		{"复旦大学", " 复旦　大学 ", true},
		{"ＡＢＣ　有限责任公司", "abc有限公司", true},
		{"ABC Co., Ltd.", "abc company limited", true},
		{"ABC Co., Ltd.", "ABC CO LTD", true},
		{"Acme Inc.", "ACME INC", true},
		{"立信会计师事务所（特殊普通合伙）", "立信会计师事务所", true},
		// Aliases.
		{"上海交大", "上海交通大学", true},
		{"SJTU", "上海交通大学", true},
		{"Shanghai Jiao Tong University", "上海交大", true},
		{"复旦", "复旦大学附属中山医院", true}, // alias, then the prefix rule
		{"中科院", "中国科学院上海有机化学研究所", true},
		// The prefix rule, at a type word.
		{"复旦大学", "复旦大学附属中山医院", true},
		{"复旦大学附属中山医院", "复旦大学", true},
		{"复旦大学化学系", "复旦大学", true},
		{"上海交通大学", "上海交通大学医学院附属瑞金医院", true},
		{"上海交通大学医学院", "上海交通大学医学院附属仁济医院", true},
		{"中国科学院", "中国科学院上海药物研究所", true},
		{"上海华谊（集团）公司", "上海华谊集团公司技术研究院", true},
		{"上海XX有限公司", "上海XX有限公司北京分公司", true},
		{"ABC Co., Ltd.", "ABC Co., Ltd. Beijing Branch", true},
		{"Fudan University", "Fudan University School of Medicine", true},
		// Not the same.
		{"上海大学", "上海交通大学", false},
		{"上海交通大学", "上海大学", false},
		{"复旦大学化学系", "复旦大学物理系", false},
		{"中国科学院上海有机化学研究所", "中国科学院上海药物研究所", false},
		{"上海交通大学医学院附属瑞金医院", "上海交通大学医学院附属仁济医院", false},
		{"上海交", "上海交通大学", false}, // a prefix, but not at a type word
		{"复旦大学附属", "复旦大学附属中山医院", false},
		{"大学", "大学城管理委员会", false}, // a type word alone is no institution
		{"ABC有限公司", "ABC股份有限公司", false},
		{"Acme Inc.", "Acme Ltd.", false},
		{"University of Shanghai", "University of Shanghai for Science and Technology", false},
		{"上海交大化学系", "上海交通大学", false}, // aliases name whole institutions
		// Unicode: the spellings a reader cannot tell apart are one.
		{"复旦\u2F24学", "复旦大学", true},
		{"复旦\u2F24学化学系", "复旦大学", true},
		{"\u2ED3江大学", "长江大学附属医院", true},
		{"Technical University \u043Ef Munich", "Technical University of Munich", true},
		{"Fudan Univ\u0435rsity", "FUDAN UNIVERSITY SCHOOL OF MEDICINE", true}, // a Cyrillic е, and the prefix rule
		{"Universita\u0308t Wien", "Universität Wien", true},
		{"\u0410BC Co., Ltd.", "ABC Company Limited", true},
		{"上海交\u2F24", "上海交通大学", true}, // the alias 上海交大, typed with the Kangxi radical
		{"Universitat Wien", "Universität Wien", false},
		{"", "", false},
		{"复旦大学", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			if got := SameInstitution(tt.a, tt.b, rules); got != tt.want {
				t.Errorf("SameInstitution(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := SameInstitution(tt.b, tt.a, rules); got != tt.want {
				t.Errorf("SameInstitution(%q, %q) = %v, want %v (not symmetric)", tt.b, tt.a, got, tt.want)
			}
			if got := NewChecker(rules).SameInstitution(tt.a, tt.b); got != tt.want {
				t.Errorf("Checker.SameInstitution(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestCanonicalAliases(t *testing.T) {
	tests := []struct {
		name    string
		aliases map[string]string
		in      string
		want    string
	}{
		{"none", nil, "上海 交大", "上海交大"},
		{"one", map[string]string{"上海交大": "上海交通大学"}, "上海　交大", "上海交通大学"},
		{"target normalised", map[string]string{"sjtu": "上海 交通 大学"}, "SJTU", "上海交通大学"},
		{"chain", map[string]string{"a大学": "b大学", "b大学": "c大学"}, "A大学", "c大学"},
		{"cycle", map[string]string{"b大学": "a大学", "a大学": "b大学"}, "b大学", "a大学"},
		{"cycle other end", map[string]string{"b大学": "a大学", "a大学": "b大学"}, "a大学", "a大学"},
		{"into a cycle", map[string]string{"x大学": "b大学", "b大学": "c大学", "c大学": "b大学"}, "x大学", "b大学"},
		{"self", map[string]string{"a大学": "a大学"}, "a大学", "a大学"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Rules{Aliases: tt.aliases}
			if got := r.Canonical(tt.in); got != tt.want {
				t.Errorf("Rules.Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := NewChecker(r).Canonical(tt.in); got != tt.want {
				t.Errorf("Checker.Canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	// The checker also normalises alias keys, which Rules.Canonical takes
	// as they are.
	c := NewChecker(Rules{Aliases: map[string]string{"上海 交大": "上海交通大学"}})
	if got := c.Canonical("上海交大"); got != "上海交通大学" {
		t.Errorf("Checker.Canonical with an unnormalised key = %q, want 上海交通大学", got)
	}
}

func TestBoundaryPrefixes(t *testing.T) {
	got := boundaryPrefixes(NormalizeInstitution("上海交通大学医学院附属瑞金医院"))
	want := []string{"上海交通大学", "上海交通大学医学院"}
	if len(got) != len(want) {
		t.Fatalf("boundaryPrefixes = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("boundaryPrefixes = %q, want %q", got, want)
		}
	}
}

// FuzzNormalize checks that normalising is idempotent and that the prefix
// rule agrees with boundaryPrefixes, which the index relies on.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"ＡＢＣ　有限责任公司", "复旦大学附属中山医院", "ABC Co., Ltd.", "x(a合伙)(普通合伙)", "((集团))", "Ⅻ Kelvin",
		"复旦\u2F24学", "\u2ED3江", "\u043E\u0301", "Mu\u0308ller", "\u0130stanbul", "\u01C5ivko", "\u03A5\u0308", "ﬁ\u0301", "\u1E9E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeInstitution(s)
		if again := NormalizeInstitution(n); again != n {
			t.Errorf("NormalizeInstitution not idempotent: %q → %q → %q", s, n, again)
		}
		m := NormalizeName(s)
		if again := NormalizeName(m); again != m {
			t.Errorf("NormalizeName not idempotent: %q → %q → %q", s, m, again)
		}
		for _, pre := range boundaryPrefixes(n) {
			if !sameCanonical(pre, n) {
				t.Errorf("boundary prefix %q of %q does not match it", pre, n)
			}
		}
	})
}

func TestHasLookalikes(t *testing.T) {
	for s, want := range map[string]bool{
		"复旦大学": false, "Anna M\u00FCller": false, `[{"name":"王伟","institution":"同济大学"}]`: false, "": false,
		"复旦\u2F24学": true, "\u2ED3江": true, "Anna Mu\u0308ller": true, "Technical University \u043Ef Munich": true,
		"ＡＢＣ": true, "\u0391nna": true,
	} {
		if got := HasLookalikes(s); got != want {
			t.Errorf("HasLookalikes(%q) = %v, want %v", s, got, want)
		}
	}
}

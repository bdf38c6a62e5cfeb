package assign

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// conflictProject is the project of the conflict tables: evaluated in
// 2025, led by 复旦大学 with two participants, a PI, and members with and
// without an institution.
func conflictProject() Project {
	return Project{
		ID:           42,
		Code:         "P-042",
		Class:        "basic_research",
		Lead:         "复旦大学",
		Participants: []string{"上海交通大学", "ABC Co., Ltd."},
		PI:           Person{Name: "王伟", Institution: "复旦大学"},
		Members: []Person{
			{Name: "李娜", Institution: "上海交通大学"},
			{Name: "陈静", Institution: "华东师范大学"},
			{Name: "Zhang San"},
		},
		AvoidExperts: []int64{9},
		SubjectCodes: []string{"520.20"},
	}
}

// reasonText compares reasons by code and detail; Key and Args say the same
// in data, tested in TestReasonArgs.
var reasonText = cmpopts.IgnoreFields(Reason{}, "Key", "Args")

var conflictRules = Rules{Year: 2025, Aliases: map[string]string{"上海交大": "上海交通大学"}}

func TestConflictRules(t *testing.T) {
	tests := []struct {
		name   string
		expert Expert
		want   []Reason
	}{
		{"no link", Expert{Name: "赵敏", Institution: "同济大学"}, nil},
		{"lead, spaces", Expert{Name: "赵敏", Institution: "复旦　大学"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦　大学 matches lead institution 复旦大学"}}},
		{"lead, a department", Expert{Name: "赵敏", Institution: "复旦大学化学系"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦大学化学系 matches lead institution 复旦大学"}}},
		{"lead, affiliated hospital", Expert{Name: "赵敏", Institution: "复旦大学附属中山医院"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦大学附属中山医院 matches lead institution 复旦大学"}}},
		{"participant by alias", Expert{Name: "赵敏", Institution: "上海交大"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 上海交大 matches participating institution 上海交通大学"}}},
		{"participant, company suffix and full width", Expert{Name: "赵敏", Institution: "ＡＢＣ　Company Limited"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution ＡＢＣ　Company Limited matches participating institution ABC Co., Ltd."}}},
		{"a similar name is another institution", Expert{Name: "赵敏", Institution: "上海大学"}, nil},
		{"member at another institution", Expert{Name: "陈 静", Institution: "华东师范大学"}, []Reason{
			{Code: ReasonMember, Detail: "expert 陈 静 (华东师范大学) matches project member 陈静 (华东师范大学)"}}},
		{"member, unit of the institution", Expert{Name: "陈静", Institution: "华东师范大学化学与分子工程学院"}, []Reason{
			{Code: ReasonMember, Detail: "expert 陈静 (华东师范大学化学与分子工程学院) matches project member 陈静 (华东师范大学)"}}},
		{"homonym elsewhere", Expert{Name: "陈静", Institution: "同济大学"}, nil},
		{"member without institution: the name decides", Expert{Name: "ZHANG SAN", Institution: "Tongji University"}, []Reason{
			{Code: ReasonMember, Detail: "expert ZHANG SAN (Tongji University) matches project member Zhang San"}}},
		{"expert without institution: the name decides", Expert{Name: "陈静"}, []Reason{
			{Code: ReasonMember, Detail: "expert 陈静 matches project member 陈静 (华东师范大学)"}}},
		{"PI: institution and member", Expert{Name: "王伟", Institution: "复旦大学"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦大学 matches lead institution 复旦大学"},
			{Code: ReasonMember, Detail: "expert 王伟 (复旦大学) matches principal investigator 王伟 (复旦大学)"}}},
		{"avoid list", Expert{ID: 9, Name: "赵敏", Institution: "同济大学"}, []Reason{
			{Code: ReasonAvoided, Detail: "expert is on the applicant's avoid list"}}},
		{"declared project, any year", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{ProjectID: 42, Year: 2015}}}, []Reason{
			{Code: ReasonDeclared, Detail: "declared conflict with project P-042"}}},
		{"declared other project", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{ProjectID: 43, Year: 2025}}}, nil},
		{"declared person, Year-3", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{Person: "王 伟", Year: 2022}}}, []Reason{
			{Code: ReasonDeclared, Detail: "declared conflict (2022) with 王 伟 matches principal investigator 王伟 (复旦大学)"}}},
		{"declared person, Year-4", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{Person: "王伟", Year: 2021}}}, nil},
		{"declared institution by alias", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{Institution: "上海交大", Year: 2024}}}, []Reason{
			{Code: ReasonDeclared, Detail: "declared conflict (2024) with 上海交大 matches participating institution 上海交通大学"}}},
		{"declared, undated", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{Person: "Zhang San"}}}, []Reason{
			{Code: ReasonDeclared, Detail: "declared conflict (undated) with Zhang San matches project member Zhang San"}}},
		{"joint paper with a member, Year-3", Expert{Name: "赵敏", Institution: "同济大学",
			Collaborations: []Collaboration{{Kind: "joint_paper", Person: "李娜", Year: 2022}}}, []Reason{
			{Code: ReasonCollaboration, Detail: "joint paper (2022) with 李娜 matches project member 李娜 (上海交通大学)"}}},
		{"joint paper with a member, Year-4", Expert{Name: "赵敏", Institution: "同济大学",
			Collaborations: []Collaboration{{Kind: "joint_paper", Person: "李娜", Year: 2021}}}, nil},
		{"joint project, Year+1 is not yet", Expert{Name: "赵敏", Institution: "同济大学",
			Collaborations: []Collaboration{{Kind: "joint_project", Person: "李娜", Year: 2026}}}, nil},
		{"joint project with a unit of the lead", Expert{Name: "赵敏", Institution: "同济大学",
			Collaborations: []Collaboration{{Kind: "joint_project", Institution: "复旦大学附属中山医院", Year: 2025}}}, []Reason{
			{Code: ReasonCollaboration, Detail: "joint project (2025) with 复旦大学附属中山医院 matches lead institution 复旦大学"}}},
		{"collaboration with someone else", Expert{Name: "赵敏", Institution: "同济大学",
			Collaborations: []Collaboration{{Kind: "joint_patent", Person: "刘洋", Institution: "同济大学", Year: 2025}}}, nil},
		{"every rule at once, each reason once", Expert{ID: 9, Name: "李娜", Institution: "上海交大",
			Declared: []DeclaredConflict{{ProjectID: 42}, {Person: "王伟", Institution: "复旦大学", Year: 2025}},
			Collaborations: []Collaboration{
				{Kind: "joint_award", Person: "陈静", Year: 2023},
				{Kind: "joint_award", Person: "陈静", Year: 2023},
			}}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 上海交大 matches participating institution 上海交通大学"},
			{Code: ReasonMember, Detail: "expert 李娜 (上海交大) matches project member 李娜 (上海交通大学)"},
			{Code: ReasonAvoided, Detail: "expert is on the applicant's avoid list"},
			{Code: ReasonDeclared, Detail: "declared conflict with project P-042"},
			{Code: ReasonDeclared, Detail: "declared conflict (2025) with 王伟 matches principal investigator 王伟 (复旦大学)"},
			{Code: ReasonDeclared, Detail: "declared conflict (2025) with 复旦大学 matches lead institution 复旦大学"},
			{Code: ReasonCollaboration, Detail: "joint award (2023) with 陈静 matches project member 陈静 (华东师范大学)"},
		}},
	}
	p := conflictProject()
	c := NewChecker(conflictRules)
	pool := make([]Expert, len(tests))
	want := map[int64][]Reason{}
	for i, tt := range tests {
		e := tt.expert
		if e.ID == 0 {
			e.ID = int64(100 + i)
		}
		e.Type, e.CanBeDrawn = DomainExpert, true
		pool[i] = e
		if tt.want != nil {
			want[e.ID] = tt.want
		}
		t.Run(tt.name, func(t *testing.T) {
			got := c.Conflicts(&p, &e)
			if diff := cmp.Diff(tt.want, got, reasonText); diff != "" {
				t.Errorf("Conflicts (-want +got):\n%s", diff)
			}
			for _, r := range got {
				if !r.IsConflict() {
					t.Errorf("reason %q is not a conflict", r.Code)
				}
			}
		})
	}
	// The index finds the same experts, with the same reasons, and no other.
	if diff := cmp.Diff(want, NewIndex(c, pool).Conflicts(&p), reasonText); diff != "" {
		t.Errorf("Index.Conflicts (-want +got):\n%s", diff)
	}
}

// The conflict rules see through spellings a reader cannot tell apart:
// Kangxi radicals and the radicals supplement for ideographs, Cyrillic and
// Greek letters for Latin ones, combining marks for composed letters, full
// width for ASCII. Each case holds a conflict that the plain spelling
// triggers too; the index finds the same.
func TestConflictRulesUnicode(t *testing.T) {
	p := Project{ID: 7, Code: "P-007", Class: "basic_research", Lead: "Technical University of Munich",
		Participants: []string{"复旦大学", "长江大学"},
		PI:           Person{Name: "Anna Müller", Institution: "Technical University of Munich"},
		Members:      []Person{{Name: "王伟", Institution: "复旦大学"}}}
	const (
		kangxiBig   = "\u2F24"       // ⼤, the Kangxi radical BIG
		cyrillicO   = "\u043E"       // о
		diaeresis   = "\u0308"       // combining, for NFD
		radicalLong = "\u2ED3"       // ⻓, CJK radical C-SIMPLIFIED LONG
		greekAlpha  = "\u0391"       // Α
		kangxiMan   = "\u738B\u2F08" // 王⼈, not 王伟
	)
	tests := []struct {
		name   string
		expert Expert
		want   []Reason
	}{
		{"participant with a Kangxi radical", Expert{Name: "赵敏", Institution: "复旦" + kangxiBig + "学"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦" + kangxiBig + "学 matches participating institution 复旦大学"}}},
		{"a unit of it", Expert{Name: "赵敏", Institution: "复旦" + kangxiBig + "学化学系"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦" + kangxiBig + "学化学系 matches participating institution 复旦大学"}}},
		{"participant with a radical of the supplement", Expert{Name: "赵敏", Institution: radicalLong + "江大学"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution " + radicalLong + "江大学 matches participating institution 长江大学"}}},
		{"lead with a Cyrillic o", Expert{Name: "Li Na", Institution: "Technical University " + cyrillicO + "f Munich"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution Technical University " + cyrillicO + "f Munich matches lead institution Technical University of Munich"}}},
		{"lead in full width", Expert{Name: "Li Na", Institution: "ＴＥＣＨＮＩＣＡＬ　ＵＮＩＶＥＲＳＩＴＹ　ＯＦ　ＭＵＮＩＣＨ"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution ＴＥＣＨＮＩＣＡＬ　ＵＮＩＶＥＲＳＩＴＹ　ＯＦ　ＭＵＮＩＣＨ matches lead institution Technical University of Munich"}}},
		{"the PI in NFD, without an institution", Expert{Name: "Anna Mu" + diaeresis + "ller"}, []Reason{
			{Code: ReasonMember, Detail: "expert Anna Mu" + diaeresis + "ller matches principal investigator Anna Müller (Technical University of Munich)"}}},
		{"the PI with a Greek capital, elsewhere", Expert{Name: greekAlpha + "nna Müller", Institution: "ETH Zürich"}, nil},
		{"the PI with a Greek capital, at a unit of her institution", Expert{Name: greekAlpha + "nna Müller",
			Institution: "Technical University " + cyrillicO + "f Munich"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution Technical University " + cyrillicO + "f Munich matches lead institution Technical University of Munich"},
			{Code: ReasonMember, Detail: "expert " + greekAlpha + "nna Müller (Technical University " + cyrillicO + "f Munich) matches principal investigator Anna Müller (Technical University of Munich)"}}},
		{"declared with the PI in NFD", Expert{Name: "赵敏", Institution: "同济大学",
			Declared: []DeclaredConflict{{Person: "ANNA MU" + diaeresis + "LLER", Year: 2025}}}, []Reason{
			{Code: ReasonDeclared, Detail: "declared conflict (2025) with ANNA MU" + diaeresis + "LLER matches principal investigator Anna Müller (Technical University of Munich)"}}},
		{"collaboration with a Kangxi radical", Expert{Name: "赵敏", Institution: "同济大学",
			Collaborations: []Collaboration{{Kind: "joint_paper", Institution: "复旦" + kangxiBig + "学附属中山医院", Year: 2024}}}, []Reason{
			{Code: ReasonCollaboration, Detail: "joint paper (2024) with 复旦" + kangxiBig + "学附属中山医院 matches participating institution 复旦大学"}}},
		// Spellings that differ for a reader stay different.
		{"another name", Expert{Name: "Anna Muller"}, nil},
		{"another person", Expert{Name: kangxiMan, Institution: "复旦大学物理系"}, []Reason{
			{Code: ReasonInstitution, Detail: "expert institution 复旦大学物理系 matches participating institution 复旦大学"}}},
		{"another university", Expert{Name: "Li Na", Institution: "Technical University of Berlin"}, nil},
	}
	c := NewChecker(Rules{Year: 2025})
	pool := make([]Expert, len(tests))
	want := map[int64][]Reason{}
	for i, tt := range tests {
		e := tt.expert
		e.ID, e.Type, e.CanBeDrawn = int64(100+i), DomainExpert, true
		pool[i] = e
		if tt.want != nil {
			want[e.ID] = tt.want
		}
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, c.Conflicts(&p, &e), reasonText); diff != "" {
				t.Errorf("Conflicts (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(want, NewIndex(c, pool).Conflicts(&p), reasonText); diff != "" {
		t.Errorf("Index.Conflicts (-want +got):\n%s", diff)
	}
}

func TestConflictWindow(t *testing.T) {
	p := conflictProject()
	for _, tt := range []struct {
		window, year int
		want         bool
	}{
		{0, 2022, true}, {0, 2021, false}, // 0 means 3
		{3, 2022, true}, {3, 2021, false},
		{5, 2020, true}, {5, 2019, false},
		{1, 2025, true}, {1, 2024, true}, {1, 2023, false}, {1, 2026, false},
	} {
		c := NewChecker(Rules{Year: 2025, Window: tt.window})
		e := Expert{ID: 1, Name: "赵敏", Collaborations: []Collaboration{{Kind: "joint_paper", Person: "王伟", Year: tt.year}}}
		if got := len(c.Conflicts(&p, &e)) > 0; got != tt.want {
			t.Errorf("window %d, collaboration in %d: conflict = %v, want %v", tt.window, tt.year, got, tt.want)
		}
	}
}

func TestEligibility(t *testing.T) {
	p := conflictProject() // subject 520.20
	base := Expert{ID: 1, Name: "赵敏", Type: DomainExpert, CanBeDrawn: true, SubjectCodes: []string{"520.40"}}
	caps := Caps{Campaign: 8, Year: 10, RequireSubject: true}
	tests := []struct {
		name     string
		edit     func(e *Expert, p *Project, c *Caps)
		projects int
		want     []Reason
	}{
		{"eligible, same discipline", func(*Expert, *Project, *Caps) {}, 1, nil},
		{"not drawable", func(e *Expert, _ *Project, _ *Caps) { e.CanBeDrawn = false }, 1,
			[]Reason{{Code: ReasonNotDrawable, Detail: "can-be-drawn flag is off"}}},
		{"campaign load at the cap after this one", func(e *Expert, _ *Project, _ *Caps) { e.LoadCampaign = 7 }, 1, nil},
		{"campaign load over the cap", func(e *Expert, _ *Project, _ *Caps) { e.LoadCampaign = 8 }, 1,
			[]Reason{{Code: ReasonLoadCampaign, Detail: "campaign load 8 + 1 > cap 8"}}},
		{"campaign load over the cap with a group", func(e *Expert, _ *Project, _ *Caps) { e.LoadCampaign = 6 }, 3,
			[]Reason{{Code: ReasonLoadCampaign, Detail: "campaign load 6 + 3 > cap 8"}}},
		{"year load over the cap", func(e *Expert, _ *Project, _ *Caps) { e.LoadYear = 10 }, 1,
			[]Reason{{Code: ReasonLoadYear, Detail: "year load 10 + 1 > cap 10"}}},
		{"no cap", func(e *Expert, _ *Project, c *Caps) { e.LoadCampaign, e.LoadYear, c.Campaign, c.Year = 50, 50, 0, 0 }, 1, nil},
		{"exact code", func(e *Expert, _ *Project, _ *Caps) { e.SubjectCodes = []string{"520.20"} }, 1, nil},
		{"first level only", func(e *Expert, _ *Project, _ *Caps) { e.SubjectCodes = []string{"520"} }, 1, nil},
		{"one of several", func(e *Expert, _ *Project, _ *Caps) { e.SubjectCodes = []string{"110.10", "５２０．６０"} }, 1, nil},
		{"other discipline", func(e *Expert, _ *Project, _ *Caps) { e.SubjectCodes = []string{"530.10", "110"} }, 1,
			[]Reason{{Code: ReasonSubject, Detail: "no subject code in common: expert 530.10, 110, project 520.20"}}},
		{"codes that are not GB/T must be equal", func(e *Expert, p *Project, _ *Caps) {
			e.SubjectCodes, p.SubjectCodes = []string{"F0201"}, []string{"F0202"}
		}, 1, []Reason{{Code: ReasonSubject, Detail: "no subject code in common: expert F0201, project F0202"}}},
		{"codes that are not GB/T, equal", func(e *Expert, p *Project, _ *Caps) {
			e.SubjectCodes, p.SubjectCodes = []string{"f02.01"}, []string{"F0201"}
		}, 1, nil},
		{"expert without codes", func(e *Expert, _ *Project, _ *Caps) { e.SubjectCodes = nil }, 1,
			[]Reason{{Code: ReasonSubject, Detail: "expert has no subject code"}}},
		{"project without codes", func(_ *Expert, p *Project, _ *Caps) { p.SubjectCodes = nil }, 1,
			[]Reason{{Code: ReasonSubject, Detail: "project has no subject code"}}},
		{"subject not required", func(e *Expert, _ *Project, c *Caps) { e.SubjectCodes, c.RequireSubject = nil, false }, 1, nil},
		{"finance experts need no subject", func(e *Expert, _ *Project, _ *Caps) { e.Type, e.SubjectCodes = FinanceExpert, []string{"790.23"} }, 1, nil},
		{"all at once", func(e *Expert, _ *Project, _ *Caps) {
			e.CanBeDrawn, e.LoadCampaign, e.LoadYear, e.SubjectCodes = false, 8, 10, []string{"630"}
		}, 1, []Reason{
			{Code: ReasonNotDrawable, Detail: "can-be-drawn flag is off"},
			{Code: ReasonLoadCampaign, Detail: "campaign load 8 + 1 > cap 8"},
			{Code: ReasonLoadYear, Detail: "year load 10 + 1 > cap 10"},
			{Code: ReasonSubject, Detail: "no subject code in common: expert 630, project 520.20"},
		}},
	}
	c := NewChecker(conflictRules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, p, caps := base, p, caps
			e.SubjectCodes = append([]string(nil), base.SubjectCodes...)
			tt.edit(&e, &p, &caps)
			got := c.Eligibility(&p, &e, caps, tt.projects)
			if diff := cmp.Diff(tt.want, got, reasonText); diff != "" {
				t.Errorf("Eligibility (-want +got):\n%s", diff)
			}
			for _, r := range got {
				if r.IsConflict() {
					t.Errorf("reason %q counted as a conflict", r.Code)
				}
			}
		})
	}
}

// TestReasonArgs: each reason carries its detail as a key and values, so
// that the interface can say it in the user's language.
func TestReasonArgs(t *testing.T) {
	c := NewChecker(Rules{Year: 2025})
	p := &Project{ID: 1, Code: "P-1", Lead: "复旦大学", PI: Person{Name: "王伟", Institution: "复旦大学"}, SubjectCodes: []string{"140.30"}}
	e := &Expert{ID: 2, Name: "李娜", Institution: "复旦大学化学系", SubjectCodes: []string{"520.20"},
		Collaborations: []Collaboration{{Kind: "joint_paper", Person: "王伟", Year: 2024}}}
	got := append(c.Conflicts(p, e), c.Eligibility(p, e, Caps{Campaign: 1, RequireSubject: true}, 1)...)
	want := []Reason{
		{Code: ReasonInstitution, Key: "institution", Args: map[string]string{"expert_institution": "复旦大学化学系", "role": "lead", "institution": "复旦大学"}},
		{Code: ReasonCollaboration, Key: "record_person", Args: map[string]string{"what": "joint_paper", "year": "2024", "with": "王伟", "role": "pi", "matched": "王伟 (复旦大学)"}},
		{Code: ReasonNotDrawable, Key: "not_drawable"},
		{Code: ReasonSubject, Key: "subject_mismatch", Args: map[string]string{"expert": "520.20", "project": "140.30"}},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Reason{}, "Detail")); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
}

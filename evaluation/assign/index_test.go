package assign

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Small vocabularies, so that random instances are full of collisions:
// the same institution spelt differently, units of one institution, look-
// alikes that are other institutions, homonyms.
var (
	vocabInstitutions = []string{
		"复旦大学", "上海交通大学", "上海交大", "SJTU", "上海大学", "同济大学", "中国科学院",
		"中国科学院上海药物研究所", "中国科学院上海有机化学研究所", "ABC Co., Ltd.", "abc有限责任公司",
		"ABC Company Limited", "上海华谊（集团）公司", "立信会计师事务所（特殊普通合伙）", "Fudan University",
	}
	vocabUnits = []string{"", "", "", "化学系", "附属中山医院", "医学院", "医学院附属瑞金医院", "北京分公司", "附属", " School of Medicine"}
	vocabNames = []string{"王伟", "王 伟", "Ｗａｎｇ　Ｗｅｉ", "wang wei", "李娜", "陈静", "陈 静", "Zhang San", "ZHANG SAN", "刘洋", "张三"}
	vocabKinds = []string{"joint_project", "joint_paper", "joint_patent", "joint_award"}
)

// fullWidth spells the ASCII of s in full-width forms, as some imports do.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ':
			return '\u3000'
		case r > ' ' && r <= '~':
			return r + 0xFEE0
		}
		return r
	}, s)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randomInstitution(r *rand.Rand) string {
	if r.IntN(10) == 0 {
		return ""
	}
	s := pick(r, vocabInstitutions) + pick(r, vocabUnits)
	switch r.IntN(6) {
	case 0:
		s = fullWidth(s)
	case 1:
		s = " " + strings.ToUpper(s) + "　"
	case 2:
		s = strings.ReplaceAll(s, "（", "【")
	}
	return s
}

func randomName(r *rand.Rand) string {
	if r.IntN(20) == 0 {
		return ""
	}
	return pick(r, vocabNames)
}

func randomYear(r *rand.Rand) int {
	if r.IntN(8) == 0 {
		return 0
	}
	return 2018 + r.IntN(10) // 2018 … 2027 around Year 2025
}

// randomConflictCase makes a pool of n experts with ids 1…n and projects
// with ids 1…5 from the vocabularies.
func randomConflictCase(r *rand.Rand, n, projects int) (Rules, []Project, []Expert) {
	rules := Rules{Year: 2025, Window: r.IntN(5)}
	if r.IntN(2) == 0 {
		rules.Aliases = map[string]string{"上海交大": "上海交通大学", "sjtu": "上海交通大学", "fudanuniversity": "复旦大学"}
	}
	pool := make([]Expert, n)
	for i := range pool {
		e := Expert{ID: int64(i + 1), Name: randomName(r), Type: DomainExpert, Institution: randomInstitution(r), CanBeDrawn: true}
		for range r.IntN(3) {
			d := DeclaredConflict{Year: randomYear(r)}
			switch r.IntN(3) {
			case 0:
				d.ProjectID = int64(r.IntN(6))
			case 1:
				d.Person = randomName(r)
			default:
				d.Institution = randomInstitution(r)
			}
			e.Declared = append(e.Declared, d)
		}
		for range r.IntN(4) {
			c := Collaboration{Kind: pick(r, vocabKinds), Year: randomYear(r)}
			if r.IntN(2) == 0 {
				c.Person = randomName(r)
			} else {
				c.Institution = randomInstitution(r)
			}
			e.Collaborations = append(e.Collaborations, c)
		}
		pool[i] = e
	}
	ps := make([]Project, projects)
	for i := range ps {
		p := Project{ID: int64(i + 1), Code: fmt.Sprintf("P-%d", i+1), Lead: randomInstitution(r),
			PI: Person{Name: randomName(r), Institution: randomInstitution(r)}}
		for range r.IntN(3) {
			p.Participants = append(p.Participants, randomInstitution(r))
		}
		for range r.IntN(4) {
			p.Members = append(p.Members, Person{Name: randomName(r), Institution: randomInstitution(r)})
		}
		for range r.IntN(3) {
			p.AvoidExperts = append(p.AvoidExperts, int64(r.IntN(n+2)))
		}
		ps[i] = p
	}
	return rules, ps, pool
}

// naiveConflicts is the pairwise loop the index must agree with.
func naiveConflicts(c *Checker, p *Project, pool []Expert) map[int64][]Reason {
	out := map[int64][]Reason{}
	for i := range pool {
		if rs := c.Conflicts(p, &pool[i]); len(rs) > 0 {
			out[pool[i].ID] = rs
		}
	}
	return out
}

func TestIndexMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	conflicted, total := 0, 0
	for inst := range 200 {
		rules, projects, pool := randomConflictCase(r, 30, 5)
		c := NewChecker(rules)
		ix := NewIndex(c, pool)
		for i := range projects {
			p := &projects[i]
			want := naiveConflicts(c, p, pool)
			got := ix.Conflicts(p)
			if diff := cmp.Diff(want, got, reasonText); diff != "" {
				t.Fatalf("instance %d, project %+v: (-naive +index)\n%s", inst, *p, diff)
			}
			conflicted += len(want)
			total += len(pool)
		}
	}
	// The instances must exercise the rules, and not exclude everybody.
	if conflicted < total/10 || conflicted > total*9/10 {
		t.Errorf("%d of %d pairs conflict: the instances are not useful", conflicted, total)
	}
}

func TestIndexPrunes(t *testing.T) {
	c := NewChecker(conflictRules)
	pool := []Expert{
		{ID: 1, Name: "赵敏", Institution: "同济大学"},
		{ID: 2, Name: "钱七", Institution: "复旦大学化学系"},
		{ID: 3, Name: "孙八", Institution: "华东理工大学", Collaborations: []Collaboration{{Person: "王伟", Year: 2010}}},
		{ID: 4, Name: "李娜", Institution: "同济大学"},
	}
	ix := NewIndex(c, pool)
	p := conflictProject()
	var ids []int64
	for _, i := range ix.candidates(c.prepareProject(&p)) {
		ids = append(ids, ix.experts[i].e.ID)
	}
	// 2 by the prefix rule, 4 by name (a homonym: checked, then cleared);
	// 1 and 3 (an old collaboration) are never looked at.
	if want := []int64{2, 4}; !reflect.DeepEqual(ids, want) {
		t.Errorf("candidates = %v, want %v", ids, want)
	}
	if got := ix.Conflicts(&p); len(got) != 1 || got[2] == nil {
		t.Errorf("Conflicts = %v, want expert 2 only", got)
	}
}

// TestIndexConcurrent runs under -race in CI: an Index serves many
// requests at once.
func TestIndexConcurrent(t *testing.T) {
	rules, projects, pool := randomConflictCase(rand.New(rand.NewPCG(5, 6)), 60, 8)
	c := NewChecker(rules)
	ix := NewIndex(c, pool)
	want := make([]map[int64][]Reason, len(projects))
	for i := range projects {
		want[i] = naiveConflicts(c, &projects[i], pool)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(projects))
	for range 4 {
		wg.Go(func() {
			for i := range projects {
				if !reflect.DeepEqual(ix.Conflicts(&projects[i]), want[i]) {
					errs <- projects[i].Code
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for code := range errs {
		t.Errorf("project %s: concurrent Conflicts differ", code)
	}
}

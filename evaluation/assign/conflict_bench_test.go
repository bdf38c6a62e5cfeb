package assign

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

// synthCampaign builds a realistic large instance quickly: about 2,000
// institutions (universities with their schools, departments and
// affiliated hospitals, academy institutes, hospitals, companies, a few
// spelt with spaces, full-width brackets or 有限责任公司), experts with
// Chinese names drawn with common surnames weighted up (so homonyms
// happen), collaborations and declared conflicts over the last ten years,
// and projects led by those institutions with participants, a PI, members
// and avoid lists.
func synthCampaign(nProjects, nExperts int) (Rules, []Project, []Expert) {
	r := rand.New(rand.NewPCG(2025, 11))
	cities := []string{"上海", "北京", "南京", "杭州", "武汉", "广州", "成都", "西安", "天津", "合肥", "苏州", "长沙",
		"重庆", "济南", "青岛", "厦门", "大连", "沈阳", "哈尔滨", "长春", "郑州", "福州", "昆明", "兰州"}
	kinds := []string{"大学", "理工大学", "师范大学", "医科大学", "交通大学", "财经大学"}
	units := []string{"化学系", "物理学院", "医学院", "计算机科学与技术学院", "材料科学与工程学院", "生命科学学院",
		"医学院附属第一医院", "附属中山医院", "电子信息与电气工程学院"}
	fields := []string{"有机化学", "药物", "硅酸盐", "光学精密机械", "微系统与信息技术", "营养与健康", "技术物理", "应用物理",
		"生物化学与细胞生物学", "神经科学", "高等研究", "天文", "植物生理生态", "应用数学"}
	chars := []rune("华信恒达科瑞新能智联创源海晨光泰康明远宏博通美嘉盛安德天宇力维欣立中鑫")
	var tops, insts []string // tops: legal entities that lead projects; insts: where experts work
	for _, c := range cities {
		for _, k := range kinds {
			u := c + k
			tops = append(tops, u)
			insts = append(insts, u)
			for _, un := range units {
				insts = append(insts, u+un)
			}
		}
	}
	for _, c := range cities {
		for _, f := range fields[:4] {
			s := "中国科学院" + c + f + "研究所"
			tops, insts = append(tops, s), append(insts, s)
		}
		for n := 1; n <= 6; n++ {
			s := fmt.Sprintf("%s市第%d人民医院", c, n)
			tops, insts = append(tops, s), append(insts, s)
		}
	}
	for len(insts) < 2000 {
		s := cities[r.IntN(len(cities))] + string(chars[r.IntN(len(chars))]) + string(chars[r.IntN(len(chars))]) + "科技有限公司"
		tops, insts = append(tops, s), append(insts, s)
	}
	variant := func(s string) string {
		switch r.IntN(40) {
		case 0:
			rs := []rune(s)
			return string(rs[:len(rs)/2]) + " " + string(rs[len(rs)/2:])
		case 1:
			return strings.Replace(s, "有限公司", "有限责任公司", 1)
		case 2:
			return "　" + s
		}
		return s
	}
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红文辉鹏飞斌宇浩凯秀梅琳婷雪晨阳鑫志海峰波宁")
	name := func() string {
		// The first 20 surnames cover half the people, as in China.
		s := surnames[r.IntN(20)]
		if r.IntN(2) == 0 {
			s = surnames[r.IntN(len(surnames))]
		}
		g := string(given[r.IntN(len(given))])
		if r.IntN(3) > 0 {
			g += string(given[r.IntN(len(given))])
		}
		return string(s) + g
	}
	year := func() int { return 2016 + r.IntN(10) }
	types := []string{DomainExpert, DomainExpert, DomainExpert, StrategicScientist, InternationalPeer, Investor, Entrepreneur, FinanceExpert}
	pool := make([]Expert, nExperts)
	for i := range pool {
		e := Expert{ID: int64(i + 1), Name: name(), Type: types[r.IntN(len(types))], Institution: variant(insts[r.IntN(len(insts))]),
			Region: "local", CanBeDrawn: true, SubjectCodes: []string{fmt.Sprintf("%d.%d", 410+10*r.IntN(30), 10*r.IntN(6))}}
		for range r.IntN(5) {
			c := Collaboration{Kind: "joint_paper", Year: year()}
			if r.IntN(2) == 0 {
				c.Person = name()
			} else {
				c.Kind, c.Institution = "joint_project", insts[r.IntN(len(insts))]
			}
			e.Collaborations = append(e.Collaborations, c)
		}
		if r.IntN(10) == 0 {
			d := DeclaredConflict{Year: year()}
			switch r.IntN(3) {
			case 0:
				d.ProjectID = int64(1 + r.IntN(nProjects))
			case 1:
				d.Person = name()
			default:
				d.Institution = tops[r.IntN(len(tops))]
			}
			e.Declared = append(e.Declared, d)
		}
		pool[i] = e
	}
	projects := make([]Project, nProjects)
	for i := range projects {
		lead := tops[r.IntN(len(tops))]
		p := Project{ID: int64(i + 1), Code: fmt.Sprintf("SH2025-%05d", i+1), Class: "basic_research", Lead: variant(lead),
			PI: Person{Name: name(), Institution: lead}, SubjectCodes: []string{"520.20"}}
		for range r.IntN(4) {
			p.Participants = append(p.Participants, tops[r.IntN(len(tops))])
		}
		for range 3 + r.IntN(6) {
			inst := lead
			if len(p.Participants) > 0 && r.IntN(2) == 0 {
				inst = p.Participants[r.IntN(len(p.Participants))]
			}
			p.Members = append(p.Members, Person{Name: name(), Institution: inst})
		}
		for range r.IntN(3) {
			p.AvoidExperts = append(p.AvoidExperts, int64(1+r.IntN(nExperts)))
		}
		projects[i] = p
	}
	return Rules{Year: 2025, Aliases: map[string]string{"上海交大": "上海交通大学"}}, projects, pool
}

// BenchmarkConflicts times the conflict check of 5,000 projects against a
// pool of 20,000 experts through the Index (building it included), and
// compares the time per project with the naive pairwise loop over
// Checker.Conflicts on the first 100 projects. "speedup" is naive ÷
// indexed; "speedup-prepared" compares with a naive loop that normalises
// every name only once, which isolates what the index itself brings.
func BenchmarkConflicts(b *testing.B) {
	const nProjects, nExperts, nNaive = 5000, 20000, 100
	rules, projects, pool := synthCampaign(nProjects, nExperts)
	c := NewChecker(rules)
	var ix *Index
	conflicts := 0
	for b.Loop() {
		ix = NewIndex(c, pool)
		conflicts = 0
		for i := range projects {
			conflicts += len(ix.Conflicts(&projects[i]))
		}
	}
	b.StopTimer()

	start := time.Now()
	built := NewIndex(c, pool)
	build := time.Since(start)
	start = time.Now()
	for i := range projects {
		built.Conflicts(&projects[i])
	}
	indexed := time.Since(start) / nProjects

	start = time.Now()
	naive := make([]map[int64][]Reason, nNaive)
	for i := range naive {
		naive[i] = naiveConflicts(c, &projects[i], pool)
	}
	perNaive := time.Since(start) / nNaive

	eks := make([]expertKeys, len(pool))
	for i := range pool {
		eks[i] = c.prepareExpert(&pool[i])
	}
	start = time.Now()
	for i := range nNaive {
		pk := c.prepareProject(&projects[i])
		for j := range eks {
			c.conflicts(pk, &eks[j])
		}
	}
	perPrepared := time.Since(start) / nNaive

	// A benchmark that can fail: both ways find the same conflicts.
	for i := range naive {
		if got := ix.Conflicts(&projects[i]); !reflect.DeepEqual(got, naive[i]) {
			b.Fatalf("project %s: index and naive loop differ", projects[i].Code)
		}
	}
	speedup := float64(perNaive) / float64(indexed)
	prepared := float64(perPrepared) / float64(indexed)
	b.ReportMetric(float64(indexed.Nanoseconds()), "ns/project-indexed")
	b.ReportMetric(float64(perNaive.Nanoseconds()), "ns/project-naive")
	b.ReportMetric(speedup, "speedup")
	b.ReportMetric(prepared, "speedup-prepared")
	b.Logf("%d projects × %d experts: index built in %v; %v per project indexed, %v naive (%d projects), %v naive with names normalised once; speed-up %.0f× (%.0f× over the prepared loop); %d conflicting pairs (%.1f per project)",
		nProjects, nExperts, build.Round(time.Millisecond), indexed, perNaive, nNaive, perPrepared, speedup, prepared, conflicts, float64(conflicts)/nProjects)
}

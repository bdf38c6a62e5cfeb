// Package rubrics is the scoring rubric (评价指标体系) of a classified
// evaluation: its model, the default rubrics, rubric validation, and the
// checking and totalling of score sheets. It does no I/O.
package rubrics

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
)

// Target is what a rubric scores: a project class, or the finance track.
type Target string

// The targets. Basic research is judged on originality and scientific
// value, applied technology on breakthroughs and industrial contribution,
// the finance track on the use of funds.
const (
	BasicResearch     Target = "basic_research"     // 基础研究类
	AppliedTechnology Target = "applied_technology" // 应用技术类
	Finance           Target = "finance"            // 财务评价
)

// Targets lists the targets in display order.
var Targets = []Target{BasicResearch, AppliedTechnology, Finance}

// Valid reports whether t is one of Targets.
func (t Target) Valid() bool {
	return slices.Contains(Targets, t)
}

// Kind says what an indicator judges. The kinds Title, Honour, PaperCount
// and Award exist only so that rubric validation can refuse them: the 2021
// guidance on S&T evaluation (破四唯) forbids scoring titles, honours, paper
// counts or awards as such.
type Kind string

// Indicator kinds.
const (
	KindObjectives Kind = "objectives" // 目标与考核指标完成
	KindInnovation Kind = "innovation" // 原创性、技术突破
	KindValue      Kind = "value"      // 科学价值、应用价值
	KindImpact     Kind = "impact"     // 产业贡献、转化应用、示范
	KindTalent     Kind = "talent"     // 团队与人才培养
	KindManagement Kind = "management" // 经费与项目管理
	KindFunds      Kind = "funds"      // 财务：资金到位、预算执行、合规
	KindOther      Kind = "other"

	KindTitle      Kind = "title"       // 职称、头衔 — refused
	KindHonour     Kind = "honour"      // 荣誉称号 — refused
	KindPaperCount Kind = "paper_count" // 论文数量 — refused
	KindAward      Kind = "award"       // 奖项 — refused
)

// Kinds lists the kinds a rubric may use.
var Kinds = []Kind{KindObjectives, KindInnovation, KindValue, KindImpact, KindTalent, KindManagement, KindFunds, KindOther}

// ForbiddenKinds lists the kinds rubric validation refuses.
var ForbiddenKinds = []Kind{KindTitle, KindHonour, KindPaperCount, KindAward}

// Text is a text in both interface languages.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// In returns the text in lang ("en" or anything else for Chinese), falling
// back to the other language when one is missing.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	if t.ZH == "" {
		return t.EN
	}
	return t.ZH
}

// Level is an anchored level descriptor (评分档次): the score range it
// covers and what a project in that range looks like.
type Level struct {
	Min  Points `json:"min"`
	Max  Points `json:"max"`
	Text Text   `json:"text"`
}

// Indicator is one scored criterion (评价指标).
type Indicator struct {
	Code string `json:"code"`
	Name Text   `json:"name"`
	Kind Kind   `json:"kind"`
	Max  Points `json:"max"`
	// Threshold, when set, is the minimum the panel mean must reach for the
	// project to pass, whatever its total.
	Threshold *Points `json:"threshold,omitempty"`
	Guidance  Text    `json:"guidance"`
	Levels    []Level `json:"levels"`
}

// Veto is a veto item (一票否决项).
type Veto struct {
	Code string `json:"code"`
	Text Text   `json:"text"`
}

// Grade is a grade band's name.
type Grade string

// The grades (evaluation/README.md §3.8).
const (
	Excellent Grade = "excellent" // 优秀
	Good      Grade = "good"      // 良好
	Pass      Grade = "pass"      // 合格
	Fail      Grade = "fail"      // 不合格
)

// Band is a grade band: totals at or above Min (and below the next band's
// Min) get the grade.
type Band struct {
	Grade Grade  `json:"grade"`
	Min   Points `json:"min"`
	Name  Text   `json:"name"`
}

// Rubric is a versioned rubric. Its content (everything but Version) is
// what a content hash covers and what a published version freezes.
type Rubric struct {
	Code       string      `json:"code"`
	Target     Target      `json:"target"`
	Version    int         `json:"version"`
	Name       Text        `json:"name"`
	Guidance   Text        `json:"guidance"`
	Indicators []Indicator `json:"indicators"`
	Vetoes     []Veto      `json:"vetoes"`
	Bands      []Band      `json:"bands"`
	PassLine   Points      `json:"pass_line"`
}

// Total is the sum of the indicators' maximum points.
func (r *Rubric) Total() Points {
	var t Points
	for _, in := range r.Indicators {
		t += in.Max
	}
	return t
}

// Indicator returns the indicator with the code.
func (r *Rubric) Indicator(code string) (*Indicator, bool) {
	for i := range r.Indicators {
		if r.Indicators[i].Code == code {
			return &r.Indicators[i], true
		}
	}
	return nil, false
}

// Veto returns the veto item with the code.
func (r *Rubric) Veto(code string) (*Veto, bool) {
	for i := range r.Vetoes {
		if r.Vetoes[i].Code == code {
			return &r.Vetoes[i], true
		}
	}
	return nil, false
}

// Grade returns the band a total falls in.
func (r *Rubric) Grade(total Points) Band {
	for _, b := range r.Bands {
		if total >= b.Min {
			return b
		}
	}
	if len(r.Bands) > 0 {
		return r.Bands[len(r.Bands)-1]
	}
	return Band{Grade: Fail}
}

// Hash is the hex SHA-256 of the rubric's canonical JSON with the version
// left out, so that two versions with the same content hash alike.
func (r *Rubric) Hash() string {
	c := *r
	c.Version = 0
	// Marshalling cannot fail: a rubric is strings, integers, slices and
	// Points, whose MarshalJSON never returns an error.
	b, err := json.Marshal(c)
	if err != nil {
		panic("rubrics: marshal rubric: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Clone returns a deep copy: no slice or pointer of the copy is shared
// with r.
func (r *Rubric) Clone() *Rubric {
	c := *r
	c.Indicators = slices.Clone(r.Indicators)
	for i := range c.Indicators {
		in := &c.Indicators[i]
		in.Levels = slices.Clone(in.Levels)
		if in.Threshold != nil {
			t := *in.Threshold
			in.Threshold = &t
		}
	}
	c.Vetoes = slices.Clone(r.Vetoes)
	c.Bands = slices.Clone(r.Bands)
	return &c
}

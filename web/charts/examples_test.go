package charts

import (
	"math"
)

// The examples are what the results pages would pass, in both languages:
// the golden files are drawn from them and the data checks run over them.

// rng is a small fixed generator (64-bit LCG), so the examples do not
// depend on math/rand's algorithms staying the same.
type rng uint64

func (r *rng) float() float64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return float64(uint64(*r)>>11) / (1 << 53)
}

// normal is a standard normal draw (Box–Muller).
func (r *rng) normal() float64 {
	u, v := r.float(), r.float()
	return math.Sqrt(-2*math.Log(1-u)) * math.Cos(2*math.Pi*v)
}

// scores are n panel scores on 0–100, mostly between 60 and 90, rounded
// to 0.5 as sheets are.
func scores(n int, seed uint64) []float64 {
	r := rng(seed)
	out := make([]float64, n)
	for i := range out {
		v := 76 + 9*r.normal()
		out[i] = math.Round(min(max(v, 0), 100)*2) / 2
	}
	return out
}

func barsExample(lang string) BarChart {
	c := BarChart{
		ID:      "bands-" + lang,
		Stacked: true, Percent: true, Ordinal: true,
		Series: []Series{
			{Values: []float64{9, 6, 3, 1, 2}},
			{Values: []float64{14, 11, 9, 4, 5}},
			{Values: []float64{6, 8, 10, 3, 4}},
			{Values: []float64{1, 2, 3, 0, 1}},
		},
	}
	if lang == "zh" {
		c.Title = "各类别项目等级分布"
		c.Desc = "按项目类别统计优秀、良好、合格、不合格项目所占比例。"
		c.Categories = []string{"重点研发计划", "自然科学基金", "技术创新引导专项", "软科学研究", "科技成果转化与产业化示范项目"}
		for i, n := range []string{"优秀", "良好", "合格", "不合格"} {
			c.Series[i].Name = n
		}
		c.CategoryLabel, c.ValueLabel, c.EmptyText = "项目类别", "项目占比", "暂无数据"
	} else {
		c.Title = "Grade bands by project class"
		c.Desc = "Share of excellent, good, pass and fail projects in each class."
		c.Categories = []string{"Key R&D", "Natural Science Fund", "Innovation guidance", "Soft science",
			"Technology transfer and industrial demonstration"}
		for i, n := range []string{"Excellent", "Good", "Pass", "Fail"} {
			c.Series[i].Name = n
		}
		c.CategoryLabel, c.ValueLabel, c.EmptyText = "Class", "Share of projects", "No data yet"
	}
	return c
}

func histogramExample(lang string) HistogramChart {
	c := HistogramChart{ID: "scores-" + lang, Values: scores(180, 7), Min: 0, Max: 100, Width: 5}
	if lang == "zh" {
		c.Title, c.Desc = "项目综合得分分布", "180 个项目的专家组综合得分，每 5 分一组。"
		c.XLabel, c.YLabel, c.EmptyText = "综合得分", "项目数", "暂无数据"
		c.Marks = []Mark{{60, "及格线 60"}, {85, "优秀线 85"}}
	} else {
		c.Title, c.Desc = "Panel scores", "Panel scores of 180 projects, in bins of 5 points."
		c.XLabel, c.YLabel, c.EmptyText = "Score", "Projects", "No data yet"
		c.Marks = []Mark{{60, "Pass 60"}, {85, "Excellent 85"}}
	}
	return c
}

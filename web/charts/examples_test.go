package charts

import (
	"fmt"
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

func radarExample(lang string) RadarChart {
	c := RadarChart{
		ID:  "radar-" + lang,
		Max: []float64{25, 20, 15, 20, 10, 10},
		Series: []Series{
			{Values: []float64{21.5, 14, 12.5, 17, 6.5, 8}},
			{Values: []float64{18.2, 15.1, 11, 14.6, 7.4, 7.1}},
		},
	}
	if lang == "zh" {
		c.Title, c.Desc = "指标均值对比", "本项目各指标专家均分与同类项目均值的对比。"
		c.Axes = []string{"技术创新性", "研究方案可行性", "团队基础与条件", "预期成果与效益", "经费预算合理性", "风险识别与应对措施"}
		c.Series[0].Name, c.Series[1].Name = "本项目", "同类均值"
		c.AxisLabel, c.MaxLabel, c.EmptyText = "指标", "满分", "暂无数据"
	} else {
		c.Title, c.Desc = "Indicator means", "This project's mean per indicator against the mean of its class."
		c.Axes = []string{"Innovation", "Feasibility of the plan", "Team and facilities", "Expected results",
			"Budget", "Risks and mitigation measures"}
		c.Series[0].Name, c.Series[1].Name = "This project", "Class mean"
		c.AxisLabel, c.MaxLabel, c.EmptyText = "Indicator", "Maximum", "No data yet"
	}
	return c
}

// leniency are n experts' mean deviations from their panels with a 95 %
// interval, most close to zero, a few clearly lenient or strict.
func leniency(n int, seed uint64) []DotRow {
	r := rng(seed)
	rows := make([]DotRow, n)
	for i := range rows {
		v := 1.6 * r.normal()
		if i%7 == 3 {
			v += 3.5
		}
		half := 0.8 + 2.2*r.float()
		v = math.Round(v*100) / 100
		rows[i] = DotRow{Value: v, Low: math.Round((v-half)*100) / 100, High: math.Round((v+half)*100) / 100}
	}
	return rows
}

var (
	namesZH = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴刚", "徐丽", "孙涛",
		"马超", "朱琳", "胡军", "郭晓东", "林雪", "何平", "高峰", "罗欣怡"}
	namesEN = []string{"Zhang Wei", "Wang Fang", "Li Na", "Liu Yang", "Chen Jing", "Yang Lei", "Zhao Min",
		"Huang Qiang", "Zhou Ting", "Wu Gang", "Xu Li", "Sun Tao", "Ma Chao", "Zhu Lin", "Hu Jun",
		"Guo Xiaodong", "Lin Xue", "He Ping", "Gao Feng", "Luo Xinyi"}
)

func dotPlotExample(lang string) DotPlotChart {
	c := DotPlotChart{ID: "leniency-" + lang, Rows: leniency(16, 3)}
	names := namesEN
	if lang == "zh" {
		names = namesZH
	}
	for i := range c.Rows {
		c.Rows[i].Label = names[i%len(names)]
	}
	if lang == "zh" {
		c.Title, c.Desc = "专家评分宽严度", "各专家评分相对所在专家组均值的平均偏差及其 95% 置信区间。"
		c.ZeroLabel, c.XLabel = "专家组均值", "平均偏差（分）"
		c.LabelHeader, c.LowLabel, c.HighLabel = "专家", "区间下限", "区间上限"
		c.FlagLabel, c.EmptyText = "区间不含 0：明显偏宽或偏严", "暂无数据"
	} else {
		c.Title, c.Desc = "Expert leniency", "Each expert's mean deviation from their panels, with a 95% interval."
		c.ZeroLabel, c.XLabel = "Panel mean", "Mean deviation (points)"
		c.LabelHeader, c.LowLabel, c.HighLabel = "Expert", "Lower bound", "Upper bound"
		c.FlagLabel, c.EmptyText = "Interval excludes 0: clearly lenient or strict", "No data yet"
	}
	return c
}

func linesExample(lang string) LineChart {
	const days = 21
	c := LineChart{ID: "progress-" + lang, YMax: 100, Percent: true}
	sheets, projects := make([]float64, days), make([]float64, days)
	for d := range days {
		f := 1 / (1 + math.Exp(-(float64(d)-11)/2.6))
		sheets[d] = math.Round(f*1000) / 10
		projects[d] = math.Round(max(0, f-0.12)/0.88*math.Pow(f, 0.6)*1000) / 10
		if lang == "zh" {
			c.X = append(c.X, fmt.Sprintf("3月%d日", d+1))
		} else {
			c.X = append(c.X, fmt.Sprintf("Mar %d", d+1))
		}
	}
	if lang == "zh" {
		c.Title, c.Desc = "评审进度", "每日已提交评分表和已完成评审项目的比例。"
		c.Series = []Series{{"已提交评分表", sheets}, {"已完成项目", projects}}
		c.XLabel, c.YLabel, c.EmptyText = "日期", "完成比例", "暂无数据"
	} else {
		c.Title, c.Desc = "Scoring progress", "Share of sheets submitted and of projects fully scored, by day."
		c.Series = []Series{{"Sheets submitted", sheets}, {"Projects fully scored", projects}}
		c.XLabel, c.YLabel, c.EmptyText = "Date", "Done", "No data yet"
	}
	return c
}

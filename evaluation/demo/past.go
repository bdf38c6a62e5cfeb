package demo

import (
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// firstDay is the day, from the day of seeding, on which the demo's
// accounts and expert pool are created: before the oldest past campaign.
const firstDay = -115

// The past campaigns' names, for the tests.
const (
	closedName    = "2024 年度市级科技计划项目综合绩效评价（第二批）"
	returnedName  = "2025 年度市级科技计划项目综合绩效评价（第一批）"
	publishedName = "2025 年度科技创新行动计划项目综合绩效评价（第一批）"
	waitingName   = "2025 年度科技创新行动计划项目综合绩效评价（第二批）"
)

// pastCampaigns are the campaigns the commission has seen, oldest first,
// one for each of its journeys (DESIGN §2 step 8):
//
//   - closedName closed after its publicity; its panels had declines, a
//     declared conflict, late sheets and a divergent project, for the
//     experts' records;
//   - returnedName was returned with two projects and is back with the
//     commission, the first round kept;
//   - publishedName is in its publicity period, with a project that failed
//     on a main indicator's figure and one that failed on the panel's
//     academic judgement: each appealed, the first admitted for the panel's
//     re-evaluation, the second not admissible;
//   - waitingName waits for the commission, with a divergent project.
func pastCampaigns(today time.Time) []pastCampaign {
	list := []pastCampaign{
		{
			demoCampaign: demoCampaign{Staff: "sstpc-sun", State: evaluation.CampaignClosed, Projects: closedProjects(),
				Campaign: evaluation.NewCampaign{Name: closedName, Year: 2024, Programme: "科技创新行动计划"}},
			start: -110, plans: closedPlans, declines: []int{2, 3}, conflict: "21DZ2202500",
			approve: -60, publicity: 7, note: "经审核，同意该批次项目综合绩效评价结论，予以公示。",
		},
		{
			demoCampaign: demoCampaign{Staff: "sstpc-sun", State: evaluation.CampaignSubmitted, Projects: returnedProjects(),
				Campaign: evaluation.NewCampaign{Name: returnedName, Year: 2025, Programme: "基础研究计划"}},
			start: -60, plans: returnedPlans, returns: returnedReturns,
			returnReason: "经审核，2 个项目的评价结论依据需进一步核实，退回评估中心补充说明，其余项目无异议。",
		},
		{
			demoCampaign: demoCampaign{Staff: "shtis-huang", State: evaluation.CampaignPublished, Projects: publishedProjects(),
				Campaign: evaluation.NewCampaign{Name: publishedName, Year: 2025, Programme: "科技创新行动计划"}},
			start: -50, plans: publishedPlans, publicity: 7,
			note:    "公示期内，对评价结论有异议的，项目承担单位可通过项目管理机构提出申诉，并提供书面材料。",
			appeals: publishedAppeals,
		},
		{
			demoCampaign: demoCampaign{Staff: "shtis-xu", State: evaluation.CampaignSubmitted, Projects: waitingProjects(),
				Campaign: evaluation.NewCampaign{Name: waitingName, Year: 2025, Programme: "科技创新行动计划"}},
			start: -40, plans: waitingPlans,
		},
	}
	for i := range list {
		list[i].Campaign.Settings = list[i].settings(today)
	}
	return list
}

// pass is a project the panel passes: its view of the project, the
// chair's opinion, every member confirming.
func pass(quality float64, opinion string) resultPlan {
	return resultPlan{quality: quality, opinion: opinion + "\n专家组建议：通过。", proposed: evaluation.ConclusionPass,
		confirmNote: "同意专家组意见。", conclude: true}
}

// mainMissed is the veto item of a main contract indicator not met (V5),
// with its evidence.
func mainMissed(evidence string) *rubrics.VetoFlag {
	return &rubrics.VetoFlag{Code: "V5", Evidence: evidence}
}

var closedPlans = map[string]resultPlan{
	"21JC1402100": func() resultPlan {
		p := pass(0.84, "专家组经评议认为：项目绘制了 2 型糖尿病患者与对照人群胰岛 β 细胞衰老的单细胞转录组图谱，"+
			"鉴定出 3 个驱动 β 细胞衰老的关键调控因子，并在小鼠模型中验证了 1 个可干预靶点，主要考核指标全部完成。经费使用规范。")
		p.late = []int{2}
		return p
	}(),
	"21JC1402200": func() resultPlan {
		p := pass(0.80, "专家组经评议认为：项目揭示了钙钛矿/晶硅叠层电池隧穿结界面的载流子复合机制，"+
			"研制的叠层电池认证效率 31.2%，达到任务书要求；湿热 1000 小时稳定性测试保持率 88%，略低于约定的 90%。经费使用规范。")
		p.late = []int{1}
		return p
	}(),
	"21DZ2202300": {
		// One member scores far below the others: the range exceeds the
		// limit, the panel keeps its scores, the flag stays.
		shares: []float64{0.90, 0.87, 0.85, 0.82, 0.63},
		opinion: "专家组经评议认为：项目研制的钢轨波磨智能检测系统在 4 条运营线路完成示范应用，检测精度和检测速度均达到任务书要求，" +
			"累计检测里程 1860 公里。一位专家认为系统对短波长波磨的识别尚不稳定，已在评分中体现。经费使用规范。\n专家组建议：通过。",
		proposed: evaluation.ConclusionPass, confirmNote: "同意。", conclude: true,
	},
	"21DZ2202400": {
		quality: 0.70,
		flag: mainMissed("主要考核指标“光子计数探测器模组能量分辨率 ≤ 8%（60 keV）”实测 11.5%（第三方检测报告），" +
			"未达到任务书约定。"),
		flaggers: []int{0, 1, 3}, flagShare: 0.58,
		flagOpinion: "项目完成了探测器模组样机研制，但主要考核指标“能量分辨率”与约定差距较大，模组未能进入整机配套，建议不予通过。",
		opinion: "专家组经评议认为：项目完成了医用 CT 光子计数探测器模组样机研制，计数率等指标达到要求；但主要考核指标“能量分辨率 ≤ 8%”" +
			"实测 11.5%，差距较大，模组尚未实现整机配套和批量销售。五位技术专家中三位认定主要考核指标未完成。\n专家组建议：未通过。",
		proposed: evaluation.ConclusionFail, confirmNote: "同意专家组意见。", conclude: true,
	},
	"21DZ2202500": func() resultPlan {
		p := pass(0.78, "专家组经评议认为：项目开发的挥发性有机物催化燃烧成套装备在 3 个化工园区示范应用，非甲烷总烃去除率 98.6%，"+
			"能耗较传统蓄热燃烧降低 27%，主要考核指标全部完成；累计销售 11 套，略低于约定的 12 套。经费使用规范。")
		p.late = []int{3}
		return p
	}(),
}

var returnedPlans = map[string]resultPlan{
	"22JC1400700": pass(0.82, "专家组经评议认为：项目发现长链非编码 RNA lncCFR 通过招募 EZH2 调控心肌成纤维细胞活化的新机制，"+
		"在压力超负荷小鼠模型中验证了反义寡核苷酸干预的抗纤维化效果，主要考核指标全部完成。经费使用规范。"),
	"22JC1400800": pass(0.80, "专家组经评议认为：项目建立了柔性压电纤维的多尺度设计方法，研制的压电纤维压电系数 d33 达 42 pC/N，"+
		"弯折 10 万次后性能保持 93%，主要考核指标全部完成。经费使用规范。"),
	"22DZ2200900": {
		quality: 0.66,
		flag: mainMissed("主要考核指标“在长江口建成船舶尾气遥测站点不少于 30 个”实际建成 18 个，完成 60%，" +
			"其余站点未取得海事部门的选址批复。"),
		flaggers: []int{0, 2, 3}, flagShare: 0.60,
		flagOpinion: "项目遥测设备性能达到要求，但主要考核指标“遥测站点建设”仅完成 60%，示范应用不足，建议不予通过。",
		opinion: "专家组经评议认为：项目研制的船舶尾气激光遥测设备检测限和识别准确率达到任务书要求；但主要考核指标“建成遥测站点不少于 30 个”" +
			"实际建成 18 个，监测网络未能覆盖约定水域。五位技术专家中三位认定主要考核指标未完成。\n专家组建议：未通过。",
		proposed: evaluation.ConclusionFail, confirmNote: "同意专家组意见。", conclude: true,
		// The agency first closed the project (结题); the commission
		// returns it (returnedReturns).
		concludeAs: evaluation.ConclusionClosed,
		concludeReason: "项目承担单位 2025 年发生股权重组，原项目团队主要成员离职，剩余站点建设无法继续实施，" +
			"属客观原因，按结题处理。",
	},
	"22DZ2201000": pass(0.84, "专家组经评议认为：项目研制的 500 kW 高速永磁同步电机驱动系统额定转速 18000 r/min，系统效率 96.8%，"+
		"在 3 家企业的离心压缩机上应用，主要技术指标全部完成；累计销售合同额 1.20 亿元。经费使用规范。"),
}

// returnedReturns are the commission's returns of returnedName and the
// agency's answers.
var returnedReturns = map[string]commissionReturn{
	"22DZ2200900": {
		comment: "项目以承担单位股权重组为由按“结题”处理，但重组发生于 2025 年 8 月，晚于项目执行期满（2025 年 6 月 30 日），" +
			"不属于执行期内的客观原因。请按专家组意见重新确定结论，或补充说明结题理由。",
		answer: "经核实，承担单位股权重组晚于项目执行期满，遥测站点未建成与重组无关，结题理由不成立。" +
			"已按专家组意见将结论更正为“未通过”。",
		conclusion: evaluation.ConclusionFail,
		reason:     "按市科委退回意见更正：结题理由不成立，按专家组意见确定为“未通过”。",
	},
	"22DZ2201000": {
		comment: "专家组意见称“累计销售合同额 1.20 亿元”，但财务决算报告附表所列销售收入为 0.86 亿元，口径不一致。" +
			"请核实经济指标完成情况并说明。",
		answer: "经核实，1.20 亿元为已签订销售合同额（含税），0.86 亿元为截至决算日已确认的销售收入。任务书约定的经济指标为" +
			"“累计销售合同额不低于 1 亿元”，按约定口径已完成。已补充销售合同清单并上传至项目材料，结论维持“通过”。",
	},
}

// publishedAppeals: the lead institution of 22DZ2203300 brings the final
// third-party report the panel did not have (a fact, admitted for the
// panel's re-evaluation); that of 22JC1403200 disputes only the panel's
// view of its originality (not admissible).
var publishedAppeals = []demoAppeal{
	{code: "22JC1403200", AppealInput: evaluation.AppealInput{Reason: evaluation.AppealAcademic, Appellant: "上海海洋大学",
		Text: "我单位认为专家组对项目原创性的评价有失公允。项目首次在东海冷泉区系统获得甲烷厌氧氧化古菌宏基因组数据，" +
			"与国外同期工作的研究区域和方法均不相同，不应认定为重复性研究，请求重新评价。"}},
	{code: "22DZ2203300", AppealInput: evaluation.AppealInput{Reason: evaluation.AppealFactual, Appellant: "上海振华重工（集团）股份有限公司",
		Text: "验收时提交的是第三方中期检测报告（8.2 万公里）。项目执行期截止前示范车辆累计无故障运行已达 10.6 万公里，" +
			"第三方机构已于执行期内出具终期检测报告（编号 SHTC-2025-0612），因报送环节疏漏未随验收材料提交。" +
			"现补交终期报告原件，请求依据完整材料重新认定该项考核指标。"},
		reevaluate: "申诉人补交了执行期内出具的第三方终期检测报告（10.6 万公里），已核实报告真实有效。请专家组依据补充材料，" +
			"重新认定主要考核指标“累计无故障运行里程”的完成情况并重新评分。"},
}

var publishedPlans = map[string]resultPlan{
	"22JC1403100": pass(0.85, "专家组经评议认为：项目提出基于局部可塑性规则的脉冲神经网络在线学习算法，研制的类脑芯片在手势识别任务上"+
		"在线学习准确率 94.2%，典型功耗 38 mW，主要考核指标全部完成，成果具有较高的学术价值。经费使用规范。"),
	"22JC1403200": {
		quality: 0.52,
		opinion: "专家组经评议认为：项目获得了冷泉沉积物中甲烷厌氧氧化古菌的宏基因组数据，但主要结论与国外同期发表的工作重复度较高，" +
			"原创性不足；关键代谢途径仅依据组学数据推断，缺少富集培养与同位素示踪实验验证，主要考核指标“阐明甲烷厌氧氧化古菌的电子传递途径”" +
			"未能完成。\n专家组建议：未通过。",
		proposed: evaluation.ConclusionFail, confirmNote: "同意专家组意见。", conclude: true,
	},
	"22DZ2203300": {
		quality: 0.74,
		flag: mainMissed("主要考核指标“示范车辆累计无故障运行里程不少于 10 万公里”，验收时提交的第三方中期报告为 8.2 万公里，" +
			"未达到任务书约定。"),
		flaggers: []int{0, 1, 2}, flagShare: 0.60,
		flagOpinion: "线控底盘技术指标总体达到要求，但主要考核指标“累计无故障运行里程”按提交的报告仅完成 82%，应按主要考核指标未完成处理。",
		opinion: "专家组经评议认为：项目研制的重卡线控转向、线控制动系统响应时间和控制精度达到任务书要求，在洋山港完成 20 辆示范运营；" +
			"但主要考核指标“累计无故障运行里程不少于 10 万公里”按提交的第三方报告为 8.2 万公里，未完成。" +
			"五位技术专家中三位认定主要考核指标未完成。\n专家组建议：未通过。",
		proposed: evaluation.ConclusionFail, confirmNote: "同意专家组意见。", conclude: true,
	},
	"22DZ2203400": pass(0.83, "专家组经评议认为：项目研制的 ±320 kV 海上风电柔性直流换流阀通过型式试验，损耗率 0.92%，"+
		"在 1 个海上风电场送出工程中投运，主要考核指标全部完成。经费使用规范。"),
}

// maintained is what the members of 22JC1403500's panel write when its
// sheets come back for discussion: they keep their views, and say why.
var maintained = map[int]revision{
	0: {0.90, "经专家组讨论，本人维持原评分：项目首次在非厄米拓扑光子晶体中观测到奇异点附近的拓扑边界态，原创性突出。"},
	1: {0.85, "经讨论，维持原评分意见，对原创性评分略作上调。"},
	2: {0.78, "经讨论，维持原评分。"},
	3: {0.72, "经讨论，维持原评分。实验样品数量有限，结论的普适性有待进一步验证。"},
	4: {0.60, "经专家组讨论，本人维持原评分：主要实验结果与理论预言的定量符合程度不够，器件损耗控制未达到约定指标，" +
		"对“科学价值”的评价应更审慎。"},
}

var waitingPlans = map[string]resultPlan{
	"22JC1403500": {
		// The panel discussed the divergent scores and kept them: the
		// commission sees the flag.
		shares: []float64{0.90, 0.84, 0.78, 0.72, 0.60}, discuss: true, revisions: maintained,
		opinion: "专家组经评议认为：项目在非厄米拓扑光子晶体中观测到奇异点附近的拓扑边界态，实现了对非厄米趋肤效应的动态调控，" +
			"主要考核指标基本完成；器件损耗未达到约定指标。专家组对项目原创性的评价存在分歧，经讨论各专家维持原评分。\n专家组建议：通过。",
		proposed: evaluation.ConclusionPass, confirmNote: "同意。", conclude: true,
	},
	"22JC1403600": pass(0.81, "专家组经评议认为：项目发现肠道菌群代谢物吲哚丙酸通过芳香烃受体延缓 T 细胞免疫衰老的机制，"+
		"建立了 320 例老年人群队列，主要考核指标全部完成。经费使用规范。"),
	"22DZ2203700": {
		quality:  0.83,
		flag:     mainMissed("主要考核指标“完成 120 例临床试验入组”实际入组 112 例（完成 93%），未完成任务书约定。"),
		flaggers: []int{3}, flagShare: 0.76,
		flagOpinion: "项目支架性能和动物实验结果良好，但主要考核指标“临床试验入组”未完成，本人认为应按主要考核指标未完成处理。",
		opinion: "专家组经评议认为：项目研制的可吸收镁合金血管支架径向支撑力和降解周期达到任务书要求，已进入注册临床试验阶段，" +
			"入组 112 例，完成约定的 93%，差距系部分中心伦理审批延迟所致，原因已如实说明。经费使用规范。\n专家组建议：通过。",
		proposed:    evaluation.ConclusionPass,
		flagDissent: "不同意“通过”的建议：主要考核指标“临床试验入组 120 例”未完成，本人已在评分表中勾选否决项 V5。",
		confirmNote: "同意专家组意见。", conclude: true,
	},
	"22DZ2203800": pass(0.79, "专家组经评议认为：项目开发的焚烧飞灰水洗脱氯—高温熔融成套技术在 2 座焚烧厂建成示范线，"+
		"飞灰资源化利用率 92%，二噁英分解率 99.7%，主要考核指标全部完成；示范线运行成本略高于约定值。经费使用规范。"),
}

func closedProjects() []*evaluation.Project {
	const (
		sixth  = "上海市第六人民医院"
		sinh   = "中国科学院上海营养与健康研究所"
		stu    = "上海科技大学"
		metro  = "上海申通地铁集团有限公司"
		ct     = "上海明视医疗影像科技有限公司"
		greenv = "上海绿源环保科技股份有限公司"
	)
	return []*evaluation.Project{
		{
			Code: "21JC1402100", Title: "胰岛 β 细胞衰老的单细胞图谱及其在 2 型糖尿病中的干预靶点", Class: evaluation.BasicResearch,
			Lead: sixth, Participants: []string{sinh},
			PI: member("施雨晴", sixth, "项目负责人"),
			Members: []evaluation.Member{
				member("储俊峰", sixth, "临床课题负责人"),
				member("邹明远", sinh, "课题负责人"),
				member("危晓岚", sinh, "研究骨干"),
			},
			Budget: wan(220), Spent: wan(212.7), Start: "2021-07-01", End: "2024-06-30",
			SubjectCodes: []string{"320.21", "180.21", "350.20"},
			Keywords:     []string{"2 型糖尿病", "胰岛 β 细胞", "细胞衰老", "单细胞测序"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "绘制胰岛 β 细胞衰老单细胞图谱", "完成不少于 40 例供体胰岛的单细胞转录组测序并建立图谱",
					"完成 46 例供体胰岛测序，图谱已公开共享", met, "数据集说明；伦理批件")),
				key(ge(technical, "鉴定 β 细胞衰老关键调控因子", 2, "个", 3, "科技报告第 3 章；动物实验记录")),
				ge(technical, "验证可干预靶点", 1, "个", 1, "靶点验证报告"),
				ge(talent, "培养研究生", 3, "人", 4, "学位授予名单"),
			},
		},
		{
			Code: "21JC1402200", Title: "钙钛矿/晶硅叠层太阳电池界面载流子复合机理与稳定性调控", Class: evaluation.BasicResearch,
			Lead: stu, Participants: []string{"中国科学院上海硅酸盐研究所"},
			PI: member("柯嘉树", stu, "项目负责人"),
			Members: []evaluation.Member{
				member("倪思远", stu, "课题负责人"),
				member("戴若琳", "中国科学院上海硅酸盐研究所", "课题负责人"),
				member("裴子恒", stu, "博士后"),
			},
			Budget: wan(180), Spent: wan(175.3), Start: "2021-07-01", End: "2024-06-30",
			SubjectCodes: []string{"480.60", "430.20", "140.30"},
			Keywords:     []string{"钙钛矿", "叠层太阳电池", "界面复合", "器件稳定性"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明叠层电池界面载流子复合机理", "阐明隧穿结界面载流子复合的主导机制并提出抑制策略",
					"揭示隧穿结缺陷辅助复合机制，提出自组装分子钝化策略", met, "科技报告；代表性成果")),
				key(ge(technical, "叠层电池认证光电转换效率", 30, "%", 31.2, "第三方认证报告")),
				ge(technical, "湿热 1000 小时后效率保持率", 90, "%", 88, "稳定性测试报告"),
				ge(talent, "培养博士研究生", 3, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "21DZ2202300", Title: "城市轨道交通钢轨波磨智能检测系统研制与示范应用", Class: evaluation.AppliedTechnology,
			Lead: metro, Participants: []string{"同济大学"},
			PI: member("鲁卫平", metro, "项目负责人"),
			Members: []evaluation.Member{
				member("闵浩然", metro, "技术负责人"),
				member("贺子墨", "同济大学", "课题负责人"),
				member("钟离燕", metro, "工务工程师"),
			},
			Budget: wan(650), Spent: wan(628.4), Start: "2021-10-01", End: "2024-06-30",
			SubjectCodes: []string{"520.60", "460.35", "560.20"},
			Keywords:     []string{"轨道交通", "钢轨波磨", "智能检测", "机器视觉"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(le(technical, "波磨深度检测误差", 0.02, "mm", 0.015, "第三方检测报告")),
				key(ge(technical, "检测速度", 80, "km/h", 90, "现场测试记录")),
				ge(otherKind, "示范应用线路", 3, "条", 4, "用户应用证明"),
				ge(economic, "累计销售收入", 2000, "万元", 2350, "销售合同与发票"),
				ge(ip, "申请发明专利", 5, "项", 6, "专利受理通知书"),
			},
		},
		{
			Code: "21DZ2202400", Title: "医用 CT 光子计数探测器模组研制及产业化", Class: evaluation.AppliedTechnology,
			Lead: ct, Participants: []string{"上海理工大学"},
			PI: member("薛承宇", ct, "项目负责人"),
			Members: []evaluation.Member{
				member("阮清扬", ct, "技术负责人"),
				member("练书宁", "上海理工大学", "课题负责人"),
				member("岑一凡", ct, "工艺工程师"),
			},
			Budget: wan(800), Spent: wan(752.6), Start: "2021-07-01", End: "2024-06-30",
			SubjectCodes: []string{"510.30", "510.50", "520.20"},
			Keywords:     []string{"光子计数 CT", "探测器模组", "碲锌镉", "医学影像"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(le(technical, "探测器模组能量分辨率（60 keV）", 8, "%", 11.5, "第三方检测报告")),
				key(ge(technical, "最大计数率", 200, "Mcps/mm²", 230, "第三方检测报告")),
				ge(economic, "模组销售", 50, "套", 12, "销售合同"),
				ge(ip, "申请发明专利", 6, "项", 7, "专利受理通知书"),
			},
		},
		{
			Code: "21DZ2202500", Title: "工业园区挥发性有机物催化燃烧治理成套装备开发与示范", Class: evaluation.AppliedTechnology,
			Lead: greenv, Participants: []string{"上海市环境科学研究院"},
			PI: member("祝海川", greenv, "项目负责人"),
			Members: []evaluation.Member{
				member("莫语桐", greenv, "技术负责人"),
				member("金立恒", "上海市环境科学研究院", "课题负责人"),
				member("顾盼兮", greenv, "工艺工程师"),
				member("杭振东", greenv, "项目经理"),
			},
			Budget: wan(500), Spent: wan(481.9), Start: "2021-10-01", End: "2024-09-30",
			SubjectCodes: []string{"170.40", "530.40", "150.40", "610.20"},
			Keywords:     []string{"挥发性有机物", "催化燃烧", "大气污染治理", "化工园区"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "非甲烷总烃去除率", 97, "%", 98.6, "第三方监测报告")),
				le(technical, "单位处理能耗较蓄热燃烧降低后的相对能耗", 80, "%", 73, "能耗测试报告"),
				ge(economic, "装备累计销售", 12, "套", 11, "销售合同"),
				ge(otherKind, "示范化工园区", 3, "个", 3, "示范应用证明"),
			},
		},
	}
}

func returnedProjects() []*evaluation.Project {
	const (
		tenth  = "同济大学附属第十人民医院"
		sues   = "上海工程技术大学"
		port   = "上海港航环境监测技术有限公司"
		motors = "上海电驱科技股份有限公司"
	)
	return []*evaluation.Project{
		{
			Code: "22JC1400700", Title: "长链非编码 RNA 调控心肌纤维化的分子机制及干预研究", Class: evaluation.BasicResearch,
			Lead: tenth, Participants: []string{"中国科学院上海营养与健康研究所"},
			PI: member("骆晨阳", tenth, "项目负责人"),
			Members: []evaluation.Member{
				member("葛雨菲", tenth, "研究骨干"),
				member("农嘉言", "中国科学院上海营养与健康研究所", "课题负责人"),
				member("连思博", tenth, "主治医师"),
			},
			Budget: wan(160), Spent: wan(154.2), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"320.21", "180.21", "350.20"},
			Keywords:     []string{"心肌纤维化", "长链非编码 RNA", "表观遗传", "反义寡核苷酸"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明 lncRNA 调控心肌纤维化的机制", "鉴定调控心肌成纤维细胞活化的关键 lncRNA 并阐明其作用机制",
					"发现 lncCFR 招募 EZH2 调控成纤维细胞活化", met, "科技报告；动物实验记录")),
				key(ge(technical, "完成干预策略的动物模型验证", 2, "种", 2, "动物实验报告")),
				ge(ip, "申请发明专利", 2, "项", 2, "专利受理通知书"),
				ge(talent, "培养研究生", 3, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "22JC1400800", Title: "面向智能传感的柔性压电纤维材料设计与性能调控", Class: evaluation.BasicResearch,
			Lead: sues, Participants: []string{"东华大学"},
			PI: member("阙志明", sues, "项目负责人"),
			Members: []evaluation.Member{
				member("苗可欣", sues, "课题负责人"),
				member("容泽宇", "东华大学", "课题负责人"),
				member("滕一诺", sues, "研究骨干"),
			},
			Budget: wan(140), Spent: wan(133.8), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"430.40", "510.10", "430.20"},
			Keywords:     []string{"压电纤维", "柔性传感", "可穿戴器件", "多尺度设计"},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "压电纤维压电系数 d33", 35, "pC/N", 42, "第三方检测报告")),
				key(ge(technical, "弯折 10 万次后性能保持率", 90, "%", 93, "疲劳测试报告")),
				text(technical, "建立柔性压电纤维多尺度设计方法", "建立从分子到纤维的多尺度设计方法",
					"建立了相场—有限元耦合的多尺度设计方法", met, "科技报告"),
				ge(talent, "培养研究生", 2, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "22DZ2200900", Title: "长江口船舶尾气排放激光遥测系统研制与应用", Class: evaluation.AppliedTechnology,
			Lead: port, Participants: []string{"上海海事大学"},
			PI: member("樊启航", port, "项目负责人"),
			Members: []evaluation.Member{
				member("濮文静", port, "技术负责人"),
				member("路远帆", "上海海事大学", "课题负责人"),
				member("訾晨", port, "系统工程师"),
			},
			Budget: wan(420), Spent: wan(371.5), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"170.40", "520.20", "610.20"},
			Keywords:     []string{"船舶尾气", "激光遥测", "大气环境监测", "长江口"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(otherKind, "建成船舶尾气遥测站点", 30, "个", 18, "站点验收记录")),
				key(le(technical, "二氧化硫遥测检测限", 5, "ppm·m", 3.8, "第三方检测报告")),
				ge(technical, "超标船舶识别准确率", 90, "%", 93.5, "海事部门应用证明"),
				ge(ip, "申请发明专利", 4, "项", 4, "专利受理通知书"),
			},
		},
		{
			Code: "22DZ2201000", Title: "高速永磁同步电机驱动系统研制及在离心压缩机中的应用", Class: evaluation.AppliedTechnology,
			Lead: motors, Participants: []string{"上海电力大学"},
			PI: member("晏国梁", motors, "项目负责人"),
			Members: []evaluation.Member{
				member("卞思琪", motors, "电机设计负责人"),
				member("苟文韬", "上海电力大学", "课题负责人"),
				member("殷若愚", motors, "控制工程师"),
			},
			Budget: wan(720), Spent: wan(694.8), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"470.40", "460.20", "510.30"},
			Keywords:     []string{"高速永磁电机", "变频驱动", "离心压缩机", "节能"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "电机额定转速", 18000, "r/min", 18000, "型式试验报告")),
				key(ge(technical, "驱动系统效率", 96, "%", 96.8, "第三方检测报告")),
				ge(economic, "累计销售合同额", 10000, "万元", 12000, "销售合同清单"),
				ge(otherKind, "应用企业", 3, "家", 3, "用户应用证明"),
			},
		},
	}
}

func publishedProjects() []*evaluation.Project {
	const (
		sari  = "中国科学院上海高等研究院"
		stu   = "上海科技大学"
		truck = "上海擎源重卡科技有限公司"
		grid  = "上海申能电力装备有限公司"
	)
	return []*evaluation.Project{
		{
			Code: "22JC1403100", Title: "类脑脉冲神经网络芯片的在线学习机理与低功耗实现", Class: evaluation.BasicResearch,
			Lead: sari, Participants: []string{"复旦大学"},
			PI: member("宫以宁", sari, "项目负责人"),
			Members: []evaluation.Member{
				member("仲书航", sari, "课题负责人"),
				member("弓雨辰", "复旦大学", "课题负责人"),
				member("晁子安", sari, "芯片设计工程师"),
			},
			Budget: wan(260), Spent: wan(249.6), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"520.20", "510.30", "180.21"},
			Keywords:     []string{"类脑计算", "脉冲神经网络", "在线学习", "低功耗芯片"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "提出脉冲神经网络在线学习算法", "提出适合硬件实现的局部可塑性在线学习规则",
					"提出基于资格迹的局部可塑性学习规则并完成流片验证", met, "科技报告；流片测试报告")),
				key(ge(technical, "在线学习准确率（手势识别数据集）", 92, "%", 94.2, "测试报告")),
				le(technical, "芯片典型功耗", 50, "mW", 38, "芯片测试报告"),
				ge(talent, "培养博士研究生", 3, "人", 4, "学位授予名单"),
			},
		},
		{
			Code: "22JC1403200", Title: "深海冷泉甲烷厌氧氧化古菌的代谢机制研究", Class: evaluation.BasicResearch,
			Lead: stu, Participants: []string{"中国科学院深海科学与工程研究所"},
			PI: member("巩海宁", stu, "项目负责人"),
			Members: []evaluation.Member{
				member("冷月溪", stu, "研究骨干"),
				member("师博文", "中国科学院深海科学与工程研究所", "课题负责人"),
				member("宁可心", stu, "博士后"),
			},
			Budget: wan(200), Spent: wan(188.4), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"170.40", "180.41", "240.50"},
			Keywords:     []string{"深海冷泉", "甲烷厌氧氧化", "古菌", "宏基因组"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明甲烷厌氧氧化古菌的电子传递途径", "阐明冷泉甲烷厌氧氧化古菌与硫酸盐还原菌间的电子传递途径",
					"仅依据宏基因组数据提出推测途径，未完成富集培养验证", notMet, "科技报告")),
				key(ge(technical, "获得冷泉沉积物宏基因组组装基因组", 100, "个", 136, "数据集说明")),
				ge(technical, "获得甲烷厌氧氧化古菌富集培养物", 1, "份", 0, "培养记录"),
				ge(talent, "培养研究生", 3, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "22DZ2203300", Title: "智能网联重卡线控底盘系统研制及港区示范运营", Class: evaluation.AppliedTechnology,
			Lead: truck, Participants: []string{"上海理工大学"},
			PI: member("司马骏", truck, "项目负责人"),
			Members: []evaluation.Member{
				member("满天佑", truck, "底盘技术负责人"),
				member("蒲晓晨", "上海理工大学", "课题负责人"),
				member("籍文轩", truck, "测试工程师"),
				member("敖子涵", truck, "示范运营负责人"),
			},
			Budget: wan(1100), Spent: wan(1052.3), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"460.20", "520.60", "470.40"},
			Keywords:     []string{"线控底盘", "智能网联重卡", "港口物流", "自动驾驶"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(otherKind, "示范车辆累计无故障运行里程", 10, "万公里", 8.2, "第三方中期测试报告（终期报告在出具中）")),
				key(le(technical, "线控转向系统响应时间", 100, "ms", 85, "第三方检测报告")),
				ge(otherKind, "示范运营车辆", 20, "辆", 20, "港区示范运营证明"),
				ge(ip, "申请发明专利", 8, "项", 10, "专利受理通知书"),
			},
		},
		{
			Code: "22DZ2203400", Title: "海上风电柔性直流送出换流阀研制及工程应用", Class: evaluation.AppliedTechnology,
			Lead: grid, Participants: []string{"上海电力大学"},
			PI: member("卓立群", grid, "项目负责人"),
			Members: []evaluation.Member{
				member("房明哲", grid, "技术负责人"),
				member("甘露", "上海电力大学", "课题负责人"),
				member("沙一鸣", grid, "试验工程师"),
			},
			Budget: wan(1500), Spent: wan(1446.7), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"470.40", "480.60", "510.30"},
			Keywords:     []string{"海上风电", "柔性直流输电", "换流阀", "电力电子"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "换流阀额定直流电压", 320, "kV", 320, "型式试验报告")),
				key(le(technical, "换流阀损耗率", 1.0, "%", 0.92, "型式试验报告")),
				ge(otherKind, "工程应用", 1, "项", 1, "工程投运证明"),
				ge(economic, "累计销售收入", 20000, "万元", 23600, "销售合同与发票"),
			},
		},
	}
}

func waitingProjects() []*evaluation.Project {
	const (
		shnu   = "上海师范大学"
		renji  = "上海交通大学医学院附属仁济医院"
		stent  = "上海康络医疗器械有限公司"
		ashes  = "上海申环再生资源科技有限公司"
		fudan  = "复旦大学"
		sinhPI = "中国科学院上海营养与健康研究所"
	)
	return []*evaluation.Project{
		{
			Code: "22JC1403500", Title: "非厄米拓扑光子晶体中奇异点拓扑态的实验观测与调控", Class: evaluation.BasicResearch,
			Lead: shnu, Participants: []string{fudan},
			PI: member("林听澜", shnu, "项目负责人"),
			Members: []evaluation.Member{
				member("屠新宇", shnu, "课题负责人"),
				member("包文茜", fudan, "课题负责人"),
				member("寿一鸣", shnu, "研究骨干"),
			},
			Budget: wan(150), Spent: wan(143.6), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"140.30", "510.50", "430.20"},
			Keywords:     []string{"拓扑光子学", "非厄米物理", "奇异点", "光子晶体"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "观测非厄米拓扑边界态", "在光子晶体中实验观测奇异点附近的拓扑边界态",
					"在硅基光子晶体中观测到奇异点附近的拓扑边界态与非厄米趋肤效应", met, "科技报告；代表性成果")),
				key(le(technical, "器件传输损耗", 3, "dB/cm", 4.1, "测试报告")),
				ge(technical, "实现拓扑态动态调控方式", 2, "种", 2, "实验记录"),
				ge(talent, "培养研究生", 3, "人", 4, "学位授予名单"),
			},
		},
		{
			Code: "22JC1403600", Title: "肠道菌群代谢物调控宿主 T 细胞免疫衰老的机制研究", Class: evaluation.BasicResearch,
			Lead: renji, Participants: []string{sinhPI},
			PI: member("滕语冰", renji, "项目负责人"),
			Members: []evaluation.Member{
				member("臧立诚", renji, "临床课题负责人"),
				member("鄢晓雯", sinhPI, "课题负责人"),
				member("官思远", renji, "主治医师"),
			},
			Budget: wan(240), Spent: wan(231.9), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"180.41", "310.61", "350.20"},
			Keywords:     []string{"肠道菌群", "免疫衰老", "T 细胞", "代谢物"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明菌群代谢物调控 T 细胞衰老的机制", "鉴定延缓 T 细胞免疫衰老的菌群代谢物并阐明其受体通路",
					"发现吲哚丙酸经芳香烃受体延缓 T 细胞衰老", met, "科技报告；动物实验记录")),
				key(ge(technical, "建立老年人群队列", 300, "例", 320, "队列数据库说明；伦理批件")),
				ge(ip, "申请发明专利", 2, "项", 2, "专利受理通知书"),
				ge(talent, "培养研究生", 3, "人", 4, "学位授予名单"),
			},
		},
		{
			Code: "22DZ2203700", Title: "生物可吸收镁合金冠脉支架研制及临床转化", Class: evaluation.AppliedTechnology,
			Lead: stent, Participants: []string{"上海市胸科医院"},
			PI: member("蓝启航", stent, "项目负责人"),
			Members: []evaluation.Member{
				member("明若曦", stent, "研发总监"),
				member("佟嘉年", "上海市胸科医院", "临床课题负责人"),
				member("封晓棠", stent, "注册专员"),
			},
			Budget: wan(900), Spent: wan(861.2), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"430.20", "350.30", "320.11"},
			Keywords:     []string{"可吸收支架", "镁合金", "冠心病介入", "医疗器械"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(otherKind, "完成注册临床试验入组", 120, "例", 112, "临床试验进度报告")),
				key(ge(technical, "支架径向支撑力", 120, "kPa", 135, "第三方检测报告")),
				ge(technical, "支架完全降解周期（动物实验）", 12, "个月", 12, "动物实验报告"),
				ge(ip, "申请发明专利", 5, "项", 6, "专利受理通知书"),
			},
		},
		{
			Code: "22DZ2203800", Title: "生活垃圾焚烧飞灰资源化利用成套技术及示范", Class: evaluation.AppliedTechnology,
			Lead: ashes, Participants: []string{"上海市环境科学研究院"},
			PI: member("宓成林", ashes, "项目负责人"),
			Members: []evaluation.Member{
				member("井思瑶", ashes, "技术负责人"),
				member("单宇航", "上海市环境科学研究院", "课题负责人"),
				member("邴嘉禾", ashes, "运营经理"),
			},
			Budget: wan(680), Spent: wan(655.1), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"170.40", "530.40", "610.20"},
			Keywords:     []string{"焚烧飞灰", "资源化利用", "二噁英", "固废处理"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "飞灰资源化利用率", 90, "%", 92, "第三方检测报告")),
				key(ge(technical, "二噁英分解率", 99.5, "%", 99.7, "第三方检测报告")),
				le(economic, "示范线吨灰运行成本", 1200, "元/吨", 1260, "运行成本核算报告"),
				ge(otherKind, "建成示范线", 2, "条", 2, "示范线验收报告"),
			},
		},
	}
}

package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// demoCampaign is a seeded evaluation campaign (评价批次) with its projects,
// set up by one of its agency's staff.
type demoCampaign struct {
	Staff    string // username of the agency staff member who sets it up
	Campaign evaluation.NewCampaign
	Projects []*evaluation.Project
	// State is how far the demo takes the campaign: forming (some panels
	// drawn), scoring (every panel matched and at work) or concluding
	// (every panel matched, the sheets in and the results under way); see
	// formPanels.
	State evaluation.CampaignState
}

// campaigns seeds the demo's campaigns: each agency's staff create a
// campaign, bring in its projects with their contract indicators and move it
// to panel forming, as they would in the UI.
func (s *seeder) campaigns() {
	for _, dc := range demoCampaigns(s.today) {
		if s.err != nil {
			return
		}
		s.err = s.campaign(dc)
	}
}

func (s *seeder) campaign(dc demoCampaign) error {
	staff, err := s.userActor(dc.Staff, evaluation.RoleAgencyStaff)
	if err != nil {
		return err
	}
	c, err := s.svc.Campaigns.CreateCampaign(s.ctx, staff, dc.Campaign)
	if err != nil {
		return fmt.Errorf("create campaign %q: %w", dc.Campaign.Name, err)
	}
	if err := s.svc.Campaigns.CreateProjects(s.ctx, staff, c.ID, dc.Projects); err != nil {
		return fmt.Errorf("create projects of campaign %q: %w", c.Name, err)
	}
	if c, err = s.svc.Campaigns.TransitionCampaign(s.ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		return fmt.Errorf("move campaign %q to forming: %w", dc.Campaign.Name, err)
	}
	if s.svc.Materials.HasBlobs() {
		if err := s.materials(staff, c, 3); err != nil {
			return err
		}
	}
	return s.formPanels(staff, c, dc.State)
}

// formPanels forms the panels of a seeded campaign as the agency would.
// A campaign that goes on to scoring gets every panel by the optimal
// match, invites them, and its experts accept (in the scoring campaign one
// declines, so that an alternate is called up); then it moves to scoring,
// and on to its experts' work (workspace) or, for the concluding one, to
// its results (results). The forming campaign gets draws for its first four
// projects — two invited, one of those with answers — and leaves the rest
// for a newcomer to draw or match. Seeds are fixed, so the demo is the
// same every time.
func (s *seeder) formPanels(staff evaluation.Actor, c *evaluation.Campaign, state evaluation.CampaignState) error {
	seed := drawSeed
	var panels []*evaluation.Panel
	scoring := state != evaluation.CampaignForming
	if scoring {
		var err error
		if panels, err = s.svc.Panels.MatchCampaign(s.ctx, staff, c.ID, seed(c.Name)); err != nil {
			return fmt.Errorf("match campaign %q: %w", c.Name, err)
		}
		if state == evaluation.CampaignConcluding {
			if err := s.spareShowcase(staff, panels); err != nil {
				return err
			}
		}
	} else {
		projects, _, err := s.svc.Campaigns.Projects(s.ctx, staff, evaluation.ProjectFilter{CampaignID: c.ID, Page: evaluation.Page{Size: 4}})
		if err != nil {
			return err
		}
		for _, p := range projects {
			panel, err := s.svc.Panels.DrawPanel(s.ctx, staff, c.ID, []int64{p.ID}, seed(p.Code))
			if err != nil {
				return fmt.Errorf("draw a panel for %s: %w", p.Code, err)
			}
			panels = append(panels, panel)
		}
		panels = panels[:2] // the other two wait to be reviewed and invited
	}
	for i, panel := range panels {
		if err := s.svc.Panels.InvitePanel(s.ctx, staff, panel.ID); err != nil {
			return err
		}
		if !scoring && i > 0 {
			continue // invited, no answers yet
		}
		if err := s.answer(staff, panel.ID, i == 0 && state != evaluation.CampaignConcluding); err != nil {
			return err
		}
	}
	if !scoring {
		return nil
	}
	if _, err := s.svc.Campaigns.TransitionCampaign(s.ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		return fmt.Errorf("move campaign %q to scoring: %w", c.Name, err)
	}
	if state == evaluation.CampaignConcluding {
		return s.results(&run{staff: staff, c: c, plans: resultPlans, pledged: map[int64]bool{}})
	}
	return s.workspace(staff, c)
}

// answer has the invited experts of a panel accept, until no invitation is
// left open; with oneDeclines, the first domain expert who is not the chair
// declines first, calling up an alternate.
func (s *seeder) answer(staff evaluation.Actor, panelID int64, oneDeclines bool) error {
	for round := 0; round < 5; round++ {
		panel, err := s.svc.Panels.Panel(s.ctx, staff, panelID)
		if err != nil {
			return err
		}
		open := false
		for _, m := range panel.Members {
			if m.Status != evaluation.MemberInvited {
				continue
			}
			open = true
			expert, ok := s.experts[m.ExpertID]
			if !ok {
				return fmt.Errorf("no account for expert %d", m.ExpertID)
			}
			if oneDeclines && !m.Chair && m.Seat == evaluation.SeatTechnical && m.Expert.Type == evaluation.DomainExpert {
				oneDeclines = false
				if _, err := s.svc.Panels.RespondToInvitation(s.ctx, expert, m.ID, false, "评审期间在国外参加学术会议，时间冲突"); err != nil {
					return err
				}
				continue
			}
			ans, err := s.svc.Panels.RespondToInvitation(s.ctx, expert, m.ID, true, "")
			if err != nil {
				return fmt.Errorf("%s accepts: %w", m.Expert.Name, err)
			}
			if ans.Status != evaluation.MemberAccepted {
				return fmt.Errorf("%s cannot accept: %v", m.Expert.Name, ans.Conflicts)
			}
		}
		if !open {
			return nil
		}
	}
	return nil
}

// drawSeed is the fixed seed of a draw or match: the demo is the same
// every time.
func drawSeed(label string) string {
	sum := sha256.Sum256([]byte("evalpanel demo " + label))
	return hex.EncodeToString(sum[:])
}

// userActor returns the actor of a seeded user of the role: campaigns
// belong to an agency and the commission reviews them, so the System actor
// (an administrator) can do neither.
func (s *seeder) userActor(username string, role evaluation.Role) (evaluation.Actor, error) {
	users, _, err := s.svc.Accounts.Users(s.ctx, s.actor, evaluation.UserFilter{Query: username, Role: role,
		Page: evaluation.Page{Number: 1, Size: 50}})
	if err != nil {
		return evaluation.Actor{}, err
	}
	for _, u := range users {
		if u.Username == username {
			return u.Actor(), nil
		}
	}
	return evaluation.Actor{}, fmt.Errorf("demo user %q (%s) not found", username, role)
}

// campaignSettings returns the default settings with the deadlines, as
// days from the day the demo is seeded (in Beijing), so that a demo seeded
// any day shows a campaign whose scoring is under way, not long over.
func campaignSettings(today time.Time, opens, due, conclude int) *evaluation.CampaignSettings {
	st := evaluation.DefaultCampaignSettings()
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	st.ScoringOpens, st.ScoringDue, st.ConcludeDue = day(opens), day(due), day(conclude)
	return &st
}

// wan converts an amount in 万元 (ten thousand yuan) to fen (分), the unit
// of Project.Budget and Project.Spent.
func wan(v float64) int64 { return int64(math.Round(v * 1_000_000)) }

func member(name, inst, role string) evaluation.Member {
	return evaluation.Member{Name: name, Institution: inst, Role: role}
}

// The kinds of contract indicator, short for the tables below.
const (
	technical = evaluation.IndicatorTechnical
	economic  = evaluation.IndicatorEconomic
	ip        = evaluation.IndicatorIP
	talent    = evaluation.IndicatorTalent
	otherKind = evaluation.IndicatorOther
)

// ge is a numeric contract indicator to reach at least target; its status
// is computed from the actual value.
func ge(kind evaluation.IndicatorKind, name string, target float64, unit string, actual float64, evidence string) evaluation.Indicator {
	return evaluation.Indicator{Name: name, Kind: kind, Evidence: evidence,
		Target: evaluation.Target{Value: &target, Unit: unit, Direction: evaluation.AtLeast}, Actual: evaluation.Actual{Value: &actual}}
}

// le is a numeric contract indicator to stay at most at target (a cost, an
// error rate, a delay).
func le(kind evaluation.IndicatorKind, name string, target float64, unit string, actual float64, evidence string) evaluation.Indicator {
	in := ge(kind, name, target, unit, actual, evidence)
	in.Target.Direction = evaluation.AtMost
	return in
}

// pending is a numeric contract indicator without a result yet, waiting for
// an on-site test or a report: its status is unknown.
func pending(kind evaluation.IndicatorKind, name string, target float64, unit string, dir evaluation.Direction, evidence string) evaluation.Indicator {
	return evaluation.Indicator{Name: name, Kind: kind, Evidence: evidence,
		Target: evaluation.Target{Value: &target, Unit: unit, Direction: dir}}
}

// text is a contract indicator with a text target, whose status the agency
// sets by hand.
func text(kind evaluation.IndicatorKind, name, target, actual string, status evaluation.IndicatorStatus, evidence string) evaluation.Indicator {
	return evaluation.Indicator{Name: name, Kind: kind, Evidence: evidence, Status: status,
		Target: evaluation.Target{Text: target}, Actual: evaluation.Actual{Text: actual}}
}

// key marks a main contract indicator (主要考核指标): missing one is a veto
// item of the rubrics.
func key(in evaluation.Indicator) evaluation.Indicator {
	in.Main = true
	return in
}

const (
	met    = evaluation.StatusMet
	partly = evaluation.StatusPartly
	notMet = evaluation.StatusNotMet
	open   = evaluation.StatusUnknown
)

// demoCampaigns returns the demo's campaigns, built afresh on every call
// because seeding fills in the projects' ids.
//
// Project codes follow the commission's style: year of the contract, the
// programme's letters (JC, ZR basic research; DZ applied technology) and a
// serial number. Subject codes (GB/T 13745) are chosen so that every project
// shares a first-level discipline with enough experts of the pool for a
// panel of five and its alternates. Three projects carry deliberate
// conflicts of interest for the conflict engine to show:
//
//   - 23DZ2200100 is led by 上海交通大学, the institution of 林国栋 and
//     张卫东 (林国栋 would otherwise fit the project best);
//   - 23DZ2200300's applicant asks to avoid 唐建军 (a competitor);
//   - 23DZ2200500 has 陈志强 of 中国科学院上海有机化学研究所, a pool expert,
//     among its members.
func demoCampaigns(today time.Time) []demoCampaign {
	return []demoCampaign{
		{
			Staff: "sstpc-li",
			Campaign: evaluation.NewCampaign{
				Name:      "2026 年度市级科技计划项目综合绩效评价（第一批）",
				Year:      2026,
				Programme: "科技创新行动计划",
				Settings:  campaignSettings(today, 7, 28, 45),
			},
			Projects: sstpcProjects(),
			State:    evaluation.CampaignForming,
		},
		{
			Staff: "shtis-huang",
			Campaign: evaluation.NewCampaign{
				Name:      "2026 年度科技创新行动计划项目综合绩效评价",
				Year:      2026,
				Programme: "科技创新行动计划",
				Settings:  campaignSettings(today, -10, 10, 25),
			},
			Projects: shtisProjects(),
			State:    evaluation.CampaignScoring,
		},
		{
			Staff: "sstpc-zhou",
			Campaign: evaluation.NewCampaign{
				Name:      "2025 年度市级科技计划项目综合绩效评价（第二批）",
				Year:      2025,
				Programme: "科技创新行动计划",
				// Scoring is due the day the demo is seeded, not before:
				// the experts submit their sheets through the services,
				// which refuse a save after a member's deadline. The
				// campaign has moved on to concluding, so scoring is closed.
				Settings: campaignSettings(today, -28, 0, 21),
			},
			Projects: concludingProjects(),
			State:    evaluation.CampaignConcluding,
		},
	}
}

func sstpcProjects() []*evaluation.Project {
	const (
		shanghaiTech = "上海科技大学"
		sinh         = "中国科学院上海营养与健康研究所"
		siom         = "中国科学院上海光学精密机械研究所"
		cemps        = "中国科学院分子植物科学卓越创新中心"
		cebsit       = "中国科学院脑科学与智能技术卓越创新中心"
		sic          = "中国科学院上海硅酸盐研究所"
		sjtu         = "上海交通大学"
		sioc         = "中国科学院上海有机化学研究所"
	)
	return []*evaluation.Project{
		{
			Code: "23JC1400100", Title: "二维半导体异质结中层间激子的长程输运与调控机制", Class: evaluation.BasicResearch,
			Lead: shanghaiTech, Participants: []string{"中国科学院上海技术物理研究所"},
			PI: member("钟雨桐", shanghaiTech, "项目负责人"),
			Members: []evaluation.Member{
				member("彭子轩", shanghaiTech, "课题负责人"),
				member("叶思远", "中国科学院上海技术物理研究所", "课题负责人"),
				member("龚晓蕾", shanghaiTech, "博士后"),
				member("段明哲", shanghaiTech, "研究骨干"),
			},
			Budget: wan(200), Spent: wan(193.46), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"140.50", "430.10", "510.10"},
			Keywords:     []string{"二维材料", "层间激子", "激子输运", "莫尔超晶格"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "揭示层间激子长程输运机制",
					"阐明转角过渡金属硫族化合物异质结中层间激子的扩散与漂移机制，建立输运理论模型",
					"建立了计入莫尔势调制的漂移-扩散模型，与变温输运实验结果吻合", met,
					"科技报告第 3 章；代表性成果 2 项")),
				key(ge(technical, "层间激子室温输运距离", 5, "μm", 6.2, "时间分辨荧光成像测试记录")),
				ge(technical, "激子寿命电学调控范围", 100, "倍", 85, "门电压调控实验数据"),
				text(technical, "建立激子输运时空分辨表征方法",
					"搭建飞秒时间分辨、亚微米空间分辨的激子成像平台", "平台已建成并对外开放共享", met, "设备验收报告"),
				ge(talent, "培养博士研究生", 4, "人", 5, "学位授予名单"),
				ge(otherKind, "发表代表性论文", 3, "篇", 4, "代表作清单（非主要考核指标）"),
			},
		},
		{
			Code: "23JC1400200", Title: "肿瘤免疫微环境中髓系抑制细胞代谢重编程的机制及干预靶点", Class: evaluation.BasicResearch,
			Lead: sinh, Participants: []string{"上海市第一人民医院"},
			PI: member("邵敏华", sinh, "项目负责人"),
			Members: []evaluation.Member{
				member("程嘉怡", sinh, "课题负责人"),
				member("万立峰", "上海市第一人民医院", "临床课题负责人"),
				member("苏沐阳", sinh, "研究骨干"),
				member("尹露", sinh, "博士后"),
				member("姜思辰", "上海市第一人民医院", "主治医师"),
			},
			Budget: wan(280), Spent: wan(271.05), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"180.21", "310.41", "350.20"},
			Keywords:     []string{"肿瘤免疫", "髓系抑制细胞", "代谢重编程", "免疫治疗"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "鉴定代谢重编程关键调控因子",
					"鉴定不少于 2 个调控髓系抑制细胞代谢重编程的关键因子，并完成体内功能验证",
					"鉴定 3 个关键调控因子，其中 2 个经条件性敲除小鼠验证", met, "科技报告；动物实验原始记录")),
				key(ge(technical, "建立肿瘤免疫微环境单细胞多组学数据集（临床样本）", 60, "例", 48,
					"数据集说明；伦理批件；入组进度受临床样本采集周期影响")),
				ge(technical, "发现可干预的候选靶点", 2, "个", 1, "靶点验证报告"),
				ge(talent, "培养研究生", 3, "人", 4, "学位授予名单"),
				ge(ip, "申请发明专利", 1, "项", 1, "专利受理通知书"),
			},
		},
		{
			Code: "23JC1400300", Title: "里德堡原子阵列的量子调控与多体纠缠制备", Class: evaluation.BasicResearch,
			Lead: siom, Participants: []string{"上海师范大学"},
			PI: member("陆一鸣", siom, "项目负责人"),
			Members: []evaluation.Member{
				member("韦嘉禾", siom, "课题负责人"),
				member("柏清远", "上海师范大学", "课题负责人"),
				member("汤若冰", siom, "研究骨干"),
			},
			Budget: wan(300), Spent: wan(296.8), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"140.30", "520.10"},
			Keywords:     []string{"量子调控", "里德堡原子", "多体纠缠", "量子模拟"},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "可控单原子阵列规模", 100, "个", 124, "实验数据与成像记录")),
				key(ge(technical, "里德堡双比特门保真度", 99.0, "%", 98.6, "随机基准测试数据")),
				text(technical, "多体纠缠态制备", "实现不少于 20 个原子的 GHZ 态制备并给出纠缠见证",
					"实现 16 个原子的 GHZ 态，保真度 0.56，已给出纠缠见证", partly, "科技报告第 4 章"),
				le(technical, "单原子装载缺陷率", 2, "%", 1.5, "重排装载统计"),
				ge(talent, "培养青年科研骨干", 2, "人", 2, "人才培养情况说明"),
			},
		},
		{
			Code: "23ZR1400400", Title: "深海化能自养微生物的新型碳固定途径及其生态功能", Class: evaluation.BasicResearch,
			Lead: cemps, Participants: []string{"自然资源部第二海洋研究所"},
			PI: member("蔡文博", cemps, "项目负责人"),
			Members: []evaluation.Member{
				member("闫书涵", cemps, "研究骨干"),
				member("伍承泽", "自然资源部第二海洋研究所", "课题负责人"),
				member("毛悦", cemps, "博士研究生"),
			},
			Budget: wan(150), Spent: wan(141.27), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"180.41", "170.40"},
			Keywords:     []string{"深海微生物", "碳固定", "宏基因组", "海洋碳汇"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "解析新型碳固定途径", "解析至少 1 条深海化能自养微生物的新型碳固定途径",
					"解析 1 条改良型还原性三羧酸循环途径，完成关键酶体外重构", met, "科技报告；酶学实验数据")),
				key(ge(technical, "深海微生物宏基因组组装基因组（MAGs）数据集", 500, "个", 612, "数据集说明")),
				ge(technical, "获得纯培养菌株", 30, "株", 22, "菌种保藏证明"),
				text(otherKind, "数据集开放共享", "数据集在国家基因组科学数据中心公开发布",
					"已提交，等待数据中心审核发布", open, "提交回执"),
				ge(talent, "培养研究生与博士后", 3, "人", 3, "人才培养情况说明"),
			},
		},
		{
			Code: "23JC1400500", Title: "类脑脉冲神经网络的神经环路基础与学习规则", Class: evaluation.BasicResearch,
			Lead: cebsit, Participants: []string{"上海科技大学"},
			PI: member("潘若琳", cebsit, "项目负责人"),
			Members: []evaluation.Member{
				member("邹亦凡", cebsit, "课题负责人"),
				member("常乐", shanghaiTech, "课题负责人"),
				member("田雨萌", cebsit, "研究骨干"),
				member("莫子健", cebsit, "工程师"),
			},
			Budget: wan(250), Spent: wan(238.9), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"180.24", "520.20"},
			Keywords:     []string{"类脑智能", "脉冲神经网络", "神经环路", "突触可塑性"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "揭示神经环路学习规则", "揭示皮层-纹状体环路中依赖放电时序的学习规则并建立计算模型",
					"发现并验证一种多巴胺门控的时序依赖可塑性规则，建立相应计算模型", met, "科技报告；电生理数据")),
				key(ge(technical, "脉冲神经网络在神经形态基准数据集上的识别准确率", 95, "%", 96.3, "第三方复现报告")),
				ge(technical, "推理能耗较同规模人工神经网络降低", 50, "%", 42, "神经形态芯片实测数据"),
				text(otherKind, "开源脉冲神经网络训练工具", "发布开源训练工具 1 套", "已在开源平台发布并持续维护", met, "代码仓库地址"),
				ge(otherKind, "发表代表性论文", 2, "篇", 3, "代表作清单（非主要考核指标）"),
			},
		},
		{
			Code: "22ZR1400600", Title: "高熵稀土锆酸盐陶瓷的声子散射机制与超低热导设计", Class: evaluation.BasicResearch,
			Lead: sic,
			PI:   member("戴振华", sic, "项目负责人"),
			Members: []evaluation.Member{
				member("庞宇轩", sic, "研究骨干"),
				member("岳清", sic, "研究骨干"),
				member("聂婉婷", sic, "博士研究生"),
			},
			Budget: wan(120), Spent: wan(117.35), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"430.10", "140.25"},
			Keywords:     []string{"高熵陶瓷", "热障涂层", "声子散射", "热导率"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明声子散射机制", "阐明多主元晶格畸变对声子散射与热输运的作用机制",
					"建立质量-应变双重无序散射模型，解释热导率随组元数的变化", met, "科技报告")),
				key(le(technical, "1200 ℃ 下热导率", 1.2, "W/(m·K)", 1.05, "激光闪射法测试报告")),
				pending(technical, "1300 ℃ 长期相稳定时间", 1000, "h", evaluation.AtLeast,
					"第三方长时热暴露试验进行中，预计 2026 年 10 月出具报告"),
				ge(talent, "培养研究生", 3, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "23DZ2200100", Title: "深远海漂浮式风电平台动力响应预测与智能运维系统", Class: evaluation.AppliedTechnology,
			Lead: sjtu, Participants: []string{"上海临港海上风电工程有限公司", "中国船舶集团有限公司第七〇八研究所"},
			PI: member("任海波", sjtu, "项目负责人"),
			Members: []evaluation.Member{
				member("鲁嘉树", sjtu, "课题负责人"),
				member("宁思琪", "上海临港海上风电工程有限公司", "课题负责人"),
				member("符俊豪", "中国船舶集团有限公司第七〇八研究所", "课题负责人"),
				member("樊一帆", sjtu, "研究骨干"),
				member("翁雪", "上海临港海上风电工程有限公司", "工程师"),
				member("葛天佑", sjtu, "博士后"),
			},
			Budget: wan(1500), Spent: wan(1436.2), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"460.40", "480.60", "470.40"},
			Keywords:     []string{"海上风电", "漂浮式平台", "数字孪生", "智能运维"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Promotion:    true,
			Indicators: []evaluation.Indicator{
				key(le(technical, "平台六自由度运动响应预测误差", 10, "%", 8.5, "水池模型试验对比报告")),
				key(ge(technical, "智能运维系统故障预警准确率", 90, "%", 91.2, "示范风场运行数据")),
				text(otherKind, "示范应用", "在不少于 1 个海上风电场示范应用", "在临港海上风电场 2 台机组示范应用 14 个月", met,
					"用户应用证明"),
				ge(ip, "授权发明专利", 5, "项", 4, "专利证书"),
				ge(economic, "新增产值", 3000, "万元", 2100, "财务报表；销售合同"),
				ge(economic, "示范风场运维成本降低", 15, "%", 12, "运维成本对比分析报告"),
			},
		},
		{
			Code: "23DZ2200200", Title: "面向智能网联汽车的车路协同感知与决策关键技术", Class: evaluation.AppliedTechnology,
			Lead: "上海智驭汽车科技有限公司", Participants: []string{"同济大学", "上海国际汽车城（集团）有限公司"},
			PI: member("袁立成", "上海智驭汽车科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("车文涛", "上海智驭汽车科技有限公司", "技术负责人"),
				member("包一宁", "同济大学", "课题负责人"),
				member("温浩然", "上海国际汽车城（集团）有限公司", "示范负责人"),
				member("钱梦溪", "上海智驭汽车科技有限公司", "算法工程师"),
				member("查立", "同济大学", "研究骨干"),
			},
			Budget: wan(1200), Spent: wan(1157.4), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"520.20", "510.40", "580.20"},
			Keywords:     []string{"智能网联汽车", "车路协同", "多源融合感知", "边缘计算"},
			Methods:      []evaluation.Method{evaluation.Testing, evaluation.Demonstration},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "多源融合感知目标检测准确率", 95, "%", 96.1, "第三方测试报告")),
				key(le(technical, "路侧感知到车端决策端到端时延", 100, "ms", 112, "第三方测试报告")),
				ge(otherKind, "开放道路示范里程", 50, "km", 62, "示范区运行证明"),
				ge(otherKind, "牵头制定团体标准", 1, "项", 1, "标准发布公告"),
				ge(ip, "申请发明专利", 10, "项", 13, "专利受理通知书"),
			},
		},
		{
			Code: "23DZ2200300", Title: "面向 3C 精密装配的协作机器人及视觉引导系统研制与应用", Class: evaluation.AppliedTechnology,
			Lead: "上海傲拓机器人有限公司", Participants: []string{"上海工程技术大学"},
			PI: member("方俊杰", "上海傲拓机器人有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("谭思远", "上海傲拓机器人有限公司", "总工程师"),
				member("左晨", "上海工程技术大学", "课题负责人"),
				member("柳依然", "上海傲拓机器人有限公司", "视觉算法工程师"),
				member("阮国华", "上海傲拓机器人有限公司", "工艺工程师"),
			},
			Budget: wan(600), Spent: wan(588.75), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"460.35", "520.60"},
			Keywords:     []string{"协作机器人", "机器视觉", "精密装配", "工业机器人"},
			Methods:      []evaluation.Method{evaluation.Testing, evaluation.Demonstration},
			Promotion:    true,
			Avoid: []evaluation.Avoid{
				{Name: "唐建军", Institution: "上海微见智能科技有限公司", Reason: "同一细分领域的竞争企业负责人，存在商业利益冲突"},
			},
			Indicators: []evaluation.Indicator{
				key(le(technical, "机器人重复定位精度", 0.02, "mm", 0.018, "国家机器人检测与评定中心检测报告")),
				key(pending(technical, "视觉引导装配一次成功率", 99.5, "%", evaluation.AtLeast, "待现场测试")),
				le(economic, "整机成本", 15, "万元/台", 16.8, "成本核算表"),
				ge(economic, "累计销售", 200, "台", 230, "销售合同与发票"),
				text(otherKind, "示范应用", "在不少于 3 家 3C 制造企业示范应用", "在 4 家企业产线示范应用", met, "用户应用证明"),
			},
		},
		{
			Code: "23DZ2200400", Title: "大型电化学储能电站电池管理与热失控预警系统", Class: evaluation.AppliedTechnology,
			Lead: "上海储曜能源科技有限公司", Participants: []string{"上海理工大学", "国网上海市电力公司电力科学研究院"},
			PI: member("姚佳颖", "上海储曜能源科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("易鸿飞", "上海储曜能源科技有限公司", "技术负责人"),
				member("舒婧", "上海理工大学", "课题负责人"),
				member("邢少杰", "国网上海市电力公司电力科学研究院", "课题负责人"),
				member("骆晓晨", "上海储曜能源科技有限公司", "硬件工程师"),
			},
			Budget: wan(800), Spent: wan(772.6), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"480.20", "470.40", "460.20"},
			Keywords:     []string{"储能电站", "电池管理", "热失控预警", "荷电状态估计"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Promotion:    true,
			Indicators: []evaluation.Indicator{
				key(le(technical, "电池荷电状态（SOC）估计误差", 2, "%", 1.6, "第三方测试报告")),
				key(ge(technical, "热失控预警提前时间", 10, "min", 14, "热失控触发试验报告")),
				ge(otherKind, "示范储能电站规模", 100, "MWh", 100, "电站并网验收报告"),
				ge(technical, "储能系统交流侧循环效率", 88, "%", 86.5, "示范电站运行数据"),
				ge(economic, "销售收入", 5000, "万元", 3200, "财务报表"),
			},
		},
		{
			Code: "23DZ2200500", Title: "抗体偶联药物新型连接子-载荷平台技术及候选药物临床前研究", Class: evaluation.AppliedTechnology,
			Lead: "上海澜恒生物医药科技有限公司", Participants: []string{sioc},
			PI: member("卢晓琳", "上海澜恒生物医药科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("陈志强", sioc, "连接子化学合成课题负责人"),
				member("施雨辰", "上海澜恒生物医药科技有限公司", "药理毒理负责人"),
				member("柯雅文", "上海澜恒生物医药科技有限公司", "CMC 负责人"),
				member("霍子安", sioc, "研究骨干"),
			},
			Budget: wan(1000), Spent: wan(984.3), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"350.10", "350.20", "150.20", "180.41"},
			Keywords:     []string{"抗体偶联药物", "连接子", "临床前研究", "偶联工艺"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "候选药物临床前研究与 IND 申报", "完成 1 个 ADC 候选药物的临床前研究并提交新药临床试验申请",
					"已完成临床前研究，新药临床试验申请于 2025 年 11 月获受理", met, "受理通知书")),
				key(ge(technical, "连接子血浆稳定性（7 天）", 95, "%", 97, "药代动力学研究报告")),
				le(technical, "偶联工艺药抗比（DAR）批间差异", 0.3, "", 0.25, "三批工艺验证报告"),
				ge(technical, "完成中试放大批次", 3, "批", 3, "批生产记录"),
				ge(ip, "申请发明专利", 6, "项", 5, "专利受理通知书"),
			},
		},
		{
			Code: "22DZ2200600", Title: "28 纳米刻蚀设备关键零部件国产化研制与产线验证", Class: evaluation.AppliedTechnology,
			Lead: "上海芯源精密装备有限公司", Participants: []string{"中国科学院上海微系统与信息技术研究所"},
			PI: member("崔永刚", "上海芯源精密装备有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("康博文", "上海芯源精密装备有限公司", "总工程师"),
				member("甘露", "中国科学院上海微系统与信息技术研究所", "课题负责人"),
				member("黎明轩", "上海芯源精密装备有限公司", "工艺工程师"),
				member("秦浩", "上海芯源精密装备有限公司", "质量工程师"),
				member("邱晓雯", "中国科学院上海微系统与信息技术研究所", "研究骨干"),
			},
			Budget: wan(2000), Spent: wan(1962.5), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"510.30", "460.20"},
			Keywords:     []string{"集成电路制造装备", "等离子体刻蚀", "静电卡盘", "零部件国产化"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(le(technical, "静电卡盘表面温度均匀性", 1.0, "℃（±）", 0.8, "第三方检测报告")),
				key(ge(technical, "关键零部件国产化率", 70, "%", 52,
					"静电卡盘、射频匹配器已国产化，陶瓷喷淋头仍依赖进口")),
				ge(technical, "28 纳米产线验证晶圆数", 2000, "片", 2600, "用户验证报告"),
				pending(technical, "整机平均无故障时间（MTBF）", 300, "h", evaluation.AtLeast, "待现场测试"),
				ge(economic, "新增销售收入", 8000, "万元", 6500, "财务报表；销售合同"),
			},
		},
	}
}

func shtisProjects() []*evaluation.Project {
	const (
		sari        = "中国科学院上海高等研究院"
		sixth       = "上海市第六人民医院"
		shailab     = "上海人工智能实验室"
		shfisheries = "上海市水产研究所"
	)
	return []*evaluation.Project{
		{
			Code: "23JC1410100", Title: "钙钛矿/晶硅叠层太阳电池界面缺陷的形成机理与钝化方法", Class: evaluation.BasicResearch,
			Lead: sari, Participants: []string{"上海电机学院"},
			PI: member("秦书雅", sari, "项目负责人"),
			Members: []evaluation.Member{
				member("华晟", sari, "课题负责人"),
				member("滕雨晴", "上海电机学院", "课题负责人"),
				member("殷子墨", sari, "研究骨干"),
				member("褚嘉乐", sari, "博士研究生"),
			},
			Budget: wan(200), Spent: wan(188.6), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"140.50", "480.60", "430.10"},
			Keywords:     []string{"钙钛矿", "叠层太阳电池", "界面钝化", "光伏"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明界面缺陷形成机理", "阐明钙钛矿/晶硅叠层电池界面缺陷的形成与演化机理",
					"结合原位表征与第一性原理计算，阐明界面卤素空位的形成与迁移机理", met, "科技报告")),
				key(ge(technical, "叠层电池认证光电转换效率", 30, "%", 31.2, "第三方认证报告")),
				ge(technical, "1000 h 连续光照后效率保持率", 90, "%", 85, "稳定性测试报告"),
				text(technical, "发展界面原位表征方法", "建立叠层电池界面缺陷原位表征方法 1 套", "已建立并用于 3 类钝化材料筛选", met, "方法说明"),
				ge(talent, "培养研究生", 4, "人", 5, "学位授予名单"),
				ge(otherKind, "发表代表性论文", 3, "篇", 3, "代表作清单（非主要考核指标）"),
			},
		},
		{
			Code: "23ZR1410200", Title: "肠道菌群代谢物调控 2 型糖尿病胰岛素抵抗的分子机制", Class: evaluation.BasicResearch,
			Lead: sixth, Participants: []string{"上海市疾病预防控制中心"},
			PI: member("贾慧", sixth, "项目负责人"),
			Members: []evaluation.Member{
				member("曾子墨", sixth, "课题负责人"),
				member("喻婷", "上海市疾病预防控制中心", "队列负责人"),
				member("古晨阳", sixth, "主治医师"),
				member("柴文静", sixth, "研究骨干"),
			},
			Budget: wan(180), Spent: wan(176.1), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"310.61", "320.21", "180.21", "350.30"},
			Keywords:     []string{"2 型糖尿病", "肠道菌群", "胰岛素抵抗", "代谢物"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "鉴定调控胰岛素抵抗的菌群代谢物", "鉴定不少于 2 种调控胰岛素抵抗的肠道菌群代谢物",
					"鉴定 2 种次级胆汁酸衍生物，并在小鼠模型中验证其作用", met, "科技报告")),
				key(ge(technical, "建立 2 型糖尿病前瞻性队列", 1000, "例", 860, "队列数据库说明；随访受疫情后门诊恢复影响")),
				key(text(technical, "阐明作用受体及信号通路", "阐明代谢物作用的宿主受体及下游信号通路",
					"阐明经法尼醇 X 受体介导的肝脏胰岛素信号调控通路", met, "科技报告")),
				ge(talent, "培养研究生", 5, "人", 6, "学位授予名单"),
			},
		},
		{
			Code: "23JC1410300", Title: "大规模预训练模型的可解释性理论与可信推理方法", Class: evaluation.BasicResearch,
			Lead: shailab, Participants: []string{"上海财经大学"},
			PI: member("夏天宇", shailab, "项目负责人"),
			Members: []evaluation.Member{
				member("洪宇", shailab, "课题负责人"),
				member("安然", "上海财经大学", "课题负责人"),
				member("池晓", shailab, "研究员"),
			},
			Budget: wan(260), Spent: wan(251.4), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"520.10", "520.20"},
			Keywords:     []string{"大模型", "可解释性", "可信推理", "人工智能"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "提出可解释性理论框架", "提出大规模预训练模型内部表征的可解释性理论框架",
					"提出基于稀疏特征回路的可解释性框架，并在 3 类模型上验证", met, "科技报告")),
				key(le(technical, "可信推理基准上的事实性错误率", 5, "%", 4.2, "公开基准评测结果")),
				ge(technical, "构建可解释性评测数据集", 10, "万条", 12.5, "数据集说明"),
				ge(otherKind, "开源工具累计下载量", 5000, "次", 3600, "开源平台统计"),
				ge(talent, "培养博士研究生", 3, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "23DZ2210100", Title: "城市轨道交通隧道结构健康监测与智能预警平台", Class: evaluation.AppliedTechnology,
			Lead: "上海轨交智维科技有限公司", Participants: []string{"上海市隧道工程轨道交通设计研究院"},
			PI: member("孔德明", "上海轨交智维科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("雷振宇", "上海轨交智维科技有限公司", "技术负责人"),
				member("单雪莹", "上海市隧道工程轨道交通设计研究院", "课题负责人"),
				member("武浩", "上海轨交智维科技有限公司", "软件工程师"),
			},
			Budget: wan(500), Spent: wan(476.8), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"560.20", "520.60", "510.40"},
			Keywords:     []string{"结构健康监测", "轨道交通", "光纤传感", "智能预警"},
			Methods:      []evaluation.Method{evaluation.Testing, evaluation.Demonstration},
			Promotion:    true,
			Indicators: []evaluation.Indicator{
				key(ge(technical, "隧道结构损伤识别准确率", 90, "%", 92.5, "第三方测试报告")),
				key(le(technical, "预警误报率", 5, "%", 5.8, "平台运行统计")),
				ge(otherKind, "监测覆盖线路里程", 50, "km", 38, "运营单位证明"),
				text(otherKind, "示范应用", "平台在不少于 2 条运营线路示范应用", "在 2 条线路上线运行", met, "用户应用证明"),
				ge(ip, "登记软件著作权", 5, "项", 6, "登记证书"),
			},
		},
		{
			Code: "23DZ2210200", Title: "高性能碳纤维低成本制备工艺及其在 IV 型储氢气瓶中的应用", Class: evaluation.AppliedTechnology,
			Lead: "上海碳羿新材料科技有限公司", Participants: []string{"上海化工研究院有限公司"},
			PI: member("白瑞峰", "上海碳羿新材料科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("倪宏", "上海碳羿新材料科技有限公司", "技术负责人"),
				member("司马文静", "上海化工研究院有限公司", "课题负责人"),
				member("路晓川", "上海碳羿新材料科技有限公司", "工艺工程师"),
				member("齐思源", "上海碳羿新材料科技有限公司", "质量工程师"),
			},
			Budget: wan(900), Spent: wan(873.25), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"430.35", "530.40", "480.20"},
			Keywords:     []string{"碳纤维", "复合材料", "储氢气瓶", "氢能"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "碳纤维拉伸强度", 4.9, "GPa", 5.1, "第三方检测报告")),
				key(le(economic, "碳纤维制备成本", 120, "元/kg", 128, "成本核算表")),
				ge(technical, "IV 型储氢气瓶（70 MPa）爆破压力", 157.5, "MPa", 165, "型式试验报告"),
				text(technical, "建成中试线", "建成百吨级高性能碳纤维中试线", "中试线已建成并通过验收", met, "验收报告"),
				ge(economic, "新增销售收入", 2000, "万元", 2300, "财务报表"),
			},
		},
		{
			Code: "23DZ2210300", Title: "近海养殖水体智能监测与病害预警系统示范应用", Class: evaluation.AppliedTechnology,
			Lead: "上海蓝渔智能科技有限公司", Participants: []string{shfisheries},
			PI: member("江晓帆", "上海蓝渔智能科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("邝立新", "上海蓝渔智能科技有限公司", "技术负责人"),
				member("鲍秀英", shfisheries, "课题负责人"),
				member("盛天", "上海蓝渔智能科技有限公司", "嵌入式工程师"),
			},
			Budget: wan(350), Spent: wan(331.9), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"240.50", "170.40", "520.60"},
			Keywords:     []string{"水产养殖", "水质监测", "病害预警", "物联网"},
			Methods:      []evaluation.Method{evaluation.Demonstration},
			Promotion:    true,
			Indicators: []evaluation.Indicator{
				key(le(technical, "溶解氧等 6 项水质参数在线监测误差", 3, "%", 2.4, "计量比对报告")),
				key(ge(technical, "病害预警准确率", 85, "%", 80, "示范基地运行数据")),
				ge(otherKind, "示范养殖面积", 5000, "亩", 6200, "示范基地证明"),
				pending(economic, "示范基地养殖损失降低", 10, "%", evaluation.AtLeast, "待 2026 年养殖季统计"),
			},
		},
		{
			Code: "23DZ2210400", Title: "细胞治疗产品全封闭自动化制备工艺与中试平台", Class: evaluation.AppliedTechnology,
			Lead: "上海赛纳生物技术有限公司", Participants: []string{"上海交通大学医学院附属仁济医院"},
			PI: member("金宇航", "上海赛纳生物技术有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("桂思敏", "上海赛纳生物技术有限公司", "质量负责人"),
				member("明远", "上海交通大学医学院附属仁济医院", "临床课题负责人"),
				member("狄佳", "上海赛纳生物技术有限公司", "工艺工程师"),
				member("钮一涵", "上海赛纳生物技术有限公司", "研究骨干"),
			},
			Budget: wan(700), Spent: wan(694.5), Start: "2023-01-01", End: "2025-12-31",
			SubjectCodes: []string{"350.20", "180.21", "530.40"},
			Keywords:     []string{"细胞治疗", "生物医药中试", "自动化制备", "GMP"},
			Methods:      []evaluation.Method{evaluation.Demonstration},
			Indicators: []evaluation.Indicator{
				key(text(technical, "全封闭自动化制备系统", "研制全封闭自动化细胞制备系统 1 套并通过 GMP 验证",
					"系统已研制完成并通过 GMP 符合性验证", met, "验证报告")),
				le(technical, "单批次制备周期", 7, "天", 8, "批生产记录"),
				key(le(technical, "细胞产品批间活率差异", 5, "%", 3.5, "三批次放行检验报告")),
				ge(economic, "制备成本降低", 30, "%", 33, "成本对比分析"),
				ge(economic, "服务在研细胞治疗管线", 5, "个", 4, "服务合同"),
			},
		},
		{
			Code: "23DZ2210500", Title: "面向工业互联网的边缘智能网关与安全可信接入系统", Class: evaluation.AppliedTechnology,
			Lead: "上海云启工业互联网科技有限公司", Participants: []string{"上海应用技术大学"},
			PI: member("魏子涵", "上海云启工业互联网科技有限公司", "项目负责人"),
			Members: []evaluation.Member{
				member("宁海", "上海云启工业互联网科技有限公司", "技术负责人"),
				member("卓雅", "上海应用技术大学", "课题负责人"),
				member("韦力", "上海云启工业互联网科技有限公司", "安全工程师"),
				member("庄晓", "上海云启工业互联网科技有限公司", "研发工程师"),
			},
			Budget: wan(450), Spent: wan(421.7), Start: "2023-07-01", End: "2026-06-30",
			SubjectCodes: []string{"520.40", "510.50"},
			Keywords:     []string{"工业互联网", "边缘计算", "智能网关", "可信接入"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(ge(technical, "支持工业协议种类", 30, "种", 36, "第三方测试报告")),
				key(le(technical, "边缘推理时延", 20, "ms", 18, "第三方测试报告")),
				text(technical, "安全可信接入", "通过网络安全等级保护 2.0 三级测评", "已通过三级测评", met, "测评报告"),
				ge(otherKind, "示范应用企业", 10, "家", 12, "用户应用证明"),
				ge(economic, "销售收入", 3000, "万元", 2650, "财务报表"),
			},
		},
	}
}

// concludingProjects are the projects of the campaign the demo shows
// concluding: contracts of 2022 that ended in 2025, scored, and with their
// results under way (results.go says what each one shows). Nobody on their
// teams is in the pool.
func concludingProjects() []*evaluation.Project {
	const (
		ehbh    = "海军军医大学第三附属医院"
		sci     = "上海市肿瘤研究所"
		cemcs   = "中国科学院分子细胞科学卓越创新中心"
		ecust   = "华东理工大学"
		sic     = "中国科学院上海硅酸盐研究所"
		power   = "上海空间电源研究所"
		sicPow  = "上海临芯功率半导体有限公司"
		h2      = "上海氢程新能源科技有限公司"
		imaging = "上海影禾医疗科技有限公司"
		chest   = "上海市胸科医院"
	)
	return []*evaluation.Project{
		{
			Code: "22JC1401100", Title: "肝细胞癌免疫检查点抑制剂耐药的表观遗传调控机制", Class: evaluation.BasicResearch,
			Lead: ehbh, Participants: []string{sci},
			PI: member("傅振宁", ehbh, "项目负责人"),
			Members: []evaluation.Member{
				member("冉晓彤", ehbh, "课题负责人"),
				member("景鹏", sci, "课题负责人"),
				member("詹一诺", ehbh, "主治医师"),
				member("陶慕白", ehbh, "博士后"),
			},
			Budget: wan(260), Spent: wan(251.38), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"320.74", "310.34", "180.41", "350.20"},
			Keywords:     []string{"肝细胞癌", "免疫检查点抑制剂", "治疗耐药", "表观遗传", "组蛋白修饰"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明免疫检查点抑制剂耐药的表观遗传机制",
					"阐明肝癌细胞组蛋白修饰重塑介导 PD-1 抗体治疗耐药的分子机制",
					"发现 SETD2 失活导致 H3K36me3 缺失、抑制抗原呈递相关基因转录，经类器官与人源化小鼠模型验证", met,
					"科技报告第 2–3 章；动物实验原始记录")),
				key(ge(technical, "建立免疫治疗肝癌患者前瞻性队列", 200, "例", 186,
					"队列数据库说明；伦理批件；另有 23 例筛选合格、因治疗方案调整未入组")),
				ge(technical, "发现并验证可逆转耐药的表观遗传干预靶点", 2, "个", 2, "靶点验证报告"),
				ge(ip, "申请发明专利", 2, "项", 3, "专利受理通知书"),
				ge(talent, "培养博士研究生", 3, "人", 4, "学位授予名单"),
			},
		},
		{
			Code: "22JC1401200", Title: "基于深度生成模型的蛋白质从头设计方法及其在酶工程中的应用基础", Class: evaluation.BasicResearch,
			Lead: cemcs, Participants: []string{ecust},
			PI: member("俞晨曦", cemcs, "项目负责人"),
			Members: []evaluation.Member{
				member("芮嘉诚", cemcs, "课题负责人"),
				member("梅书瑶", ecust, "课题负责人"),
				member("蓝天逸", cemcs, "研究骨干"),
				member("邬静怡", cemcs, "博士后"),
			},
			Budget: wan(240), Spent: wan(229.6), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"180.17", "520.20", "530.40"},
			Keywords:     []string{"蛋白质设计", "深度生成模型", "酶工程", "结构预测"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "建立蛋白质从头设计方法", "建立基于深度生成模型的蛋白质骨架与序列联合设计方法",
					"建立扩散生成模型骨架设计与逆折叠序列设计相结合的方法，设计成功率经湿实验评估", met,
					"科技报告；代码仓库；表达验证数据")),
				key(ge(technical, "设计蛋白的可溶表达比例", 60, "%", 68, "表达纯化实验记录（共测试 480 个设计）")),
				ge(technical, "获得具有催化活性的从头设计酶", 3, "个", 2, "酶活测定报告；第 3 个设计的活性低于检测限"),
				le(technical, "设计结构与解析晶体结构的 Cα 均方根偏差", 2.0, "Å", 1.6, "晶体结构解析报告（PDB 数据待公开）"),
				text(otherKind, "开源蛋白质设计软件", "发布开源设计软件 1 套", "已在开源平台发布并持续维护", met, "代码仓库地址"),
				ge(talent, "培养博士研究生", 3, "人", 3, "学位授予名单"),
			},
		},
		{
			Code: "22ZR1401300", Title: "固态锂金属电池固-固界面离子输运机理与界面稳定化调控", Class: evaluation.BasicResearch,
			Lead: sic, Participants: []string{power},
			PI: member("申立航", sic, "项目负责人"),
			Members: []evaluation.Member{
				member("卜佳怡", sic, "课题负责人"),
				member("谷思齐", power, "课题负责人"),
				member("汪润之", sic, "研究骨干"),
				member("井若溪", sic, "博士研究生"),
			},
			Budget: wan(180), Spent: wan(172.45), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"150.40", "480.20", "430.10"},
			Keywords:     []string{"固态电解质", "锂金属负极", "界面离子输运", "固态电池"},
			Indicators: []evaluation.Indicator{
				key(text(technical, "阐明固-固界面离子输运与锂枝晶生长机理",
					"阐明氧化物固态电解质/锂金属界面的离子输运瓶颈与枝晶成核、生长机理",
					"结合原位透射电镜与相场模拟，揭示晶界电子泄漏诱发枝晶的机理", met, "科技报告；原位表征数据")),
				key(ge(technical, "固态电解质室温离子电导率", 1.0, "mS/cm", 1.3, "电化学阻抗测试报告")),
				ge(technical, "锂对称电池临界电流密度", 1.5, "mA/cm²", 1.8, "电化学测试数据"),
				ge(technical, "全电池 0.5C 循环寿命（容量保持率 80%）", 500, "次", 420, "第三方循环测试报告；测试仍在进行"),
				ge(talent, "培养研究生", 3, "人", 4, "学位授予名单"),
			},
		},
		{
			Code: "22DZ2201400", Title: "新能源汽车用 1200V 碳化硅功率模块研制及产业化", Class: evaluation.AppliedTechnology,
			Lead: sicPow, Participants: []string{"上海大学"},
			PI: member("甄浩宇", sicPow, "项目负责人"),
			Members: []evaluation.Member{
				member("巫晓岚", sicPow, "技术负责人"),
				member("房家骏", "上海大学", "课题负责人"),
				member("屈振东", sicPow, "封装工艺工程师"),
				member("饶梦琪", sicPow, "可靠性工程师"),
			},
			Budget: wan(1200), Spent: wan(1148.6), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"510.30", "470.40", "460.20"},
			Keywords:     []string{"碳化硅", "功率模块", "新能源汽车", "电驱系统", "先进封装"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Indicators: []evaluation.Indicator{
				key(text(technical, "自主研制 1200V SiC MOSFET 芯片",
					"自主设计并流片 1200V/40mΩ SiC MOSFET 芯片，用于项目功率模块",
					"中期后改为外购进口芯片封装；自研芯片仅完成工程样片，未用于功率模块", notMet,
					"中期检查报告；芯片采购合同")),
				key(ge(technical, "功率模块功率循环寿命（ΔTj = 100 K）", 50000, "次", 62000, "第三方可靠性测试报告")),
				le(technical, "模块杂散电感", 8, "nH", 6.5, "第三方测试报告"),
				ge(economic, "功率模块累计销售", 20000, "套", 23500, "销售合同与发票"),
				ge(ip, "申请发明专利", 8, "项", 9, "专利受理通知书"),
			},
		},
		{
			Code: "22DZ2201500", Title: "车用燃料电池膜电极批量化制备关键技术及示范应用", Class: evaluation.AppliedTechnology,
			Lead: h2, Participants: []string{"同济大学"},
			PI: member("尚文昊", h2, "项目负责人"),
			Members: []evaluation.Member{
				member("阎思琪", h2, "技术负责人"),
				member("郝承志", "同济大学", "课题负责人"),
				member("冀晓萌", h2, "工艺工程师"),
				member("欧阳睿", h2, "质量工程师"),
			},
			Budget: wan(900), Spent: wan(868.2), Start: "2022-10-01", End: "2025-09-30",
			SubjectCodes: []string{"480.20", "430.35", "530.40"},
			Keywords:     []string{"燃料电池", "膜电极", "铂催化剂", "氢能汽车"},
			Methods:      []evaluation.Method{evaluation.Testing},
			Promotion:    true,
			Indicators: []evaluation.Indicator{
				key(ge(technical, "膜电极功率密度（0.65 V）", 1.2, "W/cm²", 1.31, "第三方测试报告")),
				key(ge(technical, "膜电极动态工况耐久性", 6000, "h", 6300, "加速耐久试验报告")),
				le(technical, "阴极铂载量", 0.35, "mg/cm²", 0.32, "第三方检测报告"),
				ge(otherKind, "膜电极自动化产线年产能", 20, "万片", 20, "产线验收报告"),
				ge(otherKind, "示范运营燃料电池汽车", 100, "辆", 120, "示范运营证明"),
			},
		},
		{
			Code: "22DZ2201600", Title: "基于多模态影像的肺结节智能辅助诊断系统研制与临床应用", Class: evaluation.AppliedTechnology,
			Lead: imaging, Participants: []string{chest},
			PI: member("艾嘉伟", imaging, "项目负责人"),
			Members: []evaluation.Member{
				member("祁雪宁", imaging, "算法负责人"),
				member("简宏", chest, "临床课题负责人"),
				member("隋文博", imaging, "软件工程师"),
				member("邰雅琪", imaging, "注册专员"),
			},
			Budget: wan(600), Spent: wan(571.4), Start: "2022-07-01", End: "2025-06-30",
			SubjectCodes: []string{"520.20", "320.11", "510.40"},
			Keywords:     []string{"肺结节", "医学影像", "人工智能辅助诊断", "医疗器械注册"},
			Methods:      []evaluation.Method{evaluation.Testing, evaluation.Demonstration},
			Promotion:    true,
			Indicators: []evaluation.Indicator{
				key(ge(technical, "肺结节良恶性鉴别 AUC（多中心外部验证）", 0.90, "", 0.93, "多中心临床验证报告")),
				key(text(otherKind, "取得医疗器械注册证", "取得第三类医疗器械注册证 1 项",
					"已取得国家药品监督管理局第三类医疗器械注册证", met, "注册证")),
				ge(technical, "4 mm 及以上结节检出敏感度", 95, "%", 96.4, "多中心临床验证报告"),
				ge(otherKind, "临床应用医院", 20, "家", 26, "用户应用证明"),
				ge(economic, "累计销售收入", 3000, "万元", 2480, "财务报表；销售合同"),
			},
		},
	}
}

package demo

import (
	"fmt"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The demo's two management agencies.
var agencies = []evaluation.NewAgency{
	{Code: "SSTPC", NameZH: "上海市科技项目评估中心", NameEN: "Shanghai S&T Project Evaluation Center"},
	{Code: "SHTIS", NameZH: "上海市科技创新服务中心", NameEN: "Shanghai S&T Innovation Service Center"},
}

// The demo's administrator, commission user and agency staff.
var staff = []evaluation.NewUser{
	{Username: "admin", Name: "陈立群", Email: "it-admin@stcsm.example.cn", Role: evaluation.RoleAdmin},
	{Username: "commission", Name: "王海燕", Email: "wang.haiyan@stcsm.example.cn", Role: evaluation.RoleCommission},
	{Username: "sstpc-li", Name: "李晓东", Email: "li.xiaodong@sstpc.example.cn", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC"},
	{Username: "sstpc-zhou", Name: "周敏", Email: "zhou.min@sstpc.example.cn", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC"},
	{Username: "sstpc-sun", Name: "孙雅婷", Email: "sun.yating@sstpc.example.cn", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC"},
	{Username: "shtis-huang", Name: "黄志刚", Email: "huang.zhigang@shtis.example.cn", Role: evaluation.RoleAgencyStaff, AgencyCode: "SHTIS"},
	{Username: "shtis-xu", Name: "徐静", Email: "xu.jing@shtis.example.cn", Role: evaluation.RoleAgencyStaff, AgencyCode: "SHTIS", Language: evaluation.LangEN},
}

// Subject codes follow GB/T 13745 (学科分类与代码).
func ex(name string, t evaluation.ExpertType, inst, title string, level evaluation.TitleLevel, region evaluation.Region,
	subjects, keywords []string) evaluation.Expert {
	langs := []string{"zh"}
	if region == evaluation.RegionInternational {
		langs = []string{"en"}
	} else if t == evaluation.StrategicScientist || t == evaluation.DomainExpert {
		langs = []string{"zh", "en"}
	}
	return evaluation.Expert{Name: name, Type: t, Institution: inst, Title: title, TitleLevel: level, Region: region,
		SubjectCodes: subjects, Keywords: keywords, Languages: langs, CanBeDrawn: true}
}

const (
	local    = evaluation.RegionLocal
	nonLocal = evaluation.RegionNonLocal
	intl     = evaluation.RegionInternational
	senior   = evaluation.TitleSenior
	assoc    = evaluation.TitleAssociate
	other    = evaluation.TitleOther
)

var experts = func() []evaluation.Expert {
	list := []evaluation.Expert{
		// Strategic scientists (战略科学家).
		ex("顾建华", evaluation.StrategicScientist, "中国科学院上海微系统与信息技术研究所", "研究员", senior, local,
			[]string{"510.30", "510.10"}, []string{"集成电路", "传感器", "微纳制造"}),
		ex("沈慧敏", evaluation.StrategicScientist, "复旦大学", "教授", senior, local,
			[]string{"180.21", "310.41"}, []string{"脑科学", "神经环路", "类脑智能"}),
		ex("范志远", evaluation.StrategicScientist, "中国科学技术大学", "教授", senior, nonLocal,
			[]string{"140.30", "520.10"}, []string{"量子信息", "量子通信", "量子计算"}),
		ex("林国栋", evaluation.StrategicScientist, "上海交通大学", "教授", senior, local,
			[]string{"460.40", "480.60"}, []string{"海洋工程", "深海装备", "新能源"}),

		// Domain experts (技术领域专家).
		ex("张卫东", evaluation.DomainExpert, "上海交通大学", "教授", senior, local,
			[]string{"520.20", "520.60"}, []string{"人工智能", "机器学习", "计算机视觉"}),
		ex("李红梅", evaluation.DomainExpert, "复旦大学", "研究员", senior, local,
			[]string{"180.41", "350.20"}, []string{"合成生物学", "基因编辑", "生物制药"}),
		ex("王建国", evaluation.DomainExpert, "同济大学", "教授", senior, local,
			[]string{"560.20", "610.30"}, []string{"智能交通", "土木工程", "结构健康监测"}),
		ex("刘晓燕", evaluation.DomainExpert, "华东师范大学", "教授", senior, local,
			[]string{"140.30", "510.50"}, []string{"精密光谱", "光通信", "激光技术"}),
		ex("陈志强", evaluation.DomainExpert, "中国科学院上海有机化学研究所", "研究员", senior, local,
			[]string{"150.25", "350.20"}, []string{"有机合成", "药物化学", "催化"}),
		ex("杨丽华", evaluation.DomainExpert, "上海大学", "教授", senior, local,
			[]string{"430.20", "430.35"}, []string{"新材料", "金属材料", "增材制造"}),
		ex("赵永刚", evaluation.DomainExpert, "华东理工大学", "教授", senior, local,
			[]string{"530.40", "150.40"}, []string{"化工过程", "绿色化工", "过程强化"}),
		ex("黄淑芬", evaluation.DomainExpert, "上海交通大学医学院附属瑞金医院", "主任医师", senior, local,
			[]string{"320.21", "310.61"}, []string{"内分泌", "代谢疾病", "临床研究"}),
		ex("周海涛", evaluation.DomainExpert, "东华大学", "教授", senior, local,
			[]string{"540.30", "430.40"}, []string{"纺织材料", "功能纤维", "可穿戴"}),
		ex("吴建平", evaluation.DomainExpert, "上海理工大学", "教授", senior, local,
			[]string{"460.20", "480.20"}, []string{"动力工程", "储能", "热管理"}),
		ex("徐明", evaluation.DomainExpert, "浙江大学", "教授", senior, nonLocal,
			[]string{"520.40", "520.20"}, []string{"软件工程", "大数据", "分布式系统"}),
		ex("孙晓红", evaluation.DomainExpert, "南京大学", "教授", senior, nonLocal,
			[]string{"170.40", "610.20"}, []string{"环境科学", "水污染控制", "碳中和"}),
		ex("马文杰", evaluation.DomainExpert, "清华大学", "研究员", senior, nonLocal,
			[]string{"510.30", "510.10"}, []string{"半导体器件", "功率电子", "芯片设计"}),
		ex("朱丽娟", evaluation.DomainExpert, "中国科学院上海药物研究所", "研究员", senior, local,
			[]string{"350.20", "350.30"}, []string{"新药研发", "药理学", "临床前研究"}),
		ex("胡振宇", evaluation.DomainExpert, "上海航天技术研究院", "研究员", senior, local,
			[]string{"590.30", "460.40"}, []string{"航天器", "导航制导", "卫星应用"}),
		ex("郭海燕", evaluation.DomainExpert, "上海海洋大学", "教授", senior, local,
			[]string{"240.50", "170.40"}, []string{"水产养殖", "海洋生态", "食品安全"}),
		ex("何光明", evaluation.DomainExpert, "上海电力大学", "副教授", assoc, local,
			[]string{"470.40", "480.60"}, []string{"智能电网", "光伏", "电力电子"}),
		ex("高雪梅", evaluation.DomainExpert, "华中科技大学", "教授", senior, nonLocal,
			[]string{"460.35", "520.60"}, []string{"智能制造", "工业机器人", "数字孪生"}),

		// International peers (国际同行).
		ex("David Chen", evaluation.InternationalPeer, "National University of Singapore", "Professor", senior, intl,
			[]string{"520.20", "520.60"}, []string{"artificial intelligence", "robotics"}),
		ex("Anna Müller", evaluation.InternationalPeer, "Technical University of Munich", "Professor", senior, intl,
			[]string{"430.20", "460.35"}, []string{"materials engineering", "additive manufacturing"}),
		ex("Kenji Tanaka", evaluation.InternationalPeer, "The University of Tokyo", "Professor", senior, intl,
			[]string{"180.41", "350.20"}, []string{"synthetic biology", "drug discovery"}),
		ex("Sarah Thompson", evaluation.InternationalPeer, "Imperial College London", "Reader", assoc, intl,
			[]string{"140.30", "510.50"}, []string{"photonics", "optical communication"}),
		ex("Michael O'Brien", evaluation.InternationalPeer, "University of Toronto", "Professor", senior, intl,
			[]string{"170.40", "480.60"}, []string{"environmental engineering", "renewable energy"}),

		// Investors (投资人).
		ex("钱立新", evaluation.Investor, "上海科创投资管理有限公司", "合伙人", other, local,
			[]string{"790.61", "520.60"}, []string{"硬科技投资", "人工智能", "半导体"}),
		ex("蒋晓雯", evaluation.Investor, "浦江生物医药产业基金", "投资总监", other, local,
			[]string{"790.61", "350.20"}, []string{"生物医药", "医疗器械", "早期投资"}),
		ex("韩冬", evaluation.Investor, "长三角先进制造产业投资基金", "执行董事", other, nonLocal,
			[]string{"790.61", "460.35"}, []string{"先进制造", "新能源", "成长期投资"}),
		ex("曹颖", evaluation.Investor, "临港新片区科创天使基金", "副总经理", other, local,
			[]string{"790.61", "510.30"}, []string{"天使投资", "集成电路", "技术转移"}),

		// Entrepreneurs (企业家).
		ex("唐建军", evaluation.Entrepreneur, "上海微见智能科技有限公司", "董事长、正高级工程师", senior, local,
			[]string{"520.60", "460.35"}, []string{"机器视觉", "工业检测", "智能制造"}),
		ex("许丽萍", evaluation.Entrepreneur, "上海康禾生物医药股份有限公司", "总经理", other, local,
			[]string{"350.20", "180.41"}, []string{"抗体药物", "产业化", "GMP"}),
		ex("邓志华", evaluation.Entrepreneur, "江苏恒拓新材料科技有限公司", "技术总监、教授级高工", senior, nonLocal,
			[]string{"430.35", "530.40"}, []string{"复合材料", "工程化", "中试"}),
		ex("冯晓峰", evaluation.Entrepreneur, "上海蓝岸新能源科技有限公司", "创始人", other, local,
			[]string{"480.20", "470.40"}, []string{"储能系统", "电池管理", "示范应用"}),

		// Finance experts (财务专家).
		ex("彭雅琴", evaluation.FinanceExpert, "立华会计师事务所（特殊普通合伙）上海分所", "注册会计师、合伙人", senior, local,
			[]string{"790.61", "630.40"}, []string{"科研经费审计", "专项资金", "内部控制"}),
		ex("谢文斌", evaluation.FinanceExpert, "上海财经大学会计学院", "教授", senior, local,
			[]string{"790.61", "630.40"}, []string{"政府会计", "绩效审计", "预算管理"}),
		ex("罗美玲", evaluation.FinanceExpert, "中审华信会计师事务所上海分所", "高级会计师", assoc, local,
			[]string{"790.61"}, []string{"财务决算", "经费使用合规", "审计"}),
		ex("梁国强", evaluation.FinanceExpert, "上海市财政科学研究所", "研究员", senior, local,
			[]string{"790.55", "630.40"}, []string{"财政资金绩效", "预算执行", "政府采购"}),
		ex("宋佳", evaluation.FinanceExpert, "江苏苏亚金诚会计师事务所", "注册会计师", other, nonLocal,
			[]string{"790.61"}, []string{"科研项目审计", "财务管理", "税务"}),
	}
	// An expert who cannot be drawn this year, to show the flag and reason.
	list[13].CanBeDrawn = false
	list[13].NoDrawReason = "2026年度借调至市级机关工作，暂停抽取"
	// Every expert has an address in the database, under the number the
	// expert database gives them; the first has their own.
	for i := range list {
		list[i].Email = fmt.Sprintf("zj%04d@experts.stcsm.example.cn", 2001+i)
	}
	list[0].Email = "gu.jianhua@example.org"
	return list
}()

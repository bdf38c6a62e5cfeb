package imports

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The project import: one row per project on the sheet "项目 Projects" and
// one row per contract indicator on the sheet "考核指标 Indicators", linked
// by the project code. Sheets are recognised by their header rows, not
// their names. A csv file holds one table, so a csv import is the projects
// table in one file and, optionally, the indicators table in a second,
// each with the same columns as its sheet.

var projectsTable = indexed(&table{
	Name: "projects", Sheet: "项目 Projects", Markers: []string{"code", "title"}, ExampleRows: 1,
	Columns: []column{
		{Key: "code", ZH: "项目编号", EN: "Code", Aliases: []string{"编号", "项目代码", "project code", "project no"}, Required: true, Text: true,
			ExampleZH: "2024-ZD-001", ExampleEN: "2024-ZD-001"},
		{Key: "title", ZH: "项目名称", EN: "Title", Aliases: []string{"名称", "课题名称", "project title", "project name"}, Required: true,
			ExampleZH: "城市地下管网智能巡检机器人研发", ExampleEN: "Inspection robots for urban underground pipe networks"},
		{Key: "class", ZH: "项目类别", EN: "Class", Aliases: []string{"类别", "project class", "category"}, Required: true,
			ExampleZH: "应用技术类", ExampleEN: "applied technology",
			ChoicesZH: []string{"基础研究类", "应用技术类"}, ChoicesEN: []string{"basic research", "applied technology"}},
		{Key: "lead", ZH: "承担单位", EN: "Lead institution", Aliases: []string{"牵头单位", "项目承担单位", "lead", "lead_institution"}, Required: true,
			ExampleZH: "同济大学", ExampleEN: "Tongji University"},
		{Key: "participants", ZH: "参与单位", EN: "Participating institutions", Aliases: []string{"合作单位", "participants"},
			ExampleZH: "上海市政工程设计研究总院（集团）有限公司；上海交通大学",
			ExampleEN: "Shanghai Municipal Engineering Design Institute; Shanghai Jiao Tong University"},
		{Key: "pi", ZH: "项目负责人", EN: "Principal investigator", Aliases: []string{"负责人", "pi", "pi name", "pi_name"}, Required: true,
			ExampleZH: "王建国", ExampleEN: "Wang Jianguo"},
		{Key: "pi_institution", ZH: "负责人单位", EN: "PI institution", Aliases: []string{"负责人所在单位", "pi affiliation"},
			ExampleZH: "同济大学", ExampleEN: "Tongji University"},
		{Key: "members", ZH: "项目组成员", EN: "Members", Aliases: []string{"成员", "team members", "team"},
			ExampleZH: "李四, 同济大学, 算法研发；赵敏, 上海交通大学, 样机测试",
			ExampleEN: "Li Si, Tongji University, algorithms; Zhao Min, Shanghai Jiao Tong University, prototype tests"},
		{Key: "budget", ZH: "任务书经费（万元）", EN: "Budget (10k yuan)", Aliases: []string{"任务书经费", "经费", "预算", "budget",
			"budget (wan yuan)", "budget (10,000 yuan)"}, ExampleZH: "300", ExampleEN: "300"},
		{Key: "spent", ZH: "决算支出（万元）", EN: "Spent (10k yuan)", Aliases: []string{"决算支出", "决算", "支出", "spent",
			"final accounts", "spent (wan yuan)", "spent (10,000 yuan)"}, ExampleZH: "286.5", ExampleEN: "286.5"},
		{Key: "start", ZH: "开始日期", EN: "Start date", Aliases: []string{"开始", "起始日期", "start"},
			ExampleZH: "2022-01-01", ExampleEN: "2022-01-01"},
		{Key: "end", ZH: "结束日期", EN: "End date", Aliases: []string{"结束", "截止日期", "end"},
			ExampleZH: "2024-12-31", ExampleEN: "2024-12-31"},
		{Key: "subject_codes", ZH: "学科代码", EN: "Subject codes", Aliases: []string{"学科", "subject code", "subjects"}, Required: true, Text: true,
			ExampleZH: "460.50；520.20", ExampleEN: "460.50; 520.20"},
		{Key: "keywords", ZH: "关键词", EN: "Keywords", Aliases: []string{"关键字", "keyword"},
			ExampleZH: "管网巡检、机器人、缺陷识别", ExampleEN: "pipe inspection; robotics; defect detection"},
		{Key: "methods", ZH: "评价方式", EN: "Evaluation methods", Aliases: []string{"评价方法", "methods"},
			ExampleZH: "同行评议、现场测试", ExampleEN: "peer review; on-site testing"},
		{Key: "promotion", ZH: "推广示范要求", EN: "Promotion requirement", Aliases: []string{"有推广示范要求", "推广示范", "promotion"},
			ExampleZH: "否", ExampleEN: "no", ChoicesZH: []string{"是", "否"}, ChoicesEN: []string{"yes", "no"}},
		{Key: "avoid", ZH: "申请回避专家", EN: "Experts to avoid", Aliases: []string{"回避专家", "avoid", "avoid list"},
			ExampleZH: "周立, 某管网科技有限公司, 存在竞争关系", ExampleEN: "Zhou Li, a pipe technology company, competitor"},
	},
})

var indicatorsTable = indexed(&table{
	Name: "indicators", Sheet: "考核指标 Indicators", Markers: []string{"code", "name"}, ExampleRows: 2, MaxRows: maxSheetRows,
	Columns: []column{
		{Key: "code", ZH: "项目编号", EN: "Project code", Aliases: []string{"编号", "code"}, Required: true, Text: true,
			ExampleZH: "2024-ZD-001\n2024-ZD-001", ExampleEN: "2024-ZD-001\n2024-ZD-001"},
		{Key: "name", ZH: "指标名称", EN: "Indicator", Aliases: []string{"考核指标", "指标", "indicator name", "name"}, Required: true,
			ExampleZH: "连续巡检里程\n管道缺陷识别方法", ExampleEN: "Continuous inspection distance\nPipe defect recognition method"},
		{Key: "kind", ZH: "指标类型", EN: "Kind", Aliases: []string{"类型", "type", "indicator kind"},
			ExampleZH: "技术\n技术", ExampleEN: "technical\ntechnical",
			ChoicesZH: []string{"技术", "经济", "知识产权", "人才", "其他"}, ChoicesEN: []string{"technical", "economic", "IP", "talent", "other"}},
		{Key: "main", ZH: "主要指标", EN: "Main", Aliases: []string{"是否主要指标", "main indicator"},
			ExampleZH: "是\n否", ExampleEN: "yes\nno", ChoicesZH: []string{"是", "否"}, ChoicesEN: []string{"yes", "no"}},
		{Key: "direction", ZH: "方向", EN: "Direction", Aliases: []string{"考核方向", "比较方向"},
			ExampleZH: "≥\n", ExampleEN: "≥\n", ChoicesZH: []string{"≥", "≤"}, ChoicesEN: []string{"≥", "≤"}},
		{Key: "target_value", ZH: "目标值", EN: "Target value", Aliases: []string{"目标", "指标值", "target"},
			ExampleZH: "5\n", ExampleEN: "5\n"},
		{Key: "unit", ZH: "单位", EN: "Unit", Aliases: []string{"计量单位"}, ExampleZH: "km\n", ExampleEN: "km\n"},
		{Key: "target_text", ZH: "文字目标", EN: "Target text", Aliases: []string{"目标描述", "text target"},
			ExampleZH: "\n形成适用于 DN300 以上管道的缺陷识别方法", ExampleEN: "\nA defect recognition method for pipes of DN300 and above"},
		{Key: "actual_value", ZH: "实际值", EN: "Actual value", Aliases: []string{"完成值", "actual"},
			ExampleZH: "6\n", ExampleEN: "6\n"},
		{Key: "actual_text", ZH: "完成情况", EN: "Actual text", Aliases: []string{"完成情况（文字）", "完成情况说明", "actual (text)"},
			ExampleZH: "\n已形成并在 3 个区示范应用", ExampleEN: "\nDone, and in use in 3 districts"},
		{Key: "evidence", ZH: "佐证", EN: "Evidence", Aliases: []string{"佐证材料", "证明材料"},
			ExampleZH: "第三方测试报告\n应用证明", ExampleEN: "Third-party test report\nUser statements"},
		{Key: "status", ZH: "完成状态", EN: "Status", Aliases: []string{"状态", "完成状态（文字目标）"},
			ExampleZH: "\n达到", ExampleEN: "\nmet",
			ChoicesZH: []string{"达到", "部分达到", "未达到", "待评价"}, ChoicesEN: []string{"met", "partly met", "not met", "unknown"}},
	},
})

var (
	classChoice = newChoice(map[string][]string{
		string(evaluation.BasicResearch):     {"基础研究类", "基础研究", "基础类", "basic research", "basic", "br"},
		string(evaluation.AppliedTechnology): {"应用技术类", "应用技术", "应用类", "applied technology", "applied", "at"},
	})
	methodChoice = newChoice(map[string][]string{
		string(evaluation.PeerReview):    {"同行评议", "同行评审", "peer review"},
		string(evaluation.Inspection):    {"实地考察", "现场考察", "on-site inspection", "site inspection", "site visit"},
		string(evaluation.Testing):       {"现场测试", "测试", "on-site testing", "on-site test", "test"},
		string(evaluation.Demonstration): {"功能演示", "演示", "functional demonstration", "demo"},
	})
	kindChoice = newChoice(map[string][]string{
		string(evaluation.IndicatorTechnical): {"技术", "技术指标", "tech"},
		string(evaluation.IndicatorEconomic):  {"经济", "经济指标"},
		string(evaluation.IndicatorIP):        {"知识产权", "intellectual property"},
		string(evaluation.IndicatorTalent):    {"人才", "人才培养"},
		string(evaluation.IndicatorOther):     {"其他", "其它"},
	})
	directionChoice = newChoice(map[string][]string{
		string(evaluation.AtLeast): {"≥", ">=", "≧", "＞＝", "不低于", "不少于", "至少", "大于等于", "at least", "min", "minimum"},
		string(evaluation.AtMost):  {"≤", "<=", "≦", "＜＝", "不高于", "不超过", "至多", "小于等于", "at most", "max", "maximum"},
	})
	statusChoice = newChoice(map[string][]string{
		string(evaluation.StatusMet):     {"达到", "已达到", "完成", "met"},
		string(evaluation.StatusPartly):  {"部分达到", "基本达到", "partly", "partly met", "partially met"},
		string(evaluation.StatusNotMet):  {"未达到", "未完成", "not met"},
		string(evaluation.StatusUnknown): {"待评价", "未知", "unknown"},
	})
	// A subject code typed as a number loses its trailing zero in Excel
	// (520.20 becomes 520.2); the second level always has two digits.
	shortSubject = regexp.MustCompile(`^\d{3}\.\d$`)
)

// projectRows remembers where each parsed project and indicator came from,
// to file the domain's field errors under their cells.
type projectRows struct {
	proj, ind *sheetTable
	rows      []int   // project → row
	indRows   [][]int // project → indicator → row
}

// projectColumns maps the domain's field paths, list positions dropped,
// to the projects table's columns.
var projectColumns = map[string]string{
	"code": "code", "title": "title", "class": "class", "lead_institution": "lead", "participants": "participants",
	"pi": "pi", "pi.name": "pi", "pi.institution": "pi_institution", "members": "members", "members.name": "members",
	"budget": "budget", "spent": "spent", "start": "start", "end": "end", "subject_codes": "subject_codes",
	"keywords": "keywords", "methods": "methods", "promotion": "promotion", "avoid": "avoid", "avoid.name": "avoid",
	"indicators": "code",
}

var indicatorColumns = map[string]string{
	"name": "name", "kind": "kind", "main": "main", "target.value": "target_value", "target.direction": "direction",
	"target.unit": "unit", "target.text": "target_text", "actual.value": "actual_value", "actual.text": "actual_text",
	"evidence": "evidence", "status": "status",
}

// locate files a domain field error ("projects.3.indicators.1.target")
// under its cell.
func (pr *projectRows) locate(field, msg string, args []any) (Problem, bool) {
	i, rest, ok := fieldPath(field, "projects")
	if !ok || i < 0 || i >= len(pr.rows) {
		return Problem{}, false
	}
	if j, sub, ok := fieldPath(rest, "indicators"); ok && pr.ind != nil && j >= 0 && j < len(pr.indRows[i]) {
		key := indicatorColumns[sub]
		if sub == "target" { // neither a number nor a text
			key = "target_value"
			if !pr.ind.has(key) {
				key = "target_text"
			}
		}
		return pr.ind.at(pr.indRows[i][j], key, msg, args...), true
	}
	key := projectColumns[stripIndexes(rest)]
	if key == "" {
		head, _, _ := strings.Cut(rest, ".")
		key = projectColumns[head]
	}
	return pr.proj.at(pr.rows[i], key, msg, args...), true
}

// readProject reads a row of the projects table.
func readProject(t *sheetTable, row rawRow, r *Report) *evaluation.Project {
	g := func(k string) string { return t.get(row, k) }
	p := &evaluation.Project{Code: g("code"), Title: g("title"), Class: evaluation.ProjectClass(classChoice.of(g("class"))),
		Lead: g("lead"), Participants: splitCell(g("participants"), sepNames),
		PI:    evaluation.Member{Name: g("pi"), Institution: g("pi_institution")},
		Start: parseDate(g("start"), t.XLSX, t.Date04), End: parseDate(g("end"), t.XLSX, t.Date04),
		SubjectCodes: subjectCodes(g("subject_codes")), Keywords: splitCell(g("keywords"), sepKeywords)}
	for _, e := range entries(g("members")) {
		p.Members = append(p.Members, evaluation.Member{Name: e[0], Institution: e[1], Role: e[2]})
	}
	for _, e := range entries(g("avoid")) {
		p.Avoid = append(p.Avoid, evaluation.Avoid{Name: e[0], Institution: e[1], Reason: e[2]})
	}
	for _, m := range splitCell(g("methods"), sepKeywords) {
		// The domain drops a method it does not know while normalising;
		// in a file it is a mistake to report.
		if v := evaluation.Method(methodChoice.of(m)); v.Valid() {
			p.Methods = append(p.Methods, v)
		} else {
			r.add(t.at(row.Num, "methods", "import.unknown_method", "Method", m))
		}
	}
	var msg string
	if p.Budget, msg = parseWan(g("budget")); msg != "" {
		r.add(t.at(row.Num, "budget", msg))
	}
	if p.Spent, msg = parseWan(g("spent")); msg != "" {
		r.add(t.at(row.Num, "spent", msg))
	}
	var ok bool
	if p.Promotion, ok = parseBool(g("promotion"), false); !ok {
		r.add(t.at(row.Num, "promotion", "import.not_yes_no"))
	}
	return p
}

func subjectCodes(s string) []string {
	list := splitCell(s, sepCodes)
	for i, c := range list {
		if shortSubject.MatchString(c) {
			list[i] = c + "0"
		}
	}
	return list
}

// readIndicator reads a row of the indicators table.
func readIndicator(t *sheetTable, row rawRow, r *Report) evaluation.Indicator {
	g := func(k string) string { return t.get(row, k) }
	in := evaluation.Indicator{Name: g("name"), Kind: evaluation.IndicatorKind(kindChoice.of(g("kind"))),
		Target:   evaluation.Target{Unit: g("unit"), Text: g("target_text")},
		Actual:   evaluation.Actual{Text: g("actual_text")},
		Evidence: g("evidence"), Status: evaluation.IndicatorStatus(statusChoice.of(g("status")))}
	var ok bool
	if in.Main, ok = parseBool(g("main"), false); !ok {
		r.add(t.at(row.Num, "main", "import.not_yes_no"))
	}
	if in.Target.Value, ok = parseNumber(g("target_value")); !ok {
		r.add(t.at(row.Num, "target_value", "import.target_not_number"))
	}
	if in.Actual.Value, ok = parseNumber(g("actual_value")); !ok {
		r.add(t.at(row.Num, "actual_value", "import.not_number"))
	}
	if in.Target.Value != nil {
		in.Target.Direction = evaluation.Direction(directionChoice.of(g("direction")))
	}
	return in
}

// buildProjects reads the projects and attaches the indicators to them by
// project code.
func buildProjects(proj, ind *sheetTable, r *Report) ([]*evaluation.Project, *projectRows) {
	pr := &projectRows{proj: proj, ind: ind}
	var list []*evaluation.Project
	byCode := map[string]int{}
	for _, row := range proj.Rows {
		p := readProject(proj, row, r)
		if _, dup := byCode[p.Code]; !dup && p.Code != "" {
			byCode[p.Code] = len(list)
		}
		list = append(list, p)
		pr.rows = append(pr.rows, row.Num)
	}
	pr.indRows = make([][]int, len(list))
	if ind == nil {
		return list, pr
	}
	for _, row := range ind.Rows {
		in := readIndicator(ind, row, r)
		code := ind.get(row, "code")
		i, ok := byCode[code]
		switch {
		case code == "":
			r.add(ind.at(row.Num, "code", "error.required"))
		case !ok:
			r.add(ind.at(row.Num, "code", "import.unknown_project", "Code", code))
		default:
			list[i].Indicators = append(list[i].Indicators, in)
			pr.indRows[i] = append(pr.indRows[i], row.Num)
		}
	}
	return list, pr
}

// ReadProjects reads a project import: a workbook with the projects table
// and the indicators table on their sheets, or a csv file with the
// projects table and, optionally, a second csv file (indicators) with the
// indicators table. A nil file is a missing one. It returns the projects
// read, with their indicators, and the report of every problem found in
// the file; the projects are nil when the file could not be read as a
// whole. The domain's rules are not checked yet: ImportProjects does,
// folding their answers into the same report.
func ReadProjects(file, indicators *File) ([]*evaluation.Project, *Report) {
	r := newReport(projectsTable, indicatorsTable)
	main, extra := r.open(file), r.open(indicators)
	if main == nil {
		r.file("", "import.no_file")
		return nil, r
	}
	if !r.OK() {
		return nil, r
	}
	var proj, ind *sheetTable
	use := func(u *upload, s rawSheet, date1904 bool, want ...*table) {
		t, hdr := findTable(s, want...)
		if t == nil {
			return
		}
		slot := &proj
		if t == indicatorsTable {
			slot = &ind
		}
		if *slot != nil {
			r.file(u.Name, "import.table_twice", "First", (*slot).Sheet, "Second", s.Name)
			return
		}
		*slot = readTable(s, t, hdr, r)
		(*slot).XLSX, (*slot).Date04 = u.Format == "xlsx", date1904
	}
	sheets, date1904 := readSheets(main, r)
	for _, s := range sheets {
		use(main, s, date1904, projectsTable, indicatorsTable)
	}
	if main.Format == "csv" && proj == nil && ind != nil {
		r.file(main.Name, "import.csv_is_indicators")
		return nil, r
	}
	if extra != nil {
		switch {
		case main.Format == "xlsx":
			r.file(extra.Name, "import.indicators_only_csv")
		case extra.Format != "csv":
			r.file(extra.Name, "import.indicators_csv")
		default:
			sheets, _ := readSheets(extra, r)
			for _, s := range sheets {
				use(extra, s, false, indicatorsTable)
			}
			if ind == nil && r.OK() {
				r.file(extra.Name, "import.no_indicators_table")
			}
		}
	}
	if proj == nil {
		if r.OK() {
			r.file(main.Name, "import.no_projects_table")
		}
		return nil, r
	}
	list, pr := buildProjects(proj, ind, r)
	if len(list) == 0 {
		r.add(Problem{Table: proj.Spec.Name, Sheet: proj.Sheet, Row: proj.Header, Message: "import.no_rows"})
		return nil, r
	}
	r.locate = pr.locate
	return list, r
}

// ProjectService is what a project import needs from the campaigns
// service (evaluation.CampaignService).
type ProjectService interface {
	CheckProjectImport(ctx context.Context, actor evaluation.Actor, campaignID int64, list []*evaluation.Project) error
	ImportProjects(ctx context.Context, actor evaluation.Actor, campaignID int64, list []*evaluation.Project, file evaluation.ImportFile) error
}

// ImportProjects imports projects into a campaign, all or nothing: it
// reads the files (see ReadProjects), has the service check the projects
// read against the domain's rules and the campaign (codes already taken),
// even when the file has problems of its own, so that every problem is
// listed at once, and asks the service to store them only when the report
// is clean. The service records the import and each project in the audit
// log, under the actor.
//
// It returns the projects stored, or nil and the report of the problems
// (Report.OK is false; Report.Code says invalid or conflict). err is an
// error that is not about the file: the campaign is not found, not the
// actor's or locked, or the store failed.
func ImportProjects(ctx context.Context, svc ProjectService, actor evaluation.Actor, campaignID int64,
	file, indicators *File) ([]*evaluation.Project, *Report, error) {
	list, r := ReadProjects(file, indicators)
	// Another import may have taken a code since the check: store folds
	// the service's second answer too.
	return store(list, r, func() error { return svc.CheckProjectImport(ctx, actor, campaignID, list) },
		func(f evaluation.ImportFile) error { return svc.ImportProjects(ctx, actor, campaignID, list, f) })
}

// projectNotes are the instructions of the projects template.
var projectNotes = []string{"import.note.projects", "import.note.indicators", "import.note.lists", "import.note.amounts",
	"import.note.dates", "import.note.choices", "import.note.all_or_nothing", "import.note.csv_projects"}

// ProjectHelp is how to fill in a project import, in lang.
func ProjectHelp(lang evaluation.Language, tr Translate) Help {
	return help(lang, tr, projectNotes, projectsTable, indicatorsTable)
}

// ProjectTemplateXLSX is the project import's workbook template in lang:
// the projects and indicators sheets with their headers, an example
// project, drop-downs for the choices, and the instructions.
func ProjectTemplateXLSX(lang evaluation.Language, tr Translate) ([]byte, error) {
	data, err := templateXLSX(lang, tr, projectNotes, projectsTable, indicatorsTable)
	if err != nil {
		return nil, fmt.Errorf("projects template: %w", err)
	}
	return data, nil
}

// ProjectTemplateCSV is the projects table of the template as csv, in
// UTF-8 with a BOM.
func ProjectTemplateCSV(lang evaluation.Language) ([]byte, error) {
	return templateCSV(projectsTable, lang)
}

// IndicatorTemplateCSV is the indicators table of the template as csv, to
// import beside the projects csv.
func IndicatorTemplateCSV(lang evaluation.Language) ([]byte, error) {
	return templateCSV(indicatorsTable, lang)
}

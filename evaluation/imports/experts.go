package imports

import (
	"context"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The expert pool import: one row per expert on the sheet "专家 Experts"
// (or the one table of a csv file). Pool managers (administrators and the
// commission) import; the same person twice, in the file or already in the
// pool, is refused like any other problem.

var expertsTable = indexed(&table{
	Name: "experts", Sheet: "专家 Experts", Markers: []string{"name", "institution"}, ExampleRows: 1,
	Columns: []column{
		{Key: "name", ZH: "姓名", EN: "Name", Aliases: []string{"专家姓名", "expert name"}, Required: true,
			ExampleZH: "陈立平", ExampleEN: "Chen Liping"},
		{Key: "type", ZH: "专家类型", EN: "Type", Aliases: []string{"类型", "expert type"}, Required: true,
			ExampleZH: "技术领域专家", ExampleEN: "domain expert",
			ChoicesZH: []string{"战略科学家", "技术领域专家", "国际同行", "投资人", "企业家", "财务专家"},
			ChoicesEN: []string{"strategic scientist", "domain expert", "international peer", "investor", "entrepreneur", "finance expert"}},
		{Key: "institution", ZH: "工作单位", EN: "Institution", Aliases: []string{"单位", "所在单位", "affiliation", "employer"}, Required: true,
			ExampleZH: "上海大学", ExampleEN: "Shanghai University"},
		{Key: "title", ZH: "职称职务", EN: "Title", Aliases: []string{"职称", "职务", "position"},
			ExampleZH: "教授", ExampleEN: "Professor"},
		{Key: "title_level", ZH: "职称级别", EN: "Title level", Aliases: []string{"级别", "level"}, Required: true,
			ExampleZH: "正高级", ExampleEN: "senior",
			ChoicesZH: []string{"正高级", "副高级", "其他"}, ChoicesEN: []string{"senior", "associate", "other"}},
		{Key: "subject_codes", ZH: "学科代码", EN: "Subject codes", Aliases: []string{"学科", "subject code", "subjects"}, Text: true,
			ExampleZH: "520.20；510.30", ExampleEN: "520.20; 510.30"},
		{Key: "keywords", ZH: "研究方向关键词", EN: "Keywords", Aliases: []string{"关键词", "研究方向", "research interests"},
			ExampleZH: "智能机器人、机器视觉", ExampleEN: "intelligent robots; machine vision"},
		{Key: "region", ZH: "地域", EN: "Region", Aliases: []string{"地区", "所在地"}, Required: true,
			ExampleZH: "本地", ExampleEN: "local",
			ChoicesZH: []string{"本地", "外地", "境外"}, ChoicesEN: []string{"local", "non-local", "international"}},
		{Key: "languages", ZH: "工作语言", EN: "Languages", Aliases: []string{"语言", "language"},
			ExampleZH: "中文、英文", ExampleEN: "Chinese; English"},
		{Key: "email", ZH: "电子邮箱", EN: "Email", Aliases: []string{"邮箱", "电子邮件", "e-mail", "mail"},
			ExampleZH: "chen.liping@example.edu.cn", ExampleEN: "chen.liping@example.edu.cn"},
		{Key: "can_be_drawn", ZH: "可抽取", EN: "Can be drawn", Aliases: []string{"是否可抽取", "drawable"},
			ExampleZH: "是", ExampleEN: "yes", ChoicesZH: []string{"是", "否"}, ChoicesEN: []string{"yes", "no"}},
		{Key: "no_draw_reason", ZH: "暂停抽取原因", EN: "Reason not drawable", Aliases: []string{"不可抽取原因", "原因", "reason"}},
	},
})

var (
	typeChoice = newChoice(map[string][]string{
		string(evaluation.StrategicScientist): {"战略科学家", "strategic scientist"},
		string(evaluation.DomainExpert):       {"技术领域专家", "领域专家", "技术专家", "domain expert"},
		string(evaluation.InternationalPeer):  {"国际同行", "国际同行专家", "international peer"},
		string(evaluation.Investor):           {"投资人", "投资专家", "investor"},
		string(evaluation.Entrepreneur):       {"企业家", "entrepreneur"},
		string(evaluation.FinanceExpert):      {"财务专家", "finance expert", "financial expert"},
	})
	titleLevelChoice = newChoice(map[string][]string{
		string(evaluation.TitleSenior):    {"正高级", "正高", "正高级职称", "senior"},
		string(evaluation.TitleAssociate): {"副高级", "副高", "副高级职称", "associate"},
		string(evaluation.TitleOther):     {"其他", "其它", "中级", "other"},
	})
	regionChoice = newChoice(map[string][]string{
		string(evaluation.RegionLocal):         {"本地", "本市", "local"},
		string(evaluation.RegionNonLocal):      {"外地", "外省市", "non-local", "nonlocal"},
		string(evaluation.RegionInternational): {"境外", "国外", "海外", "international"},
	})
	languageChoice = newChoice(map[string][]string{
		"zh": {"中文", "汉语", "chinese"}, "en": {"英文", "英语", "english"}, "ja": {"日文", "日语", "japanese"},
		"de": {"德文", "德语", "german"}, "fr": {"法文", "法语", "french"}, "ko": {"韩文", "韩语", "korean"},
		"ru": {"俄文", "俄语", "russian"}, "es": {"西班牙文", "西班牙语", "spanish"},
	})
)

// expertColumns maps the domain's field paths, list positions dropped, to
// the table's columns.
var expertColumns = map[string]string{
	"name": "name", "type": "type", "institution": "institution", "title": "title", "title_level": "title_level",
	"subject_codes": "subject_codes", "keywords": "keywords", "region": "region", "languages": "languages",
	"email": "email", "no_draw_reason": "no_draw_reason", "can_be_drawn": "can_be_drawn",
}

// expertRows remembers the row of each parsed expert.
type expertRows struct {
	t    *sheetTable
	rows []int
}

func (er *expertRows) locate(field, msg string, args []any) (Problem, bool) {
	i, rest, ok := fieldPath(field, "experts")
	if !ok || i < 0 || i >= len(er.rows) {
		return Problem{}, false
	}
	return er.t.at(er.rows[i], expertColumns[stripIndexes(rest)], msg, args...), true
}

func readExpert(t *sheetTable, row rawRow, r *Report) *evaluation.Expert {
	g := func(k string) string { return t.get(row, k) }
	e := &evaluation.Expert{Name: g("name"), Type: evaluation.ExpertType(typeChoice.of(g("type"))), Institution: g("institution"),
		Title: g("title"), TitleLevel: evaluation.TitleLevel(titleLevelChoice.of(g("title_level"))),
		SubjectCodes: subjectCodes(g("subject_codes")), Keywords: splitCell(g("keywords"), sepKeywords),
		Region: evaluation.Region(regionChoice.of(g("region"))), Email: g("email"), NoDrawReason: g("no_draw_reason")}
	for _, l := range splitCell(g("languages"), sepCodes) {
		if v := languageChoice.of(l); v != l {
			l = v
		} else if !strings.Contains(l, "-") {
			l = strings.ToLower(l)
		}
		e.Languages = append(e.Languages, l)
	}
	var ok bool
	if e.CanBeDrawn, ok = parseBool(g("can_be_drawn"), true); !ok {
		r.add(t.at(row.Num, "can_be_drawn", "import.not_yes_no"))
	}
	return e
}

// ReadExperts reads an expert import: a workbook with the experts table on
// one of its sheets, or a csv file with the experts table. A nil file is a
// missing one. It returns the profiles read and the report of every
// problem found in the file; the profiles are nil when the file could not
// be read as a whole. The domain's rules are not checked yet:
// ImportExperts does, folding their answers into the same report.
func ReadExperts(file *File) ([]*evaluation.Expert, *Report) {
	r := newReport(expertsTable)
	u := r.open(file)
	if u == nil {
		r.file("", "import.no_file")
		return nil, r
	}
	if !r.OK() {
		return nil, r
	}
	sheets, date1904 := readSheets(u, r)
	var t *sheetTable
	for _, s := range sheets {
		spec, hdr := findTable(s, expertsTable)
		if spec == nil {
			continue
		}
		if t != nil {
			r.file(u.Name, "import.table_twice", "First", t.Sheet, "Second", s.Name)
			break
		}
		t = readTable(s, spec, hdr, r)
		t.XLSX, t.Date04 = u.Format == "xlsx", date1904
	}
	if t == nil {
		if r.OK() {
			r.file(u.Name, "import.no_experts_table")
		}
		return nil, r
	}
	er := &expertRows{t: t}
	var list []*evaluation.Expert
	for _, row := range t.Rows {
		list = append(list, readExpert(t, row, r))
		er.rows = append(er.rows, row.Num)
	}
	if len(list) == 0 {
		r.add(Problem{Table: t.Spec.Name, Sheet: t.Sheet, Row: t.Header, Message: "import.no_rows"})
		return nil, r
	}
	r.locate = er.locate
	return list, r
}

// ExpertService is what an expert import needs from the pool service
// (evaluation.PoolService).
type ExpertService interface {
	CheckExpertImport(ctx context.Context, actor evaluation.Actor, list []*evaluation.Expert) error
	ImportExperts(ctx context.Context, actor evaluation.Actor, list []*evaluation.Expert, file evaluation.ImportFile) error
}

// ImportExperts imports profiles into the expert pool, all or nothing, as
// ImportProjects imports projects: it reads the file (see ReadExperts),
// has the service check the profiles (the same person twice, in the file
// or already in the pool) even when the file has problems of its own, and
// asks the service to store them only when the report is clean. The
// service records the import and each profile in the audit log, under the
// actor.
//
// It returns the profiles stored, or nil and the report of the problems.
// err is an error that is not about the file: the actor may not manage the
// pool, or the store failed.
func ImportExperts(ctx context.Context, svc ExpertService, actor evaluation.Actor, file *File) ([]*evaluation.Expert, *Report, error) {
	list, r := ReadExperts(file)
	return store(list, r, func() error { return svc.CheckExpertImport(ctx, actor, list) },
		func(f evaluation.ImportFile) error { return svc.ImportExperts(ctx, actor, list, f) })
}

// expertNotes are the instructions of the experts template.
var expertNotes = []string{"import.note.experts", "import.note.lists", "import.note.choices", "import.note.experts_same",
	"import.note.all_or_nothing", "import.note.csv_experts"}

// ExpertHelp is how to fill in an expert import, in lang.
func ExpertHelp(lang evaluation.Language, tr Translate) Help {
	return help(lang, tr, expertNotes, expertsTable)
}

// ExpertTemplateXLSX is the expert import's workbook template in lang: the
// experts sheet with its header, an example expert, drop-downs for the
// choices, and the instructions.
func ExpertTemplateXLSX(lang evaluation.Language, tr Translate) ([]byte, error) {
	data, err := templateXLSX(lang, tr, expertNotes, expertsTable)
	if err != nil {
		return nil, fmt.Errorf("experts template: %w", err)
	}
	return data, nil
}

// ExpertTemplateCSV is the experts table of the template as csv, in UTF-8
// with a BOM.
func ExpertTemplateCSV(lang evaluation.Language) ([]byte, error) {
	return templateCSV(expertsTable, lang)
}

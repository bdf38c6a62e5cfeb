package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports"
	"github.com/evalpanel/evalpanel/evaluation/imports/importtest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"
)

// The import tests build their files here, with excelize and encoding/csv,
// so that each test shows its input.

// csvOf joins rows into csv text (cells here never need quoting unless
// they hold a comma, quote or line break, which csvOf quotes).
func csvOf(rows ...[]string) string {
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

// file is an uploaded file of a test request.
type file struct {
	field, name string
	data        []byte
}

func multipartOf(t testing.TB, fields map[string]string, files ...file) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for _, f := range files {
		part, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(f.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &body, w.FormDataContentType()
}

// upload posts files to an API import route.
func (h *harness) upload(as, target string, files ...file) (*http.Response, string) {
	h.t.Helper()
	body, ct := multipartOf(h.t, nil, files...)
	req := httptest.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	return h.do(req)
}

// postFiles submits a multipart form with the CSRF token of the last page.
func (b *browser) postFiles(target string, files ...file) (*http.Response, string) {
	b.h.t.Helper()
	body, ct := multipartOf(b.h.t, map[string]string{"_csrf": b.csrf}, files...)
	req := httptest.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", ct)
	return b.send(req)
}

type importAnswer struct {
	Imported   int `json:"imported"`
	Indicators int `json:"indicators"`
	Error      struct {
		Code     string            `json:"code"`
		Message  string            `json:"message"`
		Fields   map[string]string `json:"fields"`
		Problems []problemView     `json:"problems"`
	} `json:"error"`
}

func decodeImport(t *testing.T, body string) importAnswer {
	t.Helper()
	var a importAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
	return a
}

// fieldKeys lists an answer's error fields.
func (a importAnswer) fieldKeys() []string {
	var keys []string
	for k := range a.Error.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// importCampaign makes an empty draft campaign of agency A.
func (h *harness) importCampaign() int64 {
	h.t.Helper()
	resp, body := h.api("staffa", "POST", "/api/v1/campaigns", `{"name":"2026 年度批量导入测试","year":2026}`)
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("create campaign: %d %s", resp.StatusCode, body)
	}
	var c evaluation.Campaign
	h.decode(body, &c)
	return c.ID
}

func (h *harness) campaignProjects(id int64) map[string]*evaluation.Project {
	h.t.Helper()
	ctx := context.Background()
	list, _, err := h.svc.Campaigns.Projects(ctx, evaluation.System, evaluation.ProjectFilter{CampaignID: id, Page: evaluation.Page{Size: 200}})
	if err != nil {
		h.t.Fatal(err)
	}
	out := map[string]*evaluation.Project{}
	for _, p := range list {
		full, err := h.svc.Campaigns.Project(ctx, evaluation.System, p.ID)
		if err != nil {
			h.t.Fatal(err)
		}
		out[p.Code] = full
	}
	return out
}

var (
	zhProjectHeader = []any{"项目编号", "项目名称", "项目类别", "承担单位", "参与单位", "项目负责人", "负责人单位", "项目组成员",
		"任务书经费（万元）", "决算支出（万元）", "开始日期", "结束日期", "学科代码", "关键词", "评价方式", "推广示范要求", "申请回避专家"}
	zhIndicatorHeader = []any{"项目编号", "指标名称", "指标类型", "主要指标", "方向", "目标值", "单位", "文字目标", "实际值", "完成情况", "佐证", "完成状态"}
)

// goodProjects is a workbook of five projects and their indicators that
// exercises the formats: a title row above the header, an extra column,
// English class and method names, amounts as numbers and text, a subject
// code that Excel turned into the number 520.2, dates as date cells and in
// several text forms, yes/no in both languages, list separators.
func goodProjects(t *testing.T) []byte {
	header := append([]any{"序号"}, zhProjectHeader...)
	return importtest.XLSX(t,
		importtest.Sheet{Name: "项目 Projects", Rows: [][]any{
			{"2026 年度第一批综合绩效评价项目清单"},
			header,
			{1, "2024-ZD-001", "城市地下管网智能巡检机器人研发", "应用技术类", "同济大学", "上海交通大学；上海市政工程设计研究总院（集团）有限公司",
				"王建国", "", "李四, 同济大学, 算法研发\n赵敏，上海交通大学，样机测试", 300, "286.5",
				time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), "2024/12/31", "460.50；520.20", "管网巡检、机器人", "同行评议、现场测试", "否",
				"周立, 某管网科技有限公司, 存在竞争关系"},
			{2, "2024-JC-002", "二维材料中激子输运的调控机理", "basic research", "复旦大学", "", "沈慧敏", "复旦大学物理学系", "", 123.4567, "",
				"2023-01-01", "2025-12-31", 520.2, "激子; 二维材料", "peer review; on-site inspection", "是", ""},
			{3, "2024-ZD-003", "面向中小企业的工业互联网安全监测平台", "应用技术", "上海工业控制安全创新科技有限公司", "", "陈晓", "", "", "1,250", "1 100",
				"2022-07-01", "2025-06-30", "520.60 520.20", "工业互联网", "功能演示", "yes", ""},
			{4, "2024-ZD-004", "城市更新中历史建筑结构安全评估技术", "应用技术类", "上海市建筑科学研究院", "", "刘敏", "", "", "", "",
				"", "", "560.20", "", "", "", ""},
			{5, "2024/JC-005", "深海热液区微生物固碳机制", "基础研究类", "上海交通大学", "", "许海", "", "", "80", "",
				"2023年3月1日", "20251231", "180.50", "", "", "", ""},
			{6}, // numbered in advance, otherwise blank: no project
		}},
		importtest.Sheet{Name: "考核指标 Indicators", Rows: [][]any{
			append(zhIndicatorHeader, "备注"),
			{"2024-ZD-001", "连续巡检里程", "技术", "是", "≥", 5, "km", "", 6, "", "第三方测试报告", "", "测试报告编号 T-2024-07"},
			{"2024-ZD-001", "申请发明专利", "知识产权", "否", "", 4, "项", "", 3.5, "", "", ""},
			{"2024-ZD-001", "单次巡检能耗", "技术", "否", "≤", 2, "kWh", "", 3, "", "", ""},
			{"2024-JC-002", "揭示激子扩散长度的温度依赖规律", "", "", "", "", "", "给出 10–300 K 范围内的定量关系", "", "已给出", "论文", "达到"},
			{"2024-ZD-003", "培养研究生", "人才", "", ">=", 3, "人", "", "", "", "", ""},
		}})
}

func TestImportProjectsXLSX(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	h.warmTokens()

	resp, body := h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "项目清单.xlsx", goodProjects(t)})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("import: %d %s", resp.StatusCode, body)
	}
	if a := decodeImport(t, body); a.Imported != 5 || a.Indicators != 5 {
		t.Errorf("imported %d projects, %d indicators; want 5 and 5", a.Imported, a.Indicators)
	}
	got := h.campaignProjects(cid)
	if len(got) != 5 {
		t.Fatalf("%d projects stored, want 5", len(got))
	}
	f := func(v float64) *float64 { return &v }
	type indicator struct {
		Name, Kind, Unit, Direction, Text, ActualText, Evidence, Status, From string
		Main                                                                  bool
		Target, Actual                                                        *float64
	}
	type project struct {
		Title, Class, Lead, PI, PIInstitution, Start, End string
		Participants, Subjects, Keywords                  []string
		Methods                                           []evaluation.Method
		Members                                           []evaluation.Member
		Avoid                                             []evaluation.Avoid
		Budget, Spent                                     int64
		Promotion                                         bool
		Indicators                                        []indicator
	}
	view := func(p *evaluation.Project) project {
		v := project{Title: p.Title, Class: string(p.Class), Lead: p.Lead, PI: p.PI.Name, PIInstitution: p.PI.Institution,
			Start: p.Start, End: p.End, Participants: p.Participants, Subjects: p.SubjectCodes, Keywords: p.Keywords,
			Methods: p.Methods, Members: p.Members, Avoid: p.Avoid, Budget: p.Budget, Spent: p.Spent, Promotion: p.Promotion}
		for _, in := range p.Indicators {
			v.Indicators = append(v.Indicators, indicator{Name: in.Name, Kind: string(in.Kind), Unit: in.Target.Unit,
				Direction: string(in.Target.Direction), Text: in.Target.Text, ActualText: in.Actual.Text, Evidence: in.Evidence,
				Status: string(in.Status), From: in.StatusFrom, Main: in.Main, Target: in.Target.Value, Actual: in.Actual.Value})
		}
		return v
	}
	want := map[string]project{
		"2024-ZD-001": {Title: "城市地下管网智能巡检机器人研发", Class: "applied_technology", Lead: "同济大学", PI: "王建国", PIInstitution: "同济大学",
			Start: "2022-01-01", End: "2024-12-31", Participants: []string{"上海交通大学", "上海市政工程设计研究总院（集团）有限公司"},
			Subjects: []string{"460.50", "520.20"}, Keywords: []string{"管网巡检", "机器人"},
			Methods: []evaluation.Method{evaluation.PeerReview, evaluation.Testing},
			Members: []evaluation.Member{{Name: "李四", Institution: "同济大学", Role: "算法研发"}, {Name: "赵敏", Institution: "上海交通大学", Role: "样机测试"}},
			Avoid:   []evaluation.Avoid{{Name: "周立", Institution: "某管网科技有限公司", Reason: "存在竞争关系"}},
			Budget:  300_0000_00, Spent: 286_5000_00,
			Indicators: []indicator{
				{Name: "连续巡检里程", Kind: "technical", Unit: "km", Direction: "ge", Evidence: "第三方测试报告", Status: "met", From: "computed", Main: true, Target: f(5), Actual: f(6)},
				{Name: "申请发明专利", Kind: "ip", Unit: "项", Direction: "ge", Status: "partly", From: "computed", Target: f(4), Actual: f(3.5)},
				{Name: "单次巡检能耗", Kind: "technical", Unit: "kWh", Direction: "le", Status: "not_met", From: "computed", Target: f(2), Actual: f(3)},
			}},
		"2024-JC-002": {Title: "二维材料中激子输运的调控机理", Class: "basic_research", Lead: "复旦大学", PI: "沈慧敏", PIInstitution: "复旦大学物理学系",
			Start: "2023-01-01", End: "2025-12-31", Subjects: []string{"520.20"}, Keywords: []string{"激子", "二维材料"},
			Methods: []evaluation.Method{evaluation.PeerReview, evaluation.Inspection}, Budget: 1_2345_6700, Promotion: true,
			Indicators: []indicator{{Name: "揭示激子扩散长度的温度依赖规律", Kind: "technical", Text: "给出 10–300 K 范围内的定量关系",
				ActualText: "已给出", Evidence: "论文", Status: "met", From: "manual"}}},
		"2024-ZD-003": {Title: "面向中小企业的工业互联网安全监测平台", Class: "applied_technology", Lead: "上海工业控制安全创新科技有限公司", PI: "陈晓",
			PIInstitution: "上海工业控制安全创新科技有限公司", Start: "2022-07-01", End: "2025-06-30", Subjects: []string{"520.60", "520.20"},
			Keywords: []string{"工业互联网"}, Methods: []evaluation.Method{evaluation.PeerReview, evaluation.Inspection, evaluation.Demonstration},
			Budget: 12_5000_0000, Spent: 11_0000_0000, Promotion: true,
			Indicators: []indicator{{Name: "培养研究生", Kind: "talent", Unit: "人", Direction: "ge", Status: "unknown", From: "manual", Target: f(3)}}},
		"2024-ZD-004": {Title: "城市更新中历史建筑结构安全评估技术", Class: "applied_technology", Lead: "上海市建筑科学研究院", PI: "刘敏",
			PIInstitution: "上海市建筑科学研究院", Subjects: []string{"560.20"}, Methods: []evaluation.Method{evaluation.PeerReview}},
		"2024/JC-005": {Title: "深海热液区微生物固碳机制", Class: "basic_research", Lead: "上海交通大学", PI: "许海", PIInstitution: "上海交通大学",
			Start: "2023-03-01", End: "2025-12-31", Subjects: []string{"180.50"}, Methods: []evaluation.Method{evaluation.PeerReview}, Budget: 80_0000_00},
	}
	for code, w := range want {
		p, ok := got[code]
		if !ok {
			t.Errorf("project %s was not imported", code)
			continue
		}
		if diff := cmp.Diff(w, view(p), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("project %s (-want +got):\n%s", code, diff)
		}
	}

	// One audit entry for the import, besides one per project.
	ctx := context.Background()
	imports, _, err := h.svc.Accounts.AuditLog(ctx, evaluation.System, evaluation.AuditFilter{Action: "project.import"})
	if err != nil {
		t.Fatal(err)
	}
	creates, _, err := h.svc.Accounts.AuditLog(ctx, evaluation.System, evaluation.AuditFilter{Action: "project.create"})
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 1 || len(creates) != 5 {
		t.Fatalf("%d import and %d create entries, want 1 and 5", len(imports), len(creates))
	}
	for _, s := range []string{`"projects":5`, `"indicators":5`, `"format":"xlsx"`, `"file":"项目清单.xlsx"`, `"sha256":"`} {
		if !strings.Contains(imports[0].Details, s) {
			t.Errorf("import entry %s lacks %s", imports[0].Details, s)
		}
	}
	if imports[0].ObjectID != fmt.Sprint(cid) || imports[0].AgencyID != h.agencyA.ID {
		t.Errorf("import entry names %s/%s of agency %d", imports[0].ObjectType, imports[0].ObjectID, imports[0].AgencyID)
	}

	// The same file again: every code is taken, nothing changes.
	before := h.dump()
	resp, body = h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "项目清单.xlsx", goodProjects(t)})
	a := decodeImport(t, body)
	if resp.StatusCode != http.StatusBadRequest || a.Error.Code != "invalid" {
		t.Fatalf("again: %d %s", resp.StatusCode, body)
	}
	if want := []string{"projects.3.B", "projects.4.B", "projects.5.B", "projects.6.B", "projects.7.B"}; !cmp.Equal(a.fieldKeys(), want) {
		t.Errorf("fields %v, want %v (the code column is B: the file has a 序号 column first)", a.fieldKeys(), want)
	}
	if !strings.Contains(a.Error.Fields["projects.3.B"], "本评价批次已有此项目编号") {
		t.Errorf("taken code message: %q", a.Error.Fields["projects.3.B"])
	}
	if h.dump() != before {
		t.Error("a refused import changed the database")
	}
}

// badProjects has three bad rows: a class that is none (row 3), no title
// (row 4), a code given twice (row 5).
func badProjects(t *testing.T) []byte {
	return importtest.XLSX(t,
		importtest.Sheet{Name: "项目 Projects", Rows: [][]any{
			zhProjectHeader,
			{"2024-ZD-001", "城市地下管网智能巡检机器人研发", "应用技术类", "同济大学", "", "王建国", "", "", 300, "", "", "", "520.20", "", "", "", ""},
			{"2024-ZD-002", "二维材料中激子输运的调控机理", "应用研究类", "复旦大学", "", "沈慧敏", "", "", 200, "", "", "", "140.30", "", "", "", ""},
			{"2024-ZD-003", "", "基础研究类", "复旦大学", "", "沈慧敏", "", "", "", "", "", "", "140.30", "", "", "", ""},
			{"2024-ZD-001", "城市更新中历史建筑结构安全评估技术", "应用技术类", "上海市建筑科学研究院", "", "刘敏", "", "", "", "", "", "", "560.20", "", "", "", ""},
		}},
		importtest.Sheet{Name: "考核指标 Indicators", Rows: [][]any{
			zhIndicatorHeader,
			{"2024-ZD-001", "连续巡检里程", "技术", "是", "≥", 5, "km", "", 6, "", "", ""},
		}})
}

func TestImportProjectsXLSXThreeBadRows(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	h.warmTokens()
	before := h.dump()

	resp, body := h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "projects.xlsx", badProjects(t)})
	a := decodeImport(t, body)
	if resp.StatusCode != http.StatusBadRequest || a.Error.Code != "invalid" || !strings.Contains(a.Error.Message, "3 处问题") {
		t.Fatalf("status %d body %s", resp.StatusCode, body)
	}
	want := []problemView{
		{Table: "projects", Sheet: "项目 Projects", Row: 3, Column: "C", Header: "项目类别", Message: "项目类别须为基础研究类或应用技术类。"},
		{Table: "projects", Sheet: "项目 Projects", Row: 4, Column: "B", Header: "项目名称", Message: "此项为必填。"},
		{Table: "projects", Sheet: "项目 Projects", Row: 5, Column: "A", Header: "项目编号", Message: "项目编号在本次导入中重复出现。"},
	}
	if diff := cmp.Diff(want, a.Error.Problems, cmpopts.IgnoreUnexported(problemView{})); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if wantKeys := []string{"projects.3.C", "projects.4.B", "projects.5.A"}; !cmp.Equal(a.fieldKeys(), wantKeys) {
		t.Errorf("fields %v, want %v", a.fieldKeys(), wantKeys)
	}
	if h.dump() != before {
		t.Error("a refused import changed the database")
	}

	// In English, the messages are English and the headers as in the file.
	b, ct := multipartOf(t, nil, file{"file", "projects.xlsx", badProjects(t)})
	req := httptest.NewRequest(http.MethodPost, idPath("/api/v1/campaigns/%d/projects/import", cid), b)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+h.tokens["staffa"])
	req.Header.Set("Accept-Language", "en")
	_, body = h.do(req)
	a = decodeImport(t, body)
	if len(a.Error.Problems) != 3 || a.Error.Problems[1].Message != "Required." || a.Error.Problems[1].Header != "项目名称" ||
		!strings.Contains(a.Error.Message, "3 problem") {
		t.Errorf("English answer: %s", body)
	}
}

// projectsCSV and indicatorsCSV are the two tables of a csv import: three
// problems, an unknown method (row 2), no title (row 3) and a target that
// is not a number (indicators row 3).
func projectsCSV(bad bool) string {
	title, method := "二维材料中激子输运的调控机理", "同行评议、现场测试"
	if bad {
		title, method = "", "专家打分"
	}
	return csvOf(
		[]string{"项目编号", "项目名称", "项目类别", "承担单位", "项目负责人", "任务书经费（万元）", "学科代码", "评价方式", "项目组成员"},
		[]string{"2024-ZD-001", "城市地下管网智能巡检机器人研发", "应用技术类", "同济大学", "王建国", "300", "520.20", method, "李四, 同济大学, 算法研发\n赵敏, 上海交通大学"},
		[]string{"2024-JC-002", title, "基础研究类", "复旦大学", "沈慧敏", "150.25", "140.30；140.70", "", ""},
	)
}

func indicatorsCSV(bad bool) string {
	target := "4"
	if bad {
		target = "四项"
	}
	return csvOf(
		[]string{"项目编号", "指标名称", "指标类型", "方向", "目标值", "单位", "实际值", "文字目标", "完成状态"},
		[]string{"2024-ZD-001", "连续巡检里程", "技术", "≥", "5", "km", "6", "", ""},
		[]string{"2024-ZD-001", "申请发明专利", "知识产权", "", target, "项", "3.5", "", ""},
		[]string{"2024-JC-002", "揭示激子扩散长度的温度依赖规律", "", "", "", "", "", "给出定量关系", "部分达到"},
	)
}

func TestImportProjectsCSV(t *testing.T) {
	bom := func(s string) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, s...) }
	for _, enc := range []struct {
		name string
		conv func(t *testing.T, s string) []byte
	}{
		{"utf-8 with BOM", func(_ *testing.T, s string) []byte { return bom(s) }},
		{"utf-8", func(_ *testing.T, s string) []byte { return []byte(s) }},
		{"gbk", func(t *testing.T, s string) []byte { return importtest.GBK(t, s) }},
	} {
		t.Run(enc.name, func(t *testing.T) {
			h := newHarness(t)
			h.withRubrics()
			cid := h.importCampaign()
			h.warmTokens()
			target := idPath("/api/v1/campaigns/%d/projects/import", cid)

			before := h.dump()
			resp, body := h.upload("staffa", target, file{"file", "projects.csv", enc.conv(t, projectsCSV(true))},
				file{"indicators", "indicators.csv", enc.conv(t, indicatorsCSV(true))})
			a := decodeImport(t, body)
			want := []problemView{
				{Table: "projects", Sheet: "projects.csv", Row: 2, Column: "H", Header: "评价方式",
					Message: "“专家打分”不是评价方式：须为同行评议、实地考察、现场测试或功能演示。"},
				{Table: "projects", Sheet: "projects.csv", Row: 3, Column: "B", Header: "项目名称", Message: "此项为必填。"},
				{Table: "indicators", Sheet: "indicators.csv", Row: 3, Column: "E", Header: "目标值",
					Message: "目标值须为数字；单位请填在“单位”列，不能用数字衡量的目标请填在“文字目标”列。"},
			}
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("bad files: %d %s", resp.StatusCode, body)
			}
			if diff := cmp.Diff(want, a.Error.Problems, cmpopts.IgnoreUnexported(problemView{})); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if h.dump() != before {
				t.Error("a refused import changed the database")
			}

			resp, body = h.upload("staffa", target, file{"file", "projects.csv", enc.conv(t, projectsCSV(false))},
				file{"indicators", "indicators.csv", enc.conv(t, indicatorsCSV(false))})
			if a := decodeImport(t, body); resp.StatusCode != http.StatusCreated || a.Imported != 2 || a.Indicators != 3 {
				t.Fatalf("good files: %d %s", resp.StatusCode, body)
			}
			got := h.campaignProjects(cid)
			p := got["2024-ZD-001"]
			if p == nil || p.Budget != 300_0000_00 || len(p.Members) != 2 || p.Members[1].Institution != "上海交通大学" ||
				len(p.Indicators) != 2 || p.Indicators[1].Status != evaluation.StatusPartly ||
				!cmp.Equal(p.Methods, []evaluation.Method{evaluation.PeerReview, evaluation.Testing}) {
				t.Errorf("2024-ZD-001 = %+v", p)
			}
			q := got["2024-JC-002"]
			if q == nil || q.Budget != 150_2500_00 || !cmp.Equal(q.SubjectCodes, []string{"140.30", "140.70"}) ||
				len(q.Indicators) != 1 || q.Indicators[0].Status != evaluation.StatusPartly || q.Indicators[0].StatusFrom != "manual" {
				t.Errorf("2024-JC-002 = %+v", q)
			}
		})
	}
}

func TestImportProjectsEnglishHeaders(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	data := importtest.XLSX(t,
		importtest.Sheet{Name: "Projects", Rows: [][]any{
			{"code", "TITLE", "Class", "Lead Institution", "principal investigator", "Subject codes", "Budget (10k yuan)", "Evaluation methods", "Promotion requirement"},
			{"AT-2024-01", "Inspection robots for pipe networks", "applied_technology", "Tongji University", "Wang Jianguo", "520.20", "12.5", "peer_review, demonstration", "no"},
		}},
		importtest.Sheet{Name: "Indicators", Rows: [][]any{
			{"Project code", "Indicator", "Kind", "Main", "Direction", "Target value", "Unit", "Actual value"},
			{"AT-2024-01", "Inspection distance", "technical", "yes", "at least", "5", "km", "4"},
		}})
	resp, body := h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "en.xlsx", data})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	p := h.campaignProjects(cid)["AT-2024-01"]
	if p == nil || p.Budget != 12_5000_00 || p.Class != evaluation.AppliedTechnology || len(p.Indicators) != 1 ||
		!p.Indicators[0].Main || p.Indicators[0].Status != evaluation.StatusPartly ||
		!cmp.Equal(p.Methods, []evaluation.Method{evaluation.PeerReview, evaluation.Demonstration}) {
		t.Errorf("imported %+v", p)
	}
}

func TestImportRefusesFiles(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	h.warmTokens()
	target := idPath("/api/v1/campaigns/%d/projects/import", cid)
	html := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
	var zipped bytes.Buffer // a zip that is not a workbook (a .docx, say)
	zw := zip.NewWriter(&zipped)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("<w:document/>")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		files   []file
		message string
	}{
		{"HTML renamed .xlsx", []file{{"file", "projects.xlsx", html}}, "文件名是 .xlsx，但内容不是 Excel 工作簿。"},
		{"HTML renamed .csv", []file{{"file", "projects.csv", html}}, "这不是 xlsx 工作簿或 csv 文件"},
		{"zip, not a workbook", []file{{"file", "projects.xlsx", zipped.Bytes()}}, "这不是 xlsx 工作簿或 csv 文件"},
		{"old xls", []file{{"file", "projects.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)}}, "旧版 Excel"},
		{"binary", []file{{"file", "data.csv", []byte{0x00, 0xff, 0xfe, 0x81, 0x00, 0x13}}}, ""},
		{"no file", nil, "请选择要上传的文件。"},
		{"empty", []file{{"file", "projects.csv", []byte("  \r\n")}}, "文件是空的。"},
		{"no header", []file{{"file", "projects.csv", []byte("a,b,c\r\n1,2,3\r\n")}}, "找不到项目表"},
		{"indicators as projects", []file{{"file", "indicators.csv", []byte(indicatorsCSV(false))}}, "这是考核指标表"},
		{"indicators file with xlsx", []file{{"file", "p.xlsx", badProjects(t)}, {"indicators", "i.csv", []byte(indicatorsCSV(false))}}, "单独的考核指标文件只用于 csv 导入"},
		{"missing column", []file{{"file", "p.csv", []byte(csvOf([]string{"项目编号", "项目名称", "承担单位", "项目负责人", "学科代码"}, []string{"A-1", "x", "y", "z", "520"}))}},
			"缺少必填的列“项目类别”"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			resp, body := h.upload("staffa", target, tc.files...)
			a := decodeImport(t, body)
			if resp.StatusCode != http.StatusBadRequest || len(a.Error.Problems) == 0 {
				t.Fatalf("status %d body %s", resp.StatusCode, body)
			}
			if !strings.Contains(a.Error.Problems[0].Message, tc.message) {
				t.Errorf("message %q, want %q", a.Error.Problems[0].Message, tc.message)
			}
			if h.dump() != before {
				t.Error("a refused import changed the database")
			}
		})
	}
}

func TestImportAccess(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	h.warmTokens()
	good := file{"file", "p.xlsx", goodProjects(t)}
	other := h.browser()
	other.login("staffb") // signing in is recorded; what follows must not be
	before := h.dump()
	for _, tc := range []struct {
		as     string
		target string
		status int
		code   evaluation.Code
	}{
		{"staffb", "/api/v1/campaigns/%d/projects/import", http.StatusNotFound, evaluation.NotFound},
		{"commission", "/api/v1/campaigns/%d/projects/import", http.StatusForbidden, evaluation.Forbidden},
		{"expert", "/api/v1/campaigns/%d/projects/import", http.StatusForbidden, evaluation.Forbidden},
		{"staffa", "/api/v1/experts/import", http.StatusForbidden, evaluation.Forbidden},
		{"expert", "/api/v1/experts/import", http.StatusForbidden, evaluation.Forbidden},
	} {
		target := tc.target
		if strings.Contains(target, "%d") {
			target = idPath(target, cid)
		}
		resp, body := h.upload(tc.as, target, good)
		if resp.StatusCode != tc.status {
			t.Errorf("%s POST %s: %d, want %d (%s)", tc.as, target, resp.StatusCode, tc.status, body)
		}
		wantError(t, body, tc.code)
	}
	for _, u := range []string{"/api/v1/campaigns/%d/projects/template.xlsx", "/api/v1/campaigns/%d/projects/template.csv"} {
		if resp, _ := h.api("staffb", "GET", idPath(u, cid), ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("staff B GET %s: %d, want 404", u, resp.StatusCode)
		}
	}
	for _, u := range []string{"/campaigns/%d/projects/import", "/campaigns/%d/projects/template.xlsx"} {
		if resp, _ := other.get(idPath(u, cid)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("staff B GET %s: %d, want 404", u, resp.StatusCode)
		}
	}
	other.get("/campaigns")
	if resp, _ := other.postFiles(idPath("/campaigns/%d/projects/import", cid), good); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff B POST the import page: %d, want 404", resp.StatusCode)
	}
	if h.dump() != before {
		t.Error("refused imports changed the database")
	}
}

func TestImportLockedCampaign(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid, _ := h.campaignWithProject()
	// Scoring needs confirmed panels; the state alone is what counts here.
	if _, err := h.db.SQL().ExecContext(context.Background(), `UPDATE campaigns SET state = 'scoring' WHERE id = ?`, cid); err != nil {
		t.Fatal(err)
	}
	resp, body := h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "p.xlsx", goodProjects(t)})
	if resp.StatusCode != http.StatusConflict || apiErr(t, body).Code != "conflict" {
		t.Errorf("import into a scoring campaign: %d %s", resp.StatusCode, body)
	}
	b := h.browser()
	b.login("staffa")
	if _, page := b.get(idPath("/campaigns/%d/projects/import", cid)); !strings.Contains(page, `id="import-locked"`) ||
		strings.Contains(page, `id="import-form"`) {
		t.Error("the import page of a locked campaign offers the form")
	}
}

// TestImportProjectsUI is the journey a browser test repeats: the link on
// the campaign page, the page, a refused file with its problems listed, a
// good file and the flash on the campaign page.
func TestImportProjectsUI(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	staff := h.browser()
	staff.login("staffa")
	campaignURL := idPath("/campaigns/%d", cid)
	if _, page := staff.get(campaignURL); !strings.Contains(page, `href="/campaigns/`+fmt.Sprint(cid)+`/projects/import" id="import-projects"`) {
		t.Fatal("the campaign page lacks the import link")
	}
	_, page := staff.get(campaignURL + "/projects/import")
	for _, want := range []string{`id="import-form"`, `enctype="multipart/form-data"`, `name="_csrf"`, `id="import-file"`,
		`id="import-indicators"`, `id="import-submit"`, `data-busy="正在导入…"`, `src="/static/import.js"`,
		`id="template-xlsx-zh"`, `/projects/template.xlsx?lang=en`, "学科代码", "项目表和考核指标表各另存为一个 csv 文件"} {
		if !strings.Contains(page, want) {
			t.Errorf("import page lacks %s", want)
		}
	}
	before := h.dump()
	resp, page := staff.postFiles(campaignURL+"/projects/import", file{"file", "projects.xlsx", badProjects(t)})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="import-errors"`) {
		t.Fatalf("bad file: %d", resp.StatusCode)
	}
	rows := regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`).FindStringSubmatch(page)
	if rows == nil || strings.Count(rows[1], "<tr>") != 3 {
		t.Fatalf("the error table does not list 3 problems")
	}
	for _, want := range []string{"文件中有 3 处问题，未导入任何内容。", "projects.xlsx", "<code>C</code> 项目类别", "项目类别须为基础研究类或应用技术类。",
		"<code>B</code> 项目名称", "<code>A</code> 项目编号", "项目编号在本次导入中重复出现。"} {
		if !strings.Contains(page, want) {
			t.Errorf("problem page lacks %q", want)
		}
	}
	if h.dump() != before {
		t.Error("a refused import changed the database")
	}
	resp, _ = staff.postFiles(campaignURL+"/projects/import", file{"file", "projects.xlsx", goodProjects(t)})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != campaignURL {
		t.Fatalf("good file: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := staff.get(campaignURL); !strings.Contains(page, "已导入 5 个项目、5 条考核指标。") || !strings.Contains(page, "2024/JC-005") {
		t.Error("the campaign page lacks the flash or the projects")
	}
	// Without a CSRF token the form is refused.
	body, ct := multipartOf(t, nil, file{"file", "projects.xlsx", goodProjects(t)})
	req := httptest.NewRequest(http.MethodPost, campaignURL+"/projects/import", body)
	req.Header.Set("Content-Type", ct)
	if resp, _ := staff.send(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", resp.StatusCode)
	}
}

// noText stands in for the translator where only the headers count.
func noText(evaluation.Language, string, ...any) string { return "" }

func TestImportTemplates(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	for _, lang := range []evaluation.Language{evaluation.LangZH, evaluation.LangEN} {
		t.Run(string(lang), func(t *testing.T) {
			cid := h.importCampaign()
			resp, body := h.api("staffa", "GET", idPath("/api/v1/campaigns/%d/projects/template.xlsx?lang=", cid)+string(lang), "")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != mimeXLSX ||
				!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
				t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
			}
			f, err := excelize.OpenReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); !cmp.Equal(got, []string{"项目 Projects", "考核指标 Indicators", "填写说明 Instructions"}) {
				t.Errorf("sheets %v", got)
			}
			help := imports.ProjectHelp(lang, noText)
			for i, examples := range []int{1, 2} { // an example project with two indicators
				tbl := help.Tables[i]
				rows, err := f.GetRows(tbl.Sheet)
				if err != nil || len(rows) == 0 {
					t.Fatalf("%s: %d rows, %v", tbl.Sheet, len(rows), err)
				}
				var want []string
				for _, c := range tbl.Columns {
					want = append(want, c.Header)
				}
				if len(rows) != 1+examples || !cmp.Equal(rows[0], want) {
					t.Errorf("%s: header %v, want %v; %d rows", tbl.Sheet, rows[0], want, len(rows))
				}
			}
			notes, err := f.GetRows("填写说明 Instructions")
			if err != nil || len(notes) < 30 {
				t.Errorf("instructions have %d rows (%v)", len(notes), err)
			}
			// Round trip: the template's example imports as it is.
			resp, answer := h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "template.xlsx", []byte(body)})
			if a := decodeImport(t, answer); resp.StatusCode != http.StatusCreated || a.Imported != 1 || a.Indicators != 2 {
				t.Fatalf("template import: %d %s", resp.StatusCode, answer)
			}
			p := h.campaignProjects(cid)["2024-ZD-001"]
			if p == nil || p.Budget != 300_0000_00 || p.Spent != 286_5000_00 || len(p.Members) != 2 || len(p.Avoid) != 1 ||
				p.Indicators[0].Status != evaluation.StatusMet || p.Indicators[1].Status != evaluation.StatusMet {
				t.Errorf("template project %+v", p)
			}

			// The csv templates, both tables.
			cid2 := h.importCampaign()
			_, projects := h.api("staffa", "GET", idPath("/api/v1/campaigns/%d/projects/template.csv?lang=", cid2)+string(lang), "")
			resp, indicators := h.api("staffa", "GET", idPath("/api/v1/campaigns/%d/projects/template.csv?table=indicators&lang=", cid2)+string(lang), "")
			if resp.Header.Get("Content-Type") != mimeCSV || !strings.HasPrefix(projects, "\uFEFF"+help.Tables[0].Columns[0].Header+",") ||
				!strings.HasPrefix(indicators, "\uFEFF"+help.Tables[1].Columns[0].Header+",") {
				t.Errorf("csv templates: %q / %q", projects[:40], indicators[:40])
			}
			resp, answer = h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid2),
				file{"file", "p.csv", []byte(projects)}, file{"indicators", "i.csv", []byte(indicators)})
			if a := decodeImport(t, answer); resp.StatusCode != http.StatusCreated || a.Imported != 1 || a.Indicators != 2 {
				t.Fatalf("csv template import: %d %s", resp.StatusCode, answer)
			}

			// The experts template.
			resp, body = h.api("admin", "GET", "/api/v1/experts/import/template.xlsx?lang="+string(lang), "")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != mimeXLSX {
				t.Fatalf("experts template: %d", resp.StatusCode)
			}
			if lang == evaluation.LangZH { // the example expert imports once
				resp, answer = h.upload("admin", "/api/v1/experts/import", file{"file", "experts.xlsx", []byte(body)})
				if a := decodeImport(t, answer); resp.StatusCode != http.StatusCreated || a.Imported != 1 {
					t.Fatalf("experts template import: %d %s", resp.StatusCode, answer)
				}
			} else { // and is then in the pool: the English example has the same e-mail
				resp, answer = h.upload("admin", "/api/v1/experts/import", file{"file", "experts.xlsx", []byte(body)})
				if a := decodeImport(t, answer); resp.StatusCode != http.StatusBadRequest || a.Error.Fields["experts.2.J"] == "" {
					t.Fatalf("the example expert again: %d %s", resp.StatusCode, answer)
				}
			}
			resp, body = h.api("commission", "GET", "/api/v1/experts/import/template.csv?lang="+string(lang), "")
			if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\uFEFF"+imports.ExpertHelp(lang, noText).Tables[0].Columns[0].Header+",") {
				t.Errorf("experts csv template: %d %q", resp.StatusCode, body)
			}
		})
	}
}

var expertHeader = []any{"姓名", "专家类型", "工作单位", "职称职务", "职称级别", "学科代码", "研究方向关键词", "地域", "工作语言", "电子邮箱", "可抽取", "暂停抽取原因"}

func TestImportExperts(t *testing.T) {
	h := newHarness(t)
	h.warmTokens()
	good := importtest.XLSX(t, importtest.Sheet{Name: "专家 Experts", Rows: [][]any{
		expertHeader,
		{"陈立平", "技术领域专家", "上海大学", "教授", "正高级", "520.20；510.30", "智能机器人、机器视觉", "本地", "中文、英文", "chen.liping@example.edu.cn", "是", ""},
		{"Maria Rossi", "international peer", "Politecnico di Milano", "Professor", "senior", 520.2, "robotics", "international", "English; it", "", "", ""},
		{"刘强", "财务专家", "立信会计师事务所", "注册会计师", "副高级", "", "财务审计", "外地", "zh", "", "否", "长期出国"},
	}})
	bad := importtest.XLSX(t, importtest.Sheet{Name: "专家 Experts", Rows: [][]any{
		expertHeader,
		{"王芳", "技术领域专家", "华东师范大学", "研究员", "正高级", "140.30", "", "本地", "zh", "", "", ""},
		{"赵刚", "院士", "同济大学", "教授", "正高级", "", "", "本地", "zh", "", "", ""},
		{"张 专家", "技术领域专家", "某大学", "教授", "正高级", "", "", "本地", "zh", "", "", ""},
		{"王芳", "战略科学家", "华东师范大学 ", "", "正高级", "", "", "本地", "zh", "", "", ""},
	}})

	before := h.dump()
	resp, body := h.upload("commission", "/api/v1/experts/import", file{"file", "experts.xlsx", bad})
	a := decodeImport(t, body)
	want := []problemView{
		{Table: "experts", Sheet: "专家 Experts", Row: 3, Column: "B", Header: "专家类型", Message: "专家类型无效。"},
		{Table: "experts", Sheet: "专家 Experts", Row: 4, Column: "A", Header: "姓名", Message: "专家库中已有这位专家（姓名和单位相同，或电子邮箱相同）。"},
		{Table: "experts", Sheet: "专家 Experts", Row: 5, Column: "A", Header: "姓名", Message: "同一位专家在文件中出现了两次（姓名和单位相同，或电子邮箱相同）。"},
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad: %d %s", resp.StatusCode, body)
	}
	if diff := cmp.Diff(want, a.Error.Problems, cmpopts.IgnoreUnexported(problemView{})); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if h.dump() != before {
		t.Error("a refused import changed the database")
	}

	resp, body = h.upload("commission", "/api/v1/experts/import", file{"file", "experts.xlsx", good})
	if a := decodeImport(t, body); resp.StatusCode != http.StatusCreated || a.Imported != 3 {
		t.Fatalf("good: %d %s", resp.StatusCode, body)
	}
	list, _, err := h.svc.Pool.Experts(context.Background(), evaluation.System, evaluation.ExpertFilter{Page: evaluation.Page{Size: 50}})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*evaluation.Expert{}
	for _, e := range list {
		byName[e.Name] = &e.Expert
	}
	type expert struct {
		Type, Institution, Title, Level, Region, Email, Reason string
		Subjects, Keywords, Languages                          []string
		Drawable                                               bool
	}
	wantExperts := map[string]expert{
		"陈立平": {Type: "domain_expert", Institution: "上海大学", Title: "教授", Level: "senior", Region: "local", Email: "chen.liping@example.edu.cn",
			Subjects: []string{"520.20", "510.30"}, Keywords: []string{"智能机器人", "机器视觉"}, Languages: []string{"zh", "en"}, Drawable: true},
		"Maria Rossi": {Type: "international_peer", Institution: "Politecnico di Milano", Title: "Professor", Level: "senior", Region: "international",
			Subjects: []string{"520.20"}, Keywords: []string{"robotics"}, Languages: []string{"en", "it"}, Drawable: true},
		"刘强": {Type: "finance_expert", Institution: "立信会计师事务所", Title: "注册会计师", Level: "associate", Region: "non_local", Reason: "长期出国",
			Subjects: []string{}, Keywords: []string{"财务审计"}, Languages: []string{"zh"}},
	}
	for name, w := range wantExperts {
		e := byName[name]
		if e == nil {
			t.Errorf("%s was not imported", name)
			continue
		}
		got := expert{Type: string(e.Type), Institution: e.Institution, Title: e.Title, Level: string(e.TitleLevel), Region: string(e.Region),
			Email: e.Email, Reason: e.NoDrawReason, Subjects: e.SubjectCodes, Keywords: e.Keywords, Languages: e.Languages, Drawable: e.CanBeDrawn}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	entries, _, err := h.svc.Accounts.AuditLog(context.Background(), evaluation.System, evaluation.AuditFilter{Action: "expert.import"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.Contains(entries[0].Details, `"experts":3`) || !strings.Contains(entries[0].Details, `"drawable":2`) {
		t.Errorf("expert.import entries: %+v", entries)
	}

	// The UI: the link on the pool page, the page, a csv in GBK.
	admin := h.browser()
	admin.login("admin")
	if _, page := admin.get("/experts"); !strings.Contains(page, `id="import-experts"`) {
		t.Error("the pool page lacks the import link")
	}
	staff := h.browser()
	staff.login("staffa")
	if _, page := staff.get("/experts"); strings.Contains(page, `id="import-experts"`) {
		t.Error("agency staff see the import link")
	}
	if resp, _ := staff.get("/experts/import"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff GET /experts/import: %d, want 403", resp.StatusCode)
	}
	admin.get("/experts/import")
	csvData := importtest.GBK(t, csvOf(
		[]string{"姓名", "专家类型", "工作单位", "职称级别", "地域", "学科代码"},
		[]string{"孙悦", "投资人", "上海科创投资集团", "其他", "本地", "630.50"},
	))
	resp, _ = admin.postFiles("/experts/import", file{"file", "专家.csv", csvData})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/experts" {
		t.Fatalf("csv import: %d", resp.StatusCode)
	}
	if _, page := admin.get("/experts"); !strings.Contains(page, "已导入 1 位专家。") || !strings.Contains(page, "孙悦") {
		t.Error("the pool page lacks the flash or the expert")
	}
}

// TestImportMessages checks that every message an import may show exists:
// the IDs in the import's code, here and in the imports package, and those
// of its notes and column formats, as the page and the templates ask for
// them.
func TestImportMessages(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	record := func(_ evaluation.Language, id string, _ ...any) string {
		ids[id] = true
		return id
	}
	for _, lang := range evaluation.Languages {
		imports.ProjectHelp(lang, record)
		imports.ExpertHelp(lang, record)
	}
	used := regexp.MustCompile(`"((?:import|error)\.[a-z_.]+[a-z])"`)
	for _, src := range goSources(t, "import*.go", "../evaluation/imports/*.go") {
		for _, m := range used.FindAllStringSubmatch(src.Text, -1) {
			ids[m[1]] = true
		}
	}
	if len(ids) < 80 {
		t.Fatalf("found only %d message IDs; the scan is broken", len(ids))
	}
	for id := range ids {
		if !tr.Has(id) {
			t.Errorf("message %q is missing", id)
		}
	}
}

// TestImportProblemCells files each kind of problem, found while reading
// or by the domain's rules, under its own cell.
func TestImportProblemCells(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid := h.importCampaign()
	row := func(code, pi, members, budget, start, end, subjects, promotion string) []any {
		return []any{code, "项目" + code, "应用技术类", "同济大学", "", pi, "", members, budget, "", start, end, subjects, "", "", promotion, ""}
	}
	data := importtest.XLSX(t,
		importtest.Sheet{Name: "项目 Projects", Rows: [][]any{
			zhProjectHeader,
			row("2024-A-1", "王建国", "", "三百", "", "", "520.20", "也许"),
			row("2024-A-2", "王建国", "李四, 同济大学\n, 复旦大学", "", "2024-13-01", "", "52", ""),
			row("2024-A-3", "", "", "", "2024-01-01", "2023-01-01", "520.20", ""),
		}},
		importtest.Sheet{Name: "考核指标 Indicators", Rows: [][]any{
			zhIndicatorHeader,
			{"2024-A-1", "软件著作权", "软件", "", "", 2, "项", "", "", "", "", ""},
			{"2024-A-1", "巡检里程", "技术", "", "约", 5, "km", "", "", "", "", ""},
			{"2024-A-9", "巡检里程", "技术", "", "", 5, "km", "", "", "", "", ""},
			{"2024-A-2", "示范应用", "", "", "", "", "", "", "", "", "", ""},
			{"2024-A-2", "巡检速度", "", "可能", "", 1, "m/s", "", "六", "", "", ""},
			{"2024-A-3", "形成方法", "", "", "", "", "", "一套方法", "", "", "", "完成了"},
		}})
	h.warmTokens()
	before := h.dump()
	resp, body := h.upload("staffa", idPath("/api/v1/campaigns/%d/projects/import", cid), file{"file", "p.xlsx", data})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	got := decodeImport(t, body).Error.Fields
	want := map[string]string{
		"projects.2.I":   "须为数字",              // budget
		"projects.2.P":   "请填“是”或“否”",         // promotion
		"projects.3.K":   "日期格式须为 YYYY-MM-DD", // start
		"projects.3.M":   "学科代码须符合",           // subject codes
		"projects.3.H":   "此项为必填",             // a member without a name
		"projects.4.F":   "此项为必填",             // PI
		"projects.4.L":   "日期不能早于",            // end before start
		"indicators.2.C": "指标类型须为",            // kind
		"indicators.3.E": "方向须为",              // direction
		"indicators.4.A": "项目编号 2024-A-9 不在项目表中",
		"indicators.5.F": "请填写数值目标或文字目标",
		"indicators.6.D": "请填“是”或“否”", // main
		"indicators.6.I": "须为数字",      // actual value
		"indicators.7.L": "状态须为",      // status
	}
	for k, w := range want {
		if !strings.Contains(got[k], w) {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected problem %s: %s", k, got[k])
		}
	}
	if h.dump() != before {
		t.Error("a refused import changed the database")
	}
}

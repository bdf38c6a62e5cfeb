package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/imports/importtest"
	"github.com/google/go-cmp/cmp"
)

// cliImportSetup makes a database file with the default rubrics, two
// agencies, a staff member of each (li.wei of SSTPC, other of OTHER), a
// commission member (zhou) and a draft campaign of SSTPC, and closes it.
// It returns the campaign's id.
func cliImportSetup(t *testing.T, path string) int64 {
	t.Helper()
	ctx := t.Context()
	db, svc := cliOpen(t, path)
	if err := installDefaults(ctx, svc); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"SSTPC", "OTHER"} {
		if _, err := svc.Accounts.CreateAgency(ctx, evaluation.System, evaluation.NewAgency{Code: code,
			NameZH: code + " 评估中心", NameEN: code + " Evaluation Center"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []evaluation.NewUser{
		{Username: "li.wei", Name: "李伟", Role: evaluation.RoleAgencyStaff, AgencyCode: "SSTPC"},
		{Username: "other", Name: "王五", Role: evaluation.RoleAgencyStaff, AgencyCode: "OTHER"},
		{Username: "zhou", Name: "周敏", Role: evaluation.RoleCommission},
	} {
		u.Language, u.Password = evaluation.LangZH, "a-good-password-1"
		if _, err := svc.Accounts.CreateUser(ctx, evaluation.System, u); err != nil {
			t.Fatal(err)
		}
	}
	staff, err := db.UserByUsername(ctx, "li.wei")
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Campaigns.CreateCampaign(ctx, staff.Actor(), evaluation.NewCampaign{Name: "2026 年度第一批", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// cliTableCounts counts the rows the imports write: projects, indicators,
// experts and audit entries.
func cliTableCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, _ := cliOpen(t, path)
	defer db.Close() // before the next command opens the file
	out := map[string]int{}
	for _, table := range []string{"projects", "indicators", "experts", "audit_log"} {
		var n int
		if err := db.SQL().QueryRowContext(t.Context(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

var (
	cliProjectHeader   = []any{"项目编号", "项目名称", "项目类别", "承担单位", "项目负责人", "任务书经费（万元）", "学科代码", "评价方式"}
	cliIndicatorHeader = []any{"项目编号", "指标名称", "指标类型", "方向", "目标值", "单位", "实际值", "文字目标"}
)

// projectsWorkbook is a workbook of projects with the codes given, each
// with two indicators but the last, which has none.
func projectsWorkbook(t *testing.T, dir, name string, codes ...string) string {
	t.Helper()
	projects := [][]any{cliProjectHeader}
	indicators := [][]any{cliIndicatorHeader}
	for i, code := range codes {
		projects = append(projects, []any{code, "城市地下管网智能巡检机器人研发 " + code, "应用技术类", "同济大学", "王建国", 300 + i, "520.20", "同行评议、现场测试"})
		if i < len(codes)-1 {
			indicators = append(indicators,
				[]any{code, "连续巡检里程", "技术", "≥", 5, "km", 6, ""},
				[]any{code, "管道缺陷识别方法", "技术", "", "", "", "", "形成适用于 DN300 以上管道的缺陷识别方法"})
		}
	}
	return writeTestFile(t, dir, name, importtest.XLSX(t, importtest.Sheet{Name: "项目 Projects", Rows: projects}, importtest.Sheet{Name: "考核指标 Indicators", Rows: indicators}))
}

// TestCLIImportProjects imports a workbook into a campaign as the operator
// and as a named staff member, and checks what is stored and audited.
func TestCLIImportProjects(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evalpanel.db")
	cid := cliImportSetup(t, path)
	campaign := fmt.Sprint(cid)

	// Flags after the file, as the usage line has them.
	file := projectsWorkbook(t, dir, "项目清单.xlsx", "2024-ZD-001", "2024-ZD-002", "2024-JC-003")
	r := cli(t, "", "import", "projects", file, "--campaign", campaign, "--db", path)
	if r.code() != 0 {
		t.Fatalf("import: %v\nstderr %s", r.err, r.stderr)
	}
	if want := fmt.Sprintf("imported 3 projects with 4 indicators into campaign %d (2026 年度第一批) as system\n", cid); r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}

	db, svc := cliOpen(t, path)
	ctx := t.Context()
	list, _, err := svc.Campaigns.Projects(ctx, evaluation.System, evaluation.ProjectFilter{CampaignID: cid, Page: evaluation.Page{Size: 50}})
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		Budget     int64 // fen
		Indicators int
	}
	got := map[string]stored{}
	for _, p := range list {
		full, err := svc.Campaigns.Project(ctx, evaluation.System, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		got[full.Code] = stored{full.Budget, len(full.Indicators)}
	}
	want := map[string]stored{"2024-ZD-001": {300_0000_00, 2}, "2024-ZD-002": {301_0000_00, 2}, "2024-JC-003": {302_0000_00, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored projects (-want +got):\n%s", diff)
	}
	camp, err := svc.Campaigns.Campaign(ctx, evaluation.System, cid)
	if err != nil {
		t.Fatal(err)
	}
	entries, _, err := db.AuditEntries(ctx, evaluation.AuditFilter{Action: "project.import", Page: evaluation.Page{Size: 5}})
	if err != nil || len(entries) != 1 {
		t.Fatalf("project.import entries: %v, %v; want 1", entries, err)
	}
	e := entries[0]
	if e.Actor != "system" || e.ActorID != 0 || e.AgencyID != camp.AgencyID || e.ObjectID != campaign {
		t.Errorf("import entry by %s (%d) for agency %d, object %s; want the system for agency %d, campaign %s",
			e.Actor, e.ActorID, e.AgencyID, e.ObjectID, camp.AgencyID, campaign)
	}
	for _, s := range []string{`"projects":3`, `"indicators":4`, `"format":"xlsx"`, `"file":"项目清单.xlsx"`, `"sha256":"`} {
		if !strings.Contains(e.Details, s) {
			t.Errorf("import entry %s lacks %s", e.Details, s)
		}
	}
	if _, n, err := db.AuditEntries(ctx, evaluation.AuditFilter{Action: "project.create", Page: evaluation.Page{Size: 1}}); err != nil || n != 3 {
		t.Errorf("project.create entries = %d, %v; want 3", n, err)
	}
	db.Close()

	// As a named staff member of the agency: the audit log names them.
	r = cli(t, "", "import", "projects", "--db", path, "--as", "Li.Wei", "--campaign", campaign,
		projectsWorkbook(t, dir, "second.xlsx", "2024-ZD-004"))
	if r.code() != 0 || !strings.HasSuffix(r.stdout, "as li.wei\n") {
		t.Fatalf("import --as li.wei: %v %q %s", r.err, r.stdout, r.stderr)
	}
	db, _ = cliOpen(t, path)
	entries, _, err = db.AuditEntries(ctx, evaluation.AuditFilter{Action: "project.import", Page: evaluation.Page{Size: 5}})
	if err != nil || len(entries) != 2 || entries[0].Actor != "li.wei" || entries[0].ActorID == 0 {
		t.Errorf("project.import entries after --as: %+v, %v; want the newest by li.wei", entries, err)
	}
	db.Close()

	// A csv import: the projects table, and the indicators table in a
	// second file.
	projectsCSV := writeTestFile(t, dir, "projects.csv", []byte("项目编号,项目名称,项目类别,承担单位,项目负责人,学科代码\r\n"+
		"2024-ZD-005,面向中小企业的工业互联网安全监测平台,应用技术类,上海工业控制安全创新科技有限公司,陈晓,520.60\r\n"))
	indicatorsCSV := writeTestFile(t, dir, "indicators.csv", []byte("项目编号,指标名称,方向,目标值,单位\r\n"+
		"2024-ZD-005,接入企业数,≥,50,家\r\n2024-ZD-005,培养研究生,≥,3,人\r\n"))
	r = cli(t, "", "import", "projects", projectsCSV, indicatorsCSV, "--campaign", campaign, "--db", path)
	if want := fmt.Sprintf("imported 1 project with 2 indicators into campaign %d (2026 年度第一批) as system\n", cid); r.code() != 0 || r.stdout != want {
		t.Errorf("csv import: %d %q, want %q; stderr %s", r.code(), r.stdout, want, r.stderr)
	}
	if n := cliTableCounts(t, path); n["projects"] != 5 || n["indicators"] != 6 {
		t.Errorf("%d projects and %d indicators stored, want 5 and 6", n["projects"], n["indicators"])
	}
	if r := cli(t, "", "audit", "verify", "--db", path); r.code() != 0 {
		t.Errorf("audit verify after the imports: %v %s", r.err, r.stderr)
	}
}

// TestCLIImportProjectsProblems: a file with problems prints each as the
// web lists it, in the language asked for, exits 1 and stores nothing.
func TestCLIImportProjectsProblems(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evalpanel.db")
	cid := cliImportSetup(t, path)
	campaign := fmt.Sprint(cid)
	if r := cli(t, "", "import", "projects", "--db", path, "--campaign", campaign, projectsWorkbook(t, dir, "first.xlsx", "2024-ZD-001")); r.code() != 0 {
		t.Fatalf("first import: %v %s", r.err, r.stderr)
	}
	bad := writeTestFile(t, dir, "bad.xlsx", importtest.XLSX(t, importtest.Sheet{Name: "项目 Projects", Rows: [][]any{
		cliProjectHeader,
		{"2024-ZD-001", "已导入过的项目", "应用技术类", "同济大学", "王建国", 300, "520.20", ""},
		{"2024-ZD-002", "二维材料中激子输运的调控机理", "应用研究类", "复旦大学", "沈慧敏", 200, "140.30", ""},
		{"2024-ZD-003", "", "基础研究类", "复旦大学", "沈慧敏", "三百", "140.30", ""},
		{"2024-ZD-002", "城市更新中历史建筑结构安全评估技术", "应用技术类", "上海市建筑科学研究院", "刘敏", "", "560.20", ""},
	}}, importtest.Sheet{Name: "考核指标 Indicators", Rows: [][]any{
		cliIndicatorHeader,
		{"2024-ZD-009", "连续巡检里程", "技术", "≥", 5, "km", 6, ""},
	}}))
	before := cliTableCounts(t, path)

	// A file whose only problem the reader finds, which the domain's
	// rules would let through.
	unreadCell := writeTestFile(t, dir, "budget.xlsx", importtest.XLSX(t, importtest.Sheet{Name: "项目 Projects", Rows: [][]any{
		cliProjectHeader,
		{"2024-ZD-010", "深海热液区微生物固碳机制", "基础研究类", "上海交通大学", "许海", "三百万", "180.50", ""},
	}}))
	r := cli(t, "", "import", "projects", unreadCell, "--db", path, "--campaign", campaign)
	if want := "import projects: 文件中有 1 处问题，未导入任何内容。\n工作表\t行\t列\t问题\n" +
		"项目 Projects\t2\tF 任务书经费（万元）\t须为数字。\n"; r.code() != 1 || r.stderr != want {
		t.Errorf("budget in words: %d %q, want 1 and %q", r.code(), r.stderr, want)
	}
	if after := cliTableCounts(t, path); !cmp.Equal(after, before) {
		t.Errorf("rows after a refused import %v, want %v", after, before)
	}

	for _, tc := range []struct {
		lang string
		want string
	}{
		{"zh-CN", "import projects: 文件中有 6 处问题，未导入任何内容。\n" +
			"工作表\t行\t列\t问题\n" +
			"项目 Projects\t2\tA 项目编号\t本评价批次已有此项目编号。\n" +
			"项目 Projects\t3\tC 项目类别\t项目类别须为基础研究类或应用技术类。\n" +
			"项目 Projects\t4\tB 项目名称\t此项为必填。\n" +
			"项目 Projects\t4\tF 任务书经费（万元）\t须为数字。\n" +
			"项目 Projects\t5\tA 项目编号\t项目编号在本次导入中重复出现。\n" +
			"考核指标 Indicators\t2\tA 项目编号\t项目编号 2024-ZD-009 不在项目表中。\n"},
		{"en", "import projects: The file has 6 problem(s); nothing was imported.\n" +
			"Sheet\tRow\tColumn\tProblem\n" +
			"项目 Projects\t2\tA 项目编号\tThe campaign already has a project with this code.\n" +
			"项目 Projects\t3\tC 项目类别\tThe class must be basic research or applied technology.\n" +
			"项目 Projects\t4\tB 项目名称\tRequired.\n" +
			"项目 Projects\t4\tF 任务书经费（万元）\tMust be a number.\n" +
			"项目 Projects\t5\tA 项目编号\tThis project code appears twice in the batch.\n" +
			"考核指标 Indicators\t2\tA 项目编号\tNo project in the projects table has the code 2024-ZD-009.\n"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := cli(t, "", "import", "projects", bad, "--db", path, "--campaign", campaign, "--lang", tc.lang)
			if r.code() != 1 || r.stdout != "" {
				t.Errorf("exit status %d (%v), stdout %q; want 1 and nothing", r.code(), r.err, r.stdout)
			}
			if r.stderr != tc.want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, tc.want)
			}
			if after := cliTableCounts(t, path); !cmp.Equal(after, before) {
				t.Errorf("rows after a refused import %v, want %v", after, before)
			}
		})
	}
}

// TestCLIImportExperts imports a csv file into the pool, and refuses an
// account that may not manage the pool.
func TestCLIImportExperts(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evalpanel.db")
	cliImportSetup(t, path)
	csv := "\uFEFF姓名,专家类型,工作单位,职称级别,地域,学科代码,工作语言\r\n" +
		"陈立平,技术领域专家,上海大学,正高级,本地,520.20；510.30,中文、英文\r\n" +
		"Maria Rossi,international peer,Politecnico di Milano,senior,international,520.20,English\r\n"
	file := writeTestFile(t, dir, "专家.csv", []byte(csv))
	before := cliTableCounts(t, path)

	// Agency staff may not manage the pool: nothing is stored.
	r := cli(t, "", "import", "experts", file, "--db", path, "--as", "li.wei")
	if r.code() != 1 || !strings.Contains(r.stderr, "--as li.wei: only administrators and the commission import experts") {
		t.Errorf("import as agency staff: %d %q", r.code(), r.stderr)
	}
	if after := cliTableCounts(t, path); !cmp.Equal(after, before) {
		t.Errorf("rows after a refused import %v, want %v", after, before)
	}

	r = cli(t, "", "import", "experts", file, "--db", path, "--as", "zhou")
	if r.code() != 0 || r.stdout != "imported 2 experts into the expert pool as zhou\n" {
		t.Fatalf("import: %d %q %s", r.code(), r.stdout, r.stderr)
	}
	db, svc := cliOpen(t, path)
	list, _, err := svc.Pool.Experts(t.Context(), evaluation.System, evaluation.ExpertFilter{Page: evaluation.Page{Size: 10}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range list {
		got[e.Name] = string(e.Type) + " " + e.Institution + " " + strings.Join(e.Languages, ",")
	}
	want := map[string]string{"陈立平": "domain_expert 上海大学 zh,en", "Maria Rossi": "international_peer Politecnico di Milano en"}
	if !cmp.Equal(got, want) {
		t.Errorf("pool %v, want %v", got, want)
	}
	entries, _, err := db.AuditEntries(t.Context(), evaluation.AuditFilter{Action: "expert.import", Page: evaluation.Page{Size: 5}})
	if err != nil || len(entries) != 1 || entries[0].Actor != "zhou" || !strings.Contains(entries[0].Details, `"experts":2`) ||
		!strings.Contains(entries[0].Details, `"format":"csv"`) {
		t.Errorf("expert.import entries %+v, %v", entries, err)
	}
	db.Close()

	// The same file again, as the operator: both are in the pool now.
	r = cli(t, "", "import", "experts", "--db", path, file)
	if r.code() != 1 || !strings.Contains(r.stderr, "专家.csv\t2\tA 姓名\t专家库中已有这位专家") ||
		!strings.Contains(r.stderr, "专家.csv\t3\tA 姓名\t专家库中已有这位专家") {
		t.Errorf("again: %d %q", r.code(), r.stderr)
	}
}

// TestCLIImportRefusals: command lines that cannot import say why, with
// exit status 2 for a wrong command line and 1 for a refusal, and store
// nothing.
func TestCLIImportRefusals(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "evalpanel.db")
	cid := cliImportSetup(t, path)
	campaign := fmt.Sprint(cid)
	file := projectsWorkbook(t, dir, "p.xlsx", "2024-ZD-001")
	before := cliTableCounts(t, path)
	for _, tc := range []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr string
	}{
		{"no file", []string{"projects", "--campaign", campaign}, 2, "give the file to import"},
		{"three files", []string{"projects", file, file, file, "--campaign", campaign}, 2, "give the file to import"},
		{"no campaign", []string{"projects", file}, 2, "--campaign ID is required"},
		{"bad language", []string{"projects", file, "--campaign", campaign, "--lang", "fr"}, 2, `--lang "fr"`},
		{"unknown subcommand", []string{"rubrics", file}, 2, "usage"},
		{"unknown campaign", []string{"projects", file, "--campaign", "99"}, 1, "campaign 99: "},
		{"unknown user", []string{"projects", file, "--campaign", campaign, "--as", "nobody"}, 1, "--as nobody: no such user"},
		{"another agency's staff", []string{"projects", file, "--campaign", campaign, "--as", "other"}, 1,
			"--as other: only staff of the campaign's agency (SSTPC) import its projects"},
		{"the commission", []string{"projects", file, "--campaign", campaign, "--as", "zhou"}, 1, "only staff of the campaign's agency"},
		{"missing file", []string{"projects", filepath.Join(dir, "nope.xlsx"), "--campaign", campaign}, 1, "no such file"},
		{"missing experts file", []string{"experts", filepath.Join(dir, "nope.csv")}, 1, "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := cli(t, "", append(append([]string{"import"}, tc.args...), "--db", path)...)
			if r.code() != tc.wantCode || !strings.Contains(r.stderr+fmt.Sprint(r.err), tc.wantStderr) {
				t.Errorf("exit status %d, stderr %q, error %v; want %d and %q", r.code(), r.stderr, r.err, tc.wantCode, tc.wantStderr)
			}
			if after := cliTableCounts(t, path); !cmp.Equal(after, before) {
				t.Errorf("rows after a refusal %v, want %v", after, before)
			}
		})
	}

	// A campaign past panel forming takes no more projects.
	db, _ := cliOpen(t, path)
	if _, err := db.SQL().ExecContext(t.Context(), `UPDATE campaigns SET state = 'scoring' WHERE id = ?`, cid); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := cli(t, "", "import", "projects", file, "--campaign", campaign, "--db", path, "--lang", "en")
	if want := fmt.Sprintf("import projects: campaign %d: The campaign is past panel forming: its projects can no longer change.\n", cid); r.code() != 1 || r.stderr != want {
		t.Errorf("locked campaign: %d %q, want 1 and %q", r.code(), r.stderr, want)
	}
	if after := cliTableCounts(t, path); !cmp.Equal(after, before) {
		t.Errorf("rows after importing into a locked campaign %v, want %v", after, before)
	}
}

// A refusal of the service is printed with the values its messages show:
// a message whose values its field holds, and another field's own.
func TestImportRefusalShowsValues(t *testing.T) {
	var stderr strings.Builder
	c := newImportCommand("import projects", &stderr)
	if _, err := c.parse([]string{"--lang", "en", "projects.xlsx"}, 1); err != nil {
		t.Fatal(err)
	}
	err := c.refuse("campaign 7", &evaluation.Error{Code: evaluation.Conflict, Message: "error.panels_unconfirmed",
		Fields: map[string]string{"to": "error.panels_unconfirmed", "password": "error.password_too_short"},
		Args:   map[string]map[string]any{"to": {"Count": 3}, "password": {"Min": 10}}})
	if _, ok := err.(exitError); !ok {
		t.Fatalf("refuse returned %v, want exit status 1", err)
	}
	want := "import projects: campaign 7: 3 projects have no confirmed panel yet: scoring cannot open.\n" +
		"  password: The password needs at least 10 characters.\n"
	if stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
}

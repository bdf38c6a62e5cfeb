package web

import (
	"context"
	"fmt"
	"html"
	"maps"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// evilTitle is a formula planted in a project's title.
const evilTitle = `=HYPERLINK("http://evil","x")`

// plantTitle gives the scoring campaign's project the title, as an import
// would have stored it before the campaign locked its projects. The
// service takes such a title (checked here on a campaign in draft).
func (h *harness) plantTitle(s *scoring, title string) {
	h.t.Helper()
	ctx := context.Background()
	c, err := h.svc.Campaigns.CreateCampaign(ctx, h.users["staffa"].Actor(), evaluation.NewCampaign{Name: "草稿批次", Year: 2026})
	if err != nil {
		h.t.Fatal(err)
	}
	project := strings.Replace(fmt.Sprintf(projectJSON, "2024-ZD-999"), `"城市地下管网智能巡检机器人研发"`, strconv.Quote(title), 1)
	h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/projects", c.ID), project, http.StatusCreated)
	err = h.db.InTx(ctx, func(tx evaluation.Tx) error {
		p, err := tx.Project(ctx, s.projectID)
		if err != nil {
			return err
		}
		p.Title = title
		return tx.UpdateProject(ctx, p)
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// download GETs a workbook as the browser and checks that it is one.
func (b *browser) download(target string) (*http.Response, string) {
	b.h.t.Helper()
	resp, body := b.get(target)
	if resp.StatusCode == http.StatusOK {
		if ct := resp.Header.Get("Content-Type"); ct != mimeXLSX {
			b.h.t.Errorf("%s: content type %q", target, ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''") {
			b.h.t.Errorf("%s: Content-Disposition %q", target, cd)
		}
	}
	return resp, body
}

// The results workbook: the official results with the planted formula
// escaped and the exact panel score, the advisory figures, the experts'
// leniency by name and the reliability, in either language, with the
// page's filters; read by those who read the results.
func TestResultsXLSX(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.plantTitle(s, evilTitle)
	h.submitAll(s)
	res, err := h.svc.Results.CampaignResults(context.Background(), h.users["staffa"].Actor(), s.campaignID)
	if err != nil {
		t.Fatal(err)
	}
	official := res.Report.Results[0].Technical.Score
	if official == nil || official.String() != "83.00" {
		t.Fatalf("the panel score is %v, want 83.00", official)
	}
	page := fmt.Sprintf("/campaigns/%d/results.xlsx", s.campaignID)
	staff := h.browser()
	staff.login("staffa")

	for _, lang := range []struct {
		lang                      string
		sheets, header, advisory  []string
		file, class, grade, none  string
		calibrated, leniencyLabel string
	}{
		{"zh-CN", []string{"评审结果", "参考指标", "专家宽严度（参考）", "信度（参考）"},
			[]string{"项目编号", "项目名称", "项目类别", "承担单位", "技术评分", "技术评分表数", "等级", "财务评分", "财务评价", "建议结论", "理由", "评分分歧", "否决项成立", "专家修订中", "已录入结论"},
			[]string{"项目编号", "项目名称", "项目类别", "技术评分", "校准分（参考）", "类内百分位（参考）"},
			"filename*=UTF-8''" + url.PathEscape("评分批次-评审结果.xlsx"), "应用技术类", "良好", "未录入", "校准分（参考）", "宽严度（参考，分；正值偏宽，负值偏严）"},
		{"en", []string{"Results", "Advisory figures", "Expert leniency (advisory)", "Reliability (advisory)"},
			[]string{"Project code", "Title", "Class", "Lead institution", "Panel score", "Technical sheets", "Grade", "Finance score", "Finance track",
				"Proposed conclusion", "Reasons", "Divergent scores", "Veto held", "Revising", "Conclusion recorded"},
			[]string{"Project code", "Title", "Class", "Panel score", "Calibrated score (advisory)", "Percentile in class (advisory)"},
			"filename*=UTF-8''" + url.PathEscape("评分批次-results.xlsx"), "Applied technology", "Good", "Not recorded", "Calibrated score (advisory)",
			"Leniency (advisory, points; positive is lenient, negative strict)"},
	} {
		resp, body := staff.download(page + "?lang=" + lang.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %.300s", lang.lang, resp.StatusCode, body)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, lang.file) {
			t.Errorf("%s: Content-Disposition %q lacks %q", lang.lang, cd, lang.file)
		}
		f := openWorkbook(t, body)
		if got := f.GetSheetList(); !slices.Equal(got, lang.sheets) {
			t.Fatalf("%s: worksheets %q, want %q", lang.lang, got, lang.sheets)
		}
		results := lang.sheets[0]
		rows := rowsOf(t, f, results)
		if len(rows) != 2 || !slices.Equal(rows[0], lang.header) {
			t.Fatalf("%s: results rows %q, want the header %q and one project", lang.lang, rows, lang.header)
		}
		if rows[1][0] != "2024-ZD-101" || rows[1][2] != lang.class || rows[1][6] != lang.grade || rows[1][14] != lang.none {
			t.Errorf("%s: the project's row %q", lang.lang, rows[1])
		}
		wantText(t, f, results, "B2", "'"+evilTitle)
		score := cellOf(t, f, results, lang.header[4], 2)
		shown, _ := f.GetCellValue(results, score)
		raw := rawNumber(t, f, results, score)
		if v, _ := strconv.ParseFloat(raw, 64); shown != official.String() || int64(math.Round(v*100)) != int64(*official) || raw != "83" {
			t.Errorf("%s: the score shows %q and holds %q, want %s", lang.lang, shown, raw, official)
		}
		if rows := rowsOf(t, f, lang.sheets[1]); len(rows) != 2 || !slices.Equal(rows[0], lang.advisory) || rows[1][3] != "83.00" {
			t.Errorf("%s: advisory rows %q", lang.lang, rows)
		}
		wantText(t, f, lang.sheets[1], "B2", "'"+evilTitle)
		// Every technical member by name, with the leniency labelled.
		rows = rowsOf(t, f, lang.sheets[2])
		if len(rows) != 6 || rows[0][3] != lang.leniencyLabel {
			t.Errorf("%s: leniency rows %q, want the header and the 5 technical experts", lang.lang, rows)
		}
		for _, m := range s.panel.Seated(evaluation.SeatTechnical) {
			if !slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == m.Expert.Name }) {
				t.Errorf("%s: the leniency sheet does not name %s", lang.lang, m.Expert.Name)
			}
		}
	}

	// The filters select the projects, as on the page; the advisory
	// figures of the experts stay the campaign's.
	for _, tc := range []struct {
		query string
		rows  int
	}{
		{"?class=applied_technology&proposal=pass&grade=good&conclusion=none", 2},
		{"?class=basic_research", 1},
		{"?flag=divergent", 1},
		{"?conclusion=pass", 1},
	} {
		resp, body := staff.download(page + tc.query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", tc.query, resp.StatusCode)
		}
		f := openWorkbook(t, body)
		if got := len(rowsOf(t, f, "评审结果")); got != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.query, got, tc.rows)
		}
		if got := len(rowsOf(t, f, "参考指标")); got != tc.rows {
			t.Errorf("%s: %d advisory rows, want %d", tc.query, got, tc.rows)
		}
		if got := len(rowsOf(t, f, "专家宽严度（参考）")); got != 6 {
			t.Errorf("%s: %d leniency rows, want 6", tc.query, got)
		}
	}
	for _, q := range []string{"?flag=nope", "?lang=fr", "?grade=best"} {
		if resp, _ := staff.get(page + q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, resp.StatusCode)
		}
	}

	// The API's twin, checked against the OpenAPI document.
	api := fmt.Sprintf("/api/v1/campaigns/%d/results.xlsx", s.campaignID)
	h.warmTokens()
	for _, sc := range []scenario{
		{name: "bad filters", as: "staffa", method: "GET", url: api + "?lang=fr&flag=x", status: 400, code: evaluation.Invalid, fields: []string{"lang", "flag"}},
		{name: "an expert", as: "expert", method: "GET", url: api, status: 403, code: evaluation.Forbidden},
		{name: "the chair", as: s.chair, method: "GET", url: api, status: 403, code: evaluation.Forbidden},
		{name: "another agency", as: "staffb", method: "GET", url: api, status: 404, code: evaluation.NotFound},
		{name: "no campaign", as: "staffa", method: "GET", url: "/api/v1/campaigns/999999/results.xlsx", status: 404, code: evaluation.NotFound},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, sc)
			if h.dump() != before {
				t.Error("an export changed the database")
			}
		})
	}
	for _, who := range []string{"staffa", "commission", "admin"} {
		resp, body := h.api(who, "GET", api+"?lang=en&class=applied_technology", "")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != mimeXLSX {
			t.Fatalf("%s: status %d, %s", who, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		f := openWorkbook(t, body)
		wantText(t, f, "Results", "B2", "'"+evilTitle)
	}
	// Without ?lang=, the user's language.
	resp, body := h.api("commission", "GET", api, "", "Accept-Language", "en")
	if resp.StatusCode != http.StatusOK || !slices.Contains(openWorkbook(t, body).GetSheetList(), "Results") {
		t.Errorf("Accept-Language en: status %d, want English worksheets", resp.StatusCode)
	}
	for _, tc := range []struct {
		user   string
		status int
	}{{"commission", 200}, {"admin", 200}, {"staffb", 404}, {"expert", 403}, {s.chair, 403}} {
		b := h.browser()
		b.login(tc.user)
		if resp, _ := b.download(page); resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.user, resp.StatusCode, tc.status)
		}
	}
}

// sheetWith is fullSheet with a comment and an opinion that a spreadsheet
// could run, and a veto flagged with its evidence.
const sheetWith = `"scores":{"A1":22,"A2":20,"A3":21,"A4":8,"A5":12},"comments":{"A1":"@SUM(1)"},` +
	`"opinion":"+cmd|' /C calc'!A0","vetoes":[{"code":"V2","evidence":"-技术路线变更未报批"}]`

// The sheets workbook: a worksheet per class with the rubric's indicators
// as columns, one for the finance sheets; each submitted sheet with its
// expert's name, the comments and opinion escaped, the total and the time
// of submission in Beijing; one project's with ?project=; read by the
// agency, the commission and administrators only.
func TestSheetsXLSX(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitAll(s)
	ctx := context.Background()
	member := h.userOf(s.member)
	sh, err := h.db.Sheet(ctx, s.projectID, member.ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Sheets.ReopenSheet(ctx, h.users["staffa"].Actor(), sh.ID, "请核对评语"); err != nil {
		t.Fatal(err)
	}
	h.mustAPI(s.member, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID),
		fmt.Sprintf(`{"version":%d,%s}`, sh.Version+1, sheetWith), http.StatusOK)
	if sh, err = h.db.Sheet(ctx, s.projectID, member.ExpertID); err != nil {
		t.Fatal(err)
	}
	var name string
	for _, m := range s.panel.Members {
		if m.ExpertID == member.ExpertID {
			name = m.Expert.Name
		}
	}

	page := fmt.Sprintf("/campaigns/%d/sheets.xlsx", s.campaignID)
	staff := h.browser()
	staff.login("staffa")
	resp, body := staff.download(page + "?lang=zh-CN")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("评分批次-评分表.xlsx")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	f := openWorkbook(t, body)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"基础研究类", "应用技术类", "财务评价"}) {
		t.Fatalf("worksheets %q", got)
	}
	if rows := rowsOf(t, f, "基础研究类"); len(rows) != 1 {
		t.Errorf("the basic research worksheet has %d rows, want the header only", len(rows))
	}
	rows := rowsOf(t, f, "应用技术类")
	if len(rows) != 6 {
		t.Fatalf("the applied technology worksheet has %d rows, want the header and 5 sheets", len(rows))
	}
	for _, want := range []string{"项目编号", "专家", "席位", "轮次", "A1 任务书考核指标完成情况（25 分）", "总分", "勾选的否决项及依据", "A1 评语", "A5 评语", "总体意见", "提交时间（北京时间）"} {
		if !slices.Contains(rows[0], want) {
			t.Errorf("the header %q lacks %q", rows[0], want)
		}
	}
	r := slices.IndexFunc(rows, func(row []string) bool { return len(row) > 2 && row[2] == name }) + 1
	if r < 2 {
		t.Fatalf("no row names %s: %q", name, rows)
	}
	const tech = "应用技术类"
	wantText(t, f, tech, cellOf(t, f, tech, "A1 评语", r), "'@SUM(1)")
	wantText(t, f, tech, cellOf(t, f, tech, "总体意见", r), "'+cmd|' /C calc'!A0")
	wantText(t, f, tech, cellOf(t, f, tech, "席位", r), "技术专家")
	if v := rawNumber(t, f, tech, cellOf(t, f, tech, "总分", r)); v != "83" {
		t.Errorf("the total holds %q, want 83", v)
	}
	if v := rawNumber(t, f, tech, cellOf(t, f, tech, "轮次", r)); v != "2" {
		t.Errorf("the round is %q, want 2", v)
	}
	if v, _ := f.GetCellValue(tech, cellOf(t, f, tech, "提交时间（北京时间）", r)); v != sh.SubmittedAt.In(evaluation.Beijing).Format("2006-01-02 15:04") {
		t.Errorf("submitted at %q, want %s in Beijing", v, sh.SubmittedAt)
	}
	if v, _ := f.GetCellValue(tech, cellOf(t, f, tech, "勾选的否决项及依据", r)); !strings.HasPrefix(v, "未经批准") || !strings.HasSuffix(v, "：-技术路线变更未报批") {
		t.Errorf("the veto flagged reads %q", v)
	}
	if rows := rowsOf(t, f, "财务评价"); len(rows) != 2 || !slices.Contains(rows[0], "财务评价意见") || !slices.Contains(rows[1], "通过") {
		t.Errorf("the finance worksheet %q, want its one sheet passing", rows)
	}

	// One project's; in English.
	resp, body = staff.download(fmt.Sprintf("%s?project=%d&lang=en", page, s.projectID))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one project: status %d", resp.StatusCode)
	}
	f = openWorkbook(t, body)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Basic research", "Applied technology", "Finance track"}) {
		t.Errorf("English worksheets %q", got)
	}
	if rows := rowsOf(t, f, "Applied technology"); len(rows) != 6 || !slices.Contains(rows[0], "A1 comment") {
		t.Errorf("one project's sheets: %d rows, header %q", len(rows), rows[0])
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, url.PathEscape("评分批次-2024-ZD-101-sheets.xlsx")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	for _, tc := range []struct {
		query  string
		status int
	}{{"?project=999999", 404}, {"?project=x", 400}, {"?lang=de", 400}} {
		if resp, _ := staff.get(page + tc.query); resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.query, resp.StatusCode, tc.status)
		}
	}

	api := fmt.Sprintf("/api/v1/campaigns/%d/sheets.xlsx", s.campaignID)
	h.warmTokens()
	for _, sc := range []scenario{
		{name: "a member", as: s.member, method: "GET", url: api, status: 403, code: evaluation.Forbidden},
		{name: "the chair", as: s.chair, method: "GET", url: api, status: 403, code: evaluation.Forbidden},
		{name: "another agency", as: "staffb", method: "GET", url: api, status: 404, code: evaluation.NotFound},
		{name: "a bad project", as: "staffa", method: "GET", url: api + "?project=0", status: 400, code: evaluation.Invalid, fields: []string{"project"}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, sc)
			if h.dump() != before {
				t.Error("an export changed the database")
			}
		})
	}
	for _, who := range []string{"staffa", "commission", "admin"} {
		resp, body := h.api(who, "GET", api+"?lang=zh-CN", "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", who, resp.StatusCode)
		}
		f := openWorkbook(t, body)
		wantText(t, f, tech, cellOf(t, f, tech, "A1 评语", r), "'@SUM(1)")
	}
}

// exportLink finds the download links of a page by their ids.
var exportLink = regexp.MustCompile(`<a href="([^"]*)" id="(export-[a-z-]+)"`)

// The results page offers the workbook in either language with the
// page's filters, and the sheets; a project's result page its own sheets
// and the campaign's. Each link downloads.
func TestExportLinks(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitAll(s)
	staff := h.browser()
	staff.login("staffa")
	c, p := s.campaignID, s.projectID
	for _, tc := range []struct {
		page string
		want map[string]string
	}{
		{fmt.Sprintf("/campaigns/%d/results?class=applied_technology&flag=divergent&sort=-score", c), map[string]string{
			"export-zh":     fmt.Sprintf("/campaigns/%d/results.xlsx?class=applied_technology&flag=divergent&lang=zh-CN", c),
			"export-en":     fmt.Sprintf("/campaigns/%d/results.xlsx?class=applied_technology&flag=divergent&lang=en", c),
			"export-sheets": fmt.Sprintf("/campaigns/%d/sheets.xlsx", c)}},
		{fmt.Sprintf("/projects/%d/result", p), map[string]string{
			"export-project-sheets": fmt.Sprintf("/campaigns/%d/sheets.xlsx?project=%d", c, p),
			"export-sheets":         fmt.Sprintf("/campaigns/%d/sheets.xlsx", c)}},
	} {
		_, page := staff.get(tc.page)
		got := map[string]string{}
		for _, m := range exportLink.FindAllStringSubmatch(page, -1) {
			got[m[2]] = html.UnescapeString(m[1])
		}
		if !maps.Equal(got, tc.want) {
			t.Errorf("%s links to %v, want %v", tc.page, got, tc.want)
		}
		for _, href := range got {
			resp, body := staff.download(href)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", href, resp.StatusCode)
				continue
			}
			openWorkbook(t, body)
		}
	}
}

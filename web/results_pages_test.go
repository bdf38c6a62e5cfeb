package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/valyala/fasthttp"
)

// submitAll has every accepted member of the scoring campaign's panel
// submit a full sheet, and returns the members but the chair.
func (h *harness) submitAll(s *scoring) []string {
	h.t.Helper()
	ctx := context.Background()
	var members []string
	for _, m := range s.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			continue
		}
		u, err := h.db.UserByExpert(ctx, m.ExpertID)
		if err != nil {
			h.t.Fatal(err)
		}
		h.openSheet(s, u.Username)
		sheet := fullSheet
		if m.Seat == evaluation.SeatFinance {
			sheet = financeSheet
		}
		if resp, body := h.api(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), `{"version":0,`+sheet+`}`); resp.StatusCode != 200 {
			h.t.Fatalf("%s submits: %d %s", u.Username, resp.StatusCode, body)
		}
		if !m.Chair {
			members = append(members, u.Username)
		}
	}
	return members
}

// The campaign's results page: an empty state before any sheet is in,
// then the project's official result, its advisory figures on their own
// tab, the filters, and who may read it.
func TestCampaignResultsPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	url := fmt.Sprintf("/campaigns/%d/results", s.campaignID)
	staff := h.browser()
	staff.login("staffa")

	resp, page := staff.get(url)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="results-empty"`) || !strings.Contains(visibleText(page), "尚无已提交的评分表") {
		t.Fatalf("before any sheet: %d, want 200 with the empty state", resp.StatusCode)
	}
	if !strings.Contains(page, fmt.Sprintf(`href="/campaigns/%d/progress"`, s.campaignID)) {
		t.Error("the empty state does not lead to the progress page")
	}
	h.submitAll(s)

	res, err := h.svc.Results.CampaignResults(context.Background(), h.users["staffa"].Actor(), s.campaignID)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report.Results[0]
	if r.Technical.Score == nil {
		t.Fatal("the project has no panel score")
	}
	for _, lang := range []struct {
		lang evaluation.Language
		want []string
	}{
		{evaluation.LangZH, []string{"2024-ZD-101", r.Technical.Score.String(), "评审结果", "未录入"}},
		{evaluation.LangEN, []string{"2024-ZD-101", r.Technical.Score.String(), "Results", "Not recorded"}},
	} {
		staff.post("/lang", formOf("lang", string(lang.lang), "next", "/"))
		resp, page = staff.get(url)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`id="result-%d"`, s.projectID)) {
			t.Fatalf("%s: the results: %d, want 200 with the project's row", lang.lang, resp.StatusCode)
		}
		text := visibleText(page)
		for _, w := range lang.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the results lack %q", lang.lang, w)
			}
		}
		if strings.Contains(text, "aggregate.reason") || strings.Contains(text, "results.") {
			t.Errorf("%s: a message ID shows", lang.lang)
		}
	}
	staff.post("/lang", formOf("lang", "zh-CN", "next", "/"))

	// The advisory tab, labelled as such.
	resp, page = staff.get(url + "?tab=advisory")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="advisory-note"`) || !strings.Contains(visibleText(page), "参考") ||
		!strings.Contains(page, `id="reliability-table"`) || strings.Contains(page, `id="results-table"`) {
		t.Errorf("the advisory tab: %d, want the advisory table labelled 参考 and no official table", resp.StatusCode)
	}

	// Filters: another class matches nothing; a bad value is refused.
	resp, page = staff.get(url + "?class=basic_research")
	if resp.StatusCode != http.StatusOK || !strings.Contains(visibleText(page), "没有符合筛选条件的项目") {
		t.Errorf("another class: %d, want the no-match state", resp.StatusCode)
	}
	resp, page = staff.get(url + "?class=" + string(res.Projects[0].Class) + "&sort=-score")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, fmt.Sprintf(`id="result-%d"`, s.projectID)) {
		t.Errorf("its class sorted by score: %d, want the project", resp.StatusCode)
	}
	for _, q := range []string{"?flag=nope", "?sort=title", "?grade=best", "?tab=x"} {
		if resp, _ := staff.get(url + q); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", q, resp.StatusCode)
		}
	}
	resp, page = staff.get(url + "?flag=nope")
	if !strings.Contains(visibleText(page), "请从列表中选择标记") {
		t.Error("a bad flag is refused without its message")
	}

	// The campaign page and the progress page link to it.
	for _, from := range []string{fmt.Sprintf("/campaigns/%d", s.campaignID), fmt.Sprintf("/campaigns/%d/progress", s.campaignID)} {
		if _, page := staff.get(from); !strings.Contains(page, fmt.Sprintf(`href="%s"`, url)) {
			t.Errorf("%s does not link to the results", from)
		}
	}

	// Who reads it.
	for _, tc := range []struct {
		user   string
		status int
	}{{"commission", 200}, {"admin", 200}, {"staffb", 404}, {"expert", 403}, {s.chair, 403}} {
		b := h.browser()
		b.login(tc.user)
		if resp, _ := b.get(url); resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.user, resp.StatusCode, tc.status)
		}
	}
}

// A project's result page: the official figures, the sheets with their
// experts' names, the opinion with its dissent, and, for the agency while
// the campaign concludes, the forms: a refusal shows its problem beside
// the field and changes nothing; a conclusion and a rectification are
// recorded and audited.
func TestProjectResultPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	ctx := context.Background()
	url := fmt.Sprintf("/projects/%d/result", s.projectID)
	members := h.submitAll(s)
	pp := fmt.Sprintf("/api/v1/projects/%d/opinion", s.projectID)
	h.mustAPI(s.chair, "PUT", pp, `{"version":0,"text":"专家组同意通过。","proposed":"pass"}`, http.StatusOK)
	h.mustAPI(s.chair, "POST", pp+"/circulate", `{"version":1}`, http.StatusOK)
	for i, m := range members {
		body := `{"agree":true}`
		if i == 0 {
			body = `{"agree":false,"reason":"成果转化不足。"}`
		}
		h.mustAPI(m, "POST", pp+"/response", body, http.StatusOK)
	}

	staff := h.browser()
	staff.login("staffa")
	resp, page := staff.get(url)
	text := visibleText(page)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the result page: %d", resp.StatusCode)
	}
	for _, w := range []string{"专家组同意通过。", "成果转化不足。", "不同意", "指标平均分与门槛"} {
		if !strings.Contains(text, w) {
			t.Errorf("the result page lacks %q", w)
		}
	}
	for _, m := range s.panel.Members {
		if m.Status == evaluation.MemberAccepted && !strings.Contains(text, m.Expert.Name) {
			t.Errorf("the sheet of %s is not named", m.Expert.Name)
		}
	}
	if strings.Contains(page, `id="conclusion-form"`) {
		t.Error("a conclusion form while scoring")
	}
	if _, page := staff.get(fmt.Sprintf("/projects/%d", s.projectID)); !strings.Contains(page, fmt.Sprintf(`href="%s"`, url)) {
		t.Error("the project page does not link to its result")
	}
	for _, tc := range []struct {
		user   string
		status int
	}{{"commission", 200}, {"admin", 200}, {"staffb", 404}, {"expert", 403}, {s.chair, 403}} {
		b := h.browser()
		b.login(tc.user)
		if resp, _ := b.get(url); resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.user, resp.StatusCode, tc.status)
		}
	}

	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, h.users["staffa"].Actor(), s.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	_, page = staff.get(url)
	if !strings.Contains(page, `id="conclusion-form"`) || strings.Contains(page, `id="rectification-form"`) {
		t.Fatal("concluding: want the conclusion form and no rectification form")
	}
	com := h.browser()
	com.login("commission")
	if _, page := com.get(url); strings.Contains(page, `id="conclusion-form"`) {
		t.Error("the commission is offered the conclusion form")
	}

	// Refused: a fail against the proposal without a reason, no choice, a
	// rectification before a fail.
	h.warmTokens()
	for _, tc := range []struct {
		name, path string
		form       []string
		status     int
		want       string
	}{
		{"a fail without a reason", "/conclusion", []string{"conclusion", "fail", "reason", ""}, 400, `id="e-reason"`},
		{"no conclusion", "/conclusion", []string{"reason", "x"}, 400, `id="e-conclusion"`},
		{"a rectification before a fail", "/rectification", []string{"reason", "整改"}, 409, `id="rectification-error"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			resp, page := staff.post(url+tc.path, formOf(tc.form...))
			if resp.StatusCode != tc.status || !strings.Contains(page, tc.want) {
				t.Errorf("status %d, want %d with %s", resp.StatusCode, tc.status, tc.want)
			}
			if h.dump() != before {
				t.Error("a refused form changed the database")
			}
		})
	}

	// A fail with its reason, then a rectification.
	audit := h.auditActions()
	if resp, _ := staff.post(url+"/conclusion", formOf("conclusion", "fail", "reason", "成果转化不足，经研究不予通过。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("record a fail: %d", resp.StatusCode)
	}
	_, page = staff.get(url)
	if !strings.Contains(page, `id="rectification-form"`) || !strings.Contains(visibleText(page), "成果转化不足，经研究不予通过。") {
		t.Error("after a fail: want the conclusion with its reason and the rectification form")
	}
	if resp, _ := staff.post(url+"/rectification", formOf("reason", "限期整改。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("grant a rectification: %d", resp.StatusCode)
	}
	if got := h.auditActions()[len(audit):]; !containsAll(got, "project.conclude", "project.rectify") || len(got) != 2 {
		t.Errorf("audit entries %q, want project.conclude and project.rectify", got)
	}
	if _, page = staff.get(url); strings.Contains(page, `id="rectification-form"`) || !strings.Contains(page, `id="rectification"`) {
		t.Error("after the rectification: want it shown and no second form")
	}
}

// The panel's opinion in the workspace: the chair drafts it (a blank
// text refused beside its field, nothing changed), saves and sends it;
// a member's dissent without a reason is refused beside the field, with
// one it is recorded; when all have answered it locks.
func TestWorkspaceOpinion(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	page := fmt.Sprintf("/workspace/projects/%d/opinion", s.projectID)
	members := h.submitAll(s)
	chair := h.browser()
	chair.login(s.chair)
	resp, body := chair.get(page)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="opinion-form"`) {
		t.Fatalf("the chair's opinion page: %d, want the draft form", resp.StatusCode)
	}
	// The chair drafts beside the project's figures (every technical
	// sheet of submitAll totals 83).
	if !strings.Contains(body, `id="opinion-result"`) || !strings.Contains(body, "83.00") || !strings.Contains(body, `id="result-proposal"`) {
		t.Errorf("the chair's opinion page lacks the project's result:\n%s", visibleText(body))
	}
	if _, body := chair.get(fmt.Sprintf("/workspace/projects/%d", s.projectID)); !strings.Contains(body, `href="`+page+`"`) {
		t.Error("the workspace project does not link to the opinion")
	}
	member := h.browser()
	member.login(members[0])
	if resp, body := member.get(page); resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="no-opinion"`) || strings.Contains(body, `id="opinion-result"`) {
		t.Errorf("a member before the opinion is sent: %d, want the not-yet state", resp.StatusCode)
	}

	h.warmTokens()
	before := h.dump()
	resp, body = chair.post(page, formOf("version", "0", "op", "save", "text", " ", "proposed", "pass"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-text"`) || h.dump() != before {
		t.Errorf("a blank opinion: %d, want 400 beside the text and nothing changed", resp.StatusCode)
	}
	audit := h.auditActions()
	if resp, _ := chair.post(page, formOf("version", "0", "op", "save", "text", "专家组同意通过。", "proposed", "pass")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the opinion: %d", resp.StatusCode)
	}
	if resp, _ := chair.post(page, formOf("version", "1", "op", "circulate")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send the opinion: %d", resp.StatusCode)
	}
	if resp, body := member.get(page); resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="answer-form"`) || !strings.Contains(body, "专家组同意通过。") {
		t.Fatalf("a member once sent: %d, want the opinion and the answer form", resp.StatusCode)
	}
	before = h.dump()
	resp, body = member.post(page+"/response", formOf("agree", "0", "reason", ""))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-reason"`) || h.dump() != before {
		t.Errorf("a dissent without a reason: %d, want 400 beside the reason and nothing changed", resp.StatusCode)
	}
	if resp, _ := member.post(page+"/response", formOf("agree", "0", "reason", "成果转化不足。")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dissent: %d", resp.StatusCode)
	}
	for _, m := range members[1:] {
		b := h.browser()
		b.login(m)
		if resp, _ := b.post(page+"/response", formOf("agree", "1")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s confirms: %d", m, resp.StatusCode)
		}
	}
	if got := h.auditActions()[len(audit):]; !containsAll(got, "opinion.save", "opinion.circulate", "opinion.dissent", "opinion.lock") {
		t.Errorf("audit entries %q", got)
	}
	if _, body := member.get(page); !strings.Contains(body, `id="own-answer"`) || strings.Contains(body, `id="answer-form"`) {
		t.Error("after answering: want the member's answer and no form")
	}
}

// A finance track that failed reads as failed: an optional yes or no is
// not true merely for being there.
func TestFinanceFailShownAsFailed(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	ctx := context.Background()
	for _, m := range s.panel.Members {
		if m.Status != evaluation.MemberAccepted {
			continue
		}
		u, err := h.db.UserByExpert(ctx, m.ExpertID)
		if err != nil {
			t.Fatal(err)
		}
		h.openSheet(s, u.Username)
		sheet := fullSheet
		if m.Seat == evaluation.SeatFinance {
			sheet = strings.Replace(financeSheet, `"finance_pass":true`, `"finance_pass":false`, 1)
		}
		if resp, body := h.api(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), `{"version":0,`+sheet+`}`); resp.StatusCode != 200 {
			t.Fatalf("%s submits: %d %s", u.Username, resp.StatusCode, body)
		}
	}
	staff := h.browser()
	staff.login("staffa")
	for _, url := range []string{fmt.Sprintf("/campaigns/%d/results", s.campaignID), fmt.Sprintf("/projects/%d/result", s.projectID)} {
		_, page := staff.get(url)
		if !strings.Contains(page, `<span class="badge off">未通过</span>`) || strings.Contains(page, `<span class="badge ok">通过</span>`) {
			t.Errorf("%s: the finance track does not read as failed", url)
		}
	}
}

// The results draw their charts from the figures shown: the panel score
// falls in its histogram bin, and the project's radar holds each
// indicator's mean.
func TestResultCharts(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	h.submitAll(s)
	staff := h.browser()
	staff.login("staffa")
	_, page := staff.get(fmt.Sprintf("/campaigns/%d/results", s.campaignID))
	// Every technical sheet totals 83: the bin 80–85 holds the project.
	if !strings.Contains(page, `id="chart-bands"`) || !strings.Contains(page, `data-low="80" data-high="85" data-count="1"`) {
		t.Error("the results' charts do not show the project's score")
	}
	// The advisory tab draws the experts' leniency; with one project
	// each, no expert's can be estimated, and the chart says so.
	_, page = staff.get(fmt.Sprintf("/campaigns/%d/results?tab=advisory", s.campaignID))
	if !strings.Contains(page, `id="chart-leniency"`) || !strings.Contains(visibleText(page), "暂无可绘制的数据") {
		t.Error("the advisory tab does not draw the experts' leniency")
	}
	_, page = staff.get(fmt.Sprintf("/projects/%d/result", s.projectID))
	for _, want := range []string{`id="chart-radar"`, `data-value="22"`, `data-value="12"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the project's radar lacks %s", want)
		}
	}
}

// The leniency chart draws the estimable experts, most lenient first, by
// name, each with bias ± 1.96 SE; one whose bias rests on too little is
// left out.
func TestLeniencyChart(t *testing.T) {
	h := newHarness(t)
	fit := &aggregate.Fit{Experts: []aggregate.ExpertBias{
		{Expert: 1, Bias: -2.5, SE: 1, Estimable: true},
		{Expert: 2, Bias: 4, SE: 0.5, Estimable: true},
		{Expert: 3, Bias: 9, SE: 3, Estimable: false},
	}}
	names := map[int64]string{1: "严谨专家", 2: "宽松专家", 3: "单张专家"}
	c := h.app.fiber.AcquireCtx(&fasthttp.RequestCtx{})
	defer h.app.fiber.ReleaseCtx(c)
	svg := string(h.app.leniencyChart(c, fit, names).SVG)
	lenient, strict := strings.Index(svg, "宽松专家"), strings.Index(svg, "严谨专家")
	if lenient < 0 || strict < 0 || lenient > strict || strings.Contains(svg, "单张专家") {
		t.Errorf("the rows: lenient at %d, strict at %d, the one-sheet expert shown: %v", lenient, strict, strings.Contains(svg, "单张专家"))
	}
	for _, want := range []string{`data-value="4"`, `data-low="3.02"`, `data-high="4.98"`, `data-value="-2.5"`, `data-low="-4.46"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %s", want)
		}
	}
}

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// workspace is an expert's browser on the scoring campaign's project, with
// the page addresses.
type workspace struct {
	*browser
	username                           string
	s                                  *scoring
	project, sheet, draft, review, sub string
	pledge, declaration, panel         string
}

func (h *harness) workspace(s *scoring, username string) *workspace {
	h.t.Helper()
	br := h.browser()
	br.login(username)
	p := fmt.Sprintf("/workspace/projects/%d", s.projectID)
	return &workspace{browser: br, username: username, s: s, project: p, sheet: p + "/sheet", draft: p + "/sheet/draft", review: p + "/sheet/review",
		sub: p + "/sheet/submit", pledge: fmt.Sprintf("/workspace/campaigns/%d/pledge", s.campaignID), declaration: p + "/declaration",
		panel: p + "/panel"}
}

// open signs the pledge and declares no conflict through the pages.
func (w *workspace) open(t *testing.T) {
	t.Helper()
	w.get(w.pledge)
	if resp, body := w.post(w.pledge, url.Values{"version": {evaluation.PledgeVersion}, "next": {w.project}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign the pledge: %d %.300s", resp.StatusCode, body)
	}
	w.get(w.project)
	if resp, body := w.post(w.declaration, url.Values{"conflict": {"0"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("declare no conflict: %d %.300s", resp.StatusCode, body)
	}
}

// sheetForm is a complete applied-technology sheet as the page posts it
// (fullSheet's content), based on version.
func sheetForm(version int) url.Values {
	return url.Values{"version": {fmt.Sprint(version)}, "score.A1": {"22"}, "score.A2": {"20"}, "score.A3": {"21"}, "score.A4": {"8"},
		"score.A5": {"12"}, "comment.A1": {"主要指标全部完成。"}, "opinion": {"完成了任务书规定的主要考核指标。"}}
}

// wantPage checks a page's status and that it shows each text.
func wantPage(t *testing.T, what string, resp *http.Response, body string, status int, texts ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d: %.400s", what, resp.StatusCode, status, visibleText(body))
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s: the page lacks %q:\n%s", what, s, visibleText(body))
		}
	}
}

// The expert's journey through the pages, without JavaScript: the pledge,
// the declaration, refused saves with their messages beside the fields, a
// stale save, a draft, the summary and the submission, and the sheet
// locked afterwards; nothing refused changes the stored sheet.
func TestWorkspacePages(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	w := h.workspace(s, s.member)

	_, home := w.get("/")
	for _, want := range []string{"待评项目", "2024-ZD-101", "待签署承诺书", "共 1 个项目，还有 1 个待提交。"} {
		if !strings.Contains(visibleText(home), want) {
			t.Errorf("the expert's home lacks %q", want)
		}
	}
	// Before the pledge the project asks for it, and the sheet leads there.
	resp, body := w.get(w.project)
	wantPage(t, "the project before the pledge", resp, body, 200, `id="pledge-first"`, "第一步：签署承诺书")
	if strings.Contains(body, `id="materials"`) {
		t.Error("the project shows its materials before the pledge")
	}
	if resp, _ := w.get(w.sheet); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != w.project {
		t.Errorf("the sheet before the pledge: %d to %q, want a redirect to the project", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = w.get(w.pledge + "?next=" + url.QueryEscape(w.project))
	wantPage(t, "the pledge", resp, body, 200, evaluation.PledgeText(evaluation.LangZH)[1], `name="version" value="`+evaluation.PledgeVersion+`"`)
	resp, body = w.post(w.pledge, url.Values{"version": {"0000"}, "next": {w.project}})
	wantPage(t, "a pledge of another text", resp, body, 400, "承诺书内容已更新")
	if resp, _ := w.post(w.pledge, url.Values{"version": {evaluation.PledgeVersion}, "next": {w.project}}); resp.Header.Get("Location") != w.project {
		t.Errorf("after signing: to %q, want back to %s", resp.Header.Get("Location"), w.project)
	}
	resp, body = w.get(w.project)
	wantPage(t, "the project after the pledge", resp, body, 200, "承诺书已签署。", `id="declaration"`, `id="declare-none"`, `id="conflict-form"`)
	if resp, _ := w.post(w.declaration, url.Values{"conflict": {"0"}}); resp.Header.Get("Location") != w.project {
		t.Errorf("after declaring: to %q, want back to %s", resp.Header.Get("Location"), w.project)
	}
	resp, body = w.get(w.project)
	wantPage(t, "the open project", resp, body, 200, `id="indicators"`, "连续巡检里程", `id="materials"`, `id="methods"`, `id="open-sheet"`)
	if strings.Contains(body, "赵六") {
		t.Error("the expert's project page shows the applicant's avoid list")
	}

	// The sheet: a score over the maximum and a score off the half-point
	// steps are refused beside their fields, with what was typed kept.
	resp, body = w.get(w.sheet)
	wantPage(t, "the new sheet", resp, body, 200, `id="sheet-form"`, `name="version" id="f-version" value="0"`, `name="score.A1"`, "未开始")
	form := url.Values{"version": {"0"}, "score.A1": {"30"}, "score.A2": {"12.3"}, "comment.A2": {"说明"}, "op": {"save"}}
	resp, body = w.post(w.sheet, form)
	wantPage(t, "scores out of range", resp, body, 400, `id="e-score-A1">评分须在 0 到 25 之间。<`, `id="e-score-A2">评分须以 0.5 分为步长。<`,
		`value="30"`, `value="12.3"`, ">说明</textarea>")
	if got := h.storedSheet(s, s.member); got != "none" {
		t.Errorf("a refused save stored %s", got)
	}

	// A draft by the button, then a save from a stale copy (another tab).
	draft := url.Values{"version": {"0"}, "score.A1": {"22.5"}, "comment.A1": {"超额完成"}, "veto.V2": {"1"}, "evidence.V2": {"调整了技术路线"}, "op": {"save"}}
	if resp, body := w.post(w.sheet, draft); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != w.sheet {
		t.Fatalf("save a draft: %d %.300s", resp.StatusCode, body)
	}
	resp, body = w.get(w.sheet)
	wantPage(t, "the draft", resp, body, 200, "草稿已保存。", `value="22.5"`, ">超额完成</textarea>", `id="f-veto-V2" checked`, ">调整了技术路线</textarea>",
		`name="version" id="f-version" value="1"`)
	stored := h.storedSheet(s, s.member)
	resp, body = w.post(w.sheet, url.Values{"version": {"0"}, "score.A1": {"10"}, "op": {"save"}})
	wantPage(t, "a stale save", resp, body, 409, `id="stale"`, "此评分表已在别处", `value="10"`, `name="version" id="f-version" value="1"`, `data-paused="1"`)
	if !strings.Contains(visibleText(body), "22.5") {
		t.Error("the stale page does not show the stored version's score")
	}
	if h.storedSheet(s, s.member) != stored {
		t.Error("a stale save changed the stored sheet")
	}

	// Check and submit: an incomplete sheet is saved as a draft and its
	// gaps shown beside the fields; a complete one goes to the summary.
	resp, body = w.post(w.sheet, url.Values{"version": {"1"}, "score.A1": {"22"}, "op": {"review"}})
	wantPage(t, "an incomplete sheet to submit", resp, body, 400, `id="e-score-A2">请为此指标评分。<`, `id="e-opinion">请填写总体评价意见。<`,
		"您填写的内容已作为草稿保存。", `name="version" id="f-version" value="2"`)
	if got := h.storedSheet(s, s.member); !strings.Contains(got, `"version":2`) {
		t.Errorf("the incomplete sheet was not saved as a draft: %s", got)
	}
	submit := sheetForm(2)
	submit.Set("op", "review")
	resp, _ = w.post(w.sheet, submit)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != w.review {
		t.Fatalf("a complete sheet to submit: %d to %q, want the summary", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = w.get(w.review)
	wantPage(t, "the summary", resp, body, 200, `class="summary-total">83<`, `class="summary-grade">良好<`, `class="summary-comments">1<`,
		`name="version" value="3"`, `id="submit-sheet"`)
	if got := h.storedSheet(s, s.member); !strings.Contains(got, `"status":"draft"`) {
		t.Errorf("the summary submitted the sheet: %s", got)
	}
	// A copy changed after the summary goes back to it.
	if resp, _ := w.post(w.sub, url.Values{"version": {"2"}}); resp.Header.Get("Location") != w.review {
		t.Errorf("a submission of an older version: to %q, want the summary again", resp.Header.Get("Location"))
	}
	if resp, _ := w.post(w.sub, url.Values{"version": {"3"}}); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != w.sheet {
		t.Fatalf("submit: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body = w.get(w.sheet)
	wantPage(t, "the submitted sheet", resp, body, 200, "评分表已提交。", `id="locked"`, "评分表已提交并锁定", `id="history"`, "第 1 轮")
	if strings.Contains(body, `id="sheet-form"`) {
		t.Error("the submitted sheet is still a form")
	}
	submitted := h.storedSheet(s, s.member)
	resp, body = w.post(w.sheet, sheetForm(4))
	wantPage(t, "a save of the submitted sheet", resp, body, 409, `id="locked"`)
	resp, body = w.post(w.draft, sheetForm(4))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "已提交并锁定") {
		t.Errorf("an autosave of the submitted sheet: %d %s", resp.StatusCode, body)
	}
	if h.storedSheet(s, s.member) != submitted {
		t.Error("a save after submitting changed the sheet")
	}
	_, home = w.get("/")
	if !strings.Contains(visibleText(home), "全部 1 个项目的评分表均已提交。") {
		t.Errorf("the expert's home after submitting:\n%s", visibleText(home))
	}
}

// The autosave answers in JSON: the new version, the problems by the
// form's field names, or the stored version when the copy is stale.
func TestSheetAutosave(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	w := h.workspace(s, s.member)
	w.open(t)
	w.get(w.sheet)

	post := func(form url.Values) (int, map[string]any) {
		t.Helper()
		resp, body := w.post(w.draft, form)
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("autosave answered %s: %.300s", ct, body)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, m
	}
	if status, m := post(url.Values{"version": {"0"}, "score.A1": {"22.5"}, "comment.A1": {"超额完成"}}); status != 200 || m["version"] != 1.0 || m["saved_at"] == "" {
		t.Fatalf("autosave: %d %v", status, m)
	}
	status, m := post(url.Values{"version": {"1"}, "score.A1": {"26"}, "score.A3": {"x"}, "veto.V9": {"1"}})
	fields, _ := m["error"].(map[string]any)["fields"].(map[string]any)
	if status != 400 || fields["score.A1"] != "评分须在 0 到 25 之间。" || fields["score.A3"] != "评分须为数字。" {
		t.Errorf("an autosave with bad scores: %d %v", status, m)
	}
	stored := h.storedSheet(s, s.member)
	status, m = post(url.Values{"version": {"0"}, "score.A1": {"10"}})
	cur, _ := m["current"].(map[string]any)
	if status != 409 || cur == nil || cur["version"] != 1.0 || !strings.Contains(fmt.Sprint(cur["lines"]), "A1 任务书考核指标完成情况: 22.5 / 25") {
		t.Errorf("a stale autosave: %d %v", status, m)
	}
	if h.storedSheet(s, s.member) != stored {
		t.Error("a refused autosave changed the stored sheet")
	}
	// Without the CSRF token nothing is saved.
	if resp, _ := w.post(w.draft, url.Values{"_csrf": {"wrong"}, "version": {"1"}, "score.A1": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an autosave without the CSRF token: %d", resp.StatusCode)
	}
	// After the deadline the page and the autosave say so plainly.
	h.now = h.now.AddDate(0, 0, 15)
	resp, body := w.get(w.sheet)
	wantPage(t, "the sheet after the deadline", resp, body, 200, `id="locked"`, "评分截止日期（"+s.due(h)+"）已过")
	if strings.Contains(body, `id="sheet-form"`) {
		t.Error("the sheet after the deadline is still a form")
	}
	if status, m := post(url.Values{"version": {"1"}, "score.A1": {"20"}}); status != 409 || !strings.Contains(fmt.Sprint(m["error"]), "已过") {
		t.Errorf("an autosave after the deadline: %d %v", status, m)
	}
	if h.storedSheet(s, s.member) != stored {
		t.Error("a save after the deadline changed the stored sheet")
	}
}

func (s *scoring) due(h *harness) string {
	c, err := h.svc.Campaigns.Campaign(h.t.Context(), h.users["staffa"].Actor(), s.campaignID)
	if err != nil {
		h.t.Fatal(err)
	}
	return c.Settings.ScoringDue
}

// In English the pages and their messages are English.
func TestWorkspaceInEnglish(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	w := h.workspace(s, s.member)
	w.post("/lang", url.Values{"lang": {"en"}, "next": {"/"}})
	w.open(t)
	_, home := w.get("/")
	if !strings.Contains(visibleText(home), "Projects to score") {
		t.Errorf("the English home:\n%s", visibleText(home))
	}
	w.get(w.sheet)
	resp, body := w.post(w.sheet, url.Values{"version": {"0"}, "score.A1": {"30"}, "op": {"save"}})
	wantPage(t, "a score out of range", resp, body, 400, `id="e-score-A1">The score must be between 0 and 25.<`, "Score sheet")
	resp, body = w.post(w.project+"/declaration", url.Values{"conflict": {"1"}})
	wantPage(t, "a conflict without a reason", resp, body, 400, "Tick this box to confirm")
}

// A finance member scores the finance rubric and must say pass or fail
// to submit.
func TestFinanceSheetPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	w := h.workspace(s, s.finance)
	w.open(t)
	resp, body := w.get(w.sheet)
	wantPage(t, "the finance sheet", resp, body, 200, `name="score.F1"`, `id="f-finance-pass"`, `id="f-finance-fail"`)
	form := url.Values{"version": {"0"}, "score.F1": {"16"}, "score.F2": {"20"}, "score.F3": {"20"}, "score.F4": {"24"},
		"opinion": {"资金使用基本合规。"}, "op": {"review"}}
	resp, body = w.post(w.sheet, form)
	wantPage(t, "a finance sheet without a verdict", resp, body, 400, `id="e-finance_pass">请给出财务评价是否通过的结论。<`)
	form.Set("version", "1")
	form.Set("finance_pass", "0")
	if resp, _ := w.post(w.sheet, form); resp.Header.Get("Location") != w.review {
		t.Fatalf("a complete finance sheet: to %q", resp.Header.Get("Location"))
	}
	resp, body = w.get(w.review)
	wantPage(t, "the finance summary", resp, body, 200, `class="summary-total">80<`, "不通过")
}

// Declaring a conflict needs the reason and the confirmation; then the
// project is gone for the expert and the alternate is invited.
func TestDeclareConflictPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	w := h.workspace(s, s.withdrawable(h))
	w.get(w.pledge)
	w.post(w.pledge, url.Values{"version": {evaluation.PledgeVersion}})
	w.get(w.project)
	resp, body := w.post(w.declaration, url.Values{"conflict": {"1"}, "reason": {" "}})
	wantPage(t, "a conflict without a reason", resp, body, 400, `id="e-reason"`, `id="e-confirm"`, "请勾选确认")
	resp, body = w.post(w.declaration, url.Values{"conflict": {"1"}, "reason": {"与项目负责人同一课题组"}})
	wantPage(t, "a conflict not confirmed", resp, body, 400, `id="e-confirm"`, ">与项目负责人同一课题组</textarea>")
	if _, err := h.db.Declared(t.Context(), s.projectID, h.userOf(w.username).ExpertID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("a refused declaration recorded something: %v", err)
	}
	invited := func() int {
		p, err := h.svc.Panels.Panel(t.Context(), h.users["staffa"].Actor(), s.panel.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range p.Members {
			if m.Status == evaluation.MemberInvited {
				n++
			}
		}
		return n
	}
	before := invited()
	resp, _ = w.post(w.declaration, url.Values{"conflict": {"1"}, "reason": {"与项目负责人同一课题组"}, "confirm": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("declare a conflict: %d to %q, want home", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, home := w.get("/")
	if !strings.Contains(visibleText(home), "已退出该项目的评审") || strings.Contains(home, fmt.Sprintf(`id="work-%d"`, s.projectID)) {
		t.Errorf("home after declaring a conflict: want the message and the project gone:\n%s", visibleText(home))
	}
	for _, path := range []string{w.project, w.sheet, w.review, w.panel} {
		if resp, _ := w.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after the declaration: %d, want 404", path, resp.StatusCode)
		}
	}
	if after := invited(); after != before+1 {
		t.Errorf("invited members: %d before the declaration, %d after; want the alternate invited", before, after)
	}
}

// The chair reads the panel's submitted sheets with the members' names
// once their own is in; a member never does.
func TestChairPanelPage(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	member, chair := h.workspace(s, s.member), h.workspace(s, s.chair)
	member.open(t)
	chair.open(t)
	if resp, body := member.post(member.sub, url.Values{"version": {"0"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-opinion">请填写`) {
		t.Errorf("submit a sheet not started: %d, want 400 with the problems beside the fields", resp.StatusCode)
	}
	if resp, body := member.post(member.sheet, sheetForm(0)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the member's sheet: %d %.300s", resp.StatusCode, visibleText(body))
	}
	if resp, _ := member.post(member.sub, url.Values{"version": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit the member's sheet: %d", resp.StatusCode)
	}
	memberName := h.userOf(s.member).Name
	chairName := h.userOf(s.chair).Name
	for who, br := range map[string]*workspace{"a member": member, "the chair before submitting": chair} {
		resp, body := br.get(br.panel)
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, memberName+"<") {
			t.Errorf("%s opens the panel's sheets: %d", who, resp.StatusCode)
		}
	}
	if _, body := chair.get(chair.project); strings.Contains(body, `id="open-panel"`) {
		t.Error("the project page offers the panel's sheets to the chair before submitting")
	}
	chair.post(chair.sheet, sheetForm(0))
	chair.post(chair.sub, url.Values{"version": {"1"}})
	if _, body := chair.get(chair.project); !strings.Contains(body, `id="open-panel"`) {
		t.Error("the project page does not offer the panel's sheets to the chair after submitting")
	}
	resp, body := chair.get(chair.panel)
	wantPage(t, "the panel's sheets", resp, body, 200, memberName, chairName, "专家组已提交的 2 份评分表", `class="summary-total">83<`)
	if _, body := member.get(member.project); strings.Contains(body, `id="open-panel"`) || strings.Contains(body, chairName) {
		t.Error("a member's project page offers the panel's sheets or names the chair")
	}
}

// Another expert's project, and a project that does not exist, are not
// found on any workspace page.
func TestWorkspaceOtherProjects(t *testing.T) {
	h := newHarness(t)
	s := h.scoringCampaign()
	w := h.workspace(s, s.outsider)
	for _, path := range []string{w.project, w.sheet, w.review, w.panel, w.pledge, "/workspace/projects/999999", "/workspace/projects/x/sheet"} {
		if resp, _ := w.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s as an expert of another panel: %d, want 404", path, resp.StatusCode)
		}
	}
	w.get("/")
	for _, path := range []string{w.pledge, w.declaration, w.sheet, w.sub} {
		if resp, _ := w.post(path, sheetForm(0)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s as an expert of another panel: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, body := w.post(w.draft, sheetForm(0)); resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("an autosave of another panel's project: %d %s", resp.StatusCode, body)
	}
	staff := h.browser()
	staff.login("staffa")
	if resp, _ := staff.get(w.sheet); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff open an expert's sheet page: %d, want 403", resp.StatusCode)
	}
}

// withdrawable is a technical member, not the chair, whose leaving keeps
// the panel's hard quotas (an investor or entrepreneur, two domain
// experts), so that an alternate can take the seat whoever is drawn.
func (s *scoring) withdrawable(h *harness) string {
	h.t.Helper()
	seated := s.panel.Seated(evaluation.SeatTechnical)
	for _, m := range seated {
		if m.Chair {
			continue
		}
		industry, domain := 0, 0
		for _, o := range seated {
			switch {
			case o.ID == m.ID:
			case o.Expert.Type == evaluation.Investor || o.Expert.Type == evaluation.Entrepreneur:
				industry++
			case o.Expert.Type == evaluation.DomainExpert:
				domain++
			}
		}
		if industry >= 1 && domain >= 2 {
			return h.expertUsername(m.ExpertID)
		}
	}
	h.t.Fatalf("no member of panel %d can leave without breaking a quota", s.panel.ID)
	return ""
}

// expertUsername is the username of a pool expert's account.
func (h *harness) expertUsername(expertID int64) string {
	h.t.Helper()
	users, _, err := h.svc.Accounts.Users(h.t.Context(), evaluation.System, evaluation.UserFilter{Role: evaluation.RoleExpert,
		Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, u := range users {
		if u.ExpertID == expertID {
			return u.Username
		}
	}
	h.t.Fatalf("no account of expert %d", expertID)
	return ""
}

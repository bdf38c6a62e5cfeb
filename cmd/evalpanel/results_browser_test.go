package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
	"github.com/evalpanel/evalpanel/rubrics"
)

// resultsWords are what an expert reads in the results journey, in one
// language: on the returned sheet, and on the opinion page as the chair
// who drafts or a member who answers.
type resultsWords struct {
	returned, returnedNote, proposalPass                                               string
	draftSaved, confirmSend, sent, answers                                             string
	confirmAnswer, answered, reasonRequired, confirmed, dissented, circulating, locked string
}

var resultsExpertWords = map[string]resultsWords{
	"zh-CN": {
		returned:       "已退回修改",
		returnedNote:   "管理机构退回了您的评分表，请修改后重新提交。退回原因：",
		proposalPass:   "通过",
		draftSaved:     "草稿已保存。",
		confirmSend:    "确定将意见发送给成员？成员答复期间不能再修改。",
		sent:           "意见已发送给专家组成员。",
		answers:        "已有 %d 位成员答复，%d 位同意。",
		confirmAnswer:  "确定提交您的答复？提交后不能修改。",
		answered:       "您的答复已记录。",
		reasonRequired: "请填写原因。",
		confirmed:      "同意",
		dissented:      "不同意",
		circulating:    "专家确认中",
		locked:         "已确认并锁定",
	},
	"en": {
		returned:       "Returned for revision",
		returnedNote:   "The agency returned your score sheet; please revise and submit it again. The reason:",
		proposalPass:   "Pass",
		draftSaved:     "The draft is saved.",
		confirmSend:    "Send the opinion to the members? It can no longer be edited while they answer.",
		sent:           "The opinion was sent to the members.",
		answers:        "Answers so far: %d; confirmations: %d.",
		confirmAnswer:  "Send your answer? It cannot be changed.",
		answered:       "Your answer is recorded.",
		reasonRequired: "Give a reason.",
		confirmed:      "Confirmed",
		dissented:      "Dissented",
		circulating:    "With the members",
		locked:         "Confirmed and locked",
	},
}

// TestBrowserResultsJourney is issue 9's journey, from the scores to the
// campaign submitted. Agency staff find the project the panel disagrees
// on flagged in the results, and send its technical sheets back for
// discussion with a note; every technical member reads the note on their
// sheet and submits again, the low scorer with higher scores, and the
// result page shows the new score without the flag. For each project the
// chair drafts the panel's opinion beside its figures and circulates it;
// one member dissents (first without a reason, refused beside the field),
// the others confirm, and the opinion locks. Staff move the campaign to
// concluding, record a conclusion that follows the proposal, are refused
// the submission while the other project has none, record one that
// differs from the proposal (refused without a reason, nothing recorded;
// then with one), and submit the campaign to the commission.
//
// Staff work in Chinese; the low scorer in English on a phone's screen
// (390×844), where each page kept as a screenshot fits the screen's
// width; the other experts in the language of their account (an
// international peer reads English).
func TestBrowserResultsJourney(t *testing.T) {
	chromium := chromiumPath(t)
	fx := startResultsServer(t)
	chrome := startBrowser(t, chromium)
	a, b := fx.divergent, fx.agreed
	results := fmt.Sprintf("/campaigns/%d/results", fx.campaignID)
	campaign := fmt.Sprintf("/campaigns/%d", fx.campaignID)
	const note = "专家组评分差异较大（极差超过20分），请结合项目材料复核评分。"

	// Everyone stays signed in in a tab of their own from their first step
	// to the end.
	tabs := map[string]*tab{}
	session := func(username string) *tab {
		t.Helper()
		if p := tabs[username]; p != nil {
			return p
		}
		p := openTab(t, chrome, fx.srv)
		switch username {
		case "sstpc-li":
			p.signInAs(username, "zh-CN")
		case fx.low.username:
			step(p, "a phone's screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
			p.signInAs(username, "en")
		default:
			p.signIn(username)
		}
		tabs[username] = p
		return p
	}
	// keep saves a screenshot; on the phone, it also checks that the page
	// fits the screen's width.
	keep := func(p *tab, name string) {
		t.Helper()
		if p == tabs[fx.low.username] {
			p.fitsWidth(390)
			name += "-phone-en"
		}
		p.keep("results-" + name + ".png")
	}

	// 1. The divergent project is flagged; staff send its technical
	// sheets back to the panel with a note.
	staff := session("sstpc-li")
	staff.visit(results)
	staff.wantText(fmt.Sprintf("divergent-%d", a.id), "评分分歧")
	if staff.exists(fmt.Sprintf("divergent-%d", b.id)) {
		staff.fatalf("%s is flagged divergent, though its panel agrees", b.code)
	}
	keep(staff, "table-divergent")
	clickTo(staff, "open the divergent project's result", chromedp.CSS(fmt.Sprintf("#result-%d a", a.id)), 200, a.result())
	if got := staff.normalText("score"); !strings.HasPrefix(got, "81.67 · 良好") {
		staff.fatalf("#score = %q, want the trimmed mean 81.67 · 良好 (55 and 85 dropped)", got)
	}
	if got := staff.normalText("proposal"); !strings.Contains(got, "评分分歧") {
		staff.fatalf("#proposal = %q, want the divergence flag", got)
	}
	if got := staff.normalText("divergence"); !strings.Contains(got, "极差 30，") {
		staff.fatalf("#divergence = %q, want the range of 30", got)
	}
	if got := staff.sheetTotals()[fx.low.name]; got != "55" {
		staff.fatalf("the total of %s, the low scorer, = %q, want 55", fx.low.name, got)
	}
	staff.fill("v-note", note)
	answered := staff.answerDialog(true)
	staff.submit("send the sheets back for discussion", "do-revision", 200, a.result())
	if got, want := staff.dialog(answered), "确定将全部技术评分表退回专家组复议？已提交的评分保留在历史记录中。"; got != want {
		staff.fatalf("question before the discussion = %q, want %q", got, want)
	}
	staff.wantText("flash", "已将 "+a.code+" 的技术评分表退回专家组复议。")
	revising := staff.text("revising")
	for _, m := range fx.technical() {
		if !strings.Contains(revising, m.name) {
			staff.fatalf("#revising = %q, want %s among the members revising", revising, m.name)
		}
	}
	if strings.Contains(revising, fx.finance.name) {
		staff.fatalf("#revising = %q names %s, the finance expert, whose sheet stays in", revising, fx.finance.name)
	}
	if got := staff.normalText("revision-list"); !strings.Contains(got, "分歧复议") || !strings.Contains(got, note) ||
		!strings.Contains(got, "退回评分表：5 份") {
		staff.fatalf("#revision-list = %q, want the discussion, its note and 5 sheets", got)
	}
	// The score waits for the revised sheets; no second discussion meanwhile.
	if got := staff.normalText("score"); !strings.HasPrefix(got, "—") {
		staff.fatalf("#score = %q while the panel revises, want none", got)
	}
	if staff.exists("revision-form") {
		staff.fatalf("a second discussion is offered while the first is open")
	}
	keep(staff, "discussion-opened")

	// 2. Each technical member reads the note on their sheet and submits
	// it again; the low scorer raises their scores.
	sheet := fmt.Sprintf("/workspace/projects/%d/sheet", a.id)
	row := fmt.Sprintf("#work-%d", a.id)
	for _, m := range fx.technical() {
		p := session(m.username)
		lang := p.lang()
		w, ws := resultsExpertWords[lang], workspaceWords[lang]
		if got := p.textCSS(row + " .work-status"); got != w.returned {
			p.fatalf("%s's home: the returned project's status = %q, want %q", m.name, got, w.returned)
		}
		clickTo(p, "open the returned sheet", chromedp.CSS(row+" .work-action a"), 200, sheet)
		if got := p.normalText("reopened"); !strings.HasPrefix(got, w.returnedNote) || !strings.HasSuffix(got, note) {
			p.fatalf("#reopened = %q, want the agency's note %q", got, note)
		}
		p.wantText("sheet-status", w.returned)
		if m == fx.low {
			keep(p, "returned-sheet")
			if got := p.value("f-score-A1"); got != "10" {
				p.fatalf("#f-score-A1 = %q on the returned sheet, want the score submitted, 10", got)
			}
			version, err := strconv.Atoi(p.value("f-version"))
			if err != nil {
				p.fatalf("#f-version = %q: %v", p.value("f-version"), err)
			}
			for _, s := range [][2]string{{"A1", "22"}, {"A2", "20"}, {"A3", "21"}} {
				p.clear("f-score-" + s[0])
				p.fill("f-score-"+s[0], s[1])
			}
			p.clear("f-comment-A1")
			p.fill("f-comment-A1", "复核第三方检测报告后，确认主要考核指标已全部完成。")
			p.clear("f-comment-A2")
			p.wantText("total-value", "83")
			p.waitSaved(ws.saved, version)
		}
		clickTo(p, "check the sheet", byID("review-sheet"), 200, sheet+"/review")
		if m == fx.low {
			if got := p.textCSS("#review-summary .summary-total"); got != "83" {
				p.fatalf("the summary's total = %q, want the revised 83", got)
			}
			keep(p, "revised-review")
		}
		p.submit("submit the sheet again", "submit-sheet", 200, sheet)
		p.wantText("flash", ws.submitted)
	}

	// The result follows the revised sheets.
	staff.visit(a.result())
	if got := staff.normalText("score"); !strings.HasPrefix(got, "82.67 · 良好") {
		staff.fatalf("#score after the discussion = %q, want 82.67 · 良好", got)
	}
	if got := staff.normalText("proposal"); !strings.HasPrefix(got, "通过") || strings.Contains(got, "评分分歧") {
		staff.fatalf("#proposal after the discussion = %q, want 通过 without the flag", got)
	}
	for _, id := range []string{"divergence", "revising", "revision-form"} {
		if staff.exists(id) {
			staff.fatalf("#%s is still shown after the discussion: %q", id, staff.text(id))
		}
	}
	if got := staff.sheetTotals()[fx.low.name]; got != "83" {
		staff.fatalf("the total of %s after the discussion = %q, want 83", fx.low.name, got)
	}
	if got := staff.normalText("revision-list"); !strings.Contains(got, note) {
		staff.fatalf("#revision-list = %q, want the round kept", got)
	}
	keep(staff, "discussion-done")
	staff.visit(results)
	if staff.exists(fmt.Sprintf("divergent-%d", a.id)) {
		staff.fatalf("the results table still flags %s", a.code)
	}

	// 3. The chair drafts each opinion beside the project's figures and
	// circulates it.
	chair := session(fx.chair.username)
	cw := resultsExpertWords[chair.lang()]
	for _, pr := range []*resultsProject{a, b} {
		chair.toOpinion(pr, pr == a)
		if got, want := chair.normalText("result-score"), pr.score+" · "+workspaceWords[chair.lang()].good; got != want {
			chair.fatalf("the chair reads the score %q, want %q", got, want)
		}
		if got := chair.normalText("result-proposal"); got != cw.proposalPass {
			chair.fatalf("the chair reads the proposal %q, want %q alone", got, cw.proposalPass)
		}
		step(chair, "propose a pass", chromedp.Click(byID("p-pass")))
		chair.fill("f-text", pr.opinion)
		chair.submit("save the draft opinion", "save-opinion", 200, pr.opinionPage())
		chair.wantText("flash", cw.draftSaved)
		if got := chair.value("f-text"); got != pr.opinion {
			chair.fatalf("#f-text = %q after saving, want the draft", got)
		}
		keep(chair, "opinion-draft-"+pr.code)
		answered := chair.answerDialog(true)
		chair.submit("circulate the opinion", "circulate-opinion", 200, pr.opinionPage())
		if got := chair.dialog(answered); got != cw.confirmSend {
			chair.fatalf("question before circulating = %q, want %q", got, cw.confirmSend)
		}
		chair.wantText("flash", cw.sent)
		if got := chair.textCSS("#opinion .badge"); got != cw.circulating {
			chair.fatalf("the opinion's status after circulating = %q, want %q", got, cw.circulating)
		}
		chair.wantText("answers", fmt.Sprintf(cw.answers, 0, 0))
		if chair.exists("opinion-form") {
			chair.fatalf("the chair can still edit the circulated opinion")
		}
	}

	// The members answer: the low scorer dissents on the divergent project
	// (first without a reason), another member on the other; everyone
	// else confirms. The last answer locks the opinion.
	dissent := map[int64]resultsMember{a.id: fx.low, b.id: fx.members[2]}
	reasons := map[int64]string{a.id: reasonA, b.id: reasonB}
	responders := fx.responders()
	for i, m := range responders {
		p := session(m.username)
		w := resultsExpertWords[p.lang()]
		for _, pr := range []*resultsProject{a, b} {
			p.toOpinion(pr, pr == a)
			p.wantText("opinion-text", pr.opinion)
			if got := p.textCSS("#opinion .badge"); got != w.circulating {
				p.fatalf("the opinion's status = %q, want %q", got, w.circulating)
			}
			agree, reason := "agree-yes", ""
			if dissent[pr.id] == m {
				agree, reason = "agree-no", reasons[pr.id]
			}
			if m == fx.low && agree == "agree-no" {
				keep(p, "opinion-"+pr.code)
				step(p, "dissent", chromedp.Click(byID(agree)))
				answered := p.answerDialog(true)
				p.submit("dissent without a reason", "answer-opinion", 400, pr.opinionPage()+"/response")
				if got := p.dialog(answered); got != w.confirmAnswer {
					p.fatalf("question before answering = %q, want %q", got, w.confirmAnswer)
				}
				p.wantText("e-reason", w.reasonRequired)
				p.wantBeside("f-reason", "e-reason")
				if !p.checked("agree-no") {
					p.fatalf("the dissent is no longer chosen after the refusal")
				}
				if p.exists("own-answer") {
					p.fatalf("an answer is recorded after the refusal: %q", p.text("own-answer"))
				}
				keep(p, "dissent-refused")
			}
			step(p, "answer", chromedp.Click(byID(agree)))
			if reason != "" {
				p.fill("f-reason", reason)
			}
			answered := p.answerDialog(true)
			p.submit("answer the opinion", "answer-opinion", 200, pr.opinionPage())
			if got := p.dialog(answered); got != w.confirmAnswer {
				p.fatalf("question before answering = %q, want %q", got, w.confirmAnswer)
			}
			p.wantText("flash", w.answered)
			want := w.confirmed
			if reason != "" {
				want = w.dissented + " " + reason
			}
			if got := p.normalText("own-answer"); got != want {
				p.fatalf("#own-answer = %q, want %q", got, want)
			}
			if p.exists("answer-form") {
				p.fatalf("the answer form is still offered after answering")
			}
			// The answers so far: each project has one dissent among them
			// once its dissenter has answered.
			agreed := i + 1
			if dissent[pr.id] == m || slices.Index(responders, dissent[pr.id]) < i {
				agreed--
			}
			p.wantText("answers", fmt.Sprintf(w.answers, i+1, agreed))
			status := w.circulating
			if i == len(responders)-1 {
				status = w.locked
			}
			if got := p.textCSS("#opinion .badge"); got != status {
				p.fatalf("the opinion's status after %d of %d answers = %q, want %q", i+1, len(responders), got, status)
			}
			if m == fx.low {
				keep(p, "answered-"+pr.code)
			}
		}
	}

	// 4. Staff read the locked opinion and move the campaign to concluding.
	staff.visit(a.result())
	if got := staff.textCSS("#opinion .badge"); got != "已确认并锁定" {
		staff.fatalf("the opinion's status on the result page = %q, want 已确认并锁定", got)
	}
	if got := staff.normalText("responses"); !strings.Contains(got, fx.low.name+" · 不同意 "+reasonA) {
		staff.fatalf("#responses = %q, want %s's dissent with the reason", got, fx.low.name)
	}
	if staff.exists("conclusion-form") {
		staff.fatalf("a conclusion can be recorded while the campaign is still scoring")
	}
	clickTo(staff, "open the results", byID("results-link"), 200, results)
	clickTo(staff, "open the campaign", byID("campaign-link"), 200, campaign)
	staff.wantText("campaign-state", "专家评分")
	answered = staff.answerDialog(true)
	staff.submit("move the campaign to concluding", "move-concluding", 200, campaign)
	if got, want := staff.dialog(answered), "确定进入结论阶段吗？"; got != want {
		staff.fatalf("question before concluding = %q, want %q", got, want)
	}
	staff.wantText("flash", "评价批次状态已更新。")
	staff.wantText("campaign-state", "形成结论")

	// The divergent project: the conclusion follows the proposal.
	clickTo(staff, "open the results", byID("results-link"), 200, results)
	clickTo(staff, "open the first project's result", chromedp.CSS(fmt.Sprintf("#result-%d a", a.id)), 200, a.result())
	step(staff, "choose pass", chromedp.Click(byID("c-pass")))
	answered = staff.answerDialog(true)
	staff.submit("record the conclusion", "do-conclude", 200, a.result())
	if got, want := staff.dialog(answered), "确定录入此结论？结论将记入项目历史和审计日志。"; got != want {
		staff.fatalf("question before recording = %q, want %q", got, want)
	}
	staff.wantText("flash", "已为 "+a.code+" 录入结论：通过。")
	if got := staff.normalText("conclusion-list"); !strings.HasPrefix(got, "通过 · 李晓东") {
		staff.fatalf("#conclusion-list = %q, want the pass recorded by 李晓东 (sstpc-li)", got)
	}

	// Not submitted while the other project has no conclusion.
	staff.visit(campaign)
	answered = staff.answerDialog(true)
	staff.submit("submit the campaign too early", "move-submitted", 409, campaign+"/transition")
	if got, want := staff.dialog(answered), "报送后结论由市科委审定。确定报送吗？"; got != want {
		staff.fatalf("question before submitting = %q, want %q", got, want)
	}
	staff.wantText("move-error", "还有 1 个项目没有评价结论（含整改后待复评的项目），全部记录后方可提交。")
	staff.wantText("campaign-state", "形成结论")
	keep(staff, "submit-refused")

	// The other: a fail against the panel's pass, refused without a
	// reason, nothing recorded; then recorded with one.
	staff.visit(b.result())
	step(staff, "choose fail", chromedp.Click(byID("c-fail")))
	answered = staff.answerDialog(true)
	staff.submit("record a fail without a reason", "do-conclude", 400, b.result()+"/conclusion")
	staff.dialog(answered)
	staff.wantText("e-reason", "请说明理由：结题、与专家组建议不同的结论或修改已记录的结论都需要理由。")
	staff.wantBeside("f-reason", "e-reason")
	if !staff.checked("c-fail") {
		staff.fatalf("the fail is no longer chosen after the refusal")
	}
	if !staff.exists("no-conclusion") || staff.exists("conclusion-list") {
		staff.fatalf("a conclusion is listed after the refusal: %q", staff.normalText("conclusions"))
	}
	keep(staff, "conclusion-refused")
	const why = "经核查专项审计报告，项目存在未经批准调整预算的问题，考核指标佐证材料不足，不予通过。"
	staff.fill("f-reason", why)
	answered = staff.answerDialog(true)
	staff.submit("record a fail with a reason", "do-conclude", 200, b.result())
	staff.dialog(answered)
	staff.wantText("flash", "已为 "+b.code+" 录入结论：不通过。")
	if got := staff.normalText("conclusion-list"); !strings.HasPrefix(got, "不通过 · 李晓东") || !strings.HasSuffix(got, why) {
		staff.fatalf("#conclusion-list = %q, want the fail with its reason", got)
	}
	keep(staff, "conclusion-recorded")
	staff.visit(results)
	for pr, want := range map[*resultsProject]string{a: "通过", b: "不通过"} {
		if got := staff.textCSS(fmt.Sprintf("#result-%d td:last-child", pr.id)); got != want {
			staff.fatalf("the conclusion of %s in the results table = %q, want %q", pr.code, got, want)
		}
	}

	// Every project has its conclusion: the campaign goes to the
	// commission.
	staff.visit(campaign)
	answered = staff.answerDialog(true)
	staff.submit("submit the campaign", "move-submitted", 200, campaign)
	staff.dialog(answered)
	staff.wantText("flash", "评价批次状态已更新。")
	staff.wantText("campaign-state", "已报送市科委")
	if staff.exists("moves") {
		staff.fatalf("the agency is offered moves of a submitted campaign: %q", staff.normalText("moves"))
	}
	keep(staff, "submitted")
}

// The dissents: the low scorer's on the divergent project, in English,
// and another member's on the other.
const (
	reasonA = "The field tests cover two of the five scenarios in the task contract; the accuracy target is not shown for the others."
	reasonB = "部分考核指标的第三方检测报告不完整，建议补充后再作结论。"
)

// resultsFixture is a server over the demo with one campaign of SSTPC in
// scoring: two projects with one panel, every sheet submitted; on the
// first the panel diverges (one member scored 55, the others 80 to 85).
type resultsFixture struct {
	srv               *browserServer
	campaignID        int64
	divergent, agreed *resultsProject
	chair, low        resultsMember
	members           []resultsMember // technical members but the chair, the low scorer first
	finance           resultsMember
}

// resultsProject is one of the fixture's projects, with what the journey
// expects of it.
type resultsProject struct {
	id      int64
	code    string
	score   string // the technical score once the panel agrees
	opinion string // the chair's text
}

func (pr *resultsProject) result() string { return fmt.Sprintf("/projects/%d/result", pr.id) }
func (pr *resultsProject) opinionPage() string {
	return fmt.Sprintf("/workspace/projects/%d/opinion", pr.id)
}

// resultsMember is an expert of the fixture's panel.
type resultsMember struct {
	username, name string
}

// technical is the technical members, the chair first.
func (fx *resultsFixture) technical() []resultsMember {
	return append([]resultsMember{fx.chair}, fx.members...)
}

// responders is the members who answer the chair's opinion.
func (fx *resultsFixture) responders() []resultsMember {
	return append(append([]resultsMember{}, fx.members...), fx.finance)
}

// visit opens a page of the test server, which must answer 200.
func (p *tab) visit(path string) {
	p.t.Helper()
	if resp := step(p, "open "+path, chromedp.NavigateResponse(p.srv.url+path)); resp.Status != 200 {
		p.fatalf("GET %s: status %d, want 200", path, resp.Status)
	}
}

// toOpinion opens the project's opinion page: from the expert's home
// through the project's page when fromHome, else at its address.
func (p *tab) toOpinion(pr *resultsProject, fromHome bool) {
	p.t.Helper()
	if !fromHome {
		p.visit(pr.opinionPage())
		return
	}
	p.visit("/")
	project := fmt.Sprintf("/workspace/projects/%d", pr.id)
	clickTo(p, "open the project", chromedp.CSS(fmt.Sprintf("#work-%d .work-project", pr.id)), 200, project)
	clickTo(p, "open the panel's opinion", byID("open-opinion"), 200, pr.opinionPage())
}

// sheetTotals reads the result page's sheets: each expert's total by name.
func (p *tab) sheetTotals() map[string]string {
	p.t.Helper()
	return evalJSON[map[string]string](p, "read the sheets", `Object.fromEntries(Array.from(
		document.querySelectorAll('#sheets-table tbody tr'), tr => [tr.cells[0].textContent.trim(), tr.cells[2].textContent.trim()]))`)
}

// The technical sheets of the fixture, A1..A5 of the applied-technology
// rubric (maxima 25, 25, 25, 10, 15): a comment where a score is below 60%
// or above 90% of its maximum.
var (
	sheet85 = technicalSheet(22, 21, 21, 8, 13)
	sheet83 = technicalSheet(22, 20, 21, 8, 12)
	sheet82 = technicalSheet(21, 20, 21, 8, 12)
	sheet81 = technicalSheet(21, 20, 20, 8, 12)
	sheet80 = technicalSheet(20, 20, 20, 8, 12)
	sheet55 = func() evaluation.SheetContent {
		c := technicalSheet(10, 10, 15, 8, 12)
		c.Comments = map[string]string{"A1": "主要考核指标完成不足一半。", "A2": "关键技术未见实质突破。"}
		return c
	}()
)

func technicalSheet(a1, a2, a3, a4, a5 int) evaluation.SheetContent {
	return evaluation.SheetContent{Sheet: rubrics.Sheet{
		Scores: map[string]rubrics.Points{"A1": rubrics.Pts(a1), "A2": rubrics.Pts(a2), "A3": rubrics.Pts(a3),
			"A4": rubrics.Pts(a4), "A5": rubrics.Pts(a5)},
		Opinion: "项目完成了任务书规定的主要考核指标，技术路线合理。"}}
}

// startResultsServer seeds the demo into a fresh database, adds the
// fixture's campaign through the services, and serves it.
func startResultsServer(t *testing.T) *resultsFixture {
	t.Helper()
	return startFixtureServer(t, nil, func(b *fixtureBuilder) *resultsFixture {
		return b.resultsCampaign("智能网联汽车高精度定位与车路协同系统研发")
	})
}

// startFixtureServer seeds the demo into a fresh database, builds a
// campaign through the services, and serves it on the clock now (time.Now
// when nil).
func startFixtureServer(t *testing.T, now func() time.Time, build func(b *fixtureBuilder) *resultsFixture) *resultsFixture {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	dbPath, dataDir := filepath.Join(dir, "e.db"), filepath.Join(dir, "data")
	blobs, err := files.Open(filepath.Join(dataDir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	db, svc, err := openService(ctx, dbPath, password.Fast, evaluation.WithBlobs(blobs))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, svc); err != nil {
		db.Close()
		t.Fatal(err)
	}
	b := &fixtureBuilder{t: t, svc: svc, users: map[int64]*evaluation.User{}}
	b.load()
	fx := build(b)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	s, err := startServer(ctx, serverConfig{Addr: "127.0.0.1:0", DB: dbPath, DataDir: dataDir, Password: password.Fast,
		Logger: slog.New(slog.NewTextHandler(log, nil)), Stdout: io.Discard, Now: now})
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		if err := s.shutdown(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	fx.srv = &browserServer{url: s.URL(), log: log}
	return fx
}

// resultsCampaign makes the journey's campaign: in scoring, two
// applied-technology projects with one panel drawn with a fixed seed and
// accepted by everyone, who sign the pledge, declare no conflict and
// submit their sheets. The technical totals of the first project are 85
// (the chair), 55 (the low scorer), 80, 82 and 83; of the second, titled
// title, 85, 81, 80, 82 and 83.
func (b *fixtureBuilder) resultsCampaign(title string) *resultsFixture {
	t, ctx := b.t, b.t.Context()
	today := time.Now().In(evaluation.Beijing)
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringOpens = today.AddDate(0, 0, -14).Format(time.DateOnly)
	settings.ScoringDue = today.AddDate(0, 0, 14).Format(time.DateOnly)
	c, err := b.svc.Campaigns.CreateCampaign(ctx, b.staff, evaluation.NewCampaign{Name: "2026 年度智能网联专项综合绩效评价（结论批）",
		Year: 2026, Programme: "人工智能创新发展专项", Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	projects := []*evaluation.Project{journeyProject("2026-ZN-201"), journeyProject("2026-ZN-202")}
	projects[1].Title = title
	if err := b.svc.Campaigns.CreateProjects(ctx, b.staff, c.ID, projects); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Campaigns.TransitionCampaign(ctx, b.staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	seed := sha256.Sum256([]byte("results journey"))
	panel, err := b.svc.Panels.DrawPanel(ctx, b.staff, c.ID, []int64{projects[0].ID, projects[1].ID}, hex.EncodeToString(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.svc.Panels.InvitePanel(ctx, b.staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	b.acceptAll(panel.ID)
	if _, err := b.svc.Campaigns.TransitionCampaign(ctx, b.staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatalf("move the campaign to scoring: %v", err)
	}

	fx := &resultsFixture{campaignID: c.ID,
		divergent: &resultsProject{id: projects[0].ID, code: projects[0].Code, score: "82.67",
			opinion: "经专家组复议，评分分歧已消除。项目完成了任务书规定的主要考核指标，感知芯片目标识别准确率达 96.3%，建议通过。"},
		agreed: &resultsProject{id: projects[1].ID, code: projects[1].Code, score: "82.00",
			opinion: "项目完成了任务书规定的主要考核指标，技术路线合理，经费使用基本规范，建议通过。"}}
	pn := b.panel(panel.ID)
	var technical []*evaluation.PanelMember
	for _, m := range pn.Seated(evaluation.SeatTechnical) {
		if m.Status != evaluation.MemberAccepted {
			t.Fatalf("%s has not accepted: %s", m.Expert.Name, m.Status)
		}
		technical = append(technical, m)
		who := resultsMember{b.users[m.ExpertID].Username, m.Expert.Name}
		if m.Chair {
			fx.chair = who
		} else {
			fx.members = append(fx.members, who)
		}
	}
	finance := pn.Seated(evaluation.SeatFinance)
	if fx.chair.username == "" || len(fx.members) != 4 || len(finance) != 1 {
		t.Fatalf("the panel has %d technical members (chair %q) and %d finance, want 5 with a chair and 1",
			len(technical), fx.chair.name, len(finance))
	}
	fx.low = fx.members[0]
	fx.finance = resultsMember{b.users[finance[0].ExpertID].Username, finance[0].Expert.Name}

	// Seated puts the chair first; the low scorer is the next.
	sheets := map[int64][]evaluation.SheetContent{
		projects[0].ID: {sheet85, sheet55, sheet80, sheet82, sheet83},
		projects[1].ID: {sheet85, sheet81, sheet80, sheet82, sheet83},
	}
	pass := true
	financeSheet := evaluation.SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"F1": rubrics.Pts(16),
		"F2": rubrics.Pts(20), "F3": rubrics.Pts(20), "F4": rubrics.Pts(24)}, Opinion: "资金使用基本合规。"}, FinancePass: &pass}
	for i, m := range append(technical, finance[0]) {
		who := b.users[m.ExpertID].Actor()
		if err := b.svc.Sheets.SignPledge(ctx, who, c.ID, evaluation.PledgeVersion); err != nil {
			t.Fatal(err)
		}
		for _, p := range projects {
			if err := b.svc.Sheets.DeclareNoConflict(ctx, who, p.ID); err != nil {
				t.Fatal(err)
			}
			content := financeSheet
			if m.Seat == evaluation.SeatTechnical {
				content = sheets[p.ID][i]
			}
			if _, err := b.svc.Sheets.SaveSheet(ctx, who, p.ID, 0, content, true); err != nil {
				t.Fatalf("submit the sheet of %s for %s: %v", m.Expert.Name, p.Code, err)
			}
		}
	}
	return fx
}

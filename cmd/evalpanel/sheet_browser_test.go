package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

// sheetWords are what the journey reads on the workspace's pages, in one
// language.
type sheetWords struct {
	accepted, pledgeSigned, confirmNone, declaredNone, notStarted, needsPledge                          string
	rangeA1, invalid, saved, draftSaved, draft, stale, good, submitted, locked, round1, statusSubmitted string
	confirmConflict, confirmRequired, declaredConflict, declined, invited                               string
}

var workspaceWords = map[string]sheetWords{
	"zh-CN": {
		accepted:         "已接受邀请，感谢您的支持。评审开始后可在这里查看项目材料并评分。",
		pledgeSigned:     "承诺书已签署。",
		confirmNone:      "确认您与该项目不存在利益冲突？",
		declaredNone:     "已声明无利益冲突。现在可以查看项目材料并评分。",
		notStarted:       "未开始",
		needsPledge:      "待签署承诺书",
		rangeA1:          "评分须在 0 到 25 之间。",
		invalid:          "未保存：请先更正标出的内容。",
		saved:            "已保存",
		draftSaved:       "草稿已保存。",
		draft:            "草稿",
		stale:            "此评分表已在别处（其他标签页或设备）保存过，本页的修改没有保存。",
		good:             "良好",
		submitted:        "评分表已提交。",
		locked:           "评分表已提交并锁定。如需修改，请联系管理机构退回。",
		round1:           "第 1 轮",
		statusSubmitted:  "已提交",
		confirmConflict:  "声明存在利益冲突后，您将立即退出该项目的评审，且不能自行撤回。确定声明吗？",
		confirmRequired:  "请勾选确认：声明利益冲突后您将退出该项目的评审。",
		declaredConflict: "您已声明与该项目存在利益冲突，已退出该项目的评审。管理机构将另行安排专家。",
		declined:         "已谢绝",
		invited:          "已邀请",
	},
	"en": {
		accepted:        "Invitation accepted, thank you. Once scoring opens you will find the materials and score sheets here.",
		pledgeSigned:    "Pledge signed.",
		confirmNone:     "Confirm that you have no conflict of interest with this project?",
		declaredNone:    "You declared no conflict of interest. You can now read the materials and score the project.",
		notStarted:      "Not started",
		needsPledge:     "Pledge needed",
		rangeA1:         "The score must be between 0 and 25.",
		invalid:         "Not saved: correct the marked fields first.",
		saved:           "Saved",
		draftSaved:      "Draft saved.",
		draft:           "Draft",
		stale:           "This score sheet was saved elsewhere (another tab or device); the changes on this page were not saved.",
		good:            "Good",
		submitted:       "Score sheet submitted.",
		locked:          "The score sheet is submitted and locked. To change it, ask the agency to return it.",
		round1:          "Round 1",
		statusSubmitted: "Submitted",
		invited:         "Invited",
	},
}

// TestBrowserSheetJourney is issue 8's journey: an expert called up as an
// alternate to a panel at work signs in, accepts the invitation, signs
// the campaign's pledge, declares no conflict of interest, downloads a
// material, types a score over the maximum and sees why beside the field
// (as typed, and from the server when saving with the button), fills the
// sheet, which saves itself, saves it with the button too, reloads the
// page and finds it intact, sees a save from an older copy in another tab
// refused with the stored version shown, submits after the summary, and
// can change nothing afterwards. In Chinese on a laptop's window, and in
// English on a phone's (390×844), where every page looked at fits the
// screen's width. Then a member of another panel declares a conflict:
// the project answers 404 for them, and the next alternate finds the
// invitation on their home page.
func TestBrowserSheetJourney(t *testing.T) {
	chromium := chromiumPath(t)
	fx := startScoringServer(t, 3)
	chrome := startBrowser(t, chromium)

	for i, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := workspaceWords[lang]
			jc := fx.campaigns[i]
			p := openTab(t, chrome, fx.srv)
			shot, phone := "desktop", lang == "en"
			if phone {
				shot = "phone"
				step(p, "a phone's screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
			}
			// keep saves a screenshot of the page; on the phone, it also
			// checks that the page fits the screen's width.
			keep := func(name string) {
				p.t.Helper()
				if phone {
					p.fitsWidth(390)
				}
				p.keep(fmt.Sprintf("sheet-%s-%s-%s.png", name, shot, lang))
			}
			p.signInAs(jc.alternate, lang)

			// The invitation to the seat that fell free, accepted.
			invitation := fmt.Sprintf("invitation-%d", jc.alternateMember)
			if !p.exists(invitation) {
				p.fatalf("no #%s on the home page of %s", invitation, jc.alternate)
			}
			keep("home-invited")
			p.submit("accept the invitation", fmt.Sprintf("accept-%d", jc.alternateMember), 200, "/")
			p.wantText("flash", w.accepted)
			row := fmt.Sprintf("work-%d", jc.projectID)
			if got := p.textCSS("#" + row + " .work-status"); got != w.needsPledge {
				p.fatalf("the status of the project to score = %q, want %q", got, w.needsPledge)
			}
			keep("home")

			// The pledge, then back to the project.
			project := fmt.Sprintf("/workspace/projects/%d", jc.projectID)
			clickTo(p, "open the pledge", chromedp.CSS("#"+row+" .work-action a"), 200, fmt.Sprintf("/workspace/campaigns/%d/pledge", jc.campaignID))
			if got, want := p.textCSS("#pledge-text p"), evaluation.PledgeText(evaluation.Language(lang))[0]; got != want {
				p.fatalf("the pledge begins %q, want %q", got, want)
			}
			keep("pledge")
			p.submit("sign the pledge", "sign-pledge", 200, project)
			p.wantText("flash", w.pledgeSigned)

			// The declaration, asked again before it is sent.
			answered := p.answerDialog(true)
			p.submit("declare no conflict", "declare-none", 200, project)
			if got := p.dialog(answered); got != w.confirmNone {
				p.fatalf("question before declaring = %q, want %q", got, w.confirmNone)
			}
			p.wantText("flash", w.declaredNone)
			keep("project")

			// A material downloads, as uploaded.
			file := p.textCSS("#material-table tbody tr a")
			if file != "自评价报告.pdf" {
				p.fatalf("the project's material is %q, want 自评价报告.pdf", file)
			}
			if got := p.download("download the material", "#material-table tbody tr a[download]"); !bytes.Equal(got, minimalPDF()) {
				p.fatalf("the material downloaded is %d bytes, want the %d uploaded", len(got), len(minimalPDF()))
			}

			// The sheet: a score over the maximum is refused beside its
			// field as it is typed, and by the server when saved.
			sheet := project + "/sheet"
			clickTo(p, "open the score sheet", byID("open-sheet"), 200, sheet)
			p.wantText("sheet-status", w.notStarted)
			p.fill("f-score-A1", "30")
			p.wantText("e-score-A1", w.rangeA1)
			p.wantBeside("f-score-A1", "e-score-A1")
			p.waitText("save-state", w.invalid)
			keep("out-of-range")
			p.submit("save the draft with a score over the maximum", "save-draft", 400, sheet)
			p.wantText("e-score-A1", w.rangeA1)
			p.wantBeside("f-score-A1", "e-score-A1")
			if got := p.value("f-score-A1"); got != "30" {
				p.fatalf("#f-score-A1 = %q after the refused save, want what was typed", got)
			}

			// The whole sheet, saved as it is typed.
			p.clear("f-score-A1")
			p.fill("f-score-A1", "24")
			if p.hidden("req-A1") {
				p.fatalf("a score of 24 of 25 does not mark the comment required")
			}
			p.fill("f-comment-A1", "主要考核指标全部完成，目标识别准确率经第三方检测达 96.3%。")
			for code, score := range map[string]string{"A2": "20", "A3": "21", "A4": "8", "A5": "12"} {
				p.fill("f-score-"+code, score)
			}
			if !p.hidden("evidence-V2") {
				p.fatalf("the evidence of a veto not ticked is shown")
			}
			step(p, "tick veto V2", chromedp.Click(byID("f-veto-V2")))
			p.fill("f-evidence-V2", "技术路线中途调整，未见批准文件。")
			p.fill("f-opinion", "项目完成了任务书规定的主要考核指标，技术路线合理。")
			p.wantText("total-value", "85")
			p.wantText("total-grade", w.good)
			version := p.waitSaved(w.saved, 0)
			keep("draft")
			// The button saves too (the way without JavaScript).
			p.submit("save the draft with the button", "save-draft", 200, sheet)
			p.wantText("flash", w.draftSaved)
			if v, err := strconv.Atoi(p.value("f-version")); err != nil || v <= version {
				p.fatalf("#f-version = %q after saving with the button, want above %d", p.value("f-version"), version)
			} else {
				version = v
			}

			// Reopened, the page holds the draft exactly.
			if resp := step(p, "reload the sheet", chromedp.NavigateResponse(p.srv.url+sheet)); resp.Status != 200 {
				p.fatalf("reload %s: status %d", sheet, resp.Status)
			}
			for id, want := range map[string]string{"f-score-A1": "24", "f-score-A2": "20", "f-score-A3": "21", "f-score-A4": "8",
				"f-score-A5": "12", "f-comment-A1": "主要考核指标全部完成，目标识别准确率经第三方检测达 96.3%。",
				"f-evidence-V2": "技术路线中途调整，未见批准文件。", "f-opinion": "项目完成了任务书规定的主要考核指标，技术路线合理。",
				"f-version": fmt.Sprint(version)} {
				if got := p.value(id); got != want {
					p.fatalf("#%s = %q after reloading, want %q", id, got, want)
				}
			}
			if !p.checked("f-veto-V2") {
				p.fatalf("veto V2 is not ticked after reloading")
			}
			p.wantText("sheet-status", w.draft)

			// Another tab saves; this one's copy is now older, and its
			// save is refused with the stored version shown.
			other := p.sibling()
			if resp := step(other, "open the sheet in another tab", chromedp.NavigateResponse(p.srv.url+sheet)); resp.Status != 200 {
				other.fatalf("open %s: status %d", sheet, resp.Status)
			}
			other.clear("f-score-A5")
			other.fill("f-score-A5", "13")
			other.waitSaved(w.saved, version)
			other.close()
			p.clear("f-score-A4")
			p.fill("f-score-A4", "9")
			p.waitVisible("stale-banner")
			p.wantText("stale-message", w.stale)
			if lines := p.text("stale-lines"); !strings.Contains(lines, "A5") || !strings.Contains(lines, "13 / 15") {
				p.fatalf("#stale-lines = %q, want the stored score of A5 (13 / 15)", lines)
			}
			keep("stale")
			clickTo(p, "load the stored version", byID("stale-reload"), 200, sheet)
			if a4, a5 := p.value("f-score-A4"), p.value("f-score-A5"); a4 != "8" || a5 != "13" {
				p.fatalf("after loading the stored version: A4 %q, A5 %q, want 8 and 13", a4, a5)
			}

			// The summary, then the submission.
			clickTo(p, "check the sheet", byID("review-sheet"), 200, sheet+"/review")
			summary := evalJSON[[]string](p, "read the summary", `['.summary-total', '.summary-grade', '.summary-comments', '.summary-vetoes']
				.map(s => document.querySelector('#review-summary ' + s).textContent.trim())`)
			if want := []string{"86", w.good, "1", "1"}; !slices.Equal(summary, want) {
				p.fatalf("the summary (total, grade, comments, vetoes) = %q, want %q", summary, want)
			}
			keep("review")
			p.submit("submit the sheet", "submit-sheet", 200, sheet)
			p.wantText("flash", w.submitted)
			p.wantText("locked", w.locked)
			if n := p.count("#sheet-form, input[name^='score.'], textarea"); n != 0 {
				p.fatalf("the submitted sheet still has %d fields", n)
			}
			if got := p.textCSS("#history details summary"); !strings.HasPrefix(got, w.round1) {
				p.fatalf("the history's first round = %q, want it to start with %q", got, w.round1)
			}
			keep("submitted")
			// The server refuses a save all the same.
			status := step(p, "save after submitting", chromedp.Evaluate[int](fmt.Sprintf(`(async () => {
				const body = new URLSearchParams({_csrf: document.querySelector('input[name=_csrf]').value, version: '%d', 'score.A1': '1'});
				return (await fetch(%q, {method: 'POST', body})).status;
			})()`, version+2, sheet+"/draft"), chromedp.EvalAwaitPromise))
			if status != 409 {
				p.fatalf("an autosave of the submitted sheet: status %d, want 409", status)
			}

			// Home: nothing left.
			clickTo(p, "go home", chromedp.CSS(".crumbs a[href='/']"), 200, "/")
			if got := p.textCSS("#" + row + " .work-status"); got != w.statusSubmitted {
				p.fatalf("the project's status at home = %q, want %q", got, w.statusSubmitted)
			}
			keep("home-done")
		})
	}

	// A member who finds a conflict of interest declares it: the project
	// is gone for them, the agency's panel page shows the seat declined
	// with the reason and the next alternate invited, and the alternate
	// finds the invitation at home.
	t.Run("conflict", func(t *testing.T) {
		w := workspaceWords["zh-CN"]
		jc := fx.campaigns[2]
		p := openTab(t, chrome, fx.srv)
		p.signInAs(jc.member, "zh-CN")
		project := fmt.Sprintf("/workspace/projects/%d", jc.projectID)
		if resp := step(p, "open the project", chromedp.NavigateResponse(p.srv.url+project)); resp.Status != 200 {
			p.fatalf("open %s: status %d", project, resp.Status)
		}
		clickTo(p, "open the pledge", byID("open-pledge"), 200, fmt.Sprintf("/workspace/campaigns/%d/pledge", jc.campaignID))
		p.submit("sign the pledge", "sign-pledge", 200, project)
		step(p, "open the conflict form", chromedp.Click(byID("open-conflict")))
		const reason = "本人近三年与项目负责人合作承担过课题。"
		p.fill("f-reason", reason)
		// The page asks before sending either way (app.js's data-confirm);
		// the server then wants the box ticked, and keeps the reason.
		answered := p.answerDialog(true)
		p.submit("declare without ticking the confirmation", "declare-conflict", 400, project+"/declaration")
		if got := p.dialog(answered); got != w.confirmConflict {
			p.fatalf("question before declaring = %q, want %q", got, w.confirmConflict)
		}
		p.wantText("e-confirm", w.confirmRequired)
		if got := p.value("f-reason"); got != reason {
			p.fatalf("#f-reason = %q after the refusal, want what was typed", got)
		}
		step(p, "tick the confirmation", chromedp.Click(byID("f-confirm")))
		answered = p.answerDialog(true)
		p.submit("declare the conflict", "declare-conflict", 200, "/")
		if got := p.dialog(answered); got != w.confirmConflict {
			p.fatalf("question before declaring = %q, want %q", got, w.confirmConflict)
		}
		p.wantText("flash", w.declaredConflict)
		if p.exists(fmt.Sprintf("work-%d", jc.projectID)) {
			p.fatalf("the project is still among the projects to score")
		}
		if resp := step(p, "open the project again", chromedp.NavigateResponse(p.srv.url+project)); resp.Status != 404 {
			p.fatalf("%s after declaring a conflict: status %d, want 404", project, resp.Status)
		}
		if resp := step(p, "open the sheet", chromedp.NavigateResponse(p.srv.url+project+"/sheet")); resp.Status != 404 {
			p.fatalf("%s/sheet after declaring a conflict: status %d, want 404", project, resp.Status)
		}
		p.submit("sign out", "logout", 200, "/login")

		// The agency's panel page: the seat declined with the reason, the
		// next alternate invited.
		p.signIn("sstpc-li")
		panel := fmt.Sprintf("/panels/%d", jc.panelID)
		if resp := step(p, "open the panel", chromedp.NavigateResponse(p.srv.url+panel)); resp.Status != 200 {
			p.fatalf("open %s: status %d", panel, resp.Status)
		}
		pn := p.readPanel()
		if m := pn.member(jc.memberName); m == nil || m.Status != w.declined || m.Reason != reason {
			p.fatalf("%s on the panel page: %+v, want %s with the reason %q", jc.memberName, m, w.declined, reason)
		}
		var called []panelMember
		for _, m := range pn.Members {
			if m.Status == w.invited {
				called = append(called, m)
			}
		}
		if len(called) != 1 {
			p.fatalf("%d members invited after the declaration, want the one alternate: %+v", len(called), pn.Members)
		}
		alternate := called[0]
		if slices.ContainsFunc(pn.Alternates, func(a panelExpert) bool { return a.Name == alternate.Name }) {
			p.fatalf("%s is invited and still listed among the alternates", alternate.Name)
		}
		p.keep("sheet-conflict-panel.png")
		p.submit("sign out", "logout", 200, "/login")

		// The alternate finds the invitation on their home page.
		username := fx.usernames[alternate.Name]
		if username == "" {
			p.fatalf("no account for the alternate %s", alternate.Name)
		}
		// (In the language of their account: the alternate may be the
		// expert of the English journey.)
		p.signIn(username)
		invitation := fmt.Sprintf("invitation-%d", alternate.ID)
		if !p.exists(invitation) {
			p.fatalf("no #%s on the home page of %s, the alternate called up", invitation, alternate.Name)
		}
		p.wantText(fmt.Sprintf("invitation-status-%d", alternate.ID), workspaceWords[p.lang()].invited)
		if got := p.textCSS("#" + invitation + " li code"); got != jc.projectCode {
			p.fatalf("the alternate's invitation is for %q, want %q", got, jc.projectCode)
		}
		if !p.exists(fmt.Sprintf("accept-%d", alternate.ID)) {
			p.fatalf("the alternate's invitation has no accept button")
		}
		p.keep("sheet-conflict-panel.png")
	})
}

// scoringFixture is a server over the demo with campaigns of its own, built
// through the services: each in scoring, with one project (a material
// uploaded) and a confirmed panel with alternates.
type scoringFixture struct {
	srv       *browserServer
	campaigns []journeyCampaign
	usernames map[string]string // experts' accounts by the expert's name
}

// journeyCampaign is one of the fixture's campaigns: its project and
// panel; an alternate invited because a member withdrew (the journey's
// expert), and a member who can withdraw with an alternate to follow.
type journeyCampaign struct {
	campaignID, projectID, panelID int64
	projectCode                    string
	alternate                      string // username
	alternateMember                int64
	member, memberName             string
}

// startScoringServer seeds the demo into a fresh database, adds n scoring
// campaigns (the first n-1 with an alternate invited), and serves it.
func startScoringServer(t *testing.T, n int) *scoringFixture {
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
	fx := &scoringFixture{usernames: map[string]string{}}
	b := &fixtureBuilder{t: t, svc: svc, users: map[int64]*evaluation.User{}}
	b.load()
	for _, u := range b.users {
		fx.usernames[u.Name] = u.Username
	}
	for i := range n {
		fx.campaigns = append(fx.campaigns, b.campaign(i, i < n-1))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	s, err := startServer(ctx, serverConfig{Addr: "127.0.0.1:0", DB: dbPath, DataDir: dataDir, Password: password.Fast,
		Logger: slog.New(slog.NewTextHandler(log, nil)), Stdout: io.Discard})
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

// fixtureBuilder builds the fixture's campaigns as the agency's staff and
// the experts would.
type fixtureBuilder struct {
	t     *testing.T
	svc   *evaluation.Services
	staff evaluation.Actor
	users map[int64]*evaluation.User // experts' accounts by expert
}

func (b *fixtureBuilder) load() {
	b.t.Helper()
	users, _, err := b.svc.Accounts.Users(b.t.Context(), evaluation.System, evaluation.UserFilter{Page: evaluation.Page{Size: evaluation.MaxPageSize}})
	if err != nil {
		b.t.Fatal(err)
	}
	for _, u := range users {
		if u.ExpertID != 0 {
			b.users[u.ExpertID] = u
		}
		if u.Username == "sstpc-li" {
			b.staff = u.Actor()
		}
	}
	if b.staff.UserID == 0 || len(b.users) == 0 {
		b.t.Fatalf("the demo has no sstpc-li or no experts' accounts")
	}
}

// campaign makes the i-th campaign: in scoring, its one project with a
// material, its panel drawn with a fixed seed and accepted by everyone;
// with called, a member then withdraws for a conflict, so that the next
// alternate is invited.
func (b *fixtureBuilder) campaign(i int, called bool) journeyCampaign {
	t, ctx := b.t, b.t.Context()
	today := time.Now().In(evaluation.Beijing)
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringOpens = today.AddDate(0, 0, -1).Format(time.DateOnly)
	settings.ScoringDue = today.AddDate(0, 0, 14).Format(time.DateOnly)
	c, err := b.svc.Campaigns.CreateCampaign(ctx, b.staff, evaluation.NewCampaign{Name: fmt.Sprintf("2026 年度智能网联专项综合绩效评价（第%d批）", i+1),
		Year: 2026, Programme: "人工智能创新发展专项", Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	p := journeyProject(fmt.Sprintf("2026-ZN-1%02d", i+1))
	if err := b.svc.Campaigns.CreateProjects(ctx, b.staff, c.ID, []*evaluation.Project{p}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Campaigns.TransitionCampaign(ctx, b.staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Materials.UploadMaterial(ctx, b.staff, p.ID, evaluation.NewMaterial{Kind: evaluation.MaterialSelfEvaluation,
		Filename: "自评价报告.pdf", Content: bytes.NewReader(minimalPDF())}); err != nil {
		t.Fatal(err)
	}
	seed := sha256.Sum256(fmt.Appendf(nil, "sheet journey %d", i))
	panel, err := b.svc.Panels.DrawPanel(ctx, b.staff, c.ID, []int64{p.ID}, hex.EncodeToString(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.svc.Panels.InvitePanel(ctx, b.staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	b.acceptAll(panel.ID)
	if _, err := b.svc.Campaigns.TransitionCampaign(ctx, b.staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatalf("move campaign %d to scoring: %v", i+1, err)
	}
	jc := journeyCampaign{campaignID: c.ID, projectID: p.ID, projectCode: p.Code, panelID: panel.ID}
	m := b.withdrawable(panel.ID)
	if !called {
		jc.member, jc.memberName = b.users[m.ExpertID].Username, m.Expert.Name
		return jc
	}
	if err := b.svc.Sheets.DeclareConflict(ctx, b.users[m.ExpertID].Actor(), p.ID, "与项目负责人为同一课题组成员"); err != nil {
		t.Fatal(err)
	}
	for _, x := range b.panel(panel.ID).Members {
		if x.Status == evaluation.MemberInvited {
			jc.alternate, jc.alternateMember = b.users[x.ExpertID].Username, x.ID
		}
	}
	if jc.alternate == "" {
		t.Fatalf("campaign %d: no alternate invited after %s withdrew", i+1, m.Expert.Name)
	}
	return jc
}

func (b *fixtureBuilder) panel(id int64) *evaluation.Panel {
	b.t.Helper()
	p, err := b.svc.Panels.Panel(b.t.Context(), b.staff, id)
	if err != nil {
		b.t.Fatal(err)
	}
	return p
}

// acceptAll has every invited expert accept, until no invitation is open
// (an expert found in conflict declines, and the alternate is invited).
func (b *fixtureBuilder) acceptAll(panelID int64) {
	b.t.Helper()
	for range 5 {
		open := false
		for _, m := range b.panel(panelID).Members {
			if m.Status != evaluation.MemberInvited {
				continue
			}
			open = true
			if _, err := b.svc.Panels.RespondToInvitation(b.t.Context(), b.users[m.ExpertID].Actor(), m.ID, true, ""); err != nil {
				b.t.Fatal(err)
			}
		}
		if !open {
			return
		}
	}
}

// withdrawable is a technical member, not the chair, whose leaving keeps
// the hard quotas of applied-technology panels (industryTypes,
// domainTypes), so that any alternate can take the seat.
func (b *fixtureBuilder) withdrawable(panelID int64) *evaluation.PanelMember {
	b.t.Helper()
	typeName := map[evaluation.ExpertType]string{evaluation.Investor: industryTypes[0], evaluation.Entrepreneur: industryTypes[1],
		evaluation.DomainExpert: domainTypes[0]}
	seated := b.panel(panelID).Seated(evaluation.SeatTechnical)
	for _, m := range seated {
		if m.Chair || m.Status != evaluation.MemberAccepted {
			continue
		}
		var types []string
		for _, o := range seated {
			if o.ID != m.ID {
				types = append(types, typeName[o.Expert.Type])
			}
		}
		if countTypes(types, industryTypes) >= 1 && countTypes(types, domainTypes) >= 2 {
			return m
		}
	}
	b.t.Fatalf("no member of panel %d can leave without breaking a quota", panelID)
	return nil
}

// journeyProject is the applied-technology project of the panel journey
// (drawnCode's), under another code: led by 上海交通大学, on subjects
// several pool experts share, with two contract indicators.
func journeyProject(code string) *evaluation.Project {
	f := func(v float64) *float64 { return &v }
	return &evaluation.Project{Code: code, Title: "智能网联汽车车载感知芯片与决策系统研发", Class: evaluation.AppliedTechnology,
		Lead: drawnLead, PI: evaluation.Member{Name: "陆文博", Institution: drawnLead}, Budget: 800_000_000, Spent: 765_200_000,
		Start: "2023-01-01", End: "2025-12-31", SubjectCodes: []string{"520.20", "460.35", "510.30"},
		Keywords: []string{"自动驾驶", "感知芯片", "决策规划"}, Methods: []evaluation.Method{evaluation.PeerReview, evaluation.Testing},
		Indicators: []evaluation.Indicator{
			{Name: "目标识别准确率", Kind: evaluation.IndicatorTechnical, Main: true,
				Target: evaluation.Target{Value: f(95), Unit: "%", Direction: evaluation.AtLeast}, Actual: evaluation.Actual{Value: f(96.3)},
				Evidence: "第三方测试报告"},
			{Name: "申请发明专利", Kind: evaluation.IndicatorIP, Target: evaluation.Target{Value: f(6), Unit: "项", Direction: evaluation.AtLeast},
				Actual: evaluation.Actual{Value: f(7)}, Evidence: "专利受理通知书"},
		}}
}

// signInAs signs a demo account in from the sign-in page in the language.
func (p *tab) signInAs(username, lang string) {
	p.t.Helper()
	p.openLogin(lang)
	p.fill("f-username", username)
	p.fill("f-password", demo.Password)
	p.submit("sign in as "+username, "login-submit", 200, "/")
	if got := p.lang(); got != lang {
		p.fatalf("%s's home page: <html lang> = %q, want %q", username, got, lang)
	}
}

// clear empties a field as a user would, so that the page hears of it.
func (p *tab) clear(id string) {
	p.t.Helper()
	step(p, "clear #"+id, chromedp.Evaluate[bool](fmt.Sprintf(`(e => { e.focus(); e.value = '';
		e.dispatchEvent(new Event('input', {bubbles: true})); return true })(document.getElementById(%q))`, id)))
}

// waitText waits until the element with the id shows the text.
func (p *tab) waitText(id, want string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`(e => e !== null && e.textContent.trim() === %q)(document.getElementById(%q))`,
		want, id))); err != nil {
		p.fatalf("#%s = %q, want %q: %v", id, p.text(id), want, err)
	}
}

// waitVisible waits until the element with the id is shown.
func (p *tab) waitVisible(id string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`(e => e !== null && !e.hidden)(document.getElementById(%q))`, id))); err != nil {
		p.fatalf("#%s is not shown: %v", id, err)
	}
}

// waitSaved waits until the page says its draft is saved, at a version
// above after, and returns the version.
func (p *tab) waitSaved(saved string, after int) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Poll[int](fmt.Sprintf(`(() => {
		const s = document.getElementById('save-state').textContent.trim(), v = Number(document.getElementById('f-version').value);
		return s.startsWith(%q) && v > %d ? v : 0;
	})()`, saved, after)))
	if err != nil {
		p.fatalf("the draft is not saved: #save-state = %q: %v", p.text("save-state"), err)
	}
	return v
}

// hidden reports whether the element with the id is hidden.
func (p *tab) hidden(id string) bool {
	p.t.Helper()
	return step(p, "look at #"+id, chromedp.Evaluate[bool](fmt.Sprintf("document.getElementById(%q).hidden", id)))
}

// checked reports whether the checkbox with the id is ticked.
func (p *tab) checked(id string) bool {
	p.t.Helper()
	return step(p, "look at #"+id, chromedp.Evaluate[bool](fmt.Sprintf("document.getElementById(%q).checked", id)))
}

// download clicks the link sel finds, which downloads a file, waits until
// the browser has it, and returns its content.
func (p *tab) download(what, sel string) []byte {
	p.t.Helper()
	dir := p.t.TempDir()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	events := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID,
		DownloadPath: dir, EventsEnabled: &events}); err != nil {
		p.fatalf("%s: allow downloads: %v", what, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		p.fatalf("%s (click %s): %v", what, sel, err)
	}
	for ev, err := range progress {
		if err != nil {
			p.fatalf("%s: %v", what, err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				p.fatalf("%s: %v", what, err)
			}
			return b
		case browser.DownloadProgressStateCanceled:
			p.fatalf("%s: the browser cancelled the download", what)
		}
	}
	p.fatalf("%s: no download", what)
	return nil
}

// fitsWidth checks that the page is laid out for a window of the width and
// needs no scrolling sideways. (A phone's browser zooms out to show a page
// wider than the screen, which makes window.innerWidth grow too.)
func (p *tab) fitsWidth(width int) {
	p.t.Helper()
	got := evalJSON[[]int](p, "measure the page", "[window.innerWidth, document.documentElement.scrollWidth]")
	if got[0] != width || got[1] > width {
		p.fatalf("window %d px wide, page %d px wide; want both %d", got[0], got[1], width)
	}
}

// wantBeside checks that the message with the id errID is shown in the
// field of the input fieldID, which is marked invalid and described by it.
func (p *tab) wantBeside(fieldID, errID string) {
	p.t.Helper()
	ok := evalJSON[bool](p, "look at #"+errID, fmt.Sprintf(`((f, e) => f !== null && e !== null &&
		f.closest('.field').contains(e) && e.getClientRects().length > 0 &&
		f.getAttribute('aria-invalid') === 'true' && f.getAttribute('aria-describedby').split(' ').includes(e.id)
	)(document.getElementById(%q), document.getElementById(%q))`, fieldID, errID))
	if !ok {
		p.fatalf("#%s is not shown beside #%s, or #%s is not marked invalid", errID, fieldID, fieldID)
	}
}

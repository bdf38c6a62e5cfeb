package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/imports/importtest"
)

// demoExperts are the names of the demo's pool experts in the order of
// evaluation/demo/data.go: the account of the i-th is expert%02d (i+1).
// The journey signs in as one of them, and checks the name it is greeted by.
var demoExperts = []string{
	"顾建华", "沈慧敏", "范志远", "林国栋",
	"张卫东", "李红梅", "王建国", "刘晓燕", "陈志强", "杨丽华", "赵永刚", "黄淑芬", "周海涛", "吴建平", "徐明",
	"孙晓红", "马文杰", "朱丽娟", "胡振宇", "郭海燕", "何光明", "高雪梅",
	"David Chen", "Anna Müller", "Kenji Tanaka", "Sarah Thompson", "Michael O'Brien",
	"钱立新", "蒋晓雯", "韩冬", "曹颖",
	"唐建军", "许丽萍", "邓志华", "冯晓峰",
	"彭雅琴", "谢文斌", "罗美玲", "梁国强", "宋佳",
}

// The project the journey draws a panel for: led by 上海交通大学, where two
// pool experts work (张卫东 and 林国栋), with subject codes several pool
// experts share (520 AI, 460 machinery, 510 electronics), so that the draw
// has more eligible experts than it needs and the conflict shows.
const (
	drawnCode = "2026-ZN-001"
	drawnLead = "上海交通大学"
)

// The composition rules of applied-technology panels as the campaign form
// offers them by default (evaluation.DefaultCampaignSettings): hard quotas
// of at least one investor or entrepreneur and at least two domain experts.
var (
	industryTypes = []string{"投资人", "企业家"}
	domainTypes   = []string{"技术领域专家"}
)

// TestBrowserPanelJourney is issue 4's browser journey, in Chinese: agency
// staff create a campaign, import its projects from xlsx, upload a
// material, move the campaign to panel forming and draw a panel; the panel
// page shows the experts excluded for working at the lead institution, a
// manual replacement with one of them is refused by the check, one with an
// eligible expert passes and is made; the panel is invited. An invited
// expert declines with a reason, and the first alternate who keeps the
// composition rules is invited in their place.
//
// The draw is random (the page draws with a fresh seed), so the test reads
// the panel it got and decides from it whom to replace and who declines.
func TestBrowserPanelJourney(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startBrowserServer(t)
	browser := startBrowser(t, chromium)
	files := t.TempDir()
	xlsx := writeTestFile(t, files, "项目清单.xlsx", journeyProjectsXLSX(t))
	pdf := writeTestFile(t, files, "自评价报告.pdf", minimalPDF())

	p := openTab(t, browser, srv)
	p.signIn("sstpc-li")

	// A new campaign, with the form's default rules.
	clickTo(p, "open the campaigns", chromedp.CSS(`#nav a[href="/campaigns"]`), 200, "/campaigns")
	clickTo(p, "open the new campaign form", byID("new-campaign"), 200, "/campaigns/new")
	const campaignName = "2026 年度人工智能与智能网联专项综合绩效评价"
	p.fill("f-name", campaignName)
	p.fill("f-programme", "人工智能创新发展专项")
	campaignPath := click(p, "create the campaign", byID("save-campaign"), 200)
	if !regexp.MustCompile(`^/campaigns/\d+$`).MatchString(campaignPath) {
		p.fatalf("after creating the campaign: at %s, want /campaigns/ID", campaignPath)
	}
	p.wantText("flash", "评价批次已创建。下一步：添加或导入项目。")
	p.wantText("campaign-name", campaignName)
	p.wantText("campaign-state", "草稿")

	// Its projects, from the workbook.
	clickTo(p, "open the project import", byID("import-projects"), 200, campaignPath+"/projects/import")
	step(p, "choose the workbook", chromedp.SetUploadFiles(byID("import-file"), []string{xlsx}))
	p.submit("import the workbook", "import-submit", 200, campaignPath)
	p.wantText("flash", "已导入 3 个项目、2 条考核指标。")
	projects := evalJSON[[]projectRow](p, "read #projects-table", projectRowsJS)
	wantProjects := map[string]string{ // code → lead
		"2026-ZN-001": drawnLead, "2026-ZN-002": "上海临港智检科技有限公司", "2026-JC-003": "上海科技大学"}
	if len(projects) != len(wantProjects) {
		p.fatalf("#projects-table has %d rows, want %d: %+v", len(projects), len(wantProjects), projects)
	}
	var drawn projectRow
	for _, r := range projects {
		if lead, ok := wantProjects[r.Code]; !ok || r.Lead != lead {
			p.fatalf("#projects-table row %+v, want one of the imported projects %v", r, wantProjects)
		}
		if r.Code == drawnCode {
			drawn = r
		}
	}

	// A material for the project a panel is drawn for.
	clickTo(p, "open project "+drawnCode, chromedp.CSS(fmt.Sprintf(`#projects-table a[href="%s"]`, drawn.Href)), 200, drawn.Href)
	p.wantText("project-code", drawnCode)
	step(p, "choose the material's kind", chromedp.SetValue(byID("f-material-kind"), "self_evaluation"))
	step(p, "choose the material's file", chromedp.SetUploadFiles(byID("f-material-file"), []string{pdf}))
	// The upload form's button has no id.
	clickTo(p, "upload the material", chromedp.CSS(`#upload-material button[type="submit"]`), 200, drawn.Href)
	p.wantText("flash", "材料已上传。")
	materials := evalJSON[[][]string](p, "read #material-table", `Array.from(document.querySelectorAll('#materials #material-table tbody tr'),
		tr => [tr.cells[0].querySelector('a').textContent.trim(), tr.cells[1].textContent.trim(), tr.cells[2].textContent.trim()])`)
	if want := [][]string{{"自评价报告.pdf", "自评价报告", fmt.Sprintf("%d B", len(minimalPDF()))}}; !slices.EqualFunc(materials, want, slices.Equal) {
		p.fatalf("materials listed = %q, want %q", materials, want)
	}

	// Panel forming; the campaign page asks first.
	clickTo(p, "back to the campaign", chromedp.CSS(fmt.Sprintf(`main a[href="%s"]`, campaignPath)), 200, campaignPath)
	answered := p.answerDialog(true)
	p.submit("move the campaign to panel forming", "move-forming", 200, campaignPath)
	if got, want := p.dialog(answered), "进入组建专家组阶段后仍可增删项目。确定继续吗？"; got != want {
		p.fatalf("question before moving to forming = %q, want %q", got, want)
	}
	p.wantText("flash", "评价批次状态已更新。")
	p.wantText("campaign-state", "组建专家组")

	// The draw.
	panelPath := click(p, "draw a panel for "+drawnCode, byID("draw-"+drawn.ID), 200)
	if !regexp.MustCompile(`^/panels/\d+$`).MatchString(panelPath) {
		p.fatalf("after the draw: at %s, want /panels/ID", panelPath)
	}
	p.wantText("flash", "专家组已抽取。请核对成员，必要时人工调整，然后发出邀请。")
	p.wantText("panel-state", "待邀请")
	p.keep("panel-drawn.png")
	pn := p.readPanel()
	technical, finance := pn.seated("技术专家"), pn.seated("财务专家")
	if len(technical) != 5 || len(finance) != 1 {
		p.fatalf("seated after the draw: %d technical and %d finance members, want 5 and 1: %+v", len(technical), len(finance), pn.Members)
	}
	chairs := 0
	for _, m := range pn.Members {
		if m.Status != "拟邀请" {
			p.fatalf("member %s is %q after the draw, want 拟邀请", m.Name, m.Status)
		}
		if m.chair() {
			chairs++
		}
	}
	if chairs != 1 {
		p.fatalf("%d chairs after the draw, want 1", chairs)
	}
	if len(pn.Alternates) == 0 {
		p.fatalf("no alternates listed in #alternates")
	}

	// The experts who work at the lead institution are excluded, with the
	// reason, and are nowhere on the panel.
	sameInstitution := fmt.Sprintf("专家单位“%s”与承担单位“%s”为同一单位", drawnLead, drawnLead)
	for _, name := range []string{"张卫东", "林国栋"} {
		x, ok := pn.Conflicts[name]
		if !ok {
			p.fatalf("%s is not in #excluded-table; conflicts listed: %v", name, pn.Conflicts)
		}
		if want := []string{"同单位 " + sameInstitution}; !slices.Equal(x, want) {
			p.fatalf("reasons #excluded-table gives for %s = %q, want %q", name, x, want)
		}
		if pn.on(name) {
			p.fatalf("%s, excluded for a conflict, is on the panel or among the alternates", name)
		}
	}

	// A replacement by hand: the form lists first the experts who pass the
	// checks; the experts in conflict and those on the panel are listed
	// after them, with the reason, and cannot be chosen. An eligible one is
	// checked and takes the seat.
	member := pn.replacement()
	if member.ID == 0 {
		p.fatalf("no domain expert but the chair on the panel: %+v", pn.Members)
	}
	replacePath := click(p, "open the replace form of "+member.Name, byID(fmt.Sprintf("replace-link-%d", member.ID)), 200)
	if replacePath != panelPath {
		p.fatalf("the replace form of %s: at %s, want %s", member.Name, replacePath, panelPath)
	}
	p.keep("panel-replace-form.png")
	candidates := p.readCandidates()
	for _, name := range []string{"张卫东", "林国栋"} {
		c, ok := candidates.named(name)
		// The conflict comes first; a strategic scientist would also leave
		// the domain experts' quota short.
		if want := "同单位 " + sameInstitution; !ok || c.Group != "refused" || !c.Disabled || len(c.Reasons) == 0 || c.Reasons[0] != want {
			p.fatalf("%s in the replace form: %+v, want refused, not selectable, for the reason %q first", name, c, want)
		}
	}
	for _, m := range append(pn.seated("技术专家"), pn.seated("财务专家")...) {
		if c, ok := candidates.named(m.Name); ok && (c.Group != "refused" || !c.Disabled) {
			p.fatalf("member %s is offered for the seat of %s: %+v", m.Name, member.Name, c)
		}
	}
	for _, a := range pn.Alternates {
		if c, ok := candidates.named(a.Name); ok && (c.Group != "refused" || !c.Disabled) {
			p.fatalf("alternate %s is offered for the seat of %s: %+v", a.Name, member.Name, c)
		}
	}
	chosen := candidates.first(member.Type)
	if chosen.ID == 0 {
		p.fatalf("no expert passes the checks for the seat of %s (%s): %+v", member.Name, member.Type, candidates)
	}
	t.Logf("replacing %s (%s) by hand with %s (%s)", member.Name, member.Type, chosen.Name, chosen.Type)
	checkPath := fmt.Sprintf("%s/members/%d/replace", panelPath, member.ID)
	step(p, "choose "+chosen.Name, chromedp.Click(byID(fmt.Sprintf("pick-%d", chosen.ID))))
	clickTo(p, "check "+chosen.Name+" for the seat of "+member.Name, byID(fmt.Sprintf("check-%d", member.ID)), 200, checkPath)
	check := p.readCheck()
	if want := (checkResult{Class: "check ok", Verdict: "检查通过，可以替换。"}); !check.equal(want) {
		p.fatalf("#check-result for %s = %+v, want %+v", chosen.Name, check, want)
	}
	p.keep("panel-check-passed.png")
	answered = p.answerDialog(true)
	clickTo(p, "replace "+member.Name+" by "+chosen.Name, byID(fmt.Sprintf("do-replace-%d", member.ID)), 200, panelPath)
	if got, want := p.dialog(answered), fmt.Sprintf("确定用所选专家替换 %s 吗？%s 将调出专家组；如专家组正在邀请中，新成员会立即收到邀请。", member.Name, member.Name); got != want {
		p.fatalf("question before replacing = %q, want %q", got, want)
	}
	p.wantText("flash", "成员已替换。")
	pn = p.readPanel()
	if old := pn.member(member.Name); old == nil || old.Status != "已调出" {
		p.fatalf("%s after the replacement: %+v, want the status 已调出", member.Name, old)
	}
	added := pn.member(chosen.Name)
	if added == nil || added.Status != "拟邀请" || added.Seat != "技术专家" || !slices.Contains(added.Badges, "人工调整") {
		p.fatalf("%s after the replacement: %+v, want a 技术专家 seat, 拟邀请, with the badge 人工调整", chosen.Name, added)
	}

	// The invitations.
	answered = p.answerDialog(true)
	p.submit("invite the panel", "invite-panel", 200, panelPath)
	if got, want := p.dialog(answered), "将向拟邀请的全部专家发出评审邀请。确定发出吗？"; got != want {
		p.fatalf("question before inviting = %q, want %q", got, want)
	}
	p.wantText("flash", "邀请已发出。专家接受或谢绝后状态会更新；谢绝时自动递补候补专家。")
	p.wantText("panel-state", "邀请中")
	pn = p.readPanel()
	for _, m := range append(pn.seated("技术专家"), pn.seated("财务专家")...) {
		if m.Status != "已邀请" {
			p.fatalf("seated member %s is %q after the invitation, want 已邀请", m.Name, m.Status)
		}
	}

	// An invited technical member declines.
	decliner, alternate := pn.decliner(chosen.Name)
	if decliner == nil {
		p.fatalf("no invited technical member whose decline an alternate can fill; panel %+v", pn)
	}
	username := expertAccount(p, decliner.Name)
	t.Logf("%s (%s, %s) declines; alternates %v; %s (%s) should take the seat", decliner.Name, decliner.Type, username,
		pn.Alternates, alternate.Name, alternate.Type)
	if alternate.Name != pn.Alternates[0].Name {
		t.Logf("the alternates before %s would break a hard quota", alternate.Name)
	}
	p.submit("sign out", "logout", 200, "/login")
	p.signIn(username)
	// The demo's international peers prefer English; the journey goes on
	// in Chinese, which the top bar's button makes their preference.
	if p.lang() == "en" && decliner.Type == "国际同行" {
		p.submit("switch to Chinese", "lang-switch", 200, "/")
	}
	if got := p.lang(); got != "zh-CN" {
		p.fatalf("%s's dashboard: <html lang> = %q, want %q", username, got, "zh-CN")
	}
	if got, want := p.textCSS("main h1"), "您好，"+decliner.Name; got != want {
		p.fatalf("dashboard h1 = %q, want %q (has the order of the demo's experts changed? see demoExperts)", got, want)
	}
	invitation := fmt.Sprintf("invitation-%d", decliner.ID)
	if !p.exists(invitation) {
		p.fatalf("no #%s on %s's dashboard", invitation, username)
	}
	if got := p.textCSS("#" + invitation + " h3"); got != campaignName {
		p.fatalf("campaign of #%s = %q, want %q", invitation, got, campaignName)
	}
	if got := p.textCSS("#" + invitation + " li code"); got != drawnCode {
		p.fatalf("project of #%s = %q, want %q", invitation, got, drawnCode)
	}
	p.wantText(fmt.Sprintf("invitation-status-%d", decliner.ID), "已邀请")
	p.keep("expert-dashboard.png")
	step(p, "open the decline form", chromedp.Click(chromedp.CSS("#"+invitation+" details > summary")))
	const reason = "本人 12 月赴外地参加学术会议，时间冲突，无法参加评审。"
	p.fill(fmt.Sprintf("decline-reason-%d", decliner.ID), reason)
	answered = p.answerDialog(true)
	p.submit("decline the invitation", fmt.Sprintf("decline-%d", decliner.ID), 200, "/")
	if got, want := p.dialog(answered), "确定谢绝此次评审邀请吗？"; got != want {
		p.fatalf("question before declining = %q, want %q", got, want)
	}
	p.wantText("flash", "已谢绝邀请。")
	// The dashboard keeps the declined invitation, marked so, with no
	// buttons left.
	p.wantText(fmt.Sprintf("invitation-status-%d", decliner.ID), "已谢绝")
	if p.exists(fmt.Sprintf("accept-%d", decliner.ID)) {
		p.fatalf("the declined invitation still offers to accept")
	}
	p.keep("expert-declined.png")

	// The agency sees the decline and the alternate it called up.
	p.submit("sign out", "logout", 200, "/login")
	p.signIn("sstpc-li")
	if resp := step(p, "open "+panelPath, chromedp.NavigateResponse(srv.url+panelPath)); resp.Status != 200 {
		p.fatalf("GET %s: status %d, want 200", panelPath, resp.Status)
	}
	p.wantText("panel-state", "邀请中")
	p.keep("panel-alternate-invited.png")
	after := p.readPanel()
	if d := after.member(decliner.Name); d == nil || d.Status != "已谢绝" || d.Reason != reason {
		p.fatalf("%s on the panel page after declining: %+v, want 已谢绝 with the reason %q", decliner.Name, d, reason)
	}
	a := after.member(alternate.Name)
	if a == nil || a.Status != "已邀请" || a.Seat != "技术专家" {
		p.fatalf("alternate %s after the decline: %+v, want a 技术专家 seat, 已邀请", alternate.Name, a)
	}
	if slices.ContainsFunc(after.Alternates, func(x panelExpert) bool { return x.Name == alternate.Name }) {
		p.fatalf("%s, now invited, is still listed in #alternates", alternate.Name)
	}
	// Alternates passed over for the quotas keep their place in the list.
	for _, x := range pn.Alternates[:slices.Index(pn.Alternates, *alternate)] {
		if !slices.Contains(after.Alternates, x) {
			p.fatalf("%s, passed over for the quotas, is no longer in #alternates %v", x.Name, after.Alternates)
		}
	}
	if got := len(after.seated("技术专家")); got != 5 {
		p.fatalf("%d technical seats filled after the decline, want 5", got)
	}
	if p.exists("vacancy-technical") {
		p.fatalf("#vacancy-technical is shown though %s took the seat: %q", alternate.Name, p.text("vacancy-technical"))
	}
}

// signIn signs a demo account in, in Chinese.
func (p *tab) signIn(username string) {
	p.t.Helper()
	p.openLogin("zh-CN")
	p.fill("f-username", username)
	p.fill("f-password", demo.Password)
	p.submit("sign in as "+username, "login-submit", 200, "/")
}

// wantText checks the text of the element with the id.
func (p *tab) wantText(id, want string) {
	p.t.Helper()
	if got := p.text(id); got != want {
		p.fatalf("#%s = %q, want %q", id, got, want)
	}
}

// evalJSON runs a script that reads the page and decodes what it returns.
func evalJSON[T any](p *tab, what, script string) T {
	p.t.Helper()
	return step(p, what, chromedp.Evaluate[T](script))
}

// projectRow is a row of the campaign page's #projects-table.
type projectRow struct {
	Code, Href, ID, Lead string
}

const projectRowsJS = `Array.from(document.querySelectorAll('#projects-table tbody tr'), tr => {
	const a = tr.cells[0].querySelector('a');
	return {Code: a.textContent.trim(), Href: a.getAttribute('href'), ID: a.getAttribute('href').split('/').pop(),
		Lead: tr.cells[3].textContent.trim()};
})`

// panelMember is a row of the panel page's #members-table.
type panelMember struct {
	ID                   int64
	Name                 string
	Badges               []string // 组长, 人工调整
	Type, Institution    string
	Seat, Status, Reason string
}

func (m *panelMember) chair() bool { return slices.Contains(m.Badges, "组长") }

// panelExpert is an expert as #alternates and the replace form's select
// list them: "name · type · institution".
type panelExpert struct {
	Name, Type string
}

// panelView is what the panel page shows of a panel.
type panelView struct {
	Members    []panelMember
	Alternates []panelExpert       // in the order they are called up
	Conflicts  map[string][]string // #excluded-table: name → "badge detail" per reason
	Ineligible []string            // names in the folded table of experts not eligible
}

const panelJS = `(() => {
	const text = e => e ? e.textContent.trim() : '';
	const expert = s => { const f = s.split(' · '); return {Name: f[0], Type: f[1] || ''}; };
	const v = {Members: [], Alternates: [], Conflicts: {}, Ineligible: []};
	for (const tr of document.querySelectorAll('#members-table tbody tr')) {
		const c = tr.cells, id = Number(tr.id.replace('member-', ''));
		v.Members.push({ID: id, Name: text(c[0].firstChild), Badges: Array.from(c[0].querySelectorAll('.badge'), text),
			Type: text(c[1]), Institution: text(c[2]), Seat: text(c[3]), Status: text(c[4].querySelector('.badge')),
			Reason: text(c[4].querySelector('div'))});
	}
	for (const li of document.querySelectorAll('#alternates li')) { v.Alternates.push(expert(text(li))); }
	for (const tr of document.querySelectorAll('#excluded-table tbody tr')) {
		v.Conflicts[text(tr.cells[0])] = Array.from(tr.cells[2].querySelectorAll('li'),
			li => text(li.querySelector('.badge')) + ' ' + text(li.querySelector('.small')));
	}
	for (const tr of document.querySelectorAll('#ineligible tbody tr')) { v.Ineligible.push(text(tr.cells[0])); }
	return v;
})()`

func (p *tab) readPanel() *panelView {
	p.t.Helper()
	v := evalJSON[panelView](p, "read the panel page", panelJS)
	return &v
}

// seated lists the members holding a seat of the group (技术专家, 财务专家).
func (v *panelView) seated(seat string) []panelMember {
	var out []panelMember
	for _, m := range v.Members {
		if m.Seat == seat && m.Status != "已谢绝" && m.Status != "已调出" {
			out = append(out, m)
		}
	}
	return out
}

func (v *panelView) member(name string) *panelMember {
	for i := range v.Members {
		if v.Members[i].Name == name {
			return &v.Members[i]
		}
	}
	return nil
}

// on reports whether the expert is a member (in any status) or an alternate.
func (v *panelView) on(name string) bool {
	return v.member(name) != nil || slices.ContainsFunc(v.Alternates, func(a panelExpert) bool { return a.Name == name })
}

// replacement picks the member to replace by hand: a domain expert other
// than the chair (the quotas ask for two domain experts, and the chair is
// the first domain expert or strategic scientist drawn, so there is one).
func (v *panelView) replacement() panelMember {
	for _, m := range v.seated("技术专家") {
		if !m.chair() && m.Type == domainTypes[0] {
			return m
		}
	}
	return panelMember{}
}

// decliner picks the invited technical member who will decline, other than
// the chair, and one whose seat an alternate can take; there always is one,
// since at most three of the five seats are needed for the quotas. The
// alternate is what the app must call up (evaluation.callAlternate): the
// first technical alternate in #alternates whose arrival keeps the hard
// quotas of the group. It prefers a member other than the expert put in by
// hand (manual) and other than an international peer (whose account prefers
// English), and, when the draw allows it, one whose seat the first
// alternate cannot take, so that the journey also shows an alternate passed
// over for the quotas.
func (v *panelView) decliner(manual string) (*panelMember, *panelExpert) {
	technical := v.seated("技术专家")
	var alternates []panelExpert
	for _, a := range v.Alternates {
		if a.Type != "财务专家" {
			alternates = append(alternates, a)
		}
	}
	for _, easy := range []bool{true, false} {
		var decliner *panelMember
		var alternate *panelExpert
		called := -1 // the called alternate's place in the list
		for i, m := range technical {
			if m.chair() || m.Status != "已邀请" || easy && (m.Name == manual || m.Type == "国际同行") {
				continue
			}
			for j, a := range alternates {
				types := []string{a.Type}
				for _, o := range technical {
					if o.ID != m.ID {
						types = append(types, o.Type)
					}
				}
				if countTypes(types, industryTypes) >= 1 && countTypes(types, domainTypes) >= 2 {
					if j > called {
						decliner, alternate, called = &technical[i], &alternates[j], j
					}
					break
				}
			}
		}
		if decliner != nil {
			return decliner, alternate
		}
	}
	return nil, nil
}

func countTypes(types, of []string) int {
	n := 0
	for _, t := range types {
		if slices.Contains(of, t) {
			n++
		}
	}
	return n
}

// candidate is an expert as a change form's #candidates table lists them:
// the group (pass, reason, refused), whether the radio button is disabled,
// and the reasons beside them ("badge detail").
type candidate struct {
	ID         int64
	Name, Type string
	Group      string
	Disabled   bool
	Reasons    []string
}

type candidateList []candidate

func (l candidateList) named(name string) (candidate, bool) {
	for _, c := range l {
		if c.Name == name {
			return c, true
		}
	}
	return candidate{}, false
}

// first returns the first expert who passes the checks, of the type if one
// does (a swap of like for like keeps the quotas).
func (l candidateList) first(typ string) candidate {
	var any candidate
	for _, c := range l {
		if c.Group != "pass" || c.Disabled {
			continue
		}
		if c.Type == typ {
			return c
		}
		if any.ID == 0 {
			any = c
		}
	}
	return any
}

func (p *tab) readCandidates() candidateList {
	p.t.Helper()
	if !p.exists("candidates") {
		p.fatalf("no #candidates in the change form")
	}
	return evalJSON[candidateList](p, "read #candidates", `(() => {
		const text = e => e ? e.textContent.trim().replace(/\s+/g, ' ') : '';
		const out = [];
		for (const tb of document.querySelectorAll('#candidates tbody')) {
			for (const tr of tb.querySelectorAll('tr[id^="candidate-"]')) {
				const r = tr.querySelector('input[type=radio]');
				out.push({ID: Number(r.value), Name: text(tr.cells[1]), Type: text(tr.cells[2]), Group: tb.id.replace('candidates-', ''),
					Disabled: r.disabled, Reasons: Array.from(tr.cells[4].querySelectorAll('li'), text)});
			}
		}
		return out;
	})()`)
}

// checkResult is what #check-result says of a replacement.
type checkResult struct {
	Class   string   // check ok, check warn (a reason is needed), check bad
	Verdict string   // the bold first line
	Reasons []string // the rules the change breaks
}

func (c checkResult) equal(o checkResult) bool {
	return c.Class == o.Class && c.Verdict == o.Verdict && slices.Equal(c.Reasons, o.Reasons)
}

func (p *tab) readCheck() checkResult {
	p.t.Helper()
	if !p.exists("check-result") {
		p.fatalf("no #check-result after the check")
	}
	return evalJSON[checkResult](p, "read #check-result", `(() => {
		const r = document.getElementById('check-result');
		return {Class: r.className, Verdict: r.querySelector('strong').textContent.trim(),
			Reasons: Array.from(r.querySelectorAll('li'), li => li.textContent.trim())};
	})()`)
}

// expertAccount is the username of a demo expert.
func expertAccount(p *tab, name string) string {
	p.t.Helper()
	i := slices.Index(demoExperts, name)
	if i < 0 {
		p.fatalf("%s is not one of the demo's experts", name)
	}
	return fmt.Sprintf("expert%02d", i+1)
}

func writeTestFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// journeyProjectsXLSX is a workbook in the import template's format (its
// Chinese headers, web/import_projects.go): three projects, two of them
// applied technology, and two contract indicators of the first.
func journeyProjectsXLSX(t *testing.T) []byte {
	t.Helper()
	return importtest.XLSX(t, importtest.Sheet{Name: "项目 Projects", Rows: [][]any{
		{"项目编号", "项目名称", "项目类别", "承担单位", "参与单位", "项目负责人", "任务书经费（万元）", "决算支出（万元）",
			"开始日期", "结束日期", "学科代码", "关键词", "评价方式", "推广示范要求"},
		{drawnCode, "智能网联汽车车载感知芯片与决策系统研发", "应用技术类", drawnLead, "", "陆文博", 800, 765.2,
			"2023-01-01", "2025-12-31", "520.20；460.35；510.30", "自动驾驶、感知芯片、决策规划", "同行评议、现场测试", "否"},
		{"2026-ZN-002", "面向工业质检的视觉大模型轻量化部署", "应用技术类", "上海临港智检科技有限公司", "", "沈嘉怡", 300, 288,
			"2023-07-01", "2025-06-30", "520.20", "视觉大模型、工业质检", "同行评议、功能演示", "否"},
		{"2026-JC-003", "类脑计算中的脉冲神经网络学习理论", "基础研究类", "上海科技大学", "", "韩思远", 120, 118.6,
			"2023-01-01", "2025-12-31", "520.10；180.21", "脉冲神经网络、类脑计算", "同行评议", "否"},
	}},
		importtest.Sheet{Name: "考核指标 Indicators", Rows: [][]any{
			{"项目编号", "指标名称", "指标类型", "主要指标", "方向", "目标值", "单位", "实际值", "佐证"},
			{drawnCode, "目标识别准确率", "技术", "是", "≥", 95, "%", 96.3, "第三方测试报告"},
			{drawnCode, "申请发明专利", "知识产权", "否", "≥", 6, "项", 7, "专利受理通知书"},
		}})
}

// minimalPDF is a one-page PDF with a correct cross-reference table, which
// the app recognises as a PDF by its content.
func minimalPDF() []byte {
	const content = "BT /F1 18 Tf 72 770 Td (Self-evaluation report) Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

package main

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/evalpanel/evalpanel/evaluation/demo"
)

// rubricWords are the texts of the rubric pages in one language.
type rubricWords struct {
	other      string // the language #lang-switch leads to
	nameField  string // the id of the editor's field for the name in this language
	name       string // the applied-technology rubric's name in the defaults
	suffix     string // what the journey appends to the name to mark its version
	published  string // #rubric-status
	draft      string
	total100   string // #total in a fresh editor
	total95    string // #e-indicators.total when the indicators add up to 95
	formError  string // #form-error on a refused save
	created    string // #flash after #new-version
	saved      string // #flash after a save
	done       string // #flash after publishing
	confirm    string // the question before publishing
	pointsUnit string // after an indicator's points on the readable page
}

// TestBrowserRubricJourney is issue 3's browser journey: an administrator
// makes a new version of the applied-technology rubric, sets weights that
// add up to 95, sees the error beside the total in the chosen language,
// fixes it and publishes; the published page then shows the new version in
// both languages.
//
// Each language runs on its own server and database: the demo has v1
// published and a v2 draft, so the journey's version is v3 in both runs, and
// the language chosen on the sign-in page (then on the rubric page) becomes
// the admin's preference in that database only.
func TestBrowserRubricJourney(t *testing.T) {
	chromium := chromiumPath(t)
	browser := startBrowser(t, chromium)

	words := map[string]rubricWords{
		"zh-CN": {
			other:      "en",
			nameField:  "f-name.zh",
			name:       "应用技术类项目综合绩效评价指标体系",
			suffix:     "（2027 版）",
			published:  "已发布",
			draft:      "草稿",
			total100:   "合计: 100 / 100",
			total95:    "各指标满分合计为 95，须为 100。",
			formError:  "提交的内容有误，请按提示修改。",
			created:    "已新建草稿版本，请修改后保存并发布。",
			saved:      "草稿已保存。",
			done:       "已发布，此版本从此不可更改。",
			confirm:    "发布后此版本将永久冻结，不能再修改。确定发布吗？",
			pointsUnit: "分",
		},
		"en": {
			other:      "zh-CN",
			nameField:  "f-name.en",
			name:       "Comprehensive performance evaluation rubric: applied technology projects",
			suffix:     " (2027 edition)",
			published:  "Published",
			draft:      "Draft",
			total100:   "Total: 100 / 100",
			total95:    "The indicators add up to 95 points; they must add up to 100.",
			formError:  "Some of the input is not valid; see the messages.",
			created:    "A new draft version has been created: edit it, save it, then publish it.",
			saved:      "The draft has been saved.",
			done:       "Published: this version can no longer change.",
			confirm:    "Once published, this version is frozen for good and can never be changed. Publish it?",
			pointsUnit: "points",
		},
	}

	const (
		v1     = "/rubrics/APPLIED_TECH/1"
		v3     = "/rubrics/APPLIED_TECH/3"
		editor = v3 + "/edit"
	)
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			w, o := words[lang], words[words[lang].other]
			srv := startBrowserServer(t)
			p := openTab(t, browser, srv)
			p.openLogin(lang)
			p.fill("f-username", "admin")
			p.fill("f-password", demo.Password)
			p.submit("sign in", "login-submit", 200, "/")

			// From the list of rubrics to the published v1.
			if resp := step(p, "open /rubrics", chromedp.NavigateResponse(srv.url+"/rubrics")); resp.Status != 200 {
				p.fatalf("GET /rubrics: status %d, want 200", resp.Status)
			}
			// The version links have no id; the group card has one.
			clickTo(p, "open v1 from the list", chromedp.CSS(`#group-APPLIED_TECH a[href="`+v1+`"]`), 200, v1)
			p.wantRubricPage("v1", w.name, w.published)
			if p.exists("edit-rubric") {
				p.fatalf("#edit-rubric is shown on a published version")
			}

			// A new version opens in the editor as a draft copy.
			p.submit("make a new version", "new-version", 200, editor)
			if got := p.text("flash"); got != w.created {
				p.fatalf("#flash = %q, want %q", got, w.created)
			}
			if got := p.normalText("total"); got != w.total100 {
				p.fatalf("#total = %q, want %q", got, w.total100)
			}
			names := map[string]string{}
			for l, ww := range words {
				if got := p.value(ww.nameField); got != ww.name {
					p.fatalf("#%s in the new version = %q, want v1's %q", ww.nameField, got, ww.name)
				}
				names[l] = ww.name + ww.suffix
				p.replace(ww.nameField, names[l])
			}

			// A1 and A2 lose 2.5 points each: 22.5 + 22.5 + 25 + 10 + 15 = 95.
			// Their top levels end at the new maximum (22.5–22.5), so the
			// total is the only problem with the draft.
			for i := range 2 {
				p.replace(fmt.Sprintf("f-indicators.%d.max", i), "22.5")
				p.replace(p.topLevelMax(i), "22.5")
			}
			p.submit("save weights that add up to 95", "save-rubric", 400, editor)
			if got := p.lang(); got != lang {
				p.fatalf("refused save: <html lang> = %q, want %q", got, lang)
			}
			if got := p.text("e-indicators.total"); got != w.total95 {
				p.fatalf("#e-indicators.total = %q, want %q", got, w.total95)
			}
			if !p.inside("e-indicators.total", "total") {
				p.fatalf("#e-indicators.total is not inside #total, beside the total it is about")
			}
			if got := p.textCSS("#total strong"); got != "95" {
				p.fatalf("the total shown after the refused save = %q, want %q", got, "95")
			}
			if got := p.count("#rubric-form .error"); got != 1 {
				p.fatalf("%d field errors in the form, want 1 (the total's)", got)
			}
			if got := p.text("form-error"); got != w.formError {
				p.fatalf("#form-error = %q, want %q", got, w.formError)
			}
			for id, want := range map[string]string{"f-indicators.0.max": "22.5", p.topLevelMax(1): "22.5",
				"f-name.zh": names["zh-CN"], "f-name.en": names["en"]} {
				if got := p.value(id); got != want {
					p.fatalf("#%s after the refused save = %q, want the typed %q", id, got, want)
				}
			}
			p.keep("rubric-total-95-" + lang + ".png")

			// Nothing of the refused save reached the database: the draft's
			// own page, in a second tab with the same session, shows v1's
			// name and points.
			other := p.sibling()
			if resp := step(other, "open "+v3, chromedp.NavigateResponse(srv.url+v3)); resp.Status != 200 {
				other.fatalf("GET %s: status %d, want 200", v3, resp.Status)
			}
			other.wantRubricPage("v3", w.name, w.draft)
			other.wantPoints("A1", "25 "+w.pointsUnit)
			other.close()

			// Fix the weights in the form that came back, and save.
			for i := range 2 {
				p.replace(fmt.Sprintf("f-indicators.%d.max", i), "25")
				p.replace(p.topLevelMax(i), "25")
			}
			p.submit("save the fixed weights", "save-rubric", 200, v3)
			if got := p.text("flash"); got != w.saved {
				p.fatalf("#flash = %q, want %q", got, w.saved)
			}
			p.wantRubricPage("v3", names[lang], w.draft)
			p.wantPoints("A1", "25 "+w.pointsUnit)
			if !p.exists("edit-rubric") {
				p.fatalf("no #edit-rubric on the saved draft")
			}

			// Publishing asks first; saying no leaves the draft as it is.
			answered := p.answerDialog(false)
			step(p, "click #publish-rubric and say no", chromedp.Click(byID("publish-rubric")))
			if got := p.dialog(answered); got != w.confirm {
				p.fatalf("question before publishing = %q, want %q", got, w.confirm)
			}
			if got := p.path(); got != v3 {
				p.fatalf("after saying no: at %s, want %s", got, v3)
			}
			p.wantRubricPage("v3", names[lang], w.draft)

			answered = p.answerDialog(true)
			p.submit("publish", "publish-rubric", 200, v3)
			if got := p.dialog(answered); got != w.confirm {
				p.fatalf("question before publishing = %q, want %q", got, w.confirm)
			}
			if got := p.text("flash"); got != w.done {
				p.fatalf("#flash = %q, want %q", got, w.done)
			}
			p.wantRubricPage("v3", names[lang], w.published)
			for _, id := range []string{"edit-rubric", "publish-rubric"} {
				if p.exists(id) {
					p.fatalf("#%s is still shown on the published v3", id)
				}
			}
			if !p.exists("new-version") {
				p.fatalf("no #new-version on the published v3")
			}
			p.keep("rubric-published-" + lang + ".png")

			// The same page in the other language.
			p.submit("switch language", "lang-switch", 200, v3)
			if got := p.lang(); got != w.other {
				p.fatalf("after #lang-switch: <html lang> = %q, want %q", got, w.other)
			}
			p.wantRubricPage("v3", names[w.other], o.published)
			p.keep("rubric-published-" + lang + "-then-" + w.other + ".png")
		})
	}
}

// wantRubricPage checks the heading of a rubric's readable page: the name
// in the page's language, the version badge and the status badge.
func (p *tab) wantRubricPage(version, name, status string) {
	p.t.Helper()
	if got := p.text("rubric-version"); got != version {
		p.fatalf("#rubric-version = %q, want %q", got, version)
	}
	if got := p.text("rubric-status"); got != status {
		p.fatalf("#rubric-status = %q, want %q", got, status)
	}
	if got := p.text("rubric-name"); got != name {
		p.fatalf("#rubric-name = %q, want %q", got, name)
	}
}

// wantPoints checks the points an indicator's heading shows on the readable page.
func (p *tab) wantPoints(code, want string) {
	p.t.Helper()
	if got := p.text("points-" + code); got != want {
		p.fatalf("points of %s = %q, want %q", code, got, want)
	}
}

// topLevelMax is the id of the upper bound of an indicator's highest level
// in the editor; the editor numbers the levels from the lowest.
func (p *tab) topLevelMax(indicator int) string {
	p.t.Helper()
	prefix := fmt.Sprintf("f-indicators.%d.levels.", indicator)
	n := p.count(fmt.Sprintf(`[id^=%q][id$=".max"]`, prefix))
	if n < 3 {
		p.fatalf("indicator %d has %d levels in the editor, want 3 to 5", indicator, n)
	}
	return fmt.Sprintf("%s%d.max", prefix, n-1)
}

// replace replaces what a text field holds by selecting it and typing the
// value over it, as a user would. (chromedp.SetValue cannot empty a field:
// the empty string is left out of the call, so the field gets "undefined".)
func (p *tab) replace(id, value string) {
	p.t.Helper()
	step(p, "select the text of #"+id, chromedp.Evaluate[bool](fmt.Sprintf(
		"(e => { e.focus(); e.select(); return true })(document.getElementById(%q))", id)))
	p.fill(id, value)
	if got := p.value(id); got != value {
		p.fatalf("#%s = %q after typing, want %q", id, got, value)
	}
}

// inside reports whether the element with the id is inside the one with outer.
func (p *tab) inside(id, outer string) bool {
	p.t.Helper()
	return step(p, fmt.Sprintf("look for #%s in #%s", id, outer), chromedp.Evaluate[bool](fmt.Sprintf(
		"(o => o !== null && o.contains(document.getElementById(%q)))(document.getElementById(%q))", id, outer)))
}

// sibling opens a second tab in the same browser context, so with the same
// session and language, to look at a page without leaving this one.
func (p *tab) sibling() *tab {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		p.fatalf("open a second tab: %v", err)
	}
	s := &tab{t: p.t, ctx: ctx, srv: p.srv}
	p.t.Cleanup(cancel)
	return s
}

// close closes a tab that sibling opened, and waits until it is closed.
func (p *tab) close() {
	p.t.Helper()
	if err := chromedp.Cancel(p.ctx); err != nil {
		p.t.Fatalf("close the second tab: %v", err)
	}
}

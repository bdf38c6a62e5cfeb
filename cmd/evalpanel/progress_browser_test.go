package main

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestBrowserProgressOnAPhone: the agency's staff open the demo's scoring
// campaign's progress monitor from the dashboard on a phone-sized window
// (390 × 844): the page itself does not scroll sideways, each panel's
// matrix scrolls inside its card with the project column kept in view and
// every status readable, and a member's deadline is extended from the
// matrix, with a reason, and said so. The same page at desktop size is
// kept as a screenshot too.
func TestBrowserProgressOnAPhone(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startBrowserServer(t)
	browser := startBrowser(t, chromium)
	p := openTab(t, browser, srv)
	p.signIn("shtis-huang")
	p.keep("progress-dashboard.png")

	link := step(p, "find the progress link", chromedp.Evaluate[string](
		`(document.querySelector('a[id$="-progress"]') || {}).id || ""`))
	if link == "" {
		p.fatalf("the dashboard has no link to the scoring progress")
	}
	path := click(p, "open the scoring progress", byID(link), 200)
	if !regexp.MustCompile(`^/campaigns/\d+/progress$`).MatchString(path) {
		p.fatalf("the progress link led to %s", path)
	}
	p.keep("progress-desktop.png")

	step(p, "make the window phone-sized", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	step(p, "reload at phone size", chromedp.Reload())
	p.keep("progress-phone.png")
	if w := step(p, "measure the page", chromedp.Evaluate[int]("document.documentElement.scrollWidth")); w > 390 {
		p.fatalf("the page is %dpx wide on a 390px screen: it scrolls sideways", w)
	}
	// The first panel's matrix: wider than its card, scrolled inside it;
	// the project column stays in view when it is scrolled; the cells
	// are not squeezed below their text.
	type matrix struct {
		Wrap, Table, StickyLeft, CellOverflow int
		Statuses                              []string
	}
	const measure = `(() => {
		const wrap = document.querySelector('.matrix-wrap'), table = wrap.querySelector('table');
		wrap.scrollLeft = wrap.scrollWidth;
		const proj = table.querySelector('tbody th.proj'), cells = [...table.querySelectorAll('td.cell')];
		return {Wrap: wrap.clientWidth, Table: table.scrollWidth,
			StickyLeft: Math.round(proj.getBoundingClientRect().left - wrap.getBoundingClientRect().left),
			CellOverflow: cells.filter(c => c.scrollWidth > c.clientWidth + 1).length,
			Statuses: [...new Set(cells.map(c => c.dataset.status))]};
	})()`
	m := step(p, "measure the matrix", chromedp.Evaluate[matrix](measure))
	switch {
	case m.Wrap > 390:
		p.fatalf("the matrix's card is %dpx wide on a 390px screen", m.Wrap)
	case m.StickyLeft != 0:
		p.fatalf("scrolled to the right, the project column is %dpx from the card's edge, want 0 (kept in view)", m.StickyLeft)
	case m.CellOverflow > 0:
		p.fatalf("%d cells of the matrix are narrower than their text", m.CellOverflow)
	case len(m.Statuses) == 0:
		p.fatalf("the matrix has no cells")
	}
	p.keep("progress-phone-scrolled.png")

	// Extend a member's deadline from the matrix.
	if !step(p, "find a member's actions", chromedp.Evaluate[bool](`document.querySelector('th.member a.member-name') !== null`)) {
		p.fatalf("no member of the matrix offers their actions")
	}
	clickTo(p, "open a member's card", chromedp.CSS(`th.member a.member-name`), 200, path)
	step(p, "wait for the card", chromedp.WaitVisible(byID("extend-form")))
	p.keep("progress-phone-member.png")
	due := time.Now().In(evaluation.Beijing).AddDate(0, 0, 30)
	// A date input takes the date in the locale's order; set it directly.
	step(p, "set the date", chromedp.SetValue(byID("f-due"), due.Format(time.DateOnly)))
	p.fill("f-reason", "专家出差，经申请延长")
	p.submit("extend the deadline", "do-extend", 200, path)
	if got := p.text("flash"); !regexp.MustCompile(fmt.Sprintf(`截止日期已延长至 %s`, due.Format(time.DateOnly))).MatchString(got) {
		p.fatalf("#flash = %q, want the new deadline", got)
	}
	p.keep("progress-phone-extended.png")
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/evalpanel/evalpanel/evaluation/demo"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

// stepTimeout bounds one browser step (a navigation, a click that submits a
// form, a read); a broken page fails the test in seconds, not at go test's
// ten-minute limit.
const stepTimeout = 15 * time.Second

// TestBrowserJourney signs each demo role in and out through headless
// Chromium, in Chinese and in English, and checks that a wrong password is
// refused in both languages.
//
// The Chinese runs come first: choosing English on the sign-in page becomes
// the account's preference, so after an English run the same account would
// see English dashboards in a browser with no language cookie.
func TestBrowserJourney(t *testing.T) {
	chromium := chromiumPath(t)
	srv := startBrowserServer(t)
	browser := startBrowser(t, chromium)

	type account struct {
		username string
		name     string
		roles    map[string]string // language → translated role
		card     string            // id of the element only this role's dashboard has
	}
	accounts := []account{
		{"admin", "陈立群", map[string]string{"zh-CN": "系统管理员", "en": "Administrator"}, "stats"},
		{"commission", "王海燕", map[string]string{"zh-CN": "市科委", "en": "Commission"}, "stats"},
		{"sstpc-li", "李晓东", map[string]string{"zh-CN": "管理机构人员", "en": "Agency staff"}, "agency-card"},
		{"expert01", "顾建华", map[string]string{"zh-CN": "评审专家", "en": "Expert"}, "expert-card"},
	}
	hello := map[string]string{"zh-CN": "您好，", "en": "Hello, "}
	badLogin := map[string]string{"zh-CN": "用户名或密码错误。", "en": "Wrong username or password."}
	cards := []string{"stats", "agency-card", "expert-card"}

	for _, lang := range []string{"zh-CN", "en"} {
		for _, a := range accounts {
			t.Run(lang+"/"+a.username, func(t *testing.T) {
				p := openTab(t, browser, srv)
				p.openLogin(lang)

				p.fill("f-username", a.username)
				p.fill("f-password", demo.Password)
				p.submit("sign in", "login-submit", 200, "/")

				if got := p.lang(); got != lang {
					p.fatalf("dashboard <html lang> = %q, want %q", got, lang)
				}
				if got, want := p.text("who"), a.name+" · "+a.roles[lang]; got != want {
					p.fatalf("#who = %q, want %q", got, want)
				}
				if got, want := p.textCSS("main h1"), hello[lang]+a.name; got != want {
					p.fatalf("dashboard h1 = %q, want %q", got, want)
				}
				for _, id := range cards {
					if got, want := p.exists(id), id == a.card; got != want {
						p.fatalf("#%s on the %s dashboard: present = %v, want %v", id, a.username, got, want)
					}
				}
				p.keep(fmt.Sprintf("dashboard-%s-%s.png", a.username, lang))

				p.submit("sign out", "logout", 200, "/login")
				if p.exists("who") {
					p.fatalf("#who is still shown after signing out")
				}
				if !p.exists("login-submit") {
					p.fatalf("no #login-submit after signing out")
				}
				if got := p.lang(); got != lang {
					p.fatalf("sign-in page after signing out: <html lang> = %q, want %q", got, lang)
				}
			})
		}
	}

	for _, lang := range []string{"zh-CN", "en"} {
		t.Run("wrong-password/"+lang, func(t *testing.T) {
			p := openTab(t, browser, srv)
			p.openLogin(lang)

			p.fill("f-username", "admin")
			p.fill("f-password", demo.Password+"-wrong")
			p.submit("sign in with a wrong password", "login-submit", 401, "/login")

			if got, want := p.text("login-error"), badLogin[lang]; got != want {
				p.fatalf("#login-error = %q, want %q", got, want)
			}
			if got := p.lang(); got != lang {
				p.fatalf("<html lang> = %q, want %q", got, lang)
			}
			if p.exists("who") {
				p.fatalf("#who is shown after a wrong password")
			}
			if got := p.value("f-username"); got != "admin" {
				p.fatalf("#f-username = %q after a failed sign-in, want it kept as %q", got, "admin")
			}
			if got := p.value("f-password"); got != "" {
				p.fatalf("#f-password = %q after a failed sign-in, want it empty", got)
			}
		})
	}
}

// chromiumPath returns the Chromium to drive, or skips the test when there
// is none; with EVALPANEL_E2E=required (CI) a missing browser fails it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	const msg = "no Chromium (/usr/bin/chromium or chromium on PATH); install it with " +
		"apt-get install chromium fonts-wqy-microhei, see DEPENDENCIES.md"
	if os.Getenv("EVALPANEL_E2E") == "required" {
		t.Fatal(msg + " (EVALPANEL_E2E=required)")
	}
	t.Skip(msg)
	return ""
}

// browserServer is an evalpanel with the demo data, served on a free port,
// and what it logged (shown when a step fails).
type browserServer struct {
	url string
	log *syncBuffer
}

func startBrowserServer(t *testing.T) *browserServer {
	t.Helper()
	dir := t.TempDir()
	log := &syncBuffer{}
	s, err := startServer(t.Context(), serverConfig{Addr: "127.0.0.1:0", DB: filepath.Join(dir, "e.db"),
		DataDir: filepath.Join(dir, "data"), Demo: true, Password: password.Fast,
		Logger: slog.New(slog.NewTextHandler(log, nil)), Stdout: io.Discard})
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		if err := s.shutdown(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &browserServer{url: s.URL(), log: log}
}

// startBrowser starts one headless Chromium for the whole test and returns
// a context that holds it. The first run has no timeout: the browser lives
// as long as the context of that run.
func startBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	return ctx
}

// tab is one browser tab in its own browser context (its own cookie jar),
// so every subtest starts signed out and with no language cookie.
type tab struct {
	t   *testing.T
	ctx context.Context
	srv *browserServer
}

func openTab(t *testing.T, browser context.Context, srv *browserServer) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return &tab{t: t, ctx: ctx, srv: srv}
}

// step runs one browser action with stepTimeout, and fails the test when it fails.
func step[T any](p *tab, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.fatalf("%s: %v", what, err)
	}
	return v
}

// openLogin opens the sign-in page, which a fresh browser shows in Chinese,
// and switches to English with the top bar's button when lang is "en".
func (p *tab) openLogin(lang string) {
	p.t.Helper()
	resp := step(p, "open /login", chromedp.NavigateResponse(p.srv.url+"/login"))
	if resp.Status != 200 {
		p.fatalf("GET /login: status %d, want 200", resp.Status)
	}
	if got := p.lang(); got != "zh-CN" {
		p.fatalf("sign-in page in a fresh browser: <html lang> = %q, want %q", got, "zh-CN")
	}
	if got := p.text("lang-switch"); got != "English" {
		p.fatalf("#lang-switch on a Chinese page = %q, want %q", got, "English")
	}
	if lang == "zh-CN" {
		return
	}
	p.submit("switch to English", "lang-switch", 200, "/login")
	if got := p.lang(); got != "en" {
		p.fatalf("after #lang-switch: <html lang> = %q, want %q", got, "en")
	}
	if got := p.text("lang-switch"); got != "中文" {
		p.fatalf("#lang-switch on an English page = %q, want %q", got, "中文")
	}
}

// submit clicks a button that submits a form, waits for the page that
// follows (after redirects), and checks its status and path.
func (p *tab) submit(what, buttonID string, status int64, path string) {
	p.t.Helper()
	clickTo(p, what, byID(buttonID), status, path)
}

// clickTo clicks the element sel finds (a button or a link), waits for the
// page that follows (after redirects), and checks its status and path.
func clickTo[S chromedp.Selectable](p *tab, what string, sel S, status int64, path string) {
	p.t.Helper()
	if got := click(p, what, sel, status); got != path {
		p.fatalf("%s: at %s, want %s", what, got, path)
	}
}

// click clicks the element sel finds (a button or a link), waits for the
// page that follows (after redirects), checks its status and returns its
// path, for a page whose address holds an id the test learns only there.
func click[S chromedp.Selectable](p *tab, what string, sel S, status int64) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(sel))
	if err != nil {
		p.fatalf("%s (click %v): %v", what, sel, err)
	}
	if resp.Status != status {
		p.fatalf("%s: status %d, want %d", what, resp.Status, status)
	}
	return p.path()
}

// byID selects the element with the id. chromedp.ID hands "#"+id to
// querySelector as it is, so an id with CSS syntax in it, such as the rubric
// editor's "f-indicators.0.max", must be escaped first. (The ids of this app
// start with a letter, so a leading digit needs no care.)
func byID(id string) chromedp.ID {
	var b strings.Builder
	for _, r := range id {
		if !(r == '-' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r > 0x7f) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return chromedp.ID(b.String())
}

func (p *tab) fill(id, value string) {
	p.t.Helper()
	step(p, "type into #"+id, chromedp.SendKeys(byID(id), value))
}

func (p *tab) text(id string) string {
	p.t.Helper()
	return strings.TrimSpace(step(p, "read #"+id, chromedp.Text(byID(id))))
}

func (p *tab) textCSS(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(step(p, "read "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func (p *tab) value(id string) string {
	p.t.Helper()
	return step(p, "read the value of #"+id, chromedp.Value(byID(id)))
}

// exists reports at once whether the page has an element with the id; a
// query would wait for it to appear.
func (p *tab) exists(id string) bool {
	p.t.Helper()
	return step(p, "look for #"+id, chromedp.Evaluate[bool](fmt.Sprintf("document.getElementById(%q) !== null", id)))
}

// lang is the language the page says it is in.
func (p *tab) lang() string {
	p.t.Helper()
	return step(p, "read <html lang>", chromedp.Evaluate[string]("document.documentElement.lang"))
}

// path is the path of the current page, which must be on the test server.
func (p *tab) path() string {
	p.t.Helper()
	loc := step(p, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(loc, p.srv.url+"/") {
		p.fatalf("the browser is at %q, not on %s", loc, p.srv.url)
	}
	return u.Path
}

// keep saves a screenshot of the page for a human to review, when
// EVALPANEL_SCREENSHOTS names a folder.
func (p *tab) keep(name string) {
	p.t.Helper()
	dir := os.Getenv("EVALPANEL_SCREENSHOTS")
	if dir == "" {
		return
	}
	if path, err := p.screenshot(dir, name); err != nil {
		p.t.Errorf("screenshot %s: %v", name, err)
	} else {
		p.t.Logf("screenshot: %s", path)
	}
}

// fatalf ends the test with what a reader needs to see why: a screenshot,
// the page's address and text, and what the server logged.
func (p *tab) fatalf(format string, args ...any) {
	p.t.Helper()
	// Not t.TempDir: the go tool removes it before anyone can look.
	dir := os.Getenv("EVALPANEL_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "evalpanel-browser-"); err != nil {
			p.t.Logf("no folder for a screenshot: %v", err)
		}
	}
	name := "failed-" + strings.NewReplacer("/", "-", " ", "_").Replace(p.t.Name()) + ".png"
	if dir != "" {
		if path, err := p.screenshot(dir, name); err != nil {
			p.t.Logf("no screenshot: %v", err)
		} else {
			p.t.Logf("screenshot: %s", path)
		}
	}
	// A fresh timeout: the step that failed may have used up its own.
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		p.t.Logf("page: %s", loc)
	}
	if body, err := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''")); err == nil {
		p.t.Logf("page text:\n%s", body)
	}
	if log := p.srv.log.String(); log != "" {
		p.t.Logf("server log:\n%s", log)
	}
	p.t.Fatalf(format, args...)
}

func (p *tab) screenshot(dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	return path, os.WriteFile(path, png, 0o640)
}

// syncBuffer collects the server's log; the server writes from its own
// goroutines while a failing test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// normalText is the element's text with runs of white space made one space.
func (p *tab) normalText(id string) string {
	p.t.Helper()
	return strings.Join(strings.Fields(p.text(id)), " ")
}

// count is how many elements the CSS selector matches now (no waiting).
func (p *tab) count(sel string) int {
	p.t.Helper()
	return step(p, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
}

// dialogAnswer is what answerDialog saw: the dialog's message, or why it
// could not answer.
type dialogAnswer struct {
	message string
	err     error
}

// answerDialog answers the tab's next JavaScript dialog (app.js asks with
// window.confirm before a form with data-confirm is sent), accepting it or
// not, and reports its message on the channel. Call it before the click
// that opens the dialog: the click does not return until the dialog is
// answered, so a second goroutine answers it.
func (p *tab) answerDialog(accept bool) <-chan dialogAnswer {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	answered := make(chan dialogAnswer, 1)
	go func() {
		defer cancel()
		for ev, err := range dialogs {
			if err == nil {
				_, err = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
			}
			answered <- dialogAnswer{ev.Message, err}
			return
		}
	}()
	return answered
}

// dialog waits briefly for what answerDialog saw; the click that opened the
// dialog has returned, so the answer is on its way or there was no dialog.
func (p *tab) dialog(answered <-chan dialogAnswer) string {
	p.t.Helper()
	select {
	case a := <-answered:
		if a.err != nil {
			p.fatalf("answer the dialog: %v", a.err)
		}
		return a.message
	case <-time.After(2 * time.Second):
		p.fatalf("no dialog asked before the form was sent")
		return ""
	}
}

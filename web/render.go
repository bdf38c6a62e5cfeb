package web

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// page is what every template receives: the chrome (user, language,
// navigation, CSRF token, flash) and the page's own Data.
type page struct {
	tr *translator

	Title     string
	Lang      evaluation.Language
	OtherLang evaluation.Language
	User      *evaluation.User
	CSRF      string
	Path      string
	URL       string
	Nav       []navItem
	Flash     string
	Data      any
}

type navItem struct {
	Label  string
	Href   string
	Active bool
}

// T translates a message ID; templates call {{.T "id"}} or {{$.T "id"}}.
// Extra arguments are key, value pairs for the message's template.
func (p *page) T(id string, data ...any) string { return p.tr.T(p.Lang, id, data...) }

// Role returns the translated name of a role.
func (p *page) Role(r evaluation.Role) string { return p.T("role." + string(r)) }

// ExpertType returns the translated name of an expert type.
func (p *page) ExpertType(t evaluation.ExpertType) string { return p.T("expert_type." + string(t)) }

// Languages names an expert's working languages (language tags such as
// "zh" or "en") in the page's language: 中文、英语, or Chinese, English.
func (p *page) Languages(tags []string) string {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = languageName(p.Lang, t)
	}
	if p.Lang == evaluation.LangEN {
		return strings.Join(names, ", ")
	}
	return strings.Join(names, "、")
}

// languageName names a language tag in lang, or returns the tag when it
// names no language known to golang.org/x/text.
func languageName(lang evaluation.Language, tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	namer := display.Tags(language.SimplifiedChinese)
	if lang == evaluation.LangEN {
		namer = display.Tags(language.English)
	}
	if s := namer.Name(t); s != "" {
		return s
	}
	return tag
}

// Quota names a panel quota: the default quotas have translated names,
// others show as named in the campaign's settings.
func (p *page) Quota(name string) string {
	id := "quota." + name
	if s := p.T(id); s != id {
		return s
	}
	return name
}

// SoftRule says which soft rule a manual change breaks: no subject match,
// or a soft quota.
func (p *page) SoftRule(name string) string {
	if name == "subject" {
		return p.T("soft.subject")
	}
	return p.T("soft.quota", "Quota", p.Quota(name))
}

// ReasonDetail says what a conflict or eligibility reason matched, in the
// page's language, from the reason's key and values; reasons without a key
// show their neutral detail.
func (p *page) ReasonDetail(r assign.Reason) string {
	if r.Key == "" {
		return r.Detail
	}
	data := make([]any, 0, 2*len(r.Args))
	for k, v := range r.Args {
		switch {
		case k == "role":
			v = p.T("project_role." + v)
		case k == "what":
			v = p.T("record_kind." + v)
		case k == "year" && v == "0":
			v = p.T("reason.undated")
		case k == "type":
			v = p.ExpertType(evaluation.ExpertType(v))
		case k == "seat":
			v = p.T("seat." + v)
		case k == "status":
			v = p.T("member_status." + v)
		}
		data = append(data, k, v)
	}
	return p.T("reason_detail."+r.Key, data...)
}

// L returns a bilingual text in the page's language.
func (p *page) L(t rubrics.Text) string { return t.In(string(p.Lang)) }

// Time formats a time in China Standard Time, the commission's zone.
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(evaluation.Beijing).Format("2006-01-02 15:04")
}

// T translates for the request's language.
func (a *App) T(c *fiber.Ctx, id string, data ...any) string { return a.tr.T(langOf(c), id, data...) }

// navFor lists the navigation of a role. The links shown are the pages the
// role may open; rbac still checks every request.
func (a *App) navFor(c *fiber.Ctx, u *evaluation.User) []navItem {
	if u == nil {
		return nil
	}
	type entry struct{ id, href string }
	items := []entry{{"nav.dashboard", "/"}}
	switch u.Role {
	case evaluation.RoleAdmin:
		items = append(items, entry{"nav.campaigns", "/campaigns"}, entry{"nav.users", "/users"}, entry{"nav.agencies", "/agencies"},
			entry{"nav.experts", "/experts"}, entry{"nav.audit", "/audit"}, entry{"nav.outbox", "/outbox"})
	case evaluation.RoleCommission:
		items = append(items, entry{"nav.campaigns", "/campaigns"}, entry{"nav.agencies", "/agencies"},
			entry{"nav.experts", "/experts"}, entry{"nav.audit", "/audit"})
	case evaluation.RoleAgencyStaff:
		items = append(items, entry{"nav.campaigns", "/campaigns"}, entry{"nav.experts", "/experts"}, entry{"nav.audit", "/audit"},
			entry{"nav.outbox", "/outbox"})
	case evaluation.RoleExpert:
		if u.ExpertID != 0 {
			items = append(items, entry{"nav.my_expert_profile", "/experts/" + strconv.FormatInt(u.ExpertID, 10)})
		}
	}
	items = append(items, entry{"nav.rubrics", "/rubrics"}, entry{"nav.profile", "/profile"})
	path := c.Path()
	nav := make([]navItem, len(items))
	for i, e := range items {
		active := path == e.href || (e.href != "/" && strings.HasPrefix(path, e.href+"/")) ||
			(e.href == "/" && strings.HasPrefix(path, "/workspace/")) // an expert's workspace belongs to their home
		nav[i] = navItem{Label: a.T(c, e.id), Href: e.href, Active: active}
	}
	return nav
}

// render renders a page template inside the main layout.
func (a *App) render(c *fiber.Ctx, name, title string, data any) error {
	p := a.newPage(c, title, data)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Render(name, p)
}

// renderRefusedForm renders a page again after its form was refused. A
// form posted from a page that no longer offers it (the campaign moved
// on, another user acted first, a page left open) would take its messages
// with it: when the page comes out without the form's element (formID),
// it is rendered once more with the messages in *lost, which the page
// shows at its top.
func (a *App) renderRefusedForm(c *fiber.Ctx, name, title string, data any, formID string, lost *[]string, messages []string) error {
	p := a.newPage(c, title, data)
	c.Set(fiber.HeaderCacheControl, "no-store")
	if err := c.Render(name, p); err != nil {
		return err
	}
	if bytes.Contains(c.Response().Body(), []byte(`id="`+formID+`"`)) {
		return nil
	}
	*lost = messages
	return c.Render(name, p)
}

// refusalLines are a refusal's message and its field messages, in the
// fields' order, for showing together.
func refusalLines(message string, fields map[string]string) []string {
	lines := []string{message}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		lines = append(lines, fields[k])
	}
	return lines
}

func (a *App) newPage(c *fiber.Ctx, title string, data any) *page {
	lang := langOf(c)
	other := evaluation.LangEN
	if lang == evaluation.LangEN {
		other = evaluation.LangZH
	}
	token, _ := c.Locals(localCSRF).(string)
	u := currentUser(c)
	return &page{tr: a.tr, Title: title, Lang: lang, OtherLang: other, User: u, CSRF: token,
		Path: c.Path(), URL: c.OriginalURL(), Nav: a.navFor(c, u), Flash: a.takeFlash(c), Data: data}
}

// flash stores a one-time message shown on the next page (post/redirect/get).
func (a *App) flash(c *fiber.Ctx, id string) {
	sess, err := a.sessions.Get(c)
	if err != nil {
		a.log.Warn("flash", "err", err)
		return
	}
	sess.Set("flash", id)
	if err := sess.Save(); err != nil {
		a.log.Warn("flash", "err", err)
	}
}

func (a *App) takeFlash(c *fiber.Ctx) string {
	if c.Method() != fiber.MethodGet || currentUser(c) == nil {
		return ""
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return ""
	}
	id, _ := sess.Get("flash").(string)
	if id == "" {
		return ""
	}
	sess.Delete("flash")
	if err := sess.Save(); err != nil {
		a.log.Warn("flash", "err", err)
	}
	return a.T(c, id)
}

// templateFuncs are available in every template.
var templateFuncs = template.FuncMap{
	"join": strings.Join,
	// yes reads an optional yes or no: a template's if takes any pointer
	// that is not nil as true, false included.
	"yes":  func(b *bool) bool { return b != nil && *b },
	"list": func(v ...string) []string { return v },
	// wan prints fen as 万元; num prints an optional number.
	"wan": wan,
	"num": func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	},
	// opt prints optional points, blank when unset.
	"opt": func(p *rubrics.Points) string {
		if p == nil {
			return ""
		}
		return p.String()
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i + 1
		}
		return s
	},
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// pager describes a page of a list for the pagination and sorting links.
type pager struct {
	Page, Size, Total, Pages int
	First, Last              int // 1-based rows shown
	Sort                     string
	query                    url.Values
}

func newPager(c *fiber.Ctx, p evaluation.Page, total int, sort string) *pager {
	p = p.Normalize()
	pages := int(math.Ceil(float64(total) / float64(p.Size)))
	if pages < 1 {
		pages = 1
	}
	q := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	first := p.Offset() + 1
	last := p.Offset() + p.Size
	if last > total {
		last = total
	}
	if total == 0 {
		first = 0
	}
	return &pager{Page: p.Number, Size: p.Size, Total: total, Pages: pages, First: first, Last: last, Sort: sort, query: q}
}

// PageURL is the list's URL on page n, keeping the filters and sort.
func (pg *pager) PageURL(n int) string {
	q := cloneValues(pg.query)
	q.Set("page", strconv.Itoa(n))
	return "?" + q.Encode()
}

// SortURL sorts by key, toggling the direction when already sorted by it,
// and goes back to page 1.
func (pg *pager) SortURL(key string) string {
	q := cloneValues(pg.query)
	q.Del("page")
	if pg.Sort == key {
		q.Set("sort", "-"+key)
	} else {
		q.Set("sort", key)
	}
	return "?" + q.Encode()
}

// SortMark is ▲ or ▼ next to the sorted column.
func (pg *pager) SortMark(key string) string {
	switch pg.Sort {
	case key:
		return "▲"
	case "-" + key:
		return "▼"
	}
	return ""
}

// Near lists the page numbers around the current one for the links.
func (pg *pager) Near() []int {
	var out []int
	for n := pg.Page - 2; n <= pg.Page+2; n++ {
		if n >= 1 && n <= pg.Pages {
			out = append(out, n)
		}
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// localPath keeps a redirect target on this site: it returns next when it
// is a path of this site and "/" otherwise. It parses next rather than
// checking its prefix, and refuses outright, rather than cleans, anything
// a browser reads differently from a parser: browsers drop tabs and
// newlines from a URL and read a backslash as a slash, so a tab or a
// backslash between two slashes makes "//evil.example", another site.
func localPath(next string) string {
	odd := func(r rune) bool {
		return r <= ' ' || r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) || r == utf8.RuneError
	}
	if next == "" || strings.ContainsFunc(next, odd) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.EscapedPath(), "//") {
		return "/"
	}
	return next
}

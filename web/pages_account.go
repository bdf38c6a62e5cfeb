package web

import (
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

func (a *App) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (a *App) readyz(c *fiber.Ctx) error {
	if err := a.cfg.Services.Ready(c.UserContext()); err != nil {
		a.log.Error("readiness", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

type loginForm struct {
	Username string `json:"username" form:"username" validate:"required,max=64"`
	Password string `json:"password" form:"password" validate:"required,max=128"`
	Next     string `json:"-" form:"next"`
}

type loginData struct {
	Form   loginForm
	Error  string
	Fields map[string]string
}

func (a *App) loginPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect(localPath(c.Query("next")))
	}
	return a.render(c, "login", a.T(c, "login.title"), loginData{Form: loginForm{Next: localPath(c.Query("next"))}})
}

func (a *App) loginSubmit(c *fiber.Ctx) error {
	var f loginForm
	if err := c.BodyParser(&f); err != nil {
		return evaluation.Errorf(evaluation.Invalid, "error.invalid_input")
	}
	f.Next = localPath(f.Next)
	fail := func(status int, msg string, fields map[string]string) error {
		f.Password = ""
		c.Status(status)
		return a.render(c, "login", a.T(c, "login.title"), loginData{Form: f, Error: msg, Fields: fields})
	}
	if err := a.check(&f); err != nil {
		fields, msg, _ := a.formProblems(c, err)
		return fail(fiber.StatusBadRequest, msg, fields)
	}
	key := limiterKey(f.Username, c.IP())
	if err := a.limited(c, key); err != nil {
		return fail(fiber.StatusTooManyRequests, a.T(c, "error.too_many_logins"), nil)
	}
	var u *evaluation.User
	err := a.hashing(c, func() (err error) {
		u, err = a.accounts.Login(c.UserContext(), f.Username, f.Password, loginMeta(c, "web"))
		return err
	})
	if evaluation.ErrorCode(err) == evaluation.Unavailable {
		a.limiter.release(c.UserContext(), key)
		return fail(fiber.StatusServiceUnavailable, a.T(c, "error.busy"), nil)
	}
	if evaluation.ErrorCode(err) == evaluation.Unauthenticated {
		a.log.Warn("failed login", "username", f.Username, "ip", c.IP())
		return fail(fiber.StatusUnauthorized, a.T(c, "error.bad_login"), nil)
	}
	if err != nil {
		return err
	}
	a.limiter.succeed(c.UserContext(), key)
	// A language chosen on the sign-in page becomes the user's preference.
	if l, ok := evaluation.ParseLanguage(c.Cookies(langCookie)); ok && l != u.Language {
		if err := a.accounts.SetLanguage(c.UserContext(), u.Actor(), l); err != nil {
			return err
		}
	}
	if err := a.startSession(c, u); err != nil {
		return err
	}
	if err := rotateCSRF(c); err != nil {
		return err
	}
	return c.Redirect(f.Next, fiber.StatusSeeOther)
}

func (a *App) logout(c *fiber.Ctx) error {
	if err := a.accounts.Logout(c.UserContext(), actor(c), loginMeta(c, "web")); err != nil {
		return err
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Destroy(); err != nil {
		return err
	}
	if err := rotateCSRF(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// switchLanguage sets the interface language for this browser and, when
// someone is signed in, remembers it for their account.
func (a *App) switchLanguage(c *fiber.Ctx) error {
	lang, ok := evaluation.ParseLanguage(c.FormValue("lang"))
	if !ok || !lang.Valid() {
		return evaluation.FieldErrors{"lang": "error.language_invalid"}.Err()
	}
	if u := currentUser(c); u != nil {
		if err := a.accounts.SetLanguage(c.UserContext(), u.Actor(), lang); err != nil {
			return err
		}
	}
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: string(lang), Path: "/", HTTPOnly: true, SameSite: "Lax",
		Secure: a.cfg.SecureCookies, Expires: time.Now().AddDate(1, 0, 0)})
	return c.Redirect(localPath(c.FormValue("next")), fiber.StatusSeeOther)
}

type dashboardData struct {
	Invitations   []evaluation.Invitation
	DeclineMember int64
	DeclineFields map[string]string
	Counts        *evaluation.Counts
	Agency        *evaluation.Agency
	Expert        *evaluation.Expert
	Recent        []auditRow
	RoleCounts    []roleCount
	TypeCounts    []typeCount
	// Campaigns are the campaigns the agency's staff run, or every
	// agency's for the commission, with what needs doing next.
	Campaigns []campaignCard
	// An expert's invitations waiting for an answer, those answered, and
	// the projects to score.
	OpenInvitations, AnsweredInvitations []evaluation.Invitation
	Work                                 *expertWork
}

// roleCount and typeCount are rows of the dashboard's bar charts; Pct is
// the bar's length relative to the longest.
type roleCount struct {
	Role  evaluation.Role
	Count int
	Pct   int
}

type typeCount struct {
	Type  evaluation.ExpertType
	Count int
	Pct   int
}

func pct(n, max int) int {
	if max <= 0 {
		return 0
	}
	return n * 100 / max
}

func (a *App) dashboard(c *fiber.Ctx) error { return a.dashboardWith(c, dashboardData{}) }

func (a *App) dashboardWith(c *fiber.Ctx, d dashboardData) error {
	ctx, u := c.UserContext(), currentUser(c)
	switch u.Role {
	case evaluation.RoleAdmin, evaluation.RoleCommission:
		if u.Role == evaluation.RoleCommission {
			var err error
			if d.Campaigns, err = a.campaignCards(c); err != nil {
				return err
			}
		}
		counts, err := a.accounts.Counts(ctx, u.Actor())
		if err != nil {
			return err
		}
		d.Counts = &counts
		maxRole, maxType := 0, 0
		for _, n := range counts.UsersByRole {
			maxRole = max(maxRole, n)
		}
		for _, n := range counts.ExpertsByType {
			maxType = max(maxType, n)
		}
		for _, r := range evaluation.Roles {
			n := counts.UsersByRole[r]
			d.RoleCounts = append(d.RoleCounts, roleCount{r, n, pct(n, maxRole)})
		}
		for _, t := range evaluation.ExpertTypes {
			n := counts.ExpertsByType[t]
			d.TypeCounts = append(d.TypeCounts, typeCount{t, n, pct(n, maxType)})
		}
		if d.Recent, err = a.recentActivity(c); err != nil {
			return err
		}
	case evaluation.RoleAgencyStaff:
		ag, err := a.accounts.Agency(ctx, u.Actor(), u.AgencyID)
		if err != nil {
			return err
		}
		d.Agency = ag
		if d.Campaigns, err = a.campaignCards(c); err != nil {
			return err
		}
		if d.Recent, err = a.recentActivity(c); err != nil {
			return err
		}
	case evaluation.RoleExpert:
		if u.ExpertID != 0 {
			e, err := a.pool.Expert(ctx, u.Actor(), u.ExpertID)
			if err != nil {
				return err
			}
			d.Expert = e
		}
		var err error
		if d.Invitations, err = a.panels.Invitations(ctx, u.Actor()); err != nil {
			return err
		}
		for _, inv := range d.Invitations {
			if inv.Member.Status == evaluation.MemberInvited {
				d.OpenInvitations = append(d.OpenInvitations, inv)
			} else {
				d.AnsweredInvitations = append(d.AnsweredInvitations, inv)
			}
		}
		if d.Work, err = a.expertWork(c); err != nil {
			return err
		}
	}
	return a.render(c, "dashboard", a.T(c, "nav.dashboard"), d)
}

// recentActivity is the newest entries of the audit log the user may read,
// other than those of sessions.
func (a *App) recentActivity(c *fiber.Ctx) ([]auditRow, error) {
	const shown = 8
	list, _, err := a.accounts.AuditLog(c.UserContext(), actor(c), evaluation.AuditFilter{Page: evaluation.Page{Size: 5 * shown}})
	if err != nil {
		return nil, err
	}
	// Signing in and out and switching language would crowd out the work
	// itself; the full log still has them.
	work := list[:0]
	for _, e := range list {
		if !sessionActions[e.Action] && len(work) < shown {
			work = append(work, e)
		}
	}
	return a.auditRows(c, work)
}

// sessionActions are the audit actions of a user's session, left out of
// the dashboard's recent activity.
var sessionActions = map[string]bool{"user.login": true, "user.logout": true, "user.language": true}

type profileData struct {
	Agency   *evaluation.Agency
	Expert   *evaluation.Expert
	Tokens   []*evaluation.APIToken
	NewToken string
	Fields   map[string]string
	Error    string
	Now      time.Time
}

func (a *App) profile(c *fiber.Ctx, d profileData) error {
	ctx, u := c.UserContext(), currentUser(c)
	var err error
	if u.AgencyID != 0 {
		if d.Agency, err = a.accounts.Agency(ctx, u.Actor(), u.AgencyID); err != nil {
			return err
		}
	}
	if u.ExpertID != 0 {
		if d.Expert, err = a.pool.Expert(ctx, u.Actor(), u.ExpertID); err != nil {
			return err
		}
	}
	if d.Tokens, err = a.accounts.Tokens(ctx, u.Actor()); err != nil {
		return err
	}
	d.Now = a.cfg.Now()
	return a.render(c, "profile", a.T(c, "nav.profile"), d)
}

func (a *App) profilePage(c *fiber.Ctx) error { return a.profile(c, profileData{}) }

type passwordForm struct {
	Current  string `json:"current_password" form:"current_password" validate:"required,max=128"`
	Password string `json:"password" form:"password" validate:"required,password"`
	Confirm  string `json:"confirm" form:"confirm" validate:"eqfield=Password"`
}

func (a *App) profilePassword(c *fiber.Ctx) error {
	var f passwordForm
	err := a.parseForm(c, &f)
	if err == nil {
		err = a.changePassword(c, f.Current, f.Password)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.profile(c, profileData{Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "profile.password_changed")
	// Every other session has ended; this one goes on (under a new id, so
	// after the flash is in it).
	if err := a.renewSession(c); err != nil {
		return err
	}
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

// changePassword changes the signed-in user's password. Guesses at the
// current password count against the user as sign-ins do; an answer about
// anything else means the current password was right.
func (a *App) changePassword(c *fiber.Ctx, current, password string) error {
	key := passwordKey(actor(c).UserID)
	if err := a.limited(c, key); err != nil {
		return err
	}
	err := a.hashing(c, func() error { return a.accounts.ChangePassword(c.UserContext(), actor(c), current, password) })
	if evaluation.ErrorCode(err) == evaluation.Unavailable {
		a.limiter.release(c.UserContext(), key)
	}
	if e := evaluation.ErrorAs(err); err == nil || (e != nil && e.Code == evaluation.Invalid && e.Fields["current_password"] == "") {
		a.limiter.succeed(c.UserContext(), key)
	}
	return err
}

type tokenForm struct {
	Name string `json:"name" form:"name" validate:"max=64"`
}

func (a *App) profileCreateToken(c *fiber.Ctx) error {
	var f tokenForm
	err := a.parseForm(c, &f)
	var secret string
	if err == nil {
		secret, _, err = a.accounts.CreateToken(c.UserContext(), actor(c), f.Name, loginMeta(c, "web"))
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.profile(c, profileData{Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	// The secret is shown once, on this response; it is never stored.
	return a.profile(c, profileData{NewToken: secret})
}

func (a *App) revokeTokenForm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.accounts.RevokeToken(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	a.flash(c, "token.revoked")
	return c.Redirect(localPath(c.FormValue("next", "/profile")), fiber.StatusSeeOther)
}

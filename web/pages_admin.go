package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// userFilter reads the users list's filters from the query (UI and API). A
// value that does not parse or names nothing is refused, not ignored.
func userFilter(c *fiber.Ctx) (evaluation.UserFilter, error) {
	bad := evaluation.FieldErrors{}
	f := evaluation.UserFilter{
		Query:    strings.TrimSpace(c.Query("q")),
		Role:     evaluation.Role(c.Query("role")),
		AgencyID: int64(queryInt(c, bad, "agency")),
		Sort:     c.Query("sort", "username"),
		Page:     pageParams(c, bad),
	}
	switch c.Query("status") {
	case "":
	case "active":
		f.Disabled = new(bool)
	case "disabled":
		t := true
		f.Disabled = &t
	default:
		bad.Add("status", "error.status_filter")
	}
	return f, filterError(bad, &f)
}

type usersData struct {
	Users    []*evaluation.User
	Agencies []*evaluation.Agency
	Pager    *pager
	Filter   evaluation.UserFilter
	Status   string
	Roles    []evaluation.Role
}

func (a *App) usersPage(c *fiber.Ctx) error {
	ctx, act := c.UserContext(), actor(c)
	f, err := userFilter(c)
	if err != nil {
		return err
	}
	users, total, err := a.accounts.Users(ctx, act, f)
	if err != nil {
		return err
	}
	agencies, err := a.accounts.Agencies(ctx, act)
	if err != nil {
		return err
	}
	return a.render(c, "users", a.T(c, "nav.users"), usersData{Users: users, Agencies: agencies,
		Pager: newPager(c, f.Page, total, f.Sort), Filter: f, Status: c.Query("status"), Roles: evaluation.Roles})
}

type userForm struct {
	Username string `json:"username" form:"username" validate:"required,min=3,max=32"`
	Name     string `json:"name" form:"name" validate:"required,max=64"`
	Email    string `json:"email" form:"email" validate:"max=254"`
	Role     string `json:"role" form:"role" validate:"required,role"`
	Agency   string `json:"agency" form:"agency" validate:"max=20"`
	ExpertID int64  `json:"expert_id" form:"expert_id" validate:"gte=0"`
	Language string `json:"language" form:"language" validate:"omitempty,language"`
	Password string `json:"password" form:"password" validate:"required,password"`
}

func (f *userForm) newUser() evaluation.NewUser {
	return evaluation.NewUser{Username: f.Username, Name: f.Name, Email: f.Email, Role: evaluation.Role(f.Role), AgencyCode: f.Agency,
		ExpertID: f.ExpertID, Language: evaluation.Language(f.Language), Password: f.Password}
}

type userFormData struct {
	Form     userForm
	User     *evaluation.User
	Tokens   []*evaluation.APIToken
	Agencies []*evaluation.Agency
	Roles    []evaluation.Role
	Fields   map[string]string
	Error    string
	Section  string // which form on the page the error belongs to
	Now      time.Time
	// Expert is the pool profile of an expert's account.
	Expert *evaluation.Expert
}

func (a *App) userFormPage(c *fiber.Ctx, name string, d userFormData) error {
	agencies, err := a.accounts.Agencies(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	d.Agencies, d.Roles, d.Now = agencies, evaluation.Roles, a.cfg.Now()
	title := a.T(c, "users.new")
	if d.User != nil {
		title = d.User.Name
		if d.Tokens, err = a.accounts.UserTokens(c.UserContext(), actor(c), d.User.ID); err != nil {
			return err
		}
		if d.User.ExpertID != 0 {
			if d.Expert, err = a.pool.Expert(c.UserContext(), actor(c), d.User.ExpertID); err != nil {
				return err
			}
		}
	}
	return a.render(c, name, title, d)
}

func (a *App) userNewPage(c *fiber.Ctx) error {
	return a.userFormPage(c, "user_new", userFormData{Form: userForm{Role: string(evaluation.RoleExpert), Language: string(evaluation.LangZH)}})
}

func (a *App) userCreate(c *fiber.Ctx) error {
	var f userForm
	err := a.parseForm(c, &f)
	var u *evaluation.User
	if err == nil {
		u, err = a.accounts.CreateUser(c.UserContext(), actor(c), f.newUser())
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		f.Password = ""
		c.Status(fiber.StatusBadRequest)
		return a.userFormPage(c, "user_new", userFormData{Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "users.created")
	return c.Redirect("/users/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}

func (a *App) loadUser(c *fiber.Ctx) (*evaluation.User, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return a.accounts.User(c.UserContext(), actor(c), id)
}

func (a *App) userPage(c *fiber.Ctx) error {
	u, err := a.loadUser(c)
	if err != nil {
		return err
	}
	return a.userFormPage(c, "user", userFormData{User: u, Form: userForm{Name: u.Name, Email: u.Email, Role: string(u.Role),
		Agency: u.AgencyCode, Language: string(u.Language)}})
}

type userEditForm struct {
	Name     string `json:"name" form:"name" validate:"required,max=64"`
	Email    string `json:"email" form:"email" validate:"max=254"`
	Role     string `json:"role" form:"role" validate:"required,role"`
	Agency   string `json:"agency" form:"agency" validate:"max=20"`
	Language string `json:"language" form:"language" validate:"required,language"`
}

func (a *App) userUpdate(c *fiber.Ctx) error {
	u, err := a.loadUser(c)
	if err != nil {
		return err
	}
	var f userEditForm
	err = a.parseForm(c, &f)
	if err == nil {
		role, lang := evaluation.Role(f.Role), evaluation.Language(f.Language)
		_, err = a.accounts.UpdateUser(c.UserContext(), actor(c), u.ID, evaluation.UserUpdate{Name: &f.Name, Email: &f.Email, Role: &role,
			AgencyCode: &f.Agency, Language: &lang})
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.userFormPage(c, "user", userFormData{User: u, Form: userForm{Name: f.Name, Email: f.Email, Role: f.Role,
			Agency: f.Agency, Language: f.Language}, Fields: fields, Error: msg, Section: "edit"})
	}
	if err != nil {
		return err
	}
	a.flash(c, "users.updated")
	return c.Redirect("/users/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}

type resetForm struct {
	Password string `json:"password" form:"password" validate:"required,password"`
}

func (a *App) userResetPassword(c *fiber.Ctx) error {
	u, err := a.loadUser(c)
	if err != nil {
		return err
	}
	var f resetForm
	err = a.parseForm(c, &f)
	if err == nil {
		err = a.accounts.ResetPassword(c.UserContext(), actor(c), u.ID, f.Password)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.userFormPage(c, "user", userFormData{User: u, Form: userForm{Name: u.Name, Email: u.Email, Role: string(u.Role),
			Agency: u.AgencyCode, Language: string(u.Language)}, Fields: fields, Error: msg, Section: "password"})
	}
	if err != nil {
		return err
	}
	a.flash(c, "users.password_reset")
	if u.ID == actor(c).UserID {
		if err := a.renewSession(c); err != nil {
			return err
		}
	}
	return c.Redirect("/users/"+strconv.FormatInt(u.ID, 10), fiber.StatusSeeOther)
}

func (a *App) userDisable(c *fiber.Ctx) error { return a.userSetDisabled(c, true) }
func (a *App) userEnable(c *fiber.Ctx) error  { return a.userSetDisabled(c, false) }

func (a *App) userSetDisabled(c *fiber.Ctx, disabled bool) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.accounts.UpdateUser(c.UserContext(), actor(c), id, evaluation.UserUpdate{Disabled: &disabled}); err != nil {
		return err
	}
	if disabled {
		a.flash(c, "users.disabled_done")
	} else {
		a.flash(c, "users.enabled_done")
	}
	return c.Redirect("/users/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

type agencyForm struct {
	Code   string `json:"code" form:"code" validate:"required,max=20"`
	NameZH string `json:"name_zh" form:"name_zh" validate:"required,max=128"`
	NameEN string `json:"name_en" form:"name_en" validate:"required,max=128"`
}

// agencyStaffShown is how many staff accounts an agency's page lists.
const agencyStaffShown = 20

type agencyData struct {
	Agencies []*evaluation.Agency
	Agency   *evaluation.Agency
	// Staff are the first agencyStaffShown of the agency's StaffTotal
	// accounts; the page links to the users list for all of them.
	Staff      []*evaluation.User
	StaffTotal int
	Form       agencyForm
	Fields     map[string]string
	Error      string
}

func (a *App) agenciesPage(c *fiber.Ctx) error {
	list, err := a.accounts.Agencies(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return a.render(c, "agencies", a.T(c, "nav.agencies"), agencyData{Agencies: list})
}

func (a *App) agencyNewPage(c *fiber.Ctx) error {
	return a.render(c, "agency_new", a.T(c, "agencies.new"), agencyData{})
}

func (a *App) agencyCreate(c *fiber.Ctx) error {
	var f agencyForm
	err := a.parseForm(c, &f)
	var ag *evaluation.Agency
	if err == nil {
		ag, err = a.accounts.CreateAgency(c.UserContext(), actor(c), evaluation.NewAgency{Code: f.Code, NameZH: f.NameZH, NameEN: f.NameEN})
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.render(c, "agency_new", a.T(c, "agencies.new"), agencyData{Form: f, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "agencies.created")
	return c.Redirect("/agencies/"+strconv.FormatInt(ag.ID, 10), fiber.StatusSeeOther)
}

func (a *App) agencyPage(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return a.showAgency(c, id, agencyData{})
}

func (a *App) showAgency(c *fiber.Ctx, id int64, d agencyData) error {
	ctx, act := c.UserContext(), actor(c)
	ag, err := a.accounts.Agency(ctx, act, id)
	if err != nil {
		return err
	}
	d.Agency = ag
	if d.Fields == nil {
		d.Form = agencyForm{NameZH: ag.NameZH, NameEN: ag.NameEN}
	}
	d.Form.Code = ag.Code
	if act.IsAdmin() {
		if d.Staff, d.StaffTotal, err = a.accounts.Users(ctx, act, evaluation.UserFilter{AgencyID: ag.ID, Sort: "name",
			Page: evaluation.Page{Size: agencyStaffShown}}); err != nil {
			return err
		}
	}
	return a.render(c, "agency", ag.Name(langOf(c)), d)
}

type agencyEditForm struct {
	NameZH   string `json:"name_zh" form:"name_zh" validate:"required,max=128"`
	NameEN   string `json:"name_en" form:"name_en" validate:"required,max=128"`
	Disabled string `json:"disabled" form:"disabled" validate:"omitempty,oneof=0 1"`
}

func (a *App) agencyUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var f agencyEditForm
	err = a.parseForm(c, &f)
	if err == nil {
		up := evaluation.AgencyUpdate{NameZH: &f.NameZH, NameEN: &f.NameEN}
		if f.Disabled != "" {
			d := f.Disabled == "1"
			up.Disabled = &d
		}
		_, err = a.accounts.UpdateAgency(c.UserContext(), actor(c), id, up)
	}
	if fields, msg, ok := a.formProblems(c, err); ok {
		c.Status(fiber.StatusBadRequest)
		return a.showAgency(c, id, agencyData{Form: agencyForm{NameZH: f.NameZH, NameEN: f.NameEN}, Fields: fields, Error: msg})
	}
	if err != nil {
		return err
	}
	a.flash(c, "agencies.updated")
	return c.Redirect("/agencies/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

type auditData struct {
	Entries     []auditRow
	Pager       *pager
	Filter      evaluation.AuditFilter
	ObjectTypes []string
	Actions     []auditDetail // the filter's actions: their names and values
}

// auditFilter reads the audit log's filters from the query (UI and API).
func auditFilter(c *fiber.Ctx) (evaluation.AuditFilter, error) {
	bad := evaluation.FieldErrors{}
	f := evaluation.AuditFilter{Action: strings.TrimSpace(c.Query("action")),
		ObjectType: strings.TrimSpace(c.Query("object_type")), ObjectID: strings.TrimSpace(c.Query("object_id")),
		Page: pageParams(c, bad)}
	return f, filterError(bad, &f)
}

func (a *App) auditPage(c *fiber.Ctx) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	list, total, err := a.accounts.AuditLog(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	rows, err := a.auditRows(c, list)
	if err != nil {
		return err
	}
	return a.render(c, "audit", a.T(c, "nav.audit"), auditData{Entries: rows, Pager: newPager(c, f.Page, total, ""), Filter: f,
		ObjectTypes: evaluation.AuditObjectTypes, Actions: a.auditActions(c)})
}

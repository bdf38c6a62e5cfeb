package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// The OpenAPI document is kept in parts, one per area of the API
// (openapi/*.json: paths and component schemas), merged once at start-up.
//
//go:embed openapi/*.json
var openAPIParts embed.FS

// buildOpenAPI merges openapi/base.json with every other part: their paths
// and schemas are added; a path or schema defined twice is an error.
func buildOpenAPI() ([]byte, error) {
	var doc map[string]any
	base, err := openAPIParts.ReadFile("openapi/base.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(base, &doc); err != nil {
		return nil, fmt.Errorf("openapi/base.json: %w", err)
	}
	paths := map[string]any{}
	doc["paths"] = paths
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	parts, err := fs.Glob(openAPIParts, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range parts {
		if name == "openapi/base.json" {
			continue
		}
		var part struct {
			Paths      map[string]any `json:"paths"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		data, err := openAPIParts.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(data, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for k, v := range part.Paths {
			if _, dup := paths[k]; dup {
				return nil, fmt.Errorf("%s: path %s is defined twice", name, k)
			}
			paths[k] = v
		}
		for k, v := range part.Components.Schemas {
			if _, dup := schemas[k]; dup {
				return nil, fmt.Errorf("%s: schema %s is defined twice", name, k)
			}
			schemas[k] = v
		}
	}
	return json.MarshalIndent(doc, "", " ")
}

func (a *App) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(a.openAPIDoc)
}

// list is the JSON shape of a page of a list.
type list[T any] struct {
	Items   []T `json:"items"`
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

func newList[T any](items []T, total int, p evaluation.Page) list[T] {
	if items == nil {
		items = []T{}
	}
	p = p.Normalize()
	return list[T]{Items: items, Total: total, Page: p.Number, PerPage: p.Size}
}

// wholeList answers a list that is not paged: every item on one page, so
// per_page is the number of items (not capped at a page size's limit).
func wholeList[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items, Total: len(items), Page: 1, PerPage: len(items)}
}

type tokenRequest struct {
	Username string `json:"username" validate:"required,max=64"`
	Password string `json:"password" validate:"required,max=128"`
	Name     string `json:"name" validate:"max=64"`
}

type tokenResponse struct {
	Token string               `json:"token"`
	Info  *evaluation.APIToken `json:"info"`
}

func (a *App) apiIssueToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	key := limiterKey(req.Username, c.IP())
	if err := a.limited(c, key); err != nil {
		return err
	}
	var secret string
	var tok *evaluation.APIToken
	err := a.hashing(c, func() (err error) {
		secret, tok, err = a.accounts.IssueToken(c.UserContext(), req.Username, req.Password, req.Name, loginMeta(c, "api"))
		return err
	})
	if evaluation.ErrorCode(err) == evaluation.Unavailable {
		a.limiter.release(c.UserContext(), key)
	}
	if evaluation.ErrorCode(err) == evaluation.Unauthenticated {
		a.log.Warn("failed token request", "username", req.Username, "ip", c.IP())
	} else if err == nil {
		a.limiter.succeed(c.UserContext(), key)
	}
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(tokenResponse{Token: secret, Info: tok})
}

func (a *App) apiRevokeCurrentToken(c *fiber.Ctx) error {
	t, ok := c.Locals(localToken).(*evaluation.APIToken)
	if !ok {
		return evaluation.ErrUnauthorized
	}
	if err := a.accounts.RevokeToken(c.UserContext(), actor(c), t.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiMe(c *fiber.Ctx) error {
	return c.JSON(currentUser(c))
}

type meUpdate struct {
	Language *string `json:"language" validate:"omitnil,language"`
}

func (a *App) apiUpdateMe(c *fiber.Ctx) error {
	var req meUpdate
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Language != nil {
		if err := a.accounts.SetLanguage(c.UserContext(), actor(c), evaluation.Language(*req.Language)); err != nil {
			return err
		}
	}
	u, err := a.accounts.User(c.UserContext(), actor(c), actor(c).UserID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

type passwordChange struct {
	Current  string `json:"current_password" validate:"required,max=128"`
	Password string `json:"password" validate:"required,password"`
}

func (a *App) apiChangePassword(c *fiber.Ctx) error {
	var req passwordChange
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.changePassword(c, req.Current, req.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiTokens(c *fiber.Ctx) error {
	tokens, err := a.accounts.Tokens(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(wholeList(tokens))
}

func (a *App) apiRevokeToken(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := a.accounts.RevokeToken(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiUsers(c *fiber.Ctx) error {
	f, err := userFilter(c)
	if err != nil {
		return err
	}
	users, total, err := a.accounts.Users(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(newList(users, total, f.Page))
}

func (a *App) apiCreateUser(c *fiber.Ctx) error {
	var req userForm
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := a.accounts.CreateUser(c.UserContext(), actor(c), req.newUser())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (a *App) apiUser(c *fiber.Ctx) error {
	u, err := a.loadUser(c)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

type userPatch struct {
	Name     *string `json:"name" validate:"omitnil,min=1,max=64"`
	Email    *string `json:"email" validate:"omitnil,max=254"`
	Role     *string `json:"role" validate:"omitnil,role"`
	Agency   *string `json:"agency" validate:"omitnil,max=20"`
	Language *string `json:"language" validate:"omitnil,language"`
	Disabled *bool   `json:"disabled"`
}

func (a *App) apiUpdateUser(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req userPatch
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	up := evaluation.UserUpdate{Name: req.Name, Email: req.Email, AgencyCode: req.Agency, Disabled: req.Disabled}
	if req.Role != nil {
		r := evaluation.Role(*req.Role)
		up.Role = &r
	}
	if req.Language != nil {
		l := evaluation.Language(*req.Language)
		up.Language = &l
	}
	u, err := a.accounts.UpdateUser(c.UserContext(), actor(c), id, up)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (a *App) apiResetPassword(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req resetForm
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	if err := a.accounts.ResetPassword(c.UserContext(), actor(c), id, req.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiUserTokens(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := a.accounts.User(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	tokens, err := a.accounts.UserTokens(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(wholeList(tokens))
}

func (a *App) apiAgencies(c *fiber.Ctx) error {
	list, err := a.accounts.Agencies(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(wholeList(list))
}

func (a *App) apiCreateAgency(c *fiber.Ctx) error {
	var req agencyForm
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ag, err := a.accounts.CreateAgency(c.UserContext(), actor(c), evaluation.NewAgency{Code: req.Code, NameZH: req.NameZH, NameEN: req.NameEN})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ag)
}

func (a *App) apiAgency(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ag, err := a.accounts.Agency(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(ag)
}

type agencyPatch struct {
	NameZH   *string `json:"name_zh" validate:"omitnil,min=1,max=128"`
	NameEN   *string `json:"name_en" validate:"omitnil,min=1,max=128"`
	Disabled *bool   `json:"disabled"`
}

func (a *App) apiUpdateAgency(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var req agencyPatch
	if err := a.decodeJSON(c, &req); err != nil {
		return err
	}
	ag, err := a.accounts.UpdateAgency(c.UserContext(), actor(c), id, evaluation.AgencyUpdate{NameZH: req.NameZH, NameEN: req.NameEN, Disabled: req.Disabled})
	if err != nil {
		return err
	}
	return c.JSON(ag)
}

func (a *App) apiAudit(c *fiber.Ctx) error {
	f, err := auditFilter(c)
	if err != nil {
		return err
	}
	list, total, err := a.accounts.AuditLog(c.UserContext(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(newList(list, total, f.Page))
}

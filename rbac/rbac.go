// Package rbac decides which role may take which action, with a casbin
// model and policy embedded in the binary, and provides the fiber middleware
// that asks it on every route. Deny by default.
package rbac

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
	"github.com/gofiber/fiber/v2"
)

//go:embed model.conf
var modelText string

//go:embed policy.csv
var policyText string

// Permission is an object kind and an action on it, as named in policy.csv.
// The zero Permission marks a public route.
type Permission struct {
	Object string
	Action string
}

// Public is the permission of routes open to everyone (login, health, static).
var Public = Permission{}

// IsPublic reports whether p is Public.
func (p Permission) IsPublic() bool { return p == Public }

func (p Permission) String() string {
	if p.IsPublic() {
		return "public"
	}
	return p.Object + ":" + p.Action
}

// Read and Write build the two usual permissions on an object.
func Read(object string) Permission  { return Permission{object, "read"} }
func Write(object string) Permission { return Permission{object, "write"} }

// Authorizer answers role × object × action questions.
type Authorizer struct {
	e     *casbin.Enforcer
	roles map[string]bool // the roles a user can have: the members of the g lines
}

// New loads the embedded model and policy.
func New() (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("rbac model: %w", err)
	}
	e, err := casbin.NewEnforcer(m, stringadapter.NewAdapter(policyLines()))
	if err != nil {
		return nil, fmt.Errorf("rbac policy: %w", err)
	}
	groups, err := e.GetGroupingPolicy()
	if err != nil {
		return nil, fmt.Errorf("rbac roles: %w", err)
	}
	a := &Authorizer{e: e, roles: map[string]bool{}}
	for _, g := range groups {
		a.roles[g[0]] = true
	}
	return a, nil
}

// policyLines drops comments and blank lines, which the string adapter
// does not skip.
func policyLines() string {
	var b strings.Builder
	for _, line := range strings.Split(policyText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// Allowed reports whether the role may take the permission's action.
// An empty role (no one signed in) is allowed only public permissions.
func (a *Authorizer) Allowed(role string, p Permission) bool {
	if p.IsPublic() {
		return true
	}
	if !a.roles[role] {
		return false
	}
	ok, err := a.e.Enforce(role, p.Object, p.Action)
	return err == nil && ok
}

// Granted reports whether any role may take the permission's action; a
// route whose permission no role has is a mistake in the routes or policy.
func (a *Authorizer) Granted(p Permission) bool {
	rules, err := a.e.GetPolicy()
	if err != nil {
		return false
	}
	for _, rule := range rules {
		if len(rule) == 3 && rule[1] == p.Object && (rule[2] == p.Action || rule[2] == "*") {
			return true
		}
	}
	return false
}

// Middleware returns a handler that lets the request through only when the
// role (from roleOf, "" when no one is signed in) has the permission. It
// answers fiber.ErrUnauthorized when no one is signed in and
// fiber.ErrForbidden when the role lacks the permission.
func (a *Authorizer) Middleware(p Permission, roleOf func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if p.IsPublic() {
			return c.Next()
		}
		role := roleOf(c)
		if role == "" {
			return fiber.ErrUnauthorized
		}
		if !a.Allowed(role, p) {
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}

package web

import (
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// registerRoutes lists every route with the permission it needs, area by
// area; each area's routes are listed beside its handlers. Public routes
// are named rbac.Public explicitly.
func (a *App) registerRoutes() {
	a.accountRoutes()
	a.rubricRoutes()
	a.campaignRoutes()
	a.panelRoutes()
	a.importRoutes() // before poolRoutes: /experts/import is not an expert's id
	a.recordRoutes() // before poolRoutes: /experts/records is not an expert's id
	a.poolRoutes()
	a.materialRoutes()
	a.sheetRoutes()
	a.resultRoutes()
	a.revisionRoutes()
	a.reviewRoutes()
	a.appealRoutes()
	a.publicityRoutes()
	a.progressRoutes()
	a.resultPages()
	a.exportRoutes()
	a.revisionPages()
	a.reviewPages()
	a.opinionPages()
	a.workspaceRoutes()
	a.notificationRoutes()
	a.metricsRoutes()
}

// Method names, for the route lists.
const (
	get   = fiber.MethodGet
	post  = fiber.MethodPost
	put   = fiber.MethodPut
	patch = fiber.MethodPatch
	del   = fiber.MethodDelete
)

// accountRoutes: sign-in, profile, users, agencies, the audit log.
func (a *App) accountRoutes() {
	var (
		public    = rbac.Public
		dashboard = rbac.Read("dashboard")
		selfRead  = rbac.Read("self")
		selfWrite = rbac.Write("self")
		userRead  = rbac.Read("user")
		userWrite = rbac.Write("user")
		agRead    = rbac.Read("agency")
		agWrite   = rbac.Write("agency")
		auditRead = rbac.Read("audit")
	)

	// Probes.
	a.route(get, "/healthz", public, a.healthz)
	a.route(get, "/readyz", public, a.readyz)

	// HTML pages.
	a.route(get, "/login", public, a.loginPage)
	a.route(post, "/login", public, a.loginSubmit)
	a.route(post, "/logout", selfWrite, a.logout)
	a.route(post, "/lang", public, a.switchLanguage)
	a.route(get, "/", dashboard, a.dashboard)

	a.route(get, "/profile", selfRead, a.profilePage)
	a.route(post, "/profile/password", selfWrite, a.profilePassword)
	a.route(post, "/profile/tokens", selfWrite, a.profileCreateToken)
	a.route(post, "/tokens/:id/revoke", selfWrite, a.revokeTokenForm)

	a.route(get, "/users", userRead, a.usersPage)
	a.route(get, "/users/new", userWrite, a.userNewPage)
	a.route(post, "/users", userWrite, a.userCreate)
	a.route(get, "/users/:id", userRead, a.userPage)
	a.route(post, "/users/:id", userWrite, a.userUpdate)
	a.route(post, "/users/:id/password", userWrite, a.userResetPassword)
	a.route(post, "/users/:id/disable", userWrite, a.userDisable)
	a.route(post, "/users/:id/enable", userWrite, a.userEnable)

	a.route(get, "/agencies", agRead, a.agenciesPage)
	a.route(get, "/agencies/new", agWrite, a.agencyNewPage)
	a.route(post, "/agencies", agWrite, a.agencyCreate)
	a.route(get, "/agencies/:id", agRead, a.agencyPage)
	a.route(post, "/agencies/:id", agWrite, a.agencyUpdate)

	a.route(get, "/audit", auditRead, a.auditPage)

	// JSON API.
	a.route(get, "/api/v1/openapi.json", public, a.openAPI)
	a.route(post, "/api/v1/auth/token", public, a.apiIssueToken)
	a.route(del, "/api/v1/auth/token", selfWrite, a.apiRevokeCurrentToken)
	a.route(get, "/api/v1/me", selfRead, a.apiMe)
	a.route(patch, "/api/v1/me", selfWrite, a.apiUpdateMe)
	a.route(post, "/api/v1/me/password", selfWrite, a.apiChangePassword)
	a.route(get, "/api/v1/tokens", selfRead, a.apiTokens)
	a.route(del, "/api/v1/tokens/:id", selfWrite, a.apiRevokeToken)

	a.route(get, "/api/v1/users", userRead, a.apiUsers)
	a.route(post, "/api/v1/users", userWrite, a.apiCreateUser)
	a.route(get, "/api/v1/users/:id", userRead, a.apiUser)
	a.route(patch, "/api/v1/users/:id", userWrite, a.apiUpdateUser)
	a.route(post, "/api/v1/users/:id/password", userWrite, a.apiResetPassword)
	a.route(get, "/api/v1/users/:id/tokens", userRead, a.apiUserTokens)

	a.route(get, "/api/v1/agencies", agRead, a.apiAgencies)
	a.route(post, "/api/v1/agencies", agWrite, a.apiCreateAgency)
	a.route(get, "/api/v1/agencies/:id", agRead, a.apiAgency)
	a.route(patch, "/api/v1/agencies/:id", agWrite, a.apiUpdateAgency)

	a.route(get, "/api/v1/audit", auditRead, a.apiAudit)
}

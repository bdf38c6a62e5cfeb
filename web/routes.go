package web

import (
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
)

// registerRoutes lists every route with the permission it needs. Public
// routes are named rbac.Public explicitly.
func (a *App) registerRoutes() {
	const get, post, patch, del = fiber.MethodGet, fiber.MethodPost, fiber.MethodPatch, fiber.MethodDelete
	const put = fiber.MethodPut
	var (
		rubRead   = rbac.Read("rubric")
		rubWrite  = rbac.Write("rubric")
		public    = rbac.Public
		dashboard = rbac.Read("dashboard")
		selfRead  = rbac.Read("self")
		selfWrite = rbac.Write("self")
		userRead  = rbac.Read("user")
		userWrite = rbac.Write("user")
		agRead    = rbac.Read("agency")
		agWrite   = rbac.Write("agency")
		exRead    = rbac.Read("expert")
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

	a.route(get, "/experts", exRead, a.expertsPage)
	a.route(get, "/experts/:id", exRead, a.expertPage)

	a.route(get, "/audit", auditRead, a.auditPage)

	a.route(get, "/rubrics", rubRead, a.rubricsPage)
	a.route(get, "/rubrics/:code/:version", rubRead, a.rubricPage)
	a.route(post, "/rubrics/:code/:version/new-version", rubWrite, a.rubricNewVersion)
	a.route(get, "/rubrics/:code/:version/edit", rubWrite, a.rubricEditPage)
	a.route(post, "/rubrics/:code/:version/edit", rubWrite, a.rubricEditSubmit)
	a.route(post, "/rubrics/:code/:version/publish", rubWrite, a.rubricPublish)
	a.route(post, "/rubrics/:code/:version/retire", rubWrite, a.rubricRetire)
	a.route(post, "/rubrics/:code/:version/delete", rubWrite, a.rubricDelete)

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

	a.route(get, "/api/v1/experts", exRead, a.apiExperts)
	a.route(get, "/api/v1/experts/:id", exRead, a.apiExpert)

	a.route(get, "/api/v1/audit", auditRead, a.apiAudit)

	a.route(get, "/api/v1/rubrics", rubRead, a.apiRubrics)
	a.route(post, "/api/v1/rubrics/validate", rubRead, a.apiValidateRubric)
	a.route(get, "/api/v1/rubrics/:code/:version", rubRead, a.apiRubric)
	a.route(post, "/api/v1/rubrics/:code/versions", rubWrite, a.apiNewRubricVersion)
	a.route(put, "/api/v1/rubrics/:code/:version", rubWrite, a.apiUpdateRubric)
	a.route(del, "/api/v1/rubrics/:code/:version", rubWrite, a.apiDeleteRubric)
	a.route(post, "/api/v1/rubrics/:code/:version/publish", rubWrite, a.apiPublishRubric)
	a.route(post, "/api/v1/rubrics/:code/:version/retire", rubWrite, a.apiRetireRubric)
	a.route(post, "/api/v1/rubrics/:code/:version/check", rubRead, a.apiCheckSheet)
}

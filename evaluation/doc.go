// Package evaluation is the domain of evalpanel: its types and rules, and
// one service per product area that carries out the use cases with an
// explicit actor, checking the object rules (tenant, panel, conflicts of
// interest, states) and writing each change with its audit entry in one
// transaction.
//
// # Layout
//
// A product area is a room of the package, found by its file names:
//
//	campaign.go           types and rules (predicates such as ProjectsEditable)
//	campaign_service.go   CampaignService: the use cases
//	campaign_store.go     campaignStore and campaignTx: what the service may
//	                      read, and do in a transaction
//
// The areas today are accounts (users, tokens, agencies, the audit log),
// rubrics, pool, campaigns (with projects and imports), panels,
// materials (with method records), and notifications (the outbox of
// e-mail that the other areas write to in their transactions; see
// notification.go, and evaluation/mailer for the sender). Every service embeds the shared core
// (the store's transactions and the clock) and sees the store only through
// its own interfaces, which a test keeps small; store.go holds their union,
// which evaluation/sqlstore implements. New constructs a service for every
// area over one store.
//
// # New areas
//
// The areas still to come (score sheets, results, commission review)
// follow the same pattern as files of this package: sheet.go,
// sheet_service.go, sheet_store.go, and so on, plus a field of Services and
// a narrow interface in web. They are not subpackages: they need the
// unexported core (transactions, the audit log, the clock) and the access
// rules other areas already hold (loadCampaign, a project's access for an
// expert, the conflict check), which a subpackage could reach only if they
// were exported for everyone; and the areas depend on one another in a
// chain (review reads results, results read sheets, sheets read panels)
// that is easy inside one package and prone to import cycles across
// several. What is pure computation, with no I/O and no actor, goes into a
// subpackage of its own, as the panel algorithms are in evaluation/assign
// and the aggregation is in evaluation/aggregate: those are tested
// against brute force and hand-computed cases without a database.
//
// The rules this package implements are written down in
// evaluation/README.md; the draw and match procedures in
// evaluation/assign/README.md.
package evaluation

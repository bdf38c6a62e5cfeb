package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The authorisation matrix (issue 11): every route of the app, UI and API,
// is sent by every kind of user in each relation to the object it names —
// the owning agency's staff and another agency's; a seated member (their
// own sheet), the panel's chair (who reads the other members' sheets), an
// expert on no panel, a member who declared a conflict with the project;
// the commission; an administrator; nobody signed in — and the answer must
// be the one the table below expects: allowed (any status but 401, 403 and
// 404; a 400 or 409 means the request got past authorisation) or denied
// (401 or a redirect to sign in for anonymous requests, 403 or 404 for the
// others). A denied write must leave the database as it was. A route
// without a row in the table fails the test, so a new route must say who
// may use it.
//
// The expectations are written out here, route by route, from the design
// (DESIGN.md and the comments of rbac/policy.csv), not read from the
// policy: the matrix checks the policy and the services' own checks
// against what they are meant to do.

// matrixActor is one kind of user in one relation to the fixture's objects.
type matrixActor uint16

const (
	anon       matrixActor = 1 << iota // nobody signed in
	admin                              // an administrator
	commission                         // the commission (评估委员会)
	staffA                             // staff of the agency that owns the objects
	staffB                             // staff of another agency
	chair                              // the chair of the project's panel, who submitted
	member                             // a seated member, with their own submitted sheet
	outsider                           // an expert on no panel
	conflicted                         // a member who declared a conflict with the project
)

// Sets of actors the table names.
const (
	nobody    matrixActor = 0
	everyone              = anon | signedIn
	signedIn              = admin | commission | staffA | staffB | experts
	experts               = chair | member | outsider | conflicted
	panel                 = chair | member // the seated, unconflicted members
	staff                 = staffA | staffB
	overseers             = admin | commission // read every agency's work
	owners                = overseers | staffA // may read the agency's objects
	pool                  = admin | commission // keep the expert pool
)

// matrixActors in the order their cells are sent, with the short name of
// their own fixture objects (name@short).
var matrixActors = []struct {
	who         matrixActor
	name, short string
}{
	{anon, "anonymous", "anon"}, {admin, "admin", "admin"}, {commission, "commission", "commission"},
	{staffA, "own agency", "staffa"}, {staffB, "other agency", "staffb"}, {chair, "chair", "chair"},
	{member, "member", "member"}, {outsider, "expert not on the panel", "outsider"}, {conflicted, "conflicted expert", "conflicted"},
}

// matrixRow is how to call one route and who may.
type matrixRow struct {
	// fill names the fixture object of each path parameter, in order. An
	// object named name@actor, when the fixture has one, stands for name
	// in that actor's cell: an allowed delete needs one of its own.
	fill []string
	// body is a request a refused actor sends: valid for the route's own
	// users, so that a refusal cannot come from the input. JSON for the
	// API, an encoded form for the pages; {name} is a fixture object.
	body string
	// upload, when set, sends body's fields as a multipart form with a
	// file in this field (materials, imports).
	upload string
	// keep sends body to the allowed actors too; otherwise they send an
	// empty body ({} or an empty form), which their route refuses as
	// invalid (400) or in the wrong state (409) without changing the
	// world the later routes are checked in.
	keep bool
	// allowBody, when set, is what the allowed actors send instead.
	allowBody string
	// fresh: each allowed actor uses a session or token of their own,
	// since the route ends it (signing out, revoking the current token).
	fresh bool
	allow matrixActor
}

// matrixRoutes: every route of the app, "METHOD /path" as registered
// (HEAD routes follow their GET).
func matrixRoutes() map[string]matrixRow {
	const (
		campaignJSON = `{"name":"矩阵批次","year":2026}`
		campaignForm = "name=%E7%9F%A9%E9%98%B5&year=2026"
	)
	project := fmt.Sprintf(projectJSON, "2024-MX-001")
	f := func(keys ...string) []string { return keys }
	return map[string]matrixRow{
		// Probes, signing in, the public notice.
		"GET /healthz":                     {allow: everyone},
		"GET /metrics":                     {allow: admin},
		"GET /readyz":                      {allow: everyone},
		"GET /login":                       {allow: everyone},
		"POST /login":                      {allow: everyone},
		"POST /lang":                       {body: "lang=en&next=/", allow: everyone, keep: true},
		"GET /api/v1/openapi.json":         {allow: everyone},
		"POST /api/v1/auth/token":          {allow: everyone},
		"GET /public/campaigns/:id":        {fill: f("pcampaign"), allow: everyone},
		"GET /api/v1/public/campaigns/:id": {fill: f("pcampaign"), allow: everyone},

		// One's own account: everyone signed in, each only their own.
		"POST /logout":                    {allow: signedIn, fresh: true, keep: true},
		"GET /":                           {allow: signedIn},
		"GET /profile":                    {allow: signedIn},
		"POST /profile/password":          {allow: signedIn},
		"POST /profile/tokens":            {allow: signedIn},
		"POST /tokens/:id/revoke":         {fill: f("token1"), allow: staffA | admin},
		"DELETE /api/v1/auth/token":       {allow: signedIn, fresh: true, keep: true},
		"GET /api/v1/me":                  {allow: signedIn},
		"PATCH /api/v1/me":                {allow: signedIn},
		"POST /api/v1/me/password":        {allow: signedIn},
		"GET /api/v1/tokens":              {allow: signedIn},
		"DELETE /api/v1/tokens/:id":       {fill: f("token2"), allow: staffA | admin},
		"GET /api/v1/pledge":              {allow: experts},
		"GET /api/v1/assignments":         {allow: experts},
		"GET /api/v1/invitations":         {allow: experts},
		"GET /outbox":                     {allow: admin | staff},
		"GET /outbox/:id":                 {fill: f("message"), allow: admin | staffA},
		"GET /api/v1/outbox":              {allow: admin | staff},
		"GET /api/v1/outbox/:id":          {fill: f("message"), allow: admin | staffA},
		"GET /audit":                      {allow: owners | staffB},
		"GET /api/v1/audit":               {allow: owners | staffB},
		"GET /experts/records":            {allow: overseers},
		"GET /api/v1/expert-records":      {allow: overseers},
		"GET /api/v1/experts/:id/records": {fill: f("memberExpert"), allow: overseers},

		// Users and agencies: administrators; agencies are read by the
		// commission and by their own staff.
		"GET /users":                      {allow: admin},
		"GET /users/new":                  {allow: admin},
		"POST /users":                     {body: "username=matrix&name=M&role=commission&password=correct+horse+battery", allow: admin},
		"GET /users/:id":                  {fill: f("spareUser"), allow: admin},
		"POST /users/:id":                 {fill: f("spareUser"), body: "name=Spare&role=agency_staff&agency=AGA", allow: admin},
		"POST /users/:id/password":        {fill: f("spareUser"), body: "password=another+correct+horse", allow: admin},
		"POST /users/:id/disable":         {fill: f("spareUser"), allow: admin},
		"POST /users/:id/enable":          {fill: f("spareUser"), allow: admin},
		"GET /api/v1/users":               {allow: admin},
		"POST /api/v1/users":              {body: `{"username":"matrix","name":"M","role":"commission","password":"correct horse battery"}`, allow: admin},
		"GET /api/v1/users/:id":           {fill: f("spareUser"), allow: admin},
		"PATCH /api/v1/users/:id":         {fill: f("spareUser"), body: `{"name":"Spare"}`, allow: admin},
		"POST /api/v1/users/:id/password": {fill: f("spareUser"), body: `{"password":"another correct horse"}`, allow: admin},
		"GET /api/v1/users/:id/tokens":    {fill: f("spareUser"), allow: admin},
		"GET /agencies":                   {allow: owners | staffB},
		"GET /agencies/new":               {allow: admin},
		"POST /agencies":                  {body: "code=AGX&name_zh=X&name_en=X", allow: admin},
		"GET /agencies/:id":               {fill: f("agencyA"), allow: owners},
		"POST /agencies/:id":              {fill: f("agencyA"), body: "name_zh=%E7%94%B2&name_en=A", allow: admin},
		"GET /api/v1/agencies":            {allow: owners | staffB},
		"POST /api/v1/agencies":           {body: `{"code":"AGX","name_zh":"X","name_en":"X"}`, allow: admin},
		"GET /api/v1/agencies/:id":        {fill: f("agencyA"), allow: owners},
		"PATCH /api/v1/agencies/:id":      {fill: f("agencyA"), body: `{"name_en":"A"}`, allow: admin},

		// Rubrics: everyone signed in reads the published ones;
		// administrators write them (drafts of their own for each write).
		"GET /rubrics":                                {allow: signedIn},
		"GET /rubrics/:code/:version":                 {fill: f("rubric", "published"), allow: signedIn},
		"POST /rubrics/:code/:version/new-version":    {fill: f("rubric", "published"), allow: admin},
		"GET /rubrics/:code/:version/edit":            {fill: f("rubric", "draft"), allow: admin},
		"POST /rubrics/:code/:version/edit":           {fill: f("rubric", "draft"), allow: admin},
		"POST /rubrics/:code/:version/publish":        {fill: f("rubric", "draftPublish1"), allow: admin},
		"POST /rubrics/:code/:version/retire":         {fill: f("rubric", "draftPublish1"), allow: admin},
		"POST /rubrics/:code/:version/delete":         {fill: f("rubric", "draftDelete1"), allow: admin},
		"GET /api/v1/rubrics":                         {allow: signedIn},
		"POST /api/v1/rubrics/validate":               {allow: signedIn},
		"GET /api/v1/rubrics/:code/:version":          {fill: f("rubric", "published"), allow: signedIn},
		"POST /api/v1/rubrics/:code/versions":         {fill: f("rubric"), body: `{"from":1}`, allow: admin},
		"PUT /api/v1/rubrics/:code/:version":          {fill: f("rubric", "draft"), allow: admin},
		"DELETE /api/v1/rubrics/:code/:version":       {fill: f("rubric", "draftDelete2"), allow: admin},
		"POST /api/v1/rubrics/:code/:version/publish": {fill: f("rubric", "draftPublish2"), allow: admin},
		"POST /api/v1/rubrics/:code/:version/retire":  {fill: f("rubric", "draftPublish2"), allow: admin},
		"POST /api/v1/rubrics/:code/:version/check":   {fill: f("rubric", "published"), allow: signedIn},

		// Campaigns and projects: the owning agency writes; the
		// commission and administrators read; the commission moves a
		// campaign after submission (here a 400 or 409).
		"GET /campaigns":                                   {allow: owners | staffB},
		"GET /campaigns/new":                               {allow: staff},
		"POST /campaigns":                                  {body: campaignForm, allow: staff},
		"GET /campaigns/:id":                               {fill: f("campaign"), allow: owners},
		"GET /campaigns/:id/edit":                          {fill: f("campaign"), allow: staffA},
		"POST /campaigns/:id/edit":                         {fill: f("campaign"), body: campaignForm, allow: staffA},
		"POST /campaigns/:id/transition":                   {fill: f("campaign"), body: "to=concluding", allow: staffA | commission},
		"GET /campaigns/:id/projects/new":                  {fill: f("campaign"), allow: staffA},
		"POST /campaigns/:id/projects":                     {fill: f("campaign"), body: "code=2024-MX-002&title=T", allow: staffA},
		"GET /projects/:id":                                {fill: f("project"), allow: owners},
		"GET /projects/:id/edit":                           {fill: f("project"), allow: staffA},
		"POST /projects/:id/edit":                          {fill: f("project"), body: "title=T", allow: staffA},
		"POST /projects/:id/delete":                        {fill: f("project"), allow: staffA},
		"GET /api/v1/campaigns":                            {allow: owners | staffB},
		"POST /api/v1/campaigns":                           {body: campaignJSON, allow: staff},
		"GET /api/v1/campaigns/:id":                        {fill: f("campaign"), allow: owners},
		"PATCH /api/v1/campaigns/:id":                      {fill: f("campaign"), body: campaignJSON, allow: staffA},
		"GET /api/v1/campaigns/:id/transitions":            {fill: f("campaign"), allow: owners},
		"POST /api/v1/campaigns/:id/transitions":           {fill: f("campaign"), body: `{"to":"concluding"}`, allow: staffA | commission},
		"GET /api/v1/campaigns/:id/projects":               {fill: f("campaign"), allow: owners},
		"POST /api/v1/campaigns/:id/projects":              {fill: f("campaign"), body: project, allow: staffA},
		"GET /api/v1/projects/:id":                         {fill: f("project"), allow: owners},
		"PUT /api/v1/projects/:id":                         {fill: f("project"), body: project, allow: staffA},
		"DELETE /api/v1/projects/:id":                      {fill: f("project"), allow: staffA},
		"GET /campaigns/:id/projects/import":               {fill: f("campaign"), allow: staffA},
		"POST /campaigns/:id/projects/import":              {fill: f("dcampaign"), upload: "file", allow: staffA},
		"GET /campaigns/:id/projects/template.xlsx":        {fill: f("campaign"), allow: staffA},
		"GET /campaigns/:id/projects/template.csv":         {fill: f("campaign"), allow: staffA},
		"POST /api/v1/campaigns/:id/projects/import":       {fill: f("dcampaign"), upload: "file", allow: staffA},
		"GET /api/v1/campaigns/:id/projects/template.xlsx": {fill: f("campaign"), allow: staffA},
		"GET /api/v1/campaigns/:id/projects/template.csv":  {fill: f("campaign"), allow: staffA},

		// The expert pool: the commission and administrators keep it,
		// agency staff read it; an expert sees only their own profile
		// and declares only their own conflicts.
		"GET /experts":                                   {allow: owners | staffB},
		"GET /experts/new":                               {allow: pool},
		"POST /experts":                                  {body: "name=%E6%96%B0&type=domain", allow: pool},
		"GET /experts/import":                            {allow: pool},
		"POST /experts/import":                           {upload: "file", allow: pool},
		"GET /experts/import/template.xlsx":              {allow: pool},
		"GET /experts/import/template.csv":               {allow: pool},
		"POST /api/v1/experts/import":                    {upload: "file", allow: pool},
		"GET /api/v1/experts/import/template.xlsx":       {allow: pool},
		"GET /api/v1/experts/import/template.csv":        {allow: pool},
		"GET /experts/aliases":                           {allow: admin},
		"POST /experts/aliases":                          {body: "alias=X&canonical=Y", allow: admin},
		"POST /experts/aliases/delete":                   {body: "alias=%E5%90%8C%E6%B5%8E", allow: admin, keep: true},
		"GET /experts/:id":                               {fill: f("memberExpert"), allow: owners | staffB | member},
		"GET /experts/:id/edit":                          {fill: f("spareExpert"), allow: pool},
		"POST /experts/:id":                              {fill: f("spareExpert"), body: "name=X", allow: pool},
		"POST /experts/:id/flag":                         {fill: f("spareExpert"), body: "flag=x", allow: pool},
		"POST /experts/:id/conflicts":                    {fill: f("memberExpert"), body: "institution=X&year=2024", allow: pool | member},
		"POST /experts/:id/conflicts/:cid/delete":        {fill: f("memberExpert", "conflict1"), allow: pool | member, keep: true},
		"POST /experts/:id/collaborations":               {fill: f("spareExpert"), body: "kind=joint_paper&person=X&year=2024", allow: pool},
		"POST /experts/:id/collaborations/:cid/delete":   {fill: f("spareExpert", "collab1"), allow: pool, keep: true},
		"GET /api/v1/experts":                            {allow: owners | staffB},
		"POST /api/v1/experts":                           {body: `{"name":"新专家","type":"domain"}`, allow: pool},
		"GET /api/v1/experts/:id":                        {fill: f("memberExpert"), allow: owners | staffB | member},
		"PATCH /api/v1/experts/:id":                      {fill: f("spareExpert"), body: `{"name":"X"}`, allow: pool},
		"POST /api/v1/experts/:id/flag":                  {fill: f("spareExpert"), body: `{"flag":"x"}`, allow: pool},
		"GET /api/v1/experts/:id/conflicts":              {fill: f("memberExpert"), allow: owners | staffB | member},
		"POST /api/v1/experts/:id/conflicts":             {fill: f("memberExpert"), body: `{"institution":"X","year":2024}`, allow: pool | member},
		"DELETE /api/v1/experts/:id/conflicts/:cid":      {fill: f("memberExpert", "conflict2"), allow: pool | member},
		"GET /api/v1/experts/:id/collaborations":         {fill: f("spareExpert"), allow: owners | staffB},
		"POST /api/v1/experts/:id/collaborations":        {fill: f("spareExpert"), body: `{"kind":"joint_paper","person":"X","year":2024}`, allow: pool},
		"DELETE /api/v1/experts/:id/collaborations/:cid": {fill: f("spareExpert", "collab2"), allow: pool},
		"GET /api/v1/institution-aliases":                {allow: admin},
		"POST /api/v1/institution-aliases":               {body: `{"alias":"X","canonical":"Y"}`, allow: admin},
		"DELETE /api/v1/institution-aliases/:alias":      {fill: f("alias2"), allow: admin},
		"GET /api/v1/campaigns/:id/expert-records":       {fill: f("campaign"), allow: overseers},

		// Panels: the owning agency forms them; the commission and
		// administrators read them; an expert answers only their own
		// invitation (here answered already: 409).
		"POST /campaigns/:id/draw":                        {fill: f("campaign"), body: "projects={project}", allow: staffA},
		"POST /campaigns/:id/match":                       {fill: f("campaign"), allow: staffA},
		"GET /panels/:id":                                 {fill: f("panel"), allow: owners},
		"POST /panels/:id/members/:member/replace":        {fill: f("panel", "memberRow"), body: "reason=x", allow: staffA},
		"POST /panels/:id/vacancies/:seat/fill":           {fill: f("panel", "seat"), body: "reason=x", allow: staffA},
		"POST /panels/:id/members/:member/chair":          {fill: f("panel", "memberRow"), allow: staffA},
		"POST /panels/:id/invite":                         {fill: f("panel"), allow: staffA},
		"POST /invitations/:member/accept":                {fill: f("memberRow"), allow: member, keep: true},
		"POST /invitations/:member/decline":               {fill: f("memberRow"), body: "reason=x", allow: member, keep: true},
		"GET /api/v1/campaigns/:id/panels":                {fill: f("campaign"), allow: owners},
		"POST /api/v1/campaigns/:id/panels/draw":          {fill: f("campaign"), body: `{"projects":[{project}]}`, allow: staffA},
		"POST /api/v1/campaigns/:id/panels/match":         {fill: f("campaign"), body: `{}`, allow: staffA},
		"GET /api/v1/panels/:id":                          {fill: f("panel"), allow: owners},
		"GET /api/v1/panels/:id/draws":                    {fill: f("panel"), allow: owners},
		"GET /api/v1/panels/:id/exclusions":               {fill: f("panel"), allow: owners},
		"POST /api/v1/panels/:id/members/:member/check":   {fill: f("panel", "memberRow"), body: `{"expert_id":{spareExpert}}`, allow: staffA},
		"POST /api/v1/panels/:id/members/:member/replace": {fill: f("panel", "memberRow"), body: `{"expert_id":{spareExpert},"reason":"x"}`, allow: staffA},
		"POST /api/v1/panels/:id/vacancies/:seat/fill":    {fill: f("panel", "seat"), body: `{"expert_id":{spareExpert},"reason":"x"}`, allow: staffA},
		"POST /api/v1/panels/:id/candidates/check":        {fill: f("panel"), body: `{"expert_ids":[{spareExpert}]}`, allow: staffA},
		"POST /api/v1/panels/:id/members/:member/chair":   {fill: f("panel", "memberRow"), allow: staffA},
		"POST /api/v1/panels/:id/invite":                  {fill: f("panel"), allow: staffA},
		"POST /api/v1/invitations/:member/accept":         {fill: f("memberRow"), allow: member, keep: true},
		"POST /api/v1/invitations/:member/decline":        {fill: f("memberRow"), body: `{"reason":"x"}`, allow: member, keep: true},

		// Materials and on-site records: the owning agency adds them;
		// the commission and administrators read them; so do the
		// project's seated members, but not a conflicted one.
		"GET /projects/:id/materials":                      {fill: f("project"), allow: owners | panel},
		"POST /projects/:id/materials":                     {fill: f("project"), upload: "file", body: "kind=self_evaluation", allow: staffA},
		"GET /materials/:id":                               {fill: f("material"), allow: owners | panel},
		"POST /materials/:id/delete":                       {fill: f("material"), allow: staffA},
		"POST /projects/:id/methods/inspections":           {fill: f("dproject"), body: "date=2025-03-01&place=X&findings=Y", allow: staffA},
		"POST /projects/:id/methods/tests":                 {fill: f("dproject"), allow: staffA},
		"POST /projects/:id/methods/demonstrations":        {fill: f("dproject"), allow: staffA},
		"POST /projects/:id/methods/:record/delete":        {fill: f("dproject", "record1"), allow: staffA, keep: true},
		"GET /api/v1/projects/:id/materials":               {fill: f("project"), allow: owners | panel},
		"POST /api/v1/projects/:id/materials":              {fill: f("project"), upload: "file", body: "kind=self_evaluation", allow: staffA},
		"GET /api/v1/materials/:id":                        {fill: f("material"), allow: owners | panel},
		"GET /api/v1/materials/:id/content":                {fill: f("material"), allow: owners | panel},
		"DELETE /api/v1/materials/:id":                     {fill: f("material"), allow: staffA},
		"GET /api/v1/projects/:id/methods":                 {fill: f("project"), allow: owners | panel},
		"POST /api/v1/projects/:id/methods/inspections":    {fill: f("dproject"), body: `{"date":"2025-03-01","place":"X","participants":["王工"],"findings":"Y"}`, allow: staffA},
		"POST /api/v1/projects/:id/methods/tests":          {fill: f("dproject"), allow: staffA},
		"POST /api/v1/projects/:id/methods/demonstrations": {fill: f("dproject"), allow: staffA},
		"DELETE /api/v1/projects/:id/methods/:record":      {fill: f("dproject", "record2"), allow: staffA},

		// The expert's workspace: the seated members, each their own
		// sheet; a conflicted member has withdrawn from it.
		"GET /workspace/campaigns/:id/pledge":           {fill: f("campaign"), allow: panel},
		"POST /workspace/campaigns/:id/pledge":          {fill: f("campaign"), body: "version=" + evaluation.PledgeVersion, allow: panel, keep: true},
		"GET /workspace/projects/:id":                   {fill: f("project"), allow: panel},
		"POST /workspace/projects/:id/declaration":      {fill: f("project"), body: "conflict=0", allow: panel, keep: true},
		"GET /workspace/projects/:id/sheet":             {fill: f("project"), allow: panel},
		"POST /workspace/projects/:id/sheet":            {fill: f("project"), body: "version=1", allow: panel},
		"POST /workspace/projects/:id/sheet/draft":      {fill: f("project"), body: "version=1", allow: panel},
		"GET /workspace/projects/:id/sheet/review":      {fill: f("project"), allow: panel},
		"POST /workspace/projects/:id/sheet/submit":     {fill: f("project"), body: "version=1", allow: panel},
		"GET /workspace/projects/:id/panel":             {fill: f("project"), allow: chair},
		"GET /workspace/projects/:id/opinion":           {fill: f("project"), allow: panel},
		"POST /workspace/projects/:id/opinion":          {fill: f("project"), body: "version=0&text=x&proposed=pass", allow: chair},
		"POST /workspace/projects/:id/opinion/response": {fill: f("project"), body: "agree=true", allow: panel},
		"POST /api/v1/campaigns/:id/pledge":             {fill: f("campaign"), body: fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion), allow: panel, keep: true},
		"GET /api/v1/projects/:id/workspace":            {fill: f("project"), allow: panel},
		"POST /api/v1/projects/:id/declaration":         {fill: f("project"), body: `{"conflict":false}`, allow: panel, keep: true},
		"GET /api/v1/projects/:id/sheet":                {fill: f("project"), allow: panel},
		"PUT /api/v1/projects/:id/sheet":                {fill: f("project"), body: `{"version":1,` + fullSheet + `}`, allow: panel, keep: true},
		"POST /api/v1/projects/:id/sheet/submit":        {fill: f("project"), body: `{"version":1,` + fullSheet + `}`, allow: panel, keep: true},
		"GET /api/v1/projects/:id/opinion":              {fill: f("project"), allow: chair | owners}, // a draft is the chair's until circulated
		"PUT /api/v1/projects/:id/opinion":              {fill: f("project"), body: `{"version":0,"text":"同意通过。","proposed":"pass"}`, allow: chair},
		"POST /api/v1/projects/:id/opinion/circulate":   {fill: f("project"), body: `{"version":1}`, allow: chair},
		"POST /api/v1/projects/:id/opinion/response":    {fill: f("project"), body: `{"agree":true}`, allow: panel},

		// The members' sheets, as the agency manages them: the owning
		// agency reads, reopens, extends and lifts; the commission and
		// administrators read; the chair reads the panel's submitted
		// sheets after their own.
		"GET /api/v1/projects/:id/sheets":                  {fill: f("project"), allow: owners | chair},
		"POST /api/v1/sheets/:id/reopen":                   {fill: f("sheet"), body: `{"reason":"请补充。"}`, allow: staffA},
		"POST /api/v1/panels/:id/members/:member/deadline": {fill: f("panel", "memberRow"), body: `{"due":"2099-01-01","reason":"x"}`, allow: staffA},
		"POST /api/v1/projects/:id/conflicts/:expert/lift": {fill: f("project", "conflictedExpert"), body: `{"reason":"x"}`, allow: staffA},
		"GET /api/v1/campaigns/:id/progress":               {fill: f("campaign"), allow: owners},
		"POST /api/v1/campaigns/:id/reminders":             {fill: f("campaign"), body: `{}`, allow: staffA},
		"GET /campaigns/:id/progress":                      {fill: f("campaign"), allow: owners},
		"POST /campaigns/:id/progress/reminders":           {fill: f("campaign"), allow: staffA},
		"POST /campaigns/:id/progress/reopen":              {fill: f("campaign"), body: "sheet_id={sheet}&reason=x", allowBody: "sheet_id={sheet}", allow: staffA},
		"POST /campaigns/:id/progress/extend":              {fill: f("campaign"), body: "member_id={memberRow}&due=2099-01-01&reason=x", allowBody: "member_id={memberRow}", allow: staffA},
		"POST /campaigns/:id/progress/lift":                {fill: f("campaign"), body: "project_id={project}&expert_id={conflictedExpert}&reason=x", allowBody: "project_id={project}&expert_id={conflictedExpert}", allow: staffA},
		"GET /campaigns/:id/sheets.xlsx":                   {fill: f("campaign"), allow: owners},
		"GET /api/v1/campaigns/:id/sheets.xlsx":            {fill: f("campaign"), allow: owners},

		// Results: the agency records conclusions and answers the
		// commission's review; the commission reviews, approves and
		// settles appeals; everyone but the experts reads.
		"GET /campaigns/:id/results":                           {fill: f("pcampaign"), allow: owners},
		"GET /projects/:id/result":                             {fill: f("pproject"), allow: owners},
		"GET /projects/:id/opinion/print":                      {fill: f("pproject"), allow: owners},
		"GET /campaigns/:id/report":                            {fill: f("pcampaign"), allow: owners},
		"GET /campaigns/:id/results.xlsx":                      {fill: f("pcampaign"), allow: owners},
		"GET /api/v1/campaigns/:id/results.xlsx":               {fill: f("pcampaign"), allow: owners},
		"GET /api/v1/campaigns/:id/results":                    {fill: f("pcampaign"), allow: owners},
		"GET /api/v1/projects/:id/conclusions":                 {fill: f("pproject"), allow: owners},
		"POST /api/v1/projects/:id/conclusions":                {fill: f("pproject"), body: `{"conclusion":"pass"}`, allow: staffA},
		"POST /api/v1/projects/:id/rectification":              {fill: f("pproject"), body: `{"reason":"限期整改。"}`, allow: staffA},
		"POST /api/v1/projects/:id/vetoes":                     {fill: f("pproject"), body: `{"track":"technical","code":"V1","reason":"x"}`, allow: staffA},
		"GET /api/v1/projects/:id/revisions":                   {fill: f("pproject"), allow: owners},
		"POST /api/v1/projects/:id/revisions":                  {fill: f("pproject"), body: `{"kind":"discussion","note":"请复核。"}`, allow: staffA},
		"POST /projects/:id/result/conclusion":                 {fill: f("pproject"), body: "conclusion=pass", allow: staffA},
		"POST /projects/:id/result/rectification":              {fill: f("pproject"), body: "reason=x", allow: staffA},
		"POST /projects/:id/result/veto":                       {fill: f("pproject"), body: "track=technical&code=V1&reason=x", allow: staffA},
		"POST /projects/:id/result/revision":                   {fill: f("pproject"), body: "kind=discussion&note=x", allow: staffA},
		"GET /api/v1/campaigns/:id/returns":                    {fill: f("pcampaign"), allow: owners},
		"POST /api/v1/campaigns/:id/return":                    {fill: f("pcampaign"), body: `{"reason":"x"}`, allow: commission},
		"PUT /api/v1/projects/:id/return":                      {fill: f("pproject"), body: `{"comment":"x"}`, allow: commission},
		"DELETE /api/v1/projects/:id/return":                   {fill: f("pproject"), allow: commission},
		"PUT /api/v1/projects/:id/return/answer":               {fill: f("pproject"), body: `{"answer":"x"}`, allow: staffA},
		"POST /projects/:id/result/return":                     {fill: f("pproject"), body: "comment=x", allow: commission},
		"POST /projects/:id/result/unreturn":                   {fill: f("pproject"), allow: commission},
		"POST /projects/:id/result/answer":                     {fill: f("pproject"), body: "answer=x", allow: staffA},
		"POST /campaigns/:id/results/return":                   {fill: f("pcampaign"), body: "reason=x", allow: commission},
		"POST /campaigns/:id/approve":                          {fill: f("pcampaign"), body: "days=5&note=x", allow: commission},
		"POST /api/v1/campaigns/:id/approve":                   {fill: f("pcampaign"), body: `{"days":5,"note":"x"}`, allow: commission},
		"GET /api/v1/campaigns/:id/appeals":                    {fill: f("pcampaign"), allow: owners},
		"POST /api/v1/projects/:id/appeals":                    {fill: f("pproject"), body: `{"reason":"factual","appellant":"上海某研究院","text":"异议"}`, allow: staffA | commission},
		"POST /api/v1/projects/:id/appeals/:appeal/reject":     {fill: f("pproject", "appeal"), body: `{"reason":"x"}`, allow: commission},
		"POST /api/v1/projects/:id/appeals/:appeal/reevaluate": {fill: f("pproject", "appeal"), body: `{"note":"x"}`, allow: commission},
		"POST /api/v1/projects/:id/appeals/:appeal/resolve":    {fill: f("pproject", "appeal"), body: `{"conclusion":"pass","note":"x"}`, allow: commission},
		"POST /projects/:id/result/appeals":                    {fill: f("pproject"), body: "reason=factual&appellant=X&text=Y", allow: staffA | commission},
		"POST /projects/:id/result/appeals/:appeal/reject":     {fill: f("pproject", "appeal"), body: "reason=x", allow: commission},
		"POST /projects/:id/result/appeals/:appeal/reevaluate": {fill: f("pproject", "appeal"), body: "note=x", allow: commission},
		"POST /projects/:id/result/appeals/:appeal/resolve":    {fill: f("pproject", "appeal"), body: "conclusion=pass&note=x", allow: commission},
	}
}

// matrixWorld is the fixture every cell is sent in, with the value of each
// object a row can name.
type matrixWorld struct {
	h       *harness
	objects map[string]string
	users   map[matrixActor]string // the harness username of each actor
}

// newMatrixWorld builds the world: agency A's campaign in scoring, whose
// project's panel has a chair and a member who submitted their sheets and
// a member who declared a conflict (withdrawn); agency A's campaign in its
// publicity with an appeal filed; a draft campaign of agency A with a
// project with on-site records; agency B with nothing of A's to see; and
// spare objects for the routes that delete or disable.
func newMatrixWorld(t *testing.T) *matrixWorld {
	h := newHarness(t)
	h.withBlobs(0)
	ctx := context.Background()
	w := &matrixWorld{h: h, objects: map[string]string{}, users: map[matrixActor]string{
		admin: "admin", commission: "commission", staffA: "staffa", staffB: "staffb", outsider: "expert"}}
	obj := func(name string, v any) { w.objects[name] = fmt.Sprint(v) }
	staff := h.users["staffa"].Actor()

	// The campaign in scoring: the chair and the member submit, the
	// other technical member declares a conflict.
	s := h.scoringCampaign()
	w.users[chair], w.users[member], w.users[conflicted] = s.chair, s.member, s.other

	// The campaign in its publicity, with an appeal, drawn from the same
	// pool.
	p := h.publishedCampaign()
	var appeal struct{ ID int64 }
	h.decode(h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/projects/%d/appeals", p.projectID),
		`{"reason":"factual","appellant":"上海某研究院","text":"数据有误。"}`, http.StatusOK), &appeal)
	obj("pcampaign", p.campaignID)
	obj("pproject", p.projectID)
	obj("appeal", appeal.ID)

	h.work(s.campaignID, s.projectID, s.chair, true)
	sheetID := h.work(s.campaignID, s.projectID, s.member, true)
	for _, m := range s.panel.Members {
		u := h.userOf(h.expertUsername(m.ExpertID))
		if m.Status != evaluation.MemberAccepted || slices.Contains([]string{s.chair, s.member, s.other}, u.Username) {
			continue
		}
		sheet := fullSheet
		if m.Seat == evaluation.SeatFinance {
			sheet = financeSheet
		}
		h.openSheet(s, u.Username)
		h.mustAPI(u.Username, "POST", fmt.Sprintf("/api/v1/projects/%d/sheet/submit", s.projectID), `{"version":0,`+sheet+`}`, http.StatusOK)
	}
	h.pledge(s.campaignID, s.projectID, s.other)
	h.mustAPI(s.other, "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", s.projectID), `{"conflict":true,"reason":"曾参与该项目的前期咨询"}`, http.StatusNoContent)
	obj("campaign", s.campaignID)
	obj("project", s.projectID)
	obj("panel", s.panel.ID)
	obj("memberRow", s.memberOf(h, s.member).ID)
	obj("seat", evaluation.SeatTechnical)
	obj("sheet", sheetID)
	obj("conflictedExpert", h.userOf(s.other).ExpertID)
	obj("memberExpert", h.userOf(s.member).ExpertID)
	resp, body := h.postMaterial("staffa", s.projectID, "self_evaluation", "自评价报告.pdf", pdfFile)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("material: %d %s", resp.StatusCode, body)
	}
	var material struct{ ID int64 }
	h.decode(body, &material)
	obj("material", material.ID)
	h.mustAPI(s.chair, "PUT", fmt.Sprintf("/api/v1/projects/%d/opinion", s.projectID),
		`{"version":0,"text":"项目完成了任务书规定的主要考核指标，专家组同意通过。","proposed":"pass"}`, http.StatusOK)

	// The draft campaign, with on-site records to delete.
	d, err := h.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "草稿批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	dp := h.projectWithMethods(d.ID, "2024-MX-009")
	obj("dcampaign", d.ID)
	obj("dproject", dp.ID)
	for _, name := range []string{"record1", "record2"} {
		var rec struct{ ID int64 }
		h.decode(h.mustAPI("staffa", "POST", fmt.Sprintf("/api/v1/projects/%d/methods/inspections", dp.ID),
			`{"date":"2025-03-01","place":"嘉定","participants":["王工"],"findings":"样机运行正常。"}`, http.StatusCreated), &rec)
		obj(name, rec.ID)
	}

	// Spare objects: a user, staffa's tokens, an expert with
	// collaborations, the member's recorded conflicts, rubric drafts,
	// an institution alias.
	spare, err := h.svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: "spare", Name: "Spare",
		Role: evaluation.RoleAgencyStaff, AgencyCode: "AGA", Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	obj("spareUser", spare.ID)
	obj("agencyA", h.agencyA.ID)
	for _, name := range []string{"token1", "token2", "token1@admin", "token2@admin"} {
		_, tok, err := h.svc.Accounts.CreateToken(ctx, staff, name, evaluation.LoginMeta{})
		if err != nil {
			t.Fatal(err)
		}
		obj(name, tok.ID)
	}
	ex := &evaluation.Expert{Name: "备用专家", Type: evaluation.DomainExpert, Institution: "备用大学", TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionLocal, CanBeDrawn: true}
	if err := h.svc.Pool.CreateExpert(ctx, evaluation.System, ex); err != nil {
		t.Fatal(err)
	}
	obj("spareExpert", ex.ID)
	for _, name := range []string{"collab1", "collab2", "collab1@commission", "collab2@commission"} {
		c := &evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "合作者" + name, Year: 2024}
		if err := h.svc.Pool.AddCollaboration(ctx, evaluation.System, ex.ID, c); err != nil {
			t.Fatal(err)
		}
		obj(name, c.ID)
	}
	memberActor := h.userOf(s.member).Actor()
	for _, name := range []string{"conflict1", "conflict2", "conflict1@commission", "conflict2@commission", "conflict1@member", "conflict2@member"} {
		c := &evaluation.ExpertConflict{Institution: "某公司" + name, Year: 2024}
		if err := h.svc.Pool.AddExpertConflict(ctx, memberActor, h.userOf(s.member).ExpertID, c); err != nil {
			t.Fatal(err)
		}
		obj(name, c.ID)
	}
	obj("rubric", "APPLIED_TECH")
	obj("published", 1)
	for _, name := range []string{"draft", "draftPublish1", "draftPublish2", "draftDelete1", "draftDelete2"} {
		var r struct{ Version int }
		h.decode(h.mustAPI("admin", "POST", "/api/v1/rubrics/APPLIED_TECH/versions", `{"from":1}`, http.StatusCreated), &r)
		obj(name, r.Version)
	}
	for _, alias := range []string{"同济", "同济大学嘉定"} {
		if _, err := h.svc.Pool.AddInstitutionAlias(ctx, evaluation.System, alias, "同济大学"); err != nil {
			t.Fatal(err)
		}
	}
	obj("alias2", url.PathEscape("同济大学嘉定"))
	msgs, _, err := h.svc.Notifications.Outbox(ctx, staff, evaluation.OutboxFilter{})
	if err != nil || len(msgs) == 0 {
		t.Fatalf("outbox of agency A: %d messages, %v", len(msgs), err)
	}
	obj("message", msgs[0].ID)
	h.warmTokens()
	return w
}

// publishedCampaign is a second campaign of agency A, drawn from the pool
// scoringCampaign made, taken to the commission and approved: it is in its
// publicity.
func (h *harness) publishedCampaign() *scoring {
	h.t.Helper()
	t, ctx := h.t, context.Background()
	staff := h.users["staffa"].Actor()
	settings := evaluation.DefaultCampaignSettings()
	settings.ScoringDue = h.now.In(evaluation.Beijing).AddDate(0, 0, 14).Format(time.DateOnly)
	c, err := h.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "公示批次", Year: 2026, Settings: &settings})
	if err != nil {
		t.Fatal(err)
	}
	var p evaluation.Project
	h.decode(fmt.Sprintf(projectJSON, "2024-ZD-102"), &p)
	if err := h.svc.Campaigns.CreateProjects(ctx, staff, c.ID, []*evaluation.Project{&p}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	panel, err := h.svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.svc.Panels.InvitePanel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	if panel, err = h.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	s := &scoring{campaignID: c.ID, projectID: p.ID}
	for _, m := range panel.Members {
		if m.Status != evaluation.MemberInvited {
			continue
		}
		u, err := h.db.UserByExpert(ctx, m.ExpertID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.svc.Panels.RespondToInvitation(ctx, u.Actor(), m.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if m.Chair {
			s.chair = u.Username
		}
	}
	if _, err := h.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignScoring, ""); err != nil {
		t.Fatal(err)
	}
	if s.panel, err = h.svc.Panels.Panel(ctx, staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	h.submittedCampaign(s)
	h.mustAPI("commission", "POST", fmt.Sprintf("/api/v1/campaigns/%d/approve", c.ID), `{"days":5,"note":"如有异议请书面反映。"}`, http.StatusOK)
	return s
}

// object is the fixture object name in the actor's cell.
func (w *matrixWorld) object(t *testing.T, route, name, actor string) string {
	t.Helper()
	if v, ok := w.objects[name+"@"+actor]; ok {
		return v
	}
	v, ok := w.objects[name]
	if !ok {
		t.Fatalf("route %s: no fixture object %q", route, name)
	}
	return v
}

// target is the route's path with its parameters filled for the actor.
func (w *matrixWorld) target(t *testing.T, route string, row matrixRow, actor string) string {
	t.Helper()
	_, path, _ := strings.Cut(route, " ")
	params := pathParam.FindAllString(path, -1)
	if len(params) != len(row.fill) {
		t.Fatalf("route %s has %d path parameters, its row fills %d", route, len(params), len(row.fill))
	}
	i := 0
	return pathParam.ReplaceAllStringFunc(path, func(string) string {
		i++
		return w.object(t, route, row.fill[i-1], actor)
	})
}

// expand fills the {name} objects of a body.
func (w *matrixWorld) expand(t *testing.T, route, body, actor string) string {
	t.Helper()
	return placeholder.ReplaceAllStringFunc(body, func(m string) string {
		return w.object(t, route, m[1:len(m)-1], actor)
	})
}

// matrixClient sends one actor's requests: a bearer token for the API, a
// signed-in browser for the pages.
type matrixClient struct {
	w       *matrixWorld
	who     matrixActor
	token   string
	browser *browser
}

func (w *matrixWorld) client(t *testing.T, who matrixActor) *matrixClient {
	t.Helper()
	c := &matrixClient{w: w, who: who, browser: w.h.browser()}
	if who == anon {
		c.browser.get("/login")
		return c
	}
	username := w.users[who]
	c.token = w.h.tokens[username]
	c.browser.login(username)
	return c
}

// fresh is a client of the same actor with a new session and token, for
// the routes that end them.
func (c *matrixClient) fresh(t *testing.T) *matrixClient {
	t.Helper()
	n := c.w.client(t, c.who)
	if c.who != anon {
		u := c.w.h.userOf(c.w.users[c.who])
		secret, _, err := c.w.h.svc.Accounts.CreateToken(context.Background(), u.Actor(), "matrix", evaluation.LoginMeta{})
		if err != nil {
			t.Fatal(err)
		}
		n.token = secret
	}
	return n
}

// send sends the request and returns the status and the Location header.
func (c *matrixClient) send(t *testing.T, method, target string, row matrixRow, body string, withFile bool) (int, string) {
	t.Helper()
	api := strings.HasPrefix(target, "/api/")
	if c.who == anon && method == http.MethodPost && target == "/login" {
		// Signing out (an earlier route) ends the CSRF token: the sign-in
		// page gives a new one, as it does to a visitor.
		c.browser.get("/login")
	}
	var req *http.Request
	switch {
	case row.upload != "":
		fields, err := url.ParseQuery(body)
		if err != nil {
			t.Fatal(err)
		}
		if !api {
			fields.Set("_csrf", c.browser.csrf)
		}
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, vs := range fields {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		if withFile {
			name, content := "自评价报告.pdf", pdfFile
			if strings.Contains(target, "import") {
				name, content = "projects.csv", []byte(projectsCSV(false))
			}
			part, err := mw.CreateFormFile(row.upload, name)
			if err != nil {
				t.Fatal(err)
			}
			part.Write(content)
		}
		mw.Close()
		req = httptest.NewRequest(method, target, &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	case api:
		req = httptest.NewRequest(method, target, strings.NewReader(body))
		if method != http.MethodGet && method != http.MethodHead && method != http.MethodDelete {
			req.Header.Set("Content-Type", "application/json")
		}
	case method == http.MethodGet || method == http.MethodHead:
		req = httptest.NewRequest(method, target, nil)
	default:
		form, err := url.ParseQuery(body)
		if err != nil {
			t.Fatal(err)
		}
		form.Set("_csrf", c.browser.csrf)
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if api {
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		resp, err := c.w.h.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatalf("%s %s: %v", method, target, err)
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Location")
	}
	resp, _ := c.browser.send(req)
	return resp.StatusCode, resp.Header.Get("Location")
}

// denied reports whether the answer refuses the actor.
func denied(who matrixActor, api bool, status int, location string) bool {
	if who == anon && !api && status >= 300 && status < 400 {
		return strings.HasPrefix(location, "/login")
	}
	return status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusNotFound
}

func TestAuthorizationMatrix(t *testing.T) {
	start := time.Now()
	w := newMatrixWorld(t)
	h := w.h
	t.Logf("the world built in %s", time.Since(start).Round(time.Millisecond))
	rows := matrixRoutes()
	clients := map[matrixActor]*matrixClient{}
	for _, a := range matrixActors {
		clients[a.who] = w.client(t, a.who)
	}

	var routes []string
	for key := range h.app.Routes() {
		routes = append(routes, key)
	}
	sort.Strings(routes)
	for key := range rows {
		if _, ok := h.app.Routes()[key]; !ok {
			t.Errorf("the matrix has a row for %s, which is no route", key)
		}
	}

	var checked, leaks, refused, broken int
	var leakList []string
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		rowKey := route
		if method == http.MethodHead {
			rowKey = http.MethodGet + " " + path
		}
		row, ok := rows[rowKey]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix", route)
			continue
		}
		api := strings.HasPrefix(path, "/api/")
		write := method != http.MethodGet && method != http.MethodHead
		// Refused actors first, while the world is as built; then the
		// allowed ones, whose requests may change it.
		order := slices.Clone(matrixActors)
		sort.SliceStable(order, func(i, j int) bool { return row.allow&order[i].who == 0 && row.allow&order[j].who != 0 })
		routeCells, routeLeaks := 0, 0
		// The refused cells come first: a write route's database must be
		// the same after them as before (one dump each side, rather than
		// around each cell, keeps the test quick; a change names them all).
		var before string
		var refusedActors []string
		if write {
			before = h.dump()
		}
		checkUnchanged := func() {
			if !write || len(refusedActors) == 0 {
				return
			}
			if h.dump() != before {
				if routeLeaks == 0 {
					leaks++
					routeLeaks++
				}
				leakList = append(leakList, fmt.Sprintf("%s as %s: changed the database", route, strings.Join(refusedActors, ", ")))
			}
			refusedActors = nil
		}
		for _, a := range order {
			allowed := row.allow&a.who != 0
			if allowed {
				checkUnchanged()
			} else {
				refusedActors = append(refusedActors, a.name)
			}
			c, body := clients[a.who], row.body
			switch {
			case allowed && row.allowBody != "":
				body = row.allowBody
			case allowed && !row.keep:
				body = ""
				if api && write && row.upload == "" {
					body = "{}"
				}
			}
			target, body := w.target(t, route, row, a.short), w.expand(t, route, body, a.short)
			if allowed && row.fresh {
				c = c.fresh(t)
			}
			status, location := c.send(t, method, target, row, body, !allowed || row.keep)
			checked++
			routeCells++
			refusedNow := denied(a.who, api, status, location)
			switch {
			case status >= 500:
				broken++
				t.Errorf("%s as %s: status %d", route, a.name, status)
			case !allowed && !refusedNow:
				leaks++
				routeLeaks++
				leakList = append(leakList, fmt.Sprintf("%s as %s: status %d %s", route, a.name, status, location))
			case allowed && refusedNow:
				refused++
				t.Errorf("%s as %s: status %d %s, want it allowed", route, a.name, status, location)
			}
		}
		checkUnchanged()
		t.Logf("%-60s cells %d, leaking %d", route, routeCells, routeLeaks)
	}
	for _, l := range leakList {
		t.Errorf("LEAK %s", l)
	}
	summary := fmt.Sprintf("authorization matrix: %d routes × %d actors: %d cells checked, %d leaking, %d wrongly refused, %d server errors (%s)",
		len(routes), len(matrixActors), checked, leaks, refused, broken, time.Since(start).Round(time.Millisecond))
	t.Log(summary)
	fmt.Println(summary)
}

package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/getkin/kin-openapi/openapi3"
)

// contract returns the OpenAPI document loaded for the tests.
func contract(t *testing.T) *apiContract {
	t.Helper()
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOpenAPISchemasFollowTheGoTypes compares the main schemas of the
// OpenAPI document with the Go types the server encodes or decodes, field
// by field and down into nested objects, lists and maps, so that a
// property the document names differently from the server (an avoid-list
// entry's "role" where the server reads and writes "reason") fails here
// even where no API test sends or receives it:
//
//   - an object schema has exactly the Go type's JSON fields and refuses
//     others (additionalProperties or unevaluatedProperties false);
//   - a response schema requires exactly the fields the server always
//     writes (those without omitempty or omitzero);
//   - a request schema requires at least the fields whose validate tag says
//     required (a schema that requests and responses share, such as a
//     stored rubric's content, is held to the request's rule);
//   - the JSON types agree (string, integer, number, boolean, array, object).
func TestOpenAPISchemasFollowTheGoTypes(t *testing.T) {
	c := contract(t)
	type (
		response struct {
			schema string
			v      any
		}
		request = response
	)
	responses := []response{
		{"Error", apiError{}},
		{"User", evaluation.User{}},
		{"Agency", evaluation.Agency{}},
		{"APIToken", evaluation.APIToken{}},
		{"TokenResponse", tokenResponse{}},
		{"AuditEntry", evaluation.AuditEntry{}},
		{"Campaign", evaluation.Campaign{}},
		{"CampaignTransition", evaluation.CampaignTransition{}},
		{"Project", evaluation.Project{}},
		{"Expert", evaluation.Expert{}},
		{"ExpertSummary", evaluation.ExpertSummary{}},
		{"ExpertDetail", expertDetail{}},
		{"ExpertConflict", evaluation.ExpertConflict{}},
		{"ExpertCollaboration", evaluation.ExpertCollaboration{}},
		{"InstitutionAlias", evaluation.InstitutionAlias{}},
		{"Material", evaluation.Material{}},
		{"MethodRecord", evaluation.MethodRecord{}},
		{"Panel", evaluation.Panel{}},
		{"DrawRecord", evaluation.DrawRecord{}},
		{"Exclusion", evaluation.Exclusion{}},
		{"CheckResult", evaluation.CheckResult{}},
		{"Invitation", evaluation.Invitation{}},
		{"Answer", evaluation.Answer{}},
		{"StoredRubric", evaluation.Rubric{}},
		{"SheetResult", rubrics.Result{}},
		{"Assignment", evaluation.Assignment{}},
		{"ExpertProject", evaluation.ExpertProject{}},
		{"ScoreSheet", evaluation.Sheet{}},
		{"SheetVersion", evaluation.SheetVersion{}},
		{"SheetView", evaluation.SheetView{}},
		{"StaleSheet", staleBody{}},
		{"Progress", evaluation.Progress{}},
		{"ImportProblem", problemView{}},
		{"ImportError", importErrorBody{}},
		{"VetoConfirmation", evaluation.VetoConfirmation{}},
		{"ExpertRecord", evaluation.ExpertRecord{}},
		{"ExpertRecordSummary", evaluation.ExpertRecordSummary{}},
		{"POST /api/v1/rubrics/validate", validationResult{}},
	}
	requests := []request{
		{"NewUser", userForm{}},
		{"POST /api/v1/auth/token", tokenRequest{}},
		{"PATCH /api/v1/me", meUpdate{}},
		{"POST /api/v1/me/password", passwordChange{}},
		{"PATCH /api/v1/users/{id}", userPatch{}},
		{"POST /api/v1/users/{id}/password", resetForm{}},
		{"POST /api/v1/agencies", agencyForm{}},
		{"PATCH /api/v1/agencies/{id}", agencyPatch{}},
		{"CampaignInput", campaignRequest{}},
		{"POST /api/v1/campaigns/{id}/transitions", transitionRequest{}},
		{"ProjectInput", projectRequest{}},
		{"InspectionRecord", inspectionRequest{}},
		{"TestRecordInput", testRequest{}},
		{"DemonstrationRecord", demonstrationRequest{}},
		{"POST /api/v1/campaigns/{id}/panels/draw", drawRequest{}},
		{"POST /api/v1/campaigns/{id}/panels/match", matchRequest{}},
		{"POST /api/v1/panels/{id}/members/{member}/check", replaceRequest{}},
		{"POST /api/v1/panels/{id}/members/{member}/replace", replaceRequest{}},
		{"POST /api/v1/invitations/{member}/decline", declineRequest{}},
		{"NewExpert", expertRequest{}},
		{"ExpertPatch", expertPatch{}},
		{"ExpertFlag", flagRequest{}},
		{"NewExpertConflict", conflictForm{}},
		{"NewExpertCollaboration", collaborationForm{}},
		{"NewInstitutionAlias", aliasForm{}},
		{"Rubric", rubrics.Rubric{}},
		{"Sheet", rubrics.Sheet{}},
		{"POST /api/v1/rubrics/{code}/versions", newVersionRequest{}},
		{"POST /api/v1/projects/{id}/vetoes", vetoRequest{}},
	}
	shared := c.requestSchemas()
	for _, tc := range responses {
		t.Run(tc.schema, func(t *testing.T) {
			s := c.namedSchema(t, tc.schema, false)
			for _, p := range compareSchema(tc.schema, s, reflect.TypeOf(tc.v), shared) {
				t.Error(p)
			}
		})
	}
	for _, tc := range requests {
		t.Run(tc.schema, func(t *testing.T) {
			s := c.namedSchema(t, tc.schema, true)
			for _, p := range compareSchema(tc.schema, s, reflect.TypeOf(tc.v), nil) {
				t.Error(p)
			}
		})
	}
}

// namedSchema finds a component schema by name, or the JSON schema of an
// operation ("POST /api/v1/...") request body or success response.
func (c *apiContract) namedSchema(t *testing.T, name string, request bool) *openapi3.Schema {
	t.Helper()
	method, path, isOp := strings.Cut(name, " ")
	if !isOp {
		ref := c.doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Fatalf("schema %s is not in the document", name)
		}
		return ref.Value
	}
	item := c.doc.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		t.Fatalf("operation %s is not in the document", name)
	}
	op := item.GetOperation(method)
	var content openapi3.Content
	if request {
		if op.RequestBody == nil || op.RequestBody.Value == nil {
			t.Fatalf("%s documents no request body", name)
		}
		content = op.RequestBody.Value.Content
	} else {
		for code := 200; code < 300 && content == nil; code++ {
			if r := op.Responses.Status(code); r != nil && r.Value != nil {
				content = r.Value.Content
			}
		}
	}
	mt := content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		t.Fatalf("%s documents no JSON schema", name)
	}
	return mt.Schema.Value
}

// jsonField is a field of a Go struct as encoding/json sees it.
type jsonField struct {
	name     string
	omit     bool // omitempty or omitzero: the server may leave it out
	required bool // its validate tag says required
	typ      reflect.Type
	goName   string
}

// jsonFields lists the JSON fields of a struct type, embedded structs
// flattened.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		validate := strings.Split(f.Tag.Get("validate"), ",")
		out = append(out, jsonField{name: name, typ: f.Type, goName: t.Name() + "." + f.Name,
			omit:     strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,"),
			required: slices.Contains(validate, "required")})
	}
	return out
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	marshalerType   = reflect.TypeFor[json.Marshaler]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextMarshaler]()
)

// objectShape merges a schema's properties and required lists with those
// of its allOf parts, and reports whether the schema refuses other
// properties.
func objectShape(s *openapi3.Schema) (props map[string]*openapi3.SchemaRef, required []string, closed bool) {
	props = map[string]*openapi3.SchemaRef{}
	for k, v := range s.Properties {
		props[k] = v
	}
	required = slices.Clone(s.Required)
	closed = s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has ||
		s.UnevaluatedProperties.Has != nil && !*s.UnevaluatedProperties.Has
	for _, part := range s.AllOf {
		if part.Value == nil {
			continue
		}
		p, r, _ := objectShape(part.Value)
		for k, v := range p {
			props[k] = v
		}
		required = append(required, r...)
	}
	return props, required, closed
}

// requestSchemas returns every schema that a request body uses, nested
// ones included. Where a response uses one of them too (a stored rubric's
// content is a Rubric), its required list is the request's.
func (c *apiContract) requestSchemas() map[*openapi3.Schema]bool {
	out := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil || out[s] {
			return
		}
		out[s] = true
		for _, p := range s.Properties {
			walk(p.Value)
		}
		if s.Items != nil {
			walk(s.Items.Value)
		}
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema.Value)
		}
		for _, list := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, p := range list {
				walk(p.Value)
			}
		}
	}
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for _, mt := range op.RequestBody.Value.Content {
				if mt.Schema != nil {
					walk(mt.Schema.Value)
				}
			}
		}
	}
	return out
}

// compareSchema compares schema s, at path, with Go type t and returns the
// differences. It compares a request schema when requests is nil, else a
// response schema, which may use the request schemas in requests.
func compareSchema(path string, s *openapi3.Schema, t reflect.Type, requests map[*openapi3.Schema]bool) []string {
	request := requests == nil || requests[s]
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	want := ""
	switch {
	case t == timeType:
		want = "string"
	case !request && (t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)),
		request && reflect.PointerTo(t).Implements(unmarshalerType):
		return nil // its own encoding (rubric points): nothing to compare
	case t.Kind() == reflect.String:
		want = "string"
	case t.Kind() == reflect.Bool:
		want = "boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		want = "integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		want = "number"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		want = "array"
	case t.Kind() == reflect.Map || t.Kind() == reflect.Struct:
		want = "object"
	case t.Kind() == reflect.Interface:
		return nil
	}
	if t.Implements(textType) && want == "object" {
		want = "string"
	}
	if len(s.AllOf) == 0 && !s.Type.Includes(want) && !(want == "number" && s.Type.Includes("integer")) {
		return []string{fmt.Sprintf("%s: type %v, want %s (Go %s)", path, s.Type.Slice(), want, t)}
	}
	var out []string
	switch want {
	case "array":
		if s.Items == nil || s.Items.Value == nil {
			return []string{fmt.Sprintf("%s: an array without items", path)}
		}
		return compareSchema(path+"[]", s.Items.Value, t.Elem(), requests)
	case "object":
		if t.Kind() == reflect.Map {
			if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
				out = append(out, compareSchema(path+"{}", ap.Value, t.Elem(), requests)...)
			}
			for k, v := range s.Properties {
				out = append(out, compareSchema(path+"."+k, v.Value, t.Elem(), requests)...)
			}
			return out
		}
		props, required, closed := objectShape(s)
		if !closed {
			out = append(out, fmt.Sprintf("%s: accepts properties it does not name; want additionalProperties (or, with allOf, unevaluatedProperties) false", path))
		}
		fields := jsonFields(t)
		names := map[string]bool{}
		for _, f := range fields {
			names[f.name] = true
			p, ok := props[f.name]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s: no property %q, which the server %s (%s)", path, f.name, map[bool]string{true: "reads", false: "writes"}[request], f.goName))
				continue
			case !request && !f.omit && !slices.Contains(required, f.name):
				out = append(out, fmt.Sprintf("%s: property %q is always written (%s has no omitempty), want it required", path, f.name, f.goName))
			case !request && f.omit && slices.Contains(required, f.name):
				out = append(out, fmt.Sprintf("%s: property %q is required, but %s may be left out", path, f.name, f.goName))
			case request && f.required && !slices.Contains(required, f.name):
				out = append(out, fmt.Sprintf("%s: property %q is not required, but the server requires it (%s)", path, f.name, f.goName))
			}
			if p.Value != nil {
				out = append(out, compareSchema(path+"."+f.name, p.Value, f.typ, requests)...)
			}
		}
		for name := range props {
			if !names[name] {
				out = append(out, fmt.Sprintf("%s: property %q is not a field of %s", path, name, t))
			}
		}
		for _, name := range required {
			if !names[name] {
				out = append(out, fmt.Sprintf("%s: requires %q, which is not a field of %s", path, name, t))
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryAPIRouteDocumentsItsSuccess: every API route documents a
// success status, and a JSON schema for it unless it answers 204 or a
// file, so that the response validation of the API tests has something to
// check.
func TestEveryAPIRouteDocumentsItsSuccess(t *testing.T) {
	h := newHarness(t)
	c := contract(t)
	checked := 0
	for key := range h.app.Routes() {
		method, path, _ := strings.Cut(key, " ")
		if !strings.HasPrefix(path, "/api/") || method == http.MethodHead {
			continue
		}
		path = pathParam.ReplaceAllString(path, "{$1}")
		item := c.doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			continue // TestOpenAPIMatchesRoutes reports it
		}
		checked++
		op := item.GetOperation(method)
		var success []int
		for code := range op.Responses.Map() {
			var n int
			if _, err := fmt.Sscan(code, &n); err == nil && n >= 200 && n < 300 {
				success = append(success, n)
			}
		}
		if len(success) == 0 {
			t.Errorf("%s %s documents no success status", method, path)
			continue
		}
		for _, code := range success {
			r := op.Responses.Status(code).Value
			if code == http.StatusNoContent {
				if len(r.Content) > 0 {
					t.Errorf("%s %s: 204 documents a body", method, path)
				}
				continue
			}
			if len(r.Content) == 0 {
				t.Errorf("%s %s: %d documents no body; want a schema, or 204", method, path, code)
			}
			for media, mt := range r.Content {
				if mt.Schema == nil || mt.Schema.Value == nil {
					t.Errorf("%s %s: %d %s has no schema", method, path, code, media)
					continue
				}
				if strings.Contains(media, "json") && mt.Schema.Value.Type.Is("object") && len(mt.Schema.Value.Properties) == 0 &&
					mt.Schema.Value.AdditionalProperties.Schema == nil && method+" "+path != "GET /api/v1/openapi.json" {
					t.Errorf("%s %s: %d %s schema is an object with no properties", method, path, code, media)
				}
			}
		}
	}
	if checked < 60 {
		t.Errorf("checked %d API routes, want ≥ 60", checked)
	}
}

// TestOpenAPIEnumsFollowTheDomain: the values the document lists for the
// domain's words (roles, states, kinds, classes…) are the domain's lists,
// wherever a schema names them.
func TestOpenAPIEnumsFollowTheDomain(t *testing.T) {
	c := contract(t)
	codes := toStrings([]evaluation.Code{evaluation.Invalid, evaluation.NotFound, evaluation.Conflict, evaluation.Forbidden,
		evaluation.Unauthenticated, evaluation.TooManyRequests, evaluation.Unavailable, evaluation.Internal})
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"Error.error.code", codes},
		{"Role", toStrings(evaluation.Roles)},
		{"User.language", toStrings(evaluation.Languages)},
		{"NewUser.language", toStrings(evaluation.Languages)},
		{"ExpertType", toStrings(evaluation.ExpertTypes)},
		{"Region", toStrings(evaluation.Regions)},
		{"TitleLevel", toStrings(evaluation.TitleLevels)},
		{"Expert.region", toStrings(evaluation.Regions)},
		{"Expert.title_level", toStrings(evaluation.TitleLevels)},
		{"CollaborationKind", toStrings(evaluation.CollaborationKinds)},
		{"Campaign.state", toStrings(evaluation.CampaignStates)},
		{"Campaign.aggregation", toStrings(evaluation.Aggregations)},
		{"CampaignInput.aggregation", toStrings(evaluation.Aggregations)},
		{"Project.class", toStrings(evaluation.ProjectClasses)},
		{"ProjectInput.class", toStrings(evaluation.ProjectClasses)},
		{"ProjectSummary.class", toStrings(evaluation.ProjectClasses)},
		{"Project.methods[]", toStrings(evaluation.Methods)},
		{"ProjectInput.methods[]", toStrings(evaluation.Methods)},
		{"Project.indicators[].kind", toStrings(evaluation.IndicatorKinds)},
		{"ProjectInput.indicators[].kind", toStrings(evaluation.IndicatorKinds)},
		{"Project.indicators[].status", toStrings(evaluation.IndicatorStatuses)},
		{"ProjectInput.indicators[].status", toStrings(evaluation.IndicatorStatuses)},
		{"Material.kind", toStrings(evaluation.MaterialKinds)},
		{"StoredRubric.status", toStrings(evaluation.RubricStatuses)},
		{"StoredRubric.target", toStrings(rubrics.Targets)},
		{"Rubric.target", toStrings(rubrics.Targets)},
		{"Rubric.indicators[].kind", toStrings(rubrics.Kinds)},
		{"VetoConfirmation.track", toStrings(evaluation.VetoTracks)},
	} {
		s, err := c.schemaAt(tc.path)
		if err != nil {
			t.Errorf("%s: %v", tc.path, err)
			continue
		}
		var got []string
		for _, v := range s.Enum {
			got = append(got, fmt.Sprint(v))
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(tc.want))) {
			t.Errorf("%s: the document lists %v, want the domain's %v", tc.path, got, tc.want)
		}
	}
}

// schemaAt finds the schema at a path of a component schema: property
// names after dots, [] for an array's items, through $refs and allOf.
func (c *apiContract) schemaAt(path string) (*openapi3.Schema, error) {
	name, rest, _ := strings.Cut(path, ".")
	name, items := strings.CutSuffix(name, "[]")
	ref := c.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("no schema %s", name)
	}
	s := ref.Value
	if items {
		rest = "[]." + rest
	}
	for _, step := range strings.Split(rest, ".") {
		if step == "" {
			continue
		}
		step, items := strings.CutSuffix(step, "[]")
		if step != "" {
			props, _, _ := objectShape(s)
			p := props[step]
			if p == nil || p.Value == nil {
				return nil, fmt.Errorf("no property %s", step)
			}
			s = p.Value
		}
		if items {
			if s.Items == nil || s.Items.Value == nil {
				return nil, fmt.Errorf("%s is not an array", step)
			}
			s = s.Items.Value
		}
	}
	return s, nil
}

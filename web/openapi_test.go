package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// apiContract is the OpenAPI document as the app serves it, loaded once per
// test binary, with a router that finds a request's operation.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

var loadContract = sync.OnceValues(func() (*apiContract, error) {
	data, err := buildOpenAPI()
	if err != nil {
		return nil, fmt.Errorf("build the OpenAPI document: %w", err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route the OpenAPI document: %w", err)
	}
	// Files (xlsx, pdf, images…) are opaque to a schema: read them as
	// bytes, so that their status and media type are still checked.
	for _, media := range responseMediaTypes(doc) {
		if openapi3filter.RegisteredBodyDecoder(media) == nil {
			openapi3filter.RegisterBodyDecoder(media, openapi3filter.FileBodyDecoder)
		}
	}
	return &apiContract{doc: doc, router: router}, nil
})

// responseMediaTypes lists the media types of every documented response.
func responseMediaTypes(doc *openapi3.T) []string {
	var out []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for media := range resp.Value.Content {
					if !slices.Contains(out, media) {
						out = append(out, media)
					}
				}
			}
		}
	}
	return out
}

// checkContract checks an API request and the app's answer to it against
// the OpenAPI document, and returns the operation it matched (its method
// and documented path) and what does not match, one line each (none when
// they match). The policy:
//
//   - The request must match a documented operation (method and path).
//     A request to an undocumented path or method is a mismatch, unless the
//     app answered 404 or 405 in the error format: a test may probe a route
//     that does not exist.
//   - The request is checked against the operation: security (a bearer
//     token where the operation asks for one), path and query parameters,
//     query parameters the operation does not document, and the body (its
//     media type and schema, or a body where none is documented). A
//     request that does not match is a mismatch unless the app refused it
//     with a 4xx status: tests send bad input on purpose, and the app must
//     turn it away, so a mismatching request that succeeds (2xx), or that
//     makes the app fail (5xx), is reported.
//   - The response is always checked, whatever the request: its status
//     must be documented for the operation and its body must match the
//     schema of its media type, error bodies included. The one exception is
//     500, which any route may answer when a service fails (the fault
//     tests provoke it): it need not be listed per operation, but its body
//     must still be the Error schema.
func (c *apiContract) checkContract(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) (string, []string) {
	ctx := context.Background()
	vreq := req.Clone(ctx)
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	vreq.ContentLength = int64(len(reqBody))
	status := resp.StatusCode
	refused := status >= 400 && status < 500

	route, pathParams, err := c.router.FindRoute(vreq)
	if err != nil {
		op := req.Method + " " + req.URL.Path + " (undocumented)"
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return op, c.checkErrorBody(resp, respBody)
		}
		return op, []string{fmt.Sprintf("no documented operation: %v", err)}
	}
	op := route.Method + " " + route.Path

	var problems []string
	opts := &openapi3filter.Options{
		MultiError:                        true,
		IncludeResponseStatus:             true,
		RejectWhenRequestBodyNotSpecified: true,
		AuthenticationFunc:                bearerPresent,
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: pathParams, Route: route, Options: opts}
	var requestProblems []string
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		requestProblems = append(requestProblems, flatten("request", err)...)
	}
	for name := range vreq.URL.Query() {
		if p := route.Operation.Parameters.GetByInAndName(openapi3.ParameterInQuery, name); p == nil &&
			route.PathItem.Parameters.GetByInAndName(openapi3.ParameterInQuery, name) == nil {
			requestProblems = append(requestProblems, fmt.Sprintf("request: query parameter %q is not documented", name))
		}
	}
	if !refused {
		problems = append(problems, requestProblems...)
	}

	if status == http.StatusInternalServerError && route.Operation.Responses.Status(status) == nil {
		return op, append(problems, c.checkErrorBody(resp, respBody)...)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: resp.Header, Options: opts}
	out.SetBodyBytes(respBody)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, withoutEchoes(flatten("response", err))...)
	}
	return op, problems
}

// withoutEchoes drops the "false schema" lines of a schema closed with
// unevaluatedProperties (allOf parts) when other lines explain the failure:
// a property whose part failed counts as unevaluated too, so each such
// failure comes with an echo for every property of the part. Alone, such a
// line is the news: a property the schema does not document.
func withoutEchoes(lines []string) []string {
	var kept, echoes []string
	for _, l := range lines {
		if strings.HasSuffix(l, ": false schema") {
			echoes = append(echoes, strings.TrimSuffix(l, "false schema")+"not a documented property (unevaluatedProperties false)")
		} else {
			kept = append(kept, l)
		}
	}
	if len(kept) == 0 {
		return echoes
	}
	return kept
}

// checkErrorBody checks that a response the operations do not describe is
// the error format.
func (c *apiContract) checkErrorBody(resp *http.Response, body []byte) []string {
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return []string{fmt.Sprintf("response: content type %q, want the JSON error format", ct)}
	}
	var v any
	if err := jsonUnmarshal(string(body), &v); err != nil {
		return []string{fmt.Sprintf("response: not JSON: %v", err)}
	}
	schema := c.doc.Components.Schemas["Error"]
	if err := schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		return flatten("response body (Error)", err)
	}
	return nil
}

// bearerPresent stands in for the app's authentication: an operation that
// asks for the bearer scheme must be sent a bearer token (whether it is
// valid is the app's business).
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme != nil && in.SecurityScheme.Type == "http" && strings.EqualFold(in.SecurityScheme.Scheme, "bearer") {
		if strings.HasPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
		return errors.New("no bearer token")
	}
	return fmt.Errorf("security scheme %q is not known to the tests", in.SecuritySchemeName)
}

// flatten splits kin-openapi's errors, which nest multi-errors, into one
// line for each value that failed, prefixed with what was checked.
func flatten(what string, err error) []string {
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []string
		for _, sub := range e {
			out = append(out, flatten(what, sub)...)
		}
		return out
	case *openapi3filter.RequestError:
		switch {
		case e.Parameter != nil:
			what += fmt.Sprintf(": %s parameter %q", e.Parameter.In, e.Parameter.Name)
		case e.RequestBody != nil:
			what += " body"
		}
		if e.Err == nil {
			return []string{what + ": " + e.Reason}
		}
		if e.Reason != "" && e.Reason != e.Err.Error() {
			what += ": " + e.Reason
		}
		return flatten(what, e.Err)
	case *openapi3filter.ResponseError:
		if e.Err == nil {
			return []string{what + ": " + e.Reason}
		}
		return flatten(what+": "+e.Reason, e.Err)
	case *openapi3.SchemaError:
		var nested openapi3.MultiError
		if e.Origin != nil && errors.As(e.Origin, &nested) {
			return flatten(what, nested)
		}
		reason := jsonSchemaPrefix.ReplaceAllString(e.Reason, "")
		if reason == "" {
			reason = "does not match"
		}
		line := fmt.Sprintf("%s: at /%s: %s", what, strings.Join(e.JSONPointer(), "/"), reason)
		if e.SchemaField != "" {
			line += " (schema keyword " + e.SchemaField + ")"
		}
		return []string{line}
	}
	return []string{what + ": " + err.Error()}
}

// jsonSchemaPrefix is the location that the JSON Schema 2020-12 validator
// writes before its reasons, which flatten writes once itself.
var jsonSchemaPrefix = regexp.MustCompile(`^(error at "[^"]*": )?(at '[^']*': )?`)

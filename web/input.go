package web

import (
	"bytes"
	"mime"
	"strconv"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
	"github.com/gofiber/fiber/v2"
)

// decodeJSON reads the request body strictly into v: one JSON object of
// the right types with no unknown or repeated fields and nothing after it
// (rubrics.DecodeJSON), then checks v's validate tags. Problems come back
// as Invalid errors naming the field.
func (a *App) decodeJSON(c *fiber.Ctx, v any) error {
	contentType, body := jsonBody(c)
	return a.decodeBody(contentType, body, v)
}

// jsonBody is the request's body and the content type it was declared
// with, for the readers of JSON bodies, which take them apart from the
// request so that a fuzz target can call them.
func jsonBody(c *fiber.Ctx) (contentType string, body []byte) {
	return c.Get(fiber.HeaderContentType), c.Body()
}

// decodeBody is decodeJSON on a body and its content type.
func (a *App) decodeBody(contentType string, body []byte, v any) error {
	if err := requireJSON(contentType, body); err != nil {
		return err
	}
	if err := evaluation.ProblemsError(rubrics.DecodeJSON(body, v)); err != nil {
		return err
	}
	return a.check(v)
}

// requireJSON refuses a body that is empty or not declared JSON.
func requireJSON(contentType string, body []byte) error {
	// Exactly application/json, with parameters such as charset:
	// "application/jsonx" is not JSON.
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != fiber.MIMEApplicationJSON {
		return evaluation.Errorf(evaluation.Invalid, "error.json_required")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return evaluation.Errorf(evaluation.Invalid, "error.body_required")
	}
	return nil
}

// parseForm reads an HTML form into v (its form tags) and checks v's
// validate tags.
func (a *App) parseForm(c *fiber.Ctx, v any) error {
	if err := c.BodyParser(v); err != nil {
		return &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input", Err: err}
	}
	return a.check(v)
}

// formProblems returns the translated field messages of an input error, for
// showing beside the fields, and false for any other error.
func (a *App) formProblems(c *fiber.Ctx, err error) (map[string]string, string, bool) {
	e := evaluation.ErrorAs(err)
	if e == nil || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return nil, "", false
	}
	lang := langOf(c)
	return a.fieldMessages(lang, e), a.message(lang, e), true
}

// paramID reads a positive integer path parameter; anything else is not found.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, evaluation.ErrNotFound
	}
	return id, nil
}

// paramIDs reads two id path parameters, such as a panel and one of its
// members.
func paramIDs(c *fiber.Ctx, a, b string) (int64, int64, error) {
	x, err := paramID(c, a)
	if err != nil {
		return 0, 0, err
	}
	y, err := paramID(c, b)
	return x, y, err
}

// queryInt reads a whole number greater than zero (an id, a year, a page)
// from the query; absent or empty is 0. Anything else is recorded in bad
// under the parameter's name and reads as 0.
func queryInt(c *fiber.Ctx, bad evaluation.FieldErrors, name string) int {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		bad.Add(name, "error.query_number")
		return 0
	}
	return n
}

// pageParams reads ?page= and ?per_page=; the filter's Validate checks
// their range.
func pageParams(c *fiber.Ctx, bad evaluation.FieldErrors) evaluation.Page {
	return evaluation.Page{Number: queryInt(c, bad, "page"), Size: queryInt(c, bad, "per_page")}
}

// filterError answers a list's query: nil when every parameter parsed
// (the service validates the filter), else the parameters that did not
// parse together with the filter's own problems, so that one answer names
// every bad parameter.
func filterError(bad evaluation.FieldErrors, f interface{ Validate() error }) error {
	if len(bad) == 0 {
		return nil
	}
	e := evaluation.ErrorAs(bad.Err())
	if fe := evaluation.ErrorAs(f.Validate()); fe != nil {
		for param, msg := range fe.Fields {
			if _, ok := e.Fields[param]; ok {
				continue
			}
			e.Fields[param] = msg
			if args := fe.Args[param]; args != nil {
				if e.Args == nil {
					e.Args = map[string]map[string]any{}
				}
				e.Args[param] = args
			}
		}
	}
	return e
}

package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// decodeJSON reads the request body strictly into v: a JSON object of the
// right types with no unknown fields and nothing after it, then checks v's
// validate tags. Problems come back as Invalid errors naming the field.
func (a *App) decodeJSON(c *fiber.Ctx, v any) error {
	if err := a.requireJSON(c); err != nil {
		return err
	}
	body := bytes.TrimSpace(c.Body())
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return evaluation.Errorf(evaluation.Invalid, "error.malformed_json")
	}
	if _, err := dec.Token(); err == nil {
		return evaluation.Errorf(evaluation.Invalid, "error.malformed_json")
	}
	return a.tr.check(langOf(c), v)
}

// requireJSON refuses a request whose body is empty or not declared JSON.
func (a *App) requireJSON(c *fiber.Ctx) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return evaluation.Errorf(evaluation.Invalid, "error.json_required")
	}
	if len(bytes.TrimSpace(c.Body())) == 0 {
		return evaluation.Errorf(evaluation.Invalid, "error.body_required")
	}
	return nil
}

func jsonProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return evaluation.Errorf(evaluation.Invalid, "error.json_object_required")
		}
		return &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input",
			Fields: map[string]string{typeErr.Field: "error.wrong_type_" + jsonKind(typeErr.Type.Kind().String())}}
	}
	// encoding/json reports unknown fields only in its message text.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if name, err := strconv.Unquote(name); err == nil {
			return &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input",
				Fields: map[string]string{name: "error.unknown_field"}}
		}
	}
	return &evaluation.Error{Code: evaluation.Invalid, Message: "error.malformed_json", Err: err}
}

// jsonKind names the JSON type a Go kind is decoded from.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "bool"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "slice", "array":
		return "array"
	}
	return "object"
}

// parseForm reads an HTML form into v (its form tags) and checks v's
// validate tags.
func (a *App) parseForm(c *fiber.Ctx, v any) error {
	if err := c.BodyParser(v); err != nil {
		return &evaluation.Error{Code: evaluation.Invalid, Message: "error.invalid_input", Err: err}
	}
	return a.tr.check(langOf(c), v)
}

// formProblems returns the translated field messages of an input error, for
// showing beside the fields, and false for any other error.
func (a *App) formProblems(c *fiber.Ctx, err error) (map[string]string, string, bool) {
	e := evaluation.ErrorAs(err)
	if e == nil || (e.Code != evaluation.Invalid && e.Code != evaluation.Conflict) {
		return nil, "", false
	}
	lang := langOf(c)
	return a.fieldMessages(lang, e), a.tr.T(lang, e.Message), true
}

// paramID reads a positive integer path parameter; anything else is not found.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, evaluation.ErrNotFound
	}
	return id, nil
}

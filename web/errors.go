package web

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// statusOf maps the error vocabulary to HTTP, in one place.
var statusOf = map[evaluation.Code]int{
	evaluation.Invalid:         fiber.StatusBadRequest,
	evaluation.NotFound:        fiber.StatusNotFound,
	evaluation.Conflict:        fiber.StatusConflict,
	evaluation.Forbidden:       fiber.StatusForbidden,
	evaluation.Unauthenticated: fiber.StatusUnauthorized,
	evaluation.TooManyRequests: fiber.StatusTooManyRequests,
	evaluation.Unavailable:     fiber.StatusServiceUnavailable,
	evaluation.Internal:        fiber.StatusInternalServerError,
}

// codeOf maps the statuses fiber and its middlewares answer with to codes.
func codeOf(status int) evaluation.Code {
	switch status {
	case fiber.StatusUnauthorized:
		return evaluation.Unauthenticated
	case fiber.StatusForbidden:
		return evaluation.Forbidden
	case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
		return evaluation.NotFound
	case fiber.StatusConflict:
		return evaluation.Conflict
	case fiber.StatusTooManyRequests:
		return evaluation.TooManyRequests
	case fiber.StatusServiceUnavailable:
		return evaluation.Unavailable
	}
	if status >= 400 && status < 500 {
		return evaluation.Invalid
	}
	return evaluation.Internal
}

// apiError is the JSON error body.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    evaluation.Code   `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fieldMessages translates an error's field messages, which are message
// IDs, in lang: each is filled from its own field's Args only, and may name
// the field by its label (Label).
func (a *App) fieldMessages(lang evaluation.Language, e *evaluation.Error) map[string]string {
	if len(e.Fields) == 0 {
		return nil
	}
	out := make(map[string]string, len(e.Fields))
	for field, msg := range e.Fields {
		data := []any{"Label", a.tr.label(lang, field)}
		for k, v := range e.Args[field] {
			data = append(data, k, v)
		}
		out[field] = a.tr.T(lang, msg, data...)
	}
	return out
}

// message translates an error's message in lang. A message that is also
// a field's (a conflict about one field, such as error.panels_unconfirmed
// on "to") is filled from that field's Args, so that it never lacks the
// values it shows; values under "" are the message's own.
func (a *App) message(lang evaluation.Language, e *evaluation.Error) string {
	var data []any
	for k, v := range e.Args[""] { // the message's own values
		data = append(data, k, v)
	}
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		if e.Fields[field] != e.Message {
			continue
		}
		data = append(data, "Label", a.tr.label(lang, field))
		for k, v := range e.Args[field] {
			data = append(data, k, v)
		}
		break
	}
	return a.tr.T(lang, e.Message, data...)
}

// handleError is the one place where errors become responses: it picks the
// status, logs internal errors once, and answers in JSON on the API and
// with a page (or a redirect to sign in) in the UI. Users never see a raw
// internal message.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	lang := langOf(c)
	var (
		status int
		code   evaluation.Code
		msgID  string
		fields map[string]string
	)
	var ferr *fiber.Error
	var message string
	switch e := evaluation.ErrorAs(err); {
	case e != nil:
		code, msgID, fields = e.Code, e.Message, a.fieldMessages(lang, e)
		status, message = statusOf[code], a.message(lang, e)
	case errors.As(err, &ferr):
		status, code = ferr.Code, codeOf(ferr.Code)
		msgID = "error." + string(code)
		if ferr.Code == fiber.StatusRequestEntityTooLarge && isUploadRoute(c.Method(), c.Path()) && !a.hasCredentials(&c.Request().Header) {
			// An upload refused before it was read for want of a
			// session or token (requestLimits): say so.
			status, code, msgID = fiber.StatusUnauthorized, evaluation.Unauthenticated, "error.unauthenticated"
		} else if ferr.Code == fiber.StatusRequestEntityTooLarge {
			msgID = "error.too_large"
		} else if ferr.Code == fiber.StatusMethodNotAllowed {
			status = fiber.StatusNotFound
		}
	default:
		status, code, msgID = fiber.StatusInternalServerError, evaluation.Internal, "error.internal"
	}
	if status == 0 {
		status = fiber.StatusInternalServerError
	}
	if code == evaluation.Internal {
		a.log.Error("internal error", "method", c.Method(), "path", c.Path(), "err", err)
		msgID, fields = "error.internal", nil
	}
	if message == "" || code == evaluation.Internal {
		message = a.tr.T(lang, msgID)
	}
	translated := fields

	if isAPI(c) || c.Path() == "/healthz" || c.Path() == "/readyz" || c.Path() == metricsPath {
		return c.Status(status).JSON(apiError{apiErrorBody{Code: code, Message: message, Fields: translated}})
	}
	if status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet {
		return c.Redirect("/login?next=" + url.QueryEscape(c.OriginalURL()))
	}
	if status == fiber.StatusUnauthorized {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	c.Status(status)
	return a.render(c, "error", a.T(c, "error.title"), fiber.Map{
		"Status": status, "Message": message, "Fields": a.fieldLines(lang, translated),
	})
}

// fieldLines lists translated field messages for a page, in the order of
// the fields, each after its field's label when the field has one (a page
// shows no parameter names).
func (a *App) fieldLines(lang evaluation.Language, fields map[string]string) []string {
	var out []string
	for _, field := range slices.Sorted(maps.Keys(fields)) {
		line := fields[field]
		if id, _ := a.tr.labelID(field); id != "" && !strings.Contains(line, a.tr.T(lang, id)) {
			line = a.tr.T(lang, "error.field_problem", "Label", a.tr.T(lang, id), "Message", line)
		}
		out = append(out, line)
	}
	return out
}

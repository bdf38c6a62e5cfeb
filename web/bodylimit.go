package web

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Request bodies are capped twice over. fasthttp reads a whole body before
// any handler runs, so the limit is chosen per request as soon as the
// headers are in (requestLimits): the upload routes get the upload limit,
// every other route Config.BodyLimit, and a body announced or sent beyond
// it is refused with 413 before it is read. limitBody then checks the
// same inside the app, so that the rule holds however the server is
// driven.
//
// The upload limit is only for callers who are signed in: an upload route
// announcing (or streaming) a body over Config.BodyLimit gets the small
// limit unless its headers carry a valid session or token, and its
// refusal answers 401, so that no one reads 50 MiB of a stranger's body
// before finding out who they are.

// uploadOverhead is what a multipart upload carries besides the file: the
// boundaries, part headers and the other fields.
const uploadOverhead = 1 << 20

// uploadReadTimeout is how long an upload request may take to arrive.
const uploadReadTimeout = 10 * time.Minute

// uploadRoutes are the POST routes that take a file (upload limit): the
// materials, and the imports, which cap their files lower themselves.
var uploadRoutes = []string{"/projects/:id/materials", "/api/v1/projects/:id/materials",
	"/campaigns/:id/projects/import", "/api/v1/campaigns/:id/projects/import", "/experts/import", "/api/v1/experts/import"}

// isUploadRoute reports whether a request goes to an upload route. A path
// parameter matches digits only, so that no encoding trick makes another
// route look like an upload route; anything unusual falls back to the
// small limit.
func isUploadRoute(method, path string) bool {
	if method != fiber.MethodPost {
		return false
	}
	for _, r := range uploadRoutes {
		if matchRoute(r, path) {
			return true
		}
	}
	return false
}

func matchRoute(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if strings.HasPrefix(p, ":") {
			if xs[i] == "" || strings.Trim(xs[i], "0123456789") != "" {
				return false
			}
		} else if p != xs[i] {
			return false
		}
	}
	return true
}

// uploadBodyLimit is the largest body of an upload request.
func (a *App) uploadBodyLimit() int {
	return int(a.cfg.UploadLimit) + uploadOverhead
}

// requestLimits is fasthttp's HeaderReceived hook: the body limit of the
// request about to be read.
func (a *App) requestLimits(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	uri := h.RequestURI()
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	if isUploadRoute(string(h.Method()), string(uri)) {
		if n := h.ContentLength(); (n > a.cfg.BodyLimit || n < 0) && !a.hasCredentials(h) {
			return fasthttp.RequestConfig{MaxRequestBodySize: a.cfg.BodyLimit}
		}
		// A large file on a slow intranet link takes longer than the
		// server's read timeout allows an ordinary request.
		return fasthttp.RequestConfig{MaxRequestBodySize: a.uploadBodyLimit(), ReadTimeout: uploadReadTimeout}
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: a.cfg.BodyLimit}
}

// hasCredentials reports whether request headers carry what identify would
// accept: a valid bearer token on the API, a valid session in the UI.
func (a *App) hasCredentials(h *fasthttp.RequestHeader) bool {
	rc := &fasthttp.RequestCtx{}
	h.CopyTo(&rc.Request.Header)
	c := a.fiber.AcquireCtx(rc)
	defer a.fiber.ReleaseCtx(c)
	ctx := context.Background()
	if isAPI(c) {
		secret, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if !ok {
			return false
		}
		_, _, err := a.accounts.AuthenticateToken(ctx, strings.TrimSpace(secret))
		return err == nil
	}
	if c.Cookies(sessionCookie) == "" {
		return false
	}
	sess, err := a.sessions.Get(c)
	if err != nil {
		return false
	}
	_, err = a.sessionUser(ctx, sess)
	return err == nil
}

// limitBody refuses, with 413, a body over Config.BodyLimit on every route
// but the upload routes: by its announced length first, then by what
// arrived.
func (a *App) limitBody(c *fiber.Ctx) error {
	limit := a.cfg.BodyLimit
	if isUploadRoute(c.Method(), c.Path()) {
		limit = a.uploadBodyLimit()
	}
	n := c.Request().Header.ContentLength()
	if n < 0 {
		// Chunked: the body is in memory, never a pre-parsed form.
		n = len(c.Request().Body())
	}
	if n > limit {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}

// uploadTooLarge answers an upload refused for its size: 413, in the error
// format, with the limit beside the file field.
func (a *App) uploadTooLarge(c *fiber.Ctx, err error) error {
	lang := langOf(c)
	var fields map[string]string
	if e := evaluation.ErrorAs(err); e != nil {
		fields = a.fieldMessages(lang, e)
	}
	return c.Status(fiber.StatusRequestEntityTooLarge).JSON(apiError{apiErrorBody{Code: evaluation.Invalid,
		Message: a.tr.T(lang, "error.too_large"), Fields: fields}})
}

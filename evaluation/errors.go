package evaluation

import (
	"errors"
	"fmt"
)

// Code classifies an error for the edges: the web layer maps each code to one
// HTTP status, the CLI to one exit message.
type Code string

// The error vocabulary shared by every package.
const (
	Invalid         Code = "invalid"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Forbidden       Code = "forbidden"
	Unauthenticated Code = "unauthenticated"
	TooManyRequests Code = "too_many_requests"
	// Unavailable: the server is too busy to do the work now; the caller
	// may try again shortly.
	Unavailable Code = "unavailable"
	Internal    Code = "internal"
)

// Error is a domain error. Message and the values of Fields are message IDs
// (see web/i18n) so that the edge can show them in the user's language; they
// read as plain English keys when they reach a log.
type Error struct {
	Code    Code
	Message string
	// Fields maps an input field (its JSON name, dotted for nested values)
	// to a message ID that says what is wrong with it.
	Fields map[string]string
	// Args holds, per field, the values its message shows (for example the
	// total that should have been 100); under "" the values of Message.
	Args map[string]map[string]any
	Err  error
}

func (e *Error) Error() string {
	msg := string(e.Code) + ": " + e.Message
	if len(e.Fields) > 0 {
		msg += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a message ID.
func Errorf(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// FieldErrors collects per-field problems found while validating input.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when no field has a problem, otherwise an Invalid *Error.
func (f FieldErrors) Err() error {
	return f.ErrWithArgs(nil)
}

// ErrWithArgs is Err with the values that some fields' messages show
// (Error.Args); values of fields without a problem are left out.
func (f FieldErrors) ErrWithArgs(args map[string]map[string]any) error {
	if len(f) == 0 {
		return nil
	}
	e := &Error{Code: Invalid, Message: "error.invalid_input", Fields: f}
	for field, a := range args {
		if _, ok := f[field]; ok && len(a) > 0 {
			if e.Args == nil {
				e.Args = map[string]map[string]any{}
			}
			e.Args[field] = a
		}
	}
	return e
}

// ErrorCode returns the code of the first *Error in err's chain, Internal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorAs returns the first *Error in err's chain, or nil.
func ErrorAs(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Common errors.
var (
	ErrNotFound     = Errorf(NotFound, "error.not_found")
	ErrForbidden    = Errorf(Forbidden, "error.forbidden")
	ErrBadLogin     = Errorf(Unauthenticated, "error.bad_login")
	ErrBadToken     = Errorf(Unauthenticated, "error.bad_token")
	ErrUnauthorized = Errorf(Unauthenticated, "error.unauthenticated")
)

package web

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/go-playground/validator/v10"
)

// Requests are checked with validator v10: struct tags give the shape of the
// input (required, lengths, ranges), and the values a domain type takes come
// from the domain through one tag per type (`validate:"role"`), never from a
// list restated in a tag. A failed check becomes a field of an Invalid error
// with a message ID and the values the message shows; the error handler
// translates it in the user's language, like every other error.

// domainTag is a validate tag whose rule is the domain's: a string passes
// when problem finds nothing, and a refused one gets the message ID and
// values the domain gives for it.
type domainTag func(string) (msg string, args map[string]any)

// enum is the domainTag of an enumeration: its Valid method (which checks
// the domain's list) and the domain's message for a value not in it.
func enum[T ~string](valid func(T) bool, msg string) domainTag {
	return func(s string) (string, map[string]any) {
		if valid(T(s)) {
			return "", nil
		}
		return msg, nil
	}
}

// domainTags are the validate tags of domain types.
var domainTags = map[string]domainTag{
	"role":               enum(evaluation.Role.Valid, "error.role_invalid"),
	"language":           enum(evaluation.Language.Valid, "error.language_invalid"),
	"expert_type":        enum(evaluation.ExpertType.Valid, "error.type_invalid"),
	"title_level":        enum(evaluation.TitleLevel.Valid, "error.title_level_invalid"),
	"region":             enum(evaluation.Region.Valid, "error.region_invalid"),
	"aggregation":        enum(evaluation.Aggregation.Valid, "error.aggregation_invalid"),
	"collaboration_kind": enum(evaluation.CollaborationKind.Valid, "error.collaboration_kind_invalid"),
	// A new password: the domain's length and content rules, with the
	// limit broken as the message's value.
	"password": evaluation.PasswordProblem,
}

// tagMessage is the message of a failed validator tag by the kind of value
// checked, since a string's max is a length, a list's a count and a
// number's a value; arg names the tag's parameter in the message.
type tagMessage struct {
	text, list, number string
	arg                string
}

// anyKind is a tagMessage that reads the same for every kind of value.
func anyKind(msg, arg string) tagMessage { return tagMessage{msg, msg, msg, arg} }

// tagMessages maps the validator's tags used in this package to messages.
// A test keeps every tag used in a validate struct tag in this table or in
// domainTags, and every message in both languages.
var tagMessages = map[string]tagMessage{
	"required":    anyKind("error.required_field", ""),
	"max":         {"error.max_length", "error.max_items", "error.max", "Max"},
	"lte":         {"error.max_length", "error.max_items", "error.max", "Max"},
	"min":         {"error.min_length", "error.min_items", "error.min", "Min"},
	"gte":         {"error.min_length", "error.min_items", "error.min", "Min"},
	"len":         {"error.length", "error.items", "error.length", "Len"},
	"gt":          anyKind("error.gt", "Value"),
	"lt":          anyKind("error.lt", "Value"),
	"oneof":       anyKind("error.oneof", "Values"),
	"email":       anyKind("error.email", ""),
	"eqfield":     anyKind("error.fields_differ", ""),
	"hexadecimal": anyKind("error.hexadecimal", ""),
	"lowercase":   anyKind("error.lowercase", ""),
}

// invalidValue is the message of a tag missing from tagMessages.
const invalidValue = "error.invalid_value"

// newValidator returns the validator with the domain's tags, naming fields
// by their JSON names.
func newValidator() (*validator.Validate, error) {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	for tag, problem := range domainTags {
		err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			if fl.Field().Kind() != reflect.String {
				return false
			}
			msg, _ := problem(fl.Field().String())
			return msg == ""
		})
		if err != nil {
			return nil, fmt.Errorf("register validate tag %s: %w", tag, err)
		}
	}
	return v, nil
}

// check validates v with its struct tags and returns an Invalid error whose
// fields are the JSON paths of the refused values, each with a message ID
// and its values, or nil.
func (a *App) check(v any) error { return checkStruct(a.validate, v) }

func checkStruct(validate *validator.Validate, v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	verrs, ok := err.(validator.ValidationErrors)
	if !ok {
		return fmt.Errorf("validate %T: %w", v, err)
	}
	fields := evaluation.FieldErrors{}
	args := map[string]map[string]any{}
	for _, fe := range verrs {
		// The namespace starts with the struct's name; drop it.
		name := fe.Namespace()
		if i := strings.IndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		if _, seen := fields[name]; seen {
			continue
		}
		msg, a := fieldProblem(fe)
		fields.Add(name, msg)
		args[name] = a
	}
	return fields.ErrWithArgs(args)
}

// fieldProblem is the message ID and values of a failed tag.
func fieldProblem(fe validator.FieldError) (string, map[string]any) {
	if problem, ok := domainTags[fe.Tag()]; ok {
		s, _ := fe.Value().(string)
		if msg, args := problem(s); msg != "" {
			return msg, args
		}
		return invalidValue, nil
	}
	m, ok := tagMessages[fe.Tag()]
	if !ok {
		return invalidValue, nil
	}
	msg := m.number
	switch fe.Kind() {
	case reflect.String:
		msg = m.text
	case reflect.Slice, reflect.Array, reflect.Map:
		msg = m.list
	}
	if m.arg == "" {
		return msg, nil
	}
	param := fe.Param()
	if fe.Tag() == "oneof" {
		param = strings.Join(strings.Fields(param), ", ")
	}
	return msg, map[string]any{m.arg: param}
}

package rubrics

import (
	"errors"
	"reflect"
	"strings"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeJSON decodes one JSON value into v strictly: unknown members,
// repeated members and anything after the value are refused, and every
// problem names the field it is in as a dotted path ("indicators.0.max").
// It uses go-json-experiment/json, the prototype of Go's encoding/json/v2,
// whose errors carry that path (encoding/json's drop array positions).
// It is exported so that all of evalpanel's JSON input is read the same way.
func DecodeJSON(data []byte, v any) Problems {
	err := json.Unmarshal(data, v, json.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	var sem *json.SemanticError
	var syn *jsontext.SyntacticError
	switch {
	case errors.As(err, &sem):
		field := dotted(sem.JSONPointer)
		switch {
		case errors.Is(sem.Err, json.ErrUnknownName):
			return Problems{{Field: field, Message: "error.unknown_field"}}
		case errors.Is(sem.Err, ErrNotStep):
			return Problems{{Field: field, Message: "rubric.points_step"}}
		case errors.Is(sem.Err, ErrOutOfRange):
			return Problems{{Field: field, Message: "rubric.points_range"}}
		case errors.Is(sem.Err, ErrNotNumber):
			return Problems{{Field: field, Message: "error.wrong_type_number"}}
		case field == "":
			return Problems{{Message: "error.json_object_required"}}
		}
		return Problems{{Field: field, Message: "error.wrong_type_" + jsonKind(sem.GoType)}}
	case errors.As(err, &syn) && errors.Is(syn.Err, jsontext.ErrDuplicateName):
		return Problems{{Field: dotted(syn.JSONPointer), Message: "error.duplicate_field"}}
	}
	return Problems{{Message: "error.malformed_json"}}
}

// dotted turns a JSON pointer ("/indicators/0/max") into a field path
// ("indicators.0.max").
func dotted(p jsontext.Pointer) string {
	var parts []string
	for tok := range p.Tokens() {
		parts = append(parts, tok)
	}
	return strings.Join(parts, ".")
}

// jsonKind names the JSON type a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "object"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[Points]() {
		return "number"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}

package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/go-playground/locales/en"
	"github.com/go-playground/locales/zh"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	entrans "github.com/go-playground/validator/v10/translations/en"
	zhtrans "github.com/go-playground/validator/v10/translations/zh"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Messages live in i18n/<area>.<language>.json, one file per area of the
// product and language, so that work on one area touches its own files.
//
//go:embed i18n/*.json
var messageFiles embed.FS

// messagePaths lists the message files of a language.
func messagePaths(lang evaluation.Language) ([]string, error) {
	paths, err := fs.Glob(messageFiles, "i18n/*."+string(lang)+".json")
	if err == nil && len(paths) == 0 {
		err = fmt.Errorf("no message files for %s", lang)
	}
	return paths, err
}

// translator holds the message bundle and the validator with its
// translations, built once at start-up.
type translator struct {
	localizers map[evaluation.Language]*i18n.Localizer
	ids        map[string]bool
	validate   *validator.Validate
	vtrans     map[evaluation.Language]ut.Translator
}

func newTranslator() (*translator, error) {
	bundle := i18n.NewBundle(language.SimplifiedChinese)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &translator{localizers: map[evaluation.Language]*i18n.Localizer{}, ids: map[string]bool{},
		vtrans: map[evaluation.Language]ut.Translator{}}
	for _, lang := range evaluation.Languages {
		paths, err := messagePaths(lang)
		if err != nil {
			return nil, err
		}
		for _, path := range paths {
			data, err := messageFiles.ReadFile(path)
			if err != nil {
				return nil, err
			}
			// go-i18n takes the language from the file name's last
			// dotted part before the extension.
			mf, err := bundle.ParseMessageFileBytes(data, path)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", path, err)
			}
			for _, m := range mf.Messages {
				t.ids[m.ID] = true
			}
		}
		t.localizers[lang] = i18n.NewLocalizer(bundle, string(lang))
	}

	t.validate = validator.New(validator.WithRequiredStructEnabled())
	t.validate.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	uni := ut.New(zh.New(), zh.New(), en.New())
	zhT, _ := uni.GetTranslator("zh")
	enT, _ := uni.GetTranslator("en")
	if err := zhtrans.RegisterDefaultTranslations(t.validate, zhT); err != nil {
		return nil, err
	}
	if err := entrans.RegisterDefaultTranslations(t.validate, enT); err != nil {
		return nil, err
	}
	t.vtrans[evaluation.LangZH], t.vtrans[evaluation.LangEN] = zhT, enT
	return t, nil
}

// T returns the message id in lang, filled from data (key, value pairs).
// An unknown id comes back as is, so a missing message is visible rather
// than blank; a test keeps every id used present in both languages.
func (t *translator) T(lang evaluation.Language, id string, data ...any) string {
	loc, ok := t.localizers[lang]
	if !ok {
		loc = t.localizers[evaluation.LangZH]
	}
	var td map[string]any
	if len(data) > 1 {
		td = make(map[string]any, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			td[fmt.Sprint(data[i])] = data[i+1]
		}
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: td})
	if err != nil {
		return id
	}
	return s
}

// Has reports whether id is a message ID.
func (t *translator) Has(id string) bool { return t.ids[id] }

// check validates v with its struct tags and returns an Invalid error with a
// message per field in lang, or nil.
func (t *translator) check(lang evaluation.Language, v any) error {
	err := t.validate.Struct(v)
	if err == nil {
		return nil
	}
	verrs, ok := err.(validator.ValidationErrors)
	if !ok {
		return fmt.Errorf("validate %T: %w", v, err)
	}
	fields := evaluation.FieldErrors{}
	for _, fe := range verrs {
		// The namespace starts with the struct's name; drop it.
		name := fe.Namespace()
		if i := strings.IndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		if fe.Tag() == "eqfield" {
			fields.Add(name, t.T(lang, "error.fields_differ"))
			continue
		}
		msg := fe.Translate(t.vtrans[lang])
		// Messages name the field by its JSON name; use its label instead.
		if label := t.T(lang, "field."+fe.Field()); label != "field."+fe.Field() {
			msg = strings.Replace(msg, fe.Field(), label, 1)
		}
		fields.Add(name, msg)
	}
	return fields.Err()
}

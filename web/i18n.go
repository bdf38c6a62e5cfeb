package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
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

// translator holds the message bundle, built once at start-up.
type translator struct {
	localizers map[evaluation.Language]*i18n.Localizer
	ids        map[string]bool
}

func newTranslator() (*translator, error) {
	bundle := i18n.NewBundle(language.SimplifiedChinese)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	t := &translator{localizers: map[evaluation.Language]*i18n.Localizer{}, ids: map[string]bool{}}
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

// label names an input field in lang by its field.<name> message: the
// whole path's, else its last part's without an index ("items[2].date" is
// a date), else the name as it is.
func (t *translator) label(lang evaluation.Language, field string) string {
	id, leaf := t.labelID(field)
	if id == "" {
		return leaf
	}
	return t.T(lang, id)
}

// labelID returns the ID of the field's label message, "" when it has
// none, and the last part of its name.
func (t *translator) labelID(field string) (id, leaf string) {
	leaf = field
	if i := strings.LastIndexByte(leaf, '.'); i >= 0 {
		leaf = leaf[i+1:]
	}
	if i := strings.IndexByte(leaf, '['); i >= 0 {
		leaf = leaf[:i]
	}
	for _, name := range []string{field, leaf} {
		if t.Has("field." + name) {
			return "field." + name, leaf
		}
	}
	return "", leaf
}

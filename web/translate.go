package web

import "github.com/evalpanel/evalpanel/evaluation"

// Translator returns the messages of the web pages as a function, for the
// command line, which prints the same messages (an import's problems, the
// domain's errors) in the language the operator chooses. It parses every
// message file: call it once.
func Translator() (func(lang evaluation.Language, id string, args ...any) string, error) {
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	return tr.T, nil
}

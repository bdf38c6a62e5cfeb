package sqlite

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// decodeSheetContent decodes a sheet's stored content as json.Unmarshal
// would. Reading a campaign's results decodes every sheet of the
// campaign, and encoding/json spent most of that time on it; so the form
// the store writes itself (json.Marshal of a SheetContent: no spaces, the
// fields by their own names, each once) is read by hand, and anything else
// (spaces, other names, null, a name twice, a string with an escape, a
// control character or invalid UTF-8 that the hand reader cannot take
// as is) goes to json.Unmarshal, which then decides on all of it.
//
// The strings of the content it returns share the text's memory.
func decodeSheetContent(text string) (evaluation.SheetContent, error) {
	var c evaluation.SheetContent
	if r := (contentReader{b: text}); r.content(&c) && r.at == len(text) {
		return c, nil
	}
	c = evaluation.SheetContent{}
	err := json.Unmarshal([]byte(text), &c)
	return c, err
}

// contentReader reads the stored form of a sheet's content; each method
// reports false where the content is not in that form.
type contentReader struct {
	b  string
	at int
}

func (r *contentReader) next(c byte) bool {
	if r.at < len(r.b) && r.b[r.at] == c {
		r.at++
		return true
	}
	return false
}

// contentFields are the members of a content, in the order of seen.
var contentFields = []string{"scores", "comments", "opinion", "vetoes", "finance_pass"}

func (r *contentReader) content(c *evaluation.SheetContent) bool {
	if !r.next('{') {
		return false
	}
	if r.next('}') {
		return true
	}
	var seen [5]bool
	for {
		name, ok := r.name()
		if !ok || !r.next(':') {
			return false
		}
		field := slices.Index(contentFields, name)
		switch {
		case field < 0:
			return false
		case strings.HasPrefix(r.b[r.at:], "null"):
			// json.Unmarshal leaves the zero value: nil, or "".
			r.at += 4
		case field == 0:
			ok = r.scores(&c.Scores)
		case field == 1:
			ok = r.texts(&c.Comments)
		case field == 2:
			c.Opinion, ok = r.string()
		case field == 3:
			ok = r.vetoes(&c.Vetoes)
		case field == 4:
			c.FinancePass, ok = r.bool()
		}
		if !ok || seen[field] {
			return false
		}
		seen[field] = true
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

// name reads an object's member name: a string of letters and
// underscores, as the field names are.
func (r *contentReader) name() (string, bool) {
	if !r.next('"') {
		return "", false
	}
	start := r.at
	for r.at < len(r.b) && (r.b[r.at] >= 'a' && r.b[r.at] <= 'z' || r.b[r.at] == '_') {
		r.at++
	}
	name := r.b[start:r.at]
	return name, r.next('"')
}

// string reads a string without escapes, control characters or invalid
// UTF-8, which is what json.Unmarshal would read for it.
func (r *contentReader) string() (string, bool) {
	if !r.next('"') {
		return "", false
	}
	rest := r.b[r.at:]
	end := strings.IndexByte(rest, '"')
	if end < 0 {
		return "", false
	}
	s := rest[:end]
	if !plainText(s) || !utf8.ValidString(s) {
		return "", false
	}
	r.at += end + 1
	return s, true
}

// plainText reports whether s has neither a backslash nor a byte below
// 0x20, eight bytes at a time: x has a byte below n (n ≤ 128) exactly
// when (x − n·0x0101…01) &^ x & 0x8080…80 is not zero.
func plainText(s string) bool {
	if strings.IndexByte(s, '\\') >= 0 {
		return false
	}
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if (x-0x20*ones)&^x&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 {
			return false
		}
	}
	return true
}

// key reads a map key: the same as a string.
func (r *contentReader) key() (string, bool) { return r.string() }

func (r *contentReader) scores(m *map[string]rubrics.Points) bool {
	if !r.next('{') {
		return false
	}
	out := make(map[string]rubrics.Points, 8)
	*m = out
	if r.next('}') {
		return true
	}
	for {
		k, ok := r.key()
		if !ok || !r.next(':') {
			return false
		}
		start := r.at
		for r.at < len(r.b) && (r.b[r.at] >= '0' && r.b[r.at] <= '9' || r.b[r.at] == '-' || r.b[r.at] == '.') {
			r.at++
		}
		var p rubrics.Points
		if r.at == start || p.UnmarshalJSON([]byte(r.b[start:r.at])) != nil {
			return false
		}
		n := len(out)
		if out[k] = p; len(out) == n {
			return false // a key twice
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

func (r *contentReader) texts(m *map[string]string) bool {
	if !r.next('{') {
		return false
	}
	out := make(map[string]string, 8)
	*m = out
	if r.next('}') {
		return true
	}
	for {
		k, ok := r.key()
		if !ok || !r.next(':') {
			return false
		}
		v, ok := r.string()
		if !ok {
			return false
		}
		n := len(out)
		if out[k] = v; len(out) == n {
			return false // a key twice
		}
		if r.next('}') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

func (r *contentReader) vetoes(list *[]rubrics.VetoFlag) bool {
	if !r.next('[') {
		return false
	}
	*list = []rubrics.VetoFlag{}
	if r.next(']') {
		return true
	}
	for {
		var v rubrics.VetoFlag
		if !r.next('{') {
			return false
		}
		var seen [2]bool
		for !r.next('}') {
			if seen[0] || seen[1] {
				if !r.next(',') {
					return false
				}
			}
			name, ok := r.name()
			if !ok || !r.next(':') {
				return false
			}
			switch {
			case name == "code" && !seen[0]:
				v.Code, ok = r.string()
				seen[0] = true
			case name == "evidence" && !seen[1]:
				v.Evidence, ok = r.string()
				seen[1] = true
			default:
				return false
			}
			if !ok {
				return false
			}
		}
		*list = append(*list, v)
		if r.next(']') {
			return true
		}
		if !r.next(',') {
			return false
		}
	}
}

func (r *contentReader) bool() (*bool, bool) {
	switch {
	case strings.HasPrefix(r.b[r.at:], "true"):
		r.at += 4
		return new(true), true
	case strings.HasPrefix(r.b[r.at:], "false"):
		r.at += 5
		return new(false), true
	}
	return nil, false
}

package sqlstore

import (
	"encoding/json"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// contentFields and vetoFields are the members of a sheet's content and
// of a veto flag, by their JSON names.
var (
	contentFields = []string{"scores", "comments", "opinion", "vetoes", "finance_pass"}
	vetoFields    = []string{"code", "evidence"}
)

// decodeSheetContent decodes a sheet's stored content as json.Unmarshal
// would: the store's own form by hand (storedJSON), anything else by
// json.Unmarshal. The strings of the content share the text's memory.
func decodeSheetContent(text string) (evaluation.SheetContent, error) {
	if c, ok := readSheetContent(text); ok {
		return c, nil
	}
	var c evaluation.SheetContent
	err := json.Unmarshal([]byte(text), &c)
	return c, err
}

// readSheetContent reads a content in the store's own form; ok is false
// for any other.
func readSheetContent(text string) (c evaluation.SheetContent, ok bool) {
	r := &storedJSON{b: text}
	ok = r.object(contentFields, func(i int) bool {
		switch i {
		case 0:
			return r.scores(&c.Scores)
		case 1:
			c.Comments = make(map[string]string, 8)
			return r.entries(func(k string) bool {
				v, ok := r.string()
				n := len(c.Comments)
				c.Comments[k] = v
				return ok && len(c.Comments) > n
			})
		case 2:
			var ok bool
			c.Opinion, ok = r.string()
			return ok
		case 3:
			c.Vetoes = []rubrics.VetoFlag{}
			return r.list(func() bool {
				var v rubrics.VetoFlag
				ok := r.object(vetoFields, func(i int) bool {
					var ok bool
					if i == 0 {
						v.Code, ok = r.string()
					} else {
						v.Evidence, ok = r.string()
					}
					return ok
				})
				c.Vetoes = append(c.Vetoes, v)
				return ok
			})
		default:
			pass, ok := r.bool()
			c.FinancePass = &pass
			return ok
		}
	})
	return c, ok && r.done()
}

// scores reads a sheet's scores, each as Points reads it from JSON.
func (r *storedJSON) scores(m *map[string]rubrics.Points) bool {
	out := make(map[string]rubrics.Points, 8)
	*m = out
	return r.entries(func(k string) bool {
		s, ok := r.number()
		var p rubrics.Points
		if !ok || p.UnmarshalJSON([]byte(s)) != nil {
			return false
		}
		n := len(out)
		out[k] = p
		return len(out) > n
	})
}

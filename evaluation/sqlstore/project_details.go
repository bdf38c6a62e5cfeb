package sqlstore

import (
	"encoding/json"

	"github.com/evalpanel/evalpanel/evaluation"
)

// detailFields, memberFields and avoidFields are the members of a
// project's details, of a team member and of an avoid-list entry, by their
// JSON names.
var (
	detailFields = []string{"participants", "pi", "members", "budget", "spent", "start", "end", "subject_codes", "keywords",
		"methods", "promotion", "avoid"}
	memberFields = []string{"name", "institution", "role"}
	avoidFields  = []string{"name", "institution", "reason"}
)

// decodeProjectDetails decodes a project's stored details as
// json.Unmarshal would: the store's own form by hand (storedJSON),
// anything else by json.Unmarshal. The strings share the text's memory.
func decodeProjectDetails(text string) (projectDetails, error) {
	if d, ok := readProjectDetails(text); ok {
		return d, nil
	}
	var d projectDetails
	err := json.Unmarshal([]byte(text), &d)
	return d, err
}

// readProjectDetails reads details in the store's own form; ok is false
// for any other.
func readProjectDetails(text string) (d projectDetails, ok bool) {
	r := &storedJSON{b: text}
	// texts reads a team member or an avoid-list entry: three strings.
	texts := func(fields []string, a, b, c *string) bool {
		dst := [3]*string{a, b, c}
		return r.object(fields, func(i int) bool {
			var ok bool
			*dst[i], ok = r.string()
			return ok
		})
	}
	ok = r.object(detailFields, func(i int) bool {
		var ok bool
		switch i {
		case 0:
			return readStrings(r, &d.Participants)
		case 1:
			return texts(memberFields, &d.PI.Name, &d.PI.Institution, &d.PI.Role)
		case 2:
			d.Members = []evaluation.Member{}
			return r.list(func() bool {
				var m evaluation.Member
				ok := texts(memberFields, &m.Name, &m.Institution, &m.Role)
				d.Members = append(d.Members, m)
				return ok
			})
		case 3:
			d.Budget, ok = r.int64()
		case 4:
			d.Spent, ok = r.int64()
		case 5:
			d.Start, ok = r.string()
		case 6:
			d.End, ok = r.string()
		case 7:
			return readStrings(r, &d.SubjectCodes)
		case 8:
			return readStrings(r, &d.Keywords)
		case 9:
			return readStrings(r, &d.Methods)
		case 10:
			d.Promotion, ok = r.bool()
		default:
			d.Avoid = []evaluation.Avoid{}
			return r.list(func() bool {
				var a evaluation.Avoid
				ok := texts(avoidFields, &a.Name, &a.Institution, &a.Reason)
				d.Avoid = append(d.Avoid, a)
				return ok
			})
		}
		return ok
	})
	return d, ok && r.done()
}

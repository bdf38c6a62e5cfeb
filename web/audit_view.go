package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/gofiber/fiber/v2"
)

// auditRow is an audit entry as the pages show it: its action, object and
// details in words, in the page's language. Entry keeps the stored entry
// (its id, time, actor and hash).
type auditRow struct {
	Entry   *evaluation.AuditEntry
	Action  string
	Object  string
	Details []auditDetail
}

// auditDetail is one detail of an entry: what it is and its value.
type auditDetail struct {
	Label, Value string
}

// auditValues says how the values of some detail keys read: as the names
// of the objects their ids point to ("@kind"), or as the translated names
// of a domain list's values (the message ID prefixes to try, in order).
// A key with "[]" is an element of a list: "experts" is a list of ids in a
// draw, but a count in an import.
var auditValues = map[string][]string{
	"experts[]": {"@expert"}, "technical[]": {"@expert"}, "finance[]": {"@expert"}, "alternate": {"@expert"},
	"chair":  {"@expert"},
	"expert": {"@expert"}, "expert_id": {"@expert"},
	"project": {"@project"}, "projects[]": {"@project"}, "project_id": {"@project"},
	"campaign":    {"@campaign"},
	"member":      {"@member"},
	"indicator":   {"@indicator"},
	"user_id":     {"@user"},
	"languages[]": {"@language"},
	"role":        {"role."},
	"type":        {"expert_type."},
	"from":        {"campaign_state.", "rubric_status."},
	"to":          {"campaign_state.", "rubric_status."},
	"kind":        {"material_kind.", "collaboration_kind.", "method_record_kind.", "record_kind.", "revisions.kind."},
	"language":    {"lang."},
	"status":      {"indicator_status.", "member_status.", "panel_state.", "results.opinion_status."},
	"conclusion":  {"conclusion."},
	"proposed":    {"conclusion."},
	"aggregation": {"aggregation."},
	"region":      {"region."},
	"title_level": {"title_level."},
}

// auditHidden are details that are internal ids with nothing to show a
// reader: the record that the entry's object and action already name.
var auditHidden = map[string]bool{"conflict_id": true, "collaboration_id": true, "record": true, "sheet": true, "conflicts": true}

// auditRows turns entries into rows for a page. Objects the user may not
// open (or that are gone) are named by their kind only; any other failure
// to look one up is an error.
func (a *App) auditRows(c *fiber.Ctx, entries []*evaluation.AuditEntry) ([]auditRow, error) {
	n := &auditNames{a: a, c: c, cache: map[string]string{}}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{Entry: e, Action: a.auditAction(c, e.Action), Object: n.object(e)}
		rows[i].Details = n.details(e)
		if n.err != nil {
			return nil, n.err
		}
	}
	return rows, nil
}

// auditAction is the translated name of an audit action, or the action
// itself when it has none.
func (a *App) auditAction(c *fiber.Ctx, action string) string {
	id := "audit_action." + action
	if a.tr.Has(id) {
		return a.T(c, id)
	}
	return action
}

// auditActions are the actions with a translated name, for the log's
// filter, in the order of their names.
func (a *App) auditActions(c *fiber.Ctx) []auditDetail {
	var out []auditDetail
	for id := range a.tr.ids {
		if action, ok := strings.CutPrefix(id, "audit_action."); ok {
			out = append(out, auditDetail{Label: a.T(c, id), Value: action})
		}
	}
	slices.SortFunc(out, func(x, y auditDetail) int { return strings.Compare(x.Label+x.Value, y.Label+y.Value) })
	return out
}

// auditNames looks up the names of the objects entries point to, once
// each, with the user's rights.
type auditNames struct {
	a     *App
	c     *fiber.Ctx
	cache map[string]string
	err   error
}

// object names an entry's object: its kind, and its name when the user may
// see it.
func (n *auditNames) object(e *evaluation.AuditEntry) string {
	kind := n.a.T(n.c, "object."+e.ObjectType)
	name := ""
	switch {
	case e.ObjectType == "system" || e.ObjectID == "":
	case e.ObjectType == "token":
		// A token is named by the name it was created with.
		var d map[string]any
		if json.Unmarshal([]byte(e.Details), &d) == nil {
			name, _ = d["name"].(string)
		}
	case e.ObjectType == "user":
		// Only administrators open other users: others see the
		// username recorded, or the actor's own when they acted on
		// themselves.
		var d map[string]any
		json.Unmarshal([]byte(e.Details), &d)
		recorded, _ := d["username"].(string)
		if e.ObjectID == strconv.FormatInt(e.ActorID, 10) {
			recorded = e.Actor
		}
		name = cmp.Or(n.name("user", e.ObjectID), recorded)
	case e.ObjectType == "institution_alias":
		name = e.ObjectID
	default:
		name = n.name(e.ObjectType, e.ObjectID)
	}
	if name == "" {
		return kind
	}
	return kind + " " + name
}

// lookup returns the name cached under key, or finds it: a name the user
// may not see, or of an object that is gone, is ""; any other failure is
// kept in n.err.
func (n *auditNames) lookup(key string, find func() (string, error)) string {
	if s, ok := n.cache[key]; ok {
		return s
	}
	s, err := find()
	switch evaluation.ErrorCode(err) {
	case "":
	case evaluation.NotFound, evaluation.Forbidden:
		s = ""
	default:
		s = ""
		if n.err == nil {
			n.err = fmt.Errorf("name %s for the audit log: %w", key, err)
		}
	}
	n.cache[key] = s
	return s
}

// name returns the name of an object by its kind and id, "" when the user
// may not see it or it is gone.
func (n *auditNames) name(kind, id string) string {
	ctx, act, lang := n.c.UserContext(), actor(n.c), langOf(n.c)
	num, _ := strconv.ParseInt(id, 10, 64)
	return n.lookup(kind+":"+id, func() (string, error) {
		switch kind {
		case "user":
			u, err := n.a.accounts.User(ctx, act, num)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s（%s）", u.Name, u.Username), nil
		case "agency":
			ag, err := n.a.accounts.Agency(ctx, act, num)
			if err != nil {
				return "", err
			}
			if lang == evaluation.LangEN && ag.NameEN != "" {
				return ag.NameEN, nil
			}
			return ag.NameZH, nil
		case "expert":
			e, err := n.a.pool.Expert(ctx, act, num)
			if err != nil {
				return "", err
			}
			return e.Name, nil
		case "campaign":
			c, err := n.a.campaigns.Campaign(ctx, act, num)
			if err != nil {
				return "", err
			}
			return c.Name, nil
		case "project":
			p, err := n.a.campaigns.Project(ctx, act, num)
			if err != nil {
				return "", err
			}
			return p.Code, nil
		case "panel":
			p, err := n.a.panels.Panel(ctx, act, num)
			if err != nil {
				return "", err
			}
			return p.Name, nil
		case "material":
			m, err := n.a.materials.Material(ctx, act, num)
			if err != nil {
				return "", err
			}
			return m.Filename, nil
		case "rubric":
			code, v, _ := strings.Cut(id, "/v")
			version, _ := strconv.Atoi(v)
			r, err := n.a.rubrics.Rubric(ctx, act, code, version)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s v%d", r.Content.Name.In(string(lang)), r.Version), nil
		}
		return "", nil
	})
}

// details lists an entry's details, in the order of their keys, with
// translated labels and values in words.
func (n *auditNames) details(e *evaluation.AuditEntry) []auditDetail {
	d := json.NewDecoder(bytes.NewReader([]byte(e.Details)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil
	}
	var out []auditDetail
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if !auditHidden[k] {
			out = append(out, auditDetail{Label: n.a.auditKey(langOf(n.c), k), Value: n.value(e, k, m[k])})
		}
	}
	return out
}

// auditKey labels a detail key by its audit_key message, or shows the key
// when it has none (a test keeps the keys the demo writes translated).
func (a *App) auditKey(lang evaluation.Language, key string) string {
	if id := "audit_key." + key; a.tr.Has(id) {
		return a.tr.T(lang, id)
	}
	return key
}

// value shows a detail's value in words.
func (n *auditNames) value(e *evaluation.AuditEntry, key string, v any) string {
	lang := langOf(n.c)
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return n.a.T(n.c, "audit.yes")
		}
		return n.a.T(n.c, "audit.no")
	case []any:
		if len(x) == 0 {
			return "—"
		}
		parts := make([]string, len(x))
		for i, item := range x {
			parts[i] = n.value(e, key+"[]", item)
		}
		sep := "、"
		if lang == evaluation.LangEN {
			sep = ", "
		}
		return strings.Join(parts, sep)
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, n.a.auditKey(lang, k)+": "+n.value(e, k, x[k]))
		}
		return strings.Join(parts, "; ")
	}
	s := fmt.Sprint(v)
	for _, how := range auditValues[key] {
		switch {
		case s == "" || s == "0":
			return "—"
		case how == "@member":
			return cmp.Or(n.memberName(e, s), s)
		case how == "@indicator":
			return cmp.Or(n.indicatorName(e, s), s)
		case how == "@language":
			return languageName(lang, s)
		case strings.HasPrefix(how, "@"):
			return cmp.Or(n.name(how[1:], s), s)
		case n.a.tr.Has(how + s):
			return n.a.T(n.c, how+s)
		}
	}
	if s == "" {
		return "—"
	}
	return s
}

// memberName names the expert of a panel member; the entry's object is
// the panel.
func (n *auditNames) memberName(e *evaluation.AuditEntry, memberID string) string {
	if e.ObjectType != "panel" {
		return ""
	}
	id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
	mid, _ := strconv.ParseInt(memberID, 10, 64)
	return n.lookup("member:"+e.ObjectID+":"+memberID, func() (string, error) {
		p, err := n.a.panels.Panel(n.c.UserContext(), actor(n.c), id)
		if err != nil {
			return "", err
		}
		if m, ok := p.Member(mid); ok {
			return n.name("expert", strconv.FormatInt(m.ExpertID, 10)), nil
		}
		return "", nil
	})
}

// indicatorName names a contract indicator of the project that is the
// entry's object by its number and name.
func (n *auditNames) indicatorName(e *evaluation.AuditEntry, indicatorID string) string {
	if e.ObjectType != "project" {
		return ""
	}
	id, _ := strconv.ParseInt(e.ObjectID, 10, 64)
	iid, _ := strconv.ParseInt(indicatorID, 10, 64)
	return n.lookup("indicator:"+e.ObjectID+":"+indicatorID, func() (string, error) {
		p, err := n.a.campaigns.Project(n.c.UserContext(), actor(n.c), id)
		if err != nil {
			return "", err
		}
		for _, in := range p.Indicators {
			if in.ID == iid {
				return fmt.Sprintf("%d. %s", in.Seq, in.Name), nil
			}
		}
		return "", nil
	})
}

package web

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// validatorMessageIDs lists every message the validator's mapping can give:
// the tags' messages, the fallback, and what the domain tags answer for
// values they refuse.
func validatorMessageIDs() []string {
	ids := map[string]bool{invalidValue: true}
	for _, m := range tagMessages {
		ids[m.text], ids[m.list], ids[m.number] = true, true, true
	}
	for _, problem := range domainTags {
		for _, v := range []string{"", "no such value", strings.Repeat("x", 1000), strings.Repeat(" ", 20)} {
			if msg, _ := problem(v); msg != "" {
				ids[msg] = true
			}
		}
	}
	var out []string
	for id := range ids {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

var validateTag = regexp.MustCompile("json:\"([a-z_]+)[^\"]*\"[^`]*validate:\"([^\"]*)\"|validate:\"([^\"]*)\"")

// validateTags returns the validate struct tags of the package's code by
// the JSON name of their field ("" when the field has none).
func validateTags(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, src := range goSources(t, "*.go") {
		for _, m := range validateTag.FindAllStringSubmatch(src.Text, -1) {
			name, tag := m[1], m[2]
			if tag == "" {
				tag = m[3]
			}
			out[name] = append(out[name], tag)
		}
	}
	if len(out) < 20 {
		t.Fatalf("found only %d validated fields; the scan is broken", len(out))
	}
	return out
}

// TestValidateTagsHaveMessages fails when a validate tag in the code has no
// message of its own (it would fall back to "not valid"), or when a
// validated field has no label for the messages that name it.
func TestValidateTagsHaveMessages(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	modifiers := map[string]bool{"omitempty": true, "omitnil": true, "dive": true}
	for name, tags := range validateTags(t) {
		for _, tag := range tags {
			for _, part := range strings.Split(tag, ",") {
				key, _, _ := strings.Cut(part, "=")
				_, mapped := tagMessages[key]
				_, domain := domainTags[key]
				if !mapped && !domain && !modifiers[key] {
					t.Errorf("field %s: tag %q has no message in tagMessages", name, key)
				}
				// oneof is left for form encodings such as a checkbox's 0
				// and 1; a list of words is a domain's list restated.
				if strings.HasPrefix(part, "oneof=") && strings.ContainsAny(part[len("oneof="):], "abcdefghijklmnopqrstuvwxyz") {
					t.Errorf("field %s: %q restates a domain list; use the domain's tag", name, part)
				}
			}
		}
		if name != "" && !tr.Has("field."+name) {
			t.Errorf("validated field %s has no label (field.%s)", name, name)
		}
	}
}

// TestValidatorMessagesShowTheirValues: every message of a tag names the
// field by its label and shows the tag's parameter, in both languages,
// with no value missing.
func TestValidatorMessagesShowTheirValues(t *testing.T) {
	tr, err := newTranslator()
	if err != nil {
		t.Fatal(err)
	}
	for tag, m := range tagMessages {
		for _, id := range []string{m.text, m.list, m.number} {
			data := []any{"Label", "LABEL"}
			if m.arg != "" {
				data = append(data, m.arg, "4242")
			}
			for _, lang := range evaluation.Languages {
				got := tr.T(lang, id, data...)
				switch {
				case got == id:
					t.Errorf("%s: %s is missing in %s", tag, id, lang)
				case strings.Contains(got, "<no value>"):
					t.Errorf("%s: %s in %s wants a value it is not given: %q", tag, id, lang, got)
				case !strings.Contains(got, "LABEL") && tag != "eqfield":
					// eqfield's message speaks of the two passwords, the
					// only fields compared.
					t.Errorf("%s: %s in %s does not name the field: %q", tag, id, lang, got)
				case m.arg != "" && !strings.Contains(got, "4242"):
					t.Errorf("%s: %s in %s does not show %s: %q", tag, id, lang, m.arg, got)
				}
			}
		}
	}
}

// TestFieldMessagesInCallersLanguage sends one body with several bad fields
// and gets each field's message in the caller's language, naming the field
// by its label; the values come from the tags and the domain's lists.
func TestFieldMessagesInCallersLanguage(t *testing.T) {
	h := newHarness(t)
	keywords := `"k1","k2","k3","k4","k5","k6","k7","k8","k9","k10","k11","k12","k13","k14","k15","k16","k17","k18","k19","k20","k21"`
	body := `{"name":"","type":"professor","institution":"` + strings.Repeat("院", 129) + `","title_level":"senior",` +
		`"region":"mars","email":"not an address","keywords":[` + keywords + `]}`
	cases := []struct {
		lang string
		want map[string]string
	}{
		{"zh-CN", map[string]string{
			"name":        "名称为必填项。",
			"type":        "专家类型无效。",
			"institution": "工作单位长度不能超过128个字符。",
			"region":      "地域无效。",
			"email":       "电子邮箱必须是有效的电子邮件地址。",
			"keywords":    "研究方向关键词最多只能有20项。",
		}},
		{"en", map[string]string{
			"name":        "Name is required.",
			"type":        "Not a valid expert type.",
			"institution": "Institution must be at most 128 characters in length.",
			"region":      "Not a valid region.",
			"email":       "Email must be a valid email address.",
			"keywords":    "Keywords can have at most 20 items.",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			resp, b := h.api("admin", "POST", "/api/v1/experts", body, "Accept-Language", tc.lang)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400; body %s", resp.StatusCode, b)
			}
			if diff := cmp.Diff(tc.want, apiErr(t, b).Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDomainTagsFollowTheDomainsLists: each domain tag accepts every value
// of the domain's list, directly or through a pointer, and refuses another
// with the domain's message.
func TestDomainTagsFollowTheDomainsLists(t *testing.T) {
	v, err := newValidator()
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string][]string{
		"role":               toStrings(evaluation.Roles),
		"language":           toStrings(evaluation.Languages),
		"expert_type":        toStrings(evaluation.ExpertTypes),
		"title_level":        toStrings(evaluation.TitleLevels),
		"region":             toStrings(evaluation.Regions),
		"aggregation":        toStrings(evaluation.Aggregations),
		"collaboration_kind": toStrings(evaluation.CollaborationKinds),
		"password":           {"a fine long password"},
	}
	for tag := range domainTags {
		if _, ok := lists[tag]; !ok {
			t.Errorf("tag %s: no values to test it with", tag)
		}
	}
	for tag, values := range lists {
		if _, ok := domainTags[tag]; !ok {
			t.Errorf("tag %s is not a domain tag", tag)
			continue
		}
		check := func(value string) error {
			if err := v.Var(value, "required,"+tag); err != nil {
				return err
			}
			return v.Var(&value, "omitnil,"+tag)
		}
		for _, value := range values {
			if err := check(value); err != nil {
				t.Errorf("tag %s refuses %q: %v", tag, value, err)
			}
		}
		bad := "no-such-value"
		if tag == "password" {
			bad = "short"
		}
		if err := check(bad); err == nil {
			t.Errorf("tag %s accepts %q", tag, bad)
		}
	}

	type userInput struct {
		Role string `json:"role" validate:"required,role"`
	}
	err = checkStruct(v, &userInput{Role: "root"})
	if e := evaluation.ErrorAs(err); e == nil || e.Fields["role"] != "error.role_invalid" {
		t.Errorf("role root: got %v, want the domain's error.role_invalid", err)
	}
}

func toStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

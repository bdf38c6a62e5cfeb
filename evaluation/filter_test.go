package evaluation_test

import (
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// TestFiltersRefuseValuesThatNameNothing: each list filter refuses a value
// outside its domain under the query parameter's name, and takes its zero
// value (no filter, default page) as valid.
func TestFiltersRefuseValuesThatNameNothing(t *testing.T) {
	long := strings.Repeat("q", evaluation.MaxQueryLength+1)
	tooFar := evaluation.Page{Number: evaluation.MaxPageNumber + 1}
	tooBig := evaluation.Page{Size: evaluation.MaxPageSize + 1}
	type validator interface{ Validate() error }
	cases := []struct {
		name  string
		f     validator
		param string
	}{
		{"users: zero", &evaluation.UserFilter{}, ""},
		{"users: search", &evaluation.UserFilter{Query: long}, "q"},
		{"users: role", &evaluation.UserFilter{Role: "root"}, "role"},
		{"users: agency", &evaluation.UserFilter{AgencyID: -1}, "agency"},
		{"users: sort", &evaluation.UserFilter{Sort: "-password_hash"}, "sort"},
		{"users: page", &evaluation.UserFilter{Page: tooFar}, "page"},
		{"users: per page", &evaluation.UserFilter{Page: tooBig}, "per_page"},
		{"users: good", &evaluation.UserFilter{Query: "li", Role: evaluation.RoleExpert, Sort: "-login",
			Page: evaluation.Page{Number: 3, Size: evaluation.MaxPageSize}}, ""},

		{"experts: zero", &evaluation.ExpertFilter{}, ""},
		{"experts: page", &evaluation.ExpertFilter{Page: tooFar}, "page"},
		{"experts: per page", &evaluation.ExpertFilter{Page: tooBig}, "per_page"},

		{"campaigns: zero", &evaluation.CampaignFilter{}, ""},
		{"campaigns: year", &evaluation.CampaignFilter{Year: 1999}, "year"},
		{"campaigns: state", &evaluation.CampaignFilter{State: "finished"}, "state"},
		{"campaigns: good", &evaluation.CampaignFilter{Year: 2026, State: evaluation.CampaignScoring}, ""},

		{"projects: zero", &evaluation.ProjectFilter{}, ""},
		{"projects: search", &evaluation.ProjectFilter{Query: long}, "q"},
		{"projects: class", &evaluation.ProjectFilter{Class: "basic"}, "class"},
		{"projects: sort", &evaluation.ProjectFilter{Sort: "budget"}, "sort"},
		{"projects: per page", &evaluation.ProjectFilter{Page: tooBig}, "per_page"},
		{"projects: good", &evaluation.ProjectFilter{Class: evaluation.BasicResearch, Sort: "-lead"}, ""},

		{"audit: zero", &evaluation.AuditFilter{}, ""},
		{"audit: action", &evaluation.AuditFilter{Action: "login"}, "action"},
		{"audit: object type", &evaluation.AuditFilter{ObjectType: "planet"}, "object_type"},
		{"audit: page", &evaluation.AuditFilter{Page: evaluation.Page{Number: -1}}, "page"},
		{"audit: good", &evaluation.AuditFilter{Action: "campaign.transition", ObjectType: "institution_alias"}, ""},

		{"rubrics: zero", &evaluation.RubricFilter{}, ""},
		{"rubrics: code", &evaluation.RubricFilter{Code: "br"}, "code"},
		{"rubrics: target", &evaluation.RubricFilter{Target: "everything"}, "target"},
		{"rubrics: status", &evaluation.RubricFilter{Status: "archived"}, "status"},
		{"rubrics: good", &evaluation.RubricFilter{Code: "BR", Target: "finance", Status: evaluation.RubricRetired}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.f.Validate()
			if tc.param == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			e := evaluation.ErrorAs(err)
			if e == nil || e.Code != evaluation.Invalid {
				t.Fatalf("got %v, want an Invalid error", err)
			}
			if e.Fields[tc.param] == "" || len(e.Fields) != 1 {
				t.Errorf("fields %v, want one for %s", e.Fields, tc.param)
			}
		})
	}
}

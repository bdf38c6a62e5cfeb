package evaluation

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/google/go-cmp/cmp"
)

// quotaProblems counts the seats the quotas still need over nested quotas
// and against the vacant seats, by hand-computed cases.
func TestQuotaProblems(t *testing.T) {
	const (
		d = DomainExpert
		s = StrategicScientist
		i = Investor
		p = InternationalPeer
	)
	rules := assign.PanelRules{Quotas: []assign.Quota{
		{Name: "domain_or_strategic", Types: []string{string(d), string(s)}, Min: 3},
		{Name: "domain", Types: []string{string(d)}, Min: 2}, // nested in the first
		{Name: "peer", Types: []string{string(p)}, Min: 1, Soft: true},
		{Name: "investor", Types: []string{string(i)}, Min: 1},
	}}
	same := assign.PanelRules{Quotas: []assign.Quota{ // three quotas of one type set: a chain, not three needs
		{Name: "a", Types: []string{string(d)}, Min: 2},
		{Name: "b", Types: []string{string(d)}, Min: 2},
		{Name: "c", Types: []string{string(d)}, Min: 2},
	}}
	tests := []struct {
		name       string
		rules      assign.PanelRules
		group      []ExpertType
		free       int
		hard, soft []string
	}{
		{"all met", rules, []ExpertType{d, d, s, i, p}, 0, nil, nil},
		{"a nested quota short, the outer met", rules, []ExpertType{d, s, s, i, p}, 0, []string{"domain"}, nil},
		{"soft short", rules, []ExpertType{d, d, s, i, i}, 0, nil, []string{"peer"}},
		{"short, but a vacant seat can make it up", rules, []ExpertType{d, s, s, i, p}, 1, nil, nil},
		{"one seat serves the nested quota and the outer one", rules, []ExpertType{d, s, i}, 1, nil, nil},
		{"nested needs more than the outer's shortfall", rules, []ExpertType{s, s, i}, 1, []string{"domain_or_strategic", "domain"}, nil},
		{"nested need fits", rules, []ExpertType{s, s, i}, 2, nil, nil},
		{"disjoint quotas compete for the seats", rules, []ExpertType{d, s}, 1, []string{"domain_or_strategic", "domain", "investor"}, nil},
		{"disjoint quotas with enough seats", rules, []ExpertType{d, s}, 2, nil, nil},
		{"same types: the largest need", same, []ExpertType{}, 2, nil, nil},
		{"same types, too few seats", same, []ExpertType{d}, 0, []string{"a", "b", "c"}, nil},
		{"no quotas", assign.PanelRules{}, []ExpertType{i}, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			types := map[int64]string{}
			var group []int64
			for n, typ := range tt.group {
				types[int64(n+1)] = string(typ)
				group = append(group, int64(n+1))
			}
			hard, soft := quotaProblems(tt.rules, types, group, tt.free)
			if diff := cmp.Diff(tt.hard, hard); diff != "" {
				t.Errorf("hard (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.soft, soft); diff != "" {
				t.Errorf("soft (-want +got):\n%s", diff)
			}
		})
	}
}

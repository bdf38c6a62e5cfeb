package sqlstore

import (
	"maps"
	"slices"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// TestSortKeysMatchTheDomain: the lists sort by exactly the keys their
// filters accept, so that a key the domain lets through always sorts.
func TestSortKeysMatchTheDomain(t *testing.T) {
	for _, tc := range []struct {
		name    string
		domain  []string
		columns map[string]string
	}{
		{"users", evaluation.UserSorts, userSorts},
		{"experts", evaluation.ExpertSorts, expertSorts},
		{"projects", evaluation.ProjectSorts, projectSorts},
	} {
		got := slices.Sorted(maps.Keys(tc.columns))
		want := slices.Sorted(slices.Values(tc.domain))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: sort keys (-domain +store):\n%s", tc.name, diff)
		}
	}
}

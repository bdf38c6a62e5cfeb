package assign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// TestMatchUnchanged holds Match to the results it gave before its
// network was built in parallel (issue 11): a match record verifies by
// re-running Match, so the same input must give the same bytes, including
// where noise totals tie and the solver's pivoting decides, which depends
// on the order of nodes and arcs. The digests are of the JSON results of
// campaigns of the benchmark's shape, with loose and tight capacities,
// with a seed shorter than a SHA-256 block and one of 64 characters (as
// evaluation makes them); one is infeasible, for the explanation. They
// were taken at 1b3e0ab.
func TestMatchUnchanged(t *testing.T) {
	const long = "6576616c70616e656c2d62656e63682d6576616c70616e656c2d62656e636821"
	tests := []struct {
		projects, experts, minCap, maxCap int
		seed                              string
		// finance: every finance expert eligible to every project, as
		// when finance seats need no subject match (evalpanel bench)
		finance bool
		want    string
	}{
		{150, 2000, 2, 8, "benchmark", false, "2edc78e91c05bf9b0035e600f08b23bdbcc9f737d96605ea91fa34b7cb9b8893"},
		{300, 2000, 1, 3, "benchmark", false, "e8c935dfe2d1fad9305847c3fca922497abbc0fece3af4a9080028e4e8af6062"},
		{150, 2000, 2, 8, long, false, "6e43ad3baddc9ac681290d5e6c3d78d52f6b688fd06a551da41bb5f032bca2a9"},
		{300, 3000, 1, 3, long, true, "9dfd4077b8511700aaf0f159d3f9f4637eb65cbd4ad636d87b32832ef9062d83"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d×%d cap %d-%d seed %d finance %t", tt.projects, tt.experts, tt.minCap, tt.maxCap, len(tt.seed), tt.finance), func(t *testing.T) {
			in := benchMatchInput(tt.projects, tt.experts, tt.minCap, tt.maxCap)
			in.Seed = tt.seed
			if tt.finance {
				for _, p := range in.Projects {
					for _, e := range in.Experts {
						if e.Type == FinanceExpert && !slices.Contains(in.Eligible[p.ID], e.ID) {
							in.Eligible[p.ID] = append(in.Eligible[p.ID], e.ID)
						}
					}
				}
			}
			res, err := Match(context.Background(), in)
			var b []byte
			if err != nil {
				b = []byte(err.Error())
			} else if b, err = json.Marshal(res); err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != tt.want {
				t.Errorf("digest of the result %s, want %s", got, tt.want)
			}
		})
	}
}

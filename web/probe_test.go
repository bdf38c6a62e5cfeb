package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The regression tests of issue 11's outside probe.

// TestDrawRepeatedProject: a draw naming the same project twice is refused
// with 400 and a message for the projects field, and changes nothing.
func TestDrawRepeatedProject(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	h.withPool()
	cid, pid := h.formingCampaign()
	h.warmTokens()
	before := h.dump()
	h.run(t, scenario{name: "repeated project", as: "staffa", method: "POST", url: fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", cid),
		body: fmt.Sprintf(`{"projects":[%d,%d]}`, pid, pid), status: http.StatusBadRequest, code: evaluation.Invalid, fields: []string{"projects"}})
	if h.dump() != before {
		t.Errorf("a refused draw changed the database")
	}
}

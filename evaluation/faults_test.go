package evaluation_test

import (
	"errors"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// A failed store call is the caller's error, never turned into a refusal
// of the input (a 400 for what is the database's fault) nor dropped.
func TestStoreErrorsReachTheCaller(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	e.pool(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	c, ps := e.campaignWith(t, staff, sampleProject("23DZ1200101"))
	p := ps[0]
	svc, st := e.faulty(t)

	t.Run("project update, checking the code", func(t *testing.T) {
		st.fail = func(op string, v any) bool { return op == "ProjectByCode" }
		defer func() { st.fail = nil }()
		up := sampleProject("23DZ1200101")
		up.Title = "改过的题目"
		if _, err := svc.Campaigns.UpdateProject(ctx, staff, p.ID, up); !errors.Is(err, errDiskFull) {
			t.Errorf("update: %v, want the store's error", err)
		}
		got, err := e.svc.Campaigns.Project(ctx, staff, p.ID)
		if err != nil || got.Title == up.Title {
			t.Errorf("after a failed update the project is %q (%v)", got.Title, err)
		}
	})

	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		fail func(op string, v any) bool
	}{
		{"draw, loading a project", func(op string, v any) bool { return op == "Project" && v == p.ID }},
		{"draw, picking the chair", func(op string, v any) bool { return op == "Expert" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st.fail = tc.fail
			defer func() { st.fail = nil }()
			if _, err := svc.Panels.DrawPanel(ctx, staff, c.ID, []int64{p.ID}, testSeed); !errors.Is(err, errDiskFull) {
				t.Errorf("draw: %v, want the store's error", err)
			}
			if panels, err := e.svc.Panels.Panels(ctx, staff, c.ID); err != nil || len(panels) != 0 {
				t.Errorf("after a failed draw: %d panels (%v)", len(panels), err)
			}
		})
	}
}

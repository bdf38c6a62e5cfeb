package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rubrics"
)

// The divergence limits are the campaign's: the same sheets (totals 83,
// 83, 83, 83 and 77: range 6, at most 6 from the median) are divergent
// under a range limit of 5.5 and not under the default 20, in the
// campaign's results and in the chair's.
func TestCampaignDivergenceLimits(t *testing.T) {
	for _, tc := range []struct {
		name      string
		change    func(*evaluation.CampaignSettings)
		rangeLim  string
		divergent bool
	}{
		{"the defaults", nil, "20", false},
		{"a range limit of 5.5", func(s *evaluation.CampaignSettings) { s.DivergenceRange = rubrics.Points(11) }, "5.5", true},
		{"a range limit of 6", func(s *evaluation.CampaignSettings) { s.DivergenceRange = pts(6) }, "6", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOpinionEnvWith(t, tc.change)
			ctx := t.Context()
			o.submit(t, o.chair)
			lower := true // the first technical member scores A1 6 points lower
			for _, m := range o.members {
				o.submitWith(t, m, func(c *evaluation.SheetContent) {
					if _, technical := c.Scores["A1"]; technical && lower {
						c.Scores["A1"], lower = pts(16), false
					}
				})
			}
			res, err := o.svc.Results.CampaignResults(ctx, o.staff, o.c.ID)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Report.Results[0].Divergence
			if d.Range != pts(6) || d.RangeLimit.String() != tc.rangeLim || d.DistanceLimit != pts(15) || d.Divergent != tc.divergent {
				t.Errorf("divergence = %+v, want range 6 against %s, divergent %v", d, tc.rangeLim, tc.divergent)
			}
			pr, err := o.svc.Results.ProjectResult(ctx, o.chair, o.project.ID)
			if err != nil || pr.Result.Divergence != d {
				t.Errorf("the chair's divergence = %+v, %v; want %+v", pr.Result.Divergence, err, d)
			}
		})
	}
}

// The limits are 1 to 100 points; left out (zero) they are the defaults
// on a new campaign and stay as they were on a changed one.
func TestDivergenceLimitSettings(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	ctx := t.Context()
	for _, tc := range []struct {
		name            string
		rangeL, distL   rubrics.Points
		field           string
		wantRange, want rubrics.Points
	}{
		{"left out", 0, 0, "", pts(20), pts(15)},
		{"half points", rubrics.Points(35), rubrics.Points(25), "", rubrics.Points(35), rubrics.Points(25)},
		{"the bounds", pts(1), pts(100), "", pts(1), pts(100)},
		{"below 1", rubrics.Half, pts(15), "settings.divergence_range", 0, 0},
		{"above 100", pts(20), pts(100) + rubrics.Half, "settings.divergence_distance", 0, 0},
		{"negative", -pts(5), pts(15), "settings.divergence_range", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := evaluation.DefaultCampaignSettings()
			s.DivergenceRange, s.DivergenceDistance = tc.rangeL, tc.distL
			c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2025, Settings: &s})
			if tc.field != "" {
				if e := wantCode(t, err, evaluation.Invalid); e.Fields[tc.field] != "error.divergence_limit_range" {
					t.Errorf("fields = %v, want %s refused", e.Fields, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Settings.DivergenceRange != tc.wantRange || c.Settings.DivergenceDistance != tc.want {
				t.Errorf("limits = %s and %s, want %s and %s", c.Settings.DivergenceRange, c.Settings.DivergenceDistance, tc.wantRange, tc.want)
			}
			// Changed without the limits: they stay.
			s.DivergenceRange, s.DivergenceDistance = 0, 0
			if c, err = e.svc.Campaigns.UpdateCampaign(ctx, staff, c.ID, evaluation.NewCampaign{Name: "批次二", Year: 2025, Settings: &s}); err != nil {
				t.Fatal(err)
			}
			if c.Settings.DivergenceRange != tc.wantRange || c.Settings.DivergenceDistance != tc.want {
				t.Errorf("after a change without them: %s and %s, want %s and %s", c.Settings.DivergenceRange, c.Settings.DivergenceDistance, tc.wantRange, tc.want)
			}
		})
	}

	// A campaign stored before the limits were settings reads as the
	// defaults.
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "旧批次", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	unset := `json_remove(settings, '$.divergence_range', '$.divergence_distance')`
	if e.db.Postgres() {
		unset = `(settings::jsonb - 'divergence_range' - 'divergence_distance')::text`
	}
	if _, err := e.db.ExecContext(ctx, `UPDATE campaigns SET settings = `+unset+` WHERE id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	if c, err = e.svc.Campaigns.Campaign(ctx, staff, c.ID); err != nil || c.Settings.DivergenceRange != pts(20) || c.Settings.DivergenceDistance != pts(15) {
		t.Errorf("an older campaign's limits = %+v, %v; want 20 and 15", c.Settings, err)
	}
}

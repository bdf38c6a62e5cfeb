package evaluation

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Panel rules a campaign accepts are rules a draw accepts: otherwise a
// campaign could be set up whose every draw fails with an internal error.
func TestCampaignPanelRulesAreDrawable(t *testing.T) {
	c := &Campaign{Name: "批次", Year: 2026, Aggregation: TrimmedMean, Settings: DefaultCampaignSettings()}
	for _, class := range ProjectClasses {
		if err := assignPanelRules(c, class).Validate(); err != nil {
			t.Errorf("default %s rules: %v", class, err)
		}
	}
	types := []string{string(StrategicScientist), string(DomainExpert), string(InternationalPeer), string(Investor), string(Entrepreneur)}
	r := rand.New(rand.NewPCG(1, 2))
	accepted, refused := 0, 0
	for n := 0; n < 5000; n++ {
		c.Settings = DefaultCampaignSettings()
		pr := c.Settings.Panels[AppliedTechnology]
		pr.Technical = []int{5, 7, 9}[r.IntN(3)]
		pr.Finance = r.IntN(5) - 1
		pr.Alternates = r.IntN(7) - 1
		pr.Quotas = nil
		for i := range r.IntN(4) {
			var ts []string
			for _, typ := range types {
				if r.IntN(3) == 0 {
					ts = append(ts, typ)
				}
			}
			pr.Quotas = append(pr.Quotas, Quota{Name: []string{"a", "b", "c", "d"}[i], Types: slices.Clip(ts), Min: r.IntN(6), Soft: r.IntN(2) == 0})
		}
		c.Settings.Panels[AppliedTechnology] = pr
		c.Settings.CollaborationWindow = r.IntN(12) - 1
		if c.Validate() != nil {
			refused++
			continue
		}
		accepted++
		if err := assignPanelRules(c, AppliedTechnology).Validate(); err != nil {
			t.Fatalf("campaign accepts %+v, a draw refuses it: %v", pr, err)
		}
		if !laminar(pr.Quotas) {
			t.Fatalf("campaign accepts quotas that cannot be matched: %+v", pr.Quotas)
		}
	}
	if accepted < 100 || refused < 100 {
		t.Errorf("%d accepted, %d refused: the instances do not exercise both", accepted, refused)
	}
}

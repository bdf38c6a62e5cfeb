package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// AddPanelMembers stores what AddPanelMember one after the other stores,
// with the same ids, across more rows than one statement takes; a member
// twice on a panel is a conflict and stores none of the statement's rows.
func TestAddPanelMembers(t *testing.T) {
	ctx := t.Context()
	for _, tt := range []struct {
		name    string
		members int
	}{{"one", 1}, {"a panel", 9}, {"more than a statement", 4500}} {
		t.Run(tt.name, func(t *testing.T) {
			// The same members on two databases: one at a time, and at once.
			var stored, added [2][]*evaluation.PanelMember
			for k := range 2 {
				db := openDB(t)
				ag := addAgency(t, db, "SSTPC")
				p := addProjectWithIndicator(t, db, ag, "P-1")
				var experts []int64
				for i := range 50 {
					experts = append(experts, addExpert(t, db, &evaluation.Expert{Name: fmt.Sprint("专家", i),
						Type: evaluation.DomainExpert}).ID)
				}
				var panels []*evaluation.Panel
				inTx(t, db, func(tx evaluation.Tx) error {
					// An earlier member, so that ids do not start at 1.
					first := &evaluation.Panel{CampaignID: p.CampaignID, AgencyID: ag.ID, Name: "first", State: evaluation.PanelForming,
						CreatedAt: t0, UpdatedAt: t0}
					if err := tx.CreatePanel(ctx, first); err != nil {
						return err
					}
					if err := tx.AddPanelMember(ctx, &evaluation.PanelMember{PanelID: first.ID, ExpertID: experts[0],
						Seat: evaluation.SeatTechnical, Status: evaluation.MemberProposed, Source: "draw", CreatedAt: t0}); err != nil {
						return err
					}
					var members []*evaluation.PanelMember
					for len(members) < tt.members {
						pn := &evaluation.Panel{CampaignID: p.CampaignID, AgencyID: ag.ID, Name: fmt.Sprint("panel ", len(panels)),
							State: evaluation.PanelForming, CreatedAt: t0, UpdatedAt: t0}
						if err := tx.CreatePanel(ctx, pn); err != nil {
							return err
						}
						panels = append(panels, pn)
						for i := 0; i < len(experts) && len(members) < tt.members; i++ {
							m := &evaluation.PanelMember{PanelID: pn.ID, ExpertID: experts[i], Seat: evaluation.SeatTechnical,
								Status: evaluation.MemberAlternate, AlternateRank: i + 1, Source: "match", CreatedAt: t0}
							if i < 5 {
								m.Status, m.AlternateRank, m.Chair = evaluation.MemberProposed, 0, i == 0
							}
							members = append(members, m)
						}
					}
					added[k] = members
					if k == 0 {
						for _, m := range members {
							if err := tx.AddPanelMember(ctx, m); err != nil {
								return err
							}
						}
						return nil
					}
					return tx.AddPanelMembers(ctx, members)
				})
				for _, pn := range panels {
					got, err := db.Panel(ctx, pn.ID)
					if err != nil {
						t.Fatal(err)
					}
					stored[k] = append(stored[k], got.Members...)
				}
			}
			if len(stored[0]) != tt.members {
				t.Fatalf("one at a time stored %d members, want %d", len(stored[0]), tt.members)
			}
			if diff := cmp.Diff(stored[0], stored[1]); diff != "" {
				t.Errorf("(-one at a time +at once):\n%s", diff)
			}
			// The ids set on the members are those stored.
			for k := range 2 {
				for i, m := range added[k] {
					if m.ID != added[0][i].ID {
						t.Fatalf("member %d: id %d, one at a time %d", i, m.ID, added[0][i].ID)
					}
					if got := stored[k][i]; got.ID != m.ID || got.ExpertID != m.ExpertID {
						t.Fatalf("member %d: set id %d (expert %d), stored %d (expert %d)", i, m.ID, m.ExpertID, got.ID, got.ExpertID)
					}
				}
			}
		})
	}
	t.Run("twice on a panel", func(t *testing.T) {
		db := openDB(t)
		ag := addAgency(t, db, "SSTPC")
		p := addProjectWithIndicator(t, db, ag, "P-1")
		e := addExpert(t, db, &evaluation.Expert{Name: "专家", Type: evaluation.DomainExpert})
		err := db.InTx(ctx, func(tx evaluation.Tx) error {
			pn := &evaluation.Panel{CampaignID: p.CampaignID, AgencyID: ag.ID, Name: "panel", State: evaluation.PanelForming,
				CreatedAt: t0, UpdatedAt: t0}
			if err := tx.CreatePanel(ctx, pn); err != nil {
				return err
			}
			m := func() *evaluation.PanelMember {
				return &evaluation.PanelMember{PanelID: pn.ID, ExpertID: e.ID, Seat: evaluation.SeatTechnical,
					Status: evaluation.MemberProposed, Source: "draw", CreatedAt: t0}
			}
			return tx.AddPanelMembers(ctx, []*evaluation.PanelMember{m(), m()})
		})
		wantError(t, err, evaluation.Conflict)
	})
}

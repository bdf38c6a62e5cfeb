package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// TestPanelSeat: the store's one-row read of an expert's seat gives the
// same member record and panel as the whole panel does, for every member
// whatever their status, and not found for an expert off the panel or a
// project without one.
func TestPanelSeat(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	wantPanel := *s.panel
	wantPanel.Members, wantPanel.ProjectIDs = nil, nil
	statuses := map[evaluation.MemberStatus]bool{}
	on := map[int64]bool{}
	for _, m := range s.panel.Members {
		on[m.ExpertID] = true
		statuses[m.Status] = true
		p, got, err := s.db.PanelSeat(ctx, s.project.ID, m.ExpertID)
		if err != nil {
			t.Fatalf("seat of expert %d: %v", m.ExpertID, err)
		}
		want := *m
		want.Expert = nil
		if d := cmp.Diff(&want, got); d != "" {
			t.Errorf("member %d (-want +got):\n%s", m.ID, d)
		}
		if d := cmp.Diff(&wantPanel, p); d != "" {
			t.Errorf("panel of member %d (-want +got):\n%s", m.ID, d)
		}
	}
	if !statuses[evaluation.MemberAccepted] || !statuses[evaluation.MemberAlternate] {
		t.Fatalf("member statuses %v, want accepted members and alternates", statuses)
	}

	experts, _, err := s.db.Experts(ctx, evaluation.ExpertFilter{Year: 2025, Page: evaluation.Page{Number: 1, Size: 100}})
	if err != nil {
		t.Fatal(err)
	}
	off := int64(0)
	for _, ex := range experts {
		if !on[ex.ID] {
			off = ex.ID
		}
	}
	if off == 0 {
		t.Fatal("every expert of the pool is on the panel")
	}
	if _, _, err := s.db.PanelSeat(ctx, s.project.ID, off); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("seat of expert %d off the panel: %v, want not found", off, err)
	}
	_, projects := s.campaignWith(t, s.staff, sampleProject("23DZ1200102"))
	if _, _, err := s.db.PanelSeat(ctx, projects[0].ID, s.panel.Members[0].ExpertID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("seat on a project without a panel: %v, want not found", err)
	}
}

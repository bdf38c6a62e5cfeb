package evaluation_test

import (
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The progress monitor names what the agency acts on: each member's panel
// and the sheets they have left, and the conflicts declared by members who
// withdrew, until the agency lifts them.
func TestProgressNamesWhatTheAgencyActsOn(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	done, doneActor := s.member(t, evaluation.SeatTechnical, true)
	s.open(t, doneActor)
	if _, err := s.svc.Sheets.SaveSheet(ctx, doneActor, s.project.ID, 0, complete(), true); err != nil {
		t.Fatal(err)
	}
	withdrawn, withdrawnActor := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, withdrawnActor)
	if err := s.svc.Sheets.DeclareConflict(ctx, withdrawnActor, s.project.ID, "与项目负责人为同一课题组"); err != nil {
		t.Fatal(err)
	}
	s.clock.t = time.Date(2025, 5, 2, 9, 0, 0, 0, time.UTC) // past the deadline

	got, err := s.svc.Sheets.Progress(ctx, s.staff, s.c.ID, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Panels) != 1 {
		t.Fatalf("%d panels, want 1", len(got.Panels))
	}
	pp := got.Panels[0]
	for _, m := range pp.Members {
		want := 1
		if m.MemberID == done.ID || m.Status != evaluation.MemberAccepted {
			want = 0
		}
		if m.PanelID != s.panel.ID || m.Panel != s.panel.Name || m.Left != want {
			t.Errorf("member %s: panel %d %q, left %d; want %d %q, %d", m.Name, m.PanelID, m.Panel, m.Left, s.panel.ID, s.panel.Name, want)
		}
		if m.MemberID == withdrawn.ID {
			t.Errorf("the withdrawn member is still a column: %+v", m)
		}
	}
	if len(got.Overdue) == 0 || got.Overdue[0].PanelID != s.panel.ID || got.Overdue[0].Left != 1 {
		t.Errorf("overdue members %+v, want each with the panel and one sheet left", got.Overdue)
	}
	if len(pp.Conflicts) != 1 {
		t.Fatalf("conflicts %+v, want the one declared", pp.Conflicts)
	}
	if c := pp.Conflicts[0]; c.ExpertID != withdrawn.ExpertID || c.Name != withdrawn.Expert.Name || c.ProjectID != s.project.ID ||
		c.Code != s.project.Code || c.Note != "与项目负责人为同一课题组" || c.DeclaredAt.IsZero() {
		t.Errorf("the conflict is %+v", c)
	}
	if err := s.svc.Sheets.LiftConflict(ctx, s.staff, s.project.ID, withdrawn.ExpertID, "经核实无合作关系"); err != nil {
		t.Fatal(err)
	}
	if got, err = s.svc.Sheets.Progress(ctx, s.staff, s.c.ID, evaluation.ProgressFilter{}); err != nil || len(got.Panels[0].Conflicts) != 0 {
		t.Errorf("conflicts after the lift: %+v (%v), want none", got.Panels[0].Conflicts, err)
	}
}

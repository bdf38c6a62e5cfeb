package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The chair reads the panel's submitted sheets with the members' names
// once their own is in, their own first; members, staff and the chair
// before submitting are refused.
func TestChairSheets(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	chairMember, chair := s.member(t, evaluation.SeatTechnical, true)
	member, memberActor := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, chair)
	s.open(t, memberActor)
	if _, err := s.svc.Sheets.SaveSheet(ctx, memberActor, s.project.ID, 0, complete(), true); err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]evaluation.Actor{"a member": memberActor, "the chair before submitting": chair, "staff": s.staff} {
		if _, err := s.svc.Sheets.ChairSheets(ctx, a, s.project.ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
			t.Errorf("%s reads the named sheets: %v, want forbidden", name, err)
		}
	}
	draft := complete()
	draft.Opinion = ""
	if _, err := s.svc.Sheets.SaveSheet(ctx, chair, s.project.ID, 0, draft, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Sheets.ChairSheets(ctx, chair, s.project.ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("the chair with a draft reads the named sheets: %v, want forbidden", err)
	}
	if _, err := s.svc.Sheets.SaveSheet(ctx, chair, s.project.ID, 1, complete(), true); err != nil {
		t.Fatal(err)
	}
	got, err := s.svc.Sheets.ChairSheets(ctx, chair, s.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("the chair reads %d sheets, want 2: %+v", len(got), got)
	}
	want := []struct {
		name  string
		chair bool
	}{{chairMember.Expert.Name, true}, {member.Expert.Name, false}}
	for i, w := range want {
		if got[i].Name != w.name || got[i].Chair != w.chair || got[i].Sheet.Status != evaluation.SheetSubmitted {
			t.Errorf("sheet %d = %s (chair %v, %s), want %s (chair %v, submitted)", i, got[i].Name, got[i].Chair, got[i].Sheet.Status, w.name, w.chair)
		}
	}
}

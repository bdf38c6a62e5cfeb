package evaluation_test

import (
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
)

// The progress over time counts each day in Beijing: a sheet submitted at
// 23:30 counts that day, one at 00:30 the next; a sheet reopened and
// submitted again counts once, on its first day; the expected sheets are
// the progress monitor's; another agency and experts read nothing.
func TestTimeline(t *testing.T) {
	s := newScoringEnv(t)
	ctx := t.Context()
	_, firstActor := s.member(t, evaluation.SeatTechnical, true)
	_, secondActor := s.member(t, evaluation.SeatTechnical, false)
	s.open(t, firstActor)
	s.open(t, secondActor)
	s.clock.t = time.Date(2025, 4, 10, 15, 30, 0, 0, time.UTC) // 23:30 in Beijing
	sh, err := s.svc.Sheets.SaveSheet(ctx, firstActor, s.project.ID, 0, complete(), true)
	if err != nil {
		t.Fatal(err)
	}
	s.clock.t = time.Date(2025, 4, 10, 16, 30, 0, 0, time.UTC) // 00:30 on the 11th
	if _, err := s.svc.Sheets.SaveSheet(ctx, secondActor, s.project.ID, 0, complete(), true); err != nil {
		t.Fatal(err)
	}
	s.clock.t = time.Date(2025, 4, 13, 2, 0, 0, 0, time.UTC)
	if _, err := s.svc.Sheets.ReopenSheet(ctx, s.staff, sh.ID, "请核对评分"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Sheets.SaveSheet(ctx, firstActor, s.project.ID, sh.Version+1, complete(), true); err != nil {
		t.Fatal(err)
	}

	progress, err := s.svc.Sheets.Progress(ctx, s.staff, s.c.ID, evaluation.ProgressFilter{})
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, m := range s.panel.Members {
		if m.Status == evaluation.MemberAccepted {
			accepted++
		}
	}
	for _, who := range []struct {
		name  string
		actor evaluation.Actor
	}{{"the agency", s.staff}, {"the commission", s.user(t, evaluation.NewUser{Username: "commission.a", Name: "市科委", Role: evaluation.RoleCommission}).Actor()}} {
		got, err := s.svc.Sheets.Timeline(ctx, who.actor, s.c.ID)
		if err != nil {
			t.Fatalf("%s: %v", who.name, err)
		}
		// The members accepted on the 14th of March (17:00 in Beijing);
		// the days run to the last first submission.
		if len(got.Days) != 29 || got.Days[0].Day != "2025-03-14" || got.Days[28].Day != "2025-04-11" {
			t.Fatalf("%s: %d days from %v, want 29 from 2025-03-14 to 2025-04-11", who.name, len(got.Days), got.Days)
		}
		want := map[string]evaluation.ProgressDay{
			"2025-03-14": {Day: "2025-03-14", Accepted: accepted},
			"2025-04-10": {Day: "2025-04-10", Submitted: 1},
			"2025-04-11": {Day: "2025-04-11", Submitted: 1},
		}
		for _, d := range got.Days {
			w, ok := want[d.Day]
			if !ok {
				w = evaluation.ProgressDay{Day: d.Day}
			}
			if d != w {
				t.Errorf("%s: %+v, want %+v", who.name, d, w)
			}
		}
		cum := got.Cumulative()
		if last := cum[len(cum)-1]; last != (evaluation.ProgressDay{Day: "2025-04-11", Accepted: accepted, Submitted: 2}) {
			t.Errorf("%s: the running totals end at %+v, want %d accepted and 2 submitted", who.name, last, accepted)
		}
		if got.Expected != progress.Counts.Expected || got.Expected == 0 || got.Projects != 1 {
			t.Errorf("%s: %d sheets expected of %d projects, want %d of 1", who.name, got.Expected, got.Projects, progress.Counts.Expected)
		}
	}
	for _, who := range []struct {
		name  string
		actor evaluation.Actor
	}{{"another agency", s.other}, {"an expert", firstActor}} {
		if _, err := s.svc.Sheets.Timeline(ctx, who.actor, s.c.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
			t.Errorf("%s reads the timeline: %v, want not found", who.name, err)
		}
	}
}

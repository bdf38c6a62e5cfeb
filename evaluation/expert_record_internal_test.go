package evaluation

import (
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/rubrics"
)

// The figures a record takes from the panels and declarations, counted by
// hand: declines apart from seats given up for a conflict, conflicts the
// expert declared, late first submissions, sheets never submitted.
func TestComputeExpertRecords(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.ParseInLocation(time.DateOnly, s, Beijing)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(10 * time.Hour)
	}
	c := &Campaign{ID: 7, AgencyID: 3, Settings: CampaignSettings{ScoringDue: "2025-04-30"}}
	panels := []*Panel{
		{ID: 1, ProjectIDs: []int64{11, 12}, Members: []*PanelMember{
			{ExpertID: 101, Seat: SeatTechnical, Status: MemberAccepted},
			{ExpertID: 102, Seat: SeatTechnical, Status: MemberAccepted, Due: "2025-05-10"},
			{ExpertID: 103, Seat: SeatTechnical, Status: MemberDeclined, DeclineReason: "出国"},
			{ExpertID: 104, Seat: SeatTechnical, Status: MemberDeclined, DeclineReason: "与项目负责人合作"}, // withdrawn: conflict with 12
			{ExpertID: 105, Seat: SeatTechnical, Status: MemberDeclined, DeclineReason: "conflict: 同单位"},
			{ExpertID: 106, Seat: SeatTechnical, Status: MemberAlternate},
		}},
		{ID: 2, ProjectIDs: []int64{13}, Members: []*PanelMember{
			{ExpertID: 101, Seat: SeatTechnical, Status: MemberAccepted},
			{ExpertID: 103, Seat: SeatTechnical, Status: MemberDeclined, DeclineReason: "时间冲突"},
		}},
	}
	sheet := func(id, project, expert int64, at string, total float64) *Sheet {
		p, _ := rubrics.FromFloat(total)
		return &Sheet{ID: id, ProjectID: project, ExpertID: expert, Seat: SeatTechnical, Status: SheetSubmitted,
			SubmittedAt: day(at), Content: SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{"A1": p}}}}
	}
	in := expertRecordInput{campaign: c, now: day("2025-06-01"),
		panels: panels,
		sheets: []*Sheet{
			sheet(1, 11, 101, "2025-04-30", 80), // on the day: on time
			sheet(2, 12, 101, "2025-05-01", 70), // late
			sheet(3, 11, 102, "2025-05-09", 82), // late for the campaign, on time by the extension
			// 101's sheet for project 13 was never submitted.
		},
		firstSubmitted: map[int64]time.Time{2: day("2025-05-01")},
		conflicts: []ProjectConflict{
			{ExpertID: 104, ProjectID: 12, Declared: true},
			{ExpertID: 101, ProjectID: 99, Declared: false}, // recorded by a pool keeper: not the expert's declaration
		},
	}
	recs, err := computeExpertRecords(in)
	if err != nil {
		t.Fatal(err)
	}
	type fig struct{ assigned, submitted, onTime, conflicts, declines int }
	want := map[int64]fig{
		101: {assigned: 3, submitted: 2, onTime: 1},
		102: {assigned: 2, submitted: 1, onTime: 1},
		103: {declines: 2},
		104: {conflicts: 1},
		105: {},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d: %+v", len(recs), len(want), recs)
	}
	for _, r := range recs {
		w, ok := want[r.ExpertID]
		got := fig{r.Assigned, r.Submitted, r.OnTime, r.Conflicts, r.Declines}
		if !ok || got != w {
			t.Errorf("expert %d: %+v, want %+v", r.ExpertID, got, w)
		}
		if r.CampaignID != 7 || r.AgencyID != 3 || !r.ComputedAt.Equal(in.now) {
			t.Errorf("expert %d: campaign %d agency %d at %v", r.ExpertID, r.CampaignID, r.AgencyID, r.ComputedAt)
		}
		// Two technical sheets per project at most: no panel score, so no
		// divergence figure.
		if r.Scored != 0 || r.DivergenceRate != nil {
			t.Errorf("expert %d: scored %d, rate %v", r.ExpertID, r.Scored, r.DivergenceRate)
		}
	}
	if r := recs[0]; r.OnTimeRate == nil || *r.OnTimeRate != 1.0/3 || r.Leniency == nil || r.LeniencyEstimable != true {
		t.Errorf("expert 101: rate %v leniency %v estimable %v", r.OnTimeRate, r.Leniency, r.LeniencyEstimable)
	}

	for _, tc := range []struct {
		name string
		s    *ExpertRecordSummary
		code string
	}{
		{"no records", nil, ""},
		{"2 of 3 on time", &ExpertRecordSummary{Assigned: 3, OnTime: 2}, ""},
		{"1 of 3 on time", &ExpertRecordSummary{Assigned: 3, OnTime: 1}, DeferralOnTime},
		{"0 of 2 on time: too few sheets", &ExpertRecordSummary{Assigned: 2}, ""},
		{"3 of 5 on time: exactly 60%", &ExpertRecordSummary{Assigned: 5, OnTime: 3}, ""},
		{"3 declines", &ExpertRecordSummary{Declines: 3}, DeferralDeclines},
		{"2 declines", &ExpertRecordSummary{Declines: 2}, ""},
	} {
		if code, ok := DeferralOf(tc.s); code != tc.code || ok != (tc.code != "") {
			t.Errorf("%s: %q %v, want %q", tc.name, code, ok, tc.code)
		}
	}
}

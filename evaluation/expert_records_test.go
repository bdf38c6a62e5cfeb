package evaluation_test

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/rubrics"
)

// closeCampaign takes the env's campaign from scoring to closed: the sheets
// (already submitted by the caller), the opinion, the conclusion, the
// commission's approval and the end of the publicity.
func (o *opinionEnv) closeCampaign(t *testing.T, commission evaluation.Actor) {
	t.Helper()
	o.lockOpinion(t, evaluation.ConclusionPass)
	o.concluding(t)
	if _, err := o.svc.Results.RecordConclusion(t.Context(), o.staff, o.project.ID, evaluation.ConclusionPass, ""); err != nil {
		t.Fatal(err)
	}
	o.move(t, o.staff, evaluation.CampaignSubmitted)
	if _, err := o.svc.Review.ApproveCampaign(t.Context(), commission, o.c.ID, 0, ""); err != nil {
		t.Fatal(err)
	}
	o.clock.advance(6 * 24 * time.Hour)
	o.move(t, commission, evaluation.CampaignClosed)
}

// Done when (issue 10, 4): the expert records written when a campaign
// closes equal the figures computed here directly from the sheets.
func TestExpertRecordsOnClosing(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	commission := o.user(t, evaluation.NewUser{Username: "sstc.review", Name: "市科委审核", Role: evaluation.RoleCommission}).Actor()

	// The technical totals differ: 83 (the chair), 20 (far below: the
	// outlier), then 80, 85, …; one member's first submission comes after
	// the campaign's due day under an extension, and is reopened and
	// submitted again.
	low := func(c *evaluation.SheetContent) {
		c.Scores = map[string]rubrics.Points{"A1": pts(5), "A2": pts(5), "A3": pts(5), "A4": pts(2), "A5": pts(3)}
		c.Comments = map[string]string{"A1": "未完成", "A2": "不足", "A3": "不足", "A4": "不足", "A5": "不足"}
	}
	shift := func(d float64) func(*evaluation.SheetContent) {
		return func(c *evaluation.SheetContent) { c.Scores["A3"] = pts(21 + d) }
	}
	o.submit(t, o.chair)
	var tech []evaluation.Actor
	for _, m := range o.members {
		if pm, _ := o.panel.MemberOf(m.ExpertID); pm.Seat == evaluation.SeatTechnical {
			tech = append(tech, m)
		} else {
			o.submit(t, m)
		}
	}
	if len(tech) < 3 {
		t.Fatalf("%d technical members besides the chair", len(tech))
	}
	o.submitWith(t, tech[0], low)
	for i, m := range tech[1 : len(tech)-1] {
		o.submitWith(t, m, shift(float64(2*i)-3))
	}
	late := tech[len(tech)-1]
	lm, _ := o.panel.MemberOf(late.ExpertID)
	if err := o.svc.Sheets.ExtendDeadline(ctx, o.staff, o.panel.ID, lm.ID, "2025-05-10", "出差"); err != nil {
		t.Fatal(err)
	}
	o.clock.advance(50 * 24 * time.Hour) // 2025-05-03: past the campaign's day, within the extension
	o.submitWith(t, late, shift(-2))
	sh, err := o.db.Sheet(ctx, o.project.ID, late.ExpertID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Sheets.ReopenSheet(ctx, o.staff, sh.ID, "请补充意见"); err != nil {
		t.Fatal(err)
	}
	o.submitWith(t, late, shift(-2))

	o.closeCampaign(t, commission)

	// The figures, from the sheets as stored.
	c, err := o.db.Campaign(ctx, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	panel, err := o.db.Panel(ctx, o.panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := o.db.CampaignSheets(ctx, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := o.svc.Results.CampaignResults(ctx, commission, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var totals []float64
	for _, s := range sheets {
		if s.Seat == evaluation.SeatTechnical && s.Status == evaluation.SheetSubmitted {
			var sum rubrics.Points
			for _, p := range s.Content.Scores {
				sum += p
			}
			totals = append(totals, sum.Float())
		}
	}
	sorted := slices.Clone(totals)
	slices.Sort(sorted)
	median := (sorted[(len(sorted)-1)/2] + sorted[len(sorted)/2]) / 2
	type want struct{ assigned, submitted, onTime, scored, divergent int }
	wants := map[int64]*want{}
	for _, m := range panel.Members {
		if m.Status == evaluation.MemberAccepted {
			wants[m.ExpertID] = &want{assigned: 1}
		}
	}
	divergentSeen := 0
	for _, s := range sheets {
		w := wants[s.ExpertID]
		if w == nil || s.Status != evaluation.SheetSubmitted {
			continue
		}
		w.submitted++
		versions, err := o.db.SheetVersions(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := panel.MemberOf(s.ExpertID)
		due := c.Settings.ScoringDue
		if m.Due != "" {
			due = m.Due
		}
		if versions[0].SubmittedAt.In(evaluation.Beijing).Format("2006-01-02") <= due {
			w.onTime++
		}
		if s.Seat == evaluation.SeatTechnical {
			w.scored++
			var sum rubrics.Points
			for _, p := range s.Content.Scores {
				sum += p
			}
			if math.Abs(sum.Float()-median) > 15 {
				w.divergent++
				divergentSeen++
			}
		}
	}
	if divergentSeen != 1 {
		t.Fatalf("the test's sheets have %d outliers, want 1 (totals %v)", divergentSeen, totals)
	}

	recs, err := o.svc.Records.CampaignExpertRecords(ctx, commission, o.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(wants) {
		t.Fatalf("%d records, want %d", len(recs), len(wants))
	}
	bias := map[int64]float64{}
	for _, b := range res.Report.Advisory.Leniency.Experts {
		bias[b.Expert] = b.Bias
	}
	for _, r := range recs {
		w := wants[r.ExpertID]
		if w == nil {
			t.Errorf("a record for expert %d, not on the panel", r.ExpertID)
			continue
		}
		got := want{r.Assigned, r.Submitted, r.OnTime, r.Scored, r.Divergent}
		if got != *w {
			t.Errorf("expert %d (%s): record %+v, want %+v", r.ExpertID, r.ExpertName, got, *w)
		}
		if r.OnTimeRate == nil || *r.OnTimeRate != float64(w.onTime)/float64(w.assigned) {
			t.Errorf("expert %d: on-time rate %v", r.ExpertID, r.OnTimeRate)
		}
		if b, ok := bias[r.ExpertID]; ok != (r.Leniency != nil) || ok && math.Abs(b-*r.Leniency) > 1e-9 {
			t.Errorf("expert %d: leniency %v, the results' fit says %v (%v)", r.ExpertID, r.Leniency, b, ok)
		}
		if r.Conflicts != 0 || r.Declines != 0 {
			t.Errorf("expert %d: %d conflicts, %d declines", r.ExpertID, r.Conflicts, r.Declines)
		}
		if r.CampaignName != c.Name || r.AgencyID != c.AgencyID {
			t.Errorf("expert %d: campaign %q agency %d", r.ExpertID, r.CampaignName, r.AgencyID)
		}
	}
	lr, err := o.svc.Records.ExpertRecords(ctx, o.admin, late.ExpertID)
	if err != nil || len(lr) != 1 || lr[0].OnTime != 1 {
		t.Errorf("the late member's history = %+v, %v", lr, err)
	}

	// Only the administrators and the commission read them.
	for _, as := range []evaluation.Actor{o.staff, o.chair} {
		if _, err := o.svc.Records.CampaignExpertRecords(ctx, as, o.c.ID); evaluation.ErrorCode(err) != evaluation.Forbidden {
			t.Errorf("%s reads the campaign's records: %v", as.Role, err)
		}
		if _, err := o.svc.Records.ExpertRecords(ctx, as, o.chair.ExpertID); evaluation.ErrorCode(err) != evaluation.Forbidden {
			t.Errorf("%s reads an expert's records: %v", as.Role, err)
		}
	}
	// The records are evidence: they never change.
	audit, _, err := o.db.AuditEntries(ctx, evaluation.AuditFilter{Action: "campaign.expert_records", Page: evaluation.Page{Number: 1, Size: 10}})
	if err != nil || len(audit) != 1 {
		t.Errorf("audit of the records = %v, %v", audit, err)
	}
}

// A poor record places the expert after the others in later draws: the
// draw record keeps the reason in its pool snapshot and its result, and
// both the earlier records (made before any deferral) and the new one
// re-run to the same panels.
func TestDrawsDeferExpertsWithPoorRecords(t *testing.T) {
	o := newOpinionEnv(t)
	ctx := t.Context()
	commission := o.user(t, evaluation.NewUser{Username: "sstc.review", Name: "市科委审核", Role: evaluation.RoleCommission}).Actor()
	o.submitAll(t)
	o.closeCampaign(t, commission)

	// An expert who joins the pool now (so on no panel of the campaign,
	// whichever way its draw went), with a poor record put straight into
	// the store: 2 of 5 sheets on time.
	slow := &evaluation.Expert{Name: "迟交专家", Type: evaluation.DomainExpert, Institution: "第九研究所",
		TitleLevel: evaluation.TitleSenior, Region: evaluation.RegionLocal, CanBeDrawn: true, SubjectCodes: []string{"480.20"}}
	if err := o.svc.Pool.CreateExpert(ctx, o.admin, slow); err != nil {
		t.Fatal(err)
	}
	var err error
	err = o.db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.AddExpertRecord(ctx, &evaluation.ExpertRecord{CampaignID: o.c.ID, ExpertID: slow.ID, AgencyID: o.c.AgencyID,
			Assigned: 5, Submitted: 3, OnTime: 2, ComputedAt: o.clock.now()})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.AddExpertRecord(ctx, &evaluation.ExpertRecord{CampaignID: o.c.ID, ExpertID: slow.ID, AgencyID: o.c.AgencyID,
			ComputedAt: o.clock.now()})
	}); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("a second record of the expert in the campaign: %v", err)
	}
	list, total, err := o.svc.Records.Summaries(ctx, commission, evaluation.ExpertRecordFilter{Deferred: true})
	if err != nil || total != 1 || list[0].ExpertID != slow.ID {
		t.Fatalf("the deferred experts = %+v (%d), %v", list, total, err)
	}

	c2, ps := o.campaignWith(t, o.staff, sampleProject("24DZ1200202"))
	panel := o.drawnPanel(t, o.staff, c2, ps[0], false)
	if m, ok := panel.MemberOf(slow.ID); ok && m.Status != evaluation.MemberAlternate {
		t.Errorf("the deferred expert was seated ahead of others: %+v", m)
	}
	recs, err := o.db.DrawRecords(ctx, c2.ID)
	if err != nil || len(recs) != 1 {
		t.Fatalf("draw records = %v, %v", recs, err)
	}
	var res assign.DrawResult
	if err := json.Unmarshal([]byte(recs[0].Result), &res); err != nil {
		t.Fatal(err)
	}
	want := []assign.DeferredExpert{{ExpertID: slow.ID, Reason: assign.Deferral{Code: evaluation.DeferralOnTime, Assigned: 5, OnTime: 2}}}
	if !reflect.DeepEqual(res.Deferred, want) {
		t.Errorf("the draw's deferred = %+v, want %+v", res.Deferred, want)
	}
	if !strings.Contains(recs[0].Input, `"deferred":{"code":"on_time","assigned":5,"on_time":2}`) {
		t.Error("the pool snapshot does not keep the deferral")
	}
	for _, id := range []int64{o.c.ID, c2.ID} {
		n, problems, err := evaluation.VerifyDraws(ctx, o.db, id)
		if err != nil || n == 0 || len(problems) != 0 {
			t.Errorf("verify the draws of campaign %d: %d checked, %v, %v", id, n, problems, err)
		}
	}
}

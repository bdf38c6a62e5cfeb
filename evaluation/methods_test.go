package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
)

// indicator returns the project's indicator with the sequence number.
func (m *materialsEnv) indicator(t *testing.T, seq int) evaluation.Indicator {
	t.Helper()
	p, err := m.svc.Campaigns.Project(t.Context(), m.staff, m.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range p.Indicators {
		if in.Seq == seq {
			return in
		}
	}
	t.Fatalf("no indicator %d", seq)
	return evaluation.Indicator{}
}

func TestTestStatus(t *testing.T) {
	atLeast5 := &evaluation.Indicator{Target: evaluation.Target{Value: float(5), Direction: evaluation.AtLeast}}
	atMost3 := &evaluation.Indicator{Target: evaluation.Target{Value: float(3), Direction: evaluation.AtMost}}
	text := &evaluation.Indicator{Target: evaluation.Target{Text: "示范运行"}}
	cases := []struct {
		name string
		in   *evaluation.Indicator
		rec  evaluation.TestRecord
		want evaluation.IndicatorStatus
	}{
		{"passed", atLeast5, evaluation.TestRecord{Passed: true, Measured: evaluation.Actual{Value: float(5.2)}}, evaluation.StatusMet},
		{"failed, within 80%", atLeast5, evaluation.TestRecord{Measured: evaluation.Actual{Value: float(4.1)}}, evaluation.StatusPartly},
		{"failed, far off", atLeast5, evaluation.TestRecord{Measured: evaluation.Actual{Value: float(3)}}, evaluation.StatusNotMet},
		{"failed although the number meets the target", atLeast5, evaluation.TestRecord{Measured: evaluation.Actual{Value: float(6)}}, evaluation.StatusNotMet},
		{"at most, failed within the band", atMost3, evaluation.TestRecord{Measured: evaluation.Actual{Value: float(3.5)}}, evaluation.StatusPartly},
		{"text target, passed", text, evaluation.TestRecord{Passed: true, Measured: evaluation.Actual{Text: "运行正常"}}, evaluation.StatusMet},
		{"text target, failed", text, evaluation.TestRecord{Measured: evaluation.Actual{Text: "未能运行"}}, evaluation.StatusNotMet},
		{"numeric target, text measurement, failed", atLeast5, evaluation.TestRecord{Measured: evaluation.Actual{Text: "无法测量"}}, evaluation.StatusNotMet},
	}
	for _, tc := range cases {
		if got := evaluation.TestStatus(tc.in, &tc.rec); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestRecordTestSetsIndicatorStatus(t *testing.T) {
	m := newMaterialsEnv(t)
	ctx := t.Context()
	// Indicator 2: ≥ 5 patents, 4.2 claimed: computed partly.
	in := m.indicator(t, 2)
	if in.Status != evaluation.StatusPartly || in.StatusFrom != "computed" {
		t.Fatalf("before the test: %s from %s", in.Status, in.StatusFrom)
	}
	audits := m.auditCount(t)
	rec, err := m.svc.Materials.RecordTest(ctx, m.staff, m.project.ID, evaluation.TestRecord{IndicatorID: in.ID,
		Measured: evaluation.Actual{Value: float(5)}, Passed: true, Tester: " 上海市计量测试技术研究院 ", Date: "2025-03-10"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Kind != evaluation.RecordTest || rec.Test.Tester != "上海市计量测试技术研究院" || rec.Test.Status != evaluation.StatusMet ||
		rec.RecordedByName != "staff.a" {
		t.Errorf("record = %+v %+v", rec, rec.Test)
	}
	if got := m.indicator(t, 2); got.Status != evaluation.StatusMet || got.StatusFrom != "test" {
		t.Errorf("after a passed test: %s from %s, want met from test", got.Status, got.StatusFrom)
	}
	last := m.lastAudit(t)
	if m.auditCount(t) != audits+1 || last.Action != "project.record_test" || details(t, last)["status_before"] != "partly" {
		t.Errorf("audit: %s %v", last.Action, details(t, last))
	}
	// A later failed test decides; the project form keeps the tested
	// status when the claimed figures change.
	second, err := m.svc.Materials.RecordTest(ctx, m.staff, m.project.ID, evaluation.TestRecord{IndicatorID: in.ID,
		Measured: evaluation.Actual{Value: float(2)}, Passed: false, Tester: "李工", Date: "2025-03-12"})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.indicator(t, 2); got.Status != evaluation.StatusNotMet {
		t.Errorf("after a failed test: %s, want not_met", got.Status)
	}
	p, err := m.svc.Campaigns.Project(ctx, m.staff, m.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Indicators[1].Actual.Value = float(9)
	if _, err := m.svc.Campaigns.UpdateProject(ctx, m.staff, p.ID, p); err != nil {
		t.Fatal(err)
	}
	if got := m.indicator(t, 2); got.Status != evaluation.StatusNotMet || got.StatusFrom != "test" {
		t.Errorf("after editing the project: %s from %s, want the tested not_met", got.Status, got.StatusFrom)
	}
	// Deleting the newest test gives back the earlier one's status, and
	// deleting that one the computed status.
	if err := m.svc.Materials.DeleteMethodRecord(ctx, m.staff, m.project.ID, second.ID); err != nil {
		t.Fatal(err)
	}
	if got := m.indicator(t, 2); got.Status != evaluation.StatusMet || got.StatusFrom != "test" {
		t.Errorf("after deleting the newest test: %s from %s, want met from test", got.Status, got.StatusFrom)
	}
	if err := m.svc.Materials.DeleteMethodRecord(ctx, m.staff, m.project.ID, rec.ID); err != nil {
		t.Fatal(err)
	}
	if got := m.indicator(t, 2); got.Status != evaluation.StatusMet || got.StatusFrom != "computed" {
		t.Errorf("with no test left: %s from %s, want met (9 ≥ 5) computed", got.Status, got.StatusFrom)
	}
	if last := m.lastAudit(t); last.Action != "project.delete_record" {
		t.Errorf("audit action %s", last.Action)
	}
}

func TestMethodRecordInput(t *testing.T) {
	m := newMaterialsEnv(t)
	ctx := t.Context()
	ind := m.indicator(t, 1) // SOC error ≤ 3 %
	cases := []struct {
		name   string
		do     func() error
		fields []string
	}{
		{"inspection without anything", func() error {
			_, err := m.svc.Materials.RecordInspection(ctx, m.staff, m.project.ID, evaluation.InspectionRecord{})
			return err
		}, []string{"date", "place", "participants", "findings"}},
		{"inspection in the future, bad participant", func() error {
			_, err := m.svc.Materials.RecordInspection(ctx, m.staff, m.project.ID, evaluation.InspectionRecord{Date: "2030-01-01", Place: "上海",
				Participants: []string{string(make([]rune, 70))}, Findings: "ok"})
			return err
		}, []string{"date"}},
		{"inspection with a bad date", func() error {
			_, err := m.svc.Materials.RecordInspection(ctx, m.staff, m.project.ID, evaluation.InspectionRecord{Date: "2025/03/01", Place: "上海",
				Participants: []string{"王工"}, Findings: "ok"})
			return err
		}, []string{"date"}},
		{"test of no indicator, no measurement", func() error {
			_, err := m.svc.Materials.RecordTest(ctx, m.staff, m.project.ID, evaluation.TestRecord{IndicatorID: 999999, Tester: "x", Date: "2025-03-01"})
			return err
		}, []string{"indicator_id", "measured"}},
		{"test that passes a missed target", func() error {
			_, err := m.svc.Materials.RecordTest(ctx, m.staff, m.project.ID, evaluation.TestRecord{IndicatorID: ind.ID, Passed: true,
				Measured: evaluation.Actual{Value: float(3.4)}, Tester: "x", Date: "2025-03-01"})
			return err
		}, []string{"passed"}},
		{"test without tester or date", func() error {
			_, err := m.svc.Materials.RecordTest(ctx, m.staff, m.project.ID, evaluation.TestRecord{IndicatorID: ind.ID, Measured: evaluation.Actual{Value: float(2)}})
			return err
		}, []string{"tester", "date"}},
		{"demonstration without items", func() error {
			_, err := m.svc.Materials.RecordDemonstration(ctx, m.staff, m.project.ID, evaluation.DemonstrationRecord{Date: "2025-03-01",
				Items: []evaluation.DemoItem{{Name: "  "}}})
			return err
		}, []string{"items"}},
	}
	// The sample project has testing and (for promotion) inspection, not
	// demonstration: that one is refused for the method, before its input.
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			audits := m.auditCount(t)
			err := tc.do()
			if tc.name == "demonstration without items" {
				if e := wantCode(t, err, evaluation.Conflict); e.Message != "error.method_not_chosen" {
					t.Errorf("message %s", e.Message)
				}
				return
			}
			e := wantCode(t, err, evaluation.Invalid)
			for _, f := range tc.fields {
				if _, ok := e.Fields[f]; !ok {
					t.Errorf("no message for %s: %v", f, e.Fields)
				}
			}
			if m.auditCount(t) != audits {
				t.Errorf("a refused record was audited")
			}
		})
	}
	records, err := m.svc.Materials.MethodRecords(ctx, m.staff, m.project.ID)
	if err != nil || len(records) != 0 {
		t.Errorf("records after refusals: %d, %v", len(records), err)
	}
	if got := m.indicator(t, 1); got.StatusFrom != "computed" {
		t.Errorf("a refused test changed the indicator: %+v", got)
	}
}

func TestMethodRecordsByMethodAndState(t *testing.T) {
	m := newMaterialsEnv(t)
	ctx := t.Context()
	insp := evaluation.InspectionRecord{Date: "2025-03-01", Place: "上海理工大学军工路校区", Participants: []string{"王工", "李工", "王工", " "},
		Findings: "储能示范电站运行正常，数据记录完整。"}
	rec, err := m.svc.Materials.RecordInspection(ctx, m.staff, m.project.ID, insp)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Inspection.Participants) != 2 || m.lastAudit(t).Action != "project.record_inspection" {
		t.Errorf("inspection: %+v, audit %s", rec.Inspection, m.lastAudit(t).Action)
	}
	if _, err := m.svc.Materials.RecordInspection(ctx, m.other, m.project.ID, insp); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("other agency: %v, want not found", err)
	}
	if _, err := m.svc.Materials.RecordInspection(ctx, m.comm, m.project.ID, insp); evaluation.ErrorCode(err) != evaluation.Forbidden {
		t.Errorf("commission: %v, want forbidden", err)
	}
	if err := m.svc.Materials.DeleteMethodRecord(ctx, m.other, m.project.ID, rec.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("other agency deletes: %v, want not found", err)
	}
	// A project with the demonstration method takes checklists.
	p, err := m.svc.Campaigns.Project(ctx, m.staff, m.project.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Methods = append(p.Methods, evaluation.Demonstration)
	if _, err := m.svc.Campaigns.UpdateProject(ctx, m.staff, p.ID, p); err != nil {
		t.Fatal(err)
	}
	demo, err := m.svc.Materials.RecordDemonstration(ctx, m.staff, m.project.ID, evaluation.DemonstrationRecord{Date: "2025-03-02",
		Items: []evaluation.DemoItem{{Name: "SOC 实时估算", Shown: true}, {Name: ""}, {Name: "故障预警", Shown: false}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(demo.Demonstration.Items) != 2 || !demo.Demonstration.Items[0].Shown || demo.Demonstration.Items[1].Shown {
		t.Errorf("demonstration items: %+v", demo.Demonstration.Items)
	}
	d := details(t, m.lastAudit(t))
	if d["items"] != float64(2) || d["shown"] != float64(1) {
		t.Errorf("demonstration audit: %v", d)
	}
	// Records stay open through scoring, then close.
	m.setState(t, evaluation.CampaignScoring)
	if _, err := m.svc.Materials.RecordInspection(ctx, m.staff, m.project.ID, insp); err != nil {
		t.Errorf("inspection while scoring: %v", err)
	}
	m.setState(t, evaluation.CampaignConcluding)
	if _, err := m.svc.Materials.RecordInspection(ctx, m.staff, m.project.ID, insp); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("inspection while concluding: %v, want conflict", err)
	}
	if err := m.svc.Materials.DeleteMethodRecord(ctx, m.staff, m.project.ID, rec.ID); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("delete while concluding: %v, want conflict", err)
	}
	records, err := m.svc.Materials.MethodRecords(ctx, m.comm, m.project.ID)
	if err != nil || len(records) != 3 || records[0].Kind != evaluation.RecordInspection || records[1].Kind != evaluation.RecordDemonstration {
		t.Errorf("records: %d, %v", len(records), err)
	}
	// A record id under another project of the agency is not found.
	m.setState(t, evaluation.CampaignForming)
	other, err := m.svc.Campaigns.CreateProject(ctx, m.staff, m.campaign.ID, sampleProject("X-2"))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.svc.Materials.DeleteMethodRecord(ctx, m.staff, other.ID, rec.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("record under another project: %v, want not found", err)
	}
}

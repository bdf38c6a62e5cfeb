package sqlstore_test

import (
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/google/go-cmp/cmp"
)

// addProjectWithIndicator stores a campaign of the agency with one project
// that has one numeric indicator.
func addProjectWithIndicator(t *testing.T, db *sqlstore.DB, ag *evaluation.Agency, code string) *evaluation.Project {
	t.Helper()
	ctx := t.Context()
	c := &evaluation.Campaign{AgencyID: ag.ID, Name: "批次 " + code, Year: 2025, State: evaluation.CampaignForming,
		Aggregation: evaluation.TrimmedMean, Settings: evaluation.DefaultCampaignSettings(), CreatedAt: t0, UpdatedAt: t0}
	five := 5.0
	p := &evaluation.Project{AgencyID: ag.ID, Code: code, Title: "项目", Class: evaluation.AppliedTechnology, Lead: "复旦大学",
		Indicators: []evaluation.Indicator{{Seq: 1, Name: "专利", Kind: evaluation.IndicatorIP, Target: evaluation.Target{Value: &five},
			Status: evaluation.StatusUnknown, StatusFrom: "manual"}}, CreatedAt: t0, UpdatedAt: t0}
	inTx(t, db, func(tx evaluation.Tx) error {
		if err := tx.CreateCampaign(ctx, c); err != nil {
			return err
		}
		p.CampaignID = c.ID
		return tx.CreateProject(ctx, p)
	})
	return p
}

func TestMaterialRows(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ag := addAgency(t, db, "SSTPC")
	u := addUser(t, db, &evaluation.User{Username: "staff.a", Role: evaluation.RoleAgencyStaff, AgencyID: ag.ID})
	p := addProjectWithIndicator(t, db, ag, "P-1")
	q := addProjectWithIndicator(t, db, ag, "P-2")
	sha := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	first := &evaluation.Material{ProjectID: p.ID, AgencyID: ag.ID, Kind: evaluation.MaterialAuditReport, Filename: "审计报告.pdf",
		SHA256: sha, Size: 1234, ContentType: evaluation.TypePDF, UploadedBy: u.ID, UploadedAt: t0}
	second := &evaluation.Material{ProjectID: p.ID, AgencyID: ag.ID, Kind: evaluation.MaterialEvidence, Filename: "照片.png",
		SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Size: 99, ContentType: evaluation.TypePNG,
		UploadedBy: u.ID, UploadedAt: t0.Add(time.Minute)}
	elsewhere := &evaluation.Material{ProjectID: q.ID, AgencyID: ag.ID, Kind: evaluation.MaterialOther, Filename: "x.pdf",
		SHA256: sha, Size: 1234, ContentType: evaluation.TypePDF, UploadedBy: u.ID, UploadedAt: t0}
	for _, m := range []*evaluation.Material{first, second, elsewhere} {
		inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateMaterial(ctx, m) })
	}
	first.UploadedByName, second.UploadedByName, elsewhere.UploadedByName = "staff.a", "staff.a", "staff.a"
	got, err := db.Material(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("material (-want +got):\n%s", diff)
	}
	list, err := db.Materials(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*evaluation.Material{second, first}, list); diff != "" {
		t.Errorf("list, newest first (-want +got):\n%s", diff)
	}
	if m, err := db.MaterialBySHA256(ctx, q.ID, sha); err != nil || m.ID != elsewhere.ID {
		t.Errorf("by hash in project 2: %v, %v", m, err)
	}
	_, err = db.MaterialBySHA256(ctx, q.ID, second.SHA256)
	wantError(t, err, evaluation.NotFound)

	err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteMaterial(ctx, 9999) })
	wantError(t, err, evaluation.NotFound)
	inTx(t, db, func(tx evaluation.Tx) error { return tx.DeleteMaterial(ctx, second.ID) })
	_, err = db.Material(ctx, second.ID)
	wantError(t, err, evaluation.NotFound)
	// A material of a project that does not exist is refused.
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.CreateMaterial(ctx, &evaluation.Material{ProjectID: 9999, AgencyID: ag.ID, Kind: "other", Filename: "x",
			SHA256: sha, ContentType: evaluation.TypePDF, UploadedAt: t0})
	})
	wantError(t, err, evaluation.Invalid)
	// Materials go with their project.
	inTx(t, db, func(tx evaluation.Tx) error { return tx.DeleteProject(ctx, q.ID) })
	if list, err := db.Materials(ctx, q.ID); err != nil || len(list) != 0 {
		t.Errorf("materials of a deleted project: %d, %v", len(list), err)
	}
}

func TestMethodRecordRows(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ag := addAgency(t, db, "SSTPC")
	u := addUser(t, db, &evaluation.User{Username: "staff.a", Role: evaluation.RoleAgencyStaff, AgencyID: ag.ID})
	p := addProjectWithIndicator(t, db, ag, "P-1")
	q := addProjectWithIndicator(t, db, ag, "P-2")
	v := 5.5
	records := []*evaluation.MethodRecord{
		{ProjectID: p.ID, Kind: evaluation.RecordInspection, Inspection: &evaluation.InspectionRecord{Date: "2025-03-01", Place: "杨浦",
			Participants: []string{"王工", "李工"}, Findings: "正常"}},
		{ProjectID: p.ID, Kind: evaluation.RecordTest, Test: &evaluation.TestRecord{IndicatorID: p.Indicators[0].ID,
			Measured: evaluation.Actual{Value: &v}, Passed: true, Tester: "计量院", Date: "2025-03-02", Status: evaluation.StatusMet}},
		{ProjectID: p.ID, Kind: evaluation.RecordDemonstration, Demonstration: &evaluation.DemonstrationRecord{Date: "2025-03-03",
			Items: []evaluation.DemoItem{{Name: "实时监测", Shown: true}, {Name: "远程控制"}}}},
	}
	for i, r := range records {
		r.RecordedBy, r.RecordedAt, r.RecordedByName = u.ID, t0.Add(time.Duration(i)*time.Second), "staff.a"
		inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateMethodRecord(ctx, r) })
	}
	list, err := db.MethodRecords(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(records, list); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if _, err := db.MethodRecord(ctx, q.ID, records[0].ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("record under another project: %v, want not found", err)
	}
	err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteMethodRecord(ctx, q.ID, records[0].ID) })
	wantError(t, err, evaluation.NotFound)
	inTx(t, db, func(tx evaluation.Tx) error { return tx.DeleteMethodRecord(ctx, p.ID, records[0].ID) })
	// A test goes with its indicator when the project's indicators change.
	p.Indicators = nil
	inTx(t, db, func(tx evaluation.Tx) error { return tx.UpdateProject(ctx, p) })
	list, err = db.MethodRecords(ctx, p.ID)
	if err != nil || len(list) != 1 || list[0].Kind != evaluation.RecordDemonstration {
		t.Errorf("after removing the indicator: %d records, %v; want the demonstration only", len(list), err)
	}
	// A kind the schema does not know is refused.
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.CreateMethodRecord(ctx, &evaluation.MethodRecord{ProjectID: p.ID, Kind: "survey", RecordedAt: t0})
	})
	wantError(t, err, evaluation.Invalid)
	if list, err := db.MethodRecords(ctx, p.ID); err != nil || len(list) != 1 {
		t.Errorf("after the refused record: %d records, %v; want 1", len(list), err)
	}
}

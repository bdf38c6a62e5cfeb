package evaluation_test

import (
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

var importFile = evaluation.ImportFile{Name: "项目清单.xlsx", Format: "xlsx", SHA256: "ab12"}

func TestImportProjectsService(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	other := e.staff(t, "staff.b", e.newAgency(t, "OTHER").Code).Actor()
	commission := e.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject("P-0")); err != nil {
		t.Fatal(err)
	}

	// The check names every problem at once: a rule, a code twice, a code
	// the campaign has.
	badClass := sampleProject("P-2")
	badClass.Class = "medicine"
	list := []*evaluation.Project{sampleProject("P-1"), badClass, sampleProject("P-1"), sampleProject("P-0")}
	err = e.svc.Campaigns.CheckProjectImport(ctx, staff, c.ID, list)
	want := map[string]string{"projects.1.class": "error.class_invalid", "projects.2.code": "error.duplicate_in_file",
		"projects.3.code": "error.project_code_taken"}
	if diff := cmp.Diff(want, wantCode(t, err, evaluation.Invalid).Fields); diff != "" {
		t.Errorf("check (-want +got):\n%s", diff)
	}
	entries := e.auditCount(t)
	// The import refuses on the file's own problems before it looks at
	// the campaign.
	delete(want, "projects.3.code")
	err = e.svc.Campaigns.ImportProjects(ctx, staff, c.ID, list, importFile)
	if diff := cmp.Diff(want, wantCode(t, err, evaluation.Invalid).Fields); diff != "" {
		t.Errorf("import (-want +got):\n%s", diff)
	}
	if _, n, err := e.svc.Campaigns.Projects(ctx, staff, evaluation.ProjectFilter{CampaignID: c.ID}); err != nil || n != 1 || e.auditCount(t) != entries {
		t.Fatalf("a refused import left %d projects (%v) and %d new audit entries", n, err, e.auditCount(t)-entries)
	}
	// A code taken in the campaign stops the import itself too.
	err = e.svc.Campaigns.ImportProjects(ctx, staff, c.ID, []*evaluation.Project{sampleProject("P-3"), sampleProject("P-0")}, importFile)
	if wantCode(t, err, evaluation.Conflict).Fields["projects.1.code"] != "error.already_exists" || e.auditCount(t) != entries {
		t.Fatalf("taken code: %v", err)
	}

	for _, tc := range []struct {
		name  string
		actor evaluation.Actor
		code  evaluation.Code
	}{{"another agency", other, evaluation.NotFound}, {"the commission", commission, evaluation.Forbidden}} {
		wantCode(t, e.svc.Campaigns.CheckProjectImport(ctx, tc.actor, c.ID, []*evaluation.Project{sampleProject("P-9")}), tc.code)
		wantCode(t, e.svc.Campaigns.ImportProjects(ctx, tc.actor, c.ID, []*evaluation.Project{sampleProject("P-9")}, importFile), tc.code)
	}
	wantCode(t, e.svc.Campaigns.ImportProjects(ctx, staff, c.ID, nil, importFile), evaluation.Invalid)

	good := []*evaluation.Project{sampleProject("P-1"), sampleProject("P-2"), sampleProject("P-3")}
	if err := e.svc.Campaigns.CheckProjectImport(ctx, staff, c.ID, good); err != nil {
		t.Fatalf("check of a good list: %v", err)
	}
	if err := e.svc.Campaigns.ImportProjects(ctx, staff, c.ID, good, importFile); err != nil {
		t.Fatal(err)
	}
	if _, n, err := e.svc.Campaigns.Projects(ctx, staff, evaluation.ProjectFilter{CampaignID: c.ID}); err != nil || n != 4 {
		t.Fatalf("%d projects after the import (%v), want 4", n, err)
	}
	// Three project entries, then the import's, in the same transaction.
	if got := e.auditCount(t) - entries; got != 4 {
		t.Fatalf("%d new audit entries, want 4", got)
	}
	last := e.lastAudit(t)
	d := details(t, last)
	if last.Action != "project.import" || last.ObjectType != "campaign" || last.ObjectID != idString(c.ID) ||
		last.AgencyID != c.AgencyID || d["projects"] != 3.0 || d["indicators"] != 9.0 || d["file"] != "项目清单.xlsx" ||
		d["sha256"] != "ab12" || d["format"] != "xlsx" {
		t.Errorf("import entry %+v", last)
	}

	// Forming still takes projects; scoring does not.
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, staff, c.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Campaigns.CheckProjectImport(ctx, staff, c.ID, []*evaluation.Project{sampleProject("P-4")}); err != nil {
		t.Errorf("check while forming: %v", err)
	}
}

func TestImportExpertsService(t *testing.T) {
	e := newEnv(t)
	p := e.poolActors(t) // 王芳 and 李强 of 复旦大学 are in the pool
	ctx := t.Context()
	expert := func(name, institution, email string) *evaluation.Expert {
		x := validExpert()
		x.Name, x.Institution, x.Email = name, institution, email
		return x
	}
	badType := expert("赵刚", "同济大学", "")
	badType.Type = "academician"
	list := []*evaluation.Expert{
		expert("张卫东", "上海交通大学", "zhang@example.edu.cn"),
		badType,
		expert("张 卫东", "上海交通大学 ", ""),                        // the first again, written differently
		expert("Wang Fang", "Fudan", "ZHANG@example.edu.cn"), // the first's e-mail
		expert("王芳", "复旦大学", ""),                             // in the pool
	}
	before := e.expertCount(t)
	entries := e.auditCount(t)
	err := e.svc.Pool.CheckExpertImport(ctx, p.commission, list)
	want := map[string]string{"experts.1.type": "error.type_invalid", "experts.2.name": "error.expert_duplicate_in_file",
		"experts.3.email": "error.expert_duplicate_in_file", "experts.4.name": "error.expert_in_pool"}
	if diff := cmp.Diff(want, wantCode(t, err, evaluation.Invalid).Fields); diff != "" {
		t.Errorf("check (-want +got):\n%s", diff)
	}
	// The import refuses on the file's own problems before it looks at
	// the pool.
	delete(want, "experts.4.name")
	err = e.svc.Pool.ImportExperts(ctx, p.commission, list, importFile)
	if diff := cmp.Diff(want, wantCode(t, err, evaluation.Invalid).Fields); diff != "" {
		t.Errorf("import (-want +got):\n%s", diff)
	}
	if e.expertCount(t) != before || e.auditCount(t) != entries {
		t.Fatal("a refused import changed the pool or the log")
	}
	for _, a := range []evaluation.Actor{p.staff, p.expert} {
		wantCode(t, e.svc.Pool.CheckExpertImport(ctx, a, list[:1]), evaluation.Forbidden)
		wantCode(t, e.svc.Pool.ImportExperts(ctx, a, list[:1], importFile), evaluation.Forbidden)
	}

	good := []*evaluation.Expert{expert("张卫东", "上海交通大学", "zhang@example.edu.cn"), expert("陈立平", "上海大学", "")}
	good[1].CanBeDrawn, good[1].NoDrawReason = false, "长期出国"
	if err := e.svc.Pool.CheckExpertImport(ctx, p.admin, good); err != nil {
		t.Fatalf("check: %v", err)
	}
	// Someone adds one of them between the check and the import.
	if err := e.svc.Pool.CreateExpert(ctx, p.admin, expert("陈立平", "上海大学", "")); err != nil {
		t.Fatal(err)
	}
	entries = e.auditCount(t)
	err = e.svc.Pool.ImportExperts(ctx, p.admin, good, importFile)
	if wantCode(t, err, evaluation.Conflict).Fields["experts.1.name"] != "error.expert_in_pool" || e.auditCount(t) != entries {
		t.Fatalf("import after the check: %v", err)
	}
	good[1] = expert("陈立平", "华东理工大学", "")
	good[1].CanBeDrawn, good[1].NoDrawReason = false, "长期出国"
	before = e.expertCount(t)
	if err := e.svc.Pool.ImportExperts(ctx, p.admin, good, importFile); err != nil {
		t.Fatal(err)
	}
	if e.expertCount(t) != before+2 || e.auditCount(t) != entries+3 {
		t.Fatalf("%d experts and %d entries added, want 2 and 3", e.expertCount(t)-before, e.auditCount(t)-entries)
	}
	last := e.lastAudit(t)
	if d := details(t, last); last.Action != "expert.import" || d["experts"] != 2.0 || d["drawable"] != 1.0 || d["file"] != "项目清单.xlsx" {
		t.Errorf("import entry %+v", last)
	}
	if good[0].ID == 0 || good[1].ID == 0 || good[1].CanBeDrawn {
		t.Errorf("imported profiles %+v %+v", good[0], good[1])
	}
}

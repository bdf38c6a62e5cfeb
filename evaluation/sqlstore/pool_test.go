package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// poolFixture builds campaigns of two years with panels, in plain SQL so
// that the load query is tested against rows as the schema allows them,
// whatever code writes them.
type poolFixture struct {
	t      *testing.T
	db     *sqlstore.DB
	agency *evaluation.Agency
	n      int
}

func (f *poolFixture) campaign(year int) int64 {
	f.t.Helper()
	f.n++
	mustExec(f.t, f.db, `INSERT INTO campaigns (agency_id, name, year, state, aggregation, settings, created_by, created_at, updated_at)
		VALUES (?, ?, ?, 'forming', 'trimmed_mean', '{}', 0, ?, ?)`, f.agency.ID, fmt.Sprintf("批次 %d", f.n), year, t0s, t0s)
	return f.lastID("campaigns")
}

func (f *poolFixture) project(campaign int64) int64 {
	f.t.Helper()
	f.n++
	mustExec(f.t, f.db, `INSERT INTO projects (campaign_id, agency_id, code, title, class, lead_institution, details, created_at, updated_at)
		VALUES (?, ?, ?, '项目', 'basic_research', '复旦大学', '{}', ?, ?)`, campaign, f.agency.ID, fmt.Sprintf("P-%d", f.n), t0s, t0s)
	return f.lastID("projects")
}

// panel makes a panel for the projects and seats the experts with the
// given statuses (expert id → status).
func (f *poolFixture) panel(campaign int64, projects []int64, members map[int64]string) int64 {
	f.t.Helper()
	mustExec(f.t, f.db, `INSERT INTO panels (campaign_id, agency_id, name, state, created_at, updated_at)
		VALUES (?, ?, '专家组', 'forming', ?, ?)`, campaign, f.agency.ID, t0s, t0s)
	id := f.lastID("panels")
	for _, p := range projects {
		mustExec(f.t, f.db, `INSERT INTO panel_projects (panel_id, project_id) VALUES (?, ?)`, id, p)
	}
	for e, status := range members {
		mustExec(f.t, f.db, `INSERT INTO panel_members (panel_id, expert_id, seat, status, source, created_at)
			VALUES (?, ?, 'technical', ?, 'draw', ?)`, id, e, status, t0s)
	}
	return id
}

// lastID is the id of the row the fixture inserted last into table.
func (f *poolFixture) lastID(table string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.QueryRowContext(f.t.Context(), `SELECT MAX(id) FROM `+table).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

var t0s = t0.Format(evaluation.AuditTimeFormat)

func TestExpertLoads(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	f := &poolFixture{t: t, db: db, agency: addAgency(t, db, "SSTPC")}
	a := addExpert(t, db, &evaluation.Expert{Name: "甲", Type: evaluation.DomainExpert, CanBeDrawn: true})
	b := addExpert(t, db, &evaluation.Expert{Name: "乙", Type: evaluation.DomainExpert, CanBeDrawn: true})
	c := addExpert(t, db, &evaluation.Expert{Name: "丙", Type: evaluation.FinanceExpert, CanBeDrawn: true})
	idle := addExpert(t, db, &evaluation.Expert{Name: "丁", Type: evaluation.DomainExpert, CanBeDrawn: true})

	c2025a, c2025b, c2024 := f.campaign(2025), f.campaign(2025), f.campaign(2024)
	// 2025, campaign A: a group panel of three projects and a one-project panel.
	f.panel(c2025a, []int64{f.project(c2025a), f.project(c2025a), f.project(c2025a)},
		map[int64]string{a.ID: "accepted", b.ID: "invited", c.ID: "alternate"})
	f.panel(c2025a, []int64{f.project(c2025a)}, map[int64]string{a.ID: "proposed", b.ID: "declined", c.ID: "removed"})
	// 2025, campaign B: two projects.
	f.panel(c2025b, []int64{f.project(c2025b), f.project(c2025b)}, map[int64]string{b.ID: "accepted", c.ID: "invited"})
	// 2024: one project.
	f.panel(c2024, []int64{f.project(c2024)}, map[int64]string{a.ID: "accepted", c.ID: "accepted"})
	// A panel with no projects yet counts nothing.
	f.panel(c2025b, nil, map[int64]string{idle.ID: "accepted"})

	tests := []struct {
		name string
		year int
		ids  []int64
		want map[int64]int
	}{
		// a: 3 + 1 (proposed counts); b: 3 (invited) + 2, not the declined
		// one; c: 2 (invited), never as alternate or removed.
		{"2025, whole pool", 2025, nil, map[int64]int{a.ID: 4, b.ID: 5, c.ID: 2}},
		{"2025, named experts", 2025, []int64{a.ID, idle.ID}, map[int64]int{a.ID: 4}},
		{"2024", 2024, nil, map[int64]int{a.ID: 1, c.ID: 1}},
		{"a year without campaigns", 2023, nil, map[int64]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.ExpertLoads(ctx, tt.year, tt.ids...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ExpertLoads(%d, %v) (-want +got):\n%s", tt.year, tt.ids, diff)
			}
		})
	}

	t.Run("list shows and sorts by the year's load", func(t *testing.T) {
		list, total, err := db.Experts(ctx, evaluation.ExpertFilter{Year: 2025, Sort: "-load", Page: page(1, 20)})
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			ID         int64
			Load, Year int
		}
		var got []row
		for _, e := range list {
			got = append(got, row{e.ID, e.Load, e.LoadYear})
		}
		want := []row{{b.ID, 5, 2025}, {a.ID, 4, 2025}, {c.ID, 2, 2025}, {idle.ID, 0, 2025}}
		if diff := cmp.Diff(want, got); diff != "" || total != 4 {
			t.Errorf("total %d; rows (-want +got):\n%s", total, diff)
		}
		list, _, err = db.Experts(ctx, evaluation.ExpertFilter{Year: 2024, Sort: "load", Page: page(1, 2)})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Load != 0 || list[1].Load != 0 || list[0].ID != b.ID {
			t.Errorf("2024, ascending, first page: %+v %+v; want b and idle with 0 (ties by id)", list[0], list[1])
		}
	})
}

func TestExpertListFilters(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	zhang := addExpert(t, db, &evaluation.Expert{Name: "张华", Type: evaluation.DomainExpert, SubjectCodes: []string{"520.20", "510.30"},
		Keywords: []string{"人工智能"}, CanBeDrawn: true})
	anna := addExpert(t, db, &evaluation.Expert{Name: "Anna Berg", Type: evaluation.InternationalPeer, Region: evaluation.RegionInternational,
		SubjectCodes: []string{"520.60"}, CanBeDrawn: false, NoDrawReason: "on sabbatical"})
	li := addExpert(t, db, &evaluation.Expert{Name: "李明", Type: evaluation.DomainExpert, Region: evaluation.RegionNonLocal,
		SubjectCodes: []string{"152.20"}, CanBeDrawn: true})
	odd := addExpert(t, db, &evaluation.Expert{Name: "王_%", Type: evaluation.Investor, CanBeDrawn: true})
	yes, no := true, false
	tests := []struct {
		name   string
		filter evaluation.ExpertFilter
		want   []int64
	}{
		{"region", evaluation.ExpertFilter{Region: evaluation.RegionNonLocal}, []int64{li.ID}},
		{"drawable", evaluation.ExpertFilter{Drawable: &yes}, []int64{zhang.ID, li.ID, odd.ID}},
		{"not drawable", evaluation.ExpertFilter{Drawable: &no}, []int64{anna.ID}},
		{"subject discipline", evaluation.ExpertFilter{Subject: "520"}, []int64{zhang.ID, anna.ID}},
		{"subject, second code of a list", evaluation.ExpertFilter{Subject: "510.3"}, []int64{zhang.ID}},
		{"subject prefix is a prefix, not a substring", evaluation.ExpertFilter{Subject: "20"}, nil},
		{"subject and type", evaluation.ExpertFilter{Subject: "520", Type: evaluation.InternationalPeer}, []int64{anna.ID}},
		{"wildcards in the text are literal", evaluation.ExpertFilter{Query: "_%"}, []int64{odd.ID}},
		// Names sort by code point: 王 > 李 > 张 > Latin letters.
		{"sort by name descending", evaluation.ExpertFilter{Sort: "-name"}, []int64{odd.ID, li.ID, zhang.ID, anna.ID}},
		{"sort by region", evaluation.ExpertFilter{Sort: "region"}, []int64{anna.ID, zhang.ID, odd.ID, li.ID}},
		{"unknown sort falls back to id", evaluation.ExpertFilter{Sort: "name; DROP TABLE experts"}, []int64{zhang.ID, anna.ID, li.ID, odd.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			f.Year, f.Page = 2025, page(1, 20)
			list, total, err := db.Experts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, e := range list {
				got = append(got, e.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || total != len(tt.want) {
				t.Errorf("total %d; ids (-want +got):\n%s", total, diff)
			}
		})
	}
}

func TestUpdateExpert(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	e := addExpert(t, db, &evaluation.Expert{Name: "张华", Type: evaluation.DomainExpert, CanBeDrawn: true})
	e.Name, e.Institution, e.SubjectCodes, e.CanBeDrawn, e.NoDrawReason = "张华华", "同济大学", []string{"560.20"}, false, "出国"
	e.UpdatedAt = t0.Add(3600e9)
	inTx(t, db, func(tx evaluation.Tx) error { return tx.UpdateExpert(ctx, e) })
	got, err := db.Expert(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	missing := *e
	missing.ID = 999
	err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.UpdateExpert(ctx, &missing) })
	wantError(t, err, evaluation.NotFound)
}

func TestConflictAndCollaborationRecords(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	ag := addAgency(t, db, "SSTPC")
	f := &poolFixture{t: t, db: db, agency: ag}
	proj := f.project(f.campaign(2025))
	a := addExpert(t, db, &evaluation.Expert{Name: "甲", Type: evaluation.DomainExpert, CanBeDrawn: true})
	b := addExpert(t, db, &evaluation.Expert{Name: "乙", Type: evaluation.DomainExpert, CanBeDrawn: true})
	admin := addUser(t, db, &evaluation.User{Username: "root", Role: evaluation.RoleAdmin})

	old := &evaluation.ExpertConflict{ExpertID: a.ID, Person: "王伟", Year: 2022, Note: "博士生导师", CreatedBy: admin.ID, CreatedAt: t0}
	withProject := &evaluation.ExpertConflict{ExpertID: a.ID, ProjectID: proj, Year: 2025, CreatedAt: t0}
	other := &evaluation.ExpertConflict{ExpertID: b.ID, Institution: "复旦大学", Year: 2024, CreatedAt: t0}
	for _, c := range []*evaluation.ExpertConflict{old, withProject, other} {
		inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateExpertConflict(ctx, c) })
	}
	got, err := db.ExpertConflicts(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Newest year first, with the project's code and agency and the
	// recorder's username filled in from their tables.
	withProject.ProjectCode, withProject.ProjectAgencyID = "P-2", ag.ID
	old.CreatedByName = "root"
	if diff := cmp.Diff([]*evaluation.ExpertConflict{withProject, old}, got); diff != "" {
		t.Errorf("conflicts of a (-want +got):\n%s", diff)
	}
	if _, err := db.ExpertConflict(ctx, a.ID, other.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("another expert's conflict through a: %v, want not found", err)
	}
	err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteExpertConflict(ctx, a.ID, other.ID) })
	wantError(t, err, evaluation.NotFound)
	inTx(t, db, func(tx evaluation.Tx) error { return tx.DeleteExpertConflict(ctx, b.ID, other.ID) })
	if list, err := db.ExpertConflicts(ctx, b.ID); err != nil || len(list) != 0 {
		t.Errorf("after delete b has %d conflicts (%v)", len(list), err)
	}
	// The schema refuses a record that names nothing, and a missing project.
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.CreateExpertConflict(ctx, &evaluation.ExpertConflict{ExpertID: a.ID, Year: 2025, CreatedAt: t0})
	})
	wantError(t, err, evaluation.Invalid)
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.CreateExpertConflict(ctx, &evaluation.ExpertConflict{ExpertID: a.ID, ProjectID: 999, Year: 2025, CreatedAt: t0})
	})
	wantError(t, err, evaluation.Invalid)

	paper := &evaluation.ExpertCollaboration{ExpertID: a.ID, Kind: evaluation.JointPaper, Person: "李雷", Institution: "同济大学",
		Year: 2023, Note: "Nature 2023", CreatedBy: admin.ID, CreatedAt: t0}
	award := &evaluation.ExpertCollaboration{ExpertID: a.ID, Kind: evaluation.JointAward, Institution: "上海交通大学", Year: 2024, CreatedAt: t0}
	for _, c := range []*evaluation.ExpertCollaboration{paper, award} {
		inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateExpertCollaboration(ctx, c) })
	}
	paper.CreatedByName = "root"
	collabs, err := db.ExpertCollaborations(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*evaluation.ExpertCollaboration{award, paper}, collabs); diff != "" {
		t.Errorf("collaborations of a (-want +got):\n%s", diff)
	}
	one, err := db.ExpertCollaboration(ctx, a.ID, paper.ID)
	if err != nil || one.Note != "Nature 2023" {
		t.Errorf("ExpertCollaboration = %+v, %v", one, err)
	}
	err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteExpertCollaboration(ctx, b.ID, paper.ID) })
	wantError(t, err, evaluation.NotFound)
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.CreateExpertCollaboration(ctx, &evaluation.ExpertCollaboration{ExpertID: a.ID, Kind: "joint_dinner", Person: "x", Year: 2025, CreatedAt: t0})
	})
	wantError(t, err, evaluation.Invalid)
	inTx(t, db, func(tx evaluation.Tx) error { return tx.DeleteExpertCollaboration(ctx, a.ID, paper.ID) })
	if list, err := db.ExpertCollaborations(ctx, a.ID); err != nil || len(list) != 1 || list[0].ID != award.ID {
		t.Errorf("after delete: %+v, %v", list, err)
	}
}

func TestInstitutionAliases(t *testing.T) {
	db := openDB(t)
	ctx := t.Context()
	sjtu := &evaluation.InstitutionAlias{Alias: "上海交大", Canonical: "上海交通大学", CreatedAt: t0}
	fudan := &evaluation.InstitutionAlias{Alias: "fudanuniversity", Canonical: "复旦大学", CreatedAt: t0}
	for _, a := range []*evaluation.InstitutionAlias{sjtu, fudan} {
		inTx(t, db, func(tx evaluation.Tx) error { return tx.CreateInstitutionAlias(ctx, a) })
	}
	list, err := db.InstitutionAliases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*evaluation.InstitutionAlias{fudan, sjtu}, list); diff != "" {
		t.Errorf("aliases (-want +got):\n%s", diff)
	}
	err = db.InTx(ctx, func(tx evaluation.Tx) error {
		return tx.CreateInstitutionAlias(ctx, &evaluation.InstitutionAlias{Alias: "上海交大", Canonical: "别的大学", CreatedAt: t0})
	})
	if e := wantError(t, err, evaluation.Conflict); e.Fields["alias"] == "" {
		t.Errorf("duplicate alias names no field: %v", e)
	}
	got, err := db.InstitutionAlias(ctx, "上海交大")
	if err != nil || got.Canonical != "上海交通大学" {
		t.Errorf("InstitutionAlias = %+v, %v", got, err)
	}
	inTx(t, db, func(tx evaluation.Tx) error { return tx.DeleteInstitutionAlias(ctx, "上海交大") })
	err = db.InTx(ctx, func(tx evaluation.Tx) error { return tx.DeleteInstitutionAlias(ctx, "上海交大") })
	wantError(t, err, evaluation.NotFound)
	_, err = db.InstitutionAlias(ctx, "上海交大")
	wantError(t, err, evaluation.NotFound)
}

package evaluation_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/assign"
	"github.com/evalpanel/evalpanel/evaluation/sqlstore/storetest"
	"github.com/google/go-cmp/cmp"
)

// validExpert is a profile that passes every rule.
func validExpert() *evaluation.Expert {
	return &evaluation.Expert{Name: "张卫东", Type: evaluation.DomainExpert, Institution: "上海交通大学", Title: "教授",
		TitleLevel: evaluation.TitleSenior, SubjectCodes: []string{"520.20", "520.60"}, Keywords: []string{"人工智能", "machine learning"},
		Region: evaluation.RegionLocal, Languages: []string{"zh", "en"}, Email: "zhang.wd@example.edu.cn", CanBeDrawn: true}
}

// poolActors are the users of the pool tests: one of each role, and two
// experts with accounts (own is linked to e.own, other to e.other).
type poolActors struct {
	admin, commission, staff, staffB, expert, otherExpert evaluation.Actor
	own, other                                            *evaluation.Expert
}

func (e *env) poolActors(t *testing.T) poolActors {
	t.Helper()
	b := e.newAgency(t, "OTHER")
	p := poolActors{admin: e.admin}
	p.own, p.other = e.expert(t, "王芳"), e.expert(t, "李强")
	p.commission = e.user(t, evaluation.NewUser{Username: "kw.wang", Role: evaluation.RoleCommission}).Actor()
	p.staff = e.staff(t, "staff.a", "SSTPC").Actor()
	p.staffB = e.staff(t, "staff.b", b.Code).Actor()
	p.expert = e.user(t, evaluation.NewUser{Username: "wang.fang", Role: evaluation.RoleExpert, ExpertID: p.own.ID}).Actor()
	p.otherExpert = e.user(t, evaluation.NewUser{Username: "li.qiang", Role: evaluation.RoleExpert, ExpertID: p.other.ID}).Actor()
	return p
}

func (e *env) expertCount(t *testing.T) int {
	t.Helper()
	_, n, err := e.db.Experts(t.Context(), evaluation.ExpertFilter{Year: 2025, Page: evaluation.Page{Number: 1, Size: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestExpertValidation(t *testing.T) {
	e := newEnv(t)
	long := func(n int) string { return strings.Repeat("长", n) }
	many := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	tests := []struct {
		name   string
		change func(*evaluation.Expert)
		field  string
		msg    string
	}{
		{"no name", func(x *evaluation.Expert) { x.Name = "  " }, "name", "error.required"},
		{"long name", func(x *evaluation.Expert) { x.Name = long(65) }, "name", "error.too_long"},
		{"unknown type", func(x *evaluation.Expert) { x.Type = "professor" }, "type", "error.type_invalid"},
		{"no institution", func(x *evaluation.Expert) { x.Institution = "" }, "institution", "error.required"},
		{"long institution", func(x *evaluation.Expert) { x.Institution = long(129) }, "institution", "error.too_long"},
		{"long title", func(x *evaluation.Expert) { x.Title = long(65) }, "title", "error.too_long"},
		{"unknown title level", func(x *evaluation.Expert) { x.TitleLevel = "chief" }, "title_level", "error.title_level_invalid"},
		{"unknown region", func(x *evaluation.Expert) { x.Region = "mars" }, "region", "error.region_invalid"},
		{"subject code too short", func(x *evaluation.Expert) { x.SubjectCodes = []string{"52"} }, "subject_codes.0", "error.subject_code_format"},
		{"second subject code malformed", func(x *evaluation.Expert) { x.SubjectCodes = []string{"520.20", "520.2"} }, "subject_codes.1", "error.subject_code_format"},
		{"subject code with letters", func(x *evaluation.Expert) { x.SubjectCodes = []string{"AI"} }, "subject_codes.0", "error.subject_code_format"},
		{"too many subject codes", func(x *evaluation.Expert) {
			x.SubjectCodes = many(11, func(i int) string { return "5" + string(rune('0'+i/10)) + string(rune('0'+i%10)) })
		}, "subject_codes", "error.too_many"},
		{"long keyword", func(x *evaluation.Expert) { x.Keywords = []string{long(33)} }, "keywords.0", "error.too_long"},
		{"too many keywords", func(x *evaluation.Expert) { x.Keywords = many(21, func(i int) string { return long(i + 1) }) }, "keywords", "error.too_many"},
		{"language not a code", func(x *evaluation.Expert) { x.Languages = []string{"中文"} }, "languages.0", "error.language_code"},
		{"email without @", func(x *evaluation.Expert) { x.Email = "zhang.example.org" }, "email", "error.email_format"},
		{"email with a display name", func(x *evaluation.Expert) { x.Email = "张 <zhang@example.org>" }, "email", "error.email_format"},
		{"not drawable without reason", func(x *evaluation.Expert) { x.CanBeDrawn, x.NoDrawReason = false, " " }, "no_draw_reason", "error.no_draw_reason_required"},
		{"long reason", func(x *evaluation.Expert) { x.CanBeDrawn, x.NoDrawReason = false, long(501) }, "no_draw_reason", "error.too_long"},
	}
	audits, experts := e.auditCount(t), e.expertCount(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := validExpert()
			tt.change(x)
			err := e.svc.Pool.CreateExpert(t.Context(), e.admin, x)
			if got := wantCode(t, err, evaluation.Invalid).Fields[tt.field]; got != tt.msg {
				t.Errorf("fields[%s] = %q, want %q (all: %v)", tt.field, got, tt.msg, evaluation.ErrorAs(err).Fields)
			}
		})
	}
	if e.auditCount(t) != audits || e.expertCount(t) != experts {
		t.Fatalf("refused profiles were stored or audited")
	}

	t.Run("normalised before the rules", func(t *testing.T) {
		x := validExpert()
		x.Name, x.SubjectCodes, x.Keywords, x.NoDrawReason = " 张卫东 ", []string{"520.20", " 520.20 ", ""}, nil, "left over"
		if err := e.svc.Pool.CreateExpert(t.Context(), e.admin, x); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Pool.Expert(t.Context(), e.admin, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "张卫东" || !cmp.Equal(got.SubjectCodes, []string{"520.20"}) || got.Keywords == nil || got.NoDrawReason != "" {
			t.Errorf("stored %+v", got)
		}
		a := e.lastAudit(t)
		if a.Action != "expert.create" || a.ObjectID != idString(x.ID) || details(t, a)["name"] != "张卫东" {
			t.Errorf("audit entry %+v", a)
		}
	})
}

func TestPoolPermissions(t *testing.T) {
	e := newEnv(t)
	p := e.poolActors(t)
	ctx := t.Context()
	// Each operation is tried by every actor; want gives the outcome by
	// actor name ("" for success).
	type op func(a evaluation.Actor) error
	ops := []struct {
		name string
		run  op
		want map[string]evaluation.Code
	}{
		{"create", func(a evaluation.Actor) error { return e.svc.Pool.CreateExpert(ctx, a, validExpert()) },
			map[string]evaluation.Code{"staff": evaluation.Forbidden, "expert": evaluation.Forbidden}},
		{"list", func(a evaluation.Actor) error {
			_, _, err := e.svc.Pool.Experts(ctx, a, evaluation.ExpertFilter{})
			return err
		}, map[string]evaluation.Code{"expert": evaluation.Forbidden}},
		{"read another's profile", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.Expert(ctx, a, p.other.ID)
			return err
		}, map[string]evaluation.Code{"expert": evaluation.NotFound}},
		{"read own profile", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.Expert(ctx, a, p.own.ID)
			return err
		}, nil},
		{"another's load", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.ExpertLoad(ctx, a, p.other.ID)
			return err
		}, map[string]evaluation.Code{"expert": evaluation.NotFound}},
		{"update", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.UpdateExpert(ctx, a, p.own.ID, evaluation.ExpertUpdate{Title: ptr("研究员")})
			return err
		}, map[string]evaluation.Code{"staff": evaluation.Forbidden, "expert": evaluation.Forbidden}},
		{"flag", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.SetExpertDrawable(ctx, a, p.own.ID, false, "出国访学")
			return err
		}, map[string]evaluation.Code{"staff": evaluation.Forbidden, "expert": evaluation.Forbidden}},
		{"another's conflicts", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.ExpertConflicts(ctx, a, p.other.ID)
			return err
		}, map[string]evaluation.Code{"expert": evaluation.NotFound}},
		{"declare own conflict", func(a evaluation.Actor) error {
			return e.svc.Pool.AddExpertConflict(ctx, a, p.own.ID, &evaluation.ExpertConflict{Person: "赵六", Year: 2024})
		}, map[string]evaluation.Code{"staff": evaluation.Forbidden}},
		{"declare another's conflict", func(a evaluation.Actor) error {
			return e.svc.Pool.AddExpertConflict(ctx, a, p.other.ID, &evaluation.ExpertConflict{Person: "赵六", Year: 2024})
		}, map[string]evaluation.Code{"staff": evaluation.Forbidden, "expert": evaluation.NotFound}},
		{"another's collaborations", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.ExpertCollaborations(ctx, a, p.other.ID)
			return err
		}, map[string]evaluation.Code{"expert": evaluation.NotFound}},
		{"record own collaboration", func(a evaluation.Actor) error {
			return e.svc.Pool.AddCollaboration(ctx, a, p.own.ID, &evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "赵六", Year: 2024})
		}, map[string]evaluation.Code{"staff": evaluation.Forbidden, "expert": evaluation.Forbidden}},
		{"aliases", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.InstitutionAliases(ctx, a)
			return err
		}, map[string]evaluation.Code{"commission": evaluation.Forbidden, "staff": evaluation.Forbidden, "expert": evaluation.Forbidden}},
		{"add alias", func(a evaluation.Actor) error {
			_, err := e.svc.Pool.AddInstitutionAlias(ctx, a, "交大"+a.Username, "上海交通大学")
			return err
		}, map[string]evaluation.Code{"commission": evaluation.Forbidden, "staff": evaluation.Forbidden, "expert": evaluation.Forbidden}},
	}
	actors := []struct {
		name  string
		actor evaluation.Actor
	}{{"admin", p.admin}, {"commission", p.commission}, {"staff", p.staff}, {"expert", p.expert}}
	for _, o := range ops {
		for _, a := range actors {
			t.Run(o.name+" as "+a.name, func(t *testing.T) {
				before := e.auditCount(t)
				err := o.run(a.actor)
				want := o.want[a.name]
				if got := evaluation.ErrorCode(err); got != want {
					t.Fatalf("error %v (code %q), want code %q", err, got, want)
				}
				if want != "" && e.auditCount(t) != before {
					t.Errorf("a refused call wrote to the audit log")
				}
			})
		}
	}
}

func TestUpdateExpertAndFlag(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	x := validExpert()
	if err := e.svc.Pool.CreateExpert(ctx, e.admin, x); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(time.Hour)

	up, err := e.svc.Pool.UpdateExpert(ctx, e.admin, x.ID, evaluation.ExpertUpdate{Title: ptr("研究员"),
		SubjectCodes: &[]string{"520.20", " 510.30 "}, Name: ptr(x.Name), Region: ptr(evaluation.RegionNonLocal)})
	if err != nil {
		t.Fatal(err)
	}
	if up.Title != "研究员" || !cmp.Equal(up.SubjectCodes, []string{"520.20", "510.30"}) || up.Region != evaluation.RegionNonLocal ||
		!up.UpdatedAt.Equal(e.clock.now()) || up.Keywords[1] != "machine learning" {
		t.Errorf("updated %+v", up)
	}
	a := e.lastAudit(t)
	want := map[string]any{"title": "研究员", "subject_codes": []any{"520.20", "510.30"}, "region": "non_local"}
	if diff := cmp.Diff(want, details(t, a)); a.Action != "expert.update" || diff != "" {
		t.Errorf("audit %s, details (-want +got):\n%s", a.Action, diff)
	}

	t.Run("an update that changes nothing writes nothing", func(t *testing.T) {
		before := e.auditCount(t)
		if got, err := e.svc.Pool.UpdateExpert(ctx, e.admin, x.ID, evaluation.ExpertUpdate{Title: ptr(" 研究员 ")}); err != nil || got.Title != "研究员" {
			t.Fatalf("no-op update = %+v, %v; want the title 研究员 kept", got, err)
		}
		if e.auditCount(t) != before {
			t.Error("a no-op update was audited")
		}
	})
	t.Run("a refused update changes nothing", func(t *testing.T) {
		before := e.auditCount(t)
		_, err := e.svc.Pool.UpdateExpert(ctx, e.admin, x.ID, evaluation.ExpertUpdate{Title: ptr("院士"), Email: ptr("bad")})
		if wantCode(t, err, evaluation.Invalid).Fields["email"] != "error.email_format" {
			t.Errorf("fields %v", evaluation.ErrorAs(err).Fields)
		}
		got, err := e.svc.Pool.Expert(ctx, e.admin, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "研究员" || e.auditCount(t) != before {
			t.Errorf("after a refused update: title %q, audit grew %v", got.Title, e.auditCount(t) != before)
		}
	})
	t.Run("missing expert", func(t *testing.T) {
		_, err := e.svc.Pool.UpdateExpert(ctx, e.admin, 999, evaluation.ExpertUpdate{Title: ptr("x")})
		wantCode(t, err, evaluation.NotFound)
	})

	t.Run("flag", func(t *testing.T) {
		_, err := e.svc.Pool.SetExpertDrawable(ctx, e.admin, x.ID, false, "  ")
		if wantCode(t, err, evaluation.Invalid).Fields["no_draw_reason"] != "error.no_draw_reason_required" {
			t.Errorf("fields %v", evaluation.ErrorAs(err).Fields)
		}
		off, err := e.svc.Pool.SetExpertDrawable(ctx, e.admin, x.ID, false, " 长期出国 ")
		if err != nil {
			t.Fatal(err)
		}
		if off.CanBeDrawn || off.NoDrawReason != "长期出国" {
			t.Errorf("after turning off: %+v", off)
		}
		a := e.lastAudit(t)
		if diff := cmp.Diff(map[string]any{"from": true, "can_be_drawn": false, "reason": "长期出国"}, details(t, a)); a.Action != "expert.flag" || diff != "" {
			t.Errorf("audit %s (-want +got):\n%s", a.Action, diff)
		}
		before := e.auditCount(t)
		if _, err := e.svc.Pool.SetExpertDrawable(ctx, e.admin, x.ID, false, "长期出国"); err != nil || e.auditCount(t) != before {
			t.Errorf("the same flag again: %v, audited %v", err, e.auditCount(t) != before)
		}
		on, err := e.svc.Pool.SetExpertDrawable(ctx, e.admin, x.ID, true, "已回国")
		if err != nil || !on.CanBeDrawn || on.NoDrawReason != "" {
			t.Fatalf("after turning on: %+v, %v", on, err)
		}
		if d := details(t, e.lastAudit(t)); d["reason"] != "已回国" || d["can_be_drawn"] != true {
			t.Errorf("audit details %v", d)
		}
		// The profile update never touches the flag.
		if _, err := e.svc.Pool.UpdateExpert(ctx, e.admin, x.ID, evaluation.ExpertUpdate{Title: ptr("教授")}); err != nil {
			t.Fatal(err)
		}
		if got, err := e.svc.Pool.Expert(ctx, e.admin, x.ID); err != nil || !got.CanBeDrawn {
			t.Errorf("an update turned the flag off (%v)", err)
		}
	})
}

func TestDeclaredConflicts(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	p := e.poolActors(t)
	ctx := t.Context()
	c, err := e.svc.Campaigns.CreateCampaign(ctx, p.staff, evaluation.NewCampaign{Name: "2025 年度第一批", Year: 2025})
	if err != nil {
		t.Fatal(err)
	}
	proj, err := e.svc.Campaigns.CreateProject(ctx, p.staff, c.ID, sampleProject("2023-ZD-07"))
	if err != nil {
		t.Fatal(err)
	}

	// The commission records a conflict of the expert with a project (the
	// expert declares one only for a project they were invited to: see
	// TestConflictDeclaredWithdrawsTheSeat); the expert declares one with
	// a person.
	withProject := &evaluation.ExpertConflict{ProjectID: proj.ID, Year: 2025, Note: " 曾参与申报 "}
	if err := e.svc.Pool.AddExpertConflict(ctx, p.commission, p.own.ID, withProject); err != nil {
		t.Fatal(err)
	}
	a := e.lastAudit(t)
	if a.Action != "expert.conflict_add" || a.ActorID != p.commission.UserID || a.ObjectID != idString(p.own.ID) ||
		details(t, a)["project_id"] != float64(proj.ID) || details(t, a)["note"] != "曾参与申报" {
		t.Errorf("audit entry %+v", a)
	}
	mine := &evaluation.ExpertConflict{Person: "王伟", Institution: "同济大学", Year: 2023}
	if err := e.svc.Pool.AddExpertConflict(ctx, p.expert, p.own.ID, mine); err != nil {
		t.Fatal(err)
	}
	// The commission records one about the expert.
	recorded := &evaluation.ExpertConflict{Institution: "复旦大学", Year: 2024, Note: "兼职"}
	if err := e.svc.Pool.AddExpertConflict(ctx, p.commission, p.own.ID, recorded); err != nil {
		t.Fatal(err)
	}

	t.Run("bad declarations", func(t *testing.T) {
		before := e.auditCount(t)
		tests := []struct {
			name  string
			c     evaluation.ExpertConflict
			field string
			msg   string
			code  evaluation.Code
		}{
			{"names nothing", evaluation.ExpertConflict{Year: 2024, Note: "x"}, "person", "error.conflict_target_required", evaluation.Invalid},
			{"unknown project", evaluation.ExpertConflict{ProjectID: 999, Year: 2024}, "project_id", "error.project_unknown", evaluation.Invalid},
			// A real project the expert was not invited to answers as an
			// unknown one: declaring cannot probe which ids exist.
			{"a project not invited to", evaluation.ExpertConflict{ProjectID: proj.ID, Year: 2024}, "project_id", "error.project_unknown", evaluation.Invalid},
			{"year too early", evaluation.ExpertConflict{Person: "x", Year: 1949}, "year", "error.record_year_range", evaluation.Invalid},
			{"year after next", evaluation.ExpertConflict{Person: "x", Year: 2027}, "year", "error.record_year_range", evaluation.Invalid},
			{"long person", evaluation.ExpertConflict{Person: strings.Repeat("x", 65), Year: 2024}, "person", "error.too_long", evaluation.Invalid},
		}
		for _, tt := range tests {
			c := tt.c
			err := e.svc.Pool.AddExpertConflict(ctx, p.expert, p.own.ID, &c)
			if got := wantCode(t, err, tt.code).Fields[tt.field]; got != tt.msg {
				t.Errorf("%s: fields[%s] = %q, want %q", tt.name, tt.field, got, tt.msg)
			}
		}
		if e.auditCount(t) != before {
			t.Error("a refused declaration was audited")
		}
	})

	t.Run("who sees the project's code", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			actor evaluation.Actor
			code  string
		}{{"the project's agency", p.staff, "2023-ZD-07"}, {"another agency", p.staffB, ""}, {"the commission", p.commission, "2023-ZD-07"},
			{"the expert", p.expert, ""}} {
			list, err := e.svc.Pool.ExpertConflicts(ctx, tc.actor, p.own.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 3 || list[0].ProjectID != proj.ID || list[0].ProjectCode != tc.code {
				t.Errorf("%s: %d conflicts, first %+v; want the project's code %q", tc.name, len(list), list[0], tc.code)
			}
		}
	})

	t.Run("removing", func(t *testing.T) {
		// A conflict with a project stays until the project's agency
		// lifts it; not even a pool manager removes it here.
		for _, actor := range []evaluation.Actor{p.expert, p.admin} {
			err := e.svc.Pool.RemoveExpertConflict(ctx, actor, p.own.ID, withProject.ID)
			if got := wantCode(t, err, evaluation.Forbidden); got.Message != "error.conflict_lift_by_agency" {
				t.Errorf("removing the project's conflict as %s: message %q", actor.Role, got.Message)
			}
		}
		err := e.svc.Pool.RemoveExpertConflict(ctx, p.expert, p.own.ID, recorded.ID)
		if got := wantCode(t, err, evaluation.Forbidden); got.Message != "error.conflict_recorded_by_other" {
			t.Errorf("message %q", got.Message)
		}
		wantCode(t, e.svc.Pool.RemoveExpertConflict(ctx, p.otherExpert, p.own.ID, mine.ID), evaluation.NotFound)
		wantCode(t, e.svc.Pool.RemoveExpertConflict(ctx, p.expert, p.own.ID, 999), evaluation.NotFound)
		// A record of another expert cannot be reached through this one.
		other := &evaluation.ExpertConflict{Person: "孙七", Year: 2024}
		if err := e.svc.Pool.AddExpertConflict(ctx, p.otherExpert, p.other.ID, other); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.svc.Pool.RemoveExpertConflict(ctx, p.admin, p.own.ID, other.ID), evaluation.NotFound)

		if err := e.svc.Pool.RemoveExpertConflict(ctx, p.expert, p.own.ID, mine.ID); err != nil {
			t.Fatalf("the expert removes their own declaration: %v", err)
		}
		a := e.lastAudit(t)
		if a.Action != "expert.conflict_remove" || details(t, a)["person"] != "王伟" || details(t, a)["conflict_id"] != float64(mine.ID) {
			t.Errorf("audit entry %+v", a)
		}
		if err := e.svc.Pool.RemoveExpertConflict(ctx, p.admin, p.own.ID, recorded.ID); err != nil {
			t.Fatalf("an admin removes the commission's record: %v", err)
		}
		list, err := e.svc.Pool.ExpertConflicts(ctx, p.admin, p.own.ID)
		if err != nil || len(list) != 1 || list[0].ID != withProject.ID {
			t.Errorf("left: %+v, %v", list, err)
		}
	})
}

func TestCollaborations(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	x := e.expert(t, "王芳")
	before := e.auditCount(t)
	for _, tt := range []struct {
		name  string
		c     evaluation.ExpertCollaboration
		field string
		msg   string
	}{
		{"unknown kind", evaluation.ExpertCollaboration{Kind: "joint_dinner", Person: "x", Year: 2024}, "kind", "error.collaboration_kind_invalid"},
		{"names nobody", evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Year: 2024}, "person", "error.collaboration_target_required"},
		{"no year", evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "x"}, "year", "error.record_year_range"},
		{"long note", evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "x", Year: 2024, Note: strings.Repeat("注", 501)}, "note", "error.too_long"},
	} {
		c := tt.c
		err := e.svc.Pool.AddCollaboration(ctx, e.admin, x.ID, &c)
		if got := wantCode(t, err, evaluation.Invalid).Fields[tt.field]; got != tt.msg {
			t.Errorf("%s: fields[%s] = %q, want %q", tt.name, tt.field, got, tt.msg)
		}
	}
	if e.auditCount(t) != before {
		t.Fatal("refused records were audited")
	}
	wantCode(t, e.svc.Pool.AddCollaboration(ctx, e.admin, 999, &evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "x", Year: 2024}),
		evaluation.NotFound)

	c := &evaluation.ExpertCollaboration{Kind: evaluation.JointPatent, Person: " 李雷 ", Institution: "同济大学", Year: 2024}
	if err := e.svc.Pool.AddCollaboration(ctx, e.admin, x.ID, c); err != nil {
		t.Fatal(err)
	}
	a := e.lastAudit(t)
	want := map[string]any{"collaboration_id": float64(c.ID), "kind": "joint_patent", "year": float64(2024), "person": "李雷", "institution": "同济大学"}
	if diff := cmp.Diff(want, details(t, a)); a.Action != "expert.collaboration_add" || diff != "" {
		t.Errorf("audit %s (-want +got):\n%s", a.Action, diff)
	}
	list, err := e.svc.Pool.ExpertCollaborations(ctx, e.admin, x.ID)
	if err != nil || len(list) != 1 || list[0].CreatedByName != "root.admin" || list[0].Person != "李雷" {
		t.Fatalf("list %+v, %v", list, err)
	}
	if err := e.svc.Pool.RemoveCollaboration(ctx, e.admin, x.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if a := e.lastAudit(t); a.Action != "expert.collaboration_remove" || details(t, a)["kind"] != "joint_patent" {
		t.Errorf("audit %+v", a)
	}
	wantCode(t, e.svc.Pool.RemoveCollaboration(ctx, e.admin, x.ID, c.ID), evaluation.NotFound)
}

// Names that the conflict rules compare are stored in NFC: composed
// letters whatever the keyboard sent, with the full-width punctuation and
// the characters a reader sees kept as entered (the comparison itself
// folds more, on keys that are never stored).
func TestNamesStoredInNFC(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	ctx := t.Context()
	const (
		nfd      = "Anna Mu\u0308ller"
		nfc      = "Anna M\u00FCller"
		wideInst = "立信会计师事务所（特殊普通合伙）"
		kangxi   = "复旦\u2F24学" // stored as entered: NFC keeps the radical
	)
	x := &evaluation.Expert{Name: " " + nfd + " ", Type: evaluation.DomainExpert, Institution: wideInst, TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionInternational, CanBeDrawn: true, SubjectCodes: []string{"480.20"}}
	if err := e.svc.Pool.CreateExpert(ctx, e.admin, x); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Pool.Expert(ctx, e.admin, x.ID)
	if err != nil || got.Name != nfc || got.Institution != wideInst {
		t.Errorf("expert stored as %q at %q (%v), want %q at %q", got.Name, got.Institution, err, nfc, wideInst)
	}
	if err := e.svc.Pool.AddExpertConflict(ctx, e.admin, x.ID, &evaluation.ExpertConflict{Person: "Jo\u0308rg", Institution: "Universita\u0308t Wien", Year: 2025}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Pool.AddCollaboration(ctx, e.admin, x.ID, &evaluation.ExpertCollaboration{Kind: evaluation.JointPaper, Person: "Rene\u0301", Institution: kangxi, Year: 2025}); err != nil {
		t.Fatal(err)
	}
	conflicts, err := e.svc.Pool.ExpertConflicts(ctx, e.admin, x.ID)
	if err != nil || len(conflicts) != 1 || conflicts[0].Person != "J\u00F6rg" || conflicts[0].Institution != "Universit\u00E4t Wien" {
		t.Errorf("declared conflicts %+v, %v; want Jörg at Universität Wien, composed", conflicts, err)
	}
	collabs, err := e.svc.Pool.ExpertCollaborations(ctx, e.admin, x.ID)
	if err != nil || len(collabs) != 1 || collabs[0].Person != "Ren\u00E9" || collabs[0].Institution != kangxi {
		t.Errorf("collaborations %+v, %v; want René, and the institution as entered", collabs, err)
	}

	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	sp := sampleProject("P-1")
	sp.Lead, sp.Participants = "Universita\u0308t Wien", []string{" Technische Universita\u0308t Mu\u0308nchen "}
	sp.PI = evaluation.Member{Name: "Jo\u0308rg Mu\u0308ller"}
	sp.Members = []evaluation.Member{{Name: "Zoe\u0308", Institution: wideInst}}
	sp.Avoid = []evaluation.Avoid{{Name: nfd, Institution: "ETH Zu\u0308rich"}}
	_, ps := e.campaignWith(t, staff, sp)
	p, err := e.svc.Campaigns.Project(ctx, staff, ps[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Universit\u00E4t Wien", "Technische Universit\u00E4t M\u00FCnchen", "J\u00F6rg M\u00FCller", "Universit\u00E4t Wien",
		"Zo\u00EB", wideInst, nfc, "ETH Z\u00FCrich"}
	if diff := cmp.Diff(want, []string{p.Lead, p.Participants[0], p.PI.Name, p.PI.Institution, p.Members[0].Name, p.Members[0].Institution,
		p.Avoid[0].Name, p.Avoid[0].Institution}); diff != "" {
		t.Errorf("project names (-want +got):\n%s", diff)
	}
}

// A draw keeps out an expert whose institution is the project's lead
// spelled with a Kangxi radical, and one whose name is a member's with a
// Cyrillic letter; the record still re-runs.
func TestDrawExcludesLookalikeSpellings(t *testing.T) {
	e := newEnv(t)
	e.withRubrics(t)
	pool := e.pool(t)
	ctx := t.Context()
	kangxi := e.addExpert(t, "赵敏", evaluation.DomainExpert, "上海理工\u2F24学", "480.20")
	cyrillic := e.addExpert(t, "Wu Ji\u0430nping", evaluation.DomainExpert, "某研究院", "480.20")
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	sp := sampleProject("P-1")
	sp.Members = []evaluation.Member{{Name: "Wu Jianping"}} // no institution: the name decides
	c, ps := e.campaignWith(t, staff, sp)
	panel := e.drawnPanel(t, staff, c, ps[0], false)
	excluded, err := e.svc.Panels.PanelExclusions(ctx, staff, panel.ID)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[int64]string{}
	for _, x := range excluded {
		reasons[x.Expert.ID] = x.Reasons[0].Code
	}
	want := map[int64]string{pool["上理工专家"].ID: "institution", kangxi.ID: "institution", cyrillic.ID: "member"}
	if diff := cmp.Diff(want, reasons); diff != "" {
		t.Errorf("excluded (-want +got):\n%s", diff)
	}
	if n, problems, err := evaluation.VerifyDraws(ctx, e.db, c.ID); err != nil || n != 1 || len(problems) != 0 {
		t.Errorf("verify: %d, %v, %v", n, problems, err)
	}
	// A record made before the rules read look-alikes, which drew the
	// expert at 上海理工⼤学, re-runs to another result, and verify says
	// why that may be.
	storetest.DropTrigger(t, e.db, "draws_no_update", "draws")
	var raw string
	if err := e.db.QueryRowContext(ctx, `SELECT result FROM draws`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var res assign.DrawResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatal(err)
	}
	res.Excluded = slices.DeleteFunc(res.Excluded, func(x assign.Exclusion) bool { return x.ExpertID == kangxi.ID })
	res.Alternates = append(res.Alternates, kangxi.ID)
	old, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(ctx, `UPDATE draws SET result = ?`, string(old)); err != nil {
		t.Fatal(err)
	}
	if _, problems, err := evaluation.VerifyDraws(ctx, e.db, c.ID); err != nil || len(problems) != 1 || !strings.Contains(problems[0].Reason, "look-alike") {
		t.Errorf("verify of the older record: %v, %v; want a different result, explained", problems, err)
	}
}

func TestInstitutionAliasService(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	a, err := e.svc.Pool.AddInstitutionAlias(ctx, e.admin, " 上海 交大 ", "上海交通大学")
	if err != nil {
		t.Fatal(err)
	}
	if a.Alias != "上海交大" || a.Canonical != "上海交通大学" {
		t.Errorf("stored %+v, want both names normalised", a)
	}
	if l := e.lastAudit(t); l.Action != "institution_alias.add" || details(t, l)["entered"] != "上海 交大" {
		t.Errorf("audit %+v", l)
	}
	// Full-width letters, spaces and legal suffixes normalise the same way.
	b, err := e.svc.Pool.AddInstitutionAlias(ctx, e.admin, "ＡＢＣ Co., Ltd.", "ABC 有限责任公司")
	if err != nil {
		t.Fatal(err)
	}
	if b.Alias != "abccoltd" || b.Canonical != "abc有限公司" {
		t.Errorf("stored %+v", b)
	}
	before := e.auditCount(t)
	for _, tc := range []struct {
		name, alias, canonical, field, msg string
		code                               evaluation.Code
	}{
		{"duplicate after normalising", "上海交大", "别的大学", "alias", "error.already_exists", evaluation.Conflict},
		{"the same name twice", "复旦大学", " 复旦 大学 ", "alias", "error.alias_same", evaluation.Invalid},
		{"punctuation only", "（）", "复旦大学", "alias", "error.institution_blank", evaluation.Invalid},
		{"missing canonical", "复旦", "", "canonical", "error.required", evaluation.Invalid},
	} {
		_, err := e.svc.Pool.AddInstitutionAlias(ctx, e.admin, tc.alias, tc.canonical)
		if got := wantCode(t, err, tc.code).Fields[tc.field]; got != tc.msg {
			t.Errorf("%s: fields[%s] = %q, want %q", tc.name, tc.field, got, tc.msg)
		}
	}
	if e.auditCount(t) != before {
		t.Fatal("refused aliases were audited")
	}
	// Removing takes the name as entered or as stored.
	if err := e.svc.Pool.RemoveInstitutionAlias(ctx, e.admin, "上海　交大"); err != nil {
		t.Fatal(err)
	}
	if l := e.lastAudit(t); l.Action != "institution_alias.remove" || details(t, l)["canonical"] != "上海交通大学" {
		t.Errorf("audit %+v", l)
	}
	wantCode(t, e.svc.Pool.RemoveInstitutionAlias(ctx, e.admin, "上海交大"), evaluation.NotFound)
	wantCode(t, e.svc.Pool.RemoveInstitutionAlias(ctx, e.admin, "  "), evaluation.NotFound)
	list, err := e.svc.Pool.InstitutionAliases(ctx, e.admin)
	if err != nil || len(list) != 1 || list[0].Alias != "abccoltd" {
		t.Errorf("left %+v, %v", list, err)
	}
}

func TestExpertLoadAndYear(t *testing.T) {
	e := newEnv(t) // the clock is at 2025-03-14
	e.withRubrics(t)
	ctx := t.Context()
	staff := e.staff(t, "staff.a", "SSTPC").Actor()
	x, y := e.expert(t, "王芳"), e.expert(t, "李强")
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// A panel in a 2025 campaign reviewing two projects, and one in a 2024
	// campaign reviewing one; x sits on both, y is an alternate in 2025.
	for i, year := range []int{2025, 2024} {
		c, err := e.svc.Campaigns.CreateCampaign(ctx, staff, evaluation.NewCampaign{Name: "批次", Year: year})
		if err != nil {
			t.Fatal(err)
		}
		var panel int64
		if err := e.db.QueryRowContext(ctx, `INSERT INTO panels (campaign_id, agency_id, name, state, created_at, updated_at)
			VALUES (?, ?, 'p', 'forming', '', '') RETURNING id`, c.ID, e.agency.ID).Scan(&panel); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 2-i; j++ {
			pr, err := e.svc.Campaigns.CreateProject(ctx, staff, c.ID, sampleProject("P-"+string(rune('A'+i))+string(rune('0'+j))))
			if err != nil {
				t.Fatal(err)
			}
			exec(`INSERT INTO panel_projects (panel_id, project_id) VALUES (?, ?)`, panel, pr.ID)
		}
		exec(`INSERT INTO panel_members (panel_id, expert_id, seat, status, source, created_at) VALUES (?, ?, 'technical', 'accepted', 'draw', '')`, panel, x.ID)
		exec(`INSERT INTO panel_members (panel_id, expert_id, seat, status, source, created_at) VALUES (?, ?, 'technical', 'alternate', 'draw', '')`, panel, y.ID)
	}
	loads, err := e.svc.Pool.ExpertLoad(ctx, staff, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]evaluation.YearLoad{{Year: 2025, Projects: 2}, {Year: 2024, Projects: 1}}, loads); diff != "" {
		t.Errorf("loads (-want +got):\n%s", diff)
	}
	list, _, err := e.svc.Pool.Experts(ctx, staff, evaluation.ExpertFilter{Sort: "-load"})
	if err != nil {
		t.Fatal(err)
	}
	if list[0].ID != x.ID || list[0].Load != 2 || list[0].LoadYear != 2025 || list[1].Load != 0 {
		t.Errorf("list: %+v, %+v", list[0], list[1])
	}
	list, _, err = e.svc.Pool.Experts(ctx, staff, evaluation.ExpertFilter{Year: 2024, Sort: "-load"})
	if err != nil || list[0].Load != 1 || list[0].LoadYear != 2024 {
		t.Errorf("2024 list: %+v, %v", list[0], err)
	}

	t.Run("the year turns in Beijing", func(t *testing.T) {
		e.clock.t = time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC) // 00:30 on 1 January 2026 in Beijing
		if got := e.svc.Pool.ThisYear(); got != 2026 {
			t.Errorf("ThisYear = %d, want 2026", got)
		}
		loads, err := e.svc.Pool.ExpertLoad(ctx, staff, x.ID)
		if err != nil || loads[0].Year != 2026 || loads[1] != (evaluation.YearLoad{Year: 2025, Projects: 2}) {
			t.Errorf("loads %v, %v", loads, err)
		}
	})

	t.Run("bad filters", func(t *testing.T) {
		for _, tc := range []struct {
			f     evaluation.ExpertFilter
			field string
		}{
			{evaluation.ExpertFilter{Type: "professor"}, "type"},
			{evaluation.ExpertFilter{Region: "mars"}, "region"},
			{evaluation.ExpertFilter{Subject: "52%"}, "subject"},
			{evaluation.ExpertFilter{Subject: `520"`}, "subject"},
			{evaluation.ExpertFilter{Year: 1999}, "year"},
			{evaluation.ExpertFilter{Sort: "password"}, "sort"},
			{evaluation.ExpertFilter{Query: strings.Repeat("q", 101)}, "q"},
		} {
			_, _, err := e.svc.Pool.Experts(ctx, staff, tc.f)
			if wantCode(t, err, evaluation.Invalid).Fields[tc.field] == "" {
				t.Errorf("filter %+v: no message for %s", tc.f, tc.field)
			}
		}
	})
}

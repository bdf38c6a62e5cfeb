package imports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/google/go-cmp/cmp"
)

// The tests here read csv text, which shows its cells as they are; the
// web package's tests read workbooks through the HTTP routes.

const (
	projectsText = "\uFEFF序号,项目编号,项目名称,项目类别,承担单位,项目负责人,任务书经费（万元）,学科代码,评价方式\r\n" +
		"1,2024-ZD-001,城市地下管网智能巡检机器人研发,应用技术类,同济大学,王建国,300,520.20,同行评议、现场测试\r\n" +
		"2,2024-JC-002,二维材料中激子输运的调控机理,basic research,复旦大学,沈慧敏,150.25,140.30；140.70,\r\n"
	indicatorsText = "项目编号,指标名称,方向,目标值,单位,实际值\r\n" +
		"2024-ZD-001,连续巡检里程,≥,5,km,6\r\n" +
		"2024-JC-002,揭示激子扩散长度的温度依赖规律,,,,\r\n" +
		"2024-ZD-001,申请发明专利,,4,项,3.5\r\n"
)

// echo "translates" a message as its ID and its values, so that a test
// sees what the edge would fill in.
func echo(_ evaluation.Language, id string, args ...any) string {
	return fmt.Sprint(append([]any{id}, args...)...)
}

// problem is what a test compares of a Problem.
type problem struct{ Field, Sheet, Header, Text string }

func problemsOf(r *Report) []problem {
	var out []problem
	for _, p := range r.Problems() {
		out = append(out, problem{p.Field(), p.Sheet, p.HeaderIn(evaluation.LangEN), p.Text(evaluation.LangEN, echo)})
	}
	return out
}

func TestReadProjects(t *testing.T) {
	list, r := ReadProjects(&File{Name: `C:\导入\p.csv`, Data: []byte(projectsText)}, &File{Name: "i.csv", Data: []byte(indicatorsText)})
	if !r.OK() {
		t.Fatalf("problems %v", problemsOf(r))
	}
	if got := r.Files(); !cmp.Equal(got, []string{"p.csv", "i.csv"}) {
		t.Errorf("files %q, want the base names", got)
	}
	type view struct {
		Code, Class string
		Budget      int64
		Subjects    []string
		Methods     []evaluation.Method
		Indicators  []string
	}
	var got []view
	for _, p := range list {
		v := view{Code: p.Code, Class: string(p.Class), Budget: p.Budget, Subjects: p.SubjectCodes, Methods: p.Methods}
		for _, in := range p.Indicators {
			v.Indicators = append(v.Indicators, in.Name)
		}
		got = append(got, v)
	}
	want := []view{
		{Code: "2024-ZD-001", Class: "applied_technology", Budget: 300_0000_00, Subjects: []string{"520.20"},
			Methods: []evaluation.Method{evaluation.PeerReview, evaluation.Testing}, Indicators: []string{"连续巡检里程", "申请发明专利"}},
		{Code: "2024-JC-002", Class: "basic_research", Budget: 150_2500_00, Subjects: []string{"140.30", "140.70"},
			Indicators: []string{"揭示激子扩散长度的温度依赖规律"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("projects (-want +got):\n%s", diff)
	}

	// Problems name their cell; a missing column is named by its header
	// in the template of the language asked for.
	bad := "项目编号,项目名称,承担单位,项目负责人,学科代码,任务书经费（万元）,推广示范要求\r\n" +
		"A-1,巡检机器人,同济大学,王建国,520.20,三百,也许\r\n"
	list, r = ReadProjects(&File{Name: "bad.csv", Data: []byte(bad)}, nil)
	wantProblems := []problem{
		{"projects.1", "bad.csv", "Class", "import.missing_columnColumnClass"},
		{"projects.2.F", "bad.csv", "任务书经费（万元）", "import.not_numberColumn任务书经费（万元）"},
		{"projects.2.G", "bad.csv", "推广示范要求", "import.not_yes_noColumn推广示范要求"},
	}
	if diff := cmp.Diff(wantProblems, problemsOf(r)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(list) != 1 {
		t.Errorf("%d projects read, want the row read despite its problems (for the domain's check)", len(list))
	}

	for _, tc := range []struct {
		name         string
		file, extra  *File
		wantProblems []problem
	}{
		{"no file", nil, &File{Name: "i.csv", Data: []byte(indicatorsText)}, []problem{{Field: "file", Text: "import.no_fileColumn"}}},
		{"unreadable", &File{Name: "p.csv", Err: errors.New("connection reset")}, nil,
			[]problem{{Field: "file", Sheet: "p.csv", Text: "import.unreadableColumn"}}},
		{"too large", &File{Name: "p.csv", Data: make([]byte, MaxFileBytes+1)}, nil,
			[]problem{{Field: "file", Sheet: "p.csv", Text: "import.too_largeColumnMiB5"}}},
		{"indicators only", &File{Name: "i.csv", Data: []byte(indicatorsText)}, nil,
			[]problem{{Field: "file", Sheet: "i.csv", Text: "import.csv_is_indicatorsColumn"}}},
		{"header only", &File{Name: "p.csv", Data: []byte(strings.SplitAfter(projectsText, "\n")[0])}, nil,
			[]problem{{Field: "projects.1", Sheet: "p.csv", Text: "import.no_rowsColumn"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, r := ReadProjects(tc.file, tc.extra)
			if list != nil {
				t.Errorf("%d projects from a file that cannot be read", len(list))
			}
			if diff := cmp.Diff(tc.wantProblems, problemsOf(r)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFold(t *testing.T) {
	_, r := ReadProjects(&File{Name: "p.csv", Data: []byte(projectsText)}, &File{Name: "i.csv", Data: []byte(indicatorsText)})
	for _, err := range []error{nil, errors.New("disk full"), evaluation.ErrNotFound, evaluation.Errorf(evaluation.Conflict, "error.projects_locked")} {
		if r.Fold(err) {
			t.Errorf("Fold(%v) = true, want false: not an answer about the records", err)
		}
	}
	if !r.OK() {
		t.Fatalf("refused errors left problems: %v", problemsOf(r))
	}
	err := &evaluation.Error{Code: evaluation.Invalid, Fields: map[string]string{
		"projects.0.title":                    "error.required",
		"projects.1.members.2.name":           "error.required",
		"projects.0.indicators.1.target":      "error.target_required",
		"projects.0.indicators.0.actual.text": "error.too_long",
		"projects.1.code":                     "error.project_code_taken",
		"projects.7.code":                     "error.project_code_taken",
	}, Args: map[string]map[string]any{"projects.0.indicators.0.actual.text": {"Max": 200}}}
	if !r.Fold(err) {
		t.Fatal("Fold refused a field error")
	}
	want := []problem{
		{Field: "file", Text: "error.project_code_takenColumn"}, // project 7 is not in the file
		{"projects.2.C", "p.csv", "项目名称", "error.requiredColumn项目名称"},
		// The file has no members column: the row, and the template's
		// header, name it.
		{"projects.3", "p.csv", "Members", "error.requiredColumnMembers"},
		{"projects.3.B", "p.csv", "项目编号", "error.project_code_takenColumn项目编号"},
		{"indicators.2", "i.csv", "Actual text", "error.too_longColumnActual textMax200"},
		// The file has no text target: the value column stands for it.
		{"indicators.4.D", "i.csv", "目标值", "error.target_requiredColumn目标值"},
	}
	if diff := cmp.Diff(want, problemsOf(r)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if r.Code() != evaluation.Invalid {
		t.Errorf("code %s, want invalid", r.Code())
	}
	if !r.Fold(&evaluation.Error{Code: evaluation.Conflict, Fields: map[string]string{"projects.0.code": "error.project_code_taken"}}) ||
		r.Code() != evaluation.Conflict {
		t.Errorf("a conflict folded: code %s, want conflict", r.Code())
	}
}

// fakeProjects is a campaigns service that answers as told and records
// what it was asked to store.
type fakeProjects struct {
	check, store error
	stored       []*evaluation.Project
	file         evaluation.ImportFile
	calls        int
}

func (f *fakeProjects) CheckProjectImport(context.Context, evaluation.Actor, int64, []*evaluation.Project) error {
	return f.check
}

func (f *fakeProjects) ImportProjects(_ context.Context, _ evaluation.Actor, _ int64, list []*evaluation.Project, file evaluation.ImportFile) error {
	f.calls++
	if f.store != nil {
		return f.store
	}
	f.stored, f.file = list, file
	return nil
}

func TestImportProjects(t *testing.T) {
	ctx := context.Background()
	good := func() (*File, *File) {
		return &File{Name: "p.csv", Data: []byte(projectsText)}, &File{Name: "i.csv", Data: []byte(indicatorsText)}
	}
	taken := &evaluation.Error{Code: evaluation.Invalid, Fields: map[string]string{"projects.1.code": "error.project_code_taken"}}

	t.Run("clean", func(t *testing.T) {
		svc := &fakeProjects{}
		p, i := good()
		list, r, err := ImportProjects(ctx, svc, evaluation.System, 1, p, i)
		if err != nil || !r.OK() || len(list) != 2 || svc.calls != 1 || len(svc.stored) != 2 {
			t.Fatalf("import: %d projects, %v, %v; %d calls storing %d", len(list), problemsOf(r), err, svc.calls, len(svc.stored))
		}
		sum := func(s string) string { b := sha256.Sum256([]byte(s)); return hex.EncodeToString(b[:]) }
		want := evaluation.ImportFile{Name: "p.csv, i.csv", Format: "csv", SHA256: sum(projectsText) + "," + sum(indicatorsText)}
		if svc.file != want {
			t.Errorf("file %+v, want %+v", svc.file, want)
		}
	})
	t.Run("problems of the file and of the rules, nothing stored", func(t *testing.T) {
		svc := &fakeProjects{check: taken}
		bad := "项目编号,项目名称,项目类别,承担单位,项目负责人,学科代码,任务书经费（万元）\r\n" +
			"A-1,巡检机器人,应用技术类,同济大学,王建国,520.20,三百\r\n" +
			"A-2,激子输运,基础研究类,复旦大学,沈慧敏,140.30,\r\n"
		list, r, err := ImportProjects(ctx, svc, evaluation.System, 1, &File{Name: "p.csv", Data: []byte(bad)}, nil)
		want := []problem{
			{"projects.2.G", "p.csv", "任务书经费（万元）", "import.not_numberColumn任务书经费（万元）"},
			{"projects.3.A", "p.csv", "项目编号", "error.project_code_takenColumn项目编号"},
		}
		if err != nil || list != nil || svc.calls != 0 {
			t.Errorf("got %d projects, %v, %d calls to store; want none", len(list), err, svc.calls)
		}
		if diff := cmp.Diff(want, problemsOf(r)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
	})
	t.Run("taken since the check", func(t *testing.T) {
		svc := &fakeProjects{store: &evaluation.Error{Code: evaluation.Conflict, Fields: taken.Fields}}
		p, i := good()
		list, r, err := ImportProjects(ctx, svc, evaluation.System, 1, p, i)
		if err != nil || list != nil || r.OK() || r.Code() != evaluation.Conflict || r.Problems()[0].Field() != "projects.3.B" {
			t.Errorf("got %d projects, %v, %v (code %s)", len(list), problemsOf(r), err, r.Code())
		}
	})
	t.Run("not about the file", func(t *testing.T) {
		for _, svc := range []*fakeProjects{{check: evaluation.ErrForbidden}, {store: errors.New("disk full")}} {
			p, i := good()
			if list, _, err := ImportProjects(ctx, svc, evaluation.System, 1, p, i); err == nil || list != nil {
				t.Errorf("check %v, store %v: %d projects, error %v", svc.check, svc.store, len(list), err)
			}
		}
	})
}

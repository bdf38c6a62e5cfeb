package evaluation_test

import (
	"bytes"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

var (
	pdfBytes  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	htmlBytes = []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
)

// materialsEnv is an env whose service stores files in a temporary folder,
// with a limit of 4 KiB, and a campaign of the agency with one project,
// in panel forming.
type materialsEnv struct {
	*env
	blobs    *files.Store
	staff    evaluation.Actor
	other    evaluation.Actor // staff of another agency
	comm     evaluation.Actor
	campaign *evaluation.Campaign
	project  *evaluation.Project
}

func newMaterialsEnv(t *testing.T) *materialsEnv {
	t.Helper()
	e := newEnv(t)
	blobs, err := files.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	e.svc, err = evaluation.New(e.db, password.New(password.Fast), evaluation.WithClock(e.clock.now),
		evaluation.WithBlobs(blobs), evaluation.WithUploadLimit(4096))
	if err != nil {
		t.Fatal(err)
	}
	e.withRubrics(t)
	m := &materialsEnv{env: e, blobs: blobs}
	m.staff = e.staff(t, "staff.a", "SSTPC").Actor()
	e.newAgency(t, "OTHER")
	m.other = e.staff(t, "staff.b", "OTHER").Actor()
	m.comm = e.user(t, evaluation.NewUser{Username: "commission", Role: evaluation.RoleCommission}).Actor()
	ctx := t.Context()
	if m.campaign, err = e.svc.Campaigns.CreateCampaign(ctx, m.staff, evaluation.NewCampaign{Name: "批次", Year: 2025}); err != nil {
		t.Fatal(err)
	}
	p := sampleProject("23DZ1200100")
	p.Methods = []evaluation.Method{evaluation.Testing}
	p.Promotion = true // gets the inspection method
	if m.project, err = e.svc.Campaigns.CreateProject(ctx, m.staff, m.campaign.ID, p); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Campaigns.TransitionCampaign(ctx, m.staff, m.campaign.ID, evaluation.CampaignForming, ""); err != nil {
		t.Fatal(err)
	}
	return m
}

// setState puts the campaign in a state directly, skipping the
// preconditions of the state machine that these tests do not need.
func (m *materialsEnv) setState(t *testing.T, state evaluation.CampaignState) {
	t.Helper()
	err := m.db.InTx(t.Context(), func(tx evaluation.Tx) error {
		c, err := tx.Campaign(t.Context(), m.campaign.ID)
		if err != nil {
			return err
		}
		c.State = state
		return tx.UpdateCampaign(t.Context(), c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (m *materialsEnv) upload(t *testing.T, actor evaluation.Actor, name string, content []byte) (*evaluation.Material, error) {
	t.Helper()
	return m.svc.Materials.UploadMaterial(t.Context(), actor, m.project.ID, evaluation.NewMaterial{Kind: evaluation.MaterialSelfEvaluation,
		Filename: name, Content: bytes.NewReader(content)})
}

// blobCount counts the stored blobs (not temporary files). A missing or
// unreadable folder fails the test rather than counting as no blobs.
func (m *materialsEnv) blobCount(t *testing.T) int {
	t.Helper()
	root := m.blobs.Root()
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p == filepath.Join(root, "tmp") {
				return fs.SkipDir
			}
			return nil
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatalf("count blobs: %v", err)
	}
	return n
}

// acceptedExpert draws a panel for the project and has one technical
// member accept, sign the pledge and declare no conflict; it returns that
// member's actor, the actor of another member who is invited but has not
// answered, and of a third who accepted but has not signed the pledge.
func (m *materialsEnv) acceptedExpert(t *testing.T) (accepted, invited, unpledged evaluation.Actor, acceptedExpert *evaluation.Expert) {
	t.Helper()
	ctx := t.Context()
	m.pool(t)
	panel, err := m.svc.Panels.DrawPanel(ctx, m.staff, m.campaign.ID, []int64{m.project.ID}, testSeed)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.svc.Panels.InvitePanel(ctx, m.staff, panel.ID); err != nil {
		t.Fatal(err)
	}
	tech := panel.Seated(evaluation.SeatTechnical)
	accepted, invited, unpledged = m.expertActor(t, tech[0].Expert), m.expertActor(t, tech[1].Expert), m.expertActor(t, tech[2].Expert)
	for i, a := range []evaluation.Actor{accepted, unpledged} {
		if _, err := m.svc.Panels.RespondToInvitation(ctx, a, tech[i*2].ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.svc.Sheets.SignPledge(ctx, accepted, m.campaign.ID, evaluation.PledgeVersion); err != nil {
		t.Fatal(err)
	}
	if err := m.svc.Sheets.DeclareNoConflict(ctx, accepted, m.project.ID); err != nil {
		t.Fatal(err)
	}
	return accepted, invited, unpledged, tech[0].Expert
}

func TestCleanFilename(t *testing.T) {
	long := strings.Repeat("很长的文件名", 30) + ".pdf"
	cases := []struct {
		in, want string
		err      string // the field message, when refused
	}{
		{"自评价报告.pdf", "自评价报告.pdf", ""},
		{"  report final.PDF ", "report final.PDF", ""},
		{"C:\\Users\\li\\Documents\\审计报告.pdf", "审计报告.pdf", ""},
		{"docs/report.pdf", "report.pdf", ""},
		{"re\x00po\x1brt\n.pdf", "report .pdf", ""},
		{"tab\tand\u3000space.pdf", "tab and space.pdf", ""},
		{"invoice\u202Efdp.exe", "invoicefdp.exe", ""}, // a right-to-left override would show "exe.pdf"
		{"zero\u200Bwidth.pdf", "zerowidth.pdf", ""},
		{"../../etc/passwd", "", "error.material_filename_path"},
		{"..\\x.pdf", "", "error.material_filename_path"},
		{"a/../b.pdf", "", "error.material_filename_path"},
		{"..", "", "error.material_filename_path"},
		{"", "", "error.material_filename_required"},
		{"   ", "", "error.material_filename_required"},
		{"...", "", "error.material_filename_required"},
		{"/", "", "error.material_filename_required"},
		{"\x00\x01", "", "error.material_filename_required"},
		{"bad\xffutf8.pdf", "", "error.material_filename_invalid"},
	}
	for _, tc := range cases {
		got, err := evaluation.CleanFilename(tc.in)
		if tc.err != "" {
			if e := evaluation.ErrorAs(err); e == nil || e.Fields["file"] != tc.err {
				t.Errorf("CleanFilename(%q) = %q, %v; want refused with %s", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("CleanFilename(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	got, err := evaluation.CleanFilename(long)
	if err != nil || !strings.HasSuffix(got, ".pdf") || len([]rune(got)) != evaluation.MaxFilenameLength {
		t.Errorf("long name: %q (%d runes), %v; want %d runes ending .pdf", got, len([]rune(got)), err, evaluation.MaxFilenameLength)
	}
}

func TestUploadMaterial(t *testing.T) {
	m := newMaterialsEnv(t)
	ctx := t.Context()
	audits := m.auditCount(t)
	mat, err := m.upload(t, m.staff, "../报告/自评价报告.pdf", pdfBytes)
	if evaluation.ErrorCode(err) != evaluation.Invalid {
		t.Fatalf("a path-traversal name: %v, want invalid", err)
	}
	mat, err = m.upload(t, m.staff, "自评价报告", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	if mat.Filename != "自评价报告.pdf" || mat.ContentType != evaluation.TypePDF || mat.Size != int64(len(pdfBytes)) ||
		mat.AgencyID != m.project.AgencyID || mat.UploadedByName != "staff.a" || len(mat.SHA256) != 64 {
		t.Errorf("material = %+v", mat)
	}
	if got := m.auditCount(t); got != audits+1 {
		t.Errorf("%d audit entries, want %d", got, audits+1)
	}
	last := m.lastAudit(t)
	d := details(t, last)
	if last.Action != "material.upload" || last.ObjectID != idString(mat.ID) || d["sha256"] != mat.SHA256 || d["new_blob"] != true {
		t.Errorf("audit entry %s %s %v", last.Action, last.ObjectID, d)
	}
	// The same content again in the project is a duplicate; in another
	// project it is a new material over the same blob.
	_, err = m.upload(t, m.staff, "again.pdf", pdfBytes)
	if e := wantCode(t, err, evaluation.Conflict); e.Fields["file"] != "error.material_duplicate" {
		t.Errorf("duplicate: %v", e)
	}
	other, err := m.svc.Campaigns.CreateProject(ctx, m.staff, m.campaign.ID, sampleProject("23DZ1200200"))
	if err != nil {
		t.Fatal(err)
	}
	mat2, err := m.svc.Materials.UploadMaterial(ctx, m.staff, other.ID, evaluation.NewMaterial{Kind: evaluation.MaterialEvidence,
		Filename: "佐证.pdf", Content: bytes.NewReader(pdfBytes)})
	if err != nil || mat2.SHA256 != mat.SHA256 {
		t.Fatalf("same content in another project: %v", err)
	}
	if d := details(t, m.lastAudit(t)); d["new_blob"] != false {
		t.Errorf("the second upload wrote a new blob: %v", d)
	}
	if n := m.blobCount(t); n != 1 {
		t.Errorf("%d blobs, want 1", n)
	}
	// A name whose extension belongs to another type gets the right one.
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 16)...)
	if photo, err := m.upload(t, m.staff, "现场照片.pdf", png); err != nil || photo.Filename != "现场照片.pdf.png" || photo.ContentType != evaluation.TypePNG {
		t.Errorf("PNG named .pdf: %+v, %v; want 现场照片.pdf.png, image/png", photo, err)
	}
	// The content comes back.
	got, r, err := m.svc.Materials.OpenMaterial(ctx, m.staff, mat.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if got.ID != mat.ID || !bytes.Equal(b, pdfBytes) {
		t.Errorf("OpenMaterial returned other content")
	}

	// Refused uploads store nothing and log nothing.
	audits = m.auditCount(t)
	for _, tc := range []struct {
		name  string
		in    evaluation.NewMaterial
		field string
		msg   string
	}{
		{"html renamed .pdf", evaluation.NewMaterial{Kind: evaluation.MaterialOther, Filename: "x.pdf", Content: bytes.NewReader(htmlBytes)}, "file", "error.material_file_type"},
		{"over the limit", evaluation.NewMaterial{Kind: evaluation.MaterialOther, Filename: "big.pdf",
			Content: bytes.NewReader(append(append([]byte{}, pdfBytes...), make([]byte, 4096)...))}, "file", "error.material_too_large"},
		{"unknown kind", evaluation.NewMaterial{Kind: "diary", Filename: "x.pdf", Content: bytes.NewReader(pdfBytes[:20])}, "kind", "error.material_kind"},
		{"no file", evaluation.NewMaterial{Kind: evaluation.MaterialOther, Filename: "x.pdf"}, "file", "error.material_file_required"},
		{"traversal", evaluation.NewMaterial{Kind: evaluation.MaterialOther, Filename: "..\\x.pdf", Content: bytes.NewReader(pdfBytes[:30])}, "file", "error.material_filename_path"},
	} {
		_, err := m.svc.Materials.UploadMaterial(ctx, m.staff, m.project.ID, tc.in)
		if e := wantCode(t, err, evaluation.Invalid); e.Fields[tc.field] != tc.msg {
			t.Errorf("%s: fields %v, want %s: %s", tc.name, e.Fields, tc.field, tc.msg)
		}
	}
	if n := m.blobCount(t); n != 2 {
		t.Errorf("refused uploads left %d blobs, want 2", n)
	}
	if got := m.auditCount(t); got != audits {
		t.Errorf("refused uploads wrote %d audit entries", got-audits)
	}
	list, err := m.svc.Materials.Materials(ctx, m.staff, m.project.ID)
	if err != nil || len(list) != 2 {
		t.Errorf("materials: %d, %v; want 2", len(list), err)
	}
}

// TestMaterialAccess: who may list, read, upload and delete, by role.
func TestMaterialAccess(t *testing.T) {
	m := newMaterialsEnv(t)
	ctx := t.Context()
	mat, err := m.upload(t, m.staff, "自评价报告.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	accepted, invited, unpledged, acceptedExpert := m.acceptedExpert(t)
	stranger := m.user(t, evaluation.NewUser{Username: "stranger", Role: evaluation.RoleExpert, ExpertID: m.expert(t, "局外专家").ID}).Actor()
	cases := []struct {
		name                 string
		actor                evaluation.Actor
		read, upload, delete evaluation.Code // "" for allowed
	}{
		{"staff of the agency", m.staff, "", "", ""},
		{"staff of another agency", m.other, evaluation.NotFound, evaluation.NotFound, evaluation.NotFound},
		{"commission", m.comm, "", evaluation.Forbidden, evaluation.Forbidden},
		{"admin", m.admin, "", evaluation.Forbidden, evaluation.Forbidden},
		{"expert with an accepted seat", accepted, "", evaluation.Forbidden, evaluation.Forbidden},
		{"expert accepted, no pledge yet", unpledged, evaluation.NotFound, evaluation.NotFound, evaluation.NotFound},
		{"expert invited, not accepted", invited, evaluation.NotFound, evaluation.NotFound, evaluation.NotFound},
		{"expert on no panel", stranger, evaluation.NotFound, evaluation.NotFound, evaluation.NotFound},
		{"no role", evaluation.Actor{UserID: 99}, evaluation.NotFound, evaluation.NotFound, evaluation.NotFound},
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 16)...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.svc.Materials.Materials(ctx, tc.actor, m.project.ID)
			if got := evaluation.ErrorCode(err); got != tc.read {
				t.Errorf("list: %q (%v), want %q", got, err, tc.read)
			}
			_, r, err := m.svc.Materials.OpenMaterial(ctx, tc.actor, mat.ID)
			if got := evaluation.ErrorCode(err); got != tc.read {
				t.Errorf("open: %q (%v), want %q", got, err, tc.read)
			}
			if r != nil {
				r.Close()
			}
			_, err = m.svc.Materials.MethodRecords(ctx, tc.actor, m.project.ID)
			if got := evaluation.ErrorCode(err); got != tc.read {
				t.Errorf("method records: %q (%v), want %q", got, err, tc.read)
			}
			png[len(png)-1]++ // new content each time
			_, err = m.upload(t, tc.actor, "photo.png", png)
			if got := evaluation.ErrorCode(err); got != tc.upload {
				t.Errorf("upload: %q (%v), want %q", got, err, tc.upload)
			}
			if tc.delete != "" {
				if got := evaluation.ErrorCode(m.svc.Materials.DeleteMaterial(ctx, tc.actor, mat.ID)); got != tc.delete {
					t.Errorf("delete: %q, want %q", got, tc.delete)
				}
			}
		})
	}

	// A conflict recorded after the expert accepted closes the materials:
	// the rules run again on every access.
	if err := m.svc.Pool.AddExpertConflict(ctx, m.admin, acceptedExpert.ID, &evaluation.ExpertConflict{
		Institution: "上海理工大学", Year: 2025, Note: "兼职"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.svc.Materials.Materials(ctx, accepted, m.project.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("expert in conflict lists materials: %v, want not found", err)
	}
	if _, _, err := m.svc.Materials.OpenMaterial(ctx, accepted, mat.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("expert in conflict opens a material: %v, want not found", err)
	}
}

// TestMaterialStates: uploads until scoring ends, deletions only until
// scoring starts.
func TestMaterialStates(t *testing.T) {
	m := newMaterialsEnv(t)
	ctx := t.Context()
	mat, err := m.upload(t, m.staff, "a.pdf", pdfBytes)
	if err != nil {
		t.Fatal(err)
	}
	m.setState(t, evaluation.CampaignScoring)
	report := append(append([]byte{}, pdfBytes...), "% test report"...)
	if got, err := m.upload(t, m.staff, "测试报告.pdf", report); err != nil || got.Filename != "测试报告.pdf" || got.Size != int64(len(report)) {
		t.Errorf("upload while scoring = %+v, %v; want 测试报告.pdf stored", got, err)
	}
	if err := m.svc.Materials.DeleteMaterial(ctx, m.staff, mat.ID); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("delete while scoring: %v, want conflict", err)
	}
	m.setState(t, evaluation.CampaignConcluding)
	if _, err := m.upload(t, m.staff, "late.pdf", append(report, '1')); evaluation.ErrorCode(err) != evaluation.Conflict {
		t.Errorf("upload while concluding: %v, want conflict", err)
	}
	m.setState(t, evaluation.CampaignForming)
	audits := m.auditCount(t)
	if err := m.svc.Materials.DeleteMaterial(ctx, m.staff, mat.ID); err != nil {
		t.Fatal(err)
	}
	last := m.lastAudit(t)
	if m.auditCount(t) != audits+1 || last.Action != "material.delete" || details(t, last)["filename"] != "a.pdf" {
		t.Errorf("delete audit: %s %v", last.Action, details(t, last))
	}
	if _, err := m.svc.Materials.Material(ctx, m.staff, mat.ID); evaluation.ErrorCode(err) != evaluation.NotFound {
		t.Errorf("deleted material: %v, want not found", err)
	}
	// The blob stays (another material may use it).
	if !m.blobs.Has(mat.SHA256) {
		t.Errorf("the blob went with the material")
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KiB", 1536: "1.5 KiB", 50 << 20: "50 MiB", 3 << 30: "3 GiB"} {
		if got := evaluation.SizeText(n); got != want {
			t.Errorf("SizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

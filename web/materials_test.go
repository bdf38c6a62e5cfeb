package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"github.com/evalpanel/evalpanel/evaluation/password"
)

var (
	pdfFile  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	htmlFile = []byte("<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>")
)

// withBlobs rebuilds the harness's service and app over the same database
// with a blob store in a temporary folder and the upload limit.
func (h *harness) withBlobs(limit int64) *files.Store {
	h.t.Helper()
	t := h.t
	blobs, err := files.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := evaluation.New(h.db, password.New(password.Fast), evaluation.WithBlobs(blobs), evaluation.WithUploadLimit(limit),
		evaluation.WithClock(func() time.Time { return h.now }))
	if err != nil {
		t.Fatal(err)
	}
	h.svc, h.app = svc, h.newApp(ServicesOf(svc, h.db.Ping), limit)
	return blobs
}

// storedFiles counts the stored files, temporary ones included: a refused
// upload must leave none. A missing or unreadable folder fails the test
// rather than counting as no files.
func storedFiles(t *testing.T, blobs *files.Store) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(blobs.Root(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("count stored files: %v", err)
	}
	return n
}

// materialForm builds an upload form; fields come in pairs, then the file
// (a nil content leaves the file out).
func materialForm(t testing.TB, filename string, content []byte, fields ...string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	if content != nil {
		f, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(content)
	}
	w.Close()
	return &b, w.FormDataContentType()
}

// postMaterial posts a material through the API.
func (h *harness) postMaterial(as string, projectID int64, kind, filename string, content []byte) (*http.Response, string) {
	h.t.Helper()
	body, ct := materialForm(h.t, filename, content, "kind", kind)
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/projects/%d/materials", projectID), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	return h.do(req)
}

// postMaterial submits a multipart form from the browser with the CSRF
// token of the last page.
func (b *browser) postMaterial(target, filename string, content []byte, fields ...string) (*http.Response, string) {
	b.h.t.Helper()
	body, ct := materialForm(b.h.t, filename, content, append([]string{"_csrf", b.csrf}, fields...)...)
	req := httptest.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", ct)
	return b.send(req)
}

// panelWithSeat draws and invites a panel for the project and has one
// technical member accept; it returns the usernames of that expert, of an
// invited member who has not answered, and of a new expert on no panel.
func (h *harness) panelWithSeat(campaignID, projectID int64) (accepted, invited, outsider string) {
	h.t.Helper()
	t := h.t
	accounts := h.withPool()
	if resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/transitions", campaignID), `{"to":"forming"}`); resp.StatusCode != 200 {
		t.Fatalf("forming: %d %s", resp.StatusCode, body)
	}
	resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/panels/draw", campaignID), fmt.Sprintf(`{"projects":[%d]}`, projectID))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("draw: %d %s", resp.StatusCode, body)
	}
	var panel evaluation.Panel
	h.decode(body, &panel)
	if resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/panels/%d/invite", panel.ID), ""); resp.StatusCode != 200 {
		t.Fatalf("invite: %d %s", resp.StatusCode, body)
	}
	getJSON(t, h, "staffa", fmt.Sprintf("/api/v1/panels/%d", panel.ID), &panel)
	var members []*evaluation.PanelMember
	for _, m := range panel.Members {
		if m.Status == evaluation.MemberInvited && accounts[m.Expert.Name] != "" {
			members = append(members, m)
		}
	}
	if len(members) < 2 {
		t.Fatalf("%d invited pool members, want 2", len(members))
	}
	accepted, invited = accounts[members[0].Expert.Name], accounts[members[1].Expert.Name]
	if resp, body := h.api(accepted, "POST", fmt.Sprintf("/api/v1/invitations/%d/accept", members[0].ID), ""); resp.StatusCode >= 300 {
		t.Fatalf("accept: %d %s", resp.StatusCode, body)
	}
	// The materials open after the campaign's pledge and the project's
	// declaration.
	if resp, body := h.api(accepted, "POST", fmt.Sprintf("/api/v1/campaigns/%d/pledge", campaignID),
		fmt.Sprintf(`{"version":%q}`, evaluation.PledgeVersion)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("pledge: %d %s", resp.StatusCode, body)
	}
	if resp, body := h.api(accepted, "POST", fmt.Sprintf("/api/v1/projects/%d/declaration", projectID), `{"conflict":false}`); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("declaration: %d %s", resp.StatusCode, body)
	}
	ctx := context.Background()
	ex := &evaluation.Expert{Name: "局外专家", Type: evaluation.DomainExpert, Institution: "某研究院", TitleLevel: evaluation.TitleSenior,
		Region: evaluation.RegionLocal, CanBeDrawn: true}
	if err := h.svc.Pool.CreateExpert(ctx, evaluation.System, ex); err != nil {
		t.Fatal(err)
	}
	u, err := h.svc.Accounts.CreateUser(ctx, evaluation.System, evaluation.NewUser{Username: "outsider", Name: "局外专家",
		Role: evaluation.RoleExpert, ExpertID: ex.ID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if h.tokens["outsider"], _, err = h.svc.Accounts.CreateToken(ctx, u.Actor(), "test", evaluation.LoginMeta{}); err != nil {
		t.Fatal(err)
	}
	return accepted, invited, "outsider"
}

// TestMaterialScenarios: uploads through the API, what is refused (and
// stores nothing), and who may read what.
func TestMaterialScenarios(t *testing.T) {
	h := newHarness(t)
	const limit = 64 << 10
	blobs := h.withBlobs(limit)
	h.withRubrics()
	cid, pid := h.campaignWithProject()
	resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/projects", cid), fmt.Sprintf(projectJSON, "2024-ZD-002"))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("second project: %d %s", resp.StatusCode, body)
	}
	var second evaluation.Project
	h.decode(body, &second)
	accepted, invited, outsider := h.panelWithSeat(cid, pid)
	h.warmTokens()

	// A good PDF is stored and listed.
	resp, body = h.postMaterial("staffa", pid, "self_evaluation", "自评价报告.pdf", pdfFile)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	var mat evaluation.Material
	h.decode(body, &mat)
	if mat.Filename != "自评价报告.pdf" || mat.ContentType != "application/pdf" || mat.Size != int64(len(pdfFile)) {
		t.Errorf("material %+v", mat)
	}
	if n := storedFiles(t, blobs); n != 1 {
		t.Fatalf("%d files stored, want 1", n)
	}
	// The same bytes in another project: a second material, one file.
	if resp, body := h.postMaterial("staffa", second.ID, "evidence", "copy.pdf", pdfFile); resp.StatusCode != http.StatusCreated {
		t.Fatalf("same file in another project: %d %s", resp.StatusCode, body)
	}
	if n := storedFiles(t, blobs); n != 1 {
		t.Errorf("%d files stored after the same content twice, want 1", n)
	}
	h.warmTokens()

	m := func(f string) string { return fmt.Sprintf(f, mat.ID) }
	p := func(f string) string { return fmt.Sprintf(f, pid) }
	refusals := []struct {
		name, as, kind, filename string
		content                  []byte
		status                   int
		code                     evaluation.Code
		field                    string // a field the error must name, if any
	}{
		{"the same bytes again in the project", "staffa", "other", "again.pdf", pdfFile, 409, evaluation.Conflict, "file"},
		{"over the size limit", "staffa", "other", "big.pdf", append(append([]byte{}, pdfFile...), make([]byte, limit)...), 413, evaluation.Invalid, "file"},
		{"an HTML file renamed .pdf", "staffa", "other", "report.pdf", htmlFile, 400, evaluation.Invalid, "file"},
		{"a path-traversal name", "staffa", "other", "../../x.pdf", append(append([]byte{}, pdfFile...), '1'), 400, evaluation.Invalid, "file"},
		{"a Windows path-traversal name", "staffa", "other", `..\x.pdf`, append(append([]byte{}, pdfFile...), '2'), 400, evaluation.Invalid, "file"},
		{"an unknown kind", "staffa", "diary", "x.pdf", append(append([]byte{}, pdfFile...), '3'), 400, evaluation.Invalid, "kind"},
		{"no file", "staffa", "other", "", nil, 400, evaluation.Invalid, "file"},
		{"agency B", "staffb", "other", "x.pdf", append(append([]byte{}, pdfFile...), '4'), 404, evaluation.NotFound, ""},
		{"commission", "commission", "other", "x.pdf", append(append([]byte{}, pdfFile...), '5'), 403, evaluation.Forbidden, ""},
		{"an expert with a seat", accepted, "other", "x.pdf", append(append([]byte{}, pdfFile...), '6'), 403, evaluation.Forbidden, ""},
	}
	for _, tc := range refusals {
		t.Run("upload: "+tc.name, func(t *testing.T) {
			before, files := h.dump(), storedFiles(t, blobs)
			resp, body := h.postMaterial(tc.as, pid, tc.kind, tc.filename, tc.content)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			var fields []string
			if tc.field != "" {
				fields = append(fields, tc.field)
			}
			wantError(t, body, tc.code, fields...)
			if h.dump() != before || storedFiles(t, blobs) != files {
				t.Errorf("a refused upload stored something")
			}
		})
	}
	// Not multipart at all.
	if resp, body := h.api("staffa", "POST", p("/api/v1/projects/%d/materials"), `{"kind":"other"}`); resp.StatusCode != 400 {
		t.Errorf("JSON upload: %d %s", resp.StatusCode, body)
	} else {
		wantError(t, body, evaluation.Invalid)
	}

	reads := []scenario{
		{"staff A lists", "staffa", "GET", p("/api/v1/projects/%d/materials"), "", 200, "", nil, []string{`"total":1`, "自评价报告.pdf", `"uploaded_by_name":"staffa"`}, nil},
		{"staff A reads one", "staffa", "GET", m("/api/v1/materials/%d"), "", 200, "", nil, []string{`"sha256":"`}, nil},
		{"commission lists", "commission", "GET", p("/api/v1/projects/%d/materials"), "", 200, "", nil, []string{"自评价报告.pdf"}, nil},
		{"admin downloads", "admin", "GET", m("/api/v1/materials/%d/content"), "", 200, "", nil, nil, nil},
		{"expert with a seat lists", accepted, "GET", p("/api/v1/projects/%d/materials"), "", 200, "", nil, []string{"自评价报告.pdf"}, nil},
		{"agency B: list", "staffb", "GET", p("/api/v1/projects/%d/materials"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"agency B: one", "staffb", "GET", m("/api/v1/materials/%d"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"agency B: download", "staffb", "GET", m("/api/v1/materials/%d/content"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"agency B: delete", "staffb", "DELETE", m("/api/v1/materials/%d"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"expert not on the panel: list", outsider, "GET", p("/api/v1/projects/%d/materials"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"expert not on the panel: download", outsider, "GET", m("/api/v1/materials/%d/content"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"expert invited, not accepted: download", invited, "GET", m("/api/v1/materials/%d/content"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"harness expert: download", "expert", "GET", m("/api/v1/materials/%d/content"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"commission cannot delete", "commission", "DELETE", m("/api/v1/materials/%d"), "", 403, evaluation.Forbidden, nil, nil, nil},
		{"expert cannot delete", accepted, "DELETE", m("/api/v1/materials/%d"), "", 403, evaluation.Forbidden, nil, nil, nil},
		{"unknown material", "staffa", "GET", "/api/v1/materials/99999/content", "", 404, evaluation.NotFound, nil, nil, nil},
	}
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, tc)
			if tc.status >= 400 && h.dump() != before {
				t.Errorf("a refused request changed the database")
			}
		})
	}

	// The expert downloads it as an attachment that no browser runs.
	resp, body = h.api(accepted, "GET", m("/api/v1/materials/%d/content"), "")
	if resp.StatusCode != 200 || body != string(pdfFile) {
		t.Fatalf("expert download: %d, %d bytes", resp.StatusCode, len(body))
	}
	for header, want := range map[string]string{
		"Content-Type":            "application/pdf",
		"Content-Disposition":     `attachment; filename="_____.pdf"; filename*=UTF-8''%E8%87%AA%E8%AF%84%E4%BB%B7%E6%8A%A5%E5%91%8A.pdf`,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
	} {
		if got := resp.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	resp, _ = h.api(accepted, "GET", m("/api/v1/materials/%d/content?inline=1"), "")
	if cd, csp := resp.Header.Get("Content-Disposition"), resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(cd, "inline;") ||
		!strings.HasPrefix(csp, "sandbox;") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("inline PDF: %q, %q", cd, csp)
	}

	// Staff delete it while the campaign forms panels; it is gone, the
	// file stays for the other project's material.
	if resp, body := h.api("staffa", "DELETE", m("/api/v1/materials/%d"), ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %s", resp.StatusCode, body)
	}
	if resp, _ := h.api("staffa", "GET", m("/api/v1/materials/%d"), ""); resp.StatusCode != 404 {
		t.Errorf("deleted material: %d", resp.StatusCode)
	}
	if n := storedFiles(t, blobs); n != 1 {
		t.Errorf("%d files after the delete, want 1", n)
	}
}

// TestMaterialBodyLimits goes through a real listener, where fasthttp
// refuses a body over the limit while reading it: the upload route takes
// more than 1 MiB, other routes do not, and a body over the upload limit is
// refused before it is read.
func TestMaterialBodyLimits(t *testing.T) {
	h := newHarness(t)
	const limit = 3 << 20
	blobs := h.withBlobs(limit)
	h.withRubrics()
	_, pid := h.campaignWithProject()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go h.app.Serve(ln)
	t.Cleanup(func() { h.app.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()

	big := append(append([]byte{}, pdfFile...), bytes.Repeat([]byte("%"), 2<<20)...)
	body, ct := materialForm(t, "大文件.pdf", big, "kind", "st_report")
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/projects/%d/materials", base, pid), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+h.tokens["staffa"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("a 2 MiB upload: %d %s", resp.StatusCode, b)
	}
	// Signed in: an anonymous upload over the ordinary limit is refused
	// for want of credentials (TestUploadAuthenticatedBeforeBody).
	br := h.browser()
	br.login("staffa")
	creds := []string{"Authorization: Bearer " + h.tokens["staffa"], "Cookie: evalpanel_session=" + br.cookies["evalpanel_session"]}
	h.warmTokens()
	before := h.dump()
	for _, tc := range []struct{ path, ct string }{
		{fmt.Sprintf("/api/v1/projects/%d/materials", pid), "multipart/form-data; boundary=x"},
		{fmt.Sprintf("/projects/%d/materials", pid), "multipart/form-data; boundary=x"},
		{fmt.Sprintf("/api/v1/projects/%d", pid), "application/json"},
		{fmt.Sprintf("/api/v1/projects/%d/methods/inspections", pid), "application/json"},
	} {
		n := 1<<20 + 1
		if strings.HasSuffix(tc.path, "/materials") {
			n = limit + uploadOverhead + 1
		}
		status, body := announceBody(t, ln.Addr().String(), tc.path, tc.ct, n, creds...)
		if status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s with %d bytes: %d, want 413 (%.200s)", tc.path, n, status, body)
		}
		if strings.HasPrefix(tc.path, "/api/") {
			wantError(t, body, evaluation.Invalid)
		}
	}
	if h.dump() != before || storedFiles(t, blobs) != 1 {
		t.Errorf("an oversized request stored something")
	}
}

var materialLink = regexp.MustCompile(`href="/materials/(\d+)"`)

// TestMaterialUI: staff upload through the form (multipart, with the CSRF
// token), see the material, download and delete it; a refused file comes
// back with the reason beside the field; other agencies get 404.
func TestMaterialUI(t *testing.T) {
	h := newHarness(t)
	blobs := h.withBlobs(64 << 10)
	h.withRubrics()
	_, pid := h.campaignWithProject()
	staff := h.browser()
	staff.login("staffa")
	projectURL := fmt.Sprintf("/projects/%d", pid)
	_, page := staff.get(projectURL)
	for _, want := range []string{`id="materials"`, `id="upload-material"`, `enctype="multipart/form-data"`, "尚无材料", "64 KiB"} {
		if !strings.Contains(page, want) {
			t.Errorf("project page lacks %s", want)
		}
	}
	// Without the token: refused, nothing stored.
	before := h.dump()
	body, ct := materialForm(t, "a.pdf", pdfFile, "kind", "audit_report")
	req := httptest.NewRequest(http.MethodPost, projectURL+"/materials", body)
	req.Header.Set("Content-Type", ct)
	if resp, _ := staff.send(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("upload without CSRF token: %d, want 403", resp.StatusCode)
	}
	// An HTML file named .pdf: the page again, with the reason.
	staff.get(projectURL)
	resp, page := staff.postMaterial(projectURL+"/materials", "审计报告.pdf", htmlFile, "kind", "audit_report")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-material-file"`) || !strings.Contains(page, "按文件内容判断") {
		t.Errorf("HTML named .pdf: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `<option value="audit_report" selected>`) {
		t.Errorf("the refused form forgot the kind")
	}
	// Over the limit: 413, the page again.
	resp, page = staff.postMaterial(projectURL+"/materials", "big.pdf", append(append([]byte{}, pdfFile...), make([]byte, 64<<10)...), "kind", "other")
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "64 KiB") {
		t.Errorf("over the limit: %d", resp.StatusCode)
	}
	if h.dump() != before || storedFiles(t, blobs) != 0 {
		t.Errorf("refused uploads stored something")
	}
	resp, _ = staff.postMaterial(projectURL+"/materials", "审计报告.pdf", pdfFile, "kind", "audit_report")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), projectURL+"#material-") {
		t.Fatalf("upload: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = staff.get(projectURL)
	link := materialLink.FindStringSubmatch(page)
	if link == nil || !strings.Contains(page, "审计报告.pdf") || !strings.Contains(page, "材料已上传") || !strings.Contains(page, "审计报告</td>") {
		t.Fatalf("the project page does not show the material")
	}
	materialURL := "/materials/" + link[1]
	resp, body2 := staff.get(materialURL)
	if resp.StatusCode != 200 || body2 != string(pdfFile) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	// Another agency's staff: not found, for the file and the list.
	other := h.browser()
	other.login("staffb")
	for _, u := range []string{materialURL, fmt.Sprintf("/projects/%d/materials", pid), projectURL} {
		if resp, _ := other.get(u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("staff B GET %s: %d, want 404", u, resp.StatusCode)
		}
	}
	other.get("/")
	before = h.dump()
	if resp, _ := other.post(materialURL+"/delete", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff B deletes: %d, want 404", resp.StatusCode)
	}
	if resp, _ := other.postMaterial(projectURL+"/materials", "x.pdf", append(append([]byte{}, pdfFile...), 'x'), "kind", "other"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff B uploads: %d, want 404", resp.StatusCode)
	}
	if h.dump() != before || storedFiles(t, blobs) != 1 {
		t.Errorf("staff B changed something")
	}
	// The commission reads the list page; staff delete.
	comm := h.browser()
	comm.login("commission")
	if resp, page := comm.get(fmt.Sprintf("/projects/%d/materials", pid)); resp.StatusCode != 200 || !strings.Contains(page, "审计报告.pdf") ||
		strings.Contains(page, "/delete") {
		t.Errorf("commission list page: %d", resp.StatusCode)
	}
	staff.get(projectURL)
	resp, _ = staff.post(materialURL+"/delete", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, page := staff.get(projectURL); strings.Contains(page, materialURL) || !strings.Contains(page, "尚无材料") {
		t.Errorf("the deleted material is still shown")
	}
}

// TestMaterialExpertPage: an expert with an accepted seat reads the list
// and downloads; an expert not on the panel gets 404.
func TestMaterialExpertPage(t *testing.T) {
	h := newHarness(t)
	h.withBlobs(1 << 20)
	h.withRubrics()
	cid, pid := h.campaignWithProject()
	accepted, _, outsider := h.panelWithSeat(cid, pid)
	if resp, body := h.postMaterial("staffa", pid, "st_report", "科技报告.pdf", pdfFile); resp.StatusCode != 201 {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	expert := h.browser()
	expert.login(accepted)
	resp, page := expert.get(fmt.Sprintf("/projects/%d/materials", pid))
	link := materialLink.FindStringSubmatch(page)
	if resp.StatusCode != 200 || link == nil || !strings.Contains(page, "科技报告.pdf") {
		t.Fatalf("expert list page: %d", resp.StatusCode)
	}
	if resp, _ := expert.get("/materials/" + link[1]); resp.StatusCode != 200 || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("expert download: %d", resp.StatusCode)
	}
	if resp, _ := expert.get(fmt.Sprintf("/projects/%d", pid)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("expert opens the project page: %d, want 403 (role)", resp.StatusCode)
	}
	stranger := h.browser()
	stranger.login(outsider)
	for _, u := range []string{fmt.Sprintf("/projects/%d/materials", pid), "/materials/" + link[1]} {
		if resp, _ := stranger.get(u); resp.StatusCode != http.StatusNotFound {
			t.Errorf("expert not on the panel GET %s: %d, want 404", u, resp.StatusCode)
		}
	}
}

// projectWithMethods adds to the campaign a project with every on-site
// method.
func (h *harness) projectWithMethods(campaignID int64, code string) evaluation.Project {
	h.t.Helper()
	js := strings.Replace(fmt.Sprintf(projectJSON, code), `"budget"`, `"methods":["inspection","testing","demonstration"],"budget"`, 1)
	resp, body := h.api("staffa", "POST", fmt.Sprintf("/api/v1/campaigns/%d/projects", campaignID), js)
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("project: %d %s", resp.StatusCode, body)
	}
	var p evaluation.Project
	h.decode(body, &p)
	return p
}

// TestMethodRecordScenarios: records of the on-site methods (inspection,
// test, demonstration) through the API: bad input, who may record, and
// how a test's verdict sets an indicator's status until it is deleted.
//
// Each case passes alone and in any order, as in TestAPIScenarios: the
// reads share one harness whose project has one record of each method
// (inspection 1, test 2, demonstration 3), and must leave its database as
// they found it; a case that changes the database, or reads what a
// deletion left, runs on a harness of its own after the requests it
// needs, and checks the audit entries it adds.
func TestMethodRecordScenarios(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid, plain := h.campaignWithProject() // peer review only
	p := h.projectWithMethods(cid, "2024-ZD-009")
	patents := p.Indicators[1] // ≥ 4 项, 3.5 claimed: partly
	u := func(f string) string { return fmt.Sprintf(f, p.ID) }
	inspection := `{"date":"2025-03-01","place":"同济大学嘉定校区","participants":["王工","李工"],"findings":"样机运行正常。"}`
	test := func(passed bool, value float64) string {
		return fmt.Sprintf(`{"indicator_id":%d,"measured":{"value":%g},"passed":%t,"tester":"上海市计量测试技术研究院","date":"2025-03-02"}`,
			patents.ID, value, passed)
	}
	demo := `{"date":"2025-03-03","items":[{"name":"自主巡检","shown":true},{"name":"缺陷识别","shown":false}]}`
	recordInspection := scenario{"inspection", "staffa", "POST", u("/api/v1/projects/%d/methods/inspections"), inspection, 201, "", nil, []string{`"kind":"inspection"`, `"participants":["王工","李工"]`}, nil}
	recordTest := scenario{"passed test", "staffa", "POST", u("/api/v1/projects/%d/methods/tests"), test(true, 4), 201, "", nil, []string{`"status":"met"`}, nil}
	recordDemo := scenario{"demonstration", "staffa", "POST", u("/api/v1/projects/%d/methods/demonstrations"), demo, 201, "", nil, []string{`"shown":true`, `"shown":false`}, nil}
	deleteInspection := scenario{"delete the inspection", "staffa", "DELETE", u("/api/v1/projects/%d/methods/1"), "", 204, "", nil, nil, nil}
	deleteTest := scenario{"delete the test: the status is computed again", "staffa", "DELETE", u("/api/v1/projects/%d/methods/2"), "", 204, "", nil, nil, nil}
	reads := []scenario{
		{"the indicator is met by the test", "staffa", "GET", u("/api/v1/projects/%d"), "", 200, "", nil, []string{`"status":"met","status_from":"test"`}, nil},
		{"list", "commission", "GET", u("/api/v1/projects/%d/methods"), "", 200, "", nil, []string{`"total":3`}, nil},
		// Bad input changes nothing.
		{"inspection without fields", "staffa", "POST", u("/api/v1/projects/%d/methods/inspections"), `{}`, 400, evaluation.Invalid, []string{"date", "place", "findings"}, nil, nil},
		{"inspection in the future", "staffa", "POST", u("/api/v1/projects/%d/methods/inspections"),
			strings.Replace(inspection, "2025-03-01", "2999-01-01", 1), 400, evaluation.Invalid, []string{"date"}, nil, nil},
		{"inspection with a bad date", "staffa", "POST", u("/api/v1/projects/%d/methods/inspections"),
			strings.Replace(inspection, "2025-03-01", "01/03/2025", 1), 400, evaluation.Invalid, []string{"date"}, nil, nil},
		{"inspection with an unknown field", "staffa", "POST", u("/api/v1/projects/%d/methods/inspections"),
			strings.Replace(inspection, `"date"`, `"weather":"晴","date"`, 1), 400, evaluation.Invalid, []string{"weather"}, nil, nil},
		{"test passing a missed target", "staffa", "POST", u("/api/v1/projects/%d/methods/tests"), test(true, 2), 400, evaluation.Invalid, []string{"passed"}, nil, nil},
		{"test without a verdict", "staffa", "POST", u("/api/v1/projects/%d/methods/tests"),
			strings.Replace(test(true, 4), `"passed":true,`, "", 1), 400, evaluation.Invalid, []string{"passed"}, nil, nil},
		{"test of another project's indicator", "staffa", "POST", u("/api/v1/projects/%d/methods/tests"),
			strings.Replace(test(true, 4), fmt.Sprintf(`"indicator_id":%d`, patents.ID), `"indicator_id":99999`, 1), 400, evaluation.Invalid, []string{"indicator_id"}, nil, nil},
		{"test with an infinite value", "staffa", "POST", u("/api/v1/projects/%d/methods/tests"),
			strings.Replace(test(false, 4), `"value":4`, `"value":1e400`, 1), 400, evaluation.Invalid, []string{"measured.value"}, nil, nil},
		{"demonstration without items", "staffa", "POST", u("/api/v1/projects/%d/methods/demonstrations"), `{"date":"2025-03-03","items":[]}`, 400, evaluation.Invalid, []string{"items"}, nil, nil},
		{"demonstration with blank items", "staffa", "POST", u("/api/v1/projects/%d/methods/demonstrations"), `{"date":"2025-03-03","items":[{"name":" "}]}`, 400, evaluation.Invalid, []string{"items"}, nil, nil},
		{"not JSON", "staffa", "POST", u("/api/v1/projects/%d/methods/inspections"), `date=2025-03-01`, 400, evaluation.Invalid, nil, nil, nil},
		{"a method the project lacks", "staffa", "POST", fmt.Sprintf("/api/v1/projects/%d/methods/inspections", plain), inspection, 409, evaluation.Conflict, nil, nil, nil},
		// Who.
		{"agency B lists", "staffb", "GET", u("/api/v1/projects/%d/methods"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"agency B records", "staffb", "POST", u("/api/v1/projects/%d/methods/inspections"), inspection, 404, evaluation.NotFound, nil, nil, nil},
		{"agency B records with a bad body", "staffb", "POST", u("/api/v1/projects/%d/methods/inspections"), `{}`, 404, evaluation.NotFound, nil, nil, nil},
		{"agency B deletes", "staffb", "DELETE", u("/api/v1/projects/%d/methods/1"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"commission records", "commission", "POST", u("/api/v1/projects/%d/methods/inspections"), inspection, 403, evaluation.Forbidden, nil, nil, nil},
		{"expert records", "expert", "POST", u("/api/v1/projects/%d/methods/inspections"), inspection, 403, evaluation.Forbidden, nil, nil, nil},
		{"expert not on the panel lists", "expert", "GET", u("/api/v1/projects/%d/methods"), "", 404, evaluation.NotFound, nil, nil, nil},
		{"record of another project", "staffa", "DELETE", fmt.Sprintf("/api/v1/projects/%d/methods/1", plain), "", 404, evaluation.NotFound, nil, nil, nil},
	}
	writes := []writeScenario{
		{nil, recordInspection, []string{"project.record_inspection"}},
		{nil, recordTest, []string{"project.record_test"}},
		{nil, recordDemo, []string{"project.record_demonstration"}},
		{[]scenario{recordInspection}, deleteInspection, []string{"project.delete_record"}},
		{[]scenario{recordInspection, recordTest}, deleteTest, []string{"project.delete_record"}},
		{[]scenario{recordInspection, recordTest, deleteTest},
			scenario{"the indicator is partly met again", "staffa", "GET", u("/api/v1/projects/%d"), "", 200, "", nil, []string{`"status":"partly","status_from":"computed"`}, nil}, nil},
		{[]scenario{recordInspection, recordTest, deleteInspection, deleteTest},
			scenario{"the deletions are audited", "admin", "GET", "/api/v1/audit?action=project.delete_record", "", 200, "", nil, []string{`"total":2`}, nil}, nil},
	}

	// methodProject makes on a fresh harness the campaign and projects of
	// the shared one, with the same IDs, which the URLs hold.
	methodProject := func(t *testing.T, h *harness) {
		t.Helper()
		h.withRubrics()
		c, pl := h.campaignWithProject()
		q := h.projectWithMethods(c, "2024-ZD-009")
		if got, want := []int64{c, pl, q.ID, q.Indicators[1].ID}, []int64{cid, plain, p.ID, patents.ID}; !slices.Equal(got, want) {
			t.Fatalf("campaign, projects and indicator %v, want %v", got, want)
		}
	}
	for _, g := range []scenario{recordInspection, recordTest, recordDemo} {
		h.run(t, g)
	}
	h.warmTokens()
	for _, tc := range reads {
		t.Run(tc.name, func(t *testing.T) {
			before := h.dump()
			h.run(t, tc)
			if h.dump() != before {
				t.Errorf("the request changed the database; it belongs with the writes")
			}
		})
	}
	for _, tc := range writes {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			methodProject(t, h)
			h.runWrite(t, tc)
		})
	}
}

// TestMethodRecordUI: the forms are offered for the project's methods only;
// a good record shows, a bad one comes back with the reasons and changes
// nothing.
func TestMethodRecordUI(t *testing.T) {
	h := newHarness(t)
	h.withRubrics()
	cid, plain := h.campaignWithProject()
	p := h.projectWithMethods(cid, "2024-ZD-010")
	staff := h.browser()
	staff.login("staffa")
	_, page := staff.get(fmt.Sprintf("/projects/%d", plain))
	if !strings.Contains(page, `id="methods"`) || strings.Contains(page, `id="add-inspection"`) || strings.Contains(page, `id="add-test"`) {
		t.Errorf("a peer-review-only project offers method records")
	}
	projectURL := fmt.Sprintf("/projects/%d", p.ID)
	_, page = staff.get(projectURL)
	for _, id := range []string{`id="add-inspection"`, `id="add-test"`, `id="add-demo"`} {
		if !strings.Contains(page, id) {
			t.Errorf("project page lacks %s", id)
		}
	}
	resp, _ := staff.post(projectURL+"/methods/inspections", url.Values{"date": {"2025-03-01"}, "place": {"嘉定"},
		"participants": {"王工、李工\n赵工"}, "findings": {"现场设备与任务书一致。"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("inspection: %d", resp.StatusCode)
	}
	_, page = staff.get(projectURL)
	if !strings.Contains(page, "现场设备与任务书一致。") || !strings.Contains(page, "王工、李工、赵工") || !strings.Contains(page, `id="record-`) {
		t.Errorf("the inspection is not shown")
	}
	bad := []struct {
		name, path string
		form       url.Values
		errors     []string
	}{
		{"test without verdict, tester or number", "/methods/tests", url.Values{"indicator_id": {fmt.Sprint(p.Indicators[0].ID)},
			"measured_value": {"五"}, "date": {"2025-03-02"}}, []string{`id="e-test-passed"`, `id="e-test-value"`}},
		{"test with a missing tester", "/methods/tests", url.Values{"indicator_id": {fmt.Sprint(p.Indicators[0].ID)},
			"measured_value": {"6"}, "passed": {"1"}, "date": {"2025-03-02"}}, []string{`id="e-test-tester"`}},
		{"demonstration without items", "/methods/demonstrations", url.Values{"date": {"2025-03-02"}}, []string{`id="e-demo-items"`}},
		{"inspection without findings", "/methods/inspections", url.Values{"date": {"2025-03-02"}, "place": {"x"}, "participants": {"王工"}},
			[]string{`id="e-insp-findings"`}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			staff.get(projectURL)
			before := h.dump()
			resp, page := staff.post(projectURL+tc.path, tc.form)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			for _, e := range tc.errors {
				if !strings.Contains(page, e) {
					t.Errorf("page lacks %s", e)
				}
			}
			if h.dump() != before {
				t.Errorf("a refused form changed the database")
			}
		})
	}
	staff.get(projectURL)
	resp, _ = staff.post(projectURL+"/methods/tests", url.Values{"indicator_id": {fmt.Sprint(p.Indicators[0].ID)},
		"measured_value": {"4.5"}, "passed": {"0"}, "tester": {"李工"}, "date": {"2025-03-02"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("test: %d", resp.StatusCode)
	}
	staff.get(projectURL)
	resp, _ = staff.post(projectURL+"/methods/demonstrations", url.Values{"date": {"2025-03-02"}, "item.0": {"自主巡检"}, "shown.0": {"1"},
		"item.3": {"缺陷识别"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("demonstration: %d", resp.StatusCode)
	}
	_, page = staff.get(projectURL)
	indicators := page[strings.Index(page, `id="indicators"`):strings.Index(page, `id="materials"`)]
	if !strings.Contains(indicators, "status-partly") || !strings.Contains(indicators, "（现场测试）") {
		t.Errorf("the tested indicator (4.5 of ≥ 5) does not show partly met from the test")
	}
	if !strings.Contains(page, "自主巡检") || !strings.Contains(page, "缺陷识别") {
		t.Errorf("the demonstration is not shown")
	}
	// Delete the inspection through its button.
	rec := regexp.MustCompile(`action="(/projects/\d+/methods/\d+/delete)"`).FindStringSubmatch(page)
	if rec == nil {
		t.Fatal("no delete button")
	}
	if resp, _ := staff.post(rec[1], nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("delete: %d", resp.StatusCode)
	}
	if _, page := staff.get(projectURL); strings.Contains(page, "现场设备与任务书一致。") {
		t.Errorf("the deleted inspection is still shown")
	}
	// Another agency's staff cannot post records.
	other := h.browser()
	other.login("staffb")
	other.get("/")
	before := h.dump()
	if resp, _ := other.post(projectURL+"/methods/inspections", url.Values{"date": {"2025-03-01"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff B posts a record: %d, want 404", resp.StatusCode)
	}
	if resp, _ := other.post(projectURL+"/methods/tests", url.Values{"passed": {"x"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("staff B posts a bad test: %d, want 404", resp.StatusCode)
	}
	if h.dump() != before {
		t.Errorf("staff B changed something")
	}
}

func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"report.pdf":    `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
		`a"b;c%d\e.pdf`: `attachment; filename="a_b_c_d_e.pdf"; filename*=UTF-8''a%22b%3Bc%25d%5Ce.pdf`,
		"审计 报告.pdf":     `attachment; filename="__ __.pdf"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%20%E6%8A%A5%E5%91%8A.pdf`,
		"x\r\ny.pdf":    `attachment; filename="x__y.pdf"; filename*=UTF-8''x%0D%0Ay.pdf`,
	} {
		if got := contentDisposition("attachment", name); got != want {
			t.Errorf("contentDisposition(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestIsUploadRoute(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/api/v1/projects/12/materials", true},
		{"POST", "/projects/12/materials", true},
		{"GET", "/projects/12/materials", false},
		{"POST", "/projects/12/materials/", false},
		{"POST", "/projects/x/materials", false},
		{"POST", "/projects//materials", false},
		{"POST", "/projects/%2e%2e/materials", false},
		{"POST", "/api/v1/projects/12/edit", false},
		{"POST", "/login", false},
	} {
		if got := isUploadRoute(tc.method, tc.path); got != tc.want {
			t.Errorf("isUploadRoute(%s %s) = %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
}

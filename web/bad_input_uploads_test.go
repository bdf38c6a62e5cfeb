package web

import (
	"bytes"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/files"
	"golang.org/x/net/html"
)

// The catalogue's uploads: bodies that are not whole multipart forms, and
// file names that try to leave the storage folder, hide their extension or
// break a header.

// Field messages of the uploads, in Chinese (the harness's language).
const (
	msgUploadIncomplete = "上传的内容不完整或格式有误，请重新上传文件。"
	msgNoFile           = "请选择要上传的文件。"
	msgNamePath         = "文件名不能包含路径（如 ../）。"
	msgNameEmpty        = "文件名为空。"
)

// rawUpload sends body to an upload route of the API as the user, with the
// content type as given.
func (h *harness) rawUpload(as, target, contentType string, body []byte) (*http.Response, string) {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+h.tokens[as])
	return h.do(req)
}

// brokenUploads are the ways a multipart body arrives broken, made from a
// whole one (body, with its content type): cut short after the file's
// bytes, cut inside a part's headers, its boundary not the one the body
// uses, no boundary at all, no file part, and nothing at all. want is
// the message beside the file field.
func brokenUploads(t *testing.T, body []byte, contentType string, fields ...string) []struct {
	what, contentType string
	body              []byte
	want              string
} {
	t.Helper()
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	header := bytes.Index(body, []byte(`name="file"`))
	if header < 0 {
		t.Fatalf("the body has no file part")
	}
	noFile, noFileType := multipartOf(t, nil)
	if len(fields) > 0 {
		noFile, noFileType = materialForm(t, "", nil, fields...)
	}
	return []struct {
		what, contentType string
		body              []byte
		want              string
	}{
		{"cut short before its close delimiter", contentType, body[:len(body)-len(params["boundary"])-8], msgUploadIncomplete},
		{"cut inside the file part's headers", contentType, body[:header+4], msgUploadIncomplete},
		{"a boundary the body does not use", strings.Replace(contentType, "boundary=", "boundary=x", 1), body, msgUploadIncomplete},
		{"no boundary", "multipart/form-data", body, msgUploadIncomplete},
		{"no file part", noFileType, noFile.Bytes(), msgNoFile},
		{"an empty multipart body", contentType, nil, msgUploadIncomplete},
	}
}

// badInputUploads: every upload route of the API (a project's materials,
// the project import, the expert import) with a body that is not a whole
// multipart form, and the materials with file names that are paths,
// hidden characters, too long or nothing but dots. A broken body is
// refused beside the file field, saying to upload again (or, with no file
// part, to choose one), and stores nothing; a name is refused beside the
// file field, or stored under a safe name that the API, the pages and the
// download header show as stored, the file itself under its hash in the
// storage folder.
func badInputUploads(t *testing.T) int {
	h := newHarness(t)
	blobs := h.withBlobs(1 << 20)
	h.withRubrics()
	cid, pid := h.campaignWithProject()
	importCampaign := h.importCampaign()
	h.warmTokens()

	material, materialType := materialForm(t, "自评价报告.pdf", pdfFile, "kind", "self_evaluation")
	projects, projectsType := multipartOf(t, nil, file{"file", "projects.csv", []byte(projectsCSV(false))})
	experts, expertsType := multipartOf(t, nil, file{"file", "experts.csv", []byte(csvOf(
		[]string{"姓名", "专家类型", "工作单位", "职称", "职称级别", "学科代码", "研究方向", "地域"},
		[]string{"陈立平", "技术领域专家", "上海大学", "教授", "正高级", "520.20", "智能机器人", "本地"}))})
	routes := []struct {
		what, as, url, contentType string
		body                       []byte
		fields                     []string // the other fields of the form, for the body without a file
	}{
		{"a material", "staffa", fmt.Sprintf("/api/v1/projects/%d/materials", pid), materialType, material.Bytes(), []string{"kind", "other"}},
		{"a project import", "staffa", fmt.Sprintf("/api/v1/campaigns/%d/projects/import", importCampaign), projectsType, projects.Bytes(), nil},
		{"an expert import", "commission", "/api/v1/experts/import", expertsType, experts.Bytes(), nil},
	}
	checked := 0
	for _, r := range routes {
		for _, b := range brokenUploads(t, r.body, r.contentType, r.fields...) {
			t.Run(r.what+", "+b.what, func(t *testing.T) {
				before, stored := h.dump(), storedFiles(t, blobs)
				resp, body := h.rawUpload(r.as, r.url, b.contentType, b.body)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %.300s", resp.StatusCode, body)
				}
				if e := wantError(t, body, evaluation.Invalid, "file"); e.Fields["file"] != b.want {
					t.Errorf("the file's message is %q, want %q", e.Fields["file"], b.want)
				}
				if h.dump() != before || storedFiles(t, blobs) != stored {
					t.Error("a refused upload stored something")
				}
			})
			checked++
		}
	}
	// A NUL sent raw in the file's header breaks the header, so the body
	// is no form: refused as an upload to send again.
	raw := bytes.Replace(material.Bytes(), []byte(`filename="自评价报告.pdf"`), []byte("filename=\"a\x00b.pdf\""), 1)
	t.Run("a material, a NUL raw in the file name's header", func(t *testing.T) {
		before := h.dump()
		resp, body := h.rawUpload("staffa", routes[0].url, materialType, raw)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400: %.300s", resp.StatusCode, body)
		}
		if e := wantError(t, body, evaluation.Invalid, "file"); e.Fields["file"] != msgUploadIncomplete {
			t.Errorf("the file's message is %q, want %q", e.Fields["file"], msgUploadIncomplete)
		}
		if h.dump() != before {
			t.Error("a refused upload stored something")
		}
	})
	checked++
	// The whole bodies are taken, so that it is the breaking that is
	// refused, not what the bodies hold.
	for _, r := range routes {
		if resp, body := h.rawUpload(r.as, r.url, r.contentType, r.body); resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s, whole: status %d: %.300s", r.what, resp.StatusCode, body)
		}
	}
	return checked + badInputFileNames(t, h, blobs, cid, pid) + badInputImportNames(t, h, importCampaign)
}

// badInputFileNames uploads a material under each odd name.
func badInputFileNames(t *testing.T, h *harness, blobs *files.Store, campaignID, projectID int64) int {
	// The names a client may send. refused is the message beside the
	// file field for a name that is refused; stored is the name kept for
	// one that is not.
	long := strings.Repeat("长", 300) + ".pdf"
	names := []struct {
		what, sent, refused, stored string
	}{
		{"a Unix path out of the folder", "../../etc/passwd", msgNamePath, ""},
		{"a Windows path out of the folder", `..\..\win.ini`, msgNamePath, ""},
		{"a path that climbs in the middle", "reports/../../../x.pdf", msgNamePath, ""},
		{"a parent folder and nothing else", "..", msgNamePath, ""},
		{"a single dot", ".", msgNameEmpty, ""},
		{"nothing but dots", "....", msgNameEmpty, ""},
		{"nothing but spaces", "   ", msgNameEmpty, ""},
		{"an absolute path", "/etc/cron.d/x.pdf", "", "x.pdf"},
		{"a Windows drive path", `C:\Windows\System32\x.pdf`, "", "x.pdf"},
		{"a NUL", "report\x00.exe.pdf", "", "report.exe.pdf"},
		{"a right-to-left override", "report\u202efdp.exe", "", "reportfdp.exe.pdf"},
		{"zero-width characters", "re\u200bport\u200d\ufeff.pdf", "", "report.pdf"},
		{"a line break and a header after it", "a\r\nContent-Type: text/html\r\n\r\n<b>.pdf", "", "html    <b>.pdf"},
		{"quotes and a second file name", `x.pdf"; filename="evil.exe`, "", `x.pdf"; filename="evil.exe.pdf`},
		{"a script tag", `<script>alert(1)<\script>.pdf`, "", `script>.pdf`},
		{"300 characters", long, "", strings.Repeat("长", evaluation.MaxFilenameLength-len(".pdf")) + ".pdf"},
	}
	materials := fmt.Sprintf("/api/v1/projects/%d/materials", projectID)
	staff := h.browser()
	staff.login("staffa")
	checked := 0
	for i, n := range names {
		t.Run("a file name with "+n.what, func(t *testing.T) {
			// Each file differs, so that none is a duplicate of another.
			content := append(append([]byte{}, pdfFile...), fmt.Sprintf("%% %d\n", i)...)
			body, ct := filenameForm(n.sent, content, "kind", "other")
			before, stored := h.dump(), storedFiles(t, blobs)
			resp, answer := h.rawUpload("staffa", materials, ct, body)
			if n.refused != "" {
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %.300s", resp.StatusCode, answer)
				}
				if e := wantError(t, answer, evaluation.Invalid, "file"); e.Fields["file"] != n.refused {
					t.Errorf("the file's message is %q, want %q", e.Fields["file"], n.refused)
				}
				if h.dump() != before || storedFiles(t, blobs) != stored {
					t.Error("a refused upload stored something")
				}
				return
			}
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("status %d, want 201: %.300s", resp.StatusCode, answer)
			}
			var m evaluation.Material
			h.decode(answer, &m)
			if m.Filename != n.stored {
				t.Errorf("stored as %q, want %q", m.Filename, n.stored)
			}
			wantSafeName(t, m.Filename)
			// Read back: the API, the list page, the download.
			var got evaluation.Material
			h.decode(h.mustAPI("staffa", "GET", fmt.Sprintf("/api/v1/materials/%d", m.ID), "", http.StatusOK), &got)
			if got.Filename != n.stored {
				t.Errorf("the API reads %q, want %q", got.Filename, n.stored)
			}
			_, page := staff.get(fmt.Sprintf("/projects/%d/materials", projectID))
			wantEscaped(t, page, n.stored)
			resp, _ = h.api("staffa", "GET", fmt.Sprintf("/api/v1/materials/%d/content", m.ID), "")
			wantSafeDisposition(t, resp.Header.Get("Content-Disposition"), n.stored)
			wantBlobsInside(t, blobs)
		})
		checked++
	}
	return checked
}

// badInputImportNames imports projects from a csv file under each odd
// name: the import keeps the name only for its messages and the audit
// log, as its base name without control or format characters, and the
// audit log's page shows it as text.
func badInputImportNames(t *testing.T, h *harness, campaignID int64) int {
	names := []struct{ what, sent, kept string }{
		{"a Unix path out of the folder", "../../etc/projects.csv", "projects.csv"},
		{"a Windows path out of the folder", `..\..\projects.csv`, "projects.csv"},
		{"a NUL", "projects\x00.csv", "projects.csv"},
		{"a right-to-left override", "projects\u202ecsv.exe", "projectscsv.exe"},
		{"zero-width characters", "pro\u200bjects\ufeff.csv", "projects.csv"},
		{"a script tag", "<script>alert(1)</script>.csv", "script>.csv"},
		{"300 characters", strings.Repeat("长", 300) + ".csv", strings.Repeat("长", 120)},
	}
	target := fmt.Sprintf("/api/v1/campaigns/%d/projects/import", campaignID)
	admin := h.browser()
	admin.login("admin")
	checked := 0
	for i, n := range names {
		t.Run("an imported file's name with "+n.what, func(t *testing.T) {
			code := fmt.Sprintf("2026-NAME-%03d", i)
			data := csvOf([]string{"项目编号", "项目名称", "项目类别", "承担单位", "项目负责人", "学科代码"},
				[]string{code, "名称测试项目", "应用技术类", "同济大学", "王建国", "520.20"})
			body, ct := filenameForm(n.sent, []byte(data))
			resp, answer := h.rawUpload("staffa", target, ct, body)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("status %d, want 201: %.300s", resp.StatusCode, answer)
			}
			var log struct {
				Items []evaluation.AuditEntry `json:"items"`
			}
			h.decode(h.mustAPI("admin", "GET", "/api/v1/audit?action=project.import&per_page=1", "", http.StatusOK), &log)
			var details struct {
				File string `json:"file"`
			}
			if len(log.Items) != 1 || jsonUnmarshal(log.Items[0].Details, &details) != nil {
				t.Fatalf("no import in the audit log: %+v", log.Items)
			}
			if details.File != n.kept {
				t.Errorf("the audit log keeps the name %q, want %q", details.File, n.kept)
			}
			wantSafeName(t, details.File)
			_, page := admin.get("/audit?action=project.import")
			wantEscaped(t, page, n.kept)
		})
		checked++
	}
	return checked
}

// filenameForm is an upload of one file (and the fields, in pairs) whose
// Content-Disposition carries the name exactly as given: mime/multipart's writer would escape what a
// hostile client would not.
func filenameForm(name string, content []byte, fields ...string) ([]byte, string) {
	const boundary = "evalpanel-bad-input-boundary"
	var b bytes.Buffer
	for i := 0; i+1 < len(fields); i += 2 {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=%q\r\n\r\n%s\r\n", boundary, fields[i], fields[i+1])
	}
	quoted := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
	if strings.ContainsAny(name, "\r\n\x00") {
		// A raw line break or NUL ends or breaks the header: such a name
		// can only arrive encoded (RFC 7578 allows RFC 5987's filename*).
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%s\r\n", boundary, percentAll(name))
	} else {
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n", boundary, quoted)
	}
	fmt.Fprintf(&b, "Content-Type: application/octet-stream\r\n\r\n%s\r\n--%s--\r\n", content, boundary)
	return b.Bytes(), "multipart/form-data; boundary=" + boundary
}

// percentAll percent-encodes every byte that is not a letter or digit.
func percentAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// wantSafeName fails the test unless name is a display name that cannot
// be taken for a path or hide its extension: no slash or backslash, no
// ".." element, no control or format character, at most
// MaxFilenameLength characters.
func wantSafeName(t *testing.T, name string) {
	t.Helper()
	if strings.ContainsAny(name, `/\`) || name == ".." || strings.Trim(name, ". ") == "" ||
		strings.ContainsFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) ||
		len([]rune(name)) > evaluation.MaxFilenameLength {
		t.Errorf("the stored name %q is not a safe display name", name)
	}
}

// wantSafeDisposition fails the test unless the download header is one
// attachment in plain ASCII, without a line break, whose file name and
// filename* both read back as the stored name or its ASCII stand-in,
// never with a path in them.
func wantSafeDisposition(t *testing.T, header, stored string) {
	t.Helper()
	for _, r := range header {
		if r < 0x20 || r > 0x7e {
			t.Fatalf("Content-Disposition %q has a character outside printable ASCII", header)
		}
	}
	kind, params, err := mime.ParseMediaType(header)
	if err != nil || kind != "attachment" {
		t.Fatalf("Content-Disposition %q: %q, %v", header, kind, err)
	}
	// mime decodes filename* (RFC 2231) into filename, over the ASCII one.
	if params["filename"] != stored {
		t.Errorf("Content-Disposition %q reads back as %q, want %q", header, params["filename"], stored)
	}
	ascii := regexp.MustCompile(`filename="([^"]*)"`).FindStringSubmatch(header)
	if ascii == nil || strings.ContainsAny(ascii[1], `/\;%`) {
		t.Errorf("Content-Disposition %q: the ASCII file name is not a plain name", header)
	}
}

// wantEscaped fails the test unless the page shows text exactly as stored,
// and any markup in it only as text.
func wantEscaped(t *testing.T, page, text string) {
	t.Helper()
	if !strings.Contains(visibleText(page), strings.Join(strings.Fields(text), " ")) &&
		!strings.Contains(strings.Join(strings.Fields(visibleText(page)), " "), strings.Join(strings.Fields(text), " ")) {
		t.Errorf("the page does not show %q as text", text)
	}
	if bad := injectedMarkup(page); len(bad) > 0 {
		t.Errorf("the page has markup that came from stored text: %q", bad)
	}
}

// wantBlobsInside fails the test unless every file the blob store holds
// is under its folder, named by its SHA-256 and nothing a client sent.
func wantBlobsInside(t *testing.T, blobs *files.Store) {
	t.Helper()
	root, err := filepath.EvalSymlinks(blobs.Root())
	if err != nil {
		t.Fatal(err)
	}
	hexName := regexp.MustCompile(`^[0-9a-f]{64}$`)
	// The folder holding the store's folder holds nothing else the store
	// wrote: a name that climbed out would land there or above.
	parent := filepath.Dir(root)
	err = filepath.WalkDir(parent, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Errorf("a file outside the store's folder: %s", p)
			return nil
		}
		if !hexName.MatchString(filepath.Base(p)) {
			t.Errorf("a stored file not named by its hash: %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// injectedMarkup lists what a page has that no template of the app
// writes, and so could only have come from stored text: a script that is
// not one of the site's files, an event-handler attribute, an image or
// frame of a made-up source.
func injectedMarkup(page string) []string {
	var bad []string
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return bad
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag, attrs := string(name), map[string]string{}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs[string(k)] = string(v)
				if strings.HasPrefix(string(k), "on") {
					bad = append(bad, fmt.Sprintf("<%s %s=%q>", tag, k, v))
				}
			}
			switch {
			case tag == "script" && !strings.HasPrefix(attrs["src"], "/static/"):
				bad = append(bad, fmt.Sprintf("<script src=%q>", attrs["src"]))
			case tag == "img" && attrs["src"] == "x", tag == "iframe", tag == "object", tag == "embed":
				bad = append(bad, "<"+tag+">")
			}
		}
	}
}

// badInputUploadForms: the upload forms of the pages (a project's
// materials, the project import, the expert import) sent broken, with
// the page's CSRF token first in the body, and the materials form with
// names a browser would not send. A broken body gets a page that says to
// upload again (or to choose a file) and changes nothing; a path is
// refused on the form beside the file; a hidden character is dropped
// from the name the project page shows.
func badInputUploadForms(t *testing.T) int {
	h := newHarness(t)
	blobs := h.withBlobs(1 << 20)
	h.withRubrics()
	_, pid := h.campaignWithProject()
	cid := h.importCampaign()
	staff, comm := h.browser(), h.browser()
	staff.login("staffa")
	comm.login("commission")
	forms := []struct {
		what string
		b    *browser
		page string // the page whose form it is
		url  string
		file file
		kind bool // the form has the material's kind
	}{
		{"the materials form", staff, fmt.Sprintf("/projects/%d", pid), fmt.Sprintf("/projects/%d/materials", pid), file{"file", "a.pdf", pdfFile}, true},
		{"the project import form", staff, fmt.Sprintf("/campaigns/%d/projects/import", cid), fmt.Sprintf("/campaigns/%d/projects/import", cid),
			file{"file", "projects.csv", []byte(projectsCSV(false))}, false},
		{"the expert import form", comm, "/experts/import", "/experts/import", file{"file", "experts.csv", []byte("姓名\r\n")}, false},
	}
	checked := 0
	for _, f := range forms {
		f.b.get(f.page)
		fields := []string{"_csrf", f.b.csrf}
		if f.kind {
			fields = append(fields, "kind", "other")
		}
		whole, ct := materialForm(t, f.file.name, f.file.data, fields...)
		for _, bu := range brokenUploads(t, whole.Bytes(), ct, fields...) {
			t.Run(f.what+", "+bu.what, func(t *testing.T) {
				before, stored := h.dump(), storedFiles(t, blobs)
				req := httptest.NewRequest(http.MethodPost, f.url, bytes.NewReader(bu.body))
				req.Header.Set("Content-Type", bu.contentType)
				resp, page := f.b.send(req)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %.300s", resp.StatusCode, visibleText(page))
				}
				if !strings.Contains(visibleText(page), bu.want) {
					t.Errorf("the page does not say %q: %.400s", bu.want, visibleText(page))
				}
				if h.dump() != before || storedFiles(t, blobs) != stored {
					t.Error("a refused upload stored something")
				}
			})
			checked++
		}
	}
	names := []struct{ what, sent, refused, shown string }{
		{"a Unix path out of the folder", "../../etc/passwd", msgNamePath, ""},
		{"a Windows path out of the folder", `..\..\win.ini`, msgNamePath, ""},
		{"nothing but dots", "...", msgNameEmpty, ""},
		{"a right-to-left override", "报告\u202efdp.exe", "", "报告fdp.exe.pdf"},
		{"zero-width characters", "报\u200b告.pdf", "", "报告.pdf"},
		{"a script tag", `"><img src=x onerror=alert(1)>.pdf`, "", `"><img src=x onerror=alert(1)>.pdf`},
	}
	project := fmt.Sprintf("/projects/%d", pid)
	for i, n := range names {
		t.Run("the materials form, a file name with "+n.what, func(t *testing.T) {
			staff.get(project)
			content := append(append([]byte{}, pdfFile...), fmt.Sprintf("%% form %d\n", i)...)
			body, ct := filenameForm(n.sent, content, "_csrf", staff.csrf, "kind", "other")
			before, stored := h.dump(), storedFiles(t, blobs)
			req := httptest.NewRequest(http.MethodPost, project+"/materials", bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			resp, page := staff.send(req)
			if n.refused != "" {
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="e-material-file"`) ||
					!strings.Contains(visibleText(page), n.refused) {
					t.Errorf("status %d, want 400 with %q beside the file: %.400s", resp.StatusCode, n.refused, visibleText(page))
				}
				if h.dump() != before || storedFiles(t, blobs) != stored {
					t.Error("a refused upload stored something")
				}
				return
			}
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("status %d, want 303: %.400s", resp.StatusCode, visibleText(page))
			}
			list, err := h.svc.Materials.Materials(t.Context(), h.users["staffa"].Actor(), pid)
			if err != nil || len(list) == 0 || list[0].Filename != n.shown {
				t.Fatalf("the newest material is not named %q: %v", n.shown, err)
			}
			_, page = staff.get(project)
			wantEscaped(t, page, n.shown)
		})
		checked++
	}
	return checked
}

package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/evaluation/files"
)

// Samples of each type, as small as the detector allows.
var (
	pdfSample  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	pngSample  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 32)...)
	jpegSample = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 32)...)
	htmlSample = []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
)

// zipOf builds a zip archive with the named (empty) entries.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		f, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte("<x/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDetect(t *testing.T) {
	docx := zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	xlsx := zipOf(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	plain := zipOf(t, "readme.txt", "data/a.csv")
	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"pdf", pdfSample, evaluation.TypePDF},
		{"png", pngSample, evaluation.TypePNG},
		{"jpeg", jpegSample, evaluation.TypeJPEG},
		{"docx", docx, evaluation.TypeDOCX},
		{"xlsx", xlsx, evaluation.TypeXLSX},
		{"plain zip", plain, evaluation.TypeZIP},
		{"word parts without [Content_Types].xml is a plain zip", zipOf(t, "word/document.xml"), evaluation.TypeZIP},
		{"html (renamed .pdf or not)", htmlSample, ""},
		{"html with leading space", append([]byte("  \n"), htmlSample...), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), ""},
		{"plain text", []byte("项目自评价报告\n"), ""},
		{"pdf signature not at the start", append([]byte("<html>"), pdfSample...), ""},
		{"zip signature with no directory", append([]byte("PK\x03\x04"), make([]byte, 100)...), ""},
		{"truncated zip", docx[:len(docx)-30], ""},
		{"executable", append([]byte("MZ\x90\x00"), make([]byte, 64)...), ""},
		{"gif is not allowed", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), ""},
		{"empty", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := files.Detect(bytes.NewReader(tc.content), int64(len(tc.content))); got != tc.want {
				t.Errorf("Detect = %q, want %q", got, tc.want)
			}
		})
	}
}

func hashOf(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// blobFiles lists the files under the store's folder, temporary ones
// included.
func blobFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		out = append(out, rel)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPutOpenDedupe(t *testing.T) {
	root := filepath.Join(t.TempDir(), "blobs")
	s, err := files.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	b, err := s.Put(ctx, bytes.NewReader(pdfSample), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := hashOf(pdfSample)
	if b.SHA256 != want || b.Size != int64(len(pdfSample)) || b.ContentType != evaluation.TypePDF || !b.Created {
		t.Errorf("Put = %+v, want hash %s, size %d, pdf, created", b, want, len(pdfSample))
	}
	wantPath := filepath.Join(want[:2], want[2:4], want)
	if got := blobFiles(t, root); len(got) != 1 || got[0] != wantPath {
		t.Errorf("files = %v, want [%s]", got, wantPath)
	}
	f, err := s.Open(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, pdfSample) {
		t.Errorf("Open returned different content")
	}
	// The same content again stores nothing new.
	b2, err := s.Put(ctx, bytes.NewReader(pdfSample), 1<<20)
	if err != nil || b2.SHA256 != want || b2.Created {
		t.Errorf("second Put = %+v, %v; want the same hash, not created", b2, err)
	}
	if got := blobFiles(t, root); len(got) != 1 {
		t.Errorf("after a duplicate Put: files = %v, want one", got)
	}
	// A stored blob is read-only.
	if info, err := os.Stat(filepath.Join(root, wantPath)); err != nil || info.Mode().Perm()&0o222 != 0 {
		t.Errorf("stored blob mode %v (%v), want read-only", info.Mode(), err)
	}
	// Hashes that are not 64 hex digits name nothing.
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("A", 64), want[:63], want + "0", "../" + want[3:]} {
		if _, err := s.Open(ctx, bad); !errors.Is(err, evaluation.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want not found", bad, err)
		}
	}
	if _, err := s.Open(ctx, hashOf([]byte("never stored"))); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a hash never stored = %v, want %v", err, fs.ErrNotExist)
	}
}

func TestPutRefuses(t *testing.T) {
	root := filepath.Join(t.TempDir(), "blobs")
	s, err := files.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	big := append(append([]byte{}, pdfSample...), bytes.Repeat([]byte("x"), 1000)...)
	cases := []struct {
		name  string
		r     io.Reader
		limit int64
		want  error
	}{
		{"html renamed .pdf", bytes.NewReader(htmlSample), 1 << 20, evaluation.ErrBlobType},
		{"over the limit", bytes.NewReader(big), int64(len(big) - 1), evaluation.ErrBlobTooLarge},
		{"reader fails midway", io.MultiReader(bytes.NewReader(pdfSample), failing{}), 1 << 20, errBroken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Put(ctx, tc.r, tc.limit)
			if !errors.Is(err, tc.want) {
				t.Errorf("Put error = %v, want %v", err, tc.want)
			}
			if got := blobFiles(t, root); len(got) != 0 {
				t.Errorf("a refused Put left files: %v", got)
			}
		})
	}
	// Exactly at the limit is accepted.
	b, err := s.Put(ctx, bytes.NewReader(big), int64(len(big)))
	if err != nil || !b.Created || b.Size != int64(len(big)) || b.SHA256 != hashOf(big) {
		t.Errorf("Put at the limit = %+v, %v; want %d bytes stored", b, err, len(big))
	}
	if got := blobFiles(t, root); len(got) != 1 {
		t.Errorf("after a Put at the limit: files = %v, want one", got)
	}
}

var errBroken = errors.New("connection reset")

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errBroken }

// TestCrashLeavesNoFinalName: a Put cut off midway (the process dies while
// writing) leaves at most a temporary file, never a file under a hash
// name; reopening the store removes stale temporary files.
func TestCrashLeavesNoFinalName(t *testing.T) {
	root := filepath.Join(t.TempDir(), "blobs")
	s, err := files.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	// A reader that blocks forever after the first bytes stands for a
	// client that stops sending; look at the folder while Put waits.
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := s.Put(t.Context(), pr, 1<<20)
		done <- err
	}()
	if _, err := pw.Write(pdfSample); err != nil {
		t.Fatal(err)
	}
	writing := blobFiles(t, root)
	if len(writing) == 0 {
		t.Errorf("while writing, no temporary file")
	}
	for _, f := range writing {
		if !strings.HasPrefix(f, "tmp"+string(filepath.Separator)) {
			t.Errorf("while writing, %s is outside tmp/", f)
		}
	}
	pw.CloseWithError(errBroken)
	if err := <-done; !errors.Is(err, errBroken) {
		t.Errorf("Put = %v, want the reader's error", err)
	}
	if got := blobFiles(t, root); len(got) != 0 {
		t.Errorf("files left: %v", got)
	}
	// A temporary file left by a crash long ago goes at the next Open.
	stale := filepath.Join(root, "tmp", "put-crashed")
	old := time.Now().Add(-2 * time.Hour)
	fresh := filepath.Join(root, "tmp", "put-running")
	for _, err := range []error{
		os.WriteFile(stale, pdfSample[:10], 0o600),
		os.Chtimes(stale, old, old),
		os.WriteFile(fresh, pdfSample[:10], 0o600),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := files.Open(root); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temporary file (maybe another upload's) was removed")
	}
}

func TestPutStopsWithContext(t *testing.T) {
	s, err := files.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Put(ctx, bytes.NewReader(pdfSample), 1<<20); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context = %v, want %v", err, context.Canceled)
	}
	if got := blobFiles(t, s.Root()); len(got) != 0 {
		t.Errorf("files left: %v", got)
	}
}

package evaluation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaterialKind is what an evaluation material (评价材料) is.
type MaterialKind string

// The kinds of material (evaluation/README.md §2.2).
const (
	MaterialSelfEvaluation MaterialKind = "self_evaluation" // 自评价报告
	MaterialSTReport       MaterialKind = "st_report"       // 科技报告
	MaterialFinalAccounts  MaterialKind = "final_accounts"  // 决算报告
	MaterialAuditReport    MaterialKind = "audit_report"    // 审计报告
	MaterialTestReport     MaterialKind = "test_report"     // 测试报告
	MaterialEvidence       MaterialKind = "evidence"        // 佐证材料
	MaterialOther          MaterialKind = "other"
)

// MaterialKinds lists the kinds.
var MaterialKinds = []MaterialKind{MaterialSelfEvaluation, MaterialSTReport, MaterialFinalAccounts, MaterialAuditReport,
	MaterialTestReport, MaterialEvidence, MaterialOther}

// Valid reports whether k is one of MaterialKinds.
func (k MaterialKind) Valid() bool {
	return slices.Contains(MaterialKinds, k)
}

// The content types a material may have, decided from the file's content,
// never from its name.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeZIP  = "application/zip"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// MaterialTypes maps each allowed content type to the file name extensions
// that go with it, the usual one first.
var MaterialTypes = map[string][]string{
	TypePDF:  {".pdf"},
	TypePNG:  {".png"},
	TypeJPEG: {".jpg", ".jpeg"},
	TypeZIP:  {".zip"},
	TypeDOCX: {".docx"},
	TypeXLSX: {".xlsx"},
}

// DefaultUploadLimit is the largest material file accepted unless the
// deployment sets another (WithUploadLimit): 50 MiB.
const DefaultUploadLimit = 50 << 20

// MaxFilenameLength is the most characters a material's file name keeps.
const MaxFilenameLength = 120

// Material is a file attached to a project. The file itself is a blob
// addressed by its SHA-256 and stored once however many materials use it;
// a material is one use of it, with the name it was uploaded under.
type Material struct {
	ID          int64        `json:"id"`
	ProjectID   int64        `json:"project_id"`
	AgencyID    int64        `json:"agency_id"`
	Kind        MaterialKind `json:"kind"`
	Filename    string       `json:"filename"`
	SHA256      string       `json:"sha256"`
	Size        int64        `json:"size"`
	ContentType string       `json:"content_type"`
	UploadedBy  int64        `json:"uploaded_by"`
	// UploadedByName is the uploader's username, for showing.
	UploadedByName string    `json:"uploaded_by_name,omitempty"`
	UploadedAt     time.Time `json:"uploaded_at"`
}

// Blob is a stored file as the blob store reports it.
type Blob struct {
	SHA256      string
	Size        int64
	ContentType string // one of MaterialTypes, detected from the content
	// Created is false when a blob with the same content was already
	// stored, so that nothing new was written.
	Created bool
}

// Blobs stores files by content. Put reads r to its end, refusing more
// than limit bytes (ErrBlobTooLarge) and content of a type outside
// MaterialTypes (ErrBlobType); a refused or failed Put leaves nothing
// behind. Putting content already stored stores nothing new. Open returns
// a stored blob.
type Blobs interface {
	Put(ctx context.Context, r io.Reader, limit int64) (Blob, error)
	Open(ctx context.Context, sha256 string) (io.ReadSeekCloser, error)
}

// The errors a Blobs implementation reports for refused content.
var (
	ErrBlobTooLarge = errors.New("blob over the size limit")
	ErrBlobType     = errors.New("blob of a type that is not allowed")
)

// CleanFilename returns the name a material is stored under: the last
// element of the name the client sent (a browser may send a whole path),
// without control or format characters (bidirectional overrides could
// disguise the extension), trimmed, at most MaxFilenameLength characters
// with the extension kept. A name with a ".." element is a path-traversal
// attempt and refused, as are names with nothing left. The name is only
// shown and offered on download: the file is addressed by its hash, so no
// name can reach the file system. The caller normalises to NFC first (the
// standard library has no normaliser; web does it).
func CleanFilename(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", FieldErrors{"file": "error.material_filename_invalid"}.Err()
	}
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' })
	for _, p := range parts {
		if strings.TrimSpace(p) == ".." {
			return "", FieldErrors{"file": "error.material_filename_path"}.Err()
		}
	}
	base := ""
	if len(parts) > 0 {
		base = parts[len(parts)-1]
	}
	base = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			return -1
		}
		return r
	}, base)
	base = strings.TrimSpace(base)
	if strings.Trim(base, ". ") == "" {
		return "", FieldErrors{"file": "error.material_filename_required"}.Err()
	}
	if utf8.RuneCountInString(base) > MaxFilenameLength {
		ext := path.Ext(base)
		if utf8.RuneCountInString(ext) > 16 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(base, ext))
		base = strings.TrimSpace(string(stem[:MaxFilenameLength-utf8.RuneCountInString(ext)])) + ext
	}
	return base, nil
}

// withExtension makes a name's extension agree with its content type, so
// that a downloaded file opens in the program its content is for: a PNG
// uploaded as "photo.pdf" is offered as "photo.pdf.png".
func withExtension(name, contentType string) string {
	exts := MaterialTypes[contentType]
	if len(exts) == 0 {
		return name
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return name
		}
	}
	if utf8.RuneCountInString(name)+len(exts[0]) > MaxFilenameLength {
		r := []rune(name)
		name = string(r[:MaxFilenameLength-len(exts[0])])
	}
	return name + exts[0]
}

// MaterialsOpen reports whether materials can be added to the campaign's
// projects: while it is set up, its panels form, and during scoring (test
// reports and other evidence of on-site work arrive then).
func MaterialsOpen(c *Campaign) bool {
	return c.State == CampaignDraft || c.State == CampaignForming || c.State == CampaignScoring
}

// MaterialsDeletable reports whether materials can be removed: only until
// scoring starts, since after that an expert may have read them.
func MaterialsDeletable(c *Campaign) bool { return ProjectsEditable(c) }

// SizeText writes a size in bytes the way people read it: 512 B, 1.5 KiB,
// 50 MiB.
func SizeText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + []string{"KiB", "MiB", "GiB", "TiB"}[i]
}

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

// The kinds of material of DESIGN.md §2 step 2.
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

// WithBlobs sets the store of material files. Without one, uploads and
// downloads fail with an internal error.
func WithBlobs(b Blobs) Option { return func(s *Service) { s.blobs = b } }

// WithUploadLimit sets the largest material file in bytes; zero or less
// keeps DefaultUploadLimit.
func WithUploadLimit(n int64) Option {
	return func(s *Service) {
		if n > 0 {
			s.uploadLimit = n
		}
	}
}

// HasBlobs reports whether the service can store files.
func (s *Service) HasBlobs() bool { return s.blobs != nil }

// UploadLimit is the largest material file the service accepts.
func (s *Service) UploadLimit() int64 {
	if s.uploadLimit <= 0 {
		return DefaultUploadLimit
	}
	return s.uploadLimit
}

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
func MaterialsDeletable(c *Campaign) bool { return projectsEditable(c) }

// projectAccess is what an actor may do with a project's materials and
// method records.
type projectAccess struct {
	project  *Project
	campaign *Campaign
	write    bool // agency staff of the project's agency
}

// projectAccess loads a project for its materials and method records.
// Agency staff of the project's agency may read and write; the commission
// and administrators read; an expert reads only the projects of a panel
// on which they hold an accepted seat, and only while no conflict of
// interest holds, checked again on every access. Everyone else is told the
// project does not exist.
func (s *Service) projectAccess(ctx context.Context, r Reader, actor Actor, projectID int64) (*projectAccess, error) {
	p, err := r.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	c, err := r.Campaign(ctx, p.CampaignID)
	if err != nil {
		return nil, err
	}
	switch actor.Role {
	case RoleAdmin, RoleCommission:
		return &projectAccess{project: p, campaign: c}, nil
	case RoleAgencyStaff:
		if actor.AgencyID == p.AgencyID {
			return &projectAccess{project: p, campaign: c, write: true}, nil
		}
	case RoleExpert:
		ok, err := s.expertMayRead(ctx, r, actor, p, c)
		if err != nil {
			return nil, err
		}
		if ok {
			return &projectAccess{project: p, campaign: c}, nil
		}
	}
	return nil, ErrNotFound
}

// expertMayRead reports whether an expert may read a project's materials
// now: they hold an accepted seat on the project's panel and the conflict
// rules (the same as when panels form) find no conflict with today's
// records: a conflict declared or recorded after accepting closes the
// materials again.
func (s *Service) expertMayRead(ctx context.Context, r Reader, actor Actor, p *Project, c *Campaign) (bool, error) {
	if actor.Role != RoleExpert || actor.ExpertID == 0 {
		return false, nil
	}
	panel, err := r.PanelOfProject(ctx, p.ID)
	if ErrorCode(err) == NotFound {
		return false, nil
	} else if err != nil {
		return false, err
	}
	seated := false
	for _, m := range panel.Members {
		if m.ExpertID == actor.ExpertID && m.Status == MemberAccepted {
			seated = true
		}
	}
	if !seated {
		return false, nil
	}
	conflicts, err := expertConflicts(ctx, r, c, actor.ExpertID, []*Project{p})
	if err != nil {
		return false, err
	}
	return len(conflicts) == 0, nil
}

// poolExpert loads one expert with their conflict records.
func poolExpert(ctx context.Context, r Reader, id int64) (*PoolExpert, error) {
	e, err := r.Expert(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load expert %d: %w", id, err)
	}
	pe := &PoolExpert{Expert: *e}
	if pe.Declared, err = r.ExpertConflicts(ctx, id); err != nil {
		return nil, err
	}
	if pe.Collaborations, err = r.ExpertCollaborations(ctx, id); err != nil {
		return nil, err
	}
	return pe, nil
}

// MaterialsProject returns the summary of a project whose materials the
// actor may read: code, title, class, lead institution and methods, what
// an expert's invitation shows as well.
func (s *Service) MaterialsProject(ctx context.Context, actor Actor, projectID int64) (*Project, error) {
	acc, err := s.projectAccess(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	p := acc.project
	return &Project{ID: p.ID, CampaignID: p.CampaignID, AgencyID: p.AgencyID, Code: p.Code, Title: p.Title, Class: p.Class,
		Lead: p.Lead, Methods: p.Methods}, nil
}

// Materials lists a project's materials, newest first.
func (s *Service) Materials(ctx context.Context, actor Actor, projectID int64) ([]*Material, error) {
	if _, err := s.projectAccess(ctx, s.store, actor, projectID); err != nil {
		return nil, err
	}
	return s.store.Materials(ctx, projectID)
}

// Material returns one material, if the actor may read its project's.
func (s *Service) Material(ctx context.Context, actor Actor, id int64) (*Material, error) {
	m, err := s.store.Material(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.projectAccess(ctx, s.store, actor, m.ProjectID); err != nil {
		return nil, err
	}
	return m, nil
}

// OpenMaterial returns a material and its content, which the caller closes.
func (s *Service) OpenMaterial(ctx context.Context, actor Actor, id int64) (*Material, io.ReadSeekCloser, error) {
	m, err := s.Material(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if s.blobs == nil {
		return nil, nil, errors.New("no blob store configured")
	}
	f, err := s.blobs.Open(ctx, m.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("material %d: %w", id, err)
	}
	return m, f, nil
}

// NewMaterial is an upload: the kind, the name the client gave the file,
// and its content (nil when the request had no file).
type NewMaterial struct {
	Kind     MaterialKind
	Filename string
	Content  io.Reader
}

// UploadMaterial stores a file and adds it to a project's materials. The
// type is decided from the content (MaterialTypes) and the size is capped
// (UploadLimit); the file is stored once however often it is uploaded, but
// the same content twice in one project is refused as a duplicate, naming
// the material that has it. Nothing is stored when the upload is refused
// for its size or type; a file stored before a later refusal (a duplicate,
// or a state change in between) is content that was stored already or is
// left unreferenced, never half written.
func (s *Service) UploadMaterial(ctx context.Context, actor Actor, projectID int64, in NewMaterial) (*Material, error) {
	acc, err := s.projectAccess(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	if !acc.write {
		return nil, ErrForbidden
	}
	f := FieldErrors{}
	if !in.Kind.Valid() {
		f.Add("kind", "error.material_kind")
	}
	name, nameErr := CleanFilename(in.Filename)
	if e := ErrorAs(nameErr); e != nil {
		for k, v := range e.Fields {
			f.Add(k, v)
		}
	}
	if in.Content == nil {
		f["file"] = "error.material_file_required"
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !MaterialsOpen(acc.campaign) {
		return nil, Errorf(Conflict, "error.materials_locked")
	}
	if s.blobs == nil {
		return nil, errors.New("no blob store configured")
	}
	limit := s.UploadLimit()
	blob, err := s.blobs.Put(ctx, in.Content, limit)
	switch {
	case errors.Is(err, ErrBlobTooLarge):
		return nil, &Error{Code: Invalid, Message: "error.invalid_input", Fields: map[string]string{"file": "error.material_too_large"},
			Args: map[string]map[string]any{"file": {"Max": SizeText(limit)}}, Err: err}
	case errors.Is(err, ErrBlobType):
		return nil, &Error{Code: Invalid, Message: "error.invalid_input", Fields: map[string]string{"file": "error.material_file_type"}, Err: err}
	case err != nil:
		return nil, fmt.Errorf("store material: %w", err)
	}
	if _, ok := MaterialTypes[blob.ContentType]; !ok {
		return nil, fmt.Errorf("blob store detected %q, which is not an allowed type", blob.ContentType)
	}
	m := &Material{ProjectID: projectID, Kind: in.Kind, Filename: withExtension(name, blob.ContentType), SHA256: blob.SHA256,
		Size: blob.Size, ContentType: blob.ContentType, UploadedBy: actor.UserID}
	err = s.store.InTx(ctx, func(tx Tx) error {
		acc, err := s.projectAccess(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if !acc.write {
			return ErrForbidden
		}
		if !MaterialsOpen(acc.campaign) {
			return Errorf(Conflict, "error.materials_locked")
		}
		if dup, err := tx.MaterialBySHA256(ctx, projectID, blob.SHA256); err == nil {
			return &Error{Code: Conflict, Message: "error.already_exists", Fields: map[string]string{"file": "error.material_duplicate"},
				Args: map[string]map[string]any{"file": {"Name": dup.Filename}}}
		} else if ErrorCode(err) != NotFound {
			return err
		}
		m.AgencyID, m.UploadedAt = acc.project.AgencyID, s.now()
		if err := tx.CreateMaterial(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "material.upload", ObjectType: "material", ObjectID: idString(m.ID),
			AgencyID: m.AgencyID, Details: map[string]any{"project": projectID, "kind": m.Kind, "filename": m.Filename,
				"sha256": m.SHA256, "size": m.Size, "content_type": m.ContentType, "new_blob": blob.Created}})
	})
	if err != nil {
		return nil, err
	}
	return s.store.Material(ctx, m.ID)
}

// DeleteMaterial removes a material from its project. The blob stays: it
// may be used by another material, and an unreferenced blob is harmless.
func (s *Service) DeleteMaterial(ctx context.Context, actor Actor, id int64) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		m, err := tx.Material(ctx, id)
		if err != nil {
			return err
		}
		acc, err := s.projectAccess(ctx, tx, actor, m.ProjectID)
		if err != nil {
			return err
		}
		if !acc.write {
			return ErrForbidden
		}
		if !MaterialsDeletable(acc.campaign) {
			return Errorf(Conflict, "error.materials_locked")
		}
		if err := tx.DeleteMaterial(ctx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "material.delete", ObjectType: "material", ObjectID: idString(id),
			AgencyID: m.AgencyID, Details: map[string]any{"project": m.ProjectID, "kind": m.Kind, "filename": m.Filename, "sha256": m.SHA256}})
	})
}

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

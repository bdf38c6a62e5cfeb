package evaluation

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// MaterialService keeps a project's evaluation materials (files, stored by
// content) and its method records (inspection, tests, demonstration), and
// decides who may read them.
type MaterialService struct {
	*core
	store       materialStore
	blobs       Blobs
	uploadLimit int64
}

func (s *MaterialService) inTx(ctx context.Context, fn func(tx materialTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// HasBlobs reports whether the service can store files.
func (s *MaterialService) HasBlobs() bool { return s.blobs != nil }

// UploadLimit is the largest material file the service accepts.
func (s *MaterialService) UploadLimit() int64 { return s.uploadLimit }

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
func (s *MaterialService) projectAccess(ctx context.Context, r materialStore, actor Actor, projectID int64) (*projectAccess, error) {
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
		if CanManageCampaign(actor, c) {
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
func (s *MaterialService) expertMayRead(ctx context.Context, r materialStore, actor Actor, p *Project, c *Campaign) (bool, error) {
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
	if err != nil || len(conflicts) > 0 {
		return false, err
	}
	// The pledge and the declaration come before any material.
	for _, err := range []error{
		func() error { _, err := r.Pledge(ctx, c.ID, actor.ExpertID); return err }(),
		func() error { _, err := r.Declared(ctx, p.ID, actor.ExpertID); return err }(),
	} {
		switch ErrorCode(err) {
		case "":
		case NotFound:
			return false, nil
		default:
			return false, err
		}
	}
	return true, nil
}

// poolExpert loads one expert with their conflict records.
func poolExpert(ctx context.Context, r conflictReader, id int64) (*PoolExpert, error) {
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
func (s *MaterialService) MaterialsProject(ctx context.Context, actor Actor, projectID int64) (*Project, error) {
	acc, err := s.projectAccess(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	p := acc.project
	return &Project{ID: p.ID, CampaignID: p.CampaignID, AgencyID: p.AgencyID, Code: p.Code, Title: p.Title, Class: p.Class,
		Lead: p.Lead, Methods: p.Methods}, nil
}

// Materials lists a project's materials, newest first.
func (s *MaterialService) Materials(ctx context.Context, actor Actor, projectID int64) ([]*Material, error) {
	if _, err := s.projectAccess(ctx, s.store, actor, projectID); err != nil {
		return nil, err
	}
	return s.store.Materials(ctx, projectID)
}

// Material returns one material, if the actor may read its project's.
func (s *MaterialService) Material(ctx context.Context, actor Actor, id int64) (*Material, error) {
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
func (s *MaterialService) OpenMaterial(ctx context.Context, actor Actor, id int64) (*Material, io.ReadSeekCloser, error) {
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
	// Incomplete marks an upload that arrived but could not be read as a
	// form (cut short, or its parts not where its boundary says): it is
	// refused beside the file as one to send again, not as a file never
	// chosen, after the access checks like any other refusal.
	Incomplete bool
}

// UploadMaterial stores a file and adds it to a project's materials. The
// type is decided from the content (MaterialTypes) and the size is capped
// (UploadLimit); the file is stored once however often it is uploaded, but
// the same content twice in one project is refused as a duplicate, naming
// the material that has it. Nothing is stored when the upload is refused
// for its size or type; a file stored before a later refusal (a duplicate,
// or a state change in between) is content that was stored already or is
// left unreferenced, never half written.
func (s *MaterialService) UploadMaterial(ctx context.Context, actor Actor, projectID int64, in NewMaterial) (*Material, error) {
	acc, err := s.projectAccess(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	if !acc.write {
		return nil, ErrForbidden
	}
	if in.Incomplete {
		return nil, FieldErrors{"file": "error.upload_incomplete"}.Err()
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
	err = s.inTx(ctx, func(tx materialTx) error {
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
func (s *MaterialService) DeleteMaterial(ctx context.Context, actor Actor, id int64) error {
	return s.inTx(ctx, func(tx materialTx) error {
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

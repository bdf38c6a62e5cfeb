package evaluation

import (
	"context"
	"strings"
	"unicode/utf8"
)

// ImportFile describes a spreadsheet imported in bulk (批量导入), for the
// audit log: which file brought the records in.
type ImportFile struct {
	Name   string // the file name as uploaded
	Format string // "xlsx" or "csv"
	SHA256 string // hex SHA-256 of the file's bytes (of each file, joined, for several)
}

// MaxImportRows is the largest number of records one import may bring in.
const MaxImportRows = 2000

func (f ImportFile) details(d map[string]any) map[string]any {
	name := strings.TrimSpace(f.Name)
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	d["file"], d["format"], d["sha256"] = name, f.Format, f.SHA256
	return d
}

// CheckProjectImport reports every problem that would stop ImportProjects,
// without storing anything: each project's rules, codes given twice in the
// list, and codes the campaign already has (fields "projects.N.…"), so
// that a file's problems are listed at once rather than one kind at a
// time. It refuses, as ImportProjects does, a campaign whose projects can
// no longer change.
func (s *CampaignService) CheckProjectImport(ctx context.Context, actor Actor, campaignID int64, list []*Project) error {
	c, err := loadCampaign(ctx, s.store, actor, campaignID)
	if err != nil {
		return err
	}
	if !CanManageCampaign(actor, c) {
		return ErrForbidden
	}
	if !ProjectsEditable(c) {
		return Errorf(Conflict, "error.projects_locked")
	}
	if len(list) > MaxImportRows {
		return Errorf(Invalid, "error.import_too_many")
	}
	problems := checkProjects(list)
	seen := map[string]bool{}
	for i, p := range list {
		if p.Code == "" || seen[p.Code] {
			continue
		}
		seen[p.Code] = true
		if _, err := s.store.ProjectByCode(ctx, c.ID, p.Code); err == nil {
			problems.Add(prefixField(i, "code"), "error.project_code_taken")
		} else if ErrorCode(err) != NotFound {
			return err
		}
	}
	return problems.Err()
}

// ImportProjects adds the projects of an imported file to a campaign, all or
// none, by the rules of CreateProjects (field errors "projects.N.…"), and
// records the import itself ("project.import", with the file and the counts)
// in the audit log, in the same transaction as the projects and their own
// "project.create" entries.
func (s *CampaignService) ImportProjects(ctx context.Context, actor Actor, campaignID int64, list []*Project, file ImportFile) error {
	switch {
	case len(list) == 0:
		return Errorf(Invalid, "error.import_empty")
	case len(list) > MaxImportRows:
		return Errorf(Invalid, "error.import_too_many")
	}
	return s.inTx(ctx, func(tx campaignTx) error {
		c, err := s.createProjects(ctx, tx, actor, campaignID, list)
		if err != nil {
			return err
		}
		indicators := 0
		for _, p := range list {
			indicators += len(p.Indicators)
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.import", ObjectType: "campaign",
			ObjectID: idString(c.ID), AgencyID: c.AgencyID,
			Details: file.details(map[string]any{"projects": len(list), "indicators": indicators})})
	})
}

package evaluation

import "context"

// Project returns a project with its indicators, if the actor may see its
// campaign.
func (s *CampaignService) Project(ctx context.Context, actor Actor, id int64) (*Project, error) {
	p, err := s.store.Project(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := loadCampaign(ctx, s.store, actor, p.CampaignID); err != nil {
		return nil, err
	}
	return p, nil
}

// Projects lists a campaign's projects.
func (s *CampaignService) Projects(ctx context.Context, actor Actor, f ProjectFilter) ([]*Project, int, error) {
	c, err := loadCampaign(ctx, s.store, actor, f.CampaignID)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.AgencyID = c.AgencyID
	f.Page = f.Page.Normalize()
	return s.store.Projects(ctx, f)
}

// editableCampaign loads a campaign for a change to its projects.
func (s *CampaignService) editableCampaign(ctx context.Context, tx campaignTx, actor Actor, id int64) (*Campaign, error) {
	c, err := loadCampaign(ctx, tx, actor, id)
	if err != nil {
		return nil, err
	}
	if !CanManageCampaign(actor, c) {
		return nil, ErrForbidden
	}
	if !ProjectsEditable(c) {
		return nil, Errorf(Conflict, "error.projects_locked")
	}
	return c, nil
}

// CreateProjects adds projects to a campaign, all or none: if any project
// is invalid or its code is taken, nothing is stored and the error names
// every problem (fields prefixed "projects.N.").
func (s *CampaignService) CreateProjects(ctx context.Context, actor Actor, campaignID int64, list []*Project) error {
	return s.inTx(ctx, func(tx campaignTx) error {
		_, err := s.createProjects(ctx, tx, actor, campaignID, list)
		return err
	})
}

// checkProjects normalises and validates a batch on its own, and returns
// the problems of each project and of codes that appear twice in it
// (fields "projects.N.…").
func checkProjects(list []*Project) FieldErrors {
	problems := FieldErrors{}
	codes := map[string]int{}
	for i, p := range list {
		clearTestResults(p)
		p.Normalize()
		if e := ErrorAs(p.Validate()); e != nil {
			for field, msg := range e.Fields {
				problems.Add(prefixField(i, field), msg)
			}
		}
		if _, dup := codes[p.Code]; dup && p.Code != "" {
			problems.Add(prefixField(i, "code"), "error.duplicate_in_file")
		}
		codes[p.Code] = i
	}
	return problems
}

// createProjects stores a checked batch in the transaction, refusing it as
// a whole when a code is already in the campaign.
func (s *CampaignService) createProjects(ctx context.Context, tx campaignTx, actor Actor, campaignID int64, list []*Project) (*Campaign, error) {
	// Who may change the campaign first: another agency's staff learn
	// nothing from how their list would have been refused.
	c, err := s.editableCampaign(ctx, tx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	if err := checkProjects(list).Err(); err != nil {
		return nil, err
	}
	problems := FieldErrors{}
	now := s.now()
	for i, p := range list {
		if _, err := tx.ProjectByCode(ctx, c.ID, p.Code); err == nil {
			problems.Add(prefixField(i, "code"), "error.already_exists")
			continue
		} else if ErrorCode(err) != NotFound {
			return nil, err
		}
		p.ID, p.CampaignID, p.AgencyID, p.CreatedAt, p.UpdatedAt = 0, c.ID, c.AgencyID, now, now
		if err := tx.CreateProject(ctx, p); err != nil {
			return nil, err
		}
		if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.create", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: c.AgencyID, Details: map[string]any{"campaign": c.ID, "code": p.Code}}); err != nil {
			return nil, err
		}
	}
	// Codes already in the campaign are a conflict with stored data.
	if e := ErrorAs(problems.Err()); e != nil {
		e.Code, e.Message = Conflict, "error.already_exists"
		return nil, e
	}
	return c, nil
}

func prefixField(i int, field string) string {
	return "projects." + idString(int64(i)) + "." + field
}

// CreateProject adds one project.
func (s *CampaignService) CreateProject(ctx context.Context, actor Actor, campaignID int64, p *Project) (*Project, error) {
	if err := s.CreateProjects(ctx, actor, campaignID, []*Project{p}); err != nil {
		return nil, unprefix(err)
	}
	return s.Project(ctx, actor, p.ID)
}

// unprefix drops the "projects.0." of a one-project batch's field errors.
func unprefix(err error) error {
	e := ErrorAs(err)
	if e == nil || len(e.Fields) == 0 {
		return err
	}
	fields := FieldErrors{}
	for k, v := range e.Fields {
		if len(k) > len("projects.0.") && k[:len("projects.0.")] == "projects.0." {
			k = k[len("projects.0."):]
		}
		fields[k] = v
	}
	return &Error{Code: e.Code, Message: e.Message, Fields: fields, Err: e.Err}
}

// clearTestResults drops statuses a client claims come from an on-site
// test: only test records set those.
func clearTestResults(p *Project) {
	for i := range p.Indicators {
		if p.Indicators[i].StatusFrom == "test" {
			p.Indicators[i].StatusFrom, p.Indicators[i].Status = "", ""
		}
	}
}

// UpdateProject replaces a project's fields and indicators. An indicator
// whose status came from an on-site test keeps it.
func (s *CampaignService) UpdateProject(ctx context.Context, actor Actor, id int64, p *Project) (*Project, error) {
	clearTestResults(p)
	err := s.inTx(ctx, func(tx campaignTx) error {
		old, err := tx.Project(ctx, id)
		if err != nil {
			return err
		}
		c, err := s.editableCampaign(ctx, tx, actor, old.CampaignID)
		if err != nil {
			return err
		}
		// Indicators keep their ids (method records refer to them) only
		// if they belong to this project, and their tested status.
		stored := map[int64]Indicator{}
		for _, in := range old.Indicators {
			stored[in.ID] = in
		}
		for i := range p.Indicators {
			in := &p.Indicators[i]
			o, ok := stored[in.ID]
			switch {
			case !ok:
				in.ID = 0
			case o.StatusFrom == "test":
				in.Status, in.StatusFrom = o.Status, o.StatusFrom
			}
		}
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
		switch other, err := tx.ProjectByCode(ctx, c.ID, p.Code); {
		case err == nil && other.ID != id:
			return FieldErrors{"code": "error.already_exists"}.Err()
		case err != nil && ErrorCode(err) != NotFound:
			return err
		}
		p.ID, p.CampaignID, p.AgencyID, p.CreatedAt, p.UpdatedAt = id, old.CampaignID, old.AgencyID, old.CreatedAt, s.now()
		if err := tx.UpdateProject(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.update", ObjectType: "project", ObjectID: idString(id),
			AgencyID: c.AgencyID, Details: map[string]any{"code": p.Code}})
	})
	if err != nil {
		return nil, err
	}
	return s.Project(ctx, actor, id)
}

// DeleteProject removes a project that is not on a panel yet.
func (s *CampaignService) DeleteProject(ctx context.Context, actor Actor, id int64) error {
	return s.inTx(ctx, func(tx campaignTx) error {
		p, err := tx.Project(ctx, id)
		if err != nil {
			return err
		}
		c, err := s.editableCampaign(ctx, tx, actor, p.CampaignID)
		if err != nil {
			return err
		}
		if err := tx.DeleteProject(ctx, id); err != nil {
			if ErrorCode(err) == Invalid {
				return Errorf(Conflict, "error.project_in_use")
			}
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.delete", ObjectType: "project", ObjectID: idString(id),
			AgencyID: c.AgencyID, Details: map[string]any{"code": p.Code}})
	})
}

package evaluation

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/evaluation/aggregate"
	"github.com/evalpanel/evalpanel/rubrics"
)

// dueDay reads a last day, YYYY-MM-DD in Beijing and not past, adding its
// problems to f under "due"; "" is the day def.
func dueDay(f FieldErrors, due string, def, now time.Time) string {
	due = strings.TrimSpace(due)
	if due == "" {
		return def.Format(time.DateOnly)
	}
	if _, err := time.ParseInLocation(time.DateOnly, due, Beijing); err != nil {
		f.Add("due", "error.date_format")
	} else if PastDue(due, now) {
		f.Add("due", "error.date_past")
	}
	return due
}

func (s *ResultService) inRevisionTx(ctx context.Context, fn func(tx revisionTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// Revisions lists a project's revision rounds, oldest first, for the
// agency's staff, the commission and administrators.
func (s *ResultService) Revisions(ctx context.Context, actor Actor, projectID int64) ([]*Revision, error) {
	if actor.Role == RoleExpert {
		return nil, ErrNotFound
	}
	p, err := s.store.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if _, err := loadCampaign(ctx, s.store, actor, p.CampaignID); err != nil {
		return nil, err
	}
	return s.reports.Revisions(ctx, projectID)
}

// OpenRevision sends a project's technical sheets back to its panel, with
// the note every member reads on their sheet and by e-mail, to revise by
// due (YYYY-MM-DD in Beijing; "" for RevisionDays from today); only the
// agency's staff may. Each submitted technical sheet is reopened for a new
// round (the submitted one stays in its history), and each member's last
// day becomes due at the earliest.
//
// A discussion is for a divergent project while the campaign scores or
// concludes: every technical sheet in, no conclusion recorded, and no
// opinion circulated (the chair takes it back first; a locked opinion is
// the panel's signed word). A re-evaluation is for a project granted its
// rectification, once, while the campaign concludes; the re-evaluation's
// conclusion waits for the revised sheets.
func (s *ResultService) OpenRevision(ctx context.Context, actor Actor, projectID int64, kind RevisionKind, note, due string) (*Revision, error) {
	note = strings.TrimSpace(note)
	f := FieldErrors{}
	if !kind.Valid() {
		f.Add("kind", "error.revision_kind")
	}
	reasonProblem(f, "note", note)
	due = dueDay(f, due, s.now().In(Beijing).AddDate(0, 0, RevisionDays), s.now())
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Revision
	err := s.inRevisionTx(ctx, func(tx revisionTx) error {
		p, c, err := managedProject(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		panel, err := tx.Panel(ctx, p.PanelID)
		if err != nil {
			return err
		}
		sheets, err := tx.ProjectSheets(ctx, projectID)
		if err != nil {
			return err
		}
		// The seated technical members' sheets, nil where one is missing.
		seats := panel.Seated(SeatTechnical)
		technical := make([]*Sheet, len(seats))
		for i, m := range seats {
			for _, sh := range sheets {
				if sh.ExpertID == m.ExpertID {
					technical[i] = sh
				}
			}
		}
		list, err := tx.Revisions(ctx, projectID)
		if err != nil {
			return err
		}
		if err := s.checkRevision(ctx, tx, c, p, kind, technical, list); err != nil {
			return err
		}
		now := s.now()
		r := &Revision{ProjectID: p.ID, CampaignID: c.ID, AgencyID: p.AgencyID, Seq: len(list) + 1, Kind: kind,
			Note: note, Due: due, OpenedBy: actor.UserID, OpenedByName: actor.DisplayName(), OpenedAt: now}
		if err := s.reopenForRevision(ctx, tx, c, p, r, technical); err != nil {
			return err
		}
		if err := tx.AddRevision(ctx, r); err != nil {
			return err
		}
		out = r
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.revision", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"kind": string(kind), "seq": r.Seq,
				"note": note, "due": due, "sheets": r.Sheets}})
	})
	return out, err
}

// checkRevision holds the rules of opening a revision round of the kind
// on the project's technical sheets, after the rounds opened before.
func (s *ResultService) checkRevision(ctx context.Context, tx revisionTx, c *Campaign, p *Project, kind RevisionKind,
	technical []*Sheet, opened []*Revision) error {
	submitted := 0
	for _, sh := range technical {
		if sh != nil && sh.Status == SheetSubmitted {
			submitted++
		}
	}
	conclusions, err := tx.Conclusions(ctx, p.ID)
	if err != nil {
		return err
	}
	rect, err := tx.Rectification(ctx, p.ID)
	if err != nil && ErrorCode(err) != NotFound {
		return err
	}
	switch kind {
	case RevisionDiscussion:
		if c.State != CampaignScoring && c.State != CampaignConcluding {
			return Errorf(Conflict, "error.revision_closed")
		}
		if len(conclusions) > 0 || rect != nil {
			return Errorf(Conflict, "error.revision_concluded")
		}
		if submitted == 0 || submitted < len(technical) {
			return Errorf(Conflict, "error.revision_sheets_pending")
		}
		switch o, err := loadOpinion(ctx, tx, p.ID); {
		case err != nil:
			return err
		case o != nil && o.Status == OpinionLocked:
			return Errorf(Conflict, "error.opinion_locked")
		case o != nil && o.Status != OpinionDraft:
			return Errorf(Conflict, "error.opinion_circulated")
		}
		// Divergence is the technical totals' alone: neither the finance
		// track nor the vetoes play a part.
		res, _, err := projectOfficial(ctx, tx, c, p, technical, nil)
		if err != nil {
			return err
		}
		if !res.Divergence.Divergent {
			return Errorf(Conflict, "error.revision_not_divergent")
		}
	case RevisionReevaluation:
		if c.State != CampaignConcluding {
			return Errorf(Conflict, "error.conclusions_closed")
		}
		if rect == nil {
			return Errorf(Conflict, "error.reevaluation_no_rectification")
		}
		if n := len(conclusions); n > 0 && conclusions[n-1].Round == 2 {
			return Errorf(Conflict, "error.revision_concluded")
		}
		if slices.ContainsFunc(opened, func(r *Revision) bool { return r.Kind == RevisionReevaluation }) {
			return Errorf(Conflict, "error.reevaluation_once")
		}
		if submitted == 0 || submitted < len(technical) {
			return Errorf(Conflict, "error.revision_sheets_pending")
		}
	}
	return nil
}

// reopenForRevision reopens the submitted technical sheets for the round
// r, moves each member's last day to r.Due at the earliest, and tells each
// member by e-mail.
func (s *core) reopenForRevision(ctx context.Context, tx revisionTx, c *Campaign, p *Project, r *Revision, technical []*Sheet) error {
	panels := map[int64]*Panel{}
	for _, sh := range technical {
		if sh == nil || sh.Status != SheetSubmitted {
			continue
		}
		sh.Status, sh.Round, sh.Version, sh.ReopenReason, sh.UpdatedAt = SheetReopened, sh.Round+1, sh.Version+1, r.Note, r.OpenedAt
		if err := tx.UpdateSheet(ctx, sh); err != nil {
			return err
		}
		r.Sheets++
		panel, ok := panels[sh.PanelID]
		if !ok {
			var err error
			if panel, err = tx.Panel(ctx, sh.PanelID); err != nil {
				return err
			}
			panels[sh.PanelID] = panel
		}
		if m, ok := panel.MemberOf(sh.ExpertID); ok && ScoringDue(c, m) < r.Due {
			m.Due = r.Due
			if err := tx.UpdatePanelMember(ctx, m); err != nil {
				return err
			}
		}
		if _, err := s.notifyExpert(ctx, tx, sh.ExpertID, Notice{Kind: KindReopen, ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Key: fmt.Sprintf("revision:%d:%d:%d", p.ID, r.Seq, sh.ExpertID),
			Data: ReopenData{Campaign: c.Name, Project: ProjectRef{Code: p.Code, Title: p.Title}, Reason: r.Note, Due: r.Due}}); err != nil {
			return err
		}
	}
	return nil
}

// projectOfficial computes a project's official result from the sheets
// given (only the submitted ones count) and the veto confirmations,
// against the campaign's pinned rubrics and settings; it returns the
// rubrics too, by the project's class and "finance".
func projectOfficial(ctx context.Context, r rubricReader, c *Campaign, p *Project, sheets []*Sheet,
	confirmed []*VetoConfirmation) (aggregate.Result, map[string]*rubrics.Rubric, error) {
	rbs := map[string]*rubrics.Rubric{}
	for _, key := range []string{string(p.Class), "finance"} {
		rb, err := pinnedRubric(ctx, r, c, key)
		if err != nil {
			return aggregate.Result{}, nil, err
		}
		rbs[key] = rb
	}
	var in []*Sheet
	for _, sh := range sheets {
		if sh != nil && sh.Status == SheetSubmitted {
			in = append(in, sh)
		}
	}
	ap := aggregateProject(p, in, confirmed)
	res, err := aggregate.Official(&ap, aggregate.Rubrics{Technical: rbs[string(p.Class)], Finance: rbs["finance"]},
		aggregationSettings(c))
	if err != nil {
		return aggregate.Result{}, nil, fmt.Errorf("aggregate project %d: %w", p.ID, err)
	}
	return res, rbs, nil
}

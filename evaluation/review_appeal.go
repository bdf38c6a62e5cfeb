package evaluation

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxAppellant is the longest name of an appellant.
const MaxAppellant = 200

// AppealInput is an appeal as it is recorded.
type AppealInput struct {
	Reason    AppealReason
	Appellant string
	Text      string
}

func (s *ReviewService) inAppealTx(ctx context.Context, fn func(tx appealTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// Appeals lists a campaign's appeals, oldest first, for the agency's
// staff, the commission and administrators.
func (s *ReviewService) Appeals(ctx context.Context, actor Actor, campaignID int64) ([]*Appeal, error) {
	if actor.Role == RoleExpert {
		return nil, ErrNotFound
	}
	if _, err := loadCampaign(ctx, s.store, actor, campaignID); err != nil {
		return nil, err
	}
	return s.store.Appeals(ctx, campaignID)
}

// appealedProject loads a project of a published campaign for the
// recording or the settling of an appeal: the commission, or the
// campaign's own agency staff when staff is true.
func appealedProject(ctx context.Context, tx appealTx, actor Actor, projectID int64, staff bool) (*Project, *Campaign, error) {
	if actor.Role == RoleExpert {
		return nil, nil, ErrNotFound
	}
	p, err := tx.Project(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	c, err := loadCampaign(ctx, tx, actor, p.CampaignID)
	if err != nil {
		return nil, nil, err
	}
	if actor.Role != RoleCommission && !(staff && CanManageCampaign(actor, c)) {
		return nil, nil, ErrForbidden
	}
	if c.State != CampaignPublished {
		return nil, nil, Errorf(Conflict, "error.appeals_closed")
	}
	return p, c, nil
}

// FileAppeal records an appeal (申诉) against a project's conclusion during
// its campaign's publicity; the agency's staff or the commission record it
// for the appellant. An appeal that disputes only the experts' academic
// judgement is recorded as inadmissible at once (the rule); an admissible
// one waits for the commission, and a project has one open at a time.
func (s *ReviewService) FileAppeal(ctx context.Context, actor Actor, projectID int64, in AppealInput) (*Appeal, error) {
	in.Appellant, in.Text = strings.TrimSpace(in.Appellant), strings.TrimSpace(in.Text)
	f := FieldErrors{}
	if !in.Reason.Valid() {
		f.Add("reason", "error.appeal_reason")
	}
	switch {
	case in.Appellant == "":
		f.Add("appellant", "error.required")
	case utf8.RuneCountInString(in.Appellant) > MaxAppellant:
		f.Add("appellant", "error.too_long")
	}
	reasonProblem(f, "text", in.Text)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Appeal
	err := s.inAppealTx(ctx, func(tx appealTx) error {
		p, c, err := appealedProject(ctx, tx, actor, projectID, true)
		if err != nil {
			return err
		}
		pub, err := tx.Publicity(ctx, c.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if PastDue(pub.Ends, now) {
			return &Error{Code: Conflict, Message: "error.publicity_over", Args: map[string]map[string]any{"": {"Ends": pub.Ends}}}
		}
		list, err := tx.Appeals(ctx, c.ID)
		if err != nil {
			return err
		}
		if in.Reason.Admissible() && slices.ContainsFunc(list, func(a *Appeal) bool { return a.ProjectID == p.ID && a.Status.Open() }) {
			return Errorf(Conflict, "error.appeal_open")
		}
		conclusions, err := tx.Conclusions(ctx, p.ID)
		if err != nil {
			return err
		}
		a := &Appeal{CampaignID: c.ID, ProjectID: p.ID, AgencyID: p.AgencyID, Code: p.Code, Title: p.Title,
			Reason: in.Reason, Appellant: in.Appellant, Text: in.Text, Status: AppealFiled,
			FiledBy: actor.UserID, FiledByName: actor.DisplayName(), FiledAt: now}
		if n := len(conclusions); n > 0 {
			a.Before = conclusions[n-1].Conclusion
		}
		if !in.Reason.Admissible() {
			a.Status, a.ResolvedAt = AppealInadmissible, now
		}
		if err := tx.AddAppeal(ctx, a); err != nil {
			return err
		}
		out = a
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.appeal", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"appeal": a.ID, "reason": string(a.Reason),
				"appellant": a.Appellant, "text": a.Text, "status": string(a.Status)}})
	})
	return out, err
}

// openAppeal loads the project's appeal for the commission to settle, in
// the status given.
func openAppeal(ctx context.Context, tx appealTx, actor Actor, projectID, appealID int64, status AppealStatus) (*Appeal, *Project, *Campaign, error) {
	p, c, err := appealedProject(ctx, tx, actor, projectID, false)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := tx.Appeal(ctx, appealID)
	if err != nil {
		return nil, nil, nil, err
	}
	if a.ProjectID != p.ID {
		return nil, nil, nil, ErrNotFound
	}
	if a.Status != status {
		return nil, nil, nil, Errorf(Conflict, "error.appeal_settled")
	}
	return a, p, c, nil
}

// RejectAppeal rejects an admissible appeal with the commission's reason,
// which the appellant is told; only the commission may.
func (s *ReviewService) RejectAppeal(ctx context.Context, actor Actor, projectID, appealID int64, reason string) (*Appeal, error) {
	reason = strings.TrimSpace(reason)
	f := FieldErrors{}
	reasonProblem(f, "reason", reason)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Appeal
	err := s.inAppealTx(ctx, func(tx appealTx) error {
		a, p, _, err := openAppeal(ctx, tx, actor, projectID, appealID, AppealFiled)
		if err != nil {
			return err
		}
		now := s.now()
		a.Status, a.Resolution, a.ResolvedBy, a.ResolvedByName, a.ResolvedAt = AppealRejected, reason, actor.UserID,
			actor.DisplayName(), now
		if err := tx.UpdateAppeal(ctx, a); err != nil {
			return err
		}
		out = a
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.appeal_reject", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"appeal": a.ID, "reason": reason}})
	})
	return out, err
}

// ReevaluateAppeal admits an appeal and sends the project's technical
// sheets back to its panel for a re-evaluation (a revision round of kind
// RevisionAppeal), with the note every member reads, by due (""; for
// RevisionDays from today); only the commission may. The members revise
// their sheets while the campaign is published; the commission then
// settles the appeal (ResolveAppeal).
func (s *ReviewService) ReevaluateAppeal(ctx context.Context, actor Actor, projectID, appealID int64, note, due string) (*Appeal, error) {
	note = strings.TrimSpace(note)
	f := FieldErrors{}
	reasonProblem(f, "note", note)
	due = dueDay(f, due, s.now().In(Beijing).AddDate(0, 0, RevisionDays), s.now())
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Appeal
	err := s.inAppealTx(ctx, func(tx appealTx) error {
		a, p, c, err := openAppeal(ctx, tx, actor, projectID, appealID, AppealFiled)
		if err != nil {
			return err
		}
		panel, err := tx.Panel(ctx, p.PanelID)
		if err != nil {
			return err
		}
		sheets, err := tx.ProjectSheets(ctx, p.ID)
		if err != nil {
			return err
		}
		var technical []*Sheet
		for _, m := range panel.Seated(SeatTechnical) {
			i := slices.IndexFunc(sheets, func(sh *Sheet) bool { return sh.ExpertID == m.ExpertID })
			if i < 0 || sheets[i].Status != SheetSubmitted {
				return Errorf(Conflict, "error.revision_sheets_pending")
			}
			technical = append(technical, sheets[i])
		}
		if len(technical) == 0 {
			return Errorf(Conflict, "error.revision_sheets_pending")
		}
		rounds, err := tx.Revisions(ctx, p.ID)
		if err != nil {
			return err
		}
		now := s.now()
		r := &Revision{ProjectID: p.ID, CampaignID: c.ID, AgencyID: p.AgencyID, Seq: len(rounds) + 1, Kind: RevisionAppeal,
			Note: note, Due: due, OpenedBy: actor.UserID, OpenedByName: actor.DisplayName(), OpenedAt: now}
		if err := s.reopenForRevision(ctx, tx, c, p, r, technical); err != nil {
			return err
		}
		if err := tx.AddRevision(ctx, r); err != nil {
			return err
		}
		a.Status, a.RevisionSeq, a.Reevaluation = AppealReevaluating, r.Seq, note
		if err := tx.UpdateAppeal(ctx, a); err != nil {
			return err
		}
		out = a
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.appeal_reevaluate", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"appeal": a.ID, "seq": r.Seq,
				"note": note, "due": due, "sheets": r.Sheets}})
	})
	return out, err
}

// ResolveAppeal settles a re-evaluated appeal once every revised sheet is
// in: the commission states the project's conclusion after the
// re-evaluation, with its reason; a conclusion different from the one in
// force is recorded as the project's new conclusion (the same round).
func (s *ReviewService) ResolveAppeal(ctx context.Context, actor Actor, projectID, appealID int64, conclusion Conclusion, reason string) (*Appeal, error) {
	reason = strings.TrimSpace(reason)
	f := FieldErrors{}
	reasonProblem(f, "reason", reason)
	if !slices.Contains(ConclusionsOf(1), conclusion) && !slices.Contains(ConclusionsOf(2), conclusion) {
		f.Add("conclusion", "error.conclusion_not_allowed")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Appeal
	err := s.inAppealTx(ctx, func(tx appealTx) error {
		a, p, c, err := openAppeal(ctx, tx, actor, projectID, appealID, AppealReevaluating)
		if err != nil {
			return err
		}
		sheets, err := tx.ProjectSheets(ctx, p.ID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(sheets, func(sh *Sheet) bool { return sh.Status != SheetSubmitted }) {
			return Errorf(Conflict, "error.reevaluation_pending")
		}
		list, err := tx.Conclusions(ctx, p.ID)
		if err != nil {
			return err
		}
		round, current := 1, Conclusion("")
		if n := len(list); n > 0 {
			round, current = list[n-1].Round, list[n-1].Conclusion
		}
		if !slices.Contains(ConclusionsOf(round), conclusion) {
			return FieldErrors{"conclusion": "error.conclusion_not_allowed"}.Err()
		}
		now := s.now()
		if conclusion != current {
			rec := &ConclusionRecord{ProjectID: p.ID, CampaignID: c.ID, AgencyID: p.AgencyID, Seq: len(list) + 1,
				Round: round, Conclusion: conclusion, Reason: reason, RecordedBy: actor.UserID,
				RecordedByName: actor.DisplayName(), RecordedAt: now}
			if err := tx.AddConclusion(ctx, rec); err != nil {
				return err
			}
		}
		a.Status, a.Outcome, a.Resolution, a.ResolvedBy, a.ResolvedByName, a.ResolvedAt = AppealResolved, conclusion,
			reason, actor.UserID, actor.DisplayName(), now
		if err := tx.UpdateAppeal(ctx, a); err != nil {
			return err
		}
		out = a
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.appeal_resolve", ObjectType: "project",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID, Details: map[string]any{"appeal": a.ID, "before": string(current),
				"conclusion": string(conclusion), "reason": reason}})
	})
	return out, err
}

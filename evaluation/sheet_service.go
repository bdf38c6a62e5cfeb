package evaluation

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/evalpanel/evalpanel/rubrics"
)

// SheetService is the expert's workspace (evaluation/README.md §2.6): the
// projects an expert scores, the pledge and the declarations, the score
// sheets and their history, and what the agency does about them
// (reopening a sheet, extending a member's deadline, lifting a declared
// conflict).
type SheetService struct {
	*core
	store    sheetStore
	progress progressStore
}

func (s *SheetService) inTx(ctx context.Context, fn func(tx sheetTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// Assignment is a project an expert scores, as their workspace lists it.
type Assignment struct {
	Campaign CampaignBrief `json:"campaign"`
	Project  ProjectBrief  `json:"project"`
	PanelID  int64         `json:"panel_id"`
	MemberID int64         `json:"member_id"`
	Seat     Seat          `json:"seat"`
	Chair    bool          `json:"chair"`
	// Due is the last day to submit (YYYY-MM-DD, Beijing), "" when the
	// campaign set none; Overdue is set once it has passed with the sheet
	// not submitted.
	Due      string      `json:"due,omitempty"`
	Overdue  bool        `json:"overdue"`
	Pledged  bool        `json:"pledged"`
	Declared bool        `json:"declared"`
	Status   SheetStatus `json:"status"`
	// Version is the sheet's version, 0 before the first save.
	Version int `json:"version"`
}

// Open reports whether the expert may read the project's materials and
// its sheet: after the pledge and the declaration.
func (a *Assignment) Open() bool { return a.Pledged && a.Declared }

// CampaignBrief is what an expert's workspace shows of a campaign.
type CampaignBrief struct {
	ID    int64         `json:"id"`
	Name  string        `json:"name"`
	Year  int           `json:"year"`
	State CampaignState `json:"state"`
}

// ProjectBrief is what an expert sees of a project before the pledge and
// the declaration: what it is and who carries it out, no materials.
type ProjectBrief struct {
	ID    int64        `json:"id"`
	Code  string       `json:"code"`
	Title string       `json:"title"`
	Class ProjectClass `json:"class"`
	Lead  string       `json:"lead_institution"`
}

func briefOf(c *Campaign, p *Project) (CampaignBrief, ProjectBrief) {
	return CampaignBrief{ID: c.ID, Name: c.Name, Year: c.Year, State: c.State},
		ProjectBrief{ID: p.ID, Code: p.Code, Title: p.Title, Class: p.Class, Lead: p.Lead}
}

// workspaceOpen: an expert works on a campaign's projects once its panels
// are formed, reads them through concluding, and scores only in scoring.
func workspaceOpen(c *Campaign) bool {
	return c.State == CampaignForming || c.State == CampaignScoring || c.State == CampaignConcluding
}

// reopened reports whether the expert's sheet on the project is reopened:
// in a published campaign, for the re-evaluation of an appeal, the only
// work its experts still have.
func reopened(ctx context.Context, r sheetReader, projectID, expertID int64) bool {
	sh, err := r.Sheet(ctx, projectID, expertID)
	return err == nil && sh.Status == SheetReopened
}

// seat is an expert's accepted seat on a project's panel, with what the
// workspace checks against it.
type seat struct {
	campaign *Campaign
	project  *Project
	panel    *Panel
	member   *PanelMember
	pledged  bool
	declared bool
}

// seatOf finds the actor's accepted seat on the project's panel. Any other
// project, a seat declined or withdrawn, and a project the conflict rules
// now keep the expert from (a conflict recorded since) are not found: the
// project does not exist for them.
func seatOf(ctx context.Context, r sheetStore, actor Actor, projectID int64) (*seat, error) {
	if actor.Role != RoleExpert || actor.ExpertID == 0 {
		return nil, ErrNotFound
	}
	p, m, err := r.PanelSeat(ctx, projectID, actor.ExpertID)
	if err != nil {
		return nil, err
	}
	if m.Status != MemberAccepted {
		return nil, ErrNotFound
	}
	c, err := r.Campaign(ctx, p.CampaignID)
	if err != nil {
		return nil, err
	}
	if !workspaceOpen(c) && !(c.State == CampaignPublished && reopened(ctx, r, projectID, actor.ExpertID)) {
		return nil, ErrNotFound
	}
	pr, err := r.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	conflicts, err := expertConflicts(ctx, r, c, actor.ExpertID, []*Project{pr})
	if err != nil {
		return nil, err
	}
	if len(conflicts) > 0 {
		return nil, ErrNotFound
	}
	st := &seat{campaign: c, project: pr, panel: p, member: m}
	switch _, err := r.Pledge(ctx, c.ID, actor.ExpertID); ErrorCode(err) {
	case "":
		st.pledged = true
	case NotFound:
	default:
		return nil, err
	}
	switch _, err := r.Declared(ctx, projectID, actor.ExpertID); ErrorCode(err) {
	case "":
		st.declared = true
	case NotFound:
	default:
		return nil, err
	}
	return st, nil
}

// assignment describes the seat, with the expert's sheet (nil when not
// started).
func (st *seat) assignment(sh *Sheet, now time.Time) Assignment {
	a := Assignment{PanelID: st.panel.ID, MemberID: st.member.ID, Seat: st.member.Seat, Chair: st.member.Chair,
		Due: ScoringDue(st.campaign, st.member), Pledged: st.pledged, Declared: st.declared, Status: SheetNotStarted}
	a.Campaign, a.Project = briefOf(st.campaign, st.project)
	if sh != nil {
		a.Status, a.Version = sh.Status, sh.Version
	}
	a.Overdue = a.Status != SheetSubmitted && st.campaign.State == CampaignScoring && PastDue(a.Due, now)
	return a
}

// Assignments lists the projects the actor scores: every project of every
// panel on which they accepted a seat, in campaigns at work, with the
// state of their pledge, declaration and sheet. Overdue ones come first,
// then by deadline and code.
func (s *SheetService) Assignments(ctx context.Context, actor Actor) ([]Assignment, error) {
	if actor.Role != RoleExpert || actor.ExpertID == 0 {
		return nil, ErrForbidden
	}
	panels, err := s.store.MemberPanels(ctx, actor.ExpertID)
	if err != nil {
		return nil, err
	}
	sheets, err := s.store.ExpertSheets(ctx, actor.ExpertID)
	if err != nil {
		return nil, err
	}
	byProject := map[int64]*Sheet{}
	for _, sh := range sheets {
		byProject[sh.ProjectID] = sh
	}
	now := s.now()
	out := []Assignment{}
	for _, p := range panels {
		if m, ok := p.MemberOf(actor.ExpertID); !ok || m.Status != MemberAccepted {
			continue
		}
		for _, id := range p.ProjectIDs {
			st, err := seatOf(ctx, s.store, actor, id)
			if ErrorCode(err) == NotFound {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, st.assignment(byProject[id], now))
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Overdue != b.Overdue:
			return a.Overdue
		case a.Due != b.Due:
			return a.Due != "" && (b.Due == "" || a.Due < b.Due)
		}
		return a.Project.Code < b.Project.Code
	})
	return out, nil
}

// ExpertProject is a project as its expert sees it in the workspace: the
// assignment, and the whole project (indicators with targets, results and
// statuses) once the pledge is signed and no conflict declared.
type ExpertProject struct {
	Assignment Assignment `json:"assignment"`
	// Project is nil until the assignment is open.
	Project *Project `json:"project,omitempty"`
}

// Project returns a project of the actor's assignments.
func (s *SheetService) Project(ctx context.Context, actor Actor, projectID int64) (*ExpertProject, error) {
	st, err := seatOf(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	sh, err := s.ownSheet(ctx, s.store, st)
	if err != nil {
		return nil, err
	}
	out := &ExpertProject{Assignment: st.assignment(sh, s.now())}
	if out.Assignment.Open() {
		p := *st.project
		p.Avoid = []Avoid{} // the applicant's avoid list names experts; not for a reviewer's eyes
		out.Project = &p
	}
	return out, nil
}

func (s *SheetService) ownSheet(ctx context.Context, r sheetReader, st *seat) (*Sheet, error) {
	sh, err := r.Sheet(ctx, st.project.ID, st.member.ExpertID)
	if ErrorCode(err) == NotFound {
		return nil, nil
	}
	return sh, err
}

// SignPledge records the actor's pledge for a campaign on whose panels they
// accepted a seat. version is the PledgeVersion of the text they were
// shown; signing twice changes nothing.
func (s *SheetService) SignPledge(ctx context.Context, actor Actor, campaignID int64, version string) error {
	if version != PledgeVersion {
		return FieldErrors{"version": "error.pledge_changed"}.Err()
	}
	return s.inTx(ctx, func(tx sheetTx) error {
		if actor.Role != RoleExpert || actor.ExpertID == 0 {
			return ErrNotFound
		}
		c, err := tx.Campaign(ctx, campaignID)
		if err != nil {
			return err
		}
		seated, err := acceptedIn(ctx, tx, actor.ExpertID, c.ID)
		if err != nil {
			return err
		}
		if !seated || !workspaceOpen(c) {
			return ErrNotFound
		}
		switch _, err := tx.Pledge(ctx, c.ID, actor.ExpertID); ErrorCode(err) {
		case "":
			return nil
		case NotFound:
		default:
			return err
		}
		p := &Pledge{CampaignID: c.ID, ExpertID: actor.ExpertID, Version: version, SignedAt: s.now()}
		if err := tx.CreatePledge(ctx, p); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "pledge.sign", ObjectType: "campaign", ObjectID: idString(c.ID),
			AgencyID: c.AgencyID, Details: map[string]any{"expert": actor.ExpertID, "version": version}})
	})
}

// acceptedIn reports whether the expert accepted a seat on a panel of the
// campaign.
func acceptedIn(ctx context.Context, r interface {
	MemberPanels(ctx context.Context, expertID int64) ([]*Panel, error)
}, expertID, campaignID int64) (bool, error) {
	panels, err := r.MemberPanels(ctx, expertID)
	if err != nil {
		return false, err
	}
	for _, p := range panels {
		if m, ok := p.MemberOf(expertID); ok && p.CampaignID == campaignID && m.Status == MemberAccepted {
			return true, nil
		}
	}
	return false, nil
}

// SheetView is an expert's sheet with what the page around it needs.
type SheetView struct {
	Assignment Assignment `json:"assignment"`
	Rubric     *Rubric    `json:"rubric"`
	// Sheet is the working copy; a sheet not started is an empty one of
	// version 0.
	Sheet *Sheet `json:"sheet"`
	// Versions are the expert's earlier submissions, oldest first.
	Versions []*SheetVersion `json:"versions"`
	// Editable is whether a save would be taken now; Locked says why not
	// (a message ID) when it is not.
	Editable bool   `json:"editable"`
	Locked   string `json:"locked,omitempty"`
}

// rubricOf is the rubric version the campaign pins for a sheet: the
// finance rubric for a finance seat, the project class's for a technical
// one.
func rubricOf(ctx context.Context, r rubricReader, c *Campaign, p *Project, seat Seat) (*Rubric, error) {
	key := string(p.Class)
	if seat == SeatFinance {
		key = "finance"
	}
	pin, ok := c.Settings.Rubrics[key]
	if !ok {
		return nil, Errorf(Conflict, "error.rubric_not_pinned")
	}
	return r.Rubric(ctx, pin.Code, pin.Version)
}

// Sheet returns the actor's sheet for a project of their assignments; the
// pledge and the declaration come first.
func (s *SheetService) Sheet(ctx context.Context, actor Actor, projectID int64) (*SheetView, error) {
	st, err := seatOf(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, err
	}
	if err := st.openProblem(); err != nil {
		return nil, err
	}
	rb, err := rubricOf(ctx, s.store, st.campaign, st.project, st.member.Seat)
	if err != nil {
		return nil, err
	}
	sh, err := s.ownSheet(ctx, s.store, st)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v := &SheetView{Assignment: st.assignment(sh, now), Rubric: rb, Sheet: sh, Versions: []*SheetVersion{}}
	if sh == nil {
		v.Sheet = st.newSheet(rb, now)
	} else if versions, err := s.store.SheetVersions(ctx, sh.ID); err != nil {
		return nil, err
	} else if len(versions) > 0 {
		v.Versions = versions
	}
	if e := ErrorAs(st.saveProblem(v.Sheet, now)); e != nil {
		v.Locked = e.Message
	}
	v.Editable = v.Locked == ""
	return v, nil
}

// openProblem says why the sheet is not open yet: the pledge, or the
// declaration, comes first.
func (st *seat) openProblem() error {
	switch {
	case !st.pledged:
		return Errorf(Conflict, "error.pledge_first")
	case !st.declared:
		return Errorf(Conflict, "error.declare_first")
	}
	return nil
}

// saveProblem says why a save of the sheet would be refused now. Sheets
// are scored while the campaign scores; a sheet reopened for a revision
// round (a discussion, a re-evaluation) is revised while it concludes too,
// and one reopened for an appeal's re-evaluation while it is published.
func (st *seat) saveProblem(sh *Sheet, now time.Time) error {
	due := ScoringDue(st.campaign, st.member)
	switch {
	case st.campaign.State != CampaignScoring && !(sh.Status == SheetReopened &&
		(st.campaign.State == CampaignConcluding || st.campaign.State == CampaignPublished)):
		return Errorf(Conflict, "error.scoring_closed")
	case sh.Status == SheetSubmitted:
		return Errorf(Conflict, "error.sheet_submitted")
	case PastDue(due, now):
		return &Error{Code: Conflict, Message: "error.past_due", Args: map[string]map[string]any{"": {"Due": due}}}
	}
	return nil
}

func (st *seat) newSheet(rb *Rubric, now time.Time) *Sheet {
	return &Sheet{CampaignID: st.campaign.ID, AgencyID: st.campaign.AgencyID, PanelID: st.panel.ID, ProjectID: st.project.ID,
		ExpertID: st.member.ExpertID, Seat: st.member.Seat, RubricCode: rb.Code, RubricVersion: rb.Version,
		Status: SheetDraft, Round: 1, Content: SheetContent{Sheet: rubrics.Sheet{Scores: map[string]rubrics.Points{}}},
		CreatedAt: now, UpdatedAt: now}
}

// StaleSheetError refuses a save based on an older version of the sheet
// than the one stored, which another tab or device saved since; it carries
// the stored sheet, so the expert can see and keep what is there.
type StaleSheetError struct {
	Current *Sheet
}

func (e *StaleSheetError) Error() string {
	return "stale sheet: the stored version is " + idString(int64(e.Current.Version))
}

// Unwrap is the conflict the edges answer with.
func (e *StaleSheetError) Unwrap() error {
	return &Error{Code: Conflict, Message: "error.sheet_stale", Fields: map[string]string{"version": "error.sheet_stale"}}
}

// SaveSheet stores the actor's sheet for a project: a draft, which may be
// incomplete, or, with submit, the complete sheet, which the rubric's rules
// check in full and which then stays as it is (a version in the history)
// until the agency reopens it. base is the version the expert's copy was
// based on (0 for a new sheet): a save based on an older version is
// refused with a StaleSheetError. Saves are refused outside scoring, after
// the member's deadline and on a submitted sheet; a refused save changes
// nothing.
func (s *SheetService) SaveSheet(ctx context.Context, actor Actor, projectID int64, base int, content SheetContent, submit bool) (*Sheet, error) {
	var out *Sheet
	err := s.inTx(ctx, func(tx sheetTx) error {
		st, err := seatOf(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if err := st.openProblem(); err != nil {
			return err
		}
		rb, err := rubricOf(ctx, tx, st.campaign, st.project, st.member.Seat)
		if err != nil {
			return err
		}
		now := s.now()
		sh, err := s.ownSheet(ctx, tx, st)
		if err != nil {
			return err
		}
		created := sh == nil
		if created {
			sh = st.newSheet(rb, now)
		}
		if err := st.saveProblem(sh, now); err != nil {
			return err
		}
		if base != sh.Version {
			if created {
				// No version of it is stored: a base other than 0 is
				// made up, not stale.
				return FieldErrors{"version": "error.sheet_version_new"}.Err()
			}
			return &StaleSheetError{Current: sh}
		}
		if err := checkContent(rb, st.member.Seat, &content, submit); err != nil {
			return err
		}
		sh.Content, sh.Version, sh.UpdatedAt = content, sh.Version+1, now
		action := "sheet.save"
		if submit {
			action = "sheet.submit"
			sh.Status, sh.SubmittedAt = SheetSubmitted, now
		}
		if created {
			err = tx.CreateSheet(ctx, sh)
		} else {
			err = tx.UpdateSheet(ctx, sh)
		}
		if err != nil {
			return err
		}
		details := map[string]any{"sheet": sh.ID, "version": sh.Version, "round": sh.Round}
		if submit {
			res, _ := rb.Content.Check(&content.Sheet)
			if err := tx.AddSheetVersion(ctx, &SheetVersion{SheetID: sh.ID, Round: sh.Round, Version: sh.Version,
				Content: content, Total: res.Total, SubmittedBy: actor.UserID, SubmittedAt: now}); err != nil {
				return err
			}
			details["total"] = res.Total.String()
		}
		out = sh
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: action, ObjectType: "project", ObjectID: idString(projectID),
			AgencyID: sh.AgencyID, Details: details})
	})
	if err != nil {
		var stale *StaleSheetError
		if errors.As(err, &stale) && stale.Current == nil {
			// The sheet was not there yet: nothing newer to show.
			stale.Current = &Sheet{ProjectID: projectID, Status: SheetNotStarted}
		}
		return nil, err
	}
	return out, nil
}

// checkContent checks a sheet's content against its rubric: what a draft
// holds must be right; a submission must be complete, and a finance
// expert's must say pass or fail.
func checkContent(rb *Rubric, seat Seat, c *SheetContent, submit bool) error {
	if c.Scores == nil {
		c.Scores = map[string]rubrics.Points{}
	}
	var ps rubrics.Problems
	if submit {
		_, ps = rb.Content.Check(&c.Sheet)
	} else {
		ps = rb.Content.CheckDraft(&c.Sheet)
	}
	err := ProblemsError(ps)
	f := FieldErrors{}
	if e := ErrorAs(err); e != nil {
		f = e.Fields
	}
	switch {
	case seat != SeatFinance && c.FinancePass != nil:
		f.Add("finance_pass", "error.finance_pass_technical")
	case seat == SeatFinance && submit && c.FinancePass == nil:
		f.Add("finance_pass", "error.finance_pass_required")
	}
	if len(f) == 0 {
		return nil
	}
	e := &Error{Code: Invalid, Message: "error.invalid_input", Fields: f}
	if pe := ErrorAs(err); pe != nil {
		e.Args = pe.Args
	}
	return e
}

// PanelSheets lists the submitted sheets of a project's panel. The chair
// reads them once their own is submitted (to write the panel's opinion);
// the agency's staff, the commission and administrators read every sheet
// of the agency's projects, drafts included. Other members read none.
func (s *SheetService) PanelSheets(ctx context.Context, actor Actor, projectID int64) ([]*Sheet, error) {
	if actor.Role == RoleExpert {
		_, sheets, err := s.chairRead(ctx, actor, projectID)
		return sheets, err
	}
	p, err := s.store.Project(ctx, projectID)
	if err != nil {
		return nil, err
	}
	if _, err := loadCampaign(ctx, s.store, actor, p.CampaignID); err != nil {
		return nil, err
	}
	return s.store.ProjectSheets(ctx, projectID)
}

// ReopenSheet reopens a submitted sheet for its expert, with the reason
// they will read; only the agency's staff may. The submitted version stays
// in the history; the next submission is a new round.
func (s *SheetService) ReopenSheet(ctx context.Context, actor Actor, sheetID int64, reason string) (*Sheet, error) {
	reason, err := checkReason(reason)
	if err != nil {
		return nil, err
	}
	var out *Sheet
	err = s.inTx(ctx, func(tx sheetTx) error {
		sh, err := tx.SheetByID(ctx, sheetID)
		if err != nil {
			return err
		}
		c, err := scoringCampaign(ctx, tx, actor, sh.CampaignID)
		if err != nil {
			return err
		}
		if sh.Status != SheetSubmitted {
			return Errorf(Conflict, "error.sheet_not_submitted")
		}
		// The members answer the opinion on the sheets as they are: the
		// chair takes it back to a draft first.
		if o, err := loadOpinion(ctx, tx, sh.ProjectID); err != nil {
			return err
		} else if o != nil && o.Status != OpinionDraft {
			return Errorf(Conflict, "error.opinion_circulated")
		}
		now := s.now()
		sh.Status, sh.Round, sh.Version, sh.ReopenReason, sh.UpdatedAt = SheetReopened, sh.Round+1, sh.Version+1, reason, now
		if err := tx.UpdateSheet(ctx, sh); err != nil {
			return err
		}
		out = sh
		p, err := tx.Project(ctx, sh.ProjectID)
		if err != nil {
			return err
		}
		panel, err := tx.Panel(ctx, sh.PanelID)
		if err != nil {
			return err
		}
		due := c.Settings.ScoringDue
		if m, ok := panel.MemberOf(sh.ExpertID); ok {
			due = ScoringDue(c, m)
		}
		if _, err := s.notifyExpert(ctx, tx, sh.ExpertID, Notice{Kind: KindReopen, ObjectType: "project",
			ObjectID: idString(sh.ProjectID), AgencyID: sh.AgencyID, Key: "reopen:" + idString(sh.ID) + ":" + idString(int64(sh.Round)),
			Data: ReopenData{Campaign: c.Name, Project: ProjectRef{Code: p.Code, Title: p.Title}, Reason: reason, Due: due}}); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "sheet.reopen", ObjectType: "project",
			ObjectID: idString(sh.ProjectID), AgencyID: sh.AgencyID,
			Details: map[string]any{"sheet": sh.ID, "expert": sh.ExpertID, "round": sh.Round, "reason": reason}})
	})
	return out, err
}

// ExtendDeadline gives one panel member their own last day for scoring,
// with the reason; only the agency's staff may, while the campaign is
// scoring, and not to a day already past.
func (s *SheetService) ExtendDeadline(ctx context.Context, actor Actor, panelID, memberID int64, due, reason string) error {
	reason = strings.TrimSpace(reason)
	f := FieldErrors{}
	reasonProblem(f, "reason", reason)
	due = strings.TrimSpace(due)
	d, err := time.ParseInLocation(time.DateOnly, due, Beijing)
	if err != nil {
		f.Add("due", "error.date_format")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if PastDue(due, s.now()) {
		return FieldErrors{"due": "error.date_past"}.Err()
	}
	return s.inTx(ctx, func(tx sheetTx) error {
		p, err := tx.Panel(ctx, panelID)
		if err != nil {
			return err
		}
		c, err := scoringCampaign(ctx, tx, actor, p.CampaignID)
		if err != nil {
			return err
		}
		m, ok := p.Member(memberID)
		if !ok || m.Status != MemberAccepted {
			return ErrNotFound
		}
		before := ScoringDue(c, m)
		m.Due = d.Format(time.DateOnly)
		if err := tx.UpdatePanelMember(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.extend_deadline", ObjectType: "panel",
			ObjectID: idString(p.ID), AgencyID: p.AgencyID,
			Details: map[string]any{"member": m.ID, "expert": m.ExpertID, "from": before, "to": m.Due, "reason": reason}})
	})
}

// Remind puts a reminder in the outbox for each accepted member of the
// campaign's panels who has sheets not submitted, naming them and the
// member's last day; with expertID set, only for that expert. It returns
// how many experts were reminded; a reminder already sent today for the
// same sheets is not sent again. Only the agency's staff may, while the
// campaign is scoring.
func (s *SheetService) Remind(ctx context.Context, actor Actor, campaignID, expertID int64) (int, error) {
	reminded := 0
	err := s.inTx(ctx, func(tx sheetTx) error {
		c, err := scoringCampaign(ctx, tx, actor, campaignID)
		if err != nil {
			return err
		}
		panels, err := s.progress.Panels(ctx, c.ID)
		if err != nil {
			return err
		}
		type pending struct {
			due      string
			projects []ProjectRef
		}
		left := map[int64]*pending{}
		var order []int64
		for _, p := range panels {
			for _, m := range p.Members {
				if m.Status != MemberAccepted || (expertID != 0 && m.ExpertID != expertID) {
					continue
				}
				for _, id := range p.ProjectIDs {
					sh, err := tx.Sheet(ctx, id, m.ExpertID)
					if err != nil && ErrorCode(err) != NotFound {
						return err
					}
					if sh != nil && sh.Status == SheetSubmitted {
						continue
					}
					pr, err := tx.Project(ctx, id)
					if err != nil {
						return err
					}
					if left[m.ExpertID] == nil {
						left[m.ExpertID] = &pending{due: ScoringDue(c, m)}
						order = append(order, m.ExpertID)
					}
					left[m.ExpertID].projects = append(left[m.ExpertID].projects, ProjectRef{Code: pr.Code, Title: pr.Title})
				}
			}
		}
		if expertID != 0 && len(order) == 0 {
			return Errorf(Conflict, "error.nothing_to_remind")
		}
		today := s.now().In(Beijing).Format(time.DateOnly)
		for _, id := range order {
			l := left[id]
			codes := make([]string, len(l.projects))
			for i, p := range l.projects {
				codes[i] = p.Code
			}
			told, err := s.notifyExpert(ctx, tx, id, Notice{Kind: KindReminder, ObjectType: "campaign", ObjectID: idString(c.ID),
				AgencyID: c.AgencyID, Key: "reminder:" + idString(c.ID) + ":" + idString(id) + ":" + today + ":" + strings.Join(codes, ","),
				Data: ReminderData{Campaign: c.Name, Due: l.due, Projects: l.projects}})
			if err != nil {
				return err
			}
			if told {
				reminded++
			}
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "campaign.remind", ObjectType: "campaign", ObjectID: idString(c.ID),
			AgencyID: c.AgencyID, Details: map[string]any{"experts": reminded, "expert": expertID}})
	})
	return reminded, err
}

// scoringCampaign loads a campaign the actor manages and that is scoring.
func scoringCampaign(ctx context.Context, r campaignGetter, actor Actor, id int64) (*Campaign, error) {
	c, err := loadCampaign(ctx, r, actor, id)
	if err != nil {
		return nil, err
	}
	if !CanManageCampaign(actor, c) {
		return nil, ErrForbidden
	}
	if c.State != CampaignScoring {
		return nil, Errorf(Conflict, "error.scoring_closed")
	}
	return c, nil
}

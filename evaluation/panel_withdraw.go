package evaluation

import (
	"context"
	"fmt"
	"time"
)

// withdrawSeat takes an expert off a project's panel because of a conflict
// of interest declared or recorded for the project: their seat is declined
// with the reason, the chair (组长), if they held it, passes to another
// technical member who accepted, and the next alternate who passes the
// checks is invited, as after a decline. It reports whether the expert
// held a seat there, and the alternate called (0 for none). Any area whose
// transaction is a seatTx records a project conflict through it, so a
// declaration withdraws the seat wherever it is made.
func (c *core) withdrawSeat(ctx context.Context, tx seatTx, now time.Time, actor Actor, projectID, expertID int64,
	reason string) (bool, int64, error) {
	p, err := tx.PanelOfProject(ctx, projectID)
	if ErrorCode(err) == NotFound {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	m, ok := p.MemberOf(expertID)
	if !ok || !m.Status.Seated() {
		return false, 0, nil
	}
	wasChair := m.Chair
	m.Status, m.DeclineReason, m.RespondedAt, m.Chair = MemberDeclined, reason, now, false
	if err := tx.UpdatePanelMember(ctx, m); err != nil {
		return false, 0, err
	}
	newChair := int64(0)
	if wasChair {
		if next := nextChair(p, m.ID); next != nil {
			next.Chair = true
			if err := tx.UpdatePanelMember(ctx, next); err != nil {
				return false, 0, err
			}
			newChair = next.ExpertID
		}
	}
	camp, err := tx.Campaign(ctx, p.CampaignID)
	if err != nil {
		return false, 0, err
	}
	projects, err := panelProjects(ctx, tx, p)
	if err != nil {
		return false, 0, err
	}
	pc, err := poolContext(ctx, tx, camp)
	if err != nil {
		return false, 0, err
	}
	// The alternate is invited to the seat, not to the chair: the chair
	// is handed on at once, since the panel is already at work.
	alternate, err := callAlternate(ctx, c, tx, pc, p, projects, assignPanelRules(camp, projects[0].Class), m, false, now)
	if err != nil {
		return false, 0, fmt.Errorf("withdraw expert %d from panel %d: %w", expertID, p.ID, err)
	}
	err = c.audit(ctx, tx, AuditEvent{Actor: actor, Action: "panel.withdraw", ObjectType: "panel", ObjectID: idString(p.ID),
		AgencyID: p.AgencyID, Details: map[string]any{"member": m.ID, "expert": expertID, "project": projectID,
			"reason": reason, "chair": newChair, "alternate": alternate}})
	if err != nil || actor.Role != RoleExpert {
		return true, alternate, err
	}
	data := ConflictData{Campaign: camp.Name, Panel: p.Name, Reason: reason}
	for _, pr := range projects {
		if pr.ID == projectID {
			data.Project = ProjectRef{Code: pr.Code, Title: pr.Title}
		}
	}
	if data.Expert, err = expertName(ctx, tx, expertID); err != nil {
		return false, 0, err
	}
	if data.Chair, err = expertName(ctx, tx, newChair); err != nil {
		return false, 0, err
	}
	if data.Alternate, err = expertName(ctx, tx, alternate); err != nil {
		return false, 0, err
	}
	err = c.notifyStaff(ctx, tx, p.AgencyID, Notice{Kind: KindConflict, ObjectType: "project", ObjectID: idString(projectID),
		AgencyID: p.AgencyID, Key: "conflict:" + idString(m.ID) + ":" + now.Format(time.RFC3339Nano), Data: data})
	return true, alternate, err
}

// expertName is the name of an expert of the pool, "" for id 0.
func expertName(ctx context.Context, r expertGetter, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	e, err := r.Expert(ctx, id)
	if err != nil {
		return "", err
	}
	return e.Name, nil
}

// nextChair is the technical member who takes the chair when its holder
// leaves: the first who accepted, a strategic scientist or domain expert
// before others; nil when nobody has accepted.
func nextChair(p *Panel, leaving int64) *PanelMember {
	var first *PanelMember
	for _, m := range p.Seated(SeatTechnical) {
		if m.ID == leaving || m.Status != MemberAccepted {
			continue
		}
		if m.Expert != nil && (m.Expert.Type == StrategicScientist || m.Expert.Type == DomainExpert) {
			return m
		}
		if first == nil {
			first = m
		}
	}
	return first
}

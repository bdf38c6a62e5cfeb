package evaluation

import (
	"context"
)

// Declarations (声明): before an expert reads a project's materials they
// declare, per project, that they have no conflict of interest with it,
// or declare one, which takes them off the project. The agency alone lifts
// a declared conflict. These run in their own transaction (declarationTx),
// which withdraws seats and reads the pool, and not in the sheets'.

func (s *SheetService) inDeclarationTx(ctx context.Context, fn func(tx declarationTx) error) error {
	return s.tx.InTx(ctx, func(tx Tx) error { return fn(tx) })
}

// DeclareNoConflict records the actor's declaration that they have no
// conflict of interest with the project; it needs the campaign's pledge
// first, and declaring twice changes nothing.
func (s *SheetService) DeclareNoConflict(ctx context.Context, actor Actor, projectID int64) error {
	return s.inDeclarationTx(ctx, func(tx declarationTx) error {
		st, err := seatOf(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		if !st.pledged {
			return Errorf(Conflict, "error.pledge_first")
		}
		if st.declared {
			return nil
		}
		if err := tx.CreateDeclaration(ctx, projectID, actor.ExpertID, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.declare_no_conflict", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: st.project.AgencyID, Details: map[string]any{"expert": actor.ExpertID}})
	})
}

// DeclareConflict records a conflict of interest the actor declares with a
// project of their assignments, with the reason. It is a declared conflict
// of the pool (the rules apply it from then on) and it withdraws the
// expert from the project at once: the seat is declined, the chair handed
// on, the next alternate invited; the project no longer exists for them.
// Only the agency can lift it (LiftConflict).
func (s *SheetService) DeclareConflict(ctx context.Context, actor Actor, projectID int64, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	return s.inDeclarationTx(ctx, func(tx declarationTx) error {
		st, err := seatOf(ctx, tx, actor, projectID)
		if err != nil {
			return err
		}
		now := s.now()
		c := &ExpertConflict{ExpertID: actor.ExpertID, ProjectID: projectID, Year: now.In(Beijing).Year(), Note: reason,
			CreatedBy: actor.UserID, CreatedByName: actor.DisplayName(), CreatedAt: now}
		if err := tx.CreateExpertConflict(ctx, c); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.declare_conflict", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: st.project.AgencyID,
			Details: map[string]any{"expert": actor.ExpertID, "conflict_id": c.ID, "reason": reason}}); err != nil {
			return err
		}
		_, _, err = s.withdrawSeat(ctx, tx, now, actor, projectID, actor.ExpertID, reason)
		return err
	})
}

// LiftConflict removes the conflicts declared for an expert with a project
// of the actor's agency, with the reason; only the agency's staff may. The
// expert does not get the seat back: the panel has moved on.
func (s *SheetService) LiftConflict(ctx context.Context, actor Actor, projectID, expertID int64, reason string) error {
	reason, err := checkReason(reason)
	if err != nil {
		return err
	}
	return s.inDeclarationTx(ctx, func(tx declarationTx) error {
		p, err := tx.Project(ctx, projectID)
		if err != nil {
			return err
		}
		c, err := loadCampaign(ctx, tx, actor, p.CampaignID)
		if err != nil {
			return err
		}
		if !CanManageCampaign(actor, c) {
			return ErrForbidden
		}
		list, err := tx.ExpertConflicts(ctx, expertID)
		if err != nil {
			return err
		}
		var lifted []int64
		for _, ec := range list {
			if ec.ProjectID != projectID {
				continue
			}
			if err := tx.DeleteExpertConflict(ctx, expertID, ec.ID); err != nil {
				return err
			}
			lifted = append(lifted, ec.ID)
		}
		if len(lifted) == 0 {
			return ErrNotFound
		}
		return s.audit(ctx, tx, AuditEvent{Actor: actor, Action: "project.lift_conflict", ObjectType: "project",
			ObjectID: idString(projectID), AgencyID: p.AgencyID,
			Details: map[string]any{"expert": expertID, "conflicts": lifted, "reason": reason}})
	})
}

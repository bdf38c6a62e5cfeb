package evaluation

import (
	"context"
	"slices"
)

// MemberSheet is a submitted sheet of a project's panel with the member
// who wrote it, as the panel's chair (组长) reads them to draft the panel's
// opinion.
type MemberSheet struct {
	Sheet *Sheet `json:"sheet"`
	// Name is the member's name; Chair marks the chair's own sheet.
	Name  string `json:"name"`
	Chair bool   `json:"chair"`
}

// ChairSheets lists the submitted sheets of a project's panel with the
// members' names, technical seats first, for the panel's chair once their
// own sheet is submitted; any other expert is refused, as by PanelSheets.
func (s *SheetService) ChairSheets(ctx context.Context, actor Actor, projectID int64) ([]MemberSheet, error) {
	if actor.Role != RoleExpert {
		return nil, ErrForbidden
	}
	st, sheets, err := s.chairRead(ctx, actor, projectID)
	if err != nil {
		return nil, err
	}
	// The seat holds the panel without its members (seatOf reads one row);
	// the names need the whole panel.
	panel, err := s.store.Panel(ctx, st.panel.ID)
	if err != nil {
		return nil, err
	}
	out := make([]MemberSheet, 0, len(sheets))
	for _, sh := range sheets {
		ms := MemberSheet{Sheet: sh}
		if m, ok := panel.MemberOf(sh.ExpertID); ok {
			ms.Chair = m.Chair
			if m.Expert != nil {
				ms.Name = m.Expert.Name
			}
		}
		out = append(out, ms)
	}
	slices.SortStableFunc(out, func(a, b MemberSheet) int {
		switch {
		case a.Sheet.Seat != b.Sheet.Seat:
			if a.Sheet.Seat == SeatTechnical {
				return -1
			}
			return 1
		case a.Chair != b.Chair:
			if a.Chair {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

// chairRead is the chair's read of the panel's sheets: the actor's seat
// and the submitted sheets, once the actor chairs the panel and has
// submitted their own.
func (s *SheetService) chairRead(ctx context.Context, actor Actor, projectID int64) (*seat, []*Sheet, error) {
	st, err := seatOf(ctx, s.store, actor, projectID)
	if err != nil {
		return nil, nil, err
	}
	own, err := s.ownSheet(ctx, s.store, st)
	if err != nil {
		return nil, nil, err
	}
	if !st.member.Chair || own == nil || own.Status != SheetSubmitted {
		return nil, nil, Errorf(Forbidden, "error.sheets_chair_after_own")
	}
	all, err := s.store.ProjectSheets(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	return st, slices.DeleteFunc(all, func(sh *Sheet) bool { return sh.Status != SheetSubmitted }), nil
}

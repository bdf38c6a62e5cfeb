package evaluation

import "context"

// AuditLog lists audit entries, newest first. Admins and the commission see
// all; staff see their own agency's entries.
func (s *AccountService) AuditLog(ctx context.Context, actor Actor, f AuditFilter) ([]*AuditEntry, int, error) {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
	case RoleAgencyStaff:
		f.AgencyID = actor.AgencyID
	default:
		return nil, 0, ErrForbidden
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.store.AuditEntries(ctx, f)
}

// VerifyAudit walks the whole audit chain, checking it against any anchors
// recorded earlier. It returns the number of entries checked, the head, and
// the first problem, or nil when the chain is intact.
func VerifyAudit(ctx context.Context, r auditReader, anchors ...AuditAnchor) (int64, AuditHead, *AuditProblem, error) {
	v := AuditVerifier{Anchors: map[int64]string{}}
	for _, a := range anchors {
		v.Anchors[a.ID] = a.Hash
	}
	head, err := r.ScanAudit(ctx, func(e *AuditEntry) error {
		v.Check(e)
		return nil
	})
	if err != nil {
		return v.Count(), head, nil, err
	}
	return v.Count(), head, v.Finish(head), nil
}

// RecordSystemEvent writes an audit entry for work done by the operator on
// the command line, such as seeding the demo.
func (s *AccountService) RecordSystemEvent(ctx context.Context, action string, details map[string]any) error {
	return s.inTx(ctx, func(tx accountTx) error {
		return s.audit(ctx, tx, AuditEvent{Actor: System, Action: action, ObjectType: "system", Details: details})
	})
}

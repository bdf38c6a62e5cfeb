package evaluation

import "context"

// AuditLog lists audit entries, newest first. Admins and the commission see
// all; staff see their own agency's entries.
func (s *Service) AuditLog(ctx context.Context, actor Actor, f AuditFilter) ([]*AuditEntry, int, error) {
	switch actor.Role {
	case RoleAdmin, RoleCommission:
	case RoleAgencyStaff:
		f.AgencyID = actor.AgencyID
	default:
		return nil, 0, ErrForbidden
	}
	f.Page = f.Page.Normalize()
	return s.store.AuditEntries(ctx, f)
}

// VerifyAudit walks the whole audit chain. It returns the number of entries
// checked and the first problem, or nil when the chain is intact.
func VerifyAudit(ctx context.Context, r Reader) (int64, *AuditProblem, error) {
	var v AuditVerifier
	head, err := r.ScanAudit(ctx, func(e *AuditEntry) error {
		v.Check(e)
		return nil
	})
	if err != nil {
		return v.Count(), nil, err
	}
	return v.Count(), v.Finish(head), nil
}

// RecordSystemEvent writes an audit entry for work done by the operator on
// the command line, such as seeding the demo.
func (s *Service) RecordSystemEvent(ctx context.Context, action string, details map[string]any) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		return s.audit(ctx, tx, AuditEvent{Actor: System, Action: action, ObjectType: "system", Details: details})
	})
}

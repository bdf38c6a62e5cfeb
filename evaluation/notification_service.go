package evaluation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// NotificationService reads the outbox: administrators read every
// message, agency staff those about their agency's work. Messages are
// written by the other areas' services (core.notifyExpert) and sent by
// evaluation/mailer.
type NotificationService struct {
	*core
	store notificationStore
}

// outboxScope narrows a filter to what the actor may read.
func outboxScope(actor Actor, f *OutboxFilter) error {
	switch actor.Role {
	case RoleAdmin:
	case RoleAgencyStaff:
		f.AgencyID = actor.AgencyID
	default:
		return ErrForbidden
	}
	return nil
}

// Outbox lists messages, newest first unless the filter sorts otherwise.
func (s *NotificationService) Outbox(ctx context.Context, actor Actor, f OutboxFilter) ([]*Message, int, error) {
	if err := outboxScope(actor, &f); err != nil {
		return nil, 0, err
	}
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	return s.store.OutboxMessages(ctx, f)
}

// OutboxMessage returns one message; another agency's is not found.
func (s *NotificationService) OutboxMessage(ctx context.Context, actor Actor, id int64) (*Message, error) {
	var f OutboxFilter
	if err := outboxScope(actor, &f); err != nil {
		return nil, err
	}
	m, err := s.store.OutboxMessage(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.AgencyID != 0 && m.AgencyID != f.AgencyID {
		return nil, ErrNotFound
	}
	return m, nil
}

// Notice is what a service says when it tells someone about a change:
// which text (Kind and its Data), what about (as in the audit log), whose
// staff may read it, and the event's key. The same event must give the
// same Key, and another event another (for an invitation, the seat and the
// time it was offered), so that running a step twice cannot tell twice.
type Notice struct {
	Kind       MessageKind
	ObjectType string
	ObjectID   string
	AgencyID   int64
	Key        string
	// Data is the kind's data type (InvitationData for KindInvitation).
	Data any
}

// notifyExpert puts a message to an expert of the pool in the outbox, in
// the caller's transaction, and reports whether it was new (false: the
// Key was told already). The message goes to the address in the expert's
// profile (or their account's, when the profile has none), in the
// language of their account. An expert without an
// account, with a disabled one, or without an address gets a message that
// is failed from the start with the Problem named, so the outbox shows who
// was not told; the change itself goes ahead.
//
// A service calls it with its transaction, which must have expertNotifier
// (Expert, UserByExpert, Enqueue):
//
//	err := s.notifyExpert(ctx, tx, m.ExpertID, Notice{Kind: KindInvitation,
//		ObjectType: "panel", ObjectID: idString(p.ID), AgencyID: p.AgencyID,
//		Key: "invitation:" + idString(m.ID) + ":" + m.InvitedAt.Format(time.RFC3339Nano),
//		Data: InvitationData{…}})
func (c *core) notifyExpert(ctx context.Context, tx expertNotifier, expertID int64, n Notice) (bool, error) {
	if !n.Kind.Valid() || n.Key == "" || n.ObjectType == "" || n.ObjectID == "" {
		return false, fmt.Errorf("notify expert %d: incomplete notice %+v", expertID, n)
	}
	data, err := json.Marshal(n.Data)
	if err != nil {
		return false, fmt.Errorf("notify expert %d: encode %s data: %w", expertID, n.Kind, err)
	}
	e, err := tx.Expert(ctx, expertID)
	if err != nil {
		return false, fmt.Errorf("notify expert %d: %w", expertID, err)
	}
	now := c.now()
	m := &Message{Kind: n.Kind, DedupeKey: n.Key, RecipientName: e.Name, Language: LangZH, Data: data,
		ObjectType: n.ObjectType, ObjectID: n.ObjectID, AgencyID: n.AgencyID, CreatedAt: now, NextAttemptAt: now}
	u, err := tx.UserByExpert(ctx, expertID)
	switch {
	case ErrorCode(err) == NotFound:
		m.Problem = ProblemNoAccount
	case err != nil:
		return false, fmt.Errorf("notify expert %d: %w", expertID, err)
	case !u.CanSignIn():
		m.RecipientID, m.Language, m.Problem = u.ID, u.Language, ProblemAccountDisabled
	default:
		m.RecipientID, m.Language = u.ID, u.Language
		if m.To = strings.TrimSpace(e.Email); m.To == "" {
			m.To = u.Email
		}
	}
	return enqueue(ctx, tx, m)
}

// enqueue stores m queued, or failed from the start when it has a Problem
// or no address.
func enqueue(ctx context.Context, tx outboxWriter, m *Message) (bool, error) {
	if m.Problem == "" && m.To == "" {
		m.Problem = ProblemNoEmail
	}
	if m.Problem != "" {
		m.To, m.Status, m.FailedAt = "", MessageFailed, m.CreatedAt
	} else {
		m.Status = MessageQueued
	}
	return tx.Enqueue(ctx, m)
}

// notifyStaff puts a message to each enabled account of an agency's staff
// in the outbox, in the caller's transaction, at the account's address and
// in its language; the Key is made the recipient's by adding their id.
// Staff without an address get a message failed from the start
// (ProblemNoEmail), so the outbox shows who was not told.
func (c *core) notifyStaff(ctx context.Context, tx staffNotifier, agencyID int64, n Notice) error {
	if !n.Kind.Valid() || n.Key == "" || n.ObjectType == "" || n.ObjectID == "" || agencyID == 0 {
		return fmt.Errorf("notify agency %d: incomplete notice %+v", agencyID, n)
	}
	data, err := json.Marshal(n.Data)
	if err != nil {
		return fmt.Errorf("notify agency %d: encode %s data: %w", agencyID, n.Kind, err)
	}
	enabled := false
	now := c.now()
	for page := 1; ; page++ {
		staff, _, err := tx.Users(ctx, UserFilter{Role: RoleAgencyStaff, AgencyID: agencyID, Disabled: &enabled,
			Page: Page{Number: page, Size: MaxPageSize}})
		if err != nil {
			return fmt.Errorf("notify agency %d: %w", agencyID, err)
		}
		for _, u := range staff {
			m := &Message{Kind: n.Kind, DedupeKey: n.Key + ":" + idString(u.ID), RecipientID: u.ID,
				RecipientName: u.Name, To: u.Email, Language: u.Language, Data: data, ObjectType: n.ObjectType,
				ObjectID: n.ObjectID, AgencyID: agencyID, CreatedAt: now, NextAttemptAt: now}
			if _, err := enqueue(ctx, tx, m); err != nil {
				return err
			}
		}
		if len(staff) < MaxPageSize {
			return nil
		}
	}
}

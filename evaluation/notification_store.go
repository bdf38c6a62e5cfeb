package evaluation

import "context"

// outboxReader reads the outbox.
type outboxReader interface {
	// OutboxMessages lists messages, newest first unless the filter sorts
	// otherwise, with the total matching.
	OutboxMessages(ctx context.Context, f OutboxFilter) ([]*Message, int, error)
	OutboxMessage(ctx context.Context, id int64) (*Message, error)
}

// outboxWriter puts messages in the outbox. Every area whose changes tell
// someone by e-mail has it in its transaction, so that the message is
// written with the change or not at all.
type outboxWriter interface {
	// Enqueue stores m, setting its ID, and reports true. A message whose
	// DedupeKey is already in the outbox is not stored again: Enqueue
	// reports false and leaves m.ID zero.
	Enqueue(ctx context.Context, m *Message) (bool, error)
}

// expertNotifier is what telling an expert by e-mail needs in a
// transaction: the profile (the address), the account (the language) and
// the outbox. An area's transaction that has these can call
// core.notifyExpert.
type expertNotifier interface {
	expertGetter
	UserByExpert(ctx context.Context, expertID int64) (*User, error)
	outboxWriter
}

// staffNotifier is what telling an agency's staff by e-mail needs in a
// transaction: the accounts and the outbox (core.notifyStaff).
type staffNotifier interface {
	Users(ctx context.Context, f UserFilter) ([]*User, int, error)
	outboxWriter
}

// notificationStore is what the notifications service reads.
type notificationStore interface {
	outboxReader
}

package evaluation

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Notifications (通知) leave evalpanel by e-mail through one way out, the
// outbox: a service that changes something a person must hear about
// writes a Message in the same transaction as the change, so the message
// exists exactly when the change does (a rolled-back invitation sends
// nothing, a committed one cannot lose its message). The sender
// (evaluation/mailer) delivers queued messages later.
//
// A message stores facts, not text: its kind, the recipient's language
// and the kind's data (InvitationData for an invitation, as JSON). The
// subject and body are rendered from them in that language when the
// message is sent, by the web package's translations
// (web/i18n/notifications.*.json), and kept in the row as sent. So the
// domain holds no wording and depends on no template engine, a wording
// corrected before a queued message goes out is the wording it gets, and
// the outbox page can show exactly what was sent, or what would be.
//
// To add a kind: a MessageKind constant, its data type (below, with JSON
// names that never change, since queued rows keep them), a case in
// messageData, and mail.<kind>.subject and mail.<kind>.body in both
// languages of web/i18n/notifications.*.json; the web tests render every
// kind in both languages.

// MessageKind says which text a message gets.
type MessageKind string

// The kinds of message.
const (
	// KindInvitation invites an expert to a panel seat (评审邀请).
	KindInvitation MessageKind = "invitation"
	// KindReopen tells an expert the agency reopened their sheet, and why
	// (评分表退回).
	KindReopen MessageKind = "reopen"
	// KindReminder reminds an expert of the sheets they have not
	// submitted (评分提醒).
	KindReminder MessageKind = "reminder"
	// KindConflict tells the agency's staff that an expert declared a
	// conflict of interest with a project and left its panel (利益冲突声明).
	KindConflict MessageKind = "conflict"
)

// MessageKinds lists every kind of message.
var MessageKinds = []MessageKind{KindInvitation, KindReopen, KindReminder, KindConflict}

// Valid reports whether k is one of MessageKinds.
func (k MessageKind) Valid() bool { return slices.Contains(MessageKinds, k) }

// MessageStatus is where a message is in the outbox.
type MessageStatus string

// The statuses of a message.
const (
	// MessageQueued waits to be sent, or to be tried again.
	MessageQueued MessageStatus = "queued"
	// MessageSent was accepted by the mail server.
	MessageSent MessageStatus = "sent"
	// MessageFailed will not be sent: the mail server refused the
	// recipient, every attempt failed, or it had no address (Problem).
	MessageFailed MessageStatus = "failed"
)

// MessageStatuses lists every status.
var MessageStatuses = []MessageStatus{MessageQueued, MessageSent, MessageFailed}

// Valid reports whether s is one of MessageStatuses.
func (s MessageStatus) Valid() bool { return slices.Contains(MessageStatuses, s) }

// Why a message has no address. Such a message is stored failed, so that
// the outbox shows who was not told, and never sent.
const (
	ProblemNoAccount       = "no_account"       // the expert has no user account
	ProblemAccountDisabled = "account_disabled" // the account cannot sign in
	ProblemNoEmail         = "no_email"         // neither the expert's profile nor the account has an address
)

// MessageProblems lists the reasons a message has no address.
var MessageProblems = []string{ProblemNoAccount, ProblemAccountDisabled, ProblemNoEmail}

// Message is one e-mail in the outbox.
type Message struct {
	ID   int64       `json:"id"`
	Kind MessageKind `json:"kind"`
	// DedupeKey names the event the message tells about; the outbox holds
	// one message per key, so an event cannot be told twice.
	DedupeKey string `json:"-"`
	// RecipientID is the recipient's account, 0 when they have none.
	RecipientID   int64    `json:"recipient_id,omitempty"`
	RecipientName string   `json:"recipient_name"`
	To            string   `json:"to"`
	Language      Language `json:"language"`
	// Data is the kind's data as JSON (see messageData).
	Data json.RawMessage `json:"-"`
	// What the message is about, as in the audit log.
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	// AgencyID is the agency whose staff may read the message, 0 for none.
	AgencyID  int64         `json:"agency_id,omitempty"`
	Status    MessageStatus `json:"status"`
	CreatedAt time.Time     `json:"created_at"`
	// Attempts counts the deliveries begun, a failed or interrupted one
	// included.
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	// ClaimedUntil is the end of the lease of the sender delivering it.
	ClaimedUntil time.Time `json:"-"`
	LastError    string    `json:"last_error,omitempty"`
	// Problem says why a message that was never sendable has no address
	// (MessageProblems).
	Problem  string    `json:"problem,omitempty"`
	SentAt   time.Time `json:"sent_at,omitzero"`
	FailedAt time.Time `json:"failed_at,omitzero"`
	// Subject and Body are the text as sent, empty until then; the edges
	// render a preview of a message not yet sent.
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// InvitationData is what an invitation tells the expert (KindInvitation).
type InvitationData struct {
	Expert   string       `json:"expert"`
	Campaign string       `json:"campaign"`
	Year     int          `json:"year"`
	Panel    string       `json:"panel"`
	Projects []ProjectRef `json:"projects"`
}

// ProjectRef names a project in a message.
type ProjectRef struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// ReopenData is what a reopening tells the expert (KindReopen).
type ReopenData struct {
	Campaign string     `json:"campaign"`
	Project  ProjectRef `json:"project"`
	Reason   string     `json:"reason"`
	Due      string     `json:"due,omitempty"`
}

// ReminderData is what a reminder tells the expert (KindReminder): the
// sheets not submitted yet and the last day.
type ReminderData struct {
	Campaign string       `json:"campaign"`
	Due      string       `json:"due,omitempty"`
	Projects []ProjectRef `json:"projects"`
}

// ConflictData is what the agency's staff hear when an expert declares a
// conflict of interest with a project (KindConflict): who, why, and what
// became of the seat. Chair is the member who took the chair from the
// expert, Alternate the expert invited to the seat; "" for none.
type ConflictData struct {
	Campaign  string     `json:"campaign"`
	Project   ProjectRef `json:"project"`
	Panel     string     `json:"panel"`
	Expert    string     `json:"expert"`
	Reason    string     `json:"reason"`
	Chair     string     `json:"chair,omitempty"`
	Alternate string     `json:"alternate,omitempty"`
}

// messageData returns a new value of the kind's data type.
func messageData(k MessageKind) (any, error) {
	switch k {
	case KindInvitation:
		return &InvitationData{}, nil
	case KindReopen:
		return &ReopenData{}, nil
	case KindReminder:
		return &ReminderData{}, nil
	case KindConflict:
		return &ConflictData{}, nil
	}
	return nil, fmt.Errorf("message kind %q has no data type", k)
}

// TemplateData decodes the message's data into its kind's type (a
// pointer), for rendering its text.
func (m *Message) TemplateData() (any, error) {
	v, err := messageData(m.Kind)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(m.Data, v); err != nil {
		return nil, fmt.Errorf("data of message %d: %w", m.ID, err)
	}
	return v, nil
}

// OutboxSorts are the sort keys of the outbox list: when the message was
// created, or sent.
var OutboxSorts = []string{"created", "sent"}

// OutboxFilter selects messages of the outbox; newest first by default.
type OutboxFilter struct {
	Status   MessageStatus
	AgencyID int64 // set by the service for agency staff
	Sort     string
	Page     Page
}

// Validate checks the outbox list's filter.
func (f *OutboxFilter) Validate() error {
	p := newFilterProblems()
	if f.Status != "" && !f.Status.Valid() {
		p.add("status", "error.status_filter")
	}
	p.sort(f.Sort, OutboxSorts)
	p.page(f.Page)
	return p.err()
}

// Package mailer delivers the outbox (see evaluation.Message) by SMTP with
// wneessen/go-mail. cmd/evalpanel runs a Sender beside the web server
// when an SMTP URL is configured; without one, messages stay queued.
//
// # Delivery
//
// The sender works one message at a time: it claims the queued message
// due soonest, which leases it (claimed_until) and counts an attempt in
// one statement; renders its subject and body in the recipient's
// language; hands it to the SMTP server; and then marks it sent, keeping
// the text as sent, in a statement that changes only a message not yet
// sent or failed, so a message is marked sent at most once.
//
// A failed attempt is tried again after a delay that doubles from
// RetryBase up to RetryMax, with the error kept as last_error, until
// MaxAttempts attempts have failed; then the message is failed. A
// recipient the server refuses outright (a 5xx reply to RCPT TO) fails
// at once: trying again would not help. A message whose text cannot be
// rendered fails at once too.
//
// # Stopping and restarting
//
// Cancelling Run's context stops the sender between two messages. The
// message being delivered when it is cancelled is finished first (the
// SMTP exchange and the mark run on a context that the stop does not
// cancel, bounded by SendTimeout), so a stop never leaves a message that
// the server accepted unmarked, and a restart does not send it again.
//
// What no SMTP client can rule out is a crash of the process (or a
// failure to write the mark) after the server has accepted a message and
// before the mark is written: the message is still leased, and once the
// lease (Lease) runs out it is claimed and sent again. So a message goes
// out once, or, after such a crash, at most once more per crash. Every
// attempt of a message carries the same Message-ID, derived from the
// outbox row (<evalpanel.outbox.ID.CREATED@domain-of-from>), so a second
// copy is recognisable, and mail clients that deduplicate by Message-ID
// show it once. Closing the SMTP session after a message was accepted is
// not part of the delivery: a failed QUIT is logged, not retried.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/evalpanel/evalpanel/evaluation"
	gomail "github.com/wneessen/go-mail"
)

// Queue is the outbox as the sender uses it; evaluation/sqlstore's DB
// implements it.
type Queue interface {
	// ClaimMessage leases the queued message due soonest at now until
	// until and counts an attempt; evaluation.ErrNotFound when none is
	// due.
	ClaimMessage(ctx context.Context, now, until time.Time) (*evaluation.Message, error)
	// MarkSent records the message sent with its text; a message sent or
	// failed already is a conflict.
	MarkSent(ctx context.Context, id int64, at time.Time, subject, body string) error
	// MarkRetry records a failed attempt and the time of the next.
	MarkRetry(ctx context.Context, id int64, lastError string, next time.Time) error
	// MarkFailed gives the message up.
	MarkFailed(ctx context.Context, id int64, lastError string, at time.Time) error
}

// Renderer writes a message's subject and body (plain text) in its
// language from its kind and data; web's notification texts implement it.
type Renderer interface {
	Render(m *evaluation.Message) (subject, body string, err error)
}

// Config configures a Sender. Server, Queue and Renderer are required;
// the zero values of the others are the defaults.
type Config struct {
	Server   Server
	Queue    Queue
	Renderer Renderer
	Logger   *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Poll is how often an idle sender looks for due messages (15 s).
	Poll time.Duration
	// Lease is how long a claimed message is left to its sender before
	// another may claim it (5 min). It must outlast SendTimeout and the
	// mark that follows.
	Lease time.Duration
	// SendTimeout bounds one delivery: connecting, TLS, authentication
	// and the message (1 min).
	SendTimeout time.Duration
	// RetryBase is the delay after the first failed attempt; each further
	// failure doubles it, up to RetryMax (1 min, 1 h).
	RetryBase, RetryMax time.Duration
	// MaxAttempts is how many attempts fail before the message does (8).
	MaxAttempts int
	// TLSConfig overrides the TLS settings (a test server's certificate).
	TLSConfig *tls.Config
}

// Sender delivers the outbox.
type Sender struct {
	cfg    Config
	client *gomail.Client
	log    *slog.Logger
}

// New returns a sender; it fails when the configuration is incomplete.
func New(cfg Config) (*Sender, error) {
	if cfg.Queue == nil || cfg.Renderer == nil || cfg.Server.Host == "" || cfg.Server.From == nil {
		return nil, errors.New("mailer: a server with a sender address, a queue and a renderer are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	setDefault(&cfg.Poll, 15*time.Second)
	setDefault(&cfg.Lease, 5*time.Minute)
	setDefault(&cfg.SendTimeout, time.Minute)
	setDefault(&cfg.RetryBase, time.Minute)
	setDefault(&cfg.RetryMax, time.Hour)
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Lease <= cfg.SendTimeout {
		return nil, fmt.Errorf("mailer: the lease (%s) must outlast the send timeout (%s)", cfg.Lease, cfg.SendTimeout)
	}
	client, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	return &Sender{cfg: cfg, client: client, log: cfg.Logger}, nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

func newClient(cfg Config) (*gomail.Client, error) {
	s := cfg.Server
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(cfg.SendTimeout)}
	if s.ImplicitTLS {
		opts = append(opts, gomail.WithSSL())
	} else {
		policy := map[TLSPolicy]gomail.TLSPolicy{TLSMandatory: gomail.TLSMandatory, TLSOpportunistic: gomail.TLSOpportunistic,
			TLSNone: gomail.NoTLS}[s.TLS]
		opts = append(opts, gomail.WithTLSPolicy(policy))
	}
	if cfg.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(cfg.TLSConfig))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username),
			gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mailer: %w", err)
	}
	return c, nil
}

// Run delivers due messages until ctx is cancelled, looking again every
// Poll. It returns nil when stopped.
func (s *Sender) Run(ctx context.Context) error {
	s.log.Info("mail sender started", "server", s.cfg.Server.Addr(), "from", s.cfg.Server.From.Address)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			s.log.Info("mail sender stopped")
			return nil
		case <-timer.C:
		}
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("mail sender", "err", err)
		}
		timer.Reset(s.cfg.Poll)
	}
}

// SendDue delivers every message due now, one at a time, and returns how
// many were sent. It stops early, between messages, when ctx is cancelled.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		now := s.cfg.Now()
		m, err := s.cfg.Queue.ClaimMessage(ctx, now, now.Add(s.cfg.Lease))
		if evaluation.ErrorCode(err) == evaluation.NotFound {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		if s.deliver(ctx, m) {
			sent++
		}
	}
	return sent, nil
}

// deliver sends one claimed message and records the outcome; it reports
// whether the message was sent. The exchange and the mark run on a
// context that cancelling ctx does not cancel (see the package comment).
func (s *Sender) deliver(ctx context.Context, m *evaluation.Message) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.SendTimeout)
	defer cancel()
	log := s.log.With("message", m.ID, "kind", m.Kind, "attempt", m.Attempts)
	subject, body, err := s.cfg.Renderer.Render(m)
	if err != nil {
		s.settle(ctx, log, m, fmt.Errorf("render: %w", err), true)
		return false
	}
	msg, err := s.message(m, subject, body)
	if err != nil {
		s.settle(ctx, log, m, err, true)
		return false
	}
	if err := s.send(ctx, log, msg); err != nil {
		s.settle(ctx, log, m, err, refused(err))
		return false
	}
	if err := s.cfg.Queue.MarkSent(ctx, m.ID, s.cfg.Now(), subject, body); err != nil {
		// The server has the message; it is sent again when the lease
		// runs out, with the same Message-ID.
		log.Error("message sent but not marked", "err", err)
		return true
	}
	log.Info("message sent")
	return true
}

// send hands the message to the server. A failure to close the session
// after the server accepted the message does not fail the delivery.
func (s *Sender) send(ctx context.Context, log *slog.Logger, msg *gomail.Msg) error {
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return err
	}
	err = s.client.SendWithSMTPClient(conn, msg)
	if cerr := s.client.CloseWithSMTPClient(conn); cerr != nil && err == nil {
		log.Warn("closing the SMTP session", "err", cerr)
	}
	return err
}

// message builds the e-mail. Its Message-ID is the outbox row's, the same
// on every attempt.
func (s *Sender) message(m *evaluation.Message, subject, body string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.cfg.Server.From)
	if err := msg.AddToFormat(m.RecipientName, m.To); err != nil {
		return nil, fmt.Errorf("address %q: %w", m.To, err)
	}
	msg.Subject(subject)
	msg.SetBodyString(gomail.TypeTextPlain, body)
	msg.SetMessageIDWithValue(MessageID(m, s.cfg.Server.domain()))
	msg.SetDate()
	// RFC 3834: an automatic message, which out-of-office replies skip.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	return msg, nil
}

// MessageID is the Message-ID (without angle brackets) of an outbox
// message sent from domain: the row's id and creation time, so that it is
// the same on every attempt and differs between databases.
func MessageID(m *evaluation.Message, domain string) string {
	return "evalpanel.outbox." + strconv.FormatInt(m.ID, 10) + "." + strconv.FormatInt(m.CreatedAt.UnixNano(), 36) + "@" + domain
}

// refused reports whether the server refused the recipient outright, so
// that trying again cannot help.
func refused(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.Reason == gomail.ErrSMTPRcptTo && se.ErrorCode() >= 500
}

// settle records a failed attempt: failed for good when final or when
// the attempts are used up, else due again after the backoff.
func (s *Sender) settle(ctx context.Context, log *slog.Logger, m *evaluation.Message, cause error, final bool) {
	now := s.cfg.Now()
	msg := cause.Error()
	var err error
	if final || m.Attempts >= s.cfg.MaxAttempts {
		log.Warn("message failed", "err", msg)
		err = s.cfg.Queue.MarkFailed(ctx, m.ID, msg, now)
	} else {
		next := now.Add(s.backoff(m.Attempts))
		log.Warn("message not sent, will retry", "err", msg, "next", next)
		err = s.cfg.Queue.MarkRetry(ctx, m.ID, msg, next)
	}
	if err != nil {
		log.Error("recording a failed attempt", "err", err)
	}
}

// backoff is the delay after the attempt-th failed attempt: RetryBase
// doubled for each attempt before it, at most RetryMax.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.cfg.RetryBase
	for i := 1; i < attempt && d < s.cfg.RetryMax; i++ {
		d *= 2
	}
	return min(d, s.cfg.RetryMax)
}

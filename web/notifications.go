package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/evalpanel/evalpanel/evaluation"
	"github.com/evalpanel/evalpanel/rbac"
	"github.com/gofiber/fiber/v2"
	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// notificationServices are the calls behind the outbox pages.
type notificationServices interface {
	Outbox(ctx context.Context, actor evaluation.Actor, f evaluation.OutboxFilter) ([]*evaluation.Message, int, error)
	OutboxMessage(ctx context.Context, actor evaluation.Actor, id int64) (*evaluation.Message, error)
}

// notificationRoutes: the outbox, for administrators (every message) and
// agency staff (their agency's).
func (a *App) notificationRoutes() {
	outboxRead := rbac.Read("outbox")
	a.route(get, "/outbox", outboxRead, a.outboxPage)
	a.route(get, "/outbox/:id", outboxRead, a.outboxMessagePage)
	a.route(get, "/api/v1/outbox", outboxRead, a.apiOutbox)
	a.route(get, "/api/v1/outbox/:id", outboxRead, a.apiOutboxMessage)
}

// MailTexts writes the e-mails of the outbox: subject and body of each
// kind of message in the recipient's language, from the messages
// mail.<kind>.subject and mail.<kind>.body (i18n/notifications.*.json)
// filled with the kind's data, between a greeting and a footer. The
// mailer sends what it writes; the outbox page previews with the same
// texts.
type MailTexts struct{ tr *translator }

// NewMailTexts loads the texts.
func NewMailTexts() (*MailTexts, error) {
	tr, err := newTranslator()
	if err != nil {
		return nil, err
	}
	return &MailTexts{tr: tr}, nil
}

// Render writes the message's subject and body (plain text).
func (t *MailTexts) Render(m *evaluation.Message) (subject, body string, err error) {
	return renderMail(t.tr, m)
}

func renderMail(tr *translator, m *evaluation.Message) (subject, body string, err error) {
	data, err := m.TemplateData()
	if err != nil {
		return "", "", err
	}
	lang := m.Language
	if !lang.Valid() {
		lang = evaluation.LangZH
	}
	prefix := "mail." + string(m.Kind)
	if subject, err = tr.render(lang, prefix+".subject", data); err != nil {
		return "", "", err
	}
	parts := make([]string, 3)
	if parts[0], err = tr.render(lang, "mail.greeting", map[string]string{"Name": m.RecipientName}); err != nil {
		return "", "", err
	}
	if parts[1], err = tr.render(lang, prefix+".body", data); err != nil {
		return "", "", err
	}
	if parts[2], err = tr.render(lang, "mail.footer", nil); err != nil {
		return "", "", err
	}
	return strings.Join(strings.Fields(subject), " "), strings.Join(parts, "\n\n") + "\n", nil
}

// render fills a message with data; unlike T, a missing message is an
// error, since a mail must not go out with a message ID for its text.
func (t *translator) render(lang evaluation.Language, id string, data any) (string, error) {
	if !t.Has(id) {
		return "", fmt.Errorf("no message %s", id)
	}
	s, err := t.localizers[lang].Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return "", fmt.Errorf("message %s in %s: %w", id, lang, err)
	}
	return s, nil
}

// preview fills in the subject and body of a message not sent yet with
// the text it would get now; a sent message keeps the text it was sent
// with. A message whose text cannot be written shows none, and the page
// says so.
func (a *App) preview(m *evaluation.Message) {
	if m.Status == evaluation.MessageSent {
		return
	}
	subject, body, err := renderMail(a.tr, m)
	if err != nil {
		a.log.Error("render message", "message", m.ID, "err", err)
		return
	}
	m.Subject, m.Body = subject, body
}

// outboxFilter reads the outbox list's filters from the query (UI and
// API).
func outboxFilter(c *fiber.Ctx) (evaluation.OutboxFilter, error) {
	bad := evaluation.FieldErrors{}
	f := evaluation.OutboxFilter{Status: evaluation.MessageStatus(c.Query("status")), Sort: c.Query("sort", "-created"),
		Page: pageParams(c, bad)}
	return f, filterError(bad, &f)
}

type outboxData struct {
	Messages []*evaluation.Message
	Message  *evaluation.Message
	Pager    *pager
	Filter   evaluation.OutboxFilter
	Statuses []evaluation.MessageStatus
	// About names what the message is about, as the audit log names it.
	About string
}

func (a *App) outboxList(c *fiber.Ctx) ([]*evaluation.Message, int, evaluation.OutboxFilter, error) {
	f, err := outboxFilter(c)
	if err != nil {
		return nil, 0, f, err
	}
	list, total, err := a.outbox.Outbox(c.UserContext(), actor(c), f)
	if err != nil {
		return nil, 0, f, err
	}
	for _, m := range list {
		a.preview(m)
	}
	return list, total, f, nil
}

func (a *App) outboxPage(c *fiber.Ctx) error {
	list, total, f, err := a.outboxList(c)
	if err != nil {
		return err
	}
	return a.render(c, "outbox", a.T(c, "nav.outbox"), outboxData{Messages: list, Pager: newPager(c, f.Page, total, f.Sort),
		Filter: f, Statuses: evaluation.MessageStatuses})
}

func (a *App) outboxMessage(c *fiber.Ctx) (*evaluation.Message, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	m, err := a.outbox.OutboxMessage(c.UserContext(), actor(c), id)
	if err != nil {
		return nil, err
	}
	a.preview(m)
	return m, nil
}

func (a *App) outboxMessagePage(c *fiber.Ctx) error {
	m, err := a.outboxMessage(c)
	if err != nil {
		return err
	}
	names := &auditNames{a: a, c: c, cache: map[string]string{}}
	about := names.object(&evaluation.AuditEntry{ObjectType: m.ObjectType, ObjectID: m.ObjectID, AgencyID: m.AgencyID})
	if names.err != nil {
		return names.err
	}
	title := a.T(c, "outbox.message_title", "Kind", a.T(c, "message_kind."+string(m.Kind)), "Recipient", m.RecipientName)
	return a.render(c, "outbox_message", title, outboxData{Message: m, About: about})
}

func (a *App) apiOutbox(c *fiber.Ctx) error {
	list, total, f, err := a.outboxList(c)
	if err != nil {
		return err
	}
	return c.JSON(newList(list, total, f.Page))
}

func (a *App) apiOutboxMessage(c *fiber.Ctx) error {
	m, err := a.outboxMessage(c)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

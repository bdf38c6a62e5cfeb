-- The outbox: every e-mail evalpanel sends is first a row here, written in
-- the same transaction as the change it tells about, and delivered later by
-- the sender (evaluation/mailer). A message is queued (sent_at and failed_at
-- NULL), sent, or failed (given up, or never sendable: see problem).
-- Version 8: version 7 belongs to the score sheets; goose applies versions
-- in order whether or not they are consecutive.

-- +goose Up
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,             -- invitation, …: which text the message gets
    dedupe_key      TEXT    NOT NULL UNIQUE,      -- one message per event
    recipient_id    INTEGER REFERENCES users (id),-- NULL when the recipient has no account
    recipient_name  TEXT    NOT NULL,
    to_address      TEXT    NOT NULL DEFAULT '',  -- '' when there is none (problem says why)
    language        TEXT    NOT NULL CHECK (language IN ('zh-CN', 'en')),
    data            TEXT    NOT NULL DEFAULT '{}',-- JSON object the kind's text is rendered from
    object_type     TEXT    NOT NULL,             -- what the message is about
    object_id       TEXT    NOT NULL,
    agency_id       INTEGER NOT NULL DEFAULT 0,   -- the agency whose staff may read it; 0 for none
    created_at      TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,   -- delivery attempts begun (counted when claimed)
    next_attempt_at TEXT    NOT NULL,
    claimed_until   TEXT,                         -- a sender is delivering it until then
    last_error      TEXT    NOT NULL DEFAULT '',
    problem         TEXT    NOT NULL DEFAULT '' CHECK (problem IN ('', 'no_account', 'account_disabled', 'no_email')),
    sent_at         TEXT,
    failed_at       TEXT,
    subject         TEXT    NOT NULL DEFAULT '',  -- the text as sent, kept when it is sent
    body            TEXT    NOT NULL DEFAULT '',
    CHECK (sent_at IS NULL OR failed_at IS NULL),
    CHECK (problem = '' OR (failed_at IS NOT NULL AND sent_at IS NULL))
);
-- What the sender looks for: queued messages by when they are due.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX outbox_agency ON outbox (agency_id, created_at);

-- +goose Down
DROP TABLE outbox;

-- Foundation: agencies (tenants), the expert pool, accounts, API tokens and
-- the append-only, hash-chained audit log.
-- Times are TEXT in UTC, 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ', so they sort and
-- compare as strings and hash exactly.

-- +goose Up
CREATE TABLE agencies (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL UNIQUE,
    name_zh    TEXT    NOT NULL,
    name_en    TEXT    NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE experts (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    type           TEXT    NOT NULL CHECK (type IN ('strategic_scientist', 'domain_expert', 'international_peer',
                                                    'investor', 'entrepreneur', 'finance_expert')),
    institution    TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    title_level    TEXT    NOT NULL CHECK (title_level IN ('senior', 'associate', 'other')),
    subject_codes  TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    keywords       TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    region         TEXT    NOT NULL CHECK (region IN ('local', 'non_local', 'international')),
    languages      TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    email          TEXT    NOT NULL DEFAULT '',
    can_be_drawn   INTEGER NOT NULL DEFAULT 1 CHECK (can_be_drawn IN (0, 1)),
    no_draw_reason TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX experts_type ON experts (type);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'commission', 'agency_staff', 'expert')),
    agency_id     INTEGER REFERENCES agencies (id),
    expert_id     INTEGER UNIQUE REFERENCES experts (id),
    language      TEXT    NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en')),
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_login_at TEXT,
    CHECK ((role = 'agency_staff') = (agency_id IS NOT NULL)),
    CHECK (role = 'expert' OR expert_id IS NULL)
);
CREATE INDEX users_agency ON users (agency_id);
CREATE INDEX users_role ON users (role);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE, -- hex SHA-256 of the token
    prefix       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY, -- assigned by evalpanel: the previous id + 1
    at          TEXT    NOT NULL,
    actor_id    INTEGER NOT NULL,    -- 0 for the system (command line)
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_type TEXT    NOT NULL,
    object_id   TEXT    NOT NULL,
    agency_id   INTEGER NOT NULL,    -- 0 when the entry belongs to no agency
    details     TEXT    NOT NULL,    -- JSON object
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_agency ON audit_log (agency_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- The newest entry, kept in step with the log, so that removing the newest
-- entries is detected as well as editing or removing any other.
CREATE TABLE audit_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT    NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, 0, '');

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE experts;
DROP TABLE agencies;

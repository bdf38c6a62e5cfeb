-- The expert's workspace: the pledge signed once per campaign, the
-- declaration per project, and the score sheets with their history.

-- +goose Up

-- A pledge (承诺书) an expert signed for a campaign, and which text.
CREATE TABLE pledges (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    expert_id   INTEGER NOT NULL REFERENCES experts (id),
    version     TEXT    NOT NULL, -- the pledge text's version (a hash of both languages)
    signed_at   TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, expert_id)
);

-- An expert's declaration that they have no conflict of interest with a
-- project. A declared conflict is an expert_conflicts row for the project
-- instead, which the conflict rules then apply everywhere.
CREATE TABLE declarations (
    project_id  INTEGER NOT NULL REFERENCES projects (id),
    expert_id   INTEGER NOT NULL REFERENCES experts (id),
    declared_at TEXT    NOT NULL,
    PRIMARY KEY (project_id, expert_id)
);

-- A member's own scoring deadline when the agency extended it ('' keeps
-- the campaign's).
ALTER TABLE panel_members ADD COLUMN due TEXT NOT NULL DEFAULT '';

-- One score sheet (评分表) per project, expert and seat: the working copy.
-- version counts every save, so a save based on an older one is refused;
-- round counts the submissions a reopening asked for.
CREATE TABLE sheets (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    panel_id       INTEGER NOT NULL REFERENCES panels (id),
    project_id     INTEGER NOT NULL REFERENCES projects (id),
    expert_id      INTEGER NOT NULL REFERENCES experts (id),
    seat           TEXT    NOT NULL CHECK (seat IN ('technical', 'finance')),
    rubric_code    TEXT    NOT NULL,
    rubric_version INTEGER NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'reopened')),
    version        INTEGER NOT NULL CHECK (version >= 1),
    round          INTEGER NOT NULL CHECK (round >= 1),
    content        TEXT    NOT NULL, -- JSON: scores, comments, opinion, vetoes, finance verdict
    reopen_reason  TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    submitted_at   TEXT,
    UNIQUE (project_id, expert_id)
);
CREATE INDEX sheets_campaign ON sheets (campaign_id, project_id);
CREATE INDEX sheets_expert ON sheets (expert_id);

-- Every submitted version of a sheet, as it was submitted: the record a
-- result is computed from and an appeal can check.
CREATE TABLE sheet_versions (
    sheet_id     INTEGER NOT NULL REFERENCES sheets (id),
    round        INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    content      TEXT    NOT NULL,
    total        INTEGER NOT NULL, -- half-points
    submitted_by INTEGER NOT NULL,
    submitted_at TEXT    NOT NULL,
    PRIMARY KEY (sheet_id, round)
);

-- +goose StatementBegin
CREATE TRIGGER sheet_versions_no_update BEFORE UPDATE ON sheet_versions
BEGIN
    SELECT RAISE(ABORT, 'submitted sheet versions are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sheet_versions_no_delete BEFORE DELETE ON sheet_versions
BEGIN
    SELECT RAISE(ABORT, 'submitted sheet versions are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER sheet_versions_no_delete;
DROP TRIGGER sheet_versions_no_update;
DROP TABLE sheet_versions;
DROP TABLE sheets;
ALTER TABLE panel_members DROP COLUMN due;
DROP TABLE declarations;
DROP TABLE pledges;

-- Revision rounds: agency staff reopen a project's technical sheets for
-- the panel to revise, with a note the members read: a discussion of a
-- divergent project, or the panel's re-evaluation after a rectification.

-- +goose Up

CREATE TABLE revisions (
    project_id     INTEGER NOT NULL REFERENCES projects (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('discussion', 'reevaluation')),
    note           TEXT    NOT NULL,
    due            TEXT    NOT NULL,
    sheets         INTEGER NOT NULL CHECK (sheets >= 1),
    opened_by      INTEGER NOT NULL,
    opened_by_name TEXT    NOT NULL,
    opened_at      TEXT    NOT NULL,
    PRIMARY KEY (project_id, seq)
);
CREATE INDEX revisions_campaign ON revisions (campaign_id);

-- +goose StatementBegin
CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are append-only');
END;
-- +goose StatementEnd

-- +goose Down

DROP TABLE revisions;

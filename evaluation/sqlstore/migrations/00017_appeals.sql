-- Appeals (申诉) recorded during a campaign's publicity, and the revision
-- round an admissible one opens: the panel's re-evaluation on appeal.

-- +goose Up

CREATE TABLE appeals (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    project_id       INTEGER NOT NULL REFERENCES projects (id),
    agency_id        INTEGER NOT NULL REFERENCES agencies (id),
    reason           TEXT    NOT NULL CHECK (reason IN ('procedure', 'conflict', 'factual', 'calculation', 'academic')),
    appellant        TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('filed', 'inadmissible', 'reevaluating', 'rejected', 'resolved')),
    before           TEXT    NOT NULL DEFAULT '',
    filed_by         INTEGER NOT NULL,
    filed_by_name    TEXT    NOT NULL,
    filed_at         TEXT    NOT NULL,
    revision_seq     INTEGER NOT NULL DEFAULT 0,
    reevaluation     TEXT    NOT NULL DEFAULT '',
    outcome          TEXT    NOT NULL DEFAULT '',
    resolution       TEXT    NOT NULL DEFAULT '',
    resolved_by      INTEGER NOT NULL DEFAULT 0,
    resolved_by_name TEXT    NOT NULL DEFAULT '',
    resolved_at      TEXT,
    -- An inadmissible appeal is settled by the rule when it is recorded.
    CHECK ((status = 'inadmissible') = (reason = 'academic'))
);
CREATE INDEX appeals_campaign ON appeals (campaign_id);
CREATE INDEX appeals_project ON appeals (project_id);

-- What was appealed stays as it was; a settled appeal does not change;
-- none is deleted.
-- +goose StatementBegin
CREATE TRIGGER appeals_no_update BEFORE UPDATE ON appeals
WHEN OLD.status IN ('inadmissible', 'rejected', 'resolved') OR NEW.reason IS NOT OLD.reason
    OR NEW.appellant IS NOT OLD.appellant OR NEW.text IS NOT OLD.text OR NEW.project_id IS NOT OLD.project_id
    OR NEW.campaign_id IS NOT OLD.campaign_id OR NEW.filed_at IS NOT OLD.filed_at OR NEW.filed_by IS NOT OLD.filed_by
    OR NEW.before IS NOT OLD.before
BEGIN
    SELECT RAISE(ABORT, 'an appeal as recorded, and a settled one, does not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER appeals_no_delete BEFORE DELETE ON appeals
BEGIN
    SELECT RAISE(ABORT, 'appeals are kept');
END;
-- +goose StatementEnd

-- Revision rounds gain the appeal's re-evaluation: the table is rebuilt
-- with the wider check, its rows, index and triggers as they were.
CREATE TABLE revisions_new (
    project_id     INTEGER NOT NULL REFERENCES projects (id),
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id      INTEGER NOT NULL REFERENCES agencies (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('discussion', 'reevaluation', 'appeal')),
    note           TEXT    NOT NULL,
    due            TEXT    NOT NULL,
    sheets         INTEGER NOT NULL CHECK (sheets >= 1),
    opened_by      INTEGER NOT NULL,
    opened_by_name TEXT    NOT NULL,
    opened_at      TEXT    NOT NULL,
    PRIMARY KEY (project_id, seq)
);
INSERT INTO revisions_new (project_id, seq, campaign_id, agency_id, kind, note, due, sheets, opened_by, opened_by_name, opened_at)
    SELECT project_id, seq, campaign_id, agency_id, kind, note, due, sheets, opened_by, opened_by_name, opened_at FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_new RENAME TO revisions;
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

DROP TABLE appeals;

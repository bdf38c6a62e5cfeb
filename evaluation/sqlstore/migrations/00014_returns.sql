-- The commission's review: projects it returns to the agency, each with
-- its comment, round by round, and the agency's answer to each.

-- +goose Up

CREATE TABLE returns (
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    round            INTEGER NOT NULL CHECK (round >= 1),
    project_id       INTEGER NOT NULL REFERENCES projects (id),
    agency_id        INTEGER NOT NULL REFERENCES agencies (id),
    comment          TEXT    NOT NULL,
    marked_by        INTEGER NOT NULL,
    marked_by_name   TEXT    NOT NULL,
    marked_at        TEXT    NOT NULL,
    -- NULL while the commission is still choosing the round's projects.
    returned_at      TEXT,
    answer           TEXT    NOT NULL DEFAULT '',
    answered_by      INTEGER NOT NULL DEFAULT 0,
    answered_by_name TEXT    NOT NULL DEFAULT '',
    answered_at      TEXT,
    PRIMARY KEY (campaign_id, round, project_id)
);
CREATE INDEX returns_project ON returns (project_id);

-- Once sent, what the commission wrote stays as it was, and the return is
-- kept; only the agency's answer is written after.
-- +goose StatementBegin
CREATE TRIGGER returns_sent_no_update BEFORE UPDATE ON returns
WHEN OLD.returned_at IS NOT NULL AND (NEW.comment IS NOT OLD.comment OR NEW.returned_at IS NOT OLD.returned_at
    OR NEW.marked_by IS NOT OLD.marked_by OR NEW.marked_at IS NOT OLD.marked_at OR NEW.round IS NOT OLD.round
    OR NEW.project_id IS NOT OLD.project_id OR NEW.campaign_id IS NOT OLD.campaign_id)
BEGIN
    SELECT RAISE(ABORT, 'a sent return does not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER returns_sent_no_delete BEFORE DELETE ON returns
WHEN OLD.returned_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a sent return is kept');
END;
-- +goose StatementEnd

-- +goose Down

DROP TABLE returns;

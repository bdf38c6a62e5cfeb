-- Veto confirmations: a veto item (一票否决项) that the agency's staff
-- confirmed for a project, with their reason; the veto then holds
-- whatever the sheets say. track names the rubric whose item it is (the
-- technical rubric of the project's class, or the finance rubric): both
-- may list the same code. A confirmation is never changed or withdrawn.

-- +goose Up

CREATE TABLE veto_confirmations (
    project_id        INTEGER NOT NULL REFERENCES projects (id),
    track             TEXT    NOT NULL CHECK (track IN ('technical', 'finance')),
    code              TEXT    NOT NULL,
    campaign_id       INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id         INTEGER NOT NULL REFERENCES agencies (id),
    reason            TEXT    NOT NULL CHECK (reason <> ''),
    confirmed_by      INTEGER NOT NULL,
    confirmed_by_name TEXT    NOT NULL,
    confirmed_at      TEXT    NOT NULL,
    PRIMARY KEY (project_id, track, code)
);
CREATE INDEX veto_confirmations_campaign ON veto_confirmations (campaign_id);

-- +goose StatementBegin
CREATE TRIGGER veto_confirmations_no_update BEFORE UPDATE ON veto_confirmations
BEGIN
    SELECT RAISE(ABORT, 'veto confirmations are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER veto_confirmations_no_delete BEFORE DELETE ON veto_confirmations
BEGIN
    SELECT RAISE(ABORT, 'veto confirmations are append-only');
END;
-- +goose StatementEnd

-- +goose Down

DROP TABLE veto_confirmations;

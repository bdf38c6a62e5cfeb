-- Results: panel opinions (专家组意见) with the chair's text and proposed
-- conclusion and each member's confirmation or dissent; the conclusions
-- the agency records; rectifications (整改).

-- +goose Up

CREATE TABLE opinions (
    project_id  INTEGER PRIMARY KEY REFERENCES projects (id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    panel_id    INTEGER NOT NULL REFERENCES panels (id),
    chair_id    INTEGER NOT NULL REFERENCES experts (id),
    text        TEXT    NOT NULL,
    proposed    TEXT    NOT NULL CHECK (proposed IN ('pass', 'fail')),
    status      TEXT    NOT NULL CHECK (status IN ('draft', 'circulating', 'locked')),
    version     INTEGER NOT NULL CHECK (version >= 1),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    locked_at   TEXT
);
CREATE INDEX opinions_campaign ON opinions (campaign_id);

CREATE TABLE opinion_responses (
    project_id   INTEGER NOT NULL REFERENCES opinions (project_id),
    expert_id    INTEGER NOT NULL REFERENCES experts (id),
    agree        INTEGER NOT NULL CHECK (agree IN (0, 1)),
    reason       TEXT    NOT NULL DEFAULT '',
    responded_at TEXT    NOT NULL,
    PRIMARY KEY (project_id, expert_id)
);

-- A locked opinion is the panel's signed record: it and its responses
-- never change again.
-- +goose StatementBegin
CREATE TRIGGER opinions_locked_no_update BEFORE UPDATE ON opinions
WHEN OLD.status = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'a locked opinion does not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER opinions_no_delete BEFORE DELETE ON opinions
BEGIN
    SELECT RAISE(ABORT, 'opinions are not deleted');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER opinion_responses_locked BEFORE DELETE ON opinion_responses
WHEN (SELECT status FROM opinions WHERE project_id = OLD.project_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'a locked opinion does not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER opinion_responses_locked_update BEFORE UPDATE ON opinion_responses
WHEN (SELECT status FROM opinions WHERE project_id = OLD.project_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'a locked opinion does not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER opinion_responses_locked_insert BEFORE INSERT ON opinion_responses
WHEN (SELECT status FROM opinions WHERE project_id = NEW.project_id) = 'locked'
BEGIN
    SELECT RAISE(ABORT, 'a locked opinion does not change');
END;
-- +goose StatementEnd

-- Every conclusion recorded for a project; the newest is in force. round:
-- 1 for the evaluation, 2 for the re-evaluation after a rectification.
CREATE TABLE conclusions (
    project_id       INTEGER NOT NULL REFERENCES projects (id),
    seq              INTEGER NOT NULL CHECK (seq >= 1),
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id        INTEGER NOT NULL REFERENCES agencies (id),
    round            INTEGER NOT NULL CHECK (round IN (1, 2)),
    conclusion       TEXT    NOT NULL CHECK (conclusion IN ('pass', 'fail', 'closed', 'pass_after_rectification')),
    proposed         TEXT    NOT NULL DEFAULT '',
    reason           TEXT    NOT NULL DEFAULT '',
    recorded_by      INTEGER NOT NULL,
    recorded_by_name TEXT    NOT NULL,
    recorded_at      TEXT    NOT NULL,
    PRIMARY KEY (project_id, seq)
);
CREATE INDEX conclusions_campaign ON conclusions (campaign_id);

-- The one rectification a failed project may get.
CREATE TABLE rectifications (
    project_id      INTEGER PRIMARY KEY REFERENCES projects (id),
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id       INTEGER NOT NULL REFERENCES agencies (id),
    due             TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    created_by      INTEGER NOT NULL,
    created_by_name TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER conclusions_no_update BEFORE UPDATE ON conclusions
BEGIN
    SELECT RAISE(ABORT, 'conclusions are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER conclusions_no_delete BEFORE DELETE ON conclusions
BEGIN
    SELECT RAISE(ABORT, 'conclusions are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rectifications_no_update BEFORE UPDATE ON rectifications
BEGIN
    SELECT RAISE(ABORT, 'rectifications are append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER rectifications_no_delete BEFORE DELETE ON rectifications
BEGIN
    SELECT RAISE(ABORT, 'rectifications are append-only');
END;
-- +goose StatementEnd

-- +goose Down

DROP TABLE rectifications;
DROP TABLE conclusions;
DROP TABLE opinion_responses;
DROP TABLE opinions;

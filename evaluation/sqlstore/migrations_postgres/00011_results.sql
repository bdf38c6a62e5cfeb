-- PostgreSQL twin of migrations/00011_results.sql (see 00001 for how the
-- two are kept alike).
-- Results: panel opinions (专家组意见) with the chair's text and proposed
-- conclusion and each member's confirmation or dissent; the conclusions
-- the agency records; rectifications (整改).

-- +goose Up

CREATE TABLE opinions (
    project_id  BIGINT PRIMARY KEY REFERENCES projects (id),
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    panel_id    BIGINT NOT NULL REFERENCES panels (id),
    chair_id    BIGINT NOT NULL REFERENCES experts (id),
    text        TEXT COLLATE "C" NOT NULL,
    proposed    TEXT COLLATE "C" NOT NULL CHECK (proposed IN ('pass', 'fail')),
    status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('draft', 'circulating', 'locked')),
    version     BIGINT NOT NULL CHECK (version >= 1),
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL,
    locked_at   TEXT COLLATE "C"
);
CREATE INDEX opinions_campaign ON opinions (campaign_id);

CREATE TABLE opinion_responses (
    project_id   BIGINT NOT NULL REFERENCES opinions (project_id),
    expert_id    BIGINT NOT NULL REFERENCES experts (id),
    agree        BIGINT NOT NULL CHECK (agree IN (0, 1)),
    reason       TEXT COLLATE "C" NOT NULL DEFAULT '',
    responded_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, expert_id)
);

-- A locked opinion is the panel's signed record: it and its responses
-- never change again.
CREATE TRIGGER opinions_locked_no_update BEFORE UPDATE ON opinions FOR EACH ROW
    WHEN (OLD.status = 'locked')
    EXECUTE FUNCTION refuse_write('a locked opinion does not change');
CREATE TRIGGER opinions_no_delete BEFORE DELETE ON opinions
    FOR EACH ROW EXECUTE FUNCTION refuse_write('opinions are not deleted');
CREATE TRIGGER opinions_no_truncate BEFORE TRUNCATE ON opinions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('opinions are not deleted');

-- SQLite's WHEN (SELECT status FROM opinions WHERE project_id = ...) =
-- 'locked': a trigger's WHEN cannot hold a subquery here, so the function
-- asks it, of the new row on INSERT and of the old one otherwise, as the
-- SQLite triggers do.
-- +goose StatementBegin
CREATE FUNCTION opinion_responses_refuse_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    opinion BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        opinion := NEW.project_id;
    ELSE
        opinion := OLD.project_id;
    END IF;
    IF (SELECT status FROM opinions WHERE project_id = opinion) = 'locked' THEN
        RAISE EXCEPTION 'a locked opinion does not change';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER opinion_responses_locked BEFORE DELETE ON opinion_responses
    FOR EACH ROW EXECUTE FUNCTION opinion_responses_refuse_locked();
CREATE TRIGGER opinion_responses_locked_update BEFORE UPDATE ON opinion_responses
    FOR EACH ROW EXECUTE FUNCTION opinion_responses_refuse_locked();
CREATE TRIGGER opinion_responses_locked_insert BEFORE INSERT ON opinion_responses
    FOR EACH ROW EXECUTE FUNCTION opinion_responses_refuse_locked();

CREATE TRIGGER opinion_responses_no_truncate BEFORE TRUNCATE ON opinion_responses FOR EACH STATEMENT
    EXECUTE FUNCTION refuse_truncate('a locked opinion does not change',
        '(SELECT status FROM opinions WHERE project_id = opinion_responses.project_id) = ''locked''');

-- Every conclusion recorded for a project; the newest is in force. round:
-- 1 for the evaluation, 2 for the re-evaluation after a rectification.
CREATE TABLE conclusions (
    project_id       BIGINT NOT NULL REFERENCES projects (id),
    seq              BIGINT NOT NULL CHECK (seq >= 1),
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
    agency_id        BIGINT NOT NULL REFERENCES agencies (id),
    round            BIGINT NOT NULL CHECK (round IN (1, 2)),
    conclusion       TEXT COLLATE "C" NOT NULL CHECK (conclusion IN ('pass', 'fail', 'closed', 'pass_after_rectification')),
    proposed         TEXT COLLATE "C" NOT NULL DEFAULT '',
    reason           TEXT COLLATE "C" NOT NULL DEFAULT '',
    recorded_by      BIGINT NOT NULL,
    recorded_by_name TEXT COLLATE "C" NOT NULL,
    recorded_at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, seq)
);
CREATE INDEX conclusions_campaign ON conclusions (campaign_id);

-- The one rectification a failed project may get.
CREATE TABLE rectifications (
    project_id      BIGINT PRIMARY KEY REFERENCES projects (id),
    campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
    agency_id       BIGINT NOT NULL REFERENCES agencies (id),
    due             TEXT COLLATE "C" NOT NULL,
    reason          TEXT COLLATE "C" NOT NULL,
    created_by      BIGINT NOT NULL,
    created_by_name TEXT COLLATE "C" NOT NULL,
    created_at      TEXT COLLATE "C" NOT NULL
);

CREATE TRIGGER conclusions_no_update BEFORE UPDATE ON conclusions
    FOR EACH ROW EXECUTE FUNCTION refuse_write('conclusions are append-only');
CREATE TRIGGER conclusions_no_delete BEFORE DELETE ON conclusions
    FOR EACH ROW EXECUTE FUNCTION refuse_write('conclusions are append-only');
CREATE TRIGGER conclusions_no_truncate BEFORE TRUNCATE ON conclusions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('conclusions are append-only');
CREATE TRIGGER rectifications_no_update BEFORE UPDATE ON rectifications
    FOR EACH ROW EXECUTE FUNCTION refuse_write('rectifications are append-only');
CREATE TRIGGER rectifications_no_delete BEFORE DELETE ON rectifications
    FOR EACH ROW EXECUTE FUNCTION refuse_write('rectifications are append-only');
CREATE TRIGGER rectifications_no_truncate BEFORE TRUNCATE ON rectifications
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('rectifications are append-only');

-- +goose Down

DROP TABLE rectifications;
DROP TABLE conclusions;
DROP TABLE opinion_responses;
DROP FUNCTION opinion_responses_refuse_locked();
DROP TABLE opinions;

-- PostgreSQL twin of migrations/00014_returns.sql (see 00001 for how the
-- two are kept alike).
-- The commission's review: projects it returns to the agency, each with
-- its comment, round by round, and the agency's answer to each.

-- +goose Up

CREATE TABLE returns (
    campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
    round            BIGINT NOT NULL CHECK (round >= 1),
    project_id       BIGINT NOT NULL REFERENCES projects (id),
    agency_id        BIGINT NOT NULL REFERENCES agencies (id),
    comment          TEXT COLLATE "C" NOT NULL,
    marked_by        BIGINT NOT NULL,
    marked_by_name   TEXT COLLATE "C" NOT NULL,
    marked_at        TEXT COLLATE "C" NOT NULL,
    -- NULL while the commission is still choosing the round's projects.
    returned_at      TEXT COLLATE "C",
    answer           TEXT COLLATE "C" NOT NULL DEFAULT '',
    answered_by      BIGINT NOT NULL DEFAULT 0,
    answered_by_name TEXT COLLATE "C" NOT NULL DEFAULT '',
    answered_at      TEXT COLLATE "C",
    PRIMARY KEY (campaign_id, round, project_id)
);
CREATE INDEX returns_project ON returns (project_id);

-- Once sent, what the commission wrote stays as it was, and the return is
-- kept; only the agency's answer is written after. (SQLite's IS NOT is
-- IS DISTINCT FROM.)
CREATE TRIGGER returns_sent_no_update BEFORE UPDATE ON returns FOR EACH ROW
    WHEN (OLD.returned_at IS NOT NULL AND (NEW.comment IS DISTINCT FROM OLD.comment
        OR NEW.returned_at IS DISTINCT FROM OLD.returned_at OR NEW.marked_by IS DISTINCT FROM OLD.marked_by
        OR NEW.marked_at IS DISTINCT FROM OLD.marked_at OR NEW.round IS DISTINCT FROM OLD.round
        OR NEW.project_id IS DISTINCT FROM OLD.project_id OR NEW.campaign_id IS DISTINCT FROM OLD.campaign_id))
    EXECUTE FUNCTION refuse_write('a sent return does not change');
CREATE TRIGGER returns_sent_no_delete BEFORE DELETE ON returns FOR EACH ROW
    WHEN (OLD.returned_at IS NOT NULL)
    EXECUTE FUNCTION refuse_write('a sent return is kept');

CREATE TRIGGER returns_no_truncate BEFORE TRUNCATE ON returns FOR EACH STATEMENT
    EXECUTE FUNCTION refuse_truncate('a sent return is kept', 'returned_at IS NOT NULL');

-- +goose Down

DROP TABLE returns;

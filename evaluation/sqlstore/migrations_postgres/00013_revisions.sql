-- PostgreSQL twin of migrations/00013_revisions.sql (see 00001 for how the
-- two are kept alike).
-- Revision rounds: agency staff reopen a project's technical sheets for
-- the panel to revise, with a note the members read: a discussion of a
-- divergent project, or the panel's re-evaluation after a rectification.

-- +goose Up

-- The kind's check is named (the name PostgreSQL would give it anyway)
-- because 00017 replaces it.
CREATE TABLE revisions (
    project_id     BIGINT NOT NULL REFERENCES projects (id),
    seq            BIGINT NOT NULL CHECK (seq >= 1),
    campaign_id    BIGINT NOT NULL REFERENCES campaigns (id),
    agency_id      BIGINT NOT NULL REFERENCES agencies (id),
    kind           TEXT COLLATE "C" NOT NULL CONSTRAINT revisions_kind_check CHECK (kind IN ('discussion', 'reevaluation')),
    note           TEXT COLLATE "C" NOT NULL,
    due            TEXT COLLATE "C" NOT NULL,
    sheets         BIGINT NOT NULL CHECK (sheets >= 1),
    opened_by      BIGINT NOT NULL,
    opened_by_name TEXT COLLATE "C" NOT NULL,
    opened_at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, seq)
);
CREATE INDEX revisions_campaign ON revisions (campaign_id);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
    FOR EACH ROW EXECUTE FUNCTION refuse_write('revisions are append-only');
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
    FOR EACH ROW EXECUTE FUNCTION refuse_write('revisions are append-only');
CREATE TRIGGER revisions_no_truncate BEFORE TRUNCATE ON revisions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('revisions are append-only');

-- +goose Down

DROP TABLE revisions;

-- PostgreSQL twin of migrations/00012_veto_confirmations.sql (see 00001
-- for how the two are kept alike).
-- Veto confirmations: a veto item (一票否决项) that the agency's staff
-- confirmed for a project, with their reason; the veto then holds
-- whatever the sheets say. track names the rubric whose item it is (the
-- technical rubric of the project's class, or the finance rubric): both
-- may list the same code. A confirmation is never changed or withdrawn.

-- +goose Up

CREATE TABLE veto_confirmations (
    project_id        BIGINT NOT NULL REFERENCES projects (id),
    track             TEXT COLLATE "C" NOT NULL CHECK (track IN ('technical', 'finance')),
    code              TEXT COLLATE "C" NOT NULL,
    campaign_id       BIGINT NOT NULL REFERENCES campaigns (id),
    agency_id         BIGINT NOT NULL REFERENCES agencies (id),
    reason            TEXT COLLATE "C" NOT NULL CHECK (reason <> ''),
    confirmed_by      BIGINT NOT NULL,
    confirmed_by_name TEXT COLLATE "C" NOT NULL,
    confirmed_at      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, track, code)
);
CREATE INDEX veto_confirmations_campaign ON veto_confirmations (campaign_id);

CREATE TRIGGER veto_confirmations_no_update BEFORE UPDATE ON veto_confirmations
    FOR EACH ROW EXECUTE FUNCTION refuse_write('veto confirmations are append-only');
CREATE TRIGGER veto_confirmations_no_delete BEFORE DELETE ON veto_confirmations
    FOR EACH ROW EXECUTE FUNCTION refuse_write('veto confirmations are append-only');
CREATE TRIGGER veto_confirmations_no_truncate BEFORE TRUNCATE ON veto_confirmations
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('veto confirmations are append-only');

-- +goose Down

DROP TABLE veto_confirmations;

-- PostgreSQL twin of migrations/00018_expert_records.sql (see 00001 for
-- how the two are kept alike).
-- Expert records (专家信用记录): when a campaign closes, one row per expert
-- who was invited to one of its panels, with figures computed from the
-- campaign's panels, sheets and declarations (evaluation.ExpertRecord says
-- how each is defined). A record is evidence of what happened in a closed
-- campaign: it never changes and is never deleted.

-- +goose Up

CREATE TABLE expert_records (
    campaign_id        BIGINT NOT NULL REFERENCES campaigns (id),
    expert_id          BIGINT NOT NULL REFERENCES experts (id),
    agency_id          BIGINT NOT NULL REFERENCES agencies (id),
    assigned           BIGINT NOT NULL CHECK (assigned >= 0),
    submitted          BIGINT NOT NULL CHECK (submitted BETWEEN 0 AND assigned),
    on_time            BIGINT NOT NULL CHECK (on_time BETWEEN 0 AND submitted),
    on_time_rate       DOUBLE PRECISION, -- on_time / assigned; NULL when nothing was assigned
    scored             BIGINT NOT NULL CHECK (scored >= 0), -- technical sheets in panels of 3 or more
    divergent          BIGINT NOT NULL CHECK (divergent BETWEEN 0 AND scored),
    divergence_rate    DOUBLE PRECISION, -- divergent / scored; NULL when scored is 0
    leniency           DOUBLE PRECISION, -- the bias of the advisory fit, in points; NULL without a technical sheet
    leniency_se        DOUBLE PRECISION,
    leniency_estimable BIGINT NOT NULL DEFAULT 0 CHECK (leniency_estimable IN (0, 1)),
    conflicts          BIGINT NOT NULL CHECK (conflicts >= 0),
    declines           BIGINT NOT NULL CHECK (declines >= 0),
    computed_at        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (campaign_id, expert_id)
);
CREATE INDEX expert_records_expert ON expert_records (expert_id, campaign_id);

CREATE TRIGGER expert_records_no_update BEFORE UPDATE ON expert_records
    FOR EACH ROW EXECUTE FUNCTION refuse_write('expert records do not change');
CREATE TRIGGER expert_records_no_delete BEFORE DELETE ON expert_records
    FOR EACH ROW EXECUTE FUNCTION refuse_write('expert records are kept');
CREATE TRIGGER expert_records_no_truncate BEFORE TRUNCATE ON expert_records
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('expert records are kept');

-- +goose Down

DROP TABLE expert_records;

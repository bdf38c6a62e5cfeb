-- Expert records (专家信用记录): when a campaign closes, one row per expert
-- who was invited to one of its panels, with figures computed from the
-- campaign's panels, sheets and declarations (evaluation.ExpertRecord says
-- how each is defined). A record is evidence of what happened in a closed
-- campaign: it never changes and is never deleted.

-- +goose Up

CREATE TABLE expert_records (
    campaign_id        INTEGER NOT NULL REFERENCES campaigns (id),
    expert_id          INTEGER NOT NULL REFERENCES experts (id),
    agency_id          INTEGER NOT NULL REFERENCES agencies (id),
    assigned           INTEGER NOT NULL CHECK (assigned >= 0),
    submitted          INTEGER NOT NULL CHECK (submitted BETWEEN 0 AND assigned),
    on_time            INTEGER NOT NULL CHECK (on_time BETWEEN 0 AND submitted),
    on_time_rate       REAL,    -- on_time / assigned; NULL when nothing was assigned
    scored             INTEGER NOT NULL CHECK (scored >= 0), -- technical sheets in panels of 3 or more
    divergent          INTEGER NOT NULL CHECK (divergent BETWEEN 0 AND scored),
    divergence_rate    REAL,    -- divergent / scored; NULL when scored is 0
    leniency           REAL,    -- the bias of the advisory fit, in points; NULL without a technical sheet
    leniency_se        REAL,
    leniency_estimable INTEGER NOT NULL DEFAULT 0 CHECK (leniency_estimable IN (0, 1)),
    conflicts          INTEGER NOT NULL CHECK (conflicts >= 0),
    declines           INTEGER NOT NULL CHECK (declines >= 0),
    computed_at        TEXT    NOT NULL,
    PRIMARY KEY (campaign_id, expert_id)
);
CREATE INDEX expert_records_expert ON expert_records (expert_id, campaign_id);

-- +goose StatementBegin
CREATE TRIGGER expert_records_no_update BEFORE UPDATE ON expert_records
BEGIN
    SELECT RAISE(ABORT, 'expert records do not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER expert_records_no_delete BEFORE DELETE ON expert_records
BEGIN
    SELECT RAISE(ABORT, 'expert records are kept');
END;
-- +goose StatementEnd

-- +goose Down

DROP TABLE expert_records;

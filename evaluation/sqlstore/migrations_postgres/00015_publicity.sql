-- PostgreSQL twin of migrations/00015_publicity.sql (see 00001 for how the
-- two are kept alike).
-- Publicity (公示): the commission's approval of a campaign starts a
-- period in which its conclusions are public.

-- +goose Up

CREATE TABLE publicity (
    campaign_id      BIGINT PRIMARY KEY REFERENCES campaigns (id),
    agency_id        BIGINT NOT NULL REFERENCES agencies (id),
    starts           TEXT COLLATE "C" NOT NULL,
    ends             TEXT COLLATE "C" NOT NULL,
    days             BIGINT NOT NULL CHECK (days BETWEEN 1 AND 30),
    note             TEXT COLLATE "C" NOT NULL DEFAULT '',
    approved_by      BIGINT NOT NULL,
    approved_by_name TEXT COLLATE "C" NOT NULL,
    approved_at      TEXT COLLATE "C" NOT NULL
);

CREATE TRIGGER publicity_no_update BEFORE UPDATE ON publicity
    FOR EACH ROW EXECUTE FUNCTION refuse_write('a publicity period does not change');
CREATE TRIGGER publicity_no_delete BEFORE DELETE ON publicity
    FOR EACH ROW EXECUTE FUNCTION refuse_write('a publicity period is kept');
CREATE TRIGGER publicity_no_truncate BEFORE TRUNCATE ON publicity
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('a publicity period is kept');

-- +goose Down

DROP TABLE publicity;

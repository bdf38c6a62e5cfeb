-- Publicity (公示): the commission's approval of a campaign starts a
-- period in which its conclusions are public.

-- +goose Up

CREATE TABLE publicity (
    campaign_id      INTEGER PRIMARY KEY REFERENCES campaigns (id),
    agency_id        INTEGER NOT NULL REFERENCES agencies (id),
    starts           TEXT    NOT NULL,
    ends             TEXT    NOT NULL,
    days             INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
    note             TEXT    NOT NULL DEFAULT '',
    approved_by      INTEGER NOT NULL,
    approved_by_name TEXT    NOT NULL,
    approved_at      TEXT    NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER publicity_no_update BEFORE UPDATE ON publicity
BEGIN
    SELECT RAISE(ABORT, 'a publicity period does not change');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER publicity_no_delete BEFORE DELETE ON publicity
BEGIN
    SELECT RAISE(ABORT, 'a publicity period is kept');
END;
-- +goose StatementEnd

-- +goose Down

DROP TABLE publicity;

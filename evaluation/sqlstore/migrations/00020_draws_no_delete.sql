-- A draw record is evidence of how a panel was formed: like an audit entry
-- it is never removed (00003 refuses changing one). `draw verify` still
-- reports a record missing, for whoever drops the trigger with file access.

-- +goose Up
-- +goose StatementBegin
CREATE TRIGGER draws_no_delete BEFORE DELETE ON draws
BEGIN
    SELECT RAISE(ABORT, 'draw records are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER draws_no_delete;

-- PostgreSQL twin of migrations/00020_draws_no_delete.sql (see 00001 for
-- how the two are kept alike).
-- A draw record is evidence of how a panel was formed: like an audit entry
-- it is never removed (00003 refuses changing one). `draw verify` still
-- reports a record missing, for whoever drops the trigger with file access.

-- +goose Up
CREATE TRIGGER draws_no_delete BEFORE DELETE ON draws
    FOR EACH ROW EXECUTE FUNCTION refuse_write('draw records are append-only');
CREATE TRIGGER draws_no_truncate BEFORE TRUNCATE ON draws
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate('draw records are append-only');

-- +goose Down
DROP TRIGGER draws_no_truncate ON draws;
DROP TRIGGER draws_no_delete ON draws;

-- PostgreSQL twin of migrations/00016_audit_object.sql (see 00001 for how
-- the two are kept alike).
-- One object's audit trail (a project's, say) is read by its type and id.

-- +goose Up
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);

-- +goose Down
DROP INDEX audit_log_object;

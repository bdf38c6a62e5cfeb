-- Rubrics (评价指标体系): versioned; a published version never changes.

-- +goose Up
CREATE TABLE rubrics (
    id           INTEGER PRIMARY KEY,
    code         TEXT    NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    target       TEXT    NOT NULL CHECK (target IN ('basic_research', 'applied_technology', 'finance')),
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    content      TEXT    NOT NULL, -- JSON of rubrics.Rubric
    hash         TEXT    NOT NULL, -- SHA-256 of the content without the version
    created_by   INTEGER NOT NULL, -- user id, 0 for the system
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    published_at TEXT,
    UNIQUE (code, version)
);
CREATE INDEX rubrics_target ON rubrics (target, code, version);

-- A published or retired version's content is frozen, whatever writes to
-- the database; its status may only move from published to retired.
-- +goose StatementBegin
CREATE TRIGGER rubrics_frozen BEFORE UPDATE ON rubrics
WHEN OLD.status <> 'draft' AND (NEW.content <> OLD.content OR NEW.hash <> OLD.hash OR NEW.code <> OLD.code
    OR NEW.version <> OLD.version OR NEW.target <> OLD.target OR NEW.status = 'draft')
BEGIN
    SELECT RAISE(ABORT, 'a published rubric version never changes');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER rubrics_no_delete BEFORE DELETE ON rubrics
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'only a draft rubric version can be deleted');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER rubrics_no_delete;
DROP TRIGGER rubrics_frozen;
DROP TABLE rubrics;

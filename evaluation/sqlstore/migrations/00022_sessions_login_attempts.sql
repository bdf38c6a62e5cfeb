-- Sessions and sign-in attempts in the store, so that several instances on
-- one database share them (issue 12). The sessions table has the layout
-- gofiber/storage/sqlite3 gave the one it created in the same file before
-- (k, v, e): an existing database keeps that table and its signed-in users
-- (its k is VARCHAR(64) and e's default '0', the same to SQLite).

-- +goose Up
CREATE TABLE IF NOT EXISTS sessions (
    k TEXT    PRIMARY KEY NOT NULL DEFAULT '',
    v BLOB    NOT NULL,
    e INTEGER NOT NULL DEFAULT 0
);
DROP INDEX IF EXISTS e;
CREATE INDEX sessions_expiry ON sessions (e);

-- One row per sign-in attempt still counted: key is a hash of the account
-- and address (or of the account alone for its current password).
CREATE TABLE login_attempts (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, at);

-- +goose Down
DROP TABLE login_attempts;
DROP TABLE sessions;

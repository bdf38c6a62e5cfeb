-- PostgreSQL twin of migrations/00021_credentials_version.sql (see 00001
-- for how the two are kept alike).
-- A user's credentials version: how many times their password was changed
-- or reset or their account disabled. A session remembers the version it
-- was opened at and ends once the version moves on, so that changing a
-- password signs out every other browser; the same changes revoke the
-- user's API tokens.

-- +goose Up
ALTER TABLE users ADD COLUMN credentials_version BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN credentials_version;

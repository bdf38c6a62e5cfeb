-- An account's e-mail address: where evalpanel writes to the account
-- holder (agency staff hear of declared conflicts there). '' for none.
-- Version 10: version 9 is a Go migration (migrate_go.go).

-- +goose Up
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN email;

-- Who recorded each declared conflict and collaboration record: the user's
-- id, 0 for the system and for rows from before this migration. An expert
-- may withdraw a conflict they declared themself, but never one that the
-- commission or an administrator recorded about them: that would let an
-- expert lift a conflict of interest on their own.

-- +goose Up
ALTER TABLE expert_conflicts ADD COLUMN created_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE expert_collaborations ADD COLUMN created_by INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE expert_collaborations DROP COLUMN created_by;
ALTER TABLE expert_conflicts DROP COLUMN created_by;

-- PostgreSQL twin of migrations/00005_draws_panel_index.sql (see 00001 for
-- how the two are kept alike).
-- Draw records by panel: a panel's page lists the draws that formed it
-- without reading every draw of the campaign.

-- +goose Up
CREATE INDEX draws_panel ON draws (panel_id) WHERE panel_id IS NOT NULL;

-- +goose Down
DROP INDEX draws_panel;

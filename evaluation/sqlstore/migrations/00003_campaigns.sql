-- Campaigns, projects with contract indicators, materials and method
-- records; the expert pool's conflict records; panels, draws and
-- invitations. Every row that belongs to an agency carries agency_id, so
-- that every query can scope by tenant without a join.

-- +goose Up
CREATE TABLE campaigns (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies (id),
    name              TEXT    NOT NULL,
    year              INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    programme         TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL CHECK (state IN ('draft', 'forming', 'scoring', 'concluding', 'submitted',
                                                        'returned', 'approved', 'published', 'closed')),
    aggregation       TEXT    NOT NULL CHECK (aggregation IN ('trimmed_mean', 'mean', 'median')),
    settings          TEXT    NOT NULL, -- JSON: deadlines, panel rules per class, rubric pins
    created_by        INTEGER NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);
CREATE INDEX campaigns_agency ON campaigns (agency_id, year);

-- The state machine's history; the audit log has it too, this table is
-- for showing it.
CREATE TABLE campaign_transitions (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    from_state  TEXT    NOT NULL,
    to_state    TEXT    NOT NULL,
    actor_id    INTEGER NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    at          TEXT    NOT NULL
);
CREATE INDEX campaign_transitions_campaign ON campaign_transitions (campaign_id, id);

CREATE TABLE projects (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id        INTEGER NOT NULL REFERENCES agencies (id),
    code             TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    class            TEXT    NOT NULL CHECK (class IN ('basic_research', 'applied_technology')),
    lead_institution TEXT    NOT NULL,
    details          TEXT    NOT NULL, -- JSON: participants, PI, members, budget, dates, subjects, keywords, methods, avoid list
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    UNIQUE (campaign_id, code)
);
CREATE INDEX projects_agency ON projects (agency_id, campaign_id);

-- Contract indicators (任务书考核指标).
CREATE TABLE indicators (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('technical', 'economic', 'ip', 'talent', 'other')),
    main         INTEGER NOT NULL DEFAULT 0 CHECK (main IN (0, 1)), -- a main indicator (主要考核指标)
    target       TEXT    NOT NULL, -- JSON: numeric (value, unit, direction) or text
    actual       TEXT    NOT NULL DEFAULT '', -- JSON: the value reached, or text
    evidence     TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN ('unknown', 'met', 'partly', 'not_met')),
    status_from  TEXT    NOT NULL CHECK (status_from IN ('computed', 'test', 'manual')),
    UNIQUE (project_id, seq)
);

-- Materials: the file itself is stored once, under the data folder, by
-- its SHA-256; this row is one use of it in one project.
CREATE TABLE materials (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    agency_id    INTEGER NOT NULL REFERENCES agencies (id),
    kind         TEXT    NOT NULL,
    filename     TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    size         INTEGER NOT NULL CHECK (size >= 0),
    content_type TEXT    NOT NULL,
    uploaded_by  INTEGER NOT NULL,
    uploaded_at  TEXT    NOT NULL
);
CREATE INDEX materials_project ON materials (project_id);
CREATE INDEX materials_sha256 ON materials (sha256);

-- Method records: on-site inspection, on-site test of an indicator,
-- functional demonstration. Their content is JSON; the kind says which.
CREATE TABLE method_records (
    id           INTEGER PRIMARY KEY,
    project_id   INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('inspection', 'test', 'demonstration')),
    indicator_id INTEGER REFERENCES indicators (id) ON DELETE CASCADE,
    content      TEXT    NOT NULL,
    recorded_by  INTEGER NOT NULL,
    recorded_at  TEXT    NOT NULL
);
CREATE INDEX method_records_project ON method_records (project_id, kind);

-- The expert pool's records of relationships.
CREATE TABLE expert_conflicts (
    id          INTEGER PRIMARY KEY,
    expert_id   INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    project_id  INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    person      TEXT    NOT NULL DEFAULT '',
    institution TEXT    NOT NULL DEFAULT '',
    year        INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    CHECK (project_id IS NOT NULL OR person <> '' OR institution <> '')
);
CREATE INDEX expert_conflicts_expert ON expert_conflicts (expert_id);

CREATE TABLE expert_collaborations (
    id          INTEGER PRIMARY KEY,
    expert_id   INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('joint_project', 'joint_paper', 'joint_patent', 'joint_award')),
    person      TEXT    NOT NULL DEFAULT '',
    institution TEXT    NOT NULL DEFAULT '',
    year        INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    CHECK (person <> '' OR institution <> '')
);
CREATE INDEX expert_collaborations_expert ON expert_collaborations (expert_id);

-- Other names an institution goes by, for the conflict check.
CREATE TABLE institution_aliases (
    alias      TEXT PRIMARY KEY, -- normalised
    canonical  TEXT NOT NULL,    -- normalised
    created_at TEXT NOT NULL
);

-- Panels (专家组): one per project or per group of projects.
CREATE TABLE panels (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    name        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('forming', 'inviting', 'confirmed')),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX panels_campaign ON panels (agency_id, campaign_id);

CREATE TABLE panel_projects (
    panel_id   INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL UNIQUE REFERENCES projects (id),
    PRIMARY KEY (panel_id, project_id)
);

-- Members and alternates of a panel. An expert appears at most once per
-- panel; the partial index keeps one chair.
CREATE TABLE panel_members (
    id             INTEGER PRIMARY KEY,
    panel_id       INTEGER NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
    expert_id      INTEGER NOT NULL REFERENCES experts (id),
    seat           TEXT    NOT NULL CHECK (seat IN ('technical', 'finance')),
    chair          INTEGER NOT NULL DEFAULT 0 CHECK (chair IN (0, 1)),
    status         TEXT    NOT NULL CHECK (status IN ('proposed', 'alternate', 'invited', 'accepted', 'declined', 'removed')),
    alternate_rank INTEGER NOT NULL DEFAULT 0,
    source         TEXT    NOT NULL CHECK (source IN ('draw', 'match', 'manual')),
    override       TEXT    NOT NULL DEFAULT '', -- the written reason for breaking a soft rule
    decline_reason TEXT    NOT NULL DEFAULT '',
    invited_at     TEXT,
    responded_at   TEXT,
    created_at     TEXT    NOT NULL,
    UNIQUE (panel_id, expert_id)
);
CREATE INDEX panel_members_expert ON panel_members (expert_id, status);
CREATE UNIQUE INDEX panel_members_one_chair ON panel_members (panel_id) WHERE chair = 1;

-- Draws and matches, with everything needed to re-run them: the seed, the
-- parameters, the pool snapshot (JSON) and its hash, and the result.
CREATE TABLE draws (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    agency_id   INTEGER NOT NULL REFERENCES agencies (id),
    panel_id    INTEGER REFERENCES panels (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('draw', 'match')),
    seed        TEXT    NOT NULL,
    input       TEXT    NOT NULL,
    pool_hash   TEXT    NOT NULL,
    result      TEXT    NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX draws_campaign ON draws (campaign_id, id);

-- A draw record is evidence: it never changes.
-- +goose StatementBegin
CREATE TRIGGER draws_no_update BEFORE UPDATE ON draws
BEGIN
    SELECT RAISE(ABORT, 'draw records are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER draws_no_update;
DROP TABLE draws;
DROP TABLE panel_members;
DROP TABLE panel_projects;
DROP TABLE panels;
DROP TABLE institution_aliases;
DROP TABLE expert_collaborations;
DROP TABLE expert_conflicts;
DROP TABLE method_records;
DROP TABLE materials;
DROP TABLE indicators;
DROP TABLE projects;
DROP TABLE campaign_transitions;
DROP TABLE campaigns;

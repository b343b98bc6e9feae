-- Issue 16: analyses and corrections to plants are written like every other tracker record, and
-- plants keep their page on the tracker's wiki.
--
-- Analyses get a version (optimistic writes: ETag / If-Match) and a retirement date (no hard
-- delete: a retired analysis leaves the lists from that day, its history stays).
ALTER TABLE analysis ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE analysis ADD COLUMN retired_on TEXT;

-- Plants (each stored record: a site, or one status slice of a site GEM splits by status) get a
-- version, bumped by every correction and by every import that changes them, and the address
-- of their GEM.wiki page as the newest release gives it (a reference, not a dated fact: it is
-- not in the change log).
ALTER TABLE plant ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plant ADD COLUMN gem_wiki TEXT;

-- An editor's correction of one field of a plant: the value the tracker should hold, and the
-- value the source's file gave (`file_value`) when it was made. A later import keeps the
-- correction while the file still gives `file_value`, and ends it (`ended_at`, `ended_by`) when
-- the file gives something else: docs/tracker-writes.md, "Corrections to plants". Values are
-- written as the change log writes them (capacity in t/yr, coordinates "lat, lon", owners as
-- JSON, listed 1 or 0). At most one correction of a field of a plant is in force.
CREATE TABLE plant_correction (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plant_id INTEGER NOT NULL REFERENCES plant (id),
    field TEXT NOT NULL CHECK (field IN ('name', 'status', 'route', 'capacity', 'start', 'owners',
        'parents', 'coordinates', 'listed')),
    value TEXT,
    file_value TEXT,
    valid_from TEXT NOT NULL CHECK (length(valid_from) = 10),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    source_url TEXT,
    approved_by TEXT,
    ended_at TEXT,
    ended_by TEXT
);
CREATE INDEX plant_correction_plant ON plant_correction (plant_id);
CREATE UNIQUE INDEX plant_correction_in_force ON plant_correction (plant_id, field) WHERE ended_at IS NULL;

-- The change log records analyses too. SQLite cannot alter a CHECK, so the table is rebuilt
-- with the same rows and ids (as in migration 5).
CREATE TABLE change_log_v6 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (entity IN ('plant', 'project', 'member', 'pledge', 'partnership', 'analysis')),
    entity_key TEXT NOT NULL,
    entity_label TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    valid_from TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    import_id INTEGER REFERENCES import_run (id),
    note TEXT,
    reason TEXT,
    source_url TEXT,
    approved_by TEXT,
    proposal_id INTEGER
);
INSERT INTO change_log_v6 (id, entity, entity_key, entity_label, field, old_value, new_value, valid_from,
    recorded_at, recorded_by, import_id, note, reason, source_url, approved_by, proposal_id)
SELECT id, entity, entity_key, entity_label, field, old_value, new_value, valid_from, recorded_at,
    recorded_by, import_id, note, reason, source_url, approved_by, proposal_id FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_v6 RENAME TO change_log;
CREATE INDEX change_log_entity ON change_log (entity, entity_key);
CREATE INDEX change_log_time ON change_log (valid_from);

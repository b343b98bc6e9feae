-- Issue 16: writes for every tracker entity, with roles, review and dates as they are known.
--
-- Tokens carry a role (reader, contributor, editor, admin), an expiry, their last use and who
-- revoked them. Tokens made before this migration could write members, so they become `editor`
-- (they keep writing; they cannot manage tokens or approve as admin would): docs/server.md.
ALTER TABLE api_token ADD COLUMN role TEXT NOT NULL DEFAULT 'editor'
    CHECK (role IN ('reader', 'contributor', 'editor', 'admin'));
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
ALTER TABLE api_token ADD COLUMN last_used_at TEXT;
ALTER TABLE api_token ADD COLUMN revoked_by TEXT;

-- Retiring a record never deletes it: it leaves the lists from this date on and its history
-- stays. Members, pledges and partnerships already carry a `version` for optimistic writes.
ALTER TABLE project ADD COLUMN retired_on TEXT;
ALTER TABLE member ADD COLUMN retired_on TEXT;
ALTER TABLE pledge ADD COLUMN retired_on TEXT;
ALTER TABLE partnership ADD COLUMN retired_on TEXT;

-- The change log: a change whose date is unknown keeps an unknown date (NULL), not the day it
-- was recorded; each change of a write says why (`reason`), on what evidence (`source_url`),
-- and, for a contributor's proposal, who approved it. SQLite cannot drop a NOT NULL, so the
-- table is rebuilt with the same rows and ids.
CREATE TABLE change_log_v5 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (entity IN ('plant', 'project', 'member', 'pledge', 'partnership')),
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
INSERT INTO change_log_v5 (id, entity, entity_key, entity_label, field, old_value, new_value, valid_from,
    recorded_at, recorded_by, import_id, note)
SELECT id, entity, entity_key, entity_label, field, old_value, new_value, valid_from, recorded_at,
    recorded_by, import_id, note FROM change_log;
DROP TABLE change_log;
ALTER TABLE change_log_v5 RENAME TO change_log;
CREATE INDEX change_log_entity ON change_log (entity, entity_key);
CREATE INDEX change_log_time ON change_log (valid_from);

-- A contributor's change waits here until an editor approves (it is then applied and logged
-- with both names) or rejects it. `edit` is the change as JSON (decarb_store::edits::Edit).
CREATE TABLE proposal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'retire')),
    edit TEXT NOT NULL,
    base_version INTEGER,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    source_url TEXT,
    -- The day the change is to hold from (NULL: the day it is approved).
    valid_from TEXT,
    proposed_by TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT
);
CREATE INDEX proposal_status ON proposal (status);

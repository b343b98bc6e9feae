-- The tracker schema, SQLite dialect. migrations/postgres/0001_tracker.sql is the same schema in
-- PostgreSQL's dialect; a test checks that both declare the same tables and columns.
-- Dates are ISO text (YYYY, YYYY-MM or YYYY-MM-DD); timestamps are ISO UTC text, so they compare
-- as strings in both backends.

CREATE TABLE source (
    id TEXT PRIMARY KEY CHECK (length(id) > 0),
    citation TEXT NOT NULL CHECK (length(citation) > 0),
    url TEXT,
    licence TEXT,
    retrieved TEXT
);

CREATE TABLE country (
    iso3 TEXT PRIMARY KEY CHECK (length(iso3) = 3 AND iso3 = upper(iso3)),
    name TEXT NOT NULL,
    region TEXT NOT NULL
);

CREATE TABLE company (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    entity_id TEXT,
    country TEXT REFERENCES country (iso3)
);

-- One tracker family ("gem-steel": GSPT 2023 and its successor GIST 2025) per row; the row is
-- locked by every import of the family, so imports of one family never interleave.
CREATE TABLE dataset_family (
    family TEXT PRIMARY KEY,
    latest_as_of TEXT NOT NULL
);

CREATE TABLE import_run (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file TEXT NOT NULL,
    kind TEXT NOT NULL,
    family TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES source (id),
    as_of TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    records INTEGER NOT NULL CHECK (records >= 0)
);

-- A plant's identity. `plant_key` is the first source id it was known by (with `#2`, `#3` for
-- repeated ids in one release); `plant_ref` holds every id any release gave it.
CREATE TABLE plant (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    family TEXT NOT NULL REFERENCES dataset_family (family),
    plant_key TEXT NOT NULL,
    UNIQUE (family, plant_key)
);

CREATE TABLE plant_ref (
    plant_id INTEGER NOT NULL REFERENCES plant (id),
    scheme TEXT NOT NULL,
    external_id TEXT NOT NULL,
    occurrence INTEGER NOT NULL CHECK (occurrence >= 1),
    matched_by TEXT NOT NULL,
    PRIMARY KEY (scheme, external_id, occurrence)
);
CREATE INDEX plant_ref_plant ON plant_ref (plant_id);

-- What the tracker said about a plant from `valid_from` until `valid_to` (exclusive; NULL = still).
CREATE TABLE plant_state (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plant_id INTEGER NOT NULL REFERENCES plant (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    source_id TEXT NOT NULL REFERENCES source (id),
    listed INTEGER NOT NULL CHECK (listed IN (0, 1)),
    name TEXT NOT NULL,
    sector TEXT NOT NULL CHECK (sector IN ('steel', 'cement', 'aluminium', 'ammonia')),
    country TEXT REFERENCES country (iso3),
    country_text TEXT NOT NULL,
    subnational TEXT,
    latitude DOUBLE PRECISION CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION CHECK (longitude BETWEEN -180 AND 180),
    status TEXT NOT NULL CHECK (status IN ('operating', 'operating-pre-retirement', 'construction',
        'announced', 'mothballed', 'retired', 'cancelled')),
    route TEXT NOT NULL CHECK (route IN ('bf-bof', 'dri-eaf', 'eaf', 'ohf', 'iron-bf', 'iron-dri', 'bof',
        'cement-integrated', 'cement-grinding', 'aluminium-smelter', 'alumina-refinery', 'ammonia',
        'unknown')),
    capacity_kind TEXT NOT NULL CHECK (capacity_kind IN ('value', 'positive', 'unknown', 'blank')),
    capacity_tpa DOUBLE PRECISION CHECK (capacity_tpa >= 0),
    start_date TEXT,
    last_investment TEXT,
    owners TEXT NOT NULL,
    parents TEXT NOT NULL,
    CHECK ((capacity_kind = 'value') = (capacity_tpa IS NOT NULL)),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX plant_state_plant ON plant_state (plant_id, valid_from);
CREATE INDEX plant_state_time ON plant_state (valid_from, valid_to);
CREATE UNIQUE INDEX plant_state_current ON plant_state (plant_id) WHERE valid_to IS NULL;

-- Furnace units of the GIST unit file, keyed by GEM unit id.
CREATE TABLE plant_unit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plant_id INTEGER NOT NULL REFERENCES plant (id),
    unit_key TEXT NOT NULL UNIQUE,
    valid_from TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES source (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    capacity_tpa DOUBLE PRECISION CHECK (capacity_tpa >= 0),
    last_relining TEXT
);

CREATE TABLE ownership (
    plant_id INTEGER NOT NULL REFERENCES plant (id),
    company_id INTEGER NOT NULL REFERENCES company (id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'parent')),
    share DOUBLE PRECISION CHECK (share >= 0 AND share <= 1),
    PRIMARY KEY (plant_id, company_id, role)
);

CREATE TABLE project (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_key TEXT NOT NULL UNIQUE CHECK (length(project_key) > 0),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE project_state (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES project (id),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    source_id TEXT NOT NULL REFERENCES source (id),
    name TEXT NOT NULL CHECK (length(name) > 0),
    sector TEXT NOT NULL CHECK (length(sector) > 0),
    technology TEXT NOT NULL,
    country TEXT REFERENCES country (iso3),
    country_text TEXT NOT NULL,
    site TEXT,
    companies TEXT NOT NULL,
    partners TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('announced', 'feasibility', 'fid', 'construction', 'operating',
        'paused', 'completed', 'cancelled', 'decommissioned')),
    stage_raw TEXT,
    capacity_value DOUBLE PRECISION CHECK (capacity_value >= 0),
    capacity_unit TEXT,
    announced TEXT,
    fid TEXT,
    start_date TEXT,
    investment_value DOUBLE PRECISION CHECK (investment_value >= 0),
    investment_currency TEXT CHECK (investment_currency IS NULL OR length(investment_currency) = 3),
    gem_plant_id TEXT,
    parent_programme TEXT,
    notes TEXT,
    CHECK ((capacity_value IS NULL) = (capacity_unit IS NULL)),
    CHECK ((investment_value IS NULL) = (investment_currency IS NULL)),
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX project_state_project ON project_state (project_id, valid_from);
CREATE UNIQUE INDEX project_state_current ON project_state (project_id) WHERE valid_to IS NULL;

-- The Green Steel Tracker's own judgement on a row, kept apart from the facts (TRACKER.md 2.3).
CREATE TABLE gst_assessment (
    project_id INTEGER NOT NULL REFERENCES project (id),
    as_of TEXT NOT NULL,
    qualified TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (project_id, as_of)
);

CREATE TABLE member (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('country', 'company')),
    country TEXT REFERENCES country (iso3),
    joined TEXT,
    -- When no join date is known: the date of the first source naming the member.
    known_from TEXT,
    left_on TEXT,
    source_id TEXT NOT NULL REFERENCES source (id),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (kind = 'company' OR country IS NOT NULL)
);

CREATE TABLE pledge (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES member (id),
    target_year INTEGER CHECK (target_year BETWEEN 2000 AND 2100),
    metric TEXT NOT NULL,
    scope TEXT NOT NULL,
    milestone_2030 TEXT,
    status TEXT,
    verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
    stated TEXT,
    source_id TEXT NOT NULL REFERENCES source (id),
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (member_id, metric, scope)
);

CREATE TABLE partnership (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('bilateral', 'value_chain')),
    started TEXT,
    venue TEXT,
    parent TEXT,
    description TEXT,
    source_id TEXT NOT NULL REFERENCES source (id),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE partnership_party (
    partnership_id INTEGER NOT NULL REFERENCES partnership (id),
    party TEXT NOT NULL,
    country TEXT REFERENCES country (iso3),
    PRIMARY KEY (partnership_id, party)
);

-- Every change to every entity: what, from which value to which, valid from when, recorded when
-- and by whom. `field` is `created` for a new record and `listed` for a plant leaving a release.
CREATE TABLE change_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (entity IN ('plant', 'project', 'member', 'pledge', 'partnership')),
    entity_key TEXT NOT NULL,
    entity_label TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    valid_from TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    import_id INTEGER REFERENCES import_run (id),
    note TEXT
);
CREATE INDEX change_log_entity ON change_log (entity, entity_key);
CREATE INDEX change_log_time ON change_log (valid_from);

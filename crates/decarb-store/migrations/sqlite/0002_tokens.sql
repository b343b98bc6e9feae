-- API tokens for writes through `decarb serve`. Only a SHA-256 hash of each token is kept, so a
-- copy of the database does not hand out write access; `prefix` (the first characters of the
-- token) lets `decarb token list` show which token is which.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
);

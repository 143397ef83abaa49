-- What `armsledger watch` has seen (armsledger/watch/state.py, which creates the same tables in
-- an SQLite ledger on first use): here in a migration, so two watchers starting at once never race.
CREATE TABLE IF NOT EXISTS watch_items (
    key TEXT PRIMARY KEY,
    source TEXT,
    fingerprint TEXT,
    status TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    permanent INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT
);
CREATE TABLE IF NOT EXISTS watch_sources (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    status TEXT,
    reason TEXT,
    checked_at TEXT
);

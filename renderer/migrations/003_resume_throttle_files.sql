-- Parcours renderer storage, migration 3: resume keys issued on request, who holds a draft,
-- the shared throttle of resume attempts, files kept in a folder, and what the purge reads.

-- Resume keys exist only once a citizen asks to save; using one consumes it (a planted or
-- stolen key works at most once), and submitting deletes it. The code is 12 characters of a
-- 32-letter alphabet (60 bits), the token 32 random bytes.
CREATE TABLE resume_keys (
    draft_id TEXT PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
    journey_id TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- The codes of migration 1 were made for every draft at its start, weak (40 bits) and never
-- consumed: they stop working. The columns stay (SQLite cannot drop a UNIQUE column in place)
-- and hold the draft's own id, which no resume lookup reads.
UPDATE drafts SET resume_code = '~' || id, resume_token = '~' || id;

-- The session that holds the draft: a resume elsewhere moves it, and the other session loses
-- the draft (it is told so) instead of reading and writing the same answers.
ALTER TABLE drafts ADD COLUMN owner TEXT;
CREATE INDEX drafts_updated ON drafts (updated_at);
CREATE INDEX sessions_updated ON sessions (updated_at);

-- Failed resume attempts, per client and per journey, shared by every process on the database.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
);

-- Files from this migration on are kept in a folder (the database keeps their name, size and
-- SHA-256); `data` stays for the files stored before, and is empty for the new ones.
ALTER TABLE files ADD COLUMN path TEXT;

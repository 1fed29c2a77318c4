-- Parcours renderer storage, migration 1.
-- Portable SQL for SQLite and PostgreSQL; the store replaces the word BLOB with BYTEA on PostgreSQL.
-- Timestamps are ISO 8601 UTC text: sortable, readable in an export, identical in both databases.

-- Settings shared by every process on this database (the signing secret lives here, so that
-- several processes behind a load balancer accept each other's cookies).
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every version of every journey ever served, so that a draft keeps running on its own version.
CREATE TABLE journey_versions (
    hash TEXT PRIMARY KEY,
    journey_id TEXT NOT NULL,
    source TEXT NOT NULL,
    file TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A browser session: opaque id (the cookie holds it signed), CSRF token, language, drafts by journey.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    csrf TEXT NOT NULL,
    lang TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A citizen's answers in progress. `version` is the optimistic-concurrency counter.
CREATE TABLE drafts (
    id TEXT PRIMARY KEY,
    journey_id TEXT NOT NULL,
    journey_hash TEXT NOT NULL REFERENCES journey_versions (hash),
    answers TEXT NOT NULL,
    state TEXT NOT NULL,
    current_step TEXT,
    resume_code TEXT NOT NULL UNIQUE,
    resume_token TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    submitted INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX drafts_journey ON drafts (journey_id);

-- A dossier sent: written once. The draft id is the idempotency key: a replay finds the row.
CREATE TABLE submissions (
    reference TEXT PRIMARY KEY,
    draft_id TEXT NOT NULL UNIQUE REFERENCES drafts (id),
    journey_id TEXT NOT NULL,
    journey_hash TEXT NOT NULL,
    lang TEXT NOT NULL,
    answers TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX submissions_journey ON submissions (journey_id, created_at);

-- Uploaded files: bytes in the database, so that every process sees them and a backup is one dump.
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    draft_id TEXT NOT NULL REFERENCES drafts (id),
    question TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX files_draft ON files (draft_id);

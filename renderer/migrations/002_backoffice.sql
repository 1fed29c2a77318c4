-- Parcours renderer storage, migration 2: the back office.
-- Dossiers routed to services with their status workflow, history, messages and private
-- annotations; the agents, their services and sessions; an append-only audit log; the outbox
-- of notifications; and the counters of login and follow-up throttling.
-- Ids are random text (portable: no SERIAL/AUTOINCREMENT); the entries of a dossier are
-- numbered by `seq` (1, 2, …) in the exclusive transaction that writes them.

-- The processing of a dossier (one row per submission). `service` NULL: no routing matched,
-- only administrators see it. `follow_token_hash`: SHA-256 of the citizen's follow-up token.
CREATE TABLE dossiers (
    reference TEXT PRIMARY KEY REFERENCES submissions (reference),
    journey_id TEXT NOT NULL,
    service TEXT,
    status TEXT NOT NULL,
    follow_token_hash TEXT NOT NULL UNIQUE,
    citizen_email TEXT,
    lang TEXT NOT NULL,
    search TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX dossiers_service ON dossiers (service, created_at);
CREATE INDEX dossiers_service_status ON dossiers (service, status, created_at);
CREATE INDEX dossiers_journey ON dossiers (journey_id, status);

-- What happened to a dossier, as the citizen's follow-up and the agents' history show it.
-- kind: created, status, service (reassignment). Written once, never updated.
CREATE TABLE dossier_history (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES dossiers (reference),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    agent_id TEXT,
    kind TEXT NOT NULL,
    before TEXT,
    after TEXT,
    note TEXT,
    file_id TEXT REFERENCES files (id)
);
CREATE INDEX dossier_history_reference ON dossier_history (reference, seq);

-- Messages between the agents and the citizen (author: agent or citizen), with a document.
CREATE TABLE dossier_messages (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES dossiers (reference),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    agent_id TEXT,
    body TEXT NOT NULL,
    file_id TEXT REFERENCES files (id)
);
CREATE INDEX dossier_messages_reference ON dossier_messages (reference, seq);

-- Private annotations: agents only, never shown to the citizen.
CREATE TABLE dossier_annotations (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES dossiers (reference),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    agent_id TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX dossier_annotations_reference ON dossier_annotations (reference, seq);

-- Agents: role instructeur (of the services in agent_services) or administrateur.
CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL
);

CREATE TABLE agent_services (
    agent_id TEXT NOT NULL REFERENCES agents (id),
    service TEXT NOT NULL,
    PRIMARY KEY (agent_id, service)
);

-- An agent's session: apart from the citizens' sessions (another table, another cookie).
CREATE TABLE agent_sessions (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents (id),
    csrf TEXT NOT NULL,
    lang TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- Append-only: every agent action, who, when, what, before and after, numbered by `seq` in
-- the exclusive transaction of the action. Each row carries the hash of the previous row and
-- of itself, so that a row changed or removed later shows.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    at TEXT NOT NULL,
    agent_id TEXT,
    action TEXT NOT NULL,
    reference TEXT,
    before TEXT,
    after TEXT,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_reference ON audit_log (reference, seq);

-- Failed attempts (login by e-mail and address, follow-up tokens by address), for throttling
-- that every process of the service shares.
CREATE TABLE guesses (
    id TEXT PRIMARY KEY,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX guesses_key ON guesses (bucket, key, at);

-- Notifications to send, written in the same transaction as the change that causes them and
-- delivered by a background worker: an outage loses nothing, a crash never sends twice
-- (a row is claimed with a lease before sending and marked sent after).
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);

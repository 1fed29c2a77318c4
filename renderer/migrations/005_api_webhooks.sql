-- Parcours renderer storage, migration 5: the services' JSON API and webhooks (docs/api.md).

-- Service tokens: a program of one service reads and processes that service's dossiers.
-- Only the SHA-256 of the token is kept (the token is 256 random bits, printed once), so a
-- leak of the database gives no access. A revoked token stays, for the audit log's sake.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    label TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- Every attempt at delivering a webhook (the outbox row is the event; these are its tries):
-- when, to where, what the receiver answered, or why it could not be reached.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    outbox_id TEXT NOT NULL,
    service TEXT NOT NULL,
    event TEXT NOT NULL,
    reference TEXT NOT NULL,
    url TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_at ON webhook_deliveries (at);

-- The API lists a service's dossiers in the order they last changed (a cursor over
-- (updated_at, reference)), so that a program syncing with `updated_since` misses none.
CREATE INDEX dossiers_service_updated ON dossiers (service, updated_at, reference);

-- Parcours renderer storage, migration 9: the agents' dossier list stays fast over
-- 100,000 dossiers (docs/benchmarks.md). The list is newest first for an agent of one or
-- more services: with an index on the sending date alone, the database walks the newest
-- dossiers and keeps those of the agent's services until the page is full, instead of
-- sorting every visible dossier (an `IN` over two services defeats the order of
-- `(service, created_at)`).
CREATE INDEX dossiers_created ON dossiers (created_at);
-- The statistics (counts per journey and status, processing times) read this index alone
-- for an agent's services, never the table (grouped by service first, in its order).
CREATE INDEX dossiers_service_journey
    ON dossiers (service, journey_id, status, created_at, decided_at);

-- Parcours renderer storage, migration 10 on PostgreSQL: the agents' text search finds a
-- word inside the dossiers' folded text (`search`, renderer/backoffice/dossiers.py) through
-- a trigram index (pg_trgm, shipped with PostgreSQL and trusted: a user who may create in
-- the database may add it), which answers `search LIKE '%mot%'` for words of three letters
-- or more instead of reading every visible dossier. The extension goes in `public` once for
-- the whole database (docs/operations.md).
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE INDEX dossiers_search_trgm ON dossiers USING gin (search public.gin_trgm_ops);

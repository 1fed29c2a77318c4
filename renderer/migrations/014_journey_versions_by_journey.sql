-- Parcours renderer storage, migration 14: a journey's versions found by its id.
-- The page of a journey no longer served (410 rather than 404, renderer/web.py) and the
-- reports of observed use by version (designer/report/counts.py) look up the versions of
-- one journey: without this index each such request read the whole table.
CREATE INDEX journey_versions_journey ON journey_versions (journey_id, created_at);

-- Parcours renderer storage, migration 12 on SQLite: the webhooks' deliveries on a back-office
-- page (renderer/api/deliveries.py, docs/api.md "Delivery log").
-- `service`: the service a webhook is for (NULL for an e-mail), so that the page filters by
-- service without reading every payload; filled here for the webhooks already queued.
ALTER TABLE outbox ADD COLUMN service TEXT;
UPDATE outbox SET service = json_extract(payload, '$.service') WHERE kind = 'webhook';
-- `max_attempts`: the attempts after which a row is given up (NULL: outbox.MAX_ATTEMPTS);
-- an administrator's "retry now" of a given-up webhook allows it one more.
ALTER TABLE outbox ADD COLUMN max_attempts INTEGER;
CREATE INDEX outbox_kind_service ON outbox (kind, service, created_at);
-- The page shows each event's last attempt.
CREATE INDEX webhook_deliveries_outbox ON webhook_deliveries (outbox_id, attempt);

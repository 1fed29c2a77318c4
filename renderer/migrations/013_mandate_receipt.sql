-- Parcours renderer storage, migration 13: the citizen withdraws their mandate themselves,
-- with the code printed on the mandate's receipt (docs/mediation.md).
-- `withdrawal_hash`: SHA-256 of the mandate's withdrawal code (an HMAC of its id with the
-- server's secret, renderer/backoffice/mediation.py), so that a code typed alone finds its
-- mandate; the code itself is never stored. NULL for a mandate recorded before this
-- migration until its receipt is first shown. Deleted with the mandate by the purge.
ALTER TABLE mandates ADD COLUMN withdrawal_hash TEXT;
-- Who withdrew it: `mediateur` or `citoyen` (NULL: not withdrawn).
ALTER TABLE mandates ADD COLUMN withdrawn_by TEXT;
CREATE INDEX mandates_withdrawal_hash ON mandates (withdrawal_hash);

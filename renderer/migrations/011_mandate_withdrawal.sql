-- Parcours renderer storage, migration 11: a mandate can be withdrawn before it expires
-- (by its mediator, audited), and mandates are purged with their dossier.
-- `withdrawn_at`: when the mediator withdrew it (NULL: not withdrawn); a withdrawn mandate
-- covers nothing any more.
ALTER TABLE mandates ADD COLUMN withdrawn_at TEXT;
-- The purge and the submission find a dossier's mandate by its reference.
CREATE INDEX mandates_reference ON mandates (reference);

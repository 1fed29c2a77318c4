-- Parcours renderer storage, migration 7: assisted mode (mediators) and the dossier's channel.
-- A mediator is an agent of role `mediateur` attached to a structure (a France Services desk,
-- an association); `agents.structure` is NULL for the other roles.
ALTER TABLE agents ADD COLUMN structure TEXT;

-- How a dossier came in: `en_ligne` (the citizen alone), `accompagne` (keyed by a mediator
-- with the citizen, under a mandate) or `papier` (a paper form keyed at the desk). For an
-- assisted dossier, the mediator (an agent id) and the structure as it was named that day.
-- Not the citizen's way of being contacted (e-mail or post), which is another column.
ALTER TABLE dossiers ADD COLUMN channel TEXT NOT NULL DEFAULT 'en_ligne';
ALTER TABLE dossiers ADD COLUMN mediator_id TEXT REFERENCES agents (id);
ALTER TABLE dossiers ADD COLUMN mediator_structure TEXT;
CREATE INDEX dossiers_mediator ON dossiers (mediator_id, created_at);
-- The share of each channel in the agents' list, read from this index alone.
CREATE INDEX dossiers_service_channel ON dossiers (service, channel);

-- The citizen's consent to a mediator acting for them (a mandate, as Aidants Connect keeps
-- them): which procedure, until when, how it was given (`ecran`: read and accepted on the
-- mediator's screen; `papier`: a signed paper the mediator attests to keep). `reference`:
-- the dossier sent under it, once sent. Never updated otherwise; every one is audited.
CREATE TABLE mandates (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents (id),
    structure TEXT NOT NULL,
    journey_id TEXT NOT NULL,
    citizen_name TEXT NOT NULL,
    consent TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    reference TEXT
);
CREATE INDEX mandates_agent ON mandates (agent_id, created_at);

-- Parcours renderer storage, migration 6: how each citizen is contacted, and the letters
-- Parcours writes for a dossier.
-- `contact_channel`: what the citizen chose at the end of the journey, `email` (the
-- notifications are e-mailed) or `post` (they become letters the agents print and post or
-- hand over at the desk). Dossiers sent before this migration were told by e-mail.
ALTER TABLE dossiers ADD COLUMN contact_channel TEXT NOT NULL DEFAULT 'email';

-- The letters of a dossier: a decision letter (kind `decision`) written when an agent
-- decides, and the notifications of a citizen who chose the post (kind: the e-mail template
-- they replace, `receipt`, `status`, `message`). `payload`: what the letter is written from
-- (JSON), so that it is the same letter whenever it is downloaded. `to_print`: 1 when it
-- waits in the service's print queue until an agent marks it printed.
CREATE TABLE dossier_letters (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL REFERENCES dossiers (reference),
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    to_print INTEGER NOT NULL,
    printed_at TEXT,
    printed_by TEXT
);
CREATE INDEX dossier_letters_reference ON dossier_letters (reference, created_at);
CREATE INDEX dossier_letters_queue ON dossier_letters (to_print, printed_at, created_at);

-- Parcours renderer storage, migration 4: aggregate usage counts (renderer/usage.py).
-- Counters only, never a row per person: no session, draft, IP, answer or free text.
-- `bucket` is a time bucket's upper bound in seconds for the kinds `time` and `duration`,
-- 0 for the other kinds; `detail` is a branch target, an error (question, rule, message),
-- a satisfaction level… never something a citizen typed.
CREATE TABLE usage_counts (
    journey_id TEXT NOT NULL,
    journey_hash TEXT NOT NULL,
    step TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    lang TEXT NOT NULL,
    channel TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (journey_id, journey_hash, step, kind, detail, lang, channel, bucket)
);

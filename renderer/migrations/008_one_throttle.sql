-- The agents' logins and the follow-up tokens are throttled by the one throttle of Parcours
-- (renderer/throttle.py, table `throttle`, or Redis where configured), like resume codes:
-- the back office's own table of failures goes.
DROP INDEX IF EXISTS guesses_key;
DROP TABLE IF EXISTS guesses;

"""Throttling of guesses, shared by every process and host: resume codes, agents' logins,
citizens' follow-up tokens and codes, mandate withdrawal codes, API tokens (the one throttle
of Parcours).

Failed attempts are counted by key (a kind and what it counts: ``client:IP:journey``,
``login:EMAIL``, ``follow:IP``, ``follow-reference:REF``, ``mandate:IP``) in the database (table
``throttle``, one atomic upsert per failure, so that every process and every host sees the
same counts), and a key that reaches its kind's :data:`LIMITS` is locked out for a while. A
resume success never resets a count (a guesser holding one valid code of their own could
otherwise reset theirs at will); a login success clears its e-mail's count (an agent who
mistyped once is not punished).

Where Redis is configured (``PARCOURS_REDIS_URL``), :class:`RedisThrottle` keeps the same
counts there instead (``INCR`` with the window as expiry, a lock key with the lockout as
expiry), which spares the database one write per failure. :func:`throttle_for` chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from renderer.store import Store


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed attempts in ``window`` seconds, then locked ``lockout`` s."""

    failures: int
    window: int
    lockout: int


#: Failed resume attempts allowed: per client on a journey, and per journey for everyone (a
#: botnet with many addresses still meets the second). With codes of 60 bits and a million
#: live codes, 300 tries an hour give a guesser about one chance in 400 million a year.
LIMITS = {
    "client": Limit(failures=10, window=15 * 60, lockout=30 * 60),
    "journey": Limit(failures=300, window=60 * 60, lockout=15 * 60),
    # Agents' logins: 5 failures per e-mail, 20 per address, in 15 minutes.
    "login": Limit(failures=5, window=15 * 60, lockout=15 * 60),
    "login-address": Limit(failures=20, window=15 * 60, lockout=15 * 60),
    # Citizens' follow-up tokens: 10 wrong tokens per address in 15 minutes.
    "follow": Limit(failures=10, window=15 * 60, lockout=15 * 60),
    # Wrong follow-up codes typed for one dossier number (renderer/citizens/follow_code.py),
    # from any address: 20 in an hour.
    "follow-reference": Limit(failures=20, window=60 * 60, lockout=60 * 60),
    # Wrong mandate withdrawal codes, typed or in a link (renderer/citizens/mandate_withdrawal.py),
    # from one address: 10 in 15 minutes (the codes have 60 bits).
    "mandate": Limit(failures=10, window=15 * 60, lockout=15 * 60),
    # Wrong API tokens (renderer/api/auth.py) from one address: 20 in 15 minutes.
    "api-token": Limit(failures=20, window=15 * 60, lockout=15 * 60),
}


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


class Throttle:
    """Failed attempts counted in the database under keys such as ``client:IP:journey``."""

    def __init__(self, store: Store, limits: dict[str, Limit] | None = None) -> None:
        self.store = store
        self.limits = limits or LIMITS

    def keys(self, client: str, journey: str) -> dict[str, str]:
        """The throttle keys of a resume attempt, by kind."""
        return {"client": f"client:{client}:{journey}", "journey": f"journey:{journey}"}

    def locked(self, client: str, journey: str, at: datetime | None = None) -> bool:
        """Whether resume attempts from this client on this journey are refused now."""
        return self.any_locked(list(self.keys(client, journey).values()), at)

    def failed(self, client: str, journey: str, at: datetime | None = None) -> None:
        """Count one failed attempt of this client on this journey under each of its keys."""
        for kind, key in self.keys(client, journey).items():
            self.record(key, self.limits[kind], at)

    def blocked(self, kind: str, *values: str) -> bool:
        """Whether any of ``values`` (e-mails, addresses; empty ones ignored) is locked out
        for ``kind`` (a key of :data:`LIMITS`)."""
        keys = [f"{kind}:{v}" for v in values if v]
        return bool(keys) and self.any_locked(keys)

    def fail(self, kind: str, *values: str) -> None:
        """Count one failure of each of ``values`` (empty ones ignored) for ``kind``."""
        for value in values:
            if value:
                self.record(f"{kind}:{value}", self.limits[kind])

    def clear(self, kind: str, value: str) -> None:
        """Forget the failures of ``value`` for ``kind`` (after a success)."""
        self.forget(f"{kind}:{value}")

    def any_locked(self, keys: list[str], at: datetime | None = None) -> bool:
        """Whether any of ``keys`` is locked out now."""
        marks = ", ".join("?" for _ in keys)
        row = self.store._one(
            f"SELECT COUNT(*) FROM throttle WHERE key IN ({marks}) AND locked_until > ?",
            (*keys, _stamp(at or datetime.now(UTC))),
        )
        return bool(row[0])

    def forget(self, key: str) -> None:
        """Delete the count of ``key``."""
        self.store._write("DELETE FROM throttle WHERE key = ?", (key,))

    def record(self, key: str, limit: Limit, at: datetime | None = None) -> int:
        """Count one failure under ``key`` (one atomic upsert, safe across processes); lock
        the key out for ``limit.lockout`` seconds once ``limit.failures`` is reached. Return
        the failures counted in the current window."""
        moment = at or datetime.now(UTC)
        window_open = _stamp(moment - timedelta(seconds=limit.window))
        self.store._write(
            "INSERT INTO throttle (key, failures, window_start, locked_until) "
            "VALUES (?, 1, ?, NULL) ON CONFLICT (key) DO UPDATE SET "
            "failures = CASE WHEN throttle.window_start < ? THEN 1 "
            "ELSE throttle.failures + 1 END, "
            "window_start = CASE WHEN throttle.window_start < ? THEN excluded.window_start "
            "ELSE throttle.window_start END",
            (key, _stamp(moment), window_open, window_open),
        )
        row = self.store._one("SELECT failures FROM throttle WHERE key = ?", (key,))
        failures = int(row[0])
        if failures >= limit.failures:
            until = _stamp(moment + timedelta(seconds=limit.lockout))
            self.store._write("UPDATE throttle SET locked_until = ? WHERE key = ?", (until, key))
        return failures


class RedisThrottle(Throttle):
    """The same counts in Redis, shared by every process and host that uses that server.

    Redis keeps its own clock: the ``at`` arguments (used by tests of the database
    throttle) are ignored here.
    """

    def __init__(self, url: str, limits: dict[str, Limit] | None = None,
                 prefix: str = "parcours:throttle:") -> None:
        import redis

        self.redis: Any = redis.Redis.from_url(url, socket_timeout=2)
        self.limits = limits or LIMITS
        self.prefix = prefix

    def any_locked(self, keys: list[str], at: datetime | None = None) -> bool:
        """Whether a lock key of ``keys`` exists."""
        return bool(self.redis.exists(*[self.prefix + "lock:" + k for k in keys]))

    def forget(self, key: str) -> None:
        """Delete the count of ``key`` (its lock, if any, runs out)."""
        self.redis.delete(self.prefix + "count:" + key)

    def record(self, key: str, limit: Limit, at: datetime | None = None) -> int:
        """INCR the key's count (expiring with the window opened by its first failure);
        set its lock key for ``limit.lockout`` seconds once ``limit.failures`` is reached."""
        count_key = self.prefix + "count:" + key
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(count_key)
            pipe.expire(count_key, limit.window, nx=True)
            failures = int(pipe.execute()[0])
        if failures >= limit.failures:
            self.redis.set(self.prefix + "lock:" + key, "1", ex=limit.lockout)
        return failures


def throttle_for(store: Store, redis_url: str = "") -> Throttle:
    """Redis's throttle when a Redis URL is configured, the database's otherwise."""
    return RedisThrottle(redis_url) if redis_url else Throttle(store)

"""Throttling of guesses (passwords, follow-up tokens, API tokens), shared by every process.

Failures are rows of the ``guesses`` table: a count over a sliding window decides, so that
several processes behind a load balancer refuse the same attacker, and a restart forgets
nothing. A success clears the key's failures (a citizen who mistyped once is not punished).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from renderer.store import Store, now


class Throttle:
    """Failures by (bucket, key) over a window; ``blocked`` once ``limit`` is reached."""

    def __init__(self, store: Store, bucket: str, limit: int, window: timedelta) -> None:
        self.store = store
        self.bucket = bucket
        self.limit = limit
        self.window = window

    def _since(self) -> str:
        return (datetime.now(UTC) - self.window).isoformat(timespec="milliseconds")

    def failures(self, key: str) -> int:
        """Failures of ``key`` within the window."""
        row = self.store._one(
            "SELECT COUNT(*) FROM guesses WHERE bucket = ? AND key = ? AND at >= ?",
            (self.bucket, key, self._since()),
        )
        return int(row[0])

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` has reached the limit."""
        return any(self.failures(k) >= self.limit for k in keys if k)

    def fail(self, *keys: str) -> None:
        """Record a failure for each key (and forget failures older than the window)."""
        for key in keys:
            if key:
                self.store._write(
                    "INSERT INTO guesses (id, bucket, key, at) VALUES (?, ?, ?, ?)",
                    (secrets.token_urlsafe(12), self.bucket, key, now()),
                )
        self.store._write(
            "DELETE FROM guesses WHERE bucket = ? AND at < ?", (self.bucket, self._since())
        )

    def clear(self, key: str) -> None:
        """Forget the failures of ``key`` (after a success)."""
        self.store._write("DELETE FROM guesses WHERE bucket = ? AND key = ?", (self.bucket, key))


def login_throttle(store: Store) -> Throttle:
    """Agents' logins: 5 failures per e-mail (or 20 per address) in 15 minutes."""
    return Throttle(store, "login", 5, timedelta(minutes=15))


def login_address_throttle(store: Store) -> Throttle:
    """Agents' logins from one address, whatever the e-mail: 20 failures in 15 minutes."""
    return Throttle(store, "login-address", 20, timedelta(minutes=15))


def follow_throttle(store: Store) -> Throttle:
    """Citizens' follow-up tokens: 10 wrong tokens per address in 15 minutes."""
    return Throttle(store, "follow", 10, timedelta(minutes=15))


def api_token_throttle(store: Store) -> Throttle:
    """Wrong API tokens (renderer/api/auth.py) from one address: 20 in 15 minutes, as for
    the agents' logins; then every API request of that address is refused for a while."""
    return Throttle(store, "api-token", 20, timedelta(minutes=15))

"""Service tokens: what a program of one service presents to the API (``Authorization:
Bearer …``), created by ``parcours token add``.

A token is 256 random bits, printed once; the database keeps only its SHA-256 (a slow hash
buys nothing against a random secret of that size, and a lookup by hash is one index read).
A token acts as an instructeur of its one service (:meth:`ServiceToken.principal`), so that
the back office's authorisation and workflow code serve the API unchanged; the audit log
names it ``token:ID``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from renderer.backoffice.accounts import INSTRUCTEUR, Agent
from renderer.store import Store, now

#: What every token starts with, so that a secret scanner (and a person) recognises one.
PREFIX = "pcs_"
#: How the back office names a token that acted (``token:ID``), beside agents' ids.
ACTOR = "token:"
MAX_LABEL = 200


def token_id(agent_id: str) -> str | None:
    """The id of the token that acted, from who the audit log and the dossier's entries say
    acted (``token:ID``, :meth:`ServiceToken.principal`); None for an agent."""
    return agent_id.removeprefix(ACTOR) if agent_id.startswith(ACTOR) else None


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class ServiceToken:
    """A token's record (never the token itself)."""

    id: str
    service: str
    label: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None

    def principal(self) -> Agent:
        """The token as the back office sees who acts: an instructeur of its service."""
        return Agent(
            f"{ACTOR}{self.id}", f"{ACTOR}{self.label}", INSTRUCTEUR, frozenset({self.service})
        )


_COLUMNS = "id, service, label, created_at, last_used_at, revoked_at"


class Tokens:
    """The service tokens of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, service: str, label: str = "") -> tuple[ServiceToken, str]:
        """A new token of ``service``: its record and the token, to show once."""
        token = PREFIX + secrets.token_urlsafe(32)
        # The id is hexadecimal: one in 64 URL-safe ids began with "-", which
        # `parcours token revoke ID` took for an option (CI found one).
        record = ServiceToken(
            secrets.token_hex(9), service, label.strip()[:MAX_LABEL], now(), None, None
        )
        self.store._write(
            "INSERT INTO api_tokens (id, service, label, token_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (record.id, service, record.label, token_hash(token), record.created_at),
        )
        return record, token

    def all(self) -> list[ServiceToken]:
        """Every token's record, revoked ones included, oldest first."""
        rows = self.store._all(f"SELECT {_COLUMNS} FROM api_tokens ORDER BY created_at, id")
        return [ServiceToken(*r) for r in rows]

    def revoke(self, token_id: str) -> bool:
        """Revoke a token by its id; False when there is no such live token."""
        found = self.store._one(
            "SELECT id FROM api_tokens WHERE id = ? AND revoked_at IS NULL", (token_id,)
        )
        if not found:
            return False
        self.store._write("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (now(), token_id))
        return True

    def authenticate(self, token: str) -> ServiceToken | None:
        """The live token's record, or None (unknown, malformed or revoked)."""
        if not token.startswith(PREFIX) or len(token) > 100:
            return None
        row = self.store._one(
            f"SELECT {_COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
            (token_hash(token),),
        )
        if not row:
            return None
        found = ServiceToken(*row)
        # Once a minute at most: a busy integration does not write on every read.
        stamp = now()
        if found.last_used_at is None or found.last_used_at[:16] != stamp[:16]:
            self.store._write(
                "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (stamp, found.id)
            )
        return found

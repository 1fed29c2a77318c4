"""The letters of a dossier and the agents' print queue.

A citizen chooses at the end of the journey how to be contacted (``contact_channel``):
by e-mail, or by post (letters printed by the agents, posted or handed over at the desk).
:func:`tell_citizen` is the one place a notification to the citizen is written: into the
outbox as an e-mail, or, for the post, as a letter in this table, waiting in the print
queue of the dossier's service. A decision also writes a decision letter
(:func:`add_letter`), shown on the follow-up page, and printed for the post.

A letter keeps what it is written from (``payload``), not its PDF: it is written again,
the same, whenever it is downloaded (:mod:`renderer.backoffice.paperwork`). Everything is
written inside the caller's transaction, with the change that causes it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from renderer.store import Store, now

from . import audit, outbox
from .accounts import Agent

EMAIL = "email"
POST = "post"
#: The ways a citizen may be contacted, in the order the question offers them.
CONTACT_CHANNELS = (EMAIL, POST)
#: The kind of a decision letter (the others are the e-mail templates they replace).
DECISION = "decision"
#: Letters per page of the print queue.
QUEUE_SIZE = 200


@dataclass
class Letter:
    """One letter of a dossier (a decision, or a notification by post)."""

    id: str
    reference: str
    kind: str
    payload: dict[str, Any]
    created_at: str
    to_print: bool
    printed_at: str | None
    printed_by: str | None
    #: The dossier's service (the print queue it is in).
    service: str | None = None


_COLUMNS = (
    "l.id, l.reference, l.kind, l.payload, l.created_at, l.to_print, l.printed_at, "
    "l.printed_by, d.service"
)


def _letter(row: Any) -> Letter:
    return Letter(
        row[0], row[1], row[2], json.loads(row[3]), row[4], bool(row[5]), row[6], row[7], row[8]
    )


def contact_channel(value: Any) -> str:
    """A posted contact choice as stored: ``post`` when asked for, else ``email``."""
    return POST if value == POST else EMAIL


def add_letter(
    store: Store, conn: Any, reference: str, kind: str, payload: Mapping[str, Any], to_print: bool
) -> str:
    """Write a letter of a dossier in the caller's transaction; its id."""
    letter_id = secrets.token_urlsafe(12)
    store._execute(
        conn,
        "INSERT INTO dossier_letters (id, reference, kind, payload, created_at, to_print) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            letter_id,
            reference,
            kind,
            json.dumps(dict(payload), ensure_ascii=False),
            now(),
            1 if to_print else 0,
        ),
    )
    return letter_id


def tell_citizen(
    store: Store, conn: Any, channel: str, email: str | None, kind: str, payload: Mapping[str, Any]
) -> None:
    """Notify the citizen of a dossier in the caller's transaction: an e-mail through the
    outbox, or a letter to print when they chose the post."""
    if channel == POST:
        add_letter(store, conn, str(payload["reference"]), kind, payload, to_print=True)
    else:
        outbox.enqueue(store, conn, kind, email, dict(payload))


class Letters:
    """The letters in one store, as the agents and the follow-up page read them."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, letter_id: str) -> Letter | None:
        """The letter of that id (with its dossier's service), or None."""
        row = self.store._one(
            f"SELECT {_COLUMNS} FROM dossier_letters l JOIN dossiers d "
            "ON d.reference = l.reference WHERE l.id = ?",
            (letter_id[:40],),
        )
        return _letter(row) if row else None

    def of_dossier(self, reference: str) -> list[Letter]:
        """A dossier's letters, oldest first."""
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM dossier_letters l JOIN dossiers d "
            "ON d.reference = l.reference WHERE l.reference = ? ORDER BY l.created_at, l.id",
            (reference,),
        )
        return [_letter(r) for r in rows]

    def queue(
        self, agent: Agent, service: str | None = None, printed: bool = False
    ) -> list[Letter]:
        """The letters to print of the services the agent may see (``service``: one of
        them), oldest first; ``printed``: the last ones printed instead, newest first."""
        clauses = [
            "l.to_print = 1",
            "l.printed_at IS NOT NULL" if printed else "l.printed_at IS NULL",
        ]
        params: list[Any] = []
        if not agent.is_admin:
            services = sorted(agent.services)
            if not services:
                return []
            clauses.append(f"d.service IN ({', '.join('?' for _ in services)})")
            params += services
        if service is not None:
            clauses.append("d.service = ?")
            params.append(service)
        order = "l.printed_at DESC" if printed else "l.created_at, l.id"
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM dossier_letters l JOIN dossiers d "
            f"ON d.reference = l.reference WHERE {' AND '.join(clauses)} "
            f"ORDER BY {order} LIMIT ?",
            [*params, QUEUE_SIZE],
        )
        return [_letter(r) for r in rows]

    def mark_printed(self, agent: Agent, letter_id: str) -> bool:
        """Take a letter out of the print queue (audited); False when it was already out."""
        with self.store.transaction(exclusive=True) as conn:
            row = self.store._execute(
                conn,
                "SELECT reference, kind FROM dossier_letters WHERE id = ? "
                "AND to_print = 1 AND printed_at IS NULL",
                (letter_id,),
            ).fetchone()
            if row is None:
                return False
            stamp = now()
            self.store._execute(
                conn,
                "UPDATE dossier_letters SET printed_at = ?, printed_by = ? WHERE id = ?",
                (stamp, agent.id, letter_id),
            )
            audit.record(
                self.store,
                conn,
                agent.id,
                "letter_printed",
                row[0],
                {"letter": letter_id, "kind": row[1], "printed": False},
                {"letter": letter_id, "kind": row[1], "printed": True},
            )
        return True

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
from datetime import date
from typing import Any

from renderer.store import Store, now

from . import audit, outbox
from .accounts import Agent
from .search import days

EMAIL = "email"
POST = "post"
#: The ways a citizen may be contacted, in the order the question offers them.
CONTACT_CHANNELS = (EMAIL, POST)
#: The kind of a decision letter (the others are the e-mail templates they replace).
DECISION = "decision"
#: Letters per page of the print queue, and the most printed at once in one PDF (a letter
#: costs the printer about 0.03 s of CPU, so a batch holds a printing slot for 1.5 s at most).
PRINT_BATCH = 50
#: The last letters printed, listed under the queue.
LAST_PRINTED = 20
#: The kinds of letters (the e-mail templates a letter replaces, and the decision), in the
#: order the print queue's filter offers them.
LETTER_KINDS = ("receipt", "status", "message", DECISION)


class BadBatch(ValueError):
    """A batch of letters that cannot be marked printed as asked (``key``: the message):
    nothing was changed."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


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


@dataclass(frozen=True)
class QueueFilter:
    """What the print queue is narrowed to, besides the service: a kind of letter, a
    dossier's reference (exact, or its first characters with ``prefix``), and the days
    (UTC, as the pages show the times) the letters were written, both included."""

    kind: str | None = None
    reference: str | None = None
    prefix: bool = False
    since: date | None = None
    until: date | None = None

    def clauses(self) -> tuple[list[str], list[Any]]:
        """The SQL conditions on ``dossier_letters l`` and their parameters (values are
        only ever parameters)."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.kind:
            clauses.append("l.kind = ?")
            params.append(self.kind)
        if self.reference and self.prefix:
            # LIKE with its wildcards escaped, so that "%" or "_" typed match themselves;
            # references are upper case (renderer.store.ALPHABET), the input is made so,
            # so SQLite's case-blind LIKE and PostgreSQL's agree.
            escaped = self.reference.replace("!", "!!").replace("%", "!%").replace("_", "!_")
            clauses.append("l.reference LIKE ? ESCAPE '!'")
            params.append(escaped + "%")
        elif self.reference:
            clauses.append("l.reference = ?")
            params.append(self.reference)
        more, values = days("l.created_at", self.since, self.until)
        return clauses + more, params + values


#: The queue unfiltered.
NO_FILTER = QueueFilter()


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

    def _scope(
        self, agent: Agent, service: str | None, filters: QueueFilter = NO_FILTER
    ) -> tuple[list[str], list[Any]] | None:
        """The clauses and parameters that keep the letters of the services the agent may
        see (``service``: one of them) that match ``filters``; None when it sees none."""
        clauses: list[str] = ["l.to_print = 1"]
        params: list[Any] = []
        if not agent.is_admin:
            services = sorted(agent.services)
            if not services:
                return None
            clauses.append(f"d.service IN ({', '.join('?' for _ in services)})")
            params += services
        if service is not None:
            clauses.append("d.service = ?")
            params.append(service)
        narrower, values = filters.clauses()
        return clauses + narrower, params + values

    def queue(
        self,
        agent: Agent,
        service: str | None = None,
        printed: bool = False,
        offset: int = 0,
        limit: int = PRINT_BATCH,
        filters: QueueFilter = NO_FILTER,
    ) -> list[Letter]:
        """The letters to print of the services the agent may see (``service``: one of
        them) that match ``filters``, oldest first, ``limit`` from ``offset``; ``printed``:
        the ones printed instead, newest first."""
        scope = self._scope(agent, service, filters)
        if scope is None:
            return []
        clauses, params = scope
        clauses.append("l.printed_at IS NOT NULL" if printed else "l.printed_at IS NULL")
        order = "l.printed_at DESC, l.id" if printed else "l.created_at, l.id"
        rows = self.store._all(
            f"SELECT {_COLUMNS} FROM dossier_letters l JOIN dossiers d "
            f"ON d.reference = l.reference WHERE {' AND '.join(clauses)} "
            f"ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_letter(r) for r in rows]

    def waiting(
        self, agent: Agent, service: str | None = None, filters: QueueFilter = NO_FILTER
    ) -> int:
        """How many letters wait to be printed in the agent's services (or ``service``)
        that match ``filters``."""
        scope = self._scope(agent, service, filters)
        if scope is None:
            return 0
        clauses, params = scope
        row = self.store._one(
            "SELECT COUNT(*) FROM dossier_letters l JOIN dossiers d "
            f"ON d.reference = l.reference WHERE {' AND '.join(clauses)} "
            "AND l.printed_at IS NULL",
            params,
        )
        return int(row[0]) if row else 0

    def _batch(self, agent: Agent, ids: list[str]) -> tuple[str, list[Any], int]:
        """The query of a batch's letters the agent may print, in the order of the queue,
        and how many distinct ids were asked (:func:`_batch_ids`)."""
        wanted = _batch_ids(ids)
        scope = self._scope(agent, None)
        if scope is None:
            raise BadBatch("bo_batch_unknown")
        clauses, params = scope
        return (
            f"SELECT {_COLUMNS} FROM dossier_letters l JOIN dossiers d "
            f"ON d.reference = l.reference WHERE {' AND '.join(clauses)} "
            f"AND l.id IN ({', '.join('?' for _ in wanted)}) ORDER BY l.created_at, l.id",
            [*params, *wanted],
            len(wanted),
        )

    def batch(self, agent: Agent, ids: list[str]) -> list[Letter]:
        """The letters of ``ids`` to print at once, in the order of the queue (waiting or
        already printed: a batch may be printed again). Raises :class:`BadBatch` for no id,
        more than :data:`PRINT_BATCH`, or one the agent may not print (unknown, another
        service's, or not a letter to print: the same answer, its existence is not told)."""
        query, params, asked = self._batch(agent, ids)
        letters = [_letter(r) for r in self.store._all(query, params)]
        if len(letters) != asked:
            raise BadBatch("bo_batch_unknown")
        return letters

    def mark_batch_printed(self, agent: Agent, ids: list[str]) -> int:
        """Take a batch of letters out of the print queue at once, each audited as
        :meth:`mark_printed`, all or nothing: raises :class:`BadBatch` as :meth:`batch`
        (nothing changes). Letters already printed (by a colleague meanwhile) are left as
        they are; returns how many were marked."""
        query, params, asked = self._batch(agent, ids)
        with self.store.transaction(exclusive=True) as conn:
            letters = [_letter(r) for r in self.store._execute(conn, query, params).fetchall()]
            if len(letters) != asked:
                raise BadBatch("bo_batch_unknown")
            stamp = now()
            waiting = [x for x in letters if x.printed_at is None]
            for x in waiting:
                self._printed(conn, agent, x.id, x.reference, x.kind, stamp)
        return len(waiting)

    def _printed(
        self, conn: Any, agent: Agent, letter_id: str, reference: str, kind: str, stamp: str
    ) -> None:
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
            reference,
            {"letter": letter_id, "kind": kind, "printed": False},
            {"letter": letter_id, "kind": kind, "printed": True},
        )

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
            self._printed(conn, agent, letter_id, row[0], row[1], now())
        return True


def _batch_ids(ids: list[str]) -> list[str]:
    """The distinct ids of a batch, in order; raises :class:`BadBatch` for none, or for more
    than :data:`PRINT_BATCH` (before reading any: thousands of ids are refused as they are)."""
    if len(ids) > PRINT_BATCH:
        raise BadBatch("bo_batch_too_many")
    wanted = list(dict.fromkeys(i[:40] for i in ids if i))
    if not wanted:
        raise BadBatch("bo_batch_empty")
    return wanted

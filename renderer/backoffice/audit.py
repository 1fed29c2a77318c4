"""The audit log: every agent action (who, when, what, before and after), append-only.

The code only ever inserts; each row also carries the hash of the row before it and its
own, so that a row changed or deleted directly in the database breaks the chain, which
:func:`verify` finds. Entries are written in the transaction of the action they record.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from renderer.store import Store, now

GENESIS = "0" * 64


@dataclass
class AuditEntry:
    """One recorded action."""

    id: str
    at: str
    agent_id: str | None
    action: str
    reference: str | None
    before: Any
    after: Any


def _digest(previous: str, at: str, agent: str | None, action: str, reference: str | None,
            before: str, after: str) -> str:
    body = json.dumps([previous, at, agent, action, reference, before, after], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(store: Store, conn: Any, agent_id: str | None, action: str, reference: str | None,
           before: Any = None, after: Any = None) -> None:
    """Append an entry inside the caller's exclusive transaction (which numbers it)."""
    row = store._execute(
        conn, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, previous = (int(row[0]) + 1, str(row[1])) if row else (1, GENESIS)
    at = now()
    b, a = json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)
    store._execute(
        conn,
        "INSERT INTO audit_log (id, seq, at, agent_id, action, reference, before, after, "
        "previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (secrets.token_urlsafe(12), seq, at, agent_id, action, reference, b, a, previous,
         _digest(previous, at, agent_id, action, reference, b, a)),
    )


def entries(store: Store, reference: str | None = None) -> list[AuditEntry]:
    """The entries (of one dossier if given), oldest first."""
    query = "SELECT id, at, agent_id, action, reference, before, after FROM audit_log"
    params: tuple[Any, ...] = ()
    if reference is not None:
        query += " WHERE reference = ?"
        params = (reference,)
    rows = store._all(query + " ORDER BY seq", params)
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), json.loads(r[6]))
            for r in rows]


def verify(store: Store) -> list[str]:
    """Problems of the chain (empty: intact): a row whose content does not match its hash,
    a row whose predecessor is missing, or two rows claiming the same predecessor."""
    rows = store._all(
        "SELECT id, at, agent_id, action, reference, before, after, previous_hash, hash "
        "FROM audit_log"
    )
    problems: list[str] = []
    hashes = {str(r[8]) for r in rows}
    seen_previous: set[str] = set()
    for r in rows:
        if _digest(r[7], r[1], r[2], r[3], r[4], r[5], r[6]) != r[8]:
            problems.append(f"entry {r[0]} was changed after it was written")
        if r[7] != GENESIS and r[7] not in hashes:
            problems.append(f"the entry before {r[0]} was removed")
        if r[7] in seen_previous:
            problems.append(f"the chain forks at {r[0]}")
        seen_previous.add(str(r[7]))
    return problems

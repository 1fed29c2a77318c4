"""Retention: ``parcours purge`` deletes what is past its time, and says what it deleted.

- A decided dossier of a journey that declares ``retention`` (``2 years``) is deleted once
  that time has passed since the decision: its processing (history, messages, annotations),
  its submission, its files and its draft. A dossier still being processed is never
  deleted, whatever its age.
- A draft never sent is deleted with its files once its resume code has expired
  (:data:`renderer.store.RESUME_DAYS` after it was last saved).

Each deleted dossier leaves an entry in the audit log (reference, journey, service, status,
dates; none of the citizen's answers), so that the deletion itself is accounted for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from renderer.store import RESUME_DAYS, Store

from . import audit


@dataclass
class Purged:
    """What a purge deleted (or would delete, in a dry run)."""

    #: (reference, journey id, decided at) of each dossier.
    dossiers: list[tuple[str, str, str]] = field(default_factory=list)
    drafts: int = 0
    files: int = 0


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def purge(store: Store, retention: dict[str, int], *, now: datetime | None = None,
          dry_run: bool = False) -> Purged:
    """Delete the decided dossiers past their journey's retention (days by journey id) and
    the expired drafts never sent."""
    now = now or datetime.now(UTC)
    out = Purged()
    for journey_id, days in sorted(retention.items()):
        rows = store._all(
            "SELECT d.reference, d.service, d.status, d.created_at, d.decided_at, s.draft_id "
            "FROM dossiers d JOIN submissions s ON s.reference = d.reference "
            "WHERE d.journey_id = ? AND d.decided_at IS NOT NULL AND d.decided_at < ?",
            (journey_id, _stamp(now - timedelta(days=days))),
        )
        for reference, service, status, created, decided, draft_id in rows:
            out.dossiers.append((reference, journey_id, decided))
            if dry_run:
                out.files += _count_files(store, draft_id)
                continue
            with store.transaction(exclusive=True) as conn:
                out.files += _delete_dossier(store, conn, reference, draft_id)
                audit.record(store, conn, None, "purge", reference,
                             {"journey": journey_id, "service": service, "status": status,
                              "sent": created, "decided": decided}, None)
    expired = _stamp(now - timedelta(days=RESUME_DAYS))
    drafts = store._all("SELECT id FROM drafts WHERE submitted = 0 AND updated_at < ?",
                        (expired,))
    for (draft_id,) in drafts:
        out.drafts += 1
        if dry_run:
            out.files += _count_files(store, draft_id)
            continue
        with store.transaction() as conn:
            out.files += _delete(store, conn, "files", "draft_id", draft_id)
            _delete(store, conn, "drafts", "id", draft_id)
    return out


def _count_files(store: Store, draft_id: str) -> int:
    return int(store._one("SELECT COUNT(*) FROM files WHERE draft_id = ?", (draft_id,))[0])


def _delete(store: Store, conn: Any, table: str, column: str, value: str) -> int:
    cursor = store._execute(conn, f"DELETE FROM {table} WHERE {column} = ?", (value,))
    return int(cursor.rowcount or 0)


def _delete_dossier(store: Store, conn: Any, reference: str, draft_id: str) -> int:
    """Delete a dossier and all it holds, children first; the number of files deleted."""
    for table in ("dossier_history", "dossier_messages", "dossier_annotations", "dossiers",
                  "submissions"):
        _delete(store, conn, table, "reference", reference)
    files = _delete(store, conn, "files", "draft_id", draft_id)
    _delete(store, conn, "drafts", "id", draft_id)
    return files

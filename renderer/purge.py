"""The purge: what is past its time, deleted with everything it holds (rows, files' bytes in
the folder or object storage), by one function that the server's hourly job and the
``parcours purge`` command both run (docs/operations.md, docs/backoffice.md "Retention").

- A decided dossier of a journey that declares ``retention`` (``2 years``) is deleted once
  that time has passed since the decision: its processing (history, messages, annotations, letters),
  its submission, its files and its draft; each leaves an entry in the audit log (reference,
  journey, service, status, dates; none of the citizen's answers). A dossier still being
  processed is never deleted, whatever its age.
- A mandate (:mod:`renderer.backoffice.mediation`, the citizen's name) goes with the
  dossier sent under it; one that covered no dossier is deleted
  :data:`~renderer.store.RESUME_DAYS` after it expired or was withdrawn, as an unsent draft.
- A draft never sent and untouched for :data:`~renderer.store.RESUME_DAYS` is deleted with
  its files and resume keys.
- Sessions unused for :data:`~renderer.store.SESSION_DAYS`, and throttle counts whose
  window is a day old and whose lockout is over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from designer.model import Journey, retention_days
from renderer import observe
from renderer.backoffice import audit
from renderer.databases import SQLite
from renderer.store import RESUME_DAYS, SESSION_DAYS, Store

log = logging.getLogger("parcours.purge")

#: Seconds between two purges of a serving process.
PURGE_EVERY = 3600


@dataclass
class Purged:
    """What a purge deleted (or would delete, in a dry run)."""

    #: (reference, journey id, decided at) of each dossier.
    dossiers: list[tuple[str, str, str]] = field(default_factory=list)
    drafts: int = 0
    sessions: int = 0
    files: int = 0
    throttle: int = 0
    mandates: int = 0

    def counts(self) -> dict[str, int]:
        """The numbers deleted, by kind (for the metrics and the log)."""
        return {"dossiers": len(self.dossiers), "drafts": self.drafts,
                "sessions": self.sessions, "files": self.files, "throttle": self.throttle,
                "mandates": self.mandates}


def retention_of(journeys: Iterable[Journey]) -> dict[str, int]:
    """The retention in days of the journeys that declare one, by journey id."""
    return {j.id: retention_days(j.retention) for j in journeys if j.retention}


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def purge(store: Store, retention: dict[str, int] | None = None, *,
          at: datetime | None = None, dry_run: bool = False, batch: int = 500) -> Purged:
    """Delete what expired before ``at`` (default now): dossiers past their journey's
    ``retention`` (days by journey id), expired drafts, sessions and throttle counts; with
    ``dry_run``, count the dossiers, drafts and files only."""
    moment = at or datetime.now(UTC)
    done = Purged()
    for journey_id, days in sorted((retention or {}).items()):
        _dossiers(store, journey_id, _stamp(moment - timedelta(days=days)), dry_run, done)
    _drafts(store, _stamp(moment - timedelta(days=RESUME_DAYS)), dry_run, batch, done)
    ended = _stamp(moment - timedelta(days=RESUME_DAYS))
    unused = ("FROM mandates WHERE reference IS NULL AND (expires_at < ? "
              "OR withdrawn_at < ?)")
    if dry_run:
        done.mandates += int(store._one(f"SELECT COUNT(*) {unused}", (ended, ended))[0])
        return done
    done.mandates += store._write(f"DELETE {unused}", (ended, ended)).rowcount
    done.sessions = store._write(
        "DELETE FROM sessions WHERE updated_at < ?",
        (_stamp(moment - timedelta(days=SESSION_DAYS)),)).rowcount
    # A count whose window is older than the longest window and whose lockout is over.
    done.throttle = store._write(
        "DELETE FROM throttle WHERE window_start < ? AND (locked_until IS NULL "
        "OR locked_until < ?)",
        (_stamp(moment - timedelta(days=1)), _stamp(moment)),
    ).rowcount
    if isinstance(store.backend, SQLite) and (done.drafts or done.sessions or done.dossiers):
        # Give the freed pages back to the file, a little at a time (auto_vacuum is off by
        # default: the file keeps its size but the free pages are reused first).
        store._write("PRAGMA wal_checkpoint(PASSIVE)")
    return done


def _files_of(store: Store, draft_id: str) -> list[tuple[str, str | None]]:
    return [(r[0], r[1]) for r in store._all("SELECT id, path FROM files WHERE draft_id = ?",
                                             (draft_id,))]


def _dossiers(store: Store, journey_id: str, decided_before: str, dry_run: bool,
              done: Purged) -> None:
    rows = store._all(
        "SELECT d.reference, d.service, d.status, d.created_at, d.decided_at, s.draft_id "
        "FROM dossiers d JOIN submissions s ON s.reference = d.reference "
        "WHERE d.journey_id = ? AND d.decided_at IS NOT NULL AND d.decided_at < ?",
        (journey_id, decided_before),
    )
    for reference, service, status, created, decided, draft_id in rows:
        done.dossiers.append((reference, journey_id, decided))
        files = _files_of(store, draft_id)
        done.files += len(files)
        if dry_run:
            done.mandates += int(store._one(
                "SELECT COUNT(*) FROM mandates WHERE reference = ?", (reference,))[0])
            continue
        # The bytes first: should the transaction fail, the next purge finds the rows again.
        for _, path in files:
            store.delete_bytes(path)
        with store.transaction(exclusive=True) as conn:
            for table in ("dossier_history", "dossier_messages", "dossier_annotations",
                          "dossier_letters", "dossiers", "submissions"):
                _delete(store, conn, table, "reference", reference)
            done.mandates += _delete(store, conn, "mandates", "reference", reference)
            _delete(store, conn, "files", "draft_id", draft_id)
            _delete(store, conn, "resume_keys", "draft_id", draft_id)
            _delete(store, conn, "drafts", "id", draft_id)
            audit.record(store, conn, None, "purge", reference,
                         {"journey": journey_id, "service": service, "status": status,
                          "sent": created, "decided": decided}, None)


def _drafts(store: Store, updated_before: str, dry_run: bool, batch: int,
            done: Purged) -> None:
    query = ("SELECT id FROM drafts WHERE submitted = 0 AND updated_at < ? "
             "AND id NOT IN (SELECT draft_id FROM submissions)")
    if dry_run:
        for (draft_id,) in store._all(query, (updated_before,)):
            done.drafts += 1
            done.files += len(_files_of(store, draft_id))
        return
    while True:
        rows = store._all(query + " LIMIT ?", (updated_before, batch))
        if not rows:
            break
        for (draft_id,) in rows:
            done.files += store.delete_files(draft_id, [f for f, _ in _files_of(store, draft_id)])
            with store.transaction() as conn:
                _delete(store, conn, "resume_keys", "draft_id", draft_id)
                _delete(store, conn, "drafts", "id", draft_id)
            done.drafts += 1


def _delete(store: Store, conn: Any, table: str, column: str, value: str) -> int:
    cursor = store._execute(conn, f"DELETE FROM {table} WHERE {column} = ?", (value,))
    return int(cursor.rowcount or 0)


def purge_job(store: Store, retention: Callable[[], dict[str, int]] = dict,
              ) -> Callable[[], Purged]:
    """The purge as a background job (``retention``: the served journeys', read at each
    run): one run, counted in the metrics and logged (a failure is logged by the runner and
    retried at the next period)."""

    def run() -> Purged:
        done = purge(store, retention())
        observe.purged(done.counts())
        log.info("purge", extra={"purged": done.counts()})
        return done

    return run

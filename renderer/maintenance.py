"""Keeping the database bounded and safe: the purge of what expired, and backups.

- :func:`purge` deletes the drafts nobody touched for :data:`~renderer.store.RESUME_DAYS`
  (with their files and resume keys), the sessions unused for
  :data:`~renderer.store.SESSION_DAYS`, and the throttle counts whose lockout is over.
  Dossiers sent (and the drafts and files they came from) are kept: their retention belongs
  to the back office.
- :func:`purge_job` is the job that the job runner of :mod:`renderer.jobs` runs every
  :data:`PURGE_EVERY` seconds (APScheduler in the process on SQLite; procrastinate's queue
  on PostgreSQL, once per hour across every host).
- :func:`backup` copies a live SQLite database with SQLite's online backup API (readers and
  writers go on meanwhile) and the files it refers to; the copy is itself a store, so
  restoring is putting it back in place.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from renderer import observe
from renderer.databases import SQLite, StoreError
from renderer.store import RESUME_DAYS, SESSION_DAYS, Store

log = logging.getLogger("parcours.maintenance")

#: Seconds between two purges of a serving process.
PURGE_EVERY = 3600


@dataclass
class Purged:
    """What one purge deleted."""

    drafts: int = 0
    sessions: int = 0
    files: int = 0
    throttle: int = 0


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def purge(store: Store, at: datetime | None = None, batch: int = 500) -> Purged:
    """Delete what expired before ``at`` (default now); return the counts."""
    moment = at or datetime.now(UTC)
    done = Purged()
    drafts_before = _stamp(moment - timedelta(days=RESUME_DAYS))
    while True:
        rows = store._all(
            "SELECT id FROM drafts WHERE submitted = 0 AND updated_at < ? "
            "AND id NOT IN (SELECT draft_id FROM submissions) LIMIT ?",
            (drafts_before, batch),
        )
        if not rows:
            break
        for (draft_id,) in rows:
            files = [r[0] for r in store._all("SELECT id FROM files WHERE draft_id = ?",
                                               (draft_id,))]
            done.files += store.delete_files(draft_id, files)
            with store.transaction() as conn:
                store._execute(conn, "DELETE FROM resume_keys WHERE draft_id = ?", (draft_id,))
                store._execute(conn, "DELETE FROM drafts WHERE id = ?", (draft_id,))
            done.drafts += 1
    sessions_before = _stamp(moment - timedelta(days=SESSION_DAYS))
    done.sessions = store._write(
        "DELETE FROM sessions WHERE updated_at < ?", (sessions_before,)
    ).rowcount
    # A count whose window is older than the longest window and whose lockout is over.
    done.throttle = store._write(
        "DELETE FROM throttle WHERE window_start < ? AND (locked_until IS NULL "
        "OR locked_until < ?)",
        (_stamp(moment - timedelta(days=1)), _stamp(moment)),
    ).rowcount
    if isinstance(store.backend, SQLite) and (done.drafts or done.sessions):
        # Give the freed pages back to the file, a little at a time (auto_vacuum is off by
        # default: the file keeps its size but the free pages are reused first).
        store._write("PRAGMA wal_checkpoint(PASSIVE)")
    return done


def purge_job(store: Store) -> Callable[[], Purged]:
    """The purge as a background job: one run, counted in the metrics and logged (a failure
    is logged by the runner and retried at the next period)."""

    def run() -> Purged:
        done = purge(store)
        observe.purged(done.__dict__)
        log.info("purge", extra={"purged": done.__dict__})
        return done

    return run


def backup(db_url: str, output: str | Path, files_dir: str | Path | None = None) -> int:
    """Copy a SQLite store to ``output`` (and its files beside it, in ``OUTPUT-files``) while
    it serves; return the number of files copied. PostgreSQL is backed up with ``pg_dump``."""
    store = Store(db_url, files_dir=files_dir)
    if not isinstance(store.backend, SQLite) or store.backend.memory:
        raise StoreError(
            "parcours backup copies SQLite files; for PostgreSQL use pg_dump "
            "(docs/operations.md)"
        )
    target = Path(output)
    if target.exists():
        raise StoreError(f"{target} exists: choose a new file name")
    source: Any = store._conn()
    copy = sqlite3.connect(target)
    try:
        # Pages are copied in steps of 256, so that writers are held only briefly each time.
        source.backup(copy, pages=256)
    finally:
        copy.close()
    copied = 0
    if store.files_dir is not None:
        dest = target.with_name(target.stem + "-files")
        check = sqlite3.connect(target)
        try:
            # Objects in object storage are the bucket's to keep (docs/operations.md).
            paths = [r[0] for r in check.execute(
                "SELECT path FROM files WHERE path IS NOT NULL AND path NOT LIKE 's3:%'")]
        finally:
            check.close()
        # Files are written once under their id before their row: every row of the copy has
        # its file already, and none is changed afterwards.
        for relative in paths:
            (dest / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(store.files_dir / relative, dest / relative)
            copied += 1
    store.close()
    return copied

"""Keeping the data safe: backups (the purge of what expired is :mod:`renderer.purge`).

:func:`backup` copies a live SQLite database with SQLite's online backup API (readers and
writers go on meanwhile) and the files it refers to; the copy is itself a store, so
restoring is putting it back in place.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from renderer.databases import SQLite, StoreError
from renderer.store import Store


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
    copy = sqlite3.connect(target)
    try:
        with store.connection() as source:
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

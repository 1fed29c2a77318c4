"""Uploaded files: their bytes in a folder, S3-compatible object storage (renderer/objects.py)
or the database; their checksum in the database.

:class:`FileStore` is the part of :class:`renderer.store.Store` that keeps files: each upload
is written once under its random id (a temporary name, synced, then renamed; or one object)
and never changed; its row records name, sniffed type, size and SHA-256, which every read
checks. With object storage configured the bytes go there; else without a folder (PostgreSQL
by default, so that several hosts need no shared folder) the bytes stay in the row. A draft
holds at most :data:`DRAFT_QUOTA` bytes; files its answers no longer refer to are deleted
(:meth:`FileStore.prune_files`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from renderer.databases import StoreError
from renderer.objects import PREFIX, ObjectStore

#: Bytes of files one draft may hold at once (every upload counts until it is replaced).
DRAFT_QUOTA = 50_000_000


class QuotaExceeded(StoreError):
    """A draft would hold more bytes of files than :data:`DRAFT_QUOTA`."""


@dataclass
class StoredFile:
    """An uploaded file, checked for size and sniffed content type before it was stored."""

    id: str
    draft_id: str
    question: str
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes
    created_at: str


class _Draft(Protocol):
    id: str
    answers: dict[str, Any]
    state: dict[str, Any]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class FileStore:
    """The files of :class:`renderer.store.Store` (which provides the queries)."""

    files_dir: Path | None
    #: Object storage for the bytes of new files (None: the folder, or the database).
    objects: ObjectStore | None
    backend: Any

    def _one(self, query: str, params: Sequence[Any] = ()) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _all(self, query: str, params: Sequence[Any] = ()) -> list[Any]:  # pragma: no cover
        raise NotImplementedError

    def _write(self, query: str, params: Sequence[Any] = ()) -> Any:  # pragma: no cover
        raise NotImplementedError

    def save_file(
        self, draft_id: str, question: str, name: str, content_type: str, data: bytes,
    ) -> StoredFile:
        """Store an uploaded file (already checked by the caller); raise
        :class:`QuotaExceeded` past :data:`DRAFT_QUOTA` bytes per draft.

        The bytes go to object storage when configured, else the files folder (named by id,
        the database keeping the SHA-256 that :meth:`get_file` checks), else the database.
        """
        held = self._one("SELECT COALESCE(SUM(size), 0) FROM files WHERE draft_id = ?",
                         (draft_id,))
        if int(held[0]) + len(data) > DRAFT_QUOTA:
            raise QuotaExceeded(f"draft {draft_id} would hold more than {DRAFT_QUOTA} bytes")
        stored = StoredFile(
            secrets.token_urlsafe(18), draft_id, question, name, content_type, len(data),
            hashlib.sha256(data).hexdigest(), data, _now(),
        )
        path = None
        if self.objects is not None:
            path = self.objects.put(f"{stored.id[:2]}/{stored.id}", data)
        elif self.files_dir is not None:
            path = self._write_file(stored.id, data)
        self._write(
            "INSERT INTO files (id, draft_id, question, name, content_type, size, sha256, "
            "data, created_at, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (stored.id, draft_id, question, name, content_type, stored.size, stored.sha256,
             b"" if path else data, stored.created_at, path),
        )
        return stored

    def _write_file(self, file_id: str, data: bytes) -> str:
        """Write a file's bytes under the folder (atomically: a temporary name, then renamed);
        return its path relative to the folder."""
        assert self.files_dir is not None
        relative = f"{file_id[:2]}/{file_id}"
        target = self.files_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        return relative

    def get_file(self, file_id: str) -> StoredFile | None:
        """The stored file of that id, or None; StoreError when its bytes do not match the
        checksum recorded when it was stored."""
        row = self._one(
            "SELECT id, draft_id, question, name, content_type, size, sha256, data, created_at, "
            "path FROM files WHERE id = ?",
            (file_id,),
        )
        if not row:
            return None
        if row[9] and row[9].startswith(PREFIX):
            if self.objects is None:
                raise StoreError(f"file {file_id} is in object storage and none is configured")
            data = self.objects.get(row[9])
        elif row[9]:
            if self.files_dir is None:
                raise StoreError(f"file {file_id} is in a folder and no folder is configured")
            data = (self.files_dir / row[9]).read_bytes()
        else:
            data = self.backend.blob(row[7])
        if hashlib.sha256(data).hexdigest() != row[6]:
            raise StoreError(f"file {file_id} does not match its checksum")
        return StoredFile(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6],
                          data, row[8])

    def files_of(self, draft_id: str) -> list[StoredFile]:
        """The files a draft (a dossier) holds, oldest first, without their bytes (``data``
        empty: :meth:`get_file` reads and checks them)."""
        rows = self._all(
            "SELECT id, draft_id, question, name, content_type, size, sha256, created_at "
            "FROM files WHERE draft_id = ? ORDER BY created_at, id", (draft_id,))
        return [StoredFile(r[0], r[1], r[2], r[3], r[4], int(r[5]), r[6], b"", r[7])
                for r in rows]

    def delete_files(self, draft_id: str, file_ids: Sequence[str]) -> int:
        """Delete files of a draft (their bytes, then their rows: a failure leaves the row,
        and the next purge deletes both); return how many."""
        count = 0
        for file_id in file_ids:
            row = self._one("SELECT path FROM files WHERE id = ? AND draft_id = ?",
                            (file_id, draft_id))
            if not row:
                continue
            self.delete_bytes(row[0])
            self._write("DELETE FROM files WHERE id = ?", (file_id,))
            count += 1
        return count

    def delete_bytes(self, path: str | None) -> None:
        """Delete the bytes a file row's ``path`` names, in the folder or object storage
        (nothing for bytes kept in the row, or already gone)."""
        if not path:
            return
        if path.startswith(PREFIX):
            if self.objects is None:
                raise StoreError(f"{path} is in object storage and none is configured")
            self.objects.delete(path)
        elif self.files_dir is not None:
            (self.files_dir / path).unlink(missing_ok=True)

    def prune_files(self, draft: _Draft) -> int:
        """Delete the files of a draft that its answers and pages in progress no longer refer
        to (a file replaced by another upload, an item removed); return how many."""
        held = [r[0] for r in self._all("SELECT id FROM files WHERE draft_id = ?", (draft.id,))]
        if not held:
            return 0
        text = json.dumps(draft.answers) + json.dumps(draft.state)
        return self.delete_files(draft.id, [f for f in held if f'"{f}"' not in text])

    def files_bytes(self) -> int:
        """Bytes of every file stored (for the purge test and the metrics)."""
        return int(self._one("SELECT COALESCE(SUM(size), 0) FROM files")[0])

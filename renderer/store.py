"""The renderer's data layer: drafts, submissions, files, sessions and journey versions.

One class, :class:`Store`, over SQLite (stdlib ``sqlite3``) or PostgreSQL (psycopg 3), chosen by
the URL (``sqlite:///parcours.db``, ``sqlite:///:memory:``, ``postgresql://host/db``). The schema
comes from the numbered files of ``renderer/migrations`` and is recorded in ``schema_version``.

The web process keeps no state of its own: everything a citizen needs between two requests
lives here, so that several processes on one PostgreSQL serve the same citizens.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from renderer.databases import StoreError, backend_for, is_unique_violation, statements

MIGRATIONS = Path(__file__).parent / "migrations"

# Upper-case letters and digits without 0/O and 1/I: read over the phone without ambiguity.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Days a resume code or link keeps working after the draft was last saved.
RESUME_DAYS = 30


def now() -> str:
    """The current UTC time as sortable ISO 8601 text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def random_code(length: int = 8) -> str:
    """A random code of ``length`` characters of the unambiguous alphabet, grouped by four."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(raw[i : i + 4] for i in range(0, length, 4))


def normalise_code(text: str) -> str:
    """A code as typed by a citizen (lower case, spaces, O for 0…) to its canonical form."""
    raw = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    raw = raw.replace("O", "0").replace("I", "1")
    # The alphabet has no 0/1: a 0 or 1 typed is a misreading of O/I, which the alphabet has not
    # either, so such a code cannot exist; keep it as typed so that it simply finds nothing.
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def content_hash(source: str) -> str:
    """The version id of a journey: SHA-256 of its source text."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class ConflictError(StoreError):
    """A draft was changed by another request since it was read (optimistic concurrency)."""


@dataclass
class Session:
    """A browser session: the cookie carries only its signed id."""

    id: str
    csrf: str
    lang: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Draft:
    """A citizen's answers in progress on one version of one journey."""

    id: str
    journey_id: str
    journey_hash: str
    answers: dict[str, Any]
    state: dict[str, Any]
    current_step: str | None
    resume_code: str
    resume_token: str
    version: int
    submitted: bool
    created_at: str
    updated_at: str


@dataclass
class Submission:
    """A dossier sent: its reference, the answers kept by the final run, and its journey version."""

    reference: str
    draft_id: str
    journey_id: str
    journey_hash: str
    lang: str
    answers: dict[str, Any]
    created_at: str


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


class Store:
    """Drafts, submissions, files, sessions and journey versions in one SQL database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.backend = backend_for(url)
        self._local = threading.local()
        self.migrate()

    # -- connections -------------------------------------------------------------------------

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(conn, "closed", False):
            conn = self.backend.connect()
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (other threads' close when they end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[Any]:
        """A transaction on this thread's connection, committed on success, rolled back on error."""
        conn = self._conn()
        if exclusive:
            self.backend.begin_exclusive(conn)
        else:
            conn.execute("BEGIN")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _execute(self, conn: Any, query: str, params: Sequence[Any] = ()) -> Any:
        return conn.execute(self.backend.sql(query), tuple(params))

    def _write(self, query: str, params: Sequence[Any] = ()) -> Any:
        """One statement in autocommit: atomic on its own, and two round trips cheaper than
        BEGIN … COMMIT (which matters on PostgreSQL)."""
        return self._execute(self._conn(), query, params)

    def _one(self, query: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(self._conn(), query, params).fetchone()

    def _all(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._execute(self._conn(), query, params).fetchall())

    # -- migrations --------------------------------------------------------------------------

    def migrate(self) -> int:
        """Apply the numbered migrations not yet applied; return the schema version."""
        files = sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql"))
        with self.transaction(exclusive=True) as conn:
            self._execute(
                conn,
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            row = self._execute(conn, "SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for file in files:
                number = int(file.name[:3])
                if number <= current:
                    continue
                script = file.read_text(encoding="utf-8")
                if self.backend.dialect == "postgresql":
                    script = re.sub(r"\bBLOB\b", "BYTEA", script)
                for statement in statements(script):
                    conn.execute(statement)
                self._execute(
                    conn,
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (number, file.name, now()),
                )
                current = number
        return current

    def schema_version(self) -> int:
        """The number of the last migration applied."""
        return int(self._one("SELECT MAX(version) FROM schema_version")[0] or 0)

    # -- meta --------------------------------------------------------------------------------

    def secret(self) -> str:
        """The signing secret shared by every process on this database (created once)."""
        row = self._one("SELECT value FROM meta WHERE key = 'secret'")
        if row:
            return str(row[0])
        self._write(
            "INSERT INTO meta (key, value) VALUES ('secret', ?) ON CONFLICT (key) DO NOTHING",
            (secrets.token_urlsafe(48),),
        )
        return str(self._one("SELECT value FROM meta WHERE key = 'secret'")[0])

    # -- journey versions --------------------------------------------------------------------

    def save_journey_version(self, journey_id: str, source: str, file: str) -> str:
        """Record a journey's source text under its content hash; return the hash."""
        digest = content_hash(source)
        self._write(
            "INSERT INTO journey_versions (hash, journey_id, source, file, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING",
            (digest, journey_id, source, file, now()),
        )
        return digest

    def journey_version(self, digest: str) -> tuple[str, str] | None:
        """The (source, file) of a journey version, or None."""
        row = self._one("SELECT source, file FROM journey_versions WHERE hash = ?", (digest,))
        return (str(row[0]), str(row[1])) if row else None

    # -- sessions ----------------------------------------------------------------------------

    def create_session(self, lang: str) -> Session:
        """A new session with a fresh CSRF token."""
        session = Session(secrets.token_urlsafe(24), secrets.token_urlsafe(32), lang, {})
        stamp = now()
        self._write(
            "INSERT INTO sessions (id, csrf, lang, data, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (session.id, session.csrf, lang, "{}", stamp, stamp),
        )
        return session

    def get_session(self, session_id: str) -> Session | None:
        """The session of that id, or None."""
        row = self._one("SELECT id, csrf, lang, data FROM sessions WHERE id = ?", (session_id,))
        if not row:
            return None
        return Session(row[0], row[1], row[2], json.loads(row[3]))

    def save_session(self, session: Session) -> None:
        """Write a session's language and data back."""
        self._write(
            "UPDATE sessions SET lang = ?, data = ?, updated_at = ? WHERE id = ?",
            (session.lang, json.dumps(session.data), now(), session.id),
        )

    # -- drafts ------------------------------------------------------------------------------

    _DRAFT_COLUMNS = (
        "id, journey_id, journey_hash, answers, state, current_step, resume_code, resume_token, "
        "version, submitted, created_at, updated_at"
    )

    def _draft(self, row: Any) -> Draft | None:
        if not row:
            return None
        return Draft(
            row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]), row[5], row[6],
            row[7], int(row[8]), bool(row[9]), row[10], row[11],
        )

    def create_draft(self, journey_id: str, journey_hash: str, current_step: str | None) -> Draft:
        """A new empty draft on that journey version, with its resume code and token."""
        for _attempt in range(8):
            stamp = now()
            draft = Draft(
                secrets.token_urlsafe(18), journey_id, journey_hash, {}, {}, current_step,
                random_code(8), secrets.token_urlsafe(24), 1, False, stamp, stamp,
            )
            try:
                self._write(
                    f"INSERT INTO drafts ({self._DRAFT_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (draft.id, journey_id, journey_hash, "{}", "{}", current_step,
                     draft.resume_code, draft.resume_token, 1, 0, stamp, stamp),
                )
                return draft
            except Exception as exc:  # a resume code collision: draw another one
                if not is_unique_violation(exc):
                    raise
        raise StoreError("could not draw a unique resume code")

    def get_draft(self, draft_id: str) -> Draft | None:
        """The draft of that id, or None."""
        return self._draft(
            self._one(f"SELECT {self._DRAFT_COLUMNS} FROM drafts WHERE id = ?", (draft_id,))
        )

    def find_draft(
        self, journey_id: str, *, code: str | None = None, token: str | None = None,
        max_age_days: int = RESUME_DAYS,
    ) -> Draft | None:
        """The draft of a journey by resume code (as typed) or resume token, or None.

        A draft untouched for more than ``max_age_days`` is not found: the resume page
        promises that codes and links work for that long, and no longer.
        """
        oldest = (datetime.now(UTC) - timedelta(days=max_age_days)).isoformat(
            timespec="milliseconds")
        if code is not None:
            column, value = "resume_code", normalise_code(code)
        elif token is not None:
            column, value = "resume_token", token
        else:
            return None
        return self._draft(self._one(
            f"SELECT {self._DRAFT_COLUMNS} FROM drafts "
            f"WHERE journey_id = ? AND {column} = ? AND updated_at >= ?",
            (journey_id, value, oldest),
        ))

    def save_draft(self, draft: Draft) -> Draft:
        """Write a draft if nobody changed it since it was read; raise ConflictError otherwise.

        The version counter makes concurrent writers (two tabs, two processes) explicit: the
        loser re-reads and retries instead of silently overwriting the other's answers.
        """
        stamp = now()
        cursor = self._write(
            "UPDATE drafts SET answers = ?, state = ?, current_step = ?, version = ?, "
            "updated_at = ? WHERE id = ? AND version = ?",
            (json.dumps(draft.answers), json.dumps(draft.state), draft.current_step,
             draft.version + 1, stamp, draft.id, draft.version),
        )
        if cursor.rowcount != 1:
            raise ConflictError(f"draft {draft.id} changed since it was read")
        draft.version += 1
        draft.updated_at = stamp
        return draft

    # -- submissions -------------------------------------------------------------------------

    def submit(
        self, draft: Draft, answers: dict[str, Any], lang: str,
        then: Callable[[Any, str], None] | None = None,
    ) -> tuple[str, bool]:
        """Write the dossier of a draft once; return (reference, created).

        The draft id is the idempotency key (UNIQUE): a double click or a replayed request
        finds the existing row and returns the same reference. The dossier and the draft's
        ``submitted`` flag are written in one transaction: never half a dossier. ``then``
        (connection, reference) runs in that transaction when the dossier is new: the back
        office opens its processing and queues its notifications there.
        """
        existing = self.submission_for_draft(draft.id)
        if existing:
            return existing.reference, False
        for _attempt in range(8):
            reference = random_code(8)
            try:
                with self.transaction() as conn:
                    cursor = self._execute(
                        conn,
                        "INSERT INTO submissions (reference, draft_id, journey_id, journey_hash, "
                        "lang, answers, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (draft_id) DO NOTHING",
                        (reference, draft.id, draft.journey_id, draft.journey_hash, lang,
                         json.dumps(answers), now()),
                    )
                    created = cursor.rowcount == 1
                    self._execute(
                        conn, "UPDATE drafts SET submitted = 1 WHERE id = ?", (draft.id,)
                    )
                    if created and then is not None:
                        then(conn, reference)
                if not created:
                    found = self.submission_for_draft(draft.id)
                    assert found is not None
                    return found.reference, False
                draft.submitted = True
                return reference, True
            except Exception as exc:  # a reference collision: draw another one
                if not is_unique_violation(exc):
                    raise
        raise StoreError("could not draw a unique reference")

    def _submission(self, row: Any) -> Submission | None:
        if not row:
            return None
        return Submission(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6])

    _SUBMISSION_COLUMNS = "reference, draft_id, journey_id, journey_hash, lang, answers, created_at"

    def submission_for_draft(self, draft_id: str) -> Submission | None:
        """The dossier sent from that draft, or None."""
        return self._submission(self._one(
            f"SELECT {self._SUBMISSION_COLUMNS} FROM submissions WHERE draft_id = ?", (draft_id,)
        ))

    def submission(self, reference: str) -> Submission | None:
        """The dossier of that reference, or None."""
        return self._submission(self._one(
            f"SELECT {self._SUBMISSION_COLUMNS} FROM submissions WHERE reference = ?",
            (normalise_code(reference),),
        ))

    def submissions(self, journey_id: str | None = None) -> list[Submission]:
        """Every dossier (of one journey if given), oldest first."""
        if journey_id is None:
            rows = self._all(
                f"SELECT {self._SUBMISSION_COLUMNS} FROM submissions ORDER BY created_at, reference"
            )
        else:
            rows = self._all(
                f"SELECT {self._SUBMISSION_COLUMNS} FROM submissions WHERE journey_id = ? "
                "ORDER BY created_at, reference",
                (journey_id,),
            )
        return [s for s in (self._submission(r) for r in rows) if s is not None]

    # -- files -------------------------------------------------------------------------------

    def save_file(
        self, draft_id: str, question: str, name: str, content_type: str, data: bytes
    ) -> StoredFile:
        """Store an uploaded file's bytes (already checked by the caller)."""
        stored = StoredFile(
            secrets.token_urlsafe(18), draft_id, question, name, content_type, len(data),
            hashlib.sha256(data).hexdigest(), data, now(),
        )
        self._write(
            "INSERT INTO files (id, draft_id, question, name, content_type, size, sha256, "
            "data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (stored.id, draft_id, question, name, content_type, stored.size, stored.sha256,
             data, stored.created_at),
        )
        return stored

    def get_file(self, file_id: str) -> StoredFile | None:
        """The stored file of that id, or None."""
        row = self._one(
            "SELECT id, draft_id, question, name, content_type, size, sha256, data, created_at "
            "FROM files WHERE id = ?",
            (file_id,),
        )
        if not row:
            return None
        return StoredFile(row[0], row[1], row[2], row[3], row[4], int(row[5]), row[6],
                          self.backend.blob(row[7]), row[8])

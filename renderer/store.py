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
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from renderer.databases import (
    BUSY_TIMEOUT_MS,
    DB_POOL_SIZE,
    Connections,
    SQLite,
    StoreError,
    backend_for,
    busy_as_503,
    is_unique_violation,
    statements,
)
from renderer.filestore import FileStore
from renderer.objects import ObjectStore
from renderer.records import Draft, ResumeKey, Session, Submission  # noqa: F401 (re-exported)

MIGRATIONS = Path(__file__).parent / "migrations"
DIALECTS = ("sqlite", "postgresql")


def _for_dialect(file: Path, dialect: str) -> bool:
    """Whether a migration applies to this database: ``010_x.sql`` to every one,
    ``010_x.sqlite.sql`` or ``010_x.postgresql.sql`` (one number, two files) to its own."""
    suffixes = file.suffixes
    only = suffixes[-2][1:] if len(suffixes) >= 2 and suffixes[-2][1:] in DIALECTS else None
    return only is None or only == dialect

# Upper-case letters and digits without 0/O and 1/I: read over the phone without ambiguity.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Days a resume code or link keeps working after the draft was last saved.
RESUME_DAYS = 30
#: Characters of a resume code: 60 bits, and throttled (:mod:`renderer.throttle`).
CODE_LENGTH = 12
#: Days an anonymous session is kept after its last use (a draft keeps its own RESUME_DAYS).
SESSION_DAYS = 30


def now() -> str:
    """The current UTC time as sortable ISO 8601 text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def random_code(length: int = CODE_LENGTH) -> str:
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


class Store(FileStore):
    """Drafts, submissions, files, sessions and journey versions in one SQL database."""

    def __init__(
        self,
        url: str,
        *,
        files_dir: str | Path | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        objects: ObjectStore | None = None,
        pool_size: int = DB_POOL_SIZE,
    ) -> None:
        """``files_dir``: the folder of uploaded files (default: beside a SQLite file,
        ``NAME-files``; in the database for PostgreSQL and in-memory SQLite, so that several
        hosts see the same files without a shared folder). ``objects``: S3-compatible
        object storage for the bytes of new files instead (renderer/objects.py).
        ``pool_size``: the most PostgreSQL connections this store opens at once."""
        self.url = url
        self.backend = backend_for(url, busy_timeout_ms)
        #: The store's connections: a bounded pool on PostgreSQL, one per thread on SQLite.
        self.connections = Connections(self.backend, pool_size)
        #: What PostgreSQL shows of this store's connections (pg_stat_activity).
        self.application_name = self.connections.application_name
        if files_dir is None and isinstance(self.backend, SQLite) and not self.backend.memory:
            files_dir = Path(self.backend.path).with_name(Path(self.backend.path).stem + "-files")
        self.files_dir = Path(files_dir) if files_dir is not None else None
        self.objects = objects
        self.migrate()

    # -- connections -------------------------------------------------------------------------

    def connection(self) -> AbstractContextManager[Any]:
        """This thread's connection for the block: every store call inside it (a
        transaction's above all) uses it; StoreBusy when none is free in time."""
        return self.connections.lease()

    def close(self) -> None:
        """Close the connections: this thread's on SQLite (other threads' close when they
        end), every one on PostgreSQL (the store is not used afterwards)."""
        self.connections.close()

    @contextmanager
    def transaction(self, exclusive: bool = False) -> Iterator[Any]:
        """A transaction on this thread's connection, committed on success, rolled back on
        error; the store's calls inside it use that connection."""
        with self.connection() as conn:
            with busy_as_503():
                if exclusive:
                    self.backend.begin_exclusive(conn)
                else:
                    conn.execute("BEGIN")
            try:
                yield conn
                with busy_as_503():
                    conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _execute(self, conn: Any, query: str, params: Sequence[Any] = ()) -> Any:
        with busy_as_503():
            return conn.execute(self.backend.sql(query), tuple(params))

    def _write(self, query: str, params: Sequence[Any] = ()) -> Any:
        """One statement in autocommit: atomic on its own, and two round trips cheaper than
        BEGIN … COMMIT (which matters on PostgreSQL)."""
        with self.connection() as conn:
            return self._execute(conn, query, params)

    def _one(self, query: str, params: Sequence[Any] = ()) -> Any:
        with self.connection() as conn:
            return self._execute(conn, query, params).fetchone()

    def _all(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.connection() as conn:
            return list(self._execute(conn, query, params).fetchall())

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
            # Every number not recorded yet, in order (branches merged in another order than
            # they were numbered still get all their migrations).
            done = {r[0] for r in self._execute(conn, "SELECT version FROM schema_version")}
            current = max(done, default=0)
            for file in files:
                number = int(file.name[:3])
                if number in done or not _for_dialect(file, self.backend.dialect):
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
                current = max(current, number)
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

    def was_served(self, journey_id: str) -> bool:
        """Whether a journey of this id was ever served here (a version of it is kept)."""
        return self._one("SELECT 1 FROM journey_versions WHERE journey_id = ? LIMIT 1",
                         (journey_id,)) is not None

    # -- sessions ----------------------------------------------------------------------------

    def create_session(
        self, lang: str, *, session_id: str | None = None, csrf: str | None = None
    ) -> Session:
        """A new session (by default with a fresh id and CSRF token). Creating one that
        exists already (two first POSTs at once) keeps the existing row."""
        session = Session(session_id or Session.new_id(), csrf or secrets.token_urlsafe(32),
                          lang, {})
        stamp = now()
        self._write(
            "INSERT INTO sessions (id, csrf, lang, data, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (session.id, session.csrf, lang, "{}", stamp, stamp),
        )
        return session

    def get_session(self, session_id: str) -> Session | None:
        """The session of that id, or None."""
        row = self._one("SELECT id, csrf, lang, data FROM sessions WHERE id = ?", (session_id,))
        return Session(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def save_session(self, session: Session) -> None:
        """Write a session's language and data back."""
        self._write(
            "UPDATE sessions SET lang = ?, data = ?, updated_at = ? WHERE id = ?",
            (session.lang, json.dumps(session.data), now(), session.id),
        )

    # -- drafts ------------------------------------------------------------------------------

    _DRAFT_COLUMNS = (
        "id, journey_id, journey_hash, answers, state, current_step, version, submitted, "
        "created_at, updated_at, owner"
    )

    def _draft(self, row: Any) -> Draft | None:
        return Draft(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]), row[5],
                     int(row[6]), bool(row[7]), row[8], row[9], row[10]) if row else None

    def create_draft(
        self, journey_id: str, journey_hash: str, current_step: str | None,
        owner: str | None = None,
    ) -> Draft:
        """A new empty draft on that journey version, held by the session ``owner``, without
        a resume key (made when the citizen asks to save: :meth:`issue_resume_key`)."""
        stamp = now()
        draft = Draft(secrets.token_urlsafe(18), journey_id, journey_hash, {}, {}, current_step,
                      1, False, stamp, stamp, owner)
        # resume_code and resume_token are migration 1's columns, unused (NOT NULL UNIQUE):
        # they hold the draft's own id, prefixed so that no resume lookup could match it.
        self._write(
            "INSERT INTO drafts (id, journey_id, journey_hash, answers, state, current_step, "
            "resume_code, resume_token, version, submitted, created_at, updated_at, owner) "
            "VALUES (?, ?, ?, '{}', '{}', ?, ?, ?, 1, 0, ?, ?, ?)",
            (draft.id, journey_id, journey_hash, current_step, "~" + draft.id, "~" + draft.id,
             stamp, stamp, owner),
        )
        return draft

    def get_draft(self, draft_id: str) -> Draft | None:
        """The draft of that id, or None."""
        return self._draft(
            self._one(f"SELECT {self._DRAFT_COLUMNS} FROM drafts WHERE id = ?", (draft_id,))
        )

    def issue_resume_key(self, draft: Draft) -> ResumeKey:
        """A fresh code and link token for a draft, replacing any earlier one (the citizen
        asked to save: the key they were shown last is the only one that works)."""
        for _attempt in range(8):
            key = ResumeKey(draft.id, random_code(), secrets.token_urlsafe(32))
            try:
                with self.transaction() as conn:
                    self._execute(conn, "DELETE FROM resume_keys WHERE draft_id = ?", (draft.id,))
                    self._execute(
                        conn,
                        "INSERT INTO resume_keys (draft_id, journey_id, code, token, created_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (draft.id, draft.journey_id, key.code, key.token, now()),
                    )
                return key
            except Exception as exc:  # a code collision: draw another one
                if not is_unique_violation(exc):
                    raise
        raise StoreError("could not draw a unique resume code")

    def resume_key(self, draft_id: str) -> ResumeKey | None:
        """The draft's current resume key, or None (never saved, used, or submitted)."""
        row = self._one("SELECT draft_id, code, token FROM resume_keys WHERE draft_id = ?",
                        (draft_id,))
        return ResumeKey(row[0], row[1], row[2]) if row else None

    def find_draft(
        self, journey_id: str, *, code: str | None = None, token: str | None = None,
        max_age_days: int = RESUME_DAYS,
    ) -> Draft | None:
        """The draft not yet submitted of a journey by resume code (as typed) or link token.

        A draft untouched for more than ``max_age_days`` is not found: the resume page
        promises that codes and links work for that long, and no longer. A submitted draft
        is never found: its answers are the dossier's, reachable only by its follow-up.
        """
        oldest = (datetime.now(UTC) - timedelta(days=max_age_days)).isoformat(
            timespec="milliseconds")
        if code is not None:
            column, value = "code", normalise_code(code)
        elif token is not None:
            column, value = "token", token
        else:
            return None
        columns = ", ".join(f"d.{c.strip()}" for c in self._DRAFT_COLUMNS.split(","))
        return self._draft(self._one(
            f"SELECT {columns} FROM resume_keys k JOIN drafts d ON d.id = k.draft_id "
            f"WHERE k.journey_id = ? AND k.{column} = ? AND d.updated_at >= ? "
            "AND d.submitted = 0",
            (journey_id, value, oldest),
        ))

    def take_draft(self, draft: Draft, owner: str) -> bool:
        """Give a found draft to the session ``owner`` and consume its resume key.

        False when another request used the key first. The session that held the draft
        loses it (it sees that the draft was resumed elsewhere), and the key works once:
        whoever knew it before (a planted link, a code read over a shoulder) can no longer
        take the draft back with the answers typed since.
        """
        with self.transaction() as conn:
            used = self._execute(conn, "DELETE FROM resume_keys WHERE draft_id = ?", (draft.id,))
            if used.rowcount != 1:
                return False
            self._execute(conn, "UPDATE drafts SET owner = ? WHERE id = ?", (owner, draft.id))
        draft.owner = owner
        return True

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
            reference = random_code(8)  # read over the phone: short; not a secret
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
                    # After submission no resume code or link leads to the answers.
                    self._execute(
                        conn, "DELETE FROM resume_keys WHERE draft_id = ?", (draft.id,)
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

    def ping(self) -> None:
        """One round trip to the database (readiness); StoreBusy when it does not answer."""
        self._one("SELECT 1")

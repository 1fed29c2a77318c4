"""What differs between the two databases of :class:`renderer.store.Store`: connecting,
placeholders, blobs and locking, for SQLite (stdlib ``sqlite3``) and PostgreSQL (psycopg 3).
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from designer.report.counts import sqlite_path


class StoreError(Exception):
    """A storage problem that the caller can report plainly (bad URL, unreachable database)."""


class StoreBusy(StoreError):
    """The database did not answer in time (a lock held too long, a server unreachable): the
    request is answered 503 and nothing was written."""


#: Longest wait for a lock of the database before the request is answered 503 (milliseconds).
BUSY_TIMEOUT_MS = 5000


class Backend:
    """What differs between SQLite and PostgreSQL: connecting, placeholders, blobs, locking."""

    dialect = ""

    def connect(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def sql(self, query: str) -> str:
        return query

    def begin_exclusive(self, conn: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def blob(self, value: Any) -> bytes:
        return bytes(value)


class SQLite(Backend):
    dialect = "sqlite"

    def __init__(self, path: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.memory = path == ":memory:"
        if self.memory:
            # One shared in-memory database per store, whatever the thread.
            self.path = f"file:parcours-{secrets.token_hex(8)}?mode=memory&cache=shared"
            self._keep = self.connect()

    def connect(self) -> sqlite3.Connection:
        uri = self.path.startswith("file:")
        conn = sqlite3.connect(self.path, uri=uri, timeout=self.busy_timeout_ms / 1000,
                               isolation_level=None, check_same_thread=False)
        # Every wait for a lock is bounded: past it the request gets a 503, not a frozen page.
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not self.memory:
            # WAL lets readers go on while one writer writes; NORMAL sync is durable enough in WAL.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def begin_exclusive(self, conn: Any) -> None:
        conn.execute("BEGIN IMMEDIATE")


class Postgres(Backend):
    dialect = "postgresql"

    def __init__(self, url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms

    def connect(self) -> Any:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                "PostgreSQL needs the psycopg package: pip install 'parcours[postgres]'"
            ) from exc
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreBusy(f"cannot connect to PostgreSQL: {exc}") from exc
        # A row lock held by another transaction is waited for this long, then 503.
        conn.execute(f"SET lock_timeout = {int(self.busy_timeout_ms)}")
        return conn

    def sql(self, query: str) -> str:
        # Queries are written with qmark placeholders; psycopg wants %s (and literal % doubled).
        return query.replace("%", "%%").replace("?", "%s")

    def begin_exclusive(self, conn: Any) -> None:
        conn.execute("BEGIN")
        # Two processes starting at once must not both run the migrations.
        conn.execute("SELECT pg_advisory_xact_lock(7242001)")


def backend_for(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Backend:
    """The backend of a database URL: ``sqlite:///FILE`` or ``postgresql://…``."""
    if url.startswith("sqlite://"):
        path = sqlite_path(url)  # sqlite:///rel.db -> rel.db ; sqlite:////abs.db -> /abs.db
        if not path:
            raise StoreError(f"no database file in {url!r} (try sqlite:///parcours.db)")
        return SQLite(path, busy_timeout_ms)
    if url.startswith(("postgresql://", "postgres://")):
        return Postgres(url, busy_timeout_ms)
    raise StoreError(
        f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://HOST/DB"
    )


def statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals); a
    ``CREATE TRIGGER … BEGIN … END`` is one statement, semicolons of its body included."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    out: list[str] = []
    pending = ""
    for part in "\n".join(lines).split(";"):
        pending = f"{pending};{part}" if pending else part
        text = pending.strip()
        if text.upper().startswith("CREATE TRIGGER") and not text.upper().endswith("END"):
            continue  # inside the trigger's body: the statement goes on
        if text:
            out.append(text)
        pending = ""
    if pending.strip():
        out.append(pending.strip())
    return out


def is_unique_violation(exc: Exception) -> bool:
    """Whether a database error is a broken UNIQUE constraint (SQLite or PostgreSQL)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        import psycopg

        return isinstance(exc, psycopg.errors.UniqueViolation)
    except ImportError:  # psycopg is the optional `postgres` extra: no PostgreSQL error then
        return False


@contextmanager
def busy_as_503() -> Iterator[None]:
    """Turn a database that did not answer in time into :class:`StoreBusy` (a 503 page)."""
    try:
        yield
    except Exception as exc:
        if is_busy(exc):
            raise StoreBusy(f"the database is busy: {exc}") from exc
        raise


def is_busy(exc: Exception) -> bool:
    """A lock not obtained in time, or a database server gone: worth a 503, not a 500."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        return "locked" in text or "busy" in text
    try:
        import psycopg
    except ImportError:  # pragma: no cover - without psycopg there is no PostgreSQL error
        return False
    return isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled
                      | psycopg.OperationalError)

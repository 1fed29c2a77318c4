"""What differs between the two databases of :class:`renderer.store.Store`: connecting,
placeholders, blobs and locking, for SQLite (stdlib ``sqlite3``) and PostgreSQL (psycopg 3).
"""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any


class StoreError(Exception):
    """A storage problem that the caller can report plainly (bad URL, unreachable database)."""


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

    def __init__(self, path: str) -> None:
        self.path = path
        self.memory = path == ":memory:"
        if self.memory:
            # One shared in-memory database per store, whatever the thread.
            self.path = f"file:parcours-{secrets.token_hex(8)}?mode=memory&cache=shared"
            self._keep = self.connect()

    def connect(self) -> sqlite3.Connection:
        uri = self.path.startswith("file:")
        conn = sqlite3.connect(self.path, uri=uri, timeout=30, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 30000")
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

    def __init__(self, url: str) -> None:
        self.url = url

    def connect(self) -> Any:
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(
                "PostgreSQL needs the psycopg package: pip install 'parcours[postgres]'"
            ) from exc
        try:
            return psycopg.connect(self.url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL: {exc}") from exc

    def sql(self, query: str) -> str:
        # Queries are written with qmark placeholders; psycopg wants %s (and literal % doubled).
        return query.replace("%", "%%").replace("?", "%s")

    def begin_exclusive(self, conn: Any) -> None:
        conn.execute("BEGIN")
        # Two processes starting at once must not both run the migrations.
        conn.execute("SELECT pg_advisory_xact_lock(7242001)")


def backend_for(url: str) -> Backend:
    """The backend of a database URL: ``sqlite:///FILE`` or ``postgresql://…``."""
    if url.startswith("sqlite://"):
        path = url[len("sqlite://"):]
        if path.startswith("/"):
            path = path[1:]  # sqlite:///rel.db -> rel.db ; sqlite:////abs.db -> /abs.db
        if not path:
            raise StoreError(f"no database file in {url!r} (try sqlite:///parcours.db)")
        return SQLite(path)
    if url.startswith(("postgresql://", "postgres://")):
        return Postgres(url)
    raise StoreError(
        f"unsupported database URL {url!r}: use sqlite:///FILE or postgresql://HOST/DB"
    )


def statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def is_unique_violation(exc: Exception) -> bool:
    """Whether a database error is a broken UNIQUE constraint (SQLite or PostgreSQL)."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        import psycopg

        return isinstance(exc, psycopg.errors.UniqueViolation)
    except ImportError:  # psycopg is the optional `postgres` extra: no PostgreSQL error then
        return False

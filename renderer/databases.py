"""What differs between the two databases of :class:`renderer.store.Store`: connecting,
placeholders, blobs and locking, for SQLite (stdlib ``sqlite3``) and PostgreSQL (psycopg 3).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
import weakref
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
#: Most PostgreSQL connections one process's store opens at once (its threads share them).
DB_POOL_SIZE = 10
#: A pooled connection idle longer than this is checked before it is lent (seconds).
CHECK_IDLE_SECONDS = 1.0


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

    def pool(self, size: int, name: str) -> Any:
        """A bounded pool of connections, or None when each thread keeps its own."""
        return None

    def lease(self, pool: Any) -> Any:  # pragma: no cover - only for backends with a pool
        raise NotImplementedError

    def returned(self, conn: Any) -> None:
        """A connection goes back to the pool (when it was last used is known then)."""


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
        #: When each pooled connection was last given back (monotonic seconds).
        self._returned: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

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
        self._configure(conn)
        return conn

    def pool(self, size: int, name: str) -> Any:
        """At most ``size`` connections, each shown as ``name`` in pg_stat_activity."""
        # A server that cannot be reached is said at once and plainly, not as a pool that
        # times out later.
        self.connect().close()
        from psycopg_pool import ConnectionPool

        # Opened when first needed and closed after 10 idle minutes: a quiet process holds
        # none of the server's connections.
        return ConnectionPool(
            self.url, min_size=0, max_size=size, name=name, open=True,
            timeout=self.busy_timeout_ms / 1000, configure=self._configure,
            check=self._check,
            kwargs={"autocommit": True, "connect_timeout": 10, "application_name": name},
        )

    def _check(self, conn: Any) -> None:
        """Before a connection idle for CHECK_IDLE_SECONDS is lent: one empty query, and a
        dead one (the server restarted, an operator ended the sessions) is replaced by the
        pool instead of failing a citizen's request. A connection in use moments ago is
        lent as it is: checking each lease would double the cost of a statement."""
        if time.monotonic() - self._returned.get(conn, 0.0) > CHECK_IDLE_SECONDS:
            from psycopg_pool import ConnectionPool

            ConnectionPool.check_connection(conn)

    def returned(self, conn: Any) -> None:
        self._returned[conn] = time.monotonic()

    def _configure(self, conn: Any) -> None:
        # A row lock held by another transaction is waited for this long, then 503.
        conn.execute(f"SET lock_timeout = {int(self.busy_timeout_ms)}")

    def lease(self, pool: Any) -> Any:
        """A connection of the pool; StoreBusy when none is free within the busy timeout."""
        from psycopg_pool import PoolTimeout

        try:
            return pool.getconn()
        except PoolTimeout as exc:
            raise StoreBusy(f"no free database connection (pool of {pool.max_size}): "
                            f"{exc}") from exc

    def sql(self, query: str) -> str:
        # Queries are written with qmark placeholders; psycopg wants %s (and literal % doubled).
        return query.replace("%", "%%").replace("?", "%s")

    def begin_exclusive(self, conn: Any) -> None:
        conn.execute("BEGIN")
        # Two processes starting at once must not both run the migrations.
        conn.execute("SELECT pg_advisory_xact_lock(7242001)")


class Connections:
    """A store's connections: on PostgreSQL a pool of at most ``size``, leased per thread; on
    SQLite one per thread, kept (handles on a file: nothing to bound)."""

    def __init__(self, backend: Backend, size: int = DB_POOL_SIZE) -> None:
        self.backend = backend
        #: What PostgreSQL shows of these connections (pg_stat_activity): the process and
        #: the store, so that an operator counts them.
        self.application_name = f"parcours-{os.getpid()}-{secrets.token_hex(3)}"
        self._local = threading.local()
        self.pool = backend.pool(size, self.application_name)
        if self.pool is not None:
            # Dropped without close(), the pool is closed then, on the thread dropping it
            # (the pool's own clean-up may run on its worker, which cannot join itself).
            weakref.finalize(self, self.pool.close)

    @contextmanager
    def lease(self) -> Iterator[Any]:
        """This thread's connection for the block. From the pool, it goes back at the end of
        the thread's outermost block: every call inside (a transaction's nested reads) uses
        the same connection and sees the transaction's own writes. A pool exhausted past
        the busy timeout raises StoreBusy (a 503 page)."""
        local = self._local
        conn = getattr(local, "conn", None)
        if self.pool is None:
            if conn is None:
                conn = local.conn = self.backend.connect()
            yield conn
            return
        if conn is not None:  # inside an outer lease of this thread: the same connection
            local.depth += 1
            try:
                yield conn
            finally:
                local.depth -= 1
            return
        conn = self.backend.lease(self.pool)
        local.conn, local.depth = conn, 1
        try:
            yield conn
        finally:
            local.conn, local.depth = None, 0
            self.backend.returned(conn)
            self.pool.putconn(conn)

    def close(self) -> None:
        """Close this thread's connection (SQLite), or the whole pool (PostgreSQL)."""
        if self.pool is not None:
            self.pool.close()
            return
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


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

"""PostgreSQL for the tests: the machine's server (127.0.0.1:5432, database ``test``), each
test in a schema of its own, created for it and dropped after, so parallel runs never collide.
"""

from __future__ import annotations

import contextlib
import gc
import secrets
import sys
from collections.abc import Iterator
from urllib.parse import quote

import pytest

PG_BASE = "postgresql://127.0.0.1:5432/test"


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_BASE, connect_timeout=3, autocommit=True) as conn:
            # Migration 010 adds pg_trgm to the database once; created here first, so that
            # parallel test processes never race to create it.
            with contextlib.suppress(psycopg.Error):
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            return True
    except Exception:
        return False


PG_AVAILABLE = _pg_available()


@contextlib.contextmanager
def pg_schema(prefix: str = "parcours_test") -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards (so that
    parallel runs never collide); skips when the server is not reachable."""
    if not PG_AVAILABLE:
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432 (database test)")
    import psycopg

    schema = f"{prefix}_{secrets.token_hex(6)}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE}?options={quote(f'-csearch_path={schema} -csynchronous_commit=off')}"
    finally:
        # The test's apps are gone by now, but their stores' pools (idle connections kept
        # for ten minutes) are closed only when the garbage collector finalises them: made
        # to happen now, so that a whole run never holds more of the server's 100
        # connections than its running tests use.
        gc.collect()
        # Usage counts an app of the test still holds in memory are written before their
        # table goes (else the exit's flush finds no table, and says so in the output).
        usage = sys.modules.get("renderer.usage")
        if usage is not None:
            usage.flush_all()
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')

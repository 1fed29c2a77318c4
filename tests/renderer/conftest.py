"""Shared fixtures of the renderer tests: database URLs for SQLite and PostgreSQL.

PostgreSQL tests use the server of this machine (127.0.0.1:5432, database ``test``) in a schema
of their own, created for the test and dropped after, so that parallel runs never collide.
"""

from __future__ import annotations

import contextlib
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

with warnings.catch_warnings():
    # Starlette's test client warns that httpx will be replaced: import it once, quietly.
    warnings.simplefilter("ignore")
    import starlette.testclient  # noqa: F401

PG_BASE = "postgresql://127.0.0.1:5432/test"


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_BASE, connect_timeout=3):
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
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh database URL, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'parcours.db'}"
    return request.getfixturevalue("pg_url")


JOURNEYS = Path(__file__).resolve().parents[2] / "journeys"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Starlette's test client warns that httpx will be replaced: not our concern here."""
    for item in items:
        if "tests/renderer" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.filterwarnings("ignore:Using `httpx`"))


def served_journeys() -> list[str]:
    """Ids of the example journeys (file stems), for parametrising."""
    return sorted(p.stem for p in JOURNEYS.glob("*.yaml"))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite database URL."""
    return f"sqlite:///{tmp_path / 'parcours.db'}"


@pytest.fixture
def client(sqlite_url: str):
    """A test client on every example journey, on a fresh SQLite database."""
    from starlette.testclient import TestClient

    from renderer.app import create_app

    return TestClient(create_app(JOURNEYS, db_url=sqlite_url))

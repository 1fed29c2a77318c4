"""Shared fixtures of the renderer tests: database URLs for SQLite and PostgreSQL.

PostgreSQL tests use the server of this machine (127.0.0.1:5432, database ``test``) in a schema
of their own, created for the test and dropped after, so that parallel runs never collide.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from designer.organisation import journey_files

with warnings.catch_warnings():
    # Starlette's test client warns that httpx will be replaced: import it once, quietly.
    warnings.simplefilter("ignore")
    import starlette.testclient  # noqa: F401

from pgschema import PG_AVAILABLE, PG_BASE, pg_schema  # noqa: E402,F401  (re-exported)


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
    return sorted(p.stem for p in journey_files([JOURNEYS]))


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

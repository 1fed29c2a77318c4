"""The store's connections are bounded (issue 13): on PostgreSQL a pool of ``pool_size``
shared by the threads, counted by the server itself (pg_stat_activity, by the store's
application name); a pool exhausted past the busy timeout is StoreBusy (a 503 page); a
transaction's nested calls use its connection, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest

from renderer.config import ConfigError, load
from renderer.databases import CHECK_IDLE_SECONDS, StoreBusy
from renderer.store import Store

from .conftest import pg_schema


def versioned(store: Store) -> str:
    """A journey version to hang drafts on."""
    return store.save_journey_version("demo", "x", "demo.yaml")


def connections(url: str, name: str) -> int:
    """How many connections PostgreSQL has open for that application name."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (name,)
        ).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.postgres
def test_thirty_threads_share_a_pool_of_three(pg_url: str) -> None:
    store = Store(pg_url, pool_size=3, busy_timeout_ms=30_000)
    try:
        seen: list[int] = []
        done = threading.Event()

        def count() -> None:
            with psycopg.connect(pg_url, autocommit=True) as conn:
                while not done.is_set():
                    seen.append(int(conn.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                        (store.application_name,)).fetchone()[0]))  # type: ignore[index]
                    time.sleep(0.005)

        digest = versioned(store)
        errors: list[BaseException] = []
        start = threading.Barrier(30)

        def work() -> None:
            try:
                start.wait()
                draft = store.create_draft("demo", digest, "a")
                draft.answers = {"a": 1}
                store.save_draft(draft)
                store._one("SELECT pg_sleep(0.02)")  # holds its connection a moment
                with store.transaction():
                    assert store.get_draft(draft.id) is not None
                store.submit(draft, {"a": 1}, "fr")
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        counter = threading.Thread(target=count)
        counter.start()
        threads = [threading.Thread(target=work) for _ in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done.set()
        counter.join()
        assert errors == []
        assert len(store.submissions("demo")) == 30
        assert seen and max(seen) <= 3
        # The threads did share it: the pool opened more than one connection (sampling
        # pg_stat_activity may miss the moments they overlap on a loaded machine).
        assert store.connections.pool is not None
        assert store.connections.pool.get_stats().get("connections_num", 0) >= 2
        assert connections(pg_url, store.application_name) <= 3
    finally:
        store.close()
    assert connections(pg_url, store.application_name) == 0  # close() closed them all


@pytest.mark.postgres
def test_an_exhausted_pool_is_busy_after_the_timeout(pg_url: str) -> None:
    store = Store(pg_url, pool_size=1, busy_timeout_ms=300)
    try:
        held, release = threading.Event(), threading.Event()

        def hold() -> None:
            with store.transaction():
                held.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        assert held.wait(10)
        t0 = time.monotonic()
        with pytest.raises(StoreBusy, match="no free database connection"):
            store.get_draft("nothing")
        assert time.monotonic() - t0 >= 0.3
        release.set()
        holder.join()
        assert store.get_draft("nothing") is None  # the connection came back
    finally:
        store.close()


def test_a_transaction_reads_its_own_writes(db_url: str) -> None:
    # One connection in the pool: a nested call that leased another would wait, then fail.
    store = Store(db_url, pool_size=1, busy_timeout_ms=2000)
    try:
        outside: list[Any] = []
        digest = versioned(store)
        with store.transaction():
            draft = store.create_draft("demo", digest, "a")
            assert store.get_draft(draft.id) is not None  # its own uncommitted write
            if store.backend.dialect == "sqlite":  # SQLite: another thread reads what was committed
                reader = threading.Thread(target=lambda: outside.append(
                    store.get_draft(draft.id)))
                reader.start()
                reader.join()
                assert outside == [None]
        assert store.get_draft(draft.id) is not None
        with pytest.raises(RuntimeError), store.transaction():
            gone = store.create_draft("demo", digest, "a")
            assert store.get_draft(gone.id) is not None
            raise RuntimeError("rolled back")
        assert store.get_draft(gone.id) is None
    finally:
        store.close()


@pytest.mark.postgres
def test_the_pool_of_another_thread_sees_committed_rows_only() -> None:
    with pg_schema() as url:
        store = Store(url, pool_size=2, busy_timeout_ms=2000)
        try:
            outside: list[Any] = []
            digest = versioned(store)
            with store.transaction():
                draft = store.create_draft("demo", digest, "a")
                reader = threading.Thread(target=lambda: outside.append(
                    store.get_draft(draft.id)))
                reader.start()
                reader.join()
            assert outside == [None] and store.get_draft(draft.id) is not None
        finally:
            store.close()


def test_the_pool_size_is_a_setting() -> None:
    assert load(env={}).db_pool_size == 10
    assert load(env={"PARCOURS_DB_POOL_SIZE": "4"}).db_pool_size == 4
    assert load(env={"PARCOURS_PDF_RENDERS": "3"}).pdf_renders == 3
    for name in ("DB_POOL_SIZE", "PDF_RENDERS"):
        with pytest.raises(ConfigError, match="at least 1"):
            load(env={f"PARCOURS_{name}": "0"})


@pytest.mark.postgres
def test_a_connection_the_server_closed_is_replaced_not_a_503(pg_url: str) -> None:
    """The server restarts, or an operator ends the store's sessions: the pooled connections
    are dead. The next request gets a fresh one instead of an error page."""
    store = Store(pg_url, pool_size=2)
    try:
        digest = versioned(store)
        assert store.journey_version(digest) is not None  # a connection waits in the pool
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s", (store.application_name,)).fetchone()
        assert ended is not None and int(ended[0]) >= 1
        # Idle a moment, as the connections of a quiet night (a connection used moments ago
        # is lent unchecked: checking each lease would double a statement's cost).
        time.sleep(CHECK_IDLE_SECONDS + 0.1)
        for _ in range(3):
            assert store.journey_version(digest) == ("x", "demo.yaml")
    finally:
        store.close()

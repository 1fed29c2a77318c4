"""The data layer, the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from renderer.store import ALPHABET, ConflictError, Store, StoreError, normalise_code, random_code


@pytest.fixture
def store(db_url: str):
    s = Store(db_url)
    yield s
    s.close()


def test_migrations_recorded_and_idempotent(db_url: str) -> None:
    first = Store(db_url)
    version = first.schema_version()
    assert version >= 1
    again = Store(db_url)  # a second process starting on the same database
    assert again.migrate() == version
    assert again.schema_version() == version


def test_secret_shared_between_stores(db_url: str) -> None:
    assert Store(db_url).secret() == Store(db_url).secret()


def test_draft_round_trip_and_resume(store: Store) -> None:
    digest = store.save_journey_version("demo", "parcours: 1\n", "demo.yaml")
    draft = store.create_draft("demo", digest, "foyer")
    draft.answers = {"age": 42, "nom": "<b>Zoé</b>"}
    draft.state = {"forms": {"foyer": {"age": "42"}}}
    store.save_draft(draft)
    again = store.get_draft(draft.id)
    assert again is not None
    assert again.answers == {"age": 42, "nom": "<b>Zoé</b>"}
    assert again.version == 2
    assert store.resume_key(draft.id) is None  # no code until the citizen asks to save
    key = store.issue_resume_key(draft)
    typed = key.code.lower().replace("-", " ")
    assert store.find_draft("demo", code=typed).id == draft.id
    assert store.find_draft("demo", token=key.token).id == draft.id
    assert store.find_draft("other", code=key.code) is None
    # Issued again: only the newest key works.
    newer = store.issue_resume_key(draft)
    assert store.find_draft("demo", code=key.code) is None
    # Taken once: the key is consumed and the draft changes hands.
    assert store.take_draft(store.find_draft("demo", code=newer.code), "session-b")
    assert store.get_draft(draft.id).owner == "session-b"
    assert store.find_draft("demo", code=newer.code) is None
    assert not store.take_draft(draft, "session-c")
    assert store.journey_version(digest) == ("parcours: 1\n", "demo.yaml")


def test_resume_expires(store: Store) -> None:
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    key = store.issue_resume_key(draft)
    assert store.find_draft("demo", code=key.code) is not None
    store._write("UPDATE drafts SET updated_at = ? WHERE id = ?",
                 ("2020-01-01T00:00:00.000+00:00", draft.id))
    assert store.find_draft("demo", code=key.code) is None
    assert store.find_draft("demo", token=key.token) is None


def test_optimistic_concurrency(store: Store) -> None:
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    tab1, tab2 = store.get_draft(draft.id), store.get_draft(draft.id)
    tab1.answers = {"a": 1}
    store.save_draft(tab1)
    tab2.answers = {"a": 2}
    with pytest.raises(ConflictError):
        store.save_draft(tab2)
    assert store.get_draft(draft.id).answers == {"a": 1}


def test_submission_is_idempotent(store: Store) -> None:
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    ref1, created1 = store.submit(draft, {"a": 1}, "fr")
    ref2, created2 = store.submit(store.get_draft(draft.id), {"a": 2}, "fr")
    assert (created1, created2) == (True, False)
    assert ref1 == ref2
    assert len(store.submissions("demo")) == 1
    assert store.submission(ref1.lower()).answers == {"a": 1}
    assert store.get_draft(draft.id).submitted


def test_concurrent_submissions_yield_one_dossier(db_url: str) -> None:
    store = Store(db_url)
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    references: list[str] = []

    def send() -> None:
        own = Store(db_url)  # its own connection, as another process would have
        references.append(own.submit(own.get_draft(draft.id), {"a": 1}, "fr")[0])
        own.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(references)) == 1
    assert len(store.submissions("demo")) == 1


def test_files_keep_bytes(store: Store) -> None:
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    data = b"%PDF-1.4\x00\xff binary"
    saved = store.save_file(draft.id, "pai", "<script>.pdf", "application/pdf", data)
    got = store.get_file(saved.id)
    assert got.data == data and got.size == len(data) and got.name == "<script>.pdf"


def test_sessions(store: Store) -> None:
    session = store.create_session("fr")
    session.lang = "en"
    session.data["drafts"] = {"demo": "abc"}
    store.save_session(session)
    again = store.get_session(session.id)
    assert again.lang == "en" and again.data == {"drafts": {"demo": "abc"}}
    assert again.csrf == session.csrf
    assert store.get_session("nope") is None


def test_codes_use_unambiguous_alphabet() -> None:
    for _ in range(200):
        code = random_code(8)
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
        assert not set(code) & set("01OI")
    assert normalise_code(" abcd efgh ") == "ABCD-EFGH"


def test_bad_urls_are_clear() -> None:
    with pytest.raises(StoreError, match="unsupported database URL"):
        Store("mysql://x")
    with pytest.raises(StoreError, match="cannot connect"):
        Store("postgresql://127.0.0.1:1/none?connect_timeout=2")


def test_throttle_counts_locks_and_forgets(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from renderer.throttle import Limit, Throttle

    throttle = Throttle(store, {"client": Limit(3, 60, 600), "journey": Limit(100, 60, 60)})
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(2):
        throttle.failed("1.2.3.4", "demo", at=t0 + timedelta(seconds=i))
    assert not throttle.locked("1.2.3.4", "demo", at=t0 + timedelta(seconds=2))
    # A new window starts the count again.
    throttle.failed("1.2.3.4", "demo", at=t0 + timedelta(seconds=90))
    assert not throttle.locked("1.2.3.4", "demo", at=t0 + timedelta(seconds=91))
    for i in range(2):
        throttle.failed("1.2.3.4", "demo", at=t0 + timedelta(seconds=92 + i))
    assert throttle.locked("1.2.3.4", "demo", at=t0 + timedelta(seconds=95))
    assert not throttle.locked("5.6.7.8", "demo", at=t0 + timedelta(seconds=95))
    assert not throttle.locked("1.2.3.4", "other", at=t0 + timedelta(seconds=95))
    # The lockout ends.
    assert not throttle.locked("1.2.3.4", "demo", at=t0 + timedelta(seconds=93 + 601))
    # Concurrent failures from many threads are all counted (one atomic upsert each).
    threads = [threading.Thread(target=throttle.record,
                                args=("client:race:demo", Limit(1000, 60, 60)))
               for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert store._one("SELECT failures FROM throttle WHERE key = ?",
                      ("client:race:demo",))[0] == 20


@pytest.mark.parametrize("where", ["database", "redis"])
def test_one_throttle_for_logins_and_follow_up_tokens(store: Store, where: str) -> None:
    """The back office's guesses (logins by e-mail and address, follow-up tokens) are counted
    by the same throttle as resume codes, in the database or in Redis."""
    import secrets

    from renderer.throttle import LIMITS, RedisThrottle, Throttle

    throttle: Throttle = Throttle(store)
    if where == "redis":
        redis = pytest.importorskip("redis")
        try:
            throttle = RedisThrottle("redis://127.0.0.1:6379/15")
            throttle.redis.ping()
        except redis.RedisError:
            pytest.skip("Redis is not reachable on 127.0.0.1:6379")
        assert isinstance(throttle, RedisThrottle)
        throttle.prefix = f"parcours-test-{secrets.token_hex(6)}:"
    email = f"{secrets.token_hex(4)}@tours.example"
    for _ in range(LIMITS["login"].failures - 1):
        throttle.fail("login", email, "")  # an empty value counts nothing
    assert not throttle.blocked("login", email) and not throttle.blocked("login", "")
    throttle.clear("login", email)  # a success forgets the e-mail's failures
    for _ in range(LIMITS["login"].failures - 1):
        throttle.fail("login", email)
    assert not throttle.blocked("login", email)
    throttle.fail("login", email)
    assert throttle.blocked("login", email)
    assert not throttle.blocked("login-address", email)  # kinds are counted apart
    assert not throttle.blocked("follow", "10.0.0.1")
    for _ in range(LIMITS["follow"].failures):
        throttle.fail("follow", "10.0.0.1")
    assert throttle.blocked("follow", "10.0.0.2", "10.0.0.1")
    held = store._one("SELECT COUNT(*) FROM throttle")[0]
    assert held == (2 if where == "database" else 0)


def test_purge_keeps_what_is_alive_and_what_was_sent(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    from renderer.purge import purge

    digest = store.save_journey_version("demo", "x", "demo.yaml")
    old = store.create_draft("demo", digest, "a")
    store.issue_resume_key(old)
    store.save_file(old.id, "pai", "a.pdf", "application/pdf", b"%PDF-1.4 old")
    sent = store.create_draft("demo", digest, "a")
    store.submit(sent, {"outcome": "ok", "answers": {}}, "fr")
    store.create_session("fr")
    later = datetime.now(UTC) + timedelta(days=31)
    fresh = store.create_draft("demo", digest, "a")
    store._write("UPDATE drafts SET updated_at = ? WHERE id = ?",
                 (later.isoformat(timespec="milliseconds"), fresh.id))
    done = purge(store, at=later)
    assert (done.drafts, done.files, done.sessions) == (1, 1, 1)
    assert store.get_draft(old.id) is None and store.resume_key(old.id) is None
    assert store.get_draft(sent.id) is not None and store.get_draft(fresh.id) is not None
    assert len(store.submissions("demo")) == 1
    assert purge(store, at=later).drafts == 0


def test_migration_scripts_split_with_trigger_bodies_whole() -> None:
    from renderer.databases import statements

    script = """-- a comment; with a semicolon
CREATE TABLE t (a TEXT);
CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN
    INSERT INTO u VALUES (new.a);
    INSERT INTO v VALUES (new.a);
END;
CREATE INDEX t_a ON t (a)"""
    assert statements(script) == [
        "CREATE TABLE t (a TEXT)",
        "CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN\n    INSERT INTO u VALUES (new.a);\n"
        "    INSERT INTO v VALUES (new.a);\nEND",
        "CREATE INDEX t_a ON t (a)",
    ]


def test_a_migration_for_one_dialect_is_applied_to_it_alone() -> None:
    from renderer.store import _for_dialect

    assert _for_dialect(Path("010_search.sqlite.sql"), "sqlite")
    assert not _for_dialect(Path("010_search.sqlite.sql"), "postgresql")
    assert _for_dialect(Path("010_search.postgresql.sql"), "postgresql")
    assert _for_dialect(Path("009_list.sql"), "postgresql")
    assert _for_dialect(Path("009_list.v2.sql"), "sqlite")  # a dot in the name is no dialect


def test_a_journeys_versions_are_found_by_an_index(store: Store) -> None:
    # The 410 page of a journey no longer served, and the reports by version, look up one
    # journey's versions (migration 014): by an index, not by reading the whole table.
    for i in range(3):
        store.save_journey_version(f"j{i}", f"parcours: 1\nid: j{i}\n", f"j{i}.yaml")
    assert store.was_served("j1") and not store.was_served("absente")
    if store.backend.dialect == "sqlite":
        plan = store._all("EXPLAIN QUERY PLAN SELECT 1 FROM journey_versions "
                          "WHERE journey_id = ? LIMIT 1", ("j1",))
        assert any("journey_versions_journey" in str(row[-1]) for row in plan), plan
    else:
        rows = store._all("SELECT indexdef FROM pg_indexes WHERE indexname = "
                          "'journey_versions_journey'")
        assert rows and "(journey_id, created_at)" in rows[0][0]

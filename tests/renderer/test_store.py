"""The data layer, the same tests on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

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
    typed = draft.resume_code.lower().replace("-", " ")
    assert store.find_draft("demo", code=typed).id == draft.id
    assert store.find_draft("demo", token=draft.resume_token).id == draft.id
    assert store.find_draft("other", code=draft.resume_code) is None
    assert store.journey_version(digest) == ("parcours: 1\n", "demo.yaml")


def test_resume_expires(store: Store) -> None:
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    assert store.find_draft("demo", code=draft.resume_code) is not None
    store._write("UPDATE drafts SET updated_at = ? WHERE id = ?",
                 ("2020-01-01T00:00:00.000+00:00", draft.id))
    assert store.find_draft("demo", code=draft.resume_code) is None
    assert store.find_draft("demo", token=draft.resume_token) is None


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

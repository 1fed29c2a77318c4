"""Every hole of issue 13, replayed as the attack was made, now getting nothing.

Each test drives the citizens' pages over HTTP as the attacker did (Starlette's test client on
a fresh SQLite database; the store tests run the same on PostgreSQL) and checks what the
attacker obtains: nothing, and nothing changed for the victim.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from renderer import filestore, throttle
from renderer import store as store_module
from renderer.app import create_app
from renderer.config import Settings
from renderer.store import ALPHABET, Store

from .test_app import DEMO, Citizen

PUBLIC = "https://demarches.example.fr"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'p.db'}"


@pytest.fixture
def app(db: str):
    return create_app([DEMO], db_url=db)


def person(app, address: str = "testclient") -> Citizen:
    """A citizen (or attacker) on their own browser, from their own address."""
    return Citizen(TestClient(app, client=(address, 50000)))


def saved_key(c: Citizen) -> tuple[str, str]:
    """Save the draft in progress; return its (code, link path)."""
    r = c.post("/demo/save", {}, token=c.csrf("/demo/resume"))
    assert r.status_code == 303 and r.headers["location"] == "/demo/saved"
    page = c.client.get("/demo/saved").text
    code = re.search(r'data-resume-code="([^"]+)"', page).group(1)
    link = re.search(r'href="([^"]+)" data-resume-link', page).group(1)
    return code, link.split("testserver", 1)[-1]


def submit(c: Citizen) -> str:
    """Answer the demo journey to its end and send it; return the reference."""
    c.details()
    r = c.post("/demo/check", {})
    assert r.status_code == 303 and r.headers["location"] == "/demo/confirmation"
    page = c.client.get("/demo/confirmation").text
    return re.search(r'data-reference="([^"]+)"', page).group(1)


def rows(app, table: str) -> int:
    return int(app.state.parcours.store._one(f"SELECT COUNT(*) FROM {table}")[0])


# -- 1. draft planting through a resume link --------------------------------------------------


def test_planted_link_changes_nothing_on_get_and_never_reads_the_dossier(app) -> None:
    attacker = person(app, "203.0.113.66")
    attacker.start()
    _code, link = saved_key(attacker)
    victim = person(app, "198.51.100.7")
    victim.start()
    victim.identity()  # a draft in progress
    before = victim.client.get("/demo/q/details", follow_redirects=False)
    assert before.status_code == 200
    # The victim opens the link (a GET, which any site can trigger): nothing changes.
    r = victim.client.get(link, follow_redirects=False)
    assert r.status_code == 200 and "data-resume-confirm" in r.text
    assert victim.client.get("/demo/q/details", follow_redirects=False).status_code == 200
    # Even a POST from the link's page does not drop the draft in progress without asking.
    r = victim.post(link, {})
    assert r.status_code == 200 and "data-resume-keep" in r.text
    assert 'name="replace" value="1"' in r.text
    assert victim.client.get("/demo/q/details", follow_redirects=False).status_code == 200
    # Say the victim confirms (the attacker's page may have been convincing), then sends.
    r = victim.post(link, {"replace": "1"})
    assert r.status_code == 303
    victim.identity()
    reference = submit(victim)
    # The attacker reads nothing: not the pages, not the confirmation, not the receipt ...
    for url in ("/demo/receipt", "/demo/confirmation", "/demo/check", "/demo/q/details"):
        got = attacker.client.get(url, follow_redirects=False)
        assert got.status_code == 303, url
        assert reference not in got.text and "Martin" not in got.text
    # ... and the key they kept is spent.
    assert attacker.post(link, {}).status_code == 422
    assert "Martin" not in attacker.client.get("/demo/", follow_redirects=False).text


def test_a_session_that_did_not_send_a_dossier_never_reads_it(app, db: str) -> None:
    owner = person(app)
    owner.start()
    owner.identity()
    code, _link = saved_key(owner)
    other = person(app, "198.51.100.8")
    assert other.post("/demo/resume", {"code": code}).status_code == 303
    reference = submit(other)
    # The first session, which only held the draft before, reads nothing of the dossier.
    for url in ("/demo/receipt", "/demo/confirmation"):
        got = owner.client.get(url, follow_redirects=False)
        assert got.status_code == 303 and reference not in got.text
    assert reference in other.client.get("/demo/receipt").text


# -- 2. resume codes guessed -------------------------------------------------------------------


def test_codes_made_only_on_save_strong_and_single_use(app) -> None:
    c = person(app)
    c.start()
    c.identity()
    assert rows(app, "resume_keys") == 0
    code, link = saved_key(c)
    raw = code.replace("-", "")
    assert len(raw) == 12 and set(raw) <= set(ALPHABET)  # 60 bits
    assert len(link.rsplit("/", 1)[1]) >= 43  # 32 random bytes
    thief = person(app, "198.51.100.9")
    assert thief.post("/demo/resume", {"code": code}).status_code == 303
    # Resumed elsewhere: the first session is detached (it reads and writes nothing more).
    r = c.client.get("/demo/q/details", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/demo/"
    r = c.details()
    assert r.status_code == 303 and r.headers["location"] == "/demo/"
    # ... and told why.
    assert "data-resumed-elsewhere" in c.client.get("/demo/").text
    assert "data-resumed-elsewhere" not in thief.client.get("/demo/").text
    # And the code works once.
    assert person(app, "198.51.100.10").post("/demo/resume", {"code": code}).status_code == 422


def test_guessing_is_throttled_per_client_and_locked_out(app) -> None:
    owner = person(app)
    owner.start()
    owner.identity()
    code, _ = saved_key(owner)
    guesser = person(app, "203.0.113.5")
    limit = throttle.LIMITS["client"].failures
    token = guesser.csrf("/demo/resume")
    for i in range(limit):
        r = guesser.post("/demo/resume", {"code": f"AAAA-BBBB-{i:04d}"}, token=token)
        assert r.status_code == 422
    # Locked out: even the right code now gets nothing from this client.
    r = guesser.post("/demo/resume", {"code": code}, token=token)
    assert r.status_code == 429 and "Trop de codes" in r.text
    assert rows(app, "resume_keys") == 1
    # Another client is not locked out by this one.
    assert person(app, "198.51.100.11").post("/demo/resume", {"code": code}).status_code == 303


def test_throttle_is_shared_by_processes_and_per_journey(db: str, monkeypatch) -> None:
    monkeypatch.setitem(throttle.LIMITS, "journey", throttle.Limit(6, 3600, 900))
    first, second = create_app([DEMO], db_url=db), create_app([DEMO], db_url=db)
    owner = person(first)
    owner.start()
    code, _ = saved_key(owner)
    # A botnet: three addresses, two tries each, on two processes sharing the database.
    for n, address in enumerate(["203.0.113.1", "203.0.113.2", "203.0.113.3"]):
        bot = person(first if n % 2 else second, address)
        token = bot.csrf("/demo/resume")
        for i in range(2):
            r = bot.post("/demo/resume", {"code": f"ZZZZ-ZZZZ-{n}{i:03d}"}, token=token)
            assert r.status_code == 422
    # The journey's limit is met: nobody resumes by code for a while, on either process.
    for app in (first, second):
        r = person(app, "198.51.100.12").post("/demo/resume", {"code": code})
        assert r.status_code == 429


# -- 3. codes and links that outlive the submission --------------------------------------------


def test_codes_and_links_die_with_the_submission(app) -> None:
    c = person(app)
    c.start()
    c.identity()
    code, link = saved_key(c)
    reference = submit(c)
    later = person(app, "198.51.100.13")
    assert later.post("/demo/resume", {"code": code}).status_code == 422
    r = later.post(link, {})
    assert r.status_code == 422 and reference not in r.text
    got = later.client.get("/demo/receipt", follow_redirects=False)
    assert got.status_code == 303 and reference not in got.text
    assert rows(app, "resume_keys") == 0


# -- 4. unbounded growth ----------------------------------------------------------------------


def test_reading_pages_creates_no_rows(app) -> None:
    for _ in range(200):
        anonymous = TestClient(app)
        assert anonymous.get("/demo/").status_code == 200
        assert anonymous.get("/demo/resume").status_code == 200
    assert rows(app, "sessions") == 0 and rows(app, "drafts") == 0
    # The first POST makes the session (and its draft), with the CSRF token it was shown.
    c = person(app)
    c.start()
    assert rows(app, "sessions") == 1 and rows(app, "drafts") == 1
    # A forged or replayed token still makes nothing.
    r = TestClient(app).post("/demo/start", data={"csrf_token": "forged"},
                             follow_redirects=False)
    assert r.status_code == 403 and rows(app, "sessions") == 1


def _details_with_photo(c: Citizen, data: bytes) -> int:
    r = c.client.post("/demo/q/details", data={
        "csrf_token": c.csrf("/demo/q/details"), "_js": "1", "pieces": "3",
        "departement": "Ain", "besoins": "aide", "adresse-street": "1 rue A",
        "adresse-postcode": "75001", "adresse-commune": "Paris", "personnes-count": "1",
        "personnes-0-prenom": "A", "personnes-0-handicap": "no",
    }, files={"justificatif": ("p.pdf", data, "application/pdf")}, follow_redirects=False)
    return r.status_code


def test_replaced_uploads_are_deleted_and_a_draft_has_a_quota(app, monkeypatch) -> None:
    from .citizen import PDF

    c = person(app)
    c.start()
    c.identity()
    store = app.state.parcours.store
    for i in range(10):
        assert _details_with_photo(c, PDF + bytes([i]) * 900_000) == 303
    assert rows(app, "files") == 1 and store.files_bytes() == len(PDF) + 900_000
    folder = store.files_dir
    assert folder is not None and len([p for p in folder.rglob("*") if p.is_file()]) == 1
    monkeypatch.setattr(filestore, "DRAFT_QUOTA", 1_000_000)
    # The quota counts every file the draft holds when the upload arrives.
    r_status = _details_with_photo(c, PDF + b"x" * 200_000)
    assert r_status == 422
    assert rows(app, "files") == 1


# -- 5. Host header trusted ---------------------------------------------------------------------


def test_links_use_the_public_url_and_other_hosts_are_refused(db: str) -> None:
    app = create_app([DEMO], settings=Settings(database_url=db, public_url=PUBLIC,
                                               purge=False))
    evil = Citizen(TestClient(app, base_url="http://evil.example"))
    r = evil.client.get("/demo/")
    assert r.status_code == 400 and "Requête incorrecte" in r.text
    assert "evil.example" not in r.text
    # The load balancer's checks call a host by its address: they answer.
    assert evil.client.get("/-/ready").status_code == 200
    good = Citizen(TestClient(app, base_url=PUBLIC))
    good.start()
    good.identity()
    _code, _link = saved_key(good)
    page = good.client.get("/demo/saved").text
    assert f'href="{PUBLIC}/demo/resume/' in page
    # A forged Host on the same connection does not get into the link either.
    r = good.client.get("/demo/saved", headers={"host": "evil.example"})
    assert r.status_code == 400


# -- 6. smaller ---------------------------------------------------------------------------------


def test_400_page_says_bad_request(app) -> None:
    c = person(app)
    c.start()
    r = c.client.post("/demo/q/identite", content=b"--x\r\nbroken",
                      headers={"content-type": "multipart/form-data"},
                      follow_redirects=False)
    assert r.status_code == 400
    assert "Requête incorrecte" in r.text and "Page introuvable" not in r.text


def test_nul_byte_is_not_echoed(app) -> None:
    c = person(app)
    c.start()
    r = c.post("/demo/q/identite", {"_js": "1", "nom": "Mar\x00tin\x07", "majeur": ""})
    assert r.status_code == 422
    assert "\x00" not in r.text and "\x07" not in r.text and 'value="Martin"' in r.text


def test_store_refuses_a_file_whose_bytes_changed(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    digest = store.save_journey_version("demo", "x", "demo.yaml")
    draft = store.create_draft("demo", digest, "a")
    saved = store.save_file(draft.id, "pai", "a.pdf", "application/pdf", b"%PDF-1.4 one")
    assert store.get_file(saved.id).data == b"%PDF-1.4 one"
    assert store.files_dir is not None
    (path,) = [p for p in store.files_dir.rglob("*") if p.is_file()]
    path.write_bytes(b"%PDF-1.4 two")
    with pytest.raises(store_module.StoreError, match="checksum"):
        store.get_file(saved.id)


# -- the throttle in Redis, where it is configured ------------------------------------------------


@pytest.fixture
def redis_url() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return url


def test_redis_throttle_is_shared_by_processes(db: str, redis_url: str, monkeypatch) -> None:
    import secrets

    monkeypatch.setitem(throttle.LIMITS, "client", throttle.Limit(3, 600, 600))
    first = create_app([DEMO], settings=Settings(database_url=db, redis_url=redis_url,
                                                 purge=False))
    second = create_app([DEMO], settings=Settings(database_url=db, redis_url=redis_url,
                                                  purge=False))
    limiter = first.state.parcours.throttle
    assert isinstance(limiter, throttle.RedisThrottle)
    # Keys of this test only (parallel runs share the server).
    prefix = f"parcours-test-{secrets.token_hex(6)}:"
    limiter.prefix = second.state.parcours.throttle.prefix = prefix
    owner = person(first)
    owner.start()
    code, _ = saved_key(owner)
    address = f"203.0.113.{secrets.randbelow(200) + 20}"
    try:
        for n in range(3):  # alternately on both processes
            bot = person(first if n % 2 else second, address)
            r = bot.post("/demo/resume", {"code": f"QQQQ-QQQQ-{n:04d}"})
            assert r.status_code == 422
        for app in (first, second):
            assert person(app, address).post("/demo/resume", {"code": code}).status_code == 429
        # Nothing was written to the database's table: Redis holds the counts.
        assert rows(first, "throttle") == 0
        assert person(second, "198.51.100.14").post("/demo/resume",
                                                    {"code": code}).status_code == 303
    finally:
        for key in limiter.redis.scan_iter(prefix + "*"):
            limiter.redis.delete(key)

"""Running as a service: settings, `parcours serve` (port, workers), health, readiness,
metrics, JSON logs, the purge, backups and a database that does not answer in time.

Servers are real: `parcours serve` processes on the loopback, driven with httpx.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.config import ConfigError, Settings, load
from renderer.maintenance import backup
from renderer.observe import JsonFormatter, RequestLog
from renderer.purge import purge
from renderer.store import Store, StoreError

from .citizen import PDF, parse
from .test_app import DEMO, Citizen

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- settings ----------------------------------------------------------------------------------


def test_settings_file_then_environment_then_options(tmp_path: Path) -> None:
    file = tmp_path / "parcours.toml"
    file.write_text('database_url = "sqlite:///f.db"\nworkers = 2\n'
                    'trusted_hosts = ["a.example.fr", "*.example.org"]\n'
                    'public_url = "https://a.example.fr"\n', encoding="utf-8")
    settings = load(file, env={"PARCOURS_WORKERS": "4", "PARCOURS_SECRET_KEYS": "k" * 32})
    assert settings.database_url == "sqlite:///f.db" and settings.workers == 4
    assert settings.hosts() == ["a.example.fr", "*.example.org"]
    assert settings.secret_keys == ["k" * 32]
    assert load(file, env={}, overrides={"workers": 8, "port": None}).workers == 8
    assert load(env={"PARCOURS_PUBLIC_URL": "https://b.fr"}).hosts() == ["b.fr"]
    # Round trip through the environment of the worker processes.
    assert load(env=settings.environment()) == settings
    for bad, message in [({"PARCOURS_WORKERS": "many"}, "not a whole number"),
                         ({"PARCOURS_PUBLIC_URL": "demarches.fr"}, "https://HOST"),
                         ({"PARCOURS_SECRET_KEYS": "short"}, "32 characters"),
                         ({"PARCOURS_JSON_LOGS": "perhaps"}, "true or false")]:
        with pytest.raises(ConfigError, match=message):
            load(env=bad)
    providers = load(env={"PARCOURS_API_PARTICULIER_URL": "https://staging.particulier.fr",
                          "PARCOURS_API_PARTICULIER_TOKEN": "t0k", "PARCOURS_PROVIDERS_RECIPIENT":
                          "13002526500013"})
    api = providers.api("particulier")
    assert api is not None and api.token == "t0k" and api.recipient == "13002526500013"
    assert providers.api("entreprise") is None
    with pytest.raises(ConfigError, match="go together"):
        load(env={"PARCOURS_API_ENTREPRISE_URL": "https://entreprise.api.gouv.fr"})
    (tmp_path / "bad.toml").write_text("colour = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load(tmp_path / "bad.toml", env={})


def test_secret_key_rotation_keeps_sessions(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    old, new = "o" * 32, "n" * 32
    before = create_app([DEMO], settings=Settings(database_url=db, secret_keys=[old],
                                                  purge=False))
    c = Citizen(TestClient(before))
    c.start()
    after = create_app([DEMO], settings=Settings(database_url=db, secret_keys=[old, new],
                                                 purge=False))
    # (A test client's app is fixed when it is made: a new client with the same cookie.)
    later = TestClient(after, cookies=dict(c.client.cookies))
    assert later.get("/demo/q/identite", follow_redirects=False).status_code == 200
    dropped = create_app([DEMO], settings=Settings(database_url=db, secret_keys=[new],
                                                   purge=False))
    latest = TestClient(dropped, cookies=dict(c.client.cookies))
    assert latest.get("/demo/q/identite", follow_redirects=False).status_code == 303


# -- health, readiness, metrics, logs ---------------------------------------------------------


def test_health_ready_metrics_and_request_ids(tmp_path: Path) -> None:
    app = create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    client = TestClient(app, client=("127.0.0.1", 5000))
    assert client.get("/-/health").text == "ok\n"
    assert client.get("/-/ready").status_code == 200
    c = Citizen(client)
    c.start()
    c.identity()
    c.details()
    assert c.post("/demo/check", {}).status_code == 303
    r = client.get("/-/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert 'parcours_submissions_total{journey="demo"}' in text
    assert 'parcours_requests_total{method="POST",route="/{journey}/check",status="303"}' in text
    assert "parcours_request_seconds_bucket" in text
    # Every response carries its request id; a sane one from the proxy is kept.
    assert len(client.get("/demo/").headers["x-request-id"]) == 32
    r = client.get("/demo/", headers={"x-request-id": "lb-1234"})
    assert r.headers["x-request-id"] == "lb-1234"
    r = client.get("/demo/", headers={"x-request-id": "bad id\nwith newline"})
    assert r.headers["x-request-id"] != "bad id\nwith newline"


def test_metrics_only_for_allowed_networks(tmp_path: Path) -> None:
    app = create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    r = TestClient(app, client=("203.0.113.9", 5000)).get("/-/metrics")
    assert r.status_code == 404


def test_ready_says_503_when_the_database_is_gone(tmp_path: Path) -> None:
    app = create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    store = app.state.parcours.store

    def gone() -> None:
        raise StoreError("connection refused")

    store.ping = gone
    assert TestClient(app).get("/-/ready").status_code == 503


def test_json_log_lines_carry_the_request_id(tmp_path: Path) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("parcours")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        app = create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}")
        TestClient(app).get("/demo/", headers={"x-request-id": "abc-42"})
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request = [x for x in lines if x["message"] == "request"][-1]
    assert request["request_id"] == "abc-42" and request["status"] == 200
    assert request["route"] == "/{journey}/" and request["method"] == "GET"
    assert isinstance(request["ms"], float) and request["level"] == "info"
    assert RequestLog  # the middleware that wrote it


# -- the purge ---------------------------------------------------------------------------------


def test_purge_bounds_the_database_under_abandoned_drafts(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app([DEMO], db_url=db)
    store: Store = app.state.parcours.store
    payload = PDF + b"0" * 200_000

    def abandon(n: int) -> None:
        for _ in range(n):
            c = Citizen(TestClient(app))
            c.start()
            c.identity()
            r = c.client.post("/demo/q/details", data={
                "csrf_token": c.csrf("/demo/q/details"), "_js": "1", "pieces": "2",
                "departement": "Ain", "besoins": "aide", "adresse-street": "1 rue A",
                "adresse-postcode": "75001", "adresse-commune": "Paris",
                "personnes-count": "1", "personnes-0-prenom": "A",
                "personnes-0-handicap": "no"},
                files={"justificatif": ("a.pdf", payload, "application/pdf")},
                follow_redirects=False)
            assert r.status_code == 303

    sent = Citizen(TestClient(app))
    sent.start()
    sent.identity()
    sent.details()
    assert sent.post("/demo/check", {}).status_code == 303
    sizes = []
    for _round in range(3):
        abandon(15)
        assert store.files_bytes() >= 15 * len(payload)
        # 31 days later: every abandoned draft, its files and its session are gone.
        done = purge(store, at=datetime.now(UTC) + timedelta(days=31))
        assert done.drafts == 15 and done.files == 15
        store._write("PRAGMA wal_checkpoint(TRUNCATE)")
        sizes.append(store.files_bytes())
        assert store.files_bytes() == 0
        assert int(store._one("SELECT COUNT(*) FROM drafts")[0]) == 1  # the sent one
        assert int(store._one("SELECT COUNT(*) FROM sessions")[0]) == 0
        assert not [p for p in store.files_dir.rglob("*") if p.is_file()]
    # The dossier sent is kept (its retention belongs to the back office).
    assert len(store.submissions("demo")) == 1
    # The database file stops growing: freed pages are reused by the next round.
    size = Path(tmp_path / "p.db").stat().st_size
    abandon(15)
    purge(store, at=datetime.now(UTC) + timedelta(days=31))
    store._write("PRAGMA wal_checkpoint(TRUNCATE)")
    assert Path(tmp_path / "p.db").stat().st_size <= size * 1.1


def test_purge_job_runs_on_the_in_process_runner(tmp_path: Path) -> None:
    from renderer.jobs import InProcessRunner
    from renderer.purge import purge_job

    store = Store(f"sqlite:///{tmp_path / 'p.db'}")
    runner = InProcessRunner()
    done: list[object] = []
    job = purge_job(store)
    runner.add("purge", lambda: done.append(job()), every=3600, first_after=0.2)
    runner.start()
    try:
        assert runner.pending() == 1
        for _ in range(50):
            if done:
                break
            time.sleep(0.1)
        assert done and done[0].__class__.__name__ == "Purged"
    finally:
        runner.stop()



def test_the_served_journeys_retention_goes_to_the_purge(tmp_path: Path) -> None:
    from designer.model import retention_days

    voirie = ROOT / "journeys" / "signalement-voirie.yaml"
    app = create_app([DEMO, voirie], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    # The demo declares none: its dossiers are kept; the other's go after its retention.
    assert app.state.parcours.retention() == {"signalement-voirie": retention_days("2 years")}


# -- backup and restore ------------------------------------------------------------------------


def test_backup_while_serving_and_restore(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'live.db'}"
    app = create_app([DEMO], db_url=db)
    c = Citizen(TestClient(app))
    c.start()
    c.identity()
    r = c.client.post("/demo/q/details", data={
        "csrf_token": c.csrf("/demo/q/details"), "_js": "1", "pieces": "2",
        "departement": "Ain", "besoins": "aide", "adresse-street": "1 rue A",
        "adresse-postcode": "75001", "adresse-commune": "Paris", "personnes-count": "1",
        "personnes-0-prenom": "A", "personnes-0-handicap": "no"},
        files={"justificatif": ("a.pdf", PDF, "application/pdf")}, follow_redirects=False)
    assert r.status_code == 303
    assert c.post("/demo/check", {}).status_code == 303
    reference = parse(c.client.get("/demo/confirmation").text).reference
    # A writer holds the database meanwhile: the online backup still copies it.
    from designer.cli import main

    out = tmp_path / "copy.db"
    assert main(["backup", str(out), "--db", db]) == 0
    assert main(["backup", str(out), "--db", db]) == 2  # never overwrites
    # Restore: the copy (and its files folder) put in place of a lost database.
    (tmp_path / "live.db").unlink()
    restored = tmp_path / "restored.db"
    out.rename(restored)
    (tmp_path / "copy-files").rename(tmp_path / "restored-files")
    store = Store(f"sqlite:///{restored}")
    (dossier,) = store.submissions("demo")
    assert dossier.reference == reference
    file_id = dossier.answers["answers"]["justificatif"]["file"]
    assert store.get_file(file_id).data == PDF
    with pytest.raises(StoreError, match="pg_dump"):
        backup("sqlite:///:memory:", tmp_path / "x.db")


# -- a database that does not answer in time ---------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`parcours serve` on the loopback, with a short busy timeout."""
    port = _free_port()
    db = tmp_path / "p.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARCOURS_BUSY_TIMEOUT_MS": "700",
           "PARCOURS_PURGE": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "designer.cli", "serve", str(DEMO), "--port", str(port),
         "--db", f"sqlite:///{db}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, proc)
        yield url, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait(url: str, proc: subprocess.Popen) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode() if proc.stderr else "")
        try:
            if httpx.get(url + "/-/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not start")


def test_a_held_lock_stops_neither_static_files_nor_other_pages(served) -> None:
    url, db = served
    client = httpx.Client(base_url=url, timeout=30)
    start = client.get("/demo/")
    client.post("/demo/start", data={"csrf_token": parse(start.text).csrf})
    page = client.get("/demo/q/identite")
    token = parse(page.text).csrf
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another writer holds the database
    results: dict[str, object] = {}

    def blocked_post() -> None:
        t0 = time.perf_counter()
        results["post"] = client.post("/demo/q/identite", data={
            "csrf_token": token, "_js": "1", "nom": "Martin", "majeur": "yes",
            "naissance-day": "12", "naissance-month": "5", "naissance-year": "1985"})
        results["post_s"] = time.perf_counter() - t0

    try:
        writer = threading.Thread(target=blocked_post)
        writer.start()
        time.sleep(0.1)
        other = httpx.Client(base_url=url, timeout=30)
        timings = []
        for path in ("/static/parcours.css", "/demo/", "/", "/-/health"):
            t0 = time.perf_counter()
            r = other.get(path)
            timings.append(time.perf_counter() - t0)
            assert r.status_code == 200, path
        writer.join()
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    # The others answered while the write waited, and the write got a clear 503.
    assert max(timings) < 0.5, timings
    post = results["post"]
    assert isinstance(post, httpx.Response) and post.status_code == 503
    assert "très demandé" in post.text and post.headers["retry-after"] == "5"
    assert float(results["post_s"]) < 5  # type: ignore[arg-type]
    # Nothing was lost or half written: the same page, sent again, goes through.
    again = client.post("/demo/q/identite", data={
        "csrf_token": token, "_js": "1", "nom": "Martin", "majeur": "yes",
        "naissance-day": "12", "naissance-month": "5", "naissance-year": "1985"},
        follow_redirects=False)
    assert again.status_code == 303


# -- parcours serve: the port, the workers ------------------------------------------------------


def test_a_busy_port_is_refused_before_anything_is_served(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "designer.cli", "serve", str(DEMO), "--port", str(port),
             "--db", f"sqlite:///{tmp_path / 'p.db'}"],
            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
            timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert "cannot listen on 127.0.0.1:" in proc.stderr
    assert "serving" not in proc.stderr and "Parcours on" not in proc.stderr


def test_workers_share_the_port_and_the_metrics(tmp_path: Path) -> None:
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARCOURS_PURGE": "false",
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "designer.cli", "serve", str(DEMO), "--port", str(port),
         "--db", f"sqlite:///{tmp_path / 'p.db'}", "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, proc)
        for _ in range(60):
            with httpx.Client(base_url=url) as fresh:  # a new connection each time
                assert fresh.get("/demo/").status_code == 200
        pids = {p.stem.rsplit("_", 1)[1] for p in metrics_dir.glob("counter_*.db")}
        pids.discard(str(proc.pid))  # the supervisor's own (it serves nothing)
        metrics = httpx.get(url + "/-/metrics").text
        served = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                     if line.startswith("parcours_requests_total{")
                     and 'route="/{journey}/"' in line and 'method="GET"' in line)
        # Both workers answered, and the metrics add up every worker's count.
        assert len(pids) == 2, pids
        assert served == 60
    finally:
        proc.terminate()
        proc.wait(timeout=20)

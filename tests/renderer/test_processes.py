"""Two server processes on one PostgreSQL serve one citizen's draft alternately, without loss.

The web process keeps no state of its own: the session, the draft and the signing secret
live in the database, so a citizen whose requests land on different processes never notices.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from designer.answers import decode
from renderer.store import Store

from .citizen import parse
from .test_app import DEMO

pytestmark = pytest.mark.postgres

APP = """
import sys
from renderer.app import create_app
app = create_app([sys.argv[1]], db_url=sys.argv[2])
import uvicorn
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_servers(pg_url: str, tmp_path: Path) -> Iterator[list[str]]:
    Store(pg_url)  # migrate once before both start (they would also agree, under a lock)
    script = tmp_path / "serve.py"
    script.write_text(APP, encoding="utf-8")
    ports = [_free_port(), _free_port()]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [
        subprocess.Popen([sys.executable, str(script), str(DEMO), pg_url, str(port)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, proc in zip(urls, procs, strict=True):
            for _ in range(300):
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode() if proc.stderr else "")
                try:
                    if httpx.get(url + "/", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise AssertionError(f"{url} did not start")
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


def test_two_processes_share_one_draft(two_servers: list[str], pg_url: str) -> None:
    a, b = two_servers
    cookies = httpx.Cookies()

    def get(base: str, path: str) -> httpx.Response:
        return httpx.get(base + path, cookies=cookies, follow_redirects=False, timeout=10)

    def post(base: str, path: str, data: dict, page: str | None = None) -> httpx.Response:
        token = parse(get(base, page or path).text).csrf
        response = httpx.post(base + path.split("?")[0], data={"csrf_token": token, **data},
                              cookies=cookies, follow_redirects=False, timeout=10)
        cookies.update(response.cookies)
        return response

    start = get(a, "/demo/")
    cookies.update(start.cookies)
    assert post(b, "/demo/start", {}, page="/demo/").headers["location"] == "/demo/q/identite"
    r = post(a, "/demo/q/identite", {"_part": "0", "nom": "Martin", "majeur": "yes"})
    assert r.headers["location"] == "/demo/q/identite?part=1"
    r = post(b, "/demo/q/identite?part=1", {"_part": "1", "naissance-day": "2",
                                             "naissance-month": "3", "naissance-year": "1980"})
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/details"
    r = post(a, "/demo/q/details", {"_action": "add:personnes", "personnes-count": "0",
                                    "pieces": "4"})
    assert r.status_code == 303
    page = get(b, "/demo/q/details").text
    assert 'value="4"' in page and 'name="personnes-0-prenom"' in page
    r = post(b, "/demo/q/details", {
        "_js": "1", "pieces": "4", "departement": "Ain", "besoins": "conseil",
        "adresse-street": "2 rue B", "adresse-postcode": "69001", "adresse-commune": "Lyon",
        "personnes-count": "1", "personnes-0-prenom": "Zoé", "personnes-0-handicap": "no",
    })
    assert r.headers["location"] == "/demo/check"
    check = get(a, "/demo/check").text
    assert "Martin" in check and "2 mars 1980" in check and "Zoé" in check
    token = parse(check).csrf
    first, second = (
        httpx.post(base + "/demo/check", data={"csrf_token": token}, cookies=cookies,
                   follow_redirects=False, timeout=10)
        for base in (a, b)
    )
    assert first.status_code == second.status_code == 303
    reference = parse(get(b, "/demo/confirmation").text).reference
    assert reference == parse(get(a, "/demo/confirmation").text).reference
    sent = Store(pg_url).submissions("demo")
    assert len(sent) == 1 and sent[0].reference == reference
    answers = decode(sent[0].answers)["answers"]
    assert answers["nom"] == "Martin" and answers["pieces"] == 4
    assert answers["personnes"] == [{"prenom": "Zoé", "handicap": False}]

"""Parcours on several hosts behind a load balancer, sharing PostgreSQL; one host dies.

Two app hosts (network namespaces of this machine, each with its own address), HAProxy in
front, the machine's PostgreSQL shared. Citizens walk through a journey while their
requests alternate between the hosts; halfway through, one host is killed. Every dossier
a citizen saw confirmed must be stored exactly once, and every draft must go on, on the
host that is left.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from pgschema import pg_schema

from renderer.store import Store

from .hosts import Cluster, available, cluster, start_app, wait_ready

DEMO = Path(__file__).resolve().parents[1] / "renderer" / "data" / "demo.yaml"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REFERENCE = re.compile(r'data-reference="([^"]+)"')

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_hosts(tmp_path: Path, pg_url: str) -> Iterator[Cluster]:
    reason = available()
    if reason is not None:
        pytest.skip(reason)
    Store(pg_url)  # the schema, once, before the hosts start
    with cluster(2, tmp_path) as hosts:
        for host in hosts.hosts:
            start_app(host, DEMO, hosts.pg_url_for(host, pg_url), tmp_path)
        wait_ready(hosts)
        yield hosts


@pytest.fixture
def trusting_hosts(tmp_path: Path, pg_url: str) -> Iterator[Cluster]:
    """Two hosts that believe the client address a proxy in front sends (X-Forwarded-For),
    so that the test can play several clients behind the balancer."""
    reason = available()
    if reason is not None:
        pytest.skip(reason)
    Store(pg_url)
    with cluster(2, tmp_path) as hosts:
        for host in hosts.hosts:
            start_app(host, DEMO, hosts.pg_url_for(host, pg_url), tmp_path,
                      {"PARCOURS_TRUSTED_PROXIES": "*", "PARCOURS_PURGE": "false"})
        wait_ready(hosts)
        yield hosts


@pytest.fixture
def pg_url() -> Iterator[str]:
    with pg_schema("parcours_hosts") as url:
        yield url


class Citizen:
    """One citizen's browser: a cookie jar, and patience when the service stumbles."""

    def __init__(self, base: str, name: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=15, follow_redirects=False)
        self.name = name
        self.retries = 0

    def _send(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        for _ in range(50):
            try:
                response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code < 500:
                return response
            # A host died under this request: try again, as a citizen would reload.
            self.retries += 1
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: {method} {url} kept failing")

    def post_page(self, url: str, data: dict[str, str]) -> str:
        """GET the page, POST it with its CSRF token, and return where it leads."""
        page = self._send("GET", url)
        assert page.status_code == 200, (url, page.status_code)
        token = CSRF.search(page.text)
        assert token, url
        response = self._send("POST", url.split("?")[0], data={"csrf_token": token[1], **data})
        assert response.status_code == 303, (url, response.status_code, response.text[:300])
        return response.headers["location"]

    def walk(self) -> str:
        """Start, answer every page, send; the reference the confirmation shows."""
        page = self._send("GET", "/demo/")
        token = CSRF.search(page.text)
        assert token
        start = self._send("POST", "/demo/start", data={"csrf_token": token[1]})
        where = start.headers["location"]
        where = self.post_page(where, {"_part": "0", "nom": self.name, "majeur": "yes"})
        where = self.post_page(where, {"_part": "1", "naissance-day": "2",
                                       "naissance-month": "3", "naissance-year": "1980"})
        where = self.post_page(where, {
            "_js": "1", "pieces": "3", "departement": "Ain", "besoins": "conseil",
            "adresse-street": "2 rue B", "adresse-postcode": "69001", "adresse-commune": "Lyon",
            "personnes-count": "1", "personnes-0-prenom": "Zoé", "personnes-0-handicap": "no",
        })
        assert where.endswith("/demo/check"), where
        where = self.post_page(where, {})
        confirmation = self._send("GET", where)
        found = REFERENCE.search(confirmation.text)
        assert found, confirmation.text[:500]
        return found[1]


def test_a_draft_goes_on_from_one_host_to_the_other(two_hosts: Cluster, pg_url: str) -> None:
    """Started on one host, continued and sent on the other: nothing kept by a host."""
    first, second = two_hosts.hosts
    citizen = Citizen(first.url, "Alternance")
    page = citizen._send("GET", "/demo/")
    start = citizen._send("POST", "/demo/start", data={"csrf_token": CSRF.search(page.text)[1]})
    where = citizen.post_page(start.headers["location"],
                              {"_part": "0", "nom": "Alternance", "majeur": "yes"})
    # The same browser, now answered by the other host (its cookie goes with it, as it would
    # behind the balancer's single address).
    cookies = {c.name: c.value for c in citizen.client.cookies.jar}
    citizen.client = httpx.Client(base_url=second.url, cookies=cookies, timeout=15)
    page = citizen._send("GET", where)
    assert page.status_code == 200 and 'name="naissance-day"' in page.text
    where = citizen.post_page(where, {"_part": "1", "naissance-day": "2",
                                      "naissance-month": "3", "naissance-year": "1980"})
    assert where.endswith("/demo/q/details")


def test_a_host_killed_mid_load_loses_and_duplicates_no_dossier(
    two_hosts: Cluster, pg_url: str
) -> None:
    names = [f"Citoyen{i:03d}" for i in range(40)]
    confirmed: dict[str, str] = {}
    lock = threading.Lock()
    killed = threading.Event()

    retries: list[int] = []

    def walk(name: str) -> None:
        citizen = Citizen(two_hosts.url, name)
        reference = citizen.walk()
        with lock:
            retries.append(citizen.retries)
            confirmed[name] = reference
            if len(confirmed) >= 8 and not killed.is_set():
                killed.set()
                two_hosts.hosts[0].kill()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(walk, names))

    assert killed.is_set()
    print(f"{len(names)} citizens, {sum(retries)} requests retried after the host died")
    assert two_hosts.hosts[0].process is not None and two_hosts.hosts[0].process.poll() is not None
    sent = Store(pg_url).submissions("demo")
    references = Counter(s.reference for s in sent)
    assert all(n == 1 for n in references.values()), references.most_common(3)
    # Every citizen who saw a reference has exactly that dossier stored, once.
    assert set(confirmed.values()) <= set(references)
    assert len(confirmed) == len(names) == len(sent)


def test_saved_drafts_resume_on_the_host_left_and_the_throttle_is_shared(
    trusting_hosts: Cluster,
) -> None:
    """Resume codes saved before a host dies work on the other; failed codes counted by
    one host lock the client out on the other."""
    from renderer.throttle import LIMITS

    first, second = trusting_hosts.hosts

    def citizen(base: str, address: str) -> Citizen:
        c = Citizen(base, address)
        c.client.headers["x-forwarded-for"] = address
        return c

    def resume(c: Citizen, code: str) -> httpx.Response:
        page = c._send("GET", "/demo/resume")
        return c._send("POST", "/demo/resume",
                       data={"csrf_token": CSRF.search(page.text)[1], "code": code})

    codes = []
    for i in range(3):
        owner = citizen(trusting_hosts.url, f"198.51.100.{i + 1}")
        page = owner._send("GET", "/demo/")
        owner._send("POST", "/demo/start", data={"csrf_token": CSRF.search(page.text)[1]})
        owner.post_page("/demo/q/identite", {"_js": "1", "nom": "Reprise", "majeur": "yes",
                                             "naissance-day": "2", "naissance-month": "3",
                                             "naissance-year": "1980"})
        page = owner._send("GET", "/demo/resume")
        saved = owner._send("POST", "/demo/save",
                            data={"csrf_token": CSRF.search(page.text)[1]})
        assert saved.status_code == 303
        shown = owner._send("GET", "/demo/saved").text
        codes.append(re.search(r'data-resume-code="([^"]+)"', shown)[1])  # type: ignore[index]
    # Wrong codes from one client, spread over both hosts: neither saw the limit alone.
    limit = LIMITS["client"].failures
    for i in range(limit):
        host = first if i % 2 else second
        assert resume(citizen(host.url, "203.0.113.9"), f"XXXX-XXXX-{i:04d}").status_code == 422
    for host in (first, second):
        assert resume(citizen(host.url, "203.0.113.9"), codes[0]).status_code == 429
    # One host dies; every saved draft resumes on the one left, through the balancer.
    first.kill()
    for n, code in enumerate(codes):
        other = citizen(trusting_hosts.url, f"192.0.2.{n + 1}")
        r = resume(other, code)
        assert r.status_code == 303 and r.headers["location"] == "/demo/q/details", r.text[:300]
        assert 'name="pieces"' in other._send("GET", "/demo/q/details").text

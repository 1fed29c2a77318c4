# ruff: noqa: F811 - the fixture app is imported from its module
"""PDFs made a few at a time and each document once (renderer/printing.py): the real
WeasyPrint, watched by a wrapper that counts the renders under way; a request that finds
every slot taken past the busy timeout gets the busy page (503); the same acknowledgement
downloaded twice is made once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import designer.paper.pdf
from renderer.i18n import t as text
from renderer.printing import Printer, PrinterBusy

from .citizen import parse
from .test_agents import app, signal  # noqa: F401 - app: the fixture, shared
from .test_letters import follow_token, text_of

ROOT = Path(__file__).resolve().parents[2]
HTML = "<html><body><h1>Accusé de réception {n}</h1></body></html>"


class Watch:
    """Wraps the real html_to_pdf: counts the renders, the most at once, and may hold them."""

    def __init__(self, real: Callable[[str], bytes]) -> None:
        self.real = real
        self.now = self.most = self.calls = 0
        self.lock = threading.Lock()
        self.started = threading.Event()
        self.go = threading.Event()
        self.go.set()

    def __call__(self, html: str) -> bytes:
        with self.lock:
            self.now += 1
            self.calls += 1
            self.most = max(self.most, self.now)
        self.started.set()
        try:
            assert self.go.wait(30)
            time.sleep(0.05)  # long enough for the others to try to start meanwhile
            return self.real(html)
        finally:
            with self.lock:
                self.now -= 1


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Watch:
    w = Watch(designer.paper.pdf.html_to_pdf)
    monkeypatch.setattr(designer.paper.pdf, "html_to_pdf", w)
    return w


def test_no_more_renders_at_once_than_the_limit_and_all_are_made(watch: Watch) -> None:
    printer = Printer(renders=2, wait_ms=60_000)
    made: list[bytes] = []

    def one(n: int) -> None:
        made.append(printer.pdf(HTML.format(n=n)))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 6 and all(pdf.startswith(b"%PDF-") for pdf in made)
    assert watch.calls == printer.made == 6
    assert watch.most == 2  # they did overlap, and never beyond the limit


def test_a_render_that_waits_past_the_timeout_is_busy(watch: Watch) -> None:
    printer = Printer(renders=1, wait_ms=200)
    watch.go.clear()  # the first render holds the only slot
    first = threading.Thread(target=printer.pdf, args=(HTML.format(n=1),))
    first.start()
    assert watch.started.wait(10)
    t0 = time.monotonic()
    with pytest.raises(PrinterBusy):
        printer.pdf(HTML.format(n=2))
    assert time.monotonic() - t0 >= 0.2
    watch.go.set()
    first.join()
    assert printer.pdf(HTML.format(n=2)).startswith(b"%PDF-")  # the slot is free again
    assert watch.calls == 2


def test_the_same_document_is_made_once_and_the_cache_is_bounded(watch: Watch) -> None:
    printer = Printer(kept=2)
    first = printer.pdf(HTML.format(n=1))
    assert printer.pdf(HTML.format(n=1)) is first and printer.made == 1
    printer.pdf(HTML.format(n=2))
    printer.pdf(HTML.format(n=3))  # the first one leaves the cache
    assert printer.pdf(HTML.format(n=1)) == first and printer.made == 4 == watch.calls


def test_the_second_download_of_a_receipt_comes_from_the_cache(app: Any, watch: Watch) -> None:
    citizen = TestClient(app)
    page = signal(citizen, "tag")
    printer = app.state.parcours.printer
    before = printer.made
    r = citizen.get("/signalement-voirie/accuse-reception.pdf")
    assert r.status_code == 200 and printer.made == before + 1
    # The same acknowledgement from the follow-up page: not made again.
    again = citizen.get(f"/-/suivi/{follow_token(page)}/accuse-reception.pdf")
    assert again.status_code == 200 and again.content == r.content
    assert printer.made == before + 1 and watch.calls == 1
    # Another dossier's is another document.
    other = TestClient(app)
    reference = parse(signal(other, "trottoir")).reference
    r = other.get("/signalement-voirie/accuse-reception.pdf")
    assert r.status_code == 200 and printer.made == before + 2
    assert reference in text_of(r.content)


def test_a_download_beyond_the_limit_gets_the_busy_page(app: Any, watch: Watch) -> None:
    parcours = app.state.parcours
    parcours.printer = Printer(renders=1, wait_ms=300)
    first, second = TestClient(app), TestClient(app)
    signal(first, "tag")
    signal(second, "trottoir")
    watch.go.clear()
    answers: list[int] = []
    held = threading.Thread(
        target=lambda: answers.append(
            first.get("/signalement-voirie/accuse-reception.pdf").status_code))
    held.start()
    assert watch.started.wait(10)
    r = second.get("/signalement-voirie/accuse-reception.pdf")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert "%PDF" not in r.text and "Traceback" not in r.text
    assert text("busy_title", "fr") in r.text
    watch.go.set()
    held.join()
    assert answers == [200] and watch.most == 1
    # Once the slot is free, the same download works.
    assert second.get("/signalement-voirie/accuse-reception.pdf").status_code == 200


def test_a_full_printer_answers_its_own_busy_page_then_prints(tmp_path: Path) -> None:
    from renderer.app import create_app

    client = TestClient(create_app(ROOT / "journeys", db_url=f"sqlite:///{tmp_path / 'p.db'}"))
    printer = client.app.state.parcours.printer  # type: ignore[attr-defined]
    printer.wait_ms = 100
    for _ in range(printer.renders):  # every slot taken, as by long renders
        printer._slots.acquire()
    busy = client.get("/signalement-voirie/formulaire.pdf")
    assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
    assert "Beaucoup de documents sont en cours de préparation" in busy.text
    for _ in range(printer.renders):
        printer._slots.release()
    done = client.get("/signalement-voirie/formulaire.pdf")
    assert done.status_code == 200 and done.content.startswith(b"%PDF-")

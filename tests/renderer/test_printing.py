# ruff: noqa: F811 - the fixture app is imported from its module
"""PDFs made a few at a time and each document once (renderer/printing.py): the real
WeasyPrint, watched by a wrapper that counts the renders under way; a request that finds
every slot taken past the busy timeout gets the busy page (503); the same acknowledgement
downloaded twice is made once; a batch of letters is one PDF made in one slot, in the
thread pool, so that other pages answer meanwhile."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

import designer.paper.pdf
from renderer.backoffice.letters import Letters
from renderer.i18n import t as text
from renderer.printing import Printer, PrinterBusy

from .citizen import parse
from .test_agents import (  # noqa: F401 - app and world: the fixtures, shared
    agent_client,
    app,
    signal,
    store_of,
    world,
)
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


def test_a_batch_is_one_pdf_made_in_one_slot(watch: Watch) -> None:
    printer = Printer(renders=1, wait_ms=200)
    data = printer.batch([HTML.format(n=1), HTML.format(n=2), HTML.format(n=3)])
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert [" ".join(p.split()) for p in pages] == [f"Accusé de réception {n}" for n in (1, 2, 3)]
    assert printer.made == 3 and watch.calls == 0  # one batch, not three single documents
    # Its slot is one of the bounded ones: a batch waits for it, then is busy.
    watch.go.clear()
    held = threading.Thread(target=printer.pdf, args=(HTML.format(n=4),))
    held.start()
    assert watch.started.wait(10)
    with pytest.raises(PrinterBusy):
        printer.batch([HTML.format(n=5)])
    watch.go.set()
    held.join()


def test_a_batch_being_printed_blocks_no_other_page(
    app: Any, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's PDF is made in the thread pool: while one is being made, the queue's page
    answers; a single letter waiting past the timeout for the only slot gets the busy page."""
    app.state.parcours.printer = Printer(renders=1, wait_ms=300)
    reference = parse(signal(TestClient(app), "tag", sent={"contact_channel": "post"})).reference
    letter = Letters(store_of(app)).of_dossier(reference)[0]
    real = designer.paper.pdf.htmls_to_pdf
    started, go = threading.Event(), threading.Event()

    def held(pages: list[str]) -> bytes:
        started.set()
        assert go.wait(30)
        return real(pages)

    monkeypatch.setattr(designer.paper.pdf, "htmls_to_pdf", held)
    agent = agent_client(app, "proprete@tours.example")
    answers: list[int] = []
    printing = threading.Thread(
        target=lambda: answers.append(
            agent.get(f"/-/agents/courriers/lot.pdf?courrier={letter.id}").status_code
        )
    )
    printing.start()
    assert started.wait(10)
    other = agent_client(app, "proprete@tours.example")
    assert f'data-letter="{letter.id}"' in other.get("/-/agents/courriers").text
    assert other.get(f"/-/agents/courriers/{letter.id}").status_code == 503
    go.set()
    printing.join()
    assert answers == [200]

"""The easy-to-read (FALC) switch and the paper form link, through HTTP, on SQLite and
PostgreSQL: the choice is kept in the session like the language (a visitor's first POST
included), texts without a FALC version read as usual, and the start page's paper form is
a real PDF made once per journey version."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.app import create_app
from renderer.security import COOKIE

from .conftest import JOURNEYS, pg_schema

CANTINE = "/inscription-cantine"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    """The example journeys served on SQLite, then on a PostgreSQL schema of this test's."""
    if request.param == "sqlite":
        yield create_app(JOURNEYS, db_url=f"sqlite:///{tmp_path / 'parcours.db'}")
        return
    with pg_schema("falc_http") as url:
        yield create_app(JOURNEYS, db_url=url)


def switch(html: str) -> tuple[str, str] | None:
    """The FALC switch of a page: (its address, its words), or None."""
    found = re.search(r'<a href="([^"]*)" class="pc-header__falc" data-falc-switch>([^<]*)</a>',
                      html)
    return (unescape(found.group(1)), found.group(2)) if found else None


def heading(html: str) -> str:
    return unescape(re.search(r"<h1[^>]*>([^<]*)", html).group(1)).strip()  # type: ignore[union-attr]


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def start(client: TestClient, query: str = "") -> Any:
    page = client.get(f"{CANTINE}/{query}")
    action = unescape(re.search(r'<form method="post" action="([^"]*/start[^"]*)"',  # type: ignore[union-attr]
                                page.text).group(1))
    return client.post(action, data={"csrf_token": csrf(page.text)}, follow_redirects=False)


def test_the_switch_reads_the_falc_version_and_comes_back(app: Any) -> None:
    client = TestClient(app)
    ordinary = client.get(f"{CANTINE}/")
    assert heading(ordinary.text) == "Inscription à la cantine scolaire"
    assert switch(ordinary.text) == (f"{CANTINE}/?falc=1", "Version facile à lire")
    easy = client.get(switch(ordinary.text)[0])  # type: ignore[index]
    assert heading(easy.text) == "Inscrire mes enfants à la cantine"
    assert switch(easy.text) == (f"{CANTINE}/?falc=0", "Revenir à la version habituelle")
    # Interface texts have no FALC version: the French ones; the page stays French.
    assert '<html lang="fr">' in easy.text and "Commencer" in easy.text
    # A visitor without a stored session: the start form carries the choice to the first POST.
    assert 'action="/inscription-cantine/start?falc=1"' in easy.text
    assert 'action="/inscription-cantine/start?lang=en"' in client.get(f"{CANTINE}/?lang=en").text
    assert 'action="/inscription-cantine/start"' in ordinary.text
    first = start(client, "?falc=1")
    assert first.status_code == 303
    step = client.get(first.headers["location"])
    assert "Vous habitez à Saint-Fons ?" in step.text
    # Kept in the session: on the next page and on a new request, without ?falc.
    session_id = app.state.parcours.signer.unsign(client.cookies.get(COOKIE))
    assert app.state.parcours.store.get_session(session_id).data["falc"] is True
    again = client.get(f"{CANTINE}/q/commune")
    assert "Vous habitez à Saint-Fons ?" in again.text
    # Back to the usual version, at the same place.
    back_url = switch(again.text)[0]  # type: ignore[index]
    assert back_url == f"{CANTINE}/q/commune?falc=0"
    back = client.get(back_url)
    assert "Habitez-vous à Saint-Fons ?" in back.text
    assert "falc" not in app.state.parcours.store.get_session(session_id).data


def test_the_choice_survives_a_language_switch_and_each_keeps_its_own(app: Any) -> None:
    client = TestClient(app)
    start(client, "?falc=1")
    english = client.get(f"{CANTINE}/q/commune?lang=en")
    # No English FALC text: English, and the switch is still there to leave FALC.
    assert "Do you live in Saint-Fons?" in english.text
    assert switch(english.text) == (f"{CANTINE}/q/commune?falc=0", "Back to the usual version")
    french = client.get(f"{CANTINE}/q/commune?lang=fr")
    assert "Vous habitez à Saint-Fons ?" in french.text


def test_a_journey_without_falc_offers_no_switch_but_lets_a_falc_reader_leave(app: Any) -> None:
    client = TestClient(app)
    plain = client.get("/aide-isolation/")
    assert switch(plain.text) is None
    start(client, "?falc=1")
    other = client.get("/aide-isolation/")
    # Texts read as usual (no FALC version), and the way back is offered.
    assert heading(other.text) == heading(plain.text)
    assert switch(other.text) == ("/aide-isolation/?falc=0", "Revenir à la version habituelle")


def test_the_falc_query_accepts_only_its_two_values(app: Any) -> None:
    client = TestClient(app)
    start(client)
    for value in ("yes", "2", "", "<script>"):
        page = client.get(f"{CANTINE}/q/commune", params={"falc": value})
        assert page.status_code == 200 and "Habitez-vous à Saint-Fons ?" in page.text
    # The switch's address keeps the rest of the query, escaped, and never doubles ?falc.
    page = client.get(f"{CANTINE}/q/commune", params={"falc": "x", "p": '"><b>'})
    assert switch(page.text) == (f"{CANTINE}/q/commune?p=%22%3E%3Cb%3E&falc=1",
                                 "Version facile à lire")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_start_page_links_its_paper_form_made_once_per_version(app: Any) -> None:
    client = TestClient(app)
    start_page = client.get(f"{CANTINE}/")
    link = re.search(r'<a href="([^"]+)" download data-paper-form>([^<]+)</a>', start_page.text)
    assert link and link.group(1) == f"{CANTINE}/formulaire.pdf"
    assert link.group(2) == "Télécharger le formulaire papier (PDF)"
    got = client.get(link.group(1))
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert 'filename="inscription-cantine-formulaire.pdf"' in got.headers["content-disposition"]
    text = pdf_text(got.content)
    assert "Habitez-vous à Saint-Fons ?" in text and "Inscription à la cantine scolaire" in text
    assert re.search(r"passez à la question \d+", text), text[:800]
    shelf = app.state.parcours.paper
    assert len(shelf) == 1
    assert client.get(link.group(1)).content == got.content and len(shelf) == 1
    # The citizen's language and reading make their own forms, kept beside the first.
    english = client.get(f"{link.group(1)}?lang=en")
    assert "Do you live in Saint-Fons?" in pdf_text(english.content) and len(shelf) == 2
    start(client, "?falc=1")
    easy = client.get(link.group(1))
    assert "Vous habitez à Saint-Fons ?" in pdf_text(easy.content) and len(shelf) == 3
    # A download is not a visit: no session is stored for a visitor who only downloads.
    fresh = TestClient(app)
    assert fresh.get(link.group(1)).status_code == 200 and COOKIE not in fresh.cookies
    assert client.get("/nulle-part/formulaire.pdf").status_code == 404


def test_the_shelf_is_bounded() -> None:
    from designer.loading import load_journey
    from renderer.paper import PaperShelf
    from renderer.printing import Printer

    journey = load_journey(JOURNEYS / "inscription-cantine.yaml").journey
    assert journey is not None
    shelf = PaperShelf(Printer(), size=1)
    first = shelf.pdf(journey, "fr")
    assert first is not None and first.startswith(b"%PDF")
    assert shelf.pdf(journey, "fr") is first
    shelf.pdf(journey.easy_to_read(), "fr")
    assert len(shelf) == 1 and shelf.pdf(journey, "fr") is not first


def test_an_error_page_reads_the_falc_labels_and_offers_the_switch(app: Any) -> None:
    client = TestClient(app)
    page = client.get(start(client, "?falc=1").headers["location"])
    sent = client.post(f"{CANTINE}/q/commune", data={
        "csrf_token": csrf(page.text), "habite_commune": "yes"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].endswith("/q/famille")
    empty = client.post(f"{CANTINE}/q/famille", data={"csrf_token": csrf(page.text)})
    assert empty.status_code == 422 and "data-error-summary" in empty.text
    # The messages are made from the FALC labels the citizen read.
    assert "La CAF vous donne de l&#39;argent chaque mois ?" in empty.text
    assert "Recevez-vous des aides de la CAF" not in empty.text
    assert switch(empty.text) == (f"{CANTINE}/q/famille?falc=0",
                                  "Revenir à la version habituelle")



def test_a_server_without_pango_says_so_without_a_traceback(
        app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import designer.paper.pdf

    def no_pango(html: str) -> bytes:
        raise OSError("cannot load library 'libpango-1.0-0'")

    # The failure WeasyPrint raises when the system lacks Pango, injected.
    monkeypatch.setattr(designer.paper.pdf, "html_to_pdf", no_pango)
    got = TestClient(app).get(f"{CANTINE}/formulaire.pdf")
    assert got.status_code == 503 and "text/html" in got.headers["content-type"]
    assert "Formulaire papier indisponible" in got.text and "Traceback" not in got.text
    assert "libpango" not in got.text


def test_a_journey_that_cannot_be_printed_has_no_form() -> None:
    from designer.loading import load_text
    from renderer.paper import PaperShelf
    from renderer.printing import Printer

    looping = load_text(
        "parcours: 1\nid: boucle\ntitle: Boucle\norganisation: Mairie\nstart: a\n"
        "steps:\n  a: {title: A, next: b}\n  b: {title: B, next: a}\n"
        "outcomes:\n  fin: {kind: exit, title: Fin}\n", "boucle.yaml", analyses=[])
    assert looping.journey is not None and any(f.rule == "cycle" for f in looping.findings)
    assert PaperShelf(Printer()).pdf(looping.journey, "fr") is None

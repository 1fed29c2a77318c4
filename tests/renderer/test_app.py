"""The citizen's pages through HTTP on a test journey that uses every control.

Each test reads the page as a citizen (or an attacker) would and checks the contract of
docs/renderer.md: status codes, field names, what is stored, what is refused.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from designer.answers import decode
from renderer.app import create_app
from renderer.i18n import MESSAGES, t
from renderer.store import Store

from .citizen import PDF, parse

DEMO = Path(__file__).parent / "data" / "demo.yaml"


class Citizen:
    """A test client on the demo journey with helpers to post pages."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def csrf(self, url: str) -> str:
        page = self.client.get(url)
        token = parse(page.text).csrf
        assert token, url
        return token

    def start(self) -> str:
        token = self.csrf("/demo/")
        r = self.client.post("/demo/start", data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        return r.headers["location"]

    def post(self, url: str, data: dict, files: dict | None = None, token: str | None = None):
        token = token or self.csrf(url)
        return self.client.post(url.split("?")[0], data={"csrf_token": token, **data},
                                files=files, follow_redirects=False)

    def identity(self, scripted: bool = True) -> None:
        """Answer the first page in one go (as with scripts)."""
        r = self.post("/demo/q/identite", {
            "_js": "1" if scripted else "", "nom": "Martin", "majeur": "yes",
            "naissance-day": "12", "naissance-month": "5", "naissance-year": "1985",
            "email": "",
        })
        assert r.status_code == 303, r.text
        assert r.headers["location"] == "/demo/q/details"

    def details(self, **extra) -> object:
        data = {
            "_js": "1", "pieces": "3", "departement": "Cantal", "besoins": ["aide", "conseil"],
            "adresse-street": "1 rue de la Paix", "adresse-postcode": "75002",
            "adresse-commune": "Paris", "personnes-count": "1", "personnes-0-prenom": "Léa",
            "personnes-0-handicap": "no",
        }
        data.update(extra)
        return self.post("/demo/q/details", data)


@pytest.fixture
def app(tmp_path: Path):
    return create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}")


@pytest.fixture
def citizen(app) -> Citizen:
    return Citizen(TestClient(app))


def draft_of(app) -> dict:
    store: Store = app.state.parcours.store
    row = store._one("SELECT id FROM drafts ORDER BY created_at DESC LIMIT 1")
    return store.get_draft(row[0])


# -- the contract of the pages -----------------------------------------------------------------


def test_front_door_lists_and_searches(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/signalement-voirie/"' in page.text
    found = client.get("/?q=cantine")
    assert 'href="/inscription-cantine/"' in found.text
    assert 'href="/signalement-voirie/"' not in found.text
    accents = client.get("/?q=ECOLE")  # folded: finds "école" in a step or summary
    assert accents.status_code == 200
    nothing = client.get("/?q=zzzzqqq")
    assert "Aucune démarche" in nothing.text


def test_start_page_says_what_to_prepare_and_how_long(citizen: Citizen) -> None:
    page = citizen.client.get("/demo/")
    assert page.status_code == 200
    assert "Justificatif (PDF, 1 Mo au plus)" in page.text
    assert re.search(r"Cela prend environ \d+ minute", page.text)
    assert 'action="/demo/start"' in page.text


def test_controls_follow_the_design_system(citizen: Citizen) -> None:
    citizen.start()
    first = citizen.client.get("/demo/q/identite").text
    assert 'autocomplete="family-name"' in first
    assert 'name="majeur" value="yes"' in first and "<legend" in first
    assert 'autocomplete="bday-day"' in first and 'name="naissance-year"' in first
    # The date depends on `majeur` on the same page: hidden until revealed (or next part).
    assert re.search(r'data-name="naissance" hidden data-when="', first)
    assert 'autocomplete="email"' in first
    citizen.identity()
    details = citizen.client.get("/demo/q/details").text
    assert '<select class="pc-select" id="departement" name="departement"' in details  # > 10
    assert 'type="checkbox"' in details and 'name="besoins"' in details
    assert 'name="adresse-street"' in details and 'autocomplete="postal-code"' in details
    assert 'autocomplete="address-level2"' in details
    assert 'accept=".pdf,application/pdf"' in details and "1 Mo" in details
    assert '<span class="pc-unit" aria-hidden="true">pièces</span>' in details
    assert 'value="add:personnes"' in details
    assert 'enctype="multipart/form-data"' in details


def test_no_script_follow_up_page(citizen: Citizen) -> None:
    citizen.start()
    # Without scripts only the first part is seen: the date comes on a follow-up page.
    r = citizen.post("/demo/q/identite", {"_part": "0", "nom": "Martin", "majeur": "yes"})
    assert r.status_code == 303
    assert r.headers["location"] == "/demo/q/identite?part=1"
    follow = citizen.client.get(r.headers["location"]).text
    assert 'name="naissance-day"' in follow and 'name="nom"' not in follow
    r = citizen.post("/demo/q/identite?part=1", {
        "_part": "1", "naissance-day": "1", "naissance-month": "2", "naissance-year": "1990",
    })
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/details"
    answers = decode(draft_of(citizen.client.app).answers)
    assert answers["nom"] == "Martin"
    assert answers["naissance"] == datetime.date(1990, 2, 1)


def test_follow_up_part_posted_with_scripts_keeps_first_part(citizen: Citizen) -> None:
    citizen.start()
    r = citizen.post("/demo/q/identite", {"_part": "0", "nom": "Martin", "majeur": "yes"})
    assert r.headers["location"] == "/demo/q/identite?part=1"
    # Scripts came back to life on the follow-up part: its post still counts as part 1.
    r = citizen.post("/demo/q/identite?part=1", {
        "_part": "1", "_js": "1", "naissance-day": "1", "naissance-month": "2",
        "naissance-year": "1990",
    })
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/details"
    assert decode(draft_of(citizen.client.app).answers)["nom"] == "Martin"


def test_errors_422_with_summary_inline_and_kept_answers(citizen: Citizen) -> None:
    citizen.start()
    r = citizen.post("/demo/q/identite", {
        "_js": "1", "nom": "<b>Zoé</b>", "majeur": "yes",
        "naissance-day": "31", "naissance-month": "2", "naissance-year": "1990",
        "email": "pas-un-email",
    })
    assert r.status_code == 422
    html = r.text
    assert 'class="pc-error-summary"' in html
    summary = parse(html).errors
    assert len(summary) == 2
    assert 'href="#naissance-day"' in html and 'href="#email"' in html
    assert 'id="email-error"' in html and 'aria-describedby="email-error"' in html
    assert 'value="pas-un-email"' in html
    assert "&lt;b&gt;Zoé&lt;/b&gt;" in html and "<b>Zoé</b>" not in html
    assert "<title>Erreur" in html


def test_hidden_answers_are_ignored(citizen: Citizen) -> None:
    """A crafted POST answering a question that is not shown never reaches the database."""
    citizen.start()
    r = citizen.post("/demo/q/identite", {
        "_js": "1", "nom": "Martin", "majeur": "no",
        "naissance-day": "1", "naissance-month": "1", "naissance-year": "1970",
        "inconnu": "x",
    })
    assert r.status_code == 303 and r.headers["location"] == "/demo/end/mineur"
    stored = json.dumps(draft_of(citizen.client.app).answers)
    assert "1970" not in stored and "naissance" not in stored and "inconnu" not in stored


def test_pages_not_reached_are_refused(citizen: Citizen) -> None:
    citizen.start()
    r = citizen.client.get("/demo/q/details", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/identite"
    r = citizen.post("/demo/q/identite", {})  # token of the right page
    token = citizen.csrf("/demo/q/identite")
    r = citizen.client.post("/demo/q/details", data={"csrf_token": token, "_js": "1",
                                                     "pieces": "3"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/identite"
    assert "pieces" not in json.dumps(draft_of(citizen.client.app).answers)
    assert citizen.client.get("/demo/check", follow_redirects=False).headers["location"] == (
        "/demo/q/identite")


def test_csrf_refused_with_403_and_nothing_changed(citizen: Citizen) -> None:
    citizen.start()
    before = draft_of(citizen.client.app)
    for token in (None, "forged", ""):
        data = {"_js": "1", "nom": "Pirate", "majeur": "no"}
        if token is not None:
            data["csrf_token"] = token
        r = citizen.client.post("/demo/q/identite", data=data, follow_redirects=False)
        assert r.status_code == 403
        assert "session" in r.text
    after = draft_of(citizen.client.app)
    assert after.version == before.version and after.answers == before.answers
    # Another browser (no cookie) posting the token of this one is refused too.
    token = citizen.csrf("/demo/q/identite")
    stranger = TestClient(citizen.client.app)
    r = stranger.post("/demo/q/identite", data={"csrf_token": token, "nom": "x"},
                      follow_redirects=False)
    assert r.status_code == 403
    r = stranger.post("/demo/start", data={}, follow_redirects=False)
    assert r.status_code == 403


def test_full_run_check_change_and_idempotent_submission(citizen: Citizen, app) -> None:
    citizen.start()
    citizen.identity()
    r = citizen.details()
    assert r.status_code == 303 and r.headers["location"] == "/demo/check"
    check = citizen.client.get("/demo/check").text
    assert "Martin" in check and "12 mai 1985" in check and "Une aide, Un conseil" in check
    assert 'href="/demo/q/identite?change=1#nom"' in check
    assert 'href="/demo/q/identite?change=1#majeur-0"' in check
    assert 'href="/demo/q/details?change=1#departement"' in check
    # Change an answer: back to the summary afterwards.
    change = citizen.client.get("/demo/q/identite?change=1").text
    assert 'name="_return" value="check"' in change and 'href="/demo/check"' in change
    r = citizen.post("/demo/q/identite?change=1", {
        "_js": "1", "_return": "check", "nom": "Durand", "majeur": "yes",
        "naissance-day": "12", "naissance-month": "5", "naissance-year": "1985",
    })
    assert r.status_code == 303 and r.headers["location"] == "/demo/check"
    assert "Durand" in citizen.client.get("/demo/check").text
    # Send twice (double click, replay): one dossier, one reference.
    token = citizen.csrf("/demo/check")
    first = citizen.client.post("/demo/check", data={"csrf_token": token},
                                follow_redirects=False)
    second = citizen.client.post("/demo/check", data={"csrf_token": token},
                                 follow_redirects=False)
    assert first.status_code == second.status_code == 303
    confirmation = citizen.client.get("/demo/confirmation").text
    reference = parse(confirmation).reference
    assert reference and re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", reference)
    assert "<strong>8 jours</strong>" in confirmation
    store: Store = app.state.parcours.store
    sent = store.submissions("demo")
    assert len(sent) == 1 and sent[0].reference == reference
    answers = decode(sent[0].answers)["answers"]
    assert answers["nom"] == "Durand" and answers["personnes"] == [
        {"prenom": "Léa", "handicap": False}]
    receipt = citizen.client.get("/demo/receipt").text
    assert f'data-reference="{reference}"' in receipt and "Durand" in receipt
    # After sending, the pages of the draft lead to the confirmation.
    r = citizen.client.get("/demo/q/identite", follow_redirects=False)
    assert r.headers["location"] == "/demo/confirmation"


def test_answers_left_by_a_change_are_not_sent(citizen: Citizen, app) -> None:
    citizen.start()
    citizen.identity()
    citizen.details(**{"personnes-0-handicap": "yes", "personnes-0-carte": "C-12"})
    r = citizen.details(**{"personnes-0-handicap": "no", "personnes-0-carte": "C-12"})
    assert r.status_code == 303
    token = citizen.csrf("/demo/check")
    citizen.client.post("/demo/check", data={"csrf_token": token})
    sent = app.state.parcours.store.submissions("demo")[0]
    assert "C-12" not in json.dumps(sent.answers)


def test_repeat_add_and_remove_without_scripts(citizen: Citizen) -> None:
    citizen.start()
    citizen.identity()
    r = citizen.post("/demo/q/details", {"personnes-count": "0", "_action": "add:personnes",
                                         "pieces": "2"})
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/details"
    page = citizen.client.get("/demo/q/details").text
    assert 'name="personnes-0-prenom"' in page and 'value="2"' in page  # typed answer kept
    r = citizen.post("/demo/q/details", {"personnes-count": "1", "personnes-0-prenom": "A",
                                         "_action": "add:personnes"})
    page = citizen.client.get("/demo/q/details").text
    assert 'name="personnes-1-prenom"' in page
    r = citizen.post("/demo/q/details", {"personnes-count": "2", "personnes-0-prenom": "A",
                                         "personnes-1-prenom": "B",
                                         "_action": "remove:personnes:0"})
    page = citizen.client.get("/demo/q/details").text
    assert 'name="personnes-1-prenom"' not in page and 'value="B"' in page
    # Too few items: an error on the repeat itself.
    r = citizen.post("/demo/q/details", {"_js": "1", "personnes-count": "0", "pieces": "2",
                                         "departement": "Ain", "besoins": "aide",
                                         "adresse-street": "1 rue A", "adresse-postcode": "75001",
                                         "adresse-commune": "Paris"})
    assert r.status_code == 422 and 'href="#personnes-add"' in r.text


def test_hostile_item_indexes_are_ignored_not_a_server_error(citizen: Citizen) -> None:
    # "²" and "٣" pass str.isdigit() but int() refuses "²": once a 500 on "remove".
    citizen.start()
    citizen.identity()
    for data in ({"personnes-count": "1", "_action": "remove:personnes:²"},
                 {"personnes-count": "٣", "personnes-²-prenom": "A", "_action": "save"},
                 {"personnes-count": "99999", "_action": "add:personnes"}):
        r = citizen.post("/demo/q/details", data)
        assert r.status_code == 303, data
    page = citizen.client.get("/demo/q/details").text
    assert 'name="personnes-2-prenom"' in page  # max 3 items: the count was bounded
    assert 'name="personnes-3-prenom"' not in page


def test_uploads_checked_by_size_and_sniffed_kind(citizen: Citizen, app) -> None:
    citizen.start()
    citizen.identity()
    token = citizen.csrf("/demo/q/details")
    base = {"csrf_token": token, "_js": "1", "pieces": "3", "departement": "Ain",
            "besoins": "aide", "adresse-street": "1 rue A", "adresse-postcode": "75001",
            "adresse-commune": "Paris", "personnes-count": "1", "personnes-0-prenom": "A",
            "personnes-0-handicap": "no"}
    # An executable renamed .pdf: refused by its content, its hostile name escaped.
    r = citizen.client.post("/demo/q/details", data=base, files={
        "justificatif": ("<img src=x onerror=alert(1)>.pdf", b"MZ\x90evil", "application/pdf")},
        follow_redirects=False)
    assert r.status_code == 422
    assert "PDF" in r.text and "<img src=x" not in r.text
    big = PDF + b"0" * 1_100_000
    r = citizen.client.post("/demo/q/details", data=base, files={
        "justificatif": ("gros.pdf", big, "application/pdf")}, follow_redirects=False)
    assert r.status_code == 422
    r = citizen.client.post("/demo/q/details", data=base, files={
        "justificatif": ('<b onclick=x>devis.pdf', PDF, "text/html")}, follow_redirects=False)
    assert r.status_code == 303
    check = citizen.client.get("/demo/check").text
    assert "&lt;b onclick=x&gt;devis.pdf" in check and "<b onclick" not in check
    stored = app.state.parcours.store._one("SELECT content_type, size FROM files "
                                           "WHERE name LIKE '%devis%'")
    assert tuple(stored) == ("application/pdf", len(PDF))


def test_resume_by_code_and_by_link(citizen: Citizen, app) -> None:
    citizen.start()
    citizen.identity()
    # No code before the citizen asks to save.
    assert citizen.client.get("/demo/saved", follow_redirects=False).status_code == 303
    r = citizen.post("/demo/q/details", {"_action": "save", "pieces": "7",
                                         "personnes-count": "0"})
    assert r.status_code == 303 and r.headers["location"] == "/demo/saved"
    saved = citizen.client.get("/demo/saved").text
    code = re.search(r'data-resume-code="([^"]+)"', saved).group(1)
    assert len(code.replace("-", "")) == 12
    # Another device: by code (typed in lower case with spaces) ...
    other = Citizen(TestClient(app))
    r = other.post("/demo/resume", {"code": "x" + code})
    assert r.status_code == 422 and "vérifiez" in r.text
    r = other.post("/demo/resume", {"code": code.lower().replace("-", " ")})
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/details"
    assert 'value="7"' in other.client.get("/demo/q/details").text
    # ... or by link, saved again there (a key works once): opening it changes nothing,
    # its button confirms by POST.
    r = other.post("/demo/save", {}, token=other.csrf("/demo/check"))
    assert r.status_code == 303
    link = re.search(r'href="([^"]+)" data-resume-link',
                     other.client.get("/demo/saved").text).group(1)
    third = Citizen(TestClient(app))
    path = link.replace("http://testserver", "")
    r = third.client.get(path, follow_redirects=False)
    assert r.status_code == 200 and "data-resume-confirm" in r.text
    r = third.post(path, {})
    assert r.status_code == 303 and r.headers["location"] == "/demo/q/details"
    assert third.post("/demo/resume/not-a-token", {}).status_code == 422


def test_language_switch(citizen: Citizen) -> None:
    citizen.start()
    fr = citizen.client.get("/demo/q/identite").text
    assert '<html lang="fr">' in fr and "Votre nom" in fr and 'hreflang="en"' in fr
    en = citizen.client.get("/demo/q/identite?lang=en").text
    assert '<html lang="en">' in en and "Your surname" in en and "Continue" in en
    # The choice sticks to the session.
    again = citizen.client.get("/demo/q/identite").text
    assert "Your surname" in again
    r = citizen.post("/demo/q/identite", {"_js": "1", "majeur": ""})
    assert r.status_code == 422 and "There is a problem" in r.text


def test_security_headers_and_cookie(citizen: Citizen) -> None:
    r = citizen.client.get("/demo/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "same-origin"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    assert "drafts" not in value and "." in value  # an opaque id and its signature
    secure = TestClient(citizen.client.app, base_url="https://testserver")
    assert "Secure" in secure.get("/demo/").headers["set-cookie"]
    # No inline script or style anywhere.
    for url in ("/", "/demo/", "/demo/resume"):
        html = citizen.client.get(url).text
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        assert "onclick" not in html


def test_forged_cookie_gets_a_new_session(citizen: Citizen) -> None:
    citizen.start()
    citizen.client.cookies.set("parcours_session", "someone-else.forged")
    r = citizen.client.get("/demo/q/identite", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/demo/"


def test_oversized_body_413(tmp_path: Path) -> None:
    app = create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}", max_body=10_000)
    c = Citizen(TestClient(app))
    c.start()
    r = c.post("/demo/q/identite", {"nom": "x" * 20_000})
    assert r.status_code == 413
    assert "trop volumineuses" in r.text
    assert r.headers["content-security-policy"]


def test_friendly_404_and_500(citizen: Citizen, app, monkeypatch) -> None:
    r = citizen.client.get("/nope/")
    assert r.status_code == 404 and "Page introuvable" in r.text
    assert citizen.client.get("/demo/q/nope", follow_redirects=False).status_code == 303
    r = citizen.client.get("/nope/?lang=en")
    assert "Page not found" in r.text

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("renderer.citizens.front.preparation", boom)
    quiet = TestClient(app, raise_server_exceptions=False)
    r = quiet.get("/demo/")
    assert r.status_code == 500
    assert "problème technique" in r.text and "secret internals" not in r.text
    assert "Traceback" not in r.text


def test_draft_keeps_its_journey_version(tmp_path: Path) -> None:
    """A draft started before the file changes continues on its original version."""
    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(DEMO, folder / "demo.yaml")
    url = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app(folder, db_url=url, reload=True)
    c = Citizen(TestClient(app))
    c.start()
    c.identity()
    # The designer publishes a new version: the label changes and a question appears.
    text = (folder / "demo.yaml").read_text(encoding="utf-8")
    text = text.replace("{fr: Nombre de pièces, en: Number of rooms}",
                        "{fr: Nombre de chambres, en: Number of bedrooms}")
    (folder / "demo.yaml").write_text(text, encoding="utf-8")
    page = c.client.get("/demo/q/details").text
    assert "Nombre de pièces" in page and "Nombre de chambres" not in page
    r = c.details()
    assert r.status_code == 303
    # A new citizen gets the new version.
    newcomer = Citizen(TestClient(app))
    newcomer.start()
    newcomer.identity()
    assert "Nombre de chambres" in newcomer.client.get("/demo/q/details").text
    # Even in another process that never saw the old file (version read from the store).
    app2 = create_app(folder, db_url=url)
    c.client.app = app2
    assert "Nombre de pièces" in c.client.get("/demo/check").text


def test_exit_outcome_page(citizen: Citizen) -> None:
    citizen.start()
    r = citizen.post("/demo/q/identite", {"_js": "1", "nom": "A", "majeur": "no"})
    page = citizen.client.get(r.headers["location"]).text
    assert "Réservé aux majeurs" in page
    assert citizen.client.get("/demo/end/envoi", follow_redirects=False).status_code == 303


def test_progress_is_honest(citizen: Citizen) -> None:
    citizen.start()
    page = citizen.client.get("/demo/q/identite").text
    assert "Étape 1 sur 2" in page


def _visible_text(html: str) -> str:
    without_head = re.sub(r"(?s)<head>.*?</head>", "", html)
    return re.sub(r"<[^>]+>", "", without_head)


def test_punctuation_spacing_follows_the_language(citizen: Citizen) -> None:
    """English pages have no space before ":" "?" "!" ";" (the French " :" leaked into the
    check page, receipt and footer); French ones a no-break space, never a plain one."""
    citizen.start()
    citizen.identity()
    assert citizen.details().headers["location"] == "/demo/check"
    en = citizen.client.get("/demo/check?lang=en").text
    assert "Change<span class=\"pc-visually-hidden\">: " in en
    assert re.search(r"Person 1: ", en) or re.search(r"\w 1: ", en), "repeat label"
    assert not re.search(r"[ \u00a0\u202f][:?!;]", _visible_text(en))
    errors = citizen.post("/demo/q/identite", {"_js": "1", "majeur": ""})
    assert errors.status_code == 422
    assert "<title>Error: " in errors.text
    fr = citizen.client.get("/demo/check?lang=fr").text
    assert "Modifier<span class=\"pc-visually-hidden\">\u00a0: " in fr
    assert "<title>" in fr and "Vous avez un code de reprise\u202f?" in citizen.client.get(
        "/demo/").text
    # The interface's own words (journey texts are the designer's).
    french = [t(key, "fr") for key in MESSAGES]
    assert not [m for m in french if re.search(r" [:?!;]", m)]
    assert not [t(key, "en") for key in MESSAGES if re.search(r"[ \u00a0\u202f][:?!;]",
                                                               t(key, "en"))]


def test_a_date_reads_the_same_in_the_error_message_and_on_the_receipt(tmp_path: Path) -> None:
    # The birth date may not be after today: on the first of March, the message names the
    # first of March, and a birth on the first of March reads the same on the receipt.
    app = create_app([DEMO], db_url=f"sqlite:///{tmp_path / 'p.db'}",
                     today=datetime.date(2026, 3, 1))
    citizen = Citizen(TestClient(app))
    citizen.start()
    answer = {"_js": "1", "nom": "Martin", "majeur": "yes", "naissance-day": "2",
              "naissance-month": "3", "naissance-year": "2026"}
    r = citizen.post("/demo/q/identite", answer)
    assert r.status_code == 422
    assert "Saisissez une date le 1er mars 2026 ou avant" in r.text
    r = citizen.post("/demo/q/identite", {**answer, "naissance-day": "1"})
    assert r.status_code == 303
    assert citizen.details().status_code == 303
    assert "1er mars 2026" in citizen.client.get("/demo/check").text
    citizen.client.post("/demo/check", data={"csrf_token": citizen.csrf("/demo/check")})
    receipt = citizen.client.get("/demo/receipt").text
    assert "<dd class=\"pc-summary__value\">1er mars 2026</dd>" in receipt

"""The publication workflow over HTTP: `parcours serve` serves the published version (not
the draft's edits) when the folder uses the workflow, everything as before when it does
not; the studio's publication page shows the reviewer the diff and the comparison, and
makes each transition by a POST with the CSRF token, refusing to publish with the errors
listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from designer.publication import Status, adopt, published_copy, status, submit, unpublish
from renderer.app import create_app
from renderer.studio.app import create_studio_app

ROOT = Path(__file__).resolve().parents[2]
VOIRIE = ROOT / "journeys" / "signalement-voirie.yaml"
QUESTION = "Quel est le problème ?"
EDITED = "Quel est le souci exact ?"
TOKEN = "publication-test-token"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "journeys"
    root.mkdir()
    shutil.copy(VOIRIE, root / "voirie.yaml")
    shutil.copy(VOIRIE.parent / "organisation.yaml", root / "organisation.yaml")
    return root


@pytest.fixture
def studio(folder: Path) -> TestClient:
    c = TestClient(create_studio_app(folder, TOKEN))
    c.cookies.set("parcours_studio", TOKEN)
    return c


def _edit(journey: Path, old: str, new: str) -> None:
    text = journey.read_text(encoding="utf-8")
    assert old in text
    journey.write_text(text.replace(old, new, 1), encoding="utf-8")


def _step_page(folder: Path, tmp_path: Path) -> str:
    """The page of the step 'probleme' as `parcours serve` shows it to a citizen."""
    tmp_path.mkdir()
    client = TestClient(create_app(folder, db_url=f"sqlite:///{tmp_path / 'serve.db'}"))
    start = client.get("/signalement-voirie/")
    assert start.status_code == 200
    csrf = start.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    page = client.post(
        "/signalement-voirie/start", data={"csrf_token": csrf}, follow_redirects=True
    )
    # The first page asks whether it is an emergency: no, then the problem.
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    shown = page.text.split('name="_shown" value="', 1)[1].split('"', 1)[0]
    step = page.url.path.rsplit("/", 1)[1]
    return client.post(
        f"/signalement-voirie/q/{step}",
        follow_redirects=True,
        data={"csrf_token": csrf, "_shown": shown, "danger": "no"},
    ).text


def test_serve_shows_the_published_version_and_not_the_draft_edits(
    folder: Path, tmp_path: Path
) -> None:
    journey = folder / "voirie.yaml"
    _edit(journey, QUESTION, EDITED)
    # Without the workflow, the file as saved is served.
    assert EDITED in _step_page(folder, tmp_path / "a")
    adopt(folder)
    _edit(journey, EDITED, "Un brouillon jamais publié ?")
    page = _step_page(folder, tmp_path / "b")
    assert EDITED in page and "jamais publié" not in page
    # Submitted, still not served; published, served.
    submit(journey)
    assert "jamais publié" not in _step_page(folder, tmp_path / "c")
    from designer.publication import publish

    publish(journey)
    assert "Un brouillon jamais publié ?" in _step_page(folder, tmp_path / "d")


def test_serve_refuses_a_journey_never_published_in_a_workflow_folder(
    folder: Path, tmp_path: Path
) -> None:
    adopt(folder)
    shutil.copy(VOIRIE, folder / "autre.yaml")
    _edit(folder / "autre.yaml", "id: signalement-voirie", "id: autre")
    app = create_app(folder, db_url=f"sqlite:///{tmp_path / 's.db'}")
    catalog = app.state.parcours.catalog
    assert list(catalog.entries) == ["signalement-voirie"]
    assert catalog.entries["signalement-voirie"].published
    [refused] = catalog.refused
    assert refused.file.endswith("autre.yaml")
    assert "not published yet" in refused.reasons[0]
    assert TestClient(app).get("/autre/").status_code == 404


def _csrf(html: str) -> str:
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_the_studio_walks_the_workflow_with_csrf_posts(studio: TestClient, folder: Path) -> None:
    journey = folder / "voirie.yaml"
    page = studio.get("/publish/voirie.yaml")
    assert page.status_code == 200
    assert "n&#39;utilise pas le circuit de publication" in page.text
    assert not (folder / ".parcours").exists()  # a GET changes nothing
    # Without the CSRF token: refused, nothing written.
    assert studio.post("/publish/voirie.yaml", data={"action": "adopt"}).status_code == 403
    assert (
        studio.post(
            "/publish/voirie.yaml", data={"action": "adopt", "csrf_token": "forged"}
        ).status_code
        == 403
    )
    assert not (folder / ".parcours").exists()
    done = studio.post(
        "/publish/voirie.yaml", data={"action": "adopt", "csrf_token": _csrf(page.text)}
    )
    assert done.url.path == "/publish/voirie.yaml" and done.url.query == b"done=adopt"
    assert 'data-state="published"' in done.text
    assert "Aucune différence avec la version publiée." in done.text
    assert (
        '<a href="/publish/voirie.yaml">Publié<span class="st-hidden"> – voirie.yaml'
        in studio.get("/").text
    )
    _edit(journey, QUESTION, EDITED)
    page = studio.get("/publish/voirie.yaml")
    assert 'data-state="draft"' in page.text
    assert "Le brouillon a des modifications non publiées." in page.text
    # The reviewer's diff: the line removed and the line added.
    assert '<span class="st-diff--del">-          fr: Quel est le problème ?</span>' in page.text
    assert f'<span class="st-diff--add">+          fr: {EDITED}</span>' in page.text
    assert 'id="comparison"' in page.text
    done = studio.post(
        "/publish/voirie.yaml", data={"action": "submit", "csrf_token": _csrf(page.text)}
    )
    assert 'data-state="review"' in done.text and "Soumis à la relecture." in done.text
    assert status(journey).status is Status.REVIEW
    reviewed = done.text.split('name="reviewed" value="', 1)[1].split('"', 1)[0]
    done = studio.post(
        "/publish/voirie.yaml",
        data={"action": "publish", "reviewed": reviewed, "csrf_token": _csrf(done.text)},
    )
    assert "Publié : parcours serve sert désormais cette version." in done.text
    assert EDITED in published_copy(journey).read_text(encoding="utf-8")
    assert status(journey).status is Status.PUBLISHED


def test_the_studio_refuses_to_publish_with_the_errors_listed(
    studio: TestClient, folder: Path
) -> None:
    journey = folder / "voirie.yaml"
    adopt(folder)
    published = published_copy(journey).read_bytes()
    _edit(journey, QUESTION, EDITED)
    submit(journey)
    page = studio.get("/publish/voirie.yaml?lang=en")
    assert 'data-state="review"' in page.text
    # After the review was asked, the organisation drops a service the journey routes to.
    _edit(folder / "organisation.yaml", "  eclairage:", "  eclairage_public:")
    reviewed = page.text.split('name="reviewed" value="', 1)[1].split('"', 1)[0]
    refused = studio.post(
        "/publish/voirie.yaml?lang=en",
        data={"action": "publish", "reviewed": reviewed, "csrf_token": _csrf(page.text)},
    )
    assert refused.status_code == 409
    assert "Refused: voirie.yaml: cannot publish it: `parcours check` finds" in refused.text
    listed = refused.text.split('<ul id="refused">', 1)[1].split("</ul>", 1)[0]
    assert "eclairage" in listed and 'href="/-/rules/unknown-service?lang=en"' in listed
    assert published_copy(journey).read_bytes() == published
    # A reviewer who saw another version cannot publish it either.
    _edit(folder / "organisation.yaml", "  eclairage_public:", "  eclairage:")
    stale = studio.post(
        "/publish/voirie.yaml",
        data={"action": "publish", "reviewed": "0" * 64, "csrf_token": _csrf(page.text)},
    )
    assert stale.status_code == 409 and "changed since it was reviewed" in stale.text
    assert published_copy(journey).read_bytes() == published


def test_the_publication_page_refuses_paths_outside_the_folder(
    studio: TestClient, folder: Path
) -> None:
    adopt(folder)
    for path in (".parcours/voirie.yaml", "../voirie.yaml", "nothing.yaml"):
        assert studio.get(f"/publish/{path}").status_code == 404
        assert studio.get(f"/edit/{path}").status_code == 404
    assert ".parcours" not in studio.get("/").text


def test_the_live_figures_compare_with_the_published_version(
    studio: TestClient, folder: Path
) -> None:
    journey = folder / "voirie.yaml"
    csrf = _csrf(studio.get("/edit/voirie.yaml").text)
    text = journey.read_text(encoding="utf-8")

    def figures() -> str:
        response = studio.post(
            "/-/figures", json={"path": "voirie.yaml", "text": text}, headers={"x-csrf-token": csrf}
        )
        assert response.status_code == 200
        return response.text

    assert "Fichier enregistré" in figures() and "Version publiée" not in figures()
    adopt(folder)
    # The saved file loses a branch; the text being edited and the published version keep
    # it: their figures are side by side, not the saved file's.
    _edit(journey, '      - goto: lampadaire\n        when: type_probleme == "eclairage"\n', "")

    def paths(page: str) -> list[str]:
        row = page.split("Chemins possibles</th>", 1)[1].split("</tr>", 1)[0]
        return [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]

    page = figures()
    assert "Version publiée" in page and "Fichier enregistré" not in page
    [edited, published] = paths(page)
    assert edited == published
    journey_text = journey.read_text(encoding="utf-8")
    saved = studio.post(
        "/-/figures",
        json={"path": "voirie.yaml", "text": journey_text},
        headers={"x-csrf-token": csrf},
    ).text
    assert paths(saved)[0] != published
    assert "Version publiée" in studio.get("/edit/voirie.yaml").text


def test_the_studio_takes_a_journey_offline_after_a_ticked_confirmation(
    studio: TestClient, folder: Path, tmp_path: Path
) -> None:
    journey = folder / "voirie.yaml"
    adopt(folder)
    page = studio.get("/publish/voirie.yaml")
    assert 'id="unpublish"' in page.text and "Retirer la publication" in page.text
    # Forged, then unconfirmed: refused, nothing changed.
    forged = studio.post("/publish/voirie.yaml",
                         data={"action": "unpublish", "confirm": "yes", "csrf_token": "forged"})
    assert forged.status_code == 403
    unconfirmed = studio.post("/publish/voirie.yaml",
                              data={"action": "unpublish", "csrf_token": _csrf(page.text)})
    assert unconfirmed.status_code == 409
    assert "Cochez la confirmation pour retirer la publication" in unconfirmed.text
    assert published_copy(journey).is_file()
    done = studio.post(
        "/publish/voirie.yaml",
        data={"action": "unpublish", "confirm": "yes", "csrf_token": _csrf(page.text)},
    )
    assert done.url.query == b"done=unpublish"
    assert "Publication retirée : parcours serve ne sert plus ce parcours." in done.text
    assert "Hors ligne depuis le" in done.text and 'id="unpublish"' not in done.text
    assert not published_copy(journey).exists() and journey.is_file()
    # parcours serve no longer serves it, and says why.
    app = create_app(folder, db_url=f"sqlite:///{tmp_path / 's.db'}")
    [refused] = app.state.parcours.catalog.refused
    assert "unpublished on" in refused.reasons[0]
    assert TestClient(app).get("/signalement-voirie/").status_code == 404
    # Publishing it again from the studio puts it back online.
    page = studio.get("/publish/voirie.yaml")
    done = studio.post("/publish/voirie.yaml",
                       data={"action": "submit", "csrf_token": _csrf(page.text)})
    reviewed = done.text.split('name="reviewed" value="', 1)[1].split('"', 1)[0]
    studio.post("/publish/voirie.yaml",
                data={"action": "publish", "reviewed": reviewed, "csrf_token": _csrf(done.text)})
    assert status(journey).status is Status.PUBLISHED


def test_a_citizen_on_a_journey_taken_offline_is_told_so(folder: Path, tmp_path: Path) -> None:
    adopt(folder)
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    citizen = TestClient(create_app(folder, db_url=db))
    start = citizen.get("/signalement-voirie/")
    page = citizen.post("/signalement-voirie/start", data={"csrf_token": _csrf(start.text)},
                        follow_redirects=True)
    assert page.status_code == 200
    unpublish(folder / "voirie.yaml")
    # The server restarts (or reloads) without it: the draft's page and the start page say
    # the procedure is no longer online (410), not that the address is wrong.
    restarted = TestClient(create_app(folder, db_url=db))
    restarted.cookies = citizen.cookies
    for path in (page.url.path, "/signalement-voirie/"):
        gone = restarted.get(path)
        assert gone.status_code == 410
        assert "Cette démarche n&#39;est plus proposée en ligne" in gone.text
    english = restarted.get("/signalement-voirie/?lang=en")
    assert "This procedure is no longer offered online" in english.text
    # A journey never served here is still a plain 404.
    assert restarted.get("/jamais-servie/").status_code == 404

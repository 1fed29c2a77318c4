"""The studio over HTTP: the access token, files outside the folder, CSRF, the journey
list, the plain form (check and save without JavaScript), saving atomically and refusing
a file changed on disk, and the check API the editor calls as the designer types."""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.studio.access import OutsideFolder, resolve_journey
from renderer.studio.app import create_studio_app
from renderer.studio.diagnostics import diagnose
from renderer.studio.files import digest

ROOT = Path(__file__).resolve().parents[2]
VOIRIE = ROOT / "journeys" / "signalement-voirie.yaml"
_LINES = VOIRIE.read_text(encoding="utf-8").splitlines()
#: Where the journey's first `goto: probleme` and its step `probleme` are written.
GOTO_LINE = next(i for i, line in enumerate(_LINES, 1) if line.strip() == "- goto: probleme")
STEP_LINE = next(i for i, line in enumerate(_LINES, 1) if line == "  probleme:")
TOKEN = "secret-token-for-tests"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "journeys"
    root.mkdir()
    shutil.copy(VOIRIE, root / "voirie.yaml")
    # Its routing names the services of the organisation file beside it.
    shutil.copy(VOIRIE.parent / "organisation.yaml", root / "organisation.yaml")
    (root / "cassee.yaml").write_text("parcours: 1\nid: [\n", encoding="utf-8")
    (tmp_path / "outside.yaml").write_text(VOIRIE.read_text(encoding="utf-8"), encoding="utf-8")
    return root


@pytest.fixture
def client(folder: Path) -> TestClient:
    c = TestClient(create_studio_app(folder, TOKEN))
    c.cookies.set("parcours_studio", TOKEN)
    return c


def _csrf(client: TestClient, path: str = "/edit/voirie.yaml") -> tuple[str, str]:
    html = client.get(path).text
    csrf = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    base = html.split('name="base" value="', 1)[1].split('"', 1)[0]
    return csrf, base


@pytest.mark.parametrize("path", ["/", "/edit/voirie.yaml", "/static/editor.js",
                                  "/static/studio.css", "/-/schema.json", "/-/rules/cycle"])
def test_nothing_is_served_without_the_token(folder: Path, path: str) -> None:
    anonymous = TestClient(create_studio_app(folder, TOKEN))
    response = anonymous.get(path)
    assert response.status_code == 403
    assert "Accès refusé" in response.text and "voirie" not in response.text
    anonymous.cookies.set("parcours_studio", "not-the-token")
    assert anonymous.get(path).status_code == 403
    assert anonymous.get(path + "?token=wrong").status_code == 403
    assert anonymous.post("/-/check", json={"path": "voirie.yaml", "text": ""}).status_code == 403


def test_the_token_in_the_url_becomes_a_cookie_and_leaves_the_address(folder: Path) -> None:
    browser = TestClient(create_studio_app(folder, TOKEN))
    first = browser.get(f"/edit/voirie.yaml?token={TOKEN}&lang=en", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/edit/voirie.yaml?lang=en"
    cookie = first.headers["set-cookie"]
    assert f"parcours_studio={TOKEN}" in cookie and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert browser.get("/edit/voirie.yaml").status_code == 200


def test_the_list_shows_each_journey_with_its_state(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    rows = page.text.split("<tbody>", 1)[1]
    assert 'href="/edit/voirie.yaml"' in rows and 'href="/edit/cassee.yaml"' in rows
    broken = rows.split('href="/edit/cassee.yaml"', 1)[1].split("</tr>", 1)[0]
    assert 'class="st-bad">1<' in broken  # one yaml-syntax error
    assert "Signaler un problème dans la rue" in rows
    assert "<time datetime=" in rows
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("path", ["../outside.yaml", "..%2Foutside.yaml", "%2E%2E/outside.yaml",
                                  "sub/../../outside.yaml", "/etc/passwd", "link.yaml",
                                  "voirie.txt", "nothing.yaml"])
def test_a_path_outside_the_folder_is_refused(client: TestClient, folder: Path,
                                              path: str) -> None:
    (folder / "link.yaml").symlink_to(folder.parent / "outside.yaml")
    (folder / "voirie.txt").write_text("x", encoding="utf-8")
    page = client.get(f"/edit/{path}")
    assert page.status_code == 404
    assert "Signaler un problème" not in page.text
    csrf, _ = _csrf(client)
    posted = client.post(f"/edit/{path}", data={"csrf_token": csrf, "text": "x", "base": "",
                                                "action": "save"})
    assert posted.status_code == 404
    assert (folder.parent / "outside.yaml").read_text(encoding="utf-8") == VOIRIE.read_text(
        encoding="utf-8")
    api = client.post("/-/check", json={"path": path, "text": "x"},
                      headers={"x-csrf-token": csrf})
    assert api.status_code == 404
    # The symlink that leads out is not even listed.
    assert "link.yaml" not in client.get("/").text


def test_resolve_journey_refuses_every_way_out(folder: Path) -> None:
    for bad in ("", "/abs.yaml", "../x.yaml", "a/../../x.yaml", "x.py", "a\x00.yaml", "."):
        with pytest.raises(OutsideFolder):
            resolve_journey(folder, bad)
    assert resolve_journey(folder, "voirie.yaml") == (folder / "voirie.yaml").resolve()


def test_every_post_needs_the_csrf_token(client: TestClient, folder: Path) -> None:
    before = (folder / "voirie.yaml").read_bytes()
    _, base = _csrf(client)
    for token in ("", "forged"):
        response = client.post("/edit/voirie.yaml", data={"csrf_token": token, "text": "x",
                                                          "base": base, "action": "save"})
        assert response.status_code == 403
    assert (folder / "voirie.yaml").read_bytes() == before
    api = client.post("/-/check", json={"path": "voirie.yaml", "text": "x"})
    assert api.status_code == 403
    assert client.get("/-/check").status_code == 405


def test_the_plain_form_checks_unsaved_text_without_saving_it(client: TestClient,
                                                               folder: Path) -> None:
    csrf, base = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8").replace("- goto: probleme", "- goto: problme")
    page = client.post("/edit/voirie.yaml", data={"csrf_token": csrf, "text": text,
                                                  "base": base, "action": "check"})
    assert page.status_code == 200
    assert (f"ligne {GOTO_LINE}, colonne 15 — &#39;problme&#39; is neither a step nor an "
            "outcome") in page.text
    assert 'href="/-/rules/unknown-target"' in page.text
    assert "problme</textarea>" not in page.text and "goto: problme" in page.text
    assert (folder / "voirie.yaml").read_text(encoding="utf-8") == VOIRIE.read_text(
        encoding="utf-8")


def test_saving_writes_the_file_and_refuses_a_file_changed_on_disk(client: TestClient,
                                                                    folder: Path) -> None:
    target = folder / "voirie.yaml"
    csrf, base = _csrf(client)
    assert base == digest(target.read_bytes())
    new = target.read_text(encoding="utf-8").replace("Le problème\n", "Votre problème\n", 1)
    saved = client.post("/edit/voirie.yaml", data={"csrf_token": csrf, "text": new,
                                                   "base": base, "action": "save"},
                        follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/edit/voirie.yaml?saved=1"
    assert target.read_text(encoding="utf-8") == new
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    assert "Enregistré." in client.get(saved.headers["location"]).text
    # Another program changes the file; the form still carries the first version's stamp.
    target.write_text(new + "# changed elsewhere\n", encoding="utf-8")
    refused = client.post("/edit/voirie.yaml", data={"csrf_token": csrf, "text": new + "# mine\n",
                                                     "base": digest(new.encode()),
                                                     "action": "save"})
    assert refused.status_code == 409
    assert "le fichier a été modifié sur le disque depuis que vous l&#39;avez ouvert" in (
        refused.text)
    assert "# mine" in refused.text  # the designer's text is not lost
    assert target.read_text(encoding="utf-8").endswith("# changed elsewhere\n")


def test_saving_keeps_the_file_mode_and_lf_line_ends(client: TestClient, folder: Path) -> None:
    target = folder / "voirie.yaml"
    os.chmod(target, 0o640)
    csrf, base = _csrf(client)
    client.post("/edit/voirie.yaml", data={"csrf_token": csrf, "text": "a: 1\r\nb: 2\r\n",
                                           "base": base, "action": "save"})
    assert target.read_bytes() == b"a: 1\nb: 2\n"
    assert target.stat().st_mode & 0o777 == 0o640


def test_the_check_api_gives_findings_positions_rules_and_fixes(client: TestClient) -> None:
    csrf, _ = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8").replace("- goto: probleme", "- goto: problme")
    data = client.post("/-/check", json={"path": "voirie.yaml", "text": text},
                       headers={"x-csrf-token": csrf}).json()
    [finding] = [f for f in data["findings"] if f["rule"] == "unknown-target"]
    assert (finding["line"], finding["column"], finding["length"]) == (GOTO_LINE, 15, 7)
    assert finding["docs"] == "/-/rules/unknown-target"
    assert finding["summary"] == "`start` or a `goto` that names nothing"
    assert finding["fixes"] == [{"label": "Remplacer par « probleme » / Replace with 'probleme'",
                                 "line": GOTO_LINE, "column": 15, "length": 7, "text": "probleme"}]
    assert "probleme" in data["ids"]["steps"] and data["counts"]["error"] >= 1
    assert data["check_ms"] > 0  # how long the check took (bench/studio_latency.py reads it)
    bad = client.post("/-/check", content=b"not json", headers={"x-csrf-token": csrf})
    assert bad.status_code == 400


def test_diagnostics_of_broken_text_never_raise() -> None:
    for text in ("", "parcours: 1\nid: [\n", "- a\n", "\x00", "a: *b\n", "steps: {a: 1}\n"):
        result = diagnose(text, "x.yaml", rule_url=str)
        assert result["counts"]["error"] >= 1


def test_the_rule_pages_and_the_schema(client: TestClient) -> None:
    page = client.get("/-/rules/unknown-target")
    assert page.status_code == 200 and "<h1>Règle unknown-target</h1>" in page.text
    assert client.get("/-/rules/no-such-rule").status_code == 404
    schema = client.get("/-/schema.json").json()
    assert "steps" in schema["properties"]


def test_the_form_panel_adds_a_question_to_the_unsaved_text(client: TestClient,
                                                             folder: Path) -> None:
    csrf, base = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8") + "# ma note\n"
    page = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "add-question",
        "q_step": "urgence", "q_id": "remarque", "q_type": "choice",
        "q_label_fr": "Une remarque ?", "q_label_en": "", "q_options": "oui: Oui\nnon: Non",
        "q_when": "", "q_purpose": "Pour l'agent"})
    assert page.status_code == 200
    assert "Ajouté au texte, pas encore enregistré" in page.text
    area = page.text.split('name="text"', 1)[1].split("</textarea>", 1)[0]
    assert ("      remarque:\n        type: choice\n        label: Une remarque ?\n"
            "        options:\n          oui: Oui\n          non: Non\n"
            "        purpose: Pour l&#39;agent\n    next:\n") in area
    assert area.rstrip().endswith("# ma note")
    assert (folder / "voirie.yaml").read_text(encoding="utf-8") == VOIRIE.read_text(
        encoding="utf-8")  # not saved until the designer saves
    refused = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "add-question",
        "q_step": "urgence", "q_id": "danger", "q_type": "text", "q_label_fr": "x"})
    assert refused.status_code == 422
    assert "Ajout impossible : a question &#39;danger&#39; already exists" in refused.text
    branch = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "add-branch",
        "b_step": "suivi", "b_goto": "appeler_secours", "b_when": "danger"})
    assert branch.status_code == 200


def test_a_new_journey_from_a_template(client: TestClient, folder: Path) -> None:
    csrf, _ = _csrf(client)
    page = client.get("/")
    assert 'name="template"' in page.text and "Demander un rendez-vous" in page.text
    created = client.post("/new", data={"csrf_token": csrf, "template": "rendez-vous",
                                         "file": "guichet/rdv-mairie",
                                         "title_fr": "Rendez-vous à la mairie",
                                         "title_en": ""}, follow_redirects=False)
    assert created.status_code == 303
    assert created.headers["location"] == "/edit/guichet/rdv-mairie.yaml"
    text = (folder / "guichet" / "rdv-mairie.yaml").read_text(encoding="utf-8")
    assert "id: rdv-mairie\n" in text and "  fr: Rendez-vous à la mairie\n" in text
    assert "0 erreur(s), 0 avertissement(s), 0 conseil(s)" in client.get(
        created.headers["location"]).text
    again = client.post("/new", data={"csrf_token": csrf, "template": "signalement",
                                       "file": "guichet/rdv-mairie.yaml"})
    assert again.status_code == 409 and "ce fichier existe déjà" in again.text
    assert (folder / "guichet" / "rdv-mairie.yaml").read_text(encoding="utf-8") == text
    outside = client.post("/new", data={"csrf_token": csrf, "template": "signalement",
                                         "file": "../evasion.yaml"})
    assert outside.status_code == 422 and not (folder.parent / "evasion.yaml").exists()
    forged = client.post("/new", data={"csrf_token": "x", "template": "signalement",
                                        "file": "autre.yaml"})
    assert forged.status_code == 403 and not (folder / "autre.yaml").exists()


def test_the_step_graph_is_drawn_with_lines_and_findings(client: TestClient) -> None:
    page = client.get("/edit/voirie.yaml").text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert f'data-node="probleme" data-line="{STEP_LINE}"' in page
    assert f'href="/edit/voirie.yaml#L{STEP_LINE}"' in page
    csrf, _ = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8") + "steps: [\n"
    # Text that is not YAML: no graph, and a sentence saying why.
    broken = client.post("/-/graph", json={"path": "voirie.yaml", "text": text},
                         headers={"x-csrf-token": csrf})
    assert broken.status_code == 200 and "Pas de graphe" in broken.text
    # A finding on a step marks its node.
    text = VOIRIE.read_text(encoding="utf-8").replace(
        "      - goto: lampadaire\n        when: type_probleme == \"eclairage\"\n",
        "      - goto: lieu\n        when: type_probleme == \"eclairage\"\n")
    drawn = client.post("/-/graph", json={"path": "voirie.yaml", "text": text},
                        headers={"x-csrf-token": csrf}).text
    assert 'class="graph-box step finding" data-node="lampadaire"' in drawn  # unreachable
    assert 'class="graph-box step" data-node="probleme"' in drawn
    assert client.post("/-/graph", json={"path": "voirie.yaml", "text": ""}).status_code == 403


def test_the_test_cases_run_on_every_check(client: TestClient, folder: Path) -> None:
    page = client.get("/edit/voirie.yaml").text
    assert "Ce parcours n&#39;a pas de cas de test (voirie.cases.yaml" in page
    shutil.copy(ROOT / "journeys" / "signalement-voirie.cases.yaml", folder / "voirie.cases.yaml")
    assert "4 cas sur 4 réussis (voirie.cases.yaml)" in client.get("/edit/voirie.yaml").text
    assert "voirie.cases.yaml" not in client.get("/").text.split("<tbody>", 1)[1].split(
        'href="/edit/')[0]  # listed as the journey's cases, not as a journey
    csrf, _ = _csrf(client)
    # The condition is turned round: the cases say which paths broke.
    text = VOIRIE.read_text(encoding="utf-8").replace(
        "      - goto: appeler_secours\n        when: danger\n",
        "      - goto: appeler_secours\n        when: not danger\n", 1)
    data = client.post("/-/check", json={"path": "voirie.yaml", "text": text},
                       headers={"x-csrf-token": csrf}).json()
    cases = data["cases"]
    assert cases["file"] == "voirie.cases.yaml" and cases["failed"] == 4
    assert any("expected outcome 'envoi', but the run ends at outcome 'appeler_secours'"
               in p["message"] for p in cases["problems"])
    broken = client.post("/-/check", json={"path": "voirie.yaml", "text": "parcours: 1\n"},
                         headers={"x-csrf-token": csrf}).json()
    assert broken["cases"]["blocked"] is True


def test_studio_templates_write_no_url_and_no_csrf_input_by_hand() -> None:
    import re

    templates = ROOT / "renderer" / "studio" / "templates"
    by_hand = [f"{t.name}:{n}" for t in templates.glob("*.html")
               for n, line in enumerate(t.read_text(encoding="utf-8").splitlines(), 1)
               if re.search(r'(href|action|src)="/', line)
               or 'name="{{ csrf_field }}"' in line]
    assert by_hand == []


def test_a_file_name_with_spaces_is_linked_quoted(client: TestClient, folder: Path) -> None:
    shutil.copy(VOIRIE, folder / "mon parcours.yaml")
    assert 'href="/edit/mon%20parcours.yaml"' in client.get("/").text
    assert client.get("/edit/mon%20parcours.yaml").status_code == 200


def test_concurrent_checks_are_safe(client: TestClient) -> None:
    """z3 is not thread-safe: concurrent checks in the server's thread pool once crashed the
    process (a segmentation fault). They are serialised."""
    from concurrent.futures import ThreadPoolExecutor

    csrf, _ = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8")

    def check(i: int) -> int:
        edited = text + f"# {i}\n"
        a = client.post("/-/check", json={"path": "voirie.yaml", "text": edited},
                        headers={"x-csrf-token": csrf})
        b = client.post("/-/graph", json={"path": "voirie.yaml", "text": edited},
                        headers={"x-csrf-token": csrf})
        return a.status_code + b.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(check, range(12))) == [400] * 12


def test_the_report_headline_figures_live_beside_the_saved_file(client: TestClient) -> None:
    page = client.get("/edit/voirie.yaml").text
    figures = page.split('<div id="figures">', 1)[1].split("</table>", 1)[0]
    assert "<th scope=\"row\">Chemins possibles</th><td>3</td><td>3</td>" in figures
    assert "<th scope=\"row\">Questions (médiane)</th><td>8.0</td><td>8.0</td>" in figures
    csrf, _ = _csrf(client)
    # Danger leads to the form too: one path fewer (the emergency exit is unreachable: an
    # error, so no figures for the unsaved text), the saved file's figures stay.
    text = VOIRIE.read_text(encoding="utf-8").replace(
        "      - goto: appeler_secours\n        when: danger\n", "", 1)
    live = client.post("/-/figures", json={"path": "voirie.yaml", "text": text},
                       headers={"x-csrf-token": csrf}).text
    assert "<th scope=\"row\">Chemins possibles</th><td>—</td><td>3</td>" in live
    fewer = VOIRIE.read_text(encoding="utf-8").replace(
        "      - goto: lampadaire\n        when: type_probleme == \"eclairage\"\n"
        "      - goto: lieu\n", "      - goto: lampadaire\n", 1)
    live = client.post("/-/figures", json={"path": "voirie.yaml", "text": fewer},
                       headers={"x-csrf-token": csrf}).text
    assert "<th scope=\"row\">Chemins possibles</th><td>2</td><td>3</td>" in live
    assert client.post("/-/figures", json={"path": "../x.yaml", "text": ""},
                       headers={"x-csrf-token": csrf}).status_code == 400


def test_the_preview_shows_the_citizens_page_of_the_unsaved_text(client: TestClient) -> None:
    csrf, base = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8").replace(
        "Quel est le problème ?", "Quel souci voyez-vous ?", 1)
    page = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "preview",
        "preview_step": "probleme", "preview_lang": "fr"})
    assert page.status_code == 200
    assert "Quel souci voyez-vous ?" in page.text
    assert 'href="/citizen-static/parcours.css"' in page.text
    assert client.get("/citizen-static/parcours.css").status_code == 200
    english = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "preview",
        "preview_step": "probleme", "preview_lang": "en"})
    assert "What is the problem?" in english.text and '<html lang="en">' in english.text
    missing = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "preview",
        "preview_step": "nulle_part"})
    assert missing.status_code == 422


def test_the_preview_shows_a_step_as_a_test_cases_citizen_reaches_it(
        client: TestClient, folder: Path) -> None:
    shutil.copy(ROOT / "journeys" / "signalement-voirie.cases.yaml", folder / "voirie.cases.yaml")
    csrf, base = _csrf(client)
    editor = client.get("/edit/voirie.yaml").text
    assert '<select id="p-case" name="preview_case">' in editor
    assert "<option>persona-1: outcome envoi</option>" in editor
    text = VOIRIE.read_text(encoding="utf-8")

    def preview(step: str, case: str) -> Any:
        return client.post("/edit/voirie.yaml", data={
            "csrf_token": csrf, "text": text, "base": base, "action": "preview",
            "preview_step": step, "preview_lang": "fr", "preview_case": case})

    # The streetlight's page as the first persona reaches it: their answer filled in.
    page = preview("lampadaire", "persona-1: outcome envoi")
    assert page.status_code == 200 and 'value="L-04512"' in page.text
    assert 'value="L-04512"' not in preview("lampadaire", "").text
    # The second persona is in danger: sent to the emergency numbers, never to the street.
    refused = preview("lieu", "persona-2: outcome appeler_secours")
    assert refused.status_code == 422 and "ne mènent pas à cette étape" in refused.text
    assert preview("lieu", "nobody of that name").status_code == 422


def test_the_preview_computes_a_citizen_who_reaches_the_step(client: TestClient) -> None:
    """No test case needed: the solver finds answers leading to the step, the engine plays
    them, and the page is drawn as that citizen reaches it."""
    csrf, base = _csrf(client)
    editor = client.get("/edit/voirie.yaml").text
    assert '<option value="*">un citoyen calculé pour atteindre l&#39;étape' in editor
    text = VOIRIE.read_text(encoding="utf-8")

    def preview(step: str, source: str = text) -> Any:
        return client.post("/edit/voirie.yaml", data={
            "csrf_token": csrf, "text": source, "base": base, "action": "preview",
            "preview_step": step, "preview_lang": "fr", "preview_case": "*"})

    # The streetlight's page is reached only by a lighting problem, outside any danger.
    page = preview("lampadaire")
    assert page.status_code == 200
    assert "Numéro du lampadaire" in page.text
    # A step no path reaches: said so, with the way to preview it anyway.
    orphan = text.replace("\noutcomes:", "\n  orphelin:\n    title: Orphelin\n"
                          "    questions: {}\n    next: suivi\n\noutcomes:", 1)
    assert orphan != text
    none = preview("orphelin", orphan)
    assert none.status_code == 422 and "Aucun citoyen atteignant cette étape" in none.text


def test_the_panels_add_a_step_and_change_a_question(client: TestClient) -> None:
    csrf, base = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8")
    step = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "add-step",
        "s_id": "photos", "s_title_fr": "Des photos", "s_title_en": "Photos",
        "s_after": "lieu", "s_goto": "suivi"})
    assert step.status_code == 200
    area = step.text.split('name="text"', 1)[1].split("</textarea>", 1)[0]
    assert ("  photos:\n    title:\n      fr: Des photos\n      en: Photos\n"
            "    questions: {}\n    next:\n      - goto: suivi\n") in area
    changed = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "change-question",
        "c_question": "danger", "c_label_fr": "Quelqu'un est-il en danger ?", "c_label_en": "",
        "c_when": "", "c_purpose": ""})
    area = changed.text.split('name="text"', 1)[1].split("</textarea>", 1)[0]
    assert "          fr: Quelqu&#39;un est-il en danger ?\n" in area
    assert "          en: Is the problem putting anyone in danger right now?\n" in area  # kept
    empty = client.post("/edit/voirie.yaml", data={
        "csrf_token": csrf, "text": text, "base": base, "action": "change-question",
        "c_question": "danger"})
    assert empty.status_code == 422 and "fill in at least one field" in empty.text


def test_the_command_refuses_a_missing_folder_and_prints_a_loopback_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from designer.cli import main
    from renderer.studio.cli import studio_url

    assert main(["studio", str(tmp_path / "absent")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert studio_url("127.0.0.1", 8765, "abc") == "http://127.0.0.1:8765/?token=abc"
    assert studio_url("0.0.0.0", 80, "x") == "http://127.0.0.1:80/?token=x"


def test_the_command_serves_with_a_fresh_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`parcours studio` hands uvicorn the gated app on 127.0.0.1 and prints its token."""
    import uvicorn

    from designer.cli import main

    served: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(kw, app=app))
    frozen: list[bool] = []
    thresholds: list[tuple[int, ...]] = []
    monkeypatch.setattr("gc.freeze", lambda: frozen.append(True))
    monkeypatch.setattr("gc.set_threshold", lambda *t: thresholds.append(t))
    assert main(["studio", str(tmp_path), "--port", "9999"]) == 0
    # Start-up's objects are kept out of the collections that each check triggers, and
    # the young collections run after 50,000 allocations rather than 700.
    assert frozen == [True] and thresholds[0][0] == 50_000
    out = capsys.readouterr().out
    token = out.split("?token=", 1)[1].strip()
    assert len(token) >= 32 and served["host"] == "127.0.0.1" and served["port"] == 9999
    client = TestClient(served["app"])  # type: ignore[arg-type]
    assert client.get("/").status_code == 403
    assert client.get(f"/?token={token}").status_code == 200


def test_the_remove_panel_removes_and_refuses_what_would_break_the_journey(
    client: TestClient, folder: Path
) -> None:
    csrf, base = _csrf(client)
    text = VOIRIE.read_text(encoding="utf-8") + "# ma note\n"
    page = client.get("/edit/voirie.yaml")
    assert '<option value="question:repere">Question « repere »</option>' in page.text
    assert '<option value="branch:probleme:0">Branche 1 de « probleme » → lampadaire' in page.text
    assert 'value="branch:lieu:0"' not in page.text  # a step's only branch is not offered

    def remove(what: str) -> Any:
        return client.post("/edit/voirie.yaml", data={
            "csrf_token": csrf, "text": text, "base": base, "action": "remove",
            "r_what": what})

    done = remove("question:repere")
    assert done.status_code == 200, done.text
    assert "Supprimé du texte ci-dessus" in done.text
    area = html.unescape(done.text.split('name="text"', 1)[1].split(">", 1)[1]
                         .split("</textarea>", 1)[0])
    assert "repere:" not in area and "adresse:" in area and area.rstrip().endswith("# ma note")
    # Read by a branch's condition: removing it would add an error, refused with the reason.
    refused = remove("question:type_probleme")
    assert refused.status_code == 422
    assert "Suppression refusée : elle ajouterait" in html.unescape(refused.text)
    assert "type_probleme" in html.unescape(refused.text).split("Suppression refusée", 1)[1]
    # A step a branch leads to; then what does not exist, or is not a choice.
    step = remove("step:lieu")
    assert step.status_code == 422
    assert "the step &#39;probleme&#39; goes to &#39;lieu&#39;" in step.text
    for what in ("", "question:nothing", "branch:probleme:9", "branch:lieu:0", "branch:x",
                 "step:", "nimporte:quoi"):
        assert remove(what).status_code == 422, what
    # Nothing is saved until the designer saves.
    assert (folder / "voirie.yaml").read_text(encoding="utf-8") == VOIRIE.read_text(
        encoding="utf-8")

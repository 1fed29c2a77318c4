"""The studio in real Chromium: diagnostics as you type (marker at the right line within a
second of the last keystroke, cleared when fixed), the one-click fix, saving and its
refusal when the file changed on disk, the page without JavaScript, the access token, and
axe-core (zero WCAG 2.1 A/AA violations) on every studio page."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from renderer.studio.app import create_studio_app

from .test_browser import CHROMIUM, LAUNCH_ARGS, _free_port, axe_violations

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VOIRIE = ROOT / "journeys" / "signalement-voirie.yaml"
TOKEN = "browser-test-token"
_LINES = VOIRIE.read_text(encoding="utf-8").splitlines()
#: `- goto: probleme`, the default branch of the first step, and the step `lieu`.
GOTO_LINE = next(i for i, line in enumerate(_LINES, 1) if line.strip() == "- goto: probleme")
LIEU_LINE = next(i for i, line in enumerate(_LINES, 1) if line == "  lieu:")
LAMPADAIRE_LINE = next(i for i, line in enumerate(_LINES, 1)
                       if line.strip() == "- goto: lampadaire")
PROBLEM_LINE = next(i for i, line in enumerate(_LINES, 1)
                    if line.strip() == "fr: Quel est le problème ?")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "journeys"
    root.mkdir()
    shutil.copy(VOIRIE, root / "voirie.yaml")
    # Its routing names the services of the organisation file beside it.
    shutil.copy(VOIRIE.parent / "organisation.yaml", root / "organisation.yaml")
    return root


@pytest.fixture
def server(folder: Path) -> Iterator[str]:
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_studio_app(folder, TOKEN), host="127.0.0.1",
                                        port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Console:
    """What the page wrote to the console (a CSP refusal shows up here)."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("console", lambda m: self.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e}"))

    def problems(self) -> list[str]:
        return [m for m in self.messages if m.startswith(("error", "pageerror"))]


def _open(browser: Any, server: str, path: str = "/edit/voirie.yaml",
          scripts: bool = True) -> tuple[Any, Any, Console]:
    context = browser.new_context(java_script_enabled=scripts)
    page = context.new_page()
    console = Console(page)
    page.goto(f"{server}{path}?token={TOKEN}")
    assert page.url == f"{server}{path}"  # the token left the address for a cookie
    if scripts and path.startswith("/edit/"):
        page.wait_for_selector(".cm-editor .cm-content")
        page.wait_for_function("() => Number(document.getElementById('editor-form')"
                               ".dataset.checked || 0) >= 1")
    return context, page, console


def _markers(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("() => window.parcoursStudio.markers()"))


def _put_cursor_after(page: Any, line: int, text: str) -> None:
    """Cursor at the end of ``text`` on ``line``, scrolled into view, editor focused."""
    page.evaluate("""([line, text]) => {
        const view = window.parcoursStudio.view;
        const l = view.state.doc.line(line);
        const at = l.from + l.text.indexOf(text) + text.length;
        view.dispatch({selection: {anchor: at}, scrollIntoView: true});
        view.focus();
    }""", [line, text])


def _type_unknown_target(page: Any) -> float:
    """Replace `probleme` by `problme` on the goto line with the keyboard; the time of the
    last keystroke."""
    _put_cursor_after(page, GOTO_LINE, "goto: probleme")
    for _ in range(len("probleme")):
        page.keyboard.press("Backspace")
    page.keyboard.type("problme", delay=30)
    return time.monotonic()


def _wait_for(page: Any, predicate: str, timeout_ms: int) -> None:
    page.wait_for_function(
        f"() => window.parcoursStudio.markers().some(m => {predicate})", timeout=timeout_ms)


def test_an_unknown_goto_target_is_marked_at_its_line_within_a_second_and_cleared_when_fixed(
    browser: Any, server: str
) -> None:
    context, page, console = _open(browser, server)
    assert not [m for m in _markers(page) if m["severity"] == "error"]
    typed = _type_unknown_target(page)
    _wait_for(page, f"m.rule === 'unknown-target' && m.line === {GOTO_LINE}", 1000)
    assert time.monotonic() - typed < 1.0
    [marker] = [m for m in _markers(page) if m["rule"] == "unknown-target"]
    assert marker["message"].startswith("'problme' is neither a step nor an outcome")
    # Drawn: the word is underlined on that line, and the gutter carries an error marker.
    underlined = page.locator(".cm-lintRange-error").first
    assert underlined.inner_text() == "problme"
    line_text = underlined.evaluate("e => e.closest('.cm-line').textContent")
    assert line_text.strip() == "- goto: problme"
    assert page.locator(".cm-lint-marker-error").count() >= 1
    # The findings list under the editor follows too (for screen readers: a status).
    assert "problme" in page.locator("#findings").inner_text()
    # Fixing it by typing clears the marker.
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("eme")
    page.wait_for_function("() => !window.parcoursStudio.markers()"
                           ".some(m => m.severity === 'error')", timeout=1000)
    assert page.locator(".cm-lintRange-error").count() == 0
    assert console.problems() == []
    context.close()


def test_the_one_click_fix_rewrites_the_file_correctly(browser: Any, server: str,
                                                        folder: Path) -> None:
    original = (folder / "voirie.yaml").read_text(encoding="utf-8")
    context, page, console = _open(browser, server)
    _type_unknown_target(page)
    _wait_for(page, "m.rule === 'unknown-target'", 1000)
    page.locator(".cm-lintRange-error").first.hover()
    fix = page.locator(".cm-tooltip-lint .cm-diagnosticAction")
    fix.first.wait_for()
    assert "probleme" in fix.first.inner_text()
    fix.first.click()
    page.wait_for_function("() => !window.parcoursStudio.markers()"
                           ".some(m => m.severity === 'error')", timeout=1000)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{server}/edit/voirie.yaml?saved=1")
    assert page.locator(".st-message").inner_text() == "Enregistré."
    assert (folder / "voirie.yaml").read_text(encoding="utf-8") == original
    assert console.problems() == []
    context.close()


def test_an_edit_fix_adds_a_purpose_and_the_check_clears(browser: Any, server: str,
                                                          folder: Path) -> None:
    purpose = ("        purpose:\n          fr: Trouver le lampadaire sans le chercher dans la "
               "rue.\n          en: To find the light without searching the street.\n")
    text = VOIRIE.read_text(encoding="utf-8")
    assert purpose in text
    (folder / "voirie.yaml").write_text(text.replace(purpose, ""), encoding="utf-8")
    context, page, console = _open(browser, server)
    _wait_for(page, "m.rule === 'unused-answer'", 3000)
    [line] = [m["line"] for m in _markers(page) if m["rule"] == "unused-answer"]
    _put_cursor_after(page, line, "")  # scrolled into view (the editor draws what is seen)
    page.locator(".cm-lintRange-warning").first.hover()
    fix = page.locator(".cm-tooltip-lint .cm-diagnosticAction",
                       has_text="Ajouter un `purpose`")
    fix.first.click()
    page.wait_for_function("() => Number(document.getElementById('editor-form')"
                           ".dataset.fixes || 0) === 1")
    page.wait_for_function("() => !window.parcoursStudio.markers()"
                           ".some(m => m.rule === 'unused-answer')", timeout=3000)
    # The sentence to complete is selected: typing replaces it.
    page.keyboard.type("Retrouver le lampadaire.")
    content = page.evaluate("() => window.parcoursStudio.view.state.doc.toString()")
    assert ("        purpose:\n          fr: Retrouver le lampadaire.\n          en: To complete"
            in content)
    assert content.count("\n") == text.count("\n")  # three lines taken, three given back
    assert console.problems() == []
    context.close()


def test_saving_an_edit_and_refusing_when_the_file_changed_on_disk(
    browser: Any, server: str, folder: Path
) -> None:
    target = folder / "voirie.yaml"
    context, page, _ = _open(browser, server)
    _put_cursor_after(page, 1, "journey.schema.json")
    page.keyboard.type("\n# édité dans le studio")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{server}/edit/voirie.yaml?saved=1")
    saved = target.read_text(encoding="utf-8")
    assert saved.splitlines()[1] == "# édité dans le studio"
    assert saved.replace("# édité dans le studio\n", "", 1) == VOIRIE.read_text(encoding="utf-8")
    # Another program writes the file while the editor is open on the saved version.
    page.wait_for_selector(".cm-editor .cm-content")
    target.write_text(saved + "# changé ailleurs\n", encoding="utf-8")
    _put_cursor_after(page, 2, "studio")
    page.keyboard.type(" (deux fois)")
    page.get_by_role("button", name="Enregistrer").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Non enregistré : le fichier a été modifié sur le disque" in alert.inner_text()
    assert target.read_text(encoding="utf-8").endswith("# changé ailleurs\n")
    # The designer's text is still in the editor.
    assert "(deux fois)" in page.locator(".cm-content").inner_text()
    context.close()


def test_the_form_panel_adds_a_question_and_the_yaml_keeps_its_comments(
    browser: Any, server: str, folder: Path
) -> None:
    context, page, console = _open(browser, server)
    page.get_by_text("Ajouter une question").click()
    page.locator("#q-step").select_option("probleme")
    page.locator("#q-id").fill("gravite")
    page.locator("#q-type").select_option("yesno")
    page.locator("#q-label-fr").fill("Est-ce grave ?")
    page.locator("#q-label-en").fill("Is it serious?")
    page.get_by_role("button", name="Ajouter la question au texte").click()
    page.get_by_role("status").first.wait_for()
    page.wait_for_selector(".cm-editor .cm-content")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{server}/edit/voirie.yaml?saved=1")
    saved = (folder / "voirie.yaml").read_text(encoding="utf-8")
    before = VOIRIE.read_text(encoding="utf-8")
    assert saved.startswith("# yaml-language-server: $schema=../schemas/journey.schema.json\n#\n"
                            "# Report a problem in a public space")
    added = ("      gravite:\n        type: yesno\n        label:\n"
             "          fr: Est-ce grave ?\n          en: Is it serious?\n")
    assert added in saved and saved.replace(added, "", 1) == before
    assert console.problems() == []
    context.close()


def test_the_graph_follows_the_cursor_and_a_node_leads_to_its_line(browser: Any,
                                                                  server: str) -> None:
    context, page, console = _open(browser, server)
    node = page.locator('#graph [data-node="lieu"]')
    line = int(node.get_attribute("data-line") or 0)
    assert line == LIEU_LINE
    node.click()
    assert page.evaluate("() => { const s = window.parcoursStudio.view.state;"
                         " return s.doc.lineAt(s.selection.main.head).number; }") == line
    page.wait_for_selector('#graph [data-node="lieu"].current')
    _put_cursor_after(page, GOTO_LINE, "goto: probleme")  # inside the step 'urgence'
    page.wait_for_selector('#graph [data-node="urgence"].current')
    assert page.locator("#graph .current").count() == 1
    # An edit redraws it: an unreachable step is marked.
    _put_cursor_after(page, LAMPADAIRE_LINE, "goto: lampadaire")
    for _ in range(len("lampadaire")):
        page.keyboard.press("Backspace")
    page.keyboard.type("lieu")
    page.wait_for_selector('#graph [data-node="lampadaire"].finding', timeout=3000)
    assert console.problems() == []
    context.close()


def test_the_preview_shows_the_edited_label(browser: Any, server: str) -> None:
    context, page, console = _open(browser, server)
    _put_cursor_after(page, PROBLEM_LINE, "Quel est le problème")
    page.keyboard.type(" dans la rue")
    page.locator("#p-step").select_option("probleme")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="Voir la page de cette étape").click()
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.get_by_text("Quel est le problème dans la rue ?").count() == 1
    assert console.problems() == []
    context.close()


def _previews(page: Any) -> int:
    return int(page.evaluate(
        "() => Number(document.getElementById('citizen-view').dataset.previews || 0)"))


def _shown_step(page: Any, step: str) -> None:
    page.wait_for_function(
        "step => document.getElementById('citizen-view').dataset.step === step", arg=step,
        timeout=3000)


def test_the_citizens_view_follows_the_cursor(browser: Any, server: str) -> None:
    context, page, console = _open(browser, server)
    assert page.locator("#citizen-view").is_visible()
    frame = page.frame_locator("#citizen-frame")
    _shown_step(page, "urgence")  # at first, the first step
    _put_cursor_after(page, PROBLEM_LINE, "Quel est le problème")
    _shown_step(page, "probleme")
    frame.get_by_role("heading", name="Le problème").wait_for()
    assert page.locator("#citizen-step").inner_text() == "Page affichée : étape probleme"
    # Debounced: the cursor crossing three steps at once loads only the last one's page.
    page.wait_for_timeout(500)
    before = _previews(page)
    page.evaluate("""([lines]) => {
        const view = window.parcoursStudio.view;
        for (const line of lines) {
            view.dispatch({selection: {anchor: view.state.doc.line(line).from}});
        }
    }""", [[GOTO_LINE, PROBLEM_LINE, LIEU_LINE + 1]])
    _shown_step(page, "lieu")
    frame.get_by_role("heading", name="Où est le problème ?").wait_for()
    page.wait_for_timeout(700)
    assert _previews(page) == before + 1
    # The page follows the text too (the unsaved label), and the language chosen.
    _put_cursor_after(page, PROBLEM_LINE, "Quel est le problème")
    page.keyboard.type(" exactement")
    frame.get_by_text("Quel est le problème exactement ?").wait_for(timeout=3000)
    page.locator("#p-lang").select_option("en")
    frame.get_by_text("What is the problem?").wait_for(timeout=3000)
    assert console.problems() == []
    context.close()


def test_the_citizens_view_as_a_test_cases_citizen_reaches_the_step(
        browser: Any, server: str, folder: Path) -> None:
    shutil.copy(VOIRIE.with_name("signalement-voirie.cases.yaml"), folder / "voirie.cases.yaml")
    context, page, console = _open(browser, server)
    frame = page.frame_locator("#citizen-frame")
    _put_cursor_after(page, PROBLEM_LINE, "Quel est le problème")
    _shown_step(page, "probleme")
    frame.get_by_role("heading", name="Le problème").wait_for()
    assert frame.locator("#type_probleme").input_value() == ""
    page.locator("#p-case").select_option("persona-1: outcome envoi")
    frame.locator("#type_probleme option[value=eclairage][selected]").wait_for(
        state="attached", timeout=3000)
    assert frame.locator("#type_probleme").input_value() == "eclairage"
    assert console.problems() == []
    context.close()


def test_without_javascript_the_editor_is_a_plain_form(browser: Any, server: str,
                                                        folder: Path) -> None:
    context, page, _ = _open(browser, server, scripts=False)
    area = page.get_by_label("Texte du parcours (YAML)")
    text = area.input_value().replace("- goto: probleme", "- goto: problme")
    area.fill(text)
    page.get_by_role("button", name="Vérifier").click()
    assert f"ligne {GOTO_LINE}, colonne 15" in page.locator("#findings").inner_text()
    # The one-click fix, as a button of the plain form: the text is fixed, not saved yet.
    page.get_by_role("button", name="Remplacer par « probleme » / Replace with 'probleme'").click()
    assert "Correction faite dans le texte ci-dessus" in page.locator(".st-message").inner_text()
    assert "- goto: probleme" in page.get_by_label("Texte du parcours (YAML)").input_value()
    # Nothing was written yet (the file on disk never had the typo).
    assert (folder / "voirie.yaml").read_text(encoding="utf-8") == VOIRIE.read_text(
        encoding="utf-8")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/edit/voirie.yaml?saved=1")
    assert (folder / "voirie.yaml").read_text(encoding="utf-8") == VOIRIE.read_text(
        encoding="utf-8")
    context.close()


def test_access_without_the_token_and_paths_outside_the_folder_are_refused(
    browser: Any, server: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    for path in ("/", "/edit/voirie.yaml", "/static/editor.js"):
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status == 403
        assert "Accès refusé" in page.content()
    page.goto(f"{server}/?token={TOKEN}")
    response = page.goto(f"{server}/edit/%2e%2e/%2e%2e/etc/passwd")
    assert response is not None and response.status == 404
    context.close()


def test_axe_core_finds_no_wcag_violation_on_the_studio_pages(browser: Any, server: str,
                                                               folder: Path) -> None:
    violations: list[str] = []
    context, page, console = _open(browser, server, "/")
    violations += axe_violations(page)
    page.goto(f"{server}/edit/voirie.yaml")
    page.wait_for_function("() => Number(document.getElementById('editor-form')"
                           ".dataset.checked || 0) >= 1")
    violations += axe_violations(page)
    # With the form panels open.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    violations += axe_violations(page)
    # With a finding shown (the lint tooltip open on hover).
    _type_unknown_target(page)
    _wait_for(page, "m.rule === 'unknown-target'", 1000)
    page.locator(".cm-lintRange-error").first.hover()
    page.locator(".cm-tooltip-lint").wait_for()
    violations += axe_violations(page)
    # The publication page: without the workflow, then adopted, with a diff to review.
    page.goto(f"{server}/publish/voirie.yaml")
    violations += axe_violations(page)
    page.get_by_role("button", name="Adopter le circuit de publication").click()
    page.wait_for_url("**/publish/voirie.yaml?done=adopt")
    text = (folder / "voirie.yaml").read_text(encoding="utf-8")
    (folder / "voirie.yaml").write_text(text.replace("Quel est le problème ?",
                                                     "Quel est le souci ?"), encoding="utf-8")
    page.goto(f"{server}/publish/voirie.yaml?lang=en")
    assert page.locator(".st-diff--add").count() == 1
    violations += axe_violations(page)
    page.get_by_role("button", name="Ready for review").click()
    page.wait_for_url("**/publish/voirie.yaml?done=submit&lang=en")
    violations += axe_violations(page)
    (folder / "voirie.yaml").write_text(text, encoding="utf-8")
    for path in ("/-/rules/unknown-target", "/edit/nothing.yaml", "/?lang=en"):
        # (the list page carries the new-journey form)
        page.goto(f"{server}{path}")
        violations += axe_violations(page)
    # The conflict page.
    page.goto(f"{server}/edit/voirie.yaml")
    page.wait_for_selector(".cm-editor")
    (folder / "voirie.yaml").write_text(VOIRIE.read_text(encoding="utf-8") + "# x\n",
                                        encoding="utf-8")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("alert").wait_for()
    violations += axe_violations(page)
    # The 404 and 409 statuses are logged by the browser; nothing else may be.
    assert [m for m in console.problems() if "Failed to load resource" not in m] == []
    context.close()
    # The pages without JavaScript (axe runs in a scripted copy of their DOM).
    context, page, _ = _open(browser, server, "/edit/voirie.yaml", scripts=False)
    html = page.content()
    context.close()
    copy_context = browser.new_context(bypass_csp=True)
    copy = copy_context.new_page()
    copy.set_content(html.replace("<head>", f'<head><base href="{server}/">', 1)
                     .replace('<script src="/static/editor.js" defer></script>', ""))
    violations += axe_violations(copy)
    copy_context.close()
    assert violations == [], "\n".join(violations)

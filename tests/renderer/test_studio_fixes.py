"""The studio's one-click edit fixes (renderer/studio/fixes.py): each is offered on the
finding it fixes, applied through ``POST /-/fix`` to the unsaved text, and the text it
gives is checked again: the finding is gone, no error came, and the rest of the file is
as it was. A fix that is not safe is not offered, or refused."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from renderer.studio.app import create_studio_app
from renderer.studio.diagnostics import check_text, diagnose
from renderer.studio.fixes import PURPOSE_TODO, change_between

BASE = (Path(__file__).parent / "data" / "usage.yaml").read_text(encoding="utf-8")
TOKEN = "fixes-token"
NEXT_OF_IDENTITE = """      - goto: adresse
        when: mode == "courrier"
      - goto: envoi
"""

#: Each journey variant, the rule of its finding, and the fix kind expected.
VARIANTS: dict[str, tuple[str, str, str]] = {
    "purpose": (
        BASE.replace(
            "        purpose: {fr: Vous identifier., en: To identify you.}\n",
            "        # Le nom, pour le courrier.\n",
        ),
        "unused-answer",
        "purpose",
    ),
    "default": (
        BASE.replace(
            NEXT_OF_IDENTITE, NEXT_OF_IDENTITE + '        when: mode != "courrier"  # sinon\n'
        ),
        "always-true-condition",
        "default",
    ),
    "add-default": (
        BASE.replace(
            NEXT_OF_IDENTITE, NEXT_OF_IDENTITE + '        when: mode == "courriel" and age > 30\n'
        ),
        "dead-end",
        "add-default",
    ),
    "remove-step": (
        BASE.replace(
            "outcomes:",
            "  orphelin:  # plus utilisé\n"
            "    title: {fr: Orphelin, en: Orphan}\n"
            "    questions: {}\n    next:\n      - goto: envoi\n\n"
            "outcomes:",
        ),
        "unreachable",
        "remove-step",
    ),
}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    folder = tmp_path / "journeys"
    folder.mkdir()
    (folder / "usage.yaml").write_text(BASE, encoding="utf-8")
    c = TestClient(create_studio_app(folder, TOKEN))
    c.cookies.set("parcours_studio", TOKEN)
    return c


def _csrf(client: TestClient) -> str:
    html = client.get("/edit/usage.yaml").text
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _findings(text: str) -> list[dict[str, Any]]:
    loaded = check_text(text, "usage.yaml")
    return list(diagnose(text, "usage.yaml", loaded, rule_url=str)["findings"])


def _apply(text: str, change: dict[str, Any]) -> str:
    lines = text.split("\n")
    at = sum(len(line) + 1 for line in lines[: change["line"] - 1]) + change["column"] - 1
    return text[:at] + change["text"] + text[at + change["length"] :]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_fix_is_offered_applied_and_the_text_checked_again(
    client: TestClient, name: str
) -> None:
    text, rule, kind = VARIANTS[name]
    assert text != BASE
    assert _findings(BASE) == []
    [finding] = _findings(text)
    assert finding["rule"] == rule
    fix = next(f for f in finding["fixes"] if f.get("kind") == kind)
    response = client.post(
        "/-/fix",
        json={"path": "usage.yaml", "text": text, "fix": fix},
        headers={"x-csrf-token": _csrf(client)},
    )
    assert response.status_code == 200, response.text
    fixed = _apply(text, response.json())
    after = _findings(fixed)
    assert not [f for f in after if f["rule"] == rule or f["severity"] == "error"], after
    # The rest of the file is as the designer wrote it, comments included (but the one
    # of the step removed).
    for line in text.splitlines():
        comment = line.partition("#")[2]
        if comment and "plus utilisé" not in comment:
            assert comment in fixed
    if name == "purpose":
        assert fixed == text.replace(
            "        # Le nom, pour le courrier.\n",
            "        # Le nom, pour le courrier.\n        purpose:\n"
            f"          fr: {PURPOSE_TODO['fr']}\n"
            f"          en: {PURPOSE_TODO['en']}\n",
        )
        assert response.json()["select"] == PURPOSE_TODO["fr"]
    elif name == "default":
        # The comment stays, at its column.
        assert re.sub(" +# sinon", "  # sinon", fixed) == BASE.replace(
            "      - goto: envoi\n\n  adresse", "      - goto: envoi  # sinon\n\n  adresse"
        )
    elif name == "add-default":
        assert fixed.replace(NEXT_OF_IDENTITE, "", 1).count("- goto: adresse\n") == 1
    else:
        assert "orphelin" not in fixed and fixed.replace("\n\n\n", "\n\n") == BASE


def test_a_fix_that_is_not_safe_is_not_offered_or_refused(client: TestClient) -> None:
    text = VARIANTS["remove-step"][0].replace(
        "  orphelin:",
        "  autre:\n    title: {fr: Autre, en: Other}\n    next: orphelin\n\n  orphelin:",
    )
    # The unreachable 'orphelin' is named by a goto: removing it is not offered.
    offered = {
        f["message"].split("'")[1]: f["fixes"]
        for f in _findings(text)
        if f["rule"] == "unreachable"
    }
    assert offered["orphelin"] == [] and offered["autre"][0]["kind"] == "remove-step"
    csrf = _csrf(client)
    refused = client.post(
        "/-/fix",
        headers={"x-csrf-token": csrf},
        json={
            "path": "usage.yaml",
            "text": text,
            "fix": {"kind": "remove-step", "step": "orphelin"},
        },
    )
    assert refused.status_code == 422 and "'autre' goes to 'orphelin'" in refused.json()["error"]
    # A fix that would add an error: a default branch to a step that does not exist.
    worse = client.post(
        "/-/fix",
        headers={"x-csrf-token": csrf},
        json={
            "path": "usage.yaml",
            "text": VARIANTS["add-default"][0],
            "fix": {"kind": "add-default", "step": "identite", "target": "nulle_part"},
        },
    )
    assert worse.status_code == 422 and "would add an error" in worse.json()["error"]
    assert (
        client.post(
            "/-/fix", json={"path": "usage.yaml", "text": text, "fix": {"kind": "remove-step"}}
        ).status_code
        == 403
    )
    bad = client.post(
        "/-/fix",
        headers={"x-csrf-token": csrf},
        json={"path": "../x.yaml", "text": text, "fix": {}},
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("old", "new"),
    [("abc", "abc"), ("abc", "abXc"), ("a\nb\nc", "a\nc"), ("", "x\n"), ("x\ny", "x\ny\nz")],
)
def test_change_between_is_one_replacement(old: str, new: str) -> None:
    change = change_between(old, new).__dict__
    assert _apply(old, change) == new


def test_the_studio_folder_copy_is_untouched_by_fixes(client: TestClient, tmp_path: Path) -> None:
    text = VARIANTS["purpose"][0]
    client.post(
        "/-/fix",
        headers={"x-csrf-token": _csrf(client)},
        json={"path": "usage.yaml", "text": text, "fix": {"kind": "purpose", "question": "nom"}},
    )
    assert (tmp_path / "journeys" / "usage.yaml").read_text(encoding="utf-8") == BASE


def _form_page(client: TestClient, text: str) -> str:
    """The editor's plain form after "Vérifier" on ``text`` (no JavaScript)."""
    page = client.post("/edit/usage.yaml", data={"text": text, "action": "check",
                                                  "csrf_token": _csrf(client), "base": ""})
    assert page.status_code == 200
    return page.text


def _hidden(html_text: str, name: str) -> str:
    return html_text.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]


def _textarea(html_text: str) -> str:
    inner = html_text.split('name="text"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    return html.unescape(inner)


def _post_fix(client: TestClient, text: str, action: str, checked: str) -> Any:
    return client.post("/edit/usage.yaml", data={
        "text": text, "action": action, "checked": checked, "base": "",
        "csrf_token": _csrf(client)})


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_fix_works_without_javascript(client: TestClient, tmp_path: Path,
                                           name: str) -> None:
    text, rule, kind = VARIANTS[name]
    page = _form_page(client, text)
    [finding] = _findings(text)
    index = next(j for j, f in enumerate(finding["fixes"]) if f.get("kind") == kind)
    action = f"fix-0-{index}"
    assert f'form="editor-form" name="action" value="{action}"' in page
    # What the button gives is what the editor's script gives (POST /-/fix).
    expected = _apply(text, client.post(
        "/-/fix", json={"path": "usage.yaml", "text": text, "fix": finding["fixes"][index]},
        headers={"x-csrf-token": _csrf(client)}).json())
    done = _post_fix(client, text, action, _hidden(page, "checked"))
    assert done.status_code == 200, done.text
    assert "Correction faite dans le texte ci-dessus" in done.text
    assert _textarea(done.text) == expected
    assert not [f for f in _findings(expected) if f["rule"] == rule]
    # Not saved: the designer reviews it, then saves.
    assert (tmp_path / "journeys" / "usage.yaml").read_text(encoding="utf-8") == BASE


def test_a_word_fix_works_without_javascript(client: TestClient) -> None:
    text = BASE.replace("      - goto: envoi\n", "      - goto: envio\n", 1)
    page = _form_page(client, text)
    [finding] = [f for f in _findings(text) if f["rule"] == "unknown-target"]
    i = _findings(text).index(finding)
    # As a browser posts a textarea: lines end in CR LF.
    done = _post_fix(client, text.replace("\n", "\r\n"), f"fix-{i}-0", _hidden(page, "checked"))
    assert done.status_code == 200 and _textarea(done.text) == BASE


def test_a_fix_posted_for_another_text_or_that_does_not_exist_changes_nothing(
    client: TestClient,
) -> None:
    text = VARIANTS["purpose"][0]
    page = _form_page(client, text)
    checked = _hidden(page, "checked")
    edited = text + "# une note\n"
    stale = _post_fix(client, edited, "fix-0-0", checked)
    assert stale.status_code == 409 and "rien n&#39;a été corrigé" in stale.text
    assert _textarea(stale.text) == edited
    for action in ("fix-9-0", "fix-0-9", "fix--1-0", "fix-a-b", "fix-0", "fix-0-0-0"):
        unknown = _post_fix(client, text, action, checked)
        assert unknown.status_code == 400, action
        assert _textarea(unknown.text) == text
    forged = client.post("/edit/usage.yaml", data={"text": text, "action": "fix-0-0",
                                                    "checked": checked, "csrf_token": "x"})
    assert forged.status_code == 403

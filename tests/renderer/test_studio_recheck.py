"""The studio checks one pause's text once: /-/check and /-/figures, sent together by the
editor, share one check; a changed text, or a changed organisation file beside the
journey, is checked again."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from designer.loading import load_text
from renderer.studio import diagnostics
from renderer.studio.app import create_studio_app
from renderer.studio.diagnostics import check_text

ROOT = Path(__file__).resolve().parents[2]
VOIRIE = ROOT / "journeys" / "signalement-voirie.yaml"
TOKEN = "secret-token-for-tests"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "journeys"
    root.mkdir()
    shutil.copy(VOIRIE, root / "voirie.yaml")
    # Its routing names the services of the organisation file beside it.
    shutil.copy(VOIRIE.parent / "organisation.yaml", root / "organisation.yaml")
    return root


def _said(loaded: object) -> list[tuple[str, int, int, str]]:
    return [(f.rule, f.line, f.column, f.message) for f in loaded.findings]  # type: ignore[attr-defined]


def test_the_same_text_is_checked_once_and_a_changed_one_again(folder: Path) -> None:
    text = (folder / "voirie.yaml").read_text(encoding="utf-8")
    origin = folder / "voirie.yaml"
    first = check_text(text, "voirie.yaml", origin=origin)
    assert check_text(text, "voirie.yaml", origin=origin) is first
    # The structure alone is another check (no analysis), remembered apart.
    structure = check_text(text, "voirie.yaml", structure_only=True, origin=origin)
    assert structure is not first
    # (the readability advice keeps its measures on the journey: only the full check has)
    assert structure.journey is not None and first.journey is not None
    assert "readability" not in structure.journey.derived
    assert "readability" in first.journey.derived
    edited = text.replace("- goto: probleme", "- goto: problme", 1)
    again = check_text(edited, "voirie.yaml", origin=origin)
    assert again is not first
    assert any(f.rule == "unknown-target" for f in again.findings)
    # What is remembered is what a fresh check gives.
    assert _said(first) == _said(load_text(text, "voirie.yaml", origin=origin))


def test_a_changed_organisation_file_is_read_again(folder: Path) -> None:
    text = (folder / "voirie.yaml").read_text(encoding="utf-8")
    origin = folder / "voirie.yaml"
    before = check_text(text, "voirie.yaml", origin=origin)
    assert not any(f.rule == "unknown-service" for f in before.findings)
    (folder / "organisation.yaml").unlink()
    after = check_text(text, "voirie.yaml", origin=origin)
    assert after is not before
    assert any(f.rule == "unknown-service" for f in after.findings)


def test_only_the_last_few_checks_are_kept(folder: Path) -> None:
    text = (folder / "voirie.yaml").read_text(encoding="utf-8")
    origin = folder / "voirie.yaml"
    first = check_text(text, "voirie.yaml", structure_only=True, origin=origin)
    for i in range(diagnostics._Recent.SIZE):
        check_text(text + f"# {i}\n", "voirie.yaml", structure_only=True, origin=origin)
    assert check_text(text, "voirie.yaml", structure_only=True, origin=origin) is not first


def test_check_and_figures_of_one_pause_share_one_check(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = TestClient(create_studio_app(folder, TOKEN))
    client.cookies.set("parcours_studio", TOKEN)
    html = client.get("/edit/voirie.yaml").text
    csrf = html.split('data-csrf="', 1)[1].split('"', 1)[0]
    text = (folder / "voirie.yaml").read_text(encoding="utf-8") + "# une pause\n"
    checks: list[str] = []
    real = diagnostics.load_text

    def counted(*args: object, **kwargs: object) -> object:
        if kwargs.get("analyses") is None:
            checks.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(diagnostics, "load_text", counted)
    body = {"path": "voirie.yaml", "text": text}
    headers = {"x-csrf-token": csrf}
    results: list[int] = []

    def post(url: str) -> None:
        results.append(client.post(url, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=post, args=(url,)) for url in ("/-/check", "/-/figures")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == [200, 200]
    assert len(checks) == 1

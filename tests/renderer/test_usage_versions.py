"""Observed use split by journey version (docs/report.md, "Observed use"): citizens walk a
first version of a journey through the real application, the file changes (a page goes),
citizens walk the second; each version's use must be what was walked on it, beside its own
predictions, on SQLite and PostgreSQL, in `parcours report --usage` and the served reports.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from starlette.testclient import TestClient

from designer.cli import main
from designer.loading import load_journey
from designer.report.build import journey_report
from designer.report.counts import read_counts, read_versions
from designer.report.observed import with_usage
from designer.report.usage import Count
from designer.report.versions import MAX_VERSIONS, Version
from renderer.app import create_app

from .test_usage import _csrf, _post_page

FIRST = Path(__file__).parent / "data" / "usage.yaml"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json").read_text("utf-8")
)
#: The second version: no `adresse` page any more (the answer comes by e-mail or post alike).
SECOND = FIRST.read_text("utf-8").replace(
    '''      - goto: adresse
        when: mode == "courrier"
      - goto: envoi

  adresse:
    title: {fr: Votre adresse, en: Your address}
    questions:
      rue:
        type: text
        label: {fr: Numéro et rue, en: Street}
        purpose: {fr: Vous écrire., en: To write to you.}
    next:
''', "")

#: What each citizen does: refused at the first page, leaves at `identite`, sends by e-mail,
#: by post (through `adresse` in the first version), leaves at `adresse`.
FIRST_WALKS = ["refus", "refus", "part", "courriel", "courriel", "courrier", "courrier",
               "courrier", "quitte-adresse"]
SECOND_WALKS = ["refus", "part", "part", "courriel", "courriel", "courrier"]


def _walk(client: TestClient, plan: str, has_adresse: bool) -> None:
    client.cookies.clear()
    start = client.get("/usage/")
    page = client.post("/usage/start", data={"csrf_token": _csrf(start.text)},
                       follow_redirects=True)
    page = _post_page(client, "/usage/q/eligibilite", page.text,
                      {"resident": "no" if plan == "refus" else "yes"})
    if plan in ("refus", "part"):
        return
    mode = "courriel" if plan == "courriel" else "courrier"
    page = _post_page(client, "/usage/q/identite", page.text,
                      {"nom": "Martin", "age": "40", "mode": mode})
    if has_adresse and mode == "courrier":
        if plan == "quitte-adresse":
            return
        page = _post_page(client, "/usage/q/adresse", page.text, {"rue": "1 rue Haute"})
    done = client.post("/usage/check", data={"csrf_token": _csrf(page.text)},
                       follow_redirects=True)
    assert "data-reference" in done.text


def _serve(file: Path, url: str, walks: list[str], has_adresse: bool) -> TestClient:
    # The server shows counts from 1, as the command below is asked to.
    client = TestClient(create_app([file], db_url=url, usage_threshold=1))
    for plan in walks:
        _walk(client, plan, has_adresse)
    client.app.state.parcours.usage.flush()  # type: ignore[attr-defined]
    return client


def _report(file: Path, url: str, capsys: pytest.CaptureFixture[str], fmt: str = "json") -> Any:
    capsys.readouterr()
    assert main(["report", str(file), "--usage", url, "--threshold", "1", "--format", fmt]) == 0
    out = capsys.readouterr().out
    return json.loads(out) if fmt == "json" else out


@pytest.fixture
def two_versions(db_url: str, tmp_path: Path) -> tuple[Path, Path, TestClient]:
    """The first version served and walked, then the second (same file, changed)."""
    file = tmp_path / "usage.yaml"
    file.write_text(FIRST.read_text("utf-8"), "utf-8")
    first = tmp_path / "first.yaml"  # the first version's text, to report it on its own
    first.write_text(FIRST.read_text("utf-8"), "utf-8")
    _serve(file, db_url, FIRST_WALKS, has_adresse=True)
    file.write_text(SECOND, "utf-8")
    return file, first, _serve(file, db_url, SECOND_WALKS, has_adresse=False)


def test_each_version_beside_its_own_predictions(two_versions, db_url, capsys) -> None:
    file, first, client = two_versions
    report = _report(file, db_url, capsys)
    jsonschema.validate(report, SCHEMA)
    after, before = report["usage_by_version"]["versions"]
    assert after["current"] and not before["current"]
    assert before["first_served"] < after["first_served"]  # latest first
    assert after["own_text"] and before["own_text"] and report["usage_by_version"]["left_out"] == 0
    # Each version's counts alone, on its own pages: `adresse` exists only in the first.
    assert (before["usage"]["starts"], after["usage"]["starts"]) == (9, 6)
    assert (before["usage"]["submitted"], after["usage"]["submitted"]) == (5, 3)
    assert report["usage"]["starts"] == 15 and report["usage"]["versions"] == 2
    pages = {v["version"]: {f["step"]: f for f in v["usage"]["funnel"]} for v in (after, before)}
    assert "adresse" not in pages[after["version"]]
    adresse = pages[before["version"]]["adresse"]
    assert (adresse["arrived"], adresse["sent"], adresse["lost"]) == (4, 3, 1)
    identite = pages[after["version"]]["identite"]
    assert (identite["arrived"], identite["lost"]) == (5, 2)
    assert (after["pages_added"], after["pages_removed"]) == ([], ["adresse"])
    # The dossiers of each version, by the version they were sent on.
    assert [v["usage"]["response_times"]["dossiers"] for v in (after, before)] == [3, 5]
    assert report["usage"]["response_times"]["dossiers"] == 8
    # The predictions of each version are its own report's.
    assert after["predicted"]["minutes_median"] == report["submitted"]["minutes"]["median"]
    alone = _report(first, db_url, capsys)
    assert before["predicted"]["minutes_median"] == alone["submitted"]["minutes"]["median"]
    assert before["predicted"]["steps"] == 3 and after["predicted"]["steps"] == 2
    # One computation: the first version's figures are the same whichever version is reported.
    [same] = [v for v in alone["usage_by_version"]["versions"] if v["version"] == before["version"]]
    assert same["usage"] == before["usage"] and same["current"]
    # The served report gives what the command gives.
    served = client.get("/-/reports/usage.json").json()
    assert served["usage_by_version"] == report["usage_by_version"]
    page = client.get("/-/reports/usage").text
    assert "Version par version : avant, après" in page
    assert "retirée(s) : <code>adresse</code>" in page and "absente de cette version" in page
    assert client.get("/-/reports.json").json()["journeys"][0]["usage_by_version"] == (
        report["usage_by_version"])
    text = _report(file, db_url, capsys, "text")
    assert "by version, latest first" in text and "removed: adresse" in text


def test_no_usage_at_all(db_url, tmp_path, capsys) -> None:
    file = tmp_path / "usage.yaml"
    file.write_text(FIRST.read_text("utf-8"), "utf-8")
    client = _serve(file, db_url, [], has_adresse=True)
    report = _report(file, db_url, capsys)
    [only] = report["usage_by_version"]["versions"]
    assert only["current"] and only["usage"]["starts"] is None
    assert only["predicted"]["minutes_median"] == report["submitted"]["minutes"]["median"]
    assert "Aucune autre version" in _report(file, db_url, capsys, "html")
    # Nothing counted: the served report shows no use at all.
    assert client.get("/-/reports/usage.json").json()["usage_by_version"] is None


def test_use_of_a_version_no_longer_served(db_url, tmp_path, capsys) -> None:
    file = tmp_path / "usage.yaml"
    file.write_text(FIRST.read_text("utf-8"), "utf-8")
    _serve(file, db_url, FIRST_WALKS, has_adresse=True)
    file.write_text(SECOND, "utf-8")
    client = _serve(file, db_url, [], has_adresse=False)  # served, nobody came yet
    report = client.get("/-/reports/usage.json").json()
    now, gone = report["usage_by_version"]["versions"]
    assert now["current"] and now["usage"]["starts"] is None
    assert gone["usage"]["starts"] == 9 and not gone["current"] and gone["own_text"]
    # A file not served yet: first, not served here, with nothing observed.
    third = tmp_path / "third.yaml"
    third.write_text(SECOND.replace("Ville de Test", "Ville de Test bis"), "utf-8")
    # (A version served that nobody used is not listed: only the one reported and those
    # with counts are.)
    mine, old = _report(third, db_url, capsys)["usage_by_version"]["versions"]
    assert mine["current"] and mine["first_served"] is None and mine["usage"]["starts"] is None
    assert old["version"] == gone["version"] and old["usage"] == gone["usage"]


def test_a_version_whose_text_is_not_kept_is_matched_by_id(two_versions, db_url) -> None:
    file, _, _ = two_versions
    loaded = load_journey(file)
    assert loaded.journey is not None
    counts = read_counts(db_url, "usage")
    kept = read_versions(db_url, "usage")
    assert len(kept) == 2
    report = with_usage(loaded.journey, journey_report(loaded), counts, 1, versions=[])
    assert report.usage_by_version is not None
    after, before = report.usage_by_version.versions
    assert after.own_text and not before.own_text and before.predicted is None
    assert before.first_served is None
    # Matched to the reported version's pages, as the all-versions figures are.
    assert [f.step for f in before.usage.funnel] == ["eligibilite", "identite"]
    assert before.usage.starts == 9
    # No split asked (the studio): none made.
    bare = with_usage(loaded.journey, journey_report(loaded), counts, 1, versions=None)
    assert bare.usage_by_version is None and bare.usage == report.usage


def test_only_the_latest_versions_are_detailed() -> None:
    loaded = load_journey(FIRST)
    assert loaded.journey is not None
    old = [f"{i:064x}" for i in range(MAX_VERSIONS + 2)]
    counts = [Count(h, "eligibilite", "start", "", "fr", "en_ligne", 0, 3) for h in old]
    read: list[str] = []

    def text(h: str) -> None:
        read.append(h)  # the text is gone: matched by id
        return None

    kept = [Version(h, f"2026-11-{1 + i:02d}T00:00:00.000+00:00", partial(text, h))
            for i, h in enumerate(old)]
    report = with_usage(loaded.journey, journey_report(loaded), counts, 1, versions=kept)
    split = report.usage_by_version
    assert split is not None
    # Only the texts of the versions detailed are read, the latest ones.
    assert sorted(read) == sorted(v.version for v in split.versions if not v.current)
    assert read == old[::-1][:MAX_VERSIONS - 1]
    assert not any(v.own_text for v in split.versions if not v.current)
    assert len(split.versions) == MAX_VERSIONS and split.left_out == len(old) + 1 - MAX_VERSIONS
    # The version reported is always there, first (its date is unknown: not served here).
    assert split.versions[0].current and split.versions[0].usage.starts is None
    assert report.usage is not None and report.usage.starts == 3 * len(old)

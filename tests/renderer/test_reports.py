"""The auditor's reports served by `parcours serve` (docs/renderer.md, "Reports").

Read-only pages at /-/reports: the portfolio of every served journey and each journey's
report, as HTML and as the JSON of `parcours report`, of the version being served.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import shutil
import threading
from pathlib import Path

import jsonschema
import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from designer.cli import main as cli_main
from designer.organisation import journey_files
from designer.report import portfolio
from renderer import reports
from renderer.app import create_app
from renderer.reports import Shelf, report_csp

from .conftest import JOURNEYS

DEMO = Path(__file__).parent / "data" / "demo.yaml"
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json").read_text("utf-8")
)
EXAMPLES = sorted(journey_files([JOURNEYS]))


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    """What `parcours report --format json ARGS` prints."""
    capsys.readouterr()
    assert cli_main(["report", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def minutes(x: float) -> str:
    """A number as the HTML report writes it (French decimal comma)."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}".replace(".", ",")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the demo journey and a journey that has an error (not served)."""
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    shutil.copy(DEMO, journeys / "demo.yaml")
    broken = DEMO.read_text("utf-8").replace("id: demo", "id: cassee")
    (journeys / "cassee.yaml").write_text(broken.replace("start: identite", "start: nulle-part"),
                                          "utf-8")
    return journeys


# -- what the pages show ------------------------------------------------------------------------


def test_portfolio_lists_every_served_journey_ranked_as_the_command(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    page = client.get("/-/reports")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    served = client.app.state.parcours.catalog.entries  # type: ignore[attr-defined]
    assert len(served) == len(EXAMPLES)
    for entry in served.values():
        assert f'id="j-{entry.id}"' in page.text
        assert str(escape(entry.journey.text(entry.journey.model.title, "fr"))) in page.text
    data = client.get("/-/reports.json").json()
    jsonschema.validate(data, SCHEMA)
    assert sorted(j["journey"] for j in data["journeys"]) == sorted(served)
    # The portfolio `parcours report` gives on the files served: same ranking, same figures.
    # (`parcours report journeys/` also reads subfolders, which `parcours serve` does not,
    # and reports journeys with errors, which are not served: the files are named here.)
    expected = cli_json(capsys, *(entry.file for entry in served.values()))
    assert data["folder"] == str(JOURNEYS)
    assert {**data, "folder": ""} == {**expected, "folder": ""}
    # The trailing slash is forgiven.
    assert client.get("/-/reports/").url.path == "/-/reports"
    # Each journey links to its own served report, in the portfolio's language, which is there.
    for entry in served.values():
        link = f'href="/-/reports/{entry.id}?lang=fr"'
        assert link in page.text
        assert client.get(f"/-/reports/{entry.id}?lang=fr").status_code == 200


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_journey_json_is_what_the_command_gives(
    client: TestClient, capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    r = client.get(f"/-/reports/{path.stem}.json")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    data = r.json()
    jsonschema.validate(data, SCHEMA)
    # Served from the same path as given to the command: nothing differs, `file` included.
    assert data == cli_json(capsys, str(path))
    english = client.get(f"/-/reports/{path.stem}.json?lang=en").json()
    assert english == cli_json(capsys, str(path), "--lang", "en")
    assert english["title"] != data["title"]


def test_journey_html_report(client: TestClient) -> None:
    data = client.get("/-/reports/signalement-voirie.json").json()
    page = client.get("/-/reports/signalement-voirie")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.text.startswith("<!DOCTYPE html>")
    assert f"<h1>{escape(data['title'])}</h1>" in page.text
    assert f"{minutes(data['submitted']['minutes']['median'])} min" in page.text
    assert "<svg" in page.text  # the step graph, inline
    # HEAD answers like GET, without a body.
    head = client.head("/-/reports/signalement-voirie")
    assert head.status_code == 200 and head.headers["content-type"].startswith("text/html")


def test_language_follows_lang_and_falls_back_to_the_journeys_first(folder: Path,
                                                                      tmp_path: Path) -> None:
    text = (folder / "demo.yaml").read_text("utf-8")
    (folder / "demo.yaml").write_text(text.replace("languages: [fr, en]", "languages: [fr]"),
                                      "utf-8")
    client = TestClient(create_app(folder, db_url=f"sqlite:///{tmp_path / 'p.db'}"))
    english_asked = client.get("/-/reports/demo.json?lang=en").json()
    assert english_asked["title"] == "Démarche de démonstration"
    assert english_asked == client.get("/-/reports/demo.json").json()


# -- read-only, and refused when there is nothing to show -----------------------------------------


def test_unknown_and_refused_journeys_have_no_report(folder: Path, tmp_path: Path) -> None:
    app = create_app(folder, db_url=f"sqlite:///{tmp_path / 'p.db'}")
    assert [r.file for r in app.state.parcours.catalog.refused] == [str(folder / "cassee.yaml")]
    client = TestClient(app)
    for url in ("/-/reports/nope", "/-/reports/nope.json", "/-/reports/cassee",
                "/-/reports/cassee.json", "/-/reports/demo/extra"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "Page introuvable" in r.text and "Traceback" not in r.text
    portfolio = client.get("/-/reports.json").json()
    assert [j["journey"] for j in portfolio["journeys"]] == ["demo"]
    assert 'id="j-cassee"' not in client.get("/-/reports").text


def test_read_only_get_and_head(client: TestClient) -> None:
    for url in ("/-/reports", "/-/reports.json", "/-/reports/signalement-voirie",
                "/-/reports/signalement-voirie.json"):
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = client.request(method, url)
            assert r.status_code == 405, (method, url)
            assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD"}
            assert "Traceback" not in r.text


def test_report_pages_allow_no_script_and_only_their_own_styles(client: TestClient) -> None:
    for url in ("/-/reports", "/-/reports/signalement-voirie"):
        page = client.get(url)
        csp = page.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'none'" and directives["default-src"] == "'none'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["frame-ancestors"] == "'none'"
        for style in re.findall(r"<style>(.*?)</style>", page.text, flags=re.S):
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in directives["style-src"]
        assert "<script" not in page.text
        assert page.headers["x-content-type-options"] == "nosniff"
    # The citizen pages keep their own policy.
    assert "style-src 'self'" in client.get("/").headers["content-security-policy"]


def test_report_csp_hashes_style_elements_and_attributes() -> None:
    html = ('<html><head><style>b{color:red}</style></head>'
            '<body><svg style="max-width:100%"></svg><p style="a&amp;b">x</p></body></html>')

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    csp = report_csp(html)
    style_src = dict(d.strip().split(" ", 1) for d in csp.split(";"))["style-src"]
    assert style_src.split() == [sha("b{color:red}"), "'unsafe-hashes'",
                                 *sorted([sha("max-width:100%"), sha("a&b")])]
    assert "'unsafe-hashes'" not in report_csp("<style>b{}</style>")
    assert "style-src 'none'" in report_csp("<p>nothing inline</p>")


def test_report_pages_set_no_cookie_and_store_nothing(client: TestClient) -> None:
    store = client.app.state.parcours.store  # type: ignore[attr-defined]

    def sessions() -> int:
        return int(store._one("SELECT count(*) FROM sessions")[0])

    before = sessions()
    for url in ("/-/reports?lang=en", "/-/reports/signalement-voirie?lang=en",
                "/-/reports/signalement-voirie.json"):
        r = client.get(url)
        assert r.status_code == 200 and "set-cookie" not in r.headers
    assert sessions() == before
    assert client.get("/-/reports/nope").status_code == 404
    assert sessions() == before


def test_front_door_links_to_the_reports(client: TestClient) -> None:
    assert 'href="/-/reports?lang=fr" hreflang="fr">Rapports de complexité' in client.get("/").text
    assert 'href="/-/reports?lang=en"' in client.get("/?lang=en").text


def test_a_journey_called_reports_is_served_and_has_its_report(tmp_path: Path) -> None:
    journey = tmp_path / "reports.yaml"
    journey.write_text(DEMO.read_text("utf-8").replace("id: demo", "id: reports"), "utf-8")
    client = TestClient(create_app([journey], db_url=f"sqlite:///{tmp_path / 'p.db'}"))
    assert client.get("/reports/").status_code == 200  # the citizen's start page
    assert client.get("/-/reports/reports.json").json()["journey"] == "reports"
    assert client.get("/-/reports.json").json()["kind"] == "portfolio"


# -- one report per served version, built off the event loop ----------------------------------


def test_report_kept_per_version_and_rebuilt_after_a_reload(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[tuple[str, str]] = []
    real = reports.journey_report

    def counting(loaded, lang=None, catalogue=None):  # type: ignore[no-untyped-def]
        with pytest.raises(RuntimeError):
            asyncio.get_running_loop()  # in a worker thread, not on the event loop
        built.append((loaded.journey.id, lang))
        return real(loaded, lang, catalogue)

    monkeypatch.setattr(reports, "journey_report", counting)
    client = TestClient(create_app(folder, db_url=f"sqlite:///{tmp_path / 'p.db'}", reload=True))
    first = client.get("/-/reports/demo.json").json()
    assert client.get("/-/reports/demo").status_code == 200
    client.get("/-/reports")
    client.get("/-/reports/demo.json")
    assert built == [("demo", "fr")]  # one report, three renderings
    client.get("/-/reports/demo.json?lang=en")
    assert built == [("demo", "fr"), ("demo", "en")]
    # The designer publishes a new version: the next view shows it.
    text = (folder / "demo.yaml").read_text("utf-8")
    (folder / "demo.yaml").write_text(
        text.replace("Démarche de démonstration", "Démarche de démonstration (version 2)"), "utf-8"
    )
    second = client.get("/-/reports/demo.json").json()
    assert second["title"] == "Démarche de démonstration (version 2)" != first["title"]
    assert "version 2" in client.get("/-/reports").text
    assert built[-1] == ("demo", "fr") and len(built) == 3


def test_shelf_builds_a_missing_key_once_and_stays_bounded() -> None:
    shelf: Shelf[int] = Shelf(size=2)
    calls: list[str] = []
    release = threading.Event()

    def slow() -> int:
        calls.append("built")
        release.wait(5)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(shelf.get("k", slow)))
               for _ in range(4)]
    for th in threads:
        th.start()
    release.set()
    for th in threads:
        th.join(5)
    assert results == [42] * 4 and calls == ["built"]
    shelf.get("a", lambda: 1)
    shelf.get("b", lambda: 2)
    assert len(shelf) == 2
    assert shelf.get("k", lambda: 0) == 0  # evicted (least recently used), built again


def test_served_portfolio_is_the_portfolio_of_the_served_files(tmp_path: Path) -> None:
    """The portfolio served equals `portfolio.portfolio_report` on the same files."""
    files = [JOURNEYS / "signalement-voirie.yaml", DEMO]
    client = TestClient(create_app(files, db_url=f"sqlite:///{tmp_path / 'p.db'}"))
    served = client.get("/-/reports.json").json()
    expected = json.loads(portfolio.portfolio_report(", ".join(map(str, files)), files)
                          .model_dump_json())
    assert served == expected

"""The report: schema up to date, JSON keys dashboards rely on, text, HTML, CLI,
portfolio and the paper-replica comparison."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from markupsafe import escape

from designer.cli import main as cli_main
from designer.report import build, comparison, portfolio
from designer.report.formats import render
from designer.report.model import schema_text

from .conftest import FIXTURES, JOURNEYS, ROOT

SCHEMA_FILE = ROOT / "schemas" / "report.schema.json"
PAPER = FIXTURES / "stationnement-papier.yaml"
REDESIGN = FIXTURES / "stationnement-refonte.yaml"


def test_committed_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schemas/report.schema.json is stale: "
        "python -m designer.report.model > schemas/report.schema.json"
    )


def _get(data, dotted):
    for key in dotted.split("."):
        data = data[key]
    return data


REQUIRED_KEYS = [
    "journey", "paths.total", "paths.by_outcome", "paths.bounded", "questions.min",
    "questions.median", "questions.max", "pages.min", "pages.median", "pages.max",
    "minutes.min", "minutes.median", "minutes.max", "dlnuf.items", "dlnuf.level", "findings",
]  # fmt: skip


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_json_report_of_every_example(path):
    report = build.report_file(path)
    data = json.loads(render(report, "json"))
    for key in REQUIRED_KEYS:
        _get(data, key)  # raises KeyError when missing
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    # Parts of the report are built without a second validation (speed): validating the
    # whole must accept them and change nothing.
    again = type(report).model_validate(report.model_dump(), strict=True)
    assert again.model_dump() == report.model_dump()
    assert data["report_version"] == "1"
    assert data["dlnuf"]["level"] in ("optimal", "partial", "weak")
    assert data["questions"]["min"] <= data["questions"]["median"] <= data["questions"]["max"]
    assert data["minutes"]["min"] <= data["minutes"]["median"] <= data["minutes"]["max"]
    assert sum(data["paths"]["by_outcome"].values()) == data["paths"]["total"]


def test_findings_have_the_shape_of_check_json(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PAPER.read_text(encoding="utf-8"), encoding="utf-8")
    data = json.loads(render(build.report_file(bad), "json"))
    assert data["findings"]
    assert set(data["findings"][0]) == {
        "rule",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "step",
        "question",
    }
    assert any(f["rule"] == "unused-answer" for f in data["findings"])


def test_broken_journey_still_reports(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("parcours: 1\nid: x\n", encoding="utf-8")
    report = build.report_file(bad)
    assert not report.ok and report.paths is None and report.findings
    assert "not measured" in render(report, "text")
    assert "<html" in render(report, "html")


def test_paper_replica_against_redesign_shows_the_gain():
    c = comparison.comparison_report(PAPER, REDESIGN)
    assert (c.old.questions, c.new.questions) == (25, 8)
    assert (c.old.documents, c.new.documents) == (6, 1)
    assert (c.old.submitted_questions_median, c.new.submitted_questions_median) == (25, 8)
    assert (c.old.submitted_minutes_median, c.new.submitted_minutes_median) == (9.3, 2.5)
    assert c.minutes_saved_median == 6.8
    assert (c.old.dlnuf_items, c.old.dlnuf_level) == (6, "weak")
    assert (c.new.dlnuf_items, c.new.dlnuf_level) == (0, "optimal")
    assert len(c.documents_removed) == 6 and [d.id for d in c.documents_added] == ["attestation"]
    assert len(c.findings_introduced) == 0 and len(c.findings_fixed) >= 20
    text = render(c, "text")
    assert "minutes saved for the median citizen: 6.8" in text


def test_portfolio_ranks_and_finds_shared_concepts():
    p = portfolio.portfolio_report(FIXTURES, [PAPER, REDESIGN])
    assert [r.journey for r in p.by_minutes] == ["stationnement-papier", "stationnement-refonte"]
    assert p.by_findings[0].journey == "stationnement-papier"
    shared = {c.concept: c.journeys for c in p.shared_concepts}
    assert shared["identite.nom"] == ["stationnement-papier", "stationnement-refonte"]
    assert "vehicule.immatriculation" in shared


def test_dlnuf_share_of_median_run():
    paper = build.report_file(PAPER)
    assert paper.dlnuf.items == 6 and paper.dlnuf.share_of_median_run == 0.24  # 6 of 25
    assert build.report_file(REDESIGN).dlnuf.share_of_median_run == 0.0


def test_text_summary():
    text = render(build.report_file(REDESIGN), "text")
    assert "runs: 2 — hors_zone 1, envoi 1" in text  # exact: proved independent
    assert "questions answered:     1 / 1 / 8" in text
    assert "Dites-le-nous une fois" in text


def test_html_is_self_contained_and_structured():
    html = render(build.report_file(REDESIGN), "html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    # No network: no external script, stylesheet, image or font.
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert "url(http" not in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and '<title id="svg-title">' in html
    assert "si non à « Habitez-vous dans une rue où la carte résident est valable ? »" in html
    assert html.count('scope="col"') > 10
    # The summary comes first, before any detail section.
    assert html.index("En bref") < html.index("Situations et effort")
    assert 'name="viewport"' in html and "@media print" in html
    # The distribution chart has its figures as a table.
    assert "Part des situations selon le nombre de questions" in html
    assert "<summary>Les chiffres du graphique</summary>" in html


def run_cli(*args):
    try:
        return cli_main(list(args))
    except SystemExit as exc:  # argparse exits on bad options
        return exc.code


def test_cli_report_formats(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert run_cli("report", str(REDESIGN), "-o", str(out)) == 0
    assert json.loads(out.read_text())["journey"] == "stationnement-refonte"
    html = tmp_path / "r.html"
    assert run_cli("report", str(REDESIGN), "-o", str(html)) == 0
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert run_cli("report", str(REDESIGN), "--format", "text") == 0
    assert "Carte de stationnement résident" in capsys.readouterr().out


def test_cli_folder_and_diff(tmp_path, capsys):
    assert run_cli("report", str(FIXTURES), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "portfolio" and len(data["journeys"]) == 2
    assert run_cli("diff", str(PAPER), str(REDESIGN), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "comparison" and data["minutes_saved_median"] == 6.8
    assert run_cli("report", str(PAPER), str(REDESIGN)) == 0
    assert "→" in capsys.readouterr().out


def test_cli_missing_file(tmp_path, capsys):
    assert run_cli("report", str(tmp_path / "nope.yaml")) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_exit_status_one_on_errors(tmp_path, capsys):
    bad = tmp_path / "broken.yaml"
    bad.write_text("parcours: 1\nid: x\n", encoding="utf-8")
    assert run_cli("report", str(bad)) == 1


def test_diff_fails_when_the_new_version_has_errors(tmp_path, capsys):
    bad = tmp_path / "broken.yaml"
    bad.write_text("parcours: 1\nid: x\n", encoding="utf-8")
    assert run_cli("diff", str(REDESIGN), str(bad)) == 1
    assert run_cli("diff", str(bad), str(REDESIGN)) == 0
    assert "(–) →" in capsys.readouterr().out


def test_journey_texts_quoted_in_another_language_are_marked(tmp_path):
    # The report speaks French; an English journey text in it carries lang="en" (RGAA 8.7).
    path = next(p for p in JOURNEYS if p.stem == "aide-isolation")
    english = build.report_file(path, "en")
    assert english.lang == "en"
    page = render(english, "html")
    assert f'<h1><span lang="en">{escape(english.title)}</span></h1>' in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr"' in page
    french = build.report_file(path)
    assert french.lang == "fr"
    assert f"<h1>{escape(french.title)}</h1>" in render(french, "html")

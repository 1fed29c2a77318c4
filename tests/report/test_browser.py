"""The HTML reports in real Chromium: no axe-core violation, readable 360 pixels wide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.report import build, comparison, portfolio
from designer.report.formats import render

from .conftest import FIXTURES, ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm install)"),
]

PAPER = FIXTURES / "stationnement-papier.yaml"
REDESIGN = FIXTURES / "stationnement-refonte.yaml"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


USAGE_JOURNEY = ROOT / "tests" / "renderer" / "data" / "usage.yaml"


def _with_usage():
    """The report of a small journey with observed use (counts made up, as a server's)."""
    from designer.loading import load_journey
    from designer.report.observed import with_usage
    from designer.report.usage import Count

    loaded = load_journey(USAGE_JOURNEY)
    rows = [("eligibilite", "start", "", 0, 100), ("eligibilite", "sent", "", 0, 100),
            ("eligibilite", "time", "", 30, 100), ("eligibilite", "branch", "refus", 0, 20),
            ("eligibilite", "branch", "identite", 0, 80), ("identite", "sent", "", 0, 60),
            ("identite", "time", "", 120, 60), ("identite", "branch", "adresse", 0, 20),
            ("identite", "branch", "envoi", 0, 40), ("adresse", "sent", "", 0, 18),
            ("identite", "error", "age\tnumber-too-small\tSaisissez un nombre", 0, 12),
            ("envoi", "submit", "", 0, 55), ("envoi", "duration", "", 240, 55),
            ("envoi", "satisfaction", "good", 0, 30), ("envoi", "satisfaction", "bad", 0, 3)]
    counts = [Count("v1", s, k, d, "fr", "online", b, n) for s, k, d, b, n in rows]
    return with_usage(loaded.journey, build.journey_report(loaded), counts, 5)


def reports():
    yield "usage", _with_usage()
    yield "journey", build.report_file(REDESIGN)
    yield "paper", build.report_file(PAPER)
    yield "portfolio", portfolio.portfolio_report(FIXTURES, [PAPER, REDESIGN])
    yield "comparison", comparison.comparison_report(PAPER, REDESIGN)


@pytest.mark.parametrize("name", ["journey", "paper", "portfolio", "comparison", "usage"])
def test_no_axe_violation(browser, tmp_path, name):
    report = dict(reports())[name]
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(render(report, "html"), encoding="utf-8")
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
    page.close()


def test_readable_on_a_phone(browser, tmp_path):
    page_file = tmp_path / "phone.html"
    page_file.write_text(render(build.report_file(PAPER), "html"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(page_file.as_uri())
    # Nothing but the scrollable regions (wide tables, the picture) is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The one-screen summary starts within the first screen.
    top = page.evaluate("document.querySelector('.summary').getBoundingClientRect().top")
    assert top < 740
    font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 16
    shot = tmp_path / "phone.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 5000
    page.close()

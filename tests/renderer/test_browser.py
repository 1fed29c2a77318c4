"""Real Chromium, scripts on and off, and axe-core on every page type of every journey.

A live server (uvicorn in a thread, SQLite) serves the example journeys; Playwright drives
Debian's Chromium. The citizen fills only what it sees, clicks Continue and goes to the end;
axe-core runs on each new kind of page (front door, start, each question page and follow-up
part, an error page, check your answers, confirmation, receipt, exit, save, resume, 404) and
must find no violation of WCAG 2.1 A and AA.
"""

from __future__ import annotations

import datetime
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from designer.organisation import journey_files
from renderer.app import create_app

from .citizen import (
    NUMBERS,
    PDF,
    PNG,
    TEXT_CANDIDATES,
    TEXT_VALUES,
    Strategy,
    explore,
    walk,
)
from .conftest import JOURNEYS, pg_schema, served_journeys
from .screens import BUDGET, WIDTHS, overflowing, weight

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO = Path(__file__).parent / "data" / "demo.yaml"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is absent (apt-get install chromium)", allow_module_level=True)
if not AXE.exists():
    pytest.skip("node_modules/axe-core is absent (npm install)", allow_module_level=True)
AXE_SOURCE = AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, kind: str = "") -> list[str]:
    """The WCAG 2.1 A and AA violations axe-core finds on the page open in ``page``, each
    said with its rule, help and first elements (prefixed by ``kind`` when given): the one
    way every browser test runs axe-core. It waits for the page to have loaded first: after
    a click that navigates, the old document may be gone and the new one not there yet, and
    axe-core would read a null document (CI saw it once)."""
    page.wait_for_load_state("load")
    result = page.evaluate(
        "async ([src, tags]) => { if (!window.axe) { (0, eval)(src); }"
        " return await window.axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}); }",
        [AXE_SOURCE, AXE_TAGS],
    )
    prefix = f"{kind}: " if kind else f"{page.url}: "
    return [f"{prefix}{v['id']} ({v['impact']}): {v['help']} "
            f"{[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every browser test runs once on SQLite and once on PostgreSQL (a schema of its own)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('browser') / 'parcours.db'}"
        return
    with pg_schema("parcours_browser") as url:
        yield url


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[tuple[str, Any]]:
    """A live server on a loopback port for the example journeys and the demo journey."""
    import uvicorn

    files: list[str | Path] = [*sorted(journey_files([JOURNEYS])), DEMO]
    app = create_app(files, db_url=database)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Axe:
    """Runs axe-core once per kind of page and collects the violations.

    Scripts cannot run in a context that has them disabled, axe-core included: the page's
    DOM, exactly as rendered without scripts, is copied into a scripted page of its own
    (scripts of the copy removed) and axe-core checks that copy.
    """

    def __init__(self, browser: Any, base: str) -> None:
        self.seen: set[str] = set()
        self.violations: list[str] = []
        #: Small screens and large text (tests/renderer/screens.py), per kind of page.
        self.overflows: list[str] = []
        self.weights: dict[str, int] = {}
        self.pages = 0
        self.base = base
        self.context = browser.new_context(bypass_csp=True)
        self.copy = self.context.new_page()

    def close(self) -> None:
        self.context.close()

    def check(self, page: Any, kind: str) -> None:
        if kind in self.seen:
            return
        self.seen.add(kind)
        for width in WIDTHS:
            self.overflows += [f"{kind} at {width}px: {e}" for e in overflowing(page, width)]
        self.weights[kind] = weight(page)
        target = page
        if not _scripts_on(page):
            html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
            html = html.replace("<head>", f'<head><base href="{self.base}/">', 1)
            self.copy.set_content(html, wait_until="load")
            target = self.copy
        self.violations += axe_violations(target, kind)
        self.pages += 1


def _scripts_on(page: Any) -> bool:
    return bool(getattr(page.context, "_parcours_scripts", True))


def _kind(url: str) -> str:
    path = url.split("://", 1)[1].split("/", 1)[1]
    return "/" + path


def _visible_controls(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-question]'))
        .filter(w => w.offsetParent !== null || w.getClientRects().length > 0)
        .map(w => ({name: w.dataset.name, type: w.dataset.type, question: w.dataset.question,
                    options: Array.from(w.querySelectorAll(
                                 'input[type=radio], input[type=checkbox], option'))
                               .filter(o => o.value && o.closest('[data-question]') === w)
                               .map(o => o.value),
                    accept: (w.querySelector('input[type=file]') || {}).accept || '',
                    count: +((w.querySelector('input[name$="-count"]') || {}).value || 0)}))""")


def _fill(page: Any, strategy: Strategy, attempts: dict[str, int], today: datetime.date,
          done: set[str]) -> str | None:
    """Fill the visible controls not yet filled; return a repeat "add" button to press."""
    for c in _visible_controls(page):
        name, kind, tried = c["name"], c["type"], attempts.get(c["name"], 0)
        if name in done:
            continue
        done.add(name)
        if kind == "repeat":
            if c["count"] < strategy.items:
                return f"button[value='add:{name}']"
            continue
        if kind in ("yesno", "choice", "multichoice") and c["options"]:
            options = c["options"] if kind != "yesno" else ["yes", "no"]
            value = strategy.pick(c["question"], options)
            if page.locator(f"select[name='{name}']").count():
                page.select_option(f"select[name='{name}']", value)
            else:
                page.check(f"input[name='{name}'][value='{value}']")
        elif kind in ("integer", "decimal"):
            first = NUMBERS.index(strategy.pick(c["question"], NUMBERS))
            page.fill(f"[name='{name}']", NUMBERS[(first + tried) % len(NUMBERS)])
        elif kind == "text":
            page.fill(f"[name='{name}']", TEXT_CANDIDATES[tried] if tried < len(TEXT_CANDIDATES)
                      else "")
        elif kind == "date":
            # As tests/renderer/citizen.py: recent, an adult's, a teenager's, an older person's.
            dates = [today - datetime.timedelta(days=10), datetime.date(1985, 5, 12),
                     datetime.date(today.year - 14, 6, 1), datetime.date(1950, 3, 1)]
            first = dates.index(strategy.pick(c["question"], dates))
            d = dates[(first + tried) % len(dates)]
            page.fill(f"[name='{name}-day']", str(d.day))
            page.fill(f"[name='{name}-month']", str(d.month))
            page.fill(f"[name='{name}-year']", str(d.year))
        elif kind == "address":
            page.fill(f"[name='{name}-street']", "1 rue Nationale")
            page.fill(f"[name='{name}-postcode']", "37000")
            page.fill(f"[name='{name}-commune']", "Tours")
        elif kind == "file":
            pdf = "pdf" in c["accept"]
            page.set_input_files(f"[name='{name}']", files=[{
                "name": "piece.pdf" if pdf else "photo.png",
                "mimeType": "application/pdf" if pdf else "image/png",
                "buffer": PDF if pdf else PNG}])
        elif kind in TEXT_VALUES:
            page.fill(f"[name='{name}']", TEXT_VALUES[kind])
    return None


def browser_walk(page: Any, base: str, journey: str, strategy: Strategy, axe: Axe,
                 scripts: bool) -> str:
    """Walk a journey in the browser; return the reference number, or the exit's id."""
    today = datetime.date.today()
    page.goto(f"{base}/{journey}/")
    axe.check(page, f"{journey} start")
    page.click("button.pc-button--start")
    attempts: dict[str, int] = {}
    for _ in range(60):
        url = page.url
        if "/end/" in url:
            axe.check(page, f"{journey} exit {_kind(url)}")
            return url.rsplit("/", 1)[-1]
        if url.endswith("/check"):
            axe.check(page, f"{journey} check")
            page.click("button[data-prevent-double-click]")
            page.wait_for_url("**/confirmation")
            axe.check(page, f"{journey} confirmation")
            reference = page.get_attribute("[data-reference]", "data-reference")
            page.click("a[href$='/receipt']")
            axe.check(page, f"{journey} receipt")
            return str(reference)
        errors = page.locator("[data-error-summary]").count()
        axe.check(page, f"{journey} {'error ' if errors else ''}{_kind(url)} js={scripts}")
        if errors:
            for error_id in page.eval_on_selector_all(
                ".pc-error-message", "els => els.map(e => e.id.slice(0, -6))"
            ):
                attempts[error_id] = attempts.get(error_id, 0) + 1
                assert attempts[error_id] <= len(TEXT_CANDIDATES) + 1, page.content()[:3000]
        done: set[str] = set()
        add = None
        for _round in range(6):  # scripts reveal questions as we answer: fill until stable
            add = _fill(page, strategy, attempts, today, done)
            if add or not scripts:
                break
        if add:
            page.click(add)
        else:
            page.click("button[data-continue]")
        page.wait_for_load_state()
    raise AssertionError(f"{journey}: no end reached")


_PLANS: dict[str, list[dict[str, Any]]] = {}


def _plans(app: Any, journey: str) -> list[dict[str, Any]]:
    """Answers (overrides) that send a dossier, then answers that end elsewhere, found
    quickly over HTTP and replayed in the browser."""
    if journey not in _PLANS:
        today = datetime.date.today()
        plans: list[tuple[bool, dict[str, Any]]] = []

        def once(strategy: Strategy) -> Any:
            with TestClient(app) as client:
                result = walk(client, journey, strategy, today)
            plans.append((bool(result.reference), dict(strategy.overrides)))
            return result

        explore(once)
        sent = [p for ok, p in plans if ok][:1]
        other = [p for ok, p in plans if p not in sent][:1]
        _PLANS[journey] = sent + other
    return _PLANS[journey]


@pytest.mark.parametrize("scripts", [False, True], ids=["scripts-off", "scripts-on"])
def test_every_journey_in_chromium_with_axe(server: tuple[str, Any], browser: Any,
                                            scripts: bool) -> None:
    base, app = server
    axe = Axe(browser, base)
    context = browser.new_context(java_script_enabled=scripts, bypass_csp=True)
    context._parcours_scripts = scripts  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base + "/")
    axe.check(page, "front door")
    page.goto(base + "/?q=cantine")
    axe.check(page, "front door search")
    page.goto(base + "/nope/")
    axe.check(page, "404")
    # The auditor's reports, as served.
    page.goto(base + "/-/reports")
    axe.check(page, "reports portfolio")
    page.goto(base + "/-/reports/demo")
    axe.check(page, "report")
    ends: dict[str, list[str]] = {}
    for journey in served_journeys():
        plans = _plans(app, journey)
        # Scripts off: every kind of page of every journey. On: the way to a dossier.
        for overrides in plans if not scripts else plans[:1]:
            ends.setdefault(journey, []).append(
                browser_walk(page, base, journey, Strategy(overrides=overrides), axe, scripts))
    # Save and resume pages.
    page.goto(f"{base}/demo/")
    page.click("button.pc-button--start")
    page.click("button[value='save']")
    axe.check(page, "saved")
    code = page.get_attribute("[data-resume-code]", "data-resume-code")
    page.goto(f"{base}/demo/resume")
    page.fill("#code", "WRONG")
    page.click("form button.pc-button")
    axe.check(page, "resume error")
    page.fill("#code", str(code))
    page.click("form button.pc-button")
    assert page.url.endswith("/demo/q/identite")
    page.goto(f"{base}/demo/q/identite?lang=en")
    axe.check(page, "english page")
    context.close()
    axe.close()
    assert not axe.violations, "\n".join(axe.violations)
    assert not axe.overflows, "\n".join(axe.overflows)
    heavy = {k: w for k, w in axe.weights.items() if w > BUDGET}
    assert not heavy, heavy
    for journey, results in ends.items():
        assert any(len(r) == 9 and r[4] == "-" for r in results), (journey, results)
    assert axe.pages >= 20


def test_scripts_reveal_in_place_and_server_agrees(server: tuple[str, Any],
                                                   browser: Any) -> None:
    base, app = server
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/demo/")
    page.click("button.pc-button--start")
    date = page.locator("[data-name='naissance']")
    assert date.is_hidden()
    page.fill("[name='nom']", "Martin")
    page.check("input[name='majeur'][value='yes']")
    assert date.is_visible()  # revealed in place, no reload
    page.check("input[name='majeur'][value='no']")
    assert date.is_hidden()
    page.check("input[name='majeur'][value='yes']")
    page.fill("[name='naissance-day']", "12")
    page.fill("[name='naissance-month']", "5")
    page.fill("[name='naissance-year']", "1985")
    page.click("button[data-continue]")
    page.wait_for_url("**/demo/q/details")
    # Inside a repeat item: the card number shows when the item's own answer says so.
    page.click("button[value='add:personnes']")
    card = page.locator("[data-name='personnes-0-carte']")
    assert card.is_hidden()
    page.check("input[name='personnes-0-handicap'][value='yes']")
    assert card.is_visible()
    # An error is shown with its summary focused, and the answers are kept.
    page.fill("[name='pieces']", "99")
    page.click("button[data-continue]")
    assert page.locator("[data-error-summary]").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.input_value("[name='pieces']") == "99"
    context.close()


def test_scripts_off_follow_up_pages(server: tuple[str, Any], browser: Any) -> None:
    base, _app = server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/demo/")
    page.click("button.pc-button--start")
    assert page.locator("[data-name='naissance']").is_hidden()
    page.fill("[name='nom']", "Martin")
    page.check("input[name='majeur'][value='yes']")
    page.click("button[data-continue]")
    assert page.url.endswith("/demo/q/identite?part=1")
    assert page.locator("[name='naissance-day']").is_visible()
    page.click("a.pc-back-link")
    assert page.input_value("[name='nom']") == "Martin"
    context.close()


def test_served_reports_keep_their_styles_under_their_csp(server: tuple[str, Any],
                                                          browser: Any) -> None:
    """The report pages' policy (no script, only their own inline styles, by hash) lets
    Chromium apply every style of the page and blocks nothing."""
    base, _app = server
    context = browser.new_context()  # the page's own Content-Security-Policy applies
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(base + "/")
    page.click("footer a[href^='/-/reports']")
    assert page.url == f"{base}/-/reports?lang=fr"
    assert page.locator("h1").inner_text() == "Portefeuille de démarches"
    # The report's stylesheet applies: <main> is bounded in width (default: none).
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") != "none"
    page.goto(base + "/-/reports/acte-etat-civil")
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") != "none"
    # A style attribute (the chart's) applies too.
    assert page.evaluate("getComputedStyle(document.querySelector('svg[style]')).maxWidth") \
        == "100%"
    assert blocked == []
    context.close()

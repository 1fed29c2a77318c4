"""Aggregate usage counts, as citizens produce them through the real application.

Simulated traffic walks many citizens along weighted paths (with abandonments, errors and
the satisfaction question); the report's observed funnel, branch shares, errors and
satisfaction must be what the simulation drew (the counts are exact) and its shares must
lie within sampling error of the probabilities drawn from. Privacy: nothing stored names a
session, a draft, an address or an answer, and no count under the threshold is shown.
"""

from __future__ import annotations

import json
import math
import random
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from designer.cli import main
from designer.report.usage import BUCKETS, Suppress, bucket_of, percentile
from renderer.app import create_app
from renderer.security import COOKIE

JOURNEY = Path(__file__).parent / "data" / "usage.yaml"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SHOWN = re.compile(r'name="_shown" value="([^"]+)"')

#: The probabilities the simulation draws from.
P_RESIDENT, P_LEAVE_IDENTITE, P_ERROR, P_COURRIER, P_LEAVE_ADRESSE, P_FEEDBACK = (
    0.8, 0.15, 0.3, 0.35, 0.2, 0.6)
#: Free texts that must never reach the counters.
SECRET_NAME, SECRET_STREET = "Zyxwvutsrq-Unique", "12 rue du Secret-Bien-Gardé"


@dataclass
class Drawn:
    """What the simulation did, citizen by citizen, summed."""

    n: Counter[str] = field(default_factory=Counter)


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _post_page(client: TestClient, path: str, html: str, data: dict[str, str]) -> Any:
    shown = SHOWN.search(html)
    form = {"csrf_token": _csrf(html), **data}
    if shown:
        form["_shown"] = shown.group(1)
    return client.post(path, data=form, follow_redirects=True)


def walk(client: TestClient, rng: random.Random, drawn: Drawn) -> None:
    """One citizen, from the start page to an outcome or giving up on the way (the counts
    kept in memory are written at the end, as a second's wait would)."""
    try:
        _walk(client, rng, drawn)
    finally:
        client.app.state.parcours.usage.flush()  # type: ignore[attr-defined]


def _walk(client: TestClient, rng: random.Random, drawn: Drawn) -> None:
    client.cookies.clear()
    start = client.get("/usage/")
    page = client.post("/usage/start", data={"csrf_token": _csrf(start.text)},
                       follow_redirects=True)
    drawn.n["start"] += 1
    resident = rng.random() < P_RESIDENT
    page = _post_page(client, "/usage/q/eligibilite", page.text,
                      {"resident": "yes" if resident else "no"})
    if not resident:
        drawn.n["refus"] += 1
        assert "ne vous concerne pas" in page.text
        return
    drawn.n["identite"] += 1
    if rng.random() < P_LEAVE_IDENTITE:
        drawn.n["left identite"] += 1
        return
    courrier = rng.random() < P_COURRIER
    answers = {"nom": SECRET_NAME, "age": "34", "mode": "courrier" if courrier else "courriel"}
    if rng.random() < P_ERROR:
        drawn.n["age error"] += 1
        refused = _post_page(client, "/usage/q/identite", page.text, {**answers, "age": "12"})
        assert refused.status_code == 422
        page = refused
    page = _post_page(client, "/usage/q/identite", page.text, answers)
    if courrier:
        drawn.n["adresse"] += 1
        if rng.random() < P_LEAVE_ADRESSE:
            drawn.n["left adresse"] += 1
            return
        page = _post_page(client, "/usage/q/adresse", page.text, {"rue": SECRET_STREET})
    drawn.n["check"] += 1
    done = client.post("/usage/check", data={"csrf_token": _csrf(page.text)},
                       follow_redirects=True)
    assert "data-reference" in done.text
    drawn.n["sent"] += 1
    if rng.random() < P_FEEDBACK:
        level = rng.choices(["good", "average", "bad"], [6, 3, 1])[0]
        helped = rng.choice(["yes", "no"])
        drawn.n[f"level {level}"] += 1
        drawn.n[f"help {helped}"] += 1
        thanks = client.post("/usage/feedback", data={
            "csrf_token": _csrf(done.text), "satisfaction": level, "help": helped,
        }, follow_redirects=True)
        assert "Merci pour votre avis" in thanks.text


CITIZENS = 240


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Drawn, TestClient]:
    """CITIZENS citizens walked through the real application (SQLite)."""
    db = tmp_path_factory.mktemp("usage") / "parcours.db"
    url = f"sqlite:///{db}"
    client = TestClient(create_app([JOURNEY], db_url=url))
    rng = random.Random(18)
    drawn = Drawn()
    for _ in range(CITIZENS):
        walk(client, rng, drawn)
    return url, drawn, client


def _report(url: str, *extra: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code = main(["report", str(JOURNEY), "--usage", url, "--format", "json", *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)  # type: ignore[no-any-return]


def _within(observed: float | None, p: float, n: int) -> None:
    """Within four standard errors of the probability drawn from."""
    assert observed is not None
    assert abs(observed - p) <= 4 * math.sqrt(p * (1 - p) / n) + 1e-4, (observed, p, n)


def test_observed_funnel_and_branches_are_what_was_drawn(simulated, capsys) -> None:
    url, drawn, _ = simulated
    u = _report(url, capsys=capsys)["usage"]
    n = drawn.n
    assert u["starts"] == CITIZENS and u["submitted"] == n["sent"]
    assert u["start_page_views"] == CITIZENS  # one start page load per simulated citizen
    assert u["completion_rate"] == pytest.approx(n["sent"] / CITIZENS, abs=1e-4)
    funnel = {f["step"]: f for f in u["funnel"]}
    assert funnel["eligibilite"]["arrived"] == CITIZENS == funnel["eligibilite"]["sent"]
    assert funnel["identite"]["arrived"] == n["identite"]
    assert funnel["identite"]["lost"] == n["left identite"]
    assert funnel["adresse"]["arrived"] == n["adresse"]
    assert funnel["adresse"]["lost"] == n["left adresse"]
    _within(funnel["identite"]["lost_share"], P_LEAVE_IDENTITE, n["identite"])
    branches = {(b["step"], b["target"]): b for b in u["branches"]}
    assert branches[("eligibilite", "refus")]["count"] == n["refus"]
    _within(branches[("eligibilite", "identite")]["share"], P_RESIDENT, CITIZENS)
    sent_identite = n["identite"] - n["left identite"]
    _within(branches[("identite", "adresse")]["share"], P_COURRIER, sent_identite)
    assert branches[("eligibilite", "refus")]["predicted_share"] == 0.5
    outcomes = {o["outcome"]: o for o in u["outcomes"]}
    assert outcomes["refus"]["reached"] == n["refus"]
    assert outcomes["envoi"]["reached"] == n["check"]
    assert outcomes["envoi"]["sent"] == n["sent"]
    # Re-weighted by the observed shares, fewer pages than with equal branches (80 % go on).
    assert u["expected_pages_observed"] != u["expected_pages_uniform"]


def test_errors_satisfaction_channels_and_hotspots(simulated, capsys) -> None:
    url, drawn, _ = simulated
    u = _report(url, capsys=capsys)["usage"]
    n = drawn.n
    [error] = u["errors"]
    assert (error["question"], error["code"], error["count"]) == (
        "age", "number-too-small", n["age error"])
    assert error["message"] == "Saisissez un nombre supérieur ou égal à 18"
    s = u["satisfaction"]
    assert s["levels"]["good"] == n["level good"]
    assert s["levels"]["average"] == n["level average"]
    assert s["responses"] == sum(n[f"level {k}"] for k in ("good", "average", "bad"))
    _within(s["response_rate"], P_FEEDBACK, n["sent"])
    assert s["helped"] == {"yes": n["help yes"], "no": n["help no"]}
    assert u["channels"] == {"en_ligne": CITIZENS}
    assert u["languages"] == {"fr": CITIZENS}
    kinds = {h["kind"]: h for h in u["hotspots"]}
    assert kinds["give-up"]["step"] == "identite"
    assert kinds["error"]["question"] == "age" and kinds["error"]["suggestions"]
    minutes = {f["step"]: f["minutes"] for f in u["funnel"]}
    # The simulated citizens answer at once: every page time is in the first bucket.
    assert minutes["eligibilite"]["responses"] == CITIZENS
    assert 0 < minutes["eligibilite"]["median"] <= BUCKETS[0] / 60


def test_the_report_formats_show_the_observed_use(simulated, capsys) -> None:
    url, _, client = simulated
    assert main(["report", str(JOURNEY), "--usage", url, "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "L'usage réel, à côté des prévisions" in html
    assert 'aria-labelledby="funnel-title funnel-desc"' in html  # the funnel picture …
    assert "Par page : arrivées, abandons" in html  # … and its table
    assert "Indicateurs de l'Observatoire" in html
    assert main(["report", str(JOURNEY), "--usage", url]) == 0
    text = capsys.readouterr().out
    assert "most give up at identite" in text and "funnel:" in text
    served = client.get("/-/reports/usage")
    assert served.status_code == 200 and "L'usage réel" in served.text
    portfolio = client.get("/-/reports")
    assert "Indicateurs de l'Observatoire" in portfolio.text and "mesuré" in portfolio.text


def test_nothing_stored_names_a_person_or_an_answer(simulated) -> None:
    url, _, _ = simulated
    conn = sqlite3.connect(url[len("sqlite:///"):])
    columns = [row[1] for row in conn.execute("PRAGMA table_info(usage_counts)")]
    assert columns == ["journey_id", "journey_hash", "step", "kind", "detail", "lang",
                       "channel", "bucket", "count"]
    rows = conn.execute("SELECT * FROM usage_counts").fetchall()
    text = "\n".join("\t".join(map(str, r)) for r in rows)
    secrets = [r[0] for r in conn.execute("SELECT id FROM sessions")]
    secrets += [r[0] for r in conn.execute("SELECT csrf FROM sessions")]
    for row in conn.execute("SELECT id, resume_code, resume_token FROM drafts"):
        secrets += list(row)
    secrets += [r[0] for r in conn.execute("SELECT reference FROM submissions")]
    secrets += [SECRET_NAME, SECRET_STREET, "testclient", "127.0.0.1", "34"]
    assert len(secrets) > 3 * CITIZENS
    leaked = [s for s in secrets if s and s in text]
    assert leaked == []
    details = {r[4] for r in rows}
    kinds = {r[3] for r in rows}
    assert kinds <= {"view", "start", "sent", "time", "branch", "error", "save", "resume", "submit",
                     "duration", "satisfaction", "help"}
    # Details are ids of the journey, fixed words, or an error's question, rule and message.
    for d in details:
        assert d in {"", "refus", "identite", "adresse", "envoi", "good", "average", "bad",
                     "yes", "no"} or d.startswith("age\tnumber-too-small\t"), d
    # Not a row per citizen: a few dozen counters for hundreds of citizens.
    assert len(rows) < 60 and sum(r[8] for r in rows if r[3] == "start") == CITIZENS


def test_no_new_cookie_and_no_script_from_elsewhere(tmp_path) -> None:
    client = TestClient(create_app([JOURNEY], db_url=f"sqlite:///{tmp_path / 'p.db'}"))
    start = client.get("/usage/")
    page = client.post("/usage/start", data={"csrf_token": _csrf(start.text)})
    names = {c.split("=")[0] for r in (start, page) for c in r.headers.get_list("set-cookie")}
    assert names <= {COOKIE}
    step = client.get("/usage/q/eligibilite")
    assert "_shown" in step.text
    assert not re.search(r"<script[^>]+src=\"https?://", step.text)


def test_a_count_under_the_threshold_never_appears(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'few.db'}"
    client = TestClient(create_app([JOURNEY], db_url=url))
    rng = random.Random(5)
    drawn = Drawn()
    for _ in range(14):
        walk(client, rng, drawn)
    u = _report(url, "--threshold", "5", capsys=capsys)["usage"]
    counts = {"arrived", "sent", "lost", "reached", "count", "responses", "starts",
              "submitted", "saves", "resumes", "good", "average", "bad", "yes", "no",
              "en_ligne", "fr"}
    seen: list[int] = []

    def visit(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for v in value:
                visit(v, key)
        elif key in counts and isinstance(value, int) and not isinstance(value, bool):
            seen.append(value)
            assert value >= 5, (key, value)

    visit(u)
    assert seen, "some counts are large enough to be shown"
    # The satisfaction answers (fewer than 5 of each) are all hidden, and so their share.
    assert u["satisfaction"]["levels"]["bad"] is None
    low = _report(url, "--threshold", "1", capsys=capsys)["usage"]
    assert low["starts"] == 14


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql",
                                                           marks=pytest.mark.postgres)])
def test_counters_on_both_databases(engine, request, tmp_path, capsys) -> None:
    url = (f"sqlite:///{tmp_path / 'p.db'}" if engine == "sqlite"
           else request.getfixturevalue("pg_url"))
    client = TestClient(create_app([JOURNEY], db_url=url))
    rng = random.Random(2)
    drawn = Drawn()
    for _ in range(6):
        walk(client, rng, drawn)
    u = _report(url, "--threshold", "1", capsys=capsys)["usage"]
    assert u["starts"] == 6
    assert {f["step"]: f["arrived"] for f in u["funnel"]}["identite"] == (
        drawn.n["identite"] or None)


def test_recording_off_records_nothing(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'off.db'}"
    client = TestClient(create_app([JOURNEY], db_url=url, record_usage=False))
    walk(client, random.Random(1), Drawn())
    u = _report(url, "--threshold", "1", capsys=capsys)["usage"]
    assert u["starts"] is None and u["funnel"][0]["arrived"] is None


def test_a_forged_or_missing_time_stamp_counts_no_time(tmp_path) -> None:
    app = create_app([JOURNEY], db_url=f"sqlite:///{tmp_path / 'p.db'}")
    recorder = app.state.parcours.usage
    stamp = recorder.stamp()
    assert recorder.seconds_since(stamp) is not None
    assert recorder.seconds_since(stamp[:-2] + "xx") is None
    assert recorder.seconds_since("") is None and recorder.seconds_since(None) is None


def test_time_buckets_and_percentiles() -> None:
    assert bucket_of(0) == 5 and bucket_of(5) == 5 and bucket_of(5.1) == 10
    assert bucket_of(10**7) == BUCKETS[-1]
    # 10 times in (0, 5], 10 in (60, 90]: median at the top of the first bucket.
    hist = {5: 10, 90: 10}
    assert percentile(hist, 0.5) == 5
    assert percentile(hist, 0.9) == pytest.approx(60 + 30 * 0.8)
    assert percentile({}, 0.5) is None
    keep = Suppress(5)
    assert keep(4) is None and keep(5) == 5 and keep.share(4, 100) is None


def test_report_usage_refuses_a_missing_database(tmp_path, capsys) -> None:
    code = main(["report", str(JOURNEY), "--usage", f"sqlite:///{tmp_path / 'none.db'}"])
    assert code == 2
    assert "no such database" in capsys.readouterr().err


def test_counts_wait_in_memory_then_one_write(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    app = create_app([JOURNEY], db_url=url)
    recorder = app.state.parcours.usage
    recorder.flush_seconds = 3600
    recorder.flush()
    key = ("usage", "v", "eligibilite", "start", "", "fr", "en_ligne", 0)
    for _ in range(3):
        recorder.record(Counter([key]))

    def stored() -> int:
        conn = sqlite3.connect(url[len("sqlite:///"):])
        return int(conn.execute("SELECT COALESCE(SUM(count), 0) FROM usage_counts").fetchone()[0])

    assert stored() == 0  # nothing written yet: a request only added to a dict
    assert sum(c.count for c in recorder.counts("usage")) == 3  # reading writes them first
    assert stored() == 3
    recorder.record(Counter([key]))
    recorder.store.close()
    good = recorder.store.backend.path
    recorder.store.backend.path = str(tmp_path / "missing" / "p.db")  # the write fails …
    recorder.flush()
    recorder.store.backend.path = good
    recorder.store.close()
    recorder.flush()  # … and the count waits for the next one
    assert stored() == 4


def test_a_request_never_waits_for_the_counts_to_be_written(tmp_path) -> None:
    """With the database locked by a long transaction, recording a due count returns at
    once (the background writer waits, not the citizen's page); the count is written once
    the lock is released."""
    import threading
    import time

    url = f"sqlite:///{tmp_path / 'l.db'}"
    app = create_app([JOURNEY], db_url=url)
    recorder = app.state.parcours.usage
    recorder.flush_seconds = 0
    recorder.flush()  # from now on, every count is due at once
    key = ("usage", "v", "eligibilite", "start", "", "fr", "en_ligne", 0)
    path = url[len("sqlite:///"):]
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        recorder.record(Counter([key]))
        assert time.monotonic() - started < 0.5
        assert recorder._writer is not None and recorder._writer.is_alive()
    finally:
        threading.Timer(0.5, lambda: holder.execute("COMMIT")).start()
    for _ in range(100):
        conn = sqlite3.connect(path)
        try:
            if conn.execute("SELECT COALESCE(SUM(count), 0) FROM usage_counts").fetchone()[0]:
                break
        except sqlite3.OperationalError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    else:
        raise AssertionError("the count was never written")

"""How long the administration takes to answer a journey's dossiers (docs/metrics.md,
"Response times"), read from a real back office on SQLite and PostgreSQL: citizens send
signalements, a desk agent keys one from paper, agents act on some; the report's figures
must be those of the moments the back office recorded, under the small-number threshold.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from designer.cli import main
from designer.report.response import DossierTimes, days_between, response_times
from designer.report.usage import Suppress
from renderer.backoffice.accounts import ADMINISTRATEUR, Accounts
from renderer.backoffice.dossiers import Dossiers

from .citizen import parse
from .conftest import JOURNEYS
from .test_agents import PASSWORD, agent_client, app, signal, store_of  # noqa: F401
from .test_keying import fields, post
from .test_mediation import people  # noqa: F401

JOURNEY = str(JOURNEYS / "signalement-voirie.yaml")
SENT = "2026-11-02T09:00:00.000+00:00"


def _report(db_url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> Any:
    capsys.readouterr()
    assert main(["report", JOURNEY, "--usage", db_url, "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _at(store: Any, table: str, where: str, value: str, *params: str) -> None:
    store._write(f"UPDATE {table} SET {where}", (value, *params))


def test_first_action_and_decision_from_the_back_office(
    app: Any, people: dict[str, str], db_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    store = store_of(app)
    citizen = TestClient(app)
    refs = [parse(signal(citizen, "tag")).reference for _ in range(4)]
    desk = agent_client(app, people["agent"])
    assert post(desk, fields()).status_code == 303  # keyed from paper: not an answer
    admin = Accounts(store).add("chef@tours.example", PASSWORD, ADMINISTRATEUR, [])
    dossiers = Dossiers(store)
    decided, written, noted, untouched = refs
    dossiers.change_status(admin, decided, "en_instruction")
    dossiers.change_status(admin, decided, "accepte")
    dossiers.message_from_agent(admin, written, "Pouvez-vous envoyer une photo ?")
    dossiers.change_status(admin, written, "en_instruction")
    dossiers.annotate(admin, noted, "à voir")  # private: not an answer either
    # The moments, set to known values: every dossier sent at SENT.
    _at(store, "dossiers", "created_at = ?", SENT)
    _at(store, "dossier_history", "at = ? WHERE reference = ? AND kind = 'status' "
        "AND after = 'en_instruction'", "2026-11-02T15:00:00.000+00:00", decided)
    _at(store, "dossier_history", "at = ? WHERE reference = ? AND kind = 'status' "
        "AND after = 'accepte'", "2026-11-05T09:00:00.000+00:00", decided)
    _at(store, "dossiers", "decided_at = ? WHERE reference = ?",
        "2026-11-05T09:00:00.000+00:00", decided)
    _at(store, "dossier_messages", "at = ? WHERE reference = ?",
        "2026-11-03T09:00:00.000+00:00", written)
    _at(store, "dossier_history", "at = ? WHERE reference = ? AND kind = 'status'",
        "2026-11-04T09:00:00.000+00:00", written)  # the message came first
    report = _report(db_url, capsys, "--threshold", "1")
    got = report["usage"]["response_times"]
    # First actions: 6 hours and 1 day (median 0.625 day); decision: 3 days.
    assert got == {
        "dossiers": 5, "answered": 2, "waiting": 3,
        "first_action_days": {"median": 0.62, "p90": 0.93},
        "decided": 1, "decision_days": {"median": 3.0, "p90": 3.0},
    }
    # One version served: its own response times are the journey's.
    [version] = report["usage_by_version"]["versions"]
    assert version["usage"]["response_times"] == got
    indicators = {i["indicator"]: i for i in report["observatoire"]}
    response = indicators["response"]
    assert response["status"] == "measured"
    assert response["value"] == ("premier geste d'un agent en 15 h (médiane), "
                                 "décision en 3,0 j")
    assert "3 sans aucun geste encore" in response["note"]
    # The Observatoire's own indicator is the site's availability: still unknown.
    assert indicators["availability"]["status"] == "unknown"
    # At the default threshold (5), only the number of dossiers may be shown.
    hidden = _report(db_url, capsys)
    assert hidden["usage"]["response_times"]["dossiers"] == 5
    assert hidden["usage"]["response_times"]["first_action_days"]["median"] is None
    assert {i["indicator"]: i["status"] for i in hidden["observatoire"]}["response"] == "unknown"
    # The served report reads the same records with the same query.
    served = TestClient(app).get("/-/reports/signalement-voirie.json").json()
    assert served["usage"]["response_times"] == hidden["usage"]["response_times"]
    # The agents' statistics give the same processing time (one definition).
    stats = dossiers.statistics(admin)["signalement-voirie"]
    assert stats["median_days"] == 3.0
    capsys.readouterr()
    assert main(["report", JOURNEY, "--usage", db_url, "--threshold", "1", "--format",
                 "html"]) == 0
    page = capsys.readouterr().out
    assert "premier geste d'un agent en 0,62 jour(s) en médiane" in page
    assert "Délai de réponse aux dossiers" in page


def test_no_dossier_at_all(db_url: str, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    from renderer.app import create_app

    create_app([JOURNEYS / "signalement-voirie.yaml"], db_url=db_url)
    got = _report(db_url, capsys, "--threshold", "1")
    assert got["usage"]["response_times"] == {
        "dossiers": None, "answered": None, "waiting": None,
        "first_action_days": {"median": None, "p90": None},
        "decided": None, "decision_days": {"median": None, "p90": None},
    }
    response = {i["indicator"]: i for i in got["observatoire"]}["response"]
    assert response["status"] == "unknown" and "Pas assez" in response["note"]


def test_the_figures_are_plain_medians_and_quantiles() -> None:
    times = [DossierTimes("v", SENT, f"2026-11-0{2 + k}T09:00:00.000+00:00", None)
             for k in range(5)]
    out = response_times(times, Suppress(1))
    assert out.first_action_days.median == 2.0 and out.waiting is None  # 0 is under 1
    assert out.first_action_days.p90 == pytest.approx(3.6)
    assert days_between(SENT, "2026-11-02T21:00:00.000+00:00") == 0.5
    assert response_times(times, Suppress(6)).first_action_days.median is None

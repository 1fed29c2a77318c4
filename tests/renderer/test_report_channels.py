"""The report's share of each submission channel, read from a served database holding
dossiers sent online, with a mediator and keyed from paper (``parcours report --usage``),
on SQLite and PostgreSQL, with the small-number suppression."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from designer.cli import main
from designer.report.counts import read_channels

from .conftest import JOURNEYS
from .test_agents import agent_client, app, signal  # noqa: F401
from .test_keying import fields, post
from .test_mediation import assisted, people  # noqa: F401

JOURNEY = str(JOURNEYS / "signalement-voirie.yaml")


def _report(db_url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> Any:
    capsys.readouterr()
    assert main(["report", JOURNEY, "--usage", db_url, *extra]) == 0
    return capsys.readouterr().out


def test_the_report_shows_the_dossiers_channels(
    app: Any, people: dict[str, str], db_url: str, capsys: pytest.CaptureFixture[str],  # noqa: F811
) -> None:
    for _ in range(3):
        signal(TestClient(app), "tag")  # citizens alone
    nord = agent_client(app, people["nord"])
    for _ in range(2):
        assisted(nord)  # with a mediator
    desk = agent_client(app, people["agent"])
    assert post(desk, fields()).status_code == 303  # a paper form keyed at the desk
    assert read_channels(db_url, "signalement-voirie") == {
        "en_ligne": 3, "accompagne": 2, "papier": 1}
    assert read_channels(db_url, "another-journey") == {}
    got = json.loads(_report(db_url, capsys, "--format", "json", "--threshold", "2"))
    shown = {c["channel"]: (c["dossiers"], c["share"])
             for c in got["usage"]["dossier_channels"]}
    # Under the threshold, neither the count nor its share is shown.
    assert shown == {"en_ligne": (3, 0.5), "accompagne": (2, 0.3333), "papier": (None, None)}
    got = json.loads(_report(db_url, capsys, "--format", "json", "--threshold", "1"))
    assert [(c["channel"], c["share"]) for c in got["usage"]["dossier_channels"]] == [
        ("accompagne", 0.3333), ("en_ligne", 0.5), ("papier", 0.1667)]
    text = _report(db_url, capsys, "--threshold", "2")
    assert "dossiers by channel: accompagne 2 (33" in text and "papier – (–)" in text
    page = _report(db_url, capsys, "--format", "html", "--threshold", "1")
    assert "Dossiers par canal de dépôt : accompagné 2" in page and "papier 1" in page
    # At the default threshold (5), every count here is under it: none is shown.
    got = json.loads(_report(db_url, capsys, "--format", "json"))
    assert {c["channel"]: c["dossiers"] for c in got["usage"]["dossier_channels"]} == {
        "accompagne": None, "en_ligne": None, "papier": None}


def test_the_served_reports_show_the_dossiers_channels(
    app: Any, people: dict[str, str], db_url: str,  # noqa: F811
) -> None:
    app.state.parcours.usage.threshold = 1
    for _ in range(3):
        signal(TestClient(app), "tag")
    assisted(agent_client(app, people["nord"]))
    auditor = TestClient(app)
    report = auditor.get("/-/reports/signalement-voirie.json").json()
    assert {c["channel"]: c["dossiers"] for c in report["usage"]["dossier_channels"]} == {
        "accompagne": 1, "en_ligne": 3}
    assert "Dossiers par canal de dépôt : accompagné 1" in auditor.get(
        "/-/reports/signalement-voirie").text
    portfolio = auditor.get("/-/reports.json").json()
    [voirie] = [j for j in portfolio["journeys"] if j["journey"] == "signalement-voirie"]
    assert {c["channel"] for c in voirie["usage"]["dossier_channels"]} == {
        "accompagne", "en_ligne"}

"""Services and routing: the organisation file, `routing` in a journey, and their checks."""

from __future__ import annotations

import datetime
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from designer.check import check_paths
from designer.cli import main
from designer.loading import load_text
from designer.organisation import load_organisation, organisation_schema
from designer.report.build import report_file
from designer.routing import route

ROOT = Path(__file__).resolve().parents[2]

ORGANISATION = """\
parcours: 1
name: Ville
services:
  proprete:
    name: Propreté
    email: proprete@ville.example
  voirie:
    name: {fr: Voirie, en: Roads}
    email: voirie@ville.example
"""

JOURNEY = """\
parcours: 1
id: signalement
title: Signalement
organisation: Ville
start: a
steps:
  a:
    title: Le problème
    questions:
      nature:
        type: choice
        label: Quel problème ?
        options: [depot_sauvage, trou, lampadaire]
    next: envoi
outcomes:
  envoi: {kind: submit, title: Merci}
routing:
"""


def journey(routes: str) -> str:
    return JOURNEY + textwrap.indent(textwrap.dedent(routes).strip("\n"), "  ") + "\n"


def write(folder: Path, routes: str, organisation: str | None = ORGANISATION) -> Path:
    if organisation is not None:
        (folder / "organisation.yaml").write_text(organisation, encoding="utf-8")
    path = folder / "signalement.yaml"
    path.write_text(journey(routes), encoding="utf-8")
    return path


def findings(folder: Path, rule: str) -> list[tuple[str, int, int, str]]:
    got = check_paths([folder]).all_findings
    return [(Path(f.file).name, f.line, f.column, f.message) for f in got if f.rule == rule]


# -- unknown-service ------------------------------------------------------------------


def test_unknown_service_is_reported_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, """
        - service: proprete
          when: nature == "depot_sauvage"
        - service: voiries
    """)
    got = findings(tmp_path, "unknown-service")
    assert len(got) == 1
    name, line, column, message = got[0]
    assert (name, line, column) == ("signalement.yaml", 20, 14)
    assert "'voiries'" in message and "did you mean 'voirie'?" in message


def test_declared_services_are_not_reported(tmp_path: Path) -> None:
    write(tmp_path, """
        - service: proprete
          when: nature == "depot_sauvage"
        - service: voirie
    """)
    assert check_paths([tmp_path]).all_findings == []


def test_routing_without_an_organisation_file(tmp_path: Path) -> None:
    write(tmp_path, "- service: voirie", organisation=None)
    got = findings(tmp_path, "unknown-service")
    assert [(g[1], g[2]) for g in got] == [(17, 1)]
    assert "no organisation.yaml" in got[0][3]


def test_the_command_line_exits_one_on_an_unknown_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "- service: nulle_part")
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in out["findings"] if f["severity"] == "error"] == ["unknown-service"]


# -- the organisation file ------------------------------------------------------------


def test_a_misspelt_key_of_the_organisation_file_is_a_schema_finding(tmp_path: Path) -> None:
    broken = ORGANISATION.replace("email: voirie", "mail: voirie")
    write(tmp_path, "- service: voirie", organisation=broken)
    got = [f for f in check_paths([tmp_path]).all_findings if f.rule == "schema"]
    assert [(Path(f.file).name, f.line, f.column, f.message) for f in got] == [
        ("organisation.yaml", 9, 5, "unknown key 'mail': did you mean 'email'?"),
    ]
    # The journey cannot be checked against an invalid organisation: said once, not silent.
    assert findings(tmp_path, "unknown-service")


def test_an_organisation_file_alone_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "organisation.yaml").write_text(ORGANISATION.replace("services:", "service:"))
    assert main(["check", str(tmp_path / "organisation.yaml")]) == 1
    assert "unknown key 'service': did you mean 'services'?" in capsys.readouterr().out


def test_the_organisation_schema_is_committed_and_accepts_the_examples() -> None:
    committed = json.loads((ROOT / "schemas" / "organisation.schema.json").read_text("utf-8"))
    assert committed == organisation_schema(), (
        "schemas/organisation.schema.json is stale: "
        "run `parcours schema --organisation > schemas/organisation.schema.json`"
    )
    data = yaml.safe_load((ROOT / "journeys" / "organisation.yaml").read_text("utf-8"))
    jsonschema.Draft202012Validator(committed).validate(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(committed).validate({**data, "services": {}})


def test_the_example_organisation_loads() -> None:
    loaded = load_organisation(ROOT / "journeys" / "organisation.yaml")
    assert loaded.ok and loaded.organisation is not None
    assert "voirie" in loaded.organisation.services


def test_the_example_journeys_are_clean() -> None:
    portfolio = check_paths([ROOT / "journeys"])
    assert portfolio.organisations == 1
    routed = [x.journey for x in portfolio.loaded if x.journey is not None and x.journey.routing]
    assert len(routed) >= 7
    bad = [f for f in portfolio.all_findings if f.severity.value == "error"]
    assert bad == []


# -- the path-sensitive rules ---------------------------------------------------------


def test_a_submission_no_route_matches_is_reported_with_a_witness(tmp_path: Path) -> None:
    write(tmp_path, """
        - service: proprete
          when: nature == "depot_sauvage"
        - service: voirie
          when: nature == "trou"
    """)
    got = findings(tmp_path, "unrouted-submission")
    assert [(g[1], g[2]) for g in got] == [(17, 1)]
    assert 'nature = "lampadaire"' in got[0][3]


def test_routes_covering_every_case_are_not_unrouted(tmp_path: Path) -> None:
    write(tmp_path, """
        - service: proprete
          when: nature == "depot_sauvage"
        - service: voirie
          when: nature in ["trou", "lampadaire"]
    """)
    assert findings(tmp_path, "unrouted-submission") == []
    assert findings(tmp_path, "impossible-route") == []


def test_an_impossible_route_is_reported_at_its_condition(tmp_path: Path) -> None:
    write(tmp_path, """
        - service: proprete
          when: nature == "depot_sauvage"
        - service: voirie
          when: nature == "depot_sauvage"
        - service: voirie
    """)
    got = findings(tmp_path, "impossible-route")
    assert [(g[1], g[2]) for g in got] == [(21, 11)]


def test_a_route_after_the_default_is_never_taken(tmp_path: Path) -> None:
    write(tmp_path, """
        - service: voirie
        - service: proprete
    """)
    got = findings(tmp_path, "impossible-route")
    assert [(g[1], g[2]) for g in got] == [(19, 5)]
    assert "earlier entry" in got[0][3]


def test_routing_conditions_are_type_checked() -> None:
    loaded = load_text(journey("""
        - service: voirie
          when: nature == "fontaine"
        - service: voirie
          when: inconnu > 3
    """), "j.yaml")
    rules = sorted((f.rule, f.line) for f in loaded.findings)
    # (No organisation file beside j.yaml: its services are unknown too.)
    assert rules == [("unknown-name", 21), ("unknown-option", 19), ("unknown-service", 17)]


# -- routing a dossier ----------------------------------------------------------------


def test_route_takes_the_first_entry_that_holds() -> None:
    loaded = load_text(journey("""
        - service: proprete
          when: nature == "depot_sauvage"
        - service: voirie
    """), "j.yaml")
    assert loaded.journey is not None
    today = datetime.date(2026, 1, 1)
    assert route(loaded.journey, {"nature": "depot_sauvage"}, today) == "proprete"
    assert route(loaded.journey, {"nature": "trou"}, today) == "voirie"


def test_route_without_routing_is_none() -> None:
    paper = ROOT / "journeys" / "avant-apres" / "stationnement-papier.yaml"
    loaded = load_text(paper.read_text(), analyses=[])
    assert loaded.journey is not None and route(loaded.journey, {}) is None


# -- the report -----------------------------------------------------------------------


def test_the_report_gives_each_service_its_share() -> None:
    report = report_file(ROOT / "journeys" / "signalement-voirie.yaml")
    shares = {x.service: x.share for x in report.routing}
    # 12 kinds of problem: 4 for cleaning, 2 for lights, 6 for roads (the default); the
    # lights' branch goes through one more page but every path ends at the same outcome.
    assert set(shares) == {"proprete", "eclairage", "voirie"}
    assert sum(shares.values()) == pytest.approx(1.0, abs=1e-3)
    assert all(v > 0 for v in shares.values())


def test_a_services_webhook_is_checked_at_its_line(tmp_path: Path) -> None:
    good = ORGANISATION.replace(
        "    email: voirie@ville.example\n",
        "    email: voirie@ville.example\n    webhook:\n"
        "      url: https://sig.ville.example/parcours\n      secret_env: SIG_SECRET\n")
    write(tmp_path, "- service: voirie", organisation=good)
    assert [f for f in check_paths([tmp_path]).all_findings if f.severity == "error"] == []
    broken = good.replace("https://sig", "ftp://sig").replace("SIG_SECRET", "le secret")
    write(tmp_path, "- service: voirie", organisation=broken)
    got = [(f.line, f.column) for f in check_paths([tmp_path]).all_findings
           if f.rule == "schema"]
    assert got == [(11, 12), (12, 19)]
    missing = good.replace("      secret_env: SIG_SECRET\n", "")
    write(tmp_path, "- service: voirie", organisation=missing)
    messages = [f.message for f in check_paths([tmp_path]).all_findings if f.rule == "schema"]
    assert len(messages) == 1 and "secret_env" in messages[0]

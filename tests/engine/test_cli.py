"""`parcours check`, `schema` and `graph` as a terminal, an editor or a CI pipeline uses them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from designer.cli import main
from designer.files import is_cases_file, is_organisation_file
from designer.model import journey_schema
from designer.organisation import journey_files

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "journeys").glob("*.yaml")
                  if not is_cases_file(p) and not is_organisation_file(p))
GOOD = ROOT / "journeys" / "signalement-voirie.yaml"

BROKEN = """\
parcours: 1
id: essai
title: Essai
organisation: Ville
start: a
steps:
  a:
    title: A
    questions:
      age: {type: integer, lable: Âge}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_like_a_compiler(capsys, broken: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "check", str(broken))
    assert code == 1
    assert out.splitlines()[0] == (
        f"{broken}:10:28: error[schema] unknown key 'lable': did you mean 'label'?"
    )


def test_clean_journey_exits_zero(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "check", str(GOOD), "--severity", "error")
    assert code == 0
    assert "0 error(s)" in out


def test_json_output(capsys, broken: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "check", "--format", "json", str(broken))
    assert code == 1
    data = json.loads(out)
    assert data["summary"] == {"files": 1, "errors": 1, "warnings": 0, "infos": 0}
    assert data["findings"][0] == {
        "rule": "schema", "severity": "error",
        "message": "unknown key 'lable': did you mean 'label'?",
        "file": str(broken), "line": 10, "column": 28, "step": "a", "question": "age",
    }


def test_sarif_output_is_valid_sarif_shape(capsys, broken: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "check", "--format", "sarif", str(broken))
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "schema"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 10, "startColumn": 28}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "schema"


def test_github_annotations(capsys, broken: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "check", "--format", "github", str(broken))
    assert code == 1
    assert out.startswith(f"::error file={broken},line=10,col=28,title=schema::unknown key")


def test_missing_path_exits_two(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "check", str(tmp_path / "absent.yaml"))
    assert code == 2
    assert "no such file" in err


def test_bad_option_exits_two(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "pdf", str(GOOD)])
    assert exc.value.code == 2


def test_folder_is_a_portfolio_with_unique_ids(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(GOOD, tmp_path / "a.yaml")
    shutil.copy(GOOD, tmp_path / "b.yaml")
    code, out, _ = run(capsys, "check", "--format", "json", str(tmp_path))
    assert code == 1
    dup = [f for f in json.loads(out)["findings"] if f["rule"] == "duplicate-id"]
    assert len(dup) == 1
    assert dup[0]["file"].endswith("b.yaml") and dup[0]["line"] == 7


def test_findings_sorted_by_file_and_line(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "b.yaml").write_text(BROKEN.replace("title: A", "titre: A"))
    (tmp_path / "a.yaml").write_text(BROKEN)
    code, out, _ = run(capsys, "check", "--format", "json", str(tmp_path))
    places = [(f["file"], f["line"]) for f in json.loads(out)["findings"]]
    assert places == sorted(places)
    # Both schema errors of b.yaml, a.yaml's, and the journey id both files use: an
    # independent error, reported in the same run.
    assert len(places) == 4


def test_schema_command_prints_the_committed_schema(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "schema")
    assert code == 0
    committed = json.loads((ROOT / "schemas" / "journey.schema.json").read_text())
    assert json.loads(out) == committed, (
        "schemas/journey.schema.json is stale: run `parcours schema > schemas/journey.schema.json`"
    )


def test_schema_describes_every_key() -> None:
    schema = journey_schema()

    def visit(node: object, where: str) -> None:
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                assert prop.get("description"), f"{where}.{key} has no description"
                assert prop.get("title") or "$ref" in prop, f"{where}.{key} has no title"
            for key, value in node.items():
                visit(value, f"{where}.{key}")

    visit(schema, "journey")


@pytest.mark.parametrize("path", sorted(journey_files([(ROOT / "journeys")])), ids=lambda p: p.stem)
def test_example_journeys_validate_against_the_json_schema(path: Path) -> None:
    import yaml

    data = yaml.safe_load(path.read_text())
    jsonschema.Draft202012Validator(journey_schema()).validate(data)


def test_graph_mermaid(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "graph", str(GOOD))
    assert code == 0
    assert out.startswith("flowchart TD\n")
    assert 'urgence -->|"danger"| appeler_secours' in out
    assert 'urgence -->|"otherwise"| probleme' in out


def test_graph_dot_renders_with_graphviz(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "graph", str(GOOD), "--format", "dot")
    assert code == 0
    assert "urgence -> appeler_secours [label=\"danger\"];" in out
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("graphviz is not installed (.ci/run installs it)")
    svg = subprocess.run([dot, "-Tsvg"], input=out, capture_output=True, text=True, check=True)
    assert "<svg" in svg.stdout


def test_graph_of_a_missing_file_exits_two(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, "graph", str(tmp_path / "absent.yaml"))
    assert code == 2
    assert "no such file" in err


def test_graph_of_a_broken_file_explains(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("- not a journey\n")
    code, _, err = run(capsys, "graph", str(bad))
    assert code == 1
    assert "schema" in err


def test_console_script_runs() -> None:
    exe = ROOT / ".venv" / "bin" / "parcours"
    command = [str(exe)] if exe.exists() else ["parcours"]
    proc = subprocess.run([*command, "check", str(GOOD), "--severity", "error"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


_ENTRY = """\
import atexit, sys
class Noisy:
    def __del__(self):
        print("torn down", file=sys.stderr)
kept = Noisy()
atexit.register(lambda: print("atexit ran", file=sys.stderr))
from designer.cli import entry
sys.argv = ["parcours", *sys.argv[1:]]
entry()
"""


def test_a_one_shot_command_ends_without_teardown_but_with_its_output(broken: Path) -> None:
    """The console script skips the interpreter's teardown after `check` (a quarter of its
    time on a large journey), yet prints everything, runs the atexit functions and keeps
    the exit status."""
    import sys

    done = subprocess.run([sys.executable, "-c", _ENTRY, "check", str(broken), str(GOOD)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"{broken}:10:28: error[schema]")
    assert lines[-1].startswith("2 file(s) checked") and "1 error(s)" in lines[-1]
    assert "atexit ran" in done.stderr and "torn down" not in done.stderr
    clean = subprocess.run([sys.executable, "-c", _ENTRY, "check", str(GOOD)],
                           capture_output=True, text=True)
    assert clean.returncode == 0 and "0 error(s)" in clean.stdout
    # Without a command (help), the interpreter ends as usual.
    usage = subprocess.run([sys.executable, "-c", _ENTRY], capture_output=True, text=True)
    assert usage.returncode == 2 and "torn down" in usage.stderr


def test_format_reference_mentions_every_key_of_the_schema() -> None:
    """docs/format.md stays consistent with the models: every key is documented there."""
    from designer.model import Branch, Contact, Journey, Link, Outcome, Step
    from designer.questions import QUESTION_CLASSES, Check

    doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    models = [Journey, Step, Outcome, Contact, Link, Branch, Check, *QUESTION_CLASSES.values()]
    missing = sorted({
        key for model in models for key in model.model_fields if f"`{key}`" not in doc
    })
    assert missing == []
    for type_name in QUESTION_CLASSES:
        assert f"`{type_name}`" in doc, type_name


def test_json_finding_carries_every_field_of_a_finding() -> None:
    # as_dict is written out by hand (for speed): a field added to Finding must reach it.
    from dataclasses import fields

    from designer.findings import Finding, Severity

    f = Finding("j.yaml", 3, 5, "jargon", "m", Severity.INFO, step="s", question="q")
    d = f.as_dict()
    # `said` is the message itself, as a catalogue entry: JSON gives it said in a language.
    assert set(d) == {x.name for x in fields(Finding)} - {"said"}
    assert d["severity"] == "info" and d["line"] == 3 and d["question"] == "q"


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


ADVICE = """\
parcours: 1
id: essai
title: Essai
organisation: Ville
start: a
steps:
  a:
    title: A
    questions:
      nom: {type: text, label: Votre nom afin de vous répondre, purpose: Vous répondre.}
    next: fin
outcomes:
  fin: {kind: submit, title: Fin}
"""


@pytest.fixture
def advised(tmp_path: Path) -> Path:
    path = tmp_path / "advice.yaml"
    path.write_text(ADVICE, encoding="utf-8")
    return path


def test_a_severity_filter_says_how_many_findings_it_hid(  # type: ignore[no-untyped-def]
    capsys, english, advised: Path
) -> None:
    # Infos only: "0 info(s)" alone would say there is nothing to read.
    full = run(capsys, "check", str(advised))[1]
    assert full.splitlines()[-1].endswith("0 warning(s), 1 info(s)")
    code, out, _ = run(capsys, "check", str(advised), "--severity", "warning")
    assert code == 0
    assert out.splitlines() == [
        "1 file(s) checked (journeys and organisation): 0 error(s), 0 warning(s), 0 info(s); "
        "hidden by the filter: 0 error(s), 0 warning(s), 1 info(s)"
    ]
    data = json.loads(run(capsys, "check", str(advised), "--severity", "error",
                          "--format", "json")[1])
    assert data["summary"]["hidden"] == {"errors": 0, "warnings": 0, "infos": 1}
    unfiltered = json.loads(run(capsys, "check", str(advised), "--format", "json")[1])
    assert "hidden" not in unfiltered["summary"]


def test_a_rule_filter_counts_what_it_hid(capsys, english, advised: Path) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = run(capsys, "check", str(advised), "--rule", "schema")
    assert out.splitlines()[-1].endswith(
        "hidden by the filter: 0 error(s), 0 warning(s), 1 info(s)"
    )
    _, out, _ = run(capsys, "check", str(advised), "--rule", "jargon")
    assert out.splitlines()[-1].endswith("0 warning(s), 1 info(s)")  # nothing hidden


def test_messages_in_the_language_asked_or_the_locale(  # type: ignore[no-untyped-def]
    capsys, broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    _, out, _ = run(capsys, "check", str(broken))
    assert "clé inconnue « lable » : vouliez-vous dire « label » ?" in out
    assert out.splitlines()[-1].startswith(
        "1 fichier(s) vérifié(s) (parcours et organisation) : 1 erreur(s)")
    _, out, _ = run(capsys, "check", str(broken), "--lang", "en")
    assert "unknown key 'lable': did you mean 'label'?" in out
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    _, out, _ = run(capsys, "check", str(broken), "--lang", "fr")
    assert "vouliez-vous dire" in out

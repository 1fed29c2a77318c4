"""`parcours import` as a command: exit codes, output file, notes printed, no traceback."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from designer.commands.import_ import add_arguments as add_import_arguments
from designer.commands.import_ import run as run_import
from designer.importers import detect_format
from designer.loading import load_journey

FORM = {
    "startPage": "/age",
    "pages": [
        {"path": "/age", "title": "Your age", "section": "about",
         "components": [{"type": "NumberField", "name": "age", "title": "How old are you?",
                         "options": {}, "schema": {}}],
         "next": [{"path": "/too-young", "condition": "minor"}, {"path": "/name"}]},
        {"path": "/too-young", "title": "You cannot use this service",
         "controller": "TerminalPageController",
         "components": [{"type": "Para", "content": "<p>Come back at <b>18</b>.</p>"}],
         "next": []},
        {"path": "/name", "title": "Your name",
         "components": [{"type": "TextField", "name": "name", "title": "Name", "options": {},
                         "schema": {"max": 40}},
                        {"type": "TimeField", "name": "when", "title": "When?", "options": {}}],
         "next": [{"path": "/summary"}]},
        {"path": "/summary", "title": "Check your answers", "controller": "SummaryPageController",
         "components": []},
    ],
    "lists": [],
    "sections": [{"name": "about", "title": "About you"}],
    "conditions": [{"name": "minor", "displayName": "Minor", "value": "about.age < 18"}],
}


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_import_arguments(parser)
    return run_import(parser.parse_args(argv))


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "age-check.json"
    path.write_text(json.dumps(FORM), encoding="utf-8")
    return path


def test_import_writes_a_journey_that_checks_clean(form: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "journey.yaml"
    assert _run(str(form), "-o", str(out)) == 0
    loaded = load_journey(out)
    assert loaded.journey is not None
    assert [f for f in loaded.findings if f.severity.value == "error"] == []
    text = out.read_text(encoding="utf-8")
    assert "# page /age (section about)" in text
    assert "when: age < 18" in text
    assert "kind: exit" in text and "Come back at **18**." in text
    assert "max_length: 40" in text
    err = capsys.readouterr().err
    assert "1/1 conditions translated" in err
    assert "TimeField" in err  # the approximation is reported, not silent


def test_journey_goes_to_stdout_without_output(form: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(str(form)) == 0
    assert capsys.readouterr().out.startswith("# yaml-language-server: $schema=")


def test_refusals_exit_1_with_a_message(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert _run(str(broken)) == 1
    assert "refused" in capsys.readouterr().err
    assert _run(str(tmp_path / "missing.json")) == 1
    other = tmp_path / "other.json"
    other.write_text("[1, 2]", encoding="utf-8")
    assert _run(str(other)) == 1
    assert "--from" in capsys.readouterr().err


def test_bad_format_option_is_a_usage_error(form: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run(str(form), "--from", "pdf")
    assert exit_info.value.code == 2
    assert run_import(argparse.Namespace(file=form, output=None, source_format="pdf")) == 2


def test_format_detection(tmp_path: Path) -> None:
    assert detect_format(Path("a.xlsx")) == "xlsform"
    assert detect_format(Path("a.md")) == "xlsform"
    assert detect_format(Path("a.json"), {"pages": [], "engine": "V2"}) == "defra"
    assert detect_format(Path("a.json"), {"pages": []}) == "xgov"
    assert detect_format(Path("a.json"), {"form_type": "lettings", "sections": {}}) == "dluhc"


@pytest.mark.parametrize(
    "data",
    [
        {"pages": [{"path": "/a", "components": [{"type": "RadiosField"}], "next": "/b"}]},
        {"pages": [{"path": "/a", "components": "x", "next": [{"path": "/a"}]}]},
        {"pages": [{"path": "/a", "components": [], "condition": "nope"}], "engine": "V2"},
        {"pages": [{"path": "/a", "next": [{"path": "/b", "condition": "c"}]},
                   {"path": "/b", "components": [{"type": "TextField", "name": "t"}]}],
         "conditions": [{"name": "c", "value": {"conditions": [{"field": 3}]}}]},
        {"form_type": "lettings", "sections": {"s": {"subsections": {"u": {"pages": {
            "p": {"questions": {"q": {"type": "radio", "answer_options": []}},
                  "depends_on": "yes"}}}}}}},
        {"form_type": "lettings", "sections": {"s": None}},
        {"pages": []},
    ],
)
def test_odd_shapes_never_raise(tmp_path: Path, data: object) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert _run(str(path), "-o", str(tmp_path / "out.yaml")) in (0, 1)

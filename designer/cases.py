"""Journey test cases: the file beside a journey that says what given answers must give.

A journey ``x.yaml`` has its cases in ``x.cases.yaml`` (see docs/cases.md)::

    today: 2026-03-01            # optional: the date the runs happen on
    cases:
      - name: danger immédiat
        answers: {danger: true}
        outcome: appeler_secours
        shown: [danger]
        hidden: [type_probleme]

This module reads that file with the positions of every key (so that a failing case is
reported at its own line) and writes cases back (personas saved as cases) with
ruamel.yaml, keeping the designer's comments. Running the cases is
:mod:`designer.testing`.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.answers import to_json
from designer.files import CASES_SUFFIX
from designer.source import Document, load_document

CASE_KEYS = ("name", "answers", "outcome", "path", "shown", "hidden", "refused")
FILE_KEYS = ("today", "cases")


def cases_path(journey: str | Path) -> Path:
    """The cases file of a journey file (it may not exist)."""
    p = Path(journey)
    return p.with_name(p.name[: -len(p.suffix)] + CASES_SUFFIX) if p.suffix else p.with_name(
        p.name + CASES_SUFFIX
    )


@dataclass(frozen=True)
class Problem:
    """Something wrong with a case or its file, at a line and column of the cases file."""

    line: int
    column: int
    message: str


@dataclass
class Case:
    """One case: answers in, expectations out, with where each was written."""

    name: str
    line: int
    answers: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None
    path: list[str] | None = None
    shown: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    #: (line, column) of each key of the case, and of each answer ("answers.ID").
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def at(self, key: str) -> tuple[int, int]:
        """Where ``key`` (or the case itself) is written."""
        return self.positions.get(key) or self.positions.get("", (self.line, 1))


@dataclass
class CasesFile:
    """The cases of one journey, or the problems that kept them from being read."""

    file: str
    today: datetime.date | None = None
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _ids(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _read_case(doc: Document, index: int, raw: Any, out: CasesFile) -> None:
    where = ("cases", index)
    line, column = doc.key_position(where)
    if not isinstance(raw, dict):
        out.problems.append(Problem(line, column, "a case is a mapping (name, answers, "
                                                  "outcome, shown, hidden…)"))
        return
    name = raw.get("name")
    case = Case(name=str(name) if name is not None else f"case {index + 1}", line=line)
    case.positions[""] = (line, column)
    for key in raw:
        case.positions[str(key)] = doc.key_position((*where, key))
        if key not in CASE_KEYS:
            kline, kcol = case.positions[str(key)]
            out.problems.append(Problem(kline, kcol, f"'{key}' is not a key of a case (known: "
                                                     f"{', '.join(CASE_KEYS)})"))
    answers = raw.get("answers", {})
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        aline, acol = case.at("answers")
        out.problems.append(Problem(aline, acol, "answers is a mapping: question id → answer"))
        answers = {}
    for qid in answers:
        case.positions[f"answers.{qid}"] = doc.key_position((*where, "answers", qid))
    case.answers = {str(k): v for k, v in answers.items()}
    if "outcome" in raw:
        if not isinstance(raw["outcome"], str):
            oline, ocol = case.at("outcome")
            out.problems.append(Problem(oline, ocol, "outcome is the id of an outcome"))
        else:
            case.outcome = raw["outcome"]
    for key in ("path", "shown", "hidden", "refused"):
        if key not in raw:
            continue
        ids = _ids(raw[key])
        if ids is None:
            kline, kcol = case.at(key)
            out.problems.append(Problem(kline, kcol, f"{key} is a list of ids"))
            continue
        if key == "path":
            case.path = ids
        else:
            setattr(case, key, ids)
    out.cases.append(case)


def read_cases(text: str | bytes, file: str) -> CasesFile:
    """The cases of a cases file's text; what is wrong with it as problems, never raising."""
    out = CasesFile(file)
    doc, findings = load_document(text, file)
    if doc is None:
        for f in findings:
            message = f.message.replace("a journey is", "a cases file is")
            out.problems.append(Problem(f.line, f.column, message))
        return out
    data = doc.data
    for key in data:
        if key not in FILE_KEYS:
            line, column = doc.key_position((key,))
            out.problems.append(Problem(line, column, f"'{key}' is not a key of a cases file "
                                                      "(known: today, cases)"))
    if "today" in data:
        try:
            out.today = datetime.date.fromisoformat(str(data["today"]))
        except ValueError:
            line, column = doc.position(("today",))
            out.problems.append(Problem(line, column, "today is a date: YYYY-MM-DD"))
    cases = data.get("cases")
    if not isinstance(cases, list):
        line, column = doc.key_position(("cases",)) if "cases" in data else (1, 1)
        out.problems.append(Problem(line, column, "a cases file has a list 'cases'"))
        return out
    for i, raw in enumerate(cases):
        _read_case(doc, i, raw, out)
    return out


def load_cases(path: str | Path) -> CasesFile:
    """The cases of a cases file; an unreadable file gives one problem at its first line."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return CasesFile(str(path), problems=[Problem(1, 1, f"cannot read the file: "
                                                            f"{exc.strerror}")])
    return read_cases(raw, str(path))


# --------------------------------------------------------------------------- writing


def case_entry(name: str, answers: dict[str, Any], outcome: str | None, path: list[str],
               shown: list[str]) -> dict[str, Any]:
    """A case as written in a cases file (the shape personas are saved in)."""
    entry: dict[str, Any] = {"name": name, "answers": to_json(answers)}
    if outcome is not None:
        entry["outcome"] = outcome
    entry["path"] = list(path)
    entry["shown"] = list(shown)
    return entry


def append_cases(path: str | Path, entries: list[dict[str, Any]],
                 today: datetime.date | None = None) -> int:
    """Add cases to a cases file (created when absent), keeping its comments and order.

    A case whose name is already in the file is left as the designer wrote it. Returns
    how many cases were added."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    p = Path(path)
    data: Any = None
    if p.exists():
        data = yaml.load(p.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        data = CommentedMap()
        data.yaml_set_start_comment(
            f"Test cases of {p.name[: -len(CASES_SUFFIX)]}.yaml: `parcours test` runs them "
            "(docs/cases.md)."
        )
    if today is not None and "today" not in data:
        data["today"] = today.isoformat()
    cases = data.get("cases")
    if not isinstance(cases, list):
        cases = CommentedSeq()
        data["cases"] = cases
    names = {c.get("name") for c in cases if isinstance(c, dict)}
    added = 0
    for entry in entries:
        if entry["name"] in names:
            continue
        for key in ("path", "shown", "hidden", "refused"):
            if key in entry:  # lists of ids on one line each: [a, b, c]
                seq = CommentedSeq(entry[key])
                seq.fa.set_flow_style()
                entry[key] = seq
        cases.append(entry)
        names.add(entry["name"])
        added += 1
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(p)
    return added

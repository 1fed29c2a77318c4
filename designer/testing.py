"""`parcours test JOURNEY`: run a journey's test cases through the real run semantics.

Each case is played as a citizen plays the form: from the start page, the case's answers
to the questions each page shows are sent to :meth:`designer.run.Run.answer_page` (which
validates them exactly as the renderer does), page after page, until an outcome, a page
that refuses its answers, or a page with no branch. Then the expectations are compared:
the outcome reached, the path, the questions shown and not shown, the answers refused.
Failures are reported compiler-style at the line of the case (or of the expectation)
in the cases file.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.cases import Case, CasesFile, Problem, cases_path, load_cases
from designer.compiled import CompiledJourney
from designer.run import MAX_PAGES, Run


@dataclass
class Played:
    """What a case's answers did: the path, the questions shown, the answers refused."""

    path: list[str] = field(default_factory=list)
    outcome: str | None = None
    shown: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    stuck: str | None = None


def play(journey: CompiledJourney, answers: dict[str, Any],
         today: datetime.date | None = None) -> Played:
    """Play answers page by page as a citizen would, with the engine's run semantics."""
    run = Run(journey, {}, seen=set(), today=today)
    played = Played()
    for _ in range(MAX_PAGES):
        node = run.current
        if node is None or journey.is_outcome(node):
            break
        form = {q.id: answers[q.id] for q in journey.step_questions(node) if q.id in answers}
        result = run.answer_page(node, form)
        if not result.ok:
            for error in result.errors:
                played.refused[error.question] = error.message("en", journey)
            played.stuck = node
            break
        if run.current == node:  # pragma: no cover - an accepted page always moves on
            played.stuck = node
            break
    played.path = run.path()
    played.outcome = run.outcome
    for page in run.pages():
        for q in page.questions:
            played.shown.append(q.id)
            if q.type == "repeat":
                for item in run.answers.get(q.id) or []:
                    if isinstance(item, dict):
                        played.shown += [iq.id for iq in run.item_visible_questions(q.id, item)
                                         if iq.id not in played.shown]
    if played.stuck is None and played.outcome is None and played.path:
        played.stuck = played.path[-1]
    return played


def _known(journey: CompiledJourney, case: Case, key: str, ids: list[str],
           kinds: str) -> list[Problem]:
    known = (set(journey.questions) if kinds == "question"
             else set(journey.steps) | set(journey.outcomes))
    line, column = case.at(key)
    return [Problem(line, column, f"case '{case.name}': {key} names '{i}', which is no "
                                  f"{kinds} of the journey") for i in ids if i not in known]


def check_case(journey: CompiledJourney, case: Case,
               today: datetime.date | None = None) -> list[Problem]:
    """The ways a case fails against a journey (empty: it passes)."""
    problems: list[Problem] = []
    for qid in case.answers:
        if qid not in journey.questions:
            line, column = case.at(f"answers.{qid}")
            problems.append(Problem(line, column, f"case '{case.name}': '{qid}' is no question "
                                                  "of the journey"))
    if case.outcome is not None and case.outcome not in journey.outcomes:
        line, column = case.at("outcome")
        problems.append(Problem(line, column, f"case '{case.name}': '{case.outcome}' is no "
                                              "outcome of the journey"))
    problems += _known(journey, case, "path", case.path or [], "step or outcome")
    for key in ("shown", "hidden", "refused"):
        problems += _known(journey, case, key, getattr(case, key), "question")
    if problems:
        return problems
    played = play(journey, case.answers, today)
    name = f"case '{case.name}'"
    for qid, message in played.refused.items():
        if qid not in case.refused:
            line, column = case.at(f"answers.{qid}") if qid in case.answers else case.at("")
            problems.append(Problem(line, column, f"{name}: the answer to '{qid}' is refused "
                                                  f"on page '{played.stuck}': {message}"))
    for qid in case.refused:
        if qid not in played.refused:
            line, column = case.at("refused")
            problems.append(Problem(line, column, f"{name}: the answer to '{qid}' was "
                                                  "expected to be refused, and is accepted"))
    if problems or case.refused:
        # The run stopped at a refusing page: what follows would only repeat it.
        return problems
    if case.outcome is not None and played.outcome != case.outcome:
        line, column = case.at("outcome")
        reached = (f"ends at outcome '{played.outcome}'" if played.outcome
                   else f"stops at page '{played.stuck}' (no answer for a required question "
                        "or no branch holds)")
        problems.append(Problem(line, column, f"{name}: expected outcome '{case.outcome}', "
                                              f"but the run {reached}"))
    if case.path is not None and played.path != case.path:
        line, column = case.at("path")
        problems.append(Problem(line, column, f"{name}: expected path "
                                              f"{' → '.join(case.path)}, but the run goes "
                                              f"{' → '.join(played.path)}"))
    for qid in case.shown:
        if qid not in played.shown:
            line, column = case.at("shown")
            problems.append(Problem(line, column, f"{name}: '{qid}' should be shown, and is "
                                                  "not"))
    for qid in case.hidden:
        if qid in played.shown:
            line, column = case.at("hidden")
            problems.append(Problem(line, column, f"{name}: '{qid}' should not be shown, and "
                                                  "is"))
    for qid in case.answers:
        top = journey.questions[qid].repeat is None
        if top and qid not in played.shown:
            line, column = case.at(f"answers.{qid}")
            problems.append(Problem(line, column, f"{name}: '{qid}' is answered but never "
                                                  "asked on this path"))
    return problems


@dataclass
class TestRun:
    """The result of the cases of one journey."""

    journey_file: str
    cases_file: str
    cases: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: Why the cases could not run at all (the journey has errors); None when they ran.
    blocked: str | None = None


def run_cases(journey: CompiledJourney, cases: CasesFile) -> TestRun:
    """Run every case of a cases file against a compiled journey."""
    out = TestRun(journey.file, cases.file, problems=list(cases.problems))
    for case in cases.cases:
        out.cases += 1
        found = check_case(journey, case, cases.today)
        if found:
            out.failed += 1
            out.problems += found
    out.problems.sort(key=lambda p: (p.line, p.column))
    return out


def test_file(journey_file: str | Path) -> TestRun:
    """Load a journey and its cases file and run the cases."""
    from designer.findings import has_errors
    from designer.loading import load_journey

    cases_file = cases_path(journey_file)
    out = TestRun(str(journey_file), str(cases_file))
    if not cases_file.exists():
        out.blocked = f"no cases file ({cases_file.name})"
        return out
    cases = load_cases(cases_file)
    # Only the structural checks: the cases need a journey that runs, not its advice.
    loaded = load_journey(journey_file, analyses=[])
    if loaded.journey is None or has_errors(loaded.findings):
        errors = sum(f.severity.value == "error" for f in loaded.findings)
        out.blocked = f"the journey has {errors} error(s): run `parcours check` first"
        return out
    return run_cases(loaded.journey, cases)


test_file.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
TestRun.__test__ = False  # type: ignore[attr-defined]


def as_text(results: list[TestRun]) -> str:
    """Compiler-style failures (cases file:line:col: message), then a count per journey."""
    lines: list[str] = []
    for r in results:
        for p in r.problems:
            lines.append(f"{r.cases_file}:{p.line}:{p.column}: {p.message}")
    for r in results:
        if r.blocked:
            lines.append(f"{r.journey_file}: not tested: {r.blocked}")
        else:
            status = "ok" if not r.problems else "FAILED"
            lines.append(f"{r.journey_file}: {r.cases - r.failed}/{r.cases} case(s) pass "
                         f"[{status}]")
    return "\n".join(lines)

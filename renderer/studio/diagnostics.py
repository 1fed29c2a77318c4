"""Diagnostics of unsaved journey text, for the editor: the findings of `parcours check`
with where each one starts and ends, the rule's explanation, its documentation page, and
a one-click fix where the finding has one.

The text is checked in process by the engine's own pipeline (:func:`designer.loading.load_text`,
what `parcours check` runs on each file), so the editor and the command line can never
disagree. A fix is offered where the finding's message names the right word ("did you
mean 'x'?"): it replaces the misspelt word the finding points at.
"""

from __future__ import annotations

import datetime
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from designer.cases import cases_path, load_cases
from designer.findings import RULES, Finding, has_errors
from designer.loading import Loaded, load_text
from designer.organisation import organisation_beside

_SUGGESTION = re.compile(r"did you mean '([^']+)'")
_WORD = re.compile(r"[\w.-]+")


@dataclass(frozen=True)
class Fix:
    """Replace ``length`` characters at (line, column) with ``text``."""

    label: str
    line: int
    column: int
    length: int
    text: str


def _word_at(lines: list[str], line: int, column: int) -> str:
    if not 1 <= line <= len(lines):
        return ""
    match = _WORD.match(lines[line - 1], max(column - 1, 0))
    return match.group(0) if match else ""


def fix_for(finding: Finding, lines: list[str]) -> Fix | None:
    """The one-click fix of a finding, when its message names the word to write instead."""
    suggestion = _SUGGESTION.search(finding.message)
    if suggestion is None:
        return None
    word = _word_at(lines, finding.line, finding.column)
    # Only when the finding points at the word its message quotes: never guess a place.
    if not word or f"'{word}'" not in finding.message or word == suggestion.group(1):
        return None
    new = suggestion.group(1)
    return Fix(f"Remplacer par « {new} » / Replace with '{new}'", finding.line,
               finding.column, len(word), new)


def finding_json(finding: Finding, lines: list[str], loaded: Loaded | None = None, *,
                 rule_url: Callable[[str], str]) -> dict[str, Any]:
    """A finding as the editor draws it: from its column to the end of the word there,
    with its fixes (the word fix, and the edit fixes of :mod:`renderer.studio.fixes`)."""
    from renderer.studio.fixes import edit_fixes

    word = _word_at(lines, finding.line, finding.column)
    rule = RULES.get(finding.rule)
    fix = fix_for(finding, lines)
    edits = edit_fixes(finding, loaded) if loaded is not None else []
    return {
        "line": finding.line,
        "column": finding.column,
        "length": max(len(word), 1),
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "summary": rule.summary if rule else "",
        "docs": rule_url(finding.rule),
        "fixes": ([fix.__dict__] if fix else []) + edits,
    }


#: z3 is not thread-safe (its default context is shared): two checks of the path
#: analysis at once, in the server's thread pool, crash the process. One at a time.
_ANALYSIS = threading.Lock()


def checked_file(path: Path) -> Loaded:
    """A journey file with every check (the path analysis one at a time, as above)."""
    from designer.loading import load_journey

    with _ANALYSIS:
        return load_journey(path)


def check_text(text: str, file: str, *, structure_only: bool = False,
               origin: Path | None = None) -> Loaded:
    """Every finding of `parcours check` on unsaved text (the portfolio's duplicate-id aside);
    ``structure_only``: without the path analysis and the readability advice (no z3);
    ``origin``: where the file lies (what is declared beside it: the organisation).

    The editor sends each pause's text to /-/check and /-/figures at once: the second
    request gets the first one's result (:class:`_Recent`) instead of checking it again."""
    key = _Recent.key(text, file, structure_only, origin)
    hit = _RECENT.get(key)
    if hit is not None:
        return hit
    if structure_only:
        loaded = load_text(text, file, analyses=[], origin=origin)
        _RECENT.put(key, loaded)
        return loaded
    with _ANALYSIS:
        # The request beside this one may have checked the same text while we waited
        # (it remembered it before letting us in).
        hit = _RECENT.get(key)
        if hit is not None:
            return hit
        loaded = load_text(text, file, origin=origin)
        _RECENT.put(key, loaded)
    return loaded


class _Recent:
    """The last few checks of unsaved text, by everything a check reads: the text, the
    name findings carry, which checks ran, the organisation file beside it (as it is on
    disk now) and the day (``today()`` in conditions). Bounded: a compiled journey of
    2,000 questions weighs megabytes."""

    SIZE = 4

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[Any, ...], Loaded] = OrderedDict()

    @staticmethod
    def key(text: str, file: str, structure_only: bool, origin: Path | None) -> tuple[Any, ...]:
        """What the check of ``text`` depends on."""
        beside = organisation_beside(origin if origin is not None else file)
        stamp: tuple[str, int | None, int | None] | None = None
        if beside is not None:
            try:
                st = beside.stat()
                stamp = (str(beside), st.st_mtime_ns, st.st_size)
            except OSError:
                stamp = (str(beside), None, None)
        return (text, file, structure_only, str(origin), stamp, datetime.date.today())

    def get(self, key: tuple[Any, ...]) -> Loaded | None:
        """The check remembered under ``key``, if any."""
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], loaded: Loaded) -> None:
        """Remember a check, forgetting the oldest beyond SIZE."""
        with self._lock:
            self._items[key] = loaded
            self._items.move_to_end(key)
            while len(self._items) > self.SIZE:
                self._items.popitem(last=False)


_RECENT = _Recent()


def diagnose(text: str, file: str, loaded: Loaded | None = None, check_ms: float = 0.0, *,
             rule_url: Callable[[str], str]) -> dict[str, Any]:
    """The editor's answer for unsaved text: findings, the journey's ids (for completion),
    counts, and how long the check took (``loaded``: the text already checked, in
    ``check_ms`` milliseconds; ``rule_url``: the address of a rule's page, from its name)."""
    if loaded is None:
        started = time.perf_counter()
        loaded = check_text(text, file)
        check_ms = (time.perf_counter() - started) * 1000
    lines = text.splitlines()
    journey = loaded.journey
    ids: dict[str, list[str]] = {"steps": [], "outcomes": [], "questions": []}
    if journey is not None:
        ids = {"steps": list(journey.steps), "outcomes": list(journey.outcomes),
               "questions": list(journey.questions)}
    findings = [finding_json(f, lines, loaded, rule_url=rule_url) for f in loaded.findings]
    return {
        "findings": findings,
        "ids": ids,
        "regions": regions(loaded),
        "counts": {s: sum(f["severity"] == s for f in findings)
                   for s in ("error", "warning", "info")},
        "check_ms": round(check_ms, 1),
    }


def regions(loaded: Loaded) -> list[tuple[int, str | None]]:
    """Where each step starts, and each other top-level key (None), by line: the step the
    editor's cursor is in is the last region starting at or before its line (the citizen's
    view follows it)."""
    journey = loaded.journey
    if journey is None:
        return []
    doc = journey.document
    out: list[tuple[int, str | None]] = [
        (doc.key_position((key,))[0], None)
        for key in (doc.data or {}) if key != "steps"]
    out += [(doc.key_position(("steps", sid))[0], sid) for sid in journey.steps]
    return sorted(out, key=lambda r: r[0])


def cases_result(loaded: Loaded, journey_file: Path) -> dict[str, Any] | None:
    """The journey's test cases (``x.cases.yaml``) run on the unsaved text; None when it
    has none. Not run while the text has errors (the runs need a journey that works)."""
    from designer.testing import run_cases

    file = cases_path(journey_file)
    if not file.is_file():
        return None
    out: dict[str, Any] = {"file": file.name, "cases": 0, "failed": 0, "problems": [],
                           "blocked": False}
    if loaded.journey is None or has_errors(loaded.findings):
        out["blocked"] = True
        return out
    result = run_cases(loaded.journey, load_cases(file))
    out.update(cases=result.cases, failed=result.failed,
               problems=[{"line": p.line, "column": p.column, "message": p.message}
                         for p in result.problems])
    return out

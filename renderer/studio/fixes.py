"""One-click fixes the studio offers where a finding has an obvious, safe one.

Two kinds. A **word fix** replaces the misspelt word a finding points at with the word
its message names ("did you mean 'x'?"): it travels with the diagnostics and applies in
the browser. An **edit fix** rewrites the text through :mod:`designer.editing` (ruamel.yaml:
comments and layout kept), computed only when the designer clicks (``POST /-/fix``), so
that the diagnostics as you type stay fast:

- ``purpose``: an answer used by nothing and without `purpose` gets a `purpose` in each
  of the journey's languages, a sentence to complete (it says so) that the editor
  selects for the designer to overwrite;
- ``default``: a last branch whose condition always holds becomes the default branch;
- ``add-default``: a page after which no entry of `next` may match gets a default entry
  to one of the places it already leads to (one fix per place, the designer chooses);
- ``remove-step``: a step no path reaches, and that no `goto` names, is removed.

An edit fix is applied only when the text it gives has no more errors than before under
the structural checks (:func:`apply_fix` refuses otherwise); its change is sent back as
one replacement (line, column, length, text) of the text it was computed on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from designer.editing import EditError, add_branch, make_default, remove_step, set_question
from designer.findings import Finding, Severity
from designer.loading import Loaded

#: The purpose written by the fix, to be completed by the designer.
PURPOSE_TODO = {
    "fr": "À compléter — pourquoi l'administration a besoin de cette réponse.",
    "en": "To complete — why the administration needs this answer.",
}
#: At most this many "add a default entry to …" fixes for one page.
MAX_TARGETS = 3


@dataclass(frozen=True)
class Change:
    """Replace ``length`` characters at (line, column) with ``text``."""

    line: int
    column: int
    length: int
    text: str


def change_between(old: str, new: str) -> Change:
    """The one replacement that turns ``old`` into ``new`` (common start and end kept)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    line = old.count("\n", 0, start) + 1
    column = start - (old.rfind("\n", 0, start) + 1) + 1
    return Change(line, column, len(old) - start - end, new[start : len(new) - end])


def _param(finding: Finding, name: str) -> Any:
    return dict(finding.said.params).get(name) if finding.said else None


def edit_fixes(finding: Finding, loaded: Loaded) -> list[dict[str, Any]]:
    """The edit fixes of a finding, as the editor offers them (label and what to do)."""
    journey, key = loaded.journey, finding.said.key if finding.said else ""
    if journey is None:
        return []
    if key == "unused-answer" and finding.question:
        return [
            {
                "label": "Ajouter un `purpose` à compléter / Add a purpose to complete",
                "kind": "purpose",
                "question": finding.question,
            }
        ]
    tail = _param(finding, "tail")
    if (
        key == "always.branch"
        and finding.step
        and tail is not None
        and getattr(tail, "key", "") == "always.branch.tail-default"
    ):
        target = str(_param(finding, "target"))
        return [
            {
                "label": "En faire l'entrée par défaut (sans `when`) / Make it the default "
                "branch (no `when`)",
                "kind": "default",
                "step": finding.step,
                "target": target,
            }
        ]
    if key == "dead-end.no-match":
        step = str(_param(finding, "step"))
        if step not in journey.steps:
            return []
        targets = list(dict.fromkeys(b.target for b in journey.branches(step)))
        return [
            {
                "label": f"Ajouter une entrée par défaut vers « {t} » / Add a default "
                f"branch to '{t}'",
                "kind": "add-default",
                "step": step,
                "target": t,
            }
            for t in targets[:MAX_TARGETS]
        ]
    if key == "unreachable" and finding.step in journey.steps:
        named = any(b.target == finding.step for s in journey.steps for b in journey.branches(s))
        if not named:
            return [
                {
                    "label": f"Supprimer l'étape « {finding.step} » / Remove the step "
                    f"'{finding.step}'",
                    "kind": "remove-step",
                    "step": finding.step,
                }
            ]
    return []


class FixRefused(Exception):
    """A fix that cannot be made on this text, or that would add an error."""


def _edited(text: str, fix: dict[str, Any], languages: list[str]) -> str:
    kind = fix.get("kind")
    step, target = str(fix.get("step", "")), str(fix.get("target", ""))
    if kind == "purpose":
        purpose = {lang: PURPOSE_TODO.get(lang, PURPOSE_TODO["en"]) for lang in languages}
        return set_question(text, str(fix.get("question", "")), {"purpose": purpose})
    if kind == "default":
        return make_default(text, step, target)
    if kind == "add-default":
        return add_branch(text, step, target)
    if kind == "remove-step":
        return remove_step(text, step)
    raise FixRefused(f"unknown fix {kind!r}")


def error_count(loaded: Loaded) -> int:
    """How many errors a checked text has."""
    return sum(f.severity is Severity.ERROR for f in loaded.findings)


def added_errors(before: Loaded, after: Loaded) -> list[Finding]:
    """The errors an edit adds (none when ``after`` has no more errors than ``before``):
    those whose rule and message ``before`` lacks, else all of ``after``'s."""
    if error_count(after) <= error_count(before):
        return []
    known = {(f.rule, f.message) for f in before.findings if f.severity is Severity.ERROR}
    new = [f for f in after.findings if f.severity is Severity.ERROR]
    return [f for f in new if (f.rule, f.message) not in known] or new


def apply_fix(text: str, file: str, fix: dict[str, Any], check: Any) -> dict[str, Any]:
    """The change an edit fix makes to ``text`` (``check(text)``: the structural checks),
    refused when the text does not allow it or it would add an error."""
    before = check(text)
    languages = list(before.journey.languages) if before.journey else ["fr"]
    try:
        new = _edited(text, fix, languages)
    except EditError as exc:
        raise FixRefused(str(exc)) from None
    if before.journey is None or added_errors(before, check(new)):
        raise FixRefused("the fix would add an error to the journey")
    change = asdict(change_between(text, new))
    if fix.get("kind") == "purpose":
        # The editor selects the sentence to complete.
        todo = PURPOSE_TODO.get(languages[0], PURPOSE_TODO["en"])
        change["select"] = todo if todo in change["text"] else None
    return change


def apply_change(text: str, change: Mapping[str, Any]) -> str:
    """``text`` with one replacement (line, column, length, text) made, as the editor makes
    it in the browser; a column past the end of its line is the line's end."""
    lines = text.split("\n")
    line = min(max(int(change["line"]), 1), len(lines))
    start = sum(len(previous) + 1 for previous in lines[: line - 1])
    at = start + min(max(int(change["column"]) - 1, 0), len(lines[line - 1]))
    end = min(at + max(int(change["length"]), 0), len(text))
    return text[:at] + str(change["text"]) + text[end:]


def fixed_text(text: str, file: str, fix: Mapping[str, Any], check: Any) -> str:
    """``text`` with one fix of its diagnostics made, for the editor without JavaScript: a
    word fix as it is, an edit fix through :func:`apply_fix` (refused as there)."""
    change = apply_fix(text, file, dict(fix), check) if fix.get("kind") else fix
    return apply_change(text, change)

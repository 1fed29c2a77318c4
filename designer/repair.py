"""Setting aside what fails the schema, so that one `parcours check` reports everything.

The schema stage reports every error it finds (:mod:`designer.validation`); then,
instead of stopping, each failing part is set aside — a question, a computed value,
an entry of `next` — or kept with its valid parts — a step, an outcome, a top-level
key — and the rest is validated again and goes through every later stage. What was
set aside is remembered (:class:`SetAside`) so that those stages do not report its
consequences (a name "unknown" because its question failed the schema) and the
analysis treats what depended on it as unknown instead of guessing.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from designer.source import Path

_WORD = re.compile(r"[a-z_][a-z0-9_]*")

#: A placeholder condition: parsed as any other, then treated as unknown.
PLACEHOLDER_WHEN = "true"
#: A placeholder target: names nothing, and is never reported (its entry already was).
PLACEHOLDER_TARGET = "?"

#: Top-level keys a journey cannot do without, with a placeholder that validates.
_TOP_PLACEHOLDERS: dict[str, Any] = {
    "parcours": 1,
    "id": "journey",
    "title": "",
    "organisation": "",
    "languages": ["fr"],
    "prefill": [],
    "start": PLACEHOLDER_TARGET,
}


@dataclass
class SetAside:
    """What the schema stage set aside, and what it may have defined or read."""

    #: Ids that the parts set aside define (or may define): questions, computed values.
    names: set[str] = field(default_factory=set)
    #: Identifiers written in the parts set aside: names they may read.
    words: set[str] = field(default_factory=set)
    #: Steps whose `next` was set aside in whole or in part.
    steps: set[str] = field(default_factory=set)
    #: Conditions of `next` entries kept without their faulty parts: unknown.
    expressions: set[Path] = field(default_factory=set)
    #: `goto` of entries kept without a valid target.
    targets: set[Path] = field(default_factory=set)
    start: bool = False
    journey_id: bool = False


def _collect(value: Any, aside: SetAside, key: str | None = None) -> None:
    """Remember the ids a part set aside defines and the words it contains."""
    if key is not None:
        # An id refused for its letters (`Cohabitants`) is still the one expressions mean.
        aside.names.update((key, key.lower()))
        aside.words.add(key)
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str):
                aside.words.add(k)
                if isinstance(v, dict):
                    aside.names.add(k)
            _collect(v, aside)
    elif isinstance(value, list):
        for v in value:
            _collect(v, aside)
    elif isinstance(value, str):
        aside.words.update(_WORD.findall(value))


def _at(data: Any, path: Path) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _question_end(path: Path) -> int | None:
    """Length of the innermost question path in ``steps.S.questions.Q(.questions.Q2)…``."""
    end = None
    i = 2
    while i + 1 < len(path) and path[i] == "questions":
        end = i + 2
        i += 2
    return end


class _Repairer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.aside = SetAside()

    def remove(self, path: Path) -> None:
        parent = _at(self.data, path[:-1])
        if isinstance(parent, dict) and path[-1] in parent:
            _collect(parent.pop(path[-1]), self.aside, str(path[-1]))

    def fix(self, path: Path, missing: str | None) -> bool:
        """Set aside or repair the part at ``path``; False when nothing sensible can be done."""
        full = path + (missing,) if missing is not None else path
        if not full:
            return False
        head = full[0]
        if head == "steps":
            return self.step(full)
        if head == "outcomes":
            return self.outcome(full)
        if head == "computed":
            if len(full) == 1:
                _collect(self.data.pop("computed", None), self.aside)
                return True
            self.remove(full[:2])
            return True
        if len(full) == 1 and head in _TOP_PLACEHOLDERS:
            _collect(self.data.get(head), self.aside)
            self.data[head] = copy.deepcopy(_TOP_PLACEHOLDERS[head])
            self.aside.start |= head == "start"
            self.aside.journey_id |= head == "id"
            return True
        if head in ("steps", "outcomes"):
            return False
        # An optional or unknown top-level key (or something under it): drop it.
        _collect(self.data.pop(str(head), None), self.aside)
        return True

    def step(self, full: Path) -> bool:
        steps = self.data.get("steps")
        if len(full) < 2 or not isinstance(steps, dict):
            return False
        sid = full[1]
        if not isinstance(steps.get(sid), dict):
            if isinstance(sid, str) and sid in steps and len(full) == 2 and _is_id(sid):
                _collect(steps[sid], self.aside)
                steps[sid] = {"title": "", "next": []}
                self.aside.steps.add(sid)
            else:
                self.remove(full[:2])
            return True
        step = steps[sid]
        if len(full) == 2:
            # The step's own id is wrong: the step cannot be kept under it.
            self.remove(full)
            return True
        key = full[2]
        end = _question_end(full)
        if end is not None:
            self.remove(full[:end])
            return True
        if key == "questions":
            _collect(step.get("questions"), self.aside)
            step["questions"] = {}
            return True
        if key == "next":
            return self.branch(step, str(sid), full)
        if key == "title":
            step["title"] = ""
            return True
        # `intro` or an unknown key: drop it.
        _collect(step.pop(key, None), self.aside)
        return True

    def branch(self, step: dict[str, Any], sid: str, full: Path) -> bool:
        entries = step.get("next")
        if len(full) == 3 or not isinstance(entries, list) or not isinstance(full[3], int):
            self.aside.steps.add(sid)
            _collect(entries, self.aside)
            step["next"] = []
            return True
        i = full[3]
        entry = entries[i] if i < len(entries) else None
        _collect(entry, self.aside)
        goto = entry.get("goto") if isinstance(entry, dict) else None
        path = ("steps", sid, "next", i)
        if not isinstance(goto, str) or (len(full) > 4 and full[4] == "goto"):
            goto = PLACEHOLDER_TARGET
            self.aside.targets.add(path + ("goto",))
            self.aside.steps.add(sid)
        # Keep the entry in its place (later entries keep their lines) with an unknown
        # condition: it may or may not be taken.
        entries[i] = {"goto": goto, "when": PLACEHOLDER_WHEN}
        self.aside.expressions.add(path + ("when",))
        return True

    def outcome(self, full: Path) -> bool:
        outcomes = self.data.get("outcomes")
        if len(full) < 2 or not isinstance(outcomes, dict):
            return False
        oid = full[1]
        current = outcomes.get(oid)
        if len(full) == 2 and not (isinstance(oid, str) and _is_id(oid)):
            self.remove(full)
            return True
        # Kept as a plain exit, so that the branches to it still lead somewhere.
        _collect(current, self.aside)
        outcomes[oid] = {"kind": "exit", "title": ""}
        return True


def _is_id(name: str) -> bool:
    return re.fullmatch(r"[a-z_][a-z0-9_]*", name) is not None


def set_aside(data: dict[str, Any], places: list[tuple[Path, str | None]]) -> tuple[
    dict[str, Any] | None, SetAside
]:
    """A copy of ``data`` with every failing place set aside or repaired, and what was.

    ``places`` are the paths of the schema errors (with the missing key, for a missing
    one). None when a failure is too central to check anything else (`steps` or
    `outcomes` unusable).
    """
    repairer = _Repairer(copy.deepcopy(data))
    # Deepest first: an entry of a list is replaced in place before its list is looked at.
    for path, missing in sorted(places, key=lambda p: len(p[0]), reverse=True):
        if not repairer.fix(path, missing):
            return None, repairer.aside
    return repairer.data, repairer.aside

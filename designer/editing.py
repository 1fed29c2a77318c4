"""Edits of a journey's text that keep everything else of the file as the designer wrote it.

The studio's form panel (add a step, a question or a branch, change a question) edits the
text through ruamel.yaml's round trip, which keeps comments, key order, quoting and flow
mappings: an edit changes only the lines it must (every example journey reads and writes
back byte for byte). Each function takes the text and returns the new text, or raises
:class:`EditError` with a message for the designer; none evaluates anything.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from designer.format_types import QUESTION_TYPES

_ID = re.compile(r"^[a-z_][a-z0-9_]*$")


class EditError(Exception):
    """An edit that cannot be made (the message says why, for the designer)."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-wrap a long line the designer wrote
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(text: str) -> Any:
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        raise EditError(f"the text is not valid YAML, fix it first ({exc.__class__.__name__})"
                        ) from None
    if not isinstance(data, CommentedMap):
        raise EditError("the text is not a journey (a mapping of keys)")
    return data


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _check_id(kind: str, value: str) -> None:
    if not _ID.match(value):
        raise EditError(f"'{value}' is not a valid {kind} id: lower-case letters, digits and "
                        "_ , starting with a letter")


def _steps(data: Any) -> CommentedMap:
    steps = data.get("steps")
    if not isinstance(steps, CommentedMap):
        raise EditError("the journey has no `steps` mapping")
    return steps


def _step(data: Any, step: str) -> CommentedMap:
    found = _steps(data).get(step)
    if not isinstance(found, CommentedMap):
        raise EditError(f"there is no step '{step}'")
    return found


def _text(value: dict[str, str] | str) -> Any:
    """A text as the journey writes it: one string, or a mapping of languages."""
    if isinstance(value, str):
        return value
    kept = {lang: v for lang, v in value.items() if v}
    if len(kept) == 1:
        return next(iter(kept.values()))
    return CommentedMap(kept)


def _all_question_ids(data: Any) -> set[str]:
    ids: set[str] = set()

    def walk(questions: Any) -> None:
        if isinstance(questions, dict):
            for qid, q in questions.items():
                ids.add(str(qid))
                if isinstance(q, dict):
                    walk(q.get("questions"))

    for step in _steps(data).values():
        if isinstance(step, dict):
            walk(step.get("questions"))
    return ids


def add_question(text: str, step: str, qid: str, qtype: str, label: dict[str, str] | str,
                 *, options: dict[str, str] | None = None, when: str | None = None,
                 purpose: str | None = None) -> str:
    """Add a question at the end of a step's page."""
    data = _load(text)
    _check_id("question", qid)
    if qtype not in QUESTION_TYPES:
        raise EditError(f"'{qtype}' is not a question type ({', '.join(QUESTION_TYPES)})")
    if qid in _all_question_ids(data):
        raise EditError(f"a question '{qid}' already exists")
    page = _step(data, step)
    questions = page.get("questions")
    if not isinstance(questions, CommentedMap):
        questions = CommentedMap()
        page.insert(_after(page, ("title", "intro")), "questions", questions)
    question = CommentedMap()
    question["type"] = qtype
    if qtype == "info":
        question["content"] = _text(label)
    else:
        question["label"] = _text(label)
    if qtype in ("choice", "multichoice"):
        if not options:
            raise EditError("a choice needs options (one per line: id: label)")
        for oid in options:
            _check_id("option", oid)
        question["options"] = CommentedMap(options)
    if when:
        question["when"] = when
    if purpose:
        question["purpose"] = purpose
    questions[qid] = question
    return _dump(data)


def _after(mapping: CommentedMap, keys: tuple[str, ...]) -> int:
    """The position just after the last of ``keys`` present in ``mapping`` (0 if none)."""
    position = 0
    for i, key in enumerate(mapping):
        if key in keys:
            position = i + 1
    return position


def set_question(text: str, qid: str, changes: dict[str, Any]) -> str:
    """Change keys of an existing question (a value of None removes the key)."""
    data = _load(text)
    target = None

    def walk(questions: Any) -> None:
        nonlocal target
        if isinstance(questions, dict):
            for key, q in questions.items():
                if key == qid and isinstance(q, CommentedMap):
                    target = q
                elif isinstance(q, dict):
                    walk(q.get("questions"))

    for page in _steps(data).values():
        if isinstance(page, dict):
            walk(page.get("questions"))
    if target is None:
        raise EditError(f"there is no question '{qid}'")
    for key, value in changes.items():
        if value is None:
            target.pop(key, None)
        elif key in ("label", "content", "help") and not isinstance(value, str):
            current = target.get(key)
            if isinstance(current, CommentedMap):
                # Only the languages given change, each on its own line.
                for lang, text_ in value.items():
                    current[lang] = text_
            else:
                target[key] = _text(value)
        else:
            target[key] = value
    return _dump(data)


def set_keys(text: str, changes: dict[str, Any]) -> str:
    """Set top-level keys of the journey (``id``, ``title``…), each where it stands."""
    data = _load(text)
    for key, value in changes.items():
        data[key] = _text(value) if isinstance(value, dict) else value
    return _dump(data)


def add_step(text: str, sid: str, title: dict[str, str] | str, *, after: str | None = None,
             goto: str | None = None) -> str:
    """Add a step (after ``after``, else at the end), going to ``goto`` when given."""
    data = _load(text)
    _check_id("step", sid)
    steps = _steps(data)
    outcomes = data.get("outcomes") or {}
    if sid in steps or sid in outcomes:
        raise EditError(f"'{sid}' is already a step or an outcome")
    step = CommentedMap()
    step["title"] = _text(title)
    step["questions"] = CommentedMap()
    if goto:
        step["next"] = CommentedSeq([CommentedMap({"goto": goto})])
    position = len(steps)
    if after is not None:
        if after not in steps:
            raise EditError(f"there is no step '{after}'")
        position = list(steps).index(after) + 1
    steps.insert(position, sid, step)
    return _dump(data)


def add_branch(text: str, step: str, goto: str, when: str | None = None) -> str:
    """Add a branch to a step: a conditional one goes before the default branch."""
    data = _load(text)
    page = _step(data, step)
    branches = page.get("next")
    branch = CommentedMap({"goto": goto})
    if when:
        branch["when"] = when
    trailing = None
    if isinstance(branches, str):  # `next: step` is short for one default branch
        # What followed the scalar (a blank line, a comment) must follow the list.
        trailing = (page.ca.items.pop("next", None) or [None] * 4)[2]
        branches = CommentedSeq([CommentedMap({"goto": branches})])
        page["next"] = branches
    if not isinstance(branches, CommentedSeq):
        page["next"] = CommentedSeq([branch])
        return _dump(data)
    default = next((i for i, b in enumerate(branches)
                    if isinstance(b, dict) and "when" not in b), None)
    if when and default is not None:
        branches.insert(default, branch)
    else:
        branches.append(branch)
    if trailing is not None:
        last = branches[-1]
        last.ca.items[list(last)[-1]] = [None, None, trailing, None]
    return _dump(data)


def make_default(text: str, step: str, goto: str) -> str:
    """Make the last entry of a step's `next`, going to ``goto``, its default branch (leave
    out its `when`): the studio's fix of a condition that always holds there."""
    data = _load(text)
    branches = _step(data, step).get("next")
    last = branches[-1] if isinstance(branches, CommentedSeq) and branches else None
    if not isinstance(last, CommentedMap) or last.get("goto") != goto or "when" not in last:
        raise EditError(f"the last branch of '{step}' is not a conditional one to '{goto}'")
    # What followed the condition on its line and after it (a comment, a blank line)
    # now follows the target.
    trailing = last.ca.items.pop("when", None)
    del last["when"]
    if trailing is not None and "goto" not in last.ca.items:
        last.ca.items["goto"] = trailing
    return _dump(data)


def remove_step(text: str, sid: str) -> str:
    """Remove a step that nothing leads to (refused while a `goto` or `start` names it)."""
    data = _load(text)
    steps = _steps(data)
    if sid not in steps:
        raise EditError(f"there is no step '{sid}'")
    if data.get("start") == sid:
        raise EditError(f"'{sid}' is the journey's start")
    for other, page in steps.items():
        branches = page.get("next") if isinstance(page, dict) else None
        targets = ([branches] if isinstance(branches, str) else
                   [b.get("goto") for b in branches or [] if isinstance(b, dict)])
        if other != sid and sid in targets:
            raise EditError(f"the step '{other}' goes to '{sid}'")
    del steps[sid]
    return _dump(data)


def remove_question(text: str, qid: str) -> str:
    """Remove a question, wherever it is asked (a step's page or a repeat's items)."""
    data = _load(text)

    def remove_from(questions: Any) -> bool:
        if not isinstance(questions, CommentedMap):
            return False
        if qid in questions:
            del questions[qid]
            return True
        return any(isinstance(q, dict) and remove_from(q.get("questions"))
                   for q in questions.values())

    if not any(isinstance(page, dict) and remove_from(page.get("questions"))
               for page in _steps(data).values()):
        raise EditError(f"there is no question '{qid}'")
    return _dump(data)


def remove_branch(text: str, step: str, index: int) -> str:
    """Remove the entry ``index`` (from 0) of a step's `next` (refused for its only one:
    a step always leads somewhere)."""
    data = _load(text)
    branches = _step(data, step).get("next")
    if not isinstance(branches, CommentedSeq) or len(branches) < 2:
        raise EditError(f"'{step}' has one branch only: change its target instead")
    if not 0 <= index < len(branches):
        raise EditError(f"'{step}' has no branch {index + 1}")
    del branches[index]
    return _dump(data)

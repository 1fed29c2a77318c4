"""Schema validation: the positioned document checked against the models, as findings.

pydantic reports errors by location in the data; we map each location back to
the YAML node it came from and phrase the error for a service designer, with a
"did you mean" for misspelt keys.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from designer.compiled import where
from designer.findings import Finding
from designer.model import (
    QUESTION_CLASSES,
    QUESTION_TYPES,
    Branch,
    Check,
    Contact,
    Journey,
    Link,
    Outcome,
    Route,
    Step,
)
from designer.source import Document, Path

_TYPE_WORDS = {
    "string_type": "a text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping of keys",
    "list_type": "a list",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
}


def _data_path(data: Any, loc: tuple[str | int, ...]) -> Path:
    """Follow pydantic's location through the data, skipping union and tag markers."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, (dict, list)) and not isinstance(part, str):
            break
        # else: a union member or discriminator tag ("str", "integer", …): skip it
    return tuple(path)


def _model_at(data: Any, path: Path) -> type[BaseModel] | None:
    """Which model describes the mapping at ``path`` (to suggest known keys)."""
    if path == ():
        return Journey
    shape = [p if isinstance(p, int) else p for p in path]
    node: Any = data
    for p in path:
        if isinstance(node, dict):
            node = node.get(p)
        elif isinstance(node, list) and isinstance(p, int):
            node = node[p]
        else:
            node = None
    if len(shape) >= 2 and shape[-2] == "questions" and isinstance(node, dict):
        cls = QUESTION_CLASSES.get(str(node.get("type")))
        return cls
    if shape[0] == "contact" and len(shape) == 1:
        return Contact
    if shape[0] == "steps" and len(shape) == 2:
        return Step
    if shape[0] == "outcomes" and len(shape) == 2:
        return Outcome
    if shape[0] == "outcomes" and len(shape) == 3 and shape[2] == "link":
        return Link
    if shape[0] == "routing" and len(shape) == 2:
        return Route
    if len(shape) >= 2 and shape[-2] == "next" and isinstance(shape[-1], int):
        return Branch
    if len(shape) >= 2 and shape[-2] == "checks" and isinstance(shape[-1], int):
        return Check
    return None


def _message(
    err: dict[str, Any], data: Any, path: Path, root: type[BaseModel] = Journey
) -> str:
    kind = err["type"]
    loc = err["loc"]
    name = str(path[-1]) if path else "journey"
    if kind == "extra_forbidden":
        parent = path[:-1]
        model = _model_at(data, parent) if root is Journey else root.model_at(parent)  # type: ignore[attr-defined]
        message = f"unknown key '{name}'"
        if model is not None:
            known = list(model.model_fields)
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            if close:
                message += f": did you mean '{close[0]}'?"
            else:
                message += f" (known keys: {', '.join(known)}; use an 'x-' prefix for extensions)"
        return message
    if kind == "missing":
        missing = loc[-1]
        place = f" in '{path[-1]}'" if path else ""
        return f"missing required key '{missing}'{place}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        got = err.get("ctx", {}).get("tag", "")
        close = difflib.get_close_matches(str(got), QUESTION_TYPES, n=1, cutoff=0.6)
        hint = f": did you mean '{close[0]}'?" if close else ""
        if kind == "union_tag_not_found":
            return "a question needs a 'type' (one of " + ", ".join(QUESTION_TYPES) + ")"
        return f"unknown question type '{got}'{hint} (types: {', '.join(QUESTION_TYPES)})"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"'{name}' must be {expected}, not {err.get('input')!r}"
    if kind == "string_pattern_mismatch":
        value = err.get("input")
        if path and path[0] == "id" and len(path) == 1:
            return f"the journey id {value!r} must be a slug: lowercase letters, digits and '-'"
        if isinstance(value, str) and len(loc) and loc[-1] == "[key]":
            return (f"the id {value!r} must be lowercase letters, digits and '_', "
                    "not starting with a digit")
        return f"{value!r} is not allowed here (expected the pattern {err['ctx']['pattern']})"
    if kind in _TYPE_WORDS:
        got = err.get("input")
        shown = f"{got!r}" if not isinstance(got, (dict, list)) else type(got).__name__
        return f"'{name}' must be {_TYPE_WORDS[kind]}, not {shown}"
    if kind == "value_error":
        return f"'{name}': {err['msg'].removeprefix('Value error, ')}"
    if kind in ("greater_than_equal", "less_than_equal", "too_short", "too_long"):
        return f"'{name}': {err['msg'].lower()}"
    return f"'{name}': {err['msg']}"


def validate(doc: Document) -> tuple[Journey | None, list[Finding]]:
    """Validate a positioned document against format v1."""
    model, findings = validate_as(doc, Journey)
    return model if isinstance(model, Journey) else None, findings


def validate_as(doc: Document, root: type[BaseModel]) -> tuple[BaseModel | None, list[Finding]]:
    """Validate a positioned document against ``root`` (a model other than ``Journey`` names
    the model of a mapping for "did you mean" with a ``model_at(path)`` class method)."""
    try:
        return root.model_validate(doc.data), []
    except ValidationError as exc:
        errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
    located: list[tuple[Path, dict[str, Any]]] = []
    for err in errors:
        loc = tuple(err["loc"])
        key_error = "[key]" in loc
        if key_error:
            loc = tuple(p for p in loc if p != "[key]")
        path = _data_path(doc.data, loc)
        if key_error:
            err = dict(err, loc=tuple(err["loc"]))
        located.append((path, err))
    # A union reports one error per member; keep the deepest paths, one message per place.
    deepest: list[tuple[Path, dict[str, Any]]] = []
    for path, err in located:
        if any(len(other) > len(path) and other[: len(path)] == path for other, _ in located):
            continue
        deepest.append((path, err))
    findings: list[Finding] = []
    seen: set[tuple[Path, str]] = set()
    for path, err in deepest:
        message = _message(err, doc.data, path, root)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        key_error = "[key]" in err["loc"]
        if err["type"] in ("extra_forbidden",) or key_error:
            position = doc.key_position(path)
        else:
            position = doc.position(path)
        findings.append(
            Finding.of("schema", message, doc.file, position, **where(path))
        )
    # When several members of a union failed at the same place, say it once.
    by_place: dict[tuple[int, int], list[Finding]] = {}
    for f in findings:
        by_place.setdefault((f.line, f.column), []).append(f)
    merged: list[Finding] = []
    for group in by_place.values():
        if len(group) > 1 and all(" must be " in f.message for f in group):
            head = group[0].message.split(" must be ")[0]
            kinds = " or ".join(sorted({f.message.split(" must be ")[1].split(", not")[0]
                                        for f in group}))
            merged.append(Finding.of("schema", f"{head} must be {kinds}", group[0].file,
                                     (group[0].line, group[0].column),
                                     step=group[0].step, question=group[0].question))
        else:
            merged.extend(group)
    return None, merged

"""Schema validation: the positioned document checked against the models, as findings.

pydantic reports errors by location in the data; we map each location back to
the YAML node it came from and phrase the error for a service designer, with a
"did you mean" for misspelt keys.
"""

from __future__ import annotations

import difflib
import logging
from typing import Any

from pydantic import BaseModel, ValidationError

from designer.check_messages import Message, OneOf, msg
from designer.compiled import where
from designer.findings import Finding
from designer.format_types import QUESTION_TYPES, TEXT_LANGUAGE, FormatError
from designer.model import Branch, Contact, Journey, Link, Outcome, Route, Step
from designer.questions import QUESTION_CLASSES, Check
from designer.repair import SetAside, set_aside
from designer.source import Document, Path

log = logging.getLogger(__name__)

#: pydantic's type errors, each said as the kind of value expected (`type.*` messages).
_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "integer",
    "int_parsing": "integer",
    "int_from_float": "integer",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "boolean",
    "bool_parsing": "boolean",
    "dict_type": "mapping",
    "list_type": "list",
    "model_type": "mapping",
    "model_attributes_type": "mapping",
}
_BOUNDS = {
    "greater_than_equal": "ge",
    "less_than_equal": "le",
    "too_short": "min_length",
    "too_long": "max_length",
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
) -> Message:
    kind = err["type"]
    loc = err["loc"]
    name = str(path[-1]) if path else "journey"
    ctx = err.get("ctx", {})
    if kind == "extra_forbidden":
        parent = path[:-1]
        # Another root (organisation.yaml) names the model of a mapping itself.
        model = (_model_at(data, parent) if root is Journey
                 else root.model_at(parent))  # type: ignore[attr-defined]
        if model is None:
            return msg("schema.unknown-key", name=name)
        known = list(model.model_fields)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            return msg("schema.unknown-key.close", name=name, close=close[0])
        return msg("schema.unknown-key.known", name=name, known=", ".join(known))
    if kind == "missing":
        if path:
            return msg("schema.missing-key.in", key=loc[-1], place=path[-1])
        return msg("schema.missing-key", key=loc[-1])
    if kind == "union_tag_not_found":
        return msg("schema.question-type.missing", types=", ".join(QUESTION_TYPES))
    if kind == "union_tag_invalid":
        got = str(ctx.get("tag", ""))
        close = difflib.get_close_matches(got, QUESTION_TYPES, n=1, cutoff=0.6)
        if close:
            return msg("schema.question-type.close", got=got, close=close[0],
                       types=", ".join(QUESTION_TYPES))
        return msg("schema.question-type.unknown", got=got, types=", ".join(QUESTION_TYPES))
    if kind == "literal_error":
        return msg("schema.literal", name=name, expected=ctx.get("expected", ""),
                   got=repr(err.get("input")))
    if kind == "string_pattern_mismatch":
        value = err.get("input")
        if path and path[0] == "id" and len(path) == 1:
            return msg("schema.journey-id", value=repr(value))
        if isinstance(value, str) and len(loc) and loc[-1] == "[key]":
            if ctx.get("pattern") == TEXT_LANGUAGE:
                return msg("schema.text-language", value=repr(value))
            return msg("schema.id", value=repr(value))
        return msg("schema.pattern", value=repr(value), pattern=ctx.get("pattern", ""))
    if kind in _TYPE_WORDS:
        value = err.get("input")
        shown = f"{value!r}" if not isinstance(value, (dict, list)) else type(value).__name__
        return msg("schema.must-be", name=name, kind=OneOf([msg(f"type.{_TYPE_WORDS[kind]}")]),
                   got=shown)
    refused = ctx.get("error")
    if kind == "value_error" and isinstance(refused, FormatError):
        return msg(refused.key, name=name, **refused.params)
    if kind in _BOUNDS:
        return msg(f"schema.{_BOUNDS[kind]}", name=name, limit=ctx.get(_BOUNDS[kind], ""))
    # Any other error of the models: pydantic's own words, which exist only in English.
    return msg("schema.other", name=name, detail=err["msg"].removeprefix("Value error, "))


def validate(doc: Document) -> tuple[Journey | None, list[Finding], SetAside]:
    """Validate a positioned document against format v1, tolerantly.

    Every error is reported; then the failing parts are set aside (:mod:`designer.repair`)
    and the rest is validated again, so that the later stages check it. The model is
    None only when what failed is too central (`steps` or `outcomes` unusable).
    """
    try:
        return Journey.model_validate(doc.data), [], SetAside()
    except ValidationError as exc:
        findings, places = _findings(doc, exc)
    data, aside = set_aside(doc.data, places)
    if data is None:
        return None, findings, aside
    try:
        return Journey.model_validate(data), findings, aside
    except ValidationError:
        # A repair this module did not foresee: report what was found, check no further.
        log.debug("%s: the parts set aside still leave schema errors", doc.file)
        return None, findings, aside


def validate_as(doc: Document, root: type[BaseModel]) -> tuple[BaseModel | None, list[Finding]]:
    """Validate a positioned document against ``root``, another model than ``Journey``
    (``organisation.yaml``), which names the model of a mapping for "did you mean" with a
    ``model_at(path)`` class method. Not tolerant: a file this small is fixed in one go."""
    try:
        return root.model_validate(doc.data), []
    except ValidationError as exc:
        findings, _ = _findings(doc, exc, root)
        return None, findings


def _findings(doc: Document, exc: ValidationError, root: type[BaseModel] = Journey) -> tuple[
    list[Finding], list[tuple[Path, str | None]]
]:
    """The findings of a failed validation, and the places that failed (for set_aside)."""
    errors: list[dict[str, Any]] = [dict(e) for e in exc.errors(include_url=False)]
    places: list[tuple[Path, str | None]] = []
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
    # (A missing key counts as one level deeper than its mapping: it is not a union's
    # member failing there, and `start` missing must not hide an error in `steps`.)
    # But a key missing beside a misspelling of it is said once, by "did you mean".)
    unknown = {path: err for path, err in located if err["type"] == "extra_forbidden"}
    depth = [path + (str(err["loc"][-1]),) if err["type"] == "missing" and not any(
        other[:-1] == path and difflib.get_close_matches(str(err["loc"][-1]), [str(other[-1])],
                                                         n=1, cutoff=0.6)
        for other in unknown
    ) else path for path, err in located]
    deepest: list[tuple[Path, dict[str, Any]]] = []
    for (path, err), own in zip(located, depth, strict=True):
        if any(len(other) > len(own) and other[: len(own)] == own for other in depth):
            if err["type"] == "missing":
                # Said by "did you mean", but still to be repaired.
                places.append((path, str(err["loc"][-1])))
            continue
        deepest.append((path, err))
    findings: list[Finding] = []
    seen: set[tuple[Path, Message]] = set()
    for path, err in deepest:
        missing = str(err["loc"][-1]) if err["type"] == "missing" else None
        places.append((path, missing))
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
        said = [f.said for f in group]
        if len(group) > 1 and all(m is not None and m.key == "schema.must-be" for m in said):
            params = [dict(m.params) for m in said if m is not None]
            kinds = sorted({k for p in params for k in p["kind"]}, key=str)
            first = group[0]
            merged.append(Finding.of(
                "schema", msg("schema.must-be-any", name=params[0]["name"], kind=OneOf(kinds)),
                first.file, (first.line, first.column), step=first.step, question=first.question,
            ))
        else:
            merged.extend(group)
    return merged, places

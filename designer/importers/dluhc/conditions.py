"""CORE's ``depends_on`` → journey expressions.

A ``depends_on`` is a list of alternatives joined by OR, each a dict of tests joined by
AND. A test names a question (``{"renewal": 0}``), an option of a checkbox question (CORE
stores each box as a field), a model method that is a plain test on answers
(model.CORE_METHODS), or a soft-validation method (soft.SoftValidations).
"""

from __future__ import annotations

import json
from typing import Any

from designer.expressions import Expr

from ..common import (
    AskedLater,
    Collector,
    NeverHolds,
    Symbol,
    Untranslatable,
    and_,
    answered,
    compare,
    finish,
    not_,
    or_,
)
from .model import CORE_METHODS, SETUP_COMPLETED
from .soft import SoftValidations

_OPS = {">": ">", "<": "<", ">=": ">=", "<=": "<=", "==": "==", "!=": "!="}


class DependsOnTranslator:
    """The translation of CORE's conditions, over the symbols of the importer it is a part
    of (the DLUHC importer declares these attributes as it reads the form)."""

    out: Collector
    #: Journey questions of each CORE field, and of each checkbox option (CORE's box fields).
    copies: dict[str, list[Symbol]]
    checkbox_option: dict[str, list[Symbol]]
    #: CORE's setup fields asked by the journey: field → {"symbol", "question"}.
    setup: dict[str, dict[str, Any]]
    #: The model methods translated (each gets one note).
    method_notes: set[str]
    soft: SoftValidations
    #: Build two-valued tests (under a negation): each guarded by answered().
    strict: bool

    def refs(self, key: str, before: int) -> list[Symbol]:
        copies = [s for s in self.copies.get(key, []) if s.order < before]
        if key in self.copies and not copies:
            raise AskedLater(f"{key} is only asked later in the form")
        return copies

    def atom(self, key: str, value: Any, before: int) -> Expr:
        """One test of a depends_on alternative."""
        op = "=="
        if isinstance(value, dict):
            if "operator" not in value:
                raise Untranslatable(f"test on {key}: {value!r} has no equivalent")
            op = _OPS.get(str(value["operator"]), "")
            if not op:
                raise Untranslatable(f"operator {value['operator']!r} has no equivalent")
            value = value.get("operand")
        boxes = [s for s in self.copies.get(key, []) if s.type == "multichoice"]
        if key in self.checkbox_option and (key not in self.copies or boxes):
            return self.box(key, op, value, before)
        if key in self.copies:
            copies = self.refs(key, before)
            if value is None and op == "==":
                # Unanswered: none of the copies holds an answer.
                result = and_(*[not_(answered(s)) for s in copies])
                assert result is not None
                return result
            # Variant pages may offer different options: a copy without the value never
            # equals it (and always differs from it once answered).
            tests: list[Expr] = []
            reasons: list[str] = []
            for symbol in copies:
                try:
                    test = compare(symbol, op, value)
                    if self.strict:
                        test = and_(answered(symbol), test) or test
                    tests.append(test)
                except Untranslatable as exc:
                    reasons.append(str(exc))
                    if op == "!=" and symbol.type == "choice":
                        tests.append(answered(symbol))
            if not tests:
                raise NeverHolds("; ".join(reasons))
            return or_(*tests)
        if key in self.setup:
            symbol = self.setup[key]["symbol"]
            test = compare(symbol, op, value)
            return (and_(answered(symbol), test) or test) if self.strict else test
        if key in CORE_METHODS and op == "==" and isinstance(value, bool):
            return self.method(key, value, before)
        if self.soft.knows(key) and op == "==" and value is True:
            return self.soft.rule(key, before)
        if key == SETUP_COMPLETED and op == "==" and value is True and self.setup:
            self.method_notes.add(key)
            result = and_(*[answered(v["symbol"]) for v in self.setup.values()])
            assert result is not None
            return result
        if key.endswith("?"):
            raise Untranslatable(f"{key} is a method of CORE's Ruby model, not in the form")
        raise Untranslatable(f"{key} is neither a question of the form nor a setup field")

    def method(self, key: str, truth: bool, before: int) -> Expr:
        """A CORE model method that is a test on answers (see CORE_METHODS)."""
        self.method_notes.add(key)
        if truth:
            return self.depends_on(CORE_METHODS[key], before)
        # Ruby's method is false on an empty field, where the journey language says unknown:
        # negate a two-valued form of it (each test guarded by answered()).
        self.strict = True
        try:
            expr = self.depends_on(CORE_METHODS[key], before)
        finally:
            self.strict = False
        return not_(expr)

    def box(self, key: str, op: str, value: Any, before: int) -> Expr:
        """A test on one box of a checkbox question (CORE stores each box as a field)."""
        holders = [s for s in self.checkbox_option[key] if s.order < before]
        if not holders:
            raise Untranslatable(f"the box {key} is only asked later in the form")
        if op == "==" and value in (1, True, "1"):
            return or_(*[compare(s, "==", key) for s in holders])
        if op == "==" and value in (0, False, "0"):
            result = and_(*[compare(s, "!=", key) for s in holders])
            assert result is not None
            return result
        if op == "==" and value is None:
            result = and_(*[not_(answered(s)) for s in holders])
            assert result is not None
            return result
        raise Untranslatable(f"test {key} {op} {value!r} on a box")

    def depends_on(self, alternatives: Any, before: int) -> Expr:
        if not isinstance(alternatives, list) or not alternatives:
            raise Untranslatable("depends_on is not a list of alternatives")
        disjuncts: list[Expr] = []
        never: list[str] = []
        for alternative in alternatives:
            if not isinstance(alternative, dict) or not alternative:
                raise Untranslatable("an alternative that is not a mapping of tests")
            try:
                conjunct = and_(*[self.atom(str(k), v, before) for k, v in alternative.items()])
            except NeverHolds as exc:
                # An alternative testing a value no question offers never holds: drop it.
                never.append(str(exc))
                continue
            assert conjunct is not None
            disjuncts.append(conjunct)
        if not disjuncts:
            raise Untranslatable("no alternative can hold: " + "; ".join(never))
        return or_(*disjuncts)

    def translate(self, alternatives: Any, before: int, ref: str) -> str | None:
        try:
            text = finish(self.depends_on(alternatives, before))
        except Untranslatable as exc:
            self.out.condition(False)
            self.out.note(ref, f"depends_on {short_json(alternatives)}", str(exc))
            return None
        self.out.condition(True)
        return text


def short_json(value: Any) -> str:
    """A JSON value on one line, cut at 160 characters (for notes)."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "…"

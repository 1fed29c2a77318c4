"""Form-builder conditions → journey expressions.

Conditions are named once and referred to by name: as strings (``section.field == true``,
read by designer/importers/sourceexpr.py) or structured objects (V1 ``{field, operator,
value}`` with coordinators, V2 ``{items, coordinator}`` with nested ``conditionId``). Each
is translated into one expression, inlined where it is used.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from designer.expressions import Expr, names, parse

from ..common import (
    Collector,
    Symbol,
    Untranslatable,
    and_,
    answered,
    compare,
    contains,
    finish,
    not_,
    or_,
)
from ..sourceexpr import Translator, parse_source

OPERATORS = {
    "is": "==",
    "is not": "!=",
    "is more than": ">",
    "is less than": "<",
    "is at least": ">=",
    "is at most": "<=",
    "is after": ">",
    "is before": "<",
}


class ConditionTranslator:
    """The named conditions of one definition, translated over its fields' symbols."""

    def __init__(self, conditions: dict[str, dict[str, Any]], lists: dict[str, dict[str, Any]],
                 fields: dict[str, Symbol], out: Collector) -> None:
        self.conditions = conditions
        self.lists = lists
        #: The symbol of each component name (filled by the importer as it declares them).
        self.fields = fields
        self.out = out
        #: The conditions used somewhere (the others are noted as not carried over).
        self.used_conditions: set[str] = set()
        # Question ids a condition may use where it is evaluated (None: no restriction).
        self.allowed: set[str] | None = None

    def resolve(self, name: str) -> Symbol:
        symbol = self.fields.get(name) or self.fields.get(name.split(".")[-1])
        if symbol is None:
            raise Untranslatable(f"{name!r} names no component of the form")
        if self.allowed is not None and symbol.id not in self.allowed:
            raise Untranslatable(f"{name!r} is asked on no page before this point")
        return symbol

    def condition(self, key: str, seen: tuple[str, ...] = ()) -> Expr:
        """The expression of the named (V1) or identified (V2) condition `key`."""
        if key in seen:
            raise Untranslatable(f"condition {key!r} refers to itself")
        definition = self.conditions.get(key)
        if definition is None:
            raise Untranslatable(f"no condition named {key!r}")
        self.used_conditions.add(str(definition.get("name") or definition.get("id")))
        seen = (*seen, key)
        value = definition.get("value")
        if "items" in definition:  # V2
            return self.v2_group(definition, seen)
        if isinstance(value, str):
            return Translator(self.resolve).condition(parse_source(value, "js"))
        if isinstance(value, dict):
            return self.v1_group(value.get("conditions") or [], seen)
        raise Untranslatable(f"condition {key!r} has no value")

    def v1_group(self, items: list[Any], seen: tuple[str, ...]) -> Expr:
        # Coordinators join each item to the previous one; 'and' binds tighter than 'or'.
        disjuncts: list[list[Expr]] = [[]]
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise Untranslatable("a condition item that is not an object")
            if i and str(item.get("coordinator") or "and").lower() == "or":
                disjuncts.append([])
            if "conditionName" in item:
                expr = self.condition(str(item["conditionName"]), seen)
            elif "conditions" in item:
                expr = self.v1_group(item["conditions"], seen)
            else:
                field = item.get("field")
                if not isinstance(field, dict):
                    raise Untranslatable("a condition item without a field")
                symbol = self.resolve(str(field.get("name")))
                value = item.get("value")
                if isinstance(value, dict):
                    if value.get("type") not in (None, "Value"):
                        raise Untranslatable(f"{value.get('type')} values have no equivalent")
                    value = value.get("value")
                expr = self.operator(symbol, str(item.get("operator")), value)
            disjuncts[-1].append(expr)
        parts = [and_(*terms) for terms in disjuncts if terms]
        if not parts:
            raise Untranslatable("an empty condition")
        return or_(*[p for p in parts if p is not None])

    def v2_group(self, definition: dict[str, Any], seen: tuple[str, ...]) -> Expr:
        terms: list[Expr] = []
        for item in definition.get("items") or []:
            if not isinstance(item, dict):
                raise Untranslatable("a condition item that is not an object")
            if "conditionId" in item:
                terms.append(self.condition(str(item["conditionId"]), seen))
                continue
            if "items" in item:
                terms.append(self.v2_group(item, seen))
                continue
            symbol = self.resolve(str(item.get("componentId")))
            value = item.get("value")
            kind = item.get("type")
            if kind == "ListItemRef" and isinstance(value, dict):
                value = self.list_item_value(value)
            elif kind not in ("BooleanValue", "StringValue", "NumberValue", "DateValue", None):
                raise Untranslatable(f"{kind} values have no equivalent")
            terms.append(self.operator(symbol, str(item.get("operator")), value))
        if not terms:
            raise Untranslatable("an empty condition")
        if str(definition.get("coordinator") or "and").lower() == "or":
            return or_(*terms)
        result = and_(*terms)
        assert result is not None
        return result

    def list_item_value(self, ref: dict[str, Any]) -> Any:
        list_ = self.lists.get(str(ref.get("listId")))
        for item in (list_ or {}).get("items") or []:
            if isinstance(item, dict) and item.get("id") == ref.get("itemId"):
                return item.get("value")
        raise Untranslatable(f"list item {ref.get('itemId')} not found")

    def operator(self, symbol: Symbol, operator: str, value: Any) -> Expr:
        op = operator.strip().lower()
        if op == "contains":
            return contains(symbol, value)
        if op == "does not contain":
            # An unanswered field contains nothing, for the source engines.
            return or_(not_(answered(symbol)), contains(symbol, value, negate=True))
        if op in OPERATORS:
            result = compare(symbol, OPERATORS[op], value)
            # The XGov and DEFRA engines read an unanswered field as "not the value";
            # the journey language says unknown, so say it explicitly.
            if OPERATORS[op] == "!=" or (symbol.type == "yesno" and op == "is not"):
                return or_(not_(answered(symbol)), result)
            return result
        raise Untranslatable(f"the operator {operator!r} has no equivalent")

    def translated(self, key: str, ref: str) -> str | None:
        """The condition `key` as expression text, or None (with a note) when it cannot be."""
        try:
            expr = self.condition(key)
            if expr is None:
                raise Untranslatable("an empty condition")
            text = finish(expr)
        except Untranslatable as exc:
            self.out.condition(False)
            label = self.conditions.get(key, {}).get("displayName") or key
            self.out.note(ref, f"condition {label!r}", str(exc))
            return None
        self.out.condition(True)
        return text


def exhaustive(conditions: list[str], symbols: dict[str, Symbol], limit: int = 512) -> bool:
    """Whether some condition holds for every possible answer (small finite domains only).

    Conditions over yes/no, choice and small multiple-choice answers are checked by
    trying every combination of values (null included); anything else is not
    decided (False).
    """
    from designer.run import holds  # the engine's run semantics: only this check needs them

    trees = [parse(text) for text in conditions]
    used = sorted({n for tree in trees for n in names(tree)})
    domains: list[list[Any]] = []
    size = 1
    for name in used:
        symbol = symbols.get(name)
        if symbol is None:
            return False
        if symbol.type == "yesno":
            domain: list[Any] = [True, False, None]
        elif symbol.type == "choice" and symbol.options:
            domain = [*symbol.options, None]
        elif symbol.type == "multichoice" and symbol.options and len(symbol.options) <= 6:
            domain = [None] + [
                [o for i, o in enumerate(symbol.options) if mask >> i & 1]
                for mask in range(1, 2 ** len(symbol.options))
            ]
        else:
            return False
        size *= len(domain)
        if size > limit:
            return False
        domains.append(domain)
    today = datetime.date(2000, 1, 1)
    for values in itertools.product(*domains):
        env = dict(zip(used, values, strict=True))
        if not any(holds(tree, env, today) for tree in trees):
            return False
    return True

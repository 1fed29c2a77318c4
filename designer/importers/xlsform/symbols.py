"""The first pass of an XLSForm import: every row's journey id and type, and the XPath of
its cells translated against them.

A row is declared in survey order (its `order`: an expression may only read answers given
before); a select whose ``choice_filter`` cascades from another select is split into one
question per value of its parent. XPath (``relevant``, ``constraint``, ``calculation``…)
is translated by designer/importers/sourceexpr.py through this table: a name that is
unknown, later in the form, inside another repeat or an untranslated calculation makes
the cell untranslatable, with the reason.
"""

from __future__ import annotations

from typing import Any

from designer.expressions import Compare, Literal, Name

from ..common import (
    Collector,
    Ids,
    ImportRefused,
    SourceSyntaxError,
    Symbol,
    Untranslatable,
    finish,
    or_,
)
from ..sourceexpr import Translator, parse_source
from .question_types import question_type
from .sheets import Form, Node, Row, cell_text
from .texts import Languages

#: How XLSForm writes yes and no in ``required``, ``relevant``, ``read_only``…
TRUE = {"yes", "true", "true()", "1"}
FALSE = {"no", "false", "false()", "0", ""}


class SymbolTable:
    """The questions, calculations and repeats of one form, declared before any is built."""

    def __init__(self, form: Form, languages: Languages, out: Collector) -> None:
        self.form = form
        self.languages = languages
        self.out = out
        self.ids = Ids()
        self.symbols: dict[str, Symbol] = {}
        self.failed_calcs: dict[str, str] = {}
        self.order = 0
        #: Selects split by a cascading choice filter (one question per parent value).
        self.split_names: set[str] = set()

    def declare(self, row: Row, repeat: str | None) -> Symbol | None:
        """First pass: give the row an id and a type in the symbol table."""
        name = row.get("name")
        kind = row.get("type").lower().strip()
        if kind in ("calculate",):
            symbol = Symbol(self.ids.allocate(name or "calc", "calc"), "computed",
                            order=self.order, repeat=repeat)
        else:
            qtype, extra = question_type(row, self.form, self.languages, self.out)
            if qtype is None:
                return None
            options = list(extra["options"]) if "options" in extra else None
            rows = extra.pop("_rows", None)
            split = self.split_plan(row, qtype, rows) if rows else None
            if split and len(split) == 1 and not split[0][0]:
                # A fixed filter: one question, with the options the filter keeps.
                extra["options"] = split[0][1]
                options = list(split[0][1])
                row.cells["_filtered"] = True
                split = None
            if not split:
                symbol = Symbol(self.ids.allocate(name or f"row_{row.number}"), qtype, options,
                                self.order, repeat)
            else:
                self.order += 1
                if name:
                    self.split_names.add(name)
                row.cells["_split"] = [
                    (Symbol(self.ids.allocate("_".join([name, *values.values()])), qtype,
                            list(opts), self.order, repeat), values, opts)
                    for values, opts in split
                ]
                row.cells["_extra"] = extra
                row.cells["_symbol"] = row.cells["_split"][0][0]
                return row.cells["_symbol"]
            if extra.pop("_or_other", False):
                # pyxform adds a free-text question NAME_other after the select.
                self.order += 1
                other = Symbol(self.ids.allocate(f"{name}_other"), "text", None, self.order,
                               repeat)
                self.symbols[f"{name}_other"] = other
                row.cells["_other"] = other
            row.cells["_extra"] = extra
        self.order += 1
        if name:
            self.symbols[name] = symbol
        row.cells["_symbol"] = symbol
        return symbol

    def split_plan(self, row: Row, qtype: str, rows: list[Row]
                   ) -> list[tuple[dict[str, str], dict[str, Any]]] | None:
        """A cascading choice filter (``col = ${parent}`` joined by ``and``) as one question
        per combination of parent values: [({parent: value}, options)], or None."""
        text = row.get("choice_filter")
        if not text or row.get("constraint"):
            return None
        try:
            tree = parse_source(text, "xpath")
        except Untranslatable:
            return None
        pairs: list[tuple[str, str]] = []

        def walk(node: Any) -> bool:
            if node[0] == "bin" and node[1] == "and":
                return walk(node[2]) and walk(node[3])
            if node[0] == "bin" and node[1] == "==":
                sides = {node[2][0]: node[2], node[3][0]: node[3]}
                if set(sides) == {"path", "ref"}:
                    pairs.append((sides["path"][1], sides["ref"][1]))
                    return True
                if set(sides) == {"path", "lit"}:
                    fixed.append((sides["path"][1], str(sides["lit"][1])))
                    return True
            return False

        fixed: list[tuple[str, str]] = []
        if not walk(tree) or not (pairs or fixed):
            return None
        rows = [c for c in rows if all(c.get(col.lower()) == v for col, v in fixed)]
        found = [self.parent_values(parent) for _, parent in pairs]
        parents = [values for values in found if values is not None]
        if len(parents) != len(found):
            return None
        groups: dict[tuple[str, ...], dict[str, Any]] = {}
        for choice in rows:
            key = tuple(choice.get(column.lower()) for column, _ in pairs)
            if not all(key) or any(v not in allowed for v, allowed in
                                   zip(key, parents, strict=True)):
                continue  # never offered: its filter value is no answer of the parent
            groups.setdefault(key, {})[choice.get("name")] = self.languages.text(choice, "label") \
                or choice.get("name")
        if not groups:
            return None
        if pairs:
            self.out.note(row.ref, f"choice_filter: {text}", "one question per value of "
                          f"{', '.join(p for _, p in pairs)}, each with the options that value "
                          "allows, shown when the parent has that value")
        else:
            self.out.note(row.ref, f"choice_filter: {text}", "a fixed filter: only the "
                          "options it keeps are offered")
        return [({parent: v for (_, parent), v in zip(pairs, key, strict=True)}, options)
                for key, options in groups.items()]

    def parent_values(self, name: str) -> set[str] | None:
        """The values a choice-filter parent can have (None: not a usable parent)."""
        for row in self.form.survey:
            if row.get("name") == name:
                if row.cells.get("_split"):
                    return {o for symbol, _, _ in row.cells["_split"] for o in symbol.options}
                symbol = row.cells.get("_symbol")
                if symbol is not None and symbol.type == "choice" and symbol.repeat is None:
                    return set(symbol.options or [])
                return None
        return None

    def parent_test(self, parent: str, value: str) -> str:
        """`parent == value`, over the parent's copies when it is itself split."""
        for row in self.form.survey:
            if row.get("name") == parent:
                copies = [s for s, _, _ in row.cells.get("_split") or []]
                if not copies:
                    copies = [row.cells["_symbol"]]
                tests = [Compare(Name(s.id), ("==",), (Literal(value),)) for s in copies
                         if value in (s.options or [])]
                return finish(or_(*tests))
        raise Untranslatable(f"no parent {parent}")

    def resolver(self, at: Symbol | None, repeat: str | None) -> Any:
        def resolve(name: str) -> Symbol:
            symbol = self.symbols.get(name)
            if name in self.split_names:
                raise Untranslatable(f"${{{name}}} is split by its choice filter into one "
                                     "question per value of its parent")
            if symbol is None:
                raise Untranslatable(f"${{{name}}} names no question")
            if name in self.failed_calcs:
                raise Untranslatable(f"uses the calculation {name}, not translated "
                                     f"({self.failed_calcs[name]})")
            if at is not None and symbol.order >= at.order and symbol is not at:
                raise Untranslatable(f"refers to ${{{name}}}, which comes later in the form")
            if symbol.repeat is not None and symbol.repeat != repeat:
                raise Untranslatable(f"refers to ${{{name}}} inside a repeat from outside it")
            return symbol

        return resolve

    def translate(self, text: str, at: Symbol | None, repeat: str | None,
                  as_value: bool = False) -> str:
        tree = parse_source(text, "xpath")
        translator = Translator(self.resolver(at, repeat), at)
        expr = translator.value(tree) if as_value else translator.condition(tree)
        return finish(expr)

    def condition_cell(self, row: Row, column: str, at: Symbol | None,
                       repeat: str | None) -> tuple[str | bool | None, bool]:
        """Translate a relevant/required-like cell: (expression or bool or None, translated)."""
        raw = row.cells.get(column)
        if raw is None:
            return None, True
        if isinstance(raw, bool):
            return raw, True
        text = cell_text(raw).strip()
        if text.lower() in TRUE:
            return True, True
        if text.lower() in FALSE:
            return False, True
        try:
            return self.translate(text, at, repeat), True
        except SourceSyntaxError as exc:
            raise ImportRefused(
                f"{row.ref}: {column} {text!r} is not valid XPath ({exc})"
            ) from None
        except Untranslatable as exc:
            self.out.note(row.ref, f"{column}: {text}", str(exc))
            return None, False

    def declare_all(self, node: Node, repeat: str | None) -> None:
        """Declare every row under `node` in survey order (a repeat's rows as its items')."""
        for child in node.children:
            if isinstance(child, Row):
                self.declare(child, repeat)
            elif child.kind == "repeat":
                row = child.row
                assert row is not None
                inner = Symbol(self.ids.allocate(row.get("name") or f"repeat_{row.number}"),
                               "repeat", order=self.order, repeat=repeat)
                self.order += 1
                if row.get("name"):
                    self.symbols[row.get("name")] = inner
                row.cells["_symbol"] = inner
                self.declare_all(child, inner.id if repeat is None else repeat)
            else:
                self.declare_all(child, repeat)

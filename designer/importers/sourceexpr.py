"""A tokenizer and precedence-climbing parser for the expressions of foreign forms.

Two dialects share it: ODK XPath as written in XLSForm (``${age} >= 18 and
selected(${pets}, 'dog')``, ``.`` for the current answer, ``div``/``mod``,
function names with hyphens) and the JavaScript-like strings of the XGov form
builder (``section.field == true && other > 1``). The result is a small tree
of tuples that each importer translates into a Parcours expression, with its
own symbol table; nothing is ever evaluated.

Nodes: ``("ref", name)``, ``("self",)``, ``("lit", value)``,
``("call", name, [args])``, ``("bin", op, left, right)``, ``("not", x)``,
``("neg", x)``. Comparison operators are normalised to ``== != < <= > >=``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .common import SourceSyntaxError, Untranslatable

Node = tuple[Any, ...]

# Typographic quotes happen in real forms (UCL Biomass: ${any_trees} = ‘yes’):
# ODK rejects them, but the intent is unambiguous, so we read them as quotes.
_QUOTES = {"'": "'", '"': '"', "\u2018": "\u2019", "\u201c": "\u201d", "\u2019": "\u2019"}


@dataclass(frozen=True)
class Token:
    """One token: kind is ref, name, number, string, op or end."""

    kind: str
    value: Any
    at: int


def tokenize(text: str, dialect: str) -> list[Token]:
    """Split `text` into tokens; `dialect` is "xpath" or "js"."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if text.startswith("${", i):
            end = text.find("}", i)
            if end < 0:
                raise SourceSyntaxError(f"unclosed ${{ at {i}")
            tokens.append(Token("ref", text[i + 2 : end].strip(), i))
            i = end + 1
            continue
        if c.isdigit() or (c == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i
            while j < n and (text[j].isdigit() or text[j] == "."):
                j += 1
            raw = text[i:j]
            try:
                value: int | float = int(raw) if raw.isdigit() else float(raw)
            except ValueError:
                raise SourceSyntaxError(f"bad number {raw!r}") from None
            tokens.append(Token("number", value, i))
            i = j
            continue
        if c in _QUOTES:
            close = _QUOTES[c]
            # A string opened by a typographic quote may be closed by either form.
            closers = {close, "\u2019"} if c == "\u2018" else {close}
            j = i + 1
            while j < n and text[j] not in closers:
                j += 1
            if j >= n:
                raise SourceSyntaxError(f"unclosed string at {i}")
            tokens.append(Token("string", text[i + 1 : j], i))
            i = j + 1
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (
                text[j].isalnum()
                or text[j] in "_."
                or (dialect == "xpath" and text[j] in "-:" and j + 1 < n and text[j + 1].isalpha())
            ):
                j += 1
            tokens.append(Token("name", text[i:j], i))
            i = j
            continue
        two = text[i : i + 2]
        if two in ("==", "!=", "<=", ">=", "&&", "||", ".."):
            if two == "..":
                raise Untranslatable("'..' (parent node) has no equivalent")
            tokens.append(Token("op", two, i))
            i += 2
            continue
        if c in "=<>+-*/(),!.[]":
            tokens.append(Token("op", c, i))
            i += 1
            continue
        raise SourceSyntaxError(f"unexpected character {c!r} at {i}")
    tokens.append(Token("end", None, n))
    return tokens


_EQUALITY = {"=": "==", "==": "==", "!=": "!="}
_RELATIONAL = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}


class Parser:
    """Precedence climbing over the tokens: or < and < equality < relational < + - < * div mod."""

    def __init__(self, text: str, dialect: str) -> None:
        self.text = text
        self.dialect = dialect
        self.tokens = tokenize(text, dialect)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, kind: str, *values: str) -> Token | None:
        token = self.peek()
        if token.kind == kind and (not values or token.value in values):
            self.i += 1
            return token
        return None

    def expect_op(self, value: str) -> None:
        if not self.accept("op", value):
            token = self.peek()
            raise SourceSyntaxError(f"expected {value!r} at {token.at} in {self.text!r}")

    def parse(self) -> Node:
        node = self.or_expr()
        if self.peek().kind != "end":
            raise SourceSyntaxError(f"unexpected {self.peek().value!r} at {self.peek().at}")
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.accept("name", "or") or self.accept("op", "||"):
            node = ("bin", "or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.equality()
        while self.accept("name", "and") or self.accept("op", "&&"):
            node = ("bin", "and", node, self.equality())
        return node

    def equality(self) -> Node:
        node = self.relational()
        while True:
            token = self.peek()
            if token.kind == "op" and token.value in _EQUALITY:
                self.take()
                node = ("bin", _EQUALITY[token.value], node, self.relational())
            else:
                return node

    def relational(self) -> Node:
        node = self.additive()
        while True:
            token = self.peek()
            if token.kind == "op" and token.value in _RELATIONAL:
                self.take()
                node = ("bin", _RELATIONAL[token.value], node, self.additive())
            else:
                return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while True:
            token = self.peek()
            if token.kind == "op" and token.value in "+-":
                self.take()
                node = ("bin", token.value, node, self.multiplicative())
            else:
                return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while True:
            token = self.peek()
            if token.kind == "op" and token.value in ("*", "/"):
                self.take()
                node = ("bin", token.value, node, self.unary())
            elif token.kind == "name" and token.value in ("div", "mod"):
                self.take()
                node = ("bin", "/" if token.value == "div" else "mod", node, self.unary())
            else:
                return node

    def unary(self) -> Node:
        if self.accept("op", "-"):
            return ("neg", self.unary())
        if self.accept("op", "!"):
            return ("not", self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "ref":
            return ("ref", token.value)
        if token.kind == "number":
            return ("lit", token.value)
        if token.kind == "string":
            return ("lit", token.value)
        if token.kind == "op" and token.value == "(":
            node = self.or_expr()
            self.expect_op(")")
            return node
        if token.kind == "op" and token.value == ".":
            return ("self",)
        if token.kind == "op" and token.value == "[":
            raise Untranslatable("XPath predicates [...] have no equivalent")
        if token.kind == "name":
            if self.accept("op", "("):
                args: list[Node] = []
                if not self.accept("op", ")"):
                    args.append(self.or_expr())
                    while self.accept("op", ","):
                        args.append(self.or_expr())
                    self.expect_op(")")
                return ("call", token.value, args)
            if token.value in ("true", "false") and self.dialect == "js":
                return ("lit", token.value == "true")
            if self.dialect == "js":
                return ("ref", token.value)
            return ("path", token.value)
        raise SourceSyntaxError(f"unexpected {token.value!r} at {token.at} in {self.text!r}")


def parse_source(text: str, dialect: str) -> Node:
    """Parse a source expression; raises Untranslatable with the reason on failure."""
    return Parser(text, dialect).parse()


# ---------------------------------------------------------------------------
# Translation into Parcours expressions

_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _refs(node: Node) -> list[Node]:
    """The answer references (``${x}``, ``.``) anywhere in `node`."""
    if node[0] in ("ref", "self"):
        return [node]
    found: list[Node] = []
    for child in node[1:]:
        if isinstance(child, tuple):
            found.extend(_refs(child))
        elif isinstance(child, list):
            for item in child:
                found.extend(_refs(item))
    return found


def _empty_value(node: Node) -> Any:
    """The XPath value of `node` when every answer it reads is empty (NaN: not a number)."""
    kind = node[0]
    if kind in ("ref", "self"):
        return ""
    if kind == "lit":
        return node[1]
    if kind == "call" and node[1] in ("count-selected", "string-length", "count"):
        return 0.0
    if kind == "neg":
        return -_as_number(_empty_value(node[1]))
    if kind == "bin" and node[1] in ("+", "-", "*", "/"):
        a, b = _as_number(_empty_value(node[2])), _as_number(_empty_value(node[3]))
        if node[1] == "/":
            return a / b if b else math.nan
        return {"+": a + b, "-": a - b, "*": a * b}[node[1]]
    return math.nan


def _as_number(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _holds_when_empty(op: str, left: Node, right: Node) -> bool:
    """Whether XPath's comparison holds when its answers are empty ('' compares as NaN)."""
    a, b = _empty_value(left), _empty_value(right)
    if op in ("==", "!="):
        if isinstance(a, str) and isinstance(b, str):
            same = a == b
        else:
            same = _as_number(a) == _as_number(b)
        return same if op == "==" else not same
    x, y = _as_number(a), _as_number(b)
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


class Translator:
    """Turns a source tree into a :mod:`designer.expressions` tree.

    `resolve(name)` returns the :class:`~designer.importers.common.Symbol` of a
    source reference (raising Untranslatable when it names nothing usable);
    `self_symbol` is what ``.`` means (the question a constraint belongs to).
    """

    def __init__(self, resolve: Any, self_symbol: Any = None) -> None:
        self.resolve = resolve
        self.self_symbol = self_symbol

    def symbol_of(self, node: Node) -> Any:
        if node[0] == "ref":
            return self.resolve(node[1])
        if node[0] == "self":
            if self.self_symbol is None:
                raise Untranslatable("'.' outside a constraint")
            return self.self_symbol
        if node[0] == "call" and node[1] in ("number", "string") and len(node[2]) == 1:
            return self.symbol_of(node[2][0])
        return None

    def condition(self, node: Node, positive: bool = True) -> Any:
        """Translate `node` where a truth value is expected.

        In XPath and JavaScript an unanswered field is a value (the empty string,
        `undefined`) and every test on it is true or false; in the journey language
        it is unknown. Each test is therefore made two-valued where it matters: a
        test that holds on an empty answer (``!=``) gets ``not answered(x) or``, and a
        test under a negation gets ``answered(x) and`` (`positive` tracks that).
        """
        from designer.expressions import Compare, Literal, Name

        from .common import and_, answered, compare, contains, not_, or_

        def two_valued(expr: Any, symbol: Any, holds_when_empty: bool) -> Any:
            if holds_when_empty:
                return or_(not_(answered(symbol)), expr)
            if not positive:
                result = and_(answered(symbol), expr)
                return result
            return expr

        kind = node[0]
        if kind == "bin" and node[1] in ("and", "or"):
            left = self.condition(node[2], positive)
            right = self.condition(node[3], positive)
            return and_(left, right) if node[1] == "and" else or_(left, right)
        if kind == "not" or (kind == "call" and node[1] == "not" and len(node[2]) == 1):
            return not_(self.condition(node[1] if kind == "not" else node[2][0], not positive))
        if kind == "lit" and isinstance(node[1], bool):
            return Literal(node[1])
        if kind == "call" and node[1] in ("true", "false") and not node[2]:
            return Literal(node[1] == "true")
        if kind == "call" and node[1] == "selected":
            if len(node[2]) != 2 or node[2][1][0] != "lit":
                raise Untranslatable("selected() needs a question and a literal value")
            symbol = self.symbol_of(node[2][0])
            if symbol is None:
                raise Untranslatable("selected() on something that is not a question")
            return two_valued(contains(symbol, node[2][1][1]), symbol, False)
        if kind in ("ref", "self"):
            symbol = self.symbol_of(node)
            if symbol.type == "yesno":
                return two_valued(Name(symbol.id), symbol, False)
            return answered(symbol)
        if kind == "bin" and node[1] in _COMPARISONS:
            op, left, right = node[1], node[2], node[3]
            # string-length(${x}) > 0 and friends are "answered" in disguise.
            for fn_side, lit_side, oper in ((left, right, op), (right, left, _FLIPPED[op])):
                if (
                    fn_side[0] == "call"
                    and fn_side[1] == "string-length"
                    and len(fn_side[2]) == 1
                    and lit_side[0] == "lit"
                    and lit_side[1] in (0, 1)
                ):
                    symbol = self.symbol_of(fn_side[2][0])
                    if symbol is None:
                        break
                    test = (oper, lit_side[1])
                    if test in ((">", 0), ("!=", 0), (">=", 1)):
                        return answered(symbol)
                    if test in (("==", 0), ("<", 1), ("<=", 0)):
                        return not_(answered(symbol))
            left_symbol = self.symbol_of(left) if left[0] in ("ref", "self", "call") else None
            right_symbol = self.symbol_of(right) if right[0] in ("ref", "self", "call") else None
            for side in (left, right):
                if side[0] == "lit" and side[1] == "":
                    other = right if side is left else left
                    symbol = self.symbol_of(other)
                    if symbol is None:
                        break
                    if op == "==":
                        return not_(answered(symbol))
                    if op == "!=":
                        return answered(symbol)
            if left_symbol is not None and left_symbol.type != "computed" and right[0] == "lit":
                return two_valued(compare(left_symbol, op, right[1]), left_symbol, op == "!=")
            if right_symbol is not None and right_symbol.type != "computed" and left[0] == "lit":
                return two_valued(compare(right_symbol, _FLIPPED[op], left[1]), right_symbol,
                                  op == "!=")
            expr = Compare(self.value(left), (op,), (self.value(right),))
            refs = [r for r in (self.symbol_of(n) for n in _refs(node))
                    if r is not None and r.type != "computed"]
            refs = list({r.id: r for r in refs}.values())
            if len(refs) == 1:
                return two_valued(expr, refs[0], _holds_when_empty(op, left, right))
            if not positive and refs:
                return and_(*[answered(r) for r in refs], expr)
            return expr
        if kind == "call":
            raise Untranslatable(f"function {node[1]}() has no equivalent in a condition")
        if kind == "path":
            raise Untranslatable(f"the XPath path {node[1]!r} has no equivalent")
        raise Untranslatable("this expression is not a condition")

    def is_date(self, node: Node) -> bool:
        """Whether `node` is a date: today(), date('…') or a date answer."""
        if node[0] == "call" and node[1] in ("today", "date"):
            return True
        if node[0] in ("ref", "self"):
            symbol = self.symbol_of(node)
            return symbol is not None and symbol.type == "date"
        return False

    def value(self, node: Node) -> Any:
        """Translate `node` where a value (number, string, date, answer) is expected."""
        from designer.expressions import BinOp, Call, Literal, Name, Unary

        kind = node[0]
        if kind in ("ref", "self"):
            symbol = self.symbol_of(node)
            if symbol.type in ("info", "file"):
                raise Untranslatable(f"{symbol.id} has no value usable in an expression")
            return Name(symbol.id)
        if kind == "lit":
            return Literal(node[1])
        if kind == "neg":
            return Unary("-", self.value(node[1]))
        if kind == "bin" and node[1] == "-" and self.is_date(node[2]) and self.is_date(node[3]):
            # XPath subtracts dates as a number of days.
            return Call("days_between", (self.value(node[3]), self.value(node[2])))
        if kind == "bin" and node[1] in ("+", "-", "*", "/"):
            return BinOp(node[1], self.value(node[2]), self.value(node[3]))
        if kind == "bin" and node[1] == "mod":
            raise Untranslatable("'mod' has no equivalent")
        if kind == "bin" and node[1] in _COMPARISONS + ("and", "or"):
            return self.condition(node)
        if kind == "not":
            return self.condition(node)
        if kind == "call":
            name, args = node[1], node[2]
            if name == "today" and not args:
                return Call("today", ())
            if name in ("number", "string") and len(args) == 1:
                return self.value(args[0])
            if name == "int" and len(args) == 1:
                symbol = self.symbol_of(args[0])
                if symbol is not None and symbol.type == "integer":
                    return self.value(args[0])
                raise Untranslatable("int() truncates: no equivalent")
            if name == "count-selected" and len(args) == 1:
                symbol = self.symbol_of(args[0])
                if symbol is None or symbol.type not in ("multichoice", "repeat"):
                    raise Untranslatable(
                        "count-selected() of something that is not a multiple choice"
                    )
                return Call("len", (Name(symbol.id),))
            if name == "count" and len(args) == 1:
                symbol = self.symbol_of(args[0])
                if symbol is None or symbol.type != "repeat":
                    raise Untranslatable("count() of something that is not a repeat")
                return Call("len", (Name(symbol.id),))
            if name == "date" and len(args) == 1 and args[0][0] == "lit":
                text = str(args[0][1])
                if len(text) == 10 and text[4] == "-" and text[7] == "-":
                    return Call("date", (Literal(text),))
            if name in ("not", "selected", "true", "false"):
                return self.condition(node)
            raise Untranslatable(f"function {name}() has no equivalent")
        if kind == "path":
            raise Untranslatable(f"the XPath path {node[1]!r} has no equivalent")
        raise Untranslatable("unsupported expression")

"""Parse the text of an expression into its typed tree.

A recursive-descent parser over the tokens of :mod:`designer.expressions.tokens`,
one function per precedence level (by increasing precedence: or; and; not; comparisons; + -;
* /; unary -; atoms). Hostile input is bounded before it can hurt: the text
is at most MAX_LENGTH characters, nesting at most MAX_NESTING levels and the
tree at most MAX_DEPTH levels, so that parsing, checking and evaluating never
reach Python's recursion limit. Nothing here uses eval, exec or compile.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from designer.check_messages import Message, msg

from .ast import (
    FUNCTIONS,
    BinOp,
    BoolOp,
    Call,
    Compare,
    Expr,
    ListLit,
    Literal,
    Name,
    Unary,
    children,
)
from .tokens import Token, tokenize

MAX_LENGTH = 2000
MAX_NESTING = 40
#: Deepest tree accepted: long arithmetic chains nest without parentheses.
MAX_DEPTH = 100

_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})


class ExpressionSyntaxError(ValueError):
    """An expression that does not parse: a message for a designer and where it went wrong.

    `offset` is the 0-based character offset of the problem in the expression text.
    """

    def __init__(self, message: Message, offset: int) -> None:
        super().__init__(str(message), offset)
        self.message = str(message)
        #: The message as a catalogue entry (designer/check_messages.py).
        self.said = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (at character {self.offset + 1})"


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.last = len(self.tokens) - 1  # the end token: reading never goes past it
        self.pos = 0
        self.nesting = 0

    # -- token helpers -------------------------------------------------

    def peek(self, ahead: int = 0) -> Token:
        index = self.pos + ahead
        token = self.tokens[index if index < self.last else self.last]
        if token.kind == "error" and ahead == 0:
            raise ExpressionSyntaxError(cast(Message, token.value), token.start)
        return token

    def advance(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    # is_op and is_keyword are asked at every level of the grammar, several times per
    # token: peek() written out in each.
    def is_op(self, *values: str) -> bool:
        index = self.pos
        token = self.tokens[index if index < self.last else self.last]
        if token.kind == "error":
            raise ExpressionSyntaxError(cast(Message, token.value), token.start)
        return token.kind == "op" and token.value in values

    def is_keyword(self, value: str) -> bool:
        index = self.pos
        token = self.tokens[index if index < self.last else self.last]
        if token.kind == "error":
            raise ExpressionSyntaxError(cast(Message, token.value), token.start)
        return token.kind == "keyword" and token.value == value

    def previous(self) -> Token | None:
        return self.tokens[self.pos - 1] if self.pos > 0 else None

    def enter(self, token: Token) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExpressionSyntaxError(msg("syntax.nested", limit=MAX_NESTING), token.start)

    def leave(self) -> None:
        self.nesting -= 1

    # -- grammar --------------------------------------------------------

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ExpressionSyntaxError(msg("syntax.empty"), 0)
        expr = self.or_expr()
        token = self.peek()
        if token.kind != "end":
            if token.kind == "op" and token.value == ")":
                raise ExpressionSyntaxError(msg("syntax.close-unopened"), token.start)
            raise ExpressionSyntaxError(msg("syntax.after-complete", token=token.text),
                                        token.start)
        return expr

    def or_expr(self) -> Expr:
        return self._bool_level("or", self.and_expr)

    def and_expr(self) -> Expr:
        return self._bool_level("and", self.not_expr)

    def _bool_level(self, op: str, parse_operand: Callable[[], Expr]) -> Expr:
        first = parse_operand()
        if not self.is_keyword(op):
            return first
        operands = [first]
        while self.is_keyword(op):
            self.advance()
            operands.append(parse_operand())
        return BoolOp(op, tuple(operands), start=operands[0].start, end=operands[-1].end)

    def not_expr(self) -> Expr:
        if self.is_keyword("not"):
            token = self.advance()
            self.enter(token)
            operand = self.not_expr()
            self.leave()
            return Unary("not", operand, start=token.start, end=operand.end)
        return self.comparison()

    def _compare_op(self) -> str | None:
        token = self.peek()
        if token.kind == "op" and token.value in _COMPARE:
            return str(token.value)
        if token.kind == "keyword" and token.value == "in":
            return "in"
        if token.kind == "keyword" and token.value == "not":
            following = self.peek(1)
            if following.kind == "keyword" and following.value == "in":
                return "not in"
        return None

    def comparison(self) -> Expr:
        left = self.additive()
        ops: list[str] = []
        comparators: list[Expr] = []
        while (op := self._compare_op()) is not None:
            self.advance()
            if op == "not in":
                self.advance()
            ops.append(op)
            comparators.append(self.additive())
        if not ops:
            return left
        return Compare(
            left, tuple(ops), tuple(comparators), start=left.start, end=comparators[-1].end
        )

    def additive(self) -> Expr:
        left = self.multiplicative()
        while self.is_op("+", "-"):
            op = str(self.advance().value)
            right = self.multiplicative()
            left = BinOp(op, left, right, start=left.start, end=right.end)
        return left

    def multiplicative(self) -> Expr:
        left = self.unary()
        while self.is_op("*", "/"):
            op = str(self.advance().value)
            right = self.unary()
            left = BinOp(op, left, right, start=left.start, end=right.end)
        return left

    def unary(self) -> Expr:
        if self.is_op("-"):
            token = self.advance()
            following = self.peek()
            if following.kind == "number":
                # A negative number is one literal, as a designer reads `-5`.
                self.advance()
                value = following.value
                assert isinstance(value, (int, float))
                return Literal(-value, start=token.start, end=following.end)
            self.enter(token)
            operand = self.unary()
            self.leave()
            return Unary("-", operand, start=token.start, end=operand.end)
        return self.atom()

    def atom(self) -> Expr:
        token = self.peek()
        if token.kind in ("number", "string"):
            self.advance()
            return Literal(token.value, start=token.start, end=token.end)  # type: ignore[arg-type]
        if token.kind == "keyword" and token.value in ("true", "false", "null"):
            self.advance()
            value = {"true": True, "false": False, "null": None}[str(token.value)]
            return Literal(value, start=token.start, end=token.end)
        if token.kind == "name":
            self.advance()
            if self.is_op("("):
                return self.call(token)
            return Name(str(token.value), start=token.start, end=token.end)
        if token.kind == "op" and token.value == "(":
            self.advance()
            self.enter(token)
            inner = self.or_expr()
            self.leave()
            closing = self.peek()
            if closing.kind == "op" and closing.value == ")":
                self.advance()
                return inner
            if closing.kind == "end":
                raise ExpressionSyntaxError(msg("syntax.unclosed-parenthesis"), token.start)
            raise ExpressionSyntaxError(
                msg("syntax.expected-close", token=closing.text, at=token.start + 1),
                closing.start,
            )
        if token.kind == "op" and token.value == "[":
            return self.list_literal()
        raise self.expected_value(token)

    def expected_value(self, token: Token) -> ExpressionSyntaxError:
        """The error for a place where a value should start but `token` is found."""
        before = self.previous()
        if before is not None and before.kind in ("op", "keyword"):
            if before.value == "(" and token.kind == "op" and token.value == ")":
                return ExpressionSyntaxError(msg("syntax.empty-parentheses"), token.start)
            if before.value in ("(", "[", ","):
                where: Message | str = ""
            else:
                where = msg("syntax.after", token=before.text)
            if token.kind == "end":
                return ExpressionSyntaxError(msg("syntax.expected-value", where=where),
                                             token.start)
            if token.kind == "keyword" and token.value == "not":
                return ExpressionSyntaxError(msg("syntax.found-not", where=where), token.start)
            return ExpressionSyntaxError(
                msg("syntax.expected-found", where=where, token=token.text), token.start
            )
        if token.kind == "end":
            return ExpressionSyntaxError(msg("syntax.expected-value", where=""), token.start)
        return ExpressionSyntaxError(
            msg("syntax.expected-found", where="", token=token.text), token.start
        )

    def list_literal(self) -> Expr:
        opening = self.advance()
        self.enter(opening)
        items: list[Expr] = []
        while True:
            if self.is_op("]"):
                break
            if self.peek().kind == "end":
                raise ExpressionSyntaxError(msg("syntax.unclosed-bracket"), opening.start)
            items.append(self.or_expr())
            if self.is_op(","):
                self.advance()
                continue
            if self.is_op("]"):
                break
            token = self.peek()
            if token.kind == "end":
                raise ExpressionSyntaxError(msg("syntax.unclosed-bracket"), opening.start)
            raise ExpressionSyntaxError(msg("syntax.in-list", token=token.text), token.start)
        closing = self.advance()
        self.leave()
        return ListLit(tuple(items), start=opening.start, end=closing.end)

    def call(self, name: Token) -> Expr:
        func = str(name.value)
        if func not in FUNCTIONS:
            close = difflib.get_close_matches(func, FUNCTIONS, n=1)
            hint = (msg("name.hint.close", name=close[0]) if close else
                    msg("syntax.functions", functions=", ".join(sorted(FUNCTIONS))))
            raise ExpressionSyntaxError(msg("syntax.unknown-function", func=func, hint=hint),
                                        name.start)
        opening = self.advance()
        self.enter(opening)
        args: list[Expr] = []
        while not self.is_op(")"):
            if self.peek().kind == "end":
                raise ExpressionSyntaxError(msg("syntax.unclosed-parenthesis"), opening.start)
            args.append(self.or_expr())
            if self.is_op(","):
                self.advance()
                continue
            if self.is_op(")"):
                break
            token = self.peek()
            if token.kind == "end":
                raise ExpressionSyntaxError(msg("syntax.unclosed-parenthesis"), opening.start)
            raise ExpressionSyntaxError(msg("syntax.in-call", token=token.text, func=func),
                                        token.start)
        closing = self.advance()
        self.leave()
        expected = FUNCTIONS[func]
        if len(args) != expected:
            raise ExpressionSyntaxError(
                msg("syntax.arguments", func=func, expected=_values(expected),
                    got=_values(len(args))),
                name.start,
            )
        if func == "answered" and not isinstance(args[0], Name):
            raise ExpressionSyntaxError(msg("syntax.answered"), args[0].start)
        if func == "date":
            _check_date_literal(args[0])
        return Call(func, tuple(args), start=name.start, end=closing.end)


def _values(count: int) -> Message:
    return msg(f"syntax.values.{count}" if count < 2 else "syntax.values.n", count=count)


def _check_date_literal(arg: Expr) -> None:
    if not (isinstance(arg, Literal) and isinstance(arg.value, str)):
        raise ExpressionSyntaxError(msg("syntax.date"), arg.start)
    if parse_iso_date(arg.value) is None:
        raise ExpressionSyntaxError(msg("syntax.date-invalid", value=arg.value), arg.start)


def parse_iso_date(text: str) -> datetime.date | None:
    """The date written `YYYY-MM-DD` (exactly), or None when it is not a real date."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    digits = text[:4] + text[5:7] + text[8:]
    if not all("0" <= c <= "9" for c in digits):
        return None
    try:
        return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None


def parse(text: str) -> Expr:
    """Parse the text of an expression into its typed tree.

    Raises ExpressionSyntaxError (message for a designer, 0-based offset) when
    the text is not a valid expression of format v1, including hostile input:
    too long, too deeply nested, or too complex a tree.
    """
    if not isinstance(text, str):
        raise ExpressionSyntaxError(msg("syntax.not-text"), 0)
    return _parsed(text)


# Cached by text: trees are frozen values (designer/expressions/ast.py), so one tree may
# stand for every place the same text is written; a journey checked again (the studio, on
# every keystroke) parses only the expressions that changed. Errors are not cached.
@lru_cache(maxsize=8192)
def _parsed(text: str) -> Expr:
    if len(text) > MAX_LENGTH:
        raise ExpressionSyntaxError(
            msg("syntax.too-long", length=len(text), limit=MAX_LENGTH), MAX_LENGTH
        )
    parser = _Parser(text)
    tree = parser.parse()
    # Each node of the tree has a token of its own (a name, a literal, an operator, the
    # first `and`, a function's name, an opening bracket): a tree of no more tokens than
    # MAX_DEPTH cannot be deeper, and most expressions are that short.
    if parser.last > MAX_DEPTH:
        deepest = _too_deep(tree)
        if deepest is not None:
            raise ExpressionSyntaxError(msg("syntax.too-complex", limit=MAX_DEPTH),
                                        deepest.start)
    return tree


def _too_deep(tree: Expr) -> Expr | None:
    """The first node found below MAX_DEPTH levels, or None (iterative: no recursion)."""
    stack: list[tuple[Expr, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        if level > MAX_DEPTH:
            return node
        stack.extend((child, level + 1) for child in children(node))
    return None

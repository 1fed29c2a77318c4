"""Split the text of an expression into tokens for the parser (designer.expressions.parser).

A bad character does not raise: it becomes an ``error`` token carrying a message for the
designer (a smart quote, an accent, ``&&``, Python's ``True``...), then the end, so that the
parser reports the first problem in reading order.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from designer.check_messages import Message, msg

_KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
# Spellings from other languages that a designer may try, with the fix.
#: Words of other languages (Python, SQL, JavaScript) and the word to write instead.
_WRONG_WORDS = {
    "True": "true", "TRUE": "true", "False": "false", "FALSE": "false", "None": "null",
    "NULL": "null", "Null": "null", "AND": "and", "OR": "or", "NOT": "not", "And": "and",
    "Or": "or", "Not": "not",
}  # fmt: skip


class Token(NamedTuple):
    """One token: its kind, its value and where it lies in the text.

    A named tuple rather than a frozen dataclass: every expression of a journey is cut
    into tokens at each check, and a tuple is made in C."""

    kind: str  # number, string, name, keyword, op, error, end
    value: object
    start: int
    end: int

    @property
    def text(self) -> Message | str:
        """How the token is shown in a message."""
        if self.kind == "end":
            return msg("syntax.end")
        if self.kind == "string":
            return f'"{self.value}"'
        return f"'{self.value}'"


def _is_name_char(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z") or ("0" <= c <= "9")


_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t"}
_SMART_QUOTES = "\u201c\u201d\u2018\u2019\u00ab\u00bb"


# One token of a well-formed expression, after blanks: a number not run into a letter, a
# dot or a digit; a name not run into a non-ASCII letter; a string without escapes; an
# operator. Possessive quantifiers: a name or a number is never cut short to let the
# lookahead pass. Anything else ("&&", "=", an accent, an escape...) is left to the
# character-by-character reader, which says what is wrong.
_WELL_FORMED = re.compile(
    r"""[ \t\r\n]*+(?:
        (?P<number>[0-9]++(?:\.[0-9]++)?+)(?![A-Za-z0-9_.])
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*+)(?![^\x00-\x7f])
      | "(?P<double>[^"\\]*+)"
      | '(?P<single>[^'\\]*+)'
      | (?P<op>[=!<>]=|[<>+\-*/()\[\],])
    )""",
    re.VERBOSE,
)
_BLANKS = re.compile(r"[ \t\r\n]*+\Z")


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens; a bad character becomes an `error` token, then the end.

    Errors are tokens rather than exceptions so that the parser reports the
    first problem in reading order.
    """
    # The common case, a well-formed expression, is read token by token with one pattern
    # (a few times faster); at the first thing it does not know, the whole text is read
    # again by :func:`read_characters`, the reference, which gives the same tokens
    # (tests/expressions/test_tokens.py) and the error.
    tokens: list[Token] = []
    append = tokens.append
    match = _WELL_FORMED.match
    i, n = 0, len(text)
    while i < n:
        found = match(text, i)
        if found is None:
            if _BLANKS.match(text, i):
                break
            return read_characters(text)
        kind = found.lastgroup or ""  # always a group's name: each branch is one group
        start, i = found.start(kind), found.end()
        if kind == "word":
            word = found.group(kind)
            if word in _WRONG_WORDS:
                return read_characters(text)
            append(Token("keyword" if word in _KEYWORDS else "name", word, start, i))
        elif kind == "number":
            raw = found.group(kind)
            append(Token("number", float(raw) if "." in raw else int(raw), start, i))
        elif kind == "op":
            append(Token("op", found.group(kind), start, i))
        else:  # a string: it starts at its opening quote
            append(Token("string", found.group(kind), start - 1, i))
    append(Token("end", None, n, n))
    return tokens


def read_characters(text: str) -> list[Token]:
    """:func:`tokenize` character by character: the reference, and the reader of texts
    with a mistake, which it turns into an ``error`` token saying what to write instead."""
    tokens: list[Token] = []
    i, n = 0, len(text)

    def error(message: Message, at: int) -> list[Token]:
        tokens.append(Token("error", message, at, at + 1))
        tokens.append(Token("end", None, n, n))
        return tokens

    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        start = i
        if "0" <= c <= "9":
            while i < n and "0" <= text[i] <= "9":
                i += 1
            is_float = False
            if i < n and text[i] == ".":
                if i + 1 < n and "0" <= text[i + 1] <= "9":
                    is_float = True
                    i += 1
                    while i < n and "0" <= text[i] <= "9":
                        i += 1
                else:
                    return error(msg("syntax.number-dot"), i)
            if i < n and _is_name_char(text[i]):
                return error(msg("syntax.after-number", char=text[i], number=text[start:i]), i)
            raw = text[start:i]
            value: int | float = float(raw) if is_float else int(raw)
            tokens.append(Token("number", value, start, i))
            continue
        if c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z"):
            while i < n and _is_name_char(text[i]):
                i += 1
            word = text[start:i]
            if i < n and ord(text[i]) > 127 and text[i].isalpha():
                return error(msg("syntax.accent", char=text[i]), i)
            if word in _WRONG_WORDS:
                right = _WRONG_WORDS[word]
                key = "syntax.wrong-case" if word.lower() == right else "syntax.wrong-word"
                return error(msg(key, word=word, right=right), start)
            kind = "keyword" if word in _KEYWORDS else "name"
            tokens.append(Token(kind, word, start, i))
            continue
        if c in "\"'":
            quote = c
            i += 1
            chars: list[str] = []
            while True:
                if i >= n:
                    return error(msg("syntax.unclosed-string", quote=quote), start)
                ch = text[i]
                if ch == quote:
                    i += 1
                    break
                if ch == "\\":
                    if i + 1 >= n:
                        return error(msg("syntax.unclosed-string", quote=quote), start)
                    esc = text[i + 1]
                    if esc not in _ESCAPES:
                        return error(msg("syntax.escape", escape=esc), i)
                    chars.append(_ESCAPES[esc])
                    i += 2
                    continue
                chars.append(ch)
                i += 1
            tokens.append(Token("string", "".join(chars), start, i))
            continue
        two = text[i : i + 2]
        if two in ("==", "!=", "<=", ">="):
            tokens.append(Token("op", two, start, i + 2))
            i += 2
            continue
        if two == "&&":
            return error(msg("syntax.use", right="and", wrong="&&"), i)
        if two == "||":
            return error(msg("syntax.use", right="or", wrong="||"), i)
        if c in "<>+-*/()[],":
            tokens.append(Token("op", c, start, i + 1))
            i += 1
            continue
        if c == "=":
            return error(msg("syntax.equals"), i)
        if c == "!":
            return error(msg("syntax.use", right="not", wrong="!"), i)
        if c == "&":
            return error(msg("syntax.use", right="and", wrong="&"), i)
        if c == "|":
            return error(msg("syntax.use", right="or", wrong="|"), i)
        if c in _SMART_QUOTES:
            return error(msg("syntax.smart-quote", char=c), i)
        if c.isalpha():
            return error(msg("syntax.accent", char=c), i)
        return error(msg("syntax.character", char=c), i)
    tokens.append(Token("end", None, n, n))
    return tokens

"""Parser: precedence, chains, literals, error messages with offsets, hostile input."""

from __future__ import annotations

import pytest

from designer.expressions import ExpressionSyntaxError, parse, unparse
from designer.expressions.ast import (
    BinOp,
    BoolOp,
    Call,
    Compare,
    ListLit,
    Literal,
    Name,
    Unary,
)


def n(x: str) -> Name:
    return Name(x)


def lit(v: object) -> Literal:
    return Literal(v)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, tree",
    [
        ("a or b and c", BoolOp("or", (n("a"), BoolOp("and", (n("b"), n("c")))))),
        ("a and b or c", BoolOp("or", (BoolOp("and", (n("a"), n("b"))), n("c")))),
        ("a and b and c", BoolOp("and", (n("a"), n("b"), n("c")))),
        ("not a and b", BoolOp("and", (Unary("not", n("a")), n("b")))),
        ("not a == b", Unary("not", Compare(n("a"), ("==",), (n("b"),)))),
        ("not not a", Unary("not", Unary("not", n("a")))),
        ("a + b * c", BinOp("+", n("a"), BinOp("*", n("b"), n("c")))),
        ("a - b - c", BinOp("-", BinOp("-", n("a"), n("b")), n("c"))),
        ("a / b * c", BinOp("*", BinOp("/", n("a"), n("b")), n("c"))),
        ("(a + b) * c", BinOp("*", BinOp("+", n("a"), n("b")), n("c"))),
        ("-a * b", BinOp("*", Unary("-", n("a")), n("b"))),
        ("-5", lit(-5)),
        ("- 2.5", lit(-2.5)),
        ("3 - -5", BinOp("-", lit(3), lit(-5))),
        ("--a", Unary("-", Unary("-", n("a")))),
        (
            "a + 1 < b * 2",
            Compare(BinOp("+", n("a"), lit(1)), ("<",), (BinOp("*", n("b"), lit(2)),)),
        ),
        ("18 <= age < 65", Compare(lit(18), ("<=", "<"), (n("age"), lit(65)))),
        ("a == b != c", Compare(n("a"), ("==", "!="), (n("b"), n("c")))),
        ('"bio" in regimes', Compare(lit("bio"), ("in",), (n("regimes"),))),
        ('x not in ["a", \'b\']', Compare(n("x"), ("not in",), (ListLit((lit("a"), lit("b"))),))),
        ("[]", ListLit(())),
        ("[1, 2,]", ListLit((lit(1), lit(2)))),
        ("true or false or null", BoolOp("or", (lit(True), lit(False), lit(None)))),
        ("today()", Call("today", ())),
        ("age(naissance) >= 18", Compare(Call("age", (n("naissance"),)), (">=",), (lit(18),))),
        ("years_between(a, b)", Call("years_between", (n("a"), n("b")))),
        ('date("2024-02-29")', Call("date", (lit("2024-02-29"),))),
        ("answered(email)", Call("answered", (n("email"),))),
        ("len(enfants) > 0", Compare(Call("len", (n("enfants"),)), (">",), (lit(0),))),
        # a question may well be called `age` or `len`: a name unless called
        ("age >= 18", Compare(n("age"), (">=",), (lit(18),))),
        ("not\n(a\tor b)", Unary("not", BoolOp("or", (n("a"), n("b"))))),
    ],
)
def test_trees(text: str, tree: object) -> None:
    assert parse(text) == tree


def test_numbers_keep_int_and_float() -> None:
    one = parse("1")
    assert isinstance(one, Literal) and type(one.value) is int
    two = parse("2.0")
    assert isinstance(two, Literal) and type(two.value) is float and two.value == 2.0


def test_strings_and_escapes() -> None:
    assert parse(r'"a\"b\\c\n"') == lit('a"b\\c\n')
    assert parse("'l\\'école'") == lit("l'école")
    assert parse('"élève"') == lit("élève")


def test_offsets() -> None:
    tree = parse("  a and age(d) >= 18")
    assert isinstance(tree, BoolOp)
    a, cmp = tree.operands
    assert (a.start, a.end) == (2, 3)
    assert (tree.start, tree.end) == (2, 20)
    assert isinstance(cmp, Compare)
    assert (cmp.start, cmp.end) == (8, 20)
    assert (cmp.left.start, cmp.left.end) == (8, 14)
    assert (cmp.comparators[0].start, cmp.comparators[0].end) == (18, 20)
    neg = parse("x * -3")
    assert isinstance(neg, BinOp) and (neg.right.start, neg.right.end) == (4, 6)
    s = parse('x == "ab"')
    assert isinstance(s, Compare) and (s.comparators[0].start, s.comparators[0].end) == (5, 9)


def error(text: str) -> ExpressionSyntaxError:
    with pytest.raises(ExpressionSyntaxError) as info:
        parse(text)
    return info.value


@pytest.mark.parametrize(
    "text, message, offset",
    [
        ("", "the expression is empty", 0),
        ("   ", "the expression is empty", 0),
        ("a and", "expected a value after 'and'", 5),
        ("a and or b", "expected a value after 'and', found 'or'", 6),
        ("a or", "expected a value after 'or'", 4),
        ("not", "expected a value after 'not'", 3),
        ("a ==", "expected a value after '=='", 4),
        ("a == not b", "found 'not': write (not ...) in parentheses", 5),
        ("a +", "expected a value after '+'", 3),
        ("(a", "unclosed parenthesis", 0),
        ("x and (a or (b)", "unclosed parenthesis", 6),
        ("()", "empty parentheses", 1),
        ("(a b)", "expected ')' to close the parenthesis opened at character 1", 3),
        ("a )", "no open parenthesis to close", 2),
        ("a b", "unexpected 'b' after a complete expression", 2),
        ("foo(1)", "unknown function 'foo'", 0),
        ("x and ages(d)", "unknown function 'ages': did you mean 'age'?", 6),
        ("today(1)", "today() takes no value, got 1 value", 0),
        ("age()", "age() takes 1 value, got no value", 0),
        ("days_between(a)", "days_between() takes 2 values, got 1 value", 0),
        ("answered(a + 1)", "answered() takes the id of a question", 9),
        ('date("2025-02-30")', "'2025-02-30' is not a valid date", 5),
        ('x < date("2025-1-1")', "'2025-1-1' is not a valid date", 9),
        ("date(x)", 'date() takes a date written as "YYYY-MM-DD"', 5),
        ('date("")', "is not a valid date", 5),
        ("[1, 2", "unclosed bracket '['", 0),
        ("[1 2]", "separate the values with ','", 3),
        ("len(a b)", "separate them with ','", 6),
        ("age(", "unclosed parenthesis", 3),
        ("a = 1", "use '==' to compare", 2),
        ("!a", "use 'not' instead of '!'", 0),
        ("a && b", "use 'and' instead of '&&'", 2),
        ("a || b", "use 'or' instead of '||'", 2),
        ("x == True", "write 'true' in lower case", 5),
        ("x == None", "write 'null'", 5),
        ('x == "abc', "unclosed string", 5),
        ("x == \u201cabc\u201d", "straight quotes", 5),
        ("âge > 3", "letters without accents", 0),
        ("ge\u0301 > 3", "unexpected character", 2),
        ("x > 2.", "a number cannot end with '.'", 5),
        ("x > 18ans", "right after the number 18", 6),
        ("x @ 2", "unexpected character '@'", 2),
        (r'"a\q"', "unknown escape", 2),
        # the first problem in reading order wins
        ("a and and @", "expected a value after 'and', found 'and'", 6),
    ],
)
def test_errors(text: str, message: str, offset: int) -> None:
    err = error(text)
    assert message in err.message
    assert err.offset == offset
    assert str(err).endswith(f"(at character {offset + 1})")


def test_hostile_length() -> None:
    err = error("a" * 2001)
    assert "too long" in err.message
    assert parse("a" * 2000) == n("a" * 2000)


@pytest.mark.parametrize(
    "text",
    [
        "(" * 41 + "a" + ")" * 41,
        "(" * 1000,
        "[" * 900 + "]" * 900,
        "not " * 41 + "a",
        "-" * 1999 + "a",
        "- " * 999 + "1",
        "age(" * 500,
        "len(" * 41 + "a" + ")" * 41,
    ],
)
def test_hostile_nesting(text: str) -> None:
    err = error(text)
    assert "too deeply" in err.message or "too long" in err.message


def test_nesting_limit_is_exact() -> None:
    assert parse("(" * 40 + "a" + ")" * 40) == n("a")
    assert parse("not " * 40 + "a") is not None
    assert "too deeply" in error("(" * 41 + "a" + ")" * 41).message


def test_long_flat_chains_are_fine_but_deep_trees_are_bounded() -> None:
    assert isinstance(parse(" and ".join(f"q{i}" for i in range(200))), BoolOp)
    assert isinstance(parse(" + ".join(["1"] * 99)), BinOp)
    err = error(" + ".join(["1"] * 150))
    assert "too complex" in err.message


def test_hostile_random_bytes_never_crash() -> None:
    import random

    rng = random.Random(7)
    alphabet = "ab()[]\"' ,.-+*/<>=!notandor0123456789\\\n\u00e9"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        try:
            tree = parse(text)
        except ExpressionSyntaxError as err:
            assert 0 <= err.offset <= len(text)
        else:
            assert parse(unparse(tree)) == tree


@pytest.mark.parametrize(
    "text",
    [
        "18 <= age < 65",
        "a and (b or not c)",
        "not (a and b)",
        "(not a) == b",
        "(a == b) == c",
        "a - (b - c)",
        "-(5)",
        "- -5",
        "-(a + b) * c",
        'x not in ["a", "b"]',
        'date("2025-01-01") <= today()',
        '"a\\"b"',
        "1.5 / 3",
    ],
)
def test_unparse_is_canonical(text: str) -> None:
    assert unparse(parse(text)) == text

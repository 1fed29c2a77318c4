"""Property: a translated XPath condition holds exactly when ODK's XPath would.

Random conditions over a choice, a multiple choice, an integer and a text, and
random answers (unanswered included), evaluated twice: by the slow reference
evaluator of XPath (an unanswered field is the empty string) and by the engine
on the translated expression (unanswered is null, three-valued logic).
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from designer.expressions import parse
from designer.importers.common import Symbol, finish
from designer.importers.sourceexpr import Translator, parse_source
from designer.run import holds as journey_holds

from .xpath_reference import holds as xpath_holds

SYMBOLS = {
    "c": Symbol("c", "choice", ["a", "b"]),
    "m": Symbol("m", "multichoice", ["x", "y"]),
    "n": Symbol("n", "integer"),
    "t": Symbol("t", "text"),
}
ATOMS = [
    "${c} = 'a'", "${c} != 'b'", "'a' = ${c}", "selected(${c}, 'b')",
    "selected(${m}, 'x')", "selected(${m}, 'y')", "count-selected(${m}) >= 1",
    "${n} > 3", "${n} <= 2", "${n} != 1", "${n} = 0", "3 < ${n}",
    "count-selected(${m}) = 0", "${n} * 2 >= 4", "${n} + 1 != 3",
    "${t} = ''", "${t} != ''", "string-length(${t}) > 0", "${t} = 'hello'", "${t} != 'hello'",
]

conditions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"{p[0]} and {p[1]}"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) or ({p[1]})"),
        inner.map(lambda x: f"not({x})"),
    ),
    max_leaves=6,
)
answers = st.fixed_dictionaries({
    "c": st.sampled_from([None, "a", "b"]),
    "m": st.sampled_from([None, ["x"], ["y"], ["x", "y"]]),
    "n": st.one_of(st.none(), st.integers(0, 5)),
    "t": st.sampled_from([None, "hello", "bye"]),
})


def _xpath_env(values: dict[str, Any]) -> dict[str, str]:
    env = {}
    for name, value in values.items():
        if value is None:
            env[name] = ""
        elif isinstance(value, list):
            env[name] = " ".join(value)
        else:
            env[name] = str(value)
    return env


@settings(max_examples=400, deadline=None)
@given(conditions, answers)
def test_translation_agrees_with_xpath(condition: str, values: dict[str, Any]) -> None:
    translated = finish(Translator(SYMBOLS.__getitem__).condition(parse_source(condition,
                                                                              "xpath")))
    expected = xpath_holds(condition, _xpath_env(values))
    got = journey_holds(parse(translated), dict(values), datetime.date(2024, 1, 1))
    assert got == expected, (condition, translated, values)


_PIECES = st.sampled_from([
    "${c}", "${n}", "${m}", "${t}", ".", "'a'", "‘a’", "3", "2.5", "=", "!=", "<", ">=", " and ",
    " or ", "not(", "selected(", "count-selected(", "string-length(", "today()", "(", ")", ",",
    " div ", " mod ", "+", "-", "*", "if(", "regex(", "${", "}", "'", "..", "[", "]", "x",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join) | st.text(max_size=30))
def test_any_text_is_translated_or_refused_never_crashes(text: str) -> None:
    """Arbitrary XPath-ish text: a translation the engine parses, or Untranslatable."""
    from designer.importers.common import Untranslatable

    try:
        tree = parse_source(text, "xpath")
        translated = finish(Translator(SYMBOLS.__getitem__, SYMBOLS["n"]).condition(tree))
    except (Untranslatable, KeyError):
        return
    parse(translated)

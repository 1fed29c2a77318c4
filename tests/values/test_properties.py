"""Property-based tests: coerce never raises, and reads back what a number or date prints as."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from designer.messages import format_param
from designer.values import QUESTION_TYPES, coerce
from designer.values.bounds import check_bounds
from designer.values.results import Coerced

VALUE_TYPES = [t for t in QUESTION_TYPES if t not in ("repeat", "info", "file")]

raw_values = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(alphabet="0123456789 ,.-+/\u00a0\u202fazAZ@éٔ١", max_size=30),
    st.lists(st.text(max_size=10), max_size=5),
    st.dictionaries(
        st.sampled_from(["day", "month", "year", "street", "postcode", "commune", "x"]),
        st.one_of(st.text(max_size=12), st.integers(), st.none()),
        max_size=4,
    ),
    st.integers(),
    st.floats(allow_nan=True),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALUE_TYPES), raw_values)
def test_coerce_never_raises_and_errors_have_messages(qtype, raw):
    result = coerce(qtype, raw)
    assert isinstance(result, Coerced)
    if result.error is not None:
        assert result.value is None and not result.empty
        assert result.error.message("fr") and result.error.message("en")
    if result.empty:
        assert result.value is None and result.error is None


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=-10**15, max_value=10**15))
def test_integers_read_back_as_printed(n):
    assert coerce("integer", str(n)).value == n
    # As French readers write them: groups of three separated by a (non-breaking) space.
    printed = format_param(n, "fr").replace("\u00a0", " ")
    assert coerce("integer", printed).value == n


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_decimals_read_back_with_comma_or_point(d):
    text = f"{d:.2f}"
    assert coerce("decimal", text).value == float(text)
    assert coerce("decimal", text.replace(".", ",")).value == float(text)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_dates_read_back_in_every_form(d):
    assert coerce("date", d.isoformat()).value == d
    parts = {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
    assert coerce("date", parts).value == d
    assert coerce("date", f"{d.day}/{d.month:02d}/{d.year}").value == d


@settings(max_examples=200, deadline=None)
@given(st.integers(-100, 100), st.integers(-100, 100), st.integers(-100, 100))
def test_number_bounds_agree_with_comparison(value, low, high):
    error = check_bounds("integer", value, min=low, max=high)
    assert (error is None) == (low <= value <= high)

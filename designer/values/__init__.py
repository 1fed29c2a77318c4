"""Turn what a citizen typed into a web form into typed answers, or a clear error.

:func:`coerce` is the single entry point: it takes a question type of the journey format and
the raw form value (strings, a list of strings for ``multichoice``, a dict of strings for
``date`` parts and ``address``), and returns a :class:`~designer.values.results.Coerced`
holding the typed value, or an :class:`~designer.values.results.InvalidAnswer` whose message
exists in French and English (:mod:`designer.messages`).
Bad input is expected input: hostile values (huge strings, NUL bytes, non-ASCII digits, values
of the wrong shape) give an error, never an exception.

:func:`designer.values.bounds.check_bounds` then checks a typed value against the question's
``min``/``max``, ``min_length``/``max_length`` and ``pattern``; :func:`check_option` checks
choices; :mod:`designer.values.uploads` helps the caller with uploads.

This package types the simple answers itself (numbers, yes/no, choices, dates, texts);
:mod:`~designer.values.contact` types contact details (e-mail, phone, postcode, address) and
:mod:`~designer.values.identifiers` SIRET, NIR and IBAN, on the cleaning of
:mod:`~designer.values.cleaning`.

Empty answers are not errors here: ``coerce`` returns ``empty=True`` and the caller decides
whether the question was required (:func:`required_error` gives the right message).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from designer.values.cleaning import (
    MAX_DIGITS,
    MAX_INPUT_LENGTH,
    clean_text,
    is_blank,
    one_string,
    squash_spaces,
)
from designer.values.contact import coerce_address, coerce_email, coerce_phone, coerce_postcode
from designer.values.identifiers import coerce_iban, coerce_nir, coerce_siret
from designer.values.results import EMPTY, Coerced, InvalidAnswer, fail

QUESTION_TYPES = (
    "text", "textarea", "integer", "decimal", "yesno", "choice", "multichoice", "date",
    "email", "phone", "postcode", "address", "siret", "nir", "iban", "file", "repeat", "info",
)


# --- numbers ---------------------------------------------------------------------------

# Digits are ASCII only ([0-9], not \d: Python's int() would take Arabic-Indic digits);
# thousands are grouped by single spaces, strictly by 3, so "12 5" is not read as 125.
_INTEGER = re.compile(r"[+-]?(?:[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)")
_DECIMAL = re.compile(r"([+-]?(?:[0-9]{1,3}(?: [0-9]{3})+|[0-9]+))(?:[.,]([0-9]+))?")
_DECIMAL_ONLY = re.compile(r"[+-]?[.,][0-9]+")
_DECIMAL_BOTH = re.compile(r"[+-]?[0-9]{1,3}(?:([.,])[0-9]{3})+(?!\1)([.,])[0-9]+")


def _coerce_integer(raw: Any) -> Coerced:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Coerced(raw)
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > MAX_INPUT_LENGTH:
        return fail("integer-format")
    text = squash_spaces(text)
    if _INTEGER.fullmatch(text):
        digits = text.replace(" ", "").lstrip("+")
        if len(digits.lstrip("-")) > MAX_DIGITS:
            return fail("number-too-big")
        return Coerced(int(digits))
    if _DECIMAL.fullmatch(text) or _DECIMAL_ONLY.fullmatch(text):
        return fail("integer-whole")
    return fail("integer-format")


def _coerce_decimal(raw: Any) -> Coerced:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
        return Coerced(value) if value == value and abs(value) != float("inf") else fail(
            "decimal-format"
        )
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > MAX_INPUT_LENGTH:
        return fail("decimal-format")
    text = squash_spaces(text)
    if _DECIMAL_ONLY.fullmatch(text):  # ",5" means 0,5
        sign = "-" if text.startswith("-") else ""
        text = sign + "0" + text.lstrip("+-")
    if both := _DECIMAL_BOTH.fullmatch(text):
        # "1.200,50" or "1,200.50": with both separators, the last one is the decimal mark.
        thousands, decimal = both.group(1), both.group(2)
        text = text.replace(thousands, " ").replace(decimal, ".")
    match = _DECIMAL.fullmatch(text)
    if not match:
        return fail("decimal-format")
    whole, fraction = match.group(1).replace(" ", ""), match.group(2) or "0"
    if len(whole.lstrip("+-")) + len(fraction) > MAX_DIGITS:
        return fail("number-too-big")
    return Coerced(float(f"{whole}.{fraction}"))


# --- yes / no, choices -----------------------------------------------------------------

_YES = {"yes", "oui", "true"}
_NO = {"no", "non", "false"}


def _coerce_yesno(raw: Any) -> Coerced:
    if isinstance(raw, bool):
        return Coerced(raw)
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    word = text.strip().lower()
    if word in _YES:
        return Coerced(True)
    if word in _NO:
        return Coerced(False)
    return fail("yesno-format")


def _coerce_choice(raw: Any) -> Coerced:
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    cleaned = clean_text(text)
    if isinstance(cleaned, InvalidAnswer):
        return Coerced(error=cleaned)
    return Coerced(cleaned) if cleaned else EMPTY


def _coerce_multichoice(raw: Any) -> Coerced:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        return fail("not-understood")
    if len(items) > 1000:  # far more than any list of options
        return fail("not-understood")
    seen: dict[str, None] = {}
    for item in items:
        if not isinstance(item, str):
            return fail("not-understood")
        cleaned = clean_text(item)
        if isinstance(cleaned, InvalidAnswer):
            return Coerced(error=cleaned)
        if cleaned:
            seen.setdefault(cleaned, None)  # dict keeps the first order, without duplicates
    return Coerced(list(seen)) if seen else EMPTY


def _option_values(options: Mapping[str, Any] | Iterable[str]) -> set[str]:
    if isinstance(options, Mapping):
        return {str(k) for k in options}
    return {str(o) for o in options}


def check_option(
    value: str | list[str] | None, options: Mapping[str, Any] | Iterable[str]
) -> InvalidAnswer | None:
    """Check that a ``choice`` value (or every value of a ``multichoice`` list) is one of
    ``options``: the format's mapping value → label, or a list of strings."""
    if value is None:
        return None
    allowed = _option_values(options)
    values = value if isinstance(value, list) else [value]
    if any(v not in allowed for v in values):
        return InvalidAnswer("unknown-option")
    return None


# --- dates -----------------------------------------------------------------------------

_ISO_DATE = re.compile(r"([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})")
_FRENCH_DATE = re.compile(r"([0-9]{1,2})[/. ]([0-9]{1,2})[/. ]([0-9]{1,4})")
_DATE_PART = re.compile(r"[0-9]{1,4}")

#: The dates a form accepts: the year is written with four digits. The analysis draws
#: its witnesses and personas from the same range, so each can be typed back in.
EARLIEST_DATE = _dt.date(1000, 1, 1)
LATEST_DATE = _dt.date(9999, 12, 31)


def _date_from_parts(day: str, month: str, year: str) -> Coerced:
    missing = [name for name, part in (("day", day), ("month", month), ("year", year))
               if not part]
    if len(missing) == 3:
        return EMPTY
    if len(missing) == 2:
        return fail("date-incomplete")
    if missing:
        return fail(f"date-missing-{missing[0]}", part=missing[0])
    for name, part in (("day", day), ("month", month), ("year", year)):
        if not _DATE_PART.fullmatch(part) or (name != "year" and len(part) > 2):
            return fail("date-format", part=name)
    if len(year) != 4:
        return fail("date-year", part="year")
    try:
        return Coerced(_dt.date(int(year), int(month), int(day)))
    except ValueError:
        return fail("date-real")


def _coerce_date(raw: Any) -> Coerced:
    if isinstance(raw, _dt.datetime):
        return Coerced(raw.date())
    if isinstance(raw, _dt.date):
        return Coerced(raw)
    if isinstance(raw, Mapping):
        parts = []
        for name in ("day", "month", "year"):
            part = raw.get(name, "")
            if part is None:
                part = ""
            if not isinstance(part, str) or len(part) > 100:
                return fail("date-format", part=name)
            parts.append(squash_spaces(part))
        return _date_from_parts(*parts)
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > 100:
        return fail("date-format")
    text = squash_spaces(text)
    if not text:
        return EMPTY
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
        return _date_from_parts(day, month, year)
    # Also what people type in a single box in France: 27/03/2007, 27.3.2007, 27 3 2007.
    if match := _FRENCH_DATE.fullmatch(text):
        day, month, year = match.groups()
        return _date_from_parts(day, month, year)
    return fail("date-format")


# --- texts -----------------------------------------------------------------------------


def _coerce_text(raw: Any, *, multiline: bool) -> Coerced:
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    cleaned = clean_text(text, multiline=multiline)
    if isinstance(cleaned, InvalidAnswer):
        return Coerced(error=cleaned)
    return Coerced(cleaned) if cleaned else EMPTY


# --- entry point -----------------------------------------------------------------------


def coerce(qtype: str, raw: Any) -> Coerced:
    """Turn the raw form value of a question of type ``qtype`` into a typed answer.

    ``raw`` is a string for most types, a list of strings for ``multichoice``, a string
    ``YYYY-MM-DD`` (or ``27/03/2007``) or a dict ``{day, month, year}`` for ``date``, a dict
    ``{street, postcode, commune}`` for ``address``; already typed values (an int, a bool, a
    date) are accepted as they are. Empty input gives ``Coerced(empty=True)``; ``repeat``,
    ``info`` and ``file`` are not typed answers and give the error ``not-a-value`` (uploads are
    checked with :func:`designer.values.uploads.check_file`). Raises ``ValueError`` only for a
    type the format does not define (a programming error); never for what a citizen typed.
    """
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"unknown question type {qtype!r}")
    if qtype in ("repeat", "info", "file"):
        return fail("not-a-value")
    if is_blank(raw):
        return EMPTY
    match qtype:
        case "text":
            return _coerce_text(raw, multiline=False)
        case "textarea":
            return _coerce_text(raw, multiline=True)
        case "integer":
            return _coerce_integer(raw)
        case "decimal":
            return _coerce_decimal(raw)
        case "yesno":
            return _coerce_yesno(raw)
        case "choice":
            return _coerce_choice(raw)
        case "multichoice":
            return _coerce_multichoice(raw)
        case "date":
            return _coerce_date(raw)
        case "email":
            return coerce_email(raw)
        case "phone":
            return coerce_phone(raw)
        case "postcode":
            return coerce_postcode(raw)
        case "address":
            return coerce_address(raw)
        case "siret":
            return coerce_siret(raw)
        case "nir":
            return coerce_nir(raw)
        case "iban":
            return coerce_iban(raw)
    raise AssertionError(qtype)  # pragma: no cover - QUESTION_TYPES is exhaustive


def required_error(qtype: str) -> InvalidAnswer:
    """The error for a required question left empty, worded for its kind of input."""
    if qtype in ("yesno", "choice", "multichoice"):
        return InvalidAnswer("required-select")
    if qtype == "file":
        return InvalidAnswer("required-file")
    return InvalidAnswer("required")

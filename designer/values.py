"""Turn what a citizen typed into a web form into typed answers, or a clear error.

:func:`coerce` is the single entry point: it takes a question type of the journey format and
the raw form value (strings, a list of strings for ``multichoice``, a dict of strings for
``date`` parts and ``address``), and returns a :class:`Coerced` holding the typed value, or an
:class:`InvalidAnswer` whose message exists in French and English (:mod:`designer.messages`).
Bad input is expected input: hostile values (huge strings, NUL bytes, non-ASCII digits, values
of the wrong shape) give an error, never an exception.

:func:`check_bounds` then checks a typed value against the question's ``min``/``max``,
``min_length``/``max_length`` and ``pattern``; :func:`check_option` checks choices;
:func:`parse_size`, :func:`sniff_kind` and :func:`check_file` help the caller with uploads.

Empty answers are not errors here: ``coerce`` returns ``empty=True`` and the caller decides
whether the question was required (:func:`required_error` gives the right message).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from designer.messages import translate

MAX_INPUT_LENGTH = 10_000
"""Longest answer accepted, in characters, for every type.

It bounds the work done on a value (regular expressions above all: Python's ``re`` has no
timeout, so a backtracking pattern on a long input could hold a worker for minutes)."""

MAX_DIGITS = 30
"""Longest run of digits accepted in a number (no procedure counts beyond this, and Python
refuses to convert integers of more than 4300 digits)."""

QUESTION_TYPES = (
    "text", "textarea", "integer", "decimal", "yesno", "choice", "multichoice", "date",
    "email", "phone", "postcode", "address", "siret", "nir", "iban", "file", "repeat", "info",
)


@dataclass(frozen=True)
class InvalidAnswer:
    """Why an answer was refused: a stable ``code`` (a key of ``messages.MESSAGES``) and the
    parameters of its message (``{"min": 18}``; ``{"part": "street"}`` names the input of a
    composite answer that is wrong)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)

    def message(self, lang: str = "fr") -> str:
        """The message for the citizen, in ``lang`` (French when not available)."""
        return translate(self.code, lang, **self.params)


@dataclass(frozen=True)
class Coerced:
    """The result of :func:`coerce`: a typed ``value`` (None when empty or invalid), an
    ``error`` (None when the answer fits its type) and whether the answer was ``empty``."""

    value: Any = None
    error: InvalidAnswer | None = None
    empty: bool = False

    @property
    def ok(self) -> bool:
        """True when the answer fits its type (an empty answer is ok here)."""
        return self.error is None


def _fail(code: str, **params: Any) -> Coerced:
    return Coerced(error=InvalidAnswer(code, dict(params)))


_EMPTY = Coerced(empty=True)

# Spaces a browser or a copy-paste may put inside a number or an identifier.
_SPACES = "\u00a0\u202f\u2007\u2009\t"
_SPACE_TABLE = str.maketrans({c: " " for c in _SPACES})
# Control characters never belong in an answer; textarea keeps newlines and tabs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
# Invisible characters that copy-paste brings along (zero-width spaces, byte order marks) and
# bidirectional overrides, which can make a stored answer read differently from what it is
# (the "Trojan Source" trick) in a back office: dropped, never stored.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def _one_string(raw: Any) -> str | None:
    """The single string of a form field, or None when the shape is wrong (two values sent
    for one field, an object...)."""
    if isinstance(raw, list | tuple):
        if len(raw) != 1:
            return None
        raw = raw[0]
    return raw if isinstance(raw, str) else None


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, list | tuple):
        return all(_is_blank(r) for r in raw)
    if isinstance(raw, Mapping):
        return all(_is_blank(r) for r in raw.values())
    return False


def _clean_text(text: str, *, multiline: bool = False) -> str | InvalidAnswer:
    """Strip, normalise to NFC and refuse control characters (NUL bytes above all: they
    break databases and downstream files)."""
    if len(text) > MAX_INPUT_LENGTH:
        return InvalidAnswer("too-long-input", {"max_length": MAX_INPUT_LENGTH})
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (_CONTROL if multiline else _CONTROL_LINE).search(text.replace("\t", " ")):
        return InvalidAnswer("invalid-characters")
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text)).strip()


def _squash_spaces(text: str) -> str:
    return re.sub(" +", " ", _INVISIBLE.sub("", text).translate(_SPACE_TABLE)).strip()


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
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > MAX_INPUT_LENGTH:
        return _fail("integer-format")
    text = _squash_spaces(text)
    if _INTEGER.fullmatch(text):
        digits = text.replace(" ", "").lstrip("+")
        if len(digits.lstrip("-")) > MAX_DIGITS:
            return _fail("number-too-big")
        return Coerced(int(digits))
    if _DECIMAL.fullmatch(text) or _DECIMAL_ONLY.fullmatch(text):
        return _fail("integer-whole")
    return _fail("integer-format")


def _coerce_decimal(raw: Any) -> Coerced:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
        return Coerced(value) if value == value and abs(value) != float("inf") else _fail(
            "decimal-format"
        )
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > MAX_INPUT_LENGTH:
        return _fail("decimal-format")
    text = _squash_spaces(text)
    if _DECIMAL_ONLY.fullmatch(text):  # ",5" means 0,5
        sign = "-" if text.startswith("-") else ""
        text = sign + "0" + text.lstrip("+-")
    if both := _DECIMAL_BOTH.fullmatch(text):
        # "1.200,50" or "1,200.50": with both separators, the last one is the decimal mark.
        thousands, decimal = both.group(1), both.group(2)
        text = text.replace(thousands, " ").replace(decimal, ".")
    match = _DECIMAL.fullmatch(text)
    if not match:
        return _fail("decimal-format")
    whole, fraction = match.group(1).replace(" ", ""), match.group(2) or "0"
    if len(whole.lstrip("+-")) + len(fraction) > MAX_DIGITS:
        return _fail("number-too-big")
    return Coerced(float(f"{whole}.{fraction}"))


# --- yes / no, choices -----------------------------------------------------------------

_YES = {"yes", "oui", "true"}
_NO = {"no", "non", "false"}


def _coerce_yesno(raw: Any) -> Coerced:
    if isinstance(raw, bool):
        return Coerced(raw)
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    word = text.strip().lower()
    if word in _YES:
        return Coerced(True)
    if word in _NO:
        return Coerced(False)
    return _fail("yesno-format")


def _coerce_choice(raw: Any) -> Coerced:
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    cleaned = _clean_text(text)
    if isinstance(cleaned, InvalidAnswer):
        return Coerced(error=cleaned)
    return Coerced(cleaned) if cleaned else _EMPTY


def _coerce_multichoice(raw: Any) -> Coerced:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        return _fail("not-understood")
    if len(items) > 1000:  # far more than any list of options
        return _fail("not-understood")
    seen: dict[str, None] = {}
    for item in items:
        if not isinstance(item, str):
            return _fail("not-understood")
        cleaned = _clean_text(item)
        if isinstance(cleaned, InvalidAnswer):
            return Coerced(error=cleaned)
        if cleaned:
            seen.setdefault(cleaned, None)  # dict keeps the first order, without duplicates
    return Coerced(list(seen)) if seen else _EMPTY


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
        return _EMPTY
    if len(missing) == 2:
        return _fail("date-incomplete")
    if missing:
        return _fail(f"date-missing-{missing[0]}", part=missing[0])
    for name, part in (("day", day), ("month", month), ("year", year)):
        if not _DATE_PART.fullmatch(part) or (name != "year" and len(part) > 2):
            return _fail("date-format", part=name)
    if len(year) != 4:
        return _fail("date-year", part="year")
    try:
        return Coerced(_dt.date(int(year), int(month), int(day)))
    except ValueError:
        return _fail("date-real")


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
                return _fail("date-format", part=name)
            parts.append(_squash_spaces(part))
        return _date_from_parts(*parts)
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > 100:
        return _fail("date-format")
    text = _squash_spaces(text)
    if not text:
        return _EMPTY
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
        return _date_from_parts(day, month, year)
    # Also what people type in a single box in France: 27/03/2007, 27.3.2007, 27 3 2007.
    if match := _FRENCH_DATE.fullmatch(text):
        day, month, year = match.groups()
        return _date_from_parts(day, month, year)
    return _fail("date-format")


# --- contact ---------------------------------------------------------------------------

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _coerce_email(raw: Any) -> Coerced:
    """A pragmatic syntax check (no network): one ``@``, a usual local part, a domain with a
    dot and a letter-only top-level label; internationalised domains are accepted."""
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > MAX_INPUT_LENGTH:
        return _fail("email-format")
    text = text.strip()
    if len(text) > 254 or text.count("@") != 1:
        return _fail("email-format")
    local, domain = text.split("@")
    if (
        not local
        or len(local) > 64
        or not _EMAIL_LOCAL.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        return _fail("email-format")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return _fail("email-format")
    labels = ascii_domain.split(".")
    if (
        len(labels) < 2
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or not re.fullmatch(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]+", labels[-1])
    ):
        return _fail("email-format")
    return Coerced(f"{local}@{domain.lower()}")


# Regions whose numbers are French: metropolitan France and the overseas territories.
_FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF")


def _coerce_phone(raw: Any) -> Coerced:
    # Imported on first use: phonenumbers' metadata would slow every `parcours check`.
    import phonenumbers

    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > 100:
        return _fail("phone-format")
    text = text.strip()
    number = None
    # A national number "0262 ..." is Réunion's, not metropolitan France's: try each French
    # numbering plan until one knows the number.
    for region in _FRENCH_REGIONS:
        try:
            candidate = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return _fail("phone-format")
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
        if text.startswith("+") or text.startswith("00"):
            break  # international form: the region does not change the reading
    if number is None:
        return _fail("phone-format")
    if phonenumbers.region_code_for_number(number) not in _FRENCH_REGIONS:
        return _fail("phone-not-french")
    return Coerced(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


# --- address ---------------------------------------------------------------------------

_POSTCODE = re.compile(r"(?:0[1-9]|[1-8][0-9]|9[0-5]|97|98)[0-9]{3}")


def _check_postcode(text: str) -> str | None:
    compact = _squash_spaces(text).replace(" ", "")
    return compact if _POSTCODE.fullmatch(compact) else None


def _coerce_postcode(raw: Any) -> Coerced:
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > 100:
        return _fail("postcode-format")
    if not text.strip():
        return _EMPTY
    postcode = _check_postcode(text)
    return Coerced(postcode) if postcode else _fail("postcode-format")


def _coerce_address(raw: Any) -> Coerced:
    if not isinstance(raw, Mapping):
        return _fail("not-understood")
    parts: dict[str, str] = {}
    for name in ("street", "postcode", "commune"):
        part = raw.get(name) or ""
        if not isinstance(part, str):
            return _fail("not-understood", part=name)
        cleaned = _clean_text(part)
        if isinstance(cleaned, InvalidAnswer):
            return Coerced(error=InvalidAnswer(cleaned.code, {**cleaned.params, "part": name}))
        parts[name] = _squash_spaces(cleaned)
    if not any(parts.values()):
        return _EMPTY
    if not parts["street"]:
        return _fail("address-street-missing", part="street")
    if not parts["postcode"]:
        return _fail("address-postcode-missing", part="postcode")
    postcode = _check_postcode(parts["postcode"])
    if postcode is None:
        return _fail("postcode-format", part="postcode")
    parts["postcode"] = postcode
    if not parts["commune"]:
        return _fail("address-commune-missing", part="commune")
    return Coerced(parts)


# --- identifiers -----------------------------------------------------------------------


def _identifier_text(raw: Any) -> str | Coerced:
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    if len(text) > 200:
        return text[:200]  # long enough to fail on length, short enough to stay cheap
    return _squash_spaces(text)


def _coerce_siret(raw: Any) -> Coerced:
    from stdnum.fr import siret as _siret

    text = _identifier_text(raw)
    if isinstance(text, Coerced):
        return text
    compact = _siret.compact(text).replace("-", "")
    if not compact:
        return _EMPTY
    if not compact.isascii() or not compact.isdigit():
        return _fail("siret-format")
    if len(compact) != 14:
        return _fail("siret-length", count=len(compact))
    try:
        # stdnum knows La Poste's establishments, whose SIRET sum their digits instead of Luhn.
        return Coerced(_siret.validate(compact))
    except ValidationError:
        return _fail("siret-checksum")


def _coerce_nir(raw: Any) -> Coerced:
    from stdnum.fr import nir as _nir

    text = _identifier_text(raw)
    if isinstance(text, Coerced):
        return text
    compact = _nir.compact(text).replace("-", "")
    if not compact:
        return _EMPTY
    if not compact.isascii() or not re.fullmatch(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]*", compact):
        return _fail("nir-format")
    if len(compact) != 15:
        return _fail("nir-length", count=len(compact))
    try:
        return Coerced(_nir.validate(compact))
    except InvalidLength:
        return _fail("nir-length", count=len(compact))
    except InvalidChecksum:
        return _fail("nir-checksum")
    except ValidationError:
        return _fail("nir-format")


@functools.cache
def _iban_db() -> Any:
    from stdnum import numdb

    return numdb.get("iban")
_IBAN_STRUCTURE = re.compile(r"([0-9]+)!([nac])")
_IBAN_CHARS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}


# France and the territories that use French bank codes: their BBAN is a RIB (bank 5 digits,
# branch 5, account 11 alphanumerics, key 2). python-stdnum has no RIB check, so it is here.
_RIB_COUNTRIES = {"FR", "MC", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
_RIB_LETTERS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789"
)


def _rib_key_ok(bban: str) -> bool:
    """The RIB key: 97 - (89 x bank + 15 x branch + 3 x account) mod 97, where the account's
    letters count as digits (A, J -> 1; B, K, S -> 2; ...; I, R, Z -> 9)."""
    if len(bban) != 23:
        return True  # another layout: the IBAN checks already ran
    bank, branch = int(bban[:5]), int(bban[5:10])
    account, key = int(bban[10:21].translate(_RIB_LETTERS)), int(bban[21:])
    return 97 - (89 * bank + 15 * branch + 3 * account) % 97 == key


def _coerce_iban(raw: Any) -> Coerced:
    from stdnum import iban as _iban
    from stdnum.util import get_cc_module as _get_cc_module

    """Check an IBAN part by part, so the message says what is wrong: the country code, the
    length for that country, the check digits, the account part, or the national key."""
    text = _identifier_text(raw)
    if isinstance(text, Coerced):
        return text
    compact = _iban.compact(text)
    if not compact:
        return _EMPTY
    if not compact.isascii() or not compact.isalnum():
        return _fail("iban-format")
    country = compact[:2]
    info = _iban_db().info(country)[0][1] if len(compact) >= 2 else {}
    if not country.isalpha() or not info:
        return _fail("iban-country")
    structure = info.get("bban", "")
    pieces = _IBAN_STRUCTURE.findall(structure)
    expected = 4 + sum(int(n) for n, _ in pieces)
    if pieces and len(compact) != expected:
        return _fail("iban-length", country=country, expected=expected, count=len(compact))
    if not compact[2:4].isdigit():
        return _fail("iban-checksum")
    bban_re = "".join(f"{_IBAN_CHARS[kind]}{{{n}}}" for n, kind in pieces)
    if pieces and not re.fullmatch(bban_re, compact[4:]):
        return _fail("iban-account", country=country)
    try:
        _iban.validate(compact, check_country=False)
    except ValidationError:
        return _fail("iban-checksum")
    if country in _RIB_COUNTRIES and not _rib_key_ok(compact[4:]):
        return _fail("iban-national", country=country)
    national = _get_cc_module(country.lower(), "iban")
    if national is not None:
        try:
            national.validate(compact)
        except ValidationError:
            return _fail("iban-national", country=country)
    return Coerced(compact)


# --- texts -----------------------------------------------------------------------------


def _coerce_text(raw: Any, *, multiline: bool) -> Coerced:
    text = _one_string(raw)
    if text is None:
        return _fail("not-understood")
    cleaned = _clean_text(text, multiline=multiline)
    if isinstance(cleaned, InvalidAnswer):
        return Coerced(error=cleaned)
    return Coerced(cleaned) if cleaned else _EMPTY


# --- entry point -----------------------------------------------------------------------


def coerce(qtype: str, raw: Any) -> Coerced:
    """Turn the raw form value of a question of type ``qtype`` into a typed answer.

    ``raw`` is a string for most types, a list of strings for ``multichoice``, a string
    ``YYYY-MM-DD`` (or ``27/03/2007``) or a dict ``{day, month, year}`` for ``date``, a dict
    ``{street, postcode, commune}`` for ``address``; already typed values (an int, a bool, a
    date) are accepted as they are. Empty input gives ``Coerced(empty=True)``; ``repeat``,
    ``info`` and ``file`` are not typed answers and give the error ``not-a-value`` (uploads are
    checked with :func:`check_file`). Raises ``ValueError`` only for a type the format does
    not define (a programming error); never for what a citizen typed.
    """
    if qtype not in QUESTION_TYPES:
        raise ValueError(f"unknown question type {qtype!r}")
    if qtype in ("repeat", "info", "file"):
        return _fail("not-a-value")
    if _is_blank(raw):
        return _EMPTY
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
            return _coerce_email(raw)
        case "phone":
            return _coerce_phone(raw)
        case "postcode":
            return _coerce_postcode(raw)
        case "address":
            return _coerce_address(raw)
        case "siret":
            return _coerce_siret(raw)
        case "nir":
            return _coerce_nir(raw)
        case "iban":
            return _coerce_iban(raw)
    raise AssertionError(qtype)  # pragma: no cover - QUESTION_TYPES is exhaustive


def required_error(qtype: str) -> InvalidAnswer:
    """The error for a required question left empty, worded for its kind of input."""
    if qtype in ("yesno", "choice", "multichoice"):
        return InvalidAnswer("required-select")
    if qtype == "file":
        return InvalidAnswer("required-file")
    return InvalidAnswer("required")


# --- bounds ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a question's ``pattern`` once (cached). Raises ``re.error`` when it is not a
    valid regular expression: ``parcours check`` should report that before any citizen sees
    the journey."""
    return re.compile(pattern)


# A quantified group that itself contains a quantifier, such as (a+)+ or (\w*)*: the classic
# shape of catastrophic backtracking. A heuristic for the checker, not a proof.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")


def pattern_risk(pattern: str) -> bool:
    """True when ``pattern`` has a nested quantifier that may backtrack catastrophically.

    Answers are capped at ``MAX_INPUT_LENGTH`` characters, which bounds but does not remove
    the risk; a checker can warn the journey's author with this."""
    return bool(_NESTED_QUANTIFIER.search(pattern))


def _between(
    value: Any, low: Any, high: Any, codes: tuple[str, str, str]
) -> InvalidAnswer | None:
    too_low = low is not None and value < low
    too_high = high is not None and value > high
    if not (too_low or too_high):
        return None
    if low is not None and high is not None:
        return InvalidAnswer(codes[2], {"min": low, "max": high})
    if too_low:
        return InvalidAnswer(codes[0], {"min": low})
    return InvalidAnswer(codes[1], {"max": high})


def check_bounds(
    qtype: str,
    value: Any,
    *,
    min: Any = None,
    max: Any = None,
    min_length: int | None = None,
    max_length: int | None = None,
    pattern: str | None = None,
) -> InvalidAnswer | None:
    """Check a typed answer against its question's bounds; None when it fits.

    - ``integer``/``decimal``: ``min``/``max`` numbers;
    - ``date``: ``min``/``max`` dates (the caller evaluates expressions such as ``today()``);
    - ``text``/``textarea``: ``min_length``/``max_length`` in characters, and ``pattern``, a
      regular expression the whole answer must match (``re.fullmatch``). Inputs longer than
      ``MAX_INPUT_LENGTH`` are refused before matching and patterns are compiled once
      (:func:`compile_pattern`), because Python's ``re`` cannot be interrupted;
    - ``multichoice``: ``min``/``max`` number of choices; ``repeat``: number of items.

    An empty answer (None) always fits: whether it is required is checked elsewhere.
    """
    if value is None:
        return None
    if qtype in ("integer", "decimal"):
        return _between(value, min, max, ("number-too-small", "number-too-large",
                                          "number-between"))
    if qtype == "date":
        return _between(value, min, max, ("date-too-early", "date-too-late", "date-between"))
    if qtype in ("multichoice", "repeat"):
        count = len(value)
        noun = "choices" if qtype == "multichoice" else "items"
        if min is not None and count < min:
            return InvalidAnswer(f"{noun}-at-least-one" if min == 1 else f"{noun}-too-few",
                                 {"min": min})
        if max is not None and count > max:
            if qtype == "multichoice" and max == 1:
                return InvalidAnswer("choices-at-most-one", {"max": max})
            return InvalidAnswer(f"{noun}-too-many", {"max": max})
        return None
    if qtype in ("text", "textarea") and isinstance(value, str):
        if len(value) > MAX_INPUT_LENGTH:
            return InvalidAnswer("text-too-long", {"max_length": max_length or MAX_INPUT_LENGTH})
        if min_length is not None and len(value) < min_length:
            return InvalidAnswer("text-too-short", {"min_length": min_length})
        if max_length is not None and len(value) > max_length:
            return InvalidAnswer("text-too-long", {"max_length": max_length})
        if pattern is not None and not compile_pattern(pattern).fullmatch(value):
            return InvalidAnswer("pattern-mismatch", {"pattern": pattern})
    return None


# --- files -----------------------------------------------------------------------------

_SIZE = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*([kmgt]?)(?:b|o|bytes?|octets?)?", re.I)
_SIZE_FACTORS = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3, "t": 1000**4}


def parse_size(text: str) -> int:
    """Bytes in a size such as ``5MB``, ``500 KB``, ``2 Mo``, ``1.5MB`` or ``300`` (decimal
    units, as people and browsers count them: 1 MB = 1 000 000 bytes). Raises ``ValueError``
    on anything else."""
    if not isinstance(text, str) or len(text) > 50:
        raise ValueError(f"not a size: {text!r}")
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"not a size: {text!r}; write for instance 5MB, 500 KB or 2 Mo")
    number, unit = match.groups()
    return int(float(number.replace(",", ".")) * _SIZE_FACTORS[unit.lower()])


def sniff_kind(head: bytes) -> str | None:
    """The kind of a file from its first bytes: ``pdf``, ``png``, ``jpeg``, ``gif``, ``webp``,
    or ``zip`` for the zip-based formats (docx, xlsx, odt, ods... cannot be told apart from
    a plain zip by the head alone); None when not recognised. Plain text is not guessed."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


# What each `accept` name of the format is recognised as by sniff_kind.
ACCEPT_KINDS = {
    "pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp",
    "zip": "zip", "docx": "zip", "xlsx": "zip", "pptx": "zip", "odt": "zip", "ods": "zip",
    "odp": "zip",
}


def check_file(
    head: bytes, size: int, *, accept: Iterable[str] | None = None, max_size: str | None = None
) -> InvalidAnswer | None:
    """Check an upload from its first bytes and its size in bytes against the question's
    ``accept`` list and ``max_size``. A kind in ``accept`` that cannot be recognised from the
    content (``txt``, ``csv``...) never lets a file through: the content decides, not the name."""
    if size <= 0:
        return InvalidAnswer("file-empty")
    if max_size is not None and size > parse_size(max_size):
        return InvalidAnswer("file-too-large", {"max_size": max_size})
    if accept is not None:
        names = [a.lower().lstrip(".") for a in accept]
        kinds = {ACCEPT_KINDS[a] for a in names if a in ACCEPT_KINDS}
        if sniff_kind(head) not in kinds:
            return InvalidAnswer("file-kind", {"accept": ", ".join(a.upper() for a in names)})
    return None

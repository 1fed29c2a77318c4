"""The answer codec: one answer in each of its spellings, and the only place that converts.

An answer is held four ways, and every part of Parcours converts between them here:

- **typed**: what :func:`designer.values.coerce` returns and the run semantics compute with
  (``str``, ``int``, ``float``, ``bool``, ``datetime.date``, a list of option values, an
  address ``{street, postcode, commune}``, a file ``{name, …}``, a repeat's list of items);
- **JSON**: :func:`encode`/:func:`decode` for what is stored (drafts, dossiers: lossless,
  a date is ``{"$date": "YYYY-MM-DD"}``), :func:`to_json` for what people and programs read
  (exports, personas, the page's scripts: a date is ``"YYYY-MM-DD"``);
- **posted fields**: the HTML contract of docs/renderer.md, read by :func:`parse_page` and
  written by :func:`to_fields`; :func:`field_text` is what an input shows again (what the
  citizen would type: ``coerce`` reads it back to the same value);
- **text for a reader** in a language: :func:`answer_text` (check your answers, the
  receipt), :func:`number_text` and :func:`date_text` (also the error messages'
  parameters, through :func:`designer.messages.format_param`).

The encodings are documented in docs/renderer.md, "How answers are stored and shown".
This module imports nothing of the engine at run time, so that :mod:`designer.messages`
(and through it :mod:`designer.values`) can use it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from designer.compiled import CompiledJourney, QuestionInfo

DATE_PARTS = ("day", "month", "year")
ADDRESS_PARTS = ("street", "postcode", "commune")
#: Most items of a repeat when the journey sets no ``max``: the page offers no "Add" beyond
#: it, and a post cannot make the server build more items than this (or than ``max``).
MAX_ITEMS = 50

# -- typed ↔ JSON --------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A typed answer (or a mapping of them) as stored JSON: a date becomes
    ``{"$date": "YYYY-MM-DD"}`` so that :func:`decode` gives it back without the journey."""
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    """The typed answer of stored JSON: the inverse of :func:`encode`."""
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return datetime.date.fromisoformat(value["$date"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def to_json(value: Any) -> Any:
    """A typed answer (or a mapping of them) as plain JSON for readers: a date is its ISO
    text ``YYYY-MM-DD``, which :func:`designer.values.coerce` reads back given the type."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


# -- numbers and dates as text -------------------------------------------------------------

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
YES_NO = {
    True: {"fr": "Oui", "en": "Yes"},
    False: {"fr": "Non", "en": "No"},
}
_DEFAULT_LANGUAGE = "fr"
#: Significant digits a reader is shown: enough for any amount typed, few enough to hide
#: binary noise (0.1 + 0.2 reads 0,3; the exact value stays in the field and the JSON).
_SHOWN_DIGITS = 15


def _positional(value: int | float) -> str:
    """A number in plain positional notation, ``.`` as decimal mark, never an exponent:
    ``72.5``, ``-0.00015``, ``10000000000000000``. Exact for a float (its shortest repr)."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))  # 3.0 is typed "3"; -0.0 is "0"
    return format(Decimal(repr(value)), "f")


def _decimal_mark(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang == "fr" else text


def number_text(value: int | float, lang: str) -> str:
    """A number as a reader of ``lang`` writes it: ``1 200,5`` (a non-breaking space groups
    the thousands) in French, ``1,200.5`` in English; at most 15 significant digits."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)  # never an answer nor a bound; shown as is
        value = float(f"{value:.{_SHOWN_DIGITS}g}")
    text = _positional(value)
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = text.partition(".")
    groups = f"{int(whole):,}".replace(",", "\u00a0" if lang == "fr" else ",")
    return sign + groups + (("," if lang == "fr" else ".") + fraction if dot else "")


def date_text(value: datetime.date, lang: str) -> str:
    """A date as people write it: ``1er mars 2007``, ``27 mars 2007`` in French (the first
    of the month is « 1er »), ``1 March 2007`` in English."""
    lang = lang if lang in MONTHS else _DEFAULT_LANGUAGE
    day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{day} {MONTHS[lang][value.month - 1]} {value.year}"


def yes_no_text(value: bool, lang: str) -> str:
    """``Oui``/``Non``, ``Yes``/``No``: the words of a yes/no answer (and of its radios)."""
    words = YES_NO[bool(value)]
    return words.get(lang, words[_DEFAULT_LANGUAGE])


# -- typed → the text of its inputs (what the citizen would type) ---------------------------


def field_text(qtype: str, value: Any, lang: str) -> Any:
    """A value, typed or raw as posted, as its input(s) show it: a string, a list of strings
    (multichoice), or a dict of strings for the parts of a date or an address; None when
    there is nothing to show. :func:`designer.values.coerce` reads it back to the same typed
    value (a decimal is exact, with the decimal mark of ``lang``, never grouped)."""
    if value is None:
        return None
    if qtype == "date":
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return None  # another spelling of a date posted by a tool: not shown again
        if isinstance(value, datetime.date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        return _parts(value, DATE_PARTS)
    if qtype == "address":
        return _parts(value, ADDRESS_PARTS)
    if qtype == "yesno" and isinstance(value, bool):
        return "yes" if value else "no"
    if qtype == "file":
        if isinstance(value, Mapping):
            return str(value.get("name", ""))
        return value if isinstance(value, str) else None
    if isinstance(value, bool):
        return None  # no other type is typed as a bool: a stray value shows nothing
    if isinstance(value, int | float) and qtype in ("integer", "decimal"):
        return _decimal_mark(_positional(value), lang)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if qtype == "multichoice":
        return [str(value)]
    return str(value)


def _parts(value: Any, names: tuple[str, ...]) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    return {p: "" if value.get(p) is None else str(value.get(p)) for p in names}


def to_fields(
    journey: CompiledJourney, q: QuestionInfo, value: Any, lang: str = _DEFAULT_LANGUAGE,
    name: str | None = None,
) -> dict[str, list[str]]:
    """The posted fields that give ``value`` (typed or raw) for question ``q``, as a browser
    would send them: what :func:`parse_page` reads back. A repeat posts ``<q>-count`` and
    its items' questions; a file posts nothing (its bytes are an upload)."""
    name = name or q.id
    if q.type == "repeat":
        items = [i for i in value if isinstance(i, Mapping)] if isinstance(value, list) else []
        fields = {f"{name}-count": [str(len(items))]}
        for index, item in enumerate(items):
            for iq in journey.item_questions(q.id):
                if iq.answers and iq.id in item:
                    fields.update(to_fields(journey, iq, item[iq.id], lang,
                                            f"{name}-{index}-{iq.id}"))
        return fields
    if q.type in ("file", "info"):
        return {}
    text = field_text(q.type, value, lang)
    if isinstance(text, dict):
        return {f"{name}-{part}": [v] for part, v in text.items()}
    if isinstance(text, list):
        return {name: text}
    return {} if text is None else {name: [text]}


# -- posted fields → the raw values the run validates ----------------------------------------


def _posted(form: Any, name: str) -> list[str]:
    """Every string posted under ``name``: ``form`` is a multi-dict with ``getlist`` (what
    Starlette parses) or a mapping of names to a string or a list of strings."""
    if hasattr(form, "getlist"):
        values = form.getlist(name)
    else:
        found = form.get(name)
        values = found if isinstance(found, list | tuple) else [found]
    return [v for v in values if isinstance(v, str)]


def _single(form: Any, name: str) -> Any:
    """One field's string; a list when it was posted twice (which ``coerce`` refuses
    rather than guess which one was meant); None when absent."""
    values = _posted(form, name)
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def raw_field(form: Any, qtype: str, name: str) -> Any:
    """The raw value of one question (not a repeat, not a file) from its posted fields.

    A date is read from ``name-day``, ``name-month``, ``name-year`` when any is posted, else
    from ``name`` itself (``2007-03-27`` or ``27/03/2007``); an address from its three parts;
    a multichoice is every value posted under ``name``."""
    if qtype == "date":
        parts = {p: _single(form, f"{name}-{p}") for p in DATE_PARTS}
        if all(v is None for v in parts.values()):
            return _single(form, name)
        return {p: v or "" for p, v in parts.items()}
    if qtype == "address":
        return {p: (_single(form, f"{name}-{p}") or "") for p in ADDRESS_PARTS}
    if qtype == "multichoice":
        return _posted(form, name)
    return _single(form, name)


def item_limit(q: QuestionInfo) -> int:
    """The most items repeat ``q`` may hold: its ``max``, or :data:`MAX_ITEMS`."""
    return q.max if isinstance(q.max, int) and not isinstance(q.max, bool) else MAX_ITEMS


_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() takes "²", which int() refuses


def item_count(form: Any, q: QuestionInfo) -> int:
    """How many items of repeat ``q`` a post holds: ``<q>-count`` (the page's own field,
    which keeps an item whose inputs post nothing, such as unticked boxes), or one more than
    the highest item index posted (``<q>-<i>-…``) when that is more; at most
    :func:`item_limit`."""
    limit = item_limit(q)
    text = _single(form, f"{q.id}-count")
    text = text.strip() if isinstance(text, str) else ""
    count = 0 if not _DIGITS.fullmatch(text) else limit if len(text) > 9 else int(text)
    prefix = f"{q.id}-"
    for key in (form.keys() if hasattr(form, "keys") else ()):
        if isinstance(key, str) and key.startswith(prefix):
            head = key[len(prefix):].partition("-")[0]
            if _DIGITS.fullmatch(head) and len(head) <= 9 and int(head) < limit:
                count = max(count, int(head) + 1)
    return max(0, min(count, limit))


@dataclass
class Upload:
    """A file field of the post that carries a new upload (the caller checks and stores it)."""

    field: str
    question: QuestionInfo
    filename: str
    content_type: str
    file: Any


def parse_page(
    journey: CompiledJourney,
    step_id: str,
    form: Any,
    displayed: Iterable[str] | None = None,
    base: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[Upload]]:
    """The raw values of a page, as :meth:`designer.run.Run.answer_page` takes them, from its
    posted fields; new uploads are returned apart.

    Questions not in ``displayed`` (default: all) keep their value from ``base`` (stored or
    pending values), and so does a file question (its new bytes are an :class:`Upload`).
    Fields that name no question of the page are ignored."""
    shown = None if displayed is None else set(displayed)
    base = base or {}
    raw: dict[str, Any] = {}
    uploads: list[Upload] = []
    for q in journey.step_questions(step_id):
        if not q.answers:
            continue
        if q.type == "repeat":
            raw[q.id] = _parse_repeat(journey, q, form, shown, base.get(q.id), uploads)
        elif shown is not None and q.id not in shown:
            if q.id in base:
                raw[q.id] = base[q.id]
        elif q.type == "file":
            raw[q.id] = base.get(q.id)
            _collect_upload(form, q, q.id, uploads)
        else:
            raw[q.id] = raw_field(form, q.type, q.id)
    return raw, uploads


def _collect_upload(form: Any, q: QuestionInfo, name: str, uploads: list[Upload]) -> None:
    value = form.get(name) if hasattr(form, "get") else None
    filename = getattr(value, "filename", None)
    if value is not None and not isinstance(value, str) and filename:
        uploads.append(Upload(name, q, str(filename), str(value.content_type or ""), value))


def _parse_repeat(
    journey: CompiledJourney,
    q: QuestionInfo,
    form: Any,
    shown: set[str] | None,
    base: Any,
    uploads: list[Upload],
) -> list[dict[str, Any]]:
    base_items = [i for i in base if isinstance(i, Mapping)] if isinstance(base, list) else []
    if shown is not None and q.id not in shown:
        return [dict(i) for i in base_items]
    items: list[dict[str, Any]] = []
    for index in range(item_count(form, q)):
        stored = base_items[index] if index < len(base_items) else {}
        item: dict[str, Any] = {}
        for iq in journey.item_questions(q.id):
            if not iq.answers:
                continue
            name = f"{q.id}-{index}-{iq.id}"
            if shown is not None and iq.id not in shown:
                if iq.id in stored:
                    item[iq.id] = stored[iq.id]
            elif iq.type == "file":
                item[iq.id] = stored.get(iq.id)
                _collect_upload(form, iq, name, uploads)
            else:
                item[iq.id] = raw_field(form, iq.type, name)
        items.append(item)
    return items


def _blank(value: Any) -> bool:
    if isinstance(value, Mapping):
        return all(_blank(v) for v in value.values())
    if isinstance(value, list | tuple):
        return not value
    return value is None or (isinstance(value, str) and not value.strip())


def without_blank_items(
    journey: CompiledJourney, step_id: str, raw: dict[str, Any], needed: Mapping[str, int]
) -> None:
    """Drop the items of the page's repeats that the citizen left wholly blank (the first
    item a page shows, in particular), keeping at least ``needed[repeat]`` items so that
    a required one still gets its fields' errors."""
    for q in journey.step_questions(step_id):
        items = raw.get(q.id)
        if q.type != "repeat" or not isinstance(items, list):
            continue
        keep = [i for i in items if not _blank(i)]
        missing = needed.get(q.id, 0) - len(keep)
        if missing > 0:
            keep += [i for i in items if _blank(i)][:missing]
        raw[q.id] = keep


# -- typed → text for a reader --------------------------------------------------------------


def answer_text(journey: CompiledJourney, q: QuestionInfo, value: Any, lang: str) -> str:
    """A typed answer as the citizen reads it on check-your-answers and on the receipt:
    option labels, ``1er mars 2007``, ``1 200,5 €``, ``Oui``; empty text for no answer."""
    if value is None or value == "" or value == []:
        return ""
    if q.type == "yesno" and isinstance(value, bool):
        return yes_no_text(value, lang)
    if q.type in ("choice", "multichoice") and q.options is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(journey.text(q.options.get(str(v), str(v)), lang) for v in values)
    if q.type == "date" and isinstance(value, datetime.date):
        return date_text(value, lang)
    if q.type == "address" and isinstance(value, Mapping):
        return f"{value.get('street', '')}, {value.get('postcode', '')} {value.get('commune', '')}"
    if q.type == "file":
        return str(field_text("file", value, lang) or "")
    if q.type in ("integer", "decimal") and isinstance(value, int | float) and not isinstance(
            value, bool):
        unit = getattr(q.question, "unit", None)
        text = number_text(value, lang)
        return f"{text} {unit}" if unit else text
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)

"""Property tests of the answer codec (designer/answers.py): every type of answer survives
posted fields, stored and plain JSON, and the text a reader is shown, in both languages.

Typed values are drawn as a citizen would make them: raw input through
:func:`designer.values.coerce`, so the domain is exactly what the engine stores. The text
round trip reads the shown text back with a reference reader written here, independently of
the codec (its own month names, its own grouping rules).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from typing import Any

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.fr import nir

from designer.answers import answer_text, decode, encode, parse_page, to_fields, to_json
from designer.loading import load_text
from designer.values import QUESTION_TYPES, coerce

TYPES = [t for t in QUESTION_TYPES if t not in ("repeat", "info", "file")]
LANGS = st.sampled_from(["fr", "en"])
OPTIONS = {"a": ("Aide", "Help"), "b": ("Conseil", "Advice"), "c-3": ("Un, deux", "One")}


def _question(qid: str, qtype: str, indent: str) -> str:
    extra = ""
    if qtype in ("choice", "multichoice"):
        extra = ", options: {" + ", ".join(
            f"'{k}': {{fr: '{fr}', en: '{en}'}}" for k, (fr, en) in OPTIONS.items()) + "}"
    return f"{indent}{qid}: {{type: {qtype}, label: L, purpose: p, required: false{extra}}}\n"


JOURNEY = load_text(
    "parcours: 1\nid: essai\ntitle: Essai\norganisation: Ville\nstart: a\n"
    "languages: [fr, en]\nsteps:\n  a:\n    title: A\n    questions:\n"
    + "".join(_question(f"q_{t}", t, "      ") for t in TYPES)
    + "      items:\n        type: repeat\n        label: I\n        purpose: p\n"
    + "        required: false\n        questions:\n"
    + "".join(_question(f"i_{t}", t, "          ") for t in TYPES)
    + "    next: fin\noutcomes:\n  fin: {kind: submit, title: Fin}\n",
    "codec.yaml", analyses=[],
).journey
assert JOURNEY is not None

# -- typed values, as coerce makes them from what a citizen types --------------------------

_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30)
_WORDS = st.text(string.ascii_letters + "éèàç' -", min_size=1, max_size=20)


@st.composite
def _nir(draw: st.DrawFn) -> str:
    body = (draw(st.sampled_from("12")) + f"{draw(st.integers(0, 99)):02d}"
            + f"{draw(st.integers(1, 12)):02d}" + f"{draw(st.integers(1, 95)):02d}"
            + f"{draw(st.integers(1, 999)):03d}" + f"{draw(st.integers(1, 999)):03d}")
    return body + nir.calc_check_digits(body)


@st.composite
def _siret(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(st.sampled_from(string.digits), min_size=13, max_size=13)))
    return body + luhn.calc_check_digit(body)


@st.composite
def _iban(draw: st.DrawFn) -> str:
    bank, branch = draw(st.integers(1, 99999)), draw(st.integers(0, 99999))
    account = draw(st.integers(0, 10**11 - 1))
    key = 97 - (89 * bank + 15 * branch + 3 * account) % 97
    bban = f"{bank:05d}{branch:05d}{account:011d}{key:02d}"
    return "FR" + iban.calc_check_digits("FR00" + bban) + bban


_FLOATS = st.floats(-1e15, 1e15, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6)
RAW: dict[str, st.SearchStrategy[Any]] = {
    "text": _LINE,
    "textarea": st.lists(_LINE, min_size=1, max_size=3).map("\n".join),
    "integer": st.integers(-10**29, 10**29),
    "decimal": st.one_of(_FLOATS, st.decimals(-10**12, 10**12, places=4).map(str)),
    "yesno": st.booleans(),
    "choice": st.sampled_from(list(OPTIONS)),
    "multichoice": st.lists(st.sampled_from(list(OPTIONS)), min_size=1, max_size=3),
    "date": st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)),
    "email": st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9_+-]{1,5})?@[a-zA-Z0-9]{1,10}\.(fr|com)",
                           fullmatch=True),
    "phone": st.builds(lambda p, n: f"{p}{n:08d}", st.sampled_from(["01", "06", "07", "09"]),
                       st.integers(0, 10**8 - 1)),
    "postcode": st.from_regex(r"(0[1-9]|[1-8][0-9]|9[0-5]|97|98)[0-9]{3}", fullmatch=True),
    "address": st.fixed_dictionaries({
        "street": _LINE,
        "postcode": st.from_regex(r"(0[1-9]|[1-8][0-9]|9[0-5])[0-9]{3}", fullmatch=True),
        "commune": _WORDS,
    }),
    "siret": _siret(),
    "nir": _nir(),
    "iban": _iban(),
}
assert set(RAW) == set(TYPES)


@st.composite
def answers(draw: st.DrawFn) -> tuple[str, Any]:
    """A question type and a typed answer of that type."""
    qtype = draw(st.sampled_from(TYPES))
    coerced = coerce(qtype, draw(RAW[qtype]))
    assume(coerced.ok and not coerced.empty)
    return qtype, coerced.value


# -- posted fields ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(answers(), LANGS)
def test_every_type_round_trips_through_posted_fields(answer: tuple[str, Any], lang: str):
    qtype, value = answer
    q, items = JOURNEY.questions[f"q_{qtype}"], JOURNEY.questions["items"]
    fields = to_fields(JOURNEY, q, value, lang)
    fields |= to_fields(JOURNEY, items, [{f"i_{qtype}": value}, {}], lang)
    raw, _ = parse_page(JOURNEY, "a", fields)
    assert coerce(qtype, raw[q.id]).value == value
    assert len(raw["items"]) == 2  # the empty item is kept: the count says so
    assert coerce(qtype, raw["items"][0][f"i_{qtype}"]).value == value


# -- JSON ---------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(answers())
def test_every_type_round_trips_through_json(answer: tuple[str, Any]):
    qtype, value = answer
    stored = {"q": value, "items": [{"i": value}]}
    assert decode(json.loads(json.dumps(encode(stored)))) == stored
    # The plain JSON of exports and personas is read back given the question's type.
    plain = json.loads(json.dumps(to_json(stored)))
    assert coerce(qtype, plain["q"]).value == value
    assert coerce(qtype, plain["items"][0]["i"]).value == value


# -- text for a reader ----------------------------------------------------------------------

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre"]


def read(qtype: str, text: str, lang: str) -> Any:
    """The reference reader: what a person reads in the text of an answer."""
    if qtype in ("integer", "decimal"):
        if lang == "fr":
            assert re.fullmatch(r"-?[0-9]{1,3}(\u00a0[0-9]{3})*(,[0-9]+)?", text), text
            number = text.replace("\u00a0", "").replace(",", ".")
        else:
            assert re.fullmatch(r"-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]+)?", text), text
            number = text.replace(",", "")
        return int(number) if qtype == "integer" else float(number)
    if qtype == "date":
        if lang == "en":
            return dt.datetime.strptime(text, "%d %B %Y").date()
        day, month, year = text.split(" ")
        number = 1 if day == "1er" else int(day)
        assert number != 1 or day == "1er", "in French the first of the month is « 1er »"
        return dt.date(int(year), MOIS.index(month) + 1, number)
    if qtype == "yesno":
        return {"Oui": True, "Non": False}[text] if lang == "fr" else {
            "Yes": True, "No": False}[text]
    labels = {(fr if lang == "fr" else en): k for k, (fr, en) in OPTIONS.items()}
    if qtype == "choice":
        return labels[text]
    if qtype == "multichoice":
        found, rest = [], text
        while rest:
            label = next(lb for lb in labels if rest.startswith(lb))
            found.append(labels[label])
            rest = rest[len(label):].removeprefix(", ")
        return found
    if qtype == "address":
        match = re.fullmatch(r"(.*), ([0-9]{5}) (.*)", text, re.S)
        assert match, text
        return dict(zip(("street", "postcode", "commune"), match.groups(), strict=True))
    return text


@settings(max_examples=300, deadline=None)
@given(answers(), LANGS)
@example(("date", dt.date(2000, 3, 1)), "fr")  # « 1er mars », the case that had drifted
@example(("decimal", 0.1 + 0.2), "fr")
def test_every_type_reads_back_from_its_text(answer: tuple[str, Any], lang: str):
    qtype, value = answer
    text = answer_text(JOURNEY, JOURNEY.questions[f"q_{qtype}"], value, lang)
    if qtype == "decimal":
        value = float(f"{value:.15g}")  # a reader is shown 15 significant digits
    assert read(qtype, text, lang) == value

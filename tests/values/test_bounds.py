"""check_bounds, check_option, files, and the messages catalogue."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from designer import values
from designer.messages import MESSAGES, format_param, translate
from designer.values import check_option
from designer.values.bounds import check_bounds, compile_pattern, pattern_risk
from designer.values.results import InvalidAnswer
from designer.values.uploads import check_file, parse_size, sniff_kind

D = dt.date

BOUNDS = [
    # (qtype, value, bounds, expected code or None)
    ("integer", 18, {"min": 18}, None),
    ("integer", 17, {"min": 18}, "number-too-small"),
    ("integer", 65, {"max": 65}, None),
    ("integer", 66, {"max": 65}, "number-too-large"),
    ("integer", 5, {"min": 10, "max": 20}, "number-between"),
    ("integer", 25, {"min": 10, "max": 20}, "number-between"),
    ("integer", 10, {"min": 10, "max": 20}, None),
    ("decimal", 2.49, {"min": 2.5}, "number-too-small"),
    ("decimal", 2.5, {"min": 2.5}, None),
    ("decimal", -0.01, {"min": 0}, "number-too-small"),
    ("date", D(2000, 1, 1), {"min": D(2000, 1, 1)}, None),
    ("date", D(1999, 12, 31), {"min": D(2000, 1, 1)}, "date-too-early"),
    ("date", D(2030, 1, 1), {"max": D(2026, 1, 1)}, "date-too-late"),
    ("date", D(2030, 1, 1), {"min": D(2000, 1, 1), "max": D(2026, 1, 1)}, "date-between"),
    ("text", "ab", {"min_length": 3}, "text-too-short"),
    ("text", "abc", {"min_length": 3, "max_length": 3}, None),
    ("text", "abcd", {"max_length": 3}, "text-too-long"),
    ("textarea", "x" * 10_001, {}, "text-too-long"),
    ("text", "AB123", {"pattern": r"[A-Z]{2}[0-9]{3}"}, None),
    ("text", "AB1234", {"pattern": r"[A-Z]{2}[0-9]{3}"}, "pattern-mismatch"),  # fullmatch
    ("text", "xAB123", {"pattern": r"[A-Z]{2}[0-9]{3}"}, "pattern-mismatch"),
    ("multichoice", ["a"], {"min": 1}, None),
    ("multichoice", [], {"min": 1}, "choices-at-least-one"),
    ("multichoice", ["a"], {"min": 2}, "choices-too-few"),
    ("multichoice", ["a", "b"], {"max": 1}, "choices-at-most-one"),
    ("multichoice", ["a", "b", "c"], {"max": 2}, "choices-too-many"),
    ("repeat", [{}], {"min": 1, "max": 8}, None),
    ("repeat", [], {"min": 1}, "items-at-least-one"),
    ("repeat", [{}], {"min": 2}, "items-too-few"),
    ("repeat", [{}] * 9, {"max": 8}, "items-too-many"),
    ("integer", None, {"min": 1}, None),  # empty: required is checked elsewhere
    ("email", "a@b.fr", {"min": 1}, None),  # bounds do not apply
]


@pytest.mark.parametrize(("qtype", "value", "bounds", "code"), BOUNDS)
def test_bounds(qtype, value, bounds, code):
    error = check_bounds(qtype, value, **bounds)
    assert (error.code if error else None) == code
    if error:
        assert error.message("fr") and error.message("en")


def test_bound_messages_format_numbers_and_dates_per_language():
    error = check_bounds("integer", 5, min=10, max=1200)
    assert error.message("fr") == "Saisissez un nombre compris entre 10 et 1\u00a0200"
    assert error.message("en") == "Enter a number between 10 and 1,200"
    error = check_bounds("decimal", 3.0, max=2.5)
    assert error.message("fr").endswith("2,5")
    error = check_bounds("date", D(1999, 1, 1), min=D(2000, 3, 1))
    assert error.message("fr") == "Saisissez une date le 1er mars 2000 ou après"
    assert error.message("en") == "Enter a date on or after 1 March 2000"


def test_catastrophic_pattern_is_bounded_and_flagged():
    evil = r"(a+)+$"
    assert pattern_risk(evil)
    assert pattern_risk(r"(\w*)*x")
    assert pattern_risk(r"([a-z]{1,3})+")
    assert not pattern_risk(r"[A-Z]{2}[0-9]{3}")
    assert not pattern_risk(r"(ab|cd)+")
    # Beyond the cap the pattern is never run.
    assert check_bounds("text", "a" * 10_001, pattern=evil).code == "text-too-long"


def test_patterns_are_compiled_once():
    compile_pattern.cache_clear()
    for _ in range(3):
        check_bounds("text", "abc", pattern="[a-c]+")
    assert compile_pattern.cache_info().hits == 2


def test_invalid_pattern_raises_for_the_checker():
    with pytest.raises(re.error):
        compile_pattern("(unclosed")


@pytest.mark.parametrize(
    ("value", "options", "ok"),
    [
        ("jaures", {"jaures": "École Jean-Jaurès", "curie": "École Marie-Curie"}, True),
        ("autre", {"jaures": "École Jean-Jaurès"}, False),
        ("Oui", ["Oui", "Non"], True),
        ("oui", ["Oui", "Non"], False),
        (["a", "b"], ["a", "b", "c"], True),
        (["a", "z"], ["a", "b", "c"], False),
        (None, ["a"], True),
    ],
)
def test_check_option(value, options, ok):
    error = check_option(value, options)
    assert (error is None) is ok
    if not ok:
        assert error == InvalidAnswer("unknown-option")


@pytest.mark.parametrize(
    ("text", "size"),
    [("5MB", 5_000_000), ("500 KB", 500_000), ("2 Mo", 2_000_000), ("1.5MB", 1_500_000),
     ("1,5 Mo", 1_500_000), ("300", 300), ("10 ko", 10_000), ("1GB", 10**9),
     ("20 octets", 20), ("2mb", 2_000_000)],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MB", "5 XB", "-5MB", "5 MB extra", "cinq Mo", "1e9",
                                  "5" * 100])
def test_parse_size_rejects_nonsense(text):
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"hello world", None),
        (b"", None),
        (b"MZ\x90\x00", None),
        (b"<html>", None),
    ],
)
def test_sniff_kind(head, kind):
    assert sniff_kind(head) == kind


def test_check_file():
    pdf = b"%PDF-1.4 ..."
    assert check_file(pdf, 1000, accept=["pdf", "jpg"], max_size="5MB") is None
    assert check_file(b"\xff\xd8\xff\xe0", 1000, accept=["pdf", "jpg"]) is None
    assert check_file(b"PK\x03\x04", 1000, accept=["docx"]) is None
    assert check_file(pdf, 0, accept=["pdf"]).code == "file-empty"
    too_big = check_file(pdf, 6_000_000, accept=["pdf"], max_size="5MB")
    assert too_big == InvalidAnswer("file-too-large", {"max_size": "5MB"})
    wrong = check_file(b"MZ\x90\x00", 1000, accept=["pdf", "png"])
    assert wrong.code == "file-kind"
    assert "PDF, PNG" in wrong.message("fr")
    # A kind that content cannot prove never lets a file through.
    assert check_file(b"hello", 5, accept=["txt"]).code == "file-kind"


# --- messages ---------------------------------------------------------------------------

SOURCE = "\n".join(
    path.read_text(encoding="utf-8") for path in Path(values.__file__).parent.glob("*.py")
)


def test_every_code_used_in_values_has_a_message():
    literal = set(re.findall(r'(?:\bfail|InvalidAnswer)\(\s*"([a-z-]+)"', SOURCE))
    built = {"date-missing-day", "date-missing-month", "date-missing-year",
             "choices-too-few", "choices-too-many", "items-too-few", "items-too-many",
             "choices-at-least-one", "items-at-least-one"}
    for code in literal | built:
        assert code in MESSAGES, code
    assert len(literal) > 30


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_is_bilingual_and_formats(code):
    entry = MESSAGES[code]
    assert set(entry) == {"fr", "en"}
    params = {"min": 1, "max": 2, "min_length": 3, "max_length": 4, "count": 5,
              "expected": 27, "country": "FR", "max_size": "5MB", "accept": "PDF",
              "part": "day", "pattern": "x"}
    for lang in ("fr", "en"):
        text = translate(code, lang, **params)
        assert text and "{" not in text
        assert text[0].isupper()
        assert not text.endswith(".")  # GOV.UK style: error messages have no full stop


def test_translate_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError, match="no message"):
        translate("no-such-code")


def test_format_param():
    assert format_param(1200, "fr") == "1\u00a0200"
    assert format_param(1200, "en") == "1,200"
    assert format_param(1200.5, "fr") == "1\u00a0200,5"
    assert format_param(2.0, "en") == "2"
    assert format_param(D(2007, 3, 27), "fr") == "27 mars 2007"
    assert format_param(D(2007, 3, 1), "en") == "1 March 2007"
    assert format_param("FR", "fr") == "FR"

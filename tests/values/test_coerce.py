"""coerce(): what a citizen types in, typed answers or a clear error out."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum import luhn

from designer.values import coerce, required_error
from designer.values.results import Coerced, InvalidAnswer

D = dt.date

VALID = [
    # text
    ("text", "  Jean  ", "Jean"),
    ("text", "e\u0301te\u0301", "été"),  # NFC normalised
    ("textarea", "ligne 1\r\nligne 2\n", "ligne 1\nligne 2"),
    ("textarea", "a\tb", "a\tb"),
    ("text", "\ufeffJean\u200b", "Jean"),  # invisible copy-paste leftovers
    ("text", "abc\u202edef", "abcdef"),  # bidirectional override: dropped
    ("siret", "7328\u200b2932000074", "73282932000074"),
    # integer
    ("integer", "12", 12),
    ("integer", " 0 ", 0),
    ("integer", "-3", -3),
    ("integer", "+7", 7),
    ("integer", "1 200", 1200),
    ("integer", "1\u00a0200", 1200),
    ("integer", "1\u202f200\u202f000", 1_200_000),
    ("integer", 42, 42),
    # decimal
    ("decimal", "2,5", 2.5),
    ("decimal", "2.5", 2.5),
    ("decimal", "1 200,50", 1200.5),
    ("decimal", "-0,25", -0.25),
    ("decimal", ",5", 0.5),
    ("decimal", "3", 3.0),
    ("decimal", "1.200,50", 1200.5),  # both separators: the last one is the decimal mark
    ("decimal", "1,200.50", 1200.5),
    ("decimal", "1.200.300,5", 1_200_300.5),
    ("decimal", 4, 4.0),
    # yes / no
    ("yesno", "yes", True),
    ("yesno", "OUI", True),
    ("yesno", "True", True),
    ("yesno", "non", False),
    ("yesno", " No ", False),
    ("yesno", "false", False),
    ("yesno", True, True),
    # choices
    ("choice", " jaures ", "jaures"),
    ("choice", ["curie"], "curie"),
    ("multichoice", ["bio", "sans_porc", "bio", " "], ["bio", "sans_porc"]),
    ("multichoice", ["b", "a"], ["b", "a"]),
    ("multichoice", "bio", ["bio"]),
    # dates
    ("date", "2007-03-27", D(2007, 3, 27)),
    ("date", "2024-02-29", D(2024, 2, 29)),
    ("date", {"day": "27", "month": "3", "year": "2007"}, D(2007, 3, 27)),
    ("date", {"day": "1", "month": "01", "year": "1950"}, D(1950, 1, 1)),
    ("date", {"day": " 5 ", "month": " 6 ", "year": " 2001 "}, D(2001, 6, 5)),
    ("date", "27/03/2007", D(2007, 3, 27)),
    ("date", "27 3 2007", D(2007, 3, 27)),
    ("date", D(2000, 1, 2), D(2000, 1, 2)),
    # email
    ("email", " Marie.Curie@Exemple.FR ", "Marie.Curie@exemple.fr"),
    ("email", "a+tag@sub.domaine.gouv.fr", "a+tag@sub.domaine.gouv.fr"),
    ("email", "contact@mairie-été.fr", "contact@mairie-été.fr"),
    # phone
    ("phone", "06 12 34 56 78", "+33612345678"),
    ("phone", "0612345678", "+33612345678"),
    ("phone", "+33 6 12 34 56 78", "+33612345678"),
    ("phone", "0033 6 12 34 56 78", "+33612345678"),
    ("phone", "04.72.00.00.00", "+33472000000"),
    ("phone", "0262 20 12 34", "+262262201234"),  # Réunion, dialled from France
    ("phone", "+590 590 12 34 56", "+590590123456"),  # Guadeloupe
    # postcode
    ("postcode", "69190", "69190"),
    ("postcode", "01000", "01000"),
    ("postcode", "20000", "20000"),  # Corsica
    ("postcode", "97411", "97411"),
    ("postcode", "98800", "98800"),
    ("postcode", "75 001", "75001"),
    # address
    (
        "address",
        {"street": " 1 place de la République ", "postcode": "69190", "commune": "Saint-Fons"},
        {"street": "1 place de la République", "postcode": "69190", "commune": "Saint-Fons"},
    ),
    # identifiers (examples from python-stdnum's documentation)
    ("siret", "73282932000074", "73282932000074"),
    ("siret", "732 829 320 00074", "73282932000074"),
    ("siret", "732.829.320.00074", "73282932000074"),
    ("nir", "2 95 10 99 126 111 93", "295109912611193"),
    ("nir", "253072B07300470", "253072B07300470"),
    ("nir", "253072a07300443", "253072A07300443"),
    ("iban", "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
    ("iban", "fr7630006000011234567890189", "FR7630006000011234567890189"),
    ("iban", "GR16 0110 1050 0000 1054 7023 795", "GR1601101050000010547023795"),
    ("iban", "BE31435411161155", "BE31435411161155"),
    ("iban", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
]


@pytest.mark.parametrize(("qtype", "raw", "expected"), VALID)
def test_valid_answers_are_typed(qtype, raw, expected):
    result = coerce(qtype, raw)
    assert result.error is None, result.error and result.error.message("en")
    assert result.value == expected
    assert type(result.value) is type(expected)
    assert not result.empty


INVALID = [
    ("text", "a\x00b", "invalid-characters"),
    ("text", "ligne\nligne", "invalid-characters"),
    ("textarea", "a\x07b", "invalid-characters"),
    ("text", ["a", "b"], "not-understood"),
    ("text", {"x": "y"}, "not-understood"),
    ("integer", "12.5", "integer-whole"),
    ("integer", "12,5", "integer-whole"),
    ("integer", "douze", "integer-format"),
    ("integer", "12 5", "integer-format"),  # not read as 125
    ("integer", "1  2", "integer-format"),
    ("integer", "1e3", "integer-format"),
    ("integer", "0x10", "integer-format"),
    ("integer", "١٢", "integer-format"),  # Arabic-Indic digits, which int() would accept
    ("integer", "１２", "integer-format"),  # fullwidth digits
    ("integer", "9" * 31, "number-too-big"),
    ("integer", "9" * 5000, "number-too-big"),
    ("integer", True, "not-understood"),
    ("decimal", "2,5,5", "decimal-format"),
    ("decimal", "1.200.50", "decimal-format"),
    ("decimal", "1,2.5", "decimal-format"),
    ("decimal", "1.200,5,5", "decimal-format"),
    ("decimal", "nan", "decimal-format"),
    ("decimal", "inf", "decimal-format"),
    ("decimal", "2,5 €", "decimal-format"),
    ("decimal", float("nan"), "decimal-format"),
    ("decimal", "1" * 40, "number-too-big"),
    ("yesno", "peut-être", "yesno-format"),
    ("yesno", "1", "yesno-format"),
    ("multichoice", [1, 2], "not-understood"),
    ("multichoice", {"a": "b"}, "not-understood"),
    ("multichoice", ["ok", "a\x00"], "invalid-characters"),
    ("date", {"day": "31", "month": "2", "year": "2020"}, "date-real"),
    ("date", {"day": "29", "month": "2", "year": "2023"}, "date-real"),
    ("date", {"day": "0", "month": "1", "year": "2020"}, "date-real"),
    ("date", {"day": "1", "month": "13", "year": "2020"}, "date-real"),
    ("date", "2020-02-30", "date-real"),
    ("date", {"day": "", "month": "2", "year": "2020"}, "date-missing-day"),
    ("date", {"day": "3", "month": "", "year": "2020"}, "date-missing-month"),
    ("date", {"day": "3", "month": "2", "year": ""}, "date-missing-year"),
    ("date", {"day": "3", "month": "", "year": ""}, "date-incomplete"),
    ("date", {"day": "3", "month": "2", "year": "20"}, "date-year"),
    ("date", {"day": "3", "month": "mars", "year": "2020"}, "date-format"),
    ("date", {"day": "123", "month": "2", "year": "2020"}, "date-format"),
    ("date", {"day": "3", "month": "2", "year": "２０２０"}, "date-format"),
    ("date", {"day": 3, "month": "2", "year": "2020"}, "date-format"),
    ("date", "hier", "date-format"),
    ("date", "2020/13", "date-format"),
    ("email", "nom", "email-format"),
    ("email", "nom@domaine", "email-format"),
    ("email", "a@@b.fr", "email-format"),
    ("email", "a b@c.fr", "email-format"),
    ("email", ".a@c.fr", "email-format"),
    ("email", "a..b@c.fr", "email-format"),
    ("email", "a@-c.fr", "email-format"),
    ("email", "a@c.f", "email-format"),
    ("email", "a@c.12", "email-format"),
    ("email", "a" * 65 + "@c.fr", "email-format"),
    ("phone", "01 23", "phone-format"),
    ("phone", "06 12 34 56 7", "phone-format"),
    ("phone", "abc", "phone-format"),
    ("phone", "+44 20 7946 0958", "phone-not-french"),
    ("phone", "+1 202 456 1111", "phone-not-french"),
    ("postcode", "00100", "postcode-format"),
    ("postcode", "6919", "postcode-format"),
    ("postcode", "691900", "postcode-format"),
    ("postcode", "2A000", "postcode-format"),
    ("postcode", "96000", "postcode-format"),
    ("postcode", "99000", "postcode-format"),
    ("postcode", "６９１９０", "postcode-format"),
    ("address", {"street": "", "postcode": "69190", "commune": "Saint-Fons"},
     "address-street-missing"),
    ("address", {"street": "1 rue X", "postcode": "", "commune": "Saint-Fons"},
     "address-postcode-missing"),
    ("address", {"street": "1 rue X", "postcode": "00100", "commune": "Saint-Fons"},
     "postcode-format"),
    ("address", {"street": "1 rue X", "postcode": "69190", "commune": " "},
     "address-commune-missing"),
    ("address", {"street": "1 rue\x00", "postcode": "69190", "commune": "A"},
     "invalid-characters"),
    ("address", {"street": ["x"], "postcode": "69190", "commune": "A"}, "not-understood"),
    ("address", "1 rue X 69190 Saint-Fons", "not-understood"),
    ("siret", "73282932000079", "siret-checksum"),
    ("siret", "7328293200007", "siret-length"),
    ("siret", "732829320000745", "siret-length"),
    ("siret", "7328293200007A", "siret-format"),
    ("siret", "٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "siret-format"),
    ("nir", "295109912611199", "nir-checksum"),
    ("nir", "29510991261119", "nir-length"),
    ("nir", "253072C07300443", "nir-format"),
    ("nir", "253072B07300443", "nir-checksum"),
    ("nir", "2951099126111X3", "nir-format"),
    ("iban", "FR77 3000 6000 0112 3456 7890 189", "iban-checksum"),
    ("iban", "FR76 3000 6000 0112 3456 7890 18", "iban-length"),
    ("iban", "XX76 3000 6000 0112 3456 7890 189", "iban-country"),
    ("iban", "7630006000011234567890189", "iban-country"),
    ("iban", "FR76-3000_6000", "iban-format"),
    ("iban", "FRAA30006000011234567890189", "iban-checksum"),
    ("iban", "FR76A0006000011234567890189", "iban-account"),
    ("iban", "BE31 4354 1116 1156", "iban-checksum"),
]


@pytest.mark.parametrize(("qtype", "raw", "code"), INVALID)
def test_invalid_answers_give_a_clear_error(qtype, raw, code):
    result = coerce(qtype, raw)
    assert result.value is None
    assert result.error is not None, f"{raw!r} accepted as {qtype}"
    assert result.error.code == code
    assert result.error.message("fr") and result.error.message("en")


def test_iban_length_message_names_country_and_counts():
    error = coerce("iban", "FR76 3000 6000 0112 3456 7890 18").error
    assert error is not None
    assert error.params == {"country": "FR", "expected": 27, "count": 26}
    assert "27" in error.message("en") and "26" in error.message("en")


def test_iban_national_check_is_used_when_stdnum_has_one():
    # Spain's IBAN embeds the national account check digits (stdnum.es.ccc): 2100 0418 45
    # 0200051332 is the documented example; changing a check digit keeps the IBAN
    # checksum wrong, so recompute it to isolate the national check.
    from stdnum import iban

    good = "ES9121000418450200051332"
    assert coerce("iban", good).value == good
    bban = "21000418460200051332"  # national check digits 45 -> 46
    bad = "ES" + iban.calc_check_digits("ES00" + bban) + bban
    assert iban.is_valid(bad, check_country=False)
    assert coerce("iban", bad).error == InvalidAnswer("iban-national", {"country": "ES"})


def test_la_poste_siret_uses_the_digit_sum_rule():
    # La Poste's establishments (SIREN 356 000 000) are not Luhn-valid; their digits sum
    # to a multiple of 5 (python-stdnum's rule).
    number = "35600000000001"
    assert sum(map(int, number)) % 5 == 0
    assert not luhn.is_valid(number)
    assert coerce("siret", number).value == number
    assert coerce("siret", "35600000000002").error.code == "siret-checksum"


def test_a_computed_siret_with_its_luhn_key_is_accepted():
    siren = "732829320"
    body = siren + "0012"
    number = body + luhn.calc_check_digit(body)
    assert coerce("siret", number).value == number
    wrong = body + str((int(luhn.calc_check_digit(body)) + 1) % 10)
    assert coerce("siret", wrong).error.code == "siret-checksum"


def test_a_computed_nir_with_its_key_is_accepted():
    body = "1850575123456"
    key = f"{97 - int(body) % 97:02d}"
    assert coerce("nir", body + key).value == body + key
    wrong = f"{(int(key) % 97) + 1:02d}"
    assert coerce("nir", body + wrong).error.code == "nir-checksum"


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "\u00a0", [], [""], {"day": "", "month": "", "year": ""},
     {"street": "", "postcode": " ", "commune": ""}, {}],
)
@pytest.mark.parametrize(
    "qtype",
    ["text", "textarea", "integer", "decimal", "yesno", "choice", "multichoice", "date",
     "email", "phone", "postcode", "address", "siret", "nir", "iban"],
)
def test_empty_answers_are_empty_not_errors(qtype, raw):
    assert coerce(qtype, raw) == Coerced(value=None, error=None, empty=True)


@pytest.mark.parametrize("qtype", ["repeat", "info", "file"])
def test_non_values(qtype):
    assert coerce(qtype, "x").error == InvalidAnswer("not-a-value")


def test_unknown_type_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown question type"):
        coerce("colour", "red")


HOSTILE = [
    "x" * 1_000_000,
    "1" * 1_000_000,
    "\x00" * 10,
    "12\x00",
    "٣",
    "\u202e12",
    "\ud800",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%n{0}{x}",
    "💥" * 50,
]


@pytest.mark.parametrize("raw", HOSTILE)
@pytest.mark.parametrize(
    "qtype",
    ["text", "textarea", "integer", "decimal", "yesno", "choice", "multichoice", "date",
     "email", "phone", "postcode", "siret", "nir", "iban"],
)
def test_hostile_inputs_never_raise(qtype, raw):
    result = coerce(qtype, raw)
    assert isinstance(result, Coerced)
    if result.error is not None:
        assert result.error.message("fr") and result.error.message("en")
    if isinstance(result.value, str):
        assert "\x00" not in result.value
        assert len(result.value) <= 10_000


@pytest.mark.parametrize("raw", [
    {"day": "x" * 100_000, "month": "1", "year": "2000"},
    {"street": "x" * 100_000, "postcode": "69190", "commune": "A"},
    ["x"] * 100_000,
    object(),
    12.5,
    b"bytes",
])
@pytest.mark.parametrize("qtype", ["date", "address", "multichoice", "text", "integer"])
def test_hostile_shapes_never_raise(qtype, raw):
    result = coerce(qtype, raw)
    assert result.error is not None or result.empty or result.value is not None


def test_long_text_is_refused_with_the_limit():
    error = coerce("textarea", "x" * 10_001).error
    assert error == InvalidAnswer("too-long-input", {"max_length": 10_000})
    assert "10" in error.message("fr")
    assert coerce("textarea", "x" * 10_000).value == "x" * 10_000


def test_required_error_wording_follows_the_input():
    assert required_error("text").code == "required"
    assert required_error("yesno").code == "required-select"
    assert required_error("multichoice").code == "required-select"
    assert required_error("file").code == "required-file"
    assert required_error("text").message() == "Répondez à cette question"


def test_invalid_answer_messages():
    error = InvalidAnswer("date-real")
    assert error.message() == "Saisissez une date réelle, par exemple 27 3 2007"
    assert error.message("en") == "Enter a real date, for example 27 3 2007"
    assert error.message("de") == error.message("fr")  # unknown language: the default


def _iban_from_bban(country: str, bban: str) -> str:
    from stdnum import iban

    return country + iban.calc_check_digits(country + "00" + bban) + bban


@pytest.mark.parametrize(
    ("account", "letters_as_digits"),
    [
        ("12345678901", "12345678901"),
        ("0000ABC1234", "00001231234"),
        ("JKSZ0000000", "12290000000"),
    ],
)
def test_french_rib_key_is_checked(account, letters_as_digits):
    # The RIB key as the banks document it: 97 - (89 bank + 15 branch + 3 account) mod 97.
    key = 97 - (89 * 30006 + 15 * 1 + 3 * int(letters_as_digits)) % 97
    good = _iban_from_bban("FR", f"3000600001{account}{key:02d}")
    assert coerce("iban", good).value == good
    wrong = _iban_from_bban("FR", f"3000600001{account}{(key + 1) % 97:02d}")
    # The IBAN's own check digits are right: only the national key can tell.
    assert coerce("iban", wrong).error == InvalidAnswer("iban-national", {"country": "FR"})
    assert "RIB" in coerce("iban", wrong).error.message("fr")

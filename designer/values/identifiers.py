"""French and banking identifiers typed from a form: SIRET, NIR (social security number) and
IBAN, each checked part by part so that the message says what is wrong."""

from __future__ import annotations

import functools
import re
from typing import Any

from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from designer.values.cleaning import one_string, squash_spaces
from designer.values.results import EMPTY, Coerced, fail


def _identifier_text(raw: Any) -> str | Coerced:
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > 200:
        return text[:200]  # long enough to fail on length, short enough to stay cheap
    return squash_spaces(text)


def coerce_siret(raw: Any) -> Coerced:
    from stdnum.fr import siret as _siret

    text = _identifier_text(raw)
    if isinstance(text, Coerced):
        return text
    compact = _siret.compact(text).replace("-", "")
    if not compact:
        return EMPTY
    if not compact.isascii() or not compact.isdigit():
        return fail("siret-format")
    if len(compact) != 14:
        return fail("siret-length", count=len(compact))
    try:
        # stdnum knows La Poste's establishments, whose SIRET sum their digits instead of Luhn.
        return Coerced(_siret.validate(compact))
    except ValidationError:
        return fail("siret-checksum")


def coerce_nir(raw: Any) -> Coerced:
    from stdnum.fr import nir as _nir

    text = _identifier_text(raw)
    if isinstance(text, Coerced):
        return text
    compact = _nir.compact(text).replace("-", "")
    if not compact:
        return EMPTY
    if not compact.isascii() or not re.fullmatch(r"[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]*", compact):
        return fail("nir-format")
    if len(compact) != 15:
        return fail("nir-length", count=len(compact))
    try:
        return Coerced(_nir.validate(compact))
    except InvalidLength:
        return fail("nir-length", count=len(compact))
    except InvalidChecksum:
        return fail("nir-checksum")
    except ValidationError:
        return fail("nir-format")


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


def coerce_iban(raw: Any) -> Coerced:
    from stdnum import iban as _iban
    from stdnum.util import get_cc_module as _get_cc_module

    """Check an IBAN part by part, so the message says what is wrong: the country code, the
    length for that country, the check digits, the account part, or the national key."""
    text = _identifier_text(raw)
    if isinstance(text, Coerced):
        return text
    compact = _iban.compact(text)
    if not compact:
        return EMPTY
    if not compact.isascii() or not compact.isalnum():
        return fail("iban-format")
    country = compact[:2]
    info = _iban_db().info(country)[0][1] if len(compact) >= 2 else {}
    if not country.isalpha() or not info:
        return fail("iban-country")
    structure = info.get("bban", "")
    pieces = _IBAN_STRUCTURE.findall(structure)
    expected = 4 + sum(int(n) for n, _ in pieces)
    if pieces and len(compact) != expected:
        return fail("iban-length", country=country, expected=expected, count=len(compact))
    if not compact[2:4].isdigit():
        return fail("iban-checksum")
    bban_re = "".join(f"{_IBAN_CHARS[kind]}{{{n}}}" for n, kind in pieces)
    if pieces and not re.fullmatch(bban_re, compact[4:]):
        return fail("iban-account", country=country)
    try:
        _iban.validate(compact, check_country=False)
    except ValidationError:
        return fail("iban-checksum")
    if country in _RIB_COUNTRIES and not _rib_key_ok(compact[4:]):
        return fail("iban-national", country=country)
    national = _get_cc_module(country.lower(), "iban")
    if national is not None:
        try:
            national.validate(compact)
        except ValidationError:
            return fail("iban-national", country=country)
    return Coerced(compact)

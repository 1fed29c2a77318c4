"""Contact details typed from a form: e-mail address, French phone number, postcode and
postal address."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from designer.values.cleaning import MAX_INPUT_LENGTH, clean_text, one_string, squash_spaces
from designer.values.results import EMPTY, Coerced, InvalidAnswer, fail

_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def coerce_email(raw: Any) -> Coerced:
    """A pragmatic syntax check (no network): one ``@``, a usual local part, a domain with a
    dot and a letter-only top-level label; internationalised domains are accepted."""
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > MAX_INPUT_LENGTH:
        return fail("email-format")
    text = text.strip()
    if len(text) > 254 or text.count("@") != 1:
        return fail("email-format")
    local, domain = text.split("@")
    if (
        not local
        or len(local) > 64
        or not _EMAIL_LOCAL.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        return fail("email-format")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return fail("email-format")
    labels = ascii_domain.split(".")
    if (
        len(labels) < 2
        or not all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        or not re.fullmatch(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]+", labels[-1])
    ):
        return fail("email-format")
    return Coerced(f"{local}@{domain.lower()}")


# Regions whose numbers are French: metropolitan France and the overseas territories.
_FRENCH_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM", "BL", "MF", "NC", "PF", "WF")


def coerce_phone(raw: Any) -> Coerced:
    # Imported on first use: phonenumbers' metadata would slow every `parcours check`.
    import phonenumbers

    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > 100:
        return fail("phone-format")
    text = text.strip()
    number = None
    # A national number "0262 ..." is Réunion's, not metropolitan France's: try each French
    # numbering plan until one knows the number.
    for region in _FRENCH_REGIONS:
        try:
            candidate = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return fail("phone-format")
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
        if text.startswith("+") or text.startswith("00"):
            break  # international form: the region does not change the reading
    if number is None:
        return fail("phone-format")
    if phonenumbers.region_code_for_number(number) not in _FRENCH_REGIONS:
        return fail("phone-not-french")
    return Coerced(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


_POSTCODE = re.compile(r"(?:0[1-9]|[1-8][0-9]|9[0-5]|97|98)[0-9]{3}")


def _check_postcode(text: str) -> str | None:
    compact = squash_spaces(text).replace(" ", "")
    return compact if _POSTCODE.fullmatch(compact) else None


def coerce_postcode(raw: Any) -> Coerced:
    text = one_string(raw)
    if text is None:
        return fail("not-understood")
    if len(text) > 100:
        return fail("postcode-format")
    if not text.strip():
        return EMPTY
    postcode = _check_postcode(text)
    return Coerced(postcode) if postcode else fail("postcode-format")


def coerce_address(raw: Any) -> Coerced:
    if not isinstance(raw, Mapping):
        return fail("not-understood")
    parts: dict[str, str] = {}
    for name in ("street", "postcode", "commune"):
        part = raw.get(name) or ""
        if not isinstance(part, str):
            return fail("not-understood", part=name)
        cleaned = clean_text(part)
        if isinstance(cleaned, InvalidAnswer):
            return Coerced(error=InvalidAnswer(cleaned.code, {**cleaned.params, "part": name}))
        parts[name] = squash_spaces(cleaned)
    if not any(parts.values()):
        return EMPTY
    if not parts["street"]:
        return fail("address-street-missing", part="street")
    if not parts["postcode"]:
        return fail("address-postcode-missing", part="postcode")
    postcode = _check_postcode(parts["postcode"])
    if postcode is None:
        return fail("postcode-format", part="postcode")
    parts["postcode"] = postcode
    if not parts["commune"]:
        return fail("address-commune-missing", part="commune")
    return Coerced(parts)

"""Messages shown to a citizen whose answer does not fit its question, in French and English.

One concept only: answer validation (type errors, bounds, ``required``, ``check-failed``).
Messages follow the GOV.UK and DSFR error-message style: plain words, polite, and
actionable (say what to do, with an example when it helps), never blame.

Each message is a ``str.format`` template; :func:`translate` formats numbers and dates
for the language (``1 200,5`` and ``27 mars 2007`` in French, ``1,200.5`` and
``27 March 2007`` in English) before filling it in.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from designer.answers import date_text, number_text

DEFAULT_LANGUAGE = "fr"

MESSAGES: dict[str, dict[str, str]] = {
    # Presence
    "required": {
        "fr": "Répondez à cette question",
        "en": "Answer this question",
    },
    "required-select": {
        "fr": "Sélectionnez une réponse",
        "en": "Select an answer",
    },
    "required-file": {
        "fr": "Choisissez un fichier à joindre",
        "en": "Choose a file to upload",
    },
    "check-failed": {
        "fr": "Cette réponse ne convient pas : vérifiez-la",
        "en": "This answer is not accepted: check it",
    },
    "not-a-value": {
        "fr": "Cette question n'attend pas de réponse saisie",
        "en": "This question does not take a typed answer",
    },
    "not-understood": {
        "fr": "Nous n'avons pas compris cette réponse : saisissez-la à nouveau",
        "en": "We could not understand this answer: enter it again",
    },
    "invalid-characters": {
        "fr": "Retirez les caractères spéciaux invisibles de votre réponse",
        "en": "Remove the invisible special characters from your answer",
    },
    "too-long-input": {
        "fr": "Votre réponse doit faire {max_length} caractères ou moins",
        "en": "Your answer must be {max_length} characters or fewer",
    },
    # Numbers
    "integer-format": {
        "fr": "Saisissez un nombre en chiffres, par exemple 12 ou 1 200",
        "en": "Enter a number in figures, for example 12 or 1200",
    },
    "integer-whole": {
        "fr": "Saisissez un nombre entier, sans virgule, par exemple 12",
        "en": "Enter a whole number, without decimals, for example 12",
    },
    "decimal-format": {
        "fr": "Saisissez un nombre en chiffres, par exemple 2,5 ou 1 200,50",
        "en": "Enter a number in figures, for example 2.5 or 1200.50",
    },
    "number-too-big": {
        "fr": "Ce nombre est trop grand : vérifiez-le",
        "en": "This number is too big: check it",
    },
    "number-too-small": {
        "fr": "Saisissez un nombre supérieur ou égal à {min}",
        "en": "Enter a number of {min} or more",
    },
    "number-too-large": {
        "fr": "Saisissez un nombre inférieur ou égal à {max}",
        "en": "Enter a number of {max} or less",
    },
    "number-between": {
        "fr": "Saisissez un nombre compris entre {min} et {max}",
        "en": "Enter a number between {min} and {max}",
    },
    # Yes / no, choices
    "yesno-format": {
        "fr": "Répondez par oui ou par non",
        "en": "Answer yes or no",
    },
    "unknown-option": {
        "fr": "Sélectionnez une des réponses proposées",
        "en": "Select one of the answers shown",
    },
    "choices-at-least-one": {
        "fr": "Sélectionnez au moins une réponse",
        "en": "Select at least one answer",
    },
    "choices-too-few": {
        "fr": "Sélectionnez au moins {min} réponses",
        "en": "Select at least {min} answers",
    },
    "choices-at-most-one": {
        "fr": "Sélectionnez une seule réponse",
        "en": "Select only one answer",
    },
    "choices-too-many": {
        "fr": "Sélectionnez {max} réponses au plus",
        "en": "Select {max} answers or fewer",
    },
    "items-too-few": {
        "fr": "Ajoutez au moins {min} éléments",
        "en": "Add at least {min} items",
    },
    "items-at-least-one": {
        "fr": "Ajoutez au moins un élément",
        "en": "Add at least one item",
    },
    "items-too-many": {
        "fr": "Vous pouvez ajouter {max} éléments au plus",
        "en": "You can add {max} items or fewer",
    },
    # Dates
    "date-format": {
        "fr": "Saisissez la date en chiffres, par exemple 27 3 2007",
        "en": "Enter the date in figures, for example 27 3 2007",
    },
    "date-incomplete": {
        "fr": "Saisissez la date complète : jour, mois et année, par exemple 27 3 2007",
        "en": "Enter the full date: day, month and year, for example 27 3 2007",
    },
    "date-missing-day": {
        "fr": "La date doit comporter un jour",
        "en": "The date must include a day",
    },
    "date-missing-month": {
        "fr": "La date doit comporter un mois",
        "en": "The date must include a month",
    },
    "date-missing-year": {
        "fr": "La date doit comporter une année",
        "en": "The date must include a year",
    },
    "date-year": {
        "fr": "Saisissez l'année sur 4 chiffres, par exemple 2007",
        "en": "Enter the year as 4 digits, for example 2007",
    },
    "date-real": {
        "fr": "Saisissez une date réelle, par exemple 27 3 2007",
        "en": "Enter a real date, for example 27 3 2007",
    },
    "date-too-early": {
        "fr": "Saisissez une date le {min} ou après",
        "en": "Enter a date on or after {min}",
    },
    "date-too-late": {
        "fr": "Saisissez une date le {max} ou avant",
        "en": "Enter a date on or before {max}",
    },
    "date-between": {
        "fr": "Saisissez une date entre le {min} et le {max}",
        "en": "Enter a date between {min} and {max}",
    },
    # Texts
    "text-too-short": {
        "fr": "Votre réponse doit faire au moins {min_length} caractères",
        "en": "Your answer must be at least {min_length} characters",
    },
    "text-too-long": {
        "fr": "Votre réponse doit faire {max_length} caractères ou moins",
        "en": "Your answer must be {max_length} characters or fewer",
    },
    "pattern-mismatch": {
        "fr": "Vérifiez le format de votre réponse",
        "en": "Check the format of your answer",
    },
    # Contact
    "email-format": {
        "fr": "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr",
        "en": "Enter an email address in the correct format, like name@example.com",
    },
    "phone-format": {
        "fr": "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78",
        "en": "Enter a valid phone number, like 06 12 34 56 78 or +33 6 12 34 56 78",
    },
    "phone-not-french": {
        "fr": "Saisissez un numéro de téléphone français, par exemple 06 12 34 56 78",
        "en": "Enter a French phone number, like 06 12 34 56 78 or +33 6 12 34 56 78",
    },
    # Postal address
    "postcode-format": {
        "fr": "Saisissez un code postal français de 5 chiffres, par exemple 69190",
        "en": "Enter a French postcode of 5 digits, like 69190",
    },
    "address-street-missing": {
        "fr": "Saisissez le numéro et le nom de la voie",
        "en": "Enter the building number and street name",
    },
    "address-postcode-missing": {
        "fr": "Saisissez le code postal",
        "en": "Enter the postcode",
    },
    "address-commune-missing": {
        "fr": "Saisissez la commune",
        "en": "Enter the town or city",
    },
    # Identifiers
    "siret-format": {
        "fr": "Le numéro SIRET ne doit comporter que des chiffres, par exemple 732 829 320 00074",
        "en": "A SIRET number must contain only digits, like 732 829 320 00074",
    },
    "siret-length": {
        "fr": "Le numéro SIRET doit comporter 14 chiffres (vous en avez saisi {count})",
        "en": "A SIRET number must be 14 digits long (you entered {count})",
    },
    "siret-checksum": {
        "fr": "Ce numéro SIRET n'existe pas : vérifiez chaque chiffre",
        "en": "This SIRET number does not exist: check each digit",
    },
    "nir-format": {
        "fr": "Le numéro de sécurité sociale ne comporte que des chiffres "
        "(et 2A ou 2B pour la Corse), par exemple 2 95 10 99 126 111 93",
        "en": "A social security number contains only digits "
        "(and 2A or 2B for Corsica), like 2 95 10 99 126 111 93",
    },
    "nir-length": {
        "fr": "Le numéro de sécurité sociale doit comporter 15 caractères, clé comprise "
        "(vous en avez saisi {count})",
        "en": "A social security number must be 15 characters long, including the key "
        "(you entered {count})",
    },
    "nir-checksum": {
        "fr": "Ce numéro de sécurité sociale ne correspond pas à sa clé : vérifiez chaque chiffre",
        "en": "This social security number does not match its key: check each digit",
    },
    "iban-format": {
        "fr": "Un IBAN ne comporte que des lettres et des chiffres, "
        "par exemple FR76 3000 6000 0112 3456 7890 189",
        "en": "An IBAN contains only letters and digits, "
        "like FR76 3000 6000 0112 3456 7890 189",
    },
    "iban-country": {
        "fr": "Un IBAN commence par le code d'un pays, par exemple FR76",
        "en": "An IBAN starts with a country code, like FR76",
    },
    "iban-length": {
        "fr": "Un IBAN de ce pays ({country}) comporte {expected} caractères "
        "(vous en avez saisi {count})",
        "en": "An IBAN from this country ({country}) is {expected} characters long "
        "(you entered {count})",
    },
    "iban-checksum": {
        "fr": "Cet IBAN ne correspond pas à sa clé de contrôle : vérifiez chaque caractère",
        "en": "This IBAN does not match its check digits: check each character",
    },
    "iban-account": {
        "fr": "La partie compte de cet IBAN ({country}) n'a pas le bon format : "
        "vérifiez-la sur votre RIB",
        "en": "The account part of this IBAN ({country}) is not in the right format: "
        "check it against your bank details",
    },
    "iban-national": {
        "fr": "Le numéro de compte de cet IBAN ne correspond pas à sa clé (clé RIB) : "
        "vérifiez-le sur votre RIB",
        "en": "The account number in this IBAN does not match its national check digits: "
        "check it against your bank details",
    },
    # Files (the caller checks uploads with values.check_file)
    "file-empty": {
        "fr": "Le fichier choisi est vide",
        "en": "The selected file is empty",
    },
    "file-too-large": {
        "fr": "Le fichier doit peser {max_size} ou moins",
        "en": "The selected file must be smaller than {max_size}",
    },
    "file-kind": {
        "fr": "Le fichier doit être au format {accept}",
        "en": "The selected file must be a {accept}",
    },
}

def format_param(value: Any, lang: str) -> Any:
    """Format a number or a date the way a reader of ``lang`` expects (the answer codec's
    :func:`designer.answers.number_text` and :func:`designer.answers.date_text`, so that a
    date reads the same in a message and on the receipt); other values unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, _dt.date):
        return date_text(value, lang)
    if isinstance(value, int | float):
        return number_text(value, lang)
    return value


def translate(code: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The message for ``code`` in ``lang`` (French when the language is not available).

    Raises ``KeyError`` for an unknown code: that is a programming error, not a user's.
    """
    try:
        entry = MESSAGES[code]
    except KeyError:
        raise KeyError(f"no message for the answer error code {code!r}") from None
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    used = lang if lang in entry else DEFAULT_LANGUAGE
    return template.format(**{k: format_param(v, used) for k, v in params.items()})


# --- A required question left empty: a message that names the field -----------------------

#: The codes of "nothing was answered"; :func:`required_message` says them for one field.
REQUIRED_CODES = frozenset({"required", "required-select", "required-file"})

#: Words a label may start with that make it a noun phrase one can put after a verb:
#: "Saisissez votre nom de famille", "Enter your date of birth".
_DETERMINERS = {
    "fr": ("votre", "vos", "le", "la", "les", "l'", "l’", "un", "une", "des", "du", "son",
           "sa", "ses", "leur", "leurs", "mon", "ma", "mes", "cet", "cette", "ce", "ces"),
    "en": ("your", "the", "a", "an", "their", "his", "her", "its", "this", "these"),
}
#: Question openings that add nothing to the field's name ("Quel est votre nom ?").
_OPENINGS = {
    "fr": re.compile(r"^(?:quel(?:le)?s? (?:est|sont)|indiquez|saisissez|précisez|"
                     r"donnez|choisissez|sélectionnez|joignez)\s+", re.I),
    "en": re.compile(r"^(?:what (?:is|are)|enter|give|choose|select|upload)\s+", re.I),
}
_VERBS = {
    # (with a noun phrase, otherwise), per kind of input
    "fr": {
        "type": ("Saisissez {label}", "Répondez à «\u00a0{label}\u00a0»"),
        "select": ("Sélectionnez {label}", "Sélectionnez une réponse à «\u00a0{label}\u00a0»"),
        "yesno": ("Répondez oui ou non à «\u00a0{label}\u00a0»",
                  "Répondez oui ou non à «\u00a0{label}\u00a0»"),
        "file": ("Joignez {label}", "Joignez le fichier demandé\u00a0: «\u00a0{label}\u00a0»"),
    },
    "en": {
        "type": ("Enter {label}", "Answer “{label}”"),
        "select": ("Select {label}", "Select an answer to “{label}”"),
        "yesno": ("Answer yes or no to “{label}”", "Answer yes or no to “{label}”"),
        "file": ("Upload {label}", "Upload the file asked for: “{label}”"),
    },
}


def required_message(label: str, qtype: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What to do with one field left empty, from its label and type, as the GOV.UK and DSFR
    error messages do: "Saisissez votre nom de famille", "Sélectionnez votre situation",
    "Joignez votre justificatif de domicile", "Enter your date of birth". A label that is
    not a noun phrase ("Combien de personnes vivent avec vous ?") is quoted instead."""
    used = lang if lang in _VERBS else DEFAULT_LANGUAGE
    kind = ("yesno" if qtype == "yesno" else "select" if qtype in ("choice", "multichoice")
            else "file" if qtype == "file" else "type")
    text = re.sub(r"[*_`]", "", " ".join(label.split())).rstrip(" ?:…!.")
    noun = _OPENINGS[used].sub("", text)
    first = noun.split(" ", 1)[0].lower()
    is_phrase = (
        kind != "yesno"
        and len(noun) <= 60
        and (first in _DETERMINERS[used] or first.startswith(("l'", "l’")))
        # Two sentences (an easy-to-read label often has them) are quoted whole.
        and not re.search(r"[.!?…] ", text)
    )
    if is_phrase:
        return _VERBS[used][kind][0].format(label=noun[:1].lower() + noun[1:])
    return _VERBS[used][kind][1].format(label=" ".join(label.split()).rstrip(" :"))

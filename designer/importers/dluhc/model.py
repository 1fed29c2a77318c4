"""CORE's lettings model, as the DLUHC importer needs it.

What the form file refers to without defining: the model methods that are
plain tests on answers, the fields of CORE's setup section (in code, not in the
file), the questions CORE never requires; and how the file writes answer
options. Everything here is read from CORE's Ruby source
(communitiesuk/submit-social-housing-lettings-and-sales-data), as cited.
"""

from __future__ import annotations

import re
from typing import Any

# CORE model methods that are plain tests on answers, as defined in
# app/models/lettings_log.rb of CORE: written as depends_on alternatives.
CORE_METHODS: dict[str, list[dict[str, Any]]] = {
    "is_supported_housing?": [{"needstype": 2}],
    "is_general_needs?": [{"needstype": 1}],
    "is_renewal?": [{"renewal": 1}],
    "is_carehome?": [{"is_carehome": 1}],
    "rent_and_charges_paid_weekly?": [{"period": v} for v in (1, 5, 6, 7, 8, 9, 10, 11)],
    "rent_and_charges_paid_every_4_weeks?": [{"period": 3}],
    "rent_and_charges_paid_every_2_weeks?": [{"period": 2}],
    "rent_and_charges_paid_monthly?": [{"period": 4}],
}
# Labels of the setup fields, from the comments of CORE's lettings_log.rb ("# 1: General Needs")
# and, for the tenancy start date, from its question class (form/lettings/questions/
# tenancy_start_date.rb). A field with options is a choice, otherwise of the given type.
SETUP_FIELDS: dict[str, dict[str, Any]] = {
    "needstype": {"label": "What is the needs type of the letting?",
                  "options": {"1": "General needs", "2": "Supported housing"}},
    "renewal": {"label": "Is this letting a renewal?", "options": {"1": "Yes", "0": "No"}},
    "owning_organisation_provider_type": {
        "label": "What kind of provider owns the property?",
        "options": {"LA": "Local authority", "PRP": "Private registered provider"}},
    "startdate": {"label": "What is the tenancy start date?", "short": "Tenancy start date",
                  "type": "date"},
}
#: Questions CORE never requires (OPTIONAL_FIELDS of lettings_log.rb): an empty care home
#: charge is what its soft validation care_home_charge_expected_not_provided? asks about.
OPTIONAL_FIELDS = frozenset({"tenancycode", "propcode", "chcharge"})
#: Holds once every question of CORE's setup section is answered (task-list gating).
SETUP_COMPLETED = "non_location_setup_questions_completed?"


def answer_options(question: dict[str, Any]) -> dict[str, str]:
    """The options of a radio, select or checkbox question: key → label, without dividers."""
    options: dict[str, str] = {}
    for key, value in (question.get("answer_options") or {}).items():
        if key == "" or str(key).startswith("divider"):
            continue
        label = value.get("value") if isinstance(value, dict) else value
        options[str(key)] = str(label if label is not None else key)
    return options


def humanise(text: str) -> str:
    """An id as words: `age1_known` → "Age1 known"."""
    words = re.sub(r"[_\-?]+", " ", text).strip()
    return words[:1].upper() + words[1:] if words else text

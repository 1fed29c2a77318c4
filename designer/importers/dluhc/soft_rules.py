"""What CORE's soft validations test, read from CORE's Ruby source and written as expressions.

CORE's lettings forms hold "interruption screens" (``*_value_check`` pages): an
"are you sure?" question shown when a method of CORE's Ruby model holds, such
as ``voiddate_in_soft_range?``. The form file names the method, never its
logic. This module is the project's own reading of each method used by the
2022/23 form: what it tests, in words, where it was read, and the same test
as a journey expression, or why it cannot be written as one.

An expression here is written over CORE's field names with CORE's stored
values (radio keys as numbers, as the form's ``depends_on`` writes them);
``designer.importers.dluhc`` maps every name through the same translation as
``depends_on`` (fields asked on several variant pages, option values, fields of
CORE's setup section). A name of :data:`HELPERS` becomes a computed value of
the journey, so that the conditions read like CORE's own method names.

The source is CORE, https://github.com/communitiesuk/submit-social-housing-lettings-and-sales-data
(MIT). The corpus form is ``config/forms/2022_2023.json`` at commit
``e46822ea`` (the file last changed in ``da865ce8``): it calls the methods by
names that only CORE's later code defines (``all_male_tenants_in_a_pregnant_household?``).
The rules below follow the latest version of each Ruby file that the code
index holds, the nearest to the form file's last change, and say where older
versions differed. Three versions of ``soft_validations.rb`` are indexed; the
one read defines ``all_male_tenants_in_a_pregnant_household?`` and switches the
void-date range at the 2025 form (so it is later than the 2022/23 rules were
first written), but does not yet define
``non_males_in_pregnant_household_not_in_pregnancy_range?``: that one rule is
read from its predecessor, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from designer.expressions import Name, parse
from designer.expressions.ast import FUNCTIONS, walk

REPOSITORY = "communitiesuk/submit-social-housing-lettings-and-sales-data"
SOFT = "app/models/validations/soft_validations.rb"
LOG = "app/models/lettings_log.rb"
CHARGES = "app/helpers/charges_helper.rb"
FORM = "app/models/form.rb"
#: Household members a CORE lettings log describes (hhmemb is at most 8).
PEOPLE = range(1, 9)


@dataclass(frozen=True)
class Rule:
    """How CORE decides to show one soft-validation page: a method of its lettings log."""

    method: str
    #: The rule in words, as read in the source.
    meaning: str
    #: The CORE file it was read from (and which version, when it matters).
    source: str
    #: The rule over CORE's field names and HELPERS; None when it cannot be translated.
    when: str | None = None
    #: Why the rule is not translated (when `when` is None).
    reason: str | None = None
    #: Where the translation is knowingly approximate, and how.
    approximation: str | None = None


@dataclass(frozen=True)
class Helper:
    """A named part of several rules: a computed value of the imported journey."""

    name: str
    meaning: str
    source: str
    expression: str


def _persons_all(first: str, other: str) -> str:
    """`first` for the lead tenant and `other` for each further member the household counts."""
    parts = [first.format(n=1)]
    parts += [f"(hhmemb < {n} or {other.format(n=n)})" for n in PEOPLE if n > 1]
    return " and ".join(parts)


def _persons_any(test: str) -> str:
    """`test` holds for the lead tenant or for a further member the household counts."""
    parts = [test.format(n=1)]
    parts += [f"hhmemb >= {n} and ({test.format(n=n)})" for n in PEOPLE if n > 1]
    return " or ".join(f"({part})" if " or " in part else part for part in parts)


_HELPERS = [
    Helper(
        "all_male_tenants_in_the_household",
        "every member the household counts (hhmemb; all 8 when unknown) is male (sex M)",
        f"{SOFT}, all_male_tenants_in_the_household?",
        _persons_all('sex{n} == "M"', 'sex{n} == "M"'),
    ),
    Helper(
        "all_tenants_gender_information_completed",
        "every member the household counts has a gender identity, and every member after "
        "the lead tenant has details known (details_known_n is 0, Yes)",
        f"{SOFT}, all_tenants_gender_information_completed?",
        _persons_all("answered(sex{n})", "answered(sex{n}) and details_known_{n} == 0"),
    ),
    Helper(
        "all_tenants_age_and_gender_information_completed",
        "every member the household counts has a gender identity and a known age "
        "(age_n_known is 0, Yes, and age_n answered), and every member after the lead tenant "
        "has details known",
        f"{SOFT}, all_tenants_age_and_gender_information_completed?",
        _persons_all(
            "answered(sex{n}) and answered(age{n}) and age{n}_known == 0",
            "answered(sex{n}) and answered(age{n}) and details_known_{n} == 0 "
            "and age{n}_known == 0",
        ),
    ),
    Helper(
        "females_in_the_household",
        "a member the household counts is female (sex F) or has no gender identity recorded",
        f"{SOFT}, females_in_the_household?",
        _persons_any('sex{n} == "F" or not answered(sex{n})'),
    ),
    Helper(
        "females_in_age_range_16_50",
        "a member the household counts is female and aged 16 to 50, both included",
        f"{SOFT}, females_in_age_range(16, 50)",
        _persons_any('sex{n} == "F" and 16 <= age{n} <= 50'),
    ),
]

#: NUM_OF_WEEKS_FROM_PERIOD of lettings_log.rb: how many payments a year each rent period makes.
PAYMENTS_A_YEAR = {1: 52, 2: 26, 3: 13, 4: 12, 5: 50, 6: 49, 7: 48, 8: 47, 9: 46, 10: 53, 11: 51}

#: The weekly soft maximum of each charge by needs type (1 general needs, 2 supported
#: housing) and provider type (soft_validations.rb), and the hard maximum by provider type
#: (CHARGE_MAXIMA_PER_WEEK of charges_helper.rb, the same for both needs types).
CHARGE_LIMITS: dict[str, dict[tuple[int, str], tuple[int, int]]] = {
    "scharge": {(1, "LA"): (25, 500), (1, "PRP"): (35, 800),
                (2, "LA"): (100, 500), (2, "PRP"): (200, 800)},
    "pscharge": {(1, "LA"): (25, 200), (1, "PRP"): (35, 700),
                 (2, "LA"): (75, 200), (2, "PRP"): (100, 700)},
    "supcharg": {(1, "LA"): (25, 200), (1, "PRP"): (35, 800),
                 (2, "LA"): (75, 200), (2, "PRP"): (85, 800)},
}
_CHARGE_NAMES = {"scharge": "service charge", "pscharge": "personal service charge",
                 "supcharg": "support charge"}


def _charge_band(charge: str, soft: int, hard: int) -> Helper:
    """The charge, as a weekly amount, is more than `soft` pounds and at most `hard`.

    CORE's weekly_value is the charge × payments a year ÷ 52, rounded to the penny
    (half up). For an amount in pence that is more than S once rounded exactly when
    amount × payments > 52 × S + 0.255, and at most H exactly when amount × payments
    < 52 × H + 0.255: a product of pence never falls on these bounds, so binary
    floating point cannot tip a case that sits on the penny boundary.
    """
    lower = Decimal(soft) * 52 + Decimal("0.255")
    upper = Decimal(hard) * 52 + Decimal("0.255")
    parts = [f"period == {period} and {lower} < {charge} * {payments} < {upper}"
             for period, payments in PAYMENTS_A_YEAR.items()]
    return Helper(
        f"{charge}_per_week_over_{soft}_up_to_{hard}",
        f"the {_CHARGE_NAMES[charge]}, as a weekly amount (× payments a year of the rent "
        f"period ÷ 52, rounded to the penny), is more than £{soft} and at most £{hard}",
        f"{LOG}, weekly_value and NUM_OF_WEEKS_FROM_PERIOD; {SOFT}, {charge}_in_soft_max_range?",
        " or ".join(parts),
    )


def _charge_rule(charge: str) -> tuple[Rule, list[Helper]]:
    helpers: list[Helper] = []
    alternatives: list[str] = []
    for (needstype, provider), (soft, hard) in CHARGE_LIMITS[charge].items():
        band = _charge_band(charge, soft, hard)
        helpers.append(band)
        alternatives.append(f'needstype == {needstype} and owning_organisation_provider_type == '
                            f'"{provider}" and {band.name}')
    limits = "; ".join(
        f"{'general needs' if n == 1 else 'supported housing'} {p}: over £{s} up to £{h}"
        for (n, p), (s, h) in CHARGE_LIMITS[charge].items())
    rule = Rule(
        f"{charge}_in_soft_max_range?",
        f"the weekly {_CHARGE_NAMES[charge]} is over the soft maximum for the needs type and "
        f"the owning organisation's provider type, and at most the hard maximum ({limits})",
        f"{SOFT}, {charge}_in_soft_max_range?; {CHARGES}, CHARGE_MAXIMA_PER_WEEK",
        " or ".join(alternatives),
    )
    return rule, helpers


_RULES = [
    Rule(
        "voiddate_in_soft_range?",
        "the void date is 2 to 10 years before the tenancy start date, both included "
        "(TWO_YEARS_IN_DAYS = 730, TEN_YEARS_IN_DAYS = 3650; 20 years only from the 2025 form)",
        f"{SOFT}, voiddate_in_soft_range?",
        "730 <= days_between(voiddate, startdate) <= 3650",
    ),
    Rule(
        "major_repairs_date_in_soft_range?",
        "the date major repairs were completed is 2 to 10 years before the tenancy start date, "
        "both included (the same bounds as the void date)",
        f"{SOFT}, major_repairs_date_in_soft_range?",
        "730 <= days_between(mrcdate, startdate) <= 3650",
    ),
    Rule(
        "all_male_tenants_in_a_pregnant_household?",
        "somebody in the household is pregnant (preg_occ 1), yet every member has a gender "
        "identity and all are male (older versions, as no_females_in_a_pregnant_household?, "
        "also counted non-binary members and those who prefer not to say as not female)",
        f"{SOFT}, all_male_tenants_in_a_pregnant_household?",
        "preg_occ == 1 and all_male_tenants_in_the_household "
        "and all_tenants_gender_information_completed",
    ),
    Rule(
        "non_males_in_pregnant_household_not_in_pregnancy_range?",
        "somebody in the household is pregnant, every member has a gender identity and a known "
        "age, some member is female, and no female member is aged 16 to 50",
        f"{SOFT}, female_in_pregnant_household_in_soft_validation_range? (the method's name "
        "before CORE renamed it)",
        "preg_occ == 1 and all_tenants_age_and_gender_information_completed "
        "and females_in_the_household and not females_in_age_range_16_50",
        approximation="the body of the renamed method is not in the code index: the rule is "
        "that of its predecessor, female_in_pregnant_household_in_soft_validation_range?, "
        "which these pages called before (same page ids and texts); the new name suggests "
        "that CORE now also counts members who are not male (non-binary, prefers not to say) "
        "with the female ones",
    ),
    *[
        Rule(
            f"person_{n}_retired_under_soft_min_age?",
            f"person {n} is retired (working situation 5) and younger than 66 (older versions: "
            "under 60, or under 60 for women and 67 for men and non-binary people)",
            f"{SOFT}, retired_under_soft_min_age?",
            f"ecstat{n} == 5 and age{n} < 66",
        )
        for n in PEOPLE
    ],
    *[
        Rule(
            f"person_{n}_not_retired_over_soft_max_age?",
            f"person {n} is older than 66 and neither retired (5) nor 'prefers not to say' (10) "
            "(older versions: over 60 for women, over 67 or the retirement age by gender for "
            "men and non-binary people)",
            f"{SOFT}, not_retired_over_soft_max_age?",
            f"ecstat{n} != 5 and ecstat{n} != 10 and age{n} > 66",
        )
        for n in PEOPLE
    ],
    Rule(
        "la_referral_for_general_needs?",
        "a general needs letting (needstype 1) referred by a local authority housing "
        "department (referral 4), a referral meant for supported housing",
        f"{LOG}, la_referral_for_general_needs?",
        "needstype == 1 and referral == 4",
    ),
    Rule(
        "care_home_charge_expected_not_provided?",
        "the accommodation is a care home (is_carehome 1) and no care home charge is given",
        f"{LOG}, care_home_charge_expected_not_provided?",
        "is_carehome == 1 and chcharge == null",
    ),
    Rule(
        "net_income_soft_validation_triggered?",
        "the household's weekly net income (monthly × 12 ÷ 52 or yearly ÷ 52, rounded) is "
        "between the hard and soft minimum, or between the soft and hard maximum, of a range "
        "that adds up, for each member the household counts, an amount set by that member's "
        "working situation (ALLOWED_INCOME_RANGES; a member without one counts as a child under "
        "16 or as 'prefers not to say', by age)",
        f"{SOFT}, net_income_in_soft_min_range? and net_income_in_soft_max_range?; {LOG}, "
        "weekly_net_income and applicable_income_range",
        reason="the expected range is a sum over the household of amounts chosen by each "
        "member's answer, and the weekly income is rounded: the expression language has no "
        "conditional value and no rounding to write it (constants and answers are all in the "
        "form; a case-by-case expansion would be 11^7 cases)",
    ),
    Rule(
        "rent_in_soft_min_range?",
        "the weekly rent is between the hard and the soft minimum of the rent range for the "
        "local authority, number of bedrooms, letting type and collection year",
        f"{SOFT}, rent_in_soft_min_range?",
        reason="the rent ranges (LaRentRange) are rows of CORE's database, loaded from "
        "published rent data: neither the form nor CORE's code holds them",
    ),
    Rule(
        "rent_in_soft_max_range?",
        "the weekly rent is between the soft and the hard maximum of the rent range for the "
        "local authority, number of bedrooms, letting type and collection year",
        f"{SOFT}, rent_in_soft_max_range?",
        reason="the rent ranges (LaRentRange) are rows of CORE's database, loaded from "
        "published rent data: neither the form nor CORE's code holds them",
    ),
]

for _charge in CHARGE_LIMITS:
    _rule, _bands = _charge_rule(_charge)
    _RULES.append(_rule)
    _HELPERS.extend(_bands)

#: Soft-validation methods of CORE's lettings log, by name (with the question mark).
RULES: dict[str, Rule] = {rule.method: rule for rule in _RULES}
#: Computed values the rules use, by name.
HELPERS: dict[str, Helper] = {helper.name: helper for helper in _HELPERS}


def fields_read(text: str) -> set[str]:
    """CORE field names an expression of this module reads, through its helpers too."""
    found: set[str] = set()
    for node in walk(parse(text)):
        if isinstance(node, Name) and node.id not in FUNCTIONS:
            if node.id in HELPERS:
                found |= fields_read(HELPERS[node.id].expression)
            else:
                found.add(node.id)
    return found

"""DLUHC CORE import: each "are you sure?" confirmation is asked exactly when CORE's rule says.

The expectations are written here from CORE's Ruby source, not from the
importer's table (``designer/importers/dluhc/soft_rules.py``):
``app/models/validations/soft_validations.rb`` and ``app/models/lettings_log.rb``
of communitiesuk/submit-social-housing-lettings-and-sales-data. Each test walks
the imported journey with the run semantics: every question gets a plain
default answer, the test sets the answers that matter, and the questions
shown on the path are compared with the rule, including the near misses on
each side of a bound.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from designer.compiled import CompiledJourney, QuestionInfo
from designer.expressions import MAX_LENGTH, parse
from designer.importers import ImportResult, import_file
from designer.importers.dluhc.soft_rules import HELPERS, RULES, fields_read
from designer.run import Run

from .conftest import errors, load_imported

TODAY = datetime.date(2022, 7, 1)
START = datetime.date(2022, 6, 1)


class Core:
    """The imported 2022/23 form, and a way to walk it."""

    def __init__(self, result: ImportResult, journey: CompiledJourney, form: dict[str, Any]):
        self.result = result
        self.journey = journey
        self.form = form
        #: CORE page id → the journey question its confirmation became.
        self.confirmation: dict[str, str] = {}
        for key, text in result.comments.items():
            if key[0] == "steps" and len(key) == 4 and ".pages." in text:
                page = text.split(".pages.")[1].split(".")[0]
                self.confirmation.setdefault(page, key[3])
        self.defaults = {q.id: _default(q) for q in journey.questions.values()}

    def shown(self, **given: Any) -> set[str]:
        """The questions shown on the path of a complete run with these answers."""
        run = Run(self.journey, {**self.defaults, "startdate": START, **given}, today=TODAY)
        assert run.finished, run.path()[-3:]
        return {q.id for page in run.pages() for q in page.questions}

    def asks(self, page: str, **given: Any) -> bool:
        """Whether the confirmation of CORE's `page` is asked, given these answers."""
        return self.confirmation[page] in self.shown(**given)


def _default(q: QuestionInfo) -> Any:
    if q.type == "choice":
        assert q.options
        return next(iter(q.options))
    if q.type == "multichoice":
        assert q.options
        return [next(iter(q.options))]
    if q.type == "integer":
        return q.min if isinstance(q.min, int) else 1
    if q.type == "decimal":
        return 0.0
    if q.type == "date":
        return START
    return "x"


@pytest.fixture(scope="module")
def core() -> Core:
    from sharedfolder import CORPUS, need

    path = CORPUS / "dluhc-core" / "2022_2023.json"
    need(path)
    result = import_file(path)
    loaded = load_imported(result, "core.yaml")
    assert errors(loaded) == []
    assert loaded.journey is not None
    return Core(result, loaded.journey, json.loads(path.read_text(encoding="utf-8")))


# -- the table


def test_every_rule_is_an_expression_or_says_why_not() -> None:
    for method, rule in RULES.items():
        assert method.endswith("?") and rule.source and rule.meaning
        assert (rule.when is None) == (rule.reason is not None), method
        if rule.when is not None:
            parse(rule.when)
            assert fields_read(rule.when), method
    for helper in HELPERS.values():
        assert len(helper.expression) <= MAX_LENGTH and parse(helper.expression)


def test_the_table_covers_every_soft_validation_of_the_form(core: Core) -> None:
    methods = {key for s in core.form["sections"].values() for sub in s["subsections"].values()
               for page in sub["pages"].values() if "interruption_screen_question_ids" in page
               for alternative in page["depends_on"] for key in alternative if key.endswith("?")}
    assert len(methods) == 28 and methods <= set(RULES)


# -- retirement (soft_validations.rb: retired_under_soft_min_age?, not_retired_over_soft_max_age?)
# Retired (working situation 5) and under 66; or over 66 and neither retired nor "prefers not
# to say" (10). Ages are whole years; the rule reads only age and working situation.

PERSON_2 = {"hhmemb": 2, "details_known_2": "0", "age2_known": "0"}


@pytest.mark.parametrize(("age", "ecstat", "asked"), [
    (55, "5", True), (65, "5", True), (66, "5", False), (70, "5", False),
    (55, "1", False), (55, "10", False),
])
def test_person_2_retired_under_66(core: Core, age: int, ecstat: str, asked: bool) -> None:
    assert core.asks("person_2_under_retirement_value_check",
                     **PERSON_2, age2=age, ecstat2=ecstat) is asked


@pytest.mark.parametrize(("age", "ecstat", "asked"), [
    (67, "1", True), (90, "6", True), (66, "1", False), (40, "1", False),
    (70, "5", False), (70, "10", False),
])
def test_person_2_working_over_66(core: Core, age: int, ecstat: str, asked: bool) -> None:
    assert core.asks("person_2_over_retirement_value_check",
                     **PERSON_2, age2=age, ecstat2=ecstat) is asked


def test_lead_tenant_retirement(core: Core) -> None:
    lead = {"age1_known": "0"}
    assert core.asks("lead_tenant_under_retirement_value_check", **lead, age1=60, ecstat1="5")
    assert not core.asks("lead_tenant_under_retirement_value_check", **lead, age1=66,
                         ecstat1="5")
    assert core.asks("lead_tenant_over_retirement_value_check", **lead, age1=80, ecstat1="2")
    # Person 2's checks stay silent about the lead tenant.
    shown = core.shown(**lead, age1=60, ecstat1="5", **PERSON_2, age2=30, ecstat2="1")
    assert core.confirmation["person_2_under_retirement_value_check"] not in shown


def test_a_person_the_household_does_not_count_is_not_checked(core: Core) -> None:
    # A one-person household: person 2's pages, and their check, are never reached.
    assert not core.asks("person_2_under_retirement_value_check", hhmemb=1,
                         details_known_2="0", age2_known="0", age2=55, ecstat2="5")


# -- void date and major repairs (soft_validations.rb: voiddate_in_soft_range?,
# major_repairs_date_in_soft_range?): the date is between 3650 and 730 days before the tenancy
# start date, both included (the 2022/23 form is before the 20-year rule of 2025).

VOID = {"renewal": "0", "first_time_property_let_as_social_housing": "0", "rsnvac": "5"}


@pytest.mark.parametrize(("void", "days", "asked"), [
    (datetime.date(2020, 6, 1), 730, True),
    (datetime.date(2020, 6, 2), 729, False),
    (datetime.date(2016, 1, 1), 2343, True),
    (datetime.date(2012, 6, 3), 3650, True),   # 2016 and 2020 are leap years
    (datetime.date(2012, 6, 2), 3651, False),
    (datetime.date(2022, 5, 1), 31, False),
])
def test_void_date_2_to_10_years_before_the_start(core: Core, void: datetime.date, days: int,
                                                  asked: bool) -> None:
    assert (START - void).days == days
    assert core.asks("void_date_value_check", **VOID, voiddate=void) is asked


def test_major_repairs_date(core: Core) -> None:
    repairs = {**VOID, "majorrepairs": "1"}
    assert core.asks("property_major_repairs_value_check", **repairs,
                     mrcdate=datetime.date(2019, 1, 1))
    assert not core.asks("property_major_repairs_value_check", **repairs,
                         mrcdate=datetime.date(2021, 1, 1))
    # No repairs: no completion date, no check.
    assert not core.asks("property_major_repairs_value_check", **{**repairs, "majorrepairs": "0"},
                         mrcdate=datetime.date(2019, 1, 1))


# -- pregnancy (soft_validations.rb). all_male_tenants_in_a_pregnant_household?: somebody is
# pregnant (preg_occ 1) and every member the household counts has a gender identity and is
# male. The "not in pregnancy range" rule (read from its predecessor
# female_in_pregnant_household_in_soft_validation_range?): somebody is pregnant, every member
# has a gender identity and a known age, some member is female, and none is aged 16 to 50.

TWO = {"hhmemb": 2, "details_known_2": "0", "age1_known": "0", "age2_known": "0"}
ALL_MALE = "no_females_pregnant_household_value_check"
OUT_OF_RANGE = "females_in_soft_age_range_in_pregnant_household_value_check"


@pytest.mark.parametrize(("sex1", "sex2", "preg", "asked"), [
    ("M", "M", "1", True),
    ("M", "M", "2", False),   # nobody pregnant
    ("M", "M", "3", False),   # prefers not to say
    ("M", "F", "1", False),
    ("M", "X", "1", False),   # a non-binary member: not all male
    ("R", "M", "1", False),
])
def test_pregnant_household_of_men(core: Core, sex1: str, sex2: str, preg: str,
                                   asked: bool) -> None:
    shown = core.shown(**TWO, age1=30, age2=30, sex1=sex1, sex2=sex2, preg_occ=preg)
    assert (core.confirmation[ALL_MALE] in shown) is asked


@pytest.mark.parametrize(("sex2", "age2", "asked"), [
    ("F", 55, True), ("F", 51, True), ("F", 50, False), ("F", 16, False), ("F", 15, True),
    ("F", 8, True), ("M", 55, False), ("X", 55, False),
])
def test_pregnant_household_without_a_woman_of_16_to_50(core: Core, sex2: str, age2: int,
                                                         asked: bool) -> None:
    shown = core.shown(**TWO, sex1="M", age1=60, sex2=sex2, age2=age2, preg_occ="1")
    assert (core.confirmation[OUT_OF_RANGE] in shown) is asked
    assert core.confirmation[ALL_MALE] not in shown or sex2 == "M"


def test_pregnancy_range_needs_every_age(core: Core) -> None:
    unknown_age = {**TWO, "age2_known": "1"}
    assert not core.asks(OUT_OF_RANGE, **unknown_age, sex1="F", age1=60, sex2="F",
                         preg_occ="1")
    assert core.asks(OUT_OF_RANGE, **TWO, sex1="F", age1=60, sex2="F", age2=70, preg_occ="1")
    # Only the members the household counts: a third member's answers do not matter.
    assert core.asks(OUT_OF_RANGE, **TWO, sex1="F", age1=60, sex2="F", age2=70, preg_occ="1",
                     details_known_3="0", sex3="F", age3_known="0", age3=30)


def test_repeated_pregnancy_pages_are_asked_once(core: Core) -> None:
    """CORE repeats the check after each member's answers; they all come before the pregnancy
    question, so the journey asks it once, after that question."""
    steps = set(core.journey.steps)
    repeated = [p for s in core.form["sections"].values() for sub in s["subsections"].values()
                for p in sub["pages"] if "pregnant_household" in p]
    assert len(repeated) == 36
    imported = [p for p in repeated if p in steps or f"{p}_page" in steps]
    assert sorted(imported) == [OUT_OF_RANGE, ALL_MALE]
    assert core.result.stats.conditions_merged == 34
    notes = [n for n in core.result.notes if "soft validation pages" in n.what]
    assert {n.what for n in notes} == {"17 soft validation pages"}
    assert all("preg_occ is only asked later" in n.reason for n in notes)


# -- referral (lettings_log.rb, la_referral_for_general_needs?): a general needs letting
# (needstype 1) referred by a local authority housing department (referral 4).

REFERRAL = {"renewal": "0", "owning_organisation_provider_type": "PRP"}


@pytest.mark.parametrize(("needstype", "referral", "asked"), [
    ("1", "4", True), ("1", "3", False), ("2", "4", False),
])
def test_local_authority_referral_for_general_needs(core: Core, needstype: str, referral: str,
                                                    asked: bool) -> None:
    given = {**REFERRAL, "needstype": needstype, "referral_2": referral, "referral_4": referral}
    assert core.asks("referral_value_check", **given) is asked


# -- care home charges (lettings_log.rb, care_home_charge_expected_not_provided?): a care home
# (is_carehome 1) and no care home charge. CORE never requires the charge (OPTIONAL_FIELDS).

CARE = {"needstype": "2", "household_charge": "0", "period": "1"}


def test_care_home_without_charges(core: Core) -> None:
    assert core.asks("care_home_charges_value_check", **CARE, is_carehome="1", chcharge=None)
    assert not core.asks("care_home_charges_value_check", **CARE, is_carehome="1",
                         chcharge=120.0)
    assert not core.asks("care_home_charges_value_check", **CARE, is_carehome="0",
                         chcharge=None)
    # Monthly rent: the care home question of the monthly page.
    assert core.asks("care_home_charges_value_check", **{**CARE, "period": "4"},
                     is_carehome_4="1", chcharge_4=None)


# -- charges (soft_validations.rb, scharge_in_soft_max_range?…; charges_helper.rb): the charge
# as a weekly amount (× payments a year ÷ 52, rounded to the penny) is over the soft maximum
# (general needs: £25 for a local authority, £35 otherwise) and at most the hard maximum
# (service charge: £500 for a local authority, £800 otherwise).

GENERAL_NEEDS_LA = {"needstype": "1", "owning_organisation_provider_type": "LA",
                    "household_charge": "0"}


@pytest.mark.parametrize(("period", "field", "amount", "asked"), [
    ("1", "scharge", 25.00, False), ("1", "scharge", 25.01, True),
    ("1", "scharge", 500.00, True), ("1", "scharge", 500.01, False),
    ("5", "scharge", 26.00, False),   # 50 weeks: 25.00 a week
    ("5", "scharge", 26.02, True),    # 25.0192… → 25.02
    ("2", "scharge_2", 50.00, False),  # every 2 weeks: 25.00
    ("2", "scharge_2", 50.01, True),   # 25.005, rounded half up to 25.01
    ("4", "scharge_4", 108.35, False),  # monthly: 25.0038… → 25.00
    ("4", "scharge_4", 108.36, True),   # 25.0061… → 25.01
])
def test_service_charge_over_the_soft_maximum(core: Core, period: str, field: str,
                                              amount: float, asked: bool) -> None:
    given = {**GENERAL_NEEDS_LA, "period": period, field: amount}
    assert core.asks("scharge_value_check", **given) is asked


def test_charge_limits_depend_on_provider_and_needs(core: Core) -> None:
    prp = {**GENERAL_NEEDS_LA, "owning_organisation_provider_type": "PRP", "period": "1"}
    assert not core.asks("scharge_value_check", **prp, scharge=30.0)
    assert core.asks("scharge_value_check", **prp, scharge=35.01)
    assert core.asks("scharge_value_check", **prp, scharge=700.0)
    assert core.asks("pscharge_value_check", **GENERAL_NEEDS_LA, period="1", pscharge=26.0)
    assert not core.asks("pscharge_value_check", **GENERAL_NEEDS_LA, period="1",
                         pscharge=201.0)
    assert core.asks("supcharg_value_check", **prp, supcharg=36.0)


# -- what is not translated, and what "No" does


def test_rules_without_a_translation_are_not_imported(core: Core) -> None:
    for page in ("min_rent_value_check", "max_rent_value_check", "net_income_value_check"):
        assert page not in core.confirmation
        note = next(n for n in core.result.notes if n.source_ref.endswith(f".pages.{page}"))
        assert "not imported" in note.reason
    reasons = " ".join(n.reason for n in core.result.notes)
    assert "LaRentRange" in reasons and "conditional value" in reasons


def test_answering_no_asks_to_go_back(core: Core) -> None:
    qid = core.confirmation["void_date_value_check"]
    step = core.journey.questions[qid].step
    answers = {**core.defaults, "startdate": START, **VOID,
               "voiddate": datetime.date(2018, 1, 1)}
    run = Run(core.journey, answers, today=TODAY)
    refused = run.answer_page(step, {qid: "1"})
    assert [e.question for e in refused.errors] == [qid]
    assert "Go back and change" in refused.errors[0].message("en")
    assert Run(core.journey, answers, today=TODAY).answer_page(step, {qid: "0"}).ok
    intro = core.result.journey["steps"][step]["intro"]
    assert "- Void date" in intro and "- Tenancy start date" in intro

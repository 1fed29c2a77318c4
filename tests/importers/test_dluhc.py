"""DLUHC CORE import: the questions shown for given answers are those CORE's `depends_on` shows.

The reference reads ``2022_2023.json`` itself: pages in reading order, a page
shown when one of its `depends_on` alternatives holds (all tests of the
alternative), the subsection's `depends_on` likewise, an inline follow-up
shown when its `conditional_for` owner has one of the listed values, and only
the answers of shown questions visible to later tests (CORE clears the
others). The few CORE model methods the form uses are written here from their
Ruby definitions in ``app/models/lettings_log.rb``.
"""

from __future__ import annotations

import datetime
import json
import random
from typing import Any

import pytest

from designer.importers import import_file
from designer.run import Run

from .conftest import errors, load_imported

SETUP = {"renewal": [0, 1], "needstype": [1, 2], "owning_organisation_provider_type": ["LA", "PRP"]}
WEEKLY = [1, 5, 6, 7, 8, 9, 10, 11]


def _method(name: str, env: dict[str, Any]) -> bool | None:
    """CORE's model methods used by the 2022/23 form (None: not known here)."""
    return {
        "is_supported_housing?": env.get("needstype") == 2,
        "is_general_needs?": env.get("needstype") == 1,
        "is_carehome?": env.get("is_carehome") == 1,
        "rent_and_charges_paid_weekly?": env.get("period") in WEEKLY,
        "non_location_setup_questions_completed?": True,
    }.get(name)


class Unknown(Exception):
    """A test the reference (and the import) cannot evaluate."""


def _test(key: str, expected: Any, env: dict[str, Any]) -> bool:
    if key.endswith("?"):
        value = _method(key, env)
        if value is None:
            raise Unknown(key)
        return value == expected
    if key in ("is_la_inferred", "is_previous_la_inferred"):
        raise Unknown(key)
    actual = env.get(key)
    if isinstance(expected, dict):
        if actual is None:
            return False
        operand = expected["operand"]
        return {">": actual > operand, "<": actual < operand, ">=": actual >= operand,
                "<=": actual <= operand}[expected["operator"]]
    return actual == expected


def _holds(depends_on: list[dict[str, Any]] | None, env: dict[str, Any]) -> bool:
    if not depends_on:
        return True
    return any(all(_test(k, v, env) for k, v in alt.items()) for alt in depends_on)


@pytest.fixture(scope="module")
def core(request: pytest.FixtureRequest) -> tuple[Any, Any, dict[str, Any]]:
    from sharedfolder import CORPUS, need

    path = CORPUS / "dluhc-core" / "2022_2023.json"
    need(path)
    result = import_file(path)
    loaded = load_imported(result, "core.yaml")
    return result, loaded, json.loads(path.read_text(encoding="utf-8"))


def test_core_imports_without_errors(core: tuple[Any, Any, dict[str, Any]]) -> None:
    result, loaded, _ = core
    assert errors(loaded) == []
    assert result.stats.questions >= 140
    assert result.stats.conditions_translated >= 0.95 * result.stats.conditions
    assert list(result.journey["steps"])[0] == "setup"


def _source_value(question: dict[str, Any], journey_value: Any) -> Any:
    if question["type"] in ("radio", "select"):
        return int(journey_value) if str(journey_value).lstrip("-").isdigit() else journey_value
    return journey_value


@pytest.mark.parametrize("seed", range(12))
def test_questions_shown_match_core_depends_on(core: tuple[Any, Any, dict[str, Any]],
                                               seed: int) -> None:
    result, loaded, form = core
    journey = loaded.journey
    assert journey is not None
    rng = random.Random(seed)
    # Where each source question went: (page id, question id) → journey question id.
    where: dict[tuple[str, str], str] = {}
    for key, text in result.comments.items():
        if key[0] == "steps" and len(key) == 4 and ".pages." in text:
            parts = text.split(".")
            where[(parts[parts.index("pages") + 1], parts[-1])] = key[3]
    # One value per CORE field, shared by its copies on variant pages.
    field_value: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for field, values in SETUP.items():
        field_value[field] = rng.choice(values)
        answers[field] = str(field_value[field])
    answers["startdate"] = datetime.date(2022, 6, 1)  # read only by soft validations
    for (_, qid), jid in sorted(where.items()):
        info = journey.questions[jid]
        if info.type == "choice":
            options = list(info.options)
            value = field_value.get(qid)
            if value is None or value not in options:
                value = rng.choice(options)
            field_value.setdefault(qid, value)
        elif info.type == "multichoice":
            value = field_value.setdefault(qid, rng.sample(list(info.options),
                                                           rng.randint(1, len(info.options))))
        elif info.type in ("integer", "decimal"):
            low = info.min if isinstance(info.min, int | float) else 0
            high = info.max if isinstance(info.max, int | float) else 99
            value = field_value.setdefault(qid, rng.choice([low, high, int((low + high) // 2),
                                                            16, 15]))
            value = min(max(value, low), high)
        elif info.type == "date":
            value = datetime.date(2022, 6, 1)
        else:
            value = "x"
        answers[jid] = value
    run = Run(journey, answers, today=datetime.date(2022, 7, 1))
    assert run.finished, run.path()
    shown = {q.id for page in run.pages() for q in page.questions}

    env: dict[str, Any] = {field: value for field, value in field_value.items()
                           if field in SETUP}
    compared = 0
    for section in form["sections"].values():
        for sub in section["subsections"].values():
            for page_id, page in sub["pages"].items():
                if "interruption_screen_question_ids" in page:
                    continue  # soft validations: see test_dluhc_soft.py
                try:
                    visible = _holds(sub.get("depends_on"), env) and _holds(
                        page.get("depends_on"), env)
                    trusted = True
                except Unknown:
                    visible, trusted = True, False  # the import shows such pages, noted
                for qid, question in page["questions"].items():
                    jid = where.get((page_id, qid))
                    if jid is None:
                        continue
                    q_visible = visible
                    for owner_id, owner in page["questions"].items():
                        reveal = (owner.get("conditional_for") or {}).get(qid)
                        if reveal is not None:
                            q_visible = q_visible and env.get(owner_id) in reveal
                    if trusted:
                        assert (jid in shown) == q_visible, (page_id, qid, jid)
                        compared += 1
                    if q_visible:
                        value = _source_value(question, answers[jid])
                        if question["type"] == "checkbox":
                            for box in question["answer_options"]:
                                env[box] = 1 if box in value else 0
                        else:
                            env[qid] = value
    assert compared > 100

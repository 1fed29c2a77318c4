"""XGov / DEFRA form-builder import: the pages a citizen walks match the source's routing.

The reference below reads the source definition directly: it follows `next`
links (conditional links first, then the default) for V1 definitions and walks
pages in order, skipping those whose `condition` fails, for DEFRA's V2 ones. It
evaluates the named conditions itself (strings, V1 objects with coordinators,
V2 items with nested condition ids), with the engines' reading of an unanswered
field: it equals nothing.
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from designer.importers import import_file
from designer.importers.sourceexpr import parse_source
from designer.run import Run

from .conftest import load_imported

TEXTS = ["Applicant", "other", "x"]


class Source:
    """The source form and its own routing semantics."""

    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        self.data = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
        self.pages = [p for p in self.data["pages"] if p.get("path")]
        self.by_path = {p["path"]: p for p in self.pages}
        self.lists = {str(x.get(k)): x for x in self.data.get("lists", []) for k in ("name", "id")
                      if x.get(k)}
        self.conditions = {str(c.get(k)): c for c in self.data.get("conditions", [])
                           for k in ("name", "id") if c.get(k)}
        self.components = {}
        for page in self.pages:
            for c in page.get("components") or []:
                for key in ("name", "id"):
                    if c.get(key):
                        self.components[str(c[key])] = c
                        if page.get("section") and key == "name":
                            self.components[f"{page['section']}.{c['name']}"] = c
        self.linear = all(not p.get("next") for p in self.pages)

    def answer(self, answers: dict[str, Any], field: str) -> Any:
        component = self.components.get(field) or self.components.get(field.split(".")[-1])
        return None if component is None else answers.get(component.get("name"))

    # -- conditions -------------------------------------------------------------

    def holds(self, key: str, answers: dict[str, Any]) -> bool:
        condition = self.conditions[key]
        if "items" in condition:
            return self.v2(condition, answers)
        value = condition["value"]
        if isinstance(value, str):
            return bool(self.js(parse_source(value, "js"), answers))
        return self.v1(value["conditions"], answers)

    def js(self, node: Any, answers: dict[str, Any]) -> Any:
        kind = node[0]
        if kind == "ref":
            return self.answer(answers, node[1])
        if kind == "lit":
            return node[1]
        op, a, b = node[1], node[2], node[3]
        if op == "and":
            return self.js(a, answers) and self.js(b, answers)
        if op == "or":
            return self.js(a, answers) or self.js(b, answers)
        x, y = self.js(a, answers), self.js(b, answers)
        if op in ("==", "!="):
            return (x == y) == (op == "==")
        if x is None or y is None:
            return False
        return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]

    def test(self, answer: Any, operator: str, value: Any) -> bool:
        if operator in ("contains", "does not contain"):
            found = answer is not None and value in answer
            return found if operator == "contains" else not found
        if isinstance(answer, list):  # a checkbox answer "is" a value it contains
            same = value in answer
        else:
            same = answer is not None and str(answer).lower() == str(value).lower()
        if operator == "is":
            return same
        if operator == "is not":
            return not same
        if answer is None:
            return False
        a, b = float(answer), float(value)
        return {"is more than": a > b, "is less than": a < b, "is at least": a >= b,
                "is at most": a <= b}[operator]

    def v1(self, items: list[dict[str, Any]], answers: dict[str, Any]) -> bool:
        groups: list[list[bool]] = [[]]
        for i, item in enumerate(items):
            if i and item.get("coordinator") == "or":
                groups.append([])
            if "conditionName" in item:
                groups[-1].append(self.holds(item["conditionName"], answers))
            elif "conditions" in item:
                groups[-1].append(self.v1(item["conditions"], answers))
            else:
                value = item["value"]["value"] if isinstance(item["value"], dict) else item["value"]
                groups[-1].append(self.test(self.answer(answers, item["field"]["name"]),
                                            item["operator"], value))
        return any(all(g) for g in groups if g)

    def v2(self, condition: dict[str, Any], answers: dict[str, Any]) -> bool:
        results = []
        for item in condition["items"]:
            if "conditionId" in item:
                results.append(self.holds(item["conditionId"], answers))
                continue
            value = item["value"]
            if item.get("type") == "ListItemRef":
                items = self.lists[value["listId"]]["items"]
                value = next(i["value"] for i in items if i.get("id") == value["itemId"])
            results.append(self.test(self.answer(answers, item["componentId"]), item["operator"],
                                     value))
        return any(results) if condition.get("coordinator") == "or" else all(results)

    # -- routing --------------------------------------------------------------------

    def walk(self, all_answers: dict[str, Any]) -> list[str]:
        """Paths of the question pages the citizen sees, in order.

        Conditions see the answers of the pages shown so far only: a page never
        shown was never answered.
        """
        answers: dict[str, Any] = {}

        def shown(page: dict[str, Any]) -> None:
            for c in page.get("components") or []:
                if c.get("name") in all_answers:
                    answers[c["name"]] = all_answers[c["name"]]

        if self.linear:
            seen = []
            for page in self.pages:
                if "summary" in str(page.get("controller", "")).lower():
                    break
                if page.get("condition") and not self.holds(page["condition"], answers):
                    continue
                shown(page)
                if "terminal" in str(page.get("controller", "")).lower():
                    break
                seen.append(page["path"])
            return seen
        path = self.data.get("startPage") or self.pages[0]["path"]
        seen = []
        while path in self.by_path:
            page = self.by_path[path]
            if "summary" in str(page.get("controller", "")).lower() or path in seen:
                break
            links = [x for x in page.get("next") or [] if isinstance(x, dict)]
            inputs = [c for c in page.get("components") or [] if c.get("name") and c["type"] not in
                      ("Para", "Html", "Markdown", "Details", "InsetText", "List")]
            if "terminal" in str(page.get("controller", "")).lower() or (not links and not inputs
                                                                          and seen):
                break
            seen.append(path)
            shown(page)
            nxt = next((x["path"] for x in links if x.get("condition")
                        and self.holds(x["condition"], answers)), None)
            if nxt is None:
                nxt = next((x["path"] for x in links if not x.get("condition")), None)
            path = nxt
        return seen


def _answers(source: Source, rng: random.Random) -> dict[str, Any]:
    """Random source answers, by component name."""
    answers: dict[str, Any] = {}
    for page in source.pages:
        for c in page.get("components") or []:
            kind, name = c.get("type"), c.get("name")
            if not name:
                continue
            items = (source.lists.get(str(c.get("list"))) or {}).get("items") or []
            values = [i["value"] for i in items]
            if kind == "YesNoField":
                answers[name] = rng.choice([True, False])
            elif kind in ("RadiosField", "SelectField", "AutocompleteField") and values:
                answers[name] = rng.choice(values)
            elif kind == "CheckboxesField" and values:
                answers[name] = rng.sample(values, rng.randint(1, len(values)))
            elif kind == "NumberField":
                answers[name] = rng.randint(0, 5)
            elif kind in ("DatePartsField", "DateField"):
                answers[name] = datetime.date(2020, 1, 1)
            elif kind != "FileUploadField":
                answers[name] = rng.choice(TEXTS)
            else:
                answers[name] = "file.pdf"
    return answers


def _journey_answers(result: Any, journey: Any, answers: dict[str, Any]) -> dict[str, Any]:
    """The same answers, keyed by journey question id and typed for the journey."""
    by_id: dict[str, Any] = {}
    for key, text in result.comments.items():
        if key[0] == "steps" and len(key) == 4 and ", component " in text:
            name = text.split(", component ")[1].split(" ", 1)[-1]
            qid = key[3]
            info = journey.questions.get(qid)
            if info is None or name not in answers:
                continue
            value = answers[name]
            if info.type == "choice":
                value = str(value)
            elif info.type == "multichoice":
                value = [str(v) for v in value]
            elif info.type in ("text", "textarea") and not isinstance(value, str):
                value = str(value)
            by_id[qid] = value
    return by_id


FILES = [
    "xgov/runner-forms/test.json",
    "xgov/runner-forms/report-a-terrorist.json",
    "xgov/runner-forms/get-condition-evaluation-context.json",
    "defra/test-form-definitions/test.json",
    "defra/test-form-definitions/radios.json",
    "defra/test-form-definitions/checkboxes.json",
    "defra/test-form-definitions/text.json",
    "defra/test-form-definitions/conditions-crested-newt.json",
    "defra/test-form-definitions/conditions-complex-cond-order-1.json",
    "defra/test-form-definitions/conditions-complex-cond-order-2.json",
    "defra/server-forms/payment-v2-test.yaml",
    "defra/server-forms/register-as-a-unicorn-breeder.yaml",
]


@pytest.mark.parametrize("name", FILES)
def test_pages_walked_match_the_source_routing(corpus: Path, name: str) -> None:
    path = corpus / name
    source = Source(path)
    result = import_file(path)
    loaded = load_imported(result, path.stem + ".yaml")
    journey = loaded.journey
    assert journey is not None
    step_page = {key[1]: text.split()[1] for key, text in result.comments.items()
                 if key[0] == "steps" and len(key) == 2}
    untranslated = [n for n in result.notes if n.what.startswith("condition ")]
    rng = random.Random(name)
    compared = 0
    for _ in range(40):
        answers = _answers(source, rng)
        run = Run(journey, _journey_answers(result, journey, answers),
                  today=datetime.date(2024, 6, 1))
        assert run.finished, run.path()
        # A page whose condition fails becomes a step showing nothing: skipped, as in the source.
        walked = [step_page[p.step] for p in run.pages() if p.questions]
        # Payments are not carried over (noted by the import): a payment-only page asks nothing.
        expected = [p for p in source.walk(answers)
                    if any(c.get("type") != "PaymentField"
                           for c in source.by_path[p].get("components") or [])]
        if untranslated and walked != expected:
            # Only a link whose condition was not translated (and so dropped) may differ.
            assert any(p in n.source_ref for n in untranslated for p in expected), (walked,
                                                                                   expected)
            continue
        assert walked == expected
        compared += 1
    assert compared > 0

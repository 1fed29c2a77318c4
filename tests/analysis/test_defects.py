"""One defect planted in a random journey: reported at its line, and nothing it causes.

Each example draws a journey without structural errors (tests/analysis/randomjourneys.py),
plants one defect of one stage — a key the schema refuses, a misspelt target, a type
error, an expression that does not parse, a name that names nothing, a question id
used twice — and checks in one run that the defect is reported at its line and that
no other error or condition claim appears that the intact journey did not have
(findings about the parts that depend on the defect may be withheld: never added).
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.analysis import AnalysisConfig, analyse
from designer.findings import Finding, Severity
from designer.loading import load_text

from .randomjourneys import journeys

#: Warnings that are claims about conditions: a defect may withhold them, never add one.
CLAIMS = {"always-true-condition"}


def _check(text: str) -> list[Finding] | None:
    loaded = load_text(text, "hasard.yaml", analyses=[])
    if loaded.journey is None:
        return None
    return loaded.findings + analyse(loaded.journey, AnalysisConfig(strict=True))


def _claims(findings: list[Finding], shift_from: int | None = None) -> set[tuple[str, int]]:
    out = set()
    for f in findings:
        if f.severity is Severity.ERROR or f.rule in CLAIMS:
            line = f.line + 1 if shift_from is not None and f.line >= shift_from else f.line
            out.add((f.rule, line))
    return out


def plant(data: st.DataObject, text: str) -> tuple[str, str, int, int | None] | None:
    """The text with one defect, the rule that must report it, its line, and the line
    inserted (later lines move down by one), or None when this journey has no place."""
    lines = text.split("\n")
    kinds = ["schema", "unknown-target", "type-mismatch", "expression-syntax",
             "unknown-name", "duplicate-id"]
    kind = data.draw(st.sampled_from(kinds), label="defect")
    if kind == "schema":
        places = [i for i, line in enumerate(lines) if line.startswith("        label: ")]
        if not places:
            return None
        i = data.draw(st.sampled_from(places), label="line")
        lines[i] = lines[i].replace("label:", "lable:")
        return "\n".join(lines), "schema", i + 1, None
    if kind == "unknown-target":
        places = [i for i, line in enumerate(lines) if line.startswith("      - goto: ")]
        i = data.draw(st.sampled_from(places), label="line")
        lines[i] = lines[i] + "x"
        return "\n".join(lines), "unknown-target", i + 1, None
    if kind in ("type-mismatch", "expression-syntax", "unknown-name"):
        places = [i for i, line in enumerate(lines) if line.startswith("        when: ")]
        if not places:
            return None
        i = data.draw(st.sampled_from(places), label="line")
        written = {"type-mismatch": """'1 > "x"'""", "expression-syntax": "'(1'",
                   "unknown-name": "inconnu"}[kind]
        lines[i] = "        when: " + written
        return "\n".join(lines), kind, i + 1, None
    # duplicate-id: a question of a later step takes the id of an earlier step's question.
    step_of: dict[int, str] = {}
    step = ""
    for i, line in enumerate(lines):
        m = re.match(r"^  (s\d+):$", line)
        if m:
            step = m.group(1)
        if re.match(r"^      q\d+:$", line):
            step_of[i] = step
    candidates = [(i, j) for i in step_of for j in step_of
                  if int(step_of[j][1:]) < int(step_of[i][1:])]
    if not candidates:
        return None
    i, j = data.draw(st.sampled_from(candidates), label="places")
    qid = lines[j].strip().rstrip(":")
    lines.insert(i, f"      {qid}: {{type: yesno, label: Doublon, purpose: Tester.}}")
    return "\n".join(lines), "duplicate-id", i + 1, i + 1


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@given(journeys(), st.data())
def test_a_planted_defect_is_reported_alone(text: str, data: st.DataObject) -> None:
    before = _check(text)
    if before is None or any(
        f.severity is Severity.ERROR and f.rule not in ("impossible-condition", "unreachable",
                                                        "dead-end")
        for f in before
    ):
        return  # only journeys whose structure is sound (the analysis may find errors)
    planted = plant(data, text)
    if planted is None:
        return
    changed, rule, line, inserted = planted
    after = _check(changed)
    assert after is not None, changed
    assert (rule, line) in {(f.rule, f.line) for f in after}, (changed, after)
    # Steps the intact journey never reaches say nothing there; the defect may open them.
    hidden = {f.step for f in before if f.rule == "unreachable" and f.step}
    new = _claims([f for f in after if f.step not in hidden]) - {(rule, line)} - _claims(
        before, inserted)
    assert not new, (changed, new, after)

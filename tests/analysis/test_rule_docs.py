"""The examples of the rule pages (docs/rules/<slug>.md) say what the checker does.

The first YAML block of "Example" must trigger the rule; the first complete journey of
"How to fix" must not.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from designer.loading import load_text

ROOT = Path(__file__).resolve().parents[2]
RULES = [
    "impossible-condition", "unreachable", "always-true-condition", "dead-end",
    "duplicate-question", "unused-answer", "obtainable-data", "equivalent-branches",
    "single-option", "long-step", "missing-translation", "mergeable-steps", "stated-duration",
    "unrouted-submission", "impossible-route", "falc-missing", "falc-not-simpler",
]


def section_journeys(page: str, title: str) -> list[str]:
    """Complete journeys (YAML blocks with `parcours:`) of one section of a page."""
    match = re.search(rf"^## {title}\s*$(.*?)(?=^## |\Z)", page, re.M | re.S)
    if not match:
        return []
    blocks = re.findall(r"```yaml\n(.*?)```", match.group(1), re.S)
    return [b for b in blocks if re.search(r"^parcours:", b, re.M)]


@pytest.mark.parametrize("rule", RULES)
def test_rule_page_examples(rule: str) -> None:
    page_path = ROOT / "docs" / "rules" / f"{rule}.md"
    if not page_path.exists():
        pytest.skip(f"no page for {rule} yet")
    page = page_path.read_text(encoding="utf-8")
    examples = section_journeys(page, "Example")
    if not examples:
        pytest.skip(f"the page of {rule} shows no complete journey")
    found = load_text(examples[0], "exemple.yaml").findings
    assert rule in {f.rule for f in found}, found
    fixes = section_journeys(page, "How to fix")
    if fixes:
        fixed = load_text(fixes[0], "exemple.yaml").findings
        assert rule not in {f.rule for f in fixed}, fixed

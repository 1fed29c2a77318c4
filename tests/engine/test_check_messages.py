"""Every message of `parcours check` exists in French and English (designer/check_messages.py).

The catalogue is complete and consistent; every rule, triggered by the example of its page
(docs/rules/<slug>.md), speaks both languages; every key the code names exists.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from designer.check_messages import catalogue, default_language, msg
from designer.findings import RULES
from designer.loading import load_text

ROOT = Path(__file__).resolve().parents[2]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_each_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = catalogue()[key]
    assert set(entry) == {"fr", "en"}, key
    assert entry["fr"].strip() and entry["en"].strip()
    assert placeholders(entry["fr"]) == placeholders(entry["en"])


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    # Keys built at run time (msg(f"kind.{kind}")) are covered by the rule examples below.
    plain = re.compile(r"""\bmsg\(\s*"([a-z0-9_.-]+)"(?=[,)])""")
    either = re.compile(
        r"""msg\(\s*"([a-z0-9_.-]+)" if [^\n]*?\s*else\s*"([a-z0-9_.-]+)"\s*\)""", re.S
    )
    named: dict[str, str] = {}
    for path in (ROOT / "designer").rglob("*.py"):
        source = path.read_text("utf-8")
        for key in plain.findall(source):
            named.setdefault(key, str(path))
        for pair in either.findall(source):
            for key in pair:
                named.setdefault(key, str(path))
    assert len(named) > 150
    missing = {k: v for k, v in named.items() if k not in catalogue()}
    assert missing == {}


def rule_example(rule: str) -> str:
    page = (ROOT / "docs" / "rules" / f"{rule}.md").read_text(encoding="utf-8")
    section = re.search(r"^## Example\s*$(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert section, rule
    blocks = re.findall(r"```yaml\n(.*?)```", section.group(1), re.S)
    return next(b for b in blocks if re.search(r"^parcours:", b, re.M))


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_speaks_french_and_english(rule: str) -> None:
    found = load_text(rule_example(rule), "exemple.yaml").findings
    mine = [f for f in found if f.rule == rule]
    assert mine, f"the example of docs/rules/{rule}.md does not trigger it"
    for f in found:
        assert f.said is not None, f
        french, english = f.text("fr"), f.text("en")
        assert english == f.message
        assert french != english, (rule, french)
        # No English frame left in the French message (quoted names and code excepted).
        assert not re.search(r"\b(the|is|must|which|cannot|write|instead)\b",
                             re.sub(r"`[^`]*`|« [^»]* »|\([^)]*\)", "", french)), french


def test_the_english_message_is_the_finding_message_that_tools_filter_on() -> None:
    found = load_text(rule_example("unused-answer"), "exemple.yaml").findings
    assert found[0].as_dict()["message"] == found[0].message
    assert found[0].as_dict("fr")["message"].startswith("la réponse à « telephone »")


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "fr_BE.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
        ({"LC_ALL": "C.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_CA", "LANG": "C"}, "fr"),
        ({}, "en"),
    ],
)
def test_the_default_language_comes_from_the_locale(environ: dict[str, str], lang: str) -> None:
    assert default_language(environ) == lang


def test_an_unknown_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        msg("no-such-message")

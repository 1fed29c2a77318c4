"""`findings.EMITTED_BY`, the module(s) that emit each rule, is checked against the rule
pages (docs/rules/<slug>.md), the code, and what the checker does on each page's example."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from designer import findings
from designer.findings import EMITTED_BY, RULES, Finding
from designer.loading import load_text

ROOT = Path(__file__).resolve().parents[2]
PAGES = {p.stem for p in (ROOT / "docs" / "rules").glob("*.md")}
#: The calls that turn a rule slug into a finding: Finding.of, the analysis context's
#: finding, the expression checker's report.
_EMITTING_CALLS = {"of", "finding", "report"}
#: Makes the findings of the expression checker's problems, whatever their rule.
_RELAYS = {"designer.scope"}


def test_every_rule_has_a_page_and_its_modules() -> None:
    assert set(EMITTED_BY) == set(RULES) == PAGES


@pytest.mark.parametrize("rule", sorted(EMITTED_BY))
def test_each_module_named_names_the_rule(rule: str) -> None:
    for name in set(EMITTED_BY[rule]) - _RELAYS:
        source = inspect.getsource(importlib.import_module(name))
        constants = {n.value for n in ast.walk(ast.parse(source))
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert rule in constants, f"{name} never names {rule!r}"


def _emitted(tree: ast.AST) -> Iterator[str]:
    """Rule slugs written as the first argument of a call that makes a finding."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in _EMITTING_CALLS and node.args):
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                if isinstance(option, ast.Constant) and option.value in RULES:
                    yield option.value


def test_every_rule_the_code_emits_is_mapped_to_its_module() -> None:
    for path in sorted((ROOT / "designer").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if module == "designer.findings":
            continue
        for rule in _emitted(ast.parse(path.read_text(encoding="utf-8"))):
            assert module in EMITTED_BY[rule], f"{module} emits {rule!r}: add it to EMITTED_BY"


def _example(rule: str) -> str:
    page = (ROOT / "docs" / "rules" / f"{rule}.md").read_text(encoding="utf-8")
    section = re.search(r"^## Example\s*$(.*?)(?=^## |\Z)", page, re.M | re.S)
    assert section, f"docs/rules/{rule}.md has no Example"
    blocks = re.findall(r"```yaml\n(.*?)```", section.group(1), re.S)
    assert blocks, f"docs/rules/{rule}.md shows no YAML example"
    return str(blocks[0])


@pytest.mark.parametrize("rule", sorted(EMITTED_BY))
def test_the_example_of_each_page_is_emitted_by_a_module_named(
        rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the page's example and look at who built its findings of that rule."""
    makers: dict[str, set[str]] = {}
    real_of = Finding.of.__func__  # type: ignore[attr-defined]

    def recording_of(cls: type[Finding], rule: str, *args: object, **kwargs: object) -> Finding:
        frame = sys._getframe(1)
        stack: set[str] = set()
        while frame is not None:
            stack.add(str(frame.f_globals.get("__name__", "")))
            frame = frame.f_back  # type: ignore[assignment]
        makers.setdefault(rule, set()).update(stack)
        return real_of(cls, rule, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(findings.Finding, "of", classmethod(recording_of))
    found = load_text(_example(rule), "exemple.yaml").findings
    assert rule in {f.rule for f in found}, found
    assert makers[rule] & set(EMITTED_BY[rule]), (rule, sorted(makers[rule]))

"""The browser evaluator (renderer/static/parcours-expr.js) agrees with the Python one.

One node process evaluates a batch of cases written to a temporary JSON file:
random typed trees and answers from tests/expressions/generate.py, plus
hand-picked edge cases. Skipped only when `node` is not installed.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from designer.expressions import evaluate, parse, to_json

from .generate import TODAYS, RandomPick, answers, any_answers, gen, gen_any

NODE = shutil.which("node")
SCRIPT = Path(__file__).resolve().parents[2] / "renderer" / "static" / "parcours-expr.js"
KINDS = ["bool", "num", "str", "date", "list"]

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

DRIVER = """
const fs = require("fs");
const ParcoursExpr = require(process.argv[2]);
const cases = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = cases.map(function (c) {
  try { return {ok: ParcoursExpr.evaluate(c.tree, c.answers, c.today)}; }
  catch (e) { return {error: String(e)}; }
});
// JSON would turn Infinity and NaN into null: keep them visible.
fs.writeFileSync(process.argv[4], JSON.stringify(out, function (key, value) {
  return typeof value === "number" && !isFinite(value) ? "non-finite:" + value : value;
}));
"""

EDGE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("x == null", {}),
    ("x != null", {"x": 0}),
    ("null == null", {}),
    ("x == y", {"x": 1}),
    ("a and b", {"a": False}),
    ("a or b", {"a": True}),
    ("not a", {}),
    ("1 / 0", {}),
    ("x / y", {"x": 1, "y": 0.0}),
    ("7 / 2", {}),
    ("-x", {"x": 0}),
    ('"c" in ["b", null]', {}),
    ('"b" in ["b", null]', {}),
    ('"c" not in ["b", null]', {}),
    ('"bio" in regimes', {"regimes": []}),
    ('"bio" in regimes', {"regimes": ["bio"]}),
    ("len(enfants)", {"enfants": [{"prenom": "Ada"}, {"prenom": "Alan"}]}),
    ("answered(x)", {"x": ""}),
    ("answered(x)", {"x": []}),
    ("answered(x)", {"x": {}}),
    ("answered(x)", {"x": {"rue": "1 rue"}}),
    ("answered(x)", {"x": False}),
    ("answered(x)", {"x": 0}),
    ("age(d)", {"d": datetime.date(2008, 2, 29)}),
    ("age(d) >= 18", {"d": datetime.date(2008, 11, 28)}),
    ('years_between(date("2000-02-29"), date("2001-02-28"))', {}),
    ('years_between(date("2010-06-15"), date("2000-06-16"))', {}),
    ('days_between(date("0001-01-01"), date("9999-12-31"))', {}),
    ('days_between(date("1900-02-28"), date("1900-03-01"))', {}),
    ('date("0099-01-01") < date("1999-01-01")', {}),
    ("today()", {}),
    ('d == date("2000-06-15")', {"d": datetime.date(2000, 6, 15)}),
    ('d == "2000-06-15"', {"d": datetime.date(2000, 6, 15)}),
    ('s == "2000-06-15"', {"s": "2000-06-15"}),
    ('s in ["2000-06-15"]', {"s": "2000-06-15"}),
    ("d < e", {"d": datetime.date(1999, 12, 31), "e": datetime.date(2000, 1, 1)}),
    ('[date("2000-01-01")] == [date("2000-01-01")]', {}),
    ('l == ["a", "b"]', {"l": ["a", "b"]}),
    ('l == ["b", "a"]', {"l": ["a", "b"]}),
    ('l == ["a", null]', {"l": ["a", "b"]}),
    ("x == y", {"x": {"a": 1}, "y": {"a": 1}}),
    ('x > "18"', {"x": 20}),
    ("x == 1", {"x": True}),
    ("x + 1", {"x": "3"}),
    ("0.1 + 0.2 == 0.3", {}),
    ("3 == 3.0", {}),
    ("18 <= age < 65", {"age": 64.5}),
    ("18 <= age < 65", {"age": None}),
    ("1 < x < 0", {}),
    ('"é" == x', {"x": "é"}),
]


def _json_answers(env: dict[str, Any]) -> dict[str, Any]:
    def conv(v: Any) -> Any:
        if isinstance(v, datetime.date):
            return v.isoformat()
        if isinstance(v, list):
            return [conv(x) for x in v]
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        return v

    return {k: conv(v) for k, v in env.items()}


def _comparable(value: Any) -> Any:
    """A Python result as JSON would carry it from node (dates as ISO text)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_comparable(x) for x in value]
    return value


def _same_json(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b
    )


def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    today = datetime.date(2026, 11, 27)
    for text, env in EDGE_CASES:
        cases.append({"text": text, "tree": parse(text), "env": env, "today": today})
    pick = RandomPick(4242)
    for _ in range(1500):
        tree = gen(pick, pick.choice(KINDS), pick.integer(1, 5))
        cases.append({"tree": tree, "env": answers(pick), "today": pick.choice(TODAYS)})
    # Ill-typed trees too: both sides must give the same unknowns, never fail.
    for _ in range(1500):
        tree = gen_any(pick, pick.integer(1, 4))
        cases.append({"tree": tree, "env": any_answers(pick), "today": pick.choice(TODAYS)})
    return cases


def test_js_evaluator_agrees_with_python(tmp_path: Path) -> None:
    assert NODE is not None
    cases = _cases()
    payload = [
        {"tree": to_json(c["tree"]), "answers": _json_answers(c["env"]),
         "today": c["today"].isoformat()}
        for c in cases
    ]
    source, results = tmp_path / "cases.json", tmp_path / "results.json"
    driver = tmp_path / "driver.js"
    source.write_text(json.dumps(payload), encoding="utf-8")
    driver.write_text(DRIVER, encoding="utf-8")
    subprocess.run(
        [NODE, str(driver), str(SCRIPT), str(source), str(results)],
        check=True, timeout=120, capture_output=True,
    )
    outputs = json.loads(results.read_text(encoding="utf-8"))
    assert len(outputs) == len(cases)
    disagreements = []
    for case, out in zip(cases, outputs, strict=True):
        expected = _comparable(evaluate(case["tree"], case["env"], today=case["today"]))
        if "ok" not in out or not _same_json(out["ok"], expected):
            disagreements.append((case.get("text") or to_json(case["tree"]), case["env"],
                                  out, expected))
    assert disagreements == [], disagreements[:5]
    assert len(cases) >= 200


def test_js_has_no_eval() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    for forbidden in ("eval(", "Function(", "setTimeout(", "import("):  # no code from text
        assert forbidden not in source


def test_js_defines_a_browser_global(tmp_path: Path) -> None:
    """Loaded by a <script> tag (no `module`), the script defines window.ParcoursExpr."""
    assert NODE is not None
    driver = tmp_path / "browser.js"
    driver.write_text(
        """
const vm = require("vm");
const fs = require("fs");
const window = {};
vm.runInNewContext(fs.readFileSync(process.argv[2], "utf8"), {window: window});
const tree = JSON.parse(process.argv[3]);
process.stdout.write(JSON.stringify([
  typeof window.ParcoursExpr.evaluate,
  window.ParcoursExpr.evaluate(tree, {age: 20}, "2026-11-27"),
  window.ParcoursExpr.holds(tree, {}, "2026-11-27"),
]));
""",
        encoding="utf-8",
    )
    tree = json.dumps(to_json(parse("18 <= age < 65")))
    done = subprocess.run(
        [NODE, str(driver), str(SCRIPT), tree], check=True, capture_output=True, text=True,
        timeout=60,
    )
    assert json.loads(done.stdout) == ["function", True, False]

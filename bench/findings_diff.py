"""Whether two checkouts of Parcours give byte-identical findings on a corpus of journeys.

    .venv/bin/python bench/findings_diff.py --before /work/base --corpus /tmp/corpus \
        [--random 1500] [--diamonds 500,2000,4000]

Writes the corpus once (every journey of journeys/, the bench's diamond journeys, and
small random journeys drawn from tests/analysis/randomjourneys.py with the BASIC, RICH
and list types), then checks each file with each checkout in a fresh process: the
default pipeline (every finding, in French and English, with its severity, step and
question), and the path analysis alone without z3 (abstract interpretation only, so
that a change of the interpretation cannot hide behind a z3 proof). Prints the files
whose findings differ; exits 1 if any does. A tool for speed work: a shortcut must
change no finding.

Both checkouts run with one hash seed, so that z3 is asked the same questions in the same
order. z3 still works under time budgets (50 ms a query by default): on a loaded machine
a query may time out in one run and not in the other, and a z3-made finding (a dead end's
example) differ. Run again before believing such a difference; the abstract-only part and
the facts never depend on time.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _child(root: str, files: list[str]) -> dict[str, str]:
    """In this process, with ``root``'s designer: one digest of the findings per file."""
    sys.path.insert(0, root)
    from designer.analysis import AnalysisConfig, analyse
    from designer.loading import load_journey

    abstract_only = AnalysisConfig(z3_max_questions=0, strict=True)
    out: dict[str, str] = {}
    for name in files:
        loaded = load_journey(name)
        lines = [
            json.dumps([f.file, f.line, f.column, f.rule, f.message, str(f.severity), f.step,
                        f.question, f.said.say("en") if f.said is not None else None],
                       ensure_ascii=False)
            for f in loaded.findings
        ]
        structural = load_journey(name, analyses=[])
        if structural.ok:  # what the pipeline analyses (an error after it counts not)
            again = structural.journey
            assert again is not None
            lines.append("-- abstract only")
            lines += [
                json.dumps([f.line, f.column, f.rule, f.message], ensure_ascii=False)
                for f in analyse(again, abstract_only)
            ]
            lines.append("-- facts")
            lines += _facts(again.derived["facts"])
        out[name] = "\n".join(lines)
    return out


def _canonical(value: object) -> str:
    """A value of the analysis written the same way in every process (sets sorted)."""
    if isinstance(value, (frozenset, set)):
        return "{" + ", ".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return "(" + ", ".join(_canonical(v) for v in value) + ")"
    parts = getattr(value, "parts", None)
    if parts is not None:  # Intervals: the bounds with their types (1 and 1.0 differ)
        bounds = [(type(x).__name__, repr(x)) for iv in parts for x in iv]
        return f"I{bounds}{value.integral}"  # type: ignore[attr-defined]
    must = getattr(value, "must", None)
    if must is not None:  # Multi
        return f"M({_canonical(must)}, {_canonical(value.may)})"  # type: ignore[attr-defined]
    fields = getattr(value, "_fields", None)
    if fields is not None:  # AbsVal, QuestionFact
        return type(value).__name__ + "(" + ", ".join(
            f"{f}={_canonical(getattr(value, f))}" for f in fields) + ")"
    values = getattr(value, "values", None)
    if isinstance(values, dict):  # Env
        return "Env{" + ", ".join(
            f"{k!r}: {_canonical(v)}" for k, v in sorted(values.items())) + "}"
    if hasattr(value, "__slots__") and hasattr(value, "truths"):  # BranchFact
        return (f"B({value.step!r}, {value.index}, {value.target!r}, "  # type: ignore[attr-defined]
                f"{value.tried}, {_canonical(value.truths)}, {value.taken})")  # type: ignore[attr-defined]
    return repr(value)


def _facts(facts: Any) -> list[str]:
    """Every fact of the abstract interpretation, one line each."""
    out = [f"order {facts.order}"]
    out += [f"entry {k} {_canonical(v)}" for k, v in facts.entry.items()]
    out += [f"question {k} {_canonical(v)}" for k, v in facts.questions.items()]
    out += [f"branches {k} {[_canonical(b) for b in v]}" for k, v in facts.branches.items()]
    out += [f"residual {k} {_canonical(v)}" for k, v in facts.residual.items()]
    return out


def _corpus(where: Path, randoms: int, diamonds: list[int]) -> list[Path]:
    """The journeys to compare, written under ``where`` (kept if already there)."""
    sys.path.insert(0, str(ROOT))
    where.mkdir(parents=True, exist_ok=True)
    files = sorted(
        p for p in (ROOT / "journeys").rglob("*.yaml")
        if not p.name.endswith(".cases.yaml") and p.name != "organisation.yaml"
    )
    from bench.generate import generate

    for n in diamonds:
        path = where / f"diamonds-{n}.yaml"
        if not path.exists():
            generate(n, where)
        files.append(path)
    random_dir = where / "random"
    if not random_dir.exists() and randoms:
        random_dir.mkdir()
        from hypothesis import HealthCheck, given, settings

        # By its file: an installed package named `tests` would shadow the folder.
        spec = importlib.util.spec_from_file_location(
            "randomjourneys", ROOT / "tests" / "analysis" / "randomjourneys.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["randomjourneys"] = module
        spec.loader.exec_module(module)
        BASIC, LISTS, RICH, journeys = module.BASIC, module.LISTS, module.RICH, module.journeys

        texts: list[str] = []
        for types, steps, questions in (
            (BASIC, 4, 4), (RICH, 5, 8), (LISTS, 4, 6), (RICH, 8, 14), (BASIC, 8, 14),
        ):
            @settings(max_examples=randoms // 5, deadline=None, database=None,
                      derandomize=True, suppress_health_check=list(HealthCheck))
            @given(journeys(max_steps=steps, max_questions=questions, types=types))
            def draw(text: str) -> None:
                texts.append(text)

            draw()
        for text in dict.fromkeys(texts):
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            (random_dir / f"r-{digest}.yaml").write_text(text, encoding="utf-8")
    files += sorted(random_dir.glob("*.yaml")) if random_dir.exists() else []
    return files


def _run(root: Path, files: list[Path]) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(root)],
        input="\n".join(str(f) for f in files),
        capture_output=True, text=True, check=True,
        # One hash seed for both: the order of sets of strings decides which example z3
        # finds for a dead end (and, under its time budget, whether it finds one).
        env={**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
             "PYTHONHASHSEED": "0"},
    )
    return json.loads(done.stdout)


def main() -> int:
    """Write the corpus, check it with both checkouts, print the differences."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="the other checkout (its root)")
    parser.add_argument("--after", type=Path, default=ROOT,
                        help="the checkout compared with it (default: this one)")
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/parcours-corpus"))
    parser.add_argument("--random", type=int, default=1500)
    parser.add_argument("--diamonds", default="500,2000,4000")
    parser.add_argument("--verbose", action="store_true", help="print the differences")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, sys.stdin.read().split("\n"))))
        return 0
    diamonds = [int(n) for n in args.diamonds.split(",") if n]
    files = _corpus(args.corpus, args.random, diamonds)
    after = _run(args.after, files)
    before = _run(args.before, files)
    differ = [name for name in after if after[name] != before.get(name)]
    for name in differ:
        print(f"differs: {name}")
        if args.verbose:
            sys.stdout.writelines(difflib.unified_diff(
                before.get(name, "").splitlines(True), after[name].splitlines(True),
                "before", "after", n=0))
            print()
    found = sum(text.count("\n") + 1 for text in after.values() if text)
    print(f"{len(files)} journeys, {found} lines of findings, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

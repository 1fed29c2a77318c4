"""Two checkouts' stage times on one journey, alternating fresh processes: paired ratios.

    .venv/bin/python bench/stages_ab.py --before /work/base [--questions 2000] [--pairs 15]

Each pair runs bench/check_stages.py's child (one cold check, its CPU time by stage) once
in each checkout, in alternating order, on the same generated journey; prints, for the
stages named by --stage (summed as "combined"), the medians of each side and the median
of the per-pair ratios after / before. The machine's speed drifts: a ratio within one
pair compares like with like, a difference of medians taken minutes apart does not.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _once(root: Path, journey: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "check_stages.py"), "--child", str(journey)],
        capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    )
    return json.loads(done.stdout)


def main() -> int:
    """Run the pairs, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout")
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--stage", action="append",
                        help="stage to compare (repeatable; default: path analysis and "
                             "check_expressions)")
    args = parser.parse_args()
    stages = args.stage or ["path analysis", "check_expressions"]
    from bench.generate import generate

    rows: list[tuple[dict[str, float], dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        journey, _ = generate(args.questions, Path(tmp))
        for root in (args.before, ROOT):
            _once(root, journey)  # writes the bytecode of changed modules
        for i in range(args.pairs):
            if i % 2:
                after = _once(ROOT, journey)
                before = _once(args.before, journey)
            else:
                before = _once(args.before, journey)
                after = _once(ROOT, journey)
            rows.append((before, after))
    print(f"| stage ({args.questions} questions, {args.pairs} pairs) | before | after "
          "| median of ratios after/before |")
    print("|---|---|---|---|")
    for name in (*stages, "combined", "whole check"):
        def pick(run: dict[str, float], name: str = name) -> float:
            return sum(run.get(s, 0.0) for s in stages) if name == "combined" else run[name]

        b = [pick(before) for before, _ in rows]
        a = [pick(after) for _, after in rows]
        ratio = statistics.median(y / x for x, y in zip(b, a, strict=True) if x)
        print(f"| {name} | {statistics.median(b):.1f} ms | {statistics.median(a):.1f} ms "
              f"| {ratio:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

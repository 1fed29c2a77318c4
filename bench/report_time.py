"""Time `parcours report --format json` on the 2,000-question diamond journey.

Usage: .venv/bin/python bench/report_time.py [--questions 2000] [--runs 7] [--baseline DIR]

Generates the journey with bench/generate.py in a temporary folder, then:

1. runs the whole command line (process start, imports, loading, every check, the report,
   writing the JSON) ``--runs`` times and prints the fastest, median and slowest wall time;
2. runs the same steps in one process and prints where the time goes (imports, load and
   check, report, JSON), as medians over the runs.

``--baseline DIR`` also times, interleaved with ours, the same command run from another
checkout of Parcours (for instance ``git worktree add /tmp/old <commit>``), with this
virtual environment, and prints the ratio of the medians: on a shared, noisy machine a
ratio measured in one run means more than seconds measured on different days.

The issue's target is the whole command under 2 s. The load average is printed beside
the figures, and the fastest run is the least disturbed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PHASES = """
import gc, json, sys, time
t0 = time.perf_counter()
gc.disable()  # as the command line does for one-shot commands
from designer.loading import load_journey
from designer.report import build
from designer.report.formats import render
t1 = time.perf_counter()
loaded = load_journey(sys.argv[1])
t2 = time.perf_counter()
report = build.journey_report(loaded)
t3 = time.perf_counter()
text = render(report, "json")
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "load and check": t2 - t1, "report": t3 - t2,
                  "JSON": t4 - t3, "paths": report.paths.total if report.paths else 0}))
"""

# Runs `parcours` from another checkout: the editable install's import hook would
# otherwise find this checkout's `designer` first.
FROM_CHECKOUT = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path.insert(0, sys.argv.pop(1))
import designer
assert designer.__file__.startswith(sys.path[0]), designer.__file__
from designer.cli import main
sys.exit(main(sys.argv[1:]))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    args = parser.parse_args(argv)
    python = sys.executable
    parcours = str(Path(python).with_name("parcours"))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [python, str(ROOT / "bench" / "generate.py"), "--questions", str(args.questions),
             "--out", tmp],
            check=True, capture_output=True,
        )  # fmt: skip
        journey = Path(tmp) / f"diamonds-{args.questions}.yaml"
        out = Path(tmp) / "report.json"
        walls: list[float] = []
        base: list[float] = []
        command = ["report", str(journey), "--format", "json", "-o", str(out)]
        phases: list[dict[str, float]] = []
        for _ in range(args.runs):
            if args.baseline:
                start = time.perf_counter()
                subprocess.run(
                    [python, "-c", FROM_CHECKOUT, str(args.baseline.resolve()), *command],
                    check=True, capture_output=True,
                )  # fmt: skip
                base.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([parcours, *command], check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            done = subprocess.run(
                [python, "-c", PHASES, str(journey)], check=True, capture_output=True, text=True
            )
            phases.append(json.loads(done.stdout))
        size = out.stat().st_size
    load = os.getloadavg()[0]
    paths = int(phases[0].pop("paths"))
    for p in phases[1:]:
        p.pop("paths")
    print(f"journey: {args.questions} questions, {paths:.3e} runs; JSON {size / 1e6:.1f} MB")
    print(f"load average (1 min) after the runs: {load:.2f}")
    print()
    print("| `parcours report --format json` | fastest | median | slowest |")
    print("|---|---|---|---|")
    print(
        f"| whole command, {args.runs} runs | {min(walls):.2f} s | "
        f"{statistics.median(walls):.2f} s | {max(walls):.2f} s |"
    )
    if base:
        print(
            f"| baseline {args.baseline}, {args.runs} runs | {min(base):.2f} s | "
            f"{statistics.median(base):.2f} s | {max(base):.2f} s |"
        )
        print()
        print(f"ratio of the medians, this checkout / baseline: "
              f"{statistics.median(walls) / statistics.median(base):.2f}")  # fmt: skip
    print()
    print("| in one process | median | share |")
    print("|---|---|---|")
    medians = {k: statistics.median(p[k] for p in phases) for k in phases[0]}
    total = sum(medians.values())
    for k, v in medians.items():
        print(f"| {k} | {v:.3f} s | {v / total:.0%} |")
    print(f"| total | {total:.3f} s | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

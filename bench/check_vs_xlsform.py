"""Time `parcours check` on diamond journeys against `xls2xform --skip_validate` on the
equivalent XLSForm, alternating runs, and print medians and ratios as a Markdown table.

    .venv/bin/pip install -e '.[bench]'     # pyxform, the reference converter
    .venv/bin/python bench/check_vs_xlsform.py [--sizes 500 1000 2000 4000] [--runs 5]

Both are timed as whole commands (process start, reading, checking or converting), as a
designer or a CI pipeline runs them. Runs alternate (check, convert, check, convert…)
so that a change in the machine's load hits both alike.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402

VENV = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    """Wall time of one command, which must succeed (parcours check: exit 0 or 1)."""
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def analysis_time(path: Path, runs: int) -> tuple[float, float]:
    """In-process medians: loading with structural checks, then the path analysis alone."""
    from designer.analysis import analyse
    from designer.loading import load_journey

    loads, analyses = [], []
    for _ in range(runs):
        started = time.perf_counter()
        loaded = load_journey(path, analyses=[])
        loads.append(time.perf_counter() - started)
        assert loaded.journey is not None
        started = time.perf_counter()
        analyse(loaded.journey)
        analyses.append(time.perf_counter() - started)
    return statistics.median(loads), statistics.median(analyses)


def main() -> int:
    """Generate, time, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    parcours = str(VENV / "parcours")
    xls2xform = str(VENV / "xls2xform")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            yaml_path, xlsx_path = generate(size, Path(tmp))
            questions = yaml_path.read_text(encoding="utf-8").count("        type: ")
            steps = yaml_path.read_text(encoding="utf-8").count("    title: ")
            check = [parcours, "check", str(yaml_path)]
            convert = [xls2xform, "--skip_validate", str(xlsx_path), str(Path(tmp) / "out.xml")]
            timed(check)  # warm the file cache and the bytecode once
            timed(convert)
            ours, theirs = [], []
            for _ in range(args.runs):
                ours.append(timed(check))
                theirs.append(timed(convert))
            m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)
            load, analysis = analysis_time(yaml_path, args.runs)
            rows.append((size, questions, steps, m_ours, m_theirs, load, analysis))
            print(f"{size}: parcours check {m_ours:.2f} s, xls2xform {m_theirs:.2f} s",
                  file=sys.stderr)
    print("| questions | steps | paths | `parcours check` (median) | "
          "`xls2xform --skip_validate` (median) | ratio | in-process: load + structure | "
          "in-process: path analysis |")
    print("|---|---|---|---|---|---|---|---|")
    for _size, questions, steps, ours, theirs, load, analysis in rows:
        diamonds = (steps - 1) // 4
        print(f"| {questions} | {steps - 1} | 2^{diamonds} | {ours:.2f} s | {theirs:.2f} s | "
              f"{ours / theirs:.2f} | {load:.3f} s | {analysis:.3f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

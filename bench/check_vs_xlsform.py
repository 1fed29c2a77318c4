"""Time `parcours check` on diamond journeys against `xls2xform --skip_validate` on the
equivalent XLSForm, alternating runs, and print medians and ratios as a Markdown table.

    .venv/bin/pip install -e '.[bench]'     # pyxform, the reference converter
    .venv/bin/python bench/check_vs_xlsform.py [--sizes 500 1000 2000 4000] [--runs 5]

Both are timed as whole commands (process start, reading, checking or converting), as a
designer or a CI pipeline runs them, in wall time and in CPU time (user + system of the
child process: on a shared machine the wall time also measures the other users' load).
Runs alternate (check, convert, check, convert…) so that a change in the machine's load
hits both alike. The floor is a process that only imports what `parcours check` imports:
no journey, however fast its check, costs less; the second floor imports only networkx and
the pydantic journey models, which CONVENTIONS.md makes every check use.
"""

from __future__ import annotations

import argparse
import os
import resource
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
#: The commands run as on a designer's machine: with their bytecode written once and read
#: afterwards. A shell that sets PYTHONDONTWRITEBYTECODE would have every run of
#: `parcours check` compile the engine from source, while pyxform's bytecode was written by
#: pip at install: an unfair comparison.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU time of one command, which must succeed (the generated journeys are
    clean: `parcours check` exits 0 on them, and 1 would mean a stage was skipped)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


#: What `parcours check` imports before it reads a journey (designer/commands/check.py, the
#: analyses of designer.loading.default_analyses, the output).
FLOOR = ("import designer.commands.check, designer.check, designer.analysis, "
         "designer.analysis.textcheck, designer.output")
#: What CONVENTIONS.md makes every check import: networkx, which holds the step graph, and
#: pydantic with the journey models, the single source of truth of the format. No check that
#: keeps to those conventions costs less than this process.
MANDATED = "import networkx, designer.model"


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
    if not Path(xls2xform).exists():
        raise SystemExit(f"{xls2xform} is missing: install the reference converter with "
                         f"{VENV / 'pip'} install -e '.[bench]'")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            yaml_path, xlsx_path = generate(size, Path(tmp))
            questions = yaml_path.read_text(encoding="utf-8").count("        type: ")
            steps = yaml_path.read_text(encoding="utf-8").count("    title: ")
            check = [parcours, "check", str(yaml_path)]
            convert = [xls2xform, "--skip_validate", str(xlsx_path), str(Path(tmp) / "out.xml")]
            floor = [str(VENV / "python"), "-c", FLOOR]
            mandated = [str(VENV / "python"), "-c", MANDATED]
            timed(check)  # warm the file cache and the bytecode once
            timed(convert)
            ours, theirs, floors, mandated_floors = [], [], [], []
            for _ in range(args.runs):
                ours.append(timed(check))
                theirs.append(timed(convert))
                floors.append(timed(floor))
                mandated_floors.append(timed(mandated))
            wall = statistics.median(t[0] for t in ours), statistics.median(t[0] for t in theirs)
            cpu = statistics.median(t[1] for t in ours), statistics.median(t[1] for t in theirs)
            # The ratio of each pair run side by side, then their median: a shared machine's
            # speed drifts within a run, and a ratio of two medians taken minutes apart
            # would carry that drift.
            paired = statistics.median(o[1] / t[1] for o, t in zip(ours, theirs, strict=True))
            least = statistics.median(t[1] for t in floors)
            libraries = statistics.median(t[1] for t in mandated_floors)
            load, analysis = analysis_time(yaml_path, args.runs)
            rows.append((questions, steps, wall, cpu, paired, least, libraries, load, analysis))
            print(f"{size}: parcours check {wall[0]:.2f} s ({cpu[0]:.2f} s CPU), xls2xform "
                  f"{wall[1]:.2f} s ({cpu[1]:.2f} s CPU)", file=sys.stderr)
    print("| questions | steps | paths | `parcours check` (median) | "
          "`xls2xform --skip_validate` (median) | ratio | CPU: check / convert | "
          "CPU ratio (median of pairs) | "
          "CPU floor: imports alone (ratio) | CPU floor: networkx + pydantic models (ratio) | "
          "in-process: load + structure | in-process: path analysis |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for questions, steps, wall, cpu, paired, least, libraries, load, analysis in rows:
        diamonds = (steps - 1) // 4
        print(f"| {questions} | {steps - 1} | 2^{diamonds} | {wall[0]:.2f} s | {wall[1]:.2f} s | "
              f"{wall[0] / wall[1]:.2f} | {cpu[0]:.2f} s / {cpu[1]:.2f} s | "
              f"{paired:.2f} | {least:.2f} s ({least / cpu[1]:.2f}) | "
              f"{libraries:.2f} s ({libraries / cpu[1]:.2f}) | {load:.3f} s | "
              f"{analysis:.3f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where `parcours check` spends its CPU time on a diamond journey, stage by stage.

    .venv/bin/python bench/check_stages.py [--questions 2000] [--runs 5]

Each run is a fresh process (nothing cached by an earlier check), with the cyclic garbage
collector off as in `parcours check`: it times the imports, then one check of the journey
by the real pipeline (:func:`designer.loading.load_text`), each stage's CPU time taken by
wrapping the functions that ``load_text`` calls, then the output as the command prints
it. CPU time rather than wall time: on a shared machine the wall time mostly measures the
other users' load. Prints the medians as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The functions designer.loading.load_text calls, in its order.
STAGES = (
    "load_document",
    "validate",
    "compile_journey",
    "check_ids",
    "build_graph",
    "check_structure",
    "check_expressions",
    "settle",
)


def _child(path: str) -> dict[str, float]:
    """One cold check in this process: CPU milliseconds by stage."""
    gc.disable()
    spent: dict[str, float] = {}
    started = time.process_time()
    import designer.loading as loading
    from designer.analysis import analyse
    from designer.analysis.textcheck import text_findings
    from designer.output import render

    spent["imports"] = (time.process_time() - started) * 1000

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            begun = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + (time.process_time() - begun) * 1000

        return run

    for name in STAGES:
        setattr(loading, name, timed(name, getattr(loading, name)))
    analyses = [timed("path analysis", analyse), timed("readability and jargon", text_findings)]
    begun = time.process_time()
    loaded = loading.load_journey(path, analyses=analyses)
    spent["whole check"] = (time.process_time() - begun) * 1000
    begun = time.process_time()
    render(loaded.findings, 1, "text", "bench", "en", None)
    spent["output (text)"] = (time.process_time() - begun) * 1000
    return spent


def main() -> int:
    """Generate the journey, run the fresh processes, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child)))
        return 0
    from bench.generate import generate

    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = generate(args.questions, Path(tmp))
        for _ in range(args.runs + 1):
            # The bytecode written and read, as on a designer's machine (a shell setting
            # PYTHONDONTWRITEBYTECODE would have each run compile the engine from source).
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            )
            runs.append(json.loads(done.stdout))
    runs = runs[1:]  # the first one writes the bytecode of changed modules
    print(f"| stage ({path.name}) | CPU, median of {args.runs} fresh processes |")
    print("|---|---|")
    for name in (
        "imports",
        *STAGES,
        "path analysis",
        "readability and jargon",
        "whole check",
        "output (text)",
    ):
        print(f"| {name} | {statistics.median(r.get(name, 0.0) for r in runs):.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

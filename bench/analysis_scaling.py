"""The path analysis alone, in-process, on diamond journeys of growing size.

    .venv/bin/python bench/analysis_scaling.py [--sizes 500 1000 2000 4000 8000] [--runs 7]

Loads each journey once (structural checks only), then times `designer.analysis.analyse`
and the abstract interpretation on its own; prints the best of `--runs` (the least
disturbed by other work on the machine) as a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from designer.analysis import analyse  # noqa: E402
from designer.analysis.context import Context  # noqa: E402
from designer.loading import load_journey  # noqa: E402


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000, 8000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print("| questions | paths | abstract interpretation (best) | all analysis rules (best) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path, _ = generate(size, Path(tmp))
            journey = load_journey(path, analyses=[]).journey
            assert journey is not None
            whole = interp = float("inf")
            for _ in range(args.runs):
                started = time.perf_counter()
                analyse(journey)
                whole = min(whole, time.perf_counter() - started)
                ctx = Context(journey)
                started = time.perf_counter()
                ctx.facts  # noqa: B018 - the interpretation runs on first access
                interp = min(interp, time.perf_counter() - started)
            diamonds = len(journey.steps) // 4
            print(f"| {len(journey.questions)} | 2^{diamonds} | {interp:.3f} s | {whole:.3f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

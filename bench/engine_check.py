"""Time `parcours check` on generated journeys of 200 to 2,000 questions, and YAML loading.

Usage: .venv/bin/python bench/engine_check.py [--runs 7]

Writes nothing but a temporary folder; prints a Markdown table for docs/benchmarks.md.
Each journey is a chain of pages of five questions where every other page branches on a
yes/no question (conditional questions included), so the analysis has real work to do.
Timings are medians of alternated runs of the whole command line (process start included),
and, for loading, of in-process calls on the same file: compare ratios, not absolute
seconds, on a shared machine.
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


def journey_text(questions: int) -> str:
    """A journey with about ``questions`` questions, five a page, branching every other page."""
    pages = max(1, questions // 5)
    out = [
        "parcours: 1",
        f"id: bench-{questions}",
        "title: Banc d'essai",
        "organisation: Parcours",
        "start: p0",
        "steps:",
    ]
    for i in range(pages):
        nxt = f"p{i + 1}" if i + 1 < pages else "fin"
        out += [f"  p{i}:", f"    title: Page {i}", "    questions:"]
        out += [
            f"      q{i}_0:",
            "        type: yesno",
            f"        label: Question {i} zéro ?",
            f"      q{i}_1:",
            "        type: integer",
            f"        label: Combien pour la page {i} ?",
            "        min: 0",
            "        max: 100",
            "        purpose: Mesurer.",
            f"      q{i}_2:",
            "        type: text",
            f"        label: Précisez pour la page {i}",
            f"        when: q{i}_0",
            "        purpose: Comprendre.",
            f"      q{i}_3:",
            "        type: choice",
            f"        label: Choix de la page {i}",
            "        options: {a: Premier, b: Second, c: Troisième}",
            "        purpose: Orienter.",
            f"      q{i}_4:",
            "        type: date",
            f"        label: Date de la page {i}",
            "        max: today()",
            f"        when: q{i}_1 > 10",
            "        purpose: Dater.",
        ]
        if i % 2 == 0 and i + 2 < pages:
            out += [
                "    next:",
                f"      - goto: p{i + 1}",
                f'        when: q{i}_0 and q{i}_3 != "c"',
                f"      - goto: p{i + 2}",
            ]
        else:
            out.append(f"    next: {nxt}")
    out += ["outcomes:", "  fin:", "    kind: submit", "    title: Envoyé"]
    return "\n".join(out) + "\n"


def median_time(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    exe = str(ROOT / ".venv" / "bin" / "parcours")
    from ruamel.yaml import YAML

    from designer.loading import load_text
    from designer.source import load_document

    print("| questions | lines | `parcours check` (s) "
          "| of which: load+validate+analyse in process (s) |")
    print("|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (200, 500, 1000, 2000):
            text = journey_text(n)
            path = Path(tmp) / f"bench-{n}.yaml"
            path.write_text(text, encoding="utf-8")
            check = median_time([exe, "check", str(path)], args.runs)
            engine = in_process(lambda t=text: load_text(t, "bench.yaml"), args.runs)
            print(f"| {n} | {text.count(chr(10))} | {check:.3f} | {engine:.3f} |")
        # The loading path: libyaml's composer (ours) against ruamel.yaml's round-trip loader.
        text = journey_text(1000)
        lines = text.count("\n")
        ours = in_process(lambda: load_document(text, "bench.yaml"), args.runs)
        ruamel = in_process(lambda: YAML(typ="rt").load(text), max(3, args.runs // 2))
        print()
        print(f"Loading a {lines}-line journey with positions: libyaml composer {ours:.3f} s, "
              f"ruamel.yaml round-trip {ruamel:.3f} s (ratio {ruamel / ours:.1f}x).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

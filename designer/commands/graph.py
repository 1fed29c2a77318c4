"""`parcours graph FILE`: the step graph as Mermaid or DOT, branches labelled."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours graph FILE [--format mermaid|dot] [--lang] [-o FILE]`."""
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    parser.add_argument("--lang", default=None, help="language of the labels")
    parser.add_argument("-o", "--output", default=None, help="write to this file")


def run(args: argparse.Namespace) -> int:
    """Print (or write) the graph; 1 when the journey cannot be built, 2 when no file."""
    from designer.diagram import to_dot, to_mermaid
    from designer.loading import load_journey
    from designer.output import as_text

    if not Path(args.file).is_file():
        print(f"parcours graph: no such file: {args.file}", file=sys.stderr)
        return 2
    loaded = load_journey(args.file)
    if loaded.journey is None:
        print(as_text(loaded.findings, 1), file=sys.stderr)
        return 1
    journey = loaded.journey
    text = to_dot(journey, args.lang) if args.format == "dot" else to_mermaid(journey, args.lang)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0

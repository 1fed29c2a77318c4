"""`parcours diff OLD NEW`: compare two versions of a journey (as `parcours report OLD NEW`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.commands.report import CANNOT_RUN, compare, output_format


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours diff OLD NEW [-o FILE] [--format html|json|text] [--lang]`."""
    parser.add_argument("old", metavar="OLD", help="the journey before")
    parser.add_argument("new", metavar="NEW", help="the journey after")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the comparison to FILE")
    parser.add_argument("--format", choices=("html", "json", "text"), default=None)
    parser.add_argument("--lang", default=None, help="language of the texts quoted (fr, en)")


def run(args: argparse.Namespace) -> int:
    """Write the comparison; 1 when the new version has errors, 2 when a file is missing."""
    for p in (args.old, args.new):
        if not Path(p).is_file():
            print(f"parcours diff: no such file: {p}", file=sys.stderr)
            return CANNOT_RUN
    return compare(Path(args.old), Path(args.new), output_format(args), args.output, args.lang)

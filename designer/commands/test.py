"""`parcours test JOURNEY…`: run the test cases beside each journey (docs/cases.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.cases import cases_path
from designer.files import is_cases_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of `parcours test`."""
    parser.add_argument("paths", nargs="+", metavar="JOURNEY",
                        help="journey files, or folders (every journey with a cases file)")


def _journeys(paths: list[str]) -> list[Path] | str:
    from designer.check import NoSuchPath, journey_files

    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_file() and is_cases_file(p):
            # `parcours test x.cases.yaml` means the journey beside it.
            p = p.with_name(p.name.rsplit(".cases.", 1)[0] + ".yaml")
            if not p.exists():
                return f"no journey beside {raw} (expected {p.name})"
            files.append(p)
            continue
        try:
            found = journey_files([p])
        except NoSuchPath:
            return f"no such file or folder: {raw}"
        if p.is_dir():
            found = [f for f in found if cases_path(f).exists()]
        files += found
    return files


def run(args: argparse.Namespace) -> int:
    """Run the cases; 0 when all pass, 1 when any fails or cannot run, 2 on bad usage."""
    files = _journeys(args.paths)
    if isinstance(files, str):
        print(f"parcours test: {files}", file=sys.stderr)
        return 2
    if not files:
        print("parcours test: no journey with a cases file (x.cases.yaml beside x.yaml)",
              file=sys.stderr)
        return 2
    from designer.testing import as_text, test_file

    results = [test_file(f) for f in files]
    print(as_text(results))
    return 1 if any(r.problems or r.blocked for r in results) else 0

"""`parcours report`: how hard a procedure is, for whom, and what would simplify it — for
one journey, a folder (portfolio) or two versions (comparison, as `parcours diff`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: Exit statuses of docs/check.md: 0 fine, 1 a journey has errors, 2 cannot run.
OK, HAS_ERRORS, CANNOT_RUN = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours report PATH [PATH] [-o FILE] [--format html|json|text] [--lang]`."""
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a journey file, a folder of journeys (portfolio), or OLD NEW (comparison)",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--format",
        choices=("html", "json", "text"),
        default=None,
        help="html, json or text (default: text on a terminal, else from -o's suffix)",
    )
    parser.add_argument("--lang", default=None, help="language of the texts quoted (fr, en)")


def run(args: argparse.Namespace) -> int:
    """Run `parcours report`: one file, a folder, or two files OLD NEW."""
    from designer.check import NoSuchPath, journey_files
    from designer.report import build

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"parcours report: no such file or folder: {missing[0]}", file=sys.stderr)
        return CANNOT_RUN
    fmt = output_format(args)
    if len(paths) == 2 and all(p.is_file() for p in paths):
        return compare(paths[0], paths[1], fmt, args.output, args.lang)
    if len(paths) == 1 and paths[0].is_file():
        report: object = build.report_file(paths[0], args.lang)
    else:
        try:
            files = journey_files(paths)
        except NoSuchPath as exc:
            print(f"parcours report: no such file or folder: {exc}", file=sys.stderr)
            return CANNOT_RUN
        if not files:
            print("parcours report: no journey file (*.yaml) found", file=sys.stderr)
            return CANNOT_RUN
        folder = str(paths[0]) if len(paths) == 1 else ", ".join(map(str, paths))
        report = build.portfolio_report(folder, files, args.lang)
    from designer.report.formats import render

    code = _emit(render(report, fmt), args.output)
    return code or _status(report)


def output_format(args: argparse.Namespace) -> str:
    """`--format`, else guessed from `-o`'s suffix, else text."""
    if args.format:
        return str(args.format)
    if args.output:
        suffix = Path(args.output).suffix.lower()
        if suffix in (".html", ".htm"):
            return "html"
        if suffix == ".json":
            return "json"
    return "text"


def compare(old: Path, new: Path, fmt: str, output: str | None, lang: str | None) -> int:
    """Write the comparison of two versions; 1 when the new one has errors."""
    from designer.report import build
    from designer.report.formats import render

    report = build.comparison_report(old, new, lang)
    # Like `parcours check`: 1 when the new version has errors, so CI can stop a regression.
    return _emit(render(report, fmt), output) or (HAS_ERRORS if report.new.errors else OK)


def _emit(text: str, output: str | None) -> int:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"parcours report: cannot write {output}: {exc.strerror}", file=sys.stderr)
            return CANNOT_RUN
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return OK


def _status(report: object) -> int:
    from designer.report.model import JourneyReport, PortfolioReport

    if isinstance(report, JourneyReport):
        return HAS_ERRORS if any(f.severity == "error" for f in report.findings) else OK
    if isinstance(report, PortfolioReport):
        return max((_status(j) for j in report.journeys), default=OK)
    return OK

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
    parser.add_argument(
        "--usage",
        metavar="DB_URL",
        default=None,
        help="a server's database (sqlite:///FILE or postgresql://…): add the observed use "
        "(funnel, minutes, errors, branch shares, satisfaction) beside the predictions",
    )
    parser.add_argument(
        "--threshold",
        type=int,
        default=None,
        metavar="N",
        help="with --usage, counts under N are never shown (default 5)",
    )


def run(args: argparse.Namespace) -> int:
    """Run `parcours report`: one file, a folder, or two files OLD NEW."""
    from designer.check import NoSuchPath, journey_files
    from designer.report import build, portfolio

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"parcours report: no such file or folder: {missing[0]}", file=sys.stderr)
        return CANNOT_RUN
    fmt = output_format(args)
    if len(paths) == 2 and all(p.is_file() for p in paths):
        return compare(paths[0], paths[1], fmt, args.output, args.lang)
    usage = UsageSource(args.usage, args.threshold) if args.usage else None
    if usage is not None and (problem := usage.problem()):
        print(f"parcours report: {problem}", file=sys.stderr)
        return CANNOT_RUN
    if len(paths) == 1 and paths[0].is_file():
        from designer.loading import load_journey

        loaded = load_journey(paths[0])
        report: object = build.journey_report(loaded, args.lang)
        if usage is not None and loaded.journey is not None:
            report = usage.add(loaded.journey, report)
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
        report = portfolio.portfolio_report(folder, files, args.lang, observe=usage)
    from designer.report.formats import render

    code = _emit(render(report, fmt), args.output)
    return code or _status(report)


class UsageSource:
    """The observed use recorded in a server's database (read-only, see
    designer/report/counts.py), added to each journey's report."""

    def __init__(self, db_url: str, threshold: int | None) -> None:
        from designer.report.usage import DEFAULT_THRESHOLD

        self.db_url = db_url
        self.threshold = DEFAULT_THRESHOLD if threshold is None else threshold

    def problem(self) -> str | None:
        """Why the counts cannot be used, in words; None when they can."""
        from designer.report.counts import CountsError, read_counts

        if self.threshold < 1:
            return "--threshold must be 1 or more"
        try:
            read_counts(self.db_url, "")
        except CountsError as exc:
            return str(exc)
        return None

    def add(self, journey: object, report: object, by_version: bool = True) -> object:
        """The report with the journey's observed use beside its predictions, and split by
        journey version unless ``by_version`` is false (each kept version is reported
        again: the studio, which only wants the hotspots, does without)."""
        from designer.compiled import CompiledJourney
        from designer.report.counts import (
            read_channels,
            read_counts,
            read_responses,
            read_versions,
        )
        from designer.report.model import JourneyReport
        from designer.report.observed import with_usage

        assert isinstance(journey, CompiledJourney) and isinstance(report, JourneyReport)
        return with_usage(journey, report, read_counts(self.db_url, journey.id), self.threshold,
                          read_channels(self.db_url, journey.id),
                          read_versions(self.db_url, journey.id) if by_version else None,
                          responses=read_responses(self.db_url, journey.id))


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
    from designer.report import comparison
    from designer.report.formats import render

    report = comparison.comparison_report(old, new, lang)
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

"""`parcours check PATH...`: findings of journey files and folders, as a compiler gives them.

Exit statuses follow docs/check.md: 0 when no error, 1 when any error finding,
2 when the command itself could not run (no such file, no journey found).
"""

from __future__ import annotations

import argparse
import sys

from designer import __version__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours check PATH... [--format] [--severity] [--rule SLUG]...`."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="journey files or folders")
    parser.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    parser.add_argument("--severity", choices=("error", "warning", "info"), default="info",
                        help="least severity shown (the exit status still counts every error)")
    parser.add_argument("--rule", action="append", metavar="SLUG",
                        help="show only this rule (repeatable)")


def run(args: argparse.Namespace) -> int:
    """Check the paths; print the findings shown; 1 when any journey has an error."""
    # Imported here, not at the top: `parcours check --help` needs none of the engine.
    from designer.check import NoSuchPath, check_paths
    from designer.findings import has_errors
    from designer.output import render

    try:
        portfolio = check_paths(args.paths)
    except NoSuchPath as exc:
        print(f"parcours check: no such file or folder: {exc}", file=sys.stderr)
        return 2
    findings = portfolio.all_findings
    if args.severity != "info":
        keep = {"error"} if args.severity == "error" else {"error", "warning"}
        shown = [f for f in findings if f.severity.value in keep]
    else:
        shown = findings
    if args.rule:
        shown = [f for f in shown if f.rule in args.rule]
    files = len(portfolio.loaded) + portfolio.organisations
    if files == 0:
        print("parcours check: no journey file (*.yaml) found", file=sys.stderr)
        return 2
    # The version is a constant, not importlib.metadata: scanning installed packages costs
    # a fifth of a second at every start of `parcours check`.
    print(render(shown, files, args.format, __version__))
    return 1 if has_errors(findings) else 0

"""`parcours check PATH...`: findings of journey files and folders, as a compiler gives them.

Exit statuses follow docs/check.md: 0 when no error, 1 when any error finding,
2 when the command itself could not run (no such file, no journey found, a lexicon refused).
Every message is said in the designer's language (`--lang`, else the locale's).
"""

from __future__ import annotations

import argparse
import sys

from designer import __version__


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`parcours check PATH... [--format] [--severity] [--rule SLUG]... [--lang]
    [--lexicon FILE]...`."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help="journey files or folders")
    parser.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    parser.add_argument("--severity", choices=("error", "warning", "info"), default="info",
                        help="least severity shown (the exit status still counts every error)")
    parser.add_argument("--rule", action="append", metavar="SLUG",
                        help="show only this rule (repeatable)")
    parser.add_argument("--lexicon", action="append", metavar="FILE",
                        help="an organisation's jargon lexicon, added to the shipped one "
                        "(repeatable; format of designer/data/lexicon.yaml)")
    parser.add_argument("--lang", choices=("fr", "en"), default=None,
                        help="language of the messages (default: the locale's, else English)")


def run(args: argparse.Namespace) -> int:
    """Check the paths; print the findings shown; 1 when any journey has an error."""
    # Imported here, not at the top: `parcours check --help` needs none of the engine.
    from designer.check import NoSuchPath, check_paths
    from designer.check_messages import default_language, msg
    from designer.findings import has_errors
    from designer.output import render

    lang = args.lang or default_language()
    analyses = None
    if args.lexicon:
        from designer.jargon import LexiconError, load_lexicon
        from designer.loading import default_analyses

        try:
            analyses = default_analyses(load_lexicon(args.lexicon))
        except LexiconError as exc:
            print(msg("cli.lexicon", problem=str(exc)).say(lang), file=sys.stderr)
            return 2
    try:
        portfolio = check_paths(args.paths, analyses)
    except NoSuchPath as exc:
        print(msg("cli.no-such-path", path=str(exc)).say(lang), file=sys.stderr)
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
        print(msg("cli.no-journey").say(lang), file=sys.stderr)
        return 2
    # A filter that hides findings says how many: "0 info(s)" must not hide advice.
    filtered = args.severity != "info" or bool(args.rule)
    kept = set(shown)
    hidden = [f for f in findings if f not in kept] if filtered else None
    # The version is a constant, not importlib.metadata: scanning installed packages costs
    # a fifth of a second at every start of `parcours check`.
    print(render(shown, files, args.format, __version__, lang, hidden))
    return 1 if has_errors(findings) else 0
